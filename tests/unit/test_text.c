/* test_text.c - unit tests of util/text (UTF-8 decoding, validation, width,
 * NFKC, XML escaping, GB18030 conversion) and util/cal (leap years, day
 * numbers, Excel serial dates). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/cal.h"
#include "util/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>
#include <uninorm.h>

static void test_decode(void **state)
{
    (void)state;
    long cp = 0;
    assert_int_equal(tz_utf8_decode("A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(tz_utf8_decode("\xc3\xa9", 2, &cp), 2);
    assert_int_equal(cp, 0xE9);
    assert_int_equal(tz_utf8_decode("—", 3, &cp), 3);
    assert_int_equal(cp, 0x2014);
    assert_int_equal(tz_utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
    assert_int_equal(cp, 0x1F600);
    assert_int_equal(tz_utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4); /* U+10FFFF */
    assert_int_equal(cp, 0x10FFFF);
    /* refused: overlong forms, surrogates, past U+10FFFF, stray continuation,
     * bytes that never occur, a sequence cut by n, n = 0 */
    assert_int_equal(tz_utf8_decode("\xc0\xaf", 2, &cp), 0);
    assert_int_equal(tz_utf8_decode("\xc1\xbf", 2, &cp), 0);
    assert_int_equal(tz_utf8_decode("\xe0\x80\xaf", 3, &cp), 0);
    assert_int_equal(tz_utf8_decode("\xf0\x80\x80\xaf", 4, &cp), 0);
    assert_int_equal(tz_utf8_decode("\xed\xa0\x80", 3, &cp), 0); /* U+D800 */
    assert_int_equal(tz_utf8_decode("\xed\xbf\xbf", 3, &cp), 0); /* U+DFFF */
    assert_int_equal(tz_utf8_decode("\xf4\x90\x80\x80", 4, &cp), 0);
    assert_int_equal(tz_utf8_decode("\x80", 1, &cp), 0);
    assert_int_equal(tz_utf8_decode("\xfe", 1, &cp), 0);
    assert_int_equal(tz_utf8_decode("\xe4\xb8\xad", 2, &cp), 0);
    assert_int_equal(tz_utf8_decode("A", 0, &cp), 0);
}

static void test_next(void **state)
{
    (void)state;
    long cp = 0;
    assert_int_equal(tz_utf8_next("中x", &cp), 3);
    assert_int_equal(cp, 0x4E2D);
    /* a NUL ends the string inside a character: one bad byte */
    assert_int_equal(tz_utf8_next("\xe4\xb8", &cp), 1);
    assert_int_equal(cp, -1);
    assert_int_equal(tz_utf8_next("\xed\xa0\x80", &cp), 1);
    assert_int_equal(cp, -1);
    assert_int_equal(tz_utf8_count("a中\xff—"), 4);
    assert_int_equal(tz_utf8_count(""), 0);
}

static void test_valid(void **state)
{
    (void)state;
    assert_true(tz_utf8_valid("", 0));
    assert_true(tz_utf8_valid("台账 — ok", strlen("台账 — ok")));
    assert_false(tz_utf8_valid("a\xc0\xafz", 4));
    assert_false(tz_utf8_valid("\xed\xa0\x80", 3));
    assert_false(tz_utf8_valid("\xe4\xb8", 2));
    int inc = -1;
    assert_int_equal(tz_utf8_valid_prefix("abc", 3, &inc), 3);
    assert_int_equal(inc, 0);
    /* 中 cut after two bytes: incomplete, more bytes could finish it */
    assert_int_equal(tz_utf8_valid_prefix("ab\xe4\xb8", 4, &inc), 2);
    assert_int_equal(inc, 1);
    /* a 4-byte start cut after one byte */
    assert_int_equal(tz_utf8_valid_prefix("\xf0", 1, &inc), 0);
    assert_int_equal(inc, 1);
    /* invalid, not incomplete: the second byte can never follow */
    assert_int_equal(tz_utf8_valid_prefix("ab\xe4x", 4, &inc), 2);
    assert_int_equal(inc, 0);
    assert_int_equal(tz_utf8_valid_prefix("ab\xe0\x80", 4, &inc), 2); /* overlong start */
    assert_int_equal(inc, 0);
    assert_int_equal(tz_utf8_valid_prefix("ab\xed\xa0", 4, &inc), 2); /* surrogate start */
    assert_int_equal(inc, 0);
    assert_int_equal(tz_utf8_valid_prefix("\xc4\xe3\xba\xc3", 4, &inc), 0); /* GBK 你好 */
    assert_int_equal(inc, 0);
}

