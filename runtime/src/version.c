/* version.c -- the version the library was built as. */
#include "spow_internal.h"

/* The library's own copy of SPOW_VERSION_STRING: a program can compare it
 * with the header it was compiled against. */
const char *spow_version(void)
{
    return SPOW_VERSION_STRING;
}
