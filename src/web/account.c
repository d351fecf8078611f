/* account.c - accounts: roles, scopes (a region and everything under it, or
 * one 责任单位), argon2id passwords, and who may manage whom. Every change
 * is audited; neither a password nor its hash ever reaches the log. */
#include "metrics/metrics.h"
#include "util/random.h"
#include "util/text.h"
#include "web/account_impl.h"
#include "web/web.h"
#include <argon2.h>
#include <errno.h>
#include <jansson.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- roles ------------------------------------------------------------- */

static const char *const _roles[] = {"管理员", "审核", "填报", "查看"};
#define NROLES (sizeof _roles / sizeof _roles[0])

const char *tz_role_word(tz_role r)
{
    return (unsigned)r < NROLES ? _roles[r] : "";
}

int tz_role_parse(const char *word, tz_role *r)
{
    for (size_t i = 0; word && i < NROLES; i++)
        if (!strcmp(word, _roles[i])) {
            *r = (tz_role)i;
            return 0;
        }
    return -1;
}

/* ---- randomness and passwords ------------------------------------------ */

int tz_password_hash(const char *pw, char *out, size_t outsz)
{
    unsigned char salt[TZ_PW_SALT];
    size_t need =
        argon2_encodedlen(TZ_PW_T, TZ_PW_M_KIB, TZ_PW_P, TZ_PW_SALT, TZ_PW_HASHLEN, Argon2_id);
    if (need > outsz || tz_random_bytes(salt, sizeof salt))
        return -1;
    int r = argon2id_hash_encoded(TZ_PW_T, TZ_PW_M_KIB, TZ_PW_P, pw, strlen(pw), salt, sizeof salt,
                                  TZ_PW_HASHLEN, out, outsz);
    return r == ARGON2_OK ? 0 : -1;
}

int tz_password_verify(const char *encoded, const char *pw)
{
    if (strncmp(encoded, "$argon2id$", 10) != 0)
        return 0;
    int r = argon2id_verify(encoded, pw, strlen(pw));
    if (r == ARGON2_OK)
        return 1;
    return r == ARGON2_MEMORY_ALLOCATION_ERROR ? -1 : 0;
}

/* ---- scopes ------------------------------------------------------------- */

int tz_access_contains(tz_store *s, const tz_access *outer, const tz_access *inner)
{
    if (!outer)
        return 1;
    if (!inner)
        return 0;
    if (outer->unit[0])
        return inner->unit[0] && !strcmp(outer->unit, inner->unit);
    if (outer->digits < 1 || outer->digits > 12)
        return 0;
    size_t digits = (size_t)outer->digits;
    if (!inner->unit[0])
        return inner->digits >= outer->digits && strlen(inner->region) == 12 &&
               !strncmp(inner->region, outer->region, digits);
    char code[13] = "";
    int r = tz_unit_get(s, inner->unit, NULL, 0, code);
    if (r <= 0)
        return r;
    return strlen(code) == 12 && !strncmp(code, outer->region, digits);
}

/* A region named by its code (6, 9 or 12 digits) or exact name into *a.
 * Returns 0, 1 when it names nothing (diag), -1 on a database error. */
