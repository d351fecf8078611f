/* test_ledger_values.c - unit tests of issue 10's values part: data files
 * (util/datafile.h), header names as people write them, optional columns,
 * notes, the name resolver hook, value aliases, dates and ID numbers stored
 * as numbers (ledger/header.c, notes.c, aliases.c, validate.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "io/reader.h"
#include "ledger/ledger.h"
#include "util/buf.h"
#include "util/datafile.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Writes text to a new temporary file; path gets its name. */
static void _write_tmp(char path[64], const char *text)
{
    snprintf(path, 64, "/tmp/tz-values-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

/* 1 when some diagnostic's reason contains what (and, when row > 0, is
 * on that row). */
static int _has(const tz_diags *d, long row, const char *what)
{
    for (size_t i = 0; i < d->n; i++)
        if ((row <= 0 || d->items[i].row == row) && strstr(d->items[i].reason, what))
            return 1;
    return 0;
}

/* ---- util/datafile ------------------------------------------------------- */

typedef struct _lines {
    char got[8][64]; /* lines given to the callback */
    long no[8];      /* their line numbers */
    int n;           /* lines */
} _lines;

static int _keep_line(void *acc, char *p, const char *path, long lineno, tz_diags *d)
{
    _lines *x = acc;
    (void)path;
    (void)d;
    if (x->n == 8)
        return 1;
    snprintf(x->got[x->n], sizeof x->got[0], "%s", p);
    x->no[x->n++] = lineno;
    return 0;
}

static void test_datafile_read(void **state)
{
    (void)state;
    char path[64];
    /* a BOM, CR LF line ends, comments, blank lines and leading blanks */
    _write_tmp(path, "\xEF\xBB\xBF# 说明\r\n\r\na\tb\r\n  \t# 注释\n  c\td\te\n");
    _lines x = {.n = 0};
    tz_diags d = TZ_DIAGS_INIT;
    assert_int_equal(tz_datafile_read(path, "测试", _keep_line, &x, &d), 0);
    assert_int_equal(x.n, 2);
    assert_string_equal(x.got[0], "a\tb");
    assert_int_equal(x.no[0], 3);
    assert_string_equal(x.got[1], "c\td\te");
    assert_int_equal(x.no[1], 5);
    /* fields: split at TABs, trimmed, the last keeps further TABs */
    char line[] = " 户主 \t　身份证号　\tx\ty";
    char *f[3];
    assert_int_equal(tz_datafile_fields(line, f, 3), 3);
    assert_string_equal(f[0], "户主");
    assert_string_equal(f[1], "身份证号");
    assert_string_equal(f[2], "x\ty");
    unlink(path);
    /* a line that is not UTF-8, and one too long: errors naming file and line */
    char *big = malloc(TZ_DATAFILE_LINE_MAX + 64);
    assert_non_null(big);
    memset(big, 'x', TZ_DATAFILE_LINE_MAX + 10);
    big[TZ_DATAFILE_LINE_MAX + 10] = '\0';
    char text[TZ_DATAFILE_LINE_MAX + 128];
    snprintf(text, sizeof text, "ok\n\xB0\xA1\tGBK\n%s\nlast\n", big);
    free(big);
    _write_tmp(path, text);
    x.n = 0;
    assert_int_equal(tz_datafile_read(path, "测试", _keep_line, &x, &d), -1);
    assert_int_equal(x.n, 2); /* ok and last */
    assert_int_equal(d.nerrors, 2);
    assert_int_equal(d.items[0].row, 2);
    assert_non_null(strstr(d.items[0].reason, "UTF-8"));
    assert_string_equal(d.items[0].file, path);
    assert_int_equal(d.items[1].row, 3);
    assert_non_null(strstr(d.items[1].reason, "太长"));
    tz_diags_clear(&d);
    unlink(path);
    /* a missing file */
    assert_int_equal(tz_datafile_read("/nonexistent/x.tsv", "测试", _keep_line, &x, &d), -1);
    assert_non_null(strstr(d.items[0].reason, "无法读取测试数据文件"));
    tz_diags_clear(&d);
}

static void test_datafile_find(void **state)
{
    (void)state;
    char dir[] = "/tmp/tz-home-XXXXXX", sub[96], file[128], out[4200];
    assert_non_null(mkdtemp(dir));
    snprintf(sub, sizeof sub, "%s/data", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    snprintf(file, sizeof file, "%s/only_here.tsv", sub);
    FILE *fp = fopen(file, "w");
    assert_non_null(fp);
    fclose(fp);
    tz_diags d = TZ_DIAGS_INIT;
    char *old = getenv("TAIZHANG_HOME") ? strdup(getenv("TAIZHANG_HOME")) : NULL;
    setenv("TAIZHANG_HOME", dir, 1);
    assert_int_equal(tz_datafile_find("only_here.tsv", out, sizeof out, &d), 0);
    assert_string_equal(out, file);
    assert_int_equal(tz_datafile_find("nowhere.tsv", out, sizeof out, &d), -1);
    assert_non_null(strstr(d.items[0].reason, "data/nowhere.tsv"));
    assert_non_null(strstr(d.items[0].reason, "TAIZHANG_HOME"));
    tz_diags_clear(&d);
    if (old)
        setenv("TAIZHANG_HOME", old, 1);
    else
        unsetenv("TAIZHANG_HOME");
    free(old);
    unlink(file);
    rmdir(sub);
    rmdir(dir);
}

/* ---- header names ----------------------------------------------------------- */

static void test_header_norm(void **state)
{
    (void)state;
    static const struct {
        const char *cell, *norm;
    } cases[] = {
        {"人均纯收入（元）", "人均纯收入(元)"},
        {" 户主\n姓名 ", "户主姓名"},
        {"户主\r\n身份证号", "户主身份证号"},
        {"家庭\xE3\x80\x80人口", "家庭人口"},   /* U+3000 */
        {"家庭\xC2\xA0人口", "家庭人口"},       /* NBSP */
        {"家庭\xE2\x80\x83人口\t", "家庭人口"}, /* EM SPACE */
        {"\xEF\xBB\xBF户编号\xE2\x80\x8B", "户编号"},
        {"\xEF\xBC\xA1\xEF\xBC\xA2１２", "AB12"}, /* full-width letters and digits */
        {"", ""},
        /* ASCII and CJK ideographs alone are kept as they are; anything
         * else takes the long way */
        {"张三", "张三"},
        {"H-001/2", "H-001/2"},
        {"张 三", "张三"},
        {"\xE2\xBC\x88户", "人户"}, /* U+2F08 KANGXI RADICAL MAN: NFKC 人 */
        {"户\x7F", "户\x7F"},
        {"\xE4\xB8", "\xE4\xB8"}, /* cut-off UTF-8: the bytes as they are */
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char *n = tz_header_norm(cases[k].cell);
        assert_non_null(n);
        assert_string_equal(n, cases[k].norm);
        free(n);
    }
    /* every contract header is its own normal form */
    size_t nl;
    const tz_ledger *all = tz_ledger_all(&nl);
    for (size_t i = 0; i < nl; i++)
        for (size_t c = 0; c < all[i].ncols; c++) {
            char *n = tz_header_norm(all[i].cols[c].name);
            if (strcmp(n, all[i].cols[c].name))
                fail_msg("%s.%s is not its own normal form", all[i].id, all[i].cols[c].name);
            free(n);
        }
}

static void test_header_synonyms(void **state)
{
    (void)state;
    const tz_ledger *hh = tz_ledger_find("households");
    static const struct {
        const char *ledger, *cell, *col;
        tz_header_how how;
    } cases[] = {
        {"households", "户主身份证号", "户主身份证号", TZ_HOW_EXACT},
        {"households", "  户主身份证号 ", "户主身份证号", TZ_HOW_EXACT},
        {"households", "户主身份证号码", "户主身份证号", TZ_HOW_SYNONYM},
        {"households", "证件号码", "户主身份证号", TZ_HOW_SYNONYM},
        {"households", "身份证号码", "户主身份证号", TZ_HOW_SYNONYM},
        {"households", "身份证号", "户主身份证号", TZ_HOW_SYNONYM},
        {"households", "致贫原因", "主要致贫原因", TZ_HOW_SYNONYM},
        {"households", "人均纯收入", "人均纯收入(元)", TZ_HOW_SYNONYM},
        {"households", "人均纯收入（元）", "人均纯收入(元)", TZ_HOW_NORM},
        {"households", "人均纯收入\n(元)", "人均纯收入(元)", TZ_HOW_NORM},
        {"households", "家庭人均纯收入(元)", "人均纯收入(元)", TZ_HOW_SYNONYM},
        {"households", "家庭人均纯收入（元）", "人均纯收入(元)", TZ_HOW_SYNONYM},
        {"households", "户主", "户主姓名", TZ_HOW_SYNONYM},
        {"households", "户主名", "户主姓名", TZ_HOW_SYNONYM},
        {"households", "户主 姓名", "户主姓名", TZ_HOW_NORM},
        {"households", "人口数", "家庭人口", TZ_HOW_SYNONYM},
        {"households", "家庭人数", "家庭人口", TZ_HOW_SYNONYM},
        {"households", "户人口", "家庭人口", TZ_HOW_SYNONYM},
        {"households", "贫困户类型", "贫困户属性", TZ_HOW_SYNONYM},
        {"households", "户属性", "贫困户属性", TZ_HOW_SYNONYM},
        {"households", "村代码", "所在村代码", TZ_HOW_SYNONYM},
        {"households", "行政村", "所在村代码", TZ_HOW_SYNONYM},
        {"households", "村名", "所在村代码", TZ_HOW_SYNONYM},
        {"households", "所在村", "所在村代码", TZ_HOW_SYNONYM},
        {"households", "帮扶人", "帮扶责任人", TZ_HOW_SYNONYM},
        /* a * line serves every ledger with the column */
        {"aid_villages", "行政村", "村代码", TZ_HOW_SYNONYM},
        {"aid_cadres", "派出单位", "帮扶单位", TZ_HOW_SYNONYM},
        /* and never shadows a ledger's own column */
        {"projects", "责任单位", "责任单位", TZ_HOW_EXACT},
        {"culture_centers", "村代码", "村代码", TZ_HOW_EXACT},
        {"culture_centers", "广场面积（平方米）", "文化广场面积(平方米)", TZ_HOW_SYNONYM},
        {"projects", "总投资（亿元）", "总投资(亿元)", TZ_HOW_NORM},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const tz_ledger *l = tz_ledger_find(cases[k].ledger);
        tz_header_how how = TZ_HOW_EXACT;
        int c = tz_header_col_how(l, cases[k].cell, &how);
        if (c < 0 || strcmp(l->cols[c].name, cases[k].col) || how != cases[k].how)
            fail_msg("%s \"%s\": column %d (%s) how %d", cases[k].ledger, cases[k].cell, c,
                     c >= 0 ? l->cols[c].name : "-", (int)how);
    }
    assert_int_equal(tz_header_col(hh, "备注"), -1);
    assert_int_equal(tz_header_col(hh, ""), -1);
    assert_int_equal(tz_header_col(hh, "hh_id"), -1); /* an SQL name is not a header */
}

/* Matches a header row of households; returns tz_header_match's result. */
static int _match_hh(const char *const *hdr, size_t n, tz_header_map *m, tz_diags *d)
{
    return tz_header_match(tz_ledger_find("households"), hdr, n, "hh.xlsx", m, d);
}

static void test_header_match_how(void **state)
{
    (void)state;
    const tz_ledger *hh = tz_ledger_find("households");
    tz_diags d = TZ_DIAGS_INIT;
    tz_header_map m;
    const char *hdr[] = {"户编号",   "户主", "户主身份证号码", "所在村代码", "家庭\n人口",
                         "致贫原因", "备注"};
    assert_int_equal(_match_hh(hdr, 7, &m, &d), 0);
    assert_int_equal(d.nerrors, 0);
    assert_int_equal(m.map[tz_ledger_col(hh, "户主姓名")], 1);
    assert_int_equal(m.how[tz_ledger_col(hh, "户主姓名")], TZ_HOW_SYNONYM);
    assert_int_equal(m.how[tz_ledger_col(hh, "户编号")], TZ_HOW_EXACT);
    assert_int_equal(m.map[tz_ledger_col(hh, "家庭人口")], 4);
    assert_int_equal(m.how[tz_ledger_col(hh, "家庭人口")], TZ_HOW_NORM);
    assert_int_equal(m.map[tz_ledger_col(hh, "主要致贫原因")], 5);
    assert_int_equal(m.map[tz_ledger_col(hh, "贫困户属性")], -1); /* optional, absent */
    assert_null(m.notes);
    assert_null(m.resolve);
    /* each cell read another way is said, and the extra column */
    assert_int_equal(d.nwarnings, 5);
    assert_true(_has(&d, 1, "按“户主姓名”列读取(同义列名"));
    assert_true(_has(&d, 1, "按“家庭人口”列读取(表头的全角/半角字符或空格、换行"));
    assert_true(_has(&d, 1, "不是建档立卡贫困户台账的列,已忽略"));
    tz_header_map_free(&m);
    tz_header_map_free(&m); /* twice: safe */
    tz_header_map_free(NULL);
    tz_diags_clear(&d);
    /* the exact name wins over a synonym, in either order; the other is ignored, said */
    const char *both[] = {"身份证号",     "户编号",     "户主姓名",
                          "户主身份证号", "所在村代码", "家庭人口"};
    assert_int_equal(_match_hh(both, 6, &m, &d), 0);
    assert_int_equal(m.map[tz_ledger_col(hh, "户主身份证号")], 3);
    assert_true(_has(&d, 1, "已有“户主身份证号”列,此列忽略"));
    assert_string_equal(d.items[0].column, "身份证号");
    tz_header_map_free(&m);
    tz_diags_clear(&d);
    /* two synonyms of one column: refused, both named */
    const char *two[] = {"身份证号", "户编号", "户主姓名", "证件号码", "所在村代码", "家庭人口"};
    assert_int_equal(_match_hh(two, 6, &m, &d), -1);
    assert_true(_has(&d, 1, "与“身份证号”列都对应“户主身份证号”列,请只保留一列"));
    tz_header_map_free(&m);
    tz_diags_clear(&d);
    /* the row of a header found below the title */
    const tz_ledger *units = tz_ledger_find("units");
    const char *uh[] = {"单位", "单位类型"};
    assert_int_equal(tz_header_match_at(units, uh, 2, "u.xlsx", 3, &m, &d), -1);
    assert_int_equal(d.items[0].row, 3);
    assert_true(_has(&d, 3, "缺少此列(责任单位台账必须包含该列)"));
    tz_header_map_free(&m);
    tz_diags_clear(&d);
}

static void test_synonym_file(void **state)
{
    (void)state;
    tz_diags d = TZ_DIAGS_INIT;
    char path[64];
    _write_tmp(path, "# 测试\n"
                     "households\t户主的名字\t户主姓名\n"       /* 2: good */
                     "nosuch\t甲\t户主姓名\n"                   /* 3: unknown ledger */
                     "households\t乙\t没有的列\n"               /* 4: unknown column */
                     "households\t户主的名字\t户编号\n"         /* 5: one form, two columns */
                     "households\t户主姓名\t户主姓名\n"         /* 6: a contract name */
                     "households\t只有两列\n"                   /* 7: two fields */
                     "*\t丙\t没有的列\n"                        /* 8: no ledger has it */
                     "建档立卡贫困户\t户主的称呼\t户主姓名\n"); /* 9: good, by Chinese name */
    assert_int_equal(tz_header_synonyms_load(path, &d), -1);
    assert_int_equal(d.nerrors, 6);
    assert_true(_has(&d, 3, "没有这个台账"));
    assert_true(_has(&d, 4, "建档立卡贫困户没有这一列"));
    assert_true(_has(&d, 5, "第2行已把它对应到“户主姓名”列"));
    assert_true(_has(&d, 6, "这本身就是建档立卡贫困户台账的列名"));
    assert_true(_has(&d, 7, "格式应为"));
    assert_true(_has(&d, 8, "任何台账都没有这一列"));
    assert_string_equal(d.items[0].file, path);
    tz_diags_clear(&d);
    /* the table in place is kept */
    const tz_ledger *hh = tz_ledger_find("households");
    assert_int_equal(tz_header_col(hh, "户主的名字"), -1);
    assert_int_equal(tz_header_col(hh, "户主"), 1);
    unlink(path);
    /* a good file replaces it; then the shipped one again */
    _write_tmp(path, "households\t户主的名字\t户主姓名\n");
    assert_int_equal(tz_header_synonyms_load(path, &d), 0);
    assert_int_equal(tz_header_col(hh, "户主的名字"), 1);
    assert_int_equal(tz_header_col(hh, "户主"), -1);
    unlink(path);
    assert_int_equal(tz_header_synonyms_load("data/header_synonyms.tsv", &d), 0);
    assert_int_equal(tz_header_col(hh, "户主"), 1);
    assert_int_equal(d.nerrors, 0);
}

/* ---- optional columns --------------------------------------------------------- */

static void test_infile(void **state)
{
    (void)state;
    size_t n;
    const tz_ledger *all = tz_ledger_all(&n);
    /* every required column is in every file; households need exactly five */
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < all[i].ncols; c++) {
            unsigned f = all[i].cols[c].flags;
            if ((f & (TZ_F_KEY | TZ_F_REQUIRED)) && !(f & TZ_F_INFILE))
                fail_msg("%s.%s: required but not INFILE", all[i].id, all[i].cols[c].name);
            if (strcmp(all[i].id, "households") && (f & TZ_F_INFILE) &&
                !(f & (TZ_F_KEY | TZ_F_REQUIRED)))
                fail_msg("%s.%s: INFILE but optional", all[i].id, all[i].cols[c].name);
        }
    const tz_ledger *hh = tz_ledger_find("households");
    static const char *const five[] = {"户编号", "户主姓名", "户主身份证号", "所在村代码",
                                       "家庭人口"};
    size_t infile = 0;
    for (size_t c = 0; c < hh->ncols; c++)
        infile += (hh->cols[c].flags & TZ_F_INFILE) != 0;
    assert_int_equal(infile, 5);
    for (size_t k = 0; k < 5; k++) {
        int c = tz_ledger_col(hh, five[k]);
        assert_true(c >= 0 && (hh->cols[c].flags & TZ_F_INFILE) &&
                    (hh->cols[c].flags & TZ_F_REQUIRED));
    }
    assert_int_equal(hh->cols[tz_ledger_col(hh, "贫困户属性")].flags & TZ_F_REQUIRED, 0);
    assert_int_equal(hh->cols[tz_ledger_col(hh, "主要致贫原因")].flags & TZ_F_REQUIRED, 0);
    assert_int_equal(hh->cols[tz_ledger_col(hh, "识别年度")].flags & TZ_F_REQUIRED, 0);

    /* a file of the five columns only: every other column null, no error */
    tz_diags d = TZ_DIAGS_INIT;
    tz_header_map m;
    assert_int_equal(_match_hh(five, 5, &m, &d), 0);
    assert_int_equal(d.nerrors + d.nwarnings, 0);
    const char *row[] = {"H1", "张三", "11010519491231002X", "411628101201", "3"};
    tz_value vals[15];
    assert_int_equal(tz_row_validate(hh, &m, row, NULL, 5, "hh.xlsx", 2, 0, vals, &d), 0);
    for (size_t c = 5; c < 15; c++)
        assert_true(vals[c].null);
    assert_int_equal(vals[4].i, 3);
    tz_values_clear(vals, 15);
    /* present but empty: now allowed too */
    const char *hdr7[] = {"户编号",   "户主姓名",   "户主身份证号", "所在村代码",
                          "家庭人口", "贫困户属性", "识别年度"};
    tz_header_map m7;
    assert_int_equal(_match_hh(hdr7, 7, &m7, &d), 0);
    const char *row7[] = {"H1", "张三", "11010519491231002X", "411628101201", "3", "", ""};
    assert_int_equal(tz_row_validate(hh, &m7, row7, NULL, 7, "hh.xlsx", 2, 0, vals, &d), 0);
    tz_values_clear(vals, 15);
    /* the five stay required */
    const char *empty_name[] = {"H1", "", "11010519491231002X", "411628101201", "3"};
    assert_int_equal(tz_row_validate(hh, &m, empty_name, NULL, 5, "hh.xlsx", 2, 0, vals, &d), 1);
    tz_values_clear(vals, 15);
    assert_string_equal(d.items[0].reason, "不能为空");
    tz_header_map_free(&m);
    tz_header_map_free(&m7);
    tz_diags_clear(&d);
    /* a missing required column: refused as before */
    const char *four[] = {"户编号", "户主身份证号", "所在村代码", "家庭人口", "贫困户属性"};
    assert_int_equal(_match_hh(four, 5, &m, &d), -1);
    assert_int_equal(d.nerrors, 1);
    assert_string_equal(d.items[0].column, "户主姓名");
    assert_string_equal(d.items[0].reason, "缺少此列(建档立卡贫困户台账必须包含该列)");
    tz_header_map_free(&m);
    tz_diags_clear(&d);
}

/* required_if and row checks skip a column the file does not have */
static void test_absent_conditions(void **state)
{
    (void)state;
    tz_diags d = TZ_DIAGS_INIT;
    const tz_ledger *pj = tz_ledger_find("projects");
    const char *hdr[] = {"项目编号",     "项目名称", "所在县区代码", "责任单位", "工业项目",
                         "总投资(亿元)", "项目类型", "外资项目",     "阶段"};
    const char *row[] = {"P1", "鞋业", "411422", "睢县", "是", "3.5", "新建", "否", "投产"};
    tz_header_map m;
    tz_value vals[15];
    assert_int_equal(tz_header_match(pj, hdr, 9, "p.csv", &m, &d), 0);
    assert_int_equal(tz_row_validate(pj, &m, row, NULL, 9, "p.csv", 2, 0, vals, &d), 0);
    assert_true(vals[tz_ledger_col(pj, "签约日期")].null);
    tz_values_clear(vals, 15);
    tz_header_map_free(&m);
    /* with the column there and empty: "时必须填写" as before */
    const char *hdr2[] = {"项目编号", "项目名称",     "所在县区代码", "责任单位",
                          "工业项目", "总投资(亿元)", "项目类型",     "外资项目",
                          "阶段",     "签约日期",     "落地日期"};
    const char *row2[] = {"P1",   "鞋业", "411422", "睢县", "是",        "3.5",
                          "新建", "否",   "投产",   "",     "2015-06-01"};
    assert_int_equal(tz_header_match(pj, hdr2, 11, "p.csv", &m, &d), 0);
    assert_int_equal(tz_row_validate(pj, &m, row2, NULL, 11, "p.csv", 2, 0, vals, &d), 1);
    assert_true(_has(&d, 2, "阶段为签约或落地或投产时必须填写"));
    tz_values_clear(vals, 15);
    tz_header_map_free(&m);
    tz_diags_clear(&d);
}

/* ---- notes ------------------------------------------------------------------- */

static void test_notes(void **state)
{
    (void)state;
    tz_notes *ns = tz_notes_new();
    assert_non_null(ns);
    assert_int_equal(tz_notes_count(ns), 0);
    assert_null(tz_notes_at(ns, 0));
    assert_int_equal(tz_notes_add(ns, TZ_NOTE_ALIAS, 6, "因病致贫", "因病", 3), 0);
    assert_int_equal(tz_notes_add(ns, TZ_NOTE_NAME, 3, "秦阁村", "411628106201", 4), 0);
    assert_int_equal(tz_notes_add(ns, TZ_NOTE_ALIAS, 6, "因病致贫", "因病", 9), 0);
    /* the same text in another column, or of another kind, is another note */
    assert_int_equal(tz_notes_add(ns, TZ_NOTE_ALIAS, 5, "因病致贫", "x", 10), 0);
    assert_int_equal(tz_notes_add(ns, TZ_NOTE_MONTH_DAY, 6, "因病致贫", "y", 11), 0);
    assert_int_equal(tz_notes_count(ns), 4);
    const tz_note *a = tz_notes_at(ns, 0);
    assert_int_equal(a->kind, TZ_NOTE_ALIAS);
    assert_int_equal(a->col, 6);
    assert_string_equal(a->from, "因病致贫");
    assert_string_equal(a->to, "因病");
    assert_int_equal(a->count, 2);
    assert_int_equal(a->first_row, 3);
    assert_string_equal(tz_notes_at(ns, 1)->to, "411628106201");
    assert_int_equal(tz_notes_at(ns, 1)->count, 1);
    /* a province's names: 50 000 distinct, each counted twice, in order */
    char from[32], to[32];
    for (int r = 0; r < 2; r++)
        for (int i = 0; i < 50000; i++) {
            snprintf(from, sizeof from, "村%d", i);
            snprintf(to, sizeof to, "%012d", i);
            assert_int_equal(tz_notes_add(ns, TZ_NOTE_NAME, 3, from, to, 100 + i + r), 0);
        }
    assert_int_equal(tz_notes_count(ns), 50004);
    const tz_note *z = tz_notes_at(ns, 50003);
    assert_string_equal(z->from, "村49999");
    assert_int_equal(z->count, 2);
    assert_int_equal(z->first_row, 100 + 49999);
    assert_null(tz_notes_at(ns, 50004));
    tz_notes_free(ns);
    tz_notes_free(NULL);
    assert_int_equal(tz_notes_add(NULL, TZ_NOTE_NAME, 0, "a", "b", 1), 0);
    assert_int_equal(tz_notes_count(NULL), 0);
}

/* ---- the name resolver hook ------------------------------------------------------ */

typedef struct _resolver {
    int calls;     /* times asked */
    char last[64]; /* the last text asked about */
} _resolver;

/* A resolver for the tests: 秦阁村 is a code, 文广旅局 a unit's full name,
 * 新村 ambiguous; anything else kept. */
static int _resolve(void *ctx, const tz_ledger *l, int col, const char *raw, char *out,
                    size_t outsz, const char **why)
{
    _resolver *r = ctx;
    r->calls++;
    snprintf(r->last, sizeof r->last, "%s", raw);
    assert_true(col >= 0 && (size_t)col < l->ncols);
    if (!strcmp(raw, "秦阁村") || !strcmp(raw, "宋河镇/秦阁村")) {
        snprintf(out, outsz, "411628106201");
        return 0;
    }
    if (!strcmp(raw, "县文广旅局")) {
        snprintf(out, outsz, "县文化广电旅游局");
        return 0;
    }
    if (!strcmp(raw, "新村")) {
        *why = "名称“新村”不唯一: 411628101201 宋河镇新村、411628102201 赵村乡新村";
        return -1;
    }
    return 1;
}

static void test_resolve(void **state)
{
    (void)state;
    tz_diags d = TZ_DIAGS_INIT;
    const tz_ledger *av = tz_ledger_find("aid_villages");
    const char *hdr[] = {"帮扶单位", "村代码", "开始日期"};
    tz_header_map m;
    assert_int_equal(tz_header_match(av, hdr, 3, "av.xlsx", &m, &d), 0);
    _resolver r = {0, ""};
    m.notes = tz_notes_new();
    m.resolve = _resolve;
    m.resolve_ctx = &r;
    tz_value vals[4];
    const char *row[] = {"县文广旅局", "秦阁村", "2018-03-01"};
    assert_int_equal(tz_row_validate(av, &m, row, NULL, 3, "av.xlsx", 4, 0, vals, &d), 0);
    assert_string_equal(vals[0].text, "县文化广电旅游局");
    assert_string_equal(vals[1].text, "411628106201");
    tz_values_clear(vals, 4);
    assert_int_equal(r.calls, 2);
    /* a code (ASCII or full-width digits) is not a name; a unit always asks */
    const char *codes[] = {"县文化广电旅游局", "４１１６２８１０６２０１", "2018-03-01"};
    assert_int_equal(tz_row_validate(av, &m, codes, NULL, 3, "av.xlsx", 5, 0, vals, &d), 0);
    assert_string_equal(vals[1].text, "411628106201");
    tz_values_clear(vals, 4);
    assert_int_equal(r.calls, 3);
    assert_string_equal(r.last, "县文化广电旅游局");
    /* the same names again: counted */
    const char *again[] = {"县文广旅局", " 秦阁村 ", "2018-03-01"};
    assert_int_equal(tz_row_validate(av, &m, again, NULL, 3, "av.xlsx", 6, 0, vals, &d), 0);
    tz_values_clear(vals, 4);
    assert_int_equal(tz_notes_count(m.notes), 2);
    const tz_note *n0 = tz_notes_at(m.notes, 0);
    assert_int_equal(n0->kind, TZ_NOTE_NAME);
    assert_int_equal(n0->col, 0);
    assert_string_equal(n0->from, "县文广旅局");
    assert_int_equal(n0->count, 2);
    assert_int_equal(n0->first_row, 4);
    assert_string_equal(tz_notes_at(m.notes, 1)->from, "秦阁村");
    assert_int_equal(tz_notes_at(m.notes, 1)->count, 2);
    /* refused: the resolver's reason is the cell's error */
    const char *amb[] = {"县文化广电旅游局", "新村", "2018-03-01"};
    assert_int_equal(tz_row_validate(av, &m, amb, NULL, 3, "av.xlsx", 7, 0, vals, &d), 1);
    tz_values_clear(vals, 4);
    char *line = tz_diag_format(&d.items[0]);
    assert_string_equal(line, "av.xlsx 第7行 村代码 \"新村\": 名称“新村”不唯一: 411628101201 "
                              "宋河镇新村、411628102201 赵村乡新村");
    free(line);
    tz_diags_clear(&d);
    /* kept (1): parsed as usual, so a name no one knows is refused as a code */
    const char *unknown[] = {"县文化广电旅游局", "无名村", "2018-03-01"};
    assert_int_equal(tz_row_validate(av, &m, unknown, NULL, 3, "av.xlsx", 8, 0, vals, &d), 1);
    tz_values_clear(vals, 4);
    assert_string_equal(d.items[0].reason, "区划代码只能由数字组成");
    tz_diags_clear(&d);
    /* without a resolver, a name is refused as before */
    tz_notes_free(m.notes);
    m.notes = NULL;
    m.resolve = NULL;
    assert_int_equal(tz_row_validate(av, &m, row, NULL, 3, "av.xlsx", 4, 0, vals, &d), 1);
    tz_values_clear(vals, 4);
    tz_header_map_free(&m);
    tz_diags_clear(&d);
}

/* ---- value aliases --------------------------------------------------------------- */

/* Validates one households row of the given 贫困户属性, 主要致贫原因 and
 * 义务教育保障 (kind: that of the 义务教育保障 cell), counting notes into
 * ns. Returns the errors; the values go to vals. */
static int _hh_values(const char *kind, const char *cause, const char *edu, unsigned char edu_kind,
                      tz_notes *ns, tz_value vals[15], tz_diags *d)
{
    const tz_ledger *hh = tz_ledger_find("households");
    const char *hdr[] = {"户编号",   "户主姓名",   "户主身份证号", "所在村代码",
                         "家庭人口", "贫困户属性", "主要致贫原因", "义务教育保障"};
    const char *row[] = {"H1", "张三", "11010519491231002X", "411628101201", "3", kind, cause, edu};
    unsigned char kinds[8] = {0};
    kinds[7] = edu_kind;
    tz_header_map m;
    assert_int_equal(tz_header_match(hh, hdr, 8, "hh.xlsx", &m, d), 0);
    m.notes = ns;
    int n = tz_row_validate(hh, &m, row, kinds, 8, "hh.xlsx", 9, 0, vals, d);
    tz_header_map_free(&m);
    return n;
}

static void test_aliases(void **state)
{
    (void)state;
    tz_diags d = TZ_DIAGS_INIT;
    tz_value v[15];
    tz_notes *ns = tz_notes_new();
    assert_int_equal(_hh_values("低保户", "因病致贫", "√", TZ_CELL_TEXT, ns, v, &d), 0);
    assert_string_equal(v[5].text, "低保贫困户");
    assert_int_equal(v[5].i, 1);
    assert_string_equal(v[6].text, "因病");
    assert_int_equal(v[6].i, 0);
    assert_string_equal(v[10].text, "是");
    assert_int_equal(v[10].i, 1);
    tz_values_clear(v, 15);
    static const struct {
        const char *kind, *cause, *edu, *want_kind, *want_cause, *want_edu;
    } cases[] = {
        {"五保户", "因残致贫", "✓", "特困供养贫困户", "因残", "是"},
        {"特困户", "缺劳动力", "✔", "特困供养贫困户", "缺劳力", "是"},
        {"一般户", "缺资金致贫", "有", "一般贫困户", "缺资金", "是"},
        {"一般贫困户", "交通落后", "是", "一般贫困户", "交通条件落后", "是"},
        {"低保", "其它", "Y", "低保贫困户", "其他", "是"},
        {"低保贫困户", "因学", "y", "低保贫困户", "因学", "是"},
        {"低保贫困户", "因学", "1", "低保贫困户", "因学", "是"},
        {"低保贫困户", "因学", "×", "低保贫困户", "因学", "否"},
        {"低保贫困户", "因学", "✗", "低保贫困户", "因学", "否"},
        {"低保贫困户", "因学", "无", "低保贫困户", "因学", "否"},
        {"低保贫困户", "因学", "否", "低保贫困户", "因学", "否"},
        {"低保贫困户", "因学", "N", "低保贫困户", "因学", "否"},
        {"低保贫困户", "因学", "n", "低保贫困户", "因学", "否"},
        {"低保贫困户", "因学", "0", "低保贫困户", "因学", "否"},
        /* the NFKC form: full-width letters, an ideographic space */
        {"\xE3\x80\x80低保户", "因灾致贫", "\xEF\xBC\xB9", "低保贫困户", "因灾", "是"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        int n = _hh_values(cases[k].kind, cases[k].cause, cases[k].edu, TZ_CELL_TEXT, ns, v, &d);
        if (n || strcmp(v[5].text, cases[k].want_kind) || strcmp(v[6].text, cases[k].want_cause) ||
            strcmp(v[10].text, cases[k].want_edu))
            fail_msg("%s/%s/%s: %d errors, got %s/%s/%s", cases[k].kind, cases[k].cause,
                     cases[k].edu, n, v[5].text ? v[5].text : "-", v[6].text ? v[6].text : "-",
                     v[10].text ? v[10].text : "-");
        tz_values_clear(v, 15);
    }
    /* a number cell 1 / 0 in a 是/否 column */
    assert_int_equal(_hh_values("", "", "1", TZ_CELL_NUMBER, ns, v, &d), 0);
    assert_string_equal(v[10].text, "是");
    tz_values_clear(v, 15);
    assert_int_equal(d.nerrors, 0);
    /* counted, per (column, text as written); values allowed as written are not notes */
    const tz_note *first = tz_notes_at(ns, 0);
    assert_int_equal(first->kind, TZ_NOTE_ALIAS);
    assert_int_equal(first->col, 5);
    assert_string_equal(first->from, "低保户");
    assert_string_equal(first->to, "低保贫困户");
    assert_int_equal(first->count, 2); /* and once more with a U+3000 before it */
    assert_int_equal(first->first_row, 9);
    for (size_t i = 0; i < tz_notes_count(ns); i++) {
        const tz_note *e = tz_notes_at(ns, i);
        assert_true(strcmp(e->from, "是") && strcmp(e->from, "否") && strcmp(e->from, "因学"));
        if (!strcmp(e->from, "1") && e->col == 10)
            assert_int_equal(e->count, 2); /* as text and as a number */
    }
    /* still refused: the allowed values are listed */
    assert_int_equal(_hh_values("困难户", "懒", "可能", TZ_CELL_TEXT, ns, v, &d), 3);
    tz_values_clear(v, 15);
    assert_string_equal(d.items[0].reason,
                        "不是允许的取值,应为: 一般贫困户/低保贫困户/特困供养贫困户");
    assert_non_null(strstr(d.items[1].reason, "因病/因残/因学"));
    assert_string_equal(d.items[2].reason, "应填\"是\"或\"否\"");
    tz_diags_clear(&d);
    /* an alias of another column does not apply: 低保户 is not a cause */
    assert_int_equal(_hh_values("", "低保户", "", TZ_CELL_TEXT, ns, v, &d), 1);
    tz_values_clear(v, 15);
    tz_diags_clear(&d);
    tz_notes_free(ns);
    /* tz_value_parse (a row typed in a form) reads aliases too */
    const tz_ledger *pj = tz_ledger_find("projects");
    tz_value one;
    const char *why;
    assert_int_equal(tz_value_parse(&pj->cols[tz_ledger_col(pj, "阶段")], "已投产", 0, &one, &why),
                     0);
    assert_string_equal(one.text, "投产");
    free(one.text);
    /* a column-specific alias is checked against each column of that name */
    const tz_ledger *ac = tz_ledger_find("aid_cadres"), *ai = tz_ledger_find("aid_inputs");
    assert_int_equal(tz_value_parse(&ac->cols[tz_ledger_col(ac, "类别")], "骨干", 0, &one, &why),
                     0);
    assert_string_equal(one.text, "业务骨干");
    free(one.text);
    assert_int_equal(tz_value_parse(&ai->cols[tz_ledger_col(ai, "类别")], "骨干", 0, &one, &why),
                     -1);
    assert_int_equal(
        tz_value_parse(&ai->cols[tz_ledger_col(ai, "类别")], "危房改造", 0, &one, &why), 0);
    assert_string_equal(one.text, "住房修缮");
    free(one.text);
}

static void test_alias_file(void **state)
{
    (void)state;
    tz_diags d = TZ_DIAGS_INIT;
    char path[64];
    _write_tmp(path, "主要致贫原因\t看病贵\t因病\n"       /* 1: good */
                     "没有的列\t甲\t是\n"                 /* 2: unknown column */
                     "户主姓名\t甲\t是\n"                 /* 3: not an enum column */
                     "主要致贫原因\t乙\t没钱\n"           /* 4: not an allowed value */
                     "主要致贫原因\t因病\t因残\n"         /* 5: itself allowed */
                     "主要致贫原因\t看病贵\t因残\n"       /* 6: given twice */
                     "*\t丙\t不存在的值\n"                /* 7: no column takes it */
                     "主要致贫原因\t两列\n"               /* 8: two fields */
                     "主要致贫原因\t看　病　难\t因病\n"); /* 9: good */
    assert_int_equal(tz_value_aliases_load(path, &d), -1);
    assert_int_equal(d.nerrors, 7);
    assert_true(_has(&d, 2, "没有这个取值列"));
    assert_true(_has(&d, 3, "没有这个取值列"));
    assert_true(_has(&d, 4, "不是主要致贫原因列允许的取值"));
    assert_true(_has(&d, 5, "这本身就是主要致贫原因列允许的取值"));
    assert_true(_has(&d, 6, "第1行已给出它的标准值“因病”"));
    assert_true(_has(&d, 7, "不是任何枚举或是/否列允许的取值"));
    assert_true(_has(&d, 8, "格式应为"));
    tz_diags_clear(&d);
    unlink(path);
    /* the shipped table stays in place */
    const tz_ledger *hh = tz_ledger_find("households");
    const tz_column *cause = &hh->cols[tz_ledger_col(hh, "主要致贫原因")];
    tz_value one;
    const char *why;
    assert_int_equal(tz_value_parse(cause, "看病贵", 0, &one, &why), -1);
    assert_int_equal(tz_value_parse(cause, "因病致贫", 0, &one, &why), 0);
    free(one.text);
    /* the shipped file loads without a word */
    assert_int_equal(tz_value_aliases_load("data/value_aliases.tsv", &d), 0);
    assert_int_equal(d.n, 0);
}

/* ---- dates and ID numbers ------------------------------------------------------- */

static void test_dates_people(void **state)
{
    (void)state;
    char out[11], m[8];
    const char *why;
    /* 20190601, as text (ASCII or full-width) or as a number cell */
    assert_int_equal(tz_parse_date("20190601", 0, 0, out, &why), 0);
    assert_string_equal(out, "2019-06-01");
    assert_int_equal(tz_parse_date("２０１９０６０１", 0, 0, out, &why), 0);
    assert_string_equal(out, "2019-06-01");
    assert_int_equal(tz_parse_date("20190601", 1, 0, out, &why), 0);
    assert_string_equal(out, "2019-06-01");
    assert_int_equal(tz_parse_date("20190601", 1, 1, out, &why), 0); /* 1904 or not */
    assert_string_equal(out, "2019-06-01");
    assert_int_equal(tz_parse_date("20190631", 1, 0, out, &why), -1);
    assert_string_equal(why, "不是有效的日期");
    assert_int_equal(tz_parse_date("20191301", 0, 0, out, &why), -1);
    /* serials are still serials */
    assert_int_equal(tz_parse_date("43617", 1, 0, out, &why), 0);
    assert_string_equal(out, "2019-06-01");
    assert_int_equal(tz_parse_date("2958465", 1, 0, out, &why), 0);
    assert_string_equal(out, "9999-12-31");
    /* two-digit years: refused, saying to write four digits */
    static const char *const two[] = {"18.1.12", "18-1-12", "18/1/12", "18年1月12日", "9.1.12"};
    for (size_t k = 0; k < sizeof two / sizeof two[0]; k++) {
        assert_int_equal(tz_parse_date(two[k], 0, 0, out, &why), -1);
        assert_non_null(strstr(why, "请写四位年份"));
    }
    assert_int_equal(tz_parse_month("18.1", 0, 0, m, &why), -1);
    assert_non_null(strstr(why, "请写四位年份"));
    /* everything accepted before still is */
    static const char *const old[] = {
        "2019-06-01",          "2019/6/1",      "2019.6.1", "2019年6月1日",
        "2019-06-01 00:00:00", "2019-6-1T00:00"};
    for (size_t k = 0; k < sizeof old / sizeof old[0]; k++) {
        assert_int_equal(tz_parse_date(old[k], 0, 0, out, &why), 0);
        assert_string_equal(out, "2019-06-01");
    }
    /* months: 201906 as text or number */
    assert_int_equal(tz_parse_month("201906", 0, 0, m, &why), 0);
    assert_string_equal(m, "2019-06");
    assert_int_equal(tz_parse_month("201906", 1, 0, m, &why), 0);
    assert_string_equal(m, "2019-06");
    assert_int_equal(tz_parse_month("42186", 1, 0, m, &why), 0);
    assert_string_equal(m, "2015-07");

    /* 2019年6月 in a date column: the first, counted */
    tz_diags d = TZ_DIAGS_INIT;
    const tz_ledger *tv = tz_ledger_find("tv_installs");
    const char *hdr[] = {"户编号", "安装日期", "状态"};
    const char *row[] = {"H1", "2019年6月", "正常"};
    tz_header_map hm;
    tz_value vals[4];
    assert_int_equal(tz_header_match(tv, hdr, 3, "tv.xlsx", &hm, &d), 0);
    hm.notes = tz_notes_new();
    assert_int_equal(tz_row_validate(tv, &hm, row, NULL, 3, "tv.xlsx", 5, 0, vals, &d), 0);
    assert_string_equal(vals[1].text, "2019-06-01");
    tz_values_clear(vals, 4);
    assert_int_equal(tz_notes_count(hm.notes), 1);
    const tz_note *n = tz_notes_at(hm.notes, 0);
    assert_int_equal(n->kind, TZ_NOTE_MONTH_DAY);
    assert_int_equal(n->col, 1);
    assert_string_equal(n->from, "2019年6月");
    assert_string_equal(n->to, "2019-06-01");
    /* a number cell 20190601: no note, not a serial */
    const char *num[] = {"H1", "20190601", "正常"};
    const unsigned char kinds[] = {TZ_CELL_TEXT, TZ_CELL_NUMBER, TZ_CELL_TEXT};
    assert_int_equal(tz_row_validate(tv, &hm, num, kinds, 3, "tv.xlsx", 6, 0, vals, &d), 0);
    assert_string_equal(vals[1].text, "2019-06-01");
    tz_values_clear(vals, 4);
    assert_int_equal(tz_notes_count(hm.notes), 1);
    /* a bad month, and a two-digit year, through a row */
    const char *bad[] = {"H1", "2019年13月", "正常"};
    assert_int_equal(tz_row_validate(tv, &hm, bad, NULL, 3, "tv.xlsx", 7, 0, vals, &d), 1);
    tz_values_clear(vals, 4);
    const char *yy[] = {"H1", "18.1.12", "正常"};
    assert_int_equal(tz_row_validate(tv, &hm, yy, NULL, 3, "tv.xlsx", 8, 0, vals, &d), 1);
    tz_values_clear(vals, 4);
    char *line = tz_diag_format(&d.items[1]);
    assert_string_equal(line, "tv.xlsx 第8行 安装日期 \"18.1.12\": "
                              "年份只写了两位,无法确定是哪一年;请写四位年份,如2018-01-12");
    free(line);
    tz_notes_free(hm.notes);
    tz_header_map_free(&hm);
    tz_diags_clear(&d);
}

/* The canonical text and value of plain numbers, whatever way they are
 * produced: a decimal's text is tz_fmt_decimal of its value (6 places,
 * trailing zeros cut), an integer's its digits without leading zeros. */
static void test_number_text(void **state)
{
    (void)state;
    /* columns without a range, so that every length is read */
    const tz_column dec = {.name = "金额", .sql = "amount", .type = TZ_COL_DECIMAL};
    const tz_column num = {.name = "人数", .sql = "people", .type = TZ_COL_INT};
    const tz_column *income = &dec, *members = &num;
    unsigned long long r = 88172645463325252ULL;
    for (int k = 0; k < 20000; k++) {
        char s[64];
        size_t n = 0;
        r ^= r << 13, r ^= r >> 7, r ^= r << 17;
        int ni = 1 + (int)(r % 16), nf = (int)((r >> 8) % 10) - 1; /* -1: no point */
        for (int i = 0; i < ni; i++) {
            r ^= r << 13, r ^= r >> 7, r ^= r << 17;
            s[n++] = (char)('0' + r % 10);
        }
        if (nf >= 0)
            s[n++] = '.';
        for (int i = 0; i < nf; i++) {
            r ^= r << 13, r ^= r >> 7, r ^= r << 17;
            s[n++] = (char)('0' + (i == nf - 1 && r % 3 == 0 ? 0 : r % 10));
        }
        if (nf == 0)
            s[n++] = '5';
        s[n] = '\0';
        double want = strtod(s, NULL);
        char fmt[64];
        tz_value v;
        const char *why;
        for (int numeric = 0; numeric < 2; numeric++) {
            assert_int_equal(tz_value_parse(income, s, numeric, &v, &why), 0);
            assert_true(v.d == want);
            if (strcmp(v.text, tz_fmt_decimal(want, 6, fmt, sizeof fmt)))
                fail_msg("%s (numeric %d): text %s, want %s", s, numeric, v.text, fmt);
            free(v.text);
        }
        if (nf < 0 && want <= 9e15) {
            assert_int_equal(tz_value_parse(members, s, 0, &v, &why), 0);
            snprintf(fmt, sizeof fmt, "%lld", (long long)want);
            assert_string_equal(v.text, fmt);
            free(v.text);
        }
    }
}

static void test_idcard_number_cell(void **state)
{
    (void)state;
    tz_diags d = TZ_DIAGS_INIT;
    const tz_ledger *hh = tz_ledger_find("households");
    const char *hdr[] = {"户编号", "户主姓名", "户主身份证号", "所在村代码", "家庭人口"};
    tz_header_map m;
    assert_int_equal(tz_header_match(hh, hdr, 5, "hh.xlsx", &m, &d), 0);
    tz_value vals[15];
    const unsigned char kinds[] = {TZ_CELL_TEXT, TZ_CELL_TEXT, TZ_CELL_NUMBER, TZ_CELL_TEXT,
                                   TZ_CELL_NUMBER};
    static const char *const ids[] = {"4.11628198001011E+17", "411628198001011000",
                                      "110105194912310021"};
    for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++) {
        const char *row[] = {"H1", "张三", ids[k], "411628101201", "3"};
        assert_int_equal(tz_row_validate(hh, &m, row, kinds, 5, "hh.xlsx", 4, 0, vals, &d), 1);
        tz_values_clear(vals, 15);
        assert_string_equal(d.items[0].column, "户主身份证号");
        assert_string_equal(d.items[0].reason,
                            "该列在Excel中是数字格式,身份证号只保留了15位有效数字,后3位已丢失;"
                            "请将该列设为文本格式后重新填写");
        /* never echoed in full */
        assert_null(strstr(d.items[0].value, "198001011"));
        tz_diags_clear(&d);
    }
    /* the same digits as text are an ID number as before */
    const unsigned char text[5] = {0};
    const char *row[] = {"H1", "张三", "11010519491231002X", "411628101201", "3"};
    assert_int_equal(tz_row_validate(hh, &m, row, text, 5, "hh.xlsx", 4, 0, vals, &d), 0);
    tz_values_clear(vals, 15);
    tz_header_map_free(&m);
    tz_diags_clear(&d);
}

/* Values validated into an arena are those of plain validation: cells
 * trimmed at the start only (read where they are), at the end (copied),
 * long ones (copied apart), numbers, choices and dates; their texts are
 * lent, so clearing the values leaves them to the arena. */
static void test_validate_into_arena(void **state)
{
    (void)state;
    const tz_ledger *hh = tz_ledger_find("households");
    const char *hdr[] = {"户编号",   "户主姓名",   "户主身份证号",   "所在村代码",
                         "家庭人口", "贫困户属性", "人均纯收入(元)", "义务教育保障"};
    tz_diags d = TZ_DIAGS_INIT;
    tz_header_map m;
    assert_int_equal(_match_hh(hdr, 8, &m, &d), 0);
    char name[400];
    memset(name, 0, sizeof name);
    for (size_t i = 0; i + 3 < 330; i += 3)
        memcpy(name + i, "张", 3);
    strcat(name, " \t");
    const char *rows[][8] = {
        {"  H1", "张三", "11010519491231002X", "411628101201", "3", "一般贫困户", "4500.50", "是"},
        {"H2  ", " 李四 ", " 11010519491231002X", "411628101201 ", " 4 ", "低保户 ", "3200", "否 "},
        {"H3", name, "11010519491231002X", "411628101201", "5", "一般贫困户", "12.5", "√"},
    };
    for (size_t r = 0; r < 3; r++) {
        tz_value plain[15], lent[15];
        tz_arena a = TZ_ARENA_INIT;
        assert_int_equal(tz_row_validate(hh, &m, rows[r], NULL, 8, "hh.csv", 2, 0, plain, &d), 0);
        assert_int_equal(tz_row_validate_in(hh, &m, rows[r], NULL, 8, "hh.csv", 2, 0, lent, &a, &d),
                         0);
        for (size_t c = 0; c < hh->ncols; c++) {
            assert_int_equal(plain[c].null, lent[c].null);
            assert_int_equal(plain[c].lent, 0);
            assert_int_equal(lent[c].lent, !lent[c].null);
            if (!plain[c].null) {
                assert_string_equal(plain[c].text, lent[c].text);
                assert_int_equal(plain[c].i, lent[c].i);
                assert_true(plain[c].d == lent[c].d);
            }
        }
        tz_values_clear(plain, hh->ncols);
        tz_values_clear(lent, hh->ncols); /* leaves the lent texts */
        assert_null(lent[0].text);
        tz_arena_free(&a);
    }
    tz_header_map_free(&m);
    tz_diags_clear(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_validate_into_arena),
        cmocka_unit_test(test_datafile_read),
        cmocka_unit_test(test_datafile_find),
        cmocka_unit_test(test_header_norm),
        cmocka_unit_test(test_header_synonyms),
        cmocka_unit_test(test_header_match_how),
        cmocka_unit_test(test_synonym_file),
        cmocka_unit_test(test_infile),
        cmocka_unit_test(test_absent_conditions),
        cmocka_unit_test(test_notes),
        cmocka_unit_test(test_resolve),
        cmocka_unit_test(test_aliases),
        cmocka_unit_test(test_alias_file),
        cmocka_unit_test(test_dates_people),
        cmocka_unit_test(test_idcard_number_cell),
        cmocka_unit_test(test_number_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
