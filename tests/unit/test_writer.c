/* test_writer.c - unit tests of the table writer (io/writer.h): xlsx parts
 * read back with libzip + expat, CSV bytes, GB18030, determinism and the
 * temporary-file protocol. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "io/writer.h"
#include "io/writer_impl.h"
#include "util/buf.h"
#include "util/text.h"
#include <dirent.h>
#include <errno.h>
#include <expat.h>
#include <iconv.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

/* ---- fixtures and helpers ---------------------------------------------- */

static const char *const yes_no[] = {"是", "否", NULL};
static const char *const attr_choices[] = {"一般贫困户", "低保贫困户", "特困供养贫困户", NULL};

/* A small households-like template: text, enum, number, enum with notes. */
static const tz_sheet_column cols4[] = {
    {"户主姓名", NULL, "填写户主的真实姓名", 0, 0, TZ_SHEET_GENERAL},
    {"贫困户属性", attr_choices, "从下拉列表选择", 0, 0, TZ_SHEET_GENERAL},
    {"人均纯收入(元)", NULL, "单位为元，可带两位小数", 1, 0, TZ_SHEET_GENERAL},
    {"义务教育保障", yes_no, NULL, 0, 0, TZ_SHEET_GENERAL},
};

/* A fresh empty directory for one test; freed by _rmdir_all. */
static char *_mkdir_tmp(void)
{
    char tmpl[] = "/tmp/tzw-test-XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    return strdup(dir);
}

/* Number of entries in dir (not . and ..); the name of the last one goes to
 * *last when last is not NULL (caller frees). */
static int _count_entries(const char *dir, char **last)
{
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(dp))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        n++;
        if (last) {
            free(*last);
            *last = strdup(de->d_name);
        }
    }
    closedir(dp);
    return n;
}

static void _rmdir_all(char *dir)
{
    DIR *dp = opendir(dir);
    if (dp) {
        struct dirent *de;
        while ((de = readdir(dp))) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            tz_buf p = TZ_BUF_INIT;
            tz_buf_printf(&p, "%s/%s", dir, de->d_name);
            unlink(tz_buf_str(&p));
            tz_buf_free(&p);
        }
        closedir(dp);
    }
    rmdir(dir);
    free(dir);
}

static char *_join(const char *dir, const char *name)
{
    tz_buf p = TZ_BUF_INIT;
    assert_int_equal(tz_buf_printf(&p, "%s/%s", dir, name), 0);
    return tz_buf_take(&p);
}

static char *_slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    tz_buf b = TZ_BUF_INIT;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        assert_int_equal(tz_buf_add(&b, chunk, n), 0);
    fclose(fp);
    *len = b.len;
    return tz_buf_take(&b);
}

/* The contents of one zip entry, or NULL when the entry is absent. */
static char *_zip_part(const char *path, const char *entry, size_t *len)
{
    int zerr = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    assert_non_null(za);
    zip_stat_t st;
    char *data = NULL;
    if (zip_stat(za, entry, 0, &st) == 0) {
        zip_file_t *zf = zip_fopen(za, entry, 0);
        assert_non_null(zf);
        data = calloc(1, st.size + 1);
        assert_non_null(data);
        assert_int_equal(zip_fread(zf, data, st.size), (zip_int64_t)st.size);
        zip_fclose(zf);
        *len = st.size;
    }
    zip_close(za);
    return data;
}

/* Every zip entry's DOS time must be 1980-01-01 00:00 (fixed, deterministic). */
static void _assert_zip_times_fixed(const char *path)
{
    int zerr = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY, &zerr);
    assert_non_null(za);
    zip_int64_t n = zip_get_num_entries(za, 0);
    assert_true(n > 5);
    for (zip_int64_t i = 0; i < n; i++) {
        zip_stat_t st;
        assert_int_equal(zip_stat_index(za, (zip_uint64_t)i, 0, &st), 0);
        struct tm tm;
        localtime_r(&st.mtime, &tm);
        assert_int_equal(tm.tm_year, 80);
        assert_int_equal(tm.tm_mon, 0);
        assert_int_equal(tm.tm_mday, 1);
    }
    zip_close(za);
}

/* What the expat pass over a worksheet collects. */
typedef struct xcell {
    char ref[16];  /* cell reference, e.g. "B3" */
    char type[16]; /* t attribute ("" for numbers) */
    char *text;    /* <v> or inline <t> text */
} xcell;

typedef struct xdv {
    char sqref[64]; /* cells the validation covers */
    char type[16];  /* validation type */
    char *error;    /* error message */
    char *title;    /* error title */
    char *formula;  /* formula1 text */
} xdv;

typedef struct xsheet {
    xcell cells[64];   /* cells in document order */
    size_t ncells;     /* cells kept */
    char ysplit[16];   /* <pane ySplit> */
    char state[16];    /* <pane state> */
    xdv dv[8];         /* data validations */
    size_t ndv;        /* validations kept */
    double width[16];  /* <col> widths by 0-based column */
    char row2_ht[16];  /* ht attribute of <row r="2"> */
    tz_buf text;       /* character data of the element being read */
    int collect;       /* 1 inside <v>, <t> or <formula1> */
    long nrows;        /* <row> elements seen */
    char last_row[16]; /* r attribute of the last <row> */
} xsheet;

static const char *_attr(const char **atts, const char *name)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(atts[i], name) == 0)
            return atts[i + 1];
    return NULL;
}

static void _copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

static void XMLCALL _x_start(void *ud, const char *el, const char **atts)
{
    xsheet *s = ud;
    if (strcmp(el, "c") == 0 && s->ncells < 64) {
        xcell *c = &s->cells[s->ncells++];
        _copy(c->ref, sizeof c->ref, _attr(atts, "r"));
        _copy(c->type, sizeof c->type, _attr(atts, "t"));
    } else if (strcmp(el, "row") == 0) {
        s->nrows++;
        _copy(s->last_row, sizeof s->last_row, _attr(atts, "r"));
        if (strcmp(s->last_row, "2") == 0)
            _copy(s->row2_ht, sizeof s->row2_ht, _attr(atts, "ht"));
    } else if (strcmp(el, "pane") == 0) {
        _copy(s->ysplit, sizeof s->ysplit, _attr(atts, "ySplit"));
        _copy(s->state, sizeof s->state, _attr(atts, "state"));
    } else if (strcmp(el, "dataValidation") == 0 && s->ndv < 8) {
        xdv *v = &s->dv[s->ndv++];
        _copy(v->sqref, sizeof v->sqref, _attr(atts, "sqref"));
        _copy(v->type, sizeof v->type, _attr(atts, "type"));
        v->error = strdup(_attr(atts, "error") ? _attr(atts, "error") : "");
        v->title = strdup(_attr(atts, "errorTitle") ? _attr(atts, "errorTitle") : "");
    } else if (strcmp(el, "col") == 0) {
        int min = atoi(_attr(atts, "min")), max = atoi(_attr(atts, "max"));
        for (int i = min; i <= max && i <= 16; i++)
            s->width[i - 1] = atof(_attr(atts, "width"));
    }
    if (strcmp(el, "v") == 0 || strcmp(el, "t") == 0 || strcmp(el, "formula1") == 0) {
        s->collect = 1;
        tz_buf_reset(&s->text);
    }
}

