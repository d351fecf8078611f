/* draft.c - the drafter: a sandboxed Lua state runs a report template, Lua
 * errors become Chinese diagnostics, and the 附件 lists every figure's
 * provenance. The template API itself is in draft_api.c. */
#include "report/draft_impl.h"
#include "util/buf.h"
#include <errno.h>
#include <lauxlib.h>
#include <lualib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DRAFT_MEM_DEFAULT ((size_t)256 << 20) /* Lua memory cap */
#define DRAFT_STEPS_DEFAULT 2000000000LL      /* Lua instruction cap */
#define DRAFT_HOOK_EVERY 10000                /* instructions between hook calls */
#define DRAFT_KEYS_DEFAULT 20                 /* keys listed per figure in the 附件 */

/* ---- context ------------------------------------------------------------ */

tzd_ctx *tzd_ctx_of(lua_State *L)
{
    return *(tzd_ctx **)lua_getextraspace(L);
}

size_t tzd_hold_ptr(lua_State *L, void *p, void (*fn)(void *))
{
    tzd_ctx *c = tzd_ctx_of(L);
    if (c->nholds == c->capholds) {
        size_t ncap = c->capholds ? c->capholds * 2 : 16;
        tzd_hold *nh = realloc(c->holds, ncap * sizeof *nh);
        if (!nh) {
            fn(p);
            luaL_error(L, "内存不足");
        }
        c->holds = nh;
        c->capholds = ncap;
    }
    c->holds[c->nholds].p = p;
    c->holds[c->nholds].fn = fn;
    return c->nholds++;
}

void tzd_release(tzd_ctx *c, size_t slot)
{
    if (slot < c->nholds && c->holds[slot].p) {
        c->holds[slot].fn(c->holds[slot].p);
        c->holds[slot].p = NULL;
    }
    /* pop released slots at the top so the list stays short */
    while (c->nholds > 0 && !c->holds[c->nholds - 1].p)
        c->nholds--;
}

static void _release_all(tzd_ctx *c)
{
    for (size_t i = c->nholds; i-- > 0;)
        if (c->holds[i].p)
            c->holds[i].fn(c->holds[i].p);
    free(c->holds);
    c->holds = NULL;
    c->nholds = c->capholds = 0;
}

void tzd_src_clear(tzd_src *src)
{
    free(src->name);
    free(src->region);
    free(src->unit);
    free(src->period);
    free(src->by);
    free(src->group);
    memset(src, 0, sizeof *src);
}

static void _figs_free(tzd_ctx *c)
{
    for (size_t i = 0; i < c->nfigs; i++) {
        for (size_t k = 0; k < c->figs[i].nsrcs; k++)
            tzd_src_clear(&c->figs[i].srcs[k]);
        free(c->figs[i].srcs);
        free(c->figs[i].text);
        free(c->figs[i].how);
        free(c->figs[i].key);
    }
    free(c->figs);
    c->figs = NULL;
    c->nfigs = c->capfigs = 0;
    free(c->targets);
    c->targets = NULL;
    c->ntargets = c->captargets = 0;
    tz_hmap_free(c->figs_ix);
    tz_hmap_free(c->targets_ix);
    c->figs_ix = c->targets_ix = NULL;
}

/* ---- words for periods ------------------------------------------------- */

int tzd_end_month(const tz_period *p)
{
    switch (p->kind) {
    case TZ_PERIOD_MONTH:
        return p->index;
    case TZ_PERIOD_QUARTER:
        return p->index * 3;
    case TZ_PERIOD_HALF:
        return p->index * 6;
    default:
        return 12;
    }
}

const char *tzd_end_words(const tz_period *p, char *buf, size_t sz)
{
    int m = tzd_end_month(p);
    if (m == 12)
        snprintf(buf, sz, "%d年底", p->year);
    else
        snprintf(buf, sz, "%d年%d月底", p->year, m);
    return buf;
}

const char *tzd_ytd_words(const tz_period *p, char *buf, size_t sz)
{
    int m = tzd_end_month(p);
    if (p->kind == TZ_PERIOD_YEAR || !strncmp(p->start + 5, "01-01", 5))
        return tz_period_words(p, buf, sz);
    snprintf(buf, sz, "%d年1至%d月", p->year, m);
    return buf;
}

