/* cmd_ledger.c - init, import, export, template, list and ledgers commands. */
#include "cli/cli.h"
#include "util/path.h"
#include "io/writer.h"
#include "metrics/metrics.h"
#include "store/store.h"
#include "util/buf.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <strings.h>

static const tz_ledger *_ledger_or_usage(const char *name, const char *usage, int *rc)
{
    const tz_ledger *l = tz_ledger_find(name);
    if (!l) {
        size_t n;
        const tz_ledger *all = tz_ledger_all(&n);
        tz_buf b = TZ_BUF_INIT;
        for (size_t i = 0; i < n; i++)
            tz_buf_printf(&b, "%s%s(%s)", i ? "、" : "", all[i].id, all[i].name);
        char shown[TZ_CLI_ECHO_SIZE];
        *rc = tz_usage_error(usage, "未知台账 \"%s\",可选: %s",
                             tz_cli_echo(name, shown, sizeof shown), tz_buf_str(&b));
        tz_buf_free(&b);
    }
    return l;
}

static int _open(const char *db, unsigned flags, tz_store **s)
{
    tz_diags d = TZ_DIAGS_INIT;
    int rc = tz_store_open(db, flags, s, &d);
    if (rc)
        tz_print_diags(&d);
    tz_diags_clear(&d);
    return rc ? TZ_EXIT_ENV : TZ_EXIT_OK;
}

/* Parses arguments, prints --help, checks the positional count and, when
 * ledger_pos >= 0, resolves that positional argument into *l.
 * Returns -1 when the command should go on, else the exit status. */
static int _prologue(int argc, char **argv, const tz_opt_spec *spec, const tz_command *self,
                     const char *help, size_t npos, const char *npos_msg, tz_args *a,
                     int ledger_pos, const tz_ledger **l)
{
    if (tz_args_parse(argc, argv, spec, a))
        return tz_usage_error(self->usage, "参数有误");
    if (a->help) {
        printf("用法: %s\n%s。\n%s", self->usage, self->summary, help ? help : "");
        return TZ_EXIT_OK;
    }
    if (a->npos != npos)
        return tz_usage_error(self->usage, "%s", npos_msg);
    int rc = -1;
    if (ledger_pos >= 0 && !(*l = _ledger_or_usage(a->pos[ledger_pos], self->usage, &rc)))
        return rc;
    return -1;
}

int tz_cmd_init(int argc, char **argv, const tz_command *self)
{
    tz_args a;
    int rc = _prologue(argc, argv, NULL, self, NULL, 1, "需要一个数据库路径", &a, -1, NULL);
    if (rc >= 0)
        return rc;
    tz_store *s = NULL;
    rc = _open(a.pos[0], TZ_OPEN_CREATE | TZ_OPEN_MUST_NOT_EXIST, &s);
    if (rc)
        return rc;
    printf("已创建台账数据库 %s(结构版本 %d)\n", a.pos[0], tz_store_version(s));
    tz_store_close(s);
    return TZ_EXIT_OK;
}

void tz_cli_refresh(tz_store *s, int quiet)
{
    tz_diags md = TZ_DIAGS_INIT;
    if (tz_metrics_refresh(s, &md) < 0 && !quiet)
        fprintf(stderr, "提示: 指标汇总表暂未更新,首次查询时会自动重建\n");
    tz_diags_clear(&md);
}

/* Draws the import progress bar on stderr (a terminal), at most every 0.1 s:
 * "导入 <file> [####......]  40% 1500行", a newline when the import ends. */
static void _import_bar(void *ctx, const char *file, tz_import_stage stage, size_t rows,
                        unsigned long long done, unsigned long long total)
{
    double *last = ctx;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double t = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
    if (stage == TZ_IMPORT_STOPPED) {
        fputc('\n', stderr); /* the bar stops where the import stopped */
        return;
    }
    if (stage == TZ_IMPORT_READING && t - *last <= 0.1)
        return;
    *last = t;
    int pct = total ? (int)(done * 100 / total) : 100;
    pct = stage == TZ_IMPORT_READ || pct > 100 ? 100 : pct;
    char bar[31];
    for (int i = 0; i < 30; i++)
        bar[i] = i < pct * 30 / 100 ? '#' : '.';
    bar[30] = '\0';
    fprintf(stderr, "\r导入 %s [%s] %3d%% %zu行%s", file, bar, pct, rows,
            stage == TZ_IMPORT_READ ? "\n" : "");
    fflush(stderr);
}

