/* test_rows.c - unit tests of rows one at a time (store/rows.c) and scoped
 * access (store/access.c) on a real database: a page (total, filters, free
 * text, sort, limits), scope by region at village, township and county
 * level and by unit, through links (户户通 by the household's village,
 * 资金到位 by the project, 目标任务 by the unit's region), masking, one-row
 * writes (add, change, stale version, existing key, invalid value,
 * forbidden before and after, 审核 locks), delete with references, and
 * import's row versions, scope and locks. SQLite always; PostgreSQL too
 * when TZ_PG_URI names a test server (in a schema of its own). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char _dir[64];
static char _uri[600]; /* the database of the current group */
/* PostgreSQL: this run's own schema (tz_rows_test_<pid>): test runs of
 * several worktrees share one test database and must not drop each
 * other's tables mid-test */
static char _schema[64];

/* ---- fixture ------------------------------------------------------------- */

/* A valid ID number: 17 digits and the GB 11643 check character. */
static void _idcard(const char *first17, char out[19])
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char chk[] = "10X98765432";
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (first17[i] - '0') * w[i];
    memcpy(out, first17, 17);
    out[17] = chk[sum % 11];
    out[18] = '\0';
}

/* Adds or changes one row through tz_row_put; asserts the status. */
static long long _put(tz_store *s, const char *ledger, const char *const *hv, long long version,
                      const tz_access *a, tz_row_status want)
{
    const tz_ledger *l = tz_ledger_find(ledger);
    assert_non_null(l);
    const char *h[32], *v[32];
    size_t n = 0;
    for (; hv[2 * n]; n++) {
        h[n] = hv[2 * n];
        v[n] = hv[2 * n + 1];
    }
    tz_diags d = TZ_DIAGS_INIT;
    long long nv = -1;
    tz_row_status st = tz_row_put(s, l, h, v, n, version, a, "测试", &nv, NULL, NULL, &d);
    if (st != want)
        tz_diags_print(&d, stdout);
    assert_int_equal(st, want);
    tz_diags_clear(&d);
    return nv;
}

static void _hh(tz_store *s, const char *id, const char *name, const char *id17,
                const char *village, const char *members)
{
    char idno[19];
    _idcard(id17, idno);
    const char *hv[] = {"户编号",     id,           "户主姓名",     name,       "户主身份证号",
                        idno,         "所在村代码", village,        "家庭人口", members,
                        "贫困户属性", "一般贫困户", "主要致贫原因", "因病",     "识别年度",
                        "2016",       NULL};
    assert_int_equal(_put(s, "households", hv, 0, NULL, TZ_ROW_OK), 1);
}

static void _region(tz_store *s, const char *code, const char *name, const char *parent,
                    const char *level)
{
    const char *hv[] = {"区划代码", code,   "名称", name,     "上级区划代码",
                        parent,     "层级", level,  "贫困村", strcmp(level, "村") ? "" : "否",
                        NULL};
    _put(s, "regions", hv, 0, NULL, TZ_ROW_OK);
}

/* The test database: two counties, their townships and villages, four
 * households, three 户户通 rows, two units with a project, its funds and a
 * target each, and one 帮扶投入 dated 2019-06-01 in 宋河镇. */
static void _fill(tz_store *s)
{
    _region(s, "410000000000", "河南省", "", "省");
    _region(s, "411600000000", "周口市", "410000000000", "市");
    _region(s, "411628000000", "鹿邑县", "411600000000", "县");
    _region(s, "411628100000", "宋河镇", "411628000000", "乡");
    _region(s, "411628100200", "甲村", "411628100000", "村");
    _region(s, "411628101000", "试量镇", "411628000000", "乡");
    _region(s, "411628101200", "乙村", "411628101000", "村");
    _region(s, "411625000000", "郸城县", "411600000000", "县");
    _region(s, "411625100000", "丙镇", "411625000000", "乡");
    _region(s, "411625100200", "丙村", "411625100000", "村");
    const char *u1[] = {"单位名称",     "县文化局",     "单位类型", "县直单位",
                        "所属区划代码", "411628000000", NULL};
    const char *u2[] = {"单位名称",     "郸城招商局",   "单位类型", "县直单位",
                        "所属区划代码", "411625000000", NULL};
    _put(s, "units", u1, 0, NULL, TZ_ROW_OK);
    _put(s, "units", u2, 0, NULL, TZ_ROW_OK);
    _hh(s, "H1", "张一", "41162819800101001", "411628100200", "3");
    _hh(s, "H2", "李二", "41162819810202002", "411628100200", "5");
    _hh(s, "H3", "王三", "41162819820303003", "411628101200", "2");
    _hh(s, "H4", "赵四", "41162519830404004", "411625100200", "4");
    const char *hh[] = {"H1", "H3", "H4"};
    for (int i = 0; i < 3; i++) {
        const char *tv[] = {"户编号", hh[i], "安装日期", "2018-05-01", "状态", "正常", NULL};
        _put(s, "tv_installs", tv, 0, NULL, TZ_ROW_OK);
    }
    const char *pj[][4] = {{"P1", "411628000000", "县文化局", "P1项目"},
                           {"P2", "411625000000", "郸城招商局", "P2项目"}};
    for (int i = 0; i < 2; i++) {
        const char *p[] = {"项目编号",     pj[i][0],   "项目名称", pj[i][3],   "所在县区代码",
                           pj[i][1],       "责任单位", pj[i][2],   "工业项目", "是",
                           "总投资(亿元)", "1",        "项目类型", "新建",     "外资项目",
                           "否",           "阶段",     "在谈",     NULL};
        _put(s, "projects", p, 0, NULL, TZ_ROW_OK);
        const char *f[] = {"项目编号",           pj[i][0], "月份", "2019-01",
                           "省外资金到位(万元)", "10",     NULL};
        _put(s, "project_funds", f, 0, NULL, TZ_ROW_OK);
        const char *t[] = {"责任单位",       pj[i][2], "年度", "2019", "指标",
                           "户户通安装户数", "目标值", "10",   NULL};
        _put(s, "targets", t, 0, NULL, TZ_ROW_OK);
    }
    const char *ai[] = {"投入编号", "I1",           "日期", "2019-06-01", "帮扶单位",   "县文化局",
                        "村代码",   "411628100200", "类别", "办公设备",   "金额(万元)", "1",
                        NULL};
    _put(s, "aid_inputs", ai, 0, NULL, TZ_ROW_OK);
}

