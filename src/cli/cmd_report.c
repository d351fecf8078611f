/* cmd_report.c - `taizhang report` (draft a report from a template) and
 * `taizhang proofread` (proofread a .docx/.md/.txt file). */
#include "cli/cli.h"
#include "util/path.h"
#include "report/draft.h"
#include "report/proofread.h"
#include "report/render.h"
#include "util/buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Opens the database; prints the diagnostics. Returns an exit status. */
static int _open_db(const char *uri, tz_store **s)
{
    tz_diags d = TZ_DIAGS_INIT;
    int rc = tz_store_open(uri, 0, s, &d);
    if (rc)
        tz_print_diags(&d);
    tz_diags_clear(&d);
    return rc ? TZ_EXIT_ENV : TZ_EXIT_OK;
}

static const char *_ext(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    return dot && (!slash || dot > slash) ? dot : "";
}

/* Extensions (case-insensitive) of the files each command takes. */
static const char *const _report_exts[] = {".docx", ".md", ".markdown", ".html", ".htm", NULL};
static const char *const _html_exts[] = {".html", ".htm", NULL};
static const char *const _proofread_exts[] = {".docx", ".md", ".markdown", ".txt", NULL};

/* 1 when path's extension is one of exts (NULL-terminated), else 0. */
static int _ext_in(const char *path, const char *const *exts)
{
    const char *ext = _ext(path);
    for (; *exts; exts++)
        if (!strcasecmp(ext, *exts))
            return 1;
    return 0;
}

/* Loads the proofreading word list from the home directory; NULL (with a
 * warning printed) when it is missing or broken. */
static tz_proofread_words *_load_words(const char *path_opt)
{
    char path[4096];
    if (path_opt)
        snprintf(path, sizeof path, "%s", path_opt);
    else
        snprintf(path, sizeof path, "%s/data/proofread_words.tsv", tz_home_dir());
    if (!path_opt && access(path, R_OK) != 0) {
        fprintf(stderr, "提示: 找不到校对词表 %s,跳过错别字检查\n", path);
        return NULL;
    }
    tz_diags d = TZ_DIAGS_INIT;
    tz_proofread_words *w = tz_proofread_load_words(path, &d);
    tz_print_diags(&d);
    tz_diags_clear(&d);
    return w;
}

/* Proofreads a written file (or, for .html, the Markdown of doc) with the
 * database facts; prints findings as warnings. Returns the finding count,
 * or -1 when proofreading itself failed. */
static long _proofread_output(const char *path, const tz_doc *doc, const tz_proofread_fact *facts,
                              size_t nfacts)
{
    tz_proofread_words *w = _load_words(NULL);
    tz_proofread_opts po = {w, facts, nfacts, 0};
    tz_proofread_findings f = TZ_PROOFREAD_FINDINGS_INIT;
    tz_diags d = TZ_DIAGS_INIT;
    int rc;
    if (_ext_in(path, _html_exts)) {
        tz_buf md = TZ_BUF_INIT;
        rc = tz_render_md(doc, &md);
        if (rc == 0)
            rc = tz_proofread_text(tz_buf_str(&md), md.len, &po, &f, &d);
        tz_buf_free(&md);
    } else {
        rc = tz_proofread_file(path, &po, &f, NULL, &d);
    }
    long n = rc ? -1 : (long)f.n;
    if (rc == 0 && f.n) {
        tz_diags pd = TZ_DIAGS_INIT;
        tz_proofread_to_diags(&f, tz_path_base(path), &pd);
        tz_print_diags(&pd);
        tz_diags_clear(&pd);
    }
    tz_print_diags(&d);
    tz_diags_clear(&d);
    tz_proofread_findings_free(&f);
    tz_proofread_words_free(w);
    return n;
}

/* The seed reports are written for one scope each: poverty-work for a
 * 县直单位 in its county, investment for a city. Returns 0 when the scope
 * fits, else prints why and returns TZ_EXIT_USAGE (or TZ_EXIT_ENV). */
