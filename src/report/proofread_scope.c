/* proofread_scope.c - what a proofread text is about: the complete sets it
 * may list (the regions directly under its region, the units of each kind,
 * read from the database) with the short forms their members are written
 * in, and the date it speaks of (its period's last day). Used by the 等 and
 * 目前 checks (proofread_style.c). Rules in proofread.h. */
#include "report/proofread_impl.h"
#include "ledger/ledger.h"
#include "metrics/metrics.h"
#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Trailing words a region name may be written without (民权县 → 民权). */
static const char *const _region_suffixes[] = {"街道", "县", "区", "市", "镇", "乡", "村"};

#define PR_NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void _set_clear(tzpr_set *st)
{
    for (size_t i = 0; i < st->n; i++) {
        free(st->names[i]);
        free(st->shorts[i]);
    }
    free(st->names);
    free(st->shorts);
    free(st->name);
}

void tz_proofread_scope_free(tz_proofread_scope *sc)
{
    if (!sc)
        return;
    for (size_t i = 0; i < sc->n; i++)
        _set_clear(&sc->sets[i]);
    free(sc->sets);
    free(sc);
}

tz_proofread_scope *tz_proofread_scope_new(const char *asof)
{
    tz_proofread_scope *sc = calloc(1, sizeof *sc);
    if (sc && asof)
        snprintf(sc->asof, sizeof sc->asof, "%s", asof);
    return sc;
}

size_t tz_proofread_scope_count(const tz_proofread_scope *sc)
{
    return sc ? sc->n : 0;
}

/* The short form of name: without strip or a region suffix, when at least
 * 2 characters remain; NULL when there is none (or out of memory, *oom). */
static char *_short_form(const char *name, const char *strip, int *oom)
{
    size_t nl = strlen(name);
    const char *cut = NULL;
    if (strip && strip[0] && nl > strlen(strip) && tzpr_ends(name, nl, strip))
        cut = strip;
    for (size_t k = 0; !cut && k < PR_NELEM(_region_suffixes); k++)
        if (nl > strlen(_region_suffixes[k]) && tzpr_ends(name, nl, _region_suffixes[k]))
            cut = _region_suffixes[k];
    if (!cut)
        return NULL;
    size_t keep = nl - strlen(cut);
    long cp;
    size_t chars = 0;
    for (size_t i = 0; i < keep; chars++)
        i += tzpr_u8(name, keep, i, &cp);
    if (chars < 2)
        return NULL;
    char *r = tzpr_ndup(name, keep);
    if (!r)
        *oom = 1;
    return r;
}

int tz_proofread_scope_add_set(tz_proofread_scope *sc, const char *name, const char *const *members,
                               size_t n, const char *strip)
{
    if (!sc || !name || n < 2)
        return 0;
    tzpr_set *sets = tzpr_grow(sc->sets, &sc->cap, sc->n, sizeof *sets);
    if (!sets)
        return -1;
    sc->sets = sets;
    tzpr_set st;
    memset(&st, 0, sizeof st);
    int oom = 0;
    st.name = strdup(name);
    st.names = calloc(n, sizeof *st.names);
    st.shorts = calloc(n, sizeof *st.shorts);
    oom = !st.name || !st.names || !st.shorts;
    for (size_t i = 0; i < n && !oom; i++) {
        st.n++;
        st.names[i] = strdup(members[i] ? members[i] : "");
        oom = !st.names[i];
        if (!oom)
            st.shorts[i] = _short_form(st.names[i], strip, &oom);
    }
    if (oom) {
        _set_clear(&st);
        return -1;
    }
    sc->sets[sc->n++] = st;
    return 0;
}

/* ---- from the database ----------------------------------------------------- */

/* A growing list of names read from the database. */
typedef struct _names {
    char **v;   /* names */
    size_t n;   /* count */
    size_t cap; /* allocated */
} _names;

