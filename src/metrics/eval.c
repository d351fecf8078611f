/* eval.c - evaluating indicators from the table in indicators.c: one value,
 * values grouped by a dimension, and provenance (the rows behind a value).
 * Roll-up is a code range (code BETWEEN lo AND hi) on the indicator's region
 * column, so a county, township or village is one indexed range scan. */
#include "metrics/metrics_impl.h"
#include "util/num.h"
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int _unknown(const char *name, tz_diags *d)
{
    tz_diags_error(d, NULL, 0, "指标", name, "未知指标(运行 taizhang indicators 查看全部指标)");
    return -1;
}

static int _dated(const tzm_ind_def *def, const tz_period *p, tz_mode mode)
{
    return def->date_col && p && mode != TZ_MODE_ALL;
}

/* The mode a composite passes to its components: a stock is as of the end. */
static tz_mode _component_mode(const tzm_ind_def *def, tz_mode mode)
{
    return def->stock && mode != TZ_MODE_ALL ? TZ_MODE_TODATE : mode;
}

/* Looks up an indicator and resolves the scope (into rt) for an evaluation;
 * with need_by, by must name a dimension. Returns the indicator (static
 * table, not to be freed), or NULL with a diag. */
static const tzm_ind_def *_lookup(tz_store *s, const char *name, const tz_scope *sc, int need_by,
                                  const char *by, tzm_scope_rt *rt, tz_diags *d)
{
    const tzm_ind_def *def = tzm_ind_def_find(name);
    if (!def) {
        _unknown(name, d);
        return NULL;
    }
    if (need_by && (!by || !*by)) {
        tz_diags_error(d, NULL, 0, "--by", by, "需要指定分组维度");
        return NULL;
    }
    return tzm_scope_resolve(s, sc, rt, d) ? NULL : def;
}

/* The English key of a --by argument given as a Chinese column name
 * ("招商方式" → "channel"); anything else unchanged (checked later). */
static const char *_by_key(const tzm_ind_def *def, const char *by)
{
    const char *key = NULL;
    return by && tz_dim_parse(&def->pub, by, &key) == 0 ? key : by;
}

/* Checks that a growth rate can be evaluated for p, grouped by `by` (NULL:
 * not grouped), and sets prev to the same period a year earlier. Returns 0,
 * or -1 with a diag. */
static int _growth_prev(const tzm_ind_def *def, const tz_period *p, const char *by, tz_period *prev,
                        tz_diags *d)
{
    if (!p) {
        tz_diags_error(d, NULL, 0, "指标", def->pub.name, "增长率需要指定期间");
        return -1;
    }
    if (by && (!strcmp(by, "year") || !strcmp(by, "month"))) {
        tz_diags_error(d, NULL, 0, "--by", by, "增长率指标不能按年度或月份分组");
        return -1;
    }
    tz_period_prev_year(p, prev);
    return 0;
}

/* The value of a group without rows: 0, or NAN for a ratio or growth rate. */
static double _empty_value(const tzm_ind_def *def)
{
    return def->kind == TZM_IND_RATIO || def->kind == TZM_IND_GROWTH ? NAN : 0;
}

/* SELECT <select> FROM <from> WHERE <filters> <tail>, with the scope and the
 * period. */
static void _build(tzm_query *q, const tzm_ind_def *def, const tzm_scope_rt *rt, const tz_period *p,
                   tz_mode mode, const char *select, const char *tail)
{
    tz_buf_printf(&q->sql, "SELECT %s FROM ", select);
    const char *tok = strstr(def->from, "{date}");
    if (tok) {
        tz_buf_add(&q->sql, def->from, (size_t)(tok - def->from));
        if (!tzm_q_date_cond(q, def, p, mode))
            tz_buf_puts(&q->sql, "1 = 1");
        tz_buf_puts(&q->sql, tok + strlen("{date}"));
    } else {
        tz_buf_puts(&q->sql, def->from);
    }
    tz_buf_puts(&q->sql, " WHERE 1 = 1");
    if (def->where && *def->where)
        tz_buf_printf(&q->sql, " AND (%s)", def->where);
    (void)tzm_q_scope(q, def, rt); /* a unit it cannot apply to: region only, as before */
    if (!tok && _dated(def, p, mode)) {
        tz_buf_puts(&q->sql, " AND ");
        tzm_q_date_cond(q, def, p, mode);
    }
    if (tail)
        tz_buf_puts(&q->sql, tail);
}

