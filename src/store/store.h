/* store.h - the storage interface: one narrow API over SQLite and PostgreSQL.
 *
 * Owns: opening a database (a file path means SQLite, the embedded default;
 * "postgresql://..." or "postgres://..." means PostgreSQL via libpq), the
 * schema and its migrations, transactions, and parameterised statements with
 * '?' placeholders that both backends run. Also the ledger jobs that sit on
 * top of it: import (ingest.c), export and listing (extract.c), and the audit
 * log (留痕) that every change writes.
 *
 * Does not own: file formats (io/), ledger definitions and row checks
 * (ledger/), indicators (metrics/).
 *
 * SQL passed to tz_store_prepare must be portable between SQLite 3.40 and
 * PostgreSQL 15: '?' placeholders, ON CONFLICT upserts, no backend-specific
 * functions.
 */
#ifndef TZ_STORE_H
#define TZ_STORE_H
#include "io/writer.h"
#include "ledger/ledger.h"
#include "util/buf.h"
#include "util/diag.h"
#include <stddef.h>

typedef struct tz_store tz_store;
typedef struct tz_stmt tz_stmt;

typedef enum tz_backend { TZ_BACKEND_SQLITE = 0, TZ_BACKEND_PG = 1 } tz_backend;

enum {
    TZ_OPEN_CREATE = 1,        /* create the database when it does not exist (SQLite) */
    TZ_OPEN_MUST_NOT_EXIST = 2 /* `init`: refuse an existing non-empty database */
};

/* Current schema version written by this build. */
#define TZ_SCHEMA_VERSION 2

/* Opens (and migrates) a database. Returns 0, or -1 with a Chinese diag. */
int tz_store_open(const char *uri, unsigned flags, tz_store **out, tz_diags *d);
void tz_store_close(tz_store *s); /* safe on NULL */
/* 1 when uri names a database file (SQLite), 0 for a server connection. */
int tz_store_is_file(const char *uri);
tz_backend tz_store_backend(const tz_store *s);
/* Schema version stored in the database. */
int tz_store_version(tz_store *s);
/* Last backend error text (English or Chinese, for logs and diags). */
const char *tz_store_errmsg(const tz_store *s);

/* What kind of failure the last backend error was, so that a job can tell
 * the clerk what to do about it. */
typedef enum tz_store_err {
    TZ_STORE_ERR_OTHER = 0, /* anything else (see tz_store_errmsg) */
    TZ_STORE_ERR_FULL,      /* disk full or file size limit (SQLITE_FULL, ENOSPC, 53100) */
    TZ_STORE_ERR_BUSY,      /* another writer holds the database past the busy timeout */
    TZ_STORE_ERR_READONLY,  /* the database cannot be written */
    TZ_STORE_ERR_TIMEOUT    /* PostgreSQL statement_timeout or a lost connection */
} tz_store_err;
tz_store_err tz_store_errkind(const tz_store *s);
/* 1 when the database was opened read-only (no write permission, read-only
 * folder or file system): reading commands work, writing ones must refuse. */
int tz_store_read_only(const tz_store *s);
/* 1 while the backend still holds the transaction begun with tz_store_begin
 * open and usable; 0 once SQLite rolled it back by itself (disk full, I/O
 * error, out of memory) or a PostgreSQL statement failed inside it. A job
 * that sees 0 must stop: nothing it wrote in the transaction is kept. */
int tz_store_tx_alive(const tz_store *s);
/* How long (ms) a SQLite writer waits for another one before giving up. */
#define TZ_STORE_BUSY_MS 5000
/* PostgreSQL defaults when the URL (or PGCONNECT_TIMEOUT / PGOPTIONS, or the
 * role's settings) does not set them: seconds to connect, and the longest
 * one statement may run. */
#define TZ_PG_CONNECT_TIMEOUT "10"
#define TZ_PG_STATEMENT_TIMEOUT "5min"

