/* malloc_count.c -- the --wrap=malloc counter of malloc_count.h. */
#include <stddef.h>

#include "malloc_count.h"

long tu_mallocs;
int tu_fail_malloc;

void *__real_malloc(size_t n);
void *__wrap_malloc(size_t n);

void *__wrap_malloc(size_t n)
{
    tu_mallocs++;
    return tu_fail_malloc ? NULL : __real_malloc(n);
}
