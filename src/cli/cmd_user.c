/* cmd_user.c - `taizhang user add|list|disable|passwd`: the server's
 * accounts from the command line (web/account.c does the work). Passwords
 * come from standard input, never from the command line: one line, or, on
 * a terminal, typed twice without echo. */
#include "cli/cli.h"
#include "util/text.h"
#include "web/web.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* The subcommands, each with its own usage line for --help and errors. */
static const tz_command _add_cmd = {
    "user add", "新增账户(密码从标准输入读取)",
    "taizhang user add DB NAME --role 管理员|审核|填报|查看 (--region 区划 | --unit 单位)", NULL};
static const tz_command _list_cmd = {"user list", "列出全部账户", "taizhang user list DB [--json]",
                                     NULL};
static const tz_command _disable_cmd = {"user disable", "停用账户(并结束它的会话)",
                                        "taizhang user disable DB NAME", NULL};
static const tz_command _passwd_cmd = {"user passwd", "修改账户密码(从标准输入读取,并结束它的会话)",
                                       "taizhang user passwd DB NAME", NULL};

/* Reads one line from fp into a new string without its line end; NULL at
 * end of input. The caller wipes and frees it. */
static char *_read_line(FILE *fp)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, fp);
    if (n < 0) {
        free(line);
        return NULL;
    }
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    return line;
}

/* Wipes and frees a password. */
static void _forget(char *pw)
{
    if (pw) {
        explicit_bzero(pw, strlen(pw));
        free(pw);
    }
}

/* Prompts on stderr and reads one line from the terminal without echo.
 * Echo goes off before the prompt shows, so nothing typed after it is
 * echoed. */
static char *_ask(const char *prompt)
{
    struct termios old, quiet;
    int restore = tcgetattr(STDIN_FILENO, &old) == 0;
    if (restore) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        quiet.c_lflag |= ECHONL;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    (void)fputs(prompt, stderr);
    (void)fflush(stderr);
    char *pw = _read_line(stdin);
    if (restore)
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
    return pw;
}

/* The new password: one line of standard input, or typed twice on a
 * terminal. Returns it (caller _forget()s), or NULL after printing why and
 * setting *status. */
static char *_password(int *status)
{
    if (!isatty(STDIN_FILENO)) {
        char *pw = _read_line(stdin);
        if (!pw) {
            fprintf(stderr, "未从标准输入读到密码(应为一行,例如 echo 密码 | taizhang user ...)\n");
            *status = TZ_EXIT_USAGE;
        }
        return pw;
    }
    char *pw = _ask("请输入密码: ");
    char *again = pw ? _ask("请再输入一次: ") : NULL;
    if (!pw || !again || strcmp(pw, again) != 0) {
        fprintf(stderr, pw && again ? "两次输入的密码不一致,账户未改动\n" : "未读到密码\n");
        *status = pw && again ? TZ_EXIT_DATA : TZ_EXIT_USAGE;
        _forget(pw);
        pw = NULL;
    }
    _forget(again);
    return pw;
}

/* Prints the diags of a refused or failed change and maps rc (0, 1, -1) to
 * an exit status. */
static int _outcome(int rc, tz_diags *d)
{
    tz_print_diags(d);
    tz_diags_clear(d);
    return rc == 0 ? TZ_EXIT_OK : rc > 0 ? TZ_EXIT_DATA : TZ_EXIT_ENV;
}

/* Refuses, before the password is asked for, what does not need it: a scope
 * that names nothing and a name already taken. Returns an exit status. */
static int _precheck(tz_store *s, const char *name, const char *region, const char *unit)
{
    tz_diags d = TZ_DIAGS_INIT;
    tz_access scope;
    tz_account old;
    int r = tz_access_resolve(s, region, unit, &scope, NULL, 0, NULL, &d);
    if (r == 0 && (r = tz_account_get(s, name, &old)) == 1) {
        tz_diags_error(&d, NULL, 0, "用户名", name, "已有同名账户");
        r = 1;
    }
    if (r < 0 && d.nerrors == 0)
        tz_diags_error(&d, NULL, 0, NULL, NULL, "读取账户失败: %s", tz_store_errmsg(s));
    return _outcome(r, &d);
}

