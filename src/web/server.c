/* server.c - `taizhang serve`: the HTTP server on libmicrohttpd.
 *
 * Owns: the listening socket (--listen host:port, [v6]:port), the
 * libmicrohttpd daemon (internal polling thread pool), the pool of database
 * connections (one per worker thread; nothing several serve processes must
 * share is kept here: sessions and locks live in the database), the path of
 * one request (route, body size limit, session, CSRF token, handler,
 * response with the security headers), the request log on stderr, and the
 * clean stop on SIGTERM/SIGINT (stop accepting, finish the requests in
 * flight, close the pool).
 *
 * Does not own: the routes (routes.c), access checks (guard.c), requests'
 * arguments and responses (http.c), sessions (session.c), the handlers
 * (api_*.c), the web app's files (static.c: every path outside /api/,
 * GET or HEAD, no session).
 *
 * A request's first call (headers only) checks, in this order, the route
 * (404, 405), the header size (431) and Content-Length against the route's
 * limit (413: so an oversized body is refused before anything else is
 * looked up), the session cookie (401) and, for POST and DELETE, the CSRF
 * token (403). The body is then read within the limit (413 as soon as it
 * passes), and the last call runs the handler with one pooled connection.
 */
#include "web/mhd.h"
#include "web/web_impl.h"
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SERVE_HEADERS_MAX ((size_t)32 * 1024)  /* request line and headers we accept (else 431) */
#define SERVE_CONN_MEMORY ((size_t)128 * 1024) /* libmicrohttpd's memory per connection */
#define SERVE_CONN_TIMEOUT 30                  /* seconds an idle connection stays open */
#define SERVE_CONN_LIMIT 1000                  /* connections at once */
#define SERVE_BACKLOG 511                      /* listen(2) backlog */
#define SERVE_DRAIN_SECONDS 300                /* longest wait for requests in flight at a stop */
#define SERVE_LOG_PATH 300               /* bytes of a path the log and the audit origin keep */
#define SERVE_CSRF_HEADER "X-CSRF-Token" /* the header a write sends its token in */
#define SERVE_COOKIE "tz_session"        /* the session cookie */
#define SERVE_HEADERS_TOO_BIG "请求头过大(请求行和请求头合计不能超过32KB)"

/* The headers every response carries. Styles may be inline (ECharts
 * writes its tooltips as HTML with style attributes; docs/decisions.md);
 * scripts never. */
static const char *const _security_headers[][2] = {
    {"Content-Security-Policy",
     "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
     "img-src 'self' data:; "
     "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"},
    {"X-Frame-Options", "DENY"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
};

/* The report templates folder (tz_serve_opts.templates), set once before
 * the daemon starts. */
static const char *_templates = "templates";

const char *tz_serve_templates(void)
{
    return _templates;
}

/* The server: the daemon, the connection pool and the requests in flight. */
typedef struct srv {
    struct MHD_Daemon *daemon; /* libmicrohttpd */
    tz_store **pool;           /* one connection per worker thread */
    unsigned char *busy;       /* 1 while pool[i] is lent out */
    size_t npool;              /* size of the pool */
    pthread_mutex_t mu;        /* guards busy, inflight */
    pthread_cond_t cv;         /* signalled when a connection is given back or a request ends */
    size_t inflight;           /* requests begun and not yet completed */
    atomic_int stopping;       /* 1 once SIGTERM/SIGINT came: responses close their connection */
    int quiet;                 /* 1: no request log */
} srv;

/* One request, from its headers to its completion (libmicrohttpd's
 * con_cls). */
typedef struct srv_req {
    const tz_route *route; /* the matched route, or NULL */
    char *argbuf;          /* the route's {} parts, NUL-separated (arg points into it) */
    const char *arg[2];    /* the {} parts */
    char *path;            /* the decoded path (copy) */
    char logpath[SERVE_LOG_PATH + 16]; /* path as logged: ID numbers masked, controls escaped */
    char method[16];                   /* the method (for the log) */
    char addr[64];                     /* the client's address */
    tz_session sess;                   /* the caller's session (when has_sess) */
    int has_sess;                      /* 1 when sess is filled */
    char *body;                        /* body read so far (NUL-terminated), or NULL */
    size_t len;                        /* its length */
    size_t cap;                        /* allocated */
    size_t limit;                      /* the route's body limit */
    int over;                          /* 1 once the body passed the limit (413 at its end) */
    size_t dropped;                    /* bytes dropped after that */
    int responded;                     /* 1 once a response is queued */
    int status;                        /* its status, for the log */
    struct timespec t0;                /* when the headers came */
} srv_req;

/* ---- the connection pool ---------------------------------------------------- */

static int _pool_open(srv *sv, const char *db, size_t n, tz_diags *d)
{
    sv->pool = calloc(n, sizeof *sv->pool); // NOLINT(bugprone-sizeof-expression): pointers
    sv->busy = calloc(n, 1);
    if (!sv->pool || !sv->busy) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "内存不足,无法启动服务");
        return -1;
    }
    sv->npool = n;
    for (size_t i = 0; i < n; i++)
        if (tz_store_open(db, 0, &sv->pool[i], d))
            return -1;
    return 0;
}

