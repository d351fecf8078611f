/* csv_read.c - CSV backend of the table reader: RFC 4180 records from
 * UTF-8 (with or without BOM) or GB18030/GBK text, read in fixed chunks.
 *
 * Encoding: a UTF-8 BOM means UTF-8. Otherwise the first 64 KiB decide: if
 * their non-ASCII bytes are valid UTF-8 the file is UTF-8, else GB18030
 * (converted by util/text's converter). While everything read is ASCII the decision waits
 * for the first chunk holding a non-ASCII byte. Bytes that do not fit the
 * chosen encoding are reported with the row in which they occur.
 *
 * Rows count records, not lines: a quoted field spanning lines belongs to
 * the row where its record starts, as Excel shows it. CRLF inside a quoted
 * field becomes LF (a line break within the cell).
 */
#include "io/reader_impl.h"
#include "util/buf.h"
#include "util/text.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CSV_CHUNK ((size_t)64 << 10) /* bytes read per fread; also the detection window */
#define CSV_CARRY 8                  /* room for an incomplete character carried over */

enum { CSV_ENC_UNDECIDED = 0, CSV_ENC_UTF8 = 1, CSV_ENC_GB = 2 };
enum { CSV_ST_FIELD = 0, CSV_ST_PLAIN = 1, CSV_ST_QUOTED = 2, CSV_ST_QUOTE_SEEN = 3 };

typedef struct _csv {
    FILE *fp;                  /* the open file */
    int enc;                   /* CSV_ENC_*: how raw bytes become UTF-8 */
    tz_conv *conv;             /* GB18030 to UTF-8 converter, or NULL */
    unsigned char *raw;        /* raw bytes: carried-over bytes, then the latest chunk */
    size_t rawlen;             /* bytes in raw */
    tz_buf dec;                /* decoded UTF-8 text waiting for the parser */
    size_t decpos;             /* bytes of dec already parsed */
    int eof;                   /* the file has been read to its end */
    int bad;                   /* decoding stopped at bytes that are not text */
    int bad_at_end;            /* ...because the file ends inside a character */
    unsigned char badbytes[4]; /* the offending bytes, for the message */
    size_t nbad;               /* number of bytes in badbytes */
    int state;                 /* CSV_ST_*: where the parser is within a field */
    int cr_in_quote;           /* a CR inside quotes is waiting to see if LF follows */
    int skip_lf;               /* the last record ended with CR: drop one LF that follows */
    int inrec;                 /* the current record has begun */
    size_t col;                /* 0-based column of the field being read */
    tz_buf field;              /* text of the field being read (capped) */
    long rowno;                /* row number of the current record (header is 1) */
    int finished;              /* the end of the data was returned */
    int failed;                /* an error was reported; later calls fail at once */
    int sheet_given;           /* tz_reader_next_sheet returned the one sheet */
} _csv;

static void _csv_free(void *impl)
{
    _csv *c = impl;
    if (!c)
        return;
    if (c->fp)
        (void)fclose(c->fp); /* read only: a failed close loses nothing */
    tz_conv_free(c->conv);
    free(c->raw);
    tz_buf_free(&c->dec);
    tz_buf_free(&c->field);
    free(c);
}

/* Remembers up to 4 bytes at p (n available) as the undecodable ones. */
static void _mark_bad(_csv *c, const unsigned char *p, size_t n, int at_end)
{
    c->bad = 1;
    c->bad_at_end = at_end;
    c->nbad = n < sizeof c->badbytes ? n : sizeof c->badbytes;
    memcpy(c->badbytes, p, c->nbad);
}

/* Decides between UTF-8 and GB18030 from the raw bytes when they hold a
 * non-ASCII byte; stays undecided on pure ASCII. Returns 0, or -1 when the
 * converter cannot be opened. */
static int _decide(tz_reader *r, _csv *c)
{
    size_t i = 0;
    while (i < c->rawlen && c->raw[i] < 0x80)
        i++;
    if (i == c->rawlen)
        return 0;
    int incomplete;
    size_t ok = tz_utf8_valid_prefix((const char *)c->raw + i, c->rawlen - i, &incomplete);
    if (i + ok == c->rawlen || incomplete) { /* valid, perhaps cut by the chunk or file end */
        c->enc = CSV_ENC_UTF8;
        return 0;
    }
    c->conv = tz_conv_open("UTF-8", "GB18030");
    if (!c->conv)
        return -1;
    c->enc = CSV_ENC_GB;
    r->encoding = "GB18030";
    return 0;
}

