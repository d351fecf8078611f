/* metrics.h - indicators, periods, roll-ups, targets and rules.
 *
 * Owns: periods (2015-07, 2015-Q3, 2015-H1, 2015), the indicator table (one
 * data table: each indicator's ledger, value expression, filters, region and
 * date columns, unit, --by dimensions), the names of the modes and of the
 * dimensions (English keys and Chinese words: tz_mode_parse, tz_dim_parse),
 * evaluation for any region (rolled up the region tree
 * by code prefix) or any unit over a period or to date (累计), year-on-year
 * comparison, provenance (the ledger rows behind a value), target evaluation
 * (targets ledger rows plus the seed's default rules) and data-quality rules.
 *
 * Does not own: storage (store/), wording and documents (report/).
 * All SQL goes through store.h so it runs on SQLite and PostgreSQL.
 */
#ifndef TZ_METRICS_H
#define TZ_METRICS_H
#include "store/store.h"
#include "util/diag.h"
#include <stddef.h>

/* ---- periods ------------------------------------------------------------ */

typedef enum tz_period_kind {
    TZ_PERIOD_MONTH,   /* 2015-07 */
    TZ_PERIOD_QUARTER, /* 2015-Q3 */
    TZ_PERIOD_HALF,    /* 2015-H1 (上半年) / H2 (下半年) */
    TZ_PERIOD_YEAR     /* 2015 */
} tz_period_kind;

typedef struct tz_period {
    tz_period_kind kind; /* granularity */
    int year;            /* calendar year */
    int index;           /* month 1-12, quarter 1-4, half 1-2, or 0 for a year */
    char start[11];      /* first day, YYYY-MM-DD */
    char end[11];        /* last day, YYYY-MM-DD (inclusive) */
    char label[16];      /* canonical text: "2015-H1" */
} tz_period;

/* Parses a period. Returns 0, or -1 with a Chinese reason in *why. */
int tz_period_parse(const char *s, tz_period *p, const char **why);
/* The same period one year earlier. */
void tz_period_prev_year(const tz_period *p, tz_period *out);
/* Chinese wording: "2015年上半年", "2015年7月", "2015年第三季度", "2015年". */
const char *tz_period_words(const tz_period *p, char *buf, size_t sz);

/* ---- scope -------------------------------------------------------------- */

/* What an indicator is evaluated for: a region (rolled up: a county includes
 * its townships and villages) and/or a responsible unit. NULL means any. */
typedef struct tz_scope {
    const char *region; /* 12-digit region code, or NULL for everything */
    const char *unit;   /* unit name (责任单位/帮扶单位), or NULL */
} tz_scope;

typedef enum tz_mode {
    TZ_MODE_PERIOD = 0, /* rows dated within the period */
    TZ_MODE_TODATE = 1, /* rows dated up to the period's end (累计) */
    TZ_MODE_ALL = 2     /* snapshot: every row, ignoring dates */
} tz_mode;

/* Parses a mode name, English or Chinese: "period" (期间, 期间内, 当期, 本期),
 * "todate" (累计, 累计至期末) or "all" (全部, 现状, 不限日期). Returns 0 and
 * sets *out, or -1 (out unchanged) when text is NULL or unknown. */
int tz_mode_parse(const char *text, tz_mode *out);
/* The English key of a mode ("period", "todate", "all"), as JSON and --mode
 * write it (static). */
const char *tz_mode_name(tz_mode m);
/* The accepted names for usage messages (static):
 * "period(期间、当期、本期)、todate(累计)、all(全部、现状)". */
const char *tz_mode_choices(void);

/* ---- indicators --------------------------------------------------------- */

typedef struct tz_indicator {
    const char *name;    /* Chinese name, unique, e.g. "户户通安装户数" */
    const char *unit;    /* unit word: "户", "个", "万元", "万美元", "%" */
    const char *ledger;  /* source ledger id */
    const char *summary; /* one-line Chinese description */
    /* the evaluation details (SQL fragments, columns) live in indicators.c */
} tz_indicator;

const tz_indicator *tz_indicator_all(size_t *n);
const tz_indicator *tz_indicator_find(const char *name);

