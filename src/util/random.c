/* random.c - random bytes from the kernel (see random.h). */
#include "util/random.h"
#include "util/sha256.h"
#include <errno.h>
#include <sys/random.h>
#include <sys/types.h>

int tz_random_bytes(void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t k = getrandom((char *)buf + got, n - got, 0);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        got += (size_t)k;
    }
    return 0;
}

int tz_random_hex(char *out, size_t nbytes)
{
    unsigned char raw[64];
    if (nbytes > sizeof raw || tz_random_bytes(raw, nbytes))
        return -1;
    tz_hex(raw, nbytes, out);
    return 0;
}
