/* test_static.c - unit tests of the embedded web app (web/static.c and the
 * table web/embed.mjs generated from web/dist at build time): the table is
 * not empty, has index.html, is sorted for the binary search, every stored
 * file inflates to its size, every file index.html loads is in it at an
 * absolute path (so the router's history paths load the app), and the
 * Accept-Encoding rule that chooses gzip. What the server sends is
 * tests/blackbox/test_static.py's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "web/web_impl.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

/* The raw bytes of a (malloc'd, NUL-terminated; raw_len of them), or NULL
 * when they do not inflate to exactly raw_len. */
static char *_raw(const tz_web_asset *a)
{
    char *out = malloc(a->raw_len + 1);
    if (!out)
        return NULL;
    if (!a->gzip) {
        memcpy(out, tz_web_blob + a->off, a->len);
        out[a->len] = '\0';
        return out;
    }
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
        free(out);
        return NULL;
    }
    z.next_in = (Bytef *)(uintptr_t)(tz_web_blob + a->off);
    z.avail_in = (uInt)a->len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)a->raw_len + 1; /* one more: a longer stream shows */
    int r = inflate(&z, Z_FINISH);
    size_t got = z.total_out;
    inflateEnd(&z);
    if (r != Z_STREAM_END || got != a->raw_len) {
        free(out);
        return NULL;
    }
    out[got] = '\0';
    return out;
}

static void test_table_has_index_and_is_sorted(void **state)
{
    (void)state;
    assert_true(tz_web_nassets > 0);
    assert_non_null(tz_web_asset_find("/index.html"));
    for (size_t i = 1; i < tz_web_nassets; i++)
        assert_true(strcmp(tz_web_assets[i - 1].path, tz_web_assets[i].path) < 0);
    for (size_t i = 0; i < tz_web_nassets; i++)
        assert_ptr_equal(tz_web_asset_find(tz_web_assets[i].path), &tz_web_assets[i]);
    assert_null(tz_web_asset_find(""));
    assert_null(tz_web_asset_find("/"));
    assert_null(tz_web_asset_find("/index.htm"));
    assert_null(tz_web_asset_find("/assets/"));
    assert_null(tz_web_asset_find("/index.html/"));
}

static void test_every_file_inflates_to_its_size(void **state)
{
    (void)state;
    size_t end = 0;
    for (size_t i = 0; i < tz_web_nassets; i++) {
        const tz_web_asset *a = &tz_web_assets[i];
        assert_true(a->path[0] == '/');
        assert_true(a->type && a->type[0]);
        size_t el = strlen(a->etag);
        assert_true(el > 2 && a->etag[0] == '"' && a->etag[el - 1] == '"');
        assert_int_equal(a->off, end); /* stored one after another, nothing between */
        end = a->off + a->len;
        assert_true(end <= tz_web_blob_len);
        if (!a->gzip)
            assert_int_equal(a->len, a->raw_len);
        else
            assert_true(a->len < a->raw_len); /* kept compressed only when it is smaller */
        char *raw = _raw(a);
        assert_non_null(raw);
        free(raw);
    }
    assert_int_equal(end, tz_web_blob_len);
}

/* Every src="..." and href="..." of index.html that is not another site or
 * data: names an embedded file by its absolute path. */
static void test_index_loads_only_embedded_files(void **state)
{
    (void)state;
    const tz_web_asset *ix = tz_web_asset_find("/index.html");
    assert_non_null(ix);
    assert_string_equal(ix->type, "text/html; charset=utf-8");
    char *html = _raw(ix);
    assert_non_null(html);
    assert_int_equal(strncasecmp(html, "<!doctype html>", 15), 0);
    size_t refs = 0;
    for (const char *p = html; (p = strstr(p, "=\"")) != NULL; p += 2) {
        int src = p >= html + 3 && !strncmp(p - 3, "src", 3);
        int href = p >= html + 4 && !strncmp(p - 4, "href", 4);
        if (!src && !href)
            continue;
        const char *v = p + 2;
        size_t n = strcspn(v, "\"");
        if (!strncmp(v, "http:", 5) || !strncmp(v, "https:", 6) || !strncmp(v, "data:", 5))
            fail_msg("index.html loads from outside the binary: %.*s", (int)n, v);
        char path[512];
        assert_true(n > 0 && n < sizeof path);
        memcpy(path, v, n);
        path[n] = '\0';
        if (path[0] != '/')
            fail_msg("index.html refers to %s by a relative path: with the router's history "
                     "paths (/ledgers/...) it would not load (vite base must be '/')",
                     path);
        if (!tz_web_asset_find(path))
            fail_msg("index.html refers to %s, which is not embedded", path);
        refs++;
    }
    assert_true(refs > 0); /* at least the app's script */
    free(html);
}

static void test_accepts_gzip(void **state)
{
    (void)state;
    static const struct {
        const char *ae;
        int gzip;
    } cases[] = {
        {NULL, 0},
        {"", 0},
        {"gzip", 1},
        {"GZIP", 1},
        {"x-gzip", 1},
        {"gzip, deflate, br", 1},
        {"deflate, br, zstd", 0},
        {"identity", 0},
        {"gzipx", 0},
        {"gzip;q=0", 0},
        {"gzip ; q=0.000", 0},
        {"gzip;q=0.5", 1},
        {"gzip;q=1.0", 1},
        {"gzip;level=1;q=0", 0},
        {"*", 1},
        {"*;q=0", 0},
        {"br;q=1.0, *;q=0.1", 1},
        {"deflate, gzip;q=0, *", 0},
        {",, gzip ,", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int got = tz_web_accepts_gzip(cases[i].ae);
        if (got != cases[i].gzip)
            fail_msg("Accept-Encoding '%s': %d, want %d", cases[i].ae ? cases[i].ae : "(none)", got,
                     cases[i].gzip);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_has_index_and_is_sorted),
        cmocka_unit_test(test_every_file_inflates_to_its_size),
        cmocka_unit_test(test_index_loads_only_embedded_files),
        cmocka_unit_test(test_accepts_gzip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