static void _names_clear(_names *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

static int _names_push(_names *l, const char *s)
{
    char **v = tzpr_grow(l->v, &l->cap, l->n, sizeof *v);
    if (!v)
        return -1;
    l->v = v;
    if (!(l->v[l->n] = strdup(s ? s : "")))
        return -1;
    l->n++;
    return 0;
}

/* What the regions of a level are called in a set's name. */
static const char *_level_plural(tz_level lv)
{
    switch (lv) {
    case TZ_LEVEL_CITY:
        return "市";
    case TZ_LEVEL_COUNTY:
        return "县（市、区）";
    case TZ_LEVEL_TOWNSHIP:
        return "乡镇（街道）";
    case TZ_LEVEL_VILLAGE:
        return "村（社区）";
    default:
        return "地区";
    }
}

/* Adds the set named after parent pname and level lv with the names in l,
 * and empties l. Returns 0 or -1 when out of memory. */
static int _flush_children(tz_proofread_scope *sc, _names *l, const char *pname, tz_level lv)
{
    tz_buf name = TZ_BUF_INIT;
    int rc = 0;
    if (l->n &&
        (tz_buf_printf(&name, "%s所辖%zu个%s", pname, l->n, _level_plural(lv)) ||
         tz_proofread_scope_add_set(sc, tz_buf_str(&name), (const char *const *)l->v, l->n, NULL)))
        rc = -1;
    tz_buf_free(&name);
    _names_clear(l);
    return rc;
}

/* Adds a set of the regions directly under region, or (region NULL) one
 * for every region that has any: one query, in parent order. */
static int _region_sets(tz_proofread_scope *sc, tz_store *s, const char *region, tz_diags *d)
{
    tz_stmt *st = NULL;
    _names l = {NULL, 0, 0};
    char parent[13] = "", pname[256] = "";
    tz_level lv = TZ_LEVEL_NONE;
    int rc = -1, r;
    const char *sql = region ? "SELECT c.parent, p.name, c.name, c.level FROM regions c JOIN "
                               "regions p ON p.code = c.parent WHERE c.parent = ? ORDER BY c.code"
                             : "SELECT c.parent, p.name, c.name, c.level FROM regions c JOIN "
                               "regions p ON p.code = c.parent ORDER BY c.parent, c.code";
    if (tz_store_prepare(s, sql, &st) || (region && tz_stmt_bind_text(st, 1, region)))
        goto fail;
    while ((r = tz_stmt_step(st)) == 1) {
        const char *pc = tz_stmt_text(st, 0) ? tz_stmt_text(st, 0) : "";
        if (strcmp(pc, parent) != 0) { /* a parent's children end */
            if (_flush_children(sc, &l, pname, lv))
                goto oom;
            snprintf(parent, sizeof parent, "%s", pc);
            snprintf(pname, sizeof pname, "%s", tz_stmt_text(st, 1) ? tz_stmt_text(st, 1) : "");
        }
        lv = tz_level_parse(tz_stmt_text(st, 3));
        if (_names_push(&l, tz_stmt_text(st, 2)))
            goto oom;
    }
    if (r < 0)
        goto fail;
    if (_flush_children(sc, &l, pname, lv))
        goto oom;
    rc = 0;
    goto done;
fail:
    tz_diags_error(d, NULL, 0, NULL, NULL, "读取区划台账失败：%s", tz_store_errmsg(s));
    goto done;
oom:
    tz_diags_error(d, NULL, 0, NULL, NULL, "内存不足，无法读取校对所需的区划");
done:
    tz_stmt_free(st);
    _names_clear(&l);
    return rc;
}

/* Adds one set per unit kind: the units of that kind within region (its
 * code prefix), or all of them. */
static int _unit_sets(tz_proofread_scope *sc, tz_store *s, const char *region, tz_diags *d)
{
    tz_stmt *st = NULL;
    _names l = {NULL, 0, 0};
    tz_buf name = TZ_BUF_INIT;
    char kind[128] = "", lo[13] = "", hi[13] = "";
    int rc = -1, r;
    if (region) { /* the code range of region's subtree */
        tz_level lv = TZ_LEVEL_NONE;
        if (tz_region_get(s, region, NULL, 0, &lv) < 0) {
            tz_diags_error(d, NULL, 0, NULL, NULL, "读取区划台账失败：%s", tz_store_errmsg(s));
            goto done;
        }
        int digits = lv == TZ_LEVEL_NONE ? 12 : tz_level_digits(lv);
        snprintf(lo, sizeof lo, "%.12s", region);
        snprintf(hi, sizeof hi, "%.12s", region);
        for (int k = digits; k < 12 && hi[k]; k++)
            hi[k] = '9';
    }
    if (tz_store_prepare(s,
                         region ? "SELECT kind, name FROM units WHERE region >= ? AND region <= ? "
                                  "ORDER BY kind, name"
                                : "SELECT kind, name FROM units ORDER BY kind, name",
                         &st) ||
        (region && (tz_stmt_bind_text(st, 1, lo) || tz_stmt_bind_text(st, 2, hi)))) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "读取单位台账失败：%s", tz_store_errmsg(s));
        goto done;
    }
    for (;;) {
        r = tz_stmt_step(st);
        const char *k = r == 1 ? tz_stmt_text(st, 0) : NULL;
        if (r < 0) {
            tz_diags_error(d, NULL, 0, NULL, NULL, "读取单位台账失败：%s", tz_store_errmsg(s));
            goto done;
        }
        if (r == 0 || strcmp(k ? k : "", kind) != 0) { /* a kind ends */
            tz_buf_reset(&name);
            if (l.n && (tz_buf_printf(&name, "全部%zu个%s", l.n, kind) ||
                        tz_proofread_scope_add_set(sc, tz_buf_str(&name), (const char *const *)l.v,
                                                   l.n, kind)))
                goto oom;
            _names_clear(&l);
            if (r == 0)
                break;
            snprintf(kind, sizeof kind, "%s", k ? k : "");
        }
        if (_names_push(&l, tz_stmt_text(st, 1)))
            goto oom;
    }
    rc = 0;
    goto done;
oom:
    tz_diags_error(d, NULL, 0, NULL, NULL, "内存不足，无法读取校对所需的单位");
done:
    tz_stmt_free(st);
    _names_clear(&l);
    tz_buf_free(&name);
    return rc;
}

tz_proofread_scope *tz_proofread_scope_load(struct tz_store *s, const char *region,
                                            const char *period, tz_diags *diags)
{
    tz_period p;
    const char *why = NULL;
    if (period && tz_period_parse(period, &p, &why)) {
        tz_diags_error(diags, NULL, 0, "期间", period, "%s", why ? why : "期间写法有误");
        return NULL;
    }
    tz_proofread_scope *sc = tz_proofread_scope_new(period ? p.end : NULL);
    if (!sc) {
        tz_diags_error(diags, NULL, 0, NULL, NULL, "内存不足，无法读取校对所需的区划");
        return NULL;
    }
    if (_region_sets(sc, s, region, diags) || _unit_sets(sc, s, region, diags)) {
        tz_proofread_scope_free(sc);
        return NULL;
    }
    return sc;
}
