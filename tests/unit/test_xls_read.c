/* test_xls_read.c - unit tests of the .xls backend's pipe protocol
 * (io/xls_read.c): a stand-in child writes frames, good and broken, and the
 * reader must pass good rows on, refuse every malformed frame, a stream
 * without its end-of-data frame, or a child that died, with the one
 * "damaged file" error, and leave no child unreaped. The real FreeXL child
 * is tested on files by tests/unit/test_reader.c and
 * tests/blackbox/test_isolation.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "io/reader_impl.h"
#include "util/buf.h"
#include "util/sandbox.h"
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CORRUPT "x.xls: 文件已损坏或格式异常,请用Excel或WPS另存为.xlsx后导入"

/* What the stand-in child writes, and how it ends. */
typedef struct script {
    tz_buf out; /* bytes to write */
    int end;    /* 0: exit 0; 1: die of SIGKILL after writing; 2: exit 0 after half the bytes */
} script;

static int _child(int fd, void *arg)
{
    script *s = arg;
    size_t n = s->end == 2 ? s->out.len / 2 : s->out.len;
    if (n && tz_sandbox_write_full(fd, s->out.data, n))
        return 9;
    if (s->end == 1) {
        signal(SIGKILL, SIG_DFL);
        raise(SIGKILL);
    }
    return 0;
}

static void _u32(tz_buf *b, uint32_t v)
{
    unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    assert_int_equal(tz_buf_add(b, x, 4), 0);
}

/* Appends a frame of type t with payload p (n bytes). */
static void _frame(tz_buf *b, char t, const void *p, size_t n)
{
    assert_int_equal(tz_buf_putc(b, t), 0);
    _u32(b, (uint32_t)n);
    if (n)
        assert_int_equal(tz_buf_add(b, p, n), 0);
}

static void _dims(tz_buf *b, uint32_t rows, uint32_t cols)
{
    tz_buf p = TZ_BUF_INIT;
    _u32(&p, rows);
    _u32(&p, cols);
    _frame(b, 'D', p.data, p.len);
    tz_buf_free(&p);
}

/* A row frame from "col:kind:text" cells separated by '|'. */
static void _row(tz_buf *b, uint32_t rowno, const char *cells)
{
    tz_buf p = TZ_BUF_INIT;
    _u32(&p, rowno);
    uint32_t n = 0;
    for (const char *c = cells; *c; n++) {
        c = strchr(c, '|') ? strchr(c, '|') + 1 : c + strlen(c);
    }
    _u32(&p, n);
    char *copy = strdup(cells);
    for (char *save = NULL, *cell = strtok_r(copy, "|", &save); cell;
         cell = strtok_r(NULL, "|", &save)) {
        char *k = strchr(cell, ':'), *t = strchr(k + 1, ':');
        _u32(&p, (uint32_t)atoi(cell));
        assert_int_equal(tz_buf_putc(&p, (char)atoi(k + 1)), 0);
        _u32(&p, (uint32_t)strlen(t + 1));
        assert_int_equal(tz_buf_puts(&p, t + 1), 0);
    }
    free(copy);
    _frame(b, 'R', p.data, p.len);
    tz_buf_free(&p);
}

static void _assert_no_children(void)
{
    errno = 0;
    assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
}

/* Runs the script; returns the rows read as "rowno:cell|cell#\n" (# marks a
 * number) and the end: 0 clean, -1 with the first diagnostic in *msg
 * (caller frees both). */
static char *_read(script *s, int *end, char **msg)
{
    tz_diags d = TZ_DIAGS_INIT;
    tz_buf got = TZ_BUF_INIT;
    tz_reader *r = calloc(1, sizeof *r);
    assert_non_null(r);
    r->name = strdup("x.xls");
    int rc = tz__xls_open_child(r, _child, s, &d);
    if (rc == 0) {
        const tz_row *row;
        while ((rc = tz_reader_next(r, &row, &d)) == 1) {
            tz_buf_printf(&got, "%ld:", row->rowno);
            for (size_t i = 0; i < row->n; i++)
                tz_buf_printf(&got, "%s%s%s", i ? "|" : "", row->cells[i],
                              row->numeric[i] == TZ_CELL_NUMBER ? "#" : "");
            tz_buf_putc(&got, '\n');
        }
    }
    tz_reader_free(r);
    _assert_no_children();
    *end = rc;
    *msg = d.n ? tz_diag_format(&d.items[0]) : strdup("");
    assert_int_equal(d.nerrors, rc < 0 ? 1 : 0);
    tz_diags_clear(&d);
    tz_buf_free(&s->out);
    return tz_buf_take(&got);
}

/* Runs the script and expects the damaged-file error after rows_before. */
static void _expect_corrupt(script *s, const char *rows_before)
{
    int end;
    char *msg;
    char *got = _read(s, &end, &msg);
    assert_int_equal(end, -1);
    assert_string_equal(msg, CORRUPT);
    assert_string_equal(got, rows_before);
    free(msg);
    free(got);
}

