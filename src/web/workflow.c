/* workflow.c - 上报审核: submit, approve, return, reopen; deadlines; who is
 * late. The rules are in workflow.h; the lock they lead to is store/lock.c. */
#include "web/workflow.h"
#include "metrics/metrics.h"
#include "util/cal.h"
#include "util/num.h"
#include "util/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const _state_keys[] = {"none", "submitted", "returned", "approved", "reopened"};
static const char *const _state_words[] = {"未上报", "已上报", "已退回", "已审核", "已重开"};
/* The levels a deadline is set for (tz_deadlines.level). */
#define TZ_WF_LEVELS 5
static const char *const _levels[TZ_WF_LEVELS + 1] = {"市", "县", "乡", "村", "单位", NULL};

const char *tz_sub_state_key(tz_sub_state st)
{
    return (unsigned)st <= TZ_SUB_REOPENED ? _state_keys[st] : "none";
}

const char *tz_sub_state_word(tz_sub_state st)
{
    return (unsigned)st <= TZ_SUB_REOPENED ? _state_words[st] : _state_words[0];
}

static tz_sub_state _state_parse(const char *key)
{
    for (int i = TZ_SUB_SUBMITTED; i <= TZ_SUB_REOPENED; i++)
        if (key && !strcmp(key, _state_keys[i]))
            return (tz_sub_state)i;
    return TZ_SUB_NONE;
}

const char *const *tz_deadline_levels(void)
{
    return _levels;
}

/* ---- scopes ----------------------------------------------------------------
 * Resolving a scope and whether one contains another are account.c's
 * (tz_access_resolve, tz_access_contains); the listing reads child regions
 * itself. */

/* Reads the region row (code, name, level) the statement found into a. */
static void _region_row(tz_stmt *st, tz_access *a, char *name, size_t namesz, tz_level *level)
{
    const char *code = tz_stmt_text(st, 0), *nm = tz_stmt_text(st, 1);
    tz_level lv = tz_level_parse(tz_stmt_text(st, 2));
    snprintf(a->region, sizeof a->region, "%s", code ? code : "");
    a->digits = tz_level_digits(lv);
    if (name)
        snprintf(name, namesz, "%s", nm ? nm : "");
    if (level)
        *level = lv;
}

/* 1 when a and b are the same scope. */
static int _same(const tz_access *a, const tz_access *b)
{
    if (a->unit[0] || b->unit[0])
        return !strcmp(a->unit, b->unit);
    return a->digits == b->digits && !strcmp(a->region, b->region);
}

/* ---- reading and writing submissions -------------------------------------- */

#define SUB_COLS                                                                                   \
    "id, scope_kind, scope, digits, period, period_start, period_end, status, submitted_by, "      \
    "submitted_at, reviewed_by, reviewed_at, reason"

/* Copies column i of the current row into out ("" when NULL). */
static void _col(tz_stmt *st, int i, char *out, size_t sz)
{
    const char *t = tz_stmt_text(st, i);
    snprintf(out, sz, "%s", t ? t : "");
}

/* Fills the scope's name and level: the region's from the regions ledger
 * (the code when it is gone), a unit's own name. Returns 0 or -1. */
static int _describe(tz_store *s, tz_submission *o)
{
    o->level = TZ_LEVEL_NONE;
    if (o->scope.unit[0]) {
        snprintf(o->scope_name, sizeof o->scope_name, "%s", o->scope.unit);
        return 0;
    }
    snprintf(o->scope_name, sizeof o->scope_name, "%s", o->scope.region);
    tz_stmt *st = NULL;
    int r = -1;
    if (!tz_store_prepare(s, "SELECT name, level FROM regions WHERE code = ?", &st) &&
        !tz_stmt_bind_text(st, 1, o->scope.region))
        r = tz_stmt_step(st);
    if (r == 1) {
        _col(st, 0, o->scope_name, sizeof o->scope_name);
        o->level = tz_level_parse(tz_stmt_text(st, 1));
    }
    tz_stmt_free(st);
    return r < 0 ? -1 : 0;
}