static void _pool_close(srv *sv)
{
    for (size_t i = 0; sv->pool && i < sv->npool; i++)
        tz_store_close(sv->pool[i]);
    free(sv->pool);
    free(sv->busy);
    sv->pool = NULL;
    sv->busy = NULL;
}

/* Lends a connection (waits while all are out: never longer than one
 * request, since each worker thread holds at most one). */
static tz_store *_pool_take(srv *sv)
{
    pthread_mutex_lock(&sv->mu);
    for (;;) {
        for (size_t i = 0; i < sv->npool; i++)
            if (!sv->busy[i]) {
                sv->busy[i] = 1;
                pthread_mutex_unlock(&sv->mu);
                return sv->pool[i];
            }
        pthread_cond_wait(&sv->cv, &sv->mu);
    }
}

static void _pool_give(srv *sv, const tz_store *s)
{
    pthread_mutex_lock(&sv->mu);
    for (size_t i = 0; i < sv->npool; i++)
        if (sv->pool[i] == s)
            sv->busy[i] = 0;
    pthread_cond_broadcast(&sv->cv);
    pthread_mutex_unlock(&sv->mu);
}

/* ---- the request log ----------------------------------------------------------- */

/* The path as the log and the audit log's origin keep it: every ID number
 * masked (a row key may be one), control bytes as \xNN, cut at
 * SERVE_LOG_PATH bytes. The query string is never part of it. */
static void _log_path(const char *path, char *out, size_t sz)
{
    size_t k = 0;
    for (const unsigned char *p = (const unsigned char *)path; *p && k + 5 < sz; p++) {
        if (k >= SERVE_LOG_PATH) {
            memcpy(out + k, "...", 3);
            k += 3;
            break;
        }
        if (*p < 0x20 || *p == 0x7f || *p == '\\')
            k += (size_t)snprintf(out + k, sz - k, "\\x%02x", *p);
        else
            out[k++] = (char)*p;
    }
    out[k] = '\0';
    tz_diag_mask_ids(out);
}

static void _log_request(const srv *sv, const srv_req *q)
{
    if (sv->quiet)
        return;
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (long)((t1.tv_sec - q->t0.tv_sec) * 1000 + (t1.tv_nsec - q->t0.tv_nsec) / 1000000);
    char when[32];
    time_t now = time(NULL);
    struct tm tmv;
    if (!gmtime_r(&now, &tmv) || !strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tmv))
        snprintf(when, sizeof when, "-");
    /* one call: stdio keeps the line whole among threads */
    fprintf(stderr, "%s %s %s %s %d %ldms\n", when, q->addr, q->method, q->logpath, q->status, ms);
}

/* ---- responses ------------------------------------------------------------------ */

/* Appends c to b percent-encoded as RFC 5987 attr-char wants. */
static void _rfc5987(tz_buf *b, const char *s)
{
    static const char keep[] = "!#$&+-.^_`|~";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr(keep, *p))
            tz_buf_putc(b, (char)*p);
        else
            tz_buf_printf(b, "%%%02X", *p);
    }
}

