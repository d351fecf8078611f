/* test_proofread_style.c - unit tests for report/proofread_style.c and
 * report/proofread_scope.c: 等 after a complete list, a phrase doubled in
 * one sentence, mixed numerals for one kind of count, abbreviated years,
 * a bare 目前, and the wording rows of data/proofread_words.tsv (均还没有).
 * Every check has a text with the fault (a finding) and correct texts (no
 * finding). Reads data/proofread_words.tsv relative to $TZ_SRCDIR or the
 * current directory (make runs tests from the repository root).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/proofread.h"

/* ---- helpers ------------------------------------------------------------ */

static const char *const counties[] = {"梁园区", "睢阳区", "民权县", "睢县",  "宁陵县",
                                       "柘城县", "虞城县", "夏邑县", "示范区"};
static const char *const groups[] = {
    "装备制造专题招商组", "电子信息专题招商组", "纺织服装专题招商组",  "食品加工专题招商组",
    "生物医药专题招商组", "现代物流专题招商组", "现代服务业专题招商组"};

/* The scope of a report on 商丘市: its 9 counties and its 7 groups. */
static tz_proofread_scope *shangqiu(const char *asof)
{
    tz_proofread_scope *sc = tz_proofread_scope_new(asof);
    assert_non_null(sc);
    assert_int_equal(tz_proofread_scope_add_set(sc, "商丘市所辖9个县（市、区）", counties, 9, NULL),
                     0);
    assert_int_equal(tz_proofread_scope_add_set(sc, "全部7个专题招商组", groups, 7, "专题招商组"),
                     0);
    /* a set of one member is no list: ignored */
    assert_int_equal(tz_proofread_scope_add_set(sc, "一个", counties, 1, NULL), 0);
    assert_int_equal(tz_proofread_scope_count(sc), 2);
    return sc;
}

static tz_proofread_findings run(const char *s, const tz_proofread_opts *o)
{
    tz_proofread_findings f = TZ_PROOFREAD_FINDINGS_INIT;
    tz_diags d = TZ_DIAGS_INIT;
    assert_int_equal(tz_proofread_text(s, strlen(s), o, &f, &d), 0);
    assert_int_equal(d.nerrors, 0);
    tz_diags_clear(&d);
    return f;
}

static void dump(const tz_proofread_findings *f)
{
    for (size_t i = 0; i < f->n; i++) {
        tz_buf b = TZ_BUF_INIT;
        tz_proofread_format(&f->items[i], &b);
        print_message("  finding: %s\n", tz_buf_str(&b));
        tz_buf_free(&b);
    }
}

/* Asserts that s gives exactly `want` findings of kind k. */
static void expect(const char *s, const tz_proofread_opts *o, tz_proofread_kind k, size_t want)
{
    tz_proofread_findings f = run(s, o);
    size_t got = 0;
    for (size_t i = 0; i < f.n; i++)
        got += f.items[i].kind == k;
    if (got != want) {
        print_error("text \"%s\": %zu findings of kind %d, want %zu\n", s, got, (int)k, want);
        dump(&f);
    }
    assert_int_equal(got, want);
    tz_proofread_findings_free(&f);
}

/* Asserts that s gives one finding of kind k, over text, suggesting sugg
 * (NULL: none), whose message holds msg_part. */
static void expect_one(const char *s, const tz_proofread_opts *o, tz_proofread_kind k,
                       const char *text, const char *sugg, const char *msg_part)
{
    tz_proofread_findings f = run(s, o);
    if (f.n != 1)
        dump(&f);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.items[0].kind, k);
    assert_string_equal(f.items[0].text, text);
    if (sugg)
        assert_string_equal(f.items[0].suggestion, sugg);
    else
        assert_null(f.items[0].suggestion);
    if (!strstr(f.items[0].message, msg_part))
        print_error("message \"%s\" lacks \"%s\"\n", f.items[0].message, msg_part);
    assert_non_null(strstr(f.items[0].message, msg_part));
    assert_memory_equal(s + f.items[0].offset, text, strlen(text));
    tz_proofread_findings_free(&f);
}

/* ---- 等 after a complete list --------------------------------------------- */