/* 1 while a transaction begun with tz_store_begin is open, else 0. */
int tz_store_in_tx(const tz_store *s);
/* Begins a write transaction (SQLite: BEGIN IMMEDIATE, so a second writer
 * waits TZ_STORE_BUSY_MS at the start and then fails with
 * TZ_STORE_ERR_BUSY, never in the middle). */
int tz_store_begin(tz_store *s);
/* Begins a read snapshot: every query until tz_store_read_end sees the
 * database as the first one saw it (SQLite: a deferred transaction, which
 * in WAL mode never blocks a writer; PostgreSQL: REPEATABLE READ READ
 * ONLY), so that figures computed by many queries come from one state of
 * the data, and SQLite takes its locks once instead of per query. Returns
 * 1 begun, 0 when s is already in a transaction or snapshot (nothing to
 * end), -1 on error. tz_store_begin refuses inside a snapshot. */
int tz_store_read_begin(tz_store *s);
/* Ends the snapshot tz_store_read_begin began (returned 1). */
void tz_store_read_end(tz_store *s);
/* 1 inside a read snapshot, else 0. */
int tz_store_in_read(const tz_store *s);
/* A second connection to the database of s, for reading on another thread
 * while s writes, where the database lets it read without making s wait: a
 * SQLite file in WAL mode. While s holds the write lock (tz_store_begin),
 * no other writer can commit, so a snapshot the reader begins sees the
 * data as s's transaction found it (without what s has written itself,
 * which is not committed). Opened at the first call and kept until s
 * closes (tz_store_close closes it; never close it yourself): a SQLite
 * connection closed while another of the process holds a lock on the file
 * leaves its descriptor open for the next one to reuse, which a forked
 * child (the drafting sandbox, which closes every descriptor) would then
 * find closed. One thread at a time. Returns 1 with *out, 0 when there is
 * none to have (PostgreSQL, a rollback journal, a database in memory or
 * read-only; *out NULL), -1 when opening failed. */
int tz_store_reader(tz_store *s, tz_store **out);
/* Commits; fails (and leaves nothing) when the transaction is no longer
 * alive (see tz_store_tx_alive). */
int tz_store_commit(tz_store *s);
int tz_store_rollback(tz_store *s);
/* Runs SQL without parameters or results (DDL, BEGIN...). Returns 0 or -1. */
int tz_store_exec(tz_store *s, const char *sql);

/* Prepares one statement. Returns 0 or -1 (see tz_store_errmsg). */
int tz_store_prepare(tz_store *s, const char *sql, tz_stmt **out);
/* Binds parameter i (1-based). Text is copied. Return 0 or -1. */
int tz_stmt_bind_text(tz_stmt *st, int i, const char *v);
int tz_stmt_bind_int(tz_stmt *st, int i, long long v);
int tz_stmt_bind_double(tz_stmt *st, int i, double v);
int tz_stmt_bind_null(tz_stmt *st, int i);
/* Runs or advances: 1 when a row is available, 0 when done, -1 on error. */
int tz_stmt_step(tz_stmt *st);
int tz_stmt_ncols(tz_stmt *st);
int tz_stmt_is_null(tz_stmt *st, int col); /* col is 0-based */
/* Text of a column of the current row (valid until the next step/reset), or NULL. */
const char *tz_stmt_text(tz_stmt *st, int col);
long long tz_stmt_int(tz_stmt *st, int col);
double tz_stmt_double(tz_stmt *st, int col);
/* The kind of a column's value in the current row. */
typedef enum tz_sqlkind {
    TZ_SQL_NULL,
    TZ_SQL_INT,
    TZ_SQL_REAL,
    TZ_SQL_TEXT,
    TZ_SQL_BLOB
} tz_sqlkind;
tz_sqlkind tz_stmt_kind(tz_stmt *st, int col);
/* A TZ_SQL_REAL value exactly (tz_stmt_double goes through its text, which
 * SQLite writes with 15 digits). */
double tz_stmt_real(tz_stmt *st, int col);
/* Makes the statement runnable again; bindings are kept. */
int tz_stmt_reset(tz_stmt *st);
void tz_stmt_free(tz_stmt *st); /* safe on NULL */

