/* test_buf.c - tz_buf's cap, and tz_bufw: after the first failed append
 * every later one is skipped, even one that would fit, so a builder checks
 * once at the end and never ships a document with a hole in it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/buf.h"
#include "util/text.h"
#include <string.h>

static void test_bufw_builds_text(void **state)
{
    (void)state;
    tz_bufw w = TZ_BUFW_INIT;
    tz_bufw_puts(&w, "<a x=\"");
    tz_bufw_xml(&w, "1<2 & \"q\"", 9, TZ_XML_ATTR);
    tz_bufw_printf(&w, "\">%d</a>", 42);
    tz_bufw_add(&w, "!?", 1);
    assert_int_equal(w.err, 0);
    assert_string_equal(tz_buf_str(&w.b), "<a x=\"1&lt;2 &amp; &quot;q&quot;\">42</a>!");
    tz_buf_free(&w.b);
}

static void test_bufw_error_is_sticky(void **state)
{
    (void)state;
    tz_bufw w = TZ_BUFW_INIT;
    w.b.max = 8;
    tz_bufw_puts(&w, "12345");
    assert_int_equal(w.err, 0);
    tz_bufw_puts(&w, "67890"); /* passes the cap: fails, the buffer frees itself */
    assert_int_equal(w.err, 1);
    tz_bufw_puts(&w, "ab"); /* would fit in the emptied buffer: still skipped */
    tz_bufw_printf(&w, "%s", "c");
    tz_bufw_xml(&w, "d", 1, 0);
    tz_bufw_add(&w, "e", 1);
    assert_int_equal(w.err, 1);
    assert_int_equal(w.b.len, 0);
    tz_buf_free(&w.b);
}

/* tz_buf_clear empties the text and keeps the memory: the next text starts
 * afresh in the same place (the import's prefetch builds a key a row). */
static void test_buf_clear_keeps_memory(void **state)
{
    (void)state;
    tz_buf b = TZ_BUF_INIT;
    tz_buf_clear(&b); /* an empty buffer too */
    assert_string_equal(tz_buf_str(&b), "");
    assert_int_equal(tz_buf_puts(&b, "H0001/2019"), 0);
    const char *at = b.data;
    tz_buf_clear(&b);
    assert_string_equal(tz_buf_str(&b), "");
    assert_int_equal(b.len, 0);
    assert_int_equal(tz_buf_puts(&b, "H2"), 0);
    assert_string_equal(tz_buf_str(&b), "H2");
    assert_ptr_equal(b.data, at);
    tz_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bufw_builds_text),
        cmocka_unit_test(test_buf_clear_keeps_memory),
        cmocka_unit_test(test_bufw_error_is_sticky),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
