/* test_reader.c - unit tests of the streaming table reader (io/reader.h):
 * CSV encodings and quoting, xlsx written by libxlsxwriter or assembled by
 * hand with libzip, broken and hostile zips, and the committed fixtures in
 * tests/data/reader/ (bomb.xlsx, households.xls). Run from the repository
 * root, as make does: fixtures are found relative to this file's path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "io/reader.h"
#include "io/reader_impl.h"
#include "util/buf.h"
#include <dirent.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

/* ---- helpers ------------------------------------------------------------ */

static char g_dir[64]; /* this run's scratch directory */

static int _setup(void **state)
{
    strcpy(g_dir, "/tmp/tzr-test-XXXXXX");
    return mkdtemp(g_dir) ? 0 : -1;
}

static int _teardown(void **state)
{
    DIR *dp = opendir(g_dir);
    if (!dp)
        return -1;
    struct dirent *de;
    char path[512];
    while ((de = readdir(dp))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", g_dir, de->d_name);
        unlink(path);
    }
    closedir(dp);
    return rmdir(g_dir);
}

/* Returns a path in the scratch directory (static storage, one at a time
 * per slot: callers that need two use different slots). */
static const char *_tmp(const char *name, int slot)
{
    static char paths[4][512];
    snprintf(paths[slot], sizeof paths[slot], "%s/%s", g_dir, name);
    return paths[slot];
}

/* Returns the path of a committed fixture (static storage). */
static const char *_fixture(const char *name)
{
    static char path[1024];
    /* __FILE__ is ".../tests/unit/test_reader.c": cut after "tests/". */
    const char *file = __FILE__;
    const char *cut = strstr(file, "unit/test_reader.c");
    assert_non_null(cut);
    snprintf(path, sizeof path, "%.*sdata/reader/%s", (int)(cut - file), file, name);
    return path;
}

static void _write(const char *path, const void *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

static void _write_str(const char *path, const char *s)
{
    _write(path, s, strlen(s));
}

/* Reads a whole file; *len gets its size. Caller frees. */
static char *_slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    long n = ftell(fp);
    assert_true(n >= 0);
    rewind(fp);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

/* Converts UTF-8 text to the encoding to (e.g. "GBK"). Caller frees. */
static char *_convert(const char *to, const char *s, size_t *outlen)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    assert_true(cd != (iconv_t)-1);
    size_t inleft = strlen(s), cap = inleft * 2 + 16, outleft = cap;
    char *out = malloc(cap), *op = out, *ip = (char *)s;
    assert_non_null(out);
    assert_true(iconv(cd, &ip, &inleft, &op, &outleft) != (size_t)-1);
    iconv_close(cd);
    *outlen = cap - outleft;
    return out;
}

/* Marks a cell of kind k in a dump: number "#", error value "!", formula
 * without result "~", text nothing. */
static const char *_kind_mark(unsigned char k)
{
    return k == TZ_CELL_NUMBER ? "#" : k == TZ_CELL_ERROR ? "!" : k == TZ_CELL_NOVALUE ? "~" : "";
}

/* Reads every row of path into text: one line per row, "rowno:" then the
 * cells separated by "|", each followed by its _kind_mark. Returns the text
 * (caller frees) and sets *rc to the last result (0 at a clean end, -1 on
 * error, -2 when open failed); diagnostics go to d; the encoding name to
 * enc when not NULL. */
static char *_dump(const char *path, tz_diags *d, int *rc, char *enc, size_t encsize)
{
    tz_buf b = TZ_BUF_INIT;
    tz_reader *r = NULL;
    if (tz_reader_open(path, &r, d) != 0) {
        assert_null(r);
        *rc = -2;
        return tz_buf_take(&b);
    }
    if (enc)
        snprintf(enc, encsize, "%s", tz_reader_encoding(r));
    const tz_row *row;
    while ((*rc = tz_reader_next(r, &row, d)) == 1) {
        assert_non_null(row->cells);
        tz_buf_printf(&b, "%ld:", row->rowno);
        for (size_t i = 0; i < row->n; i++)
            tz_buf_printf(&b, "%s%s%s", i ? "|" : "", row->cells[i], _kind_mark(row->numeric[i]));
        tz_buf_putc(&b, '\n');
    }
    if (*rc == 0) {
        unsigned long long done, total;
        tz_reader_progress(r, &done, &total);
        assert_true(done == total);
    }
    tz_reader_free(r);
    return tz_buf_take(&b);
}

/* Returns the first diagnostic of d formatted (caller frees). */
static char *_first_diag(const tz_diags *d)
{
    assert_true(d->n > 0);
    return tz_diag_format(&d->items[0]);
}

/* Asserts that reading path yields exactly want with no diagnostics. */
static void _expect_rows(const char *path, const char *want, const char *want_enc)
{
    tz_diags d = TZ_DIAGS_INIT;
    int rc;
    char enc[32] = "";
    char *got = _dump(path, &d, &rc, enc, sizeof enc);
    if (d.n)
        tz_diags_print(&d, stderr);
    assert_int_equal(rc, 0);
    assert_int_equal(d.n, 0);
    assert_string_equal(got, want);
    if (want_enc)
        assert_string_equal(enc, want_enc);
    free(got);
    tz_diags_clear(&d);
}

/* Asserts that reading path fails with a first diagnostic containing each
 * of the NULL-terminated fragments, after yielding rows_before. */
static void _expect_error(const char *path, const char *rows_before, ...)
{
    tz_diags d = TZ_DIAGS_INIT;
    int rc;
    char *got = _dump(path, &d, &rc, NULL, 0);
    assert_true(rc < 0);
    assert_int_equal(d.nerrors, 1);
    if (rows_before)
        assert_string_equal(got, rows_before);
    char *msg = _first_diag(&d);
    va_list ap;
    va_start(ap, rows_before);
    const char *frag;
    while ((frag = va_arg(ap, const char *))) {
        if (!strstr(msg, frag))
            fail_msg("\"%s\" lacks \"%s\"", msg, frag);
    }
    va_end(ap);
    free(msg);
    free(got);
    tz_diags_clear(&d);
}

static double _now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- CSV ------------------------------------------------------------------ */

static void test_csv_utf8(void **state)
{
    const char *p = _tmp("utf8.csv", 0);
    _write_str(p, "户编号,户主姓名,家庭人口\n410001,张三,4\n410002,李四, 1 \n");
    _expect_rows(p, "1:户编号|户主姓名|家庭人口\n2:410001|张三|4\n3:410002|李四| 1 \n", "UTF-8");
}

static void test_csv_utf8_bom(void **state)
{
    const char *p = _tmp("bom.csv", 0);
    _write_str(p, "\xEF\xBB\xBF户编号,户主姓名\n410001,张三\n");
    _expect_rows(p, "1:户编号|户主姓名\n2:410001|张三\n", "UTF-8 BOM");
}

static void test_csv_gbk(void **state)
{
    const char *text =
        "户编号,户主姓名,主要致贫原因\n410001,张三,因病\n410002,\"欧阳,娜娜\",缺技术\n";
    size_t len;
    char *gbk = _convert("GBK", text, &len);
    assert_true(len < strlen(text)); /* really two bytes per character */
    const char *p = _tmp("gbk.csv", 0);
    _write(p, gbk, len);
    free(gbk);
    _expect_rows(p,
                 "1:户编号|户主姓名|主要致贫原因\n2:410001|张三|因病\n3:410002|欧阳,娜娜|缺技术\n",
                 "GB18030");
}

static void test_csv_gb18030_four_byte(void **state)
{
    /* 𠀀 (U+20000) and € need GB18030's four-byte and extension forms. */
    const char *text = "名称\n𠀀村€\n";
    size_t len;
    char *gb = _convert("GB18030", text, &len);
    const char *p = _tmp("gb4.csv", 0);
    _write(p, gb, len);
    free(gb);
    _expect_rows(p, "1:名称\n2:𠀀村€\n", "GB18030");
}

static void test_csv_quoting(void **state)
{
    const char *p = _tmp("quote.csv", 0);
    _write_str(p, "名称,说明,备注\n"
                  "\"a,b\",\"他说\"\"好\"\"\",\"第一行\n第二行\"\n"
                  "\"\",\"\"\"\",x\n"
                  "\"多\n行\n记录\",2,3\n"
                  "after,\"q\"tail,\"\"\n"
                  "last,no newline");
    _expect_rows(p,
                 "1:名称|说明|备注\n"
                 "2:a,b|他说\"好\"|第一行\n第二行\n"
                 "3:|\"|x\n"
                 "4:多\n行\n记录|2|3\n"
                 "5:after|qtail|\n"
                 "6:last|no newline\n",
                 "UTF-8");
}

static void test_csv_crlf(void **state)
{
    const char *p = _tmp("crlf.csv", 0);
    _write_str(p, "h1,h2\r\n1,2\r\n\r\n3,\"a\r\nb\"\r\n\"x\"\r\n");
    _expect_rows(p, "1:h1|h2\n2:1|2\n4:3|a\nb\n5:x\n", NULL);
}

static void test_csv_bare_cr(void **state)
{
    const char *p = _tmp("cr.csv", 0);
    _write_str(p, "h1,h2\r1,2\r\r3,4");
    _expect_rows(p, "1:h1|h2\n2:1|2\n4:3|4\n", NULL);
}

static void test_csv_empty_rows(void **state)
{
    const char *p = _tmp("empty.csv", 0);
    _write_str(p, "户编号,姓名\n\n,,\n410001,\n\n,张三,\n\n");
    _expect_rows(p, "1:户编号|姓名\n4:410001|\n6:|张三|\n", NULL);
}

static void test_csv_empty_file(void **state)
{
    const char *p = _tmp("zero.csv", 0);
    _write_str(p, "");
    _expect_rows(p, "", "UTF-8");
    _write_str(p, "\xEF\xBB\xBF");
    _expect_rows(p, "", "UTF-8 BOM");
}

static void test_csv_invalid_in_gb18030(void **state)
{
    /* 0x80 and 0xFF stand alone in neither UTF-8 nor GB18030. */
    const char *p = _tmp("bad.csv", 0);
    _write_str(p, "a,b\n1,2\nx,\xFF\xFF\n");
    _expect_error(p, "1:a|b\n2:1|2\n", "bad.csv 第3行", "0xFF", "GB18030", NULL);
}

static void test_csv_invalid_utf8_later(void **state)
{
    /* 100 KiB of UTF-8 Chinese decide UTF-8; GBK bytes in row 4001 break it. */
    tz_buf b = TZ_BUF_INIT;
    tz_buf_puts(&b, "名称,说明\n");
    for (int i = 2; i <= 4000; i++)
        tz_buf_printf(&b, "第%d行,中文内容\n", i);
    assert_true(b.len > (64 << 10));
    tz_buf_puts(&b, "\xD5\xC5\xC8\xFD,x\nok,ok\n"); /* 张三 in GBK */
    const char *p = _tmp("mixed.csv", 0);
    _write(p, b.data, b.len);
    tz_buf_free(&b);
    tz_diags d = TZ_DIAGS_INIT;
    int rc;
    char enc[32];
    char *got = _dump(p, &d, &rc, enc, sizeof enc);
    assert_int_equal(rc, -1);
    assert_string_equal(enc, "UTF-8");
    assert_non_null(strstr(got, "\n4000:第4000行|中文内容\n"));
    char *msg = _first_diag(&d);
    assert_non_null(strstr(msg, "mixed.csv 第4001行"));
    assert_non_null(strstr(msg, "0xD5"));
    assert_non_null(strstr(msg, "UTF-8"));
    free(msg);
    free(got);
    tz_diags_clear(&d);
}

static void test_csv_ascii_then_gbk(void **state)
{
    /* The first 64 KiB are plain ASCII: the decision waits for the GBK row. */
    tz_buf b = TZ_BUF_INIT;
    tz_buf_puts(&b, "id,name\n");
    for (int i = 2; i <= 8000; i++)
        tz_buf_printf(&b, "%d,abc\n", i);
    assert_true(b.len > (64 << 10));
    size_t len;
    char *gbk = _convert("GBK", "8001,张三\n", &len);
    tz_buf_add(&b, gbk, len);
    free(gbk);
    const char *p = _tmp("late.csv", 0);
    _write(p, b.data, b.len);
    tz_buf_free(&b);
    tz_diags d = TZ_DIAGS_INIT;
    int rc;
    char enc[32];
    char *got = _dump(p, &d, &rc, enc, sizeof enc);
    assert_int_equal(rc, 0);
    assert_int_equal(d.n, 0);
    assert_non_null(strstr(got, "\n7999:7999|abc\n8000:8000|abc\n8001:8001|张三\n"));
    free(got);
    tz_reader *r;
    assert_int_equal(tz_reader_open(p, &r, &d), 0);
    assert_string_equal(tz_reader_encoding(r), "UTF-8"); /* ASCII so far */
    const tz_row *row;
    while (tz_reader_next(r, &row, &d) == 1)
        ;
    assert_string_equal(tz_reader_encoding(r), "GB18030");
    tz_reader_free(r);
    tz_diags_clear(&d);
}

/* Writes a large CSV of n records whose characters and quoted line breaks
 * fall across chunk boundaries, in encoding enc (NULL: UTF-8), and checks
 * that every record comes back whole with the right row number. */
static void _chunk_boundaries(const char *name, const char *enc, const char *want_enc)
{
    const int n = 30000;
    tz_buf b = TZ_BUF_INIT;
    tz_buf_puts(&b, "编号,内容,备注\n");
    for (int i = 0; i < n; i++)
        tz_buf_printf(&b, "%d,%.*s甲乙丙丁,\"引号,内\"\"容\r\n换行%d\"\r\n", i, i % 4, "xyz", i);
    const char *p = _tmp(name, 0);
    if (enc) {
        size_t len;
        char *conv = _convert(enc, tz_buf_str(&b), &len);
        _write(p, conv, len);
        free(conv);
    } else
        _write(p, b.data, b.len);
    tz_buf_free(&b);

    tz_diags d = TZ_DIAGS_INIT;
    tz_reader *r;
    assert_int_equal(tz_reader_open(p, &r, &d), 0);
    assert_string_equal(tz_reader_encoding(r), want_enc);
    const tz_row *row;
    assert_int_equal(tz_reader_next(r, &row, &d), 1);
    assert_int_equal(row->rowno, 1);
    char want[128];
    for (int i = 0; i < n; i++) {
        assert_int_equal(tz_reader_next(r, &row, &d), 1);
        assert_int_equal(row->rowno, i + 2);
        assert_int_equal(row->n, 3);
        snprintf(want, sizeof want, "%d", i);
        assert_string_equal(row->cells[0], want);
        snprintf(want, sizeof want, "%.*s甲乙丙丁", i % 4, "xyz");
        assert_string_equal(row->cells[1], want);
        snprintf(want, sizeof want, "引号,内\"容\n换行%d", i);
        assert_string_equal(row->cells[2], want);
        assert_int_equal(row->numeric[0], 0);
    }
    assert_int_equal(tz_reader_next(r, &row, &d), 0);
    unsigned long long done, total;
    tz_reader_progress(r, &done, &total);
    assert_true(total > (1ULL << 20));
    assert_true(done == total);
    assert_int_equal(d.n, 0);
    tz_reader_free(r);
    tz_diags_clear(&d);
}

