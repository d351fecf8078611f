/* rules.c - the rule engine and its rules: the gaps in the work (存在的问题,
 * as of the period's end) and data-quality rules (数据质量, over the ledgers
 * as they are).
 *
 * Each rule is one function in the _rules table; a rule adds at most a few
 * findings, each naming the ledger, the keys of all the rows concerned, a
 * count and an amount. The count is the number of keyed rows, except for
 * household_duplicate (its count is the persons; its keys are every household
 * row of those persons) and no_new_foreign (no rows: count 0, no keys).
 * The data files the rules read (poverty lines, exit thresholds) are in
 * datafiles.c, the duplicate-person table in dupes.c and the caches of
 * their candidate rows in summary.c. */
#include "metrics/metrics_impl.h"
#include "util/num.h"
#include "util/text.h"
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- findings ------------------------------------------------------------ */

typedef struct _findings {
    tz_finding *v; /* findings */
    size_t n;      /* used */
    size_t cap;    /* allocated */
} _findings;

struct _rctx;
struct _rows_def;

/* One rule of the table (see _rules): its findings carry info.id, info.level
 * and ledger. */
typedef struct _rule {
    tz_rule_info info;            /* id, level, summary */
    const char *ledger;           /* ledger its findings name */
    int (*fn)(struct _rctx *c);   /* the check */
    const struct _rows_def *rows; /* the query, for fn = _rule_rows_def; else NULL */
    const char *deadline;         /* YYYY-MM-DD by which the rule must hold: checked only when
                                   * the period ends on or after it (before, it is progress,
                                   * not a failure); NULL: always checked */
    const char *reads;            /* the columns a coded rule reads, "ledger.column" words
                                   * (a row rule's are in its SQL), for quality.c */
} _rule;

typedef struct _rctx {
    tz_store *s;            /* database */
    const _rule *rule;      /* rule being checked (names its findings); NULL in caches */
    const tzm_scope_rt *rt; /* scope */
    const tz_period *p;     /* period: problems are as of its end */
    tz_period ytd;          /* 1 January to the period's end (projects brought in) */
    int year_end;           /* last complete year at the period's end (year-dated rows) */
    char where[160];        /* scope words for messages ("鹿邑县"), or "" */
    char when[64];          /* "2015年上半年" for the year to date */
    _findings out;          /* results */
    tz_diags *d;            /* diagnostics */
} _rctx;

/* Adds a blank finding of the current rule (its id, level and ledger). The
 * finding is owned by c->out. Returns NULL when out of memory. */
static tz_finding *_fadd(_rctx *c)
{
    tz_finding *e = tzm_push(&c->out.v, &c->out.n, &c->out.cap, sizeof *e, 16);
    if (!e)
        return NULL;
    snprintf(e->rule, sizeof e->rule, "%s", c->rule->info.id);
    e->level = c->rule->info.level;
    snprintf(e->ledger, sizeof e->ledger, "%s", c->rule->ledger);
    return e;
}

/* Row keys collected by a rule, 、-joined. */
typedef struct _keys {
    tz_buf text; /* the keys */
    size_t n;    /* how many */
    int oom;     /* 1 when one could not be added */
} _keys;

/* Appends a key (an out-of-memory failure is reported by _keys_give). */
static void _key(_keys *k, const char *key)
{
    if ((k->n && tz_buf_puts(&k->text, "、")) || tz_buf_puts(&k->text, key))
        k->oom = 1;
    else
        k->n++;
}

/* Moves the keys into finding e (k is emptied). Returns 0, or -1 with a
 * diag when memory ran out while collecting them (e then has no keys). */
static int _keys_give(tz_diags *d, _keys *k, tz_finding *e)
{
    if (k->oom) {
        tz_buf_free(&k->text);
        tz_diags_error(d, NULL, 0, NULL, NULL, "内存不足,无法列出问题涉及的全部记录");
        return -1;
    }
    if (k->n) {
        e->keys = tz_buf_take(&k->text);
        if (!e->keys) {
            tz_diags_error(d, NULL, 0, NULL, NULL, "内存不足,无法列出问题涉及的全部记录");
            return -1;
        }
        e->nkeys = k->n;
    }
    k->n = 0;
    return 0;
}

void tz_findings_free(tz_finding *f, size_t n)
{
    for (size_t i = 0; f && i < n; i++)
        free(f[i].keys);
    free(f);
}

/* Restricts to the scope's region (or the unit's region) on a code column
 * that holds codes of `level` (TZ_LEVEL_NONE: any). */
static void _scope_region(_rctx *c, tzm_query *q, const char *col, tz_level level)
{
    if (c->rt->has_region)
        tzm_q_range(q, col, level, &c->rt->range);
    else if (c->rt->unit && c->rt->has_unit_region)
        tzm_q_range(q, col, level, &c->rt->urange);
}

/* Restricts to the scope's unit on a unit column, when the scope has one. */
static void _scope_unit(_rctx *c, tzm_query *q, const char *col)
{
    if (c->rt->unit) {
        tz_buf_printf(&q->sql, " AND %s = ", col);
        tzm_q_text(q, c->rt->unit);
    }
}

static int _dberr(_rctx *c)
{
    tz_diags_error(c->d, NULL, 0, NULL, NULL, "数据库查询失败: %s", tz_store_errmsg(c->s));
    return -1;
}

/* Row callback of _each: cells of the current row; 0, or -1 to fail. */
typedef int (*_row_fn)(_rctx *c, tz_stmt *st, void *acc);

/* _each's row callback context for tzm_q_run. */
typedef struct _each_ctx {
    _rctx *c;   /* rule context */
    _row_fn fn; /* the rule's row callback */
    void *acc;  /* its accumulator */
} _each_ctx;

static int _each_row(tz_stmt *st, void *acc)
{
    _each_ctx *x = acc;
    return x->fn(x->c, st, x->acc) ? -1 : 0;
}

/* Runs q (always freed) and calls fn for each row. Returns 0 or -1 (diag). */
static int _each(_rctx *c, tzm_query *q, _row_fn fn, void *acc)
{
    _each_ctx x = {c, fn, acc};
    return tzm_q_run(c->s, q, NULL, 1, _each_row, &x, c->d);
}

static const char *_col(tz_stmt *st, int i)
{
    const char *t = tz_stmt_text(st, i);
    return t ? t : "";
}

/* A list of row keys and display names collected by a rule. */
typedef struct _list {
    tzm_namelist names; /* display names (first few) */
    _keys keys;         /* keys collected (all) */
    long n;             /* rows */
    long n2;            /* a sub-count (rule-specific) */
    double sum;         /* an amount (rule-specific) */
    double a, b;        /* more amounts (rule-specific) */
} _list;

static void _list_free(_list *l)
{
    tz_buf_free(&l->names.text);
    tz_buf_free(&l->keys.text);
}

/* Runs q (always freed) and calls fn for each row with acc, whose rows are
 * counted and keyed in l (l may be acc itself or inside it). When l holds
 * rows, adds the current rule's finding with l's count and keys and returns
 * it in *e for the caller to write its message; *e is NULL when there is no
 * row, or no memory for the finding (the finding is then dropped). Returns 0,
 * or -1 with a diag. */
