/* zip_pump.c - a zip part inflated on a thread of its own (see
 * reader_impl.h): the thread inflates the next chunks while the reader
 * scans and checks the ones before. Inflating was a fifth of the thread
 * that reads and validates a large worksheet.
 */
#include "io/libzip.h"
#include "io/reader_impl.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define PUMP_SLOTS 4 /* chunks inflated ahead of the reader, at most */

struct tz__pump {
    pthread_t th;
    pthread_mutex_t mu;          /* guards everything below but zf and buf's contents */
    pthread_cond_t cv;           /* signalled on every change */
    zip_file_t *zf;              /* the part: the thread's alone while it runs */
    size_t chunk;                /* bytes a slot holds */
    char *buf;                   /* PUMP_SLOTS slots of chunk bytes */
    zip_int64_t got[PUMP_SLOTS]; /* per slot: bytes, 0 the end, -1 an error */
    size_t head, n;              /* the filled slots: a ring from head */
    int stop;                    /* the reader wants no more */
};

static void *_run(void *arg)
{
    tz__pump *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (p->n == PUMP_SLOTS && !p->stop)
            pthread_cond_wait(&p->cv, &p->mu);
        size_t slot = (p->head + p->n) % PUMP_SLOTS;
        int stop = p->stop;
        pthread_mutex_unlock(&p->mu);
        if (stop)
            break;
        /* the slot is free: the reader takes only filled ones */
        zip_int64_t got = zip_fread(p->zf, p->buf + slot * p->chunk, p->chunk);
        pthread_mutex_lock(&p->mu);
        p->got[slot] = got < 0 ? -1 : got;
        p->n++;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        if (got <= 0)
            break; /* the end or an error: nothing more to read */
    }
    return NULL;
}

tz__pump *tz__pump_start(struct zip_file *zf, size_t chunk)
{
    tz__pump *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->zf = zf;
    p->chunk = chunk;
    if (!(p->buf = malloc(PUMP_SLOTS * chunk)) || pthread_mutex_init(&p->mu, NULL)) {
        free(p->buf);
        free(p);
        return NULL;
    }
    if (pthread_cond_init(&p->cv, NULL)) {
        pthread_mutex_destroy(&p->mu);
        free(p->buf);
        free(p);
        return NULL;
    }
    if (pthread_create(&p->th, NULL, _run, p)) {
        pthread_cond_destroy(&p->cv);
        pthread_mutex_destroy(&p->mu);
        free(p->buf);
        free(p);
        return NULL;
    }
    return p;
}

long long tz__pump_read(tz__pump *p, void *dst)
{
    pthread_mutex_lock(&p->mu);
    while (!p->n)
        pthread_cond_wait(&p->cv, &p->mu);
    size_t slot = p->head;
    zip_int64_t got = p->got[slot];
    pthread_mutex_unlock(&p->mu);
    if (got > 0)
        memcpy(dst, p->buf + slot * p->chunk, (size_t)got);
    if (got <= 0)
        return got; /* the end or the error stays: every later read says it again */
    pthread_mutex_lock(&p->mu);
    p->head = (p->head + 1) % PUMP_SLOTS;
    p->n--;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return got;
}

void tz__pump_stop(tz__pump *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->th, NULL);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p->buf);
    free(p);
}
