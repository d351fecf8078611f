/* test_draft_num.c - unit tests of the drafter's reading of numbers in
 * text (report/draft_num.c): the figure of a fig()/calc() text, whether a
 * value is that figure as written, and which table cells are figures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "report/draft_impl.h"
#include <math.h>

/* 1 when text's first figure is v measured in unit. */
static int _matches(const char *text, double v, const char *unit)
{
    tzd_textnum n;
    assert_int_equal(tzd_text_number(text, &n), 1);
    return tzd_number_matches(&n, v, unit);
}

static void test_amounts_and_rounding(void **state)
{
    (void)state;
    assert_true(_matches("105个", 105, "个"));
    assert_false(_matches("105个", 106, "个"));
    assert_true(_matches("3885万元", 3885, "万元"));
    assert_false(_matches("10万元", 3885, "万元")); /* the F27 */
    assert_true(_matches("1.2亿元", 11823, "万元"));
    assert_false(_matches("1.2亿元", 12600, "万元"));
    assert_true(_matches("5990万美元", 5990, "万美元"));
    assert_true(_matches("30多万元", 32.6, "万元"));
    assert_false(_matches("30多万元", 41, "万元"));
    assert_true(_matches("万余场次", 10230, "场次"));
    assert_true(_matches("两个乡", 2, "个"));
    assert_true(_matches("8.2", 8.2, "亿元")); /* a bare number is in the indicator's unit */
    assert_false(_matches("8.2", 8.3, "亿元"));
}

static void test_signs_percents_fractions(void **state)
{
    (void)state;
    assert_true(_matches("-39.28", -39.28296068, "%"));
    assert_false(_matches("39.28", -39.28296068, "%"));
    assert_true(_matches("下降5.2%", -5.2, "%"));
    assert_true(_matches("95.4%", 95.37444934, "%"));
    assert_true(_matches("95.4%", 0.9537, "")); /* a ratio */
    assert_true(_matches("三分之一", 1.0 / 3, NULL));
    assert_false(_matches("三分之一", 0.4, NULL));
    assert_true(_matches("五分之二", 0.4, NULL));
    assert_true(_matches("一半", 0.5, NULL));
    assert_true(_matches("2.9倍", 2.9, NULL));
    tzd_textnum n;
    assert_int_equal(tzd_text_number("很多", &n), 0);
    assert_int_equal(tzd_text_number("仅为目标的三分之一", &n), 1);
    assert_true(n.fraction);
}

static void test_table_cells(void **state)
{
    (void)state;
    assert_true(tzd_cell_number("4809"));
    assert_true(tzd_cell_number("54.1%"));
    assert_true(tzd_cell_number("-100"));
    assert_true(tzd_cell_number("2035万美元"));
    assert_false(tzd_cell_number("2018年"));
    assert_false(tzd_cell_number("2015-06-30"));
    assert_false(tzd_cell_number("引进3亿元以上工业项目（个）"));
    assert_false(tzd_cell_number("梁园区"));
    assert_false(tzd_cell_number("—"));
    assert_false(tzd_cell_number(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_amounts_and_rounding),
        cmocka_unit_test(test_signs_percents_fractions),
        cmocka_unit_test(test_table_cells),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
