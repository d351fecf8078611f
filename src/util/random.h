/* random.h - random bytes from the kernel (getrandom), for keys, salts,
 * session and CSRF tokens.
 *
 * Owns: the one loop that reads them (EINTR and short reads). */
#ifndef TZ_RANDOM_H
#define TZ_RANDOM_H
#include <stddef.h>

/* n bytes from the kernel. Returns 0 or -1. */
int tz_random_bytes(void *buf, size_t n);
/* nbytes (at most 64) random bytes as lower-case hex into out
 * (2 * nbytes + 1 bytes). Returns 0 or -1. */
int tz_random_hex(char *out, size_t nbytes);

#endif
