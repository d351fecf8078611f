/* cmd_demo.c - `taizhang demo DB`: load the seed county and city ledgers. */
#include "cli/cli.h"
#include "store/store.h"
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int tz_cmd_demo(int argc, char **argv, const tz_command *self)
{
    static const tz_opt_spec opts[] = {{.name = "--quiet"}, {.name = NULL}};
    static const tz_cli_form form = {
        .opts = opts,
        .npos_min = 1,
        .npos_max = 1,
        .npos_msg = "需要一个数据库路径",
        .help = "示例台账位于 examples/county(周口市鹿邑县,文档A)和 "
                "examples/city(商丘市,文档B),通过正常的导入流程逐个导入。\n"};
    static const char *const folders[] = {"county", "city"};
    tz_args a;
    int rc;
    if (!tz_cli_begin(argc, argv, self, &form, &a, &rc))
        return rc;
    int quiet = tz_args_has(&a, "--quiet");
    char dir[PATH_MAX + 16];
    snprintf(dir, sizeof dir, "%s/examples", tz_home_dir());
    if (access(dir, R_OK) != 0) {
        fprintf(stderr,
                "找不到示例台账目录 %s,未创建数据库(可设置环境变量 TAIZHANG_HOME 指向程序目录)\n",
                dir);
        return TZ_EXIT_ENV;
    }
    tz_store *s = NULL;
    if ((rc = tz_cli_open(a.pos[0], TZ_OPEN_CREATE | TZ_OPEN_MUST_NOT_EXIST, &s)))
        return rc;
    size_t n;
    const tz_ledger *all = tz_ledger_all(&n);
    int files = 0;
    for (size_t f = 0; f < 2 && rc == TZ_EXIT_OK; f++) {
        for (size_t i = 0; i < n && rc == TZ_EXIT_OK; i++) {
            char path[PATH_MAX * 2];
            snprintf(path, sizeof path, "%s/examples/%s/%s.csv", tz_home_dir(), folders[f],
                     all[i].id);
            if (access(path, R_OK) != 0)
                continue;
            rc = tz_cli_import_one(s, &all[i], path, 0, quiet, 0);
            files++;
        }
    }
    if (files == 0) {
        fprintf(stderr, "示例台账目录 %s 中没有台账文件\n", dir);
        rc = TZ_EXIT_ENV;
    }
    if (rc == TZ_EXIT_OK) {
        tz_cli_refresh(s, quiet); /* once, after every file */
        printf("示例数据库已就绪: %s(导入%d个台账文件)\n", a.pos[0], files);
    }
    tz_store_close(s);
    if (rc != TZ_EXIT_OK && tz_store_is_file(a.pos[0])) {
        /* a half-loaded demo is of no use and would block the next try */
        static const char *const sfx[] = {"", "-wal", "-shm"};
        for (size_t k = 0; k < 3; k++) {
            char p[PATH_MAX + 8];
            snprintf(p, sizeof p, "%s%s", a.pos[0], sfx[k]);
            unlink(p);
        }
        fprintf(stderr, "示例数据库未建成,已删除 %s\n", a.pos[0]);
    }
    return rc;
}
