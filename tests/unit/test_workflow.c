/* test_workflow.c - unit tests of 上报审核 (web/workflow.c) on a real SQLite
 * file: submit, return, submit again, approve (the period's rows are then
 * locked), reopen (unlocked); who may do each; deadlines and who is late
 * (TZ_TODAY); the audit trail. When TZ_PG_URI names a test server, every
 * test runs again on a fresh PostgreSQL database of its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ledger/ledger.h"
#include "store/store.h"
#include "web/workflow.h"
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char _dir[64];
static tz_store *_s;
static int _ndb;
static const char *_pg_uri; /* TZ_PG_URI while the PostgreSQL round runs, else NULL */
static char _pg_name[64];   /* the fresh database of the current test */

/* Runs one SQL command on the server of TZ_PG_URI (in its own database). */
static int _pg_admin(const char *sql)
{
    PGconn *c = PQconnectdb(_pg_uri);
    int ok = PQstatus(c) == CONNECTION_OK;
    if (ok) {
        PQclear(PQexec(c, "SET client_min_messages = warning"));
        PGresult *r = PQexec(c, sql);
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!ok)
            fprintf(stderr, "%s: %s\n", sql, PQerrorMessage(c));
        PQclear(r);
    }
    PQfinish(c);
    return ok ? 0 : -1;
}

/* The database of the next test: a new SQLite file, or a new PostgreSQL
 * database beside TZ_PG_URI's. */
static int _new_db(char *path, size_t sz)
{
    if (!_pg_uri) {
        snprintf(path, sz, "%s/wf%d.db", _dir, _ndb++);
        return 0;
    }
    const char *slash = strrchr(_pg_uri, '/');
    char sql[128];
    snprintf(_pg_name, sizeof _pg_name, "tz_wf_test_%d_%d", (int)getpid(), _ndb++);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", _pg_name);
    if (!slash || _pg_admin(sql))
        return -1;
    snprintf(path, sz, "%.*s/%s", (int)(slash - _pg_uri), _pg_uri, _pg_name);
    return 0;
}

/* A new database per test: 周口市 > 鹿邑县 > 真源街道 (东关村), 生铁冢镇;
 * 扶沟县; the unit 县商务局 seated in 鹿邑县. */
static int _setup(void **state)
{
    (void)state;
    char path[700];
    if (_new_db(path, sizeof path))
        return -1;
    tz_diags d = TZ_DIAGS_INIT;
    int r = tz_store_open(path, TZ_OPEN_CREATE | TZ_OPEN_MUST_NOT_EXIST, &_s, &d);
    tz_diags_clear(&d);
    unsetenv("TZ_TODAY");
    if (r)
        return -1;
    return tz_store_exec(
        _s,
        "INSERT INTO regions (code, name, parent, level) VALUES "
        "('411600000000', '周口市', NULL, '市'), "
        "('411628000000', '鹿邑县', '411600000000', '县'), "
        "('411621000000', '扶沟县', '411600000000', '县'), "
        "('411628100000', '真源街道', '411628000000', '乡'), "
        "('411628101000', '生铁冢镇', '411628000000', '乡'), "
        "('411628100200', '东关村', '411628100000', '村');"
        "INSERT INTO units (name, kind, region) VALUES "
        "('县商务局', '县直单位', '411628000000'), ('扶沟县商务局', '县直单位', '411621000000');");
}

static int _teardown(void **state)
{
    (void)state;
    tz_store_close(_s);
    _s = NULL;
    unsetenv("TZ_TODAY");
    if (!_pg_uri)
        return 0;
    char sql[128];
    snprintf(sql, sizeof sql, "DROP DATABASE %s", _pg_name);
    return _pg_admin(sql);
}

static int _group_setup(void **state)
{
    (void)state;
    snprintf(_dir, sizeof _dir, "/tmp/tz-wf-XXXXXX");
    return mkdtemp(_dir) ? 0 : -1;
}

static int _group_teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", _dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* An account of role r over region code (digits by level) or a unit. */
static tz_account _acct(const char *name, tz_role r, const char *code, int digits,
                        const char *scope_name, tz_level lv)
{
    tz_account a;
    memset(&a, 0, sizeof a);
    snprintf(a.name, sizeof a.name, "%s", name);
    a.role = r;
    if (digits) {
        snprintf(a.access.region, sizeof a.access.region, "%s", code);
        a.access.digits = digits;
    } else {
        snprintf(a.access.unit, sizeof a.access.unit, "%s", code);
    }
    snprintf(a.scope_name, sizeof a.scope_name, "%s", scope_name);
    a.level = lv;
    return a;
}