static void test_etc(void **state)
{
    (void)state;
    tz_proofread_scope *sc = shangqiu(NULL);
    tz_proofread_opts o = {NULL, NULL, 0, TZ_PROOF_CHECK(TZ_PROOF_ETC), sc};
    /* every county named, then 等 */
    expect_one(
        "梁园区、睢阳区、民权县、睢县、宁陵县、柘城县、虞城县、夏邑县、示范区等县区均已完成。", &o,
        TZ_PROOF_ETC, "梁园区、睢阳区、民权县、睢县、宁陵县、柘城县、虞城县、夏邑县、示范区等",
        "梁园区、睢阳区、民权县、睢县、宁陵县、柘城县、虞城县、夏邑县、示范区",
        "商丘市所辖9个县（市、区）");
    /* followed by the count: 共 in the suggestion; words before the first
     * member are not part of the list */
    expect_one(
        "上半年引进了梁园区、睢阳区、民权县、睢县、宁陵县、柘城县、虞城县、夏邑县、示范区等9个县区的项目。",
        &o, TZ_PROOF_ETC, "梁园区、睢阳区、民权县、睢县、宁陵县、柘城县、虞城县、夏邑县、示范区等",
        "梁园区、睢阳区、民权县、睢县、宁陵县、柘城县、虞城县、夏邑县、示范区共",
        "列举完整时不用“等”");
    /* short forms, 和 before the last, any order, 等等 */
    expect("民权、梁园、睢阳、睢县、宁陵、柘城、虞城、夏邑和示范区等地。", &o, TZ_PROOF_ETC, 1);
    expect("梁园区、睢阳区、民权县、睢县、宁陵县、柘城县、虞城县、夏邑县、示范区等等。", &o,
           TZ_PROOF_ETC, 1);
    /* the units of a kind, by their short names and with a （…） after each */
    expect("装备制造、电子信息、纺织服装、食品加工、生物医药、现代物流、现代服务业等专题招商组。",
           &o, TZ_PROOF_ETC, 1);
    expect("正在洽谈甲（装备制造专题招商组）、乙（电子信息专题招商组）等项目。", &o, TZ_PROOF_ETC,
           0);
    expect(
        "装备制造专题招商组（甲）、电子信息专题招商组（乙）、纺织服装专题招商组、食品加工专题招商组、"
        "生物医药专题招商组、现代物流专题招商组、现代服务业专题招商组（丙，丁）等7个组。",
        &o, TZ_PROOF_ETC, 1);

    /* correct: a list cut short, the whole list without 等, a list with a
     * member twice or one outside the set, 等 of another use, no scope */
    expect("梁园区、睢阳区、民权县等县区均已完成。", &o, TZ_PROOF_ETC, 0);
    expect("梁园区、睢阳区、民权县、睢县、宁陵县、柘城县、虞城县、夏邑县、示范区均已完成。", &o,
           TZ_PROOF_ETC, 0);
    expect("梁园区、睢阳区、民权县、睢县、宁陵县、柘城县、虞城县、夏邑县、梁园区等。", &o,
           TZ_PROOF_ETC, 0);
    expect("梁园区、睢阳区、民权县、睢县、宁陵县、柘城县、虞城县、夏邑县、示范区、永城市等。", &o,
           TZ_PROOF_ETC, 0);
    expect("梁园区、睢阳区、民权县、睢县、宁陵县、柘城县、虞城县、夏邑县，示范区等。", &o,
           TZ_PROOF_ETC, 0); /* a comma ends the list: 示范区 alone */
    expect("男女平等，一等奖，等待，等于。", &o, TZ_PROOF_ETC, 0);
    tz_proofread_opts none = {NULL, NULL, 0, TZ_PROOF_CHECK(TZ_PROOF_ETC), NULL};
    expect("梁园区、睢阳区、民权县、睢县、宁陵县、柘城县、虞城县、夏邑县、示范区等。", &none,
           TZ_PROOF_ETC, 0);
    tz_proofread_scope_free(sc);
    tz_proofread_scope_free(NULL);
}

/* ---- a phrase doubled in one sentence -------------------------------------- */

