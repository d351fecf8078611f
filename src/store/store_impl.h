/* store_impl.h - internal to src/store/: what import (ingest.c), listing
 * (extract.c), one-row reads and writes (rows.c) and scoped access
 * (access.c) share, so that a row written through the API passes exactly the
 * checks a row of an imported file passes. Prefix tzs_.
 *
 * Not for other modules: they call store.h.
 */
#ifndef TZ_STORE_IMPL_H
#define TZ_STORE_IMPL_H
#include "store/backend.h"
#include "util/buf.h"
#include "util/hmap.h"

/* ---- where 列=值 filters (extract.c) --------------------------------------- */

/* Parsed filters: the canonical value and column of each. */
typedef struct tzs_where {
    tz_value *vals; /* canonical value per filter (owned) */
    int *cols;      /* ledger column index per filter */
    size_t n;       /* number of filters */
} tzs_where;

/* Parses the filters f (column by Chinese or SQL name, the value as a user
 * writes it, canonicalised per column type) and appends one condition each
 * to sql ("col = ?" or "col IS NULL"), each preceded by " WHERE " when
 * *nconds is 0, else " AND " (*nconds counts them). param names the
 * parameter in the diag of an unknown column ("--where", "where").
 * Returns 0, 1 when a filter is wrong (Chinese diag), -1 when out of
 * memory. Free w with tzs_where_free in every case. */
int tzs_where_parse(const tz_ledger *l, const tz_filter *f, size_t nf, const char *param,
                    tzs_where *w, tz_buf *sql, int *nconds, tz_diags *d);
/* Binds the filters' values from parameter *p on (advancing it). */
int tzs_where_bind(const tz_ledger *l, const tzs_where *w, tz_stmt *st, int *p);
void tzs_where_free(tzs_where *w); /* safe on a zeroed w */

/* ---- one row's checks and write (ingest.c) --------------------------------- */

typedef struct tzs_pending {
    long rowno;    /* file row */
    int col;       /* ledger column index */
    char *value;   /* referenced key (canonical) */
    int own_level; /* the row's own level for TZ_F_PARENT checks, else -1 */
    int sheet;     /* the sheet of the file it is on (0-based, as read) */
} tzs_pending;

/* One import record (tz_imports): the new rows written under one file
 * label ("名册.xlsx[宋河镇]") stand on it for their 新增 audit entries. */
typedef struct tzs_import_rec {
    long long id; /* tz_imports.id */
    char *label;  /* the label (the file's name in the audit log) */
    size_t added; /* rows added under it */
} tzs_import_rec;

/* The state of writing rows of one ledger: prepared statements, the stored
 * row last loaded, the access scope. Zero it, then tzs_ingest_init. */