static int _resolve_region(tz_store *s, const char *arg, tz_access *a, char *name, size_t namesz,
                           tz_level *level, tz_diags *d)
{
    size_t n = strlen(arg);
    int is_code = n == 6 || n == 9 || n == 12;
    for (size_t i = 0; i < n; i++)
        if (arg[i] < '0' || arg[i] > '9')
            is_code = 0;
    tz_stmt *st = NULL;
    tz_buf many = TZ_BUF_INIT;
    int rc = -1, r, found = 0;
    char code[13] = "";
    if (is_code) {
        memcpy(code, arg, n);
        memset(code + n, '0', 12 - n);
        code[12] = '\0';
    }
    if (tz_store_prepare(s,
                         is_code
                             ? "SELECT code, name, level FROM regions WHERE code = ?"
                             : "SELECT code, name, level FROM regions WHERE name = ? ORDER BY code",
                         &st) ||
        tz_stmt_bind_text(st, 1, is_code ? code : arg))
        goto done;
    while ((r = tz_stmt_step(st)) == 1) {
        const char *c = tz_stmt_text(st, 0), *nm = tz_stmt_text(st, 1), *lv = tz_stmt_text(st, 2);
        if (!found++) {
            tz_level l = tz_level_parse(lv);
            memset(a, 0, sizeof *a);
            snprintf(a->region, sizeof a->region, "%.12s", c ? c : "");
            a->digits = l == TZ_LEVEL_NONE ? tz_code_digits(a->region) : tz_level_digits(l);
            if (name && namesz)
                snprintf(name, namesz, "%s", nm ? nm : "");
            if (level)
                *level = l;
        }
        tz_buf_printf(&many, "%s%s(%s)", found > 1 ? "、" : "", c ? c : "", lv ? lv : "");
    }
    if (r < 0)
        goto done;
    rc = 1;
    if (found == 0 && is_code)
        tz_diags_error(d, NULL, 0, "区划", arg, "行政区划台账中没有这个区划代码");
    else if (found == 0 && n > 0 && strspn(arg, "0123456789") == n)
        tz_diags_error(d, NULL, 0, "区划", arg, "区划代码应为6位、9位或12位数字");
    else if (found == 0)
        tz_diags_error(d, NULL, 0, "区划", arg, "行政区划台账中没有这个名称的区划");
    else if (found > 1)
        tz_diags_error(d, NULL, 0, "区划", arg, "这个名称对应%d个区划:%s,请改用区划代码", found,
                       tz_buf_str(&many));
    else
        rc = 0;
done:
    if (rc < 0)
        tz_diags_error(d, NULL, 0, "区划", arg, "数据库查询失败: %s", tz_store_errmsg(s));
    tz_stmt_free(st);
    tz_buf_free(&many);
    return rc;
}

int tz_access_resolve(tz_store *s, const char *region, const char *unit, tz_access *a, char *name,
                      size_t namesz, tz_level *level, tz_diags *d)
{
    if ((region != NULL) == (unit != NULL)) {
        tz_diags_error(d, NULL, 0, "范围", NULL,
                       "账户范围应指定区划或单位之一(不能都指定或都不指定)");
        return 1;
    }
    if (region)
        return _resolve_region(s, region, a, name, namesz, level, d);
    char code[13];
    int r = tz_unit_get(s, unit, NULL, 0, code);
    if (r < 0) {
        tz_diags_error(d, NULL, 0, "单位", unit, "数据库查询失败: %s", tz_store_errmsg(s));
        return -1;
    }
    if (r == 0) {
        tz_diags_error(d, NULL, 0, "单位", unit, "责任单位台账中没有这个名称的单位");
        return 1;
    }
    memset(a, 0, sizeof *a);
    snprintf(a->unit, sizeof a->unit, "%s", unit);
    if (name && namesz)
        snprintf(name, namesz, "%s", unit);
    if (level)
        *level = TZ_LEVEL_NONE;
    return 0;
}

/* ---- reading accounts ----------------------------------------------------- */

/* One tz_users row as read with TZ_ACCOUNT_COLUMNS. */
typedef struct user_row {
    char name[64];         /* login name */
    char role[32];         /* role word */
    char kind[16];         /* scope_kind: region or unit */
    char scope[256];       /* region code or unit name */
    int disabled;          /* 1 when disabled */
    int have_region;       /* 1 when the region is in the regions ledger */
    char region_name[256]; /* its name there */
    char level[16];        /* its level word there */
} user_row;