/* A character a fixed buffer cut off is removed from the end; whole text,
 * or a bad byte in the middle, is left as it is. */
static void test_trim_cut(void **state)
{
    (void)state;
    char buf[8];
    memcpy(buf, "项目名称", 7); /* what snprintf leaves of 12 bytes in 8: "项目" + 1 byte */
    buf[7] = '\0';
    assert_int_equal(tz_utf8_trim_cut(buf), 1);
    assert_string_equal(buf, "项目");
    assert_int_equal(tz_utf8_trim_cut(buf), 0);
    assert_string_equal(buf, "项目");
    char mid[] = "a\xff"
                 "b";
    assert_int_equal(tz_utf8_trim_cut(mid), 0);
    assert_string_equal(mid, "a\xff"
                             "b");
    char empty[] = "";
    assert_int_equal(tz_utf8_trim_cut(empty), 0);
}

static void test_encode(void **state)
{
    (void)state;
    char out[4];
    assert_int_equal(tz_utf8_encode('A', out), 1);
    assert_memory_equal(out, "A", 1);
    assert_int_equal(tz_utf8_encode(0x4E2D, out), 3);
    assert_memory_equal(out, "中", 3);
    assert_int_equal(tz_utf8_encode(0x1F600, out), 4);
    assert_memory_equal(out, "\xf0\x9f\x98\x80", 4);
    assert_int_equal(tz_utf8_encode(0xD800, out), 0);
    assert_int_equal(tz_utf8_encode(0x110000, out), 0);
    assert_int_equal(tz_utf8_encode(-1, out), 0);
}

static void test_hidden(void **state)
{
    (void)state;
    assert_true(tz_char_hidden(0));
    assert_true(tz_char_hidden('\t'));
    assert_true(tz_char_hidden(0x7F));
    assert_true(tz_char_hidden(0x200B));
    assert_true(tz_char_hidden(0xFEFF));
    assert_true(tz_char_hidden(0x202E));
    assert_false(tz_char_hidden(' '));
    assert_false(tz_char_hidden(0x4E2D));
    assert_false(tz_char_hidden(0x3000));
}

/* One width rule: "—", CJK and full-width forms 2, ASCII 1, combining marks
 * and zero-width characters 0, a bad byte 1. */
static void test_width(void **state)
{
    (void)state;
    assert_int_equal(tz_char_width('a'), 1);
    assert_int_equal(tz_char_width(0x2014), 2); /* — */
    assert_int_equal(tz_char_width(0x201C), 2); /* “ */
    assert_int_equal(tz_char_width(0x2026), 2); /* … */
    assert_int_equal(tz_char_width(0x4E2D), 2);
    assert_int_equal(tz_char_width(0xFF11), 2); /* full-width 1 */
    assert_int_equal(tz_char_width(0x3000), 2); /* ideographic space */
    assert_int_equal(tz_char_width(0x20000), 2);
    assert_int_equal(tz_char_width(0x0301), 0); /* combining acute */
    assert_int_equal(tz_char_width(0x200B), 0);
    assert_int_equal(tz_char_width(0x07), 0);
    assert_int_equal(tz_text_width("abc"), 3);
    assert_int_equal(tz_text_width("台账"), 4);
    assert_int_equal(tz_text_width("—"), 2);
    assert_int_equal(tz_text_width("e\xcc\x81"), 1); /* e + combining acute */
    assert_int_equal(tz_text_width("１２３"), 6);
    assert_int_equal(tz_text_width("a\xffz"), 3);
    assert_int_equal(tz_text_width("\xe4\xb8"), 2); /* a cut character: two bad bytes */
    assert_int_equal(tz_text_width(NULL), 0);
    assert_int_equal(tz_text_nwidth("台账x", 3), 2);
}

