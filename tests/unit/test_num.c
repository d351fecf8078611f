/* test_num.c - tz_num_int: whole strings only, ranges, overflow, and errno
 * left alone; tz_num_digits: exactly n ASCII digits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/num.h"
#include <errno.h>
#include <limits.h>
#include <stdio.h>

static void test_parse_int_accepts_whole_numbers(void **state)
{
    (void)state;
    long long v = 0;
    assert_int_equal(tz_num_int("0", 0, 10, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(tz_num_int("17", 0, 100, &v), 0);
    assert_int_equal(v, 17);
    assert_int_equal(tz_num_int("-5", -10, 10, &v), 0);
    assert_int_equal(v, -5);
    assert_int_equal(tz_num_int("+7", 0, 10, &v), 0);
    assert_int_equal(v, 7);
    assert_int_equal(tz_num_int("007", 0, 10, &v), 0);
    assert_int_equal(v, 7);
    assert_int_equal(tz_num_int("9223372036854775807", 0, LLONG_MAX, &v), 0);
    assert_true(v == LLONG_MAX);
    /* the bounds are inclusive */
    assert_int_equal(tz_num_int("10", 0, 10, &v), 0);
    assert_int_equal(v, 10);
}

static void test_parse_int_refuses_what_atoi_takes(void **state)
{
    (void)state;
    /* everything atoi turns into a number without a word */
    static const char *const bad[] = {"",
                                      "abc",
                                      "2abc",
                                      "1.5",
                                      " 3",
                                      "3 ",
                                      "-",
                                      "+",
                                      "--1",
                                      "0x10",
                                      "1e3",
                                      "١",
                                      "３",
                                      "9223372036854775808",
                                      "-9223372036854775809"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        long long v = 42;
        assert_int_equal(tz_num_int(bad[i], LLONG_MIN, LLONG_MAX, &v), -1);
        assert_int_equal(v, 42); /* untouched */
    }
    long long v = 42;
    assert_int_equal(tz_num_int(NULL, 0, 10, &v), -1);
    assert_int_equal(tz_num_int("11", 0, 10, &v), -1);
    assert_int_equal(tz_num_int("-1", 0, 10, &v), -1);
    assert_int_equal(v, 42);
}

static void test_parse_int_keeps_errno(void **state)
{
    (void)state;
    long long v;
    errno = EINTR;
    assert_int_equal(tz_num_int("99999999999999999999", 0, LLONG_MAX, &v), -1);
    assert_int_equal(errno, EINTR);
    assert_int_equal(tz_num_int("12", 0, 100, &v), 0);
    assert_int_equal(errno, EINTR);
}

static void test_digits_reads_exactly_n(void **state)
{
    (void)state;
    assert_int_equal(tz_num_digits("2015-07-31", 4), 2015);
    assert_int_equal(tz_num_digits("2015-07-31" + 5, 2), 7);
    assert_int_equal(tz_num_digits("2015-07-31" + 8, 2), 31);
    assert_int_equal(tz_num_digits("0", 1), 0);
    assert_int_equal(tz_num_digits("999999999", 9), 999999999);
    /* what follows the n digits is not read */
    assert_int_equal(tz_num_digits("12abc", 2), 12);
}

static void test_digits_refuses_what_atoi_takes(void **state)
{
    (void)state;
    /* atoi reads "7-" as 7, " 7" as 7, "-1" as -1 and "" as 0 */
    assert_int_equal(tz_num_digits("7-31", 2), -1);
    assert_int_equal(tz_num_digits(" 7", 2), -1);
    assert_int_equal(tz_num_digits("-1", 2), -1);
    assert_int_equal(tz_num_digits("+1", 2), -1);
    assert_int_equal(tz_num_digits("", 1), -1);
    assert_int_equal(tz_num_digits("201", 4), -1); /* ends first */
    assert_int_equal(tz_num_digits("２０１５", 4), -1);
    assert_int_equal(tz_num_digits(NULL, 1), -1);
    assert_int_equal(tz_num_digits("12", 0), -1);
    assert_int_equal(tz_num_digits("1234567890", 10), -1); /* could overflow */
}

/* tz_num_text writes what "%lld" writes, the extremes included. */
static void test_num_text_is_printf(void **state)
{
    (void)state;
    const long long v[] = {0, 7, -5, 10, 2019, -100, 1234567890123LL, LLONG_MAX, LLONG_MIN};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        char buf[TZ_NUM_TEXT], want[32];
        snprintf(want, sizeof want, "%lld", v[i]);
        assert_string_equal(tz_num_text(v[i], buf), want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_parse_int_accepts_whole_numbers),
                                       cmocka_unit_test(test_parse_int_refuses_what_atoi_takes),
                                       cmocka_unit_test(test_parse_int_keeps_errno),
                                       cmocka_unit_test(test_digits_reads_exactly_n),
                                       cmocka_unit_test(test_num_text_is_printf),
                                       cmocka_unit_test(test_digits_refuses_what_atoi_takes)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
