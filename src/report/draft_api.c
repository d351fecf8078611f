/* draft_api.c - the API a report template sees (Lua 5.4 globals).
 *
 * Context
 *   report            {region=, region_name=, region_level=, unit=, period=P,
 *                      appendix=bool, template=}
 *   report{kind=, title=, scope=, indicators=, facts=}  the declaration a
 *                     template opens with (report/template.h); returns report.
 *                     After it only the declared indicators can be evaluated.
 *   period(label)     P = {label, year, kind ("month"|"quarter"|"half"|"year"),
 *                      index, start, ["end"], words ("2015年上半年"), end_words
 *                      ("2015年6月底"), months (months of the year it covers
 *                      up to its end: H1 → 6), prev_year (label)}
 * Data (opts = {region=code|name|false, unit=, period=label|P, mode=
 *   "period"|"todate"|"all"|"ytd"}; region defaults to report.region, false
 *   means the whole database; period to report.period; mode to "period";
 *   "ytd" is 1 January to the period's end, as targets measure a year's
 *   progress)
 *   ind(name, opts)          → value (nil when undefined, e.g. 0/0), src
 *   ind_by(name, opts, by)   → {{key=, label=, value=, src=}...}
 *   explain(name, opts)      → {keys...}, ledger id
 *   rows(ledger, where, region) → {{[中文列名]=text..., _key=}...}
 *   targets(opts)            → {{unit, unit_kind, region, year, indicator, actual,
 *                              target, gap, status, is_default, basis, schedule,
 *                              progress, behind, year_end, failed, origin, src,
 *                              target_src}...}
 *       status: tz_status_word() (已完成 未完成 力争 超序时进度 达到序时进度
 *       滞后于序时进度); schedule: 时序进度 0..1; progress: actual/target (nil
 *       when not additive); behind: points behind the schedule (nil when NAN
 *       or 0); year_end, failed: booleans (metrics' tz_status_failed); origin:
 *       where the target value comes from (目标任务台账, or the default rule);
 *       src: the source of actual for fig() (the target's indicator over the
 *       target's unit or region, its window and mode); target_src: the
 *       source of target for fig() (its 附件 entry says 目标任务, the unit or
 *       region by name, the year, the value and the origin: whether it is a
 *       default and which rule sets it)
 *   findings(opts)           → {{rule, level ("problem"|"data"), message, ledger,
 *                              keys, count, amount}...}
 *   region(code)             → {code, name, level, parent, poor, industries={...}}
 *   src(name, opts)          → src (for fig() of a figure computed in Lua)
 * Wording (report/numword.h)
 *   num(v, unit, decimals)   "4809户", "1.2亿元"
 *   approx(v, unit, style, digits)  style "多"|"余"|"cn多"|"cn余": "30多万元", "万余场次"
 *   frac(a, b)               "三分之一", "一半", "两倍", "33.3%"
 *   pct(ratio, decimals)     "95.4%"
 *   count(n, measure, arabic) "两个乡", "11个"
 *   cn(n, liang)             "一百零五", "两千"
 *   join(list, final_he)     "夏邑县、虞城县和睢县"
 *   growth(ratio, decimals)  "增长10%"; change(delta, unit) "增加12万元"
 * Figures (every number the body prints is one; the 附件 lists each)
 *   fig(text, name, opts) | fig(text, src, src...) | fig(text, {src...})
 *       → the run {text=, ref=, fig=}: text marked as a figure of the
 *       sources. The number written in text must be the source's value (the
 *       sum of several) after the text's unit, 万/亿 and rounding ("1.2亿元"
 *       of 11823万元, "30多万元"; a bare "8.2" is in the indicator's unit);
 *       else a template warning: 数字“10万元”与指标“…”的计算值3885万元不符.
 *       The 附件 entry's 计算值 is the number as printed.
 *   calc(text, value, how, src...) → the run, as fig(), for a number the
 *       template computes (a fraction, a ratio "2.9倍", a rank, a
 *       difference, "有的2个、有的3个"): value is the number as printed (Lua
 *       number: 2.9 for "2.9倍", 64.5 or 0.645 for "64.5%", 1/3 for
 *       "三分之一", 10 or 100000 for "10万元"; for a list of numbers the
 *       first, the rest in how), how a short Chinese description of the
 *       computation ("实际利用外资5990万美元÷全年目标任务17985万美元"), the
 *       srcs its inputs (ind()/src()/targets() sources, or lists of them).
 *       A value that is not the number in text gives a warning; a text with
 *       no number is an error. The 附件 entry gives the 计算值, the 算法 and
 *       each input's indicator, scope, period, value and rows.
 *   A figure is its text and its sources (and for calc() its value and how):
 *   the same sources written as another number get another entry.
 * Document
 *   title(t), subtitle(t), h1(t), h2(t), para(...), bold(t),
 *   table(caption, header, rows, align), chart(title, unit, categories,
 *   series, opts), page_break(), warn(msg), close(signer, date),
 *   attachment(title) (a 附件 after the 落款; what follows is in it)
 *   table(): a body cell holding a number ("4809", "54.1%", "2035万美元"; not
 *   a year "2018年" or a label "引进3亿元以上项目") that is not a fig()/calc()
 *   run gives the warning 表“…”第N行第M列的数字“…”没有来源.
 * The 附件 (report.appendix) names regions and units by name (商丘市民权县),
 * never by code, and the rows of a region ledger by their names.
 *
 * Every function checks its arguments and raises a Chinese error; draft.c
 * turns it into a diagnostic with the template line. C memory that a Lua
 * error could skip is held by the run (tzd_hold_ptr) and freed at the
 * end either way.
 */
#include "io/doc.h"
#include "report/draft_impl.h"
#include "report/numword.h"
#include "report/render.h"
#include "util/buf.h"
#include <lauxlib.h>
#include <lualib.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define API_MAX_ROWS 200000 /* rows() and explain() refuse more rows than this */

/* ---- small helpers ------------------------------------------------------ */

static void _free_buf(void *p)
{
    tz_buf_free(p);
    free(p);
}

/* Pushes the contents of a tz_buf built by a numword call; frees it.
 * rc is the numword return code. */
static int _push_buf(lua_State *L, tz_buf *b, int rc, const char *fn)
{
    if (rc != 0) {
        tz_buf_free(b);
        return luaL_error(L, "%s:无法写出这个数(参数不是有限的数字,或除数为零)", fn);
    }
    tz_buf *hb = malloc(sizeof *hb);
    if (!hb) {
        tz_buf_free(b);
        return luaL_error(L, "内存不足");
    }
    *hb = *b;
    size_t slot = tzd_hold_ptr(L, hb, _free_buf);
    lua_pushlstring(L, tz_buf_str(hb), hb->len);
    tzd_release(tzd_ctx_of(L), slot);
    return 1;
}

/* ---- the run's indexes (figures by key, targets by members) ------------- */

/* The index *m (made at first use) maps key to an item's index + 1: *at
 * gets it, 0 when the key is new. Returns 0, or -1 on out-of-memory. */
static int _index_find(tz_hmap **m, const char *key, size_t *at)
{
    long long v = 0;
    if (!*m && !(*m = tz_hmap_new()))
        return -1;
    *at = tz_hmap_get(*m, key, &v, NULL) ? (size_t)v : 0;
    return 0;
}

/* The first error reason in d, for re-raising as a Lua error. */
static const char *_reason(const tz_diags *d, char *buf, size_t sz)
{
    snprintf(buf, sz, "未知原因");
    for (size_t i = 0; i < d->n; i++) {
        if (d->items[i].sev != TZ_ERROR)
            continue;
        char *line = tz_diag_format(&d->items[i]);
        snprintf(buf, sz, "%s", line ? line : d->items[i].reason);
        free(line);
        break;
    }
    return buf;
}

/* Ends a call that reported into tmp: when it failed (rc nonzero, or a
 * listing stopped at too many rows or out of memory), writes the reason into
 * why. Always clears tmp, so that the caller may raise a Lua error next.
 * Returns 1 when it failed, else 0. */
static int _failed(int rc, int over, int oom, tz_diags *tmp, char *why, size_t sz)
{
    if (over)
        snprintf(why, sz, "记录超过%d条", API_MAX_ROWS);
    else if (oom)
        snprintf(why, sz, "内存不足");
    else if (rc)
        _reason(tmp, why, sz);
    tz_diags_clear(tmp);
    return rc || over || oom;
}

static void _set_str(lua_State *L, const char *k, const char *v)
{
    if (v) {
        lua_pushstring(L, v);
        lua_setfield(L, -2, k);
    }
}

static void _set_num(lua_State *L, const char *k, double v)
{
    if (!isfinite(v))
        return;
    if (v == floor(v) && fabs(v) < 9e15)
        lua_pushinteger(L, (lua_Integer)v);
    else
        lua_pushnumber(L, v);
    lua_setfield(L, -2, k);
}

static void _push_value(lua_State *L, double v)
{
    if (!isfinite(v))
        lua_pushnil(L);
    else if (v == floor(v) && fabs(v) < 9e15)
        lua_pushinteger(L, (lua_Integer)v);
    else
        lua_pushnumber(L, v);
}

/* Copies a string field of table t into out; NULL when absent (or false).
 * Raises when the field has another type or is too long. */
static const char *_field_str(lua_State *L, int t, const char *k, char *out, size_t sz,
                              int *is_false)
{
    if (is_false)
        *is_false = 0;
    if (t == 0 || lua_type(L, t) != LUA_TTABLE)
        return NULL;
    int ty = lua_getfield(L, t, k);
    const char *r = NULL;
    if (ty == LUA_TSTRING || ty == LUA_TNUMBER) {
        size_t n;
        const char *v = lua_tolstring(L, -1, &n);
        if (n >= sz) {
            lua_pop(L, 1);
            luaL_error(L, "选项 %s 的值过长", k);
        }
        memcpy(out, v, n + 1);
        r = out;
    } else if (ty == LUA_TBOOLEAN && !lua_toboolean(L, -1) && is_false) {
        *is_false = 1;
    } else if (ty != LUA_TNIL) {
        lua_pop(L, 1);
        luaL_error(L, "选项 %s 应为字符串,实际是 %s", k, lua_typename(L, ty));
    }
    lua_pop(L, 1);
    return r;
}

