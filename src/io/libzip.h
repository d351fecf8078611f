/* libzip.h - libzip, loaded at first use (util/lazylib.h).
 *
 * Owns: the list of libzip functions Taizhang calls. Include it instead of
 * <zip.h>: each function name below stands for the pointer loaded by
 * tz_zip_load, so the callers read as plain libzip. The xlsx reader, the
 * xlsx writer and the .docx writer and reader load it before their first
 * call. libzip (with libxlsxwriter) is what brought OpenSSL's libcrypto into
 * every process: docs/decisions.md has the measurements.
 */
#ifndef TZ_IO_LIBZIP_H
#define TZ_IO_LIBZIP_H
#include "util/diag.h"
#include <zip.h>

enum {
    TZ_ZIP_zip_close,
    TZ_ZIP_zip_discard,
    TZ_ZIP_zip_error_fini,
    TZ_ZIP_zip_error_init,
    TZ_ZIP_zip_error_init_with_code,
    TZ_ZIP_zip_error_strerror,
    TZ_ZIP_zip_fclose,
    TZ_ZIP_zip_file_add,
    TZ_ZIP_zip_file_set_dostime,
    TZ_ZIP_zip_file_strerror,
    TZ_ZIP_zip_fopen,
    TZ_ZIP_zip_fopen_index,
    TZ_ZIP_zip_fread,
    TZ_ZIP_zip_get_name,
    TZ_ZIP_zip_get_num_entries,
    TZ_ZIP_zip_name_locate,
    TZ_ZIP_zip_open,
    TZ_ZIP_zip_open_from_source,
    TZ_ZIP_zip_set_file_compression,
    TZ_ZIP_zip_source_buffer,
    TZ_ZIP_zip_source_buffer_create,
    TZ_ZIP_zip_source_close,
    TZ_ZIP_zip_source_free,
    TZ_ZIP_zip_source_keep,
    TZ_ZIP_zip_source_open,
    TZ_ZIP_zip_source_read,
    TZ_ZIP_zip_stat,
    TZ_ZIP_zip_stat_index,
    TZ_ZIP_zip_stat_init,
    TZ_ZIP_zip_strerror,
    TZ_ZIP_COUNT
};
extern void *tz_zip_fn[TZ_ZIP_COUNT];

/* Loads libzip (once). Returns 0, or -1 with a diag (naming file,
 * which may be NULL) saying it is missing. */
int tz_zip_load(const char *file, tz_diags *d);

/* cppcheck (which reads no system header) sees plain calls */
#ifndef __CPPCHECK__
#define zip_close ((__typeof__(&zip_close))tz_zip_fn[TZ_ZIP_zip_close])
#define zip_discard ((__typeof__(&zip_discard))tz_zip_fn[TZ_ZIP_zip_discard])
#define zip_error_fini ((__typeof__(&zip_error_fini))tz_zip_fn[TZ_ZIP_zip_error_fini])
#define zip_error_init ((__typeof__(&zip_error_init))tz_zip_fn[TZ_ZIP_zip_error_init])
#define zip_error_init_with_code                                                                   \
    ((__typeof__(&zip_error_init_with_code))tz_zip_fn[TZ_ZIP_zip_error_init_with_code])
#define zip_error_strerror ((__typeof__(&zip_error_strerror))tz_zip_fn[TZ_ZIP_zip_error_strerror])
#define zip_fclose ((__typeof__(&zip_fclose))tz_zip_fn[TZ_ZIP_zip_fclose])
#define zip_file_add ((__typeof__(&zip_file_add))tz_zip_fn[TZ_ZIP_zip_file_add])
#define zip_file_set_dostime                                                                       \
    ((__typeof__(&zip_file_set_dostime))tz_zip_fn[TZ_ZIP_zip_file_set_dostime])
#define zip_file_strerror ((__typeof__(&zip_file_strerror))tz_zip_fn[TZ_ZIP_zip_file_strerror])
#define zip_fopen ((__typeof__(&zip_fopen))tz_zip_fn[TZ_ZIP_zip_fopen])
#define zip_fopen_index ((__typeof__(&zip_fopen_index))tz_zip_fn[TZ_ZIP_zip_fopen_index])
#define zip_fread ((__typeof__(&zip_fread))tz_zip_fn[TZ_ZIP_zip_fread])
#define zip_get_name ((__typeof__(&zip_get_name))tz_zip_fn[TZ_ZIP_zip_get_name])
#define zip_get_num_entries                                                                        \
    ((__typeof__(&zip_get_num_entries))tz_zip_fn[TZ_ZIP_zip_get_num_entries])
#define zip_name_locate ((__typeof__(&zip_name_locate))tz_zip_fn[TZ_ZIP_zip_name_locate])
#define zip_open ((__typeof__(&zip_open))tz_zip_fn[TZ_ZIP_zip_open])
#define zip_open_from_source                                                                       \
    ((__typeof__(&zip_open_from_source))tz_zip_fn[TZ_ZIP_zip_open_from_source])
#define zip_set_file_compression                                                                   \
    ((__typeof__(&zip_set_file_compression))tz_zip_fn[TZ_ZIP_zip_set_file_compression])
#define zip_source_buffer ((__typeof__(&zip_source_buffer))tz_zip_fn[TZ_ZIP_zip_source_buffer])
#define zip_source_buffer_create                                                                   \
    ((__typeof__(&zip_source_buffer_create))tz_zip_fn[TZ_ZIP_zip_source_buffer_create])
#define zip_source_close ((__typeof__(&zip_source_close))tz_zip_fn[TZ_ZIP_zip_source_close])
#define zip_source_free ((__typeof__(&zip_source_free))tz_zip_fn[TZ_ZIP_zip_source_free])
#define zip_source_keep ((__typeof__(&zip_source_keep))tz_zip_fn[TZ_ZIP_zip_source_keep])
#define zip_source_open ((__typeof__(&zip_source_open))tz_zip_fn[TZ_ZIP_zip_source_open])
#define zip_source_read ((__typeof__(&zip_source_read))tz_zip_fn[TZ_ZIP_zip_source_read])
#define zip_stat ((__typeof__(&zip_stat))tz_zip_fn[TZ_ZIP_zip_stat])
#define zip_stat_index ((__typeof__(&zip_stat_index))tz_zip_fn[TZ_ZIP_zip_stat_index])
#define zip_stat_init ((__typeof__(&zip_stat_init))tz_zip_fn[TZ_ZIP_zip_stat_init])
#define zip_strerror ((__typeof__(&zip_strerror))tz_zip_fn[TZ_ZIP_zip_strerror])
#endif

#endif