#define TOWN_CLERK _acct("zy_tb", TZ_ROLE_CLERK, "411628100000", 9, "真源街道", TZ_LEVEL_TOWNSHIP)
#define TOWN_REVIEWER                                                                              \
    _acct("zy_sh", TZ_ROLE_REVIEWER, "411628100000", 9, "真源街道", TZ_LEVEL_TOWNSHIP)
#define COUNTY_REVIEWER                                                                            \
    _acct("ly_sh", TZ_ROLE_REVIEWER, "411628000000", 6, "鹿邑县", TZ_LEVEL_COUNTY)
#define COUNTY_ADMIN _acct("ly_gl", TZ_ROLE_ADMIN, "411628000000", 6, "鹿邑县", TZ_LEVEL_COUNTY)
#define COUNTY_CLERK _acct("ly_tb", TZ_ROLE_CLERK, "411628000000", 6, "鹿邑县", TZ_LEVEL_COUNTY)
#define COUNTY_VIEWER _acct("ly_ck", TZ_ROLE_VIEWER, "411628000000", 6, "鹿邑县", TZ_LEVEL_COUNTY)
#define OTHER_REVIEWER                                                                             \
    _acct("fg_sh", TZ_ROLE_REVIEWER, "411621000000", 6, "扶沟县", TZ_LEVEL_COUNTY)
#define UNIT_CLERK _acct("swj_tb", TZ_ROLE_CLERK, "县商务局", 0, "县商务局", TZ_LEVEL_NONE)
#define UNIT_REVIEWER _acct("swj_sh", TZ_ROLE_REVIEWER, "县商务局", 0, "县商务局", TZ_LEVEL_NONE)

/* Whether a 帮扶投入 row dated date in village, by unit, is locked; the
 * reason into why. */
static int _input_locked(const char *date, const char *village, const char *unit, char *why,
                         size_t sz)
{
    const tz_ledger *l = tz_ledger_find("aid_inputs");
    tz_value v[16];
    assert_true(l->ncols <= 16);
    memset(v, 0, sizeof v);
    for (size_t i = 0; i < l->ncols; i++)
        v[i].null = 1;
    const char *cells[][2] = {{"日期", date}, {"村代码", village}, {"帮扶单位", unit}};
    for (size_t k = 0; k < 3; k++) {
        int c = tz_ledger_col(l, cells[k][0]);
        const char *bad = NULL;
        assert_int_equal(tz_value_parse(&l->cols[c], cells[k][1], 0, &v[c], &bad), 0);
    }
    int r = tz_lock_row(_s, l, v, why, sz);
    tz_values_clear(v, l->ncols);
    return r;
}

/* The audit entries of submissions as "action|key|detail" lines. */
static char *_audit_lines(void)
{
    tz_stmt *st = NULL;
    assert_int_equal(tz_store_prepare(_s,
                                      "SELECT action, row_key, detail, actor FROM audit_log "
                                      "WHERE ledger = 'submissions' ORDER BY id",
                                      &st),
                     0);
    tz_buf b = TZ_BUF_INIT;
    while (tz_stmt_step(st) == 1)
        tz_buf_printf(&b, "%s|%s|%s|%s\n", tz_stmt_text(st, 0), tz_stmt_text(st, 1),
                      tz_stmt_text(st, 2), tz_stmt_text(st, 3));
    tz_stmt_free(st);
    return tz_buf_take(&b);
}

/* The first diagnostic's reason ("" when none), then clears d. */
static const char *_reason(tz_diags *d)
{
    static char buf[512];
    snprintf(buf, sizeof buf, "%s", d->n ? d->items[0].reason : "");
    tz_diags_clear(d);
    return buf;
}