/* Reads the TZ_ACCOUNT_COLUMNS starting at column col of st's current row. */
static void _read_row(tz_stmt *st, int col, user_row *u)
{
    char *const text[] = {u->name, u->role, u->kind, u->scope, NULL, u->region_name, u->level};
    const size_t size[] = {
        sizeof u->name,        sizeof u->role, sizeof u->kind, sizeof u->scope, 0,
        sizeof u->region_name, sizeof u->level};
    for (int i = 0; i < 7; i++)
        if (text[i]) {
            const char *v = tz_stmt_text(st, col + i);
            snprintf(text[i], size[i], "%s", v ? v : "");
        }
    u->disabled = tz_stmt_int(st, col + 4) != 0;
    u->have_region = tz_stmt_text(st, col + 5) != NULL;
}

/* Builds the account of a stored row: the region's name and level come from
 * the regions ledger (the code itself when it is no longer there). */
static void _fill(const user_row *u, tz_account *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", u->name);
    out->role = TZ_ROLE_VIEWER; /* an unknown stored word gets the least */
    tz_role_parse(u->role, &out->role);
    out->disabled = u->disabled;
    out->level = TZ_LEVEL_NONE;
    if (!strcmp(u->kind, "unit")) {
        snprintf(out->access.unit, sizeof out->access.unit, "%s", u->scope);
        snprintf(out->scope_name, sizeof out->scope_name, "%s", u->scope);
        return;
    }
    snprintf(out->access.region, sizeof out->access.region, "%.12s", u->scope);
    if (u->have_region)
        out->level = tz_level_parse(u->level);
    snprintf(out->scope_name, sizeof out->scope_name, "%s",
             u->have_region ? u->region_name : u->scope);
    out->access.digits = out->level == TZ_LEVEL_NONE ? tz_code_digits(out->access.region)
                                                     : tz_level_digits(out->level);
}

void tz_account_read(tz_stmt *st, int col, tz_account *out)
{
    user_row u;
    _read_row(st, col, &u);
    _fill(&u, out);
}

int tz_account_get(tz_store *s, const char *name, tz_account *out)
{
    tz_stmt *st = NULL;
    int r = -1;
    memset(out, 0, sizeof *out);
    if (!tz_store_prepare(s,
                          "SELECT " TZ_ACCOUNT_COLUMNS " FROM tz_users u " TZ_ACCOUNT_REGION_JOIN
                          " WHERE u.name = ?",
                          &st) &&
        !tz_stmt_bind_text(st, 1, name))
        r = tz_stmt_step(st);
    if (r == 1)
        tz_account_read(st, 0, out);
    tz_stmt_free(st);
    return r;
}

int tz_account_secret(tz_store *s, const char *name, char *hash, size_t hashsz, int *disabled)
{
    tz_stmt *st = NULL;
    int r = -1;
    if (!tz_store_prepare(s, "SELECT pw_hash, disabled FROM tz_users WHERE name = ?", &st) &&
        !tz_stmt_bind_text(st, 1, name))
        r = tz_stmt_step(st);
    if (r == 1) {
        snprintf(hash, hashsz, "%s", tz_stmt_text(st, 0) ? tz_stmt_text(st, 0) : "");
        *disabled = tz_stmt_int(st, 1) != 0;
    }
    tz_stmt_free(st);
    return r;
}

int tz_account_list(tz_store *s, const tz_account *by, tz_account_cb cb, void *ctx, tz_diags *d)
{
    tz_stmt *st = NULL;
    user_row *rows = NULL;
    size_t n = 0, cap = 0;
    int rc = -1, r;
    /* read every row first: a unit's region (tz_access_contains) is a query
     * of its own */
    if (tz_store_prepare(s,
                         "SELECT " TZ_ACCOUNT_COLUMNS " FROM tz_users u " TZ_ACCOUNT_REGION_JOIN
                         " ORDER BY u.name",
                         &st))
        goto done;
    while ((r = tz_stmt_step(st)) == 1) {
        if (n == cap) {
            size_t ncap = cap ? 2 * cap : 16;
            user_row *grown = realloc(rows, ncap * sizeof *rows);
            if (!grown)
                goto done;
            rows = grown;
            cap = ncap;
        }
        _read_row(st, 0, &rows[n++]);
    }
    if (r < 0)
        goto done;
    for (size_t i = 0; i < n; i++) {
        tz_account a;
        _fill(&rows[i], &a);
        int in = by ? tz_access_contains(s, &by->access, &a.access) : 1;
        if (in < 0)
            goto done;
        if (in && cb(ctx, &a)) {
            rc = 0; /* the callback stopped the listing */
            goto out;
        }
    }
    rc = 0;
    goto out;
done:
    tz_diags_error(d, NULL, 0, NULL, NULL, "读取账户失败: %s", tz_store_errmsg(s));
out:
    tz_stmt_free(st);
    free(rows);
    return rc;
}

