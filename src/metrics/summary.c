/* summary.c - the summaries: pre-aggregated household and 户户通 tables for
 * every region node, their version check and rebuild, and the summary form
 * of the indicators that read them (see metrics_impl.h and docs/metrics.md).
 *
 * A figure read from a summary equals the figure read from the ledgers: the
 * summaries are rebuilt whenever the data version moved, and a scope that is
 * not a whole region node falls back to the ledgers. The switch
 * TZ_METRICS_SUMMARY=0 (or tz_metrics_set_summaries(0)) reads the ledgers
 * always, which the tests and the benchmark use as the reference. */
#include "metrics/metrics_impl.h"
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Bump when the layout or meaning of a summary changes: older summaries are
 * then rebuilt on first use. */
#define AGG_FORMAT "agg12"

/* The advisory lock that serialises summary updates on PostgreSQL (the
 * schema upgrade's is 736172360, store.c). */
#define AGG_PG_LOCK "736172361"

/* Following the changes of more villages than this rebuilds in full. */
#define FOLLOW_MAX_VILLAGES 64
/* A record of tz_agg_touched that names a village, or a ledger instead
 * (store.h: TZ_TOUCHED_LEDGER_MARK). */
#define NOT_MARK "substr(village, 1, 1) <> '" TZ_TOUCHED_LEDGER_MARK "'"
#define IS_MARK "substr(village, 1, 1) = '" TZ_TOUCHED_LEDGER_MARK "'"

/* ---- the summary form of the indicators ----------------------------------
 * Each indicator's summary form is part of its definition (tzm_ind_def.agg in
 * indicators.c); these read it. */

int tzm_agg_view(const tzm_ind_def *def, tzm_ind_def *view)
{
    const tzm_agg_form *f = &def->agg;
    if (def->kind != TZM_IND_SQL || !f->from)
        return 0;
    *view = *def;
    view->from = f->from;
    view->where = f->where;
    view->value = f->value;
    view->date_col = f->date_col;
    view->date_type = f->date_type;
    view->end_col = f->end_col;
    view->region_col = "g.node";
    view->region_level = TZ_LEVEL_NONE;
    view->unit_col = NULL;
    view->dims = f->dims; /* the groupings the summary keeps, over g */
    return 1;
}

const char *tzm_agg_having(const tzm_ind_def *def)
{
    return def->agg.from ? def->agg.having : NULL;
}

/* ---- scope to node ------------------------------------------------------- */

/* 1 when the range is exactly a region node: digits significant, then zeros
 * (low end) and nines (high end). */
static int _whole_node(const tzm_range *r)
{
    if (r->digits < 2 || r->digits > 12 || strlen(r->lo) != 12 || strlen(r->hi) != 12)
        return 0;
    for (int k = r->digits; k < 12; k++)
        if (r->lo[k] != '0' || r->hi[k] != '9')
            return 0;
    return !strncmp(r->lo, r->hi, (size_t)r->digits);
}

/* 1 when node a (digits da) contains node b (digits db). */
static int _contains(const tzm_range *a, const tzm_range *b)
{
    return a->digits <= b->digits && !strncmp(a->lo, b->lo, (size_t)a->digits);
}

int tzm_agg_node(const tzm_scope_rt *rt, char node[13], int *digits)
{
    const tzm_range *r[2];
    int n = 0;
    if (rt->has_region)
        r[n++] = &rt->range;
    if (rt->unit && rt->has_unit_region)
        r[n++] = &rt->urange;
    for (int i = 0; i < n; i++)
        if (!_whole_node(r[i]))
            return -1;
    if (n == 0) {
        node[0] = '\0';
        *digits = 0;
        return 1;
    }
    const tzm_range *in = r[0];
    if (n == 2) {
        if (_contains(r[0], r[1]))
            in = r[1];
        else if (!_contains(r[1], r[0]))
            return 0; /* two disjoint regions: nothing is in both */
    }
    snprintf(node, 13, "%s", in->lo);
    *digits = in->digits;
    return 1;
}

/* ---- switch -------------------------------------------------------------- */

static int _forced = -1; /* -1: the environment decides; 0 off; 1 on */

void tz_metrics_set_summaries(int on)
{
    _forced = on ? 1 : 0;
}

static int _enabled(void)
{
    if (_forced >= 0)
        return _forced;
    const char *e = getenv("TZ_METRICS_SUMMARY");
    return !(e && (!strcmp(e, "0") || !strcmp(e, "off")));
}

/* ---- version ------------------------------------------------------------- */

/* The version the summaries must carry: format, data version and a hash of
 * the poverty lines (the exit-rule cache depends on them). */
static int _want(tz_store *s, char *out, size_t sz)
{
    long long dv = 0;
    if (tz_store_scalar_int(s, "SELECT value FROM tz_meta WHERE key = 'data_version'", NULL, &dv))
        return -1;
    int years[TZM_LINES_MAX], n = 0;
    double lines[TZM_LINES_MAX];
    tz_diags tmp = TZ_DIAGS_INIT;
    uint64_t h = TZM_FNV_INIT;
    if (tzm_lines_copy(years, lines, &n, &tmp) == 0) {
        for (int i = 0; i < n; i++) {
            char item[64];
            snprintf(item, sizeof item, "%d=%.4f;", years[i], lines[i]);
            h = tzm_fnv(h, item);
        }
    } else {
        h = 0; /* no lines: the exit rule reads the ledger (and reports the missing file) */
    }
    tz_diags_clear(&tmp);
    /* and which columns tz_agg_null holds the gaps of (quality.c) */
    uint64_t cols = tzm_fnv(TZM_FNV_INIT, tzm_unrecorded_layout());
    snprintf(out, sz, "%s:%lld:%016llx:%016llx", AGG_FORMAT, dv, (unsigned long long)h,
             (unsigned long long)cols);
    return 0;
}

/* The version the summaries carry, or "" when never built. */
static int _have(tz_store *s, char *out, size_t sz)
{
    tz_stmt *st = NULL;
    int rc = -1;
    out[0] = '\0';
    if (tz_store_prepare(s, "SELECT value FROM tz_meta WHERE key = 'agg_version'", &st))
        return -1;
    int r = tz_stmt_step(st);
    if (r == 1 && tz_stmt_text(st, 0))
        snprintf(out, sz, "%s", tz_stmt_text(st, 0));
    if (r >= 0)
        rc = 0;
    tz_stmt_free(st);
    return rc;
}