/* The whole way: submit, return, submit again, approve (locked), reopen. */
static void test_round_trip(void **state)
{
    (void)state;
    tz_account clerk = TOWN_CLERK, county = COUNTY_REVIEWER, town = TOWN_REVIEWER,
               other = OTHER_REVIEWER;
    tz_submission sub;
    tz_diags d = TZ_DIAGS_INIT;
    char why[256];
    assert_int_equal(tz_wf_submit(_s, &clerk, "411628100000", NULL, "2024-03", &sub, &d), TZ_WF_OK);
    long long id = sub.id;
    assert_true(id > 0);
    assert_int_equal(sub.state, TZ_SUB_SUBMITTED);
    assert_string_equal(sub.scope_name, "真源街道");
    assert_string_equal(sub.start, "2024-03-01");
    assert_string_equal(sub.end, "2024-03-31");
    assert_string_equal(sub.submitted_by, "zy_tb");
    assert_int_equal(strlen(sub.submitted_at), 19);
    /* twice is a conflict */
    assert_int_equal(tz_wf_submit(_s, &clerk, "411628100000", NULL, "2024-03", &sub, &d),
                     TZ_WF_CONFLICT);
    assert_string_equal(_reason(&d), "真源街道 2024-03 已上报,正在等待审核,不能重复上报");
    /* not by itself, not by a clerk, not by another county */
    assert_int_equal(tz_wf_review(_s, &town, id, TZ_WF_APPROVE, NULL, &sub, &d), TZ_WF_FORBIDDEN);
    assert_non_null(strstr(_reason(&d), "须由上级审核"));
    assert_int_equal(tz_wf_review(_s, &clerk, id, TZ_WF_APPROVE, NULL, &sub, &d), TZ_WF_FORBIDDEN);
    assert_non_null(strstr(_reason(&d), "当前账户(填报)无权审核通过"));
    assert_int_equal(tz_wf_review(_s, &other, id, TZ_WF_APPROVE, NULL, &sub, &d), TZ_WF_FORBIDDEN);
    assert_non_null(strstr(_reason(&d), "不在当前账户的范围(扶沟县)内"));
    /* returning needs a reason */
    assert_int_equal(tz_wf_review(_s, &county, id, TZ_WF_RETURN, NULL, &sub, &d), TZ_WF_INVALID);
    assert_string_equal(d.items[0].column, "理由"); /* the field in words a clerk reads */
    assert_string_equal(_reason(&d), "退回须说明理由");
    assert_int_equal(tz_wf_review(_s, &county, id, TZ_WF_RETURN, " \t", &sub, &d), TZ_WF_INVALID);
    tz_diags_clear(&d);
    assert_int_equal(tz_wf_review(_s, &county, id, TZ_WF_RETURN, " 东关村投入缺金额 ", &sub, &d),
                     TZ_WF_OK);
    assert_int_equal(sub.state, TZ_SUB_RETURNED);
    assert_string_equal(sub.reason, "东关村投入缺金额");
    assert_string_equal(sub.reviewed_by, "ly_sh");
    /* a returned one cannot be approved, and locks nothing */
    assert_int_equal(tz_wf_review(_s, &county, id, TZ_WF_APPROVE, NULL, &sub, &d), TZ_WF_CONFLICT);
    assert_string_equal(_reason(&d), "真源街道 2024-03 当前为已退回,只有已上报的才能审核通过");
    assert_int_equal(_input_locked("2024-03-10", "411628100200", "县商务局", why, sizeof why), 0);
    /* submitted again: the same row, the review cleared */
    assert_int_equal(tz_wf_submit(_s, &clerk, "真源街道", NULL, "2024-03", &sub, &d), TZ_WF_OK);
    assert_int_equal(sub.id, id);
    assert_int_equal(sub.state, TZ_SUB_SUBMITTED);
    assert_string_equal(sub.reason, "");
    assert_string_equal(sub.reviewed_by, "");
    assert_int_equal(tz_wf_review(_s, &county, id, TZ_WF_APPROVE, "ignored", &sub, &d), TZ_WF_OK);
    assert_int_equal(sub.state, TZ_SUB_APPROVED);
    assert_string_equal(sub.reason, "");
    /* approved: the period's rows in the township are locked */
    assert_int_equal(_input_locked("2024-03-10", "411628100200", "县商务局", why, sizeof why), 1);
    assert_string_equal(why, "该期间数据已审核锁定(真源街道 2024-03,审核人 ly_sh)");
    assert_int_equal(_input_locked("2024-04-01", "411628100200", "县商务局", why, sizeof why), 0);
    assert_int_equal(tz_wf_submit(_s, &clerk, "411628100000", NULL, "2024-03", &sub, &d),
                     TZ_WF_CONFLICT);
    assert_non_null(strstr(_reason(&d), "已审核通过,数据已锁定"));
    assert_int_equal(tz_wf_review(_s, &county, id, TZ_WF_RETURN, "晚了", &sub, &d), TZ_WF_CONFLICT);
    tz_diags_clear(&d);
    /* reopened, with a reason: unlocked */
    assert_int_equal(tz_wf_review(_s, &county, id, TZ_WF_REOPEN, "更正\x01", &sub, &d),
                     TZ_WF_INVALID);
    assert_string_equal(_reason(&d), "理由中有控制字符或不可见字符");
    char longer[TZ_WF_REASON_CHARS * 3 + 4] = "";
    for (int i = 0; i <= TZ_WF_REASON_CHARS; i++)
        strcat(longer, "长");
    assert_int_equal(tz_wf_review(_s, &county, id, TZ_WF_REOPEN, longer, &sub, &d), TZ_WF_INVALID);
    assert_string_equal(_reason(&d), "理由不能超过200个字");
    assert_int_equal(tz_wf_review(_s, &county, id, TZ_WF_RETURN, longer + 3, &sub, &d),
                     TZ_WF_CONFLICT); /* 200 characters pass; the state refuses */
    tz_diags_clear(&d);
    assert_int_equal(tz_wf_review(_s, &county, id, TZ_WF_REOPEN, "更正3月投入", &sub, &d),
                     TZ_WF_OK);
    assert_int_equal(sub.state, TZ_SUB_REOPENED);
    assert_int_equal(_input_locked("2024-03-10", "411628100200", "县商务局", why, sizeof why), 0);
    assert_int_equal(tz_wf_review(_s, &county, id, TZ_WF_REOPEN, "再开", &sub, &d), TZ_WF_CONFLICT);
    assert_string_equal(_reason(&d), "真源街道 2024-03 当前为已重开,只有已审核的才能重新打开");
    /* and it may be submitted again */
    assert_int_equal(tz_wf_submit(_s, &clerk, "411628100000", NULL, "2024-03", &sub, &d), TZ_WF_OK);
    char *log = _audit_lines(), want[1024], head[128];
    snprintf(head, sizeof head, "|411628100000/2024-03|真源街道 2024-03(编号 %lld)", id);
    snprintf(want, sizeof want,
             "上报%s|zy_tb\n退回%s 理由: 东关村投入缺金额|ly_sh\n上报%s|zy_tb\n审核通过%s|ly_sh\n"
             "重新打开%s 理由: 更正3月投入|ly_sh\n上报%s|zy_tb\n",
             head, head, head, head, head, head);
    assert_string_equal(log, want);
    free(log);
    tz_diags_clear(&d);
}

