/* static.c - the web app's files, embedded in the binary, as the server
 * sends them.
 *
 * Owns: answering GET and HEAD of every path outside /api/ from
 * tz_web_assets[] (generated at build time by web/embed.mjs from web/dist:
 * gzip-compressed bytes, content types, ETags): which file a path names,
 * the app's page paths (index.html, so the Vue router's history paths such
 * as /ledgers/households load the app), the cache headers, gzip or
 * inflated by the request's Accept-Encoding, 304 on If-None-Match, and the
 * 404 of a file that is not there. No session is needed: these files hold
 * no data.
 *
 * Does not own: which requests come here, the method check and the
 * security headers (server.c), the table itself (generated).
 *
 *   /assets/<name>-<hash>.<ext>  the file; Cache-Control: public,
 *                                max-age=31536000, immutable (the name
 *                                changes with the content)
 *   /index.html, /favicon.ico... the file; Cache-Control: no-cache
 *   /assets/<anything else>      404
 *   a path with a segment that starts with '.', or whose last segment
 *   has a '.' (a file we do not have)           404
 *   any other path (/, /ledgers/households)     index.html, no-cache
 */
#define ZLIB_CONST
#include "web/mhd.h"
#include "web/web_impl.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#define STATIC_IMMUTABLE "public, max-age=31536000, immutable" /* a hashed file */
#define STATIC_REVALIDATE "no-cache" /* index.html and the unhashed files */
#define STATIC_ASSETS "/assets/"     /* where Vite puts the hashed files */
#define STATIC_INDEX "/index.html"   /* the page every app path loads */
#define STATIC_ETAG_MAX 80           /* bytes of an ETag we make (a quoted hash, "-gz") */

const tz_web_asset *tz_web_asset_find(const char *path)
{
    size_t lo = 0, hi = tz_web_nassets;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(path, tz_web_assets[mid].path);
        if (c == 0)
            return &tz_web_assets[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* Skips spaces and tabs. */
static const char *_ws(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* The q value of one Accept-Encoding element's parameters (from just after
 * the coding to the ',' or the end): 1 when there is none, 0 for q=0,
 * q=0.0, q=0.000. */
static int _q_nonzero(const char *p, const char *end)
{
    while (p < end) {
        p = _ws(p);
        if (*p == ';')
            p = _ws(p + 1);
        if ((p[0] == 'q' || p[0] == 'Q') && _ws(p + 1)[0] == '=') {
            const char *v = _ws(_ws(p + 1) + 1);
            if (*v != '0')
                return 1;
            for (v++; v < end && (*v == '.' || *v == '0'); v++)
                ;
            return v < end && *v >= '1' && *v <= '9';
        }
        p = memchr(p, ';', (size_t)(end - p));
        if (!p)
            break;
    }
    return 1;
}

int tz_web_accepts_gzip(const char *ae)
{
    int gzip = -1, star = -1; /* -1: not named; else its q is nonzero */
    if (!ae)
        return 0;
    for (const char *p = ae; *p;) {
        p = _ws(p);
        const char *end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        size_t n = strcspn(p, " \t;,");
        int ok = _q_nonzero(p + n, end);
        if ((n == 4 && !strncasecmp(p, "gzip", 4)) || (n == 6 && !strncasecmp(p, "x-gzip", 6)))
            gzip = ok;
        else if (n == 1 && *p == '*')
            star = ok;
        p = *end ? end + 1 : end;
    }
    return gzip >= 0 ? gzip : star == 1;
}

/* 1 when path may be a page of the app (index.html answers it): no segment
 * starts with '.', and the last one has no '.' (so a missing file such as
 * /robots.txt, or /../etc/passwd, is a 404, not the app). */
static int _page_path(const char *path)
{
    const char *last = path;
    for (const char *p = path; *p; p++)
        if (*p == '/') {
            if (p[1] == '.')
                return 0;
            last = p + 1;
        }
    return strchr(last, '.') == NULL;
}

/* 1 when the If-None-Match value names etag (weak or strong: RFC 9110's
 * weak comparison), or is "*". */
static int _etag_matches(const char *inm, const char *etag)
{
    size_t elen = strlen(etag);
    for (const char *p = inm; p && *p;) {
        p = _ws(p);
        if (*p == '*')
            return 1;
        if (!strncmp(p, "W/", 2))
            p += 2;
        size_t n = strcspn(p, ",");
        while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        if (n == elen && !memcmp(p, etag, n))
            return 1;
        p = strchr(p, ',');
        if (p)
            p++;
    }
    return 0;
}

/* The asset's bytes inflated (malloc'd, raw_len bytes), or NULL when out of
 * memory or the stored bytes do not inflate to raw_len (a broken build). */
static char *_inflate(const tz_web_asset *a)
{
    char *out = malloc(a->raw_len ? a->raw_len : 1);
    z_stream z;
    memset(&z, 0, sizeof z);
    if (!out || inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
        free(out);
        return NULL;
    }
    z.next_in = tz_web_blob + a->off;
    z.avail_in = (uInt)a->len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)a->raw_len;
    int r = inflate(&z, Z_FINISH);
    int whole = r == Z_STREAM_END && z.total_out == a->raw_len;
    inflateEnd(&z);
    if (!whole) {
        free(out);
        return NULL;
    }
    return out;
}

/* A short Chinese text answer (404, 500), never cached. */
static struct MHD_Response *_text(unsigned st, const char *msg, unsigned *status)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(msg), (void *)msg, MHD_RESPMEM_PERSISTENT);
    if (r && (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                                      "text/plain; charset=utf-8") != MHD_YES ||
              MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store") != MHD_YES)) {
        MHD_destroy_response(r);
        return NULL;
    }
    *status = st;
    return r;
}

