/* draft_facts.c - the facts a report's figures are proofread against: one
 * table of {wording, indicator, unit, mode}, evaluated for a region. */
#include "report/draft.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One fact: the words a report puts next to the figure, and the indicator
 * that knows its value. Labels are specific enough to name one quantity
 * (proofread.h): "行政村" is not, since a report also counts the aided
 * villages ("7个行政村"), nor is "建档立卡贫困户" ("283户建档立卡贫困户的设备
 * 故障"). */
typedef enum _window {
    _TODATE = 0, /* every row up to the end of the period (累计) */
    _YTD = 1     /* from 1 January to the end of the period: how reports state flows */
} _window;

typedef struct _fact_spec {
    const char *label;     /* wording next to the figure */
    const char *indicator; /* metrics indicator */
    _window window;        /* window when a period is given */
} _fact_spec;

static const _fact_spec _facts[] = {
    {"贫困村", "贫困村数", _TODATE},
    {"送戏下乡", "送戏下乡场次", _TODATE},
    {"送电影下乡", "送电影下乡场次", _TODATE},
    {"受益群众", "文化活动受益人次", _TODATE},
    {"合同利用外资", "合同外资(万美元)", _YTD},
    {"实际利用外资", "实际利用外资(万美元)", _YTD},
    {"实际利用省外资金", "实际利用省外资金(万元)", _YTD},
};

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

int tz_draft_facts(tz_store *s, const char *region, const char *period, tz_proofread_fact **out,
                   size_t *n, tz_diags *d)
{
    *out = NULL;
    *n = 0;
    tz_period p;
    const char *why = NULL;
    if (period && tz_period_parse(period, &p, &why)) {
        tz_diags_error(d, NULL, 0, "--period", period, "期间有误:%s", why);
        return -1;
    }
    size_t nspec = sizeof _facts / sizeof _facts[0];
    tz_proofread_fact *f = calloc(nspec, sizeof *f);
    if (!f) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "内存不足");
        return -1;
    }
    size_t k = 0;
    tz_scope sc = {region, NULL};
    for (size_t i = 0; i < nspec; i++) {
        const tz_indicator *ind = tz_indicator_find(_facts[i].indicator);
        if (!ind)
            continue;
        double v = NAN;
        int rc;
        if (period && _facts[i].window == _YTD) {
            rc = _eval_ytd(s, ind->name, &sc, &p, &v);
        } else {
            tz_diags tmp = TZ_DIAGS_INIT;
            rc = tz_indicator_eval(s, ind->name, &sc, period ? &p : NULL,
                                   period ? TZ_MODE_TODATE : TZ_MODE_ALL, &v, &tmp);
            tz_diags_clear(&tmp);
        }
        if (rc || !isfinite(v) || v == 0)
            continue;
        f[k].label = _facts[i].label;
        f[k].unit = ind->unit;
        f[k].value = v;
        k++;
    }
    *out = f;
    *n = k;
    return 0;
}