/* How a plain indicator is read for a scope: from the ledgers (0), from a
 * summary node (1: view, node and digits set), or not at all because the
 * scope holds no row (2). */
static int _agg_plan(const tzm_ind_def *def, const tzm_scope_rt *rt, tzm_ind_def *view,
                     char node[13], int *digits)
{
    if (!rt->agg || !tzm_agg_view(def, view))
        return 0;
    int r = tzm_agg_node(rt, node, digits);
    return r < 0 ? 0 : r == 0 ? 2 : 1;
}

/* SELECT <select> FROM <summary> WHERE <node> ... for a summary view: the
 * scope's own node, or (by_digits deeper than the scope) the nodes of that
 * level inside it. */
static void _build_agg(tzm_query *q, const tzm_ind_def *view, const char *node, int digits,
                       int by_digits, const tz_period *p, tz_mode mode, const char *select,
                       const char *tail)
{
    tz_buf_printf(&q->sql, "SELECT %s FROM %s WHERE g.digits = ", select, view->from);
    if (by_digits > digits) {
        tzm_q_int(q, by_digits);
        if (digits > 0) {
            char hi[13];
            tz_code_bounds(node, digits, NULL, hi);
            tzm_q_region(q, "g.node", node, hi);
        }
    } else {
        tzm_q_int(q, digits);
        tz_buf_puts(&q->sql, " AND g.node = ");
        tzm_q_text(q, node);
    }
    if (view->where && *view->where)
        tz_buf_printf(&q->sql, " AND (%s)", view->where);
    if (_dated(view, p, mode)) {
        tz_buf_puts(&q->sql, " AND ");
        tzm_q_date_cond(q, view, p, mode);
    }
    if (tail)
        tz_buf_puts(&q->sql, tail);
}

/* tzm_q_run callback: the first row's value (acc: double). */
static int _row_value(tz_stmt *st, void *acc)
{
    *(double *)acc = tz_stmt_double(st, 0);
    return 1;
}

static int _eval_sql(tz_store *s, const tzm_ind_def *def, const tzm_scope_rt *rt,
                     const tz_period *p, tz_mode mode, double *value, tz_diags *d)
{
    tzm_query q;
    int digits = 0;
    double v = 0.0;
    tzm_ind_def view;
    char node[13];
    int plan = _agg_plan(def, rt, &view, node, &digits);
    if (plan == 2) {
        *value = 0;
        return 0;
    }
    tzm_q_init(&q);
    if (plan == 1)
        _build_agg(&q, &view, node, digits, 0, p, mode, view.value, NULL);
    else
        _build(&q, def, rt, p, mode, def->value, NULL);
    if (tzm_q_run(s, &q, def->pub.name, 1, _row_value, &v, d))
        return -1;
    *value = v;
    return 0;
}

static const tzm_ind_def *_component(const char *name, tz_diags *d)
{
    const tzm_ind_def *c = tzm_ind_def_find(name);
    if (!c)
        _unknown(name, d);
    return c;
}

int tzm_eval_rt(tz_store *s, const tzm_ind_def *def, const tzm_scope_rt *rt, const tz_period *p,
                tz_mode mode, double *value, tz_diags *d)
{
    double a = 0, b = 0;
    const tzm_ind_def *ca, *cb;
    tz_period prev;
    *value = 0;
    switch (def->kind) {
    case TZM_IND_SQL:
        return _eval_sql(s, def, rt, p, mode, value, d);
    case TZM_IND_RATIO:
    case TZM_IND_DIFF:
        if (!(ca = _component(def->a, d)) || !(cb = _component(def->b, d)))
            return -1;
        if (tzm_eval_rt(s, ca, rt, p, _component_mode(def, mode), &a, d) ||
            tzm_eval_rt(s, cb, rt, p, _component_mode(def, mode), &b, d))
            return -1;
        if (def->kind == TZM_IND_DIFF) {
            *value = a - b;
        } else if (b == 0 && def->reason) {
            /* a ratio whose denominator must exist (贫困发生率: the population) */
            if (p)
                tz_diags_error(d, NULL, 0, "指标", def->pub.name, "无法计算(%d年): %s",
                               tzm_period_last_year(p), def->reason);
            else
                tz_diags_error(d, NULL, 0, "指标", def->pub.name, "无法计算: %s", def->reason);
            return -1;
        } else {
            *value = b != 0 ? a / b * def->scale : NAN;
        }
        return 0;
    case TZM_IND_GROWTH:
        if (_growth_prev(def, p, NULL, &prev, d) || !(ca = _component(def->a, d)))
            return -1;
        if (tzm_eval_rt(s, ca, rt, p, mode, &a, d) || tzm_eval_rt(s, ca, rt, &prev, mode, &b, d))
            return -1;
        *value = b != 0 ? (a - b) / b * def->scale : NAN;
        return 0;
    case TZM_IND_UNAVAILABLE:
    default:
        tz_diags_error(d, NULL, 0, "指标", def->pub.name, "无法计算: %s",
                       def->reason ? def->reason : "");
        return -1;
    }
}