/* Evaluates one indicator. Returns 0 and sets *value, or -1 with a diag
 * (unknown indicator, bad scope, database error). */
int tz_indicator_eval(tz_store *s, const char *name, const tz_scope *sc, const tz_period *p,
                      tz_mode mode, double *value, tz_diags *d);

/* One group of a grouped evaluation. */
typedef struct tz_group_value {
    char key[64];    /* group key (region code, year, enum word...) */
    char label[128]; /* display label (region name, year, word) */
    double value;    /* the indicator's value within the group */
} tz_group_value;

/* Evaluates an indicator split by a dimension. `by` is one of (or the
 * Chinese column name of one of them, see tz_dim_parse):
 * "county", "township", "village" (the scope's descendant regions at that
 * level), "year", "month", "kind" (the source ledger's category column: e.g.
 * 类别, 活动类型, 阶段), "unit". Results are sorted by key, and groups with
 * no rows are included for region dimensions. Caller frees *out. */
int tz_indicator_eval_by(tz_store *s, const char *name, const tz_scope *sc, const tz_period *p,
                         tz_mode mode, const char *by, tz_group_value **out, size_t *n,
                         tz_diags *d);

/* One --by dimension of an indicator. */
typedef struct tz_dim {
    const char *key;   /* English key, e.g. "channel", "township" (static) */
    const char *label; /* Chinese column name, e.g. "招商方式", "乡镇" (static) */
} tz_dim;

/* Upper bound of the dimensions of one indicator. */
#define TZ_DIMS_MAX 32

/* The dimensions tz_indicator_eval_by accepts for an indicator, in listing
 * order (regions, dates, unit, then the ledger's own categories). Fills up
 * to max entries of out and returns how many there are (0 for an indicator
 * that cannot be split, or NULL). */
size_t tz_indicator_dim_list(const tz_indicator *ind, tz_dim *out, size_t max);

/* Resolves a --by argument for an indicator: the English key ("channel",
 * "county"; "kind" names the ledger's first own category) or the Chinese
 * column name ("招商方式", "乡镇"). Returns 0 and sets *key to the canonical
 * English key (static), or -1 when the indicator has no such dimension (then
 * tz_indicator_dims lists the choices). */
int tz_dim_parse(const tz_indicator *ind, const char *text, const char **key);

/* Chinese label of a --by dimension of an indicator ("township" → "乡镇",
 * "kind" of 帮扶投入 → "类别"); the dimension name itself when unknown. */
const char *tz_indicator_dim_label(const char *indicator, const char *by);

/* Provenance: calls cb once per ledger row behind the value, with the
 * ledger id and the row's key text (key columns joined by '/'). */
typedef int (*tz_explain_cb)(void *ctx, const char *ledger, const char *key);
int tz_indicator_explain(tz_store *s, const char *name, const tz_scope *sc, const tz_period *p,
                         tz_mode mode, tz_explain_cb cb, void *ctx, tz_diags *d);

/* Provenance of one group of tz_indicator_eval_by: calls cb once per ledger
 * row behind the value of the group whose key is `key` (as in
 * tz_group_value.key: a 12-digit region code for county/township/village, a
 * year "2019", a month "2019-07", a unit name, or a category word; "" is the
 * group of rows with the category left empty). Returns 0, or -1 with a diag
 * (unknown indicator or dimension, database error). */
int tz_indicator_explain_by(tz_store *s, const char *name, const tz_scope *sc, const tz_period *p,
                            tz_mode mode, const char *by, const char *key, tz_explain_cb cb,
                            void *ctx, tz_diags *d);

/* ---- summaries ----------------------------------------------------------
 * Household-sized figures (建档立卡户, 脱贫, 户户通) and the whole-ledger rules
 * are read from summary tables that the database keeps next to the ledgers.
 * They are rebuilt, in one transaction, whenever the ledgers' data version
 * (bumped by triggers on every write, see store.c) differs from the one they
 * were built from: eagerly by tz_metrics_refresh after an import, otherwise
 * by the first read that finds them stale. Figures are the same either way. */

/* Brings the summaries up to date. Returns 1 when they are current, 0 when
 * summaries are switched off, -1 with a diag on a database error (reads then
 * use the ledgers directly). */