static int _user_add(int argc, char **argv)
{
    static const tz_opt_spec opts[] = {{.name = "--role", .takes_value = 1},
                                       {.name = "--region", .takes_value = 1},
                                       {.name = "--unit", .takes_value = 1},
                                       {.name = NULL}};
    static const tz_cli_form form = {
        .opts = opts,
        .npos_min = 2,
        .npos_max = 2,
        .npos_msg = "需要数据库路径和用户名",
        .help = "\n  --role    管理员、审核、填报 或 查看\n"
                "  --region  账户范围为一个区划及其下级(6/9/12位区划代码或准确名称)\n"
                "  --unit    账户范围为一个责任单位(单位名称)\n"
                "密码从标准输入读取一行(终端上不回显,输入两次),至少8个字符。\n"};
    tz_args a;
    int rc;
    if (!tz_cli_begin(argc, argv, &_add_cmd, &form, &a, &rc))
        return rc;
    const char *role = tz_args_get(&a, "--role");
    const char *region = tz_args_get(&a, "--region"), *unit = tz_args_get(&a, "--unit");
    tz_role known;
    if (!role)
        return tz_usage_error(_add_cmd.usage, "需要 --role");
    if (tz_role_parse(role, &known)) {
        char shown[TZ_CLI_ECHO_SIZE];
        return tz_usage_error(_add_cmd.usage,
                              "--role \"%s\" 不是角色,应为 管理员、审核、填报 或 查看",
                              tz_cli_echo(role, shown, sizeof shown));
    }
    if ((region != NULL) == (unit != NULL))
        return tz_usage_error(_add_cmd.usage, "需要 --region 或 --unit 之一(账户的范围)");
    tz_store *s = NULL;
    if ((rc = tz_cli_open(a.pos[0], 0, &s)))
        return rc;
    if ((rc = _precheck(s, a.pos[1], region, unit)) != TZ_EXIT_OK) {
        tz_store_close(s);
        return rc;
    }
    char *pw = _password(&rc);
    if (pw) {
        tz_diags d = TZ_DIAGS_INIT;
        rc = _outcome(tz_account_add(s, a.pos[1], role, region, unit, pw, NULL, &d), &d);
        if (rc == TZ_EXIT_OK)
            printf("已新增账户 %s(%s)\n", a.pos[1], role);
    }
    _forget(pw);
    tz_store_close(s);
    return rc;
}

/* The accounts a listing collects. */
typedef struct acct_list {
    tz_account *a; /* accounts, by name */
    size_t n;      /* how many */
    size_t cap;    /* room */
    int oom;       /* 1 when memory ran out */
} acct_list;

static int _collect(void *ctx, const tz_account *a)
{
    acct_list *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        tz_account *grown = realloc(l->a, cap * sizeof *grown);
        if (!grown) {
            l->oom = 1;
            return 1;
        }
        l->a = grown;
        l->cap = cap;
    }
    l->a[l->n++] = *a;
    return 0;
}

/* The scope column of the table: "鹿邑县(411628000000)" or "县扶贫办". */
static void _scope_cell(const tz_account *a, char *out, size_t sz)
{
    if (a->access.unit[0])
        snprintf(out, sz, "%s", a->access.unit);
    else
        snprintf(out, sz, "%s(%s)", a->scope_name, a->access.region);
}

/* Prints the accounts as an aligned table. */
static void _print_table(const acct_list *l)
{
    static const char *const head[] = {"用户名", "角色", "范围", "层级", "状态"};
    size_t w[5];
    char scope[300];
    for (int k = 0; k < 5; k++)
        w[k] = tz_text_width(head[k]);
    for (size_t i = 0; i < l->n; i++) {
        _scope_cell(&l->a[i], scope, sizeof scope);
        size_t cw[3] = {tz_text_width(l->a[i].name), tz_text_width(tz_role_word(l->a[i].role)),
                        tz_text_width(scope)};
        for (int k = 0; k < 3; k++)
            w[k] = cw[k] > w[k] ? cw[k] : w[k];
    }
    for (int k = 0; k < 5; k++) {
        tz_text_fpad(stdout, head[k], k < 4 ? w[k] + 2 : 0);
    }
    putchar('\n');
    for (size_t i = 0; i < l->n; i++) {
        const tz_account *a = &l->a[i];
        _scope_cell(a, scope, sizeof scope);
        tz_text_fpad(stdout, a->name, w[0] + 2);
        tz_text_fpad(stdout, tz_role_word(a->role), w[1] + 2);
        tz_text_fpad(stdout, scope, w[2] + 2);
        tz_text_fpad(stdout, a->access.unit[0] ? "单位" : tz_level_word(a->level), w[3] + 2);
        printf("%s\n", a->disabled ? "已停用" : "正常");
    }
}

