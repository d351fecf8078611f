/* metrics_impl.h - internal to metrics/: the indicator definition, the
 * dimensions, the summary forms and targets facts, region ranges, resolved
 * scopes, the data files, the duplicate-person table and the SQL builder.
 *
 * Owns: the shapes shared by the files of metrics/ (indicators.c data,
 * dims.c, eval.c, keyfigs.c, targets.c, rules.c, datafiles.c, dupes.c,
 * quality.c, summary.c, query.c, region.c, period.c). Nothing here is part of the
 * public API (metrics.h); no file outside metrics/ includes it.
 *
 * Names: public functions and types are tz_ (metrics.h); everything declared
 * here is tzm_ (functions, types) or TZM_ (macros, enum constants), so a
 * tzm_ call is internal wherever it is read; file-local helpers are static
 * and start with _ and a lowercase letter.
 */
#ifndef TZ_METRICS_IMPL_H
#define TZ_METRICS_IMPL_H
#include "metrics/metrics.h"
#include "util/buf.h"
#include <pthread.h>
#include <stdint.h>

/* How an indicator is computed. */
typedef enum tzm_ind_kind {
    TZM_IND_SQL = 0,    /* one aggregate over the ledger rows */
    TZM_IND_RATIO,      /* a / b * scale (NAN when b is 0) */
    TZM_IND_DIFF,       /* a - b */
    TZM_IND_GROWTH,     /* (a - a one year earlier) / (a one year earlier) * 100 */
    TZM_IND_UNAVAILABLE /* cannot be computed from the ledgers: reason says why */
} tzm_ind_kind;

/* A named grouping expression for tz_indicator_eval_by; an indicator lists
 * its own in an array ended by a row with name NULL, whose first entry is
 * also its "kind". */
typedef struct tzm_dim_def {
    const char *name;  /* --by name, e.g. "stage" */
    const char *label; /* Chinese label (the ledger's column), e.g. "阶段" */
    const char *expr;  /* SQL expression over the indicator's aliases */
} tzm_dim_def;

/* How an indicator is read from the summaries (summary.c keeps the tables
 * tz_agg_hh and tz_agg_tv, alias g). from NULL: it has no summary form. */
typedef struct tzm_agg_form {
    const char *from;               /* summary FROM clause, or NULL */
    const char *where;              /* condition on the summary, or NULL */
    const char *value;              /* aggregate over the summary */
    const char *date_col;           /* summary date column */
    tz_coltype date_type;           /* its type */
    const char *end_col;            /* interval end column, or NULL */
    const char *having;             /* grouped: keeps the groups that hold ledger rows, or NULL */
    const struct tzm_dim_def *dims; /* the --by groupings the summary keeps (expressions
                                       over g), or NULL: the others read the ledger */
} tzm_agg_form;

/* Whether an indicator may be a 指标 of the targets ledger (targets.c). */
typedef enum tzm_target_kind {
    TZM_TARGET_NONE = 0,      /* not a target */
    TZM_TARGET = 1,           /* a target under its own name */
    TZM_TARGET_ASPIRATION = 2 /* a 力争 target, named "力争" + its name: never failed */
} tzm_target_kind;

/* One indicator, as data. SQL fragments are fixed text (no user input):
 * `from` may hold the token {date}, where the period condition is placed
 * (inside a LEFT JOIN's ON, for "rows without ..." indicators); otherwise
 * the condition goes into WHERE. Rows are written with designated
 * initialisers; a field left out is zero. */
