/* test_account.c - unit tests of accounts (web/account.c) and logins and
 * sessions (web/session.c) on a real SQLite file: roles, scopes, adding and
 * managing accounts within an administrator's scope, argon2id hashes, the
 * login limits per account and per address, and sessions that expire and
 * end. The argon2 cost is production's: each test makes few hashes. When
 * TZ_PG_URI names a test server, logins and sessions run on a fresh
 * PostgreSQL database too (created beside the test database, then dropped). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "web/account_impl.h"
#include "web/web.h"
#include <jansson.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char _dir[64];
static int _ndb;

static int _setup(void **state)
{
    (void)state;
    snprintf(_dir, sizeof _dir, "/tmp/tz-account-XXXXXX");
    return mkdtemp(_dir) ? 0 : -1;
}

static int _teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", _dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A new database holding a small region tree and three units. */
static tz_store *_db(void)
{
    char path[128];
    snprintf(path, sizeof path, "%s/t%d.db", _dir, _ndb++);
    tz_diags d = TZ_DIAGS_INIT;
    tz_store *s = NULL;
    assert_int_equal(tz_store_open(path, TZ_OPEN_CREATE | TZ_OPEN_MUST_NOT_EXIST, &s, &d), 0);
    tz_diags_clear(&d);
    assert_int_equal(tz_store_exec(s, "INSERT INTO regions (code, name, parent, level) VALUES "
                                      "('410000000000', '河南省', NULL, '省'),"
                                      "('411600000000', '周口市', '410000000000', '市'),"
                                      "('411628000000', '鹿邑县', '411600000000', '县'),"
                                      "('411628101000', '宋河镇', '411628000000', '乡'),"
                                      "('411628102000', '枣集镇', '411628000000', '乡'),"
                                      "('411628101201', '卢尧村', '411628101000', '村'),"
                                      "('411628102201', '卢尧村', '411628102000', '村');"
                                      "INSERT INTO units (name, kind, region) VALUES "
                                      "('县扶贫办', '县直单位', '411628000000'),"
                                      "('市商务局', '市直单位', '411600000000'),"
                                      "('县文化广电旅游局', '县直单位', '411628000000');"),
                     0);
    return s;
}

static long long _count(tz_store *s, const char *sql, const char *p1)
{
    const char *const params[] = {p1, NULL};
    long long n = -1;
    assert_int_equal(tz_store_scalar_int(s, sql, p1 ? params : NULL, &n), 0);
    return n;
}

/* Adds an account from the command line (by NULL); asserts it worked. */
static void _add(tz_store *s, const char *name, const char *role, const char *region,
                 const char *unit)
{
    tz_diags d = TZ_DIAGS_INIT;
    int r = tz_account_add(s, name, role, region, unit, "secret-pass-1", NULL, &d);
    if (r != 0)
        tz_diags_print(&d, stderr);
    assert_int_equal(r, 0);
    tz_diags_clear(&d);
}

/* The reason of the first diag, for checks on the message. */
static const char *_why(const tz_diags *d)
{
    return d->n ? d->items[0].reason : "";
}

static void test_roles(void **state)
{
    (void)state;
    static const char *const words[] = {"管理员", "审核", "填报", "查看"};
    for (int i = 0; i < 4; i++) {
        tz_role r;
        assert_int_equal(tz_role_parse(words[i], &r), 0);
        assert_int_equal(r, i);
        assert_string_equal(tz_role_word(r), words[i]);
    }
    tz_role r;
    assert_int_equal(tz_role_parse("admin", &r), -1);
    assert_int_equal(tz_role_parse(NULL, &r), -1);
}

