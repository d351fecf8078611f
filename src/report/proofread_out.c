/* proofread_out.c - proofreading findings for people: kind names, one
 * line per finding, findings as diagnostics, and freeing them. */
#include "report/proofread_impl.h"
#include <stdlib.h>

const char *tz_proofread_kind_name(tz_proofread_kind kind)
{
    switch (kind) {
    case TZ_PROOF_WORD:
        return "错别字";
    case TZ_PROOF_REPEAT:
        return "词语重复";
    case TZ_PROOF_BRACKET:
        return "括号引号不配对";
    case TZ_PROOF_FACT:
        return "数字与台账不符";
    case TZ_PROOF_GARBLED:
        return "乱码";
    case TZ_PROOF_ETC:
        return "列举用“等”不当";
    case TZ_PROOF_NUMERAL:
        return "数字用法不一致";
    case TZ_PROOF_YEAR:
        return "年份简写";
    case TZ_PROOF_DATE:
        return "时间不明确";
    }
    return "其他";
}

void tz_proofread_findings_free(tz_proofread_findings *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++)
        tzpr_finding_clear(&f->items[i]);
    free(f->items);
    f->items = NULL;
    f->n = f->cap = 0;
}

int tz_proofread_format(const tz_proofread_finding *f, tz_buf *out)
{
    if (!f || !out)
        return -1;
    if (tz_buf_printf(out, "第%ld行第%ld字 %s “%s”：%s", f->line, f->column,
                      tz_proofread_kind_name(f->kind), f->text ? f->text : "",
                      f->message ? f->message : ""))
        return -1;
    if (f->suggestion && tz_buf_printf(out, "，建议改为“%s”", f->suggestion))
        return -1;
    return tz_buf_printf(out, "。上下文：%s", f->excerpt ? f->excerpt : "");
}

void tz_proofread_to_diags(const tz_proofread_findings *f, const char *file, tz_diags *diags)
{
    for (size_t i = 0; f && diags && i < f->n; i++) {
        const tz_proofread_finding *g = &f->items[i];
        if (g->suggestion)
            tz_diags_warn(diags, file, g->line, tz_proofread_kind_name(g->kind), g->text,
                          "第%ld字，%s，建议改为“%s”（上下文：%s）", g->column, g->message,
                          g->suggestion, g->excerpt);
        else
            tz_diags_warn(diags, file, g->line, tz_proofread_kind_name(g->kind), g->text,
                          "第%ld字，%s（上下文：%s）", g->column, g->message, g->excerpt);
    }
}
