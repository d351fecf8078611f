/* targets.c - 目标任务: the rows of the targets ledger and the seed's default
 * rules (domain.md §3 items 5-9), evaluated year to date for each unit in a
 * scope, plus the city-wide targets (rules 5 and 6, and the sum of the
 * counties' amount targets); the judgement of each against the time
 * schedule (时序进度: 超序时进度, 达到序时进度, 滞后于序时进度 in-year; 已完成,
 * 未完成, 力争) and where its value comes from (origin). The table of
 * defaults below is data; the loop that applies it never names a target. */
#include "metrics/metrics_impl.h"
#include "util/num.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* How a 指标 of the targets ledger is measured: the names are the targets
 * ledger's list (ledger/defs.c, in its order), the facts (stock, 力争,
 * additive) are the indicator's (indicators.c: .target, .target_additive,
 * .stock); tzm_target_find joins the two. */
typedef struct _target_def {
    const char *name;       /* 指标 as written in the targets ledger */
    const tzm_ind_def *ind; /* indicator that measures it */
} _target_def;

#define TARGETS_MAX 64

/* The seed's structured rules: default targets by unit kind ("市" = the city
 * as a whole). A unit's own row in the targets ledger replaces its default. */
static const tzm_target_default _defaults[] = {
    /* rule 6: the city brings in >= 50 projects of >= 3亿元; the units' rows
     * that count towards it (compared with it in the origin): a 县区's
     * 3亿元以上工业项目 is a 3亿元以上项目 too (its 5亿元 and 主导产业 ones are
     * among those, so they are not added again) */
    {.who = "市",
     .target = "引进3亿元以上项目数",
     .value = 50,
     .parts = {"引进3亿元以上项目数", "引进3亿元以上工业项目数"}},
    /* rule 5: actual capital grows >= 10% for the city and each county */
    {.who = "市", .target = "实际利用外资增长率(%)", .value = 10},
    {.who = "市", .target = "实际利用省外资金增长率(%)", .value = 10},
    {.who = "县区", .target = "实际利用外资增长率(%)", .value = 10},
    {.who = "县区", .target = "实际利用省外资金增长率(%)", .value = 10},
    /* rule 7: each county 5 industrial >= 3亿, 2 in its 主导产业, 2 >= 5亿, 力争 1 >= 10亿 */
    {.who = "县区", .target = "引进3亿元以上工业项目数", .value = 5},
    {.who = "县区", .target = "引进主导产业3亿元以上工业项目数", .value = 2},
    {.who = "县区", .target = "引进5亿元以上工业项目数", .value = 2},
    {.who = "县区", .target = "力争引进10亿元以上主导产业项目数", .value = 1},
    /* rule 8: each thematic group 1 project >= 3亿元 */
    {.who = "专题招商组", .target = "引进3亿元以上项目数", .value = 1},
    /* rule 9: each city department 1 project >= 1亿元 (the 4 named ones: rows in targets) */
    {.who = "市直单位", .target = "引进1亿元以上项目数", .value = 1},
};

/* Unit kinds that take part in investment promotion (a city has city-wide
 * targets only when it has such units). */
static const char *const _promo_kinds = "'县区', '专题招商组', '市直单位'";

const tzm_target_default *tzm_target_defaults(size_t *n)
{
    *n = N(_defaults);
    return _defaults;
}

const char *const *tzm_target_names(void)
{
    const tz_ledger *l = tz_ledger_find("targets");
    int col = l ? tz_ledger_col(l, "indicator") : -1;
    static const char *const none[] = {NULL};
    return col >= 0 && l->cols[col].choices ? l->cols[col].choices : none;
}

const tzm_ind_def *tzm_target_find(const char *name)
{
    static const char aspire[] = "力争";
    const tzm_ind_def *def = tzm_ind_def_find(name);
    if (def && def->target == TZM_TARGET)
        return def;
    if (name && !strncmp(name, aspire, strlen(aspire))) {
        def = tzm_ind_def_find(name + strlen(aspire));
        if (def && def->target == TZM_TARGET_ASPIRATION)
            return def;
    }
    return NULL;
}

/* ---- results ------------------------------------------------------------- */

typedef struct _results {
    tz_target_result *v; /* results */
    size_t n;            /* used */
    size_t cap;          /* allocated */
} _results;

static tz_target_result *_radd(_results *r)
{
    return tzm_push(&r->v, &r->n, &r->cap, sizeof *r->v, 32);
}