static void test_resolve(void **state)
{
    (void)state;
    tz_store *s = _db();
    tz_diags d = TZ_DIAGS_INIT;
    tz_access a;
    char name[64];
    tz_level lv;
    assert_int_equal(tz_access_resolve(s, "411628", NULL, &a, name, sizeof name, &lv, &d), 0);
    assert_string_equal(a.region, "411628000000");
    assert_int_equal(a.digits, 6);
    assert_string_equal(name, "鹿邑县");
    assert_int_equal(lv, TZ_LEVEL_COUNTY);
    assert_int_equal(tz_access_resolve(s, "411628101", NULL, &a, name, sizeof name, &lv, &d), 0);
    assert_int_equal(a.digits, 9);
    assert_string_equal(name, "宋河镇");
    assert_int_equal(tz_access_resolve(s, "宋河镇", NULL, &a, NULL, 0, &lv, &d), 0);
    assert_string_equal(a.region, "411628101000");
    assert_int_equal(tz_access_resolve(s, "411628101201", NULL, &a, NULL, 0, &lv, &d), 0);
    assert_int_equal(a.digits, 12);
    assert_int_equal(lv, TZ_LEVEL_VILLAGE);
    assert_int_equal(tz_access_resolve(s, "周口市", NULL, &a, NULL, 0, NULL, &d), 0);
    assert_int_equal(a.digits, 4);
    assert_int_equal(d.n, 0);
    /* a name two villages share, a code of the wrong length, unknown ones */
    assert_int_equal(tz_access_resolve(s, "卢尧村", NULL, &a, NULL, 0, NULL, &d), 1);
    assert_non_null(strstr(_why(&d), "2个区划"));
    assert_string_equal(d.items[0].column, "区划");
    tz_diags_clear(&d);
    assert_int_equal(tz_access_resolve(s, "4116", NULL, &a, NULL, 0, NULL, &d), 1);
    assert_non_null(strstr(_why(&d), "6位、9位或12位"));
    tz_diags_clear(&d);
    assert_int_equal(tz_access_resolve(s, "411699", NULL, &a, NULL, 0, NULL, &d), 1);
    assert_non_null(strstr(_why(&d), "没有这个区划代码"));
    tz_diags_clear(&d);
    assert_int_equal(tz_access_resolve(s, "无此镇", NULL, &a, NULL, 0, NULL, &d), 1);
    tz_diags_clear(&d);
    /* units by exact name */
    assert_int_equal(tz_access_resolve(s, NULL, "县扶贫办", &a, name, sizeof name, &lv, &d), 0);
    assert_string_equal(a.unit, "县扶贫办");
    assert_string_equal(a.region, "");
    assert_int_equal(lv, TZ_LEVEL_NONE);
    assert_int_equal(tz_access_resolve(s, NULL, "扶贫办", &a, NULL, 0, NULL, &d), 1);
    assert_string_equal(d.items[0].column, "单位");
    tz_diags_clear(&d);
    assert_int_equal(tz_access_resolve(s, NULL, NULL, &a, NULL, 0, NULL, &d), 1);
    assert_int_equal(tz_access_resolve(s, "411628", "县扶贫办", &a, NULL, 0, NULL, &d), 1);
    tz_diags_clear(&d);
    tz_store_close(s);
}

/* The access of a region code at a depth, or of a unit. */
static tz_access _region(const char *code, int digits)
{
    tz_access a;
    memset(&a, 0, sizeof a);
    snprintf(a.region, sizeof a.region, "%s", code);
    a.digits = digits;
    return a;
}

static tz_access _unit(const char *name)
{
    tz_access a;
    memset(&a, 0, sizeof a);
    snprintf(a.unit, sizeof a.unit, "%s", name);
    return a;
}