/* ---- rule caches ------------------------------------------------------------
 * The candidate rows of three rules (rules.c), kept with the summaries:
 * tz_agg_exit (household_exit), tz_agg_fault (tv_fault) and tz_agg_dup
 * (household_duplicate). */

static int _cache_exec(tz_store *s, const char *sql, tz_diags *d)
{
    if (tz_store_exec(s, sql) == 0)
        return 0;
    tz_diags_error(d, NULL, 0, NULL, NULL, "无法更新规则缓存表: %s", tz_store_errmsg(s));
    return -1;
}

/* Appends the rows of tz_agg_exit: "SELECT ... FROM households h WHERE ...". */
static void _exit_select(tz_buf *sql)
{
    int years[TZM_LINES_MAX], n = 0;
    double lines[TZM_LINES_MAX];
    tz_diags tmp = TZ_DIAGS_INIT;
    int have_lines = tzm_lines_copy(years, lines, &n, &tmp) == 0;
    tz_diags_clear(&tmp);
    tz_buf_puts(sql, "SELECT h.hh_id, h.village, h.year_exited, h.income, h.edu_ok, h.med_ok, "
                     "h.house_ok, h.water_ok FROM households h");
    if (have_lines)
        tzm_exit_cond(sql, years, lines, n);
    else
        tz_buf_puts(sql, " WHERE 1 = 0");
}

/* Creates tz_agg_exit and tz_agg_fault, and an empty tz_agg_dup. */
static int _cache_tables(tz_store *s, tz_diags *d)
{
    tz_buf sql = TZ_BUF_INIT;
    /* household_exit: the rows its condition selects under the current lines
     * (none when the lines cannot be loaded: the rule then reads the ledger
     * and reports the missing file) */
    tz_buf_puts(&sql, "DROP TABLE IF EXISTS tz_agg_exit; CREATE TABLE tz_agg_exit AS ");
    _exit_select(&sql);
    tz_buf_puts(&sql, "; CREATE INDEX tz_agg_exit_ix ON tz_agg_exit (village);"
                      /* tv_fault: faulty installs of registered households */
                      "DROP TABLE IF EXISTS tz_agg_fault; CREATE TABLE tz_agg_fault AS SELECT "
                      "t.hh_id, h.village, t.install_date FROM tv_installs t JOIN households h "
                      "ON h.hh_id = t.hh_id WHERE t.status = '故障';"
                      /* covering: a county's faults are one range of the index
                       * (the table's rows lie in households' order) */
                      "CREATE INDEX tz_agg_fault_ix ON tz_agg_fault (village, install_date, "
                      "hh_id);"
                      /* household_duplicate: filled by _cache_dupes */
                      "DROP TABLE IF EXISTS tz_agg_dup; CREATE TABLE tz_agg_dup AS SELECT "
                      "h.head_name, h.id_number, h.village, h.hh_id FROM households h "
                      "WHERE 1 = 0;");
    int rc = !sql.data ? -1 : _cache_exec(s, tz_buf_str(&sql), d);
    tz_buf_free(&sql);
    return rc;
}

/* The birth date of a person of row alias x as tzm_dupes_add keys it:
 * digits 7-14 of the ID number, "" when shorter or none. */
static void _birth(const char *x, char *out, size_t sz)
{
    snprintf(out, sz,
             "CASE WHEN length(COALESCE(%s.id_number, '')) >= 14 THEN substr(%s.id_number, 7, 8) "
             "ELSE '' END",
             x, x);
}

/* Candidates copied into tz_agg_dup per statement: a statement a row
 * had cost PostgreSQL a round trip each, ~6 s for the 86 717 candidates
 * of 10 000 000 households. */
#define DUP_BATCH 256

/* Copies the n households hh into tz_agg_dup with one statement, prepared
 * into *st at first use (one for the whole batches, one for the last).
 * Returns 0 or -1 (database error). */
static int _dup_batch(tz_store *s, tz_stmt **st, const char *const *hh, size_t n)
{
    if (!*st) {
        tz_buf q = TZ_BUF_INIT;
        tz_buf_puts(&q, "INSERT INTO tz_agg_dup (head_name, id_number, village, hh_id) SELECT "
                        "head_name, id_number, village, hh_id FROM households WHERE hh_id IN (?");
        for (size_t j = 1; j < n; j++)
            tz_buf_puts(&q, ", ?");
        tz_buf_puts(&q, ")");
        int rc = !q.data || tz_store_prepare(s, tz_buf_str(&q), st) ? -1 : 0;
        tz_buf_free(&q);
        if (rc)
            return -1;
    }
    tz_stmt_reset(*st);
    for (size_t j = 0; j < n; j++)
        if (tz_stmt_bind_text(*st, (int)j + 1, hh[j]))
            return -1;
    return tz_stmt_step(*st) < 0 ? -1 : 0;
}

/* Copies the rows of x that are candidates from households into
 * tz_agg_dup, DUP_BATCH per statement. Returns 0 or -1 (database error). */
static int _dup_insert(tz_store *s, const tzm_dupes *x)
{
    tz_stmt *whole = NULL, *last = NULL;
    const char *hh[DUP_BATCH];
    size_t n = 0;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < x->nrows; i++) {
        if (!tzm_dupes_is_dup(x, i))
            continue;
        hh[n++] = tzm_dupes_hh(x, i);
        if (n == DUP_BATCH) {
            rc = _dup_batch(s, &whole, hh, n);
            n = 0;
        }
    }
    if (rc == 0 && n)
        rc = _dup_batch(s, &last, hh, n);
    tz_stmt_free(whole);
    tz_stmt_free(last);
    return rc;
}

/* The rows a full build of tz_agg_dup reads: every household's person. */
#define DUP_SELECT "SELECT h.head_name, h.id_number, h.village, h.hh_id FROM households h"

