/* api_pages.c - the routes the web pages need beyond the data routes: the
 * region tree (GET /api/regions), the whole 首页 in one request (GET
 * /api/dashboard), both inside the caller's scope, and the 上报 deadlines
 * (GET /api/deadlines).
 *
 * Owns: the shape of a region tree node, and the 首页's additions to what
 * `check --json` gives: 同比 per key figure, each target's progress and
 * 时序进度 in percent (metrics' figures, as the dashboard's bars want them),
 * completion by subordinate region and the monthly
 * trend. Which indicators the charts show is read from the data (the
 * scope's targets, the key figures), never named here.
 *
 * Does not own: role and scope checks (guard.c), the check itself and its
 * JSON (views_check.c), the figures (metrics/), what a scope contains
 * (account.c).
 */
#include "util/num.h"
#include "web/web_impl.h"
#include "web/workflow.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the region tree -------------------------------------------------------- */

#define REGION_COLUMNS                                                                             \
    "SELECT r.code, r.name, r.level, r.poor, CASE WHEN EXISTS (SELECT 1 FROM regions c "           \
    "WHERE c.parent = r.code) THEN 0 ELSE 1 END FROM regions r "

/* One region of the current row as {"code", "name", "level", "leaf", "poor"}. */
static json_t *_region_item(tz_stmt *st)
{
    const char *level = tz_stmt_text(st, 2);
    int village = level && tz_level_parse(level) == TZ_LEVEL_VILLAGE;
    int poor = village && !tz_stmt_is_null(st, 3) && tz_stmt_int(st, 3) != 0;
    return json_pack("{s:s, s:s, s:s, s:b, s:b}", "code", tz_stmt_text(st, 0), "name",
                     tz_stmt_text(st, 1) ? tz_stmt_text(st, 1) : "", "level", level ? level : "",
                     "leaf", (int)tz_stmt_int(st, 4), "poor", poor);
}

/* The regions whose `col` is code (col "code": the region itself; "parent":
 * its children), by code, as an array into *out. Returns 0 or -1
 * (database, memory). */
static int _regions_where(tz_store *s, const char *col, const char *code, json_t **out)
{
    tz_stmt *st = NULL;
    char sql[512];
    int rc = -1, r;
    json_t *arr = json_array();
    snprintf(sql, sizeof sql, REGION_COLUMNS "WHERE r.%s = ? ORDER BY r.code", col);
    if (!arr || tz_store_prepare(s, sql, &st) || tz_stmt_bind_text(st, 1, code))
        goto done;
    while ((r = tz_stmt_step(st)) == 1) {
        json_t *it = _region_item(st);
        if (!it || json_array_append_new(arr, it))
            goto done;
    }
    if (r == 0) {
        *out = arr;
        arr = NULL;
        rc = 0;
    }
done:
    json_decref(arr);
    tz_stmt_free(st);
    return rc;
}

/* The region a caller's tree starts at: its region, or its unit's 所属区划
 * (into root). Returns 0, or -1 with rs filled. */
static int _tree_root(const tz_req *rq, tz_resp *rs, char root[13])
{
    const tz_access *own = &rq->sess->acct.access;
    if (own->region[0]) {
        snprintf(root, 13, "%s", own->region);
        return 0;
    }
    int r = tz_unit_get(rq->s, own->unit, NULL, 0, root);
    if (r < 0)
        return tz_resp_error(rs, 500, NULL, "数据库错误: %s", tz_store_errmsg(rq->s)), -1;
    if (r == 0 || !root[0])
        return tz_resp_error(rs, 404, NULL, "单位 \"%s\" 没有所属区划代码", own->unit), -1;
    return 0;
}

/* Resolves the argument param (parent= or code=) into code and checks it
 * lies under root (the caller's tree). Returns 0, or -1 with rs filled (400
 * empty, 404 no such region, 403 outside). */