int tz_metrics_refresh(tz_store *s, tz_diags *d);

/* Switches the summaries on (default) or off for this process; off reads
 * every figure from the ledgers (the reference the tests and benchmark
 * compare with). The environment variable TZ_METRICS_SUMMARY=0 does the same
 * unless this was called. Not thread-safe: call before any evaluation. */
void tz_metrics_set_summaries(int on);

/* ---- targets ------------------------------------------------------------ */

/* How a yearly target stands at the period's end. In-year an additive
 * target (a count or a sum, tz_indicator_additive) is judged against the
 * time schedule (时序进度: 时间过半、任务过半); a growth, ratio or stock target
 * is on schedule when met, else behind. At the year's end (the period ends on
 * 31 December) every target is 已完成, 未完成 or 力争. */
typedef enum tz_status {
    TZ_STATUS_MET = 0,         /* 已完成: actual >= target (any time of year) */
    TZ_STATUS_NOT_MET = 1,     /* 未完成: not met and the period ends on 31 December */
    TZ_STATUS_ASPIRATION = 2,  /* 力争: a 力争 target not met (shown, never failed) */
    TZ_STATUS_AHEAD = 3,       /* 超序时进度: in-year, progress above the time schedule */
    TZ_STATUS_ON_SCHEDULE = 4, /* 达到序时进度: in-year, progress equal to it (to 0.1 point) */
    TZ_STATUS_BEHIND = 5       /* 滞后于序时进度: in-year, below it */
} tz_status;

typedef struct tz_target_result {
    char unit[128];     /* responsible unit, or the region name for region-wide rules */
    char unit_kind[32]; /* 县区/专题招商组/市直单位/县直单位, or "" */
    char region[13];    /* region the target is evaluated over */
    int year;           /* target year */
    char indicator[96]; /* target name (targets ledger 指标) */
    double actual;      /* actual value for the period (or year to date) */
    double target;      /* target value */
    double gap;         /* target - actual (0 when met) */
    tz_status status;   /* see tz_status and tz_status_word */
    int is_default;     /* 1 when from the seed's default rules, 0 from the targets ledger */
    char basis[160];    /* how the actual was computed, Chinese (e.g. "2015年上半年累计") */
    double schedule;    /* 时序进度: months of the year elapsed at the period's end / 12
                           (H1 0.5, Q3 0.75, 2015-07 7/12, year 1) */
    double progress;    /* actual / target for an additive target (NAN when target <= 0
                           or the target is not additive: growth, ratio, stock) */
    double behind;      /* BEHIND only: (schedule - progress) * 100 percentage points, each
                           of the two rounded to 0.1 point first (so it is the difference of
                           the printed percentages), else 0; NAN for a non-additive target
                           that is behind */
    int year_end;       /* 1 when the period ends on 31 December */
    char origin[240];   /* where the target value comes from, Chinese: "目标任务台账", or
                           "默认规则:全市每年引进3亿元以上项目不少于50个" plus, where the
                           targets ledger's unit targets add up to a different figure for
                           the same scope, a clause saying so and which one is used and why */
} tz_target_result;

/* Evaluates every target that applies to the scope in the period's year:
 * rows of the targets ledger plus the default rules of domain.md §3 for
 * units that have no row. Caller frees *out. Returns 0 or -1. */
int tz_targets_check(tz_store *s, const tz_scope *sc, const tz_period *p, tz_target_result **out,
                     size_t *n, tz_diags *d);

/* How a target named 指标 name is measured for period p: over *w (p for a
 * stock, else 1 January to p's end) in *mode, by the indicator *indicator
 * (static; a 力争 target's without the prefix). Returns 0, or -1 when name
 * is no target the metrics can measure. (The API's 首页 uses it.) */
int tz_target_measure(const char *name, const tz_period *p, tz_period *w, tz_mode *mode,
                      const char **indicator);
/* 1 when an indicator's values of separate months add up to the value of
 * their sum (a count or a sum of dated rows; not a stock, ratio or growth),
 * else 0 (also for an unknown name). */
int tz_indicator_additive(const char *name);
/* The period from 1 January of p's year to p's end (累计 windows). */
void tz_period_ytd(const tz_period *p, tz_period *out);

