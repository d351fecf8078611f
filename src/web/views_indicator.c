/* views_indicator.c - `indicator` as data and as JSON: what is asked
 * (indicator, mode, split), the value with 同比 and its split, the ledger
 * rows behind it, and the object `indicator --json` prints and
 * GET /api/indicators/{name} sends. */
#include "web/views.h"
#include "util/buf.h"
#include <stdlib.h>
#include <string.h>

char *tz_view_dim_choices(const tz_indicator *ind)
{
    tz_dim dims[TZ_DIMS_MAX];
    size_t n = tz_indicator_dim_list(ind, dims, TZ_DIMS_MAX);
    tz_buf b = TZ_BUF_INIT;
    for (size_t i = 0; i < n && i < TZ_DIMS_MAX; i++)
        tz_buf_printf(&b, "%s%s(%s)", i ? "、" : "", dims[i].key, dims[i].label);
    if (n == 0)
        tz_buf_puts(&b, "(无)");
    return tz_buf_take(&b);
}

int tz_view_indicator_parse(const char *name, const char *mode, const char *by,
                            tz_view_indicator_ask *q, tz_diags *d)
{
    memset(q, 0, sizeof *q);
    q->mode = TZ_MODE_PERIOD;
    if (!name || !(q->ind = tz_indicator_find(name))) {
        tz_diags_error(d, NULL, 0, "指标", name ? name : "", "没有这个指标");
        return 1;
    }
    if (mode && tz_mode_parse(mode, &q->mode)) {
        tz_diags_error(d, NULL, 0, "口径", mode, "不是可用的模式,可选: %s", tz_mode_choices());
        return 1;
    }
    if (by && tz_dim_parse(q->ind, by, &q->by)) {
        char *choices = tz_view_dim_choices(q->ind);
        tz_diags_error(d, NULL, 0, "分组", by, "指标“%s”不能按这个维度分组,可选: %s", q->ind->name,
                       choices ? choices : "");
        free(choices);
        q->by = NULL;
        return 1;
    }
    return 0;
}

int tz_view_indicator_run(tz_store *s, const tz_view_indicator_ask *q, const tz_view_scope *o,
                          tz_view_indicator_answer *r, tz_diags *d)
{
    const char *name = q->ind->name;
    memset(r, 0, sizeof *r);
    if (tz_indicator_eval(s, name, &o->sc, &o->p, q->mode, &r->value, d) ||
        (q->by && tz_indicator_eval_by(s, name, &o->sc, &o->p, q->mode, q->by, &r->g, &r->ng, d)))
        return -1;
    tz_indicator_yoy(s, name, &o->sc, &o->p, q->mode, r->value, &r->yoy);
    return 0;
}

void tz_view_indicator_answer_free(tz_view_indicator_answer *r)
{
    if (!r)
        return;
    free(r->g);
    r->g = NULL;
    r->ng = 0;
}

json_t *tz_view_yoy_json(const tz_yoy *y)
{
    json_t *jy = json_object();
    json_object_set_new(jy, "period", tz_view_period_json(&y->prev));
    json_object_set_new(jy, "value", tz_view_num(y->prev_value));
    json_object_set_new(jy, "change", tz_view_num(y->change));
    json_object_set_new(jy, "rate", tz_view_num(y->rate));
    return jy;
}

json_t *tz_view_indicator_json(const tz_view_indicator_ask *q, const tz_view_scope *o,
                               const tz_view_indicator_answer *r)
{
    const tz_indicator *ind = q->ind;
    json_t *root = json_object();
    json_object_set_new(root, "indicator", json_string(ind->name));
    json_object_set_new(root, "unit", json_string(ind->unit));
    json_object_set_new(root, "ledger", json_string(ind->ledger));
    json_object_set_new(root, "summary", json_string(ind->summary));
    json_object_set_new(root, "scope", tz_view_scope_json(o));
    json_object_set_new(root, "period", tz_view_scope_period_json(o));
    json_object_set_new(root, "mode", json_string(tz_mode_name(q->mode)));
    json_object_set_new(root, "value", tz_view_num(r->value));
    if (r->yoy.have)
        json_object_set_new(root, "year_on_year", tz_view_yoy_json(&r->yoy));
    if (q->by) {
        json_object_set_new(root, "by", json_string(q->by));
        json_object_set_new(root, "groups", tz_view_groups_json(r->g, r->ng));
    }
    return root;
}

/* Appends {"ledger", "key"} of one row behind the value to the array ctx. */
static int _explain_row(void *ctx, const char *ledger, const char *key)
{
    json_t *o = json_object();
    json_object_set_new(o, "ledger", json_string(ledger));
    json_object_set_new(o, "key", json_string(key));
    return json_array_append_new(ctx, o) ? -1 : 0;
}

/* Sets "rows" of root to the ledger rows behind the value. Returns 0, or -1
 * with the reason in d. */
static int _explain(tz_store *s, const tz_view_indicator_ask *q, const tz_view_scope *o,
                    json_t *root, tz_diags *d)
{
    json_t *rows = json_array();
    if (tz_indicator_explain(s, q->ind->name, &o->sc, &o->p, q->mode, _explain_row, rows, d)) {
        json_decref(rows);
        return -1;
    }
    json_object_set_new(root, "rows", rows);
    return 0;
}

int tz_view_indicator(tz_store *s, const char *name, const tz_view_scope *o, const char *mode,
                      const char *by, int explain, json_t **out, tz_diags *d)
{
    tz_view_indicator_ask q;
    tz_view_indicator_answer r = {0};
    json_t *root = NULL;
    int rc;
    *out = NULL;
    if ((rc = tz_view_indicator_parse(name, mode, by, &q, d)))
        goto done;
    rc = -1;
    if (tz_view_indicator_run(s, &q, o, &r, d))
        goto done;
    if (!(root = tz_view_indicator_json(&q, o, &r))) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "内存不足");
        goto done;
    }
    if (explain && _explain(s, &q, o, root, d))
        goto done;
    *out = root;
    root = NULL;
    rc = 0;
done:
    json_decref(root);
    tz_view_indicator_answer_free(&r);
    return rc;
}
