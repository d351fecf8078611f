/* textdoc.c - the text of documents to proofread: .docx (the paragraphs of
 * word/document.xml, libzip + expat), .txt and .md (UTF-8, or GB18030
 * converted with a warning; fenced code blocks of Markdown blanked). */
#include "io/libzip.h"
#include "io/textdoc.h"
#include "util/path.h"
#include "util/text.h"
#include <errno.h>
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXTDOC_DOCX_MAX ((zip_uint64_t)32 << 20) /* unpacked document.xml cap */

int tz_textdoc_slurp(const char *path, char **data, size_t *len, tz_diags *diags)
{
    const char *name = tz_path_base(path);
    int rc = -1;
    tz_buf b = TZ_BUF_INIT;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        tz_diags_error(diags, name, 0, NULL, NULL, "无法打开文件：%s", tz_errno_text(errno, 0));
        goto done;
    }
    b.max = TZ_TEXTDOC_FILE_MAX;
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        if (tz_buf_add(&b, chunk, got)) {
            tz_diags_error(diags, name, 0, NULL, NULL, "文件超过%zu MiB或内存不足，无法读取",
                           TZ_TEXTDOC_FILE_MAX >> 20);
            goto done;
        }
    }
    if (ferror(fp)) {
        tz_diags_error(diags, name, 0, NULL, NULL, "读取文件出错：%s", tz_errno_text(errno, 0));
        goto done;
    }
    *len = b.len;
    *data = tz_buf_take(&b);
    rc = 0;
done:
    if (fp)
        (void)fclose(fp); /* read only: a failed close loses nothing */
    tz_buf_free(&b);
    return rc;
}

#define DOCX_W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define DOCX_W_NS_STRICT "http://purl.oclc.org/ooxml/wordprocessingml/main"
#define DOCX_MC_NS "http://schemas.openxmlformats.org/markup-compatibility/2006"

typedef struct docx_text {
    tz_buf *out;  /* where the text goes */
    XML_Parser p; /* the parser, to stop it */
    int in_t;     /* inside <w:t> */
    int in_r;     /* depth of <w:r> */
    int skip;     /* depth inside an element whose text is skipped */
    int failed;   /* 1: out of memory; 2: a DTD was found */
} docx_text;

/* Returns the local name when the expat name "ns local" is in the w:
 * namespace, else NULL. */
static const char *_w_local(const char *name)
{
    const char *sp = strchr(name, ' ');
    if (!sp)
        return NULL;
    size_t nl = (size_t)(sp - name);
    if ((nl == strlen(DOCX_W_NS) && memcmp(name, DOCX_W_NS, nl) == 0) ||
        (nl == strlen(DOCX_W_NS_STRICT) && memcmp(name, DOCX_W_NS_STRICT, nl) == 0))
        return sp + 1;
    return NULL;
}

static void _docx_put(docx_text *d, const char *s, size_t n)
{
    if (!d->failed && tz_buf_add(d->out, s, n)) {
        d->failed = 1;
        XML_StopParser(d->p, XML_FALSE);
    }
}

static void XMLCALL _docx_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    docx_text *d = ud;
    (void)atts;
    if (d->skip) {
        d->skip++;
        return;
    }
    size_t ml = strlen(DOCX_MC_NS);
    if (strncmp(name, DOCX_MC_NS, ml) == 0 && strcmp(name + ml, " Fallback") == 0) {
        d->skip = 1;
        return;
    }
    const char *l = _w_local(name);
    if (!l)
        return;
    if (strcmp(l, "t") == 0)
        d->in_t = 1;
    else if (strcmp(l, "r") == 0)
        d->in_r++;
    else if (d->in_r && strcmp(l, "tab") == 0)
        _docx_put(d, "\t", 1);
    else if (d->in_r && (strcmp(l, "br") == 0 || strcmp(l, "cr") == 0))
        _docx_put(d, " ", 1);
    else if (d->in_r && strcmp(l, "noBreakHyphen") == 0)
        _docx_put(d, "-", 1);
}

