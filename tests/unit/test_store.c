/* test_store.c - unit tests of the storage interface's fault handling: a
 * transaction SQLite rolled back by itself, error kinds, file modes, and the
 * PostgreSQL timeouts (when TZ_PG_URI names a test server). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ledger/ledger.h"
#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char _dir[64];

static int _setup(void **state)
{
    (void)state;
    snprintf(_dir, sizeof _dir, "/tmp/tz-store-XXXXXX");
    return mkdtemp(_dir) ? 0 : -1;
}

static int _teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", _dir);
    return system(cmd) == 0 ? 0 : -1;
}

static tz_store *_new_db(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", _dir, name);
    unlink(path);
    tz_diags d = TZ_DIAGS_INIT;
    tz_store *s = NULL;
    assert_int_equal(tz_store_open(path, TZ_OPEN_CREATE | TZ_OPEN_MUST_NOT_EXIST, &s, &d), 0);
    tz_diags_clear(&d);
    return s;
}

/* SQLITE_FULL rolls the transaction back by itself; the store must see that,
 * and COMMIT must fail rather than succeed on the autocommit remainder. */
static void test_full_ends_transaction(void **state)
{
    (void)state;
    tz_store *s = _new_db("full.db");
    long long pages = 0;
    assert_int_equal(tz_store_scalar_int(s, "PRAGMA page_count", NULL, &pages), 0);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", pages + 3);
    assert_int_equal(tz_store_exec(s, sql), 0);
    assert_int_equal(tz_store_exec(s, "CREATE TABLE IF NOT EXISTS big (v TEXT)"), 0);
    assert_int_equal(tz_store_begin(s), 0);
    assert_true(tz_store_tx_alive(s));
    tz_stmt *st = NULL;
    assert_int_equal(tz_store_prepare(s, "INSERT INTO big (v) VALUES (?)", &st), 0);
    char row[2000];
    memset(row, 'x', sizeof row - 1);
    row[sizeof row - 1] = '\0';
    int failed = 0;
    for (int i = 0; i < 1000 && !failed; i++) {
        tz_stmt_reset(st);
        tz_stmt_bind_text(st, 1, row);
        failed = tz_stmt_step(st) < 0;
    }
    tz_stmt_free(st);
    assert_true(failed);
    assert_int_equal(tz_store_errkind(s), TZ_STORE_ERR_FULL);
    /* the importer's duty: whatever the backend did, COMMIT keeps nothing */
    assert_int_equal(tz_store_commit(s), -1);
    assert_int_equal(tz_store_errkind(s), TZ_STORE_ERR_FULL);
    assert_false(tz_store_in_tx(s));
    long long n = -1;
    assert_int_equal(tz_store_scalar_int(s, "SELECT count(*) FROM big", NULL, &n), 0);
    assert_int_equal(n, 0);
    tz_store_close(s);
}

/* After a statement failure that ended the transaction, writes must not go
 * on in autocommit mode unnoticed: tx_alive says so. */
static void test_tx_alive_after_rollback(void **state)
{
    (void)state;
    tz_store *s = _new_db("alive.db");
    assert_int_equal(tz_store_begin(s), 0);
    assert_true(tz_store_tx_alive(s));
    /* a ROLLBACK the store did not ask for (as SQLite does on SQLITE_FULL) */
    assert_int_equal(tz_store_exec(s, "ROLLBACK"), 0);
    assert_false(tz_store_tx_alive(s));
    assert_int_equal(tz_store_commit(s), -1);
    assert_false(tz_store_in_tx(s));
    tz_store_close(s);
}

static void test_created_private(void **state)
{
    (void)state;
    tz_store *s = _new_db("mode.db");
    assert_int_equal(tz_store_exec(s, "CREATE TABLE IF NOT EXISTS m (v)"), 0);
    char path[128];
    struct stat sb;
    snprintf(path, sizeof path, "%s/mode.db", _dir);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    snprintf(path, sizeof path, "%s/mode.db-wal", _dir);
    if (stat(path, &sb) == 0)
        assert_int_equal(sb.st_mode & 0777, 0600);
    tz_store_close(s);
}

/* A second connection to the database _new_db(name) made. */
static tz_store *_open_again(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", _dir, name);
    tz_diags d = TZ_DIAGS_INIT;
    tz_store *s = NULL;
    assert_int_equal(tz_store_open(path, 0, &s, &d), 0);
    tz_diags_clear(&d);
    return s;
}