static void test_sentence_repeats(void **state)
{
    (void)state;
    tz_proofread_opts o = {NULL, NULL, 0, TZ_PROOF_CHECK(TZ_PROOF_REPEAT), NULL};
    expect_one("上半年引进了赛琪服饰等项目、鹿峰包装等项目。", &o, TZ_PROOF_REPEAT, "等项目", NULL,
               "在同一句中出现了两次");
    expect_one("工作力度还不够，工作力度还不够。", &o, TZ_PROOF_REPEAT, "工作力度还不够", NULL,
               "在同一句中出现了两遍");
    /* a 7–12 character phrase written twice at once */
    expect("全面建成小康社会全面建成小康社会。", &o, TZ_PROOF_REPEAT, 1);
    /* correct: parallel clauses, 一等奖 and 二等奖, the same clause in two
     * sentences, short clauses, an 等 list in each clause */
    expect("签约了赛琪服饰等项目，落地了鹿峰包装等项目。", &o, TZ_PROOF_REPEAT, 0);
    expect("获得一等奖、二等奖、三等奖各一名。", &o, TZ_PROOF_REPEAT, 0);
    expect("工作力度还不够。工作力度还不够。", &o, TZ_PROOF_REPEAT, 0);
    expect("好，好，很好。", &o, TZ_PROOF_REPEAT, 0);
    expect("能不能引来好的项目，能不能引来大的项目、新的项目。", &o, TZ_PROOF_REPEAT, 0);
    expect("有坠子、小品等节目，有广场舞、唢呐等比赛。", &o, TZ_PROOF_REPEAT, 0);
}

/* ---- mixed numerals ----------------------------------------------------------- */

static void test_numerals(void **state)
{
    (void)state;
    tz_proofread_opts o = {NULL, NULL, 0, TZ_PROOF_CHECK(TZ_PROOF_NUMERAL), NULL};
    expect_one("我局共驻村帮扶7个行政村，其中贫困村一个，非贫困村6个。", &o, TZ_PROOF_NUMERAL,
               "一个", "1个", "“一个”用汉字、“7个”用阿拉伯数字");
    expect_one("七个专题招商组均尚未签约项目，24个市直单位中有23个尚无签约项目。", &o,
               TZ_PROOF_NUMERAL, "七个", "7个", "GB/T 15835");
    expect_one("帮扶两户贫困户，5户非贫困户。", &o, TZ_PROOF_NUMERAL, "两户", "2户", "两户");
    expect_one("共十个县、5个乡。", &o, TZ_PROOF_NUMERAL, "十个", "10个", "十个");
    expect("帮扶两个乡7个行政村。", &o, TZ_PROOF_NUMERAL, 1);
    /* correct: 两个乡 alone; 一是, 一批, 一些, 一定 are not counts; 一个 as an
     * article; approximations; ordinals; other measures; other sentences */
    expect("我局驻村帮扶两个乡。", &o, TZ_PROOF_NUMERAL, 0);
    expect("一是招商，二是引资，三是引进1个项目。", &o, TZ_PROOF_NUMERAL, 0);
    expect("引进了一批项目、一些企业，一定要完成5个项目。", &o, TZ_PROOF_NUMERAL, 0);
    expect("一个项目一个项目查看，共查看5个项目。", &o, TZ_PROOF_NUMERAL, 0);
    expect("三四个县已完成，5个乡未完成。", &o, TZ_PROOF_NUMERAL, 0);
    expect("十多个县已完成，5个乡未完成。", &o, TZ_PROOF_NUMERAL, 0);
    expect("第一个项目已落地，共5个项目。", &o, TZ_PROOF_NUMERAL, 0);
    expect("对应2个区划，无法确定是哪一个：另一个在5个村之外。", &o, TZ_PROOF_NUMERAL, 0);
    expect("两个乡。7个行政村。", &o, TZ_PROOF_NUMERAL, 0);
    expect("两户贫困户在5个村。", &o, TZ_PROOF_NUMERAL, 0);
    expect("受益群众达一千多万人次，送戏500多场次。", &o, TZ_PROOF_NUMERAL, 0);
    expect("7个村，其中贫困村1个，非贫困村6个。", &o, TZ_PROOF_NUMERAL, 0);
    expect("第二期工程与一期工程共5个项目。", &o, TZ_PROOF_NUMERAL, 0);
}

/* ---- abbreviated years ------------------------------------------------------------ */

