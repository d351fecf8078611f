/* compare.c - 同比: an indicator's value against the same period one year
 * earlier (change and growth rate), as `taizhang indicator` shows it. */
#include "metrics/metrics.h"
#include <math.h>

void tz_indicator_yoy(tz_store *s, const char *name, const tz_scope *sc, const tz_period *p,
                      tz_mode mode, double value, tz_yoy *out)
{
    out->have = 0;
    out->prev_value = out->change = out->rate = NAN;
    tz_period_prev_year(p, &out->prev);
    if (mode == TZ_MODE_ALL)
        return; /* a snapshot has no earlier year */
    tz_diags d = TZ_DIAGS_INIT;
    out->have = tz_indicator_eval(s, name, sc, &out->prev, mode, &out->prev_value, &d) == 0;
    tz_diags_clear(&d); /* no figure for last year is not an error for this one */
    if (!out->have) {
        out->prev_value = NAN;
        return;
    }
    out->change = value - out->prev_value;
    if (out->prev_value != 0 && !isnan(value) && !isnan(out->prev_value))
        out->rate = out->change / fabs(out->prev_value) * 100;
}
