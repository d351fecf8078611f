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

static tz_lazylib _lib = {.soname = "libmicrohttpd.so.12",
                          .what = "HTTP服务所需的库",
                          .package = "libmicrohttpd12",
                          .names = _names,
                          .n = TZ_MHD_COUNT,
                          .fn = tz_mhd_fn,
                          .once = PTHREAD_ONCE_INIT};

int tz_mhd_load(tz_diags *d)
{
    return tz_lazylib_load(&_lib, NULL, d);
}
