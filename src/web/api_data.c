/* api_data.c - the read-only data routes: ledger definitions, check,
 * indicators, reports and the audit log (留痕), each inside the caller's
 * scope.
 *
 * Owns: GET /api/ledgers, /api/check, /api/indicators/{name}, /api/report
 * and /api/audit: their query arguments, statuses and the shape of the
 * audit listing. The JSON of ledgers, check and indicators is views.c's
 * (the CLI's --json); reports are drafted and rendered by report/draft.h
 * (tz_draft_report, tz_draft_render_bytes: the CLI's renderer).
 *
 * Does not own: role and scope checks (guard.c), sending (server.c), what
 * an account's scope contains (account.c).
 *
 * Reports are drafted in this process with the request's pooled
 * connection (tz_draft_report), not in the sandboxed child the CLI uses:
 * forking a process that holds open SQLite connections hands the child's
 * new connection the parent's lock state (see cmd_report.c), and the
 * templates a server runs are the installed ones, chosen by kind, never
 * uploaded; the instruction and memory caps of the drafter still apply.
 *
 * The audit log in scope: the entries written by an account inside the
 * caller's scope (tz_account_list with the caller as `by`), which is every
 * write through the API (each carries its account). Entries written on the
 * command line (by the server's operator, not by an account) are not shown
 * through the API. No route changes audit_log.
 */
#include "report/draft.h"
#include "report/template.h"
#include "util/num.h"
#include "web/web_impl.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define AUDIT_LIMIT_DEFAULT 100  /* entries per page when limit is not given */
#define AUDIT_LIMIT_MAX 1000     /* most entries per page */
#define AUDIT_ACCOUNTS_MAX 30000 /* accounts one IN (...) may list (SQLite's parameter cap) */

/* ---- ledgers, check, indicators --------------------------------------------- */

int tz_api_ledgers(tz_req *rq, tz_resp *rs)
{
    if (tz_req_allow(rq, rs, TZ_PERM_READ))
        return 0;
    const char *name = tz_req_query(rq, "ledger");
    const tz_ledger *only = NULL;
    if (name && !(only = tz_req_ledger(rq, rs, name)))
        return 0;
    json_t *j = tz_view_ledgers(only);
    if (!j)
        return tz_resp_error(rs, 500, NULL, "内存不足");
    return tz_resp_json(rs, 200, j);
}

int tz_api_check(tz_req *rq, tz_resp *rs)
{
    tz_view_scope o;
    tz_diags d = TZ_DIAGS_INIT;
    json_t *out = NULL;
    int failed = 0;
    if (tz_req_allow(rq, rs, TZ_PERM_READ) ||
        tz_req_scope(rq, rs, tz_req_query(rq, "region"), tz_req_query(rq, "unit"),
                     tz_req_query(rq, "period"), &o))
        return 0;
    if (tz_view_check(rq->s, &o, &out, &failed, &d) == 0)
        tz_resp_json(rs, 200, out);
    else
        tz_resp_error(rs, 500, &d, "检查未能完成");
    tz_diags_clear(&d);
    return 0;
}

/* 1 when a flag argument (explain=1) is on, 0 when off or absent, -1 when
 * it is neither. */
static int _flag(const tz_req *rq, const char *name)
{
    const char *v = tz_req_query(rq, name);
    if (!v || !strcmp(v, "0") || !strcmp(v, "false"))
        return 0;
    return (!strcmp(v, "1") || !strcmp(v, "true")) ? 1 : -1;
}

