/* test_tmpfile.c - unit tests of util/tmpfile.h: temporary names beside the
 * target, the mode of written files whatever the umask, TZ_FILE_GROUP,
 * removal on SIGINT/SIGTERM (in forked children that signal themselves, so
 * nothing depends on timing) and removal of a killed run's leftovers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/buf.h"
#include "util/tmpfile.h"
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *_mkdir_tmp(void)
{
    char tmpl[] = "/tmp/tzt-test-XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    return strdup(dir);
}

static char *_join(const char *dir, const char *name)
{
    tz_buf p = TZ_BUF_INIT;
    assert_int_equal(tz_buf_printf(&p, "%s/%s", dir, name), 0);
    return tz_buf_take(&p);
}

static int _count_entries(const char *dir)
{
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(dp)))
        n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
    closedir(dp);
    return n;
}

static void _rmdir_all(char *dir)
{
    DIR *dp = opendir(dir);
    if (dp) {
        struct dirent *de;
        while ((de = readdir(dp))) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            char *p = _join(dir, de->d_name);
            if (unlink(p) != 0)
                rmdir(p);
            free(p);
        }
        closedir(dp);
    }
    rmdir(dir);
    free(dir);
}

static int _exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static void _touch(const char *path)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs("x", fp);
    fclose(fp);
}

/* A PID that named a process a moment ago and names none now. */
static pid_t _dead_pid(void)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(0);
    assert_int_equal(waitpid(pid, NULL, 0), pid);
    return pid;
}

static void test_name_mode_publish(void **state)
{
    static const mode_t umasks[] = {0, 022, 077, 0277};
    char *dir = _mkdir_tmp();
    char *target = _join(dir, "户.csv");
    for (size_t k = 0; k < sizeof umasks / sizeof umasks[0]; k++) {
        mode_t old = umask(umasks[k]);
        char *tmp = NULL;
        const char *why = NULL;
        int fd = tz_tmp_create(target, NULL, &tmp, &why);
        umask(old);
        assert_true(fd >= 0);
        char want[64];
        snprintf(want, sizeof want, "/.户.csv.taizhang-tmp.%ld", (long)getpid());
        assert_string_equal(tmp + strlen(dir), want);
        struct stat st;
        assert_int_equal(fstat(fd, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0600);
        assert_int_equal(write(fd, "ok", 2), 2);
        assert_int_equal(close(fd), 0);
        assert_int_equal(tz_tmp_publish(tmp, target, &why), 0);
        assert_false(_exists(tmp));
        assert_int_equal(stat(target, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0600);
        assert_int_equal(_count_entries(dir), 1);
        free(tmp);
    }
    /* A scratch file of the same write carries a tag. */
    char *tmp = NULL;
    const char *why = NULL;
    int fd = tz_tmp_create(target, "chart1", &tmp, &why);
    assert_true(fd >= 0);
    close(fd);
    assert_non_null(strstr(tmp, ".taizhang-tmp."));
    assert_string_equal(tmp + strlen(tmp) - 7, ".chart1");
    tz_tmp_discard(tmp);
    assert_false(_exists(tmp));
    free(tmp);
    tz_tmp_discard(NULL);
    /* Failures say why, in Chinese. */
    char *nodir = _join(dir, "no/such/x.csv");
    assert_int_equal(tz_tmp_create(nodir, NULL, &tmp, &why), -1);
    assert_null(tmp);
    assert_string_equal(why, "所在目录不存在");
    free(nodir);
    free(target);
    _rmdir_all(dir);
}

static void test_file_group(void **state)
{
    char *dir = _mkdir_tmp();
    char *target = _join(dir, "r.docx");
    char *tmp = NULL;
    const char *why = NULL;
    assert_int_equal(tz_tmp_mode(), 0600);
    setenv(TZ_FILE_GROUP_ENV, "no-such-group-tz", 1);
    assert_int_equal(tz_tmp_mode(), 0640);
    assert_int_equal(tz_tmp_create(target, NULL, &tmp, &why), -1);
    assert_null(tmp);
    assert_non_null(strstr(why, "TZ_FILE_GROUP"));
    assert_int_equal(_count_entries(dir), 0);
    /* The process's own group can always be given. */
    struct group *g = getgrgid(getgid());
    assert_non_null(g);
    setenv(TZ_FILE_GROUP_ENV, g->gr_name, 1);
    mode_t old = umask(077);
    int fd = tz_tmp_create(target, NULL, &tmp, &why);
    umask(old);
    unsetenv(TZ_FILE_GROUP_ENV);
    assert_true(fd >= 0);
    struct stat st;
    assert_int_equal(fstat(fd, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640);
    assert_int_equal(st.st_gid, getgid());
    close(fd);
    assert_int_equal(tz_tmp_publish(tmp, target, &why), 0);
    free(tmp);
    free(target);
    _rmdir_all(dir);
}

/* In a child: creates the temporary file of target, writes to it, then
 * sends itself sig. Returns the child's wait status. */
static int _child_signals_itself(const char *target, int sig, int ignore_first)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char *tmp = NULL;
        const char *why = NULL;
        if (ignore_first)
            signal(sig, SIG_IGN);
        int fd = tz_tmp_create(target, NULL, &tmp, &why);
        if (fd < 0 || write(fd, "half", 4) != 4)
            _exit(10);
        raise(sig);
        /* still here: the signal was ignored; finish the write */
        close(fd);
        _exit(tz_tmp_publish(tmp, target, &why) == 0 ? 0 : 11);
    }
    int ws = 0;
    assert_int_equal(waitpid(pid, &ws, 0), pid);
    return ws;
}

static void test_signal_removes_temporary_file(void **state)
{
    static const int sigs[] = {SIGTERM, SIGINT, SIGHUP};
    char *dir = _mkdir_tmp();
    char *target = _join(dir, "big.xlsx");
    _touch(target); /* the previous, complete export */
    for (size_t k = 0; k < 3; k++) {
        int ws = _child_signals_itself(target, sigs[k], 0);
        /* the child ended by that very signal (default disposition kept) */
        assert_true(WIFSIGNALED(ws));
        assert_int_equal(WTERMSIG(ws), sigs[k]);
        /* its temporary file is gone; the previous file is untouched */
        assert_int_equal(_count_entries(dir), 1);
        FILE *fp = fopen(target, "rb");
        char buf[8] = {0};
        assert_int_equal(fread(buf, 1, sizeof buf, fp), 1);
        fclose(fp);
        assert_string_equal(buf, "x");
    }
    /* A signal the process ignores (nohup) stays ignored. */
    int ws = _child_signals_itself(target, SIGHUP, 1);
    assert_true(WIFEXITED(ws));
    assert_int_equal(WEXITSTATUS(ws), 0);
    assert_int_equal(_count_entries(dir), 1);
    free(target);
    _rmdir_all(dir);
}

/* A forked child that is killed does not remove its parent's files. */
static void test_child_leaves_parent_files(void **state)
{
    char *dir = _mkdir_tmp();
    char *target = _join(dir, "r.md");
    char *tmp = NULL;
    const char *why = NULL;
    int fd = tz_tmp_create(target, NULL, &tmp, &why);
    assert_true(fd >= 0);
    close(fd);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        raise(SIGTERM);
        _exit(1);
    }
    int ws = 0;
    assert_int_equal(waitpid(pid, &ws, 0), pid);
    assert_true(WIFSIGNALED(ws));
    assert_true(_exists(tmp));
    tz_tmp_discard(tmp);
    free(tmp);
    free(target);
    _rmdir_all(dir);
}

