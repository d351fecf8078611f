/* test_national.c - ledger/national.c: the national system's person-level
 * export turned into household rows: recognising its header, the 户主 row's
 * name and ID, 家庭人口 from 人数 or the persons listed, the village path,
 * 脱贫年度 from 脱贫属性, persons of a household apart from each other, and
 * the errors (no 户主, two 户主, empty 户编号, 人数 against the persons, an ID
 * stored as a number), each naming file and row. The last test reads the
 * demo county's export made by tests/clerk/national_export.py (python3, run
 * from the repository root as tests/run.sh does) and compares every
 * household with examples/county/households.csv. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "io/reader.h"
#include "ledger/ledger.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NCOLS 16

/* The export's header as the system writes it (after the title row). */
static const char *const _hdr[NCOLS] = {"序号",     "县",           "乡(镇)",     "行政村",
                                        "户编号",   "人编号",       "姓名",       "证件号码",
                                        "人数",     "与户主关系",   "贫困户属性", "主要致贫原因",
                                        "脱贫属性", "识别标准年度", "人均纯收入", "帮扶责任人"};

/* Starts a collection under _hdr; fails the test when refused. */
static tz_national *_begin(void)
{
    tz_national *nx = NULL;
    tz_diags d = TZ_DIAGS_INIT;
    assert_int_equal(tz_national_begin(_hdr, NCOLS, "国家系统.xlsx", &nx, &d), 0);
    assert_int_equal(d.nerrors, 0);
    tz_diags_clear(&d);
    return nx;
}

/* Adds one person: household hh, name, ID, 人数, relation, 脱贫属性. */
static int _person(tz_national *nx, long rowno, const char *hh, const char *name, const char *id,
                   const char *count, const char *rel, const char *exit_attr, tz_diags *d)
{
    const char *cells[NCOLS] = {"1",       "鹿邑县", "真源街道", "秦阁村", hh,       "01",
                                name,      id,       count,      rel,      "低保户", "因病致贫",
                                exit_attr, "2015",   "6491",     "郑新才"};
    return tz_national_add(nx, cells, NULL, NCOLS, rowno, d);
}

/* The households column named name in a made row. */
static const char *_cell(const char *const *row, const char *name)
{
    int c = tz_ledger_col(tz_ledger_find("households"), name);
    assert_true(c >= 0);
    return row[c];
}

/* 1 when some diagnostic on row holds every NULL-terminated part. */
static int _said(const tz_diags *d, long row, const char *const *parts)
{
    for (size_t i = 0; i < d->n; i++) {
        int all = d->items[i].row == row && d->items[i].file &&
                  strcmp(d->items[i].file, "国家系统.xlsx") == 0;
        for (const char *const *p = parts; all && *p; p++)
            all = strstr(d->items[i].reason, *p) != NULL;
        if (all)
            return 1;
    }
    tz_diags_print(d, stderr);
    return 0;
}

static void test_detect(void **state)
{
    (void)state;
    assert_int_equal(tz_national_detect(_hdr, NCOLS), 1);
    /* written with spaces, a line break and full-width brackets */
    static const char *const loose[] = {"户 编号", "姓\n名", "身份证号码", "与户主关系",
                                        "乡（镇）"};
    assert_int_equal(tz_national_detect(loose, 5), 1);
    /* the households ledger's own header is not the export */
    static const char *const own[] = {"户编号", "户主姓名", "户主身份证号", "所在村代码",
                                      "家庭人口"};
    assert_int_equal(tz_national_detect(own, 5), 0);
    assert_int_equal(tz_national_detect(_hdr, 4), 0);
    tz_national *nx = NULL;
    tz_diags d = TZ_DIAGS_INIT;
    assert_int_equal(tz_national_begin(own, 5, "a.xlsx", &nx, &d), -1);
    assert_null(nx);
    assert_int_equal(d.nerrors, 1);
    tz_diags_clear(&d);
}

