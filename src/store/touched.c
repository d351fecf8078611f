/* touched.c - the villages a write touched, recorded for the summaries.
 *
 * Owns: the in-memory set of villages whose household or 户户通 rows one
 * import or row edit writes (tz_touched_row, called once per written row,
 * no statement), and writing it once, inside the writer's transaction, to
 * tz_agg_touched (tz_touched_flush) with the data versions before and after
 * the write; and, on SQLite, the same record made by the row triggers of the
 * households and 户户通 tables for every other writer (a row edit, an older
 * build, the sqlite3 shell: tzs_touch_trigger_sql), one per row and data
 * version. metrics/summary.c reads them back and re-derives only those
 * villages' summary rows when the records cover every change since the
 * summaries were built; a change they do not cover (another ledger, a
 * PostgreSQL writer outside taizhang) leaves a gap in the chain of data
 * versions, and one whose village is unknown (an install of no registered
 * household) is recorded with village '': either way the summaries are
 * rebuilt in full. A write of any other ledger through taizhang is
 * recorded with "#" and the ledger's id in place of a village: no summary
 * row of a village depends on it, only its gap counts (metrics/quality.c),
 * which are then counted again for that ledger alone.
 *
 * Does not own: the summaries (metrics/summary.c), the write itself
 * (ingest.c, rows.c).
 */
#include "store/store_impl.h"
#include "util/buf.h"
#include "util/hmap.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Beyond this many 户户通 keys the villages are not looked up: the write
 * is large enough that a full rebuild costs about the same. */
#define TOUCH_MAX_KEYS 5000

struct tz_touched {
    long long from_dv; /* data version before the first write */
    int all;           /* 1: villages unknown (summaries rebuilt in full) */
    tz_hmap *villages; /* the villages written, or NULL before the first */
    tz_hmap *tv_keys;  /* 户编号 of 户户通 rows: villages looked up at the flush */
    tz_hmap *hh_came;  /* 户编号 of households added or deleted: does an install refer to one? */
    const tz_ledger *other; /* a ledger no village summary reads, written (one per write) */
    const tz_ledger *l;     /* the ledger of the columns below (one per write) */
    int village, hh;        /* its 所在村代码 and 户编号 columns, or -1 */
};

/* Adds s to the set *m (made at first use). Returns 0 or -1 (out of memory). */
static int _set_add(tz_hmap **m, const char *s)
{
    if (!*m && !(*m = tz_hmap_new()))
        return -1;
    return tz_hmap_put(*m, s, 0, NULL);
}

/* The ledgers whose rows take their village from l's rows (户户通 from
 * households): calls fn for each with the column holding l's key. */
static void _via_each(const tz_ledger *l, void (*fn)(void *, const tz_ledger *, const char *),
                      void *ctx)
{
    size_t n;
    const tz_ledger *all = tz_ledger_all(&n);
    for (size_t i = 0; i < n; i++) {
        const tz_ledger *v = &all[i];
        int c =
            v->region.via && !strcmp(v->region.via, l->id) ? tz_ledger_col(v, v->region.col) : -1;
        if (c >= 0)
            fn(ctx, v, v->cols[c].sql);
    }
}

/* Resolves the columns of l once per write. */
static void _cols(tz_touched *t, const tz_ledger *l)
{
    if (t->l == l)
        return;
    t->l = l;
    t->village = t->hh = -1;
    for (size_t i = 0; i < l->ncols; i++) {
        if (!strcmp(l->cols[i].sql, "village"))
            t->village = (int)i;
        else if (!strcmp(l->cols[i].sql, "hh_id"))
            t->hh = (int)i;
    }
}

/* The text of column i of vals, or NULL (no such column, or empty). */
static const char *_val(const tz_value *vals, int i)
{
    return i < 0 || vals[i].null ? NULL : vals[i].text;
}

/* Adds the village of one households row; none makes the set unknown. */
static int _add_village(tz_touched *t, const char *v)
{
    if (!v || !*v) {
        t->all = 1;
        return 0;
    }
    return _set_add(&t->villages, v);
}