static void test_clip_pad(void **state)
{
    (void)state;
    size_t w = 99;
    /* never inside a character: 3 columns hold "台" and not half of "账" */
    assert_int_equal(tz_text_clip("台账ab", 3, &w), 3);
    assert_int_equal(w, 2);
    assert_int_equal(tz_text_clip("台账ab", 5, &w), 7);
    assert_int_equal(w, 5);
    assert_int_equal(tz_text_clip("台账ab", 100, &w), 8);
    assert_int_equal(w, 6);
    assert_int_equal(tz_text_clip("台", 1, &w), 0);
    assert_int_equal(w, 0);
    tz_buf b = TZ_BUF_INIT;
    assert_int_equal(tz_text_pad(&b, "—a", 5), 0);
    assert_string_equal(tz_buf_str(&b), "—a  ");
    tz_buf_reset(&b);
    assert_int_equal(tz_text_pad(&b, "台账台账", 3), 0); /* wider: no padding */
    assert_string_equal(tz_buf_str(&b), "台账台账");
    tz_buf_reset(&b);
    assert_int_equal(tz_text_pad(&b, NULL, 2), 0);
    assert_string_equal(tz_buf_str(&b), "  ");
    tz_buf_free(&b);
    char mem[64] = {0};
    FILE *fp = fmemopen(mem, sizeof mem, "w");
    assert_non_null(fp);
    assert_int_equal(tz_text_fpad(fp, "中a", 6), 0);
    assert_int_equal(tz_text_fpad(fp, "|", 0), 0);
    fclose(fp);
    assert_string_equal(mem, "中a   |");
}

static void test_nfkc(void **state)
{
    (void)state;
    size_t n = 0;
    char *s = tz_text_nfkc("１２３ＡＢ　（甲）", strlen("１２３ＡＢ　（甲）"), &n);
    assert_non_null(s);
    assert_string_equal(s, "123AB (甲)");
    assert_int_equal(n, strlen("123AB (甲)"));
    free(s);
    /* decomposed é composes; a compatibility ideograph becomes unified */
    s = tz_text_nfkc("e\xcc\x81\xef\xa4\x80", 6, NULL);
    assert_non_null(s);
    assert_string_equal(s, "\xc3\xa9\xe8\xb1\x88"); /* é 豈 */
    free(s);
    s = tz_text_nfkc("", 0, &n);
    assert_non_null(s);
    assert_string_equal(s, "");
    assert_int_equal(n, 0);
    free(s);
    assert_null(tz_text_nfkc("a\xff", 2, &n));
}

/* The shortcut for ASCII and CJK Unified Ideographs gives what libunistring
 * gives: every such character, each alone and all in one string. */
static void test_nfkc_stable(void **state)
{
    (void)state;
    static const long ranges[][2] = {{0x01, 0x7F}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}};
    size_t cap = 3 * (0x7F + 0x4DBF - 0x3400 + 0x9FFF - 0x4E00 + 3) + 1, all = 0;
    uint8_t *buf = malloc(cap);
    assert_non_null(buf);
    for (size_t r = 0; r < 3; r++)
        for (long cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
            int k = u8_uctomb(buf + all, (ucs4_t)cp, (int)(cap - all));
            assert_true(k > 0);
            all += (size_t)k;
        }
    size_t want_n = 0, got_n = 0;
    uint8_t *want = u8_normalize(UNINORM_NFKC, buf, all, NULL, &want_n);
    char *got = tz_text_nfkc((const char *)buf, all, &got_n);
    assert_non_null(want);
    assert_non_null(got);
    assert_int_equal(got_n, want_n);
    assert_memory_equal(got, want, want_n);
    free(want);
    free(got);
    free(buf);
    /* a combining mark after ASCII still composes */
    got = tz_text_nfkc("Ae\xcc\x81", 4, &got_n);
    assert_non_null(got);
    assert_string_equal(got, "A\xc3\xa9");
    free(got);
}

static void test_xml(void **state)
{
    (void)state;
    tz_buf b = TZ_BUF_INIT;
    const char *s = "a<b>&\"c'\n\t台";
    assert_int_equal(tz_xml_escape(&b, s, strlen(s), 0), 0);
    assert_string_equal(tz_buf_str(&b), "a&lt;b&gt;&amp;&quot;c&apos;\n\t台");
    tz_buf_reset(&b);
    assert_int_equal(tz_xml_escape(&b, s, strlen(s), TZ_XML_ATTR), 0);
    assert_string_equal(tz_buf_str(&b), "a&lt;b&gt;&amp;&quot;c&apos;  台");
    tz_buf_reset(&b);
    assert_int_equal(tz_xml_escape(&b, "&x", 1, 0), 0); /* only n bytes */
    assert_string_equal(tz_buf_str(&b), "&amp;");
    tz_buf_reset(&b);
    b.max = 4; /* the cap is honoured */
    assert_int_equal(tz_xml_escape(&b, "<<<", 3, 0), -1);
    tz_buf_free(&b);
}

