/* cmd_indicator.c - `indicator`: one indicator for a scope and period, with
 * the same period a year earlier (同比), optionally split by a dimension
 * (--by) and with the ledger rows behind it (--explain), as text or JSON
 * (computed and shaped by web/views_indicator.c). */
#include "cli/scope.h"
#include "util/text.h"
#include "util/buf.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --mode, English or Chinese (tz_mode_parse): 0 and *mode set, or a usage
 * status listing the names. */
static int _mode(const tz_args *a, const char *usage, tz_mode *mode)
{
    const char *m = tz_args_get(a, "--mode");
    char shown[TZ_CLI_ECHO_SIZE];
    *mode = TZ_MODE_PERIOD;
    if (!m || tz_mode_parse(m, mode) == 0)
        return 0;
    return tz_usage_error(usage, "--mode \"%s\" 不是可用的模式,可选: %s",
                          tz_cli_echo(m, shown, sizeof shown), tz_mode_choices());
}

/* --by, an English key or the Chinese column name (tz_dim_parse): 0 and *by
 * set to the key (NULL when not given), or a usage status listing the
 * dimensions the indicator has. */
static int _by(const tz_args *a, const tz_indicator *ind, const char *usage, const char **by)
{
    const char *text = tz_args_get(a, "--by");
    *by = NULL;
    if (!text || tz_dim_parse(ind, text, by) == 0)
        return 0;
    char *choices = tz_view_dim_choices(ind);
    char shown[TZ_CLI_ECHO_SIZE];
    int rc = tz_usage_error(usage, "指标“%s”不能按 \"%s\" 分组,可选: %s", ind->name,
                            tz_cli_echo(text, shown, sizeof shown), choices ? choices : "");
    free(choices);
    return rc;
}

/* ---- text ---------------------------------------------------------------- */

static const char *_mode_word(tz_mode m)
{
    return m == TZ_MODE_TODATE ? "累计(截至期末)" : m == TZ_MODE_ALL ? "全部(不限日期)" : "期间内";
}

/* The indicator, scope, period and value lines. */
static void _value_text(const tz_view_indicator_ask *q, const tz_view_scope *o, double value)
{
    const tz_indicator *ind = q->ind;
    char words[64], scope[256], v[32], unit_paren[64];
    snprintf(unit_paren, sizeof unit_paren, "(%s)", ind->unit);
    size_t nl = strlen(ind->name), ul = strlen(unit_paren);
    int has_unit = nl >= ul && !strcmp(ind->name + nl - ul, unit_paren);
    printf("指标: %s%s— %s\n", ind->name, has_unit ? "" : unit_paren, ind->summary);
    printf("范围: %s\n", tz_cli_scope_words(o, scope, sizeof scope));
    printf("期间: %s(%s至%s),%s%s\n", tz_period_words(&o->p, words, sizeof words), o->p.start,
           o->p.end, _mode_word(q->mode),
           o->period_default ? ";未指定 --period,取有数据的最近年度" : "");
    printf("数值: %s %s\n", tz_fmt_decimal(value, 2, v, sizeof v), ind->unit);
}

static void _yoy_text(const tz_indicator *ind, const tz_yoy *y)
{
    char pv[32], ch[32], pw[64], rate[48] = "";
    if (!y->have)
        return;
    if (!isnan(y->rate)) {
        char rt[32];
        snprintf(rate, sizeof rate, ",%s%s%%", y->rate >= 0 ? "增长" : "下降",
                 tz_fmt_decimal(fabs(y->rate), 2, rt, sizeof rt));
    }
    printf("同比: 上年同期(%s)%s %s,%s%s %s%s\n", tz_period_words(&y->prev, pw, sizeof pw),
           tz_fmt_decimal(y->prev_value, 2, pv, sizeof pv), ind->unit,
           y->change >= 0 ? "增加" : "减少", tz_fmt_decimal(fabs(y->change), 2, ch, sizeof ch),
           ind->unit, rate);
}

static void _groups_text(const tz_view_indicator_ask *q, const tz_group_value *g, size_t ng)
{
    char v[32];
    size_t w = 4;
    for (size_t i = 0; i < ng; i++)
        if (tz_text_width(g[i].label) > w)
            w = tz_text_width(g[i].label);
    printf("\n按%s分组(%zu组):\n", tz_indicator_dim_label(q->ind->name, q->by), ng);
    for (size_t i = 0; i < ng; i++) {
        fputs("  ", stdout);
        tz_text_fpad(stdout, g[i].label, w + 2);
        if (strcmp(g[i].label, g[i].key) != 0)
            tz_text_fpad(stdout, g[i].key, 12 + 2);
        printf("%s\n", tz_fmt_decimal(g[i].value, 2, v, sizeof v));
    }
}

static void _indicator_text(const tz_view_indicator_ask *q, const tz_view_scope *o,
                            const tz_view_indicator_answer *r)
{
    _value_text(q, o, r->value);
    _yoy_text(q->ind, &r->yoy);
    if (q->by)
        _groups_text(q, r->g, r->ng);
}

