/* datafiles.c - the data files of the rules and where they are found: the
 * yearly poverty lines (data/poverty_lines.tsv) and the village-exit
 * thresholds (data/village_exit_thresholds.tsv), each a table guarded by a
 * mutex, loaded on first use from the search path (tz_datafile_find) or
 * replaced by an explicit load.
 *
 * Both files are lines "key<TAB>number" with '#' comments and blank lines;
 * util/datafile.h finds and walks them, and each table parses its own key.
 */
#include "metrics/metrics_impl.h"
#include "util/datafile.h"
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parses the number after a key: strtod, then only blanks to the end of
 * the line. Returns 1 with *v set, or 0 when malformed. */
static int _number_to_eol(char *q, double *v)
{
    char *end;
    *v = strtod(q, &end);
    if (end == q)
        return 0;
    while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
        end++;
    return *end == '\0';
}

/* ---- poverty lines ------------------------------------------------------- */

static struct {
    pthread_mutex_t lock;       /* guards the table */
    int loaded;                 /* 1 once a table is in place */
    int n;                      /* entries */
    int year[TZM_LINES_MAX];    /* years, ascending */
    double line[TZM_LINES_MAX]; /* 元 per person per year */
    char path[PATH_MAX];        /* file the table came from */
} _lines = {PTHREAD_MUTEX_INITIALIZER, 0, 0, {0}, {0}, {0}};

/* A table being read. */
typedef struct _lines_acc {
    int years[TZM_LINES_MAX];    /* years read, ascending */
    double lines[TZM_LINES_MAX]; /* their lines */
    int n;                       /* entries read */
} _lines_acc;

/* tz_datafile_read callback: one "year<TAB>line" line. */
static int _line_row(void *acc, char *p, const char *path, long lineno, tz_diags *d)
{
    _lines_acc *x = acc;
    char *end;
    double v;
    long y = strtol(p, &end, 10);
    if (end == p || (*end != '\t' && *end != ' ')) {
        tz_diags_error(d, path, lineno, "year", p, "格式应为 年度<TAB>贫困线(元)");
        return -1;
    }
    if (!_number_to_eol(end, &v) || y < 1978 || y > 2100 || !(v > 0)) {
        tz_diags_error(d, path, lineno, "line_yuan", end, "贫困线应为正数,年度应为1978至2100");
        return -1;
    }
    if (x->n > 0 && y <= x->years[x->n - 1]) {
        tz_diags_error(d, path, lineno, "year", p, "年度应按升序排列且不重复");
        return -1;
    }
    if (x->n == TZM_LINES_MAX) {
        tz_diags_error(d, path, lineno, NULL, NULL, "年度太多(最多%d个)", TZM_LINES_MAX);
        return 1;
    }
    x->years[x->n] = (int)y;
    x->lines[x->n++] = v;
    return 0;
}

static int _load_lines_locked(const char *path, tz_diags *d)
{
    _lines_acc x = {.n = 0};
    if (tz_datafile_read(path, "贫困线", _line_row, &x, d))
        return -1;
    if (x.n == 0) {
        tz_diags_error(d, path, 0, NULL, NULL, "贫困线数据文件中没有任何年度");
        return -1;
    }
    memcpy(_lines.year, x.years, sizeof x.years[0] * (size_t)x.n);
    memcpy(_lines.line, x.lines, sizeof x.lines[0] * (size_t)x.n);
    _lines.n = x.n;
    _lines.loaded = 1;
    snprintf(_lines.path, sizeof _lines.path, "%s", path);
    return 0;
}

/* Loads the default file unless a table is in place. Returns 0 or -1. */
static int _lines_ready_locked(tz_diags *d)
{
    char path[PATH_MAX + 64];
    if (_lines.loaded)
        return 0;
    if (tz_datafile_find_what("poverty_lines.tsv", "贫困线", path, sizeof path, d))
        return -1;
    return _load_lines_locked(path, d);
}

int tz_poverty_lines_load(const char *path, tz_diags *d)
{
    pthread_mutex_lock(&_lines.lock);
    int rc = _load_lines_locked(path, d);
    pthread_mutex_unlock(&_lines.lock);
    return rc;
}

int tz_poverty_line(int year, double *line, tz_diags *d)
{
    pthread_mutex_lock(&_lines.lock);
    int rc = _lines_ready_locked(d);
    if (rc == 0) {
        rc = 1;
        for (int i = 0; i < _lines.n; i++)
            if (_lines.year[i] == year) {
                *line = _lines.line[i];
                rc = 0;
            }
    }
    pthread_mutex_unlock(&_lines.lock);
    return rc;
}

