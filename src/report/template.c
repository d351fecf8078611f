/* template.c - reading what a report template declares (report{...}),
 * listing the kinds of a templates directory, and checking a region and a
 * unit against a declared scope. See template.h. */
#include "report/template.h"
#include "metrics/metrics.h"
#include <dirent.h>
#include <errno.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TPL_FILE_MAX ((long)4 << 20)    /* largest template file */
#define TPL_DECL_MEM ((size_t)16 << 20) /* memory of the declaration run */
#define TPL_DECL_STEPS 10000000LL       /* instructions before the declaration */
#define TPL_HOOK_EVERY 10000            /* instructions between hook calls */
#define TPL_MAX_LIST 1000               /* indicators or facts per template */

/* ---- the file ------------------------------------------------------------ */

int tz_template_load_text(const char *path, char **out, size_t *len, tz_diags *d)
{
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    int rc = -1;
    char *buf = NULL;
    long n = -1;
    *out = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        tz_diags_error(d, name, 0, NULL, NULL, "找不到或无法读取汇报模板文件 %s:%s", path,
                       tz_errno_text(errno, 0));
        return -1;
    }
    if (fseek(fp, 0, SEEK_END) == 0)
        n = ftell(fp);
    if (n < 0 || fseek(fp, 0, SEEK_SET) != 0) {
        tz_diags_error(d, name, 0, NULL, NULL, "无法读取汇报模板文件 %s:%s", path,
                       tz_errno_text(errno, 0));
        goto done;
    }
    if (n > TPL_FILE_MAX) {
        tz_diags_error(d, name, 0, NULL, NULL,
                       "汇报模板文件 %s 过大(%ld字节,上限%ld字节),请确认指定的是模板文件", path, n,
                       TPL_FILE_MAX);
        goto done;
    }
    if (!(buf = malloc((size_t)n + 1))) {
        tz_diags_error(d, name, 0, NULL, NULL, "读取汇报模板文件 %s 时内存不足", path);
        goto done;
    }
    if (fread(buf, 1, (size_t)n, fp) != (size_t)n) {
        tz_diags_error(d, name, 0, NULL, NULL, "读取汇报模板文件 %s 失败:%s", path,
                       tz_errno_text(ferror(fp) && errno ? errno : EIO, 0));
        goto done;
    }
    buf[n] = '\0';
    *len = (size_t)n;
    *out = buf;
    buf = NULL;
    rc = 0;
done:
    free(buf);
    (void)fclose(fp); /* read only: a failed close loses nothing */
    return rc;
}

const char *tz_template_path(const char *dir, const char *kind, char *buf, size_t sz)
{
    size_t n = kind ? strlen(kind) : 0;
    if (n == 0 || n > 40 || !dir)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char ch = kind[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '-' || ch == '_'))
            return NULL;
    }
    int w = snprintf(buf, sz, "%s/%s.lua", dir, kind);
    return (w < 0 || (size_t)w >= sz) ? NULL : buf;
}

/* ---- the declaration table ---------------------------------------------- */

void tz_template_clear(tz_template *t)
{
    if (!t)
        return;
    free(t->path);
    free(t->kind);
    free(t->title);
    free(t->unit);
    for (size_t i = 0; i < t->nindicators; i++)
        free(t->indicators[i]);
    free(t->indicators);
    for (size_t i = 0; i < t->nfacts; i++) {
        free(t->facts[i].label);
        free(t->facts[i].indicator);
        free(t->facts[i].years_where);
    }
    free(t->facts);
    memset(t, 0, sizeof *t);
    t->level = TZ_LEVEL_NONE;
}

void tz_template_free(tz_template *t)
{
    tz_template_clear(t);
    free(t);
}

/* The string field k of the table at idx (raw access: no metamethod runs)
 * copied into *out; absent leaves *out NULL. Returns 0, or -1 with why. */