/* Sets Content-Disposition: attachment with the name both as plain ASCII
 * (a fallback of its extension) and as filename*=UTF-8''... Returns 0 or
 * -1. */
static int _disposition(struct MHD_Response *r, const char *name)
{
    tz_buf b = TZ_BUF_INIT;
    const char *dot = strrchr(name, '.');
    tz_buf_puts(&b, "attachment; filename=\"download");
    if (dot && strspn(dot + 1, "abcdefghijklmnopqrstuvwxyz") == strlen(dot + 1))
        tz_buf_puts(&b, dot);
    tz_buf_puts(&b, "\"; filename*=UTF-8''");
    _rfc5987(&b, name);
    int rc = b.data
                 ? (MHD_add_response_header(r, "Content-Disposition", b.data) == MHD_YES ? 0 : -1)
                 : -1;
    tz_buf_free(&b);
    return rc;
}

/* 1 when path is the API's (/api, /api/...); every other path is the web
 * app's (static.c). */
static int _is_api(const char *path)
{
    return strncmp(path, "/api", 4) == 0 && (path[4] == '\0' || path[4] == '/');
}

/* Adds the headers every response gets, and Cache-Control on the API. */
static int _common_headers(const srv *sv, struct MHD_Response *r, const srv_req *q)
{
    for (size_t i = 0; i < sizeof _security_headers / sizeof _security_headers[0]; i++)
        if (MHD_add_response_header(r, _security_headers[i][0], _security_headers[i][1]) != MHD_YES)
            return -1;
    if (q->path && _is_api(q->path) &&
        MHD_add_response_header(r, "Cache-Control", "no-store") != MHD_YES)
        return -1;
    if (atomic_load(&sv->stopping) &&
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close") != MHD_YES)
        return -1;
    return 0;
}

/* The body of rs as bytes to send (malloc'd; *len), and its type. A
 * response a handler left empty, or whose JSON cannot be written, becomes
 * a 500 error. */
static char *_body(tz_resp *rs, size_t *len, const char **type)
{
    char *body = NULL;
    if (rs->json) {
        body = json_dumps(rs->json, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
        *type = "application/json; charset=utf-8";
    } else if (rs->bytes) {
        body = rs->bytes;
        rs->bytes = NULL;
        *len = rs->len;
        *type = rs->type ? rs->type : "application/octet-stream";
        return body;
    }
    if (!body) {
        static const char oom[] = "{\"error\":\"服务器内部错误(内存不足或处理程序没有给出结果)\","
                                  "\"details\":[]}";
        body = strdup(oom);
        rs->status = 500;
        *type = "application/json; charset=utf-8";
        rs->filename[0] = '\0';
    }
    *len = body ? strlen(body) : 0;
    return body;
}

/* Masks every ID-number-shaped run in the string values of j, for a
 * caller whose role may not see full ID numbers: whatever a handler forgot,
 * the response never carries one. (Keys are column headers and field
 * names, never data.) */
static void _mask_json(json_t *j)
{
    if (json_is_object(j)) {
        for (void *it = json_object_iter(j); it; it = json_object_iter_next(j, it))
            _mask_json(json_object_iter_value(it));
    } else if (json_is_array(j)) {
        for (size_t i = 0; i < json_array_size(j); i++)
            _mask_json(json_array_get(j, i));
    } else if (json_is_string(j) && json_string_length(j) >= 18) {
        char *t = strdup(json_string_value(j));
        if (t) {
            tz_diag_mask_ids(t);
            json_string_set(j, t);
            free(t);
        }
    }
}

/* Sends rs on conn with the security headers. Returns libmicrohttpd's
 * answer (MHD_NO closes the connection). */
static enum MHD_Result _send(srv *sv, struct MHD_Connection *conn, srv_req *q, tz_resp *rs,
                             const char *allow)
{
    size_t len = 0;
    const char *type = NULL;
    if (rs->status < 100 || rs->status > 599)
        rs->status = 500;
    if (rs->json && q->has_sess && !tz_role_can(q->sess.acct.role, TZ_PERM_UNMASK))
        _mask_json(rs->json);
    char *body = _body(rs, &len, &type);
    if (!body)
        return MHD_NO;
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    enum MHD_Result ret = MHD_NO;
    if (_common_headers(sv, r, q) ||
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type) != MHD_YES ||
        (rs->filename[0] && _disposition(r, rs->filename)) ||
        (rs->cookie[0] &&
         MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, rs->cookie) != MHD_YES) ||
        (allow && MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow) != MHD_YES))
        goto done;
    ret = MHD_queue_response(conn, (unsigned)rs->status, r);
    if (ret == MHD_YES) {
        q->responded = 1;
        q->status = rs->status;
    }
