/* views.c - the shared pieces of the JSON views: the scope and period, JSON
 * numbers and text, diagnostics, the ledger definitions and the import
 * result (check and indicator are views_check.c and views_indicator.c). */
#include "web/views.h"
#include "util/buf.h"
#include "util/text.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the scope ------------------------------------------------------------ */

/* region: its code and name into o. 0, 1 when it is wrong, -1 on a database
 * error (tz_region_resolve tells the two apart only by its reason). */
static int _scope_region(tz_store *s, const char *region, tz_view_scope *o, tz_diags *d)
{
    size_t before = d->n;
    if (tz_region_resolve(s, region, o->code, d) == 0) {
        o->sc.region = o->code;
        if (tz_region_get(s, o->code, o->region_name, sizeof o->region_name, NULL) < 0) {
            tz_diags_error(d, NULL, 0, "区划", region, "数据库查询失败: %s", tz_store_errmsg(s));
            return -1;
        }
        return 0;
    }
    static const char failed[] = "数据库查询失败";
    for (size_t i = before; i < d->n; i++)
        if (d->items[i].reason && !strncmp(d->items[i].reason, failed, sizeof failed - 1))
            return -1;
    return 1;
}

/* unit: it must be in the 责任单位 ledger. */
static int _scope_unit(tz_store *s, const char *unit, tz_view_scope *o, tz_diags *d)
{
    if (strlen(unit) >= sizeof o->unit) {
        tz_diags_error(d, NULL, 0, "单位", unit, "单位名称过长(最多%zu字节)", sizeof o->unit - 1);
        return 1;
    }
    int r = tz_unit_get(s, unit, NULL, 0, NULL);
    if (r < 0) {
        tz_diags_error(d, NULL, 0, "单位", unit, "数据库查询失败: %s", tz_store_errmsg(s));
        return -1;
    }
    if (r == 0) {
        tz_diags_error(d, NULL, 0, "单位", unit, "责任单位台账中没有这个单位");
        return 1;
    }
    snprintf(o->unit, sizeof o->unit, "%s", unit);
    o->sc.unit = o->unit;
    return 0;
}

/* period, or the latest year with data in the scope (o->sc, resolved). */
static int _scope_period(tz_store *s, const char *period, tz_view_scope *o, tz_diags *d)
{
    if (period) {
        const char *why = NULL;
        if (tz_period_parse(period, &o->p, &why)) {
            tz_diags_error(d, NULL, 0, "期间", period, "%s", why);
            return 1;
        }
        return 0;
    }
    int r = tz_period_latest_in(s, &o->sc, &o->p, d);
    if (r < 0)
        return -1;
    if (r == 0) {
        tz_diags_error(d, NULL, 0, "期间", NULL, "数据库中没有带日期的记录,请指定期间");
        return 1;
    }
    o->period_default = 1;
    return 0;
}

int tz_view_scope_resolve(tz_store *s, const char *region, const char *unit, const char *period,
                          tz_view_scope *o, tz_diags *d)
{
    int rc = 0;
    memset(o, 0, sizeof *o);
    if (region && (rc = _scope_region(s, region, o, d)))
        return rc;
    if (unit && (rc = _scope_unit(s, unit, o, d)))
        return rc;
    return _scope_period(s, period, o, d);
}

json_t *tz_view_scope_json(const tz_view_scope *o)
{
    json_t *j = json_object();
    json_object_set_new(j, "region", o->sc.region ? json_string(o->sc.region) : json_null());
    json_object_set_new(j, "region_name", o->sc.region ? json_string(o->region_name) : json_null());
    json_object_set_new(j, "unit", o->sc.unit ? json_string(o->sc.unit) : json_null());
    return j;
}

json_t *tz_view_period_json(const tz_period *p)
{
    char words[64];
    json_t *o = json_object();
    json_object_set_new(o, "label", json_string(p->label));
    json_object_set_new(o, "words", json_string(tz_period_words(p, words, sizeof words)));
    json_object_set_new(o, "start", json_string(p->start));
    json_object_set_new(o, "end", json_string(p->end));
    return o;
}

json_t *tz_view_scope_period_json(const tz_view_scope *o)
{
    json_t *jp = tz_view_period_json(&o->p);
    json_object_set_new(jp, "default", json_boolean(o->period_default));
    return jp;
}

