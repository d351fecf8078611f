/* national.c - the national poverty information system's person-level
 * household export (全国扶贫开发信息系统, 贫困人口明细) turned into household
 * rows (issue 10, item 8).
 *
 * Owns: recognising the export by its header (户编号, 与户主关系, 姓名, 证件号码),
 * collecting its person rows (one per family member; the persons of a
 * household need not be next to each other), and making one households
 * row per 户编号 in the households ledger's contract column order: the 户主
 * row's 姓名 and 证件号码, 家庭人口 from 人数 or the count of persons, 所在村代码
 * as the path of names "县/乡(镇)/行政村" (resolved later by store/names.c),
 * the household's other columns from the 户主 row as written (value aliases
 * apply later, in validate.c). docs/import.md (全国系统导出的人员名单) gives the
 * mapping column by column.
 *
 * Does not own: finding the header row or skipping title and footer rows
 * (table.c), validating values or resolving names (validate.c, names.c),
 * writing (store/ingest.c). Pure: no database.
 */
#include "io/reader.h"
#include "ledger/ledger.h"
#include "util/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The export's columns this file reads. */
typedef enum _nfield {
    NF_HH = 0,    /* 户编号 */
    NF_NAME,      /* 姓名 */
    NF_ID,        /* 证件号码 */
    NF_REL,       /* 与户主关系 */
    NF_COUNT,     /* 人数 */
    NF_COUNTY,    /* 县 */
    NF_TOWN,      /* 乡(镇) */
    NF_VILLAGE,   /* 行政村 */
    NF_KIND,      /* 贫困户属性 */
    NF_CAUSE,     /* 主要致贫原因 */
    NF_YEAR,      /* 识别年度 */
    NF_EXIT,      /* 脱贫年度 */
    NF_EXIT_ATTR, /* 脱贫属性 ("2018年已脱贫", "未脱贫") */
    NF_INCOME,    /* 人均纯收入 */
    NF_EDU,       /* 义务教育保障 */
    NF_MED,       /* 基本医疗保障 */
    NF_HOUSE,     /* 住房安全保障 */
    NF_WATER,     /* 饮水安全保障 */
    NF_HELPER,    /* 帮扶责任人 */
    NF_COUNT_OF
} _nfield;

/* One export column: the header forms it is known by (normalised: NFKC,
 * no whitespace), and the households column it fills (NULL: none
 * directly). */
typedef struct _nspec {
    const char *names[6]; /* header forms, NULL-terminated */
    const char *to;       /* households contract column, or NULL */
} _nspec;

static const _nspec _specs[NF_COUNT_OF] = {
    [NF_HH] = {{"户编号", "户编码", NULL}, "户编号"},
    [NF_NAME] = {{"姓名", "成员姓名", NULL}, "户主姓名"},
    [NF_ID] = {{"证件号码", "身份证号码", "身份证号", "公民身份号码", NULL}, "户主身份证号"},
    [NF_REL] = {{"与户主关系", NULL}, NULL},
    [NF_COUNT] = {{"人数", "家庭人口", "家庭人口数", "家庭人数", NULL}, "家庭人口"},
    [NF_COUNTY] = {{"县", "县(市、区)", "县(区)", "县(市)", "县区", NULL}, NULL},
    [NF_TOWN] = {{"乡(镇)", "乡镇", "乡", "乡(镇、街道)", "乡镇(街道)", NULL}, NULL},
    [NF_VILLAGE] = {{"行政村", "村", NULL}, NULL},
    [NF_KIND] = {{"贫困户属性", NULL}, "贫困户属性"},
    [NF_CAUSE] = {{"主要致贫原因", "致贫原因", NULL}, "主要致贫原因"},
    [NF_YEAR] = {{"识别年度", "识别标准年度", "识别年份", NULL}, "识别年度"},
    [NF_EXIT] = {{"脱贫年度", "脱贫年份", "计划脱贫年度", NULL}, "脱贫年度"},
    [NF_EXIT_ATTR] = {{"脱贫属性", NULL}, NULL},
    [NF_INCOME] = {{"人均纯收入", "人均纯收入(元)", "家庭人均纯收入", "家庭年人均纯收入", NULL},
                   "人均纯收入(元)"},
    [NF_EDU] = {{"义务教育保障", "义务教育有保障", "是否义务教育有保障", NULL}, "义务教育保障"},
    [NF_MED] = {{"基本医疗保障", "基本医疗有保障", "是否基本医疗有保障", NULL}, "基本医疗保障"},
    [NF_HOUSE] = {{"住房安全保障", "住房安全有保障", "是否住房安全有保障", NULL}, "住房安全保障"},
    [NF_WATER] = {{"饮水安全保障", "饮水安全有保障", "是否饮水安全有保障", "饮水安全", NULL},
                  "饮水安全保障"},
    [NF_HELPER] = {{"帮扶责任人", "帮扶责任人姓名", "帮扶人", NULL}, "帮扶责任人"},
};

