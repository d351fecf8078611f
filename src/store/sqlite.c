/* sqlite.c - the SQLite backend (the embedded default: a database is a file). */
#include "store/backend.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct sq_stmt {
    tz_stmt base;        /* common part; must be first */
    sqlite3_stmt *pStmt; /* compiled statement */
    int done;            /* 1 after SQLITE_DONE until reset */
} sq_stmt;

/* Chinese wording of the SQLite result codes a user can meet; NULL for the
 * ones that only a programming error produces. */
static const char *_cn_reason(int code)
{
    switch (code & 0xff) {
    case SQLITE_CANTOPEN: return "无法打开数据库文件";
    case SQLITE_NOTADB: return "不是数据库文件";
    case SQLITE_READONLY: return "数据库文件只读,无法写入";
    case SQLITE_FULL: return "磁盘已满";
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return "数据库正被其他程序使用,请稍后再试";
    case SQLITE_CORRUPT: return "数据库文件已损坏";
    case SQLITE_IOERR: return "读写数据库文件出错";
    case SQLITE_PERM:
    case SQLITE_AUTH: return "没有访问数据库文件的权限";
    case SQLITE_NOMEM: return "内存不足";
    default: return NULL;
    }
}

/* Records the last error: the Chinese reason, with SQLite's own text after
 * it for whoever has to dig further. */
static void _record(tz_store *s, int code, const char *detail)
{
    const char *cn = _cn_reason(code);
    if (cn)
        snprintf(s->errmsg, sizeof s->errmsg, "%s(%s)", cn, detail ? detail : "");
    else
        snprintf(s->errmsg, sizeof s->errmsg, "SQLite错误: %s", detail ? detail : "");
}

static void _seterr(tz_store *s)
{
    sqlite3 *db = (sqlite3 *)s->impl;
    _record(s, sqlite3_extended_errcode(db), sqlite3_errmsg(db));
}

static int _exec(tz_store *s, const char *sql)
{
    char *zErr = NULL;
    int rc = sqlite3_exec((sqlite3 *)s->impl, sql, NULL, NULL, &zErr);
    if (rc != SQLITE_OK) {
        _record(s, rc, zErr ? zErr : sqlite3_errstr(rc));
        sqlite3_free(zErr);
        return -1;
    }
    return 0;
}

static int _bind_text(tz_stmt *st, int i, const char *v)
{
    sq_stmt *q = (sq_stmt *)st;
    return sqlite3_bind_text(q->pStmt, i, v, -1, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : -1;
}
static int _bind_int(tz_stmt *st, int i, long long v)
{
    return sqlite3_bind_int64(((sq_stmt *)st)->pStmt, i, v) == SQLITE_OK ? 0 : -1;
}
static int _bind_double(tz_stmt *st, int i, double v)
{
    return sqlite3_bind_double(((sq_stmt *)st)->pStmt, i, v) == SQLITE_OK ? 0 : -1;
}
static int _bind_null(tz_stmt *st, int i)
{
    return sqlite3_bind_null(((sq_stmt *)st)->pStmt, i) == SQLITE_OK ? 0 : -1;
}
static int _step(tz_stmt *st)
{
    sq_stmt *q = (sq_stmt *)st;
    if (q->done)
        return 0;
    int rc = sqlite3_step(q->pStmt);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE) {
        q->done = 1;
        return 0;
    }
    _seterr(st->store);
    return -1;
}
static int _ncols(tz_stmt *st)
{
    return sqlite3_column_count(((sq_stmt *)st)->pStmt);
}
static int _is_null(tz_stmt *st, int col)
{
    return sqlite3_column_type(((sq_stmt *)st)->pStmt, col) == SQLITE_NULL;
}
static const char *_text(tz_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(((sq_stmt *)st)->pStmt, col);
}
static int _reset(tz_stmt *st)
{
    sq_stmt *q = (sq_stmt *)st;
    q->done = 0;
    return sqlite3_reset(q->pStmt) == SQLITE_OK ? 0 : -1;
}
static void _free(tz_stmt *st)
{
    sq_stmt *q = (sq_stmt *)st;
    sqlite3_finalize(q->pStmt);
    free(q);
}

static const tz_stmt_ops _stmt_ops = {_bind_text, _bind_int, _bind_double, _bind_null, _step,
                                      _ncols,     _is_null,  _text,        _reset,     _free};

static int _prepare(tz_store *s, const char *sql, tz_stmt **out)
{
    sq_stmt *q = calloc(1, sizeof *q);
    if (!q)
        return -1;
    if (sqlite3_prepare_v2((sqlite3 *)s->impl, sql, -1, &q->pStmt, NULL) != SQLITE_OK) {
        _seterr(s);
        free(q);
        return -1;
    }
    q->base.ops = &_stmt_ops;
    q->base.store = s;
    *out = &q->base;
    return 0;
}

static void _close(tz_store *s)
{
    sqlite3_close_v2((sqlite3 *)s->impl);
}

static const tz_store_ops _ops = {"SQLite", _exec, _prepare, _close};

int tz_sqlite_open(const char *path, unsigned flags, tz_store **out, tz_diags *d)
{
    struct stat sb;
    int exists = stat(path, &sb) == 0;
    if (!exists && !(flags & TZ_OPEN_CREATE)) {
        tz_diags_error(d, path, 0, NULL, NULL,
                       "数据库文件不存在,请先运行 taizhang init %s 创建", path);
        return -1;
    }
    if (exists && (flags & TZ_OPEN_MUST_NOT_EXIST) && sb.st_size > 0) {
        tz_diags_error(d, path, 0, NULL, NULL, "数据库文件已存在,未做任何改动");
        return -1;
    }
    sqlite3 *db = NULL;
    /* a file we may not write is opened read-only: reading still works */
    int writable = !exists || access(path, W_OK) == 0;
    int oflags = writable ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
    int rc = sqlite3_open_v2(path, &db, oflags, NULL);
    if (rc != SQLITE_OK) {
        const char *cn = _cn_reason(rc);
        tz_diags_error(d, path, 0, NULL, NULL, "无法打开数据库: %s",
                       cn ? cn : (db ? sqlite3_errmsg(db) : "内存不足"));
        sqlite3_close_v2(db);
        return -1;
    }
    sqlite3_busy_timeout(db, 5000);
    tz_store *s = calloc(1, sizeof *s);
    if (!s) {
        sqlite3_close_v2(db);
        return -1;
    }
    s->ops = &_ops;
    s->backend = TZ_BACKEND_SQLITE;
    s->impl = db;
    s->read_only = !writable;
    /* connection settings only: nothing here writes to the file */
    if (_exec(s, "PRAGMA foreign_keys=OFF; PRAGMA synchronous=NORMAL; "
                 "PRAGMA cache_size=-16384;") ||
        _exec(s, "SELECT count(*) FROM sqlite_master")) {
        tz_diags_error(d, path, 0, NULL, NULL, "不是有效的数据库文件: %s", s->errmsg);
        tz_store_close(s);
        return -1;
    }
    /* WAL (readers never wait for a writer) is a property of the file, set
     * once when the database is created */
    if ((flags & TZ_OPEN_CREATE) && (!exists || sb.st_size == 0) &&
        _exec(s, "PRAGMA journal_mode=WAL")) {
        tz_diags_error(d, path, 0, NULL, NULL, "无法创建数据库: %s", s->errmsg);
        tz_store_close(s);
        return -1;
    }
    *out = s;
    return 0;
}