static int _collect(_rctx *c, tzm_query *q, _row_fn fn, void *acc, _list *l, tz_finding **e)
{
    *e = NULL;
    if (_each(c, q, fn, acc))
        return -1;
    if (l->n && (*e = _fadd(c)) != NULL) {
        (*e)->count = l->n;
        if (_keys_give(c->d, &l->keys, *e)) {
            *e = NULL;
            return -1;
        }
    }
    return 0;
}

/* ---- problem rules (as of the period's end) ------------------------------ */

static int _row_village(_rctx *c, tz_stmt *st, void *acc)
{
    _list *l = acc;
    l->n++;
    if (tz_stmt_ncols(st) > 2 && tz_stmt_int(st, 2))
        l->n2++;
    _key(&l->keys, _col(st, 0));
    tzm_namelist_add(&l->names, _col(st, 1));
    return 0;
}

/* The current rule's deadline in words: "2017年底" for 31 December, else
 * "2017年6月30日". Returns buf. */
static const char *_deadline_words(const _rctx *c, char *buf, size_t sz)
{
    const char *dl = c->rule->deadline ? c->rule->deadline : "";
    if (strlen(dl) == 10 && !strcmp(dl + 4, "-12-31"))
        snprintf(buf, sz, "%.4s年底", dl);
    else if (strlen(dl) == 10)
        snprintf(buf, sz, "%.4s年%d月%d日", dl, tz_num_digits(dl + 5, 2), tz_num_digits(dl + 8, 2));
    else
        snprintf(buf, sz, "%s", dl);
    return buf;
}

/* Poor villages without an on-time centre: those not built by the period's
 * end, and those built after the deadline (year granularity). */
typedef struct _late_acc {
    _list missing; /* no centre built by the period's end (仍未建成) */
    _list late;    /* built, but in a year after the deadline's (建成晚于期限) */
} _late_acc;

static int _row_late(_rctx *c, tz_stmt *st, void *acc)
{
    _late_acc *x = acc;
    (void)c;
    if (tz_stmt_is_null(st, 2)) {
        x->missing.n++;
        _key(&x->missing.keys, _col(st, 0));
        tzm_namelist_add(&x->missing.names, _col(st, 1));
        return 0;
    }
    char item[300];
    x->late.n++;
    _key(&x->late.keys, _col(st, 0));
    snprintf(item, sizeof item, "%s(%lld年建成)", _col(st, 1), (long long)tz_stmt_int(st, 2));
    tzm_namelist_add(&x->late.names, item);
    return 0;
}

/* Rule 1: every 贫困村 has a centre by the rule's deadline (2017-12-31;
 * tz_rules_check runs it only once the period ends on or after it). A
 * village with no centre by the period's end is 仍未建成; one whose centre
 * was built in a year after the deadline's is 建成晚于期限. */
static int _rule_poor_village_centre(_rctx *c)
{
    tzm_query q;
    _late_acc x;
    char dl[64];
    int rc = -1;
    memset(&x, 0, sizeof x);
    _deadline_words(c, dl, sizeof dl);
    tzm_q_init(&q);
    tz_buf_puts(&q.sql, "SELECT r.code, r.name, (SELECT MIN(c.year_built) FROM culture_centers c "
                        "WHERE c.village = r.code AND c.year_built IS NOT NULL AND "
                        "c.year_built <= ");
    tzm_q_int(&q, c->year_end);
    tz_buf_puts(&q.sql, ") FROM regions r WHERE r.level = '村' AND r.poor = 1 AND NOT EXISTS "
                        "(SELECT 1 FROM culture_centers c WHERE c.village = r.code AND "
                        "c.year_built IS NOT NULL AND c.year_built <= ");
    tzm_q_int(&q, c->rule->deadline ? tz_num_digits(c->rule->deadline, 4) : 0);
    tz_buf_puts(&q.sql, ")");
    _scope_region(c, &q, "r.code", TZ_LEVEL_VILLAGE);
    tz_buf_puts(&q.sql, " ORDER BY r.code");
    if (_each(c, &q, _row_late, &x))
        goto done;
    if (x.missing.n) {
        tz_finding *e = _fadd(c);
        if (!e)
            goto done;
        e->count = x.missing.n;
        if (_keys_give(c->d, &x.missing.keys, e))
            goto done;
        snprintf(e->message, sizeof e->message,
                 "按要求每个贫困村%s前建成村级综合性文化服务中心(含文化广场),"
                 "截至%s%s有%ld个贫困村仍未建成:%s",
                 dl, c->p->end, c->where, x.missing.n, tzm_namelist_str(&x.missing.names, "个"));
    }
    if (x.late.n) {
        tz_finding *e = _fadd(c);
        if (!e)
            goto done;
        e->count = x.late.n;
        if (_keys_give(c->d, &x.late.keys, e))
            goto done;
        snprintf(e->message, sizeof e->message,
                 "按要求每个贫困村%s前建成村级综合性文化服务中心(含文化广场),"
                 "%s有%ld个贫困村的中心建成晚于期限:%s",
                 dl, c->where, x.late.n, tzm_namelist_str(&x.late.names, "个"));
    }
    rc = 0;
done:
    _list_free(&x.missing);
    _list_free(&x.late);
    return rc;
}

/* Rule 2: 100% of 行政村 with a compliant centre by the rule's deadline
 * (2019-12-31; run only once the period ends on or after it). */
static int _rule_centre_coverage(_rctx *c)
{
    tzm_query q;
    _list l = {0};
    tzm_q_init(&q);
    tz_buf_puts(&q.sql, "SELECT r.code, r.name, CASE WHEN c.village IS NULL THEN 1 ELSE 0 END "
                        "FROM regions r LEFT JOIN culture_centers c ON c.village = r.code AND "
                        "c.year_built IS NOT NULL AND c.year_built <= ");
    tzm_q_int(&q, c->year_end);
    tz_buf_puts(&q.sql,
                " WHERE r.level = '村' AND (c.village IS NULL OR COALESCE(c.compliant, 0) <> 1)");
    _scope_region(c, &q, "r.code", TZ_LEVEL_VILLAGE);
    tz_buf_puts(&q.sql, " ORDER BY r.code");
    tz_finding *e;
    int rc = _collect(c, &q, _row_village, &l, &l, &e);
    if (e) {
        char dl[64];
        snprintf(e->message, sizeof e->message,
                 "村级文化服务中心按规定%s要达到100%%覆盖,截至%s%s还有%ld个行政村"
                 "未建设或不达标(未建设%ld个、已建未达标%ld个):%s",
                 _deadline_words(c, dl, sizeof dl), c->p->end, c->where, l.n, l.n2, l.n - l.n2,
                 tzm_namelist_str(&l.names, "个"));
    }
    _list_free(&l);
    return rc;
}

static int _row_owed(_rctx *c, tz_stmt *st, void *acc)
{
    _list *l = acc;
    double std = tz_stmt_double(st, 1), paid = tz_stmt_double(st, 2);
    if (l->n == 0) {
        l->a = std;
        l->b = paid;
    } else {
        if (l->a != std)
            l->a = NAN;
        if (l->b != paid)
            l->b = NAN;
    }
    l->n++;
    l->sum += std - paid;
    _key(&l->keys, _col(st, 0));
    return 0;
}

