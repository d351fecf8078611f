/* sandbox.c - a function run in a child process under CPU, address-space
 * and wall-clock limits, read back through a pipe (see sandbox.h). */
#include "util/sandbox.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* AddressSanitizer reserves a huge shadow address range at start-up, so a
 * child under RLIMIT_AS cannot allocate anything: under ASan only the CPU
 * and wall-clock limits are applied. */
#if defined(__SANITIZE_ADDRESS__)
#define SANDBOX_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANDBOX_UNDER_ASAN 1
#endif
#endif
#ifndef SANDBOX_UNDER_ASAN
#define SANDBOX_UNDER_ASAN 0
#endif

#define SANDBOX_CHILD_FD 3 /* the child's end of the pipe, after the fd clean-up */

struct tz_sandbox {
    pid_t pid;            /* the child, or 0 once reaped */
    int fd;               /* parent's (read) end of the pipe, or -1 once closed */
    long long budget_ms;  /* wall-clock budget: ms the parent may wait in all (0: none) */
    long long waited_ms;  /* ms the parent has waited for the child so far */
    unsigned cpu_seconds; /* the child's CPU limit (0: none), to read a SIGKILL */
    int killed;           /* 1 when the parent killed the child at the wall clock */
    int finished;         /* 1 once tz_sandbox_finish has reaped the child */
    tz_sandbox_end end;   /* how the child ended, once finished */
    int detail;           /* exit status, signal or errno of end */
};

int tz_sandbox_as_limited(void)
{
    return !SANDBOX_UNDER_ASAN;
}

static long long _now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the child ------------------------------------------------------------- */

/* In the child: default signal handling (a handler of the parent, e.g. one
 * that removes its temporary files on SIGTERM, must not run here), the
 * limits, stdin/stdout on /dev/null, and no descriptor but the pipe (moved
 * to SANDBOX_CHILD_FD) and stderr (kept so that sanitizer reports reach the
 * user). Returns the pipe's descriptor, or -1. */
static int _child_setup(int wfd, const tz_sandbox_limits *lim, pid_t parent)
{
    /* die with the parent: nobody else would enforce the wall clock */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
        return -1;
    static const int sigs[] = {SIGINT,  SIGTERM, SIGHUP,  SIGQUIT, SIGPIPE,
                               SIGXCPU, SIGALRM, SIGCHLD, SIGUSR1, SIGUSR2};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        if (signal(sigs[i], SIG_DFL) == SIG_ERR)
            return -1;
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    struct rlimit rl;
    if (lim->cpu_seconds) {
        /* SIGXCPU at the soft limit; SIGKILL a second later if it is caught */
        rl.rlim_cur = lim->cpu_seconds;
        rl.rlim_max = (rlim_t)lim->cpu_seconds + 1;
        if (setrlimit(RLIMIT_CPU, &rl) != 0)
            return -1;
    }
    if (lim->as_bytes && !SANDBOX_UNDER_ASAN) {
        rl.rlim_cur = rl.rlim_max = (rlim_t)lim->as_bytes;
        if (setrlimit(RLIMIT_AS, &rl) != 0)
            return -1;
    }
    /* no core files from a crash on a hostile file */
    rl.rlim_cur = rl.rlim_max = 0;
    setrlimit(RLIMIT_CORE, &rl);

    /* the pipe goes to its place first: with the parent's stdin or stdout
     * closed (cron, a service), pipe2 may have given it fd 0 or 1, which
     * the /dev/null redirection below would overwrite */
    if (wfd != SANDBOX_CHILD_FD) {
        if (dup2(wfd, SANDBOX_CHILD_FD) < 0)
            return -1;
    } else if (fcntl(wfd, F_SETFD, 0) != 0) {
        return -1;
    }
    int nul = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (nul < 0 || dup2(nul, STDIN_FILENO) < 0 || dup2(nul, STDOUT_FILENO) < 0)
        return -1;
    if (close_range(SANDBOX_CHILD_FD + 1, ~0U, 0) != 0) {
        long max = sysconf(_SC_OPEN_MAX);
        if (max < 0 || max > 65536)
            max = 65536;
        for (int fd = SANDBOX_CHILD_FD + 1; fd < max; fd++)
            close(fd);
    }
    return SANDBOX_CHILD_FD;
}

int tz_sandbox_write_full(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* ---- the parent ------------------------------------------------------------ */

int tz_sandbox_start(const tz_sandbox_limits *lim, tz_sandbox_fn fn, void *arg, tz_sandbox **out)
{
    int rc = -1;
    int p[2] = {-1, -1};
    *out = NULL;
    tz_sandbox *sb = calloc(1, sizeof *sb);
    if (!sb)
        goto done;
    sb->fd = -1;
    sb->budget_ms = (long long)lim->wall_seconds * 1000;
    sb->cpu_seconds = lim->cpu_seconds;
    if (pipe2(p, O_CLOEXEC) != 0)
        goto done;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0)
        goto done;
    if (pid == 0) {
        int fd = _child_setup(p[1], lim, parent);
        if (fd < 0)
            _exit(127);
        int st = fn(fd, arg);
        _exit(st == 0 ? 0 : (st & 0xff) ? (st & 0xff) : 1);
    }
    close(p[1]);
    p[1] = -1;
    sb->pid = pid;
    sb->fd = p[0];
    p[0] = -1;
    *out = sb;
    sb = NULL;
    rc = 0;
done:
    if (rc) {
        int err = errno;
        if (p[0] >= 0)
            close(p[0]);
        if (p[1] >= 0)
            close(p[1]);
        free(sb);
        errno = err;
    }
    return rc;
}