static void test_contains(void **state)
{
    (void)state;
    tz_store *s = _db();
    tz_access city = _region("411600000000", 4), county = _region("411628000000", 6);
    tz_access town = _region("411628101000", 9), other = _region("411628102000", 9);
    tz_access village = _region("411628101201", 12);
    tz_access office = _unit("县扶贫办"), bureau = _unit("市商务局"), nounit = _unit("无此单位");
    assert_int_equal(tz_access_contains(s, NULL, &village), 1);
    assert_int_equal(tz_access_contains(s, &county, NULL), 0);
    assert_int_equal(tz_access_contains(s, &city, &county), 1);
    assert_int_equal(tz_access_contains(s, &county, &town), 1);
    assert_int_equal(tz_access_contains(s, &county, &county), 1);
    assert_int_equal(tz_access_contains(s, &town, &village), 1);
    assert_int_equal(tz_access_contains(s, &town, &county), 0);
    assert_int_equal(tz_access_contains(s, &other, &village), 0);
    assert_int_equal(tz_access_contains(s, &other, &town), 0);
    /* a unit belongs to the region of its 所属区划代码 */
    assert_int_equal(tz_access_contains(s, &county, &office), 1);
    assert_int_equal(tz_access_contains(s, &city, &bureau), 1);
    assert_int_equal(tz_access_contains(s, &county, &bureau), 0);
    assert_int_equal(tz_access_contains(s, &town, &office), 0);
    assert_int_equal(tz_access_contains(s, &county, &nounit), 0);
    /* a unit contains only itself */
    assert_int_equal(tz_access_contains(s, &office, &office), 1);
    assert_int_equal(tz_access_contains(s, &office, &bureau), 0);
    assert_int_equal(tz_access_contains(s, &office, &county), 0);
    tz_store_close(s);
}

static void test_add(void **state)
{
    (void)state;
    tz_store *s = _db();
    tz_diags d = TZ_DIAGS_INIT;
    tz_refusal why;
    _add(s, "xian_guanli", "管理员", "鹿邑县", NULL);
    _add(s, "bangfu", "填报", NULL, "县扶贫办");
    tz_account a;
    assert_int_equal(tz_account_get(s, "xian_guanli", &a), 1);
    assert_int_equal(a.role, TZ_ROLE_ADMIN);
    assert_string_equal(a.access.region, "411628000000");
    assert_int_equal(a.access.digits, 6);
    assert_string_equal(a.scope_name, "鹿邑县");
    assert_int_equal(a.level, TZ_LEVEL_COUNTY);
    assert_int_equal(a.disabled, 0);
    assert_int_equal(tz_account_get(s, "bangfu", &a), 1);
    assert_string_equal(a.access.unit, "县扶贫办");
    assert_int_equal(a.level, TZ_LEVEL_NONE);
    assert_int_equal(tz_account_get(s, "nobody", &a), 0);
    /* argon2id at production cost, a salt per account */
    assert_int_equal(_count(s,
                            "SELECT count(*) FROM tz_users WHERE pw_hash LIKE "
                            "'$argon2id$v=19$m=19456,t=2,p=1$%'",
                            NULL),
                     2);
    assert_int_equal(_count(s, "SELECT count(DISTINCT pw_hash) FROM tz_users", NULL), 2);
    /* audited, and neither the password nor its hash in the log */
    assert_int_equal(_count(s, "SELECT count(*) FROM audit_log WHERE action = '新增账户'", NULL),
                     2);
    assert_int_equal(_count(s,
                            "SELECT count(*) FROM audit_log WHERE detail LIKE '%secret-pass%' "
                            "OR detail LIKE '%argon2%'",
                            NULL),
                     0);
    /* refusals, each naming its field; nothing written */
    assert_int_equal(tz_account_add_why(s, "xian_guanli", "查看", "411628", NULL, "another-pass",
                                        NULL, &d, &why),
                     1);
    assert_int_equal(why, TZ_REFUSED_EXISTS);
    assert_string_equal(d.items[0].column, "用户名");
    tz_diags_clear(&d);
    assert_int_equal(
        tz_account_add_why(s, "x1", "boss", "411628", NULL, "another-pass", NULL, &d, &why), 1);
    assert_int_equal(why, TZ_REFUSED_INPUT);
    assert_string_equal(d.items[0].column, "角色");
    tz_diags_clear(&d);
    assert_int_equal(tz_account_add(s, "x1", "查看", "无此县", NULL, "another-pass", NULL, &d), 1);
    assert_string_equal(d.items[0].column, "区划");
    tz_diags_clear(&d);
    assert_int_equal(tz_account_add(s, "x1", "查看", NULL, "无此单位", "another-pass", NULL, &d),
                     1);
    assert_string_equal(d.items[0].column, "单位");
    tz_diags_clear(&d);
    assert_int_equal(tz_account_add(s, "x1", "查看", "411628", NULL, "short", NULL, &d), 1);
    assert_string_equal(d.items[0].column, "密码");
    assert_null(d.items[0].value); /* never echoed */
    tz_diags_clear(&d);
    assert_int_equal(tz_account_add(s, "x 1", "查看", "411628", NULL, "another-pass", NULL, &d), 1);
    /* the refusals name the character (a name) or its position (a password) */
    assert_non_null(strstr(d.items[d.n - 1].reason, "(U+0020)"));
    assert_int_equal(tz_account_add(s, "x2", "查看", "411628", NULL,
                                    "another"
                                    "\x1b"
                                    "pass",
                                    NULL, &d),
                     1);
    assert_string_equal(d.items[d.n - 1].column, "密码");
    assert_non_null(strstr(d.items[d.n - 1].reason, "第8个字符"));
    assert_null(strstr(d.items[d.n - 1].reason, "another"));
    assert_int_equal(tz_account_add(s,
                                    "x\xe3\x80\x80"
                                    "1",
                                    "查看", "411628", NULL, "another-pass", NULL, &d),
                     1);
    assert_int_equal(tz_account_add(s, "", "查看", "411628", NULL, "another-pass", NULL, &d), 1);
    assert_string_equal(d.items[0].column, "用户名");
    tz_diags_clear(&d);
    assert_int_equal(_count(s, "SELECT count(*) FROM tz_users", NULL), 2);
    assert_int_equal(_count(s, "SELECT count(*) FROM audit_log", NULL), 2);
    tz_store_close(s);
}

