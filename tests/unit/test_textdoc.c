/* test_textdoc.c - unit tests for io/textdoc: the text of .txt and .md files
 * as the proofreader reads it (UTF-8 with or without BOM, GB18030 converted
 * with a warning, Markdown code fences blanked), and what it refuses. The
 * .docx reader is tested with the proofreader (test_proofread.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/textdoc.h"

typedef struct fixture {
    char dir[64]; /* temp directory */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/tz-textdoc-XXXXXX");
    if (!f || !mkdtemp(f->dir))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

/* Writes data to dir/name and reads it back with tz_textdoc_read. Returns
 * its rc; the text goes to out and the diagnostics to d. */
static int _read(fixture *f, const char *name, const char *data, size_t len, tz_buf *out,
                 tz_diags *d)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", f->dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    fclose(fp);
    return tz_textdoc_read(path, out, d);
}

static void test_utf8_and_bom(void **state)
{
    fixture *f = *state;
    tz_buf b = TZ_BUF_INIT;
    tz_diags d = TZ_DIAGS_INIT;
    const char text[] = "\xEF\xBB\xBF全县105个贫困村。\n";
    assert_int_equal(_read(f, "a.txt", text, sizeof text - 1, &b, &d), 0);
    assert_string_equal(tz_buf_str(&b), "全县105个贫困村。\n");
    assert_int_equal(d.n, 0);
    tz_buf_free(&b);
}

static void test_gb18030_is_converted(void **state)
{
    fixture *f = *state;
    tz_buf b = TZ_BUF_INIT;
    tz_diags d = TZ_DIAGS_INIT;
    /* "部署" in GB18030 */
    const char gb[] = "\xB2\xBF\xCA\xF0\n";
    assert_int_equal(_read(f, "gb.txt", gb, sizeof gb - 1, &b, &d), 0);
    assert_string_equal(tz_buf_str(&b), "部署\n");
    assert_int_equal(d.n, 1);
    assert_int_equal(d.items[0].sev, TZ_WARNING);
    assert_non_null(strstr(d.items[0].reason, "GB18030"));
    assert_string_equal(d.items[0].file, "gb.txt");
    tz_diags_clear(&d);
    tz_buf_free(&b);
    /* neither UTF-8 nor GB18030: kept as it is, for the garbled check */
    const char bad[] = "ab\xFF\n";
    assert_int_equal(_read(f, "bad.txt", bad, sizeof bad - 1, &b, &d), 0);
    assert_int_equal(b.len, 4);
    assert_int_equal(d.n, 0);
    tz_buf_free(&b);
}

static void test_markdown_fences(void **state)
{
    fixture *f = *state;
    tz_buf b = TZ_BUF_INIT;
    tz_diags d = TZ_DIAGS_INIT;
    const char md[] = "# 标题\n```\n布署\n```\n正文\n";
    assert_int_equal(_read(f, "a.md", md, sizeof md - 1, &b, &d), 0);
    assert_string_equal(tz_buf_str(&b), "# 标题\n   \n      \n   \n正文\n");
    tz_buf_free(&b);
    /* a .txt keeps its fences */
    assert_int_equal(_read(f, "a.txt", md, sizeof md - 1, &b, &d), 0);
    assert_string_equal(tz_buf_str(&b), md);
    tz_buf_free(&b);
}

static void test_refused(void **state)
{
    fixture *f = *state;
    tz_buf b = TZ_BUF_INIT;
    tz_diags d = TZ_DIAGS_INIT;
    assert_int_equal(_read(f, "a.doc", "x", 1, &b, &d), -1);
    assert_non_null(strstr(d.items[0].reason, "另存为.docx"));
    tz_diags_clear(&d);
    assert_int_equal(_read(f, "a.pdf", "x", 1, &b, &d), -1);
    assert_int_equal(d.nerrors, 1);
    tz_diags_clear(&d);
    assert_int_equal(tz_textdoc_read("/nonexistent/a.txt", &b, &d), -1);
    assert_non_null(strstr(d.items[0].reason, "无法打开文件"));
    tz_diags_clear(&d);
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(tz_textdoc_slurp("/nonexistent/a.txt", &data, &len, &d), -1);
    assert_null(data);
    tz_diags_clear(&d);
    tz_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_utf8_and_bom, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gb18030_is_converted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_markdown_fences, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
