/* pg.c - the PostgreSQL backend via libpq. '?' placeholders become $n. */
#include "store/backend.h"
#include "store/pq.h"
#include "util/buf.h"
#include "util/num.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PG_MAX_PARAMS 1024

typedef struct pg_stmt {
    tz_stmt base;                /* common part; must be first */
    char name[32];               /* server-side prepared statement name */
    char *sql;                   /* the text it was prepared from ('?' placeholders) */
    int nparams;                 /* number of $n parameters */
    char *params[PG_MAX_PARAMS]; /* bound values as text (NULL = SQL NULL) */
    PGresult *res;               /* result of the last execution, or NULL */
    int row;                     /* current row index in res, -1 before the first */
    int executed;                /* 1 once run since the last reset */
} pg_stmt;

static _Atomic unsigned long _stmt_counter; /* statement names; serve prepares on many threads */

/* Statements freed and kept prepared on the server, newest last: a
 * prepare of the same text takes one back without a round trip, and a
 * free costs none (a county check prepared, ran and deallocated 87
 * statements: three round trips each). The oldest goes (DEALLOCATE) when
 * the list is full. As sqlite.c keeps its own. */
#define PG_KEEP 64

typedef struct pg_kept {
    char name[32];
    char *sql;
    int nparams;
} pg_kept;

/* What pg.c keeps of a connection besides its PGconn (s->state, made at
 * open before anything runs and freed by _close: never NULL in between):
 * the statements kept prepared, and whether a COPY is running. */
typedef struct pg_conn {
    pg_kept v[PG_KEEP];
    int n;
    int copy_pending; /* a COPY sent whose result is not read yet (_drain reads it) */
} pg_conn;

/* The kind of a failed result, from its SQLSTATE. */
static tz_store_err _kind(const PGresult *r, const PGconn *c)
{
    const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    if (!st)
        return PQstatus(c) == CONNECTION_BAD ? TZ_STORE_ERR_TIMEOUT : TZ_STORE_ERR_OTHER;
    if (!strncmp(st, "53", 2)) /* insufficient resources: disk full, out of memory */
        return TZ_STORE_ERR_FULL;
    if (!strcmp(st, "57014")) /* query_canceled: statement_timeout */
        return TZ_STORE_ERR_TIMEOUT;
    if (!strcmp(st, "55P03") || !strcmp(st, "40P01") || !strcmp(st, "40001"))
        return TZ_STORE_ERR_BUSY; /* lock_not_available, deadlock, serialization */
    if (!strcmp(st, "25006") || !strcmp(st, "42501"))
        return TZ_STORE_ERR_READONLY; /* read-only transaction, no privilege */
    return TZ_STORE_ERR_OTHER;
}

static void _seterr(tz_store *s, const char *msg)
{
    snprintf(s->errmsg, sizeof s->errmsg, "%s", msg ? msg : "PostgreSQL error");
    size_t n = strlen(s->errmsg);
    while (n && (s->errmsg[n - 1] == '\n' || s->errmsg[n - 1] == ' '))
        s->errmsg[--n] = '\0';
}

/* Records the error of result r (NULL: the connection's) as s's. */
static void _fail(tz_store *s, PGresult *r)
{
    _seterr(s, r ? PQresultErrorMessage(r) : PQerrorMessage((PGconn *)s->impl));
    s->errkind = _kind(r, (PGconn *)s->impl);
}

/* Reads the result of a COPY _copy_in left running, if any: the server
 * loads one batch while the import checks the next. Returns 0, or -1 with
 * the COPY's error as s's (then nothing else is sent). */
static int _drain(tz_store *s)
{
    pg_conn *pc = s->state;
    if (!pc->copy_pending)
        return 0;
    pc->copy_pending = 0;
    int rc = 0;
    PGresult *r;
    while ((r = PQgetResult((PGconn *)s->impl))) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == 0) {
            _fail(s, r);
            rc = -1;
        }
        PQclear(r);
    }
    return rc;
}

static int _exec(tz_store *s, const char *sql)
{
    if (_drain(s))
        return -1;
    PGresult *r = PQexec((PGconn *)s->impl, sql);
    ExecStatusType st = PQresultStatus(r);
    int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (!ok)
        _fail(s, r);
    PQclear(r);
    return ok ? 0 : -1;
}

/* Rewrites '?' placeholders outside quotes into $1..$n. */
static char *_rewrite(const char *sql, int *nparams)
{
    tz_buf b = TZ_BUF_INIT;
    int n = 0;
    char quote = 0;
    for (const char *p = sql; *p; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
            tz_buf_putc(&b, *p);
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
            tz_buf_putc(&b, *p);
        } else if (*p == '?') {
            tz_buf_printf(&b, "$%d", ++n);
        } else {
            tz_buf_putc(&b, *p);
        }
    }
    *nparams = n;
    return tz_buf_take(&b);
}

