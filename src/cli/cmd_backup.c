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