typedef struct tzs_ingest {
    tz_store *s;                 /* target store */
    const tz_ledger *l;          /* target ledger */
    const char *file;            /* file name for diagnostics and the audit, or NULL */
    tz_diags *d;                 /* diagnostics sink */
    tz_stmt *st_select;          /* SELECT all columns and tz_version by key */
    tz_stmt *st_upsert;          /* INSERT ... ON CONFLICT DO UPDATE (version + 1) */
    tz_stmt *st_guarded;         /* the same, only over version ?, RETURNING tz_version */
    tz_hmap *seen;               /* import: key text -> tzs_key_ival of the keys read so
                                    far and (when stored is loaded: the same map) stored */
    tz_hmap *stored;             /* import: seen itself when it holds every stored key too
                                    (a key not stored there is new: no SELECT), or NULL to
                                    ask the database */
    int key_stored;              /* import: the row's key is in stored (set by its seen test) */
    tz_buf ahead;                /* import: the key text of a row prefetched (tzs_sets_prefetch) */
    tz_hmap **uniq;              /* import, per column (ncols): value -> key text of the row
                                    holding it (TZ_F_UNIQUE), or NULL to ask the database */
    tz_hmap **refs;              /* import, per column (ncols): referenced key -> its level
                                    (tz_level), or NULL to ask the database; columns naming
                                    the same ledger share one map */
    tz_stmt **st_ref;            /* per column (ncols): reference lookup, or NULL */
    tz_stmt **st_unique;         /* per column (ncols): uniqueness lookup, or NULL */
    tz_stmt *st_via[2];          /* access.c's lookups of the region / unit link */
    tzs_pending *pending;        /* references to re-check at the end */
    size_t npending, cappending; /* count and capacity of pending */
    int no_defer;                /* 1: a missing reference is an error at once (one row) */
    int level_col;               /* index of 层级 in regions, or -1 */
    int fatal;                   /* 1 once a database statement failed: stop at once */
    long at_row;                 /* file row being processed, for the fatal message */
    int all_read;                /* import: 1 once every row is read (what fails now is the
                                    final write: staged rows, indexes, COMMIT) */
    const tz_access *access;     /* rows outside this scope are refused, or NULL */
    char scope_name[300];        /* the scope as people name it ("鹿邑县宋河镇") */
    int check_locks;             /* 1: ask tz_lock_row about each row */
    int found;                   /* tzs_load_stored: 1 when the key is stored */
    long long old_version;       /* its tz_version */
    char **old_text;             /* its columns as text (tz_stmt_value_text), ncols */
    char (*old_cells)[1100];     /* where old_text points: one buffer per column */
    tz_value *old;               /* the same as canonical values (tzs_old), ncols */
    int old_parsed;              /* 1 once old holds the loaded row's values */
    const tz_header_map *map;    /* import: the sheet's columns (absent ones keep their
                                    stored values), or NULL */
    tz_names *names;             /* import: names standing for codes, or NULL */
    int sheet;                   /* import: the sheet being read (0-based, as read) */
    tz_touched *touched;         /* villages written (touched.c), or NULL */
    long long expect_rows;       /* import: rows the file may hold (from its size, a
                                    generous guess), or -1 when unknown */
    size_t stored_n;             /* import: rows stored when it began (g->stored) */
    int dry_run;                 /* import: validate only (tz_import_opts.dry_run) */
    size_t added;                /* import: rows it added so far */
    int bulk;                    /* import: 1 once the secondary indexes are dropped
                                    (tzs_indexes), to be built at the end */
    struct tzs_stage *stage;     /* import into PostgreSQL: rows staged for COPY
                                    (stage.c), or NULL: each row is written at once */
    int imp_ok;                  /* import: a new row carries its import record instead of
                                    an audit entry (the ledger's key has SQL text) */
    tz_stmt *st_imp;             /* import: INSERT INTO tz_imports ... RETURNING id */
    tzs_import_rec *imp;         /* import: its records (one per file label), newest last */
    size_t nimp;                 /* their number */
} tzs_ingest;

/* Prepares the statements of g for g->l in g->s (g->s, g->l, g->d set).
 * Returns 0 or -1 (database error or out of memory; s's errmsg says). */
int tzs_ingest_init(tzs_ingest *g);
/* Prepares only what tzs_load_stored needs (a read). Returns 0 or -1. */
int tzs_select_init(tzs_ingest *g);
/* Import only, inside its write transaction after tzs_ingest_init: loads
 * the stored keys, the values of unique columns and the keys (and levels)
 * of referenced ledgers into g's hash maps, so that every row is checked
 * in memory. Returns 0 or -1 (database error or out of memory). */
int tzs_ingest_load_sets(tzs_ingest *g);
/* Makes room in g's maps of keys and unique values for more rows than
 * they hold now (a hint: nothing is lost when memory is short), so that
 * the rest of the file rehashes nothing. */
void tzs_sets_expect(tzs_ingest *g, size_t more);
/* After row vals (key text key) was written over the stored row g loaded
 * (g->found, g->old_text): updates the in-memory sets. Returns 0, or -1
 * when out of memory (marked fatal). */
int tzs_sets_written(tzs_ingest *g, const char *key, const tz_value *vals);
/* Prefetches the slots of the in-memory sets that the row of vals will
 * look up (its key, its unique values), some rows before it is checked. */
void tzs_sets_prefetch(tzs_ingest *g, const tz_value *vals);
/* The value of a key in the import's map of keys: -1 stored and not yet
 * in the file; r > 0 first in file row r and not stored; -(r + 1) both
 * (one map for both, so that a row's key is looked up once). */
static inline long long tzs_key_ival(long row, int stored)
{
    return stored ? -(long long)row - 1 : (long long)row;
}
static inline long tzs_key_row(long long v) /* the file row, or 0 */
{
    return v > 0 ? (long)v : v < -1 ? (long)(-v - 1) : 0;
}
static inline int tzs_key_stored(long long v)
{
    return v < 0;
}

/* ---- rows read and checked on a second thread (ingest_pipe.c) -------------- */

#define TZS_BATCH_ROWS 256 /* rows handed over at a time */