/* Rule 3: subsidy promised but not paid (应拨未拨). */
static int _rule_subsidy_owed(_rctx *c)
{
    tzm_query q;
    _list l = {0};
    tzm_q_init(&q);
    tz_buf_puts(&q.sql,
                "SELECT c.village, COALESCE(c.subsidy, 0), COALESCE(c.subsidy_paid, 0) "
                "FROM culture_centers c WHERE c.year_built IS NOT NULL AND "
                "COALESCE(c.subsidy, 0) > COALESCE(c.subsidy_paid, 0) AND c.year_built <= ");
    tzm_q_int(&q, c->year_end);
    _scope_region(c, &q, "c.village", TZ_LEVEL_VILLAGE);
    tz_buf_puts(&q.sql, " ORDER BY c.village");
    tz_finding *e;
    int rc = _collect(c, &q, _row_owed, &l, &l, &e);
    if (e) {
        char each[128] = "";
        char a[32], b[32], sum[32];
        tz_fmt_decimal(l.a, 2, a, sizeof a);
        tz_fmt_decimal(l.b, 2, b, sizeof b);
        tz_fmt_decimal(l.sum, 2, sum, sizeof sum);
        if (!isnan(l.a) && !isnan(l.b))
            snprintf(each, sizeof each, "(每个中心奖补标准%s万元,已拨付%s万元)", a, b);
        e->amount = l.sum;
        snprintf(e->message, sizeof e->message,
                 "%s已建成的%ld个村级综合性文化服务中心奖补资金应拨未拨%s万元%s", c->where, l.n,
                 sum, each);
    }
    _list_free(&l);
    return rc;
}

static int _row_key(_rctx *c, tz_stmt *st, void *acc)
{
    _list *l = acc;
    l->n++;
    _key(&l->keys, _col(st, 0));
    tzm_namelist_add(&l->names, _col(st, tz_stmt_ncols(st) > 1 ? 1 : 0));
    return 0;
}

/* 户户通 installs reported broken (the seed's "无法正常收看"). */
static int _rule_tv_fault(_rctx *c)
{
    tzm_query q;
    _list l = {0};
    tzm_q_init(&q);
    /* the cache holds the faulty installs of registered households with their village */
    tz_buf_puts(&q.sql, c->rt->agg ? "SELECT t.hh_id FROM tz_agg_fault t WHERE t.install_date <= "
                                   : "SELECT t.hh_id FROM tv_installs t JOIN households h ON "
                                     "h.hh_id = t.hh_id WHERE t.status = '故障' AND "
                                     "t.install_date <= ");
    tzm_q_text(&q, c->p->end);
    _scope_region(c, &q, c->rt->agg ? "t.village" : "h.village", TZ_LEVEL_VILLAGE);
    tz_buf_puts(&q.sql, " ORDER BY t.hh_id");
    tz_finding *e;
    int rc = _collect(c, &q, _row_key, &l, &l, &e);
    if (e)
        snprintf(e->message, sizeof e->message,
                 "%s有%ld户建档立卡贫困户的户户通设备处于故障状态,无法正常收看", c->where, l.n);
    _list_free(&l);
    return rc;
}

/* Restricts a query on units u to the scope (unit region inside the scope). */
static void _scope_units(_rctx *c, tzm_query *q)
{
    if (c->rt->has_region)
        tzm_q_region(q, "u.region", c->rt->range.lo, c->rt->range.hi);
    _scope_unit(c, q, "u.name");
}

/* Counties (县区 units) with no actual foreign capital in the year to date. */
static int _rule_fdi_zero(_rctx *c)
{
    tzm_query q;
    _list l = {0};
    tzm_q_init(&q);
    tz_buf_puts(&q.sql, "SELECT u.name, u.name FROM units u WHERE u.kind = '县区'");
    _scope_units(c, &q);
    tz_buf_puts(&q.sql, " AND NOT EXISTS (SELECT 1 FROM project_funds f JOIN projects p ON "
                        "p.project_id = f.project_id WHERE p.unit = u.name AND f.fdi_actual > 0 "
                        "AND f.month BETWEEN ");
    char m1[8], m2[8];
    snprintf(m1, sizeof m1, "%.7s", c->ytd.start);
    snprintf(m2, sizeof m2, "%.7s", c->ytd.end);
    tzm_q_text(&q, m1);
    tz_buf_puts(&q.sql, " AND ");
    tzm_q_text(&q, m2);
    tz_buf_puts(&q.sql, ") ORDER BY u.region, u.name");
    l.names.max = 50;
    tz_finding *e;
    int rc = _collect(c, &q, _row_key, &l, &l, &e);
    if (e)
        snprintf(e->message, sizeof e->message, "%s%s实际利用外资为零", c->when,
                 tzm_namelist_str(&l.names, "个县区"));
    _list_free(&l);
    return rc;
}

/* Units of each investment-promotion kind that brought in nothing (no
 * project signed) in the year to date. */
static int _rule_unit_no_project(_rctx *c)
{
    static const char *const kinds[] = {"县区", "专题招商组", "市直单位"};
    for (size_t k = 0; k < N(kinds); k++) {
        long total = 0;
        tzm_query q;
        tz_stmt *st = NULL;
        tzm_q_init(&q);
        tz_buf_puts(&q.sql, "SELECT COUNT(*) FROM units u WHERE u.kind = ");
        tzm_q_text(&q, kinds[k]);
        _scope_units(c, &q);
        int r = tzm_q_prepare(c->s, &q, &st, c->d) ? -1 : tz_stmt_step(st);
        if (r == 1)
            total = (long)tz_stmt_int(st, 0);
        tz_stmt_free(st);
        tzm_q_free(&q);
        if (r < 0)
            return _dberr(c);
        if (total == 0)
            continue;
        _list l = {0};
        l.names.max = 30;
        tzm_q_init(&q);
        tz_buf_puts(&q.sql, "SELECT u.name, u.name FROM units u WHERE u.kind = ");
        tzm_q_text(&q, kinds[k]);
        _scope_units(c, &q);
        tz_buf_puts(&q.sql, " AND NOT EXISTS (SELECT 1 FROM projects p WHERE p.unit = u.name "
                            "AND p.signed_date BETWEEN ");
        tzm_q_text(&q, c->ytd.start);
        tz_buf_puts(&q.sql, " AND ");
        tzm_q_text(&q, c->ytd.end);
        tz_buf_puts(&q.sql, ") ORDER BY u.region, u.name");
        tz_finding *e;
        if (_collect(c, &q, _row_key, &l, &l, &e)) {
            _list_free(&l);
            return -1;
        }
        if (e && l.n == total && total > 1)
            snprintf(e->message, sizeof e->message, "%s%ld个%s均未引进签约项目:%s", c->when, total,
                     kinds[k], tzm_namelist_str(&l.names, "个"));
        else if (e)
            snprintf(e->message, sizeof e->message, "%s%ld个%s中有%ld个未引进签约项目:%s", c->when,
                     total, kinds[k], l.n, tzm_namelist_str(&l.names, "个"));
        _list_free(&l);
    }
    return 0;
}

static int _row_contract(_rctx *c, tz_stmt *st, void *acc)
{
    _list *l = acc;
    l->n = (long)tz_stmt_int(st, 0);
    l->n2 = (long)tz_stmt_int(st, 1);
    l->a = tz_stmt_double(st, 2);
    l->b = tz_stmt_double(st, 3);
    return 0;
}

