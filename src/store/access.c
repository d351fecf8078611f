/* access.c - which rows an account's scope (tz_access) holds: as an SQL
 * condition for listing (tz_access_sql), and for one row's values before it
 * is written (tzs_access_row). Both read where a row belongs from the
 * ledger's data (tz_ledger.region and .unit: the row's own column, or a
 * column of the row it references), so that they cannot disagree.
 */
#include "store/store_impl.h"
#include <stdio.h>
#include <string.h>

/* 1 when a is a well-formed region scope: 12 ASCII digits and 1..12
 * significant ones. */
static int _region_ok(const tz_access *a)
{
    if (a->digits < 1 || a->digits > 12 || strlen(a->region) != 12)
        return 0;
    for (int i = 0; i < 12; i++)
        if (a->region[i] < '0' || a->region[i] > '9')
            return 0;
    return 1;
}

/* The link of l for a's kind of scope, or NULL when l has none. */
static const tz_row_link *_link(const tz_ledger *l, const tz_access *a)
{
    const tz_row_link *k = a->unit[0] ? &l->unit : &l->region;
    return k->col ? k : NULL;
}

/* The lowest and highest 12-digit codes under a region scope. */
static void _bounds(const tz_access *a, char lo[13], char hi[13])
{
    memcpy(lo, a->region, 12);
    memcpy(hi, a->region, 12);
    for (int i = a->digits; i < 12; i++) {
        lo[i] = '0';
        hi[i] = '9';
    }
    lo[12] = hi[12] = '\0';
}

/* Appends the condition on column `col` (already qualified): inside the
 * region's code range, or equal to the unit's name (quoted, its quotes
 * doubled). */
static void _cond(tz_buf *sql, const char *col, const tz_access *a)
{
    if (a->unit[0]) {
        tz_buf_printf(sql, "%s = '", col);
        for (const char *p = a->unit; *p; p++)
            if (*p == '\'')
                tz_buf_puts(sql, "''");
            else
                tz_buf_putc(sql, *p);
        tz_buf_putc(sql, '\'');
        return;
    }
    char lo[13], hi[13];
    _bounds(a, lo, hi);
    tz_buf_printf(sql, "%s >= '%s' AND %s <= '%s'", col, lo, col, hi);
}

int tz_access_sql(const tz_ledger *l, const tz_access *a, const char *alias, int reading,
                  tz_buf *sql)
{
    return tzs_access_sql(l, a, alias, reading, 0, sql);
}

int tzs_access_sql(const tz_ledger *l, const tz_access *a, const char *alias, int reading, int scan,
                   tz_buf *sql)
{
    const char *dot = alias && *alias ? "." : "";
    alias = alias ? alias : "";
    if (!a || (reading && l->shared_read))
        return tz_buf_puts(sql, "1 = 1");
    const tz_row_link *k = _link(l, a);
    if (!k || (!a->unit[0] && !_region_ok(a)))
        return tz_buf_puts(sql, "1 = 0");
    int c = tz_ledger_col(l, k->col);
    if (c < 0)
        return tz_buf_puts(sql, "1 = 0");
    tz_buf col = TZ_BUF_INIT;
    /* scan: the column as an expression (|| ''), which no index answers */
    const char *noix = scan ? " || ''" : "";
    if (!k->via) {
        tz_buf_printf(&col, "%s%s%s%s", alias, dot, l->cols[c].sql, noix);
        tz_buf_putc(sql, '(');
        _cond(sql, tz_buf_str(&col), a);
        tz_buf_putc(sql, ')');
    } else {
        const tz_ledger *v = tz_ledger_find(k->via);
        int vk[4];
        int vc = v ? tz_ledger_col(v, k->via_col) : -1;
        if (!v || vc < 0 || tz_ledger_keys(v, vk) != 1) {
            tz_buf_free(&col);
            return tz_buf_puts(sql, "1 = 0");
        }
        tz_buf_printf(&col, "tz_via.%s", v->cols[vc].sql);
        tz_buf_printf(sql, "%s%s%s%s IN (SELECT tz_via.%s FROM %s tz_via WHERE ", alias, dot,
                      l->cols[c].sql, noix, v->cols[vk[0]].sql, v->id);
        _cond(sql, tz_buf_str(&col), a);
        tz_buf_putc(sql, ')');
    }
    int rc = col.data ? 0 : -1;
    tz_buf_free(&col);
    /* a tz_buf frees itself when it fails: an empty one means out of memory */
    return rc || !sql->data ? -1 : 0;
}