/* Reads the current row (SUB_COLS) into o, keeping o's deadline fields. */
static void _read_row(tz_stmt *st, tz_submission *o)
{
    char kind[16];
    o->id = tz_stmt_int(st, 0);
    _col(st, 1, kind, sizeof kind);
    memset(&o->scope, 0, sizeof o->scope);
    if (!strcmp(kind, "unit")) {
        _col(st, 2, o->scope.unit, sizeof o->scope.unit);
    } else {
        _col(st, 2, o->scope.region, sizeof o->scope.region);
        o->scope.digits = (int)tz_stmt_int(st, 3);
    }
    _col(st, 4, o->period, sizeof o->period);
    _col(st, 5, o->start, sizeof o->start);
    _col(st, 6, o->end, sizeof o->end);
    char status[16];
    _col(st, 7, status, sizeof status);
    o->state = _state_parse(status);
    _col(st, 8, o->submitted_by, sizeof o->submitted_by);
    _col(st, 9, o->submitted_at, sizeof o->submitted_at);
    _col(st, 10, o->reviewed_by, sizeof o->reviewed_by);
    _col(st, 11, o->reviewed_at, sizeof o->reviewed_at);
    _col(st, 12, o->reason, sizeof o->reason);
}

int tz_wf_get(tz_store *s, long long id, tz_submission *out)
{
    tz_stmt *st = NULL;
    int r = -1;
    memset(out, 0, sizeof *out);
    if (!tz_store_prepare(s, "SELECT " SUB_COLS " FROM tz_submissions WHERE id = ?", &st) &&
        !tz_stmt_bind_int(st, 1, id))
        r = tz_stmt_step(st);
    if (r == 1)
        _read_row(st, out);
    tz_stmt_free(st);
    if (r == 1 && _describe(s, out))
        return -1;
    return r;
}

/* The scope's submission of the period (label) into out: 1 found, 0 not
 * (out keeps the scope and period, state TZ_SUB_NONE), -1 on error. */
static int _find(tz_store *s, tz_stmt *st, tz_submission *out)
{
    int r = -1;
    if (!tz_stmt_reset(st) && !tz_stmt_bind_text(st, 1, out->scope.unit[0] ? "unit" : "region") &&
        !tz_stmt_bind_text(st, 2, out->scope.unit[0] ? out->scope.unit : out->scope.region) &&
        !tz_stmt_bind_text(st, 3, out->period))
        r = tz_stmt_step(st);
    if (r == 1)
        _read_row(st, out);
    return r;
}

static const char _find_sql[] = "SELECT " SUB_COLS " FROM tz_submissions WHERE scope_kind = ? "
                                "AND scope = ? AND period = ?";

/* The local time now as "YYYY-MM-DD HH:MM:SS". Returns 0 or -1. */
static int _now(char out[20])
{
    time_t t = time(NULL);
    struct tm tmv;
    return localtime_r(&t, &tmv) && strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tmv) ? 0 : -1;
}

/* Audits a move of sub by actor: the key "<scope>/<period>" and the detail
 * naming the scope, period, id and reason. Returns 0 or -1. */
static int _audit(tz_store *s, const char *actor, const char *action, const tz_submission *sub,
                  const char *reason)
{
    char key[300];
    snprintf(key, sizeof key, "%s/%s", sub->scope.unit[0] ? sub->scope.unit : sub->scope.region,
             sub->period);
    tz_buf det = TZ_BUF_INIT;
    tz_buf_printf(&det, "%s %s(编号 %lld)", sub->scope_name, sub->period, sub->id);
    if (reason && *reason)
        tz_buf_printf(&det, " 理由: %s", reason);
    int r = det.data ? tz_store_audit(s, actor, action, "submissions", key, tz_buf_str(&det)) : -1;
    tz_buf_free(&det);
    return r;
}

/* Adds the database failure to d, rolls back, returns TZ_WF_ERROR. */
static tz_wf_result _db_fail(tz_store *s, tz_diags *d)
{
    tz_diags_error(d, NULL, 0, NULL, NULL, "数据库操作失败: %s", tz_store_errmsg(s));
    if (tz_store_in_tx(s))
        tz_store_rollback(s);
    return TZ_WF_ERROR;
}

/* ---- 上报 ------------------------------------------------------------------ */

/* The scope and period of a submission to be, into out; checks role and
 * scope. */