int tz_touched_row(tz_store *s, tz_touched **tp, const tz_ledger *l, const tz_value *vals,
                   char *const *old_text)
{
    tz_touched *t = *tp;
    if (!t) {
        if (!(t = calloc(1, sizeof *t)))
            return -1;
        *tp = t;
        if (tz_store_scalar_int(s, "SELECT value FROM tz_meta WHERE key = 'data_version'", NULL,
                                &t->from_dv))
            return -1;
    }
    if (t->all)
        return 0;
    _cols(t, l);
    if (!strcmp(l->id, "households")) {
        if (_add_village(t, _val(vals, t->village)) ||
            (old_text && _add_village(t, t->village < 0 ? NULL : old_text[t->village])))
            return -1;
        if (old_text) /* the same key: its installs keep their village */
            return 0;
        const char *hh = _val(vals, t->hh);
        if (!hh || tz_hmap_count(t->hh_came) >= TOUCH_MAX_KEYS) {
            t->all = 1;
            return 0;
        }
        return _set_add(&t->hh_came, hh);
    }
    if (!strcmp(l->id, "tv_installs")) {
        const char *hh = _val(vals, t->hh);
        if (!hh || tz_hmap_count(t->tv_keys) >= TOUCH_MAX_KEYS) {
            t->all = 1;
            return 0;
        }
        return _set_add(&t->tv_keys, hh);
    }
    /* no village summary reads the other ledgers: the record names the
     * ledger, whose gap counts are then counted again */
    if (t->other && t->other != l)
        t->all = 1;
    t->other = l;
    return 0;
}

/* Where the 户户通 keys' villages are looked up. */
typedef struct tv_look {
    tz_touched *t;
    tz_stmt *st;
} tv_look;

/* tz_hmap_each: adds the village of one 户户通 key. Returns 0, or -1. */
static int _tv_village(void *ctx, const char *hh, long long ival, const char *sval)
{
    (void)ival;
    (void)sval;
    tv_look *lk = ctx;
    tz_stmt_reset(lk->st);
    if (tz_stmt_bind_text(lk->st, 1, hh))
        return -1;
    int r = tz_stmt_step(lk->st);
    if (r < 0)
        return -1;
    /* an install of no registered household is in no summary but the gap counts */
    if (_add_village(lk->t, r == 1 ? tz_stmt_text(lk->st, 0) : NULL))
        return -1;
    return lk->t->all; /* unknown now: stop */
}

/* Adds the villages of the 户户通 keys (households as written now: an
 * install moves with its household only through a households write, which
 * records both villages). Returns 0 or -1. */
static int _tv_villages(tz_store *s, tz_touched *t)
{
    tv_look lk = {t, NULL};
    if (!tz_hmap_count(t->tv_keys))
        return 0;
    if (tz_store_prepare(s, "SELECT village FROM households WHERE hh_id = ?", &lk.st))
        return -1;
    int rc = tz_hmap_each(t->tv_keys, _tv_village, &lk) < 0 ? -1 : 0;
    tz_stmt_free(lk.st);
    return rc;
}

/* One touched village's record. */
typedef struct touch_rec {
    long long from_dv, to_dv;
    tz_stmt *st;
} touch_rec;

/* tz_hmap_each: records one village. Returns 0, or -1. */
static int _record(void *ctx, const char *village, long long ival, const char *sval)
{
    (void)ival;
    (void)sval;
    touch_rec *r = ctx;
    tz_stmt_reset(r->st);
    return tz_stmt_bind_int(r->st, 1, r->from_dv) || tz_stmt_bind_int(r->st, 2, r->to_dv) ||
                   tz_stmt_bind_text(r->st, 3, village) || tz_stmt_step(r->st) < 0
               ? -1
               : 0;
}

/* Whether a row of a ledger placed through households refers to one of
 * the households added or deleted (its village was unknown and is now
 * known, or the other way: the summaries are rebuilt in full). */
typedef struct came_look {
    tz_store *s;
    tz_touched *t;
    int rc;
} came_look;

static int _came_key(void *ctx, const char *hh, long long ival, const char *sval)
{
    (void)ival;
    (void)sval;
    tz_stmt *st = ctx;
    tz_stmt_reset(st);
    if (tz_stmt_bind_text(st, 1, hh))
        return -1;
    return tz_stmt_step(st); /* 1 (found) stops, -1 fails */
}

