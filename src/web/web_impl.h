/* web_impl.h - internal to src/web/: requests, responses, routes, handlers.
 *
 * A request comes in on a libmicrohttpd worker thread (server.c), its body
 * read within the route's size limit, its session looked up (cookie
 * tz_session), the CSRF token checked on every write, then the route's
 * handler runs with one database connection of this process's pool. The
 * handler fills a tz_resp; server.c sends it with the security headers.
 *
 * Handlers check the session's role (tz_req_allow) and scope (tz_req_scope,
 * tz_access_contains, store's tz_access) themselves, on the server, for
 * every region, unit or key asked for by a filter, a key or a body: out of
 * scope is 403 with no data.
 */
#ifndef TZ_WEB_IMPL_H
#define TZ_WEB_IMPL_H
#include "web/views.h"
#include "web/web.h"
#include <jansson.h>
#include <stddef.h>

struct MHD_Connection;

#define TZ_BODY_MAX ((size_t)64 * 1024)          /* request body limit, except imports */
#define TZ_IMPORT_MAX ((size_t)50 * 1024 * 1024) /* import body limit */

typedef struct tz_req {
    const char *method;          /* "GET", "POST", "DELETE" */
    const char *path;            /* URL path, percent-decoded ("/api/ledgers/households/rows") */
    const char *arg[2];          /* the route's {} parts in order ({ledger}, {key}/{id}) */
    struct MHD_Connection *conn; /* for query arguments and headers */
    const char *body;            /* request body (NUL-terminated copy), or "" */
    size_t body_len;             /* its length in bytes */
    const char *addr;            /* the client's address, "127.0.0.1" */
    tz_store *s;                 /* this request's database connection */
    const tz_session *sess;      /* the caller's session; NULL only on public routes */
} tz_req;

/* A query argument ("region" of ?region=...), decoded, or NULL. */
const char *tz_req_query(const tz_req *rq, const char *name);
/* A request header, or NULL. */
const char *tz_req_header(const tz_req *rq, const char *name);
/* Parses the body as a JSON object. Returns it (caller decrefs), or NULL
 * after filling rs with 400 {"error": "请求内容不是JSON对象..."}. */
struct tz_resp;
json_t *tz_req_json(const tz_req *rq, struct tz_resp *rs);

typedef struct tz_resp {
    int status;         /* HTTP status */
    json_t *json;       /* body as JSON (owned; sent compact, UTF-8), or NULL */
    char *bytes;        /* raw body (owned, malloc'd) when json is NULL */
    size_t len;         /* its length */
    const char *type;   /* content type of bytes ("application/vnd...docx") */
    char filename[256]; /* attachment file name (UTF-8; sent RFC 5987-encoded), or "" */
    char cookie[320];   /* a Set-Cookie value, or "" */
} tz_resp;

/* Sets a JSON response (takes the reference of j). Returns 0. */
int tz_resp_json(tz_resp *rs, int status, json_t *j);
/* Sets an error response {"error": <Chinese message>, "details": [...]}:
 * details are tz_view_diags(d) (or [] when d is NULL). Returns 0. */
