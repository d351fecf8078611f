/* lazylib.h - loading a shared library at its first use (dlopen).
 *
 * Owns: opening a library by its soname once per process, thread-safely,
 * and filling a table of its functions. Does not own: which functions a
 * module needs (each module's own header lists them: store/pq.h,
 * io/libxml.h) or what the user is told when the library is missing.
 *
 * Why: every command paid for loading libpq and libxml2 with all they pull
 * in (Kerberos, LDAP, GnuTLS, OpenSSL, ICU: 27 of the 44 libraries), about
 * 7 ms of a 20 ms start, though only a PostgreSQL database or an HTML file
 * uses them. docs/decisions.md has the measurements.
 */
#ifndef TZ_LAZYLIB_H
#define TZ_LAZYLIB_H
#include <pthread.h>
#include <stddef.h>

typedef struct tz_lazylib {
    const char *soname;       /* "libpq.so.5" */
    const char *const *names; /* the functions, in the order of fn */
    size_t n;                 /* how many */
    void **fn;                /* filled by tz_lazylib_load */
    pthread_once_t once;      /* PTHREAD_ONCE_INIT */
    int rc;                   /* 0 loaded, -1 not */
    char err[256];            /* why not (dlerror's text), or "" */
} tz_lazylib;

/* Loads lib (once per process; later calls return the first answer).
 * Returns 0, or -1 with lib->err saying why (the library or one of its
 * functions missing). */
int tz_lazylib_load(tz_lazylib *lib);

#endif