/* No new foreign-invested project (新建 外资) brought in during the year to
 * date, with the contracted foreign capital and how much of it is 增资. */
static int _rule_no_new_foreign(_rctx *c)
{
    if (c->rt->unit && strcmp(c->rt->unit_kind, "县区") != 0)
        return 0;
    tzm_query q;
    _list all = {0}, l = {0};
    tzm_q_init(&q);
    tz_buf_puts(&q.sql, "SELECT COUNT(*), 0, 0, 0 FROM projects p WHERE 1 = 1");
    _scope_region(c, &q, "p.county", TZ_LEVEL_COUNTY);
    _scope_unit(c, &q, "p.unit");
    if (_each(c, &q, _row_contract, &all))
        return -1;
    if (all.n == 0)
        return 0; /* no investment-promotion ledger in this scope */
    tzm_q_init(&q);
    tz_buf_puts(&q.sql,
                "SELECT COUNT(*), SUM(CASE WHEN p.is_foreign = 1 AND p.kind = '新建' THEN 1 ELSE 0 "
                "END), SUM(p.fdi_contract), SUM(CASE WHEN p.kind = '增资' THEN p.fdi_contract "
                "ELSE 0 END) FROM projects p WHERE p.signed_date BETWEEN ");
    tzm_q_text(&q, c->ytd.start);
    tz_buf_puts(&q.sql, " AND ");
    tzm_q_text(&q, c->ytd.end);
    _scope_region(c, &q, "p.county", TZ_LEVEL_COUNTY);
    _scope_unit(c, &q, "p.unit");
    if (_each(c, &q, _row_contract, &l))
        return -1;
    if (l.n2 > 0)
        return 0;
    tz_finding *e = _fadd(c);
    if (!e)
        return -1;
    char total[32], inc[32], tail[200];
    tz_fmt_decimal(l.a, 2, total, sizeof total);
    tz_fmt_decimal(l.b, 2, inc, sizeof inc);
    if (l.a <= 0)
        snprintf(tail, sizeof tail, ",合同利用外资为零");
    else if (l.b >= l.a - 1e-9)
        snprintf(tail, sizeof tail, ",合同利用外资%s万美元全部为增资项目", total);
    else
        snprintf(tail, sizeof tail, ",合同利用外资%s万美元,其中增资项目%s万美元", total, inc);
    e->count = 0;
    e->amount = l.a;
    snprintf(e->message, sizeof e->message, "%s%s没有新上外资项目(无新建外资项目签约)%s", c->when,
             c->where, tail);
    return 0;
}

static int _row_project(_rctx *c, tz_stmt *st, void *acc)
{
    _list *l = acc;
    char item[400];
    l->n++;
    _key(&l->keys, _col(st, 0));
    snprintf(item, sizeof item, "%s%s(%s)", _col(st, 2), _col(st, 1), _col(st, 3));
    tzm_namelist_add(&l->names, item);
    return 0;
}

#define LEADING_SQL                                                                                \
    "('、' || COALESCE(r.industries, '') || '、') LIKE ('%、' || COALESCE(p.industry, '') || "  \
    "'、%')"

/* Rule 12: a county's new project outside its 主导产业 (和主导产业关联度不大). */
static int _rule_leading_industry(_rctx *c)
{
    tzm_query q;
    _list l = {0};
    l.names.max = 6;
    tzm_q_init(&q);
    tz_buf_puts(&q.sql, "SELECT p.project_id, p.name, p.unit, COALESCE(p.industry, '') FROM "
                        "projects p JOIN units u ON u.name = p.unit JOIN regions r ON r.code = "
                        "p.county WHERE u.kind = '县区' AND COALESCE(r.industries, '') <> '' AND "
                        "NOT (" LEADING_SQL ") AND p.signed_date BETWEEN ");
    tzm_q_text(&q, c->ytd.start);
    tz_buf_puts(&q.sql, " AND ");
    tzm_q_text(&q, c->ytd.end);
    _scope_region(c, &q, "p.county", TZ_LEVEL_COUNTY);
    _scope_unit(c, &q, "p.unit");
    tz_buf_puts(&q.sql, " ORDER BY p.county, p.project_id");
    tz_finding *e;
    int rc = _collect(c, &q, _row_project, &l, &l, &e);
    if (e)
        snprintf(e->message, sizeof e->message,
                 "%s有%ld个新签约项目和所在县区主导产业关联度不大:%s", c->when, l.n,
                 tzm_namelist_str(&l.names, "个"));
    _list_free(&l);
    return rc;
}

/* 1 when the 户籍人口 ledger has any row (the county keeps it), 0 when empty,
 * -1 on a database error. */
static int _have_populations(_rctx *c)
{
    long long n = 0;
    if (tz_store_scalar_int(c->s, "SELECT COUNT(*) FROM (SELECT 1 FROM populations LIMIT 1) x",
                            NULL, &n))
        return _dberr(c);
    return n > 0;
}

/* Appends the registered poor population of village r.code not yet exited
 * at the end of year Y, as a scalar subquery (summary or ledger). */
static void _poor_pop(_rctx *c, tzm_query *q)
{
    if (c->rt->agg)
        tz_buf_puts(&q->sql, "(SELECT SUM(g.members) FROM tz_agg_pm g WHERE g.node = r.code "
                             "AND g.yi <= ");
    else
        tz_buf_puts(&q->sql, "(SELECT SUM(g.members) FROM households g WHERE g.village = r.code "
                             "AND g.year_identified <= ");
    tzm_q_int(q, c->year_end);
    tz_buf_puts(&q->sql, c->rt->agg ? " AND (g.ye IS NULL OR g.ye > "
                                    : " AND (g.year_exited IS NULL OR g.year_exited > ");
    tzm_q_int(q, c->year_end);
    tz_buf_puts(&q->sql, "))");
}

typedef struct _vexit {
    _list l;    /* villages at or above the threshold */
    double thr; /* threshold of the first one listed, NAN when they differ */
} _vexit;

static int _row_vexit(_rctx *c, tz_stmt *st, void *acc)
{
    _vexit *x = acc;
    const char *code = _col(st, 0);
    double pop = tz_stmt_double(st, 2), poor = tz_stmt_double(st, 3), thr;
    if (!(pop > 0))
        return 0;
    if (tz_exit_threshold(code, &thr, c->d))
        return -1;
    double pct = poor / pop * 100;
    if (pct < thr)
        return 0;
    if (x->l.n == 0)
        x->thr = thr;
    else if (x->thr != thr)
        x->thr = NAN;
    x->l.n++;
    _key(&x->l.keys, code);
    char item[300], num[32];
    snprintf(item, sizeof item, "%s(%s%%)", _col(st, 1), tz_fmt_decimal(pct, 2, num, sizeof num));
    tzm_namelist_add(&x->l.names, item);
    return 0;
}

/* The document that sets the village-exit thresholds, as
 * data/village_exit_thresholds.tsv cites it; reports quote it from the
 * finding instead of a bare "按照工作要求". */
#define EXIT_DOCUMENT "中共中央办公厅、国务院办公厅《关于建立贫困退出机制的意见》"