const char *tzd_window_words(const tz_period *p, tz_mode mode, char *buf, size_t sz)
{
    char w[64];
    if (mode == TZ_MODE_ALL)
        snprintf(buf, sz, "全部记录（不限日期）");
    else if (mode == TZ_MODE_TODATE)
        snprintf(buf, sz, "截至%s累计", tzd_end_words(p, w, sizeof w));
    else
        snprintf(buf, sz, "%s", tz_period_words(p, w, sizeof w));
    return buf;
}

/* ---- the Lua state ------------------------------------------------------ */

static void _hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    tzd_ctx *c = tzd_ctx_of(L);
    c->steps += DRAFT_HOOK_EVERY;
    if (c->steps > c->max_steps) {
        char msg[128];
        snprintf(msg, sizeof msg, "模板运行步数超过上限(%lld),可能有死循环", c->max_steps);
        luaL_error(L, "%s", msg);
    }
}

/* Opens only the safe libraries and removes what reaches outside the state
 * or makes output differ between runs. */
static void _sandbox(lua_State *L)
{
    static const luaL_Reg libs[] = {
        {LUA_GNAME, luaopen_base},       {LUA_STRLIBNAME, luaopen_string},
        {LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
        {LUA_UTF8LIBNAME, luaopen_utf8}, {NULL, NULL}};
    for (const luaL_Reg *l = libs; l->name; l++) {
        luaL_requiref(L, l->name, l->func, 1);
        lua_pop(L, 1);
    }
    static const char *const drop_global[] = {"dofile",         "loadfile", "load", "require",
                                              "collectgarbage", "print",    NULL};
    for (size_t i = 0; drop_global[i]; i++) {
        lua_pushnil(L);
        lua_setglobal(L, drop_global[i]);
    }
    lua_getglobal(L, LUA_STRLIBNAME);
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    lua_pop(L, 1);
    /* pairs() visits keys in sorted order, so that a template's output never
     * depends on Lua's per-run hash seed (the same input gives the same
     * bytes). Table keys, which have no order, fall back to tostring(). */
    static const char sorted_pairs[] =
        "local next, type, tostring, sort, getmetatable = next, type, tostring, table.sort, "
        "getmetatable\n"
        "local function cmp(a, b)\n"
        "  local ta, tb = type(a), type(b)\n"
        "  if ta ~= tb then return ta < tb end\n"
        "  if ta == 'number' or ta == 'string' then return a < b end\n"
        "  if ta == 'boolean' then return (not a) and b end\n"
        "  return tostring(a) < tostring(b)\n"
        "end\n"
        "pairs = function(t)\n"
        "  local mt = getmetatable(t)\n"
        "  if mt and mt.__pairs then return mt.__pairs(t) end\n"
        "  local keys = {}\n"
        "  for k in next, t do keys[#keys + 1] = k end\n"
        "  sort(keys, cmp)\n"
        "  local i = 0\n"
        "  return function() i = i + 1; local k = keys[i]; if k ~= nil then return k, t[k] end "
        "end, t, nil\n"
        "end\n";
    if (luaL_dostring(L, sorted_pairs) != LUA_OK)
        lua_pop(L, 1); /* cannot fail on a valid state; keep the stock pairs then */
    lua_getglobal(L, LUA_MATHLIBNAME);
    lua_pushnil(L);
    lua_setfield(L, -2, "random");
    lua_pushnil(L);
    lua_setfield(L, -2, "randomseed");
    lua_pop(L, 1);
}

static int _setup(lua_State *L)
{
    _sandbox(L);
    tzd_api_open(L);
    return 0;
}

/* ---- errors ------------------------------------------------------------- */

/* Message handler: remembers the template line where the error happened. */
static int _msgh(lua_State *L)
{
    tzd_ctx *c = tzd_ctx_of(L);
    c->err_line = 0;
    lua_Debug ar;
    for (int lv = 1; lua_getstack(L, lv, &ar); lv++) {
        if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0 &&
            !strcmp(ar.source, TZ_TEMPLATE_CHUNK)) {
            c->err_line = ar.currentline;
            break;
        }
    }
    if (!lua_isstring(L, 1)) {
        const char *tn = luaL_typename(L, 1);
        lua_pushfstring(L, "error() 的参数不是字符串(而是 %s)", tn);
    } else {
        lua_pushvalue(L, 1);
    }
    return 1;
}

/* Lua's English messages that template authors meet most, in Chinese. */
typedef struct _zh_pattern {
    const char *en; /* message prefix */
    const char *zh; /* Chinese text; %s gets the quoted name when there is one */
} _zh_pattern;