int tz_indicator_eval(tz_store *s, const char *name, const tz_scope *sc, const tz_period *p,
                      tz_mode mode, double *value, tz_diags *d)
{
    tzm_scope_rt rt;
    *value = 0;
    const tzm_ind_def *def = _lookup(s, name, sc, 0, NULL, &rt, d);
    return def ? tzm_eval_rt(s, def, &rt, p, mode, value, d) : -1;
}

/* ---- grouped evaluation -------------------------------------------------- */

typedef struct _groups {
    tz_group_value *v; /* groups */
    size_t n;          /* used */
    size_t cap;        /* allocated */
} _groups;

static tz_group_value *_gadd(_groups *g, const char *key, const char *label, double value)
{
    tz_group_value *e = tzm_push(&g->v, &g->n, &g->cap, sizeof *e, 32);
    if (!e)
        return NULL;
    snprintf(e->key, sizeof e->key, "%s", key);
    snprintf(e->label, sizeof e->label, "%s", label);
    e->value = value;
    return e;
}

static tz_group_value *_gfind(_groups *g, const char *key)
{
    for (size_t i = 0; i < g->n; i++)
        if (!strcmp(g->v[i].key, key))
            return &g->v[i];
    return NULL;
}

static int _gcmp(const void *x, const void *y)
{
    return strcmp(((const tz_group_value *)x)->key, ((const tz_group_value *)y)->key);
}

/* Region dimensions and their significant digits. */
static int _region_dim(const char *by, tz_level *lv)
{
    static const struct {
        const char *name;
        tz_level level;
    } dims[] = {{"province", TZ_LEVEL_PROVINCE},
                {"city", TZ_LEVEL_CITY},
                {"county", TZ_LEVEL_COUNTY},
                {"township", TZ_LEVEL_TOWNSHIP},
                {"village", TZ_LEVEL_VILLAGE}};
    for (size_t i = 0; i < sizeof dims / sizeof dims[0]; i++)
        if (!strcmp(by, dims[i].name)) {
            *lv = dims[i].level;
            return tz_level_digits(dims[i].level);
        }
    return 0;
}

/* The SQL expression grouping a plain indicator by `by`, or NULL with a diag. */
static const char *_group_expr(const tzm_ind_def *def, const char *by, char *buf, size_t sz,
                               tz_diags *d)
{
    tz_level lv;
    int digits = _region_dim(by, &lv);
    if (digits) {
        snprintf(buf, sz, "substr(%s, 1, %d)", def->region_col, digits);
        return buf;
    }
    if (!strcmp(by, "year") || !strcmp(by, "month")) {
        int month = by[0] == 'm';
        if (!def->date_col || def->stock || strstr(def->from, "{date}")) {
            tz_diags_error(d, NULL, 0, "--by", by, "指标“%s”是时点存量或没有日期,不能按%s分组",
                           def->pub.name, month ? "月份" : "年度");
            return NULL;
        }
        if (def->date_type == TZ_COL_YEAR) {
            if (month) {
                tz_diags_error(d, NULL, 0, "--by", by, "指标“%s”只记到年度,不能按月份分组",
                               def->pub.name);
                return NULL;
            }
            snprintf(buf, sz, "%s", def->date_col);
        } else {
            snprintf(buf, sz, "substr(%s, 1, %d)", def->date_col, month ? 7 : 4);
        }
        return buf;
    }
    if (!strcmp(by, "unit")) {
        if (!def->unit_col) {
            tz_diags_error(d, NULL, 0, "--by", by, "指标“%s”没有责任单位列,不能按单位分组",
                           def->pub.name);
            return NULL;
        }
        snprintf(buf, sz, "%s", def->unit_col);
        return buf;
    }
    const tzm_dim_def *dim = tzm_dim_find(def->dims, by);
    if (!dim) {
        char names[512];
        tz_indicator_dims(def->pub.name, names, sizeof names);
        tz_diags_error(d, NULL, 0, "--by", by, "指标“%s”不能按此分组,可选: %s", def->pub.name,
                       names);
        return NULL;
    }
    snprintf(buf, sz, "%s", dim->expr);
    return buf;
}

