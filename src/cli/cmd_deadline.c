/* cmd_deadline.c - `deadline`: prints or sets the 上报 deadlines (the day of
 * the month after a period by which each level submits it). */
#include "cli/cli.h"
#include "store/store.h"
#include "util/text.h"
#include "web/workflow.h"
#include <stdio.h>
#include <stdlib.h>

/* Prints every level's deadline. Returns an exit status. */
static int _print(tz_store *s)
{
    const char *const *lv = tz_deadline_levels();
    printf("层级  上报期限(期间结束后)\n");
    for (size_t i = 0; lv[i]; i++) {
        int day = 0;
        int r = tz_deadline_get(s, lv[i], &day);
        if (r < 0) {
            fprintf(stderr, "读取上报期限失败: %s\n", tz_store_errmsg(s));
            return TZ_EXIT_ENV;
        }
        tz_buf line = TZ_BUF_INIT;
        tz_text_pad(&line, lv[i], 6);
        if (r == 1)
            tz_buf_printf(&line, "次月%d日前", day);
        else
            tz_buf_puts(&line, "未设置");
        printf("%s\n", tz_buf_str(&line));
        tz_buf_free(&line);
    }
    return TZ_EXIT_OK;
}

int tz_cmd_deadline(int argc, char **argv, const tz_command *self)
{
    static const tz_cli_form form = {
        .npos_min = 1,
        .npos_max = 3,
        .npos_msg = "需要数据库,或数据库、层级和日期",
        .help = "\n不带层级和日期时列出各层级的上报期限;带上时设置一个层级的期限(记入留痕)。\n"
                "层级: 市、县、乡、村(该级区划上报)或 单位(责任单位上报)。\n"
                "日期: 1 至 28,期间结束后的次月几日前上报;如 5 表示 2024-03 须在 2024-04-05 "
                "前(含当天)上报,之后未上报的在上报情况中标为逾期。\n"};
    tz_args a;
    int rc;
    if (!tz_cli_begin(argc, argv, self, &form, &a, &rc))
        return rc;
    if (a.npos == 2)
        return tz_usage_error(self->usage, "设置期限须同时给出层级和日期");
    tz_store *s = NULL;
    if ((rc = tz_cli_open(a.pos[0], 0, &s)) != TZ_EXIT_OK)
        return rc;
    if (a.npos == 1) {
        rc = _print(s);
        tz_store_close(s);
        return rc;
    }
    tz_diags d = TZ_DIAGS_INIT;
    int day = 0;
    int r = tz_deadline_set(s, a.pos[1], a.pos[2], NULL, &d);
    if (r == 0 && tz_deadline_get(s, a.pos[1], &day) != 1)
        r = -1; /* the read after the write: what is now stored */
    tz_store_close(s);
    if (r == 1) {
        char *msg = d.n ? tz_diag_format(&d.items[0]) : NULL;
        rc = tz_usage_error(self->usage, "%s", msg ? msg : "层级或日期不对");
        free(msg);
    } else if (r < 0) {
        if (!d.n)
            fprintf(stderr, "读取上报期限失败\n");
        tz_print_diags(&d);
        rc = TZ_EXIT_ENV;
    } else {
        printf("已设置: %s 次月%d日前上报\n", a.pos[1], day);
        rc = TZ_EXIT_OK;
    }
    tz_diags_clear(&d);
    return rc;
}
