/* doc.c - building the renderer-neutral report document (tz_doc). */
#include "io/doc.h"
#include "util/buf.h"
#include "util/cal.h"
#include "util/num.h"
#include "util/text.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Records the first failure (printf-style Chinese reason) and returns -1. */
static int _fail(tz_doc *doc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int _fail(tz_doc *doc, const char *fmt, ...)
{
    if (!doc->failed) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(doc->error, sizeof doc->error, fmt, ap);
        va_end(ap);
        doc->failed = 1;
    }
    return -1;
}

static int _oom(tz_doc *doc)
{
    return _fail(doc, "内存不足，无法生成报告文档");
}

/* Copies s into a new string, with invalid UTF-8 bytes replaced by U+FFFD
 * and control characters other than tab and newline dropped ("\r\n" and a
 * lone "\r" become "\n"). NULL gives "". Returns NULL on out-of-memory. */
static char *_clean(const char *s)
{
    tz_buf b = TZ_BUF_INIT;
    if (!s)
        s = "";
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        long cp;
        size_t n = tz_utf8_next((const char *)p, &cp);
        int rc;
        if (cp < 0 || cp == 0xFFFE || cp == 0xFFFF) { /* U+FFFE, U+FFFF: not allowed in XML */
            rc = tz_buf_puts(&b, "\xEF\xBF\xBD");
            if (cp < 0) /* a bad byte; U+FFFE/U+FFFF are replaced whole */
                n = 1;
        } else if (n == 1 && *p == '\r') {
            rc = tz_buf_putc(&b, '\n');
            if (p[1] == '\n')
                n = 2;
        } else if (n == 1 && (*p < 0x20 || *p == 0x7F) && *p != '\t' && *p != '\n') {
            rc = 0;
        } else {
            rc = tz_buf_add(&b, p, n);
        }
        if (rc != 0)
            return NULL;
        p += n;
    }
    return tz_buf_take(&b);
}

/* Copies s cleaned into *out (freeing the old value); -1 on out-of-memory. */
static int _set(tz_doc *doc, char **out, const char *s)
{
    char *c = _clean(s);
    if (!c)
        return _oom(doc);
    free(*out);
    *out = c;
    return 0;
}

static int _valid_id(const char *id)
{
    size_t n = 0;
    if (!id || !((id[0] >= 'A' && id[0] <= 'Z') || (id[0] >= 'a' && id[0] <= 'z')))
        return 0;
    for (; id[n]; n++) {
        char c = id[n];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return 0;
    }
    return n <= TZ_DOC_ID_MAX;
}

/* Checks that no block is still open and the doc has not failed. */
static int _ready(tz_doc *doc, const char *what)
{
    if (!doc)
        return -1;
    if (doc->failed)
        return -1;
    if (doc->open)
        return _fail(doc, "报告文档结构错误：在段落、表格或图表结束前添加了%s", what);
    return 0;
}

/* _ready for a block of the body or of an appendix: not between the 落款
 * and the first appendix (GB/T 9704-2012: the 落款 ends the body). */
static int _ready_text(tz_doc *doc, const char *what)
{
    if (_ready(doc, what) != 0)
        return -1;
    if (doc->after_close)
        return _fail(
            doc,
            "报告文档结构错误：落款之后添加了%s（落款之后只能是附件，%s应在落款之前或某个附件中）",
            what, what);
    return 0;
}