/* Key text of a group value as stored: region prefixes are padded to 12. */
static void _group_key(const char *by, const char *raw, char *key, size_t sz)
{
    tz_level lv;
    if (_region_dim(by, &lv) && raw) {
        snprintf(key, sz, "%s000000000000", raw);
        if (sz > 12)
            key[12] = '\0';
        return;
    }
    snprintf(key, sz, "%s", raw ? raw : "");
}

/* tzm_q_run accumulator of _groups_sql. */
typedef struct _gsql_acc {
    const char *by; /* dimension */
    _groups *g;     /* groups added to */
} _gsql_acc;

/* tzm_q_run callback: adds a (group, value) row to the groups (-1 when out of
 * memory). */
static int _row_group(tz_stmt *st, void *acc)
{
    _gsql_acc *x = acc;
    char key[64];
    _group_key(x->by, tz_stmt_text(st, 0), key, sizeof key);
    tz_group_value *e = _gfind(x->g, key);
    if (e)
        e->value += tz_stmt_double(st, 1);
    else if (!_gadd(x->g, key, key, tz_stmt_double(st, 1)))
        return -1;
    return 0;
}

static int _groups_sql(tz_store *s, const tzm_ind_def *def, const tzm_scope_rt *rt,
                       const tz_period *p, tz_mode mode, const char *by, _groups *g, tz_diags *d)
{
    char expr[1024], select[1400], node[13];
    tzm_ind_def view;
    tz_level lv;
    int digits = 0, by_digits = _region_dim(by, &lv);
    int plan = _agg_plan(def, rt, &view, node, &digits);
    /* summaries answer the region, year and month groupings, and those they keep */
    if (plan && !by_digits && strcmp(by, "year") != 0 && strcmp(by, "month") != 0 &&
        !tzm_dim_find(def->agg.dims, by))
        plan = 0;
    if (plan == 2)
        return _group_expr(def, by, expr, sizeof expr, d) ? 0 : -1;
    const tzm_ind_def *src = plan ? &view : def;
    const char *ge = plan && by_digits ? expr : _group_expr(src, by, expr, sizeof expr, d);
    if (!ge)
        return -1;
    if (plan && by_digits)
        snprintf(expr, sizeof expr, "substr(g.node, 1, %d)", by_digits);
    snprintf(select, sizeof select, "%s, %s", ge, src->value);
    tzm_query q;
    _gsql_acc acc = {by, g};
    tzm_q_init(&q);
    if (plan) {
        char tail[256];
        const char *having = tzm_agg_having(def);
        snprintf(tail, sizeof tail, " GROUP BY 1%s%s ORDER BY 1", having ? " HAVING " : "",
                 having ? having : "");
        _build_agg(&q, &view, node, digits, by_digits, p, mode, select, tail);
    } else
        _build(&q, def, rt, p, mode, select, " GROUP BY 1 ORDER BY 1");
    return tzm_q_run(s, &q, def->pub.name, 1, _row_group, &acc, d);
}

static int _groups_eval(tz_store *s, const tzm_ind_def *def, const tzm_scope_rt *rt,
                        const tz_period *p, tz_mode mode, const char *by, _groups *g, tz_diags *d);

