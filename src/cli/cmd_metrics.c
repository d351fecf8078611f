/* cmd_metrics.c - `check` (targets and rules), `indicator` (one indicator,
 * grouped or explained) and `indicators` (the list). */
#include "cli/cli.h"
#include "metrics/metrics.h"
#include "store/store.h"
#include "util/buf.h"
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- shared helpers ------------------------------------------------------ */

static json_t *_jnum(double v)
{
    if (isnan(v) || isinf(v))
        return json_null();
    if (v == floor(v) && fabs(v) < 9e15)
        return json_integer((json_int_t)v);
    return json_real(round(v * 1e6) / 1e6);
}

static void _jprint(json_t *o)
{
    char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
    if (s) {
        fputs(s, stdout);
        putchar('\n');
        free(s);
    }
}

/* Prints a cell padded to width display columns. */
static void _cell(const char *s, size_t width)
{
    fputs(s, stdout);
    for (size_t w = tz_display_width(s); w < width + 2; w++)
        putchar(' ');
}

static int _open(const char *db, tz_store **s)
{
    tz_diags d = TZ_DIAGS_INIT;
    int rc = tz_store_open(db, 0, s, &d);
    if (rc)
        tz_print_diags(&d);
    tz_diags_clear(&d);
    return rc ? TZ_EXIT_ENV : TZ_EXIT_OK;
}

/* Loads data/poverty_lines.tsv from the home directory when it is there
 * (otherwise the library looks in its default places on first use). */
static int _load_lines(void)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/data/poverty_lines.tsv", tz_home_dir());
    if (access(path, R_OK) != 0)
        return TZ_EXIT_OK;
    tz_diags d = TZ_DIAGS_INIT;
    int rc = tz_poverty_lines_load(path, &d);
    if (rc)
        tz_print_diags(&d);
    tz_diags_clear(&d);
    return rc ? TZ_EXIT_ENV : TZ_EXIT_OK;
}

/* The scope and period from --region, --unit and --period (default: the
 * latest year with data). Returns an exit status (0 = go on). */
typedef struct _scope_args {
    tz_scope sc;           /* scope for the library */
    char code[13];         /* resolved region code */
    char region_name[128]; /* region name, or "" */
    tz_period p;           /* the period */
    int period_default;    /* 1 when the period was not given */
} _scope_args;

static int _scope(tz_store *s, const tz_args *a, const char *usage, _scope_args *o)
{
    memset(o, 0, sizeof *o);
    const char *region = tz_args_get(a, "--region");
    const char *unit = tz_args_get(a, "--unit");
    const char *period = tz_args_get(a, "--period");
    tz_diags d = TZ_DIAGS_INIT;
    if (region) {
        if (tz_region_resolve(s, region, o->code, &d)) {
            tz_print_diags(&d);
            tz_diags_clear(&d);
            return TZ_EXIT_USAGE;
        }
        o->sc.region = o->code;
        tz_region_get(s, o->code, o->region_name, sizeof o->region_name, NULL);
    }
    if (unit) {
        const char *params[] = {unit, NULL};
        long long found = 0;
        if (tz_store_scalar_int(s, "SELECT COUNT(*) FROM units WHERE name = ?", params, &found)) {
            fprintf(stderr, "数据库查询失败: %s\n", tz_store_errmsg(s));
            return TZ_EXIT_ENV;
        }
        if (!found)
            return tz_usage_error(usage, "--unit \"%s\": 责任单位台账中没有这个单位", unit);
        o->sc.unit = unit;
    }
    if (period) {
        const char *why = NULL;
        if (tz_period_parse(period, &o->p, &why))
            return tz_usage_error(usage, "--period \"%s\": %s", period, why);
    } else {
        int r = tz_period_latest(s, &o->p);
        if (r < 0) {
            fprintf(stderr, "数据库查询失败: %s\n", tz_store_errmsg(s));
            return TZ_EXIT_ENV;
        }
        if (r == 0)
            return tz_usage_error(usage, "数据库中没有带日期的记录,请用 --period 指定期间");
        o->period_default = 1;
    }
    return TZ_EXIT_OK;
}

static json_t *_jperiod(const tz_period *p)
{
    char words[64];
    json_t *o = json_object();
    json_object_set_new(o, "label", json_string(p->label));
    json_object_set_new(o, "words", json_string(tz_period_words(p, words, sizeof words)));
    json_object_set_new(o, "start", json_string(p->start));
    json_object_set_new(o, "end", json_string(p->end));
    return o;
}