typedef struct tzm_ind_def {
    tz_indicator pub;       /* public part: name, unit, ledger, summary */
    tzm_ind_kind kind;      /* how it is computed */
    const char *from;       /* FROM clause with aliases (TZM_IND_SQL) */
    const char *where;      /* fixed filter, or NULL */
    const char *value;      /* aggregate expression, e.g. "COUNT(*)" */
    const char *region_col; /* region code column used for roll-up */
    tz_level region_level;  /* level the column is guaranteed to hold (import checks it), or NONE */
    const char
        *unit_col; /* 责任单位/帮扶单位 column, or NULL (a unit scope then means its region) */
    const char *date_col; /* date column, or NULL (a snapshot) */
    tz_coltype date_type; /* TZ_COL_DATE, TZ_COL_MONTH or TZ_COL_YEAR */
    const char *end_col;  /* end of an interval (帮扶 until, 脱贫年度), or NULL for a point */
    int stock;            /* 1: a level as of the period's end, whatever the mode */
    const char *key_expr; /* provenance: the row key text (key columns joined by '/') */
    const tzm_dim_def *dims; /* the ledger's own --by categories, or NULL */
    const char *a;           /* first component (RATIO, DIFF, GROWTH) */
    const char *b;           /* second component (RATIO, DIFF) */
    double scale;            /* RATIO multiplier (100 for a percentage) */
    const char *reason;      /* TZM_IND_UNAVAILABLE: Chinese explanation; RATIO: why a zero
                                 denominator is an error */
    tzm_agg_form agg;        /* summary form (summary.c), or from NULL */
    tzm_target_kind target;  /* may be a 指标 of the targets ledger */
    int target_additive;     /* 1: a city's target is the sum of its 县区 units' targets */
    int year_source;         /* 1: date_col of pub.ledger counts for tz_period_latest */
} tzm_ind_def;

const tzm_ind_def *tzm_ind_defs(size_t *n);
const tzm_ind_def *tzm_ind_def_find(const char *name);
/* The dimension called name in an indicator's list ("kind" is the first),
 * or NULL. */
const tzm_dim_def *tzm_dim_find(const tzm_dim_def *dims, const char *name);

/* 1 when the indicator (or, for a composite, every part of it) has a unit
 * column, so it can be split and scoped by unit (dims.c). */
int tzm_has_unit_col(const tzm_ind_def *def);
/* tz_indicator_dim_list for a definition (NULL gives 0). */
size_t tzm_dim_list(const tzm_ind_def *def, tz_dim *out, size_t max);

/* ---- regions -------------------------------------------------------------- */

/* Significant digits of a level's codes: 省 2, 市 4, 县 6, 乡 9, 村 12. */
/* The code range [lo, hi] of a region and all its descendants, and its
 * significant digits (may be NULL). Uses the stored level, or the code's
 * trailing zeros when the region is not stored. Returns 1 when stored, 0
 * when derived, -1 on a database error. */
int tzm_region_range(tz_store *s, const char *code, char lo[13], char hi[13], int *digits);
/* SQL for the code of the ancestor of level digits (> 0) of the region in
 * column col: its first digits characters padded with 0s, or with 9s when
 * nines (the last code under that ancestor). The summaries' roll-ups and
 * their follow group and range by it. */
void tzm_prefix_sql(const char *col, int digits, int nines, char *out, size_t sz);
/* Which levels the range covers completely: bit (1 << level) is set when no
 * stored region of that level lies outside [lo, hi]. Returns 0 or -1. */
int tzm_region_covers(tz_store *s, const char *lo, const char *hi, unsigned *covers);

/* A region range ready for filtering: the range, its width and what it covers. */
typedef struct tzm_range {
    char lo[13];     /* low end */
    char hi[13];     /* high end */
    int digits;      /* significant digits of the region (2 province ... 12 village) */
    unsigned covers; /* levels covered completely (see tzm_region_covers) */
    int scan;        /* 1: a range holding most villages on SQLite, filtered without the
                        index (a scan is faster than probing most rows) */
} tzm_range;

/* Fills a range for a region code. Returns 0 or -1 (database error). */
int tzm_range_of(tz_store *s, const char *code, tzm_range *r);

/* ---- resolved scope ------------------------------------------------------- */

/* A scope with its code ranges looked up once. */
typedef struct tzm_scope_rt {
    int has_region;      /* 1 when restricted to a region */
    tzm_range range;     /* the region's range */
    char region[13];     /* the region code */
    const char *unit;    /* unit name, or NULL */
    int has_unit_region; /* 1 when the unit has a region (used when an indicator has no unit column)
                          */
    tzm_range urange;    /* the unit's region range */
    char unit_kind[32];  /* the unit's kind (县区/专题招商组/市直单位/县直单位) */
    char unit_region[13]; /* the unit's region code */
    int agg;              /* 1: the summaries (summary.c) match the ledgers and may be read */
} tzm_scope_rt;