/* ---- --explain (text; the JSON "rows" are web/views_indicator.c's) -------- */

/* Prints one ledger row behind the value and counts it in ctx (a size_t). */
static int _explain_row(void *ctx, const char *ledger, const char *key)
{
    const tz_ledger *l = tz_ledger_find(ledger);
    (*(size_t *)ctx)++;
    printf("  %s %s\n", l ? l->name : ledger, key);
    return 0;
}

/* Prints the ledger rows behind the value. Returns 0, or -1 with the reason
 * in d. */
static int _explain_text(tz_store *s, const tz_view_indicator_ask *q, const tz_view_scope *o,
                         tz_diags *d)
{
    size_t n = 0;
    printf("\n来源记录(台账 键值):\n");
    if (tz_indicator_explain(s, q->ind->name, &o->sc, &o->p, q->mode, _explain_row, &n, d))
        return -1;
    printf("共%zu条记录\n", n);
    return 0;
}

/* ---- the command --------------------------------------------------------- */

/* The text form: computes, prints, and with --explain lists the rows.
 * Returns 0, or -1 with the reason in d. */
static int _run_text(tz_store *s, const tz_view_indicator_ask *q, const tz_view_scope *o,
                     int explain, tz_diags *d)
{
    tz_view_indicator_answer r;
    int rc = -1;
    if (tz_view_indicator_run(s, q, o, &r, d))
        goto done;
    _indicator_text(q, o, &r);
    if (explain && _explain_text(s, q, o, d))
        goto done;
    rc = 0;
done:
    tz_view_indicator_answer_free(&r);
    return rc;
}

/* The JSON form (tz_view_indicator, as GET /api/indicators/{name}).
 * Returns 0, or -1 with the reason in d. */
static int _run_json(tz_store *s, const tz_args *a, const tz_view_scope *o, tz_diags *d)
{
    json_t *root = NULL;
    if (tz_view_indicator(s, a->pos[1], o, tz_args_get(a, "--mode"), tz_args_get(a, "--by"),
                          tz_args_has(a, "--explain"), &root, d))
        return -1;
    tz_cli_jprint(root);
    json_decref(root);
    return 0;
}

static const tz_opt_spec _opts[] = {TZ_CLI_SCOPE_OPTS,
                                    {.name = "--mode", .takes_value = 1},
                                    {.name = "--by", .takes_value = 1},
                                    {.name = "--explain"},
                                    {.name = "--json"},
                                    {.name = NULL}};

static const tz_cli_form _form = {
    .opts = _opts,
    .npos_min = 2,
    .npos_max = 2,
    .npos_msg = "需要 DB 和指标名称两个参数",
    .help = "\n"
            "  NAME           指标名称(taizhang indicators 列出全部)\n"
            "  --region 区划  区划代码或名称,含下级区划(县含乡、村);默认全部\n"
            "  --unit 单位    责任单位/帮扶单位;指标没有单位列时按该单位所属区划统计\n"
            "  --period 期间  2015、2015-07、2015-Q3、2015-H1;默认取有数据的最近年度\n"
            "  --mode 模式    period 期间内(默认) | todate 累计到期末 | all 不限日期;\n"
            "                 也可写中文: 期间、累计、全部(现状)\n"
            "  --by 维度      分组: county、township、village、year、month、unit 或指标自己的"
            "分类(如 kind、stage、channel);也可写中文列名,如 乡镇、招商方式\n"
            "  --explain      列出构成该数值的台账记录(台账 键值)\n"
            "  --json         输出JSON\n"};

int tz_cmd_indicator(int argc, char **argv, const tz_command *self)
{
    tz_args a;
    int rc;
    if (!tz_cli_begin(argc, argv, self, &_form, &a, &rc))
        return rc;
    tz_view_indicator_ask q = {tz_indicator_find(a.pos[1]), TZ_MODE_PERIOD, NULL};
    char shown[TZ_CLI_ECHO_SIZE];
    if (!q.ind)
        return tz_usage_error(self->usage, "未知指标 \"%s\"(运行 taizhang indicators 查看全部指标)",
                              tz_cli_echo(a.pos[1], shown, sizeof shown));
    if ((rc = _mode(&a, self->usage, &q.mode)) || (rc = _by(&a, q.ind, self->usage, &q.by)))
        return rc;
    tz_store *s = NULL;
    if ((rc = tz_cli_open(a.pos[0], 0, &s)))
        return rc;
    tz_view_scope o;
    tz_diags d = TZ_DIAGS_INIT;
    if ((rc = tz_cli_scope_get(s, &a, self->usage, &o)))
        goto done;
    if (tz_args_has(&a, "--json"))
        rc = _run_json(s, &a, &o, &d) ? TZ_EXIT_DATA : TZ_EXIT_OK;
    else
        rc = _run_text(s, &q, &o, tz_args_has(&a, "--explain"), &d) ? TZ_EXIT_DATA : TZ_EXIT_OK;
done:
    tz_print_diags(&d);
    tz_diags_clear(&d);
    tz_store_close(s);
    return rc;
}
