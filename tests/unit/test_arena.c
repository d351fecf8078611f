/* test_arena.c - tz_arena: copies intact across chunks, a long string in a
 * chunk of its own, reset keeps the usual chunks for reuse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/arena.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_arena_copies(void **state)
{
    (void)state;
    tz_arena a = TZ_ARENA_INIT;
    /* enough copies to fill several chunks; each stays as it was */
    enum { N = 20000 };
    char **at = calloc(N, sizeof *at);
    assert_non_null(at);
    for (int i = 0; i < N; i++) {
        char s[32];
        int n = snprintf(s, sizeof s, "键%d-值", i);
        assert_non_null(at[i] = tz_arena_dup(&a, s, (size_t)n));
    }
    for (int i = 0; i < N; i++) {
        char s[32];
        snprintf(s, sizeof s, "键%d-值", i);
        assert_string_equal(at[i], s);
    }
    /* n bytes, then a NUL: a slice of a longer text */
    assert_string_equal(tz_arena_dup(&a, "户编号,户主", 9), "户编号");
    assert_string_equal(tz_arena_dup(&a, "x", 0), "");
    /* longer than a chunk: its own */
    size_t big = TZ_ARENA_CHUNK + 100;
    char *s = malloc(big);
    assert_non_null(s);
    memset(s, 'a', big);
    char *b = tz_arena_dup(&a, s, big);
    assert_non_null(b);
    assert_int_equal(strlen(b), big);
    assert_memory_equal(b, s, big);
    assert_string_equal(at[N - 1], "键19999-值");
    free(s);
    free(at);
    tz_arena_free(&a);
    tz_arena_free(&a); /* safe again */
}

static void test_arena_reset_reuses(void **state)
{
    (void)state;
    tz_arena a = TZ_ARENA_INIT;
    char *first = tz_arena_dup(&a, "一", strlen("一"));
    assert_non_null(first);
    tz_arena_reset(&a);
    /* the emptied chunk is taken again: the next copy is where the first was */
    char *again = tz_arena_dup(&a, "二", strlen("二"));
    assert_ptr_equal(again, first);
    assert_string_equal(again, "二");
    tz_arena_reset(&a);
    tz_arena_reset(&a); /* an empty arena resets too */
    tz_arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arena_copies),
        cmocka_unit_test(test_arena_reset_reuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
