/* norm.c -- ||G||_F as r 2^e (norm_impl.h), for each element type. */
#include <float.h>
#include <math.h>

#include "spow_internal.h"

#define SPOW_T double
#define SPOW_FN(name) name##_f64
#include "norm_impl.h"
#undef SPOW_T
#undef SPOW_FN

#define SPOW_T float
#define SPOW_FN(name) name##_f32
#include "norm_impl.h"
#undef SPOW_T
#undef SPOW_FN
