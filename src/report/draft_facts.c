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
 * 故障"). Figures stated per year ("2018年安装4809户") have no fact: a label
 * would not say which year. A label may start with a partial marker
 * ("其中…"): proofread.h only looks for markers before the label. */
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
    {"行政村未建设或不达标", "未建或未达标行政村数", _TODATE},
    {"未建设或不达标的行政村", "未建或未达标行政村数", _TODATE},
    {"奖补资金未拨付", "应拨未拨奖补(万元)", _TODATE},
    {"驻村干部", "驻村干部人数", _TODATE},
    {"后备干部", "驻村干部人数", _TODATE},
    {"其中广场面积达到1000平方米以上的", "贫困村文化广场1000平方米以上中心数", _TODATE},
    {"广场面积1000平方米以上的", "贫困村文化广场1000平方米以上中心数", _TODATE},
    {"500平方米以上1000平方米以下的", "贫困村文化广场500至1000平方米中心数", _TODATE},
    {"建档立卡贫困户的户户通设备", "户户通故障户数", _TODATE},
    {"签约项目", "签约项目数", _YTD},
    {"落地项目", "落地项目数", _YTD},
};

#define _LABEL_MAX 96 /* room for the one label built at run time */

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

/* The centres built in the years whose subsidy is still owed, as report A
 * states them: label "18、19年建成的" into lab (size _LABEL_MAX), the count
 * into *v. Returns 1 when there is such a fact, 0 when not (or on any
 * failure: a fact left out only checks less). */
static int _owed_years_fact(tz_store *s, const tz_scope *sc, const tz_period *p, char *lab,
                            double *v)
{
    tz_group_value *g = NULL;
    size_t n = 0;
    int found = 0, failed = 1;
    tz_diags tmp = TZ_DIAGS_INIT;
    if (tz_indicator_eval_by(s, "应拨未拨奖补(万元)", sc, p, p ? TZ_MODE_TODATE : TZ_MODE_ALL,
                             "year", &g, &n, &tmp))
        goto done;
    size_t len = 0;
    *v = 0;
    lab[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(g[i].value) || g[i].value <= 0 || strlen(g[i].key) != 4)
            continue;
        tz_period year;
        const char *why = NULL;
        double built = NAN;
        if (tz_period_parse(g[i].key, &year, &why) ||
            tz_indicator_eval(s, "村级文化服务中心数", sc, &year, TZ_MODE_PERIOD, &built, &tmp) ||
            !isfinite(built))
            goto done;
        int w = snprintf(lab + len, _LABEL_MAX - len, "%s%s", len ? "、" : "", g[i].key + 2);
        if (w < 0 || (size_t)w >= _LABEL_MAX - len)
            goto done;
        len += (size_t)w;
        *v += built;
        found = 1;
    }
    if (found) {
        int w = snprintf(lab + len, _LABEL_MAX - len, "年建成的");
        found = w > 0 && (size_t)w < _LABEL_MAX - len && *v > 0;
    }
    failed = 0;
done:
    /* a failure after some years were listed leaves a partial label: drop it */
    tz_diags_clear(&tmp);
    free(g);
    return found && !failed;
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
    /* one block: the facts, then the label built at run time, so that the
     * caller's free(*out) frees both */
    tz_proofread_fact *f = calloc(1, (nspec + 1) * sizeof *f + _LABEL_MAX);
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
    char *lab = (char *)(f + nspec + 1);
    double built = 0;
    if (_owed_years_fact(s, &sc, period ? &p : NULL, lab, &built)) {
        f[k].label = lab;
        f[k].unit = "个";
        f[k].value = built;
        k++;
    }
    *out = f;
    *n = k;
    return 0;
}
