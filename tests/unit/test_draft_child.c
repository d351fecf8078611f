/* test_draft_child.c - unit tests of report/draft_child.c: a template drafted
 * in a child process gives exactly the document an in-process draft gives
 * (Markdown, HTML and .docx bytes, stats, warnings), Lua errors keep their
 * file and line, and a template that hangs where the instruction cap cannot
 * reach (a looping __gc finaliser, a backtracking string.find) is stopped
 * at TZ_TEMPLATE_SECONDS. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "report/draft.h"
#include "report/render.h"
#include "store/store.h"
#include "util/buf.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct fixture {
    char dir[64];  /* temp directory */
    char db[128];  /* database path */
    char tpl[128]; /* template path */
    tz_store *s;   /* open store */
} fixture;

static void _write(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static char *_slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    tz_buf b = TZ_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        assert_int_equal(tz_buf_add(&b, chunk, n), 0);
    fclose(fp);
    *len = b.len;
    return tz_buf_take(&b);
}

static void _import(fixture *f, const char *ledger, const char *csv)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s.csv", f->dir, ledger);
    _write(path, csv);
    tz_diags d = TZ_DIAGS_INIT;
    tz_import_opts o = {.actor = "test"};
    tz_import_result r;
    int rc = tz_import_file(f->s, tz_ledger_find(ledger), path, &o, &r, &d);
    tz_import_result_free(&r);
    if (rc)
        tz_diags_print(&d, stderr);
    tz_diags_clear(&d);
    assert_int_equal(rc, 0);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/tz-draftc-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
    snprintf(f->tpl, sizeof f->tpl, "%s/t.lua", f->dir);
    tz_diags d = TZ_DIAGS_INIT;
    if (tz_store_open(f->db, TZ_OPEN_CREATE, &f->s, &d))
        return -1;
    tz_diags_clear(&d);
    _import(f, "regions",
            "区划代码,名称,上级区划代码,层级,贫困村,主导产业\n"
            "410000000000,河南省,,省,,\n"
            "411600000000,周口市,410000000000,市,,\n"
            "411628000000,鹿邑县,411600000000,县,,纺织服装\n"
            "411628101000,宋河镇,411628000000,乡,,\n"
            "411628101201,卢尧村,411628101000,村,是,\n"
            "411628101202,刘楼村,411628101000,村,否,\n");
    _import(f, "culture_centers",
            "村代码,建成年份,文化广场面积(平方米),是否达标,奖补标准(万元),已拨付奖补(万元)\n"
            "411628101201,2016,1200,是,10,4\n"
            "411628101202,2018,600,否,10,4\n");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    tz_store_close(f->s);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

static tz_draft_opts _opts(fixture *f, int appendix)
{
    tz_draft_opts o;
    memset(&o, 0, sizeof o);
    o.template_path = f->tpl;
    o.region = "411628";
    o.period = "2019";
    o.appendix = appendix;
    return o;
}

/* Renders doc to dir/name and returns the file's bytes; caller frees. */
static char *_render(fixture *f, const tz_doc *doc, const char *name, size_t *len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", f->dir, name);
    tz_diags d = TZ_DIAGS_INIT;
    int rc = tz_render_file(doc, path, &d);
    if (rc)
        tz_diags_print(&d, stderr);
    tz_diags_clear(&d);
    assert_int_equal(rc, 0);
    return _slurp(path, len);
}

/* Every block kind, text with tabs and line breaks, refs, NaN in a chart. */
static const char _full[] =
    "title('对照\\t报告', '（' .. report.period.words .. '）')\n"
    "h1('一、总体情况')\n"
    "local v, s = ind('贫困村数', {mode = 'todate'})\n"
    "para('全县', fig(num(v, '个'), s), '贫困村。', bold('加粗'), '换\\n行')\n"
    "h2('（一）文化')\n"
    "table('表1', {'村', '面积'}, {{'卢尧村', fig('1200', s)}, {'刘楼村', 600}},\n"
    "      {'text', 'number'})\n"
    "table(nil, {'甲'}, {})\n"
    "chart('图1', '个', {'甲', '乙', '丙'}, {{name = '完成', values = {1, 0/0, 3}},\n"
    "      {name = '目标', values = {2, 2, 2}, target = true}})\n"
    "chart('图2', nil, {'甲'}, {{name = '完成', values = {5}}})\n"
    "page_break()\n"
    "para('')\n"
    "warn('注意一')\n"
    "warn('注意二', 1)\n";