/* Appends a zeroed block of the given kind; returns it or NULL (failure recorded). */
static tz_doc_block *_push(tz_doc *doc, tz_doc_kind kind)
{
    if (doc->n == doc->cap) {
        size_t ncap = doc->cap ? doc->cap * 2 : 32;
        tz_doc_block *nb = realloc(doc->blocks, ncap * sizeof *nb);
        if (!nb) {
            _oom(doc);
            return NULL;
        }
        doc->blocks = nb;
        doc->cap = ncap;
    }
    tz_doc_block *b = &doc->blocks[doc->n++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    return b;
}

/* The block being built when it has the given kind, else NULL (failure recorded). */
static tz_doc_block *_open(tz_doc *doc, tz_doc_kind kind, const char *what)
{
    if (!doc || doc->failed)
        return NULL;
    if (doc->open != (int)kind + 1 || doc->n == 0) {
        _fail(doc, "报告文档结构错误：%s不在对应的开始与结束调用之间", what);
        return NULL;
    }
    return &doc->blocks[doc->n - 1];
}

tz_doc *tz_doc_new(const char *title)
{
    tz_doc *doc = calloc(1, sizeof *doc);
    if (!doc)
        return NULL;
    doc->title = _clean(title);
    if (!doc->title) {
        free(doc);
        return NULL;
    }
    return doc;
}

static void _table_free(tz_doc_table *t)
{
    if (!t)
        return;
    free(t->caption);
    if (t->header)
        for (size_t i = 0; i < t->ncols; i++)
            free(t->header[i]);
    free(t->header);
    free(t->align);
    for (size_t i = 0; i < t->nrows * t->ncols; i++) {
        free(t->cells[i].text);
        free(t->cells[i].ref);
    }
    free(t->cells);
    free(t);
}

static void _chart_free(tz_doc_chart *c)
{
    if (!c)
        return;
    free(c->title);
    free(c->unit);
    if (c->cats)
        for (size_t i = 0; i < c->ncats; i++)
            free(c->cats[i]);
    free(c->cats);
    for (size_t i = 0; i < c->nseries; i++) {
        free(c->series[i].name);
        free(c->series[i].values);
    }
    free(c->series);
    free(c);
}

void tz_doc_free(tz_doc *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->n; i++) {
        tz_doc_block *b = &doc->blocks[i];
        free(b->text);
        free(b->id);
        free(b->date);
        for (size_t r = 0; r < b->nruns; r++) {
            free(b->runs[r].text);
            free(b->runs[r].ref);
        }
        free(b->runs);
        _table_free(b->table);
        _chart_free(b->chart);
    }
    free(doc->blocks);
    free(doc->title);
    free(doc->subtitle);
    free(doc);
}

const char *tz_doc_error(const tz_doc *doc)
{
    if (!doc)
        return "报告文档未创建（内存不足）";
    return doc->failed ? doc->error : NULL;
}

int tz_doc_subtitle(tz_doc *doc, const char *text)
{
    if (!doc || doc->failed)
        return -1;
    return _set(doc, &doc->subtitle, text);
}

int tz_doc_heading(tz_doc *doc, int level, const char *text)
{
    if (_ready_text(doc, "标题") != 0)
        return -1;
    if (level != 1 && level != 2)
        return _fail(doc, "报告文档结构错误：标题级别只能是1或2，收到%d", level);
    tz_doc_block *b = _push(doc, TZ_DOC_HEADING);
    if (!b)
        return -1;
    b->level = level;
    return _set(doc, &b->text, text);
}

int tz_doc_para_begin(tz_doc *doc)
{
    if (_ready_text(doc, "段落") != 0)
        return -1;
    if (!_push(doc, TZ_DOC_PARA))
        return -1;
    doc->open = TZ_DOC_PARA + 1;
    return 0;
}

static int _run(tz_doc *doc, const char *text, const char *ref, int bold)
{
    tz_doc_block *b = _open(doc, TZ_DOC_PARA, "文字");
    if (!b)
        return -1;
    if (ref && !_valid_id(ref))
        return _fail(doc, "报告文档结构错误：数据来源编号“%.40s”无效", ref);
    if (b->nruns == b->capruns) {
        size_t ncap = b->capruns ? b->capruns * 2 : 4;
        tz_doc_span *nr = realloc(b->runs, ncap * sizeof *nr);
        if (!nr)
            return _oom(doc);
        b->runs = nr;
        b->capruns = ncap;
    }
    tz_doc_span *r = &b->runs[b->nruns];
    memset(r, 0, sizeof *r);
    r->bold = bold;
    r->text = _clean(text);
    r->ref = ref ? strdup(ref) : NULL;
    if (!r->text || (ref && !r->ref)) {
        free(r->text);
        free(r->ref);
        return _oom(doc);
    }
    b->nruns++;
    return 0;
}

