/* api_report.c - the 报告 page's routes: the report kinds the installed
 * templates declare (GET /api/report/kinds) and a draft to read in the page
 * (GET /api/report/draft): its HTML body with every figure linked to its
 * source, the sources, and the proofreading findings of its text.
 *
 * Owns: the JSON of a kind and of a draft. Does not own: checking a report
 * request and finding its template (api_data.c's tz_req_report_ask and
 * tz_req_report_template, shared with GET /api/report), drafting
 * (report/draft.h), the HTML (report/render.h), proofreading
 * (report/proofread.h) and the facts it checks figures against
 * (tz_draft_facts).
 */
#include "report/draft.h"
#include "report/render.h"
#include "report/template.h"
#include "web/web_impl.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- kinds ------------------------------------------------------------------ */

/* What drafting a kind needs, in words: "县级区划 + 县直单位". */
static void _needs(const tz_template *t, char *out, size_t sz)
{
    if (t->level != TZ_LEVEL_NONE)
        snprintf(out, sz, "%s级区划%s%s", tz_level_word(t->level), t->unit ? " + " : "",
                 t->unit ? t->unit : "");
    else
        snprintf(out, sz, "任一区划%s%s", t->unit ? " + " : "", t->unit ? t->unit : "");
}

int tz_api_report_kinds(tz_req *rq, tz_resp *rs)
{
    tz_template **list = NULL;
    size_t n = 0;
    tz_diags d = TZ_DIAGS_INIT;
    if (tz_req_allow(rq, rs, TZ_PERM_READ))
        return 0;
    if (tz_templates_list(tz_serve_templates(), &list, &n, &d)) {
        tz_resp_error(rs, 500, &d, "无法读取模板目录");
        goto done;
    }
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        const tz_template *t = list[i];
        char needs[256];
        _needs(t, needs, sizeof needs);
        json_array_append_new(
            arr, json_pack(
                     "{s:s, s:s, s:o, s:o, s:s}", "kind", t->kind, "title", t->title, "level",
                     t->level != TZ_LEVEL_NONE ? json_string(tz_level_word(t->level)) : json_null(),
                     "unit_kind", t->unit ? json_string(t->unit) : json_null(), "needs", needs));
    }
    json_t *o = arr ? json_pack("{s:o}", "kinds", arr) : NULL;
    if (o)
        tz_resp_json(rs, 200, o);
    else
        tz_resp_error(rs, 500, NULL, "内存不足");
done:
    tz_templates_free(list, n);
    tz_diags_clear(&d);
    return 0;
}

/* ---- a draft --------------------------------------------------------------------- */

/* Appends ` name="value"` (value escaped) to b when value is not NULL. */
static void _attr(tz_buf *b, const char *name, const char *value)
{
    if (!value)
        return;
    tz_buf_printf(b, " %s=\"", name);
    tz_buf_xml(b, value);
    tz_buf_puts(b, "\"");
}

/* tz_render_ref_fn: a figure's element carries its first source. */
static int _fig_attrs(void *ctx, const char *ref, tz_buf *attrs)
{
    const tz_draft_sources *srcs = ctx;
    for (size_t i = 0; i < srcs->n; i++) {
        const tz_draft_source *e = &srcs->items[i];
        if (strcmp(e->id, ref) != 0)
            continue;
        _attr(attrs, "data-ref", e->id);
        _attr(attrs, "data-indicator", e->indicator);
        _attr(attrs, "data-region", e->region);
        _attr(attrs, "data-unit", e->unit);
        _attr(attrs, "data-period", e->period);
        _attr(attrs, "data-mode", tz_mode_name(e->mode));
        _attr(attrs, "data-by", e->by);
        _attr(attrs, "data-group", e->group);
        _attr(attrs, "data-ytd", e->ytd ? "1" : NULL);
        _attr(attrs, "data-target", e->target ? "1" : NULL);
        return 1;
    }
    return 0;
}

/* A nullable string as JSON. */
static json_t *_str(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* The sources as [{"id", "text", "indicator", "region", "unit", "period",
 * "mode", "by", "group", "ytd", "target", "note", "how"}]. */
static json_t *_sources_json(const tz_draft_sources *srcs)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < srcs->n; i++) {
        const tz_draft_source *e = &srcs->items[i];
        json_array_append_new(
            arr,
            json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:s, s:o, s:o, s:b, s:b, s:o, s:o}", "id",
                      e->id, "text", _str(e->text), "indicator", _str(e->indicator), "region",
                      _str(e->region), "unit", _str(e->unit), "period", _str(e->period), "mode",
                      tz_mode_name(e->mode), "by", _str(e->by), "group", _str(e->group), "ytd",
                      e->ytd, "target", e->target, "note", _str(e->note), "how", _str(e->how)));
    }
    return arr;
}

/* The word list of the server's home (<home>/data/proofread_words.tsv,
 * beside <home>/templates), or NULL with the reason in note. */
static tz_proofread_words *_words(char *note, size_t sz)
{
    const char *tpl = tz_serve_templates();
    const char *slash = strrchr(tpl, '/');
    char path[4200];
    tz_diags d = TZ_DIAGS_INIT;
    snprintf(path, sizeof path, "%.*s/data/proofread_words.tsv",
             (int)(slash ? slash - tpl : (long)strlen(tpl)), tpl);
    tz_proofread_words *w = access(path, R_OK) == 0 ? tz_proofread_load_words(path, &d) : NULL;
    if (!w)
        snprintf(note, sz, "错别字词表 %s 无法读取,未检查错别字", path);
    tz_diags_clear(&d);
    return w;
}

