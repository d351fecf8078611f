/* backend.h - internal: the operations each storage backend implements. */
#ifndef TZ_STORE_BACKEND_H
#define TZ_STORE_BACKEND_H
#include "store/store.h"

typedef struct tz_store_ops {
    const char *name;                                            /* "SQLite" or "PostgreSQL" */
    int (*exec)(tz_store *s, const char *sql);                   /* run SQL, no results */
    int (*prepare)(tz_store *s, const char *sql, tz_stmt **out); /* compile one statement */
    void (*close)(tz_store *s);                                  /* release the connection */
    int (*tx_alive)(const tz_store *s);                          /* transaction still open */
    /* runs `sql` (a COPY ... FROM STDIN) with data (len bytes, COPY text
     * format) as its input; NULL on a backend without COPY (SQLite) */
    int (*copy_in)(tz_store *s, const char *sql, const char *data, size_t len);
    /* opens tz_store_reader's connection: 1 opened, 0 none to have, -1
     * failed; NULL on a backend that has none (PostgreSQL) */
    int (*open_reader)(tz_store *s, tz_store **out);
} tz_store_ops;

typedef struct tz_stmt_ops {
    int (*bind_text)(tz_stmt *st, int i, const char *v); /* bind text (copied) */
    int (*bind_int)(tz_stmt *st, int i, long long v);    /* bind integer */
    int (*bind_double)(tz_stmt *st, int i, double v);    /* bind real */
    int (*bind_null)(tz_stmt *st, int i);                /* bind NULL */
    int (*step)(tz_stmt *st);                            /* 1 row, 0 done, -1 error */
    int (*ncols)(tz_stmt *st);                           /* result columns */
    int (*is_null)(tz_stmt *st, int col);                /* current row's column is NULL */
    const char *(*text)(tz_stmt *st, int col);           /* column as text */
    tz_sqlkind (*kind)(tz_stmt *st, int col);            /* the current value's kind */
    double (*real)(tz_stmt *st, int col);                /* a TZ_SQL_REAL value, exactly */
    int (*reset)(tz_stmt *st);                           /* rerun with same bindings */
    void (*free)(tz_stmt *st);                           /* finalize */
} tz_stmt_ops;

struct tz_store {
    const tz_store_ops *ops;     /* backend operations */
    tz_backend backend;          /* which backend */
    void *impl;                  /* backend connection (sqlite3* or PGconn*) */
    char errmsg[512];            /* last error text */
    int in_tx;                   /* 1 inside a transaction */
    int in_read;                 /* 1 inside a read snapshot (tz_store_read_begin) */
    int read_only;               /* 1 when the database cannot be written (read-only file) */
    tz_store_err errkind;        /* kind of the last error */
    unsigned char audit_key[32]; /* tz_meta 'audit_key', once loaded */
    int have_audit_key;          /* 1 when audit_key is loaded */
    char origin_addr[64];        /* tz_store_set_origin: the client's address, or "" */
    char origin_request[320];    /* tz_store_set_origin: "POST /api/...", or "" */
    tz_stmt *st_audit;           /* the audit INSERT, prepared at first use, freed on close */
    void *state;                 /* the backend's own state of the connection (its statements
                                    kept for reuse; pg.c: a COPY still running), or NULL */
    tz_store *reader;            /* tz_store_reader's connection, kept until s closes, or NULL */
    long long audit_sec;         /* the second audit_ts was formatted for */
    char audit_ts[32];           /* that second as "YYYY-MM-DD HH:MM:SS", or "" */
};

struct tz_stmt {
    const tz_stmt_ops *ops; /* backend statement operations */
    tz_store *store;        /* owning store */
};

int tz_sqlite_open(const char *path, unsigned flags, tz_store **out, tz_diags *d);
int tz_pg_open(const char *conninfo, unsigned flags, tz_store **out, tz_diags *d);
/* "file:PATH?immutable=1" (PATH escaped) for sqlite3_open_v2 with
 * SQLITE_OPEN_URI: reads a file nobody writes without locks or -shm.
 * Caller frees; NULL when out of memory. */
char *tz_sqlite_immutable_uri(const char *path);
/* Creates or upgrades the schema. Returns 0 or -1 with a diag. */
int tz_schema_migrate(tz_store *s, unsigned flags, tz_diags *d);

#endif