done:
    MHD_destroy_response(r);
    return ret;
}

/* Sends an error response {"error": msg, "details": []}. */
static enum MHD_Result _send_error(srv *sv, struct MHD_Connection *conn, srv_req *q, int status,
                                   const char *allow, const char *msg)
{
    tz_resp rs;
    memset(&rs, 0, sizeof rs);
    tz_resp_error(&rs, status, NULL, "%s", msg);
    enum MHD_Result ret = _send(sv, conn, q, &rs, allow);
    tz_resp_clear(&rs);
    return ret;
}

/* ---- routing -------------------------------------------------------------------- */

/* Matches path against pattern; on a match the {} parts are copied,
 * NUL-separated, into buf (at least strlen(path) + 2 bytes) and arg points
 * at them. Returns 1 on a match, else 0. */
static int _match(const char *pat, const char *path, char *buf, const char **arg)
{
    size_t na = 0;
    while (*pat && *path) {
        if (*pat != '/' || *path != '/')
            return 0;
        pat++;
        path++;
        size_t plen = strcspn(pat, "/");
        size_t slen = strcspn(path, "/");
        if (plen == 3 && !strncmp(pat, "{*}", 3))
            slen = strlen(path);
        if (plen >= 2 && pat[0] == '{') {
            if (slen == 0 || na >= 2)
                return 0;
            memcpy(buf, path, slen);
            buf[slen] = '\0';
            arg[na++] = buf;
            buf += slen + 1;
        } else if (plen != slen || strncmp(pat, path, slen) != 0) {
            return 0;
        }
        pat += plen;
        path += slen;
    }
    return *pat == '\0' && *path == '\0';
}

/* Finds q's route for method. Returns 0, 404 when no pattern matches the
 * path, or 405 with the methods that would in allow. */
static int _route(srv_req *q, const char *method, char *allow, size_t allowsz)
{
    int seen = 0;
    allow[0] = '\0';
    for (const tz_route *r = tz_routes; r->method; r++) {
        const char *arg[2] = {NULL, NULL};
        if (!_match(r->pattern, q->path, q->argbuf, arg))
            continue;
        if (!strcmp(r->method, method)) {
            q->route = r;
            q->arg[0] = arg[0];
            q->arg[1] = arg[1];
            return 0;
        }
        if (!strstr(allow, r->method)) {
            size_t k = strlen(allow);
            snprintf(allow + k, allowsz - k, "%s%s", k ? ", " : "", r->method);
        }
        seen = 1;
    }
    return seen ? 405 : 404;
}

/* ---- one request -------------------------------------------------------------- */

/* Sums the request line and headers. */
static enum MHD_Result _count_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    size_t *n = cls;
    *n += strlen(key) + (value ? strlen(value) : 0) + 4;
    return MHD_YES;
}

/* 1 when a and b are the same non-empty token; the time taken does not
 * depend on where they differ. */
static int _token_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la == 0 || la != lb)
        return 0;
    unsigned char diff = 0;
    for (size_t i = 0; i < la; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

/* The client's numeric address into out. */
static void _client_addr(struct MHD_Connection *conn, char *out, size_t sz)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, sz, "-");
    if (!ci || !ci->client_addr)
        return;
    socklen_t len = ci->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                           : sizeof(struct sockaddr_in);
    if (getnameinfo(ci->client_addr, len, out, (socklen_t)sz, NULL, 0, NI_NUMERICHOST) != 0)
        snprintf(out, sz, "-");
}

