/* test_sandbox.c - unit tests of util/sandbox: a child that succeeds, one
 * that segfaults, one that loops (CPU limit), one that sleeps (wall-clock
 * limit), one that allocates too much (address-space limit; skipped under
 * ASan), one killed mid-stream, one abandoned by the parent; no descriptor
 * but the pipe and stderr reaches the child, and no child is left
 * unreaped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/sandbox.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* No child of this process is left: every one was reaped. */
static void _assert_no_children(void)
{
    errno = 0;
    assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
}

static int _child_hello(int fd, void *arg)
{
    const char *msg = arg;
    return tz_sandbox_write_full(fd, msg, strlen(msg)) ? 9 : 0;
}

static void test_child_succeeds(void **state)
{
    tz_sandbox_limits lim = {10, 256ULL << 20, 10};
    tz_sandbox *sb = NULL;
    assert_int_equal(tz_sandbox_start(&lim, _child_hello, "你好, parent", &sb), 0);
    char buf[64] = {0};
    size_t want = strlen("你好, parent");
    assert_int_equal(tz_sandbox_read_full(sb, buf, want), 0);
    assert_string_equal(buf, "你好, parent");
    char more;
    assert_int_equal(tz_sandbox_read(sb, &more, 1), 0); /* end of file */
    int detail = -1;
    assert_int_equal(tz_sandbox_finish(sb, &detail), TZ_SANDBOX_OK);
    assert_int_equal(detail, 0);
    /* a second finish gives the same answer */
    assert_int_equal(tz_sandbox_finish(sb, NULL), TZ_SANDBOX_OK);
    tz_sandbox_free(sb);
    _assert_no_children();
}

/* With the parent's stdin and stdout closed (cron, a service), the pipe
 * lands on fd 0 or 1; the child's /dev/null redirection must not overwrite
 * it. Run in a forked process so the test runner keeps its own stdio. */
static void test_parent_without_stdio(void **state)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(STDIN_FILENO);
        close(STDOUT_FILENO);
        tz_sandbox_limits lim = {10, 0, 10};
        tz_sandbox *sb = NULL;
        if (tz_sandbox_start(&lim, _child_hello, "hello", &sb) != 0)
            _exit(2);
        char buf[8] = {0};
        int ok = tz_sandbox_read_full(sb, buf, 5) == 0 && !strcmp(buf, "hello") &&
                 tz_sandbox_finish(sb, NULL) == TZ_SANDBOX_OK;
        tz_sandbox_free(sb);
        _exit(ok ? 0 : 1);
    }
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
}

static int _child_status(int fd, void *arg)
{
    return 7;
}

static void test_child_fails(void **state)
{
    tz_sandbox_limits lim = {10, 0, 10};
    tz_sandbox *sb = NULL;
    assert_int_equal(tz_sandbox_start(&lim, _child_status, NULL, &sb), 0);
    int detail = 0;
    assert_int_equal(tz_sandbox_finish(sb, &detail), TZ_SANDBOX_FAILED);
    assert_int_equal(detail, 7);
    tz_sandbox_free(sb);
    _assert_no_children();
}

static int _child_segv(int fd, void *arg)
{
    /* the default action, not a sanitizer's handler: the child dies of SIGSEGV */
    signal(SIGSEGV, SIG_DFL);
    raise(SIGSEGV);
    return 0;
}

static void test_child_segfaults(void **state)
{
    tz_sandbox_limits lim = {10, 0, 10};
    tz_sandbox *sb = NULL;
    assert_int_equal(tz_sandbox_start(&lim, _child_segv, NULL, &sb), 0);
    char c;
    assert_int_equal(tz_sandbox_read(sb, &c, 1), 0);
    int sig = 0;
    assert_int_equal(tz_sandbox_finish(sb, &sig), TZ_SANDBOX_CRASHED);
    assert_int_equal(sig, SIGSEGV);
    tz_sandbox_free(sb);
    _assert_no_children();
}

static int _child_loop(int fd, void *arg)
{
    volatile unsigned long n = 0;
    for (;;)
        n++;
    return 0;
}