int tz_api_indicator(tz_req *rq, tz_resp *rs)
{
    tz_view_scope o;
    tz_diags d = TZ_DIAGS_INIT;
    json_t *out = NULL;
    const char *name = rq->arg[0];
    int explain = _flag(rq, "explain"), ytd = _flag(rq, "ytd");
    if (tz_req_allow(rq, rs, TZ_PERM_READ))
        return 0;
    if (!tz_indicator_find(name))
        return tz_resp_error(rs, 404, NULL, "没有指标 \"%s\"(taizhang indicators 列出全部指标)",
                             name);
    if (explain < 0)
        return tz_resp_error(rs, 400, NULL, "参数 explain 应为 1 或 0");
    if (ytd < 0)
        return tz_resp_error(rs, 400, NULL, "参数 ytd 应为 1(1月1日至期末累计)或 0");
    const char *mode = tz_req_query(rq, "mode");
    tz_mode m = TZ_MODE_PERIOD;
    if (ytd && mode && tz_mode_parse(mode, &m) == 0 && m != TZ_MODE_PERIOD)
        return tz_resp_error(rs, 400, NULL,
                             "参数 ytd=1 只能与 mode=period 一起使用(而不是 mode=%s)", mode);
    if (tz_req_scope(rq, rs, tz_req_query(rq, "region"), tz_req_query(rq, "unit"),
                     tz_req_query(rq, "period"), &o))
        return 0;
    if (ytd) { /* 1 January to the period's end, as targets and reports measure a year */
        tz_period p = o.p;
        tz_period_ytd(&p, &o.p);
    }
    int r = tz_view_indicator(rq->s, name, &o, mode, tz_req_query(rq, "by"), explain, &out, &d);
    if (r == 0)
        tz_resp_json(rs, 200, out);
    else if (r > 0)
        tz_resp_error(rs, 400, &d, "参数有误");
    else
        tz_resp_error(rs, 500, &d, "指标无法计算");
    tz_diags_clear(&d);
    return 0;
}

/* ---- report ------------------------------------------------------------------ */

/* A report format: its query word, file extension and content type. */
typedef struct tz_report_format {
    const char *word; /* format= */
    const char *ext;  /* file extension */
    const char *type; /* Content-Type */
} report_format;