static tz_wf_result _submit_target(tz_store *s, const tz_account *by, const char *region,
                                   const char *unit, const char *period, tz_submission *out,
                                   tz_diags *d)
{
    if (by->role != TZ_ROLE_CLERK && by->role != TZ_ROLE_ADMIN) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "当前账户(%s)无权上报,上报须由填报或管理员账户进行",
                       tz_role_word(by->role));
        return TZ_WF_FORBIDDEN;
    }
    tz_period p;
    const char *why = NULL;
    if (!period || !*period) {
        tz_diags_error(d, NULL, 0, "期间", NULL, "缺少上报的期间,如 2024-03、2024-Q1、2024");
        return TZ_WF_INVALID;
    }
    if (tz_period_parse(period, &p, &why)) {
        tz_diags_error(d, NULL, 0, "期间", period, "%s", why);
        return TZ_WF_INVALID;
    }
    if (!region == !unit) {
        tz_diags_error(d, NULL, 0, "区划", NULL, "上报须给出区划或单位中的一个");
        return TZ_WF_INVALID;
    }
    int r = tz_access_resolve(s, region, unit, &out->scope, out->scope_name, sizeof out->scope_name,
                              &out->level, d);
    if (r)
        return r < 0 ? TZ_WF_ERROR : TZ_WF_INVALID;
    if ((r = tz_access_contains(s, &by->access, &out->scope)) < 0)
        return _db_fail(s, d);
    if (!r) {
        tz_diags_error(d, NULL, 0, unit ? "单位" : "区划", unit ? unit : region,
                       "%s不在当前账户的范围(%s)内,不能为它上报", out->scope_name, by->scope_name);
        return TZ_WF_FORBIDDEN;
    }
    snprintf(out->period, sizeof out->period, "%s", p.label);
    memcpy(out->start, p.start, sizeof out->start);
    memcpy(out->end, p.end, sizeof out->end);
    return TZ_WF_OK;
}

/* Inserts the submission, or submits a returned or reopened one again.
 * Returns 1 written (out->id set), 0 when its state does not allow it, -1
 * on a database error. */
static int _submit_write(tz_store *s, const tz_account *by, tz_submission *out)
{
    char now[20];
    if (_now(now))
        return -1;
    tz_stmt *st = NULL;
    int r = -1;
    if (tz_store_prepare(s,
                         "INSERT INTO tz_submissions (scope_kind, scope, digits, period, "
                         "period_start, period_end, status, submitted_by, submitted_at) VALUES "
                         "(?, ?, ?, ?, ?, ?, 'submitted', ?, ?) ON CONFLICT (scope_kind, scope, "
                         "period) DO UPDATE SET status = 'submitted', submitted_by = "
                         "excluded.submitted_by, submitted_at = excluded.submitted_at, "
                         "reviewed_by = NULL, reviewed_at = NULL, reason = NULL WHERE "
                         "tz_submissions.status IN ('returned', 'reopened') RETURNING id",
                         &st))
        goto done;
    int unit = out->scope.unit[0] != '\0';
    if (tz_stmt_bind_text(st, 1, unit ? "unit" : "region") ||
        tz_stmt_bind_text(st, 2, unit ? out->scope.unit : out->scope.region) ||
        tz_stmt_bind_int(st, 3, unit ? 0 : out->scope.digits) ||
        tz_stmt_bind_text(st, 4, out->period) || tz_stmt_bind_text(st, 5, out->start) ||
        tz_stmt_bind_text(st, 6, out->end) || tz_stmt_bind_text(st, 7, by->name) ||
        tz_stmt_bind_text(st, 8, now))
        goto done;
    r = tz_stmt_step(st);
    if (r == 1) {
        out->id = tz_stmt_int(st, 0);
        /* the statement ends here, before the audit writes */
        if (tz_stmt_step(st) < 0)
            r = -1;
    }
done:
    tz_stmt_free(st);
    return r;
}