/* Combines two group lists key by key into g. */
static int _combine(const tzm_ind_def *def, _groups *ga, _groups *gb, _groups *g)
{
    for (int pass = 0; pass < 2; pass++) {
        _groups *src = pass ? gb : ga;
        for (size_t i = 0; i < src->n; i++) {
            const char *key = src->v[i].key;
            if (_gfind(g, key))
                continue;
            tz_group_value *x = _gfind(ga, key), *y = _gfind(gb, key);
            double a = x ? x->value : 0, b = y ? y->value : 0, v;
            if (def->kind == TZM_IND_DIFF)
                v = a - b;
            else if (def->kind == TZM_IND_GROWTH)
                v = b != 0 ? (a - b) / b * def->scale : NAN;
            else
                v = b != 0 ? a / b * def->scale : NAN;
            if (!_gadd(g, key, key, v))
                return -1;
        }
    }
    return 0;
}

static int _groups_eval(tz_store *s, const tzm_ind_def *def, const tzm_scope_rt *rt,
                        const tz_period *p, tz_mode mode, const char *by, _groups *g, tz_diags *d)
{
    if (def->kind == TZM_IND_SQL)
        return _groups_sql(s, def, rt, p, mode, by, g, d);
    if (def->kind == TZM_IND_UNAVAILABLE) {
        double v;
        return tzm_eval_rt(s, def, rt, p, mode, &v, d);
    }
    const tzm_ind_def *ca = _component(def->a, d);
    const tzm_ind_def *cb = def->kind == TZM_IND_GROWTH ? ca : _component(def->b, d);
    if (!ca || !cb)
        return -1;
    _groups ga = {0}, gb = {0};
    int rc = -1;
    if (def->kind == TZM_IND_GROWTH) {
        tz_period prev;
        if (_growth_prev(def, p, by, &prev, d) || _groups_eval(s, ca, rt, p, mode, by, &ga, d) ||
            _groups_eval(s, ca, rt, &prev, mode, by, &gb, d))
            goto done;
    } else {
        tz_mode cm = _component_mode(def, mode);
        if (_groups_eval(s, ca, rt, p, cm, by, &ga, d) ||
            _groups_eval(s, cb, rt, p, cm, by, &gb, d))
            goto done;
    }
    rc = _combine(def, &ga, &gb, g);
done:
    free(ga.v);
    free(gb.v);
    return rc;
}

/* Lists the scope's regions at a level, adding a zero (or NAN for a ratio)
 * group for each region without rows, and sets every region's label. */
/* tzm_q_run accumulator of _region_groups and _unit_groups. */
typedef struct _glist_acc {
    const tzm_ind_def *def; /* indicator (its empty value) */
    _groups *g;             /* groups added to */
} _glist_acc;

/* tzm_q_run callback: a region (code, name) gets its label, and a group when it
 * has none (-1 when out of memory). */
static int _row_region(tz_stmt *st, void *acc)
{
    _glist_acc *x = acc;
    const char *code = tz_stmt_text(st, 0), *name = tz_stmt_text(st, 1);
    if (!code)
        return 0;
    tz_group_value *e = _gfind(x->g, code);
    if (!e && !(e = _gadd(x->g, code, code, _empty_value(x->def))))
        return -1;
    snprintf(e->label, sizeof e->label, "%s", name ? name : code);
    return 0;
}

static int _region_groups(tz_store *s, const tzm_ind_def *def, const tzm_scope_rt *rt, tz_level lv,
                          _groups *g, tz_diags *d)
{
    tzm_query q;
    _glist_acc acc = {def, g};
    tzm_q_init(&q);
    tz_buf_puts(&q.sql, "SELECT code, name FROM regions WHERE level = ");
    tzm_q_text(&q, tz_level_word(lv));
    if (rt->has_region)
        tzm_q_region(&q, "code", rt->range.lo, rt->range.hi);
    else if (rt->unit && rt->has_unit_region)
        tzm_q_region(&q, "code", rt->urange.lo, rt->urange.hi);
    tz_buf_puts(&q.sql, " ORDER BY code");
    return tzm_q_run(s, &q, NULL, 0, _row_region, &acc, d);
}

/* Units in the scope, so that units without rows show as zero (NAN for a
 * ratio or growth rate). */
