/* cmd_template.c - `template`: an empty .xlsx sheet to fill in (headers,
 * drop-downs and a row of notes). */
#include "cli/cli.h"
#include "io/writer.h"
#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>

int tz_cmd_template(int argc, char **argv, const tz_command *self)
{
    static const tz_cli_form form = {
        .npos_min = 2,
        .npos_max = 2,
        .npos_msg = "需要 LEDGER 和 FILE 两个参数",
        .help = "第2行为填写说明,导入时删除或保留均可(说明行会被识别并跳过)。\n"};
    tz_args a;
    const tz_ledger *l;
    int rc;
    if (!tz_cli_begin_ledger(argc, argv, self, &form, 0, &a, &l, &rc))
        return rc;
    tz_sheet_column *sc = tz_ledger_sheet_columns(l);
    tz_diags d = TZ_DIAGS_INIT;
    tz_writer *w = NULL;
    int r = sc ? tz_writer_open(a.pos[1], l->name, sc, l->ncols, TZ_WRITER_NOTES_ROW, TZ_ENC_UTF8,
                                &w, &d)
               : -1;
    if (!r)
        r = tz_writer_close(w, &d);
    tz_print_diags(&d);
    if (!r)
        printf("已生成 %s 填报模板: %s\n", l->name, a.pos[1]);
    tz_diags_clear(&d);
    free(sc);
    return r ? TZ_EXIT_ENV : TZ_EXIT_OK;
}
