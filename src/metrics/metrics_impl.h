/* metrics_impl.h - internal to metrics/: the indicator definition table, the
 * dimension table, region ranges, resolved scopes and the SQL builder.
 *
 * Owns: the shapes shared by indicators.c (data), eval.c (evaluation),
 * targets.c and rules.c. Nothing here is part of the public API.
 */
#ifndef TZ_METRICS_IMPL_H
#define TZ_METRICS_IMPL_H
#include "metrics/metrics.h"
#include "util/buf.h"

/* How an indicator is computed. */
typedef enum tz_ind_kind {
    TZ_IND_SQL = 0,    /* one aggregate over the ledger rows */
    TZ_IND_RATIO,      /* a / b * scale (NAN when b is 0) */
    TZ_IND_DIFF,       /* a - b */
    TZ_IND_GROWTH,     /* (a - a one year earlier) / (a one year earlier) * 100 */
    TZ_IND_UNAVAILABLE /* cannot be computed from the ledgers: reason says why */
} tz_ind_kind;

/* A named grouping expression for tz_indicator_eval_by; an indicator lists
 * its own in an array ended by a row with name NULL, whose first entry is
 * also its "kind". */
typedef struct tz_dim_def {
    const char *name;  /* --by name, e.g. "stage" */
    const char *label; /* Chinese label (the ledger's column), e.g. "阶段" */
    const char *expr;  /* SQL expression over the indicator's aliases */
} tz_dim_def;

/* How an indicator is read from the summaries (summary.c keeps the tables
 * tz_agg_hh and tz_agg_tv, alias g). from NULL: it has no summary form. */
typedef struct tz_agg_form {
    const char *from;     /* summary FROM clause, or NULL */
    const char *where;    /* condition on the summary, or NULL */
    const char *value;    /* aggregate over the summary */
    const char *date_col; /* summary date column */
    tz_coltype date_type; /* its type */
    const char *end_col;  /* interval end column, or NULL */
    const char *having;   /* grouped: keeps the groups that hold ledger rows, or NULL */
} tz_agg_form;

/* Whether an indicator may be a 指标 of the targets ledger (targets.c). */
typedef enum tz_target_kind {
    TZ_TARGET_NONE = 0,       /* not a target */
    TZ_TARGET = 1,            /* a target under its own name */
    TZ_TARGET_ASPIRATION = 2  /* a 力争 target, named "力争" + its name: never failed */
} tz_target_kind;

/* One indicator, as data. SQL fragments are fixed text (no user input):
 * `from` may hold the token {date}, where the period condition is placed
 * (inside a LEFT JOIN's ON, for "rows without ..." indicators); otherwise
 * the condition goes into WHERE. Rows are written with designated
 * initialisers; a field left out is zero. */
typedef struct tz_ind_def {
    tz_indicator pub;         /* public part: name, unit, ledger, summary */
    tz_ind_kind kind;         /* how it is computed */
    const char *from;         /* FROM clause with aliases (TZ_IND_SQL) */
    const char *where;        /* fixed filter, or NULL */
    const char *value;        /* aggregate expression, e.g. "COUNT(*)" */
    const char *region_col;   /* region code column used for roll-up */
    tz_level region_level;    /* level the column is guaranteed to hold (import checks it), or NONE */
    const char *unit_col;     /* 责任单位/帮扶单位 column, or NULL (a unit scope then means its region) */
    const char *date_col;     /* date column, or NULL (a snapshot) */
    tz_coltype date_type;     /* TZ_COL_DATE, TZ_COL_MONTH or TZ_COL_YEAR */
    const char *end_col;      /* end of an interval (帮扶 until, 脱贫年度), or NULL for a point */
    int stock;                /* 1: a level as of the period's end, whatever the mode */
    const char *key_expr;     /* provenance: the row key text (key columns joined by '/') */
    const tz_dim_def *dims;   /* the ledger's own --by categories, or NULL */
    const char *a;            /* first component (RATIO, DIFF, GROWTH) */
    const char *b;            /* second component (RATIO, DIFF) */
    double scale;             /* RATIO multiplier (100 for a percentage) */
    const char *reason;       /* TZ_IND_UNAVAILABLE: Chinese explanation; RATIO: why a zero
                                 denominator is an error */
    tz_agg_form agg;          /* summary form (summary.c), or from NULL */
    tz_target_kind target;    /* may be a 指标 of the targets ledger */
    int target_additive;      /* 1: a city's target is the sum of its 县区 units' targets */
    int year_source;          /* 1: date_col of pub.ledger counts for tz_period_latest */
} tz_ind_def;

const tz_ind_def *tz_ind_defs(size_t *n);
const tz_ind_def *tz_ind_def_find(const char *name);
/* The dimension called name in an indicator's list ("kind" is the first),
 * or NULL. */
const tz_dim_def *tz_dim_find(const tz_dim_def *dims, const char *name);

/* 1 when the indicator (or, for a composite, every part of it) has a unit
 * column, so it can be split and scoped by unit (dims.c). */
