/* pq.c - libpq, loaded at the first PostgreSQL connection (see pq.h). */
#include "store/pq.h"
#include "util/lazylib.h"

void *tz_pq_fn[TZ_PQ_COUNT];

static const char *const _names[TZ_PQ_COUNT] = {
    "PQclear",
    "PQconnectdbParams",
    "PQconninfoFree",
    "PQconninfoParse",
    "PQerrorMessage",
    "PQexec",
    "PQexecPrepared",
    "PQfinish",
    "PQfreemem",
    "PQftype",
    "PQgetResult",
    "PQgetisnull",
    "PQgetvalue",
    "PQnfields",
    "PQntuples",
    "PQprepare",
    "PQputCopyData",
    "PQputCopyEnd",
    "PQresultErrorField",
    "PQresultErrorMessage",
    "PQresultStatus",
    "PQsetNoticeProcessor",
    "PQstatus",
    "PQtransactionStatus",
};

static tz_lazylib _lib = {.soname = "libpq.so.5",
                          .what = "PostgreSQL客户端库",
                          .package = "libpq5",
                          .names = _names,
                          .n = TZ_PQ_COUNT,
                          .fn = tz_pq_fn,
                          .once = PTHREAD_ONCE_INIT};

int tz_pq_load(tz_diags *d)
{
    return tz_lazylib_load(&_lib, NULL, d);
}
