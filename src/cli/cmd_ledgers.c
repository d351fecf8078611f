/* cmd_ledgers.c - `ledgers`: every ledger (or one) with its columns, as
 * text or JSON. */
#include "cli/cli.h"
#include "store/store.h"
#include "util/buf.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

static const char *_type_word(tz_coltype t)
{
    static const char *const w[] = {"文本", "整数",     "数值", "是/否",    "日期",        "月份",
                                    "年度", "区划代码", "枚举", "身份证号", "列表(、分隔)"};
    return w[t];
}

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
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const tz_ledger *l = &all[i];
        if (only && only != l)
            continue;
        json_t *cols = json_array();
        if (!tz_args_has(&a, "--json"))
            printf("%s %s\n", l->id, l->name);
        for (size_t k = 0; k < l->ncols; k++) {
            const tz_column *c = &l->cols[k];
            tz_buf ch = TZ_BUF_INIT;
            for (int j = 0; c->choices && c->choices[j]; j++)
                tz_buf_printf(&ch, "%s%s", j ? "/" : "", c->choices[j]);
            if (!tz_args_has(&a, "--json"))
                printf("  %-s%s  %s%s%s%s%s\n", c->name, (c->flags & TZ_F_KEY) ? " [键]" : "",
                       _type_word(c->type), ch.len ? " " : "", tz_buf_str(&ch), c->ref ? " → " : "",
                       c->ref ? c->ref : "");
            json_array_append_new(cols,
                                  json_pack("{s:s, s:s, s:s, s:b, s:b, s:s?}", "name", c->name,
                                            "type", _type_word(c->type), "choices", tz_buf_str(&ch),
                                            "key", (c->flags & TZ_F_KEY) != 0, "required",
                                            (c->flags & (TZ_F_KEY | TZ_F_REQUIRED)) != 0,
                                            "references", c->ref));
            tz_buf_free(&ch);
        }
        json_array_append_new(
            arr, json_pack("{s:s, s:s, s:o}", "id", l->id, "name", l->name, "columns", cols));
    }
    if (tz_args_has(&a, "--json")) {
        char *s = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        puts(s);
        free(s);
    }
    json_decref(arr);
    return TZ_EXIT_OK;
}