static int _set(tz_stmt *st, int i, char *v)
{
    pg_stmt *q = (pg_stmt *)st;
    if (i < 1 || i > q->nparams) {
        free(v);
        return -1;
    }
    free(q->params[i - 1]);
    q->params[i - 1] = v;
    return 0;
}

static int _bind_text(tz_stmt *st, int i, const char *v)
{
    char *c = strdup(v);
    return c ? _set(st, i, c) : -1;
}
static int _bind_int(tz_stmt *st, int i, long long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", v);
    return _bind_text(st, i, buf);
}
static int _bind_double(tz_stmt *st, int i, double v)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.17g", v);
    return _bind_text(st, i, buf);
}
static int _bind_null(tz_stmt *st, int i)
{
    return _set(st, i, NULL);
}

static int _step(tz_stmt *st)
{
    pg_stmt *q = (pg_stmt *)st;
    if (!q->executed) {
        PQclear(q->res);
        q->res = NULL;
        if (_drain(st->store))
            return -1;
        q->res = PQexecPrepared((PGconn *)st->store->impl, q->name, q->nparams,
                                (const char *const *)q->params, NULL, NULL, 0);
        q->executed = 1;
        q->row = -1;
        ExecStatusType s = PQresultStatus(q->res);
        if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
            _fail(st->store, q->res);
            PQclear(q->res);
            q->res = NULL;
            return -1;
        }
    }
    if (!q->res)
        return 0;
    if (q->row + 1 < PQntuples(q->res)) {
        q->row++;
        return 1;
    }
    return 0;
}
static int _ncols(tz_stmt *st)
{
    pg_stmt *q = (pg_stmt *)st;
    return q->res ? PQnfields(q->res) : 0;
}
static int _is_null(tz_stmt *st, int col)
{
    pg_stmt *q = (pg_stmt *)st;
    return !q->res || q->row < 0 || PQgetisnull(q->res, q->row, col);
}
static const char *_text(tz_stmt *st, int col)
{
    pg_stmt *q = (pg_stmt *)st;
    const char *v = PQgetvalue(q->res, q->row, col);
    /* booleans from expressions come back as t/f; normalise to 1/0 */
    if (PQftype(q->res, col) == 16 /* BOOLOID */)
        return v[0] == 't' ? "1" : "0";
    return v;
}
static tz_sqlkind _value_kind(tz_stmt *st, int col)
{
    pg_stmt *q = (pg_stmt *)st;
    if (_is_null(st, col))
        return TZ_SQL_NULL;
    switch (PQftype(q->res, col)) {
    case 16: /* BOOLOID: as 1/0 */
    case 20: /* INT8OID */
    case 21: /* INT2OID */
    case 23: /* INT4OID */
        return TZ_SQL_INT;
    case 700:  /* FLOAT4OID */
    case 701:  /* FLOAT8OID */
    case 1700: /* NUMERICOID */
        return TZ_SQL_REAL;
    case 17: /* BYTEAOID */
        return TZ_SQL_BLOB;
    default:
        return TZ_SQL_TEXT;
    }
}
/* PostgreSQL 12 and later write a double in its shortest exact form */
static double _real(tz_stmt *st, int col)
{
    return strtod(_text(st, col), NULL);
}
static int _reset(tz_stmt *st)
{
    pg_stmt *q = (pg_stmt *)st;
    PQclear(q->res);
    q->res = NULL;
    q->executed = 0;
    q->row = -1;
    return 0;
}
/* Drops server-side statement name. */
static void _deallocate(tz_store *s, const char *name)
{
    char sql[64];
    snprintf(sql, sizeof sql, "DEALLOCATE %s", name);
    (void)_drain(s); /* a failed COPY's error stays the store's */
    PGresult *r = PQexec((PGconn *)s->impl, sql);
    PQclear(r);
}

static void _free(tz_stmt *st)
{
    pg_stmt *q = (pg_stmt *)st;
    tz_store *s = st->store;
    PQclear(q->res);
    for (int i = 0; i < q->nparams; i++)
        free(q->params[i]);
    pg_conn *c = s->state;
    if (c->n == PG_KEEP) { /* the oldest goes */
        _deallocate(s, c->v[0].name);
        free(c->v[0].sql);
        memmove(&c->v[0], &c->v[1], (PG_KEEP - 1) * sizeof c->v[0]);
        c->n--;
    }
    pg_kept *k = &c->v[c->n++];
    memcpy(k->name, q->name, sizeof k->name);
    k->sql = q->sql;
    k->nparams = q->nparams;
    free(q);
}

