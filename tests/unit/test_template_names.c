/* test_template_names.c - every indicator name a report template uses
 * resolves with metrics/: the names each template in templates/ (and the
 * test fixture in tests/data/templates/) declares in report{indicators=,
 * facts=}, and every literal name its source passes to ind(), ind_by(),
 * explain() or src(), which must also be declared. A misspelt name fails.
 *
 * Reads the templates relative to the source tree: $TZ_SRCDIR when set,
 * else the current directory (make runs tests from the repository root).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "metrics/metrics.h"
#include "report/template.h"

static void _src_path(const char *rel, char *buf, size_t sz)
{
    const char *root = getenv("TZ_SRCDIR");
    snprintf(buf, sz, "%s/%s", root && root[0] ? root : ".", rel);
}

/* Names in t that metrics/ does not know, each printed. */
static size_t _unresolved(const tz_template *t)
{
    size_t bad = 0;
    for (size_t i = 0; i < t->nindicators; i++)
        if (!tz_indicator_find(t->indicators[i])) {
            fprintf(stderr, "%s: indicators: %s\n", t->path, t->indicators[i]);
            bad++;
        }
    for (size_t i = 0; i < t->nfacts; i++) {
        if (!tz_indicator_find(t->facts[i].indicator)) {
            fprintf(stderr, "%s: facts: %s\n", t->path, t->facts[i].indicator);
            bad++;
        }
        if (t->facts[i].years_where && !tz_indicator_find(t->facts[i].years_where)) {
            fprintf(stderr, "%s: facts: %s\n", t->path, t->facts[i].years_where);
            bad++;
        }
    }
    return bad;
}

/* Literal names the source passes as first argument to ind, ind_by,
 * explain or src that are unknown to metrics/ or not declared in t; each
 * printed. *seen gets the number of such calls found. */
static size_t _undeclared_calls(const tz_template *t, size_t *seen)
{
    static const char *const calls[] = {"ind(\"", "ind_by(\"", "explain(\"", "src(\"", NULL};
    char *src = NULL;
    size_t len = 0, bad = 0;
    tz_diags d = TZ_DIAGS_INIT;
    assert_int_equal(tz_template_load_text(t->path, &src, &len, &d), 0);
    *seen = 0;
    for (const char *const *c = calls; *c; c++) {
        for (const char *p = strstr(src, *c); p; p = strstr(p + 1, *c)) {
            char ch = p > src ? p[-1] : ' ';
            if ((ch >= 'a' && ch <= 'z') || ch == '_' || ch == '.' || ch == ':')
                continue; /* find(", string.find(", a_ind(" … */
            const char *name = p + strlen(*c);
            const char *end = strchr(name, '"');
            assert_non_null(end);
            char buf[256];
            snprintf(buf, sizeof buf, "%.*s", (int)(end - name), name);
            (*seen)++;
            if (!tz_indicator_find(buf) || !tz_template_uses(t, buf)) {
                fprintf(stderr, "%s: %s%s\": %s\n", t->path, *c, buf,
                        tz_indicator_find(buf) ? "not declared" : "unknown");
                bad++;
            }
        }
    }
    free(src);
    return bad;
}

/* Reads every template of a directory: all are listed, none warned about,
 * and every name resolves. Returns how many there are. */
static size_t _check_dir(const char *rel)
{
    char dir[4096];
    _src_path(rel, dir, sizeof dir);
    tz_template **list = NULL;
    size_t n = 0;
    tz_diags d = TZ_DIAGS_INIT;
    assert_int_equal(tz_templates_list(dir, &list, &n, &d), 0);
    if (d.n)
        tz_diags_print(&d, stderr);
    assert_int_equal(d.n, 0);
    size_t calls = 0;
    for (size_t i = 0; i < n; i++) {
        size_t seen = 0;
        assert_true(list[i]->nindicators > 0);
        assert_int_equal(_unresolved(list[i]), 0);
        assert_int_equal(_undeclared_calls(list[i], &seen), 0);
        calls += seen;
    }
    assert_true(calls >= n); /* the scan found the calls */
    tz_templates_free(list, n);
    return n;
}

static void test_seed_templates(void **state)
{
    (void)state;
    assert_int_equal(_check_dir("templates"), 2);
    assert_int_equal(_check_dir("tests/data/templates"), 1);
}

static void _write(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

/* A misspelt name anywhere in a declaration refuses the template. */
static void test_misspelt_names_fail(void **state)
{
    (void)state;
    static const char *const bodies[] = {
        "report { kind = 'x', title = 'x', indicators = { '贫困村树' } }\n",
        "report { kind = 'x', title = 'x', indicators = {},\n"
        "  facts = { { label = '贫困村', indicator = '贫困村树' } } }\n",
        "report { kind = 'x', title = 'x', indicators = {}, facts = { { label = '{years}年',\n"
        "  indicator = '贫困村数', years_where = '应拨未拨奖补' } } }\n",
    };
    static const char *const names[] = {"贫困村树", "贫困村树", "应拨未拨奖补"};
    char dir[] = "/tmp/tz-tplnames-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/x.lua", dir);
    for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++) {
        _write(path, bodies[i]);
        tz_template *t = NULL;
        tz_diags d = TZ_DIAGS_INIT;
        assert_int_equal(tz_template_read(path, &t, NULL, 0, &d), -1);
        assert_null(t);
        assert_int_equal(d.nerrors, 1);
        assert_non_null(strstr(d.items[0].reason, names[i]));
        assert_non_null(strstr(d.items[0].reason, "不存在"));
        tz_diags_clear(&d);
    }
    /* a name used in a call but not declared is found by the scan */
    _write(path, "local R = report { kind = 'x', title = 'x', indicators = { '贫困村数' } }\n"
                 "local a = ind(\"贫困村数\")\nlocal b = ind_by(\"行政村数\", {}, 'year')\n");
    tz_template *t = NULL;
    tz_diags d = TZ_DIAGS_INIT;
    assert_int_equal(tz_template_read(path, &t, NULL, 0, &d), 1);
    size_t seen = 0;
    assert_int_equal(_undeclared_calls(t, &seen), 1);
    assert_int_equal(seen, 2);
    tz_template_free(t);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_templates),
        cmocka_unit_test(test_misspelt_names_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
