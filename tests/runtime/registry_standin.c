/* registry_standin.c -- empty table lists for builds made before
 * spow-gen has written tables/ (CMake drops this file once
 * tables/spow_registry.c exists). */
#include "spow.h"

const spow_table *const *spow_table_list(void)
{
    static const spow_table *const none[] = {NULL};
    return none;
}

const spow_table *const *spow_table_list_shape(void)
{
    static const spow_table *const none[] = {NULL};
    return none;
}

const spow_table *const *spow_table_list_target(void)
{
    static const spow_table *const none[] = {NULL};
    return none;
}