static const tz_stmt_ops _stmt_ops = {_bind_text,  _bind_int, _bind_double, _bind_null,
                                      _step,       _ncols,    _is_null,     _text,
                                      _value_kind, _real,     _reset,       _free};

/* Takes the kept statement prepared from sql, if any, into q. */
static int _kept_take(tz_store *s, const char *sql, pg_stmt *q)
{
    pg_conn *c = s->state;
    for (int i = c->n - 1; i >= 0; i--) {
        if (strcmp(c->v[i].sql, sql) != 0)
            continue;
        memcpy(q->name, c->v[i].name, sizeof q->name);
        q->sql = c->v[i].sql;
        q->nparams = c->v[i].nparams;
        memmove(&c->v[i], &c->v[i + 1], (size_t)(c->n - i - 1) * sizeof c->v[0]);
        c->n--;
        return 1;
    }
    return 0;
}

/* Prepares sql on the server as a new statement of q. Returns 0 or -1. */
static int _prepare_new(tz_store *s, const char *sql, pg_stmt *q)
{
    char *rew = _rewrite(sql, &q->nparams);
    if (!rew)
        return -1;
    if (q->nparams > PG_MAX_PARAMS) {
        _seterr(s, "too many parameters");
        free(rew);
        return -1;
    }
    snprintf(q->name, sizeof q->name, "tz_s%lu", (unsigned long)++_stmt_counter);
    if (_drain(s)) {
        free(rew);
        return -1;
    }
    PGresult *r = PQprepare((PGconn *)s->impl, q->name, rew, 0, NULL);
    free(rew);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
        _fail(s, r);
    PQclear(r);
    if (ok && !(q->sql = strdup(sql))) {
        _deallocate(s, q->name);
        ok = 0;
    }
    return ok ? 0 : -1;
}

static int _prepare(tz_store *s, const char *sql, tz_stmt **out)
{
    pg_stmt *q = calloc(1, sizeof *q);
    if (!q)
        return -1;
    q->base.ops = &_stmt_ops;
    q->base.store = s;
    q->row = -1;
    if (!_kept_take(s, sql, q) && _prepare_new(s, sql, q)) {
        free(q);
        return -1;
    }
    *out = &q->base;
    return 0;
}

static void _close(tz_store *s)
{
    (void)_drain(s);
    pg_conn *c = s->state;
    for (int i = 0; i < c->n; i++)
        free(c->v[i].sql); /* their server-side statements end with the session */
    free(c);
    s->state = NULL;
    PQfinish((PGconn *)s->impl);
}

static int _tx_alive(const tz_store *s)
{
    /* INERROR: a statement failed, the server ignores everything until
     * ROLLBACK; ACTIVE under a COPY still running: its result decides at
     * the next statement */
    PGTransactionStatusType t = PQtransactionStatus((PGconn *)s->impl);
    const pg_conn *pc = s->state;
    return t == PQTRANS_INTRANS || (pc->copy_pending && t == PQTRANS_ACTIVE);
}

/* Bytes handed to PQputCopyData at a time. */
#define PG_COPY_CHUNK ((size_t)1 << 20)

/* Sends one COPY and leaves it running: its result is read (_drain) before
 * the next statement, so the server loads these rows while the caller
 * goes on. */
static int _copy_in(tz_store *s, const char *sql, const char *data, size_t len)
{
    PGconn *c = (PGconn *)s->impl;
    if (_drain(s))
        return -1;
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        _fail(s, r);
        PQclear(r);
        return -1;
    }
    PQclear(r);
    int ok = 1;
    for (size_t at = 0; ok && at < len; at += PG_COPY_CHUNK) {
        size_t n = len - at < PG_COPY_CHUNK ? len - at : PG_COPY_CHUNK;
        ok = PQputCopyData(c, data + at, (int)n) == 1;
    }
    /* a failed send ends the COPY with an error, so the server rolls it back */
    if (PQputCopyEnd(c, ok ? NULL : "taizhang: sending the COPY data failed") != 1)
        ok = 0;
    ((pg_conn *)s->state)->copy_pending = 1;
    if (ok)
        return 0;
    _fail(s, NULL);
    (void)_drain(s); /* the server's answer to the failed COPY */
    return -1;
}

static const tz_store_ops _ops = {"PostgreSQL", _exec, _prepare, _close, _tx_alive, _copy_in, NULL};

static void _notice(void *arg, const char *msg)
{
    (void)arg;
    (void)msg; /* NOTICEs (e.g. "relation already exists") are not user errors */
}

