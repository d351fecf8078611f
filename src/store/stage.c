/* stage.c - an import into PostgreSQL through COPY (issue 13, item 9).
 *
 * Row by row, an import into PostgreSQL pays a round trip a row (the upsert,
 * and another for a changed row's audit entry). Staged, the rows it writes
 * go as COPY text into a temporary table of the ledger's columns (a new
 * row with its import record and file row), and the changed rows' audit
 * entries as COPY text into audit_log, sent every few megabytes; before the import
 * commits (or ends its dry run), one INSERT ... SELECT ... ON CONFLICT moves
 * the staged rows into the ledger in file order. A load that more than
 * doubles a large table drops the secondary indexes for that statement and
 * builds them after it, as SQLite's bulk path does (ingest.c); DROP INDEX
 * holds the table's ACCESS EXCLUSIVE lock, so readers of that ledger wait
 * for the commit from there on (decisions.md weighs it). The checks are the
 * same ones, made in memory before a row is staged; the transaction is the
 * same, so the import stays all or nothing.
 *
 * Staging is taken only where no check of a later row asks the database
 * about a row staged earlier: the stored keys, every unique column and
 * every reference of the ledger to itself are in the in-memory sets
 * (ingest_sets.c), which follow the staged rows.
 *
 * Into an empty ledger every row is new (a key twice in a file is refused),
 * so order means nothing and nothing needs ON CONFLICT: once such a load
 * is large (TZS_BULK_MIN rows staged when a batch is sent, not in a dry
 * run) it drops the secondary indexes and COPYs each batch straight into
 * the ledger, the staging table and the INSERT ... SELECT skipped
 * (docs/decisions.md, "A first load into PostgreSQL").
 */
#include "store/store_impl.h"
#include "util/buf.h"
#include "util/num.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Staged text past which it is sent to the database (the rows to tz_stage,
 * which keeps them until the end: the client's memory stays flat). */
#define STAGE_SEND_BYTES ((size_t)8 << 20)

struct tzs_stage {
    tz_bufw rows;  /* COPY text of the rows staged since the last flush */
    tz_bufw audit; /* COPY text of their audit entries */
    long long seq; /* rows staged so far (file order) */
    char *copy;    /* "COPY tz_stage (tz_seq, cols...) FROM STDIN" (no tz_seq when
                      empty is set) */
    char *upsert;  /* the INSERT ... SELECT from tz_stage, in file order */
    char *bulk;    /* the same in any order (no unique index to meet meanwhile) */
    int empty;     /* 1: the ledger held no row when the import began */
    char *direct;  /* empty: "COPY ledger (cols...) FROM STDIN", else NULL */
    int going;     /* 1 once batches go straight into the ledger (indexes dropped) */
    int staged;    /* 1 once a batch went into tz_stage */
};

/* Whether every check of g's rows is answered in memory. */
static int _in_memory(const tzs_ingest *g)
{
    const tz_ledger *l = g->l;
    if (!g->stored || !g->uniq || !g->refs)
        return 0;
    for (size_t i = 0; i < l->ncols; i++) {
        if ((l->cols[i].flags & TZ_F_UNIQUE) && !g->uniq[i])
            return 0;
        if (l->cols[i].ref && !strcmp(l->cols[i].ref, l->id) && !g->refs[i])
            return 0;
    }
    return 1;
}

/* "COPY table ([tz_seq, ]cols..., tz_import, tz_line) FROM STDIN", or
 * NULL when out of memory. */
static char *_copy_sql(const tz_ledger *l, const char *table, int seq)
{
    tz_buf q = TZ_BUF_INIT;
    tz_buf_printf(&q, "COPY %s (%s", table, seq ? "tz_seq, " : "");
    for (size_t i = 0; i < l->ncols; i++)
        tz_buf_printf(&q, "%s, ", l->cols[i].sql);
    tz_buf_puts(&q, "tz_import, tz_line) FROM STDIN");
    return q.data ? tz_buf_take(&q) : NULL;
}

/* The temporary table, the COPY into it and the upsert out of it. */
static int _prepare(tzs_ingest *g, tzs_stage *st)
{
    const tz_ledger *l = g->l;
    tz_buf q = TZ_BUF_INIT;
    tz_buf_puts(&q, "CREATE TEMP TABLE tz_stage (tz_seq BIGINT");
    for (size_t i = 0; i < l->ncols; i++)
        tz_buf_printf(&q, ", %s %s", l->cols[i].sql, tzs_sqltype(TZ_BACKEND_PG, l->cols[i].type));
    tz_buf_puts(&q, ", tz_import BIGINT, tz_line BIGINT) ON COMMIT DROP");
    if (!q.data || tz_store_exec(g->s, tz_buf_str(&q)))
        goto fail;
    tz_buf_reset(&q);
    if (!(st->copy = _copy_sql(l, "tz_stage", !st->empty)) ||
        (st->empty && !(st->direct = _copy_sql(l, l->id, 0))))
        goto fail;
    /* file order matters while a unique index checks each row as it goes
     * in (a row lets an ID go before a later one takes it); sorting the
     * stage costs more than the whole statement otherwise */
    tzs_upsert_sql(l, "tz_stage ORDER BY tz_seq", 0, &q);
    if (!q.data || !(st->upsert = tz_buf_take(&q)))
        goto fail;
    tzs_upsert_sql(l, "tz_stage", 0, &q);
    if (!q.data || !(st->bulk = tz_buf_take(&q)))
        goto fail;
    return 0;
fail:
    tz_buf_free(&q);
    return -1;
}