static void XMLCALL _x_end(void *ud, const char *el)
{
    xsheet *s = ud;
    if (!s->collect)
        return;
    s->collect = 0;
    char *text = tz_buf_take(&s->text);
    if (strcmp(el, "formula1") == 0 && s->ndv > 0 && !s->dv[s->ndv - 1].formula) {
        s->dv[s->ndv - 1].formula = text;
    } else if (strcmp(el, "formula1") != 0 && s->ncells > 0 && !s->cells[s->ncells - 1].text) {
        s->cells[s->ncells - 1].text = text;
    } else {
        free(text);
    }
}

static void XMLCALL _x_chars(void *ud, const char *p, int n)
{
    xsheet *s = ud;
    if (s->collect)
        tz_buf_add(&s->text, p, (size_t)n);
}

/* Parses worksheet XML with expat (which also proves it well-formed). */
static void _parse_sheet(const char *xml, size_t len, xsheet *s)
{
    memset(s, 0, sizeof *s);
    XML_Parser p = XML_ParserCreate("UTF-8");
    assert_non_null(p);
    XML_SetUserData(p, s);
    XML_SetElementHandler(p, _x_start, _x_end);
    XML_SetCharacterDataHandler(p, _x_chars);
    assert_int_equal(XML_Parse(p, xml, (int)len, 1), XML_STATUS_OK);
    XML_ParserFree(p);
}

static void _free_sheet(xsheet *s)
{
    for (size_t i = 0; i < s->ncells; i++)
        free(s->cells[i].text);
    for (size_t i = 0; i < s->ndv; i++) {
        free(s->dv[i].error);
        free(s->dv[i].title);
        free(s->dv[i].formula);
    }
    tz_buf_free(&s->text);
}

static const xcell *_cell(const xsheet *s, const char *ref)
{
    for (size_t i = 0; i < s->ncells; i++)
        if (strcmp(s->cells[i].ref, ref) == 0)
            return &s->cells[i];
    return NULL;
}

static const xdv *_dv(const xsheet *s, const char *sqref)
{
    for (size_t i = 0; i < s->ndv; i++)
        if (strcmp(s->dv[i].sqref, sqref) == 0)
            return &s->dv[i];
    return NULL;
}

/* True when some kept diagnostic's formatted line contains needle. */
static int _diag_has(const tz_diags *d, const char *needle)
{
    for (size_t i = 0; i < d->n; i++) {
        char *line = tz_diag_format(&d->items[i]);
        int hit = strstr(line, needle) != NULL;
        free(line);
        if (hit)
            return 1;
    }
    return 0;
}

/* Writes the cols4 template plus three data rows to path. */
static void _write_template(const char *path, unsigned flags)
{
    tz_diags d = TZ_DIAGS_INIT;
    tz_writer *w = NULL;
    assert_int_equal(tz_writer_open(path, "建档立卡贫困户", cols4, 4, flags, TZ_ENC_UTF8, &w, &d),
                     0);
    const char *r1[] = {"张三", "一般贫困户", "3560.5", "是"};
    const char *r2[] = {"李四", "低保贫困户", "12345678901234567", NULL};
    const char *r3[] = {"王五", "", "-1.25e3", "否"};
    assert_int_equal(tz_writer_row(w, r1, &d), 0);
    assert_int_equal(tz_writer_row(w, r2, &d), 0);
    assert_int_equal(tz_writer_row(w, r3, &d), 0);
    assert_int_equal(tz_writer_close(w, &d), 0);
    assert_int_equal(d.n, 0);
    tz_diags_clear(&d);
}

/* ---- xlsx ---------------------------------------------------------------- */

static void test_xlsx_template_structure(void **state)
{
    char *dir = _mkdir_tmp();
    char *path = _join(dir, "households.xlsx");
    _write_template(path, TZ_WRITER_NOTES_ROW);
    assert_int_equal(_count_entries(dir, NULL), 1);

    size_t len;
    char *xml = _zip_part(path, "xl/worksheets/sheet1.xml", &len);
    assert_non_null(xml);
    xsheet s;
    _parse_sheet(xml, len, &s);

    /* Frozen below header + notes. */
    assert_string_equal(s.ysplit, "2");
    assert_string_equal(s.state, "frozen");
    /* Header and notes rows: constant-memory mode writes inline strings. */
    const xcell *c = _cell(&s, "A1");
    assert_non_null(c);
    assert_string_equal(c->type, "inlineStr");
    assert_string_equal(c->text, "户主姓名");
    assert_string_equal(_cell(&s, "C1")->text, "人均纯收入(元)");
    assert_string_equal(_cell(&s, "A2")->text, "填写户主的真实姓名");
    assert_non_null(_cell(&s, "D2")); /* blank note cell, still formatted */
    assert_null(_cell(&s, "D2")->text);
    /* Data starts on row 3; numbers in the numeric column are numbers. */
    assert_string_equal(_cell(&s, "A3")->text, "张三");
    c = _cell(&s, "C3");
    assert_string_equal(c->type, "");
    assert_true(strtod(c->text, NULL) == 3560.5);
    c = _cell(&s, "C5");
    assert_string_equal(c->type, "");
    assert_true(strtod(c->text, NULL) == -1250.0);
    /* More digits than a double holds: kept as text, every digit intact. */
    c = _cell(&s, "C4");
    assert_string_equal(c->type, "inlineStr");
    assert_string_equal(c->text, "12345678901234567");
    /* NULL and "" cells are left out. */
    assert_null(_cell(&s, "D4"));
    assert_null(_cell(&s, "B5"));
    /* Drop-downs from the first data row down to the sheet's end. */
    assert_int_equal(s.ndv, 2);
    const xdv *v = _dv(&s, "B3:B1048576");
    assert_non_null(v);
    assert_string_equal(v->type, "list");
    assert_string_equal(v->formula, "\"一般贫困户,低保贫困户,特困供养贫困户\"");
    assert_string_equal(v->error, "请从下拉列表中选择: 一般贫困户/低保贫困户/特困供养贫困户");
    assert_string_equal(v->title, "输入值无效");
    v = _dv(&s, "D3:D1048576");
    assert_non_null(v);
    assert_string_equal(v->formula, "\"是,否\"");
    assert_string_equal(v->error, "请从下拉列表中选择: 是/否");
    /* Widths fit Chinese text: 人均纯收入(元) is 6 wide + 2 narrow = 14,
     * 特困供养贫困户 is 14; plus 2 of padding. */
    assert_true(s.width[2] >= 16.0 && s.width[2] < 17.0);
    assert_true(s.width[1] >= 16.0 && s.width[1] < 17.0);
    assert_true(s.width[0] >= TZ_WRITER_MIN_WIDTH);
    /* The notes row is tall enough for the wrapped notes. */
    assert_true(s.row2_ht[0] != '\0');
    _free_sheet(&s);
    free(xml);

    /* No shared strings in constant-memory mode; styles carry the look. */
    assert_null(_zip_part(path, "xl/sharedStrings.xml", &len));
    xml = _zip_part(path, "xl/styles.xml", &len);
    assert_non_null(xml);
    assert_non_null(strstr(xml, "<name val=\"宋体\"/>"));
    assert_non_null(strstr(xml, "<b/>"));
    assert_non_null(strstr(xml, "<i/>"));
    assert_non_null(strstr(xml, "wrapText=\"1\""));
    assert_non_null(strstr(xml, "FFDDEBF7"));
    free(xml);
    xml = _zip_part(path, "xl/workbook.xml", &len);
    assert_non_null(strstr(xml, "name=\"建档立卡贫困户\""));
    assert_null(strstr(xml, "hidden"));
    free(xml);
    xml = _zip_part(path, "docProps/core.xml", &len);
    assert_non_null(strstr(xml, "2000-01-01T00:00:00Z"));
    free(xml);
    _assert_zip_times_fixed(path);

    free(path);
    _rmdir_all(dir);
}