/* ---- periods ------------------------------------------------------------ */

static int _parse_period(lua_State *L, const char *label, tz_period *p)
{
    const char *why = NULL;
    if (tz_period_parse(label, p, &why))
        return luaL_error(L, "期间“%s”有误:%s", label, why ? why : "格式不对");
    return 0;
}

static void _push_period(lua_State *L, const tz_period *p)
{
    static const char *const kinds[] = {"month", "quarter", "half", "year"};
    char buf[64];
    lua_createtable(L, 0, 10);
    _set_str(L, "label", p->label);
    lua_pushinteger(L, p->year);
    lua_setfield(L, -2, "year");
    _set_str(L, "kind", kinds[p->kind]);
    lua_pushinteger(L, p->index);
    lua_setfield(L, -2, "index");
    _set_str(L, "start", p->start);
    _set_str(L, "end", p->end);
    _set_str(L, "words", tz_period_words(p, buf, sizeof buf));
    _set_str(L, "end_words", tzd_end_words(p, buf, sizeof buf));
    lua_pushinteger(L, tzd_end_month(p));
    lua_setfield(L, -2, "months");
    tz_period prev;
    tz_period_prev_year(p, &prev);
    _set_str(L, "prev_year", prev.label);
}

/* Reads a period argument: a label or a period table. */
static void _arg_period(lua_State *L, int idx, tz_period *p)
{
    if (lua_type(L, idx) == LUA_TTABLE) {
        char label[32];
        if (!_field_str(L, idx, "label", label, sizeof label, NULL))
            luaL_error(L, "期间表缺少 label 字段");
        _parse_period(L, label, p);
        return;
    }
    const char *label = luaL_checkstring(L, idx);
    _parse_period(L, label, p);
}

static int _l_period(lua_State *L)
{
    tz_period p;
    _arg_period(L, 1, &p);
    _push_period(L, &p);
    return 1;
}

/* ---- evaluation arguments ---------------------------------------------- */

typedef struct _eval {
    char name[128];  /* indicator name */
    char region[13]; /* region code */
    int has_region;  /* 0: the whole database */
    char unit[160];  /* unit name */
    int has_unit;    /* 1 when a unit was given */
    tz_period p;     /* period */
    tz_mode mode;    /* mode */
    int ytd;         /* 1: mode "ytd", 1 January to the period's end (evaluated as period) */
} _eval;

/* The window an evaluation covers: its period, or 1 January to its end. */
static tz_period _window(const _eval *e)
{
    tz_period w = e->p;
    if (e->ytd)
        tz_period_ytd(&e->p, &w);
    return w;
}

static void _resolve_region(lua_State *L, const char *arg, char code[13])
{
    tzd_ctx *c = tzd_ctx_of(L);
    tz_diags tmp = TZ_DIAGS_INIT;
    char why[400];
    int rc = tz_region_resolve(c->s, arg, code, &tmp);
    if (_failed(rc, 0, 0, &tmp, why, sizeof why))
        luaL_error(L, "地区“%s”有误:%s", arg, why);
}

/* Sets *mode from a mode name (metrics/: English or Chinese, or "ytd":
 * 1 January to the period's end, which sets *ytd and the mode period);
 * NULL leaves them. Raises on an unknown name. */
static void _arg_mode(lua_State *L, const char *name, tz_mode *mode, int *ytd)
{
    if (name && !strcmp(name, "ytd")) {
        *mode = TZ_MODE_PERIOD;
        *ytd = 1;
        return;
    }
    if (name && tz_mode_parse(name, mode))
        luaL_error(L, "mode 应为 %s 或 ytd,而不是“%s”", tz_mode_choices(), name);
}

/* Reads opts at index t (may be none or nil) into e (name not touched). */
static void _read_opts(lua_State *L, int t, _eval *e)
{
    tzd_ctx *c = tzd_ctx_of(L);
    if (t && !lua_isnoneornil(L, t))
        luaL_checktype(L, t, LUA_TTABLE);
    else
        t = 0;
    char buf[160];
    int is_false = 0;
    const char *r = _field_str(L, t, "region", buf, sizeof buf, &is_false);
    e->has_region = !is_false;
    if (r)
        _resolve_region(L, r, e->region);
    else
        memcpy(e->region, c->region, sizeof e->region);
    e->has_unit = _field_str(L, t, "unit", e->unit, sizeof e->unit, NULL) != NULL;
    e->p = c->period;
    if (t) {
        int ty = lua_getfield(L, t, "period");
        lua_pop(L, 1);
        if (ty != LUA_TNIL) {
            lua_getfield(L, t, "period");
            _arg_period(L, lua_gettop(L), &e->p);
            lua_pop(L, 1);
        }
    }
    e->mode = TZ_MODE_PERIOD;
    e->ytd = 0;
    _arg_mode(L, _field_str(L, t, "mode", buf, sizeof buf, NULL), &e->mode, &e->ytd);
}

static void _read_eval(lua_State *L, int name_idx, int opts_idx, _eval *e)
{
    size_t n;
    const char *name = luaL_checklstring(L, name_idx, &n);
    if (n >= sizeof e->name)
        luaL_error(L, "指标名过长");
    memcpy(e->name, name, n + 1);
    if (!tz_indicator_find(e->name))
        luaL_error(L, "没有名为“%s”的指标(taizhang indicators 列出全部指标)", e->name);
    tzd_ctx *c = tzd_ctx_of(L);
    if (c->declared && !tz_template_uses(&c->decl, e->name))
        luaL_error(L, "指标“%s”不在模板开头 report{...} 声明的 indicators 中", e->name);
    _read_opts(L, opts_idx, e);
}

static tz_scope _scope(const _eval *e)
{
    tz_scope sc = {e->has_region ? e->region : NULL, e->has_unit ? e->unit : NULL};
    return sc;
}

/* Pushes a source table: {name, region, unit, period, mode, by, group}
 * (mode "ytd" when ytd). */
static void _push_src(lua_State *L, const char *name, const char *period_label, tz_mode mode,
                      int ytd, const char *region, const char *unit, const char *by,
                      const char *group)
{
    lua_createtable(L, 0, 7);
    _set_str(L, "name", name);
    _set_str(L, "region", region);
    _set_str(L, "unit", unit);
    _set_str(L, "period", period_label);
    _set_str(L, "mode", ytd ? "ytd" : tz_mode_name(mode));
    _set_str(L, "by", by);
    _set_str(L, "group", group);
}

static void _push_src_e(lua_State *L, const _eval *e)
{
    _push_src(L, e->name, e->p.label, e->mode, e->ytd, e->has_region ? e->region : NULL,
              e->has_unit ? e->unit : NULL, NULL, NULL);
}

/* ---- data --------------------------------------------------------------- */

static int _l_ind(lua_State *L)
{
    tzd_ctx *c = tzd_ctx_of(L);
    _eval e;
    _read_eval(L, 1, 2, &e);
    tz_scope sc = _scope(&e);
    tz_diags tmp = TZ_DIAGS_INIT;
    double v = NAN;
    char why[400];
    tz_period w = _window(&e);
    int rc = tz_indicator_eval(c->s, e.name, &sc, &w, e.mode, &v, &tmp);
    if (_failed(rc, 0, 0, &tmp, why, sizeof why))
        return luaL_error(L, "指标“%s”计算失败:%s", e.name, why);
    _push_value(L, v);
    _push_src_e(L, &e);
    return 2;
}

static int _is_region_dim(const char *by)
{
    return !strcmp(by, "county") || !strcmp(by, "township") || !strcmp(by, "village");
}

