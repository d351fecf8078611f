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

typedef struct key_figure {
    const char *topic;     /* heading the figure belongs to */
    const char *indicator; /* indicator name (indicators.c) */
    tz_mode mode;          /* period, to date or snapshot */
    const char *by;        /* split dimension, or NULL */
} key_figure;

/* Document A's figures (to date: 累计), then document B's (in the period). */
static const key_figure _figures[] = {
    {"村级综合性文化服务中心", "贫困村数", TZ_MODE_ALL, NULL},
    {"村级综合性文化服务中心", "贫困村文化服务中心数", TZ_MODE_TODATE, NULL},
    {"村级综合性文化服务中心", "贫困村文化广场1000平方米以上中心数", TZ_MODE_TODATE, NULL},
    {"村级综合性文化服务中心", "贫困村文化广场500至1000平方米中心数", TZ_MODE_TODATE, NULL},
    {"村级综合性文化服务中心", "非贫困村文化服务中心数", TZ_MODE_TODATE, "year"},
    {"村级综合性文化服务中心", "未建或未达标行政村数", TZ_MODE_TODATE, NULL},
    {"村级综合性文化服务中心", "村级文化服务中心覆盖率(%)", TZ_MODE_TODATE, NULL},
    {"村级综合性文化服务中心", "文化服务中心奖补标准(万元)", TZ_MODE_TODATE, NULL},
    {"村级综合性文化服务中心", "已拨付奖补(万元)", TZ_MODE_TODATE, NULL},
    {"村级综合性文化服务中心", "应拨未拨奖补(万元)", TZ_MODE_TODATE, NULL},
    {"电视信号户户通", "户户通安装户数", TZ_MODE_TODATE, "year"},
    {"驻村帮扶", "帮扶村数", TZ_MODE_TODATE, NULL},
    {"驻村帮扶", "帮扶贫困村数", TZ_MODE_TODATE, NULL},
    {"驻村帮扶", "帮扶非贫困村数", TZ_MODE_TODATE, NULL},
    {"驻村帮扶", "帮扶乡镇数", TZ_MODE_TODATE, NULL},
    {"驻村帮扶", "驻村干部人数", TZ_MODE_TODATE, NULL},
    {"驻村帮扶", "帮扶设备器材投入(万元)", TZ_MODE_TODATE, NULL},
    {"驻村帮扶", "帮扶基础设施投入(万元)", TZ_MODE_TODATE, NULL},
    {"驻村帮扶", "帮扶到户投入(万元)", TZ_MODE_TODATE, NULL},
    {"文艺宣传及送戏下乡", "送戏下乡场次", TZ_MODE_TODATE, NULL},
    {"文艺宣传及送戏下乡", "送电影下乡场次", TZ_MODE_TODATE, NULL},
    {"文艺宣传及送戏下乡", "文艺宣传演出场次", TZ_MODE_TODATE, NULL},
    {"文艺宣传及送戏下乡", "文化活动受益人次", TZ_MODE_TODATE, NULL},
    {"建档立卡贫困户", "建档立卡贫困户数", TZ_MODE_TODATE, NULL},
    {"建档立卡贫困户", "脱贫户数", TZ_MODE_TODATE, NULL},
    {"建档立卡贫困户", "未脱贫户数", TZ_MODE_TODATE, NULL},
    {"建档立卡贫困户", "贫困发生率(%)", TZ_MODE_TODATE, NULL},
    {"开放招商", "签约项目数", TZ_MODE_PERIOD, NULL},
    {"开放招商", "落地项目数", TZ_MODE_PERIOD, "county"},
    {"开放招商", "在谈项目数", TZ_MODE_ALL, NULL},
    {"开放招商", "引进3亿元以上项目数", TZ_MODE_PERIOD, NULL},
    {"开放招商", "合同外资(万美元)", TZ_MODE_PERIOD, NULL},
    {"开放招商", "增资合同外资(万美元)", TZ_MODE_PERIOD, NULL},
    {"开放招商", "新建外资项目数", TZ_MODE_PERIOD, NULL},
    {"开放招商", "实际利用外资(万美元)", TZ_MODE_PERIOD, "county"},
    {"开放招商", "实际利用省外资金(万元)", TZ_MODE_PERIOD, NULL},
};

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
static int _figure_value(tz_store *s, const tz_ind_def *def, const tz_scope_rt *rt,
                         const tz_period *p, tz_mode mode, double *v, tz_diags *quiet)
{
    double all = 0;
    if (tz_eval_rt(s, def, rt, p, mode, v, quiet) || isnan(*v))
        return 0;
    if (*v != 0)
        return 1;
    return mode != TZ_MODE_ALL && tz_eval_rt(s, def, rt, p, TZ_MODE_ALL, &all, quiet) == 0 &&
           all != 0;
}

int tz_key_figures(tz_store *s, const tz_scope *sc, const tz_period *p, tz_key_figure **out,
                   size_t *n, tz_diags *d)
{
    size_t nf = sizeof _figures / sizeof _figures[0];
    tz_key_figure *res = calloc(nf, sizeof *res);
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
    tz_scope_rt rt;
    /* a scope that cannot be resolved gives no figure at all */
    if (tz_scope_resolve(s, sc, &rt, &quiet))
        nf = 0;
    for (size_t i = 0; i < nf; i++) {
        const key_figure *f = &_figures[i];
        const tz_ind_def *def = tz_ind_def_find(f->indicator);
        double v = 0;
        if (!def || !_figure_value(s, def, &rt, p, f->mode, &v, &quiet))
            continue;
        tz_key_figure *r = &res[k++];
        if (f->by && !(strcmp(f->by, "county") == 0 && lv >= TZ_LEVEL_COUNTY) &&
            tz_indicator_eval_by(s, f->indicator, sc, p, f->mode, f->by, &r->groups, &r->ngroups,
                                 &quiet) == 0)
            r->by = f->by;
        r->topic = f->topic;
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
