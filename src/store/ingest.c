/* ingest.c - importing a ledger file: validate every row, write all or nothing.
 *
 * One transaction per file. Rows are validated and upserted as they stream
 * in (so later rows can reference earlier ones); references that are not
 * found yet are re-checked at the end (a region file may list villages before
 * their townships). Any error rolls the whole file back.
 */
#include "io/reader.h"
#include "store/store_impl.h"
#include "util/buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef tzs_ingest ingest;

/* A one-row write (no file) failed: the same causes, said without the
 * import's row counting. */
static void _fatal_one(ingest *g, const char *what)
{
    switch (tz_store_errkind(g->s)) {
    case TZ_STORE_ERR_FULL:
        tz_diags_error(g->d, NULL, 0, NULL, NULL, "磁盘空间已满,未保存;请清理磁盘空间后重试(%s)",
                       tz_store_errmsg(g->s));
        break;
    case TZ_STORE_ERR_BUSY:
        tz_diags_error(g->d, NULL, 0, NULL, NULL, "另一个导入或修改正在进行,请稍后再试");
        break;
    case TZ_STORE_ERR_READONLY:
        tz_diags_error(g->d, NULL, 0, NULL, NULL, "数据库文件只读,无法写入(%s)",
                       tz_store_errmsg(g->s));
        break;
    default:
        tz_diags_error(g->d, NULL, 0, NULL, NULL, "%s失败,未保存任何修改(%s)", what,
                       tz_store_errmsg(g->s));
        break;
    }
}

/* A statement failed. Whatever the cause (disk full, I/O error, a lock, a
 * lost connection), the transaction may be gone with everything written so
 * far, and going on would write the rest in autocommit mode: mark the
 * import fatal, say why once, and let the caller stop. */
void tzs_fatal(ingest *g, const char *what)
{
    if (g->fatal)
        return;
    g->fatal = 1;
    if (!g->file) {
        _fatal_one(g, what);
        return;
    }
    switch (tz_store_errkind(g->s)) {
    case TZ_STORE_ERR_FULL:
        tz_diags_error(g->d, g->file, 0, NULL, NULL,
                       "磁盘空间已满,导入在读到第%ld行时停止,本次导入的内容全部撤销;"
                       "请清理磁盘空间后重新导入(%s)",
                       g->at_row, tz_store_errmsg(g->s));
        break;
    case TZ_STORE_ERR_BUSY:
        tz_diags_error(g->d, g->file, 0, NULL, NULL, "另一个导入或修改正在进行,请稍后再试");
        break;
    case TZ_STORE_ERR_READONLY:
        tz_diags_error(g->d, g->file, 0, NULL, NULL, "数据库文件只读,无法写入(%s)",
                       tz_store_errmsg(g->s));
        break;
    case TZ_STORE_ERR_TIMEOUT:
        tz_diags_error(
            g->d, g->file, 0, NULL, NULL,
            "数据库执行超时或连接中断,导入在读到第%ld行时停止,本次导入的内容全部撤销(%s)",
            g->at_row, tz_store_errmsg(g->s));
        break;
    default:
        tz_diags_error(g->d, g->file, 0, NULL, NULL,
                       "%s失败,导入在读到第%ld行时停止,本次导入的内容全部撤销(%s)", what, g->at_row,
                       tz_store_errmsg(g->s));
        break;
    }
}

/* Forgets the stored row loaded last. */
static void _old_clear(ingest *g)
{
    if (g->old && g->old_parsed)
        tz_values_clear(g->old, g->l->ncols);
    g->old_parsed = 0;
    g->found = 0;
    g->old_version = 0;
}

const tz_value *tzs_old(ingest *g)
{
    const tz_ledger *l = g->l;
    if (g->old_parsed)
        return g->old;
    for (size_t i = 0; i < l->ncols; i++) {
        const char *why = NULL;
        /* the stored text is canonical: it parses back to the same value */
        if (tz_value_parse(&l->cols[i], g->old_text[i], 0, &g->old[i], &why))
            g->old[i] = (tz_value){.null = 1};
    }
    g->old_parsed = 1;
    return g->old;
}