static json_t *_jscope(const _scope_args *o)
{
    json_t *j = json_object();
    json_object_set_new(j, "region", o->sc.region ? json_string(o->sc.region) : json_null());
    json_object_set_new(j, "region_name", o->sc.region ? json_string(o->region_name) : json_null());
    json_object_set_new(j, "unit", o->sc.unit ? json_string(o->sc.unit) : json_null());
    return j;
}

static const char *_scope_words(const _scope_args *o, char *buf, size_t sz)
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

/* The --mode / JSON name of a mode. */
static const char *_mode_key(tz_mode m)
{
    return m == TZ_MODE_TODATE ? "todate" : m == TZ_MODE_ALL ? "all" : "period";
}

/* ---- check --------------------------------------------------------------- */

static const char *_level_word(tz_finding_level lv)
{
    return lv == TZ_FINDING_PROBLEM ? "问题" : "数据质量";
}

/* The first 8 table cells of a target row (the 9th, 口径, is its basis).
 * cells point into t, static text and nums (3 buffers for the numbers). */
static void _target_cells(const tz_target_result *t, const char *cells[8], char nums[3][32])
{
    cells[0] = t->unit;
    cells[1] = t->unit_kind[0] ? t->unit_kind : "全市";
    cells[2] = t->indicator;
    cells[3] = tz_fmt_decimal(t->actual, 2, nums[0], sizeof nums[0]);
    cells[4] = tz_fmt_decimal(t->target, 2, nums[1], sizeof nums[1]);
    cells[5] = tz_fmt_decimal(t->gap, 2, nums[2], sizeof nums[2]);
    cells[6] = tz_status_word(t->status);
    cells[7] = t->is_default ? "默认规则" : "目标台账";
}

/* The key figures (主要指标), grouped by topic, each with its basis. */
static void _figures_text(const _scope_args *o, const tz_key_figure *k, size_t nk)
{
    char words[64], v[32];
    const char *topic = NULL;
    if (nk == 0)
        return;
    printf("主要指标:\n");
    for (size_t i = 0; i < nk; i++) {
        if (!topic || strcmp(topic, k[i].topic)) {
            topic = k[i].topic;
            printf("  %s\n", topic);
        }
        const char *basis = k[i].mode == TZ_MODE_TODATE ? "累计至期末"
                            : k[i].mode == TZ_MODE_ALL  ? "现状"
                                                        : tz_period_words(&o->p, words, sizeof words);
        printf("    %s: %s%s(%s)", k[i].indicator, tz_fmt_decimal(k[i].value, 2, v, sizeof v),
               strchr(k[i].indicator, '(') ? "" : k[i].unit, basis);
        if (k[i].by && k[i].ngroups) {
            printf(";按%s:", tz_indicator_dim_label(k[i].indicator, k[i].by));
            for (size_t g = 0; g < k[i].ngroups; g++)
                printf("%s%s %s", g ? "、" : "", k[i].groups[g].label,
                       tz_fmt_decimal(k[i].groups[g].value, 2, v, sizeof v));
        }
        putchar('\n');
    }
    putchar('\n');
}