/* Looks up the session of the cookie into q. Returns 0 (q->has_sess set
 * or not), or -1 on a database error. */
static int _session(srv *sv, struct MHD_Connection *conn, srv_req *q)
{
    const char *tok = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, SERVE_COOKIE);
    if (!tok || !*tok)
        return 0;
    tz_store *s = _pool_take(sv);
    int r = tz_session_get(s, tok, &q->sess);
    _pool_give(sv, s);
    if (r < 0)
        return -1;
    q->has_sess = r == 1;
    return 0;
}

/* The 413 message of q's limit. */
static const char *_too_big(const srv_req *q)
{
    return q->limit == TZ_IMPORT_MAX ? "请求内容过大(导入文件不能超过50MB)"
                                     : "请求内容过大(不能超过64KB)";
}

/* 1 when the request line and headers pass SERVE_HEADERS_MAX. */
static int _headers_too_big(struct MHD_Connection *conn, const srv_req *q, const char *url)
{
    size_t hdr = strlen(url) + strlen(q->method) + 16;
    MHD_get_connection_values(conn, MHD_HEADER_KIND, _count_header, &hdr);
    return hdr > SERVE_HEADERS_MAX;
}

/* A path outside /api/: the web app's files (static.c), GET or HEAD, no
 * session. Returns what sending the answer gave. */
static enum MHD_Result _static(srv *sv, struct MHD_Connection *conn, srv_req *q, const char *url)
{
    if (strcmp(q->method, "GET") != 0 && strcmp(q->method, "HEAD") != 0)
        return _send_error(sv, conn, q, 405, "GET, HEAD", "此地址不支持该请求方法");
    if (_headers_too_big(conn, q, url))
        return _send_error(sv, conn, q, 431, NULL, SERVE_HEADERS_TOO_BIG);
    unsigned status = 500;
    struct MHD_Response *r = tz_web_static(conn, q->path, &status);
    if (!r)
        return MHD_NO;
    enum MHD_Result ret = MHD_NO;
    if (_common_headers(sv, r, q) == 0)
        ret = MHD_queue_response(conn, status, r);
    if (ret == MHD_YES) {
        q->responded = 1;
        q->status = (int)status;
    }
    MHD_destroy_response(r);
    return ret;
}

/* The checks on a request's headers, before any body is read. Returns
 * MHD_YES with nothing sent when the request may go on (q->responded 0),
 * else what sending the refusal gave. */
static enum MHD_Result _admit(srv *sv, struct MHD_Connection *conn, srv_req *q, const char *url)
{
    char allow[64];
    if (!_is_api(q->path))
        return _static(sv, conn, q, url);
    int st = _route(q, q->method, allow, sizeof allow);
    if (st == 404)
        return _send_error(sv, conn, q, 404, NULL, "没有这个地址");
    if (st == 405)
        return _send_error(sv, conn, q, 405, allow, "此地址不支持该请求方法");
    if (_headers_too_big(conn, q, url))
        return _send_error(sv, conn, q, 431, NULL, SERVE_HEADERS_TOO_BIG);
    q->limit = (q->route->flags & TZ_ROUTE_IMPORT) ? TZ_IMPORT_MAX : TZ_BODY_MAX;
    const char *cl =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl && strtoull(cl, NULL, 10) > q->limit)
        return _send_error(sv, conn, q, 413, NULL, _too_big(q));
    if (q->route->flags & TZ_ROUTE_PUBLIC)
        return MHD_YES;
    if (_session(sv, conn, q))
        return _send_error(sv, conn, q, 500, NULL, "数据库错误,无法核对会话");
    if (!q->has_sess)
        return _send_error(sv, conn, q, 401, NULL, "未登录或会话已过期");
    if (strcmp(q->method, "GET") != 0) {
        const char *tok = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, SERVE_CSRF_HEADER);
        if (!tok || !_token_equal(tok, q->sess.csrf))
            return _send_error(sv, conn, q, 403, NULL,
                               "缺少或错误的CSRF令牌(请求头 " SERVE_CSRF_HEADER ")");
    }
    return MHD_YES;
}

