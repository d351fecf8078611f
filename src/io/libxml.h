/* libxml.h - libxml2's HTML parser, loaded at the first HTML file read
 * (util/lazylib.h).
 *
 * Owns: the list of libxml2 functions Taizhang calls (io/html_read.c,
 * report/proofread_html.c). Include it instead of libxml2's headers: each
 * function name below stands for the pointer loaded by tz_xml_load, so the
 * callers read as plain libxml2. Call tz_xml_load (and check it) before
 * any of them.
 */
#ifndef TZ_IO_LIBXML_H
#define TZ_IO_LIBXML_H
#include "util/diag.h"
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

enum {
    TZ_XML_htmlCreatePushParserCtxt,
    TZ_XML_htmlCtxtUseOptions,
    TZ_XML_htmlFreeParserCtxt,
    TZ_XML_htmlParseChunk,
    TZ_XML_htmlReadMemory,
    TZ_XML_xmlDocGetRootElement,
    TZ_XML_xmlFreeDoc,
    TZ_XML_xmlInitParser,
    TZ_XML_xmlStopParser,
    TZ_XML_COUNT
};
extern void *tz_xml_fn[TZ_XML_COUNT];

/* Loads libxml2 and initialises its parser (once). Returns 0, or -1 with
 * a diag naming file (may be NULL) and saying the library is missing. */
int tz_xml_load(const char *file, tz_diags *d);

/* cppcheck (which reads no system header) sees plain libxml2 calls */
#ifndef __CPPCHECK__
#define htmlCreatePushParserCtxt                                                                   \
    ((__typeof__(&htmlCreatePushParserCtxt))tz_xml_fn[TZ_XML_htmlCreatePushParserCtxt])
#define htmlCtxtUseOptions ((__typeof__(&htmlCtxtUseOptions))tz_xml_fn[TZ_XML_htmlCtxtUseOptions])
#define htmlFreeParserCtxt ((__typeof__(&htmlFreeParserCtxt))tz_xml_fn[TZ_XML_htmlFreeParserCtxt])
#define htmlParseChunk ((__typeof__(&htmlParseChunk))tz_xml_fn[TZ_XML_htmlParseChunk])
#define htmlReadMemory ((__typeof__(&htmlReadMemory))tz_xml_fn[TZ_XML_htmlReadMemory])
#define xmlDocGetRootElement                                                                       \
    ((__typeof__(&xmlDocGetRootElement))tz_xml_fn[TZ_XML_xmlDocGetRootElement])
#define xmlFreeDoc ((__typeof__(&xmlFreeDoc))tz_xml_fn[TZ_XML_xmlFreeDoc])
#define xmlInitParser ((__typeof__(&xmlInitParser))tz_xml_fn[TZ_XML_xmlInitParser])
#define xmlStopParser ((__typeof__(&xmlStopParser))tz_xml_fn[TZ_XML_xmlStopParser])
#endif

#endif
