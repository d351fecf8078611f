/* api_submissions.c - 上报审核 over HTTP: POST /api/submissions (上报),
 * POST /api/submissions/{id}/approve|return|reopen (审核), GET
 * /api/submissions (who has submitted, been approved, is late).
 *
 * Owns: reading the requests' JSON and query arguments, the role check
 * (tz_req_allow) and turning workflow.c's results into HTTP statuses: 400
 * wrong value, 403 role or scope, 404 unknown id, 409 wrong state. The
 * rules themselves (who may review whom, states, deadlines) are
 * workflow.c's.
 */
#include "util/num.h"
#include "web/web_impl.h"
#include "web/workflow.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The HTTP status of a workflow result. */
static int _status(tz_wf_result r)
{
    switch (r) {
    case TZ_WF_OK:
        return 200;
    case TZ_WF_INVALID:
        return 400;
    case TZ_WF_FORBIDDEN:
        return 403;
    case TZ_WF_NOT_FOUND:
        return 404;
    case TZ_WF_CONFLICT:
        return 409;
    default:
        return 500;
    }
}

/* Fills rs with the error of a refused move: its first diagnostic as the
 * message (as the CLI prints it), all of them as details. */
static void _refused(tz_resp *rs, tz_wf_result r, const tz_diags *d)
{
    char *msg = d->n ? tz_diag_format(&d->items[0]) : NULL;
    tz_resp_error(rs, _status(r), d, "%s", msg ? msg : "上报审核操作失败");
    free(msg);
}

/* The string fields of a request body: each key in keys may be absent
 * (NULL) or a string; any other key or type is a 400. Returns 0, or -1
 * with rs filled. */
static int _fields(json_t *body, const char *const *keys, const char **vals, tz_resp *rs)
{
    const char *k;
    json_t *v;
    json_object_foreach(body, k, v)
    {
        size_t i = 0;
        while (keys[i] && strcmp(keys[i], k) != 0)
            i++;
        if (!keys[i]) {
            tz_buf names = TZ_BUF_INIT;
            for (size_t j = 0; keys[j]; j++)
                tz_buf_printf(&names, "%s%s", j ? "、" : "", keys[j]);
            tz_resp_error(rs, 400, NULL, "请求中有未知字段 \"%s\"(可用: %s)", k,
                          tz_buf_str(&names));
            tz_buf_free(&names);
            return -1;
        }
        if (!json_is_string(v) && !json_is_null(v)) {
            tz_resp_error(rs, 400, NULL, "字段 \"%s\" 应为字符串", k);
            return -1;
        }
        vals[i] = json_is_string(v) ? json_string_value(v) : NULL;
    }
    return 0;
}

int tz_api_submit(tz_req *rq, tz_resp *rs)
{
    static const char *const keys[] = {"region", "unit", "period", NULL};
    const char *v[3] = {NULL, NULL, NULL};
    if (tz_req_allow(rq, rs, TZ_PERM_SUBMIT))
        return 0;
    json_t *body = tz_req_json(rq, rs);
    if (!body || _fields(body, keys, v, rs)) {
        json_decref(body);
        return 0;
    }
    tz_submission sub;
    tz_diags d = TZ_DIAGS_INIT;
    tz_wf_result r = tz_wf_submit(rq->s, &rq->sess->acct, v[0], v[1], v[2], &sub, &d);
    json_decref(body);
    if (r == TZ_WF_OK)
        tz_resp_json(rs, 201, tz_wf_json(&sub, 0));
    else
        _refused(rs, r, &d);
    tz_diags_clear(&d);
    return 0;
}

/* approve, return, reopen: {id} from the path, an optional body
 * {"reason"} (required to return). */
static int _review(tz_req *rq, tz_resp *rs, tz_wf_action act)
{
    static const char *const keys[] = {"reason", NULL};
    const char *reason = NULL;
    if (tz_req_allow(rq, rs, TZ_PERM_REVIEW))
        return 0;
    long long id = 0;
    if (!rq->arg[0] || tz_num_int(rq->arg[0], 1, LLONG_MAX, &id)) {
        tz_resp_error(rs, 404, NULL, "没有编号为 \"%s\" 的上报", rq->arg[0] ? rq->arg[0] : "");
        return 0;
    }
    json_t *body = NULL;
    if (rq->body_len) { /* approve and reopen may come without a body */
        body = tz_req_json(rq, rs);
        if (!body || _fields(body, keys, &reason, rs)) {
            json_decref(body);
            return 0;
        }
    }
    tz_submission sub;
    tz_diags d = TZ_DIAGS_INIT;
    tz_wf_result r = tz_wf_review(rq->s, &rq->sess->acct, id, act, reason, &sub, &d);
    json_decref(body);
    if (r == TZ_WF_OK)
        tz_resp_json(rs, 200, tz_wf_json(&sub, 0));
    else
        _refused(rs, r, &d);
    tz_diags_clear(&d);
    return 0;
}

int tz_api_approve(tz_req *rq, tz_resp *rs)
{
    return _review(rq, rs, TZ_WF_APPROVE);
}

int tz_api_return(tz_req *rq, tz_resp *rs)
{
    return _review(rq, rs, TZ_WF_RETURN);
}

int tz_api_reopen(tz_req *rq, tz_resp *rs)
{
    return _review(rq, rs, TZ_WF_REOPEN);
}

int tz_api_submissions(tz_req *rq, tz_resp *rs)
{
    if (tz_req_allow(rq, rs, TZ_PERM_READ))
        return 0;
    if (tz_req_query(rq, "unit")) {
        tz_resp_error(rs, 400, NULL, "上报情况按区划列出(region 参数);责任单位列在其所属区划之下");
        return 0;
    }
    tz_wf_list l;
    tz_diags d = TZ_DIAGS_INIT;
    tz_wf_result r = tz_wf_list_scopes(rq->s, &rq->sess->acct, tz_req_query(rq, "period"),
                                       tz_req_query(rq, "region"), &l, &d);
    if (r == TZ_WF_OK) {
        json_t *j = tz_wf_list_json(&l);
        if (j)
            tz_resp_json(rs, 200, j);
        else
            tz_resp_error(rs, 500, NULL, "内存不足");
    } else {
        _refused(rs, r, &d);
    }
    tz_wf_list_free(&l);
    tz_diags_clear(&d);
    return 0;
}