/* What submitting refuses, and with which result. */
static void test_submit_refused(void **state)
{
    (void)state;
    tz_account clerk = TOWN_CLERK, viewer = COUNTY_VIEWER, reviewer = COUNTY_REVIEWER,
               admin = COUNTY_ADMIN;
    tz_submission sub;
    tz_diags d = TZ_DIAGS_INIT;
    assert_int_equal(tz_wf_submit(_s, &viewer, "411628000000", NULL, "2024-03", &sub, &d),
                     TZ_WF_FORBIDDEN);
    assert_string_equal(_reason(&d), "当前账户(查看)无权上报,上报须由填报或管理员账户进行");
    assert_int_equal(tz_wf_submit(_s, &reviewer, "411628000000", NULL, "2024-03", &sub, &d),
                     TZ_WF_FORBIDDEN);
    tz_diags_clear(&d);
    assert_int_equal(tz_wf_submit(_s, &clerk, "411628100000", NULL, "2024-13", &sub, &d),
                     TZ_WF_INVALID);
    assert_string_equal(d.items[0].column, "期间");
    tz_diags_clear(&d);
    assert_int_equal(tz_wf_submit(_s, &clerk, "411628100000", NULL, NULL, &sub, &d), TZ_WF_INVALID);
    tz_diags_clear(&d);
    assert_int_equal(tz_wf_submit(_s, &clerk, "411628100000", "县商务局", "2024-03", &sub, &d),
                     TZ_WF_INVALID);
    tz_diags_clear(&d);
    assert_int_equal(tz_wf_submit(_s, &clerk, NULL, NULL, "2024-03", &sub, &d), TZ_WF_INVALID);
    tz_diags_clear(&d);
    assert_int_equal(tz_wf_submit(_s, &clerk, "411628199000", NULL, "2024-03", &sub, &d),
                     TZ_WF_INVALID);
    assert_string_equal(_reason(&d), "行政区划台账中没有这个区划代码");
    assert_int_equal(tz_wf_submit(_s, &clerk, NULL, "不存在局", "2024-03", &sub, &d),
                     TZ_WF_INVALID);
    tz_diags_clear(&d);
    /* another township, the county above, a unit of the county: out of scope */
    assert_int_equal(tz_wf_submit(_s, &clerk, "411628101000", NULL, "2024-03", &sub, &d),
                     TZ_WF_FORBIDDEN);
    assert_string_equal(_reason(&d), "生铁冢镇不在当前账户的范围(真源街道)内,不能为它上报");
    assert_int_equal(tz_wf_submit(_s, &clerk, "鹿邑县", NULL, "2024-03", &sub, &d),
                     TZ_WF_FORBIDDEN);
    assert_int_equal(tz_wf_submit(_s, &clerk, NULL, "县商务局", "2024-03", &sub, &d),
                     TZ_WF_FORBIDDEN);
    tz_diags_clear(&d);
    /* the county's administrator may submit for a township under it (here
     * by its 9-digit code, padded to 12) */
    assert_int_equal(tz_wf_submit(_s, &admin, "411628101", NULL, "2024年03月", &sub, &d), TZ_WF_OK);
    assert_string_equal(sub.scope.region, "411628101000");
    assert_int_equal(sub.scope.digits, 9);
    assert_string_equal(sub.period, "2024-03");
    assert_int_equal(tz_wf_review(_s, &reviewer, 999, TZ_WF_APPROVE, NULL, &sub, &d),
                     TZ_WF_NOT_FOUND);
    assert_string_equal(_reason(&d), "没有编号为 999 的上报");
    long long n = -1;
    assert_int_equal(tz_store_scalar_int(_s, "SELECT count(*) FROM tz_submissions", NULL, &n), 0);
    assert_int_equal(n, 1);
}

