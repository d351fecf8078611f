/* tmpfile.c - temporary files beside their target: names, mode, removal on
 * SIGINT/SIGTERM/SIGHUP and of a killed run's leftovers. */
#include "util/tmpfile.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/path.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The part between the target's name and the PID. */
#define TMP_MARK ".taizhang-tmp."
/* Temporary files one process may have open at once. */
#define TMP_SLOTS 32

/* Live temporary files, read by the signal handler. A slot is filled or
 * emptied only with the handled signals blocked; the handler removes a
 * slot's file only in the process that created it (a forked child inherits
 * the table but not the files' ownership). */
static char *volatile _slot_path[TMP_SLOTS];
static volatile pid_t _slot_pid[TMP_SLOTS];

static const int _signals[] = {SIGINT, SIGTERM, SIGHUP};
#define NSIGNALS (sizeof _signals / sizeof _signals[0])
static struct sigaction _old_action[NSIGNALS]; /* dispositions before ours */
static int _installed;                         /* 1 once the handlers are in place */

static void _on_signal(int sig)
{
    int saved = errno;
    pid_t self = getpid();
    for (size_t i = 0; i < TMP_SLOTS; i++) {
        char *p = _slot_path[i];
        if (p && _slot_pid[i] == self)
            unlink(p);
    }
    /* Hand the signal on: back to what it did before (usually ending the
     * process), delivered again as soon as this handler returns. */
    for (size_t k = 0; k < NSIGNALS; k++)
        if (_signals[k] == sig)
            sigaction(sig, &_old_action[k], NULL);
    (void)raise(sig); /* in a handler: nothing more to do if it fails */
    errno = saved;
}

static void _block(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t k = 0; k < NSIGNALS; k++)
        sigaddset(&set, _signals[k]);
    sigprocmask(SIG_BLOCK, &set, old);
}

static void _unblock(const sigset_t *old)
{
    sigprocmask(SIG_SETMASK, old, NULL);
}

/* Installs the handler for each signal that is not ignored (a command run
 * under nohup keeps ignoring SIGHUP). Called with the signals blocked. */
static void _install(void)
{
    if (_installed)
        return;
    _installed = 1;
    for (size_t k = 0; k < NSIGNALS; k++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        if (sigaction(_signals[k], NULL, &_old_action[k]) != 0 ||
            _old_action[k].sa_handler == SIG_IGN)
            continue;
        sa.sa_handler = _on_signal;
        sigfillset(&sa.sa_mask);
        sa.sa_flags = SA_RESTART;
        sigaction(_signals[k], &sa, NULL);
    }
}

/* Index of path's slot in this process, or -1. */
static int _find(const char *path)
{
    pid_t self = getpid();
    for (size_t i = 0; i < TMP_SLOTS; i++)
        if (_slot_path[i] && _slot_pid[i] == self && strcmp(_slot_path[i], path) == 0)
            return (int)i;
    return -1;
}

/* Registers path (copied). Called with the signals blocked. Returns 0, or
 * -1 with errno set. */
static int _register(const char *path)
{
    for (size_t i = 0; i < TMP_SLOTS; i++) {
        if (_slot_path[i])
            continue;
        char *copy = strdup(path);
        if (!copy)
            return -1;
        _slot_pid[i] = getpid();
        _slot_path[i] = copy;
        return 0;
    }
    errno = EMFILE;
    return -1;
}

static void _unregister(const char *path)
{
    sigset_t old;
    _block(&old);
    int i = _find(path);
    if (i >= 0) {
        char *p = _slot_path[i];
        _slot_path[i] = NULL;
        free(p);
    }
    _unblock(&old);
}

unsigned tz_tmp_mode(void)
{
    const char *g = getenv(TZ_FILE_GROUP_ENV);
    return (g && *g) ? 0640 : 0600;
}

int tz_file_set_mode(int fd, const char **why)
{
    const char *g = getenv(TZ_FILE_GROUP_ENV);
    if (g && *g) {
        struct group gr, *found = NULL;
        char buf[4096];
        if (getgrnam_r(g, &gr, buf, sizeof buf, &found) != 0 || !found) {
            *why = "环境变量" TZ_FILE_GROUP_ENV "指定的用户组不存在";
            errno = EINVAL;
            return -1;
        }
        if (fchown(fd, (uid_t)-1, found->gr_gid) != 0) {
            *why = "无法把文件交给环境变量" TZ_FILE_GROUP_ENV "指定的用户组(当前用户不在该组中)";
            return -1;
        }
    }
    if (fchmod(fd, tz_tmp_mode()) != 0) {
        *why = tz_errno_text(errno, 1);
        return -1;
    }
    return 0;
}

