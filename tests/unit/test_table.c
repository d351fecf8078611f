/* test_table.c - unit tests of finding the table in a clerk's sheet
 * (ledger/table.c): the header among the first rows, two-row headers with
 * group cells, and the kinds of rows left out around and inside the data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ledger/ledger.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define N(a) (sizeof(a) / sizeof *(a))

static const char *const hh_header[] = {
    "户编号",       "户主姓名",     "户主身份证号", "所在村代码",   "家庭人口",
    "贫困户属性",   "主要致贫原因", "识别年度",     "脱贫年度",     "人均纯收入(元)",
    "义务教育保障", "基本医疗保障", "住房安全保障", "饮水安全保障", "帮扶责任人"};

static void test_header_below_title(void **state)
{
    (void)state;
    const tz_ledger *l = tz_ledger_find("households");
    const char *title[] = {"XX县建档立卡贫困户花名册"};
    const char *info[] = {"填报单位:宋河镇人民政府", "", "", "填报日期:2020年6月"};
    const char *const *rows[] = {title, info, hh_header};
    size_t ns[] = {N(title), N(info), N(hh_header)};
    tz_table_head h;
    assert_int_equal(tz_table_header(l, rows, ns, 3, &h), 1);
    assert_int_equal(h.at, 2);
    assert_int_equal(h.nrows, 1);
    assert_int_equal(h.matched, 15);
    assert_int_equal(h.infile, 5);
    assert_false(h.national);
    assert_int_equal(tz_table_above(title, N(title)), TZ_SKIP_TITLE);
    assert_int_equal(tz_table_above(info, N(info)), TZ_SKIP_INFO);
    tz_table_head_free(&h);
}

static void test_two_row_header(void **state)
{
    (void)state;
    const tz_ledger *l = tz_ledger_find("households");
    /* 三保障 merged over three columns; the other cells merged down */
    const char *up[] = {"户编号",   "户主姓名",       "户主身份证号", "所在村代码",
                        "家庭人口", "贫困户属性",     "主要致贫原因", "识别年度",
                        "脱贫年度", "人均纯收入(元)", "三保障",       "",
                        "",         "饮水安全保障",   "帮扶责任人"};
    const char *low[] = {
        "", "", "", "", "", "", "", "", "", "", "义务教育保障", "基本医疗保障", "住房安全保障",
        "", ""};
    const char *const *rows[] = {up, low};
    size_t ns[] = {N(up), N(low)};
    tz_table_head h;
    assert_int_equal(tz_table_header(l, rows, ns, 2, &h), 1);
    assert_int_equal(h.at, 0);
    assert_int_equal(h.nrows, 2);
    assert_int_equal(h.matched, 15);
    assert_string_equal(h.cells[10], "义务教育保障");
    assert_string_equal(h.cells[13], "饮水安全保障");
    tz_table_head_free(&h);
}

static void test_no_header(void **state)
{
    (void)state;
    const tz_ledger *l = tz_ledger_find("households");
    const char *a[] = {"填表说明", "本表请于每月5日前报送"};
    const char *const *rows[] = {a};
    size_t ns[] = {N(a)};
    tz_table_head h;
    assert_int_equal(tz_table_header(l, rows, ns, 1, &h), 0);
    assert_int_equal(h.matched, 0);
    tz_table_head_free(&h);
    tz_table_head_free(NULL);
}

/* Classifies one row under the households header (a map of the 15
 * columns in order). */
static int _kind(const char *const *cells, size_t n, tz_table_state *st)
{
    const tz_ledger *l = tz_ledger_find("households");
    int map[15];
    for (int i = 0; i < 15; i++)
        map[i] = i;
    tz_header_map m = {.map = map, .ncols = 15};
    tz_table_head h = {.matched = 15, .infile = 5, .nrows = 1};
    return tz_table_row(l, &h, &m, cells, n, st);
}

