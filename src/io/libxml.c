/* libxml.c - libxml2, loaded at the first HTML file read (see libxml.h). */
#include "io/libxml.h"
#include "util/lazylib.h"
#include <pthread.h>

void *tz_xml_fn[TZ_XML_COUNT];

static const char *const _names[TZ_XML_COUNT] = {
    "htmlCreatePushParserCtxt",
    "htmlCtxtUseOptions",
    "htmlFreeParserCtxt",
    "htmlParseChunk",
    "htmlReadMemory",
    "xmlDocGetRootElement",
    "xmlFreeDoc",
    "xmlInitParser",
    "xmlStopParser",
};

static tz_lazylib _lib = {.soname = "libxml2.so.2",
                          .what = "读取网页文件所需的库",
                          .package = "libxml2",
                          .names = _names,
                          .n = TZ_XML_COUNT,
                          .fn = tz_xml_fn,
                          .once = PTHREAD_ONCE_INIT};
static pthread_once_t _init_once = PTHREAD_ONCE_INIT;

static void _init(void)
{
    xmlInitParser();
}

int tz_xml_load(const char *file, tz_diags *d)
{
    if (tz_lazylib_load(&_lib, file, d))
        return -1;
    (void)pthread_once(&_init_once, _init);
    return 0;
}