int tzm_has_unit_col(const tz_ind_def *def);
/* tz_indicator_dim_list for a definition (NULL gives 0). */
size_t tzm_dim_list(const tz_ind_def *def, tz_dim *out, size_t max);

/* ---- regions -------------------------------------------------------------- */

/* Significant digits of a level's codes: 省 2, 市 4, 县 6, 乡 9, 村 12. */
int tz_level_digits(tz_level lv);
/* The code range [lo, hi] of a region and all its descendants, and its
 * significant digits (may be NULL). Uses the stored level, or the code's
 * trailing zeros when the region is not stored. Returns 1 when stored, 0
 * when derived, -1 on a database error. */
int tz_region_range(tz_store *s, const char *code, char lo[13], char hi[13], int *digits);
/* Which levels the range covers completely: bit (1 << level) is set when no
 * stored region of that level lies outside [lo, hi]. Returns 0 or -1. */
int tz_region_covers(tz_store *s, const char *lo, const char *hi, unsigned *covers);

/* A region range ready for filtering: the range, its width and what it covers. */
typedef struct tz_range {
    char lo[13];     /* low end */
    char hi[13];     /* high end */
    int digits;      /* significant digits of the region (2 province ... 12 village) */
    unsigned covers; /* levels covered completely (see tz_region_covers) */
    int scan;        /* 1: a wide range on SQLite, filtered without the index (faster) */
} tz_range;

/* Fills a range for a region code. Returns 0 or -1 (database error). */
int tz_range_of(tz_store *s, const char *code, tz_range *r);

/* ---- resolved scope ------------------------------------------------------- */

/* A scope with its code ranges looked up once. */
typedef struct tz_scope_rt {
    int has_region;      /* 1 when restricted to a region */
    tz_range range;      /* the region's range */
    char region[13];     /* the region code */
    const char *unit;    /* unit name, or NULL */
    int has_unit_region; /* 1 when the unit has a region (used when an indicator has no unit column)
                          */
    tz_range urange;     /* the unit's region range */
    char unit_kind[32];  /* the unit's kind (县区/专题招商组/市直单位/县直单位) */
    char unit_region[13]; /* the unit's region code */
    int agg;              /* 1: the summaries (summary.c) match the ledgers and may be read */
} tz_scope_rt;

/* Looks up the scope's ranges. Returns 0, or -1 with a diag (unknown unit,
 * database error). */
int tz_scope_resolve(tz_store *s, const tz_scope *sc, tz_scope_rt *rt, tz_diags *d);

/* Evaluation with a resolved scope (see tz_indicator_eval). */
int tz_eval_rt(tz_store *s, const tz_ind_def *def, const tz_scope_rt *rt, const tz_period *p,
               tz_mode mode, double *value, tz_diags *d);

/* ---- summaries (summary.c) ------------------------------------------------
 * Pre-aggregated tables kept in the database next to the ledgers and rebuilt
 * when the data version (tz_meta 'data_version', bumped by triggers on every
 * ledger write) differs from the one they were built from:
 *   tz_agg_hh (node, digits, yi, ye, n, members): households by 识别年度 and
 *     脱贫年度, for every region node (village 12 digits, township 9, county
 *     6, city 4, province 2, and '' with digits 0 for the whole database);
 *   tz_agg_tv (node, digits, month, status, n): 户户通 installs of registered
 *     households by install month and status, for every node;
 *   tz_agg_exit, tz_agg_dup, tz_agg_fault: the candidate rows of the
 *     household_exit, household_duplicate and tv_fault rules (rules.c). */

/* Checks that the summaries are current and rebuilds them when not (in one
 * transaction). Returns 1 when they may be read, 0 when they are switched
 * off or cannot be built (callers then read the ledgers), -1 with a diag on
 * a database error while rebuilding (d may be NULL). */
int tz_agg_ready(tz_store *s, tz_diags *d);

/* The indicator as evaluated on the summaries: a copy of def whose from,
 * where, value and date columns read a summary (alias g). Returns 1 when the
 * indicator has a summary form, 0 when it is read from the ledgers. */
int tz_agg_view(const tz_ind_def *def, tz_ind_def *view);
/* For a grouped read of the summary view: the HAVING condition that keeps
 * only groups holding ledger rows, or NULL when every group does. */
const char *tz_agg_having(const tz_ind_def *def);

/* The summary node of a resolved scope, for indicators whose rows are placed
 * by village: 1 with node and digits set, 0 when the scope holds no row (two
 * disjoint regions), -1 when the scope is not a whole region node (then the
 * ledgers are read). */
int tz_agg_node(const tz_scope_rt *rt, char node[13], int *digits);

/* Rule caches (rules.c): rebuilds tz_agg_exit, tz_agg_dup and tz_agg_fault
 * inside the caller's transaction. Returns 0 or -1 (diag). */
int tz_rules_build_caches(tz_store *s, tz_diags *d);