static const _zh_pattern _zh[] = {
    {"attempt to call a nil value", "调用了不存在的函数%s"},
    {"attempt to call a", "调用了不是函数的值%s"},
    {"attempt to index a nil value", "对空值(nil)%s取字段"},
    {"attempt to index a", "对不是表的值%s取字段"},
    {"attempt to perform arithmetic on a nil value", "对空值(nil)%s做算术运算"},
    {"attempt to perform arithmetic on a", "对不是数字的值%s做算术运算"},
    {"attempt to concatenate a nil value", "拼接字符串时遇到空值(nil)%s"},
    {"attempt to concatenate a", "拼接字符串时遇到不能拼接的值%s"},
    {"attempt to compare", "比较了不能比较的两个值%s"},
    {"attempt to get length of a nil value", "对空值(nil)%s取长度"},
    {"attempt to get length of", "对不能取长度的值%s取长度"},
    {"attempt to assign to const variable", "给常量%s赋值"},
    {"number has no integer representation", "数字不是整数%s"},
    {"stack overflow", "递归过深(栈溢出)%s"},
    {"not enough memory", "模板占用内存超过上限%s"},
    {NULL, NULL}};

/* The ASCII digits at the start of s as a number (Lua's argument number in
 * "bad argument #2 to ..."): at most 9 are read, 0 when there are none. */