static int _field_dup(lua_State *L, int idx, const char *k, int required, char **out,
                      const char *where, char *why, size_t whysz)
{
    lua_pushstring(L, k);
    int ty = lua_rawget(L, idx);
    int rc = 0;
    if (ty == LUA_TSTRING) {
        size_t n;
        const char *v = lua_tolstring(L, -1, &n);
        if (n == 0 || n > 400 || strlen(v) != n) {
            snprintf(why, whysz, "%s的 %s 应为1到400字节的文字", where, k);
            rc = -1;
        } else if (!(*out = strdup(v))) {
            snprintf(why, whysz, "内存不足");
            rc = -1;
        }
    } else if (ty != LUA_TNIL || required) {
        snprintf(why, whysz, "%s%s %s", where, ty == LUA_TNIL ? "缺少" : "的", k);
        if (ty != LUA_TNIL)
            snprintf(why + strlen(why), whysz - strlen(why), " 应为字符串,实际是 %s",
                     lua_typename(L, ty));
        rc = -1;
    }
    lua_pop(L, 1);
    return rc;
}

/* Checks an indicator name against metrics/. Returns 0, or -1 with why. */
static int _known_indicator(const char *name, const char *where, char *why, size_t whysz)
{
    if (tz_indicator_find(name))
        return 0;
    snprintf(why, whysz, "%s的指标“%s”不存在(taizhang indicators 列出全部指标)", where, name);
    return -1;
}

/* Pushes the list field k of the table at idx; returns its length, or -1
 * with why (popped then) when it is not a list of at most TPL_MAX_LIST. */
static long _push_list(lua_State *L, int idx, const char *k, char *why, size_t whysz)
{
    lua_pushstring(L, k);
    if (lua_rawget(L, idx) != LUA_TTABLE) {
        snprintf(why, whysz, "声明 report{...} 缺少 %s 表", k);
        lua_pop(L, 1);
        return -1;
    }
    lua_Unsigned n = lua_rawlen(L, -1);
    if (n > TPL_MAX_LIST) {
        snprintf(why, whysz, "声明中的 %s 超过%d项", k, TPL_MAX_LIST);
        lua_pop(L, 1);
        return -1;
    }
    return (long)n;
}

/* The column of the units ledger, or NULL. */
static const tz_column *_units_col(const char *name)
{
    const tz_ledger *l = tz_ledger_find("units");
    int i = l ? tz_ledger_col(l, name) : -1;
    return i >= 0 ? &l->cols[i] : NULL;
}

/* 1 when kind is one of the units ledger's 单位类型. */
static int _unit_kind_known(const char *kind)
{
    const tz_column *col = _units_col("单位类型");
    for (const char *const *c = col ? col->choices : NULL; c && *c; c++)
        if (!strcmp(*c, kind))
            return 1;
    return 0;
}

static int _read_scope(lua_State *L, int idx, tz_template *t, char *why, size_t whysz)
{
    lua_pushstring(L, "scope");
    int ty = lua_rawget(L, idx);
    int rc = 0;
    char *level = NULL;
    if (ty == LUA_TNIL) {
        lua_pop(L, 1);
        return 0; /* any region, no unit */
    }
    if (ty != LUA_TTABLE) {
        snprintf(why, whysz, "声明中的 scope 应为表,如 { level = \"县\", unit = \"县直单位\" }");
        lua_pop(L, 1);
        return -1;
    }
    int sc = lua_gettop(L);
    if (_field_dup(L, sc, "level", 0, &level, "scope ", why, whysz) ||
        _field_dup(L, sc, "unit", 0, &t->unit, "scope ", why, whysz)) {
        rc = -1;
    } else if (level && (t->level = tz_level_parse(level)) == TZ_LEVEL_NONE) {
        snprintf(why, whysz, "scope 的 level “%s”有误,应为 省、市、县、乡 或 村", level);
        rc = -1;
    } else if (t->unit && !_unit_kind_known(t->unit)) {
        snprintf(why, whysz, "scope 的 unit “%s”不是责任单位台账的单位类型", t->unit);
        rc = -1;
    }
    free(level);
    lua_pop(L, 1);
    return rc;
}

