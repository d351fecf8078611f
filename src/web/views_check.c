/* views_check.c - `check` as data and as JSON: the targets of a scope
 * (已完成/未完成/力争 at the year's end, 超序时进度/达到序时进度/滞后于序时进度
 * in-year: metrics' judgement, tz_status), the rule findings and the key figures, their counts,
 * and the object `check --json` prints and GET /api/check sends. */
#include "web/views.h"
#include <stdlib.h>
#include <string.h>

/* The counts of the conclusion, and whether the check failed. */
static void _tally(tz_view_check_data *r)
{
    r->met = r->not_met = r->aspirations = r->problems = r->quality = 0;
    r->ahead = r->on_schedule = r->behind = 0;
    int failed = 0;
    for (size_t i = 0; i < r->nt; i++) {
        switch (r->t[i].status) {
        case TZ_STATUS_MET:
            r->met++;
            break;
        case TZ_STATUS_NOT_MET:
            r->not_met++;
            break;
        case TZ_STATUS_ASPIRATION:
            r->aspirations++;
            break;
        case TZ_STATUS_AHEAD:
            r->ahead++;
            break;
        case TZ_STATUS_ON_SCHEDULE:
            r->on_schedule++;
            break;
        case TZ_STATUS_BEHIND:
            r->behind++;
            break;
        }
        failed |= tz_status_failed(r->t[i].status);
    }
    for (size_t i = 0; i < r->nf; i++)
        (*(r->f[i].level == TZ_FINDING_PROBLEM ? &r->problems : &r->quality))++;
    r->failed = failed || r->nf > 0;
}

int tz_view_check_run(tz_store *s, const tz_view_scope *o, tz_view_check_data *r, tz_diags *d)
{
    memset(r, 0, sizeof *r);
    int snap = tz_metrics_snapshot(s); /* targets, rules and figures of one state */
    int bad = tz_targets_check(s, &o->sc, &o->p, &r->t, &r->nt, d) ||
              tz_rules_check(s, &o->sc, &o->p, &r->f, &r->nf, d) ||
              tz_key_figures(s, &o->sc, &o->p, &r->k, &r->nk, d);
    if (snap == 1)
        tz_store_read_end(s);
    if (bad) {
        tz_view_check_data_free(r);
        return -1;
    }
    _tally(r);
    return 0;
}

void tz_view_check_data_free(tz_view_check_data *r)
{
    if (!r)
        return;
    free(r->t);
    tz_findings_free(r->f, r->nf);
    tz_key_figures_free(r->k, r->nk);
    memset(r, 0, sizeof *r);
}

static json_t *_targets_json(const tz_target_result *t, size_t nt)
{
    json_t *jt = json_array();
    for (size_t i = 0; i < nt; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "unit", json_string(t[i].unit));
        json_object_set_new(e, "unit_kind", json_string(t[i].unit_kind));
        json_object_set_new(e, "region", json_string(t[i].region));
        json_object_set_new(e, "year", json_integer(t[i].year));
        json_object_set_new(e, "indicator", json_string(t[i].indicator));
        json_object_set_new(e, "actual", tz_view_num(t[i].actual));
        json_object_set_new(e, "target", tz_view_num(t[i].target));
        json_object_set_new(e, "gap", tz_view_num(t[i].gap));
        json_object_set_new(e, "status", json_string(tz_status_word(t[i].status)));
        json_object_set_new(e, "failed", json_boolean(tz_status_failed(t[i].status)));
        json_object_set_new(e, "schedule", tz_view_num(t[i].schedule));
        json_object_set_new(e, "progress", tz_view_num(t[i].progress));
        json_object_set_new(e, "behind_points",
                            t[i].status == TZ_STATUS_BEHIND ? tz_view_num(t[i].behind)
                                                            : json_null());
        json_object_set_new(e, "year_end", json_boolean(t[i].year_end));
        json_object_set_new(e, "is_default", json_boolean(t[i].is_default));
        json_object_set_new(e, "origin", json_string(t[i].origin));
        json_object_set_new(e, "basis", json_string(t[i].basis));
        json_array_append_new(jt, e);
    }
    return jt;
}