/* Convenience: one integer from a query with text parameters (NULL-terminated
 * array, may be NULL). Returns 0 and sets *out (0 when no row), or -1. */
int tz_store_scalar_int(tz_store *s, const char *sql, const char *const *params, long long *out);

/* Writes one audit (留痕) entry inside the current transaction. */
int tz_store_audit(tz_store *s, const char *actor, const char *action, const char *ledger,
                   const char *row_key, const char *detail);

/* Who the following writes are for, recorded with every audit entry: the
 * client's address and the request ("POST /api/ledgers/households/rows"),
 * never a body. The server sets it per request; the CLI leaves it empty
 * (recorded as 命令行). NULL clears. */
void tz_store_set_origin(tz_store *s, const char *addr, const char *request);

/* The audit (留痕) form of an ID number: the masked number and a keyed hash,
 * "411628********123X#1a2b3c4d5e6f", so that the log shows whether an ID
 * changed without keeping it. The hash is HMAC-SHA256 under the database's
 * own random key (tz_meta 'audit_key', made at init, or here inside the
 * caller's transaction for an older database). Returns 0 or -1. */
int tz_store_audit_id(tz_store *s, const char *id, char *out, size_t sz);
/* Makes sure the audit key exists (inside the caller's write transaction);
 * a database from a build before IDs were hashed gets one, and its old
 * audit entries are rewritten into the audit form. Returns 0 or -1. */
int tz_store_audit_ready(tz_store *s);

/* Binds a canonical ledger value as the column's storage type. */
int tz_stmt_bind_value(tz_stmt *st, int i, const tz_column *c, const tz_value *v);
/* Text form of stored column `col` of the current row for ledger column c
 * (bools as 是/否, numbers without trailing zeros). Writes into buf. */
const char *tz_stmt_value_text(tz_stmt *st, int col, const tz_column *c, char *buf, size_t sz);

/* ---- ledger jobs ------------------------------------------------------- */

/* How far an import has come, as tz_import_opts.progress hears it. */
typedef enum tz_import_stage {
    TZ_IMPORT_READING = 0, /* reading data rows: heard every TZ_IMPORT_PROGRESS_ROWS rows */
    TZ_IMPORT_READ = 1,    /* every row read (heard once, with bytes_done = bytes_total) */
    TZ_IMPORT_STOPPED = 2, /* a database failure stopped the import (heard once) */
    TZ_IMPORT_WRITING = 3, /* every row read and none refused: writing them (staged rows,
                              indexes built again, COMMIT); heard once after READ, not in
                              a dry run */
} tz_import_stage;

#define TZ_IMPORT_PROGRESS_ROWS 500

/* Told, on the importing thread, how far the import of `file` (basename)
 * has come: data rows read so far, and bytes of the file read of its size
 * (tz_reader_progress; for xlsx, unpacked sheet bytes). Must not fail or
 * call back into the store. The import itself never prints: the CLI draws
 * a bar from this, the web server can report it. */
typedef void (*tz_import_progress_fn)(void *ctx, const char *file, tz_import_stage stage,
                                      size_t rows, unsigned long long bytes_done,
                                      unsigned long long bytes_total);

typedef struct tz_import_progress {
    tz_import_progress_fn fn; /* called as the import goes */
    void *ctx;                /* passed to fn */
} tz_import_progress;

/* A filter "column = value" for export and list; column by Chinese or SQL name. */
typedef struct tz_filter {
    const char *column; /* column name */
    const char *value;  /* value as a user writes it (canonicalised per type) */
} tz_filter;

/* ---- access scope ---------------------------------------------------------
 * What an account may see and change: a region and everything under it, or
 * one 责任单位 with its projects and inputs (ledger.h's tz_ledger.region and
 * .unit say where each ledger's rows belong). A NULL tz_access means no
 * limit (the CLI, an administrator of the whole database). */
typedef struct tz_access {
    char region[13]; /* region scope: the region's 12-digit code; "" for a unit scope */
    int digits;      /* region scope: leading digits shared by every code under it
                        (省 2, 市 4, 县 6, 乡 9, 村 12) */
    char unit[256];  /* unit scope: the 责任单位's name; "" for a region scope */
} tz_access;

