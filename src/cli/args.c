/* args.c - option parsing (getopt_long), the common start of every command
 * (--help, usage errors, positional count), home directory. */
#include "cli/cli.h"
#include "util/path.h"
#include "util/buf.h"
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Short forms, one table for every command: a letter stands for its long
 * option wherever the command has that option ("-o FILE" = "--output FILE").
 * -h is --help everywhere. */
static const struct {
    char letter;      /* the short option */
    const char *name; /* the long option it stands for */
} _short_forms[] = {{'o', "--output"}};

/* getopt_long's return value for spec entry k, above every character. */
#define OPT_BASE 0x100

/* The option element getopt_long has just taken, for messages and for the
 * spelling check: args[optind - 1], or the one before when the value came as
 * the next element. */
static const char *_taken(char **args, const struct option *o)
{
    if (o->has_arg == required_argument && optind >= 2 && optarg == args[optind - 1])
        return args[optind - 2];
    return args[optind - 1];
}

/* 1 when elt ("--name" or "--name=value") spells the long option in full:
 * getopt_long also takes unambiguous prefixes ("--reg"), which a command line
 * kept in a script should not rely on. */
static int _spelled_out(const char *elt, const char *name)
{
    size_t n = strlen(name);
    return !strncmp(elt, "--", 2) && !strncmp(elt + 2, name, n) &&
           (elt[2 + n] == '\0' || elt[2 + n] == '=');
}

/* Writes "未知选项 --bogus" (the option in elt, without any "=value") into
 * why. */
static void _unknown(const char *elt, char *why, size_t sz)
{
    char shown[TZ_CLI_ECHO_SIZE];
    char *cut = strndup(elt, strcspn(elt, "="));
    snprintf(why, sz, "未知选项 %s", tz_cli_echo(cut ? cut : "", shown, sizeof shown));
    free(cut);
}

/* Records one option seen. Returns 0, or -1 with why set. */
static int _record(tz_args *a, const tz_opt_spec *o, const char *val, char *why, size_t sz)
{
    if (!o->repeatable)
        for (size_t k = 0; k < a->nopt; k++)
            if (!strcmp(a->opt[k], o->name)) {
                snprintf(why, sz, "选项 %s 只能出现一次", o->name);
                return -1;
            }
    if (a->nopt >= TZ_MAX_ARGS) {
        snprintf(why, sz, "选项太多");
        return -1;
    }
    a->opt[a->nopt] = o->name;
    a->val[a->nopt++] = val;
    return 0;
}

static int _positional(tz_args *a, const char *arg, char *why, size_t sz)
{
    if (a->npos >= TZ_MAX_ARGS) {
        snprintf(why, sz, "参数太多");
        return -1;
    }
    a->pos[a->npos++] = arg;
    return 0;
}

/* The getopt_long tables for spec: long options (each spec entry, then
 * --help) in *lo and the short ones in shorts. "-" first: positional
 * arguments come back in order as 1, so options may stand before, between
 * or after them whatever POSIXLY_CORRECT says; ":" then: a missing value is
 * told apart from an unknown option. Returns 0 or -1 (out of memory). */
static int _tables(const tz_opt_spec *spec, size_t nspec, struct option **lo, char *shorts,
                   size_t sz)
{
    *lo = calloc(nspec + 2, sizeof **lo);
    if (!*lo)
        return -1;
    for (size_t k = 0; k < nspec; k++)
        (*lo)[k] = (struct option){.name = spec[k].name + 2,
                                   .has_arg = spec[k].takes_value ? required_argument : no_argument,
                                   .val = OPT_BASE + (int)k};
    (*lo)[nspec] =
        (struct option){.name = "help", .has_arg = no_argument, .val = OPT_BASE + (int)nspec};
    size_t n = (size_t)snprintf(shorts, sz, "-:h");
    for (size_t i = 0; i < sizeof _short_forms / sizeof *_short_forms; i++)
        for (size_t k = 0; k < nspec && n + 3 < sz; k++)
            if (!strcmp(spec[k].name, _short_forms[i].name)) {
                shorts[n++] = _short_forms[i].letter;
                if (spec[k].takes_value)
                    shorts[n++] = ':';
                shorts[n] = '\0';
            }
    return 0;
}

/* The spec entry a short option letter stands for, or -1. */
static int _short_index(const tz_opt_spec *spec, size_t nspec, int letter)
{
    for (size_t i = 0; i < sizeof _short_forms / sizeof *_short_forms; i++)
        if (_short_forms[i].letter == letter)
            for (size_t k = 0; k < nspec; k++)
                if (!strcmp(spec[k].name, _short_forms[i].name))
                    return (int)k;
    return -1;
}