int tzs_link_value(tz_store *s, const tz_ledger *l, const tz_row_link *k, const tz_value *vals,
                   tz_stmt **st, char *out, size_t sz)
{
    int c = tz_ledger_col(l, k->col);
    if (c < 0 || vals[c].null || !vals[c].text)
        return 0;
    if (!k->via) {
        snprintf(out, sz, "%s", vals[c].text);
        return 1;
    }
    const tz_ledger *v = tz_ledger_find(k->via);
    int vk[4];
    int vc = v ? tz_ledger_col(v, k->via_col) : -1;
    if (!v || vc < 0 || tz_ledger_keys(v, vk) != 1)
        return 0;
    if (!*st) {
        tz_buf q = TZ_BUF_INIT;
        tz_buf_printf(&q, "SELECT %s FROM %s WHERE %s = ?", v->cols[vc].sql, v->id,
                      v->cols[vk[0]].sql);
        int prc = tz_store_prepare(s, tz_buf_str(&q), st);
        tz_buf_free(&q);
        if (prc)
            return -1;
    }
    tz_stmt_reset(*st);
    if (tz_stmt_bind_text(*st, 1, vals[c].text))
        return -1;
    int r = tz_stmt_step(*st);
    if (r == 1) {
        const char *t = tz_stmt_text(*st, 0);
        snprintf(out, sz, "%s", t ? t : "");
        r = t && *t ? 1 : 0;
    } else if (r == 0) {
        r = 2;
    }
    tz_stmt_reset(*st);
    return r;
}

int tzs_access_row(tz_store *s, const tz_ledger *l, const tz_access *a, int reading,
                   const tz_value *vals, tz_stmt *via[2], const char **col, char *val, size_t valsz)
{
    *col = NULL;
    val[0] = '\0';
    if (!a || (reading && l->shared_read))
        return 1;
    const tz_row_link *k = _link(l, a);
    if (!k || (!a->unit[0] && !_region_ok(a)))
        return 0;
    *col = k->col;
    int r = tzs_link_value(s, l, k, vals, &via[a->unit[0] ? 1 : 0], val, valsz);
    if (r != 1)
        return r; /* -1 error, 0 no value (outside), 2 no referenced row */
    if (a->unit[0])
        return strcmp(val, a->unit) == 0;
    return strlen(val) == 12 && strncmp(val, a->region, (size_t)a->digits) == 0;
}

/* The name of region code from the regions ledger into out (appended).
 * Returns 1 found, 0 not, -1 on a database error. */
static int _region_name(tz_stmt *st, const char *code, tz_buf *out)
{
    tz_stmt_reset(st);
    if (tz_stmt_bind_text(st, 1, code))
        return -1;
    int r = tz_stmt_step(st);
    if (r == 1)
        tz_buf_puts(out, tz_stmt_text(st, 0) ? tz_stmt_text(st, 0) : "");
    tz_stmt_reset(st);
    return r;
}

int tzs_access_name(tz_store *s, const tz_access *a, char *out, size_t sz)
{
    if (a->unit[0] || !_region_ok(a)) {
        snprintf(out, sz, "%s", a->unit[0] ? a->unit : a->region);
        return 0;
    }
    static const int levels[] = {6, 9, 12}; /* 县, 乡, 村 */
    tz_stmt *st = NULL;
    tz_buf name = TZ_BUF_INIT;
    int rc = -1, found = 0;
    if (tz_store_prepare(s, "SELECT name FROM regions WHERE code = ?", &st))
        goto done;
    /* from the county down to the scope itself; a city or province by its own name */
    for (size_t i = 0; i < sizeof levels / sizeof *levels; i++) {
        int dg = levels[i] < a->digits ? levels[i] : a->digits;
        char code[13];
        memcpy(code, a->region, 12);
        memset(code + dg, '0', (size_t)(12 - dg));
        code[12] = '\0';
        int r = _region_name(st, code, &name);
        if (r < 0)
            goto done;
        found += r;
        if (dg == a->digits)
            break;
    }
    snprintf(out, sz, "%s", found && name.data ? tz_buf_str(&name) : a->region);
    rc = 0;
done:
    tz_stmt_free(st);
    tz_buf_free(&name);
    return rc;
}
