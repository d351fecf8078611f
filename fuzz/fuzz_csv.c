/* fuzz_csv.c - libFuzzer harness for the CSV backend of the table reader.
 *
 * Each input is written to <scratch>/in.csv and read to its end with
 * tz_reader_open / tz_reader_next (fuzz_util.h checks every row).
 *
 * The reader decodes in 64 KiB chunks and decides the encoding from the
 * first chunk, so bugs at a chunk boundary need inputs past 64 KiB, which
 * mutation alone rarely reaches. An input that starts with the byte 0xB5
 * is therefore a boundary case: byte 1 picks a filler (ASCII records, one
 * long quoted field, UTF-8 or GB18030 Chinese records, CRs), bytes 2-3 an
 * offset k < 4096, and the rest is placed after 64 KiB - k bytes of that
 * filler, so it straddles the first chunk boundary.
 */
#include "fuzz_util.h"

#define BOUNDARY_TAG 0xB5
#define CHUNK_SIZE ((size_t)64 << 10)

/* Fills dst[0..n) with filler kind k (0-4). */
static void _fill(uint8_t *dst, size_t n, unsigned k)
{
    static const char *const unit[] = {
        "a,1,\"b\"\n",                             /* ASCII records */
        "x",                                       /* one long field (opened with a quote below) */
        "\xe6\xb5\x8b\xe8\xaf\x95,\xe6\x96\x87\n", /* UTF-8 测试,文 */
        "\xb2\xe2\xca\xd4,\xce\xc4\n",             /* GB18030 测试,文 */
        "\r",                                      /* bare CRs */
    };
    const char *u = unit[k % 5];
    size_t ul = strlen(u);
    for (size_t i = 0; i < n; i++)
        dst[i] = (uint8_t)u[i % ul];
    if (k % 5 == 1 && n > 0)
        dst[0] = '"';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= 4 && data[0] == BOUNDARY_TAG) {
        size_t k = ((size_t)data[2] << 8 | data[3]) % 4096;
        size_t pad = CHUNK_SIZE - k;
        size_t n = pad + (size - 4);
        uint8_t *buf = malloc(n);
        if (!buf)
            return 0;
        _fill(buf, pad, data[1]);
        memcpy(buf + pad, data + 4, size - 4);
        _read_all(_scratch_write(".csv", buf, n), 1);
        free(buf);
        return 0;
    }
    _read_all(_scratch_write(".csv", data, size), 1);
    return 0;
}