/* Turns raw into UTF-8 text in dec (replacing what was there), keeping an
 * incomplete trailing character in raw for the next chunk, and marking
 * undecodable bytes. Returns 0 or -1 on OOM. */
static int _decode(_csv *c)
{
    c->dec.len = c->decpos = 0; /* keeps the allocation for the next chunk */
    int incomplete = 0;
    size_t ok;
    if (c->enc != CSV_ENC_GB) {
        ok = tz_utf8_valid_prefix((const char *)c->raw, c->rawlen, &incomplete);
        if (tz_buf_add(&c->dec, c->raw, ok))
            return -1;
    } else {
        int r = tz_conv_run(c->conv, (const char *)c->raw, c->rawlen, &c->dec, &ok);
        if (r < 0)
            return -1;
        incomplete = r == TZ_CONV_INCOMPLETE;
    }
    if (ok < c->rawlen) {
        if (incomplete && !c->eof) {
            memmove(c->raw, c->raw + ok, c->rawlen - ok);
            c->rawlen -= ok;
            return 0;
        }
        _mark_bad(c, c->raw + ok, c->rawlen - ok, incomplete);
    }
    c->rawlen = 0;
    return 0;
}

/* Reads the next chunk after any carried bytes. Returns 0 or -1 with an
 * error added to d. */
static int _read_chunk(tz_reader *r, _csv *c, tz_diags *d)
{
    size_t n = fread(c->raw + c->rawlen, 1, CSV_CHUNK, c->fp);
    if (n < CSV_CHUNK) {
        if (ferror(c->fp)) {
            tz_diags_error(d, r->name, 0, NULL, NULL, "读取文件出错: %s", tz_errno_text(errno, 0));
            return -1;
        }
        c->eof = 1;
    }
    c->rawlen += n;
    r->done += n;
    return 0;
}

/* Formats the undecodable bytes as "0xC4 0xE3". */
static void _bad_hex(const _csv *c, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < c->nbad && used + 6 < size; i++)
        used += (size_t)snprintf(out + used, size - used, "%s0x%02X", i ? " " : "", c->badbytes[i]);
}

/* Reports the undecodable bytes found where the parser stands. */
static void _report_bad(tz_reader *r, _csv *c, tz_diags *d)
{
    char hex[32];
    _bad_hex(c, hex, sizeof hex);
    if (c->bad_at_end)
        tz_diags_error(d, r->name, c->rowno, NULL, NULL, "文件在一个字符的中间结束(%s),文件不完整",
                       hex);
    else if (c->enc == CSV_ENC_GB)
        tz_diags_error(d, r->name, c->rowno, NULL, NULL,
                       "含有无法识别的字节(%s),既不是UTF-8也不是GB18030/GBK编码的文字", hex);
    else
        tz_diags_error(d, r->name, c->rowno, NULL, NULL,
                       "含有不是UTF-8编码的字节(%s),而文件前面的内容是UTF-8编码;"
                       "请把整个文件统一另存为UTF-8或GBK编码后重试",
                       hex);
}

/* Gets the next decoded text into dec. Returns 1 with text, 0 at the end of
 * the file, -1 with an error added to d. */
static int _fill(tz_reader *r, _csv *c, tz_diags *d)
{
    for (;;) {
        if (c->bad) {
            _report_bad(r, c, d);
            return -1;
        }
        if (c->eof)
            return 0;
        if (_read_chunk(r, c, d))
            return -1;
        if (c->enc == CSV_ENC_UNDECIDED && _decide(r, c)) {
            tz_diags_error(d, r->name, 0, NULL, NULL, "系统缺少GB18030编码转换,无法读取");
            return -1;
        }
        if (_decode(c)) {
            tz_diags_error(d, r->name, c->rowno, NULL, NULL, "内存不足,无法读取");
            return -1;
        }
        if (c->dec.len)
            return 1;
    }
}

/* Appends n bytes at p to the field being read. Returns 0, or -1 with an
 * error added to d. */
static int _field_add(tz_reader *r, _csv *c, const char *p, size_t n, tz_diags *d)
{
    if (c->field.len + n > TZ_READER_MAX_CELL) {
        tz_diags_error(d, r->name, c->rowno, NULL, NULL,
                       "第%zu列的内容超过%zuKB(可能是引号没有闭合),无法读取", c->col + 1,
                       TZ_READER_MAX_CELL >> 10);
        return -1;
    }
    if (tz_buf_add(&c->field, p, n)) {
        tz_diags_error(d, r->name, c->rowno, NULL, NULL, "内存不足,无法读取");
        return -1;
    }
    return 0;
}