/* Village exit (domain.md §3): a 贫困村 exits when its 贫困发生率 is below the
 * threshold of its province (data/village_exit_thresholds.tsv). Poor villages
 * still at or above it at the end of the last complete year are a problem. */
static int _rule_village_exit(_rctx *c)
{
    int have = _have_populations(c);
    if (have <= 0)
        return have; /* no 户籍人口 ledger kept: 贫困发生率 is unavailable */
    tzm_query q;
    _vexit x;
    memset(&x, 0, sizeof x);
    x.l.names.max = 8;
    tzm_q_init(&q);
    tz_buf_puts(&q.sql, "SELECT r.code, r.name, p.rural_population, ");
    _poor_pop(c, &q);
    tz_buf_puts(&q.sql, " FROM regions r JOIN populations p ON p.village = r.code AND p.year = ");
    tzm_q_int(&q, c->year_end);
    tz_buf_puts(&q.sql, " WHERE r.level = '村' AND r.poor = 1");
    _scope_region(c, &q, "r.code", TZ_LEVEL_VILLAGE);
    tz_buf_puts(&q.sql, " ORDER BY r.code");
    tz_finding *e;
    int rc = _collect(c, &q, _row_vexit, &x, &x.l, &e);
    if (e) {
        char std[64];
        if (isnan(x.thr)) {
            snprintf(std, sizeof std, "低于所在省份的标准");
        } else {
            char num[32];
            snprintf(std, sizeof std, "低于%s%%", tz_fmt_decimal(x.thr, 2, num, sizeof num));
        }
        snprintf(e->message, sizeof e->message,
                 "按" EXIT_DOCUMENT "规定的贫困村退出标准(贫困发生率%s),截至%d年底%s仍有%ld个"
                 "贫困村贫困发生率未降到标准以下:%s",
                 std, c->year_end, c->where, x.l.n, tzm_namelist_str(&x.l.names, "个"));
    }
    _list_free(&x.l);
    return rc;
}

/* ---- data-quality rules (the ledgers as they are) ------------------------ */

typedef struct _exit_acc {
    _list l;          /* all failing households */
    long income;      /* failing on income */
    long guarantees;  /* failing on 两不愁三保障 */
    long no_line;     /* exit year without a line */
    const int *years; /* line table */
    const double *lines;
    int nlines;
    tzm_namelist detail; /* first few, explained */
} _exit_acc;

static int _row_exit(_rctx *c, tz_stmt *st, void *acc)
{
    _exit_acc *x = acc;
    int year = (int)tz_stmt_int(st, 1);
    int have_income = !tz_stmt_is_null(st, 2);
    double income = tz_stmt_double(st, 2), line = 0;
    int have_line = 0;
    for (int i = 0; i < x->nlines; i++)
        if (x->years[i] == year) {
            line = x->lines[i];
            have_line = 1;
        }
    static const char *const gnames[] = {"义务教育保障", "基本医疗保障", "住房安全保障",
                                         "饮水安全保障"};
    char why[256] = "";
    size_t len = 0;
    int bad_income = 0, bad_guar = 0;
    if (!have_line) {
        x->no_line++;
        len += (size_t)snprintf(why + len, sizeof why - len, "%d年无贫困线数据", year);
    } else if (!have_income || income <= line) {
        char a[32], b[32];
        tz_fmt_decimal(income, 2, a, sizeof a);
        tz_fmt_decimal(line, 2, b, sizeof b);
        bad_income = 1;
        if (have_income)
            len += (size_t)snprintf(why + len, sizeof why - len, "人均纯收入%s元不高于贫困线%s元",
                                    a, b);
        else
            len += (size_t)snprintf(why + len, sizeof why - len, "未填人均纯收入");
    }
    for (int g = 0; g < 4; g++)
        if (tz_stmt_is_null(st, 3 + g) || tz_stmt_int(st, 3 + g) != 1) {
            bad_guar = 1;
            if (len < sizeof why)
                len += (size_t)snprintf(why + len, sizeof why - len, "%s%s%s", len ? "," : "",
                                        gnames[g], tz_stmt_is_null(st, 3 + g) ? "未填" : "为否");
        }
    if (!bad_income && !bad_guar && have_line)
        return 0;
    x->l.n++;
    x->income += bad_income;
    x->guarantees += bad_guar;
    _key(&x->l.keys, _col(st, 0));
    char item[400];
    snprintf(item, sizeof item, "%s(%d年脱贫,%s)", _col(st, 0), year, why);
    tzm_namelist_add(&x->detail, item);
    return 0;
}

/* The exact check of the rows is _row_exit. */
void tzm_exit_cond(tz_buf *sql, const int *years, const double *lines, int n)
{
    tz_buf_puts(sql, " WHERE h.year_exited IS NOT NULL AND (h.income IS NULL OR "
                     "COALESCE(h.edu_ok, 0) <> 1 OR COALESCE(h.med_ok, 0) <> 1 OR "
                     "COALESCE(h.house_ok, 0) <> 1 OR COALESCE(h.water_ok, 0) <> 1 OR "
                     "h.income <= CASE h.year_exited");
    /* the lines are numbers from the data file, written as SQL literals */
    for (int i = 0; i < n; i++)
        tz_buf_printf(sql, " WHEN %d THEN %.2f", years[i], lines[i]);
    tz_buf_puts(sql, " ELSE 1e15 END)");
}

/* Household exit: income above that year's line, and the four guarantees 是,
 * for the households marked exited as of the period (脱贫年度 ≤ the year of
 * the period's end). */
static int _rule_household_exit(_rctx *c)
{
    int years[TZM_LINES_MAX], n = 0;
    double lines[TZM_LINES_MAX];
    if (tzm_lines_copy(years, lines, &n, c->d))
        return -1;
    tzm_query q;
    _exit_acc x;
    memset(&x, 0, sizeof x);
    x.years = years;
    x.lines = lines;
    x.nlines = n;
    x.detail.max = 5;
    tzm_q_init(&q);
    /* the cache holds exactly the rows this condition selects (summary.c
     * rebuilds it when the ledger or the lines change) */
    tz_buf_printf(&q.sql,
                  "SELECT h.hh_id, h.year_exited, h.income, h.edu_ok, h.med_ok, h.house_ok, "
                  "h.water_ok FROM %s h",
                  c->rt->agg ? "tz_agg_exit" : "households");
    if (!c->rt->agg)
        tzm_exit_cond(&q.sql, years, lines, n);
    else
        tz_buf_puts(&q.sql, " WHERE 1 = 1");
    /* a household whose 脱贫年度 lies after the period's end year is not
     * marked exited as of that period (the cache holds every exit year) */
    tz_buf_puts(&q.sql, " AND h.year_exited <= ");
    tzm_q_int(&q, tz_num_digits(c->p->end, 4));
    _scope_region(c, &q, "h.village", TZ_LEVEL_VILLAGE);
    tz_buf_puts(&q.sql, " ORDER BY h.hh_id");
    tz_finding *e;
    int rc = _collect(c, &q, _row_exit, &x, &x.l, &e);
    if (e)
        snprintf(e->message, sizeof e->message,
                 "%ld户标记为已脱贫的贫困户不符合退出标准(收入不高于当年贫困线%ld户,"
                 "两不愁三保障未全部达到%ld户%s):%s",
                 x.l.n, x.income, x.guarantees, x.no_line ? ",脱贫年度无贫困线数据" : "",
                 tzm_namelist_str(&x.detail, "户"));
    tz_buf_free(&x.detail.text);
    _list_free(&x.l);
    return rc;
}

