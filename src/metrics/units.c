/* units.c - the 责任单位 ledger for the metrics: looking a unit up by name. */
#include "metrics/metrics.h"
#include <stdio.h>

int tz_unit_get(tz_store *s, const char *name, char *kind, size_t kindsz, char region[13])
{
    tz_stmt *st = NULL;
    int r = -1;
    if (!tz_store_prepare(s, "SELECT kind, region FROM units WHERE name = ?", &st) &&
        !tz_stmt_bind_text(st, 1, name))
        r = tz_stmt_step(st);
    if (r == 1) {
        const char *k = tz_stmt_text(st, 0), *code = tz_stmt_text(st, 1);
        if (kind)
            snprintf(kind, kindsz, "%s", k ? k : "");
        if (region)
            snprintf(region, 13, "%s", code ? code : "");
    }
    tz_stmt_free(st);
    return r < 0 ? -1 : r;
}