/* Starts q for a request's first call. Returns NULL when out of memory. */
static srv_req *_begin(srv *sv, struct MHD_Connection *conn, const char *url, const char *method)
{
    srv_req *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    clock_gettime(CLOCK_MONOTONIC, &q->t0);
    q->path = strdup(url);
    q->argbuf = malloc(strlen(url) + 2);
    if (!q->path || !q->argbuf) {
        free(q->path);
        free(q->argbuf);
        free(q);
        return NULL;
    }
    snprintf(q->method, sizeof q->method, "%s", method);
    _log_path(url, q->logpath, sizeof q->logpath);
    _client_addr(conn, q->addr, sizeof q->addr);
    pthread_mutex_lock(&sv->mu);
    sv->inflight++;
    pthread_mutex_unlock(&sv->mu);
    return q;
}

/* Adds a piece of the body within q's limit. Returns 0, or -1 when the
 * limit is passed or memory ran out (then *over says which). */
static int _take_body(srv_req *q, const char *data, size_t n, int *over)
{
    *over = 0;
    if (n > q->limit - q->len) {
        *over = 1;
        return -1;
    }
    if (q->len + n + 1 > q->cap) {
        size_t cap = q->cap ? q->cap : 4096;
        while (cap < q->len + n + 1)
            cap *= 2;
        char *nb = realloc(q->body, cap);
        if (!nb)
            return -1;
        q->body = nb;
        q->cap = cap;
    }
    memcpy(q->body + q->len, data, n);
    q->len += n;
    q->body[q->len] = '\0';
    return 0;
}

/* Runs q's handler with a pooled connection and sends what it gives. */
static enum MHD_Result _run(srv *sv, struct MHD_Connection *conn, srv_req *q)
{
    tz_resp rs;
    memset(&rs, 0, sizeof rs);
    char origin[sizeof q->logpath + 24];
    snprintf(origin, sizeof origin, "%s %s", q->method, q->logpath);
    tz_store *s = _pool_take(sv);
    tz_store_set_origin(s, q->addr, origin);
    tz_req rq = {
        .method = q->route->method,
        .path = q->path,
        .arg = {q->arg[0], q->arg[1]},
        .conn = conn,
        .body = q->body ? q->body : "",
        .body_len = q->len,
        .addr = q->addr,
        .s = s,
        .sess = q->has_sess ? &q->sess : NULL,
    };
    q->route->handler(&rq, &rs);
    if (tz_store_in_tx(s)) /* a handler that left one open: nothing of it is kept */
        tz_store_rollback(s);
    tz_store_set_origin(s, NULL, NULL);
    _pool_give(sv, s);
    enum MHD_Result ret = _send(sv, conn, q, &rs, NULL);
    tz_resp_clear(&rs);
    return ret;
}

static enum MHD_Result _on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                   const char *method, const char *version, const char *upload,
                                   size_t *upload_size, void **con_cls)
{
    srv *sv = cls;
    srv_req *q = *con_cls;
    if (!q) { /* the headers */
        q = _begin(sv, conn, url, method);
        if (!q)
            return MHD_NO;
        *con_cls = q;
        return _admit(sv, conn, q, url);
    }
    if (q->responded) { /* refused already: the rest of the body is dropped */
        *upload_size = 0;
        return MHD_YES;
    }
    if (*upload_size) {
        /* libmicrohttpd takes a response only before the body or after all
         * of it: past the limit the rest is counted and dropped, up to as
         * much again, and then the connection is closed */
        size_t n = *upload_size;
        *upload_size = 0;
        if (q->over) {
            q->dropped += n;
            return q->dropped > q->limit ? MHD_NO : MHD_YES;
        }
        if (_take_body(q, upload, n, &q->over) != 0 && !q->over)
            return MHD_NO; /* out of memory */
        if (q->over) {
            free(q->body);
            q->body = NULL;
            q->len = q->cap = 0;
            q->dropped = n;
        }
        return MHD_YES;
    }
    if (q->over)
        return _send_error(sv, conn, q, 413, NULL, _too_big(q));
    return _run(sv, conn, q);
}