/* Opens a new database for this group and fills it. */
static tz_store *_db(void)
{
    tz_diags d = TZ_DIAGS_INIT;
    tz_store *s = NULL;
    if (tz_store_is_file(_uri))
        unlink(_uri);
    else {
        /* a schema of its own, new each time */
        const char *base = getenv("TZ_PG_URI");
        assert_int_equal(tz_store_open(base, TZ_OPEN_CREATE, &s, &d), 0);
        char sql[200];
        snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", _schema,
                 _schema);
        assert_int_equal(tz_store_exec(s, sql), 0);
        tz_store_close(s);
        s = NULL;
    }
    int rc = tz_store_open(_uri, TZ_OPEN_CREATE, &s, &d);
    if (rc)
        tz_diags_print(&d, stdout);
    assert_int_equal(rc, 0);
    tz_diags_clear(&d);
    _fill(s);
    return s;
}

static tz_access _region_scope(const char *code, int digits)
{
    tz_access a;
    memset(&a, 0, sizeof a);
    snprintf(a.region, sizeof a.region, "%s", code);
    a.digits = digits;
    return a;
}

static tz_access _unit_scope(const char *unit)
{
    tz_access a;
    memset(&a, 0, sizeof a);
    snprintf(a.unit, sizeof a.unit, "%s", unit);
    return a;
}

/* What a page or a get handed back. */
typedef struct seen {
    int n;                 /* rows */
    char first[8][64];     /* the first 8 cells of the first row */
    char keys[16][64];     /* cell 0 of each of the first 16 rows */
    char cell[16][64];     /* cell `col` of each of the first 16 rows */
    int col;               /* which cell goes to cell[] */
    long long version[16]; /* versions */
} seen;

static int _see(void *ctx, const char *const *cells, size_t n, long long version)
{
    seen *v = ctx;
    if (v->n == 0)
        for (size_t i = 0; i < n && i < 8; i++)
            snprintf(v->first[i], sizeof v->first[i], "%s", cells[i]);
    if (v->n < 16) {
        snprintf(v->keys[v->n], sizeof v->keys[0], "%s", cells[0]);
        snprintf(v->cell[v->n], sizeof v->cell[0], "%s", (size_t)v->col < n ? cells[v->col] : "");
        v->version[v->n] = version;
    }
    v->n++;
    return 0;
}

/* A page of ledger with the query; asserts the return; *total too. */
static seen _page(tz_store *s, const char *ledger, tz_rows_query *q, int want_rc, long long *total,
                  const char *diag_col)
{
    seen v;
    memset(&v, 0, sizeof v);
    tz_diags d = TZ_DIAGS_INIT;
    long long t = -1;
    int rc = tz_rows_page(s, tz_ledger_find(ledger), q, &t, _see, &v, &d);
    if (rc != want_rc)
        tz_diags_print(&d, stdout);
    assert_int_equal(rc, want_rc);
    if (diag_col) {
        assert_true(d.n >= 1);
        assert_string_equal(d.items[0].column, diag_col);
    }
    if (total)
        *total = t;
    tz_diags_clear(&d);
    return v;
}

/* Rows of ledger inside access a (reading). */
static long long _count(tz_store *s, const char *ledger, const tz_access *a)
{
    tz_rows_query q = {.access = a};
    long long total = -1;
    _page(s, ledger, &q, 0, &total, NULL);
    return total;
}

/* ---- tests ----------------------------------------------------------------- */

static void test_page(void **state)
{
    (void)state;
    tz_store *s = _db();
    long long total;
    tz_rows_query q = {.limit = 2};
    seen v = _page(s, "households", &q, 0, &total, NULL);
    assert_int_equal(total, 4);
    assert_int_equal(v.n, 2);
    assert_string_equal(v.keys[0], "H1");
    assert_string_equal(v.keys[1], "H2");
    assert_int_equal(v.version[0], 1);
    q.offset = 3;
    v = _page(s, "households", &q, 0, &total, NULL);
    assert_int_equal(v.n, 1);
    assert_string_equal(v.keys[0], "H4");
    /* the limit: 0 is the default, 1..1000 */
    tz_rows_query q0 = {0};
    assert_int_equal(_page(s, "households", &q0, 0, &total, NULL).n, 4);
    tz_rows_query big = {.limit = 1001};
    _page(s, "households", &big, 1, NULL, "limit");
    tz_rows_query neg = {.limit = -1};
    _page(s, "households", &neg, 1, NULL, "limit");
    tz_rows_query off = {.offset = -1};
    _page(s, "households", &off, 1, NULL, "offset");
    /* sort by a column, descending; the key breaks ties */
    tz_rows_query so = {.sort = "-家庭人口"};
    so.limit = 10;
    v = _page(s, "households", &so, 0, &total, NULL);
    assert_string_equal(v.keys[0], "H2"); /* 5 */
    assert_string_equal(v.keys[1], "H4"); /* 4 */
    assert_string_equal(v.keys[3], "H3"); /* 2 */
    tz_rows_query so2 = {.sort = "members"};
    assert_string_equal(_page(s, "households", &so2, 0, NULL, NULL).keys[0], "H3");
    tz_rows_query bad = {.sort = "人口"};
    _page(s, "households", &bad, 1, NULL, "sort");
    /* filters as tz_ledger_select takes them: canonicalised (a 9-digit code is padded) */
    tz_filter f[] = {{"所在村代码", "411628100200"}};
    tz_rows_query fq = {.f = f, .nf = 1};
    assert_int_equal(_page(s, "households", &fq, 0, &total, NULL).n, 2);
    assert_int_equal(total, 2);
    tz_filter f2[] = {{"身高", "1"}};
    tz_rows_query fq2 = {.f = f2, .nf = 1};
    _page(s, "households", &fq2, 1, NULL, "where");
    tz_filter f3[] = {{"家庭人口", "很多"}};
    tz_rows_query fq3 = {.f = f3, .nf = 1};
    _page(s, "households", &fq3, 1, NULL, "家庭人口");
    /* free text: any text column contains it; LIKE's wildcards are plain characters */
    tz_rows_query qq = {.q = "李"};
    v = _page(s, "households", &qq, 0, &total, NULL);
    assert_int_equal(total, 1);
    assert_string_equal(v.keys[0], "H2");
    tz_rows_query qw = {.q = "%"};
    assert_int_equal(_page(s, "households", &qw, 0, &total, NULL).n, 0);
    tz_rows_query qu = {.q = "H_"};
    assert_int_equal(_page(s, "households", &qu, 0, &total, NULL).n, 0);
    tz_store_close(s);
}

