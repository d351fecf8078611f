/* region.c - regions for the metrics: lookup, name resolution, the code range
 * of a region's subtree (roll-up by 统计用区划代码 prefix) and resolved scopes. */
#include "metrics/metrics_impl.h"
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

int tz_region_get(tz_store *s, const char *code, char *name, size_t namesz, tz_level *level)
{
    tz_stmt *st = NULL;
    int rc = -1;
    if (tz_store_prepare(s, "SELECT name, level FROM regions WHERE code = ?", &st) ||
        tz_stmt_bind_text(st, 1, code))
        goto done;
    int r = tz_stmt_step(st);
    if (r < 0)
        goto done;
    if (r == 0) {
        rc = 0;
        goto done;
    }
    if (name && namesz)
        snprintf(name, namesz, "%s", tz_stmt_text(st, 0) ? tz_stmt_text(st, 0) : "");
    if (level)
        *level = tz_level_parse(tz_stmt_text(st, 1));
    rc = 1;
done:
    tz_stmt_free(st);
    return rc;
}

int tzm_region_range(tz_store *s, const char *code, char lo[13], char hi[13], int *digits_out)
{
    tz_level lv = TZ_LEVEL_NONE;
    int found = tz_region_get(s, code, NULL, 0, &lv);
    if (found < 0)
        return -1;
    int digits = found && lv != TZ_LEVEL_NONE ? tz_level_digits(lv) : tz_code_digits(code);
    snprintf(lo, 13, "%.12s", code);
    tz_code_bounds(code, digits, NULL, hi);
    if (digits_out)
        *digits_out = digits;
    return found ? 1 : 0;
}

void tzm_prefix_sql(const char *col, int digits, int nines, char *out, size_t sz)
{
    char lo[13], hi[13];
    tz_code_bounds("", 0, lo, hi);
    snprintf(out, sz, "substr(%s, 1, %d) || '%s'", col, digits, (nines ? hi : lo) + digits);
}

int tzm_region_covers(tz_store *s, const char *lo, const char *hi, unsigned *covers)
{
    tz_stmt *st = NULL;
    unsigned outside = 0;
    *covers = 0;
    /* per level, two seeks of the (level, code) index: is there a region of
     * that level before lo or after hi (a scan of every region cost a
     * millisecond a scope at 1 000 000 households) */
    if (tz_store_prepare(s,
                         "SELECT EXISTS (SELECT 1 FROM regions WHERE level = ? AND code < ?) OR "
                         "EXISTS (SELECT 1 FROM regions WHERE level = ? AND code > ?)",
                         &st))
        return -1;
    for (int lv = TZ_LEVEL_PROVINCE; lv <= TZ_LEVEL_VILLAGE; lv++) {
        const char *w = tz_level_word((tz_level)lv);
        tz_stmt_reset(st);
        if (tz_stmt_bind_text(st, 1, w) || tz_stmt_bind_text(st, 2, lo) ||
            tz_stmt_bind_text(st, 3, w) || tz_stmt_bind_text(st, 4, hi) || tz_stmt_step(st) != 1) {
            tz_stmt_free(st);
            return -1;
        }
        if (tz_stmt_int(st, 0))
            outside |= 1u << lv;
    }
    tz_stmt_free(st);
    *covers = ~outside & 0x1fu;
    return 0;
}

/* The villages in [lo, hi] (from > 0: those below lo; from < 0: those
 * above hi), counted up to cap, through the (level, code) index. Returns
 * the count, or -1 (database error). */
static long long _villages(tz_store *s, const char *lo, const char *hi, int from, long long cap)
{
    tz_stmt *st = NULL;
    const char *sql = from > 0   ? "SELECT count(*) FROM (SELECT 1 FROM regions WHERE level = "
                                   "'村' AND code < ? LIMIT ?) x"
                      : from < 0 ? "SELECT count(*) FROM (SELECT 1 FROM regions WHERE level = "
                                   "'村' AND code > ? LIMIT ?) x"
                                 : "SELECT count(*) FROM (SELECT 1 FROM regions WHERE level = "
                                   "'村' AND code BETWEEN ? AND ? LIMIT ?) x";
    int k = 1;
    long long n = -1;
    if (!tz_store_prepare(s, sql, &st) && (from < 0 || !tz_stmt_bind_text(st, k++, lo)) &&
        (from > 0 || !tz_stmt_bind_text(st, k++, hi)) && !tz_stmt_bind_int(st, k, cap) &&
        tz_stmt_step(st) == 1)
        n = tz_stmt_int(st, 0);
    tz_stmt_free(st);
    return n;
}

/* *most = 1 when [lo, hi] holds at least half of the villages (or there
 * are none). Counts at most twice the villages inside. Returns 0 or -1
 * (database error). */
static int _most_villages(tz_store *s, const char *lo, const char *hi, int *most)
{
    long long in = _villages(s, lo, hi, 0, LLONG_MAX);
    long long below = in < 0 ? -1 : _villages(s, lo, hi, 1, in + 1);
    long long above = below < 0 ? -1 : _villages(s, lo, hi, -1, in + 1);
    if (above < 0)
        return -1;
    *most = below + above <= in;
    return 0;
}

