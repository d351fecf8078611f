/* api_rows.c - the ledger rows routes: a page of rows, one row, adding or
 * changing one, deleting one, importing a file, and how far an import has
 * come.
 *
 * Owns: turning requests into store/rows.c and store/ingest.c calls with
 * the session's scope (tz_access) and role, and their outcomes into HTTP
 * statuses and JSON; the in-process table of import progress (per serve
 * process: a second process behind the same address does not see it).
 * Does not own: which rows a scope holds (store/access.c), the checks of a
 * row (store/), sessions and CSRF (server.c), the JSON of an import result
 * (views.c).
 */
#include "web/mhd.h"
#include "util/num.h"
#include "util/text.h"
#include "util/tmpfile.h"
#include "web/web_impl.h"
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* The caller's scope and whether it sees ID numbers in full. */
static const tz_access *_access(const tz_req *rq)
{
    return &rq->sess->acct.access;
}

static int _unmask(const tz_req *rq)
{
    return tz_role_can(rq->sess->acct.role, TZ_PERM_UNMASK);
}

/* ---- a row as JSON -------------------------------------------------------- */

/* A cell as JSON: null when empty, numbers as numbers, text as text (not
 * UTF-8: its display form, bytes as <0xNN>). NULL when out of memory. */
static json_t *_cell(const tz_column *c, const char *cell)
{
    if (!cell[0])
        return json_null();
    if (c->type == TZ_COL_INT || c->type == TZ_COL_YEAR)
        return json_integer(strtoll(cell, NULL, 10));
    if (c->type == TZ_COL_DECIMAL)
        return tz_view_num(strtod(cell, NULL)); /* 20092, 12.5: as the CLI's --json */
    json_t *v = json_string(cell);
    if (!v) {
        tz_buf shown = TZ_BUF_INIT;
        if (tz_text_shown(&shown, cell, 0) == 0)
            v = json_string(tz_buf_str(&shown));
        tz_buf_free(&shown);
    }
    return v;
}

/* {header: value, ..., "_version": V, "_key": "..."}: ID numbers masked
 * unless unmask (cells may come in full from a conflict). NULL when out of
 * memory. */
static json_t *_row_json(const tz_ledger *l, const char *const *cells, size_t n, long long version,
                         int unmask)
{
    json_t *o = json_object();
    tz_buf key = TZ_BUF_INIT;
    int keys[4];
    size_t nk = tz_ledger_keys(l, keys);
    for (size_t i = 0; o && i < n && i < l->ncols; i++) {
        char masked[64];
        const char *cell = cells[i];
        if (l->cols[i].type == TZ_COL_IDCARD && !unmask && *cell) {
            tz_idcard_mask(cell, masked, sizeof masked);
            cell = masked;
        }
        json_t *v = _cell(&l->cols[i], cell);
        if (!v || json_object_set_new(o, l->cols[i].name, v)) {
            json_decref(o);
            o = NULL;
        }
    }
    for (size_t k = 0; k < nk; k++)
        tz_buf_printf(&key, "%s%s", k ? "/" : "", (size_t)keys[k] < n ? cells[keys[k]] : "");
    if (o && (json_object_set_new(o, "_version", json_integer(version)) ||
              json_object_set_new(o, "_key", json_string(tz_buf_str(&key))))) {
        json_decref(o);
        o = NULL;
    }
    tz_buf_free(&key);
    return o;
}

/* Collects rows into a JSON array. */
typedef struct rows_ctx {
    const tz_ledger *l; /* the ledger */
    json_t *rows;       /* the array (owned by the caller) */
    json_t *one;        /* the last row (tz_row_get, conflicts), owned */
    int unmask;         /* 1: ID numbers in full */
    int failed;         /* 1 when memory ran out */
} rows_ctx;

static int _collect(void *ctx, const char *const *cells, size_t n, long long version)
{
    rows_ctx *c = ctx;
    json_t *r = _row_json(c->l, cells, n, version, c->unmask);
    if (!r) {
        c->failed = 1;
        return 1;
    }
    if (c->rows)
        return json_array_append_new(c->rows, r) ? (c->failed = 1) : 0;
    json_decref(c->one);
    c->one = r;
    return 0;
}

/* ---- names beside codes ---------------------------------------------------- */

#define NAMES_BATCH 500 /* values one IN (...) lookup holds */

/* The ledger a column's cells name a row of: the referenced ledger, or
 * regions for a region code column; NULL for any other column. */
static const tz_ledger *_named_ledger(const tz_column *c)
{
    if (c->ref)
        return tz_ledger_find(c->ref);
    return c->type == TZ_COL_REGION ? tz_ledger_find("regions") : NULL;
}

/* The column that names a row of l: its first text column that is not
 * its key (名称, 户主姓名, 项目名称), else its key (单位名称). -1 when l has
 * no single key. */
static int _display_col(const tz_ledger *l, int *key)
{
    int keys[4];
    if (tz_ledger_keys(l, keys) != 1)
        return -1;
    *key = keys[0];
    for (size_t i = 0; i < l->ncols; i++)
        if ((int)i != keys[0] && l->cols[i].type == TZ_COL_TEXT)
            return (int)i;
    return keys[0];
}