void tzs_ingest_free(ingest *g)
{
    tz_stmt_free(g->st_select);
    tz_stmt_free(g->st_upsert);
    tz_stmt_free(g->st_guarded);
    tz_stmt_free(g->st_seen_get);
    tz_stmt_free(g->st_seen_put);
    tz_stmt_free(g->st_via[0]);
    tz_stmt_free(g->st_via[1]);
    for (size_t i = 0; g->l && i < g->l->ncols; i++) {
        tz_stmt_free(g->st_ref ? g->st_ref[i] : NULL);
        tz_stmt_free(g->st_unique ? g->st_unique[i] : NULL);
    }
    free(g->st_ref);
    free(g->st_unique);
    for (size_t i = 0; i < g->npending; i++)
        free(g->pending[i].value);
    free(g->pending);
    if (g->l)
        _old_clear(g);
    free(g->old_text);
    free(g->old_cells);
    free(g->old);
    g->st_select = g->st_upsert = g->st_guarded = g->st_seen_get = g->st_seen_put = NULL;
    g->st_via[0] = g->st_via[1] = NULL;
    g->st_ref = g->st_unique = NULL;
    g->pending = NULL;
    g->npending = g->cappending = 0;
    g->old_text = NULL;
    g->old_cells = NULL;
    g->old = NULL;
}

/* The upsert of every column: a changed row gets version + 1. guarded:
 * only over the stored version bound last (0: only a new key), returning
 * the version written. */
static void _upsert_sql(const tz_ledger *l, int guarded, tz_buf *q)
{
    int keys[4];
    size_t nk = tz_ledger_keys(l, keys);
    tz_buf_printf(q, "INSERT INTO %s (", l->id);
    for (size_t i = 0; i < l->ncols; i++)
        tz_buf_printf(q, "%s%s", i ? ", " : "", l->cols[i].sql);
    tz_buf_puts(q, ") VALUES (");
    for (size_t i = 0; i < l->ncols; i++)
        tz_buf_puts(q, i ? ", ?" : "?");
    tz_buf_puts(q, ") ON CONFLICT (");
    for (size_t k = 0; k < nk; k++)
        tz_buf_printf(q, "%s%s", k ? ", " : "", l->cols[keys[k]].sql);
    tz_buf_puts(q, ") DO UPDATE SET ");
    for (size_t i = 0; i < l->ncols; i++)
        if (!(l->cols[i].flags & TZ_F_KEY))
            tz_buf_printf(q, "%s = excluded.%s, ", l->cols[i].sql, l->cols[i].sql);
    tz_buf_printf(q, "tz_version = %s.tz_version + 1", l->id);
    if (guarded)
        tz_buf_printf(q, " WHERE %s.tz_version = ? RETURNING tz_version", l->id);
}

/* The reference and uniqueness lookups of column i. Returns 0 or -1. */
static int _prepare_col(ingest *g, size_t i, const int *keys, size_t nk, tz_buf *q)
{
    const tz_ledger *l = g->l;
    const tz_column *c = &l->cols[i];
    if (c->ref) {
        const tz_ledger *r = tz_ledger_find(c->ref);
        int rk[4];
        if (!r || tz_ledger_keys(r, rk) != 1)
            return -1;
        int lv = tz_ledger_col(r, "level");
        tz_buf_reset(q);
        tz_buf_printf(q, "SELECT %s FROM %s WHERE %s = ?", lv >= 0 ? "level" : "1", r->id,
                      r->cols[rk[0]].sql);
        if (tz_store_prepare(g->s, tz_buf_str(q), &g->st_ref[i]))
            return -1;
    }
    if (c->flags & TZ_F_UNIQUE) {
        tz_buf_reset(q);
        tz_buf_printf(q, "SELECT ");
        for (size_t k = 0; k < nk; k++)
            tz_buf_printf(q, "%s%s", k ? " || '/' || " : "", l->cols[keys[k]].sql);
        tz_buf_printf(q, " FROM %s WHERE %s = ? AND NOT (", l->id, c->sql);
        tzs_key_where(l, q);
        tz_buf_puts(q, ")");
        if (tz_store_prepare(g->s, tz_buf_str(q), &g->st_unique[i]))
            return -1;
    }
    return 0;
}