/* One stored targets row of the year, with its unit's kind and region
 * ("" when the unit is not in the units ledger). */
typedef struct _trow {
    char unit[128];     /* 责任单位 */
    char indicator[96]; /* 指标 */
    double value;       /* 目标值 */
    char kind[32];      /* the unit's 单位类型 */
    char region[13];    /* the unit's 所属区划代码 */
} _trow;

typedef struct _ctx {
    tz_store *s;                    /* database */
    const tz_period *p;             /* the period checked */
    tz_period ytd;                  /* 1 January to the period's end */
    int agg;                        /* 1: the summaries are current (tzm_scope_rt.agg) */
    _trow *rows;                    /* targets rows of the year */
    size_t nrows;                   /* their count */
    _target_def tdefs[TARGETS_MAX]; /* the targets ledger's 指标 that can be measured */
    size_t ntdefs;                  /* their count */
    _results out;                   /* results */
    tz_diags *d;                    /* diagnostics */
} _ctx;

/* 时序进度 of a period: the months of its year elapsed at its end / 12; sets
 * *year_end when it ends on 31 December. */
static double _schedule(const tz_period *p, int *year_end)
{
    int month = tz_num_digits(p->end + 5, 2), day = tz_num_digits(p->end + 8, 2);
    *year_end = month == 12 && day == 31;
    return month / 12.0;
}

/* A share in percent rounded to 0.1 point (64.516% → 64.5). */
static double _pct1(double share)
{
    return round(share * 1000.0) / 10.0;
}

/* Sets schedule, progress, behind, year_end and status of a measured target
 * (met: the actual reached the target). A target met is 已完成 whenever; an
 * aspiration (力争) not met stays 力争; otherwise at the year's end 未完成,
 * and in-year an additive target compares its progress with the time
 * schedule (both to 0.1 point) while a growth, ratio or stock target is on
 * schedule only when met. */
static void _judge(const tz_period *p, const tzm_ind_def *ind, int met, tz_target_result *e)
{
    int additive = tz_indicator_additive(ind->pub.name);
    e->schedule = _schedule(p, &e->year_end);
    e->progress = additive && e->target > 0 && !isnan(e->actual) ? e->actual / e->target : NAN;
    e->behind = 0;
    if (met && (additive || e->year_end)) {
        e->status = TZ_STATUS_MET;
    } else if (met) {
        e->status = TZ_STATUS_ON_SCHEDULE; /* a rate or a level so far: not final */
    } else if (ind->target == TZM_TARGET_ASPIRATION) {
        e->status = TZ_STATUS_ASPIRATION;
    } else if (e->year_end) {
        e->status = TZ_STATUS_NOT_MET;
    } else if (isnan(e->progress)) {
        e->status = TZ_STATUS_BEHIND;
        e->behind = NAN;
    } else {
        double have = _pct1(e->progress), due = _pct1(e->schedule);
        e->status = have > due    ? TZ_STATUS_AHEAD
                    : have == due ? TZ_STATUS_ON_SCHEDULE
                                  : TZ_STATUS_BEHIND;
        if (e->status == TZ_STATUS_BEHIND)
            e->behind = round((due - have) * 10.0) / 10.0;
    }
}

/* Measures one target for a resolved scope and fills actual, status, gap, basis. */
static int _measure(_ctx *c, const _target_def *td, const tzm_scope_rt *rt, tz_target_result *e)
{
    const tzm_ind_def *ind = td->ind;
    const tz_period *w = ind->stock ? c->p : &c->ytd;
    tz_mode mode = ind->stock ? TZ_MODE_TODATE : TZ_MODE_PERIOD;
    if (tzm_eval_rt(c->s, ind, rt, w, mode, &e->actual, c->d))
        return -1;
    if (ind->stock) {
        snprintf(e->basis, sizeof e->basis, "截至%s", c->p->end);
    } else {
        char when[64];
        snprintf(e->basis, sizeof e->basis, "%s%s", tzm_period_basis(w, when, sizeof when),
                 ind->kind == TZM_IND_GROWTH ? "比上年同期" : "");
    }
    int met;
    if (isnan(e->actual)) {
        /* growth over a zero base: met when there is anything at all this year */
        double cur = 0;
        const tzm_ind_def *base = ind->a ? tzm_ind_def_find(ind->a) : NULL;
        if (base && tzm_eval_rt(c->s, base, rt, w, mode, &cur, c->d))
            return -1;
        met = cur > 0;
        size_t len = strlen(e->basis);
        snprintf(e->basis + len, sizeof e->basis - len, "(上年同期为零,无法计算增长率)");
        e->gap = met ? 0 : e->target;
    } else {
        met = e->actual + 1e-9 >= e->target;
        e->gap = met ? 0 : e->target - e->actual;
    }
    _judge(c->p, ind, met, e);
    return 0;
}

