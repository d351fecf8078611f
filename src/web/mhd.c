/* mhd.c - libmicrohttpd, loaded when `serve` starts (see mhd.h). */
#include "web/mhd.h"
#include "util/lazylib.h"

void *tz_mhd_fn[TZ_MHD_COUNT];

static const char *const _names[TZ_MHD_COUNT] = {
    "MHD_add_response_header",
    "MHD_create_response_from_buffer",
    "MHD_destroy_response",
    "MHD_get_connection_info",
    "MHD_get_connection_values",
    "MHD_http_unescape",
    "MHD_lookup_connection_value",
    "MHD_queue_response",
    "MHD_quiesce_daemon",
    "MHD_start_daemon",
    "MHD_stop_daemon",
};

static tz_lazylib _lib = {
    "libmicrohttpd.so.12", _names, TZ_MHD_COUNT, tz_mhd_fn, PTHREAD_ONCE_INIT, 0, ""};

int tz_mhd_load(tz_diags *d)
{
    if (tz_lazylib_load(&_lib) == 0)
        return 0;
    tz_diags_error(d, NULL, 0, NULL, NULL,
                   "无法加载HTTP服务所需的库(%s),请安装 libmicrohttpd12 软件包: %s", _lib.soname,
                   _lib.err);
    return -1;
}