/* The 409 for a submission whose state refuses a move. */
static tz_wf_result _conflict(const tz_submission *sub, const char *what, tz_diags *d)
{
    if (sub->state == TZ_SUB_APPROVED && !strcmp(what, "上报"))
        tz_diags_error(d, NULL, 0, NULL, NULL,
                       "%s %s 已审核通过,数据已锁定;需要修改时请上级审核账户重新打开",
                       sub->scope_name, sub->period);
    else if (sub->state == TZ_SUB_SUBMITTED && !strcmp(what, "上报"))
        tz_diags_error(d, NULL, 0, NULL, NULL, "%s %s 已上报,正在等待审核,不能重复上报",
                       sub->scope_name, sub->period);
    else
        tz_diags_error(d, NULL, 0, NULL, NULL, "%s %s 当前为%s,不能%s", sub->scope_name,
                       sub->period, tz_sub_state_word(sub->state), what);
    return TZ_WF_CONFLICT;
}

tz_wf_result tz_wf_submit(tz_store *s, const tz_account *by, const char *region, const char *unit,
                          const char *period, tz_submission *out, tz_diags *d)
{
    memset(out, 0, sizeof *out);
    tz_wf_result rc = _submit_target(s, by, region, unit, period, out, d);
    if (rc != TZ_WF_OK)
        return rc;
    if (tz_store_begin(s))
        return _db_fail(s, d);
    int r = _submit_write(s, by, out);
    if (r < 0)
        return _db_fail(s, d);
    if (r == 0) {
        tz_stmt *st = NULL;
        r = tz_store_prepare(s, _find_sql, &st) ? -1 : _find(s, st, out);
        tz_stmt_free(st);
        if (r < 0)
            return _db_fail(s, d);
        tz_store_rollback(s);
        return _conflict(out, "上报", d);
    }
    if (_audit(s, by->name, "上报", out, NULL) || tz_store_commit(s))
        return _db_fail(s, d);
    r = tz_wf_get(s, out->id, out);
    return r == 1 ? TZ_WF_OK : _db_fail(s, d);
}

/* ---- 审核 ------------------------------------------------------------------ */

/* What a move does with a reason. */
enum { REASON_NONE = 0, REASON_OPTIONAL = 1, REASON_REQUIRED = 2 };

/* One move: its word, the state it needs, the state it leads to. */
typedef struct wf_move {
    const char *word;    /* 审核通过 / 退回 / 重新打开 (the audit action too) */
    const char *from;    /* status it needs */
    const char *to;      /* status it sets */
    int reason;          /* REASON_*: approval takes none, reopening may give one */
    const char *require; /* what the 409 says is needed */
} wf_move;

static const wf_move _moves[] = {
    {"审核通过", "submitted", "approved", REASON_NONE, "只有已上报的才能审核通过"},
    {"退回", "submitted", "returned", REASON_REQUIRED, "只有已上报的才能退回"},
    {"重新打开", "approved", "reopened", REASON_OPTIONAL, "只有已审核的才能重新打开"},
};

/* 1 when s holds a control or invisible character other than a line break. */
static int _has_hidden(const char *s)
{
    while (*s) {
        long cp;
        s += tz_utf8_next(s, &cp);
        if (cp != '\n' && tz_char_hidden(cp))
            return 1;
    }
    return 0;
}

/* The trimmed reason into out: 0, or 1 with a diag when required and
 * missing, too long, or holding control characters. */
static int _reason(const char *reason, const wf_move *m, char *out, size_t sz, tz_diags *d)
{
    out[0] = '\0';
    if (m->reason == REASON_NONE)
        return 0;
    const char *b = reason ? reason : "";
    while (*b == ' ' || *b == '\t' || *b == '\r' || *b == '\n')
        b++;
    size_t n = strlen(b);
    while (n && (b[n - 1] == ' ' || b[n - 1] == '\t' || b[n - 1] == '\r' || b[n - 1] == '\n'))
        n--;
    if (!n && m->reason == REASON_REQUIRED) {
        tz_diags_error(d, NULL, 0, "理由", NULL, "%s须说明理由", m->word);
        return 1;
    }
    snprintf(out, sz, "%.*s", (int)(n < sz ? n : sz - 1), b);
    if (n >= sz || !tz_utf8_valid(out, strlen(out)) || tz_utf8_count(out) > TZ_WF_REASON_CHARS) {
        tz_diags_error(d, NULL, 0, "理由", NULL, "理由不能超过%d个字", TZ_WF_REASON_CHARS);
        return 1;
    }
    if (_has_hidden(out)) {
        tz_diags_error(d, NULL, 0, "理由", NULL, "理由中有控制字符或不可见字符");
        return 1;
    }
    return 0;
}