static void test_admin_scope(void **state)
{
    (void)state;
    tz_store *s = _db();
    tz_diags d = TZ_DIAGS_INIT;
    tz_refusal why;
    _add(s, "xian_guanli", "管理员", "411628", NULL);
    _add(s, "xiang_guanli", "管理员", "宋河镇", NULL);
    _add(s, "xiang_tianbao", "填报", "宋河镇", NULL);
    tz_account county, town, clerk;
    assert_int_equal(tz_account_get(s, "xian_guanli", &county), 1);
    assert_int_equal(tz_account_get(s, "xiang_guanli", &town), 1);
    assert_int_equal(tz_account_get(s, "xiang_tianbao", &clerk), 1);
    /* inside: a village under the county; a county unit */
    assert_int_equal(tz_account_add_why(s, "cun", "填报", "411628101201", NULL, "village-pass",
                                        &county, &d, &why),
                     0);
    assert_int_equal(why, TZ_REFUSED_NONE);
    assert_int_equal(
        tz_account_add(s, "danwei", "填报", NULL, "县扶贫办", "unit-pass-1", &county, &d), 0);
    assert_int_equal(_count(s,
                            "SELECT count(*) FROM audit_log WHERE action = '新增账户' AND actor = "
                            "'xian_guanli' AND row_key = 'cun'",
                            NULL),
                     1);
    /* a township administrator cannot add at the county, nor a city unit */
    assert_int_equal(
        tz_account_add_why(s, "up", "查看", "411628", NULL, "another-pass", &town, &d, &why), 1);
    assert_int_equal(why, TZ_REFUSED_SCOPE);
    assert_non_null(strstr(_why(&d), "宋河镇"));
    tz_diags_clear(&d);
    assert_int_equal(
        tz_account_add_why(s, "up", "查看", NULL, "市商务局", "another-pass", &county, &d, &why),
        1);
    assert_int_equal(why, TZ_REFUSED_SCOPE);
    tz_diags_clear(&d);
    /* nor a sibling township */
    assert_int_equal(tz_account_add(s, "up", "查看", "411628102", NULL, "another-pass", &town, &d),
                     1);
    tz_diags_clear(&d);
    /* only an administrator manages accounts */
    assert_int_equal(
        tz_account_add_why(s, "up", "查看", "411628101201", NULL, "another-pass", &clerk, &d, &why),
        1);
    assert_int_equal(why, TZ_REFUSED_SCOPE);
    tz_diags_clear(&d);
    /* passwd and disable: only below; never the county's from the township */
    assert_int_equal(tz_account_passwd_why(s, "xian_guanli", "new-pass-123", &town, &d, &why), 1);
    assert_int_equal(why, TZ_REFUSED_SCOPE);
    assert_int_equal(tz_account_disable_why(s, "xian_guanli", &town, &d, &why), 1);
    assert_int_equal(why, TZ_REFUSED_SCOPE);
    assert_int_equal(tz_account_disable_why(s, "nobody", &town, &d, &why), 1);
    assert_int_equal(why, TZ_REFUSED_MISSING);
    assert_int_equal(tz_account_disable_why(s, "xiang_guanli", &town, &d, &why), 1);
    assert_int_equal(why, TZ_REFUSED_INPUT); /* not itself */
    tz_diags_clear(&d);
    assert_int_equal(tz_account_disable(s, "xiang_tianbao", &town, &d), 0);
    assert_int_equal(tz_account_get(s, "xiang_tianbao", &clerk), 1);
    assert_int_equal(clerk.disabled, 1);
    assert_int_equal(tz_account_disable(s, "xiang_tianbao", &town, &d), 1); /* already */
    tz_diags_clear(&d);
    assert_int_equal(_count(s, "SELECT count(*) FROM tz_users", NULL), 5);
    tz_store_close(s);
}