/* A full rebuild's two reads of every household that write nothing
 * until their end — the duplicate-person scan (0.35 s at 1 000 000
 * households, 4.2 s at 10 000 000) and the gap counts (0.23 s, 2.5 s) — on
 * a thread and a connection of their own, while the rebuilding connection
 * writes the village stage, the roll-ups and the rule caches
 * (docs/decisions.md, "The reads beside the rebuild"). The rebuild holds
 * the write lock, so their snapshot is the data the rebuild reads. */
typedef struct side_scan {
    pthread_t th;
    tz_store *r;    /* its connection (tz_store_reader: s's, kept with s) */
    tzm_dupes x;    /* the persons read */
    int xrc;        /* 0 when x is whole */
    tzm_gaps *gaps; /* the village gap rows, or NULL */
    tz_diags d;     /* why a read failed: the rebuild then reads itself */
} side_scan;

static void *_side_run(void *arg)
{
    side_scan *j = arg;
    tzm_query q;
    tzm_q_init(&q);
    tz_buf_puts(&q.sql, DUP_SELECT);
    j->xrc = -1;
    int began = tz_store_read_begin(j->r);
    if (began < 0) {
        tzm_q_free(&q);
        return NULL;
    }
    j->xrc = tzm_dupes_scan(j->r, &q, &j->x, &j->d); /* frees q */
    (void)tzm_gaps_read(j->r, &j->gaps, &j->d);
    if (began)
        tz_store_read_end(j->r);
    return NULL;
}

/* Starts the reads beside a full rebuild of s (in its write transaction),
 * or NULL when s has no second connection to give (PostgreSQL, a rollback
 * journal) or a thread is not to be had: the rebuild reads itself. */
static side_scan *_side_start(tz_store *s)
{
    side_scan *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->d = (tz_diags)TZ_DIAGS_INIT;
    if (tz_store_reader(s, &j->r) != 1 || pthread_create(&j->th, NULL, _side_run, j)) {
        free(j);
        return NULL;
    }
    if (getenv("TZ_METRICS_TRACE"))
        fprintf(stderr, "[metrics] 重复户与未填项在第二个连接上读取\n");
    return j;
}

/* Waits for the reads of j; what they read stays in j (NULL: nothing). */
static void _side_wait(side_scan *j)
{
    if (!j || !j->r)
        return;
    (void)pthread_join(j->th, NULL);
    j->r = NULL; /* s's reader, free for the next rebuild */
}

/* Prints why a read beside the rebuild failed (TZ_METRICS_TRACE). */
static void _side_trace(const side_scan *j)
{
    if (!getenv("TZ_METRICS_TRACE"))
        return;
    for (size_t i = 0; i < j->d.n; i++)
        fprintf(stderr, "[metrics] 第二个连接读取失败,改在本连接读取: %s\n", j->d.items[i].reason);
}

/* Waits for j when it still reads and frees it with what it read. */
static void _side_free(side_scan *j)
{
    if (!j)
        return;
    _side_wait(j);
    tzm_dupes_free(&j->x);
    tzm_gaps_free(j->gaps);
    tz_diags_clear(&j->d);
    free(j);
}

/* The persons j read beside the rebuild, taken over by the caller (who
 * frees them), or NULL when j is NULL or its read failed (said under
 * TZ_METRICS_TRACE; what it had read is freed first). Waits for j. */
static int _side_persons(side_scan *j, tzm_dupes *x)
{
    _side_wait(j);
    if (!j)
        return -1;
    if (j->xrc == 0) {
        *x = j->x;
        memset(&j->x, 0, sizeof j->x);
        if (getenv("TZ_METRICS_TRACE"))
            fprintf(stderr, "[metrics] 重复户:用第二个连接读到的行\n");
        return 0;
    }
    _side_trace(j);
    tzm_dupes_free(&j->x);
    memset(&j->x, 0, sizeof j->x);
    return -1;
}

/* Fills tz_agg_dup: every row of a name + birth date seen in two villages
 * (hash candidates: the rule re-checks them exactly, within its scope).
 * A full build (touched NULL) takes the persons side read when it could. */
static int _cache_dupes(tz_store *s, const char *touched, side_scan *side, tz_diags *d)
{
    tzm_dupes x;
    tzm_query q;
    int rc = -1;
    memset(&x, 0, sizeof x);
    tzm_q_init(&q);
    tz_buf_puts(&q.sql, DUP_SELECT);
    if (touched) {
        /* following changes: a person's rows can change from one village to
         * two (or back) only if one of them is in a touched village now, or
         * was a candidate there. Those persons (name and birth date, an
         * empty one "" as in the scan) go into tz_agg_dp; every row of each
         * is read through the (name, ID number) index, and their candidates
         * replaced. A join on the pairs, not the names' rows filtered by
         * every date of the village: at 10 000 000 households a village's
         * ~370 names have ~70 000 rows, and testing each against the list
         * of dates had been 36 of this stage's 39 ms. */
        char bh[160], bd[160], bx[160];
        _birth("households", bh, sizeof bh);
        _birth("tz_agg_dup", bd, sizeof bd);
        _birth("h", bx, sizeof bx);
        tz_buf pairs = TZ_BUF_INIT;
        tz_buf_printf(&pairs,
                      "DROP TABLE IF EXISTS tz_agg_dp; CREATE TEMP TABLE tz_agg_dp AS SELECT "
                      "COALESCE(head_name, '') AS n, %s AS b FROM households WHERE village IN "
                      "(SELECT village FROM tz_agg_touched WHERE %s) UNION SELECT "
                      "COALESCE(head_name, ''), %s FROM tz_agg_dup WHERE village IN (SELECT "
                      "village FROM tz_agg_touched WHERE %s)",
                      bh, touched, bd, touched);
        int r = !pairs.data ? -1 : tz_store_exec(s, tz_buf_str(&pairs));
        tz_buf_free(&pairs);
        if (r)
            goto dberr;
        /* the pairs first (CROSS JOIN fixes SQLite's order), each a seek
         * of the name's index by the name itself, not COALESCE(...) */
        tz_buf_reset(&q.sql);
        tz_buf_printf(&q.sql,
                      "SELECT h.head_name, h.id_number, h.village, h.hh_id FROM tz_agg_dp p "
                      "CROSS JOIN households h WHERE h.head_name = p.n AND %s = p.b UNION ALL "
                      "SELECT h.head_name, h.id_number, h.village, h.hh_id FROM households h "
                      "WHERE h.head_name IS NULL AND %s IN (SELECT b FROM tz_agg_dp WHERE n = '')",
                      bx, bx);
    }
    if (!touched && _side_persons(side, &x) == 0)
        tzm_q_free(&q); /* read beside the rebuild */
    else if (tzm_dupes_scan(s, &q, &x, d))
        goto done;
    if (touched) {
        tz_buf del = TZ_BUF_INIT;
        char bd[160];
        _birth("tz_agg_dup", bd, sizeof bd);
        /* the name itself, not COALESCE(...): tz_agg_dup_name_ix answers (a
         * scan of every candidate was 28 ms at 10 000 000 households) */
        tz_buf_printf(&del,
                      "DELETE FROM tz_agg_dup WHERE (head_name IN (SELECT n FROM tz_agg_dp) OR "
                      "(head_name IS NULL AND '' IN (SELECT n FROM tz_agg_dp))) AND "
                      "(COALESCE(head_name, ''), %s) IN (SELECT n, b FROM tz_agg_dp); DROP TABLE "
                      "tz_agg_dp",
                      bd);
        int r = !del.data ? -1 : tz_store_exec(s, tz_buf_str(&del));
        tz_buf_free(&del);
        if (r)
            goto dberr;
    }
    if (_dup_insert(s, &x))
        goto dberr;
    rc = touched ? 0
                 : _cache_exec(s,
                               /* covering, as tz_agg_fault_ix */
                               "CREATE INDEX tz_agg_dup_ix ON tz_agg_dup (village, head_name, "
                               "id_number, hh_id);"
                               "CREATE INDEX tz_agg_dup_name_ix ON tz_agg_dup (head_name)",
                               d);
    goto done;
dberr:
    tz_diags_error(d, NULL, 0, NULL, NULL, "数据库查询失败: %s", tz_store_errmsg(s));
done:
    tzm_dupes_free(&x);
    return rc;
}

