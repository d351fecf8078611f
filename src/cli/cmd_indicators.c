/* cmd_indicators.c - `indicators`: every indicator (name, unit, ledger,
 * summary, dimensions) and every rule of `check`, as text or JSON. */
#include "cli/scope.h"
#include <stdio.h>

static void _indicators_json(const tz_indicator *all, size_t n, const tz_rule_info *rules,
                             size_t nr)
{
    char dims[1024];
    json_t *root = json_object(), *ji = json_array(), *jr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "name", json_string(all[i].name));
        json_object_set_new(e, "unit", json_string(all[i].unit));
        json_object_set_new(e, "ledger", json_string(all[i].ledger));
        json_object_set_new(e, "summary", json_string(all[i].summary));
        json_object_set_new(e, "by",
                            json_string(tz_indicator_dims(all[i].name, dims, sizeof dims)));
        json_array_append_new(ji, e);
    }
    for (size_t i = 0; i < nr; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "id", json_string(rules[i].id));
        json_object_set_new(e, "level", json_string(tz_view_level_word(rules[i].level)));
        json_object_set_new(e, "summary", json_string(rules[i].summary));
        json_array_append_new(jr, e);
    }
    json_object_set_new(root, "indicators", ji);
    json_object_set_new(root, "rules", jr);
    tz_cli_jprint(root);
    json_decref(root);
}

static void _indicators_text(const tz_indicator *all, size_t n, const tz_rule_info *rules,
                             size_t nr)
{
    char dims[1024];
    printf("指标(%zu个):\n", n);
    for (size_t i = 0; i < n; i++) {
        printf("  %s [%s] %s\n", all[i].name, all[i].unit, all[i].summary);
        tz_indicator_dims(all[i].name, dims, sizeof dims);
        printf("      台账 %s;分组 %s\n", all[i].ledger, dims[0] ? dims : "(无)");
    }
    printf("\n规则(%zu条):\n", nr);
    for (size_t i = 0; i < nr; i++)
        printf("  %-22s [%s] %s\n", rules[i].id, tz_view_level_word(rules[i].level),
               rules[i].summary);
}

int tz_cmd_indicators(int argc, char **argv, const tz_command *self)
{
    static const tz_opt_spec opts[] = {{.name = "--json"}, {.name = NULL}};
    static const tz_cli_form form = {
        .opts = opts,
        .npos_min = 0,
        .npos_max = 0,
        .npos_msg = "不需要位置参数",
        .help = "每个指标的名称、单位、来源台账、说明和可用的分组维度,以及规则检查的全部规则。\n"};
    tz_args a;
    int rc;
    if (!tz_cli_begin(argc, argv, self, &form, &a, &rc))
        return rc;
    size_t n, nr;
    const tz_indicator *all = tz_indicator_all(&n);
    const tz_rule_info *rules = tz_rules_all(&nr);
    if (tz_args_has(&a, "--json"))
        _indicators_json(all, n, rules, nr);
    else
        _indicators_text(all, n, rules, nr);
    return TZ_EXIT_OK;
}