/* tzm_q_run callback: a unit without a group gets one (-1 when out of memory). */
static int _row_unit(tz_stmt *st, void *acc)
{
    _glist_acc *x = acc;
    const char *name = tz_stmt_text(st, 0);
    if (name && !_gfind(x->g, name) && !_gadd(x->g, name, name, _empty_value(x->def)))
        return -1;
    return 0;
}

static int _unit_groups(tz_store *s, const tzm_ind_def *def, const tzm_scope_rt *rt, _groups *g,
                        tz_diags *d)
{
    tzm_query q;
    _glist_acc acc = {def, g};
    tzm_q_init(&q);
    tz_buf_puts(&q.sql, "SELECT name FROM units WHERE 1 = 1");
    if (rt->has_region)
        tzm_q_region(&q, "region", rt->range.lo, rt->range.hi);
    if (rt->unit) {
        tz_buf_puts(&q.sql, " AND name = ");
        tzm_q_text(&q, rt->unit);
    }
    tz_buf_puts(&q.sql, " ORDER BY name");
    return tzm_q_run(s, &q, NULL, 0, _row_unit, &acc, d);
}

int tz_indicator_eval_by(tz_store *s, const char *name, const tz_scope *sc, const tz_period *p,
                         tz_mode mode, const char *by, tz_group_value **out, size_t *n, tz_diags *d)
{
    *out = NULL;
    *n = 0;
    tzm_scope_rt rt;
    const tzm_ind_def *def = _lookup(s, name, sc, 1, by, &rt, d);
    if (!def)
        return -1;
    by = _by_key(def, by);
    _groups g = {0};
    tz_level lv;
    int region = _region_dim(by, &lv) > 0;
    if (_groups_eval(s, def, &rt, p, mode, by, &g, d))
        goto fail;
    if (region && _region_groups(s, def, &rt, lv, &g, d))
        goto fail;
    if (!strcmp(by, "unit") && tzm_has_unit_col(def) && _unit_groups(s, def, &rt, &g, d))
        goto fail;
    if (g.n)
        qsort(g.v, g.n, sizeof *g.v, _gcmp);
    for (size_t i = 0; i < g.n; i++) {
        tz_group_value *e = &g.v[i];
        if (!strcmp(by, "year") && !strcmp(e->label, e->key))
            snprintf(e->label, sizeof e->label, "%s年", e->key);
        else if (!strcmp(by, "month") && strlen(e->key) == 7 && tz_num_digits(e->key + 5, 2) >= 0)
            snprintf(e->label, sizeof e->label, "%.4s年%d月", e->key, tz_num_digits(e->key + 5, 2));
        else if (!e->key[0])
            snprintf(e->label, sizeof e->label, "(未填)");
    }
    *out = g.v;
    *n = g.n;
    return 0;
fail:
    free(g.v);
    return -1;
}

/* ---- provenance ---------------------------------------------------------- */

/* Appends the condition selecting the rows of one group of a plain
 * indicator (see tz_indicator_explain_by). Returns 0, or -1 with a diag. */
static int _group_cond(tzm_query *q, const tzm_ind_def *def, const char *by, const char *key,
                       tz_diags *d)
{
    char expr[1024];
    tz_level lv;
    int digits = _region_dim(by, &lv);
    if (digits) {
        char prefix[13];
        snprintf(prefix, sizeof prefix, "%.*s", digits, key);
        tz_buf_printf(&q->sql, " AND substr(%s, 1, %d) = ", def->region_col, digits);
        tzm_q_text(q, prefix);
        return 0;
    }
    const char *ge = _group_expr(def, by, expr, sizeof expr, d);
    if (!ge)
        return -1;
    int year_int = !strcmp(by, "year") && def->date_type == TZ_COL_YEAR;
    if (!*key)
        tz_buf_printf(&q->sql, year_int ? " AND %s IS NULL" : " AND (%s IS NULL OR %s = '')", ge,
                      ge);
    else if (year_int) {
        /* atoll took "2019abc" for 2019 and "abc" for 0 */
        long long year;
        if (tz_num_int(key, INT_MIN, INT_MAX, &year)) {
            tz_diags_error(d, NULL, 0, "分组", key, "按年度分组时,分组应为年度数字,如2019");
            return -1;
        }
        tz_buf_printf(&q->sql, " AND %s = ", ge);
        tzm_q_int(q, year);
    } else {
        tz_buf_printf(&q->sql, " AND %s = ", ge);
        tzm_q_text(q, key);
    }
    return 0;
}

