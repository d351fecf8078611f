/* api_users.c - GET /api/users, POST /api/users and POST
 * /api/users/{name}/disable|enable|password: the accounts an administrator
 * manages, those inside its own scope. Hashes never leave the server.
 *
 * Does not own: what an account is and who may manage whom (account.c).
 */
#include "web/account_impl.h"
#include "web/web_impl.h"
#include <stdio.h>
#include <stdlib.h>

/* The accounts of a listing, as JSON. */
typedef struct user_list {
    json_t *arr; /* the accounts */
    int oom;     /* 1 when memory ran out (the listing stopped) */
} user_list;

/* Appends one account to the listing ctx. */
static int _append(void *ctx, const tz_account *a)
{
    user_list *l = ctx;
    json_t *j = tz_account_json(a);
    if (!j || json_array_append_new(l->arr, j)) {
        l->oom = 1;
        return 1;
    }
    return 0;
}

int tz_api_users(tz_req *rq, tz_resp *rs)
{
    if (tz_req_allow(rq, rs, TZ_PERM_ADMIN))
        return 0;
    tz_diags d = TZ_DIAGS_INIT;
    user_list l = {json_array(), 0};
    if (!l.arr || tz_account_list(rq->s, &rq->sess->acct, _append, &l, &d) || l.oom) {
        json_decref(l.arr);
        tz_resp_error(rs, 500, &d, "读取账户失败(数据库出错或内存不足),请稍后再试");
    } else {
        tz_resp_json(rs, 200, json_pack("{s:o}", "users", l.arr));
    }
    tz_diags_clear(&d);
    return 0;
}

/* The body's string field name, or NULL; sets *bad when it is there but not
 * a string. */
static const char *_field(json_t *body, const char *name, int *bad)
{
    json_t *v = json_object_get(body, name);
    if (v && !json_is_string(v) && !json_is_null(v))
        *bad = 1;
    return json_string_value(v);
}

/* Fills rs with a refusal: the status its reason calls for, the first
 * diagnostic (field, value, reason) as the message. */
static void _refused(tz_resp *rs, tz_refusal why, const tz_diags *d)
{
    char *msg = d->n ? tz_diag_format(&d->items[0]) : NULL;
    tz_resp_error(rs, why ? (int)why : 400, d, "账户未新增: %s", msg ? msg : "请求被拒绝");
    free(msg);
}

int tz_api_user_add(tz_req *rq, tz_resp *rs)
{
    if (tz_req_allow(rq, rs, TZ_PERM_ADMIN))
        return 0;
    json_t *body = tz_req_json(rq, rs);
    if (!body)
        return 0;
    int bad = 0;
    const char *name = _field(body, "username", &bad), *pw = _field(body, "password", &bad);
    const char *role = _field(body, "role", &bad), *region = _field(body, "region", &bad);
    const char *unit = _field(body, "unit", &bad);
    tz_diags d = TZ_DIAGS_INIT;
    tz_refusal why = TZ_REFUSED_NONE;
    tz_account added;
    if (bad || !name || !pw || !role) {
        tz_resp_error(rs, 400, NULL,
                      "请求中应有字符串 username、password、role,以及 region 或 unit 之一");
        goto done;
    }
    int r = tz_account_add_why(rq->s, name, role, region, unit, pw, &rq->sess->acct, &d, &why);
    if (r > 0)
        _refused(rs, why, &d);
    else if (r < 0)
        tz_resp_error(rs, 500, &d, "新增账户失败(数据库出错),账户未新增,请稍后再试");
    else if (tz_account_get(rq->s, name, &added) == 1)
        tz_resp_json(rs, 201, tz_account_json(&added));
    else /* the account is written: saying it failed would invite a second try */
        tz_resp_error(rs, 500, NULL, "账户 %s 已新增,但读回失败: %s", name, tz_store_errmsg(rq->s));
done:
    tz_diags_clear(&d);
    json_decref(body);
    return 0;
}

/* An account change of POST /api/users/{name}/...: the account module's
 * call (refusal reason in why). */
typedef int (*user_change_fn)(tz_req *rq, const char *name, const char *password, tz_diags *d,
                              tz_refusal *why);

static int _disable(tz_req *rq, const char *name, const char *password, tz_diags *d,
                    tz_refusal *why)
{
    (void)password;
    return tz_account_disable_why(rq->s, name, &rq->sess->acct, d, why);
}

static int _enable(tz_req *rq, const char *name, const char *password, tz_diags *d, tz_refusal *why)
{
    (void)password;
    return tz_account_enable_why(rq->s, name, &rq->sess->acct, d, why);
}

static int _password(tz_req *rq, const char *name, const char *password, tz_diags *d,
                     tz_refusal *why)
{
    return tz_account_passwd_why(rq->s, name, password, &rq->sess->acct, d, why);
}

/* Runs one change of the account {name} (rq->arg[0]) and answers the
 * account as it is afterwards; what names the change in messages. The
 * account module checks the caller is 管理员 and the account inside its
 * scope (403), that it exists (404), and audits the change; the sessions of
 * a disabled or re-passworded account end there too. */
static int _user_change(tz_req *rq, tz_resp *rs, user_change_fn fn, const char *password,
                        const char *what)
{
    const char *name = rq->arg[0] ? rq->arg[0] : "";
    tz_diags d = TZ_DIAGS_INIT;
    tz_refusal why = TZ_REFUSED_NONE;
    tz_account after;
    int r = fn(rq, name, password, &d, &why);
    if (r > 0) {
        char *msg = d.n ? tz_diag_format(&d.items[0]) : NULL;
        tz_resp_error(rs, why ? (int)why : 400, &d, "账户未%s: %s", what, msg ? msg : "请求被拒绝");
        free(msg);
    } else if (r < 0) {
        tz_resp_error(rs, 500, &d, "%s失败(数据库出错),账户未改动,请稍后再试", what);
    } else if (tz_account_get(rq->s, name, &after) == 1) {
        tz_resp_json(rs, 200, tz_account_json(&after));
    } else {
        tz_resp_error(rs, 500, NULL, "账户 %s 已%s,但读回失败: %s", name, what,
                      tz_store_errmsg(rq->s));
    }
    tz_diags_clear(&d);
    return 0;
}

int tz_api_user_disable(tz_req *rq, tz_resp *rs)
{
    if (tz_req_allow(rq, rs, TZ_PERM_ADMIN))
        return 0;
    return _user_change(rq, rs, _disable, NULL, "停用");
}

int tz_api_user_enable(tz_req *rq, tz_resp *rs)
{
    if (tz_req_allow(rq, rs, TZ_PERM_ADMIN))
        return 0;
    return _user_change(rq, rs, _enable, NULL, "启用");
}

int tz_api_user_password(tz_req *rq, tz_resp *rs)
{
    if (tz_req_allow(rq, rs, TZ_PERM_ADMIN))
        return 0;
    json_t *body = tz_req_json(rq, rs);
    if (!body)
        return 0;
    int bad = 0;
    const char *pw = _field(body, "password", &bad);
    if (bad || !pw) {
        tz_diags d = TZ_DIAGS_INIT;
        tz_diags_error(&d, NULL, 0, "password", NULL, "应为新密码(8到128个字符的字符串)");
        tz_resp_error(rs, 400, &d, "请求中应有字符串 password(新密码)");
        tz_diags_clear(&d);
    } else {
        _user_change(rq, rs, _password, pw, "修改密码");
    }
    json_decref(body);
    return 0;
}
