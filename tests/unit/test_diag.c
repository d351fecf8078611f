/* test_diag.c - unit tests of the diagnostics: how a value is echoed
 * (clipped, ID numbers masked, invisible characters shown). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/diag.h"
#include <stdlib.h>
#include <string.h>

/* issue 7 point 15: a huge value is echoed as its first 40 characters and
 * its length, never cut inside a UTF-8 character */
static void test_echo_clipped(void **state)
{
    (void)state;
    size_t n = 900 * 1024;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, 'a', n);
    big[n] = '\0';
    char *e = tz_diag_echo(big);
    char want[128];
    snprintf(want, sizeof want, "%.40s…(共%zu字)", big, n);
    assert_string_equal(e, want);
    free(e);
    /* 300 Chinese characters: 40 kept whole, counted as characters */
    char zh[300 * 3 + 1];
    for (int i = 0; i < 300; i++)
        memcpy(zh + 3 * i, "字", 3);
    zh[900] = '\0';
    e = tz_diag_echo(zh);
    assert_int_equal(strlen(e), 40 * 3 + strlen("…(共300字)"));
    assert_int_equal(memcmp(e, zh, 120), 0);
    assert_string_equal(e + 120, "…(共300字)");
    free(e);
    /* 40 characters exactly: unchanged */
    e = tz_diag_echo("0123456789012345678901234567890123456789");
    assert_string_equal(e, "0123456789012345678901234567890123456789");
    free(e);
    assert_null(tz_diag_echo(NULL));
    /* through tz_diags_add and the printed line */
    tz_diags d = TZ_DIAGS_INIT;
    tz_diags_error(&d, "f.csv", 3, "名称", big, "内容过长");
    char *line = tz_diag_format(&d.items[0]);
    assert_true(strlen(line) < 200);
    assert_non_null(strstr(line, "…(共921600字)\": 内容过长"));
    free(line);
    tz_diags_clear(&d);
    free(big);
}

/* issue 7 point 14: ID numbers are masked wherever a message shows them */
static void test_mask_ids(void **state)
{
    (void)state;
    char s[] = "411628198001011234、11010519491231002x,4116281980010112345,H411628198001011234";
    tz_diag_mask_ids(s);
    assert_string_equal(s, "411628********1234、110105********002x,4116281980010112345,"
                           "H411628198001011234");
    tz_diags d = TZ_DIAGS_INIT;
    tz_diags_error(&d, "h.csv", 2, "户主身份证号", "411628198001011234",
                   "已登记在户编号为%s的记录中(%s)", "H7", "411628198001011234");
    char *line = tz_diag_format(&d.items[0]);
    assert_string_equal(line, "h.csv 第2行 户主身份证号 \"411628********1234\": "
                              "已登记在户编号为H7的记录中(411628********1234)");
    free(line);
    tz_diags_clear(&d);
    /* a 13-digit household number or a 12-digit region code stays */
    char *e = tz_diag_echo("4116280000001/411628101201");
    assert_string_equal(e, "4116280000001/411628101201");
    free(e);
}

/* control and invisible characters are shown, never sent to the terminal */
static void test_echo_hidden(void **state)
{
    (void)state;
    char *e = tz_diag_echo("\xEF\xBB\xBFTEST\x1b[2J\xE2\x80\xAE"
                           "x\xff");
    assert_string_equal(e, "<U+FEFF>TEST<U+001B>[2J<U+202E>x<0xFF>");
    free(e);
    long cp;
    assert_int_equal(tz_utf8_next("\xE5\xAD\x97", &cp), 3);
    assert_int_equal(cp, 0x5B57);
    assert_int_equal(tz_utf8_next("\xE5\xAD", &cp), 1); /* truncated */
    assert_int_equal(cp, -1);
    assert_int_equal(tz_utf8_next("\xC0\xAF", &cp), 1); /* overlong */
    assert_int_equal(cp, -1);
    assert_true(tz_char_hidden(0x200B));
    assert_true(tz_char_hidden(0x7));
    assert_false(tz_char_hidden(0x5B57));
    assert_false(tz_char_hidden(' '));
}

/* Messages moved between lists keep their order and are capped and
 * counted as if added there. */
static void test_take(void **state)
{
    (void)state;
    tz_diags to = TZ_DIAGS_INIT, from = TZ_DIAGS_INIT;
    to.limit = 8;
    from.limit = 1000;
    tz_diags_error(&to, "a.csv", 1, NULL, NULL, "第一条");
    for (int i = 0; i < 20; i++) {
        tz_diags_error(&from, "a.csv", 2 + i, NULL, NULL, "错误%d", i);
        tz_diags_warn(&from, "a.csv", 2 + i, NULL, NULL, "提示%d", i);
    }
    tz_diags_take(&to, &from, 0, 4);
    assert_int_equal(to.n, 5);
    assert_string_equal(to.items[1].reason, "错误0");
    assert_string_equal(to.items[2].reason, "提示0");
    tz_diags_take(&to, &from, 4, from.n);
    assert_int_equal(to.nerrors, 21);
    assert_int_equal(to.nwarnings, 20);
    size_t errs = 0, warns = 0;
    long last = 0;
    for (size_t i = 0; i < to.n; i++) {
        errs += to.items[i].sev == TZ_ERROR;
        warns += to.items[i].sev == TZ_WARNING;
        assert_true(to.items[i].row >= last);
        last = to.items[i].row;
    }
    assert_int_equal(errs, 8);          /* the limit */
    assert_int_equal(warns, 8 / 4 + 1); /* a quarter as many warnings */
    tz_diags_clear(&from);              /* moved slots are empty: nothing freed twice */
    tz_diags_clear(&to);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_echo_clipped),
        cmocka_unit_test(test_mask_ids),
        cmocka_unit_test(test_echo_hidden),
        cmocka_unit_test(test_take),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