/* The text of a row's cell as it names a row elsewhere, or NULL. */
static const char *_ref_text(json_t *row, const tz_column *c)
{
    return json_string_value(json_object_get(row, c->name));
}

/* Looks up one batch of values (vals[0..n)) of ledger t and sets, in every
 * row, "_names"[column] for the cells of the columns of l naming t. Returns
 * 0 or -1 (database). */
static int _names_batch(tz_store *s, const tz_ledger *l, const tz_ledger *t, const char **vals,
                        size_t n, json_t *rows)
{
    int key, disp = _display_col(t, &key);
    tz_buf sql = TZ_BUF_INIT;
    tz_stmt *st = NULL;
    json_t *found = json_object();
    int rc = -1, r = -1;
    if (disp < 0) {
        json_decref(found);
        return 0;
    }
    tz_buf_printf(&sql, "SELECT %s, %s FROM %s WHERE %s IN (", t->cols[key].sql, t->cols[disp].sql,
                  t->id, t->cols[key].sql);
    for (size_t i = 0; i < n; i++)
        tz_buf_puts(&sql, i ? ", ?" : "?");
    tz_buf_puts(&sql, ")");
    if (!found || !sql.data || tz_store_prepare(s, sql.data, &st))
        goto done;
    for (size_t i = 0; i < n; i++)
        if (tz_stmt_bind_text(st, (int)i + 1, vals[i]))
            goto done;
    while ((r = tz_stmt_step(st)) == 1)
        if (tz_stmt_text(st, 0) && tz_stmt_text(st, 1))
            json_object_set_new(found, tz_stmt_text(st, 0), json_string(tz_stmt_text(st, 1)));
    if (r < 0)
        goto done;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        json_t *names = json_object_get(row, "_names");
        for (size_t c = 0; c < l->ncols; c++) {
            const char *v = _named_ledger(&l->cols[c]) == t ? _ref_text(row, &l->cols[c]) : NULL;
            json_t *name = v ? json_object_get(found, v) : NULL;
            if (name && names)
                json_object_set(names, l->cols[c].name, name);
        }
    }
    rc = 0;
done:
    json_decref(found);
    tz_stmt_free(st);
    tz_buf_free(&sql);
    return rc;
}

/* Adds "_names": {column: name} to every row of rows (JSON rows of l): the
 * name of each region code, unit, household or project a cell refers to
 * (秦阁村 beside 411628001201), looked up in one batch per referenced
 * ledger (of NAMES_BATCH values) for the whole page. Returns 0 or -1. */
static int _add_names(tz_store *s, const tz_ledger *l, json_t *rows)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        json_object_set_new(row, "_names", json_object());
    }
    const tz_ledger *done[16];
    size_t ndone = 0;
    for (size_t c = 0; c < l->ncols; c++) {
        const tz_ledger *t = _named_ledger(&l->cols[c]);
        size_t k = 0;
        while (t && k < ndone && done[k] != t)
            k++;
        if (!t || k < ndone || ndone == sizeof done / sizeof done[0])
            continue;
        done[ndone++] = t;
        /* the distinct values of every column of l naming t */
        json_t *seen = json_object();
        const char *vals[NAMES_BATCH]; /* point into rows, which outlive them */
        size_t n = 0;
        int rc = seen ? 0 : -1;
        for (i = 0; rc == 0 && i < json_array_size(rows); i++) {
            row = json_array_get(rows, i);
            for (size_t c2 = 0; rc == 0 && c2 < l->ncols; c2++) {
                const char *v =
                    _named_ledger(&l->cols[c2]) == t ? _ref_text(row, &l->cols[c2]) : NULL;
                if (!v || json_object_get(seen, v))
                    continue;
                json_object_set_new(seen, v, json_true());
                vals[n++] = v;
                if (n == NAMES_BATCH) {
                    rc = _names_batch(s, l, t, vals, n, rows);
                    n = 0;
                }
            }
        }
        if (rc == 0 && n)
            rc = _names_batch(s, l, t, vals, n, rows);
        json_decref(seen);
        if (rc)
            return -1;
    }
    return 0;
}

/* ---- list ----------------------------------------------------------------- */

/* Keeps one key= value. Returns MHD_YES, or MHD_NO when out of memory. */
static enum MHD_Result _key_arg(tz_where_args *w, const char *value)
{
    if (w->nkeys == w->kcap) {
        size_t cap = w->kcap ? w->kcap * 2 : 16;
        const char **k = realloc(w->keys, cap * sizeof *k);
        if (!k) {
            w->bad = 3;
            return MHD_NO;
        }
        w->keys = k;
        w->kcap = cap;
    }
    w->keys[w->nkeys++] = value ? value : "";
    return MHD_YES;
}