/* Checks that by may review sub: its role, then its scope strictly
 * containing sub's. */
static tz_wf_result _may_review(tz_store *s, const tz_account *by, const tz_submission *sub,
                                const wf_move *m, tz_diags *d)
{
    if (by->role != TZ_ROLE_REVIEWER && by->role != TZ_ROLE_ADMIN) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "当前账户(%s)无权%s,须由上级的审核或管理员账户进行",
                       tz_role_word(by->role), m->word);
        return TZ_WF_FORBIDDEN;
    }
    int r = tz_access_contains(s, &by->access, &sub->scope);
    if (r < 0)
        return _db_fail(s, d);
    if (!r) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "%s %s 不在当前账户的范围(%s)内,不能%s",
                       sub->scope_name, sub->period, by->scope_name, m->word);
        return TZ_WF_FORBIDDEN;
    }
    if (_same(&by->access, &sub->scope)) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "%s %s 是当前账户本级的上报,须由上级审核,不能自己%s",
                       sub->scope_name, sub->period, m->word);
        return TZ_WF_FORBIDDEN;
    }
    return TZ_WF_OK;
}

/* Moves row id from m->from to m->to as by. Returns 1 moved, 0 when its
 * state had changed, -1 on a database error. */
static int _review_write(tz_store *s, const tz_account *by, long long id, const wf_move *m,
                         const char *reason)
{
    char now[20];
    if (_now(now))
        return -1;
    tz_stmt *st = NULL;
    int r = -1;
    if (tz_store_prepare(s,
                         "UPDATE tz_submissions SET status = ?, reviewed_by = ?, reviewed_at = ?, "
                         "reason = ? WHERE id = ? AND status = ? RETURNING id",
                         &st) ||
        tz_stmt_bind_text(st, 1, m->to) || tz_stmt_bind_text(st, 2, by->name) ||
        tz_stmt_bind_text(st, 3, now) ||
        (*reason ? tz_stmt_bind_text(st, 4, reason) : tz_stmt_bind_null(st, 4)) ||
        tz_stmt_bind_int(st, 5, id) || tz_stmt_bind_text(st, 6, m->from))
        goto done;
    r = tz_stmt_step(st);
    if (r == 1 && tz_stmt_step(st) < 0)
        r = -1;
done:
    tz_stmt_free(st);
    return r;
}

tz_wf_result tz_wf_review(tz_store *s, const tz_account *by, long long id, tz_wf_action act,
                          const char *reason, tz_submission *out, tz_diags *d)
{
    memset(out, 0, sizeof *out);
    if ((unsigned)act > TZ_WF_REOPEN) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "未知的审核操作");
        return TZ_WF_INVALID;
    }
    const wf_move *m = &_moves[act];
    char why[1024];
    int r = tz_wf_get(s, id, out);
    if (r < 0)
        return _db_fail(s, d);
    if (r == 0) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "没有编号为 %lld 的上报", id);
        return TZ_WF_NOT_FOUND;
    }
    tz_wf_result rc = _may_review(s, by, out, m, d);
    if (rc != TZ_WF_OK)
        return rc;
    if (_reason(reason, m, why, sizeof why, d))
        return TZ_WF_INVALID;
    if (tz_store_begin(s))
        return _db_fail(s, d);
    if ((r = _review_write(s, by, id, m, why)) < 0)
        return _db_fail(s, d);
    if (r == 0) {
        /* read the state inside the transaction: what refused the move */
        if (tz_wf_get(s, id, out) < 0)
            return _db_fail(s, d);
        tz_store_rollback(s);
        tz_diags_error(d, NULL, 0, NULL, NULL, "%s %s 当前为%s,%s", out->scope_name, out->period,
                       tz_sub_state_word(out->state), m->require);
        return TZ_WF_CONFLICT;
    }
    if (_audit(s, by->name, m->word, out, why) || tz_store_commit(s))
        return _db_fail(s, d);
    return tz_wf_get(s, id, out) == 1 ? TZ_WF_OK : _db_fail(s, d);
}

/* ---- deadlines -------------------------------------------------------------- */