static int _tree_region(const tz_req *rq, tz_resp *rs, const char *param, const char *arg,
                        const char *root, char code[13])
{
    tz_access pa, ra;
    tz_diags d = TZ_DIAGS_INIT;
    char name[256];
    int rc = -1;
    if (!*arg)
        return tz_resp_error(rs, 400, NULL, "参数 %s 不能为空(应为区划代码或名称)", param), -1;
    int r = tz_access_resolve(rq->s, arg, NULL, &pa, name, sizeof name, NULL, &d);
    if (r > 0) {
        tz_resp_error(rs, 404, &d, "参数 %s: 没有区划 \"%s\"", param, arg);
        goto done;
    }
    if (r == 0)
        r = tz_access_resolve(rq->s, root, NULL, &ra, NULL, 0, NULL, &d);
    int in = r == 0 ? tz_access_contains(rq->s, &ra, &pa) : -1;
    if (r != 0 || in < 0) {
        tz_resp_error(rs, 500, &d, "数据库错误,无法核对范围");
        goto done;
    }
    if (!in) {
        tz_resp_error(rs, 403, NULL, "参数 %s: 区划 \"%s\" 不在当前账户的范围(%s)内", param, name,
                      rq->sess->acct.scope_name);
        goto done;
    }
    snprintf(code, 13, "%s", pa.region);
    rc = 0;
done:
    tz_diags_clear(&d);
    return rc;
}

int tz_api_regions(tz_req *rq, tz_resp *rs)
{
    char root[13], code[13];
    const char *parent = tz_req_query(rq, "parent");
    const char *one = tz_req_query(rq, "code"); /* one region, by code or name */
    json_t *items = NULL;
    if (tz_req_allow(rq, rs, TZ_PERM_READ) || _tree_root(rq, rs, root))
        return 0;
    if (parent && one)
        return tz_resp_error(rs, 400, NULL, "参数 parent 与 code 只能给一个");
    if ((parent && _tree_region(rq, rs, "parent", parent, root, code)) ||
        (one && _tree_region(rq, rs, "code", one, root, code)))
        return 0;
    if (_regions_where(rq->s, parent ? "parent" : "code", parent || one ? code : root, &items))
        return tz_resp_error(rs, 500, NULL, "数据库错误: %s", tz_store_errmsg(rq->s));
    if (!parent && json_array_size(items) == 0) {
        json_decref(items);
        return tz_resp_error(rs, 404, NULL, "行政区划台账中没有当前账户的区划 %s", root);
    }
    json_t *o = json_pack("{s:o}", "items", items);
    if (o && rq->sess->acct.access.unit[0])
        json_object_set_new(o, "unit", json_string(rq->sess->acct.access.unit));
    return o ? tz_resp_json(rs, 200, o) : tz_resp_error(rs, 500, NULL, "内存不足");
}

/* ---- the 首页 ------------------------------------------------------------------ */

/* What the 首页 is computed from. */
typedef struct dash {
    tz_store *s;            /* the request's connection */
    const tz_view_scope *o; /* scope and period */
    tz_view_check_data r;   /* the check: targets, findings, key figures */
    tz_diags d;             /* why a figure failed */
} dash;

/* Adds "year_on_year" (or null) to each key figure of figs. */
static void _dash_figures(dash *x, json_t *figs)
{
    for (size_t i = 0; i < x->r.nk && i < json_array_size(figs); i++) {
        const tz_key_figure *k = &x->r.k[i];
        tz_yoy y;
        tz_indicator_yoy(x->s, k->indicator, &x->o->sc, &x->o->p, k->mode, k->value, &y);
        json_object_set_new(json_array_get(figs, i), "year_on_year",
                            y.have ? tz_view_yoy_json(&y) : json_null());
    }
}

/* A share (0..1) in percent, NAN kept (null in JSON). */
static double _pct(double share)
{
    return isnan(share) ? NAN : share * 100.0;
}

/* Adds "rate" (metrics' progress in percent: actual / target of an
 * additive target, null for a growth, ratio or stock target) and
 * "time_progress" (the 时序进度 in percent) to each target of tgts. Both
 * and the status come from metrics' judgement; nothing is computed here. */
static void _dash_targets(dash *x, json_t *tgts)
{
    for (size_t i = 0; i < x->r.nt && i < json_array_size(tgts); i++) {
        json_t *e = json_array_get(tgts, i);
        json_object_set_new(e, "rate", tz_view_num(_pct(x->r.t[i].progress)));
        json_object_set_new(e, "time_progress", tz_view_num(_pct(x->r.t[i].schedule)));
    }
}