static void test_xlsx_plain_header_freeze(void **state)
{
    char *dir = _mkdir_tmp();
    char *path = _join(dir, "out.XLSX");
    _write_template(path, 0);
    size_t len;
    char *xml = _zip_part(path, "xl/worksheets/sheet1.xml", &len);
    xsheet s;
    _parse_sheet(xml, len, &s);
    assert_string_equal(s.ysplit, "1");
    assert_non_null(strstr(xml, "<pane ySplit=\"1\" topLeftCell=\"A2\""));
    assert_string_equal(_cell(&s, "A2")->text, "张三");
    assert_non_null(_dv(&s, "B2:B1048576"));
    assert_string_equal(s.last_row, "4");
    _free_sheet(&s);
    free(xml);
    free(path);
    _rmdir_all(dir);
}

static void test_xlsx_numbers(void **state)
{
    static const tz_sheet_column cols[] = {{"金额(万元)", NULL, NULL, 1, 0, TZ_SHEET_GENERAL},
                                           {"编号", NULL, NULL, 0, 0, TZ_SHEET_GENERAL}};
    /* value, stored as a number? */
    static const struct {
        const char *in;
        int number;
    } cases[] = {
        {"12.5", 1},
        {"-3", 1},
        {"+7", 1},
        {"0.000001", 1},
        {"1e3", 1},
        {".5", 1},
        {"5.", 1},
        {"007", 1},
        {"1e999", 0},
        {"1e-999", 0},
        {"12345678901234567", 0},
        {"123456789012345", 1},
        {"1.50000000000000000000", 1},
    };
    size_t n = sizeof cases / sizeof cases[0];
    char *dir = _mkdir_tmp();
    char *path = _join(dir, "n.xlsx");
    tz_diags d = TZ_DIAGS_INIT;
    tz_writer *w = NULL;
    assert_int_equal(tz_writer_open(path, NULL, cols, 2, 0, TZ_ENC_UTF8, &w, &d), 0);
    for (size_t i = 0; i < n; i++) {
        const char *row[] = {cases[i].in, "00123"};
        assert_int_equal(tz_writer_row(w, row, &d), 0);
    }
    assert_int_equal(tz_writer_close(w, &d), 0);
    size_t len;
    char *xml = _zip_part(path, "xl/worksheets/sheet1.xml", &len);
    xsheet s;
    _parse_sheet(xml, len, &s);
    for (size_t i = 0; i < n && i < 30; i++) {
        char ref[16];
        snprintf(ref, sizeof ref, "A%zu", i + 2);
        const xcell *c = _cell(&s, ref);
        assert_non_null(c);
        if (cases[i].number) {
            assert_string_equal(c->type, "");
        } else {
            assert_string_equal(c->type, "inlineStr");
            assert_string_equal(c->text, cases[i].in);
        }
        /* A text column keeps digits as text (leading zeros survive). */
        snprintf(ref, sizeof ref, "B%zu", i + 2);
        assert_string_equal(_cell(&s, ref)->type, "inlineStr");
        assert_string_equal(_cell(&s, ref)->text, "00123");
    }
    _free_sheet(&s);
    free(xml);
    free(path);
    _rmdir_all(dir);
    tz_diags_clear(&d);
}

/* A numeric column holds numbers only: anything else is refused, in both
 * formats, and no file is published. */
static void test_numeric_column_refuses_text(void **state)
{
    static const tz_sheet_column cols[] = {{"金额(万元)", NULL, NULL, 1, 0, TZ_SHEET_GENERAL},
                                           {"编号", NULL, NULL, 0, 0, TZ_SHEET_GENERAL}};
    static const char *const bad[] = {
        "1,000", " 5",       "5 ",  "0x10", "inf",   "nan",
        "1e",    "-",        ".",   "五",   "不详",  "-2+3+cmd|' /C calc'!A0",
        "=1+1",  "@SUM(A1)", "\t5", "5\r",  "1e3e3", "--5",
    };
    static const char *const exts[] = {"n.csv", "n.xlsx"};
    char *dir = _mkdir_tmp();
    for (size_t k = 0; k < 2; k++) {
        char *path = _join(dir, exts[k]);
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            tz_diags d = TZ_DIAGS_INIT;
            tz_writer *w = NULL;
            assert_int_equal(tz_writer_open(path, NULL, cols, 2, 0, TZ_ENC_UTF8, &w, &d), 0);
            const char *row[] = {bad[i], "x"};
            assert_int_equal(tz_writer_row(w, row, &d), -1);
            assert_int_equal(d.nerrors, 1);
            assert_true(_diag_has(&d, "第2行 金额(万元)"));
            assert_true(_diag_has(&d, "数值列的内容不是数字，拒绝导出"));
            assert_int_equal(tz_writer_close(w, &d), -1);
            assert_int_equal(_count_entries(dir, NULL), 0);
            tz_diags_clear(&d);
        }
        free(path);
    }
    _rmdir_all(dir);
}