json_t *tz_account_json(const tz_account *a)
{
    json_t *scope;
    if (a->access.unit[0])
        scope = json_pack("{s:s, s:s, s:s, s:s}", "kind", "unit", "unit", a->access.unit, "name",
                          a->scope_name, "level", "单位");
    else
        scope = json_pack("{s:s, s:s, s:s, s:s}", "kind", "region", "code", a->access.region,
                          "name", a->scope_name, "level", tz_level_word(a->level));
    return json_pack("{s:s, s:s, s:o*, s:b}", "user", a->name, "role", tz_role_word(a->role),
                     "scope", scope, "disabled", a->disabled);
}

/* ---- changing accounts ---------------------------------------------------- */

/* Who makes a change, for the audit log: the administrator's account, or
 * the login of the process on the command line. */
static void _actor(const tz_account *by, char *out, size_t sz)
{
    if (by) {
        snprintf(out, sz, "%s", by->name);
        return;
    }
    struct passwd pw, *res = NULL;
    char buf[1024];
    if (getpwuid_r(geteuid(), &pw, buf, sizeof buf, &res) == 0 && res)
        snprintf(out, sz, "命令行(%s)", res->pw_name);
    else
        snprintf(out, sz, "命令行(uid %u)", (unsigned)geteuid());
}

/* Sets *why (when asked) and returns 1: a refusal. */
static int _refuse(tz_refusal *why, tz_refusal r)
{
    if (why)
        *why = r;
    return 1;
}

/* 1 for a character a login name may not hold: controls, invisible
 * characters and every kind of space. */
static int _bad_name_char(long cp)
{
    return cp < 0 || cp == ' ' || cp == 0xA0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200A) ||
           tz_char_hidden(cp);
}

/* The position (from 1) of the first character of text for which bad says
 * 1, with that character in *cp; 0 when there is none. */
static size_t _first_char(const char *text, int (*bad)(long cp), long *cp)
{
    size_t at = 0;
    for (const char *p = text; *p;) {
        at++;
        p += tz_utf8_next(p, cp);
        if (bad(*cp))
            return at;
    }
    return 0;
}

/* Checks a login name. Returns 0, or 1 with a diag naming 用户名. */
static int _check_name(const char *name, tz_diags *d)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > 63) {
        tz_diags_error(d, NULL, 0, "用户名", name, "用户名应为1至63个字节(中文每字3字节)");
        return 1;
    }
    if (!tz_utf8_valid(name, n)) {
        tz_diags_error(d, NULL, 0, "用户名", name, "用户名不是有效的UTF-8文本");
        return 1;
    }
    long cp;
    if (_first_char(name, _bad_name_char, &cp)) {
        tz_diags_error(d, NULL, 0, "用户名", name,
                       "用户名含有空格、控制字符或不可见字符(U+%04lX),请删除", cp);
        return 1;
    }
    return 0;
}

/* Checks a new password. Returns 0, or 1 with a diag naming 密码 (never
 * echoing it). */
