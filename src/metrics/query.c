/* query.c - the SQL builder of the metrics: '?' parameters collected next to
 * the text, period conditions per column type, region ranges, name lists,
 * and the small array helpers the metrics files share (tzm_push,
 * tzm_view). */
#include "metrics/metrics_impl.h"
#include "util/num.h"
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void tzm_q_init(tzm_query *q)
{
    memset(q, 0, sizeof *q);
}

void tzm_q_free(tzm_query *q)
{
    if (!q)
        return;
    tz_buf_free(&q->sql);
    tz_buf_free(&q->texts);
}

/* Appends "?" and returns its parameter slot (zeroed), or NULL when there
 * are too many (the query is then marked overflowed). */
static tzm_qparam *_param(tzm_query *q)
{
    tz_buf_putc(&q->sql, '?');
    if (q->np >= TZM_Q_MAXP) {
        q->overflow = 1;
        return NULL;
    }
    tzm_qparam *p = &q->p[q->np++];
    memset(p, 0, sizeof *p);
    return p;
}

void tzm_q_text(tzm_query *q, const char *s)
{
    tzm_qparam *p = _param(q);
    if (!p)
        return;
    p->is_null = s == NULL;
    p->off = q->texts.len;
    if (s && tz_buf_add(&q->texts, s, strlen(s) + 1))
        q->overflow = 1;
}

void tzm_q_int(tzm_query *q, long long v)
{
    tzm_qparam *p = _param(q);
    if (!p)
        return;
    p->is_int = 1;
    p->i = v;
}

void *tzm_push(void *arr, size_t *n, size_t *cap, size_t size, size_t first)
{
    char *v;
    memcpy(&v, arr, sizeof v);
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : first;
        char *nv = realloc(v, ncap * size);
        if (!nv)
            return NULL;
        v = nv;
        memcpy(arr, &v, sizeof v);
        *cap = ncap;
    }
    char *e = v + (*n)++ * size;
    memset(e, 0, size);
    return e;
}

const void *tzm_view_get(tzm_view *v)
{
    pthread_mutex_lock(&v->lock);
    for (size_t i = 0; !v->ready && i < v->n; i++)
        memcpy((char *)v->dst + i * v->size, (const char *)v->src + i * v->stride, v->size);
    v->ready = 1;
    pthread_mutex_unlock(&v->lock);
    return v->dst;
}

int tzm_q_prepare(tz_store *s, tzm_query *q, tz_stmt **out, tz_diags *d)
{
    *out = NULL;
    if (q->overflow || !q->sql.data) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "指标查询构造失败(参数过多或内存不足)");
        return -1;
    }
    tz_stmt *st = NULL;
    if (tz_store_prepare(s, tz_buf_str(&q->sql), &st)) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "数据库查询失败: %s", tz_store_errmsg(s));
        return -1;
    }
    for (int i = 0; i < q->np; i++) {
        const tzm_qparam *p = &q->p[i];
        int r = p->is_int    ? tz_stmt_bind_int(st, i + 1, p->i)
                : p->is_null ? tz_stmt_bind_text(st, i + 1, NULL)
                             : tz_stmt_bind_text(st, i + 1, q->texts.data + p->off);
        if (r) {
            tz_diags_error(d, NULL, 0, NULL, NULL, "数据库参数绑定失败: %s", tz_store_errmsg(s));
            tz_stmt_free(st);
            return -1;
        }
    }
    *out = st;
    return 0;
}

double tzm_q_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int _trace_on;
static pthread_once_t _trace_once = PTHREAD_ONCE_INIT;

static void _trace_init(void)
{
    _trace_on = getenv("TZ_METRICS_TRACE") != NULL;
}

void tzm_q_trace(const tzm_query *q, double t0)
{
    /* read once, by whichever thread traces first (server threads, the
     * rebuild's reads beside it) */
    pthread_once(&_trace_once, _trace_init);
    if (_trace_on)
        fprintf(stderr, "[metrics] %8.2f ms  %s\n", tzm_q_now() - t0, tz_buf_str(&q->sql));
}

int tzm_q_run(tz_store *s, tzm_query *q, const char *name, int trace, tzm_q_row_fn fn, void *acc,
              tz_diags *d)
{
    tz_stmt *st = NULL;
    int rc = -1, r = 0, stop = 0;
    double t0 = tzm_q_now();
    if (tzm_q_prepare(s, q, &st, d))
        goto done;
    while (!stop && (r = tz_stmt_step(st)) == 1)
        if ((stop = fn(st, acc)) < 0)
            goto done;
    if (trace)
        tzm_q_trace(q, t0);
    if (r < 0) {
        tz_diags_error(d, NULL, 0, name ? "指标" : NULL, name, "数据库查询失败: %s",
                       tz_store_errmsg(s));
        goto done;
    }
    rc = 0;
done:
    tz_stmt_free(st);
    tzm_q_free(q);
    return rc;
}