/* Rows by their text keys (the rows behind a figure): single and multi-column
 * keys, an integer key column, unknown keys left out, no more keys than a page. */
static void test_page_keys(void **state)
{
    (void)state;
    tz_store *s = _db();
    long long total;
    const char *hk[] = {"H3", "H1", "H9"};
    tz_rows_query q = {.keys = hk, .nkeys = 3};
    seen v = _page(s, "households", &q, 0, &total, NULL);
    assert_int_equal(total, 2);
    assert_string_equal(v.keys[0], "H1");
    assert_string_equal(v.keys[1], "H3");
    const char *fk[] = {"P1/2019-01", "P1/2019-02"};
    tz_rows_query fq = {.keys = fk, .nkeys = 2};
    v = _page(s, "project_funds", &fq, 0, &total, NULL);
    assert_int_equal(total, 1);
    assert_string_equal(v.first[2], "10");
    const char *tk[] = {"郸城招商局/2019/户户通安装户数"};
    tz_rows_query tq = {.keys = tk, .nkeys = 1};
    assert_int_equal(_page(s, "targets", &tq, 0, &total, NULL).n, 1);
    /* limit and offset page the rows of the keys */
    tz_rows_query paged = {.keys = hk, .nkeys = 3, .limit = 1, .offset = 1};
    v = _page(s, "households", &paged, 0, &total, NULL);
    assert_int_equal(total, 2);
    assert_int_equal(v.n, 1);
    assert_string_equal(v.keys[0], "H3");
    static const char *lots[1001];
    for (size_t i = 0; i < 1001; i++)
        lots[i] = "H1";
    tz_rows_query many = {.keys = lots, .nkeys = 1001};
    _page(s, "households", &many, 1, NULL, "key");
    tz_store_close(s);
}

static void test_scope_region(void **state)
{
    (void)state;
    tz_store *s = _db();
    tz_access village = _region_scope("411628100200", 12);
    tz_access town = _region_scope("411628100000", 9);
    tz_access county = _region_scope("411628000000", 6);
    tz_access other = _region_scope("411625000000", 6);
    tz_access city = _region_scope("411600000000", 4);
    assert_int_equal(_count(s, "households", NULL), 4);
    assert_int_equal(_count(s, "households", &village), 2);
    assert_int_equal(_count(s, "households", &town), 2);
    assert_int_equal(_count(s, "households", &county), 3);
    assert_int_equal(_count(s, "households", &other), 1);
    assert_int_equal(_count(s, "households", &city), 4);
    /* 户户通 by its household's village */
    assert_int_equal(_count(s, "tv_installs", &town), 1);
    assert_int_equal(_count(s, "tv_installs", &county), 2);
    assert_int_equal(_count(s, "tv_installs", &other), 1);
    /* 资金到位 by its project's county; 目标任务 by its unit's region */
    assert_int_equal(_count(s, "project_funds", &county), 1);
    assert_int_equal(_count(s, "project_funds", &town), 0);
    assert_int_equal(_count(s, "targets", &other), 1);
    tz_rows_query q = {.access = &other};
    seen v = _page(s, "targets", &q, 0, NULL, NULL);
    assert_string_equal(v.keys[0], "郸城招商局");
    /* reference data every account reads */
    assert_int_equal(_count(s, "regions", &town), 10);
    /* a filter outside the scope finds nothing, never rows outside it */
    tz_filter f[] = {{"所在村代码", "411625100200"}};
    tz_rows_query fq = {.f = f, .nf = 1, .access = &town};
    long long total = -1;
    assert_int_equal(_page(s, "households", &fq, 0, &total, NULL).n, 0);
    assert_int_equal(total, 0);
    /* the condition is a code range an index answers */
    tz_buf b = TZ_BUF_INIT;
    assert_int_equal(tz_access_sql(tz_ledger_find("households"), &county, "t", 1, &b), 0);
    assert_non_null(strstr(tz_buf_str(&b), "t.village >= '411628000000' AND "
                                           "t.village <= '411628999999'"));
    tz_buf_free(&b);
    /* a malformed scope holds nothing */
    tz_access broken = _region_scope("4116x8000000", 6);
    assert_int_equal(_count(s, "households", &broken), 0);
    tz_store_close(s);
}

static void test_scope_unit(void **state)
{
    (void)state;
    tz_store *s = _db();
    tz_access u = _unit_scope("县文化局");
    assert_int_equal(_count(s, "projects", &u), 1);
    assert_int_equal(_count(s, "project_funds", &u), 1);
    assert_int_equal(_count(s, "targets", &u), 1);
    assert_int_equal(_count(s, "aid_inputs", &u), 1);
    assert_int_equal(_count(s, "households", &u), 0); /* no unit in a household */
    assert_int_equal(_count(s, "regions", &u), 10);   /* shared reference data */
    /* a quote in a unit's name stays inside the literal */
    tz_access q = _unit_scope("x' OR '1' = '1");
    assert_int_equal(_count(s, "projects", &q), 0);
    tz_buf b = TZ_BUF_INIT;
    assert_int_equal(tz_access_sql(tz_ledger_find("projects"), &q, "t", 1, &b), 0);
    assert_string_equal(tz_buf_str(&b), "(t.unit = 'x'' OR ''1'' = ''1')");
    tz_buf_reset(&b);
    /* writing a ledger without a unit link: nothing */
    assert_int_equal(tz_access_sql(tz_ledger_find("regions"), &u, "t", 0, &b), 0);
    assert_string_equal(tz_buf_str(&b), "1 = 0");
    tz_buf_free(&b);
    tz_store_close(s);
}