static int _check_password(const char *pw, tz_diags *d)
{
    size_t n = pw ? strlen(pw) : 0;
    if (!pw || !tz_utf8_valid(pw, n)) {
        tz_diags_error(d, NULL, 0, "密码", NULL, "密码不是有效的UTF-8文本");
        return 1;
    }
    size_t chars = tz_utf8_count(pw);
    if (chars < TZ_PW_MIN_CHARS || chars > TZ_PW_MAX_CHARS) {
        tz_diags_error(d, NULL, 0, "密码", NULL, "密码应为%d至%d个字符(现有%zu个)", TZ_PW_MIN_CHARS,
                       TZ_PW_MAX_CHARS, chars);
        return 1;
    }
    long cp;
    size_t at = _first_char(pw, tz_char_hidden, &cp);
    if (at) {
        /* the position only: the character itself is part of the password */
        tz_diags_error(d, NULL, 0, "密码", NULL,
                       "密码第%zu个字符是控制字符或不可见字符,请改用其他字符", at);
        return 1;
    }
    return 0;
}

/* A scope's display form for messages and the audit log: "鹿邑县(411628000000)"
 * or "单位 县扶贫办". */
static void _scope_text(const tz_access *a, const char *name, char *out, size_t sz)
{
    if (a->unit[0])
        snprintf(out, sz, "单位 %s", a->unit);
    else
        snprintf(out, sz, "%s(%s)", name, a->region);
}

/* May by manage an account of scope a? Returns 0 yes, 1 refused (diag, why
 * TZ_REFUSED_SCOPE), -1 on a database error. */
static int _may_manage(tz_store *s, const tz_account *by, const tz_access *a, const char *name,
                       tz_diags *d, tz_refusal *why)
{
    if (!by)
        return 0;
    if (by->role != TZ_ROLE_ADMIN) {
        tz_diags_error(d, NULL, 0, "账户", by->name, "只有管理员可以管理账户(当前账户角色为%s)",
                       tz_role_word(by->role));
        return _refuse(why, TZ_REFUSED_SCOPE);
    }
    int in = tz_access_contains(s, &by->access, a);
    if (in < 0) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "数据库查询失败: %s", tz_store_errmsg(s));
        return -1;
    }
    if (!in) {
        char mine[300], theirs[300];
        _scope_text(&by->access, by->scope_name, mine, sizeof mine);
        _scope_text(a, name, theirs, sizeof theirs);
        tz_diags_error(d, NULL, 0, "范围", theirs, "不在当前账户的管理范围 %s 之内", mine);
        return _refuse(why, TZ_REFUSED_SCOPE);
    }
    return 0;
}

/* Runs one write statement with text parameters (NULL-ended) in the open
 * transaction. Returns 0 or -1. */
static int _exec(tz_store *s, const char *sql, const char *const *params)
{
    tz_stmt *st = NULL;
    int rc = -1;
    if (tz_store_prepare(s, sql, &st))
        goto done;
    for (int i = 0; params && params[i]; i++)
        if (tz_stmt_bind_text(st, i + 1, params[i]))
            goto done;
    rc = tz_stmt_step(st) < 0 ? -1 : 0;
done:
    tz_stmt_free(st);
    return rc;
}

/* Ends a write transaction: commits when rc is 0, else rolls back; a failed
 * commit is a database error (diag). Returns rc, or -1. */
static int _finish(tz_store *s, int rc, tz_diags *d)
{
    if (rc == 0 && tz_store_commit(s) == 0)
        return 0;
    if (tz_store_in_tx(s))
        tz_store_rollback(s);
    if (rc == 0 || rc < 0) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "数据库写入失败: %s", tz_store_errmsg(s));
        return -1;
    }
    return rc;
}

/* The current time as the audit log writes it. */
static void _now_text(char *out, size_t sz)
{
    time_t now = time(NULL);
    struct tm tmv;
    if (!localtime_r(&now, &tmv) || !strftime(out, sz, "%Y-%m-%d %H:%M:%S", &tmv))
        snprintf(out, sz, "%lld", (long long)now);
}