/* A window as {"label", "words", "start", "end"}; 1 January to a month's
 * end (累计 windows) reads "2019-01~06", "2019年1-6月". */
static json_t *_window_json(const tz_period *w)
{
    json_t *j = tz_view_period_json(w);
    int m = tz_num_digits(w->end + 5, 2);
    if (j && strstr(w->label, "~")) {
        char words[64];
        snprintf(words, sizeof words, "%d年1-%d月", tz_num_digits(w->start, 4), m);
        json_object_set_new(j, "words", json_string(words));
    }
    return j;
}

/* The --by key of the regions one level below lv, or NULL. */
static const char *_child_dim(tz_level lv)
{
    switch (lv) {
    case TZ_LEVEL_PROVINCE:
        return "city";
    case TZ_LEVEL_CITY:
        return "county";
    case TZ_LEVEL_COUNTY:
        return "township";
    case TZ_LEVEL_TOWNSHIP:
        return "village";
    default:
        return NULL;
    }
}

#define DASH_SERIES_MAX 16 /* indicators the completion chart compares */

/* One indicator of the completion by subordinate region. */
typedef struct dash_series {
    const char *indicator; /* the measuring indicator (static) */
    tz_period w;           /* window */
    tz_mode mode;          /* mode */
} dash_series;

/* The indicators of the completion chart: those measuring the scope's
 * targets (each once), or the trend's indicator when the scope has none.
 * Returns how many are in out. */
static size_t _dash_series(dash *x, const char *trend, dash_series *out)
{
    size_t n = 0;
    for (size_t i = 0; i < x->r.nt && n < DASH_SERIES_MAX; i++) {
        dash_series e;
        if (tz_target_measure(x->r.t[i].indicator, &x->o->p, &e.w, &e.mode, &e.indicator))
            continue;
        size_t k = 0;
        while (k < n && strcmp(out[k].indicator, e.indicator) != 0)
            k++;
        if (k == n)
            out[n++] = e;
    }
    if (n == 0 && trend) {
        out[0].indicator = trend;
        tz_period_ytd(&x->o->p, &out[0].w);
        out[0].mode = TZ_MODE_PERIOD;
        n = 1;
    }
    return n;
}

/* The value of group key in g, or NAN. */
static double _group(const tz_group_value *g, size_t ng, const char *key)
{
    for (size_t i = 0; i < ng; i++)
        if (!strcmp(g[i].key, key))
            return g[i].value;
    return NAN;
}

/* Sets each child's "figures"[indicator] from one split of the indicator
 * by dim. Returns 0, or -1 (diag in x->d). */
static int _dash_child_values(dash *x, const dash_series *e, const char *dim, json_t *items)
{
    const char *key = NULL;
    const tz_indicator *ind = tz_indicator_find(e->indicator);
    tz_group_value *g = NULL;
    size_t ng = 0;
    if (!ind || tz_dim_parse(ind, dim, &key))
        return 0; /* cannot be split by region: left out */
    if (tz_indicator_eval_by(x->s, e->indicator, &x->o->sc, &e->w, e->mode, key, &g, &ng, &x->d))
        return -1;
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        const char *code = json_string_value(json_object_get(it, "code"));
        json_object_set_new(json_object_get(it, "figures"), e->indicator,
                            tz_view_num(_group(g, ng, code ? code : "")));
    }
    free(g);
    return 0;
}

/* The targets of the scope's check set for the region code, as
 * [{"indicator", "actual", "target", "rate", "unit", "status"}]. */
static json_t *_child_targets(const dash *x, const char *code)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < x->r.nt; i++) {
        const tz_target_result *t = &x->r.t[i];
        if (strcmp(t->region, code) != 0)
            continue;
        json_array_append_new(arr, json_pack("{s:s, s:o, s:o, s:o, s:s, s:s}", "indicator",
                                             t->indicator, "actual", tz_view_num(t->actual),
                                             "target", tz_view_num(t->target), "rate",
                                             tz_view_num(_pct(t->progress)), "unit", t->unit,
                                             "status", tz_status_word(t->status)));
    }
    return arr;
}

/* "children": the completion by the regions one level below the scope, or
 * null for a unit, a village or a level without a split. Returns 0 with
 * *out set, or -1 (diag in x->d). */