/* Imports one file; prints the outcome. Returns an exit status. */
int tz_cli_import_one(tz_store *s, const tz_ledger *l, const char *path, int dry_run, int quiet)
{
    tz_diags d = TZ_DIAGS_INIT;
    double last_bar = 0;
    tz_import_progress bar = {_import_bar, &last_bar};
    tz_import_opts o = {dry_run, !quiet && isatty(STDERR_FILENO) ? &bar : NULL, "命令行"};
    tz_import_result r;
    if (access(path, R_OK) != 0) {
        char shown[TZ_CLI_ECHO_SIZE];
        fprintf(stderr, "%s: 文件不存在或无法读取\n", tz_cli_echo(path, shown, sizeof shown));
        return TZ_EXIT_ENV;
    }
    int rc = tz_import_file(s, l, path, &o, &r, &d);
    tz_print_diags(&d);
    if (rc == 0) {
        if (!quiet) {
            /* values trimmed or replaced are listed above; the count is
             * repeated here so that none goes unnoticed */
            char noted[64] = "";
            if (d.nwarnings)
                snprintf(noted, sizeof noted, ",另有%zu处提示(见上)", d.nwarnings);
            if (dry_run)
                printf("校验通过 %s → %s: %zu行数据全部合格%s(试运行,未写入)\n", path, l->name,
                       r.rows, noted);
            else
                printf("已导入 %s → %s: 读取%zu行,新增%zu行,修改%zu行,未变%zu行%s(%s)\n", path,
                       l->name, r.rows, r.inserted, r.updated, r.rows - r.inserted - r.updated,
                       noted, r.encoding);
        }
    } else if (rc == 1) {
        fprintf(stderr, "导入被拒绝: %s 有%zu处错误,数据库未做任何改动\n", path, d.nerrors);
    } else {
        fprintf(stderr, "导入失败: %s,数据库未做任何改动\n", path);
    }
    tz_diags_clear(&d);
    return rc == 0 ? TZ_EXIT_OK : rc == 1 ? TZ_EXIT_DATA : TZ_EXIT_ENV;
}

int tz_cmd_import(int argc, char **argv, const tz_command *self)
{
    static const tz_opt_spec spec[] = {{"--dry-run", 0, 0}, {"--quiet", 0, 0}, {NULL, 0, 0}};
    tz_args a;
    const tz_ledger *l = NULL;
    int rc = _prologue(argc, argv, spec, self,
                       "\n  --dry-run  只校验,不写入数据库\n"
                       "  --quiet    不显示进度和结果摘要\n"
                       "同一键值的行再次导入时更新原记录,不会重复。任何一行有错,整个文件都不写入。\n",
                       3, "需要 DB、LEDGER 和 FILE 三个参数", &a, 1, &l);
    if (rc >= 0)
        return rc;
    char shown[TZ_CLI_ECHO_SIZE];
    if (!tz_path_has_ext(a.pos[2], ".csv") && !tz_path_has_ext(a.pos[2], ".xlsx") && !tz_path_has_ext(a.pos[2], ".xls"))
        return tz_usage_error(self->usage, "%s: 只能导入 .xlsx、.csv 或 .xls 文件",
                              tz_cli_echo(a.pos[2], shown, sizeof shown));
    struct stat sb;
    if (stat(a.pos[2], &sb) == 0 && !S_ISREG(sb.st_mode))
        return tz_usage_error(self->usage, "%s 不是文件", tz_cli_echo(a.pos[2], shown, sizeof shown));
    tz_store *s = NULL;
    if ((rc = _open(a.pos[0], 0, &s)))
        return rc;
    int dry_run = tz_args_has(&a, "--dry-run");
    rc = tz_cli_import_one(s, l, a.pos[2], dry_run, tz_args_has(&a, "--quiet"));
    if (rc == TZ_EXIT_OK && !dry_run)
        tz_cli_refresh(s, tz_args_has(&a, "--quiet"));
    tz_store_close(s);
    return rc;
}