static int _load_rows(_ctx *c)
{
    tz_stmt *st = NULL;
    int rc = -1, r;
    size_t cap = 0;
    if (tz_store_prepare(c->s,
                         "SELECT t.unit, t.indicator, t.value, u.kind, u.region FROM targets t "
                         "LEFT JOIN units u ON u.name = t.unit WHERE t.year = ? "
                         "ORDER BY t.unit, t.indicator",
                         &st) ||
        tz_stmt_bind_int(st, 1, c->p->year))
        goto fail;
    while ((r = tz_stmt_step(st)) == 1) {
        if (c->nrows == cap) {
            cap = cap ? cap * 2 : 64;
            _trow *nv = realloc(c->rows, cap * sizeof *nv);
            if (!nv)
                goto fail;
            c->rows = nv;
        }
        _trow *t = &c->rows[c->nrows++];
        snprintf(t->unit, sizeof t->unit, "%s", tz_stmt_text(st, 0) ? tz_stmt_text(st, 0) : "");
        snprintf(t->indicator, sizeof t->indicator, "%s",
                 tz_stmt_text(st, 1) ? tz_stmt_text(st, 1) : "");
        t->value = tz_stmt_double(st, 2);
        snprintf(t->kind, sizeof t->kind, "%s", tz_stmt_text(st, 3) ? tz_stmt_text(st, 3) : "");
        snprintf(t->region, sizeof t->region, "%s", tz_stmt_text(st, 4) ? tz_stmt_text(st, 4) : "");
        if (!tzm_target_find(t->indicator))
            tz_diags_warn(c->d, NULL, 0, "目标任务", t->indicator,
                          "%s的这个指标暂无计算方法,未参加考核", t->unit);
    }
    if (r < 0)
        goto fail;
    rc = 0;
    goto done;
fail:
    tz_diags_error(c->d, NULL, 0, "目标任务", NULL, "读取目标任务失败: %s", tz_store_errmsg(c->s));
done:
    tz_stmt_free(st);
    return rc;
}

static const _trow *_row(const _ctx *c, const char *unit, const char *target)
{
    for (size_t i = 0; i < c->nrows; i++)
        if (!strcmp(c->rows[i].unit, unit) && !strcmp(c->rows[i].indicator, target))
            return &c->rows[i];
    return NULL;
}

/* The sum of the year's rows named indicator of the units of kind `kind`
 * (NULL: any) whose region is in range: 1 with *sum set when there are
 * such rows, else 0. */
static int _rows_sum(const _ctx *c, const char *indicator, const char *kind, const tzm_range *range,
                     double *sum)
{
    int have = 0;
    for (size_t i = 0; i < c->nrows; i++) {
        const _trow *t = &c->rows[i];
        if (strcmp(t->indicator, indicator) != 0 || (kind && strcmp(t->kind, kind) != 0) ||
            strcmp(t->region, range->lo) < 0 || strcmp(t->region, range->hi) > 0)
            continue;
        *sum = have ? *sum + t->value : t->value;
        have = 1;
    }
    return have;
}

/* The default target of `who` (市, 县区, 专题招商组, 市直单位) named target,
 * or NULL when there is none. */
static const tzm_target_default *_default_of(const char *who, const char *target)
{
    for (size_t i = 0; i < N(_defaults); i++)
        if (!strcmp(_defaults[i].who, who) && !strcmp(_defaults[i].target, target))
            return &_defaults[i];
    return NULL;
}

/* The rule a default target comes from, in words: "默认规则:全市每年引进3亿元
 * 以上项目不少于50个", "默认规则:各县区实际利用外资增长率不低于10%". */
