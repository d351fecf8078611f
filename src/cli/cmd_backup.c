/* cmd_backup.c - backup and restore commands: a whole database to one file
 * and back, while other commands go on. */
#include "cli/cli.h"
#include "store/store.h"
#include <stdio.h>
#include <unistd.h>

/* Progress bar on stderr, for a terminal only. */
static void _bar(void *ctx, unsigned long long done, unsigned long long total)
{
    tz_cli_bar(ctx, total ? (int)(done * 100 / total) : 100, "", done >= total);
}

/* What backup and restore each do with their two arguments. */
typedef int (*copy_fn)(const char *from, const char *to, tz_progress_cb bar, void *ctx,
                       tz_diags *d);

/* The whole of backup and restore: they differ only in the copy they make,
 * its word (备份 / 恢复) and their help. */
static int _copy_command(int argc, char **argv, const tz_command *self, const char *help,
                         copy_fn copy, const char *verb)
{
    static const tz_opt_spec opts[] = {{.name = "--quiet"}, {.name = NULL}};
    const tz_cli_form form = {
        .opts = opts, .npos_min = 2, .npos_max = 2, .npos_msg = "需要两个参数", .help = help};
    tz_args a;
    int rc;
    if (!tz_cli_begin(argc, argv, self, &form, &a, &rc))
        return rc;
    tz_diags d = TZ_DIAGS_INIT;
    int quiet = tz_args_has(&a, "--quiet");
    int r =
        copy(a.pos[0], a.pos[1], !quiet && isatty(STDERR_FILENO) ? _bar : NULL, (void *)verb, &d);
    if (r == 0 && !quiet)
        printf("已%s %s → %s\n", verb, a.pos[0], a.pos[1]);
    tz_print_diags(&d);
    tz_diags_clear(&d);
    return r == 0 ? TZ_EXIT_OK : TZ_EXIT_ENV;
}

int tz_cmd_backup(int argc, char **argv, const tz_command *self)
{
    return _copy_command(
        argc, argv, self,
        "\n  --quiet  不显示进度\n"
        "备份时其他命令(导入、查询、汇报)可以照常进行;备份的是开始那一刻的完整数据。\n"
        "SQLite 数据库备份为一个数据库文件;PostgreSQL 用 pg_dump 备份(自定义格式)。\n"
        "备份文件只有本人可读(权限0600),不会覆盖已有文件。\n",
        tz_store_backup, "备份");
}

int tz_cmd_restore(int argc, char **argv, const tz_command *self)
{
    return _copy_command(
        argc, argv, self,
        "\n  --quiet  不显示进度\n"
        "把 taizhang backup 生成的备份恢复为一个新的数据库: SQLite 的 DB 必须是还不存在的文件,\n"
        "PostgreSQL 的 DB 必须是新建的空库(用 pg_restore)。不会覆盖已有的数据库。\n",
        tz_store_restore, "恢复");
}

/* Progress of a copy (rows), on a terminal only. */
static void _rows_bar(void *ctx, unsigned long long done, unsigned long long total)
{
    (void)ctx;
    char what[64];
    snprintf(what, sizeof what, " %llu/%llu行", done, total);
    tz_cli_bar("复制", total ? (int)(done * 100 / total) : 100, what, done >= total);
}

int tz_cmd_copy(int argc, char **argv, const tz_command *self)
{
    static const tz_opt_spec opts[] = {{.name = "--quiet"}, {.name = NULL}};
    const tz_cli_form form = {
        .opts = opts,
        .npos_min = 2,
        .npos_max = 2,
        .npos_msg = "需要两个参数",
        .help = "\n  --quiet  不显示进度和各表行数\n"
                "把整个数据库复制为一个新的数据库,SQLite 和 PostgreSQL 可以互相复制:\n"
                "全部台账、留痕记录、账户、会话、上报期限和上报审核记录都复制,一个不少。\n"
                "SRC 在复制期间照常可用(读取的是开始那一刻的数据);DST 必须是还不存在的\n"
                "SQLite 文件,或新建的空 PostgreSQL 库。复制要么全部完成,要么不留下任何东西。\n"
                "指标汇总表不复制,DST 第一次查询时自动重建。\n"};
    tz_args a;
    int rc;
    if (!tz_cli_begin(argc, argv, self, &form, &a, &rc))
        return rc;
    int quiet = tz_args_has(&a, "--quiet");
    tz_store *src = NULL, *dst = NULL;
    if ((rc = tz_cli_open(a.pos[0], 0, &src)))
        return rc;
    int existed = access(a.pos[1], F_OK) == 0;
    if ((rc = tz_cli_open(a.pos[1], TZ_OPEN_CREATE | TZ_OPEN_MUST_NOT_EXIST, &dst))) {
        tz_store_close(src);
        return rc;
    }
    tz_diags d = TZ_DIAGS_INIT;
    tz_copy_result res;
    int r = tz_store_copy(src, dst, "命令行", !quiet && isatty(STDERR_FILENO) ? _rows_bar : NULL,
                          NULL, &res, &d);
    int sqlite_dst = tz_store_backend(dst) == TZ_BACKEND_SQLITE;
    tz_store_close(dst);
    tz_store_close(src);
    if (r == 0 && !quiet) {
        size_t derived = 0;
        for (size_t i = 0; i < res.n; i++)
            if (res.v[i].derived)
                derived++;
            else
                printf("  %-20s %lld行\n", res.v[i].name, res.v[i].rows);
        printf("已复制 %s → %s: %zu张表,共%lld行", a.pos[0], a.pos[1], res.n - derived, res.rows);
        if (derived)
            printf("(%zu张指标汇总表不复制,首次查询时重建)", derived);
        printf("\n");
    }
    if (r != 0 && sqlite_dst && !existed)
        tz_store_remove_files(a.pos[1]); /* the new file holds nothing: leave nothing */
    tz_copy_result_free(&res);
    tz_print_diags(&d);
    tz_diags_clear(&d);
    return r == 0 ? TZ_EXIT_OK : TZ_EXIT_ENV;
}
