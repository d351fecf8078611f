/* proofread_facts.c - figures in the text that contradict a fact from the
 * ledgers ("105个贫困村" when the ledgers hold 106). Rules in proofread.h. */
#include "report/proofread_impl.h"
#include "report/numword.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- facts ------------------------------------------------------------------- */

static const char *const _partial_markers[] = {
    "其中", "每", "各", "有的", "部分", "其余", "剩余", "还有", "尚有", "另有", "新", "已", "又"};
static const char *const _before_figure[] = {"第",   "近",   "约", "超过", "不到", "不足",
                                             "将近", "大约", "逾", "近乎", "约为"};
static const char *const _after_unit[] = {"以上", "以下", "以内", "左右", "上下"};
static const char *const _label_negations[] = {"非", "未", "不", "无"};
static const char *const _gap_stop[] = {"非", "未", "不", "无", "以", "和", "与",
                                        "及", "或", "左", "上", "下", "多", "余"};
static const char *const _connectors[] = {
    "共计", "共有", "合计", "总计", "总数为", "总数达", "总数", "数量为", "数量", "数为", "达到",
    "共",   "数",   "为",   "达",   "有",     "计",     "是",   "：",     ":",    ""};

#define PR_NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int _ends_any(const char *t, size_t i, const char *const *list, size_t nl)
{
    for (size_t k = 0; k < nl; k++)
        if (tzpr_ends(t, i, list[k]))
            return 1;
    return 0;
}

static int _starts_any(const char *t, size_t n, size_t i, const char *const *list, size_t nl)
{
    for (size_t k = 0; k < nl; k++)
        if (tzpr_starts(t, n, i, list[k]))
            return 1;
    return 0;
}

static int _is_clause_break(long cp)
{
    return cp == 0xFF0C || cp == ',' || cp == 0xFF1B || cp == ';' || cp == 0x3002 || cp == 0xFF1A ||
           cp == ':' || cp == 0xFF01 || cp == 0xFF1F || cp == '!' || cp == '?' || cp == '\n';
}

/* Markers of "what remains": not partial for a label that itself counts
 * what is not yet done ("还有21个行政村未建设或不达标"). */
static const char *const _remaining_markers[] = {"还有", "尚有", "剩余", "其余"};

/* 1 when the clause before byte p holds a partial marker (label: the fact's
 * label, to tell a count of what remains from a part). */
static int _partial_clause(const char *t, size_t n, size_t p, const char *label)
{
    int remaining_label = label && strstr(label, "未") != NULL;
    size_t s = p;
    long cp;
    while (s > 0) {
        size_t q = tzpr_u8_prev(t, s);
        tzpr_u8(t, n, q, &cp);
        if (_is_clause_break(cp))
            break;
        s = q;
    }
    for (size_t k = 0; k < PR_NELEM(_partial_markers); k++) {
        const char *m = _partial_markers[k];
        if (remaining_label &&
            _ends_any(m, strlen(m), _remaining_markers, PR_NELEM(_remaining_markers)))
            continue;
        if (memmem(t + s, p - s, m, strlen(m)))
            return 1;
    }
    return 0;
}

/* Code points that can be part of a figure, for scanning backwards. */
static int _figure_cp(long cp)
{
    static const long cn[] = {0x96F6, 0x3007, 0x4E00, 0x4E8C, 0x4E24, 0x4E09, 0x56DB,
                              0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341, 0x767E,
                              0x5343, 0x4E07, 0x4EBF, 0x591A, 0x4F59};
    if (tzpr_is_digit_cp(cp) || cp == '.' || cp == 0xFF0E)
        return 1;
    for (size_t k = 0; k < PR_NELEM(cn); k++)
        if (cn[k] == cp)
            return 1;
    return 0;
}

/* Finds the figure that ends exactly at fe. Returns its start or (size_t)-1. */
static size_t _figure_before(const char *t, size_t n, size_t fe, tz_numword_figure *fig)
{
    size_t s = fe;
    long cp;
    for (int k = 0; k < 24 && s > 0; k++) {
        size_t q = tzpr_u8_prev(t, s);
        tzpr_u8(t, n, q, &cp);
        if (!_figure_cp(cp))
            break;
        s = q;
    }
    for (int tries = 0; tries < 2 && s < fe; tries++) {
        if (tz_numword_parse(t + s, fe - s, fig) == fe - s)
            return s;
        /* skip leading 万/亿/多/余/零 that belong to the words before */
        size_t q = s;
        while (q < fe) {
            size_t l = tzpr_u8(t, n, q, &cp);
            if (tzpr_is_digit_cp(cp) || (cp != 0x4E07 && cp != 0x4EBF && cp != 0x591A &&
                                         cp != 0x4F59 && cp != 0x96F6 && cp != '.'))
                break;
            q += l;
        }
        if (q == s)
            break;
        s = q;
    }
    return (size_t)-1;
}