static void test_xlsx_long_list_hidden_sheet(void **state)
{
    /* Target names: about 400 bytes joined, past Excel's inline limit and
     * past libxlsxwriter 1.1.4's 258-byte buffer. */
    static const char *const targets[] = {"户户通安装户数",
                                          "村级文化服务中心覆盖率(%)",
                                          "实际利用外资(万美元)",
                                          "实际利用省外资金(万元)",
                                          "实际利用外资增长率(%)",
                                          "实际利用省外资金增长率(%)",
                                          "引进3亿元以上项目数",
                                          "引进3亿元以上工业项目数",
                                          "引进主导产业3亿元以上工业项目数",
                                          "引进5亿元以上工业项目数",
                                          "力争引进10亿元以上主导产业项目数",
                                          "引进1亿元以上项目数",
                                          NULL};
    static const char *const commas[] = {"a,b", "c", NULL};
    static const tz_sheet_column cols[] = {{"责任单位", NULL, NULL, 0, 0, TZ_SHEET_GENERAL},
                                           {"指标", targets, NULL, 0, 0, TZ_SHEET_GENERAL},
                                           {"带逗号", commas, NULL, 0, 0, TZ_SHEET_GENERAL},
                                           {"是否", yes_no, NULL, 0, 0, TZ_SHEET_GENERAL}};
    char *dir = _mkdir_tmp();
    char *path = _join(dir, "targets.xlsx");
    tz_diags d = TZ_DIAGS_INIT;
    tz_writer *w = NULL;
    assert_int_equal(tz_writer_open(path, "目标任务", cols, 4, 0, TZ_ENC_UTF8, &w, &d), 0);
    const char *row[] = {"招商局", targets[3], "c", "是"};
    assert_int_equal(tz_writer_row(w, row, &d), 0);
    assert_int_equal(tz_writer_close(w, &d), 0);

    size_t len;
    char *xml = _zip_part(path, "xl/workbook.xml", &len);
    assert_non_null(strstr(xml, "<sheet name=\"下拉选项\" sheetId=\"2\" state=\"hidden\""));
    free(xml);
    xml = _zip_part(path, "xl/worksheets/sheet1.xml", &len);
    xsheet s;
    _parse_sheet(xml, len, &s);
    const xdv *v = _dv(&s, "B2:B1048576");
    assert_non_null(v);
    assert_string_equal(v->type, "list");
    assert_string_equal(v->formula, "'下拉选项'!$B$1:$B$12");
    /* The message is cut at a whole choice within 255 characters. */
    assert_non_null(strstr(v->error, "户户通安装户数/村级文化服务中心覆盖率(%)"));
    v = _dv(&s, "C2:C1048576");
    assert_string_equal(v->type, "list");
    assert_string_equal(v->formula, "'下拉选项'!$C$1:$C$2");
    v = _dv(&s, "D2:D1048576");
    assert_string_equal(v->formula, "\"是,否\"");
    /* The widest choice (32 wide + 2) decides column B, under the cap. */
    assert_true(s.width[1] >= 34.0 && s.width[1] <= TZ_WRITER_MAX_WIDTH + 1);
    _free_sheet(&s);
    free(xml);
    xml = _zip_part(path, "xl/worksheets/sheet2.xml", &len);
    _parse_sheet(xml, len, &s);
    assert_string_equal(_cell(&s, "B1")->text, "户户通安装户数");
    assert_string_equal(_cell(&s, "B12")->text, "引进1亿元以上项目数");
    assert_string_equal(_cell(&s, "C1")->text, "a,b");
    assert_null(_cell(&s, "C3"));
    assert_null(_cell(&s, "A1"));
    _free_sheet(&s);
    free(xml);
    free(path);
    _rmdir_all(dir);
    tz_diags_clear(&d);
}