/* One candidate, read back exactly. */
typedef struct _cand_row {
    char name[128];   /* 户主姓名 */
    char birth[9];    /* YYYYMMDD */
    char village[13]; /* 所在村代码 */
    char hh[64];      /* 户编号 */
} _cand_row;

static int _cand_cmp(const void *a, const void *b)
{
    const _cand_row *x = a, *y = b;
    int r = strcmp(x->name, y->name);
    if (!r)
        r = strcmp(x->birth, y->birth);
    if (!r)
        r = strcmp(x->village, y->village);
    return r ? r : strcmp(x->hh, y->hh);
}

/* Reads back the rows of persons seen in two villages, exactly (the hash
 * may join two persons). Returns 0 with *out (caller frees) and *n, or -1
 * with a diag. */
static int _dup_candidates(_rctx *c, const tzm_dupes *x, _cand_row **out, size_t *n)
{
    size_t ncand = 0;
    tz_stmt *st = NULL;
    *out = NULL;
    *n = 0;
    for (size_t i = 0; i < x->nrows; i++)
        ncand += (size_t)tzm_dupes_is_dup(x, i);
    if (ncand == 0)
        return 0;
    _cand_row *rows = calloc(ncand, sizeof *rows);
    if (!rows || tz_store_prepare(c->s,
                                  "SELECT head_name, substr(id_number, 7, 8), village, hh_id "
                                  "FROM households WHERE hh_id = ?",
                                  &st))
        goto fail;
    size_t k = 0;
    for (size_t i = 0; i < x->nrows; i++) {
        if (!tzm_dupes_is_dup(x, i))
            continue;
        tz_stmt_reset(st);
        if (tz_stmt_bind_text(st, 1, tzm_dupes_hh(x, i)) || tz_stmt_step(st) != 1)
            goto fail;
        snprintf(rows[k].name, sizeof rows[k].name, "%s", _col(st, 0));
        snprintf(rows[k].birth, sizeof rows[k].birth, "%s", _col(st, 1));
        snprintf(rows[k].village, sizeof rows[k].village, "%s", _col(st, 2));
        snprintf(rows[k].hh, sizeof rows[k].hh, "%s", _col(st, 3));
        k++;
    }
    tz_stmt_free(st);
    qsort(rows, k, sizeof *rows, _cand_cmp);
    *out = rows;
    *n = k;
    return 0;
fail:
    tz_stmt_free(st);
    free(rows);
    return _dberr(c);
}

/* Groups the sorted candidates by person and adds the finding for the
 * persons in more than one village. Returns 0 or -1 (out of memory). */
static int _dup_report(_rctx *c, const _cand_row *rows, size_t n)
{
    tzm_namelist names = {TZ_BUF_INIT, 0, 5};
    _keys keys = {TZ_BUF_INIT, 0, 0};
    long groups = 0;
    int rc = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        int villages = 1;
        while (j < n && !strcmp(rows[j].name, rows[i].name) &&
               !strcmp(rows[j].birth, rows[i].birth)) {
            if (strcmp(rows[j].village, rows[j - 1].village) != 0)
                villages++;
            j++;
        }
        if (villages > 1) {
            char item[256];
            const char *b = rows[i].birth;
            groups++;
            if (strlen(b) == 8)
                snprintf(item, sizeof item, "%s(出生日期%.4s-%.2s-%.2s,%zu户)", rows[i].name, b,
                         b + 4, b + 6, j - i);
            else
                snprintf(item, sizeof item, "%s", rows[i].name);
            tzm_namelist_add(&names, item);
            for (size_t k = i; k < j; k++)
                _key(&keys, rows[k].hh);
        }
        i = j;
    }
    if (groups) {
        tz_finding *e = _fadd(c);
        if (e) {
            e->count = groups;
            rc = _keys_give(c->d, &keys, e);
            snprintf(e->message, sizeof e->message,
                     "%ld组户主姓名和出生日期相同的贫困户登记在不同的村,可能重复录入:%s", groups,
                     tzm_namelist_str(&names, "组"));
        } else {
            rc = -1;
        }
    }
    tz_buf_free(&names.text);
    tz_buf_free(&keys.text);
    return rc;
}

/* The same person (户主姓名 + birth date) registered in two villages. ID
 * uniqueness is enforced at import; this finds the same person entered with
 * different ID numbers (重复录入). */
static int _rule_household_duplicate(_rctx *c)
{
    tzm_query q;
    tzm_dupes x;
    _cand_row *rows = NULL;
    size_t n = 0;
    int rc = -1;
    memset(&x, 0, sizeof x);
    tzm_q_init(&q);
    /* the cache holds every row of a person (name + birth) seen in two villages */
    tz_buf_printf(&q.sql,
                  "SELECT h.head_name, h.id_number, h.village, h.hh_id FROM %s h "
                  "WHERE 1 = 1",
                  c->rt->agg ? "tz_agg_dup" : "households");
    _scope_region(c, &q, "h.village", TZ_LEVEL_VILLAGE);
    if (tzm_dupes_scan(c->s, &q, &x, c->d) == 0 && _dup_candidates(c, &x, &rows, &n) == 0)
        rc = _dup_report(c, rows, n);
    free(rows);
    tzm_dupes_free(&x);
    return rc;
}

/* Generic "rows matching a condition" data rule: runs q (freed; each row is
 * a key and optionally a display name) and reports "<count><head>:<names>".
 * Returns 0 or -1 (diag). */
static int _rule_rows(_rctx *c, tzm_query *q, const char *head)
{
    _list l = {0};
    tz_finding *e;
    l.names.max = 8;
    int rc = _collect(c, q, _row_key, &l, &l, &e);
    if (e)
        snprintf(e->message, sizeof e->message, "%ld%s:%s", l.n, head,
                 tzm_namelist_str(&l.names, "条"));
    _list_free(&l);
    return rc;
}

/* A data rule that is one fixed query: the rows it selects are the problem. */
typedef struct _rows_def {
    const char *sql;        /* SELECT key[, name] FROM ... WHERE ... (fixed text) */
    const char *region_col; /* code column restricted to the scope's region, or NULL */
    tz_level level;         /* level of the codes in region_col */
    const char *unit_col;   /* unit column restricted to the scope's unit, or NULL */
    const char *order;      /* ORDER BY clause */
    const char *head;       /* message after the count */
    int whole_db;           /* 1: checked only without a scope (the rows belong to no region) */
} _rows_def;

/* Runs the current rule's _rows_def. Returns 0 or -1 (diag). */
static int _rule_rows_def(_rctx *c)
{
    const _rows_def *r = c->rule->rows;
    if (r->whole_db && (c->rt->has_region || c->rt->unit))
        return 0;
    tzm_query q;
    tzm_q_init(&q);
    tz_buf_puts(&q.sql, r->sql);
    if (r->region_col)
        _scope_region(c, &q, r->region_col, r->level);
    if (r->unit_col)
        _scope_unit(c, &q, r->unit_col);
    tz_buf_puts(&q.sql, r->order);
    return _rule_rows(c, &q, r->head);
}

