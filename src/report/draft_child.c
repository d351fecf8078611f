/* draft_child.c - drafting a report in a child process, under a CPU and
 * wall-clock limit that nothing inside Lua can switch off.
 *
 * A template can hang where the drafter's instruction hook never runs: in a
 * C function (a backtracking string.find) or in a __gc finaliser (Lua runs
 * those with hooks off, also from lua_close). So tz_draft_report runs in a
 * child (util/sandbox.h) with RLIMIT_CPU, RLIMIT_AS and a wall clock; the
 * child opens its own connection to the database (a forked connection must
 * not be shared: its TLS state or its locks would diverge), drafts, and sends
 * back the diagnostics and the finished document; this process rebuilds the
 * document with the doc.h builders and renders it as before, so output is
 * byte-for-byte what an in-process draft gives. Nothing is written to the
 * output file by the child, so a stopped template leaves no file.
 *
 * The pipe carries one 'R' frame (type byte, u32 little-endian length, the
 * payload below) and then the empty end frame 'Z'; the child exits 0 right
 * after. Strings are u32 length + bytes, with 0xFFFFFFFF for NULL.
 *   u32 errors added, u32 warnings added, u32 kept diagnostics, each:
 *     u8 severity, str file, i64 row, str column, str value, str reason
 *   u8 drafted (1) or failed (0); when drafted: u64 figures, u64 blocks,
 *   str title, str subtitle, u32 open block kind + 1 (0: none), u32 blocks,
 *   each block: u8 kind, u8 level, str text, str id, then by kind:
 *     paragraph: u32 runs, each: str text, str ref, u8 bold
 *     table: str caption, u32 columns, header strs, u8 aligns, u32 rows,
 *            rows x columns: str text, str ref
 *     chart: str title, str unit, u32 categories, category strs, u32 series,
 *            each: str name, u8 kind, categories x f64 (IEEE bits, u64 LE);
 *            u8 stacked
 *     close (落款): str date
 *
 * Limit: TZ_TEMPLATE_SECONDS in the environment (CPU seconds of the child,
 * and seconds this process waits for it; default 60, 1 to 86400).
 */
#include "report/draft.h"
#include "util/buf.h"
#include "util/path.h"
#include "util/sandbox.h"
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHILD_SECONDS_DEFAULT 60 /* CPU and wall-clock limit of a template */
#define CHILD_AS_BYTES                                                                             \
    ((unsigned long long)2 << 30) /* address space of the child (Lua's own cap is 256 MiB) */
#define CHILD_PAYLOAD_MAX ((size_t)1 << 30) /* largest result frame accepted */
#define CHILD_NULL_STR 0xFFFFFFFFu          /* length that marks a NULL string */

/* ---- the child: drafting and serialising ---------------------------------- */

typedef struct _child_arg {
    const char *uri;        /* the database to open */
    unsigned open_flags;    /* tz_store_open flags */
    const tz_draft_opts *o; /* what to draft */
} _child_arg;

static void _w_u8(tz_buf *b, unsigned v)
{
    unsigned char c = (unsigned char)v;
    tz_buf_add(b, &c, 1);
}

static void _w_u32(tz_buf *b, uint32_t v)
{
    unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    tz_buf_add(b, x, 4);
}

static void _w_u64(tz_buf *b, uint64_t v)
{
    _w_u32(b, (uint32_t)v);
    _w_u32(b, (uint32_t)(v >> 32));
}

static void _w_str(tz_buf *b, const char *s)
{
    if (!s) {
        _w_u32(b, CHILD_NULL_STR);
        return;
    }
    size_t n = strlen(s);
    _w_u32(b, (uint32_t)n);
    tz_buf_add(b, s, n);
}

