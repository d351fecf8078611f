/* lazylib.h - loading a shared library at its first use (dlopen).
 *
 * Owns: opening a library by its soname once per process, thread-safely,
 * filling a table of its functions, and saying what is missing when it
 * cannot. Does not own: which functions a module needs (each module's own
 * header lists them: store/pq.h, io/libxml.h, web/mhd.h, io/libzip.h,
 * io/xlsxw.h).
 *
 * Why: every command paid for loading libpq and libxml2 with all they pull
 * in (Kerberos, LDAP, GnuTLS, OpenSSL, ICU: 27 of the 44 libraries), about
 * 7 ms of a 20 ms start, though only a PostgreSQL database or an HTML file
 * uses them. docs/decisions.md has the measurements.
 */
#ifndef TZ_LAZYLIB_H
#define TZ_LAZYLIB_H
#include "util/diag.h"
#include <pthread.h>
#include <stddef.h>

typedef struct tz_lazylib {
    const char *soname;       /* "libpq.so.5" */
    const char *what;         /* what it is for, said to the user: "PostgreSQL客户端库" */
    const char *package;      /* the Debian package that installs it: "libpq5" */
    const char *const *names; /* the functions, in the order of fn */
    size_t n;                 /* how many */
    void **fn;                /* filled by tz_lazylib_load */
    pthread_once_t once;      /* PTHREAD_ONCE_INIT */
    int rc;                   /* 0 loaded, -1 not */
    char err[256];            /* why not (dlerror's text), or "" */
} tz_lazylib;

/* Loads lib (once per process; later calls return the first answer).
 * Returns 0, or -1 with a diag (naming file, which may be NULL) saying
 * what is missing and which package installs it. */
int tz_lazylib_load(tz_lazylib *lib, const char *file, tz_diags *d);

#endif