static int _read_indicators(lua_State *L, int idx, tz_template *t, char *why, size_t whysz)
{
    long n = _push_list(L, idx, "indicators", why, whysz);
    if (n < 0)
        return -1;
    int rc = 0;
    if (n && !(t->indicators = calloc((size_t)n, sizeof *t->indicators))) {
        snprintf(why, whysz, "内存不足");
        rc = -1;
    }
    for (long i = 1; i <= n && !rc; i++) {
        int ty = lua_rawgeti(L, -1, i);
        if (ty != LUA_TSTRING) {
            snprintf(why, whysz, "indicators 的第%ld项应为指标名(字符串)", i);
            rc = -1;
        } else if (!(t->indicators[t->nindicators] = strdup(lua_tostring(L, -1)))) {
            snprintf(why, whysz, "内存不足");
            rc = -1;
        } else {
            rc = _known_indicator(t->indicators[t->nindicators++], "indicators 中", why, whysz);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return rc;
}

/* Reads one fact (the table on top of the stack). Returns 0 or -1 with why. */
static int _read_fact(lua_State *L, long i, tz_template_fact *f, char *why, size_t whysz)
{
    int ft = lua_gettop(L);
    char where[64], *window = NULL;
    snprintf(where, sizeof where, "facts 的第%ld项", i);
    int rc = -1;
    if (_field_dup(L, ft, "label", 1, &f->label, where, why, whysz) ||
        _field_dup(L, ft, "indicator", 1, &f->indicator, where, why, whysz) ||
        _field_dup(L, ft, "window", 0, &window, where, why, whysz) ||
        _field_dup(L, ft, "years_where", 0, &f->years_where, where, why, whysz) ||
        _known_indicator(f->indicator, where, why, whysz) ||
        (f->years_where && _known_indicator(f->years_where, where, why, whysz)))
        goto done;
    if (window && strcmp(window, "todate") != 0 && strcmp(window, "ytd") != 0) {
        snprintf(why, whysz, "%s的 window 应为 \"todate\" 或 \"ytd\",而不是“%s”", where, window);
        goto done;
    }
    f->window = window && !strcmp(window, "ytd") ? TZ_FACT_YTD : TZ_FACT_TODATE;
    if (f->years_where && !strstr(f->label, "{years}")) {
        snprintf(why, whysz, "%s有 years_where,其 label 应含 {years}", where);
        goto done;
    }
    rc = 0;
done:
    free(window);
    return rc;
}

static int _read_facts(lua_State *L, int idx, tz_template *t, char *why, size_t whysz)
{
    lua_pushstring(L, "facts");
    int ty = lua_rawget(L, idx);
    lua_pop(L, 1);
    if (ty == LUA_TNIL)
        return 0;
    long n = _push_list(L, idx, "facts", why, whysz);
    if (n < 0)
        return -1;
    int rc = 0;
    if (n && !(t->facts = calloc((size_t)n, sizeof *t->facts))) {
        snprintf(why, whysz, "内存不足");
        rc = -1;
    }
    for (long i = 1; i <= n && !rc; i++) {
        if (lua_rawgeti(L, -1, i) != LUA_TTABLE) {
            snprintf(why, whysz, "facts 的第%ld项应为表 { label = …, indicator = … }", i);
            rc = -1;
        } else {
            rc = _read_fact(L, i, &t->facts[t->nfacts++], why, whysz);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return rc;
}

int tz_template_from_lua(lua_State *L, int idx, tz_template *t, char *why, size_t whysz)
{
    idx = lua_absindex(L, idx);
    t->level = TZ_LEVEL_NONE;
    if (lua_type(L, idx) != LUA_TTABLE) {
        snprintf(why, whysz, "report{...} 的参数应为表");
        return -1;
    }
    if (_field_dup(L, idx, "kind", 1, &t->kind, "声明 report{...} ", why, whysz) ||
        _field_dup(L, idx, "title", 1, &t->title, "声明 report{...} ", why, whysz))
        return -1;
    size_t klen = strlen(t->kind);
    int bad = klen > 40;
    for (const char *k = t->kind; *k; k++)
        if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || (*k >= '0' && *k <= '9') ||
              *k == '-' || *k == '_'))
            bad = 1;
    if (bad) {
        snprintf(why, whysz, "kind “%s”应为1到40个字母、数字、- 或 _", t->kind);
        return -1;
    }
    if (_read_scope(L, idx, t, why, whysz) || _read_indicators(L, idx, t, why, whysz) ||
        _read_facts(L, idx, t, why, whysz))
        return -1;
    return 0;
}

int tz_template_uses(const tz_template *t, const char *indicator)
{
    for (size_t i = 0; i < t->nindicators; i++)
        if (!strcmp(t->indicators[i], indicator))
            return 1;
    return 0;
}

/* ---- reading a declaration without running the template ----------------- */

/* The state of a declaration run. */
typedef struct tpl_reader {
    tz_template *t;       /* the declaration, once report{...} ran */
    int outcome;          /* 0 nothing declared yet, 1 declared, -1 malformed */
    char why[400];        /* the reason when malformed */
    tz_lua_budget budget; /* the Lua state's memory */
    long long steps;      /* instructions run */
} tpl_reader;

static char _stop; /* error object that ends the run at the declaration */

void *tz_lua_budget_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    tz_lua_budget *b = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        b->mem -= old;
        return NULL;
    }
    if (nsize > old && b->mem + (nsize - old) > b->limit)
        return NULL;
    void *np = realloc(ptr, nsize);
    if (np)
        b->mem = b->mem - old + nsize;
    return np;
}