/* ---- rebuild ------------------------------------------------------------- */

/* tz_agg_pm: a village's registered members by 识别年度 and 脱贫年度 alone,
 * the sums of its tz_agg_hh rows over the install months. The 贫困发生率
 * of every poor village of a county reads ~20 rows a village here instead
 * of ~200 there (docs/decisions.md, "A village's members by year"). */
#define AGG_PM_DDL                                                                                 \
    "DROP TABLE IF EXISTS tz_agg_pm;"                                                              \
    "CREATE TABLE tz_agg_pm (node TEXT NOT NULL, yi BIGINT, ye BIGINT, members BIGINT);"
#define AGG_PM_SELECT "SELECT node, yi, ye, SUM(members) FROM tz_agg_hh WHERE digits = 12"

static const char *const _ddl =
    /* dropped, not emptied: an older format lacks a column */
    "DROP TABLE IF EXISTS tz_agg_hh;"
    /* mn: the households whose 家庭人口 is recorded (members is NULL when
     * none is, as SUM is; a change then applies to a node as a difference) */
    "CREATE TABLE tz_agg_hh (node TEXT NOT NULL, digits INTEGER NOT NULL, "
    "yi BIGINT, ye BIGINT, inst TEXT, n BIGINT NOT NULL, members BIGINT, mn BIGINT NOT NULL);"
    /* installer: the 安装单位 grouping (indicators.c's summary dimensions) */
    "DROP TABLE IF EXISTS tz_agg_tv;"
    "CREATE TABLE tz_agg_tv (node TEXT NOT NULL, digits INTEGER NOT NULL, "
    "month TEXT, status TEXT, installer TEXT, n BIGINT NOT NULL);"
    /* what writers touched since (store/touched.c): none now */
    TZ_TOUCHED_DDL ";"
    "DELETE FROM tz_agg_touched;"
    /* village nodes from the ledgers. The plans matter (docs/decisions.md,
     * "Summary rebuild plans"): grouping by h.village itself lets SQLite walk
     * households_village_ix and fetch every row out of table order, one random
     * read each; `h.village || ''` (the same text, NULL stays NULL) is no
     * index column, so households is read once in table order (each with one
     * key lookup of its install, whose month the 户户通 task counts read) and
     * grouped in a temporary b-tree. The install summary is driven from tv_installs
     * (CROSS JOIN fixes the order in SQLite; PostgreSQL plans it as any
     * join): a scan of the installs with one key lookup each, instead of
     * every household in village order probing tv_installs. */
    "INSERT INTO tz_agg_hh (node, digits, yi, ye, inst, n, members, mn) SELECT h.village || '', "
    "12, h.year_identified, h.year_exited, substr(t.install_date, 1, 7), COUNT(*), "
    "SUM(h.members), COUNT(h.members) FROM households h LEFT JOIN tv_installs t ON t.hh_id = "
    "h.hh_id "
    "GROUP BY h.village || '', h.year_identified, h.year_exited, substr(t.install_date, 1, 7);"
    /* covering: a node's rows are read from the index alone, in order (the
     * roll-up of a level reads every row under a node). Built after the
     * village rows, by one sort: 5.5 million of them at 10 000 000
     * households, each a B-tree insert had the index come first */
    "CREATE INDEX tz_agg_hh_ix ON tz_agg_hh (digits, node, yi, ye, inst, n, members);" AGG_PM_DDL
    "INSERT INTO tz_agg_pm (node, yi, ye, members) " AGG_PM_SELECT " GROUP BY node, yi, ye;"
    "CREATE INDEX tz_agg_pm_ix ON tz_agg_pm (node, yi, ye, members);"
    "INSERT INTO tz_agg_tv (node, digits, month, status, installer, n) SELECT h.village || '', 12, "
    "substr(t.install_date, 1, 7), t.status, t.installer, COUNT(*) FROM tv_installs t CROSS JOIN "
    "households h WHERE h.hh_id = t.hh_id GROUP BY h.village || '', substr(t.install_date, 1, 7), "
    "t.status, t.installer;"
    "CREATE INDEX tz_agg_tv_ix ON tz_agg_tv (digits, node, month, status, installer, n);";

/* The SQL of the node of level digits above a row's node: its first
 * digits characters padded with 0s (digits 0: the whole database's, ''). */
