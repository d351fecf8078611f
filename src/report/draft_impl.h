/* draft_impl.h - internal to the drafter: the run context shared by draft.c
 * (state, sandbox, errors, appendix), draft_api.c (the template API) and
 * draft_facts.c. Nothing here is part of the public API.
 *
 * Names: everything declared here is tzd_ (the drafter's internal prefix,
 * as metrics/ has tzm_ and the proofreader tzpr_), so a tzd_ call is
 * internal wherever it is read; the public API is report/draft.h's tz_draft_.
 */
#ifndef TZ_DRAFT_IMPL_H
#define TZ_DRAFT_IMPL_H
#include "report/draft.h"
#include "report/template.h"
#include "util/hmap.h"
#include <lua.h>

/* One indicator evaluation behind a figure. */
typedef struct tzd_src {
    char *name;    /* indicator name */
    char *region;  /* 12-digit region code, or NULL for the whole database */
    char *unit;    /* responsible unit, or NULL */
    char *period;  /* period label ("2019", "2015-H1") */
    tz_mode mode;  /* period, to date or all rows */
    char *by;      /* dimension of a grouped evaluation ("kind", "stage"), or NULL */
    char *group;   /* the group's key within that dimension, or NULL */
    int ytd;       /* 1: from 1 January to the period's end (mode "ytd", evaluated as period) */
    size_t target; /* a target value (targets()' target_src): index + 1 into the run's
                      targets, name/region/unit/period then describe it; 0 for an indicator */
} tzd_src;

/* A target targets() handed to the template, which target_src points to. */
typedef struct tzd_target {
    char unit[128];      /* responsible unit, or the region's name for a region-wide target */
    char unit_kind[32];  /* its kind, or "" for a region-wide target */
    char region[13];     /* region code */
    int year;            /* target year */
    char name[96];       /* the target (targets ledger 指标) */
    char indicator[128]; /* the indicator that measures it */
    double value;        /* the target value, in the indicator's unit */
    int is_default;      /* 1 when a default rule sets it */
    char origin[240];    /* where the value comes from (tz_target_result.origin) */
} tzd_target;

/* One figure written by fig(): a run of text and the evaluations behind it. */
typedef struct tzd_fig {
    char id[16];   /* anchor id in the 附件: "F1", "F2" … */
    char *text;    /* the figure as written ("105个"); part of its identity */
    char *how;     /* calc(): how the template computed it, or NULL for fig() */
    double value;  /* calc(): the value the template gives (as printed), else NAN */
    char *key;     /* identity: the sources serialised, to reuse the id */
    tzd_src *srcs; /* the evaluations behind it */
    size_t nsrcs;  /* number of sources */
} tzd_fig;

/* Something to free when the run ends, should a Lua error skip its owner. */
typedef struct tzd_hold {
    void *p;            /* the pointer, or NULL once released */
    void (*fn)(void *); /* how to free it */
} tzd_hold;

/* The state of one drafting run. */
typedef struct tzd_ctx {
    tz_store *s;            /* the database */
    const tz_draft_opts *o; /* the caller's options */
    tz_diags *d;            /* where errors and warnings go */
    tz_period period;       /* the report's period */
    char region[13];        /* the report's region code */
    char region_name[128];  /* its name */
    tz_level region_level;  /* its level */
    char tpl_name[128];     /* template file name shown in diagnostics */
    tz_doc *doc;            /* the document, once title() was called */
    tzd_fig *figs;          /* figures recorded by fig(), in first-use order */
    size_t nfigs;           /* number of figures */
    size_t capfigs;         /* allocated figures */
    tz_hmap *figs_ix;       /* figure key -> index + 1 (a national report has thousands) */
    tzd_target *targets;    /* targets handed out by targets(), in first-use order */
    size_t ntargets;        /* number of targets */
    size_t captargets;      /* allocated targets */
    tz_hmap *targets_ix;    /* target identity (_target_key) -> index + 1 */
    tz_period list_p;       /* the period of the targets() call being pushed */
    tzd_hold *holds;        /* pending frees */
    size_t nholds;          /* used hold slots */
    size_t capholds;        /* allocated hold slots */
    tz_lua_budget budget;   /* the Lua state's memory and its cap */
    long long steps;        /* VM instructions run (counted in hook steps) */
    long long max_steps;    /* cap on steps */
    int err_line;           /* template line of the last error, or 0 */
    int declared;           /* 1 once the template ran report{...} */
    tz_template decl;       /* what it declared: it may evaluate only decl.indicators */
} tzd_ctx;