/* Looks up the scope's ranges. Returns 0, or -1 with a diag (unknown unit,
 * database error). */
int tzm_scope_resolve(tz_store *s, const tz_scope *sc, tzm_scope_rt *rt, tz_diags *d);

/* Evaluation with a resolved scope (see tz_indicator_eval). */
int tzm_eval_rt(tz_store *s, const tzm_ind_def *def, const tzm_scope_rt *rt, const tz_period *p,
                tz_mode mode, double *value, tz_diags *d);

/* ---- summaries (summary.c) ------------------------------------------------
 * Pre-aggregated tables kept in the database next to the ledgers and rebuilt
 * when the data version (tz_meta 'data_version', bumped by triggers on every
 * ledger write) differs from the one they were built from:
 *   tz_agg_hh (node, digits, yi, ye, n, members): households by 识别年度 and
 *     脱贫年度, for every region node (village 12 digits, township 9, county
 *     6, city 4, province 2, and '' with digits 0 for the whole database);
 *   tz_agg_pm (node, yi, ye, members): the same households' members for
 *     the villages alone, without the install month (a village's
 *     贫困发生率 reads a few rows);
 *   tz_agg_tv (node, digits, month, status, n): 户户通 installs of registered
 *     households by install month and status, for every node;
 *   tz_agg_exit, tz_agg_dup, tz_agg_fault: the candidate rows of the
 *     household_exit, household_duplicate and tv_fault rules (rules.c);
 *   tz_agg_null: the counts of inputs not recorded (quality.c). */

/* Checks that the summaries are current and rebuilds them when not (in one
 * transaction). Returns 1 when they may be read, 0 when they are switched
 * off or cannot be built (callers then read the ledgers), -1 with a diag on
 * a database error while rebuilding (d may be NULL). */
int tzm_agg_ready(tz_store *s, tz_diags *d);

/* The indicator as evaluated on the summaries: a copy of def whose from,
 * where, value and date columns read a summary (alias g). Returns 1 when the
 * indicator has a summary form, 0 when it is read from the ledgers. */
int tzm_agg_view(const tzm_ind_def *def, tzm_ind_def *view);
/* For a grouped read of the summary view: the HAVING condition that keeps
 * only groups holding ledger rows, or NULL when every group does. */
const char *tzm_agg_having(const tzm_ind_def *def);

/* The summary node of a resolved scope, for indicators whose rows are placed
 * by village: 1 with node and digits set, 0 when the scope holds no row (two
 * disjoint regions), -1 when the scope is not a whole region node (then the
 * ledgers are read). */
int tzm_agg_node(const tzm_scope_rt *rt, char node[13], int *digits);

/* The WHERE clause selecting the exited households that may fail the exit
 * standard under the given poverty lines (rules.c: the household_exit rule
 * checks them exactly; summary.c caches them in tz_agg_exit). */
void tzm_exit_cond(tz_buf *sql, const int *years, const double *lines, int n);

/* The ledger a rule's findings name (rules.c), or NULL for an unknown id. */
const char *tzm_rule_ledger(const char *id);

/* The inputs of rule i of the rule table (rules.c), in table order: its
 * summary and what it reads (a row rule's SQL; a coded rule's columns,
 * "ledger.column" words). Returns 1, or 0 past the last rule. */
int tzm_rule_inputs(size_t i, const char **summary, const char **reads);

/* ---- inputs not recorded (quality.c) ---------------------------------------
 * The columns the indicators and rules read whose NULL means "not recorded"
 * (read off indicators.c and the rule table), and the data-quality findings
 * for the rows of a scope that have none. */

/* Ledgers, and columns of one ledger, that quality.c can check. */
#define TZM_UNREC_MAX_LEDGERS 32
#define TZM_UNREC_MAX_COLS 64
/* Adds a blank finding of the calling rule (its id and level set), owned by
 * the caller's list. NULL when out of memory. */
