/* fuzz_xlsx_parts.c - libFuzzer harness for the XML side of the XLSX
 * reader: the worksheet, shared strings, workbook and its relationships.
 *
 * Mutating a whole .xlsx mostly breaks the deflate stream or a CRC, so the
 * XML parsers behind it are rarely reached; here the input holds the XML
 * parts themselves, separated by NUL bytes (XML never contains NUL):
 *
 *   sheet1.xml \0 sharedStrings.xml \0 workbook.xml \0 workbook.xml.rels
 *
 * and the harness packs them into a valid zip (libzip, stored) at
 * <scratch>/in.xlsx, then reads it to its end (fuzz_util.h checks every
 * row). It reads it twice more, with the worksheet scanner (xlsx_scan.c)
 * and with expat alone, and aborts unless both give the same rows, cells,
 * kinds, result and diagnostics, word for word. A part the input does not reach (fewer NULs) gets a plain default
 * (no shared strings; a workbook with one sheet, rId1 → the worksheet,
 * rId2 → the shared strings); a part that is present but empty is stored
 * empty.
 */
#include "fuzz_util.h"
#include "io/reader_impl.h"
#include "util/buf.h"
#include <zip.h>

enum { P_SHEET, P_SST, P_WB, P_RELS, NPARTS };

static const char *const _part_name[NPARTS] = {
    "xl/worksheets/sheet1.xml",
    "xl/sharedStrings.xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
};

static const char _ct[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types "
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" "
    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>";
static const char _root_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships "
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship "
    "Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
    "Target=\"xl/workbook.xml\"/></Relationships>";
static const char _def_wb[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook "
    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char _def_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships "
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" "
    "Target=\"sharedStrings.xml\"/></Relationships>";

/* Compression of the parts: stored is several times faster to write and to
 * read back than deflated; both go through the same zip_fread path. */
static const zip_int32_t _method = ZIP_CM_STORE;

/* Adds n bytes at p as entry name of z (libzip copies nothing until
 * zip_close, so p must live until then). Aborts on failure: the harness
 * would test nothing. */
static void _add(zip_t *z, const char *name, const void *p, size_t n)
{
    zip_source_t *src = zip_source_buffer(z, p, n, 0);
    zip_int64_t idx = src ? zip_file_add(z, name, src, ZIP_FL_OVERWRITE) : -1;
    if (idx < 0 || zip_set_file_compression(z, (zip_uint64_t)idx, _method, 0) < 0) {
        fprintf(stderr, "tz-fuzz: zip_file_add %s: %s\n", name, zip_strerror(z));
        if (idx < 0)
            zip_source_free(src);
        abort();
    }
}

/* What reading path gives with the scanner on or off: each row, its cells
 * and kinds, the last result and every diagnostic. Caller frees. */
static char *_transcript(const char *path, int scan)
{
    tz__xlsx_scan = scan;
    tz_diags d = TZ_DIAGS_INIT;
    tz_buf b = TZ_BUF_INIT;
    b.max = (size_t)1 << 30;
    tz_reader *r = NULL;
    int rc = -2;
    if (tz_reader_open(path, &r, &d) == 0) {
        const tz_row *row;
        while ((rc = tz_reader_next(r, &row, &d)) == 1) {
            tz_buf_printf(&b, "%ld:", row->rowno);
            for (size_t i = 0; i < row->n; i++)
                tz_buf_printf(&b, "|%d:%s", row->numeric[i], row->cells[i]);
            tz_buf_putc(&b, '\n');
        }
        tz_reader_free(r);
    }
    tz_buf_printf(&b, "rc %d\n", rc);
    for (size_t i = 0; i < d.n; i++) {
        char *m = tz_diag_format(&d.items[i]);
        tz_buf_printf(&b, "%s\n", m ? m : "(null)");
        free(m);
    }
    tz_diags_clear(&d);
    tz__xlsx_scan = 1;
    char *t = tz_buf_take(&b);
    if (!t)
        abort(); /* out of memory: nothing to compare */
    return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *part[NPARTS] = {0};
    size_t len[NPARTS] = {0};
    size_t np = 0;
    size_t start = 0;
    for (size_t i = 0; i <= size && np < NPARTS; i++) {
        if (i == size || data[i] == 0) {
            part[np] = data + start;
            len[np] = i - start;
            np++;
            start = i + 1;
        }
    }
    /* Write an empty file first, so a zip_close failure cannot leave the
     * previous input's package in place. */
    const char *path = _scratch_write(".xlsx", (const uint8_t *)"", 0);
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    if (!z) {
        fprintf(stderr, "tz-fuzz: zip_open failed (%d)\n", zerr);
        abort();
    }
    _add(z, "[Content_Types].xml", _ct, sizeof _ct - 1);
    _add(z, "_rels/.rels", _root_rels, sizeof _root_rels - 1);
    for (int k = 0; k < NPARTS; k++) {
        if (k < (int)np)
            _add(z, _part_name[k], part[k], len[k]);
        else if (k == P_WB)
            _add(z, _part_name[k], _def_wb, sizeof _def_wb - 1);
        else if (k == P_RELS)
            _add(z, _part_name[k], _def_rels, sizeof _def_rels - 1);
    }
    if (zip_close(z) != 0) {
        fprintf(stderr, "tz-fuzz: zip_close: %s\n", zip_strerror(z));
        zip_discard(z);
        abort();
    }
    _read_all(path, 0);
    char *fast = _transcript(path, 1), *slow = _transcript(path, 0);
    if (strcmp(fast, slow) != 0) {
        fprintf(stderr,
                "tz-fuzz: the worksheet scanner and expat differ\n--- scanner:\n%.4000s\n"
                "--- expat:\n%.4000s\n",
                fast, slow);
        abort();
    }
    free(fast);
    free(slow);
    return 0;
}
