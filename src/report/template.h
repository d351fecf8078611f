/* template.h - what a report template declares about itself.
 *
 * Owns: the declaration a template opens with,
 *
 *     local R = report {
 *       kind = "investment",              -- the name of --kind; the file is <kind>.lua
 *       title = "开放招商工作情况",          -- what the report is called
 *       scope = { level = "市" },          -- the region it is written for (省 市 县 乡 村);
 *                                          -- unit = "县直单位": it speaks for a unit of
 *                                          -- that 单位类型 in that region (--unit)
 *       indicators = { "签约项目数", … },   -- every indicator the template evaluates
 *       facts = {                          -- figures the proofreader checks the text against
 *         { label = "签约项目", indicator = "签约项目数", window = "ytd" },
 *         { label = "{years}年建成的", indicator = "村级文化服务中心数",
 *           years_where = "应拨未拨奖补(万元)" },
 *       },
 *     }
 *
 * reading it without running the rest of the template (a bare Lua state
 * with no library at all, stopped at the declaration), listing the kinds
 * of a templates directory, and checking that a region and a unit fit the
 * declared scope. Every indicator name a declaration holds is resolved
 * with metrics/ when it is read: a misspelt name refuses the template.
 *
 * Does not own: running the template (report/draft.h, which gives the same
 * report{...} call to a drafting template and holds it to its declared
 * indicators), evaluating the facts (tz_draft_facts), or the wording.
 */
#ifndef TZ_TEMPLATE_H
#define TZ_TEMPLATE_H
#include "ledger/ledger.h"
#include "store/store.h"
#include "util/diag.h"
#include <lua.h>
#include <stddef.h>

/* The chunk name templates run under: Lua messages start "template:". */
#define TZ_TEMPLATE_CHUNK "=template"

/* The window of a fact when a period is given. */
typedef enum tz_fact_window {
    TZ_FACT_TODATE = 0, /* every row up to the end of the period (累计) */
    TZ_FACT_YTD = 1     /* from 1 January to the end of the period: how reports state flows */
} tz_fact_window;

/* One fact a report's figures are proofread against (proofread.h). */
typedef struct tz_template_fact {
    char *label;           /* wording next to the figure; "{years}" is replaced when years_where */
    char *indicator;       /* indicator that knows the value */
    tz_fact_window window; /* window when a period is given */
    char *years_where;     /* NULL, or: the value is indicator summed over the years in
                           * which this indicator is above zero (to date), and {years}
                           * in label becomes those years ("18、19") */
} tz_template_fact;

/* A template's declaration. */
typedef struct tz_template {
    char *path;              /* the file it was read from */
    char *kind;              /* report kind: 1-40 ASCII letters, digits, '-' and '_' */
    char *title;             /* the report's name */
    tz_level level;          /* region level the report is written for, TZ_LEVEL_NONE: any */
    char *unit;              /* NULL: no unit; else the unit it speaks for is required, of
                            * this 单位类型 of the units ledger ("县直单位") */
    char **indicators;       /* indicators the template evaluates */
    size_t nindicators;      /* their number */
    tz_template_fact *facts; /* facts for the proofreader */
    size_t nfacts;           /* their number */
} tz_template;

/* Reads the declaration of the template file at path. Returns 1 with *out
 * set (free with tz_template_free), 0 when the file declares nothing
 * before it ends or before it uses anything but plain Lua (a template for
 * --template may), with *out NULL and the reason in why (may be NULL), or
 * -1 with a diag naming the file and line: unreadable, not Lua, or a
 * malformed declaration (a field missing or of the wrong type, an unknown
 * level, an indicator unknown to metrics/). */
int tz_template_read(const char *path, tz_template **out, char *why, size_t whysz, tz_diags *d);

/* The same check of a declaration table at index idx of L, for the
 * drafter's report{...}: fills t (fields allocated, free with
 * tz_template_clear). Returns 0, or -1 with the reason in why. */
int tz_template_from_lua(lua_State *L, int idx, tz_template *t, char *why, size_t whysz);

/* Frees a template's fields, not the struct. */
void tz_template_clear(tz_template *t);
/* Frees a template read by tz_template_read. NULL is fine. */
void tz_template_free(tz_template *t);

/* The declared templates of a directory ("*.lua", by kind): *out holds *n
 * templates (free with tz_templates_free). A file whose declaration is
 * malformed, that declares nothing, or whose kind is not its file name is
 * reported as a warning in d and left out. Returns 0, or -1 with a diag
 * when the directory cannot be read. */
int tz_templates_list(const char *dir, tz_template ***out, size_t *n, tz_diags *d);
/* Frees a list from tz_templates_list. */
void tz_templates_free(tz_template **list, size_t n);

/* Reads a template file (at most 4 MiB) into a NUL-terminated *out the
 * caller frees; *len gets its length. Returns 0, or -1 with a diag. */
int tz_template_load_text(const char *path, char **out, size_t *len, tz_diags *d);

/* The file of a kind in dir: "<dir>/<kind>.lua". Writes into buf and returns
 * it, or NULL when kind is malformed (see tz_template.kind) or buf too small. */
const char *tz_template_path(const char *dir, const char *kind, char *buf, size_t sz);

/* Checks that the region code (and unit, may be NULL) fit the declared
 * scope. Returns 0 when they do, 1 with the Chinese reason in why when they
 * do not (a region of another level, a missing unit, a unit not in the
 * ledger, not of that region or not of the declared 单位类型), -1 with a diag when the database failed. */
int tz_template_check_scope(tz_store *s, const tz_template *t, const char *code, const char *unit,
                            char *why, size_t whysz, tz_diags *d);

/* The memory a template's Lua state may hold (the allocator's state). */
typedef struct tz_lua_budget {
    size_t mem;   /* bytes the state holds */
    size_t limit; /* cap on mem */
} tz_lua_budget;

/* A lua_Alloc whose ud is a tz_lua_budget: refuses to grow past its limit. */
void *tz_lua_budget_alloc(void *ud, void *ptr, size_t osize, size_t nsize);

/* 1 when the template declares the indicator in its indicators list. */
int tz_template_uses(const tz_template *t, const char *indicator);

#endif