int tzm_range_of(tz_store *s, const char *code, tzm_range *r)
{
    memset(r, 0, sizeof *r);
    if (tzm_region_range(s, code, r->lo, r->hi, &r->digits) < 0 ||
        tzm_region_covers(s, r->lo, r->hi, &r->covers))
        return -1;
    /* a county or wider holding most of the database's villages (most of
     * its rows): scan instead of probing; a county among many probes the
     * index for its share */
    r->scan = 0;
    if (tz_store_backend(s) != TZ_BACKEND_SQLITE || r->digits > 6)
        return 0;
    if (r->covers & (1u << TZ_LEVEL_VILLAGE)) {
        r->scan = 1; /* every village inside: no filter is written anyway */
        return 0;
    }
    return _most_villages(s, r->lo, r->hi, &r->scan);
}

int tz_region_resolve(tz_store *s, const char *arg, char code[13], tz_diags *d)
{
    size_t n = arg ? strlen(arg) : 0;
    int digits = n > 0;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)arg[i]))
            digits = 0;
    if (digits) {
        if (n != 6 && n != 9 && n != 12) {
            tz_diags_error(d, NULL, 0, "区划", arg, "区划代码应为6位、9位或12位数字");
            return -1;
        }
        memcpy(code, arg, n);
        memset(code + n, '0', 12 - n);
        code[12] = '\0';
        int r = tz_region_get(s, code, NULL, 0, NULL);
        if (r < 0) {
            tz_diags_error(d, NULL, 0, "区划", arg, "数据库查询失败: %s", tz_store_errmsg(s));
            return -1;
        }
        if (r == 0) {
            tz_diags_error(d, NULL, 0, "区划", arg, "行政区划台账中没有这个区划代码");
            return -1;
        }
        return 0;
    }
    tz_stmt *st = NULL;
    int rc = -1, found = 0;
    tz_buf many = TZ_BUF_INIT;
    if (tz_store_prepare(s, "SELECT code, level FROM regions WHERE name = ? ORDER BY code", &st) ||
        tz_stmt_bind_text(st, 1, arg ? arg : "")) {
        tz_diags_error(d, NULL, 0, "区划", arg, "数据库查询失败: %s", tz_store_errmsg(s));
        goto done;
    }
    int r;
    while ((r = tz_stmt_step(st)) == 1) {
        if (!found)
            snprintf(code, 13, "%s", tz_stmt_text(st, 0));
        tz_buf_printf(&many, "%s%s(%s)", found ? "、" : "", tz_stmt_text(st, 0),
                      tz_stmt_text(st, 1) ? tz_stmt_text(st, 1) : "");
        found++;
    }
    if (r < 0) {
        tz_diags_error(d, NULL, 0, "区划", arg, "数据库查询失败: %s", tz_store_errmsg(s));
        goto done;
    }
    if (found == 0) {
        tz_diags_error(d, NULL, 0, "区划", arg, "行政区划台账中没有这个名称的区划");
        goto done;
    }
    if (found > 1) {
        tz_diags_error(d, NULL, 0, "区划", arg, "这个名称对应%d个区划:%s,请改用区划代码", found,
                       tz_buf_str(&many));
        goto done;
    }
    rc = 0;
done:
    tz_buf_free(&many);
    tz_stmt_free(st);
    return rc;
}

int tzm_scope_resolve(tz_store *s, const tz_scope *sc, tzm_scope_rt *rt, tz_diags *d)
{
    memset(rt, 0, sizeof *rt);
    if (sc && sc->region) {
        if (strlen(sc->region) != 12) {
            tz_diags_error(d, NULL, 0, "区划", sc->region, "区划代码应为12位");
            return -1;
        }
        if (tzm_range_of(s, sc->region, &rt->range)) {
            tz_diags_error(d, NULL, 0, "区划", sc->region, "数据库查询失败: %s",
                           tz_store_errmsg(s));
            return -1;
        }
        snprintf(rt->region, sizeof rt->region, "%s", sc->region);
        rt->has_region = 1;
    }
    if (sc && sc->unit) {
        int r = tz_unit_get(s, sc->unit, rt->unit_kind, sizeof rt->unit_kind, rt->unit_region);
        if (r < 0) {
            tz_diags_error(d, NULL, 0, "责任单位", sc->unit, "数据库查询失败: %s",
                           tz_store_errmsg(s));
            return -1;
        }
        if (r == 0) {
            tz_diags_error(d, NULL, 0, "责任单位", sc->unit, "责任单位台账中没有这个单位");
            return -1;
        }
        rt->unit = sc->unit;
        if (strlen(rt->unit_region) == 12) {
            if (tzm_range_of(s, rt->unit_region, &rt->urange)) {
                tz_diags_error(d, NULL, 0, "责任单位", sc->unit, "数据库查询失败: %s",
                               tz_store_errmsg(s));
                return -1;
            }
            rt->has_unit_region = 1;
        }
    }
    /* a failed rebuild is not an error: the ledgers are read instead */
    rt->agg = tzm_agg_ready(s, NULL) > 0;
    return 0;
}