static void _default_words(const char *who, const _target_def *td, double value, char *buf,
                           size_t sz)
{
    static const char pct[] = "(%)", num[] = "数";
    char v[32];
    const char *name = td->name, *unit = td->ind->pub.unit;
    size_t len = strlen(name);
    int is_pct = len > strlen(pct) && !strcmp(name + len - strlen(pct), pct);
    if (is_pct)
        len -= strlen(pct);
    else if (len > strlen(num) && !strcmp(name + len - strlen(num), num))
        len -= strlen(num);
    tz_fmt_decimal(value, 2, v, sizeof v);
    snprintf(buf, sz, "默认规则:%s%s每年%.*s%s%s%s", strcmp(who, "市") ? "各" : "",
             strcmp(who, "市") ? who : "全市", (int)len, name, is_pct ? "不低于" : "不少于", v,
             unit);
}

/* The origin of the city-wide default dflt: the rule, and when the units'
 * rows of the targets ledger that count towards it (dflt->parts) add up to
 * another figure, that figure and why the rule is used (the ledger holds no
 * city-wide row: the units' rows are their own shares, which the city's
 * target does not have to equal). */
static void _city_origin(const _ctx *c, const _target_def *td, const tzm_target_default *dflt,
                         const tzm_range *range, tz_target_result *e)
{
    double sum = 0, part;
    int have = 0;
    _default_words("市", td, e->target, e->origin, sizeof e->origin);
    for (size_t k = 0; k < N(dflt->parts) && dflt->parts[k]; k++)
        if (_rows_sum(c, dflt->parts[k], NULL, range, &part)) {
            sum += part;
            have = 1;
        }
    if (have && fabs(sum - e->target) > 1e-9) {
        char a[32], b[32];
        size_t len = strlen(e->origin);
        snprintf(e->origin + len, sizeof e->origin - len,
                 ";目标任务台账中各单位目标合计%s%s,全市目标按默认规则%s%s计(台账未列全市目标)",
                 tz_fmt_decimal(sum, 2, a, sizeof a), td->ind->pub.unit,
                 tz_fmt_decimal(e->target, 2, b, sizeof b), td->ind->pub.unit);
    }
}

/* Adds the measured result of target td for one unit (kind NULL for a city)
 * whose region is `region`, in the resolved scope rt. Returns the result
 * (owned by c->out), or NULL when out of memory or with a diag. */
static tz_target_result *_result(_ctx *c, const _target_def *td, const tzm_scope_rt *rt,
                                 const char *unit, const char *kind, const char *region,
                                 double target, int is_default)
{
    tz_target_result *e = _radd(&c->out);
    if (!e)
        return NULL;
    snprintf(e->unit, sizeof e->unit, "%s", unit);
    if (kind)
        snprintf(e->unit_kind, sizeof e->unit_kind, "%s", kind);
    snprintf(e->region, sizeof e->region, "%s", region);
    snprintf(e->indicator, sizeof e->indicator, "%s", td->name);
    e->year = c->p->year;
    e->target = target;
    e->is_default = is_default;
    snprintf(e->origin, sizeof e->origin, "目标任务台账");
    return _measure(c, td, rt, e) ? NULL : e;
}

/* City-wide targets for one city: the default rules for "市" and, for amount
 * targets, the sum of the city's 县区 units' rows. */
static int _city(_ctx *c, const char *code, const char *name)
{
    tzm_scope_rt rt;
    memset(&rt, 0, sizeof rt);
    if (tzm_range_of(c->s, code, &rt.range))
        goto dberr;
    rt.has_region = 1;
    rt.agg = c->agg;
    snprintf(rt.region, sizeof rt.region, "%s", code);
    for (size_t k = 0; k < c->ntdefs; k++) {
        const _target_def *td = &c->tdefs[k];
        double target = 0;
        int summed = td->ind->target_additive && _rows_sum(c, td->name, "县区", &rt.range, &target);
        const tzm_target_default *dflt = summed ? NULL : _default_of("市", td->name);
        if (!summed && !dflt)
            continue;
        tz_target_result *e =
            _result(c, td, &rt, name, NULL, code, summed ? target : dflt->value, !summed);
        if (!e)
            return -1;
        if (summed) {
            size_t len = strlen(e->basis);
            snprintf(e->basis + len, sizeof e->basis - len, ";目标为各县区目标之和");
            snprintf(e->origin, sizeof e->origin, "目标任务台账(各县区目标之和)");
        } else {
            _city_origin(c, td, dflt, &rt.range, e);
        }
    }
    return 0;
dberr:
    tz_diags_error(c->d, NULL, 0, NULL, NULL, "数据库查询失败: %s", tz_store_errmsg(c->s));
    return -1;
}