static int _lead_digits(const char *s)
{
    int v = 0;
    for (int i = 0; i < 9 && s[i] >= '0' && s[i] <= '9'; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* Writes the Chinese form of a Lua message (without its position prefix). */
static void _zh_message(const char *en, tz_buf *out)
{
    /* first, as its reason often says "expected" ("(number expected, got
     * string)"), which the syntax test below would take */
    if (strncmp(en, "bad argument #", 14) == 0) {
        int argn = _lead_digits(en + 14);
        const char *q1 = strchr(en, '\''), *q2 = q1 ? strchr(q1 + 1, '\'') : NULL;
        const char *why = strchr(en, '(');
        if (q1 && q2) {
            tz_buf_printf(out, "函数“%.*s”的第%d个参数有误", (int)(q2 - q1 - 1), q1 + 1, argn);
            if (why)
                tz_buf_printf(out, ":%s", why);
            return;
        }
    }
    /* syntax errors from the parser: "... near 'x'" or "... expected ..." */
    if (strstr(en, " near ") || strstr(en, "expected") || strstr(en, "unexpected symbol") ||
        strstr(en, "unfinished")) {
        tz_buf_printf(out, "语法错误:%s", en);
        return;
    }
    for (const _zh_pattern *p = _zh; p->en; p++) {
        if (strncmp(en, p->en, strlen(p->en)) != 0)
            continue;
        /* the variable Lua names: "(global 'x')", "(field 'x')", "(local 'x')" */
        char name[128] = "";
        const char *q1 = strchr(en, '\'');
        const char *q2 = q1 ? strchr(q1 + 1, '\'') : NULL;
        if (q1 && q2 && q2 - q1 - 1 < 100)
            snprintf(name, sizeof name, "“%.*s”", (int)(q2 - q1 - 1), q1 + 1);
        tz_buf_printf(out, p->zh, name);
        return;
    }
    tz_buf_puts(out, en);
}

/* Adds the error on top of L to diags: "poverty-work.lua 第12行: …". */
static void _lua_error_diag(lua_State *L, tzd_ctx *c, const char *stage)
{
    const char *msg = lua_tostring(L, -1);
    if (!msg)
        msg = "未知错误";
    int line = c->err_line;
    /* strip the position prefix "template:12: " and take its line */
    const char *pfx = &TZ_TEMPLATE_CHUNK[1];
    size_t plen = strlen(pfx);
    if (!strncmp(msg, pfx, plen) && msg[plen] == ':') {
        char *end = NULL;
        long ln = strtol(msg + plen + 1, &end, 10);
        if (end && end != msg + plen + 1 && *end == ':') {
            line = (int)ln;
            msg = end + 1;
            while (*msg == ' ')
                msg++;
        }
    }
    tz_buf b = TZ_BUF_INIT;
    tz_buf_printf(&b, "模板%s出错:", stage);
    _zh_message(msg, &b);
    tz_diags_error(c->d, c->tpl_name, line, NULL, NULL, "%s", tz_buf_str(&b));
    tz_buf_free(&b);
}

/* ---- sources ------------------------------------------------------------ */

int tzd_src_window(const tzd_src *src, tz_period *w, const char **why)
{
    tz_period p;
    if (tz_period_parse(src->period, &p, why))
        return -1;
    if (src->ytd)
        tz_period_ytd(&p, w);
    else
        *w = p;
    return 0;
}

int tzd_src_value(tzd_ctx *c, const tzd_src *src, double *v, const char **unit, tz_diags *tmp)
{
    *v = NAN;
    *unit = "";
    if (src->target) {
        const tzd_target *t = &c->targets[src->target - 1];
        const tz_indicator *ind = tz_indicator_find(t->indicator);
        *unit = ind && ind->unit ? ind->unit : "";
        *v = t->value;
        return 0;
    }
    const tz_indicator *ind = tz_indicator_find(src->name);
    *unit = ind && ind->unit ? ind->unit : "";
    tz_period w;
    const char *why = NULL;
    if (tzd_src_window(src, &w, &why)) {
        tz_diags_error(tmp, NULL, 0, NULL, src->period, "期间有误:%s", why);
        return -1;
    }
    tz_scope sc = {src->region, src->unit};
    if (!src->group)
        return tz_indicator_eval(c->s, src->name, &sc, &w, src->mode, v, tmp);
    tz_group_value *gv = NULL;
    size_t ng = 0;
    if (tz_indicator_eval_by(c->s, src->name, &sc, &w, src->mode, src->by, &gv, &ng, tmp))
        return -1;
    for (size_t i = 0; i < ng; i++)
        if (!strcmp(gv[i].key, src->group))
            *v = gv[i].value;
    free(gv);
    return 0;
}

/* ---- the appendix ------------------------------------------------------- */

#define DRAFT_MAX_LEDGERS 4 /* ledgers listed separately per source */

/* Appends s to the string in buf (sz bytes), cut short when full. */
static void _cat(char *buf, size_t sz, const char *s)
{
    size_t len = strlen(buf);
    if (len + 1 < sz)
        snprintf(buf + len, sz - len, "%s", s);
}

/* A region by name, never by code: the report's region by its name, a
 * region inside it with the names of the levels between ("鹿邑县马铺镇",
 * "商丘市民权县"), one outside with its city and county ("周口市鹿邑县").
 * below: 1 leaves the report's own region out of a region inside it (the
 * listed rows of one entry). A code not in the regions ledger stays as is. */
static const char *_region_words(tzd_ctx *c, const char *code, int below, char *buf, size_t sz)
{
    static const int cuts[] = {4, 6, 9, 12}; /* city, county, township, village digits */
    char name[128];
    tz_level lv;
    snprintf(buf, sz, "%s", code);
    if (strlen(code) != 12 || tz_region_get(c->s, code, name, sizeof name, &lv) != 1)
        return buf;
    if (!strcmp(code, c->region)) {
        snprintf(buf, sz, "%s", c->region_name);
        return buf;
    }
    int own = tz_level_digits(c->region_level);
    int inside = own > 0 && own < 12 && !strncmp(code, c->region, (size_t)own);
    buf[0] = '\0';
    if (inside && !below)
        _cat(buf, sz, c->region_name);
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        if (inside && cuts[i] <= own)
            continue;
        char anc[13], an[128];
        memcpy(anc, code, (size_t)cuts[i]);
        memset(anc + cuts[i], '0', (size_t)(12 - cuts[i]));
        anc[12] = '\0';
        if (!strcmp(anc, code)) {
            _cat(buf, sz, name);
            break;
        }
        if (tz_region_get(c->s, anc, an, sizeof an, &lv) == 1)
            _cat(buf, sz, an);
    }
    return buf;
}

/* The rows behind one source, per ledger. */
typedef struct _keylist {
    struct {
        char ledger[32]; /* ledger id */
        size_t n;        /* rows seen */
        tz_buf keys;     /* first keys, joined by 、 */
    } per[DRAFT_MAX_LEDGERS];
    size_t nledgers; /* ledgers seen (at most DRAFT_MAX_LEDGERS kept) */
    size_t max;      /* keys to keep per ledger */
    tzd_ctx *c;      /* the run: region codes are listed by name */
} _keylist;

/* 1 when the n bytes at key are a 12-digit region code. */
static int _is_code(const char *key, size_t n)
{
    size_t i = 0;
    while (i < n && key[i] >= '0' && key[i] <= '9')
        i++;
    return i == 12 && n == 12;
}

/* Appends a row's key with every region code in it ("县文化广电旅游局/
 * 411628101201") by name. Returns tz_buf_puts's result. */
static int _key_words(_keylist *k, tz_buf *b, const char *key)
{
    int rc = 0;
    while (!rc) {
        const char *slash = strchr(key, '/');
        size_t n = slash ? (size_t)(slash - key) : strlen(key);
        if (_is_code(key, n)) {
            char code[13], rw[400];
            memcpy(code, key, 12);
            code[12] = '\0';
            rc = tz_buf_puts(b, _region_words(k->c, code, 1, rw, sizeof rw));
        } else {
            rc = tz_buf_add(b, key, n);
        }
        if (!slash || rc)
            break;
        rc = tz_buf_puts(b, "/");
        key = slash + 1;
    }
    return rc;
}

static int _explain_cb(void *ctx, const char *ledger, const char *key)
{
    _keylist *k = ctx;
    size_t i = 0;
    while (i < k->nledgers && strcmp(k->per[i].ledger, ledger) != 0)
        i++;
    if (i == k->nledgers) {
        if (k->nledgers == DRAFT_MAX_LEDGERS)
            return 0;
        snprintf(k->per[i].ledger, sizeof k->per[i].ledger, "%s", ledger);
        k->nledgers++;
    }
    if (k->per[i].n < k->max) {
        /* on out-of-memory the buffer empties itself: list no more keys */
        if ((k->per[i].n && tz_buf_puts(&k->per[i].keys, "、")) ||
            _key_words(k, &k->per[i].keys, key))
            k->max = 0;
    }
    k->per[i].n++;
    return 0;
}

static void _keylist_free(_keylist *k)
{
    for (size_t i = 0; i < DRAFT_MAX_LEDGERS; i++)
        tz_buf_free(&k->per[i].keys);
}

/* A value with its unit: "105个", "3885万元". */
static void _value_words(tz_buf *b, double v, const char *unit)
{
    char num[64];
    snprintf(num, sizeof num, "%.10g", v);
    tz_buf_printf(b, "%s%s", num, unit ? unit : "");
}

/* Describes a target value (targets()' target_src): the unit or region by
 * name, the year, the target and where it comes from. */
static void _describe_target(tzd_ctx *c, const tzd_target *t, const char *printed, tz_buf *b)
{
    char rw[400];
    const tz_indicator *ind = tz_indicator_find(t->indicator);
    tz_buf_printf(b, "目标任务：%s", t->unit);
    if (t->unit_kind[0])
        tz_buf_printf(b, "（%s，%s）", t->unit_kind, _region_words(c, t->region, 0, rw, sizeof rw));
    else if (strcmp(t->unit, _region_words(c, t->region, 0, rw, sizeof rw)) != 0)
        tz_buf_printf(b, "（%s）", rw);
    tz_buf_printf(b, "，%d年“%s”，目标值：", t->year, t->name);
    _value_words(b, t->value, ind ? ind->unit : "");
    if (printed)
        tz_buf_printf(b, "，计算值：%s", printed);
    if (t->is_default)
        tz_buf_printf(b, "；这是默认目标（目标任务台账未列这一目标），%s",
                      t->origin[0] ? t->origin : "由内置的默认规则设定");
    else
        tz_buf_printf(b, "；来源：%s", t->origin[0] ? t->origin : "目标任务台账");
}

/* Lists the ledger rows behind an indicator source into b. */
static void _describe_rows(tzd_ctx *c, const tzd_src *src, const tz_period *w, tz_buf *b)
{
    tz_scope sc = {src->region, src->unit};
    tz_diags tmp = TZ_DIAGS_INIT;
    _keylist k;
    memset(&k, 0, sizeof k);
    k.c = c;
    k.max = c->o->max_keys ? c->o->max_keys : DRAFT_KEYS_DEFAULT;
    /* a figure of one group (by + group): the rows of that group only */
    int rc = src->group && src->by
                 ? tz_indicator_explain_by(c->s, src->name, &sc, w, src->mode, src->by, src->group,
                                           _explain_cb, &k, &tmp)
                 : tz_indicator_explain(c->s, src->name, &sc, w, src->mode, _explain_cb, &k, &tmp);
    if (rc != 0) {
        tz_buf_printf(b, "；依据的台账记录无法列出（%s）",
                      tmp.n && tmp.items[0].reason ? tmp.items[0].reason : "未知原因");
    } else if (k.nledgers == 0) {
        tz_buf_puts(b, "；没有对应的台账记录");
    } else {
        tz_buf_puts(b, "；依据：");
        for (size_t i = 0; i < k.nledgers; i++) {
            const tz_ledger *l = tz_ledger_find(k.per[i].ledger);
            tz_buf_printf(b, "%s%s台账%zu条记录，%s", i ? "；" : "", l ? l->name : k.per[i].ledger,
                          k.per[i].n, tz_buf_str(&k.per[i].keys));
            if (k.per[i].n > k.max)
                tz_buf_printf(b, "等%zu条", k.per[i].n);
        }
    }
    tz_diags_clear(&tmp);
    _keylist_free(&k);
}

/* Writes one source's description into b: indicator, scope by name,
 * period, its value, and the rows behind it. printed: the figure as written
 * when this source alone gives it (its value is then the 计算值, with the
 * exact value beside it when the text rounds), else NULL (the value is the
 * 指标值 of one input). Returns 0 or -1 (diag added). */
static int _describe_src(tzd_ctx *c, const tzd_src *src, const char *printed, tz_buf *b)
{
    if (src->target) {
        _describe_target(c, &c->targets[src->target - 1], printed, b);
        return 0;
    }
    tz_diags tmp = TZ_DIAGS_INIT;
    double v = NAN;
    const char *unit = "";
    int have = tzd_src_value(c, src, &v, &unit, &tmp) == 0 && isfinite(v);
    tz_diags_clear(&tmp);
    tz_period p, w;
    const char *why = NULL;
    if (tz_period_parse(src->period, &p, &why) || tzd_src_window(src, &w, &why)) {
        tz_diags_error(c->d, c->tpl_name, 0, NULL, src->period, "附件:期间有误:%s", why);
        return -1;
    }
    char wbuf[96];
    /* a unit's own rows wherever they are: "责任单位市商务局", not "全部地区（市商务局）" */
    if (src->region) {
        char rname[400];
        tz_buf_printf(b, "指标“%s”，范围：%s", src->name,
                      _region_words(c, src->region, 0, rname, sizeof rname));
    } else
        tz_buf_printf(b, "指标“%s”，范围：%s", src->name, src->unit ? "责任单位" : "全部地区");
    if (src->unit)
        tz_buf_printf(b, src->region ? "（%s）" : "%s", src->unit);
    if (src->group)
        tz_buf_printf(b, "，分组：%s", src->group);
    tz_buf_printf(b, "，期间：%s",
                  src->ytd ? tzd_ytd_words(&p, wbuf, sizeof wbuf)
                           : tzd_window_words(&p, src->mode, wbuf, sizeof wbuf));
    if (printed) {
        tz_buf_printf(b, "，计算值：%s", printed);
        char exact[64];
        snprintf(exact, sizeof exact, "%.10g", v);
        if (have && !strstr(printed, exact)) { /* the text rounds it, or words it */
            tz_buf_puts(b, "（指标的精确值为");
            _value_words(b, v, unit);
            tz_buf_puts(b, "）");
        }
    } else if (have) {
        tz_buf_puts(b, "，指标值：");
        _value_words(b, v, unit);
    }
    _describe_rows(c, src, &w, b);
    return 0;
}

/* One figure's entry: "F1　“105个”：…。" */
static int _entry(tzd_ctx *c, const tzd_fig *f, tz_buf *b)
{
    tz_buf_printf(b, "%s　“%s”：", f->id, f->text);
    int single = f->nsrcs == 1 && !f->how;
    if (!single) {
        tz_buf_printf(b, "计算值：%s；算法：%s", f->text,
                      f->how ? f->how : (f->nsrcs > 1 ? "以下各项之和" : "见下"));
        if (f->nsrcs)
            tz_buf_puts(b, "；依据的数字：");
    }
    for (size_t k = 0; k < f->nsrcs; k++) {
        if (f->nsrcs > 1)
            tz_buf_printf(b, "%s（%zu）", k ? "；" : "", k + 1);
        if (_describe_src(c, &f->srcs[k], single ? f->text : NULL, b))
            return -1;
    }
    tz_buf_puts(b, "。");
    return 0;
}

static int _appendix(tzd_ctx *c)
{
    if (c->nfigs == 0)
        return 0;
    /* the template's attachments come first: their numbers are listed too */
    size_t before = tz_doc_appendix_count(c->doc);
    char where[64] = "正文";
    if (before == 1)
        snprintf(where, sizeof where, "正文和附件1");
    else if (before > 1)
        snprintf(where, sizeof where, "正文和附件1至附件%zu", before);
    tz_doc_appendix(c->doc, "数据来源");
    tz_buf intro = TZ_BUF_INIT;
    tz_buf_printf(
        &intro, "%s中每个数字的计算值（即所写的数）、指标、统计范围、期间和所依据的台账记录如下。",
        where);
    tz_doc_para(c->doc, tz_buf_str(&intro));
    tz_buf_free(&intro);
    for (size_t i = 0; i < c->nfigs; i++) {
        tz_buf b = TZ_BUF_INIT;
        if (_entry(c, &c->figs[i], &b)) {
            tz_buf_free(&b);
            return -1;
        }
        int rc = tz_doc_anchor(c->doc, c->figs[i].id, tz_buf_str(&b));
        tz_buf_free(&b);
        if (rc)
            break;
    }
    return 0;
}

/* ---- running ------------------------------------------------------------ */

static void _tpl_name(const char *path, char *out, size_t sz)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    snprintf(out, sz, "%s", base);
}