static int _dash_children(dash *x, const char *trend, json_t **out)
{
    tz_level lv = TZ_LEVEL_NONE;
    const tz_view_scope *o = x->o;
    json_t *items = NULL, *inds = NULL;
    dash_series ser[DASH_SERIES_MAX];
    *out = json_null();
    if (!o->sc.region || o->sc.unit)
        return 0;
    int r = tz_region_get(x->s, o->code, NULL, 0, &lv);
    const char *dim = r == 1 ? _child_dim(lv) : NULL;
    if (r < 0 || (dim && _regions_where(x->s, "parent", o->code, &items))) {
        tz_diags_error(&x->d, NULL, 0, "区划", o->code, "数据库错误: %s", tz_store_errmsg(x->s));
        return -1;
    }
    if (!dim)
        return 0;
    size_t i, n = _dash_series(x, trend, ser);
    json_t *it;
    json_array_foreach(items, i, it)
    {
        json_object_set_new(it, "figures", json_object());
        json_object_set_new(it, "targets",
                            _child_targets(x, json_string_value(json_object_get(it, "code"))));
    }
    inds = json_array();
    for (size_t k = 0; k < n; k++) {
        const tz_indicator *ind = tz_indicator_find(ser[k].indicator);
        if (_dash_child_values(x, &ser[k], dim, items)) {
            json_decref(items);
            json_decref(inds);
            return -1;
        }
        json_array_append_new(inds, json_pack("{s:s, s:s, s:s, s:o}", "indicator", ser[k].indicator,
                                              "unit", ind ? ind->unit : "", "mode",
                                              tz_mode_name(ser[k].mode), "period",
                                              _window_json(&ser[k].w)));
    }
    json_decref(*out);
    *out = json_pack("{s:s, s:o, s:o}", "level", tz_level_word((tz_level)(lv + 1)), "indicators",
                     inds, "items", items);
    return 0;
}

/* The indicator of the trend: the first of the scope's targets whose
 * months add up, else the first such key figure (期间 before 累计); NULL
 * when none applies. Each can be split by month. */
static const char *_trend_indicator(const dash *x)
{
    const char *key;
    for (size_t i = 0; i < x->r.nt; i++) {
        tz_period w;
        tz_mode m;
        const char *name;
        if (!tz_target_measure(x->r.t[i].indicator, &x->o->p, &w, &m, &name) &&
            tz_indicator_additive(name) && !tz_dim_parse(tz_indicator_find(name), "month", &key))
            return name;
    }
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < x->r.nk; i++)
            if ((x->r.k[i].mode == TZ_MODE_PERIOD) == (pass == 0) &&
                x->r.k[i].mode != TZ_MODE_ALL && tz_indicator_additive(x->r.k[i].indicator) &&
                !tz_dim_parse(tz_indicator_find(x->r.k[i].indicator), "month", &key))
                return x->r.k[i].indicator;
    return NULL;
}

/* "trend": the monthly values of name from January to the period's end,
 * with the same months a year earlier; null when name is NULL. Returns 0
 * with *out set, or -1 (diag in x->d). */
static int _dash_trend(dash *x, const char *name, json_t **out)
{
    tz_period ytd, prev, prev_ytd;
    tz_group_value *g = NULL, *pg = NULL;
    size_t ng = 0, npg = 0;
    int rc = -1;
    *out = json_null();
    if (!name)
        return 0;
    tz_period_ytd(&x->o->p, &ytd);
    tz_period_prev_year(&x->o->p, &prev);
    tz_period_ytd(&prev, &prev_ytd);
    if (tz_indicator_eval_by(x->s, name, &x->o->sc, &ytd, TZ_MODE_PERIOD, "month", &g, &ng,
                             &x->d) ||
        tz_indicator_eval_by(x->s, name, &x->o->sc, &prev_ytd, TZ_MODE_PERIOD, "month", &pg, &npg,
                             &x->d))
        goto done;
    json_t *months = json_array();
    int year = tz_num_digits(ytd.end, 4), last = tz_num_digits(ytd.end + 5, 2);
    for (int m = 1; m <= last; m++) {
        char key[24], pkey[24];
        snprintf(key, sizeof key, "%04d-%02d", year % 10000, m % 100);
        snprintf(pkey, sizeof pkey, "%04d-%02d", (year - 1) % 10000, m % 100);
        double v = _group(g, ng, key), pv = _group(pg, npg, pkey);
        json_array_append_new(months, json_pack("{s:s, s:o, s:o}", "month", key, "value",
                                                tz_view_num(isnan(v) ? 0 : v), "previous",
                                                tz_view_num(isnan(pv) ? 0 : pv)));
    }
    const tz_indicator *ind = tz_indicator_find(name);
    json_decref(*out);
    *out = json_pack("{s:s, s:s, s:o}", "indicator", name, "unit", ind ? ind->unit : "", "months",
                     months);
    rc = 0;
done:
    free(g);
    free(pg);
    return rc;
}