int tzs_select_init(ingest *g)
{
    const tz_ledger *l = g->l;
    tz_buf q = TZ_BUF_INIT;
    g->level_col = tz_ledger_col(l, "level");
    /* arrays of pointers: one pointer's size per column is meant */
    g->old_text = calloc(l->ncols, sizeof *g->old_text); // NOLINT(bugprone-sizeof-expression)
    g->old_cells = calloc(l->ncols, sizeof *g->old_cells);
    g->old = calloc(l->ncols, sizeof *g->old);
    if (!g->old_text || !g->old_cells || !g->old)
        return -1;
    for (size_t i = 0; i < l->ncols; i++) {
        g->old_cells[i][0] = '\0';
        g->old_text[i] = g->old_cells[i];
    }
    tz_buf_puts(&q, "SELECT ");
    for (size_t i = 0; i < l->ncols; i++)
        tz_buf_printf(&q, "%s, ", l->cols[i].sql);
    tz_buf_printf(&q, "tz_version FROM %s WHERE ", l->id);
    tzs_key_where(l, &q);
    int rc = q.data ? tz_store_prepare(g->s, tz_buf_str(&q), &g->st_select) : -1;
    tz_buf_free(&q);
    return rc ? -1 : 0;
}

int tzs_ingest_init(ingest *g)
{
    const tz_ledger *l = g->l;
    tz_buf q = TZ_BUF_INIT;
    int keys[4];
    size_t nk = tz_ledger_keys(l, keys);
    int rc = -1;

    if (tzs_select_init(g))
        goto done;
    /* arrays of statement pointers: one pointer's size per column is meant */
    g->st_ref = calloc(l->ncols, sizeof *g->st_ref);       // NOLINT(bugprone-sizeof-expression)
    g->st_unique = calloc(l->ncols, sizeof *g->st_unique); // NOLINT(bugprone-sizeof-expression)
    if (!g->st_ref || !g->st_unique)
        goto done;
    _upsert_sql(l, 0, &q);
    if (tz_store_prepare(g->s, tz_buf_str(&q), &g->st_upsert))
        goto done;
    tz_buf_reset(&q);
    _upsert_sql(l, 1, &q);
    if (tz_store_prepare(g->s, tz_buf_str(&q), &g->st_guarded))
        goto done;
    for (size_t i = 0; i < l->ncols; i++)
        if (_prepare_col(g, i, keys, nk, &q))
            goto done;
    rc = 0;
done:
    tz_buf_free(&q);
    return rc;
}

/* Looks a reference up. Returns 1 found, 0 missing, -1 error; *level gets the
 * referenced region's level (or TZ_LEVEL_NONE). */
static int _lookup_ref(ingest *g, int col, const char *value, tz_level *level)
{
    tz_stmt *st = g->st_ref[col];
    tz_stmt_reset(st);
    tz_stmt_bind_text(st, 1, value);
    int r = tz_stmt_step(st);
    *level = TZ_LEVEL_NONE;
    if (r == 1) {
        const char *t = tz_stmt_text(st, 0);
        *level = tz_level_parse(t);
    }
    tz_stmt_reset(st);
    return r;
}

/* Remembers a reference not found yet, to check again at the end of the
 * file. Returns 0, or 1 when out of memory. */
static int _defer_ref(ingest *g, long rowno, int col, const char *value, int own_level)
{
    if (g->npending == g->cappending) {
        size_t nc = g->cappending ? g->cappending * 2 : 64;
        tzs_pending *np = realloc(g->pending, nc * sizeof *np);
        if (!np)
            return 1;
        g->pending = np;
        g->cappending = nc;
    }
    g->pending[g->npending++] = (tzs_pending){rowno, col, strdup(value), own_level};
    return 0;
}

/* Checks one reference; adds an error unless found or deferred. final=1 at
 * the end of the file (no more deferring). Returns number of errors added. */
static int _check_ref(ingest *g, long rowno, int col, const char *value, int own_level, int final)
{
    const tz_column *c = &g->l->cols[col];
    tz_level lv;
    int r = _lookup_ref(g, col, value, &lv);
    if (r < 0) {
        tzs_fatal(g, "数据库查询");
        return 1;
    }
    if (r == 0) {
        if (!final && !g->no_defer)
            return _defer_ref(g, rowno, col, value, own_level);
        const tz_ledger *r2 = tz_ledger_find(c->ref);
        tz_diags_error(g->d, g->file, rowno, c->name, value, "在%s台账中不存在,请先导入%s",
                       r2 ? r2->name : c->ref, r2 ? r2->name : c->ref);
        return 1;
    }
    if (c->ref_level) {
        tz_level want = tz_level_parse(c->ref_level);
        if (lv != want) {
            tz_diags_error(g->d, g->file, rowno, c->name, value, "应为%s级区划,实际是%s级",
                           c->ref_level, lv == TZ_LEVEL_NONE ? "未知" : tz_level_word(lv));
            return 1;
        }
    }
    if ((c->flags & TZ_F_PARENT) && own_level > TZ_LEVEL_PROVINCE) {
        if ((int)lv != own_level - 1) {
            tz_diags_error(g->d, g->file, rowno, c->name, value,
                           "%s级区划的上级应为%s级,该代码是%s级", tz_level_word(own_level),
                           tz_level_word((tz_level)(own_level - 1)),
                           lv == TZ_LEVEL_NONE ? "未知" : tz_level_word(lv));
            return 1;
        }
    }
    return 0;
}

