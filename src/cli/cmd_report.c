/* cmd_report.c - `taizhang report` (draft a report from a template) and
 * `taizhang proofread` (proofread a .docx/.md/.txt file). */
#include "cli/cli.h"
#include "ledger/ledger.h"
#include "util/path.h"
#include "report/draft.h"
#include "report/proofread.h"
#include "report/render.h"
#include "report/template.h"
#include "util/buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Extensions (case-insensitive) of the files each command takes. */
static const char *const _report_exts[] = {".docx", ".md", ".markdown", ".html", ".htm", NULL};
static const char *const _html_exts[] = {".html", ".htm", NULL};
static const char *const _proofread_exts[] = {".docx", ".md",  ".markdown", ".txt",
                                              ".html", ".htm", NULL};

/* 1 when path's extension is one of exts (NULL-terminated), else 0. */
static int _ext_in(const char *path, const char *const *exts)
{
    for (; *exts; exts++)
        if (tz_path_has_ext(path, *exts))
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
                              size_t nfacts, const tz_proofread_scope *scope)
{
    tz_proofread_words *w = _load_words(NULL);
    tz_proofread_opts po = {w, facts, nfacts, 0, scope};
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

/* The templates directory: --templates DIR, else <home>/templates. */
static const char *_templates_dir(const tz_args *a, char *buf, size_t sz)
{
    const char *dir = tz_args_get(a, "--templates");
    if (dir)
        return dir;
    snprintf(buf, sz, "%s/templates", tz_home_dir());
    return buf;
}

/* Reads the declared kinds of dir into *list (warnings about left-out
 * files printed). Returns an exit status. */
static int _read_kinds(const char *dir, tz_template ***list, size_t *n)
{
    tz_diags d = TZ_DIAGS_INIT;
    int rc = tz_templates_list(dir, list, n, &d);
    tz_print_diags(&d);
    tz_diags_clear(&d);
    return rc ? TZ_EXIT_ENV : TZ_EXIT_OK;
}

/* Prints one line per declared kind of dir to f, each after indent.
 * Returns an exit status. */
static int _print_kinds(FILE *f, const char *dir, const char *indent)
{
    tz_template **list = NULL;
    size_t n = 0;
    int rc = _read_kinds(dir, &list, &n);
    for (size_t i = 0; i < n; i++) {
        const tz_template *t = list[i];
        fprintf(f, "%s%-16s %s(", indent, t->kind, t->title);
        if (t->level != TZ_LEVEL_NONE)
            fprintf(f, "%s级区划", tz_level_word(t->level));
        else
            fprintf(f, "任一区划");
        if (t->unit)
            fprintf(f, ",需要 --unit:%s", t->unit);
        fprintf(f, ")\n");
    }
    if (rc == TZ_EXIT_OK && n == 0) {
        fprintf(stderr, "模板目录 %s 中没有声明了 report{...} 的模板\n", dir);
        rc = TZ_EXIT_ENV;
    }
    tz_templates_free(list, n);
    return rc;
}

/* The template of --kind in dir, its declaration in *decl. Returns an exit
 * status: a kind that is not there is a usage error listing the kinds. */
static int _kind_template(const char *dir, const char *kind, char *buf, size_t sz,
                          tz_template **decl, const char *usage)
{
    const char *tpl = tz_template_path(dir, kind, buf, sz);
    if (!tpl)
        return tz_usage_error(usage, "汇报种类 \"%s\" 有误(只能含字母、数字、- 和 _)", kind);
    if (access(tpl, R_OK) != 0) {
        fprintf(stderr, "没有汇报种类 \"%s\"(模板 %s 不存在或不可读)。可选的种类:\n", kind, tpl);
        int rc = _print_kinds(stderr, dir, "  ");
        return rc ? rc : TZ_EXIT_USAGE;
    }
    tz_diags d = TZ_DIAGS_INIT;
    char why[400];
    int r = tz_template_read(tpl, decl, why, sizeof why, &d);
    tz_print_diags(&d);
    tz_diags_clear(&d);
    if (r == 0)
        fprintf(stderr, "模板 %s 开头没有 report{...} 声明,不能作为汇报种类:%s\n", tpl, why);
    else if (r == 1 && strcmp((*decl)->kind, kind) != 0)
        fprintf(stderr, "模板 %s 声明的种类是 \"%s\",与文件名不符\n", tpl, (*decl)->kind);
    if (r == 1 && !strcmp((*decl)->kind, kind))
        return TZ_EXIT_OK;
    tz_template_free(*decl);
    *decl = NULL;
    return TZ_EXIT_ENV;
}

/* The template a --template FILE declares, if any (*decl NULL when it
 * declares nothing). Returns an exit status. */
static int _own_template(const char *tpl, tz_template **decl)
{
    tz_diags d = TZ_DIAGS_INIT;
    int r = tz_template_read(tpl, decl, NULL, 0, &d);
    tz_print_diags(&d);
    tz_diags_clear(&d);
    if (r >= 0)
        return TZ_EXIT_OK;
    fprintf(stderr, "汇报材料未生成\n");
    return access(tpl, R_OK) ? TZ_EXIT_ENV : TZ_EXIT_DATA;
}

/* Resolves the region into code and checks it, and unit, against the
 * declared scope (none when decl is NULL). Returns an exit status. */
static int _resolve_scope(const char *db, const char *region, const char *unit,
                          const tz_template *decl, char code[13], const char *usage)
{
    tz_store *s = NULL;
    int rc = tz_cli_open(db, 0, &s);
    if (rc)
        return rc;
    tz_diags d = TZ_DIAGS_INIT;
    char why[512];
    if (tz_region_resolve(s, region, code, &d)) {
        tz_print_diags(&d);
        rc = tz_usage_error(usage, "地区 \"%s\" 有误", region);
    } else if (decl) {
        int r = tz_template_check_scope(s, decl, code, unit, why, sizeof why, &d);
        tz_print_diags(&d);
        rc = r < 0 ? TZ_EXIT_ENV : r > 0 ? tz_usage_error(usage, "%s", why) : TZ_EXIT_OK;
    }
    tz_diags_clear(&d);
    tz_store_close(s);
    return rc;
}

/* The facts of every declared template in dir, one each of label and
 * indicator, into *facts (pointing into *list, which the caller frees with
 * tz_templates_free after the facts). Returns an exit status. */
static int _all_facts(const char *dir, tz_template ***list, size_t *nlist, tz_template_fact **facts,
                      size_t *nfacts)
{
    int rc = _read_kinds(dir, list, nlist);
    size_t total = 0, k = 0;
    for (size_t i = 0; i < *nlist; i++)
        total += (*list)[i]->nfacts;
    *facts = calloc(total + 1, sizeof **facts);
    if (!*facts) {
        fprintf(stderr, "内存不足\n");
        return TZ_EXIT_ENV;
    }
    for (size_t i = 0; i < *nlist; i++)
        for (size_t j = 0; j < (*list)[i]->nfacts; j++) {
            const tz_template_fact *f = &(*list)[i]->facts[j];
            size_t m = 0;
            while (m < k && (strcmp((*facts)[m].label, f->label) != 0 ||
                             strcmp((*facts)[m].indicator, f->indicator) != 0))
                m++;
            if (m == k)
                (*facts)[k++] = *f;
        }
    *nfacts = k;
    if (rc == TZ_EXIT_OK && *nlist == 0)
        fprintf(stderr, "提示: 模板目录 %s 中没有声明了 report{...} 的模板,不核对数字\n", dir);
    return rc;
}

/* Proofreads the written report with the facts its template declares (a
 * template that declares none: those of every template in dir) and prints
 * the outcome. */
static void _proofread_report(const char *db, const char *out, const tz_doc *doc,
                              const tz_draft_opts *o, const tz_template *decl, const char *dir)
{
    tz_store *s = NULL;
    tz_proofread_fact *facts = NULL;
    tz_proofread_scope *scope = NULL;
    tz_template **list = NULL;
    tz_template_fact *all = NULL;
    size_t nfacts = 0, nlist = 0, nall = 0;
    tz_diags d = TZ_DIAGS_INIT;
    if (!decl && _all_facts(dir, &list, &nlist, &all, &nall))
        goto done;
    if (tz_cli_open(db, 0, &s))
        goto done;
    if (tz_draft_facts(s, o->region, o->period, decl ? decl->facts : all,
                       decl ? decl->nfacts : nall, &facts, &nfacts, &d) == 0 &&
        (scope = tz_proofread_scope_load(s, o->region, o->period, &d)) != NULL) {
        long nf = _proofread_output(out, doc, facts, nfacts, scope);
        if (nf > 0)
            fprintf(stderr, "校对发现%ld处需要注意,请核对\n", nf);
        else if (nf == 0)
            printf("校对未发现问题\n");
    }
    tz_print_diags(&d);
done:
    tz_diags_clear(&d);
    free(facts);
    tz_proofread_scope_free(scope);
    free(all);
    tz_templates_free(list, nlist);
    tz_store_close(s);
}

/* Drafts in the sandboxed child, writes out and proofreads it. Returns an
 * exit status. */
static int _draft_write(const char *db, const tz_draft_opts *o, const char *out,
                        const tz_template *decl, const char *dir, int proofread)
{
    tz_doc *doc = NULL;
    tz_draft_stats st = {0, 0};
    tz_diags d = TZ_DIAGS_INIT;
    int rc = TZ_EXIT_OK;
    /* in a child under TZ_TEMPLATE_SECONDS: a hanging template is stopped.
     * No database connection may be open across the fork: SQLite's unix
     * VFS would hand the child's new connection the parent's (then closed)
     * -shm descriptor, and its WAL read lock would land on another file. */
    if (tz_draft_report_isolated(db, 0, o, &doc, &st, &d)) {
        tz_print_diags(&d);
        fprintf(stderr, "汇报材料未生成\n");
        rc = TZ_EXIT_DATA;
        goto done;
    }
    tz_print_diags(&d); /* the template's warnings */
    tz_diags_clear(&d);
    if (tz_render_file(doc, out, &d)) {
        tz_print_diags(&d);
        fprintf(stderr, "汇报材料未能写出: %s\n", out);
        rc = TZ_EXIT_ENV;
        goto done;
    }
    tz_print_diags(&d);
    printf("已生成汇报材料 %s(%zu个数字%s)\n", out, st.figures,
           o->appendix ? ",附件列出每个数字的来源" : "");
    if (proofread)
        _proofread_report(db, out, doc, o, decl, dir);
done:
    tz_diags_clear(&d);
    tz_doc_free(doc);
    return rc;
}

static void _report_help(const tz_command *self, const char *dir)
{
    printf("用法: %s\n%s。\n\n"
           "  --kind       汇报种类,即模板 templates/<种类>.lua 开头 report{...} 声明的 kind\n"
           "  --list       列出汇报种类(模板目录中声明了 report{...} 的模板)\n"
           "  --templates DIR  改用指定的模板目录(默认为安装目录下的 templates)\n"
           "  --region     地区: 区划代码或名称,如 411628 或 鹿邑县\n"
           "  --unit       汇报单位(责任单位),如 县文化广电旅游局\n"
           "  --period     期间: 2019、2015-H1(上半年)、2015-Q3、2015-07\n"
           "  -o FILE      输出文件,按扩展名决定格式: .docx、.md 或 .html\n"
           "  --appendix   加附件:列出每个数字的指标、范围、期间和所依据的台账记录\n"
           "  --date 日期  落款的成文日期,如2019-12-31或2019年12月31日(默认为期间的最后一天)\n"
           "  --template   改用指定的模板文件(Lua)\n"
           "  --no-proofread 不做校对\n"
           "生成后自动校对(错别字、重复词、括号、与台账不符的数字),结果作为提示列出。\n"
           "模板在子进程中运行,超过环境变量 TZ_TEMPLATE_SECONDS 给定的秒数(默认60)即停止,\n"
           "不生成文件,退出状态为1。\n\n汇报种类:\n",
           self->usage, self->summary);
    /* before the kinds' warnings on stderr; a write error stays in
     * ferror(stdout), which main checks at the end */
    (void)fflush(stdout);
    _print_kinds(stdout, dir, "  ");
}

/* The arguments of `report` other than the options with defaults. */
typedef struct report_req {
    const char *kind;   /* --kind, or NULL */
    const char *tpl;    /* --template, or NULL */
    const char *region; /* --region */
    const char *period; /* --period */
    const char *out;    /* -o */
    char date[11];      /* --date as YYYY-MM-DD, or "" */
} report_req;

/* Checks what `report` needs before anything is opened. Returns an exit
 * status. */
static int _report_usage(const tz_args *a, report_req *r, const char *usage)
{
    r->kind = tz_args_get(a, "--kind");
    r->tpl = tz_args_get(a, "--template");
    r->region = tz_args_get(a, "--region");
    r->period = tz_args_get(a, "--period");
    r->out = tz_args_get(a, "--output");
    const char *date = tz_args_get(a, "--date");
    const char *why = NULL;
    r->date[0] = '\0';
    if (a->npos != 1)
        return tz_usage_error(usage, "需要一个数据库参数");
    if (!r->kind && !r->tpl)
        return tz_usage_error(usage,
                              "需要 --kind(或 --template);taizhang report --list 列出汇报种类");
    if (!r->region)
        return tz_usage_error(usage, "需要 --region");
    if (!r->period)
        return tz_usage_error(usage, "需要 --period");
    if (!r->out)
        return tz_usage_error(usage, "需要 -o 输出文件");
    if (tz_cli_file_ext(r->out, _report_exts, "输出文件", usage))
        return TZ_EXIT_USAGE;
    /* the ledgers' date parser: 2019-12-31, 2019/12/31, 2019年12月31日 */
    if (date && tz_parse_date(date, 0, 0, r->date, &why))
        return tz_usage_error(usage, "--date(成文日期) \"%s\" 有误: %s", date, why);
    tz_period pp;
    if (tz_period_parse(r->period, &pp, &why))
        return tz_usage_error(usage, "期间 \"%s\" 有误: %s", r->period, why ? why : "");
    return TZ_EXIT_OK;
}

int tz_cmd_report(int argc, char **argv, const tz_command *self)
{
    static const tz_opt_spec spec[] = {
        {"--kind", 1, 0},   {"--region", 1, 0},       {"--unit", 1, 0},     {"--period", 1, 0},
        {"--output", 1, 0}, {"--appendix", 0, 0},     {"--template", 1, 0}, {"--templates", 1, 0},
        {"--list", 0, 0},   {"--no-proofread", 0, 0}, {"--date", 1, 0},     {NULL, 0, 0}};
    tz_args a; /* "-o FILE" is --output: args.c's short forms */
    if (tz_args_parse(argc, argv, spec, &a))
        return tz_usage_error(self->usage, "参数有误");
    char dirbuf[4096], tplbuf[4096];
    const char *dir = _templates_dir(&a, dirbuf, sizeof dirbuf);
    if (a.help) {
        _report_help(self, dir);
        return TZ_EXIT_OK;
    }
    if (tz_args_has(&a, "--list"))
        return a.npos > 1 ? tz_usage_error(self->usage, "--list 只需要模板目录")
                          : _print_kinds(stdout, dir, "");
    report_req r;
    int rc = _report_usage(&a, &r, self->usage);
    if (rc)
        return rc;
    tz_template *decl = NULL;
    const char *unit = tz_args_get(&a, "--unit");
    char code[13];
    if (r.tpl)
        rc = _own_template(r.tpl, &decl);
    else if ((rc = _kind_template(dir, r.kind, tplbuf, sizeof tplbuf, &decl, self->usage)) == 0)
        r.tpl = tplbuf;
    if (rc == 0)
        rc = _resolve_scope(a.pos[0], r.region, unit, decl, code, self->usage);
    if (rc == 0) {
        tz_draft_opts o;
        memset(&o, 0, sizeof o);
        o.template_path = r.tpl;
        o.region = code;
        o.unit = unit;
        o.period = r.period;
        o.appendix = tz_args_has(&a, "--appendix");
        o.date = r.date[0] ? r.date : NULL;
        rc = _draft_write(a.pos[0], &o, r.out, decl, dir, !tz_args_has(&a, "--no-proofread"));
    }
    tz_template_free(decl);
    return rc;
}

/* Gives facts its own copy of the labels: one allocation, so that one
 * free() of *facts still frees all. Returns 0 or -1 (out of memory). */
static int _own_labels(tz_proofread_fact **facts, size_t n)
{
    size_t bytes = n * sizeof **facts;
    for (size_t i = 0; i < n; i++)
        bytes += strlen((*facts)[i].label) + 1;
    tz_proofread_fact *nf = malloc(bytes ? bytes : 1);
    if (!nf)
        return -1;
    char *p = (char *)(nf + n);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen((*facts)[i].label) + 1;
        nf[i] = (*facts)[i];
        nf[i].label = memcpy(p, (*facts)[i].label, len);
        p += len;
    }
    free(*facts);
    *facts = nf;
    return 0;
}