/* Counts the accounts a listing hands out, keeping the last one's name. */
typedef struct list_ctx {
    int n;         /* accounts seen */
    char last[64]; /* the last one's name */
} list_ctx;

static int _count_cb(void *ctx, const tz_account *a)
{
    list_ctx *c = ctx;
    c->n++;
    snprintf(c->last, sizeof c->last, "%s", a->name);
    return 0;
}

static void test_list_and_json(void **state)
{
    (void)state;
    tz_store *s = _db();
    tz_diags d = TZ_DIAGS_INIT;
    _add(s, "a_city", "审核", "周口市", NULL);
    _add(s, "b_county", "管理员", "鹿邑县", NULL);
    _add(s, "c_town", "填报", "枣集镇", NULL);
    _add(s, "d_unit", "查看", NULL, "县扶贫办");
    _add(s, "e_cityunit", "查看", NULL, "市商务局");
    list_ctx all = {0, ""}, mine = {0, ""};
    assert_int_equal(tz_account_list(s, NULL, _count_cb, &all, &d), 0);
    assert_int_equal(all.n, 5);
    assert_string_equal(all.last, "e_cityunit");
    tz_account county;
    assert_int_equal(tz_account_get(s, "b_county", &county), 1);
    assert_int_equal(tz_account_list(s, &county, _count_cb, &mine, &d), 0);
    assert_int_equal(mine.n, 3); /* itself, the township, the county unit */
    assert_string_equal(mine.last, "d_unit");
    json_t *j = tz_account_json(&county);
    char *txt = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
    assert_string_equal(txt, "{\"disabled\":false,\"role\":\"管理员\",\"scope\":{\"code\":"
                             "\"411628000000\",\"kind\":\"region\",\"level\":\"县\",\"name\":"
                             "\"鹿邑县\"},\"user\":\"b_county\"}");
    free(txt);
    json_decref(j);
    tz_account u;
    assert_int_equal(tz_account_get(s, "d_unit", &u), 1);
    j = tz_account_json(&u);
    txt = json_dumps(json_object_get(j, "scope"), JSON_SORT_KEYS | JSON_COMPACT);
    assert_string_equal(txt, "{\"kind\":\"unit\",\"level\":\"单位\",\"name\":\"县扶贫办\","
                             "\"unit\":\"县扶贫办\"}");
    free(txt);
    json_decref(j);
    tz_store_close(s);
}

