/* xlsxw.h - libxlsxwriter, loaded at first use (util/lazylib.h).
 *
 * Owns: the list of libxlsxwriter functions Taizhang calls. Include it
 * instead of <xlsxwriter.h>: each function name below stands for the
 * pointer loaded by tz_lxw_load, so the callers read as plain
 * libxlsxwriter. The xlsx writer and the .docx writer (a chart's data) load
 * it before their first call.
 */
#ifndef TZ_IO_XLSXW_H
#define TZ_IO_XLSXW_H
#include "util/diag.h"
#include <xlsxwriter.h>

enum {
    TZ_LXW_format_set_align,
    TZ_LXW_format_set_bg_color,
    TZ_LXW_format_set_bold,
    TZ_LXW_format_set_border,
    TZ_LXW_format_set_font_color,
    TZ_LXW_format_set_font_name,
    TZ_LXW_format_set_italic,
    TZ_LXW_format_set_num_format,
    TZ_LXW_format_set_num_format_index,
    TZ_LXW_format_set_pattern,
    TZ_LXW_format_set_text_wrap,
    TZ_LXW_lxw_rowcol_to_range_abs,
    TZ_LXW_lxw_strerror,
    TZ_LXW_lxw_workbook_free,
    TZ_LXW_workbook_add_format,
    TZ_LXW_workbook_add_worksheet,
    TZ_LXW_workbook_close,
    TZ_LXW_workbook_new_opt,
    TZ_LXW_workbook_set_properties,
    TZ_LXW_workbook_validate_sheet_name,
    TZ_LXW_worksheet_data_validation_range,
    TZ_LXW_worksheet_freeze_panes,
    TZ_LXW_worksheet_hide,
    TZ_LXW_worksheet_set_column,
    TZ_LXW_worksheet_set_row,
    TZ_LXW_worksheet_write_blank,
    TZ_LXW_worksheet_write_number,
    TZ_LXW_worksheet_write_string,
    TZ_LXW_COUNT
};
extern void *tz_lxw_fn[TZ_LXW_COUNT];

/* Loads libxlsxwriter (once). Returns 0, or -1 with a diag (naming file,
 * which may be NULL) saying it is missing. */
int tz_lxw_load(const char *file, tz_diags *d);

/* cppcheck (which reads no system header) sees plain calls */
#ifndef __CPPCHECK__
#define format_set_align ((__typeof__(&format_set_align))tz_lxw_fn[TZ_LXW_format_set_align])
#define format_set_bg_color                                                                        \
    ((__typeof__(&format_set_bg_color))tz_lxw_fn[TZ_LXW_format_set_bg_color])
#define format_set_bold ((__typeof__(&format_set_bold))tz_lxw_fn[TZ_LXW_format_set_bold])
#define format_set_border ((__typeof__(&format_set_border))tz_lxw_fn[TZ_LXW_format_set_border])
#define format_set_font_color                                                                      \
    ((__typeof__(&format_set_font_color))tz_lxw_fn[TZ_LXW_format_set_font_color])
#define format_set_font_name                                                                       \
    ((__typeof__(&format_set_font_name))tz_lxw_fn[TZ_LXW_format_set_font_name])
#define format_set_italic ((__typeof__(&format_set_italic))tz_lxw_fn[TZ_LXW_format_set_italic])
#define format_set_num_format                                                                      \
    ((__typeof__(&format_set_num_format))tz_lxw_fn[TZ_LXW_format_set_num_format])
#define format_set_num_format_index                                                                \
    ((__typeof__(&format_set_num_format_index))tz_lxw_fn[TZ_LXW_format_set_num_format_index])
#define format_set_pattern ((__typeof__(&format_set_pattern))tz_lxw_fn[TZ_LXW_format_set_pattern])
#define format_set_text_wrap                                                                       \
    ((__typeof__(&format_set_text_wrap))tz_lxw_fn[TZ_LXW_format_set_text_wrap])
#define lxw_rowcol_to_range_abs                                                                    \
    ((__typeof__(&lxw_rowcol_to_range_abs))tz_lxw_fn[TZ_LXW_lxw_rowcol_to_range_abs])
#define lxw_strerror ((__typeof__(&lxw_strerror))tz_lxw_fn[TZ_LXW_lxw_strerror])
#define lxw_workbook_free ((__typeof__(&lxw_workbook_free))tz_lxw_fn[TZ_LXW_lxw_workbook_free])
#define workbook_add_format                                                                        \
    ((__typeof__(&workbook_add_format))tz_lxw_fn[TZ_LXW_workbook_add_format])
#define workbook_add_worksheet                                                                     \
    ((__typeof__(&workbook_add_worksheet))tz_lxw_fn[TZ_LXW_workbook_add_worksheet])
#define workbook_close ((__typeof__(&workbook_close))tz_lxw_fn[TZ_LXW_workbook_close])
#define workbook_new_opt ((__typeof__(&workbook_new_opt))tz_lxw_fn[TZ_LXW_workbook_new_opt])
#define workbook_set_properties                                                                    \
    ((__typeof__(&workbook_set_properties))tz_lxw_fn[TZ_LXW_workbook_set_properties])
#define workbook_validate_sheet_name                                                               \
    ((__typeof__(&workbook_validate_sheet_name))tz_lxw_fn[TZ_LXW_workbook_validate_sheet_name])
#define worksheet_data_validation_range                                                            \
    ((__typeof__(&worksheet_data_validation_range))                                                \
         tz_lxw_fn[TZ_LXW_worksheet_data_validation_range])
#define worksheet_freeze_panes                                                                     \
    ((__typeof__(&worksheet_freeze_panes))tz_lxw_fn[TZ_LXW_worksheet_freeze_panes])
#define worksheet_hide ((__typeof__(&worksheet_hide))tz_lxw_fn[TZ_LXW_worksheet_hide])
#define worksheet_set_column                                                                       \
    ((__typeof__(&worksheet_set_column))tz_lxw_fn[TZ_LXW_worksheet_set_column])
#define worksheet_set_row ((__typeof__(&worksheet_set_row))tz_lxw_fn[TZ_LXW_worksheet_set_row])
#define worksheet_write_blank                                                                      \
    ((__typeof__(&worksheet_write_blank))tz_lxw_fn[TZ_LXW_worksheet_write_blank])
#define worksheet_write_number                                                                     \
    ((__typeof__(&worksheet_write_number))tz_lxw_fn[TZ_LXW_worksheet_write_number])
#define worksheet_write_string                                                                     \
    ((__typeof__(&worksheet_write_string))tz_lxw_fn[TZ_LXW_worksheet_write_string])
#endif

#endif