typedef enum { EDGE_START, EDGE_END } _edge;

/* Appends "? " bound to the period edge in the column's storage form. A row
 * dated by a year counts as dated 31 December of that year; by a month, the
 * month's last day. Period edges are always month boundaries. */
static void _edge_param(tzm_query *q, tz_coltype type, const tz_period *p, _edge e)
{
    const char *date = e == EDGE_START ? p->start : p->end;
    char buf[11];
    switch (type) {
    case TZ_COL_YEAR: {
        int y = tz_num_digits(date, 4);
        if (e == EDGE_END && strcmp(date + 4, "-12-31") != 0)
            y--; /* a year is complete only at its last day */
        tzm_q_int(q, y);
        break;
    }
    case TZ_COL_MONTH:
        snprintf(buf, sizeof buf, "%.7s", date);
        tzm_q_text(q, buf);
        break;
    default:
        tzm_q_text(q, date);
        break;
    }
}

static void _cmp(tzm_query *q, const char *col, const char *op, tz_coltype type, const tz_period *p,
                 _edge e)
{
    tz_buf_printf(&q->sql, "%s %s ", col, op);
    _edge_param(q, type, p, e);
}

int tzm_q_date_cond(tzm_query *q, const tzm_ind_def *def, const tz_period *p, tz_mode mode)
{
    if (!def->date_col || mode == TZ_MODE_ALL || !p)
        return 0;
    int todate = def->stock || mode == TZ_MODE_TODATE;
    tz_buf_putc(&q->sql, '(');
    _cmp(q, def->date_col, "<=", def->date_type, p, EDGE_END);
    if (def->end_col) {
        /* an interval: active during the period, or (stock) still active at its end */
        if (def->stock) {
            tz_buf_printf(&q->sql, " AND (%s IS NULL OR ", def->end_col);
            _cmp(q, def->end_col, ">", def->date_type, p, EDGE_END);
            tz_buf_putc(&q->sql, ')');
        } else if (!todate) {
            tz_buf_printf(&q->sql, " AND (%s IS NULL OR ", def->end_col);
            _cmp(q, def->end_col, ">=", def->date_type, p, EDGE_START);
            tz_buf_putc(&q->sql, ')');
        }
    } else if (!todate) {
        tz_buf_puts(&q->sql, " AND ");
        _cmp(q, def->date_col, ">=", def->date_type, p, EDGE_START);
    }
    tz_buf_putc(&q->sql, ')');
    return 1;
}

void tzm_q_region(tzm_query *q, const char *col, const char *lo, const char *hi)
{
    tz_buf_printf(&q->sql, " AND %s BETWEEN ", col);
    tzm_q_text(q, lo);
    tz_buf_puts(&q->sql, " AND ");
    tzm_q_text(q, hi);
}

int tzm_q_scope(tzm_query *q, const tzm_ind_def *def, const tzm_scope_rt *rt)
{
    if (rt->has_region)
        tzm_q_range(q, def->region_col, def->region_level, &rt->range);
    if (!rt->unit)
        return 1;
    if (def->unit_col) {
        tz_buf_printf(&q->sql, " AND %s = ", def->unit_col);
        tzm_q_text(q, rt->unit);
    } else if (rt->has_unit_region) {
        tzm_q_range(q, def->region_col, def->region_level, &rt->urange);
    } else {
        return 0;
    }
    return 1;
}

void tzm_q_range(tzm_query *q, const char *col, tz_level level, const tzm_range *r)
{
    if (level != TZ_LEVEL_NONE && (r->covers & (1u << level)))
        return; /* every region this column can hold is inside: no filter */
    tz_buf_printf(&q->sql, r->scan ? " AND (%s || '') BETWEEN " : " AND %s BETWEEN ", col);
    tzm_q_text(q, r->lo);
    tz_buf_puts(&q->sql, " AND ");
    tzm_q_text(q, r->hi);
}

void tzm_namelist_add(tzm_namelist *l, const char *item)
{
    size_t max = l->max ? l->max : 10;
    if (l->n < max)
        tz_buf_printf(&l->text, "%s%s", l->n ? "、" : "", item ? item : "");
    l->n++;
}

const char *tzm_namelist_str(tzm_namelist *l, const char *more_word)
{
    size_t max = l->max ? l->max : 10;
    if (l->n > max) {
        tz_buf_printf(&l->text, "等%zu%s", l->n, more_word ? more_word : "个");
        l->max = l->n + 1; /* finished: no second suffix */
    }
    return tz_buf_str(&l->text);
}
