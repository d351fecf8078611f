/* cmd_ledger.c - `init` (a new ledger database) and `import` (a ledger file
 * into it, all or nothing; --json prints web/views.h's tz_view_import), with
 * the import step `demo` shares. */
#include "cli/cli.h"
#include "metrics/metrics.h"
#include "store/store.h"
#include "util/text.h"
#include "web/views.h"
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

int tz_cmd_init(int argc, char **argv, const tz_command *self)
{
    static const tz_cli_form form = {
        .npos_min = 1, .npos_max = 1, .npos_msg = "需要一个数据库路径"};
    tz_args a;
    int rc;
    if (!tz_cli_begin(argc, argv, self, &form, &a, &rc))
        return rc;
    tz_store *s = NULL;
    rc = tz_cli_open(a.pos[0], TZ_OPEN_CREATE | TZ_OPEN_MUST_NOT_EXIST, &s);
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
 * "导入 <file> [####......]  40% 1500行", a newline when the reading ends,
 * then a line when the rows are being written. */
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
    if (stage == TZ_IMPORT_WRITING) {
        /* a large first load spends seconds here (indexes, summaries) */
        fprintf(stderr, "导入 %s: 已读完%zu行,正在写入数据库…\n", file, rows);
        return;
    }
    if (stage == TZ_IMPORT_READING && t - *last <= 0.1)
        return;
    *last = t;
    int pct = total ? (int)(done * 100 / total) : 100;
    char label[PATH_MAX + 16], tail[48];
    snprintf(label, sizeof label, "导入 %s", file);
    snprintf(tail, sizeof tail, " %zu行", rows);
    tz_cli_bar(label, stage == TZ_IMPORT_READ || pct > 100 ? 100 : pct, tail,
               stage == TZ_IMPORT_READ);
}

/* ---- what each sheet was read as ---------------------------------------- */

/* "第3、5、9行" for the first rows of a kind left out (… when there were
 * more than listed). */
static void _rows_text(const tz_import_sheet *sh, int k, tz_buf *b)
{
    tz_buf_puts(b, "第");
    for (size_t i = 0; i < sh->skipped[k] && i < TZ_IMPORT_SKIP_ROWS; i++)
        tz_buf_printf(b, "%s%ld", i ? "、" : "", sh->skip_rows[k][i]);
    tz_buf_printf(b, "%s行", sh->skipped[k] > TZ_IMPORT_SKIP_ROWS ? "等" : "");
}

/* "  跳过: 标题1行(第1行), 合计行2行(第40、80行)" when rows were left out. */
static void _skipped_text(const tz_import_sheet *sh)
{
    tz_buf b = TZ_BUF_INIT;
    for (int k = 0; k < TZ_SKIP_KINDS; k++) {
        if (!sh->skipped[k])
            continue;
        tz_buf_printf(&b, "%s%s%zu行", b.len ? ", " : "", tz_skip_word((tz_skip_kind)k),
                      sh->skipped[k]);
        if (k != TZ_SKIP_BLANK) {
            tz_buf_puts(&b, "(");
            _rows_text(sh, k, &b);
            tz_buf_puts(&b, ")");
        }
    }
    if (b.len)
        printf("  跳过: %s\n", tz_buf_str(&b));
    tz_buf_free(&b);
}

/* The header row(s) and each file column → ledger column (or 忽略), and the
 * ledger's columns the file lacks. */
static void _header_text(const tz_ledger *l, const tz_import_sheet *sh)
{
    static const char *const how[] = {"", "(写法不同,已统一)", "(同义列名)"};
    if (sh->header_rows == 2)
        printf("  表头: 第%zu–%zu行(两行表头)\n", sh->header_row, sh->header_row + 1);
    else
        printf("  表头: 第%zu行\n", sh->header_row);
    for (size_t j = 0; j < sh->nheader; j++) {
        if (!sh->header[j][strspn(sh->header[j], " \t")])
            continue;
        char letter[8];
        tz_col_letters(j, letter);
        int c = -1;
        for (size_t i = 0; i < l->ncols && i < TZ_IMPORT_MAX_COLS && c < 0; i++)
            if (sh->file_col[i] == (int)j)
                c = (int)i;
        if (c < 0)
            printf("    %s列“%s” → 忽略\n", letter, sh->header[j]);
        else
            printf("    %s列“%s” → %s%s\n", letter, sh->header[j], l->cols[c].name,
                   how[sh->how[c] < 3 ? sh->how[c] : 2]);
    }
    tz_buf miss = TZ_BUF_INIT;
    for (size_t i = 0; i < l->ncols && i < TZ_IMPORT_MAX_COLS; i++)
        if (sh->file_col[i] < 0)
            tz_buf_printf(&miss, "%s%s", miss.len ? "、" : "", l->cols[i].name);
    if (miss.len)
        printf("    文件中没有: %s(新增的行记为未填写,已有的行保留原来的值)\n", tz_buf_str(&miss));
    tz_buf_free(&miss);
}