static void test_masking(void **state)
{
    (void)state;
    tz_store *s = _db();
    char id[19];
    _idcard("41162819800101001", id);
    tz_rows_query q = {.limit = 1};
    seen v = _page(s, "households", &q, 0, NULL, NULL);
    char masked[19];
    tz_idcard_mask(id, masked, sizeof masked);
    assert_string_equal(v.first[2], masked);
    assert_non_null(strstr(v.first[2], "********"));
    q.unmask = 1;
    v = _page(s, "households", &q, 0, NULL, NULL);
    assert_string_equal(v.first[2], id);
    /* masked ID numbers cannot be found by their hidden digits */
    tz_rows_query qq = {.q = "19800101"};
    assert_int_equal(_page(s, "households", &qq, 0, NULL, NULL).n, 0);
    qq.unmask = 1;
    assert_int_equal(_page(s, "households", &qq, 0, NULL, NULL).n, 1);
    /* nor by a filter or the order of the hidden numbers */
    tz_filter f[] = {{"户主身份证号", id}};
    tz_rows_query fq = {.f = f, .nf = 1};
    _page(s, "households", &fq, 1, NULL, "where");
    fq.unmask = 1;
    assert_int_equal(_page(s, "households", &fq, 0, NULL, NULL).n, 1);
    tz_rows_query sq = {.sort = "户主身份证号"};
    _page(s, "households", &sq, 1, NULL, "sort");
    sq.unmask = 1;
    assert_int_equal(_page(s, "households", &sq, 0, NULL, NULL).n, 4);
    /* one row by its key: masked too */
    v = (seen){0};
    tz_diags d = TZ_DIAGS_INIT;
    assert_int_equal(tz_row_get(s, tz_ledger_find("households"), "H1", NULL, 0, _see, &v, &d),
                     TZ_ROW_OK);
    assert_string_equal(v.first[2], masked);
    tz_diags_clear(&d);
    tz_store_close(s);
}

/* The audit history of a ledger's row (tz_audit_history: its entries and
 * the 新增 its import record stands for), oldest first, joined by '\n'. */
static void _audit(tz_store *s, const char *ledger, const char *key, char *out, size_t sz)
{
    tz_stmt *st = NULL;
    out[0] = '\0';
    assert_int_equal(tz_store_prepare(s,
                                      "SELECT action, detail FROM tz_audit_history WHERE ledger = "
                                      "? AND row_key = ? ORDER BY id",
                                      &st),
                     0);
    tz_stmt_bind_text(st, 1, ledger);
    tz_stmt_bind_text(st, 2, key);
    size_t n = 0;
    while (tz_stmt_step(st) == 1)
        n += (size_t)snprintf(out + n, sz > n ? sz - n : 0, "%s %s\n", tz_stmt_text(st, 0),
                              tz_stmt_text(st, 1) ? tz_stmt_text(st, 1) : "");
    tz_stmt_free(st);
}

static void test_put(void **state)
{
    (void)state;
    tz_store *s = _db();
    const tz_ledger *l = tz_ledger_find("households");
    /* change: the row read at version 1 becomes version 2 */
    const char *ch[] = {"户编号", "H1", "家庭人口", "6", NULL};
    assert_int_equal(_put(s, "households", ch, 1, NULL, TZ_ROW_OK), 2);
    char log[2048];
    _audit(s, "households", "H1", log, sizeof log);
    assert_non_null(strstr(log, "修改 家庭人口: 3 → 6"));
    /* the same change again at version 1: stale; the current row comes back */
    const char *h[] = {"户编号", "家庭人口"};
    const char *v7[] = {"H1", "7"};
    seen cur;
    memset(&cur, 0, sizeof cur);
    cur.col = 4;
    tz_diags d = TZ_DIAGS_INIT;
    long long nv = -1;
    assert_int_equal(tz_row_put(s, l, h, v7, 2, 1, NULL, "测试", &nv, _see, &cur, &d),
                     TZ_ROW_CONFLICT);
    assert_int_equal(cur.n, 1);
    assert_int_equal(cur.version[0], 2);
    assert_string_equal(cur.cell[0], "6");
    /* a new row (version 0) whose key exists: conflict, current row given */
    memset(&cur, 0, sizeof cur);
    assert_int_equal(tz_row_put(s, l, h, v7, 2, 0, NULL, "测试", &nv, _see, &cur, &d),
                     TZ_ROW_CONFLICT);
    assert_int_equal(cur.n, 1);
    /* a change of a key that is not there */
    const char *vx[] = {"H9", "7"};
    assert_int_equal(tz_row_put(s, l, h, vx, 2, 3, NULL, "测试", &nv, NULL, NULL, &d),
                     TZ_ROW_NOT_FOUND);
    tz_diags_clear(&d);
    /* the same values again: unchanged, version kept, nothing logged */
    const char *same[] = {"户编号", "H1", "家庭人口", "6", NULL};
    assert_int_equal(_put(s, "households", same, 2, NULL, TZ_ROW_OK), 2);
    char log2[2048];
    _audit(s, "households", "H1", log2, sizeof log2);
    assert_string_equal(log, log2);
    /* an invalid value: the diag names the column; nothing changes */
    const char *bad[] = {"户编号", "H1", "家庭人口", "很多"};
    assert_int_equal(tz_row_put(s, l, (const char *const[]){bad[0], bad[2]},
                                (const char *const[]){bad[1], bad[3]}, 2, 2, NULL, "测试", &nv,
                                NULL, NULL, &d),
                     TZ_ROW_INVALID);
    assert_true(d.n >= 1);
    assert_string_equal(d.items[0].column, "家庭人口");
    tz_diags_clear(&d);
    /* references as import checks them: a village that does not exist */
    const char *ref[] = {"户编号", "H1", "所在村代码", "411628100299", NULL};
    _put(s, "households", ref, 2, NULL, TZ_ROW_INVALID);
    /* the same person twice: uniqueness across the database */
    char id2[19];
    _idcard("41162819810202002", id2);
    const char *dup[] = {"户编号", "H1", "户主身份证号", id2, NULL};
    _put(s, "households", dup, 2, NULL, TZ_ROW_INVALID);
    /* an unknown header */
    const char *unk[] = {"户编号", "H1", "身高", "1", NULL};
    _put(s, "households", unk, 2, NULL, TZ_ROW_INVALID);
    /* a new row with its columns; the required ones missing */
    const char *part[] = {"户编号", "H5", "户主姓名", "钱五", NULL};
    _put(s, "households", part, 0, NULL, TZ_ROW_INVALID);
    seen v;
    memset(&v, 0, sizeof v);
    assert_int_equal(tz_row_get(s, l, "H1", NULL, 1, _see, &v, &d), TZ_ROW_OK);
    assert_string_equal(v.first[4], "6");
    assert_int_equal(v.version[0], 2);
    assert_int_equal(tz_row_get(s, l, "H5", NULL, 1, _see, &v, &d), TZ_ROW_NOT_FOUND);
    tz_diags_clear(&d);
    tz_store_close(s);
}

