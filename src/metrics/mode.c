/* mode.c - the names of the evaluation modes (tz_mode): one table of the
 * English keys and the Chinese words every caller (the CLI's --mode, the
 * report scripts' mode field, the JSON output) accepts or writes.
 */
#include "metrics/metrics.h"
#include <pthread.h>
#include <stdio.h>
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

static char _choices[256];

/* "period(期间、期间内…)、todate(…)、all(…)": every name of _names, grouped
 * by mode under its key (the table lists each mode's names together). */
static void _fill_choices(void)
{
    size_t len = 0, n = sizeof _names / sizeof _names[0];
    for (size_t i = 0; i < n && len < sizeof _choices; i++) {
        int key = i == 0 || _names[i - 1].mode != _names[i].mode;
        int last = i + 1 == n || _names[i + 1].mode != _names[i].mode;
        int after_key = !key && (i == 1 || _names[i - 2].mode != _names[i].mode);
        /* a key opens its group with "(" (none when it has no other
         * names); the other names are joined by "、"; ")" closes */
        const char *before = key ? (i ? "、" : "") : after_key ? "" : "、";
        const char *after = key ? (last ? "" : "(") : last ? ")" : "";
        int w = snprintf(_choices + len, sizeof _choices - len, "%s%s%s", before, _names[i].name,
                         after);
        if (w < 0)
            break;
        len += (size_t)w;
    }
}

const char *tz_mode_choices(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    (void)pthread_once(&once, _fill_choices);
    return _choices;
}
