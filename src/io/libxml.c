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

static tz_lazylib _lib = {
    "libxml2.so.2", _names, TZ_XML_COUNT, tz_xml_fn, PTHREAD_ONCE_INIT, 0, ""};
static pthread_once_t _init_once = PTHREAD_ONCE_INIT;

static void _init(void)
{
    xmlInitParser();
}

int tz_xml_load(const char *file, tz_diags *d)
{
    if (tz_lazylib_load(&_lib) == 0) {
        (void)pthread_once(&_init_once, _init);
        return 0;
    }
    tz_diags_error(d, file, 0, NULL, NULL,
                   "无法加载读取网页文件所需的库(%s),请安装 libxml2 软件包: %s", _lib.soname,
                   _lib.err);
    return -1;
}