static int _check_scope(tz_store *s, const char *kind, const char *code, const char *unit,
                        const char *usage)
{
    char name[128];
    tz_level lv = TZ_LEVEL_NONE;
    if (tz_region_get(s, code, name, sizeof name, &lv) < 0)
        return TZ_EXIT_ENV;
    if (!strcmp(kind, "investment") && lv != TZ_LEVEL_CITY)
        return tz_usage_error(usage, "开放招商工作情况按市汇报,%s是%s级区划,请指定市级区划", name,
                              tz_level_word(lv));
    if (strcmp(kind, "poverty-work"))
        return 0;
    if (lv != TZ_LEVEL_COUNTY)
        return tz_usage_error(usage, "精准扶贫工作汇报按县汇报,%s是%s级区划,请指定县级区划", name,
                              tz_level_word(lv));
    if (!unit)
        return tz_usage_error(usage, "精准扶贫工作汇报需要 --unit 指定汇报单位(县直单位)");
    tz_stmt *st = NULL;
    int rc = 0;
    if (tz_store_prepare(s, "SELECT kind, region FROM units WHERE name = ?", &st))
        return TZ_EXIT_ENV;
    tz_stmt_bind_text(st, 1, unit);
    int r = tz_stmt_step(st);
    if (r < 0)
        rc = TZ_EXIT_ENV;
    else if (r == 0)
        rc = tz_usage_error(usage, "责任单位台账中没有单位 \"%s\"", unit);
    else if (strcmp(tz_stmt_text(st, 1) ? tz_stmt_text(st, 1) : "", code))
        rc = tz_usage_error(usage, "单位 \"%s\" 不属于%s(所属区划代码为%s)", unit, name,
                            tz_stmt_text(st, 1) ? tz_stmt_text(st, 1) : "空");
    tz_stmt_free(st);
    return rc;
}