/* A unit submits for itself; a county whose region seats it reviews it. */
static void test_unit(void **state)
{
    (void)state;
    tz_account uc = UNIT_CLERK, ur = UNIT_REVIEWER, county = COUNTY_REVIEWER,
               other = OTHER_REVIEWER;
    tz_submission sub;
    tz_diags d = TZ_DIAGS_INIT;
    char why[256];
    assert_int_equal(tz_wf_submit(_s, &uc, NULL, "扶沟县商务局", "2024-Q1", &sub, &d),
                     TZ_WF_FORBIDDEN);
    tz_diags_clear(&d);
    assert_int_equal(tz_wf_submit(_s, &uc, "411628000000", NULL, "2024-Q1", &sub, &d),
                     TZ_WF_FORBIDDEN);
    tz_diags_clear(&d);
    assert_int_equal(tz_wf_submit(_s, &uc, NULL, "县商务局", "2024-Q1", &sub, &d), TZ_WF_OK);
    assert_int_equal(sub.level, TZ_LEVEL_NONE);
    assert_string_equal(sub.end, "2024-03-31");
    long long id = sub.id;
    assert_int_equal(tz_wf_review(_s, &ur, id, TZ_WF_APPROVE, NULL, &sub, &d), TZ_WF_FORBIDDEN);
    tz_diags_clear(&d);
    assert_int_equal(tz_wf_review(_s, &other, id, TZ_WF_APPROVE, NULL, &sub, &d), TZ_WF_FORBIDDEN);
    tz_diags_clear(&d);
    assert_int_equal(tz_wf_review(_s, &county, id, TZ_WF_APPROVE, NULL, &sub, &d), TZ_WF_OK);
    assert_int_equal(_input_locked("2024-02-10", "411628100200", "县商务局", why, sizeof why), 1);
    assert_string_equal(why, "该期间数据已审核锁定(县商务局 2024-Q1,审核人 ly_sh)");
    assert_int_equal(_input_locked("2024-02-10", "411628100200", "扶沟县商务局", why, sizeof why),
                     0);
    /* reopened without a reason: allowed, audited without one */
    assert_int_equal(tz_wf_review(_s, &county, id, TZ_WF_REOPEN, NULL, &sub, &d), TZ_WF_OK);
    assert_int_equal(sub.state, TZ_SUB_REOPENED);
    assert_string_equal(sub.reason, "");
    assert_int_equal(_input_locked("2024-02-10", "411628100200", "县商务局", why, sizeof why), 0);
    assert_int_equal(d.n, 0);
}

