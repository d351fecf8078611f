/* cmd_check.c - `check`: the targets of a scope (metrics' judgement: 已完成,
 * 超序时进度/达到序时进度/滞后于序时进度 in-year, 未完成 at the year's end, 力争), the rule
 * findings (存在的问题, 数据质量) and the key figures (主要指标), as text or
 * JSON (computed and shaped by web/views_check.c); exit 1 when a target
 * failed (tz_status_failed: 未完成, 滞后于序时进度) or a rule finds anything. */
#include "cli/scope.h"
#include "util/text.h"
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* ---- text ---------------------------------------------------------------- */

/* The number of table cells of a target row before the last one, 口径. */
#define TARGET_CELLS 9

/* Text buffers of one target row's cells. */
typedef struct _cell_bufs {
    char num[3][32];   /* actual, target, gap */
    char progress[32]; /* "64.5%" */
    char status[96];   /* "滞后于序时进度12.3个百分点" */
} _cell_bufs;

/* The first TARGET_CELLS table cells of a target row (the last, 口径, is its
 * basis and, for a default, its origin). cells point into t, static text
 * and b. A target behind the time schedule says by how many points. */
static void _target_cells(const tz_target_result *t, const char *cells[TARGET_CELLS], _cell_bufs *b)
{
    cells[0] = t->unit;
    cells[1] = t->unit_kind[0] ? t->unit_kind : "全市";
    cells[2] = t->indicator;
    cells[3] = tz_fmt_decimal(t->actual, 2, b->num[0], sizeof b->num[0]);
    cells[4] = tz_fmt_decimal(t->target, 2, b->num[1], sizeof b->num[1]);
    cells[5] = tz_fmt_decimal(t->gap, 2, b->num[2], sizeof b->num[2]);
    if (isnan(t->progress))
        snprintf(b->progress, sizeof b->progress, "-");
    else
        snprintf(b->progress, sizeof b->progress, "%.1f%%", round(t->progress * 1000.0) / 10.0);
    cells[6] = b->progress;
    if (t->status == TZ_STATUS_BEHIND && !isnan(t->behind)) /* one decimal, as 进度 */
        snprintf(b->status, sizeof b->status, "%s%.1f个百分点", tz_status_word(t->status),
                 t->behind);
    else
        snprintf(b->status, sizeof b->status, "%s", tz_status_word(t->status));
    cells[7] = b->status;
    cells[8] = t->is_default ? "默认规则" : "目标台账";
}