static void test_put_forbidden(void **state)
{
    (void)state;
    tz_store *s = _db();
    tz_access town = _region_scope("411628100000", 9);
    char id[19];
    _idcard("41162819900505005", id);
    /* a new row outside: after */
    const char *out[] = {"户编号",     "H5",         "户主姓名",     "钱五",     "户主身份证号",
                         id,           "所在村代码", "411625100200", "家庭人口", "1",
                         "贫困户属性", "一般贫困户", "主要致贫原因", "因病",     "识别年度",
                         "2016",       NULL};
    _put(s, "households", out, 0, &town, TZ_ROW_FORBIDDEN);
    /* the same row inside: fine */
    const char *in[] = {"户编号",     "H5",         "户主姓名",     "钱五",     "户主身份证号",
                        id,           "所在村代码", "411628100200", "家庭人口", "1",
                        "贫困户属性", "一般贫困户", "主要致贫原因", "因病",     "识别年度",
                        "2016",       NULL};
    assert_int_equal(_put(s, "households", in, 0, &town, TZ_ROW_OK), 1);
    /* moving a row out of the scope: after */
    const char *move_out[] = {"户编号", "H1", "所在村代码", "411628101200", NULL};
    _put(s, "households", move_out, 1, &town, TZ_ROW_FORBIDDEN);
    /* taking a row in from outside: before (and its stored row is not shown) */
    const char *take[] = {"户编号", "H4", "所在村代码", "411628100200", NULL};
    const char *hh[] = {"户编号", "所在村代码"};
    const char *vv[] = {"H4", "411628100200"};
    seen cur;
    memset(&cur, 0, sizeof cur);
    tz_diags d = TZ_DIAGS_INIT;
    long long nv;
    assert_int_equal(tz_row_put(s, tz_ledger_find("households"), hh, vv, 2, 0, &town, "测试", &nv,
                                _see, &cur, &d),
                     TZ_ROW_FORBIDDEN);
    assert_int_equal(cur.n, 0);
    assert_non_null(strstr(d.items[0].reason, "不在当前账户的范围(鹿邑县宋河镇)内"));
    tz_diags_clear(&d);
    _put(s, "households", take, 1, &town, TZ_ROW_FORBIDDEN);
    /* through a link: a 户户通 row of a household outside */
    const char *tv[] = {"户编号", "H4", "安装日期", "2019-01-01", "状态", "故障", NULL};
    _put(s, "tv_installs", tv, 1, &town, TZ_ROW_FORBIDDEN);
    /* a unit scope writes its projects only */
    tz_access u = _unit_scope("县文化局");
    const char *pj[] = {"项目编号", "P2", "阶段", "签约", "签约日期", "2019-03-01", NULL};
    _put(s, "projects", pj, 1, &u, TZ_ROW_FORBIDDEN);
    const char *pj1[] = {"项目编号", "P1", "阶段", "签约", "签约日期", "2019-03-01", NULL};
    assert_int_equal(_put(s, "projects", pj1, 1, &u, TZ_ROW_OK), 2);
    /* nothing outside changed */
    seen v;
    memset(&v, 0, sizeof v);
    assert_int_equal(tz_row_get(s, tz_ledger_find("households"), "H1", NULL, 1, _see, &v, &d),
                     TZ_ROW_OK);
    assert_string_equal(v.first[3], "411628100200");
    assert_int_equal(v.version[0], 1);
    /* and a get outside the scope finds nothing */
    assert_int_equal(tz_row_get(s, tz_ledger_find("households"), "H4", &town, 1, _see, &v, &d),
                     TZ_ROW_NOT_FOUND);
    tz_diags_clear(&d);
    tz_store_close(s);
}

static void test_get_multikey(void **state)
{
    (void)state;
    tz_store *s = _db();
    tz_diags d = TZ_DIAGS_INIT;
    seen v;
    memset(&v, 0, sizeof v);
    assert_int_equal(
        tz_row_get(s, tz_ledger_find("project_funds"), "P1/2019-01", NULL, 1, _see, &v, &d),
        TZ_ROW_OK);
    assert_string_equal(v.first[2], "10");
    memset(&v, 0, sizeof v);
    assert_int_equal(tz_row_get(s, tz_ledger_find("targets"), "郸城招商局/2019/户户通安装户数",
                                NULL, 1, _see, &v, &d),
                     TZ_ROW_OK);
    assert_string_equal(v.first[0], "郸城招商局");
    assert_int_equal(
        tz_row_get(s, tz_ledger_find("project_funds"), "P1/2019-02", NULL, 1, _see, &v, &d),
        TZ_ROW_NOT_FOUND);
    assert_int_equal(tz_row_get(s, tz_ledger_find("project_funds"), "P1", NULL, 1, _see, &v, &d),
                     TZ_ROW_NOT_FOUND);
    tz_diags_clear(&d);
    tz_store_close(s);
}

static void test_delete(void **state)
{
    (void)state;
    tz_store *s = _db();
    const tz_ledger *hh = tz_ledger_find("households");
    tz_diags d = TZ_DIAGS_INIT;
    /* H1 has a 户户通 row: refused, naming the ledger and the count */
    assert_int_equal(tz_row_delete(s, hh, "H1", 0, NULL, "测试", &d), TZ_ROW_INVALID);
    assert_non_null(strstr(d.items[0].reason, "被户户通安装台账的1行"));
    tz_diags_clear(&d);
    /* a region with villages under it */
    assert_int_equal(
        tz_row_delete(s, tz_ledger_find("regions"), "411628100000", 0, NULL, "测试", &d),
        TZ_ROW_INVALID);
    tz_diags_clear(&d);
    /* a stale version, then out of scope, then done */
    tz_access other = _region_scope("411625000000", 6);
    assert_int_equal(tz_row_delete(s, hh, "H2", 5, NULL, "测试", &d), TZ_ROW_CONFLICT);
    assert_int_equal(tz_row_delete(s, hh, "H2", 1, &other, "测试", &d), TZ_ROW_FORBIDDEN);
    assert_int_equal(tz_row_delete(s, hh, "H9", 0, NULL, "测试", &d), TZ_ROW_NOT_FOUND);
    assert_int_equal(_count(s, "households", NULL), 4);
    assert_int_equal(tz_row_delete(s, hh, "H2", 1, NULL, "测试", &d), TZ_ROW_OK);
    assert_int_equal(_count(s, "households", NULL), 3);
    char log[2048];
    _audit(s, "households", "H2", log, sizeof log);
    assert_non_null(strstr(log, "删除 户编号: H2"));
    assert_null(strstr(log, "19810202")); /* the ID only in its audit form */
    /* the 户户通 row first, then its household */
    assert_int_equal(tz_row_delete(s, tz_ledger_find("tv_installs"), "H1", 0, NULL, "测试", &d),
                     TZ_ROW_OK);
    assert_int_equal(tz_row_delete(s, hh, "H1", 0, NULL, "测试", &d), TZ_ROW_OK);
    tz_diags_clear(&d);
    tz_store_close(s);
}