/* Fills the run context: options, limits, the period and the region.
 * Returns 0, or -1 with a diag. */
static int _ctx_init(tzd_ctx *c, tz_store *s, const tz_draft_opts *o, tz_diags *d)
{
    memset(c, 0, sizeof *c);
    c->decl.level = TZ_LEVEL_NONE;
    c->s = s;
    c->o = o;
    c->d = d;
    c->budget.limit = o->mem_limit ? o->mem_limit : DRAFT_MEM_DEFAULT;
    c->max_steps = o->max_steps ? o->max_steps : DRAFT_STEPS_DEFAULT;
    if (!o->template_path || !o->period || !o->region) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "起草汇报需要模板、地区和期间");
        return -1;
    }
    _tpl_name(o->template_path, c->tpl_name, sizeof c->tpl_name);
    const char *why = NULL;
    if (tz_period_parse(o->period, &c->period, &why)) {
        tz_diags_error(d, NULL, 0, "--period", o->period, "期间有误:%s", why);
        return -1;
    }
    if (tz_region_resolve(s, o->region, c->region, d))
        return -1;
    int found =
        tz_region_get(s, c->region, c->region_name, sizeof c->region_name, &c->region_level);
    if (found != 1) {
        tz_diags_error(d, NULL, 0, "--region", o->region, "%s",
                       found < 0 ? "查询行政区划失败" : "行政区划台账中没有这个地区");
        return -1;
    }
    return 0;
}

