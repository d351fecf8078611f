/* keyfigs.c - the key figures (主要指标) that `check` shows for a scope.
 *
 * A data table: which indicators, in which mode, split by what. Adding a
 * figure to the check is one line here. The scope is resolved once for all
 * figures (metrics_impl.h); the splits use the public indicator API.
 */
#include "metrics/metrics_impl.h"
#include "store/store.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Document A's figures (to date: 累计), then document B's (in the period),
 * topic by topic; each list ends with an empty row. */
static const tzm_key_figure_def _centres[] = {
    {.indicator = "贫困村数", .mode = TZ_MODE_ALL},
    {.indicator = "贫困村文化服务中心数", .mode = TZ_MODE_TODATE},
    {.indicator = "贫困村文化广场1000平方米以上中心数", .mode = TZ_MODE_TODATE},
    {.indicator = "贫困村文化广场500至1000平方米中心数", .mode = TZ_MODE_TODATE},
    {.indicator = "非贫困村文化服务中心数", .mode = TZ_MODE_TODATE, .by = "year"},
    {.indicator = "未建或未达标行政村数", .mode = TZ_MODE_TODATE},
    {.indicator = "村级文化服务中心覆盖率(%)", .mode = TZ_MODE_TODATE},
    {.indicator = "文化服务中心奖补标准(万元)", .mode = TZ_MODE_TODATE},
    {.indicator = "已拨付奖补(万元)", .mode = TZ_MODE_TODATE},
    {.indicator = "应拨未拨奖补(万元)", .mode = TZ_MODE_TODATE},
    {0}};
static const tzm_key_figure_def _tv[] = {
    {.indicator = "户户通安装户数", .mode = TZ_MODE_TODATE, .by = "year"}, {0}};
static const tzm_key_figure_def _aid[] = {
    {.indicator = "帮扶村数", .mode = TZ_MODE_TODATE},
    {.indicator = "帮扶贫困村数", .mode = TZ_MODE_TODATE},
    {.indicator = "帮扶非贫困村数", .mode = TZ_MODE_TODATE},
    {.indicator = "帮扶乡镇数", .mode = TZ_MODE_TODATE},
    {.indicator = "驻村干部人数", .mode = TZ_MODE_TODATE},
    {.indicator = "帮扶设备器材投入(万元)", .mode = TZ_MODE_TODATE},
    {.indicator = "帮扶基础设施投入(万元)", .mode = TZ_MODE_TODATE},
    {.indicator = "帮扶到户投入(万元)", .mode = TZ_MODE_TODATE},
    {0}};
static const tzm_key_figure_def _events[] = {
    {.indicator = "送戏下乡场次", .mode = TZ_MODE_TODATE},
    {.indicator = "送电影下乡场次", .mode = TZ_MODE_TODATE},
    {.indicator = "文艺宣传演出场次", .mode = TZ_MODE_TODATE},
    {.indicator = "文化活动受益人次", .mode = TZ_MODE_TODATE},
    {0}};
static const tzm_key_figure_def _households[] = {
    {.indicator = "建档立卡贫困户数", .mode = TZ_MODE_TODATE},
    {.indicator = "脱贫户数", .mode = TZ_MODE_TODATE},
    {.indicator = "未脱贫户数", .mode = TZ_MODE_TODATE},
    {.indicator = "贫困发生率(%)", .mode = TZ_MODE_TODATE},
    {0}};
static const tzm_key_figure_def _investment[] = {
    {.indicator = "签约项目数", .mode = TZ_MODE_PERIOD},
    {.indicator = "落地项目数", .mode = TZ_MODE_PERIOD, .by = "county"},
    {.indicator = "在谈项目数", .mode = TZ_MODE_ALL},
    {.indicator = "引进3亿元以上项目数", .mode = TZ_MODE_PERIOD},
    {.indicator = "合同外资(万美元)", .mode = TZ_MODE_PERIOD},
    {.indicator = "增资合同外资(万美元)", .mode = TZ_MODE_PERIOD},
    {.indicator = "新建外资项目数", .mode = TZ_MODE_PERIOD},
    {.indicator = "实际利用外资(万美元)", .mode = TZ_MODE_PERIOD, .by = "county"},
    {.indicator = "实际利用省外资金(万元)", .mode = TZ_MODE_PERIOD},
    {0}};

