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
#include "util/sha256.h"
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
    /* where it stopped: at a row, or after the last one (the staged rows,
     * the indexes or COMMIT) */
    char at[96];
    if (g->all_read)
        snprintf(at, sizeof at, "%s", "文件已全部读完,导入在写入数据库时停止");
    else
        snprintf(at, sizeof at, "导入在读到第%ld行时停止", g->at_row);
    switch (tz_store_errkind(g->s)) {
    case TZ_STORE_ERR_FULL:
        tz_diags_error(g->d, g->file, 0, NULL, NULL,
                       "磁盘空间已满,%s,本次导入的内容全部撤销;请清理磁盘空间后重新导入(%s)", at,
                       tz_store_errmsg(g->s));
        break;
    case TZ_STORE_ERR_BUSY:
        tz_diags_error(g->d, g->file, 0, NULL, NULL, "另一个导入或修改正在进行,请稍后再试");
        break;
    case TZ_STORE_ERR_READONLY:
        tz_diags_error(g->d, g->file, 0, NULL, NULL, "数据库文件只读,无法写入(%s)",
                       tz_store_errmsg(g->s));
        break;
    case TZ_STORE_ERR_TIMEOUT:
        tz_diags_error(g->d, g->file, 0, NULL, NULL,
                       "数据库执行超时或连接中断,%s,本次导入的内容全部撤销(%s)", at,
                       tz_store_errmsg(g->s));
        break;
    default:
        tz_diags_error(g->d, g->file, 0, NULL, NULL, "%s失败,%s,本次导入的内容全部撤销(%s)", what,
                       at, tz_store_errmsg(g->s));
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

/* Whether column i's reference map is an earlier column's (the same
 * referenced ledger): freed there. */
static int _ref_shared(const ingest *g, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (g->refs[j] == g->refs[i])
            return 1;
    return 0;
}

void tzs_ingest_free(ingest *g)
{
    tz_stmt_free(g->st_select);
    tz_stmt_free(g->st_upsert);
    tz_stmt_free(g->st_guarded);
    tz_stmt_free(g->st_imp);
    for (size_t i = 0; i < g->nimp; i++)
        free(g->imp[i].label);
    free(g->imp);
    g->imp = NULL;
    g->nimp = 0;
    g->st_imp = NULL;
    tz_buf_free(&g->ahead);
    tz_stmt_free(g->st_via[0]);
    tz_stmt_free(g->st_via[1]);
    for (size_t i = 0; g->l && i < g->l->ncols; i++) {
        tz_stmt_free(g->st_ref ? g->st_ref[i] : NULL);
        tz_stmt_free(g->st_unique ? g->st_unique[i] : NULL);
        tz_hmap_free(g->uniq ? g->uniq[i] : NULL);
        if (g->refs && g->refs[i] && !_ref_shared(g, i))
            tz_hmap_free(g->refs[i]);
    }
    /* after the unique maps, which borrow its keys (ingest_sets.c) */
    if (g->seen != g->stored)
        tz_hmap_free(g->seen);
    tz_hmap_free(g->stored);
    free(g->st_ref);
    free(g->st_unique);
    free(g->uniq);
    free(g->refs);
    tz_touched_free(g->touched);
    tzs_stage_free(g->stage);
    g->stage = NULL;
    for (size_t i = 0; i < g->npending; i++)
        free(g->pending[i].value);
    free(g->pending);
    if (g->l)
        _old_clear(g);
    free(g->old_text);
    free(g->old_cells);
    free(g->old);
    g->st_select = g->st_upsert = g->st_guarded = NULL;
    g->seen = g->stored = NULL;
    g->uniq = g->refs = NULL;
    g->st_via[0] = g->st_via[1] = NULL;
    g->st_ref = g->st_unique = NULL;
    g->pending = NULL;
    g->npending = g->cappending = 0;
    g->old_text = NULL;
    g->old_cells = NULL;
    g->old = NULL;
}

void tzs_upsert_sql(const tz_ledger *l, const char *from, int guarded, tz_buf *q)
{
    int keys[4];
    size_t nk = tz_ledger_keys(l, keys);
    tz_buf_printf(q, "INSERT INTO %s (", l->id);
    for (size_t i = 0; i < l->ncols; i++)
        tz_buf_printf(q, "%s, ", l->cols[i].sql);
    /* a new row's import record and file row; an update keeps the first */
    tz_buf_puts(q, "tz_import, tz_line");
    if (from) {
        tz_buf_puts(q, ") SELECT ");
        for (size_t i = 0; i < l->ncols; i++)
            tz_buf_printf(q, "%s, ", l->cols[i].sql);
        tz_buf_printf(q, "tz_import, tz_line FROM %s", from);
    } else {
        tz_buf_puts(q, ") VALUES (");
        for (size_t i = 0; i < l->ncols; i++)
            tz_buf_puts(q, "?, ");
        tz_buf_puts(q, "?, ?)");
    }
    tz_buf_puts(q, " ON CONFLICT (");
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
    tzs_upsert_sql(l, NULL, 0, &q);
    if (tz_store_prepare(g->s, tz_buf_str(&q), &g->st_upsert))
        goto done;
    tz_buf_reset(&q);
    tzs_upsert_sql(l, NULL, 1, &q);
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
    if (g->refs && g->refs[col]) {
        long long lv = TZ_LEVEL_NONE;
        int found = tz_hmap_get(g->refs[col], value, &lv, NULL);
        *level = (tz_level)lv;
        return found;
    }
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
    g->pending[g->npending++] = (tzs_pending){.rowno = rowno,
                                              .col = col,
                                              .value = strdup(value),
                                              .own_level = own_level,
                                              .sheet = g->sheet};
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
    for (size_t k = 0; k < nk; k++) {
        if (k)
            tz_buf_putc(out, '/');
        tz_buf_puts(out, vals[keys[k]].text ? vals[keys[k]].text : "");
    }
}

int tzs_key_sql(const tz_ledger *l, const char *alias, tz_buf *out)
{
    int keys[4];
    size_t nk = tz_ledger_keys(l, keys);
    for (size_t k = 0; k < nk; k++) {
        const tz_column *c = &l->cols[keys[k]];
        const char *t = tzs_sqltype(TZ_BACKEND_SQLITE, c->type);
        /* a whole number's text is its canonical text; a real's and a
         * yes/no's are not */
        int text = !strcmp(t, "TEXT");
        if (!text && c->type != TZ_COL_INT && c->type != TZ_COL_YEAR)
            return -1;
        tz_buf_printf(out, "%s%s%s.%s%s", k ? " || '/' || " : "", text ? "" : "CAST(", alias,
                      c->sql, text ? "" : " AS TEXT)");
    }
    return out->data ? 0 : -1;
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

/* The refusal of value v of unique column i, registered in the row whose
 * key is other. */
static void _unique_error(ingest *g, long rowno, size_t i, const char *v, const int *keys,
                          const char *other)
{
    const tz_ledger *l = g->l;
    char shown[64];
    if (l->cols[i].type == TZ_COL_IDCARD) {
        tz_idcard_mask(v, shown, sizeof shown);
        v = shown;
    }
    tz_diags_error(g->d, g->file, rowno, l->cols[i].name, v,
                   "已登记在%s为%s的记录中,同一人不能重复录入", l->cols[keys[0]].name, other);
}

/* _check_unique against the import's map (single key ledgers only). */
static int _check_unique_mem(ingest *g, long rowno, size_t i, const tz_value *vals, const int *keys)
{
    const char *other = NULL;
    const char *own = vals[keys[0]].null ? NULL : vals[keys[0]].text;
    /* a row without its key matches no row: "NOT (key = NULL)" is NULL */
    if (!own || !tz_hmap_get(g->uniq[i], vals[i].text, NULL, &other) || !other ||
        !strcmp(other, own))
        return 0;
    _unique_error(g, rowno, i, vals[i].text, keys, other);
    return 1;
}

/* Column i of vals is already registered in another row (TZ_F_UNIQUE).
 * Returns the number of errors added. */
static int _check_unique(ingest *g, long rowno, size_t i, const tz_value *vals, const int *keys)
{
    const tz_ledger *l = g->l;
    if (g->uniq && g->uniq[i])
        return _check_unique_mem(g, rowno, i, vals, keys);
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
        _unique_error(g, rowno, i, vals[i].text, keys, tz_stmt_text(st, 0));
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
    long long v = 0;
    int found = tz_hmap_get(g->seen, key, &v, NULL);
    long prev = found ? tzs_key_row(v) : 0;
    if (prev > 0) {
        tz_diags_error(g->d, g->file, rowno, l->cols[keys[0]].name, key,
                       "与第%ld行重复(同一%s在文件中出现两次)", prev,
                       nk > 1 ? "组合键" : l->cols[keys[0]].name);
        return 1;
    }
    g->key_stored = found && tzs_key_stored(v);
    if (tz_hmap_put(g->seen, key, tzs_key_ival(rowno, g->key_stored), NULL)) {
        tzs_fatal(g, "内存分配");
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

/* Runs the upsert (a new row with import record imp and file row line
 * when imp > 0); for a guarded one reads the version written. Returns 0, 1
 * when the guard kept the row, -1 on a database failure. */
static int _upsert(ingest *g, const tz_value *vals, long long imp, long line, long long guard,
                   long long *new_version)
{
    const tz_ledger *l = g->l;
    tz_stmt *up = guard >= 0 ? g->st_guarded : g->st_upsert;
    int n = (int)l->ncols;
    tz_stmt_reset(up);
    for (size_t i = 0; i < l->ncols; i++)
        tz_stmt_bind_value(up, 1 + (int)i, &l->cols[i], &vals[i]);
    if (imp > 0) {
        tz_stmt_bind_int(up, n + 1, imp);
        tz_stmt_bind_int(up, n + 2, line);
    } else {
        tz_stmt_bind_null(up, n + 1);
        tz_stmt_bind_null(up, n + 2);
    }
    if (guard >= 0)
        tz_stmt_bind_int(up, n + 3, guard);
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

/* The import record of the rows added under g->file (made on the first
 * one; a workbook's sheets have a label each). Returns its id, or -1
 * (marked fatal). */
static long long _import_rec(ingest *g)
{
    if (g->nimp && !strcmp(g->imp[g->nimp - 1].label, g->file))
        return g->imp[g->nimp - 1].id;
    tzs_import_rec *v = realloc(g->imp, (g->nimp + 1) * sizeof *v);
    if (!v) {
        tzs_fatal(g, "内存分配");
        return -1;
    }
    g->imp = v;
    tzs_import_rec *rec = &v[g->nimp];
    *rec = (tzs_import_rec){.id = 0, .label = strdup(g->file), .added = 0};
    if (!rec->label) {
        tzs_fatal(g, "内存分配");
        return -1;
    }
    g->nimp++;
    if ((!g->st_imp && tz_store_prepare(g->s,
                                        "INSERT INTO tz_imports (ledger, label) VALUES (?, ?) "
                                        "RETURNING id",
                                        &g->st_imp)) ||
        tz_stmt_bind_text(g->st_imp, 1, g->l->id) || tz_stmt_bind_text(g->st_imp, 2, g->file) ||
        tz_stmt_step(g->st_imp) != 1 || (rec->id = tz_stmt_int(g->st_imp, 0)) <= 0) {
        tzs_fatal(g, "写入导入记录");
        return -1;
    }
    tz_stmt_reset(g->st_imp);
    return rec->id;
}

int tzs_write_row(ingest *g, long rowno, const tz_value *vals, const char *actor, const char *key,
                  const tz_buf *detail, int change, long long guard, long long *new_version)
{
    int staged = g->stage && guard < 0;
    /* a row an import adds: its import record stands for its audit entry */
    long long imp = change == 1 && g->imp_ok && g->file && guard < 0 ? _import_rec(g) : 0;
    if (imp < 0)
        return -1;
    int r = tz_touched_row(g->s, &g->touched, g->l, vals, g->found ? g->old_text : NULL);
    if (r == 0 && !staged)
        r = _upsert(g, vals, imp, rowno, guard, new_version);
    if (r < 0) {
        tzs_fatal(g, "写入数据库");
        return -1;
    }
    if (r == 1)
        return 1;
    if (imp > 0) {
        g->imp[g->nimp - 1].added++;
        return staged ? tzs_stage_row(g, vals, imp, rowno, actor, NULL, key, NULL) : 0;
    }
    int rc = 0;
    const char *action = change == 1 ? "新增" : "修改";
    tz_buf src = TZ_BUF_INIT;
    if (g->file)
        tz_buf_printf(&src, "%s 第%ld行%s%s", g->file, rowno, detail->len ? "; " : "",
                      tz_buf_str(detail));
    else
        tz_buf_puts(&src, tz_buf_str(detail));
    if (staged) {
        rc = tzs_stage_row(g, vals, 0, rowno, actor, action, key, tz_buf_str(&src));
    } else if (tz_store_audit(g->s, actor, action, g->l->id, key, tz_buf_str(&src))) {
        tzs_fatal(g, "写入留痕记录");
        rc = -1;
    }
    tz_buf_free(&src);
    return rc;
}

/* Columns the sheet does not have keep what is stored: a stored row takes
 * them from there (so the write leaves them and the diff does not see
 * them); a new row leaves them NULL, not recorded. Returns 0, or -1 when
 * out of memory (marked fatal). */
static int _keep_absent(ingest *g, tz_value *vals)
{
    if (!g->map || !g->found)
        return 0;
    const tz_value *old = tzs_old(g);
    for (size_t i = 0; i < g->l->ncols; i++) {
        if (g->map->map[i] >= 0)
            continue;
        tz_value_unset(&vals[i]);
        vals[i] = old[i];
        vals[i].lent = 0; /* the copy below is this value's own */
        vals[i].text = old[i].text ? strdup(old[i].text) : NULL;
        if (old[i].text && !vals[i].text) {
            tzs_fatal(g, "内存分配");
            return -1;
        }
    }
    return 0;
}

/* After a row was added: once the import has added more rows than the
 * table held (and TZS_BULK_MIN), drops the secondary indexes, which
 * CREATE INDEX then builds at the end by one sort instead of a B-tree
 * insert per row. Only on SQLite, and only when every unique column and
 * the stored keys are checked in memory: the write lock is held, so the
 * maps see every row, and building a unique index checks them again.
 * Returns 0, or -1 (marked fatal). */
static int _bulk_maybe(ingest *g)
{
    g->added++;
    if (g->bulk || g->added < TZS_BULK_MIN || g->added <= g->stored_n || !g->stored ||
        tz_store_backend(g->s) != TZ_BACKEND_SQLITE)
        return 0;
    for (size_t i = 0; i < g->l->ncols; i++)
        if ((g->l->cols[i].flags & TZ_F_UNIQUE) && !g->uniq[i])
            return 0;
    if (tzs_indexes(g->s, g->l, 1)) {
        tzs_fatal(g, "大批量导入前暂停数据库索引");
        return -1;
    }
    g->bulk = 1;
    return 0;
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
    if (g->stored && !g->key_stored)
        _old_clear(g); /* a new key: nothing stored to load */
    else if (tzs_load_stored(g, vals)) {
        nerr++;
        goto done;
    }
    if (_keep_absent(g, vals)) {
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
    if (tzs_write_row(g, rowno, vals, actor, tz_buf_str(&key), &detail, c, -1, NULL) ||
        tzs_sets_written(g, tz_buf_str(&key), vals) || (c == 1 && _bulk_maybe(g))) {
        nerr++; /* fatal: the import is undone and counts nothing */
        goto done;
    }
    *change = c;
done:
    tz_buf_free(&key);
    tz_buf_free(&detail);
    return nerr;
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

/* Sets g->check_locks from tz_lock_possible (asked once, inside the
 * write transaction: a database without approvals pays nothing per row).
 * Returns 0 or -1. */
static int _locks_wanted(ingest *g)
{
    int r = tz_lock_possible(g->s, g->l);
    g->check_locks = r > 0;
    return r < 0 ? -1 : 0;
}

/* Step 2: begins the transaction (the data version's row triggers paused
 * for it), prepares the statements and loads the in-memory sets. Returns 0, or -1 with a diag (*in_tx
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
    if (tzs_dv_pause(g->s, g->l) || tzs_ingest_init(g) || tzs_ingest_load_sets(g) ||
        tzs_stage_begin(g) || tz_store_audit_ready(g->s) || _locks_wanted(g) ||
        (g->access && tzs_access_name(g->s, g->access, g->scope_name, sizeof g->scope_name))) {
        tzs_fatal(g, "数据库准备");
        return -1;
    }
    g->stored_n = g->stored ? tz_hmap_count(g->stored) : 0;
    return 0;
}

/* ---- one sheet ------------------------------------------------------------ */

/* A row copied out of the reader, whose storage the next row reuses. */
typedef struct held_row {
    long rowno;           /* the file row */
    size_t n;             /* cells */
    char **cells;         /* their text (owned) */
    unsigned char *kinds; /* their tz_cell_kind (owned) */
    int date1904;         /* the workbook's date system */
} held_row;

static void _held_free(held_row *h, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < h[i].n; j++)
            free(h[i].cells[j]);
        free(h[i].cells);
        free(h[i].kinds);
    }
}

/* Copies row into h. Returns 0, or -1 when out of memory (h freeable). */
static int _hold(held_row *h, const tz_row *row)
{
    *h = (held_row){.rowno = row->rowno, .date1904 = row->date1904};
    h->cells = calloc(row->n ? row->n : 1, sizeof *h->cells);
    h->kinds = malloc(row->n ? row->n : 1);
    if (!h->cells || !h->kinds)
        return -1;
    for (size_t j = 0; j < row->n; j++) {
        if (!(h->cells[j] = strdup(row->cells[j])))
            return -1;
        h->n = j + 1;
        h->kinds[j] = row->numeric ? row->numeric[j] : TZ_CELL_TEXT;
    }
    return 0;
}

/* Rows read before the file's size tells how many more it holds: enough
 * that the reader's read-ahead (64 KiB) is a small share of the bytes. */
#define EXPECT_AT_ROWS 8192
/* Rows of a batch whose set lookups are prefetched before they are checked:
 * far enough for the memory to answer, near enough to stay in the cache. */
#define PREFETCH_AHEAD 8

/* Sizes the import's maps for the rest of the file, estimated from the
 * bytes the rows so far took (with a tenth more), so that filling them
 * rehashes nothing (a rehash of 100 000 keys was 3-7% of an import). */
static size_t _rest_estimate(const tz_reader *rd, size_t rows)
{
    unsigned long long done, total;
    tz_reader_progress(rd, &done, &total);
    if (!done || total <= done)
        return 0;
    double more = (double)rows * (double)(total - done) / (double)done * 1.1;
    return more < 1e9 ? (size_t)more : (size_t)1e9;
}

static void _expect_rest(ingest *g, const tz_reader *rd, size_t rows)
{
    size_t more = _rest_estimate(rd, rows);
    if (more && g->seen)
        tzs_sets_expect(g, more);
}

/* The sheet being read. */
typedef struct sheet_read {
    tz_import_sheet *out; /* its part of the result */
    tz_header_map map;    /* its columns */
    tz_table_head head;   /* its header */
    tz_table_state st;    /* what its rows so far decided */
    tz_national *nx;      /* a national export's persons, or NULL */
    const char *path;     /* the file */
    const char *actor;    /* who imports */
    tz_value *vals;       /* one row's values (ledger's ncols) */
} sheet_read;

/* Counts a row left out. */
static void _skip(tz_import_sheet *sh, tz_skip_kind kind, long rowno)
{
    size_t k = sh->skipped[kind]++;
    if (k < TZ_IMPORT_SKIP_ROWS)
        sh->skip_rows[kind][k] = rowno;
}

/* Stores one data row tz_row_validate read into vals (bad: the errors it
 * found; then only its references are checked, for their messages), and
 * clears vals when clear (else their owner does). */
static void _took_row(ingest *g, sheet_read *sr, long rowno, int bad, tz_value *vals, int clear,
                      tz_import_result *res)
{
    const tz_ledger *l = g->l;
    res->rows++;
    sr->out->rows++;
    g->at_row = rowno;
    if (bad) {
        tzs_check_refs(g, rowno, vals);
    } else {
        int change;
        _store_row(g, rowno, vals, sr->actor, &change);
        res->inserted += change == 1;
        res->updated += change == 2;
        sr->out->inserted += change == 1;
        sr->out->updated += change == 2;
    }
    if (clear)
        tz_values_clear(vals, l->ncols);
    /* a failure the statements above did not see (an unchecked call)
     * still ends the transaction: never go on in autocommit mode */
    if (!g->fatal && !tz_store_tx_alive(g->s))
        tzs_fatal(g, "写入数据库");
}

/* Validates and stores one data row. */
static void _take_row(ingest *g, sheet_read *sr, const char *const *cells,
                      const unsigned char *kinds, size_t n, long rowno, int date1904,
                      tz_import_result *res)
{
    g->at_row = rowno;
    int bad = tz_row_validate(g->l, &sr->map, cells, kinds, n, g->file, rowno,
                              tz_row_flags(sr->path, date1904), sr->vals, g->d);
    _took_row(g, sr, rowno, bad, sr->vals, 1, res);
}

/* One row under the header: left out (counted by kind), a national
 * export's person, or data. */
static void _under_header(ingest *g, sheet_read *sr, const char *const *cells,
                          const unsigned char *kinds, size_t n, long rowno, int date1904,
                          tz_import_result *res)
{
    int kind = tz_table_row(g->l, &sr->head, sr->nx ? NULL : &sr->map, cells, n, &sr->st);
    if (kind >= 0)
        _skip(sr->out, (tz_skip_kind)kind, rowno);
    else if (sr->nx)
        tz_national_add(sr->nx, cells, kinds, n, rowno, g->d); /* errors named in d */
    else
        _take_row(g, sr, cells, kinds, n, rowno, date1904, res);
}

/* Sets the reason a sheet is left out or refused (printf-style). */
static void _reason(tz_import_sheet *sh, tz_sheet_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void _reason(tz_import_sheet *sh, tz_sheet_status st, const char *fmt, ...)
{
    tz_buf b = TZ_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    tz_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    sh->status = st;
    free(sh->reason);
    sh->reason = b.data ? strdup(tz_buf_str(&b)) : NULL;
    tz_buf_free(&b);
}

/* The TZ_F_INFILE columns the header does not name, joined by 、. */
static void _missing_infile(const tz_ledger *l, char *const *cells, size_t n, tz_buf *out)
{
    for (size_t i = 0; i < l->ncols; i++) {
        if (!(l->cols[i].flags & TZ_F_INFILE))
            continue;
        int have = 0;
        for (size_t j = 0; j < n && !have; j++)
            have = *cells[j] && tz_header_col(l, cells[j]) == (int)i;
        if (!have)
            tz_buf_printf(out, "%s%s", out->len ? "、" : "", l->cols[i].name);
    }
}

/* Whether the header names enough of the columns every file must have to
 * be meant as this ledger's table: all of them, or (refused then, with the
 * missing ones named) at least half. */
static int _meant(const tz_ledger *l, const tz_table_head *h)
{
    int need = 0;
    for (size_t i = 0; i < l->ncols; i++)
        need += (l->cols[i].flags & TZ_F_INFILE) != 0;
    return h->infile * 2 >= need && h->infile > 0;
}

/* Keeps the header found in the result: its row, cells and columns. */
static void _keep_header(const tz_ledger *l, sheet_read *sr, const held_row *held)
{
    tz_import_sheet *out = sr->out;
    out->header_row = (size_t)held[sr->head.at].rowno;
    out->header_rows = sr->head.nrows;
    out->header = sr->head.cells;
    out->nheader = sr->head.n;
    for (size_t i = 0; i < TZ_IMPORT_MAX_COLS; i++) {
        out->file_col[i] = i < l->ncols && sr->map.map ? sr->map.map[i] : -1;
        out->how[i] = i < l->ncols && sr->map.how ? sr->map.how[i] : TZ_HOW_EXACT;
    }
}

/* Says, once per column, that a column the file lacks keeps its stored
 * values. */
static void _absent_columns(ingest *g, const sheet_read *sr)
{
    const tz_ledger *l = g->l;
    for (size_t i = 0; i < l->ncols; i++)
        if (sr->map.map[i] < 0)
            tz_diags_warn(g->d, g->file, (long)sr->out->header_row, l->cols[i].name, NULL,
                          "文件中没有此列:新增的行记为未填写,已有的行保留原来的值");
}

/* Finds the sheet's header among its first rows (held, nheld of them) and
 * decides what the sheet is. Returns 1 to read its rows, 0 when it is left
 * out or refused (status and reason set, errors in g->d), -1 when out of
 * memory. */
static int _sheet_head(ingest *g, sheet_read *sr, const held_row *held, size_t nheld)
{
    const tz_ledger *l = g->l;
    tz_import_sheet *out = sr->out;
    const char *const *rows[TZ_TABLE_SCAN_ROWS];
    size_t ns[TZ_TABLE_SCAN_ROWS];
    if (!nheld) {
        _reason(out, TZ_SHEET_EMPTY, "空表");
        return 0;
    }
    for (size_t i = 0; i < nheld; i++) {
        rows[i] = (const char *const *)held[i].cells;
        ns[i] = held[i].n;
    }
    int r = tz_table_header(l, rows, ns, nheld, &sr->head);
    if (r < 0)
        return -1;
    if (r == 0) {
        _reason(out, TZ_SHEET_OTHER, "前%zu行中没有%s台账的列名", nheld, l->name);
        return 0;
    }
    if (sr->head.national) {
        out->national = 1;
        _keep_header(l, sr, held);
        sr->head.cells = NULL; /* kept in out */
        return tz_national_begin((const char *const *)out->header, out->nheader, g->file, &sr->nx,
                                 g->d)
                   ? 0
                   : 1;
    }
    tz_buf miss = TZ_BUF_INIT;
    _missing_infile(l, sr->head.cells, sr->head.n, &miss);
    int meant = _meant(l, &sr->head);
    if (!meant) {
        _reason(out, TZ_SHEET_OTHER, "不是%s台账的表格(第%ld行只对上%d列,缺少%s)", l->name,
                held[sr->head.at].rowno, sr->head.matched, tz_buf_str(&miss));
        tz_buf_free(&miss);
        _keep_header(l, sr, held);
        sr->head.cells = NULL;
        return 0;
    }
    tz_buf_free(&miss);
    int bad = tz_header_match_at(l, (const char *const *)sr->head.cells, sr->head.n, g->file,
                                 held[sr->head.at].rowno, &sr->map, g->d);
    _keep_header(l, sr, held);
    sr->head.cells = NULL;
    if (bad) {
        _reason(out, TZ_SHEET_REFUSED, "表头缺少必须有的列");
        return 0;
    }
    if (!(out->notes = tz_notes_new()))
        return -1;
    sr->map.notes = out->notes;
    sr->map.resolve = g->names ? tz_names_resolve : NULL;
    sr->map.resolve_ctx = g->names;
    _absent_columns(g, sr);
    return 1;
}

/* After the last person of a national export: its households, each read as
 * a row of the households ledger at its head's row. */
static void _national_rows(ingest *g, sheet_read *sr, tz_import_result *res)
{
    tz_national_stats st = {0};
    if (tz_national_finish(sr->nx, g->d, &st))
        return;
    sr->out->persons = st.persons;
    sr->out->members = st.members;
    size_t n;
    const char *const *hdr = tz_national_header(sr->nx, &n);
    const char **cells = calloc(n ? n : 1, sizeof *cells);
    if (!cells)
        return;
    for (size_t j = 0; j < n; j++)
        cells[j] = hdr[j] ? hdr[j] : "";
    int bad =
        tz_header_match_at(g->l, cells, n, g->file, (long)sr->out->header_row, &sr->map, g->d);
    free(cells);
    if (bad || !(sr->out->notes = tz_notes_new()))
        return;
    sr->map.notes = sr->out->notes;
    sr->map.resolve = g->names ? tz_names_resolve : NULL;
    sr->map.resolve_ctx = g->names;
    for (size_t i = 0; i < tz_national_count(sr->nx) && !g->fatal; i++) {
        long rowno;
        const char *const *row = tz_national_row(sr->nx, i, &rowno);
        _take_row(g, sr, row, NULL, n, rowno, 0, res);
    }
}

/* Reads one sheet: its first rows to find the header, then every row under
 * it. Returns 0, or -1 when the reader failed (diag added) or memory ran
 * out. */
/* What the reading thread of _piped_rows works with. */
typedef struct pipe_read {
    ingest *g;               /* the import: its ledger and file name only */
    tz_reader *rd;           /* the file (this thread's alone meanwhile) */
    sheet_read *sr;          /* the sheet: its header, map and state */
    const tz_import_opts *o; /* for progress */
    size_t rows;             /* data rows read so far, those before included */
} pipe_read;

/* tzs_fill_fn: reads rows, decides which are data and validates those
 * (what _under_header does before the database is needed). */
static int _pipe_fill(void *ctx, tzs_batch *b)
{
    pipe_read *f = ctx;
    const tz_ledger *l = f->g->l;
    sheet_read *sr = f->sr;
    const tz_row *row;
    while (b->n < TZS_BATCH_ROWS) {
        int r = tz_reader_next(f->rd, &row, &b->d);
        if (r <= 0)
            return r;
        tzs_prow *p = &b->rows[b->n++];
        p->rowno = row->rowno;
        p->vals = b->vals + (b->n - 1) * l->ncols;
        p->bad = 0;
        p->kind =
            tz_table_row(l, &sr->head, &sr->map, (const char *const *)row->cells, row->n, &sr->st);
        if (p->kind < 0) {
            p->bad = tz_row_validate_in(
                l, &sr->map, (const char *const *)row->cells, row->numeric, row->n, f->g->file,
                row->rowno, tz_row_flags(sr->path, row->date1904), p->vals, &b->texts, &b->d);
            if (++f->rows % TZ_IMPORT_PROGRESS_ROWS == 0)
                _report(f->o, f->rd, f->g->file, TZ_IMPORT_READING, f->rows);
            if (f->rows == EXPECT_AT_ROWS)
                b->expect_more = _rest_estimate(f->rd, f->rows);
        }
        p->d_to = b->d.n;
    }
    return 1;
}

/* The rest of a sheet's rows, read and validated on a second thread while
 * this one checks them against the database and writes them (the reader
 * and the validator were a third of an import's time). Messages come out
 * in file order, as they would from one thread; after a fatal error the
 * rows read ahead say nothing. Returns what tz_reader_next last returned
 * (1 when stopped early). */
static int _piped_rows(ingest *g, tz_reader *rd, sheet_read *sr, const tz_import_opts *o,
                       tz_import_result *res)
{
    pipe_read f = {g, rd, sr, o, res->rows};
    tzs_pipe *p = tzs_pipe_start(g->l->ncols, _pipe_fill, &f);
    if (!p)
        return 1; /* no thread: the caller reads on */
    tzs_batch *b;
    while (!g->fatal && (b = tzs_pipe_take(p))) {
        size_t d_at = 0;
        for (size_t i = 0; i < PREFETCH_AHEAD && i < b->n; i++)
            if (b->rows[i].kind < 0)
                tzs_sets_prefetch(g, b->rows[i].vals);
        for (size_t i = 0; i < b->n && !g->fatal; i++) {
            tzs_prow *row = &b->rows[i];
            if (i + PREFETCH_AHEAD < b->n && row[PREFETCH_AHEAD].kind < 0)
                tzs_sets_prefetch(g, row[PREFETCH_AHEAD].vals);
            tz_diags_take(g->d, &b->d, d_at, row->d_to);
            d_at = row->d_to;
            if (row->kind >= 0)
                _skip(sr->out, (tz_skip_kind)row->kind, row->rowno);
            else
                _took_row(g, sr, row->rowno, row->bad, row->vals, 0, res);
        }
        if (!g->fatal)
            tz_diags_take(g->d, &b->d, d_at, b->d.n); /* the reader's, after the rows */
        if (!g->fatal && b->expect_more && g->seen)
            tzs_sets_expect(g, b->expect_more);
        tzs_pipe_give(p, b);
    }
    return tzs_pipe_finish(p);
}

static int _read_sheet(ingest *g, tz_reader *rd, sheet_read *sr, const tz_import_opts *o,
                       tz_import_result *res)
{
    held_row held[TZ_TABLE_SCAN_ROWS];
    size_t nheld = 0;
    const tz_row *row;
    int r = 0, rc = -1;
    while (nheld < TZ_TABLE_SCAN_ROWS && (r = tz_reader_next(rd, &row, g->d)) == 1) {
        if (_hold(&held[nheld++], row))
            goto done;
    }
    if (r < 0)
        goto done;
    int go = _sheet_head(g, sr, held, nheld);
    if (go < 0)
        goto done;
    if (go == 0) {
        /* rows of a sheet left out are not read further */
        rc = 0;
        goto done;
    }
    for (size_t i = 0; i < sr->head.at; i++)
        _skip(sr->out, tz_table_above((const char *const *)held[i].cells, held[i].n),
              held[i].rowno);
    for (size_t i = sr->head.at + sr->head.nrows; i < nheld && !g->fatal; i++)
        _under_header(g, sr, (const char *const *)held[i].cells, held[i].kinds, held[i].n,
                      held[i].rowno, held[i].date1904, res);
    if (!g->fatal && r == 1 && !sr->nx)
        r = _piped_rows(g, rd, sr, o, res);
    while (!g->fatal && r == 1 && (r = tz_reader_next(rd, &row, g->d)) == 1) {
        _under_header(g, sr, (const char *const *)row->cells, row->numeric, row->n, row->rowno,
                      row->date1904, res);
        if (res->rows % TZ_IMPORT_PROGRESS_ROWS == 0)
            _report(o, rd, g->file, TZ_IMPORT_READING, res->rows);
        if (res->rows == EXPECT_AT_ROWS)
            _expect_rest(g, rd, res->rows);
    }
    if (r < 0)
        goto done;
    if (sr->nx && !g->fatal)
        _national_rows(g, sr, res);
    rc = 0;
done:
    sr->out->skipped[TZ_SKIP_BLANK] += tz_reader_blank(rd);
    _held_free(held, nheld);
    return rc;
}

/* ---- every sheet ------------------------------------------------------------ */

/* Adds the sheet info names to the result. Returns it, or NULL when out of
 * memory. */
static tz_import_sheet *_sheet_add(tz_import_result *res, const tz_sheet_info *info)
{
    tz_import_sheet *v = realloc(res->sheets, (res->nsheets + 1) * sizeof *v);
    if (!v)
        return NULL;
    res->sheets = v;
    tz_import_sheet *sh = &v[res->nsheets];
    *sh = (tz_import_sheet){.index = info->index, .hidden = info->hidden};
    for (size_t i = 0; i < TZ_IMPORT_MAX_COLS; i++)
        sh->file_col[i] = -1;
    if (!(sh->name = strdup(info->name ? info->name : "")))
        return NULL;
    res->nsheets++;
    return sh;
}

/* The name a sheet's diagnostics and audit entries give: the file's, with
 * the sheet's in brackets when the workbook has several ("名册.xlsx[宋河镇]").
 * When the second sheet begins, the first sheet's diagnostics so far get
 * its name too. */
static void _sheet_file(ingest *g, const char *base, const tz_import_result *res, size_t d_from,
                        char *buf, size_t sz)
{
    if (res->nsheets < 2) {
        snprintf(buf, sz, "%s", base);
        g->file = buf;
        return;
    }
    if (res->nsheets == 2) {
        char first[PATH_MAX + 300];
        snprintf(first, sizeof first, "%s[%s]", base, res->sheets[0].name);
        for (size_t k = d_from; k < g->d->n; k++) {
            tz_diag *it = &g->d->items[k];
            char *nf;
            if (it->file && !strcmp(it->file, base) && (nf = strdup(first))) {
                free(it->file);
                it->file = nf;
            }
        }
    }
    snprintf(buf, sz, "%s[%s]", base, res->sheets[res->nsheets - 1].name);
    g->file = buf;
}

/* Step 3: reads every sheet, telling o->progress as it goes; fname (fsz
 * bytes) holds the name each sheet's diagnostics give, g->file the file's
 * again at the end. Returns 0, or -1 when the reader failed (diag added) or
 * memory ran out; g->fatal is set when the database failed. */
static int _read_sheets(ingest *g, tz_reader *rd, const char *path, const tz_import_opts *o,
                        const char *actor, tz_value *vals, tz_import_result *res, char *fname,
                        size_t fsz)
{
    const char *base = g->file;
    size_t d_from = g->d->n;
    int rc = 0, r;
    tz_sheet_info info;
    while (!g->fatal && rc == 0 && (r = tz_reader_next_sheet(rd, &info, g->d)) != 0) {
        if (r < 0) {
            rc = -1;
            break;
        }
        sheet_read sr = {.path = path, .actor = actor, .vals = vals};
        if (!(sr.out = _sheet_add(res, &info))) {
            rc = -1;
            break;
        }
        _sheet_file(g, base, res, d_from, fname, fsz);
        g->sheet = (int)res->nsheets - 1;
        g->map = &sr.map;
        rc = _read_sheet(g, rd, &sr, o, res);
        g->map = NULL;
        tz_header_map_free(&sr.map);
        tz_table_head_free(&sr.head);
        tz_national_free(sr.nx);
        /* a sheet of this ledger without a required column refuses the
         * file: the sheets after it are not read (their rows would be
         * read in vain, and a damaged rest would hide the reason) */
        if (sr.out->status == TZ_SHEET_REFUSED)
            break;
    }
    int any = 0; /* a file refused at its header is never reported on */
    for (size_t i = 0; i < res->nsheets; i++)
        any |= res->sheets[i].status == TZ_SHEET_READ;
    if (any || g->fatal)
        _report(o, rd, g->file, g->fatal || rc < 0 ? TZ_IMPORT_STOPPED : TZ_IMPORT_READ, res->rows);
    g->file = base;
    return rc;
}

/* Fills the import's records (tz_imports) with its 导入 entry and the
 * file's name, size and hash. Returns 0 or -1. */
static int _records_done(ingest *g, long long audit_id, const char *hex, long long size)
{
    tz_stmt *st = NULL;
    int rc = -1;
    if (tz_store_prepare(g->s,
                         "UPDATE tz_imports SET audit_id = ?, file = ?, size = ?, sha256 = ?, "
                         "added = ? WHERE id = ?",
                         &st))
        return -1;
    for (size_t i = 0; i < g->nimp; i++) {
        tz_stmt_reset(st);
        if (tz_stmt_bind_int(st, 1, audit_id) || tz_stmt_bind_text(st, 2, g->file) ||
            (size >= 0 ? tz_stmt_bind_int(st, 3, size) : tz_stmt_bind_null(st, 3)) ||
            (*hex ? tz_stmt_bind_text(st, 4, hex) : tz_stmt_bind_null(st, 4)) ||
            tz_stmt_bind_int(st, 5, (long long)g->imp[i].added) ||
            tz_stmt_bind_int(st, 6, g->imp[i].id) || tz_stmt_step(st) < 0)
            goto done;
    }
    rc = 0;
done:
    tz_stmt_free(st);
    return rc;
}

/* Step 5: writes the 导入 audit entry (with the file's size and hash, which
 * *job has been reading meanwhile) and the records of the rows added, bumps
 * the data version once (when rows changed) and commits. Returns 0, or -1
 * with a diag. */
static int _commit(ingest *g, const char *actor, const tz_import_result *res, tz_sha256_job **job)
{
    char hex[65];
    long long size = -1;
    if (tz_sha256_file_finish(*job, hex, &size))
        size = -1; /* unread (gone, or not a regular file): the entry says so */
    *job = NULL;
    tz_buf sum = TZ_BUF_INIT;
    tz_buf_printf(&sum, "%s: 读取%zu行,新增%zu行,修改%zu行", g->file, res->rows, res->inserted,
                  res->updated);
    if (size >= 0)
        tz_buf_printf(&sum, "; 文件%lld字节,SHA-256 %s", size, hex);
    else /* said, not left out silently: the rows were all read all the same */
        tz_buf_puts(&sum, "; 文件未能再次完整读取,未记录大小和SHA-256");
    if (g->bulk && tzs_indexes(g->s, g->l, 0)) {
        tz_buf_free(&sum);
        tzs_fatal(g, "导入结束时重建数据库索引");
        return -1;
    }
    long long audit_id = 0;
    int arc = tzs_audit_returning(g->s, actor, "导入", g->l->id, "", tz_buf_str(&sum), &audit_id) ||
              (g->nimp && _records_done(g, audit_id, hex, size));
    tz_buf_free(&sum);
    /* the touched villages are recorded up to the version the bump sets */
    if (arc || tzs_dv_resume(g->s, g->l, res->inserted + res->updated > 0) ||
        tz_touched_flush(g->s, g->touched) || tz_store_commit(g->s)) {
        tzs_fatal(g, "提交数据库事务");
        return -1;
    }
    return 0;
}

/* After every sheet: refuses a file none of whose sheets holds the
 * ledger's table, saying for each sheet why. A file of one sheet gets the
 * header's errors (缺少此列) as a table of this ledger would. Returns the
 * number of errors added. */
static size_t _none_read(ingest *g, const tz_import_result *res)
{
    const tz_ledger *l = g->l;
    for (size_t i = 0; i < res->nsheets; i++)
        if (res->sheets[i].status == TZ_SHEET_READ || res->sheets[i].status == TZ_SHEET_REFUSED)
            return 0;
    size_t before = g->d->nerrors;
    if (res->nsheets == 1 && res->sheets[0].nheader) {
        const tz_import_sheet *sh = &res->sheets[0];
        tz_header_map m = {.map = NULL};
        tz_header_match_at(l, (const char *const *)sh->header, sh->nheader, g->file,
                           (long)sh->header_row, &m, g->d);
        tz_header_map_free(&m);
    }
    if (g->d->nerrors > before)
        return g->d->nerrors - before;
    if (res->nsheets == 0 || (res->nsheets == 1 && res->sheets[0].status == TZ_SHEET_EMPTY)) {
        tz_diags_error(g->d, g->file, 0, NULL, NULL, "文件为空,没有表头行");
        return 1;
    }
    for (size_t i = 0; i < res->nsheets; i++)
        tz_diags_error(g->d, g->file, 0, NULL, NULL, "工作表“%s”%s:%s", res->sheets[i].name,
                       res->sheets[i].hidden ? "(隐藏)" : "",
                       res->sheets[i].reason ? res->sheets[i].reason : "未读取");
    tz_diags_error(g->d, g->file, 0, NULL, NULL, "文件中没有%s台账的表格,未导入任何行", l->name);
    return g->d->nerrors - before;
}

/* The first sheet read fills the result's single-header fields (kept for
 * callers that show one header). */
static void _first_header(const tz_ledger *l, tz_import_result *res)
{
    for (size_t i = 0; i < res->nsheets; i++) {
        const tz_import_sheet *sh = &res->sheets[i];
        res->blank += sh->skipped[TZ_SKIP_BLANK];
        if (res->header_row || sh->status != TZ_SHEET_READ)
            continue;
        res->header_row = sh->header_row;
        for (size_t j = 0; j < sh->nheader; j++)
            res->header_cells += sh->header[j][strspn(sh->header[j], " \t")] != '\0';
        for (size_t c = 0; c < TZ_IMPORT_MAX_COLS; c++)
            res->file_col[c] = c < l->ncols ? sh->file_col[c] : -1;
    }
}

void tz_import_result_free(tz_import_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nsheets; i++) {
        tz_import_sheet *sh = &r->sheets[i];
        free(sh->name);
        free(sh->reason);
        for (size_t j = 0; j < sh->nheader; j++)
            free(sh->header[j]);
        free(sh->header);
        tz_notes_free(sh->notes);
    }
    free(r->sheets);
    r->sheets = NULL;
    r->nsheets = 0;
}

/* The region inside which names stand for codes: the import's, else the
 * account's region. */
static const char *_within(const tz_import_opts *o)
{
    if (o && o->within && *o->within)
        return o->within;
    if (o && o->access && o->access->region[0])
        return o->access->region;
    return NULL;
}

/* Whether l's key has SQL text (tzs_key_sql): then the rows an import adds
 * carry its record instead of an audit entry each. */
static int _key_has_sql(const tz_ledger *l)
{
    tz_buf k = TZ_BUF_INIT;
    int ok = tzs_key_sql(l, "r", &k) == 0;
    tz_buf_free(&k);
    return ok;
}

/* Whether a column of l may be written as a name (a region code, or another
 * ledger's key). */
static int _takes_names(const tz_ledger *l)
{
    for (size_t i = 0; i < l->ncols; i++)
        if (l->cols[i].ref)
            return 1;
    return 0;
}

int tz_import_file(tz_store *s, const tz_ledger *l, const char *path, const tz_import_opts *o,
                   tz_import_result *res, tz_diags *d)
{
    tz_reader *rd = NULL;
    ingest g;
    memset(&g, 0, sizeof g);
    memset(res, 0, sizeof *res);
    tz_value *vals = calloc(l->ncols, sizeof *vals);
    int rc = -1, in_tx = 0;
    size_t errs_before = d->nerrors;
    const char *actor = o && o->actor ? o->actor : "命令行";
    char fname[PATH_MAX + 300];
    tz_sha256_job *job = NULL;

    g.s = s;
    g.l = l;
    g.d = d;
    g.level_col = tz_ledger_col(l, "level");
    g.access = o ? o->access : NULL;
    if (!vals)
        goto done;
    if (tz_reader_open(path, &rd, d)) {
        rc = 1;
        goto done;
    }
    g.file = o && o->name ? o->name : tz_reader_name(rd);
    g.imp_ok = _key_has_sql(l);
    struct stat fst;
    int regular = stat(path, &fst) == 0 && S_ISREG(fst.st_mode);
    /* the file's hash for the import's audit entry, read meanwhile by a
     * second thread (no hash when there is none to be had; never from a
     * pipe, whose bytes the reader alone must take) */
    if (!(o && o->dry_run) && regular)
        job = tz_sha256_file_start(path);
    /* 64 bytes a row: fewer than any ledger's rows take in CSV or xlsx */
    g.expect_rows = regular ? (long long)fst.st_size / 64 + 1 : -1;
    g.dry_run = o && o->dry_run;
    snprintf(res->encoding, sizeof res->encoding, "%s", tz_reader_encoding(rd));
    if (_begin(&g, &in_tx))
        goto done;
    if (_takes_names(l) && tz_names_open(s, _within(o), &g.names, d))
        goto done;
    int r = _read_sheets(&g, rd, path, o, actor, vals, res, fname, sizeof fname);
    if (g.fatal)
        goto done;
    if (r < 0) {
        rc = 1;
        goto done;
    }
    /* step 4: references that pointed forward in the same file */
    for (size_t i = 0; i < g.npending && !g.fatal; i++) {
        const tzs_pending *pd = &g.pending[i];
        if (res->nsheets > 1 && (size_t)pd->sheet < res->nsheets)
            snprintf(fname, sizeof fname, "%s[%s]", g.file, res->sheets[pd->sheet].name);
        else
            snprintf(fname, sizeof fname, "%s", g.file);
        const char *base = g.file;
        g.file = fname;
        _check_ref(&g, pd->rowno, pd->col, pd->value, pd->own_level, 1);
        g.file = base;
    }
    if (g.fatal)
        goto done;
    _first_header(l, res);
    if (!_none_read(&g, res) && res->rows == 0 && d->nerrors == errs_before)
        tz_diags_warn(d, g.file, 0, NULL, NULL, "只有表头,没有数据行");
    if (d->nerrors > errs_before) {
        rc = 1;
        goto done;
    }
    g.all_read = 1;
    if (!(o && o->dry_run))
        _report(o, rd, g.file, TZ_IMPORT_WRITING, res->rows);
    /* what is staged meets the database's own constraints, dry run or not */
    if (tzs_stage_flush(&g))
        goto done;
    if (o && o->dry_run) {
        rc = 0;
        goto done;
    }
    if (_commit(&g, actor, res, &job))
        goto done;
    in_tx = 0;
    rc = 0;
done:
    tz_sha256_file_cancel(job);
    tz_names_free(g.names);
    tzs_ingest_free(&g);
    if (in_tx)
        tz_store_rollback(s);
    if (rc != 0) {
        res->inserted = res->updated = 0;
        for (size_t i = 0; i < res->nsheets; i++)
            res->sheets[i].inserted = res->sheets[i].updated = 0;
    }
    tz_reader_free(rd);
    free(vals);
    return rc;
}