/* Runs the template's source in L, a new sandboxed state of c. Returns 0,
 * or -1 with the Lua error as a diag naming the template line. */
static int _run(lua_State *L, tzd_ctx *c, const char *src, size_t srclen)
{
    *(tzd_ctx **)lua_getextraspace(L) = c;
    lua_sethook(L, _hook, LUA_MASKCOUNT, DRAFT_HOOK_EVERY);
    lua_pushcfunction(L, _msgh);
    int msgh = lua_gettop(L);
    /* opening the libraries can fail only on out-of-memory: run it protected */
    lua_pushcfunction(L, _setup);
    if (lua_pcall(L, 0, 0, msgh) != LUA_OK) {
        _lua_error_diag(L, c, "准备");
        return -1;
    }
    /* a template saved by Windows Notepad starts with a UTF-8 BOM */
    size_t skip = srclen >= 3 && !memcmp(src, "\xEF\xBB\xBF", 3) ? 3 : 0;
    int st = luaL_loadbufferx(L, src + skip, srclen - skip, TZ_TEMPLATE_CHUNK, "t");
    if (st != LUA_OK) {
        c->err_line = 0;
        _lua_error_diag(L, c, st == LUA_ERRSYNTAX ? "语法" : "加载");
        return -1;
    }
    if (lua_pcall(L, 0, 0, msgh) != LUA_OK) {
        _lua_error_diag(L, c, "运行");
        return -1;
    }
    return 0;
}

