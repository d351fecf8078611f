/* test_draft.c - unit tests of the drafter: templates run against a small
 * real SQLite database; figures, provenance, wording, the sandbox, errors
 * with file and line, resource limits and the proofreading facts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "report/draft.h"
#include "report/render.h"
#include "report/template.h"
#include "store/store.h"
#include "util/buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct fixture {
    char dir[64]; /* temp directory */
    char db[128]; /* database path */
    tz_store *s;  /* open store */
} fixture;

static void _write(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
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
    snprintf(f->dir, sizeof f->dir, "/tmp/tz-draft-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
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
            "411628101202,刘楼村,411628101000,村,否,\n"
            "411628101203,轩楼村,411628101000,村,是,\n");
    _import(f, "culture_centers",
            "村代码,建成年份,文化广场面积(平方米),是否达标,奖补标准(万元),已拨付奖补(万元)\n"
            "411628101201,2016,1200,是,10,4\n"
            "411628101202,2018,600,否,10,4\n"
            "411628101203,2017,800,是,10,10\n");
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

/* Writes a template and drafts it. Returns the rc; *doc and d are the caller's. */
static int _draft(fixture *f, const char *lua, int appendix, tz_doc **doc, tz_diags *d,
                  tz_draft_opts *extra)
{
    char path[256];
    snprintf(path, sizeof path, "%s/t.lua", f->dir);
    _write(path, lua);
    tz_draft_opts o;
    memset(&o, 0, sizeof o);
    if (extra)
        o = *extra;
    o.template_path = path;
    o.region = "411628";
    o.period = "2019";
    o.appendix = appendix;
    return tz_draft_report(f->s, &o, doc, NULL, d);
}

/* The whole document as Markdown, for text checks. Caller frees. */
static char *_md(const tz_doc *doc)
{
    tz_buf b = TZ_BUF_INIT;
    assert_int_equal(tz_render_md(doc, &b), 0);
    return tz_buf_take(&b);
}

static const char *_first_error(const tz_diags *d)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->items[i].sev == TZ_ERROR)
            return d->items[i].reason;
    return "";
}

static void test_figures_and_wording(void **state)
{
    fixture *f = *state;
    tz_doc *doc = NULL;
    tz_diags d = TZ_DIAGS_INIT;
    int rc = _draft(
        f,
        "title('测试', '（' .. report.period.words .. '）')\n"
        "local v, s = ind('贫困村数', {mode = 'todate'})\n"
        "para('全县', fig(num(v, '个'), s), '贫困村。')\n"
        "local g = ind_by('村级文化服务中心数', {mode = 'todate'}, 'year')\n"
        "local parts = {}\n"
        "for _, x in ipairs(g) do parts[#parts + 1] = x.label .. x.value end\n"
        "para(table.concat(parts, '、'))\n"
        "para(approx(10230, '场次', 'cn余'), '/', frac(5990, 17985), '/', count(2, '个'),\n"
        "     '/', join({'甲', '乙', '丙'}, true), '/', approx(32.6, '万元'), '/', pct(0.9537))\n"
        "local r = region('411628101201')\n"
        "para(r.name, r.level, tostring(r.poor), region('411628').industries[1])\n"
        "local rs = rows('culture_centers', {['是否达标'] = '否'})\n"
        "para('未达标', #rs, '个：', rs[1]['村代码'], '/', rs[1]._key)\n"
        "table('表1', {'村', '面积'}, {{'卢尧村', fig(num(v, '个'), s)}, {'刘楼村', 600}})\n"
        "chart('图1', '个', {'甲', '乙'}, {{name = '完成', values = {1, 2}},\n"
        "      {name = '目标', values = {2, 2}, target = true}})\n"
        "warn('注意', 1)\n",
        1, &doc, &d, NULL);
    if (rc)
        tz_diags_print(&d, stderr);
    assert_int_equal(rc, 0);
    char *md = _md(doc);
    assert_non_null(strstr(md, "# 测试"));
    assert_non_null(strstr(md, "（2019年）"));
    assert_non_null(strstr(md, "全县[2个](#F1)贫困村。"));
    assert_non_null(strstr(md, "2016年1、2017年1、2018年1"));
    assert_non_null(strstr(md, "万余场次/三分之一/两个/甲、乙和丙/30多万元/95.4%"));
    assert_non_null(strstr(md, "卢尧村村true纺织服装"));
    assert_non_null(strstr(md, "未达标1个：411628101202/411628101202"));
    assert_non_null(strstr(md, "表1"));
    assert_non_null(strstr(md, "| [2个](#F1) |")); /* the same text and source: the same id */
    assert_non_null(strstr(md, "图1"));
    /* the appendix lists the figure's indicator, scope, period and rows */
    assert_non_null(strstr(md, "附件"));
    assert_non_null(
        strstr(md, "指标“贫困村数”，范围：鹿邑县，期间：截至2019年底累计，计算值：2个"));
    /* rows of the regions ledger by name, not code */
    assert_non_null(strstr(md, "行政区划台账2条记录，宋河镇卢尧村、宋河镇轩楼村"));
    assert_null(tz_doc_dangling_ref(doc));
    /* warn() became a warning naming the file and line */
    assert_int_equal(d.nerrors, 0);
    assert_int_equal(d.nwarnings, 2);
    /* a number in a table that is no figure has no source */
    assert_int_equal(d.items[0].row, 14);
    assert_string_equal(d.items[0].reason,
                        "表“表1”第2行第2列的数字“600”没有来源(请用 fig() 或 calc())");
    assert_string_equal(d.items[1].file, "t.lua");
    assert_int_equal(d.items[1].row, 17);
    assert_string_equal(d.items[1].reason, "注意1");
    free(md);
    tz_doc_free(doc);
    tz_diags_clear(&d);
}