int tz_deadline_get(tz_store *s, const char *level, int *day)
{
    tz_stmt *st = NULL;
    int r = -1;
    if (!tz_store_prepare(s, "SELECT day FROM tz_deadlines WHERE level = ?", &st) &&
        !tz_stmt_bind_text(st, 1, level))
        r = tz_stmt_step(st);
    if (r == 1)
        *day = (int)tz_stmt_int(st, 0);
    tz_stmt_free(st);
    return r;
}

int tz_deadline_set(tz_store *s, const char *level, const char *day, const char *actor, tz_diags *d)
{
    int known = 0;
    for (int i = 0; _levels[i]; i++)
        known |= level && !strcmp(level, _levels[i]);
    if (!known) {
        tz_diags_error(d, NULL, 0, "层级", level, "层级应为 市、县、乡、村 或 单位");
        return 1;
    }
    long long v = 0;
    if (tz_num_int(day, 1, 28, &v)) {
        tz_diags_error(d, NULL, 0, "日期", day,
                       "上报期限应为次月的第1至28日之间的整数(每个月都有的日子)");
        return 1;
    }
    tz_stmt *st = NULL;
    char det[64];
    snprintf(det, sizeof det, "次月%lld日前上报", v);
    if (tz_store_begin(s) ||
        tz_store_prepare(s,
                         "INSERT INTO tz_deadlines (level, day) VALUES (?, ?) ON CONFLICT "
                         "(level) DO UPDATE SET day = excluded.day",
                         &st) ||
        tz_stmt_bind_text(st, 1, level) || tz_stmt_bind_int(st, 2, v) || tz_stmt_step(st) < 0 ||
        tz_store_audit(s, actor ? actor : "命令行", "设置上报期限", "deadlines", level, det) ||
        tz_store_commit(s)) {
        tz_stmt_free(st);
        _db_fail(s, d);
        return -1;
    }
    tz_stmt_free(st);
    return 0;
}

void tz_deadline_date(const char *end, int day, char out[11])
{
    int y = tz_num_digits(end, 4), m = tz_num_digits(end + 5, 2);
    if (y < 0 || m < 1 || m > 12) {
        out[0] = '\0';
        return;
    }
    if (++m > 12) {
        m = 1;
        y++;
    }
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)day % 100u);
}

int tz_wf_today(char out[11], tz_diags *d)
{
    const char *env = getenv("TZ_TODAY");
    if (env && *env) {
        int y = tz_num_digits(env, 4), m = tz_num_digits(env + 5, 2),
            dd = tz_num_digits(env + 8, 2);
        if (strlen(env) != 10 || env[4] != '-' || env[7] != '-' || y < 0 || m < 0 || dd < 0 ||
            !tz_cal_valid(y, m, dd)) {
            tz_diags_error(d, NULL, 0, "TZ_TODAY", env,
                           "环境变量 TZ_TODAY 应为一个日期,写作 YYYY-MM-DD");
            return -1;
        }
        memcpy(out, env, 11);
        return 0;
    }
    time_t t = time(NULL);
    struct tm tmv;
    if (!localtime_r(&t, &tmv) || !strftime(out, 11, "%Y-%m-%d", &tmv)) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "无法读取系统日期");
        return -1;
    }
    return 0;
}

/* ---- the listing ------------------------------------------------------------ */

/* The deadline day of each level (by _levels index; 0 where none is set),
 * read once per listing. Returns 0 or -1. */
static int _deadline_days(tz_store *s, int days[TZ_WF_LEVELS])
{
    memset(days, 0, TZ_WF_LEVELS * sizeof *days);
    tz_stmt *st = NULL;
    int r = -1;
    if (!tz_store_prepare(s, "SELECT level, day FROM tz_deadlines", &st))
        while ((r = tz_stmt_step(st)) == 1) {
            const char *lv = tz_stmt_text(st, 0);
            for (int i = 0; lv && _levels[i]; i++)
                if (!strcmp(lv, _levels[i]))
                    days[i] = (int)tz_stmt_int(st, 1);
        }
    tz_stmt_free(st);
    return r < 0 ? -1 : 0;
}

/* Fills item's deadline (by its level word, 单位 for a unit) and lateness
 * as of today. */