static void _on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                          enum MHD_RequestTerminationCode toe)
{
    srv *sv = cls;
    srv_req *q = *con_cls;
    if (!q)
        return;
    *con_cls = NULL;
    if (!q->responded)
        q->status = 0; /* the client went away, or the server closed the connection */
    _log_request(sv, q);
    free(q->body);
    free(q->path);
    free(q->argbuf);
    free(q);
    pthread_mutex_lock(&sv->mu);
    sv->inflight--;
    pthread_cond_broadcast(&sv->cv);
    pthread_mutex_unlock(&sv->mu);
}

/* ---- listening ---------------------------------------------------------------------- */

/* Splits "host:port" or "[v6]:port" into host and port. Returns 0 or -1. */
static int _split_listen(const char *listen, char *host, size_t hostsz, char *port, size_t portsz)
{
    const char *colon;
    size_t hlen;
    if (listen[0] == '[') {
        const char *end = strchr(listen, ']');
        if (!end || end[1] != ':')
            return -1;
        hlen = (size_t)(end - listen - 1);
        if (hlen == 0 || hlen >= hostsz)
            return -1;
        memcpy(host, listen + 1, hlen);
        colon = end + 1;
    } else {
        colon = strrchr(listen, ':');
        if (!colon || strchr(listen, ':') != colon)
            return -1;
        hlen = (size_t)(colon - listen);
        if (hlen == 0 || hlen >= hostsz)
            return -1;
        memcpy(host, listen, hlen);
    }
    host[hlen] = '\0';
    const char *p = colon + 1;
    if (!*p || strspn(p, "0123456789") != strlen(p) || strlen(p) > 5 || strtol(p, NULL, 10) > 65535)
        return -1;
    snprintf(port, portsz, "%s", p);
    return 0;
}

/* Opens the listening socket of o->listen. Returns the socket, -2 with a
 * Chinese diag when where is not host:port, or -1 with one when it cannot
 * be listened on (unknown, in use, not allowed). */
static int _listen_socket(const char *where, int *v6, tz_diags *d)
{
    char host[256], port[8];
    struct addrinfo hints, *ai = NULL;
    int fd = -1;
    if (_split_listen(where, host, sizeof host, port, sizeof port)) {
        tz_diags_error(d, NULL, 0, "--listen", where,
                       "监听地址应为 主机:端口(如 127.0.0.1:8080,IPv6 写作 [::1]:8080)");
        return -2;
    }
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    int g = getaddrinfo(host, port, &hints, &ai);
    if (g != 0 || !ai) {
        tz_diags_error(d, NULL, 0, "--listen", where, "无法解析监听地址: %s", gai_strerror(g));
        goto done;
    }
    fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        (ai->ai_family == AF_INET6 &&
         setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) != 0) ||
        bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, SERVE_BACKLOG) != 0) {
        int err = errno;
        tz_diags_error(d, NULL, 0, "--listen", where, "无法监听该地址: %s",
                       err == EADDRINUSE ? "地址已被占用(是否已有服务在运行?)"
                       : err == EACCES   ? "没有权限(1024以下的端口需要管理员权限)"
                       : err == EADDRNOTAVAIL ? "本机没有这个地址"
                                              : strerror(err));
        if (fd >= 0)
            close(fd);
        fd = -1;
        goto done;
    }
    *v6 = ai->ai_family == AF_INET6;
done:
    if (ai)
        freeaddrinfo(ai);
    return fd;
}