void tzs_key_text(const tz_ledger *l, const tz_value *vals, tz_buf *out)
{
    int keys[4];
    size_t nk = tz_ledger_keys(l, keys);
    for (size_t k = 0; k < nk; k++)
        tz_buf_printf(out, "%s%s", k ? "/" : "", vals[keys[k]].text ? vals[keys[k]].text : "");
}

void tzs_key_where(const tz_ledger *l, tz_buf *q)
{
    int keys[4];
    size_t nk = tz_ledger_keys(l, keys);
    for (size_t k = 0; k < nk; k++)
        tz_buf_printf(q, "%s%s = ?", k ? " AND " : "", l->cols[keys[k]].sql);
}

int tzs_key_bind(const tz_ledger *l, tz_stmt *st, int first, const tz_value *vals)
{
    int keys[4];
    size_t nk = tz_ledger_keys(l, keys);
    for (size_t k = 0; k < nk; k++)
        if (tz_stmt_bind_value(st, first + (int)k, &l->cols[keys[k]], &vals[keys[k]]))
            return -1;
    return 0;
}

/* Column i of vals is already registered in another row (TZ_F_UNIQUE).
 * Returns the number of errors added. */
static int _check_unique(ingest *g, long rowno, size_t i, const tz_value *vals, const int *keys)
{
    const tz_ledger *l = g->l;
    tz_stmt *st = g->st_unique[i];
    int nerr = 0;
    tz_stmt_reset(st);
    tz_stmt_bind_value(st, 1, &l->cols[i], &vals[i]);
    tzs_key_bind(l, st, 2, vals);
    int found = tz_stmt_step(st);
    if (found < 0) {
        tzs_fatal(g, "数据库查询");
        nerr++;
    } else if (found == 1) {
        char shown[64];
        const char *v = vals[i].text;
        if (l->cols[i].type == TZ_COL_IDCARD) {
            tz_idcard_mask(v, shown, sizeof shown);
            v = shown;
        }
        tz_diags_error(g->d, g->file, rowno, l->cols[i].name, v,
                       "已登记在%s为%s的记录中,同一人不能重复录入", l->cols[keys[0]].name,
                       tz_stmt_text(st, 0));
        nerr++;
    }
    tz_stmt_reset(st);
    return nerr;
}

/* References, uniqueness across the database and the parent rule of one
 * row: run for every row, also one with cell errors, so that a user sees all
 * of a row's problems at once. Returns the number of errors added. */
int tzs_check_refs(ingest *g, long rowno, const tz_value *vals)
{
    const tz_ledger *l = g->l;
    int nerr = 0;
    int keys[4];
    tz_ledger_keys(l, keys);
    /* references and uniqueness */
    int own_level = g->level_col >= 0 && !vals[g->level_col].null
                        ? (int)tz_level_parse(vals[g->level_col].text)
                        : -1;
    for (size_t i = 0; i < l->ncols; i++) {
        if (vals[i].null)
            continue;
        if (g->st_ref[i])
            nerr += _check_ref(g, rowno, (int)i, vals[i].text, own_level, 0);
        if (g->st_unique[i])
            nerr += _check_unique(g, rowno, i, vals, keys);
    }
    if (g->level_col >= 0) {
        int pc = tz_ledger_col(l, "parent");
        if (pc >= 0 && vals[pc].null && own_level > TZ_LEVEL_PROVINCE) {
            tz_diags_error(g->d, g->file, rowno, l->cols[pc].name, NULL,
                           "%s级区划必须填写上级区划代码", tz_level_word(own_level));
            nerr++;
        }
        if (pc >= 0 && !vals[pc].null && own_level == TZ_LEVEL_PROVINCE) {
            tz_diags_error(g->d, g->file, rowno, l->cols[pc].name, vals[pc].text,
                           "省级区划不应有上级区划代码");
            nerr++;
        }
    }
    return nerr;
}

/* The same key twice in one file: refuses a key seen on an earlier row,
 * else remembers it. Returns errors added (1 also on a database failure,
 * marked fatal). */