/* A village with registered households but no 户籍人口 row for the year:
 * its 贫困发生率 cannot be computed (checked when the ledger is kept at all). */
static int _rule_village_population(_rctx *c)
{
    int have = _have_populations(c);
    if (have <= 0)
        return have;
    tzm_query q;
    char head[200];
    tzm_q_init(&q);
    tz_buf_puts(&q.sql, "SELECT r.code, r.name FROM regions r WHERE r.level = '村'");
    _scope_region(c, &q, "r.code", TZ_LEVEL_VILLAGE);
    tz_buf_puts(&q.sql, " AND NOT EXISTS (SELECT 1 FROM populations p WHERE p.village = r.code "
                        "AND p.year = ");
    tzm_q_int(&q, c->year_end);
    tz_buf_puts(&q.sql, c->rt->agg ? ") AND EXISTS (SELECT 1 FROM tz_agg_pm g WHERE g.node = "
                                     "r.code AND g.yi <= "
                                   : ") AND EXISTS (SELECT 1 FROM households g WHERE g.village = "
                                     "r.code AND g.year_identified <= ");
    tzm_q_int(&q, c->year_end);
    tz_buf_puts(&q.sql, ") ORDER BY r.code");
    snprintf(head, sizeof head,
             "个有建档立卡贫困户的行政村没有%d年的农村户籍人口记录(户籍人口台账),"
             "无法计算贫困发生率",
             c->year_end);
    return _rule_rows(c, &q, head);
}

/* Paid subsidy above the promised subsidy (already refused at import; kept
 * for rows written by older versions or directly in the database). */
static const _rows_def _subsidy_paid = {
    .sql = "SELECT c.village FROM culture_centers c WHERE c.subsidy_paid > COALESCE(c.subsidy, 0)",
    .region_col = "c.village",
    .level = TZ_LEVEL_VILLAGE,
    .order = " ORDER BY c.village",
    .head = "个文化服务中心已拨付奖补超过奖补标准",
};

/* TV installs only for registered households (such rows belong to no region). */
static const _rows_def _tv_unregistered = {
    .sql = "SELECT t.hh_id FROM tv_installs t LEFT JOIN households h ON h.hh_id = t.hh_id WHERE "
           "h.hh_id IS NULL",
    .level = TZ_LEVEL_NONE,
    .order = " ORDER BY t.hh_id",
    .head = "条户户通安装记录的户编号不在建档立卡贫困户台账中",
    .whole_db = 1,
};

/* An aid input for a household is recorded in that household's village. */
static const _rows_def _aid_input_village = {
    .sql =
        "SELECT i.input_id, i.input_id || '(' || h.hh_id || ')' FROM aid_inputs i JOIN households h "
        "ON h.hh_id = i.hh_id WHERE h.village <> i.village",
    .region_col = "i.village",
    .level = TZ_LEVEL_VILLAGE,
    .unit_col = "i.unit",
    .order = " ORDER BY i.input_id",
    .head = "条到户帮扶投入的村代码与该户所在村不一致",
};

/* A cadre is stationed in a village that the unit aids. */
static const _rows_def _cadre_village = {
    .sql = "SELECT k.name || '/' || k.unit || '/' || k.village, k.name FROM aid_cadres k LEFT JOIN "
           "aid_villages a ON a.unit = k.unit AND a.village = k.village WHERE a.village IS NULL",
    .region_col = "k.village",
    .level = TZ_LEVEL_VILLAGE,
    .unit_col = "k.unit",
    .order = " ORDER BY 1",
    .head = "名驻村干部所驻的村不在其帮扶单位的帮扶村台账中",
};

/* Rule 10: one project, one unit. The same project (same name in the same
 * county) under two 项目编号 is counted twice. */
static const _rows_def _project_duplicate = {
    .sql =
        "SELECT p.project_id, p.name || '(' || p.project_id || ',' || p.unit || ')' FROM projects p "
        "WHERE EXISTS (SELECT 1 FROM projects o WHERE o.county = p.county AND o.name = p.name AND "
        "o.project_id <> p.project_id)",
    .region_col = "p.county",
    .level = TZ_LEVEL_COUNTY,
    .order = " ORDER BY p.county, p.name, p.project_id",
    .head = "个项目在同一县区重复登记(项目名称相同、项目编号不同),一个项目只能计入一个责任单位",
};

/* Rule 10: a county's own project lies in that county. */
static const _rows_def _project_unit_county = {
    .sql =
        "SELECT p.project_id, p.name || '(' || p.unit || ')' FROM projects p JOIN units u ON u.name "
        "= p.unit WHERE u.kind = '县区' AND p.county <> u.region",
    .region_col = "p.county",
    .level = TZ_LEVEL_COUNTY,
    .unit_col = "p.unit",
    .order = " ORDER BY p.project_id",
    .head = "个县区项目的所在县区代码不是责任单位本身(县区之间的项目不能交叉计算)",
};

/* _fadd for quality.c. */
static tz_finding *_fadd_cb(void *ctx)
{
    return _fadd(ctx);
}

/* Inputs not recorded: for each column an indicator or a rule reads, the
 * rows of the scope that hold no value in it (quality.c; each finding names
 * its own ledger). */
static int _rule_not_recorded(_rctx *c)
{
    return tzm_unrecorded_check(c->s, c->rt, c->where, _fadd_cb, c, c->d);
}

/* ---- the rule table ------------------------------------------------------ */