/* The facts of --db for the region and period given, as every template of
 * dir declares them. Returns an exit status. */
static int _db_facts(const tz_args *a, const char *dir, tz_proofread_fact **facts, size_t *n,
                     tz_proofread_scope **scope)
{
    tz_store *s = NULL;
    tz_template **list = NULL;
    size_t nlist = 0, nspecs = 0;
    tz_template_fact *specs = NULL;
    tz_diags d = TZ_DIAGS_INIT;
    const char *region = tz_args_get(a, "--region");
    char code[13];
    int rc = tz_cli_open(tz_args_get(a, "--db"), 0, &s);
    if (rc)
        return rc;
    if (region && tz_region_resolve(s, region, code, &d)) {
        tz_print_diags(&d);
        rc = TZ_EXIT_USAGE;
        goto done;
    }
    if ((rc = _all_facts(dir, &list, &nlist, &specs, &nspecs)) != 0)
        goto done;
    if (tz_draft_facts(s, region ? code : NULL, tz_args_get(a, "--period"), specs, nspecs, facts, n,
                       &d)) {
        tz_print_diags(&d);
        rc = TZ_EXIT_DATA;
        goto done;
    }
    *scope = tz_proofread_scope_load(s, region ? code : NULL, tz_args_get(a, "--period"), &d);
    if (!*scope) {
        tz_print_diags(&d);
        rc = TZ_EXIT_ENV;
        goto done;
    }
    /* the labels point into the templates: copy them next to the facts */
    rc = _own_labels(facts, *n) ? TZ_EXIT_ENV : TZ_EXIT_OK;
done:
    tz_diags_clear(&d);
    free(specs);
    tz_templates_free(list, nlist);
    tz_store_close(s);
    return rc;
}

