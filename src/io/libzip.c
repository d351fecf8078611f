/* libzip.c - libzip, loaded at first use (see libzip.h). */
#include "io/libzip.h"
#include "util/lazylib.h"
#include <pthread.h>

void *tz_zip_fn[TZ_ZIP_COUNT];

static const char *const _names[TZ_ZIP_COUNT] = {
    "zip_close",
    "zip_discard",
    "zip_error_fini",
    "zip_error_init",
    "zip_error_init_with_code",
    "zip_error_strerror",
    "zip_fclose",
    "zip_file_add",
    "zip_file_set_dostime",
    "zip_file_strerror",
    "zip_fopen",
    "zip_fopen_index",
    "zip_fread",
    "zip_get_name",
    "zip_get_num_entries",
    "zip_name_locate",
    "zip_open",
    "zip_open_from_source",
    "zip_set_file_compression",
    "zip_source_buffer",
    "zip_source_buffer_create",
    "zip_source_close",
    "zip_source_free",
    "zip_source_keep",
    "zip_source_open",
    "zip_source_read",
    "zip_stat",
    "zip_stat_index",
    "zip_stat_init",
    "zip_strerror",
};

static tz_lazylib _lib = {.soname = "libzip.so.4",
                          .what = "读写xlsx和docx文件所需的库",
                          .package = "libzip4",
                          .names = _names,
                          .n = TZ_ZIP_COUNT,
                          .fn = tz_zip_fn,
                          .once = PTHREAD_ONCE_INIT};

int tz_zip_load(const char *file, tz_diags *d)
{
    return tz_lazylib_load(&_lib, file, d);
}