int tz_cmd_report(int argc, char **argv, const tz_command *self)
{
    static const tz_opt_spec spec[] = {{"--kind", 1, 0},     {"--region", 1, 0},
                                       {"--unit", 1, 0},     {"--period", 1, 0},
                                       {"--output", 1, 0},
                                       {"--appendix", 0, 0}, {"--template", 1, 0},
                                       {"--no-proofread", 0, 0}, {NULL, 0, 0}};
    tz_args a; /* "-o FILE" is --output: args.c's short forms */
    if (tz_args_parse(argc, argv, spec, &a))
        return tz_usage_error(self->usage, "参数有误");
    if (a.help) {
        printf("用法: %s\n%s。\n\n"
               "  --kind       汇报种类: poverty-work(精准扶贫工作汇报,县直单位)或 investment\n"
               "               (开放招商工作情况,市);即模板 templates/<种类>.lua\n"
               "  --region     地区: 区划代码或名称,如 411628 或 鹿邑县\n"
               "  --unit       汇报单位(责任单位),如 县文化广电旅游局\n"
               "  --period     期间: 2019、2015-H1(上半年)、2015-Q3、2015-07\n"
               "  -o FILE      输出文件,按扩展名决定格式: .docx、.md 或 .html\n"
               "  --appendix   加附件:列出每个数字的指标、范围、期间和所依据的台账记录\n"
               "  --template   改用指定的模板文件(Lua)\n"
               "  --no-proofread 不做校对\n"
               "生成后自动校对(错别字、重复词、括号、与台账不符的数字),结果作为提示列出。\n"
               "模板在子进程中运行,超过环境变量 TZ_TEMPLATE_SECONDS 给定的秒数(默认60)即停止,\n"
               "不生成文件,退出状态为1。\n",
               self->usage, self->summary);
        return TZ_EXIT_OK;
    }
    if (a.npos != 1)
        return tz_usage_error(self->usage, "需要一个数据库参数");
    const char *kind = tz_args_get(&a, "--kind");
    const char *tpl = tz_args_get(&a, "--template");
    const char *region = tz_args_get(&a, "--region");
    const char *period = tz_args_get(&a, "--period");
    const char *out = tz_args_get(&a, "--output");
    const char *unit = tz_args_get(&a, "--unit");
    int own_template = tpl != NULL; /* --template given: no scope check of the kind */
    if (!kind && !tpl)
        return tz_usage_error(self->usage, "需要 --kind(或 --template)");
    if (!region)
        return tz_usage_error(self->usage, "需要 --region");
    if (!period)
        return tz_usage_error(self->usage, "需要 --period");
    if (!out)
        return tz_usage_error(self->usage, "需要 -o 输出文件");
    if (!_ext_in(out, _report_exts))
        return tz_usage_error(self->usage, "输出文件 %s 的扩展名应为 .docx、.md 或 .html", out);
    char tplbuf[4096];
    if (!tpl) {
        tpl = tz_draft_template_path(tz_home_dir(), kind, tplbuf, sizeof tplbuf);
        if (!tpl)
            return tz_usage_error(self->usage, "汇报种类 \"%s\" 有误(只能含字母、数字和 -)", kind);
        if (access(tpl, R_OK) != 0) {
            int known = !strcmp(kind, "poverty-work") || !strcmp(kind, "investment");
            fprintf(stderr, "找不到汇报种类 \"%s\" 的模板 %s(可选: poverty-work、investment;"
                            "或用 --template 指定模板文件)\n",
                    kind, tpl);
            return known ? TZ_EXIT_ENV : TZ_EXIT_USAGE;
        }
    }

    tz_period pp;
    const char *why = NULL;
    if (tz_period_parse(period, &pp, &why))
        return tz_usage_error(self->usage, "期间 \"%s\" 有误: %s", period, why ? why : "");
    tz_store *s = NULL;
    int rc = _open_db(a.pos[0], &s);
    if (rc)
        return rc;
    tz_diags d = TZ_DIAGS_INIT;
    char code[13];
    if (tz_region_resolve(s, region, code, &d)) {
        tz_print_diags(&d);
        tz_diags_clear(&d);
        tz_store_close(s);
        return tz_usage_error(self->usage, "地区 \"%s\" 有误", region);
    }
    if (kind && !own_template && (rc = _check_scope(s, kind, code, unit, self->usage)) != 0) {
        tz_store_close(s);
        return rc;
    }
    tz_draft_opts o;
    memset(&o, 0, sizeof o);
    o.template_path = tpl;
    o.region = code;
    o.unit = unit;
    o.period = period;
    o.appendix = tz_args_has(&a, "--appendix");
    tz_doc *doc = NULL;
    tz_draft_stats st = {0, 0};
    tz_proofread_fact *facts = NULL;
    size_t nfacts = 0;
    /* in a child under TZ_TEMPLATE_SECONDS: a hanging template is stopped.
     * No database connection may stay open across the fork: SQLite's unix
     * VFS would hand the child's new connection the parent's (then closed)
     * -shm descriptor, and its WAL read lock would land on another file. */
    tz_store_close(s);
    s = NULL;
    if (tz_draft_report_isolated(a.pos[0], 0, &o, &doc, &st, &d)) {
        tz_print_diags(&d);
        fprintf(stderr, "汇报材料未生成\n");
        rc = TZ_EXIT_DATA;
        goto done;
    }
    if ((rc = _open_db(a.pos[0], &s)) != 0)
        goto done;
    tz_print_diags(&d); /* the template's warnings */
    tz_diags_clear(&d);
    if (tz_render_file(doc, out, &d)) {
        tz_print_diags(&d);
        fprintf(stderr, "汇报材料未能写出: %s\n", out);
        rc = TZ_EXIT_ENV;
        goto done;
    }
    tz_print_diags(&d);
    tz_diags_clear(&d);
    printf("已生成汇报材料 %s(%zu个数字%s)\n", out, st.figures,
           o.appendix ? ",附件列出每个数字的来源" : "");
    if (!tz_args_has(&a, "--no-proofread")) {
        if (tz_draft_facts(s, code, period, &facts, &nfacts, &d) == 0) {
            long nf = _proofread_output(out, doc, facts, nfacts);
            if (nf > 0)
                fprintf(stderr, "校对发现%ld处需要注意,请核对\n", nf);
            else if (nf == 0)
                printf("校对未发现问题\n");
        }
        tz_print_diags(&d);
    }
    rc = TZ_EXIT_OK;
done:
    tz_diags_clear(&d);
    free(facts);
    tz_doc_free(doc);
    tz_store_close(s);
    return rc;
}

