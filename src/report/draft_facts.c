/* draft_facts.c - evaluating the facts the templates declare (their
 * report{facts = ...}, report/template.h) for a region: the figures a
 * report's text is proofread against. The wording is the templates'. */
#include "report/draft.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FACT_LABEL_MAX 160 /* room for a label built at run time */

/* Evaluates an indicator from 1 January to the end of p: the months of the
 * year up to p's last month, summed. Returns 0 or -1. */
static int _eval_ytd(tz_store *s, const char *name, const tz_scope *sc, const tz_period *p,
                     double *v)
{
    char label[8];
    tz_period year;
    const char *why = NULL;
    snprintf(label, sizeof label, "%d", p->year);
    if (tz_period_parse(label, &year, &why))
        return -1;
    tz_group_value *g = NULL;
    size_t n = 0;
    tz_diags tmp = TZ_DIAGS_INIT;
    int rc = tz_indicator_eval_by(s, name, sc, &year, TZ_MODE_PERIOD, "month", &g, &n, &tmp);
    tz_diags_clear(&tmp);
    if (rc)
        return -1;
    *v = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(g[i].key, p->end, 7) <= 0 && isfinite(g[i].value))
            *v += g[i].value;
    free(g);
    return 0;
}

/* Writes label into lab (FACT_LABEL_MAX bytes) with "{years}" replaced by
 * years ("2018、2019"). Returns 0, or -1 when it does not fit. */
static int _label_with_years(const char *label, const char *years, char *lab)
{
    const char *at = strstr(label, "{years}");
    int w = snprintf(lab, FACT_LABEL_MAX, "%.*s%s%s", (int)(at - label), label, years,
                     at + strlen("{years}"));
    return w < 0 || w >= FACT_LABEL_MAX ? -1 : 0;
}

/* A years_where fact: the indicator summed over the years in which
 * spec->years_where is above zero (to date), the full years ("2018、2019",
 * as GB/T 15835 writes them; the proofreader flags "18、19年") put into the label. Label into lab, value into *v. Returns 1 when there is such a
 * fact, 0 when not (or on any failure: a fact left out only checks less). */
static int _years_fact(tz_store *s, const tz_template_fact *spec, const tz_scope *sc,
                       const tz_period *p, char *lab, double *v)
{
    tz_group_value *g = NULL;
    size_t n = 0, len = 0;
    int found = 0;
    char years[FACT_LABEL_MAX];
    tz_diags tmp = TZ_DIAGS_INIT;
    if (tz_indicator_eval_by(s, spec->years_where, sc, p, p ? TZ_MODE_TODATE : TZ_MODE_ALL, "year",
                             &g, &n, &tmp))
        goto done;
    *v = 0;
    years[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(g[i].value) || g[i].value <= 0 || strlen(g[i].key) != 4)
            continue;
        tz_period year;
        const char *why = NULL;
        double x = NAN;
        if (tz_period_parse(g[i].key, &year, &why) ||
            tz_indicator_eval(s, spec->indicator, sc, &year, TZ_MODE_PERIOD, &x, &tmp) ||
            !isfinite(x))
            goto done;
        int w = snprintf(years + len, sizeof years - len, "%s%s", len ? "、" : "", g[i].key);
        if (w < 0 || (size_t)w >= sizeof years - len)
            goto done;
        len += (size_t)w;
        *v += x;
        found = 1;
    }
    found = found && *v > 0 && _label_with_years(spec->label, years, lab) == 0;
    tz_diags_clear(&tmp);
    free(g);
    return found;
done:
    /* a failure after some years were listed leaves a partial label: drop it */
    tz_diags_clear(&tmp);
    free(g);
    return 0;
}

/* The value of a plain fact. Returns 0, or -1 when it cannot be evaluated. */
static int _fact_value(tz_store *s, const tz_template_fact *spec, const tz_scope *sc,
                       const tz_period *p, double *v)
{
    if (p && spec->window == TZ_FACT_YTD)
        return _eval_ytd(s, spec->indicator, sc, p, v);
    tz_diags tmp = TZ_DIAGS_INIT;
    int rc =
        tz_indicator_eval(s, spec->indicator, sc, p, p ? TZ_MODE_TODATE : TZ_MODE_ALL, v, &tmp);
    tz_diags_clear(&tmp);
    return rc;
}

int tz_draft_facts(tz_store *s, const char *region, const char *period,
                   const tz_template_fact *specs, size_t nspecs, tz_proofread_fact **out, size_t *n,
                   tz_diags *d)
{
    *out = NULL;
    *n = 0;
    tz_period p;
    const char *why = NULL;
    if (period && tz_period_parse(period, &p, &why)) {
        tz_diags_error(d, NULL, 0, "--period", period, "期间有误:%s", why);
        return -1;
    }
    /* one block: the facts, then a label per fact for those built at run
     * time, so that the caller's free(*out) frees both */
    tz_proofread_fact *f = calloc(1, (nspecs + 1) * (sizeof *f + FACT_LABEL_MAX));
    if (!f) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "内存不足");
        return -1;
    }
    char *labels = (char *)(f + nspecs + 1);
    size_t k = 0;
    tz_scope sc = {region, NULL};
    for (size_t i = 0; i < nspecs; i++) {
        const tz_indicator *ind = tz_indicator_find(specs[i].indicator);
        double v = NAN;
        char *lab = labels + k * FACT_LABEL_MAX;
        if (!ind)
            continue; /* template.c refuses such a declaration */
        if (specs[i].years_where) {
            if (!_years_fact(s, &specs[i], &sc, period ? &p : NULL, lab, &v))
                continue;
            f[k].label = lab;
        } else {
            if (_fact_value(s, &specs[i], &sc, period ? &p : NULL, &v) || !isfinite(v) || v == 0)
                continue;
            f[k].label = specs[i].label;
        }
        f[k].unit = ind->unit;
        f[k].value = v;
        k++;
    }
    *out = f;
    *n = k;
    return 0;
}
