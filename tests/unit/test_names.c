/* test_names.c - every name that one table gives another resolves: the
 * indicator names in the metrics tables (indicators' own components, summary
 * forms, targets, key figures, rule ledgers, dimensions). A misspelt name in
 * any of them fails here instead of being skipped at run time.
 *
 * One test function per family of tables. The report templates, which
 * now hold the facts table too (report{indicators=, facts=}), are checked
 * by test_template_names.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ledger/ledger.h"
#include "metrics/metrics_impl.h"
#include <stdio.h>
#include <string.h>

/* Fails, naming the table and the name, unless ok. */
static void _check(int ok, const char *table, const char *name)
{
    if (!ok) {
        fprintf(stderr, "%s: “%s” does not resolve\n", table, name ? name : "(null)");
        fail();
    }
}

/* 1 when the ledger has a column whose SQL name is col (after an alias "x."). */
static int _ledger_has(const char *ledger, const char *col)
{
    const tz_ledger *l = tz_ledger_find(ledger);
    const char *dot = col ? strchr(col, '.') : NULL;
    return l && col && tz_ledger_col(l, dot ? dot + 1 : col) >= 0;
}

/* 1 when the word is among the NULL-terminated words. */
static int _among(const char *const *words, const char *w)
{
    for (size_t i = 0; words && words[i]; i++)
        if (!strcmp(words[i], w))
            return 1;
    return 0;
}

/* The indicator table and what it names itself: unique names, ledgers,
 * components of composites, summary forms, year sources, dimensions. */
static void _indicators(void)
{
    size_t n;
    const tzm_ind_def *defs = tzm_ind_defs(&n);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        const tzm_ind_def *d = &defs[i];
        _check(tzm_ind_def_find(d->pub.name) == d, "indicators (unique)", d->pub.name);
        _check(tz_ledger_find(d->pub.ledger) != NULL, "indicators.ledger", d->pub.ledger);
        if (d->kind != TZM_IND_SQL && d->kind != TZM_IND_UNAVAILABLE)
            _check(tzm_ind_def_find(d->a) != NULL, "indicators.a", d->a);
        if (d->b)
            _check(tzm_ind_def_find(d->b) != NULL, "indicators.b", d->b);
        /* a summary form replaces the SQL of a plain indicator only */
        if (d->agg.from)
            _check(d->kind == TZM_IND_SQL && d->agg.value && d->agg.date_col, "indicators.agg",
                   d->pub.name);
        if (d->year_source)
            _check(_ledger_has(d->pub.ledger, d->date_col), "indicators.year_source", d->date_col);
        for (size_t k = 0; d->dims && d->dims[k].name; k++)
            _check(tzm_dim_find(d->dims, d->dims[k].name) == &d->dims[k], "indicators.dims",
                   d->dims[k].name);
    }
}

/* Targets: the targets ledger's 指标 words and the indicators marked as
 * targets are the same set; the default rules name targets-ledger words. */
static void _targets(void)
{
    const char *const *words = tzm_target_names();
    size_t nw = 0;
    for (; words[nw]; nw++)
        _check(tzm_target_find(words[nw]) != NULL, "targets ledger 指标", words[nw]);
    assert_true(nw > 0);
    size_t n, marked = 0;
    const tzm_ind_def *defs = tzm_ind_defs(&n);
    for (size_t i = 0; i < n; i++) {
        if (defs[i].target == TZM_TARGET_NONE) {
            _check(!defs[i].target_additive, "indicators.target_additive", defs[i].pub.name);
            continue;
        }
        char word[160];
        snprintf(word, sizeof word, "%s%s", defs[i].target == TZM_TARGET_ASPIRATION ? "力争" : "",
                 defs[i].pub.name);
        _check(_among(words, word), "indicators.target (not in the targets ledger)", word);
        marked++;
    }
    assert_int_equal(marked, nw);
    size_t nd;
    const tzm_target_default *dflt = tzm_target_defaults(&nd);
    for (size_t i = 0; i < nd; i++)
        _check(_among(words, dflt[i].target) && tzm_target_find(dflt[i].target), "target defaults",
               dflt[i].target);
}

/* Key figures: each names an indicator, and a split its dimension key. */
static void _key_figures(void)
{
    size_t nt;
    const tzm_key_topic *t = tzm_key_topics(&nt);
    assert_true(nt > 0);
    for (size_t i = 0; i < nt; i++)
        for (const tzm_key_figure_def *f = t[i].figures; f->indicator; f++) {
            const tz_indicator *ind = tz_indicator_find(f->indicator);
            _check(ind != NULL, "key figures", f->indicator);
            const char *key = NULL;
            if (f->by)
                _check(tz_dim_parse(ind, f->by, &key) == 0 && !strcmp(key, f->by), "key figures.by",
                       f->by);
        }
}

/* Rules: each finding names a ledger. */
static void _rules(void)
{
    size_t n;
    const tz_rule_info *r = tz_rules_all(&n);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++)
        _check(tz_ledger_find(tzm_rule_ledger(r[i].id)) != NULL, "rules.ledger", r[i].id);
}

static void test_metrics_tables_resolve(void **state)
{
    (void)state;
    _indicators();
    _targets();
    _key_figures();
    _rules();
}

/* The resolvers refuse what is not there (so the test above can fail). */
static void test_resolvers_refuse_misspellings(void **state)
{
    (void)state;
    assert_null(tzm_ind_def_find("户户通安装户"));
    assert_null(tzm_target_find("户户通安装户"));
    /* an aspiration name only for an indicator marked so */
    assert_null(tzm_target_find("力争户户通安装户数"));
    assert_non_null(tzm_target_find("力争引进10亿元以上主导产业项目数"));
    assert_null(tzm_target_find("引进10亿元以上主导产业项目数"));
    assert_null(tzm_rule_ledger("no_such_rule"));
    const char *key;
    assert_int_equal(tz_dim_parse(tz_indicator_find("落地项目数"), "countyy", &key), -1);
    assert_int_equal(_ledger_has("projects", "p.signed_datee"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_metrics_tables_resolve),
        cmocka_unit_test(test_resolvers_refuse_misspellings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