/* Two households, their persons interleaved and the 户主 not first. */
static void test_households(void **state)
{
    (void)state;
    tz_national *nx = _begin();
    tz_diags d = TZ_DIAGS_INIT;
    assert_int_equal(_person(nx, 3, "4116280000002", "曾小红", "411628197001011234", "3", "配偶",
                             "2018年已脱贫", &d),
                     0);
    assert_int_equal(
        _person(nx, 4, "4116280000001", "梁信", "411628195806242113", "", "户主", "未脱贫", &d), 0);
    assert_int_equal(_person(nx, 5, "4116280000002", "曾峰红", "411628194707145698", "3", "户主",
                             "2018年已脱贫", &d),
                     0);
    const char *blank[NCOLS] = {"", "", "", "", "", "", "", "", "", "", "", "", "", "", "", " "};
    assert_int_equal(tz_national_add(nx, blank, NULL, NCOLS, 6, &d), 0);
    assert_int_equal(_person(nx, 7, "4116280000002", "曾明", "", "", "之子", "2018年已脱贫", &d),
                     0);
    tz_national_stats st;
    assert_int_equal(tz_national_finish(nx, &d, &st), 0);
    assert_int_equal(d.nerrors, 0);
    assert_int_equal(st.persons, 4);
    assert_int_equal(st.members, 2);
    assert_int_equal(st.households, 2);
    assert_int_equal(st.headless, 0);
    assert_int_equal(tz_national_count(nx), 2);
    long rowno = 0;
    const char *const *r = tz_national_row(nx, 0, &rowno);
    assert_int_equal(rowno, 5); /* the 户主's row; households in order of first person */
    assert_string_equal(_cell(r, "户编号"), "4116280000002");
    assert_string_equal(_cell(r, "户主姓名"), "曾峰红");
    assert_string_equal(_cell(r, "户主身份证号"), "411628194707145698");
    assert_string_equal(_cell(r, "所在村代码"), "鹿邑县/真源街道/秦阁村");
    assert_string_equal(_cell(r, "家庭人口"), "3");
    assert_string_equal(_cell(r, "贫困户属性"), "低保户"); /* as written: aliases come later */
    assert_string_equal(_cell(r, "主要致贫原因"), "因病致贫");
    assert_string_equal(_cell(r, "识别年度"), "2015");
    assert_string_equal(_cell(r, "脱贫年度"), "2018");
    assert_string_equal(_cell(r, "人均纯收入(元)"), "6491");
    assert_string_equal(_cell(r, "帮扶责任人"), "郑新才");
    assert_string_equal(_cell(r, "义务教育保障"), ""); /* not carried */
    r = tz_national_row(nx, 1, &rowno);
    assert_int_equal(rowno, 4);
    assert_string_equal(_cell(r, "户主姓名"), "梁信");
    assert_string_equal(_cell(r, "家庭人口"), "1"); /* no 人数: the persons listed */
    assert_string_equal(_cell(r, "脱贫年度"), "");  /* 未脱贫 */
    assert_null(tz_national_row(nx, 2, NULL));
    size_t n = 0;
    const char *const *h = tz_national_header(nx, &n);
    const tz_ledger *l = tz_ledger_find("households");
    assert_int_equal(n, l->ncols);
    assert_string_equal(h[tz_ledger_col(l, "所在村代码")], "所在村代码");
    assert_string_equal(h[tz_ledger_col(l, "家庭人口")], "家庭人口");
    assert_string_equal(h[tz_ledger_col(l, "脱贫年度")], "脱贫年度");
    assert_null(h[tz_ledger_col(l, "义务教育保障")]);
    assert_null(h[tz_ledger_col(l, "饮水安全保障")]);
    tz_diags_clear(&d);
    tz_national_free(nx);
    tz_national_free(NULL);
}

/* A 脱贫年度 column wins over 脱贫属性; a 脱贫属性 without a year is passed on
 * as written for the year check to refuse; 本人 is a 户主. */
static void test_exit_year(void **state)
{
    (void)state;
    static const char *const hdr[] = {"户编号",     "姓名",     "证件号码",
                                      "与户主关系", "脱贫年度", "脱贫属性"};
    tz_national *nx = NULL;
    tz_diags d = TZ_DIAGS_INIT;
    assert_int_equal(tz_national_begin(hdr, 6, "国家系统.xlsx", &nx, &d), 0);
    const char *a[] = {"1", "甲", "411628195806242113", "本人", "2019", "2018年已脱贫"};
    const char *b[] = {"2", "乙", "411628194707145698", "户主", "", "已脱贫"};
    const char *c[] = {"3", "丙", "411628195902283871", "户主", "", "2017年脱贫(返贫)"};
    assert_int_equal(tz_national_add(nx, a, NULL, 6, 3, &d), 0);
    assert_int_equal(tz_national_add(nx, b, NULL, 6, 4, &d), 0);
    assert_int_equal(tz_national_add(nx, c, NULL, 6, 5, &d), 0);
    assert_int_equal(tz_national_finish(nx, &d, NULL), 0);
    assert_int_equal(tz_national_count(nx), 3);
    assert_string_equal(_cell(tz_national_row(nx, 0, NULL), "脱贫年度"), "2019");
    assert_string_equal(_cell(tz_national_row(nx, 1, NULL), "脱贫年度"), "已脱贫");
    assert_string_equal(_cell(tz_national_row(nx, 2, NULL), "脱贫年度"), "");
    /* no village columns: 所在村代码 not carried */
    assert_null(tz_national_header(nx, NULL)[3]);
    assert_string_equal(_cell(tz_national_row(nx, 0, NULL), "所在村代码"), "");
    tz_diags_clear(&d);
    tz_national_free(nx);
}

