/* ingest_pipe.c - an import's rows read and checked on a second thread
 * (tzs_pipe, see store_impl.h): the reading thread fills batches of rows
 * (read, left out or not, values parsed and checked, messages kept in
 * order), the importing thread takes them in file order and does what
 * needs the database. At most PIPE_BATCHES batches are in flight, so memory
 * stays flat whatever the file's size.
 */
#include "store/store_impl.h"
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#define PIPE_BATCHES 4 /* batches in flight: one being filled, the rest waiting */

struct tzs_pipe {
    pthread_t th;                   /* the reading thread */
    pthread_mutex_t mu;             /* guards everything below */
    pthread_cond_t cv;              /* signalled on every change below */
    tzs_batch *all;                 /* PIPE_BATCHES batches */
    tzs_batch *fresh[PIPE_BATCHES]; /* batches free to fill (a stack) */
    size_t nfresh;
    tzs_batch *full[PIPE_BATCHES]; /* filled batches, in file order (a ring) */
    size_t head, nfull;
    int done;     /* the reading thread has ended */
    int stop;     /* the importing thread wants no more */
    int last;     /* fill's last result */
    size_t ncols; /* values per row */
    tzs_fill_fn fill;
    void *ctx;
};

static void *_run(void *arg)
{
    tzs_pipe *p = arg;
    int r = 1;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (!p->nfresh && !p->stop)
            pthread_cond_wait(&p->cv, &p->mu);
        tzs_batch *b = p->stop ? NULL : p->fresh[--p->nfresh];
        pthread_mutex_unlock(&p->mu);
        if (!b)
            break;
        /* the values of the batch's last rows are freed here, on the thread
         * that allocated them (freed on the other one, every free crossed
         * malloc's arenas: a fifth of both threads' time); their texts
         * are in the batch's arena (a free per cell was an eighth of a
         * dry run), but the importing thread may have given a value a
         * text of its own */
        tz_values_clear(b->vals, b->n * p->ncols);
        tz_arena_reset(&b->texts);
        b->n = 0;
        b->expect_more = 0;
        r = p->fill(p->ctx, b);
        pthread_mutex_lock(&p->mu);
        p->full[(p->head + p->nfull++) % PIPE_BATCHES] = b;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        if (r <= 0)
            break;
    }
    pthread_mutex_lock(&p->mu);
    p->last = r;
    p->done = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* Frees the batches (their rows' values and messages). */
static void _free_all(tzs_pipe *p)
{
    for (size_t i = 0; p->all && i < PIPE_BATCHES; i++) {
        tzs_batch *b = &p->all[i];
        if (b->vals)
            tz_values_clear(b->vals, TZS_BATCH_ROWS * p->ncols);
        free(b->vals);
        tz_arena_free(&b->texts);
        tz_diags_clear(&b->d);
    }
    free(p->all);
}

tzs_pipe *tzs_pipe_start(size_t ncols, tzs_fill_fn fill, void *ctx)
{
    tzs_pipe *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->ncols = ncols;
    p->fill = fill;
    p->ctx = ctx;
    p->all = calloc(PIPE_BATCHES, sizeof *p->all);
    for (size_t i = 0; p->all && i < PIPE_BATCHES; i++) {
        tzs_batch *b = &p->all[i];
        b->vals = calloc(TZS_BATCH_ROWS * (ncols ? ncols : 1), sizeof *b->vals);
        if (!b->vals)
            goto fail;
        for (size_t k = 0; k < TZS_BATCH_ROWS * ncols; k++)
            b->vals[k].null = 1;
        /* a batch keeps every message of its rows: the importer's own
         * list caps them as they move there */
        b->d.limit = SIZE_MAX / 8;
        p->fresh[p->nfresh++] = b;
    }
    if (!p->all || pthread_mutex_init(&p->mu, NULL))
        goto fail;
    if (pthread_cond_init(&p->cv, NULL)) {
        pthread_mutex_destroy(&p->mu);
        goto fail;
    }
    if (pthread_create(&p->th, NULL, _run, p)) {
        pthread_cond_destroy(&p->cv);
        pthread_mutex_destroy(&p->mu);
        goto fail;
    }
    return p;
fail:
    _free_all(p);
    free(p);
    return NULL;
}

tzs_batch *tzs_pipe_take(tzs_pipe *p)
{
    pthread_mutex_lock(&p->mu);
    while (!p->nfull && !p->done)
        pthread_cond_wait(&p->cv, &p->mu);
    tzs_batch *b = NULL;
    if (p->nfull) {
        b = p->full[p->head];
        p->head = (p->head + 1) % PIPE_BATCHES;
        p->nfull--;
    }
    pthread_mutex_unlock(&p->mu);
    return b;
}

void tzs_pipe_give(tzs_pipe *p, tzs_batch *b)
{
    tz_diags_clear(&b->d);
    pthread_mutex_lock(&p->mu);
    p->fresh[p->nfresh++] = b;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

int tzs_pipe_finish(tzs_pipe *p)
{
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->th, NULL);
    int last = p->last;
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    _free_all(p);
    free(p);
    return last;
}