/* Rows of ledger l that access a may see, as an SQL condition on the
 * ledger's table (aliased `alias`, e.g. "t") appended to sql: "1 = 1" when a
 * is NULL or when reading a shared_read ledger (reference data every account
 * reads, whatever its links), "1 = 0" when the ledger has no link for the
 * scope kind or a is malformed. A region scope is a code range
 * ("t.village >= '411628000000' AND t.village <= '411628999999'", so an
 * index answers it), a unit scope the name; through a link's `via`, the
 * referenced ledger's key IN a subquery. Values are inlined as literals from
 * the tz_access (codes checked to be digits; the unit name quoted, its
 * quotes doubled). Returns 0, or -1 when out of memory. */
int tz_access_sql(const tz_ledger *l, const tz_access *a, const char *alias, int reading,
                  tz_buf *sql);

/* ---- rows one at a time (rows.c): the HTTP API's reads and writes ---------- */

/* One row as the API shows it: cells in contract order and its version. */
typedef int (*tz_vrow_cb)(void *ctx, const char *const *cells, size_t n, long long version);

typedef struct tz_rows_query {
    const tz_filter *f;      /* where 列=值 filters (canonicalised per column type) */
    size_t nf;               /* number of filters */
    const char *q;           /* free text every matching row contains in some column, or NULL */
    const char *sort;        /* a column (Chinese or SQL name), "-" before it for descending;
                                NULL: key order */
    long limit;              /* rows wanted: 1..1000 (0: 100) */
    long offset;             /* rows skipped */
    const tz_access *access; /* only rows in this scope, or NULL */
    int unmask;              /* 1: ID numbers in full; 0: masked (tz_idcard_mask) */
    const char *const *keys; /* only the rows of these text keys (key columns joined by
                                '/', as tz_rows_get takes them), or NULL: any row */
    size_t nkeys;            /* number of keys: 0..1000 (limit and offset page them) */
} tz_rows_query;

/* One page of a ledger: *total is the number of rows matching (all pages).
 * Returns 0, 1 when the query is wrong (Chinese diag naming the parameter:
 * where/sort/limit/offset), -1 on a database error (diag). */
int tz_rows_page(tz_store *s, const tz_ledger *l, const tz_rows_query *q, long long *total,
                 tz_vrow_cb cb, void *ctx, tz_diags *d);

/* Outcomes of a one-row write. */
typedef enum tz_row_status {
    TZ_ROW_OK = 0,        /* written (or unchanged) */
    TZ_ROW_INVALID = 1,   /* refused by the ledger's checks (diags name the column) */
    TZ_ROW_FORBIDDEN = 2, /* the row (before or after) is outside the access scope */
    TZ_ROW_CONFLICT = 3,  /* stale version, or a new row whose key exists */
    TZ_ROW_LOCKED = 4, /* dated in an approved (审核锁定) period: 该期间数据已审核锁定 */
    TZ_ROW_NOT_FOUND = 5, /* no row with that key (change or delete) */
    TZ_ROW_ERROR = -1     /* database failure (diag) */
} tz_row_status;

/* The text key of a row: its key columns' canonical values joined by '/',
 * as the audit log writes it ("商丘市招商局/411628100200"). */

/* Reads one row by its text key. Returns TZ_ROW_OK (cb called once),
 * TZ_ROW_NOT_FOUND (also when out of scope), or TZ_ROW_ERROR. */
tz_row_status tz_row_get(tz_store *s, const tz_ledger *l, const char *key, const tz_access *a,
                         int unmask, tz_vrow_cb cb, void *ctx, tz_diags *d);

/* Adds or changes one row, given as n header/value pairs (headers by
 * Chinese name; a column not given keeps its stored value when changing and
 * is empty when adding). version: the version the row was read at, or 0 to
 * add a new row. Runs the same checks as import (values, references,
 * uniqueness, row checks), the access scope (the row before and after) and
 * the 审核 locks (before and after), in one transaction with its audit
 * entry. On TZ_ROW_OK *new_version is the stored version; on
 * TZ_ROW_CONFLICT the current row goes to cb (when there is one). */