/* One row the reading thread read and checked. */
typedef struct tzs_prow {
    long rowno;     /* the file row */
    int kind;       /* -1 data, else the tz_skip_kind of a row left out */
    int bad;        /* data: errors tz_row_validate found in it */
    tz_value *vals; /* data: its values (the batch's; ncols of them) */
    size_t d_to;    /* the batch's messages before this index are this row's or earlier */
} tzs_prow;

/* Rows handed over together, and their messages in file order. */
typedef struct tzs_batch {
    tzs_prow rows[TZS_BATCH_ROWS];
    size_t n;           /* rows filled */
    tz_value *vals;     /* TZS_BATCH_ROWS * ncols values */
    tz_arena texts;     /* their texts (lent) */
    tz_diags d;         /* messages of the rows (and, past the last row's d_to, of the reader) */
    size_t expect_more; /* when not 0: rows the file still holds, estimated */
} tzs_batch;

/* Fills b (b->n rows, up to TZS_BATCH_ROWS) on the reading thread.
 * Returns 1 when there may be more, 0 at the end, -1 on a read error (its
 * message in b->d). */
typedef int (*tzs_fill_fn)(void *ctx, tzs_batch *b);

typedef struct tzs_pipe tzs_pipe;
/* Starts the reading thread calling fill(ctx, batch) until it returns 0
 * or -1 or the pipe is finished. NULL when no thread or memory could be had
 * (the caller then reads on its own thread). */
tzs_pipe *tzs_pipe_start(size_t ncols, tzs_fill_fn fill, void *ctx);
/* The next filled batch, in file order; NULL once the reader has ended
 * and every batch was taken. */
tzs_batch *tzs_pipe_take(tzs_pipe *p);
/* Gives a taken batch back to be filled again (its messages freed; its
 * values are freed by the reading thread, which allocated them). */
void tzs_pipe_give(tzs_pipe *p, tzs_batch *b);
/* Stops the reader (after the batch it is filling), waits for it, frees
 * everything. Returns fill's last result (1 when stopped early). */
int tzs_pipe_finish(tzs_pipe *p);

/* Frees what g holds; safe on a zeroed g. */
void tzs_ingest_free(tzs_ingest *g);
/* A statement failed: marks g fatal and adds the diag saying why (once). */
void tzs_fatal(tzs_ingest *g, const char *what);
/* The text key of canonical values: key columns joined by '/'. */
void tzs_key_text(const tz_ledger *l, const tz_value *vals, tz_buf *out);
/* Appends to out the SQL expression over table alias whose text is
 * tzs_key_text of the row. Returns 0, or -1 when a key column's stored
 * value has no such text (a real, a yes/no): that ledger's imports keep an
 * audit entry per new row. */
int tzs_key_sql(const tz_ledger *l, const char *alias, tz_buf *out);
/* Appends l's key match ("k1 = ? AND k2 = ?") to q. */
void tzs_key_where(const tz_ledger *l, tz_buf *q);
/* Binds the key columns of vals to st from parameter `first` on, in the
 * order tzs_key_where wrote them. Returns 0 or -1. */
int tzs_key_bind(const tz_ledger *l, tz_stmt *st, int first, const tz_value *vals);
/* References, uniqueness across the database and the parent rule of one
 * row. Returns the number of errors added. */
int tzs_check_refs(tzs_ingest *g, long rowno, const tz_value *vals);
/* Loads the stored row with the key of vals into g->found, g->old_version
 * and g->old_text. Returns 0, or -1 on a database failure (fatal). */
int tzs_load_stored(tzs_ingest *g, const tz_value *vals);
/* The loaded stored row as canonical values (parsed at the first call after
 * a load: an import that only compares texts never pays for it). */
const tz_value *tzs_old(tzs_ingest *g);
/* The changes from the loaded stored row to vals, "列: 旧 → 新; ..." (ID
 * numbers as their audit form) into detail. Returns 0 none, 1 new row, 2
 * changed, or -1 on a failure (fatal). */
int tzs_diff(tzs_ingest *g, const tz_value *vals, tz_buf *detail);
/* g->access (when set) against one row: its new values and (when g->found)
 * the stored row it would change; errors name file row rowno ("不在当前账户
 * 的范围(鹿邑县宋河镇)内"). Returns errors added. */