static void test_xlsx_error_message_cut(void **state)
{
    /* 60 choices of 5 characters: the message would be 360 characters. */
    static char items[60][32];
    static const char *list[61];
    for (int i = 0; i < 60; i++) {
        snprintf(items[i], sizeof items[i], "选项%03d", i);
        list[i] = items[i];
    }
    list[60] = NULL;
    const tz_sheet_column cols[] = {{"类别", list, NULL, 0, 0, TZ_SHEET_GENERAL}};
    char *dir = _mkdir_tmp();
    char *path = _join(dir, "many.xlsx");
    tz_diags d = TZ_DIAGS_INIT;
    tz_writer *w = NULL;
    assert_int_equal(tz_writer_open(path, NULL, cols, 1, 0, TZ_ENC_UTF8, &w, &d), 0);
    assert_int_equal(tz_writer_close(w, &d), 0);
    size_t len;
    char *xml = _zip_part(path, "xl/worksheets/sheet1.xml", &len);
    xsheet s;
    _parse_sheet(xml, len, &s);
    const char *err = _dv(&s, "A2:A1048576")->error;
    size_t chars = 0;
    for (const char *p = err; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    assert_true(chars <= 255 && chars > 200);
    assert_non_null(strstr(err, "选项000/选项001/"));
    size_t elen = strlen(err);
    assert_true(elen > 4 && strcmp(err + elen - 4, "/…") == 0);
    _free_sheet(&s);
    free(xml);
    free(path);
    _rmdir_all(dir);
    tz_diags_clear(&d);
}

static void test_xlsx_deterministic(void **state)
{
    char *dir = _mkdir_tmp();
    char *a = _join(dir, "a.xlsx"), *b = _join(dir, "b.xlsx");
    _write_template(a, TZ_WRITER_NOTES_ROW);
    /* More than a second apart, so any clock in the output would differ. */
    struct timespec pause = {1, 100 * 1000 * 1000};
    nanosleep(&pause, NULL);
    _write_template(b, TZ_WRITER_NOTES_ROW);
    size_t la, lb;
    char *da = _slurp(a, &la), *db = _slurp(b, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(da, db, la);
    free(da);
    free(db);
    free(a);
    free(b);
    _rmdir_all(dir);
}

static void test_xlsx_bad_sheet_name(void **state)
{
    char *dir = _mkdir_tmp();
    char *path = _join(dir, "x.xlsx");
    tz_diags d = TZ_DIAGS_INIT;
    tz_writer *w = (tz_writer *)1;
    assert_int_equal(tz_writer_open(path, "a[1]", cols4, 4, 0, TZ_ENC_UTF8, &w, &d), -1);
    assert_null(w);
    assert_true(_diag_has(&d, "x.xlsx"));
    assert_true(_diag_has(&d, "工作表名称无效"));
    assert_int_equal(_count_entries(dir, NULL), 0);
    tz_diags_clear(&d);
    free(path);
    _rmdir_all(dir);
}

/* Memory must stay flat: 300 000 rows in constant-memory mode. */
static void test_xlsx_many_rows(void **state)
{
    static const tz_sheet_column cols[] = {{"户编号", NULL, NULL, 0, 0, TZ_SHEET_GENERAL},
                                           {"户主姓名", NULL, NULL, 0, 0, TZ_SHEET_GENERAL},
                                           {"家庭人口", NULL, NULL, 1, 0, TZ_SHEET_GENERAL},
                                           {"脱贫", yes_no, NULL, 0, 0, TZ_SHEET_GENERAL}};
    char *dir = _mkdir_tmp();
    char *path = _join(dir, "big.xlsx");
    tz_diags d = TZ_DIAGS_INIT;
    tz_writer *w = NULL;
    struct rusage ru;
    assert_int_equal(tz_writer_open(path, NULL, cols, 4, 0, TZ_ENC_UTF8, &w, &d), 0);
    char id[32], num[16];
    const char *row[] = {id, "张三丰", num, "是"};
    long rss_at_1000 = 0;
    for (long i = 0; i < 300000; i++) {
        snprintf(id, sizeof id, "4116280%09ld", i);
        snprintf(num, sizeof num, "%ld", i % 9 + 1);
        assert_int_equal(tz_writer_row(w, row, &d), 0);
        if (i == 1000) {
            getrusage(RUSAGE_SELF, &ru);
            rss_at_1000 = ru.ru_maxrss;
        }
    }
    getrusage(RUSAGE_SELF, &ru);
    /* Peak RSS may grow by at most 16 MiB after the first thousand rows
     * (300k rows held in memory take well over 100 MiB). Not under ASan,
     * whose quarantine keeps freed memory resident by design. */
    long grown_kb = ru.ru_maxrss - rss_at_1000;
#ifndef __SANITIZE_ADDRESS__
    assert_true(grown_kb < 16 * 1024);
#else
    (void)grown_kb;
#endif
    assert_int_equal(tz_writer_close(w, &d), 0);
    int zerr = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    assert_non_null(za);
    zip_stat_t st;
    assert_int_equal(zip_stat(za, "xl/worksheets/sheet1.xml", 0, &st), 0);
    zip_file_t *zf = zip_fopen(za, "xl/worksheets/sheet1.xml", 0);
    /* The last row is the 300 001st (header + data). */
    char tail[4096];
    zip_uint64_t total = 0;
    zip_int64_t n;
    tz_buf last = TZ_BUF_INIT;
    while ((n = zip_fread(zf, tail, sizeof tail)) > 0) {
        total += (zip_uint64_t)n;
        tz_buf_reset(&last);
        tz_buf_add(&last, tail, (size_t)n);
    }
    assert_int_equal(total, st.size);
    assert_non_null(strstr(tz_buf_str(&last), "<row r=\"300001\""));
    tz_buf_free(&last);
    zip_fclose(zf);
    zip_close(za);
    free(path);
    _rmdir_all(dir);
    tz_diags_clear(&d);
}

/* ---- csv ----------------------------------------------------------------- */

static const tz_sheet_column csv_cols[] = {
    {"项目名称", NULL, "项目全称", 0, 0, TZ_SHEET_GENERAL},
    {"投资方", NULL, NULL, 0, 0, TZ_SHEET_GENERAL},
    {"总投资(亿元)", NULL, "单位:亿元, 保留两位小数", 1, 0, TZ_SHEET_GENERAL},
};

static void test_csv_utf8_bom_quoting(void **state)
{
    char *dir = _mkdir_tmp();
    char *path = _join(dir, "projects.csv");
    tz_diags d = TZ_DIAGS_INIT;
    tz_writer *w = NULL;
    assert_int_equal(
        tz_writer_open(path, "ignored", csv_cols, 3, TZ_WRITER_NOTES_ROW, TZ_ENC_UTF8, &w, &d), 0);
    const char *r1[] = {"新能源汽车零部件项目", "某某集团, 有限公司", "3.50"};
    const char *r2[] = {"他说\"好\"", "第一行\n第二行", NULL};
    const char *r3[] = {NULL, "回车\r在此", ""};
    assert_int_equal(tz_writer_row(w, r1, &d), 0);
    assert_int_equal(tz_writer_row(w, r2, &d), 0);
    assert_int_equal(tz_writer_row(w, r3, &d), 0);
    assert_int_equal(tz_writer_row(w, NULL, &d), 0);
    assert_int_equal(tz_writer_close(w, &d), 0);
    assert_int_equal(d.n, 0);
    static const char want[] = "\xEF\xBB\xBF"
                               "项目名称,投资方,总投资(亿元)\r\n"
                               "项目全称,,\"单位:亿元, 保留两位小数\"\r\n"
                               "新能源汽车零部件项目,\"某某集团, 有限公司\",3.50\r\n"
                               "\"他说\"\"好\"\"\",\"第一行\n第二行\",\r\n"
                               ",\"回车\r在此\",\r\n"
                               ",,\r\n";
    size_t len;
    char *got = _slurp(path, &len);
    assert_int_equal(len, sizeof want - 1);
    assert_memory_equal(got, want, len);
    free(got);
    assert_int_equal(_count_entries(dir, NULL), 1);
    free(path);
    _rmdir_all(dir);
    tz_diags_clear(&d);
}

static char *_to_gb18030(const char *in, size_t inlen, size_t *outlen);

/* Text that a spreadsheet would run as a formula goes out behind an
 * apostrophe in text columns, whatever follows the lead character ("-2+3+cmd"
 * was let through when '-' was followed by a digit); numeric columns hold
 * plain numbers and are written as they are. */
static void test_csv_formula_guard(void **state)
{
    static const tz_sheet_column cols[] = {{"项目名称", NULL, NULL, 0, 0, TZ_SHEET_GENERAL},
                                           {"总投资(亿元)", NULL, NULL, 1, 0, TZ_SHEET_GENERAL}};
    static const struct {
        const char *text; /* text column cell */
        const char *num;  /* numeric column cell */
        const char *line; /* expected CSV line (UTF-8) */
    } cases[] = {
        {"-2+3+cmd|' /C calc'!A0", "-2", "'-2+3+cmd|' /C calc'!A0,-2\r\n"},
        {"=HYPERLINK(\"http://x\")", "3.5", "\"'=HYPERLINK(\"\"http://x\"\")\",3.5\r\n"},
        {"+1", "+1", "'+1,+1\r\n"},
        {"-5", "-5", "'-5,-5\r\n"},
        {"-.5", "-.5", "'-.5,-.5\r\n"},
        {"@SUM(A1:A9)", "1e3", "'@SUM(A1:A9),1e3\r\n"},
        {"\t=1+1", NULL, "'\t=1+1,\r\n"},
        {"\r=1+1", NULL, "\"'\r=1+1\",\r\n"},
        {"=1,2", NULL, "\"'=1,2\",\r\n"},
        {"普通-文字=1", NULL, "普通-文字=1,\r\n"},
        {"'已有撇号", NULL, "'已有撇号,\r\n"},
        {" =1", NULL, " =1,\r\n"},
    };
    static const tz_encoding encs[] = {TZ_ENC_UTF8, TZ_ENC_GB18030};
    char *dir = _mkdir_tmp();
    char *path = _join(dir, "guard.csv");
    for (size_t e = 0; e < 2; e++) {
        tz_diags d = TZ_DIAGS_INIT;
        tz_writer *w = NULL;
        assert_int_equal(tz_writer_open(path, NULL, cols, 2, 0, encs[e], &w, &d), 0);
        tz_buf want = TZ_BUF_INIT;
        if (encs[e] == TZ_ENC_UTF8)
            tz_buf_puts(&want, "\xEF\xBB\xBF");
        tz_buf_puts(&want, "项目名称,总投资(亿元)\r\n");
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            const char *row[] = {cases[i].text, cases[i].num};
            assert_int_equal(tz_writer_row(w, row, &d), 0);
            tz_buf_puts(&want, cases[i].line);
        }
        assert_int_equal(tz_writer_close(w, &d), 0);
        assert_int_equal(d.n, 0);
        size_t len, wlen = want.len;
        char *got = _slurp(path, &len);
        char *expect =
            encs[e] == TZ_ENC_UTF8 ? tz_buf_take(&want) : _to_gb18030(want.data, want.len, &wlen);
        assert_int_equal(len, wlen);
        assert_memory_equal(got, expect, len);
        free(got);
        free(expect);
        tz_buf_free(&want);
        tz_diags_clear(&d);
    }
    free(path);
    _rmdir_all(dir);
}

/* In xlsx, text is a string cell, which no spreadsheet evaluates: it is
 * written exactly as it is, with no apostrophe and no formula element. */
static void test_xlsx_formula_text_is_string(void **state)
{
    static const tz_sheet_column cols[] = {{"项目名称", NULL, NULL, 0, 0, TZ_SHEET_GENERAL},
                                           {"总投资(亿元)", NULL, NULL, 1, 0, TZ_SHEET_GENERAL}};
    char *dir = _mkdir_tmp();
    char *path = _join(dir, "guard.xlsx");
    tz_diags d = TZ_DIAGS_INIT;
    tz_writer *w = NULL;
    assert_int_equal(tz_writer_open(path, NULL, cols, 2, 0, TZ_ENC_UTF8, &w, &d), 0);
    const char *r1[] = {"-2+3+cmd|' /C calc'!A0", "-2"};
    const char *r2[] = {"=1+1", NULL};
    assert_int_equal(tz_writer_row(w, r1, &d), 0);
    assert_int_equal(tz_writer_row(w, r2, &d), 0);
    assert_int_equal(tz_writer_close(w, &d), 0);
    size_t len;
    char *xml = _zip_part(path, "xl/worksheets/sheet1.xml", &len);
    assert_null(strstr(xml, "<f>"));
    assert_null(strstr(xml, "<f "));
    xsheet s;
    _parse_sheet(xml, len, &s);
    assert_string_equal(_cell(&s, "A2")->type, "inlineStr");
    assert_string_equal(_cell(&s, "A2")->text, "-2+3+cmd|' /C calc'!A0");
    assert_string_equal(_cell(&s, "B2")->type, "");
    assert_string_equal(_cell(&s, "B2")->text, "-2");
    assert_string_equal(_cell(&s, "A3")->type, "inlineStr");
    assert_string_equal(_cell(&s, "A3")->text, "=1+1");
    _free_sheet(&s);
    free(xml);
    free(path);
    _rmdir_all(dir);
    tz_diags_clear(&d);
}

/* Converts UTF-8 text to GB18030 with glibc iconv, independently of the
 * writer. Caller frees. */
static char *_to_gb18030(const char *in, size_t inlen, size_t *outlen)
{
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    assert_true(cd != (iconv_t)-1);
    size_t cap = inlen * 4 + 16;
    char *out = malloc(cap);
    char *ip = (char *)in, *op = out;
    size_t il = inlen, ol = cap;
    assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
    iconv_close(cd);
    *outlen = (size_t)(op - out);
    return out;
}

static void test_csv_gb18030(void **state)
{
    char *dir = _mkdir_tmp();
    char *path = _join(dir, "gb.csv");
    tz_diags d = TZ_DIAGS_INIT;
    tz_writer *w = NULL;
    assert_int_equal(tz_writer_open(path, NULL, csv_cols, 3, 0, TZ_ENC_GB18030, &w, &d), 0);
    /* Includes a 4-byte GB18030 character (U+1F600) and one from CJK ext. B. */
    const char *r1[] = {"中国\"招商\"", "𠀀集团,😀", "12"};
    assert_int_equal(tz_writer_row(w, r1, &d), 0);
    assert_int_equal(tz_writer_close(w, &d), 0);
    static const char want_utf8[] = "项目名称,投资方,总投资(亿元)\r\n"
                                    "\"中国\"\"招商\"\"\",\"𠀀集团,😀\",12\r\n";
    size_t wlen, glen;
    char *want = _to_gb18030(want_utf8, sizeof want_utf8 - 1, &wlen);
    char *got = _slurp(path, &glen);
    assert_int_equal(glen, wlen);
    assert_memory_equal(got, want, glen);
    /* No BOM; 项 is C F EE in GB18030. */
    assert_memory_equal(got, "\xCF\xEE", 2);
    /* 中 is D6 D0. */
    assert_non_null(memmem(got, glen, "\"\xD6\xD0", 3));
    free(want);
    free(got);
    free(path);
    _rmdir_all(dir);
    tz_diags_clear(&d);
}

static void test_csv_gb18030_unrepresentable(void **state)
{
    char *dir = _mkdir_tmp();
    char *path = _join(dir, "bad.csv");
    tz_diags d = TZ_DIAGS_INIT;
    tz_writer *w = NULL;
    assert_int_equal(tz_writer_open(path, NULL, csv_cols, 3, 0, TZ_ENC_GB18030, &w, &d), 0);
    const char *ok[] = {"正常", "行", "1"};
    /* U+E78D is a private-use code point that GB18030-2005 moved to a
     * standard character (︐); glibc has no GB18030 form for it. */
    const char *pua[] = {"项目\xEE\x9E\x8D", "x", "2"};
    /* Not UTF-8 at all. */
    const char *raw[] = {"ok", "\xC4\xE3\xBA\xC3", "3"};
    assert_int_equal(tz_writer_row(w, ok, &d), 0);
    assert_int_equal(tz_writer_row(w, pua, &d), -1);
    assert_int_equal(tz_writer_row(w, raw, &d), -1);
    assert_int_equal(d.nerrors, 2);
    char *line = tz_diag_format(&d.items[0]);
    assert_string_equal(line, "bad.csv 第3行 项目名称 \"项目\xEE\x9E\x8D\": "
                              "含有无法用GB18030编码表示的字符(U+E78D)，请改用UTF-8导出");
    free(line);
    line = tz_diag_format(&d.items[1]);
    assert_string_equal(line, "bad.csv 第4行 投资方 \"\\xC4\\xE3\\xBA\\xC3\": "
                              "不是有效的UTF-8文字，无法写出");
    free(line);
    /* A row failed: close refuses to publish a file missing rows. */
    assert_int_equal(tz_writer_close(w, &d), -1);
    assert_true(_diag_has(&d, "bad.csv: 因上述错误，文件未生成"));
    assert_int_equal(_count_entries(dir, NULL), 0);
    free(path);
    _rmdir_all(dir);
    tz_diags_clear(&d);
}

/* ---- temporary file, rename, errors ------------------------------------ */

/* Number of open file descriptors of this process. */
static int _count_fds(void)
{
    return _count_entries("/proc/self/fd", NULL);
}

static void test_abort_leaves_nothing(void **state)
{
    static const char *const exts[] = {"t.xlsx", "t.csv"};
    /* The comma forces the hidden list sheet: two row files to release. */
    static const char *const kinds[] = {"甲,乙", "丙", NULL};
    static const tz_sheet_column cols[] = {{"户主姓名", NULL, NULL, 0, 0, TZ_SHEET_GENERAL},
                                           {"类别", kinds, NULL, 0, 0, TZ_SHEET_GENERAL}};
    int fds = _count_fds();
    for (size_t k = 0; k < 2; k++) {
        char *dir = _mkdir_tmp();
        char *path = _join(dir, exts[k]);
        tz_diags d = TZ_DIAGS_INIT;
        tz_writer *w = NULL;
        assert_int_equal(tz_writer_open(path, NULL, cols, 2, 0, TZ_ENC_UTF8, &w, &d), 0);
        const char *r[] = {"张三", "丙"};
        assert_int_equal(tz_writer_row(w, r, &d), 0);
        assert_int_equal(tz_writer_row(w, r, &d), 0);
        /* Only a hidden temporary file exists while writing. */
        char *name = NULL;
        assert_int_equal(_count_entries(dir, &name), 1);
        assert_true(name[0] == '.');
        assert_non_null(strstr(name, exts[k]));
        assert_non_null(strstr(name, ".taizhang-tmp."));
        free(name);
        struct stat st;
        assert_int_equal(stat(path, &st), -1);
        tz_writer_abort(w);
        assert_int_equal(_count_entries(dir, NULL), 0);
        /* Every descriptor, libxlsxwriter's row files included, is closed. */
        assert_int_equal(_count_fds(), fds);
        tz_writer_abort(NULL);
        assert_int_equal(tz_writer_close(NULL, &d), 0);
        assert_int_equal(d.n, 0);
        free(path);
        _rmdir_all(dir);
    }
}

static void test_failed_export_keeps_old_file(void **state)
{
    char *dir = _mkdir_tmp();
    char *path = _join(dir, "keep.csv");
    FILE *fp = fopen(path, "wb");
    fputs("old", fp);
    fclose(fp);
    tz_diags d = TZ_DIAGS_INIT;
    tz_writer *w = NULL;
    assert_int_equal(tz_writer_open(path, NULL, csv_cols, 3, 0, TZ_ENC_UTF8, &w, &d), 0);
    const char *bad[] = {"\xFF", NULL, NULL};
    assert_int_equal(tz_writer_row(w, bad, &d), -1);
    assert_int_equal(tz_writer_close(w, &d), -1);
    size_t len;
    char *got = _slurp(path, &len);
    assert_int_equal(len, 3);
    assert_memory_equal(got, "old", 3);
    free(got);
    assert_int_equal(_count_entries(dir, NULL), 1);
    /* A good export replaces it. */
    assert_int_equal(tz_writer_open(path, NULL, csv_cols, 3, 0, TZ_ENC_UTF8, &w, &d), 0);
    assert_int_equal(tz_writer_close(w, &d), 0);
    got = _slurp(path, &len);
    assert_memory_equal(got, "\xEF\xBB\xBF项目名称", 15);
    free(got);
    assert_int_equal(_count_entries(dir, NULL), 1);
    free(path);
    _rmdir_all(dir);
    tz_diags_clear(&d);
}

static void test_open_errors(void **state)
{
    tz_diags d = TZ_DIAGS_INIT;
    tz_writer *w = NULL;
    assert_int_equal(
        tz_writer_open("/nonexistent-tz-dir/sub/户.xlsx", NULL, cols4, 4, 0, TZ_ENC_UTF8, &w, &d),
        -1);
    assert_null(w);
    char *line = tz_diag_format(&d.items[0]);
    assert_string_equal(line,
                        "户.xlsx: 无法在目录\"/nonexistent-tz-dir/sub\"中创建文件: 所在目录不存在");
    free(line);
    tz_diags_clear(&d);

    assert_int_equal(tz_writer_open("/tmp/x.txt", NULL, cols4, 4, 0, TZ_ENC_UTF8, &w, &d), -1);
    assert_true(_diag_has(&d, "x.txt: 不支持的导出格式"));
    tz_diags_clear(&d);

    assert_int_equal(tz_writer_open("/tmp/x.csv", NULL, cols4, 0, 0, TZ_ENC_UTF8, &w, &d), -1);
    assert_true(_diag_has(&d, "没有要导出的列"));
    tz_diags_clear(&d);

    static const tz_sheet_column nohead[] = {{NULL, NULL, NULL, 0, 0, TZ_SHEET_GENERAL}};
    assert_int_equal(tz_writer_open("/tmp/x.csv", NULL, nohead, 1, 0, TZ_ENC_UTF8, &w, &d), -1);
    assert_true(_diag_has(&d, "第1列没有列名"));
    tz_diags_clear(&d);

    /* A directory with the file's name: the rename fails at close. */
    char *dir = _mkdir_tmp();
    char *path = _join(dir, "d.csv");
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(tz_writer_open(path, NULL, csv_cols, 3, 0, TZ_ENC_UTF8, &w, &d), 0);
    assert_int_equal(tz_writer_close(w, &d), -1);
    assert_true(_diag_has(&d, "d.csv: 无法保存文件: 已有同名的文件夹"));
    assert_int_equal(_count_entries(dir, NULL), 1);
    rmdir(path);
    free(path);
    _rmdir_all(dir);
    tz_diags_clear(&d);
}

/* Runs fn(path) in a child whose file size limit is 64 KiB, as a full disk
 * would stop it, and returns the child's exit status (fn's result). */
static int _in_child_with_small_limit(int (*fn)(const char *), const char *path)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {64 * 1024, 64 * 1024};
        setrlimit(RLIMIT_FSIZE, &rl);
        exit(fn(path));
    }
    int ws = 0;
    assert_int_equal(waitpid(pid, &ws, 0), pid);
    assert_true(WIFEXITED(ws));
    return WEXITSTATUS(ws);
}