static void test_years(void **state)
{
    (void)state;
    tz_proofread_opts o = {NULL, NULL, 0, TZ_PROOF_CHECK(TZ_PROOF_YEAR), NULL};
    expect_one("18、19年建成的336个村级综合性文化中心。", &o, TZ_PROOF_YEAR, "18、19年",
               "2018、2019年", "年份“18、19年”是简写");
    expect_one("至18年底建成。", &o, TZ_PROOF_YEAR, "18年", "2018年", "2018年");
    expect_one("于18年建成。", &o, TZ_PROOF_YEAR, "18年", "2018年", "2018年");
    expect_one("16-19年共建成。", &o, TZ_PROOF_YEAR, "16-19年", "2016-2019年", "16-19年");
    expect_one("98年底建成。", &o, TZ_PROOF_YEAR, "98年", "1998年", "1998");
    /* the text's date decides the century */
    tz_proofread_scope *sc = tz_proofread_scope_new("1995-12-31");
    tz_proofread_opts o95 = {NULL, NULL, 0, TZ_PROOF_CHECK(TZ_PROOF_YEAR), sc};
    expect_one("05年底建成。", &o95, TZ_PROOF_YEAR, "05年", "2005年", "2005");
    expect_one("18年底建成。", &o95, TZ_PROOF_YEAR, "18年", "1918年", "1918");
    tz_proofread_scope_free(sc);
    /* correct: full years, durations, a lone NN年 that may be either */
    expect("2018、2019年建成的336个。", &o, TZ_PROOF_YEAR, 0);
    expect("近10年来发展很快，工作了18年，服务期分别为10、20年。", &o, TZ_PROOF_YEAR, 0);
    expect("到18年来", &o, TZ_PROOF_YEAR, 0);
    expect("18年建成。", &o, TZ_PROOF_YEAR, 0);
    expect("2018年底，第18年底。", &o, TZ_PROOF_YEAR, 0);
    expect("A18年底", &o, TZ_PROOF_YEAR, 0);
    expect("在80年代，到90年代，80、90年代，在12年级。", &o, TZ_PROOF_YEAR, 0);
}

/* ---- a bare 目前 ---------------------------------------------------------------- */

static void test_vague_date(void **state)
{
    (void)state;
    tz_proofread_opts o = {NULL, NULL, 0, TZ_PROOF_CHECK(TZ_PROOF_DATE), NULL};
    expect_one("目前全县还有21个行政村未建设或不达标。", &o, TZ_PROOF_DATE, "目前", NULL,
               "如“截至2019年底”");
    static const struct {
        const char *asof, *want;
    } dates[] = {{"2019-12-31", "截至2019年底"},
                 {"2015-06-30", "截至2015年6月底"},
                 {"2016-02-29", "截至2016年2月底"},
                 {"2015-02-28", "截至2015年2月底"},
                 {"2015-07-15", "截至2015年7月15日"}};
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        tz_proofread_scope *sc = tz_proofread_scope_new(dates[i].asof);
        tz_proofread_opts od = {NULL, NULL, 0, TZ_PROOF_CHECK(TZ_PROOF_DATE), sc};
        expect_one("县财政奖补资金10万元，目前只拨付4万元。", &od, TZ_PROOF_DATE, "目前",
                   dates[i].want, dates[i].want);
        tz_proofread_scope_free(sc);
    }
    /* a date that does not exist gives no date to suggest (not "2月30日") */
    tz_proofread_scope *bad = tz_proofread_scope_new("2015-02-30");
    tz_proofread_opts ob = {NULL, NULL, 0, TZ_PROOF_CHECK(TZ_PROOF_DATE), bad};
    expect_one("目前只拨付4万元。", &ob, TZ_PROOF_DATE, "目前", NULL, "如“截至2019年底”");
    tz_proofread_scope_free(bad);
    /* correct: a date in the clause or a 截至 clause before it */
    expect("截至目前，全县还有21个行政村未建设。", &o, TZ_PROOF_DATE, 0);
    expect("到目前为止，全县还有21个行政村未建设。", &o, TZ_PROOF_DATE, 0);
    expect("截至2019年底，目前全县还有21个行政村未建设。", &o, TZ_PROOF_DATE, 0);
    expect("2019年底目前全县还有21个行政村未建设。", &o, TZ_PROOF_DATE, 0);
    expect("抓好项目前期工作，节目前三名获奖，账目前后一致。", &o, TZ_PROOF_DATE, 0);
    expect("截至2019年底全县还有21个行政村未建设。", &o, TZ_PROOF_DATE, 0);
}