static const report_format _formats[] = {
    {"docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    {"html", "html", "text/html; charset=utf-8"},
    {"md", "md", "text/markdown; charset=utf-8"},
};

/* The kinds of the templates folder, "poverty-work、investment", in buf. */
static const char *_kinds(char *buf, size_t sz)
{
    tz_template **list = NULL;
    size_t n = 0;
    tz_diags d = TZ_DIAGS_INIT;
    buf[0] = '\0';
    if (tz_templates_list(tz_serve_templates(), &list, &n, &d) == 0) {
        size_t k = 0;
        for (size_t i = 0; i < n && k + 1 < sz; i++)
            k += (size_t)snprintf(buf + k, sz - k, "%s%s", i ? "、" : "", list[i]->kind);
    }
    tz_templates_free(list, n);
    tz_diags_clear(&d);
    return buf[0] ? buf : "(无)";
}

/* The declaration of the template of kind into *decl, its file in path.
 * Returns 0, or -1 with rs filled (400 for a kind there is not). */
int tz_req_report_template(tz_resp *rs, const char *kind, char *path, size_t sz, tz_template **decl)
{
    tz_diags d = TZ_DIAGS_INIT;
    if (!tz_template_path(tz_serve_templates(), kind, path, sz) || access(path, R_OK) != 0) {
        char kinds[512];
        tz_resp_error(rs, 400, NULL, "没有汇报种类 \"%s\"(可选: %s)", kind,
                      _kinds(kinds, sizeof kinds));
        return -1;
    }
    int r = tz_template_read(path, decl, NULL, 0, &d);
    int rc = 0;
    if (r != 1 || strcmp((*decl)->kind, kind) != 0) {
        tz_resp_error(rs, 500, &d, "模板 %s.lua 不能作为汇报种类使用", kind);
        tz_template_free(*decl);
        *decl = NULL;
        rc = -1;
    }
    tz_diags_clear(&d);
    return rc;
}

/* Renders doc in format f into rs as a download named name, with the CLI's
 * renderer (tz_draft_render_bytes: the same checks and bytes as `taizhang
 * report -o`). Returns 0. */
static int _report_send(tz_resp *rs, const tz_doc *doc, const report_format *f, const char *name)
{
    tz_diags d = TZ_DIAGS_INIT;
    char *bytes = NULL;
    size_t len = 0;
    if (tz_draft_render_bytes(doc, f->ext, &bytes, &len, &d) == 0) {
        tz_resp_clear(rs);
        rs->status = 200;
        rs->bytes = bytes;
        rs->len = len;
        rs->type = f->type;
        snprintf(rs->filename, sizeof rs->filename, "%s", name);
    } else {
        tz_resp_error(rs, 500, &d, "汇报材料未能生成");
    }
    tz_diags_clear(&d);
    return 0;
}

/* Reads and checks the arguments of GET /api/report into *a. The region
 * must itself lie inside the caller's scope: a report states the region's
 * figures, so a unit-scoped account cannot draft one. Returns 0, or -1 with
 * rs filled. */
int tz_req_report_ask(tz_req *rq, tz_resp *rs, tz_report_ask *a)
{
    const char *fw = tz_req_query(rq, "format");
    const char *region = tz_req_query(rq, "region");
    a->kind = tz_req_query(rq, "kind");
    a->unit = tz_req_query(rq, "unit");
    a->f = NULL;
    for (size_t i = 0; i < sizeof _formats / sizeof _formats[0]; i++)
        if (!strcmp(fw ? fw : "docx", _formats[i].word))
            a->f = &_formats[i];
    if (!a->kind) {
        char kinds[512];
        tz_resp_error(rs, 400, NULL, "需要参数 kind(汇报种类,可选: %s)",
                      _kinds(kinds, sizeof kinds));
        return -1;
    }
    if (!a->f)
        return tz_resp_error(rs, 400, NULL, "参数 format \"%s\" 有误: 应为 docx、html 或 md", fw),
               -1;
    if (!region && rq->sess->acct.access.region[0])
        region = rq->sess->acct.access.region;
    if (!region)
        return tz_resp_error(rs, 403, NULL, "汇报材料按区划起草,单位账户(%s)无权起草",
                             rq->sess->acct.scope_name),
               -1;
    return tz_req_scope(rq, rs, region, NULL, tz_req_query(rq, "period"), &a->o);
}

int tz_req_report_prepare(tz_req *rq, tz_resp *rs, tz_report_ask *a, tz_template **decl, char *path,
                          size_t sz, tz_draft_opts *o)
{
    char why[512];
    tz_diags d = TZ_DIAGS_INIT;
    memset(o, 0, sizeof *o);
    if (tz_req_allow(rq, rs, TZ_PERM_READ) || tz_req_report_ask(rq, rs, a) ||
        tz_req_report_template(rs, a->kind, path, sz, decl))
        return -1;
    int r = tz_template_check_scope(rq->s, *decl, a->o.code, a->unit, why, sizeof why, &d);
    if (r != 0)
        tz_resp_error(rs, r > 0 ? 400 : 500, &d, "%s", r > 0 ? why : "数据库错误,无法核对范围");
    tz_diags_clear(&d);
    if (r != 0)
        return -1;
    o->template_path = path;
    o->region = a->o.code;
    o->unit = a->unit;
    o->period = a->o.p.label;
    return 0;
}

int tz_api_report(tz_req *rq, tz_resp *rs)
{
    tz_report_ask a;
    tz_template *decl = NULL;
    tz_doc *doc = NULL;
    tz_diags d = TZ_DIAGS_INIT;
    char path[4096], name[256];
    tz_draft_opts o;
    if (tz_req_report_prepare(rq, rs, &a, &decl, path, sizeof path, &o))
        goto done;
    o.appendix = _flag(rq, "appendix") == 1;
    /* the 附件 lists ledger keys, which may be ID numbers */
    if (o.appendix && tz_req_allow(rq, rs, TZ_PERM_UNMASK))
        goto done;
    if (tz_draft_report(rq->s, &o, &doc, NULL, &d)) {
        tz_resp_error(rs, 422, &d, "汇报材料未生成");
        goto done;
    }
    snprintf(name, sizeof name, "%s%s%s-%s-%s.%s", a.o.region_name, a.unit ? "-" : "",
             a.unit ? a.unit : "", a.o.p.label, decl->title, a.f->ext);
    _report_send(rs, doc, a.f, name);
done:
    tz_doc_free(doc);
    tz_template_free(decl);
    tz_diags_clear(&d);
    return 0;
}

/* ---- audit --------------------------------------------------------------------- */

/* The accounts whose entries the caller sees. */
typedef struct audit_names {
    char (*name)[64]; /* account names */
    size_t n;         /* how many */
    size_t cap;       /* allocated */
    int oom;          /* 1 when memory ran out */
} audit_names;

static int _collect(void *ctx, const tz_account *a)
{
    audit_names *v = ctx;
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 64;
        void *nn = realloc(v->name, cap * sizeof *v->name);
        if (!nn) {
            v->oom = 1;
            return 1;
        }
        v->name = nn;
        v->cap = cap;
    }
    snprintf(v->name[v->n++], sizeof v->name[0], "%s", a->name);
    return 0;
}

/* The filters of an audit listing. */
typedef struct audit_ask {
    const tz_ledger *l; /* ledger=, or NULL */
    const char *key;    /* key= (a row of l: its whole history), or NULL */
    const char *user;   /* user=, or NULL */
    char from[11];      /* from= as YYYY-MM-DD, or "" */
    char to[11];        /* to= as YYYY-MM-DD, or "" */
    long long limit;    /* limit= */
    long long offset;   /* offset= */
} audit_ask;