/* The run context of a Lua state (stored in its extra space). */
tzd_ctx *tzd_ctx_of(lua_State *L);

/* Keeps p to be freed by fn when the run ends; returns the slot for
 * tzd_release. On out-of-memory frees p at once and raises a Lua error. */
size_t tzd_hold_ptr(lua_State *L, void *p, void (*fn)(void *));
/* Frees the held pointer now. */
void tzd_release(tzd_ctx *c, size_t slot);

/* Registers the template API as globals of L (draft_api.c). */
void tzd_api_open(lua_State *L);

/* Appends the Chinese words of a mode's window for a period:
 * "2019年", "截至2019年底", "全部记录". buf gets the text. */
const char *tzd_window_words(const tz_period *p, tz_mode mode, char *buf, size_t sz);
/* The month of the year a period ends in (1..12). */
int tzd_end_month(const tz_period *p);
/* "2019年底", "2015年6月底": the end of a period in words. */
const char *tzd_end_words(const tz_period *p, char *buf, size_t sz);

/* Frees a source's strings (not the struct). */
void tzd_src_clear(tzd_src *src);

/* The value behind a source, in its indicator's unit (a target source: the
 * target value). Returns 0 with *v set (NAN when undefined), or -1 with the
 * reason in tmp. *unit gets the indicator's unit word (static, may be ""). */
int tzd_src_value(tzd_ctx *c, const tzd_src *src, double *v, const char **unit, tz_diags *tmp);
/* The window a source is evaluated over: its period, or 1 January to its
 * end for a ytd source. Returns 0, or -1 (bad period; *why set). */
int tzd_src_window(const tzd_src *src, tz_period *w, const char **why);
/* "2015年1至9月": the words of 1 January to p's end (p's own words when it
 * starts in January). */
const char *tzd_ytd_words(const tz_period *p, char *buf, size_t sz);

/* ---- numbers in text (draft_num.c) ---- */

/* The first figure written in text: "105个", "1.2亿元", "30多万元", "两个乡",
 * "三分之一", "一半", "2.9倍", "64.5%". */
typedef struct tzd_textnum {
    double lo, hi;    /* the true values the wording allows (万/亿 applied; a fraction's
                         or a percentage's value as written: 1/3, 64.5) */
    double scale;     /* 1, 1e4 or 1e8: the 万/亿 the text applies */
    int percent;      /* 1 when followed by % */
    int fraction;     /* 1 for "X分之Y", "一半" */
    size_t off, len;  /* where the figure is in text (bytes), 万/亿/多/余 included */
    const char *unit; /* the text right after the figure (points into text) */
} tzd_textnum;

/* Finds the first figure in text. Returns 1 with *out set, or 0 when none. */
int tzd_text_number(const char *text, tzd_textnum *out);
/* 1 when a table cell's text is a figure: an Arabic number with at most a
 * short unit ("4809", "54.1%", "2035万美元"), not a year or date ("2018年",
 * "2015-06-30") or a label that mentions a number ("引进3亿元以上项目"). */
int tzd_cell_number(const char *text);
/* 1 when value v, measured in unit (an indicator's unit word: "万元", "%",
 * "个"; NULL or "" for a bare number), is the figure n as written. */
int tzd_number_matches(const tzd_textnum *n, double v, const char *unit);

#endif