/* What 与户主关系 says for the head of the household (normalised). */
static const char *const _heads[] = {"户主", "本人", "本人(户主)", "户主本人", "户主(本人)", NULL};

/* One household being collected. */
typedef struct _nhh {
    char *id;       /* 户编号 as written (trimmed) */
    long first_row; /* the file row of its first person */
    long head_row;  /* the file row of its 户主, or 0 */
    size_t persons; /* person rows read */
    char *count;    /* 人数 as first written (trimmed), or NULL */
    long count_row; /* the row it was written on */
    char **cells;   /* the 户主 row's values per households column, or NULL */
} _nhh;

struct tz_national {
    const tz_ledger *l;       /* the households ledger */
    char *file;               /* the file's name for diagnostics */
    int col[NF_COUNT_OF];     /* per field: the export's column, or -1 */
    const char **hdr;         /* per households column: its name when carried, or NULL */
    _nhh *hh;                 /* households in order of their first person */
    size_t nhh;               /* count */
    size_t cap;               /* allocated */
    int *bucket;              /* open-addressed hash of hh by id: index, or -1 */
    size_t nbucket;           /* bucket count (a power of two) */
    size_t persons;           /* person rows read */
    const char *const **rows; /* after finish: the rows made, in order */
    long *rownos;             /* and their 户主 rows */
    size_t nrows;             /* rows made */
};

/* The normalised form of s (NFKC, whitespace and hidden characters
 * removed), into out (truncated to sz). Returns out. */
static char *_nx_norm(const char *s, char *out, size_t sz)
{
    out[0] = '\0';
    if (!s)
        return out;
    size_t len = 0;
    char *n = tz_text_nfkc(s, strlen(s), &len);
    if (!n) {
        snprintf(out, sz, "%s", s);
        return out;
    }
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        long cp;
        size_t k = tz_utf8_next(n + i, &cp);
        int space = cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0x3000 || cp == 0xA0 ||
                    tz_char_hidden(cp);
        if (!space && o + k < sz) {
            memcpy(out + o, n + i, k);
            o += k;
        }
        i += k;
    }
    out[o] = '\0';
    free(n);
    return out;
}

/* The field a header cell names, or -1. */
static int _nx_field(const char *cell)
{
    char key[128];
    _nx_norm(cell, key, sizeof key);
    for (int f = 0; f < NF_COUNT_OF; f++)
        for (const char *const *p = _specs[f].names; *p; p++)
            if (strcmp(key, *p) == 0)
                return f;
    return -1;
}

/* Fills col[] from the header: the first column naming each field. */
static void _nx_columns(const char *const *cells, size_t n, int col[NF_COUNT_OF])
{
    for (int f = 0; f < NF_COUNT_OF; f++)
        col[f] = -1;
    for (size_t i = 0; i < n; i++) {
        int f = _nx_field(cells[i]);
        if (f >= 0 && col[f] < 0)
            col[f] = (int)i;
    }
}