static void test_busy_kind(void **state)
{
    (void)state;
    tz_store *a = _new_db("busy.db"), *b = _open_again("busy.db");
    assert_int_equal(tz_store_begin(a), 0);
    assert_int_equal(tz_store_begin(b), -1); /* waits TZ_STORE_BUSY_MS, then gives up */
    assert_int_equal(tz_store_errkind(b), TZ_STORE_ERR_BUSY);
    assert_false(tz_store_in_tx(b));
    assert_int_equal(tz_store_rollback(a), 0);
    tz_store_close(b);
    tz_store_close(a);
}

static long long _meta_rows(tz_store *s)
{
    long long n = -1;
    assert_int_equal(tz_store_scalar_int(s, "SELECT count(*) FROM tz_meta", NULL, &n), 0);
    return n;
}

/* A read snapshot sees the database as its first query did while another
 * connection writes (WAL: the writer is not blocked), refuses a write
 * transaction of its own, and sees the write once ended. */
static void test_read_snapshot(void **state)
{
    (void)state;
    tz_store *a = _new_db("snap.db"), *b = _open_again("snap.db");
    long long before = _meta_rows(a);
    assert_int_equal(tz_store_read_begin(a), 1);
    assert_int_equal(tz_store_read_begin(a), 0); /* already in one: nothing more to end */
    assert_true(tz_store_in_read(a));
    assert_int_equal(_meta_rows(a), before);
    assert_int_equal(tz_store_begin(b), 0);
    assert_int_equal(tz_store_exec(b, "INSERT INTO tz_meta (key, value) VALUES ('snap', '1')"), 0);
    assert_int_equal(tz_store_commit(b), 0);
    assert_int_equal(_meta_rows(a), before); /* the snapshot holds */
    assert_int_equal(tz_store_begin(a), -1);
    assert_false(tz_store_in_tx(a));
    tz_store_read_end(a);
    assert_false(tz_store_in_read(a));
    assert_int_equal(_meta_rows(a), before + 1);
    tz_store_close(b);
    tz_store_close(a);
}

static const char *_pg(void)
{
    const char *u = getenv("TZ_PG_URI");
    return u && *u ? u : NULL;
}

static char *_show(tz_store *s, const char *what)
{
    char sql[64];
    snprintf(sql, sizeof sql, "SHOW %s", what);
    tz_stmt *st = NULL;
    assert_int_equal(tz_store_prepare(s, sql, &st), 0);
    assert_int_equal(tz_stmt_step(st), 1);
    char *v = strdup(tz_stmt_text(st, 0));
    tz_stmt_free(st);
    return v;
}

static void test_pg_timeouts(void **state)
{
    (void)state;
    const char *uri = _pg();
    if (!uri) {
        printf("TZ_PG_URI not set: PostgreSQL timeouts not tested\n");
        skip();
    }
    tz_diags d = TZ_DIAGS_INIT;
    tz_store *s = NULL;
    assert_int_equal(tz_store_open(uri, TZ_OPEN_CREATE, &s, &d), 0);
    char *v = _show(s, "statement_timeout");
    assert_string_equal(v, TZ_PG_STATEMENT_TIMEOUT);
    free(v);
    tz_store_close(s);

    /* the URL's own statement_timeout wins, and a timeout is its own kind */
    char u2[512];
    snprintf(u2, sizeof u2, "%s%soptions=-c%%20statement_timeout%%3D300", uri,
             strchr(uri, '?') ? "&" : "?");
    assert_int_equal(tz_store_open(u2, TZ_OPEN_CREATE, &s, &d), 0);
    v = _show(s, "statement_timeout");
    assert_string_equal(v, "300ms");
    free(v);
    assert_int_equal(tz_store_exec(s, "SELECT pg_sleep(2)"), -1);
    assert_int_equal(tz_store_errkind(s), TZ_STORE_ERR_TIMEOUT);
    /* a failed statement ends a PostgreSQL transaction: commit must refuse */
    assert_int_equal(tz_store_begin(s), 0);
    assert_int_equal(tz_store_exec(s, "SELECT pg_sleep(2)"), -1);
    assert_false(tz_store_tx_alive(s));
    assert_int_equal(tz_store_commit(s), -1);
    assert_int_equal(tz_store_errkind(s), TZ_STORE_ERR_TIMEOUT);
    tz_store_close(s);
    tz_diags_clear(&d);
}

/* What a progress callback heard. */
typedef struct heard {
    int calls;                     /* calls made */
    int stage[16];                 /* the first 16 stages heard */
    size_t rows[16];               /* and their row counts */
    unsigned long long last_done;  /* bytes_done of the latest call */
    unsigned long long last_total; /* bytes_total of the latest call */
    int went_back;                 /* bytes_done or rows ever went down */
} heard;