static void XMLCALL _docx_end(void *ud, const XML_Char *name)
{
    docx_text *d = ud;
    if (d->skip) {
        d->skip--;
        return;
    }
    const char *l = _w_local(name);
    if (!l)
        return;
    if (strcmp(l, "t") == 0)
        d->in_t = 0;
    else if (strcmp(l, "r") == 0 && d->in_r > 0)
        d->in_r--;
    else if (strcmp(l, "p") == 0)
        _docx_put(d, "\n", 1);
}

static void XMLCALL _docx_chars(void *ud, const XML_Char *s, int len)
{
    docx_text *d = ud;
    if (d->in_t && !d->skip && len > 0)
        _docx_put(d, s, (size_t)len);
}

static void XMLCALL _docx_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                                  const XML_Char *pubid, int has_internal)
{
    docx_text *d = ud;
    (void)name;
    (void)sysid;
    (void)pubid;
    (void)has_internal;
    d->failed = 2;
    XML_StopParser(d->p, XML_FALSE);
}

/* Streams the open word/document.xml through the parser of d. Returns 0,
 * or -1 with a diag naming the file (name). */
static int _docx_parse(zip_file_t *zf, docx_text *d, const char *name, tz_diags *diags)
{
    char chunk[65536];
    zip_uint64_t total = 0;
    for (;;) {
        zip_int64_t got = zip_fread(zf, chunk, sizeof chunk);
        if (got < 0) {
            tz_diags_error(diags, name, 0, NULL, NULL, "word/document.xml已损坏，无法解压：%s",
                           zip_file_strerror(zf));
            return -1;
        }
        total += (zip_uint64_t)got;
        if (total > TEXTDOC_DOCX_MAX) {
            tz_diags_error(diags, name, 0, NULL, NULL,
                           "word/document.xml解压后超过32 MiB，拒绝读取");
            return -1;
        }
        if (XML_Parse(d->p, chunk, (int)got, got == 0) != XML_STATUS_OK) {
            if (d->failed == 1)
                tz_diags_error(diags, name, 0, NULL, NULL, "内存不足，无法读取Word文档的文字");
            else if (d->failed == 2)
                tz_diags_error(diags, name, 0, NULL, NULL,
                               "word/document.xml含有DTD声明，出于安全原因拒绝读取");
            else
                tz_diags_error(diags, name, (long)XML_GetCurrentLineNumber(d->p), NULL, NULL,
                               "word/document.xml的XML格式错误：%s",
                               XML_ErrorString(XML_GetErrorCode(d->p)));
            return -1;
        }
        if (got == 0)
            return 0;
    }
}

int tz_textdoc_docx(const char *path, tz_buf *out, tz_diags *diags)
{
    int rc = -1, zerr = 0;
    zip_t *za = NULL;
    zip_file_t *zf = NULL;
    XML_Parser p = NULL;
    const char *name = path ? tz_path_base(path) : NULL;
    if (!path || !out) {
        tz_diags_error(diags, name, 0, NULL, NULL, "读取Word文档的参数有误");
        return -1;
    }
    if (tz_zip_load(name, diags))
        return -1;
    za = zip_open(path, ZIP_RDONLY, &zerr);
    if (!za) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        tz_diags_error(diags, name, 0, NULL, NULL, "无法作为.docx打开（不是有效的zip文件）：%s",
                       zip_error_strerror(&ze));
        zip_error_fini(&ze);
        goto done;
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(za, "word/document.xml", 0, &st) != 0) {
        tz_diags_error(diags, name, 0, NULL, NULL, "不是Word文档：缺少word/document.xml");
        goto done;
    }
    if ((st.valid & ZIP_STAT_SIZE) && st.size > TEXTDOC_DOCX_MAX) {
        tz_diags_error(diags, name, 0, NULL, NULL, "word/document.xml解压后超过32 MiB，拒绝读取");
        goto done;
    }
    zf = zip_fopen(za, "word/document.xml", 0);
    if (!zf) {
        tz_diags_error(diags, name, 0, NULL, NULL, "无法读取word/document.xml：%s",
                       zip_strerror(za));
        goto done;
    }
    p = XML_ParserCreateNS(NULL, ' ');
    if (!p) {
        tz_diags_error(diags, name, 0, NULL, NULL, "内存不足，无法解析Word文档");
        goto done;
    }
    docx_text d = {out, p, 0, 0, 0, 0};
    XML_SetUserData(p, &d);
    XML_SetElementHandler(p, _docx_start, _docx_end);
    XML_SetCharacterDataHandler(p, _docx_chars);
    XML_SetStartDoctypeDeclHandler(p, _docx_doctype);
    if (_docx_parse(zf, &d, name, diags))
        goto done;
    rc = 0;