static enum MHD_Result _where_arg(void *ctx, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
    tz_where_args *w = ctx;
    (void)kind;
    if (key && !strcmp(key, "key"))
        return _key_arg(w, value);
    if (!key || strcmp(key, "where") != 0)
        return MHD_YES;
    const char *eq = value ? strchr(value, '=') : NULL;
    if (!eq || eq == value) {
        w->bad = 1;
        return MHD_NO;
    }
    if (w->n == TZ_ROWS_MAX_WHERE) {
        w->bad = 2;
        return MHD_NO;
    }
    w->names[w->n] = strndup(value, (size_t)(eq - value));
    if (!w->names[w->n]) {
        w->bad = 1;
        return MHD_NO;
    }
    w->f[w->n].column = w->names[w->n];
    w->f[w->n].value = eq + 1;
    w->n++;
    return MHD_YES;
}

void tz_where_args_free(tz_where_args *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->names[i]);
    free(w->keys);
}

/* A where filter naming a region or a 责任单位 outside the caller's scope
 * is refused (403, no data), as a key or a body naming one is; reference
 * data (regions, units) every account reads is not. A region filter of a
 * unit's account is left to the scope of the rows. Returns 0, or -1 with
 * rs filled. */
static int _where_scope(const tz_req *rq, tz_resp *rs, const tz_ledger *l, const tz_where_args *w)
{
    const tz_access *mine = _access(rq);
    for (size_t i = 0; i < w->n && !l->shared_read; i++) {
        int c = tz_ledger_col(l, w->f[i].column);
        if (c < 0 || !*w->f[i].value)
            continue; /* an unknown column is the page's 400 */
        const tz_column *col = &l->cols[c];
        int region = col->type == TZ_COL_REGION && !mine->unit[0];
        int unit = col->ref && !strcmp(col->ref, "units");
        if (!region && !unit)
            continue;
        tz_access inner;
        char name[256];
        tz_diags d = TZ_DIAGS_INIT;
        int r =
            tz_access_resolve(rq->s, region ? w->f[i].value : NULL, region ? NULL : w->f[i].value,
                              &inner, name, sizeof name, NULL, &d);
        int in = r == 0 ? tz_access_contains(rq->s, mine, &inner) : r > 0;
        tz_diags_clear(&d);
        if (r < 0 || in < 0) {
            tz_resp_error(rs, 500, NULL, "查询失败: %s", tz_store_errmsg(rq->s));
            return -1;
        }
        if (!in) {
            tz_resp_error(rs, 403, NULL, "筛选条件 %s=%s 不在当前账户的范围内", col->name,
                          w->f[i].value);
            return -1;
        }
    }
    return 0;
}

/* A whole number query argument within [min, max] into *out (def when
 * absent). Returns 0, or -1 after a 400 naming it. */
static int _int_arg(const tz_req *rq, tz_resp *rs, const char *name, long long min, long long max,
                    long long def, long long *out)
{
    const char *v = tz_req_query(rq, name);
    *out = def;
    if (!v)
        return 0;
    if (tz_num_int(v, min, max, out) == 0)
        return 0;
    tz_diags d = TZ_DIAGS_INIT;
    tz_diags_error(&d, NULL, 0, name, v, "应为%lld到%lld之间的整数", min, max);
    tz_resp_error(rs, 400, &d, "参数%s有误", name);
    tz_diags_clear(&d);
    return -1;
}

int tz_req_where(const tz_req *rq, tz_resp *rs, const tz_ledger *l, tz_where_args *w)
{
    if (rq->conn)
        MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, _where_arg, w);
    if (w->bad == 3) {
        tz_resp_error(rs, 500, NULL, "内存不足");
        return -1;
    }
    if (w->bad) {
        tz_resp_error(rs, 400, NULL,
                      w->bad == 2 ? "参数where最多%d个" : "参数where应写成 列=值(最多%d个)",
                      TZ_ROWS_MAX_WHERE);
        return -1;
    }
    return _where_scope(rq, rs, l, w);
}

int tz_api_rows_list(tz_req *rq, tz_resp *rs)
{
    tz_where_args w;
    memset(&w, 0, sizeof w);
    tz_diags d = TZ_DIAGS_INIT;
    rows_ctx c = {0};
    long long limit, offset, total = 0;
    if (tz_req_allow(rq, rs, TZ_PERM_READ))
        return 0;
    const tz_ledger *l = tz_req_ledger(rq, rs, rq->arg[0]);
    if (!l)
        return 0;
    if (_int_arg(rq, rs, "limit", 1, 1000, 100, &limit) ||
        _int_arg(rq, rs, "offset", 0, 1000000000, 0, &offset))
        goto done;
    if (tz_req_where(rq, rs, l, &w))
        goto done;
    c.l = l;
    c.unmask = _unmask(rq);
    c.rows = json_array();
    tz_rows_query q = {.f = w.f,
                       .nf = w.n,
                       .q = tz_req_query(rq, "q"),
                       .sort = tz_req_query(rq, "sort"),
                       .limit = (long)limit,
                       .offset = (long)offset,
                       .access = _access(rq),
                       .unmask = c.unmask,
                       .keys = w.keys,
                       .nkeys = w.nkeys};
    int r = c.rows ? tz_rows_page(rq->s, l, &q, &total, _collect, &c, &d) : -1;
    if (r == 0 && !c.failed && _add_names(rq->s, l, c.rows))
        r = -1;
    if (r == 1) {
        tz_resp_error(rs, 400, &d, "查询参数有误");
    } else if (r < 0 || c.failed) {
        tz_resp_error(rs, 500, &d, "查询失败");
    } else {
        json_t *o = json_pack("{s:I, s:O}", "total", (json_int_t)total, "rows", c.rows);
        if (o)
            tz_resp_json(rs, 200, o);
        else
            tz_resp_error(rs, 500, NULL, "内存不足");
    }
done:
    json_decref(c.rows);
    tz_where_args_free(&w);
    tz_diags_clear(&d);
    return 0;
}