/* The item of l for scope name, or fail. */
static const tz_submission *_item(const tz_wf_list *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->items[i].scope_name, name))
            return &l->items[i];
    fail_msg("no item %s", name);
    return NULL;
}

/* Who is late, by the deadlines, as of TZ_TODAY. */
static void test_listing_late(void **state)
{
    (void)state;
    tz_account clerk = TOWN_CLERK, county = COUNTY_REVIEWER, cclerk = COUNTY_CLERK;
    tz_submission sub;
    tz_wf_list l;
    tz_diags d = TZ_DIAGS_INIT;
    assert_int_equal(tz_wf_submit(_s, &clerk, "411628100000", NULL, "2024-03", &sub, &d), TZ_WF_OK);
    setenv("TZ_TODAY", "2024-04-06", 1);
    /* no period: the month before today; no region: the caller's scope */
    assert_int_equal(tz_wf_list_scopes(_s, &county, NULL, NULL, &l, &d), TZ_WF_OK);
    assert_string_equal(l.period, "2024-03");
    assert_string_equal(l.today, "2024-04-06");
    assert_string_equal(l.self.scope_name, "鹿邑县");
    assert_int_equal(l.self.state, TZ_SUB_NONE);
    assert_string_equal(l.self.deadline, "2024-04-05");
    assert_true(l.self.late);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.items[0].scope_name, "真源街道");
    assert_string_equal(l.items[1].scope_name, "生铁冢镇");
    assert_string_equal(l.items[2].scope_name, "县商务局");
    assert_int_equal(l.items[0].state, TZ_SUB_SUBMITTED);
    assert_string_equal(l.items[0].submitted_by, "zy_tb");
    assert_false(l.items[0].late);
    assert_int_equal(l.items[1].state, TZ_SUB_NONE);
    assert_string_equal(l.items[1].deadline, "2024-04-05");
    assert_true(l.items[1].late);
    assert_true(l.items[2].late);
    json_t *j = tz_wf_list_json(&l);
    assert_non_null(j);
    json_t *late = json_object_get(j, "late");
    assert_int_equal(json_array_size(late), 2);
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(json_array_get(late, 1), "scope"), "unit")),
                        "县商务局");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "counts"), "none")), 2);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "counts"), "late")), 2);
    json_t *it = json_array_get(json_object_get(j, "items"), 1);
    assert_string_equal(json_string_value(json_object_get(it, "status_word")), "未上报");
    assert_true(json_is_true(json_object_get(it, "late")));
    assert_true(json_is_null(json_object_get(it, "id")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(it, "scope"), "code")),
                        "411628101000");
    json_decref(j);
    tz_wf_list_free(&l);
    /* on the deadline day nobody is late yet */
    setenv("TZ_TODAY", "2024-04-05", 1);
    assert_int_equal(tz_wf_list_scopes(_s, &county, "2024-03", "鹿邑县", &l, &d), TZ_WF_OK);
    assert_false(_item(&l, "生铁冢镇")->late);
    tz_wf_list_free(&l);
    /* a township deadline on the 10th; a returned one is late again */
    assert_int_equal(tz_deadline_set(_s, "乡", "10", "ly_gl", &d), 0);
    assert_int_equal(tz_wf_review(_s, &county, sub.id, TZ_WF_RETURN, "补充", &sub, &d), TZ_WF_OK);
    setenv("TZ_TODAY", "2024-04-11", 1);
    assert_int_equal(tz_wf_list_scopes(_s, &county, "2024-03", NULL, &l, &d), TZ_WF_OK);
    assert_string_equal(_item(&l, "生铁冢镇")->deadline, "2024-04-10");
    assert_true(_item(&l, "生铁冢镇")->late);
    assert_int_equal(_item(&l, "真源街道")->state, TZ_SUB_RETURNED);
    assert_string_equal(_item(&l, "真源街道")->reason, "补充");
    assert_true(_item(&l, "真源街道")->late);
    assert_string_equal(_item(&l, "县商务局")->deadline, "2024-04-05");
    tz_wf_list_free(&l);
    /* a township's own listing: itself and its village */
    assert_int_equal(tz_wf_list_scopes(_s, &clerk, "2024-03", NULL, &l, &d), TZ_WF_OK);
    assert_int_equal(l.self.state, TZ_SUB_RETURNED);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.items[0].scope_name, "东关村");
    tz_wf_list_free(&l);
    /* a year is due in January */
    assert_int_equal(tz_wf_list_scopes(_s, &cclerk, "2024", NULL, &l, &d), TZ_WF_OK);
    assert_string_equal(l.self.deadline, "2025-01-05");
    assert_false(l.self.late);
    tz_wf_list_free(&l);
    assert_int_equal(d.n, 0);
    /* out of scope, a wrong period, a wrong TZ_TODAY */
    assert_int_equal(tz_wf_list_scopes(_s, &clerk, "2024-03", "鹿邑县", &l, &d), TZ_WF_FORBIDDEN);
    assert_string_equal(_reason(&d), "鹿邑县不在当前账户的范围(真源街道)内");
    assert_int_equal(tz_wf_list_scopes(_s, &county, "2024-03", "扶沟县", &l, &d), TZ_WF_FORBIDDEN);
    tz_diags_clear(&d);
    assert_int_equal(tz_wf_list_scopes(_s, &county, "三月", NULL, &l, &d), TZ_WF_INVALID);
    tz_diags_clear(&d);
    setenv("TZ_TODAY", "2024-02-30", 1);
    assert_int_equal(tz_wf_list_scopes(_s, &county, "2024-03", NULL, &l, &d), TZ_WF_ERROR);
    assert_string_equal(_reason(&d), "环境变量 TZ_TODAY 应为一个日期,写作 YYYY-MM-DD");
}

