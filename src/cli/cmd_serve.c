/* cmd_serve.c - `taizhang serve`: the HTTP server (web/server.c) on a
 * database, until SIGTERM or SIGINT. */
#include "cli/cli.h"
#include "metrics/metrics.h"
#include "util/num.h"
#include "web/web.h"
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#define SERVE_THREADS_MAX 256 /* most worker threads --threads accepts */

int tz_cmd_serve(int argc, char **argv, const tz_command *self)
{
    static const tz_opt_spec opts[] = {{.name = "--listen", .takes_value = 1},
                                       {.name = "--threads", .takes_value = 1},
                                       {.name = "--quiet"},
                                       {.name = NULL}};
    const tz_cli_form form = {
        .opts = opts,
        .npos_min = 1,
        .npos_max = 1,
        .npos_msg = "需要一个数据库参数",
        .help = "\n  --listen 主机:端口  监听地址,默认 127.0.0.1:8080(IPv6 写作 [::1]:8080;"
                "端口 0 表示任选一个空闲端口)\n"
                "  --threads N   工作线程数(1-256),默认为CPU核数的两倍且不少于4\n"
                "  --quiet       不在标准错误输出请求日志\n"
                "启动后在标准输出打印服务地址;收到 SIGTERM 或 SIGINT(Ctrl+C)时不再接受新连接,\n"
                "处理完正在进行的请求后退出。请求日志每行为: 时间 地址 方法 路径 状态 耗时,\n"
                "不含查询参数、请求内容、密码或身份证号。\n"};
    tz_args a;
    int rc;
    if (!tz_cli_begin(argc, argv, self, &form, &a, &rc))
        return rc;
    tz_serve_opts o = {.db = a.pos[0],
                       .listen = tz_args_get(&a, "--listen"),
                       .threads = 0,
                       .quiet = tz_args_has(&a, "--quiet")};
    const char *th = tz_args_get(&a, "--threads");
    if (th) {
        long long n = 0;
        if (tz_num_int(th, 1, SERVE_THREADS_MAX, &n))
            return tz_usage_error(self->usage, "--threads \"%s\" 有误: 应为1到%d之间的整数", th,
                                  SERVE_THREADS_MAX);
        o.threads = (unsigned)n;
    }
    if (!o.listen)
        o.listen = "127.0.0.1:8080";
    char templates[PATH_MAX + 16], lines[PATH_MAX + 32];
    snprintf(templates, sizeof templates, "%s/templates", tz_home_dir());
    o.templates = templates;
    tz_diags d = TZ_DIAGS_INIT;
    /* the poverty lines the checks use, as `check` loads them */
    snprintf(lines, sizeof lines, "%s/data/poverty_lines.tsv", tz_home_dir());
    int r = access(lines, R_OK) == 0 ? tz_poverty_lines_load(lines, &d) : 0;
    if (r == 0)
        r = tz_serve(&o, &d);
    tz_print_diags(&d);
    tz_diags_clear(&d);
    return r == 0 ? TZ_EXIT_OK : r > 0 ? TZ_EXIT_USAGE : TZ_EXIT_ENV;
}
