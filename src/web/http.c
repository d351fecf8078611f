/* http.c - a request's arguments, headers and JSON body, and the response a
 * handler fills (JSON, an error, or raw bytes such as a report).
 *
 * Owns: reading query arguments and headers of a tz_req, parsing its body
 * as a JSON object (400 when it is not one), and setting or clearing a
 * tz_resp. Does not own: sending (server.c: headers, serialisation), the
 * JSON form of diagnostics (views.c's tz_view_diags).
 */
#include "web/mhd.h"
#include "web/web_impl.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *tz_req_query(const tz_req *rq, const char *name)
{
    if (!rq->conn)
        return NULL;
    const char *v = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
    return (v && *v) ? v : NULL;
}

const char *tz_req_header(const tz_req *rq, const char *name)
{
    if (!rq->conn)
        return NULL;
    return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

json_t *tz_req_json(const tz_req *rq, struct tz_resp *rs)
{
    json_error_t err;
    if (!rq->body || rq->body_len == 0) {
        tz_resp_error(rs, 400, NULL, "请求内容为空,应为JSON对象");
        return NULL;
    }
    json_t *j = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &err);
    if (!j) {
        tz_resp_error(rs, 400, NULL, "请求内容不是JSON对象: 第%d行第%d列 %s", err.line, err.column,
                      err.text);
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        tz_resp_error(rs, 400, NULL, "请求内容不是JSON对象(应以 { 开头)");
        return NULL;
    }
    return j;
}

/* Drops what rs holds, keeping its other fields. */
static void _resp_drop_body(tz_resp *rs)
{
    json_decref(rs->json);
    rs->json = NULL;
    free(rs->bytes);
    rs->bytes = NULL;
    rs->len = 0;
    rs->type = NULL;
    rs->filename[0] = '\0';
}

int tz_resp_json(tz_resp *rs, int status, json_t *j)
{
    _resp_drop_body(rs);
    rs->status = status;
    rs->json = j;
    return 0;
}

int tz_resp_error(tz_resp *rs, int status, const tz_diags *d, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* an error may echo what was asked for: never a whole ID number */
    tz_diag_mask_ids(msg);
    json_t *text = json_string(msg);
    if (!text) { /* cut inside a character, or bytes that are not UTF-8 */
        tz_buf b = TZ_BUF_INIT;
        if (tz_text_shown(&b, msg, 0) == 0)
            text = json_string(tz_buf_str(&b));
        tz_buf_free(&b);
    }
    json_t *det = d ? tz_view_diags(d) : json_array();
    json_t *j = json_object();
    if (j && det && text) {
        json_object_set_new(j, "error", text);
        text = NULL;
        json_object_set_new(j, "details", det);
        det = NULL;
    }
    json_decref(det);
    json_decref(text);
    if (j && !json_object_get(j, "error")) {
        json_decref(j);
        j = NULL;
    }
    return tz_resp_json(rs, status, j); /* NULL j: server.c sends a bare 500 */
}

void tz_resp_clear(tz_resp *rs)
{
    if (!rs)
        return;
    _resp_drop_body(rs);
    rs->cookie[0] = '\0';
}