tz_row_status tz_row_put(tz_store *s, const tz_ledger *l, const char *const *headers,
                         const char *const *values, size_t n, long long version, const tz_access *a,
                         const char *actor, long long *new_version, tz_vrow_cb cb, void *ctx,
                         tz_diags *d);

/* Deletes one row by its text key (version 0: any version). Checks scope,
 * locks, and that no other row references it; audited. */
tz_row_status tz_row_delete(tz_store *s, const tz_ledger *l, const char *key, long long version,
                            const tz_access *a, const char *actor, tz_diags *d);

/* ---- 上报审核 locks (lock.c) -------------------------------------------------
 * An approved submission (tz_submissions.status = 'approved') locks every row
 * dated in its period (tz_ledger.period_col) and inside its scope. */

/* Whether the row vals (canonical values of ledger l, in contract order) is
 * locked. Returns 1 locked (why: "该期间数据已审核锁定(鹿邑县 2024-03,审核人 张三)"),
 * 0 not, -1 on a database error. */
int tz_lock_row(tz_store *s, const tz_ledger *l, const tz_value *vals, char *why, size_t whysz);
/* Whether any row of l can be locked at all: l has a period column and some
 * submission is approved. Returns 1, 0, or -1 on a database error. An
 * import asks once inside its write transaction and calls tz_lock_row per
 * row only on 1, so that a database without approvals pays nothing. */
int tz_lock_possible(tz_store *s, const tz_ledger *l);

typedef struct tz_import_opts {
    int dry_run;                        /* validate only, never write */
    const tz_import_progress *progress; /* told how far the import has come, or NULL */
    const char *actor;                  /* who imports, for the audit log */
    const tz_access *access;            /* rows outside this scope are refused, or NULL */
    const char *name;   /* the file's name in diagnostics and the audit log (an upload's
                         X-Filename), or NULL: the path's basename */
    const char *within; /* 12-digit region code inside which names stand for codes
                           (import --region), or NULL: the account's region or the
                           whole database */
} tz_import_opts;

#define TZ_IMPORT_MAX_COLS 64 /* ledger columns whose source column a result names */
#define TZ_IMPORT_SKIP_ROWS 5 /* rows named per kind of row left out */

/* What became of one sheet of a file. */
typedef enum tz_sheet_status {
    TZ_SHEET_READ = 0,    /* its rows were read as the ledger's (written unless refused) */
    TZ_SHEET_OTHER = 1,   /* not a table of this ledger: left out, reason says why */
    TZ_SHEET_EMPTY = 2,   /* nothing in it */
    TZ_SHEET_REFUSED = 3, /* a table of this ledger whose header lacks a column (errors) */
} tz_sheet_status;

/* One sheet as an import read it (a CSV file is one sheet named ""). */
typedef struct tz_import_sheet {
    char *name;             /* the sheet's name in the workbook */
    int index;              /* 0-based position in the workbook */
    int hidden;             /* 1 hidden, 2 very hidden (read all the same) */
    tz_sheet_status status; /* what became of it */
    char *reason;           /* why it was left out or refused (Chinese), or NULL */
    size_t header_row;      /* the file row of the header's first row (1-based); 0: none */
    size_t header_rows;     /* 1, or 2 for a two-row header */
    char **header;          /* the header as one row, per file column (owned) */
    size_t nheader;         /* its cells */
    int file_col[TZ_IMPORT_MAX_COLS];      /* per ledger column: file column (0-based), -1 none */
    unsigned char how[TZ_IMPORT_MAX_COLS]; /* per ledger column read: its tz_header_how */
    size_t rows;                           /* data rows read (households, for a national export) */
    size_t inserted;                       /* new keys */
    size_t updated;                        /* existing keys updated */
    size_t skipped[TZ_SKIP_KINDS];         /* rows left out, by kind */
    long skip_rows[TZ_SKIP_KINDS][TZ_IMPORT_SKIP_ROWS]; /* the first rows of each kind */
    tz_notes *notes; /* values read other than as written (aliases, names, months) */
    int national;    /* 1: the national system's person-level export */
    size_t persons;  /* national export: person rows read */
    size_t members;  /* national export: persons besides the heads of household */
} tz_import_sheet;