int tz_doc_run(tz_doc *doc, const char *text, const char *ref)
{
    return _run(doc, text, ref, 0);
}

int tz_doc_run_bold(tz_doc *doc, const char *text, const char *ref)
{
    return _run(doc, text, ref, 1);
}

int tz_doc_para_end(tz_doc *doc)
{
    if (!_open(doc, TZ_DOC_PARA, "段落结束"))
        return -1;
    doc->open = 0;
    return 0;
}

int tz_doc_para(tz_doc *doc, const char *text)
{
    if (tz_doc_para_begin(doc) != 0 || tz_doc_run(doc, text, NULL) != 0)
        return -1;
    return tz_doc_para_end(doc);
}

int tz_doc_table_begin(tz_doc *doc, const char *caption, size_t ncols, const char *const *header,
                       const tz_doc_align *align)
{
    if (_ready_text(doc, "表格") != 0)
        return -1;
    if (ncols == 0 || ncols > 64 || !header)
        return _fail(doc, "报告文档结构错误：表格“%.60s”的列数为%zu，应为1到64列",
                     caption ? caption : "", ncols);
    tz_doc_block *b = _push(doc, TZ_DOC_TABLE);
    if (!b)
        return -1;
    tz_doc_table *t = calloc(1, sizeof *t);
    if (!t)
        return _oom(doc);
    b->table = t;
    t->header = calloc(ncols, sizeof *t->header);
    t->align = calloc(ncols, sizeof *t->align);
    if (!t->header || !t->align)
        return _oom(doc);
    t->ncols = ncols;
    if (caption && _set(doc, &t->caption, caption) != 0)
        return -1;
    for (size_t i = 0; i < ncols; i++) {
        if (_set(doc, &t->header[i], header[i]) != 0)
            return -1;
        t->align[i] = align ? align[i] : TZ_ALIGN_TEXT;
        if (t->align[i] != TZ_ALIGN_TEXT && t->align[i] != TZ_ALIGN_NUMBER &&
            t->align[i] != TZ_ALIGN_CENTER)
            t->align[i] = TZ_ALIGN_TEXT;
    }
    doc->open = TZ_DOC_TABLE + 1;
    return 0;
}

int tz_doc_table_row(tz_doc *doc, const char *const *cells, const char *const *refs)
{
    tz_doc_block *b = _open(doc, TZ_DOC_TABLE, "表格行");
    if (!b)
        return -1;
    tz_doc_table *t = b->table;
    for (size_t i = 0; refs && i < t->ncols; i++)
        if (refs[i] && !_valid_id(refs[i]))
            return _fail(doc, "报告文档结构错误：数据来源编号“%.40s”无效", refs[i]);
    if (t->nrows == t->caprows) {
        size_t ncap = t->caprows ? t->caprows * 2 : 8;
        /* never 0 bytes: ncols is 1 to 64 (tz_doc_table_begin), which the
         * analyzer does not follow across calls */
        /* NOLINTNEXTLINE(clang-analyzer-optin.portability.UnixAPI) */
        tz_doc_cell *nc = realloc(t->cells, ncap * t->ncols * sizeof *nc);
        if (!nc)
            return _oom(doc);
        t->cells = nc;
        t->caprows = ncap;
    }
    tz_doc_cell *row = &t->cells[t->nrows * t->ncols];
    memset(row, 0, t->ncols * sizeof *row);
    t->nrows++; /* counted now so tz_doc_free releases a half-copied row */
    for (size_t i = 0; i < t->ncols; i++) {
        row[i].text = _clean(cells ? cells[i] : NULL);
        if (!row[i].text)
            return _oom(doc);
        if (refs && refs[i] && !(row[i].ref = strdup(refs[i])))
            return _oom(doc);
    }
    return 0;
}