/* Exports 20 000 rows to path; 0 when the export fails cleanly with the
 * expected diagnostic, else a non-zero code naming what went wrong. */
static int _export_rows(const char *path)
{
    tz_diags d = TZ_DIAGS_INIT;
    tz_writer *w = NULL;
    int status = 10;
    if (tz_writer_open(path, NULL, csv_cols, 3, 0, TZ_ENC_UTF8, &w, &d) != 0)
        return 11;
    char num[32];
    const char *row[] = {"年产十万台新能源汽车零部件项目", "某某集团有限公司", num};
    int failed = 0;
    for (int i = 0; i < 20000 && !failed; i++) {
        snprintf(num, sizeof num, "%d.25", i);
        failed = tz_writer_row(w, row, &d) != 0;
    }
    int rc = tz_writer_close(w, &d);
    const char *slash = strrchr(path, '/');
    if (rc == -1 && failed && _diag_has(&d, "文件超过系统允许的大小") && _diag_has(&d, slash + 1))
        status = 0;
    tz_diags_clear(&d);
    return status;
}

/* Exports a header-only sheet whose 100 drop-downs make the sheet part pass
 * 64 KiB while libxlsxwriter assembles it, after every row went through. */
static int _export_wide_validations(const char *path)
{
    static char heads[100][32], items[60][32];
    static const char *list[61];
    static tz_sheet_column cols[100];
    for (int i = 0; i < 60; i++) {
        snprintf(items[i], sizeof items[i], "选项%03d", i);
        list[i] = items[i];
    }
    for (int i = 0; i < 100; i++) {
        snprintf(heads[i], sizeof heads[i], "列%03d", i);
        cols[i].header = heads[i];
        cols[i].choices = list;
    }
    tz_diags d = TZ_DIAGS_INIT;
    tz_writer *w = NULL;
    int status = 10;
    if (tz_writer_open(path, NULL, cols, 100, 0, TZ_ENC_UTF8, &w, &d) != 0)
        return 11;
    const char *row[100] = {"选项001"};
    if (tz_writer_row(w, row, &d) != 0)
        return 12;
    if (tz_writer_close(w, &d) == -1 && _diag_has(&d, "wide.xlsx: 生成xlsx文件失败: 内容不完整"))
        status = 0;
    tz_diags_clear(&d);
    return status;
}