static void _reader_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    tpl_reader *r = *(tpl_reader **)lua_getextraspace(L);
    r->steps += TPL_HOOK_EVERY;
    if (r->steps > TPL_DECL_STEPS)
        luaL_error(L, "模板在声明 report{...} 之前运行过久");
}

/* report{...} in a declaration run: keeps the table and stops the run. */
static int _l_declare_stop(lua_State *L)
{
    tpl_reader *r = *(tpl_reader **)lua_getextraspace(L);
    if (r->outcome == 0)
        r->outcome = tz_template_from_lua(L, 1, r->t, r->why, sizeof r->why) ? -1 : 1;
    lua_pushlightuserdata(L, &_stop);
    return lua_error(L);
}

/* Runs src in a state with no library and the global report only. Returns
 * the reader's outcome; why gets the Lua error when nothing was declared. */
static int _run_declaration(const char *src, size_t len, tpl_reader *r, char *why, size_t whysz)
{
    r->budget.limit = TPL_DECL_MEM;
    lua_State *L = lua_newstate(tz_lua_budget_alloc, &r->budget);
    if (!L) {
        snprintf(r->why, sizeof r->why, "内存不足");
        return -1;
    }
    *(tpl_reader **)lua_getextraspace(L) = r;
    lua_sethook(L, _reader_hook, LUA_MASKCOUNT, TPL_HOOK_EVERY);
    lua_pushcfunction(L, _l_declare_stop);
    lua_setglobal(L, "report");
    size_t skip = len >= 3 && !memcmp(src, "\xEF\xBB\xBF", 3) ? 3 : 0;
    int st = luaL_loadbufferx(L, src + skip, len - skip, TZ_TEMPLATE_CHUNK, "t");
    if (st == LUA_OK)
        st = lua_pcall(L, 0, 0, 0);
    if (st != LUA_OK && r->outcome == 0 && why)
        snprintf(why, whysz, "%s",
                 lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
                                                : "开头没有 report{...} 声明");
    else if (r->outcome == 0 && why)
        snprintf(why, whysz,
                 "文件开头应为 local R = report { kind = \"文件名\", title = \"标题\", "
                 "scope = {...}, indicators = {...} }");
    lua_close(L);
    return r->outcome;
}

