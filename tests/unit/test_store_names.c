/* test_store_names.c - store/names.c on a real SQLite store: region names
 * (unique, path forms, ambiguous with candidates, the column's level,
 * --region), unit names (exact, data/unit_synonyms.tsv both ways, the
 * abbreviation rule) and 20 000 generated villages that each resolve.
 *
 * The store holds examples/county (鹿邑县) plus a second county, 唐河县,
 * which also has a 宋河镇 and a 秦阁村 (鹿邑县's 秦阁村 is under 真源街道), and
 * a township and a village both called 王庄. Run from the repository root
 * (tests/run.sh does), so that examples/ and data/ are found. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ledger/ledger.h"
#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char _dir[64];
static tz_store *_s;

/* Writes text to a file in the test directory; returns its path (static). */
static const char *_file(const char *name, const char *text)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", _dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
    return path;
}

/* Imports path into ledger id; fails the test with the diags when refused. */
static void _import(const char *id, const char *path)
{
    tz_import_opts o = {.actor = "test"};
    tz_import_result r;
    tz_diags d = TZ_DIAGS_INIT;
    int rc = tz_import_file(_s, tz_ledger_find(id), path, &o, &r, &d);
    tz_import_result_free(&r);
    if (rc)
        tz_diags_print(&d, stderr);
    tz_diags_clear(&d);
    assert_int_equal(rc, 0);
}

static int _setup(void **state)
{
    (void)state;
    snprintf(_dir, sizeof _dir, "/tmp/tz-names-XXXXXX");
    if (!mkdtemp(_dir))
        return -1;
    char path[128];
    snprintf(path, sizeof path, "%s/names.db", _dir);
    tz_diags d = TZ_DIAGS_INIT;
    int rc = tz_store_open(path, TZ_OPEN_CREATE, &_s, &d);
    tz_diags_clear(&d);
    if (rc)
        return -1;
    _import("regions", "examples/county/regions.csv");
    _import("regions", _file("tanghe.csv", "区划代码,名称,上级区划代码,层级,贫困村,主导产业\n"
                                           "411300000000,南阳市,410000000000,市,,\n"
                                           "411328000000,唐河县,411300000000,县,,\n"
                                           "411328101000,宋河镇,411328000000,乡,,\n"
                                           "411328101201,秦阁村,411328101000,村,否,\n"
                                           "411328101202,王庄,411328101000,村,否,\n"
                                           "411328102000,王庄,411328000000,乡,,\n"
                                           "411328102201,李 湾 村,411328102000,村,是,\n"));
    _import("units", "examples/county/units.csv");
    _import("units", _file("units.csv", "单位名称,单位类型,所属区划代码\n"
                                        "县农业农村局,县直单位,411628000000\n"
                                        "县农村能源局,县直单位,411628000000\n"
                                        "县住房和城乡建设局,县直单位,411328000000\n"
                                        "市住建局,市直单位,411600000000\n"));
    return 0;
}

