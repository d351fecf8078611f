/* account_impl.h - internal to src/web/: what account.c shares with
 * session.c and the account handlers (api_auth.c, api_users.c): password
 * hashing with argon2id, random tokens, an account's stored hash, and why
 * an account change was refused (so a handler can pick 400, 403 or 409).
 *
 * Does not own: the accounts' public interface (web.h).
 */
#ifndef TZ_ACCOUNT_IMPL_H
#define TZ_ACCOUNT_IMPL_H
#include "util/random.h" /* tz_random_bytes, tz_random_hex */
#include "web/web.h"
#include <stddef.h>

/* argon2id cost, the same in every build and test (docs/decisions.md,
 * "Passwords"): OWASP's minimum for argon2id. */
#define TZ_PW_T 2           /* passes over memory */
#define TZ_PW_M_KIB 19456   /* memory in KiB (19 MiB) */
#define TZ_PW_P 1           /* lanes */
#define TZ_PW_SALT 16       /* random salt bytes per password */
#define TZ_PW_HASHLEN 32    /* hash bytes */
#define TZ_PW_ENCODED 160   /* room for the encoded "$argon2id$v=19$m=...$salt$hash" */
#define TZ_PW_MIN_CHARS 8   /* a password has at least this many characters ... */
#define TZ_PW_MAX_CHARS 128 /* ... and at most this many */

/* Hashes pw with argon2id under a fresh random salt into out (at least
 * TZ_PW_ENCODED bytes), in argon2's encoded form. Returns 0 or -1. */
int tz_password_hash(const char *pw, char *out, size_t outsz);
/* 1 when pw matches the encoded hash, 0 when not (or the hash is not an
 * argon2id hash), -1 when argon2 could not run (out of memory). */
int tz_password_verify(const char *encoded, const char *pw);

/* The stored hash of an account and whether it is disabled. Returns 1
 * found, 0 not, -1 on a database error. */
int tz_account_secret(tz_store *s, const char *name, char *hash, size_t hashsz, int *disabled);

/* The columns an account is read from (7 of them) and the join that adds its
 * region's name and level to tz_users u: an account in one query. */
#define TZ_ACCOUNT_COLUMNS "u.name, u.role, u.scope_kind, u.scope, u.disabled, r.name, r.level"
#define TZ_ACCOUNT_REGION_JOIN "LEFT JOIN regions r ON u.scope_kind = 'region' AND r.code = u.scope"
/* Reads the TZ_ACCOUNT_COLUMNS starting at column col of st's current row. */
void tz_account_read(tz_stmt *st, int col, tz_account *out);

/* Why an account change was refused: the HTTP status a handler answers. */
typedef enum tz_refusal {
    TZ_REFUSED_NONE = 0,      /* not refused */
    TZ_REFUSED_INPUT = 400,   /* a wrong name, role, scope or password */
    TZ_REFUSED_SCOPE = 403,   /* the caller may not manage that account or scope */
    TZ_REFUSED_MISSING = 404, /* no such account */
    TZ_REFUSED_EXISTS = 409   /* the name is taken */
} tz_refusal;

/* tz_account_add, tz_account_passwd and tz_account_disable, telling why
 * when they return 1 (why may be NULL). */
int tz_account_add_why(tz_store *s, const char *name, const char *role, const char *region,
                       const char *unit, const char *password, const tz_account *by, tz_diags *d,
                       tz_refusal *why);
int tz_account_passwd_why(tz_store *s, const char *name, const char *password, const tz_account *by,
                          tz_diags *d, tz_refusal *why);
int tz_account_disable_why(tz_store *s, const char *name, const tz_account *by, tz_diags *d,
                           tz_refusal *why);
/* Enables a disabled account again (audited 启用账户; it logs in anew).
 * Returns as tz_account_disable_why. */
int tz_account_enable_why(tz_store *s, const char *name, const tz_account *by, tz_diags *d,
                          tz_refusal *why);

#endif
