/* backup.c - online backup and restore of a whole database.
 *
 * SQLite: the online backup API copies a consistent snapshot while other
 * commands go on (a read transaction pins the snapshot, so writers never
 * restart the copy), into a private temporary file that is checked and then
 * linked into place without overwriting anything. PostgreSQL: pg_dump
 * (custom format) and pg_restore, run without a shell and with the password
 * passed in the environment, never on the command line.
 */
#include "store/backend.h"
#include "store/pq.h"
#include "util/buf.h"
#include "util/tmpfile.h"
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define BACKUP_STEP_PAGES 256

/* ---- files --------------------------------------------------------------- */

/* Creates the temporary file for path through util/tmpfile (its folder,
 * mode 0600/0640, removed on SIGINT/SIGTERM/SIGHUP, swept after a killed
 * run); the caller fills it and _publish-es it, then _forget-s it. */
static char *_temp_beside(const char *path, tz_diags *d)
{
    char *name = NULL;
    const char *why = NULL;
    int fd = tz_tmp_create(path, NULL, &name, &why);
    if (fd < 0) {
        tz_diags_error(d, path, 0, NULL, NULL, "无法创建文件: %s",
                       why ? why : tz_errno_text(errno, 1));
        return NULL;
    }
    close(fd);
    return name;
}

/* Removes a temporary database and its journal files. */
void tz_store_remove_files(const char *path)
{
    static const char *const sfx[] = {"", "-journal", "-wal", "-shm"};
    for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
        tz_buf p = TZ_BUF_INIT;
        tz_buf_printf(&p, "%s%s", path, sfx[i]);
        unlink(tz_buf_str(&p));
        tz_buf_free(&p);
    }
}

/* Removes the temporary database tmp with its journal files, and forgets
 * it in the temporary-file registry; frees tmp. Safe on NULL. */
static void _forget(char *tmp)
{
    if (!tmp)
        return;
    tz_store_remove_files(tmp);
    tz_tmp_discard(tmp);
    free(tmp);
}

/* Flushes a file and the folder entry that names it. */
static int _sync_path(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    char *copy = strdup(path);
    if (copy) {
        int dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
        free(copy);
    }
    return rc;
}

/* Puts tmp in place as path, never replacing an existing file (link fails
 * with EEXIST). Returns 0, 1 when path exists by now, -1 on error. */
static int _publish(const char *tmp, const char *path, tz_diags *d)
{
    if (link(tmp, path) != 0) {
        int e = errno;
        /* file systems without hard links (vfat, some network shares) */
        if (e != EEXIST && renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0) {
            _sync_path(path);
            return 0;
        }
        if (e != EEXIST && errno == EEXIST)
            e = EEXIST;
        if (e == EEXIST) {
            tz_diags_error(d, path, 0, NULL, NULL, "文件已存在,未做任何改动");
            return 1;
        }
        tz_diags_error(d, path, 0, NULL, NULL, "无法写入文件: %s", tz_errno_text(e, 1));
        return -1;
    }
    unlink(tmp);
    _sync_path(path);
    return 0;
}

/* ---- SQLite -------------------------------------------------------------- */

/* Checks that db holds a whole Taizhang database: integrity and tz_meta
 * with a schema version. Returns 0 or -1 with a diag naming `what`. */
