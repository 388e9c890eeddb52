/* report.c -- quantities shared by the emitters. */
#include "spow_gen.h"

int spow_report_gemms(const spow_recurrence *rec)
{
    int total = 0;
    for (int k = 0; k < rec->steps; k++)
        total += rec->step[k].gemms;
    return total;
}
