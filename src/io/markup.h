/* markup.h - the bytes of an HTML or SpreadsheetML 2003 ".xls" on their way
 * to a parser (html_read.c, xmlss_read.c).
 *
 * Owns: reading the file in chunks, choosing its charset (BOM, declared
 * charset, else UTF-8 when valid, else GB18030), converting to UTF-8 and
 * refusing bytes that are not text in it, and handing whole markup
 * constructs over (tz__feed), with the token cap.
 *
 * Does not own: parsing (the backends) or the row buffer (reader_impl.h).
 */
#ifndef TZ_MARKUP_H
#define TZ_MARKUP_H
#include "io/reader_impl.h"
#include "util/buf.h"
#include "util/text.h"
#include <stdio.h>

typedef struct tz__markup {
    FILE *fp;                 /* the open file */
    const char *charset;      /* static: "UTF-8" or "GB18030" */
    tz_conv *conv;            /* charset to UTF-8 (UTF-8 to UTF-8 validates) */
    unsigned char raw[65536]; /* raw bytes: carried-over ones, then the latest read */
    size_t rawlen;            /* bytes in raw */
    tz_buf dec;               /* UTF-8 of the latest chunk, before the feed takes it */
    tz__feed feed;            /* UTF-8 on its way to the parser */
    int eof;                  /* the file was read to its end */
    int bom_checked;          /* a leading UTF-8 BOM was looked for (and dropped) */
} tz__markup;

/* Opens path (html: 1 for HTML, 0 for XML) into *m (uninitialised) and
 * chooses its charset; sets r->total. Returns 0, or -1 with an error added
 * to d; tz__markup_free is due either way. */
int tz__markup_open(tz_reader *r, tz__markup *m, const char *path, int html, tz_diags *d);
/* Reads and converts the next chunk; *safe gets the bytes at m->feed.buf
 * that may go to the parser now (all of them once m->eof). Adds the bytes
 * read to r->done. Returns 0, or -1 with an error added to d. */
int tz__markup_fill(tz_reader *r, tz__markup *m, size_t *safe, tz_diags *d);
/* Drops the first used bytes of the feed (the parser has them). Returns 0,
 * or -1 after reporting a construct longer than TZ__FEED_MAX_TOKEN. */
int tz__markup_consume(tz_reader *r, tz__markup *m, size_t used, tz_diags *d);
/* Goes back to the start of the file. Returns 0 or -1 with an error. */
int tz__markup_rewind(tz_reader *r, tz__markup *m, tz_diags *d);
void tz__markup_free(tz__markup *m); /* safe on a zeroed one */

#endif
