/* draft.h - drafting reports (汇报材料) from the ledgers with Lua templates.
 *
 * Owns: running a report template (templates/<kind>.lua, Lua 5.4) in a
 * sandboxed Lua state (only the base, string, table, math and utf8
 * libraries; no os, io, load, require or random numbers), the API the
 * template sees (indicators, targets, findings, regions, ledger rows, number
 * wording, document builders), the provenance of every figure the template
 * writes (indicator, scope, period and mode, recorded by fig(); a computed
 * number's inputs and computation, by calc(); a target value's origin) and
 * the check that the number written is its source's value, the 附件
 * listing built from it (tz_indicator_explain; regions by name, the 计算值
 * as printed), turning Lua errors into
 * Chinese diagnostics that name the template file and line, and evaluating
 * the facts (贫困村 105个 …) templates declare for the proofreader.
 *
 * Does not own: indicator definitions and evaluation (metrics/), number
 * wording rules (report/numword.h), the document model and file formats
 * (io/doc.h, report/render.h, io/docx.h), proofreading itself
 * (report/proofread.h), what a template declares (report/template.h), or
 * the wording of a report (the template files).
 *
 * The template API is documented at the top of draft_api.c; the two
 * templates (templates/poverty-work.lua, templates/investment.lua) are the
 * worked examples.
 */
#ifndef TZ_DRAFT_H
#define TZ_DRAFT_H
#include "metrics/metrics.h"
#include "io/doc.h"
#include "report/proofread.h"
#include "report/template.h"
#include "store/store.h"
#include "util/diag.h"
#include <stddef.h>

/* One evaluation behind a figure of a draft, as fig() recorded it. */
typedef struct tz_draft_source {
    char id[16];     /* the figure's id: the ref of its runs and cells ("F1") */
    char *text;      /* the figure as first written ("105个") */
    char *indicator; /* indicator name */
    char *region;    /* 12-digit region code, or NULL (the whole database) */
    char *unit;      /* responsible unit, or NULL */
    char *period;    /* period label ("2019") */
    tz_mode mode;    /* period, to date or all rows */
    char *by;        /* dimension of a grouped evaluation, or NULL */
    char *group;     /* the group's key in it, or NULL */
    int ytd;         /* 1: over 1 January to the period's end (period is the report's) */
    int target;      /* 1: the figure is the target value of indicator for unit/region in
                        period's year (targets()' target_src), not the indicator's value */
    char *note;      /* target: the 附件's words for it (unit or region, year, value, origin) */
    char *how;       /* calc(): how the figure is computed from its sources, else NULL */
} tz_draft_source;

/* The sources of every figure of a draft, in first-use order (a figure
 * computed from several has one entry each, with the same id). */
typedef struct tz_draft_sources {
    tz_draft_source *items; /* the sources */
    size_t n;               /* how many */
} tz_draft_sources;
/* Frees what *s holds (s may be NULL); *s is then empty. */
void tz_draft_sources_free(tz_draft_sources *s);

/* What to draft. Strings are the caller's and must outlive the call. */
typedef struct tz_draft_opts {
    const char *template_path; /* Lua template file to run */
    const char *region;        /* 12-digit region code the report is about */
    const char *unit;          /* responsible unit the report speaks for, or NULL */
    const char *period;        /* period text: "2019", "2015-H1", "2015-Q3", "2015-07" */
    int appendix;              /* 1: add the 附件 with the provenance of every figure */
    const char *date; /* 成文日期 of the 落款 "YYYY-MM-DD", or NULL: the period's last day */
    size_t max_keys;  /* ledger keys listed per figure in the 附件 (0: 20) */
    size_t mem_limit; /* cap on the Lua state's memory in bytes (0: 256 MiB) */
    long long max_steps;       /* cap on Lua VM instructions (0: 2 000 000 000) */
    tz_draft_sources *sources; /* when not NULL: receives the figures' sources (caller frees
                                  with tz_draft_sources_free; the web page's links) */
} tz_draft_opts;

/* Counts of what a draft holds, for the caller's summary line. */
typedef struct tz_draft_stats {
    size_t figures; /* distinct figures recorded by fig() */
    size_t blocks;  /* document blocks (headings, paragraphs, tables, charts) */
} tz_draft_stats;

/* Runs the template and returns the drafted document in *out, which the
 * caller frees with tz_doc_free. stats may be NULL. Returns 0, or -1 with
 * Chinese diagnostics in d: bad period or region, template missing or
 * unreadable, a Lua error (file and line of the template), an indicator that
 * failed to evaluate, a document the template left unfinished. The
 * template's warn() calls become warnings in d. */
int tz_draft_report(tz_store *s, const tz_draft_opts *o, tz_doc **out, tz_draft_stats *stats,
                    tz_diags *d);

/* tz_draft_report in a child process (report/draft_child.c), for templates
 * that may hang where the instruction cap cannot stop them (a slow
 * string.find, a looping __gc finaliser): the child opens the database uri
 * itself (with open_flags, as tz_store_open), drafts under a CPU and a
 * wall-clock limit of TZ_TEMPLATE_SECONDS seconds (environment; default
 * 60) and a 2 GiB address-space limit, and sends back the diagnostics and
 * the document, which is rebuilt here exactly. Returns as tz_draft_report;
 * a template stopped at the limit gives the error "模板运行超过N秒,已停止:
 * <file>", a crashed child "模板运行异常终止…". Writes no file. */
int tz_draft_report_isolated(const char *uri, unsigned open_flags, const tz_draft_opts *o,
                             tz_doc **out, tz_draft_stats *stats, tz_diags *d);

/* Renders doc exactly as tz_render_file does for a file with extension ext
 * ("docx", "md" or "html": the same checks, warnings and bytes as
 * `taizhang report -o`), through a private temporary folder under $TMPDIR
 * that is removed on every path, and returns the bytes in *out (caller
 * frees). Returns 0, or -1 with Chinese diagnostics in d. */
int tz_draft_render_bytes(const tz_doc *doc, const char *ext, char **out, size_t *len, tz_diags *d);
/* Reads a whole generated file (at most 256 MiB) into *out (caller frees);
 * the server's downloads of reports and xlsx use it. Returns 0, or -1 (d). */
int tz_draft_read_file(const char *path, char **out, size_t *len, tz_diags *d);

/* Facts about a region the proofreader can check a report's figures
 * against ({"贫困村", "个", 105}, {"合同利用外资", "万美元", 2795} …), as the
 * templates declare them (report/template.h: specs, nspecs) and as of the end
 * of period: stocks and totals to date, a fact with window ytd from
 * 1 January to the end of period (period NULL: every row, whatever its
 * date). region NULL means the whole database. Labels point into specs
 * (which must outlive the facts) or into the array's own allocation, so one
 * free() of the array frees it; units are metrics/' static strings. A fact
 * with no rows in scope (or a value of zero) is left out. Returns 0, or -1
 * with a diag. */
int tz_draft_facts(tz_store *s, const char *region, const char *period,
                   const tz_template_fact *specs, size_t nspecs, tz_proofread_fact **out, size_t *n,
                   tz_diags *d);

#endif
