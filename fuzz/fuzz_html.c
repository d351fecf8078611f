/* fuzz_html.c - libFuzzer harness for the HTML-table backend of the table
 * reader (the ".xls" web systems export as a web page): each input is
 * written to <scratch>/in.xls as it is and read through the public API,
 * first the first table, then every table as a sheet (fuzz_util.h checks
 * every row). The content decides the backend, so an input that is no
 * longer HTML tests the format sniffing and its refusal. */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = _scratch_write(".xls", data, size);
    _read_all(path, 1);
    _read_sheets(path, 1);
    return 0;
}