static int _l_ind_by(lua_State *L)
{
    tzd_ctx *c = tzd_ctx_of(L);
    _eval e;
    _read_eval(L, 1, 2, &e);
    char by[64];
    size_t bn;
    const char *bys = luaL_checklstring(L, 3, &bn);
    if (bn >= sizeof by)
        return luaL_error(L, "分组维度名过长");
    memcpy(by, bys, bn + 1);
    tz_scope sc = _scope(&e);
    tz_diags tmp = TZ_DIAGS_INIT;
    tz_group_value *gv = NULL;
    size_t ng = 0;
    char why[400];
    tz_period w = _window(&e);
    int rc = tz_indicator_eval_by(c->s, e.name, &sc, &w, e.mode, by, &gv, &ng, &tmp);
    if (_failed(rc, 0, 0, &tmp, why, sizeof why))
        return luaL_error(L, "指标“%s”按 %s 分组计算失败:%s", e.name, by, why);
    size_t slot = tzd_hold_ptr(L, gv, free);
    lua_createtable(L, (int)ng, 0);
    for (size_t i = 0; i < ng; i++) {
        lua_createtable(L, 0, 4);
        _set_str(L, "key", gv[i].key);
        _set_str(L, "label", gv[i].label);
        _push_value(L, gv[i].value);
        lua_setfield(L, -2, "value");
        const char *region = e.has_region ? e.region : NULL;
        const char *unit = e.has_unit ? e.unit : NULL;
        const char *period = e.p.label;
        tz_mode mode = e.mode;
        int ytd = e.ytd;
        const char *gby = NULL, *group = NULL;
        tz_period gp;
        const char *perr = NULL;
        if (_is_region_dim(by)) {
            region = gv[i].key;
        } else if (!strcmp(by, "unit")) {
            unit = gv[i].key;
        } else if ((!strcmp(by, "year") || !strcmp(by, "month")) &&
                   tz_period_parse(gv[i].key, &gp, &perr) == 0) {
            period = gv[i].key;
            mode = TZ_MODE_PERIOD;
            ytd = 0;
        } else {
            gby = by;
            group = gv[i].key;
        }
        _push_src(L, e.name, period, mode, ytd, region, unit, gby, group);
        lua_setfield(L, -2, "src");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    tzd_release(c, slot);
    return 1;
}

typedef struct _explain_ctx {
    tz_buf *keys;    /* keys, each NUL-terminated */
    size_t n;        /* keys collected */
    char ledger[32]; /* first ledger id */
    int over;        /* 1 when more than API_MAX_ROWS */
    int oom;         /* 1 when the buffer ran out of memory */
} _explain_ctx;

static int _explain_collect(void *ctx, const char *ledger, const char *key)
{
    _explain_ctx *x = ctx;
    if (x->n >= API_MAX_ROWS) {
        x->over = 1;
        return 1;
    }
    if (!x->ledger[0])
        snprintf(x->ledger, sizeof x->ledger, "%s", ledger);
    if (tz_buf_add(x->keys, key, strlen(key) + 1)) {
        x->oom = 1; /* the buffer freed itself: stop */
        return 1;
    }
    x->n++;
    return 0;
}

static int _l_explain(lua_State *L)
{
    tzd_ctx *c = tzd_ctx_of(L);
    _eval e;
    _read_eval(L, 1, 2, &e);
    tz_scope sc = _scope(&e);
    tz_buf *keys = calloc(1, sizeof *keys);
    if (!keys)
        return luaL_error(L, "内存不足");
    size_t slot = tzd_hold_ptr(L, keys, _free_buf);
    _explain_ctx x = {.keys = keys};
    tz_diags tmp = TZ_DIAGS_INIT;
    tz_period w = _window(&e);
    int rc = tz_indicator_explain(c->s, e.name, &sc, &w, e.mode, _explain_collect, &x, &tmp);
    char why[400];
    if (_failed(rc, x.over, x.oom, &tmp, why, sizeof why)) {
        tzd_release(c, slot);
        return luaL_error(L, "指标“%s”的台账记录无法列出:%s", e.name, why);
    }
    lua_createtable(L, (int)x.n, 0);
    const char *k = tz_buf_str(keys);
    for (size_t i = 0; i < x.n; i++) {
        lua_pushstring(L, k);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
        k += strlen(k) + 1;
    }
    if (x.ledger[0])
        lua_pushstring(L, x.ledger);
    else
        lua_pushnil(L);
    tzd_release(c, slot);
    return 2;
}

typedef struct _rows_ctx {
    const tz_ledger *l; /* the ledger */
    tz_buf *cells;      /* every kept cell, NUL-terminated, row after row */
    size_t n;           /* rows kept */
    int over;           /* 1 when more than API_MAX_ROWS */
    int oom;            /* 1 when the buffer ran out of memory */
} _rows_ctx;

static int _rows_cb(void *ctx, const char *const *cells, size_t n)
{
    _rows_ctx *r = ctx;
    if (r->n >= API_MAX_ROWS) {
        r->over = 1;
        return 1;
    }
    for (size_t i = 0; i < r->l->ncols; i++) {
        const char *v = i < n && cells[i] ? cells[i] : "";
        if (tz_buf_add(r->cells, v, strlen(v) + 1)) {
            r->oom = 1; /* the buffer freed itself: stop */
            return 1;
        }
    }
    r->n++;
    return 0;
}

/* Reads rows()'s where table (index 2: {列名 = 值}) into f (room for 16).
 * Values are stored back as strings, which keeps them alive. Returns the
 * number of filters; raises on a bad table. */
static size_t _rows_filters(lua_State *L, const tz_ledger *l, tz_filter f[16])
{
    size_t nf = 0;
    if (lua_isnoneornil(L, 2))
        return 0;
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, 2)) {
        if (lua_type(L, -2) != LUA_TSTRING ||
            (lua_type(L, -1) != LUA_TSTRING && lua_type(L, -1) != LUA_TNUMBER))
            luaL_error(L, "rows() 的条件应为 {列名 = 值}");
        if (nf == 16)
            luaL_error(L, "rows() 的条件过多");
        if (tz_ledger_col(l, lua_tostring(L, -2)) < 0)
            luaL_error(L, "台账“%s”没有“%s”列", l->name, lua_tostring(L, -2));
        /* keep the converted value alive in the table's place: store strings only */
        lua_pushvalue(L, -2);
        lua_pushstring(L, lua_tostring(L, -2));
        lua_settable(L, 2);
        lua_pop(L, 1);
        nf++;
    }
    nf = 0;
    lua_pushnil(L);
    while (lua_next(L, 2)) {
        f[nf].column = lua_tostring(L, -2);
        f[nf].value = lua_tostring(L, -1);
        nf++;
        lua_pop(L, 1);
    }
    return nf;
}

/* Pushes the n rows of cells (every column NUL-terminated, row after row)
 * as a list of {[列名] = text, _key = "k1/k2"}. */
