/* dims.c - the --by dimensions of an indicator: which ones it accepts (the
 * region levels, year/month when it is dated, unit when it has a unit
 * column, and the ledger's own categories listed in its definition), their
 * English keys and Chinese labels, and parsing a --by argument in either.
 * eval.c turns a dimension into SQL; this file only names them.
 */
#include "metrics/metrics_impl.h"
#include <stdio.h>
#include <string.h>

/* Dimensions every indicator of a kind shares, with their labels. */
static const tz_dim _regions[] = {{"county", "县区"}, {"township", "乡镇"}, {"village", "村"}};
static const tz_dim _year = {"year", "年度"};
static const tz_dim _month = {"month", "月份"};
static const tz_dim _unit = {"unit", "责任单位"};
/* Accepted by tz_indicator_eval_by and labelled, but not listed. */
static const tz_dim _upper[] = {{"province", "省"}, {"city", "市"}};

int tzm_has_unit_col(const tzm_ind_def *def)
{
    if (def->kind == TZM_IND_SQL)
        return def->unit_col != NULL;
    const tzm_ind_def *a = tzm_ind_def_find(def->a);
    const tzm_ind_def *b = def->b ? tzm_ind_def_find(def->b) : a;
    return a && b && tzm_has_unit_col(a) && tzm_has_unit_col(b);
}

/* Appends one dimension when there is room; counts it either way. */
static void _put(tz_dim *out, size_t max, size_t *n, const char *key, const char *label)
{
    if (*n < max) {
        out[*n].key = key;
        out[*n].label = label;
    }
    (*n)++;
}

/* The plain (SQL) indicator whose dimensions a composite offers: its first
 * component, followed through nested composites; NULL when none. */
static const tzm_ind_def *_plain_of(const tzm_ind_def *def)
{
    const tzm_ind_def *plain = def;
    while (plain && plain->kind != TZM_IND_SQL && plain->a)
        plain = tzm_ind_def_find(plain->a);
    return plain && plain->kind == TZM_IND_SQL ? plain : NULL;
}

size_t tzm_dim_list(const tzm_ind_def *def, tz_dim *out, size_t max)
{
    size_t n = 0;
    const tzm_ind_def *plain = def ? _plain_of(def) : NULL;
    if (!plain)
        return 0;
    for (size_t i = 0; i < sizeof _regions / sizeof _regions[0]; i++)
        _put(out, max, &n, _regions[i].key, _regions[i].label);
    if (plain->date_col && !plain->stock && !strstr(plain->from, "{date}") &&
        def->kind != TZM_IND_GROWTH) {
        _put(out, max, &n, _year.key, _year.label);
        if (plain->date_type != TZ_COL_YEAR)
            _put(out, max, &n, _month.key, _month.label);
    }
    if (tzm_has_unit_col(def))
        _put(out, max, &n, _unit.key, _unit.label);
    const tzm_ind_def *other = def->b ? tzm_ind_def_find(def->b) : NULL;
    for (size_t i = 0; plain->dims && plain->dims[i].name; i++) {
        /* a ratio splits by a category only when both parts have it */
        if (other && other->kind == TZM_IND_SQL && !tzm_dim_find(other->dims, plain->dims[i].name))
            continue;
        _put(out, max, &n, plain->dims[i].name, plain->dims[i].label);
    }
    return n;
}

size_t tz_indicator_dim_list(const tz_indicator *ind, tz_dim *out, size_t max)
{
    return ind ? tzm_dim_list(tzm_ind_def_find(ind->name), out, max) : 0;
}

/* Looks text up among n dimensions by key or label: 1 and *key set, or 0. */
static int _find(const tz_dim *dims, size_t n, const char *text, const char **key)
{
    for (size_t i = 0; i < n && i < TZ_DIMS_MAX; i++)
        if (!strcmp(dims[i].key, text) || !strcmp(dims[i].label, text)) {
            *key = dims[i].key;
            return 1;
        }
    return 0;
}

/* "kind" names the ledger's first own category when the indicator offers
 * it: 1 and *key set, or 0. */
static int _find_kind(const tzm_ind_def *def, const tz_dim *dims, size_t n, const char *text,
                      const char **key)
{
    const tzm_ind_def *plain = def && !strcmp(text, "kind") ? _plain_of(def) : NULL;
    const tzm_dim_def *kind = plain ? tzm_dim_find(plain->dims, "kind") : NULL;
    return kind && _find(dims, n, kind->name, key);
}

int tz_dim_parse(const tz_indicator *ind, const char *text, const char **key)
{
    tz_dim dims[TZ_DIMS_MAX];
    const tzm_ind_def *def = ind ? tzm_ind_def_find(ind->name) : NULL;
    size_t n = tzm_dim_list(def, dims, TZ_DIMS_MAX);
    if (!text)
        return -1;
    return _find(dims, n, text, key) || _find_kind(def, dims, n, text, key) ? 0 : -1;
}

const char *tz_indicator_dims(const char *name, char *buf, size_t sz)
{
    tz_dim dims[TZ_DIMS_MAX];
    size_t n = tzm_dim_list(tzm_ind_def_find(name), dims, TZ_DIMS_MAX);
    tz_buf b = TZ_BUF_INIT;
    for (size_t i = 0; i < n && i < TZ_DIMS_MAX; i++)
        tz_buf_printf(&b, "%s%s", i ? "、" : "", dims[i].key);
    snprintf(buf, sz, "%s", tz_buf_str(&b));
    tz_buf_free(&b);
    return buf;
}

const char *tz_indicator_dim_label(const char *indicator, const char *by)
{
    for (size_t i = 0; i < sizeof _upper / sizeof _upper[0]; i++)
        if (!strcmp(_upper[i].key, by))
            return _upper[i].label;
    tz_dim dims[TZ_DIMS_MAX];
    size_t n = tzm_dim_list(tzm_ind_def_find(indicator), dims, TZ_DIMS_MAX);
    const char *key = NULL;
    if (_find(dims, n, by, &key) || _find_kind(tzm_ind_def_find(indicator), dims, n, by, &key))
        for (size_t i = 0; i < n; i++)
            if (dims[i].key == key)
                return dims[i].label;
    /* the common names label even where the indicator lacks them */
    static const tz_dim *const common[] = {&_regions[0], &_regions[1], &_regions[2],
                                           &_year,       &_month,      &_unit};
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
        if (!strcmp(common[i]->key, by))
            return common[i]->label;
    return by;
}
