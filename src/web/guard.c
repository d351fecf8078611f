/* guard.c - who may do what: the role × permission matrix, and the one place
 * a handler checks the caller's role, the scope it asks for and the ledger
 * it names.
 *
 * Owns: tz_role_can (a table), tz_req_allow (403), tz_req_scope (the region,
 * unit and period of a request resolved and checked against the session's
 * scope: 400 for a wrong value, 403 outside), tz_req_ledger (404). Handlers
 * send the error these fill and return (redis's ...OrReply).
 *
 * Does not own: what a scope contains (account.c's tz_access_contains and
 * tz_access_resolve), resolving a scope for the views (views.c), which rows
 * of a ledger a scope sees (store's tz_access_sql).
 */
#include "web/web_impl.h"
#include <stdio.h>
#include <string.h>

#define NPERMS 6 /* TZ_PERM_READ .. TZ_PERM_UNMASK */
#define NROLES 4 /* TZ_ROLE_ADMIN .. TZ_ROLE_VIEWER */

/* Which role has which permission: rows are roles (管理员, 审核, 填报,
 * 查看), columns permissions (read, write, submit, review, admin,
 * unmask). The level a reviewer must be at is the workflow's check. */
static const unsigned char _matrix[NROLES][NPERMS] = {
    /*              read write submit review admin unmask */
    [TZ_ROLE_ADMIN] = {1, 1, 1, 1, 1, 1},
    [TZ_ROLE_REVIEWER] = {1, 0, 0, 1, 0, 1},
    [TZ_ROLE_CLERK] = {1, 1, 1, 0, 0, 1},
    [TZ_ROLE_VIEWER] = {1, 0, 0, 0, 0, 0},
};

/* What a permission lets one do, for the 403 message ("无权<what>"). */
static const char *const _perm_what[NPERMS] = {
    [TZ_PERM_READ] = "查看数据",  [TZ_PERM_WRITE] = "修改台账数据或导入",
    [TZ_PERM_SUBMIT] = "上报",    [TZ_PERM_REVIEW] = "审核(通过、退回或重新打开)",
    [TZ_PERM_ADMIN] = "管理账户", [TZ_PERM_UNMASK] = "查看完整身份证号",
};

int tz_role_can(tz_role r, tz_perm p)
{
    if ((int)r < 0 || (int)r >= NROLES || (int)p < 0 || (int)p >= NPERMS)
        return 0;
    return _matrix[r][p];
}

int tz_req_allow(const tz_req *rq, tz_resp *rs, tz_perm p)
{
    if (!rq->sess) {
        tz_resp_error(rs, 401, NULL, "未登录或会话已过期");
        return -1;
    }
    if (tz_role_can(rq->sess->acct.role, p))
        return 0;
    tz_resp_error(rs, 403, NULL, "当前账户(%s)无权%s", tz_role_word(rq->sess->acct.role),
                  ((int)p >= 0 && (int)p < NPERMS) ? _perm_what[p] : "进行此操作");
    return -1;
}

/* Checks that the scope named by region or unit (one of them) lies inside
 * the caller's. Returns 0, or -1 with rs filled (400 naming nothing, 403
 * outside, 500 on a database error). */
static int _inside(const tz_req *rq, tz_resp *rs, const char *region, const char *unit)
{
    tz_access a;
    char name[256];
    tz_level level;
    tz_diags d = TZ_DIAGS_INIT;
    int rc = -1;
    memset(&a, 0, sizeof a);
    int r = tz_access_resolve(rq->s, region, unit, &a, name, sizeof name, &level, &d);
    if (r > 0) {
        tz_resp_error(rs, 400, &d, "%s \"%s\" 不存在", region ? "区划" : "单位",
                      region ? region : unit);
        goto done;
    }
    if (r < 0) {
        tz_resp_error(rs, 500, &d, "数据库错误,无法核对范围");
        goto done;
    }
    int in = tz_access_contains(rq->s, &rq->sess->acct.access, &a);
    if (in < 0) {
        tz_resp_error(rs, 500, NULL, "数据库错误,无法核对范围: %s", tz_store_errmsg(rq->s));
        goto done;
    }
    if (!in) {
        tz_resp_error(rs, 403, NULL, "%s \"%s\" 不在当前账户的范围(%s)内", region ? "区划" : "单位",
                      name, rq->sess->acct.scope_name);
        goto done;
    }
    rc = 0;
done:
    tz_diags_clear(&d);
    return rc;
}

int tz_req_scope(const tz_req *rq, tz_resp *rs, const char *region, const char *unit,
                 const char *period, tz_view_scope *o)
{
    tz_diags d = TZ_DIAGS_INIT;
    int rc = -1;
    if (!rq->sess) {
        tz_resp_error(rs, 401, NULL, "未登录或会话已过期");
        return -1;
    }
    const tz_access *own = &rq->sess->acct.access;
    if (!region && !unit) { /* the caller's own scope */
        if (own->region[0])
            region = own->region;
        else
            unit = own->unit;
    }
    /* with both given the data is the unit's inside the region: inside the
     * caller's scope when either of the two is */
    if (region && _inside(rq, rs, region, NULL) != 0) {
        if (!unit || rs->status != 403)
            goto done;
        tz_resp_clear(rs);
        if (_inside(rq, rs, NULL, unit) != 0)
            goto done;
    } else if (!region && _inside(rq, rs, NULL, unit) != 0) {
        goto done;
    }
    int r = tz_view_scope_resolve(rq->s, region, unit, period, o, &d);
    if (r > 0) {
        tz_resp_error(rs, 400, &d, "范围或期间有误");
        goto done;
    }
    if (r < 0) {
        tz_resp_error(rs, 500, &d, "数据库错误,无法确定范围和期间");
        goto done;
    }
    rc = 0;
done:
    tz_diags_clear(&d);
    return rc;
}

const tz_ledger *tz_req_ledger(const tz_req *rq, tz_resp *rs, const char *name)
{
    const tz_ledger *l = name ? tz_ledger_find(name) : NULL;
    if (!l)
        tz_resp_error(rs, 404, NULL, "没有台账 \"%s\"(GET /api/ledgers 列出全部台账)",
                      name ? name : "");
    return l;
}
