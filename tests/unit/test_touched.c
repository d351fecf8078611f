/* test_touched.c - unit tests of the touched-village records (store/touched.c)
 * written by one-row writes (store/rows.c) on a real SQLite database: a new
 * household records its village, a move records both villages, a 户户通 row
 * records its household's village, a delete records the village it leaves,
 * each with the data versions before and after the write, so that the
 * records chain; a write to another ledger records nothing (the summaries
 * then rebuild in full). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char _dir[64];

static void _put(tz_store *s, const char *ledger, const char *const *hv, long long version)
{
    const tz_ledger *l = tz_ledger_find(ledger);
    assert_non_null(l);
    const char *h[32], *v[32];
    size_t n = 0;
    for (; hv[2 * n]; n++) {
        h[n] = hv[2 * n];
        v[n] = hv[2 * n + 1];
    }
    tz_diags d = TZ_DIAGS_INIT;
    long long nv = -1;
    tz_row_status st = tz_row_put(s, l, h, v, n, version, NULL, "测试", &nv, NULL, NULL, &d);
    if (st != TZ_ROW_OK)
        tz_diags_print(&d, stdout);
    assert_int_equal(st, TZ_ROW_OK);
    tz_diags_clear(&d);
}

static void _region(tz_store *s, const char *code, const char *parent, const char *level)
{
    const char *hv[] = {"区划代码", code,     "名称", code, "上级区划代码", parent, "层级",
                        level,      "贫困村", "",     NULL};
    if (!strcmp(level, "村"))
        hv[9] = "否";
    _put(s, "regions", hv, 0);
}

static void _hh(tz_store *s, const char *village, long long version)
{
    const char *hv[] = {
        "户编号",     "41162810020001", "户主姓名", "张三", "户主身份证号", "411628198001011231",
        "所在村代码", village,          "家庭人口", "3",    "识别年度",     "2016",
        NULL};
    _put(s, "households", hv, version);
}

/* The records as "from>to:village;" in order, and the current data version. */
static void _records(tz_store *s, char *out, size_t sz, long long *dv)
{
    tz_stmt *st = NULL;
    size_t len = 0;
    out[0] = '\0';
    assert_int_equal(
        tz_store_scalar_int(s, "SELECT value FROM tz_meta WHERE key = 'data_version'", NULL, dv),
        0);
    if (tz_store_prepare(
            s,
            "SELECT DISTINCT from_dv, to_dv, village FROM tz_agg_touched ORDER BY from_dv, "
            "village",
            &st))
        return; /* no table: nothing recorded yet */
    while (tz_stmt_step(st) == 1 && len < sz)
        len += (size_t)snprintf(out + len, sz - len, "%lld>%lld:%s;", tz_stmt_int(st, 0),
                                tz_stmt_int(st, 1), tz_stmt_text(st, 2));
    tz_stmt_free(st);
}

static void test_row_writes_record_villages(void **state)
{
    (void)state;
    char path[128], got[512], want[512];
    snprintf(path, sizeof path, "%s/t.db", _dir);
    tz_store *s = NULL;
    tz_diags d = TZ_DIAGS_INIT;
    assert_int_equal(tz_store_open(path, TZ_OPEN_CREATE, &s, &d), 0);
    _region(s, "410000000000", "", "省");
    _region(s, "411600000000", "410000000000", "市");
    _region(s, "411628000000", "411600000000", "县");
    _region(s, "411628100000", "411628000000", "乡");
    _region(s, "411628100200", "411628100000", "村");
    _region(s, "411628100201", "411628100000", "村");
    long long dv0, dv1, dv2, dv3, dv4;
    _records(s, got, sizeof got, &dv0);
    /* regions: a ledger no village summary reads, each write recorded by its
     * name (only its gap counts are counted again) */
    size_t wl = 0;
    want[0] = '\0';
    for (long long v = 0; v < dv0; v++)
        wl += (size_t)snprintf(want + wl, sizeof want - wl, "%lld>%lld:%sregions;", v, v + 1,
                               TZ_TOUCHED_LEDGER_MARK);
    assert_true(dv0 >= 5);
    assert_string_equal(got, want);
    assert_int_equal(tz_store_exec(s, "DELETE FROM tz_agg_touched"), 0);

    _hh(s, "411628100200", 0); /* new */
    _records(s, got, sizeof got, &dv1);
    snprintf(want, sizeof want, "%lld>%lld:411628100200;", dv0, dv1);
    assert_string_equal(got, want);
    assert_true(dv1 > dv0);

    _hh(s, "411628100201", 1); /* moves: both villages */
    _records(s, got, sizeof got, &dv2);
    snprintf(want, sizeof want,
             "%lld>%lld:411628100200;%lld>%lld:411628100200;%lld>%lld:411628100201;", dv0, dv1, dv1,
             dv2, dv1, dv2);
    assert_string_equal(got, want);

    const char *tv[] = {"户编号", "41162810020001", "安装日期", "2019-08-01", "状态", "正常", NULL};
    _put(s, "tv_installs", tv, 0); /* the household's village, looked up */
    _records(s, got, sizeof got, &dv3);
    size_t n = strlen(want);
    snprintf(want + n, sizeof want - n, "%lld>%lld:411628100201;", dv2, dv3);
    assert_string_equal(got, want);

    assert_int_equal(tz_store_exec(s, "DELETE FROM tz_agg_touched"), 0);
    const tz_ledger *tl = tz_ledger_find("tv_installs");
    assert_int_equal(tz_row_delete(s, tl, "41162810020001", 1, NULL, "测试", &d), TZ_ROW_OK);
    _records(s, got, sizeof got, &dv4);
    snprintf(want, sizeof want, "%lld>%lld:411628100201;", dv3, dv4);
    assert_string_equal(got, want);

    /* a writer outside taizhang (the sqlite3 shell): the row triggers record
     * each row's step, both villages of a move; an install of no registered
     * household is recorded with village '' (unknown) */
    long long dv5, dv6;
    assert_int_equal(tz_store_exec(s, "DELETE FROM tz_agg_touched; UPDATE households SET "
                                      "village = '411628100200' WHERE village = '411628100201'"),
                     0);
    _records(s, got, sizeof got, &dv5);
    snprintf(want, sizeof want, "%lld>%lld:411628100200;%lld>%lld:411628100201;", dv4, dv5, dv4,
             dv5);
    assert_string_equal(got, want);
    assert_int_equal(tz_store_exec(s, "DELETE FROM tz_agg_touched; INSERT INTO tv_installs "
                                      "(hh_id, install_date, status) VALUES ('41162899999999', "
                                      "'2019-08-01', '正常')"),
                     0);
    _records(s, got, sizeof got, &dv6);
    snprintf(want, sizeof want, "%lld>%lld:;", dv5, dv6);
    assert_string_equal(got, want);
    tz_diags_clear(&d);
    tz_store_close(s);
}

static void test_free_null(void **state)
{
    (void)state;
    tz_touched_free(NULL);
    assert_int_equal(tz_touched_flush(NULL, NULL), 0); /* nothing written: nothing recorded */
}

static int _setup(void **state)
{
    (void)state;
    snprintf(_dir, sizeof _dir, "/tmp/tz-touched-XXXXXX");
    setenv("TAIZHANG_HOME", ".", 0);
    return mkdtemp(_dir) ? 0 : -1;
}

static int _teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", _dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_row_writes_record_villages),
        cmocka_unit_test(test_free_null),
    };
    return cmocka_run_group_tests_name("touched villages", tests, _setup, _teardown);
}