static void _check_text(const _scope_args *o, const tz_target_result *t, size_t nt,
                        const tz_finding *f, size_t nf, const tz_key_figure *kf, size_t nkf)
{
    char words[64], scope[256], nums[3][32];
    const char *cells[8];
    printf("目标任务考核: %s %s(%s至%s)%s\n\n", _scope_words(o, scope, sizeof scope),
           tz_period_words(&o->p, words, sizeof words), o->p.start, o->p.end,
           o->period_default ? ",未指定 --period,取有数据的最近年度" : "");
    _figures_text(o, kf, nkf);
    static const char *const hdr[] = {"责任单位", "类型", "指标", "实际", "目标",
                                      "差距",     "状态", "来源", "口径"};
    size_t w[9];
    for (int k = 0; k < 9; k++)
        w[k] = tz_display_width(hdr[k]);
    for (size_t i = 0; i < nt; i++) {
        _target_cells(&t[i], cells, nums);
        for (int k = 0; k < 8; k++)
            if (tz_display_width(cells[k]) > w[k])
                w[k] = tz_display_width(cells[k]);
    }
    if (nt) {
        for (int k = 0; k < 9; k++)
            _cell(hdr[k], w[k]);
        putchar('\n');
        for (size_t i = 0; i < nt; i++) {
            _target_cells(&t[i], cells, nums);
            for (int k = 0; k < 8; k++)
                _cell(cells[k], w[k]);
            fputs(t[i].basis, stdout);
            putchar('\n');
        }
    } else {
        printf("(本期没有适用的目标任务)\n");
    }
    size_t np = 0, ndq = 0;
    for (size_t i = 0; i < nf; i++)
        (*(f[i].level == TZ_FINDING_PROBLEM ? &np : &ndq))++;
    for (int lv = 0; lv < 2; lv++) {
        printf("\n%s(%zu条):\n", lv == 0 ? "存在的问题" : "数据质量", lv == 0 ? np : ndq);
        for (size_t i = 0; i < nf; i++) {
            if ((int)f[i].level != lv)
                continue;
            printf("  [%s] %s\n", _level_word(f[i].level), f[i].message);
            if (f[i].keys[0]) {
                long shown = 1;
                for (const char *k = strstr(f[i].keys, "、"); k; k = strstr(k + 1, "、"))
                    shown++;
                const tz_ledger *fl = tz_ledger_find(f[i].ledger);
                printf("      涉及%s: %s%s\n", fl ? fl->name : f[i].ledger, f[i].keys,
                       f[i].count > shown ? " …" : "");
            }
        }
        if ((lv == 0 ? np : ndq) == 0)
            printf("  无\n");
    }
}

static json_t *_check_json(const _scope_args *o, const tz_target_result *t, size_t nt,
                           const tz_finding *f, size_t nf, const tz_key_figure *kf, size_t nkf)
{
    json_t *root = json_object(), *jt = json_array(), *jf = json_array();
    json_object_set_new(root, "scope", _jscope(o));
    json_t *jp = _jperiod(&o->p);
    json_object_set_new(jp, "default", json_boolean(o->period_default));
    json_object_set_new(root, "period", jp);
    size_t met = 0, not_met = 0, asp = 0, np = 0, ndq = 0;
    for (size_t i = 0; i < nt; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "unit", json_string(t[i].unit));
        json_object_set_new(e, "unit_kind", json_string(t[i].unit_kind));
        json_object_set_new(e, "region", json_string(t[i].region));
        json_object_set_new(e, "year", json_integer(t[i].year));
        json_object_set_new(e, "indicator", json_string(t[i].indicator));
        json_object_set_new(e, "actual", _jnum(t[i].actual));
        json_object_set_new(e, "target", _jnum(t[i].target));
        json_object_set_new(e, "gap", _jnum(t[i].gap));
        json_object_set_new(e, "status", json_string(tz_status_word(t[i].status)));
        json_object_set_new(e, "is_default", json_boolean(t[i].is_default));
        json_object_set_new(e, "basis", json_string(t[i].basis));
        json_array_append_new(jt, e);
        if (t[i].status == TZ_STATUS_MET)
            met++;
        else if (t[i].status == TZ_STATUS_NOT_MET)
            not_met++;
        else
            asp++;
    }
    for (size_t i = 0; i < nf; i++) {
        json_t *e = json_object(), *keys = json_array();
        json_object_set_new(e, "rule", json_string(f[i].rule));
        json_object_set_new(e, "level", json_string(_level_word(f[i].level)));
        json_object_set_new(e, "message", json_string(f[i].message));
        json_object_set_new(e, "ledger", json_string(f[i].ledger));
        char buf[sizeof f[i].keys];
        snprintf(buf, sizeof buf, "%s", f[i].keys);
        const char *sep = "、";
        for (char *p = buf; *p;) {
            char *q = strstr(p, sep);
            if (q)
                *q = '\0';
            json_array_append_new(keys, json_string(p));
            if (!q)
                break;
            p = q + strlen(sep);
        }
        json_object_set_new(e, "keys", keys);
        json_object_set_new(e, "count", json_integer(f[i].count));
        json_object_set_new(e, "amount", _jnum(f[i].amount));
        json_array_append_new(jf, e);
        (*(f[i].level == TZ_FINDING_PROBLEM ? &np : &ndq))++;
    }
    json_t *jk = json_array();
    for (size_t i = 0; i < nkf; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "topic", json_string(kf[i].topic));
        json_object_set_new(e, "indicator", json_string(kf[i].indicator));
        json_object_set_new(e, "unit", json_string(kf[i].unit));
        json_object_set_new(e, "mode", json_string(_mode_key(kf[i].mode)));
        json_object_set_new(e, "value", _jnum(kf[i].value));
        if (kf[i].by) {
            json_t *ja = json_array();
            for (size_t g = 0; g < kf[i].ngroups; g++) {
                json_t *ge = json_object();
                json_object_set_new(ge, "key", json_string(kf[i].groups[g].key));
                json_object_set_new(ge, "label", json_string(kf[i].groups[g].label));
                json_object_set_new(ge, "value", _jnum(kf[i].groups[g].value));
                json_array_append_new(ja, ge);
            }
            json_object_set_new(e, "by", json_string(kf[i].by));
            json_object_set_new(e, "groups", ja);
        }
        json_array_append_new(jk, e);
    }
    json_object_set_new(root, "figures", jk);
    json_object_set_new(root, "targets", jt);
    json_object_set_new(root, "findings", jf);
    json_t *sum = json_object();
    json_object_set_new(sum, "targets", json_integer((json_int_t)nt));
    json_object_set_new(sum, "met", json_integer((json_int_t)met));
    json_object_set_new(sum, "not_met", json_integer((json_int_t)not_met));
    json_object_set_new(sum, "aspirations", json_integer((json_int_t)asp));
    json_object_set_new(sum, "problems", json_integer((json_int_t)np));
    json_object_set_new(sum, "data_quality", json_integer((json_int_t)ndq));
    json_object_set_new(sum, "failed", json_boolean(not_met > 0 || nf > 0));
    json_object_set_new(root, "summary", sum);
    return root;
}

