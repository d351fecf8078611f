/* pq.h - libpq, loaded at the first PostgreSQL connection (util/lazylib.h).
 *
 * Owns: the list of libpq functions Taizhang calls. Include it instead of
 * <libpq-fe.h>: each function name below stands for the pointer loaded by
 * tz_pq_load, so the callers read as plain libpq. Call tz_pq_load (and
 * check it) before any of them.
 */
#ifndef TZ_STORE_PQ_H
#define TZ_STORE_PQ_H
#include "util/diag.h"
#include <libpq-fe.h>

enum {
    TZ_PQ_PQclear,
    TZ_PQ_PQconnectdbParams,
    TZ_PQ_PQconninfoFree,
    TZ_PQ_PQconninfoParse,
    TZ_PQ_PQerrorMessage,
    TZ_PQ_PQexec,
    TZ_PQ_PQexecPrepared,
    TZ_PQ_PQfinish,
    TZ_PQ_PQfreemem,
    TZ_PQ_PQftype,
    TZ_PQ_PQgetResult,
    TZ_PQ_PQgetisnull,
    TZ_PQ_PQgetvalue,
    TZ_PQ_PQnfields,
    TZ_PQ_PQntuples,
    TZ_PQ_PQprepare,
    TZ_PQ_PQputCopyData,
    TZ_PQ_PQputCopyEnd,
    TZ_PQ_PQresultErrorField,
    TZ_PQ_PQresultErrorMessage,
    TZ_PQ_PQresultStatus,
    TZ_PQ_PQsetNoticeProcessor,
    TZ_PQ_PQstatus,
    TZ_PQ_PQtransactionStatus,
    TZ_PQ_COUNT
};
extern void *tz_pq_fn[TZ_PQ_COUNT];

/* Loads libpq (once). Returns 0, or -1 with a diag saying it is missing. */
int tz_pq_load(tz_diags *d);

/* cppcheck (which reads no system header) sees plain libpq calls */
#ifndef __CPPCHECK__
#define PQclear ((__typeof__(&PQclear))tz_pq_fn[TZ_PQ_PQclear])
#define PQconnectdbParams ((__typeof__(&PQconnectdbParams))tz_pq_fn[TZ_PQ_PQconnectdbParams])
#define PQconninfoFree ((__typeof__(&PQconninfoFree))tz_pq_fn[TZ_PQ_PQconninfoFree])
#define PQconninfoParse ((__typeof__(&PQconninfoParse))tz_pq_fn[TZ_PQ_PQconninfoParse])
#define PQerrorMessage ((__typeof__(&PQerrorMessage))tz_pq_fn[TZ_PQ_PQerrorMessage])
#define PQexec ((__typeof__(&PQexec))tz_pq_fn[TZ_PQ_PQexec])
#define PQexecPrepared ((__typeof__(&PQexecPrepared))tz_pq_fn[TZ_PQ_PQexecPrepared])
#define PQfinish ((__typeof__(&PQfinish))tz_pq_fn[TZ_PQ_PQfinish])
#define PQfreemem ((__typeof__(&PQfreemem))tz_pq_fn[TZ_PQ_PQfreemem])
#define PQftype ((__typeof__(&PQftype))tz_pq_fn[TZ_PQ_PQftype])
#define PQgetResult ((__typeof__(&PQgetResult))tz_pq_fn[TZ_PQ_PQgetResult])
#define PQgetisnull ((__typeof__(&PQgetisnull))tz_pq_fn[TZ_PQ_PQgetisnull])
#define PQgetvalue ((__typeof__(&PQgetvalue))tz_pq_fn[TZ_PQ_PQgetvalue])
#define PQnfields ((__typeof__(&PQnfields))tz_pq_fn[TZ_PQ_PQnfields])
#define PQntuples ((__typeof__(&PQntuples))tz_pq_fn[TZ_PQ_PQntuples])
#define PQprepare ((__typeof__(&PQprepare))tz_pq_fn[TZ_PQ_PQprepare])
#define PQputCopyData ((__typeof__(&PQputCopyData))tz_pq_fn[TZ_PQ_PQputCopyData])
#define PQputCopyEnd ((__typeof__(&PQputCopyEnd))tz_pq_fn[TZ_PQ_PQputCopyEnd])
#define PQresultErrorField ((__typeof__(&PQresultErrorField))tz_pq_fn[TZ_PQ_PQresultErrorField])
#define PQresultErrorMessage                                                                       \
    ((__typeof__(&PQresultErrorMessage))tz_pq_fn[TZ_PQ_PQresultErrorMessage])
#define PQresultStatus ((__typeof__(&PQresultStatus))tz_pq_fn[TZ_PQ_PQresultStatus])
#define PQsetNoticeProcessor                                                                       \
    ((__typeof__(&PQsetNoticeProcessor))tz_pq_fn[TZ_PQ_PQsetNoticeProcessor])
#define PQstatus ((__typeof__(&PQstatus))tz_pq_fn[TZ_PQ_PQstatus])
#define PQtransactionStatus ((__typeof__(&PQtransactionStatus))tz_pq_fn[TZ_PQ_PQtransactionStatus])
#endif

#endif