static void test_without_appendix_no_refs(void **state)
{
    fixture *f = *state;
    tz_doc *doc = NULL;
    tz_diags d = TZ_DIAGS_INIT;
    tz_draft_stats st;
    char path[256];
    snprintf(path, sizeof path, "%s/t.lua", f->dir);
    /* with a UTF-8 BOM, as Windows Notepad saves it */
    _write(path, "\xEF\xBB\xBFtitle('x')\npara(fig('2个', '贫困村数', {mode = 'todate'}))\n"
                 "para(fig('2个', '贫困村数', {mode = 'todate'}))\n"
                 "para(fig('3个', '行政村数', {mode = 'all'}))\n");
    tz_draft_opts o;
    memset(&o, 0, sizeof o);
    o.template_path = path;
    o.region = "鹿邑县";
    o.period = "2019-H1";
    assert_int_equal(tz_draft_report(f->s, &o, &doc, &st, &d), 0);
    assert_int_equal(st.figures, 2);
    char *md = _md(doc);
    assert_null(strstr(md, "#F1"));
    assert_null(strstr(md, "附件"));
    free(md);
    tz_doc_free(doc);
    tz_diags_clear(&d);
}

static void test_sandbox(void **state)
{
    fixture *f = *state;
    tz_doc *doc = NULL;
    tz_diags d = TZ_DIAGS_INIT;
    int rc = _draft(f,
                    "for _, name in ipairs({'os', 'io', 'load', 'loadfile', 'dofile', 'require',\n"
                    "    'package', 'debug', 'collectgarbage', 'print'}) do\n"
                    "  if _G[name] ~= nil then error('可用: ' .. name) end\n"
                    "end\n"
                    "if string.dump or math.random or math.randomseed then error('可用') end\n"
                    "title('ok')\n"
                    "para(utf8.char(20013), string.format('%d', 5), tostring(math.floor(2.5)))\n",
                    0, &doc, &d, NULL);
    if (rc)
        tz_diags_print(&d, stderr);
    assert_int_equal(rc, 0);
    char *md = _md(doc);
    assert_non_null(strstr(md, "中52"));
    free(md);
    tz_doc_free(doc);
    tz_diags_clear(&d);
}

