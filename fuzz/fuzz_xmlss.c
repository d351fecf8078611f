/* fuzz_xmlss.c - libFuzzer harness for the SpreadsheetML 2003 backend of the
 * table reader (the XML ".xls" web systems export): each input is written
 * to <scratch>/in.xls as it is and read through the public API, first the
 * first visible worksheet, then every worksheet (fuzz_util.h checks every
 * row; rows rise strictly, as ss:Index must). The content decides the
 * backend, so an input that is no longer SpreadsheetML tests the format
 * sniffing and its refusal. */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = _scratch_write(".xls", data, size);
    _read_all(path, 1);
    _read_sheets(path, 1);
    return 0;
}