/* Explains a '?' or ':' from getopt_long in why. */
static void _refused(int c, char **args, const struct option *lo, size_t nspec, char *why,
                     size_t sz)
{
    const char *elt = args[optind - 1];
    if (optopt >= OPT_BASE && optopt <= OPT_BASE + (int)nspec) {
        const char *name = lo[optopt - OPT_BASE].name;
        snprintf(why, sz, c == ':' ? "选项 --%s 需要一个值" : "选项 --%s 不接受值", name);
    } else if (c == ':') {
        snprintf(why, sz, "选项 -%c 需要一个值", optopt);
    } else if (optopt > ' ' && optopt < 0x7F) {
        snprintf(why, sz, "未知选项 -%c(以 - 开头的文件名请写在 -- 之后)", optopt);
    } else if (optopt) {
        /* a byte of a Chinese character after "-": not one to echo alone */
        snprintf(why, sz, "未知选项: 以 - 开头的参数不是选项(以 - 开头的文件名请写在 -- 之后)");
    } else {
        _unknown(elt, why, sz);
    }
}

/* Parses with getopt_long; on a usage error writes the reason into why. */
static int _parse(int argc, char **argv, const tz_opt_spec *spec, tz_args *a, char *why, size_t sz)
{
    size_t nspec = 0;
    struct option *lo = NULL;
    char shorts[64];
    int rc = -1;
    memset(a, 0, sizeof *a);
    while (spec && spec[nspec].name)
        nspec++;
    /* getopt_long reads from args[1]: args[0] stands for the program */
    char **args = calloc((size_t)argc + 2, sizeof *args);
    if (!args || _tables(spec, nspec, &lo, shorts, sizeof shorts)) {
        snprintf(why, sz, "内存不足");
        goto done;
    }
    args[0] = (char *)"taizhang";
    for (int i = 0; i < argc; i++)
        args[i + 1] = argv[i];
    optind = 0; /* glibc: start afresh */
    opterr = 0; /* the messages are ours, in Chinese */
    int c, li = -1;
    while ((c = getopt_long(argc + 1, args, shorts, lo, &li)) != -1) {
        if (c == 1) {
            if (_positional(a, optarg, why, sz))
                goto done;
        } else if (c == '?' || c == ':') {
            _refused(c, args, lo, nspec, why, sz);
            goto done;
        } else if (c >= OPT_BASE &&
                   !_spelled_out(_taken(args, &lo[c - OPT_BASE]), lo[c - OPT_BASE].name)) {
            _unknown(_taken(args, &lo[c - OPT_BASE]), why, sz);
            goto done;
        } else if (c == 'h' || c == OPT_BASE + (int)nspec) {
            a->help = 1;
        } else {
            int k = c >= OPT_BASE ? c - OPT_BASE : _short_index(spec, nspec, c);
            /* getopt_long returns only what the tables hold, so k is a spec
             * entry; the check keeps a table mistake from indexing past spec */
            if (k < 0 || (size_t)k >= nspec) {
                _unknown(args[optind - 1], why, sz);
                goto done;
            }
            if (_record(a, &spec[k], spec[k].takes_value ? optarg : NULL, why, sz))
                goto done;
        }
    }
    /* after "--": every element is positional, even one that starts with - */
    for (int i = optind; i <= argc; i++)
        if (_positional(a, args[i], why, sz))
            goto done;
    rc = 0;
done:
    free(lo);
    free(args);
    return rc;
}

int tz_args_parse(int argc, char **argv, const tz_opt_spec *spec, tz_args *a)
{
    char why[TZ_CLI_ECHO_SIZE + 64];
    if (_parse(argc, argv, spec, a, why, sizeof why)) {
        fprintf(stderr, "%s\n", why);
        return -1;
    }
    return 0;
}

int tz_cli_begin(int argc, char **argv, const tz_command *self, const tz_cli_form *form, tz_args *a,
                 int *status)
{
    char why[TZ_CLI_ECHO_SIZE + 64];
    *status = TZ_EXIT_USAGE;
    if (_parse(argc, argv, form->opts, a, why, sizeof why)) {
        tz_usage_error(self->usage, "%s", why);
        return 0;
    }
    if (a->help) {
        printf("用法: %s\n%s。\n%s", self->usage, self->summary, form->help ? form->help : "");
        *status = TZ_EXIT_OK;
        return 0;
    }
    if (a->npos < form->npos_min || a->npos > form->npos_max) {
        tz_usage_error(self->usage, "%s", form->npos_msg);
        return 0;
    }
    return 1;
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
    if (tz_path_exe_dir(exe, sizeof exe) == 0) {
        /* build/taizhang -> source tree; bin/taizhang -> share/taizhang */
        char cand[PATH_MAX + 40];
        snprintf(cand, sizeof cand, "%s/..", exe);
        if (_has_examples(cand) && realpath(cand, home))
            return home;
        snprintf(cand, sizeof cand, "%s/../share/taizhang", exe);
        if (_has_examples(cand) && realpath(cand, home))
            return home;
    }
    snprintf(home, sizeof home, ".");
    return home;
}