/* 人数 against the persons listed, and against itself. */
static void test_count_mismatch(void **state)
{
    (void)state;
    tz_national *nx = _begin();
    tz_diags d = TZ_DIAGS_INIT;
    assert_int_equal(_person(nx, 3, "H1", "甲", "411628195806242113", "4", "户主", "", &d), 0);
    assert_int_equal(_person(nx, 4, "H1", "乙", "", "4", "配偶", "", &d), 0);
    assert_int_equal(_person(nx, 5, "H2", "丙", "411628194707145698", "2", "户主", "", &d), 0);
    assert_int_equal(_person(nx, 6, "H2", "丁", "", "3", "之子", "", &d), -1);
    static const char *const apart[] = {"H2", "人数前后不一致", "第5行为2", "第6行为3", NULL};
    assert_true(_said(&d, 6, apart));
    assert_int_equal(tz_national_finish(nx, &d, NULL), -1);
    static const char *const both[] = {"H1", "4", "2人", NULL};
    assert_true(_said(&d, 3, both));
    tz_diags_clear(&d);
    tz_national_free(nx);
}

/* A household without a 户主 row, one with two, a person without 户编号. */
static void test_heads(void **state)
{
    (void)state;
    tz_national *nx = _begin();
    tz_diags d = TZ_DIAGS_INIT;
    assert_int_equal(_person(nx, 3, "H1", "甲", "411628195806242113", "", "配偶", "", &d), 0);
    assert_int_equal(_person(nx, 4, "H1", "乙", "", "", "之女", "", &d), 0);
    assert_int_equal(_person(nx, 5, "H2", "丙", "411628194707145698", "", "户主", "", &d), 0);
    assert_int_equal(_person(nx, 6, "H2", "丁", "411628195902283871", "", "户主", "", &d), -1);
    static const char *const two[] = {"H2", "两个户主", "第5行", "第6行", NULL};
    assert_true(_said(&d, 6, two));
    assert_int_equal(_person(nx, 7, " ", "戊", "", "", "之子", "", &d), -1);
    static const char *const empty[] = {"户编号为空", NULL};
    assert_true(_said(&d, 7, empty));
    tz_national_stats st;
    assert_int_equal(tz_national_finish(nx, &d, &st), -1);
    static const char *const none[] = {"H1", "没有户主行", "2人", NULL};
    assert_true(_said(&d, 3, none));
    assert_int_equal(st.headless, 1);
    assert_int_equal(st.households, 2);
    assert_int_equal(st.persons, 4);
    assert_int_equal(tz_national_count(nx), 1); /* H2 only */
    tz_diags_clear(&d);
    tz_national_free(nx);
}

/* The 户主's 证件号码 in a number cell lost its last digits: the Excel message. */
static void test_id_number_cell(void **state)
{
    (void)state;
    tz_national *nx = _begin();
    tz_diags d = TZ_DIAGS_INIT;
    const char *cells[NCOLS] = {
        "1", "鹿邑县", "真源街道", "秦阁村", "H1", "01", "甲", "411628195806242000",
        "1", "户主",   "",         "",       "",   "",   "",   ""};
    unsigned char kinds[NCOLS] = {0};
    kinds[7] = TZ_CELL_NUMBER;
    assert_int_equal(tz_national_add(nx, cells, kinds, NCOLS, 3, &d), -1);
    static const char *const parts[] = {
        "该列在Excel中是数字格式,身份证号只保留了15位有效数字,后3位已丢失;"
        "请将该列设为文本格式后重新填写",
        NULL};
    assert_true(_said(&d, 3, parts));
    tz_diags_clear(&d);
    tz_national_free(nx);
}

/* Many households, persons listed round-robin: each comes out whole. */
static void test_many(void **state)
{
    (void)state;
    tz_national *nx = _begin();
    tz_diags d = TZ_DIAGS_INIT;
    char hh[32];
    long row = 3;
    for (int m = 0; m < 3; m++)
        for (int i = 0; i < 5000; i++) {
            snprintf(hh, sizeof hh, "41162800%05d", i);
            assert_int_equal(
                _person(nx, row++, hh, m ? "成员" : "户主甲", "", "3", m ? "之子" : "户主", "", &d),
                0);
        }
    tz_national_stats st;
    assert_int_equal(tz_national_finish(nx, &d, &st), 0);
    assert_int_equal(st.households, 5000);
    assert_int_equal(st.members, 10000);
    assert_int_equal(tz_national_count(nx), 5000);
    long rowno;
    const char *const *r = tz_national_row(nx, 4999, &rowno);
    assert_string_equal(_cell(r, "户编号"), "4116280004999");
    assert_string_equal(_cell(r, "家庭人口"), "3");
    assert_int_equal(rowno, 3 + 4999);
    tz_diags_clear(&d);
    tz_national_free(nx);
}

