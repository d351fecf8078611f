/* views.h - the JSON form of each result: one shape for the CLI's --json and
 * the HTTP API.
 *
 * Owns: resolving a scope and period (region, unit, period text) against the
 * database; computing what `check`, `indicator`, `ledgers` and `import`
 * report; and shaping it as jansson values, plus the one way JSON is
 * written out (tz_view_dump) and the one way diagnostics become JSON
 * (tz_view_diags). The CLI prints these values; the server sends them.
 * Does not own: the text forms (cli/cmd_*.c), option names, usage lines,
 * exit statuses or HTTP statuses, the metrics themselves (metrics/) or
 * loading data files such as data/poverty_lines.tsv (the caller's job before
 * tz_view_check; the library falls back to its default places).
 * Nothing here prints. Every function that returns a json_t returns a new
 * reference the caller owns (json_decref), or NULL when memory ran out.
 */
#ifndef TZ_WEB_VIEWS_H
#define TZ_WEB_VIEWS_H
#include "ledger/ledger.h"
#include "metrics/metrics.h"
#include "store/store.h"
#include "util/diag.h"
#include <jansson.h>

/* A resolved scope and period. sc points into code and unit of the same
 * struct: do not copy one (pass a pointer), or set sc again after copying. */
typedef struct tz_view_scope {
    tz_scope sc;           /* scope for the library (points into code / unit) */
    char code[13];         /* resolved region code, or "" */
    char region_name[128]; /* region name, or "" */
    char unit[256];        /* the 责任单位 as given, or "" */
    tz_period p;           /* the period */
    int period_default;    /* 1 when no period was given (latest year with data in the scope) */
} tz_view_scope;

/* Resolves region (a 6/9/12-digit code or an exact name; NULL: every
 * region), unit (a 责任单位 name; NULL: none) and period text (NULL: the
 * latest year with data) against the database into *o. Returns 0; 1 when a
 * value is wrong (one Chinese diag in d whose column names the field:
 * "区划", "单位" or "期间", with the value as given); -1 on a database error
 * (diag). */
int tz_view_scope_resolve(tz_store *s, const char *region, const char *unit, const char *period,
                          tz_view_scope *o, tz_diags *d);

/* A JSON number: null for NAN/inf, an integer when whole, else rounded to
 * 6 decimals. */
json_t *tz_view_num(double v);
/* The text of a JSON value as the CLI prints it: indented by 2, keys in the
 * order they were set, reals to 12 significant digits, and a trailing
 * newline. Returns a string the caller frees, or NULL when out of memory. */
char *tz_view_dump(const json_t *o);

/* {"region", "region_name", "unit"} (null where not given). */
json_t *tz_view_scope_json(const tz_view_scope *o);
/* {"label", "words", "start", "end"}. */
json_t *tz_view_period_json(const tz_period *p);
/* tz_view_period_json of the scope's period plus "default". */
json_t *tz_view_scope_period_json(const tz_view_scope *o);
/* A --by split as [{"key", "label", "value"}]. */
json_t *tz_view_groups_json(const tz_group_value *g, size_t ng);
/* "问题" or "数据质量" (static). */
const char *tz_view_level_word(tz_finding_level lv);

/* `taizhang ledgers [LEDGER] --json`: [{"id", "name", "columns": [{"name",
 * "type", "choices", "key", "required", "references"}]}] of every ledger,
 * or of only when it is not NULL. */
json_t *tz_view_ledgers(const tz_ledger *only);
/* The Chinese word of a column type ("文本", "身份证号", …; static). */
const char *tz_view_type_word(tz_coltype t);

/* The kept diagnostics of d as [{"level": "error"|"warning", "file", "row",
 * "column", "value", "reason", "message"}]: file, column and value null when
 * absent, row null when 0, message the whole line as the CLI prints it
 * (tz_diag_format). Errors and warnings together, in the order added. */
json_t *tz_view_diags(const tz_diags *d);

/* ---- check ------------------------------------------------------------- */

/* What `check` computes for a scope: targets, findings, key figures and
 * their counts. */
typedef struct tz_view_check_data {
    tz_target_result *t; /* targets (owned) */
    size_t nt;           /* number of targets */
    tz_finding *f;       /* rule findings (owned) */
    size_t nf;           /* number of findings */
    tz_key_figure *k;    /* key figures (owned) */
    size_t nk;           /* number of key figures */
    size_t met;          /* targets met (已完成) */
    size_t not_met;      /* targets not met at the year's end (未完成) */
    size_t aspirations;  /* 力争 targets not met (shown, not checked) */
    size_t ahead;        /* in-year, ahead of the time schedule (超序时进度) */
    size_t on_schedule;  /* in-year, on it (达到序时进度) */
    size_t behind;       /* in-year, behind it (滞后于序时进度) */
    size_t problems;     /* findings of level 问题 */
    size_t quality;      /* findings of level 数据质量 */
    int failed;          /* 1 when a target failed (tz_status_failed) or a rule found something */
} tz_view_check_data;