static void _lateness(const int days[TZ_WF_LEVELS], tz_submission *it, const char *today)
{
    const char *word = it->scope.unit[0] ? "单位" : tz_level_word(it->level);
    int day = 0;
    for (int i = 0; word && _levels[i]; i++)
        if (!strcmp(word, _levels[i]))
            day = days[i];
    it->deadline[0] = '\0';
    it->late = 0;
    if (day) {
        tz_deadline_date(it->end, day, it->deadline);
        it->late = (it->state == TZ_SUB_NONE || it->state == TZ_SUB_RETURNED) &&
                   strcmp(today, it->deadline) > 0;
    }
}

/* Looks up the item's submission for l->period and its lateness. */
static int _fill_item(tz_store *s, tz_stmt *find, const tz_wf_list *l, const int days[TZ_WF_LEVELS],
                      tz_submission *it)
{
    snprintf(it->period, sizeof it->period, "%s", l->period);
    memcpy(it->start, l->self.start, sizeof it->start);
    memcpy(it->end, l->self.end, sizeof it->end);
    if (_find(s, find, it) < 0)
        return -1;
    _lateness(days, it, l->today);
    return 0;
}

/* Appends one item to l. Returns it, or NULL when out of memory. */
static tz_submission *_push(tz_wf_list *l)
{
    tz_submission *n = realloc(l->items, (l->n + 1) * sizeof *n);
    if (!n)
        return NULL;
    l->items = n;
    memset(&n[l->n], 0, sizeof n[l->n]);
    return &n[l->n++];
}

/* The child regions and seated units of the region l->self into l->items. */
static int _children(tz_store *s, tz_stmt *find, tz_wf_list *l)
{
    static const char *const sql[] = {
        "SELECT code, name, level FROM regions WHERE parent = ? ORDER BY code",
        "SELECT name FROM units WHERE region = ? ORDER BY name"};
    int rc = -1, r = 0;
    tz_stmt *st = NULL;
    for (int k = 0; k < 2; k++) {
        tz_stmt_free(st);
        st = NULL;
        if (tz_store_prepare(s, sql[k], &st) || tz_stmt_bind_text(st, 1, l->self.scope.region))
            goto done;
        while ((r = tz_stmt_step(st)) == 1) {
            tz_submission *it = _push(l);
            if (!it)
                goto done;
            if (k == 0) {
                _region_row(st, &it->scope, it->scope_name, sizeof it->scope_name, &it->level);
            } else {
                _col(st, 0, it->scope.unit, sizeof it->scope.unit);
                snprintf(it->scope_name, sizeof it->scope_name, "%s", it->scope.unit);
                it->level = TZ_LEVEL_NONE;
            }
        }
        if (r < 0)
            goto done;
    }
    rc = 0;
done:
    tz_stmt_free(st);
    return rc;
}

/* The period to list into l (label, days): the given one, or the month
 * before today. */
