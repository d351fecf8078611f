/* api_auth.c - POST /api/login, POST /api/logout, GET /api/me: a session as
 * the browser sees it. The cookie carries the session's random token
 * (HttpOnly, SameSite=Strict); the body carries who is logged in, their
 * role and scope, and the CSRF token every write must send back.
 *
 * Does not own: checking passwords, limits and sessions (session.c), reading
 * the cookie of later requests and checking CSRF tokens (server.c).
 */
#include "web/mhd.h"
#include "web/web_impl.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COOKIE_NAME "tz_session"
/* No Secure flag: `serve` speaks plain HTTP, on loopback or behind a TLS
 * proxy that may add it (docs/decisions.md, "Passwords and sessions"). */
#define COOKIE_ATTRS "HttpOnly; SameSite=Strict; Path=/"

/* The session as login and /api/me answer it: {"user","role","scope",
 * "csrf","expires"}. A new reference, or NULL when out of memory. */
static json_t *_session_json(const tz_session *se)
{
    json_t *j = tz_account_json(&se->acct);
    if (!j)
        return NULL;
    json_object_del(j, "disabled");
    if (json_object_set_new(j, "csrf", json_string(se->csrf)) ||
        json_object_set_new(j, "expires", json_integer(se->expires))) {
        json_decref(j);
        return NULL;
    }
    return j;
}

/* The body's string field name, or NULL. */
static const char *_field(json_t *body, const char *name)
{
    return json_string_value(json_object_get(body, name));
}

/* Writes the diags of a failed step to the server's log (stderr); they hold
 * no password (session.c never puts one in a diag). */
static void _log_diags(const char *what, const tz_diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        char *msg = tz_diag_format(&d->items[i]);
        fprintf(stderr, "%s失败: %s\n", what, msg ? msg : d->items[i].reason);
        free(msg);
    }
}

int tz_api_login(tz_req *rq, tz_resp *rs)
{
    json_t *body = tz_req_json(rq, rs);
    if (!body)
        return 0;
    const char *user = _field(body, "username"), *pw = _field(body, "password");
    if (!user || !pw) {
        tz_resp_error(rs, 400, NULL, "请求中应有字符串 username(用户名)和 password(密码)");
        json_decref(body);
        return 0;
    }
    tz_session se;
    tz_diags d = TZ_DIAGS_INIT;
    switch (tz_login(rq->s, user, pw, rq->addr, &se, &d)) {
    case TZ_LOGIN_OK:
        snprintf(rs->cookie, sizeof rs->cookie, "%s=%s; %s; Max-Age=%lld", COOKIE_NAME, se.token,
                 COOKIE_ATTRS, TZ_SESSION_TTL);
        tz_resp_json(rs, 200, _session_json(&se));
        break;
    case TZ_LOGIN_BAD:
        tz_resp_error(rs, 401, NULL, "用户名或密码错误");
        break;
    case TZ_LOGIN_LIMITED:
        tz_resp_error(rs, 429, NULL, "登录失败次数过多,请%d分钟后再试", TZ_LOGIN_WINDOW / 60);
        break;
    default:
        /* the database's own words stay out of the answer (anyone may call
         * login) but go to the server's log, where the operator finds them */
        tz_resp_error(rs, 500, NULL, "服务器暂时无法登录(数据库出错),请稍后再试");
        _log_diags("登录", &d);
        break;
    }
    explicit_bzero(&se, sizeof se);
    tz_diags_clear(&d);
    json_decref(body);
    return 0;
}

int tz_api_logout(tz_req *rq, tz_resp *rs)
{
    const char *tok =
        rq->conn ? MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, COOKIE_NAME) : NULL;
    if (tok && tz_session_end(rq->s, tok)) {
        tz_resp_error(rs, 500, NULL, "退出登录失败(数据库出错),请稍后再试");
        return 0;
    }
    snprintf(rs->cookie, sizeof rs->cookie, "%s=; %s; Max-Age=0", COOKIE_NAME, COOKIE_ATTRS);
    tz_resp_json(rs, 200, json_pack("{s:b}", "ok", 1));
    return 0;
}

int tz_api_me(tz_req *rq, tz_resp *rs)
{
    if (!rq->sess) {
        tz_resp_error(rs, 401, NULL, "未登录或会话已过期");
        return 0;
    }
    tz_resp_json(rs, 200, _session_json(rq->sess));
    return 0;
}