typedef tz_finding *(*tzm_finding_add_fn)(void *ctx);
/* One finding per checked column with rows of the scope that hold no value:
 * ledger, count (no keys) and a message ("鹿邑县有3户未记录贫困户属性(影响:
 * …)"; where: the scope's words, or ""). Counts from tz_agg_null when
 * rt->agg, else from the ledgers. Returns 0, or -1 with a diag. */
int tzm_unrecorded_check(tz_store *s, const tzm_scope_rt *rt, const char *where,
                         tzm_finding_add_fn add, void *ctx, tz_diags *d);
/* The village gap rows of every ledger, as tzm_unrecorded_cache counts
 * them, read ahead (on summary.c's second connection, while the rebuild
 * writes) and written by it. */
typedef struct tzm_gaps tzm_gaps;
/* Counts them on r into *out (tzm_gaps_free it). Returns 0, or -1 with a
 * diag (*out NULL). */
int tzm_gaps_read(tz_store *r, tzm_gaps **out, tz_diags *d);
void tzm_gaps_free(tzm_gaps *g); /* safe on NULL */
/* Rebuilds tz_agg_null (inside summary.c's rebuild transaction): the gaps
 * of every ledger counted by region code, unit and column; the village
 * rows pre read when not NULL (of the same data), else counted on s.
 * Returns 0, or -1 with a diag. */
int tzm_unrecorded_cache(tz_store *s, const tzm_gaps *pre, tz_diags *d);
/* Updates tz_agg_null for the villages of tz_agg_touched that satisfy
 * `touched` (a condition on it, "to_dv > N"): the ledgers counted by a
 * household's village (households, tv_installs), their rows of those
 * villages and of none, and their region nodes. Returns 0, or -1 with a diag. */
int tzm_unrecorded_follow(tz_store *s, const char *touched, tz_diags *d);
/* Counts again, whole, the gaps of ledger id and of every ledger whose
 * region or unit is read through it (a write of a ledger no village
 * summary reads: summary.c). Returns 0 or -1 with a diag. */
int tzm_unrecorded_ledger(tz_store *s, const char *id, tz_diags *d);
/* The checked columns as text ("households:kind,cause;…"), for the
 * summaries' version: another binary's choice rebuilds tz_agg_null. */
const char *tzm_unrecorded_layout(void);
/* 1 when column col of l is checked for gaps, else 0. */
int tzm_unrecorded_checked(const tz_ledger *l, int col);

/* ---- targets (targets.c) -------------------------------------------------- */

/* The indicator measuring a 指标 of the targets ledger: one whose .target is
 * TZM_TARGET under its own name, or TZM_TARGET_ASPIRATION under "力争" + its
 * name. NULL when the name has no measure. */
const tzm_ind_def *tzm_target_find(const char *name);
/* The targets ledger's 指标 words (ledger/defs.c), NULL-terminated, in order. */
const char *const *tzm_target_names(void);

/* A default target of the seed (domain.md §3): by unit kind, "市" for the
 * city as a whole. A unit's own row in the targets ledger replaces it. */
typedef struct tzm_target_default {
    const char *who;      /* unit kind, or "市" for a city-wide target */
    const char *target;   /* 指标 (a targets-ledger word) */
    double value;         /* target value */
    const char *parts[2]; /* city-wide: the units' 指标 whose rows, added up, it is compared with */
} tzm_target_default;
const tzm_target_default *tzm_target_defaults(size_t *n);

/* ---- key figures (keyfigs.c) ---------------------------------------------- */

/* One key figure of the check: an indicator in a mode, maybe split. */
typedef struct tzm_key_figure_def {
    const char *indicator; /* indicator name (indicators.c); NULL ends a list */
    tz_mode mode;          /* period, to date (累计) or snapshot */
    const char *by;        /* split dimension key, or NULL */
} tzm_key_figure_def;

/* A heading of the key figures and its figures. */
typedef struct tzm_key_topic {
    const char *topic;                 /* heading, e.g. "驻村帮扶" */
    const tzm_key_figure_def *figures; /* its figures, ended by a row with indicator NULL */
} tzm_key_topic;
const tzm_key_topic *tzm_key_topics(size_t *n);

/* ---- data files (datafiles.c) --------------------------------------------- */