static tz_wf_result _list_period(const char *period, tz_wf_list *l, tz_diags *d)
{
    char prev[8];
    if (!period || !*period) {
        int y = tz_num_digits(l->today, 4), m = tz_num_digits(l->today + 5, 2);
        if (--m < 1) {
            m = 12;
            y--;
        }
        snprintf(prev, sizeof prev, "%04u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u);
        period = prev;
    }
    tz_period p;
    const char *why = NULL;
    if (tz_period_parse(period, &p, &why)) {
        tz_diags_error(d, NULL, 0, "期间", period, "%s", why);
        return TZ_WF_INVALID;
    }
    snprintf(l->period, sizeof l->period, "%s", p.label);
    snprintf(l->self.period, sizeof l->self.period, "%s", p.label);
    memcpy(l->self.start, p.start, sizeof l->self.start);
    memcpy(l->self.end, p.end, sizeof l->self.end);
    return TZ_WF_OK;
}

tz_wf_result tz_wf_list_scopes(tz_store *s, const tz_account *by, const char *period,
                               const char *region, tz_wf_list *out, tz_diags *d)
{
    memset(out, 0, sizeof *out);
    if (tz_wf_today(out->today, d))
        return TZ_WF_ERROR;
    tz_wf_result rc = _list_period(period, out, d);
    if (rc != TZ_WF_OK)
        return rc;
    tz_submission *self = &out->self;
    if (region && *region) {
        int r = tz_access_resolve(s, region, NULL, &self->scope, self->scope_name,
                                  sizeof self->scope_name, &self->level, d);
        if (r)
            return r < 0 ? TZ_WF_ERROR : TZ_WF_INVALID;
        if ((r = tz_access_contains(s, &by->access, &self->scope)) < 0)
            return _db_fail(s, d);
        if (!r) {
            tz_diags_error(d, NULL, 0, "区划", region, "%s不在当前账户的范围(%s)内",
                           self->scope_name, by->scope_name);
            return TZ_WF_FORBIDDEN;
        }
    } else {
        self->scope = by->access;
        snprintf(self->scope_name, sizeof self->scope_name, "%s", by->scope_name);
        self->level = by->access.unit[0] ? TZ_LEVEL_NONE : by->level;
    }
    tz_stmt *find = NULL;
    int days[TZ_WF_LEVELS];
    if (_deadline_days(s, days) || tz_store_prepare(s, _find_sql, &find) ||
        _fill_item(s, find, out, days, self))
        goto fail;
    if (!self->scope.unit[0] && _children(s, find, out))
        goto fail;
    for (size_t i = 0; i < out->n; i++)
        if (_fill_item(s, find, out, days, &out->items[i]))
            goto fail;
    tz_stmt_free(find);
    return TZ_WF_OK;
fail:
    tz_stmt_free(find);
    tz_wf_list_free(out);
    return _db_fail(s, d);
}

void tz_wf_list_free(tz_wf_list *l)
{
    if (!l)
        return;
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

/* ---- JSON ------------------------------------------------------------------- */

/* A string, or null when empty. */
static json_t *_str(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

json_t *tz_wf_json(const tz_submission *sub, int with_deadline)
{
    const tz_access *a = &sub->scope;
    json_t *scope =
        json_pack("{s:s, s:o, s:o, s:o}", "kind", a->unit[0] ? "unit" : "region",
                  a->unit[0] ? "unit" : "code", json_string(a->unit[0] ? a->unit : a->region),
                  "name", _str(sub->scope_name), "level",
                  a->unit[0] ? json_string("单位") : _str(tz_level_word(sub->level)));
    json_t *o =
        json_pack("{s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
                  sub->id ? json_integer(sub->id) : json_null(), "status",
                  tz_sub_state_key(sub->state), "status_word", tz_sub_state_word(sub->state),
                  "scope", scope ? scope : json_null(), "period", _str(sub->period), "start",
                  _str(sub->start), "end", _str(sub->end), "submitted_by", _str(sub->submitted_by),
                  "submitted_at", _str(sub->submitted_at), "reviewed_by", _str(sub->reviewed_by),
                  "reviewed_at", _str(sub->reviewed_at), "reason", _str(sub->reason));
    if (o && with_deadline &&
        (json_object_set_new(o, "deadline", _str(sub->deadline)) ||
         json_object_set_new(o, "late", json_boolean(sub->late)))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Appends tz_wf_json of sub to arr. Returns 0, or -1 when out of memory. */
static int _append(json_t *arr, const tz_submission *sub)
{
    json_t *it = tz_wf_json(sub, 1);
    return it && !json_array_append_new(arr, it) ? 0 : -1;
}

json_t *tz_wf_list_json(const tz_wf_list *l)
{
    json_t *items = json_array(), *late = json_array(), *counts = json_object();
    json_t *self = tz_wf_json(&l->self, 1), *o = NULL;
    long long n[TZ_SUB_REOPENED + 1] = {0}, nlate = 0;
    int bad = !items || !late || !counts || !self;
    for (size_t i = 0; !bad && i < l->n; i++) {
        const tz_submission *it = &l->items[i];
        n[it->state]++;
        nlate += it->late;
        bad = _append(items, it) || (it->late && _append(late, it));
    }
    for (int k = 0; !bad && k <= TZ_SUB_REOPENED; k++)
        bad = json_object_set_new(counts, tz_sub_state_key((tz_sub_state)k), json_integer(n[k]));
    if (!bad && !json_object_set_new(counts, "late", json_integer(nlate)))
        o = json_pack("{s:s, s:s, s:O, s:O, s:O, s:O}", "period", l->period, "today", l->today,
                      "scope", self, "counts", counts, "items", items, "late", late);
    json_decref(items);
    json_decref(late);
    json_decref(counts);
    json_decref(self);
    return o;
}