static void _w_doc(tz_buf *b, const tz_doc *doc)
{
    _w_str(b, doc->title);
    _w_str(b, doc->subtitle);
    _w_u32(b, (uint32_t)doc->open);
    _w_u32(b, (uint32_t)doc->n);
    for (size_t i = 0; i < doc->n; i++) {
        const tz_doc_block *k = &doc->blocks[i];
        _w_u8(b, k->kind);
        _w_u8(b, (unsigned)k->level);
        _w_str(b, k->text);
        _w_str(b, k->id);
        if (k->kind == TZ_DOC_PARA) {
            _w_u32(b, (uint32_t)k->nruns);
            for (size_t r = 0; r < k->nruns; r++) {
                _w_str(b, k->runs[r].text);
                _w_str(b, k->runs[r].ref);
                _w_u8(b, k->runs[r].bold ? 1 : 0);
            }
        } else if (k->kind == TZ_DOC_TABLE) {
            const tz_doc_table *t = k->table;
            _w_str(b, t->caption);
            _w_u32(b, (uint32_t)t->ncols);
            for (size_t c = 0; c < t->ncols; c++)
                _w_str(b, t->header[c]);
            for (size_t c = 0; c < t->ncols; c++)
                _w_u8(b, t->align[c]);
            _w_u32(b, (uint32_t)t->nrows);
            for (size_t c = 0; c < t->nrows * t->ncols; c++) {
                _w_str(b, t->cells[c].text);
                _w_str(b, t->cells[c].ref);
            }
        } else if (k->kind == TZ_DOC_CHART) {
            const tz_doc_chart *ch = k->chart;
            _w_str(b, ch->title);
            _w_str(b, ch->unit);
            _w_u32(b, (uint32_t)ch->ncats);
            for (size_t c = 0; c < ch->ncats; c++)
                _w_str(b, ch->cats[c]);
            _w_u32(b, (uint32_t)ch->nseries);
            for (size_t s = 0; s < ch->nseries; s++) {
                _w_str(b, ch->series[s].name);
                _w_u8(b, ch->series[s].kind);
                for (size_t c = 0; c < ch->ncats; c++) {
                    uint64_t bits;
                    memcpy(&bits, &ch->series[s].values[c], sizeof bits);
                    _w_u64(b, bits);
                }
            }
            _w_u8(b, ch->stacked ? 1 : 0);
        } else if (k->kind == TZ_DOC_CLOSE) {
            _w_str(b, k->date);
        }
    }
}

static void _w_diags(tz_buf *b, const tz_diags *d)
{
    _w_u32(b, (uint32_t)d->nerrors);
    _w_u32(b, (uint32_t)d->nwarnings);
    _w_u32(b, (uint32_t)d->n);
    for (size_t i = 0; i < d->n; i++) {
        const tz_diag *g = &d->items[i];
        _w_u8(b, g->sev);
        _w_str(b, g->file);
        _w_u64(b, (uint64_t)(int64_t)g->row);
        _w_str(b, g->column);
        _w_str(b, g->value);
        _w_str(b, g->reason);
    }
}

/* Writes a frame of type t with the payload p (n bytes). Returns 0 or -1. */
static int _frame_send(int fd, char t, const void *p, size_t n)
{
    unsigned char h[5] = {(unsigned char)t, (unsigned char)n, (unsigned char)(n >> 8),
                          (unsigned char)(n >> 16), (unsigned char)(n >> 24)};
    if (tz_sandbox_write_full(fd, h, sizeof h))
        return -1;
    return n ? tz_sandbox_write_full(fd, p, n) : 0;
}

/* The child: drafts and sends the diagnostics and the document. */
static int _draft_child(int fd, void *arg)
{
    const _child_arg *a = arg;
    tz_diags d = TZ_DIAGS_INIT;
    tz_store *s = NULL;
    tz_doc *doc = NULL;
    tz_draft_stats st = {0, 0};
    tz_buf b = TZ_BUF_INIT;
    int rc = 1;
    int ok = tz_store_open(a->uri, a->open_flags, &s, &d) == 0 &&
             tz_draft_report(s, a->o, &doc, &st, &d) == 0;
    b.max = CHILD_PAYLOAD_MAX;
    _w_diags(&b, &d);
    _w_u8(&b, ok ? 1 : 0);
    if (ok) {
        _w_u64(&b, st.figures);
        _w_u64(&b, st.blocks);
        _w_doc(&b, doc);
    }
    /* a failed append empties b (tz_buf frees itself): send nothing then */
    if (b.len == 0 || _frame_send(fd, 'R', b.data, b.len) || _frame_send(fd, 'Z', NULL, 0))
        goto done;
    rc = 0;
done:
    tz_buf_free(&b);
    tz_doc_free(doc);
    tz_store_close(s);
    tz_diags_clear(&d);
    return rc;
}

/* ---- the parent: reading the result --------------------------------------- */

/* A cursor over the payload; any read past its end sets bad. */
typedef struct _rd {
    const unsigned char *p; /* next byte */
    size_t left;            /* bytes left */
    int bad;                /* 1 once the payload did not parse */
} _rd;

static const unsigned char *_take(_rd *r, size_t n)
{
    if (r->bad || r->left < n) {
        r->bad = 1;
        return NULL;
    }
    const unsigned char *p = r->p;
    r->p += n;
    r->left -= n;
    return p;
}

static unsigned _r_u8(_rd *r)
{
    const unsigned char *p = _take(r, 1);
    return p ? p[0] : 0;
}