/* Connects with a default connect_timeout unless the URL or
 * PGCONNECT_TIMEOUT sets one: keywords are applied in order, so the URL
 * (expanded from dbname, last) overrides the default before it. */
static PGconn *_connect(const char *conninfo)
{
    const char *env = getenv("PGCONNECT_TIMEOUT");
    int dflt = !(env && *env);
    /* TCP keepalives notice a server that vanished while a query waits
     * (a live server that stalls is stopped by statement_timeout) */
    const char *const kw[] = {"connect_timeout",  "keepalives_idle", "keepalives_interval",
                              "keepalives_count", "dbname",          NULL};
    const char *const val[] = {TZ_PG_CONNECT_TIMEOUT, "30", "10", "3", conninfo, NULL};
    return PQconnectdbParams(kw + !dflt, val + !dflt, 1);
}

/* The connect_timeout in force, for the message: from the URL, else the
 * environment, else our default. */
static int _connect_timeout(const char *conninfo)
{
    long long t = 0;
    tz_num_int(TZ_PG_CONNECT_TIMEOUT, 0, INT_MAX, &t);
    /* a value libpq could not read would have failed before the timeout */
    const char *env = getenv("PGCONNECT_TIMEOUT");
    if (env && *env)
        tz_num_int(env, 0, INT_MAX, &t);
    PQconninfoOption *opts = PQconninfoParse(conninfo, NULL);
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (!strcmp(o->keyword, "connect_timeout") && o->val && *o->val)
            tz_num_int(o->val, 0, INT_MAX, &t);
    PQconninfoFree(opts);
    return (int)t;
}

int tz_pg_open(const char *conninfo, unsigned flags, tz_store **out, tz_diags *d)
{
    (void)flags;
    if (tz_pq_load(d))
        return -1;
    PGconn *c = _connect(conninfo);
    if (c && PQstatus(c) != CONNECTION_OK && strstr(PQerrorMessage(c), "timeout expired")) {
        tz_diags_error(d, NULL, 0, NULL, NULL,
                       "连接PostgreSQL数据库超时(%d秒内服务器没有应答),请确认主机和端口是"
                       "PostgreSQL服务且运行正常;等待时间可在连接串中用 connect_timeout=秒数 调整",
                       _connect_timeout(conninfo));
        PQfinish(c);
        return -1;
    }
    if (PQstatus(c) != CONNECTION_OK) {
        char detail[512];
        snprintf(detail, sizeof detail, "%s", PQerrorMessage(c));
        for (char *p = detail; *p; p++)
            if (*p == '\n' || *p == '\t')
                *p = ' ';
        for (size_t n = strlen(detail); n && detail[n - 1] == ' ';)
            detail[--n] = '\0';
        tz_diags_error(d, NULL, 0, NULL, NULL,
                       "无法连接PostgreSQL数据库,请确认数据库服务已启动,连接串中的主机、端口、"
                       "库名、用户名和密码正确(详情: %s)",
                       detail);
        PQfinish(c);
        return -1;
    }
    PQsetNoticeProcessor(c, _notice, NULL);
    tz_store *s = calloc(1, sizeof *s);
    pg_conn *pc = calloc(1, sizeof *pc);
    if (!s || !pc) {
        free(s);
        free(pc);
        PQfinish(c);
        return -1;
    }
    s->ops = &_ops;
    s->backend = TZ_BACKEND_PG;
    s->impl = c;
    s->state = pc;
    if (_exec(s, "SET client_encoding = 'UTF8'")) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "PostgreSQL设置失败: %s", s->errmsg);
        tz_store_close(s);
        return -1;
    }
    /* no statement runs for ever: a default statement_timeout unless the
     * URL (options=-c statement_timeout=...), PGOPTIONS or the role set one */
    PGresult *r = PQexec(c, "SHOW statement_timeout");
    int unset = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
                !strcmp(PQgetvalue(r, 0, 0), "0");
    PQclear(r);
    if (unset && _exec(s, "SET statement_timeout = '" TZ_PG_STATEMENT_TIMEOUT "'")) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "PostgreSQL设置失败: %s", s->errmsg);
        tz_store_close(s);
        return -1;
    }
    if ((flags & TZ_OPEN_MUST_NOT_EXIST)) {
        long long n = 0;
        tz_store_scalar_int(s,
                            "SELECT count(*) FROM information_schema.tables WHERE table_name = "
                            "'tz_meta' AND table_schema = current_schema()",
                            NULL, &n);
        if (n > 0) {
            tz_diags_error(d, NULL, 0, NULL, NULL, "该PostgreSQL库中已有台账数据,未做任何改动");
            tz_store_close(s);
            return -1;
        }
    }
    *out = s;
    return 0;
}