int tz_doc_table_end(tz_doc *doc)
{
    if (!_open(doc, TZ_DOC_TABLE, "表格结束"))
        return -1;
    doc->open = 0;
    return 0;
}

int tz_doc_chart_begin(tz_doc *doc, const char *title, const char *unit, size_t ncats,
                       const char *const *cats)
{
    if (_ready_text(doc, "图表") != 0)
        return -1;
    if (ncats == 0 || ncats > 1000 || !cats)
        return _fail(doc, "报告文档结构错误：图表“%.60s”的类别数为%zu，应为1到1000个",
                     title ? title : "", ncats);
    tz_doc_block *b = _push(doc, TZ_DOC_CHART);
    if (!b)
        return -1;
    tz_doc_chart *c = calloc(1, sizeof *c);
    if (!c)
        return _oom(doc);
    b->chart = c;
    c->cats = calloc(ncats, sizeof *c->cats);
    if (!c->cats)
        return _oom(doc);
    c->ncats = ncats;
    if (_set(doc, &c->title, title) != 0)
        return -1;
    if (unit && _set(doc, &c->unit, unit) != 0)
        return -1;
    for (size_t i = 0; i < ncats; i++)
        if (_set(doc, &c->cats[i], cats[i]) != 0)
            return -1;
    doc->open = TZ_DOC_CHART + 1;
    return 0;
}

int tz_doc_chart_series(tz_doc *doc, const char *name, tz_doc_series_kind kind,
                        const double *values)
{
    tz_doc_block *b = _open(doc, TZ_DOC_CHART, "图表系列");
    if (!b)
        return -1;
    tz_doc_chart *c = b->chart;
    if (!values || (kind != TZ_SERIES_BAR && kind != TZ_SERIES_TARGET))
        return _fail(doc, "报告文档结构错误：图表“%.60s”的系列缺少数值或类型无效", c->title);
    if (c->nseries >= 32)
        return _fail(doc, "报告文档结构错误：图表“%.60s”的系列超过32个", c->title);
    tz_doc_series *ns = realloc(c->series, (c->nseries + 1) * sizeof *ns);
    if (!ns)
        return _oom(doc);
    c->series = ns;
    tz_doc_series *s = &c->series[c->nseries];
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->name = _clean(name);
    s->values = malloc(c->ncats * sizeof *s->values);
    if (!s->name || !s->values) {
        free(s->name);
        free(s->values);
        return _oom(doc);
    }
    for (size_t i = 0; i < c->ncats; i++)
        s->values[i] = isfinite(values[i]) ? values[i] : NAN;
    c->nseries++;
    return 0;
}

int tz_doc_chart_end(tz_doc *doc)
{
    tz_doc_block *b = _open(doc, TZ_DOC_CHART, "图表结束");
    if (!b)
        return -1;
    size_t nbars = 0;
    for (size_t i = 0; i < b->chart->nseries; i++)
        nbars += b->chart->series[i].kind == TZ_SERIES_BAR;
    if (nbars == 0)
        return _fail(doc, "报告文档结构错误：图表“%.60s”没有柱形数据系列", b->chart->title);
    doc->open = 0;
    return 0;
}

int tz_doc_chart_stack(tz_doc *doc)
{
    tz_doc_block *b = _open(doc, TZ_DOC_CHART, "图表堆积设置");
    if (!b)
        return -1;
    b->chart->stacked = 1;
    return 0;
}

/* Reads "YYYY-MM-DD" (exactly) into y, m, d. Returns 0, or -1 when it is
 * not a calendar date. */