static void test_sweep_removes_only_stale_files(void **state)
{
    char *dir = _mkdir_tmp();
    char *target = _join(dir, "r.csv");
    char name[128];
    pid_t dead = _dead_pid();
    /* stale: a dead PID, with and without a tag, and this PID unregistered */
    snprintf(name, sizeof name, ".r.csv.taizhang-tmp.%ld", (long)dead);
    char *stale1 = _join(dir, name);
    snprintf(name, sizeof name, ".r.csv.taizhang-tmp.%ld.chart2", (long)dead);
    char *stale2 = _join(dir, name);
    snprintf(name, sizeof name, ".r.csv.taizhang-tmp.%ld", (long)getpid());
    char *stale3 = _join(dir, name);
    /* kept: a live process (init), another target, not a PID, a folder */
    char *live = _join(dir, ".r.csv.taizhang-tmp.1");
    snprintf(name, sizeof name, ".q.csv.taizhang-tmp.%ld", (long)dead);
    char *other = _join(dir, name);
    char *notpid = _join(dir, ".r.csv.taizhang-tmp.abc");
    snprintf(name, sizeof name, ".r.csv.taizhang-tmp.%ldx", (long)dead);
    char *suffix = _join(dir, name);
    snprintf(name, sizeof name, ".r.csv.taizhang-tmp.%ld.d", (long)dead);
    char *folder = _join(dir, name);
    const char *files[] = {stale1, stale2, stale3, live, other, notpid, suffix};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        _touch(files[i]);
    assert_int_equal(mkdir(folder, 0700), 0);
    assert_int_equal(tz_tmp_sweep(target), 3);
    assert_false(_exists(stale1));
    assert_false(_exists(stale2));
    assert_false(_exists(stale3));
    assert_true(_exists(live));
    assert_true(_exists(other));
    assert_true(_exists(notpid));
    assert_true(_exists(suffix));
    assert_true(_exists(folder));
    /* The next write to the target sweeps by itself, and this process's own
     * live file is not stale. */
    _touch(stale1);
    char *tmp = NULL;
    const char *why = NULL;
    int fd = tz_tmp_create(target, NULL, &tmp, &why);
    assert_true(fd >= 0);
    assert_false(_exists(stale1));
    assert_int_equal(tz_tmp_sweep(target), 0);
    assert_true(_exists(tmp));
    close(fd);
    tz_tmp_discard(tmp);
    free(tmp);
    /* A target in the current directory. */
    char *cwd = getcwd(NULL, 0);
    assert_int_equal(chdir(dir), 0);
    snprintf(name, sizeof name, ".q.csv.taizhang-tmp.%ld", (long)dead);
    assert_true(_exists(name));
    assert_int_equal(tz_tmp_sweep("q.csv"), 1);
    assert_false(_exists(name));
    assert_int_equal(chdir(cwd), 0);
    free(cwd);
    rmdir(folder);
    char *all[] = {stale1, stale2, stale3, live, other, notpid, suffix, folder, target};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        free(all[i]);
    _rmdir_all(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_name_mode_publish),
        cmocka_unit_test(test_file_group),
        cmocka_unit_test(test_signal_removes_temporary_file),
        cmocka_unit_test(test_child_leaves_parent_files),
        cmocka_unit_test(test_sweep_removes_only_stale_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