/* Inserts the new account and its audit entry in one transaction. Returns
 * 0, 1 when the name is taken (diag), -1 on a database error (diag). */
static int _insert(tz_store *s, const char *name, tz_role role, const tz_access *a,
                   const char *scope_text, const char *hash, const tz_account *by, tz_diags *d,
                   tz_refusal *why)
{
    char actor[300], now[32], detail[400];
    _actor(by, actor, sizeof actor);
    _now_text(now, sizeof now);
    snprintf(detail, sizeof detail, "角色 %s,范围 %s", tz_role_word(role), scope_text);
    if (tz_store_begin(s)) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "数据库无法写入: %s", tz_store_errmsg(s));
        return -1;
    }
    long long taken = 0;
    const char *const who[] = {name, NULL};
    int rc = tz_store_scalar_int(s, "SELECT count(*) FROM tz_users WHERE name = ?", who, &taken);
    if (rc == 0 && taken) {
        tz_diags_error(d, NULL, 0, "用户名", name, "已有同名账户");
        rc = _refuse(why, TZ_REFUSED_EXISTS);
    }
    if (rc == 0) {
        const char *const row[] = {name,
                                   hash,
                                   tz_role_word(role),
                                   a->unit[0] ? "unit" : "region",
                                   a->unit[0] ? a->unit : a->region,
                                   now,
                                   by ? by->name : actor,
                                   NULL};
        rc = _exec(s,
                   "INSERT INTO tz_users (name, pw_hash, role, scope_kind, scope, disabled, "
                   "created, created_by) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
                   row);
    }
    if (rc == 0)
        rc = tz_store_audit(s, actor, "新增账户", NULL, name, detail);
    return _finish(s, rc, d);
}

int tz_account_add_why(tz_store *s, const char *name, const char *role, const char *region,
                       const char *unit, const char *password, const tz_account *by, tz_diags *d,
                       tz_refusal *why)
{
    tz_role r;
    tz_access a;
    char scope_name[256], scope_text[300], hash[TZ_PW_ENCODED];
    if (why)
        *why = TZ_REFUSED_NONE;
    if (_check_name(name, d))
        return _refuse(why, TZ_REFUSED_INPUT);
    if (tz_role_parse(role, &r)) {
        tz_diags_error(d, NULL, 0, "角色", role, "未知角色,应为 管理员、审核、填报 或 查看");
        return _refuse(why, TZ_REFUSED_INPUT);
    }
    int rc = tz_access_resolve(s, region, unit, &a, scope_name, sizeof scope_name, NULL, d);
    if (rc)
        return rc < 0 ? -1 : _refuse(why, TZ_REFUSED_INPUT);
    _scope_text(&a, scope_name, scope_text, sizeof scope_text);
    if ((rc = _may_manage(s, by, &a, scope_name, d, why)) != 0)
        return rc;
    if (_check_password(password, d))
        return _refuse(why, TZ_REFUSED_INPUT);
    /* the slow hash before the write lock */
    if (tz_password_hash(password, hash, sizeof hash)) {
        tz_diags_error(d, NULL, 0, "密码", NULL, "无法计算密码散列(内存不足或系统随机数不可用)");
        return -1;
    }
    return _insert(s, name, r, &a, scope_text, hash, by, d, why);
}

int tz_account_add(tz_store *s, const char *name, const char *role, const char *region,
                   const char *unit, const char *password, const tz_account *by, tz_diags *d)
{
    return tz_account_add_why(s, name, role, region, unit, password, by, d, NULL);
}

/* Finds the account a change is for and checks by may manage it. Returns 0,
 * 1 when refused (diag), -1 on a database error. */