static void _node_sql(int digits, char *out, size_t sz)
{
    if (digits)
        tzm_prefix_sql("node", digits, 0, out, sz);
    else
        snprintf(out, sz, "CAST('' AS TEXT)");
}

/* Adds the nodes of one level (digits) from the nodes of the level below
 * it (src digits: a township's from its villages, a county's from its
 * townships, the whole database, digits 0, from the provinces). Levels are
 * rolled up from the bottom, so the level below is whole when read. */
static int _roll_up(tz_store *s, int digits, int src)
{
    tz_buf sql = TZ_BUF_INIT;
    char node[64], group[80] = "";
    _node_sql(digits, node, sizeof node);
    /* the whole database (digits 0) is one node: PostgreSQL refuses a constant in GROUP BY */
    if (digits)
        snprintf(group, sizeof group, "%s, ", node);
    tz_buf_printf(&sql,
                  "INSERT INTO tz_agg_hh (node, digits, yi, ye, inst, n, members, mn) SELECT %s, "
                  "%d, yi, ye, inst, SUM(n), SUM(members), SUM(mn) FROM tz_agg_hh WHERE digits = "
                  "%d GROUP BY %syi, ye, inst;"
                  "INSERT INTO tz_agg_tv (node, digits, month, status, installer, n) SELECT %s, "
                  "%d, month, status, installer, SUM(n) FROM tz_agg_tv WHERE digits = %d GROUP BY "
                  "%smonth, status, installer;",
                  node, digits, src, group, node, digits, src, group);
    int rc = tz_store_exec(s, tz_buf_str(&sql));
    tz_buf_free(&sql);
    return rc;
}

/* _roll_up at every level, township to province, then the whole database. */
static int _roll_up_all(tz_store *s)
{
    for (int lv = TZ_LEVEL_TOWNSHIP; lv >= TZ_LEVEL_PROVINCE; lv--)
        if (_roll_up(s, tz_level_digits((tz_level)lv), tz_level_digits((tz_level)(lv + 1))))
            return -1;
    return _roll_up(s, 0, tz_level_digits(TZ_LEVEL_PROVINCE));
}

/* ---- a change as a difference ------------------------------------------------
 * Following changes, a touched village's summary rows are re-derived; each
 * ancestor node (township up to the whole database) then takes the
 * difference, new rows minus old, group by group, instead of re-adding
 * every row below it (a county's roll-up reads all its townships' rows).
 * The figures are the same sums: n and mn add, members adds where some
 * household's 家庭人口 is recorded (mn > 0) and is NULL where none is, and
 * a group left with no household goes. */

/* One summary's groups and sums. */
typedef struct agg_delta {
    const char *table; /* tz_agg_hh or tz_agg_tv */
    const char *temp;  /* its difference table */
    const char *dims[3];
    int members; /* 1: n, members and mn; 0: n only */
} agg_delta;

static const agg_delta _deltas[] = {
    {"tz_agg_hh", "tz_agg_dh", {"yi", "ye", "inst"}, 1},
    {"tz_agg_tv", "tz_agg_dt", {"month", "status", "installer"}, 0},
};

/* Appends the statement saving (sign -1: before, negated) or adding (sign
 * 1: after) the village rows of the touched villages to x's difference. */
static void _delta_take(const agg_delta *x, int sign, const char *touched, tz_buf *sql)
{
    if (sign < 0)
        tz_buf_printf(sql, "DROP TABLE IF EXISTS %s; CREATE TEMP TABLE %s AS ", x->temp, x->temp);
    else
        tz_buf_printf(sql, "INSERT INTO %s ", x->temp);
    const char *m = sign < 0 ? "-" : "";
    tz_buf_printf(sql, "SELECT node, %s, %s, %s, %sn AS n", x->dims[0], x->dims[1], x->dims[2], m);
    if (x->members)
        tz_buf_printf(sql, ", %sCOALESCE(members, 0) AS m, %smn AS mn", m, m);
    tz_buf_printf(sql,
                  " FROM %s WHERE digits = 12 AND node IN (SELECT village FROM tz_agg_touched "
                  "WHERE %s);",
                  x->table, touched);
}

/* Appends "t.d IS s.d" for each dimension (NULL equals NULL). */
static void _delta_same(const agg_delta *x, int pg, const char *t, const char *s, tz_buf *sql)
{
    for (int i = 0; i < 3; i++)
        tz_buf_printf(sql, " AND %s.%s %s %s.%s", t, x->dims[i], pg ? "IS NOT DISTINCT FROM" : "IS",
                      s, x->dims[i]);
}

/* Appends the statements applying x's difference to every level above the
 * villages at once: the differences per ancestor (digits, node) and group
 * in one temporary table, then one UPDATE, one INSERT and one DELETE. Only
 * the groups whose sums change are kept: a village's re-derived rows are
 * mostly its old ones, and adding zero to every group of five ancestors
 * had been the largest part of a one-row follow. */
