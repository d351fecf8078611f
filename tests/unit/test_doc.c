/* test_doc.c - unit tests of the report document model (io/doc.h), the
 * Word writer (io/docx.h) and the Markdown/HTML renderers (report/render.h).
 *
 * Set TZ_DOC_KEEP_DIR=<dir> to keep the sample report as sample.docx,
 * sample.md and sample.html in <dir> (tests/blackbox/test_docx_pdf.sh uses it
 * to check the .docx in LibreOffice).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "io/docx.h"
#include "io/doc.h"
#include "report/render.h"
#include "util/buf.h"
#include "util/diag.h"

#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

/* ---- helpers ----------------------------------------------------------- */

/* A fresh temporary directory per test run. */
static char g_dir[256];

static void _path(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", g_dir, name);
}

/* Reads one zip entry into a NUL-terminated string (caller frees), or NULL. */
static char *_zip_read(const char *zpath, const char *entry, size_t *lenp)
{
    int err = 0;
    zip_t *za = zip_open(zpath, ZIP_RDONLY, &err);
    if (!za)
        return NULL;
    zip_stat_t st;
    char *buf = NULL;
    if (zip_stat(za, entry, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE)) {
        zip_file_t *zf = zip_fopen(za, entry, 0);
        if (zf) {
            buf = malloc(st.size + 1);
            if (buf && zip_fread(zf, buf, st.size) == (zip_int64_t)st.size) {
                buf[st.size] = '\0';
                if (lenp)
                    *lenp = st.size;
            } else {
                free(buf);
                buf = NULL;
            }
            zip_fclose(zf);
        }
    }
    zip_close(za);
    return buf;
}

/* 1 when the zip has an entry of that name. */
static int _zip_has(const char *zpath, const char *entry)
{
    int err = 0;
    zip_t *za = zip_open(zpath, ZIP_RDONLY, &err);
    if (!za)
        return 0;
    int ok = zip_name_locate(za, entry, 0) >= 0;
    zip_close(za);
    return ok;
}

/* 1 when xml parses as well-formed XML. */
static int _well_formed(const char *xml, size_t len)
{
    XML_Parser p = XML_ParserCreate("UTF-8");
    int ok = XML_Parse(p, xml, (int)len, 1) == XML_STATUS_OK;
    if (!ok)
        fprintf(stderr, "XML error: %s at line %lu col %lu\n", XML_ErrorString(XML_GetErrorCode(p)),
                XML_GetCurrentLineNumber(p), XML_GetCurrentColumnNumber(p));
    XML_ParserFree(p);
    return ok;
}

/* The element starting at the first occurrence of `open` (e.g. "<w:style
 * w:type=\"paragraph\" w:styleId=\"Title\"") up to its `close` tag, copied. */
static char *_element(const char *xml, const char *open, const char *close)
{
    const char *s = strstr(xml, open);
    if (!s)
        return NULL;
    const char *e = strstr(s, close);
    if (!e)
        return NULL;
    e += strlen(close);
    char *out = malloc((size_t)(e - s) + 1);
    memcpy(out, s, (size_t)(e - s));
    out[e - s] = '\0';
    return out;
}

static size_t _count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *s = strstr(hay, needle); s; s = strstr(s + 1, needle))
        n++;
    return n;
}

static char *_file_read(const char *path, size_t *lenp)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (fread(buf, 1, (size_t)n, fp) != (size_t)n) {
        free(buf);
        fclose(fp);
        return NULL;
    }
    buf[n] = '\0';
    fclose(fp);
    if (lenp)
        *lenp = (size_t)n;
    return buf;
}

/* Builds a report with every block type, from the seed's Document A figures. */
static tz_doc *_sample(const char *title, int extra)
{
    tz_doc *doc = tz_doc_new(title);
    assert_non_null(doc);
    assert_int_equal(tz_doc_subtitle(doc, "鹿邑县文化广电旅游局　2019年12月"), 0);

    assert_int_equal(tz_doc_heading(doc, 1, "一、村级综合性文化服务中心建设"), 0);
    assert_int_equal(tz_doc_heading(doc, 2, "（一）贫困村综合性文化服务中心"), 0);
    assert_int_equal(tz_doc_para_begin(doc), 0);
    assert_int_equal(tz_doc_run(doc, "至2017年底，全县", NULL), 0);
    assert_int_equal(tz_doc_run_bold(doc, "105个", "f1"), 0);
    assert_int_equal(
        tz_doc_run(doc, "贫困村全部建成了文化广场，其中广场面积达到1000平方米以上的", NULL), 0);
    assert_int_equal(tz_doc_run(doc, "70个", "f2"), 0);
    assert_int_equal(tz_doc_run(doc, "，500平方米以上1000平方米以下的", NULL), 0);
    assert_int_equal(tz_doc_run(doc, "35个", "f3"), 0);
    assert_int_equal(tz_doc_run(doc, "。", NULL), 0);
    assert_int_equal(tz_doc_para_end(doc), 0);
    assert_int_equal(tz_doc_heading(doc, 2, "（二）非贫困村综合性文化服务中心"), 0);
    assert_int_equal(
        tz_doc_para(doc, "2018年新建成156个村级文化服务中心，2019年新建成180个，两年共336个；"
                         "全县尚有21个行政村未建成或未达标，需督促进行提升改造。"),
        0);
    const char *hdr[] = {"乡镇", "行政村数", "已建成", "未达标", "是否贫困村"};
    const tz_doc_align al[] = {TZ_ALIGN_TEXT, TZ_ALIGN_NUMBER, TZ_ALIGN_NUMBER, TZ_ALIGN_NUMBER,
                               TZ_ALIGN_CENTER};
    assert_int_equal(
        tz_doc_table_begin(doc, "表1  各乡镇村级综合性文化服务中心建设情况", 5, hdr, al), 0);
    const char *rows[][5] = {{"宋河镇", "32", "30", "2", "否"},
                             {"赵村乡", "25", "22", "3", "否"},
                             {"玄武镇", "28", "26", "2", "是"}};
    const char *refs[] = {NULL, NULL, "f4", NULL, NULL};
    for (int i = 0; i < 3; i++)
        assert_int_equal(tz_doc_table_row(doc, rows[i], i == 0 ? refs : NULL), 0);
    assert_int_equal(tz_doc_table_end(doc), 0);

    assert_int_equal(tz_doc_heading(doc, 1, "二、电视信号户户通工作"), 0);
    const char *years[] = {"2018年", "2019年"};
    const double done[] = {4809, 3543}, quota[] = {4800, 3600};
    assert_int_equal(
        tz_doc_chart_begin(doc, "建档立卡贫困户电视信号户户通安装情况", "户", 2, years), 0);
    assert_int_equal(tz_doc_chart_series(doc, "已安装", TZ_SERIES_BAR, done), 0);
    assert_int_equal(tz_doc_chart_series(doc, "任务数", TZ_SERIES_TARGET, quota), 0);
    assert_int_equal(tz_doc_chart_end(doc), 0);
    assert_int_equal(
        tz_doc_para(doc, "按县扶贫办核定任务，我局2018年全年累计安装建档立卡贫困户电视信号4809户，"
                         "2019年安装3543户。"),
        0);
    assert_int_equal(tz_doc_page_break(doc), 0);
    assert_int_equal(tz_doc_heading(doc, 1, "三、驻村帮扶工作"), 0);
    const char *towns[] = {"宋河镇", "赵村乡"};
    const double poor[] = {1, 0}, nonpoor[] = {5, 1};
    assert_int_equal(tz_doc_chart_begin(doc, "帮扶村分布", "个", 2, towns), 0);
    assert_int_equal(tz_doc_chart_series(doc, "贫困村", TZ_SERIES_BAR, poor), 0);
    assert_int_equal(tz_doc_chart_series(doc, "非贫困村", TZ_SERIES_BAR, nonpoor), 0);
    assert_int_equal(tz_doc_chart_end(doc), 0);
    /* Extra body text, to fill several pages (odd and even footers). */
    for (int i = 0; i < extra; i++)
        assert_int_equal(
            tz_doc_para(doc,
                        "我局按照省委、省政府及县委、县政府脱贫攻坚工作部署，切实发挥职能作用，"
                        "认真组织实施了全县行政村综合性文化服务中心建设、建档立卡贫困户"
                        "电视信号户户通项目及驻村帮扶工作。"),
            0);

    assert_int_equal(tz_doc_appendix(doc, "数据来源"), 0);
    assert_int_equal(tz_doc_anchor(doc, "f1", "f1　贫困村数105个：村级文化服务中心台账，第2—106行"),
                     0);
    assert_int_equal(tz_doc_anchor(doc, "f2", "f2　广场1000平方米以上70个：同上，广场面积≥1000"),
                     0);
    assert_int_equal(tz_doc_anchor(doc, "f3", "f3　广场500—1000平方米35个：同上"), 0);
    assert_int_equal(tz_doc_anchor(doc, "f4", "f4　宋河镇已建成30个：同上，乡镇=宋河镇"), 0);
    assert_null(tz_doc_error(doc));
    return doc;
}