static void test_rows_left_out(void **state)
{
    (void)state;
    tz_table_state st = {0};
    const char *colnum[] = {"1", "2", "3", "4", "5", "6", "7"};
    assert_int_equal(_kind(colnum, N(colnum), &st), TZ_SKIP_COLNUM);
    const char *data[] = {"4116280000001", "梁信", "411628195806242113", "411628001201", "1"};
    assert_int_equal(_kind(data, N(data), &st), -1);
    /* a data row with wrong values is data: its errors are reported */
    const char *bad[] = {"4116280000002", "曾峰红", "41162819470714569", "秦阁", "x"};
    assert_int_equal(_kind(bad, N(bad), &st), -1);
    const char *sub[] = {"秦阁村", "", "", ""};
    assert_int_equal(_kind(sub, N(sub), &st), TZ_SKIP_SUBHEADING);
    const char *sub2[] = {"", "一、宋河镇(12户)"};
    assert_int_equal(_kind(sub2, N(sub2), &st), TZ_SKIP_SUBHEADING);
    /* a row typed only in part is data: its empty columns are errors */
    const char *lone[] = {"4116280000099", "", ""};
    assert_int_equal(_kind(lone, N(lone), &st), -1);
    const char *serial[] = {"17"};
    assert_int_equal(_kind(serial, N(serial), &st), -1);
    const char *total[] = {"合计", "", "", "", "152"};
    assert_int_equal(_kind(total, N(total), &st), TZ_SKIP_TOTAL);
    const char *vtotal[] = {"", "秦阁村小计", "", "", "40"};
    assert_int_equal(_kind(vtotal, N(vtotal), &st), TZ_SKIP_TOTAL);
    const char *again[] = {"户编号",   "户主姓名",   "户主身份证号", "所在村代码",
                           "家庭人口", "贫困户属性", "主要致贫原因", "识别年度"};
    assert_int_equal(_kind(again, N(again), &st), TZ_SKIP_HEADER);
    const char *blank[] = {"", " ", "\u3000"};
    assert_int_equal(_kind(blank, N(blank), &st), TZ_SKIP_BLANK);
    assert_false(st.in_footer);
    const char *who[] = {"填表人:张三", "", "审核人:李四", "联系电话:0394-1234567"};
    assert_int_equal(_kind(who, N(who), &st), TZ_SKIP_FOOTER);
    assert_true(st.in_footer);
    const char *line[] = {"1.户编号按全国扶贫开发信息系统填写。", "备注"};
    assert_int_equal(_kind(line, N(line), &st), TZ_SKIP_FOOTER);
    /* a whole row under the footer is still data */
    assert_int_equal(_kind(data, N(data), &st), -1);
}

static void test_colnum_only_under_header(void **state)
{
    (void)state;
    tz_table_state st = {0};
    const char *data[] = {"4116280000001", "梁信", "411628195806242113", "411628001201", "1"};
    assert_int_equal(_kind(data, N(data), &st), -1);
    const char *colnum[] = {"1", "2", "3", "4", "5"};
    assert_int_equal(_kind(colnum, N(colnum), &st), -1);
    const char *skip[] = {"1", "3", "4"};
    tz_table_state st2 = {0};
    assert_int_equal(_kind(skip, N(skip), &st2), -1);
}

static void test_notes_row(void **state)
{
    (void)state;
    const tz_ledger *l = tz_ledger_find("households");
    const char *cells[15];
    for (size_t i = 0; i < l->ncols; i++)
        cells[i] = l->cols[i].note ? l->cols[i].note : "";
    tz_table_state st = {0};
    assert_int_equal(_kind(cells, l->ncols, &st), TZ_SKIP_NOTES);
}

static void test_words(void **state)
{
    (void)state;
    for (int k = 0; k < TZ_SKIP_KINDS; k++) {
        assert_true(*tz_skip_key((tz_skip_kind)k));
        assert_true(*tz_skip_word((tz_skip_kind)k));
    }
    assert_string_equal(tz_skip_key(TZ_SKIP_TOTAL), "total");
    assert_string_equal(tz_skip_word(TZ_SKIP_TOTAL), "合计行");
    assert_string_equal(tz_skip_key(TZ_SKIP_KINDS), "");
}

/* A header repeated in synonyms whose first characters no contract name
 * starts with is still the header: the quick refusal of cells that name no
 * column (header.c) knows every synonym loaded. */
static void test_header_again_by_synonyms(void **state)
{
    (void)state;
    tz_table_state st = {0};
    const char *data[] = {"4116280000001", "张三", "411628195001010016", "411628101201"};
    assert_int_equal(_kind(data, N(data), &st), -1); /* the shipped synonyms, loaded */
    char path[] = "/tmp/tz-syn-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *text = "households\tHH号\t户编号\nhouseholds\tNAME户主\t户主姓名\n"
                       "households\tID号码\t户主身份证号\nhouseholds\t9村代码\t所在村代码\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    tz_diags d = TZ_DIAGS_INIT;
    assert_int_equal(tz_header_synonyms_load(path, &d), 0);
    unlink(path);
    const char *again[] = {"HH号",     "NAME户主",   "ID号码",       "9村代码",
                           "家庭人口", "贫困户属性", "主要致贫原因", "识别年度"};
    assert_int_equal(_kind(again, N(again), &st), TZ_SKIP_HEADER);
    assert_int_equal(_kind(data, N(data), &st), -1);
    assert_int_equal(tz_header_synonyms_load("data/header_synonyms.tsv", &d), 0);
    assert_int_equal(d.nerrors, 0);
    tz_diags_clear(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_again_by_synonyms),
        cmocka_unit_test(test_header_below_title),
        cmocka_unit_test(test_two_row_header),
        cmocka_unit_test(test_no_header),
        cmocka_unit_test(test_rows_left_out),
        cmocka_unit_test(test_colnum_only_under_header),
        cmocka_unit_test(test_notes_row),
        cmocka_unit_test(test_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
