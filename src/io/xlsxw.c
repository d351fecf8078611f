/* xlsxw.c - libxlsxwriter, loaded at first use (see xlsxw.h). */
#include "io/xlsxw.h"
#include "util/lazylib.h"
#include <pthread.h>

void *tz_lxw_fn[TZ_LXW_COUNT];

static const char *const _names[TZ_LXW_COUNT] = {
    "format_set_align",
    "format_set_bg_color",
    "format_set_bold",
    "format_set_border",
    "format_set_font_color",
    "format_set_font_name",
    "format_set_italic",
    "format_set_num_format",
    "format_set_num_format_index",
    "format_set_pattern",
    "format_set_text_wrap",
    "lxw_rowcol_to_range_abs",
    "lxw_strerror",
    "lxw_workbook_free",
    "workbook_add_format",
    "workbook_add_worksheet",
    "workbook_close",
    "workbook_new_opt",
    "workbook_set_properties",
    "workbook_validate_sheet_name",
    "worksheet_data_validation_range",
    "worksheet_freeze_panes",
    "worksheet_hide",
    "worksheet_set_column",
    "worksheet_set_row",
    "worksheet_write_blank",
    "worksheet_write_number",
    "worksheet_write_string",
};

static tz_lazylib _lib = {.soname = "libxlsxwriter.so.4",
                          .what = "写出xlsx文件所需的库",
                          .package = "libxlsxwriter4",
                          .names = _names,
                          .n = TZ_LXW_COUNT,
                          .fn = tz_lxw_fn,
                          .once = PTHREAD_ONCE_INIT};

int tz_lxw_load(const char *file, tz_diags *d)
{
    return tz_lazylib_load(&_lib, file, d);
}