static void test_conv(void **state)
{
    (void)state;
    tz_buf b = TZ_BUF_INIT;
    size_t bad = 99;
    /* 你好 in GBK, then a four-byte GB18030 sequence (U+00A5 is 0x81 0x30 0x84 0x36) */
    assert_int_equal(tz_gb18030_to_utf8("\xc4\xe3\xba\xc3"
                                        "\x81\x30\x84\x36",
                                        8, &b, &bad),
                     0);
    assert_string_equal(tz_buf_str(&b), "你好\xc2\xa5");
    tz_buf_reset(&b);
    /* 0xFF never occurs in GB18030 */
    assert_int_equal(tz_gb18030_to_utf8("ab\xff", 3, &b, &bad), 1);
    assert_int_equal(bad, 2);
    assert_string_equal(tz_buf_str(&b), "ab");
    tz_buf_reset(&b);
    /* cut inside a character at the end: not GB18030 as a whole */
    assert_int_equal(tz_gb18030_to_utf8("a\xc4", 2, &b, &bad), 1);
    assert_int_equal(bad, 1);
    tz_buf_reset(&b);

    /* streaming: an incomplete tail is reported and can be finished later */
    tz_conv *c = tz_conv_open("UTF-8", "GB18030");
    assert_non_null(c);
    size_t used = 0;
    assert_int_equal(tz_conv_run(c, "\xc4\xe3\xba", 3, &b, &used), TZ_CONV_INCOMPLETE);
    assert_int_equal(used, 2);
    assert_int_equal(tz_conv_run(c, "\xba\xc3", 2, &b, &used), TZ_CONV_OK);
    assert_int_equal(used, 2);
    assert_string_equal(tz_buf_str(&b), "你好");
    tz_conv_free(c);
    tz_buf_reset(&b);

    /* UTF-8 to GB18030: a long text crosses the internal chunk */
    c = tz_conv_open("GB18030", "UTF-8");
    assert_non_null(c);
    tz_buf in = TZ_BUF_INIT;
    for (int i = 0; i < 3000; i++)
        assert_int_equal(tz_buf_puts(&in, "台"), 0);
    assert_int_equal(tz_conv_run(c, in.data, in.len, &b, &used), TZ_CONV_OK);
    assert_int_equal(used, in.len);
    assert_int_equal(b.len, 6000);
    assert_memory_equal(b.data, "\xcc\xa8", 2);
    tz_buf_reset(&b);
    /* invalid UTF-8 input is reported where it starts */
    tz_conv_reset(c);
    assert_int_equal(tz_conv_run(c, "ab\xc0\xaf", 4, &b, &used), TZ_CONV_INVALID);
    assert_int_equal(used, 2);
    tz_conv_free(c);
    tz_conv_free(NULL);
    tz_buf_free(&in);
    tz_buf_free(&b);
    assert_null(tz_conv_open("UTF-8", "NO-SUCH-CHARSET"));
}

static void test_cal(void **state)
{
    (void)state;
    assert_true(tz_cal_leap(2000));
    assert_true(tz_cal_leap(2024));
    assert_false(tz_cal_leap(1900));
    assert_false(tz_cal_leap(2100));
    assert_false(tz_cal_leap(2023));
    assert_int_equal(tz_cal_mdays(2024, 2), 29);
    assert_int_equal(tz_cal_mdays(2023, 2), 28);
    assert_int_equal(tz_cal_mdays(1900, 2), 28);
    assert_int_equal(tz_cal_mdays(2023, 4), 30);
    assert_int_equal(tz_cal_mdays(2023, 12), 31);
    assert_int_equal(tz_cal_mdays(2023, 13), 0);
    assert_int_equal(tz_cal_mdays(2023, 0), 0);
    assert_true(tz_cal_valid(2024, 2, 29));
    assert_false(tz_cal_valid(2023, 2, 29));
    assert_false(tz_cal_valid(2023, 6, 31));
    assert_false(tz_cal_valid(2023, 6, 0));
    assert_int_equal(tz_cal_days(1970, 1, 1), 0);
    assert_int_equal(tz_cal_days(2000, 3, 1), 11017);
    assert_int_equal(tz_cal_days(1969, 12, 31), -1);
    assert_int_equal(tz_cal_days(1899, 12, 31), -25568);
    /* day numbers round-trip across leap days and century years */
    for (long n = -800000; n <= 800000; n += 37) {
        int y, m, d;
        tz_cal_civil(n, &y, &m, &d);
        assert_true(tz_cal_valid(y, m, d));
        assert_int_equal(tz_cal_days(y, m, d), n);
    }
}

