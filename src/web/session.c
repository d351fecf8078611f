/* session.c - logins and sessions, all kept in the database so that several
 * `serve` processes share them: the argon2id check, the login limits per
 * account and per address (counted before any password is checked), and
 * sessions whose cookie token is stored only as its SHA-256, with their
 * CSRF token and expiry. */
#include "util/sha256.h"
#include "web/account_impl.h"
#include "web/web.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* ---- the dummy hash ---------------------------------------------------------
 * An unknown account is checked against a hash of the same cost, so that the
 * time a login takes does not tell whether the name exists. */

static char _dummy[TZ_PW_ENCODED];
static int _dummy_ok;
static pthread_once_t _dummy_once = PTHREAD_ONCE_INIT;

static void _make_dummy(void)
{
    char pw[33];
    _dummy_ok = tz_random_hex(pw, 16) == 0 && tz_password_hash(pw, _dummy, sizeof _dummy) == 0;
}

/* ---- helpers ------------------------------------------------------------------ */

/* The SHA-256 hex of a token: its id in tz_sessions. */
static void _token_id(const char *token, char id[65])
{
    unsigned char h[32];
    tz_sha256_hash(token, strlen(token), h);
    tz_hex(h, sizeof h, id);
}

/* 1 when token may be looked up: not empty and of a sane length. Any
 * other text is only hashed and not found, so the lookup needs no stricter
 * shape (tz_login hands out 64 lower-case hex digits). */
static int _token_shape(const char *token)
{
    size_t n = token ? strlen(token) : 0;
    return n > 0 && n <= 256;
}

/* Runs one statement binding text params, then integers. Returns 0 or -1. */
static int _run(tz_store *s, const char *sql, const char *const *text, size_t ntext,
                const long long *ints, size_t nints)
{
    tz_stmt *st = NULL;
    int rc = -1;
    if (tz_store_prepare(s, sql, &st))
        goto done;
    for (size_t i = 0; i < ntext; i++)
        if (tz_stmt_bind_text(st, (int)i + 1, text[i]))
            goto done;
    for (size_t i = 0; i < nints; i++)
        if (tz_stmt_bind_int(st, (int)(ntext + i) + 1, ints[i]))
            goto done;
    rc = tz_stmt_step(st) < 0 ? -1 : 0;
done:
    tz_stmt_free(st);
    return rc;
}

/* Failed logins recorded for column col ("username" or "addr") = v since
 * `since`. Returns the count, or -1. */
static long long _failures(tz_store *s, const char *col, const char *v, long long since)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM tz_login_failures WHERE %s = ? AND ts >= ?",
             col);
    tz_stmt *st = NULL;
    long long n = -1;
    if (!tz_store_prepare(s, sql, &st) && !tz_stmt_bind_text(st, 1, v) &&
        !tz_stmt_bind_int(st, 2, since) && tz_stmt_step(st) == 1)
        n = tz_stmt_int(st, 0);
    tz_stmt_free(st);
    return n;
}

/* Rolls back what is open and adds the database error. Returns
 * TZ_LOGIN_ERROR. */
static tz_login_result _db_error(tz_store *s, tz_diags *d)
{
    tz_diags_error(d, NULL, 0, NULL, NULL, "登录时数据库出错: %s", tz_store_errmsg(s));
    if (tz_store_in_tx(s))
        tz_store_rollback(s);
    return TZ_LOGIN_ERROR;
}

/* In one transaction: prunes expired sessions and old failures, refuses
 * when the account or the address reached its limit, and otherwise records
 * this attempt as a failure (a success clears it), so that concurrent tries
 * count too and a crash mid-check still counts. */
static tz_login_result _count_attempt(tz_store *s, const char *name, const char *addr,
                                      long long now, tz_diags *d)
{
    long long since = now - TZ_LOGIN_WINDOW;
    if (tz_store_begin(s) ||
        _run(s, "DELETE FROM tz_login_failures WHERE ts < ?", NULL, 0, &since, 1) ||
        _run(s, "DELETE FROM tz_sessions WHERE expires <= ?", NULL, 0, &now, 1))
        return _db_error(s, d);
    long long by_user = _failures(s, "username", name, since);
    long long by_addr = _failures(s, "addr", addr, since);
    if (by_user < 0 || by_addr < 0)
        return _db_error(s, d);
    if (by_user >= TZ_LOGIN_MAX_FAILS_USER || by_addr >= TZ_LOGIN_MAX_FAILS_ADDR) {
        if (tz_store_commit(s))
            return _db_error(s, d);
        return TZ_LOGIN_LIMITED;
    }
    const char *const who[] = {name, addr};
    if (_run(s, "INSERT INTO tz_login_failures (username, addr, ts) VALUES (?, ?, ?)", who, 2, &now,
             1) ||
        tz_store_commit(s))
        return _db_error(s, d);
    return TZ_LOGIN_OK;
}

/* Checks the password against the account's hash, or the dummy one for an
 * unknown name. Returns TZ_LOGIN_OK, TZ_LOGIN_BAD, or TZ_LOGIN_ERROR. */
