/* norm.c -- ||G||_F as r 2^e (norm_impl.h), for each element type. */
#include <float.h>
#include <math.h>

#include "spow_internal.h"

#define SPOW_IMPL "norm_impl.h"
#include "both_types.h"