static void test_deadlines(void **state)
{
    (void)state;
    tz_diags d = TZ_DIAGS_INIT;
    int day = 0;
    assert_int_equal(tz_deadline_get(_s, "村", &day), 1);
    assert_int_equal(day, 5);
    const char *bad[][2] = {{"省", "5"},  {"镇", "5"},  {"乡", "0"}, {"乡", "29"},
                            {"乡", "五"}, {"乡", "5 "}, {"乡", ""}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(tz_deadline_set(_s, bad[i][0], bad[i][1], NULL, &d), 1);
        assert_int_equal(d.nerrors, 1);
        tz_diags_clear(&d);
    }
    assert_int_equal(tz_deadline_get(_s, "乡", &day), 1);
    assert_int_equal(day, 5);
    assert_int_equal(tz_deadline_set(_s, "单位", "28", NULL, &d), 0);
    assert_int_equal(tz_deadline_get(_s, "单位", &day), 1);
    assert_int_equal(day, 28);
    assert_int_equal(tz_deadline_get(_s, "省", &day), 0);
    long long n = 0;
    assert_int_equal(tz_store_scalar_int(_s,
                                         "SELECT count(*) FROM audit_log WHERE action = "
                                         "'设置上报期限' AND row_key = '单位' AND detail = "
                                         "'次月28日前上报' AND actor = '命令行'",
                                         NULL, &n),
                     0);
    assert_int_equal(n, 1);
    char due[11];
    tz_deadline_date("2024-12-31", 5, due);
    assert_string_equal(due, "2025-01-05");
    tz_deadline_date("2024-06-30", 28, due);
    assert_string_equal(due, "2024-07-28");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip, _setup, _teardown),
        cmocka_unit_test_setup_teardown(test_submit_refused, _setup, _teardown),
        cmocka_unit_test_setup_teardown(test_unit, _setup, _teardown),
        cmocka_unit_test_setup_teardown(test_listing_late, _setup, _teardown),
        cmocka_unit_test_setup_teardown(test_deadlines, _setup, _teardown),
    };
    int failed = cmocka_run_group_tests_name("sqlite", tests, _group_setup, _group_teardown);
    _pg_uri = getenv("TZ_PG_URI");
    if (!_pg_uri || !*_pg_uri) {
        printf("TZ_PG_URI not set: the workflow not tested on PostgreSQL\n");
        return failed;
    }
    return failed + cmocka_run_group_tests_name("postgresql", tests, _group_setup, _group_teardown);
}
