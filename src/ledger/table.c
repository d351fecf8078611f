/* table.c - finding the table in a clerk's sheet: which row is the header
 * (one row, or two with merged group cells), and which rows around and
 * inside the data are not data (title, 填报单位/日期 lines, column numbers,
 * a repeated header, 合计/小计 rows, one-cell sub-headings, 填表说明 and
 * signature footers, the template's fill-in row). Every row left out gets a
 * kind the importer counts; a row that looks like data is always data, so
 * that a wrong value in it stays an error. */
#include "ledger/ledger_impl.h"
#include "util/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const _keys[TZ_SKIP_KINDS] = {
    [TZ_SKIP_BLANK] = "blank",           [TZ_SKIP_TITLE] = "title",   [TZ_SKIP_INFO] = "info",
    [TZ_SKIP_COLNUM] = "colnum",         [TZ_SKIP_HEADER] = "header", [TZ_SKIP_TOTAL] = "total",
    [TZ_SKIP_SUBHEADING] = "subheading", [TZ_SKIP_FOOTER] = "footer", [TZ_SKIP_NOTES] = "notes"};

static const char *const _words[TZ_SKIP_KINDS] = {[TZ_SKIP_BLANK] = "空行",
                                                  [TZ_SKIP_TITLE] = "标题",
                                                  [TZ_SKIP_INFO] = "填报信息",
                                                  [TZ_SKIP_COLNUM] = "栏号行",
                                                  [TZ_SKIP_HEADER] = "重复表头",
                                                  [TZ_SKIP_TOTAL] = "合计行",
                                                  [TZ_SKIP_SUBHEADING] = "分组标题行",
                                                  [TZ_SKIP_FOOTER] = "说明",
                                                  [TZ_SKIP_NOTES] = "填写提示行"};

const char *tz_skip_key(tz_skip_kind k)
{
    return (unsigned)k < TZ_SKIP_KINDS ? _keys[k] : "";
}

const char *tz_skip_word(tz_skip_kind k)
{
    return (unsigned)k < TZ_SKIP_KINDS ? _words[k] : "";
}

/* Lines above a header that say who filled the table in and when. */
static const char *const _info_words[] = {
    "填报单位", "填表单位", "报送单位", "单位:",   "单位名称:", "填报日期", "填表日期", "报送日期",
    "统计日期", "统计时间", "统计截止", "截至",    "截止",      "时间:",    "日期:",    "金额单位",
    "计量单位", "单位:元",  "单位:户",  "单位:人", "乡镇:",     "村:",      NULL};

/* How a footer line begins. */
static const char *const _footer_words[] = {
    "填表说明", "填报说明", "说明:",  "说明",     "注:",      "注1",      "备注:",      "填表人",
    "填报人",   "制表人",   "统计人", "审核人",   "审核:",    "负责人",   "单位负责人", "分管领导",
    "主要领导", "联系电话", "联系人", "填表日期", "填报日期", "制表日期", "报出日期",   NULL};

/* What a totals row says in its first cell. */
static const char *const _total_words[] = {"合计", "小计", "总计", "共计", "累计", "总数", NULL};

/* True when the normalised text s begins with one of words. */
static int _starts(const char *s, const char *const *words)
{
    for (size_t i = 0; words[i]; i++)
        if (!strncmp(s, words[i], strlen(words[i])))
            return 1;
    return 0;
}

/* True when s ends with w. */
static int _ends(const char *s, const char *w)
{
    size_t n = strlen(s), k = strlen(w);
    return n >= k && !strcmp(s + n - k, w);
}

static void _cells_free(char **cells, size_t n)
{
    for (size_t j = 0; cells && j < n; j++)
        free(cells[j]);
    free(cells);
}

/* ---- the header --------------------------------------------------------- */

/* Ledger columns named by a row of header cells, and how many of them are
 * TZ_F_INFILE. */
static int _score(const tz_ledger *l, const char *const *cells, size_t n, int *infile)
{
    unsigned char seen[256] = {0};
    int matched = 0;
    *infile = 0;
    for (size_t j = 0; j < n; j++) {
        int c = !cells[j] || !*cells[j] ? -1 : tz_header_col(l, cells[j]);
        if (c < 0 || (size_t)c >= sizeof seen || seen[c])
            continue;
        seen[c] = 1;
        matched++;
        *infile += (l->cols[c].flags & TZ_F_INFILE) != 0;
    }
    return matched;
}