int tz_template_read(const char *path, tz_template **out, char *why, size_t whysz, tz_diags *d)
{
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    char *src = NULL;
    size_t len = 0;
    tpl_reader r;
    memset(&r, 0, sizeof r);
    *out = NULL;
    if (why && whysz)
        why[0] = '\0';
    if (tz_template_load_text(path, &src, &len, d))
        return -1;
    int rc = -1;
    if (!(r.t = calloc(1, sizeof *r.t))) {
        tz_diags_error(d, name, 0, NULL, NULL, "内存不足");
        goto done;
    }
    r.t->level = TZ_LEVEL_NONE;
    rc = _run_declaration(src, len, &r, why, whysz);
    if (rc < 0) {
        tz_diags_error(d, name, 0, NULL, NULL, "模板的声明有误:%s", r.why);
    } else if (rc == 1 && !(r.t->path = strdup(path))) {
        tz_diags_error(d, name, 0, NULL, NULL, "内存不足");
        rc = -1;
    }
    if (rc == 1) {
        *out = r.t;
        r.t = NULL;
    }
done:
    tz_template_free(r.t);
    free(src);
    return rc;
}

/* ---- a directory of templates -------------------------------------------- */

static int _cmp_kind(const void *a, const void *b)
{
    return strcmp((*(tz_template *const *)a)->kind, (*(tz_template *const *)b)->kind);
}

void tz_templates_free(tz_template **list, size_t n)
{
    for (size_t i = 0; list && i < n; i++)
        tz_template_free(list[i]);
    free(list);
}

/* Reads one file of the directory into the list, or warns why it is left
 * out. Returns 0, or -1 on out-of-memory. */
static int _list_one(const char *dir, const char *file, tz_template ***list, size_t *n, size_t *cap,
                     tz_diags *d)
{
    char path[4096], why[400];
    if (snprintf(path, sizeof path, "%s/%s", dir, file) >= (int)sizeof path)
        return 0;
    tz_diags tmp = TZ_DIAGS_INIT;
    tz_template *t = NULL;
    int rc = tz_template_read(path, &t, why, sizeof why, &tmp);
    size_t flen = strlen(file) - 4;
    /* rc 1 comes with t set (tz_template_read); the kind must be the file's
     * name without ".lua" */
    const char *kind = rc == 1 && t ? t->kind : NULL;
    int named = kind && strlen(kind) == flen && strncmp(kind, file, flen) == 0;
    if (rc < 0)
        tz_diags_warn(d, file, 0, NULL, NULL, "未列为汇报种类:%s",
                      tmp.n && tmp.items[0].reason ? tmp.items[0].reason : "无法读取");
    else if (rc == 0)
        tz_diags_warn(d, file, 0, NULL, NULL, "未列为汇报种类:开头没有 report{...} 声明(%s)", why);
    else if (!named)
        tz_diags_warn(d, file, 0, NULL, NULL, "未列为汇报种类:声明的 kind “%s”与文件名不符",
                      kind ? kind : "");
    tz_diags_clear(&tmp);
    if (!named) {
        tz_template_free(t);
        return 0;
    }
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        tz_template **nl = realloc(*list, ncap * sizeof(tz_template *));
        if (!nl) {
            tz_template_free(t);
            return -1;
        }
        *list = nl;
        *cap = ncap;
    }
    (*list)[(*n)++] = t;
    return 0;
}