static void _push_rows(lua_State *L, const tz_ledger *l, const char *p, size_t n)
{
    int kidx[4];
    size_t nk = tz_ledger_keys(l, kidx);
    const char *rowcells[64];
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_createtable(L, 0, (int)l->ncols + 1);
        for (size_t k = 0; k < l->ncols; k++) {
            if (k < 64)
                rowcells[k] = p;
            if (*p) {
                lua_pushstring(L, p);
                lua_setfield(L, -2, l->cols[k].name);
            }
            p += strlen(p) + 1;
        }
        luaL_Buffer kb;
        luaL_buffinit(L, &kb);
        for (size_t k = 0; k < nk; k++) {
            if (k)
                luaL_addchar(&kb, '/');
            if (kidx[k] < 64)
                luaL_addstring(&kb, rowcells[kidx[k]]);
        }
        luaL_pushresult(&kb);
        lua_setfield(L, -2, "_key");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

static int _l_rows(lua_State *L)
{
    tzd_ctx *c = tzd_ctx_of(L);
    const char *lid = luaL_checkstring(L, 1);
    const tz_ledger *l = tz_ledger_find(lid);
    if (!l)
        return luaL_error(L, "没有名为“%s”的台账", lid);
    tz_filter f[16];
    size_t nf = _rows_filters(L, l, f);
    char prefix[13] = "";
    if (!lua_isnoneornil(L, 3)) {
        char code[13];
        _resolve_region(L, luaL_checkstring(L, 3), code);
        char name[128];
        tz_level lv = TZ_LEVEL_VILLAGE;
        if (tz_region_get(c->s, code, name, sizeof name, &lv) != 1)
            lv = TZ_LEVEL_VILLAGE;
        snprintf(prefix, sizeof prefix, "%.*s", tz_level_digits(lv), code);
    }
    tz_buf *cells = calloc(1, sizeof *cells);
    if (!cells)
        return luaL_error(L, "内存不足");
    size_t slot = tzd_hold_ptr(L, cells, _free_buf);
    _rows_ctx r = {.l = l, .cells = cells};
    tz_diags tmp = TZ_DIAGS_INIT;
    int rc =
        tz_ledger_select(c->s, l, nf ? f : NULL, nf, prefix[0] ? prefix : NULL, _rows_cb, &r, &tmp);
    char why[400];
    if (_failed(rc, r.over, r.oom, &tmp, why, sizeof why)) {
        tzd_release(c, slot);
        return luaL_error(L, "读取台账“%s”失败:%s", l->name, why);
    }
    _push_rows(L, l, tz_buf_str(cells), r.n);
    tzd_release(c, slot);
    return 1;
}

/* A metrics call that lists records for the template: targets(), findings(). */
typedef struct api_list {
    const char *failed; /* the error's words: "目标任务计算失败" */
    /* runs the call: *items (malloc'd, n of them) or -1 with a diag */
    int (*run)(tz_store *s, const tz_scope *sc, const tz_period *p, void **items, size_t *n,
               tz_diags *d);
    size_t size;                                  /* bytes of one item */
    void (*push)(lua_State *L, const void *item); /* pushes one item's table */
    void (*free_items)(void *items, size_t n);    /* frees the items, or NULL: free() */
} api_list;

/* Items held while their tables are built, freed by their api's free_items. */
typedef struct _held_items {
    void *items;                               /* the items */
    size_t n;                                  /* how many */
    void (*free_items)(void *items, size_t n); /* how to free them */
} _held_items;

static void _held_items_free(void *p)
{
    _held_items *h = p;
    h->free_items(h->items, h->n);
    free(h);
}

/* Holds the items of a list call until tzd_release (raises on no memory). */
static size_t _hold_items(lua_State *L, const api_list *api, void *items, size_t n)
{
    if (!api->free_items)
        return tzd_hold_ptr(L, items, free);
    _held_items *h = malloc(sizeof *h);
    if (!h) {
        api->free_items(items, n);
        luaL_error(L, "内存不足");
    }
    *h = (_held_items){items, n, api->free_items};
    return tzd_hold_ptr(L, h, _held_items_free);
}

/* list(opts): reads opts, runs the call and returns the list of tables. */
static int _list_call(lua_State *L, const api_list *api)
{
    tzd_ctx *c = tzd_ctx_of(L);
    _eval e;
    e.name[0] = '\0';
    _read_opts(L, 1, &e);
    tz_scope sc = _scope(&e);
    void *items = NULL;
    size_t n = 0;
    tz_diags tmp = TZ_DIAGS_INIT;
    char why[400];
    int rc = api->run(c->s, &sc, &e.p, &items, &n, &tmp);
    c->list_p = e.p; /* the period the items' sources are over */
    if (_failed(rc, 0, 0, &tmp, why, sizeof why))
        return luaL_error(L, "%s:%s", api->failed, why);
    size_t slot = _hold_items(L, api, items, n);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        api->push(L, (const char *)items + i * api->size);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    tzd_release(c, slot);
    return 1;
}

static int _run_targets(tz_store *s, const tz_scope *sc, const tz_period *p, void **items,
                        size_t *n, tz_diags *d)
{
    tz_target_result *tr = NULL;
    int rc = tz_targets_check(s, sc, p, &tr, n, d);
    *items = tr;
    return rc;
}

/* A target's identity as one key: every member, joined by U+001F (a zero
 * value without its sign). Returns 0, or -1 on out-of-memory. */
static int _target_key(const tzd_target *t, tz_buf *key)
{
    return tz_buf_printf(key, "%s\x1f%s\x1f%s\x1f%d\x1f%s\x1f%s\x1f%.17g\x1f%d\x1f%s", t->unit,
                         t->unit_kind, t->region, t->year, t->name, t->indicator,
                         t->value == 0 ? 0.0 : t->value, t->is_default, t->origin);
}

/* Records target t (measured by indicator) in the run, once; returns its
 * index + 1 for a target source. Raises on out-of-memory. */
static size_t _target_add(lua_State *L, tzd_ctx *c, const tz_target_result *t,
                          const char *indicator)
{
    tzd_target k;
    memset(&k, 0, sizeof k);
    snprintf(k.unit, sizeof k.unit, "%s", t->unit);
    snprintf(k.unit_kind, sizeof k.unit_kind, "%s", t->unit_kind);
    snprintf(k.region, sizeof k.region, "%s", t->region);
    k.year = t->year;
    snprintf(k.name, sizeof k.name, "%s", t->indicator);
    snprintf(k.indicator, sizeof k.indicator, "%s", indicator);
    k.value = t->target;
    k.is_default = t->is_default;
    snprintf(k.origin, sizeof k.origin, "%s", t->origin);
    tz_buf key = TZ_BUF_INIT;
    size_t at = 0;
    int bad = _target_key(&k, &key) || _index_find(&c->targets_ix, tz_buf_str(&key), &at);
    if (!bad && !at) { /* a new target: appended */
        if (c->ntargets == c->captargets) {
            size_t ncap = c->captargets ? c->captargets * 2 : 32;
            tzd_target *nt = realloc(c->targets, ncap * sizeof *nt);
            bad = !nt;
            if (nt) {
                c->targets = nt;
                c->captargets = ncap;
            }
        }
        if (!bad) {
            c->targets[c->ntargets] = k;
            at = ++c->ntargets;
            bad = tz_hmap_put(c->targets_ix, tz_buf_str(&key), (long long)at, NULL);
        }
    }
    tz_buf_free(&key);
    if (bad)
        return (size_t)luaL_error(L, "内存不足");
    return at;
}

/* Sets t.src (the actual: the target's indicator over its scope and window)
 * and t.target_src (the target value) on the table on top. */
static void _push_target_srcs(lua_State *L, const tz_target_result *t)
{
    tzd_ctx *c = tzd_ctx_of(L);
    tz_period w;
    tz_mode mode;
    const char *ind = NULL;
    if (tz_target_measure(t->indicator, &c->list_p, &w, &mode, &ind) || !ind)
        return;
    /* a unit's target is measured over the unit's rows, a region's over the region */
    const char *region = t->unit_kind[0] ? NULL : t->region;
    const char *unit = t->unit_kind[0] ? t->unit : NULL;
    _push_src(L, ind, c->list_p.label, mode, mode == TZ_MODE_PERIOD, region, unit, NULL, NULL);
    lua_setfield(L, -2, "src");
    char year[16], id[24];
    snprintf(year, sizeof year, "%d", t->year);
    snprintf(id, sizeof id, "T%zu", _target_add(L, c, t, ind));
    _push_src(L, ind, year, TZ_MODE_PERIOD, 0, region, unit, NULL, NULL);
    _set_str(L, "target", id);
    lua_setfield(L, -2, "target_src");
}

static void _push_target(lua_State *L, const void *item)
{
    const tz_target_result *t = item;
    lua_createtable(L, 0, 20);
    _set_str(L, "unit", t->unit);
    _set_str(L, "unit_kind", t->unit_kind);
    _set_str(L, "region", t->region);
    lua_pushinteger(L, t->year);
    lua_setfield(L, -2, "year");
    _set_str(L, "indicator", t->indicator);
    _set_num(L, "actual", t->actual);
    _set_num(L, "target", t->target);
    _set_num(L, "gap", t->gap);
    _set_str(L, "status", tz_status_word(t->status));
    lua_pushboolean(L, t->is_default);
    lua_setfield(L, -2, "is_default");
    _set_str(L, "basis", t->basis);
    _set_num(L, "schedule", t->schedule);
    _set_num(L, "progress", t->progress); /* nil when NAN */
    if (t->behind != 0)
        _set_num(L, "behind", t->behind); /* nil when NAN or 0 */
    lua_pushboolean(L, t->year_end);
    lua_setfield(L, -2, "year_end");
    lua_pushboolean(L, tz_status_failed(t->status));
    lua_setfield(L, -2, "failed");
    _set_str(L, "origin", t->origin);
    _push_target_srcs(L, t);
}

static int _l_targets(lua_State *L)
{
    static const api_list api = {"目标任务计算失败", _run_targets, sizeof(tz_target_result),
                                 _push_target, NULL};
    return _list_call(L, &api);
}

static int _run_findings(tz_store *s, const tz_scope *sc, const tz_period *p, void **items,
                         size_t *n, tz_diags *d)
{
    tz_finding *fd = NULL;
    int rc = tz_rules_check(s, sc, p, &fd, n, d);
    *items = fd;
    return rc;
}

static void _push_finding(lua_State *L, const void *item)
{
    const tz_finding *f = item;
    lua_createtable(L, 0, 7);
    _set_str(L, "rule", f->rule);
    _set_str(L, "level", f->level == TZ_FINDING_DATA ? "data" : "problem");
    _set_str(L, "message", f->message);
    _set_str(L, "ledger", f->ledger);
    _set_str(L, "keys", f->keys ? f->keys : "");
    lua_pushinteger(L, f->count);
    lua_setfield(L, -2, "count");
    _set_num(L, "amount", f->amount);
}

static void _free_findings(void *items, size_t n)
{
    tz_findings_free(items, n);
}

static int _l_findings(lua_State *L)
{
    static const api_list api = {"规则检查失败", _run_findings, sizeof(tz_finding), _push_finding,
                                 _free_findings};
    return _list_call(L, &api);
}

static int _l_region(lua_State *L)
{
    tzd_ctx *c = tzd_ctx_of(L);
    char code[13];
    _resolve_region(L, luaL_checkstring(L, 1), code);
    const tz_ledger *l = tz_ledger_find("regions");
    if (!l)
        return luaL_error(L, "没有行政区划台账");
    tz_buf *cells = calloc(1, sizeof *cells);
    if (!cells)
        return luaL_error(L, "内存不足");
    size_t slot = tzd_hold_ptr(L, cells, _free_buf);
    _rows_ctx r = {.l = l, .cells = cells};
    tz_filter f = {l->cols[0].name, code};
    tz_diags tmp = TZ_DIAGS_INIT;
    int rc = tz_ledger_select(c->s, l, &f, 1, NULL, _rows_cb, &r, &tmp);
    char why[400];
    if (_failed(rc, 0, r.oom, &tmp, why, sizeof why)) {
        tzd_release(c, slot);
        return luaL_error(L, "查询行政区划失败:%s", why);
    }
    if (r.n == 0) {
        tzd_release(c, slot);
        lua_pushnil(L);
        return 1;
    }
    int ic = tz_ledger_col(l, "区划代码"), in = tz_ledger_col(l, "名称"),
        ip = tz_ledger_col(l, "上级区划代码"), il = tz_ledger_col(l, "层级"),
        ipoor = tz_ledger_col(l, "贫困村"), iind = tz_ledger_col(l, "主导产业");
    const char *cell[64];
    const char *p = tz_buf_str(cells);
    for (size_t k = 0; k < l->ncols && k < 64; k++) {
        cell[k] = p;
        p += strlen(p) + 1;
    }
    lua_createtable(L, 0, 6);
    _set_str(L, "code", ic >= 0 ? cell[ic] : code);
    _set_str(L, "name", in >= 0 ? cell[in] : NULL);
    if (ip >= 0 && *cell[ip])
        _set_str(L, "parent", cell[ip]);
    _set_str(L, "level", il >= 0 ? cell[il] : NULL);
    lua_pushboolean(L, ipoor >= 0 && !strcmp(cell[ipoor], "是"));
    lua_setfield(L, -2, "poor");
    lua_newtable(L);
    if (iind >= 0 && *cell[iind]) {
        const char *s = cell[iind];
        lua_Integer k = 1;
        while (*s) {
            const char *sep = strstr(s, "、");
            size_t len = sep ? (size_t)(sep - s) : strlen(s);
            if (len) {
                lua_pushlstring(L, s, len);
                lua_rawseti(L, -2, k++);
            }
            s += len;
            if (sep)
                s += strlen("、");
        }
    }
    lua_setfield(L, -2, "industries");
    tzd_release(c, slot);
    return 1;
}

static int _l_src(lua_State *L)
{
    _eval e;
    _read_eval(L, 1, 2, &e);
    _push_src_e(L, &e);
    return 1;
}

/* ---- wording ------------------------------------------------------------ */

static const char *_opt_unit(lua_State *L, int idx)
{
    return lua_isnoneornil(L, idx) ? "" : luaL_checkstring(L, idx);
}

static int _l_num(lua_State *L)
{
    double v = luaL_checknumber(L, 1);
    const char *unit = _opt_unit(L, 2);
    unsigned flags = 0;
    if (!lua_isnoneornil(L, 3))
        flags |= TZ_NUMWORD_DEC((int)luaL_checkinteger(L, 3));
    tz_buf b = TZ_BUF_INIT;
    int rc = tz_numword_amount(&b, v, unit, flags);
    return _push_buf(L, &b, rc, "num");
}

static int _l_approx(lua_State *L)
{
    double v = luaL_checknumber(L, 1);
    const char *unit = _opt_unit(L, 2);
    const char *style = luaL_optstring(L, 3, "多");
    int digits = (int)luaL_optinteger(L, 4, 1);
    tz_numword_approx_style st;
    if (!strcmp(style, "多"))
        st = TZ_APPROX_DUO;
    else if (!strcmp(style, "余"))
        st = TZ_APPROX_YU;
    else if (!strcmp(style, "cn多"))
        st = TZ_APPROX_CN_DUO;
    else if (!strcmp(style, "cn余"))
        st = TZ_APPROX_CN_YU;
    else
        return luaL_error(L, "approx 的写法应为 \"多\"、\"余\"、\"cn多\" 或 \"cn余\",而不是“%s”",
                          style);
    tz_buf b = TZ_BUF_INIT;
    int rc = tz_numword_approx(&b, v, unit, st, digits);
    return _push_buf(L, &b, rc, "approx");
}

static int _l_frac(lua_State *L)
{
    double a = luaL_checknumber(L, 1), b2 = luaL_checknumber(L, 2);
    tz_buf b = TZ_BUF_INIT;
    int rc = tz_numword_fraction(&b, a, b2);
    return _push_buf(L, &b, rc, "frac");
}

/* A ratio in words: fn(ratio, decimals), decimals optional (1). */
static int _ratio_words(lua_State *L, int (*fn)(tz_buf *, double, int), const char *name)
{
    double r = luaL_checknumber(L, 1);
    int dec = (int)luaL_optinteger(L, 2, 1);
    tz_buf b = TZ_BUF_INIT;
    int rc = fn(&b, r, dec);
    return _push_buf(L, &b, rc, name);
}

static int _l_pct(lua_State *L)
{
    return _ratio_words(L, tz_numword_percent, "pct");
}

static int _l_count(lua_State *L)
{
    lua_Integer n = luaL_checkinteger(L, 1);
    const char *m = _opt_unit(L, 2);
    unsigned flags = lua_toboolean(L, 3) ? TZ_NUMWORD_ARABIC : 0;
    tz_buf b = TZ_BUF_INIT;
    int rc = tz_numword_count(&b, (long)n, m, flags);
    return _push_buf(L, &b, rc, "count");
}

static int _l_cn(lua_State *L)
{
    lua_Integer n = luaL_checkinteger(L, 1);
    unsigned flags = lua_toboolean(L, 2) ? TZ_NUMWORD_LIANG : 0;
    tz_buf b = TZ_BUF_INIT;
    int rc = tz_numword_cn_int(&b, (long long)n, flags);
    return _push_buf(L, &b, rc, "cn");
}

static int _l_growth(lua_State *L)
{
    return _ratio_words(L, tz_numword_growth, "growth");
}

static int _l_change(lua_State *L)
{
    double v = luaL_checknumber(L, 1);
    const char *unit = _opt_unit(L, 2);
    tz_buf b = TZ_BUF_INIT;
    int rc = tz_numword_change(&b, v, unit, 0);
    return _push_buf(L, &b, rc, "change");
}

/* Text of a list item: a string, a number, or a run's text. */
static const char *_item_text(lua_State *L, int idx)
{
    int ty = lua_type(L, idx);
    if (ty == LUA_TSTRING || ty == LUA_TNUMBER)
        return lua_tostring(L, idx);
    if (ty == LUA_TTABLE && lua_getfield(L, idx, "text") == LUA_TSTRING) {
        const char *s = lua_tostring(L, -1);
        lua_pop(L, 1); /* the string stays alive in the run table */
        return s;
    }
    if (ty == LUA_TTABLE)
        lua_pop(L, 1);
    luaL_error(L, "列表项应为字符串,实际是 %s", luaL_typename(L, idx));
    return NULL;
}

static int _l_join(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    int he = lua_toboolean(L, 2);
    lua_Integer n = luaL_len(L, 1);
    luaL_Buffer b;
    /* convert numbers to strings in a copy table so pointers stay valid */
    lua_createtable(L, (int)n, 0);
    int copy = lua_gettop(L);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_geti(L, 1, i);
        lua_pushstring(L, _item_text(L, lua_gettop(L)));
        lua_rawseti(L, copy, i);
        lua_pop(L, 1);
    }
    luaL_buffinit(L, &b);
    for (lua_Integer i = 1; i <= n; i++) {
        if (i > 1)
            luaL_addstring(&b, (he && i == n) ? "和" : "、");
        lua_rawgeti(L, copy, i);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    return 1;
}

/* ---- document ----------------------------------------------------------- */

static tz_doc *_doc(lua_State *L)
{
    tzd_ctx *c = tzd_ctx_of(L);
    if (!c->doc)
        luaL_error(L, "请先调用 title() 写出汇报标题");
    if (tz_doc_error(c->doc))
        luaL_error(L, "汇报文档出错:%s", tz_doc_error(c->doc));
    return c->doc;
}

static int _check_doc(lua_State *L, int rc)
{
    tzd_ctx *c = tzd_ctx_of(L);
    if (rc)
        return luaL_error(L, "汇报文档出错:%s",
                          tz_doc_error(c->doc) ? tz_doc_error(c->doc) : "内存不足");
    return 0;
}

static int _l_title(lua_State *L)
{
    tzd_ctx *c = tzd_ctx_of(L);
    const char *t = luaL_checkstring(L, 1);
    if (c->doc)
        return luaL_error(L, "title() 只能调用一次");
    c->doc = tz_doc_new(t);
    if (!c->doc)
        return luaL_error(L, "内存不足");
    if (!lua_isnoneornil(L, 2))
        _check_doc(L, tz_doc_subtitle(c->doc, luaL_checkstring(L, 2)));
    return 0;
}

static int _l_subtitle(lua_State *L)
{
    const char *t = luaL_checkstring(L, 1);
    return _check_doc(L, tz_doc_subtitle(_doc(L), t));
}

static int _l_h1(lua_State *L)
{
    const char *t = luaL_checkstring(L, 1);
    return _check_doc(L, tz_doc_heading(_doc(L), 1, t));
}

static int _l_h2(lua_State *L)
{
    const char *t = luaL_checkstring(L, 1);
    return _check_doc(L, tz_doc_heading(_doc(L), 2, t));
}

static int _l_page_break(lua_State *L)
{
    return _check_doc(L, tz_doc_page_break(_doc(L)));
}

/* Flattens para() arguments into the array table at `out`: strings,
 * numbers, run tables ({text=, ref=, bold=}) and nested lists of those. */
static void _flatten(lua_State *L, int idx, int out, int depth)
{
    if (depth > 8)
        luaL_error(L, "para() 的参数嵌套过深");
    idx = lua_absindex(L, idx);
    int ty = lua_type(L, idx);
    if (ty == LUA_TSTRING || ty == LUA_TNUMBER) {
        lua_createtable(L, 0, 1);
        lua_pushstring(L, lua_tostring(L, idx));
        lua_setfield(L, -2, "text");
    } else if (ty == LUA_TTABLE) {
        int tt = lua_getfield(L, idx, "text");
        lua_pop(L, 1);
        if (tt == LUA_TSTRING || tt == LUA_TNUMBER) {
            lua_pushvalue(L, idx);
        } else {
            lua_Integer n = luaL_len(L, idx);
            for (lua_Integer i = 1; i <= n; i++) {
                lua_geti(L, idx, i);
                _flatten(L, -1, out, depth + 1);
                lua_pop(L, 1);
            }
            return;
        }
    } else if (ty == LUA_TNIL) {
        return; /* nil pieces are skipped, so conditional text can be nil */
    } else {
        luaL_error(L, "para() 的参数应为字符串或 fig()/bold() 的结果,实际是 %s",
                   luaL_typename(L, idx));
    }
    lua_rawseti(L, out, luaL_len(L, out) + 1);
}

static int _l_para(lua_State *L)
{
    tz_doc *doc = _doc(L);
    int top = lua_gettop(L);
    lua_newtable(L);
    int out = lua_gettop(L);
    for (int i = 1; i <= top; i++)
        _flatten(L, i, out, 0);
    lua_Integer n = luaL_len(L, out);
    if (n == 0)
        return luaL_error(L, "para() 没有内容");
    /* read every run before touching the doc, so an error leaves it intact */
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, out, i);
        lua_getfield(L, -1, "text");
        if (!lua_isstring(L, -1))
            return luaL_error(L, "para() 的第%d段文字不是字符串", (int)i);
        lua_pop(L, 1);
        int rt = lua_getfield(L, -1, "ref");
        if (rt != LUA_TNIL && rt != LUA_TSTRING)
            return luaL_error(L, "para() 的第%d段的 ref 不是字符串", (int)i);
        lua_pop(L, 2);
    }
    int rc = tz_doc_para_begin(doc);
    for (lua_Integer i = 1; i <= n && !rc; i++) {
        lua_rawgeti(L, out, i);
        lua_getfield(L, -1, "text");
        lua_getfield(L, -2, "ref");
        lua_getfield(L, -3, "bold");
        const char *text = lua_tostring(L, -3);
        const char *ref = lua_tostring(L, -2);
        int bold = lua_toboolean(L, -1);
        if (*text)
            rc = bold ? tz_doc_run_bold(doc, text, ref) : tz_doc_run(doc, text, ref);
        lua_pop(L, 4);
    }
    if (!rc)
        rc = tz_doc_para_end(doc);
    return _check_doc(L, rc);
}