static int _iso_date(const char *s, int *y, int *m, int *d)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    /* a field that is not all digits reads -1: no calendar date */
    *y = tz_num_digits(s, 4);
    *m = tz_num_digits(s + 5, 2);
    *d = tz_num_digits(s + 8, 2);
    return *y >= 1000 && tz_cal_valid(*y, *m, *d) ? 0 : -1;
}

int tz_doc_date_words(const char *iso, char *out, size_t n)
{
    int y, m, d;
    if (n)
        out[0] = '\0';
    if (_iso_date(iso, &y, &m, &d) != 0)
        return -1;
    snprintf(out, n, "%d年%d月%d日", y, m, d);
    return 0;
}

int tz_doc_close(tz_doc *doc, const char *signer, const char *date)
{
    int y, m, d;
    if (_ready(doc, "落款") != 0)
        return -1;
    for (size_t i = 0; i < doc->n; i++)
        if (doc->blocks[i].kind == TZ_DOC_CLOSE)
            return _fail(doc, "报告文档结构错误：落款只能有一处");
    if (tz_doc_appendix_count(doc))
        return _fail(doc, "报告文档结构错误：落款应在附件之前（附件编排在落款之后）");
    if (!signer || !*signer)
        return _fail(doc, "报告文档结构错误：落款的署名不能为空");
    if (_iso_date(date, &y, &m, &d) != 0)
        return _fail(doc, "报告文档结构错误：成文日期“%.40s”无效，应为YYYY-MM-DD格式的日期",
                     date ? date : "");
    tz_doc_block *b = _push(doc, TZ_DOC_CLOSE);
    if (!b)
        return -1;
    if (!(b->date = strdup(date)))
        return _oom(doc);
    doc->after_close = 1;
    return _set(doc, &b->text, signer);
}

/* 1 when body row r has a non-empty cell after the first. */
static int _row_has_data(const tz_doc_table *t, size_t r)
{
    for (size_t c = 1; c < t->ncols; c++)
        if (*t->cells[r * t->ncols + c].text)
            return 1;
    return 0;
}

int tz_doc_table_group_cont(const tz_doc_table *t, size_t r)
{
    if (!t || t->ncols < 2 || r == 0 || r >= t->nrows)
        return 0;
    /* up through rows with an empty label and some data, to a labelled row */
    for (size_t k = r;; k--) {
        if (*t->cells[k * t->ncols].text)
            return k < r;
        if (!_row_has_data(t, k) || k == 0)
            return 0;
    }
}

size_t tz_doc_head_unit(const char *head)
{
    static const char open[] = "（", close[] = "）";
    size_t n = head ? strlen(head) : 0, lc = strlen(close);
    if (n <= lc || strcmp(head + n - lc, close) != 0 || strchr(head, '\n'))
        return 0;
    const char *u = NULL;
    for (const char *p = strstr(head, open); p; p = strstr(p + 1, open))
        u = p;
    return u && u > head ? (size_t)(u - head) : 0;
}

size_t tz_doc_appendix_count(const tz_doc *doc)
{
    size_t k = 0;
    for (size_t i = 0; doc && i < doc->n; i++)
        k += doc->blocks[i].kind == TZ_DOC_APPENDIX;
    return k;
}

const char *tz_doc_appendix_title(const tz_doc *doc, size_t k)
{
    for (size_t i = 0; doc && i < doc->n; i++)
        if (doc->blocks[i].kind == TZ_DOC_APPENDIX && k-- == 0)
            return doc->blocks[i].text ? doc->blocks[i].text : "";
    return NULL;
}

void tz_doc_appendix_no(const tz_doc *doc, size_t k, char *out, size_t n)
{
    if (!n)
        return;
    out[0] = '\0';
    if (tz_doc_appendix_count(doc) > 1)
        snprintf(out, n, "%zu", k + 1);
}