json_t *tz_view_groups_json(const tz_group_value *g, size_t ng)
{
    json_t *ja = json_array();
    for (size_t i = 0; i < ng; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "key", json_string(g[i].key));
        json_object_set_new(e, "label", json_string(g[i].label));
        json_object_set_new(e, "value", tz_view_num(g[i].value));
        json_array_append_new(ja, e);
    }
    return ja;
}

const char *tz_view_level_word(tz_finding_level lv)
{
    return lv == TZ_FINDING_PROBLEM ? "问题" : "数据质量";
}

/* ---- numbers and text ------------------------------------------------------ */

json_t *tz_view_num(double v)
{
    if (isnan(v) || isinf(v))
        return json_null();
    if (v == floor(v) && fabs(v) < 9e15)
        return json_integer((json_int_t)v);
    return json_real(round(v * 1e6) / 1e6);
}

char *tz_view_dump(const json_t *o)
{
    char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
    if (!s)
        return NULL;
    size_t n = strlen(s);
    char *t = realloc(s, n + 2);
    if (!t) {
        free(s);
        return NULL;
    }
    t[n] = '\n';
    t[n + 1] = '\0';
    return t;
}

/* ---- diagnostics ----------------------------------------------------------- */

/* A JSON string, null for NULL; text that is not UTF-8 (a file name as
 * given) in its display form (tz_diag_echo). */
static json_t *_str_or_null(const char *s)
{
    if (!s)
        return json_null();
    json_t *j = json_string(s);
    if (!j) {
        char *shown = tz_diag_echo(s);
        j = shown ? json_string(shown) : NULL;
        free(shown);
    }
    return j;
}

/* The diagnostics of d of one severity (sev < 0: all). */
static json_t *_diags(const tz_diags *d, int sev)
{
    json_t *arr = json_array();
    for (size_t i = 0; d && i < d->n; i++) {
        const tz_diag *g = &d->items[i];
        if (sev >= 0 && (int)g->sev != sev)
            continue;
        json_t *e = json_object();
        char *line = tz_diag_format(g);
        json_object_set_new(e, "level", json_string(g->sev == TZ_ERROR ? "error" : "warning"));
        json_object_set_new(e, "file", _str_or_null(g->file));
        json_object_set_new(e, "row", g->row > 0 ? json_integer(g->row) : json_null());
        json_object_set_new(e, "column", _str_or_null(g->column));
        json_object_set_new(e, "value", _str_or_null(g->value));
        json_object_set_new(e, "reason", _str_or_null(g->reason));
        json_object_set_new(e, "message", _str_or_null(line));
        free(line);
        json_array_append_new(arr, e);
    }
    return arr;
}

json_t *tz_view_diags(const tz_diags *d)
{
    return _diags(d, -1);
}

/* ---- ledgers --------------------------------------------------------------- */

const char *tz_view_type_word(tz_coltype t)
{
    static const char *const w[] = {"文本", "整数",     "数值", "是/否",    "日期",        "月份",
                                    "年度", "区划代码", "枚举", "身份证号", "列表(、分隔)"};
    return (size_t)t < sizeof w / sizeof w[0] ? w[t] : "";
}

/* One column: {"name", "type", "choices" ("/"-joined), "key", "required",
 * "references" (null when none)}. */
static json_t *_column_json(const tz_column *c)
{
    tz_buf ch = TZ_BUF_INIT;
    for (int j = 0; c->choices && c->choices[j]; j++)
        tz_buf_printf(&ch, "%s%s", j ? "/" : "", c->choices[j]);
    json_t *e = json_pack("{s:s, s:s, s:s, s:b, s:b, s:s?, s:s?, s:s?}", "name", c->name, "type",
                          tz_view_type_word(c->type), "choices", tz_buf_str(&ch), "key",
                          (c->flags & TZ_F_KEY) != 0, "required",
                          (c->flags & (TZ_F_KEY | TZ_F_REQUIRED)) != 0, "references", c->ref,
                          "level", c->ref_level, "note", c->note);
    tz_buf_free(&ch);
    return e;
}

json_t *tz_view_ledgers(const tz_ledger *only)
{
    size_t n;
    const tz_ledger *all = tz_ledger_all(&n);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const tz_ledger *l = &all[i];
        if (only && only != l)
            continue;
        json_t *cols = json_array();
        for (size_t k = 0; k < l->ncols; k++)
            json_array_append_new(cols, _column_json(&l->cols[k]));
        json_array_append_new(
            arr, json_pack("{s:s, s:s, s:o}", "id", l->id, "name", l->name, "columns", cols));
    }
    return arr;
}