/* Checks the document the template left and adds the appendix. Returns 0,
 * or -1 with a diag. */
static int _finish(tzd_ctx *c)
{
    if (!c->doc) {
        tz_diags_error(c->d, c->tpl_name, 0, NULL, NULL,
                       "模板没有调用 title() 写出汇报标题,未生成任何内容");
        return -1;
    }
    if (c->o->appendix && _appendix(c))
        return -1;
    if (tz_doc_error(c->doc)) {
        tz_diags_error(c->d, c->tpl_name, 0, NULL, NULL, "汇报文档生成失败:%s",
                       tz_doc_error(c->doc));
        return -1;
    }
    return 0;
}

void tz_draft_sources_free(tz_draft_sources *s)
{
    for (size_t i = 0; s && i < s->n; i++) {
        tz_draft_source *e = &s->items[i];
        free(e->text);
        free(e->indicator);
        free(e->region);
        free(e->unit);
        free(e->period);
        free(e->by);
        free(e->group);
        free(e->note);
        free(e->how);
    }
    if (s) {
        free(s->items);
        s->items = NULL;
        s->n = 0;
    }
}

/* A copy of s (NULL stays NULL); sets *oom when memory ran out. */
static char *_dup(const char *s, int *oom)
{
    char *r = s ? strdup(s) : NULL;
    if (s && !r)
        *oom = 1;
    return r;
}

