/* scope.h - the scope and period of the metrics commands (check,
 * indicator): --region, --unit and --period resolved against the database
 * (tz_view_scope_resolve), with the messages a wrong value prints, and their
 * text form. The JSON form is web/views.h's. */
#ifndef TZ_CLI_SCOPE_H
#define TZ_CLI_SCOPE_H
#include "cli/cli.h"
#include "metrics/metrics.h"
#include "web/views.h"

/* The options every metrics command shares. */
#define TZ_CLI_SCOPE_OPTS                                                                          \
    {.name = "--region", .takes_value = 1}, {.name = "--unit", .takes_value = 1},                  \
    {                                                                                              \
        .name = "--period", .takes_value = 1                                                       \
    }

/* Resolves --region, --unit and --period (default: the latest year with
 * data). Returns 0, or prints why and returns the exit status (usage error
 * for a wrong value, environment error for a failed query). */
int tz_cli_scope_get(tz_store *s, const tz_args *a, const char *usage, tz_view_scope *o);
/* "鹿邑县(411628) 县文化广电旅游局", or "全部区划". */
const char *tz_cli_scope_words(const tz_view_scope *o, char *buf, size_t sz);

#endif
