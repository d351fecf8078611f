/* sha256.h - SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), by nettle.
 *
 * Owns: the hash and the keyed hash, nothing else. Used by store/ to keep a
 * keyed hash of ID numbers in the audit log instead of the clear value and
 * the hash of each imported file, and by web/ for session tokens. The
 * computing is nettle's (its SHA extensions where the processor has them;
 * docs/decisions.md, "SHA-256 from nettle"). Not for passwords (libargon2
 * does those).
 */
#ifndef TZ_SHA256_H
#define TZ_SHA256_H
#include <nettle/sha2.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tz_sha256_ctx {
    struct sha256_ctx n; /* nettle's state */
} tz_sha256_ctx;

void tz_sha256_init(tz_sha256_ctx *c);
void tz_sha256_update(tz_sha256_ctx *c, const void *data, size_t n);
void tz_sha256_final(tz_sha256_ctx *c, unsigned char out[32]);
/* One-shot hash. */
void tz_sha256_hash(const void *data, size_t n, unsigned char out[32]);
/* HMAC-SHA256 of msg under key (any length). */
void tz_hmac_sha256(const void *key, size_t nkey, const void *msg, size_t nmsg,
                    unsigned char out[32]);
/* Lower-case hex of n bytes into out (2n+1 bytes). */
void tz_hex(const unsigned char *in, size_t n, char *out);

/* A file hashed on a thread of its own while its caller goes on (an
 * import records the SHA-256 of the file it read). */
typedef struct tz_sha256_job tz_sha256_job;
/* Starts hashing the file at path. NULL when memory or a thread is not to
 * be had (the caller goes on without the hash). */
tz_sha256_job *tz_sha256_file_start(const char *path);
/* Waits for the job and frees it: the hash as lower-case hex into hex, the
 * bytes read into *size. Returns 0, or -1 when the file could not be read
 * to its end (hex ""). Safe on NULL (returns -1). */
int tz_sha256_file_finish(tz_sha256_job *j, char hex[65], long long *size);
/* Stops the job early and frees it. Safe on NULL. */
void tz_sha256_file_cancel(tz_sha256_job *j);

#endif
