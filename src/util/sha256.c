/* sha256.c - SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104). */
#include "util/sha256.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint32_t _k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static uint32_t _ror(uint32_t x, int n)
{
    return (x >> n) | (x << (32 - n));
}

static void _block(tz_sha256_ctx *c, const unsigned char *p)
{
    uint32_t w[64];
    for (size_t i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = _ror(w[i - 15], 7) ^ _ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = _ror(w[i - 2], 17) ^ _ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3];
    uint32_t e = c->h[4], f = c->h[5], g = c->h[6], h = c->h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 =
            h + (_ror(e, 6) ^ _ror(e, 11) ^ _ror(e, 25)) + ((e & f) ^ (~e & g)) + _k[i] + w[i];
        uint32_t t2 = (_ror(a, 2) ^ _ror(a, 13) ^ _ror(a, 22)) + ((a & b) ^ (a & cc) ^ (b & cc));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = cc;
        cc = b;
        b = a;
        a = t1 + t2;
    }
    c->h[0] += a;
    c->h[1] += b;
    c->h[2] += cc;
    c->h[3] += d;
    c->h[4] += e;
    c->h[5] += f;
    c->h[6] += g;
    c->h[7] += h;
}

void tz_sha256_init(tz_sha256_ctx *c)
{
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(c->h, iv, sizeof iv);
    c->len = 0;
    c->nbuf = 0;
}

void tz_sha256_update(tz_sha256_ctx *c, const void *data, size_t n)
{
    const unsigned char *p = data;
    c->len += n;
    while (n) {
        size_t take = 64 - c->nbuf < n ? 64 - c->nbuf : n;
        memcpy(c->buf + c->nbuf, p, take);
        c->nbuf += take;
        p += take;
        n -= take;
        if (c->nbuf == 64) {
            _block(c, c->buf);
            c->nbuf = 0;
        }
    }
}

void tz_sha256_final(tz_sha256_ctx *c, unsigned char out[32])
{
    uint64_t bits = c->len * 8;
    unsigned char pad = 0x80;
    tz_sha256_update(c, &pad, 1);
    pad = 0;
    while (c->nbuf != 56)
        tz_sha256_update(c, &pad, 1);
    unsigned char lenb[8];
    for (int i = 0; i < 8; i++)
        lenb[i] = (unsigned char)(bits >> (56 - 8 * i));
    tz_sha256_update(c, lenb, 8);
    for (size_t i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(c->h[i] >> 24);
        out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
        out[4 * i + 3] = (unsigned char)c->h[i];
    }
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
    unsigned char k[64] = {0}, pad[64], inner[32];
    if (nkey > 64)
        tz_sha256_hash(key, nkey, k);
    else if (nkey)
        memcpy(k, key, nkey);
    tz_sha256_ctx c;
    for (int i = 0; i < 64; i++)
        pad[i] = k[i] ^ 0x36;
    tz_sha256_init(&c);
    tz_sha256_update(&c, pad, 64);
    tz_sha256_update(&c, msg, nmsg);
    tz_sha256_final(&c, inner);
    for (int i = 0; i < 64; i++)
        pad[i] = k[i] ^ 0x5c;
    tz_sha256_init(&c);
    tz_sha256_update(&c, pad, 64);
    tz_sha256_update(&c, inner, 32);
    tz_sha256_final(&c, out);
    memset(k, 0, sizeof k);
    memset(pad, 0, sizeof pad);
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