/* Collects --where 列=值 options into filters. Returns 0 or a usage status. */
static int _filters(const tz_args *a, const tz_ledger *l, tz_filter *f, size_t *nf,
                    char bufs[][256], const char *usage)
{
    *nf = 0;
    for (size_t k = 0; k < a->nopt; k++) {
        if (strcmp(a->opt[k], "--where"))
            continue;
        const char *v = a->val[k];
        const char *eq = strchr(v, '=');
        char shown[TZ_CLI_ECHO_SIZE], shown_value[TZ_CLI_ECHO_SIZE];
        if (!eq || eq == v)
            return tz_usage_error(usage, "--where 的格式应为 列=值,例如 --where 层级=村");
        if ((size_t)(eq - v) >= 256) {
            char *name = strndup(v, (size_t)(eq - v));
            tz_usage_error(usage, "--where: %s台账没有\"%s\"这一列", l->name,
                           tz_cli_echo(name ? name : "", shown, sizeof shown));
            free(name);
            return TZ_EXIT_USAGE;
        }
        snprintf(bufs[*nf], 256, "%.*s", (int)(eq - v), v);
        int c = tz_ledger_col(l, bufs[*nf]);
        if (c < 0)
            return tz_usage_error(usage, "--where: %s台账没有\"%s\"这一列", l->name,
                                  tz_cli_echo(bufs[*nf], shown, sizeof shown));
        tz_value tv;
        const char *why = NULL;
        if (tz_value_parse(&l->cols[c], eq + 1, 0, &tv, &why)) {
            /* an ID number in the filter is the clerk's own input, but the
             * message may be seen over a shoulder or in a log: masked */
            char masked[64];
            const char *val = eq + 1;
            if (l->cols[c].type == TZ_COL_IDCARD) {
                tz_idcard_mask(val, masked, sizeof masked);
                val = masked;
            }
            return tz_usage_error(usage, "--where %s \"%s\": %s", l->cols[c].name,
                                  tz_cli_echo(val, shown_value, sizeof shown_value), why);
        }
        free(tv.text);
        f[*nf].column = bufs[*nf];
        f[*nf].value = eq + 1;
        (*nf)++;
    }
    return 0;
}

int tz_cmd_export(int argc, char **argv, const tz_command *self)
{
    static const tz_opt_spec spec[] = {{"--encoding", 1, 0}, {"--where", 1, 1}, {NULL, 0, 0}};
    tz_args a;
    const tz_ledger *l = NULL;
    int rc = _prologue(argc, argv, spec, self,
                       "列顺序与台账规范一致。\n\n"
                       "  .xlsx  冻结表头、列宽适合中文、枚举列带下拉选项\n"
                       "  .csv   默认 UTF-8(带BOM,Excel可直接打开);--encoding gb18030 输出GB18030\n"
                       "  --where 列=值  只导出符合条件的行,可重复\n"
                       "\n身份证号完整导出(供与国家系统交换),请妥善保管导出文件。\n"
                       "导出文件的权限为0600(仅本人可读写);设置环境变量 TZ_FILE_GROUP=组名 时"
                       "为0640并归该组。\n"
                       ".csv 中以 = + - @ 、制表符或回车开头的文字前加一个撇号('),"
                       "防止被表格软件当作公式执行,导入时自动去掉。\n",
                       3, "需要 DB、LEDGER 和 FILE 三个参数", &a, 1, &l);
    if (rc >= 0)
        return rc;
    char shown[TZ_CLI_ECHO_SIZE];
    if (!tz_path_has_ext(a.pos[2], ".xlsx") && !tz_path_has_ext(a.pos[2], ".csv"))
        return tz_usage_error(self->usage, "导出文件 %s 的扩展名应为 .xlsx 或 .csv",
                              tz_cli_echo(a.pos[2], shown, sizeof shown));
    tz_encoding enc = TZ_ENC_UTF8;
    const char *e = tz_args_get(&a, "--encoding");
    if (e) {
        if (!strcasecmp(e, "gb18030") || !strcasecmp(e, "gbk"))
            enc = TZ_ENC_GB18030;
        else if (strcasecmp(e, "utf-8") && strcasecmp(e, "utf8"))
            return tz_usage_error(self->usage, "--encoding 只能是 utf-8 或 gb18030");
    }
    tz_filter f[TZ_MAX_ARGS];
    char fb[TZ_MAX_ARGS][256];
    size_t nf;
    if ((rc = _filters(&a, l, f, &nf, fb, self->usage)))
        return rc;
    tz_store *s = NULL;
    if ((rc = _open(a.pos[0], 0, &s)))
        return rc;
    tz_diags d = TZ_DIAGS_INIT;
    size_t n = 0;
    int r = tz_export_file(s, l, a.pos[2], enc, f, nf, &n, &d);
    tz_print_diags(&d);
    if (r == 0)
        printf("已导出 %s → %s: %zu行\n", l->name, a.pos[2], n);
    tz_diags_clear(&d);
    tz_store_close(s);
    return r == 0 ? TZ_EXIT_OK : r == 1 ? TZ_EXIT_DATA : TZ_EXIT_ENV;
}