static int _teardown(void **state)
{
    (void)state;
    tz_store_close(_s);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", _dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Opens the names inside within (NULL: the whole database). */
static tz_names *_names(const char *within)
{
    tz_names *n = NULL;
    tz_diags d = TZ_DIAGS_INIT;
    int rc = tz_names_open(_s, within, &n, &d);
    if (rc)
        tz_diags_print(&d, stderr);
    tz_diags_clear(&d);
    assert_int_equal(rc, 0);
    return n;
}

/* Resolves raw for column col of ledger id; returns the answer, out and why. */
static int _resolve(tz_names *n, const char *id, const char *col, const char *raw, char *out,
                    size_t outsz, const char **why)
{
    const tz_ledger *l = tz_ledger_find(id);
    out[0] = '\0';
    return tz_names_resolve(n, l, tz_ledger_col(l, col), raw, out, outsz, why);
}

/* Expects raw in households' 所在村代码 to become code. */
static void _village(tz_names *n, const char *raw, const char *code)
{
    char out[64];
    const char *why = NULL;
    int rc = _resolve(n, "households", "所在村代码", raw, out, sizeof out, &why);
    if (rc != 0)
        fprintf(stderr, "“%s”: %d %s\n", raw, rc, why);
    assert_int_equal(rc, 0);
    assert_string_equal(out, code);
}

/* Expects raw in households' 所在村代码 to be refused with a reason holding
 * each of the NULL-terminated parts; returns nothing. */
static void _refused(tz_names *n, const char *raw, const char *const *parts)
{
    char out[64];
    const char *why = NULL;
    assert_int_equal(_resolve(n, "households", "所在村代码", raw, out, sizeof out, &why), -1);
    assert_non_null(why);
    for (; *parts; parts++)
        if (!strstr(why, *parts)) {
            fprintf(stderr, "reason “%s” lacks “%s”\n", why, *parts);
            fail();
        }
}

/* A name unique in the database resolves; one written with spaces,
 * full-width forms or a hidden character too. */
static void test_unique(void **state)
{
    (void)state;
    tz_names *n = _names(NULL);
    _village(n, "卢尧村", "411628101201");
    _village(n, " 卢 尧 村 ", "411628101201");
    _village(n, "李湾村", "411328102201"); /* stored as 李 湾 村 */
    tz_names_free(n);
}

/* The path forms: township and village run together, with '/', '、', '-' or
 * spaces, the county in front, a level left out. */
static void test_paths(void **state)
{
    (void)state;
    tz_names *n = _names(NULL);
    _village(n, "宋河镇秦阁村", "411328101201");
    _village(n, "宋河镇/秦阁村", "411328101201");
    _village(n, "宋河镇、秦阁村", "411328101201");
    _village(n, "宋河镇-秦阁村", "411328101201");
    _village(n, "宋河镇 秦阁村", "411328101201");
    _village(n, "宋河镇／秦阁村", "411328101201"); /* full-width slash */
    _village(n, "唐河县宋河镇秦阁村", "411328101201");
    _village(n, "唐河县/秦阁村", "411328101201");
    _village(n, "真源街道秦阁村", "411628001201");
    _village(n, "鹿邑县/真源街道/秦阁村", "411628001201"); /* as national.c writes it */
    _village(n, "河南省周口市鹿邑县真源街道秦阁村", "411628001201");
    /* a prefix that is no ancestor's name */
    static const char *const wrong[] = {"没有名为", NULL};
    _refused(n, "玄武镇秦阁村", wrong);
    tz_names_free(n);
}

/* An ambiguous name lists every candidate with its code and path. */
static void test_ambiguous(void **state)
{
    (void)state;
    tz_names *n = _names(NULL);
    static const char *const parts[] = {"秦阁村",
                                        "2个",
                                        "411628001201",
                                        "河南省/周口市/鹿邑县/真源街道/秦阁村",
                                        "411328101201",
                                        "河南省/南阳市/唐河县/宋河镇/秦阁村",
                                        NULL};
    _refused(n, "秦阁村", parts);
    /* 宋河镇 is a township in both counties: ambiguous for units' 所属区划代码 */
    char out[64];
    const char *why = NULL;
    assert_int_equal(_resolve(n, "units", "所属区划代码", "宋河镇", out, sizeof out, &why), -1);
    assert_non_null(strstr(why, "411628101000"));
    assert_non_null(strstr(why, "411328101000"));
    assert_int_equal(_resolve(n, "units", "所属区划代码", "唐河县宋河镇", out, sizeof out, &why),
                     0);
    assert_string_equal(out, "411328101000");
    tz_names_free(n);
}

/* The column's ref_level: 王庄 is a township and a village of 唐河县. */
static void test_level(void **state)
{
    (void)state;
    tz_names *n = _names(NULL);
    _village(n, "王庄", "411328101202");
    char out[64];
    const char *why = NULL;
    /* 所属区划代码 takes any level: both count */
    assert_int_equal(_resolve(n, "units", "所属区划代码", "王庄", out, sizeof out, &why), -1);
    assert_non_null(strstr(why, "411328102000"));
    /* a township's name where a village is wanted says so */
    static const char *const parts[] = {"乡级", "村级", "411628101000", NULL};
    _refused(n, "鹿邑县宋河镇", parts);
    /* unknown */
    static const char *const unknown[] = {"行政区划台账中没有名为“不存在村”的区划", NULL};
    _refused(n, "不存在村", unknown);
    tz_names_free(n);
}

/* Inside --region a name unique there resolves; one outside says so. */
static void test_within(void **state)
{
    (void)state;
    tz_names *n = _names("411628000000");
    _village(n, "秦阁村", "411628001201");
    static const char *const parts[] = {"不在", "411628000000", "鹿邑县", NULL};
    _refused(n, "宋河镇秦阁村", parts);
    tz_names_free(n);
    n = _names("411328000000");
    _village(n, "秦阁村", "411328101201");
    tz_names_free(n);
    /* a township as the region */
    n = _names("411628001000");
    _village(n, "秦阁村", "411628001201");
    tz_names_free(n);
}

/* Expects unit name raw (aid_villages' 帮扶单位) to give rc and, on 0, full. */
static void _unit(tz_names *n, const char *raw, int rc, const char *full)
{
    char out[256];
    const char *why = NULL;
    int got = _resolve(n, "aid_villages", "帮扶单位", raw, out, sizeof out, &why);
    if (got != rc)
        fprintf(stderr, "“%s”: %d “%s”\n", raw, got, out);
    assert_int_equal(got, rc);
    if (rc == 0)
        assert_string_equal(out, full);
}

/* Units: exact names kept, synonyms both ways, the abbreviation rule,
 * everything else kept for the reference check. */
static void test_units(void **state)
{
    (void)state;
    tz_names *n = _names(NULL);
    _unit(n, "县扶贫办", 1, NULL);
    _unit(n, "县文化广电旅游局", 1, NULL);
    _unit(n, "县文化广电旅游局 ", 0, "县文化广电旅游局"); /* normalised */
    _unit(n, "县文广旅局", 0, "县文化广电旅游局");        /* the synonym list */
    _unit(n, "县扶贫开发办公室", 0, "县扶贫办");          /* a line read backwards */
    _unit(n, "县住建局", 0, "县住房和城乡建设局");
    _unit(n, "市住房和城乡建设局", 0, "市住建局");
    _unit(n, "县文化旅游局", 0, "县文化广电旅游局"); /* abbreviation, not listed */
    _unit(n, "县农业局", 0, "县农业农村局"); /* listed: 县农业局 → 县农业农村局 */
    _unit(n, "县农局", 1, NULL);             /* fits 县农业农村局 and 县农村能源局 */
    _unit(n, "县教育局", 1, NULL);           /* not a unit here, and no abbreviation */
    _unit(n, "县", 1, NULL);
    _unit(n, "", 1, NULL);
    tz_names_free(n);
    /* inside 鹿邑县 the 唐河县 unit is not meant */
    n = _names("411628000000");
    _unit(n, "县住建局", 1, NULL);
    _unit(n, "市住房和城乡建设局", 0, "市住建局"); /* the city's unit still is */
    tz_names_free(n);
}

/* data/unit_synonyms.tsv is read as data: a malformed line refuses the
 * names with the file and line; a file of its own under TAIZHANG_HOME is
 * the one used. */
static void test_synonyms_file(void **state)
{
    (void)state;
    char home[128], cmd[256];
    snprintf(home, sizeof home, "%s/home", _dir);
    snprintf(cmd, sizeof cmd, "mkdir -p %s/data", home);
    assert_int_equal(system(cmd), 0);
    const char *old = getenv("TAIZHANG_HOME");
    char *saved = old ? strdup(old) : NULL;
    assert_int_equal(setenv("TAIZHANG_HOME", home, 1), 0);
    _file("home/data/unit_synonyms.tsv", "# 本县的叫法\n文旅局\t县文化广电旅游局\n只有一列\n");
    tz_names *n = NULL;
    tz_diags d = TZ_DIAGS_INIT;
    assert_int_equal(tz_names_open(_s, NULL, &n, &d), -1);
    assert_null(n);
    assert_int_equal(d.nerrors, 1);
    assert_int_equal(d.items[0].row, 3);
    assert_non_null(strstr(d.items[0].reason, "简称<TAB>全称"));
    tz_diags_clear(&d);
    _file("home/data/unit_synonyms.tsv", "# 本县的叫法\n文旅局\t县文化广电旅游局\n");
    n = _names(NULL);
    _unit(n, "文旅局", 0, "县文化广电旅游局");
    _unit(n, "县文广旅局", 0, "县文化广电旅游局"); /* the abbreviation rule still */
    _unit(n, "县扶贫开发办公室", 1, NULL);         /* not in this file */
    tz_names_free(n);
    if (saved)
        assert_int_equal(setenv("TAIZHANG_HOME", saved, 1), 0);
    else
        assert_int_equal(unsetenv("TAIZHANG_HOME"), 0);
    free(saved);
}

/* A column that takes neither a region nor a unit is left alone. */
static void test_other_columns(void **state)
{
    (void)state;
    tz_names *n = _names(NULL);
    char out[64];
    const char *why = NULL;
    assert_int_equal(_resolve(n, "households", "帮扶责任人", "秦阁村", out, sizeof out, &why), 1);
    /* a region's own code is what the row defines: a name there stays as written */
    assert_int_equal(_resolve(n, "regions", "区划代码", "卢尧村", out, sizeof out, &why), 1);
    /* its parent may be a name */
    assert_int_equal(_resolve(n, "regions", "上级区划代码", "鹿邑县宋河镇", out, sizeof out, &why),
                     0);
    assert_string_equal(out, "411628101000");
    tz_names_free(n);
    tz_names_free(NULL);
}

/* 20 000 generated villages in 21 townships of a new county: each resolves
 * by its own name, and by township/name. */
static void test_scale(void **state)
{
    (void)state;
    tz_buf csv = TZ_BUF_INIT;
    assert_int_equal(tz_buf_puts(&csv, "区划代码,名称,上级区划代码,层级,贫困村,主导产业\n"
                                       "411699000000,试验县,411600000000,县,,\n"),
                     0);
    for (int t = 0; t < 21; t++)
        assert_int_equal(
            tz_buf_printf(&csv, "411699%03d000,试验%02d镇,411699000000,乡,,\n", 101 + t, t), 0);
    for (int i = 0; i < 20000; i++)
        assert_int_equal(tz_buf_printf(&csv, "411699%03d%03d,试%05d村,411699%03d000,村,否,\n",
                                       101 + i / 999, 1 + i % 999, i, 101 + i / 999),
                         0);
    for (int t = 0; t < 10; t++) /* ten more townships with a village each, all 同名村 */
        assert_int_equal(tz_buf_printf(&csv,
                                       "411699%03d000,试验%02d镇,411699000000,乡,,\n"
                                       "411699%03d001,同名村,411699%03d000,村,否,\n",
                                       122 + t, 21 + t, 122 + t, 122 + t),
                         0);
    _import("regions", _file("scale.csv", tz_buf_str(&csv)));
    tz_buf_free(&csv);
    tz_names *n = _names(NULL);
    char raw[64], code[32], path[64];
    for (int i = 0; i < 20000; i++) {
        snprintf(raw, sizeof raw, "试%05d村", i);
        snprintf(code, sizeof code, "411699%03d%03d", 101 + i / 999, 1 + i % 999);
        _village(n, raw, code);
        if (i % 97 == 0) {
            snprintf(path, sizeof path, "试验%02d镇/试%05d村", i / 999, i);
            _village(n, path, code);
        }
    }
    static const char *const parts[] = {"没有名为", NULL};
    _refused(n, "试20000村", parts);
    /* ten candidates: the first eight listed, and the count */
    static const char *const many[] = {"对应10个", "411699122001", "411699129001", "等10个", NULL};
    _refused(n, "同名村", many);
    char out[64];
    const char *why = NULL;
    assert_int_equal(_resolve(n, "households", "所在村代码", "同名村", out, sizeof out, &why), -1);
    assert_null(strstr(why, "411699130001"));
    _village(n, "试验29镇同名村", "411699130001");
    tz_names_free(n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unique),        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_ambiguous),     cmocka_unit_test(test_level),
        cmocka_unit_test(test_within),        cmocka_unit_test(test_units),
        cmocka_unit_test(test_synonyms_file), cmocka_unit_test(test_other_columns),
        cmocka_unit_test(test_scale),
    };
    return cmocka_run_group_tests(tests, _setup, _teardown);
}