static int _verify_sqlite(sqlite3 *db, const char *what, tz_diags *d)
{
    sqlite3_stmt *st = NULL;
    int ok = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        ok = r && !strcmp(r, "ok");
    }
    sqlite3_finalize(st);
    if (!ok) {
        tz_diags_error(d, what, 0, NULL, NULL, "不是完好的SQLite数据库文件(%s)",
                       sqlite3_errmsg(db));
        return -1;
    }
    st = NULL;
    ok = 0;
    if (sqlite3_prepare_v2(db, "SELECT value FROM tz_meta WHERE key = 'schema_version'", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        ok = sqlite3_column_int(st, 0) >= 1;
    sqlite3_finalize(st);
    if (!ok) {
        tz_diags_error(d, what, 0, NULL, NULL, "不是台账数据库(没有台账系统的结构信息)");
        return -1;
    }
    return 0;
}

/* Copies src into the (empty) file dst_path with the online backup API,
 * inside one read transaction on src. Returns 0 or -1 with a diag. */
static int _copy_sqlite(sqlite3 *src, const char *dst_path, const char *what, tz_progress_cb cb,
                        void *ctx, tz_diags *d)
{
    sqlite3 *dst = NULL;
    sqlite3_backup *b = NULL;
    int rc = -1, in_read = 0;
    if (sqlite3_open_v2(dst_path, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        tz_diags_error(d, dst_path, 0, NULL, NULL, "无法写入文件: %s",
                       dst ? sqlite3_errmsg(dst) : "内存不足");
        goto done;
    }
    /* pin one snapshot: writers in other processes go on (WAL) and the copy
     * never restarts */
    if (sqlite3_exec(src, "BEGIN; SELECT count(*) FROM sqlite_master;", NULL, NULL, NULL) !=
        SQLITE_OK) {
        tz_diags_error(d, what, 0, NULL, NULL, "无法读取数据库: %s", sqlite3_errmsg(src));
        goto done;
    }
    in_read = 1;
    b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b) {
        tz_diags_error(d, dst_path, 0, NULL, NULL, "无法开始备份: %s", sqlite3_errmsg(dst));
        goto done;
    }
    int r;
    while ((r = sqlite3_backup_step(b, BACKUP_STEP_PAGES)) == SQLITE_OK || r == SQLITE_BUSY ||
           r == SQLITE_LOCKED) {
        if (r != SQLITE_OK)
            sqlite3_sleep(50);
        if (cb) {
            int total = sqlite3_backup_pagecount(b);
            cb(ctx, (unsigned long long)(total - sqlite3_backup_remaining(b)),
               (unsigned long long)total);
        }
    }
    if (r != SQLITE_DONE) {
        int full = (r & 0xff) == SQLITE_FULL;
        tz_diags_error(d, dst_path, 0, NULL, NULL, "复制数据库失败: %s",
                       full ? "磁盘空间已满" : sqlite3_errstr(r));
        goto done;
    }
    if (sqlite3_backup_finish(b) != SQLITE_OK) {
        b = NULL;
        tz_diags_error(d, dst_path, 0, NULL, NULL, "复制数据库失败: %s", sqlite3_errmsg(dst));
        goto done;
    }
    b = NULL;
    if (cb) {
        cb(ctx, 1, 1);
    }
    if (_verify_sqlite(dst, dst_path, d))
        goto done;
    rc = 0;
done:
    if (b)
        sqlite3_backup_finish(b);
    if (in_read)
        sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
    /* close the copy before it is synced and linked into place */
    sqlite3_close_v2(dst);
    return rc;
}

/* Copies the SQLite database src (named what in messages) into the new file
 * target: a temporary copy beside it, checked and synced, then linked into
 * place without ever overwriting a file. Returns 0, 1 when target exists, or
 * -1, with a diag. */
static int _copy_to_new(sqlite3 *src, const char *target, const char *what, tz_progress_cb cb,
                        void *ctx, tz_diags *d)
{
    int rc = -1;
    char *tmp = _temp_beside(target, d);
    if (tmp && !_copy_sqlite(src, tmp, what, cb, ctx, d) && !_sync_path(tmp))
        rc = _publish(tmp, target, d);
    _forget(tmp);
    return rc;
}

static int _backup_sqlite(const char *uri, const char *file, tz_progress_cb cb, void *ctx,
                          tz_diags *d)
{
    tz_store *s = NULL;
    int rc = -1;
    if (tz_store_open(uri, 0, &s, d) == 0)
        rc = _copy_to_new((sqlite3 *)s->impl, file, uri, cb, ctx, d);
    tz_store_close(s);
    return rc;
}

static int _restore_sqlite(const char *file, const char *path, tz_progress_cb cb, void *ctx,
                           tz_diags *d)
{
    sqlite3 *src = NULL;
    int rc = -1;
    /* a backup file is never written while restoring: read it as immutable,
     * so that nothing (not even a -shm file) is created beside it */
    char *u = tz_sqlite_immutable_uri(file);
    if (!u || sqlite3_open_v2(u, &src, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
        tz_diags_error(d, file, 0, NULL, NULL, "无法打开备份文件: %s",
                       src ? sqlite3_errmsg(src) : "内存不足");
        goto done;
    }
    if (_verify_sqlite(src, file, d)) {
        rc = 1;
        goto done;
    }
    rc = _copy_to_new(src, path, file, cb, ctx, d);
    if (rc == 0) {
        /* bring an older backup up to this build's schema; a copy that
         * cannot be brought up is removed, so that nothing half-restored
         * stays behind to be refused as "已存在" next time */
        tz_store *s = NULL;
        if (tz_store_open(path, 0, &s, d)) {
            rc = -1;
            tz_store_close(s);
            s = NULL;
            tz_store_remove_files(path);
        }
        tz_store_close(s);
    }
done:
    free(u);
    sqlite3_close_v2(src);
    return rc;
}

/* ---- PostgreSQL ---------------------------------------------------------- */

/* A child's environment: ours, plus PGPASSWORD (so the password never shows
 * in `ps`) and a default PGCONNECT_TIMEOUT. Fills *conninfo with the
 * connection without its password. Returns 0 or -1. */
typedef struct child_env {
    char **envp;    /* NULL-terminated environment for the child */
    char *conninfo; /* key='value' connection string without the password */
    char *extra[2]; /* the strings added to envp (owned) */
} child_env;

static void _child_env_free(child_env *ce)
{
    free(ce->envp);
    free(ce->conninfo);
    for (int i = 0; i < 2; i++)
        if (ce->extra[i]) {
            memset(ce->extra[i], 0, strlen(ce->extra[i]));
            free(ce->extra[i]);
        }
}

static int _child_env(const char *uri, child_env *ce, tz_diags *d)
{
    memset(ce, 0, sizeof *ce);
    if (tz_pq_load(d))
        return -1;
    char *err = NULL;
    PQconninfoOption *opts = PQconninfoParse(uri, &err);
    if (!opts) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "PostgreSQL连接串有误: %s", err ? err : "内存不足");
        PQfreemem(err);
        return -1;
    }
    tz_buf ci = TZ_BUF_INIT;
    int have_timeout = getenv("PGCONNECT_TIMEOUT") != NULL;
    for (PQconninfoOption *o = opts; o->keyword; o++) {
        if (!o->val || !*o->val)
            continue;
        if (!strcmp(o->keyword, "password")) {
            tz_buf p = TZ_BUF_INIT;
            tz_buf_printf(&p, "PGPASSWORD=%s", o->val);
            ce->extra[0] = tz_buf_take(&p);
            continue;
        }
        if (!strcmp(o->keyword, "connect_timeout"))
            have_timeout = 1;
        tz_buf_printf(&ci, "%s%s='", ci.len ? " " : "", o->keyword);
        for (const char *p = o->val; *p; p++) {
            if (*p == '\'' || *p == '\\')
                tz_buf_putc(&ci, '\\');
            tz_buf_putc(&ci, *p);
        }
        tz_buf_putc(&ci, '\'');
    }
    PQconninfoFree(opts);
    if (!have_timeout)
        ce->extra[1] = strdup("PGCONNECT_TIMEOUT=" TZ_PG_CONNECT_TIMEOUT);
    ce->conninfo = tz_buf_take(&ci);
    size_t n = 0;
    while (environ[n])
        n++;
    ce->envp = calloc(n + 3, sizeof *ce->envp);
    if (!ce->envp || !ce->conninfo) {
        _child_env_free(ce);
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "PGPASSWORD=", 11) != 0 || !ce->extra[0])
            ce->envp[k++] = environ[i];
    for (int i = 0; i < 2; i++)
        if (ce->extra[i])
            ce->envp[k++] = ce->extra[i];
    return 0;
}

