/* test_api_submissions.c - unit tests of the 上报审核 handlers
 * (web/api_submissions.c) called with a request as server.c hands it over
 * (a session, a JSON body, the {id} of the path) on a real SQLite file:
 * the HTTP status and JSON of each outcome. The routes themselves are
 * driven through a real server by tests/blackbox/test_workflow.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/store.h"
#include "web/web_impl.h"
#include "web/workflow.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char _dir[64];
static tz_store *_s;

static int _setup(void **state)
{
    (void)state;
    snprintf(_dir, sizeof _dir, "/tmp/tz-apisub-XXXXXX");
    if (!mkdtemp(_dir))
        return -1;
    char path[128];
    snprintf(path, sizeof path, "%s/api.db", _dir);
    tz_diags d = TZ_DIAGS_INIT;
    int r = tz_store_open(path, TZ_OPEN_CREATE | TZ_OPEN_MUST_NOT_EXIST, &_s, &d);
    tz_diags_clear(&d);
    if (r)
        return -1;
    return tz_store_exec(_s,
                         "INSERT INTO regions (code, name, parent, level) VALUES "
                         "('411600000000', '周口市', NULL, '市'), "
                         "('411628000000', '鹿邑县', '411600000000', '县'), "
                         "('411628100000', '真源街道', '411628000000', '乡'), "
                         "('411628101000', '生铁冢镇', '411628000000', '乡');"
                         "INSERT INTO units (name, kind, region) VALUES ('县商务局', '县直单位', "
                         "'411628000000');");
}

static int _teardown(void **state)
{
    (void)state;
    tz_store_close(_s);
    unsetenv("TZ_TODAY");
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", _dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A session of role r over a region. */
static tz_session _sess(const char *name, tz_role r, const char *code, int digits,
                        const char *scope_name, tz_level lv)
{
    tz_session s;
    memset(&s, 0, sizeof s);
    snprintf(s.acct.name, sizeof s.acct.name, "%s", name);
    s.acct.role = r;
    snprintf(s.acct.access.region, sizeof s.acct.access.region, "%s", code);
    s.acct.access.digits = digits;
    snprintf(s.acct.scope_name, sizeof s.acct.scope_name, "%s", scope_name);
    s.acct.level = lv;
    return s;
}

/* Calls handler h as sess with body (NULL: none) and path {id}; returns
 * the status, the JSON into *out (caller decrefs). */
static int _call(tz_handler h, const tz_session *sess, const char *body, const char *id,
                 json_t **out)
{
    tz_req rq;
    memset(&rq, 0, sizeof rq);
    rq.method = "POST";
    rq.path = "/api/submissions";
    rq.arg[0] = id;
    rq.body = body ? body : "";
    rq.body_len = body ? strlen(body) : 0;
    rq.addr = "127.0.0.1";
    rq.s = _s;
    rq.sess = sess;
    tz_resp rs;
    memset(&rs, 0, sizeof rs);
    assert_int_equal(h(&rq, &rs), 0);
    *out = rs.json;
    rs.json = NULL;
    tz_resp_clear(&rs);
    return rs.status;
}

/* The error text of an error response. */
static const char *_error(json_t *j)
{
    const char *e = json_string_value(json_object_get(j, "error"));
    return e ? e : "";
}

/* Calls and checks the status; a refusal must carry only error/details. */
static json_t *_expect(int status, tz_handler h, const tz_session *sess, const char *body,
                       const char *id)
{
    json_t *j = NULL;
    int got = _call(h, sess, body, id, &j);
    if (got != status)
        fail_msg("status %d, expected %d: %s", got, status, j ? _error(j) : "");
    assert_non_null(j);
    if (status >= 400) {
        assert_true(*_error(j));
        assert_int_equal(json_object_size(j), 2);
        assert_non_null(json_object_get(j, "details"));
    }
    return j;
}

static const char *_str(json_t *j, const char *key)
{
    const char *v = json_string_value(json_object_get(j, key));
    return v ? v : "";
}