/* Cities in the scope that have investment-promotion units. */
static int _cities(_ctx *c, const tzm_scope_rt *scope)
{
    tzm_query q;
    tz_stmt *st = NULL;
    int rc = -1, r;
    char(*codes)[13] = NULL;
    char(*names)[128] = NULL;
    size_t n = 0, cap = 0;
    tzm_q_init(&q);
    tz_buf_printf(&q.sql,
                  "SELECT code, name FROM regions r WHERE level = '市' AND EXISTS (SELECT 1 FROM "
                  "units u WHERE u.kind IN (%s) AND u.region BETWEEN r.code AND ",
                  _promo_kinds);
    /* the city's range: its 4 significant digits then nines */
    tz_buf_puts(&q.sql, "substr(r.code, 1, 4) || '99999999')");
    if (scope->has_region)
        tzm_q_region(&q, "code", scope->range.lo, scope->range.hi);
    tz_buf_puts(&q.sql, " ORDER BY code");
    if (tzm_q_prepare(c->s, &q, &st, c->d))
        goto done;
    while ((r = tz_stmt_step(st)) == 1) {
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            void *nc = realloc(codes, cap * sizeof *codes), *nn;
            if (!nc)
                goto done;
            codes = nc;
            nn = realloc(names, cap * sizeof *names);
            if (!nn)
                goto done;
            names = nn;
        }
        snprintf(codes[n], 13, "%s", tz_stmt_text(st, 0) ? tz_stmt_text(st, 0) : "");
        snprintf(names[n], 128, "%s", tz_stmt_text(st, 1) ? tz_stmt_text(st, 1) : "");
        n++;
    }
    if (r < 0) {
        tz_diags_error(c->d, NULL, 0, NULL, NULL, "数据库查询失败: %s", tz_store_errmsg(c->s));
        goto done;
    }
    tz_stmt_free(st);
    st = NULL;
    for (size_t i = 0; i < n; i++)
        if (_city(c, codes[i], names[i]))
            goto done;
    rc = 0;
done:
    tz_stmt_free(st);
    tzm_q_free(&q);
    free(codes);
    free(names);
    return rc;
}

/* One unit: its rows of the year, or the default for its kind. */
static int _unit(_ctx *c, const char *name, const char *kind, const char *region)
{
    tzm_scope_rt rt;
    memset(&rt, 0, sizeof rt);
    rt.unit = name;
    rt.agg = c->agg;
    snprintf(rt.unit_kind, sizeof rt.unit_kind, "%s", kind);
    snprintf(rt.unit_region, sizeof rt.unit_region, "%s", region);
    if (strlen(region) == 12) {
        if (tzm_range_of(c->s, region, &rt.urange)) {
            tz_diags_error(c->d, NULL, 0, NULL, NULL, "数据库查询失败: %s", tz_store_errmsg(c->s));
            return -1;
        }
        rt.has_unit_region = 1;
    }
    for (size_t k = 0; k < c->ntdefs; k++) {
        const _target_def *td = &c->tdefs[k];
        const _trow *row = _row(c, name, td->name);
        const tzm_target_default *dflt = row ? NULL : _default_of(kind, td->name);
        if (!row && !dflt)
            continue;
        double target = row ? row->value : dflt->value;
        tz_target_result *e = _result(c, td, &rt, name, kind, region, target, !row);
        if (!e)
            return -1;
        if (!row)
            _default_words(kind, td, target, e->origin, sizeof e->origin);
    }
    return 0;
}