/* ---- rules (findings) --------------------------------------------------- */

typedef enum tz_finding_level {
    TZ_FINDING_PROBLEM = 0, /* a gap in the work (report's 存在的问题) */
    TZ_FINDING_DATA = 1     /* a data-quality problem to fix in the ledgers */
} tz_finding_level;

typedef struct tz_finding {
    char rule[64];          /* rule id, e.g. "centre_coverage", "household_exit" */
    tz_finding_level level; /* problem or data quality */
    char message[512];      /* Chinese sentence describing the finding */
    char ledger[32];        /* ledger of the rows concerned */
    char *keys;             /* the keys of ALL the rows concerned, joined by 、 (owned;
                               NULL when none); count of them, except household_duplicate,
                               whose count is persons (rules.c's head), and not_recorded,
                               counted without keys (quality.c) */
    size_t nkeys;           /* number of keys in keys */
    long count;             /* number of rows concerned */
    double amount;          /* an amount when the rule has one (e.g. subsidy owed), else 0 */
} tz_finding;

/* Runs every rule for the scope as of the period's end. Caller frees *out
 * with tz_findings_free. */
int tz_rules_check(tz_store *s, const tz_scope *sc, const tz_period *p, tz_finding **out, size_t *n,
                   tz_diags *d);
/* Frees n findings and their keys (NULL safe). */
void tz_findings_free(tz_finding *f, size_t n);

/* ---- key figures (主要指标) --------------------------------------------- */

/* One key figure of a scope: an indicator's value (and optional split) in
 * the mode the seed documents state it. The table is in keyfigs.c. */
typedef struct tz_key_figure {
    const char *topic;      /* heading, e.g. "驻村帮扶" (static) */
    const char *indicator;  /* indicator name (static) */
    const char *unit;       /* unit word (static) */
    tz_mode mode;           /* period, to date (累计) or snapshot */
    double value;           /* the value */
    const char *by;         /* split dimension, or NULL */
    tz_group_value *groups; /* the split (owned), or NULL */
    size_t ngroups;         /* number of groups */
} tz_key_figure;

/* Evaluates the key figures that have data in the scope. Caller frees with
 * tz_key_figures_free. Returns 0 or -1 with a diag. */
int tz_key_figures(tz_store *s, const tz_scope *sc, const tz_period *p, tz_key_figure **out,
                   size_t *n, tz_diags *d);
void tz_key_figures_free(tz_key_figure *f, size_t n);

/* ---- regions ------------------------------------------------------------ */

/* Looks a region up: name and level. Returns 1 found, 0 not, -1 error. */
int tz_region_get(tz_store *s, const char *code, char *name, size_t namesz, tz_level *level);
/* Resolves a region argument: a code (6/9/12 digits) or an exact name. */
int tz_region_resolve(tz_store *s, const char *arg, char code[13], tz_diags *d);

/* ---- additions ------------------------------------------------------------
 * Values: a ratio over a zero denominator and a growth rate over a zero base
 * are NAN (tz_indicator_eval returns 0); a target's actual is NAN only for a
 * growth target over a zero base (its basis says so). A ratio whose
 * denominator must exist (贫困发生率 without any 户籍人口 row for the year)
 * makes tz_indicator_eval return -1 with the reason in the diag. */

/* The latest year with data (targets, projects, funds, installs, events, aid
 * inputs and centres; not households, whose 脱贫年度 may lie ahead) as a year
 * period. Returns 1 found, 0 when nothing is dated, -1 on a database error. */
int tz_period_latest(tz_store *s, tz_period *p);
/* The same inside a scope: the latest year of the scope's own rows (those
 * its indicators read: the region range, or the unit's rows, else its
 * region's) and of its units' targets; the global latest year when the scope
 * has no dated row. Returns 1 found, 0 when nothing is dated at all, -1 with
 * a diag on a database error. */
int tz_period_latest_in(tz_store *s, const tz_scope *sc, tz_period *p, tz_diags *d);

/* The dimensions tz_indicator_eval_by accepts for an indicator, joined by 、
 * (e.g. "county、township、village、year、month、unit、stage、size…"). */