/* Writes text to DIR/name and returns the path (static). */
static const char *_file(const char *name, const char *text)
{
    static char path[160];
    snprintf(path, sizeof path, "%s/%s", _dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static const char _hh_header[] = "户编号,户主姓名,户主身份证号,所在村代码,家庭人口,贫困户属性,"
                                 "主要致贫原因,识别年度,脱贫年度,人均纯收入(元),义务教育保障,"
                                 "基本医疗保障,住房安全保障,饮水安全保障,帮扶责任人\n";

/* A household line of the import file. */
static void _hh_line(char *out, size_t sz, const char *id, const char *name, const char *id17,
                     const char *village, const char *members)
{
    char idno[19];
    _idcard(id17, idno);
    snprintf(out, sz, "%s,%s,%s,%s,%s,一般贫困户,因病,2016,,,,,,,\n", id, name, idno, village,
             members);
}

/* Imports text as households file name (actor 测试), which must be
 * accepted; r gets the result (freed). */
static void _import_ok(tz_store *s, const char *name, const char *text, tz_import_result *r)
{
    tz_diags d = TZ_DIAGS_INIT;
    tz_import_opts o = {.actor = "测试"};
    int rc = tz_import_file(s, tz_ledger_find("households"), _file(name, text), &o, r, &d);
    if (rc)
        tz_diags_print(&d, stdout);
    assert_int_equal(rc, 0);
    tz_import_result_free(r);
    tz_diags_clear(&d);
}

/* A file of many batches whose errors come from both threads (a value
 * the validator refuses, a key the file repeats): the messages come out
 * in file order, counted past the cap, and nothing is written. */
static void test_import_messages_in_order(void **state)
{
    (void)state;
    tz_store *s = _db();
    enum { ROWS = 1500 };
    tz_buf text = TZ_BUF_INIT;
    tz_buf_puts(&text, _hh_header);
    size_t want = 0;
    for (int k = 0; k < ROWS; k++) {
        char id[16], id17[64], line[256];
        int bad = k % 37 == 3, dup = k % 41 == 5;
        snprintf(id, sizeof id, "T%d", dup ? 0 : k);
        snprintf(id17, sizeof id17, "41162819%02d%02d%02d%03d", 70 + k / 4000 % 30, 1 + k % 12,
                 1 + k / 12 % 28, k / 336);
        _hh_line(line, sizeof line, id, "测试", id17, "411628100200", bad ? "0" : "2");
        tz_buf_puts(&text, line);
        want += bad || dup;
    }
    tz_diags d = TZ_DIAGS_INIT;
    tz_import_result r;
    tz_import_opts o = {.actor = "测试"};
    assert_int_equal(tz_import_file(s, tz_ledger_find("households"),
                                    _file("many.csv", tz_buf_str(&text)), &o, &r, &d),
                     1);
    tz_import_result_free(&r);
    tz_buf_free(&text);
    assert_int_equal(d.nerrors, want);
    assert_int_equal(d.n, want); /* under the cap: every one kept */
    long last = 0;
    for (size_t i = 0; i < d.n; i++) {
        const tz_diag *g = &d.items[i];
        assert_true(g->row >= last);
        last = g->row;
        int k = (int)g->row - 2; /* the header is row 1 */
        if (k % 37 == 3)
            assert_non_null(strstr(g->reason, "不能小于1"));
        else
            assert_non_null(strstr(g->reason, "与第2行重复"));
    }
    assert_true(last > 256 * 4); /* past a round of the reader's batches */
    tz_diags_clear(&d);
    long long n = -1;
    assert_int_equal(
        tz_store_scalar_int(s, "SELECT count(*) FROM households WHERE hh_id LIKE 'T%'", NULL, &n),
        0);
    assert_int_equal(n, 0);
    tz_store_close(s);
}

/* One map holds the keys stored and those the file has had: a stored key
 * is an update the first time and a repeat the second; a new one likewise. */
static void test_import_keys_seen_and_stored(void **state)
{
    (void)state;
    tz_store *s = _db();
    char a[256], b[256], text[2048];
    _hh_line(a, sizeof a, "H1", "张一", "41162819800101001", "411628100200", "6"); /* stored */
    _hh_line(b, sizeof b, "H9", "钱九", "41162819890909009", "411628100200", "2"); /* new */
    for (int twice = 0; twice < 2; twice++) {
        snprintf(text, sizeof text, "%s%s%s%s%s", _hh_header, a, b, twice ? a : "", twice ? b : "");
        tz_diags d = TZ_DIAGS_INIT;
        tz_import_result r;
        tz_import_opts o = {.actor = "测试", .dry_run = 1};
        int rc =
            tz_import_file(s, tz_ledger_find("households"), _file("keys.csv", text), &o, &r, &d);
        tz_import_result_free(&r);
        if (!twice) {
            assert_int_equal(rc, 0);
            assert_int_equal(r.updated, 1);
            assert_int_equal(r.inserted, 1);
        } else {
            assert_int_equal(rc, 1);
            assert_int_equal(d.nerrors, 2);
            assert_int_equal(d.items[0].row, 4);
            assert_non_null(strstr(d.items[0].reason, "与第2行重复"));
            assert_int_equal(d.items[1].row, 5);
            assert_non_null(strstr(d.items[1].reason, "与第3行重复"));
        }
        tz_diags_clear(&d);
    }
    tz_store_close(s);
}

static void test_import_versions_scope(void **state)
{
    (void)state;
    tz_store *s = _db();
    const tz_ledger *l = tz_ledger_find("households");
    char a[256], b[256], c[256], text[1024];
    _hh_line(a, sizeof a, "H1", "张一", "41162819800101001", "411628100200", "3"); /* same */
    _hh_line(b, sizeof b, "H2", "李二", "41162819810202002", "411628100200", "8"); /* changed */
    _hh_line(c, sizeof c, "H4", "赵四", "41162519830404004", "411625100200", "4"); /* same */
    snprintf(text, sizeof text, "%s%s%s%s", _hh_header, a, b, c);
    const char *path = _file("hh.csv", text);
    tz_diags d = TZ_DIAGS_INIT;
    tz_import_result r;
    tz_import_opts o = {.actor = "测试"};
    assert_int_equal(tz_import_file(s, l, path, &o, &r, &d), 0);
    tz_import_result_free(&r);
    assert_int_equal(r.updated, 1);
    tz_rows_query q = {0};
    seen v = _page(s, "households", &q, 0, NULL, NULL);
    assert_int_equal(v.version[0], 1); /* H1 unchanged */
    assert_int_equal(v.version[1], 2); /* H2 updated */
    assert_int_equal(v.version[3], 1); /* H4 unchanged */
    /* with a township's scope the file's 郸城 row refuses the whole file */
    tz_access town = _region_scope("411628100000", 9);
    _hh_line(b, sizeof b, "H2", "李二", "41162819810202002", "411628100200", "9");
    snprintf(text, sizeof text, "%s%s%s%s", _hh_header, a, b, c);
    path = _file("hh2.csv", text);
    o.access = &town;
    assert_int_equal(tz_import_file(s, l, path, &o, &r, &d), 1);
    tz_import_result_free(&r);
    int found = 0;
    for (size_t i = 0; i < d.n; i++)
        if (d.items[i].row == 4 && d.items[i].column && !strcmp(d.items[i].column, "所在村代码") &&
            strstr(d.items[i].reason, "不在当前账户的范围(鹿邑县宋河镇)内"))
            found = 1;
    assert_true(found);
    tz_diags_clear(&d);
    v = _page(s, "households", &q, 0, NULL, NULL);
    assert_int_equal(v.version[1], 2); /* nothing written */
    /* without the outside row it goes in */
    snprintf(text, sizeof text, "%s%s%s", _hh_header, a, b);
    path = _file("hh3.csv", text);
    assert_int_equal(tz_import_file(s, l, path, &o, &r, &d), 0);
    tz_import_result_free(&r);
    v = _page(s, "households", &q, 0, NULL, NULL);
    assert_int_equal(v.version[1], 3);
    tz_diags_clear(&d);
    tz_store_close(s);
}

/* A scope holding more rows than a page reads them in key order (the
 * scan), a small one through the index: the same rows either way. */
static void test_page_large_scope(void **state)
{
    (void)state;
    tz_store *s = _db();
    tz_buf csv = TZ_BUF_INIT;
    tz_buf_puts(&csv, _hh_header);
    for (int i = 1; i <= 2100; i++) {
        char id17[32], key[16], line[256];
        snprintf(id17, sizeof id17, "4116281980%02d%02d%03d", 1 + i / 2800, 1 + (i / 100) % 28,
                 i % 100 + 100);
        snprintf(key, sizeof key, "G%04d", i);
        _hh_line(line, sizeof line, key, "孙某", id17, "411628100200", "2");
        tz_buf_puts(&csv, line);
    }
    tz_diags d = TZ_DIAGS_INIT;
    tz_import_result r;
    tz_import_opts o = {.actor = "测试"};
    int rc = tz_import_file(s, tz_ledger_find("households"), _file("many.csv", tz_buf_str(&csv)),
                            &o, &r, &d);
    tz_import_result_free(&r);
    if (rc)
        tz_diags_print(&d, stdout);
    assert_int_equal(rc, 0);
    tz_buf_free(&csv);
    tz_access county = _region_scope("411628000000", 6);
    long long total;
    tz_rows_query q = {.limit = 5, .access = &county};
    seen v = _page(s, "households", &q, 0, &total, NULL);
    assert_int_equal(total, 2103);
    assert_string_equal(v.keys[0], "G0001");
    assert_string_equal(v.keys[4], "G0005");
    q.offset = 2100;
    v = _page(s, "households", &q, 0, &total, NULL);
    assert_int_equal(v.n, 3);
    assert_string_equal(v.keys[0], "H1");
    assert_string_equal(v.keys[2], "H3"); /* H4 is 郸城县's */
    tz_rows_query so = {.limit = 2, .sort = "-家庭人口", .access = &county};
    v = _page(s, "households", &so, 0, &total, NULL);
    assert_string_equal(v.keys[0], "H2"); /* 5, then 3 */
    assert_string_equal(v.keys[1], "H1");
    tz_access other = _region_scope("411625000000", 6);
    tz_rows_query qo = {.access = &other};
    v = _page(s, "households", &qo, 0, &total, NULL);
    assert_int_equal(total, 1);
    assert_string_equal(v.keys[0], "H4");
    tz_store_close(s);
}

/* Approves 宋河镇's 2019 (as the workflow does: a row of tz_submissions). */
static void _approve_2019(tz_store *s)
{
    assert_int_equal(tz_store_exec(s, "INSERT INTO tz_submissions (scope_kind, scope, digits, "
                                      "period, period_start, period_end, status, submitted_by, "
                                      "reviewed_by) VALUES ('region', '411628100000', 9, '2019', "
                                      "'2019-01-01', '2019-12-31', 'approved', '甲', '乙')"),
                     0);
}

/* A row an import adds has no audit entry of its own: its import record
 * stands for it, and its history reads the same as before, also once the
 * row is changed and deleted. */
static void test_import_record_history(void **state)
{
    (void)state;
    tz_store *s = _db();
    const tz_ledger *l = tz_ledger_find("households");
    char a[256], b[256], text[1024];
    _hh_line(a, sizeof a, "H7", "周七", "41162819870707007", "411628100200", "3");
    _hh_line(b, sizeof b, "H8", "吴八", "41162819880808008", "411628100200", "2");
    snprintf(text, sizeof text, "%s%s%s", _hh_header, a, b);
    tz_import_result r;
    _import_ok(s, "new.csv", text, &r);
    assert_int_equal(r.inserted, 2);
    long long n = -1;
    assert_int_equal(tz_store_scalar_int(s,
                                         "SELECT count(*) FROM audit_log WHERE row_key IN "
                                         "('H7', 'H8')",
                                         NULL, &n),
                     0);
    assert_int_equal(n, 0); /* no entry per row */
    assert_int_equal(tz_store_scalar_int(s,
                                         "SELECT added FROM tz_imports WHERE label = 'new.csv' "
                                         "AND sha256 IS NOT NULL AND size > 0",
                                         NULL, &n),
                     0);
    assert_int_equal(n, 2);
    char log[2048];
    _audit(s, "households", "H8", log, sizeof log);
    assert_string_equal(log, "新增 new.csv 第3行\n");
    const char *ch[] = {"户编号", "H8", "家庭人口", "6", NULL};
    assert_int_equal(_put(s, "households", ch, 1, NULL, TZ_ROW_OK), 2);
    tz_diags d = TZ_DIAGS_INIT;
    assert_int_equal(tz_row_delete(s, l, "H8", 0, NULL, "测试", &d), TZ_ROW_OK);
    _audit(s, "households", "H8", log, sizeof log);
    assert_non_null(strstr(log, "新增 new.csv 第3行\n修改 家庭人口: 2 → 6\n删除 户编号: H8"));
    _audit(s, "households", "H7", log, sizeof log);
    assert_string_equal(log, "新增 new.csv 第2行\n");
    tz_diags_clear(&d);
    tz_store_close(s);
}

static void test_locks(void **state)
{
    (void)state;
    tz_store *s = _db();
    _approve_2019(s);
    const tz_ledger *ai = tz_ledger_find("aid_inputs");
    const char *h[] = {"投入编号", "金额(万元)"};
    const char *v[] = {"I1", "2"};
    tz_diags d = TZ_DIAGS_INIT;
    long long nv;
    assert_int_equal(tz_row_put(s, ai, h, v, 2, 1, NULL, "测试", &nv, NULL, NULL, &d),
                     TZ_ROW_LOCKED);
    assert_non_null(strstr(d.items[0].reason, "该期间数据已审核锁定"));
    tz_diags_clear(&d);
    /* moving it out of the period is a change of a locked row too */
    const char *h2[] = {"投入编号", "日期"};
    const char *v2[] = {"I1", "2020-01-01"};
    assert_int_equal(tz_row_put(s, ai, h2, v2, 2, 1, NULL, "测试", &nv, NULL, NULL, &d),
                     TZ_ROW_LOCKED);
    assert_int_equal(tz_row_delete(s, ai, "I1", 0, NULL, "测试", &d), TZ_ROW_LOCKED);
    tz_diags_clear(&d);
    /* a new row dated in the locked period and scope */
    const char *nw[] = {"投入编号", "I2",           "日期", "2019-07-01", "帮扶单位",   "县文化局",
                        "村代码",   "411628100200", "类别", "饮水",       "金额(万元)", "1",
                        NULL};
    _put(s, "aid_inputs", nw, 0, NULL, TZ_ROW_LOCKED);
    /* another year is open */
    const char *ok[] = {"投入编号", "I2",           "日期", "2020-07-01", "帮扶单位",   "县文化局",
                        "村代码",   "411628100200", "类别", "饮水",       "金额(万元)", "1",
                        NULL};
    assert_int_equal(_put(s, "aid_inputs", ok, 0, NULL, TZ_ROW_OK), 1);
    /* the CLI's import is refused the same way; an unchanged row is not a change */
    const char *head = "投入编号,日期,帮扶单位,村代码,户编号,类别,内容,金额(万元)\n";
    char text[512];
    snprintf(text, sizeof text, "%sI1,2019-06-01,县文化局,411628100200,,办公设备,,1\n", head);
    tz_import_result r;
    tz_import_opts o = {.actor = "命令行"};
    assert_int_equal(tz_import_file(s, ai, _file("ai.csv", text), &o, &r, &d), 0);
    tz_import_result_free(&r);
    snprintf(text, sizeof text, "%sI1,2019-06-01,县文化局,411628100200,,办公设备,,5\n", head);
    assert_int_equal(tz_import_file(s, ai, _file("ai2.csv", text), &o, &r, &d), 1);
    tz_import_result_free(&r);
    assert_int_equal(d.items[0].row, 2);
    assert_non_null(strstr(d.items[0].reason, "该期间数据已审核锁定"));
    tz_diags_clear(&d);
    tz_store_close(s);
}

static int _setup(void **state)
{
    (void)state;
    snprintf(_dir, sizeof _dir, "/tmp/tz-rows-XXXXXX");
    if (!mkdtemp(_dir))
        return -1;
    snprintf(_uri, sizeof _uri, "%s/rows.db", _dir);
    return 0;
}

static int _setup_pg(void **state)
{
    const char *u = getenv("TZ_PG_URI");
    if (_setup(state))
        return -1;
    if (!u || !*u)
        return 0;
    snprintf(_schema, sizeof _schema, "tz_rows_test_%ld", (long)getpid());
    snprintf(_uri, sizeof _uri, "%s%soptions=-c%%20search_path%%3D%s", u,
             strchr(u, '?') ? "&" : "?", _schema);
    return 0;
}

static int _teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", _dir);
    return system(cmd) == 0 ? 0 : -1;
}

static int _teardown_pg(void **state)
{
    tz_store *s = NULL;
    tz_diags d = TZ_DIAGS_INIT;
    char sql[128];
    snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE", _schema);
    int rc = tz_store_open(getenv("TZ_PG_URI"), 0, &s, &d) || tz_store_exec(s, sql) ? -1 : 0;
    tz_store_close(s);
    tz_diags_clear(&d);
    return _teardown(state) || rc ? -1 : 0;
}

#define TESTS                                                                                      \
    cmocka_unit_test(test_page), cmocka_unit_test(test_page_keys),                                 \
        cmocka_unit_test(test_scope_region), cmocka_unit_test(test_scope_unit),                    \
        cmocka_unit_test(test_masking), cmocka_unit_test(test_put),                                \
        cmocka_unit_test(test_put_forbidden), cmocka_unit_test(test_get_multikey),                 \
        cmocka_unit_test(test_delete), cmocka_unit_test(test_import_versions_scope),               \
        cmocka_unit_test(test_import_record_history), cmocka_unit_test(test_locks),                \
        cmocka_unit_test(test_import_messages_in_order),                                           \
        cmocka_unit_test(test_import_keys_seen_and_stored),                                        \
        cmocka_unit_test(test_page_large_scope)

int main(void)
{
    const struct CMUnitTest tests[] = {TESTS};
    int rc = cmocka_run_group_tests_name("rows (SQLite)", tests, _setup, _teardown);
    const char *u = getenv("TZ_PG_URI");
    if (!u || !*u) {
        printf("TZ_PG_URI not set: rows not tested on PostgreSQL\n");
        return rc;
    }
    const struct CMUnitTest pg[] = {TESTS};
    return rc | cmocka_run_group_tests_name("rows (PostgreSQL)", pg, _setup_pg, _teardown_pg);
}
