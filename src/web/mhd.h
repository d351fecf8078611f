/* mhd.h - libmicrohttpd, loaded when `serve` starts (util/lazylib.h).
 *
 * Owns: the list of libmicrohttpd functions the web server calls. Include
 * it instead of <microhttpd.h>: each function name below stands for the
 * pointer loaded by tz_mhd_load, so the callers read as plain
 * libmicrohttpd. tz_serve loads it before starting the daemon; every other
 * call runs inside a request, after that.
 */
#ifndef TZ_WEB_MHD_H
#define TZ_WEB_MHD_H
#include "util/diag.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <microhttpd.h>

enum {
    TZ_MHD_MHD_add_response_header,
    TZ_MHD_MHD_create_response_from_buffer,
    TZ_MHD_MHD_destroy_response,
    TZ_MHD_MHD_get_connection_info,
    TZ_MHD_MHD_get_connection_values,
    TZ_MHD_MHD_http_unescape,
    TZ_MHD_MHD_lookup_connection_value,
    TZ_MHD_MHD_queue_response,
    TZ_MHD_MHD_quiesce_daemon,
    TZ_MHD_MHD_start_daemon,
    TZ_MHD_MHD_stop_daemon,
    TZ_MHD_COUNT
};
extern void *tz_mhd_fn[TZ_MHD_COUNT];

/* Loads libmicrohttpd (once). Returns 0, or -1 with a diag saying it is
 * missing. */
int tz_mhd_load(tz_diags *d);

/* cppcheck (which reads no system header) sees plain libmicrohttpd calls */
#ifndef __CPPCHECK__
#define MHD_add_response_header                                                                    \
    ((__typeof__(&MHD_add_response_header))tz_mhd_fn[TZ_MHD_MHD_add_response_header])
#define MHD_create_response_from_buffer                                                            \
    ((__typeof__(&MHD_create_response_from_buffer))                                                \
         tz_mhd_fn[TZ_MHD_MHD_create_response_from_buffer])
#define MHD_destroy_response                                                                       \
    ((__typeof__(&MHD_destroy_response))tz_mhd_fn[TZ_MHD_MHD_destroy_response])
#define MHD_get_connection_info                                                                    \
    ((__typeof__(&MHD_get_connection_info))tz_mhd_fn[TZ_MHD_MHD_get_connection_info])
#define MHD_get_connection_values                                                                  \
    ((__typeof__(&MHD_get_connection_values))tz_mhd_fn[TZ_MHD_MHD_get_connection_values])
#define MHD_http_unescape ((__typeof__(&MHD_http_unescape))tz_mhd_fn[TZ_MHD_MHD_http_unescape])
#define MHD_lookup_connection_value                                                                \
    ((__typeof__(&MHD_lookup_connection_value))tz_mhd_fn[TZ_MHD_MHD_lookup_connection_value])
#define MHD_queue_response ((__typeof__(&MHD_queue_response))tz_mhd_fn[TZ_MHD_MHD_queue_response])
#define MHD_quiesce_daemon ((__typeof__(&MHD_quiesce_daemon))tz_mhd_fn[TZ_MHD_MHD_quiesce_daemon])
#define MHD_start_daemon ((__typeof__(&MHD_start_daemon))tz_mhd_fn[TZ_MHD_MHD_start_daemon])
#define MHD_stop_daemon ((__typeof__(&MHD_stop_daemon))tz_mhd_fn[TZ_MHD_MHD_stop_daemon])
#endif

#endif
