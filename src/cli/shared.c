/* shared.c - helpers the commands share (cgit's ui-shared.c): opening the
 * database, finding a ledger, file extensions, --where filters, progress
 * bars and printing JSON (shaped by web/views.h).
 * Each prints its own message and hands back an exit status, so a command
 * simply returns it. */
#include "cli/cli.h"
#include "store/store.h"
#include "util/path.h"
#include "web/views.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tz_cli_open(const char *db, unsigned flags, tz_store **s)
{
    tz_diags d = TZ_DIAGS_INIT;
    int rc = tz_store_open(db, flags, s, &d);
    if (rc)
        tz_print_diags(&d);
    tz_diags_clear(&d);
    return rc ? TZ_EXIT_ENV : TZ_EXIT_OK;
}

const tz_ledger *tz_cli_ledger(const char *name, const char *usage, int *status)
{
    const tz_ledger *l = tz_ledger_find(name);
    if (!l) {
        size_t n;
        const tz_ledger *all = tz_ledger_all(&n);
        tz_buf b = TZ_BUF_INIT;
        for (size_t i = 0; i < n; i++)
            tz_buf_printf(&b, "%s%s(%s)", i ? "、" : "", all[i].id, all[i].name);
        char shown[TZ_CLI_ECHO_SIZE];
        *status = tz_usage_error(usage, "未知台账 \"%s\",可选: %s",
                                 tz_cli_echo(name, shown, sizeof shown), tz_buf_str(&b));
        tz_buf_free(&b);
    }
    return l;
}

int tz_cli_file_ext(const char *path, const char *const *exts, const char *what, const char *usage)
{
    size_t n = 0;
    while (exts[n])
        if (tz_path_has_ext(path, exts[n++]))
            return 0;
    tz_buf b = TZ_BUF_INIT;
    for (size_t i = 0; i < n; i++)
        tz_buf_printf(&b, "%s%s", i == 0 ? "" : i + 1 == n ? " 或 " : "、", exts[i]);
    char shown[TZ_CLI_ECHO_SIZE];
    int rc = tz_usage_error(usage, "%s %s 的扩展名应为 %s", what,
                            tz_cli_echo(path, shown, sizeof shown), tz_buf_str(&b));
    tz_buf_free(&b);
    return rc;
}

/* Checks the value of one --where against its column: a usage status, or 0. */
static int _filter_value(const tz_column *col, const char *value, const char *usage)
{
    tz_value tv;
    const char *why = NULL;
    if (tz_value_parse(col, value, 0, &tv, &why) == 0) {
        tz_value_unset(&tv);
        return 0;
    }
    /* an ID number in the filter is the clerk's own input, but the message
     * may be seen over a shoulder or in a log: masked */
    char masked[64], shown[TZ_CLI_ECHO_SIZE];
    if (col->type == TZ_COL_IDCARD) {
        tz_idcard_mask(value, masked, sizeof masked);
        value = masked;
    }
    return tz_usage_error(usage, "--where %s \"%s\": %s", col->name,
                          tz_cli_echo(value, shown, sizeof shown), why);
}

int tz_cli_begin_ledger(int argc, char **argv, const tz_command *self, const tz_cli_form *form,
                        size_t ledger_pos, tz_args *a, const tz_ledger **l, int *status)
{
    return tz_cli_begin(argc, argv, self, form, a, status) &&
           (*l = tz_cli_ledger(a->pos[ledger_pos], self->usage, status)) != NULL;
}

int tz_cli_filters(const tz_args *a, const tz_ledger *l, tz_cli_where *w, const char *usage)
{
    w->n = 0;
    for (size_t k = 0; k < a->nopt; k++) {
        if (strcmp(a->opt[k], "--where") != 0)
            continue;
        const char *v = a->val[k];
        const char *eq = strchr(v, '=');
        char *name = eq && eq != v ? strndup(v, (size_t)(eq - v)) : NULL;
        char shown[TZ_CLI_ECHO_SIZE];
        int c = name ? tz_ledger_col(l, name) : -1;
        int rc = 0;
        if (!eq || eq == v)
            rc = tz_usage_error(usage, "--where 的格式应为 列=值,例如 --where 层级=村");
        else if (c < 0 || strlen(name) >= sizeof w->names[0])
            rc = tz_usage_error(usage, "--where: %s台账没有\"%s\"这一列", l->name,
                                tz_cli_echo(name ? name : "", shown, sizeof shown));
        else
            rc = _filter_value(&l->cols[c], eq + 1, usage);
        if (!rc) {
            snprintf(w->names[w->n], sizeof w->names[0], "%s", name);
            w->f[w->n].column = w->names[w->n];
            w->f[w->n].value = eq + 1;
            w->n++;
        }
        free(name);
        if (rc)
            return rc;
    }
    return 0;
}

void tz_cli_bar(const char *label, int pct, const char *tail, int last)
{
    char bar[31];
    for (int i = 0; i < 30; i++)
        bar[i] = i < pct * 30 / 100 ? '#' : '.';
    bar[30] = '\0';
    fprintf(stderr, "\r%s [%s] %3d%%%s%s", label, bar, pct, tail, last ? "\n" : "");
    (void)fflush(stderr); /* stderr cannot report its own failure */
}

void tz_cli_jprint(const json_t *o)
{
    char *text = tz_view_dump(o);
    if (text)
        fputs(text, stdout);
    free(text);
}