static int _setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(g_dir, sizeof g_dir, "%s/tz-test-doc-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    return mkdtemp(g_dir) ? 0 : -1;
}

static int _teardown(void **state)
{
    (void)state;
    const char *names[] = {"a.docx", "b.docx",  "c.docx",       "s.md",
                           "s.html", "bad.pdf", "nodir/x.docx", "typeset.docx"};
    char p[512];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        _path(p, sizeof p, names[i]);
        unlink(p);
    }
    rmdir(g_dir);
    return 0;
}

/* ---- model ------------------------------------------------------------- */

static void test_model_blocks(void **state)
{
    (void)state;
    tz_doc *doc = _sample("报告", 0);
    assert_string_equal(doc->title, "报告");
    assert_string_equal(doc->subtitle, "鹿邑县文化广电旅游局　2019年12月");
    int seen[7] = {0};
    for (size_t i = 0; i < doc->n; i++)
        seen[doc->blocks[i].kind]++;
    assert_int_equal(seen[TZ_DOC_HEADING], 5);
    assert_int_equal(seen[TZ_DOC_PARA], 3);
    assert_int_equal(seen[TZ_DOC_TABLE], 1);
    assert_int_equal(seen[TZ_DOC_CHART], 2);
    assert_int_equal(seen[TZ_DOC_PAGE_BREAK], 1);
    assert_int_equal(seen[TZ_DOC_APPENDIX], 1);
    assert_int_equal(seen[TZ_DOC_ANCHOR], 4);
    const tz_doc_block *p = &doc->blocks[2];
    assert_int_equal(p->kind, TZ_DOC_PARA);
    assert_int_equal(p->nruns, 7);
    assert_string_equal(p->runs[1].text, "105个");
    assert_string_equal(p->runs[1].ref, "f1");
    assert_int_equal(p->runs[1].bold, 1);
    assert_null(p->runs[0].ref);
    assert_null(tz_doc_dangling_ref(doc));
    tz_doc_free(doc);
}

static void test_model_copies_and_cleans(void **state)
{
    (void)state;
    char title[] = "标题";
    tz_doc *doc = tz_doc_new(title);
    title[0] = 'X';
    assert_string_equal(doc->title, "标题");
    /* Bad UTF-8 becomes U+FFFD, control characters go, CRLF becomes LF. */
    assert_int_equal(tz_doc_para(doc, "a\xff"
                                      "b\x01"
                                      "c\r\nd\te"),
                     0);
    assert_string_equal(doc->blocks[0].runs[0].text, "a\xEF\xBF\xBD"
                                                     "bc\nd\te");
    /* NULL text is empty. */
    assert_int_equal(tz_doc_heading(doc, 1, NULL), 0);
    assert_string_equal(doc->blocks[1].text, "");
    /* U+FFFE (not allowed in XML) becomes one U+FFFD, not one per byte */
    assert_int_equal(tz_doc_para(doc, "x\xEF\xBF\xBEy"), 0);
    assert_string_equal(doc->blocks[2].runs[0].text, "x\xEF\xBF\xBDy");
    assert_null(tz_doc_error(doc));
    tz_doc_free(doc);
    tz_doc_free(NULL);
}

static void test_model_misuse(void **state)
{
    (void)state;
    tz_doc *doc = tz_doc_new("t");
    /* A run outside a paragraph fails and the failure sticks. */
    assert_int_equal(tz_doc_run(doc, "x", NULL), -1);
    assert_non_null(tz_doc_error(doc));
    assert_non_null(strstr(tz_doc_error(doc), "报告文档结构错误"));
    assert_int_equal(tz_doc_para(doc, "later"), -1);
    tz_buf b = TZ_BUF_INIT;
    assert_int_equal(tz_render_md(doc, &b), -1);
    tz_buf_free(&b);
    tz_diags d = TZ_DIAGS_INIT;
    char p[512];
    _path(p, sizeof p, "c.docx");
    assert_int_equal(tz_docx_write(doc, p, &d), -1);
    assert_int_equal(d.nerrors, 1);
    assert_non_null(strstr(d.items[0].reason, "报告文档不完整"));
    tz_diags_clear(&d);
    tz_doc_free(doc);

    doc = tz_doc_new("t");
    assert_int_equal(tz_doc_heading(doc, 3, "x"), -1);
    tz_doc_free(doc);

    doc = tz_doc_new("t");
    assert_int_equal(tz_doc_anchor(doc, "1abc", "x"), -1); /* must start with a letter */
    tz_doc_free(doc);
    doc = tz_doc_new("t");
    assert_int_equal(tz_doc_anchor(doc, "f1", "x"), 0);
    assert_int_equal(tz_doc_anchor(doc, "f1", "y"), -1); /* duplicate */
    assert_non_null(strstr(tz_doc_error(doc), "重复"));
    tz_doc_free(doc);

    doc = tz_doc_new("t");
    assert_int_equal(tz_doc_para_begin(doc), 0);
    assert_int_equal(tz_doc_run(doc, "x", "a b"), -1); /* bad ref */
    tz_doc_free(doc);

    /* A chart needs at least one bar series; a heading inside an open table fails. */
    doc = tz_doc_new("t");
    const char *cats[] = {"a"};
    const double v[] = {1};
    assert_int_equal(tz_doc_chart_begin(doc, "c", NULL, 1, cats), 0);
    assert_int_equal(tz_doc_chart_series(doc, "t", TZ_SERIES_TARGET, v), 0);
    assert_int_equal(tz_doc_chart_end(doc), -1);
    tz_doc_free(doc);
    doc = tz_doc_new("t");
    const char *h[] = {"a"};
    assert_int_equal(tz_doc_table_begin(doc, NULL, 1, h, NULL), 0);
    assert_int_equal(tz_doc_heading(doc, 1, "x"), -1);
    tz_doc_free(doc);
    doc = tz_doc_new("t");
    assert_int_equal(tz_doc_table_begin(doc, NULL, 0, h, NULL), -1);
    tz_doc_free(doc);

    /* An unfinished paragraph is refused by the writers. */
    doc = tz_doc_new("t");
    assert_int_equal(tz_doc_para_begin(doc), 0);
    assert_null(tz_doc_error(doc));
    b = (tz_buf)TZ_BUF_INIT;
    assert_int_equal(tz_render_html(doc, &b), -1);
    tz_buf_free(&b);
    tz_doc_free(doc);
}

/* ---- docx -------------------------------------------------------------- */

