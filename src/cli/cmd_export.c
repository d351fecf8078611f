/* cmd_export.c - `export`: a ledger (or the rows --where picks) to .xlsx
 * or .csv, with the audit row of every export. */
#include "cli/cli.h"
#include "store/store.h"
#include <stdio.h>
#include <strings.h>

/* The --encoding value: 0 and *enc set, or a usage status. */
static int _encoding(const tz_args *a, tz_encoding *enc, const char *usage)
{
    const char *e = tz_args_get(a, "--encoding");
    *enc = TZ_ENC_UTF8;
    if (!e || !strcasecmp(e, "utf-8") || !strcasecmp(e, "utf8"))
        return 0;
    if (!strcasecmp(e, "gb18030") || !strcasecmp(e, "gbk")) {
        *enc = TZ_ENC_GB18030;
        return 0;
    }
    return tz_usage_error(usage, "--encoding 只能是 utf-8 或 gb18030");
}

int tz_cmd_export(int argc, char **argv, const tz_command *self)
{
    static const tz_opt_spec opts[] = {{.name = "--encoding", .takes_value = 1},
                                       {.name = "--where", .takes_value = 1, .repeatable = 1},
                                       {.name = NULL}};
    static const tz_cli_form form = {
        .opts = opts,
        .npos_min = 3,
        .npos_max = 3,
        .npos_msg = "需要 DB、LEDGER 和 FILE 三个参数",
        .help = "列顺序与台账规范一致。\n\n"
                "  .xlsx  冻结表头、列宽适合中文、枚举列带下拉选项、身份证号和代码列为文本格式、"
                "日期为日期单元格\n"
                "  .csv   默认 UTF-8(带BOM,Excel可直接打开);--encoding gb18030 输出GB18030\n"
                "  --where 列=值  只导出符合条件的行,可重复\n"
                "\n身份证号完整导出(供与国家系统交换),请妥善保管导出文件。\n"
                "导出文件的权限为0600(仅本人可读写);设置环境变量 TZ_FILE_GROUP=组名 时"
                "为0640并归该组。\n"
                ".csv 中以 = + - @ 、制表符或回车开头的文字前加一个撇号('),"
                "防止被表格软件当作公式执行,导入时自动去掉。\n"};
    tz_args a;
    const tz_ledger *l;
    int rc;
    if (!tz_cli_begin_ledger(argc, argv, self, &form, 1, &a, &l, &rc))
        return rc;
    static const char *const exts[] = {".xlsx", ".csv", NULL};
    tz_encoding enc;
    tz_cli_where w;
    if ((rc = tz_cli_file_ext(a.pos[2], exts, "导出文件", self->usage)) ||
        (rc = _encoding(&a, &enc, self->usage)) || (rc = tz_cli_filters(&a, l, &w, self->usage)))
        return rc;
    tz_store *s = NULL;
    if ((rc = tz_cli_open(a.pos[0], 0, &s)))
        return rc;
    tz_diags d = TZ_DIAGS_INIT;
    size_t n = 0;
    int r = tz_export_file(s, l, a.pos[2], enc, w.f, w.n, &n, &d);
    tz_print_diags(&d);
    if (r == 0)
        printf("已导出 %s → %s: %zu行\n", l->name, a.pos[2], n);
    tz_diags_clear(&d);
    tz_store_close(s);
    return r == 0 ? TZ_EXIT_OK : r == 1 ? TZ_EXIT_DATA : TZ_EXIT_ENV;
}