const char *tz_indicator_dims(const char *name, char *buf, size_t sz);

/* 已完成 / 未完成 / 力争 / 超序时进度 / 达到序时进度 / 滞后于序时进度 (static). */
const char *tz_status_word(tz_status st);
/* 1 for a target that fails a check (NOT_MET and BEHIND: `check` exits 1),
 * else 0. */
int tz_status_failed(tz_status st);

/* One rule of tz_rules_check, for listings and documentation. */
typedef struct tz_rule_info {
    const char *id;         /* rule id, as in tz_finding.rule */
    tz_finding_level level; /* problem or data quality */
    const char *summary;    /* what it checks, Chinese */
} tz_rule_info;
const tz_rule_info *tz_rules_all(size_t *n);

/* Poverty lines (元 per person per year, by year) used by the household exit
 * rule, kept as data in data/poverty_lines.tsv (year<TAB>line_yuan, '#'
 * comments). tz_poverty_lines_load replaces the table (0, or -1 with diags
 * naming file and line). Without it, the first use loads
 * $TAIZHANG_HOME/data/poverty_lines.tsv, then ../data and
 * ../share/taizhang/data next to the binary, then ./data.
 * tz_poverty_line: 0 and *line set, 1 when the year has no line, -1 when no
 * table can be loaded (diag). Thread-safe. */
int tz_poverty_lines_load(const char *path, tz_diags *d);
int tz_poverty_line(int year, double *line, tz_diags *d);

/* Village-exit thresholds of 贫困发生率 (percent; domain.md §3: 2%, 3% in the
 * western provinces), kept as data in data/village_exit_thresholds.tsv:
 * lines "prefix<TAB>percent" where prefix is the leading digits of a region
 * code (the longest matching prefix wins) or "*" for the default; '#'
 * comments. tz_exit_thresholds_load replaces the table (0, or -1 with diags
 * naming file and line); without it the first use looks in the same places
 * as the poverty lines. tz_exit_threshold: 0 and *pct set, -1 when no table
 * can be loaded or no line matches (diag). Thread-safe. */
int tz_exit_thresholds_load(const char *path, tz_diags *d);
int tz_exit_threshold(const char *code, double *pct, tz_diags *d);

/* ---- units and 同比 (compare.c, units.c) ----------------------------------
 * What the commands used to compute themselves: looking a unit up and the
 * year-on-year comparison. */

/* Looks a 责任单位 up by its name: its kind (县区, 专题招商组, 市直单位, …)
 * into kind (kindsz bytes) and its region code into region; either may be
 * NULL. Returns 1 found, 0 not, -1 on a database error (tz_store_errmsg). */
int tz_unit_get(tz_store *s, const char *name, char *kind, size_t kindsz, char region[13]);

/* 同比: a value against the same period one year earlier. */
typedef struct tz_yoy {
    int have;          /* 1 when last year's figure could be computed */
    tz_period prev;    /* the same period one year earlier */
    double prev_value; /* its value; NAN when !have */
    double change;     /* value - prev_value; NAN when !have */
    double rate;       /* change in percent of |prev_value|; NAN when !have,
                          when either value is NAN or prev_value is 0 */
} tz_yoy;

/* Compares value, the indicator over p in mode, with the same period a
 * year earlier. A snapshot (TZ_MODE_ALL) has no earlier year, and a year
 * for which the indicator cannot be computed (its ledger holds nothing for
 * it, a ratio without its denominator) has no figure: then have is 0, which
 * is not an error for this year's figure. Never fails. */
void tz_indicator_yoy(tz_store *s, const char *name, const tz_scope *sc, const tz_period *p,
                      tz_mode mode, double value, tz_yoy *out);

/* ---- one state of the data (summary.c) -------------------------------------- */

/* For a job of many queries (a check, a report): brings the summaries up
 * to date where it may, then begins a read snapshot of s
 * (tz_store_read_begin), so that every figure of the job comes from one
 * state of the data. Returns 1 begun (end it with tz_store_read_end), 0
 * when s was already in a transaction or snapshot, -1 on error (the job
 * may go on without one). */
int tz_metrics_snapshot(tz_store *s);

#endif