int tz_cmd_template(int argc, char **argv, const tz_command *self)
{
    tz_args a;
    const tz_ledger *l = NULL;
    int rc = _prologue(argc, argv, NULL, self,
                       "第2行为填写说明,导入时删除或保留均可(说明行会被识别并跳过)。\n", 2,
                       "需要 LEDGER 和 FILE 两个参数", &a, 0, &l);
    if (rc >= 0)
        return rc;
    tz_sheet_column *sc = tz_ledger_sheet_columns(l);
    tz_diags d = TZ_DIAGS_INIT;
    tz_writer *w = NULL;
    int r = sc ? tz_writer_open(a.pos[1], l->name, sc, l->ncols, TZ_WRITER_NOTES_ROW, TZ_ENC_UTF8,
                                &w, &d)
               : -1;
    if (!r)
        r = tz_writer_close(w, &d);
    tz_print_diags(&d);
    if (!r)
        printf("已生成 %s 填报模板: %s\n", l->name, a.pos[1]);
    tz_diags_clear(&d);
    free(sc);
    return r ? TZ_EXIT_ENV : TZ_EXIT_OK;
}

typedef struct list_ctx {
    const tz_ledger *l;  /* ledger listed */
    int json;            /* JSON output */
    int unmask;          /* 1: show ID numbers in full (--unmask) */
    size_t limit;        /* max rows (0 = all) */
    size_t rows;         /* rows seen */
    char ***buffered;    /* first rows kept to size the columns (display form) */
    size_t nbuf;         /* number buffered */
    size_t *widths;      /* column widths */
    int streaming;       /* widths fixed, print directly */
    int failed;          /* 1 when memory ran out */
} list_ctx;

#define LIST_SIZE_ROWS 200

static void _print_cell(const char *s, size_t width, int last)
{
    fputs(s, stdout);
    if (!last)
        for (size_t w = tz_display_width(s); w < width + 2; w++)
            putchar(' ');
}

static void _print_table_row(list_ctx *c, const char *const *cells)
{
    for (size_t i = 0; i < c->l->ncols; i++)
        _print_cell(cells[i], c->widths[i], i + 1 == c->l->ncols);
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

static void _flush_header(list_ctx *c)
{
    const char *hdr[64];
    for (size_t i = 0; i < c->l->ncols && i < 64; i++)
        hdr[i] = c->l->cols[i].name;
    _print_table_row(c, hdr);
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
        size_t w = tz_display_width(shown[i]);
        if (w > c->widths[i])
            c->widths[i] = w > 40 ? 40 : w;
    }
    c->buffered[c->nbuf++] = shown;
    if (c->nbuf == LIST_SIZE_ROWS)
        _flush_header(c);
    return 0;
}