int tz_national_detect(const char *const *cells, size_t n)
{
    int col[NF_COUNT_OF];
    _nx_columns(cells, n, col);
    return col[NF_HH] >= 0 && col[NF_REL] >= 0 && col[NF_NAME] >= 0 && col[NF_ID] >= 0;
}

void tz_national_free(tz_national *nx)
{
    if (!nx)
        return;
    for (size_t i = 0; i < nx->nhh; i++) {
        _nhh *h = &nx->hh[i];
        if (h->cells)
            for (size_t c = 0; c < nx->l->ncols; c++)
                free(h->cells[c]);
        free(h->cells);
        free(h->id);
        free(h->count);
    }
    free(nx->hh);
    free(nx->bucket);
    free(nx->hdr);
    free(nx->rows);
    free(nx->rownos);
    free(nx->file);
    free(nx);
}

int tz_national_begin(const char *const *hdr, size_t n, const char *file, tz_national **out,
                      tz_diags *d)
{
    *out = NULL;
    int rc = -1;
    tz_national *nx = calloc(1, sizeof *nx);
    if (!nx)
        goto oom;
    nx->l = tz_ledger_find("households");
    nx->file = strdup(file ? file : "");
    nx->nbucket = 1024;
    nx->bucket = malloc(nx->nbucket * sizeof *nx->bucket);
    nx->hdr = nx->l ? calloc(nx->l->ncols, sizeof *nx->hdr) : NULL;
    if (!nx->file || !nx->bucket || !nx->hdr)
        goto oom;
    for (size_t i = 0; i < nx->nbucket; i++)
        nx->bucket[i] = -1;
    _nx_columns(hdr, n, nx->col);
    if (!tz_national_detect(hdr, n)) {
        tz_diags_error(d, file, 0, NULL, NULL,
                       "不是全国扶贫开发信息系统导出的人员名单:表头需要户编号、姓名、证件号码、"
                       "与户主关系四列");
        goto done;
    }
    for (int f = 0; f < NF_COUNT_OF; f++) {
        const char *to = _specs[f].to;
        int carried = nx->col[f] >= 0 || f == NF_COUNT;
        if (f == NF_EXIT)
            carried = carried || nx->col[NF_EXIT_ATTR] >= 0;
        int c = to ? tz_ledger_col(nx->l, to) : -1;
        if (c >= 0 && carried)
            nx->hdr[c] = nx->l->cols[c].name;
    }
    if (nx->col[NF_COUNTY] >= 0 || nx->col[NF_TOWN] >= 0 || nx->col[NF_VILLAGE] >= 0) {
        int c = tz_ledger_col(nx->l, "所在村代码");
        nx->hdr[c] = nx->l->cols[c].name;
    }
    *out = nx;
    nx = NULL;
    rc = 0;
    goto done;
oom:
    tz_diags_error(d, file, 0, NULL, NULL, "内存不足");
done:
    tz_national_free(nx);
    return rc;
}

/* The cell of field f in a row, trimmed into a new string ("" when the
 * column is absent or the row too short); NULL when out of memory. */