#define TZM_LINES_MAX 64
/* Copies the poverty-line table, loading the default file when needed.
 * Returns 0, or -1 with a diag when no table can be loaded. */
int tzm_lines_copy(int *years, double *lines, int *n, tz_diags *d);

/* ---- duplicate persons (dupes.c) ------------------------------------------ */

/* FNV-1a over a string, from h (TZM_FNV_INIT to start). */
#define TZM_FNV_INIT 1469598103934665603ULL
uint64_t tzm_fnv(uint64_t h, const char *s);

/* The rows of one scan of households, hashed by person (户主姓名 + birth
 * date). Zero it to start; tzm_dupes_free frees what it holds. */
typedef struct tzm_dupes {
    struct tzm_part *parts;  /* while scanning: the rows by partition (dupes.c) */
    struct tzm_person *dups; /* after: the persons seen in two villages (dupes.c) */
    size_t dcap, ndup;       /* its slots (a power of two) and entries */
    uint64_t *rhash;         /* per row: its person's hash */
    uint32_t *rhh;           /* per row: offset of its 户编号 in the arena */
    size_t nrows;            /* rows seen */
    size_t rcap;             /* allocated rows */
    tz_buf arena;            /* 户编号 texts, NUL-separated */
    int oom;                 /* out of memory (or more than 4 GB of keys) */
} tzm_dupes;

/* Adds one household row (tzm_dupes_scan's rows; whether it is a
 * duplicate is known after the scan). Returns 0, or -1 when out of memory
 * (x->oom). */
int tzm_dupes_add(tzm_dupes *x, const char *name, const char *id_number, const char *village,
                  const char *hh);
/* Runs q (always freed; columns name, id number, village, 户编号) into x.
 * Returns 0, or -1 with a diag (out of memory, database error). */
struct tzm_query;
int tzm_dupes_scan(tz_store *s, struct tzm_query *q, tzm_dupes *x, tz_diags *d);
/* 1 when row's person was seen in two villages. */
int tzm_dupes_is_dup(const tzm_dupes *x, size_t row);
/* The 户编号 of a row (owned by x). */
const char *tzm_dupes_hh(const tzm_dupes *x, size_t row);
/* Frees what x holds (not x); NULL is fine. */
void tzm_dupes_free(tzm_dupes *x);

/* ---- SQL builder ---------------------------------------------------------- */

#define TZM_Q_MAXP 24

/* One bound parameter: an integer, a text, or NULL. */
typedef struct tzm_qparam {
    int is_int;  /* 1 for an integer */
    int is_null; /* 1 for SQL NULL (a NULL text) */
    long long i; /* integer value */
    size_t off;  /* text value: offset of its copy in tzm_query.texts */
} tzm_qparam;

typedef struct tzm_query {
    tz_buf sql;               /* SQL text with '?' placeholders */
    tz_buf texts;             /* copies of the text parameters, NUL-separated */
    tzm_qparam p[TZM_Q_MAXP]; /* parameters in placeholder order */
    int np;                   /* number of parameters */
    int overflow;             /* 1 when more than TZM_Q_MAXP were added, or out of memory */
} tzm_query;

void tzm_q_init(tzm_query *q);
/* Frees the text and the parameter copies (q itself is the caller's). */
void tzm_q_free(tzm_query *q);
/* Appends "?" bound to text s (NULL binds SQL NULL). The query always keeps
 * its own copy of s: the caller's string may change or go away at once. */
void tzm_q_text(tzm_query *q, const char *s);
/* Appends "?" bound to an integer. */
void tzm_q_int(tzm_query *q, long long v);
/* Prepares and binds. Returns 0, or -1 with a diag naming the failure. */
int tzm_q_prepare(tz_store *s, tzm_query *q, tz_stmt **out, tz_diags *d);

/* Row callback of tzm_q_run: 0 to go on, 1 to stop reading, -1 to fail (the
 * callback has said why, or is out of memory). */
typedef int (*tzm_q_row_fn)(tz_stmt *st, void *acc);
/* Prepares q, calls fn for each row with acc, and frees q (always). With
 * trace, the query is traced once read (see tzm_q_trace). A database error
 * names the indicator `name` when it is not NULL. Returns 0 or -1 (diag). */