typedef struct tz_import_result {
    size_t rows;         /* data rows read, every sheet */
    size_t inserted;     /* new keys */
    size_t updated;      /* existing keys updated */
    char encoding[24];   /* detected encoding or format */
    size_t header_row;   /* the first sheet read: the row its header began (1-based); 0: none */
    size_t blank;        /* empty rows skipped (every cell empty), every sheet */
    size_t header_cells; /* the first sheet read: its header's non-empty cells */
    int file_col[TZ_IMPORT_MAX_COLS]; /* the first sheet read: per ledger column, the file's
                                           column (0-based), -1 none; valid when header_row */
    tz_import_sheet *sheets;          /* every sheet of the file, in workbook order */
    size_t nsheets;                   /* their number */
} tz_import_result;

/* Frees what an import result holds (sheets); r stays usable. Safe on a
 * zeroed result. */
void tz_import_result_free(tz_import_result *r);

/* Imports one file into one ledger, all or nothing. Returns 0 when the data
 * was accepted (and written unless dry_run), 1 when it was refused (errors in
 * d, database unchanged), -1 on an environment failure (diag added). */
int tz_import_file(tz_store *s, const tz_ledger *l, const char *path, const tz_import_opts *o,
                   tz_import_result *r, tz_diags *d);

/* Sheet columns (headers, drop-downs, notes, widths) for a ledger; caller
 * frees the array (not the strings). NULL when out of memory. */
tz_sheet_column *tz_ledger_sheet_columns(const tz_ledger *l);

/* Exports a ledger to .xlsx or .csv in contract column order.
 * Returns 0, 1 when a filter is invalid, or -1 with a diag. */
int tz_export_file(tz_store *s, const tz_ledger *l, const char *path, tz_encoding enc,
                   const tz_filter *f, size_t nf, size_t *nrows, tz_diags *d);

/* Row callback for tz_ledger_select: cells are the text of each column in
 * contract order. Return non-zero to stop. */
typedef int (*tz_row_cb)(void *ctx, const char *const *cells, size_t n);
/* Selects the rows of a ledger matching all filters, in stable key order;
 * with within (the leading digits of a region code: "410121" for a county),
 * only the rows one of whose region columns lies under it (none when the
 * ledger has no region column). Returns 0, 1 when a filter is invalid
 * (diag), or -1. */
int tz_ledger_select(tz_store *s, const tz_ledger *l, const tz_filter *f, size_t nf,
                     const char *within, tz_row_cb cb, void *ctx, tz_diags *d);

/* ---- backup ------------------------------------------------------------ */

/* Progress of a long job: done out of total units (pages). */
typedef void (*tz_progress_cb)(void *ctx, unsigned long long done, unsigned long long total);

/* Copies the database at uri into a new file while other commands go on
 * (SQLite: online backup of one consistent snapshot; PostgreSQL: pg_dump,
 * custom format). The file is created 0600, checked to be a whole Taizhang
 * database, and never replaces an existing file. cb may be NULL (and is not
 * called for PostgreSQL). Returns 0, 1 when refused (file exists), or -1
 * with a diag. */
int tz_store_backup(const char *uri, const char *file, tz_progress_cb cb, void *ctx, tz_diags *d);
/* Puts a backup made by tz_store_backup into a new database: a SQLite path
 * that does not exist yet, or an empty PostgreSQL database (pg_restore).
 * Returns 0, 1 when refused (target exists or not empty, file is not a
 * Taizhang backup), or -1 with a diag. */
int tz_store_restore(const char *file, const char *uri, tz_progress_cb cb, void *ctx, tz_diags *d);
/* Removes a SQLite database file and its -journal, -wal and -shm files. */
void tz_store_remove_files(const char *path);