/* ---- one row ---------------------------------------------------------------- */

/* _add_names for one row. Returns 0 or -1. */
static int _add_names_one(tz_store *s, const tz_ledger *l, json_t *row)
{
    json_t *arr = json_array();
    int rc = arr && !json_array_append(arr, row) ? _add_names(s, l, arr) : -1;
    json_decref(arr);
    return rc;
}

/* A tz_vrow_cb that keeps nothing: only whether the row exists is wanted. */
static int _ignore_row(void *ctx, const char *const *cells, size_t n, long long version)
{
    (void)ctx;
    (void)cells;
    (void)n;
    (void)version;
    return 0;
}

int tz_api_rows_get(tz_req *rq, tz_resp *rs)
{
    tz_diags d = TZ_DIAGS_INIT;
    if (tz_req_allow(rq, rs, TZ_PERM_READ))
        return 0;
    const tz_ledger *l = tz_req_ledger(rq, rs, rq->arg[0]);
    if (!l)
        return 0;
    rows_ctx c = {.l = l, .unmask = _unmask(rq)};
    tz_row_status st =
        tz_row_get(rq->s, l, rq->arg[1] ? rq->arg[1] : "", _access(rq), c.unmask, _collect, &c, &d);
    if (st == TZ_ROW_OK && c.one && _add_names_one(rq->s, l, c.one)) {
        tz_resp_error(rs, 500, NULL, "查询失败: %s", tz_store_errmsg(rq->s));
    } else if (st == TZ_ROW_OK && c.one) {
        tz_resp_json(rs, 200, c.one);
        c.one = NULL;
    } else if (st == TZ_ROW_NOT_FOUND && _access(rq) &&
               tz_row_get(rq->s, l, rq->arg[1] ? rq->arg[1] : "", NULL, 0, _ignore_row, NULL, &d) ==
                   TZ_ROW_OK) {
        /* the issue: a row out of scope asked for by its key is 403, no data */
        tz_resp_error(rs, 403, NULL, "%s台账的这一行不在当前账户的范围内", l->name);
    } else if (st == TZ_ROW_NOT_FOUND) {
        tz_resp_error(rs, 404, NULL, "%s台账中没有这一行", l->name);
    } else {
        tz_resp_error(rs, 500, &d, "查询失败");
    }
    json_decref(c.one);
    tz_diags_clear(&d);
    return 0;
}

/* The text of a JSON value as a cell: strings as they are, numbers in
 * full, true/false as 是/否, null as empty. Returns a new string (caller
 * frees), or NULL for an array or object. */
static char *_body_cell(const json_t *v)
{
    char num[64];
    switch (json_typeof(v)) {
    case JSON_STRING:
        return strdup(json_string_value(v));
    case JSON_INTEGER:
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
        return strdup(num);
    case JSON_REAL:
        snprintf(num, sizeof num, "%.15g", json_real_value(v));
        return strdup(num);
    case JSON_TRUE:
        return strdup("是");
    case JSON_FALSE:
        return strdup("否");
    case JSON_NULL:
        return strdup("");
    default:
        return NULL;
    }
}

/* A row body: {header: value, ..., "_version": V}. */
typedef struct row_body {
    const char **headers; /* headers (into the JSON) */
    char **values;        /* values (owned) */
    size_t n;             /* pairs */
    long long version;    /* "_version", 0 when absent */
} row_body;

static void _body_free(row_body *b)
{
    for (size_t i = 0; i < b->n; i++)
        free(b->values[i]);
    free(b->values);
    free((void *)b->headers);
}

/* Reads the body's pairs and version. Returns 0, or -1 after a 400. */
static int _body_read(const json_t *o, tz_resp *rs, row_body *b)
{
    size_t cap = json_object_size(o);
    const char *k;
    json_t *v;
    memset(b, 0, sizeof *b);
    b->headers = calloc(cap ? cap : 1, sizeof *b->headers);
    b->values = calloc(cap ? cap : 1, sizeof *b->values);
    if (!b->headers || !b->values) {
        tz_resp_error(rs, 500, NULL, "内存不足");
        return -1;
    }
    json_object_foreach((json_t *)o, k, v)
    {
        if (!strcmp(k, "_version")) {
            if (!json_is_integer(v) || json_integer_value(v) < 0) {
                tz_resp_error(rs, 400, NULL, "_version应为读取这一行时的版本号(非负整数)");
                return -1;
            }
            b->version = json_integer_value(v);
            continue;
        }
        if (!strcmp(k, "_key") || !strcmp(k, "_names"))
            continue; /* as a page gave it: the key columns say it again; names are read-only */
        char *cell = _body_cell(v);
        if (!cell) {
            tz_diags d = TZ_DIAGS_INIT;
            tz_diags_error(&d, NULL, 0, k, NULL, "应为文字、数字、true/false或null");
            tz_resp_error(rs, 400, &d, "数据有误,未保存");
            tz_diags_clear(&d);
            return -1;
        }
        b->headers[b->n] = k;
        b->values[b->n++] = cell;
    }
    return 0;
}