static int _l_bold(lua_State *L)
{
    const char *t = luaL_checkstring(L, 1);
    lua_createtable(L, 0, 2);
    lua_pushstring(L, t);
    lua_setfield(L, -2, "text");
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, "bold");
    return 1;
}

/* Reads a src table at idx into out (strings copied). Raises on bad input;
 * out is then cleared. The caller must clear out after use. */
static void _read_src(lua_State *L, int idx, tzd_src *out)
{
    memset(out, 0, sizeof *out);
    if (lua_type(L, idx) != LUA_TTABLE)
        luaL_error(L, "fig() 的来源应为 ind()/src() 返回的来源表");
    static const char *const fields[] = {"name", "region", "unit", "period",
                                         "by",   "group",  "mode", "target"};
    const char *v[8];
    for (int i = 0; i < 8; i++) {
        int ty = lua_getfield(L, idx, fields[i]);
        v[i] = ty == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        lua_pop(L, 1);
        if (ty != LUA_TNIL && ty != LUA_TSTRING)
            luaL_error(L, "来源表的 %s 字段应为字符串", fields[i]);
    }
    if (!v[0] || !tz_indicator_find(v[0]))
        luaL_error(L, "来源表的指标名“%s”不存在", v[0] ? v[0] : "");
    tz_period p;
    if (!v[3])
        luaL_error(L, "来源表缺少 period");
    _parse_period(L, v[3], &p);
    tz_mode mode = TZ_MODE_PERIOD;
    int ytd = 0;
    _arg_mode(L, v[6], &mode, &ytd);
    /* a period that starts on 1 January is its own year to date (2015-H1,
     * 2015-01): one window, one source, so one 附件 entry */
    if (ytd && !strncmp(p.start + 5, "01-01", 5))
        ytd = 0;
    size_t target = 0;
    if (v[7]) { /* a target_src: "T3", the third target targets() handed out */
        char *end = NULL;
        unsigned long k = v[7][0] == 'T' ? strtoul(v[7] + 1, &end, 10) : 0;
        if (!k || !end || *end || k > tzd_ctx_of(L)->ntargets)
            luaL_error(L, "来源表的 target 字段“%s”不是 targets() 给出的目标", v[7]);
        target = k;
    }
    out->name = strdup(v[0]);
    out->region = v[1] ? strdup(v[1]) : NULL;
    out->unit = v[2] ? strdup(v[2]) : NULL;
    out->period = strdup(v[3]);
    out->by = v[4] ? strdup(v[4]) : NULL;
    out->group = v[5] ? strdup(v[5]) : NULL;
    out->mode = mode;
    out->ytd = ytd;
    out->target = target;
    if (!out->name || !out->period || (v[1] && !out->region) || (v[2] && !out->unit) ||
        (v[4] && !out->by) || (v[5] && !out->group)) {
        tzd_src_clear(out);
        luaL_error(L, "内存不足");
    }
}