int tz_templates_list(const char *dir, tz_template ***out, size_t *n, tz_diags *d)
{
    *out = NULL;
    *n = 0;
    DIR *dp = opendir(dir);
    if (!dp) {
        tz_diags_error(d, dir, 0, NULL, NULL, "无法读取模板目录 %s:%s", dir,
                       tz_errno_text(errno, 0));
        return -1;
    }
    tz_template **list = NULL;
    size_t cnt = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL && rc == 0) {
        size_t len = strlen(e->d_name);
        if (len <= 4 || e->d_name[0] == '.' || strcmp(e->d_name + len - 4, ".lua") != 0)
            continue;
        rc = _list_one(dir, e->d_name, &list, &cnt, &cap, d);
    }
    closedir(dp);
    if (rc) {
        tz_diags_error(d, dir, 0, NULL, NULL, "内存不足");
        tz_templates_free(list, cnt);
        return -1;
    }
    if (cnt)
        qsort(list, cnt, sizeof(tz_template *), _cmp_kind);
    *out = list;
    *n = cnt;
    return 0;
}

/* ---- scope --------------------------------------------------------------- */

/* The one unit row looked up. */
typedef struct tpl_unit_row {
    int kind_col;    /* index of 单位类型 */
    int region_col;  /* index of 所属区划代码 */
    int found;       /* 1 once the row was seen */
    char kind[64];   /* its 单位类型 */
    char region[16]; /* its region code */
} tpl_unit_row;

static int _unit_cb(void *ctx, const char *const *cells, size_t n)
{
    tpl_unit_row *u = ctx;
    u->found = 1;
    snprintf(u->kind, sizeof u->kind, "%s",
             u->kind_col >= 0 && (size_t)u->kind_col < n && cells[u->kind_col] ? cells[u->kind_col]
                                                                               : "");
    snprintf(u->region, sizeof u->region, "%s",
             u->region_col >= 0 && (size_t)u->region_col < n && cells[u->region_col]
                 ? cells[u->region_col]
                 : "");
    return 1;
}

int tz_template_check_scope(tz_store *s, const tz_template *t, const char *code, const char *unit,
                            char *why, size_t whysz, tz_diags *d)
{
    char name[128];
    tz_level lv = TZ_LEVEL_NONE;
    if (tz_region_get(s, code, name, sizeof name, &lv) < 0) {
        tz_diags_error(d, NULL, 0, "--region", code, "查询行政区划失败");
        return -1;
    }
    if (t->level != TZ_LEVEL_NONE && lv != t->level) {
        snprintf(why, whysz, "%s按%s汇报,%s是%s级区划,请指定%s级区划", t->title,
                 tz_level_word(t->level), name, tz_level_word(lv), tz_level_word(t->level));
        return 1;
    }
    if (!t->unit)
        return 0;
    if (!unit) {
        snprintf(why, whysz, "%s需要 --unit 指定汇报单位(%s)", t->title, t->unit);
        return 1;
    }
    const tz_ledger *l = tz_ledger_find("units");
    if (!l) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "没有责任单位台账");
        return -1;
    }
    tpl_unit_row u = {tz_ledger_col(l, "单位类型"), tz_ledger_col(l, "所属区划代码"), 0, "", ""};
    tz_filter f = {"单位名称", unit};
    if (tz_ledger_select(s, l, &f, 1, NULL, _unit_cb, &u, d))
        return -1;
    if (!u.found) {
        snprintf(why, whysz, "责任单位台账中没有单位 \"%s\"", unit);
        return 1;
    }
    if (strcmp(u.region, code) != 0) {
        snprintf(why, whysz, "单位 \"%s\" 不属于%s(所属区划代码为%s)", unit, name,
                 u.region[0] ? u.region : "空");
        return 1;
    }
    if (strcmp(u.kind, t->unit) != 0) {
        snprintf(why, whysz, "%s由%s汇报,单位 \"%s\" 是%s", t->title, t->unit, unit,
                 u.kind[0] ? u.kind : "未填类型的单位");
        return 1;
    }
    return 0;
}