/* Reads every row of path (from its first) into a callback. */
typedef void (*_row_fn)(void *ctx, const tz_row *row);
static void _read_all(const char *path, _row_fn fn, void *ctx)
{
    tz_reader *r = NULL;
    tz_diags d = TZ_DIAGS_INIT;
    if (tz_reader_open(path, &r, &d))
        tz_diags_print(&d, stderr);
    assert_non_null(r);
    const tz_row *row;
    int rc;
    while ((rc = tz_reader_next(r, &row, &d)) == 1)
        fn(ctx, row);
    if (rc < 0)
        tz_diags_print(&d, stderr);
    assert_int_equal(rc, 0);
    tz_diags_clear(&d);
    tz_reader_free(r);
}

/* Feeding the export: row 1 the title, row 2 the header, then persons. */
typedef struct _feed {
    tz_national *nx; /* made at the header */
    tz_diags d;      /* what the collection said */
} _feed;

static void _feed_row(void *ctx, const tz_row *row)
{
    _feed *f = ctx;
    const char *const *cells = (const char *const *)row->cells;
    if (row->rowno == 1) {
        assert_int_equal(tz_national_detect(cells, row->n), 0); /* the title */
    } else if (row->rowno == 2) {
        assert_int_equal(tz_national_detect(cells, row->n), 1);
        assert_int_equal(tz_national_begin(cells, row->n, "国家系统.xlsx", &f->nx, &f->d), 0);
    } else {
        assert_int_equal(tz_national_add(f->nx, cells, row->numeric, row->n, row->rowno, &f->d), 0);
    }
}

/* Comparing with households.csv: row by row, in the same order. */
typedef struct _cmp {
    const tz_national *nx; /* the households made */
    const tz_ledger *l;    /* households */
    size_t next;           /* the next made row to compare */
} _cmp;

static void _cmp_row(void *ctx, const tz_row *row)
{
    _cmp *c = ctx;
    if (row->rowno == 1) {
        assert_int_equal(row->n, c->l->ncols); /* the contract's header */
        return;
    }
    const char *const *made = tz_national_row(c->nx, c->next++, NULL);
    assert_non_null(made);
    for (size_t i = 0; i < c->l->ncols; i++) {
        if (strcmp(c->l->cols[i].name, "所在村代码") == 0)
            continue; /* a path of names, checked below */
        if (strcmp(made[i], row->cells[i]) != 0) {
            fprintf(stderr, "row %ld %s: export “%s”, households.csv “%s”\n", row->rowno,
                    c->l->cols[i].name, made[i], row->cells[i]);
            fail();
        }
    }
    /* 鹿邑县/<township>/<village>: three names, the county's first */
    const char *path = made[tz_ledger_col(c->l, "所在村代码")];
    assert_true(strncmp(path, "鹿邑县/", strlen("鹿邑县/")) == 0);
    assert_non_null(strchr(path + strlen("鹿邑县/"), '/'));
}

/* The demo county's 12 000 households, their persons listed round-robin,
 * come back as households.csv's rows. */
static void test_demo_export(void **state)
{
    (void)state;
    char dir[] = "/tmp/tz-national-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128], cmd[512];
    snprintf(path, sizeof path, "%s/国家系统.xlsx", dir);
    snprintf(cmd, sizeof cmd, "python3 tests/clerk/national_export.py --interleave '%s' >/dev/null",
             path);
    assert_int_equal(system(cmd), 0);
    _feed f = {NULL, TZ_DIAGS_INIT};
    _read_all(path, _feed_row, &f);
    assert_non_null(f.nx);
    tz_national_stats st;
    int rc = tz_national_finish(f.nx, &f.d, &st);
    if (rc)
        tz_diags_print(&f.d, stderr);
    assert_int_equal(rc, 0);
    assert_int_equal(st.households, 12000);
    assert_int_equal(st.headless, 0);
    assert_int_equal(st.persons, st.households + st.members);
    _cmp c = {f.nx, tz_ledger_find("households"), 0};
    _read_all("examples/county/households.csv", _cmp_row, &c);
    assert_int_equal(c.next, 12000);
    tz_diags_clear(&f.d);
    tz_national_free(f.nx);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect),    cmocka_unit_test(test_households),
        cmocka_unit_test(test_exit_year), cmocka_unit_test(test_count_mismatch),
        cmocka_unit_test(test_heads),     cmocka_unit_test(test_id_number_cell),
        cmocka_unit_test(test_many),      cmocka_unit_test(test_demo_export),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