/* Values read other than as written, one line per kind. */
static void _notes_text(const tz_ledger *l, const tz_notes *ns)
{
    static const char *const title[TZ_NOTE_KINDS] = {"按别名读取", "名称换成代码",
                                                     "只写到月份的日期按当月1日"};
    for (int k = 0; k < TZ_NOTE_KINDS; k++) {
        tz_buf b = TZ_BUF_INIT;
        for (size_t i = 0; ns && i < tz_notes_count(ns); i++) {
            const tz_note *n = tz_notes_at(ns, i);
            if ((int)n->kind != k)
                continue;
            tz_buf_printf(&b, "%s%s“%s”→“%s”%zu行", b.len ? "; " : "",
                          n->col >= 0 && (size_t)n->col < l->ncols ? l->cols[n->col].name : "",
                          n->from ? n->from : "", n->to ? n->to : "", n->count);
        }
        if (b.len)
            printf("  %s: %s\n", title[k], tz_buf_str(&b));
        tz_buf_free(&b);
    }
}

/* Whether a sheet read needs more said than the summary line: anything
 * not exactly as the contract has it, left out or read otherwise. */
static int _sheet_worth_showing(const tz_ledger *l, const tz_import_sheet *sh)
{
    if (sh->status != TZ_SHEET_READ || sh->header_row != 1 || sh->header_rows != 1 ||
        sh->national || (sh->notes && tz_notes_count(sh->notes)) || sh->hidden)
        return 1;
    for (int k = 1; k < TZ_SKIP_KINDS; k++)
        if (sh->skipped[k])
            return 1;
    size_t used = 0;
    for (size_t i = 0; i < l->ncols && i < TZ_IMPORT_MAX_COLS; i++) {
        int j = sh->file_col[i];
        if (j < 0 || (size_t)j >= sh->nheader || sh->how[i] != TZ_HOW_EXACT)
            return 1;
        used++;
    }
    size_t cells = 0;
    for (size_t j = 0; j < sh->nheader; j++)
        cells += sh->header[j][strspn(sh->header[j], " \t")] != '\0';
    return cells != used;
}

/* Prints, for each sheet, what it was read as: the header, the columns,
 * the rows left out, values read otherwise and the rows added and changed
 * (a dry run always; a real import when something is worth saying). */
static void _sheets_text(const tz_ledger *l, const tz_import_result *r, int dry_run, int accepted)
{
    int show = dry_run || r->nsheets > 1;
    for (size_t i = 0; i < r->nsheets && !show; i++)
        show = _sheet_worth_showing(l, &r->sheets[i]);
    for (size_t i = 0; show && i < r->nsheets; i++) {
        const tz_import_sheet *sh = &r->sheets[i];
        if (r->nsheets > 1 || *sh->name)
            printf("工作表“%s”%s:", sh->name, sh->hidden ? "(隐藏的工作表,已一并读取)" : "");
        else
            printf("文件内容:");
        if (sh->status != TZ_SHEET_READ) {
            printf(" 未导入,%s\n", sh->reason ? sh->reason : "");
            continue;
        }
        printf("\n");
        _header_text(l, sh);
        _skipped_text(sh);
        _notes_text(l, sh->notes);
        if (sh->national)
            printf("  全国系统导出的人员名单: %zu人,其中户主以外的家庭成员%zu人,合为%zu户\n",
                   sh->persons, sh->members, sh->rows);
        if (accepted)
            printf("  %s%zu行,%s%zu行,不变%zu行\n", dry_run ? "将新增" : "新增", sh->inserted,
                   dry_run ? "将修改" : "修改", sh->updated, sh->rows - sh->inserted - sh->updated);
        else
            printf("  数据%zu行\n", sh->rows);
    }
}

/* Prints the outcome of tz_import_file (rc) as text: the summary on stdout
 * unless quiet, why it was refused or failed on stderr. */
static void _import_text(const tz_ledger *l, const char *path, int dry_run, int quiet, int rc,
                         const tz_import_result *r, const tz_diags *d)
{
    if (!quiet && rc != -1)
        _sheets_text(l, r, dry_run, rc == 0);
    if (rc == 0) {
        if (!quiet) {
            /* values trimmed or replaced are listed above; the count is
             * repeated here so that none goes unnoticed */
            tz_buf noted = TZ_BUF_INIT;
            if (r->blank)
                tz_buf_printf(&noted, ",跳过空行%zu行", r->blank);
            size_t other = 0;
            for (size_t i = 0; i < r->nsheets; i++)
                for (int k = 1; k < TZ_SKIP_KINDS; k++)
                    other += r->sheets[i].skipped[k];
            if (other)
                tz_buf_printf(&noted, ",跳过非数据行%zu行(见上)", other);
            if (d->nwarnings)
                tz_buf_printf(&noted, ",另有%zu处提示(见上)", d->nwarnings);
            if (dry_run)
                printf("校验通过 %s → %s: %zu行数据全部合格%s(试运行,未写入)\n", path, l->name,
                       r->rows, tz_buf_str(&noted));
            else
                printf("已导入 %s → %s: 读取%zu行,新增%zu行,修改%zu行,未变%zu行%s(%s)\n", path,
                       l->name, r->rows, r->inserted, r->updated,
                       r->rows - r->inserted - r->updated, tz_buf_str(&noted), r->encoding);
            tz_buf_free(&noted);
        }
    } else if (rc == 1) {
        fprintf(stderr, "导入被拒绝: %s 有%zu处错误,数据库未做任何改动\n", path, d->nerrors);
    } else {
        fprintf(stderr, "导入失败: %s,数据库未做任何改动\n", path);
    }
}

