/* web.h - the server: accounts, sessions, 上报审核 and the HTTP API.
 *
 * Owns: accounts and their roles and scopes (account.c), passwords
 * (argon2id), sessions, CSRF tokens and login limits kept in the database
 * (session.c), the 上报审核 workflow (workflow.c), and `taizhang serve`: the
 * libmicrohttpd server, its routes and their handlers (server.c, routes.c,
 * api_*.c; internals in web_impl.h). The JSON form of each result is
 * views.h's, shared with the CLI's --json.
 *
 * Does not own: what a row may hold (ledger/), how rows are read and
 * written, scoped and locked (store/), figures (metrics/), reports
 * (report/).
 */
#ifndef TZ_WEB_H
#define TZ_WEB_H
#include "ledger/ledger.h"
#include "store/store.h"
#include "util/diag.h"
#include <stddef.h>

/* ---- accounts (account.c) ------------------------------------------------ */

typedef enum tz_role {
    TZ_ROLE_ADMIN = 0,    /* 管理员: everything in its scope, including accounts below it */
    TZ_ROLE_REVIEWER = 1, /* 审核: read its scope; approve or return submissions from below */
    TZ_ROLE_CLERK = 2,    /* 填报: read and write ledger rows in its scope; import; submit */
    TZ_ROLE_VIEWER = 3    /* 查看: read its scope; ID numbers masked */
} tz_role;

/* 管理员/审核/填报/查看. */
const char *tz_role_word(tz_role r);
/* The role named by its Chinese word. Returns 0, or -1 when unknown. */
int tz_role_parse(const char *word, tz_role *r);

typedef struct tz_account {
    char name[64];        /* login name */
    tz_role role;         /* role */
    tz_access access;     /* scope: a region and everything under it, or one unit */
    char scope_name[256]; /* the region's name ("鹿邑县") or the unit's name */
    tz_level level;       /* the region's level; TZ_LEVEL_NONE for a unit scope */
    int disabled;         /* 1 when disabled (cannot log in; sessions end) */
} tz_account;

/* 1 when outer's scope contains inner's: a region contains the regions
 * under it and the units whose 所属区划代码 is under it; a unit contains
 * only itself. Returns 1, 0, or -1 on a database error. */
int tz_access_contains(tz_store *s, const tz_access *outer, const tz_access *inner);

/* Resolves a scope given as a region (code or exact name) or a unit name
 * (exactly one of the two non-NULL) into *a (and the display name and
 * level). Returns 0, 1 when it names nothing (Chinese diag naming 区划 or
 * 单位), -1 on a database error. */
int tz_access_resolve(tz_store *s, const char *region, const char *unit, tz_access *a, char *name,
                      size_t namesz, tz_level *level, tz_diags *d);

/* Adds an account: name (1-63 characters, no spaces or control
 * characters), a role word, a scope (region or unit), a password of at least
 * 8 characters, hashed with argon2id and a per-user salt. by is the
 * administrator adding it (NULL from the CLI): it must be 管理员 and the new
 * scope inside its own. Audited. Returns 0, 1 when refused (Chinese diag
 * naming the field), -1 on a database error. */
int tz_account_add(tz_store *s, const char *name, const char *role, const char *region,
                   const char *unit, const char *password, const tz_account *by, tz_diags *d);
/* Sets a new password (and ends the account's sessions). Same returns. */
int tz_account_passwd(tz_store *s, const char *name, const char *password, const tz_account *by,
                      tz_diags *d);
/* Disables an account and ends its sessions. Same returns. */
int tz_account_disable(tz_store *s, const char *name, const tz_account *by, tz_diags *d);
/* Reads an account. Returns 1 found, 0 not, -1 on a database error. */
int tz_account_get(tz_store *s, const char *name, tz_account *out);
/* Calls cb for every account inside by's scope (all when by is NULL), by
 * name. Returns 0, or -1 on a database error (diag). */
typedef int (*tz_account_cb)(void *ctx, const tz_account *a);
int tz_account_list(tz_store *s, const tz_account *by, tz_account_cb cb, void *ctx, tz_diags *d);
struct json_t;
/* An account as the API and `user list --json` show it (never its hash):
 * {"user","role","scope":{"kind":"region","code","name","level"} or
 * {"kind":"unit","unit","name","level":"单位"},"disabled"}. A new reference,
 * or NULL when out of memory. */
struct json_t *tz_account_json(const tz_account *a);

/* ---- sessions (session.c) ------------------------------------------------ */

#define TZ_SESSION_TTL (8LL * 3600) /* seconds a session lives after login */
#define TZ_LOGIN_MAX_FAILS_USER 5   /* failed logins per account ... */
#define TZ_LOGIN_MAX_FAILS_ADDR 20  /* ... and per address ... */
#define TZ_LOGIN_WINDOW 900         /* ... within this many seconds, then refused */

typedef struct tz_session {
    char token[65];    /* the cookie's value: 32 random bytes in hex (only at login) */
    char csrf[65];     /* the CSRF token writes must send in X-CSRF-Token */
    tz_account acct;   /* who */
    long long expires; /* Unix seconds */
} tz_session;

typedef enum tz_login_result {
    TZ_LOGIN_OK = 0,      /* *out filled, session stored */
    TZ_LOGIN_BAD = 1,     /* wrong name or password, or disabled (the same answer) */
    TZ_LOGIN_LIMITED = 2, /* too many failures for the account or the address */
    TZ_LOGIN_ERROR = -1   /* database failure (diag) */
} tz_login_result;

/* Checks a password (argon2id), counts failures per account and address in
 * the database, and on success stores a new session. Audited. */
tz_login_result tz_login(tz_store *s, const char *name, const char *password, const char *addr,
                         tz_session *out, tz_diags *d);
/* The live session of a cookie token. Returns 1 (out filled, token not),
 * 0 when there is none (unknown, expired, account disabled), -1 on error. */
int tz_session_get(tz_store *s, const char *token, tz_session *out);
/* Ends a session (logout). Returns 0 or -1. */
int tz_session_end(tz_store *s, const char *token);

/* ---- the server (server.c) ----------------------------------------------- */

typedef struct tz_serve_opts {
    const char *db;        /* database: SQLite path or postgresql:// URI */
    const char *listen;    /* "127.0.0.1:8080" (host:port; [v6]:port) */
    unsigned threads;      /* worker threads (0: 2 x cores, at least 4) */
    int quiet;             /* 1: no request log on stderr */
    const char *templates; /* folder of the report templates (<home>/templates) */
} tz_serve_opts;

/* Serves until SIGTERM or SIGINT, then finishes the requests in flight.
 * Prints "台账服务已启动: http://ADDR:PORT/" on stdout once listening
 * (port 0 in listen: a free port, the one printed). Returns 0, 1 with a
 * Chinese diag when listen is not host:port, or -1 with one (address in
 * use, database). */
int tz_serve(const tz_serve_opts *o, tz_diags *d);

#endif