static int _seen_key(ingest *g, long rowno, const char *key, const int *keys, size_t nk)
{
    const tz_ledger *l = g->l;
    tz_stmt_reset(g->st_seen_get);
    tz_stmt_bind_text(g->st_seen_get, 1, key);
    int seen = tz_stmt_step(g->st_seen_get);
    if (seen < 0) {
        tzs_fatal(g, "数据库查询");
        return 1;
    }
    if (seen == 1) {
        long prev = (long)tz_stmt_int(g->st_seen_get, 0);
        tz_diags_error(g->d, g->file, rowno, l->cols[keys[0]].name, key,
                       "与第%ld行重复(同一%s在文件中出现两次)", prev,
                       nk > 1 ? "组合键" : l->cols[keys[0]].name);
        return 1;
    }
    tz_stmt_reset(g->st_seen_get);
    tz_stmt_reset(g->st_seen_put);
    tz_stmt_bind_text(g->st_seen_put, 1, key);
    tz_stmt_bind_int(g->st_seen_put, 2, rowno);
    if (tz_stmt_step(g->st_seen_put) < 0) {
        tzs_fatal(g, "写入数据库");
        return 1;
    }
    return 0;
}

int tzs_load_stored(ingest *g, const tz_value *vals)
{
    const tz_ledger *l = g->l;
    tz_stmt *sel = g->st_select;
    _old_clear(g);
    tz_stmt_reset(sel);
    tzs_key_bind(l, sel, 1, vals);
    int r = tz_stmt_step(sel);
    if (r < 0) {
        tzs_fatal(g, "数据库查询");
        return -1;
    }
    for (size_t i = 0; r == 1 && i < l->ncols; i++)
        tz_stmt_value_text(sel, (int)i, &l->cols[i], g->old_cells[i], sizeof g->old_cells[i]);
    if (r == 1) {
        g->found = 1;
        g->old_version = tz_stmt_int(sel, (int)l->ncols);
    }
    tz_stmt_reset(sel);
    return 0;
}

int tzs_diff(ingest *g, const tz_value *vals, tz_buf *detail)
{
    const tz_ledger *l = g->l;
    if (!g->found)
        return 1;
    int change = 0;
    char old_a[96], new_a[96];
    for (size_t i = 0; i < l->ncols; i++) {
        const char *old = g->old_text[i];
        const char *nw = vals[i].null ? "" : vals[i].text;
        if (!strcmp(old, nw))
            continue;
        const char *o_shown = old;
        if (l->cols[i].type == TZ_COL_IDCARD) {
            /* PIPL: the log shows that the ID changed, never the ID */
            if (tz_store_audit_id(g->s, old, old_a, sizeof old_a) ||
                tz_store_audit_id(g->s, nw, new_a, sizeof new_a)) {
                tzs_fatal(g, "生成留痕记录");
                return -1;
            }
            o_shown = old_a;
            nw = new_a;
        }
        tz_buf_printf(detail, "%s%s: %s → %s", detail->len ? "; " : "", l->cols[i].name, o_shown,
                      nw);
        change = 2;
    }
    return change;
}

int tzs_check_scope_row(ingest *g, long rowno, const tz_value *vals, const char *which)
{
    const char *col;
    char val[300];
    int r = tzs_access_row(g->s, g->l, g->access, 0, vals, g->st_via, &col, val, sizeof val);
    if (r < 0) {
        tzs_fatal(g, "数据库查询");
        return 1;
    }
    if (r == 1 || r == 2)
        return 0; /* inside, or a missing reference the reference check reports */
    tz_diags_error(g->d, g->file, rowno, col ? col : NULL, val[0] ? val : NULL,
                   "%s不在当前账户的范围(%s)内", which, g->scope_name);
    return 1;
}

int tzs_check_lock_row(ingest *g, long rowno, const tz_value *vals, const char *which)
{
    char why[512];
    int r = tz_lock_row(g->s, g->l, vals, why, sizeof why);
    if (r < 0) {
        tzs_fatal(g, "数据库查询");
        return 1;
    }
    if (r == 0)
        return 0;
    int pc = g->l->period_col ? tz_ledger_col(g->l, g->l->period_col) : -1;
    tz_diags_error(g->d, g->file, rowno, pc >= 0 ? g->l->cols[pc].name : NULL,
                   pc >= 0 && !vals[pc].null ? vals[pc].text : NULL, "%s%s%s", why,
                   *which ? ";" : "", which);
    return 1;
}