static void _delta_levels(const agg_delta *x, int pg, tz_buf *sql)
{
    const char *const *dm = x->dims;
    tz_buf_puts(sql, "DROP TABLE IF EXISTS tz_agg_dl; CREATE TEMP TABLE tz_agg_dl AS ");
    for (int lv = TZ_LEVEL_TOWNSHIP; lv >= TZ_LEVEL_PROVINCE - 1; lv--) {
        int digits = lv >= TZ_LEVEL_PROVINCE ? tz_level_digits((tz_level)lv) : 0;
        char node[64];
        _node_sql(digits, node, sizeof node);
        tz_buf_printf(sql,
                      "%sSELECT %s AS node, %d AS digits, %s, %s, %s, SUM(n) AS n%s FROM %s GROUP "
                      "BY %s%s%s, %s, %s HAVING SUM(n) <> 0%s",
                      lv < TZ_LEVEL_TOWNSHIP ? " UNION ALL " : "", node, digits, dm[0], dm[1],
                      dm[2], x->members ? ", SUM(m) AS m, SUM(mn) AS mn" : "", x->temp,
                      digits ? node : "", digits ? ", " : "", dm[0], dm[1], dm[2],
                      x->members ? " OR SUM(m) <> 0 OR SUM(mn) <> 0" : "");
    }
    tz_buf_printf(sql, "; CREATE INDEX tz_agg_dl_ix ON tz_agg_dl (digits, node, %s, %s, %s);",
                  dm[0], dm[1], dm[2]);
    /* groups a node has: add */
    tz_buf_printf(sql, "UPDATE %s SET n = %s.n + d.n", x->table, x->table);
    if (x->members)
        tz_buf_printf(sql,
                      ", members = CASE WHEN %s.mn + d.mn > 0 THEN COALESCE(%s.members, 0) + d.m "
                      "END, mn = %s.mn + d.mn",
                      x->table, x->table, x->table);
    /* the nodes' rows by the index, each group's difference by the other
     * (SQLite plans the nodes' whole levels against the difference otherwise) */
    tz_buf_printf(sql,
                  " FROM tz_agg_dl d WHERE %s.digits IN (SELECT digits FROM tz_agg_dl) AND "
                  "%s.node IN (SELECT node FROM tz_agg_dl) AND %s.digits = d.digits AND %s.node "
                  "= d.node",
                  x->table, x->table, x->table, x->table);
    _delta_same(x, pg, x->table, "d", sql);
    /* groups it has not: insert */
    tz_buf_printf(sql,
                  "; INSERT INTO %s (node, digits, %s, %s, %s, n%s) SELECT d.node, d.digits, d.%s, "
                  "d.%s, d.%s, d.n%s FROM tz_agg_dl d WHERE d.n <> 0 AND NOT EXISTS (SELECT 1 "
                  "FROM %s g WHERE g.digits = d.digits AND g.node = d.node",
                  x->table, dm[0], dm[1], dm[2], x->members ? ", members, mn" : "", dm[0], dm[1],
                  dm[2], x->members ? ", CASE WHEN d.mn > 0 THEN d.m END, d.mn" : "", x->table);
    _delta_same(x, pg, "g", "d", sql);
    /* groups left with no household: go (a group with none is never kept,
     * so the digits x nodes product finds only the ancestors' emptied ones) */
    tz_buf_printf(sql,
                  "); DELETE FROM %s WHERE digits IN (SELECT digits FROM tz_agg_dl) AND node IN "
                  "(SELECT node FROM tz_agg_dl) AND n = 0;",
                  x->table);
}

/* Appends the statements that apply both differences at every level above
 * the villages, and drop the difference tables. */
static void _delta_apply(tz_store *s, tz_buf *sql)
{
    int pg = tz_store_backend(s) == TZ_BACKEND_PG;
    for (size_t i = 0; i < N(_deltas); i++) {
        _delta_levels(&_deltas[i], pg, sql);
        tz_buf_printf(sql, "DROP TABLE %s;", _deltas[i].temp);
    }
    tz_buf_puts(sql, "DROP TABLE tz_agg_dl;");
}

/* Traces one stage of a rebuild (TZ_METRICS_TRACE) and restarts the clock. */
static void _stage(const char *what, double *t)
{
    double now = tzm_q_now();
    if (getenv("TZ_METRICS_TRACE"))
        fprintf(stderr, "[metrics] %8.2f ms  汇总表: %s\n", now - *t, what);
    *t = now;
}

/* ---- following changes -------------------------------------------------------
 * Writers record the villages they touched (store/touched.c: tz_agg_touched,
 * the data versions before and after each write; on SQLite the row triggers
 * record every other writer's too). When those records carry the summaries'
 * data version to the current one without a gap, only the touched villages
 * are re-derived; otherwise (a write they do not cover: another ledger, a
 * village unknown, a PostgreSQL writer outside taizhang) the summaries are
 * rebuilt in full. */

/* The data version in a version string "agg5:DV:lines:cols", and the rest
 * after it; 0, or -1 when it is not one. */
static int _split(const char *v, long long *dv, const char **rest)
{
    const char *a = strchr(v, ':');
    char *end = NULL;
    if (!a)
        return -1;
    *dv = strtoll(a + 1, &end, 10);
    if (end == a + 1 || *end != ':')
        return -1;
    *rest = end;
    return 0;
}

/* 1 when the records carry version `from` to `to` without a gap, 0 when
 * not, -1 on a database error. */
static int _covered(tz_store *s, long long from, long long to)
{
    char sql[160];
    tz_stmt *st = NULL;
    long long end = from;
    int r;
    snprintf(sql, sizeof sql,
             "SELECT DISTINCT from_dv, to_dv FROM tz_agg_touched WHERE to_dv > %lld ORDER BY "
             "from_dv, to_dv",
             from);
    if (tz_store_prepare(s, sql, &st))
        return -1;
    /* records overlap (a row trigger's one step inside a writer's whole
     * span): every step must lie in some record */
    while ((r = tz_stmt_step(st)) == 1) {
        long long f = tz_stmt_int(st, 0), t = tz_stmt_int(st, 1);
        if (f > end)
            break;
        if (t > end)
            end = t;
    }
    tz_stmt_free(st);
    if (r < 0)
        return -1;
    return r == 0 && end == to;
}

/* Whether the summaries at version have can follow the changes to want:
 * the same format, lines and columns, and records without a gap. Sets
 * *from to have's data version. 1 yes, 0 no, -1 on a database error. */
static int _can_follow(tz_store *s, const char *want, const char *have, long long *from)
{
    long long to;
    const char *wrest, *hrest;
    if (!*have || _split(want, &to, &wrest) || _split(have, from, &hrest) ||
        strncmp(want, have, (size_t)(strchr(want, ':') - want + 1)) != 0 ||
        strcmp(wrest, hrest) != 0 || *from > to)
        return 0;
    int r = _covered(s, *from, to);
    if (r != 1)
        return r;
    /* many villages: the full rebuild reads each ledger once in table order,
     * where following them would fetch their rows through the village index */
    char sql[160];
    long long n = 0, unknown = 0;
    snprintf(sql, sizeof sql,
             "SELECT COUNT(DISTINCT village) FROM tz_agg_touched WHERE to_dv > %lld AND " NOT_MARK,
             *from);
    if (tz_store_scalar_int(s, sql, NULL, &n))
        return -1;
    /* a write whose village is unknown (an install of no registered household) */
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM tz_agg_touched WHERE to_dv > %lld AND village = ''", *from);
    if (tz_store_scalar_int(s, sql, NULL, &unknown))
        return -1;
    return n <= FOLLOW_MAX_VILLAGES && unknown == 0;
}