/* The response to a refused or failed write. */
static void _write_refused(tz_resp *rs, const tz_ledger *l, tz_row_status st, long long version,
                           rows_ctx *c, const tz_diags *d)
{
    const char *first = d->n ? d->items[0].reason : NULL;
    json_t *o;
    switch (st) {
    case TZ_ROW_INVALID:
        tz_resp_error(rs, 400, d, "数据有误,未保存");
        break;
    case TZ_ROW_FORBIDDEN:
        tz_resp_error(rs, 403, d, "该行不在当前账户的范围内,未保存");
        break;
    case TZ_ROW_LOCKED:
        tz_resp_error(rs, 409, d, "%s", first ? first : "该期间数据已审核锁定");
        break;
    case TZ_ROW_NOT_FOUND:
        tz_resp_error(rs, 404, d, "%s台账中没有这一行(可能已被删除)", l->name);
        break;
    case TZ_ROW_CONFLICT:
        o = json_pack("{s:s, s:O?}", "error",
                      version ? "该行已被他人修改" : "该行已存在,请刷新后修改", "current", c->one);
        if (o)
            tz_resp_json(rs, 409, o);
        else
            tz_resp_error(rs, 500, NULL, "内存不足");
        break;
    default:
        tz_resp_error(rs, 500, d, "保存失败,未做任何修改");
        break;
    }
}

int tz_api_rows_put(tz_req *rq, tz_resp *rs)
{
    tz_diags d = TZ_DIAGS_INIT;
    row_body b;
    memset(&b, 0, sizeof b);
    if (tz_req_allow(rq, rs, TZ_PERM_WRITE))
        return 0;
    const tz_ledger *l = tz_req_ledger(rq, rs, rq->arg[0]);
    if (!l)
        return 0;
    json_t *body = tz_req_json(rq, rs);
    if (!body)
        return 0;
    rows_ctx c = {.l = l, .unmask = _unmask(rq)};
    if (_body_read(body, rs, &b))
        goto done;
    long long nv = 0;
    tz_row_status st =
        tz_row_put(rq->s, l, b.headers, (const char *const *)b.values, b.n, b.version, _access(rq),
                   rq->sess->acct.name, &nv, _collect, &c, &d);
    if (st != TZ_ROW_OK) {
        _write_refused(rs, l, st, b.version, &c, &d);
        goto done;
    }
    /* the row as stored now, read back in the caller's scope */
    tz_buf key = TZ_BUF_INIT;
    int keys[4];
    size_t nk = tz_ledger_keys(l, keys);
    for (size_t k = 0; k < nk; k++)
        for (size_t i = 0; i < b.n; i++)
            if (tz_ledger_col(l, b.headers[i]) == keys[k]) {
                const char *why = NULL;
                tz_value kv;
                int ok = tz_value_parse(&l->cols[keys[k]], b.values[i], 0, &kv, &why) == 0;
                tz_buf_printf(&key, "%s%s", k ? "/" : "", ok && kv.text ? kv.text : "");
                if (ok)
                    tz_values_clear(&kv, 1);
            }
    st = tz_row_get(rq->s, l, tz_buf_str(&key), _access(rq), c.unmask, _collect, &c, &d);
    tz_buf_free(&key);
    if (st == TZ_ROW_OK && c.one && _add_names_one(rq->s, l, c.one) == 0) {
        tz_resp_json(rs, b.version ? 200 : 201, c.one);
        c.one = NULL;
    } else {
        tz_resp_error(rs, 500, &d, "已保存,但读回失败");
    }
done:
    json_decref(c.one);
    json_decref(body);
    _body_free(&b);
    tz_diags_clear(&d);
    return 0;
}

int tz_api_rows_delete(tz_req *rq, tz_resp *rs)
{
    tz_diags d = TZ_DIAGS_INIT;
    long long version;
    if (tz_req_allow(rq, rs, TZ_PERM_WRITE))
        return 0;
    const tz_ledger *l = tz_req_ledger(rq, rs, rq->arg[0]);
    if (!l || _int_arg(rq, rs, "version", 0, (long long)1 << 62, 0, &version))
        return 0;
    tz_row_status st = tz_row_delete(rq->s, l, rq->arg[1] ? rq->arg[1] : "", version, _access(rq),
                                     rq->sess->acct.name, &d);
    json_t *ok = st == TZ_ROW_OK ? json_pack("{s:b}", "deleted", 1) : NULL;
    if (ok)
        tz_resp_json(rs, 200, ok);
    else if (st == TZ_ROW_OK)
        tz_resp_error(rs, 500, NULL, "已删除,但内存不足,无法回复");
    else if (st == TZ_ROW_CONFLICT)
        tz_resp_error(rs, 409, &d, "该行已被他人修改");
    else if (st == TZ_ROW_INVALID)
        tz_resp_error(rs, 409, &d, "该行被其他台账引用,不能删除");
    else
        _write_refused(rs, l, st, version, &(rows_ctx){0}, &d);
    tz_diags_clear(&d);
    return 0;
}