int tzs_check_scope(ingest *g, long rowno, const tz_value *vals)
{
    int nerr = 0;
    if (g->access) {
        if (g->found)
            nerr += tzs_check_scope_row(g, rowno, tzs_old(g), "已存的这一行");
        nerr += tzs_check_scope_row(g, rowno, vals, "");
    }
    return nerr;
}

int tzs_check_locks(ingest *g, long rowno, const tz_value *vals)
{
    int nerr = 0;
    if (g->check_locks && g->found)
        nerr += tzs_check_lock_row(g, rowno, tzs_old(g), "已存的这一行");
    if (g->check_locks && !nerr)
        nerr += tzs_check_lock_row(g, rowno, vals, "");
    return nerr;
}

/* Runs the upsert; for a guarded one reads the version written. Returns
 * 0, 1 when the guard kept the row, -1 on a database failure. */
static int _upsert(ingest *g, const tz_value *vals, long long guard, long long *new_version)
{
    const tz_ledger *l = g->l;
    tz_stmt *up = guard >= 0 ? g->st_guarded : g->st_upsert;
    tz_stmt_reset(up);
    for (size_t i = 0; i < l->ncols; i++)
        tz_stmt_bind_value(up, 1 + (int)i, &l->cols[i], &vals[i]);
    if (guard >= 0)
        tz_stmt_bind_int(up, (int)l->ncols + 1, guard);
    int r = tz_stmt_step(up);
    if (r < 0)
        return -1;
    if (guard < 0)
        return 0;
    if (r == 1 && new_version)
        *new_version = tz_stmt_int(up, 0);
    tz_stmt_reset(up);
    return r == 1 ? 0 : 1;
}

int tzs_write_row(ingest *g, long rowno, const tz_value *vals, const char *actor, const char *key,
                  const tz_buf *detail, int change, long long guard, long long *new_version)
{
    int r = _upsert(g, vals, guard, new_version);
    if (r < 0) {
        tzs_fatal(g, "写入数据库");
        return -1;
    }
    if (r == 1)
        return 1;
    int rc = 0;
    tz_buf src = TZ_BUF_INIT;
    if (g->file)
        tz_buf_printf(&src, "%s 第%ld行%s%s", g->file, rowno, detail->len ? "; " : "",
                      tz_buf_str(detail));
    else
        tz_buf_puts(&src, tz_buf_str(detail));
    if (tz_store_audit(g->s, actor, change == 1 ? "新增" : "修改", g->l->id, key,
                       tz_buf_str(&src))) {
        tzs_fatal(g, "写入留痕记录");
        rc = -1;
    }
    tz_buf_free(&src);
    return rc;
}

/* Validates references, uniqueness, duplicates and scope of one good row,
 * and the locks of a row that changes, then writes it. Returns errors added; sets *change to 0 none, 1
 * insert, 2 update. */
static int _store_row(ingest *g, long rowno, tz_value *vals, const char *actor, int *change)
{
    const tz_ledger *l = g->l;
    int nerr = 0, c = 0;
    tz_buf key = TZ_BUF_INIT;
    tz_buf detail = TZ_BUF_INIT;
    int keys[4];
    size_t nk = tz_ledger_keys(l, keys);
    *change = 0;
    tzs_key_text(l, vals, &key);
    nerr = _seen_key(g, rowno, tz_buf_str(&key), keys, nk);
    if (nerr)
        goto done;
    nerr += tzs_check_refs(g, rowno, vals);
    if (nerr)
        goto done;
    if (tzs_load_stored(g, vals)) {
        nerr++;
        goto done;
    }
    nerr += tzs_check_scope(g, rowno, vals);
    if (nerr)
        goto done;
    c = tzs_diff(g, vals, &detail);
    if (c < 0) {
        nerr++;
        goto done;
    }
    if (c == 0)
        goto done; /* unchanged: nothing to lock */
    nerr += tzs_check_locks(g, rowno, vals);
    if (nerr)
        goto done;
    if (tzs_write_row(g, rowno, vals, actor, tz_buf_str(&key), &detail, c, -1, NULL)) {
        nerr++; /* fatal: the import is undone and counts nothing */
        goto done;
    }
    *change = c;
done:
    tz_buf_free(&key);
    tz_buf_free(&detail);
    return nerr;
}

