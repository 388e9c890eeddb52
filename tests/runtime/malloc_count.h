/* malloc_count.h -- for tests linked with malloc_count.c and
 * -Wl,--wrap=malloc: every malloc of the statically linked runtime (and of
 * the test) is counted, and can be made to fail, to prove that the
 * caller-workspace path allocates nothing and that a failed allocation
 * writes nothing. */
#ifndef SPOW_MALLOC_COUNT_H
#define SPOW_MALLOC_COUNT_H

extern long tu_mallocs;      /* calls so far (reset it before a call) */
extern int tu_fail_malloc;   /* nonzero: malloc returns NULL */

#endif
