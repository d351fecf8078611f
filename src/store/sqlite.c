/* sqlite.c - the SQLite backend (the embedded default: a database is a file). */
#include "store/backend.h"
#include "util/buf.h"
#include "util/tmpfile.h"
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
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
    case SQLITE_CANTOPEN:
        return "无法打开数据库文件";
    case SQLITE_NOTADB:
        return "不是数据库文件";
    case SQLITE_READONLY:
        return "数据库文件只读,无法写入";
    case SQLITE_FULL:
        return "磁盘已满";
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return "数据库正被其他程序使用,请稍后再试";
    case SQLITE_CORRUPT:
        return "数据库文件已损坏";
    case SQLITE_IOERR:
        return "读写数据库文件出错";
    case SQLITE_PERM:
    case SQLITE_AUTH:
        return "没有访问数据库文件的权限";
    case SQLITE_NOMEM:
        return "内存不足";
    default:
        return NULL;
    }
}

/* The kind of an error for the jobs above: what the clerk can do about it.
 * An I/O error whose cause was ENOSPC, EDQUOT or EFBIG (ulimit -f) is a full
 * disk too. */
static tz_store_err _kind(int code, int sys_errno)
{
    switch (code & 0xff) {
    case SQLITE_FULL:
        return TZ_STORE_ERR_FULL;
    case SQLITE_IOERR:
        return sys_errno == ENOSPC || sys_errno == EDQUOT || sys_errno == EFBIG
                   ? TZ_STORE_ERR_FULL
                   : TZ_STORE_ERR_OTHER;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return TZ_STORE_ERR_BUSY;
    case SQLITE_READONLY:
    case SQLITE_PERM:
        return TZ_STORE_ERR_READONLY;
    default:
        return TZ_STORE_ERR_OTHER;
    }
}

/* Records the last error: the Chinese reason, with SQLite's own text after
 * it for whoever has to dig further. */
