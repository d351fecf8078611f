/* cmd_indicator.c - `indicator`: one indicator for a scope and period, with
 * the same period a year earlier (同比), optionally split by a dimension
 * (--by) and with the ledger rows behind it (--explain), as text or JSON. */
#include "cli/scope.h"
#include "util/text.h"
#include "util/buf.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What was asked: the indicator, its mode and its split. */
typedef struct indicator_ask {
    const tz_indicator *ind; /* the indicator */
    tz_mode mode;            /* --mode */
    const char *by;          /* --by, or NULL */
} indicator_ask;

/* What the metrics answered. */
typedef struct indicator_answer {
    double value;      /* the indicator's value */
    tz_yoy yoy;        /* the same period a year earlier */
    tz_group_value *g; /* the --by split (owned), or NULL */
    size_t ng;         /* number of groups */
} indicator_answer;

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
    tz_dim dims[TZ_DIMS_MAX];
    size_t n = tz_indicator_dim_list(ind, dims, TZ_DIMS_MAX);
    tz_buf b = TZ_BUF_INIT;
    for (size_t i = 0; i < n && i < TZ_DIMS_MAX; i++)
        tz_buf_printf(&b, "%s%s(%s)", i ? "、" : "", dims[i].key, dims[i].label);
    char shown[TZ_CLI_ECHO_SIZE];
    int rc = tz_usage_error(usage, "指标“%s”不能按 \"%s\" 分组,可选: %s", ind->name,
                            tz_cli_echo(text, shown, sizeof shown), n ? tz_buf_str(&b) : "(无)");
    tz_buf_free(&b);
    return rc;
}

/* ---- text ---------------------------------------------------------------- */

static const char *_mode_word(tz_mode m)
{
    return m == TZ_MODE_TODATE ? "累计(截至期末)" : m == TZ_MODE_ALL ? "全部(不限日期)" : "期间内";
}

/* The indicator, scope, period and value lines. */
static void _value_text(const indicator_ask *q, const tz_cli_scope *o, double value)
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

static void _groups_text(const indicator_ask *q, const tz_group_value *g, size_t ng)
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

static void _indicator_text(const indicator_ask *q, const tz_cli_scope *o,
                            const indicator_answer *r)
{
    _value_text(q, o, r->value);
    _yoy_text(q->ind, &r->yoy);
    if (q->by)
        _groups_text(q, r->g, r->ng);
}

/* ---- JSON ---------------------------------------------------------------- */

static json_t *_yoy_json(const tz_yoy *y)
{
    json_t *jy = json_object();
    json_object_set_new(jy, "period", tz_cli_period_json(&y->prev));
    json_object_set_new(jy, "value", tz_cli_jnum(y->prev_value));
    json_object_set_new(jy, "change", tz_cli_jnum(y->change));
    json_object_set_new(jy, "rate", tz_cli_jnum(y->rate));
    return jy;
}

static json_t *_indicator_json(const indicator_ask *q, const tz_cli_scope *o,
                               const indicator_answer *r)
{
    const tz_indicator *ind = q->ind;
    json_t *root = json_object();
    json_object_set_new(root, "indicator", json_string(ind->name));
    json_object_set_new(root, "unit", json_string(ind->unit));
    json_object_set_new(root, "ledger", json_string(ind->ledger));
    json_object_set_new(root, "summary", json_string(ind->summary));
    json_object_set_new(root, "scope", tz_cli_scope_json(o));
    json_object_set_new(root, "period", tz_cli_scope_period_json(o));
    json_object_set_new(root, "mode", json_string(tz_mode_name(q->mode)));
    json_object_set_new(root, "value", tz_cli_jnum(r->value));
    if (r->yoy.have)
        json_object_set_new(root, "year_on_year", _yoy_json(&r->yoy));
    if (q->by) {
        json_object_set_new(root, "by", json_string(q->by));
        json_object_set_new(root, "groups", tz_cli_groups_json(r->g, r->ng));
    }
    return root;
}

/* ---- --explain ----------------------------------------------------------- */

typedef struct explain_ctx {
    json_t *rows; /* JSON array, or NULL for text */
    size_t n;     /* rows seen */
} explain_ctx;

static int _explain_row(void *ctx, const char *ledger, const char *key)
{
    explain_ctx *e = ctx;
    e->n++;
    if (e->rows) {
        json_t *o = json_object();
        json_object_set_new(o, "ledger", json_string(ledger));
        json_object_set_new(o, "key", json_string(key));
        json_array_append_new(e->rows, o);
    } else {
        const tz_ledger *l = tz_ledger_find(ledger);
        printf("  %s %s\n", l ? l->name : ledger, key);
    }
    return 0;
}

/* Lists the ledger rows behind the value: printed, or as "rows" of root
 * when root is not NULL. Returns 0, or -1 with the reason in d. */
static int _explain(tz_store *s, const indicator_ask *q, const tz_cli_scope *o, json_t *root,
                    tz_diags *d)
{
    explain_ctx e = {root ? json_array() : NULL, 0};
    if (!root)
        printf("\n来源记录(台账 键值):\n");
    if (tz_indicator_explain(s, q->ind->name, &o->sc, &o->p, q->mode, _explain_row, &e, d)) {
        json_decref(e.rows);
        return -1;
    }
    if (root)
        json_object_set_new(root, "rows", e.rows);
    else
        printf("共%zu条记录\n", e.n);
    return 0;
}

/* ---- the command --------------------------------------------------------- */

/* Evaluates the value, its split and 同比. Returns 0, or -1 with the reason
 * in d. */
static int _answer(tz_store *s, const indicator_ask *q, const tz_cli_scope *o, indicator_answer *r,
                   tz_diags *d)
{
    const char *name = q->ind->name;
    if (tz_indicator_eval(s, name, &o->sc, &o->p, q->mode, &r->value, d) ||
        (q->by && tz_indicator_eval_by(s, name, &o->sc, &o->p, q->mode, q->by, &r->g, &r->ng, d)))
        return -1;
    tz_indicator_yoy(s, name, &o->sc, &o->p, q->mode, r->value, &r->yoy);
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
    indicator_ask q = {tz_indicator_find(a.pos[1]), TZ_MODE_PERIOD, NULL};
    char shown[TZ_CLI_ECHO_SIZE];
    if (!q.ind)
        return tz_usage_error(self->usage, "未知指标 \"%s\"(运行 taizhang indicators 查看全部指标)",
                              tz_cli_echo(a.pos[1], shown, sizeof shown));
    if ((rc = _mode(&a, self->usage, &q.mode)) || (rc = _by(&a, q.ind, self->usage, &q.by)))
        return rc;
    tz_store *s = NULL;
    if ((rc = tz_cli_open(a.pos[0], 0, &s)))
        return rc;
    tz_cli_scope o;
    tz_diags d = TZ_DIAGS_INIT;
    indicator_answer r = {0};
    int json = tz_args_has(&a, "--json");
    json_t *root = NULL;
    if ((rc = tz_cli_scope_get(s, &a, self->usage, &o)))
        goto done;
    rc = TZ_EXIT_DATA;
    if (_answer(s, &q, &o, &r, &d))
        goto done;
    if (json)
        root = _indicator_json(&q, &o, &r);
    else
        _indicator_text(&q, &o, &r);
    if (tz_args_has(&a, "--explain") && _explain(s, &q, &o, root, &d))
        goto done;
    if (json)
        tz_cli_jprint(root);
    rc = TZ_EXIT_OK;
done:
    tz_print_diags(&d);
    json_decref(root);
    free(r.g);
    tz_diags_clear(&d);
    tz_store_close(s);
    return rc;
}
