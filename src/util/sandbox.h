/* sandbox.h - run a function in a child process under hard limits.
 *
 * Owns: forking a child that runs one function with a CPU-time limit
 * (RLIMIT_CPU), an address-space limit (RLIMIT_AS) and no file descriptors
 * but its end of a pipe and stderr; the parent's reading of that pipe under
 * a wall-clock limit (the child is killed when the parent has waited longer
 * than allowed); reaping the child (never a zombie, EINTR retried), and
 * telling how the child ended: normally, with a failure status, killed by a
 * signal (a crash), by a limit, or by the parent at the wall clock.
 *
 * Does not own: what goes over the pipe (each user frames its own data and
 * must end it with an explicit end mark, so that a child killed mid-stream
 * is never taken for one that finished), or the messages the user sees.
 *
 * Used by io/xls_read.c (FreeXL parses untrusted .xls files in the child) and
 * report/draft_child.c (a Lua template runs in the child).
 *
 * Under AddressSanitizer the address-space limit is not applied: ASan
 * reserves terabytes of virtual memory for its shadow at start-up, and a
 * child under RLIMIT_AS could not allocate at all. The CPU and wall-clock
 * limits still apply. tz_sandbox_as_limited() tells which build this is.
 */
#ifndef TZ_SANDBOX_H
#define TZ_SANDBOX_H
#include <stddef.h>
#include <sys/types.h>

/* The child's limits; 0 in a field means no limit of that kind. */
typedef struct tz_sandbox_limits {
    unsigned cpu_seconds;        /* RLIMIT_CPU: CPU seconds the child may use */
    unsigned long long as_bytes; /* RLIMIT_AS: address space of the child (skipped under ASan) */
    unsigned wall_seconds; /* seconds the parent waits for the child in all before killing it */
} tz_sandbox_limits;

/* How the child ended. */
typedef enum tz_sandbox_end {
    TZ_SANDBOX_OK = 0,      /* the function returned 0 and the child exited with status 0 */
    TZ_SANDBOX_FAILED = 1,  /* the child exited with a non-zero status (detail: the status) */
    TZ_SANDBOX_CRASHED = 2, /* killed by a signal, e.g. SIGSEGV or SIGABRT (detail: the signal) */
    TZ_SANDBOX_CPU =
        3, /* killed for passing its CPU limit (SIGXCPU, or SIGKILL at the hard limit) */
    TZ_SANDBOX_TIMEOUT = 4, /* killed by the parent at the wall-clock limit */
    TZ_SANDBOX_ERROR = 5    /* the parent could not fork, pipe or wait (detail: errno) */
} tz_sandbox_end;

/* The function run in the child. fd is the write end of the pipe to the
 * parent; arg is the caller's. Returns the child's exit status (0: success).
 * The child then leaves with _exit(): no atexit handlers, no stdio flush of
 * buffers inherited from the parent. It must not close fd. */
typedef int (*tz_sandbox_fn)(int fd, void *arg);

typedef struct tz_sandbox tz_sandbox;

/* Starts fn(fd, arg) in a child under lim. Returns 0 with *out set, or -1
 * with errno set (pipe, fork or memory failed; *out is NULL). */
int tz_sandbox_start(const tz_sandbox_limits *lim, tz_sandbox_fn fn, void *arg, tz_sandbox **out);

/* Reads up to n bytes from the child into buf, waiting while the wall-clock
 * budget lasts (the child is killed when it runs out). Returns the number
 * of bytes read (> 0), 0 at end of file (the child closed the pipe or
 * ended), or -1 on timeout or a read error. */
ssize_t tz_sandbox_read(tz_sandbox *sb, void *buf, size_t n);

/* Reads exactly n bytes. Returns 0, or -1 when the pipe ended first, the
 * wall-clock budget ran out, or reading failed. */
int tz_sandbox_read_full(tz_sandbox *sb, void *buf, size_t n);

/* Closes the parent's end of the pipe, waits for the child within what is
 * left of the wall-clock budget (then kills it), reaps it and says how it
 * ended; *detail (may be NULL) gets the exit status, signal or errno. Call
 * once; later calls return the same answer. */
tz_sandbox_end tz_sandbox_finish(tz_sandbox *sb, int *detail);

/* Kills the child if it still runs, reaps it and frees sb. Safe on NULL. */
void tz_sandbox_free(tz_sandbox *sb);

/* 1 when this build applies RLIMIT_AS to children (not under ASan). */
int tz_sandbox_as_limited(void);

/* Writes all n bytes of buf to fd (retrying on EINTR and short writes).
 * Returns 0 or -1. For the child's side of the pipe. */
int tz_sandbox_write_full(int fd, const void *buf, size_t n);

/* Reads a limit from the environment variable name: a whole number from
 * min to max. Returns def when the variable is unset or empty, the value
 * when it is valid, or -1 when it is set but not valid. */
long long tz_sandbox_env_limit(const char *name, long long def, long long min, long long max);

#endif