static uint32_t _r_u32(_rd *r)
{
    const unsigned char *p = _take(r, 4);
    return p ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24
             : 0;
}

static uint64_t _r_u64(_rd *r)
{
    uint64_t lo = _r_u32(r);
    return lo | (uint64_t)_r_u32(r) << 32;
}

/* A count of items of at least min_size bytes each that the rest can hold. */
static size_t _r_count(_rd *r, size_t min_size)
{
    uint32_t n = _r_u32(r);
    if (!r->bad && (size_t)n > r->left / (min_size ? min_size : 1))
        r->bad = 1;
    return r->bad ? 0 : n;
}

/* A string: NULL for the NULL mark, else a copy (caller frees); on a
 * payload that does not parse, NULL with r->bad set. Embedded NULs make
 * the payload bad. */
static char *_r_str(_rd *r)
{
    uint32_t n = _r_u32(r);
    if (r->bad || n == CHILD_NULL_STR)
        return NULL;
    const unsigned char *p = _take(r, n);
    if (!p || memchr(p, '\0', n)) {
        r->bad = 1;
        return NULL;
    }
    char *s = malloc((size_t)n + 1);
    if (!s) {
        r->bad = 1;
        return NULL;
    }
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

static void _free_strs(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

/* Reads n strings into a new array (caller frees with _free_strs); NULL
 * entries become "" when empty_for_null. */
static char **_r_strs(_rd *r, size_t n)
{
    char **v = calloc(n ? n : 1, sizeof *v);
    if (!v) {
        r->bad = 1;
        return NULL;
    }
    for (size_t i = 0; i < n && !r->bad; i++)
        v[i] = _r_str(r);
    return v;
}

static void _r_para(_rd *r, tz_doc *doc, int last_open)
{
    size_t n = _r_count(r, 9);
    tz_doc_para_begin(doc);
    for (size_t i = 0; i < n && !r->bad; i++) {
        char *text = _r_str(r), *ref = _r_str(r);
        unsigned bold = _r_u8(r);
        if (!r->bad)
            (bold ? tz_doc_run_bold : tz_doc_run)(doc, text ? text : "", ref);
        free(text);
        free(ref);
    }
    if (!last_open)
        tz_doc_para_end(doc);
}

static void _r_table(_rd *r, tz_doc *doc, int last_open)
{
    char *caption = _r_str(r);
    size_t ncols = _r_count(r, 5);
    char **header = _r_strs(r, ncols);
    tz_doc_align *align = calloc(ncols ? ncols : 1, sizeof *align);
    char **cells = calloc(ncols ? ncols : 1, sizeof *cells);
    char **refs = calloc(ncols ? ncols : 1, sizeof *refs);
    if (!align || !cells || !refs)
        r->bad = 1;
    for (size_t c = 0; c < ncols && !r->bad; c++)
        align[c] = (tz_doc_align)_r_u8(r);
    if (!r->bad)
        tz_doc_table_begin(doc, caption, ncols, (const char *const *)header, align);
    size_t nrows = _r_count(r, 8 * (ncols ? ncols : 1));
    for (size_t i = 0; i < nrows && !r->bad; i++) {
        for (size_t c = 0; c < ncols; c++) {
            cells[c] = _r_str(r);
            refs[c] = _r_str(r);
        }
        if (!r->bad)
            tz_doc_table_row(doc, (const char *const *)cells, (const char *const *)refs);
        for (size_t c = 0; c < ncols; c++) {
            free(cells[c]);
            free(refs[c]);
            cells[c] = refs[c] = NULL;
        }
    }
    if (!r->bad && !last_open)
        tz_doc_table_end(doc);
    free(caption);
    _free_strs(header, ncols);
    free(align);
    free(cells);
    free(refs);
}

static void _r_chart(_rd *r, tz_doc *doc, int last_open)
{
    char *title = _r_str(r), *unit = _r_str(r);
    size_t ncats = _r_count(r, 4);
    char **cats = _r_strs(r, ncats);
    double *values = calloc(ncats ? ncats : 1, sizeof *values);
    if (!values)
        r->bad = 1;
    if (!r->bad)
        tz_doc_chart_begin(doc, title, unit, ncats, (const char *const *)cats);
    size_t nseries = _r_count(r, 5 + 8 * ncats);
    for (size_t s = 0; s < nseries && !r->bad; s++) {
        char *name = _r_str(r);
        unsigned kind = _r_u8(r);
        for (size_t c = 0; c < ncats && !r->bad; c++) {
            uint64_t bits = _r_u64(r);
            memcpy(&values[c], &bits, sizeof bits);
        }
        if (!r->bad)
            tz_doc_chart_series(doc, name, (tz_doc_series_kind)kind, values);
        free(name);
    }
    if (_r_u8(r) && !r->bad)
        tz_doc_chart_stack(doc);
    if (!r->bad && !last_open)
        tz_doc_chart_end(doc);
    free(title);
    free(unit);
    _free_strs(cats, ncats);
    free(values);
}

static void _r_close(_rd *r, tz_doc *doc, const char *signer)
{
    char *date = _r_str(r);
    if (!r->bad)
        tz_doc_close(doc, signer, date);
    free(date);
}

/* Rebuilds the document with the doc.h builders. Returns it, or NULL when
 * the payload does not parse or the doc failed to build. */
static tz_doc *_r_doc(_rd *r)
{
    char *title = _r_str(r), *subtitle = _r_str(r);
    uint32_t open = _r_u32(r);
    size_t n = _r_count(r, 10);
    tz_doc *doc = r->bad ? NULL : tz_doc_new(title ? title : "");
    if (!doc)
        r->bad = 1;
    if (!r->bad && subtitle)
        tz_doc_subtitle(doc, subtitle);
    for (size_t i = 0; i < n && !r->bad; i++) {
        unsigned kind = _r_u8(r), level = _r_u8(r);
        char *text = _r_str(r), *id = _r_str(r);
        /* the block a template left unfinished stays unfinished, as it was */
        int last_open = i + 1 == n && open == kind + 1;
        if (r->bad)
            ;
        else if (kind == TZ_DOC_HEADING)
            tz_doc_heading(doc, (int)level, text);
        else if (kind == TZ_DOC_PARA)
            _r_para(r, doc, last_open);
        else if (kind == TZ_DOC_TABLE)
            _r_table(r, doc, last_open);
        else if (kind == TZ_DOC_CHART)
            _r_chart(r, doc, last_open);
        else if (kind == TZ_DOC_PAGE_BREAK)
            tz_doc_page_break(doc);
        else if (kind == TZ_DOC_APPENDIX)
            tz_doc_appendix(doc, text);
        else if (kind == TZ_DOC_ANCHOR)
            tz_doc_anchor(doc, id, text);
        else if (kind == TZ_DOC_CLOSE)
            _r_close(r, doc, text);
        else
            r->bad = 1;
        free(text);
        free(id);
    }
    if (!r->bad && (open > TZ_DOC_CLOSE + 1 || tz_doc_error(doc) || doc->n != n))
        r->bad = 1;
    free(title);
    free(subtitle);
    if (r->bad) {
        tz_doc_free(doc);
        return NULL;
    }
    return doc;
}

/* Passes the child's diagnostics on to d. Returns 0, or -1 (r->bad). */
static int _r_diags(_rd *r, tz_diags *d)
{
    uint32_t nerrors = _r_u32(r), nwarnings = _r_u32(r);
    size_t n = _r_count(r, 25);
    size_t kept_err = 0, kept_warn = 0;
    for (size_t i = 0; i < n && !r->bad; i++) {
        unsigned sev = _r_u8(r);
        char *file = _r_str(r);
        long row = (long)(int64_t)_r_u64(r);
        char *column = _r_str(r), *value = _r_str(r), *reason = _r_str(r);
        if (!r->bad && (sev == TZ_ERROR || sev == TZ_WARNING)) {
            tz_diags_add(d, (tz_severity)sev, file, row, column, value, "%s", reason ? reason : "");
            if (sev == TZ_ERROR)
                kept_err++;
            else
                kept_warn++;
        } else {
            r->bad = 1;
        }
        free(file);
        free(column);
        free(value);
        free(reason);
    }
    if (r->bad)
        return -1;
    /* the child's "另有N条错误未列出" count survives the trip */
    if (nerrors > kept_err)
        d->nerrors += nerrors - kept_err;
    if (nwarnings > kept_warn)
        d->nwarnings += nwarnings - kept_warn;
    return 0;
}

/* Reads one frame header; returns 0 with type and length, or -1. */
static int _frame_head(tz_sandbox *sb, char *type, size_t *len)
{
    unsigned char h[5];
    if (tz_sandbox_read_full(sb, h, sizeof h))
        return -1;
    *type = (char)h[0];
    *len = (size_t)h[1] | (size_t)h[2] << 8 | (size_t)h[3] << 16 | (size_t)h[4] << 24;
    return 0;
}

/* Reads the result frame's payload after the diagnostics (into tmp): the
 * drafted document into *doc and its counts into stats (may be NULL).
 * Returns 1 when drafted, 0 when not; a malformed payload sets r->bad. */
static int _r_result(_rd *r, tz_diags *tmp, tz_doc **doc, tz_draft_stats *stats)
{
    if (r->bad || _r_diags(r, tmp) != 0)
        return 0;
    int drafted = (int)_r_u8(r);
    if (drafted == 1) {
        uint64_t figures = _r_u64(r), blocks = _r_u64(r);
        *doc = _r_doc(r);
        if (stats && *doc) {
            stats->figures = (size_t)figures;
            stats->blocks = (size_t)blocks;
        }
    } else if (drafted != 0) {
        r->bad = 1;
        drafted = 0;
    }
    return drafted;
}

/* Passes the child's diagnostics on to d, in their order, with their
 * counts (which include those the child dropped past its cap). */
static void _pass_diags(const tz_diags *tmp, tz_diags *d)
{
    size_t kept_err = 0, kept_warn = 0;
    for (size_t i = 0; i < tmp->n; i++) {
        const tz_diag *g = &tmp->items[i];
        tz_diags_add(d, g->sev, g->file, g->row, g->column, g->value, "%s", g->reason);
        if (g->sev == TZ_ERROR)
            kept_err++;
        else
            kept_warn++;
    }
    d->nerrors += tmp->nerrors - kept_err;
    d->nwarnings += tmp->nwarnings - kept_warn;
}

int tz_draft_report_isolated(const char *uri, unsigned open_flags, const tz_draft_opts *o,
                             tz_doc **out, tz_draft_stats *stats, tz_diags *d)
{
    int rc = -1;
    tz_sandbox *sb = NULL;
    unsigned char *payload = NULL;
    tz_diags tmp = TZ_DIAGS_INIT; /* the child's diagnostics, passed on only when all arrived */
    tz_doc *doc = NULL;
    const char *tpl = o->template_path ? tz_path_base(o->template_path) : "";
    *out = NULL;
    long long secs = tz_sandbox_env_limit("TZ_TEMPLATE_SECONDS", CHILD_SECONDS_DEFAULT, 1, 86400);
    if (secs < 0) {
        tz_diags_error(d, NULL, 0, NULL, getenv("TZ_TEMPLATE_SECONDS"),
                       "环境变量TZ_TEMPLATE_SECONDS的值无效,应为1到86400之间的整数(秒)");
        return -1;
    }
    tz_sandbox_limits lim = {(unsigned)secs, CHILD_AS_BYTES, (unsigned)secs};
    _child_arg arg = {uri, open_flags, o};
    if (tz_sandbox_start(&lim, _draft_child, &arg, &sb)) {
        tz_diags_error(d, tpl, 0, NULL, NULL, "无法启动运行模板的子进程:%s",
                       tz_errno_text(errno, 0));
        return -1;
    }
    char type = 0;
    size_t len = 0, zlen = 0;
    int got = _frame_head(sb, &type, &len) == 0 && type == 'R' && len <= CHILD_PAYLOAD_MAX &&
              (payload = malloc(len ? len : 1)) != NULL &&
              tz_sandbox_read_full(sb, payload, len) == 0 && _frame_head(sb, &type, &zlen) == 0 &&
              type == 'Z' && zlen == 0;
    int sig = 0;
    tz_sandbox_end end = tz_sandbox_finish(sb, &sig);
    if (end == TZ_SANDBOX_TIMEOUT || end == TZ_SANDBOX_CPU) {
        tz_diags_error(d, NULL, 0, NULL, NULL,
                       "模板运行超过%lld秒,已停止:%s(模板中可能有死循环,或过慢的字符串匹配)", secs,
                       tpl);
        goto done;
    }
    if (end == TZ_SANDBOX_CRASHED) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "模板运行异常终止(信号%d),已停止:%s", sig, tpl);
        goto done;
    }
    _rd r = {payload, got ? len : 0, !got || end != TZ_SANDBOX_OK};
    int drafted = _r_result(&r, &tmp, &doc, stats);
    if (end == TZ_SANDBOX_FAILED) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "模板运行异常终止(退出状态%d),已停止:%s", sig, tpl);
        goto done;
    }
    if (r.bad || r.left != 0) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "模板运行的结果无法读取,已停止:%s", tpl);
        goto done;
    }
    _pass_diags(&tmp, d);
    if (!drafted)
        goto done;
    *out = doc;
    doc = NULL;
    rc = 0;
done:
    tz_doc_free(doc);
    tz_diags_clear(&tmp);
    free(payload);
    tz_sandbox_free(sb);
    return rc;
}
