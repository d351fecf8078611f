/* scope.h - the scope and period of the metrics commands (check,
 * indicator): --region, --unit and --period resolved against the database,
 * and their text and JSON forms. */
#ifndef TZ_CLI_SCOPE_H
#define TZ_CLI_SCOPE_H
#include "cli/cli.h"
#include "metrics/metrics.h"
#include <jansson.h>

/* The options every metrics command shares. */
#define TZ_CLI_SCOPE_OPTS                                                                          \
    {.name = "--region", .takes_value = 1}, {.name = "--unit", .takes_value = 1},                  \
    {                                                                                              \
        .name = "--period", .takes_value = 1                                                       \
    }

typedef struct tz_cli_scope {
    tz_scope sc;           /* scope for the library (points into code / the args) */
    char code[13];         /* resolved region code */
    char region_name[128]; /* region name, or "" */
    tz_period p;           /* the period */
    int period_default;    /* 1 when the period was not given (latest year with data) */
} tz_cli_scope;

/* Resolves --region, --unit and --period (default: the latest year with
 * data). Returns 0, or prints why and returns the exit status (usage error
 * for a wrong value, environment error for a failed query). */
int tz_cli_scope_get(tz_store *s, const tz_args *a, const char *usage, tz_cli_scope *o);
/* "鹿邑县(411628) 县文化广电旅游局", or "全部区划". */
const char *tz_cli_scope_words(const tz_cli_scope *o, char *buf, size_t sz);
/* {"region", "region_name", "unit"} (null where not given). */
json_t *tz_cli_scope_json(const tz_cli_scope *o);
/* {"label", "words", "start", "end"}. */
json_t *tz_cli_period_json(const tz_period *p);
/* tz_cli_period_json of the scope's period plus "default". */
json_t *tz_cli_scope_period_json(const tz_cli_scope *o);
/* "问题" or "数据质量". */
const char *tz_cli_level_word(tz_finding_level lv);
/* A --by split as [{"key", "label", "value"}]. */
json_t *tz_cli_groups_json(const tz_group_value *g, size_t ng);

#endif