/* The response carrying a (gzip when the client takes it), or 304. */
static struct MHD_Response *_asset(struct MHD_Connection *conn, const tz_web_asset *a,
                                   const char *cache, unsigned *status)
{
    const char *ae =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING);
    const char *inm =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    int gz = a->gzip && tz_web_accepts_gzip(ae);
    char etag[STATIC_ETAG_MAX];
    /* the two encodings are different bytes: each its own strong ETag */
    if (gz && strlen(a->etag) >= 2)
        snprintf(etag, sizeof etag, "%.*s-gz\"", (int)(strlen(a->etag) - 1), a->etag);
    else
        snprintf(etag, sizeof etag, "%s", a->etag);
    struct MHD_Response *r = NULL;
    if (inm && _etag_matches(inm, etag)) {
        r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        *status = MHD_HTTP_NOT_MODIFIED;
    } else if (gz || !a->gzip) {
        r = MHD_create_response_from_buffer(a->len, (void *)(tz_web_blob + a->off),
                                            MHD_RESPMEM_PERSISTENT);
        *status = MHD_HTTP_OK;
    } else {
        char *raw = _inflate(a);
        if (!raw)
            return _text(MHD_HTTP_INTERNAL_SERVER_ERROR,
                         "服务器内部错误: 无法解压内嵌的前端文件(内存不足或构建损坏)", status);
        r = MHD_create_response_from_buffer(a->raw_len, raw, MHD_RESPMEM_MUST_FREE);
        if (!r)
            free(raw);
        *status = MHD_HTTP_OK;
    }
    if (!r)
        return NULL;
    if (MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, cache) != MHD_YES ||
        MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag) != MHD_YES ||
        (*status == MHD_HTTP_OK &&
         MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, a->type) != MHD_YES) ||
        (gz && *status == MHD_HTTP_OK &&
         MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip") != MHD_YES) ||
        (a->gzip &&
         MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding") != MHD_YES)) {
        MHD_destroy_response(r);
        return NULL;
    }
    return r;
}

struct MHD_Response *tz_web_static(struct MHD_Connection *conn, const char *path, unsigned *status)
{
    const tz_web_asset *a = tz_web_asset_find(path);
    int hashed = strncmp(path, STATIC_ASSETS, strlen(STATIC_ASSETS)) == 0;
    if (a)
        return _asset(conn, a, hashed ? STATIC_IMMUTABLE : STATIC_REVALIDATE, status);
    if (hashed || !_page_path(path) || !(a = tz_web_asset_find(STATIC_INDEX)))
        return _text(MHD_HTTP_NOT_FOUND,
                     "没有这个文件。如果页面是在系统更新之前打开的,请刷新页面(Ctrl+F5)。", status);
    return _asset(conn, a, STATIC_REVALIDATE, status);
}