/* ---- copy (copy.c) ---------------------------------------------------------- */

/* One table of a copy. */
typedef struct tz_copy_table {
    char *name;     /* the table */
    long long rows; /* rows copied */
    int derived;    /* 1: a summary (tz_agg_*), not copied: the target rebuilds it */
} tz_copy_table;

/* What tz_store_copy did, table by table (source order). */
typedef struct tz_copy_result {
    tz_copy_table *v; /* the source's tables */
    size_t n;         /* their number */
    long long rows;   /* rows copied in all */
} tz_copy_result;

/* Copies every table of src into dst, a new database (opened with
 * TZ_OPEN_CREATE | TZ_OPEN_MUST_NOT_EXIST), SQLite or PostgreSQL either
 * way: ledgers, audit log, accounts, sessions, deadlines and 上报审核
 * records, each value as its kind. src is read in one snapshot, dst
 * written in one transaction (whole or nothing), each table's row count
 * checked after. The summaries are left to be rebuilt; dst keeps its own
 * schema keys of tz_meta and takes the rest (the audit key included, so
 * the audit's ID hashes still compare). A source column the target lacks
 * refuses the copy. The target's audit log gets one more entry, by actor:
 * the copy itself. cb (rows done of total) may be NULL. Returns 0, or -1
 * with a diag; res is filled either way (free with tz_copy_result_free). */
int tz_store_copy(tz_store *src, tz_store *dst, const char *actor, tz_progress_cb cb, void *ctx,
                  tz_copy_result *res, tz_diags *d);
void tz_copy_result_free(tz_copy_result *r);

/* ---- names for codes (names.c) ---------------------------------------------
 * The names a file may use for region codes and unit names: 秦阁村,
 * 宋河镇秦阁村 or 宋河镇/秦阁村 for a 区划代码, 县文广旅局 for 县文化广电旅游局
 * (docs/import.md, 用名称代替代码). */
typedef struct tz_names tz_names;
/* Loads regions and units from s. within: a 12-digit region code the names
 * are looked up inside (an import's --region, or an account's region), or
 * NULL for the whole database. Returns 0, or -1 with a diag. */
int tz_names_open(tz_store *s, const char *within, tz_names **out, tz_diags *d);
/* A tz_name_resolve_fn; ctx is the tz_names. One tz_names serves one import
 * on one thread (why points into it, valid until the next call). */
int tz_names_resolve(void *ctx, const tz_ledger *l, int col, const char *raw, char *out,
                     size_t outsz, const char **why);
void tz_names_free(tz_names *n); /* safe on NULL */

/* ---- touched villages (touched.c) -------------------------------------------
 * What one write (an import, a row edit) touched, so the summaries
 * (metrics/summary.c) re-derive only those villages. */
typedef struct tz_touched tz_touched;
/* The table of those records: one row per village and write, with the data
 * versions before and after it; village '' when a write's is unknown, and
 * TZ_TOUCHED_LEDGER_MARK and a ledger's id for a write of a ledger that no
 * village summary reads (only its gap counts do). */
#define TZ_TOUCHED_LEDGER_MARK "#"
#define TZ_TOUCHED_DDL                                                                             \
    "CREATE TABLE IF NOT EXISTS tz_agg_touched (from_dv BIGINT NOT NULL, to_dv BIGINT NOT NULL, "  \
    "village TEXT NOT NULL)"
/* Notes one row of l about to be written (or deleted): vals the new row,
 * old_text the stored one's columns as text (NULL when new). *t is made at
 * the first call (reading the data version before the write). No statement
 * per row. Returns 0 or -1 (out of memory or a database error: s's errmsg). */
int tz_touched_row(tz_store *s, tz_touched **t, const tz_ledger *l, const tz_value *vals,
                   char *const *old_text);
/* Records t (NULL: nothing written) in tz_agg_touched, inside the writer's
 * transaction, after its last write and before its commit. Returns 0 or -1. */
int tz_touched_flush(tz_store *s, tz_touched *t);
void tz_touched_free(tz_touched *t); /* safe on NULL */

#endif