/* Runs the targets, the rules and the key figures of the scope into *r
 * (zeroed first). Returns 0, or -1 with the reason in d (then *r holds
 * nothing to free, but tz_view_check_data_free is still safe). Warnings the
 * metrics add go to d as well. */
int tz_view_check_run(tz_store *s, const tz_view_scope *o, tz_view_check_data *r, tz_diags *d);
/* Frees what *r owns; r may be NULL. */
void tz_view_check_data_free(tz_view_check_data *r);
/* The `check --json` object of computed data: {"scope", "period", "figures",
 * "targets", "findings", "summary"}. */
json_t *tz_view_check_json(const tz_view_scope *o, const tz_view_check_data *r);
/* `check --json`: computes and shapes into *out (caller decrefs). *failed is
 * set to 1 when a target failed or a rule found anything (the CLI's exit
 * status 1), else 0. Returns 0, or -1 (diag in d, *out NULL). */
int tz_view_check(tz_store *s, const tz_view_scope *o, json_t **out, int *failed, tz_diags *d);

/* ---- indicator --------------------------------------------------------- */

/* What was asked of one indicator. */
typedef struct tz_view_indicator_ask {
    const tz_indicator *ind; /* the indicator (static) */
    tz_mode mode;            /* its mode (口径) */
    const char *by;          /* canonical --by key (static), or NULL */
} tz_view_indicator_ask;

/* What the metrics answered. */
typedef struct tz_view_indicator_answer {
    double value;      /* the indicator's value */
    tz_yoy yoy;        /* the same period a year earlier */
    tz_group_value *g; /* the split (owned), or NULL */
    size_t ng;         /* number of groups */
} tz_view_indicator_answer;

/* The dimensions an indicator can be split by, as "key(label)、…" (e.g.
 * "county(县区)、township(乡镇)…"), or "(无)" when none. Caller frees;
 * NULL when out of memory. */
char *tz_view_dim_choices(const tz_indicator *ind);
/* Parses what is asked: name (an indicator name), mode (English or Chinese,
 * NULL: period) and by (a key or a Chinese column name, NULL: no split).
 * Returns 0 with *q set, or 1 with one Chinese diag whose column names the
 * field ("指标", "口径" or "分组") and lists what is accepted. */
int tz_view_indicator_parse(const char *name, const char *mode, const char *by,
                            tz_view_indicator_ask *q, tz_diags *d);
/* Evaluates the value, its split and 同比 into *r (zeroed first). Returns 0,
 * or -1 with the reason in d (a database error, or data the indicator needs
 * is missing); tz_view_indicator_answer_free is safe either way. */
int tz_view_indicator_run(tz_store *s, const tz_view_indicator_ask *q, const tz_view_scope *o,
                          tz_view_indicator_answer *r, tz_diags *d);
/* Frees what *r owns; r may be NULL. */
void tz_view_indicator_answer_free(tz_view_indicator_answer *r);
/* The `indicator --json` object without "rows": {"indicator", "unit",
 * "ledger", "summary", "scope", "period", "mode", "value", "year_on_year"
 * (when there is one), "by" and "groups" (when split)}. */
json_t *tz_view_indicator_json(const tz_view_indicator_ask *q, const tz_view_scope *o,
                               const tz_view_indicator_answer *r);
/* 同比 as {"period", "value", "change", "rate"} (the indicator's
 * "year_on_year"; the API's 首页 gives one per key figure). */
json_t *tz_view_yoy_json(const tz_yoy *y);
/* `indicator NAME --json` with mode (NULL: period), by (NULL: none) and
 * explain (1: "rows": [{"ledger", "key"}], the ledger rows behind the
 * value). Returns 0 with *out set (caller decrefs); 1 when a parameter is
 * wrong (diag naming 指标, 口径 or 分组); -1 with the reason in d. */
int tz_view_indicator(tz_store *s, const char *name, const tz_view_scope *o, const char *mode,
                      const char *by, int explain, json_t **out, tz_diags *d);

/* ---- import ------------------------------------------------------------ */

/* `import --json`: {"file", "ledger", "ledger_name", "dry_run", "status"
 * ("accepted", "refused" or "failed" for status 0, 1 and -1 of
 * tz_import_file), "rows", "inserted", "updated", "unchanged", "encoding",
 * "errors" and "warnings" (tz_view_diags of each level),
 * "error_count" and "warning_count" (all, including those past the listing
 * limit)}. r may be NULL (nothing read: counts 0, encoding null); the counts
 * of a refused or failed import are those read before it stopped, and
 * nothing of them was written. */
json_t *tz_view_import(const tz_ledger *l, const char *file, int dry_run, int status,
                       const tz_import_result *r, const tz_diags *d);

#endif