static void test_good_stream(void **state)
{
    script s = {TZ_BUF_INIT, 0};
    _dims(&s.out, 3, 2);
    _row(&s.out, 1, "0:0:户编号|1:0:名称");
    _row(&s.out, 3, "1:1:42");
    _frame(&s.out, 'Z', NULL, 0);
    int end;
    char *msg;
    char *got = _read(&s, &end, &msg);
    assert_int_equal(end, 0);
    assert_string_equal(got, "1:户编号|名称\n3:|42#\n");
    free(msg);
    free(got);
}

static void test_no_end_frame(void **state)
{
    /* the child exits 0 but never says the data ended: not taken as the end */
    script s = {TZ_BUF_INIT, 0};
    _dims(&s.out, 3, 2);
    _row(&s.out, 1, "0:0:a");
    _expect_corrupt(&s, "1:a\n");
}

static void test_killed_mid_frame(void **state)
{
    script s = {TZ_BUF_INIT, 2};
    _dims(&s.out, 3, 2);
    _row(&s.out, 1, "0:0:第一行的内容比较长");
    _expect_corrupt(&s, "");
}

static void test_killed_after_rows(void **state)
{
    script s = {TZ_BUF_INIT, 1};
    _dims(&s.out, 3, 2);
    _row(&s.out, 1, "0:0:a");
    _row(&s.out, 2, "0:0:b");
    _expect_corrupt(&s, "1:a\n2:b\n");
}

static void test_killed_after_end_frame(void **state)
{
    /* the end frame counts only with a clean exit */
    script s = {TZ_BUF_INIT, 1};
    _dims(&s.out, 1, 1);
    _row(&s.out, 1, "0:0:a");
    _frame(&s.out, 'Z', NULL, 0);
    _expect_corrupt(&s, "1:a\n");
}

static void test_garbage_frames(void **state)
{
    /* an unknown first frame */
    script s = {TZ_BUF_INIT, 0};
    _frame(&s.out, 'X', "abc", 3);
    _expect_corrupt(&s, "");
    /* more rows than BIFF holds */
    _dims(&s.out, 70000, 2);
    _expect_corrupt(&s, "");
    /* a dimension frame of the wrong size */
    _frame(&s.out, 'D', "1234", 4);
    _expect_corrupt(&s, "");
    /* rows out of order */
    _dims(&s.out, 5, 2);
    _row(&s.out, 3, "0:0:a");
    _row(&s.out, 2, "0:0:b");
    _expect_corrupt(&s, "3:a\n");
    /* a row past the sheet's dimensions */
    _dims(&s.out, 5, 2);
    _row(&s.out, 6, "0:0:a");
    _expect_corrupt(&s, "");
    /* columns not rising */
    _dims(&s.out, 5, 2);
    _row(&s.out, 1, "1:0:a|0:0:b");
    _expect_corrupt(&s, "");
    /* a cell kind the child never sends */
    _dims(&s.out, 5, 2);
    _row(&s.out, 1, "0:7:a");
    _expect_corrupt(&s, "");
    /* an empty cell (the child sends only non-empty ones) */
    _dims(&s.out, 5, 2);
    _row(&s.out, 1, "0:0:");
    _expect_corrupt(&s, "");
    /* a frame longer than any row may be: refused before allocating */
    _dims(&s.out, 5, 2);
    assert_int_equal(tz_buf_putc(&s.out, 'R'), 0);
    _u32(&s.out, 0xFFFFFFF0u);
    _expect_corrupt(&s, "");
    /* an end frame with a payload */
    _dims(&s.out, 5, 2);
    _frame(&s.out, 'Z', "x", 1);
    _expect_corrupt(&s, "");
}

static void test_cell_past_its_frame(void **state)
{
    script s = {TZ_BUF_INIT, 0};
    _dims(&s.out, 5, 2);
    tz_buf p = TZ_BUF_INIT;
    _u32(&p, 1); /* row */
    _u32(&p, 1); /* cells */
    _u32(&p, 0); /* column */
    tz_buf_putc(&p, 0);
    _u32(&p, 100); /* length: past the frame */
    tz_buf_puts(&p, "abc");
    _frame(&s.out, 'R', p.data, p.len);
    tz_buf_free(&p);
    _expect_corrupt(&s, "");
    /* a NUL inside a cell */
    _dims(&s.out, 5, 2);
    _u32(&p, 1);
    _u32(&p, 1);
    _u32(&p, 0);
    tz_buf_putc(&p, 0);
    _u32(&p, 3);
    tz_buf_add(&p, "a\0b", 3);
    _frame(&s.out, 'R', p.data, p.len);
    tz_buf_free(&p);
    _expect_corrupt(&s, "");
    /* trailing bytes after the last cell */
    _dims(&s.out, 5, 2);
    _u32(&p, 1);
    _u32(&p, 1);
    _u32(&p, 0);
    tz_buf_putc(&p, 0);
    _u32(&p, 1);
    tz_buf_puts(&p, "ab");
    _frame(&s.out, 'R', p.data, p.len);
    tz_buf_free(&p);
    _expect_corrupt(&s, "");
}