/* Traces the villages re-derived (TZ_METRICS_TRACE): "重新汇总的村: a b c",
 * and the ledgers whose gaps are counted again: "重新统计未填项的台账: x". */
static void _trace_villages(tz_store *s, const char *in_touched)
{
    if (!getenv("TZ_METRICS_TRACE"))
        return;
    static const char *const what[2] = {"重新汇总的村", "重新统计未填项的台账"};
    for (int k = 0; k < 2; k++) {
        tz_buf sql = TZ_BUF_INIT, out = TZ_BUF_INIT;
        tz_stmt *st = NULL;
        tz_buf_printf(&sql, "SELECT DISTINCT %s FROM tz_agg_touched WHERE %s AND %s ORDER BY 1",
                      k ? "substr(village, 2)" : "village", in_touched, k ? IS_MARK : NOT_MARK);
        if (sql.data && tz_store_prepare(s, tz_buf_str(&sql), &st) == 0)
            while (tz_stmt_step(st) == 1)
                tz_buf_printf(&out, " %s", tz_stmt_text(st, 0) ? tz_stmt_text(st, 0) : "");
        if (!k || out.len)
            fprintf(stderr, "[metrics] %s:%s\n", what[k], tz_buf_str(&out));
        tz_stmt_free(st);
        tz_buf_free(&sql);
        tz_buf_free(&out);
    }
}

/* The ledgers named by the records after data version `from` (writes of a
 * ledger no village summary reads): their gaps, and those of the ledgers
 * placed through them, are counted again. Returns 0 or -1 (a diag). */
static int _follow_ledgers(tz_store *s, const char *touched, tz_diags *d)
{
    tz_buf sql = TZ_BUF_INIT, ids = TZ_BUF_INIT; /* ids: each NUL-terminated, back to back */
    tz_stmt *st = NULL;
    int r, rc = -1;
    tz_buf_printf(&sql, "SELECT DISTINCT substr(village, 2) FROM tz_agg_touched WHERE %s AND %s",
                  touched, IS_MARK);
    if (!sql.data || tz_store_prepare(s, tz_buf_str(&sql), &st))
        goto dberr;
    while ((r = tz_stmt_step(st)) == 1) {
        const char *id = tz_stmt_text(st, 0) ? tz_stmt_text(st, 0) : "";
        if (tz_buf_add(&ids, id, strlen(id) + 1)) {
            tz_diags_error(d, NULL, 0, NULL, NULL, "内存不足,无法更新指标汇总表");
            goto done;
        }
    }
    tz_stmt_free(st);
    st = NULL;
    if (r < 0)
        goto dberr;
    /* the statement is done before the ledgers' gaps are written */
    for (size_t i = 0; i < ids.len; i += strlen(ids.data + i) + 1)
        if (tzm_unrecorded_ledger(s, ids.data + i, d))
            goto done;
    rc = 0;
    goto done;
dberr:
    tz_diags_error(d, NULL, 0, NULL, NULL, "数据库查询失败: %s", tz_store_errmsg(s));
done:
    tz_stmt_free(st);
    tz_buf_free(&sql);
    tz_buf_free(&ids);
    return rc;
}

/* Re-derives the summary rows and rule caches of the villages touched after
 * data version `from`, and re-rolls their ancestors. Returns 0 or -1 (a
 * diag for the caches; the caller adds the database's message otherwise:
 * *quiet says which). */
static int _follow(tz_store *s, long long from, int *quiet, tz_diags *d)
{
    char touched[96];
    tz_buf sql = TZ_BUF_INIT;
    int rc = -1;
    *quiet = 0;
    snprintf(touched, sizeof touched, "to_dv > %lld", from);
    _trace_villages(s, touched);
    /* only writes of ledgers no village summary reads: their gap counts */
    char sql1[256];
    long long villages = 0;
    snprintf(sql1, sizeof sql1, "SELECT COUNT(*) FROM tz_agg_touched WHERE %s AND " NOT_MARK,
             touched);
    if (tz_store_scalar_int(s, sql1, NULL, &villages))
        goto done;
    if (!villages) {
        *quiet = 1;
        rc = _follow_ledgers(s, touched, d);
        goto done;
    }
#define V "(SELECT village FROM tz_agg_touched WHERE %s)"
    for (size_t i = 0; i < N(_deltas); i++)
        _delta_take(&_deltas[i], -1, touched, &sql);
    tz_buf_printf(&sql,
                  "DELETE FROM tz_agg_hh WHERE digits = 12 AND node IN " V ";"
                  "DELETE FROM tz_agg_tv WHERE digits = 12 AND node IN " V ";"
                  "INSERT INTO tz_agg_hh (node, digits, yi, ye, inst, n, members, mn) SELECT "
                  "h.village, 12, h.year_identified, h.year_exited, substr(t.install_date, 1, 7), "
                  "COUNT(*), SUM(h.members), COUNT(h.members) FROM households h LEFT JOIN "
                  "tv_installs t ON t.hh_id = h.hh_id WHERE h.village IN " V " GROUP BY "
                  "h.village, h.year_identified, h.year_exited, substr(t.install_date, 1, 7);"
                  "INSERT INTO tz_agg_tv (node, digits, month, status, installer, n) SELECT "
                  "h.village, 12, substr(t.install_date, 1, 7), t.status, t.installer, COUNT(*) "
                  "FROM households h JOIN tv_installs t ON t.hh_id = h.hh_id WHERE h.village IN " V
                  " GROUP BY h.village, substr(t.install_date, 1, 7), t.status, t.installer;"
                  "DELETE FROM tz_agg_pm WHERE node IN " V ";"
                  "INSERT INTO tz_agg_pm (node, yi, ye, members) " AGG_PM_SELECT " AND node IN " V
                  " GROUP BY node, yi, ye;",
                  touched, touched, touched, touched, touched, touched);
    for (size_t i = 0; i < N(_deltas); i++)
        _delta_take(&_deltas[i], 1, touched, &sql);
    _delta_apply(s, &sql);
    /* rule caches: exit and fault per village, duplicates across villages */
    tz_buf_printf(&sql, "DELETE FROM tz_agg_exit WHERE village IN " V "; INSERT INTO tz_agg_exit ",
                  touched);
    _exit_select(&sql);
    tz_buf_printf(&sql,
                  " AND h.village IN " V ";"
                  "DELETE FROM tz_agg_fault WHERE village IN " V ";"
                  "INSERT INTO tz_agg_fault SELECT t.hh_id, h.village, t.install_date FROM "
                  "tv_installs t JOIN households h ON h.hh_id = t.hh_id WHERE t.status = '故障' "
                  "AND h.village IN " V ";",
                  touched, touched, touched);
#undef V
    double ts = tzm_q_now();
    if (!sql.data || tz_store_exec(s, tz_buf_str(&sql)))
        goto done;
    _stage("改动的村、逐级差额与脱贫、故障规则缓存", &ts);
    *quiet = 1;
    if (_cache_dupes(s, touched, NULL, d))
        goto done;
    _stage("重复户规则缓存", &ts);
    if (tzm_unrecorded_follow(s, touched, d) || _follow_ledgers(s, touched, d))
        goto done;
    _stage("未填项缓存", &ts);
    rc = 0;
done:
    tz_buf_free(&sql);
    return rc;
}