/* A date argument into out (""), or -1 with rs filled. */
static int _date_arg(tz_req *rq, tz_resp *rs, const char *name, char out[11])
{
    const char *v = tz_req_query(rq, name), *why = NULL;
    out[0] = '\0';
    if (v && tz_parse_date(v, 0, 0, out, &why))
        return tz_resp_error(rs, 400, NULL, "参数 %s \"%s\" 有误: %s", name, v, why), -1;
    return 0;
}

/* A whole-number argument in [min, max] into *out (def when absent), or -1
 * with rs filled. */
static int _int_arg(tz_req *rq, tz_resp *rs, const char *name, long long def, long long min,
                    long long max, long long *out)
{
    const char *v = tz_req_query(rq, name);
    *out = def;
    if (v && tz_num_int(v, min, max, out))
        return tz_resp_error(rs, 400, NULL, "参数 %s \"%s\" 有误: 应为%lld到%lld之间的整数", name,
                             v, min, max),
               -1;
    return 0;
}

static int _audit_ask(tz_req *rq, tz_resp *rs, audit_ask *a)
{
    const char *ledger = tz_req_query(rq, "ledger");
    a->user = tz_req_query(rq, "user");
    a->key = tz_req_query(rq, "key");
    a->l = NULL;
    if (ledger && !(a->l = tz_req_ledger(rq, rs, ledger)))
        return -1;
    if (a->key && !a->l)
        return tz_resp_error(rs, 400, NULL, "参数 key 需要与 ledger 一起给出(哪个台账的哪一行)"),
               -1;
    if (_date_arg(rq, rs, "from", a->from) || _date_arg(rq, rs, "to", a->to) ||
        _int_arg(rq, rs, "limit", AUDIT_LIMIT_DEFAULT, 1, AUDIT_LIMIT_MAX, &a->limit) ||
        _int_arg(rq, rs, "offset", 0, 0, 1000000000LL, &a->offset))
        return -1;
    return 0;
}

/* The WHERE of an audit listing (placeholders bound by _audit_bind). */
static void _audit_where(tz_buf *sql, const audit_names *v, const audit_ask *a)
{
    /* one row's history reads the view, which adds the 新增 entries that
     * import records stand for (store.c); the listing reads the log, where
     * an import is its one 导入 entry */
    tz_buf_printf(sql, " FROM %s WHERE actor IN (", a->key ? "tz_audit_history" : "audit_log");
    for (size_t i = 0; i < v->n; i++)
        tz_buf_puts(sql, i ? ", ?" : "?");
    tz_buf_puts(sql, ")");
    if (a->user)
        tz_buf_puts(sql, " AND actor = ?");
    if (a->l)
        tz_buf_puts(sql, " AND ledger = ?");
    if (a->key)
        tz_buf_puts(sql, " AND row_key = ?");
    if (a->from[0])
        tz_buf_puts(sql, " AND substr(ts, 1, 10) >= ?");
    if (a->to[0])
        tz_buf_puts(sql, " AND substr(ts, 1, 10) <= ?");
}

/* Binds _audit_where's placeholders; returns the next index, or -1. */
static int _audit_bind(tz_stmt *st, const audit_names *v, const audit_ask *a)
{
    int k = 1;
    for (size_t i = 0; i < v->n; i++)
        if (tz_stmt_bind_text(st, k++, v->name[i]))
            return -1;
    if ((a->user && tz_stmt_bind_text(st, k++, a->user)) ||
        (a->l && tz_stmt_bind_text(st, k++, a->l->id)) ||
        (a->key && tz_stmt_bind_text(st, k++, a->key)) ||
        (a->from[0] && tz_stmt_bind_text(st, k++, a->from)) ||
        (a->to[0] && tz_stmt_bind_text(st, k++, a->to)))
        return -1;
    return k;
}

/* A nullable text column as JSON. */
static json_t *_text(tz_stmt *st, int col)
{
    const char *t = tz_stmt_text(st, col);
    return t ? json_string(t) : json_null();
}