/* Prints the findings of a proofread file. Returns an exit status. */
static int _print_findings(const char *path, const tz_proofread_findings *f, int checked)
{
    for (size_t i = 0; i < f->n; i++) {
        tz_buf b = TZ_BUF_INIT;
        tz_proofread_format(&f->items[i], &b);
        printf("%s\n", tz_buf_str(&b));
        tz_buf_free(&b);
    }
    if (f->n) {
        printf("%s: 发现%zu处需要注意\n", path, f->n);
        return TZ_EXIT_DATA;
    }
    printf("%s: 未发现问题%s\n", path, checked ? "(已与台账核对数字)" : "");
    return TZ_EXIT_OK;
}

int tz_cmd_proofread(int argc, char **argv, const tz_command *self)
{
    static const tz_opt_spec spec[] = {{"--db", 1, 0},    {"--region", 1, 0},    {"--period", 1, 0},
                                       {"--words", 1, 0}, {"--templates", 1, 0}, {NULL, 0, 0}};
    tz_args a;
    if (tz_args_parse(argc, argv, spec, &a))
        return tz_usage_error(self->usage, "参数有误");
    if (a.help) {
        printf("用法: %s\n%s。\n\n"
               "检查: 错别字(词表 data/proofread_words.tsv)、重复的词、括号引号不配对、乱码、\n"
               "同句数字用法不一致(一个…6个)、年份简写(18年)、没有日期的“目前”;\n"
               "给出 --db 时还核对文中数字是否与台账相符(如“105个贫困村”),\n"
               "所核对的数字是各模板开头 report{...} 声明的 facts;列全了 --region 下辖\n"
               "各地区或某类全部单位后又写“等”的,也会指出。\n"
               "  --db DB      台账数据库,用于核对数字\n"
               "  --region     核对数字的地区(区划代码或名称),默认全部地区\n"
               "  --period     核对数字的期间(截至期末),默认不限日期\n"
               "  --words FILE 改用指定的词表\n"
               "  --templates DIR  改用指定的模板目录\n"
               "退出状态: 0 未发现问题; 1 有需要注意的地方; 2 用法错误; 3 文件无法读取。\n",
               self->usage, self->summary);
        return TZ_EXIT_OK;
    }
    if (a.npos != 1)
        return tz_usage_error(self->usage, "需要一个要校对的文件");
    const char *path = a.pos[0];
    if (tz_cli_file_ext(path, _proofread_exts, "要校对的文件", self->usage))
        return TZ_EXIT_USAGE;
    const char *db = tz_args_get(&a, "--db");
    if (!db && (tz_args_get(&a, "--region") || tz_args_get(&a, "--period")))
        return tz_usage_error(self->usage, "--region 和 --period 需要与 --db 一起使用");

    char dirbuf[4096];
    int rc = TZ_EXIT_OK;
    tz_proofread_fact *facts = NULL;
    size_t nfacts = 0;
    tz_diags d = TZ_DIAGS_INIT;
    tz_proofread_words *w = NULL;
    tz_proofread_findings f = TZ_PROOFREAD_FINDINGS_INIT;
    tz_proofread_scope *scope = NULL;
    if (db &&
        (rc = _db_facts(&a, _templates_dir(&a, dirbuf, sizeof dirbuf), &facts, &nfacts, &scope)))
        goto done;
    w = _load_words(tz_args_get(&a, "--words"));
    if (!w) { /* proofreading without the word list would miss most errors */
        fprintf(stderr, "校对词表无法读取,未做校对\n");
        rc = TZ_EXIT_ENV;
        goto done;
    }
    tz_proofread_opts po = {w, facts, nfacts, 0, scope};
    if (tz_proofread_file(path, &po, &f, NULL, &d)) {
        tz_print_diags(&d);
        rc = TZ_EXIT_ENV;
        goto done;
    }
    tz_print_diags(&d);
    rc = _print_findings(path, &f, db != NULL);
done:
    tz_proofread_findings_free(&f);
    tz_proofread_words_free(w);
    tz_diags_clear(&d);
    free(facts);
    tz_proofread_scope_free(scope);
    return rc;
}
