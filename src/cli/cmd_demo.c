/* cmd_demo.c - `taizhang demo DB`: load the seed county and city ledgers,
 * then add the demo accounts of examples/accounts.csv (one per role at every
 * level) and print them. */
#include "cli/cli.h"
#include "io/reader.h"
#include "store/store.h"
#include "util/text.h"
#include "web/web.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The one password of every demo account: for the demo database only. */
#define DEMO_PASSWORD "taizhang-demo"

/* The demo accounts are data: examples/accounts.csv, one row each (用户名,
 * 角色, 区划 or 单位; a 说明 column is for the reader), every role at the
 * city, the county, a township, a village and a 责任单位 of each ledger
 * family. */
#define DEMO_ACCOUNTS "accounts.csv"
#define DEMO_COLUMNS 4

/* Checks the header row of the accounts file. Returns 0, or 1 (diag). */
static int _accounts_header(const char *file, const tz_row *row, tz_diags *d)
{
    static const char *const want[DEMO_COLUMNS] = {"用户名", "角色", "区划", "单位"};
    for (size_t c = 0; c < DEMO_COLUMNS; c++)
        if (c >= row->n || strcmp(row->cells[c], want[c]) != 0) {
            tz_diags_error(d, file, row->rowno, want[c], c < row->n ? row->cells[c] : NULL,
                           "第%zu列的表头应为“%s”(表头依次为 用户名、角色、区划、单位)", c + 1,
                           want[c]);
            return 1;
        }
    return 0;
}

/* Adds the account of one data row; the diags of a refusal get the file
 * and row. Returns as tz_account_add. */
static int _add_account(tz_store *s, const char *file, const tz_row *row, tz_diags *d)
{
    const char *v[DEMO_COLUMNS];
    for (size_t c = 0; c < DEMO_COLUMNS; c++)
        v[c] = c < row->n && row->cells[c][0] ? row->cells[c] : NULL;
    size_t before = d->n;
    int r =
        tz_account_add(s, v[0] ? v[0] : "", v[1] ? v[1] : "", v[2], v[3], DEMO_PASSWORD, NULL, d);
    for (size_t i = before; i < d->n; i++)
        if (!d->items[i].file) {
            d->items[i].file = strdup(file);
            d->items[i].row = row->rowno;
        }
    return r;
}

/* Adds the demo accounts of examples/accounts.csv, their names into *names
 * (caller frees each and the array) and their number into *n. Returns an
 * exit status (after printing why). */
static int _add_accounts(tz_store *s, char ***names, size_t *n)
{
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/examples/%s", tz_home_dir(), DEMO_ACCOUNTS);
    tz_diags d = TZ_DIAGS_INIT;
    tz_reader *rd = NULL;
    const tz_row *row;
    int r = tz_reader_open(path, &rd, &d), header = 1;
    *names = NULL;
    *n = 0;
    while (r == 0 && (r = tz_reader_next(rd, &row, &d)) == 1) {
        if (header) {
            header = 0;
            r = _accounts_header(DEMO_ACCOUNTS, row, &d);
            continue;
        }
        char **grown = realloc(*names, (*n + 1) * sizeof **names);
        if (grown)
            *names = grown;
        if (!grown || !((*names)[*n] = strdup(row->cells[0]))) {
            tz_diags_error(&d, NULL, 0, NULL, NULL, "内存不足");
            r = -1;
            break;
        }
        ++*n;
        r = _add_account(s, DEMO_ACCOUNTS, row, &d);
    }
    if (r == 0 && *n == 0) {
        tz_diags_error(&d, DEMO_ACCOUNTS, 0, NULL, NULL, "示例账户文件中没有账户");
        r = 1;
    }
    tz_reader_free(rd);
    tz_print_diags(&d);
    tz_diags_clear(&d);
    return r == 0 ? TZ_EXIT_OK : r > 0 ? TZ_EXIT_DATA : TZ_EXIT_ENV;
}

/* Prints the demo accounts as a table: name, role, scope, initial password. */
static int _print_accounts(tz_store *s, char *const *names, size_t n)
{
    printf("\n示例账户(仅供演示;初始密码均为 %s,正式使用请用 taizhang user passwd 修改):\n",
           DEMO_PASSWORD);
    tz_text_fpad(stdout, "用户名", 20);
    tz_text_fpad(stdout, "角色", 8);
    tz_text_fpad(stdout, "范围", 30);
    printf("初始密码\n");
    for (size_t i = 0; i < n; i++) {
        tz_account a;
        char scope[300];
        if (tz_account_get(s, names[i], &a) != 1) {
            fprintf(stderr, "读取示例账户 %s 失败: %s\n", names[i], tz_store_errmsg(s));
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
                "随后按 examples/accounts.csv 建立示例账户(市、县、乡、村和责任单位各有管理员、\n"
                "审核、填报、查看),"
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
            rc = tz_cli_import_one(s, &all[i], path, NULL, 0, quiet, 0);
            files++;
        }
    }
    if (files == 0) {
        fprintf(stderr, "示例台账目录 %s 中没有台账文件\n", dir);
        rc = TZ_EXIT_ENV;
    }
    char **names = NULL;
    size_t nnames = 0;
    if (rc == TZ_EXIT_OK)
        rc = _add_accounts(s, &names, &nnames);
    if (rc == TZ_EXIT_OK) {
        tz_cli_refresh(s, quiet); /* once, after every file */
        printf("示例数据库已就绪: %s(导入%d个台账文件,%zu个示例账户)\n", a.pos[0], files, nnames);
        if (!quiet)
            rc = _print_accounts(s, names, nnames);
    }
    for (size_t i = 0; i < nnames; i++)
        free(names[i]);
    free(names);
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