/* True when the row is the notes row that `taizhang template` writes. */
static int _is_notes_row(const tz_ledger *l, const tz_header_map *m, const tz_row *row)
{
    int matched = 0;
    for (size_t i = 0; i < l->ncols; i++) {
        int fi = m->map[i];
        const char *cell = fi >= 0 && (size_t)fi < row->n ? row->cells[fi] : "";
        const char *note = l->cols[i].note ? l->cols[i].note : "";
        if (strcmp(cell, note) != 0)
            return 0;
        matched += *note != 0;
    }
    return matched > 0;
}

/* Tells o->progress (when set) how far the import has come. */
static void _report(const tz_import_opts *o, const tz_reader *rd, const char *file,
                    tz_import_stage stage, size_t rows)
{
    if (!o || !o->progress || !o->progress->fn)
        return;
    unsigned long long done, total;
    tz_reader_progress(rd, &done, &total);
    if (stage == TZ_IMPORT_READ)
        done = total;
    o->progress->fn(o->progress->ctx, file, stage, rows, done, total);
}

/* Step 1: opens the file and matches its header row to the ledger's
 * columns. Returns 0, or 1 (refused: the file cannot be read, is empty or
 * its header does not fit) with the reason in g->d. */
static int _open_header(ingest *g, const char *path, const tz_import_opts *o, tz_reader **rd,
                        tz_header_map *map, tz_import_result *res)
{
    if (tz_reader_open(path, rd, g->d))
        return 1;
    g->file = o && o->name ? o->name : tz_reader_name(*rd);
    snprintf(res->encoding, sizeof res->encoding, "%s", tz_reader_encoding(*rd));
    const tz_row *row;
    int r = tz_reader_next(*rd, &row, g->d);
    if (r <= 0) {
        if (r == 0)
            tz_diags_error(g->d, g->file, 0, NULL, NULL, "文件为空,没有表头行");
        return 1;
    }
    if (tz_header_match(g->l, (const char *const *)row->cells, row->n, g->file, map, g->d))
        return 1;
    /* the header found and how its columns map, for the dry run to show */
    res->header_row = 1;
    for (size_t j = 0; j < row->n; j++)
        res->header_cells += row->cells[j] && row->cells[j][strspn(row->cells[j], " \t")] != '\0';
    for (size_t i = 0; i < TZ_IMPORT_MAX_COLS; i++)
        res->file_col[i] = i < g->l->ncols ? map->map[i] : -1;
    return 0;
}

/* Sets g->check_locks from tz_lock_possible (asked once, inside the
 * write transaction: a database without approvals pays nothing per row).
 * Returns 0 or -1. */
static int _locks_wanted(ingest *g)
{
    int r = tz_lock_possible(g->s, g->l);
    g->check_locks = r > 0;
    return r < 0 ? -1 : 0;
}

/* Step 2: begins the transaction and prepares the statements and the
 * table of keys seen in this file. Returns 0, or -1 with a diag (*in_tx
 * says whether the transaction was begun). */
static int _begin(ingest *g, int *in_tx)
{
    if (tz_store_read_only(g->s)) {
        tz_diags_error(g->d, g->file, 0, NULL, NULL,
                       "数据库文件只读(没有写权限,或所在文件夹、磁盘只读),无法导入");
        return -1;
    }
    if (tz_store_begin(g->s)) {
        tzs_fatal(g, "开始数据库事务");
        return -1;
    }
    *in_tx = 1;
    if (tz_store_exec(g->s, "CREATE TEMP TABLE IF NOT EXISTS tz_seen (k TEXT PRIMARY KEY, "
                            "rowno INTEGER)") ||
        tz_store_exec(g->s, "DELETE FROM tz_seen") || tzs_ingest_init(g) ||
        tz_store_prepare(g->s, "SELECT rowno FROM tz_seen WHERE k = ?", &g->st_seen_get) ||
        tz_store_prepare(g->s, "INSERT INTO tz_seen (k, rowno) VALUES (?, ?)", &g->st_seen_put) ||
        tz_store_audit_ready(g->s) || _locks_wanted(g) ||
        (g->access && tzs_access_name(g->s, g->access, g->scope_name, sizeof g->scope_name))) {
        tzs_fatal(g, "数据库准备");
        return -1;
    }
    return 0;
}

/* Step 3: validates and stores every data row, telling o->progress as it
 * goes. Returns 1 when the rows ran out, -1 when the reader failed (diag
 * added); g->fatal is set when the database failed. */