static void test_csv_chunk_boundaries_utf8(void **state)
{
    _chunk_boundaries("big8.csv", NULL, "UTF-8");
}

static void test_csv_chunk_boundaries_gbk(void **state)
{
    _chunk_boundaries("bigg.csv", "GBK", "GB18030");
}

static void test_csv_progress_grows(void **state)
{
    tz_buf b = TZ_BUF_INIT;
    for (int i = 0; i < 40000; i++)
        tz_buf_printf(&b, "%d,row\n", i);
    const char *p = _tmp("prog.csv", 0);
    _write(p, b.data, b.len);
    tz_diags d = TZ_DIAGS_INIT;
    tz_reader *r;
    assert_int_equal(tz_reader_open(p, &r, &d), 0);
    unsigned long long done, total, last = 0;
    tz_reader_progress(r, &done, &total);
    assert_true(total == b.len);
    assert_true(done < total); /* only the first chunk so far */
    const tz_row *row;
    int rc, steps = 0;
    while ((rc = tz_reader_next(r, &row, &d)) == 1) {
        tz_reader_progress(r, &done, &total);
        assert_true(done >= last);
        if (done > last)
            steps++;
        last = done;
    }
    assert_int_equal(rc, 0);
    assert_true(steps >= 3);
    tz_reader_free(r);
    tz_buf_free(&b);
}

static void test_csv_unclosed_quote(void **state)
{
    const char *p = _tmp("open.csv", 0);
    _write_str(p, "a,b\n1,2\n3,\"abc\n4,5\n6,7\n");
    _expect_error(p, "1:a|b\n2:1|2\n", "open.csv 第3行", "引号", NULL);
}

static void test_csv_nul_and_utf16(void **state)
{
    const char *p = _tmp("nul.csv", 0);
    _write(p, "a,b\n1,\0\n", 8);
    _expect_error(p, "1:a|b\n", "nul.csv 第2行", "0x00", NULL);
    const char *q = _tmp("u16.csv", 1);
    _write(q,
           "\xFF\xFE"
           "a\0,\0b\0\n\0",
           10);
    _expect_error(q, "", "u16.csv: ", "UTF-16", NULL);
}

static void test_csv_truncated_character(void **state)
{
    const char *p = _tmp("cut.csv", 0);
    _write_str(p, "名称\n张\xE4\xB8"); /* 三 = E4 B8 89, last byte missing */
    _expect_error(p, "1:名称\n", "cut.csv 第2行", "0xE4 0xB8", NULL);
}

static void test_csv_cell_too_large(void **state)
{
    size_t n = TZ_READER_MAX_CELL + 10;
    char *big = malloc(n + 16);
    assert_non_null(big);
    memcpy(big, "h\n\"", 3);
    memset(big + 3, 'x', n);
    memcpy(big + 3 + n, "\"\n", 2);
    const char *p = _tmp("huge.csv", 0);
    _write(p, big, n + 5);
    free(big);
    _expect_error(p, "1:h\n", "huge.csv 第2行", "第1列", NULL);
}

static void test_csv_too_many_columns(void **state)
{
    tz_buf b = TZ_BUF_INIT;
    tz_buf_puts(&b, "h\n");
    for (int i = 0; i <= TZ_READER_MAX_COLS; i++)
        tz_buf_puts(&b, "x,");
    tz_buf_puts(&b, "\n");
    const char *p = _tmp("wide.csv", 0);
    _write(p, b.data, b.len);
    tz_buf_free(&b);
    _expect_error(p, "1:h\n", "wide.csv 第2行", "16384", NULL);
}

/* ---- front end -------------------------------------------------------------- */

static void test_open_errors(void **state)
{
    tz_diags d = TZ_DIAGS_INIT;
    tz_reader *r = (tz_reader *)&d; /* must be reset to NULL */
    assert_int_equal(tz_reader_open(_tmp("missing.csv", 0), &r, &d), -1);
    assert_null(r);
    char *msg = _first_diag(&d);
    assert_string_equal(msg, "missing.csv: 文件不存在");
    free(msg);
    tz_diags_clear(&d);

    const char *p = _tmp("notes.txt", 0);
    _write_str(p, "a,b\n");
    assert_int_equal(tz_reader_open(p, &r, &d), -1);
    msg = _first_diag(&d);
    assert_non_null(strstr(msg, "notes.txt: 不支持的文件格式"));
    free(msg);
    tz_diags_clear(&d);

    assert_int_equal(tz_reader_open(g_dir, &r, &d), -1); /* a directory; no extension either */
    tz_diags_clear(&d);

    tz_reader_free(NULL);
}

static void test_extension_case_and_name(void **state)
{
    const char *p = _tmp("UPPER.CSV", 0);
    _write_str(p, "a\n1\n");
    tz_diags d = TZ_DIAGS_INIT;
    tz_reader *r;
    assert_int_equal(tz_reader_open(p, &r, &d), 0);
    assert_string_equal(tz_reader_name(r), "UPPER.CSV");
    tz_reader_free(r);
}