static int _units(_ctx *c, const tzm_scope_rt *scope)
{
    tzm_query q;
    tz_stmt *st = NULL;
    int rc = -1, r;
    tzm_q_init(&q);
    tz_buf_puts(&q.sql, "SELECT name, kind, region FROM units WHERE 1 = 1");
    if (scope->has_region)
        tzm_q_region(&q, "region", scope->range.lo, scope->range.hi);
    if (scope->unit) {
        tz_buf_puts(&q.sql, " AND name = ");
        tzm_q_text(&q, scope->unit);
    }
    tz_buf_puts(&q.sql, " ORDER BY CASE kind WHEN '县区' THEN 1 WHEN '专题招商组' THEN 2 "
                        "WHEN '市直单位' THEN 3 ELSE 4 END, region, name");
    if (tzm_q_prepare(c->s, &q, &st, c->d))
        goto done;
    /* read all first: evaluation runs other statements */
    typedef struct {
        char name[128], kind[32], region[13];
    } unit_row;
    unit_row *u = NULL;
    size_t n = 0, cap = 0;
    while ((r = tz_stmt_step(st)) == 1) {
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            unit_row *nu = realloc(u, cap * sizeof *nu);
            if (!nu) {
                free(u);
                goto done;
            }
            u = nu;
        }
        snprintf(u[n].name, sizeof u[n].name, "%s", tz_stmt_text(st, 0) ? tz_stmt_text(st, 0) : "");
        snprintf(u[n].kind, sizeof u[n].kind, "%s", tz_stmt_text(st, 1) ? tz_stmt_text(st, 1) : "");
        snprintf(u[n].region, sizeof u[n].region, "%s",
                 tz_stmt_text(st, 2) ? tz_stmt_text(st, 2) : "");
        n++;
    }
    if (r < 0) {
        tz_diags_error(c->d, NULL, 0, NULL, NULL, "数据库查询失败: %s", tz_store_errmsg(c->s));
        free(u);
        goto done;
    }
    tz_stmt_free(st);
    st = NULL;
    rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = _unit(c, u[i].name, u[i].kind, u[i].region);
    free(u);
done:
    tz_stmt_free(st);
    tzm_q_free(&q);
    return rc;
}

int tz_targets_check(tz_store *s, const tz_scope *sc, const tz_period *p, tz_target_result **out,
                     size_t *n, tz_diags *d)
{
    _ctx c;
    tzm_scope_rt scope;
    memset(&c, 0, sizeof c);
    *out = NULL;
    *n = 0;
    if (!p) {
        tz_diags_error(d, NULL, 0, "期间", NULL, "目标考核需要指定期间");
        return -1;
    }
    if (tzm_scope_resolve(s, sc, &scope, d))
        return -1;
    c.s = s;
    c.p = p;
    c.d = d;
    c.agg = scope.agg;
    tzm_period_ytd(p, &c.ytd);
    for (const char *const *t = tzm_target_names(); *t; t++) {
        const tzm_ind_def *ind = tzm_target_find(*t);
        if (ind && c.ntdefs == TARGETS_MAX) {
            tz_diags_error(d, NULL, 0, "目标任务", *t, "目标指标超过%d个,请调大 TARGETS_MAX",
                           TARGETS_MAX);
            return -1;
        }
        if (ind)
            c.tdefs[c.ntdefs++] = (_target_def){*t, ind};
    }
    int rc = _load_rows(&c);
    if (!rc && !scope.unit)
        rc = _cities(&c, &scope);
    if (!rc)
        rc = _units(&c, &scope);
    free(c.rows);
    if (rc) {
        free(c.out.v);
        return -1;
    }
    *out = c.out.v;
    *n = c.out.n;
    return 0;
}

int tz_target_measure(const char *name, const tz_period *p, tz_period *w, tz_mode *mode,
                      const char **indicator)
{
    const tzm_ind_def *ind = tzm_target_find(name);
    if (!ind)
        return -1;
    if (ind->stock)
        *w = *p;
    else
        tzm_period_ytd(p, w);
    *mode = ind->stock ? TZ_MODE_TODATE : TZ_MODE_PERIOD;
    *indicator = ind->pub.name;
    return 0;
}

int tz_indicator_additive(const char *name)
{
    const tzm_ind_def *ind = tzm_ind_def_find(name);
    return ind && ind->kind == TZM_IND_SQL && !ind->stock && ind->date_col && !ind->end_col;
}

void tz_period_ytd(const tz_period *p, tz_period *out)
{
    tzm_period_ytd(p, out);
}

const char *tz_status_word(tz_status st)
{
    switch (st) {
    case TZ_STATUS_MET:
        return "已完成";
    case TZ_STATUS_NOT_MET:
        return "未完成";
    case TZ_STATUS_ASPIRATION:
        return "力争";
    case TZ_STATUS_AHEAD:
        return "超序时进度";
    case TZ_STATUS_ON_SCHEDULE:
        return "达到序时进度";
    case TZ_STATUS_BEHIND:
        return "滞后于序时进度";
    }
    return "";
}

int tz_status_failed(tz_status st)
{
    return st == TZ_STATUS_NOT_MET || st == TZ_STATUS_BEHIND;
}