static const tzm_key_topic _topics[] = {
    {.topic = "村级综合性文化服务中心", .figures = _centres},
    {.topic = "电视信号户户通", .figures = _tv},
    {.topic = "驻村帮扶", .figures = _aid},
    {.topic = "文艺宣传及送戏下乡", .figures = _events},
    {.topic = "建档立卡贫困户", .figures = _households},
    {.topic = "开放招商", .figures = _investment},
};

const tzm_key_topic *tzm_key_topics(size_t *n)
{
    *n = sizeof _topics / sizeof _topics[0];
    return _topics;
}

void tz_key_figures_free(tz_key_figure *f, size_t n)
{
    for (size_t i = 0; f && i < n; i++)
        free(f[i].groups);
    free(f);
}

/* Evaluates one figure on the resolved scope. Returns 1 with *v set when it
 * belongs in the check: a number, and not zero unless the scope holds rows of
 * its kind outside the window (a zero then says "none in this period"). A
 * snapshot (TZ_MODE_ALL) has no outside, so its zero is left out. The second
 * evaluation runs only for a zero, which is rare in a scope with data. */
static int _figure_value(tz_store *s, const tzm_ind_def *def, const tzm_scope_rt *rt,
                         const tz_period *p, tz_mode mode, double *v, tz_diags *quiet)
{
    double all = 0;
    if (tzm_eval_rt(s, def, rt, p, mode, v, quiet) || isnan(*v))
        return 0;
    if (*v != 0)
        return 1;
    return mode != TZ_MODE_ALL && tzm_eval_rt(s, def, rt, p, TZ_MODE_ALL, &all, quiet) == 0 &&
           all != 0;
}

/* The figures of all topics. */
static size_t _count(void)
{
    size_t n = 0;
    for (size_t t = 0; t < sizeof _topics / sizeof _topics[0]; t++)
        for (const tzm_key_figure_def *f = _topics[t].figures; f->indicator; f++)
            n++;
    return n;
}

int tz_key_figures(tz_store *s, const tz_scope *sc, const tz_period *p, tz_key_figure **out,
                   size_t *n, tz_diags *d)
{
    tz_key_figure *res = calloc(_count(), sizeof *res);
    *out = NULL;
    *n = 0;
    if (!res) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "内存不足");
        return -1;
    }
    /* a split by county says nothing inside one county */
    tz_level lv = TZ_LEVEL_NONE;
    char name[128];
    if (sc->region && tz_region_get(s, sc->region, name, sizeof name, &lv) < 0) {
        tz_diags_error(d, NULL, 0, "区划", sc->region,
                       "读取区划层级时数据库查询失败(%s),请确认数据库文件完好后重试",
                       tz_store_errmsg(s));
        free(res);
        return -1;
    }
    size_t k = 0;
    tz_diags quiet = TZ_DIAGS_INIT; /* a figure this data cannot give is left out */
    tzm_scope_rt rt;
    /* a scope that cannot be resolved gives no figure at all */
    size_t ntopics = tzm_scope_resolve(s, sc, &rt, &quiet) ? 0 : sizeof _topics / sizeof _topics[0];
    for (size_t t = 0; t < ntopics; t++)
        for (const tzm_key_figure_def *f = _topics[t].figures; f->indicator; f++) {
            const tzm_ind_def *def = tzm_ind_def_find(f->indicator);
            double v = 0;
            if (!def || !_figure_value(s, def, &rt, p, f->mode, &v, &quiet))
                continue;
            tz_key_figure *r = &res[k++];
            if (f->by && !(strcmp(f->by, "county") == 0 && lv >= TZ_LEVEL_COUNTY) &&
                tz_indicator_eval_by(s, f->indicator, sc, p, f->mode, f->by, &r->groups,
                                     &r->ngroups, &quiet) == 0)
                r->by = f->by;
            r->topic = _topics[t].topic;
            r->indicator = def->pub.name;
            r->unit = def->pub.unit;
            r->mode = f->mode;
            r->value = v;
        }
    tz_diags_clear(&quiet);
    *out = res;
    *n = k;
    return 0;
}