/* A copy of one row's cells, n of them ("" past the row's end). */
static char **_cells_dup(const char *const *row, size_t have, size_t n)
{
    char **out = calloc(n ? n : 1, sizeof *out);
    for (size_t j = 0; out && j < n; j++)
        if (!(out[j] = strdup(j < have && row[j] ? row[j] : ""))) {
            _cells_free(out, j);
            return NULL;
        }
    return out;
}

/* Whether cell s is empty once whitespace is removed. */
static int _blank(const char *s)
{
    char *t = tz_header_norm(s ? s : "");
    int r = !t || !*t;
    free(t);
    return r;
}

/* The text of a combined header cell: the lower cell when it names a
 * column, else the group above and the lower cell together when that does,
 * else the lower cell; the upper cell where the lower one is empty (a cell
 * merged over both rows). Returns a malloc'd string or NULL. */
static char *_combine_cell(const tz_ledger *l, const char *up, const char *group, const char *low)
{
    if (_blank(low))
        return strdup(up);
    if (tz_header_col(l, low) >= 0 || !*group)
        return strdup(low);
    size_t n = strlen(group) + strlen(low) + 1;
    char *both = malloc(n);
    if (!both)
        return NULL;
    snprintf(both, n, "%s%s", group, low);
    if (tz_header_col(l, both) >= 0)
        return both;
    free(both);
    return strdup(low);
}

/* Two header rows as one: under a group cell (三保障, merged over the
 * columns to its right that have a lower cell), each lower cell. */
static char **_combine(const tz_ledger *l, const char *const *up, size_t nup,
                       const char *const *low, size_t nlow, size_t n)
{
    char **out = calloc(n ? n : 1, sizeof *out);
    const char *group = "";
    for (size_t j = 0; out && j < n; j++) {
        const char *u = j < nup && up[j] ? up[j] : "";
        const char *w = j < nlow && low[j] ? low[j] : "";
        if (!_blank(u))
            group = _blank(w) ? "" : u; /* a group has cells under it */
        else if (_blank(w))
            group = "";
        if (!(out[j] = _combine_cell(l, u, group, w))) {
            _cells_free(out, j);
            return NULL;
        }
    }
    return out;
}

void tz_table_head_free(tz_table_head *h)
{
    if (!h)
        return;
    /* the analyser loses track of which header _consider kept (it frees
     * only the one it drops): a false "use after free" */
    _cells_free(h->cells, h->n); // NOLINT(clang-analyzer-unix.Malloc)
    h->cells = NULL;
    h->n = 0;
}

/* Takes cells (owned, freed when not kept), which name m ledger columns,
 * infile of them TZ_F_INFILE, as the header when they name more columns
 * than the one kept so far. */
static void _consider(tz_table_head *best, char **cells, size_t n, size_t at, size_t nrows, int m,
                      int infile)
{
    char **drop = cells;
    size_t ndrop = n;
    if (m > best->matched) {
        drop = best->cells;
        ndrop = best->n;
        *best = (tz_table_head){
            .at = at, .nrows = nrows, .cells = cells, .n = n, .matched = m, .infile = infile};
    }
    _cells_free(drop, ndrop); // NOLINT(clang-analyzer-unix.Malloc): see tz_table_head_free
}