static void test_refusal_passed_on(void **state)
{
    /* the child's own reason, with its row */
    script s = {TZ_BUF_INIT, 0};
    tz_buf p = TZ_BUF_INIT;
    _u32(&p, 0);
    tz_buf_puts(&p, "文件设置了密码,请在Excel中去掉密码后重试");
    _frame(&s.out, 'E', p.data, p.len);
    tz_buf_free(&p);
    int end;
    char *msg;
    char *got = _read(&s, &end, &msg);
    assert_int_equal(end, -1);
    assert_string_equal(msg, "x.xls: 文件设置了密码,请在Excel中去掉密码后重试");
    free(msg);
    free(got);
    /* mid-stream, naming the row */
    _dims(&s.out, 5, 2);
    _row(&s.out, 1, "0:0:a");
    _u32(&p, 2);
    tz_buf_puts(&p, "第1列无法读取");
    _frame(&s.out, 'E', p.data, p.len);
    tz_buf_free(&p);
    got = _read(&s, &end, &msg);
    assert_int_equal(end, -1);
    assert_string_equal(got, "1:a\n");
    assert_string_equal(msg, "x.xls 第2行: 第1列无法读取");
    free(msg);
    free(got);
    /* a reason that is not UTF-8 is garbage */
    _u32(&p, 0);
    tz_buf_puts(&p, "\xFF\xFE bad");
    _frame(&s.out, 'E', p.data, p.len);
    tz_buf_free(&p);
    _expect_corrupt(&s, "");
}

/* An 'N' frame: worksheet idx of n, named name. */
static void _sheet(tz_buf *b, uint32_t idx, uint32_t n, const char *name)
{
    tz_buf p = TZ_BUF_INIT;
    _u32(&p, idx);
    _u32(&p, n);
    assert_int_equal(tz_buf_puts(&p, name), 0);
    _frame(b, 'N', p.data, p.len);
    tz_buf_free(&p);
}

/* Two worksheets, "甲" and "乙", one row each. */
static void _two_sheets(script *s)
{
    _sheet(&s->out, 0, 2, "甲");
    _dims(&s->out, 2, 1);
    _row(&s->out, 2, "0:0:a");
    _sheet(&s->out, 1, 2, "乙");
    _dims(&s->out, 1, 1);
    _row(&s->out, 1, "0:1:7");
    _frame(&s->out, 'Z', NULL, 0);
}

/* Reads every sheet of the script: "[index:name]" then its rows. */
static char *_read_sheets(script *s, int *end)
{
    tz_diags d = TZ_DIAGS_INIT;
    tz_buf got = TZ_BUF_INIT;
    tz_reader *r = calloc(1, sizeof *r);
    assert_non_null(r);
    r->name = strdup("x.xls");
    int rc = tz__xls_open_child(r, _child, s, &d);
    tz_sheet_info si;
    while (rc == 0 && (rc = tz_reader_next_sheet(r, &si, &d)) == 1) {
        tz_buf_printf(&got, "[%d:%s]\n", si.index, si.name);
        const tz_row *row;
        while ((rc = tz_reader_next(r, &row, &d)) == 1)
            tz_buf_printf(&got, "%ld:%s%s\n", row->rowno, row->cells[0],
                          row->numeric[0] == TZ_CELL_NUMBER ? "#" : "");
        if (rc < 0)
            break;
    }
    tz_reader_free(r);
    _assert_no_children();
    *end = rc;
    assert_int_equal(d.nerrors, rc < 0 ? 1 : 0);
    tz_diags_clear(&d);
    tz_buf_free(&s->out);
    return tz_buf_take(&got);
}

static void test_sheets_stream(void **state)
{
    /* never asking for sheets: the first worksheet only */
    script s = {TZ_BUF_INIT, 0};
    _two_sheets(&s);
    int end;
    char *msg;
    char *got = _read(&s, &end, &msg);
    assert_int_equal(end, 0);
    assert_string_equal(got, "2:a\n");
    free(msg);
    free(got);
    /* every worksheet, by name */
    _two_sheets(&s);
    got = _read_sheets(&s, &end);
    assert_int_equal(end, 0);
    assert_string_equal(got, "[0:甲]\n2:a\n[1:乙]\n1:7#\n");
    free(got);
    /* a worksheet announced out of order is garbage */
    _sheet(&s.out, 0, 3, "甲");
    _dims(&s.out, 1, 1);
    _sheet(&s.out, 2, 3, "丙");
    _dims(&s.out, 1, 1);
    _frame(&s.out, 'Z', NULL, 0);
    got = _read_sheets(&s, &end);
    assert_int_equal(end, -1);
    assert_string_equal(got, "[0:甲]\n");
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_stream),
        cmocka_unit_test(test_no_end_frame),
        cmocka_unit_test(test_killed_mid_frame),
        cmocka_unit_test(test_killed_after_rows),
        cmocka_unit_test(test_killed_after_end_frame),
        cmocka_unit_test(test_garbage_frames),
        cmocka_unit_test(test_cell_past_its_frame),
        cmocka_unit_test(test_refusal_passed_on),
        cmocka_unit_test(test_sheets_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
