/* cmd_ledgers.c - `ledgers`: every ledger (or one) with its columns, as
 * text or JSON (the JSON is web/views.c's tz_view_ledgers). */
#include "cli/cli.h"
#include "store/store.h"
#include "util/buf.h"
#include "web/views.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

int tz_cmd_ledgers(int argc, char **argv, const tz_command *self)
{
    static const tz_opt_spec opts[] = {{.name = "--json"}, {.name = NULL}};
    static const tz_cli_form form = {
        .opts = opts, .npos_min = 0, .npos_max = 1, .npos_msg = "最多指定一个台账"};
    tz_args a;
    int rc;
    if (!tz_cli_begin(argc, argv, self, &form, &a, &rc))
        return rc;
    size_t n;
    const tz_ledger *all = tz_ledger_all(&n);
    const tz_ledger *only = NULL;
    if (a.npos == 1 && !(only = tz_cli_ledger(a.pos[0], self->usage, &rc)))
        return rc;
    if (tz_args_has(&a, "--json")) {
        json_t *arr = tz_view_ledgers(only);
        tz_cli_jprint(arr);
        json_decref(arr);
        return TZ_EXIT_OK;
    }
    for (size_t i = 0; i < n; i++) {
        const tz_ledger *l = &all[i];
        if (only && only != l)
            continue;
        printf("%s %s\n", l->id, l->name);
        for (size_t k = 0; k < l->ncols; k++) {
            const tz_column *c = &l->cols[k];
            tz_buf ch = TZ_BUF_INIT;
            for (int j = 0; c->choices && c->choices[j]; j++)
                tz_buf_printf(&ch, "%s%s", j ? "/" : "", c->choices[j]);
            printf("  %-s%s  %s%s%s%s%s\n", c->name, (c->flags & TZ_F_KEY) ? " [键]" : "",
                   tz_view_type_word(c->type), ch.len ? " " : "", tz_buf_str(&ch),
                   c->ref ? " → " : "", c->ref ? c->ref : "");
            tz_buf_free(&ch);
        }
    }
    return TZ_EXIT_OK;
}
