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
#include <lua.h>

/* One indicator evaluation behind a figure. */
typedef struct tzd_src {
    char *name;   /* indicator name */
    char *region; /* 12-digit region code, or NULL for the whole database */
    char *unit;   /* responsible unit, or NULL */
    char *period; /* period label ("2019", "2015-H1") */
    tz_mode mode; /* period, to date or all rows */
    char *by;     /* dimension of a grouped evaluation ("kind", "stage"), or NULL */
    char *group;  /* the group's key within that dimension, or NULL */
} tzd_src;

/* One figure written by fig(): a run of text and the evaluations behind it. */
typedef struct tzd_fig {
    char id[16];   /* anchor id in the 附件: "F1", "F2" … */
    char *text;    /* the figure as first written ("105个") */
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

#endif
