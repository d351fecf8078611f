/* args.c - option parsing, usage errors, display width, home directory. */
#include "cli/cli.h"
#include "util/buf.h"
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int tz_args_parse(int argc, char **argv, const tz_opt_spec *spec, tz_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
            a->help = 1;
            continue;
        }
        if (!strcmp(arg, "--")) {
            for (i++; i < argc; i++)
                if (a->npos < TZ_MAX_ARGS)
                    a->pos[a->npos++] = argv[i];
            break;
        }
        if (arg[0] == '-' && arg[1] == '-') {
            const char *eq = strchr(arg, '=');
            size_t nlen = eq ? (size_t)(eq - arg) : strlen(arg);
            const tz_opt_spec *o = NULL;
            for (int k = 0; spec && spec[k].name; k++)
                if (strlen(spec[k].name) == nlen && !strncmp(spec[k].name, arg, nlen))
                    o = &spec[k];
            if (!o) {
                char name[TZ_CLI_ECHO_SIZE];
                char *cut = strndup(arg, nlen);
                fprintf(stderr, "未知选项: %s\n", tz_cli_echo(cut ? cut : "", name, sizeof name));
                free(cut);
                return -1;
            }
            const char *val = NULL;
            if (o->takes_value) {
                if (eq)
                    val = eq + 1;
                else if (i + 1 < argc)
                    val = argv[++i];
                else {
                    fprintf(stderr, "选项 %s 需要一个值\n", o->name);
                    return -1;
                }
            } else if (eq) {
                fprintf(stderr, "选项 %s 不接受值\n", o->name);
                return -1;
            }
            if (!o->repeatable)
                for (size_t k = 0; k < a->nopt; k++)
                    if (!strcmp(a->opt[k], o->name)) {
                        fprintf(stderr, "选项 %s 只能出现一次\n", o->name);
                        return -1;
                    }
            if (a->nopt >= TZ_MAX_ARGS) {
                fprintf(stderr, "选项太多\n");
                return -1;
            }
            a->opt[a->nopt] = o->name;
            a->val[a->nopt++] = val;
            continue;
        }
        if (a->npos >= TZ_MAX_ARGS) {
            fprintf(stderr, "参数太多\n");
            return -1;
        }
        a->pos[a->npos++] = arg;
    }
    return 0;
}

const char *tz_args_get(const tz_args *a, const char *name)
{
    const char *v = NULL;
    for (size_t k = 0; k < a->nopt; k++)
        if (!strcmp(a->opt[k], name))
            v = a->val[k];
    return v;
}

int tz_args_has(const tz_args *a, const char *name)
{
    for (size_t k = 0; k < a->nopt; k++)
        if (!strcmp(a->opt[k], name))
            return 1;
    return 0;
}

int tz_usage_error(const char *usage, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("用法错误: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n用法: %s\n", usage);
    return TZ_EXIT_USAGE;
}

void tz_print_diags(const tz_diags *d)
{
    tz_diags_print(d, stderr);
}

const char *tz_cli_echo(const char *s, char *buf, size_t sz)
{
    char *shown = tz_diag_echo(s ? s : "");
    snprintf(buf, sz, "%s", shown ? shown : "");
    free(shown);
    return buf;
}

size_t tz_display_width(const char *s)
{
    size_t w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned cp;
        int n;
        if (*p < 0x80) {
            cp = *p;
            n = 1;
        } else if ((*p & 0xE0) == 0xC0) {
            cp = *p & 0x1F;
            n = 2;
        } else if ((*p & 0xF0) == 0xE0) {
            cp = *p & 0x0F;
            n = 3;
        } else {
            cp = *p & 0x07;
            n = 4;
        }
        for (int i = 1; i < n; i++) {
            if ((p[i] & 0xC0) != 0x80) {
                n = i;
                break;
            }
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        p += n;
        int wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                   (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                   (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                   (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
        w += wide ? 2 : 1;
    }
    return w;
}

static int _has_examples(const char *dir)
{
    char p[PATH_MAX + 64];
    struct stat sb;
    snprintf(p, sizeof p, "%s/examples", dir);
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

const char *tz_home_dir(void)
{
    static char home[PATH_MAX];
    if (home[0])
        return home;
    const char *env = getenv("TAIZHANG_HOME");
    if (env && *env) {
        snprintf(home, sizeof home, "%s", env);
        return home;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        /* build/taizhang -> source tree; bin/taizhang -> share/taizhang */
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            char cand[PATH_MAX + 40];
            snprintf(cand, sizeof cand, "%s/..", exe);
            if (_has_examples(cand) && realpath(cand, home))
                return home;
            snprintf(cand, sizeof cand, "%s/../share/taizhang", exe);
            if (_has_examples(cand) && realpath(cand, home))
                return home;
        }
    }
    snprintf(home, sizeof home, ".");
    return home;
}