/* The 、-joined keys of a finding (all of them; NULL: none) as an array. */
static json_t *_keys_json(const char *keys)
{
    json_t *arr = json_array();
    const char *sep = "、";
    for (const char *p = keys ? keys : ""; *p;) {
        const char *q = strstr(p, sep);
        size_t n = q ? (size_t)(q - p) : strlen(p);
        json_array_append_new(arr, json_stringn(p, n));
        if (!q)
            break;
        p = q + strlen(sep);
    }
    return arr;
}

static json_t *_findings_json(const tz_finding *f, size_t nf)
{
    json_t *jf = json_array();
    for (size_t i = 0; i < nf; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "rule", json_string(f[i].rule));
        json_object_set_new(e, "level", json_string(tz_view_level_word(f[i].level)));
        json_object_set_new(e, "message", json_string(f[i].message));
        json_object_set_new(e, "ledger", json_string(f[i].ledger));
        json_object_set_new(e, "keys", _keys_json(f[i].keys));
        json_object_set_new(e, "count", json_integer(f[i].count));
        json_object_set_new(e, "amount", tz_view_num(f[i].amount));
        json_array_append_new(jf, e);
    }
    return jf;
}

static json_t *_figures_json(const tz_key_figure *kf, size_t nkf)
{
    json_t *jk = json_array();
    for (size_t i = 0; i < nkf; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "topic", json_string(kf[i].topic));
        json_object_set_new(e, "indicator", json_string(kf[i].indicator));
        json_object_set_new(e, "unit", json_string(kf[i].unit));
        json_object_set_new(e, "mode", json_string(tz_mode_name(kf[i].mode)));
        json_object_set_new(e, "value", tz_view_num(kf[i].value));
        if (kf[i].by) {
            json_object_set_new(e, "by", json_string(kf[i].by));
            json_object_set_new(e, "groups", tz_view_groups_json(kf[i].groups, kf[i].ngroups));
        }
        json_array_append_new(jk, e);
    }
    return jk;
}

json_t *tz_view_check_json(const tz_view_scope *o, const tz_view_check_data *r)
{
    json_t *root = json_object();
    json_object_set_new(root, "scope", tz_view_scope_json(o));
    json_object_set_new(root, "period", tz_view_scope_period_json(o));
    json_object_set_new(root, "figures", _figures_json(r->k, r->nk));
    json_object_set_new(root, "targets", _targets_json(r->t, r->nt));
    json_object_set_new(root, "findings", _findings_json(r->f, r->nf));
    json_t *sum = json_object();
    json_object_set_new(sum, "targets", json_integer((json_int_t)r->nt));
    json_object_set_new(sum, "met", json_integer((json_int_t)r->met));
    json_object_set_new(sum, "not_met", json_integer((json_int_t)r->not_met));
    json_object_set_new(sum, "aspirations", json_integer((json_int_t)r->aspirations));
    json_object_set_new(sum, "ahead", json_integer((json_int_t)r->ahead));
    json_object_set_new(sum, "on_schedule", json_integer((json_int_t)r->on_schedule));
    json_object_set_new(sum, "behind", json_integer((json_int_t)r->behind));
    json_object_set_new(sum, "problems", json_integer((json_int_t)r->problems));
    json_object_set_new(sum, "data_quality", json_integer((json_int_t)r->quality));
    json_object_set_new(sum, "failed", json_boolean(r->failed));
    json_object_set_new(root, "summary", sum);
    return root;
}

int tz_view_check(tz_store *s, const tz_view_scope *o, json_t **out, int *failed, tz_diags *d)
{
    tz_view_check_data r;
    *out = NULL;
    *failed = 0;
    if (tz_view_check_run(s, o, &r, d))
        return -1;
    *out = tz_view_check_json(o, &r);
    *failed = r.failed;
    tz_view_check_data_free(&r);
    if (!*out) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "内存不足");
        return -1;
    }
    return 0;
}
