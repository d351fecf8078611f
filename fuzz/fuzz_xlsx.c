/* fuzz_xlsx.c - libFuzzer harness for the XLSX backend of the table reader,
 * on whole files: each input is written to <scratch>/in.xlsx as it is and
 * read to its end (fuzz_util.h checks every row). This reaches the zip
 * layer (libzip: directory, sizes, duplicate or missing entries, the bomb
 * guard); fuzz_xlsx_parts reaches the XML inside. */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    _read_all(_scratch_write(".xlsx", data, size), 0);
    return 0;
}