static void _record(tz_store *s, int code, const char *detail)
{
    sqlite3 *db = (sqlite3 *)s->impl;
    s->errkind = _kind(code, db ? sqlite3_system_errno(db) : 0);
    if (s->errkind == TZ_STORE_ERR_FULL)
        code = SQLITE_FULL;
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
        int ext = sqlite3_extended_errcode((sqlite3 *)s->impl);
        _record(s, (ext & 0xff) == rc ? ext : rc, zErr ? zErr : sqlite3_errstr(rc));
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
static tz_sqlkind _value_kind(tz_stmt *st, int col)
{
    switch (sqlite3_column_type(((sq_stmt *)st)->pStmt, col)) {
    case SQLITE_NULL:
        return TZ_SQL_NULL;
    case SQLITE_INTEGER:
        return TZ_SQL_INT;
    case SQLITE_FLOAT:
        return TZ_SQL_REAL;
    case SQLITE_BLOB:
        return TZ_SQL_BLOB;
    default:
        return TZ_SQL_TEXT;
    }
}
static double _real(tz_stmt *st, int col)
{
    return sqlite3_column_double(((sq_stmt *)st)->pStmt, col);
}
static int _reset(tz_stmt *st)
{
    sq_stmt *q = (sq_stmt *)st;
    q->done = 0;
    return sqlite3_reset(q->pStmt) == SQLITE_OK ? 0 : -1;
}
/* Compiled statements kept for reuse on one connection: a report runs
 * ~200 statements of ~70 texts, and compiling them was about a tenth of
 * its time. A freed statement is reset, unbound and kept (the newest
 * SQ_CACHE of them); tz_store_prepare of the same text takes it back. A
 * kept statement holds no lock and no snapshot (reset), and SQLite
 * recompiles it by itself if the schema changed meanwhile. */
#define SQ_CACHE 64

typedef struct sq_cache {
    sqlite3_stmt *v[SQ_CACHE]; /* oldest first */
    size_t n;
} sq_cache;

/* Removes entry i of c, keeping the others in order. */
static void _cache_drop(sq_cache *c, size_t i)
{
    for (size_t j = i; j + 1 < c->n; j++)
        c->v[j] = c->v[j + 1];
    c->n--;
}

/* Takes the kept statement compiled from sql, or NULL. */
static sqlite3_stmt *_cache_take(tz_store *s, const char *sql)
{
    sq_cache *c = s->state;
    for (size_t i = c ? c->n : 0; i-- > 0;) {
        const char *t = sqlite3_sql(c->v[i]);
        if (t && !strcmp(t, sql)) {
            sqlite3_stmt *st = c->v[i];
            _cache_drop(c, i);
            return st;
        }
    }
    return NULL;
}

/* Keeps st (reset and unbound) for reuse, or finalizes it when no room can
 * be had; a full cache lets its oldest go. */
static void _cache_keep(tz_store *s, sqlite3_stmt *st)
{
    sq_cache *c = s->state;
    if (!c && !(c = s->state = calloc(1, sizeof *c))) {
        sqlite3_finalize(st);
        return;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (c->n == SQ_CACHE) {
        sqlite3_finalize(c->v[0]);
        _cache_drop(c, 0);
    }
    c->v[c->n++] = st;
}

static void _free(tz_stmt *st)
{
    sq_stmt *q = (sq_stmt *)st;
    _cache_keep(st->store, q->pStmt);
    free(q);
}

static const tz_stmt_ops _stmt_ops = {_bind_text,  _bind_int, _bind_double, _bind_null,
                                      _step,       _ncols,    _is_null,     _text,
                                      _value_kind, _real,     _reset,       _free};

static int _prepare(tz_store *s, const char *sql, tz_stmt **out)
{
    sq_stmt *q = calloc(1, sizeof *q);
    if (!q)
        return -1;
    q->pStmt = _cache_take(s, sql);
    if (!q->pStmt &&
        sqlite3_prepare_v2((sqlite3 *)s->impl, sql, -1, &q->pStmt, NULL) != SQLITE_OK) {
        _seterr(s);
        free(q);
        return -1;
    }
    q->base.ops = &_stmt_ops;
    q->base.store = s;
    *out = &q->base;
    return 0;
}

/* Finalizes every kept statement (before their connection closes). */
static void _cache_clear(tz_store *s)
{
    sq_cache *c = s->state;
    for (size_t i = 0; c && i < c->n; i++)
        sqlite3_finalize(c->v[i]);
    free(c);
    s->state = NULL;
}

static void _close(tz_store *s)
{
    _cache_clear(s);
    sqlite3_close_v2((sqlite3 *)s->impl);
}

static int _tx_alive(const tz_store *s)
{
    /* SQLite ends a transaction by itself on SQLITE_FULL, SQLITE_IOERR,
     * SQLITE_NOMEM (and may on BUSY/CORRUPT); autocommit mode is the sign */
    return !sqlite3_get_autocommit((sqlite3 *)s->impl);
}

/* ops->open_reader (tz_store_reader): a second connection to the file,
 * when the file is in WAL mode (with a rollback journal a reader's lock
 * would make the writer wait to spill or commit). */
static int _open_reader(tz_store *s, tz_store **out)
{
    sqlite3 *db = s->impl;
    const char *path = sqlite3_db_filename(db, "main");
    sqlite3_stmt *st = NULL;
    int wal = 0;
    *out = NULL;
    if (s->read_only || !path || !*path)
        return 0;
    if (sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *m = sqlite3_column_text(st, 0);
        wal = m && !strcmp((const char *)m, "wal");
    }
    sqlite3_finalize(st);
    if (!wal)
        return 0;
    tz_diags d = TZ_DIAGS_INIT;
    int rc = tz_sqlite_open(path, 0, out, &d) ? -1 : 1;
    tz_diags_clear(&d);
    if (rc == 1 && (*out)->read_only) { /* opened immutable: it would not see the WAL */
        tz_store_close(*out);
        *out = NULL;
        rc = 0;
    }
    return rc;
}

static const tz_store_ops _ops = {"SQLite", _exec, _prepare, _close, _tx_alive, NULL, _open_reader};

/* 1 when a non-empty write-ahead log sits beside the database: an
 * immutable open would not see the changes in it. */
static int _has_wal(const char *path)
{
    tz_buf w = TZ_BUF_INIT;
    struct stat sb;
    tz_buf_printf(&w, "%s-wal", path);
    int r = stat(tz_buf_str(&w), &sb) == 0 && sb.st_size > 0;
    tz_buf_free(&w);
    return r;
}

/* "file:PATH?immutable=1" with PATH percent-escaped for a URI. */
char *tz_sqlite_immutable_uri(const char *path)
{
    tz_buf u = TZ_BUF_INIT;
    tz_buf_puts(&u, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#' || *p <= ' ')
            tz_buf_printf(&u, "%%%02X", *p);
        else
            tz_buf_putc(&u, (char)*p);
    }
    tz_buf_puts(&u, "?immutable=1");
    return tz_buf_take(&u);
}

/* 1 when the folder holding path can take new files (-wal, -shm, -journal). */
static int _dir_writable(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return 0;
    int r = access(dirname(copy), W_OK) == 0;
    free(copy);
    return r;
}

/* Creates the database file (or takes the empty one there) with the mode
 * ID numbers need. existed: the file was there before. Returns 0 or -1 with
 * an error in d (a file this call created is removed again). */
static int _create_file(const char *path, int existed, tz_diags *d)
{
    /* ID numbers live here: only the owner (and the TZ_FILE_GROUP group,
     * when set) may read the file; SQLite gives -wal, -shm and -journal the
     * same mode */
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        tz_diags_error(d, path, 0, NULL, NULL, "无法创建数据库文件: %s", tz_errno_text(errno, 1));
        return -1;
    }
    const char *why = NULL;
    int crc = tz_file_set_mode(fd, &why);
    close(fd);
    if (crc) {
        tz_diags_error(d, path, 0, NULL, NULL, "无法设置数据库文件权限: %s", why);
        if (!existed)
            unlink(path);
        return -1;
    }
    return 0;
}

/* The first read of s failed. A WAL database whose folder is read-only:
 * SQLite cannot create the -shm index beside it. When no log is pending, the
 * file alone is the whole database: s is reopened on it as immutable.
 * Returns 0, or -1 with an error in d (the caller closes s). */
static int _reopen_immutable(tz_store *s, const char *path, int writable, tz_diags *d)
{
    sqlite3 *db = s->impl;
    int code = sqlite3_extended_errcode(db);
    int cant = (code & 0xff) == SQLITE_CANTOPEN || (code & 0xff) == SQLITE_READONLY;
    if (!cant || (writable && _dir_writable(path)) || _has_wal(path)) {
        tz_diags_error(d, path, 0, NULL, NULL, "%s: %s",
                       cant ? "无法打开数据库(文件夹只读,且有未写入主文件的日志)"
                            : "不是有效的数据库文件",
                       s->errmsg);
        return -1;
    }
    _cache_clear(s);
    sqlite3_close_v2(db);
    s->impl = db = NULL;
    char *uri = tz_sqlite_immutable_uri(path);
    int rc = uri ? sqlite3_open_v2(
                       uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL)
                 : SQLITE_NOMEM;
    free(uri);
    s->impl = db;
    s->read_only = 1;
    if (rc != SQLITE_OK || _exec(s, "SELECT count(*) FROM sqlite_master")) {
        tz_diags_error(d, path, 0, NULL, NULL, "无法以只读方式打开数据库: %s",
                       db ? sqlite3_errmsg(db) : "内存不足");
        return -1;
    }
    return 0;
}

/* SQLite's process-wide settings, before its first use: no memory
 * statistics (each allocation took a global mutex for them; 2% of an
 * import). */
static void _setup(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int tz_sqlite_open(const char *path, unsigned flags, tz_store **out, tz_diags *d)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, _setup);
    struct stat sb;
    int exists = stat(path, &sb) == 0;
    if (!exists && !(flags & TZ_OPEN_CREATE)) {
        tz_diags_error(d, path, 0, NULL, NULL, "数据库文件不存在,请先运行 taizhang init %s 创建",
                       path);
        return -1;
    }
    if (exists && (flags & TZ_OPEN_MUST_NOT_EXIST) && sb.st_size > 0) {
        tz_diags_error(d, path, 0, NULL, NULL, "数据库文件已存在,未做任何改动");
        return -1;
    }
    int creating = (flags & TZ_OPEN_CREATE) && (!exists || sb.st_size == 0);
    if (creating && _create_file(path, exists, d))
        return -1;
    sqlite3 *db = NULL;
    /* a file we may not write is opened read-only: reading still works */
    int writable = access(path, W_OK) == 0;
    /* NOMUTEX: a connection is used by one thread at a time (the server
     * lends each to one request), so SQLite's lock around every call on it
     * only cost (3% of an import) */
    int oflags = (writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY) | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path, &db, oflags, NULL);
    if (rc != SQLITE_OK) {
        const char *cn = _cn_reason(rc);
        tz_diags_error(d, path, 0, NULL, NULL, "无法打开数据库: %s",
                       cn ? cn : (db ? sqlite3_errmsg(db) : "内存不足"));
        sqlite3_close_v2(db);
        return -1;
    }
    sqlite3_busy_timeout(db, TZ_STORE_BUSY_MS);
    sqlite3_extended_result_codes(db, 1);
    tz_store *s = calloc(1, sizeof *s);
    if (!s) {
        sqlite3_close_v2(db);
        return -1;
    }
    s->ops = &_ops;
    s->backend = TZ_BACKEND_SQLITE;
    s->impl = db;
    s->read_only = !writable;
    if (_exec(s, "SELECT count(*) FROM sqlite_master") && _reopen_immutable(s, path, writable, d)) {
        tz_store_close(s);
        return -1;
    }
    /* connection settings only: nothing here writes to the file. threads:
     * helper threads for SQLite's sorter (a GROUP BY or CREATE INDEX too
     * large for memory: the summaries' village stage at 10 000 000
     * households 8.4 -> 5.3 s with 2; docs/decisions.md, "The sorter's
     * threads") */
    char settings[160];
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (cpus < 1)
        cpus = 0;
    else if (cpus > 4)
        cpus = 4;
    snprintf(settings, sizeof settings,
             "PRAGMA foreign_keys=OFF; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-16384; "
             "PRAGMA threads=%ld;",
             cpus);
    if (_exec(s, settings)) {
        tz_diags_error(d, path, 0, NULL, NULL, "不是有效的数据库文件: %s", s->errmsg);
        tz_store_close(s);
        return -1;
    }
    /* WAL (readers never wait for a writer) is a property of the file, set
     * once when the database is created */
    if (creating && _exec(s, "PRAGMA journal_mode=WAL")) {
        tz_diags_error(d, path, 0, NULL, NULL, "无法创建数据库: %s", s->errmsg);
        tz_store_close(s);
        return -1;
    }
    *out = s;
    return 0;
}