static void test_errors_name_file_and_line(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *lua;  /* template */
        long line;        /* expected line */
        const char *want; /* expected part of the reason */
    } cases[] = {
        {"title('x')\n\nnosuch()\n", 3, "调用了不存在的函数“nosuch”"},
        {"title('x')\nlocal t = nil\nlocal y = t.a\n", 3, "对空值(nil)“t”取字段"},
        {"title('x')\nif x then\n", 3, "语法错误"},
        {"title('x')\nerror('自己的错误')\n", 2, "自己的错误"},
        {"title('x')\nind('没有这个指标')\n", 2, "没有名为“没有这个指标”的指标"},
        {"title('x')\nind('贫困村数', {mode = 'sometimes'})\n", 2, "mode 应为 period(期间"},
        {"title('x')\nfig('1', {name = '贫困村数', period = '2019', mode = 'x'})\n", 2,
         "而不是“x”"},
        {"title('x')\nind('贫困村数', {period = '2019-13'})\n", 2, "期间“2019-13”有误"},
        {"para('x')\n", 1, "请先调用 title()"},
        {"title('x')\nnum(0/0)\n", 2, "num"},
        {"title('x')\ntable('t', {'a'}, {{'1', '2'}})\n", 2, "多于表头"},
        {"title('x')\nchart('c', nil, {'a'}, {{name = 't', values = {1}, target = true}})\n", 2,
         "至少要有一个柱形系列"},
        {"local function f(n) return f(n + 1) + 1 end\nf(1)\n", 1, "栈溢出"},
        {"title('x')\ntitle('y')\n", 2, "只能调用一次"},
        /* "bad argument #11 to 'format'": the number has two digits */
        {"title('x')\npara(string.format('%d%d%d%d%d%d%d%d%d%d', 1, 2, 3, 4, 5, 6, 7, 8, 9, "
         "'x'))\n",
         2, "函数“format”的第11个参数有误"},
        {"-- nothing\n", 0, "没有调用 title()"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tz_doc *doc = NULL;
        tz_diags d = TZ_DIAGS_INIT;
        int rc = _draft(f, cases[i].lua, 0, &doc, &d, NULL);
        assert_int_equal(rc, -1);
        assert_null(doc);
        assert_int_equal(d.nerrors, 1);
        const char *why = _first_error(&d);
        if (!strstr(why, cases[i].want))
            fprintf(stderr, "case %zu: %s\n", i, why);
        assert_non_null(strstr(why, cases[i].want));
        assert_string_equal(d.items[0].file, "t.lua");
        if (cases[i].line)
            assert_int_equal(d.items[0].row, cases[i].line);
        tz_diags_clear(&d);
    }
}

static void test_limits(void **state)
{
    fixture *f = *state;
    tz_doc *doc = NULL;
    tz_diags d = TZ_DIAGS_INIT;
    tz_draft_opts o;
    memset(&o, 0, sizeof o);
    o.max_steps = 1000000;
    assert_int_equal(_draft(f, "title('x')\nwhile true do end\n", 0, &doc, &d, &o), -1);
    assert_non_null(strstr(_first_error(&d), "步数超过上限"));
    assert_int_equal(d.items[0].row, 2);
    tz_diags_clear(&d);

    memset(&o, 0, sizeof o);
    o.mem_limit = 4 << 20;
    assert_int_equal(_draft(f,
                            "title('x')\nlocal t = {}\n"
                            "for i = 1, 1e9 do t[i] = string.rep('x', 100) .. i end\n",
                            0, &doc, &d, &o),
                     -1);
    assert_non_null(strstr(_first_error(&d), "内存超过上限"));
    tz_diags_clear(&d);
}

static void test_bad_options(void **state)
{
    fixture *f = *state;
    tz_doc *doc = NULL;
    tz_diags d = TZ_DIAGS_INIT;
    tz_draft_opts o;
    memset(&o, 0, sizeof o);
    o.template_path = "/nonexistent/x.lua";
    o.region = "411628";
    o.period = "2019";
    assert_int_equal(tz_draft_report(f->s, &o, &doc, NULL, &d), -1);
    assert_non_null(strstr(_first_error(&d), "找不到或无法读取汇报模板文件"));
    tz_diags_clear(&d);
    o.period = "2019-13";
    assert_int_equal(tz_draft_report(f->s, &o, &doc, NULL, &d), -1);
    assert_non_null(strstr(_first_error(&d), "期间有误"));
    tz_diags_clear(&d);
    o.period = "2019";
    o.region = "999999";
    assert_int_equal(tz_draft_report(f->s, &o, &doc, NULL, &d), -1);
    assert_int_equal(d.nerrors, 1);
    tz_diags_clear(&d);

    char buf[256];
    assert_string_equal(tz_template_path("/h/templates", "poverty-work", buf, sizeof buf),
                        "/h/templates/poverty-work.lua");
    assert_null(tz_template_path("/h", "../etc/passwd", buf, sizeof buf));
    assert_null(tz_template_path("/h", "", buf, sizeof buf));
    assert_null(tz_template_path("/h", "investment", buf, 10));
}

