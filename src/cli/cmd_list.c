/* cmd_list.c - `list`: a ledger's rows as an aligned table (sized from the
 * first rows, then streamed) or JSON; ID numbers masked unless --unmask,
 * invisible characters shown. */
#include "cli/cli.h"
#include "util/text.h"
#include "store/store.h"
#include "util/buf.h"
#include <jansson.h>
#include "util/num.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct list_ctx {
    const tz_ledger *l; /* ledger listed */
    int json;           /* JSON output */
    int unmask;         /* 1: show ID numbers in full (--unmask) */
    size_t limit;       /* max rows (0 = all) */
    size_t rows;        /* rows seen */
    char ***buffered;   /* first rows kept to size the columns (display form) */
    size_t nbuf;        /* number buffered */
    size_t *widths;     /* column widths */
    int streaming;      /* widths fixed, print directly */
    int failed;         /* 1 when memory ran out */
} list_ctx;

#define LIST_SIZE_ROWS 200

static void _print_table_row(list_ctx *c, const char *const *cells)
{
    for (size_t i = 0; i + 1 < c->l->ncols; i++)
        tz_text_fpad(stdout, cells[i], c->widths[i] + 2);
    fputs(cells[c->l->ncols - 1], stdout);
    putchar('\n');
}

static void _free_row(char **cells, size_t n)
{
    if (!cells)
        return;
    for (size_t i = 0; i < n; i++)
        free(cells[i]);
    free(cells);
}

/* The column names, padded as _print_table_row pads cells. */
static void _print_header_row(const list_ctx *c)
{
    for (size_t i = 0; i + 1 < c->l->ncols; i++)
        tz_text_fpad(stdout, c->l->cols[i].name, c->widths[i] + 2);
    fputs(c->l->cols[c->l->ncols - 1].name, stdout);
    putchar('\n');
}

static void _flush_header(list_ctx *c)
{
    _print_header_row(c);
    for (size_t i = 0; i < c->l->ncols; i++) {
        for (size_t w = 0; w < c->widths[i]; w++)
            putchar('-');
        if (i + 1 < c->l->ncols)
            fputs("  ", stdout);
    }
    putchar('\n');
    for (size_t r = 0; r < c->nbuf; r++) {
        _print_table_row(c, (const char *const *)c->buffered[r]);
        _free_row(c->buffered[r], c->l->ncols);
    }
    free(c->buffered);
    c->buffered = NULL;
    c->nbuf = 0;
    c->streaming = 1;
}

/* The value of column i as listed: an ID number masked unless --unmask
 * (411628********123X). Writes into buf when it masks. */
static const char *_listed_value(const list_ctx *c, size_t i, const char *cell, char *buf,
                                 size_t sz)
{
    if (c->l->cols[i].type != TZ_COL_IDCARD || c->unmask || !*cell)
        return cell;
    tz_idcard_mask(cell, buf, sz);
    return buf;
}

/* A row in its table display form (masked, control characters shown as
 * <U+XXXX>); NULL when memory runs out. Caller frees with _free_row. */
static char **_display_row(const list_ctx *c, const char *const *cells, size_t n)
{
    char **out = calloc(n, sizeof *out);
    for (size_t i = 0; out && i < n; i++) {
        char masked[64];
        tz_buf b = TZ_BUF_INIT;
        const char *v = _listed_value(c, i, cells[i], masked, sizeof masked);
        if (tz_text_shown(&b, v, 0) != 0 || !(out[i] = tz_buf_take(&b))) {
            tz_buf_free(&b);
            _free_row(out, n);
            return NULL;
        }
    }
    return out;
}

/* Appends JSON text s to b with DEL and every control or invisible
 * character beyond ASCII (C1 controls, bidirectional controls, line
 * separators, …) written as a \uXXXX escape: jansson escapes the other ASCII
 * controls itself but copies these raw, and a terminal may act on them. They
 * can only occur inside strings, so the JSON means the same. */
static int _json_escape_hidden(tz_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    int rc = 0;
    while (*p) {
        long cp;
        size_t k = tz_utf8_next((const char *)p, &cp);
        if (cp >= 0x7F && tz_char_hidden(cp)) {
            if (cp >= 0x10000)
                rc |= tz_buf_printf(b, "\\u%04lX\\u%04lX", 0xD800 + ((cp - 0x10000) >> 10),
                                    0xDC00 + ((cp - 0x10000) & 0x3FF));
            else
                rc |= tz_buf_printf(b, "\\u%04lX", (unsigned long)cp);
        } else {
            rc |= tz_buf_add(b, p, k);
        }
        p += k;
    }
    return rc ? -1 : 0;
}

