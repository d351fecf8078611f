/* scope.c - --region, --unit and --period of the metrics commands: the
 * messages of a wrong value, and the scope in words. */
#include "cli/scope.h"
#include <stdio.h>
#include <string.h>

/* Prints the diag of a wrong value the way a usage error reads: a region as
 * its own line ("区划 \"X\": …"), a unit or period naming its option
 * ("--unit \"X\": …", then the usage line). Returns TZ_EXIT_USAGE. */
static int _wrong_value(const tz_diags *d, const char *usage)
{
    static const char *const opts[][2] = {{"单位", "--unit"}, {"期间", "--period"}};
    const tz_diag *g = d->n ? &d->items[d->n - 1] : NULL;
    for (size_t i = 0; g && g->column && i < sizeof opts / sizeof opts[0]; i++) {
        if (strcmp(g->column, opts[i][0]) != 0)
            continue;
        if (g->value)
            return tz_usage_error(usage, "%s \"%s\": %s", opts[i][1], g->value, g->reason);
        return tz_usage_error(usage, "%s: %s", opts[i][1], g->reason);
    }
    tz_print_diags(d);
    return TZ_EXIT_USAGE;
}

int tz_cli_scope_get(tz_store *s, const tz_args *a, const char *usage, tz_view_scope *o)
{
    tz_diags d = TZ_DIAGS_INIT;
    int r = tz_view_scope_resolve(s, tz_args_get(a, "--region"), tz_args_get(a, "--unit"),
                                  tz_args_get(a, "--period"), o, &d);
    int rc = TZ_EXIT_OK;
    if (r > 0) {
        rc = _wrong_value(&d, usage);
    } else if (r < 0) {
        tz_print_diags(&d);
        rc = TZ_EXIT_ENV;
    }
    tz_diags_clear(&d);
    return rc;
}

const char *tz_cli_scope_words(const tz_view_scope *o, char *buf, size_t sz)
{
    if (o->sc.region && o->sc.unit)
        snprintf(buf, sz, "%s(%s) %s", o->region_name, o->code, o->sc.unit);
    else if (o->sc.region)
        snprintf(buf, sz, "%s(%s)", o->region_name, o->code);
    else if (o->sc.unit)
        snprintf(buf, sz, "%s", o->sc.unit);
    else
        snprintf(buf, sz, "全部区划");
    return buf;
}