static void test_submit(void **state)
{
    (void)state;
    tz_session clerk = _sess("zy_tb", TZ_ROLE_CLERK, "411628100000", 9, "真源街道", 3);
    tz_session viewer = _sess("zy_ck", TZ_ROLE_VIEWER, "411628100000", 9, "真源街道", 3);
    const char *ok = "{\"region\": \"411628100000\", \"period\": \"2024-03\"}";
    json_t *j = _expect(403, tz_api_submit, &viewer, ok, NULL);
    assert_string_equal(_error(j), "当前账户(查看)无权上报");
    json_decref(j);
    json_decref(_expect(400, tz_api_submit, &clerk, NULL, NULL));
    json_decref(_expect(400, tz_api_submit, &clerk, "[1]", NULL));
    j = _expect(400, tz_api_submit, &clerk,
                "{\"regoin\": \"411628100000\", \"period\": \"2024-03\"}", NULL);
    assert_string_equal(_error(j), "请求中有未知字段 \"regoin\"(可用: region、unit、period)");
    json_decref(j);
    j = _expect(400, tz_api_submit, &clerk, "{\"region\": 411628100000, \"period\": \"2024-03\"}",
                NULL);
    assert_string_equal(_error(j), "字段 \"region\" 应为字符串");
    json_decref(j);
    j = _expect(400, tz_api_submit, &clerk,
                "{\"region\": \"411628100000\", \"period\": \"2024-13\"}", NULL);
    assert_non_null(strstr(_error(j), "期间"));
    json_decref(j);
    j = _expect(403, tz_api_submit, &clerk,
                "{\"region\": \"411628101000\", \"period\": \"2024-03\"}", NULL);
    assert_string_equal(
        _error(j), "区划 \"411628101000\": 生铁冢镇不在当前账户的范围(真源街道)内,不能为它上报");
    json_decref(j);
    j = _expect(201, tz_api_submit, &clerk, ok, NULL);
    assert_true(json_integer_value(json_object_get(j, "id")) > 0);
    assert_string_equal(_str(j, "status"), "submitted");
    assert_string_equal(_str(j, "status_word"), "已上报");
    assert_string_equal(_str(j, "period"), "2024-03");
    assert_string_equal(_str(j, "submitted_by"), "zy_tb");
    assert_string_equal(_str(json_object_get(j, "scope"), "code"), "411628100000");
    assert_string_equal(_str(json_object_get(j, "scope"), "name"), "真源街道");
    assert_string_equal(_str(json_object_get(j, "scope"), "level"), "乡");
    assert_true(json_is_null(json_object_get(j, "reviewed_by")));
    json_decref(j);
    j = _expect(409, tz_api_submit, &clerk, ok, NULL);
    assert_string_equal(_error(j), "真源街道 2024-03 已上报,正在等待审核,不能重复上报");
    json_decref(j);
}

static void test_review(void **state)
{
    (void)state;
    tz_session clerk = _sess("zy_tb", TZ_ROLE_CLERK, "411628100000", 9, "真源街道", 3);
    tz_session town = _sess("zy_sh", TZ_ROLE_REVIEWER, "411628100000", 9, "真源街道", 3);
    tz_session county = _sess("ly_sh", TZ_ROLE_REVIEWER, "411628000000", 6, "鹿邑县", 2);
    json_t *j = _expect(201, tz_api_submit, &clerk,
                        "{\"region\": \"真源街道\", \"period\": \"2024-Q2\"}", NULL);
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(j, "id")));
    json_decref(j);
    json_decref(_expect(403, tz_api_approve, &clerk, NULL, id));
    json_decref(_expect(403, tz_api_approve, &town, NULL, id));
    json_decref(_expect(404, tz_api_approve, &county, NULL, "abc"));
    json_decref(_expect(404, tz_api_approve, &county, NULL, "999"));
    j = _expect(400, tz_api_return, &county, "{}", id);
    assert_string_equal(_error(j), "理由: 退回须说明理由");
    json_decref(j);
    json_decref(_expect(400, tz_api_return, &county, "{\"reason\": 5}", id));
    json_decref(_expect(400, tz_api_return, &county, "{\"reason\": \"x\", \"why\": \"y\"}", id));
    j = _expect(200, tz_api_return, &county, "{\"reason\": \"缺少6月数据\"}", id);
    assert_string_equal(_str(j, "status"), "returned");
    assert_string_equal(_str(j, "reason"), "缺少6月数据");
    assert_string_equal(_str(j, "reviewed_by"), "ly_sh");
    json_decref(j);
    j = _expect(409, tz_api_approve, &county, NULL, id);
    assert_string_equal(_error(j), "真源街道 2024-Q2 当前为已退回,只有已上报的才能审核通过");
    json_decref(j);
    json_decref(_expect(201, tz_api_submit, &clerk,
                        "{\"region\": \"411628100000\", \"period\": \"2024-Q2\"}", NULL));
    j = _expect(200, tz_api_approve, &county, NULL, id);
    assert_string_equal(_str(j, "status"), "approved");
    json_decref(j);
    j = _expect(200, tz_api_reopen, &county, "{}", id);
    assert_string_equal(_str(j, "status"), "reopened");
    json_decref(j);
}

/* Without query arguments: the caller's scope, the month before today. */
static void test_listing(void **state)
{
    (void)state;
    tz_session county = _sess("ly_ck", TZ_ROLE_VIEWER, "411628000000", 6, "鹿邑县", 2);
    tz_session clerk = _sess("zy_tb", TZ_ROLE_CLERK, "411628100000", 9, "真源街道", 3);
    json_decref(_expect(201, tz_api_submit, &clerk,
                        "{\"region\": \"411628100000\", \"period\": \"2024-05\"}", NULL));
    setenv("TZ_TODAY", "2024-06-06", 1);
    json_t *j = _expect(200, tz_api_submissions, &county, NULL, NULL);
    assert_string_equal(_str(j, "period"), "2024-05");
    assert_string_equal(_str(j, "today"), "2024-06-06");
    json_t *items = json_object_get(j, "items");
    assert_int_equal(json_array_size(items), 3);
    assert_string_equal(_str(json_array_get(items, 0), "status"), "submitted");
    assert_int_equal(json_array_size(json_object_get(j, "late")), 2);
    json_decref(j);
    setenv("TZ_TODAY", "2024-6-6", 1);
    json_decref(_expect(500, tz_api_submissions, &county, NULL, NULL));
    unsetenv("TZ_TODAY");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_submit),
        cmocka_unit_test(test_review),
        cmocka_unit_test(test_listing),
    };
    return cmocka_run_group_tests(tests, _setup, _teardown);
}