int tz_cmd_check(int argc, char **argv, const tz_command *self)
{
    static const tz_opt_spec spec[] = {
        {"--region", 1, 0}, {"--unit", 1, 0}, {"--period", 1, 0}, {"--json", 0, 0}, {NULL, 0, 0}};
    tz_args a;
    if (tz_args_parse(argc, argv, spec, &a))
        return tz_usage_error(self->usage, "参数有误");
    if (a.help) {
        printf("用法: %s\n%s。\n\n"
               "  --region 区划  区划代码(6/9/12位)或名称,含下级区划;默认全部\n"
               "  --unit 单位    只考核这个责任单位\n"
               "  --period 期间  2015、2015-07、2015-Q3、2015-H1;默认取有数据的最近年度\n"
               "  --json         输出JSON\n\n"
               "目标取自目标任务台账;某单位没有某项目标时,按文件要求的默认规则考核"
               "(县区: 3亿元以上工业项目5个等;专题招商组、市直单位: 各引进1个项目;"
               "全市: 3亿元以上项目50个、增长10%%)。年度目标按年初至期末累计考核,"
               "力争目标只显示不考核。\n"
               "规则检查列出存在的问题(截至期末)和数据质量问题(台账现状)。\n"
               "退出状态: 0 全部达成且没有问题; 1 有未达成的目标或任何问题; 2 用法错误; "
               "3 数据库错误。\n",
               self->usage, self->summary);
        return TZ_EXIT_OK;
    }
    if (a.npos != 1)
        return tz_usage_error(self->usage, "需要一个数据库参数");
    tz_store *s = NULL;
    int rc = _open(a.pos[0], &s);
    if (rc)
        return rc;
    _scope_args o;
    tz_target_result *t = NULL;
    tz_finding *f = NULL;
    tz_key_figure *k = NULL;
    size_t nt = 0, nf = 0, nk = 0;
    tz_diags d = TZ_DIAGS_INIT;
    if ((rc = _scope(s, &a, self->usage, &o)) || (rc = _load_lines()))
        goto done;
    if (tz_targets_check(s, &o.sc, &o.p, &t, &nt, &d) ||
        tz_rules_check(s, &o.sc, &o.p, &f, &nf, &d) ||
        tz_key_figures(s, &o.sc, &o.p, &k, &nk, &d)) {
        tz_print_diags(&d);
        rc = TZ_EXIT_ENV;
        goto done;
    }
    tz_print_diags(&d);
    int failed = nf > 0;
    for (size_t i = 0; i < nt; i++)
        if (t[i].status == TZ_STATUS_NOT_MET)
            failed = 1;
    if (tz_args_has(&a, "--json")) {
        json_t *j = _check_json(&o, t, nt, f, nf, k, nk);
        _jprint(j);
        json_decref(j);
    } else {
        _check_text(&o, t, nt, f, nf, k, nk);
        size_t met = 0, not_met = 0, asp = 0, np = 0;
        for (size_t i = 0; i < nt; i++)
            (*(t[i].status == TZ_STATUS_MET       ? &met
               : t[i].status == TZ_STATUS_NOT_MET ? &not_met
                                                  : &asp))++;
        for (size_t i = 0; i < nf; i++)
            np += f[i].level == TZ_FINDING_PROBLEM;
        printf(
            "\n结论: 目标%zu项,达成%zu项,未达成%zu项,力争%zu项;问题%zu条,数据质量问题%zu条。%s\n",
            nt, met, not_met, asp, np, nf - np,
            failed ? "有未达成的目标或存在问题。" : "全部达成,未发现问题。");
    }
    rc = failed ? TZ_EXIT_DATA : TZ_EXIT_OK;
done:
    tz_diags_clear(&d);
    free(t);
    free(f);
    tz_key_figures_free(k, nk);
    tz_store_close(s);
    return rc;
}

