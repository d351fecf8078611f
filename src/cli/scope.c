/* scope.c - --region, --unit and --period of the metrics commands, and the
 * text and JSON pieces check and indicator share. */
#include "cli/scope.h"
#include <stdio.h>
#include <string.h>

/* --unit: the unit must be in the 责任单位 ledger. */
static int _unit(tz_store *s, const char *unit, const char *usage)
{
    int r = tz_unit_get(s, unit, NULL, 0, NULL);
    if (r < 0) {
        fprintf(stderr, "数据库查询失败: %s\n", tz_store_errmsg(s));
        return TZ_EXIT_ENV;
    }
    if (r == 0)
        return tz_usage_error(usage, "--unit \"%s\": 责任单位台账中没有这个单位", unit);
    return TZ_EXIT_OK;
}

/* --period, or the latest year with data. */
static int _period(tz_store *s, const char *period, const char *usage, tz_cli_scope *o)
{
    if (period) {
        const char *why = NULL;
        if (tz_period_parse(period, &o->p, &why))
            return tz_usage_error(usage, "--period \"%s\": %s", period, why);
        return TZ_EXIT_OK;
    }
    int r = tz_period_latest(s, &o->p);
    if (r < 0) {
        fprintf(stderr, "数据库查询失败: %s\n", tz_store_errmsg(s));
        return TZ_EXIT_ENV;
    }
    if (r == 0)
        return tz_usage_error(usage, "数据库中没有带日期的记录,请用 --period 指定期间");
    o->period_default = 1;
    return TZ_EXIT_OK;
}

int tz_cli_scope_get(tz_store *s, const tz_args *a, const char *usage, tz_cli_scope *o)
{
    memset(o, 0, sizeof *o);
    const char *region = tz_args_get(a, "--region");
    const char *unit = tz_args_get(a, "--unit");
    int rc;
    if (region) {
        tz_diags d = TZ_DIAGS_INIT;
        rc = tz_region_resolve(s, region, o->code, &d);
        tz_print_diags(&d);
        tz_diags_clear(&d);
        if (rc)
            return TZ_EXIT_USAGE;
        o->sc.region = o->code;
        tz_region_get(s, o->code, o->region_name, sizeof o->region_name, NULL);
    }
    if (unit) {
        if ((rc = _unit(s, unit, usage)))
            return rc;
        o->sc.unit = unit;
    }
    return _period(s, tz_args_get(a, "--period"), usage, o);
}

const char *tz_cli_scope_words(const tz_cli_scope *o, char *buf, size_t sz)
{
    if (o->sc.region && o->sc.unit)
        snprintf(buf, sz, "%s(%s) %s", o->region_name, o->code, o->sc.unit);
    else if (o->sc.region)
        snprintf(buf, sz, "%s(%s)", o->region_name, o->code);
    else if (o->sc.unit)
        snprintf(buf, sz, "%s", o->sc.unit);
    else
        snprintf(buf, sz, "全部区划");
    return buf;
}

json_t *tz_cli_scope_json(const tz_cli_scope *o)
{
    json_t *j = json_object();
    json_object_set_new(j, "region", o->sc.region ? json_string(o->sc.region) : json_null());
    json_object_set_new(j, "region_name", o->sc.region ? json_string(o->region_name) : json_null());
    json_object_set_new(j, "unit", o->sc.unit ? json_string(o->sc.unit) : json_null());
    return j;
}

json_t *tz_cli_period_json(const tz_period *p)
{
    char words[64];
    json_t *o = json_object();
    json_object_set_new(o, "label", json_string(p->label));
    json_object_set_new(o, "words", json_string(tz_period_words(p, words, sizeof words)));
    json_object_set_new(o, "start", json_string(p->start));
    json_object_set_new(o, "end", json_string(p->end));
    return o;
}

json_t *tz_cli_scope_period_json(const tz_cli_scope *o)
{
    json_t *jp = tz_cli_period_json(&o->p);
    json_object_set_new(jp, "default", json_boolean(o->period_default));
    return jp;
}

const char *tz_cli_level_word(tz_finding_level lv)
{
    return lv == TZ_FINDING_PROBLEM ? "问题" : "数据质量";
}

json_t *tz_cli_groups_json(const tz_group_value *g, size_t ng)
{
    json_t *ja = json_array();
    for (size_t i = 0; i < ng; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "key", json_string(g[i].key));
        json_object_set_new(e, "label", json_string(g[i].label));
        json_object_set_new(e, "value", tz_cli_jnum(g[i].value));
        json_array_append_new(ja, e);
    }
    return ja;
}