/* Kills the child at the wall clock. */
static void _kill(tz_sandbox *sb)
{
    if (sb->pid > 0 && !sb->killed) {
        kill(sb->pid, SIGKILL);
        sb->killed = 1;
    }
}

/* Waits until fd is readable within the budget. Returns 1 when readable
 * (or at hang-up), 0 when the budget ran out (child killed), -1 on error. */
static int _wait_readable(tz_sandbox *sb)
{
    for (;;) {
        if (sb->killed)
            return 0;
        int timeout = -1;
        if (sb->budget_ms) {
            long long left = sb->budget_ms - sb->waited_ms;
            if (left <= 0) {
                _kill(sb);
                return 0;
            }
            timeout = left > INT_MAX ? INT_MAX : (int)left;
        }
        struct pollfd pfd = {sb->fd, POLLIN, 0};
        long long t0 = _now_ms();
        int n = poll(&pfd, 1, timeout);
        sb->waited_ms += _now_ms() - t0;
        if (n > 0)
            return 1;
        if (n < 0 && errno != EINTR)
            return -1;
        /* n == 0 (timeout) or EINTR: the loop checks the budget again */
    }
}

ssize_t tz_sandbox_read(tz_sandbox *sb, void *buf, size_t n)
{
    if (!sb || sb->fd < 0)
        return -1;
    for (;;) {
        int w = _wait_readable(sb);
        if (w <= 0)
            return -1;
        ssize_t r = read(sb->fd, buf, n);
        if (r >= 0)
            return r;
        if (errno != EINTR && errno != EAGAIN)
            return -1;
    }
}

int tz_sandbox_read_full(tz_sandbox *sb, void *buf, size_t n)
{
    char *p = buf;
    while (n > 0) {
        ssize_t r = tz_sandbox_read(sb, p, n);
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

/* Reaps the child, waiting at most until the budget runs out (then kills
 * it). Returns 0 with *status and the child's resource usage in *ru, or -1
 * with errno. */
static int _reap(tz_sandbox *sb, int *status, struct rusage *ru)
{
    for (;;) {
        pid_t r = wait4(sb->pid, status, (sb->budget_ms && !sb->killed) ? WNOHANG : 0, ru);
        if (r == sb->pid)
            return 0;
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        /* still running: poll every 5 ms within the budget */
        if (sb->waited_ms >= sb->budget_ms) {
            _kill(sb);
            continue;
        }
        struct timespec ts = {0, 5L * 1000 * 1000};
        long long t0 = _now_ms();
        nanosleep(&ts, NULL);
        sb->waited_ms += _now_ms() - t0;
    }
}

tz_sandbox_end tz_sandbox_finish(tz_sandbox *sb, int *detail)
{
    if (!sb) {
        if (detail)
            *detail = EINVAL;
        return TZ_SANDBOX_ERROR;
    }
    if (!sb->finished) {
        if (sb->fd >= 0) {
            close(sb->fd);
            sb->fd = -1;
        }
        int status = 0;
        struct rusage ru;
        memset(&ru, 0, sizeof ru);
        if (_reap(sb, &status, &ru) != 0) {
            sb->end = TZ_SANDBOX_ERROR;
            sb->detail = errno;
        } else if (WIFEXITED(status)) {
            sb->end = WEXITSTATUS(status) == 0 ? TZ_SANDBOX_OK : TZ_SANDBOX_FAILED;
            sb->detail = WEXITSTATUS(status);
        } else if (WIFSIGNALED(status)) {
            int sig = WTERMSIG(status);
            sb->detail = sig;
            if (sb->killed && sig == SIGKILL)
                sb->end = TZ_SANDBOX_TIMEOUT;
            else if (sig == SIGXCPU ||
                     (sig == SIGKILL && sb->cpu_seconds &&
                      ru.ru_utime.tv_sec + ru.ru_stime.tv_sec >= (time_t)sb->cpu_seconds))
                sb->end = TZ_SANDBOX_CPU; /* SIGKILL at the hard limit, a second later */
            else
                sb->end = TZ_SANDBOX_CRASHED;
        } else {
            sb->end = TZ_SANDBOX_CRASHED;
            sb->detail = 0;
        }
        sb->pid = 0;
        sb->finished = 1;
    }
    if (detail)
        *detail = sb->detail;
    return sb->end;
}

void tz_sandbox_free(tz_sandbox *sb)
{
    if (!sb)
        return;
    if (!sb->finished) {
        _kill(sb); /* abandoned mid-stream: nothing more is wanted from it */
        tz_sandbox_finish(sb, NULL);
    }
    if (sb->fd >= 0)
        close(sb->fd);
    free(sb);
}

long long tz_sandbox_env_limit(const char *name, long long def, long long min, long long max)
{
    const char *v = getenv(name);
    if (!v || !*v)
        return def;
    if (*v < '0' || *v > '9') /* no blanks or signs before the digits */
        return -1;
    char *end = NULL;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno || end == v || *end || n < min || n > max)
        return -1;
    return n;
}
