/* lock.c - 上报审核 locks: whether an approved submission locks a ledger row.
 *
 * Owns: the rule that an approved submission (tz_submissions.status =
 * 'approved') locks every row dated wholly inside its period and lying in
 * its scope, and the Chinese reason given for it. Does not own the workflow
 * that approves (web/workflow.c), nor refusing the write (ingest.c, rows.c:
 * they ask here).
 *
 * A row's days: its period column (tz_ledger.period_col) read as a DATE
 * (that day), a MONTH (its first to last day) or a YEAR (1 January to 31
 * December). The row is inside the period when those days lie wholly within
 * [period_start, period_end]. Its place: its region code (own column or the
 * referenced row's, tz_ledger.region) starts with the scope's first
 * `digits` digits (region scope), or its unit (tz_ledger.unit) is the scope
 * (unit scope). A row whose referenced row is not stored has no place
 * through that reference and is judged by what it has.
 */
#include "store/store_impl.h"
#include "util/cal.h"
#include "util/num.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Approved submissions whose period holds [lo, hi]. tz_submissions_lock_ix
 * (status, period_start, period_end) answers it from the index alone when
 * nothing is approved. Kept to the one table: an import may ask per row. */
static const char _lock_sql[] =
    "SELECT id, scope_kind, scope, digits, period, reviewed_by FROM tz_submissions "
    "WHERE status = 'approved' AND period_start <= ? AND period_end >= ?";

/* The first and last day (YYYY-MM-DD) a period value covers. Returns 0, or
 * -1 when the column is no date, month or year, or the value is not one. */
static int _row_days(const tz_column *c, const tz_value *v, char lo[11], char hi[11])
{
    int y = 0, m = 0;
    switch (c->type) {
    case TZ_COL_DATE:
        if (!v->text || strlen(v->text) != 10)
            return -1;
        memcpy(lo, v->text, 11);
        memcpy(hi, v->text, 11);
        return 0;
    case TZ_COL_MONTH:
        /* canonical YYYY-MM */
        if (!v->text || strlen(v->text) != 7 || v->text[4] != '-' ||
            tz_num_digits(v->text, 4) < 0 || tz_num_digits(v->text + 5, 2) < 0)
            return -1;
        y = tz_num_digits(v->text, 4);
        m = tz_num_digits(v->text + 5, 2);
        if (!tz_cal_mdays(y, m))
            return -1;
        snprintf(lo, 11, "%04d-%02d-01", y, m);
        snprintf(hi, 11, "%04d-%02d-%02d", y, m, tz_cal_mdays(y, m));
        return 0;
    case TZ_COL_YEAR:
        if (v->i < 1 || v->i > 9999)
            return -1;
        snprintf(lo, 11, "%04d-01-01", (int)v->i);
        snprintf(hi, 11, "%04d-12-31", (int)v->i);
        return 0;
    default:
        return -1;
    }
}

/* Where the row belongs, resolved once per call and only when some
 * approved submission covers its days. */
typedef struct lock_place {
    int resolved;    /* 1 once region and unit are filled */
    char region[16]; /* the row's region code, or "" */
    char unit[256];  /* the row's unit, or "" */
} lock_place;

/* The submission that locks the row. */
typedef struct lock_hit {
    long long id;    /* tz_submissions.id, 0 while none */
    char kind[16];   /* scope_kind: region or unit */
    char scope[256]; /* region code or unit name */
    char period[32]; /* period label ("2024-03") */
    char by[128];    /* reviewer */
} lock_hit;

/* Fills p from the row's region and unit links ("" for a link the ledger
 * lacks, an empty cell or a referenced row not stored). Returns 0 or -1. */
static int _place(tz_store *s, const tz_ledger *l, const tz_value *vals, lock_place *p)
{
    const tz_row_link *links[2] = {&l->region, &l->unit};
    char *outs[2] = {p->region, p->unit};
    size_t sizes[2] = {sizeof p->region, sizeof p->unit};
    int rc = 0;
    for (int i = 0; i < 2 && !rc; i++) {
        tz_stmt *via = NULL;
        if (links[i]->col && tzs_link_value(s, l, links[i], vals, &via, outs[i], sizes[i]) < 0)
            rc = -1;
        tz_stmt_free(via);
    }
    p->resolved = !rc;
    return rc;
}