/* Prints the startup line with the port actually bound (":0" picks one). */
static void _announce(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char host[INET6_ADDRSTRLEN + 2], port[8];
    memset(&ss, 0, sizeof ss);
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0 ||
        getnameinfo((struct sockaddr *)&ss, len, host, sizeof host, port, sizeof port,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        snprintf(host, sizeof host, "?");
    if (ss.ss_family == AF_INET6)
        printf("台账服务已启动: http://[%s]:%s/\n", host, port);
    else
        printf("台账服务已启动: http://%s:%s/\n", host, port);
    (void)fflush(stdout);
}

/* Waits (SIGTERM/SIGINT blocked in every thread, so they come only here)
 * for one of them. */
static void _wait_signal(const sigset_t *set)
{
    int sig = 0;
    while (sigwait(set, &sig) != 0)
        ;
}

/* Stops: no new connections, the requests in flight finish (at most
 * SERVE_DRAIN_SECONDS), then the daemon ends. */
static void _drain(srv *sv)
{
    atomic_store(&sv->stopping, 1);
    MHD_socket ls = MHD_quiesce_daemon(sv->daemon);
    if (ls != MHD_INVALID_SOCKET)
        close(ls);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += SERVE_DRAIN_SECONDS;
    pthread_mutex_lock(&sv->mu);
    while (sv->inflight > 0)
        if (pthread_cond_timedwait(&sv->cv, &sv->mu, &until) == ETIMEDOUT)
            break;
    size_t left = sv->inflight;
    pthread_mutex_unlock(&sv->mu);
    if (left && !sv->quiet)
        fprintf(stderr, "停止服务: %zu个请求在%d秒内未完成,已中断\n", left, SERVE_DRAIN_SECONDS);
    MHD_stop_daemon(sv->daemon);
    sv->daemon = NULL;
}

static unsigned _threads(unsigned asked)
{
    if (asked)
        return asked;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned t = n > 0 ? (unsigned)n * 2 : 4;
    return t < 4 ? 4 : t;
}

/* Starts the daemon on the socket fd. Returns 0, or -1 with a diag. */
static int _start(srv *sv, int fd, int v6, unsigned threads, tz_diags *d)
{
    if (tz_mhd_load(d))
        return -1;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC;
    if (v6)
        flags |= MHD_USE_IPv6;
    sv->daemon = MHD_start_daemon(flags, 0, NULL, NULL, _on_request, sv, MHD_OPTION_LISTEN_SOCKET,
                                  (MHD_socket)fd, MHD_OPTION_THREAD_POOL_SIZE, threads,
                                  MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SERVE_CONN_MEMORY,
                                  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SERVE_CONN_TIMEOUT,
                                  MHD_OPTION_CONNECTION_LIMIT, (unsigned)SERVE_CONN_LIMIT,
                                  MHD_OPTION_NOTIFY_COMPLETED, _on_completed, sv, MHD_OPTION_END);
    if (!sv->daemon) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "无法启动HTTP服务(libmicrohttpd): %s",
                       strerror(errno));
        return -1;
    }
    return 0;
}

int tz_serve(const tz_serve_opts *o, tz_diags *d)
{
    srv sv;
    memset(&sv, 0, sizeof sv);
    sv.quiet = o->quiet;
    if (o->templates)
        _templates = o->templates;
    int rc = -1, fd = -1, v6 = 0, locks = 0;
    unsigned threads = _threads(o->threads);
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    /* blocked before any thread starts, so every worker inherits the mask
     * and the signals wait for sigwait here */
    pthread_sigmask(SIG_BLOCK, &set, &old);
    if (pthread_mutex_init(&sv.mu, NULL) != 0 || pthread_cond_init(&sv.cv, NULL) != 0) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "无法启动服务: 线程资源不足");
        goto done;
    }
    locks = 1;
    if (_pool_open(&sv, o->db, threads, d))
        goto done;
    fd = _listen_socket(o->listen ? o->listen : "127.0.0.1:8080", &v6, d);
    if (fd == -2)
        rc = 1;
    if (fd < 0)
        goto done;
    if (_start(&sv, fd, v6, threads, d))
        goto done;
    _announce(fd);
    fd = -1; /* the daemon's now (quiesce hands it back) */
    _wait_signal(&set);
    _drain(&sv);
    rc = 0;
done:
    if (sv.daemon)
        MHD_stop_daemon(sv.daemon);
    if (fd >= 0)
        close(fd);
    _pool_close(&sv);
    if (locks) {
        pthread_cond_destroy(&sv.cv);
        pthread_mutex_destroy(&sv.mu);
    }
    /* a second signal during the stop must not end the process now */
    struct timespec zero = {0, 0};
    while (sigtimedwait(&set, NULL, &zero) > 0)
        ;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}
