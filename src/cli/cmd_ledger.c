/* cmd_ledger.c - `init` (a new ledger database) and `import` (a ledger file
 * into it, all or nothing; --json prints web/views.h's tz_view_import), with
 * the import step `demo` shares. */
#include "cli/cli.h"
#include "metrics/metrics.h"
#include "store/store.h"
#include "web/views.h"
#include <limits.h>
#include <stdio.h>
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
    char label[PATH_MAX + 16], tail[48];
    snprintf(label, sizeof label, "导入 %s", file);
    snprintf(tail, sizeof tail, " %zu行", rows);
    tz_cli_bar(label, stage == TZ_IMPORT_READ || pct > 100 ? 100 : pct, tail,
               stage == TZ_IMPORT_READ);
}

/* Prints the outcome of tz_import_file (rc) as text: the summary on stdout
 * unless quiet, why it was refused or failed on stderr. */
static void _import_text(const tz_ledger *l, const char *path, int dry_run, int quiet, int rc,
                         const tz_import_result *r, const tz_diags *d)
{
    if (rc == 0) {
        if (!quiet) {
            /* values trimmed or replaced are listed above; the count is
             * repeated here so that none goes unnoticed */
            char noted[128] = "";
            size_t at = 0;
            if (r->blank)
                at = (size_t)snprintf(noted, sizeof noted, ",跳过空行%zu行", r->blank);
            if (d->nwarnings)
                snprintf(noted + at, sizeof noted - at, ",另有%zu处提示(见上)", d->nwarnings);
            if (dry_run)
                printf("校验通过 %s → %s: %zu行数据全部合格%s(试运行,未写入)\n", path, l->name,
                       r->rows, noted);
            else
                printf("已导入 %s → %s: 读取%zu行,新增%zu行,修改%zu行,未变%zu行%s(%s)\n", path,
                       l->name, r->rows, r->inserted, r->updated,
                       r->rows - r->inserted - r->updated, noted, r->encoding);
        }
    } else if (rc == 1) {
        fprintf(stderr, "导入被拒绝: %s 有%zu处错误,数据库未做任何改动\n", path, d->nerrors);
    } else {
        fprintf(stderr, "导入失败: %s,数据库未做任何改动\n", path);
    }
}

/* Imports one file; prints the outcome (as text, or with json as the
 * tz_view_import object on stdout). Returns an exit status. */
int tz_cli_import_one(tz_store *s, const tz_ledger *l, const char *path, int dry_run, int quiet,
                      int json)
{
    tz_diags d = TZ_DIAGS_INIT;
    double last_bar = 0;
    tz_import_progress bar = {_import_bar, &last_bar};
    tz_import_opts o = {.dry_run = dry_run,
                        .progress = !quiet && isatty(STDERR_FILENO) ? &bar : NULL,
                        .actor = "命令行"};
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
    return rc == 0 ? TZ_EXIT_OK : rc == 1 ? TZ_EXIT_DATA : TZ_EXIT_ENV;
}

int tz_cmd_import(int argc, char **argv, const tz_command *self)
{
    static const tz_opt_spec opts[] = {
        {.name = "--dry-run"}, {.name = "--quiet"}, {.name = "--json"}, {.name = NULL}};
    static const tz_cli_form form = {
        .opts = opts,
        .npos_min = 3,
        .npos_max = 3,
        .npos_msg = "需要 DB、LEDGER 和 FILE 三个参数",
        .help = "\n  --dry-run  只校验,不写入数据库\n"
                "  --quiet    不显示进度和结果摘要\n"
                "  --json     结果以JSON输出到标准输出(行数、新增、修改、编码、错误和提示)\n"
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
    rc = tz_cli_import_one(s, l, a.pos[2], dry_run, tz_args_has(&a, "--quiet"),
                           tz_args_has(&a, "--json"));
    if (rc == TZ_EXIT_OK && !dry_run)
        tz_cli_refresh(s, tz_args_has(&a, "--quiet"));
    tz_store_close(s);
    return rc;
}