/* Copies the figures' sources into *out. Returns 0 or -1 (memory; diag). */
static int _sources_out(tzd_ctx *c, tz_draft_sources *out)
{
    size_t n = 0;
    int oom = 0;
    for (size_t i = 0; i < c->nfigs; i++)
        n += c->figs[i].nsrcs;
    out->items = calloc(n ? n : 1, sizeof *out->items);
    out->n = 0;
    for (size_t i = 0; out->items && i < c->nfigs; i++)
        for (size_t k = 0; k < c->figs[i].nsrcs; k++) {
            const tzd_src *src = &c->figs[i].srcs[k];
            tz_draft_source *e = &out->items[out->n++];
            snprintf(e->id, sizeof e->id, "%s", c->figs[i].id);
            e->text = _dup(c->figs[i].text, &oom);
            e->indicator = _dup(src->name, &oom);
            e->region = _dup(src->region, &oom);
            e->unit = _dup(src->unit, &oom);
            e->period = _dup(src->period, &oom);
            e->mode = src->mode;
            e->by = _dup(src->by, &oom);
            e->group = _dup(src->group, &oom);
            e->ytd = src->ytd;
            e->target = src->target != 0;
            e->how = _dup(c->figs[i].how, &oom);
            if (src->target) {
                tz_buf b = TZ_BUF_INIT;
                _describe_target(c, &c->targets[src->target - 1], NULL, &b);
                e->note = _dup(tz_buf_str(&b), &oom);
                tz_buf_free(&b);
            }
        }
    if (!out->items || oom) {
        tz_draft_sources_free(out);
        tz_diags_error(c->d, c->tpl_name, 0, NULL, NULL, "内存不足,无法列出数字的来源");
        return -1;
    }
    return 0;
}

int tz_draft_report(tz_store *s, const tz_draft_opts *o, tz_doc **out, tz_draft_stats *stats,
                    tz_diags *d)
{
    int rc = -1;
    lua_State *L = NULL;
    char *src = NULL;
    size_t srclen = 0;
    tzd_ctx c;
    *out = NULL;
    int snap = tz_metrics_snapshot(s); /* every figure of the report from one state */
    if (_ctx_init(&c, s, o, d))
        goto done;
    if (tz_template_load_text(o->template_path, &src, &srclen, d))
        goto done;
    L = lua_newstate(tz_lua_budget_alloc, &c.budget);
    if (!L) {
        tz_diags_error(d, c.tpl_name, 0, NULL, NULL, "无法创建模板运行环境(内存不足)");
        goto done;
    }
    if (_run(L, &c, src, srclen) || _finish(&c) || (o->sources && _sources_out(&c, o->sources)))
        goto done;
    if (stats) {
        stats->figures = c.nfigs;
        stats->blocks = c.doc->n;
    }
    *out = c.doc;
    c.doc = NULL;
    rc = 0;
done:
    if (L)
        lua_close(L);
    if (snap == 1)
        tz_store_read_end(s);
    _release_all(&c);
    _figs_free(&c);
    tz_template_clear(&c.decl);
    tz_doc_free(c.doc);
    free(src);
    return rc;
}