static const _rule _rules[] = {
    {.info = {.id = "poor_village_centre",
              .level = TZ_FINDING_PROBLEM,
              .summary = "贫困村2017年底前建成村级综合性文化服务中心"},
     .ledger = "regions",
     .fn = _rule_poor_village_centre,
     .deadline = "2017-12-31",
     .reads = "regions.level regions.poor culture_centers.year_built"},
    {.info = {.id = "centre_coverage",
              .level = TZ_FINDING_PROBLEM,
              .summary = "行政村2019年底前100%建有达标的文化服务中心"},
     .ledger = "regions",
     .fn = _rule_centre_coverage,
     .deadline = "2019-12-31",
     .reads = "regions.level culture_centers.year_built culture_centers.compliant"},
    {.info = {.id = "subsidy_owed",
              .level = TZ_FINDING_PROBLEM,
              .summary = "文化服务中心奖补资金应拨未拨"},
     .ledger = "culture_centers",
     .fn = _rule_subsidy_owed,
     .reads = "culture_centers.year_built culture_centers.subsidy culture_centers.subsidy_paid"},
    {.info = {.id = "tv_fault",
              .level = TZ_FINDING_PROBLEM,
              .summary = "户户通设备故障、无法正常收看"},
     .ledger = "tv_installs",
     .fn = _rule_tv_fault,
     .reads = "tv_installs.status tv_installs.install_date households.village"},
    {.info = {.id = "fdi_zero",
              .level = TZ_FINDING_PROBLEM,
              .summary = "县区年初至期末实际利用外资为零"},
     .ledger = "units",
     .fn = _rule_fdi_zero,
     .reads = "units.kind projects.unit project_funds.fdi_actual project_funds.month"},
    {.info = {.id = "no_new_foreign",
              .level = TZ_FINDING_PROBLEM,
              .summary = "年初至期末没有新上外资项目(合同外资及其中增资)"},
     .ledger = "projects",
     .fn = _rule_no_new_foreign,
     .reads = "projects.is_foreign projects.kind projects.fdi_contract projects.signed_date"},
    {.info = {.id = "unit_no_project",
              .level = TZ_FINDING_PROBLEM,
              .summary = "县区、专题招商组、市直单位年初至期末未引进签约项目"},
     .ledger = "units",
     .fn = _rule_unit_no_project,
     .reads = "units.kind projects.unit projects.signed_date"},
    {.info = {.id = "leading_industry",
              .level = TZ_FINDING_PROBLEM,
              .summary = "县区新签约项目和主导产业关联度不大"},
     .ledger = "projects",
     .fn = _rule_leading_industry,
     .reads = "units.kind regions.industries projects.industry projects.signed_date"},
    {.info =
         {.id = "village_exit",
          .level = TZ_FINDING_PROBLEM,
          .summary =
              "贫困村贫困发生率降到退出标准以下(2%,西部省份3%,见data/village_exit_thresholds.tsv)"},
     .ledger = "regions",
     .fn = _rule_village_exit,
     .reads =
         "regions.level regions.poor populations.rural_population households.members households.year_identified households.year_exited"},
    {.info = {.id = "household_exit",
              .level = TZ_FINDING_DATA,
              .summary = "已脱贫户人均纯收入须高于脱贫当年贫困线,两不愁三保障四项须为是"},
     .ledger = "households",
     .fn = _rule_household_exit,
     .reads =
         "households.year_exited households.income households.edu_ok households.med_ok households.house_ok households.water_ok"},
    {.info = {.id = "household_duplicate",
              .level = TZ_FINDING_DATA,
              .summary = "同一户主(姓名+出生日期)登记在两个村"},
     .ledger = "households",
     .fn = _rule_household_duplicate,
     .reads = "households.head_name households.id_number households.village"},
    {.info = {.id = "village_population",
              .level = TZ_FINDING_DATA,
              .summary = "有建档立卡贫困户的行政村须有当年农村户籍人口记录"},
     .ledger = "populations",
     .fn = _rule_village_population,
     .reads = "regions.level households.year_identified"},
    {.info = {.id = "subsidy_paid",
              .level = TZ_FINDING_DATA,
              .summary = "已拨付奖补不超过奖补标准"},
     .ledger = "culture_centers",
     .fn = _rule_rows_def,
     .rows = &_subsidy_paid},
    {.info = {.id = "tv_unregistered",
              .level = TZ_FINDING_DATA,
              .summary = "户户通只安装给建档立卡贫困户"},
     .ledger = "tv_installs",
     .fn = _rule_rows_def,
     .rows = &_tv_unregistered},
    {.info = {.id = "aid_input_village",
              .level = TZ_FINDING_DATA,
              .summary = "到户帮扶投入的村与该户所在村一致"},
     .ledger = "aid_inputs",
     .fn = _rule_rows_def,
     .rows = &_aid_input_village},
    {.info = {.id = "cadre_village",
              .level = TZ_FINDING_DATA,
              .summary = "驻村干部所驻村是其单位的帮扶村"},
     .ledger = "aid_cadres",
     .fn = _rule_rows_def,
     .rows = &_cadre_village},
    {.info = {.id = "project_duplicate",
              .level = TZ_FINDING_DATA,
              .summary = "同一项目不重复登记(不重复计算)"},
     .ledger = "projects",
     .fn = _rule_rows_def,
     .rows = &_project_duplicate},
    {.info = {.id = "project_unit_county",
              .level = TZ_FINDING_DATA,
              .summary = "县区项目位于本县区(县区之间不交叉)"},
     .ledger = "projects",
     .fn = _rule_rows_def,
     .rows = &_project_unit_county},
    {.info = {.id = "not_recorded",
              .level = TZ_FINDING_DATA,
              .summary = "指标和规则读取的列须有记录(空值即未记录,按列计数)"},
     .ledger = "households",
     .fn = _rule_not_recorded},
};

/* The public view: the tz_rule_info heading each rule, as an array. */
_Static_assert(offsetof(_rule, info) == 0, "the public part heads a rule");
static tz_rule_info _infos[N(_rules)];
static tzm_view _infos_view = TZM_VIEW(_infos, _rules);

const tz_rule_info *tz_rules_all(size_t *n)
{
    *n = N(_rules);
    return tzm_view_get(&_infos_view);
}

int tzm_rule_inputs(size_t i, const char **summary, const char **reads)
{
    if (i >= N(_rules))
        return 0;
    *summary = _rules[i].info.summary;
    *reads = _rules[i].rows ? _rules[i].rows->sql : _rules[i].reads;
    return 1;
}

const char *tzm_rule_ledger(const char *id)
{
    for (size_t i = 0; id && i < N(_rules); i++)
        if (!strcmp(_rules[i].info.id, id))
            return _rules[i].ledger;
    return NULL;
}

/* Scope words for messages. */
static int _scope_words(_rctx *c)
{
    const char *code = c->rt->has_region                       ? c->rt->region
                       : c->rt->unit && c->rt->has_unit_region ? c->rt->unit_region
                                                               : NULL;
    c->where[0] = '\0';
    if (!code)
        return 0;
    int r = tz_region_get(c->s, code, c->where, sizeof c->where, NULL);
    if (r < 0)
        return _dberr(c);
    return 0;
}

int tz_rules_check(tz_store *s, const tz_scope *sc, const tz_period *p, tz_finding **out, size_t *n,
                   tz_diags *d)
{
    tzm_scope_rt rt;
    _rctx c;
    memset(&c, 0, sizeof c);
    *out = NULL;
    *n = 0;
    if (!p) {
        tz_diags_error(d, NULL, 0, "期间", NULL, "规则检查需要指定期间");
        return -1;
    }
    if (tzm_scope_resolve(s, sc, &rt, d))
        return -1;
    c.s = s;
    c.rt = &rt;
    c.p = p;
    c.d = d;
    tzm_period_ytd(p, &c.ytd);
    tzm_period_basis(&c.ytd, c.when, sizeof c.when);
    /* "2015年1月至7月累计" reads "2015年1月至7月" inside a sentence */
    size_t wl = strlen(c.when), kl = strlen("累计");
    if (wl > kl && !strcmp(c.when + wl - kl, "累计"))
        c.when[wl - kl] = '\0';
    c.year_end = tzm_period_last_year(p);
    if (_scope_words(&c))
        return -1;
    for (size_t i = 0; i < N(_rules); i++) {
        c.rule = &_rules[i];
        if (_rules[i].deadline && strcmp(p->end, _rules[i].deadline) < 0)
            continue; /* before the deadline: progress, not a failure */
        if (_rules[i].fn(&c)) {
            tz_findings_free(c.out.v, c.out.n);
            return -1;
        }
    }
    /* a long list cut by the message buffer must not end inside a character */
    for (size_t i = 0; i < c.out.n; i++)
        tz_utf8_trim_cut(c.out.v[i].message);
    *out = c.out.v;
    *n = c.out.n;
    return 0;
}