/* ---- import progress ---------------------------------------------------------- */

#define TZ_IMPORT_SLOTS 64 /* imports whose progress this process remembers */

/* One import's progress, keyed by the client's X-Import-Id. */
typedef struct import_slot {
    char id[65];                    /* X-Import-Id, or "" when free */
    char user[64];                  /* who imports: only they read it */
    time_t touched;                 /* last change, to reuse the oldest slot */
    const char *stage;              /* "reading", "read", "stopped", "done" */
    size_t rows;                    /* data rows read */
    unsigned long long bytes_done;  /* bytes of the file read */
    unsigned long long bytes_total; /* its size */
} import_slot;

static import_slot _slots[TZ_IMPORT_SLOTS];
static pthread_mutex_t _slots_mu = PTHREAD_MUTEX_INITIALIZER;

/* The slot of id for user (taken, the oldest reused, when create). Call
 * with _slots_mu held. NULL when there is none. */
static import_slot *_slot(const char *id, const char *user, int create)
{
    import_slot *oldest = &_slots[0];
    for (size_t i = 0; i < TZ_IMPORT_SLOTS; i++) {
        if (_slots[i].id[0] && !strcmp(_slots[i].id, id) && !strcmp(_slots[i].user, user))
            return &_slots[i];
        if (_slots[i].touched < oldest->touched)
            oldest = &_slots[i];
    }
    if (!create)
        return NULL;
    memset(oldest, 0, sizeof *oldest);
    snprintf(oldest->id, sizeof oldest->id, "%s", id);
    snprintf(oldest->user, sizeof oldest->user, "%s", user);
    oldest->stage = "reading";
    oldest->touched = time(NULL);
    return oldest;
}

/* 1 when id is 1-64 of [A-Za-z0-9-]. */
static int _id_ok(const char *id)
{
    size_t n = strlen(id);
    if (n < 1 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= 'A' && id[i] <= 'Z') ||
              (id[i] >= '0' && id[i] <= '9') || id[i] == '-'))
            return 0;
    return 1;
}

/* The progress callback's context: the slot's key. */
typedef struct progress_ctx {
    const char *id;   /* X-Import-Id */
    const char *user; /* the importing account */
} progress_ctx;

static void _progress(void *ctx, const char *file, tz_import_stage stage, size_t rows,
                      unsigned long long bytes_done, unsigned long long bytes_total)
{
    progress_ctx *p = ctx;
    (void)file;
    pthread_mutex_lock(&_slots_mu);
    import_slot *s = _slot(p->id, p->user, 1);
    s->stage = stage == TZ_IMPORT_READING   ? "reading"
               : stage == TZ_IMPORT_READ    ? "read"
               : stage == TZ_IMPORT_WRITING ? "writing"
                                            : "stopped";
    s->rows = rows;
    s->bytes_done = bytes_done;
    s->bytes_total = bytes_total;
    s->touched = time(NULL);
    pthread_mutex_unlock(&_slots_mu);
}

/* Marks an import finished (stage "done"). */
static void _progress_done(const progress_ctx *p)
{
    pthread_mutex_lock(&_slots_mu);
    import_slot *s = _slot(p->id, p->user, 1);
    if (strcmp(s->stage, "stopped") != 0)
        s->stage = "done";
    s->touched = time(NULL);
    pthread_mutex_unlock(&_slots_mu);
}

int tz_api_import_progress(tz_req *rq, tz_resp *rs)
{
    const char *id = rq->arg[0] ? rq->arg[0] : "";
    if (tz_req_allow(rq, rs, TZ_PERM_READ))
        return 0;
    if (!_id_ok(id)) {
        tz_resp_error(rs, 400, NULL, "导入编号应为1到64个字母、数字或-");
        return 0;
    }
    pthread_mutex_lock(&_slots_mu);
    import_slot *s = _slot(id, rq->sess->acct.name, 0);
    json_t *o = s ? json_pack("{s:s, s:I, s:I, s:I}", "stage", s->stage, "rows",
                              (json_int_t)s->rows, "bytes_done", (json_int_t)s->bytes_done,
                              "bytes_total", (json_int_t)s->bytes_total)
                  : NULL;
    pthread_mutex_unlock(&_slots_mu);
    if (o)
        tz_resp_json(rs, 200, o);
    else
        tz_resp_error(rs, 404, NULL, "没有编号为%s的导入(进度只在接收该导入的服务进程中可查)", id);
    return 0;
}

/* ---- import ------------------------------------------------------------------ */

/* An uploaded file: its bytes (in the request body) and its name. */
typedef struct upload {
    const char *data; /* the file's bytes */
    size_t len;       /* how many */
    char name[256];   /* its name, without any folder */
    char ext[8];      /* its extension, lower case: xlsx, csv or xls */
} upload;

/* Takes raw (percent-decoded when decode) as the file's name: without any
 * folder, valid UTF-8, ending in .xlsx, .csv or .xls. Returns 0, or -1
 * after a 400 naming field. */