int tzm_q_run(tz_store *s, tzm_query *q, const char *name, int trace, tzm_q_row_fn fn, void *acc,
              tz_diags *d);

/* Query tracing for benchmarks: when the environment variable
 * TZ_METRICS_TRACE is set, tzm_q_trace prints each query's time and SQL to
 * stderr. tzm_q_now is a monotonic clock in milliseconds. */
double tzm_q_now(void);
void tzm_q_trace(const tzm_query *q, double t0);

/* Appends the date condition of an indicator for a period and mode (nothing
 * when the indicator has no date or mode is TZ_MODE_ALL). Returns 1 when a
 * condition was written, 0 when none. */
int tzm_q_date_cond(tzm_query *q, const tzm_ind_def *def, const tz_period *p, tz_mode mode);
/* Appends " AND <col> BETWEEN ? AND ?" for a region range. */
void tzm_q_region(tzm_query *q, const char *col, const char *lo, const char *hi);
/* Appends the filter of a range on a column holding codes of `level`
 * (TZ_LEVEL_NONE when any level): nothing when the range covers every
 * region of that level, the non-indexed form for a range holding most
 * villages on SQLite ((col || '') BETWEEN, a sequential scan beats 100 000s
 * of index probes), else the indexed BETWEEN. */
void tzm_q_range(tzm_query *q, const char *col, tz_level level, const tzm_range *r);
/* Restricts q to the scope on def's region and unit columns: the region
 * range, and a unit by its unit column, else by the unit's region. Returns
 * 0 when a unit scope could not be applied (no unit column and a unit
 * without region: the rows are then not the unit's), else 1. */
int tzm_q_scope(tzm_query *q, const tzm_ind_def *def, const tzm_scope_rt *rt);

/* The year-to-date window of a period: 1 January of its year to its end. */
void tzm_period_ytd(const tz_period *p, tz_period *out);
/* Chinese basis text for a window: "2015年上半年", "2015年1月至7月累计". */
const char *tzm_period_basis(const tz_period *p, char *buf, size_t sz);
/* The last whole year of a period: the year of its end, or the year before
 * when it ends before 31 December ("2015-07" gives 2014). */
int tzm_period_last_year(const tz_period *p);

/* ---- small helpers (query.c) ----------------------------------------------- */

/* Appends one zeroed element of `size` bytes to a growable array: arr points
 * at the array pointer (NULL at first), *n is its length and *cap its
 * capacity, doubled from `first`. Returns the new element, or NULL when out
 * of memory (the array is then unchanged). */
void *tzm_push(void *arr, size_t *n, size_t *cap, size_t size, size_t first);
/* The public part at the head of each row of a static table, as a dense
 * array built on first use (thread-safe): the rows of tz_indicator_all and
 * tz_rules_all. Declare with TZM_VIEW(dst, src). */
typedef struct tzm_view {
    pthread_mutex_t lock; /* guards ready */
    int ready;            /* 1 once dst is filled */
    void *dst;            /* dense array of n parts */
    size_t size;          /* bytes of one part */
    const void *src;      /* the table */
    size_t stride;        /* bytes of one row */
    size_t n;             /* rows */
} tzm_view;
#define TZM_VIEW(dst, src)                                                                         \
    {                                                                                              \
        PTHREAD_MUTEX_INITIALIZER, 0, (dst), sizeof((dst)[0]), (src), sizeof((src)[0]),            \
            sizeof(src) / sizeof((src)[0])                                                         \
    }
/* The dense array of v, filled on the first call. */
const void *tzm_view_get(tzm_view *v);

/* A short list of Chinese names/keys joined by 、, at most max items, then
 * "等N个" when cut. */
typedef struct tzm_namelist {
    tz_buf text; /* joined items */
    size_t n;    /* items seen */
    size_t max;  /* items written */
} tzm_namelist;
void tzm_namelist_add(tzm_namelist *l, const char *item);
/* Finishes: returns the text (never NULL); the list keeps ownership. */
const char *tzm_namelist_str(tzm_namelist *l, const char *more_word);

#endif