int tz_table_header(const tz_ledger *l, const char *const *const *rows, const size_t *ns,
                    size_t nrows, tz_table_head *h)
{
    *h = (tz_table_head){.nrows = 0};
    if (nrows > TZ_TABLE_SCAN_ROWS)
        nrows = TZ_TABLE_SCAN_ROWS;
    /* each row is scored once: as the lower row of a pair, then as a row alone */
    int next_score = -1, next_infile = 0;
    for (size_t r = 0; r < nrows; r++) {
        if (!strcmp(l->id, "households") && tz_national_detect(rows[r], ns[r])) {
            tz_table_head_free(h);
            *h = (tz_table_head){.at = r, .nrows = 1, .n = ns[r], .national = 1, .matched = 1};
            if (!(h->cells = _cells_dup(rows[r], ns[r], ns[r])))
                return -1;
            return 1;
        }
        int one_infile = next_infile;
        int one_score = next_score >= 0 ? next_score : _score(l, rows[r], ns[r], &one_infile);
        next_score = -1;
        if (one_score > h->matched) {
            char **one = _cells_dup(rows[r], ns[r], ns[r]);
            if (!one)
                goto oom;
            _consider(h, one, ns[r], r, 1, one_score, one_infile);
        }
        if (r + 1 >= nrows)
            continue;
        size_t n = ns[r] > ns[r + 1] ? ns[r] : ns[r + 1];
        char **two = _combine(l, rows[r], ns[r], rows[r + 1], ns[r + 1], n);
        if (!two)
            goto oom;
        int two_infile, two_score = _score(l, (const char *const *)two, n, &two_infile);
        next_score = _score(l, rows[r + 1], ns[r + 1], &next_infile);
        /* two rows only when together they name more than either alone */
        if (two_score > one_score && two_score > next_score)
            _consider(h, two, n, r, 2, two_score, two_infile);
        else
            _cells_free(two, n);
    }
    return h->matched > 0;
oom:
    tz_table_head_free(h);
    return -1;
}

/* ---- rows around the data --------------------------------------------------- */

tz_skip_kind tz_table_above(const char *const *cells, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        char *t = tz_header_norm(cells[j] ? cells[j] : "");
        int info = t && *t && _starts(t, _info_words);
        for (size_t i = 0; t && !info && _info_words[i]; i++)
            info = strstr(t, _info_words[i]) != NULL && strchr(_info_words[i], ':') != NULL;
        free(t);
        if (info)
            return TZ_SKIP_INFO;
    }
    return TZ_SKIP_TITLE;
}

/* True when the row is the notes row that `taizhang template` writes. */
static int _is_notes_row(const tz_ledger *l, const tz_header_map *m, const char *const *cells,
                         size_t n)
{
    int matched = 0;
    for (size_t i = 0; i < l->ncols; i++) {
        int fi = m->map[i];
        if (fi < 0)
            continue;
        const char *cell = (size_t)fi < n ? cells[fi] : "";
        const char *note = l->cols[i].note ? l->cols[i].note : "";
        if (strcmp(cell, note) != 0)
            return 0;
        matched += *note != 0;
    }
    return matched > 0;
}

/* True when the cells are the column numbers printed under a header in
 * official forms: 1 2 3 … (or 甲 乙 丙 …, or "栏次" first), at least three. */
static int _is_colnum(const char *const *cells, size_t n)
{
    static const char *const gan[] = {"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", NULL};
    long want = 1;
    size_t got = 0, g = 0;
    for (size_t j = 0; j < n; j++) {
        char *t = tz_header_norm(cells[j] ? cells[j] : "");
        if (!t)
            return 0;
        int ok = 1;
        if (!*t) {
            /* gaps are allowed */
        } else if (!got && !strcmp(t, "栏次")) {
            got = 3;
        } else if (gan[g] && !strcmp(t, gan[g])) {
            g++;
            got++;
        } else {
            char *end;
            long v = strtol(t, &end, 10);
            ok = *end == '\0' && v == want;
            want++;
            got++;
        }
        free(t);
        if (!ok)
            return 0;
    }
    return got >= 3;
}

/* Number of mapped columns holding something in the row (its n
 * normalised cells). */
/* The normalised text of cell (NULL reads as ""): the cell itself when
 * normalising leaves it as it is (most cells of a data row), else a
 * malloc'd copy also put in *own. NULL when memory ran out. */
static const char *_norm_of(const char *cell, char **own)
{
    *own = NULL;
    if (!cell)
        return "";
    if (tzl_norm_same(cell))
        return cell;
    return *own = tz_header_norm(cell);
}

/* Whether cell has text once normalised. -1 when memory ran out. */
static int _filled(const char *cell)
{
    char *own;
    const char *t = _norm_of(cell, &own);
    int r = t ? *t != '\0' : -1;
    free(own);
    return r;
}