/* One audit entry as JSON. */
static json_t *_audit_entry(tz_stmt *st)
{
    json_t *e = json_object();
    const char *lid = tz_stmt_text(st, 4);
    const tz_ledger *l = lid && *lid ? tz_ledger_find(lid) : NULL;
    json_object_set_new(e, "id", json_integer(tz_stmt_int(st, 0)));
    json_object_set_new(e, "time", _text(st, 1));
    json_object_set_new(e, "user", _text(st, 2));
    json_object_set_new(e, "action", _text(st, 3));
    json_object_set_new(e, "ledger", _text(st, 4));
    json_object_set_new(e, "ledger_name", l ? json_string(l->name) : json_null());
    json_object_set_new(e, "key", _text(st, 5));
    json_object_set_new(e, "detail", _text(st, 6));
    json_object_set_new(e, "addr", _text(st, 7));
    json_object_set_new(e, "request", _text(st, 8));
    return e;
}

/* Runs the count and the page of an audit listing into j. Returns 0 or -1
 * (database). */
static int _audit_query(tz_store *s, const audit_names *v, const audit_ask *a, json_t *j)
{
    tz_buf where = TZ_BUF_INIT, sql = TZ_BUF_INIT;
    tz_stmt *st = NULL;
    int rc = -1, k;
    _audit_where(&where, v, a);
    tz_buf_printf(&sql, "SELECT COUNT(*)%s", tz_buf_str(&where));
    if (!sql.data || tz_store_prepare(s, sql.data, &st) || _audit_bind(st, v, a) < 0 ||
        tz_stmt_step(st) != 1)
        goto done;
    json_object_set_new(j, "total", json_integer(tz_stmt_int(st, 0)));
    tz_stmt_free(st);
    st = NULL;
    tz_buf_reset(&sql);
    tz_buf_printf(&sql,
                  "SELECT id, ts, actor, action, ledger, row_key, detail, addr, request%s "
                  "ORDER BY id DESC LIMIT ? OFFSET ?",
                  tz_buf_str(&where));
    if (!sql.data || tz_store_prepare(s, sql.data, &st) || (k = _audit_bind(st, v, a)) < 0 ||
        tz_stmt_bind_int(st, k, a->limit) || tz_stmt_bind_int(st, k + 1, a->offset))
        goto done;
    json_t *arr = json_array();
    json_object_set_new(j, "entries", arr);
    int r;
    while ((r = tz_stmt_step(st)) == 1)
        json_array_append_new(arr, _audit_entry(st));
    rc = r < 0 ? -1 : 0;
done:
    tz_stmt_free(st);
    tz_buf_free(&sql);
    tz_buf_free(&where);
    return rc;
}

/* 1 when name is one of v's. */
static int _has_name(const audit_names *v, const char *name)
{
    for (size_t i = 0; i < v->n; i++)
        if (!strcmp(v->name[i], name))
            return 1;
    return 0;
}

int tz_api_audit(tz_req *rq, tz_resp *rs)
{
    audit_ask a;
    audit_names v = {NULL, 0, 0, 0};
    tz_diags d = TZ_DIAGS_INIT;
    if (tz_req_allow(rq, rs, TZ_PERM_READ) || _audit_ask(rq, rs, &a))
        goto done;
    if (tz_account_list(rq->s, &rq->sess->acct, _collect, &v, &d) || v.oom) {
        tz_resp_error(rs, 500, &d, v.oom ? "内存不足" : "数据库错误,无法列出账户");
        goto done;
    }
    if (a.user && !_has_name(&v, a.user)) {
        tz_resp_error(rs, 403, NULL, "账户 \"%s\" 不在当前账户的范围(%s)内", a.user,
                      rq->sess->acct.scope_name);
        goto done;
    }
    if (a.user) { /* only that account's entries */
        snprintf(v.name[0], sizeof v.name[0], "%s", a.user);
        v.n = 1;
    }
    if (v.n > AUDIT_ACCOUNTS_MAX) {
        tz_resp_error(rs, 500, NULL, "范围内账户超过%d个,请用 user 参数指定账户",
                      AUDIT_ACCOUNTS_MAX);
        goto done;
    }
    json_t *j = json_object();
    if (v.n == 0) { /* cannot happen for a live account (its own scope holds it) */
        json_object_set_new(j, "total", json_integer(0));
        json_object_set_new(j, "entries", json_array());
    } else if (_audit_query(rq->s, &v, &a, j)) {
        json_decref(j);
        tz_resp_error(rs, 500, NULL, "数据库错误: %s", tz_store_errmsg(rq->s));
        goto done;
    }
    tz_resp_json(rs, 200, j);
done:
    free(v.name);
    tz_diags_clear(&d);
    return 0;
}