int tz_cmd_list(int argc, char **argv, const tz_command *self)
{
    static const tz_opt_spec spec[] = {{"--where", 1, 1}, {"--json", 0, 0}, {"--limit", 1, 0},
                                       {"--unmask", 0, 0}, {NULL, 0, 0}};
    tz_args a;
    const tz_ledger *l = NULL;
    int rc = _prologue(argc, argv, spec, self,
                       "\n  --where 列=值  按列筛选,可重复(列可用中文表头),如 --where 层级=村\n"
                       "  --json         输出JSON数组,每行一个对象,键为中文表头\n"
                       "  --limit N      最多列出N行\n"
                       "  --unmask       显示完整身份证号(默认只显示前6位和后4位,"
                       "如411628********123X)\n"
                       "单元格中的控制字符和不可见字符(换行、制表符、零宽字符等)显示为<U+XXXX>,"
                       "不是UTF-8的字节显示为<0xNN>;--json 中按JSON转义。\n",
                       2, "需要 DB 和 LEDGER 两个参数", &a, 1, &l);
    if (rc >= 0)
        return rc;
    tz_filter f[TZ_MAX_ARGS];
    char fb[TZ_MAX_ARGS][256];
    size_t nf;
    if ((rc = _filters(&a, l, f, &nf, fb, self->usage)))
        return rc;
    list_ctx c;
    memset(&c, 0, sizeof c);
    c.l = l;
    c.json = tz_args_has(&a, "--json");
    c.unmask = tz_args_has(&a, "--unmask");
    const char *lim = tz_args_get(&a, "--limit");
    if (lim) {
        char *end;
        long v = strtol(lim, &end, 10);
        if (*end || v <= 0)
            return tz_usage_error(self->usage, "--limit 应为正整数");
        c.limit = (size_t)v;
    }
    tz_store *s = NULL;
    if ((rc = _open(a.pos[0], 0, &s)))
        return rc;
    c.widths = calloc(l->ncols, sizeof *c.widths);
    c.buffered = calloc(LIST_SIZE_ROWS, sizeof *c.buffered);
    if (!c.widths || !c.buffered) {
        fprintf(stderr, "内存不足\n");
        free(c.widths);
        free(c.buffered);
        tz_store_close(s);
        return TZ_EXIT_ENV;
    }
    for (size_t i = 0; i < l->ncols; i++)
        c.widths[i] = tz_display_width(l->cols[i].name);
    if (c.json)
        printf("[\n");
    tz_diags d = TZ_DIAGS_INIT;
    int r = tz_ledger_select(s, l, f, nf, _list_row, &c, &d);
    if (c.json)
        printf("%s]\n", c.rows ? "\n" : "");
    else if (!c.streaming)
        _flush_header(&c);
    if (c.failed) {
        fprintf(stderr, "内存不足,列表不完整\n");
        r = -1;
    }
    if (!c.json && r == 0)
        fprintf(stderr, "共%zu行\n", c.rows);
    tz_print_diags(&d);
    tz_diags_clear(&d);
    free(c.widths);
    free(c.buffered);
    tz_store_close(s);
    return r == 0 ? TZ_EXIT_OK : r == 1 ? TZ_EXIT_DATA : TZ_EXIT_ENV;
}

static const char *_type_word(tz_coltype t)
{
    static const char *const w[] = {"文本", "整数", "数值", "是/否", "日期",   "月份",
                                    "年度", "区划代码", "枚举", "身份证号", "列表(、分隔)"};
    return w[t];
}

int tz_cmd_ledgers(int argc, char **argv, const tz_command *self)
{
    static const tz_opt_spec spec[] = {{"--json", 0, 0}, {NULL, 0, 0}};
    tz_args a;
    int rc = 0;
    if (tz_args_parse(argc, argv, spec, &a))
        return tz_usage_error(self->usage, "参数有误");
    if (a.help) {
        printf("用法: %s\n%s。\n", self->usage, self->summary);
        return TZ_EXIT_OK;
    }
    size_t n;
    const tz_ledger *all = tz_ledger_all(&n);
    const tz_ledger *only = NULL;
    if (a.npos > 1)
        return tz_usage_error(self->usage, "最多指定一个台账");
    if (a.npos == 1 && !(only = _ledger_or_usage(a.pos[0], self->usage, &rc)))
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const tz_ledger *l = &all[i];
        if (only && only != l)
            continue;
        json_t *cols = json_array();
        if (!tz_args_has(&a, "--json"))
            printf("%s %s\n", l->id, l->name);
        for (size_t k = 0; k < l->ncols; k++) {
            const tz_column *c = &l->cols[k];
            tz_buf ch = TZ_BUF_INIT;
            for (int j = 0; c->choices && c->choices[j]; j++)
                tz_buf_printf(&ch, "%s%s", j ? "/" : "", c->choices[j]);
            if (!tz_args_has(&a, "--json"))
                printf("  %-s%s  %s%s%s%s%s\n", c->name,
                       (c->flags & TZ_F_KEY) ? " [键]" : "", _type_word(c->type),
                       ch.len ? " " : "", tz_buf_str(&ch), c->ref ? " → " : "",
                       c->ref ? c->ref : "");
            json_array_append_new(cols, json_pack("{s:s, s:s, s:s, s:b, s:b, s:s?}", "name",
                                                  c->name, "type", _type_word(c->type), "choices",
                                                  tz_buf_str(&ch), "key", (c->flags & TZ_F_KEY) != 0,
                                                  "required", (c->flags & (TZ_F_KEY | TZ_F_REQUIRED)) != 0,
                                                  "references", c->ref));
            tz_buf_free(&ch);
        }
        json_array_append_new(arr, json_pack("{s:s, s:s, s:o}", "id", l->id, "name", l->name,
                                             "columns", cols));
    }
    if (tz_args_has(&a, "--json")) {
        char *s = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        puts(s);
        free(s);
    }
    json_decref(arr);
    return TZ_EXIT_OK;
}