static void test_serial(void **state)
{
    (void)state;
    int y = 0, m = 0, d = 0;
    assert_int_equal(tz_cal_from_serial(1, 0, &y, &m, &d), 0);
    assert_true(y == 1900 && m == 1 && d == 1);
    assert_int_equal(tz_cal_from_serial(59, 0, &y, &m, &d), 0);
    assert_true(y == 1900 && m == 2 && d == 28);
    /* Excel's fictitious 1900-02-29 is refused, with the date it shows */
    assert_int_equal(tz_cal_from_serial(60, 0, &y, &m, &d), -1);
    assert_true(y == 1900 && m == 2 && d == 29);
    assert_int_equal(tz_cal_from_serial(61, 0, &y, &m, &d), 0);
    assert_true(y == 1900 && m == 3 && d == 1);
    assert_int_equal(tz_cal_from_serial(43466.75, 0, &y, &m, &d), 0); /* time ignored */
    assert_true(y == 2019 && m == 1 && d == 1);
    assert_int_equal(tz_cal_from_serial(45351, 0, &y, &m, &d), 0);
    assert_true(y == 2024 && m == 2 && d == 29);
    assert_int_equal(tz_cal_from_serial(TZ_CAL_SERIAL_MAX, 0, &y, &m, &d), 0);
    assert_true(y == 9999 && m == 12 && d == 31);
    assert_int_equal(tz_cal_from_serial(TZ_CAL_SERIAL_MAX + 1, 0, &y, &m, &d), -1);
    assert_int_equal(tz_cal_from_serial(0.5, 0, &y, &m, &d), -1);
    assert_int_equal(tz_cal_from_serial(-1, 0, &y, &m, &d), -1);
    /* the 1904 system: 0 is 1904-01-01, 1462 days after the 1900 one */
    assert_int_equal(tz_cal_from_serial(0, 1, &y, &m, &d), 0);
    assert_true(y == 1904 && m == 1 && d == 1);
    assert_int_equal(tz_cal_from_serial(42004, 1, &y, &m, &d), 0);
    assert_true(y == 2019 && m == 1 && d == 1);
    assert_int_equal(tz_cal_from_serial(-0.5, 1, &y, &m, &d), -1);
    assert_int_equal(tz_cal_from_serial(TZ_CAL_SERIAL_MAX - 1462, 1, &y, &m, &d), 0);
    assert_true(y == 9999 && m == 12 && d == 31);
    assert_int_equal(tz_cal_from_serial(TZ_CAL_SERIAL_MAX - 1461, 1, &y, &m, &d), -1);
    /* and back */
    assert_int_equal(tz_cal_to_serial(1900, 1, 1, 0), 1);
    assert_int_equal(tz_cal_to_serial(1900, 2, 28, 0), 59);
    assert_int_equal(tz_cal_to_serial(1900, 3, 1, 0), 61);
    assert_int_equal(tz_cal_to_serial(2019, 1, 1, 0), 43466);
    assert_int_equal(tz_cal_to_serial(2019, 1, 1, 1), 42004);
    assert_int_equal(tz_cal_to_serial(1899, 12, 31, 0), -1);
    assert_int_equal(tz_cal_to_serial(1903, 12, 31, 1), -1);
    assert_int_equal(tz_cal_to_serial(2023, 2, 29, 0), -1);
    for (long s = 61; s <= TZ_CAL_SERIAL_MAX; s += 97) {
        assert_int_equal(tz_cal_from_serial((double)s, 0, &y, &m, &d), 0);
        assert_int_equal(tz_cal_to_serial(y, m, d, 0), s);
    }
}

static void test_col_letters(void **state)
{
    (void)state;
    char b[8];
    assert_string_equal(tz_col_letters(0, b), "A");
    assert_string_equal(tz_col_letters(25, b), "Z");
    assert_string_equal(tz_col_letters(26, b), "AA");
    assert_string_equal(tz_col_letters(701, b), "ZZ");
    assert_string_equal(tz_col_letters(702, b), "AAA");
    assert_string_equal(tz_col_letters(16383, b), "XFD"); /* the last column of a sheet */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode),      cmocka_unit_test(test_next),
        cmocka_unit_test(test_valid),       cmocka_unit_test(test_encode),
        cmocka_unit_test(test_trim_cut),    cmocka_unit_test(test_hidden),
        cmocka_unit_test(test_width),       cmocka_unit_test(test_clip_pad),
        cmocka_unit_test(test_nfkc),        cmocka_unit_test(test_nfkc_stable),
        cmocka_unit_test(test_xml),         cmocka_unit_test(test_conv),
        cmocka_unit_test(test_cal),         cmocka_unit_test(test_serial),
        cmocka_unit_test(test_col_letters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