/* Imports one file; prints the outcome (as text, or with json as the
 * tz_view_import object on stdout). Returns an exit status. */
int tz_cli_import_one(tz_store *s, const tz_ledger *l, const char *path, const char *within,
                      int dry_run, int quiet, int json)
{
    tz_diags d = TZ_DIAGS_INIT;
    double last_bar = 0;
    tz_import_progress bar = {_import_bar, &last_bar};
    tz_import_opts o = {.dry_run = dry_run,
                        .progress = !quiet && isatty(STDERR_FILENO) ? &bar : NULL,
                        .actor = "命令行",
                        .within = within};
    tz_import_result r = {.rows = 0};
    int rc;
    if (access(path, R_OK) != 0) {
        char shown[TZ_CLI_ECHO_SIZE];
        tz_diags_error(&d, tz_cli_echo(path, shown, sizeof shown), 0, NULL, NULL,
                       "文件不存在或无法读取");
        tz_print_diags(&d);
        rc = -1;
    } else {
        rc = tz_import_file(s, l, path, &o, &r, &d);
        tz_print_diags(&d);
        _import_text(l, path, dry_run, quiet || json, rc, &r, &d);
    }
    if (json) {
        json_t *j = tz_view_import(l, path, dry_run, rc, &r, &d);
        tz_cli_jprint(j);
        json_decref(j);
    }
    tz_diags_clear(&d);
    tz_import_result_free(&r);
    return rc == 0 ? TZ_EXIT_OK : rc == 1 ? TZ_EXIT_DATA : TZ_EXIT_ENV;
}

int tz_cmd_import(int argc, char **argv, const tz_command *self)
{
    static const tz_opt_spec opts[] = {{.name = "--dry-run"},
                                       {.name = "--quiet"},
                                       {.name = "--json"},
                                       {.name = "--region", .takes_value = 1},
                                       {.name = NULL}};
    static const tz_cli_form form = {
        .opts = opts,
        .npos_min = 3,
        .npos_max = 3,
        .npos_msg = "需要 DB、LEDGER 和 FILE 三个参数",
        .help = "\n  --dry-run  只校验,不写入数据库\n"
                "  --quiet    不显示进度和结果摘要\n"
                "  --json     结果以JSON输出到标准输出(行数、新增、修改、编码、错误和提示)\n"
                "  --region 区划  文件用村、乡名称代替区划代码时,只在这个区划(代码或名称)内查找\n"
                "同一键值的行再次导入时更新原记录,不会重复。任何一行有错,整个文件都不写入。\n"};
    tz_args a;
    const tz_ledger *l;
    int rc;
    if (!tz_cli_begin_ledger(argc, argv, self, &form, 1, &a, &l, &rc))
        return rc;
    static const char *const exts[] = {".xlsx", ".csv", ".xls", NULL};
    if ((rc = tz_cli_file_ext(a.pos[2], exts, "导入文件", self->usage)))
        return rc;
    struct stat sb;
    if (stat(a.pos[2], &sb) == 0 && !S_ISREG(sb.st_mode)) {
        char shown[TZ_CLI_ECHO_SIZE];
        return tz_usage_error(self->usage, "%s 不是文件",
                              tz_cli_echo(a.pos[2], shown, sizeof shown));
    }
    tz_store *s = NULL;
    if ((rc = tz_cli_open(a.pos[0], 0, &s)))
        return rc;
    int dry_run = tz_args_has(&a, "--dry-run");
    char within[13] = "";
    const char *region = tz_args_get(&a, "--region");
    if (region) {
        tz_diags rd = TZ_DIAGS_INIT;
        int rr = tz_region_resolve(s, region, within, &rd);
        tz_print_diags(&rd);
        tz_diags_clear(&rd);
        if (rr) {
            tz_store_close(s);
            return tz_usage_error(self->usage, "--region \"%s\" 有误", region);
        }
    }
    rc = tz_cli_import_one(s, l, a.pos[2], region ? within : NULL, dry_run,
                           tz_args_has(&a, "--quiet"), tz_args_has(&a, "--json"));
    if (rc == TZ_EXIT_OK && !dry_run)
        tz_cli_refresh(s, tz_args_has(&a, "--quiet"));
    tz_store_close(s);
    return rc;
}