static char *_nx_cell(const tz_national *nx, const char *const *cells, size_t n, int f)
{
    int c = nx->col[f];
    const char *s = c >= 0 && (size_t)c < n && cells[c] ? cells[c] : "";
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t len = strlen(s);
    while (len &&
           (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' || s[len - 1] == '\n'))
        len--;
    return strndup(s, len);
}

/* FNV-1a of a string. */
static size_t _nx_hash(const char *s)
{
    size_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Puts household i into the hash; grows it past half full. Returns 0 or -1. */
static int _nx_index(tz_national *nx, size_t i)
{
    if (2 * (nx->nhh + 1) > nx->nbucket) {
        size_t nb = 2 * nx->nbucket;
        int *b = malloc(nb * sizeof *b);
        if (!b)
            return -1;
        for (size_t k = 0; k < nb; k++)
            b[k] = -1;
        free(nx->bucket);
        nx->bucket = b;
        nx->nbucket = nb;
        for (size_t k = 0; k < nx->nhh; k++)
            if (k != i && _nx_index(nx, k))
                return -1;
    }
    size_t p = _nx_hash(nx->hh[i].id) & (nx->nbucket - 1);
    while (nx->bucket[p] >= 0)
        p = (p + 1) & (nx->nbucket - 1);
    nx->bucket[p] = (int)i;
    return 0;
}

/* The household with this 户编号, made when new (taking id). NULL when out
 * of memory (id freed). */
static _nhh *_nx_household(tz_national *nx, char *id, long rowno)
{
    for (size_t p = _nx_hash(id) & (nx->nbucket - 1); nx->bucket[p] >= 0;
         p = (p + 1) & (nx->nbucket - 1))
        if (strcmp(nx->hh[nx->bucket[p]].id, id) == 0) {
            free(id);
            return &nx->hh[nx->bucket[p]];
        }
    if (nx->nhh == nx->cap) {
        size_t nc = nx->cap ? 2 * nx->cap : 256;
        _nhh *nh = realloc(nx->hh, nc * sizeof *nh);
        if (!nh) {
            free(id);
            return NULL;
        }
        nx->hh = nh;
        nx->cap = nc;
    }
    _nhh *h = &nx->hh[nx->nhh];
    memset(h, 0, sizeof *h);
    h->id = id;
    h->first_row = rowno;
    nx->nhh++;
    if (_nx_index(nx, nx->nhh - 1))
        return NULL; /* the household stays, freed with nx */
    return h;
}

/* 1 when every cell of the row is empty or blank. */
static int _nx_blank(const char *const *cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (const char *p = cells[i]; p && *p; p++)
            if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
                return 0;
    return 1;
}

/* 1 when 与户主关系 (as written) says the person is the head. */
static int _nx_is_head(const char *rel)
{
    char key[64];
    _nx_norm(rel, key, sizeof key);
    for (const char *const *p = _heads; *p; p++)
        if (strcmp(key, *p) == 0)
            return 1;
    return 0;
}

/* The 脱贫年度 a 脱贫属性 gives: "2018年已脱贫" → "2018", "未脱贫" and "返贫"
 * → "" (not exited), anything else as written (the year check then says
 * what is wrong). Returns a new string, or NULL when out of memory. */
static char *_nx_exit_year(const char *attr)
{
    char key[128];
    _nx_norm(attr, key, sizeof key);
    if (strstr(key, "未脱贫") || strstr(key, "返贫"))
        return strdup("");
    const char *y = key;
    while (*y && !(y[0] >= '0' && y[0] <= '9'))
        y++;
    if (strstr(key, "脱贫") && strlen(y) >= 4 && y[1] >= '0' && y[1] <= '9' && y[2] >= '0' &&
        y[2] <= '9' && y[3] >= '0' && y[3] <= '9' && (!y[4] || strncmp(y + 4, "年", 3) == 0))
        return strndup(y, 4);
    return strdup(attr);
}

/* The path "县/乡(镇)/行政村" of the names the row gives (empty parts left
 * out). Returns a new string, or NULL when out of memory. */
static char *_nx_path(const tz_national *nx, const char *const *cells, size_t n)
{
    static const int parts[] = {NF_COUNTY, NF_TOWN, NF_VILLAGE};
    tz_buf b = TZ_BUF_INIT;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        char *v = _nx_cell(nx, cells, n, parts[i]);
        if (!v || (*v && tz_buf_printf(&b, "%s%s", b.len ? "/" : "", v))) {
            free(v);
            tz_buf_free(&b);
            return NULL;
        }
        free(v);
    }
    return tz_buf_take(&b);
}

/* Takes the household's columns from its 户主 row. Returns 0 or -1 (out of
 * memory). */
static int _nx_take_head(tz_national *nx, _nhh *h, const char *const *cells, size_t n)
{
    const tz_ledger *l = nx->l;
    h->cells = calloc(l->ncols, sizeof *h->cells);
    if (!h->cells)
        return -1;
    for (int f = 0; f < NF_COUNT_OF; f++) {
        int c = _specs[f].to ? tz_ledger_col(l, _specs[f].to) : -1;
        if (c < 0 || f == NF_COUNT || !nx->hdr[c])
            continue;
        char *v = _nx_cell(nx, cells, n, f);
        if (v && f == NF_EXIT && !*v && nx->col[NF_EXIT_ATTR] >= 0) {
            char *attr = _nx_cell(nx, cells, n, NF_EXIT_ATTR);
            free(v);
            v = attr ? _nx_exit_year(attr) : NULL;
            free(attr);
        }
        if (!v)
            return -1;
        h->cells[c] = v;
    }
    int c = tz_ledger_col(l, "所在村代码");
    if (nx->hdr[c] && !(h->cells[c] = _nx_path(nx, cells, n)))
        return -1;
    return 0;
}

/* Records the row's 人数 for household h: the first written, and an error
 * when a later row of the household says another number. Returns 0, 1 for
 * that error, -1 out of memory. */
static int _nx_count(tz_national *nx, _nhh *h, const char *const *cells, size_t n, long rowno,
                     tz_diags *d)
{
    char *v = _nx_cell(nx, cells, n, NF_COUNT);
    if (!v)
        return -1;
    int rc = 0;
    if (!*v) {
        free(v);
    } else if (!h->count) {
        h->count = v;
        h->count_row = rowno;
    } else {
        if (strcmp(h->count, v) != 0) {
            tz_diags_error(d, nx->file, rowno, "人数", v,
                           "户编号%s的人数前后不一致:第%ld行为%s,第%ld行为%s", h->id, h->count_row,
                           h->count, rowno, v);
            rc = 1;
        }
        free(v);
    }
    return rc;
}

int tz_national_add(tz_national *nx, const char *const *cells, const unsigned char *kinds, size_t n,
                    long rowno, tz_diags *d)
{
    if (_nx_blank(cells, n))
        return 0;
    char *id = _nx_cell(nx, cells, n, NF_HH);
    if (!id)
        goto oom;
    if (!*id) {
        free(id);
        tz_diags_error(d, nx->file, rowno, "户编号", NULL,
                       "户编号为空:每个人员行都要写上所属户的户编号");
        return -1;
    }
    nx->persons++;
    _nhh *h = _nx_household(nx, id, rowno);
    if (!h)
        goto oom;
    h->persons++;
    int rc = _nx_count(nx, h, cells, n, rowno, d);
    if (rc < 0)
        goto oom;
    int rel = nx->col[NF_REL];
    if (!_nx_is_head(rel >= 0 && (size_t)rel < n ? cells[rel] : ""))
        return rc ? -1 : 0;
    if (h->head_row) {
        tz_diags_error(d, nx->file, rowno, "与户主关系", cells[rel],
                       "户编号%s有两个户主行:第%ld行和第%ld行", h->id, h->head_row, rowno);
        return -1;
    }
    h->head_row = rowno;
    int idc = nx->col[NF_ID];
    if (kinds && idc >= 0 && (size_t)idc < n && kinds[idc] == TZ_CELL_NUMBER) {
        tz_diags_error(d, nx->file, rowno, "证件号码", cells[idc],
                       "该列在Excel中是数字格式,身份证号只保留了15位有效数字,后3位已丢失;"
                       "请将该列设为文本格式后重新填写");
        rc = 1;
    }
    if (_nx_take_head(nx, h, cells, n))
        goto oom;
    return rc ? -1 : 0;
oom:
    tz_diags_error(d, nx->file, rowno, NULL, NULL, "内存不足");
    return -1;
}

/* Sets household h's 家庭人口: its 人数 when written and equal to the
 * persons listed, the count of persons when not written. Returns 0, 1 when
 * they differ (error added), -1 out of memory. */
static int _nx_members(tz_national *nx, _nhh *h, tz_diags *d)
{
    int c = tz_ledger_col(nx->l, "家庭人口");
    char num[32];
    snprintf(num, sizeof num, "%zu", h->persons);
    if (h->count) {
        char key[32];
        _nx_norm(h->count, key, sizeof key);
        size_t k = strlen(key);
        if (k > 3 && strcmp(key + k - 3, "人") == 0)
            key[k - 3] = '\0';
        char *end = NULL;
        long v = strtol(key, &end, 10);
        if (end && end != key && *end == '\0' && v != (long)h->persons) {
            tz_diags_error(d, nx->file, h->count_row, "人数", h->count,
                           "户编号%s的人数写的是%s,名单中该户有%zu人(第%ld行起);"
                           "请补全家庭成员行或改正人数",
                           h->id, h->count, h->persons, h->first_row);
            return 1;
        }
        if (!end || end == key || *end)
            snprintf(num, sizeof num, "%s", h->count); /* the check of 家庭人口 says why */
    }
    free(h->cells[c]);
    h->cells[c] = strdup(num);
    return h->cells[c] ? 0 : -1;
}

int tz_national_finish(tz_national *nx, tz_diags *d, tz_national_stats *st)
{
    int rc = 0;
    size_t heads = 0, headless = 0;
    free(nx->rows);
    free(nx->rownos);
    nx->nrows = 0;
    nx->rows = calloc(nx->nhh ? nx->nhh : 1, sizeof *nx->rows);
    nx->rownos = calloc(nx->nhh ? nx->nhh : 1, sizeof *nx->rownos);
    if (!nx->rows || !nx->rownos) {
        tz_diags_error(d, nx->file, 0, NULL, NULL, "内存不足");
        return -1;
    }
    for (size_t i = 0; i < nx->nhh; i++) {
        _nhh *h = &nx->hh[i];
        if (!h->head_row) {
            headless++;
            tz_diags_error(d, nx->file, h->first_row, "与户主关系", NULL,
                           "户编号%s没有户主行(与户主关系为“户主”或“本人”的行),该户%zu人,"
                           "第一人在第%ld行",
                           h->id, h->persons, h->first_row);
            rc = -1;
            continue;
        }
        heads++;
        int r = _nx_members(nx, h, d);
        if (r < 0) {
            tz_diags_error(d, nx->file, 0, NULL, NULL, "内存不足");
            return -1;
        }
        if (r)
            rc = -1;
        for (size_t c = 0; c < nx->l->ncols; c++)
            if (!h->cells[c] && !(h->cells[c] = strdup(""))) {
                tz_diags_error(d, nx->file, 0, NULL, NULL, "内存不足");
                return -1;
            }
        nx->rows[nx->nrows] = (const char *const *)h->cells;
        nx->rownos[nx->nrows++] = h->head_row;
    }
    if (st) {
        st->persons = nx->persons;
        st->members = nx->persons - heads;
        st->households = nx->nhh;
        st->headless = headless;
    }
    return rc;
}

size_t tz_national_count(const tz_national *nx)
{
    return nx ? nx->nrows : 0;
}

const char *const *tz_national_row(const tz_national *nx, size_t i, long *rowno)
{
    if (!nx || i >= nx->nrows)
        return NULL;
    if (rowno)
        *rowno = nx->rownos[i];
    return nx->rows[i];
}

const char *const *tz_national_header(const tz_national *nx, size_t *n)
{
    if (n)
        *n = nx ? nx->l->ncols : 0;
    return nx ? (const char *const *)nx->hdr : NULL;
}
