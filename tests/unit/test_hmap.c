/* test_hmap.c - tz_hmap: lookups, replace, delete (backward shift keeps every
 * other key findable), growth, checked against a plain array model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/hmap.h"
#include <stdio.h>
#include <string.h>

static void test_hmap_put_get_replace(void **state)
{
    (void)state;
    tz_hmap *m = tz_hmap_new();
    assert_non_null(m);
    long long iv = 0;
    const char *sv = "x";
    assert_int_equal(tz_hmap_get(m, "410628", &iv, &sv), 0);
    assert_int_equal(tz_hmap_put(m, "410628", 3, "鹿邑县"), 0);
    assert_int_equal(tz_hmap_put(m, "", 7, NULL), 0); /* the empty key is a key */
    assert_int_equal(tz_hmap_get(m, "410628", &iv, &sv), 1);
    assert_int_equal(iv, 3);
    assert_string_equal(sv, "鹿邑县");
    assert_int_equal(tz_hmap_get(m, "", &iv, &sv), 1);
    assert_int_equal(iv, 7);
    assert_null(sv);
    assert_int_equal(tz_hmap_put(m, "410628", 4, NULL), 0);
    assert_int_equal(tz_hmap_get(m, "410628", &iv, &sv), 1);
    assert_int_equal(iv, 4);
    assert_null(sv);
    assert_int_equal(tz_hmap_count(m), 2);
    assert_int_equal(tz_hmap_del(m, "410628"), 1);
    assert_int_equal(tz_hmap_del(m, "410628"), 0);
    assert_int_equal(tz_hmap_get(m, "410628", NULL, NULL), 0);
    assert_int_equal(tz_hmap_count(m), 1);
    tz_hmap_free(m);
    tz_hmap_free(NULL);
}

#define MODEL_N 20000

/* A lent string is kept as given (the very pointer, through growth and
 * replacing), and tz_hmap_key gives the map's own copy of a key, which
 * another map may borrow for as long as this one lives. */
static void test_hmap_lent_and_key(void **state)
{
    (void)state;
    tz_hmap *keys = tz_hmap_new(), *ids = tz_hmap_new();
    assert_non_null(keys);
    assert_non_null(ids);
    char key[32], id[32];
    for (int i = 0; i < 1000; i++) {
        snprintf(key, sizeof key, "4101211010%07d", i);
        snprintf(id, sizeof id, "41012119690421%04d", i);
        assert_int_equal(tz_hmap_put(keys, key, i, NULL), 0);
        const char *own = tz_hmap_key(keys, key);
        assert_non_null(own);
        assert_ptr_not_equal(own, key); /* a copy, not the caller's buffer */
        assert_string_equal(own, key);
        assert_int_equal(tz_hmap_put_lent(ids, id, 0, own), 0);
    }
    assert_null(tz_hmap_key(keys, "no such key"));
    for (int i = 0; i < 1000; i++) {
        const char *sv = NULL;
        snprintf(key, sizeof key, "4101211010%07d", i);
        snprintf(id, sizeof id, "41012119690421%04d", i);
        assert_int_equal(tz_hmap_get(ids, id, NULL, &sv), 1);
        assert_ptr_equal(sv, tz_hmap_key(keys, key)); /* the lent pointer itself */
    }
    /* replaced by a copied string equal to the lent one: still a right value */
    const char *sv = NULL;
    assert_int_equal(tz_hmap_put(ids, "410121196904210000", 1,
                                 "4101211010"
                                 "0000000"),
                     0);
    assert_int_equal(tz_hmap_get(ids, "410121196904210000", NULL, &sv), 1);
    assert_string_equal(sv, "41012110100000000");
    tz_hmap_free(ids);
    tz_hmap_free(keys);
}

/* Many keys put, a pseudo-random third deleted, some put again: every key
 * is found exactly when the model holds it, with the model's value. */