static void _came_via(void *ctx, const tz_ledger *v, const char *col)
{
    came_look *cl = ctx;
    char sql[160];
    tz_stmt *st = NULL;
    if (cl->rc || cl->t->all)
        return;
    snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE %s = ? LIMIT 1", v->id, col);
    if (tz_store_prepare(cl->s, sql, &st)) {
        cl->rc = -1;
        return;
    }
    int r = tz_hmap_each(cl->t->hh_came, _came_key, st);
    tz_stmt_free(st);
    if (r < 0)
        cl->rc = -1;
    else if (r > 0)
        cl->t->all = 1;
}

int tz_touched_flush(tz_store *s, tz_touched *t)
{
    if (!t || t->all)
        return 0; /* nothing written, or a gap: the summaries are rebuilt in full */
    if (tz_hmap_count(t->hh_came)) {
        came_look cl = {s, t, 0};
        _via_each(tz_ledger_find("households"), _came_via, &cl);
        if (cl.rc)
            return -1;
        if (t->all)
            return 0;
    }
    if (_tv_villages(s, t))
        return -1;
    if (t->all)
        return 0;
    touch_rec rec = {t->from_dv, 0, NULL};
    if (tz_store_scalar_int(s, "SELECT value FROM tz_meta WHERE key = 'data_version'", NULL,
                            &rec.to_dv))
        return -1;
    if (tz_store_exec(s, TZ_TOUCHED_DDL) ||
        tz_store_prepare(s, "INSERT INTO tz_agg_touched (from_dv, to_dv, village) VALUES (?, ?, ?)",
                         &rec.st))
        return -1;
    int rc = tz_hmap_each(t->villages, _record, &rec) ? -1 : 0;
    if (!rc && t->other) {
        char mark[80]; /* the mark and a ledger id (an identifier of a few letters) */
        snprintf(mark, sizeof mark, "%s%s", TZ_TOUCHED_LEDGER_MARK, t->other->id);
        rc = _record(&rec, mark, 0, NULL);
    }
    tz_stmt_free(rec.st);
    return rc;
}

/* What a trigger's test for households that came or went is written
 * with: the SQL appended to, the rows (SQLite: NEW or OLD; PostgreSQL: a
 * transition table) and the households key column. */
typedef struct via_sql {
    tz_buf *sql;
    const char *row, *key;
} via_sql;

/* SQLite: '' when a row of a ledger placed through households refers to
 * the row (its village was unknown and is now known, or the other way). */
static void _trig_via(void *ctx, const tz_ledger *v, const char *col)
{
    via_sql *tv = ctx;
    tz_buf_printf(tv->sql, " UNION SELECT '' WHERE EXISTS (SELECT 1 FROM %s WHERE %s = %s.%s)",
                  v->id, col, tv->row, tv->key);
}

/* Appends the SELECT of the villages (column v) row r (NEW or OLD) of
 * table l touched. Returns 0, or -1 when no summary reads l. */
static int _trig_row(const tz_ledger *l, const char *r, const char *event, tz_buf *sql)
{
    int keys[4] = {-1, -1, -1, -1};
    tz_ledger_keys(l, keys);
    if (!strcmp(l->id, "households")) {
        tz_buf_printf(sql, "SELECT %s.village AS v", r);
        via_sql tv = {sql, r, l->cols[keys[0]].sql};
        if (strcmp(event, "UPDATE") != 0)
            _via_each(l, _trig_via, &tv);
        else if (*r == 'N') /* a key changed: its installs lose or find their village */
            tz_buf_printf(sql, " UNION SELECT '' WHERE OLD.%s IS NOT NEW.%s", tv.key, tv.key);
        return 0;
    }
    if (!strcmp(l->id, "tv_installs")) {
        tz_buf_printf(sql, "SELECT (SELECT village FROM households WHERE hh_id = %s.hh_id) AS v",
                      r);
        return 0;
    }
    return -1;
}

