/* mode.c - the names of the evaluation modes (tz_mode): one table of the
 * English keys and the Chinese words every caller (the CLI's --mode, the
 * report scripts' mode field, the JSON output) accepts or writes.
 */
#include "metrics/metrics.h"
#include <string.h>

/* Every accepted name; the first of each mode is its key. */
static const struct {
    const char *name; /* accepted text */
    tz_mode mode;     /* mode it names */
} _names[] = {
    {"period", TZ_MODE_PERIOD}, {"期间", TZ_MODE_PERIOD},       {"期间内", TZ_MODE_PERIOD},
    {"当期", TZ_MODE_PERIOD},   {"本期", TZ_MODE_PERIOD},       {"todate", TZ_MODE_TODATE},
    {"累计", TZ_MODE_TODATE},   {"累计至期末", TZ_MODE_TODATE}, {"all", TZ_MODE_ALL},
    {"全部", TZ_MODE_ALL},      {"现状", TZ_MODE_ALL},          {"不限日期", TZ_MODE_ALL},
};

int tz_mode_parse(const char *text, tz_mode *out)
{
    if (!text)
        return -1;
    for (size_t i = 0; i < sizeof _names / sizeof _names[0]; i++)
        if (!strcmp(_names[i].name, text)) {
            *out = _names[i].mode;
            return 0;
        }
    return -1;
}

const char *tz_mode_name(tz_mode m)
{
    return m == TZ_MODE_TODATE ? "todate" : m == TZ_MODE_ALL ? "all" : "period";
}

const char *tz_mode_choices(void)
{
    return "period(期间、当期、本期)、todate(累计)、all(全部、现状)";
}