/* The 首页 object of x, or NULL (diag in x->d, or out of memory). */
static json_t *_dash_json(dash *x)
{
    json_t *root = tz_view_check_json(x->o, &x->r), *children = NULL, *trend = NULL;
    const char *tname = _trend_indicator(x);
    if (!root)
        return NULL;
    _dash_figures(x, json_object_get(root, "figures"));
    _dash_targets(x, json_object_get(root, "targets"));
    if (_dash_children(x, tname, &children) || _dash_trend(x, tname, &trend)) {
        json_decref(children);
        json_decref(trend);
        json_decref(root);
        return NULL;
    }
    json_object_set_new(root, "children", children);
    json_object_set_new(root, "trend", trend);
    return root;
}

int tz_api_dashboard(tz_req *rq, tz_resp *rs)
{
    tz_view_scope o;
    dash x;
    memset(&x, 0, sizeof x); /* x.d: TZ_DIAGS_INIT is all zero */
    if (tz_req_allow(rq, rs, TZ_PERM_READ) ||
        tz_req_scope(rq, rs, tz_req_query(rq, "region"), tz_req_query(rq, "unit"),
                     tz_req_query(rq, "period"), &o))
        return 0;
    x.s = rq->s;
    x.o = &o;
    /* the check, the charts and 同比 of one state of the data */
    int snap = tz_metrics_snapshot(rq->s);
    json_t *j = tz_view_check_run(rq->s, &o, &x.r, &x.d) ? NULL : _dash_json(&x);
    if (snap == 1)
        tz_store_read_end(rq->s);
    if (j)
        tz_resp_json(rs, 200, j);
    else
        tz_resp_error(rs, 500, &x.d, "首页数据未能计算");
    tz_view_check_data_free(&x.r);
    tz_diags_clear(&x.d);
    return 0;
}

/* ---- the deadlines ------------------------------------------------------------ */

int tz_api_deadlines(tz_req *rq, tz_resp *rs)
{
    const char *ptext = tz_req_query(rq, "period"), *why = NULL;
    tz_period p;
    if (tz_req_allow(rq, rs, TZ_PERM_READ))
        return 0;
    if (ptext && tz_period_parse(ptext, &p, &why))
        return tz_resp_error(rs, 400, NULL, "参数 period \"%s\" 有误: %s", ptext, why);
    json_t *arr = json_array();
    for (const char *const *lv = tz_deadline_levels(); arr && *lv; lv++) {
        int day = 0, r = tz_deadline_get(rq->s, *lv, &day);
        if (r < 0) {
            json_decref(arr);
            return tz_resp_error(rs, 500, NULL, "读取上报期限失败: %s", tz_store_errmsg(rq->s));
        }
        char words[32];
        snprintf(words, sizeof words, "次月%d日前", day % 100);
        json_t *e =
            json_pack("{s:s, s:o, s:s}", "level", *lv, "day",
                      r == 1 ? json_integer(day) : json_null(), "words", r == 1 ? words : "未设置");
        if (e && ptext) {
            char date[11] = "";
            if (r == 1)
                tz_deadline_date(p.end, day, date);
            json_object_set_new(e, "date", r == 1 ? json_string(date) : json_null());
        }
        json_array_append_new(arr, e);
    }
    json_t *o = json_pack("{s:o}", "deadlines", arr);
    if (o && ptext)
        json_object_set_new(o, "period", tz_view_period_json(&p));
    return o ? tz_resp_json(rs, 200, o) : tz_resp_error(rs, 500, NULL, "内存不足");
}