/* ---- import ---------------------------------------------------------------- */

/* How a header cell names its column (tz_header_how), as JSON says it. */
static const char *_header_how(unsigned char how)
{
    static const char *const words[] = {"exact", "normalised", "synonym"};
    return how < 3 ? words[how] : "synonym";
}

/* The header a sheet was read with, into o: header_row and header_rows
 * (1, or 2 for a two-row header; both null when no header was found),
 * columns (each file column in order: its letter, its header text, the
 * ledger column it fills or "忽略", and how its name was recognised) and
 * absent (the ledger's columns the file lacks). */
static void _sheet_header(const tz_ledger *l, const tz_import_sheet *sh, json_t *o)
{
    json_t *cols = json_array(), *absent = json_array();
    for (size_t j = 0; sh->header_row && j < sh->nheader; j++) {
        int c = -1;
        for (size_t i = 0; i < l->ncols && i < TZ_IMPORT_MAX_COLS && c < 0; i++)
            if (sh->file_col[i] == (int)j)
                c = (int)i;
        if (c < 0 && !sh->header[j][strspn(sh->header[j], " \t")])
            continue; /* an empty header cell over nothing */
        char letter[8];
        tz_col_letters(j, letter);
        json_array_append_new(cols,
                              json_pack("{s:s, s:s, s:s, s:s?}", "from", letter, "text",
                                        sh->header[j], "column", c >= 0 ? l->cols[c].name : "忽略",
                                        "how", c >= 0 ? _header_how(sh->how[c]) : NULL));
    }
    for (size_t i = 0; sh->header_row && i < l->ncols && i < TZ_IMPORT_MAX_COLS; i++)
        if (sh->file_col[i] < 0)
            json_array_append_new(absent, json_string(l->cols[i].name));
    json_object_set_new(o, "header_row",
                        sh->header_row ? json_integer((json_int_t)sh->header_row) : json_null());
    json_object_set_new(o, "header_rows",
                        sh->header_row ? json_integer((json_int_t)sh->header_rows) : json_null());
    json_object_set_new(o, "columns", cols);
    json_object_set_new(o, "absent", absent);
}

/* Rows left out by kind ({"title": 1, "total": 2}); with rows, the first
 * rows of each kind ({"title": [1]}). Kinds with none are left out, except
 * blank, always there. */
static json_t *_skipped(const size_t *counts, const long (*rows)[TZ_IMPORT_SKIP_ROWS])
{
    json_t *o = json_object();
    for (int k = 0; k < TZ_SKIP_KINDS; k++) {
        if (!counts[k] && (k != TZ_SKIP_BLANK || rows))
            continue;
        if (!rows) {
            json_object_set_new(o, tz_skip_key((tz_skip_kind)k),
                                json_integer((json_int_t)counts[k]));
            continue;
        }
        json_t *a = json_array();
        for (size_t i = 0; i < counts[k] && i < TZ_IMPORT_SKIP_ROWS; i++)
            json_array_append_new(a, json_integer(rows[k][i]));
        json_object_set_new(o, tz_skip_key((tz_skip_kind)k), a);
    }
    return o;
}

/* Values read other than as written: aliases, names, months. */
static json_t *_notes(const tz_ledger *l, const tz_notes *ns)
{
    static const char *const kinds[TZ_NOTE_KINDS] = {"alias", "name", "month_day"};
    json_t *a = json_array();
    for (size_t i = 0; ns && i < tz_notes_count(ns); i++) {
        const tz_note *n = tz_notes_at(ns, i);
        json_array_append_new(
            a, json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}", "kind",
                         (unsigned)n->kind < TZ_NOTE_KINDS ? kinds[n->kind] : "", "column",
                         n->col >= 0 && (size_t)n->col < l->ncols ? l->cols[n->col].name : "",
                         "from", n->from ? n->from : "", "to", n->to ? n->to : "", "count",
                         (json_int_t)n->count, "first_row", (json_int_t)n->first_row));
    }
    return a;
}