/* Runs argv (PATH search, no shell) with envp; stdout goes to *out when out
 * is not NULL (caller frees), else to ours. Returns the exit status, or -1
 * when it could not run. */
static int _run(char *const argv[], char *const envp[], char **out)
{
    int pfd[2] = {-1, -1};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (out) {
        *out = NULL;
        if (pipe2(pfd, O_CLOEXEC)) {
            posix_spawn_file_actions_destroy(&fa);
            return -1;
        }
        posix_spawn_file_actions_adddup2(&fa, pfd[1], STDOUT_FILENO);
    }
    pid_t pid;
    int err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    if (out)
        close(pfd[1]);
    if (err) {
        if (out)
            close(pfd[0]);
        return -1;
    }
    if (out) {
        tz_buf b = TZ_BUF_INIT;
        char chunk[4096];
        ssize_t n;
        while ((n = read(pfd[0], chunk, sizeof chunk)) > 0 || (n < 0 && errno == EINTR))
            if (n > 0)
                tz_buf_add(&b, chunk, (size_t)n);
        close(pfd[0]);
        *out = tz_buf_take(&b);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    /* a child ended by a signal (Ctrl-C, OOM killer) is not a missing
     * program: it gets its own code, -2 */
    return WIFEXITED(status) ? WEXITSTATUS(status) : -2;
}

/* 1 when file is a pg_dump custom-format archive of a Taizhang database. */
static int _is_pg_backup(const char *file, char *const envp[])
{
    char *argv[] = {"pg_restore", "--list", "--", (char *)file, NULL};
    char *list = NULL;
    int st = _run(argv, envp, &list);
    int ok = st == 0 && list && strstr(list, " TABLE ") && strstr(list, " tz_meta ");
    free(list);
    return ok;
}

static int _backup_pg(const char *uri, const char *file, tz_diags *d)
{
    tz_store *s = NULL;
    child_env ce;
    char *tmp = NULL;
    int rc = -1, have_env = 0;
    if (tz_store_open(uri, 0, &s, d)) /* a Taizhang database, reachable */
        goto done;
    tz_store_close(s);
    s = NULL;
    if (_child_env(uri, &ce, d))
        goto done;
    have_env = 1;
    if (!(tmp = _temp_beside(file, d)))
        goto done;
    char *argv[] = {"pg_dump", "--format=custom", "--no-owner", "--file",
                    tmp,       "--dbname",        ce.conninfo,  NULL};
    int st = _run(argv, ce.envp, NULL);
    if (st != 0) {
        tz_diags_error(d, NULL, 0, NULL, NULL,
                       st == -1 ? "无法运行 pg_dump,请安装PostgreSQL客户端(postgresql-client)"
                       : st == -2 ? "pg_dump 被中断,备份未完成"
                                  : "pg_dump 备份失败(退出码%d),详情见上方输出",
                       st);
        goto done;
    }
    if (!_is_pg_backup(tmp, ce.envp)) {
        tz_diags_error(d, file, 0, NULL, NULL, "备份文件校验失败: 其中没有台账数据库的结构");
        goto done;
    }
    if (_sync_path(tmp))
        goto done;
    rc = _publish(tmp, file, d);
done:
    _forget(tmp);
    if (have_env)
        _child_env_free(&ce);
    return rc;
}

static int _restore_pg(const char *file, const char *uri, tz_diags *d)
{
    tz_store *s = NULL;
    child_env ce;
    int rc = -1, have_env = 0;
    if (tz_pg_open(uri, 0, &s, d))
        goto done;
    long long n = 0;
    if (tz_store_scalar_int(s,
                            "SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                            "current_schema()",
                            NULL, &n)) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "数据库查询失败: %s", tz_store_errmsg(s));
        goto done;
    }
    if (n > 0) {
        tz_diags_error(d, NULL, 0, NULL, NULL,
                       "目标PostgreSQL库不是空库(已有%lld张表),未做任何改动;恢复只写入新建的空库",
                       n);
        rc = 1;
        goto done;
    }
    tz_store_close(s);
    s = NULL;
    if (_child_env(uri, &ce, d))
        goto done;
    have_env = 1;
    if (!_is_pg_backup(file, ce.envp)) {
        tz_diags_error(d, file, 0, NULL, NULL,
                       "不是台账数据库的PostgreSQL备份(应为 taizhang backup 生成的 pg_dump 文件)");
        rc = 1;
        goto done;
    }
    char *argv[] = {"pg_restore",           "--no-owner", "--no-privileges", "--exit-on-error",
                    "--single-transaction", "--dbname",   ce.conninfo,       "--",
                    (char *)file,           NULL};
    int st = _run(argv, ce.envp, NULL);
    if (st != 0) {
        tz_diags_error(d, file, 0, NULL, NULL,
                       st == -1 ? "无法运行 pg_restore,请安装PostgreSQL客户端(postgresql-client)"
                       : st == -2
                           ? "pg_restore 被中断,目标库未做任何改动"
                           : "pg_restore 恢复失败(退出码%d),目标库未做任何改动;详情见上方输出",
                       st);
        goto done;
    }
    if (tz_store_open(uri, 0, &s, d)) /* checks, and upgrades an older backup */
        goto done;
    rc = 0;