/* 1 when the submission (kind, scope, digits) holds the row's place. */
static int _in_scope(const lock_place *p, const char *kind, const char *scope, long long digits)
{
    if (!kind || !scope)
        return 0;
    if (!strcmp(kind, "unit"))
        return p->unit[0] && !strcmp(p->unit, scope);
    if (strcmp(kind, "region") != 0 || digits < 1 || digits > 12 || strlen(scope) < (size_t)digits)
        return 0;
    return strlen(p->region) >= (size_t)digits && !strncmp(p->region, scope, (size_t)digits);
}

/* Writes the reason for the lock by submission `hit` (its scope, period,
 * reviewer): the scope by the region's name when there is one. */
static void _why(tz_store *s, const lock_hit *hit, char *why, size_t whysz)
{
    char name[256];
    snprintf(name, sizeof name, "%s", hit->scope);
    tz_stmt *st = NULL;
    if (!strcmp(hit->kind, "region") &&
        !tz_store_prepare(s, "SELECT name FROM regions WHERE code = ?", &st) &&
        !tz_stmt_bind_text(st, 1, hit->scope) && tz_stmt_step(st) == 1 && tz_stmt_text(st, 0))
        snprintf(name, sizeof name, "%s", tz_stmt_text(st, 0));
    tz_stmt_free(st);
    snprintf(why, whysz, "该期间数据已审核锁定(%s %s,审核人 %s)", name, hit->period, hit->by);
}

/* Copies column i of the current row into out ("" when NULL). */
static void _col(tz_stmt *st, int i, char *out, size_t sz)
{
    const char *t = tz_stmt_text(st, i);
    snprintf(out, sz, "%s", t ? t : "");
}

int tz_lock_row(tz_store *s, const tz_ledger *l, const tz_value *vals, char *why, size_t whysz)
{
    if (why && whysz)
        why[0] = '\0';
    int pc = l->period_col ? tz_ledger_col(l, l->period_col) : -1;
    char lo[11], hi[11];
    if (pc < 0 || vals[pc].null || _row_days(&l->cols[pc], &vals[pc], lo, hi))
        return 0;
    tz_stmt *st = NULL;
    int rc = -1, r;
    lock_place place = {0};
    lock_hit hit = {0};
    if (tz_store_prepare(s, _lock_sql, &st) || tz_stmt_bind_text(st, 1, lo) ||
        tz_stmt_bind_text(st, 2, hi))
        goto done;
    while ((r = tz_stmt_step(st)) == 1) {
        long long id = tz_stmt_int(st, 0);
        if (hit.id && id > hit.id)
            continue; /* the oldest submission that locks the row is named */
        if (!place.resolved && _place(s, l, vals, &place))
            goto done;
        if (!_in_scope(&place, tz_stmt_text(st, 1), tz_stmt_text(st, 2), tz_stmt_int(st, 3)))
            continue;
        hit.id = id;
        _col(st, 1, hit.kind, sizeof hit.kind);
        _col(st, 2, hit.scope, sizeof hit.scope);
        _col(st, 4, hit.period, sizeof hit.period);
        _col(st, 5, hit.by, sizeof hit.by);
    }
    if (r < 0)
        goto done;
    tz_stmt_free(st);
    st = NULL;
    if (hit.id && why && whysz)
        _why(s, &hit, why, whysz);
    rc = hit.id ? 1 : 0;
done:
    tz_stmt_free(st);
    return rc;
}

int tz_lock_possible(tz_store *s, const tz_ledger *l)
{
    if (!l->period_col || tz_ledger_col(l, l->period_col) < 0)
        return 0;
    long long any = 0;
    if (tz_store_scalar_int(s, "SELECT 1 FROM tz_submissions WHERE status = 'approved' LIMIT 1",
                            NULL, &any))
        return -1;
    return any ? 1 : 0;
}