static void test_wrong_extension(void **state)
{
    /* An xlsx saved as .csv is named for what it is; one saved as .xls is
     * read as the xlsx it is (the content decides, issue 10). */
    const char *x = _tmp("real.xlsx", 0);
    lxw_workbook *wb = workbook_new(x);
    worksheet_write_string(workbook_add_worksheet(wb, NULL), 0, 0, "a", NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    size_t len;
    char *data = _slurp(x, &len);
    const char *c = _tmp("fake.csv", 1);
    _write(c, data, len);
    _expect_error(c, "", "fake.csv: ", "xlsx", NULL);
    const char *xl = _tmp("fake.xls", 2);
    _write(xl, data, len);
    _expect_rows(xl, "1:a\n", "xlsx");
    free(data);
}

/* ---- XLSX written by libxlsxwriter ------------------------------------------ */

/* Writes the same small ledger with libxlsxwriter; constant_memory makes it
 * use inline strings instead of the shared-string table. */
static void _write_xlsx(const char *path, int constant_memory)
{
    lxw_workbook_options opt = {
        .constant_memory = (uint8_t)constant_memory, .tmpdir = g_dir, .use_zip64 = 0};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    assert_non_null(wb);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "户");
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    /* row 1: header */
    worksheet_write_string(ws, 0, 0, "户编号", NULL);
    worksheet_write_string(ws, 0, 1, "户主姓名", NULL);
    worksheet_write_string(ws, 0, 2, "人均纯收入(元)", NULL);
    worksheet_write_string(ws, 0, 3, "识别日期", NULL);
    worksheet_write_string(ws, 0, 4, "备注", NULL);
    /* row 2: text, number, date serial, tiny number */
    worksheet_write_string(ws, 1, 0, "410001", NULL);
    worksheet_write_string(ws, 1, 1, "张三", NULL);
    worksheet_write_number(ws, 1, 2, 12.5, NULL);
    lxw_datetime dt = {2019, 1, 1, 0, 0, 0};
    worksheet_write_datetime(ws, 1, 3, &dt, date);
    worksheet_write_number(ws, 1, 4, 1.2e-10, NULL);
    /* row 3: a gap (B, C empty), a blank formatted cell, a boolean */
    worksheet_write_string(ws, 2, 0, "410002", NULL);
    worksheet_write_blank(ws, 2, 2, date);
    worksheet_write_boolean(ws, 2, 3, 1, NULL);
    /* rows 4-5 skipped; row 6: a formula with a string result, big integer */
    worksheet_write_formula_str(ws, 5, 1, "=\"李\"&\"四\"", NULL, "李四");
    worksheet_write_number(ws, 5, 2, 43466, NULL);
    worksheet_write_string(ws, 5, 4, "多行\n文本 ", NULL);
    /* row 7: only blanks, skipped as empty */
    worksheet_write_blank(ws, 6, 0, date);
    /* row 8: last */
    worksheet_write_string(ws, 7, 0, "end", NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

static const char XLSX_WANT[] = "1:户编号|户主姓名|人均纯收入(元)|识别日期|备注\n"
                                "2:410001|张三|12.5#|43466#|1.2E-10#\n"
                                "3:410002|||1#\n"
                                "6:|李四|43466#||多行\n文本 \n"
                                "8:end\n";

static void test_xlsx_libxlsxwriter(void **state)
{
    const char *p = _tmp("ledger.xlsx", 0);
    _write_xlsx(p, 0);
    _expect_rows(p, XLSX_WANT, "xlsx");
}

static void test_xlsx_inline_strings(void **state)
{
    const char *p = _tmp("inline.xlsx", 0);
    _write_xlsx(p, 1);
    /* make sure this really is the inline-string path */
    int zerr;
    zip_t *z = zip_open(p, ZIP_RDONLY, &zerr);
    assert_non_null(z);
    assert_true(zip_name_locate(z, "xl/sharedStrings.xml", 0) < 0);
    zip_discard(z);
    _expect_rows(p, XLSX_WANT, "xlsx");
}

static void test_xlsx_truncated(void **state)
{
    const char *full = _tmp("full.xlsx", 0);
    _write_xlsx(full, 0);
    size_t len;
    char *data = _slurp(full, &len);
    const char *p = _tmp("truncated.xlsx", 1);
    _write(p, data, len / 2);
    tz_diags d = TZ_DIAGS_INIT;
    tz_reader *r = NULL;
    assert_int_equal(tz_reader_open(p, &r, &d), -1);
    assert_null(r);
    char *msg = _first_diag(&d);
    assert_string_equal(msg, "truncated.xlsx: 文件已损坏或不完整,无法作为xlsx读取");
    free(msg);
    tz_diags_clear(&d);
    /* every shorter cut fails cleanly too */
    for (size_t cut = 0; cut < len; cut += len / 37 + 1) {
        _write(p, data, cut);
        int rc;
        char *got = _dump(p, &d, &rc, NULL, 0);
        assert_true(rc < 0);
        assert_true(d.nerrors >= 1);
        free(got);
        tz_diags_clear(&d);
    }
    free(data);
}

/* Returns the offset of the local header of entry name in a zip image. */
static size_t _local_header(const char *zip, size_t len, const char *name)
{
    size_t nlen = strlen(name);
    for (size_t i = 0; i + 30 + nlen <= len; i++) {
        if (memcmp(zip + i, "PK\x03\x04", 4) != 0)
            continue;
        size_t n = (unsigned char)zip[i + 26] | (size_t)(unsigned char)zip[i + 27] << 8;
        if (n == nlen && memcmp(zip + i + 30, name, nlen) == 0)
            return i;
    }
    fail_msg("no local header for %s", name);
    return 0;
}

static void test_xlsx_corrupt_data(void **state)
{
    /* The directory is intact but the sheet's deflate stream is garbage. */
    const char *full = _tmp("ok.xlsx", 0);
    _write_xlsx(full, 0);
    size_t len;
    char *data = _slurp(full, &len);
    size_t at = _local_header(data, len, "xl/worksheets/sheet1.xml");
    size_t extra = (unsigned char)data[at + 28] | (size_t)(unsigned char)data[at + 29] << 8;
    size_t body = at + 30 + strlen("xl/worksheets/sheet1.xml") + extra;
    for (size_t i = 0; i < 40; i++)
        data[body + 10 + i] ^= (char)0x5A;
    const char *p = _tmp("corrupt.xlsx", 1);
    _write(p, data, len);
    free(data);
    _expect_error(p, NULL, "corrupt.xlsx: ", "损坏", NULL);
}

/* ---- XLSX assembled by hand ----------------------------------------------------- */

static const char CT[] = "<?xml version=\"1.0\"?><Types "
                         "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";
static const char NS_MAIN[] = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
static const char PKG_RELS[] =
    "<?xml version=\"1.0\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
    "2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
    "officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
    "</Relationships>";
#define REL_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define REL_T REL_NS "/"

/* Writes a zip of the NULL-terminated (name, text) pairs. */
static void _make_zip(const char *path, const char *const *parts)
{
    int zerr;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    assert_non_null(z);
    for (size_t i = 0; parts[i]; i += 2) {
        zip_source_t *src = zip_source_buffer(z, parts[i + 1], strlen(parts[i + 1]), 0);
        assert_non_null(src);
        assert_true(zip_file_add(z, parts[i], src, ZIP_FL_OVERWRITE) >= 0);
    }
    assert_int_equal(zip_close(z), 0);
}

/* A worksheet part with the given <sheetData> content. Caller frees. */
static char *_sheet(const char *data)
{
    tz_buf b = TZ_BUF_INIT;
    tz_buf_printf(&b,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                  "<worksheet xmlns=\"%s\"><dimension ref=\"A1\"/>\n<sheetData>%s</sheetData>"
                  "<mergeCells count=\"0\"/></worksheet>",
                  NS_MAIN, data);
    return tz_buf_take(&b);
}

/* A workbook.xml with the given content inside <workbook> (sheets and
 * workbookPr). Caller frees. */
static char *_workbook(const char *inner)
{
    tz_buf b = TZ_BUF_INIT;
    tz_buf_printf(&b,
                  "<?xml version=\"1.0\"?>\n<workbook xmlns=\"%s\" xmlns:r=\"" REL_NS "\">%s"
                  "</workbook>",
                  NS_MAIN, inner);
    return tz_buf_take(&b);
}

/* A .rels part with the given <Relationship> elements. Caller frees. */
static char *_rels(const char *inner)
{
    tz_buf b = TZ_BUF_INIT;
    tz_buf_printf(&b,
                  "<?xml version=\"1.0\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats."
                  "org/package/2006/relationships\">%s</Relationships>",
                  inner);
    return tz_buf_take(&b);
}

/* Writes a complete one-sheet package: workbookPr pr (may be ""), the
 * <sheetData> content data, and a shared-string part sst when not NULL. */
static void _book(const char *path, const char *pr, const char *data, const char *sst)
{
    tz_buf in = TZ_BUF_INIT;
    tz_buf_printf(&in, "%s<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets>",
                  pr);
    char *wb = _workbook(tz_buf_str(&in));
    tz_buf_free(&in);
    char *rels = _rels(sst ? "<Relationship Id=\"rId1\" Type=\"" REL_T "worksheet\" "
                             "Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" "
                             "Type=\"" REL_T "sharedStrings\" Target=\"sharedStrings.xml\"/>"
                           : "<Relationship Id=\"rId1\" Type=\"" REL_T "worksheet\" "
                             "Target=\"worksheets/sheet1.xml\"/>");
    char *sh = _sheet(data);
    const char *parts[] = {"[Content_Types].xml",
                           CT,
                           "_rels/.rels",
                           PKG_RELS,
                           "xl/workbook.xml",
                           wb,
                           "xl/_rels/workbook.xml.rels",
                           rels,
                           "xl/worksheets/sheet1.xml",
                           sh,
                           sst ? "xl/sharedStrings.xml" : NULL,
                           sst,
                           NULL};
    _make_zip(path, parts);
    free(wb);
    free(rels);
    free(sh);
}

static void test_xlsx_handmade_types(void **state)
{
    /* The tab order puts a hidden sheet first, then sheet "数据" stored as
     * sheet3.xml under a prefixed namespace and an absolute target. */
    const char *wb =
        "<?xml version=\"1.0\"?>\n<x:workbook xmlns:x=\"http://schemas.openxmlformats.org/"
        "spreadsheetml/2006/main\" xmlns:rel=\"http://schemas.openxmlformats.org/officeDocument/"
        "2006/relationships\"><x:sheets>"
        "<x:sheet name=\"列表\" sheetId=\"1\" state=\"hidden\" rel:id=\"rId7\"/>"
        "<x:sheet name=\"数据\" sheetId=\"2\" rel:id=\"rId9\"/>"
        "<x:sheet name=\"其他\" sheetId=\"3\" rel:id=\"rId1\"/>"
        "</x:sheets></x:workbook>";
    const char *rels =
        "<?xml version=\"1.0\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/"
        "package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
        "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId7\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
        "relationships/worksheet\" Target=\"worksheets/sheet2.xml\"/>"
        "<Relationship Id=\"rId9\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
        "relationships/worksheet\" Target=\"/xl/worksheets/./sub/../sheet3.xml\"/>"
        "<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
        "relationships/sharedStrings\" Target=\"strings.xml\"/>"
        "</Relationships>";
    const char *sst =
        "<?xml version=\"1.0\"?>\n<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"
        "2006/main\" count=\"4\" uniqueCount=\"4\">"
        "<si><t>户编号</t></si>"
        "<si><r><rPr><b/></rPr><t>富</t></r><r><t xml:space=\"preserve\">文本 </t></r>"
        "<rPh sb=\"0\" eb=\"1\"><t>ふりがな</t></rPh></si>"
        "<si><t>甲_x000D_\n乙_x005F_x0041_</t></si>"
        "<si><t/></si>"
        "</sst>";
    char *s1 =
        _sheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>wrong sheet</t></is></c></row>");
    char *s2 = _sheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>hidden</t></is></c></row>");
    char *s3 = _sheet(
        "<row r=\"1\" spans=\"1:5\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" "
        "t=\"s\"><v>1</v></c>"
        "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c></row>"
        "<row r=\"3\"><c r=\"B3\" t=\"e\"><f>1/0</f><v>#DIV/0!</v></c>"
        "<c r=\"c3\" t=\"b\"><v>0</v></c><c r=\"E3\"><v>1.2E-3</v></c></row>"
        "<row><c t=\"inlineStr\"><is><r><t>无</t></r><r><t>编号</t></r></is></c><c><v>7</v></c>"
        "<c t=\"str\"><f>A1</f><v>公式</v></c><c t=\"d\"><v>2019-06-01T00:00:00</v></c></row>"
        "<row r=\"10\"><c r=\"A10\" s=\"3\"/><c r=\"B10\"><f>SUM(A1)</f></c></row>"
        "<row r=\"11\" x14ac:dyDescent=\"0.25\" xmlns:x14ac=\"urn:x\"><c r=\"XFD11\"><v>-5</v></c>"
        "</row>");
    const char *parts[] = {"[Content_Types].xml",
                           CT,
                           "_rels/.rels",
                           PKG_RELS,
                           "xl/workbook.xml",
                           wb,
                           "xl/_rels/workbook.xml.rels",
                           rels,
                           "xl/strings.xml",
                           sst,
                           "xl/worksheets/sheet1.xml",
                           s1,
                           "xl/worksheets/sheet2.xml",
                           s2,
                           "xl/worksheets/sheet3.xml",
                           s3,
                           NULL};
    const char *p = _tmp("hand.xlsx", 0);
    _make_zip(p, parts);
    free(s1);
    free(s2);
    free(s3);

    tz_diags d = TZ_DIAGS_INIT;
    int rc;
    char *got = _dump(p, &d, &rc, NULL, 0);
    assert_int_equal(rc, 0);
    assert_int_equal(d.n, 0);
    const char *want_head = "1:户编号|富文本 |甲\r\n乙_x0041_|\n"
                            "3:|#DIV/0!!|0#||1.2E-3#\n"
                            "4:无编号|7#|公式|2019-06-01T00:00:00\n"
                            "10:|~\n"
                            "11:";
    assert_memory_equal(got, want_head, strlen(want_head));
    /* row 11 holds -5 in the last column Excel has (XFD = 16384) */
    const char *tail = got + strlen(want_head);
    size_t bars = 0;
    for (const char *q = tail; *q; q++)
        bars += *q == '|';
    assert_int_equal(bars, TZ_READER_MAX_COLS - 1);
    assert_string_equal(tail + bars, "-5#\n");
    free(got);
    tz_diags_clear(&d);
}

static void test_xlsx_missing_parts(void **state)
{
    /* No guessing at xl/worksheets/sheet1.xml: the relationships decide. */
    char *s1 = _sheet("<row r=\"2\"><c r=\"B2\"><v>42</v></c></row>");
    const char *p = _tmp("nowb.xlsx", 0);
    const char *no_pkg[] = {"[Content_Types].xml", CT, "xl/worksheets/sheet1.xml", s1, NULL};
    _make_zip(p, no_pkg);
    _expect_error(p, "", "nowb.xlsx: ", "找不到包关系表(_rels/.rels)", "另存", NULL);
    const char *no_wb[] = {"_rels/.rels", PKG_RELS, "xl/worksheets/sheet1.xml", s1, NULL};
    _make_zip(p, no_wb);
    _expect_error(p, "", "找不到包关系表指向的工作簿(xl/workbook.xml)", NULL);
    char *wb = _workbook("<sheets><sheet name=\"户\" sheetId=\"1\" r:id=\"rId1\"/></sheets>");
    const char *no_rels[] = {
        "_rels/.rels", PKG_RELS, "xl/workbook.xml", wb, "xl/worksheets/sheet1.xml", s1, NULL};
    _make_zip(p, no_rels);
    _expect_error(p, "", "找不到工作簿关系表(xl/_rels/workbook.xml.rels)", NULL);
    char *rels = _rels("<Relationship Id=\"rId1\" Type=\"" REL_T "worksheet\" "
                       "Target=\"worksheets/sheet2.xml\"/>");
    const char *no_sheet[] = {"_rels/.rels",
                              PKG_RELS,
                              "xl/workbook.xml",
                              wb,
                              "xl/_rels/workbook.xml.rels",
                              rels,
                              "xl/worksheets/sheet1.xml",
                              s1,
                              NULL};
    _make_zip(p, no_sheet);
    _expect_error(p, "", "找不到工作簿关系表指向的工作表(xl/worksheets/sheet2.xml)", NULL);
    free(rels);
    rels = _rels("<Relationship Id=\"rId1\" Type=\"" REL_T "worksheet\" "
                 "Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"" REL_T
                 "sharedStrings\" Target=\"sharedStrings.xml\"/>");
    const char *no_sst[] = {"_rels/.rels",
                            PKG_RELS,
                            "xl/workbook.xml",
                            wb,
                            "xl/_rels/workbook.xml.rels",
                            rels,
                            "xl/worksheets/sheet1.xml",
                            s1,
                            NULL};
    _make_zip(p, no_sst);
    _expect_error(p, "", "找不到工作簿关系表指向的共享字符串表(xl/sharedStrings.xml)", NULL);
    free(rels);
    free(wb);
    free(s1);
}

static void test_xlsx_no_sheet(void **state)
{
    const char *p = _tmp("nosheet.xlsx", 0);
    char *wb = _workbook("<sheets/>");
    char *rels = _rels("");
    const char *parts[] = {
        "[Content_Types].xml",        CT,   "_rels/.rels", PKG_RELS, "xl/workbook.xml", wb,
        "xl/_rels/workbook.xml.rels", rels, NULL};
    _make_zip(p, parts);
    _expect_error(p, "", "nosheet.xlsx: ", "工作簿中没有工作表", NULL);
    free(wb);
    free(rels);
}

static void test_xlsx_xml_error(void **state)
{
    const char *p = _tmp("badxml.xlsx", 0);
    _book(p, "", "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>\n<row r=\"2\"><c><v>2</c></row>",
          NULL);
    _expect_error(p, "1:1#\n", "badxml.xlsx: ", "第4行", "XML", NULL);
}

static void test_xlsx_doctype_refused(void **state)
{
    const char *s1 = "<?xml version=\"1.0\"?>\n<!DOCTYPE worksheet [<!ENTITY a \"aaaaaaaaaa\">"
                     "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
                     "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>&b;</t></is></c></row>"
                     "</sheetData></worksheet>";
    char *wb = _workbook("<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets>");
    char *rels = _rels("<Relationship Id=\"rId1\" Type=\"" REL_T "worksheet\" "
                       "Target=\"worksheets/sheet1.xml\"/>");
    const char *parts[] = {"_rels/.rels",
                           PKG_RELS,
                           "xl/workbook.xml",
                           wb,
                           "xl/_rels/workbook.xml.rels",
                           rels,
                           "xl/worksheets/sheet1.xml",
                           s1,
                           NULL};
    const char *p = _tmp("dtd.xlsx", 0);
    _make_zip(p, parts);
    free(wb);
    free(rels);
    _expect_error(p, "", "dtd.xlsx: ", "DTD", NULL);
}

static void test_xlsx_bad_shared_index(void **state)
{
    const char *sst = "<sst><si><t>a</t></si></sst>";
    const char *p = _tmp("sst.xlsx", 0);
    _book(p, "",
          "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
          "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c></row>",
          sst);
    _expect_error(p, "1:a\n", "sst.xlsx 第2行", "共享字符串", NULL);
}

static void test_xlsx_not_a_zip(void **state)
{
    const char *p = _tmp("text.xlsx", 0);
    _write_str(p, "户编号,姓名\n");
    _expect_error(p, "", "text.xlsx: 文件已损坏或不完整,无法作为xlsx读取", NULL);
    const char *q = _tmp("cfb.xlsx", 1);
    _write(q, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 padding padding", 24);
    _expect_error(q, "", "cfb.xlsx: ", "密码", NULL);
}

/* ---- issue 7: cell kinds, date system, references, parts ---------------------------- */

static void test_xlsx_formula_without_value(void **state)
{
    /* openpyxl and web exports write formulas without results: no <v>, or
     * an empty one. Such a cell is TZ_CELL_NOVALUE, and a row holding only
     * such cells is not an empty row. A formula with a result keeps it; a
     * string formula whose (present) result is "" computed an empty cell. */
    const char *p = _tmp("formula.xlsx", 0);
    _book(p, "",
          "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>h</t></is></c></row>"
          "<row r=\"2\"><c r=\"A2\"><f>6491+0</f></c><c r=\"B2\"><f>1+1</f><v></v></c>"
          "<c r=\"C2\" t=\"str\"><f>\"\"</f><v></v></c><c r=\"D2\"><f>1+1</f><v>2</v></c>"
          "<c r=\"E2\" t=\"str\"><f>\"a\"&amp;\"bc\"</f><v>abc</v></c>"
          "<c r=\"F2\" t=\"b\"><f>TRUE()</f></c><c r=\"G2\" t=\"str\"><f>X</f></c></row>"
          "<row r=\"3\"><c r=\"B3\"><f t=\"shared\" si=\"0\"/></c></row>"
          "<row r=\"4\"><c r=\"A4\" t=\"str\"><f>\"\"</f><v></v></c><c r=\"B4\"><v></v></c></row>"
          "<row r=\"5\"><c r=\"A5\" t=\"inlineStr\"><is><t>end</t></is></c></row>",
          NULL);
    _expect_rows(p, "1:h\n2:~|~||2#|abc|~|~\n3:|~\n5:end\n", "xlsx");

    /* the kinds themselves, and the text of a NOVALUE cell is "" */
    tz_diags d = TZ_DIAGS_INIT;
    tz_reader *r;
    const tz_row *row;
    assert_int_equal(tz_reader_open(p, &r, &d), 0);
    assert_int_equal(tz_reader_next(r, &row, &d), 1);
    assert_int_equal(tz_reader_next(r, &row, &d), 1);
    assert_int_equal(row->rowno, 2);
    assert_int_equal(row->numeric[0], TZ_CELL_NOVALUE);
    assert_string_equal(row->cells[0], "");
    assert_int_equal(row->numeric[2], TZ_CELL_TEXT);
    assert_int_equal(row->numeric[3], TZ_CELL_NUMBER);
    assert_int_equal(row->numeric[4], TZ_CELL_TEXT);
    tz_reader_free(r);
    tz_diags_clear(&d);
}

static void test_xlsx_error_values(void **state)
{
    /* t="e" is TZ_CELL_ERROR with the error value as its text; the same
     * text typed in as a string stays text (validation refuses it). */
    const char *sst = "<sst><si><t>#REF!</t></si></sst>";
    const char *p = _tmp("errors.xlsx", 0);
    _book(p, "",
          "<row r=\"1\"><c r=\"A1\" t=\"e\"><v>#N/A</v></c><c r=\"B1\" t=\"e\"><f>1/0</f>"
          "<v>#DIV/0!</v></c><c r=\"C1\" t=\"inlineStr\"><is><t>#N/A</t></is></c>"
          "<c r=\"D1\" t=\"s\"><v>0</v></c><c r=\"E1\" t=\"e\"><v>#GETTING_DATA</v></c></row>"
          "<row r=\"2\"><c r=\"C2\" t=\"e\"><v>#VALUE!</v></c></row>",
          sst);
    _expect_rows(p, "1:#N/A!|#DIV/0!!|#N/A|#REF!|#GETTING_DATA!\n2:||#VALUE!!\n", "xlsx");
    tz_diags d = TZ_DIAGS_INIT;
    tz_reader *r;
    const tz_row *row;
    assert_int_equal(tz_reader_open(p, &r, &d), 0);
    assert_int_equal(tz_reader_next(r, &row, &d), 1);
    assert_int_equal(row->numeric[0], TZ_CELL_ERROR);
    assert_string_equal(row->cells[0], "#N/A");
    assert_int_equal(row->numeric[2], TZ_CELL_TEXT);
    assert_int_equal(row->numeric[3], TZ_CELL_TEXT);
    tz_reader_free(r);
    tz_diags_clear(&d);
}

static void test_csv_kinds_are_text(void **state)
{
    const char *p = _tmp("kinds.csv", 0);
    _write_str(p, "a,b\n#N/A,=1+1\n");
    tz_diags d = TZ_DIAGS_INIT;
    tz_reader *r;
    const tz_row *row;
    assert_int_equal(tz_reader_open(p, &r, &d), 0);
    assert_int_equal(tz_reader_next(r, &row, &d), 1);
    assert_int_equal(tz_reader_next(r, &row, &d), 1);
    assert_string_equal(row->cells[0], "#N/A");
    assert_int_equal(row->numeric[0], TZ_CELL_TEXT);
    assert_int_equal(row->numeric[1], TZ_CELL_TEXT);
    assert_int_equal(row->date1904, 0);
    tz_reader_free(r);
}

/* Reads every row of path and asserts each carries date1904 == want. */
static void _expect_1904(const char *path, int want)
{
    tz_diags d = TZ_DIAGS_INIT;
    tz_reader *r;
    const tz_row *row;
    int n = 0, rc;
    assert_int_equal(tz_reader_open(path, &r, &d), 0);
    while ((rc = tz_reader_next(r, &row, &d)) == 1) {
        assert_int_equal(row->date1904, want);
        n++;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(n, 3);
    tz_reader_free(r);
}

static void test_xlsx_date1904(void **state)
{
    static const char data[] = "<row r=\"1\"><c r=\"A1\"><v>43617</v></c></row>"
                               "<row r=\"2\"><c r=\"A2\"><v>1</v></c></row>"
                               "<row r=\"7\"><c r=\"A7\"><v>2</v></c></row>";
    const char *p = _tmp("d1904.xlsx", 0);
    _book(p, "<workbookPr date1904=\"1\" defaultThemeVersion=\"124226\"/>", data, NULL);
    _expect_1904(p, 1);
    _book(p, "<workbookPr date1904=\"true\"/>", data, NULL);
    _expect_1904(p, 1);
    _book(p, "<workbookPr date1904=\"false\"/>", data, NULL);
    _expect_1904(p, 0);
    _book(p, "<workbookPr/>", data, NULL);
    _expect_1904(p, 0);
    _book(p, "", data, NULL);
    _expect_1904(p, 0);
    _book(p, "<workbookPr date1904=\"yes\"/>", data, NULL);
    _expect_error(p, "", "d1904.xlsx \"yes\": ", "date1904", NULL);
    _book(p, "<workbookPr date1904=\"0\"/><workbookPr date1904=\"1\"/>", data, NULL);
    _expect_error(p, "", "多个workbookPr", NULL);
}

/* One hostile sheet: its <sheetData>, the rows read before the error, and
 * fragments the error must hold. */
typedef struct ref_case {
    const char *data;
    const char *before;
    const char *frag1;
    const char *frag2;
} ref_case;

static void test_xlsx_bad_references(void **state)
{
    static const ref_case cases[] = {
        {"<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"ZZZZZZ1048577\"><v>2</v></c></row>", "",
         "ref.xlsx 第1行 \"ZZZZZZ1048577\": 工作表\"Sheet1\"的单元格引用超出Excel的范围", "XFD"},
        {"<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>", "", "\"XFE1\"", "超出Excel的范围"},
        {"<row r=\"1\"><c r=\"A0\"><v>1</v></c></row>", "", "\"A0\"", "超出Excel的范围"},
        {"<row r=\"1\"><c r=\"1A\"><v>1</v></c></row>", "", "\"1A\"", "无法识别"},
        {"<row r=\"1\"><c r=\"A01\"><v>1</v></c></row>", "", "\"A01\"", "无法识别"},
        {"<row r=\"1\"><c r=\"$A$1\"><v>1</v></c></row>", "", "\"$A$1\"", "无法识别"},
        {"<row r=\"1\"><c r=\"A1048577\"><v>1</v></c></row>", "", "\"A1048577\"", "1048576"},
        {"<row r=\"1048577\"><c><v>1</v></c></row>", "", "\"1048577\"", "行号超出Excel的范围"},
        {"<row r=\"0\"/>", "", "\"0\"", "行号"},
        {"<row r=\"2x\"/>", "", "\"2x\"", "行号"},
        /* a cell at or left of one already placed: refused, never shifted */
        {"<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"2\"><c r=\"B2\"><v>1</v></c>"
         "<c r=\"A2\"><v>2</v></c></row>",
         "1:1#\n", "ref.xlsx 第2行 \"A2\": ", "排在同一行的B2之后"},
        {"<row r=\"2\"><c r=\"C2\"><v>1</v></c><c r=\"C2\"><v>2</v></c></row>", "", "\"C2\"",
         "重复"},
        {"<row r=\"2\"><c r=\"B2\"/><c><v>1</v></c><c r=\"C2\"><v>2</v></c></row>", "", "\"C2\"",
         "排在同一行的C2之后"},
        {"<row r=\"3\"><c r=\"A4\"><v>1</v></c></row>", "", "第3行 \"A4\"", "不属于它所在的第3行"},
        {"<row><c r=\"A2\"><v>1</v></c></row>", "", "第1行 \"A2\"", "不属于"},
        {"<row r=\"1\"><c r=\"XFD1\"><v>1</v></c><c><v>2</v></c></row>", "", "第1行",
         "最后一列XFD"},
        /* rows that go back or repeat */
        {"<row r=\"5\"><c r=\"A5\"><v>5</v></c></row><row r=\"4\"><c r=\"A4\"><v>4</v></c></row>",
         "5:5#\n", "ref.xlsx 第4行: ", "第4行出现在第5行之后"},
        {"<row r=\"5\"><c r=\"A5\"><v>5</v></c></row><row r=\"5\"/>", "5:5#\n",
         "第5行出现在第5行之后", "重复"},
        {"<row r=\"1048576\"><c r=\"A1048576\"><v>1</v></c></row><row/>", "1048576:1#\n",
         "最后一行1048576", NULL},
        /* structure that would hide or merge values */
        {"<c r=\"A1\"><v>1</v></c>", "", "<c>出现在不该出现的位置", NULL},
        {"<row r=\"1\"><row r=\"2\"/></row>", "", "<row>出现在不该出现的位置", NULL},
        {"<row r=\"1\"><x><c r=\"A1\"><v>1</v></c></x></row>", "", "<c>", "不该出现"},
        {"<row r=\"1\"><c r=\"A1\"><c r=\"B1\"/></c></row>", "", "<c>", "不该出现"},
        {"<sheetData/><row r=\"1\"/>", "", "<sheetData>", NULL},
        /* a second <sheetData> after the first cannot add rows either */
        {"<row r=\"1\"><c r=\"A1\"><v>1</v></c></row></sheetData><sheetData><row r=\"2\"/>",
         "1:1#\n", "<sheetData>出现在不该出现的位置", NULL},
        {"<foo/>", "", "<foo>", NULL},
        {"<row r=\"1\"><c r=\"A1\"><v>1</v><v>2</v></c></row>", "", "单元格A1有多个值", NULL},
        {"<row r=\"1\"><c r=\"A1\" t=\"zz\"><v>1</v></c></row>", "", "\"zz\"",
         "单元格A1的类型无法识别"},
    };
    const char *p = _tmp("ref.xlsx", 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        _book(p, "", cases[i].data, NULL);
        _expect_error(p, cases[i].before, cases[i].frag1, cases[i].frag2, NULL);
    }
}

static void test_xlsx_huge_values_clipped(void **state)
{
    /* A 100 000-character reference is named by its first 40 characters. */
    tz_buf b = TZ_BUF_INIT;
    tz_buf_puts(&b, "<row r=\"1\"><c r=\"");
    for (int i = 0; i < 100000; i++)
        tz_buf_putc(&b, 'A');
    tz_buf_puts(&b, "1\"><v>1</v></c></row>");
    const char *p = _tmp("longref.xlsx", 0);
    _book(p, "", tz_buf_str(&b), NULL);
    tz_buf_free(&b);
    _expect_error(p, "", "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA…(共100001字)\"", NULL);
    tz_diags d = TZ_DIAGS_INIT;
    int rc;
    char *got = _dump(p, &d, &rc, NULL, 0);
    char *msg = _first_diag(&d);
    assert_true(strlen(msg) < 400);
    free(msg);
    free(got);
    tz_diags_clear(&d);
    /* a huge shared-string index too */
    tz_buf_puts(&b, "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>");
    for (int i = 0; i < 50000; i++)
        tz_buf_putc(&b, '9');
    tz_buf_puts(&b, "</v></c></row>");
    _book(p, "", tz_buf_str(&b), "<sst><si><t>a</t></si></sst>");
    tz_buf_free(&b);
    _expect_error(p, "", "…(共50000字)", "共享字符串", NULL);
}

static void test_clip(void **state)
{
    char out[TZ__CLIP_SIZE];
    assert_string_equal(tz__clip("张三", out), "张三");
    assert_string_equal(tz__clip("a\nb\x1b[2J", out), "a<U+000A>b<U+001B>[2J");
    assert_string_equal(tz__clip("\xff\xfe"
                                 "x",
                                 out),
                        "<0xFF><0xFE>x");
    assert_string_equal(tz__clip("\xe5\xbc", out), "<0xE5><0xBC>"); /* cut character */
    tz_buf b = TZ_BUF_INIT;
    for (int i = 0; i < 45; i++)
        tz_buf_puts(&b, "户");
    tz_buf_puts(&b, "\xF0\x9F\x98\x80"); /* an emoji counts as one character */
    tz__clip(b.data, out);
    assert_int_equal(strncmp(out, b.data, 40 * 3), 0);
    assert_string_equal(out + 40 * 3, "…(共46字)");
    tz_buf_free(&b);
    /* exactly 40 characters: kept whole */
    char forty[41];
    memset(forty, 'x', 40);
    forty[40] = 0;
    assert_string_equal(tz__clip(forty, out), forty);
    /* the longest possible output fits: 40 hidden characters and a count */
    b = (tz_buf)TZ_BUF_INIT;
    for (int i = 0; i < 300000; i++)
        tz_buf_puts(&b, "\xF3\xA0\x80\x81"); /* U+E0001, a tag character */
    tz__clip(b.data, out);
    assert_true(strlen(out) < TZ__CLIP_SIZE);
    assert_non_null(strstr(out, "…(共300000字)"));
    tz_buf_free(&b);
}

/* Writes a package of the NULL-terminated (name, text) pairs whose names
 * are given as stand-ins of the same length, then replaces every stand-in
 * by its real name in the local headers and the central directory: libzip
 * will not write two entries of one name. */
static void _make_zip_renamed(const char *path, const char *const *parts,
                              const char *const *renames)
{
    _make_zip(path, parts);
    size_t len;
    char *data = _slurp(path, &len);
    for (size_t k = 0; renames[k]; k += 2) {
        size_t n = strlen(renames[k]);
        assert_int_equal(strlen(renames[k + 1]), n);
        int hits = 0;
        for (size_t i = 0; i + n <= len; i++) {
            if (memcmp(data + i, renames[k], n) == 0) {
                memcpy(data + i, renames[k + 1], n);
                hits++;
            }
        }
        assert_int_equal(hits, 2);
    }
    _write(path, data, len);
    free(data);
}

static void test_xlsx_duplicate_parts(void **state)
{
    /* Each spelling of a second xl/worksheets/sheet1.xml that some reader
     * could take for the first one. */
    static const char *const twins[][2] = {
        {"xl/worksheets/sheet1.xmQ", "xl/worksheets/sheet1.xml"},   /* the same name twice */
        {"xl/worksheets/sheet1.xmQ", "XL/Worksheets/Sheet1.xml"},   /* case */
        {"xl/worksheets/sheet1.xmQQ", "/xl/worksheets/sheet1.xml"}, /* leading slash */
        {"xl/worksheets/sheet1.xmQQQ", "./xl/worksheets/sheet1.xml"},
        {"xl/worksheets/sheet1.xmQ", "xl\\worksheets\\sheet1.xml"},
        {"xl/worksheets/sheet1.xmQQQ", "xl/worksheets/%73heet1.xml"},
        {"xl/worksheets/sheet1.xmQQQQQQQQQQQQQQQ", "xl/worksheets/../worksheets/sheet1.xml"},
    };
    char *wb = _workbook("<sheets><sheet name=\"户\" sheetId=\"1\" r:id=\"rId1\"/></sheets>");
    char *rels = _rels("<Relationship Id=\"rId1\" Type=\"" REL_T "worksheet\" "
                       "Target=\"worksheets/sheet1.xml\"/>");
    char *good = _sheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>");
    char *evil = _sheet("<row r=\"1\"><c r=\"A1\"><v>2</v></c></row>");
    const char *p = _tmp("twins.xlsx", 0);
    for (size_t i = 0; i < sizeof twins / sizeof twins[0]; i++) {
        const char *parts[] = {"_rels/.rels",
                               PKG_RELS,
                               "xl/workbook.xml",
                               wb,
                               "xl/_rels/workbook.xml.rels",
                               rels,
                               "xl/worksheets/sheet1.xml",
                               good,
                               twins[i][0],
                               evil,
                               NULL};
        const char *renames[] = {twins[i][0], twins[i][1], NULL};
        _make_zip_renamed(p, parts, renames);
        _expect_error(p, "", "twins.xlsx: 文件中有重复的部件",
                      "可能被篡改,请用Excel或WPS另存后再导入", NULL);
    }
    /* the workbook part doubled */
    const char *parts[] = {"_rels/.rels",
                           PKG_RELS,
                           "xl/workbook.xml",
                           wb,
                           "xl/_rels/workbook.xml.rels",
                           rels,
                           "xl/worksheets/sheet1.xml",
                           good,
                           "xl/workbook.xmQ",
                           wb,
                           NULL};
    const char *renames[] = {"xl/workbook.xmQ", "xl/Workbook.xml", NULL};
    _make_zip_renamed(p, parts, renames);
    _expect_error(p, "", "重复的部件(\"xl/workbook.xml\"与\"xl/Workbook.xml\")", NULL);
    /* and without the twin the same package reads */
    const char *plain[] = {"_rels/.rels",
                           PKG_RELS,
                           "xl/workbook.xml",
                           wb,
                           "xl/_rels/workbook.xml.rels",
                           rels,
                           "xl/worksheets/sheet1.xml",
                           good,
                           NULL};
    _make_zip(p, plain);
    _expect_rows(p, "1:1#\n", "xlsx");
    free(wb);
    free(rels);
    free(good);
    free(evil);
}

static void test_xlsx_relationships_followed_exactly(void **state)
{
    /* The workbook lives in book/, its sheet in data/ (relative "../"), the
     * shared strings at an absolute target; decoys at the usual names are
     * not read. */
    const char *pkg = "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats."
                      "org/package/2006/relationships\"><Relationship Id=\"rId3\" Type=\"http://"
                      "schemas.openxmlformats.org/package/2006/relationships/metadata/"
                      "core-properties\" Target=\"docProps/core.xml\"/><Relationship Id=\"rId1\" "
                      "Type=\"" REL_T "officeDocument\" Target=\"/book/main.xml\"/>"
                      "</Relationships>";
    char *wb = _workbook("<sheets><sheet name=\"数据\" sheetId=\"1\" r:id=\"rId5\"/></sheets>");
    char *rels = _rels("<Relationship Id=\"rId5\" Type=\"" REL_T "worksheet\" "
                       "Target=\"../data/s.xml\"/><Relationship Id=\"rId6\" Type=\"" REL_T
                       "sharedStrings\" Target=\"/strings/sst.xml\"/>");
    char *sheet = _sheet("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>");
    char *decoy =
        _sheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>decoy</t></is></c></row>");
    const char *sst = "<sst><si><t>真</t></si></sst>";
    const char *parts[] = {"_rels/.rels",
                           pkg,
                           "book/main.xml",
                           wb,
                           "book/_rels/main.xml.rels",
                           rels,
                           "data/s.xml",
                           sheet,
                           "strings/sst.xml",
                           sst,
                           "xl/worksheets/sheet1.xml",
                           decoy,
                           "xl/sharedStrings.xml",
                           "<sst><si><t>假</t></si></sst>",
                           NULL};
    const char *p = _tmp("moved.xlsx", 0);
    _make_zip(p, parts);
    _expect_rows(p, "1:真\n", "xlsx");

    /* exact case: a target that differs from the entry only in case is missing */
    char *rels_case = _rels("<Relationship Id=\"rId5\" Type=\"" REL_T "worksheet\" "
                            "Target=\"../Data/S.xml\"/><Relationship Id=\"rId6\" Type=\"" REL_T
                            "sharedStrings\" Target=\"/strings/sst.xml\"/>");
    const char *parts_case[] = {"_rels/.rels",
                                pkg,
                                "book/main.xml",
                                wb,
                                "book/_rels/main.xml.rels",
                                rels_case,
                                "data/s.xml",
                                sheet,
                                "strings/sst.xml",
                                sst,
                                NULL};
    _make_zip(p, parts_case);
    _expect_error(p, "", "找不到工作簿关系表指向的工作表(Data/S.xml)", NULL);
    free(rels_case);
    free(rels);
    free(wb);
    free(sheet);
    free(decoy);
}

/* Writes a one-sheet package with the given package rels, workbook inner
 * content and workbook rels inner content, and expects an error holding
 * frag. */
static void _expect_rels_error(const char *pkg, const char *wb_inner, const char *rels_inner,
                               const char *frag)
{
    char *wb = _workbook(wb_inner);
    char *rels = _rels(rels_inner);
    char *sheet = _sheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>");
    const char *parts[] = {"_rels/.rels",
                           pkg,
                           "xl/workbook.xml",
                           wb,
                           "xl/_rels/workbook.xml.rels",
                           rels,
                           "xl/worksheets/sheet1.xml",
                           sheet,
                           "xl/worksheets/sheet2.xml",
                           sheet,
                           "xl/sharedStrings.xml",
                           "<sst/>",
                           NULL};
    const char *p = _tmp("rels.xlsx", 0);
    _make_zip(p, parts);
    _expect_error(p, "", frag, NULL);
    free(wb);
    free(rels);
    free(sheet);
}

static void test_xlsx_ambiguous_relationships(void **state)
{
    static const char sheets[] = "<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets>";
    static const char ws1[] =
        "<Relationship Id=\"rId1\" Type=\"" REL_T "worksheet\" Target=\"worksheets/sheet1.xml\"/>";
    char *pkg_none = _rels("");
    _expect_rels_error(pkg_none, sheets, ws1, "包关系表中没有工作簿关系(officeDocument)");
    char *pkg_two = _rels("<Relationship Id=\"rId1\" Type=\"" REL_T "officeDocument\" "
                          "Target=\"xl/workbook.xml\"/><Relationship Id=\"rId2\" Type=\"" REL_T
                          "officeDocument\" Target=\"xl/workbook.xml\"/>");
    _expect_rels_error(pkg_two, sheets, ws1, "包关系表中有多个工作簿关系");
    char *pkg_ext = _rels("<Relationship Id=\"rId1\" Type=\"" REL_T "officeDocument\" "
                          "Target=\"http://example.com/x.xml\" TargetMode=\"External\"/>");
    _expect_rels_error(pkg_ext, sheets, ws1, "指向外部文件");
    char *pkg_noid = _rels("<Relationship Type=\"" REL_T "officeDocument\" "
                           "Target=\"xl/workbook.xml\"/>");
    _expect_rels_error(pkg_noid, sheets, ws1, "缺少Id、Type或Target");
    /* two relationships with one id: which sheet is meant? */
    _expect_rels_error(PKG_RELS, sheets,
                       "<Relationship Id=\"rId1\" Type=\"" REL_T "worksheet\" "
                       "Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId1\" Type=\"" REL_T
                       "worksheet\" Target=\"worksheets/sheet2.xml\"/>",
                       "工作簿关系表中关系编号\"rId1\"出现了两次");
    _expect_rels_error(PKG_RELS,
                       "<sheets><sheet name=\"户\" sheetId=\"1\" r:id=\"rId9\"/></sheets>", ws1,
                       "工作表\"户\"的关系编号\"rId9\"在工作簿关系表中找不到");
    /* an empty relationship part (found by UBSan: bsearch on no array) */
    _expect_rels_error(PKG_RELS, sheets, "", "工作表\"S\"的关系编号\"rId1\"在工作簿关系表中找不到");
    /* r:id must be in the relationships namespace, not any prefix's "id" */
    _expect_rels_error(PKG_RELS,
                       "<sheets><sheet xmlns:q=\"urn:other\" name=\"户\" sheetId=\"1\" "
                       "q:id=\"rId1\"/></sheets>",
                       ws1, "没有关系编号(r:id)");
    _expect_rels_error(PKG_RELS, sheets,
                       "<Relationship Id=\"rId1\" Type=\"" REL_T "worksheet\" "
                       "Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"" REL_T
                       "sharedStrings\" Target=\"sharedStrings.xml\"/><Relationship Id=\"rId3\" "
                       "Type=\"" REL_T "sharedStrings\" Target=\"sharedStrings.xml\"/>",
                       "多个共享字符串表");
    _expect_rels_error(PKG_RELS, sheets,
                       "<Relationship Id=\"rId1\" Type=\"" REL_T "worksheet\" "
                       "Target=\"file:///etc/passwd\" TargetMode=\"External\"/>",
                       "工作表\"S\"指向外部文件");
    free(pkg_none);
    free(pkg_two);
    free(pkg_ext);
    free(pkg_noid);
}

static void test_xlsx_markup_across_chunks(void **state)
{
    /* Long attributes, comments and processing instructions with '>' and
     * quotes inside, CDATA and references, all across the 64 KiB chunks
     * in which the sheet is fed: every row still comes back whole. */
    tz_buf b = TZ_BUF_INIT;
    tz_buf filler = TZ_BUF_INIT;
    for (int i = 0; i < 3000; i++)
        tz_buf_puts(&filler, "x>'\"<y ");
    char *fill = tz_buf_take(&filler);
    char attr[7 * 900 + 1];
    for (size_t i = 0; i < sizeof attr - 1; i++)
        attr[i] = "a>'b"[i % 4];
    attr[sizeof attr - 1] = 0;
    for (int i = 1; i <= 400; i++) {
        tz_buf_printf(&b, "<row r=\"%d\" spans=\"1:3\" x14ac:dyDescent=\"%.*s\">", i, (i % 7) * 900,
                      attr);
        tz_buf_printf(&b, "<!-- %s - -> -->", i % 5 == 0 ? fill : "");
        tz_buf_printf(&b, "<?pi a > b ' \" %s?>", i % 3 == 0 ? fill : "");
        tz_buf_printf(&b,
                      "<c r=\"A%d\" t=\"inlineStr\"><is><t><![CDATA[<%d>]]]]>&amp;&#x5F20;</t>"
                      "</is></c><c r=\"B%d\"><v>%d</v></c></row>",
                      i, i, i, i);
    }
    free(fill);
    const char *p = _tmp("chunks.xlsx", 0);
    char *wb = _workbook("<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets>");
    char *rels = _rels("<Relationship Id=\"rId1\" Type=\"" REL_T "worksheet\" "
                       "Target=\"worksheets/sheet1.xml\"/>");
    tz_buf sheet = TZ_BUF_INIT;
    tz_buf_printf(&sheet,
                  "<?xml version=\"1.0\"?>\n<worksheet xmlns=\"%s\" xmlns:x14ac=\"urn:x\">"
                  "<sheetData>%s</sheetData></worksheet>",
                  NS_MAIN, tz_buf_str(&b));
    tz_buf_free(&b);
    assert_true(sheet.len > (8 << 20) / 4);
    const char *parts[] = {"_rels/.rels",
                           PKG_RELS,
                           "xl/workbook.xml",
                           wb,
                           "xl/_rels/workbook.xml.rels",
                           rels,
                           "xl/worksheets/sheet1.xml",
                           tz_buf_str(&sheet),
                           NULL};
    _make_zip(p, parts);
    tz_buf want = TZ_BUF_INIT;
    for (int i = 1; i <= 400; i++)
        tz_buf_printf(&want, "%d:<%d>]]&张|%d#\n", i, i, i);
    _expect_rows(p, tz_buf_str(&want), "xlsx");
    tz_buf_free(&want);
    tz_buf_free(&sheet);
    free(wb);
    free(rels);
}

/* Writes a one-sheet package whose worksheet part is text and expects an
 * error holding frag. */
/* Writes path: a package of one sheet "S" whose worksheet part is sheet,
 * and, when sst is not NULL, whose shared strings part is sst. */
static void _one_sheet(const char *path, const char *sheet, const char *sst)
{
    char *wb = _workbook("<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets>");
    char *rels = _rels(sst ? "<Relationship Id=\"rId1\" Type=\"" REL_T "worksheet\" "
                             "Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" "
                             "Type=\"" REL_T "sharedStrings\" Target=\"sharedStrings.xml\"/>"
                           : "<Relationship Id=\"rId1\" Type=\"" REL_T "worksheet\" "
                             "Target=\"worksheets/sheet1.xml\"/>");
    const char *parts[] = {"_rels/.rels",
                           PKG_RELS,
                           "xl/workbook.xml",
                           wb,
                           "xl/_rels/workbook.xml.rels",
                           rels,
                           "xl/worksheets/sheet1.xml",
                           sheet,
                           sst ? "xl/sharedStrings.xml" : NULL,
                           sst,
                           NULL};
    _make_zip(path, parts);
    free(wb);
    free(rels);
}

static void _expect_sheet_error(const char *name, const char *text, const char *frag)
{
    const char *p = _tmp(name, 0);
    _one_sheet(p, text, NULL);
    _expect_error(p, NULL, frag, NULL);
}

static void test_xlsx_hostile_markup(void **state)
{
    /* One 9 MiB attribute, comment or reference: expat 2.5 would re-scan
     * it on every chunk; it is refused after 8 MiB instead. */
    static const char *const heads[][2] = {
        {"<row r=\"1\" a=\"", "\"/>"},
        {"<!--", "-->"},
        {"<?pi ", "?>"},
        {"<row r=\"1\"><c r=\"A1\"><v>&a", ";</v></c></row>"},
        {"<ro", "w/>"},
    };
    size_t n = (size_t)9 << 20;
    for (size_t k = 0; k < sizeof heads / sizeof heads[0]; k++) {
        tz_buf b = TZ_BUF_INIT;
        b.max = n + 4096;
        tz_buf_printf(&b, "<?xml version=\"1.0\"?>\n<worksheet xmlns=\"%s\"><sheetData>%s", NS_MAIN,
                      heads[k][0]);
        char *run = malloc(n);
        assert_non_null(run);
        memset(run, k == 1 ? '>' : 'a', n);
        assert_int_equal(tz_buf_add(&b, run, n), 0);
        free(run);
        tz_buf_printf(&b, "%s</sheetData></worksheet>", heads[k][1]);
        _expect_sheet_error("long.xlsx", tz_buf_str(&b), "超过8MB的XML标记没有结束");
        tz_buf_free(&b);
    }
    /* nesting deeper than any real sheet */
    tz_buf b = TZ_BUF_INIT;
    tz_buf_printf(&b, "<?xml version=\"1.0\"?>\n<worksheet xmlns=\"%s\">", NS_MAIN);
    for (int i = 0; i < 300; i++)
        tz_buf_puts(&b, "<x>");
    _expect_sheet_error("deep.xlsx", tz_buf_str(&b), "嵌套超过256层");
    tz_buf_free(&b);
    /* an element with more attributes than any real one: refused at once */
    b = (tz_buf)TZ_BUF_INIT;
    tz_buf_printf(&b, "<?xml version=\"1.0\"?>\n<worksheet xmlns=\"%s\"><sheetData><row r=\"1\"",
                  NS_MAIN);
    for (int i = 0; i < 257; i++)
        tz_buf_printf(&b, " a%d=\"\"", i);
    tz_buf_puts(&b, "/></sheetData></worksheet>");
    _expect_sheet_error("attrs.xlsx", tz_buf_str(&b), "属性超过256个");
    tz_buf_free(&b);
}

/* ---- the worksheet scanner against expat ---------------------------------- */

/* Reads the one-sheet package whose worksheet part is sheet (shared
 * strings sst, may be NULL) twice, by the scanner and by expat alone, and
 * asserts the same rows, kinds, result and diagnostics, word for word.
 * Returns the rows the scanner read. */
static size_t _scan_same_part(const char *sheet, const char *sst)
{
    const char *p = _tmp("scan.xlsx", 0);
    _one_sheet(p, sheet,
               sst ? sst
                   : "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/"
                     "spreadsheetml/2006/main\"><si><t>共享</t></si></sst>");
    char *out[2];
    size_t scanned = 0;
    for (int k = 0; k < 2; k++) {
        tz__xlsx_scan = k == 0;
        tz_diags d = TZ_DIAGS_INIT;
        tz_buf b = TZ_BUF_INIT;
        tz_reader *r = NULL;
        int rc = -2;
        if (tz_reader_open(p, &r, &d) == 0) {
            const tz_row *row;
            while ((rc = tz_reader_next(r, &row, &d)) == 1) {
                tz_buf_printf(&b, "%ld:", row->rowno);
                for (size_t i = 0; i < row->n; i++)
                    tz_buf_printf(&b, "%s%s%s", i ? "|" : "", row->cells[i],
                                  _kind_mark(row->numeric[i]));
                tz_buf_putc(&b, '\n');
            }
            if (k == 0)
                scanned = r->scanned;
            else
                assert_int_equal(r->scanned, 0);
            tz_reader_free(r);
        }
        tz_buf_printf(&b, "rc %d\n", rc);
        for (size_t i = 0; i < d.n; i++) {
            char *m = tz_diag_format(&d.items[i]);
            tz_buf_printf(&b, "%s\n", m);
            free(m);
        }
        out[k] = tz_buf_take(&b);
        tz_diags_clear(&d);
    }
    tz__xlsx_scan = 1;
    if (strcmp(out[0], out[1]) != 0)
        fail_msg("scanner:\n%.2000s\nexpat:\n%.2000s\n", out[0], out[1]);
    free(out[0]);
    free(out[1]);
    return scanned;
}

/* As _scan_same_part, for a worksheet with the given <sheetData> content
 * and the x14ac prefix bound on its root. */
static size_t _scan_same(const char *data)
{
    tz_buf b = TZ_BUF_INIT;
    tz_buf_printf(&b,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                  "<worksheet xmlns=\"%s\" xmlns:x14ac=\"urn:x14ac\" xmlns:r=\"" REL_NS "\">"
                  "<dimension ref=\"A1\"/>\n<sheetData>%s</sheetData>\n"
                  "<mergeCells count=\"0\"/></worksheet>",
                  NS_MAIN, data);
    size_t n = _scan_same_part(tz_buf_str(&b), NULL);
    tz_buf_free(&b);
    return n;
}

static void test_xlsx_scanner_takes_plain_rows(void **state)
{
    /* What Excel, WPS and libxlsxwriter write: every row the scanner's. */
    assert_int_equal(
        _scan_same(
            "<row r=\"1\" spans=\"1:4\" x14ac:dyDescent=\"0.25\">"
            "<c r=\"A1\" s=\"2\" t=\"inlineStr\"><is><t>户编号</t></is></c>"
            "<c r=\"B1\" t=\"s\"><v>0</v></c><c r=\"C1\"><v>1.5E-3</v></c>"
            "<c r=\"D1\" t=\"b\"><v>1</v></c></row>\n"
            "<row r=\"3\" ht=\"20\" customHeight=\"1\"><c r=\"A3\" t=\"str\"><f>A1</f>"
            "<v>x &amp; y &lt;z&gt; &quot;q&quot; &apos;a&apos; &#24352;&#x5F20;&#x1F600;</v>"
            "</c><c r=\"B3\" t=\"e\"><f>1/0</f><v>#DIV/0!</v></c>"
            "<c r=\"C3\"><f>SUM(A1)</f></c><c r=\"D3\" s=\"1\"/></row>"
            "<row r='4' ><c r = 'A4' t = 'inlineStr' ><is><r><rPr><b/></rPr><t>富</t></r>"
            "<r><t xml:space=\"preserve\"> 文本 </t></r><rPh sb=\"0\" eb=\"1\"><t>ふ</t>"
            "</rPh></is></c><c><v>7</v></c><c t=\"d\"><v>2019-06-01T00:00:00</v></c>"
            "</row >\n  <row><c t=\"inlineStr\"><is><t>甲_x000D_乙\n\t丙]]</t></is></c>"
            "</row><row r=\"9\"/><row r=\"10\"><c r=\"B10\"><v>-5</v></c>"
            "<extLst><ext uri=\"u\"><x/></ext></extLst></row>"),
        6);
    /* no rows at all */
    assert_int_equal(_scan_same(""), 0);
    assert_int_equal(_scan_same_part("<worksheet xmlns=\"urn:m\"><sheetData/></worksheet>", NULL),
                     0);
}

static void test_xlsx_scanner_gives_way_to_expat(void **state)
{
    /* Everything the scanner does not take goes to expat at the start of
     * that row: the same rows come out, and the same errors, lines
     * included. Each case has a plain row before it. */
    static const char *const cases[] = {
        /* well-formed, outside the subset */
        "<row r=\"2\"><!-- c --><c r=\"A2\"><v>1</v></c></row>",
        "<row r=\"2\"><?pi x?><c r=\"A2\"><v>1</v></c></row>",
        "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t><![CDATA[<a>]]></t></is></c></row>",
        "<row r=\"2\" xmlns:q=\"urn:q\" q:a=\"1\"><c r=\"A2\"><v>1</v></c></row>",
        "<row r=\"2\"><c r=\"A2\" xmlns=\"urn:other\"><v>1</v></c></row>",
        "<x14ac:row r=\"2\"><c r=\"A2\"><v>1</v></c></x14ac:row>",
        "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>a\r\nb\rc</t></is></c></row>",
        "<row r=\"2\"\r\n><c r=\"A2\"><v>1</v></c></row>",
        "<row r=\"2\" spans=\"1:&#50;\"><c r=\"A2\"><v>1</v></c></row>",
        "<row r=\"2\" spans=\"1\t2\"><c r=\"A2\"><v>1</v></c></row>",
        "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>&#13;&#9;&#xFFFD;</t></is></c></row>",
        "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>\x7f</t></is></c></row>",
        "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>&#000000000065;</t></is></c></row>",
        "<行 r=\"2\"><c r=\"A2\"><v>1</v></c></行>",
        "<row r=\"2\" x14ac:a=\"1\" x14ac:b=\"2\"><c r=\"A2\"><v>1</v></c></row>",
        /* not well-formed: expat's message */
        "<row r=\"2\"><c r=\"A2\"><v>1</c></v></row>",
        "<row r=\"2\" r=\"3\"><c r=\"A2\"><v>1</v></c></row>",
        "<row r=\"2\" q:a=\"1\"><c r=\"A2\"><v>1</v></c></row>",
        "<row r=\"2\" x14ac:a=\"1\" xmlns:y=\"urn:x14ac\" y:a=\"2\"><c r=\"A2\"/></row>",
        "<row r=\"2\"t=\"1\"><c r=\"A2\"><v>1</v></c></row>",
        "<row r=\"2\" a><c r=\"A2\"><v>1</v></c></row>",
        "<row r=\"2\" a=1><c r=\"A2\"><v>1</v></c></row>",
        "<row r=\"2\" a=\"<\"><c r=\"A2\"><v>1</v></c></row>",
        "<row r=\"2\"><c r=\"A2\"><v>&foo;</v></c></row>",
        "<row r=\"2\"><c r=\"A2\"><v>&#0;</v></c></row>",
        "<row r=\"2\"><c r=\"A2\"><v>&#xD800;</v></c></row>",
        "<row r=\"2\"><c r=\"A2\"><v>&#x110000;</v></c></row>",
        "<row r=\"2\"><c r=\"A2\"><v>& b</v></c></row>",
        "<row r=\"2\"><c r=\"A2\"><v>a]]>b</v></c></row>",
        "<row r=\"2\"><c r=\"A2\"><v>\x01</v></c></row>",
        "<row r=\"2\"><c r=\"A2\"><v>\xc3\x28</v></c></row>",
        "<row r=\"2\"><c r=\"A2\"><v>\xef\xbf\xbf</v></c></row>",
        "<row r=\"2\"><c r=\"A2\"><v>\xed\xa0\x80</v></c></row>",
        "<row r=\"2\" a=\"\xc0\xaf\"><c r=\"A2\"><v>1</v></c></row>",
        "<row r=\"2\"><c r=\"A2\"><v>1</v></c>",
        "<row r=\"2\"><c r=\"A2\"><v>1</v></c></row></sheetData >\n<junk>",
        "<row r=\"2\"><c r=\"A2\"><v>1</v></c></row></worksheet>",
        "<row r=\"2\"><c r=\"A2\"><v>1</v></c></row><",
        "<row r=\"2\"><c r=\"A2\"><v>1</v></c></row>< row/>",
        "text between rows &amp; <row r=\"2\"><c r=\"A2\"><v>1</v></c></row>",
        "\n\n\n<row r=\"2\">\n<c r=\"A2\">\n<v>1</v></c></row>\n\n<row r=\"3\"><c r=\"A3\"><v>1</v>"
        "</c></row>\n\n<bad",
        /* well-formed, refused by the reader itself: the same message */
        "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>",
        "<row r=\"2\"><c r=\"A3\"><v>1</v></c></row>",
        "<row r=\"2\"><c r=\"B2\"><v>1</v></c><c r=\"A2\"><v>2</v></c></row>",
        "<row r=\"2\"><c r=\"A2\" t=\"z\"><v>1</v></c></row>",
        "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>9</v></c></row>",
        "<row r=\"2\"><c r=\"A2\"><v>1</v><v>2</v></c></row>",
        "<row r=\"2\"><row/></row>",
        "<row r=\"2\"><x><c r=\"A2\"/></x></row>",
        "<sheetData/>",
        "<other/>",
        "<row r=\"0\"/>",
        "<row r=\"2\"><c r=\"XFE2\"/></row>",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tz_buf b = TZ_BUF_INIT;
        tz_buf_printf(&b, "<row r=\"1\"><c r=\"A1\"><v>%zu</v></c></row>%s", i, cases[i]);
        assert_true(_scan_same(tz_buf_str(&b)) >= 1);
        tz_buf_free(&b);
    }
}

static void test_xlsx_scanner_limits(void **state)
{
    /* A row longer than the scanner rereads as chunks arrive (then a tag
     * past its scratch, more attributes or nesting than it keeps): expat
     * reads from that row on, and the rows are the same. */
    tz_buf b = TZ_BUF_INIT;
    b.max = (size_t)64 << 20;
    tz_buf_puts(&b, "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"2\">");
    for (int i = 0; i < 16000; i++)
        tz_buf_printf(&b, "<c t=\"inlineStr\"><is><t>%d</t></is></c>", i);
    tz_buf_puts(&b, "</row><row r=\"3\" a=\"");
    for (int i = 0; i < 20000; i++)
        tz_buf_putc(&b, 'v');
    tz_buf_puts(&b, "\"/><row r=\"4\"");
    for (int i = 0; i < 40; i++)
        tz_buf_printf(&b, " a%d=\"%d\"", i, i);
    tz_buf_puts(&b, "><c><v>4</v></c></row><row r=\"5\">");
    for (int i = 0; i < 40; i++)
        tz_buf_puts(&b, "<x>");
    for (int i = 0; i < 40; i++)
        tz_buf_puts(&b, "</x>");
    tz_buf_puts(&b, "<c><v>5</v></c></row>");
    assert_int_equal(_scan_same(tz_buf_str(&b)), 1);
    tz_buf_free(&b);
}

static void test_xlsx_scanner_across_chunks(void **state)
{
    /* 4 000 rows of wide characters, references and line feeds: rows and
     * characters cut by every 64 KiB chunk boundary; an error at the end
     * names the line expat would. */
    tz_buf b = TZ_BUF_INIT;
    b.max = (size_t)64 << 20;
    for (int i = 1; i <= 4000; i++)
        tz_buf_printf(
            &b,
            "<row r=\"%d\">\n<c r=\"A%d\" t=\"inlineStr\"><is><t>张%d&amp;%.*s&#x1F600;"
            "</t></is></c><c r=\"B%d\"><v>%d</v></c></row>",
            i, i, i, (i % 40) * 3,
            "王王王王王王王王王王王王王王王王王王王王王王王王王王王王王王王王王王王王王王王王", i,
            i);
    assert_int_equal(_scan_same(tz_buf_str(&b)), 4000);
    tz_buf_puts(&b, "\n<row r=\"4001\"><c r=\"A4001\"><v>1</v></c></ro>");
    assert_int_equal(_scan_same(tz_buf_str(&b)), 4000);
    tz_buf_free(&b);
}

static void test_xlsx_compression_methods(void **state)
{
    /* Stored parts are read; a method Excel never writes is refused. */
    char *wb = _workbook("<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets>");
    char *rels = _rels("<Relationship Id=\"rId1\" Type=\"" REL_T "worksheet\" "
                       "Target=\"worksheets/sheet1.xml\"/>");
    char *sheet = _sheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>");
    const char *parts[] = {"_rels/.rels",
                           PKG_RELS,
                           "xl/workbook.xml",
                           wb,
                           "xl/_rels/workbook.xml.rels",
                           rels,
                           "xl/worksheets/sheet1.xml",
                           sheet,
                           NULL};
    const char *p = _tmp("method.xlsx", 0);
    zip_int32_t methods[] = {ZIP_CM_STORE, ZIP_CM_BZIP2, ZIP_CM_XZ};
    int tried_other = 0;
    for (size_t m = 0; m < sizeof methods / sizeof methods[0]; m++) {
        if (!zip_compression_method_supported(methods[m], 1))
            continue;
        int zerr;
        zip_t *z = zip_open(p, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
        assert_non_null(z);
        for (size_t i = 0; parts[i]; i += 2) {
            zip_source_t *src = zip_source_buffer(z, parts[i + 1], strlen(parts[i + 1]), 0);
            zip_int64_t idx = zip_file_add(z, parts[i], src, 0);
            assert_true(idx >= 0);
            assert_int_equal(zip_set_file_compression(z, (zip_uint64_t)idx, methods[m], 0), 0);
        }
        assert_int_equal(zip_close(z), 0);
        if (methods[m] == ZIP_CM_STORE)
            _expect_rows(p, "1:1#\n", "xlsx");
        else {
            _expect_error(p, "", "Excel不用的压缩方式", NULL);
            tried_other = 1;
        }
    }
    assert_true(tried_other);
    free(wb);
    free(rels);
    free(sheet);
}

/* ---- zip bombs ---------------------------------------------------------------------- */

static void test_xlsx_bomb_fixture(void **state)
{
    const char *p = _fixture("bomb.xlsx");
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_true(st.st_size < (2 << 20));
    /* the fixture really declares more than the limit */
    int zerr;
    zip_t *z = zip_open(p, ZIP_RDONLY, &zerr);
    assert_non_null(z);
    zip_stat_t zs;
    assert_int_equal(zip_stat(z, "xl/worksheets/sheet1.xml", 0, &zs), 0);
    assert_true(zs.size > TZ_XLSX_MAX_UNPACKED);
    zip_discard(z);

    double t0 = _now();
    _expect_error(p, "", "bomb.xlsx: 工作表解压后超过1GB,疑似压缩炸弹,已拒绝读取", NULL);
    assert_true(_now() - t0 < 2.0);
}

/* Stores v little-endian in 4 bytes at p. */
static void _put32(char *p, unsigned long v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (char)((v >> (8 * i)) & 0xFF);
}

static void test_xlsx_bomb_lying_size(void **state)
{
    /* The same bomb with its declared sizes rewritten to 1000 bytes, in the
     * local header and the central directory: only counting the bytes that
     * really come out can stop it, and it must stop at once. */
    size_t len;
    char *data = _slurp(_fixture("bomb.xlsx"), &len);
    const char *name = "xl/worksheets/sheet1.xml";
    size_t nlen = strlen(name);
    size_t at = _local_header(data, len, name);
    _put32(data + at + 22, 1000);
    int patched = 0;
    for (size_t i = 0; i + 46 + nlen <= len; i++) {
        if (memcmp(data + i, "PK\x01\x02", 4) == 0 && memcmp(data + i + 46, name, nlen) == 0) {
            _put32(data + i + 24, 1000);
            patched++;
        }
    }
    assert_int_equal(patched, 1);
    const char *p = _tmp("liar.xlsx", 0);
    _write(p, data, len);
    free(data);
    double t0 = _now();
    _expect_error(p, "", "liar.xlsx: ", "压缩炸弹", NULL);
    assert_true(_now() - t0 < 2.0);
}

/* ---- XLS ---------------------------------------------------------------------------- */

static void test_xls_fixture(void **state)
{
    _expect_rows(_fixture("households.xls"),
                 "1:户编号|户主姓名|家庭人口|人均纯收入(元)|识别年度|安装日期\n"
                 "2:410001|张三|4#|3650.5#|2014#|2019-06-01\n"
                 "3:410002|李四|1#|-12#|2015#|2020-01-15\n"
                 "5:410004|王五,小名|3#|0.1#|2016#\n"
                 "6:410005||123456789012#\n",
                 "xls");
}

static void test_xls_broken(void **state)
{
    const char *p = _tmp("broken.xls", 0);
    _write_str(p, "not an excel file at all, just text\n");
    _expect_error(p, "", "broken.xls: ", "xls", NULL);
    /* a real .xls cut short */
    size_t len;
    char *data = _slurp(_fixture("households.xls"), &len);
    _write(p, data, len / 3);
    free(data);
    _expect_error(p, "", "broken.xls: ", NULL);
}

/* ---- issue 10: every sheet, and the ".xls" files web systems export ----------------- */

/* Reads every sheet of path: per sheet a line "[index:name:hidden]", its
 * rows as _dump writes them, then "(blank N)" (rows a workbook leaves out
 * between two rows count as blank). Progress never goes back and
 * ends at its total. *rc as _dump's. Caller frees. */
static char *_dump_sheets(const char *path, tz_diags *d, int *rc)
{
    tz_buf b = TZ_BUF_INIT;
    tz_reader *r = NULL;
    if (tz_reader_open(path, &r, d) != 0) {
        *rc = -2;
        return tz_buf_take(&b);
    }
    unsigned long long last = 0, done, total;
    tz_sheet_info si;
    while ((*rc = tz_reader_next_sheet(r, &si, d)) == 1) {
        tz_buf_printf(&b, "[%d:%s:%d]\n", si.index, si.name, si.hidden);
        const tz_row *row;
        while ((*rc = tz_reader_next(r, &row, d)) == 1) {
            tz_buf_printf(&b, "%ld:", row->rowno);
            for (size_t i = 0; i < row->n; i++)
                tz_buf_printf(&b, "%s%s%s", i ? "|" : "", row->cells[i],
                              _kind_mark(row->numeric[i]));
            tz_buf_putc(&b, '\n');
            tz_reader_progress(r, &done, &total);
            assert_true(done >= last && done <= total);
            last = done;
        }
        if (*rc < 0)
            break;
        tz_buf_printf(&b, "(blank %zu)\n", tz_reader_blank(r));
    }
    if (*rc == 0) {
        tz_reader_progress(r, &done, &total);
        assert_true(done == total && done >= last);
    }
    tz_reader_free(r);
    return tz_buf_take(&b);
}

static void _expect_sheets(const char *path, const char *want)
{
    tz_diags d = TZ_DIAGS_INIT;
    int rc;
    char *got = _dump_sheets(path, &d, &rc);
    if (d.n)
        tz_diags_print(&d, stderr);
    assert_int_equal(rc, 0);
    assert_int_equal(d.n, 0);
    assert_string_equal(got, want);
    free(got);
    tz_diags_clear(&d);
}

/* A workbook of four sheets: a hidden one first, a visible one, a very
 * hidden one, and one whose rows are blank. */
static void _write_four_sheets(const char *path)
{
    char *wb =
        _workbook("<sheets><sheet name=\"隐藏\" sheetId=\"1\" state=\"hidden\" r:id=\"rId1\"/>"
                  "<sheet name=\"宋河镇\" sheetId=\"2\" r:id=\"rId2\"/>"
                  "<sheet name=\"秦阁 村\" sheetId=\"3\" state=\"veryHidden\" r:id=\"rId3\"/>"
                  "<sheet name=\"空\" sheetId=\"4\" state=\"visible\" r:id=\"rId4\"/></sheets>");
    char *rels = _rels("<Relationship Id=\"rId1\" Type=\"" REL_T "worksheet\" "
                       "Target=\"worksheets/sheet1.xml\"/>"
                       "<Relationship Id=\"rId2\" Type=\"" REL_T "worksheet\" "
                       "Target=\"worksheets/sheet2.xml\"/>"
                       "<Relationship Id=\"rId3\" Type=\"" REL_T "worksheet\" "
                       "Target=\"/xl/worksheets/sheet3.xml\"/>"
                       "<Relationship Id=\"rId4\" Type=\"" REL_T "worksheet\" "
                       "Target=\"worksheets/sheet4.xml\"/>");
    char *s1 = _sheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>h</t></is></c></row>"
                      "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t></t></is></c></row>"
                      "<row r=\"3\"><c r=\"B3\"><v>1</v></c></row>");
    char *s2 = _sheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>户编号</t></is></c></row>"
                      "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>H1</t></is></c></row>");
    char *s3 = _sheet("<row r=\"4\"><c r=\"C4\" t=\"inlineStr\"><is><t>深藏</t></is></c></row>");
    char *s4 = _sheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t></t></is></c></row>"
                      "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t></t></is></c></row>");
    const char *parts[] = {"[Content_Types].xml",
                           CT,
                           "_rels/.rels",
                           PKG_RELS,
                           "xl/workbook.xml",
                           wb,
                           "xl/_rels/workbook.xml.rels",
                           rels,
                           "xl/worksheets/sheet1.xml",
                           s1,
                           "xl/worksheets/sheet2.xml",
                           s2,
                           "xl/worksheets/sheet3.xml",
                           s3,
                           "xl/worksheets/sheet4.xml",
                           s4,
                           NULL};
    _make_zip(path, parts);
    free(wb);
    free(rels);
    free(s1);
    free(s2);
    free(s3);
    free(s4);
}

static void test_sheets_xlsx(void **state)
{
    const char *p = _tmp("four.xlsx", 0);
    _write_four_sheets(p);
    /* never asking for sheets: the first visible one, as before */
    _expect_rows(p, "1:户编号\n2:H1\n", "xlsx");
    /* every sheet in tab order, hidden ones flagged, blank rows per sheet */
    _expect_sheets(p, "[0:隐藏:1]\n1:h\n3:|1#\n(blank 1)\n"
                      "[1:宋河镇:0]\n1:户编号\n2:H1\n(blank 0)\n"
                      "[2:秦阁 村:2]\n4:||深藏\n(blank 3)\n"
                      "[3:空:0]\n(blank 2)\n");
}

static void test_sheets_after_rows_restart(void **state)
{
    /* rows read before the first sheet was asked for: the sheets still
     * start at the first sheet's first row */
    const char *p = _tmp("again.xlsx", 0);
    _write_four_sheets(p);
    tz_diags d = TZ_DIAGS_INIT;
    tz_reader *r;
    assert_int_equal(tz_reader_open(p, &r, &d), 0);
    const tz_row *row;
    assert_int_equal(tz_reader_next(r, &row, &d), 1);
    assert_string_equal(row->cells[0], "户编号");
    tz_sheet_info si;
    assert_int_equal(tz_reader_next_sheet(r, &si, &d), 1);
    assert_int_equal(si.index, 0);
    assert_string_equal(si.name, "隐藏");
    assert_int_equal(si.hidden, 1);
    assert_int_equal(tz_reader_next(r, &row, &d), 1);
    assert_string_equal(row->cells[0], "h");
    /* moving on in the middle of a sheet skips the rest of it */
    assert_int_equal(tz_reader_next_sheet(r, &si, &d), 1);
    assert_string_equal(si.name, "宋河镇");
    assert_int_equal(tz_reader_next_sheet(r, &si, &d), 1);
    assert_int_equal(tz_reader_next_sheet(r, &si, &d), 1);
    assert_int_equal(tz_reader_next_sheet(r, &si, &d), 0);
    assert_int_equal(tz_reader_next(r, &row, &d), 0);
    assert_int_equal(d.n, 0);
    tz_reader_free(r);
}

static void test_sheets_csv_and_xls(void **state)
{
    const char *p = _tmp("one.csv", 0);
    _write_str(p, "户编号\n\nH1\n");
    _expect_sheets(p, "[0::0]\n1:户编号\n3:H1\n(blank 1)\n");
    /* the fixture's second worksheet is read only when sheets are asked for */
    _expect_sheets(_fixture("households.xls"),
                   "[0:建档立卡贫困户:0]\n"
                   "1:户编号|户主姓名|家庭人口|人均纯收入(元)|识别年度|安装日期\n"
                   "2:410001|张三|4#|3650.5#|2014#|2019-06-01\n"
                   "3:410002|李四|1#|-12#|2015#|2020-01-15\n"
                   "5:410004|王五,小名|3#|0.1#|2016#\n"
                   "6:410005||123456789012#\n(blank 1)\n"
                   "[1:说明:0]\n1:这个工作表不应被读取\n(blank 0)\n");
}

/* An HTML page as a web system's "导出Excel" writes it, in GBK. */
static const char HTML_PAGE[] =
    "<html xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><head>\n"
    "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">\n"
    "<style>td{mso-number-format:\"\\@\";}</style></head><body>\n"
    "<script>document.write('<td>不是单元格</td>');</script>\n"
    "<table border=1><caption>宋河镇 花名册</caption>\n"
    "<tr><th colspan=4>XX县建档立卡贫困户花名册</th></tr>\n"
    "<tr><th rowspan=2>户编号</th><th colspan=2>三保障</th><th rowspan=2>备注</th></tr>\n"
    "<tr><th>义务\n  教育</th><th>基本医疗</th></tr>\n"
    "<tr><td>H001</td><td>是&nbsp;</td><td>  否 <br> 第二行 </td><td>A&amp;B &lt;c&gt; &#20013;</td></tr>\n"
    "<tr></tr>\n"
    "<tr><td>H002</td><td ROWSPAN=\"2\" colspan=\"2\">合并</td><td>x</td></tr>\n"
    "<tr><td>H003</td><td>y</td></tr>\n"
    "</table>\n<p>说明文字</p>\n<table><tr><td>二表</td></tr></table>\n</body></html>\n";

static const char HTML_WANT[] = "1:XX县建档立卡贫困户花名册\n"
                                "2:户编号|三保障||备注\n"
                                "3:|义务 教育|基本医疗\n"
                                "4:H001|是|否\n第二行|A&B <c> 中\n"
                                "6:H002|合并||x\n"
                                "7:H003|||y\n";

static void test_html_gbk_spans(void **state)
{
    size_t len;
    char *gbk = _convert("GBK", HTML_PAGE, &len);
    const char *p = _tmp("export.xls", 0);
    _write(p, gbk, len);
    free(gbk);
    _expect_rows(p, HTML_WANT, "HTML(.xls)");
    tz_buf want = TZ_BUF_INIT;
    tz_buf_printf(&want, "[0:宋河镇 花名册:0]\n%s(blank 1)\n[1:表格2:0]\n1:二表\n(blank 0)\n",
                  HTML_WANT);
    _expect_sheets(p, tz_buf_str(&want));
    /* the same page in UTF-8, saved with an .xlsx name: the content decides */
    const char *q = _tmp("export.xlsx", 1);
    _write_str(q, "\xEF\xBB\xBF<table><tr><td>户编号</td><td>姓名</td></tr>"
                  "<td>H1<td>张三</table>");
    _expect_rows(q, "1:户编号|姓名\n2:H1|张三\n", "HTML(.xls)");
    _expect_sheets(q, "[0:表格1:0]\n1:户编号|姓名\n2:H1|张三\n(blank 0)\n");
    /* a page without <html> whose style sheet fills the first 8 KiB */
    want.len = 0;
    tz_buf_puts(&want, "<head><style>");
    for (int i = 0; i < 400; i++)
        tz_buf_printf(&want, ".xl%d{mso-number-format:\"\\@\";}\n", i);
    tz_buf_puts(&want, "</style></head><body><table><tr><td>户编号</td></tr></table>");
    assert_true(want.len > 9000);
    _write_str(p, tz_buf_str(&want));
    _expect_rows(p, "1:户编号\n", "HTML(.xls)");
    tz_buf_free(&want);
}

static void test_html_refused(void **state)
{
    const char *p = _tmp("bad.xls", 0);
    _write_str(p, "<table><tr><td colspan=100000>x</td></tr></table>");
    _expect_error(p, "", "bad.xls 第1行: 第1列", "colspan", "1000", NULL);
    _write_str(p, "<table><tr><td rowspan=99999>x</td></tr></table>");
    _expect_error(p, "", "bad.xls 第1行: ", "rowspan", NULL);
    tz_buf b = TZ_BUF_INIT;
    tz_buf_puts(&b, "<table><tr>");
    for (int i = 0; i < 17; i++)
        tz_buf_puts(&b, "<td colspan=1000>x</td>");
    tz_buf_puts(&b, "</tr></table>");
    _write_str(p, tz_buf_str(&b));
    _expect_error(p, "", "bad.xls 第1行: ", "16384", NULL);
    b.len = 0;
    tz_buf_puts(&b, "<html><body><table><tr><td>");
    for (int i = 0; i < 300; i++)
        tz_buf_puts(&b, "<div>");
    tz_buf_puts(&b, "深</td></tr></table>");
    _write_str(p, tz_buf_str(&b));
    _expect_error(p, "", "bad.xls: ", "嵌套", NULL);
    tz_buf_free(&b);
    _write_str(p, "<html><body><p>没有表格</p></body></html>");
    _expect_error(p, "", "bad.xls: ", "没有表格", NULL);
    /* declared UTF-8, but a byte that is not */
    _write_str(p, "<html><head><meta charset=\"utf-8\"></head><table><tr><td>\xff\xfe</td></tr>"
                  "</table></html>");
    _expect_error(p, "", "bad.xls: ", "UTF-8", NULL);
    /* cut off in the middle: what is there is read, nothing invented */
    _write_str(p, "<table><tr><td>H1</td><td>张");
    _expect_rows(p, "1:H1|张\n", "HTML(.xls)");
}

/* A SpreadsheetML 2003 workbook as web systems write it. */
static const char XMLSS_BOOK[] =
    "<?xml version=\"1.0\"?>\n<?mso-application progid=\"Excel.Sheet\"?>\n"
    "<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\" "
    "xmlns:x=\"urn:schemas-microsoft-com:office:excel\" "
    "xmlns:ss=\"urn:schemas-microsoft-com:office:spreadsheet\">\n"
    " <Worksheet ss:Name=\"说明\"><Table><Row><Cell><Data ss:Type=\"String\">不是数据</Data>"
    "</Cell></Row></Table>\n"
    "  <WorksheetOptions xmlns=\"urn:schemas-microsoft-com:office:excel\">"
    "<Visible>SheetHidden</Visible></WorksheetOptions></Worksheet>\n"
    " <Worksheet ss:Name=\"户表\"><Table>\n"
    "  <Row><Cell ss:MergeAcross=\"3\"><Data ss:Type=\"String\">花名册</Data></Cell></Row>\n"
    "  <Row ss:Index=\"3\"><Cell ss:MergeDown=\"1\"><Data ss:Type=\"String\">户编号</Data></Cell>"
    "<Cell ss:Index=\"3\"><Data ss:Type=\"Number\">12.5</Data></Cell>"
    "<Cell><Data ss:Type=\"DateTime\">2019-06-01T00:00:00.000</Data></Cell></Row>\n"
    "  <Row><Cell><Data ss:Type=\"String\">B</Data></Cell><Cell ss:Formula=\"=1+1\"/>"
    "<Cell><Data ss:Type=\"Error\">#N/A</Data><Comment><Data>批注</Data></Comment></Cell>"
    "<Cell><ss:Data ss:Type=\"String\" xmlns=\"http://www.w3.org/TR/REC-html40\"><B>粗</B>体"
    "&#10;换行</ss:Data></Cell></Row>\n"
    "  <Row><Cell><Data ss:Type=\"DateTime\">2019-06-01T08:30:00.000</Data></Cell>"
    "<Cell ss:Index=\"5\"><Data ss:Type=\"Boolean\">1</Data></Cell></Row>\n"
    "  <Row/>\n"
    " </Table></Worksheet>\n"
    " <Worksheet ss:Name=\"深藏\"><Table><Row ss:Index=\"2\"><Cell ss:Index=\"2\">"
    "<Data ss:Type=\"String\">v</Data></Cell></Row></Table>"
    "<x:WorksheetOptions><x:Visible>SheetVeryHidden</x:Visible></x:WorksheetOptions>"
    "</Worksheet>\n</Workbook>\n";

static const char XMLSS_WANT[] = "1:花名册\n"
                                 "3:户编号||12.5#|2019-06-01\n"
                                 "4:|B|~|#N/A!|粗体\n换行\n"
                                 "5:2019-06-01 08:30:00||||1#\n";

static void test_xmlss(void **state)
{
    const char *p = _tmp("ss2003.xls", 0);
    _write_str(p, XMLSS_BOOK);
    /* never asking for sheets: the first visible one */
    _expect_rows(p, XMLSS_WANT, "XML 2003(.xls)");
    tz_buf want = TZ_BUF_INIT;
    tz_buf_printf(&want,
                  "[0:说明:1]\n1:不是数据\n(blank 0)\n[1:户表:0]\n%s(blank 2)\n"
                  "[2:深藏:2]\n2:|v\n(blank 1)\n",
                  XMLSS_WANT);
    _expect_sheets(p, tz_buf_str(&want));
    tz_buf_free(&want);
    /* declared GB2312 and written so */
    size_t len;
    char *gbk =
        _convert("GBK",
                 "<?xml version=\"1.0\" encoding=\"gb2312\"?>\n<Workbook xmlns=\"urn:schemas-"
                 "microsoft-com:office:spreadsheet\" xmlns:ss=\"urn:schemas-microsoft-com:"
                 "office:spreadsheet\"><Worksheet ss:Name=\"表一\"><Table><Row><Cell><Data "
                 "ss:Type=\"String\">秦阁村</Data></Cell></Row></Table></Worksheet>"
                 "</Workbook>",
                 &len);
    _write(p, gbk, len);
    free(gbk);
    _expect_sheets(p, "[0:表一:0]\n1:秦阁村\n(blank 0)\n");
}

static void test_xmlss_refused(void **state)
{
    static const char head[] = "<?xml version=\"1.0\"?>\n"
                               "<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\" "
                               "xmlns:ss=\"urn:schemas-microsoft-com:office:spreadsheet\">";
    const char *p = _tmp("bad.xls", 0);
    tz_buf b = TZ_BUF_INIT;
    tz_buf_printf(&b,
                  "<?xml version=\"1.0\"?>\n<!DOCTYPE Workbook [<!ENTITY a \"aaaaaaaaaa\">"
                  "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>%s"
                  "<Worksheet><Table><Row><Cell><Data>&b;</Data></Cell></Row></Table>"
                  "</Worksheet></Workbook>",
                  head + strlen("<?xml version=\"1.0\"?>\n"));
    _write_str(p, tz_buf_str(&b));
    _expect_error(p, "", "bad.xls: ", "DTD", NULL);
    b.len = 0;
    tz_buf_printf(&b, "%s<Worksheet ss:Name=\"a\"><Table><Row><Cell><Data>x</Da", head);
    _write_str(p, tz_buf_str(&b));
    _expect_error(p, "", "bad.xls: ", "XML格式错误", NULL);
    b.len = 0;
    tz_buf_printf(&b,
                  "%s<Worksheet ss:Name=\"a\"><Table><Row ss:Index=\"5\"><Cell><Data>x</Data>"
                  "</Cell></Row><Row ss:Index=\"2\"/></Table></Worksheet></Workbook>",
                  head);
    _write_str(p, tz_buf_str(&b));
    _expect_error(p, "5:x\n", "bad.xls 第2行: ", "第2行出现在第5行之后", NULL);
    b.len = 0;
    tz_buf_printf(&b,
                  "%s<Worksheet ss:Name=\"a\"><Table><Row><Cell ss:Index=\"20000\"><Data>x"
                  "</Data></Cell></Row></Table></Worksheet></Workbook>",
                  head);
    _write_str(p, tz_buf_str(&b));
    _expect_error(p, "", "bad.xls 第1行 \"20000\": ", "ss:Index", NULL);
    b.len = 0;
    tz_buf_printf(&b,
                  "%s<Worksheet ss:Name=\"a\"><Table><Row><Cell ss:MergeAcross=\"99999\">"
                  "<Data>x</Data></Cell></Row></Table></Worksheet></Workbook>",
                  head);
    _write_str(p, tz_buf_str(&b));
    _expect_error(p, "", "bad.xls 第1行 \"99999\": ", "MergeAcross", NULL);
    b.len = 0;
    tz_buf_printf(&b, "%s</Workbook>", head);
    _write_str(p, tz_buf_str(&b));
    _expect_error(p, "", "bad.xls: ", "没有工作表", NULL);
    b.len = 0;
    tz_buf_printf(&b, "%s<Worksheet ss:Name=\"a\"><Table>", head);
    for (int i = 0; i < 300; i++)
        tz_buf_puts(&b, "<x>");
    _write_str(p, tz_buf_str(&b));
    _expect_error(p, "", "bad.xls: ", "嵌套", NULL);
    tz_buf_free(&b);
}

static void test_unrecognised_xls(void **state)
{
    const char *p = _tmp("text.xls", 0);
    _write_str(p, "户编号\t姓名\nH1\t张三\n");
    _expect_error(p, "", "text.xls: 无法识别的文件格式,请用Excel或WPS另存为.xlsx", NULL);
    _write_str(p, "");
    _expect_error(p, "", "text.xls: 无法识别的文件格式,请用Excel或WPS另存为.xlsx", NULL);
    _write_str(p, "<?xml version=\"1.0\"?><root><a/></root>");
    _expect_error(p, "", "text.xls: 无法识别的文件格式,请用Excel或WPS另存为.xlsx", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_utf8),
        cmocka_unit_test(test_csv_utf8_bom),
        cmocka_unit_test(test_csv_gbk),
        cmocka_unit_test(test_csv_gb18030_four_byte),
        cmocka_unit_test(test_csv_quoting),
        cmocka_unit_test(test_csv_crlf),
        cmocka_unit_test(test_csv_bare_cr),
        cmocka_unit_test(test_csv_empty_rows),
        cmocka_unit_test(test_csv_empty_file),
        cmocka_unit_test(test_csv_invalid_in_gb18030),
        cmocka_unit_test(test_csv_invalid_utf8_later),
        cmocka_unit_test(test_csv_ascii_then_gbk),
        cmocka_unit_test(test_csv_chunk_boundaries_utf8),
        cmocka_unit_test(test_csv_chunk_boundaries_gbk),
        cmocka_unit_test(test_csv_progress_grows),
        cmocka_unit_test(test_csv_unclosed_quote),
        cmocka_unit_test(test_csv_nul_and_utf16),
        cmocka_unit_test(test_csv_truncated_character),
        cmocka_unit_test(test_csv_cell_too_large),
        cmocka_unit_test(test_csv_too_many_columns),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_extension_case_and_name),
        cmocka_unit_test(test_wrong_extension),
        cmocka_unit_test(test_xlsx_libxlsxwriter),
        cmocka_unit_test(test_xlsx_inline_strings),
        cmocka_unit_test(test_xlsx_truncated),
        cmocka_unit_test(test_xlsx_corrupt_data),
        cmocka_unit_test(test_xlsx_handmade_types),
        cmocka_unit_test(test_xlsx_missing_parts),
        cmocka_unit_test(test_xlsx_no_sheet),
        cmocka_unit_test(test_xlsx_xml_error),
        cmocka_unit_test(test_xlsx_doctype_refused),
        cmocka_unit_test(test_xlsx_bad_shared_index),
        cmocka_unit_test(test_xlsx_not_a_zip),
        cmocka_unit_test(test_xlsx_formula_without_value),
        cmocka_unit_test(test_xlsx_error_values),
        cmocka_unit_test(test_csv_kinds_are_text),
        cmocka_unit_test(test_xlsx_date1904),
        cmocka_unit_test(test_xlsx_bad_references),
        cmocka_unit_test(test_xlsx_huge_values_clipped),
        cmocka_unit_test(test_clip),
        cmocka_unit_test(test_xlsx_duplicate_parts),
        cmocka_unit_test(test_xlsx_relationships_followed_exactly),
        cmocka_unit_test(test_xlsx_ambiguous_relationships),
        cmocka_unit_test(test_xlsx_markup_across_chunks),
        cmocka_unit_test(test_xlsx_hostile_markup),
        cmocka_unit_test(test_xlsx_scanner_takes_plain_rows),
        cmocka_unit_test(test_xlsx_scanner_gives_way_to_expat),
        cmocka_unit_test(test_xlsx_scanner_limits),
        cmocka_unit_test(test_xlsx_scanner_across_chunks),
        cmocka_unit_test(test_xlsx_compression_methods),
        cmocka_unit_test(test_xlsx_bomb_fixture),
        cmocka_unit_test(test_xlsx_bomb_lying_size),
        cmocka_unit_test(test_xls_fixture),
        cmocka_unit_test(test_xls_broken),
        cmocka_unit_test(test_sheets_xlsx),
        cmocka_unit_test(test_sheets_after_rows_restart),
        cmocka_unit_test(test_sheets_csv_and_xls),
        cmocka_unit_test(test_html_gbk_spans),
        cmocka_unit_test(test_html_refused),
        cmocka_unit_test(test_xmlss),
        cmocka_unit_test(test_xmlss_refused),
        cmocka_unit_test(test_unrecognised_xls),
    };
    return cmocka_run_group_tests(tests, _setup, _teardown);
}