static void test_disk_full(void **state)
{
    char *dir = _mkdir_tmp();
    char *path = _join(dir, "big.csv");
    assert_int_equal(_in_child_with_small_limit(_export_rows, path), 0);
    assert_int_equal(_count_entries(dir, NULL), 0);
    free(path);
    /* xlsx rows stream to libxlsxwriter's temporary file first. */
    path = _join(dir, "big.xlsx");
    assert_int_equal(_in_child_with_small_limit(_export_rows, path), 0);
    assert_int_equal(_count_entries(dir, NULL), 0);
    free(path);
    /* libxlsxwriter cuts a part off silently; the read-back catches it. */
    path = _join(dir, "wide.xlsx");
    assert_int_equal(_in_child_with_small_limit(_export_wide_validations, path), 0);
    assert_int_equal(_count_entries(dir, NULL), 0);
    free(path);
    _rmdir_all(dir);
}

/* ---- helpers ------------------------------------------------------------- */

static void test_display_width(void **state)
{
    assert_int_equal(tz_text_width(NULL), 0);
    assert_int_equal(tz_text_width(""), 0);
    assert_int_equal(tz_text_width("abc"), 3);
    assert_int_equal(tz_text_width("户主姓名"), 8);
    assert_int_equal(tz_text_width("人均纯收入(元)"), 14);
    assert_int_equal(tz_text_width("（元）、。"), 10);
    assert_int_equal(tz_text_width("𠀀"), 2);
    assert_int_equal(tz_text_width("\xFF\xFE"), 2);
}