/* ---- targets (targets.c) -------------------------------------------------- */

/* The indicator measuring a 指标 of the targets ledger: one whose .target is
 * TZ_TARGET under its own name, or TZ_TARGET_ASPIRATION under "力争" + its
 * name. NULL when the name has no measure. */
const tz_ind_def *tzm_target_find(const char *name);
/* The targets ledger's 指标 words (ledger/defs.c), NULL-terminated, in order. */
const char *const *tzm_target_names(void);

/* A default target of the seed (domain.md §3): by unit kind, "市" for the
 * city as a whole. A unit's own row in the targets ledger replaces it. */
typedef struct tz_target_default {
    const char *who;    /* unit kind, or "市" for a city-wide target */
    const char *target; /* 指标 (a targets-ledger word) */
    double value;       /* target value */
} tz_target_default;
const tz_target_default *tzm_target_defaults(size_t *n);

#define TZ_LINES_MAX 64
/* Copies the poverty-line table, loading the default file when needed.
 * Returns 0, or -1 with a diag when no table can be loaded. */
int tz_lines_copy(int *years, double *lines, int *n, tz_diags *d);

/* ---- SQL builder ---------------------------------------------------------- */

#define TZ_Q_MAXP 24

/* One bound parameter: an integer, or text (owned copy for short values, or a
 * pointer that must outlive the query). */
typedef struct tz_qparam {
    int is_int;    /* 1 for an integer */
    long long i;   /* integer value */
    const char *s; /* text value (points at own[] or at caller memory) */
    char own[24];  /* storage for short computed text (dates, codes) */
} tz_qparam;

typedef struct tz_query {
    tz_buf sql;             /* SQL text with '?' placeholders */
    tz_qparam p[TZ_Q_MAXP]; /* parameters in placeholder order */
    int np;                 /* number of parameters */
    int overflow;           /* 1 when more than TZ_Q_MAXP were added */
} tz_query;

void tz_q_init(tz_query *q);
void tz_q_free(tz_query *q);
/* Appends "?" bound to text s. s is copied when short (< 24 bytes), else it
 * must outlive the query. */
void tz_q_text(tz_query *q, const char *s);
/* Appends "?" bound to an integer. */
void tz_q_int(tz_query *q, long long v);
/* Prepares and binds. Returns 0, or -1 with a diag naming the failure. */
int tz_q_prepare(tz_store *s, tz_query *q, tz_stmt **out, tz_diags *d);

/* Row callback of tz_q_run: 0 to go on, 1 to stop reading, -1 to fail (the
 * callback has said why, or is out of memory). */
typedef int (*tz_q_row_fn)(tz_stmt *st, void *acc);
/* Prepares q, calls fn for each row with acc, and frees q (always). With
 * trace, the query is traced once read (see tz_q_trace). A database error
 * names the indicator `name` when it is not NULL. Returns 0 or -1 (diag). */
int tz_q_run(tz_store *s, tz_query *q, const char *name, int trace, tz_q_row_fn fn, void *acc,
             tz_diags *d);

/* Query tracing for benchmarks: when the environment variable
 * TZ_METRICS_TRACE is set, tz_q_trace prints each query's time and SQL to
 * stderr. tz_q_now is a monotonic clock in milliseconds. */
double tz_q_now(void);
void tz_q_trace(const tz_query *q, double t0);

/* Appends the date condition of an indicator for a period and mode (nothing
 * when the indicator has no date or mode is TZ_MODE_ALL). Returns 1 when a
 * condition was written, 0 when none. */
int tz_q_date_cond(tz_query *q, const tz_ind_def *def, const tz_period *p, tz_mode mode);
/* Appends " AND <col> BETWEEN ? AND ?" for a region range. */
void tz_q_region(tz_query *q, const char *col, const char *lo, const char *hi);
/* Appends the filter of a range on a column holding codes of `level`
 * (TZ_LEVEL_NONE when any level): nothing when the range covers every
 * region of that level, the non-indexed form for wide ranges on SQLite
 * ((col || '') BETWEEN, a sequential scan beats 100 000s of index probes),
 * else the indexed BETWEEN. */
void tz_q_range(tz_query *q, const char *col, tz_level level, const tz_range *r);

/* The year-to-date window of a period: 1 January of its year to its end. */
void tz_period_ytd(const tz_period *p, tz_period *out);
/* Chinese basis text for a window: "2015年上半年", "2015年1月至7月累计". */
const char *tz_period_basis(const tz_period *p, char *buf, size_t sz);


/* A short list of Chinese names/keys joined by 、, at most max items, then
 * "等N个" when cut. */
typedef struct tz_namelist {
    tz_buf text; /* joined items */
    size_t n;    /* items seen */
    size_t max;  /* items written */
} tz_namelist;
void tz_namelist_add(tz_namelist *l, const char *item);
/* Finishes: returns the text (never NULL); the list keeps ownership. */
const char *tz_namelist_str(tz_namelist *l, const char *more_word);

#endif
