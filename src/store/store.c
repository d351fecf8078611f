/* store.c - backend dispatch, schema and migrations, value binding, audit log. */
#include "store/backend.h"
#include "store/store_impl.h"
#include "util/random.h"
#include "util/buf.h"
#include "util/num.h"
#include "util/sha256.h"
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int tz_store_is_file(const char *uri)
{
    return strncmp(uri, "postgresql://", 13) != 0 && strncmp(uri, "postgres://", 11) != 0;
}

int tz_store_open(const char *uri, unsigned flags, tz_store **out, tz_diags *d)
{
    *out = NULL;
    int rc;
    if (!tz_store_is_file(uri))
        rc = tz_pg_open(uri, flags, out, d);
    else
        rc = tz_sqlite_open(uri, flags, out, d);
    if (rc)
        return -1;
    if (tz_schema_migrate(*out, flags, d)) {
        tz_store_close(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

void tz_store_close(tz_store *s)
{
    if (!s)
        return;
    if (s->in_tx)
        tz_store_rollback(s);
    tz_stmt_free(s->st_audit); /* before the connection it was prepared on */
    /* the reader first: SQLite keeps a closed connection's descriptor while
     * another of the process holds a lock on the file (see tz_store_reader) */
    tz_store_close(s->reader);
    s->ops->close(s);
    free(s);
}

tz_backend tz_store_backend(const tz_store *s)
{
    return s->backend;
}

const char *tz_store_errmsg(const tz_store *s)
{
    return s->errmsg;
}

tz_store_err tz_store_errkind(const tz_store *s)
{
    return s->errkind;
}

int tz_store_read_only(const tz_store *s)
{
    return s->read_only;
}

int tz_store_tx_alive(const tz_store *s)
{
    return s->in_tx && s->ops->tx_alive(s);
}

int tz_store_exec(tz_store *s, const char *sql)
{
    return s->ops->exec(s, sql);
}

int tz_store_in_tx(const tz_store *s)
{
    return s->in_tx;
}

int tz_store_read_begin(tz_store *s)
{
    if (s->in_tx || s->in_read)
        return 0;
    if (s->ops->exec(s, s->backend == TZ_BACKEND_PG
                            ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                            : "BEGIN"))
        return -1;
    s->in_read = 1;
    return 1;
}

void tz_store_read_end(tz_store *s)
{
    if (!s->in_read)
        return;
    s->ops->exec(s, "COMMIT");
    s->in_read = 0;
}

int tz_store_in_read(const tz_store *s)
{
    return s->in_read;
}

int tz_store_reader(tz_store *s, tz_store **out)
{
    *out = NULL;
    if (!s->reader) {
        int rc = s->ops->open_reader ? s->ops->open_reader(s, &s->reader) : 0;
        if (rc != 1)
            return rc;
    }
    *out = s->reader;
    return 1;
}

int tz_store_begin(tz_store *s)
{
    if (s->in_read) {
        snprintf(s->errmsg, sizeof s->errmsg, "读取快照中不能开始写入事务");
        s->errkind = TZ_STORE_ERR_OTHER;
        return -1;
    }
    /* SQLite: take the write lock now, waiting for another writer here,
     * rather than failing on the first write in the middle of a job */
    if (s->ops->exec(s, s->backend == TZ_BACKEND_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN"))
        return -1;
    s->in_tx = 1;
    return 0;
}

int tz_store_commit(tz_store *s)
{
    if (s->in_tx && !s->ops->tx_alive(s)) {
        /* the backend already rolled back (disk full, I/O error, a failed
         * PostgreSQL statement): a COMMIT now would keep nothing, or, in
         * SQLite's autocommit mode, report success for nothing */
        char keep[sizeof s->errmsg];
        tz_store_err kind = s->errkind;
        snprintf(keep, sizeof keep, "%s", s->errmsg[0] ? s->errmsg : "事务已被数据库撤销");
        s->ops->exec(s, "ROLLBACK"); /* PostgreSQL: end the aborted transaction */
        snprintf(s->errmsg, sizeof s->errmsg, "%s", keep);
        s->errkind = kind;
        s->in_tx = 0;
        s->have_audit_key = 0; /* a key made in this transaction is gone */
        return -1;
    }
    int rc = s->ops->exec(s, "COMMIT");
    if (!rc)
        s->in_tx = 0;
    return rc;
}

int tz_store_rollback(tz_store *s)
{
    s->in_tx = 0;
    /* a key made in this transaction is undone with it: reload next time */
    s->have_audit_key = 0;
    return s->ops->exec(s, "ROLLBACK");
}

int tz_store_prepare(tz_store *s, const char *sql, tz_stmt **out)
{
    *out = NULL;
    return s->ops->prepare(s, sql, out);
}

int tz_stmt_bind_text(tz_stmt *st, int i, const char *v)
{
    return v ? st->ops->bind_text(st, i, v) : st->ops->bind_null(st, i);
}
int tz_stmt_bind_int(tz_stmt *st, int i, long long v)
{
    return st->ops->bind_int(st, i, v);
}
int tz_stmt_bind_double(tz_stmt *st, int i, double v)
{
    return st->ops->bind_double(st, i, v);
}
int tz_stmt_bind_null(tz_stmt *st, int i)
{
    return st->ops->bind_null(st, i);
}
int tz_stmt_step(tz_stmt *st)
{
    return st->ops->step(st);
}
int tz_stmt_ncols(tz_stmt *st)
{
    return st->ops->ncols(st);
}
int tz_stmt_is_null(tz_stmt *st, int col)
{
    return st->ops->is_null(st, col);
}
const char *tz_stmt_text(tz_stmt *st, int col)
{
    return st->ops->is_null(st, col) ? NULL : st->ops->text(st, col);
}
long long tz_stmt_int(tz_stmt *st, int col)
{
    const char *t = tz_stmt_text(st, col);
    return t ? strtoll(t, NULL, 10) : 0;
}
double tz_stmt_double(tz_stmt *st, int col)
{
    const char *t = tz_stmt_text(st, col);
    return t ? strtod(t, NULL) : 0.0;
}
tz_sqlkind tz_stmt_kind(tz_stmt *st, int col)
{
    return st->ops->kind(st, col);
}
double tz_stmt_real(tz_stmt *st, int col)
{
    return st->ops->real(st, col);
}
int tz_stmt_reset(tz_stmt *st)
{
    return st->ops->reset(st);
}
void tz_stmt_free(tz_stmt *st)
{
    if (st)
        st->ops->free(st);
}

int tz_store_scalar_int(tz_store *s, const char *sql, const char *const *params, long long *out)
{
    tz_stmt *st = NULL;
    int rc = -1;
    *out = 0;
    if (tz_store_prepare(s, sql, &st))
        goto done;
    for (int i = 0; params && params[i]; i++)
        if (tz_stmt_bind_text(st, i + 1, params[i]))
            goto done;
    int r = tz_stmt_step(st);
    if (r < 0)
        goto done;
    if (r == 1)
        *out = tz_stmt_int(st, 0);
    rc = 0;
done:
    tz_stmt_free(st);
    return rc;
}

int tz_stmt_bind_value(tz_stmt *st, int i, const tz_column *c, const tz_value *v)
{
    if (v->null)
        return tz_stmt_bind_null(st, i);
    switch (c->type) {
    case TZ_COL_INT:
    case TZ_COL_YEAR:
    case TZ_COL_BOOL:
        return tz_stmt_bind_int(st, i, v->i);
    case TZ_COL_DECIMAL:
        return tz_stmt_bind_double(st, i, v->d);
    default:
        return tz_stmt_bind_text(st, i, v->text);
    }
}

const char *tz_stmt_value_text(tz_stmt *st, int col, const tz_column *c, char *buf, size_t sz)
{
    const char *t = tz_stmt_text(st, col);
    if (!t) {
        buf[0] = '\0';
        return buf;
    }
    switch (c->type) {
    case TZ_COL_BOOL:
        snprintf(buf, sz, "%s", strtoll(t, NULL, 10) ? "是" : "否");
        return buf;
    case TZ_COL_DECIMAL:
    case TZ_COL_INT:
    case TZ_COL_YEAR:
        tz_fmt_decimal(strtod(t, NULL), 6, buf, sz);
        return buf;
    default:
        snprintf(buf, sz, "%s", t);
        return buf;
    }
}

/* The audit time of now (local, to the second), formatted once per second:
 * an import writes many entries a second. Returns it, or NULL for a clock
 * outside struct tm. */
static const char *_audit_ts(tz_store *s)
{
    time_t now = time(NULL);
    if (s->audit_ts[0] && s->audit_sec == (long long)now)
        return s->audit_ts;
    struct tm tmv;
    if (!localtime_r(&now, &tmv) ||
        !strftime(s->audit_ts, sizeof s->audit_ts, "%Y-%m-%d %H:%M:%S", &tmv))
        return NULL;
    s->audit_sec = (long long)now;
    return s->audit_ts;
}

/* Writes one audit entry; with id, reads the id it was given. */
static int _audit(tz_store *s, const char *actor, const char *action, const char *ledger,
                  const char *row_key, const char *detail, long long *id)
{
    int rc = -1;
    static const char *const sql = "INSERT INTO audit_log (ts, actor, action, ledger, row_key, "
                                   "detail, addr, request) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    tz_stmt *own = NULL;
    /* prepared once per store and reset per entry (PostgreSQL: one named
     * server-side statement for the connection's life); the one entry an
     * import reads the id of is prepared for itself */
    if (id) {
        tz_buf q = TZ_BUF_INIT;
        tz_buf_printf(&q, "%s RETURNING id", sql);
        int bad = !q.data || tz_store_prepare(s, tz_buf_str(&q), &own);
        tz_buf_free(&q);
        if (bad)
            return -1;
    } else if (!s->st_audit && tz_store_prepare(s, sql, &s->st_audit)) {
        return -1;
    }
    tz_stmt *st = id ? own : s->st_audit;
    const char *ts = _audit_ts(s);
    if (!ts)
        goto done; /* a clock outside struct tm: no audit row without its time */
    tz_stmt_reset(st);
    if (tz_stmt_bind_text(st, 1, ts) || tz_stmt_bind_text(st, 2, actor ? actor : "") ||
        tz_stmt_bind_text(st, 3, action) || tz_stmt_bind_text(st, 4, ledger) ||
        tz_stmt_bind_text(st, 5, row_key) || tz_stmt_bind_text(st, 6, detail) ||
        tz_stmt_bind_text(st, 7, s->origin_addr[0] ? s->origin_addr : "命令行") ||
        tz_stmt_bind_text(st, 8, s->origin_request))
        goto done;
    int r = tz_stmt_step(st);
    if (r < 0 || (id && (r != 1 || (*id = tz_stmt_int(st, 0)) <= 0)))
        goto done;
    rc = 0;
done:
    tz_stmt_reset(st); /* holds nothing between entries */
    tz_stmt_free(own);
    return rc;
}

int tz_store_audit(tz_store *s, const char *actor, const char *action, const char *ledger,
                   const char *row_key, const char *detail)
{
    return _audit(s, actor, action, ledger, row_key, detail, NULL);
}

int tzs_audit_returning(tz_store *s, const char *actor, const char *action, const char *ledger,
                        const char *row_key, const char *detail, long long *id)
{
    return _audit(s, actor, action, ledger, row_key, detail, id);
}

void tzs_copy_field(tz_bufw *out, const char *v, int last)
{
    if (!v) {
        tz_bufw_puts(out, "\\N");
    } else {
        const char *run = v;
        for (const char *p = v; *p; p++) {
            const char *esc = *p == '\\'   ? "\\\\"
                              : *p == '\t' ? "\\t"
                              : *p == '\n' ? "\\n"
                              : *p == '\r' ? "\\r"
                                           : NULL;
            if (!esc)
                continue;
            tz_bufw_add(out, run, (size_t)(p - run));
            tz_bufw_puts(out, esc);
            run = p + 1;
        }
        tz_bufw_puts(out, run);
    }
    tz_bufw_add(out, last ? "\n" : "\t", 1);
}

const char *const tzs_audit_copy_sql =
    "COPY audit_log (ts, actor, action, ledger, row_key, detail, addr, request) FROM STDIN";

int tzs_audit_copy_line(tz_store *s, tz_bufw *out, const char *actor, const char *action,
                        const char *ledger, const char *row_key, const char *detail)
{
    const char *ts = _audit_ts(s);
    if (!ts)
        return -1; /* a clock outside struct tm: no audit row without its time */
    tzs_copy_field(out, ts, 0);
    tzs_copy_field(out, actor ? actor : "", 0);
    tzs_copy_field(out, action, 0);
    tzs_copy_field(out, ledger, 0);
    tzs_copy_field(out, row_key, 0);
    tzs_copy_field(out, detail, 0);
    tzs_copy_field(out, s->origin_addr[0] ? s->origin_addr : "命令行", 0);
    tzs_copy_field(out, s->origin_request, 1);
    return out->err ? -1 : 0;
}

int tzs_copy_in(tz_store *s, const char *sql, const tz_buf *data)
{
    if (!s->ops->copy_in) {
        snprintf(s->errmsg, sizeof s->errmsg, "%s", "COPY is PostgreSQL's");
        s->errkind = TZ_STORE_ERR_OTHER;
        return -1;
    }
    return data->len ? s->ops->copy_in(s, sql, tz_buf_str(data), data->len) : 0;
}

void tz_store_set_origin(tz_store *s, const char *addr, const char *request)
{
    snprintf(s->origin_addr, sizeof s->origin_addr, "%s", addr ? addr : "");
    snprintf(s->origin_request, sizeof s->origin_request, "%s", request ? request : "");
}

/* Loads tz_meta 'audit_key' into s. Returns 1 loaded, 0 absent, -1 error. */
static int _load_audit_key(tz_store *s)
{
    tz_stmt *st = NULL;
    if (tz_store_prepare(s, "SELECT value FROM tz_meta WHERE key = 'audit_key'", &st))
        return -1;
    int r = tz_stmt_step(st);
    const char *v = r == 1 ? tz_stmt_text(st, 0) : NULL;
    if (v && strlen(v) == 64) {
        for (size_t i = 0; i < 32; i++) {
            char c1 = v[2 * i], c2 = v[2 * i + 1];
            unsigned hi = (unsigned)(c1 <= '9' ? c1 - '0' : (c1 | 0x20) - 'a' + 10);
            unsigned lo = (unsigned)(c2 <= '9' ? c2 - '0' : (c2 | 0x20) - 'a' + 10);
            s->audit_key[i] = (unsigned char)((hi & 15) << 4 | (lo & 15));
        }
        s->have_audit_key = 1;
    }
    tz_stmt_free(st);
    return r < 0 ? -1 : s->have_audit_key;
}

/* Length of an 18-character ID number at p standing alone (not inside a
 * longer run of letters or digits), else 0. */
static size_t _id_at(const char *detail, const char *p)
{
    if (p > detail && (isalnum((unsigned char)p[-1]) || p[-1] == '*'))
        return 0;
    for (int i = 0; i < 17; i++)
        if (!isdigit((unsigned char)p[i]))
            return 0;
    if (!isdigit((unsigned char)p[17]) && p[17] != 'X' && p[17] != 'x')
        return 0;
    return isalnum((unsigned char)p[18]) ? 0 : 18;
}

/* Audit entries written before IDs were hashed hold them in the clear:
 * rewrite each ID number in them into its audit form. Runs once, in the
 * transaction that makes the key. Returns 0 or -1. */
static int _scrub_old_ids(tz_store *s)
{
    tz_stmt *st = NULL, *up = NULL;
    long long *ids = NULL;
    char **details = NULL;
    size_t n = 0, cap = 0;
    int rc = -1, r;
    if (tz_store_prepare(s, "SELECT id, detail FROM audit_log WHERE detail LIKE '%身份证号%'", &st))
        goto done;
    while ((r = tz_stmt_step(st)) == 1) {
        const char *det = tz_stmt_text(st, 1);
        if (!det)
            continue;
        tz_buf out = TZ_BUF_INIT;
        int changed = 0;
        for (const char *p = det; *p;) {
            size_t k = _id_at(det, p);
            if (k) {
                char id[19], shown[96];
                memcpy(id, p, 18);
                id[18] = '\0';
                if (tz_store_audit_id(s, id, shown, sizeof shown)) {
                    tz_buf_free(&out);
                    goto done;
                }
                tz_buf_puts(&out, shown);
                p += k;
                changed = 1;
            } else {
                tz_buf_putc(&out, *p++);
            }
        }
        if (!changed) {
            tz_buf_free(&out);
            continue;
        }
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            long long *ni = realloc(ids, nc * sizeof *ni);
            if (ni)
                ids = ni;
            char **nd = ni ? realloc(details, nc * sizeof *nd) : NULL;
            if (!nd) {
                tz_buf_free(&out);
                goto done;
            }
            details = nd;
            cap = nc;
        }
        ids[n] = tz_stmt_int(st, 0);
        details[n++] = tz_buf_take(&out);
    }
    if (r < 0)
        goto done;
    tz_stmt_free(st);
    st = NULL;
    if (n && tz_store_prepare(s, "UPDATE audit_log SET detail = ? WHERE id = ?", &up))
        goto done;
    for (size_t i = 0; i < n; i++) {
        tz_stmt_reset(up);
        if (tz_stmt_bind_text(up, 1, details[i]) || tz_stmt_bind_int(up, 2, ids[i]) ||
            tz_stmt_step(up) < 0)
            goto done;
    }
    rc = 0;
done:
    tz_stmt_free(st);
    tz_stmt_free(up);
    for (size_t i = 0; i < n; i++)
        free(details[i]);
    free(details);
    free(ids);
    return rc;
}

/* Makes the database's audit key when it has none (a new database, or one
 * from a build before IDs were hashed: then the old entries are rewritten
 * too), and loads it. Call inside a write transaction. Returns 0 or -1. */
static int _ensure_audit_key(tz_store *s)
{
    if (s->have_audit_key)
        return 0;
    int r = _load_audit_key(s);
    if (r != 0)
        return r > 0 ? 0 : -1;
    unsigned char key[32];
    char hex[65];
    tz_stmt *st = NULL;
    if (tz_random_bytes(key, sizeof key)) {
        snprintf(s->errmsg, sizeof s->errmsg, "无法取得随机数");
        return -1;
    }
    tz_hex(key, 32, hex);
    memset(key, 0, sizeof key);
    r = -1;
    if (tz_store_prepare(s, "INSERT INTO tz_meta (key, value) VALUES ('audit_key', ?)", &st) == 0 &&
        tz_stmt_bind_text(st, 1, hex) == 0 && tz_stmt_step(st) >= 0)
        r = 0;
    tz_stmt_free(st);
    memset(hex, 0, sizeof hex);
    if (r || _load_audit_key(s) != 1)
        return -1;
    return _scrub_old_ids(s);
}

int tz_store_audit_ready(tz_store *s)
{
    return _ensure_audit_key(s);
}

int tz_store_audit_id(tz_store *s, const char *id, char *out, size_t sz)
{
    unsigned char mac[32];
    char masked[64], hex[65];
    if (!id || !*id) {
        snprintf(out, sz, "%s", "");
        return 0;
    }
    if (_ensure_audit_key(s))
        return -1;
    tz_hmac_sha256(s->audit_key, sizeof s->audit_key, id, strlen(id), mac);
    tz_hex(mac, 6, hex);
    tz_idcard_mask(id, masked, sizeof masked);
    snprintf(out, sz, "%s#%s", masked, hex);
    return 0;
}

/* ---- schema ------------------------------------------------------------ */

const char *tzs_sqltype(tz_backend b, tz_coltype t)
{
    switch (t) {
    case TZ_COL_INT:
    case TZ_COL_YEAR:
    case TZ_COL_BOOL:
        return b == TZ_BACKEND_PG ? "BIGINT" : "INTEGER";
    case TZ_COL_DECIMAL:
        return b == TZ_BACKEND_PG ? "DOUBLE PRECISION" : "REAL";
    default:
        return "TEXT";
    }
}

/* Appends the SQL that creates (drop 0) or drops (drop 1) the secondary
 * indexes of l: one per unique column, one per reference that is not the
 * key's first column (the primary key serves that one), one per column
 * marked TZ_F_INDEXED. */
static void _index_sql(const tz_ledger *l, int drop, tz_buf *sql)
{
    int keys[4] = {-1, -1, -1, -1};
    tz_ledger_keys(l, keys);
    for (size_t i = 0; i < l->ncols; i++) {
        const tz_column *c = &l->cols[i];
        const char *kind =
            c->flags & TZ_F_UNIQUE ? "uq"
            : (c->ref && !(c->flags & TZ_F_KEY && keys[0] == (int)i)) || c->flags & TZ_F_INDEXED
                ? "ix"
                : NULL;
        if (!kind)
            continue;
        if (drop)
            tz_buf_printf(sql, "DROP INDEX IF EXISTS %s_%s_%s;\n", l->id, c->sql, kind);
        else
            tz_buf_printf(sql, "CREATE %sINDEX IF NOT EXISTS %s_%s_%s ON %s (%s%s%s);\n",
                          *kind == 'u' ? "UNIQUE " : "", l->id, c->sql, kind, l->id, c->sql,
                          c->index_with ? ", " : "", c->index_with ? c->index_with : "");
    }
}

int tzs_indexes(tz_store *s, const tz_ledger *l, int drop)
{
    tz_buf sql = TZ_BUF_INIT;
    _index_sql(l, drop, &sql);
    int rc = !sql.len ? 0 : sql.data ? tz_store_exec(s, tz_buf_str(&sql)) : -1;
    tz_buf_free(&sql);
    return rc;
}

static int _create_ledger(tz_store *s, const tz_ledger *l, tz_buf *sql)
{
    tz_buf_printf(sql, "CREATE TABLE IF NOT EXISTS %s (", l->id);
    for (size_t i = 0; i < l->ncols; i++)
        tz_buf_printf(sql, "%s %s%s, ", l->cols[i].sql, tzs_sqltype(s->backend, l->cols[i].type),
                      (l->cols[i].flags & TZ_F_KEY) ? " NOT NULL" : "");
    /* the row's version: 1 when added, +1 on every change (409 on a stale one) */
    tz_buf_printf(sql, "tz_version %s NOT NULL DEFAULT 1, ",
                  s->backend == TZ_BACKEND_PG ? "BIGINT" : "INTEGER");
    /* a row an import added: its import record (tz_imports.id) and file
     * row, which stand for its 新增 audit entry (tz_audit_history) */
    tz_buf_printf(sql, "tz_import %s, tz_line %s, ",
                  s->backend == TZ_BACKEND_PG ? "BIGINT" : "INTEGER",
                  s->backend == TZ_BACKEND_PG ? "BIGINT" : "INTEGER");
    tz_buf_puts(sql, "PRIMARY KEY (");
    int keys[4];
    size_t nk = tz_ledger_keys(l, keys);
    for (size_t k = 0; k < nk; k++)
        tz_buf_printf(sql, "%s%s", k ? ", " : "", l->cols[keys[k]].sql);
    tz_buf_puts(sql, "));\n");
    _index_sql(l, 0, sql);
    return 0;
}

/* Adds column `col` (declared `decl`) to `table` when an older database
 * lacks it. Returns 0 or -1 (s->errmsg says why). */
static int _ensure_column(tz_store *s, const char *table, const char *col, const char *decl)
{
    tz_buf q = TZ_BUF_INIT;
    tz_stmt *st = NULL;
    int rc = -1;
    /* probe inside a savepoint: a failed statement aborts a PostgreSQL transaction */
    tz_buf_printf(&q, "SELECT %s FROM %s WHERE 1 = 0", col, table);
    if (tz_store_exec(s, "SAVEPOINT tz_probe"))
        goto done;
    int missing = tz_store_prepare(s, tz_buf_str(&q), &st) != 0;
    if (!missing && tz_stmt_step(st) < 0)
        missing = 1;
    tz_stmt_free(st);
    tz_store_exec(s, missing ? "ROLLBACK TO SAVEPOINT tz_probe" : "RELEASE SAVEPOINT tz_probe");
    if (missing)
        tz_store_exec(s, "RELEASE SAVEPOINT tz_probe");
    rc = 0;
    if (missing) {
        tz_buf_reset(&q);
        tz_buf_printf(&q, "ALTER TABLE %s ADD COLUMN %s %s", table, col, decl);
        rc = tz_store_exec(s, tz_buf_str(&q)) ? -1 : 0;
    }
done:
    tz_buf_free(&q);
    return rc;
}

/* Adds columns that the definitions have and an older database lacks: the
 * ledger's own, its row version, and the audit log's origin columns. */
static int _sync_columns(tz_store *s, const tz_ledger *l, tz_diags *d)
{
    for (size_t i = 0; i < l->ncols; i++)
        if (_ensure_column(s, l->id, l->cols[i].sql, tzs_sqltype(s->backend, l->cols[i].type))) {
            tz_diags_error(d, NULL, 0, l->name, l->cols[i].name, "数据库升级失败: %s", s->errmsg);
            return -1;
        }
    if (_ensure_column(s, l->id, "tz_version",
                       s->backend == TZ_BACKEND_PG ? "BIGINT NOT NULL DEFAULT 1"
                                                   : "INTEGER NOT NULL DEFAULT 1")) {
        tz_diags_error(d, NULL, 0, l->name, NULL, "数据库升级失败(行版本): %s", s->errmsg);
        return -1;
    }
    const char *big = s->backend == TZ_BACKEND_PG ? "BIGINT" : "INTEGER";
    if (_ensure_column(s, l->id, "tz_import", big) || _ensure_column(s, l->id, "tz_line", big)) {
        tz_diags_error(d, NULL, 0, l->name, NULL, "数据库升级失败(导入记录): %s", s->errmsg);
        return -1;
    }
    return 0;
}

/* The audit history (留痕) of every row, as one view: the entries of
 * audit_log, and for each row an import added, the 新增 entry its import
 * record stands for (file and row, the 导入 entry's time, account and
 * origin, and its id, so that the entries of a row sort by id as they
 * happened), also after the row is deleted (tz_import_gone). A ledger
 * whose key has no SQL text (tzs_key_sql) keeps an audit entry per row
 * and has no branch here. */
static int _history_view(tz_store *s)
{
    tz_buf q = TZ_BUF_INIT, key = TZ_BUF_INIT;
    tz_buf_puts(&q, "DROP VIEW IF EXISTS tz_audit_history;\n"
                    "CREATE VIEW tz_audit_history AS SELECT id, ts, actor, action, ledger, "
                    "row_key, detail, addr, request FROM audit_log");
    size_t n;
    const tz_ledger *all = tz_ledger_all(&n);
    for (size_t i = 0; i < n; i++) {
        tz_buf_reset(&key);
        if (tzs_key_sql(&all[i], "r", &key))
            continue;
        tz_buf_printf(
            &q,
            "\nUNION ALL SELECT a.id, a.ts, a.actor, '新增', '%s', %s, i.label || ' 第' || "
            "r.tz_line || '行', a.addr, a.request FROM %s r JOIN tz_imports i ON i.id = "
            "r.tz_import JOIN audit_log a ON a.id = i.audit_id",
            all[i].id, tz_buf_str(&key), all[i].id);
    }
    tz_buf_puts(&q, "\nUNION ALL SELECT a.id, a.ts, a.actor, '新增', g.ledger, g.row_key, i.label "
                    "|| ' 第' || g.line || '行', a.addr, a.request FROM tz_import_gone g JOIN "
                    "tz_imports i ON i.id = g.import_id JOIN audit_log a ON a.id = i.audit_id");
    int rc = q.data && key.data ? tz_store_exec(s, tz_buf_str(&q)) : -1;
    tz_buf_free(&q);
    tz_buf_free(&key);
    return rc ? -1 : 0;
}

/* The data version (tz_meta 'data_version'): a counter that every change to
 * a ledger table bumps, whoever writes it (this program, an older build, the
 * sqlite3 or psql shell), through triggers kept in the database. Derived
 * data (metrics/ summaries) records the version it was built from and is
 * rebuilt when the two differ. SQLite has row triggers only; PostgreSQL gets
 * one statement trigger per table and event. */
static const char *const _dv_events[] = {"INSERT", "UPDATE", "DELETE"};

/* SQLite: the trigger of table id that bumps the data version on event e
 * (an index into _dv_events). The households and 户户通 triggers also
 * record the villages the row touched (touched.c), so that the summaries
 * follow a change whoever made it. Dropped first: an upgrade replaces the
 * body of an older build's trigger. */
static void _dv_trigger_sql(const char *id, size_t e, tz_buf *sql)
{
    char c = (char)(_dv_events[e][0] + ('a' - 'A'));
    tz_buf_printf(sql,
                  "DROP TRIGGER IF EXISTS tz_dv_%s_%c; CREATE TRIGGER tz_dv_%s_%c AFTER %s ON %s "
                  "BEGIN UPDATE tz_meta SET value = CAST(COALESCE(value, '0') AS INTEGER) + "
                  "1 WHERE key = 'data_version';",
                  id, c, id, c, _dv_events[e], id);
    tzs_touch_trigger_sql(id, _dv_events[e], sql);
    tz_buf_puts(sql, " END;\n");
    /* and what a REPLACE removes without any trigger (touched.c) */
    tz_buf_printf(sql, "DROP TRIGGER IF EXISTS tz_dv_%s_%cb;", id, c);
    tz_buf body = TZ_BUF_INIT;
    if (tzs_touch_before_sql(id, _dv_events[e], &body))
        tz_buf_printf(sql, " CREATE TRIGGER tz_dv_%s_%cb BEFORE %s ON %s BEGIN%s END;\n", id, c,
                      _dv_events[e], id, tz_buf_str(&body));
    tz_buf_free(&body);
}

static int _data_version_triggers(tz_store *s)
{
    tz_buf sql = TZ_BUF_INIT;
    size_t n;
    const tz_ledger *all = tz_ledger_all(&n);
    int rc;
    tz_buf_puts(&sql, "INSERT INTO tz_meta (key, value) VALUES ('data_version', '0') "
                      "ON CONFLICT (key) DO NOTHING;\n" TZ_TOUCHED_DDL ";\n");
    if (s->backend == TZ_BACKEND_PG) {
        /* an import pauses it for its own transaction (SET LOCAL, tzs_dv_pause)
         * and bumps once: an UPDATE of tz_meta per statement left a dead row
         * version per row in one transaction, each UPDATE slower than the last */
        tz_buf_puts(&sql, "CREATE OR REPLACE FUNCTION tz_bump_data_version() RETURNS trigger "
                          "LANGUAGE plpgsql AS $f$ BEGIN IF current_setting('taizhang.dv_paused', "
                          "true) = 'on' THEN RETURN NULL; END IF; UPDATE tz_meta SET value = "
                          "(COALESCE(value, '0')::bigint + 1)::text WHERE key = 'data_version'; "
                          "RETURN NULL; END $f$;\n"
                          "DO $tz$ BEGIN\n");
        tz_buf touch = TZ_BUF_INIT;
        for (size_t i = 0; i < n; i++)
            if (!tzs_touch_pg_sql(&all[i], &touch))
                tz_buf_printf(&sql,
                              "IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'tz_dv_%s' "
                              "AND tgrelid = '%s'::regclass) THEN CREATE TRIGGER tz_dv_%s AFTER "
                              "INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s FOR EACH STATEMENT "
                              "EXECUTE FUNCTION tz_bump_data_version(); END IF;\n",
                              all[i].id, all[i].id, all[i].id, all[i].id);
        tz_buf_puts(&sql, "END $tz$;\n");
        /* households and 户户通 record their villages too (touched.c) */
        tz_buf_puts(&sql, tz_buf_str(&touch));
        tz_buf_free(&touch);
    } else {
        for (size_t i = 0; i < n; i++)
            for (size_t e = 0; e < 3; e++)
                _dv_trigger_sql(all[i].id, e, &sql);
    }
    rc = tz_store_exec(s, tz_buf_str(&sql));
    tz_buf_free(&sql);
    return rc;
}

/* An import writes by INSERT and UPDATE only: those two triggers of l are
 * paused (each made every row a multi-write statement with its own
 * statement journal). */
int tzs_dv_pause(tz_store *s, const tz_ledger *l)
{
    if (s->backend != TZ_BACKEND_SQLITE)
        return tz_store_exec(s, "SET LOCAL taizhang.dv_paused = 'on'");
    tz_buf sql = TZ_BUF_INIT;
    for (size_t e = 0; e < 2; e++)
        tz_buf_printf(&sql,
                      "DROP TRIGGER IF EXISTS tz_dv_%s_%c; DROP TRIGGER IF EXISTS tz_dv_%s_%cb;\n",
                      l->id, _dv_events[e][0] + ('a' - 'A'), l->id, _dv_events[e][0] + ('a' - 'A'));
    int rc = sql.data ? tz_store_exec(s, tz_buf_str(&sql)) : -1;
    tz_buf_free(&sql);
    return rc;
}

int tzs_dv_resume(tz_store *s, const tz_ledger *l, int changed)
{
    if (s->backend != TZ_BACKEND_SQLITE)
        return tz_store_exec(s, changed ? "SET LOCAL taizhang.dv_paused = 'off'; UPDATE tz_meta "
                                          "SET value = (COALESCE(value, '0')::bigint + 1)::text "
                                          "WHERE key = 'data_version'"
                                        : "SET LOCAL taizhang.dv_paused = 'off'");
    tz_buf sql = TZ_BUF_INIT;
    if (changed)
        tz_buf_puts(&sql, "UPDATE tz_meta SET value = CAST(COALESCE(value, '0') AS INTEGER) + 1 "
                          "WHERE key = 'data_version';\n");
    for (size_t e = 0; e < 2; e++)
        _dv_trigger_sql(l->id, e, &sql);
    int rc = sql.data ? tz_store_exec(s, tz_buf_str(&sql)) : -1;
    tz_buf_free(&sql);
    return rc;
}

int tz_store_version(tz_store *s)
{
    long long v = 0;
    if (tz_store_scalar_int(s, "SELECT value FROM tz_meta WHERE key = 'schema_version'", NULL, &v))
        return 0;
    return (int)v;
}

/* Versioned migrations: index k upgrades version k to k+1. Additive column
 * changes need no entry (_sync_columns adds them); renames, type changes and
 * data moves go here. */
static const char *const _migrations[] = {
    NULL, /* 0 -> 1: initial schema, created from the ledger definitions */
    NULL, /* 1 -> 2: accounts, sessions, 上报审核, deadlines, row versions and the audit
             log's origin: all additive (_create_tables, _sync_columns) */
};

/* Bump when the trigger or index SQL above changes without a ledger change,
 * so that existing databases get the new objects on their next open. */
#define TZ_SCHEMA_OBJECTS 8

/* The advisory lock key that serialises schema upgrades on PostgreSQL. */
#define TZ_PG_SCHEMA_LOCK "736172360"

/* A fingerprint of everything the schema is made from: ledgers, columns,
 * types and the version of the derived objects. An open whose database
 * carries the same fingerprint and version writes nothing. */
static void _fingerprint(char out[17])
{
    unsigned long long h = 1469598103934665603ULL; /* FNV-1a */
    size_t n;
    const tz_ledger *all = tz_ledger_all(&n);
    char buf[64];
    snprintf(buf, sizeof buf, "v%d/o%d", TZ_SCHEMA_VERSION, TZ_SCHEMA_OBJECTS);
    for (const char *p = buf; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    for (size_t i = 0; i < n; i++) {
        for (const char *p = all[i].id; *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211ULL;
        for (size_t c = 0; c < all[i].ncols; c++) {
            for (const char *p = all[i].cols[c].sql; *p; p++)
                h = (h ^ (unsigned char)*p) * 1099511628211ULL;
            h = (h ^ (unsigned)all[i].cols[c].type) * 1099511628211ULL;
            h = (h ^ (unsigned)(all[i].cols[c].flags & (TZ_F_KEY | TZ_F_UNIQUE | TZ_F_INDEXED))) *
                1099511628211ULL;
            for (const char *p = all[i].cols[c].index_with; p && *p; p++)
                h = (h ^ (unsigned char)*p) * 1099511628211ULL;
        }
    }
    snprintf(out, 17, "%016llx", h);
}

/* Reads tz_meta without writing. Returns 1 when it exists (version and
 * fingerprint filled, "" when absent), 0 when there is no tz_meta table, -1
 * when its schema_version is not a whole number (a version we cannot read is
 * never taken for 0 and the database "migrated" over it). */
static int _probe_meta(tz_store *s, int *version, char fp[17])
{
    tz_stmt *st = NULL;
    int bad_version = 0;
    *version = 0;
    fp[0] = '\0';
    if (tz_store_prepare(s,
                         "SELECT key, value FROM tz_meta WHERE key IN ('schema_version', "
                         "'schema_fingerprint')",
                         &st))
        return 0;
    int r;
    while ((r = tz_stmt_step(st)) == 1) {
        const char *k = tz_stmt_text(st, 0), *v = tz_stmt_text(st, 1);
        long long n = 0;
        if (k && v && !strcmp(k, "schema_version")) {
            if (tz_num_int(v, 0, INT_MAX, &n) == 0)
                *version = (int)n;
            else
                bad_version = 1;
        } else if (k && v) {
            snprintf(fp, 17, "%s", v);
        }
    }
    tz_stmt_free(st);
    if (r < 0)
        return 0;
    return bad_version ? -1 : 1;
}

/* Whether s must be written to reach this build's schema (want_fp is its
 * fingerprint): 1 yes, 0 no (up to date: an ordinary open writes nothing),
 * -1 when it must not be touched, with the reason in d. */
static int _needs_migration(tz_store *s, unsigned flags, const char *want_fp, tz_diags *d)
{
    int have_version;
    char have_fp[17];
    int probed = _probe_meta(s, &have_version, have_fp);
    if (probed < 0) {
        tz_diags_error(d, NULL, 0, NULL, NULL,
                       "数据库的结构版本(tz_meta 表的 schema_version)不是整数,已被改动或损坏;"
                       "未做任何改动,请从备份恢复");
        return -1;
    }
    if (!probed) {
        if (!(flags & TZ_OPEN_CREATE)) {
            tz_diags_error(d, NULL, 0, NULL, NULL,
                           "不是台账数据库(没有台账系统的结构信息),未做任何改动;"
                           "新建数据库请用 taizhang init");
            return -1;
        }
    } else if (have_version == TZ_SCHEMA_VERSION && !strcmp(have_fp, want_fp)) {
        return 0;
    } else if (have_version > TZ_SCHEMA_VERSION) {
        tz_diags_error(d, NULL, 0, NULL, NULL,
                       "数据库由更新版本的台账系统创建(结构版本%d,本程序支持%d),请升级程序",
                       have_version, TZ_SCHEMA_VERSION);
        return -1;
    }
    if (s->read_only) {
        tz_diags_error(d, NULL, 0, NULL, NULL,
                       "数据库需要升级到本程序的结构,但文件只读;请用有写权限的账户打开一次");
        return -1;
    }
    return 1;
}

/* Creates the tables and indexes that are missing: on every migration, so a
 * ledger added by a newer build appears in an older database. sql is the
 * caller's scratch buffer. Returns 0 or -1 (s->errmsg says why). */
static int _create_tables(tz_store *s, tz_buf *sql)
{
    const char *serial =
        s->backend == TZ_BACKEND_PG ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT";
    const char *big = s->backend == TZ_BACKEND_PG ? "BIGINT" : "INTEGER";
    tz_buf_printf(sql,
                  "CREATE TABLE IF NOT EXISTS audit_log (id %s, ts TEXT NOT NULL, actor TEXT, "
                  "action TEXT NOT NULL, ledger TEXT, row_key TEXT, detail TEXT, addr TEXT, "
                  "request TEXT);\n",
                  serial);
    /* accounts (web/account.c): a role and a place in the tree; scope_kind
     * 'region' (scope a region code) or 'unit' (scope a 责任单位 name) */
    tz_buf_puts(sql, "CREATE TABLE IF NOT EXISTS tz_users (name TEXT PRIMARY KEY, "
                     "pw_hash TEXT NOT NULL, role TEXT NOT NULL, scope_kind TEXT NOT NULL, "
                     "scope TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0, "
                     "created TEXT NOT NULL, created_by TEXT);\n");
    /* sessions (web/session.c): id is the SHA-256 of the cookie's token, so
     * the database never holds a usable token; times in Unix seconds */
    tz_buf_printf(sql,
                  "CREATE TABLE IF NOT EXISTS tz_sessions (id TEXT PRIMARY KEY, "
                  "username TEXT NOT NULL, csrf TEXT NOT NULL, addr TEXT, created %s NOT NULL, "
                  "expires %s NOT NULL);\n"
                  "CREATE INDEX IF NOT EXISTS tz_sessions_user_ix ON tz_sessions (username);\n"
                  "CREATE TABLE IF NOT EXISTS tz_login_failures (id %s, username TEXT, addr TEXT, "
                  "ts %s NOT NULL);\n"
                  "CREATE INDEX IF NOT EXISTS tz_login_failures_user_ix ON tz_login_failures "
                  "(username, ts);\n"
                  "CREATE INDEX IF NOT EXISTS tz_login_failures_addr_ix ON tz_login_failures "
                  "(addr, ts);\n",
                  big, big, serial, big);
    /* 上报审核 (web/workflow.c, store/lock.c): one row per scope and period;
     * status submitted / returned / approved / reopened; an approved row
     * locks the ledger rows dated in [period_start, period_end] whose
     * region code starts with the scope's first `digits` digits (region
     * scope) or whose unit is the scope (unit scope) */
    tz_buf_printf(sql,
                  "CREATE TABLE IF NOT EXISTS tz_submissions (id %s, scope_kind TEXT NOT NULL, "
                  "scope TEXT NOT NULL, digits INTEGER NOT NULL, period TEXT NOT NULL, "
                  "period_start TEXT NOT NULL, period_end TEXT NOT NULL, status TEXT NOT NULL, "
                  "submitted_by TEXT, submitted_at TEXT, reviewed_by TEXT, reviewed_at TEXT, "
                  "reason TEXT, UNIQUE (scope_kind, scope, period));\n"
                  "CREATE INDEX IF NOT EXISTS tz_submissions_lock_ix ON tz_submissions "
                  "(status, period_start, period_end);\n",
                  serial);
    /* deadlines as data: the day of the month after a period by which a
     * scope of that level (省/市/县/乡/村, or 单位) submits it */
    tz_buf_puts(sql, "CREATE TABLE IF NOT EXISTS tz_deadlines (level TEXT PRIMARY KEY, "
                     "day INTEGER NOT NULL);\n"
                     "INSERT INTO tz_deadlines (level, day) VALUES ('市', 5), ('县', 5), "
                     "('乡', 5), ('村', 5), ('单位', 5) ON CONFLICT (level) DO NOTHING;\n");
    /* imports (ingest.c): one record per file (per sheet label of a
     * workbook) stands for the 新增 audit entries of the rows it added;
     * audit_id is its 导入 entry; tz_import_gone keeps what a deleted row's
     * record said (_history_view) */
    tz_buf_printf(
        sql,
        "CREATE TABLE IF NOT EXISTS tz_imports (id %s, audit_id %s, ledger TEXT NOT NULL, "
        "label TEXT NOT NULL, file TEXT, size %s, sha256 TEXT, added %s);\n"
        "CREATE TABLE IF NOT EXISTS tz_import_gone (import_id %s NOT NULL, line %s NOT "
        "NULL, ledger TEXT NOT NULL, row_key TEXT NOT NULL);\n"
        "CREATE INDEX IF NOT EXISTS tz_import_gone_row_ix ON tz_import_gone (ledger, "
        "row_key);\n",
        serial, big, big, big, big, big);
    size_t n;
    const tz_ledger *all = tz_ledger_all(&n);
    for (size_t i = 0; i < n; i++)
        _create_ledger(s, &all[i], sql);
    if (tz_store_exec(s, tz_buf_str(sql)))
        return -1;
    if (_ensure_column(s, "audit_log", "addr", "TEXT") ||
        _ensure_column(s, "audit_log", "request", "TEXT"))
        return -1;
    return 0;
}

/* Sets tz_meta's key to value. Returns 0 or -1 (s->errmsg says why). */
static int _set_meta(tz_store *s, const char *key, const char *value)
{
    tz_stmt *st = NULL;
    if (tz_store_prepare(s,
                         "INSERT INTO tz_meta (key, value) VALUES (?, ?) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                         &st))
        return -1;
    tz_stmt_bind_text(st, 1, key);
    tz_stmt_bind_text(st, 2, value);
    int r = tz_stmt_step(st);
    tz_stmt_free(st);
    return r < 0 ? -1 : 0;
}

int tz_schema_migrate(tz_store *s, unsigned flags, tz_diags *d)
{
    int rc = -1;
    tz_buf sql = TZ_BUF_INIT;
    char want_fp[17];
    _fingerprint(want_fp);
    int need = _needs_migration(s, flags, want_fp, d);
    if (need <= 0)
        return need;
    if (tz_store_begin(s)) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "数据库无法写入: %s", s->errmsg);
        return -1;
    }
    /* PostgreSQL: one upgrade at a time (several serve processes started
     * together would otherwise race on the same DDL); the next one finds
     * every object in place, each statement being IF NOT EXISTS or OR REPLACE */
    if (s->backend == TZ_BACKEND_PG &&
        tz_store_exec(s, "SELECT pg_advisory_xact_lock(" TZ_PG_SCHEMA_LOCK ")"))
        goto fail;
    if (tz_store_exec(s, "CREATE TABLE IF NOT EXISTS tz_meta (key TEXT PRIMARY KEY, value TEXT)"))
        goto fail;
    int version = tz_store_version(s);
    if (version > TZ_SCHEMA_VERSION) {
        tz_diags_error(d, NULL, 0, NULL, NULL,
                       "数据库由更新版本的台账系统创建(结构版本%d,本程序支持%d),请升级程序",
                       version, TZ_SCHEMA_VERSION);
        goto fail_quiet;
    }
    if (_create_tables(s, &sql))
        goto fail;
    if (version == 0)
        version = 1;
    for (; version < TZ_SCHEMA_VERSION; version++)
        if (_migrations[version] && tz_store_exec(s, _migrations[version]))
            goto fail;
    size_t n;
    const tz_ledger *all = tz_ledger_all(&n);
    for (size_t i = 0; i < n; i++)
        if (_sync_columns(s, &all[i], d))
            goto fail_quiet;
    if (_data_version_triggers(s) || _history_view(s))
        goto fail;
    if (_ensure_audit_key(s))
        goto fail;
    char v[16];
    snprintf(v, sizeof v, "%d", TZ_SCHEMA_VERSION);
    if (_set_meta(s, "schema_version", v) || _set_meta(s, "schema_fingerprint", want_fp))
        goto fail;
    if (tz_store_commit(s))
        goto fail;
    rc = 0;
    goto done;
fail:
    tz_diags_error(d, NULL, 0, NULL, NULL, "数据库结构创建或升级失败: %s", s->errmsg);
fail_quiet:
    tz_store_rollback(s);
done:
    tz_buf_free(&sql);
    return rc;
}