/* The key figures (主要指标), grouped by topic, each with its basis. */
static void _figures_text(const tz_view_scope *o, const tz_key_figure *k, size_t nk)
{
    char words[64], v[32];
    const char *topic = NULL;
    if (nk == 0)
        return;
    printf("主要指标:\n");
    for (size_t i = 0; i < nk; i++) {
        if (!topic || strcmp(topic, k[i].topic) != 0) {
            topic = k[i].topic;
            printf("  %s\n", topic);
        }
        const char *basis = k[i].mode == TZ_MODE_TODATE ? "累计至期末"
                            : k[i].mode == TZ_MODE_ALL
                                ? "现状"
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

/* The 时序进度 line above the targets: the share of the year elapsed at the
 * period's end (the same for every target of the period). */
static void _schedule_text(const tz_view_scope *o, const tz_target_result *t, size_t nt)
{
    char words[64];
    if (nt == 0)
        return;
    printf("时序进度: %.1f%%(%s末,已过%d个月)%s\n", round(t[0].schedule * 1000.0) / 10.0,
           tz_period_words(&o->p, words, sizeof words), (int)lround(t[0].schedule * 12),
           t[0].year_end ? ",年度终了按全年目标考核" : ",年内按序时进度考核");
}

/* The targets as a table sized to its widest cells. */
static void _targets_text(const tz_view_scope *o, const tz_target_result *t, size_t nt)
{
    static const char *const hdr[] = {"责任单位", "类型", "指标", "实际", "目标",
                                      "差距",     "进度", "状态", "来源", "口径"};
    enum { NCOLS = TARGET_CELLS + 1 };
    _cell_bufs b;
    const char *cells[TARGET_CELLS];
    size_t w[NCOLS];
    if (nt == 0) {
        printf("(本期没有适用的目标任务)\n");
        return;
    }
    _schedule_text(o, t, nt);
    for (int k = 0; k < NCOLS; k++)
        w[k] = tz_text_width(hdr[k]);
    for (size_t i = 0; i < nt; i++) {
        _target_cells(&t[i], cells, &b);
        for (int k = 0; k < TARGET_CELLS; k++)
            if (tz_text_width(cells[k]) > w[k])
                w[k] = tz_text_width(cells[k]);
    }
    for (int k = 0; k < NCOLS; k++)
        tz_text_fpad(stdout, hdr[k], w[k] + 2);
    putchar('\n');
    for (size_t i = 0; i < nt; i++) {
        _target_cells(&t[i], cells, &b);
        for (int k = 0; k < TARGET_CELLS; k++)
            tz_text_fpad(stdout, cells[k], w[k] + 2);
        fputs(t[i].basis, stdout);
        if (t[i].is_default)
            printf(";目标来源为%s", t[i].origin);
        putchar('\n');
    }
}

/* Keys of a finding the text output lists; the rest are counted (等N条). */
#define KEYS_SHOWN 10

/* The findings of one level, each with (the first KEYS_SHOWN of) the ledger
 * rows it names. */
static void _findings_text(const tz_finding *f, size_t nf, tz_finding_level lv, size_t count)
{
    printf("\n%s(%zu条):\n", lv == TZ_FINDING_PROBLEM ? "存在的问题" : "数据质量", count);
    for (size_t i = 0; i < nf; i++) {
        if (f[i].level != lv)
            continue;
        printf("  [%s] %s\n", tz_view_level_word(f[i].level), f[i].message);
        if (f[i].keys && f[i].keys[0]) {
            /* the first KEYS_SHOWN keys end before the KEYS_SHOWN-th 、 */
            const char *end = f[i].keys;
            for (int k = 0; k < KEYS_SHOWN && end; k++)
                end = strstr(end + (k ? strlen("、") : 0), "、");
            const tz_ledger *fl = tz_ledger_find(f[i].ledger);
            int len = end ? (int)(end - f[i].keys) : (int)strlen(f[i].keys);
            printf("      涉及%s: %.*s", fl ? fl->name : f[i].ledger, len, f[i].keys);
            if (end)
                printf("等%zu条", f[i].nkeys);
            putchar('\n');
        }
    }
    if (count == 0)
        printf("  无\n");
}

static void _check_text(const tz_view_scope *o, const tz_view_check_data *r)
{
    char words[64], scope[256];
    printf("目标任务考核: %s %s(%s至%s)%s\n\n", tz_cli_scope_words(o, scope, sizeof scope),
           tz_period_words(&o->p, words, sizeof words), o->p.start, o->p.end,
           o->period_default ? ",未指定 --period,取有数据的最近年度" : "");
    _figures_text(o, r->k, r->nk);
    _targets_text(o, r->t, r->nt);
    _findings_text(r->f, r->nf, TZ_FINDING_PROBLEM, r->problems);
    _findings_text(r->f, r->nf, TZ_FINDING_DATA, r->quality);
    printf("\n结论: 目标%zu项,已完成%zu项,超序时进度%zu项,达到序时进度%zu项,"
           "滞后于序时进度%zu项,未完成%zu项,力争%zu项;问题%zu条,数据质量问题%zu条。%s\n",
           r->nt, r->met, r->ahead, r->on_schedule, r->behind, r->not_met, r->aspirations,
           r->problems, r->quality,
           r->failed ? "有未完成或滞后于序时进度的目标,或存在问题。"
                     : "目标均已完成或不滞后于序时进度,未发现问题。");
}

/* ---- the command --------------------------------------------------------- */

int tz_cmd_check(int argc, char **argv, const tz_command *self)
{
    static const tz_opt_spec opts[] = {TZ_CLI_SCOPE_OPTS, {.name = "--json"}, {.name = NULL}};
    static const tz_cli_form form = {
        .opts = opts,
        .npos_min = 1,
        .npos_max = 1,
        .npos_msg = "需要一个数据库参数",
        .help =
            "\n"
            "  --region 区划  区划代码(6/9/12位)或名称,含下级区划;默认全部\n"
            "  --unit 单位    只考核这个责任单位\n"
            "  --period 期间  2015、2015-07、2015-Q3、2015-H1;默认取有数据的最近年度\n"
            "  --json         输出JSON\n\n"
            "目标取自目标任务台账;某单位没有某项目标时,按文件要求的默认规则考核"
            "(县区: 3亿元以上工业项目5个等;专题招商组、市直单位: 各引进1个项目;"
            "全市: 3亿元以上项目50个、增长10%)。年度目标按年初至期末累计考核:"
            "年内与时序进度(期末已过月数/12)比较,为超序时进度、达到序时进度"
            "或滞后于序时进度(增长率等非累加指标达到目标即达到序时进度);"
            "年末为已完成或未完成;力争目标只显示不考核。\n"
            "规则检查列出存在的问题(截至期末)和数据质量问题(台账现状)。\n"
            "退出状态: 0 目标均已完成或不滞后于序时进度且没有问题; 1 有未完成或滞后于序时进度的目标或任何问题; 2 用法错误; "
            "3 数据库错误。\n"};
    tz_args a;
    int rc;
    if (!tz_cli_begin(argc, argv, self, &form, &a, &rc))
        return rc;
    tz_store *s = NULL;
    if ((rc = tz_cli_open(a.pos[0], 0, &s)))
        return rc;
    tz_view_scope o;
    tz_view_check_data r = {0};
    tz_diags d = TZ_DIAGS_INIT;
    if ((rc = tz_cli_scope_get(s, &a, self->usage, &o)) || (rc = _load_lines()))
        goto done;
    if (tz_view_check_run(s, &o, &r, &d)) {
        tz_print_diags(&d);
        rc = TZ_EXIT_ENV;
        goto done;
    }
    tz_print_diags(&d);
    if (tz_args_has(&a, "--json")) {
        json_t *j = tz_view_check_json(&o, &r);
        tz_cli_jprint(j);
        json_decref(j);
    } else {
        _check_text(&o, &r);
    }
    rc = r.failed ? TZ_EXIT_DATA : TZ_EXIT_OK;
done:
    tz_diags_clear(&d);
    tz_view_check_data_free(&r);
    tz_store_close(s);
    return rc;
}