int tz_tmp_create(const char *target, const char *tag, char **tmp_path, const char **why)
{
    tz_buf b = TZ_BUF_INIT;
    const char *base = tz_path_base(target);
    size_t dirlen = (size_t)(base - target);
    int fd = -1, err;
    sigset_t old;
    *tmp_path = NULL;
    if (!*base) {
        *why = "路径缺少文件名";
        errno = EISDIR;
        return -1;
    }
    if (tz_buf_printf(&b, "%.*s.%s" TMP_MARK "%ld%s%s", (int)dirlen, target, base, (long)getpid(),
                      tag ? "." : "", tag ? tag : "") != 0) {
        *why = tz_errno_text(ENOMEM, 1);
        errno = ENOMEM;
        return -1;
    }
    char *path = tz_buf_take(&b);
    tz_tmp_sweep(target);
    _block(&old);
    _install();
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0 && _register(path) != 0) {
        err = errno;
        close(fd);
        unlink(path);
        fd = -1;
        errno = err;
    }
    _unblock(&old);
    if (fd < 0) {
        err = errno;
        *why = err == EMFILE ? "同时打开的临时文件过多" : tz_errno_text(err, 1);
        free(path);
        errno = err;
        return -1;
    }
    if (tz_file_set_mode(fd, why) != 0) {
        err = errno;
        close(fd);
        tz_tmp_discard(path);
        free(path);
        errno = err;
        return -1;
    }
    *tmp_path = path;
    return fd;
}

int tz_tmp_publish(const char *tmp_path, const char *target, const char **why)
{
    if (rename(tmp_path, target) != 0) {
        int err = errno;
        *why = tz_errno_text(err, 1);
        errno = err;
        return -1;
    }
    _unregister(tmp_path);
    return 0;
}

void tz_tmp_discard(const char *tmp_path)
{
    if (!tmp_path)
        return;
    int err = errno;
    unlink(tmp_path);
    _unregister(tmp_path);
    errno = err;
}

/* 1 when the process pid may still be writing its temporary file. */
static int _alive(pid_t pid, const char *path)
{
    if (pid == getpid())
        return _find(path) >= 0;
    return kill(pid, 0) == 0 || errno == EPERM;
}

int tz_tmp_sweep(const char *target)
{
    const char *base = tz_path_base(target);
    size_t dirlen = (size_t)(base - target);
    tz_buf prefix = TZ_BUF_INIT, dir = TZ_BUF_INIT, full = TZ_BUF_INIT;
    DIR *dp = NULL;
    int removed = 0;
    int err = errno;
    if (!*base || tz_buf_printf(&prefix, ".%s" TMP_MARK, base) != 0 ||
        tz_buf_printf(&dir, "%.*s", (int)(dirlen ? dirlen : 1), dirlen ? target : ".") != 0)
        goto done;
    if (!(dp = opendir(tz_buf_str(&dir))))
        goto done;
    struct dirent *de;
    while ((de = readdir(dp))) {
        if (strncmp(de->d_name, prefix.data, prefix.len) != 0)
            continue;
        const char *p = de->d_name + prefix.len;
        size_t ndigits = strspn(p, "0123456789");
        if (ndigits == 0 || ndigits > 9 || (p[ndigits] != '\0' && p[ndigits] != '.'))
            continue;
        pid_t pid = (pid_t)strtol(p, NULL, 10);
        tz_buf_reset(&full);
        if (pid <= 0 || tz_buf_printf(&full, "%.*s%s", (int)dirlen, target, de->d_name) != 0)
            continue;
        struct stat st;
        if (_alive(pid, tz_buf_str(&full)) || lstat(tz_buf_str(&full), &st) != 0 ||
            !S_ISREG(st.st_mode))
            continue;
        if (unlink(tz_buf_str(&full)) == 0)
            removed++;
    }
done:
    if (dp)
        closedir(dp);
    tz_buf_free(&prefix);
    tz_buf_free(&dir);
    tz_buf_free(&full);
    errno = err;
    return removed;
}