/* report{...} in a drafting template: the scope is checked, and only the
 * declared indicators can be evaluated. */
static void test_declaration(void **state)
{
    fixture *f = *state;
    tz_doc *doc = NULL;
    tz_diags d = TZ_DIAGS_INIT;
    const char *head =
        "local R = report { kind = 't', title = '测试汇报', scope = { level = '%s' },\n"
        "  indicators = { '贫困村数' } }\ntitle(R.region_name)\n%s\n";
    char lua[512];
    snprintf(lua, sizeof lua, head, "县", "para(num(ind('贫困村数', {mode = 'todate'}), '个'))");
    assert_int_equal(_draft(f, lua, 0, &doc, &d, NULL), 0);
    char *md = _md(doc);
    assert_non_null(strstr(md, "2个"));
    free(md);
    tz_doc_free(doc);
    doc = NULL;
    /* an indicator the declaration does not list */
    snprintf(lua, sizeof lua, head, "县", "para(num(ind('行政村数', {mode = 'todate'}), '个'))");
    assert_int_equal(_draft(f, lua, 0, &doc, &d, NULL), -1);
    assert_non_null(
        strstr(_first_error(&d), "“行政村数”不在模板开头 report{...} 声明的 indicators 中"));
    assert_int_equal(d.items[0].row, 4);
    tz_diags_clear(&d);
    /* a region of another level than the declared scope */
    snprintf(lua, sizeof lua, head, "市", "");
    assert_int_equal(_draft(f, lua, 0, &doc, &d, NULL), -1);
    assert_non_null(strstr(_first_error(&d), "测试汇报按市汇报,鹿邑县是县级区划,请指定市级区划"));
    tz_diags_clear(&d);
    /* a unit of the declared 单位类型 in the region */
    _import(f, "units",
            "单位名称,单位类型,所属区划代码\n县文化局,县直单位,411628000000\n"
            "鹿邑县,县区,411628000000\n");
    const char *unit_tpl = "report { kind = 't', title = '测试汇报', indicators = {},\n"
                           "  scope = { level = '县', unit = '县直单位' } }\ntitle('x')\n";
    tz_draft_opts uo;
    memset(&uo, 0, sizeof uo);
    uo.unit = "县文化局";
    assert_int_equal(_draft(f, unit_tpl, 0, &doc, &d, &uo), 0);
    tz_doc_free(doc);
    doc = NULL;
    uo.unit = "鹿邑县";
    assert_int_equal(_draft(f, unit_tpl, 0, &doc, &d, &uo), -1);
    assert_non_null(strstr(_first_error(&d), "测试汇报由县直单位汇报,单位 \"鹿邑县\" 是县区"));
    tz_diags_clear(&d);
    uo.unit = NULL;
    assert_int_equal(_draft(f, unit_tpl, 0, &doc, &d, &uo), -1);
    assert_non_null(strstr(_first_error(&d), "测试汇报需要 --unit 指定汇报单位(县直单位)"));
    tz_diags_clear(&d);
    assert_int_equal(_draft(f,
                            "report { kind = 't', title = 'x', indicators = {},\n"
                            "  scope = { unit = '县委' } }\ntitle('x')\n",
                            0, &doc, &d, NULL),
                     -1);
    assert_non_null(strstr(_first_error(&d), "scope 的 unit “县委”不是责任单位台账的单位类型"));
    tz_diags_clear(&d);
    /* a misspelt indicator refuses the declaration */
    assert_int_equal(_draft(f,
                            "report { kind = 't', title = 'x', indicators = { '贫困村树' } }\n"
                            "title('x')\n",
                            0, &doc, &d, NULL),
                     -1);
    assert_non_null(strstr(_first_error(&d), "指标“贫困村树”不存在"));
    tz_diags_clear(&d);
    assert_null(doc);
}