/* A finding as {"level", "kind", "kind_name", "line", "column", "text",
 * "excerpt", "message", "suggestion"}: level "error" for a figure that
 * contradicts the ledgers or garbled text, else "warning". */
static json_t *_finding_json(const tz_proofread_finding *f)
{
    static const char *const kinds[] = {"word", "repeat",  "bracket", "fact", "garbled",
                                        "etc",  "numeral", "year",    "date"};
    _Static_assert(sizeof kinds / sizeof kinds[0] == TZ_PROOF_DATE + 1,
                   "one API name per tz_proofread_kind");
    int serious = f->kind == TZ_PROOF_FACT || f->kind == TZ_PROOF_GARBLED;
    return json_pack(
        "{s:s, s:s, s:s, s:I, s:I, s:o, s:o, s:o, s:o}", "level", serious ? "error" : "warning",
        "kind", (size_t)f->kind < sizeof kinds / sizeof kinds[0] ? kinds[f->kind] : "other",
        "kind_name", tz_proofread_kind_name(f->kind), "line", (json_int_t)f->line, "column",
        (json_int_t)f->column, "text", _str(f->text), "excerpt", _str(f->excerpt), "message",
        _str(f->message), "suggestion", _str(f->suggestion));
}

/* Proofreads the text of doc (its Markdown, as `taizhang report` does)
 * against the template's facts for the report's region and period. Returns
 * the findings as JSON (adding a note when the word list is missing), or
 * NULL with d filled. */
static json_t *_proofread(tz_store *s, const tz_doc *doc, const tz_template *decl,
                          const tz_report_ask *a, json_t *notes, tz_diags *d)
{
    tz_proofread_fact *facts = NULL;
    size_t nfacts = 0;
    tz_proofread_findings f = TZ_PROOFREAD_FINDINGS_INIT;
    tz_proofread_scope *scope = NULL;
    tz_buf md = TZ_BUF_INIT;
    char note[4400];
    json_t *out = NULL;
    tz_proofread_words *w = _words(note, sizeof note);
    if (!w)
        json_array_append_new(notes, json_string(note));
    if (tz_draft_facts(s, a->o.code, a->o.p.label, decl->facts, decl->nfacts, &facts, &nfacts, d))
        goto done;
    if (!(scope = tz_proofread_scope_load(s, a->o.code, a->o.p.label, d)))
        goto done;
    tz_proofread_opts po = {w, facts, nfacts, 0, scope};
    if (tz_render_md(doc, &md) || tz_proofread_text(tz_buf_str(&md), md.len, &po, &f, d))
        goto done;
    out = json_array();
    for (size_t i = 0; out && i < f.n; i++)
        json_array_append_new(out, _finding_json(&f.items[i]));
done:
    tz_proofread_findings_free(&f);
    tz_proofread_words_free(w);
    tz_proofread_scope_free(scope);
    tz_buf_free(&md);
    free(facts);
    return out;
}

/* The answer of a drafted doc: {"kind", "title", "scope", "period", "html",
 * "sources", "findings", "notes"}. NULL with d filled. */
static json_t *_draft_json(tz_store *s, const tz_doc *doc, const tz_template *decl,
                           const tz_report_ask *a, const tz_draft_sources *srcs, tz_diags *d)
{
    tz_buf html = TZ_BUF_INIT;
    json_t *notes = json_array(), *findings = NULL, *o = NULL;
    if (!notes || tz_render_html_article(doc, _fig_attrs, (void *)srcs, &html)) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "汇报材料的网页形式未能生成");
        goto done;
    }
    if (!(findings = _proofread(s, doc, decl, a, notes, d)))
        goto done;
    o = json_pack("{s:s, s:s, s:o, s:o, s:s, s:o, s:O, s:O}", "kind", decl->kind, "title",
                  doc->title, "scope", tz_view_scope_json(&a->o), "period",
                  tz_view_period_json(&a->o.p), "html", tz_buf_str(&html), "sources",
                  _sources_json(srcs), "findings", findings, "notes", notes);
done:
    json_decref(findings);
    json_decref(notes);
    tz_buf_free(&html);
    return o;
}

int tz_api_report_draft(tz_req *rq, tz_resp *rs)
{
    tz_report_ask a;
    tz_template *decl = NULL;
    tz_doc *doc = NULL;
    tz_draft_sources srcs = {NULL, 0};
    tz_diags d = TZ_DIAGS_INIT;
    char path[4096];
    tz_draft_opts o;
    if (tz_req_report_prepare(rq, rs, &a, &decl, path, sizeof path, &o))
        goto done;
    o.sources = &srcs;
    if (tz_draft_report(rq->s, &o, &doc, NULL, &d)) {
        tz_resp_error(rs, 422, &d, "汇报材料未生成");
        goto done;
    }
    json_t *j = _draft_json(rq->s, doc, decl, &a, &srcs, &d);
    if (j)
        tz_resp_json(rs, 200, j);
    else
        tz_resp_error(rs, 500, &d, "汇报材料未能显示或校对");
done:
    tz_draft_sources_free(&srcs);
    tz_doc_free(doc);
    tz_template_free(decl);
    tz_diags_clear(&d);
    return 0;
}