static void test_child_loops_cpu_limit(void **state)
{
    /* a wall clock far above the CPU limit: only the CPU limit can end it */
    tz_sandbox_limits lim = {1, 0, 120};
    tz_sandbox *sb = NULL;
    assert_int_equal(tz_sandbox_start(&lim, _child_loop, NULL, &sb), 0);
    char c;
    assert_int_equal(tz_sandbox_read(sb, &c, 1), 0); /* the pipe ends when the kernel kills it */
    int sig = 0;
    assert_int_equal(tz_sandbox_finish(sb, &sig), TZ_SANDBOX_CPU);
    assert_true(sig == SIGXCPU || sig == SIGKILL);
    tz_sandbox_free(sb);
    _assert_no_children();
}

static int _child_sleep(int fd, void *arg)
{
    for (;;)
        sleep(60);
    return 0;
}

static void test_child_sleeps_wall_limit(void **state)
{
    tz_sandbox_limits lim = {10, 0, 1};
    tz_sandbox *sb = NULL;
    assert_int_equal(tz_sandbox_start(&lim, _child_sleep, NULL, &sb), 0);
    char c;
    assert_int_equal(tz_sandbox_read(sb, &c, 1), -1); /* the wait ran out */
    assert_int_equal(tz_sandbox_read_full(sb, &c, 1), -1);
    int sig = 0;
    assert_int_equal(tz_sandbox_finish(sb, &sig), TZ_SANDBOX_TIMEOUT);
    assert_int_equal(sig, SIGKILL);
    tz_sandbox_free(sb);
    _assert_no_children();
}

static void test_child_sleeps_after_closing_output(void **state)
{
    /* finish() too waits within the wall-clock budget only */
    tz_sandbox_limits lim = {10, 0, 1};
    tz_sandbox *sb = NULL;
    assert_int_equal(tz_sandbox_start(&lim, _child_sleep, NULL, &sb), 0);
    assert_int_equal(tz_sandbox_finish(sb, NULL), TZ_SANDBOX_TIMEOUT);
    tz_sandbox_free(sb);
    _assert_no_children();
}

static int _child_alloc(int fd, void *arg)
{
    size_t n = (size_t)512 << 20;
    char *p = malloc(n);
    if (!p)
        return tz_sandbox_write_full(fd, "N", 1) ? 9 : 3;
    memset(p, 1, n);
    tz_sandbox_write_full(fd, "Y", 1);
    free(p);
    return 0;
}

static void test_child_allocates_too_much(void **state)
{
    if (!tz_sandbox_as_limited()) {
        print_message("skipped: this is an AddressSanitizer build, where RLIMIT_AS is not "
                      "applied (ASan reserves terabytes of shadow address space)\n");
        skip();
    }
    tz_sandbox_limits lim = {10, 128ULL << 20, 10};
    tz_sandbox *sb = NULL;
    assert_int_equal(tz_sandbox_start(&lim, _child_alloc, NULL, &sb), 0);
    char c = 0;
    assert_int_equal(tz_sandbox_read_full(sb, &c, 1), 0);
    assert_int_equal(c, 'N'); /* malloc failed at the limit */
    int st = 0;
    assert_int_equal(tz_sandbox_finish(sb, &st), TZ_SANDBOX_FAILED);
    assert_int_equal(st, 3);
    tz_sandbox_free(sb);
    _assert_no_children();
}

static int _child_partial(int fd, void *arg)
{
    tz_sandbox_write_full(fd, "abc", 3);
    signal(SIGKILL, SIG_DFL);
    raise(SIGKILL);
    return 0;
}

static void test_child_killed_mid_stream(void **state)
{
    tz_sandbox_limits lim = {10, 0, 10};
    tz_sandbox *sb = NULL;
    assert_int_equal(tz_sandbox_start(&lim, _child_partial, NULL, &sb), 0);
    char buf[10];
    /* three bytes, then the pipe ends: a short read is an error, never data */
    assert_int_equal(tz_sandbox_read_full(sb, buf, sizeof buf), -1);
    int sig = 0;
    /* a SIGKILL neither from the parent nor at the CPU limit */
    assert_int_equal(tz_sandbox_finish(sb, &sig), TZ_SANDBOX_CRASHED);
    assert_int_equal(sig, SIGKILL);
    tz_sandbox_free(sb);
    _assert_no_children();
}

