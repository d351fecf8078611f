/* test_numword.c - unit tests for report/numword (GB/T 15835-2011 number wording). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/numword.h"

/* Runs one writer into a fresh buffer and compares, printing the case on failure. */
#define EXPECT_OUT(call_into_b, want)                                                              \
    do {                                                                                           \
        tz_buf b = TZ_BUF_INIT;                                                                    \
        int rc_ = (call_into_b);                                                                   \
        if (rc_ != 0 || strcmp(tz_buf_str(&b), (want)) != 0)                                       \
            print_error("case %s: got \"%s\" (rc %d), want \"%s\"\n", #call_into_b,                \
                        tz_buf_str(&b), rc_, (want));                                              \
        assert_int_equal(rc_, 0);                                                                  \
        assert_string_equal(tz_buf_str(&b), (want));                                               \
        tz_buf_free(&b);                                                                           \
    } while (0)

typedef struct amount_case {
    double v;
    const char *unit;
    unsigned flags;
    const char *want;
} amount_case;

static void test_amount_table(void **state)
{
    (void)state;
    static const amount_case cases[] = {
        /* the seed's own figures */
        {4809, "户", 0, "4809户"},
        {3543, "户", 0, "3543户"},
        {30, "万元", 0, "30万元"},
        {16, "万元", 0, "16万元"},
        {10, "万元", 0, "10万元"},
        {2795, "万美元", 0, "2795万美元"},
        {12.5, "万元", 0, "12.5万元"},
        {105, "个", 0, "105个"},
        /* 亿 for round figures, never 1亿2000万 */
        {120000000, "元", 0, "1.2亿元"},
        {100000000, "元", 0, "1亿元"},
        {125000000, "元", 0, "1.25亿元"},
        {99999999, "元", 0, "99999999元"},
        {123456789, "元", 0, "123456789元"},
        {120050000, "元", 0, "12005万元"},
        {1000000000, "元", 0, "10亿元"},
        {350000000, "元", 0, "3.5亿元"},
        /* 万 for round figures from 1万 up */
        {25000, "人次", 0, "2.5万人次"},
        {10000, "元", 0, "1万元"},
        {100000, "元", 0, "10万元"},
        {12000, "户", 0, "1.2万户"},
        {12340, "户", 0, "12340户"},
        {12300, "户", 0, "1.23万户"},
        {10230, "场次", 0, "10230场次"},
        {15634, "场次", 0, "15634场次"},
        {9999, "元", 0, "9999元"},
        {9000, "元", 0, "9000元"},
        {326000, "元", 0, "32.6万元"},
        /* amounts already in 万 or 亿 stay there unless they reach a round 亿 */
        {2016, "万元", 0, "2016万元"},
        {12000, "万元", 0, "1.2亿元"},
        {12000, "万美元", 0, "1.2亿美元"},
        {10000, "万元", 0, "1亿元"},
        {12345, "万元", 0, "12345万元"},
        {9999, "万元", 0, "9999万元"},
        {0.5, "万元", 0, "0.5万元"},
        {0.5, "亿元", 0, "0.5亿元"},
        {3, "亿元", 0, "3亿元"},
        {150, "亿元", 0, "150亿元"},
        /* rounding to at most two decimals, trailing zeros dropped */
        {9999.5, "元", 0, "9999.5元"},
        {9999.999, "元", 0, "1万元"},
        {12.345, "万元", 0, "12.35万元"},
        {12.344, "万元", 0, "12.34万元"},
        {2.0, "万元", 0, "2万元"},
        {0.1 + 0.2, "万元", 0, "0.3万元"},
        {1.005, "元", 0, "1.01元"},
        /* decimals on request */
        {9999.5, "元", TZ_NUMWORD_DEC(0), "1万元"},
        {9999.4, "元", TZ_NUMWORD_DEC(0), "9999元"},
        {3.14159, "", TZ_NUMWORD_DEC(4), "3.1416"},
        {12.5, "万元", TZ_NUMWORD_FIXED, "12.50万元"},
        {12, "万元", TZ_NUMWORD_FIXED | TZ_NUMWORD_DEC(1), "12.0万元"},
        /* no abbreviation when asked, nor for percentages */
        {25000, "人次", TZ_NUMWORD_NOSCALE, "25000人次"},
        {12000, "万元", TZ_NUMWORD_NOSCALE, "12000万元"},
        {20000, "%", 0, "20000%"},
        {33.333, "%", 0, "33.33%"},
        /* zeros and negatives */
        {0, "元", 0, "0元"},
        {-0.0, "元", 0, "0元"},
        {-0.001, "元", 0, "0元"},
        {-12.5, "万元", 0, "-12.5万元"},
        {-120000000, "元", 0, "-1.2亿元"},
        {-4809, "户", 0, "-4809户"},
        /* no unit */
        {7, NULL, 0, "7"},
        {25000, "", 0, "2.5万"},
        {1e20, "元", 0, "100000000000000000000元"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const amount_case *c = &cases[i];
        tz_buf b = TZ_BUF_INIT;
        int rc = tz_numword_amount(&b, c->v, c->unit, c->flags);
        if (rc != 0 || strcmp(tz_buf_str(&b), c->want) != 0)
            print_error("amount #%zu %.10g %s: got \"%s\", want \"%s\"\n", i, c->v,
                        c->unit ? c->unit : "(null)", tz_buf_str(&b), c->want);
        assert_int_equal(rc, 0);
        assert_string_equal(tz_buf_str(&b), c->want);
        tz_buf_free(&b);
    }
}

static void test_amount_bad_args(void **state)
{
    (void)state;
    tz_buf b = TZ_BUF_INIT;
    assert_int_equal(tz_numword_amount(&b, NAN, "元", 0), -1);
    assert_int_equal(tz_numword_amount(&b, INFINITY, "元", 0), -1);
    assert_int_equal(tz_numword_amount(NULL, 1, "元", 0), -1);
    assert_int_equal(b.len, 0);
    /* appends, never overwrites */
    assert_int_equal(tz_buf_puts(&b, "投资"), 0);
    assert_int_equal(tz_numword_amount(&b, 16, "万元", 0), 0);
    assert_string_equal(tz_buf_str(&b), "投资16万元");
    tz_buf_free(&b);
}

static void test_unit_scale(void **state)
{
    (void)state;
    const char *base = NULL;
    assert_int_equal(tz_numword_unit_scale("万元", &base), 4);
    assert_string_equal(base, "元");
    assert_int_equal(tz_numword_unit_scale("亿美元", &base), 8);
    assert_string_equal(base, "美元");
    assert_int_equal(tz_numword_unit_scale("万亿元", &base), 12);
    assert_string_equal(base, "元");
    assert_int_equal(tz_numword_unit_scale("个", &base), 0);
    assert_string_equal(base, "个");
    assert_int_equal(tz_numword_unit_scale(NULL, &base), 0);
    assert_string_equal(base, "");
}

typedef struct approx_case {
    double v;
    const char *unit;
    tz_numword_approx_style style;
    int digits;
    const char *want;
} approx_case;

static void test_approx_table(void **state)
{
    (void)state;
    static const approx_case cases[] = {
        /* the seed's approximations */
        {32.6, "万元", TZ_APPROX_DUO, 1, "30多万元"},
        {21.3, "万元", TZ_APPROX_DUO, 1, "20多万元"},
        {523, "场次", TZ_APPROX_DUO, 1, "500多场次"},
        {15634, "场次", TZ_APPROX_DUO, 3, "15600多场次"},
        {10230, "场次", TZ_APPROX_CN_YU, 1, "万余场次"},
        {10350000, "人次", TZ_APPROX_CN_DUO, 1, "一千多万人次"},
        /* the same values in the other styles */
        {10230, "场次", TZ_APPROX_YU, 1, "1万余场次"},
        {10230, "场次", TZ_APPROX_DUO, 1, "1万多场次"},
        {10230, "场次", TZ_APPROX_CN_DUO, 1, "一万多场次"},
        {10350000, "人次", TZ_APPROX_DUO, 1, "1000多万人次"},
        {10350000, "人次", TZ_APPROX_YU, 2, "1000余万人次"},
        {10350000, "人次", TZ_APPROX_DUO, 3, "1030多万人次"},
        {523, "场次", TZ_APPROX_YU, 1, "500余场次"},
        {523, "场次", TZ_APPROX_CN_DUO, 1, "五百多场次"},
        {32.6, "万元", TZ_APPROX_CN_DUO, 1, "三十多万元"},
        {32.6, "万元", TZ_APPROX_DUO, 2, "32万多元"},
        {15634, "场次", TZ_APPROX_DUO, 1, "1万多场次"},
        {15634, "场次", TZ_APPROX_DUO, 2, "15000多场次"},
        {15634, "场次", TZ_APPROX_DUO, 0, "1万多场次"},
        {12345, "人", TZ_APPROX_YU, 2, "12000余人"},
        {25300, "户", TZ_APPROX_CN_DUO, 1, "两万多户"},
        {23000000, "元", TZ_APPROX_CN_DUO, 1, "两千多万元"},
        {230000000, "元", TZ_APPROX_CN_DUO, 1, "两亿多元"},
        {2300000000.0, "元", TZ_APPROX_DUO, 1, "20多亿元"},
        {1000 * 1e8 + 5e8, "元", TZ_APPROX_DUO, 1, "1000多亿元"},
        {15.5, "人", TZ_APPROX_DUO, 1, "10多人"},
        {1.5, "亿元", TZ_APPROX_DUO, 1, "1亿多元"},
        {1.5, "亿元", TZ_APPROX_CN_YU, 1, "亿余元"},
        {125000000, "元", TZ_APPROX_DUO, 2, "1.2亿多元"},
        {125000000, "元", TZ_APPROX_CN_DUO, 2, "1.2亿多元"},
        {125000000, "元", TZ_APPROX_DUO, 3, "1.25亿元"},
        {125600000, "元", TZ_APPROX_YU, 3, "1.25亿余元"},
        /* found by fuzzing: Chinese numerals never nest 万 inside 万 */
        {10333616, "万美元", TZ_APPROX_CN_YU, 7, "10333610余万美元"},
        {10333616, "万美元", TZ_APPROX_CN_DUO, 4, "一千零三十三亿多美元"},
        {125630000, "元", TZ_APPROX_YU, 4, "12560余万元"},
        {125600000, "元", TZ_APPROX_YU, 4, "12560万元"},
        {100500000, "元", TZ_APPROX_CN_YU, 2, "亿余元"},
        /* written exactly: nothing past the kept digits, or below the rounding unit */
        {500, "场次", TZ_APPROX_DUO, 1, "500场次"},
        {10000, "场次", TZ_APPROX_CN_YU, 1, "1万场次"},
        {7, "个", TZ_APPROX_DUO, 1, "7个"},
        {9.5, "个", TZ_APPROX_DUO, 1, "9.5个"},
        {32, "个", TZ_APPROX_DUO, 2, "32个"},
        {523.4, "个", TZ_APPROX_DUO, 3, "523.4个"},
        {0, "个", TZ_APPROX_DUO, 1, "0个"},
        {30, "万元", TZ_APPROX_DUO, 1, "30万元"},
        /* negatives */
        {-523, "", TZ_APPROX_DUO, 1, "-500多"},
        {-523, "", TZ_APPROX_CN_DUO, 1, "负五百多"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const approx_case *c = &cases[i];
        tz_buf b = TZ_BUF_INIT;
        int rc = tz_numword_approx(&b, c->v, c->unit, c->style, c->digits);
        if (rc != 0 || strcmp(tz_buf_str(&b), c->want) != 0)
            print_error("approx #%zu %.10g %s style %d digits %d: got \"%s\", want \"%s\"\n", i,
                        c->v, c->unit, (int)c->style, c->digits, tz_buf_str(&b), c->want);
        assert_int_equal(rc, 0);
        assert_string_equal(tz_buf_str(&b), c->want);
        tz_buf_free(&b);
    }
    tz_buf b = TZ_BUF_INIT;
    assert_int_equal(tz_numword_approx(&b, NAN, "个", TZ_APPROX_DUO, 1), -1);
    assert_int_equal(tz_numword_approx(&b, 5, "个", (tz_numword_approx_style)9, 1), -1);
    assert_int_equal(b.len, 0);
    tz_buf_free(&b);
}

typedef struct cn_case {
    long long n;
    unsigned flags;
    const char *want;
} cn_case;

static void test_cn_int_table(void **state)
{
    (void)state;
    static const cn_case cases[] = {
        {0, 0, "零"},
        {1, 0, "一"},
        {2, 0, "二"},
        {2, TZ_NUMWORD_LIANG, "两"},
        {9, 0, "九"},
        {10, 0, "十"},
        {11, 0, "十一"},
        {12, TZ_NUMWORD_LIANG, "十二"},
        {19, 0, "十九"},
        {20, TZ_NUMWORD_LIANG, "二十"},
        {22, TZ_NUMWORD_LIANG, "二十二"},
        {99, 0, "九十九"},
        {100, 0, "一百"},
        {101, 0, "一百零一"},
        {110, 0, "一百一十"},
        {115, 0, "一百一十五"},
        {200, TZ_NUMWORD_LIANG, "二百"},
        {999, 0, "九百九十九"},
        {1000, 0, "一千"},
        {1001, 0, "一千零一"},
        {1010, 0, "一千零一十"},
        {1100, 0, "一千一百"},
        {2000, TZ_NUMWORD_LIANG, "两千"},
        {2000, 0, "二千"},
        {2222, TZ_NUMWORD_LIANG, "两千二百二十二"},
        {9999, 0, "九千九百九十九"},
        {10000, 0, "一万"},
        {10001, 0, "一万零一"},
        {10050, 0, "一万零五十"},
        {10500, 0, "一万零五百"},
        {15000, 0, "一万五千"},
        {20000, TZ_NUMWORD_LIANG, "两万"},
        {22000, TZ_NUMWORD_LIANG, "两万二千"},
        {22000, 0, "二万二千"},
        {100000, 0, "十万"},
        {150000, 0, "十五万"},
        {1005000, 0, "一百万五千"},
        {10000000, 0, "一千万"},
        {10350000, 0, "一千零三十五万"},
        {99999999, 0, "九千九百九十九万九千九百九十九"},
        {100000000, 0, "一亿"},
        {100001000, 0, "一亿零一千"},
        {100500000, 0, "一亿零五十万"},
        {110000000, 0, "一亿一千万"},
        {125000000, 0, "一亿二千五百万"},
        {200000000, TZ_NUMWORD_LIANG, "两亿"},
        {1000000000000LL, 0, "一万亿"},
        {1200000000000LL, 0, "一万二千亿"},
        {-35, 0, "负三十五"},
        {-2, TZ_NUMWORD_LIANG, "负两"},
        {9999999999999999LL, 0, "九千九百九十九万九千九百九十九亿九千九百九十九万九千九百九十九"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tz_buf b = TZ_BUF_INIT;
        int rc = tz_numword_cn_int(&b, cases[i].n, cases[i].flags);
        if (rc != 0 || strcmp(tz_buf_str(&b), cases[i].want) != 0)
            print_error("cn_int %lld: got \"%s\", want \"%s\"\n", cases[i].n, tz_buf_str(&b),
                        cases[i].want);
        assert_int_equal(rc, 0);
        assert_string_equal(tz_buf_str(&b), cases[i].want);
        if (cases[i].n >= 0) { /* and it reads back */
            tz_numword_figure f;
            assert_int_equal(tz_numword_parse(b.data, b.len, &f), b.len);
            assert_true(f.value == (double)cases[i].n);
        }
        tz_buf_free(&b);
    }
    tz_buf b = TZ_BUF_INIT;
    assert_int_equal(tz_numword_cn_int(&b, 10000000000000000LL, 0), -1);
    assert_int_equal(tz_numword_cn_int(&b, -10000000000000000LL, 0), -1);
    assert_int_equal(b.len, 0);
    tz_buf_free(&b);
}

/* Every number 0–99999 written in Chinese reads back to itself. */
static void test_cn_int_round_trip(void **state)
{
    (void)state;
    for (long long n = 0; n <= 99999; n++) {
        tz_buf b = TZ_BUF_INIT;
        assert_int_equal(tz_numword_cn_int(&b, n, n % 2 ? TZ_NUMWORD_LIANG : 0), 0);
        tz_numword_figure fig;
        size_t len = tz_numword_parse(b.data, b.len, &fig);
        if (len != b.len || fig.value != (double)n)
            print_error("round trip %lld: \"%s\" parsed as %.10g (%zu of %zu bytes)\n", n, b.data,
                        fig.value, len, b.len);
        assert_int_equal(len, b.len);
        assert_true(fig.value == (double)n);
        assert_int_equal(fig.chinese, 1);
        tz_buf_free(&b);
    }
}

static void test_count(void **state)
{
    (void)state;
    EXPECT_OUT(tz_numword_count(&b, 2, "个乡", 0), "两个乡");
    EXPECT_OUT(tz_numword_count(&b, 2, "场", 0), "两场");
    EXPECT_OUT(tz_numword_count(&b, 2, "户", 0), "两户");
    EXPECT_OUT(tz_numword_count(&b, 1, "个", 0), "一个");
    EXPECT_OUT(tz_numword_count(&b, 7, "个专题招商组", 0), "七个专题招商组");
    EXPECT_OUT(tz_numword_count(&b, 10, "个", 0), "十个");
    EXPECT_OUT(tz_numword_count(&b, 11, "人", 0), "11人");
    EXPECT_OUT(tz_numword_count(&b, 24, "个市直单位", 0), "24个市直单位");
    EXPECT_OUT(tz_numword_count(&b, 0, "个", 0), "0个");
    EXPECT_OUT(tz_numword_count(&b, -3, "个", 0), "-3个");
    EXPECT_OUT(tz_numword_count(&b, 7, "个行政村", TZ_NUMWORD_ARABIC), "7个行政村");
    EXPECT_OUT(tz_numword_count(&b, 3, NULL, 0), "三");
}

typedef struct frac_case {
    double num;
    double den;
    const char *want;
} frac_case;

static void test_fraction_table(void **state)
{
    (void)state;
    static const frac_case cases[] = {
        {1, 3, "三分之一"},      {0.33, 1, "三分之一"},  {0.34, 1, "三分之一"},
        {0.3433, 1, "三分之一"}, {0.32, 1, "32%"},       {0.345, 1, "34.5%"},
        {2, 3, "三分之二"},      {0.66, 1, "三分之二"},  {0.5, 1, "一半"},
        {0.49, 1, "一半"},       {0.48, 1, "48%"},       {1, 4, "四分之一"},
        {0.25, 1, "四分之一"},   {0.75, 1, "四分之三"},  {3, 4, "四分之三"},
        {0.2, 1, "五分之一"},    {0.201, 1, "五分之一"}, {0.205, 1, "20.5%"},
        {0.4, 1, "五分之二"},    {0.125, 1, "八分之一"}, {0.1, 1, "十分之一"},
        {0.3, 1, "十分之三"},    {0.7, 1, "十分之七"},   {0.37, 1, "37%"},
        {3, 7, "七分之三"},      {0.001, 1, "0.1%"},     {0, 5, "0%"},
        {1, 1, "100%"},          {0.995, 1, "99.5%"},    {2, 1, "两倍"},
        {2.0, 1.0, "两倍"},      {3.02, 1, "三倍"},      {10, 1, "十倍"},
        {1.5, 1, "150%"},        {11, 1, "1100%"},       {2.1, 1, "210%"},
        {-0.5, 1, "-50%"},       {5, -10, "-50%"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tz_buf b = TZ_BUF_INIT;
        int rc = tz_numword_fraction(&b, cases[i].num, cases[i].den);
        if (rc != 0 || strcmp(tz_buf_str(&b), cases[i].want) != 0)
            print_error("fraction %g/%g: got \"%s\", want \"%s\"\n", cases[i].num, cases[i].den,
                        tz_buf_str(&b), cases[i].want);
        assert_int_equal(rc, 0);
        assert_string_equal(tz_buf_str(&b), cases[i].want);
        tz_buf_free(&b);
    }
    tz_buf b = TZ_BUF_INIT;
    assert_int_equal(tz_numword_fraction(&b, 1, 0), -1);
    assert_int_equal(tz_numword_fraction(&b, NAN, 1), -1);
    assert_int_equal(tz_numword_fraction(&b, 1, INFINITY), -1);
    assert_int_equal(tz_numword_fraction(&b, 1e308, 1e-308), -1); /* overflows */
    assert_int_equal(b.len, 0);
    tz_buf_free(&b);
}

static void test_percent_growth_change(void **state)
{
    (void)state;
    EXPECT_OUT(tz_numword_percent(&b, 1.0 / 3, -1), "33.3%");
    EXPECT_OUT(tz_numword_percent(&b, 1.0 / 3, 2), "33.33%");
    EXPECT_OUT(tz_numword_percent(&b, 1, -1), "100%");
    EXPECT_OUT(tz_numword_percent(&b, 0.5, -1), "50%");
    EXPECT_OUT(tz_numword_percent(&b, 0, -1), "0%");
    EXPECT_OUT(tz_numword_percent(&b, -0.05, -1), "-5%");
    EXPECT_OUT(tz_numword_percent(&b, 0.1, 0), "10%");
    EXPECT_OUT(tz_numword_percent(&b, 0.99999, -1), "100%");
    EXPECT_OUT(tz_numword_percent(&b, -0.0001, -1), "0%");
    EXPECT_OUT(tz_numword_growth(&b, 0.1, -1), "增长10%");
    EXPECT_OUT(tz_numword_growth(&b, -0.052, -1), "下降5.2%");
    EXPECT_OUT(tz_numword_growth(&b, 0.0001, -1), "持平");
    EXPECT_OUT(tz_numword_growth(&b, 0, -1), "持平");
    EXPECT_OUT(tz_numword_change(&b, 12, "万元", 0), "增加12万元");
    EXPECT_OUT(tz_numword_change(&b, -3543, "户", 0), "减少3543户");
    EXPECT_OUT(tz_numword_change(&b, -25000, "人次", 0), "减少2.5万人次");
    EXPECT_OUT(tz_numword_change(&b, 0.001, "万元", 0), "持平");
    /* found by fuzzing: huge values no longer overflow a 64-bit conversion
     * (UBSan) when deciding 持平 */
    EXPECT_OUT(tz_numword_growth(&b, 1e20, 1), "增长10000000000000000000000%");
    EXPECT_OUT(tz_numword_change(&b, -1e20, "元", 0), "减少100000000000000000000元");
    tz_buf b = TZ_BUF_INIT;
    assert_int_equal(tz_numword_percent(&b, NAN, 1), -1);
    assert_int_equal(tz_numword_growth(&b, INFINITY, 1), -1);
    assert_int_equal(tz_numword_change(&b, NAN, "元", 0), -1);
    tz_buf_free(&b);
}

static void test_list(void **state)
{
    (void)state;
    const char *five[] = {"夏邑县", "虞城县", "睢阳区", "宁陵县", "睢县"};
    EXPECT_OUT(tz_numword_list(&b, five, 5, 0), "夏邑县、虞城县、睢阳区、宁陵县、睢县");
    EXPECT_OUT(tz_numword_list(&b, five, 5, 1), "夏邑县、虞城县、睢阳区、宁陵县和睢县");
    EXPECT_OUT(tz_numword_list(&b, five, 2, 1), "夏邑县和虞城县");
    EXPECT_OUT(tz_numword_list(&b, five, 2, 0), "夏邑县、虞城县");
    EXPECT_OUT(tz_numword_list(&b, five, 1, 1), "夏邑县");
    EXPECT_OUT(tz_numword_list(&b, five, 0, 1), "");
    const char *holes[] = {NULL, "民权县", NULL, "睢县", NULL};
    EXPECT_OUT(tz_numword_list(&b, holes, 5, 1), "民权县和睢县");
    tz_buf b = TZ_BUF_INIT;
    assert_int_equal(tz_numword_list(&b, NULL, 3, 0), -1);
    tz_buf_free(&b);
}

typedef struct parse_case {
    const char *s;
    size_t len;
    double value, lo, hi;
    int approx;
} parse_case;

static void test_parse_table(void **state)
{
    (void)state;
    static const parse_case cases[] = {
        {"30多万元", 8, 300000, 300000, 400000, 1},
        {"500多场次", 6, 500, 500, 600, 1},
        {"15600多场次", 8, 15600, 15600, 15700, 1},
        {"万余场次", 6, 10000, 10000, 20000, 1},
        {"一千多万人次", 12, 1e7, 1e7, 2e7, 1},
        {"1万多人", 7, 10000, 10000, 20000, 1},
        {"1.2万余人", 9, 12000, 12000, 13000, 1},
        {"十多个", 6, 10, 10, 20, 1},
        {"二十多个", 9, 20, 20, 30, 1},
        {"105个", 3, 105, 104.5, 105.5, 0},
        {"１０５个", 9, 105, 104.5, 105.5, 0},
        {"1.2亿元", 6, 1.2e8, 1.15e8, 1.25e8, 0},
        {"2.5万人次", 6, 25000, 24500, 25500, 0},
        {"2795万美元", 7, 2795e4, 2794.5e4, 2795.5e4, 0},
        {"12.50万元", 8, 125000, 124950, 125050, 0},
        {"两个乡", 3, 2, 1.5, 2.5, 0},
        {"一百零五个", 12, 105, 104.5, 105.5, 0},
        {"一千五", 9, 1500, 1450, 1550, 0},
        {"两万五", 9, 25000, 24500, 25500, 0},
        {"一千万", 9, 1e7, 5e6, 1.5e7, 0},
        {"三万五千亿", 15, 3.5e12, 3.45e12, 3.55e12, 0},
        {"一亿三千万", 15, 1.3e8, 1.25e8, 1.35e8, 0},
        {"零", 3, 0, -0.5, 0.5, 0},
        {"2016年", 4, 2016, 2015.5, 2016.5, 0},
        {"3.5", 3, 3.5, 3.45, 3.55, 0},
        {"7.", 1, 7, 6.5, 7.5, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const parse_case *c = &cases[i];
        tz_numword_figure f;
        size_t len = tz_numword_parse(c->s, strlen(c->s), &f);
        if (len != c->len || fabs(f.value - c->value) > 1e-6 * (1 + c->value) ||
            fabs(f.lo - c->lo) > 1e-6 * (1 + fabs(c->lo)) ||
            fabs(f.hi - c->hi) > 1e-6 * (1 + c->hi))
            print_error("parse \"%s\": len %zu value %.10g [%.10g, %.10g]\n", c->s, len, f.value,
                        f.lo, f.hi);
        assert_int_equal(len, c->len);
        assert_int_equal(f.len, c->len);
        assert_true(fabs(f.value - c->value) <= 1e-6 * (1 + c->value));
        assert_true(fabs(f.lo - c->lo) <= 1e-6 * (1 + fabs(c->lo)));
        assert_true(fabs(f.hi - c->hi) <= 1e-6 * (1 + c->hi));
        assert_int_equal(f.approx, c->approx);
    }
    /* not figures */
    static const char *const nots[] = {"万一",   "万达广场", "百姓",   "千万不能",
                                       "三五个", "一千一千", "十三五", "个",
                                       "",       "多个",     "余下"};
    for (size_t i = 0; i < sizeof nots / sizeof nots[0]; i++) {
        tz_numword_figure f;
        size_t len = tz_numword_parse(nots[i], strlen(nots[i]), &f);
        if (len)
            print_error("\"%s\" parsed as a figure of %zu bytes\n", nots[i], len);
        assert_int_equal(len, 0);
    }
    /* length-limited input never reads past n */
    tz_numword_figure f;
    assert_int_equal(tz_numword_parse("30多万元", 2, &f), 2);
    assert_true(f.value == 30);
    assert_int_equal(tz_numword_parse(NULL, 0, &f), 0);
}

/* Whatever tz_numword_approx writes reads back as a range holding the value. */
static void test_approx_parse_agree(void **state)
{
    (void)state;
    static const double values[] = {12,     37,     99,       105,    523,   999,
                                    1001,   4809,   10230,    15634,  32600, 99999,
                                    326000, 1035e4, 99999999, 1.25e8, 2.3e9, 7.77e10};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        for (int st = TZ_APPROX_DUO; st <= TZ_APPROX_CN_YU; st++) {
            for (int d = 1; d <= 3; d++) {
                tz_buf b = TZ_BUF_INIT;
                assert_int_equal(
                    tz_numword_approx(&b, values[i], "", (tz_numword_approx_style)st, d), 0);
                tz_numword_figure f;
                size_t len = tz_numword_parse(b.data, b.len, &f);
                if (len != b.len || values[i] < f.lo || values[i] > f.hi)
                    print_error("%.10g style %d digits %d: \"%s\" → [%.10g, %.10g] (%zu/%zu)\n",
                                values[i], st, d, b.data, f.lo, f.hi, len, b.len);
                assert_int_equal(len, b.len);
                assert_true(values[i] >= f.lo && values[i] <= f.hi);
                tz_buf_free(&b);
            }
        }
        /* and so does the exact amount */
        tz_buf b = TZ_BUF_INIT;
        assert_int_equal(tz_numword_amount(&b, values[i], "", 0), 0);
        tz_numword_figure f;
        assert_int_equal(tz_numword_parse(b.data, b.len, &f), b.len);
        assert_true(values[i] >= f.lo && values[i] <= f.hi);
        tz_buf_free(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_amount_table),
        cmocka_unit_test(test_amount_bad_args),
        cmocka_unit_test(test_unit_scale),
        cmocka_unit_test(test_approx_table),
        cmocka_unit_test(test_cn_int_table),
        cmocka_unit_test(test_cn_int_round_trip),
        cmocka_unit_test(test_count),
        cmocka_unit_test(test_fraction_table),
        cmocka_unit_test(test_percent_growth_change),
        cmocka_unit_test(test_list),
        cmocka_unit_test(test_parse_table),
        cmocka_unit_test(test_approx_parse_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