static tz_login_result _check(tz_store *s, const char *name, const char *password, tz_diags *d)
{
    char hash[TZ_PW_ENCODED + 64];
    int disabled = 0;
    int found = tz_account_secret(s, name, hash, sizeof hash, &disabled);
    if (found < 0)
        return _db_error(s, d);
    pthread_once(&_dummy_once, _make_dummy);
    if (!found && !_dummy_ok) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "无法计算密码散列(内存不足或系统随机数不可用)");
        return TZ_LOGIN_ERROR;
    }
    int ok = tz_password_verify(found ? hash : _dummy, password);
    if (ok < 0) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "无法校验密码(内存不足)");
        return TZ_LOGIN_ERROR;
    }
    return ok && found && !disabled ? TZ_LOGIN_OK : TZ_LOGIN_BAD;
}

/* Stores a new session for the account and audits the login, clearing its
 * failures. Returns TZ_LOGIN_OK or TZ_LOGIN_ERROR. */
static tz_login_result _start(tz_store *s, const char *name, const char *addr, long long now,
                              tz_session *out, tz_diags *d)
{
    char id[65];
    memset(out, 0, sizeof *out);
    if (tz_random_hex(out->token, 32) || tz_random_hex(out->csrf, 32)) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "系统随机数不可用,无法建立会话");
        return TZ_LOGIN_ERROR;
    }
    _token_id(out->token, id);
    out->expires = now + TZ_SESSION_TTL;
    const char *const who[] = {name};
    const char *const row[] = {id, name, out->csrf, addr};
    const long long times[] = {now, out->expires};
    if (tz_store_begin(s) ||
        _run(s, "DELETE FROM tz_login_failures WHERE username = ?", who, 1, NULL, 0) ||
        _run(s,
             "INSERT INTO tz_sessions (id, username, csrf, addr, created, expires) "
             "VALUES (?, ?, ?, ?, ?, ?)",
             row, 4, times, 2) ||
        tz_store_audit(s, name, "登录", NULL, name, "") || tz_store_commit(s))
        return _db_error(s, d);
    int r = tz_account_get(s, name, &out->acct);
    if (r <= 0) {
        /* the account went away between the check and now */
        tz_session_end(s, out->token);
        memset(out, 0, sizeof *out);
        return r < 0 ? _db_error(s, d) : TZ_LOGIN_BAD;
    }
    return TZ_LOGIN_OK;
}

tz_login_result tz_login(tz_store *s, const char *name, const char *password, const char *addr,
                         tz_session *out, tz_diags *d)
{
    long long now = (long long)time(NULL);
    memset(out, 0, sizeof *out);
    if (!name || !password)
        return TZ_LOGIN_BAD;
    if (!addr)
        addr = "";
    tz_login_result r = _count_attempt(s, name, addr, now, d);
    if (r != TZ_LOGIN_OK)
        return r;
    r = _check(s, name, password, d);
    if (r != TZ_LOGIN_OK)
        return r;
    return _start(s, name, addr, now, out, d);
}

int tz_session_get(tz_store *s, const char *token, tz_session *out)
{
    char id[65];
    memset(out, 0, sizeof *out);
    if (!_token_shape(token))
        return 0;
    _token_id(token, id);
    tz_stmt *st = NULL;
    int r = -1;
    /* one indexed query per request: the session, its account and the
     * account's region */
    if (!tz_store_prepare(
            s,
            "SELECT s.csrf, s.expires, " TZ_ACCOUNT_COLUMNS
            " FROM tz_sessions s JOIN tz_users u ON u.name = s.username " TZ_ACCOUNT_REGION_JOIN
            " WHERE s.id = ?",
            &st) &&
        !tz_stmt_bind_text(st, 1, id))
        r = tz_stmt_step(st);
    if (r == 1) {
        const char *c = tz_stmt_text(st, 0);
        snprintf(out->csrf, sizeof out->csrf, "%s", c ? c : "");
        out->expires = tz_stmt_int(st, 1);
        tz_account_read(st, 2, &out->acct);
    }
    tz_stmt_free(st);
    if (r <= 0)
        return r;
    if (out->expires <= (long long)time(NULL)) {
        const char *const ids[] = {id};
        memset(out, 0, sizeof *out);
        return _run(s, "DELETE FROM tz_sessions WHERE id = ?", ids, 1, NULL, 0) ? -1 : 0;
    }
    if (out->acct.disabled) {
        memset(out, 0, sizeof *out);
        return 0;
    }
    return 1;
}

int tz_session_end(tz_store *s, const char *token)
{
    char id[65], name[64] = "";
    if (!_token_shape(token))
        return 0;
    _token_id(token, id);
    const char *const ids[] = {id};
    tz_stmt *st = NULL;
    int r = -1;
    if (tz_store_begin(s))
        return -1;
    if (!tz_store_prepare(s, "SELECT username FROM tz_sessions WHERE id = ?", &st) &&
        !tz_stmt_bind_text(st, 1, id))
        r = tz_stmt_step(st);
    if (r == 1)
        snprintf(name, sizeof name, "%s", tz_stmt_text(st, 0) ? tz_stmt_text(st, 0) : "");
    tz_stmt_free(st);
    if (r < 0 ||
        (r == 1 && (_run(s, "DELETE FROM tz_sessions WHERE id = ?", ids, 1, NULL, 0) ||
                    tz_store_audit(s, name, "退出", NULL, name, ""))) ||
        tz_store_commit(s)) {
        if (tz_store_in_tx(s))
            tz_store_rollback(s);
        return -1;
    }
    return 0;
}
