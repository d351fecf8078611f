/* datafile.c - finding data files and reading their lines (see datafile.h). */
#include "util/datafile.h"
#include "util/path.h"
#include "util/text.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int tz_datafile_find_what(const char *file, const char *what, char *out, size_t sz, tz_diags *d)
{
    char cand[4][PATH_MAX + 64];
    int nc = 0;
    const char *home = getenv("TAIZHANG_HOME");
    if (home && *home)
        snprintf(cand[nc++], sizeof cand[0], "%s/data/%s", home, file);
    char exe[PATH_MAX];
    if (tz_path_exe_dir(exe, sizeof exe) == 0) {
        snprintf(cand[nc++], sizeof cand[0], "%s/../data/%s", exe, file);
        snprintf(cand[nc++], sizeof cand[0], "%s/../share/taizhang/data/%s", exe, file);
    }
    snprintf(cand[nc++], sizeof cand[0], "data/%s", file);
    for (int i = 0; i < nc; i++)
        if (access(cand[i], R_OK) == 0) {
            int w = snprintf(out, sz, "%s", cand[i]);
            if (w > 0 && (size_t)w < sz)
                return 0;
        }
    tz_diags_error(d, file, 0, NULL, NULL, "找不到%s数据文件 data/%s(可设置环境变量 TAIZHANG_HOME)",
                   what ? what : "", file);
    return -1;
}

int tz_datafile_find(const char *file, char *out, size_t sz, tz_diags *d)
{
    return tz_datafile_find_what(file, NULL, out, sz, d);
}

/* Drops the line end (LF, CR LF, or a lone CR) of a line of n bytes;
 * returns the new length. */
static size_t _chomp(char *p, size_t n)
{
    while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == '\r'))
        p[--n] = '\0';
    return n;
}

/* Checks one line read by getline (n bytes). Returns 0 when it may be
 * given to the callback, -1 with a diag. */
static int _line_ok(const char *p, size_t n, const char *path, const char *what, long lineno,
                    tz_diags *d)
{
    if (n > TZ_DATAFILE_LINE_MAX) {
        tz_diags_error(d, path, lineno, NULL, NULL, "%s数据文件的这一行太长(超过%d字节)", what,
                       TZ_DATAFILE_LINE_MAX);
        return -1;
    }
    if (memchr(p, '\0', n) || !tz_utf8_valid(p, n)) {
        tz_diags_error(d, path, lineno, NULL, NULL, "%s数据文件应为UTF-8编码,这一行不是", what);
        return -1;
    }
    return 0;
}

int tz_datafile_read(const char *path, const char *what, tz_datafile_line_fn fn, void *acc,
                     tz_diags *d)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        tz_diags_error(d, path, 0, NULL, NULL, "无法读取%s数据文件", what);
        return -1;
    }
    int rc = 0;
    char *buf = NULL;
    size_t cap = 0;
    long lineno = 0;
    ssize_t got;
    while ((got = getline(&buf, &cap, fp)) >= 0) {
        lineno++;
        char *p = buf;
        size_t n = (size_t)got;
        if (lineno == 1 && n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) {
            p += 3;
            n -= 3;
        }
        if (_line_ok(p, n, path, what, lineno, d)) {
            rc = -1;
            continue;
        }
        (void)_chomp(p, n);
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#' || *p == '\0')
            continue;
        int r = fn(acc, p, path, lineno, d);
        if (r)
            rc = -1;
        if (r > 0)
            break;
    }
    if (ferror(fp)) {
        /* a directory, or an I/O error mid-file: never a shorter table */
        tz_diags_error(d, path, 0, NULL, NULL, "读取%s数据文件时出错(第%ld行之后)", what, lineno);
        rc = -1;
    }
    free(buf);
    (void)fclose(fp); /* opened for reading: ferror above saw any failure */
    return rc;
}

/* Blanks at either end of a field: space, TAB, and the ideographic space. */
static char *_trim(char *s)
{
    for (;;) {
        if (*s == ' ' || *s == '\t')
            s++;
        else if (!strncmp(s, "\xE3\x80\x80", 3))
            s += 3;
        else
            break;
    }
    size_t n = strlen(s);
    for (;;) {
        if (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        else if (n >= 3 && !strncmp(s + n - 3, "\xE3\x80\x80", 3))
            n -= 3;
        else
            break;
    }
    s[n] = '\0';
    return s;
}

size_t tz_datafile_fields(char *p, char **fields, size_t max)
{
    size_t n = 0;
    while (n < max) {
        char *tab = n + 1 < max ? strchr(p, '\t') : NULL;
        if (tab)
            *tab = '\0';
        fields[n++] = _trim(p);
        if (!tab)
            break;
        p = tab + 1;
    }
    return n;
}