int tzm_lines_copy(int *years, double *lines, int *n, tz_diags *d)
{
    pthread_mutex_lock(&_lines.lock);
    int rc = _lines_ready_locked(d);
    if (rc == 0) {
        *n = _lines.n;
        memcpy(years, _lines.year, sizeof years[0] * (size_t)_lines.n);
        memcpy(lines, _lines.line, sizeof lines[0] * (size_t)_lines.n);
    }
    pthread_mutex_unlock(&_lines.lock);
    return rc;
}

/* ---- village-exit thresholds ---------------------------------------------- */

#define THRESH_MAX 64

/* A threshold table: region-code prefixes and their percentages. */
typedef struct _thr_table {
    char prefix[THRESH_MAX][13]; /* region-code prefixes ("" = the default "*") */
    double pct[THRESH_MAX];      /* threshold in percent */
    int n;                       /* entries */
} _thr_table;

static struct {
    pthread_mutex_t lock; /* guards the table */
    int loaded;           /* 1 once a table is in place */
    _thr_table t;         /* the table */
} _thr = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* tz_datafile_read callback: one "prefix<TAB>percent" line. */
static int _thr_row(void *acc, char *p, const char *path, long lineno, tz_diags *d)
{
    _thr_table *x = acc;
    char *q = p;
    double v;
    while (*q >= '0' && *q <= '9')
        q++;
    size_t plen = (size_t)(q - p);
    int star = plen == 0 && *q == '*';
    if (star)
        q++;
    if ((!star && (plen < 2 || plen > 12)) || (*q != '\t' && *q != ' ')) {
        tz_diags_error(d, path, lineno, "prefix", p,
                       "格式应为 区划代码前缀(2至12位数字,或*表示默认)<TAB>贫困发生率标准(%%)");
        return -1;
    }
    if (!_number_to_eol(q, &v) || !(v > 0) || v >= 100) {
        tz_diags_error(d, path, lineno, "percent", q, "贫困发生率标准应为大于0、小于100的百分数");
        return -1;
    }
    if (x->n == THRESH_MAX) {
        tz_diags_error(d, path, lineno, NULL, NULL, "条目太多(最多%d条)", THRESH_MAX);
        return 1;
    }
    snprintf(x->prefix[x->n], sizeof x->prefix[0], "%.*s", (int)plen, p);
    x->pct[x->n++] = v;
    return 0;
}

static int _load_thresholds_locked(const char *path, tz_diags *d)
{
    _thr_table x;
    x.n = 0;
    if (tz_datafile_read(path, "贫困村退出标准", _thr_row, &x, d))
        return -1;
    _thr.t = x;
    _thr.loaded = 1;
    return 0;
}

int tz_exit_thresholds_load(const char *path, tz_diags *d)
{
    pthread_mutex_lock(&_thr.lock);
    int rc = _load_thresholds_locked(path, d);
    pthread_mutex_unlock(&_thr.lock);
    return rc;
}

/* The longest prefix of the table matching code: 0 with *pct set, or -1
 * with a diag. */
static int _thr_match(const _thr_table *t, const char *code, double *pct, tz_diags *d)
{
    size_t best = 0;
    int found = 0;
    for (int i = 0; i < t->n; i++) {
        size_t len = strlen(t->prefix[i]);
        if (strncmp(code ? code : "", t->prefix[i], len) != 0 || (found && len < best))
            continue;
        *pct = t->pct[i];
        best = len;
        found = 1;
    }
    if (found)
        return 0;
    tz_diags_error(d, "village_exit_thresholds.tsv", 0, "区划", code,
                   "没有适用于这个区划的贫困村退出标准(可加一行“*<TAB>2”作为默认)");
    return -1;
}

int tz_exit_threshold(const char *code, double *pct, tz_diags *d)
{
    pthread_mutex_lock(&_thr.lock);
    int rc = 0;
    if (!_thr.loaded) {
        char path[PATH_MAX + 64];
        rc = tz_datafile_find_what("village_exit_thresholds.tsv", "贫困村退出标准", path,
                                   sizeof path, d);
        if (rc == 0)
            rc = _load_thresholds_locked(path, d);
    }
    if (rc == 0)
        rc = _thr_match(&_thr.t, code, pct, d);
    pthread_mutex_unlock(&_thr.lock);
    return rc;
}