const tz_doc_block *tz_doc_close_block(const tz_doc *doc)
{
    for (size_t i = 0; doc && i < doc->n; i++)
        if (doc->blocks[i].kind == TZ_DOC_CLOSE)
            return &doc->blocks[i];
    return NULL;
}

void tz_doc_close_indents(const char *signer, const char *date_words, int *signer_right,
                          int *date_right)
{
    int sw = (int)tz_text_width(signer), dw = (int)tz_text_width(date_words);
    /* date start = signer start + 4 half-characters */
    *signer_right = 4;
    *date_right = *signer_right + sw - dw - 4;
    if (*date_right < 4) {
        *date_right = 4;
        *signer_right = dw + 4 + 4 - sw;
    }
}

void tz_doc_close_lines_of(const tz_doc_block *b, tz_doc_close_lines *out)
{
    tz_doc_date_words(b->date, out->date, sizeof out->date);
    tz_doc_close_indents(b->text, out->date, &out->signer_right, &out->date_right);
}

int tz_doc_appendix_note_at(const tz_doc *doc, size_t i)
{
    if (!doc || i >= doc->n)
        return 0;
    if (doc->blocks[i].kind == TZ_DOC_CLOSE)
        return tz_doc_appendix_count(doc) > 0;
    if (doc->blocks[i].kind != TZ_DOC_APPENDIX || tz_doc_close_block(doc))
        return 0;
    for (size_t j = 0; j < i; j++)
        if (doc->blocks[j].kind == TZ_DOC_APPENDIX)
            return 0; /* not the first */
    return 1;
}

int tz_doc_page_break(tz_doc *doc)
{
    if (_ready_text(doc, "分页") != 0)
        return -1;
    return _push(doc, TZ_DOC_PAGE_BREAK) ? 0 : -1;
}

int tz_doc_appendix(tz_doc *doc, const char *title)
{
    if (_ready(doc, "附件") != 0)
        return -1;
    tz_doc_block *b = _push(doc, TZ_DOC_APPENDIX);
    if (!b)
        return -1;
    doc->after_close = 0;
    return title ? _set(doc, &b->text, title) : 0;
}

int tz_doc_anchor(tz_doc *doc, const char *id, const char *text)
{
    if (_ready(doc, "数据来源条目") != 0)
        return -1;
    if (!_valid_id(id))
        return _fail(
            doc,
            "报告文档结构错误：数据来源编号“%.40s”无效（应以字母开头，由字母、数字或下划线组成，不超过%d个字符）",
            id ? id : "", TZ_DOC_ID_MAX);
    if (tz_doc_has_anchor(doc, id))
        return _fail(doc, "报告文档结构错误：数据来源编号“%s”重复", id);
    tz_doc_block *b = _push(doc, TZ_DOC_ANCHOR);
    if (!b)
        return -1;
    if (!(b->id = strdup(id)))
        return _oom(doc);
    return _set(doc, &b->text, text);
}

const char *tz_doc_dangling_ref(const tz_doc *doc)
{
    for (size_t i = 0; i < doc->n; i++) {
        const tz_doc_block *b = &doc->blocks[i];
        const char *ref = NULL;
        size_t nrefs = b->kind == TZ_DOC_PARA    ? b->nruns
                       : b->kind == TZ_DOC_TABLE ? b->table->nrows * b->table->ncols
                                                 : 0;
        for (size_t k = 0; k < nrefs; k++) {
            ref = b->kind == TZ_DOC_PARA ? b->runs[k].ref : b->table->cells[k].ref;
            if (!ref)
                continue;
            if (!tz_doc_has_anchor(doc, ref))
                return ref;
        }
    }
    return NULL;
}

int tz_doc_has_anchor(const tz_doc *doc, const char *id)
{
    for (size_t j = 0; doc && id && j < doc->n; j++)
        if (doc->blocks[j].kind == TZ_DOC_ANCHOR && strcmp(doc->blocks[j].id, id) == 0)
            return 1;
    return 0;
}