static void test_hmap_matches_model(void **state)
{
    (void)state;
    static long long model[MODEL_N]; /* value + 1, 0 when absent */
    memset(model, 0, sizeof model);
    tz_hmap *m = tz_hmap_new();
    assert_non_null(m);
    char key[32];
    unsigned x = 12345;
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < MODEL_N; i++) {
            x = x * 1103515245u + 12345u;
            snprintf(key, sizeof key, "k%d", i);
            if ((x >> 16) % 3 == 0) {
                assert_int_equal(tz_hmap_del(m, key), model[i] != 0);
                model[i] = 0;
            } else {
                assert_int_equal(tz_hmap_put(m, key, (long long)round * MODEL_N + i, key), 0);
                model[i] = (long long)round * MODEL_N + i + 1;
            }
        }
        size_t n = 0;
        for (int i = 0; i < MODEL_N; i++) {
            long long iv;
            const char *sv;
            snprintf(key, sizeof key, "k%d", i);
            tz_hmap_prefetch(m, key); /* a hint: the lookup after it is the same */
            int found = tz_hmap_get(m, key, &iv, &sv);
            assert_int_equal(found, model[i] != 0);
            if (found) {
                assert_int_equal(iv + 1, model[i]);
                assert_string_equal(sv, key);
                n++;
            }
        }
        assert_int_equal(tz_hmap_count(m), n);
    }
    tz_hmap_free(m);
}

/* tz_hmap_each: sums the values it is given; stops at 3 when asked. */
static int _sum(void *ctx, const char *key, long long ival, const char *sval)
{
    long long *acc = ctx;
    (void)key;
    assert_null(sval);
    acc[0] += ival;
    acc[1]++;
    return acc[2] && ival == 3 ? 7 : 0;
}

/* Reserving room keeps what the map holds, and a reserved map takes as
 * many entries as it was told (and more) with every one found again. */
static void test_hmap_reserve(void **state)
{
    (void)state;
    tz_hmap *m = tz_hmap_new();
    assert_non_null(m);
    char key[32];
    for (int i = 0; i < 10; i++) {
        snprintf(key, sizeof key, "k%d", i);
        assert_int_equal(tz_hmap_put(m, key, i, NULL), 0);
    }
    assert_int_equal(tz_hmap_reserve(m, 5000), 0);
    assert_int_equal(tz_hmap_reserve(m, 0), 0);
    for (int i = 10; i < 6000; i++) {
        snprintf(key, sizeof key, "k%d", i);
        assert_int_equal(tz_hmap_put(m, key, i, NULL), 0);
    }
    assert_int_equal(tz_hmap_count(m), 6000);
    for (int i = 0; i < 6000; i++) {
        long long v = -1;
        snprintf(key, sizeof key, "k%d", i);
        assert_int_equal(tz_hmap_get(m, key, &v, NULL), 1);
        assert_int_equal(v, i);
    }
    assert_int_equal(tz_hmap_get(m, "k6000", NULL, NULL), 0);
    tz_hmap_free(m);
}

static void test_hmap_each(void **state)
{
    (void)state;
    long long acc[3] = {0, 0, 0};
    assert_int_equal(tz_hmap_each(NULL, _sum, acc), 0);
    assert_int_equal(tz_hmap_count(NULL), 0);
    tz_hmap *m = tz_hmap_new();
    assert_non_null(m);
    for (long long i = 1; i <= 100; i++) {
        char k[32];
        snprintf(k, sizeof k, "k%lld", i);
        assert_int_equal(tz_hmap_put(m, k, i, NULL), 0);
    }
    assert_int_equal(tz_hmap_each(m, _sum, acc), 0);
    assert_int_equal(acc[0], 5050);
    assert_int_equal(acc[1], 100);
    acc[0] = acc[1] = 0;
    acc[2] = 1; /* stop at the entry holding 3 */
    assert_int_equal(tz_hmap_each(m, _sum, acc), 7);
    assert_true(acc[1] >= 1 && acc[1] <= 100);
    tz_hmap_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hmap_put_get_replace), cmocka_unit_test(test_hmap_lent_and_key),
        cmocka_unit_test(test_hmap_matches_model),   cmocka_unit_test(test_hmap_each),
        cmocka_unit_test(test_hmap_reserve),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