static int _user_list(int argc, char **argv)
{
    static const tz_opt_spec opts[] = {{.name = "--json"}, {.name = NULL}};
    static const tz_cli_form form = {
        .opts = opts, .npos_min = 1, .npos_max = 1, .npos_msg = "需要一个数据库路径"};
    tz_args a;
    int rc;
    if (!tz_cli_begin(argc, argv, &_list_cmd, &form, &a, &rc))
        return rc;
    tz_store *s = NULL;
    if ((rc = tz_cli_open(a.pos[0], 0, &s)))
        return rc;
    tz_diags d = TZ_DIAGS_INIT;
    acct_list l = {NULL, 0, 0, 0};
    if (tz_account_list(s, NULL, _collect, &l, &d) || l.oom) {
        if (l.oom)
            fprintf(stderr, "内存不足,无法列出账户\n");
        rc = _outcome(-1, &d);
    } else if (tz_args_has(&a, "--json")) {
        json_t *arr = json_array();
        for (size_t i = 0; i < l.n; i++)
            json_array_append_new(arr, tz_account_json(&l.a[i]));
        tz_cli_jprint(arr);
        json_decref(arr);
    } else {
        _print_table(&l);
    }
    free(l.a);
    tz_store_close(s);
    return rc;
}

/* disable and passwd: a database and one account name. */
static int _user_change(int argc, char **argv, int passwd)
{
    const tz_command *self = passwd ? &_passwd_cmd : &_disable_cmd;
    const tz_cli_form form = {
        .opts = NULL,
        .npos_min = 2,
        .npos_max = 2,
        .npos_msg = "需要数据库路径和用户名",
        .help = passwd ? "新密码从标准输入读取一行(终端上不回显,输入两次),至少8个字符。\n"
                         "修改后该账户已登录的会话全部失效。\n"
                       : "停用后该账户不能登录,已登录的会话全部失效。\n"};
    tz_args a;
    int rc;
    if (!tz_cli_begin(argc, argv, self, &form, &a, &rc))
        return rc;
    tz_store *s = NULL;
    if ((rc = tz_cli_open(a.pos[0], 0, &s)))
        return rc;
    tz_diags d = TZ_DIAGS_INIT;
    if (passwd) {
        char *pw = _password(&rc);
        if (pw) {
            rc = _outcome(tz_account_passwd(s, a.pos[1], pw, NULL, &d), &d);
            if (rc == TZ_EXIT_OK)
                printf("已修改账户 %s 的密码\n", a.pos[1]);
        }
        _forget(pw);
    } else {
        rc = _outcome(tz_account_disable(s, a.pos[1], NULL, &d), &d);
        if (rc == TZ_EXIT_OK)
            printf("已停用账户 %s\n", a.pos[1]);
    }
    tz_store_close(s);
    return rc;
}

int tz_cmd_user(int argc, char **argv, const tz_command *self)
{
    const char *sub = argc > 0 ? argv[0] : "";
    if (!strcmp(sub, "add"))
        return _user_add(argc - 1, argv + 1);
    if (!strcmp(sub, "list"))
        return _user_list(argc - 1, argv + 1);
    if (!strcmp(sub, "disable"))
        return _user_change(argc - 1, argv + 1, 0);
    if (!strcmp(sub, "passwd"))
        return _user_change(argc - 1, argv + 1, 1);
    if (!strcmp(sub, "--help") || !strcmp(sub, "-h")) {
        printf("用法: %s\n%s。\n\n  %s\n  %s\n  %s\n  %s\n", self->usage, self->summary,
               _add_cmd.usage, _list_cmd.usage, _disable_cmd.usage, _passwd_cmd.usage);
        return TZ_EXIT_OK;
    }
    char shown[TZ_CLI_ECHO_SIZE];
    if (!*sub)
        return tz_usage_error(self->usage, "需要子命令 add、list、disable 或 passwd");
    return tz_usage_error(self->usage, "未知子命令 \"%s\",应为 add、list、disable 或 passwd",
                          tz_cli_echo(sub, shown, sizeof shown));
}