done:
    tz_store_close(s);
    if (have_env)
        _child_env_free(&ce);
    return rc;
}

/* ---- entry points -------------------------------------------------------- */

int tz_store_backup(const char *uri, const char *file, tz_progress_cb cb, void *ctx, tz_diags *d)
{
    struct stat sb;
    if (stat(file, &sb) == 0) {
        tz_diags_error(d, file, 0, NULL, NULL, "备份文件已存在,未做任何改动;请换一个文件名");
        return 1;
    }
    if (errno != ENOENT) {
        tz_diags_error(d, file, 0, NULL, NULL, "无法写入备份文件: %s", tz_errno_text(errno, 1));
        return -1;
    }
    return tz_store_is_file(uri) ? _backup_sqlite(uri, file, cb, ctx, d) : _backup_pg(uri, file, d);
}

int tz_store_restore(const char *file, const char *uri, tz_progress_cb cb, void *ctx, tz_diags *d)
{
    struct stat sb;
    if (stat(file, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        tz_diags_error(d, file, 0, NULL, NULL, "备份文件不存在或无法读取");
        return -1;
    }
    if (!tz_store_is_file(uri))
        return _restore_pg(file, uri, d);
    if (stat(uri, &sb) == 0) {
        tz_diags_error(d, uri, 0, NULL, NULL,
                       "目标数据库已存在,未做任何改动;恢复只写入新的数据库文件");
        return 1;
    }
    if (errno != ENOENT) {
        tz_diags_error(d, uri, 0, NULL, NULL, "无法写入目标数据库: %s", tz_errno_text(errno, 1));
        return -1;
    }
    return _restore_sqlite(file, uri, cb, ctx, d);
}