/* How many columns of map m have text in the row's n cells. -1 when
 * memory ran out. */
static long _mapped_filled(const tz_header_map *m, const char *const *cells, size_t n)
{
    long k = 0;
    for (size_t i = 0; i < m->ncols; i++) {
        int fi = m->map[i], f = fi >= 0 && (size_t)fi < n ? _filled(cells[fi]) : 0;
        if (f < 0)
            return -1;
        k += f;
    }
    return k;
}

/* Whether the row's n cells name at least need distinct ledger columns:
 * the header repeated. Stops as soon as the answer is known. -1 when
 * memory ran out. */
static int _repeats_header(const tz_ledger *l, const char *const *cells, size_t n, int need)
{
    unsigned char seen[256] = {0};
    int matched = 0;
    for (size_t j = 0; j < n && matched < need && matched + (long)(n - j) >= need; j++) {
        char *own;
        const char *t = _norm_of(cells[j], &own);
        if (!t)
            return -1;
        int c = *t ? tz_header_col_normed(l, t) : -1;
        free(own);
        if (c < 0 || (size_t)c >= sizeof seen || seen[c])
            continue;
        seen[c] = 1;
        matched++;
    }
    return matched >= need;
}

/* True when t reads as a heading (秦阁村, 一、宋河镇, 宋河镇(12户)): Chinese
 * characters and no run of six digits, which a code or an ID number in a
 * row typed only in part would have. */
static int _heading_text(const char *t)
{
    int cjk = 0, run = 0;
    for (const char *p = t; *p;) {
        long cp;
        size_t k = tz_utf8_next(p, &cp);
        cjk |= cp >= 0x3400;
        run = cp >= '0' && cp <= '9' ? run + 1 : 0;
        if (run >= 6)
            return 0;
        p += k;
    }
    return cjk;
}

/* True when the normalised first cell t is a total: 合计, 小计:, 秦阁村小计. */
static int _is_total(const char *t)
{
    if (_starts(t, _total_words))
        return 1;
    size_t len = strlen(t);
    return len <= 40 && (_ends(t, "合计") || _ends(t, "小计") || _ends(t, "总计"));
}

int tz_table_row(const tz_ledger *l, const tz_table_head *h, const tz_header_map *m,
                 const char *const *cells, size_t n, tz_table_state *st)
{
    int just_under = !st->seen_row;
    st->seen_row = 1;
    /* cells are normalised one at a time and only as far as a test needs
     * them; out of memory: -1, read as data, which the row's checks then
     * see as it is */
    size_t filled = 0, at = n;
    for (size_t j = 0; j < n; j++) {
        int f = _filled(cells[j]);
        if (f < 0)
            return -1;
        filled += (size_t)f;
        if (f && at == n)
            at = j;
    }
    if (!filled)
        return TZ_SKIP_BLANK;
    if (just_under && m && _is_notes_row(l, m, cells, n))
        return TZ_SKIP_NOTES;
    if (just_under && _is_colnum(cells, n))
        return TZ_SKIP_COLNUM;
    char *own;
    const char *first = _norm_of(cells[at], &own);
    if (!first)
        return -1;
    int kind = -1;
    if (filled <= 4 && _starts(first, _footer_words)) {
        st->in_footer = 1;
        kind = TZ_SKIP_FOOTER;
        goto done;
    }
    if (_is_total(first)) {
        kind = TZ_SKIP_TOTAL;
        goto done;
    }
    if (h && h->matched >= 2) {
        int rep = _repeats_header(l, cells, n, (h->matched + 1) / 2);
        if (rep) {
            kind = rep > 0 ? TZ_SKIP_HEADER : -1;
            goto done;
        }
    }
    /* under a footer, lines that do not fill as many columns as a file
     * must have are its lines */
    if (st->in_footer && h) {
        long mapped = m ? _mapped_filled(m, cells, n) : (long)filled;
        if (mapped >= 0 && mapped < (h->infile > 2 ? h->infile : 2)) {
            kind = TZ_SKIP_FOOTER;
            goto done;
        }
    }
    if (filled == 1 && h && h->matched >= 3 && _heading_text(first))
        kind = TZ_SKIP_SUBHEADING;
done:
    free(own);
    return kind;
}