int tzs_check_scope(tzs_ingest *g, long rowno, const tz_value *vals);
/* One row of values against g->access: the error (column and value that
 * decided, "<which>不在当前账户的范围(鹿邑县宋河镇)内") when outside; a
 * missing referenced row is left to the reference check. Returns errors
 * added. */
int tzs_check_scope_row(tzs_ingest *g, long rowno, const tz_value *vals, const char *which);
/* One row of values against the 审核 locks (tz_lock_row): the error (the
 * period column, "该期间数据已审核锁定(...)[;<which>]") when locked.
 * Returns errors added. */
int tzs_check_lock_row(tzs_ingest *g, long rowno, const tz_value *vals, const char *which);
/* The 审核 locks (tz_lock_row, when g->check_locks) of the stored row
 * (when g->found) and the new values. Returns errors added. */
int tzs_check_locks(tzs_ingest *g, long rowno, const tz_value *vals);
/* The upsert of every column of l into its table: a changed row gets
 * version + 1. from NULL: one row of values bound as parameters; else the
 * rows of `from` ("tz_stage ORDER BY tz_seq"), which has l's columns.
 * guarded (with from NULL): only over the stored version bound last (0:
 * only a new key), returning the version written. */
void tzs_upsert_sql(const tz_ledger *l, const char *from, int guarded, tz_buf *q);
/* Writes the row and its audit entry (新增/修改 with detail). guard < 0:
 * unconditional upsert; guard >= 0: only over a stored version guard (0:
 * only when the key is new), *new_version set, and 1 returned when the
 * stored row had another version. Returns 0, 1 (guard failed), or -1 on a
 * database failure (fatal). */
int tzs_write_row(tzs_ingest *g, long rowno, const tz_value *vals, const char *actor,
                  const char *key, const tz_buf *detail, int change, long long guard,
                  long long *new_version);

/* ---- an import staged for COPY (stage.c) ----------------------------------- */

typedef struct tzs_stage tzs_stage;
/* After tzs_ingest_load_sets: on PostgreSQL, when every check is answered
 * in memory, creates the staging table and sets g->stage (else leaves it
 * NULL). Returns 0 or -1 (database error or out of memory). */
int tzs_stage_begin(tzs_ingest *g);
/* Rows an import adds (more than the table held) before it drops the
 * secondary indexes and builds them at the end: ingest.c on SQLite,
 * stage.c on PostgreSQL. */
#define TZS_BULK_MIN 10000
/* Stages one row (vals) and its audit entry (action, key, detail) instead
 * of writing them; sends them to the database when enough is staged. A
 * new row with import record imp (> 0) gets imp and its file row line
 * instead of an audit entry. Returns 0 or -1 (marked fatal). */
int tzs_stage_row(tzs_ingest *g, const tz_value *vals, long long imp, long line, const char *actor,
                  const char *action, const char *key, const char *detail);
/* Moves every staged row into the ledger (file order; g->added and
 * g->stored_n choose the bulk path, which a dry run never takes) and the
 * last audit entries into the audit log. Returns 0 (also with nothing
 * staged, or no stage) or -1 (marked fatal). */
int tzs_stage_flush(tzs_ingest *g);
void tzs_stage_free(tzs_stage *st);

/* ---- the data version during an import (store.c) --------------------------- */

/* Inside the import's write transaction, before its statements are
 * prepared: on SQLite drops l's per-row data_version triggers (DDL is
 * transactional and the write lock is held, so no other writer runs
 * without them and a rollback restores them); on PostgreSQL (statement
 * triggers, and DROP TRIGGER would block readers) sets
 * taizhang.dv_paused for this transaction only (SET LOCAL), which the
 * trigger function obeys. Returns 0 or -1. */
int tzs_dv_pause(tz_store *s, const tz_ledger *l);
/* Before the import commits: bumps tz_meta 'data_version' once when the
 * import changed rows (changed != 0) and recreates what tzs_dv_pause
 * dropped. Returns 0 or -1. */
int tzs_dv_resume(tz_store *s, const tz_ledger *l, int changed);

/* SQLite: appends to a trigger body on `event` (INSERT, UPDATE, DELETE) of
 * ledger table id, after the statement that bumped the data version, the
 * statement recording the villages the row touched in tz_agg_touched
 * (touched.c), village '' when its village is unknown. Returns 1 appended,
 * 0 when no summary reads the table (nothing appended). */