/* PostgreSQL: the same test for the keys of a transition table. */
static void _pg_via(void *ctx, const tz_ledger *v, const char *col)
{
    via_sql *pv = ctx;
    tz_buf_printf(pv->sql,
                  " IF EXISTS (SELECT 1 FROM %s r JOIN %s v ON v.%s = r.%s) THEN unknown := true; "
                  "END IF;",
                  pv->row, v->id, col, pv->key);
}

/* Appends the records of one event's rows (rows: tz_new or tz_old). */
static void _pg_rows(const tz_ledger *l, const char *rows, tz_buf *sql)
{
    if (!strcmp(l->id, "households"))
        tz_buf_printf(sql,
                      " INSERT INTO tz_agg_touched (from_dv, to_dv, village) SELECT DISTINCT dv - "
                      "1, dv, COALESCE(r.village, '') FROM %s r;",
                      rows);
    else
        tz_buf_printf(
            sql,
            " INSERT INTO tz_agg_touched (from_dv, to_dv, village) SELECT DISTINCT dv - "
            "1, dv, COALESCE((SELECT h.village FROM households h WHERE h.hh_id = r.hh_id), "
            "'') FROM %s r;",
            rows);
}

int tzs_touch_pg_sql(const tz_ledger *l, tz_buf *sql)
{
    int keys[4] = {-1, -1, -1, -1};
    int hh = !strcmp(l->id, "households");
    if ((!hh && strcmp(l->id, "tv_installs") != 0) || tz_ledger_keys(l, keys) != 1)
        return 0;
    const char *key = l->cols[keys[0]].sql;
    /* one function per table; transition tables are named per trigger, and a
     * branch only reads the ones its event has */
    tz_buf_printf(
        sql,
        "CREATE OR REPLACE FUNCTION tz_touch_%s() RETURNS trigger LANGUAGE plpgsql AS $f$ "
        "DECLARE dv bigint; unknown boolean := false; BEGIN "
        "IF current_setting('taizhang.dv_paused', true) = 'on' THEN RETURN NULL; END IF; "
        "IF TG_OP = 'INSERT' THEN IF NOT EXISTS (SELECT 1 FROM tz_new) THEN RETURN NULL; "
        "END IF; ELSIF NOT EXISTS (SELECT 1 FROM tz_old) THEN RETURN NULL; END IF; "
        "UPDATE tz_meta SET value = (COALESCE(value, '0')::bigint + 1)::text WHERE key = "
        "'data_version' RETURNING value::bigint INTO dv; "
        "IF TG_OP <> 'INSERT' THEN",
        l->id);
    _pg_rows(l, "tz_old", sql);
    tz_buf_puts(sql, " END IF; IF TG_OP <> 'DELETE' THEN");
    _pg_rows(l, "tz_new", sql);
    tz_buf_puts(sql, " END IF;");
    if (hh) {
        via_sql pv = {sql, "tz_new", key};
        tz_buf_puts(sql, " IF TG_OP = 'INSERT' THEN");
        _via_each(l, _pg_via, &pv);
        pv.row = "tz_old";
        tz_buf_puts(sql, " ELSIF TG_OP = 'DELETE' THEN");
        _via_each(l, _pg_via, &pv);
        /* a key changed: its installs lose or find their village */
        tz_buf_printf(
            sql,
            " ELSIF EXISTS (SELECT 1 FROM tz_old o WHERE NOT EXISTS (SELECT 1 FROM tz_new "
            "n WHERE n.%s = o.%s)) THEN unknown := true; END IF;",
            key, key);
    }
    tz_buf_puts(sql, " IF unknown THEN INSERT INTO tz_agg_touched (from_dv, to_dv, village) VALUES "
                     "(dv - 1, dv, ''); END IF; RETURN NULL; END $f$;\n");
    static const struct {
        const char *event, *refs;
        char c;
    } ev[] = {{"INSERT", "NEW TABLE AS tz_new", 'i'},
              {"UPDATE", "OLD TABLE AS tz_old NEW TABLE AS tz_new", 'u'},
              {"DELETE", "OLD TABLE AS tz_old", 'd'}};
    for (size_t e = 0; e < sizeof ev / sizeof ev[0]; e++)
        tz_buf_printf(
            sql,
            "DROP TRIGGER IF EXISTS tz_dv_%s_%c ON %s; CREATE TRIGGER tz_dv_%s_%c AFTER "
            "%s ON %s REFERENCING %s FOR EACH STATEMENT EXECUTE FUNCTION tz_touch_%s();\n",
            l->id, ev[e].c, l->id, l->id, ev[e].c, ev[e].event, l->id, ev[e].refs, l->id);
    /* TRUNCATE has no rows to name: a gap */
    tz_buf_printf(sql,
                  "DROP TRIGGER IF EXISTS tz_dv_%s ON %s; CREATE TRIGGER tz_dv_%s AFTER TRUNCATE "
                  "ON %s FOR EACH STATEMENT EXECUTE FUNCTION tz_bump_data_version();\n",
                  l->id, l->id, l->id, l->id);
    return 1;
}