static void _src_key(tz_buf *b, const tzd_src *s)
{
    tz_buf_printf(b, "%s|%s|%s|%s|%d|%d|%zu|%s|%s;", s->name, s->region ? s->region : "*",
                  s->unit ? s->unit : "*", s->period, (int)s->mode, s->ytd, s->target,
                  s->by ? s->by : "", s->group ? s->group : "");
}

static void _srcs_free(void *p)
{
    tzd_src *srcs = p;
    for (size_t i = 0; srcs[i].name || srcs[i].period; i++)
        tzd_src_clear(&srcs[i]);
    free(srcs);
}

/* Pushes the sources of fig()'s arguments first.. as one list table: a
 * name and opts (fig() only), source tables, or lists of source tables.
 * Returns its length. */
static lua_Integer _fig_sources(lua_State *L, int first, const char *fn)
{
    lua_newtable(L);
    int list = lua_gettop(L);
    if (first == 2 && lua_type(L, 2) == LUA_TSTRING) {
        _eval e;
        _read_eval(L, 2, 3, &e);
        _push_src_e(L, &e);
        lua_rawseti(L, list, 1);
        return 1;
    }
    for (int i = first; i < list; i++) {
        if (lua_type(L, i) != LUA_TTABLE)
            return luaL_error(L, "%s的第%d个参数应为来源表", fn, i);
        int ty = lua_getfield(L, i, "name");
        lua_pop(L, 1);
        if (ty != LUA_TNIL) {
            lua_pushvalue(L, i);
            lua_rawseti(L, list, luaL_len(L, list) + 1);
        } else {
            lua_Integer n = luaL_len(L, i);
            for (lua_Integer k = 1; k <= n; k++) {
                lua_geti(L, i, k);
                lua_rawseti(L, list, luaL_len(L, list) + 1);
            }
        }
    }
    return luaL_len(L, list);
}

/* A warning at the template line that called the API function running. */
static void _template_warn(lua_State *L, const char *fmt, ...)
{
    tzd_ctx *c = tzd_ctx_of(L);
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lua_Debug ar;
    int line = 0;
    if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "l", &ar))
        line = ar.currentline;
    tz_diags_warn(c->d, c->tpl_name, line > 0 ? line : 0, NULL, NULL, "%s", msg);
}

/* fig()'s check: the number written in text is the sources' value (their
 * sum for several), after the text's unit and rounding; else a warning. */
static void _fig_check(lua_State *L, tzd_ctx *c, const char *text, const tzd_src *srcs, size_t ns)
{
    tzd_textnum tn;
    if (!tzd_text_number(text, &tn))
        return; /* no number written: nothing to compare */
    double sum = 0;
    const char *unit0 = NULL;
    tz_buf names = TZ_BUF_INIT;
    for (size_t i = 0; i < ns; i++) {
        double v;
        const char *unit;
        tz_diags tmp = TZ_DIAGS_INIT;
        int rc = tzd_src_value(c, &srcs[i], &v, &unit, &tmp);
        tz_diags_clear(&tmp);
        if (rc || !isfinite(v)) { /* undefined (0/0): the template chose its words */
            tz_buf_free(&names);
            return;
        }
        if (unit0 && strcmp(unit0, unit) != 0) {
            tz_buf_free(&names);
            _template_warn(L, "数字“%s”由单位不同的几个数算出,请用 calc() 写明算法", text);
            return;
        }
        unit0 = unit;
        sum += v;
        tz_buf_printf(&names, "%s“%s”%s", i ? "、" : "", srcs[i].name,
                      srcs[i].target ? "的目标值" : "");
    }
    if (!tzd_number_matches(&tn, sum, unit0)) {
        char num[64];
        snprintf(num, sizeof num, "%.10g", sum);
        _template_warn(L, "数字“%s”与指标%s的%s%s%s不符%s", text,
                       names.data ? tz_buf_str(&names) : "", ns > 1 ? "合计" : "计算值", num,
                       unit0 ? unit0 : "", ns > 1 ? "(由几个数算出的数请用 calc() 写明算法)" : "");
    }
    tz_buf_free(&names);
}

/* calc()'s check: value is the number written in text. */
static void _calc_check(lua_State *L, const char *text, double value)
{
    tzd_textnum tn;
    if (!tzd_text_number(text, &tn))
        luaL_error(L, "calc() 的文字“%s”中没有数字", text);
    int ok = tzd_number_matches(&tn, value, NULL) ||
             tzd_number_matches(&tn, value * tn.scale, NULL) ||
             (tn.percent && tzd_number_matches(&tn, value, "%")) ||
             (tn.fraction && tzd_number_matches(&tn, value, "%"));
    if (!ok)
        _template_warn(L, "calc() 的数字“%s”与给出的值%.10g不符", text, value);
}

/* The figure whose key is key, or a new one holding srcs (held in slot;
 * the figure takes them). Returns its index; raises on out-of-memory (key
 * is freed either way). */
static size_t _fig_find_or_add(lua_State *L, tzd_ctx *c, const char *text, tz_buf *key,
                               tzd_src *srcs, size_t ns, size_t slot)
{
    size_t at = 0;
    if (_index_find(&c->figs_ix, tz_buf_str(key), &at)) {
        tz_buf_free(key);
        tzd_release(c, slot);
        return (size_t)luaL_error(L, "内存不足");
    }
    if (at) {
        tz_buf_free(key);
        tzd_release(c, slot);
        return at - 1;
    }
    if (c->nfigs == c->capfigs) {
        size_t ncap = c->capfigs ? c->capfigs * 2 : 32;
        tzd_fig *nf = realloc(c->figs, ncap * sizeof *nf);
        if (!nf) {
            tz_buf_free(key);
            tzd_release(c, slot);
            return (size_t)luaL_error(L, "内存不足");
        }
        c->figs = nf;
        c->capfigs = ncap;
    }
    tzd_fig *f = &c->figs[c->nfigs];
    memset(f, 0, sizeof *f);
    f->value = NAN;
    snprintf(f->id, sizeof f->id, "F%zu", c->nfigs + 1);
    f->text = strdup(text);
    f->key = tz_buf_take(key);
    if (!f->text || !f->key || tz_hmap_put(c->figs_ix, f->key, (long long)c->nfigs + 1, NULL)) {
        free(f->text);
        free(f->key);
        tzd_release(c, slot);
        return (size_t)luaL_error(L, "内存不足");
    }
    f->srcs = srcs;
    f->nsrcs = ns;
    c->holds[slot].p = NULL; /* the figure owns the sources now */
    tzd_release(c, slot);
    return c->nfigs++;
}

/* Records a figure: text written from the sources pushed by _fig_sources
 * (arguments first..), with how and value for calc() (how NULL for fig()).
 * Pushes the run table {text=, ref=, fig=}. */
static int _figure(lua_State *L, int first, const char *how, double value, const char *fn)
{
    tzd_ctx *c = tzd_ctx_of(L);
    const char *text = luaL_checkstring(L, 1);
    lua_Integer ns = _fig_sources(L, first, fn);
    int list = lua_gettop(L);
    if (ns == 0)
        return luaL_error(L, "%s需要数字的来源(指标名或 ind() 返回的来源)", fn);
    /* zero-terminated array: the sentinel has neither name nor period */
    tzd_src *srcs = calloc((size_t)ns + 1, sizeof *srcs);
    if (!srcs)
        return luaL_error(L, "内存不足");
    size_t slot = tzd_hold_ptr(L, srcs, _srcs_free);
    for (lua_Integer i = 1; i <= ns; i++) {
        lua_rawgeti(L, list, i);
        _read_src(L, lua_gettop(L), &srcs[i - 1]);
        lua_pop(L, 1);
    }
    if (how)
        _calc_check(L, text, value);
    else
        _fig_check(L, c, text, srcs, (size_t)ns);
    /* a figure is its text and its sources: the same sources written as
     * another number ("10万元" per centre of a 3885万元 total) are another
     * figure, with their own entry */
    tz_buf key = TZ_BUF_INIT;
    tz_buf_printf(&key, "%s\x1f%s\x1f%.17g\x1f", text, how ? how : "", how ? value : 0.0);
    for (lua_Integer i = 0; i < ns; i++)
        _src_key(&key, &srcs[i]);
    if (!key.data) {
        tzd_release(c, slot);
        return luaL_error(L, "内存不足");
    }
    size_t found = _fig_find_or_add(L, c, text, &key, srcs, (size_t)ns, slot);
    tzd_fig *f = &c->figs[found];
    if (how && !f->how) {
        f->value = value;
        f->how = strdup(how);
        if (!f->how)
            return luaL_error(L, "内存不足");
    }
    lua_createtable(L, 0, 3);
    lua_pushstring(L, text);
    lua_setfield(L, -2, "text");
    if (c->o->appendix || c->o->sources) { /* linked: to the 附件, or by the web page */
        lua_pushstring(L, f->id);
        lua_setfield(L, -2, "ref");
    }
    lua_pushstring(L, f->id);
    lua_setfield(L, -2, "fig");
    return 1;
}