static int _read_rows(ingest *g, tz_reader *rd, const tz_header_map *map, const char *path,
                      const tz_import_opts *o, const char *actor, tz_value *vals,
                      tz_import_result *res)
{
    const tz_ledger *l = g->l;
    const tz_row *row;
    int r = 0, first = 1;
    while (!g->fatal && (r = tz_reader_next(rd, &row, g->d)) == 1) {
        if (first && _is_notes_row(l, map, row))
            continue; /* the fill-in notes row of a template */
        first = 0;
        res->rows++;
        g->at_row = row->rowno;
        int bad =
            tz_row_validate(l, map, (const char *const *)row->cells, row->numeric, row->n, g->file,
                            row->rowno, tz_row_flags(path, row->date1904), vals, g->d);
        if (bad) {
            tzs_check_refs(g, row->rowno, vals);
        } else {
            int change;
            _store_row(g, row->rowno, vals, actor, &change);
            if (change == 1)
                res->inserted++;
            else if (change == 2)
                res->updated++;
        }
        tz_values_clear(vals, l->ncols);
        /* a failure the statements above did not see (an unchecked call)
         * still ends the transaction: never go on in autocommit mode */
        if (!g->fatal && !tz_store_tx_alive(g->s))
            tzs_fatal(g, "写入数据库");
        if (res->rows % TZ_IMPORT_PROGRESS_ROWS == 0)
            _report(o, rd, g->file, TZ_IMPORT_READING, res->rows);
    }
    /* a reader error (an unclosed quote, a broken part) stops the read too */
    _report(o, rd, g->file, g->fatal || r < 0 ? TZ_IMPORT_STOPPED : TZ_IMPORT_READ, res->rows);
    return r < 0 ? -1 : 1;
}

/* Step 5: writes the audit entry and commits. Returns 0, or -1 with a
 * diag. */
static int _commit(ingest *g, const char *actor, const tz_import_result *res)
{
    tz_buf sum = TZ_BUF_INIT;
    tz_buf_printf(&sum, "%s: 读取%zu行,新增%zu行,修改%zu行", g->file, res->rows, res->inserted,
                  res->updated);
    int arc = tz_store_audit(g->s, actor, "导入", g->l->id, "", tz_buf_str(&sum));
    tz_buf_free(&sum);
    if (arc || tz_store_commit(g->s)) {
        tzs_fatal(g, "提交数据库事务");
        return -1;
    }
    return 0;
}

int tz_import_file(tz_store *s, const tz_ledger *l, const char *path, const tz_import_opts *o,
                   tz_import_result *res, tz_diags *d)
{
    tz_reader *rd = NULL;
    tz_header_map map = {.map = NULL};
    ingest g;
    memset(&g, 0, sizeof g);
    memset(res, 0, sizeof *res);
    tz_value *vals = calloc(l->ncols, sizeof *vals);
    int rc = -1, in_tx = 0;
    size_t errs_before = d->nerrors;
    const char *actor = o && o->actor ? o->actor : "命令行";

    g.s = s;
    g.l = l;
    g.d = d;
    g.level_col = tz_ledger_col(l, "level");
    g.access = o ? o->access : NULL;
    if (!vals)
        goto done;
    if (_open_header(&g, path, o, &rd, &map, res)) {
        rc = 1;
        goto done;
    }
    if (_begin(&g, &in_tx))
        goto done;
    int r = _read_rows(&g, rd, &map, path, o, actor, vals, res);
    if (g.fatal)
        goto done;
    if (r < 0) {
        rc = 1;
        goto done;
    }
    /* step 4: references that pointed forward in the same file */
    for (size_t i = 0; i < g.npending && !g.fatal; i++)
        _check_ref(&g, g.pending[i].rowno, g.pending[i].col, g.pending[i].value,
                   g.pending[i].own_level, 1);
    if (g.fatal)
        goto done;
    res->blank = tz_reader_blank(rd);
    if (res->rows == 0)
        tz_diags_warn(d, g.file, 0, NULL, NULL, "只有表头,没有数据行");
    if (d->nerrors > errs_before) {
        rc = 1;
        goto done;
    }
    if (o && o->dry_run) {
        rc = 0;
        goto done;
    }
    if (_commit(&g, actor, res))
        goto done;
    in_tx = 0;
    rc = 0;
done:
    tzs_ingest_free(&g);
    if (in_tx)
        tz_store_rollback(s);
    if (rc != 0)
        res->inserted = res->updated = 0;
    tz_header_map_free(&map);
    tz_reader_free(rd);
    free(vals);
    return rc;
}