/* ---- the wording rows of the shipped word list ---------------------------------- */

static void test_wording(void **state)
{
    (void)state;
    const char *root = getenv("TZ_SRCDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/data/proofread_words.tsv", root && root[0] ? root : ".");
    tz_diags d = TZ_DIAGS_INIT;
    tz_proofread_words *w = tz_proofread_load_words(path, &d);
    assert_non_null(w);
    tz_diags_clear(&d);
    tz_proofread_opts o = {w, NULL, 0, TZ_PROOF_CHECK(TZ_PROOF_WORD), NULL};
    expect_one("七个专题招商组均还没有签约项目。", &o, TZ_PROOF_WORD, "均还没有", "均尚未",
               "均尚未");
    expect("七个专题招商组均尚未签约项目，还没有完成。", &o, TZ_PROOF_WORD, 0);
    /* the fixed expressions the numeral check leaves alone */
    tz_proofread_opts on = {w, NULL, 0, TZ_PROOF_CHECK(TZ_PROOF_NUMERAL), NULL};
    expect("践行三个代表，完成5个项目。", &on, TZ_PROOF_NUMERAL, 0);
    expect("三次产业中一产占比较大，进行5次观摩。", &on, TZ_PROOF_NUMERAL, 0);
    expect("落实五个一批、六个精准，帮扶5个村。", &on, TZ_PROOF_NUMERAL, 0);
    tz_proofread_words_free(w);
}

/* ---- everything at once, as a clerk's text is read ------------------------------- */

static void test_all_kinds(void **state)
{
    (void)state;
    tz_proofread_scope *sc = shangqiu("2015-06-30");
    tz_proofread_opts o = {NULL, NULL, 0, 0, sc};
    const char *s = "目前，梁园区、睢阳区、民权县、睢县、宁陵县、柘城县、虞城县、夏邑县、示范区等"
                    "都有项目。\n其中贫困村一个，非贫困村6个；18、19年建成。\n"
                    "引进了赛琪服饰等项目、鹿峰包装等项目。\n";
    tz_proofread_findings f = run(s, &o);
    if (f.n != 5)
        dump(&f);
    assert_int_equal(f.n, 5);
    static const tz_proofread_kind kinds[] = {TZ_PROOF_DATE, TZ_PROOF_ETC, TZ_PROOF_NUMERAL,
                                              TZ_PROOF_YEAR, TZ_PROOF_REPEAT};
    static const char *const names[] = {"时间不明确", "列举用“等”不当", "数字用法不一致",
                                        "年份简写", "词语重复"};
    static const long lines[] = {1, 1, 2, 2, 3};
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(f.items[i].kind, kinds[i]);
        assert_string_equal(tz_proofread_kind_name(f.items[i].kind), names[i]);
        assert_int_equal(f.items[i].line, lines[i]);
        tz_buf b = TZ_BUF_INIT;
        assert_int_equal(tz_proofread_format(&f.items[i], &b), 0);
        assert_non_null(strstr(tz_buf_str(&b), names[i]));
        assert_non_null(strstr(tz_buf_str(&b), "上下文："));
        tz_buf_free(&b);
    }
    assert_string_equal(f.items[0].suggestion, "截至2015年6月底");
    /* the checks can be chosen one by one */
    tz_proofread_findings_free(&f);
    tz_proofread_opts only = {NULL, NULL, 0, TZ_PROOF_CHECK(TZ_PROOF_YEAR), sc};
    f = run(s, &only);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.items[0].kind, TZ_PROOF_YEAR);
    tz_proofread_findings_free(&f);
    tz_proofread_scope_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_etc),        cmocka_unit_test(test_sentence_repeats),
        cmocka_unit_test(test_numerals),   cmocka_unit_test(test_years),
        cmocka_unit_test(test_vague_date), cmocka_unit_test(test_wording),
        cmocka_unit_test(test_all_kinds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