static void test_printable(void **state)
{
    /* the decoding itself is tested in test_text.c */
    char *p = tz_writer__printable("a\xFF中");
    assert_string_equal(p, "a\\xFF中");
    free(p);
}

/* Dates go to xlsx as serials of the 1900 system (Excel's fictitious
 * 1900-02-29 counted), only for exactly YYYY-MM-DD of a real day. */
static void test_date_serial(void **state)
{
    double v = -1;
    assert_int_equal(tz_writer__date_serial("2019-06-01", &v), 1);
    assert_true(v == 43617.0);
    assert_int_equal(tz_writer__date_serial("1900-01-01", &v), 1);
    assert_true(v == 1.0);
    assert_int_equal(tz_writer__date_serial("1900-02-28", &v), 1);
    assert_true(v == 59.0);
    assert_int_equal(tz_writer__date_serial("1900-03-01", &v), 1);
    assert_true(v == 61.0);
    assert_int_equal(tz_writer__date_serial("2020-02-29", &v), 1);
    assert_true(v == 43890.0);
    assert_int_equal(tz_writer__date_serial("9999-12-31", &v), 1);
    assert_true(v == 2958465.0);
    static const char *const bad[] = {"",           "2019-6-1",    "2019-06-01 ", "2019/06/01",
                                      "2019-02-29", "2019-13-01",  "1899-12-31",  "2019-06-0x",
                                      "2019-06",    "20190601000", "+019-06-01",  "２０１９-06-01"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = -1;
        assert_int_equal(tz_writer__date_serial(bad[i], &v), 0);
        assert_true(v == -1);
    }
}

/* A CSV has no cell formats: Text and date columns are written as they are. */
static void test_csv_ignores_formats(void **state)
{
    static const tz_sheet_column fcols[] = {
        {.header = "身份证号", .format = TZ_SHEET_TEXT},
        {.header = "日期", .format = TZ_SHEET_DATE},
    };
    char *dir = _mkdir_tmp();
    char *path = _join(dir, "f.csv");
    tz_diags d = TZ_DIAGS_INIT;
    tz_writer *w = NULL;
    assert_int_equal(tz_writer_open(path, NULL, fcols, 2, 0, TZ_ENC_UTF8, &w, &d), 0);
    const char *r1[] = {"411628199001011234", "2019-06-01"};
    const char *r2[] = {"0001", "不是日期"};
    assert_int_equal(tz_writer_row(w, r1, &d), 0);
    assert_int_equal(tz_writer_row(w, r2, &d), 0);
    assert_int_equal(tz_writer_close(w, &d), 0);
    static const char want[] = "\xEF\xBB\xBF"
                               "身份证号,日期\r\n"
                               "411628199001011234,2019-06-01\r\n"
                               "0001,不是日期\r\n";
    size_t len;
    char *got = _slurp(path, &len);
    assert_int_equal(len, sizeof want - 1);
    assert_memory_equal(got, want, len);
    free(got);
    free(path);
    _rmdir_all(dir);
    tz_diags_clear(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xlsx_template_structure),
        cmocka_unit_test(test_xlsx_plain_header_freeze),
        cmocka_unit_test(test_xlsx_numbers),
        cmocka_unit_test(test_numeric_column_refuses_text),
        cmocka_unit_test(test_xlsx_long_list_hidden_sheet),
        cmocka_unit_test(test_xlsx_error_message_cut),
        cmocka_unit_test(test_xlsx_deterministic),
        cmocka_unit_test(test_xlsx_bad_sheet_name),
        cmocka_unit_test(test_xlsx_many_rows),
        cmocka_unit_test(test_csv_utf8_bom_quoting),
        cmocka_unit_test(test_csv_gb18030),
        cmocka_unit_test(test_csv_formula_guard),
        cmocka_unit_test(test_xlsx_formula_text_is_string),
        cmocka_unit_test(test_csv_gb18030_unrepresentable),
        cmocka_unit_test(test_abort_leaves_nothing),
        cmocka_unit_test(test_failed_export_keeps_old_file),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_disk_full),
        cmocka_unit_test(test_display_width),
        cmocka_unit_test(test_printable),
        cmocka_unit_test(test_date_serial),
        cmocka_unit_test(test_csv_ignores_formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