static int _upload_name(tz_resp *rs, const char *raw, size_t n, int decode, const char *field,
                        upload *up)
{
    char *dec = strndup(raw, n);
    int rc = -1;
    if (!dec) {
        tz_resp_error(rs, 500, NULL, "内存不足");
        return -1;
    }
    if (decode)
        dec[MHD_http_unescape(dec)] = '\0';
    const char *base = strrchr(dec, '/');
    base = base ? base + 1 : dec;
    const char *bs = strrchr(base, '\\'); /* a Windows browser's full path */
    base = bs ? bs + 1 : base;
    const char *dot = strrchr(base, '.');
    if (!tz_utf8_valid(base, strlen(base)) || strlen(base) >= sizeof up->name || !dot ||
        dot == base ||
        (strcasecmp(dot, ".xlsx") != 0 && strcasecmp(dot, ".csv") != 0 &&
         strcasecmp(dot, ".xls") != 0)) {
        tz_diags d = TZ_DIAGS_INIT;
        tz_diags_error(&d, NULL, 0, field, base, "文件类型应为.xlsx、.csv或.xls");
        tz_resp_error(rs, 400, &d, "文件名有误");
        tz_diags_clear(&d);
        goto done;
    }
    snprintf(up->name, sizeof up->name, "%s", base);
    snprintf(up->ext, sizeof up->ext, "%s", dot + 1);
    for (char *p = up->ext; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    rc = 0;
done:
    free(dec);
    return rc;
}

/* The boundary parameter of a multipart Content-Type into out. Returns 0
 * or -1. */
static int _boundary(const char *ctype, char *out, size_t sz)
{
    const char *b = strcasestr(ctype, "boundary=");
    if (!b)
        return -1;
    b += 9;
    size_t n = *b == '"' ? strcspn(++b, "\"") : strcspn(b, "; \t");
    if (n == 0 || n + 1 > sz)
        return -1;
    memcpy(out, b, n);
    out[n] = '\0';
    return 0;
}

/* The first part of a multipart/form-data body that carries a file
 * (Content-Disposition with filename="...") into *up. Returns 0, or -1
 * after a 400. */
static int _multipart(const tz_req *rq, tz_resp *rs, const char *ctype, upload *up)
{
    char delim[80] = "\r\n--";
    if (_boundary(ctype, delim + 4, sizeof delim - 4)) {
        tz_resp_error(rs, 400, NULL, "multipart/form-data 缺少 boundary");
        return -1;
    }
    const char *end = rq->body + rq->body_len;
    /* the first delimiter may open the body without its CRLF */
    const char *p = memmem(rq->body, rq->body_len, delim + 2, strlen(delim + 2));
    while (p) {
        const char *head = p + strlen(delim + 2);
        const char *body = memmem(head, (size_t)(end - head), "\r\n\r\n", 4);
        if (!body)
            break;
        body += 4;
        const char *next = memmem(body, (size_t)(end - body), delim, strlen(delim));
        if (!next)
            break;
        const char *fn = memmem(head, (size_t)(body - head), "filename=\"", 10);
        if (fn) {
            fn += 10;
            const char *q = memchr(fn, '"', (size_t)(body - fn));
            if (!q)
                break;
            up->data = body;
            up->len = (size_t)(next - body);
            return _upload_name(rs, fn, (size_t)(q - fn), 0, "filename", up);
        }
        p = next + 2;
    }
    tz_resp_error(rs, 400, NULL, "multipart/form-data 中没有文件(应有一部分带 filename)");
    return -1;
}

/* The uploaded file: a multipart/form-data part, or the whole body named
 * by X-Filename (percent-encoded when not ASCII). Returns 0, or -1 after a
 * 400. */
static int _upload(const tz_req *rq, tz_resp *rs, upload *up)
{
    const char *ctype = tz_req_header(rq, "Content-Type");
    memset(up, 0, sizeof *up);
    if (ctype && !strncasecmp(ctype, "multipart/form-data", 19))
        return _multipart(rq, rs, ctype, up);
    const char *h = tz_req_header(rq, "X-Filename");
    if (!h || !*h) {
        tz_resp_error(rs, 400, NULL,
                      "请在请求头X-Filename中给出文件名(.xlsx、.csv或.xls),或以"
                      "multipart/form-data上传");
        return -1;
    }
    up->data = rq->body;
    up->len = rq->body_len;
    return _upload_name(rs, h, strlen(h), 1, "X-Filename", up);
}

/* Writes the upload to a new temporary file ending in its extension.
 * Returns its path (caller discards and frees), or NULL after a 500. */
static char *_upload_file(const upload *up, tz_resp *rs)
{
    static atomic_ulong seq;
    char target[128];
    const char *tmpdir = getenv("TMPDIR");
    snprintf(target, sizeof target, "%s/taizhang-upload-%lu",
             tmpdir && *tmpdir && strlen(tmpdir) < 80 ? tmpdir : "/tmp",
             (unsigned long)atomic_fetch_add(&seq, 1));
    char *path = NULL;
    const char *why = NULL;
    int fd = tz_tmp_create(target, up->ext, &path, &why);
    if (fd < 0) {
        tz_resp_error(rs, 500, NULL, "无法保存上传的文件: %s", why ? why : "");
        return NULL;
    }
    size_t done = 0;
    while (done < up->len) {
        ssize_t w = write(fd, up->data + done, up->len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            tz_resp_error(rs, 500, NULL, "无法保存上传的文件: %s", tz_errno_text(errno, 1));
            close(fd);
            tz_tmp_discard(path);
            free(path);
            return NULL;
        }
        done += (size_t)w;
    }
    close(fd);
    return path;
}

/* The diags that name the temporary file name it as the client did. */
static void _rename_diags(tz_diags *d, const char *tmp_path, const char *name)
{
    const char *tmp_base = strrchr(tmp_path, '/');
    tmp_base = tmp_base ? tmp_base + 1 : tmp_path;
    for (size_t i = 0; i < d->n; i++)
        if (d->items[i].file && !strcmp(d->items[i].file, tmp_base)) {
            char *nw = strdup(name);
            if (nw) {
                free(d->items[i].file);
                d->items[i].file = nw;
            }
        }
}

/* The first 审核 lock refusal of an import, as the answer's "error". */
static const char *_lock_reason(const tz_diags *d)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->items[i].sev == TZ_ERROR && strstr(d->items[i].reason, "该期间数据已审核锁定"))
            return d->items[i].reason;
    return "该期间数据已审核锁定";
}