int tzs_stage_begin(tzs_ingest *g)
{
    if (tz_store_backend(g->s) != TZ_BACKEND_PG || !_in_memory(g))
        return 0;
    tzs_stage *st = calloc(1, sizeof *st);
    if (!st)
        return -1;
    st->empty = tz_hmap_count(g->stored) == 0;
    if (_prepare(g, st)) {
        tzs_stage_free(st);
        return -1;
    }
    g->stage = st;
    return 0;
}

/* Sends what is staged: the rows into tz_stage, their audit entries into
 * audit_log. Returns 0 or -1 (marked fatal). */
static int _send(tzs_ingest *g, tzs_stage *st)
{
    int rc = -1;
    if (st->rows.err || st->audit.err) {
        tzs_fatal(g, "内存分配");
        goto done;
    }
    if (st->empty && !st->going && !g->dry_run && st->seq >= TZS_BULK_MIN) {
        if (tzs_indexes(g->s, g->l, 1)) {
            tzs_fatal(g, "大批量导入前暂停数据库索引");
            goto done;
        }
        st->going = 1;
    }
    if (!st->going && st->rows.b.len)
        st->staged = 1;
    if (tzs_copy_in(g->s, st->going ? st->direct : st->copy, &st->rows.b) ||
        tzs_copy_in(g->s, tzs_audit_copy_sql, &st->audit.b)) {
        tzs_fatal(g, "写入数据库");
        goto done;
    }
    rc = 0;
done:
    tz_buf_reset(&st->rows.b);
    tz_buf_reset(&st->audit.b);
    return rc;
}

int tzs_stage_flush(tzs_ingest *g)
{
    tzs_stage *st = g->stage;
    if (!st || _send(g, st))
        return st ? -1 : 0;
    if (!st->seq)
        return 0;
    if (st->going) {
        /* the batches sent before the load was known to be large, then the
         * indexes (a unique one checks its column again) */
        if ((st->staged && tz_store_exec(g->s, st->bulk)) || tzs_indexes(g->s, g->l, 0) ||
            (st->staged && tz_store_exec(g->s, "TRUNCATE tz_stage"))) {
            tzs_fatal(g, "写入数据库");
            return -1;
        }
        st->seq = st->going = st->staged = 0;
        return 0;
    }
    /* a load that more than doubles a large table: its secondary indexes
     * are built once after it (one sort each) instead of a B-tree insert a
     * row; the in-memory sets already held every unique value apart. Not
     * in a dry run: DROP INDEX would make the ledger's readers wait for a
     * check that writes nothing. */
    int bulk = !g->dry_run && g->added >= TZS_BULK_MIN && g->added > g->stored_n;
    /* into an empty ledger there is no order to keep (no tz_seq staged) */
    const char *move = bulk || st->empty ? st->bulk : st->upsert;
    if ((bulk && tzs_indexes(g->s, g->l, 1)) || tz_store_exec(g->s, move) ||
        (bulk && tzs_indexes(g->s, g->l, 0)) || tz_store_exec(g->s, "TRUNCATE tz_stage")) {
        tzs_fatal(g, "写入数据库");
        return -1;
    }
    st->seq = 0;
    return 0;
}

/* Appends value v of column c as PostgreSQL reads the parameter that
 * tz_stmt_bind_value would bind. */
static void _field(tz_bufw *w, const tz_column *c, const tz_value *v, int last)
{
    char num[40];
    const char *t = NULL;
    if (!v->null) {
        switch (c->type) {
        case TZ_COL_INT:
        case TZ_COL_YEAR:
        case TZ_COL_BOOL:
            t = tz_num_text(v->i, num);
            break;
        case TZ_COL_DECIMAL:
            snprintf(num, sizeof num, "%.17g", v->d);
            t = num;
            break;
        default:
            t = v->text;
            break;
        }
    }
    tzs_copy_field(w, t, last);
}

int tzs_stage_row(tzs_ingest *g, const tz_value *vals, long long imp, long line, const char *actor,
                  const char *action, const char *key, const char *detail)
{
    tzs_stage *st = g->stage;
    const tz_ledger *l = g->l;
    char num[24];
    st->seq++;
    if (!st->empty) { /* file order: the upsert's ORDER BY */
        snprintf(num, sizeof num, "%lld", st->seq);
        tzs_copy_field(&st->rows, num, 0);
    }
    for (size_t i = 0; i < l->ncols; i++)
        _field(&st->rows, &l->cols[i], &vals[i], 0);
    if (imp > 0) {
        snprintf(num, sizeof num, "%lld", imp);
        tzs_copy_field(&st->rows, num, 0);
        snprintf(num, sizeof num, "%ld", line);
        tzs_copy_field(&st->rows, num, 1);
    } else {
        tzs_copy_field(&st->rows, NULL, 0);
        tzs_copy_field(&st->rows, NULL, 1);
    }
    if ((imp <= 0 && tzs_audit_copy_line(g->s, &st->audit, actor, action, l->id, key, detail)) ||
        st->rows.err) {
        tzs_fatal(g, "写入留痕记录");
        return -1;
    }
    return st->rows.b.len + st->audit.b.len >= STAGE_SEND_BYTES ? _send(g, st) : 0;
}

void tzs_stage_free(tzs_stage *st)
{
    if (!st)
        return;
    tz_buf_free(&st->rows.b);
    tz_buf_free(&st->audit.b);
    free(st->copy);
    free(st->upsert);
    free(st->bulk);
    free(st->direct);
    free(st);
}
