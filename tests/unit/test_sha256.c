/* test_sha256.c - SHA-256 against FIPS 180-4 examples, HMAC-SHA256 against
 * RFC 4231 test cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/sha256.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void _check(const char *msg, size_t n, const char *want)
{
    unsigned char d[32];
    char hex[65];
    tz_sha256_hash(msg, n, d);
    tz_hex(d, 32, hex);
    assert_string_equal(hex, want);
}

static void test_sha256_vectors(void **state)
{
    (void)state;
    _check("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    _check("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    _check(two, strlen(two), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    /* one million 'a', fed in uneven pieces */
    tz_sha256_ctx c;
    unsigned char d[32];
    char hex[65], chunk[997];
    memset(chunk, 'a', sizeof chunk);
    tz_sha256_init(&c);
    size_t left = 1000000;
    while (left) {
        size_t n = left < sizeof chunk ? left : sizeof chunk;
        tz_sha256_update(&c, chunk, n);
        left -= n;
    }
    tz_sha256_final(&c, d);
    tz_hex(d, 32, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    /* lengths around the padding boundary (55, 56, 64 bytes) */
    char a64[64];
    memset(a64, 'a', sizeof a64);
    _check(a64, 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    _check(a64, 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    _check(a64, 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

static void _hmac(const void *k, size_t nk, const void *m, size_t nm, const char *want)
{
    unsigned char d[32];
    char hex[65];
    tz_hmac_sha256(k, nk, m, nm, d);
    tz_hex(d, 32, hex);
    assert_string_equal(hex, want);
}

static void test_hmac_rfc4231(void **state)
{
    (void)state;
    unsigned char k[131];
    memset(k, 0x0b, 20);
    _hmac(k, 20, "Hi There", 8, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    _hmac("Jefe", 4, "what do ya want for nothing?", 28,
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    unsigned char m[50];
    memset(k, 0xaa, 20);
    memset(m, 0xdd, 50);
    _hmac(k, 20, m, 50, "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
    /* a key longer than the block is hashed first */
    memset(k, 0xaa, 131);
    const char *big = "Test Using Larger Than Block-Size Key - Hash Key First";
    _hmac(k, 131, big, strlen(big),
          "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

/* A file hashed on its own thread: the same hash as in one piece, its
 * size; a missing file says so; a cancelled job frees itself. */
static void test_file_job(void **state)
{
    (void)state;
    char path[] = "/tmp/tz_sha256_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_non_null(f);
    size_t n = 300000; /* several of the thread's reads */
    char *data = malloc(n);
    assert_non_null(data);
    for (size_t i = 0; i < n; i++)
        data[i] = (char)('a' + i % 26);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    unsigned char d[32];
    char want[65], hex[65];
    tz_sha256_hash(data, n, d);
    tz_hex(d, 32, want);
    long long size = -1;
    assert_int_equal(tz_sha256_file_finish(tz_sha256_file_start(path), hex, &size), 0);
    assert_string_equal(hex, want);
    assert_int_equal(size, (long long)n);
    tz_sha256_file_cancel(tz_sha256_file_start(path));
    tz_sha256_file_cancel(NULL);
    unlink(path);
    assert_int_equal(tz_sha256_file_finish(tz_sha256_file_start(path), hex, &size), -1);
    assert_string_equal(hex, "");
    assert_int_equal(tz_sha256_file_finish(NULL, hex, &size), -1);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_sha256_vectors),
                                       cmocka_unit_test(test_hmac_rfc4231),
                                       cmocka_unit_test(test_file_job)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