/* ---- indicator ----------------------------------------------------------- */

typedef struct _explain_ctx {
    json_t *rows; /* JSON array, or NULL for text */
    size_t n;     /* rows seen */
} _explain_ctx;

static int _explain_row(void *ctx, const char *ledger, const char *key)
{
    _explain_ctx *e = ctx;
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

static const char *_mode_word(tz_mode m)
{
    return m == TZ_MODE_TODATE ? "累计(截至期末)" : m == TZ_MODE_ALL ? "全部(不限日期)" : "期间内";
}

int tz_cmd_indicator(int argc, char **argv, const tz_command *self)
{
    static const tz_opt_spec spec[] = {{"--region", 1, 0}, {"--unit", 1, 0}, {"--period", 1, 0},
                                       {"--mode", 1, 0},   {"--by", 1, 0},   {"--explain", 0, 0},
                                       {"--json", 0, 0},   {NULL, 0, 0}};
    tz_args a;
    if (tz_args_parse(argc, argv, spec, &a))
        return tz_usage_error(self->usage, "参数有误");
    if (a.help) {
        printf("用法: %s\n%s。\n\n"
               "  NAME           指标名称(taizhang indicators 列出全部)\n"
               "  --region 区划  区划代码或名称,含下级区划(县含乡、村);默认全部\n"
               "  --unit 单位    责任单位/帮扶单位;指标没有单位列时按该单位所属区划统计\n"
               "  --period 期间  2015、2015-07、2015-Q3、2015-H1;默认取有数据的最近年度\n"
               "  --mode 模式    period 期间内(默认) | todate 累计到期末 | all 不限日期\n"
               "  --by 维度      分组: county、township、village、year、month、unit 或指标自己的"
               "分类(如 kind、stage、size)\n"
               "  --explain      列出构成该数值的台账记录(台账 键值)\n"
               "  --json         输出JSON\n",
               self->usage, self->summary);
        return TZ_EXIT_OK;
    }
    if (a.npos != 2)
        return tz_usage_error(self->usage, "需要 DB 和指标名称两个参数");
    const char *name = a.pos[1];
    const tz_indicator *ind = tz_indicator_find(name);
    if (!ind)
        return tz_usage_error(self->usage, "未知指标 \"%s\"(运行 taizhang indicators 查看全部指标)",
                              name);
    tz_mode mode = TZ_MODE_PERIOD;
    const char *m = tz_args_get(&a, "--mode");
    if (m) {
        if (!strcmp(m, "period"))
            mode = TZ_MODE_PERIOD;
        else if (!strcmp(m, "todate"))
            mode = TZ_MODE_TODATE;
        else if (!strcmp(m, "all"))
            mode = TZ_MODE_ALL;
        else
            return tz_usage_error(self->usage, "--mode 只能是 period、todate 或 all");
    }
    const char *by = tz_args_get(&a, "--by");
    if (by) {
        char dims[1024];
        tz_indicator_dims(name, dims, sizeof dims);
        int ok = 0;
        /* dims is "county、township、..."; "kind" (the ledger's own category
         * column, see metrics.h) is always offered */
        size_t blen = strlen(by);
        for (const char *p = dims; *p && !ok;) {
            const char *sep = strstr(p, "、");
            size_t k = sep ? (size_t)(sep - p) : strlen(p);
            ok = (k == blen && !strncmp(p, by, k));
            p += k + (sep ? strlen("、") : 0);
        }
        ok = ok || !strcmp(by, "kind");
        if (!ok || !dims[0])
            return tz_usage_error(self->usage, "指标“%s”不能按 \"%s\" 分组,可选: %s", name, by,
                                  dims[0] ? dims : "(无)");
    }
    tz_store *s = NULL;
    int rc = _open(a.pos[0], &s);
    if (rc)
        return rc;
    _scope_args o;
    tz_diags d = TZ_DIAGS_INIT;
    tz_group_value *g = NULL;
    size_t ng = 0;
    double value = 0;
    int json = tz_args_has(&a, "--json");
    json_t *root = NULL;
    if ((rc = _scope(s, &a, self->usage, &o)))
        goto done;
    if (tz_indicator_eval(s, name, &o.sc, &o.p, mode, &value, &d) ||
        (by && tz_indicator_eval_by(s, name, &o.sc, &o.p, mode, by, &g, &ng, &d))) {
        tz_print_diags(&d);
        rc = TZ_EXIT_DATA;
        goto done;
    }
    /* year on year: the same period one year earlier (not for snapshots) */
    tz_period prev;
    double prev_value = NAN;
    int have_prev = 0;
    if (mode != TZ_MODE_ALL) {
        tz_period_prev_year(&o.p, &prev);
        tz_diags pd = TZ_DIAGS_INIT;
        have_prev = tz_indicator_eval(s, name, &o.sc, &prev, mode, &prev_value, &pd) == 0;
        tz_diags_clear(&pd); /* no figure for last year is not an error for this one */
    }
    double yoy_rate = have_prev && prev_value != 0 && !isnan(value) && !isnan(prev_value)
                          ? (value - prev_value) / fabs(prev_value) * 100
                          : NAN;
    char words[64], scope[256], v[32];
    if (json) {
        root = json_object();
        json_object_set_new(root, "indicator", json_string(ind->name));
        json_object_set_new(root, "unit", json_string(ind->unit));
        json_object_set_new(root, "ledger", json_string(ind->ledger));
        json_object_set_new(root, "summary", json_string(ind->summary));
        json_object_set_new(root, "scope", _jscope(&o));
        json_t *jp = _jperiod(&o.p);
        json_object_set_new(jp, "default", json_boolean(o.period_default));
        json_object_set_new(root, "period", jp);
        json_object_set_new(root, "mode",
                            json_string(_mode_key(mode)));
        json_object_set_new(root, "value", _jnum(value));
        if (have_prev) {
            json_t *jy = json_object();
            json_object_set_new(jy, "period", _jperiod(&prev));
            json_object_set_new(jy, "value", _jnum(prev_value));
            json_object_set_new(jy, "change", _jnum(value - prev_value));
            json_object_set_new(jy, "rate", _jnum(yoy_rate));
            json_object_set_new(root, "year_on_year", jy);
        }
        if (by) {
            json_t *ja = json_array();
            for (size_t i = 0; i < ng; i++) {
                json_t *e = json_object();
                json_object_set_new(e, "key", json_string(g[i].key));
                json_object_set_new(e, "label", json_string(g[i].label));
                json_object_set_new(e, "value", _jnum(g[i].value));
                json_array_append_new(ja, e);
            }
            json_object_set_new(root, "by", json_string(by));
            json_object_set_new(root, "groups", ja);
        }
    } else {
        char unit_paren[64];
        snprintf(unit_paren, sizeof unit_paren, "(%s)", ind->unit);
        size_t nl = strlen(ind->name), ul = strlen(unit_paren);
        int has_unit = nl >= ul && !strcmp(ind->name + nl - ul, unit_paren);
        printf("指标: %s%s— %s\n", ind->name, has_unit ? "" : unit_paren, ind->summary);
        printf("范围: %s\n", _scope_words(&o, scope, sizeof scope));
        printf("期间: %s(%s至%s),%s%s\n", tz_period_words(&o.p, words, sizeof words), o.p.start,
               o.p.end, _mode_word(mode),
               o.period_default ? ";未指定 --period,取有数据的最近年度" : "");
        printf("数值: %s %s\n", tz_fmt_decimal(value, 2, v, sizeof v), ind->unit);
        if (have_prev) {
            char pv[32], ch[32], rt[32], pw[64], rate[48] = "";
            double delta = value - prev_value;
            if (!isnan(yoy_rate))
                snprintf(rate, sizeof rate, ",%s%s%%", yoy_rate >= 0 ? "增长" : "下降",
                         tz_fmt_decimal(fabs(yoy_rate), 2, rt, sizeof rt));
            printf("同比: 上年同期(%s)%s %s,%s%s %s%s\n", tz_period_words(&prev, pw, sizeof pw),
                   tz_fmt_decimal(prev_value, 2, pv, sizeof pv), ind->unit, delta >= 0 ? "增加" : "减少",
                   tz_fmt_decimal(fabs(delta), 2, ch, sizeof ch), ind->unit, rate);
        }
        if (by) {
            size_t w = 4;
            for (size_t i = 0; i < ng; i++)
                if (tz_display_width(g[i].label) > w)
                    w = tz_display_width(g[i].label);
            printf("\n按%s分组(%zu组):\n", tz_indicator_dim_label(name, by), ng);
            for (size_t i = 0; i < ng; i++) {
                fputs("  ", stdout);
                _cell(g[i].label, w);
                if (strcmp(g[i].label, g[i].key))
                    _cell(g[i].key, 12);
                printf("%s\n", tz_fmt_decimal(g[i].value, 2, v, sizeof v));
            }
        }
    }
    if (tz_args_has(&a, "--explain")) {
        _explain_ctx e = {json ? json_array() : NULL, 0};
        if (!json)
            printf("\n来源记录(台账 键值):\n");
        if (tz_indicator_explain(s, name, &o.sc, &o.p, mode, _explain_row, &e, &d)) {
            tz_print_diags(&d);
            json_decref(e.rows);
            rc = TZ_EXIT_DATA;
            goto done;
        }
        if (json)
            json_object_set_new(root, "rows", e.rows);
        else
            printf("共%zu条记录\n", e.n);
    }
    if (json)
        _jprint(root);
    tz_print_diags(&d);
    rc = TZ_EXIT_OK;
done:
    json_decref(root);
    free(g);
    tz_diags_clear(&d);
    tz_store_close(s);
    return rc;
}

/* ---- indicators ---------------------------------------------------------- */

int tz_cmd_indicators(int argc, char **argv, const tz_command *self)
{
    static const tz_opt_spec spec[] = {{"--json", 0, 0}, {NULL, 0, 0}};
    tz_args a;
    if (tz_args_parse(argc, argv, spec, &a))
        return tz_usage_error(self->usage, "参数有误");
    if (a.help) {
        printf("用法: %s\n%s(名称、单位、来源台账、说明、可用分组维度),以及规则检查的全部规则。\n",
               self->usage, self->summary);
        return TZ_EXIT_OK;
    }
    if (a.npos != 0)
        return tz_usage_error(self->usage, "不需要位置参数");
    size_t n, nr;
    const tz_indicator *all = tz_indicator_all(&n);
    const tz_rule_info *rules = tz_rules_all(&nr);
    char dims[1024];
    if (tz_args_has(&a, "--json")) {
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
            json_object_set_new(e, "level", json_string(_level_word(rules[i].level)));
            json_object_set_new(e, "summary", json_string(rules[i].summary));
            json_array_append_new(jr, e);
        }
        json_object_set_new(root, "indicators", ji);
        json_object_set_new(root, "rules", jr);
        _jprint(root);
        json_decref(root);
        return TZ_EXIT_OK;
    }
    printf("指标(%zu个):\n", n);
    for (size_t i = 0; i < n; i++) {
        printf("  %s [%s] %s\n", all[i].name, all[i].unit, all[i].summary);
        tz_indicator_dims(all[i].name, dims, sizeof dims);
        printf("      台账 %s;分组 %s\n", all[i].ledger, dims[0] ? dims : "(无)");
    }
    printf("\n规则(%zu条):\n", nr);
    for (size_t i = 0; i < nr; i++)
        printf("  %-22s [%s] %s\n", rules[i].id, _level_word(rules[i].level), rules[i].summary);
    return TZ_EXIT_OK;
}