static int _target(tz_store *s, const char *name, const tz_account *by, tz_account *t, tz_diags *d,
                   tz_refusal *why)
{
    int r = name ? tz_account_get(s, name, t) : 0;
    if (r < 0) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "读取账户失败: %s", tz_store_errmsg(s));
        return -1;
    }
    if (r == 0) {
        tz_diags_error(d, NULL, 0, "用户名", name, "没有这个账户");
        return _refuse(why, TZ_REFUSED_MISSING);
    }
    return _may_manage(s, by, &t->access, t->scope_name, d, why);
}

/* Updates an account (sql takes the given parameters), ends its sessions and
 * audits action, in one transaction. Returns 0 or -1 (diag). */
static int _change(tz_store *s, const char *sql, const char *const *params, const char *name,
                   const char *action, const tz_account *by, tz_diags *d)
{
    char actor[300];
    _actor(by, actor, sizeof actor);
    if (tz_store_begin(s)) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "数据库无法写入: %s", tz_store_errmsg(s));
        return -1;
    }
    const char *const who[] = {name, NULL};
    int rc = _exec(s, sql, params);
    if (rc == 0)
        rc = _exec(s, "DELETE FROM tz_sessions WHERE username = ?", who);
    if (rc == 0)
        rc = tz_store_audit(s, actor, action, NULL, name, "");
    return _finish(s, rc, d);
}

int tz_account_passwd_why(tz_store *s, const char *name, const char *password, const tz_account *by,
                          tz_diags *d, tz_refusal *why)
{
    tz_account t;
    char hash[TZ_PW_ENCODED];
    if (why)
        *why = TZ_REFUSED_NONE;
    int rc = _target(s, name, by, &t, d, why);
    if (rc)
        return rc;
    if (_check_password(password, d))
        return _refuse(why, TZ_REFUSED_INPUT);
    if (tz_password_hash(password, hash, sizeof hash)) {
        tz_diags_error(d, NULL, 0, "密码", NULL, "无法计算密码散列(内存不足或系统随机数不可用)");
        return -1;
    }
    const char *const params[] = {hash, name, NULL};
    return _change(s, "UPDATE tz_users SET pw_hash = ? WHERE name = ?", params, name, "修改密码",
                   by, d);
}

int tz_account_passwd(tz_store *s, const char *name, const char *password, const tz_account *by,
                      tz_diags *d)
{
    return tz_account_passwd_why(s, name, password, by, d, NULL);
}

int tz_account_disable_why(tz_store *s, const char *name, const tz_account *by, tz_diags *d,
                           tz_refusal *why)
{
    tz_account t;
    if (why)
        *why = TZ_REFUSED_NONE;
    int rc = _target(s, name, by, &t, d, why);
    if (rc)
        return rc;
    if (by && !strcmp(by->name, t.name)) {
        tz_diags_error(d, NULL, 0, "用户名", name, "不能停用当前登录的账户");
        return _refuse(why, TZ_REFUSED_INPUT);
    }
    if (t.disabled) {
        tz_diags_error(d, NULL, 0, "用户名", name, "这个账户已经停用");
        return _refuse(why, TZ_REFUSED_INPUT);
    }
    const char *const params[] = {name, NULL};
    return _change(s, "UPDATE tz_users SET disabled = 1 WHERE name = ?", params, name, "停用账户",
                   by, d);
}

int tz_account_enable_why(tz_store *s, const char *name, const tz_account *by, tz_diags *d,
                          tz_refusal *why)
{
    tz_account t;
    if (why)
        *why = TZ_REFUSED_NONE;
    int rc = _target(s, name, by, &t, d, why);
    if (rc)
        return rc;
    if (!t.disabled) {
        tz_diags_error(d, NULL, 0, "用户名", name, "这个账户没有停用");
        return _refuse(why, TZ_REFUSED_INPUT);
    }
    const char *const params[] = {name, NULL};
    return _change(s, "UPDATE tz_users SET disabled = 0 WHERE name = ?", params, name, "启用账户",
                   by, d);
}

int tz_account_disable(tz_store *s, const char *name, const tz_account *by, tz_diags *d)
{
    return tz_account_disable_why(s, name, by, d, NULL);
}
