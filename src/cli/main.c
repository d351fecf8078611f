/* main.c - taizhang: the command table and dispatch. */
#include "cli/cli.h"
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

static const tz_command _commands[] = {
    {"init", "创建一个新的台账数据库", "taizhang init DB", tz_cmd_init},
    {"import", "导入台账文件(.xlsx/.csv/.xls),全部校验通过才写入",
     "taizhang import DB LEDGER FILE [--dry-run] [--quiet] [--json]", tz_cmd_import},
    {"export", "导出台账为 .xlsx 或 .csv",
     "taizhang export DB LEDGER FILE [--encoding utf-8|gb18030] [--where 列=值]...", tz_cmd_export},
    {"template", "生成空白填报模板(.xlsx,含表头、下拉选项和填写说明)",
     "taizhang template LEDGER FILE.xlsx", tz_cmd_template},
    {"list", "列出台账记录(表格或JSON)",
     "taizhang list DB LEDGER [--where 列=值]... [--json] [--limit N] [--unmask]", tz_cmd_list},
    {"ledgers", "列出全部台账及其列定义", "taizhang ledgers [LEDGER] [--json]", tz_cmd_ledgers},
    {"demo", "创建示例数据库并导入示例台账(鹿邑县、商丘市)", "taizhang demo DB [--quiet]",
     tz_cmd_demo},
    {"gen", "生成任意规模的合成台账(CSV,可直接导入;同一种子结果相同)",
     "taizhang gen DIR --households N [--seed S] [--quiet]", tz_cmd_gen},
    {"check", "目标任务考核(按时序进度)与规则检查(存在的问题,数据质量)",
     "taizhang check DB [--region 区划] [--unit 单位] [--period 期间] [--json]", tz_cmd_check},
    {"indicator", "计算一个指标(可分组、可列出来源记录)",
     "taizhang indicator DB NAME [--region 区划] [--unit 单位] [--period 期间] "
     "[--mode 期间|累计|现状] [--by 维度] [--explain] [--json]",
     tz_cmd_indicator},
    {"indicators", "列出全部指标和规则", "taizhang indicators [--json]", tz_cmd_indicators},
    {"report", "根据台账起草汇报材料(.docx/.md/.html),可附数字来源",
     "taizhang report DB --kind KIND --region CODE [--unit NAME] --period P "
     "-o FILE [--appendix] [--date YYYY-MM-DD] [--no-proofread] [--template FILE] "
     "[--templates DIR] | taizhang report --list",
     tz_cmd_report},
    {"backup", "备份数据库(其他命令可同时进行)", "taizhang backup DB FILE [--quiet]",
     tz_cmd_backup},
    {"restore", "把备份恢复为新的数据库(不覆盖已有数据库)", "taizhang restore FILE DB [--quiet]",
     tz_cmd_restore},
    {"copy", "把整个数据库复制为新的数据库(SQLite 与 PostgreSQL 互相复制,一个不少)",
     "taizhang copy SRC DST [--quiet]", tz_cmd_copy},
    {"deadline", "查看或设置各层级的上报期限(次月几日前上报)", "taizhang deadline DB [层级 日期]",
     tz_cmd_deadline},
    {"proofread",
     "校对汇报材料(.docx/.md/.html/.txt):错别字、重复词、括号、数字和年份写法、与台账不符的数字",
     "taizhang proofread FILE [--db DB [--region CODE] [--period P]] [--words FILE]",
     tz_cmd_proofread},
    {"user", "服务端账户: 新增、列出、停用、改密码(密码从标准输入读取)",
     "taizhang user add|list|disable|passwd DB ...", tz_cmd_user},
    {"serve", "启动台账服务(HTTP接口),供各级账户通过浏览器使用",
     "taizhang serve DB [--listen 127.0.0.1:8080] [--threads N] [--quiet]", tz_cmd_serve},
};
#define NCOMMANDS (sizeof _commands / sizeof _commands[0])

static void _help(FILE *fp)
{
    fprintf(fp, "台账 Taizhang %s — 精准扶贫与招商引资工作台账、目标考核与汇报材料\n\n",
            TZ_VERSION);
    fprintf(fp, "用法: taizhang 命令 [参数]\n\n命令:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(fp, "  %-10s %s\n", _commands[i].name, _commands[i].summary);
    fprintf(
        fp,
        "\nDB 为 SQLite 数据库文件路径,或 postgresql://... 连接串。\n"
        "LEDGER 为台账标识或中文名,如 households 或 建档立卡贫困户(taizhang ledgers 列出全部)。\n"
        "每个命令都支持 --help。\n\n"
        "退出状态: 0 成功; 1 数据被拒绝,或有目标未完成、滞后于序时进度或规则发现问题; 2 用法错误; "
        "3 环境错误(文件无法读写、数据库错误)。\n");
}

/* What the command wrote to stdout must have reached it: a write error there
 * (a full disk under "> FILE") is sticky, so one check at the end finds it.
 * Returns rc, or TZ_EXIT_ENV with a message when stdout failed. */
static int _stdout_checked(int rc)
{
    int flushed = fflush(stdout);
    int err = errno;
    if (flushed == 0 && !ferror(stdout))
        return rc;
    fprintf(stderr, "写入标准输出失败(%s),输出不完整\n", flushed != 0 ? strerror(err) : "写入出错");
    return TZ_EXIT_ENV;
}

static int _run(int argc, char **argv)
{
    if (argc < 2) {
        _help(stderr);
        return TZ_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        _help(stdout);
        return TZ_EXIT_OK;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        printf("taizhang %s\n", TZ_VERSION);
        return TZ_EXIT_OK;
    }
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(_commands[i].name, cmd))
            return _commands[i].run(argc - 2, argv + 2, &_commands[i]);
    fprintf(stderr, "未知命令: %s\n\n", cmd);
    _help(stderr);
    return TZ_EXIT_USAGE;
}

int main(int argc, char **argv)
{
    /* best effort: without C.UTF-8 the "C" locale stays, which classifies the
     * ASCII bytes our ctype calls look at the same way */
    (void)setlocale(LC_CTYPE, "C.UTF-8");
    return _stdout_checked(_run(argc, argv));
}