/* tzm_q_run accumulator of _explain. */
typedef struct _explain_acc {
    const tzm_ind_def *def; /* plain indicator (its ledger) */
    tz_explain_cb cb;       /* caller's callback */
    void *ctx;              /* its context */
    int *stop;              /* set to 1 when cb asks to stop */
} _explain_acc;

/* tzm_q_run callback: passes a row key to the caller's callback; stops (1) when
 * it asks to. */
static int _row_explain(tz_stmt *st, void *acc)
{
    _explain_acc *x = acc;
    const char *k = tz_stmt_text(st, 0);
    if (x->cb(x->ctx, x->def->pub.ledger, k ? k : "")) {
        *x->stop = 1;
        return 1;
    }
    return 0;
}

/* Lists the rows behind a value, or behind one group of it when by is set. */
static int _explain(tz_store *s, const tzm_ind_def *def, const tzm_scope_rt *rt, const tz_period *p,
                    tz_mode mode, const char *by, const char *key, tz_explain_cb cb, void *ctx,
                    int *stop, tz_diags *d)
{
    if (*stop)
        return 0;
    if (def->kind == TZM_IND_UNAVAILABLE) {
        double v;
        return tzm_eval_rt(s, def, rt, p, mode, &v, d);
    }
    if (def->kind != TZM_IND_SQL) {
        const tzm_ind_def *ca = _component(def->a, d);
        if (!ca)
            return -1;
        if (def->kind == TZM_IND_GROWTH) {
            tz_period prev;
            if (_growth_prev(def, p, by, &prev, d))
                return -1;
            return _explain(s, ca, rt, p, mode, by, key, cb, ctx, stop, d) ||
                           _explain(s, ca, rt, &prev, mode, by, key, cb, ctx, stop, d)
                       ? -1
                       : 0;
        }
        const tzm_ind_def *cb2 = _component(def->b, d);
        if (!cb2)
            return -1;
        tz_mode cm = _component_mode(def, mode);
        return _explain(s, ca, rt, p, cm, by, key, cb, ctx, stop, d) ||
                       _explain(s, cb2, rt, p, cm, by, key, cb, ctx, stop, d)
                   ? -1
                   : 0;
    }
    tzm_query q;
    _explain_acc acc = {def, cb, ctx, stop};
    tzm_q_init(&q);
    char select[512];
    snprintf(select, sizeof select, "DISTINCT %s", def->key_expr);
    _build(&q, def, rt, p, mode, select, NULL);
    if (by && _group_cond(&q, def, by, key ? key : "", d)) {
        tzm_q_free(&q);
        return -1;
    }
    /* a sum: rows that add nothing (0 or empty) are not behind the value */
    size_t vlen = strlen(def->value);
    if (!strncmp(def->value, "SUM(", 4) && def->value[vlen - 1] == ')')
        tz_buf_printf(&q.sql, " AND COALESCE(%.*s, 0) <> 0", (int)(vlen - 5), def->value + 4);
    tz_buf_puts(&q.sql, " ORDER BY 1");
    return tzm_q_run(s, &q, def->pub.name, 0, _row_explain, &acc, d);
}

int tz_indicator_explain(tz_store *s, const char *name, const tz_scope *sc, const tz_period *p,
                         tz_mode mode, tz_explain_cb cb, void *ctx, tz_diags *d)
{
    tzm_scope_rt rt;
    int stop = 0;
    const tzm_ind_def *def = _lookup(s, name, sc, 0, NULL, &rt, d);
    return def ? _explain(s, def, &rt, p, mode, NULL, NULL, cb, ctx, &stop, d) : -1;
}

int tz_indicator_explain_by(tz_store *s, const char *name, const tz_scope *sc, const tz_period *p,
                            tz_mode mode, const char *by, const char *key, tz_explain_cb cb,
                            void *ctx, tz_diags *d)
{
    tzm_scope_rt rt;
    int stop = 0;
    const tzm_ind_def *def = _lookup(s, name, sc, 1, by, &rt, d);
    return def ? _explain(s, def, &rt, p, mode, _by_key(def, by), key ? key : "", cb, ctx, &stop, d)
               : -1;
}