static void test_docx_grid_values(void **state)
{
    (void)state;
    /* 225 mm = 12756 twips of text height / 22 lines. */
    assert_int_equal(tz_docx_line_pitch(), 579);
    /* 8845 twips / 28 = 15.79 pt per character: 0.205 pt less than 16 pt,
     * times 4096, floored. */
    assert_int_equal(tz_docx_char_space(), -842);
    /* 28 advances of 16 pt - 0.25 pt fit 8845 twips; 29 do not. */
    assert_int_equal(tz_docx_letter_spacing(), -5);
    assert_true(28 * (320 + tz_docx_letter_spacing()) <= 8845);
    assert_true(29 * (320 + tz_docx_letter_spacing()) > 8845);
}

static void test_docx_package(void **state)
{
    (void)state;
    char p[512];
    _path(p, sizeof p, "a.docx");
    tz_doc *doc = _sample("关于<精准扶贫>&“脱贫攻坚”工作情况的汇报", 0);
    tz_diags d = TZ_DIAGS_INIT;
    assert_int_equal(tz_docx_write(doc, p, &d), 0);
    assert_int_equal(d.nerrors + d.nwarnings, 0);

    /* Every part named by the content types and the relationships exists and
     * every XML part is well-formed. */
    const char *parts[] = {"[Content_Types].xml",
                           "_rels/.rels",
                           "docProps/core.xml",
                           "docProps/app.xml",
                           "word/document.xml",
                           "word/styles.xml",
                           "word/settings.xml",
                           "word/fontTable.xml",
                           "word/footer1.xml",
                           "word/footer2.xml",
                           "word/_rels/document.xml.rels",
                           "word/charts/chart1.xml",
                           "word/charts/_rels/chart1.xml.rels",
                           "word/charts/chart2.xml",
                           "word/charts/_rels/chart2.xml.rels"};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        size_t len = 0;
        char *x = _zip_read(p, parts[i], &len);
        assert_non_null(x);
        assert_true(_well_formed(x, len));
        free(x);
    }
    char *ct = _zip_read(p, "[Content_Types].xml", NULL);
    for (const char *s = strstr(ct, "PartName=\"/"); s; s = strstr(s + 1, "PartName=\"/")) {
        char name[128];
        const char *b = s + strlen("PartName=\"/");
        size_t n = strcspn(b, "\"");
        assert_true(n < sizeof name);
        memcpy(name, b, n);
        name[n] = '\0';
        assert_true(_zip_has(p, name));
    }
    assert_non_null(strstr(
        ct,
        "<Override PartName=\"/word/charts/chart1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.drawingml.chart+xml\"/>"));
    assert_non_null(strstr(ct, "Extension=\"xlsx\""));
    free(ct);
    char *rels = _zip_read(p, "word/_rels/document.xml.rels", NULL);
    for (const char *s = strstr(rels, "Target=\""); s; s = strstr(s + 1, "Target=\"")) {
        char name[160];
        const char *b = s + strlen("Target=\"");
        size_t n = strcspn(b, "\"");
        snprintf(name, sizeof name, "word/%.*s", (int)n, b);
        assert_true(_zip_has(p, name));
    }
    char *doc_xml = _zip_read(p, "word/document.xml", NULL);
    /* Each chart reference in the document has its relationship. */
    assert_non_null(strstr(rels, "Id=\"rIdChart1\""));
    assert_non_null(strstr(doc_xml, "<c:chart r:id=\"rIdChart1\"/>"));
    assert_non_null(strstr(doc_xml, "<c:chart r:id=\"rIdChart2\"/>"));
    free(rels);
    char *crels = _zip_read(p, "word/charts/_rels/chart1.xml.rels", NULL);
    assert_non_null(strstr(crels, "Target=\"../embeddings/Microsoft_Excel_Worksheet1.xlsx\""));
    assert_true(_zip_has(p, "word/embeddings/Microsoft_Excel_Worksheet1.xlsx"));
    assert_true(_zip_has(p, "word/embeddings/Microsoft_Excel_Worksheet2.xlsx"));
    free(crels);

    /* Page: A4, the GB/T 9704 margins, 22 x 28 grid, odd/even footers. */
    assert_non_null(strstr(doc_xml, "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
    assert_non_null(
        strstr(doc_xml, "w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1587\""));
    assert_non_null(
        strstr(doc_xml, "<w:docGrid w:type=\"lines\" w:linePitch=\"579\" w:charSpace=\"-842\"/>"));
    assert_non_null(strstr(doc_xml, "<w:footerReference w:type=\"default\""));
    assert_non_null(strstr(doc_xml, "<w:footerReference w:type=\"even\""));
    /* The title is escaped and uses the Title style. */
    assert_non_null(strstr(
        doc_xml,
        "<w:pStyle w:val=\"Title\"/></w:pPr><w:r><w:t xml:space=\"preserve\">关于&lt;精准扶贫&gt;&amp;“脱贫攻坚”工作情况的汇报</w:t>"));
    assert_non_null(strstr(doc_xml, "<w:pStyle w:val=\"Heading1\"/>"));
    assert_non_null(strstr(doc_xml, "<w:pStyle w:val=\"Heading2\"/>"));
    assert_non_null(strstr(doc_xml, "<w:pStyle w:val=\"Body\"/>"));
    /* Provenance: a hyperlink to a bookmark of the same name. */
    assert_non_null(strstr(doc_xml, "<w:hyperlink w:anchor=\"f1\""));
    assert_non_null(strstr(doc_xml, "<w:bookmarkStart w:id=\"0\" w:name=\"f1\"/>"));
    assert_non_null(strstr(doc_xml, "<w:bookmarkEnd w:id=\"0\"/>"));
    assert_int_equal(_count(doc_xml, "<w:bookmarkStart "), 4);
    assert_int_equal(_count(doc_xml, "<w:hyperlink "), 4);
    /* Bold run. */
    assert_non_null(strstr(doc_xml, "<w:rStyle w:val=\"SourceLink\"/><w:b/>"));
    /* Table: header row repeated, fixed grid summing to the text width. */
    assert_non_null(strstr(doc_xml, "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"));
    assert_int_equal(_count(doc_xml, "<w:tblHeader/>"), 1);
    assert_non_null(strstr(doc_xml, "<w:tblW w:w=\"8845\" w:type=\"dxa\"/>"));
    int sum = 0;
    for (const char *s = strstr(doc_xml, "<w:gridCol w:w=\""); s;
         s = strstr(s + 1, "<w:gridCol w:w=\""))
        sum += atoi(s + strlen("<w:gridCol w:w=\""));
    assert_int_equal(sum, 8845);
    /* Charts inline at the text width; page break; appendix on a new page. */
    assert_int_equal(_count(doc_xml, "<wp:inline "), 2);
    assert_non_null(strstr(doc_xml, "<wp:extent cx=\"5616575\""));
    assert_non_null(strstr(doc_xml, "<w:br w:type=\"page\"/>"));
    assert_non_null(
        strstr(doc_xml, "<w:pageBreakBefore/></w:pPr><w:r><w:t xml:space=\"preserve\">附件</w:t>"));
    free(doc_xml);

    /* Styles: fonts and sizes of the 公文 look, outline levels. */
    char *st = _zip_read(p, "word/styles.xml", NULL);
    char *title = _element(st, "w:styleId=\"Title\"", "</w:style>");
    assert_non_null(title);
    assert_non_null(strstr(title, "w:eastAsia=\"方正小标宋简体\""));
    assert_non_null(strstr(title, "<w:sz w:val=\"44\"/>"));
    assert_non_null(strstr(title, "<w:jc w:val=\"center\"/>"));
    free(title);
    char *defaults = _element(st, "<w:docDefaults>", "</w:docDefaults>");
    assert_non_null(strstr(defaults, "w:eastAsia=\"仿宋_GB2312\""));
    assert_non_null(strstr(defaults, "<w:spacing w:val=\"-5\"/>"));
    assert_non_null(strstr(defaults, "<w:sz w:val=\"32\"/>"));
    free(defaults);
    char *body = _element(st, "w:styleId=\"Body\"", "</w:style>");
    assert_non_null(strstr(body, "w:eastAsia=\"仿宋_GB2312\""));
    assert_non_null(strstr(body, "<w:sz w:val=\"32\"/>"));
    assert_non_null(strstr(body, "w:firstLineChars=\"200\""));
    free(body);
    char *h1 = _element(st, "w:styleId=\"Heading1\"", "</w:style>");
    assert_non_null(strstr(h1, "w:eastAsia=\"黑体\""));
    assert_non_null(strstr(h1, "<w:sz w:val=\"32\"/>"));
    assert_non_null(strstr(h1, "<w:outlineLvl w:val=\"0\"/>"));
    free(h1);
    char *h2 = _element(st, "w:styleId=\"Heading2\"", "</w:style>");
    assert_non_null(strstr(h2, "w:eastAsia=\"楷体_GB2312\""));
    assert_non_null(strstr(h2, "<w:outlineLvl w:val=\"1\"/>"));
    free(h2);
    assert_non_null(strstr(st, "w:styleId=\"TableText\""));
    assert_non_null(strstr(st, "w:styleId=\"TableCaption\""));
    free(st);
    char *set = _zip_read(p, "word/settings.xml", NULL);
    assert_non_null(strstr(set, "<w:evenAndOddHeaders/>"));
    free(set);

    /* Footers: "— PAGE —" in 4号 宋体, odd right, even left. */
    char *f1 = _zip_read(p, "word/footer1.xml", NULL);
    char *f2 = _zip_read(p, "word/footer2.xml", NULL);
    for (int i = 0; i < 2; i++) {
        const char *f = i == 0 ? f1 : f2;
        assert_non_null(strstr(f, "<w:t xml:space=\"preserve\">— </w:t>"));
        assert_non_null(strstr(f, "<w:t xml:space=\"preserve\"> —</w:t>"));
        assert_non_null(strstr(f, "<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>"));
        assert_non_null(strstr(f, "w:fldCharType=\"begin\""));
        assert_non_null(strstr(f, "w:fldCharType=\"end\""));
        assert_non_null(strstr(f, "<w:sz w:val=\"28\"/>"));
        assert_non_null(strstr(f, "w:eastAsia=\"宋体\""));
    }
    assert_non_null(strstr(f1, "<w:jc w:val=\"right\"/>"));
    assert_non_null(strstr(f2, "<w:jc w:val=\"left\"/>"));
    free(f1);
    free(f2);

    /* Chart: clustered bars plus the target line, caches and sheet refs. */
    char *ch = _zip_read(p, "word/charts/chart1.xml", NULL);
    assert_non_null(
        strstr(ch, "<c:barChart><c:barDir val=\"col\"/><c:grouping val=\"clustered\"/>"));
    assert_non_null(strstr(ch, "<c:lineChart>"));
    assert_non_null(strstr(ch, "<c:catAx>"));
    assert_non_null(strstr(ch, "<c:valAx>"));
    assert_non_null(strstr(ch, "<c:legend>"));
    /* the title is a caption line above the chart, not inside it */
    assert_null(strstr(ch, "<a:t>建档立卡贫困户电视信号户户通安装情况</a:t>"));
    assert_non_null(strstr(ch, "<c:autoTitleDeleted val=\"1\"/>"));
    assert_non_null(strstr(ch, "<c:f>Sheet1!$A$2:$A$3</c:f>"));
    assert_non_null(strstr(ch, "<c:f>Sheet1!$B$2:$B$3</c:f>"));
    assert_non_null(strstr(ch, "<c:f>Sheet1!$C$1</c:f>"));
    assert_non_null(strstr(ch, "<c:pt idx=\"0\"><c:v>4809</c:v></c:pt>"));
    assert_non_null(strstr(ch, "<c:pt idx=\"1\"><c:v>2019年</c:v></c:pt>"));
    assert_non_null(strstr(ch, "<c:externalData r:id=\"rId1\">"));
    free(ch);
    ch = _zip_read(p, "word/charts/chart2.xml", NULL);
    assert_null(strstr(ch, "<c:lineChart>"));
    assert_int_equal(_count(ch, "<c:ser>"), 2);
    free(ch);

    /* The embedded workbook holds the chart data. */
    size_t xlen = 0;
    char *xlsx = _zip_read(p, "word/embeddings/Microsoft_Excel_Worksheet1.xlsx", &xlen);
    assert_non_null(xlsx);
    char xp[512];
    _path(xp, sizeof xp, "b.docx"); /* reused as a scratch file name */
    FILE *fp = fopen(xp, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(xlsx, 1, xlen, fp), xlen);
    fclose(fp);
    free(xlsx);
    char *sheet = _zip_read(xp, "xl/worksheets/sheet1.xml", NULL);
    char *sst = _zip_read(xp, "xl/sharedStrings.xml", NULL);
    assert_non_null(sheet);
    assert_non_null(strstr(sheet, "<v>4809</v>"));
    assert_non_null(strstr(sheet, "<v>3600</v>"));
    assert_non_null(strstr(sst, "任务数"));
    assert_non_null(strstr(sst, "2018年"));
    free(sheet);
    free(sst);
    unlink(xp);

    tz_diags_clear(&d);
    tz_doc_free(doc);
}

static void test_docx_deterministic(void **state)
{
    (void)state;
    char a[512], b[512];
    _path(a, sizeof a, "a.docx");
    _path(b, sizeof b, "b.docx");
    tz_doc *doc = _sample("确定性测试", 0);
    tz_diags d = TZ_DIAGS_INIT;
    assert_int_equal(tz_docx_write(doc, a, &d), 0);
    sleep(2); /* a zip or xlsx stamped with the clock would now differ */
    assert_int_equal(tz_docx_write(doc, b, &d), 0);
    size_t na = 0, nb = 0;
    char *x = _file_read(a, &na), *y = _file_read(b, &nb);
    assert_non_null(x);
    assert_non_null(y);
    assert_int_equal(na, nb);
    assert_memory_equal(x, y, na);
    free(x);
    free(y);
    tz_diags_clear(&d);
    tz_doc_free(doc);
}

static void test_docx_dangling_ref_and_errors(void **state)
{
    (void)state;
    char p[512];
    tz_doc *doc = tz_doc_new("t");
    assert_int_equal(tz_doc_para_begin(doc), 0);
    assert_int_equal(tz_doc_run(doc, "30万元", "f99"), 0);
    assert_int_equal(tz_doc_para_end(doc), 0);
    /* A table as the last block still gives a valid body. */
    const char *h[] = {"a", "b"};
    assert_int_equal(tz_doc_table_begin(doc, NULL, 2, h, NULL), 0);
    assert_int_equal(tz_doc_table_end(doc), 0);
    tz_diags d = TZ_DIAGS_INIT;
    _path(p, sizeof p, "c.docx");
    assert_int_equal(tz_docx_write(doc, p, &d), 0);
    assert_int_equal(d.nerrors, 0);
    assert_int_equal(d.nwarnings, 1);
    assert_string_equal(d.items[0].value, "f99");
    size_t len = 0;
    char *x = _zip_read(p, "word/document.xml", &len);
    assert_true(_well_formed(x, len));
    assert_null(strstr(x, "w:hyperlink"));
    assert_non_null(strstr(x, "30万元"));
    assert_non_null(strstr(x, "</w:tbl><w:p>"));
    assert_null(strstr(x, "w:drawing"));
    free(x);
    char *ct = _zip_read(p, "[Content_Types].xml", NULL);
    assert_null(strstr(ct, "xlsx"));
    free(ct);
    tz_diags_clear(&d);

    /* A directory that does not exist: a Chinese error naming the file. */
    _path(p, sizeof p, "nodir/x.docx");
    assert_int_equal(tz_docx_write(doc, p, &d), -1);
    assert_int_equal(d.nerrors, 1);
    assert_int_equal(d.n, 2); /* the dangling-ref warning, then the error */
    assert_int_equal(d.items[1].sev, TZ_ERROR);
    assert_string_equal(d.items[1].file, "x.docx");
    assert_non_null(strstr(d.items[1].reason, "Word"));
    tz_diags_clear(&d);
    tz_doc_free(doc);
}

/* ---- Markdown and HTML ------------------------------------------------- */

static void test_render_md(void **state)
{
    (void)state;
    tz_doc *doc = _sample("关于<精准扶贫>&*脱贫*工作的汇报", 0);
    tz_buf b = TZ_BUF_INIT;
    assert_int_equal(tz_render_md(doc, &b), 0);
    const char *md = tz_buf_str(&b);
    assert_non_null(strstr(md, "# 关于\\<精准扶贫\\>\\&\\*脱贫\\*工作的汇报\n\n"));
    assert_null(strstr(md, "<精准扶贫>"));
    assert_non_null(strstr(md, "\n## 一、村级综合性文化服务中心建设\n"));
    assert_non_null(strstr(md, "\n### （一）贫困村综合性文化服务中心\n"));
    assert_non_null(strstr(md, "\n至2017年底，全县[**105个**](#f1)贫困村"));
    assert_non_null(strstr(md, "[70个](#f2)"));
    assert_non_null(strstr(md, "**表1  各乡镇村级综合性文化服务中心建设情况**\n\n"
                               "| 乡镇 | 行政村数 | 已建成 | 未达标 | 是否贫困村 |\n"
                               "| --- | ---: | ---: | ---: | :---: |\n"
                               "| 宋河镇 | 32 | [30](#f4) | 2 | 否 |\n"));
    assert_non_null(strstr(md, "**建档立卡贫困户电视信号户户通安装情况**（单位：户）\n\n"
                               "| 类别 | 已安装 | 任务数 |\n| --- | ---: | ---: |\n"
                               "| 2018年 | 4809 | 4800 |\n| 2019年 | 3543 | 3600 |\n"));
    assert_non_null(strstr(md, "**附件**\n\n## 数据来源\n\n- <a id=\"f1\"></a>f1"));
    assert_non_null(strstr(md, "- <a id=\"f4\"></a>f4"));
    tz_buf_free(&b);
    tz_doc_free(doc);

    /* Line-start and inline escapes in a paragraph. */
    doc = tz_doc_new("t");
    assert_int_equal(tz_doc_para(doc, "1. 第一\n- 第二 | [x] `y` _z_"), 0);
    assert_int_equal(tz_render_md(doc, &b), 0);
    assert_non_null(strstr(tz_buf_str(&b), "1\\. 第一\\\n\\- 第二 \\| \\[x\\] \\`y\\` \\_z\\_\n"));
    tz_buf_free(&b);
    tz_doc_free(doc);
}

static void test_render_html(void **state)
{
    (void)state;
    tz_doc *doc = _sample("关于<精准扶贫>&\"脱贫\"工作的汇报", 0);
    tz_buf b = TZ_BUF_INIT;
    assert_int_equal(tz_render_html(doc, &b), 0);
    const char *h = tz_buf_str(&b);
    assert_int_equal(strncmp(h, "<!DOCTYPE html>\n<html lang=\"zh-CN\">", 35), 0);
    assert_non_null(strstr(h, "<meta charset=\"utf-8\"/>"));
    assert_non_null(
        strstr(h, "<title>关于&lt;精准扶贫&gt;&amp;&quot;脱贫&quot;工作的汇报</title>"));
    assert_non_null(
        strstr(h, "<h1 class=\"title\">关于&lt;精准扶贫&gt;&amp;&quot;脱贫&quot;工作的汇报</h1>"));
    assert_null(strstr(h, "<精准扶贫>"));
    assert_non_null(strstr(h, "@page { size: A4; margin: 37mm 26mm 35mm 28mm; }"));
    assert_non_null(strstr(h, "仿宋_GB2312"));
    assert_non_null(strstr(h, "<h2>一、村级综合性文化服务中心建设</h2>"));
    assert_non_null(strstr(h, "<h3>（一）贫困村综合性文化服务中心</h3>"));
    assert_non_null(strstr(h, "<strong><a class=\"ref\" href=\"#f1\">105个</a></strong>"));
    assert_non_null(strstr(h, "<a class=\"ref\" href=\"#f2\">70个</a>"));
    assert_non_null(strstr(h, "<li id=\"f1\">"));
    assert_non_null(strstr(h, "<li id=\"f4\">"));
    assert_int_equal(_count(h, "<ul class=\"sources\">"), 1);
    assert_non_null(strstr(h, "<thead><tr><th scope=\"col\">乡镇</th>"));
    assert_non_null(strstr(h, "<td class=\"num\"><a class=\"ref\" href=\"#f4\">30</a></td>"));
    assert_int_equal(_count(h, "<svg "), 2);
    assert_int_equal(_count(h, "</svg>"), 2);
    assert_non_null(strstr(h, "<polyline "));
    assert_null(strstr(h, "<script"));
    assert_non_null(strstr(h, "<p class=\"appendix-label\">附件</p>"));
    assert_non_null(strstr(h, "<div class=\"page-break\"></div>"));
    /* The page is also well-formed XML (void elements self-closed), which
     * proves every tag is closed and every text escaped. */
    const char *root = strstr(h, "<html");
    assert_true(_well_formed(root, strlen(root)));
    /* Deterministic. */
    tz_buf b2 = TZ_BUF_INIT;
    assert_int_equal(tz_render_html(doc, &b2), 0);
    assert_string_equal(tz_buf_str(&b), tz_buf_str(&b2));
    tz_buf_free(&b2);
    tz_buf_free(&b);
    tz_doc_free(doc);
}

/* tz_render_ref_fn of the article test: f1 and f4 get attributes (with a
 * value to escape), any other ref stays plain text. */
static int _test_fig_attrs(void *ctx, const char *ref, tz_buf *attrs)
{
    int *calls = ctx;
    (*calls)++;
    if (strcmp(ref, "f1") != 0 && strcmp(ref, "f4") != 0)
        return 0;
    tz_buf_printf(attrs, " data-ref=\"%s\" data-indicator=\"", ref);
    tz_buf_xml(attrs, "贫困村数<\"&>");
    tz_buf_puts(attrs, "\"");
    return 1;
}

/* The page's <article> alone, figures made elements by the caller's hook. */
static void test_render_html_article(void **state)
{
    (void)state;
    tz_doc *doc = _sample("汇报", 0);
    tz_buf a = TZ_BUF_INIT, page = TZ_BUF_INIT;
    int calls = 0;
    assert_int_equal(tz_render_html_article(doc, _test_fig_attrs, &calls, &a), 0);
    const char *h = tz_buf_str(&a);
    assert_int_equal(strncmp(h, "<article class=\"doc\">", 21), 0);
    assert_non_null(strstr(h, "</article>\n"));
    assert_null(strstr(h, "<html"));
    assert_null(strstr(h, "<style"));
    assert_null(strstr(h, "<script"));
    assert_null(strstr(h, "class=\"ref\""));
    assert_non_null(strstr(h, "<strong><a class=\"tz-fig\" data-ref=\"f1\" data-indicator=\""
                              "贫困村数&lt;&quot;&amp;&gt;\">105个</a></strong>"));
    assert_non_null(strstr(h, "<td class=\"num\"><a class=\"tz-fig\" data-ref=\"f4\""));
    assert_non_null(strstr(h, "70个")); /* f2: the hook said no, plain text */
    assert_null(strstr(h, "data-ref=\"f2\""));
    assert_true(calls > 2);
    assert_true(_well_formed(h, strlen(h)));
    /* the page holds the same article (with the anchors' links) */
    assert_int_equal(tz_render_html(doc, &page), 0);
    assert_non_null(
        strstr(tz_buf_str(&page), "</style>\n</head>\n<body>\n<article class=\"doc\">"));
    assert_int_equal(tz_render_html_article(doc, NULL, NULL, &a), -1);
    tz_buf_free(&a);
    tz_buf_free(&page);
    tz_doc_free(doc);
}

/* Missing chart values and links to unknown anchors degrade gracefully. */
static void test_render_gaps(void **state)
{
    (void)state;
    tz_doc *doc = tz_doc_new("缺失值");
    const char *cats[] = {"甲", "乙", "丙"};
    const double v[] = {3, NAN, 1.5};
    assert_int_equal(tz_doc_chart_begin(doc, "图", NULL, 3, cats), 0);
    assert_int_equal(tz_doc_chart_series(doc, "值", TZ_SERIES_BAR, v), 0);
    assert_int_equal(tz_doc_chart_end(doc), 0);
    assert_true(isnan(doc->blocks[0].chart->series[0].values[1]));
    assert_int_equal(tz_doc_para_begin(doc), 0);
    assert_int_equal(tz_doc_run(doc, "无来源", "nope"), 0);
    assert_int_equal(tz_doc_para_end(doc), 0);
    assert_string_equal(tz_doc_dangling_ref(doc), "nope");

    tz_buf b = TZ_BUF_INIT;
    assert_int_equal(tz_render_md(doc, &b), 0);
    assert_non_null(strstr(tz_buf_str(&b), "| 甲 | 3 |\n| 乙 |  |\n| 丙 | 1.5 |\n"));
    assert_null(strstr(tz_buf_str(&b), "(#nope)"));
    tz_buf_free(&b);
    assert_int_equal(tz_render_html(doc, &b), 0);
    const char *h = tz_buf_str(&b);
    assert_int_equal(_count(h, "<rect x="), 2 + 1); /* two bars and one legend key */
    assert_null(strstr(h, "href=\"#nope\""));
    assert_non_null(strstr(h, "<p>无来源</p>"));
    tz_buf_free(&b);

    char p[512];
    _path(p, sizeof p, "c.docx");
    tz_diags d = TZ_DIAGS_INIT;
    assert_int_equal(tz_docx_write(doc, p, &d), 0);
    assert_int_equal(d.nwarnings, 1);
    char *ch = _zip_read(p, "word/charts/chart1.xml", NULL);
    assert_non_null(strstr(ch, "<c:ptCount val=\"3\"/><c:pt idx=\"0\"><c:v>3</c:v></c:pt>"
                               "<c:pt idx=\"2\"><c:v>1.5</c:v></c:pt>"));
    free(ch);
    tz_diags_clear(&d);
    tz_doc_free(doc);
}

static void test_render_file(void **state)
{
    (void)state;
    tz_doc *doc = _sample("文件", 0);
    tz_diags d = TZ_DIAGS_INIT;
    char p[512];
    _path(p, sizeof p, "s.md");
    assert_int_equal(tz_render_file(doc, p, &d), 0);
    char *md = _file_read(p, NULL);
    assert_non_null(md);
    assert_int_equal(strncmp(md, "# 文件\n", 8), 0);
    free(md);
    _path(p, sizeof p, "s.html");
    assert_int_equal(tz_render_file(doc, p, &d), 0);
    char *html = _file_read(p, NULL);
    assert_int_equal(strncmp(html, "<!DOCTYPE html>", 15), 0);
    free(html);
    _path(p, sizeof p, "c.docx");
    assert_int_equal(tz_render_file(doc, p, &d), 0);
    assert_true(_zip_has(p, "word/document.xml"));
    assert_int_equal(d.nerrors, 0);
    _path(p, sizeof p, "bad.pdf");
    assert_int_equal(tz_render_file(doc, p, &d), -1);
    assert_int_equal(d.nerrors, 1);
    assert_string_equal(d.items[0].file, "bad.pdf");
    assert_non_null(strstr(d.items[0].reason, "不支持的报告格式"));
    assert_int_equal(access(p, F_OK), -1);
    tz_diags_clear(&d);

    /* Optional: keep the sample for the LibreOffice black-box check. */
    const char *keep = getenv("TZ_DOC_KEEP_DIR");
    if (keep && *keep) {
        const char *names[] = {"sample.docx", "sample.md", "sample.html"};
        tz_doc *big = _sample("关于2019年精准扶贫工作情况的汇报", 12);
        for (size_t i = 0; i < 3; i++) {
            snprintf(p, sizeof p, "%s/%s", keep, names[i]);
            assert_int_equal(tz_render_file(big, p, &d), 0);
        }
        tz_doc_free(big);
    }
    tz_doc_free(doc);
}

/* ---- typesetting: 落款, group labels, stacked charts, appendix lines ---- */

static void test_model_close_and_groups(void **state)
{
    (void)state;
    char words[40];
    assert_int_equal(tz_doc_date_words("2019-12-31", words, sizeof words), 0);
    assert_string_equal(words, "2019年12月31日");
    assert_int_equal(tz_doc_date_words("2020-01-05", words, sizeof words), 0);
    assert_string_equal(words, "2020年1月5日");
    const char *bad[] = {"2019-02-29", "2019/12/31", "2019-12-3", "20191231",
                         "2019-13-01", "",           NULL};
    for (int i = 0; bad[i]; i++)
        assert_int_equal(tz_doc_date_words(bad[i], words, sizeof words), -1);
    assert_int_equal(tz_doc_date_words(NULL, words, sizeof words), -1);

    /* indents: signer 2 characters from the edge, the date 2 to the right of
     * its start; a longer date 2 from the edge and the signer further left */
    int sr, dr;
    tz_doc_close_indents("鹿邑县文化广电旅游局", "2019年12月31日", &sr, &dr);
    assert_int_equal(sr, 4);
    assert_int_equal(dr + 14, sr + 20 - 4); /* date start = signer start + 2 chars */
    tz_doc_close_indents("鹿邑县", "2019年12月31日", &sr, &dr);
    assert_int_equal(dr, 4);
    assert_int_equal(sr + 6, dr + 14 + 4);

    tz_doc *doc = tz_doc_new("t");
    assert_int_equal(tz_doc_para(doc, "正文"), 0);
    assert_null(tz_doc_close_block(doc));
    assert_null(tz_doc_appendix_title(doc, 0));
    assert_int_equal(tz_doc_close(doc, "鹿邑县", "2019-12-31"), 0);
    assert_non_null(tz_doc_close_block(doc));
    assert_string_equal(tz_doc_close_block(doc)->date, "2019-12-31");
    assert_string_equal(tz_doc_close_block(doc)->text, "鹿邑县");
    assert_int_equal(tz_doc_close(doc, "鹿邑县", "2019-12-31"), -1); /* only once */
    assert_non_null(strstr(tz_doc_error(doc), "落款只能有一处"));
    tz_doc_free(doc);
    doc = tz_doc_new("t");
    assert_int_equal(tz_doc_close(doc, "鹿邑县", "2019-12-32"), -1);
    assert_non_null(strstr(tz_doc_error(doc), "成文日期"));
    tz_doc_free(doc);
    doc = tz_doc_new("t");
    assert_int_equal(tz_doc_close(doc, "", "2019-12-31"), -1);
    tz_doc_free(doc);

    /* group labels: "" under a label continues its group; a row with no
     * data, or a table whose first row has no label, does not */
    doc = tz_doc_new("t");
    const char *hdr[] = {"单位", "指标", "数"};
    assert_int_equal(tz_doc_table_begin(doc, NULL, 3, hdr, NULL), 0);
    const char *rows[][3] = {{"", "a", "1"}, {"梁园区", "a", "1"}, {"", "b", "2"},
                             {"", "c", "3"}, {"睢阳区", "a", "4"}, {"", "", ""},
                             {"", "b", "5"}};
    for (int i = 0; i < 7; i++)
        assert_int_equal(tz_doc_table_row(doc, rows[i], NULL), 0);
    assert_int_equal(tz_doc_table_end(doc), 0);
    const tz_doc_table *t = doc->blocks[0].table;
    const int cont[] = {0, 0, 1, 1, 0, 0, 0};
    for (size_t r = 0; r < 7; r++)
        assert_int_equal(tz_doc_table_group_cont(t, r), cont[r]);
    /* a chart stacks only while it is open */
    const char *cats[] = {"甲"};
    const double v[] = {1};
    assert_int_equal(tz_doc_chart_stack(doc), -1);
    tz_doc_free(doc);
    doc = tz_doc_new("t");
    assert_int_equal(tz_doc_chart_begin(doc, "图", NULL, 1, cats), 0);
    assert_int_equal(tz_doc_chart_series(doc, "s", TZ_SERIES_BAR, v), 0);
    assert_int_equal(tz_doc_chart_stack(doc), 0);
    assert_int_equal(tz_doc_chart_end(doc), 0);
    assert_int_equal(doc->blocks[0].chart->stacked, 1);
    tz_doc_free(doc);
}

/* One layout of the 落款 for every writer, and one place for the 附件说明
 * line: before the 落款, or before the appendix when there is no 落款. */
static void test_model_close_lines_and_note(void **state)
{
    (void)state;
    tz_doc *doc = tz_doc_new("t");
    assert_int_equal(tz_doc_para(doc, "正文"), 0);
    assert_int_equal(tz_doc_close(doc, "鹿邑县", "2019-12-31"), 0);
    assert_int_equal(tz_doc_appendix(doc, "数据来源"), 0);
    tz_doc_close_lines l;
    tz_doc_close_lines_of(tz_doc_close_block(doc), &l);
    assert_string_equal(l.date, "2019年12月31日");
    int sr, dr;
    tz_doc_close_indents("鹿邑县", "2019年12月31日", &sr, &dr);
    assert_int_equal(l.signer_right, sr);
    assert_int_equal(l.date_right, dr);
    assert_int_equal(tz_doc_appendix_note_at(doc, 0), 0);
    assert_int_equal(tz_doc_appendix_note_at(doc, 1), 1); /* the 落款 */
    assert_int_equal(tz_doc_appendix_note_at(doc, 2), 0); /* the appendix */
    assert_int_equal(tz_doc_appendix_note_at(doc, 3), 0);
    tz_doc_free(doc);
    /* no 落款: before the appendix */
    doc = tz_doc_new("t");
    assert_int_equal(tz_doc_para(doc, "正文"), 0);
    assert_int_equal(tz_doc_appendix(doc, NULL), 0);
    assert_int_equal(tz_doc_appendix_note_at(doc, 0), 0);
    assert_int_equal(tz_doc_appendix_note_at(doc, 1), 1);
    tz_doc_free(doc);
    /* two appendices after the 落款: numbered 1 and 2, the note before the
     * 落款 only; nothing but an appendix between the 落款 and the first */
    doc = tz_doc_new("t");
    char no[24];
    assert_int_equal(tz_doc_para(doc, "正文"), 0);
    assert_int_equal(tz_doc_close(doc, "鹿邑县", "2019-12-31"), 0);
    assert_int_equal(tz_doc_appendix_count(doc), 0);
    assert_int_equal(tz_doc_appendix(doc, "明细"), 0);
    tz_doc_appendix_no(doc, 0, no, sizeof no);
    assert_string_equal(no, ""); /* one appendix: no number */
    assert_int_equal(tz_doc_para(doc, "明细表。"), 0);
    assert_int_equal(tz_doc_appendix(doc, "数据来源"), 0);
    assert_int_equal(tz_doc_appendix_count(doc), 2);
    assert_string_equal(tz_doc_appendix_title(doc, 0), "明细");
    assert_string_equal(tz_doc_appendix_title(doc, 1), "数据来源");
    assert_null(tz_doc_appendix_title(doc, 2));
    tz_doc_appendix_no(doc, 0, no, sizeof no);
    assert_string_equal(no, "1");
    tz_doc_appendix_no(doc, 1, no, sizeof no);
    assert_string_equal(no, "2");
    assert_int_equal(tz_doc_appendix_note_at(doc, 1), 1); /* the 落款 */
    assert_int_equal(tz_doc_appendix_note_at(doc, 2), 0);
    assert_int_equal(tz_doc_appendix_note_at(doc, 4), 0);
    assert_null(tz_doc_error(doc));
    tz_doc_free(doc);
    doc = tz_doc_new("t");
    assert_int_equal(tz_doc_close(doc, "鹿邑县", "2019-12-31"), 0);
    assert_int_equal(tz_doc_para(doc, "落款后的正文"), -1);
    assert_non_null(strstr(tz_doc_error(doc), "落款之后添加了段落"));
    tz_doc_free(doc);
    doc = tz_doc_new("t");
    assert_int_equal(tz_doc_appendix(doc, "明细"), 0);
    assert_int_equal(tz_doc_close(doc, "鹿邑县", "2019-12-31"), -1);
    assert_non_null(strstr(tz_doc_error(doc), "落款应在附件之前"));
    tz_doc_free(doc);
    /* no appendix: no note at the 落款 */
    doc = tz_doc_new("t");
    assert_int_equal(tz_doc_close(doc, "鹿邑县", "2019-12-31"), 0);
    assert_int_equal(tz_doc_appendix_note_at(doc, 0), 0);
    assert_int_equal(tz_doc_appendix_note_at(NULL, 0), 0);
    tz_doc_free(doc);
}

/* A header's unit "（亿元）" stays whole: the docx breaks before it when the
 * column is narrower than the header, the HTML keeps it unbreakable. */
static void test_head_unit_kept_whole(void **state)
{
    (void)state;
    assert_int_equal(tz_doc_head_unit("总投资（亿元）"), strlen("总投资"));
    assert_int_equal(tz_doc_head_unit("县（区）"), strlen("县"));
    assert_int_equal(tz_doc_head_unit("（个）"), 0);           /* nothing before it */
    assert_int_equal(tz_doc_head_unit("县（区）名称"), 0);     /* not at the end */
    assert_int_equal(tz_doc_head_unit("总投资\n（亿元）"), 0); /* its own break */
    assert_int_equal(tz_doc_head_unit("a（b）（c）"), strlen("a（b）"));
    assert_int_equal(tz_doc_head_unit(NULL), 0);

    char p[512];
    tz_diags d = TZ_DIAGS_INIT;
    tz_doc *doc = tz_doc_new("t");
    const char *hdr[] = {"县（区）", "签约项目（个）", "总投资（亿元）", "3亿元以上项目（个）",
                         "落地项目（个）"};
    const char *row[] = {"梁园区", "3", "8.2", "2", "0"};
    assert_int_equal(tz_doc_table_begin(doc, NULL, 5, hdr, NULL), 0);
    assert_int_equal(tz_doc_table_row(doc, row, NULL), 0);
    assert_int_equal(tz_doc_table_end(doc), 0);
    _path(p, sizeof p, "units.docx");
    assert_int_equal(tz_docx_write(doc, p, &d), 0);
    char *x = _zip_read(p, "word/document.xml", NULL);
    /* 总投资（亿元） is wider than its column: the break before the unit */
    assert_non_null(strstr(x, ">总投资</w:t><w:br/><w:t xml:space=\"preserve\">（亿元）</w:t>"));
    assert_non_null(strstr(x, ">县（区）</w:t>")); /* fits: as it is */
    free(x);
    tz_buf b = TZ_BUF_INIT;
    assert_int_equal(tz_render_html(doc, &b), 0);
    assert_non_null(strstr(tz_buf_str(&b), "<th scope=\"col\">总投资<span class=\"unit\">（亿元）"
                                           "</span></th>"));
    assert_non_null(strstr(tz_buf_str(&b), "th .unit { white-space: nowrap; }"));
    /* a phone: the sheet gives way to the screen's width */
    assert_non_null(
        strstr(tz_buf_str(&b), "@media screen and (max-width: 210mm) { .doc { width: auto;"));
    tz_buf_free(&b);
    tz_diags_clear(&d);
    tz_doc_free(doc);
}

/* A doc with a grouped table, a stacked chart with a zero and a missing
 * value, the 落款 and an appendix entry listing ledger keys. */
static tz_doc *_typeset_sample(void)
{
    tz_doc *doc = tz_doc_new("版式");
    assert_int_equal(tz_doc_para(doc, "1.三级标题。"), 0);
    const char *hdr[] = {"单位", "指标", "数"};
    const tz_doc_align al[] = {TZ_ALIGN_TEXT, TZ_ALIGN_TEXT, TZ_ALIGN_NUMBER};
    assert_int_equal(tz_doc_table_begin(doc, "表1　分组", 3, hdr, al), 0);
    for (int g = 0; g < 2; g++)
        for (int k = 0; k < 12; k++) {
            char num[8];
            snprintf(num, sizeof num, "%d", g * 100 + k);
            const char *row[] = {k ? "" : g ? "睢阳区" : "梁园区", "项", num};
            assert_int_equal(tz_doc_table_row(doc, row, NULL), 0);
        }
    assert_int_equal(tz_doc_table_end(doc), 0);
    const char *cats[] = {"甲", "乙", "丙"};
    const double a[] = {3, 0, NAN}, b[] = {2, 4, 1};
    assert_int_equal(tz_doc_chart_begin(doc, "图1　堆积", "个", 3, cats), 0);
    assert_int_equal(tz_doc_chart_series(doc, "贫困村", TZ_SERIES_BAR, a), 0);
    assert_int_equal(tz_doc_chart_series(doc, "非贫困村", TZ_SERIES_BAR, b), 0);
    assert_int_equal(tz_doc_chart_stack(doc), 0);
    assert_int_equal(tz_doc_chart_end(doc), 0);
    assert_int_equal(tz_doc_close(doc, "鹿邑县文化广电旅游局", "2019-12-31"), 0);
    assert_int_equal(tz_doc_appendix(doc, "数据来源"), 0);
    assert_int_equal(tz_doc_anchor(doc, "F1", "F1 依据：SQ2014011/2015-01、SQ2014011/2015-02、甲"),
                     0);
    assert_null(tz_doc_error(doc));
    return doc;
}

static void test_docx_typesetting(void **state)
{
    (void)state;
    char p[512];
    tz_diags d = TZ_DIAGS_INIT;
    tz_doc *doc = _typeset_sample();
    _path(p, sizeof p, "typeset.docx");
    assert_int_equal(tz_docx_write(doc, p, &d), 0);
    size_t len = 0;
    char *x = _zip_read(p, "word/document.xml", &len);
    assert_true(_well_formed(x, len));
    assert_non_null(strstr(x, "1.三级标题。"));
    /* numbers right-aligned, text left */
    assert_int_equal(_count(x, "<w:jc w:val=\"right\"/></w:pPr><w:r><w:t xml:space=\"preserve\">"),
                     24 + 2); /* the numbers, the signer and the date */
    /* labels merged down their group, restarted (repeated) after 10 rows */
    assert_int_equal(_count(x, "<w:vMerge w:val=\"restart\"/>"), 4);
    assert_int_equal(_count(x, "<w:vMerge/>"), 20);
    assert_int_equal(_count(x, ">梁园区</w:t>"), 2);
    /* header kept with the first row; every row but a group's last kept with the next */
    assert_int_equal(_count(x, "<w:tblHeader/>"), 1);
    assert_int_equal(_count(x, "<w:cantSplit/>"), 25);
    /* the chart's caption above it */
    char *cap = strstr(x, "图1　堆积</w:t>");
    assert_non_null(cap);
    assert_true(cap < strstr(x, "<c:chart "));
    /* 附件说明 before the 落款, then the signer and the date right-aligned */
    char *note = strstr(x, ">附件：</w:t>");
    char *sign = strstr(x, ">鹿邑县文化广电旅游局</w:t>");
    char *date = strstr(x, ">2019年12月31日</w:t>");
    assert_non_null(note);
    assert_true(note < sign && sign < date && date < strstr(x, ">附件</w:t>"));
    assert_non_null(strstr(x, "<w:ind w:right=\"628\" w:firstLineChars=\"0\" w:firstLine=\"0\"/>"
                              "<w:jc w:val=\"right\"/>"));
    /* appendix keys: a break after the 、 between two keys */
    assert_non_null(strstr(x, "2015-01、\xE2\x80\x8BSQ2014011/2015-02、甲"));
    assert_non_null(strstr(x, "依据：SQ2014011"));
    free(x);
    char *ch = _zip_read(p, "word/charts/chart1.xml", NULL);
    assert_non_null(strstr(ch, "<c:grouping val=\"stacked\"/>"));
    assert_non_null(strstr(ch, "<c:overlap val=\"100\"/>"));
    assert_non_null(strstr(ch, "formatCode=\"General;-General;;\""));
    assert_non_null(strstr(ch, "<c:dLblPos val=\"ctr\"/>"));
    /* 丙: a category of both series, a value of the second only */
    assert_int_equal(_count(ch, "<c:pt idx=\"2\"><c:v>丙</c:v>"), 2);
    assert_int_equal(_count(ch, "<c:pt idx=\"2\"><c:v>"), 3);
    free(ch);
    tz_diags_clear(&d);
    tz_doc_free(doc);
}

static void test_render_typesetting(void **state)
{
    (void)state;
    tz_doc *doc = _typeset_sample();
    tz_buf b = TZ_BUF_INIT;
    assert_int_equal(tz_render_html(doc, &b), 0);
    const char *h = tz_buf_str(&b);
    const char *fig =
        strstr(h, "<figure class=\"chart\">\n<figcaption>图1　堆积</figcaption>\n<svg");
    assert_non_null(fig);
    assert_non_null(strstr(h, "<p class=\"appendix-note\">附件：数据来源</p>"));
    assert_non_null(
        strstr(h, "<p class=\"signer\" style=\"padding-right: 2.0em\">鹿邑县文化广电旅游局</p>"));
    assert_non_null(
        strstr(h, "<p class=\"date\" style=\"padding-right: 3.0em\">2019年12月31日</p>"));
    assert_true(strstr(h, "appendix-note") < strstr(h, "class=\"signer\""));
    /* stacked: five bars (丙 has one), labels but no "0" */
    const char *end = strstr(fig, "</figure>");
    size_t bars = 0, zero = 0;
    for (const char *r = strstr(fig, "</title></rect>"); r && r < end;
         r = strstr(r + 1, "</title></rect>"))
        bars++;
    for (const char *r = strstr(fig, "font-size=\"12\""); r && r < end;
         r = strstr(r + 1, "font-size=\"12\""))
        zero += strncmp(strchr(r, '>'), ">0<", 3) == 0;
    assert_int_equal(bars, 5);
    assert_int_equal(zero, 0);
    tz_buf_free(&b);
    assert_int_equal(tz_render_md(doc, &b), 0);
    assert_non_null(
        strstr(tz_buf_str(&b), "附件：数据来源\n\n鹿邑县文化广电旅游局\\\n2019年12月31日\n\n"));
    assert_non_null(strstr(tz_buf_str(&b), "\n1\\.三级标题。"));
    tz_buf_free(&b);
    tz_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_blocks),
        cmocka_unit_test(test_model_copies_and_cleans),
        cmocka_unit_test(test_model_misuse),
        cmocka_unit_test(test_docx_grid_values),
        cmocka_unit_test(test_docx_package),
        cmocka_unit_test(test_docx_deterministic),
        cmocka_unit_test(test_docx_dangling_ref_and_errors),
        cmocka_unit_test(test_render_md),
        cmocka_unit_test(test_render_html),
        cmocka_unit_test(test_render_html_article),
        cmocka_unit_test(test_render_gaps),
        cmocka_unit_test(test_render_file),
        cmocka_unit_test(test_model_close_and_groups),
        cmocka_unit_test(test_model_close_lines_and_note),
        cmocka_unit_test(test_head_unit_kept_whole),
        cmocka_unit_test(test_docx_typesetting),
        cmocka_unit_test(test_render_typesetting),
    };
    return cmocka_run_group_tests(tests, _setup, _teardown);
}