static void _hear(void *ctx, const char *file, tz_import_stage stage, size_t rows,
                  unsigned long long done, unsigned long long total)
{
    heard *h = ctx;
    assert_string_equal(file, "regions.csv");
    if (h->calls < 16) {
        h->stage[h->calls] = (int)stage;
        h->rows[h->calls] = rows;
    }
    if (h->calls && (done < h->last_done || rows < h->rows[h->calls < 16 ? h->calls - 1 : 15]))
        h->went_back = 1;
    h->calls++;
    h->last_done = done;
    h->last_total = total;
}

/* issue 8: the import reports progress through a callback and never draws
 * itself: every 500 data rows while reading, then once when all is read,
 * then once more as the rows are written (issue 13) */
static void test_import_progress(void **state)
{
    (void)state;
    tz_store *s = _new_db("progress.db");
    char path[128];
    snprintf(path, sizeof path, "%s/regions.csv", _dir);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs("区划代码,名称,上级区划代码,层级,贫困村,主导产业\n"
          "410000000000,河南省,,省,,\n"
          "411600000000,周口市,410000000000,市,,\n"
          "411628000000,鹿邑县,411600000000,县,,\n"
          "411628101000,甲镇,411628000000,乡,,\n"
          "411628102000,乙镇,411628000000,乡,,\n",
          fp);
    for (int i = 1; i <= 1195; i++)
        fprintf(fp, "41162810%d%03d,村%d,41162810%d000,村,否,\n", 1 + i / 600, i % 600 + 1, i,
                1 + i / 600);
    fclose(fp);
    heard h;
    memset(&h, 0, sizeof h);
    tz_import_progress p = {_hear, &h};
    tz_import_opts o = {.progress = &p, .actor = "test"};
    tz_import_result r;
    tz_diags d = TZ_DIAGS_INIT;
    int rc = tz_import_file(s, tz_ledger_find("regions"), path, &o, &r, &d);
    tz_import_result_free(&r);
    if (rc)
        tz_diags_print(&d, stderr);
    tz_diags_clear(&d);
    assert_int_equal(rc, 0);
    assert_int_equal(r.rows, 1200);
    assert_int_equal(h.calls, 4);
    assert_int_equal(h.stage[0], TZ_IMPORT_READING);
    assert_int_equal(h.rows[0], 500);
    assert_int_equal(h.stage[1], TZ_IMPORT_READING);
    assert_int_equal(h.rows[1], 1000);
    assert_int_equal(h.stage[2], TZ_IMPORT_READ);
    assert_int_equal(h.rows[2], 1200);
    assert_int_equal(h.stage[3], TZ_IMPORT_WRITING); /* then the rows are written */
    assert_int_equal(h.rows[3], 1200);
    assert_false(h.went_back);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(h.last_total, (unsigned long long)sb.st_size);
    assert_int_equal(h.last_done, h.last_total);

    /* a file refused at its header is never reported on */
    memset(&h, 0, sizeof h);
    fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs("不是表头\n1\n", fp);
    fclose(fp);
    assert_int_equal(tz_import_file(s, tz_ledger_find("regions"), path, &o, &r, &d), 1);
    tz_import_result_free(&r);
    tz_diags_clear(&d);
    assert_int_equal(h.calls, 0);

    /* a read that fails part-way (a quote never closed) ends "stopped",
     * never "all read" */
    memset(&h, 0, sizeof h);
    fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs("区划代码,名称,上级区划代码,层级,贫困村,主导产业\n"
          "410000000000,河南省,,省,,\n"
          "411600000000,\"周口市,410000000000,市,,\n",
          fp);
    fclose(fp);
    assert_int_not_equal(tz_import_file(s, tz_ledger_find("regions"), path, &o, &r, &d), 0);
    tz_import_result_free(&r);
    tz_diags_clear(&d);
    assert_true(h.calls >= 1);
    assert_int_equal(h.stage[h.calls - 1], TZ_IMPORT_STOPPED);
    tz_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_ends_transaction),
        cmocka_unit_test(test_tx_alive_after_rollback),
        cmocka_unit_test(test_created_private),
        cmocka_unit_test(test_busy_kind),
        cmocka_unit_test(test_read_snapshot),
        cmocka_unit_test(test_pg_timeouts),
        cmocka_unit_test(test_import_progress),
    };
    return cmocka_run_group_tests(tests, _setup, _teardown);
}