int tzs_touch_before_sql(const char *id, const char *event, tz_buf *sql)
{
    const tz_ledger *l = tz_ledger_find(id);
    int keys[4] = {-1, -1, -1, -1};
    if (!l || strcmp(l->id, "households") != 0 || tz_ledger_keys(l, keys) != 1 ||
        !strcmp(event, "DELETE"))
        return 0;
    const char *key = l->cols[keys[0]].sql;
    int upd = !strcmp(event, "UPDATE");
    /* this row's step is still to come: value -> value + 1 */
    tz_buf_puts(sql, " INSERT INTO tz_agg_touched (from_dv, to_dv, village) SELECT CAST(m.value AS "
                     "INTEGER), CAST(m.value AS INTEGER) + 1, COALESCE(x.v, '') FROM tz_meta m, (");
    /* INSERT OR REPLACE of a stored key: the row it replaces leaves its village */
    if (!upd)
        tz_buf_printf(sql, "SELECT h.village AS v FROM %s h WHERE h.%s = NEW.%s UNION ", l->id, key,
                      key);
    /* a row of another key that the statement would replace (a unique
     * column, or the key an UPDATE moves to): gone without a trigger, so
     * its village is unknown here */
    tz_buf_printf(sql,
                  "SELECT '' AS v WHERE EXISTS (SELECT 1 FROM %s h WHERE h.%s IS NOT %s.%s AND (",
                  l->id, key, upd ? "OLD" : "NEW", key);
    int n = 0;
    if (upd) {
        tz_buf_printf(sql, "h.%s = NEW.%s", key, key);
        n++;
    }
    for (size_t i = 0; i < l->ncols; i++)
        if (l->cols[i].flags & TZ_F_UNIQUE)
            tz_buf_printf(sql, "%sh.%s = NEW.%s", n++ ? " OR " : "", l->cols[i].sql,
                          l->cols[i].sql);
    if (!n)
        tz_buf_puts(sql, "1 = 0");
    tz_buf_puts(sql, "))) x WHERE m.key = 'data_version';");
    return 1;
}

int tzs_touch_trigger_sql(const char *id, const char *event, tz_buf *sql)
{
    const tz_ledger *l = tz_ledger_find(id);
    tz_buf x = TZ_BUF_INIT;
    int any = 0;
    if (l && strcmp(event, "INSERT") != 0 && !_trig_row(l, "OLD", event, &x))
        any = 1;
    if (l && strcmp(event, "DELETE") != 0) {
        if (any)
            tz_buf_puts(&x, " UNION ");
        any = !_trig_row(l, "NEW", event, &x) || any;
    }
    if (any)
        /* the data version was just bumped by one: this row's step is value-1 -> value */
        tz_buf_printf(sql,
                      " INSERT INTO tz_agg_touched (from_dv, to_dv, village) SELECT "
                      "CAST(m.value AS INTEGER) - 1, CAST(m.value AS INTEGER), COALESCE(x.v, '') "
                      "FROM tz_meta m, (%s) x WHERE m.key = 'data_version';",
                      tz_buf_str(&x));
    tz_buf_free(&x);
    return any;
}

void tz_touched_free(tz_touched *t)
{
    if (!t)
        return;
    tz_hmap_free(t->villages);
    tz_hmap_free(t->tv_keys);
    tz_hmap_free(t->hh_came);
    free(t);
}