static void test_same_document_as_in_process(void **state)
{
    fixture *f = *state;
    _write(f->tpl, _full);
    for (int appendix = 0; appendix <= 1; appendix++) {
        tz_draft_opts o = _opts(f, appendix);
        tz_doc *a = NULL, *b = NULL;
        tz_diags da = TZ_DIAGS_INIT, db = TZ_DIAGS_INIT;
        tz_draft_stats sa = {0, 0}, sb = {0, 0};
        int ra = tz_draft_report(f->s, &o, &a, &sa, &da);
        int rb = tz_draft_report_isolated(f->db, 0, &o, &b, &sb, &db);
        if (ra || rb) {
            tz_diags_print(&da, stderr);
            tz_diags_print(&db, stderr);
        }
        assert_int_equal(ra, 0);
        assert_int_equal(rb, 0);
        assert_int_equal(sa.figures, sb.figures);
        assert_int_equal(sa.blocks, sb.blocks);
        assert_true(sa.blocks > 8);
        assert_int_equal(a->n, b->n);
        /* the template's warnings, in order, with their lines */
        assert_int_equal(da.n, db.n);
        assert_int_equal(da.nwarnings, db.nwarnings);
        assert_int_equal(db.nerrors, 0);
        for (size_t i = 0; i < da.n; i++) {
            assert_int_equal(da.items[i].sev, db.items[i].sev);
            assert_int_equal(da.items[i].row, db.items[i].row);
            assert_string_equal(da.items[i].reason, db.items[i].reason);
            assert_string_equal(da.items[i].file, db.items[i].file);
        }
        static const char *const names[] = {"a.md", "b.md", "a.html", "b.html", "a.docx", "b.docx"};
        for (size_t k = 0; k < 6; k += 2) {
            size_t la, lb;
            char *xa = _render(f, a, names[k], &la);
            char *xb = _render(f, b, names[k + 1], &lb);
            assert_int_equal(la, lb);
            assert_memory_equal(xa, xb, la);
            if (k == 0)
                assert_non_null(strstr(xa, "图1"));
            free(xa);
            free(xb);
        }
        tz_doc_free(a);
        tz_doc_free(b);
        tz_diags_clear(&da);
        tz_diags_clear(&db);
    }
    errno = 0;
    assert_int_equal(waitpid(-1, NULL, WNOHANG), -1); /* the child was reaped */
    assert_int_equal(errno, ECHILD);
}

static void test_lua_error_keeps_file_and_line(void **state)
{
    fixture *f = *state;
    _write(f->tpl, "title('x')\nwarn('先')\npara(nosuch.field)\n");
    tz_draft_opts o = _opts(f, 0);
    tz_doc *doc = NULL;
    tz_diags d = TZ_DIAGS_INIT;
    assert_int_equal(tz_draft_report_isolated(f->db, 0, &o, &doc, NULL, &d), -1);
    assert_null(doc);
    assert_int_equal(d.nerrors, 1);
    assert_int_equal(d.nwarnings, 1);
    int found = 0;
    for (size_t i = 0; i < d.n; i++) {
        if (d.items[i].sev != TZ_ERROR)
            continue;
        assert_string_equal(d.items[i].file, "t.lua");
        assert_int_equal(d.items[i].row, 3);
        assert_non_null(strstr(d.items[i].reason, "“nosuch”"));
        found = 1;
    }
    assert_true(found);
    tz_diags_clear(&d);
}

static void test_database_missing(void **state)
{
    fixture *f = *state;
    _write(f->tpl, "title('x')\n");
    tz_draft_opts o = _opts(f, 0);
    tz_doc *doc = NULL;
    tz_diags d = TZ_DIAGS_INIT;
    char missing[192];
    snprintf(missing, sizeof missing, "%s/none.db", f->dir);
    assert_int_equal(tz_draft_report_isolated(missing, 0, &o, &doc, NULL, &d), -1);
    assert_null(doc);
    assert_true(d.nerrors >= 1);
    assert_int_equal(access(missing, F_OK), -1); /* not created by the child */
    tz_diags_clear(&d);
}

/* Drafts a hanging template with a 1-second limit and checks the stop. */
static void _expect_stopped(fixture *f, const char *lua)
{
    _write(f->tpl, lua);
    setenv("TZ_TEMPLATE_SECONDS", "1", 1);
    tz_draft_opts o = _opts(f, 0);
    tz_doc *doc = NULL;
    tz_diags d = TZ_DIAGS_INIT;
    int rc = tz_draft_report_isolated(f->db, 0, &o, &doc, NULL, &d);
    unsetenv("TZ_TEMPLATE_SECONDS");
    assert_int_equal(rc, -1);
    assert_null(doc);
    assert_int_equal(d.nerrors, 1);
    assert_non_null(strstr(d.items[0].reason, "模板运行超过1秒,已停止:t.lua"));
    tz_diags_clear(&d);
    errno = 0;
    assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
}

static void test_gc_finaliser_loop_stopped(void **state)
{
    _expect_stopped(*state,
                    "local t = setmetatable({}, {__gc = function() while true do end end})\n"
                    "title('x')\n");
}

static void test_backtracking_pattern_stopped(void **state)
{
    _expect_stopped(*state,
                    "title('x')\n"
                    "local i = string.find(string.rep('a', 40), string.rep('a*', 40) .. 'b')\n");
}

static void test_bad_limit(void **state)
{
    fixture *f = *state;
    _write(f->tpl, "title('x')\n");
    setenv("TZ_TEMPLATE_SECONDS", "soon", 1);
    tz_draft_opts o = _opts(f, 0);
    tz_doc *doc = NULL;
    tz_diags d = TZ_DIAGS_INIT;
    int rc = tz_draft_report_isolated(f->db, 0, &o, &doc, NULL, &d);
    unsetenv("TZ_TEMPLATE_SECONDS");
    assert_int_equal(rc, -1);
    assert_non_null(strstr(d.items[0].reason, "TZ_TEMPLATE_SECONDS"));
    tz_diags_clear(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_document_as_in_process),
        cmocka_unit_test(test_lua_error_keeps_file_and_line),
        cmocka_unit_test(test_database_missing),
        cmocka_unit_test(test_gc_finaliser_loop_stopped),
        cmocka_unit_test(test_backtracking_pattern_stopped),
        cmocka_unit_test(test_bad_limit),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