/* Rebuilds every summary inside one transaction, unless another process did
 * while this one waited. Returns 1 built (or found current), -1 on error. */
static int _rebuild(tz_store *s, tz_diags *d)
{
    char want[96], have[96];
    double t0 = tzm_q_now();
    side_scan *side = NULL;
    if (tz_store_begin(s)) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "无法更新指标汇总表: %s", tz_store_errmsg(s));
        return -1;
    }
    /* PostgreSQL: one process at a time (SQLite's BEGIN IMMEDIATE is that
     * already): a second one would apply the same differences again; it
     * waits here and then finds the summaries current */
    if (tz_store_backend(s) == TZ_BACKEND_PG &&
        tz_store_exec(s, "SELECT pg_advisory_xact_lock(" AGG_PG_LOCK ")"))
        goto fail;
    /* read the version first: data written while building makes it stale again */
    if (_want(s, want, sizeof want) || _have(s, have, sizeof have))
        goto fail;
    if (!strcmp(want, have)) {
        if (tz_store_commit(s))
            goto fail;
        return 1;
    }
    long long from = -1;
    int quiet = 0, follow = _can_follow(s, want, have, &from);
    if (follow < 0)
        goto fail;
    if (follow) {
        if (_follow(s, from, &quiet, d))
            goto fail_follow;
        if (getenv("TZ_METRICS_TRACE"))
            fprintf(stderr, "[metrics] %8.2f ms  汇总表已按改动的村更新 (%s)\n", tzm_q_now() - t0,
                    want);
        goto version;
    }
    side = _side_start(s);
    double ts = tzm_q_now();
    if (tz_store_exec(s, _ddl))
        goto fail;
    _stage("村级户数与户户通", &ts);
    if (_roll_up_all(s))
        goto fail;
    _stage("逐级汇总", &ts);
    if (_cache_tables(s, d))
        goto fail_quiet;
    _stage("脱贫与故障规则缓存", &ts);
    if (_cache_dupes(s, NULL, side, d))
        goto fail_quiet;
    _stage("重复户规则缓存", &ts);
    if (side && side->gaps && getenv("TZ_METRICS_TRACE"))
        fprintf(stderr, "[metrics] 未填项:用第二个连接读到的行\n");
    else if (side && side->xrc == 0)
        _side_trace(side); /* the gaps failed there (the persons' failure is told already) */
    if (tzm_unrecorded_cache(s, side ? side->gaps : NULL, d))
        goto fail_quiet;
    _stage("未填项缓存", &ts);
    _side_free(side);
    side = NULL;
    if (getenv("TZ_METRICS_TRACE"))
        fprintf(stderr, "[metrics] %8.2f ms  汇总表已重建 (%s)\n", tzm_q_now() - t0, want);
version:;
    tz_stmt *st = NULL;
    int r = -1;
    if (!tz_store_prepare(s,
                          "INSERT INTO tz_meta (key, value) VALUES ('agg_version', ?) "
                          "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                          &st) &&
        !tz_stmt_bind_text(st, 1, want))
        r = tz_stmt_step(st);
    tz_stmt_free(st);
    /* the records applied are done with (a writer's later ones stay) */
    char done[96];
    long long to = 0;
    const char *rest;
    snprintf(done, sizeof done, "DELETE FROM tz_agg_touched WHERE to_dv <= %lld",
             _split(want, &to, &rest) ? -1 : to);
    if (r < 0 || tz_store_exec(s, done) || tz_store_commit(s))
        goto fail;
    return 1;
fail_follow:
    if (quiet)
        goto fail_quiet;
fail:
    tz_diags_error(d, NULL, 0, NULL, NULL, "无法更新指标汇总表: %s", tz_store_errmsg(s));
fail_quiet:
    tz_store_rollback(s); /* first: the reads beside it never wait for the writer */
    _side_free(side);
    return -1;
}

int tzm_agg_ready(tz_store *s, tz_diags *d)
{
    char want[96], have[96];
    if (!_enabled())
        return 0;
    tz_diags tmp = TZ_DIAGS_INIT;
    tz_diags *dd = d ? d : &tmp;
    int rc;
    if (_want(s, want, sizeof want) || _have(s, have, sizeof have)) {
        tz_diags_error(dd, NULL, 0, NULL, NULL, "读取数据版本失败: %s", tz_store_errmsg(s));
        rc = -1;
    } else if (!strcmp(want, have)) {
        rc = 1;
    } else if (tz_store_in_tx(s) || tz_store_in_read(s) || tz_store_read_only(s)) {
        rc = 0; /* inside the caller's transaction or snapshot, or a read-only database: read
                   the ledgers */
    } else {
        rc = _rebuild(s, dd);
    }
    tz_diags_clear(&tmp);
    return rc;
}

int tz_metrics_refresh(tz_store *s, tz_diags *d)
{
    return tzm_agg_ready(s, d);
}

int tz_metrics_snapshot(tz_store *s)
{
    if (tz_store_in_tx(s) || tz_store_in_read(s))
        return 0;
    tzm_agg_ready(s, NULL); /* a failure is no error: the ledgers are read instead */
    return tz_store_read_begin(s);
}
