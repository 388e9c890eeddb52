/* report.c -- quantities shared by the emitters. */
#include "spow_gen.h"

int spow_report_gemms(const spow_recurrence *rec)
{
    int total = 0;
    for (int k = 0; k < rec->steps; k++)
        total += rec->step[k].gemms;
    return total;
}

void spow_report_max_err(mpfr_t err, const spow_report *rep)
{
    mpfr_max(err, rep->rec_f64->max_rel_err, rep->rec_mono->max_rel_err, MPFR_RNDU);
}
