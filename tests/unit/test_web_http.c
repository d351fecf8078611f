/* test_web_http.c - web/http.c and web/guard.c without a network: the
 * error shape every refusal has ({"error", "details"}), a body that is not
 * a JSON object, the role × permission matrix of the role table,
 * and the 403/404 a guard fills for its handler. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "web/web_impl.h"
#include <string.h>

/* The error text and details of rs (which must be an error). */
static const char *_error(const tz_resp *rs, size_t *ndetails)
{
    assert_non_null(rs->json);
    json_t *det = json_object_get(rs->json, "details");
    assert_true(json_is_array(det));
    *ndetails = json_array_size(det);
    assert_int_equal(json_object_size(rs->json), 2);
    return json_string_value(json_object_get(rs->json, "error"));
}

static void test_error_shape_and_details(void **state)
{
    (void)state;
    tz_resp rs;
    memset(&rs, 0, sizeof rs);
    size_t n = 9;
    tz_resp_error(&rs, 400, NULL, "参数 %s 有误", "limit");
    assert_int_equal(rs.status, 400);
    assert_string_equal(_error(&rs, &n), "参数 limit 有误");
    assert_int_equal(n, 0);
    tz_diags d = TZ_DIAGS_INIT;
    tz_diags_error(&d, "a.csv", 3, "户主姓名", "x", "不能为空");
    tz_diags_warn(&d, NULL, 0, NULL, NULL, "提示");
    tz_resp_error(&rs, 422, &d, "导入被拒绝");
    assert_int_equal(rs.status, 422);
    assert_string_equal(_error(&rs, &n), "导入被拒绝");
    assert_int_equal(n, 2);
    json_t *first = json_array_get(json_object_get(rs.json, "details"), 0);
    assert_string_equal(json_string_value(json_object_get(first, "column")), "户主姓名");
    assert_int_equal(json_integer_value(json_object_get(first, "row")), 3);
    tz_diags_clear(&d);
    tz_resp_clear(&rs);
    assert_null(rs.json);
    tz_resp_clear(&rs); /* twice is fine */
}

static void test_error_masks_id_and_survives_bad_utf8(void **state)
{
    (void)state;
    tz_resp rs;
    memset(&rs, 0, sizeof rs);
    size_t n;
    tz_resp_error(&rs, 404, NULL, "没有记录 \"%s\"", "411628199001011234");
    assert_string_equal(_error(&rs, &n), "没有记录 \"411628********1234\"");
    /* a value that is not UTF-8 cannot go into JSON as it is: shown, not lost */
    tz_resp_error(&rs, 400, NULL, "参数 \"%s\" 有误",
                  "a\xff"
                  "b");
    assert_string_equal(_error(&rs, &n), "参数 \"a<0xFF>b\" 有误");
    tz_resp_clear(&rs);
}

static void test_req_json_object_only(void **state)
{
    (void)state;
    static const char *const bad[] = {"", "[1,2]", "\"x\"", "{\"a\":1,\"a\":2}", "{\"a\":", "nul"};
    tz_resp rs;
    memset(&rs, 0, sizeof rs);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tz_req rq;
        memset(&rq, 0, sizeof rq);
        rq.body = bad[i];
        rq.body_len = strlen(bad[i]);
        assert_null(tz_req_json(&rq, &rs));
        assert_int_equal(rs.status, 400);
        size_t n;
        assert_non_null(strstr(_error(&rs, &n), "JSON"));
        tz_resp_clear(&rs);
    }
    tz_req rq;
    memset(&rq, 0, sizeof rq);
    rq.body = "{\"period\":\"2024-03\"}";
    rq.body_len = strlen(rq.body);
    json_t *j = tz_req_json(&rq, &rs);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "period")), "2024-03");
    json_decref(j);
    assert_null(tz_req_query(&rq, "x")); /* no connection: no arguments */
}

static void test_resp_json_replaces(void **state)
{
    (void)state;
    tz_resp rs;
    memset(&rs, 0, sizeof rs);
    rs.bytes = strdup("old");
    rs.len = 3;
    snprintf(rs.filename, sizeof rs.filename, "a.md");
    tz_resp_json(&rs, 201, json_pack("{s:i}", "id", 7));
    assert_int_equal(rs.status, 201);
    assert_null(rs.bytes);
    assert_string_equal(rs.filename, "");
    tz_resp_clear(&rs);
}

/* The role table, as it reads. */
static void test_role_matrix(void **state)
{
    (void)state;
    static const struct {
        tz_role r;
        int can[6]; /* read, write, submit, review, admin, unmask */
    } want[] = {
        {TZ_ROLE_ADMIN, {1, 1, 1, 1, 1, 1}},
        {TZ_ROLE_REVIEWER, {1, 0, 0, 1, 0, 1}},
        {TZ_ROLE_CLERK, {1, 1, 1, 0, 0, 1}},
        {TZ_ROLE_VIEWER, {1, 0, 0, 0, 0, 0}},
    };
    for (size_t i = 0; i < 4; i++)
        for (int p = TZ_PERM_READ; p <= TZ_PERM_UNMASK; p++)
            assert_int_equal(tz_role_can(want[i].r, (tz_perm)p), want[i].can[p]);
    assert_int_equal(tz_role_can((tz_role)4, TZ_PERM_READ), 0);
    assert_int_equal(tz_role_can(TZ_ROLE_ADMIN, (tz_perm)6), 0);
    assert_int_equal(tz_role_can((tz_role)-1, TZ_PERM_READ), 0);
}

static void test_allow_and_ledger_fill_the_refusal(void **state)
{
    (void)state;
    tz_session sess;
    memset(&sess, 0, sizeof sess);
    sess.acct.role = TZ_ROLE_VIEWER;
    tz_req rq;
    memset(&rq, 0, sizeof rq);
    tz_resp rs;
    memset(&rs, 0, sizeof rs);
    size_t n;
    assert_int_equal(tz_req_allow(&rq, &rs, TZ_PERM_READ), -1); /* no session */
    assert_int_equal(rs.status, 401);
    tz_resp_clear(&rs);
    rq.sess = &sess;
    assert_int_equal(tz_req_allow(&rq, &rs, TZ_PERM_READ), 0);
    assert_null(rs.json);
    assert_int_equal(tz_req_allow(&rq, &rs, TZ_PERM_WRITE), -1);
    assert_int_equal(rs.status, 403);
    assert_non_null(strstr(_error(&rs, &n), "查看"));
    tz_resp_clear(&rs);
    assert_non_null(tz_req_ledger(&rq, &rs, "建档立卡贫困户"));
    assert_ptr_equal(tz_req_ledger(&rq, &rs, "households"), tz_ledger_find("households"));
    assert_null(rs.json);
    assert_null(tz_req_ledger(&rq, &rs, "nope"));
    assert_int_equal(rs.status, 404);
    assert_non_null(strstr(_error(&rs, &n), "nope"));
    tz_resp_clear(&rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_shape_and_details),
        cmocka_unit_test(test_error_masks_id_and_survives_bad_utf8),
        cmocka_unit_test(test_req_json_object_only),
        cmocka_unit_test(test_resp_json_replaces),
        cmocka_unit_test(test_role_matrix),
        cmocka_unit_test(test_allow_and_ledger_fill_the_refusal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