static void test_facts(void **state)
{
    fixture *f = *state;
    tz_proofread_fact *facts = NULL;
    size_t n = 0;
    tz_diags d = TZ_DIAGS_INIT;
    tz_template_fact specs[] = {
        {(char *)"贫困村", (char *)"贫困村数", TZ_FACT_TODATE, NULL},
        /* centres built in the years with subsidy still owed: 2016 and 2018 */
        {(char *)"{years}年建成的", (char *)"村级文化服务中心数", TZ_FACT_TODATE,
         (char *)"应拨未拨奖补(万元)"},
        {(char *)"达标", (char *)"达标文化服务中心数", TZ_FACT_YTD, NULL},
    };
    assert_int_equal(tz_draft_facts(f->s, "411628000000", "2019", specs, 3, &facts, &n, &d), 0);
    assert_int_equal(n, 2); /* the ytd fact: no centre built in 2019, left out */
    assert_string_equal(facts[0].label, "贫困村");
    assert_string_equal(facts[0].unit, "个");
    assert_true(facts[0].value == 2);
    assert_string_equal(facts[1].label, "16、18年建成的");
    assert_true(facts[1].value == 2);
    free(facts);
    /* the facts catch a contradicting figure */
    assert_int_equal(tz_draft_facts(f->s, NULL, NULL, specs, 1, &facts, &n, &d), 0);
    tz_proofread_opts po = {NULL, facts, n, 0, NULL};
    tz_proofread_findings out = TZ_PROOFREAD_FINDINGS_INIT;
    const char *text = "全县3个贫困村全部建成了文化广场。";
    assert_int_equal(tz_proofread_text(text, strlen(text), &po, &out, &d), 0);
    assert_int_equal(out.n, 1);
    assert_int_equal(out.items[0].kind, TZ_PROOF_FACT);
    tz_proofread_findings_free(&out);
    text = "全县2个贫困村全部建成了文化广场。";
    assert_int_equal(tz_proofread_text(text, strlen(text), &po, &out, &d), 0);
    assert_int_equal(out.n, 0);
    tz_proofread_findings_free(&out);
    free(facts);
    assert_int_equal(tz_draft_facts(f->s, NULL, "2019-14", specs, 1, &facts, &n, &d), -1);
    tz_diags_clear(&d);
}

/* Templates name modes as metrics/ does, in English or Chinese. */
static void test_mode_names(void **state)
{
    fixture *f = *state;
    tz_doc *doc = NULL;
    tz_diags d = TZ_DIAGS_INIT;
    int rc = _draft(f,
                    "title('x')\n"
                    "local a, s = ind('贫困村数', {mode = '累计'})\n"
                    "local b = ind('贫困村数', {mode = '现状'})\n"
                    "local c = ind('贫困村数', {mode = 'todate'})\n"
                    "para(a .. '/' .. b .. '/' .. c .. '/' .. s.mode)\n",
                    0, &doc, &d, NULL);
    if (rc)
        tz_diags_print(&d, stderr);
    assert_int_equal(rc, 0);
    char *md = _md(doc);
    assert_non_null(strstr(md, "2/2/2/todate"));
    free(md);
    tz_doc_free(doc);
    tz_diags_clear(&d);
}

static void test_deterministic(void **state)
{
    fixture *f = *state;
    const char *lua = "title('x')\nlocal t = {b = 1, a = 2, c = 3}\nlocal ks = {}\n"
                      "for k in pairs(t) do ks[#ks + 1] = k end\ntable.sort(ks)\n"
                      "para(join(ks), fig(num(ind('行政村数', {mode = 'all'}), '个'), '行政村数',"
                      " {mode = 'all'}))\n";
    char *md[2];
    for (int i = 0; i < 2; i++) {
        tz_doc *doc = NULL;
        tz_diags d = TZ_DIAGS_INIT;
        assert_int_equal(_draft(f, lua, 1, &doc, &d, NULL), 0);
        md[i] = _md(doc);
        tz_doc_free(doc);
        tz_diags_clear(&d);
    }
    assert_string_equal(md[0], md[1]);
    assert_non_null(strstr(md[0], "a、b、c[3个](#F1)"));
    free(md[0]);
    free(md[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_figures_and_wording),
        cmocka_unit_test(test_without_appendix_no_refs),
        cmocka_unit_test(test_sandbox),
        cmocka_unit_test(test_errors_name_file_and_line),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_facts),
        cmocka_unit_test(test_declaration),
        cmocka_unit_test(test_mode_names),
        cmocka_unit_test(test_deterministic),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