/* The status of an import's answer: 200 accepted, 409 when a row is
 * locked, 403 when a row is outside the scope, 422 otherwise refused, 500
 * on a failure. */
static int _import_status(int rc, const tz_diags *d)
{
    if (rc == 0)
        return 200;
    if (rc < 0)
        return 500;
    for (size_t i = 0; i < d->n; i++)
        if (d->items[i].sev == TZ_ERROR && strstr(d->items[i].reason, "该期间数据已审核锁定"))
            return 409;
    for (size_t i = 0; i < d->n; i++)
        if (d->items[i].sev == TZ_ERROR && strstr(d->items[i].reason, "不在当前账户的范围"))
            return 403;
    return 422;
}

int tz_api_import(tz_req *rq, tz_resp *rs)
{
    upload up;
    const char *id = tz_req_header(rq, "X-Import-Id");
    if (tz_req_allow(rq, rs, TZ_PERM_WRITE))
        return 0;
    const tz_ledger *l = tz_req_ledger(rq, rs, rq->arg[0]);
    if (!l || _upload(rq, rs, &up))
        return 0;
    if (id && !_id_ok(id)) {
        tz_resp_error(rs, 400, NULL, "X-Import-Id应为1到64个字母、数字或-");
        return 0;
    }
    const char *dr = tz_req_query(rq, "dry_run");
    int dry_run = dr && strcmp(dr, "0") != 0;
    const char *failed = tz_req_query(rq, "failed");
    if (failed && (strcmp(failed, "xlsx") != 0 || !dry_run)) {
        tz_resp_error(rs, 400, NULL, "参数 failed 只能是 xlsx,且只用于试导入(dry_run=1)");
        return 0;
    }
    char *path = _upload_file(&up, rs);
    if (!path)
        return 0;
    progress_ctx pc = {id, rq->sess->acct.name};
    tz_import_progress prog = {_progress, &pc};
    tz_import_opts o = {.dry_run = dry_run,
                        .progress = id ? &prog : NULL,
                        .actor = rq->sess->acct.name,
                        .access = _access(rq),
                        .name = up.name};
    tz_import_result r = {.rows = 0};
    tz_diags d = TZ_DIAGS_INIT;
    if (failed)
        d.limit = TZ_FAILED_ROWS_MAX; /* every failing row, not the first 200 */
    if (id)
        _progress(&pc, up.name, TZ_IMPORT_READING, 0, 0, up.len);
    int rc = tz_import_file(rq->s, l, path, &o, &r, &d);
    if (id)
        _progress_done(&pc);
    int status = _import_status(rc, &d);
    /* the failing rows as xlsx (api_files.c), read again from the upload */
    int sent =
        failed && rc == 1 && status != 403 && tz_api_failed_rows(rs, path, up.name, &r, &d) == 0;
    tz_tmp_discard(path);
    _rename_diags(&d, path, up.name);
    free(path);
    if (sent) {
        tz_diags_clear(&d);
        return 0;
    }
    json_t *v = status == 403 ? NULL : tz_view_import(l, up.name, dry_run, rc, &r, &d);
    if (status == 403) /* no data: the error and what was refused */
        tz_resp_error(rs, 403, &d, "文件中有不在当前账户范围内的行,导入被拒绝,数据库未做任何改动");
    else if (v && status == 409 && json_object_set_new(v, "error", json_string(_lock_reason(&d)))) {
        json_decref(v);
        tz_resp_error(rs, 500, NULL, "内存不足");
    } else if (v)
        tz_resp_json(rs, status, v);
    else
        tz_resp_error(rs, 500, NULL, "内存不足");
    tz_diags_clear(&d);
    tz_import_result_free(&r);
    return 0;
}