int tzs_touch_trigger_sql(const char *id, const char *event, tz_buf *sql);
/* SQLite: the body of a BEFORE trigger on `event` of ledger table id that
 * records what SQLite's REPLACE removes without a trigger: the village of
 * the stored row an INSERT OR REPLACE overwrites, and '' (unknown) when a
 * row of another key would go. Returns 1 appended, 0 none for this table
 * and event. */
int tzs_touch_before_sql(const char *id, const char *event, tz_buf *sql);
/* PostgreSQL: appends the statements that give table l (households,
 * tv_installs) statement triggers with transition tables, one per event,
 * which bump the data version and record the villages the statement's rows
 * touched (TRUNCATE bumps only: a gap). Returns 1 appended, 0 when no
 * summary reads l (its generic trigger stays). */
int tzs_touch_pg_sql(const tz_ledger *l, tz_buf *sql);
/* The SQL type a column of type t is stored as on backend b ("TEXT" for
 * codes, IDs, names and dates: their canonical text, byte for byte). */
const char *tzs_sqltype(tz_backend b, tz_coltype t);

/* Drops (drop 1) or creates again (drop 0) the secondary indexes of l
 * (unique columns, references): an import that adds most of a table drops
 * them inside its transaction and builds them once at the end. Returns 0
 * or -1 (s's errmsg says; creating a unique index fails on a duplicate). */
int tzs_indexes(tz_store *s, const tz_ledger *l, int drop);

/* ---- COPY (store.c, PostgreSQL) ------------------------------------------- */

/* Appends v (NULL: SQL NULL) as one field of a COPY text-format line,
 * followed by a tab, or by the line's end when last. */
void tzs_copy_field(tz_bufw *out, const char *v, int last);
/* The COPY that tzs_audit_copy_line's lines feed. */
extern const char *const tzs_audit_copy_sql;
/* tz_store_audit that also gives the id of the entry written (an import's
 * 导入 entry, which its records point to). Returns 0 or -1. */
int tzs_audit_returning(tz_store *s, const char *actor, const char *action, const char *ledger,
                        const char *row_key, const char *detail, long long *id);
/* Appends the audit entry tz_store_audit would insert (the same time,
 * address and request) as a line for tzs_audit_copy_sql. Returns 0 or -1
 * (out of memory, or a clock outside struct tm). */
int tzs_audit_copy_line(tz_store *s, tz_bufw *out, const char *actor, const char *action,
                        const char *ledger, const char *row_key, const char *detail);
/* Runs sql (COPY ... FROM STDIN) with data as its input, on a backend that
 * has COPY (PostgreSQL). Returns 0 or -1 (s's errmsg says). */
int tzs_copy_in(tz_store *s, const char *sql, const tz_buf *data);

/* ---- access (access.c) ------------------------------------------------------ */

/* The value of link k of row vals: the row's own column, or the via
 * ledger's column of the row it references (looked up through *st,
 * prepared at first use; the caller frees it). Returns 1 with out filled,
 * 0 when the value is empty, 2 when the referenced row does not exist, -1
 * on a database error. Scope (tzs_access_row) and 审核 locks (lock.c) both
 * read where a row belongs through it. */
int tzs_link_value(tz_store *s, const tz_ledger *l, const tz_row_link *k, const tz_value *vals,
                   tz_stmt **st, char *out, size_t sz);

/* Whether canonical row vals of l is inside a for writing (reading = 0)
 * or reading (1). via caches the lookup statements of the links (two
 * slots, zeroed at first; the caller frees them). Returns 1 inside, 0
 * outside, 2 when a link's referenced row does not exist (outside too; the
 * reference check says why), -1 on a database error. *col gets the header
 * of the link's column and val the region code or unit name that decided
 * (for the diag). */
int tzs_access_row(tz_store *s, const tz_ledger *l, const tz_access *a, int reading,
                   const tz_value *vals, tz_stmt *via[2], const char **col, char *val,
                   size_t valsz);
/* tz_access_sql; with scan = 1 the row's own column is written as an
 * expression no index answers, so that a query ordered by the key walks the
 * table in key order and stops at its LIMIT instead of sorting every row of
 * a large scope found through the region index. */
int tzs_access_sql(const tz_ledger *l, const tz_access *a, const char *alias, int reading, int scan,
                   tz_buf *sql);
/* The scope as people name it: a region's names from the county down
 * ("鹿邑县宋河镇"), or the unit's name; the code when it is not stored.
 * Returns 0 or -1 on a database error. */
int tzs_access_name(tz_store *s, const tz_access *a, char *out, size_t sz);

#endif
