/* cmd_backup.c - backup and restore commands: a whole database to one file
 * and back, while other commands go on. */
#include "cli/cli.h"
#include "store/store.h"
#include <stdio.h>
#include <unistd.h>

/* Progress bar on stderr, for a terminal only. */
static void _bar(void *ctx, unsigned long long done, unsigned long long total)
{
    const char *what = ctx;
    int pct = total ? (int)(done * 100 / total) : 100;
    char bar[31];
    for (int i = 0; i < 30; i++)
        bar[i] = i < pct * 30 / 100 ? '#' : '.';
    bar[30] = '\0';
    fprintf(stderr, "\r%s [%s] %3d%%", what, bar, pct);
    if (done >= total)
        fputc('\n', stderr);
    fflush(stderr);
}

static int _prologue(int argc, char **argv, const tz_command *self, const char *help, tz_args *a)
{
    static const tz_opt_spec spec[] = {{"--quiet", 0, 0}, {NULL, 0, 0}};
    if (tz_args_parse(argc, argv, spec, a))
        return tz_usage_error(self->usage, "参数有误");
    if (a->help) {
        printf("用法: %s\n%s。\n%s", self->usage, self->summary, help);
        return TZ_EXIT_OK;
    }
    if (a->npos != 2)
        return tz_usage_error(self->usage, "需要两个参数");
    return -1;
}

static int _finish(int r, tz_diags *d)
{
    tz_print_diags(d);
    tz_diags_clear(d);
    return r == 0 ? TZ_EXIT_OK : TZ_EXIT_ENV;
}

int tz_cmd_backup(int argc, char **argv, const tz_command *self)
{
    tz_args a;
    int rc = _prologue(argc, argv, self,
                       "\n  --quiet  不显示进度\n"
                       "备份时其他命令(导入、查询、汇报)可以照常进行;备份的是开始那一刻的完整数据。\n"
                       "SQLite 数据库备份为一个数据库文件;PostgreSQL 用 pg_dump 备份(自定义格式)。\n"
                       "备份文件只有本人可读(权限0600),不会覆盖已有文件。\n",
                       &a);
    if (rc >= 0)
        return rc;
    tz_diags d = TZ_DIAGS_INIT;
    int show = !tz_args_has(&a, "--quiet") && isatty(STDERR_FILENO);
    int r = tz_store_backup(a.pos[0], a.pos[1], show ? _bar : NULL, "备份", &d);
    if (r == 0 && !tz_args_has(&a, "--quiet"))
        printf("已备份 %s → %s\n", a.pos[0], a.pos[1]);
    return _finish(r, &d);
}

int tz_cmd_restore(int argc, char **argv, const tz_command *self)
{
    tz_args a;
    int rc = _prologue(argc, argv, self,
                       "\n  --quiet  不显示进度\n"
                       "把 taizhang backup 生成的备份恢复为一个新的数据库: SQLite 的 DB 必须是还不存在的文件,\n"
                       "PostgreSQL 的 DB 必须是新建的空库(用 pg_restore)。不会覆盖已有的数据库。\n",
                       &a);
    if (rc >= 0)
        return rc;
    tz_diags d = TZ_DIAGS_INIT;
    int show = !tz_args_has(&a, "--quiet") && isatty(STDERR_FILENO);
    int r = tz_store_restore(a.pos[0], a.pos[1], show ? _bar : NULL, "恢复", &d);
    if (r == 0 && !tz_args_has(&a, "--quiet"))
        printf("已恢复 %s → %s\n", a.pos[0], a.pos[1]);
    return _finish(r, &d);
}