done:
    if (p)
        XML_ParserFree(p);
    if (zf)
        zip_fclose(zf);
    if (za)
        zip_discard(za);
    return rc;
}

/* Whether the n bytes at p (a line without its indent) open or close a
 * fenced code block. */
static int _is_fence(const char *p, size_t n)
{
    return n >= 3 && (memcmp(p, "```", 3) == 0 || memcmp(p, "~~~", 3) == 0);
}

/* Blanks the lines of fenced code blocks (``` or ~~~) in markdown, keeping
 * the newlines so line numbers stay true. */
static void _blank_fences(char *s, size_t n)
{
    int in = 0;
    for (size_t i = 0; i < n;) {
        char *nl = memchr(s + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - s) : n;
        size_t k = i;
        while (k < e && (s[k] == ' ' || s[k] == '\t'))
            k++;
        int fence = _is_fence(s + k, e - k);
        if (fence || in) {
            for (size_t j = i; j < e; j++)
                s[j] = ' ';
        }
        if (fence)
            in = !in;
        i = e + 1;
    }
}

int tz_textdoc_read(const char *path, tz_buf *out, tz_diags *diags)
{
    if (!path || !out) {
        tz_diags_error(diags, NULL, 0, NULL, NULL, "读取文件的参数有误");
        return -1;
    }
    const char *name = tz_path_base(path);
    if (tz_path_has_ext(path, ".docx"))
        return tz_textdoc_docx(path, out, diags);
    int md = tz_path_has_ext(path, ".md") || tz_path_has_ext(path, ".markdown");
    if (!md && !tz_path_has_ext(path, ".txt")) {
        if (tz_path_has_ext(path, ".doc") || tz_path_has_ext(path, ".wps"))
            tz_diags_error(diags, name, 0, NULL, NULL,
                           "不支持旧版Word/WPS格式，请另存为.docx后再校对");
        else
            tz_diags_error(diags, name, 0, NULL, NULL,
                           "不支持的文件类型，只能校对.docx、.md和.txt文件");
        return -1;
    }
    char *data = NULL;
    size_t len = 0;
    int rc = -1;
    if (tz_textdoc_slurp(path, &data, &len, diags))
        return -1;
    char *s = data;
    if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
        s += 3;
        len -= 3;
    }
    if (md)
        _blank_fences(s, len);
    if (!tz_utf8_valid(s, len)) {
        tz_buf conv = TZ_BUF_INIT;
        int gb = tz_gb18030_to_utf8(s, len, &conv, NULL);
        if (gb == 0) {
            tz_diags_warn(diags, name, 0, NULL, NULL, "文件不是UTF-8编码，已按GB18030(GBK)读取");
            rc = tz_buf_add(out, conv.data ? conv.data : "", conv.len);
            tz_buf_free(&conv);
            if (rc)
                tz_diags_error(diags, name, 0, NULL, NULL, "内存不足，无法读取文件");
            goto done;
        }
        /* neither UTF-8 nor GB18030: read as it is, the garbled check shows where */
        tz_buf_free(&conv);
    }
    rc = tz_buf_add(out, s, len);
    if (rc)
        tz_diags_error(diags, name, 0, NULL, NULL, "内存不足，无法读取文件");
done:
    free(data);
    return rc;
}