/* fig(text, name, opts) | fig(text, src, src...) | fig(text, {src, src...}) */
static int _l_fig(lua_State *L)
{
    return _figure(L, 2, NULL, NAN, "fig()");
}

/* calc(text, value, how, src...) */
static int _l_calc(lua_State *L)
{
    luaL_checkstring(L, 1);
    double value = luaL_checknumber(L, 2);
    size_t hn;
    const char *how = luaL_checklstring(L, 3, &hn);
    if (hn == 0)
        return luaL_error(L, "calc() 的第3个参数应写明算法(如“A÷B”)");
    if (!isfinite(value))
        return luaL_error(L, "calc() 的第2个参数应为有限的数字");
    return _figure(L, 4, how, value, "calc()");
}

static void _free_ptrs(void *p)
{
    free(p);
}

/* Reads a table cell: string, number or run table → text and ref. */
static void _cell(lua_State *L, int idx, const char **text, const char **ref)
{
    int ty = lua_type(L, idx);
    *ref = NULL;
    if (ty == LUA_TSTRING || ty == LUA_TNUMBER) {
        *text = lua_tostring(L, idx);
    } else if (ty == LUA_TNIL) {
        *text = "";
    } else if (ty == LUA_TTABLE) {
        /* only strings: they stay alive in the run table after the pop */
        if (lua_getfield(L, idx, "text") != LUA_TSTRING)
            luaL_error(L, "表格单元格的 text 应为字符串");
        *text = lua_tostring(L, -1);
        lua_pop(L, 1);
        int rt = lua_getfield(L, idx, "ref");
        if (rt != LUA_TNIL && rt != LUA_TSTRING)
            luaL_error(L, "表格单元格的 ref 应为字符串");
        *ref = lua_tostring(L, -1);
        lua_pop(L, 1);
    } else {
        luaL_error(L, "表格单元格应为字符串、数字或 fig() 的结果,实际是 %s", luaL_typename(L, idx));
    }
}

static int _looks_numeric(const char *s)
{
    if (!*s)
        return 0;
    return (*s >= '0' && *s <= '9') || (*s == '-' && s[1] >= '0' && s[1] <= '9');
}

/* Checks table()'s header (index 2) and rows (index 3): every row a list of
 * at most ncols cells; numbers become strings in place, so that the text
 * stays alive in the tables. Raises on a bad table. */