int tz_cmd_proofread(int argc, char **argv, const tz_command *self)
{
    static const tz_opt_spec spec[] = {{"--db", 1, 0},     {"--region", 1, 0}, {"--period", 1, 0},
                                       {"--words", 1, 0},  {NULL, 0, 0}};
    tz_args a;
    if (tz_args_parse(argc, argv, spec, &a))
        return tz_usage_error(self->usage, "参数有误");
    if (a.help) {
        printf("用法: %s\n%s。\n\n"
               "检查: 错别字(词表 data/proofread_words.tsv)、重复的词、括号引号不配对、乱码;\n"
               "给出 --db 时还核对文中数字是否与台账相符(如“105个贫困村”)。\n"
               "  --db DB      台账数据库,用于核对数字\n"
               "  --region     核对数字的地区(区划代码或名称),默认全部地区\n"
               "  --period     核对数字的期间(截至期末),默认不限日期\n"
               "  --words FILE 改用指定的词表\n"
               "退出状态: 0 未发现问题; 1 有需要注意的地方; 2 用法错误; 3 文件无法读取。\n",
               self->usage, self->summary);
        return TZ_EXIT_OK;
    }
    if (a.npos != 1)
        return tz_usage_error(self->usage, "需要一个要校对的文件");
    const char *path = a.pos[0];
    if (!_ext_in(path, _proofread_exts))
        return tz_usage_error(self->usage, "只能校对 .docx、.md 或 .txt 文件: %s", path);
    const char *db = tz_args_get(&a, "--db");
    if (!db && (tz_args_get(&a, "--region") || tz_args_get(&a, "--period")))
        return tz_usage_error(self->usage, "--region 和 --period 需要与 --db 一起使用");

    int rc = TZ_EXIT_OK;
    tz_store *s = NULL;
    tz_proofread_fact *facts = NULL;
    size_t nfacts = 0;
    tz_diags d = TZ_DIAGS_INIT;
    tz_proofread_words *w = NULL;
    tz_proofread_findings f = TZ_PROOFREAD_FINDINGS_INIT;
    if (db) {
        if ((rc = _open_db(db, &s)))
            goto done;
        const char *region = tz_args_get(&a, "--region");
        char code[13];
        if (region && tz_region_resolve(s, region, code, &d)) {
            tz_print_diags(&d);
            rc = TZ_EXIT_USAGE;
            goto done;
        }
        if (tz_draft_facts(s, region ? code : NULL, tz_args_get(&a, "--period"), &facts, &nfacts,
                           &d)) {
            tz_print_diags(&d);
            rc = TZ_EXIT_DATA;
            goto done;
        }
    }
    w = _load_words(tz_args_get(&a, "--words"));
    if (!w) { /* proofreading without the word list would miss most errors */
        fprintf(stderr, "校对词表无法读取,未做校对\n");
        rc = TZ_EXIT_ENV;
        goto done;
    }
    tz_proofread_opts po = {w, facts, nfacts, 0};
    if (tz_proofread_file(path, &po, &f, NULL, &d)) {
        tz_print_diags(&d);
        rc = TZ_EXIT_ENV;
        goto done;
    }
    tz_print_diags(&d);
    tz_diags_clear(&d);
    for (size_t i = 0; i < f.n; i++) {
        tz_buf b = TZ_BUF_INIT;
        tz_proofread_format(&f.items[i], &b);
        printf("%s\n", tz_buf_str(&b));
        tz_buf_free(&b);
    }
    if (f.n) {
        printf("%s: 发现%zu处需要注意\n", path, f.n);
        rc = TZ_EXIT_DATA;
    } else {
        printf("%s: 未发现问题%s\n", path, db ? "(已与台账核对数字)" : "");
    }
done:
    tz_proofread_findings_free(&f);
    tz_proofread_words_free(w);
    tz_diags_clear(&d);
    free(facts);
    tz_store_close(s);
    return rc;
}
