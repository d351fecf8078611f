/* num.c - strict decimal integers (see num.h). */
#include "util/num.h"
#include <errno.h>
#include <stdlib.h>

int tz_num_int(const char *s, long long min, long long max, long long *out)
{
    if (!s)
        return -1;
    const char *p = s + (*s == '-' || *s == '+');
    if (*p < '0' || *p > '9') /* strtoll would skip spaces and take "" as 0 */
        return -1;
    int saved = errno;
    errno = 0;
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    int bad = errno != 0 || *end != '\0' || v < min || v > max;
    errno = saved;
    if (bad)
        return -1;
    *out = v;
    return 0;
}

int tz_num_digits(const char *s, int n)
{
    if (!s || n < 1 || n > 9)
        return -1;
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') /* also stops at the terminating NUL */
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

const char *tz_num_text(long long v, char buf[TZ_NUM_TEXT])
{
    char *p = buf + TZ_NUM_TEXT;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    *--p = '\0';
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    return p;
}
