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

static tz_lazylib _lib = {"libpq.so.5", _names, TZ_PQ_COUNT, tz_pq_fn, PTHREAD_ONCE_INIT, 0, ""};

int tz_pq_load(tz_diags *d)
{
    if (tz_lazylib_load(&_lib) == 0)
        return 0;
    tz_diags_error(d, NULL, 0, NULL, NULL,
                   "无法加载PostgreSQL客户端库(%s),请安装 libpq5 软件包: %s", _lib.soname,
                   _lib.err);
    return -1;
}