static int _child_stream(int fd, void *arg)
{
    char block[4096];
    memset(block, 'x', sizeof block);
    for (;;)
        if (tz_sandbox_write_full(fd, block, sizeof block))
            return 5;
}

static void test_parent_abandons_child(void **state)
{
    tz_sandbox_limits lim = {10, 0, 10};
    tz_sandbox *sb = NULL;
    assert_int_equal(tz_sandbox_start(&lim, _child_stream, NULL, &sb), 0);
    char buf[100];
    assert_int_equal(tz_sandbox_read_full(sb, buf, sizeof buf), 0);
    tz_sandbox_free(sb); /* mid-stream: killed and reaped */
    _assert_no_children();
}

/* Reports in one byte whether any descriptor but 0-3 is open in the child
 * ('Y' when none), after checking fd is 3. */
static int _child_fds(int fd, void *arg)
{
    char ok = fd == 3 ? 'Y' : 'F';
    for (int i = 4; i < 1024 && ok == 'Y'; i++)
        if (fcntl(i, F_GETFD) != -1)
            ok = 'N';
    /* stdout is /dev/null: writing there reaches nobody */
    if (write(STDOUT_FILENO, "x", 1) != 1)
        ok = 'O';
    return tz_sandbox_write_full(fd, &ok, 1);
}

static void test_child_has_no_other_fds(void **state)
{
    int keep[3];
    for (int i = 0; i < 3; i++)
        keep[i] = open("/dev/null", O_RDONLY); /* descriptors the child must not see */
    tz_sandbox_limits lim = {10, 0, 10};
    tz_sandbox *sb = NULL;
    assert_int_equal(tz_sandbox_start(&lim, _child_fds, NULL, &sb), 0);
    char c = 0;
    assert_int_equal(tz_sandbox_read_full(sb, &c, 1), 0);
    assert_int_equal(c, 'Y');
    assert_int_equal(tz_sandbox_finish(sb, NULL), TZ_SANDBOX_OK);
    tz_sandbox_free(sb);
    for (int i = 0; i < 3; i++)
        close(keep[i]);
    _assert_no_children();
}

static void test_env_limit(void **state)
{
    unsetenv("TZ_TEST_LIMIT");
    assert_int_equal(tz_sandbox_env_limit("TZ_TEST_LIMIT", 30, 1, 100), 30);
    setenv("TZ_TEST_LIMIT", "", 1);
    assert_int_equal(tz_sandbox_env_limit("TZ_TEST_LIMIT", 30, 1, 100), 30);
    setenv("TZ_TEST_LIMIT", "5", 1);
    assert_int_equal(tz_sandbox_env_limit("TZ_TEST_LIMIT", 30, 1, 100), 5);
    const char *bad[] = {"0", "101", "5s", "-3", "abc", " 5", "99999999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        setenv("TZ_TEST_LIMIT", bad[i], 1);
        assert_int_equal(tz_sandbox_env_limit("TZ_TEST_LIMIT", 30, 1, 100), -1);
    }
    unsetenv("TZ_TEST_LIMIT");
}

static void test_free_null(void **state)
{
    tz_sandbox_free(NULL);
    assert_int_equal(tz_sandbox_finish(NULL, NULL), TZ_SANDBOX_ERROR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_child_succeeds),
        cmocka_unit_test(test_parent_without_stdio),
        cmocka_unit_test(test_child_fails),
        cmocka_unit_test(test_child_segfaults),
        cmocka_unit_test(test_child_loops_cpu_limit),
        cmocka_unit_test(test_child_sleeps_wall_limit),
        cmocka_unit_test(test_child_sleeps_after_closing_output),
        cmocka_unit_test(test_child_allocates_too_much),
        cmocka_unit_test(test_child_killed_mid_stream),
        cmocka_unit_test(test_parent_abandons_child),
        cmocka_unit_test(test_child_has_no_other_fds),
        cmocka_unit_test(test_env_limit),
        cmocka_unit_test(test_free_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