static int _list_json_row(list_ctx *c, const char *const *cells, size_t n)
{
    json_t *o = json_object();
    tz_buf b = TZ_BUF_INIT;
    char *s = NULL;
    int rc = 1;
    for (size_t i = 0; o && i < n; i++) {
        const tz_column *col = &c->l->cols[i];
        char masked[64];
        const char *text = _listed_value(c, i, cells[i], masked, sizeof masked);
        json_t *v;
        if (!cells[i][0])
            v = json_null();
        else if (col->type == TZ_COL_INT || col->type == TZ_COL_YEAR)
            v = json_integer(strtoll(cells[i], NULL, 10));
        else if (col->type == TZ_COL_DECIMAL)
            v = json_real(strtod(cells[i], NULL));
        else if (!(v = json_string(text))) {
            /* not UTF-8: its display form, bytes as <0xNN>, rather than
             * dropping the field */
            tz_buf shown = TZ_BUF_INIT;
            if (tz_text_shown(&shown, text, 0) == 0)
                v = json_string(tz_buf_str(&shown));
            tz_buf_free(&shown);
        }
        if (!v || json_object_set_new(o, col->name, v) != 0)
            goto done;
    }
    if (!o || !(s = json_dumps(o, JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))) ||
        _json_escape_hidden(&b, s) != 0)
        goto done;
    printf("%s  %s", c->rows > 1 ? ",\n" : "", tz_buf_str(&b));
    rc = 0;
done:
    if (rc)
        c->failed = 1;
    free(s);
    tz_buf_free(&b);
    json_decref(o);
    return rc;
}

static int _list_row(void *ctx, const char *const *cells, size_t n)
{
    list_ctx *c = ctx;
    if (c->limit && c->rows >= c->limit)
        return 1;
    c->rows++;
    if (c->json)
        return _list_json_row(c, cells, n);
    char **shown = _display_row(c, cells, n);
    if (!shown) {
        c->failed = 1;
        return 1;
    }
    if (c->streaming) {
        _print_table_row(c, (const char *const *)shown);
        _free_row(shown, n);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        size_t w = tz_text_width(shown[i]);
        if (w > c->widths[i])
            c->widths[i] = w > 40 ? 40 : w;
    }
    c->buffered[c->nbuf++] = shown;
    if (c->nbuf == LIST_SIZE_ROWS)
        _flush_header(c);
    return 0;
}

/* --limit N: 0 and *limit set (0 when not given), or a usage status. */
static int _limit(const tz_args *a, const char *usage, size_t *limit)
{
    const char *lim = tz_args_get(a, "--limit");
    long long v = 0;
    *limit = 0;
    if (!lim)
        return 0;
    if (tz_num_int(lim, 1, LLONG_MAX, &v))
        return tz_usage_error(usage, "--limit 应为正整数");
    *limit = (size_t)v;
    return 0;
}

/* Lists the rows w picks as c says. Returns an exit status. */
static int _list(tz_store *s, const tz_cli_where *w, list_ctx *c)
{
    const tz_ledger *l = c->l;
    tz_diags d = TZ_DIAGS_INIT;
    int r = -1;
    c->widths = calloc(l->ncols, sizeof *c->widths);
    c->buffered = calloc(LIST_SIZE_ROWS, sizeof *c->buffered);
    if (!c->widths || !c->buffered) {
        fprintf(stderr, "内存不足\n");
        goto done;
    }
    for (size_t i = 0; i < l->ncols; i++)
        c->widths[i] = tz_text_width(l->cols[i].name);
    if (c->json)
        printf("[\n");
    r = tz_ledger_select(s, l, w->f, w->n, NULL, _list_row, c, &d);
    if (c->json)
        printf("%s]\n", c->rows ? "\n" : "");
    else if (!c->streaming)
        _flush_header(c);
    if (c->failed) {
        fprintf(stderr, "内存不足,列表不完整\n");
        r = -1;
    }
    if (!c->json && r == 0)
        fprintf(stderr, "共%zu行\n", c->rows);
    tz_print_diags(&d);
done:
    tz_diags_clear(&d);
    free(c->widths);
    free(c->buffered);
    return r == 0 ? TZ_EXIT_OK : r == 1 ? TZ_EXIT_DATA : TZ_EXIT_ENV;
}

int tz_cmd_list(int argc, char **argv, const tz_command *self)
{
    static const tz_opt_spec opts[] = {{.name = "--where", .takes_value = 1, .repeatable = 1},
                                       {.name = "--json"},
                                       {.name = "--limit", .takes_value = 1},
                                       {.name = "--unmask"},
                                       {.name = NULL}};
    static const tz_cli_form form = {
        .opts = opts,
        .npos_min = 2,
        .npos_max = 2,
        .npos_msg = "需要 DB 和 LEDGER 两个参数",
        .help = "\n  --where 列=值  按列筛选,可重复(列可用中文表头),如 --where 层级=村\n"
                "  --json         输出JSON数组,每行一个对象,键为中文表头\n"
                "  --limit N      最多列出N行\n"
                "  --unmask       显示完整身份证号(默认只显示前6位和后4位,"
                "如411628********123X)\n"
                "单元格中的控制字符和不可见字符(换行、制表符、零宽字符等)显示为<U+XXXX>,"
                "不是UTF-8的字节显示为<0xNN>;--json 中按JSON转义。\n"};
    tz_args a;
    const tz_ledger *l;
    int rc;
    if (!tz_cli_begin_ledger(argc, argv, self, &form, 1, &a, &l, &rc))
        return rc;
    tz_cli_where w;
    list_ctx c = {.l = l, .json = tz_args_has(&a, "--json"), .unmask = tz_args_has(&a, "--unmask")};
    if ((rc = tz_cli_filters(&a, l, &w, self->usage)) || (rc = _limit(&a, self->usage, &c.limit)))
        return rc;
    tz_store *s = NULL;
    if ((rc = tz_cli_open(a.pos[0], 0, &s)))
        return rc;
    rc = _list(s, &w, &c);
    tz_store_close(s);
    return rc;
}
