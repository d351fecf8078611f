/* cmd_demo.c - `taizhang demo DB`: load the seed county and city ledgers,
 * then add the demo accounts (one per role at every level) and print them. */
#include "cli/cli.h"
#include "store/store.h"
#include "util/text.h"
#include "web/web.h"
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The one password of every demo account: for the demo database only. */
#define DEMO_PASSWORD "taizhang-demo"

/* The demo accounts: every role at the city, the county, a township, a
 * village and a 责任单位 of each ledger family (a region by code, or a unit). */
typedef struct demo_account {
    const char *name;   /* login name */
    const char *role;   /* role word */
    const char *region; /* region code, or NULL */
    const char *unit;   /* unit name, or NULL */
} demo_account;

static const demo_account _accounts[] = {
    {"shi_guanli", "管理员", "411400", NULL}, /* 商丘市 */
    {"shi_shenhe", "审核", "411400", NULL},
    {"shi_tianbao", "填报", "411400", NULL},
    {"shi_chakan", "查看", "411400", NULL},
    {"xian_guanli", "管理员", "411628", NULL}, /* 鹿邑县 */
    {"xian_shenhe", "审核", "411628", NULL},
    {"xian_tianbao", "填报", "411628", NULL},
    {"xian_chakan", "查看", "411628", NULL},
    {"xiang_guanli", "管理员", "411628101", NULL}, /* 宋河镇 */
    {"xiang_shenhe", "审核", "411628101", NULL},
    {"xiang_tianbao", "填报", "411628101", NULL},
    {"xiang_chakan", "查看", "411628101", NULL},
    {"cun_guanli", "管理员", "411628101201", NULL}, /* 卢尧村 */
    {"cun_shenhe", "审核", "411628101201", NULL},
    {"cun_tianbao", "填报", "411628101201", NULL},
    {"cun_chakan", "查看", "411628101201", NULL},
    {"danwei_guanli", "管理员", NULL, "县文化广电旅游局"}, /* its aid inputs */
    {"danwei_shenhe", "审核", NULL, "县文化广电旅游局"},
    {"danwei_tianbao", "填报", NULL, "县文化广电旅游局"},
    {"danwei_chakan", "查看", NULL, "县文化广电旅游局"},
    {"zhaoshang_tianbao", "填报", NULL, "虞城县"}, /* a city 责任单位 with projects */
};
#define NACCOUNTS (sizeof _accounts / sizeof _accounts[0])

/* Adds the demo accounts. Returns an exit status (after printing why). */
static int _add_accounts(tz_store *s)
{
    tz_diags d = TZ_DIAGS_INIT;
    int r = 0;
    for (size_t i = 0; i < NACCOUNTS && r == 0; i++)
        r = tz_account_add(s, _accounts[i].name, _accounts[i].role, _accounts[i].region,
                           _accounts[i].unit, DEMO_PASSWORD, NULL, &d);
    tz_print_diags(&d);
    tz_diags_clear(&d);
    return r == 0 ? TZ_EXIT_OK : r > 0 ? TZ_EXIT_DATA : TZ_EXIT_ENV;
}

/* Prints the demo accounts as a table: name, role, scope, initial password. */
static int _print_accounts(tz_store *s)
{
    printf("\n示例账户(仅供演示;初始密码均为 %s,正式使用请用 taizhang user passwd 修改):\n",
           DEMO_PASSWORD);
    tz_text_fpad(stdout, "用户名", 20);
    tz_text_fpad(stdout, "角色", 8);
    tz_text_fpad(stdout, "范围", 30);
    printf("初始密码\n");
    for (size_t i = 0; i < NACCOUNTS; i++) {
        tz_account a;
        char scope[300];
        if (tz_account_get(s, _accounts[i].name, &a) != 1) {
            fprintf(stderr, "读取示例账户 %s 失败: %s\n", _accounts[i].name, tz_store_errmsg(s));
            return TZ_EXIT_ENV;
        }
        if (a.access.unit[0])
            snprintf(scope, sizeof scope, "%s(责任单位)", a.access.unit);
        else
            snprintf(scope, sizeof scope, "%s(%s级)", a.scope_name, tz_level_word(a.level));
        tz_text_fpad(stdout, a.name, 20);
        tz_text_fpad(stdout, tz_role_word(a.role), 8);
        tz_text_fpad(stdout, scope, 30);
        printf("%s\n", DEMO_PASSWORD);
    }
    return TZ_EXIT_OK;
}

int tz_cmd_demo(int argc, char **argv, const tz_command *self)
{
    static const tz_opt_spec opts[] = {{.name = "--quiet"}, {.name = NULL}};
    static const tz_cli_form form = {
        .opts = opts,
        .npos_min = 1,
        .npos_max = 1,
        .npos_msg = "需要一个数据库路径",
        .help = "示例台账位于 examples/county(周口市鹿邑县,文档A)和 "
                "examples/city(商丘市,文档B),通过正常的导入流程逐个导入。\n"
                "随后建立示例账户(市、县、乡、村和责任单位各有管理员、审核、填报、查看),\n"
                "初始密码相同,仅供演示;--quiet 时不列出。\n"};
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
    if (rc == TZ_EXIT_OK)
        rc = _add_accounts(s);
    if (rc == TZ_EXIT_OK) {
        tz_cli_refresh(s, quiet); /* once, after every file */
        printf("示例数据库已就绪: %s(导入%d个台账文件,%zu个示例账户)\n", a.pos[0], files,
               NACCOUNTS);
        if (!quiet)
            rc = _print_accounts(s);
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
