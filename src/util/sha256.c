/* sha256.c - SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104) through
 * nettle, and a file hashed on a thread of its own. */
#include "util/sha256.h"
#include <nettle/hmac.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tz_sha256_init(tz_sha256_ctx *c)
{
    sha256_init(&c->n);
}

void tz_sha256_update(tz_sha256_ctx *c, const void *data, size_t n)
{
    sha256_update(&c->n, n, data);
}

void tz_sha256_final(tz_sha256_ctx *c, unsigned char out[32])
{
    sha256_digest(&c->n, SHA256_DIGEST_SIZE, out);
    memset(c, 0, sizeof *c);
}

void tz_sha256_hash(const void *data, size_t n, unsigned char out[32])
{
    tz_sha256_ctx c;
    tz_sha256_init(&c);
    tz_sha256_update(&c, data, n);
    tz_sha256_final(&c, out);
}

void tz_hmac_sha256(const void *key, size_t nkey, const void *msg, size_t nmsg,
                    unsigned char out[32])
{
    struct hmac_sha256_ctx c;
    hmac_sha256_set_key(&c, nkey, key);
    hmac_sha256_update(&c, nmsg, msg);
    hmac_sha256_digest(&c, SHA256_DIGEST_SIZE, out);
    memset(&c, 0, sizeof c); /* the key's pads */
}

void tz_hex(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

struct tz_sha256_job {
    pthread_t th;
    char *path;
    atomic_int stop;       /* set by cancel: the thread returns at its next read */
    int ok;                /* 1 when the file was read to its end */
    long long size;        /* bytes read */
    unsigned char sum[32]; /* the hash, when ok */
};

static void *_hash_file(void *arg)
{
    tz_sha256_job *j = arg;
    FILE *f = fopen(j->path, "rb");
    if (!f)
        return NULL;
    tz_sha256_ctx c;
    tz_sha256_init(&c);
    unsigned char buf[1 << 16];
    size_t n;
    while (!atomic_load(&j->stop) && (n = fread(buf, 1, sizeof buf, f)) > 0) {
        tz_sha256_update(&c, buf, n);
        j->size += (long long)n;
    }
    if (!atomic_load(&j->stop) && !ferror(f)) {
        tz_sha256_final(&c, j->sum);
        j->ok = 1;
    }
    (void)fclose(f);
    return NULL;
}

tz_sha256_job *tz_sha256_file_start(const char *path)
{
    tz_sha256_job *j = calloc(1, sizeof *j);
    if (!j || !(j->path = strdup(path)))
        goto fail;
    atomic_init(&j->stop, 0);
    if (pthread_create(&j->th, NULL, _hash_file, j) != 0)
        goto fail;
    return j;
fail:
    if (j)
        free(j->path);
    free(j);
    return NULL;
}

int tz_sha256_file_finish(tz_sha256_job *j, char hex[65], long long *size)
{
    hex[0] = '\0';
    *size = 0;
    if (!j)
        return -1;
    (void)pthread_join(j->th, NULL);
    int ok = j->ok;
    if (ok)
        tz_hex(j->sum, sizeof j->sum, hex);
    *size = j->size;
    free(j->path);
    free(j);
    return ok ? 0 : -1;
}

void tz_sha256_file_cancel(tz_sha256_job *j)
{
    if (!j)
        return;
    atomic_store(&j->stop, 1);
    char hex[65];
    long long size;
    (void)tz_sha256_file_finish(j, hex, &size);
}