/* Ends the field being read: stores it in the row. Returns 0 or -1. */
static int _end_field(tz_reader *r, _csv *c, tz_diags *d)
{
    if (tz__row_set(r, c->col, tz_buf_str(&c->field), c->field.len, TZ_CELL_TEXT, d))
        return -1;
    c->col++;
    c->field.len = 0;
    c->state = CSV_ST_FIELD;
    return 0;
}

/* Ends the current record after its last field. */
static int _end_record(tz_reader *r, _csv *c, tz_diags *d)
{
    if (_end_field(r, c, d))
        return -1;
    c->col = 0;
    c->inrec = 0;
    c->rowno++;
    return 0;
}

/* Returns the length of the run at p[0..n) free of the bytes in stop. */
static size_t _run(const char *p, size_t n, const unsigned char stop[256])
{
    size_t i = 0;
    while (i < n && !stop[(unsigned char)p[i]])
        i++;
    return i;
}

/* The bytes that end a run of text: inside quotes, outside them (NUL
 * always: the decoded text's end). A table, not strchr per byte. */
static const unsigned char _stop_quoted[256] = {['\0'] = 1, ['"'] = 1, ['\r'] = 1};
static const unsigned char _stop_plain[256] = {['\0'] = 1, [','] = 1, ['\r'] = 1, ['\n'] = 1};

/* A comma or line end outside quotes: ends the field, or the record.
 * Returns 0 to go on, 1 when a record is complete, -1 on error. */
static int _separator(tz_reader *r, _csv *c, unsigned char ch, tz_diags *d)
{
    c->decpos++;
    if (ch == ',')
        return _end_field(r, c, d) ? -1 : 0;
    c->skip_lf = ch == '\r';
    return _end_record(r, c, d) ? -1 : 1;
}

/* A character outside quotes at a field's start or after its closing
 * quote: a separator (see _separator), or text that the field goes on
 * with unquoted. */
static int _outside(tz_reader *r, _csv *c, char ch, tz_diags *d)
{
    if (ch == ',' || ch == '\n' || ch == '\r')
        return _separator(r, c, (unsigned char)ch, d);
    c->state = CSV_ST_PLAIN;
    return 0;
}

/* Adds the run of p[0..left) free of the bytes in stop to the field and
 * moves past it. Returns its length (0 when p starts with a stop byte), or
 * -1 on error. */
static long _take_run(tz_reader *r, _csv *c, const char *p, size_t left,
                      const unsigned char stop[256], tz_diags *d)
{
    size_t n = _run(p, left, stop);
    if (n && _field_add(r, c, p, n, d))
        return -1;
    c->decpos += n;
    return (long)n;
}

/* One step inside quotes: text, a doubled or closing quote, or a CR that
 * becomes LF when LF follows. Returns 0, or -1 on error. */
static int _quoted(tz_reader *r, _csv *c, const char *p, size_t left, tz_diags *d)
{
    char ch = *p;
    if (c->cr_in_quote) {
        c->cr_in_quote = 0;
        if (ch == '\n') {
            c->decpos++;
            return _field_add(r, c, "\n", 1, d) ? -1 : 0;
        }
        if (_field_add(r, c, "\r", 1, d))
            return -1;
    }
    long n = _take_run(r, c, p, left, _stop_quoted, d);
    if (n != 0)
        return n < 0 ? -1 : 0;
    c->decpos++;
    if (ch == '"')
        c->state = CSV_ST_QUOTE_SEEN;
    else
        c->cr_in_quote = 1;
    return 0;
}

/* Parses decoded text until a record ends (1), the text runs out (0) or an
 * error is added to d (-1). */
static int _parse(tz_reader *r, _csv *c, tz_diags *d)
{
    while (c->decpos < c->dec.len) {
        const char *p = c->dec.data + c->decpos;
        size_t left = c->dec.len - c->decpos;
        char ch = *p;
        int e = 0;
        if (c->skip_lf) {
            c->skip_lf = 0;
            if (ch == '\n') {
                c->decpos++;
                continue;
            }
        }
        if (ch == '\0') {
            tz_diags_error(d, r->name, c->rowno, NULL, NULL,
                           "含有空字符(0x00),这不是文本格式的CSV文件");
            return -1;
        }
        c->inrec = 1;
        switch (c->state) {
        case CSV_ST_FIELD:
            if (ch == '"') {
                c->state = CSV_ST_QUOTED;
                c->decpos++;
            } else
                e = _outside(r, c, ch, d);
            break;
        case CSV_ST_QUOTE_SEEN:
            if (ch == '"') {
                if (_field_add(r, c, "\"", 1, d))
                    return -1;
                c->state = CSV_ST_QUOTED;
                c->decpos++;
            } else
                e = _outside(r, c, ch, d); /* text after the closing quote is kept, as Excel does */
            break;
        case CSV_ST_PLAIN: {
            long n = _take_run(r, c, p, left, _stop_plain, d);
            e = n < 0 ? -1 : n == 0 ? _separator(r, c, ch, d) : 0;
            break;
        }
        case CSV_ST_QUOTED:
            e = _quoted(r, c, p, left, d);
            break;
        default:
            break;
        }
        if (e)
            return e;
    }
    return 0;
}