static int _fact_finding(tzpr_ctx *c, const tz_proofread_fact *fact, size_t off, size_t len)
{
    tz_buf msg = TZ_BUF_INIT, sug = TZ_BUF_INIT;
    int rc = -1;
    if (tz_numword_amount(&sug, fact->value, fact->unit, 0))
        goto done;
    if (tz_buf_printf(&msg, "台账中“%s”为%s，此处写作“", fact->label, tz_buf_str(&sug)) ||
        tzpr_put_clean(&msg, c->t + off, len) || tz_buf_puts(&msg, "”，两者不符"))
        goto done;
    rc = tzpr_add(c, TZ_PROOF_FACT, off, len, tz_buf_str(&msg), tz_buf_str(&sug));
done:
    tz_buf_free(&msg);
    tz_buf_free(&sug);
    return rc;
}

static int _fact_disagrees(const tz_numword_figure *fig, double fv)
{
    double eps = 1e-9 * (fabs(fv) > 1 ? fabs(fv) : 1);
    return fv < fig->lo - eps || fv > fig->hi + eps;
}

static int _lone_yi(const tz_numword_figure *fig)
{
    return fig->chinese && !fig->approx && fig->len == 3 && fig->value == 1;
}

int tzpr_check_fact(tzpr_ctx *c, const tz_proofread_fact *fact)
{
    const char *t = c->t;
    size_t n = c->n;
    if (!fact->label || !fact->label[0] || !isfinite(fact->value))
        return 0;
    const char *base;
    int su = tz_numword_unit_scale(fact->unit, &base);
    size_t bl = strlen(base), ll = strlen(fact->label);
    if (bl == 0)
        return 0;
    double fv = fact->value * pow(10, su);
    for (size_t p = 0; p + ll <= n;) {
        const char *hit = memmem(t + p, n - p, fact->label, ll);
        if (!hit)
            break;
        size_t ls = (size_t)(hit - t), le = ls + ll;
        p = ls + 1;
        if (_ends_any(t, ls, _label_negations, PR_NELEM(_label_negations)))
            continue;
        tz_numword_figure fig;
        /* B: LABEL [connector] FIGURE UNIT */
        for (size_t k = 0; k < PR_NELEM(_connectors); k++) {
            if (!tzpr_starts(t, n, le, _connectors[k]))
                continue;
            size_t fs = le + strlen(_connectors[k]);
            size_t fl = tz_numword_parse(t + fs, n - fs, &fig);
            if (!fl || !tzpr_starts(t, n, fs + fl, base))
                continue;
            size_t ue = fs + fl + bl;
            if (_lone_yi(&fig) || _starts_any(t, n, ue, _after_unit, PR_NELEM(_after_unit)) ||
                _partial_clause(t, n, ls, fact->label))
                break;
            if (_fact_disagrees(&fig, fv) && _fact_finding(c, fact, fs, ue - fs))
                return -1;
            break;
        }
        /* A: FIGURE UNIT [0-2 characters] LABEL */
        size_t ue = ls;
        long cp;
        for (int g = 0; g <= 2; g++) {
            if (g > 0) {
                if (ue == 0)
                    break;
                size_t q = tzpr_u8_prev(t, ue);
                tzpr_u8(t, n, q, &cp);
                if (!tzpr_is_han(cp) || _starts_any(t, n, q, _gap_stop, PR_NELEM(_gap_stop)))
                    break;
                ue = q;
            }
            if (!tzpr_ends(t, ue, base))
                continue;
            size_t fe = ue - bl;
            size_t fs = _figure_before(t, n, fe, &fig);
            if (fs == (size_t)-1)
                continue;
            if (!_lone_yi(&fig) && !_ends_any(t, fs, _before_figure, PR_NELEM(_before_figure)) &&
                !_partial_clause(t, n, fs, fact->label) && _fact_disagrees(&fig, fv) &&
                _fact_finding(c, fact, fs, ue - fs))
                return -1;
            break;
        }
    }
    return 0;
}
