/* fuzz_xls.c - libFuzzer harness for the legacy .xls backend of the table
 * reader: each input is written to <scratch>/in.xls and read to its end
 * through tz_reader_open / tz_reader_next (fuzz_util.h checks every row),
 * so it exercises whatever parses .xls today (FreeXL, in process or in a
 * child). */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    _read_all(_scratch_write(".xls", data, size), 0);
    return 0;
}