static int _csv_next(tz_reader *r, tz_diags *d)
{
    _csv *c = r->impl;
    if (c->failed)
        return -1;
    if (c->finished)
        return 0;
    tz__row_begin(r, c->rowno);
    for (;;) {
        int rc = _parse(r, c, d);
        if (rc < 0)
            goto fail;
        if (rc > 0)
            return 1;
        rc = _fill(r, c, d);
        if (rc < 0)
            goto fail;
        if (rc > 0)
            continue;
        if (c->state == CSV_ST_QUOTED) {
            tz_diags_error(d, r->name, c->rowno, NULL, NULL,
                           "引号没有闭合:这一行的带引号内容一直到文件末尾都没有结束");
            goto fail;
        }
        if (c->inrec) {
            if (_end_record(r, c, d))
                goto fail;
            return 1;
        }
        c->finished = 1;
        return 0;
    }
fail:
    c->failed = 1;
    return -1;
}

/* A CSV file is one sheet without a name. */
static int _csv_sheet(tz_reader *r, tz_sheet_info *info, tz_diags *d)
{
    _csv *c = r->impl;
    if (c->sheet_given)
        return 0;
    c->sheet_given = 1;
    return 1;
}

static const tz_reader_ops _csv_ops = {_csv_next, _csv_free, _csv_sheet};

/* Looks at the first bytes for a BOM or a binary format. Returns 0, or -1
 * with an error added to d. */
static int _sniff(tz_reader *r, _csv *c, tz_diags *d)
{
    const unsigned char *b = c->raw;
    size_t n = c->rawlen;
    if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
        memmove(c->raw, c->raw + 3, n - 3);
        c->rawlen -= 3;
        c->enc = CSV_ENC_UTF8;
        r->encoding = "UTF-8 BOM";
        return 0;
    }
    if (n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
        tz_diags_error(d, r->name, 0, NULL, NULL,
                       "文件是UTF-16(Unicode文本)编码,请在Excel中另存为\"CSV UTF-8(逗号分隔)\"或"
                       "\"CSV(逗号分隔)\"后重试");
        return -1;
    }
    if (n >= 4 && memcmp(b, "PK\x03\x04", 4) == 0) {
        tz_diags_error(d, r->name, 0, NULL, NULL,
                       "文件内容是xlsx格式而扩展名是.csv,请把扩展名改为.xlsx后重试");
        return -1;
    }
    if (n >= 4 && memcmp(b, "\xD0\xCF\x11\xE0", 4) == 0) {
        tz_diags_error(d, r->name, 0, NULL, NULL,
                       "文件内容是Excel二进制格式而扩展名是.csv,请在Excel中另存为CSV或xlsx后重试");
        return -1;
    }
    return 0;
}

int tz__csv_open(tz_reader *r, const char *path, tz_diags *d)
{
    r->ops = &_csv_ops;
    r->encoding = "UTF-8";
    _csv *c = calloc(1, sizeof *c);
    if (!c)
        goto oom;
    r->impl = c;
    c->rowno = 1;
    c->field.max = TZ_READER_MAX_CELL + 1;
    c->raw = malloc(CSV_CHUNK + CSV_CARRY);
    if (!c->raw)
        goto oom;
    c->fp = fopen(path, "rb");
    if (!c->fp) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "无法打开文件: %s", tz_errno_text(errno, 0));
        return -1;
    }
    struct stat st;
    if (fstat(fileno(c->fp), &st) == 0)
        r->total = (unsigned long long)st.st_size;
    if (_read_chunk(r, c, d) || _sniff(r, c, d))
        return -1;
    if (c->enc == CSV_ENC_UNDECIDED && _decide(r, c)) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "系统缺少GB18030编码转换,无法读取");
        return -1;
    }
    if (_decode(c))
        goto oom;
    return 0;
oom:
    tz_diags_error(d, r->name, 0, NULL, NULL, "内存不足,无法打开文件");
    return -1;
}