static void test_login_and_session(void **state)
{
    (void)state;
    tz_store *s = _db();
    tz_diags d = TZ_DIAGS_INIT;
    tz_session se, got;
    _add(s, "xiang_tianbao", "填报", "宋河镇", NULL);
    assert_int_equal(tz_login(s, "xiang_tianbao", "secret-pass-1", "10.0.0.1", &se, &d),
                     TZ_LOGIN_OK);
    assert_int_equal(strlen(se.token), 64);
    assert_int_equal(strlen(se.csrf), 64);
    assert_string_not_equal(se.token, se.csrf);
    assert_string_equal(se.acct.name, "xiang_tianbao");
    assert_int_equal(se.acct.access.digits, 9);
    long long now = (long long)time(NULL);
    assert_true(se.expires >= now + TZ_SESSION_TTL - 5 && se.expires <= now + TZ_SESSION_TTL + 5);
    /* the database keeps the token's hash only */
    assert_int_equal(_count(s, "SELECT count(*) FROM tz_sessions WHERE id = ?", se.token), 0);
    assert_int_equal(_count(s, "SELECT count(*) FROM tz_sessions WHERE csrf = ?", se.csrf), 1);
    assert_int_equal(_count(s, "SELECT count(*) FROM audit_log WHERE action = '登录'", NULL), 1);
    /* the session, by its token */
    assert_int_equal(tz_session_get(s, se.token, &got), 1);
    assert_string_equal(got.acct.name, "xiang_tianbao");
    assert_string_equal(got.csrf, se.csrf);
    assert_string_equal(got.token, "");
    assert_int_equal(got.expires, se.expires);
    char wrong[65];
    memcpy(wrong, se.token, sizeof wrong);
    wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
    assert_int_equal(tz_session_get(s, wrong, &got), 0);
    assert_int_equal(tz_session_get(s, "", &got), 0);
    assert_int_equal(tz_session_get(s, NULL, &got), 0);
    assert_int_equal(tz_session_get(s, "' OR 1=1 --", &got), 0);
    char upper[65], huge[400];
    for (int i = 0; i < 65; i++)
        upper[i] =
            (char)(se.token[i] >= 'a' && se.token[i] <= 'f' ? se.token[i] - 32 : se.token[i]);
    assert_int_equal(tz_session_get(s, upper, &got), strcmp(upper, se.token) == 0);
    memset(huge, 'a', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    assert_int_equal(tz_session_get(s, huge, &got), 0);
    /* a wrong password and an unknown name get the same answer */
    assert_int_equal(tz_login(s, "xiang_tianbao", "secret-pass-2", "10.0.0.1", &got, &d),
                     TZ_LOGIN_BAD);
    assert_string_equal(got.token, "");
    assert_int_equal(tz_login(s, "nobody", "secret-pass-1", "10.0.0.1", &got, &d), TZ_LOGIN_BAD);
    assert_int_equal(d.n, 0);
    /* logout: the token is useless afterwards */
    assert_int_equal(tz_session_end(s, se.token), 0);
    assert_int_equal(tz_session_get(s, se.token, &got), 0);
    assert_int_equal(_count(s, "SELECT count(*) FROM audit_log WHERE action = '退出'", NULL), 1);
    assert_int_equal(tz_session_end(s, se.token), 0); /* twice: nothing to end */
    /* an expired session is gone */
    assert_int_equal(tz_login(s, "xiang_tianbao", "secret-pass-1", "10.0.0.1", &se, &d),
                     TZ_LOGIN_OK);
    assert_int_equal(tz_store_exec(s, "UPDATE tz_sessions SET expires = 1000"), 0);
    assert_int_equal(tz_session_get(s, se.token, &got), 0);
    assert_int_equal(_count(s, "SELECT count(*) FROM tz_sessions", NULL), 0);
    /* a new password ends the sessions, and only it logs in */
    assert_int_equal(tz_login(s, "xiang_tianbao", "secret-pass-1", "10.0.0.1", &se, &d),
                     TZ_LOGIN_OK);
    assert_int_equal(tz_account_passwd(s, "xiang_tianbao", "brand-new-pass", NULL, &d), 0);
    assert_int_equal(tz_session_get(s, se.token, &got), 0);
    assert_int_equal(tz_login(s, "xiang_tianbao", "secret-pass-1", "10.0.0.1", &got, &d),
                     TZ_LOGIN_BAD);
    assert_int_equal(tz_login(s, "xiang_tianbao", "brand-new-pass", "10.0.0.1", &se, &d),
                     TZ_LOGIN_OK);
    assert_int_equal(_count(s, "SELECT count(*) FROM audit_log WHERE action = '修改密码'", NULL),
                     1);
    /* disabling ends its sessions and its logins, with the same answer */
    assert_int_equal(tz_account_disable(s, "xiang_tianbao", NULL, &d), 0);
    assert_int_equal(tz_session_get(s, se.token, &got), 0);
    assert_int_equal(tz_login(s, "xiang_tianbao", "brand-new-pass", "10.0.0.1", &got, &d),
                     TZ_LOGIN_BAD);
    assert_int_equal(_count(s, "SELECT count(*) FROM audit_log WHERE action = '停用账户'", NULL),
                     1);
    /* a session left from before the account was disabled is refused too */
    assert_int_equal(tz_store_exec(s, "UPDATE tz_users SET disabled = 0"), 0);
    assert_int_equal(tz_login(s, "xiang_tianbao", "brand-new-pass", "10.0.0.2", &se, &d),
                     TZ_LOGIN_OK);
    assert_int_equal(tz_store_exec(s, "UPDATE tz_users SET disabled = 1"), 0);
    assert_int_equal(tz_session_get(s, se.token, &got), 0);
    assert_int_equal(d.n, 0);
    tz_store_close(s);
}

static void test_login_limit_account(void **state)
{
    (void)state;
    tz_store *s = _db();
    tz_diags d = TZ_DIAGS_INIT;
    tz_session se;
    _add(s, "victim", "查看", "411628", NULL);
    _add(s, "other", "查看", "411628", NULL);
    /* failures below the limit are cleared by a success */
    for (int i = 0; i < TZ_LOGIN_MAX_FAILS_USER - 1; i++)
        assert_int_equal(tz_login(s, "victim", "wrong-pass", "10.0.0.1", &se, &d), TZ_LOGIN_BAD);
    assert_int_equal(tz_login(s, "victim", "secret-pass-1", "10.0.0.1", &se, &d), TZ_LOGIN_OK);
    assert_int_equal(
        _count(s, "SELECT count(*) FROM tz_login_failures WHERE username = 'victim'", NULL), 0);
    /* at the limit, even the right password from another address is refused */
    for (int i = 0; i < TZ_LOGIN_MAX_FAILS_USER; i++)
        assert_int_equal(tz_login(s, "victim", "wrong-pass", "10.0.0.1", &se, &d), TZ_LOGIN_BAD);
    assert_int_equal(tz_login(s, "victim", "secret-pass-1", "10.0.0.9", &se, &d), TZ_LOGIN_LIMITED);
    assert_string_equal(se.token, "");
    /* another account from the same address is not */
    assert_int_equal(tz_login(s, "other", "secret-pass-1", "10.0.0.1", &se, &d), TZ_LOGIN_OK);
    /* the window passes: failures older than it no longer count */
    assert_int_equal(tz_store_exec(s, "UPDATE tz_login_failures SET ts = ts - 901"), 0);
    assert_int_equal(tz_login(s, "victim", "secret-pass-1", "10.0.0.1", &se, &d), TZ_LOGIN_OK);
    assert_int_equal(_count(s, "SELECT count(*) FROM tz_login_failures", NULL), 0);
    assert_int_equal(d.n, 0);
    tz_store_close(s);
}

static void test_login_limit_address(void **state)
{
    (void)state;
    tz_store *s = _db();
    tz_diags d = TZ_DIAGS_INIT;
    tz_session se;
    _add(s, "user1", "查看", "411628", NULL);
    /* one address trying many names (none of them past its own limit) */
    for (int i = 0; i < TZ_LOGIN_MAX_FAILS_ADDR; i++) {
        char name[32];
        snprintf(name, sizeof name, "guess%d", i % 10);
        assert_int_equal(tz_login(s, name, "wrong-pass", "10.9.9.9", &se, &d), TZ_LOGIN_BAD);
    }
    assert_int_equal(tz_login(s, "user1", "secret-pass-1", "10.9.9.9", &se, &d), TZ_LOGIN_LIMITED);
    assert_int_equal(tz_login(s, "user1", "secret-pass-1", "10.1.1.1", &se, &d), TZ_LOGIN_OK);
    assert_int_equal(d.n, 0);
    tz_store_close(s);
}

/* Runs one SQL command on the server of TZ_PG_URI (in its own database). */
static void _pg_admin(const char *uri, const char *sql)
{
    PGconn *c = PQconnectdb(uri);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PQclear(PQexec(c, "SET client_min_messages = warning"));
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        fprintf(stderr, "%s: %s\n", sql, PQerrorMessage(c));
    assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
    PQclear(r);
    PQfinish(c);
}

/* The same scenario on PostgreSQL: accounts, a login, the limit, sessions. */
static void test_postgres(void **state)
{
    (void)state;
    const char *uri = getenv("TZ_PG_URI");
    if (!uri || !*uri) {
        printf("TZ_PG_URI not set: accounts on PostgreSQL not tested\n");
        skip();
    }
    const char *slash = strrchr(uri, '/');
    assert_non_null(slash);
    char db[600], name[64];
    snprintf(name, sizeof name, "tz_account_test_%d", (int)getpid());
    snprintf(db, sizeof db, "%.*s/%s", (int)(slash - uri), uri, name);
    char sql[200];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", name);
    _pg_admin(uri, sql);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    _pg_admin(uri, sql);
    tz_diags d = TZ_DIAGS_INIT;
    tz_store *s = NULL;
    assert_int_equal(tz_store_open(db, TZ_OPEN_CREATE | TZ_OPEN_MUST_NOT_EXIST, &s, &d), 0);
    assert_int_equal(tz_store_exec(s, "INSERT INTO regions (code, name, parent, level) VALUES "
                                      "('411628000000', '鹿邑县', NULL, '县'),"
                                      "('411628101000', '宋河镇', '411628000000', '乡');"
                                      "INSERT INTO units (name, kind, region) VALUES "
                                      "('县扶贫办', '县直单位', '411628000000')"),
                     0);
    _add(s, "xian_guanli", "管理员", "鹿邑县", NULL);
    tz_account admin;
    assert_int_equal(tz_account_get(s, "xian_guanli", &admin), 1);
    assert_int_equal(
        tz_account_add(s, "danwei", "填报", NULL, "县扶贫办", "unit-pass-1", &admin, &d), 0);
    tz_session se, got;
    assert_int_equal(tz_login(s, "danwei", "unit-pass-1", "10.0.0.1", &se, &d), TZ_LOGIN_OK);
    assert_int_equal(tz_session_get(s, se.token, &got), 1);
    assert_string_equal(got.acct.access.unit, "县扶贫办");
    assert_int_equal(tz_session_end(s, se.token), 0);
    assert_int_equal(tz_session_get(s, se.token, &got), 0);
    for (int i = 0; i < TZ_LOGIN_MAX_FAILS_USER; i++)
        assert_int_equal(tz_login(s, "danwei", "wrong-pass", "10.0.0.1", &se, &d), TZ_LOGIN_BAD);
    assert_int_equal(tz_login(s, "danwei", "unit-pass-1", "10.0.0.2", &se, &d), TZ_LOGIN_LIMITED);
    assert_int_equal(tz_account_disable(s, "danwei", &admin, &d), 0);
    list_ctx all = {0, ""};
    assert_int_equal(tz_account_list(s, &admin, _count_cb, &all, &d), 0);
    assert_int_equal(all.n, 2);
    assert_int_equal(_count(s,
                            "SELECT count(*) FROM audit_log WHERE action IN ('新增账户', "
                            "'登录', '退出', '停用账户')",
                            NULL),
                     5);
    if (d.n)
        tz_diags_print(&d, stderr);
    assert_int_equal(d.n, 0);
    tz_store_close(s);
    snprintf(sql, sizeof sql, "DROP DATABASE %s", name);
    _pg_admin(uri, sql);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_resolve),
        cmocka_unit_test(test_contains),
        cmocka_unit_test(test_add),
        cmocka_unit_test(test_admin_scope),
        cmocka_unit_test(test_list_and_json),
        cmocka_unit_test(test_login_and_session),
        cmocka_unit_test(test_login_limit_account),
        cmocka_unit_test(test_login_limit_address),
        cmocka_unit_test(test_postgres),
    };
    return cmocka_run_group_tests(tests, _setup, _teardown);
}