int tz_resp_error(tz_resp *rs, int status, const tz_diags *d, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Frees what rs holds (safe when empty). */
void tz_resp_clear(tz_resp *rs);

/* The report templates folder this server was started with
 * (tz_serve_opts.templates; server.c). */
const char *tz_serve_templates(void);

/* ---- access checks (guard.c) ---------------------------------------------- */

typedef enum tz_perm {
    TZ_PERM_READ = 0,   /* read rows, checks, indicators, reports, audit: every role */
    TZ_PERM_WRITE = 1,  /* add, change, delete rows; import: 管理员, 填报 */
    TZ_PERM_SUBMIT = 2, /* 上报: 管理员, 填报 */
    TZ_PERM_REVIEW = 3, /* approve, return, reopen: 管理员, 审核 (of the level above) */
    TZ_PERM_ADMIN = 4,  /* accounts: 管理员 */
    TZ_PERM_UNMASK = 5  /* full ID numbers: every role but 查看 */
} tz_perm;

/* 1 when the session's role has p. */
int tz_role_can(tz_role r, tz_perm p);
/* Returns 0 when the caller's role has p, else fills rs with 403
 * {"error": "当前账户(查看)无权..."} and returns -1. */
int tz_req_allow(const tz_req *rq, tz_resp *rs, tz_perm p);
/* Resolves the region/unit/period query arguments (each may be NULL:
 * region and unit default to the session's own scope, the period to the
 * latest year with data) into *o, and checks the scope is inside the
 * session's: 400 for a wrong value, 403 when outside. Returns 0, or -1 with
 * rs filled. */
int tz_req_scope(const tz_req *rq, tz_resp *rs, const char *region, const char *unit,
                 const char *period, tz_view_scope *o);
/* The ledger named by id or Chinese name, or NULL after a 404 in rs. */
const tz_ledger *tz_req_ledger(const tz_req *rq, tz_resp *rs, const char *name);

/* The where= arguments of a rows listing or export, each "列=值", and its
 * key= arguments (text keys: the rows of these keys only). */
#define TZ_ROWS_MAX_WHERE 16 /* where= filters one request may give */
typedef struct tz_where_args {
    tz_filter f[TZ_ROWS_MAX_WHERE]; /* filters (pointing into names/values) */
    char *names[TZ_ROWS_MAX_WHERE]; /* each filter's column (owned) */
    size_t n;                       /* filters */
    int bad;                        /* 1: one without '=', 2: too many, 3: out of memory */
    const char **keys;              /* the key= values (the request's own strings) */
    size_t nkeys, kcap;             /* keys, and room */
} tz_where_args;
/* Reads the where= arguments into *w (zeroed by the caller) and checks that
 * none names a region or unit outside the caller's scope (api_rows.c).
 * Returns 0, or -1 with rs filled (400, 403); free w either way. */
int tz_req_where(const tz_req *rq, tz_resp *rs, const tz_ledger *l, tz_where_args *w);
void tz_where_args_free(tz_where_args *w);

/* ---- handlers, one file per area ------------------------------------------
 * Each fills rs and returns 0. server.c's route table (routes.c) maps
 * method + path pattern to one of them. */
typedef int (*tz_handler)(tz_req *rq, tz_resp *rs);

/* One route (routes.c's table, one line each; each helper adds its own):
 * a method, a path pattern where "{}" matches one path segment and "{*}"
 * the rest of the path (a row key may hold '/'), the handler and flags.
 * Every POST and DELETE needs the session's CSRF token in X-CSRF-Token,
 * except TZ_ROUTE_PUBLIC ones. */
enum {
    TZ_ROUTE_PUBLIC = 1, /* no session needed (login) */
    TZ_ROUTE_IMPORT = 2  /* body up to TZ_IMPORT_MAX (else TZ_BODY_MAX) */
};
typedef struct tz_route {
    const char *method;  /* "GET", "POST", "DELETE" */
    const char *pattern; /* "/api/ledgers/{}/rows/{*}" */
    tz_handler handler;  /* the handler */
    unsigned flags;      /* TZ_ROUTE_* */
} tz_route;
/* The table, ended by {NULL}. */
extern const tz_route tz_routes[];

/* api_auth.c */
int tz_api_login(tz_req *rq, tz_resp *rs);  /* POST /api/login (public) */
int tz_api_logout(tz_req *rq, tz_resp *rs); /* POST /api/logout */
int tz_api_me(tz_req *rq, tz_resp *rs);     /* GET /api/me */

/* api_data.c: read-only views */
int tz_api_ledgers(tz_req *rq, tz_resp *rs);   /* GET /api/ledgers */
int tz_api_check(tz_req *rq, tz_resp *rs);     /* GET /api/check */
int tz_api_indicator(tz_req *rq, tz_resp *rs); /* GET /api/indicators/{name} */
int tz_api_report(tz_req *rq, tz_resp *rs);    /* GET /api/report */
int tz_api_audit(tz_req *rq, tz_resp *rs);     /* GET /api/audit */

/* What a report request asks for, checked (api_data.c). */
struct tz_template;
struct tz_report_format;
typedef struct tz_report_ask {
    const char *kind;                 /* kind= */
    const char *unit;                 /* unit=, or NULL */
    const struct tz_report_format *f; /* format= (api_data.c's table) */
    tz_view_scope o;                  /* the region (inside the caller's scope) and period */
} tz_report_ask;
/* Reads and checks kind=, region= (default the caller's), unit=, period=
 * and format= of a report request into *a. Returns 0, or -1 with rs filled. */
int tz_req_report_ask(tz_req *rq, tz_resp *rs, tz_report_ask *a);
/* The installed template of kind (its file into path, its declaration into
 * *decl, caller frees). Returns 0, or -1 with rs filled (400 no such kind). */
int tz_req_report_template(tz_resp *rs, const char *kind, char *path, size_t sz,
                           struct tz_template **decl);
struct tz_draft_opts;
/* A report request made ready to draft: the role (read), the request
 * (tz_req_report_ask into *a), the template (its file into path, its
 * declaration into *decl, caller frees) and the scope the template needs
 * checked; *o zeroed and filled with template, region, unit and period.
 * Returns 0, or -1 with rs filled. */
int tz_req_report_prepare(tz_req *rq, tz_resp *rs, tz_report_ask *a, struct tz_template **decl,
                          char *path, size_t sz, struct tz_draft_opts *o);

/* api_pages.c: what the pages need */
int tz_api_regions(tz_req *rq, tz_resp *rs);   /* GET /api/regions */
int tz_api_dashboard(tz_req *rq, tz_resp *rs); /* GET /api/dashboard */
int tz_api_deadlines(tz_req *rq, tz_resp *rs); /* GET /api/deadlines */

/* api_rows.c: ledger rows */
int tz_api_rows_list(tz_req *rq, tz_resp *rs);       /* GET /api/ledgers/{ledger}/rows */
int tz_api_rows_get(tz_req *rq, tz_resp *rs);        /* GET /api/ledgers/{ledger}/rows/{key} */
int tz_api_rows_put(tz_req *rq, tz_resp *rs);        /* POST /api/ledgers/{ledger}/rows */
int tz_api_rows_delete(tz_req *rq, tz_resp *rs);     /* DELETE /api/ledgers/{ledger}/rows/{key} */
int tz_api_import(tz_req *rq, tz_resp *rs);          /* POST /api/ledgers/{ledger}/import */
int tz_api_import_progress(tz_req *rq, tz_resp *rs); /* GET /api/imports/{id} */

/* api_files.c: ledger downloads */
int tz_api_ledger_template(tz_req *rq, tz_resp *rs); /* GET /api/ledgers/{ledger}/template */
int tz_api_ledger_export(tz_req *rq, tz_resp *rs);   /* GET /api/ledgers/{ledger}/export */
#define TZ_FAILED_ROWS_MAX 1000000                   /* errors an import with failed=xlsx keeps */
/* The answer of an import dry run with failed=xlsx: the file at path (the
 * upload, named name) with the header the import found (res) and every data
 * row of every sheet that has an error in d, all cells as read (after the
 * sheet's name when there are several) plus a last column 错误原因, as an
 * xlsx download
 * "<name>-错误行.xlsx" in rs. Returns 0 with rs filled (the xlsx, or a 500),
 * or 1 when no error of d names a data row (rs untouched). */
int tz_api_failed_rows(tz_resp *rs, const char *path, const char *name, const tz_import_result *res,
                       const tz_diags *d);

/* api_report.c: the 报告 page */
int tz_api_report_kinds(tz_req *rq, tz_resp *rs); /* GET /api/report/kinds */
int tz_api_report_draft(tz_req *rq, tz_resp *rs); /* GET /api/report/draft */

/* api_submissions.c: 上报审核 */
int tz_api_submit(tz_req *rq, tz_resp *rs);      /* POST /api/submissions */
int tz_api_approve(tz_req *rq, tz_resp *rs);     /* POST /api/submissions/{id}/approve */
int tz_api_return(tz_req *rq, tz_resp *rs);      /* POST /api/submissions/{id}/return */
int tz_api_reopen(tz_req *rq, tz_resp *rs);      /* POST /api/submissions/{id}/reopen */
int tz_api_submissions(tz_req *rq, tz_resp *rs); /* GET /api/submissions */

/* api_users.c: accounts below an administrator */
int tz_api_users(tz_req *rq, tz_resp *rs);         /* GET /api/users */
int tz_api_user_add(tz_req *rq, tz_resp *rs);      /* POST /api/users */
int tz_api_user_disable(tz_req *rq, tz_resp *rs);  /* POST /api/users/{name}/disable */
int tz_api_user_enable(tz_req *rq, tz_resp *rs);   /* POST /api/users/{name}/enable */
int tz_api_user_password(tz_req *rq, tz_resp *rs); /* POST /api/users/{name}/password */

/* ---- the web app embedded in the binary (static.c) ------------------------
 * Every file of the built front end (web/dist), generated at build time by
 * web/embed.mjs into $(BUILD)/gen/web_assets.c: never committed. */
typedef struct tz_web_asset {
    const char *path; /* URL path: "/index.html", "/assets/index-4f2a9c.js" */
    const char *type; /* Content-Type ("text/javascript; charset=utf-8") */
    const char *etag; /* ETag of the raw bytes, quoted ("\"9f86d081884c7d659a2f\"") */
    size_t off;       /* where its stored bytes start in tz_web_blob */
    size_t len;       /* how many bytes are stored */
    size_t raw_len;   /* its size as served uncompressed */
    int gzip;         /* 1: stored gzip-compressed; 0: as is (gzip would not shrink it) */
} tz_web_asset;
extern const unsigned char tz_web_blob[];  /* the stored bytes of every asset */
extern const size_t tz_web_blob_len;       /* their total */
extern const tz_web_asset tz_web_assets[]; /* sorted by path (strcmp) */
extern const size_t tz_web_nassets;        /* how many */

struct MHD_Response;
/* The embedded file at exactly path, or NULL. */
const tz_web_asset *tz_web_asset_find(const char *path);
/* 1 when an Accept-Encoding value (NULL: none sent) lets us send gzip. */
int tz_web_accepts_gzip(const char *accept_encoding);
/* The answer to GET or HEAD of a path outside /api/: the embedded file of
 * that path (under /assets/ cached a year, immutable; others no-cache);
 * for any other path that could be a page of the app's router,
 * index.html (no-cache); else a Chinese 404. gzip when the request allows
 * it, inflated otherwise; 304 when If-None-Match names its ETag. Returns a
 * response with its status in *status (the caller adds the common headers,
 * queues and destroys it), or NULL when out of memory. */
struct MHD_Response *tz_web_static(struct MHD_Connection *conn, const char *path, unsigned *status);

#endif