static void _table_check(lua_State *L, lua_Integer ncols, lua_Integer nrows)
{
    for (lua_Integer r = 1; r <= nrows; r++) {
        if (lua_geti(L, 3, r) != LUA_TTABLE)
            luaL_error(L, "表格第%d行不是列表", (int)r);
        if (luaL_len(L, -1) > ncols)
            luaL_error(L, "表格第%d行有%d列,多于表头的%d列", (int)r, (int)luaL_len(L, -1),
                       (int)ncols);
        for (lua_Integer k = 1; k <= ncols; k++) {
            int ty = lua_geti(L, -1, k);
            if (ty == LUA_TNUMBER) {
                lua_pushstring(L, lua_tostring(L, -1));
                lua_seti(L, -3, k);
            } else {
                const char *t, *rf;
                _cell(L, lua_gettop(L), &t, &rf);
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    for (lua_Integer k = 1; k <= ncols; k++) {
        int ty = lua_geti(L, 2, k);
        if (ty == LUA_TNUMBER) { /* keep a string in the header table */
            lua_pushstring(L, lua_tostring(L, -1));
            lua_seti(L, 2, k);
        } else if (ty != LUA_TSTRING) {
            luaL_error(L, "表头第%d列不是字符串", (int)k);
        }
        lua_pop(L, 1);
    }
}

/* The alignment of column k: given (index 4: "number", "center"), or
 * number when every non-empty body cell looks numeric. */
static tz_doc_align _table_align(lua_State *L, lua_Integer k, lua_Integer nrows)
{
    if (lua_type(L, 4) == LUA_TTABLE) {
        lua_geti(L, 4, k);
        const char *w = lua_tostring(L, -1);
        lua_pop(L, 1);
        if (w && !strcmp(w, "number"))
            return TZ_ALIGN_NUMBER;
        if (w && !strcmp(w, "center"))
            return TZ_ALIGN_CENTER;
        return TZ_ALIGN_TEXT;
    }
    int numeric = nrows > 0;
    for (lua_Integer r = 1; r <= nrows && numeric; r++) {
        lua_geti(L, 3, r);
        lua_geti(L, -1, k);
        const char *t, *rf;
        _cell(L, lua_gettop(L), &t, &rf);
        if (*t && !_looks_numeric(t) && strcmp(t, "—") != 0 && strcmp(t, "-") != 0)
            numeric = 0;
        lua_pop(L, 2);
    }
    return numeric ? TZ_ALIGN_NUMBER : TZ_ALIGN_TEXT;
}

/* 1 when the value at idx is a run made by fig() or calc(). */
static int _is_figure(lua_State *L, int idx)
{
    if (lua_type(L, idx) != LUA_TTABLE)
        return 0;
    int ty = lua_getfield(L, idx, "fig");
    lua_pop(L, 1);
    return ty == LUA_TSTRING;
}

/* table(caption, header, rows, align) */
static int _l_table(lua_State *L)
{
    tz_doc *doc = _doc(L);
    const char *caption = lua_isnoneornil(L, 1) ? NULL : luaL_checkstring(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    luaL_checktype(L, 3, LUA_TTABLE);
    lua_Integer ncols = luaL_len(L, 2), nrows = luaL_len(L, 3);
    if (ncols < 1 || ncols > 32)
        return luaL_error(L, "表头应有1到32列");
    _table_check(L, ncols, nrows);
    const char **header = calloc((size_t)ncols * 3, sizeof *header);
    tz_doc_align *align = calloc((size_t)ncols, sizeof *align);
    if (!header || !align) {
        free(header);
        free(align);
        return luaL_error(L, "内存不足");
    }
    size_t s1 = tzd_hold_ptr(L, header, _free_ptrs);
    size_t s2 = tzd_hold_ptr(L, align, _free_ptrs);
    const char **cells = header + ncols, **refs = header + 2 * ncols;
    for (lua_Integer k = 1; k <= ncols; k++) {
        lua_geti(L, 2, k);
        header[k - 1] = lua_tostring(L, -1);
        lua_pop(L, 1);
        align[k - 1] = _table_align(L, k, nrows);
    }
    int rc = tz_doc_table_begin(doc, caption, (size_t)ncols, header, align);
    for (lua_Integer r = 1; r <= nrows && !rc; r++) {
        lua_geti(L, 3, r);
        for (lua_Integer k = 1; k <= ncols; k++) {
            lua_geti(L, -1, k);
            _cell(L, lua_gettop(L), &cells[k - 1], &refs[k - 1]);
            if (!_is_figure(L, lua_gettop(L)) && tzd_cell_number(cells[k - 1]))
                _template_warn(L, "表“%s”第%d行第%d列的数字“%s”没有来源(请用 fig() 或 calc())",
                               caption ? caption : "", (int)r, (int)k, cells[k - 1]);
            lua_pop(L, 1); /* strings stay alive in the row table */
        }
        rc = tz_doc_table_row(doc, cells, refs);
        lua_pop(L, 1);
    }
    if (!rc)
        rc = tz_doc_table_end(doc);
    tzd_release(tzd_ctx_of(L), s2);
    tzd_release(tzd_ctx_of(L), s1);
    return _check_doc(L, rc);
}

/* The __call metamethod of the table library: drops the library itself. */
static int _l_table_call(lua_State *L)
{
    lua_remove(L, 1);
    return _l_table(L);
}

/* chart(title, unit, categories, series, opts): series = {{name=, values={},
 * target=bool}}; a nil value is no bar, a zero gets no label; opts (may be
 * nil) = {stacked=bool}: the bar series stacked in one bar per category. */
static int _l_chart(lua_State *L)
{
    tz_doc *doc = _doc(L);
    const char *title = luaL_checkstring(L, 1);
    const char *unit = lua_isnoneornil(L, 2) ? NULL : luaL_checkstring(L, 2);
    luaL_checktype(L, 3, LUA_TTABLE);
    luaL_checktype(L, 4, LUA_TTABLE);
    int stacked = 0;
    if (!lua_isnoneornil(L, 5)) {
        luaL_checktype(L, 5, LUA_TTABLE);
        lua_getfield(L, 5, "stacked");
        stacked = lua_toboolean(L, -1);
        lua_pop(L, 1);
        lua_settop(L, 5);
    }
    lua_Integer ncats = luaL_len(L, 3), nser = luaL_len(L, 4);
    if (ncats < 1 || ncats > 200)
        return luaL_error(L, "图表的分类应有1到200个");
    if (nser < 1 || nser > 16)
        return luaL_error(L, "图表的系列应有1到16个");
    int bars = 0;
    for (lua_Integer i = 1; i <= nser; i++) {
        if (lua_geti(L, 4, i) != LUA_TTABLE)
            return luaL_error(L, "图表第%d个系列不是表", (int)i);
        if (lua_getfield(L, -1, "name") != LUA_TSTRING)
            return luaL_error(L, "图表第%d个系列缺少 name", (int)i);
        lua_pop(L, 1);
        if (lua_getfield(L, -1, "values") != LUA_TTABLE)
            return luaL_error(L, "图表第%d个系列缺少 values", (int)i);
        lua_pop(L, 1);
        lua_getfield(L, -1, "target");
        bars += !lua_toboolean(L, -1);
        lua_pop(L, 2);
    }
    if (!bars)
        return luaL_error(L, "图表至少要有一个柱形系列(target 不为 true)");
    for (lua_Integer i = 1; i <= ncats; i++) {
        lua_geti(L, 3, i);
        if (!lua_isstring(L, -1))
            return luaL_error(L, "图表第%d个分类不是字符串", (int)i);
        lua_pushstring(L, lua_tostring(L, -1));
        lua_seti(L, 3, i);
        lua_pop(L, 1);
    }
    const char **cats = calloc((size_t)ncats, sizeof *cats);
    double *vals = calloc((size_t)ncats, sizeof *vals);
    if (!cats || !vals) {
        free(cats);
        free(vals);
        return luaL_error(L, "内存不足");
    }
    size_t s1 = tzd_hold_ptr(L, cats, _free_ptrs);
    size_t s2 = tzd_hold_ptr(L, vals, _free_ptrs);
    for (lua_Integer i = 1; i <= ncats; i++) {
        lua_geti(L, 3, i);
        cats[i - 1] = lua_tostring(L, -1);
        lua_pop(L, 1);
    }
    int rc = tz_doc_chart_begin(doc, title, unit, (size_t)ncats, cats);
    for (lua_Integer i = 1; i <= nser && !rc; i++) {
        lua_geti(L, 4, i);
        lua_getfield(L, -1, "values");
        for (lua_Integer k = 1; k <= ncats; k++) {
            lua_geti(L, -1, k);
            int isnum = 0;
            double v = lua_tonumberx(L, -1, &isnum);
            vals[k - 1] = isnum ? v : NAN;
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
        lua_getfield(L, -1, "target");
        int target = lua_toboolean(L, -1);
        lua_pop(L, 1);
        lua_getfield(L, -1, "name");
        rc = tz_doc_chart_series(doc, lua_tostring(L, -1),
                                 target ? TZ_SERIES_TARGET : TZ_SERIES_BAR, vals);
        lua_pop(L, 2);
    }
    if (!rc && stacked)
        rc = tz_doc_chart_stack(doc);
    if (!rc)
        rc = tz_doc_chart_end(doc);
    tzd_release(tzd_ctx_of(L), s2);
    tzd_release(tzd_ctx_of(L), s1);
    return _check_doc(L, rc);
}

/* close(signer, date): the 落款 after the body (GB/T 9704-2012 7.3.5).
 * signer defaults to report.unit, else the region's name; date ("YYYY-MM-DD")
 * to the --date of `taizhang report`, else the period's last day. */
static int _l_close(lua_State *L)
{
    tzd_ctx *c = tzd_ctx_of(L);
    tz_doc *doc = _doc(L);
    const char *signer = lua_isnoneornil(L, 1) ? NULL : luaL_checkstring(L, 1);
    const char *date = lua_isnoneornil(L, 2) ? NULL : luaL_checkstring(L, 2);
    char words[40];
    if (!signer)
        signer = c->o->unit && *c->o->unit ? c->o->unit : c->region_name;
    if (!date)
        date = c->o->date ? c->o->date : c->period.end;
    if (!*signer)
        return luaL_error(L, "close() 的署名不能为空");
    if (tz_doc_date_words(date, words, sizeof words) != 0)
        return luaL_error(L, "close() 的成文日期“%s”无效,应为YYYY-MM-DD格式的日期,如2019-12-31",
                          date);
    return _check_doc(L, tz_doc_close(doc, signer, date));
}

/* attachment(title): starts a 附件 after the 落款 (GB/T 9704-2012 8.1) on
 * a new page; what the template adds next (h1, para, table, chart) is in
 * it, up to the next attachment(). The 附件说明 before the 落款 lists it. The
 * 数据来源 of report.appendix comes after the template's attachments, so a
 * template's first is 附件1 when there will be more than one. */
static int _l_attachment(lua_State *L)
{
    tz_doc *doc = _doc(L);
    const char *title = luaL_checkstring(L, 1);
    if (!*title)
        return luaL_error(L, "attachment() 的附件名称不能为空");
    if (!tz_doc_close_block(doc))
        return luaL_error(L, "attachment(\"%s\") 应在 close() 之后：附件编排在落款之后", title);
    return _check_doc(L, tz_doc_appendix(doc, title));
}

static int _l_warn(lua_State *L)
{
    tzd_ctx *c = tzd_ctx_of(L);
    luaL_Buffer b;
    int n = lua_gettop(L);
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        luaL_tolstring(L, i, NULL);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    lua_Debug ar;
    int line = 0;
    if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "l", &ar))
        line = ar.currentline;
    tz_diags_warn(c->d, c->tpl_name, line > 0 ? line : 0, NULL, NULL, "%s", lua_tostring(L, -1));
    return 0;
}

/* ---- the declaration ---------------------------------------------------- */

/* report{...}: the template's declaration (report/template.h). Checked as
 * when it is listed, and the report's region and unit against its scope;
 * from here on the template may evaluate only the indicators it declares.
 * Returns the report table. */
static int _l_declare(lua_State *L)
{
    tzd_ctx *c = tzd_ctx_of(L);
    if (c->declared)
        return luaL_error(L, "report{...} 只能声明一次");
    char why[400];
    c->declared = 1; /* the fields filled so far are freed at the end either way */
    if (tz_template_from_lua(L, 2, &c->decl, why, sizeof why))
        return luaL_error(L, "模板的声明有误:%s", why);
    /* the report is for the region (and unit) its declaration names */
    tz_diags tmp = TZ_DIAGS_INIT;
    int r = tz_template_check_scope(c->s, &c->decl, c->region, c->o->unit, why, sizeof why, &tmp);
    if (r < 0)
        _reason(&tmp, why, sizeof why);
    tz_diags_clear(&tmp);
    if (r)
        return luaL_error(L, "%s", why);
    lua_settop(L, 1);
    return 1;
}

/* ---- registration ------------------------------------------------------- */

void tzd_api_open(lua_State *L)
{
    static const luaL_Reg fns[] = {{"period", _l_period},
                                   {"ind", _l_ind},
                                   {"ind_by", _l_ind_by},
                                   {"explain", _l_explain},
                                   {"rows", _l_rows},
                                   {"targets", _l_targets},
                                   {"findings", _l_findings},
                                   {"region", _l_region},
                                   {"src", _l_src},
                                   {"num", _l_num},
                                   {"approx", _l_approx},
                                   {"frac", _l_frac},
                                   {"pct", _l_pct},
                                   {"count", _l_count},
                                   {"cn", _l_cn},
                                   {"growth", _l_growth},
                                   {"change", _l_change},
                                   {"join", _l_join},
                                   {"title", _l_title},
                                   {"subtitle", _l_subtitle},
                                   {"h1", _l_h1},
                                   {"h2", _l_h2},
                                   {"para", _l_para},
                                   {"bold", _l_bold},
                                   {"fig", _l_fig},
                                   {"calc", _l_calc},
                                   {"chart", _l_chart},
                                   {"close", _l_close},
                                   {"attachment", _l_attachment},
                                   {"page_break", _l_page_break},
                                   {"warn", _l_warn},
                                   {NULL, NULL}};
    lua_pushglobaltable(L);
    luaL_setfuncs(L, fns, 0);
    lua_pop(L, 1);
    /* table(caption, header, rows, align) builds a document table, while
     * table.sort, table.concat … stay the Lua library: a __call metamethod */
    lua_getglobal(L, LUA_TABLIBNAME);
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, _l_table_call);
    lua_setfield(L, -2, "__call");
    lua_setmetatable(L, -2);
    lua_pop(L, 1);

    tzd_ctx *c = tzd_ctx_of(L);
    char lvw[8];
    snprintf(lvw, sizeof lvw, "%s", tz_level_word(c->region_level));
    lua_createtable(L, 0, 8);
    _set_str(L, "region", c->region);
    _set_str(L, "region_name", c->region_name);
    _set_str(L, "region_level", lvw);
    _set_str(L, "unit", c->o->unit);
    _push_period(L, &c->period);
    lua_setfield(L, -2, "period");
    lua_pushboolean(L, c->o->appendix);
    lua_setfield(L, -2, "appendix");
    _set_str(L, "template", c->tpl_name);
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, _l_declare);
    lua_setfield(L, -2, "__call");
    lua_setmetatable(L, -2);
    lua_setglobal(L, "report");
}

/* ---- a drafted report as bytes (the server's download) ------------------- */

#define REPORT_BYTES_MAX ((size_t)256 << 20) /* largest report read back */

/* Reads the whole file path (at most REPORT_BYTES_MAX bytes) into *out.
 * Returns 0, or -1 with d filled. */
int tz_draft_read_file(const char *path, char **out, size_t *len, tz_diags *d)
{
    FILE *f = fopen(path, "rb");
    tz_buf b = TZ_BUF_INIT;
    char chunk[65536];
    size_t n;
    int rc = f ? 0 : -1;
    b.max = REPORT_BYTES_MAX;
    while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = tz_buf_add(&b, chunk, n) ? -1 : 0;
    if (f && (ferror(f) || fclose(f) != 0))
        rc = -1;
    if (rc)
        tz_diags_error(d, NULL, 0, NULL, NULL, "无法读回生成的文件(超过 %zu MB 或读取出错)",
                       REPORT_BYTES_MAX >> 20);
    *len = b.len;
    *out = rc == 0 ? tz_buf_take(&b) : NULL;
    tz_buf_free(&b);
    return rc;
}

int tz_draft_render_bytes(const tz_doc *doc, const char *ext, char **out, size_t *len, tz_diags *d)
{
    const char *tmp = getenv("TMPDIR");
    char dir[4096], path[4200];
    *out = NULL;
    *len = 0;
    snprintf(dir, sizeof dir, "%s/taizhang-report-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "无法创建临时文件夹 %s: %s", dir,
                       tz_errno_text(errno, 1));
        return -1;
    }
    snprintf(path, sizeof path, "%s/report.%s", dir, ext);
    int rc = tz_render_file(doc, path, d);
    if (rc == 0)
        rc = tz_draft_read_file(path, out, len, d);
    unlink(path); /* absent when tz_render_file failed: it discards its own */
    rmdir(dir);
    return rc;
}