static json_t *_sheet(const tz_ledger *l, const tz_import_sheet *sh, int accepted)
{
    static const char *const st[] = {"read", "other", "empty", "refused"};
    size_t unchanged = sh->rows >= sh->inserted + sh->updated && accepted
                           ? sh->rows - sh->inserted - sh->updated
                           : 0;
    json_t *o = json_pack("{s:s, s:I, s:b, s:s, s:s?}", "name", sh->name ? sh->name : "", "index",
                          (json_int_t)sh->index, "hidden", sh->hidden != 0, "status",
                          (unsigned)sh->status < 4 ? st[sh->status] : "", "reason", sh->reason);
    _sheet_header(l, sh, o);
    json_object_set_new(o, "rows", json_integer((json_int_t)sh->rows));
    json_object_set_new(o, "inserted", json_integer((json_int_t)sh->inserted));
    json_object_set_new(o, "updated", json_integer((json_int_t)sh->updated));
    json_object_set_new(o, "unchanged", json_integer((json_int_t)unchanged));
    json_object_set_new(o, "skipped", _skipped(sh->skipped, NULL));
    json_object_set_new(o, "skipped_rows", _skipped(sh->skipped, sh->skip_rows));
    json_object_set_new(o, "notes", _notes(l, sh->notes));
    json_object_set_new(
        o, "national",
        sh->national ? json_pack("{s:I, s:I, s:I}", "persons", (json_int_t)sh->persons, "members",
                                 (json_int_t)sh->members, "households", (json_int_t)sh->rows)
                     : json_null());
    return o;
}

/* The header of the first sheet read, as answers before sheets had it:
 * {row, columns:[{column, from}], ignored: count}; null when none. */
static json_t *_import_header(const tz_ledger *l, const tz_import_result *r)
{
    if (!r->header_row)
        return json_null();
    json_t *cols = json_array();
    size_t used = 0;
    for (size_t i = 0; i < l->ncols && i < TZ_IMPORT_MAX_COLS; i++) {
        int j = r->file_col[i];
        char letter[8];
        used += j >= 0;
        tz_col_letters(j < 0 ? 0 : (size_t)j, letter);
        json_array_append_new(cols, json_pack("{s:s, s:s?}", "column", l->cols[i].name, "from",
                                              j >= 0 ? letter : NULL));
    }
    return json_pack("{s:I, s:o, s:I}", "row", (json_int_t)r->header_row, "columns", cols,
                     "ignored", (json_int_t)(r->header_cells > used ? r->header_cells - used : 0));
}

json_t *tz_view_import(const tz_ledger *l, const char *file, int dry_run, int status,
                       const tz_import_result *r, const tz_diags *d)
{
    static const tz_import_result none = {.rows = 0};
    if (!r)
        r = &none;
    size_t unchanged = r->rows >= r->inserted + r->updated ? r->rows - r->inserted - r->updated : 0;
    json_t *o = json_object();
    json_object_set_new(o, "file", _str_or_null(file));
    json_object_set_new(o, "ledger", json_string(l->id));
    json_object_set_new(o, "ledger_name", json_string(l->name));
    json_object_set_new(o, "dry_run", json_boolean(dry_run));
    json_object_set_new(o, "status",
                        json_string(status == 0   ? "accepted"
                                    : status == 1 ? "refused"
                                                  : "failed"));
    json_object_set_new(o, "rows", json_integer((json_int_t)r->rows));
    json_object_set_new(o, "inserted", json_integer((json_int_t)r->inserted));
    json_object_set_new(o, "updated", json_integer((json_int_t)r->updated));
    json_object_set_new(o, "unchanged", json_integer((json_int_t)unchanged));
    json_object_set_new(o, "encoding", r->encoding[0] ? json_string(r->encoding) : json_null());
    json_object_set_new(o, "header", _import_header(l, r));
    size_t skipped[TZ_SKIP_KINDS] = {0};
    json_t *sheets = json_array();
    for (size_t i = 0; i < r->nsheets; i++) {
        for (int k = 0; k < TZ_SKIP_KINDS; k++)
            skipped[k] += r->sheets[i].skipped[k];
        json_array_append_new(sheets, _sheet(l, &r->sheets[i], status == 0));
    }
    json_object_set_new(o, "skipped", _skipped(skipped, NULL));
    json_object_set_new(o, "sheets", sheets);
    json_object_set_new(o, "errors", _diags(d, TZ_ERROR));
    json_object_set_new(o, "warnings", _diags(d, TZ_WARNING));
    json_object_set_new(o, "error_count", json_integer(d ? (json_int_t)d->nerrors : 0));
    json_object_set_new(o, "warning_count", json_integer(d ? (json_int_t)d->nwarnings : 0));
    return o;
}
