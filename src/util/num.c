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
