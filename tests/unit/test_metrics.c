/* test_metrics.c - unit tests of metrics/: periods, region ranges, the
 * indicator table (roll-up, modes, ratios, growth, grouping, provenance),
 * targets (ledger rows, defaults, aspirations, city-wide rows) and every
 * rule with a passing and a failing case, 贫困发生率, provenance of one group,
 * and the summaries (the same figures as the ledgers, rebuilt on every
 * write). Each test gets a fresh SQLite database filled by SQL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "metrics/metrics.h"
#include "store/store.h"
#include "util/buf.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- fixture -------------------------------------------------------------- */

typedef struct fx {
    char dir[64]; /* temp directory */
    char db[128]; /* database path */
    tz_store *s;  /* open store */
} fx;

static void ex(tz_store *s, const char *sql)
{
    if (tz_store_exec(s, sql)) {
        fprintf(stderr, "SQL failed: %s\n%s\n", tz_store_errmsg(s), sql);
        fail();
    }
}

/* The base county (鹿邑县: 2 townships, 4 villages) and city (商丘市: 2 counties). */
static const char *const BASE =
    "INSERT INTO regions (code, name, parent, level, poor, industries) VALUES "
    "('410000000000','河南省',NULL,'省',NULL,NULL),"
    "('411600000000','周口市','410000000000','市',NULL,NULL),"
    "('411628000000','鹿邑县','411600000000','县',NULL,NULL),"
    "('411628101000','宋河镇','411628000000','乡',NULL,NULL),"
    "('411628101201','卢尧村','411628101000','村',1,NULL),"
    "('411628101202','刘楼村','411628101000','村',0,NULL),"
    "('411628102000','玄武镇','411628000000','乡',NULL,NULL),"
    "('411628102201','甲村','411628102000','村',0,NULL),"
    "('411628102202','乙村','411628102000','村',1,NULL),"
    "('411400000000','商丘市','410000000000','市',NULL,NULL),"
    "('411421000000','民权县','411400000000','县',NULL,'制冷家电'),"
    "('411422000000','睢县','411400000000','县',NULL,'制鞋、电子信息');"
    "INSERT INTO units (name, kind, region) VALUES "
    "('县文化广电旅游局','县直单位','411628000000'),"
    "('民权县','县区','411421000000'),"
    "('睢县','县区','411422000000'),"
    "('电子信息专题招商组','专题招商组','411400000000'),"
    "('市住建局','市直单位','411400000000');"
    /* households: id numbers only need the birth date at 7-14 for the rules */
    "INSERT INTO households (hh_id, head_name, id_number, village, members, kind, cause, "
    "year_identified, year_exited, income, edu_ok, med_ok, house_ok, water_ok) VALUES "
    "('H1','张一','411628197001010011','411628101201',3,'一般贫困户','因病',2014,2017,5000,1,1,1,1)"
    ","
    "('H2','张二','411628197002020022','411628101201',2,'低保贫困户','因残',2014,NULL,2000,1,0,1,"
    "NULL),"
    "('H3','李三','411628197003030033','411628101202',4,'一般贫困户','因病',2015,2018,6000,1,1,1,1)"
    ","
    "('H4','王四','411628197004040044','411628102201',1,'特困供养贫困户','缺劳力',2016,2019,4500,1,"
    "1,1,1),"
    "('H5','赵五','411628197005050055','411628102202',5,'一般贫困户','因学',2014,NULL,1800,1,1,0,1)"
    ";"
    "INSERT INTO culture_centers (village, year_built, plaza_area, compliant, subsidy, "
    "subsidy_paid) "
    "VALUES ('411628101201',2017,1200,1,5,5),('411628102202',2016,800,1,5,5),"
    "('411628101202',2018,600,1,10,4);"
    "INSERT INTO tv_installs (hh_id, install_date, installer, status) VALUES "
    "('H1','2018-03-05','豫广','正常'),('H2','2018-11-20','豫广','正常'),"
    "('H3','2019-04-01','豫广','正常');"
    "INSERT INTO aid_villages (unit, village, start_date, end_date) VALUES "
    "('县文化广电旅游局','411628101201','2016-03-01',NULL),"
    "('县文化广电旅游局','411628101202','2017-08-01',NULL);"
    "INSERT INTO aid_cadres (name, unit, village, post, kind, start_date, end_date) VALUES "
    "('甲干部','县文化广电旅游局','411628101201','第一书记','业务骨干','2016-03-01',NULL),"
    "('乙干部','县文化广电旅游局','411628101202','工作队长','年轻后备干部','2017-08-01',NULL);"
    "INSERT INTO aid_inputs (input_id, date, unit, village, hh_id, kind, content, amount) VALUES "
    "('T1','2016-05-10','县文化广电旅游局','411628101201',NULL,'办公设备','电脑',1.2),"
    "('T2','2017-04-06','县文化广电旅游局','411628101201',NULL,'基础设施','门楼',2.8),"
    "('T3','2018-06-01','县文化广电旅游局','411628101201','H2','住房修缮','房屋',1.5);"
    "INSERT INTO cultural_events (event_id, date, kind, programme, form, place, shows, "
    "beneficiaries) VALUES "
    "('E1','2016-06-15','送戏下乡','朝阳沟','豫剧','411628101201',1,300),"
    "('E2','2018-06-15','送电影下乡','','电影','411628102000',12,2400),"
    "('E3','2019-01-15','送戏下乡','花木兰','豫剧','411628102202',2,500);"
    /* projects: 2014 (for growth), 2015-H1 and July 2015 */
    "INSERT INTO projects (project_id, name, investor, county, unit, industry, industrial, "
    "investment, kind, is_foreign, fdi_contract, stage, signed_date, landed_date, channel) VALUES "
    "('P0','老项目','甲','411421000000','民权县','制冷家电',1,4,'新建',1,1000,'投产','2014-03-01',"
    "'2014-05-01','以商招商'),"
    "('P1','压缩机','乙','411421000000','民权县','制冷家电',1,5.5,'新建',0,0,'落地','2015-03-01',"
    "'2015-05-01','以商招商'),"
    "('P2','酒业','丙','411421000000','民权县','白酒酿造',1,3.2,'新建',0,0,'签约','2015-04-10',"
    "NULL,'其他'),"
    "('P3','鞋业','丁','411422000000','睢县','制鞋',1,3,'增资',1,500,'签约','2015-02-01',NULL,"
    "'商会招商'),"
    "('P4','鞋底','戊','411422000000','睢县','制鞋',1,12,'新建',0,0,'签约','2015-07-20',NULL,"
    "'商会招商');"
    "INSERT INTO project_funds (project_id, month, domestic_funds, fdi_actual) VALUES "
    "('P0','2014-04',0,200),('P0','2015-04',0,300),('P1','2015-05',800,0),"
    "('P3','2015-07',0,50);"
    "INSERT INTO targets (unit, year, indicator, value) VALUES "
    "('县文化广电旅游局',2018,'户户通安装户数',2),"
    "('县文化广电旅游局',2019,'户户通安装户数',5),"
    "('民权县',2015,'引进3亿元以上工业项目数',2),"
    "('民权县',2015,'实际利用外资(万美元)',900),"
    "('睢县',2015,'实际利用外资(万美元)',300);";

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/tz-metrics-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
    tz_diags d = TZ_DIAGS_INIT;
    if (tz_store_open(f->db, TZ_OPEN_CREATE, &f->s, &d)) {
        tz_diags_print(&d, stderr);
        tz_diags_clear(&d);
        return -1;
    }
    tz_diags_clear(&d);
    ex(f->s, BASE);
    /* poverty lines: the repository's file, as the CLI loads it (tests run
     * from the repository root; tests/run.sh also sets TAIZHANG_HOME) */
    char lines[1024];
    const char *home = getenv("TAIZHANG_HOME");
    snprintf(lines, sizeof lines, "%s/data/poverty_lines.tsv", home && *home ? home : ".");
    if (tz_poverty_lines_load(lines, &d)) {
        tz_diags_print(&d, stderr);
        tz_diags_clear(&d);
        return -1;
    }
    snprintf(lines, sizeof lines, "%s/data/village_exit_thresholds.tsv",
             home && *home ? home : ".");
    if (tz_exit_thresholds_load(lines, &d)) {
        tz_diags_print(&d, stderr);
        tz_diags_clear(&d);
        return -1;
    }
    tz_metrics_set_summaries(1);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    char p[160];
    tz_store_close(f->s);
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", f->db, suffix[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

static tz_period per(const char *s)
{
    tz_period p;
    const char *why = NULL;
    assert_int_equal(tz_period_parse(s, &p, &why), 0);
    return p;
}

/* Evaluates an indicator; fails the test on an error. */
static double ev(tz_store *s, const char *name, const char *region, const char *unit,
                 const char *period, tz_mode mode)
{
    tz_scope sc = {region, unit};
    tz_period p = per(period);
    tz_diags d = TZ_DIAGS_INIT;
    double v = -12345;
    int rc = tz_indicator_eval(s, name, &sc, &p, mode, &v, &d);
    if (rc) {
        tz_diags_print(&d, stderr);
        fprintf(stderr, "indicator %s failed\n", name);
    }
    tz_diags_clear(&d);
    assert_int_equal(rc, 0);
    return v;
}

#define COUNTY "411628000000"
#define TOWN1 "411628101000"
#define TOWN2 "411628102000"
#define LUYAO "411628101201"
#define CITY "411400000000"

/* ---- periods -------------------------------------------------------------- */

static void test_period_parse(void **state)
{
    (void)state;
    tz_period p;
    const char *why;
    p = per("2015-07");
    assert_int_equal(p.kind, TZ_PERIOD_MONTH);
    assert_string_equal(p.start, "2015-07-01");
    assert_string_equal(p.end, "2015-07-31");
    p = per("2016-02");
    assert_string_equal(p.end, "2016-02-29");
    p = per("2015-Q3");
    assert_string_equal(p.start, "2015-07-01");
    assert_string_equal(p.end, "2015-09-30");
    assert_string_equal(p.label, "2015-Q3");
    p = per("2015-H1");
    assert_string_equal(p.end, "2015-06-30");
    p = per("2015");
    assert_int_equal(p.kind, TZ_PERIOD_YEAR);
    assert_string_equal(p.end, "2015-12-31");
    p = per("2015年上半年");
    assert_string_equal(p.label, "2015-H1");
    p = per("2015年第三季度");
    assert_string_equal(p.label, "2015-Q3");
    p = per("2015年7月");
    assert_string_equal(p.label, "2015-07");
    p = per("2019年");
    assert_string_equal(p.label, "2019");
    /* months 1-4 written in Chinese are months, not quarters read half-way */
    static const char *const cn_months[] = {"2024年1月", "2024年2月", "2024年3月", "2024年4月"};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(tz_period_parse(cn_months[i], &p, &why), 0);
        assert_int_equal(p.kind, TZ_PERIOD_MONTH);
        assert_int_equal(p.index, i + 1);
    }
    assert_int_equal(tz_period_parse("2024年第1季度", &p, &why), 0);
    assert_int_equal(p.kind, TZ_PERIOD_QUARTER);
    assert_int_equal(tz_period_parse("2015-13", &p, &why), -1);
    assert_non_null(why);
    assert_int_equal(tz_period_parse("2015-Q5", &p, &why), -1);
    /* a wrong quarter written in words names the quarter, not the month */
    assert_int_equal(tz_period_parse("2024年第五季度", &p, &why), -1);
    assert_non_null(strstr(why, "季度应为"));
    assert_int_equal(tz_period_parse("2024年5季度", &p, &why), -1);
    assert_non_null(strstr(why, "季度应为"));
    assert_int_equal(tz_period_parse("2015-H3", &p, &why), -1);
    assert_int_equal(tz_period_parse("15", &p, &why), -1);
    assert_int_equal(tz_period_parse("2015-07x", &p, &why), -1);
    assert_int_equal(tz_period_parse(NULL, &p, &why), -1);
}

static void test_period_words_prev(void **state)
{
    (void)state;
    char b[64];
    tz_period p = per("2015-H1"), q;
    assert_string_equal(tz_period_words(&p, b, sizeof b), "2015年上半年");
    p = per("2015-Q3");
    assert_string_equal(tz_period_words(&p, b, sizeof b), "2015年第三季度");
    p = per("2015-07");
    assert_string_equal(tz_period_words(&p, b, sizeof b), "2015年7月");
    p = per("2016-02");
    tz_period_prev_year(&p, &q);
    assert_string_equal(q.start, "2015-02-01");
    assert_string_equal(q.end, "2015-02-28");
    assert_string_equal(q.label, "2015-02");
    p = per("2015-02");
    tz_period_prev_year(&p, &q);
    assert_string_equal(q.end, "2014-02-28");
    p = per("2017-02");
    tz_period_prev_year(&p, &q);
    assert_string_equal(q.end, "2016-02-29");
}

static void test_period_latest(void **state)
{
    fx *f = *state;
    tz_period p;
    assert_int_equal(tz_period_latest(f->s, &p), 1);
    assert_int_equal(p.year, 2019); /* targets 2019, events 2019 */
    ex(f->s, "INSERT INTO cultural_events (event_id, date, kind, place, shows) VALUES "
             "('E9','2021-03-01','其他','411628101201',1)");
    assert_int_equal(tz_period_latest(f->s, &p), 1);
    assert_int_equal(p.year, 2021);
}

/* The latest year of one scope's rows: 商丘市's ledgers end in 2015 while
 * 鹿邑县's run to 2019 (the global latest once gave the city 2019). */
static int latest_in(tz_store *s, const char *region, const char *unit)
{
    tz_scope sc = {region, unit};
    tz_period p;
    tz_diags d = TZ_DIAGS_INIT;
    int r = tz_period_latest_in(s, &sc, &p, &d);
    tz_diags_clear(&d);
    assert_int_equal(r, 1);
    assert_int_equal(p.kind, TZ_PERIOD_YEAR);
    return p.year;
}

static void test_period_latest_in_scope(void **state)
{
    fx *f = *state;
    assert_int_equal(latest_in(f->s, CITY, NULL), 2015); /* projects, funds, targets */
    assert_int_equal(latest_in(f->s, "411421000000", NULL), 2015);
    assert_int_equal(latest_in(f->s, COUNTY, NULL), 2019);         /* targets, events, installs */
    assert_int_equal(latest_in(f->s, LUYAO, NULL), 2018);          /* installs, aid inputs */
    assert_int_equal(latest_in(f->s, "411628102201", NULL), 2019); /* nothing dated: global */
    assert_int_equal(latest_in(f->s, NULL, "睢县"), 2015);
    assert_int_equal(latest_in(f->s, NULL, "县文化广电旅游局"), 2019); /* its 2019 target */
    assert_int_equal(latest_in(f->s, NULL, NULL), 2019);
    ex(f->s, "INSERT INTO cultural_events (event_id, date, kind, place, shows) VALUES "
             "('E9','2021-03-01','其他','411628101201',1)");
    assert_int_equal(latest_in(f->s, LUYAO, NULL), 2021);
    assert_int_equal(latest_in(f->s, CITY, NULL), 2015);
    assert_int_equal(latest_in(f->s, NULL, "睢县"), 2015);
    ex(f->s, "INSERT INTO targets (unit, year, indicator, value) VALUES "
             "('睢县',2016,'实际利用外资(万美元)',400)");
    assert_int_equal(latest_in(f->s, NULL, "睢县"), 2016);
    assert_int_equal(latest_in(f->s, CITY, NULL), 2016);
    assert_int_equal(latest_in(f->s, "411421000000", NULL), 2015);
}

/* ---- regions -------------------------------------------------------------- */

static void test_region_resolve(void **state)
{
    fx *f = *state;
    char code[13], name[64];
    tz_level lv;
    tz_diags d = TZ_DIAGS_INIT;
    assert_int_equal(tz_region_resolve(f->s, "411628", code, &d), 0);
    assert_string_equal(code, COUNTY);
    assert_int_equal(tz_region_resolve(f->s, "宋河镇", code, &d), 0);
    assert_string_equal(code, TOWN1);
    assert_int_equal(tz_region_resolve(f->s, "不存在", code, &d), -1);
    assert_int_equal(tz_region_resolve(f->s, "999999", code, &d), -1);
    assert_int_equal(tz_region_resolve(f->s, "12345", code, &d), -1);
    ex(f->s, "INSERT INTO regions (code, name, parent, level, poor) VALUES "
             "('411628102203','卢尧村','411628102000','村',0)");
    assert_int_equal(tz_region_resolve(f->s, "卢尧村", code, &d), -1); /* ambiguous */
    assert_true(d.nerrors >= 4);
    tz_diags_clear(&d);
    assert_int_equal(tz_region_get(f->s, LUYAO, name, sizeof name, &lv), 1);
    assert_string_equal(name, "卢尧村");
    assert_int_equal(lv, TZ_LEVEL_VILLAGE);
    assert_int_equal(tz_region_get(f->s, "419999000000", name, sizeof name, &lv), 0);
}

/* ---- indicators ----------------------------------------------------------- */

static void test_indicator_table(void **state)
{
    (void)state;
    size_t n;
    const tz_indicator *all = tz_indicator_all(&n);
    assert_true(n >= 50);
    for (size_t i = 0; i < n; i++) {
        assert_non_null(all[i].name);
        assert_non_null(all[i].unit);
        assert_non_null(all[i].ledger);
        assert_non_null(all[i].summary);
        assert_ptr_equal(tz_indicator_find(all[i].name) != NULL, 1);
        for (size_t j = i + 1; j < n; j++)
            assert_string_not_equal(all[i].name, all[j].name);
    }
    /* every target name of the ledger contract is an indicator or mapped */
    assert_non_null(tz_indicator_find("户户通安装户数"));
    assert_non_null(tz_indicator_find("引进10亿元以上主导产业项目数"));
    assert_null(tz_indicator_find("没有这个指标"));
    char dims[512];
    tz_indicator_dims("签约项目数", dims, sizeof dims);
    assert_non_null(strstr(dims, "stage"));
    assert_non_null(strstr(dims, "unit"));
    assert_non_null(strstr(dims, "month"));
}

/* One parser for mode names: English keys and Chinese words alike. */
static void test_mode_parse(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        tz_mode mode;
    } ok[] = {
        {"period", TZ_MODE_PERIOD}, {"期间", TZ_MODE_PERIOD},       {"当期", TZ_MODE_PERIOD},
        {"本期", TZ_MODE_PERIOD},   {"todate", TZ_MODE_TODATE},     {"累计", TZ_MODE_TODATE},
        {"all", TZ_MODE_ALL},       {"全部", TZ_MODE_ALL},          {"现状", TZ_MODE_ALL},
        {"期间内", TZ_MODE_PERIOD}, {"累计至期末", TZ_MODE_TODATE}, {"不限日期", TZ_MODE_ALL}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        tz_mode m = (tz_mode)99;
        assert_int_equal(tz_mode_parse(ok[i].text, &m), 0);
        assert_int_equal(m, ok[i].mode);
        /* the usage message lists every accepted name */
        assert_non_null(strstr(tz_mode_choices(), ok[i].text));
    }
    assert_string_equal(tz_mode_choices(),
                        "period(期间、期间内、当期、本期)、todate(累计、累计至期末)、"
                        "all(全部、现状、不限日期)");
    tz_mode m = TZ_MODE_ALL;
    assert_int_equal(tz_mode_parse("Period", &m), -1);
    assert_int_equal(tz_mode_parse("", &m), -1);
    assert_int_equal(tz_mode_parse(NULL, &m), -1);
    assert_int_equal(m, TZ_MODE_ALL); /* unchanged */
    /* the name round-trips */
    for (int k = TZ_MODE_PERIOD; k <= TZ_MODE_ALL; k++) {
        assert_int_equal(tz_mode_parse(tz_mode_name((tz_mode)k), &m), 0);
        assert_int_equal(m, k);
    }
    assert_string_equal(tz_mode_name(TZ_MODE_TODATE), "todate");
    assert_non_null(strstr(tz_mode_choices(), "累计"));
}

/* --by takes the English key or the Chinese column name, and only the
 * dimensions the indicator's definition offers. */
static void test_dim_parse(void **state)
{
    (void)state;
    const tz_indicator *pj = tz_indicator_find("签约项目数");
    const char *key = NULL;
    assert_int_equal(tz_dim_parse(pj, "channel", &key), 0);
    assert_string_equal(key, "channel");
    key = NULL;
    assert_int_equal(tz_dim_parse(pj, "招商方式", &key), 0);
    assert_string_equal(key, "channel");
    assert_int_equal(tz_dim_parse(pj, "乡镇", &key), 0);
    assert_string_equal(key, "township");
    assert_int_equal(tz_dim_parse(pj, "月份", &key), 0);
    assert_string_equal(key, "month");
    assert_int_equal(tz_dim_parse(pj, "kind", &key), 0); /* the first own category */
    assert_string_equal(key, "stage");
    assert_int_equal(tz_dim_parse(pj, "colour", &key), -1);
    assert_int_equal(tz_dim_parse(pj, NULL, &key), -1);
    /* a year-dated indicator has no month; a snapshot has neither */
    const tz_indicator *cc = tz_indicator_find("村级文化服务中心数");
    assert_int_equal(tz_dim_parse(cc, "year", &key), 0);
    assert_int_equal(tz_dim_parse(cc, "month", &key), -1);
    assert_int_equal(tz_dim_parse(cc, "招商方式", &key), -1);
    assert_int_equal(tz_dim_parse(tz_indicator_find("在谈项目数"), "year", &key), -1);
    /* an indicator that cannot be split has no dimension at all */
    tz_dim dims[TZ_DIMS_MAX];
    assert_int_equal(tz_indicator_dim_list(NULL, dims, TZ_DIMS_MAX), 0);
    /* the list and the joined text agree, and every label parses back */
    size_t n;
    const tz_indicator *all = tz_indicator_all(&n);
    for (size_t i = 0; i < n; i++) {
        size_t nd = tz_indicator_dim_list(&all[i], dims, TZ_DIMS_MAX);
        assert_true(nd <= TZ_DIMS_MAX);
        char joined[1024];
        tz_indicator_dims(all[i].name, joined, sizeof joined);
        assert_int_equal(nd == 0, joined[0] == '\0');
        for (size_t j = 0; j < nd; j++) {
            assert_non_null(strstr(joined, dims[j].key));
            assert_int_equal(tz_dim_parse(&all[i], dims[j].label, &key), 0);
            assert_string_equal(key, dims[j].key);
            assert_string_equal(tz_indicator_dim_label(all[i].name, dims[j].key), dims[j].label);
        }
    }
}

static void test_rollup_levels(void **state)
{
    fx *f = *state;
    /* 建档立卡贫困户数 to date: village, township, county, city (none) */
    assert_true(ev(f->s, "建档立卡贫困户数", LUYAO, NULL, "2019", TZ_MODE_TODATE) == 2);
    assert_true(ev(f->s, "建档立卡贫困户数", TOWN1, NULL, "2019", TZ_MODE_TODATE) == 3);
    assert_true(ev(f->s, "建档立卡贫困户数", COUNTY, NULL, "2019", TZ_MODE_TODATE) == 5);
    assert_true(ev(f->s, "建档立卡贫困户数", "411600000000", NULL, "2019", TZ_MODE_TODATE) == 5);
    assert_true(ev(f->s, "建档立卡贫困户数", CITY, NULL, "2019", TZ_MODE_TODATE) == 0);
    assert_true(ev(f->s, "建档立卡贫困户数", NULL, NULL, "2019", TZ_MODE_TODATE) == 5);
    /* one new row in 卢尧村 changes the village, township and county at once */
    ex(f->s, "INSERT INTO households (hh_id, head_name, id_number, village, members, kind, cause, "
             "year_identified) VALUES ('H9','钱九','411628198001010099','411628101201',2,"
             "'一般贫困户','因病',2016)");
    assert_true(ev(f->s, "建档立卡贫困户数", LUYAO, NULL, "2019", TZ_MODE_TODATE) == 3);
    assert_true(ev(f->s, "建档立卡贫困户数", TOWN1, NULL, "2019", TZ_MODE_TODATE) == 4);
    assert_true(ev(f->s, "建档立卡贫困户数", COUNTY, NULL, "2019", TZ_MODE_TODATE) == 6);
    assert_true(ev(f->s, "建档立卡贫困户数", TOWN2, NULL, "2019", TZ_MODE_TODATE) == 2);
    assert_true(ev(f->s, "建档立卡贫困人口", TOWN1, NULL, "2019", TZ_MODE_TODATE) == 11);
}

static void test_modes_and_stock(void **state)
{
    fx *f = *state;
    /* installs: 2 in 2018, 1 in 2019 */
    assert_true(ev(f->s, "户户通安装户数", COUNTY, NULL, "2018", TZ_MODE_PERIOD) == 2);
    assert_true(ev(f->s, "户户通安装户数", COUNTY, NULL, "2019", TZ_MODE_PERIOD) == 1);
    assert_true(ev(f->s, "户户通安装户数", COUNTY, NULL, "2019", TZ_MODE_TODATE) == 3);
    assert_true(ev(f->s, "户户通安装户数", COUNTY, NULL, "2018-H1", TZ_MODE_PERIOD) == 1);
    assert_true(ev(f->s, "户户通安装户数", COUNTY, NULL, "2018-Q4", TZ_MODE_PERIOD) == 1);
    assert_true(ev(f->s, "户户通安装户数", COUNTY, NULL, "2017", TZ_MODE_ALL) == 3);
    /* a year-dated row counts at the end of its year */
    assert_true(ev(f->s, "村级文化服务中心数", COUNTY, NULL, "2018-H1", TZ_MODE_TODATE) == 2);
    assert_true(ev(f->s, "村级文化服务中心数", COUNTY, NULL, "2018", TZ_MODE_TODATE) == 3);
    assert_true(ev(f->s, "村级文化服务中心数", COUNTY, NULL, "2018-H2", TZ_MODE_PERIOD) == 1);
    /* stock: households still poor at the end of each year */
    assert_true(ev(f->s, "未脱贫户数", COUNTY, NULL, "2016", TZ_MODE_PERIOD) == 5);
    assert_true(ev(f->s, "未脱贫户数", COUNTY, NULL, "2017", TZ_MODE_PERIOD) == 4);
    assert_true(ev(f->s, "未脱贫户数", COUNTY, NULL, "2019", TZ_MODE_PERIOD) == 2);
    assert_true(ev(f->s, "脱贫户数", COUNTY, NULL, "2018", TZ_MODE_PERIOD) == 1);
    assert_true(ev(f->s, "脱贫户数", COUNTY, NULL, "2018", TZ_MODE_TODATE) == 2);
    /* intervals: aid active in a period; cadres */
    assert_true(ev(f->s, "帮扶村数", NULL, "县文化广电旅游局", "2016", TZ_MODE_PERIOD) == 1);
    assert_true(ev(f->s, "帮扶村数", NULL, "县文化广电旅游局", "2019", TZ_MODE_TODATE) == 2);
    assert_true(ev(f->s, "帮扶乡镇数", NULL, "县文化广电旅游局", "2019", TZ_MODE_TODATE) == 1);
    assert_true(ev(f->s, "帮扶贫困村数", NULL, "县文化广电旅游局", "2019", TZ_MODE_TODATE) == 1);
    assert_true(ev(f->s, "驻村干部人数", NULL, "县文化广电旅游局", "2019", TZ_MODE_TODATE) == 2);
    ex(f->s, "UPDATE aid_villages SET end_date = '2017-12-31' WHERE village = '411628101201'");
    assert_true(ev(f->s, "帮扶村数", NULL, "县文化广电旅游局", "2019", TZ_MODE_PERIOD) == 1);
    assert_true(ev(f->s, "帮扶村数", NULL, "县文化广电旅游局", "2017", TZ_MODE_PERIOD) == 2);
    /* amounts */
    assert_true(fabs(ev(f->s, "帮扶投入(万元)", NULL, "县文化广电旅游局", "2019", TZ_MODE_TODATE) -
                     5.5) < 1e-9);
    assert_true(fabs(ev(f->s, "帮扶到户投入(万元)", COUNTY, NULL, "2019", TZ_MODE_TODATE) - 1.5) <
                1e-9);
    assert_true(ev(f->s, "文化活动场次", COUNTY, NULL, "2019", TZ_MODE_TODATE) == 15);
    assert_true(ev(f->s, "送戏下乡场次", TOWN2, NULL, "2019", TZ_MODE_TODATE) == 2);
}

static void test_ratio_growth_unavailable(void **state)
{
    fx *f = *state;
    /* 3 compliant centres of 4 villages = 75% */
    assert_true(fabs(ev(f->s, "村级文化服务中心覆盖率(%)", COUNTY, NULL, "2019", TZ_MODE_PERIOD) -
                     75) < 1e-9);
    assert_true(ev(f->s, "未建或未达标行政村数", COUNTY, NULL, "2019", TZ_MODE_PERIOD) == 1);
    assert_true(ev(f->s, "未建或未达标行政村数", COUNTY, NULL, "2017", TZ_MODE_PERIOD) == 2);
    ex(f->s, "UPDATE culture_centers SET compliant = 0 WHERE village = '411628101202'");
    assert_true(fabs(ev(f->s, "村级文化服务中心覆盖率(%)", TOWN1, NULL, "2019", TZ_MODE_PERIOD) -
                     50) < 1e-9);
    assert_true(ev(f->s, "未建文化服务中心行政村数", COUNTY, NULL, "2019", TZ_MODE_PERIOD) == 1);
    /* no village in the city: 0/0 */
    assert_true(isnan(ev(f->s, "村级文化服务中心覆盖率(%)", CITY, NULL, "2019", TZ_MODE_PERIOD)));
    /* growth: 民权县 FDI 2015-H1 300 vs 2014-H1 200 = +50% */
    assert_true(fabs(ev(f->s, "实际利用外资增长率(%)", NULL, "民权县", "2015-H1", TZ_MODE_PERIOD) -
                     50) < 1e-9);
    /* over a zero base: NAN */
    assert_true(isnan(ev(f->s, "实际利用外资增长率(%)", NULL, "睢县", "2015", TZ_MODE_PERIOD)));
    /* 贫困发生率 cannot be computed from the ledgers */
    tz_scope sc = {COUNTY, NULL};
    tz_period p = per("2019");
    tz_diags d = TZ_DIAGS_INIT;
    double v;
    assert_int_equal(tz_indicator_eval(f->s, "贫困发生率(%)", &sc, &p, TZ_MODE_PERIOD, &v, &d), -1);
    assert_true(d.nerrors == 1);
    assert_non_null(strstr(d.items[0].reason, "人口"));
    tz_diags_clear(&d);
    assert_int_equal(tz_indicator_eval(f->s, "无此指标", &sc, &p, TZ_MODE_PERIOD, &v, &d), -1);
    tz_scope bad = {NULL, "无此单位"};
    assert_int_equal(tz_indicator_eval(f->s, "帮扶村数", &bad, &p, TZ_MODE_PERIOD, &v, &d), -1);
    tz_diags_clear(&d);
}

static void test_projects(void **state)
{
    fx *f = *state;
    /* brought in = signed in the period (rule 11); per unit (rule 10) */
    assert_true(ev(f->s, "签约项目数", CITY, NULL, "2015-H1", TZ_MODE_PERIOD) == 3);
    assert_true(ev(f->s, "引进3亿元以上工业项目数", NULL, "民权县", "2015-H1", TZ_MODE_PERIOD) ==
                2);
    assert_true(ev(f->s, "引进主导产业3亿元以上工业项目数", NULL, "民权县", "2015-H1",
                   TZ_MODE_PERIOD) == 1);
    assert_true(ev(f->s, "引进5亿元以上工业项目数", NULL, "民权县", "2015-H1", TZ_MODE_PERIOD) ==
                1);
    assert_true(ev(f->s, "非主导产业签约项目数", CITY, NULL, "2015-H1", TZ_MODE_PERIOD) == 1);
    assert_true(ev(f->s, "引进10亿元以上主导产业项目数", NULL, "睢县", "2015", TZ_MODE_PERIOD) ==
                1);
    assert_true(ev(f->s, "落地项目数", CITY, NULL, "2015-H1", TZ_MODE_PERIOD) == 1);
    assert_true(ev(f->s, "合同外资(万美元)", CITY, NULL, "2015-H1", TZ_MODE_PERIOD) == 500);
    assert_true(ev(f->s, "增资合同外资(万美元)", CITY, NULL, "2015-H1", TZ_MODE_PERIOD) == 500);
    assert_true(ev(f->s, "新建外资项目数", CITY, NULL, "2015-H1", TZ_MODE_PERIOD) == 0);
    assert_true(ev(f->s, "实际利用外资(万美元)", CITY, NULL, "2015", TZ_MODE_PERIOD) == 350);
    assert_true(ev(f->s, "实际利用外资(万美元)", "411421000000", NULL, "2015-07", TZ_MODE_PERIOD) ==
                0);
    assert_true(ev(f->s, "实际利用外资(万美元)", "411422000000", NULL, "2015-07", TZ_MODE_PERIOD) ==
                50);
    /* a group's project located in 民权县 counts for the group, never for 民权县 */
    ex(f->s, "INSERT INTO projects (project_id, name, county, unit, industry, industrial, "
             "investment, kind, is_foreign, stage, signed_date) VALUES ('P7','智能终端',"
             "'411421000000','电子信息专题招商组','电子信息',1,6,'新建',0,'签约','2015-05-01')");
    assert_true(ev(f->s, "引进3亿元以上工业项目数", NULL, "民权县", "2015-H1", TZ_MODE_PERIOD) ==
                2);
    assert_true(ev(f->s, "引进3亿元以上项目数", NULL, "电子信息专题招商组", "2015-H1",
                   TZ_MODE_PERIOD) == 1);
    assert_true(ev(f->s, "签约项目数", "411421000000", NULL, "2015-H1", TZ_MODE_PERIOD) == 3);
}

static double group(const tz_group_value *g, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(g[i].key, key))
            return g[i].value;
    return -1;
}

static void test_eval_by(void **state)
{
    fx *f = *state;
    tz_scope sc = {COUNTY, NULL};
    tz_period p = per("2019");
    tz_diags d = TZ_DIAGS_INIT;
    tz_group_value *g = NULL;
    size_t n = 0;
    /* townships, including one without rows */
    ex(f->s, "INSERT INTO regions (code, name, parent, level) VALUES "
             "('411628103000','太清宫镇','411628000000','乡')");
    assert_int_equal(tz_indicator_eval_by(f->s, "建档立卡贫困户数", &sc, &p, TZ_MODE_TODATE,
                                          "township", &g, &n, &d),
                     0);
    assert_int_equal(n, 3);
    assert_true(group(g, n, TOWN1) == 3);
    assert_true(group(g, n, TOWN2) == 2);
    assert_true(group(g, n, "411628103000") == 0);
    assert_string_equal(g[0].label, "宋河镇");
    free(g);
    /* years */
    assert_int_equal(
        tz_indicator_eval_by(f->s, "户户通安装户数", &sc, &p, TZ_MODE_TODATE, "year", &g, &n, &d),
        0);
    assert_int_equal(n, 2);
    assert_true(group(g, n, "2018") == 2 && group(g, n, "2019") == 1);
    assert_string_equal(g[0].label, "2018年");
    free(g);
    /* the indicator's own category, and a ratio by category */
    assert_int_equal(tz_indicator_eval_by(f->s, "村级文化服务中心覆盖率(%)", &sc, &p,
                                          TZ_MODE_PERIOD, "poor", &g, &n, &d),
                     0);
    assert_true(group(g, n, "贫困村") == 100 && group(g, n, "非贫困村") == 50);
    free(g);
    tz_scope city = {CITY, NULL};
    tz_period h1 = per("2015-H1");
    assert_int_equal(
        tz_indicator_eval_by(f->s, "签约项目数", &city, &h1, TZ_MODE_PERIOD, "unit", &g, &n, &d),
        0);
    assert_true(group(g, n, "民权县") == 2 && group(g, n, "睢县") == 1);
    assert_true(group(g, n, "市住建局") == 0); /* units without projects are listed */
    free(g);
    /* unknown dimension, and year on a stock */
    assert_int_equal(
        tz_indicator_eval_by(f->s, "签约项目数", &city, &h1, TZ_MODE_PERIOD, "colour", &g, &n, &d),
        -1);
    assert_int_equal(
        tz_indicator_eval_by(f->s, "未脱贫户数", &sc, &p, TZ_MODE_PERIOD, "year", &g, &n, &d), -1);
    assert_int_equal(d.nerrors, 2);
    tz_diags_clear(&d);
}

typedef struct keys {
    char text[1024]; /* "ledger:key;" ... */
    int n;           /* rows */
} keys;

static int collect(void *ctx, const char *ledger, const char *key)
{
    keys *k = ctx;
    size_t len = strlen(k->text);
    snprintf(k->text + len, sizeof k->text - len, "%s:%s;", ledger, key);
    k->n++;
    return 0;
}

static void test_explain(void **state)
{
    fx *f = *state;
    tz_scope sc = {TOWN1, NULL};
    tz_period p = per("2018");
    tz_diags d = TZ_DIAGS_INIT;
    keys k = {{0}, 0};
    assert_int_equal(
        tz_indicator_explain(f->s, "户户通安装户数", &sc, &p, TZ_MODE_PERIOD, collect, &k, &d), 0);
    assert_int_equal(k.n, 2);
    assert_string_equal(k.text, "tv_installs:H1;tv_installs:H2;");
    /* a sum lists only rows that add something */
    tz_scope city = {CITY, NULL};
    tz_period h1 = per("2015-H1");
    memset(&k, 0, sizeof k);
    assert_int_equal(
        tz_indicator_explain(f->s, "合同外资(万美元)", &city, &h1, TZ_MODE_PERIOD, collect, &k, &d),
        0);
    assert_string_equal(k.text, "projects:P3;");
    /* a ratio lists both parts; composite keys join columns with '/' */
    memset(&k, 0, sizeof k);
    assert_int_equal(tz_indicator_explain(f->s, "实际利用外资(万美元)", &city, &h1, TZ_MODE_PERIOD,
                                          collect, &k, &d),
                     0);
    assert_string_equal(k.text, "project_funds:P0/2015-04;");
    memset(&k, 0, sizeof k);
    tz_scope town = {TOWN1, NULL};
    tz_period y = per("2019");
    assert_int_equal(tz_indicator_explain(f->s, "村级文化服务中心覆盖率(%)", &town, &y,
                                          TZ_MODE_PERIOD, collect, &k, &d),
                     0);
    assert_int_equal(k.n, 4);
    assert_non_null(strstr(k.text, "culture_centers:411628101201;"));
    assert_non_null(strstr(k.text, "regions:411628101202;"));
    tz_diags_clear(&d);
}

/* ---- targets -------------------------------------------------------------- */

static const tz_target_result *find_target(const tz_target_result *t, size_t n, const char *unit,
                                           const char *ind)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(t[i].unit, unit) && !strcmp(t[i].indicator, ind))
            return &t[i];
    return NULL;
}

static void test_targets_ledger_and_defaults(void **state)
{
    fx *f = *state;
    tz_scope sc = {CITY, NULL};
    tz_period p = per("2015-H1");
    tz_diags d = TZ_DIAGS_INIT;
    tz_target_result *t = NULL;
    size_t n = 0;
    assert_int_equal(tz_targets_check(f->s, &sc, &p, &t, &n, &d), 0);
    /* a ledger row: 民权县 2 industrial >= 3亿, has 2 -> met */
    const tz_target_result *r = find_target(t, n, "民权县", "引进3亿元以上工业项目数");
    assert_non_null(r);
    assert_int_equal(r->is_default, 0);
    assert_true(r->actual == 2 && r->target == 2 && r->gap == 0);
    assert_int_equal(r->status, TZ_STATUS_MET);
    /* the default rule where 睢县 has no row: 5, has 1 -> 20% at the half year, behind 50% */
    r = find_target(t, n, "睢县", "引进3亿元以上工业项目数");
    assert_non_null(r);
    assert_int_equal(r->is_default, 1);
    assert_true(r->target == 5 && r->actual == 1 && r->gap == 4);
    assert_int_equal(r->status, TZ_STATUS_BEHIND);
    assert_true(fabs(r->behind - 30) < 1e-9);
    assert_string_equal(r->origin, "默认规则:各县区每年引进3亿元以上工业项目不少于5个");
    assert_string_equal(r->basis, "2015年上半年");
    /* aspiration: shown, never failed, even at zero */
    r = find_target(t, n, "民权县", "力争引进10亿元以上主导产业项目数");
    assert_non_null(r);
    assert_int_equal(r->status, TZ_STATUS_ASPIRATION);
    assert_true(r->actual == 0);
    /* group and department defaults */
    r = find_target(t, n, "电子信息专题招商组", "引进3亿元以上项目数");
    assert_non_null(r);
    assert_int_equal(r->status, TZ_STATUS_BEHIND);
    r = find_target(t, n, "市住建局", "引进1亿元以上项目数");
    assert_non_null(r);
    assert_int_equal(r->is_default, 1);
    /* city-wide: default 50 projects >= 3亿; FDI target = sum of counties' rows */
    r = find_target(t, n, "商丘市", "引进3亿元以上项目数");
    assert_non_null(r);
    assert_true(r->target == 50 && r->actual == 3);
    r = find_target(t, n, "商丘市", "实际利用外资(万美元)");
    assert_non_null(r);
    assert_true(r->target == 1200 && r->actual == 300);
    assert_string_equal(r->region, CITY);
    /* growth over a zero base: actual NAN, not met while still zero */
    r = find_target(t, n, "睢县", "实际利用外资增长率(%)");
    assert_non_null(r);
    assert_true(isnan(r->actual));
    assert_int_equal(r->status, TZ_STATUS_BEHIND);
    assert_true(isnan(r->progress) && isnan(r->behind));
    assert_non_null(strstr(r->basis, "上年同期为零"));
    free(t);
    /* the same after July: 睢县's FDI is no longer zero, so growth over zero is met:
     * a growth rate in-year is on schedule, not 已完成 */
    p = per("2015-07");
    assert_int_equal(tz_targets_check(f->s, &sc, &p, &t, &n, &d), 0);
    r = find_target(t, n, "睢县", "实际利用外资增长率(%)");
    assert_int_equal(r->status, TZ_STATUS_ON_SCHEDULE);
    assert_string_equal(find_target(t, n, "睢县", "引进3亿元以上工业项目数")->basis,
                        "2015年1月至7月累计");
    free(t);
    /* a unit scope: only that unit, no city-wide rows */
    tz_scope one = {NULL, "民权县"};
    assert_int_equal(tz_targets_check(f->s, &one, &p, &t, &n, &d), 0);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(t[i].unit, "民权县");
    assert_null(find_target(t, n, "商丘市", "引进3亿元以上项目数"));
    free(t);
    tz_diags_clear(&d);
}

static void test_targets_county(void **state)
{
    fx *f = *state;
    tz_scope sc = {COUNTY, NULL};
    tz_period p = per("2018");
    tz_diags d = TZ_DIAGS_INIT;
    tz_target_result *t = NULL;
    size_t n = 0;
    assert_int_equal(tz_targets_check(f->s, &sc, &p, &t, &n, &d), 0);
    assert_int_equal(n, 1); /* the bureau's 2018 quota; no city in a county scope */
    assert_string_equal(t[0].indicator, "户户通安装户数");
    assert_true(t[0].actual == 2 && t[0].target == 2);
    assert_int_equal(t[0].status, TZ_STATUS_MET);
    free(t);
    p = per("2019");
    ex(f->s, "INSERT INTO targets (unit, year, indicator, value) VALUES "
             "('县文化广电旅游局',2019,'村级文化服务中心覆盖率(%)',100)");
    assert_int_equal(tz_targets_check(f->s, &sc, &p, &t, &n, &d), 0);
    assert_int_equal(n, 2);
    const tz_target_result *r = find_target(t, n, "县文化广电旅游局", "户户通安装户数");
    assert_int_equal(r->status, TZ_STATUS_NOT_MET);
    assert_true(r->gap == 4);
    r = find_target(t, n, "县文化广电旅游局", "村级文化服务中心覆盖率(%)");
    assert_true(fabs(r->actual - 75) < 1e-9);
    assert_string_equal(r->basis, "截至2019-12-31");
    free(t);
    tz_diags_clear(&d);
}

/* Checks one target of a fresh tz_targets_check of the city over period:
 * its status and, when behind, the points behind (NAN: not measurable). */
static const tz_target_result *sched_check(fx *f, const char *period, const char *unit,
                                           const char *ind, tz_target_result **t)
{
    tz_scope sc = {CITY, NULL};
    tz_period p = per(period);
    tz_diags d = TZ_DIAGS_INIT;
    size_t n = 0;
    free(*t);
    *t = NULL;
    assert_int_equal(tz_targets_check(f->s, &sc, &p, t, &n, &d), 0);
    tz_diags_clear(&d);
    const tz_target_result *r = find_target(*t, n, unit, ind);
    assert_non_null(r);
    return r;
}

/* 时序进度: in-year an additive target is judged against the share of the
 * year elapsed (to 0.1 point), at the year's end against the whole target. */
static void test_targets_schedule(void **state)
{
    fx *f = *state;
    tz_target_result *t = NULL;
    const char *fdi = "实际利用外资(万美元)";
    /* 民权县 300 of 900 at the half year: 33.3% against 50.0%, 16.7 points behind */
    const tz_target_result *r = sched_check(f, "2015-H1", "民权县", fdi, &t);
    assert_true(r->schedule == 0.5 && r->year_end == 0);
    assert_true(fabs(r->progress - 1.0 / 3) < 1e-12);
    assert_int_equal(r->status, TZ_STATUS_BEHIND);
    assert_true(fabs(r->behind - 16.7) < 1e-9);
    assert_string_equal(tz_status_word(r->status), "滞后于序时进度");
    assert_string_equal(r->origin, "目标任务台账");
    /* exactly half at the half year is on schedule, more is ahead */
    ex(f->s, "UPDATE targets SET value = 600 WHERE unit = '民权县' AND indicator = "
             "'实际利用外资(万美元)'");
    r = sched_check(f, "2015-H1", "民权县", fdi, &t);
    assert_int_equal(r->status, TZ_STATUS_ON_SCHEDULE);
    assert_true(r->behind == 0);
    ex(f->s, "UPDATE targets SET value = 500 WHERE unit = '民权县' AND indicator = "
             "'实际利用外资(万美元)'");
    r = sched_check(f, "2015-H1", "民权县", fdi, &t);
    assert_int_equal(r->status, TZ_STATUS_AHEAD);
    assert_string_equal(tz_status_word(r->status), "超序时进度");
    /* the same actual at the year's end: 未完成, whatever the schedule said */
    r = sched_check(f, "2015", "民权县", fdi, &t);
    assert_true(r->schedule == 1 && r->year_end == 1);
    assert_int_equal(r->status, TZ_STATUS_NOT_MET);
    assert_string_equal(tz_status_word(r->status), "未完成");
    /* a quarter ends at 3/12 of the year: 300/500 = 60% is ahead of 25% */
    r = sched_check(f, "2015-Q2", "民权县", fdi, &t);
    assert_int_equal(r->status, TZ_STATUS_AHEAD);
    /* a month: 2015-07 is 7/12 = 58.3%; 睢县 has 50: of 100 it is 50.0%, 8.3 behind */
    ex(f->s, "UPDATE targets SET value = 100 WHERE unit = '睢县' AND indicator = "
             "'实际利用外资(万美元)'");
    r = sched_check(f, "2015-07", "睢县", fdi, &t);
    assert_true(fabs(r->schedule - 7.0 / 12) < 1e-12);
    assert_int_equal(r->status, TZ_STATUS_BEHIND);
    assert_true(fabs(r->behind - 8.3) < 1e-9);
    /* 50 of 85.72 is 58.33%: equal to 58.3% at 0.1 point, on schedule */
    ex(f->s, "UPDATE targets SET value = 85.72 WHERE unit = '睢县' AND indicator = "
             "'实际利用外资(万美元)'");
    r = sched_check(f, "2015-07", "睢县", fdi, &t);
    assert_int_equal(r->status, TZ_STATUS_ON_SCHEDULE);
    /* the same at the half year is 0 of it: behind by the whole 50 points */
    r = sched_check(f, "2015-H1", "睢县", fdi, &t);
    assert_int_equal(r->status, TZ_STATUS_BEHIND);
    assert_true(fabs(r->behind - 50) < 1e-9 && r->progress == 0);
    /* a target met is 已完成 in any month */
    r = sched_check(f, "2015-H1", "民权县", "引进3亿元以上工业项目数", &t);
    assert_int_equal(r->status, TZ_STATUS_MET);
    assert_true(r->progress == 1);
    /* a growth rate in-year: met is on schedule, not met behind (points unknown) */
    r = sched_check(f, "2015-H1", "民权县", "实际利用外资增长率(%)", &t);
    assert_true(isnan(r->progress));
    assert_int_equal(r->status, TZ_STATUS_ON_SCHEDULE);
    r = sched_check(f, "2015-H1", "睢县", "实际利用外资增长率(%)", &t);
    assert_int_equal(r->status, TZ_STATUS_BEHIND);
    assert_true(isnan(r->behind));
    /* an aspiration not reached stays 力争 at the year's end */
    r = sched_check(f, "2015", "民权县", "力争引进10亿元以上主导产业项目数", &t);
    assert_int_equal(r->status, TZ_STATUS_ASPIRATION);
    free(t);
}

/* Which statuses fail a check, and their words. */
static void test_status_failed_and_words(void **state)
{
    (void)state;
    static const struct {
        tz_status st;
        const char *word;
        int failed;
    } cases[] = {
        {TZ_STATUS_MET, "已完成", 0},
        {TZ_STATUS_NOT_MET, "未完成", 1},
        {TZ_STATUS_ASPIRATION, "力争", 0},
        {TZ_STATUS_AHEAD, "超序时进度", 0},
        {TZ_STATUS_ON_SCHEDULE, "达到序时进度", 0},
        {TZ_STATUS_BEHIND, "滞后于序时进度", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_string_equal(tz_status_word(cases[i].st), cases[i].word);
        assert_int_equal(tz_status_failed(cases[i].st), cases[i].failed);
    }
}

/* Where a target comes from: the ledger, a default rule, or (city-wide) the
 * rule while the ledger's unit targets add up to another figure. */
static void test_targets_origin(void **state)
{
    fx *f = *state;
    tz_target_result *t = NULL;
    const tz_target_result *r = sched_check(f, "2015-H1", "商丘市", "引进3亿元以上项目数", &t);
    assert_int_equal(r->is_default, 1);
    /* the ledger holds 民权县's 2 industrial projects >= 3亿 (which count too) */
    assert_string_equal(r->origin, "默认规则:全市每年引进3亿元以上项目不少于50个;"
                                   "目标任务台账中各单位目标合计2个,全市目标按默认规则50个计"
                                   "(台账未列全市目标)");
    r = sched_check(f, "2015-H1", "商丘市", "实际利用外资(万美元)", &t);
    assert_string_equal(r->origin, "目标任务台账(各县区目标之和)");
    r = sched_check(f, "2015-H1", "商丘市", "实际利用外资增长率(%)", &t);
    assert_string_equal(r->origin, "默认规则:全市每年实际利用外资增长率不低于10%");
    r = sched_check(f, "2015-H1", "电子信息专题招商组", "引进3亿元以上项目数", &t);
    assert_string_equal(r->origin, "默认规则:各专题招商组每年引进3亿元以上项目不少于1个");
    /* when the ledger's rows add up to the rule's figure, no clause */
    ex(f->s, "INSERT INTO targets (unit, year, indicator, value) VALUES "
             "('睢县',2015,'引进3亿元以上工业项目数',48)");
    r = sched_check(f, "2015-H1", "商丘市", "引进3亿元以上项目数", &t);
    assert_string_equal(r->origin, "默认规则:全市每年引进3亿元以上项目不少于50个");
    free(t);
}

/* How the 首页 measures a target's indicator: the window and mode of
 * tz_targets_check (a stock at the period's end, else 1 January to it), the
 * indicator of a 力争 target without the prefix, and which indicators' months
 * add up. */
static void test_target_measure_and_additive(void **state)
{
    (void)state;
    tz_period p = per("2019-06"), w;
    tz_mode m;
    const char *ind = NULL;
    assert_int_equal(tz_target_measure("户户通安装户数", &p, &w, &m, &ind), 0);
    assert_string_equal(ind, "户户通安装户数");
    assert_int_equal(m, TZ_MODE_PERIOD);
    assert_string_equal(w.start, "2019-01-01");
    assert_string_equal(w.end, "2019-06-30");
    assert_int_equal(tz_target_measure("村级文化服务中心覆盖率(%)", &p, &w, &m, &ind), 0);
    assert_int_equal(m, TZ_MODE_TODATE);
    assert_string_equal(w.start, "2019-06-01");
    assert_int_equal(tz_target_measure("力争引进10亿元以上主导产业项目数", &p, &w, &m, &ind), 0);
    assert_string_equal(ind, "引进10亿元以上主导产业项目数");
    assert_int_equal(tz_target_measure("贫困村数", &p, &w, &m, &ind), -1);
    assert_int_equal(tz_target_measure("没有这个指标", &p, &w, &m, &ind), -1);
    assert_true(tz_indicator_additive("户户通安装户数"));
    assert_true(tz_indicator_additive("实际利用外资(万美元)"));
    assert_false(tz_indicator_additive("村级文化服务中心覆盖率(%)")); /* a ratio */
    assert_false(tz_indicator_additive("实际利用外资增长率(%)"));     /* a growth */
    assert_false(tz_indicator_additive("贫困村数"));                  /* undated */
    assert_false(tz_indicator_additive("没有这个指标"));
    tz_period y;
    tz_period_ytd(&p, &y);
    assert_string_equal(y.start, "2019-01-01");
    assert_string_equal(y.end, "2019-06-30");
}

/* ---- rules ---------------------------------------------------------------- */

static const tz_finding *rule(tz_store *s, const char *region, const char *unit, const char *period,
                              const char *id, tz_finding **all, size_t *n)
{
    tz_scope sc = {region, unit};
    tz_period p = per(period);
    tz_diags d = TZ_DIAGS_INIT;
    tz_findings_free(*all, *n);
    *all = NULL;
    int rc = tz_rules_check(s, &sc, &p, all, n, &d);
    if (rc)
        tz_diags_print(&d, stderr);
    tz_diags_clear(&d);
    assert_int_equal(rc, 0);
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*all)[i].rule, id))
            return &(*all)[i];
    return NULL;
}

static void test_rule_table(void **state)
{
    (void)state;
    size_t n;
    const tz_rule_info *r = tz_rules_all(&n);
    assert_true(n >= 16);
    for (size_t i = 0; i < n; i++) {
        assert_non_null(r[i].id);
        assert_non_null(r[i].summary);
    }
}

static void test_rule_centres(void **state)
{
    fx *f = *state;
    tz_finding *all = NULL;
    size_t n = 0;
    /* rule 1: all poor villages built by 2017 -> no finding; before the deadline none either */
    assert_null(rule(f->s, COUNTY, NULL, "2018", "poor_village_centre", &all, &n));
    ex(f->s, "UPDATE culture_centers SET year_built = 2018 WHERE village = '411628102202'");
    const tz_finding *e = rule(f->s, COUNTY, NULL, "2018", "poor_village_centre", &all, &n);
    assert_non_null(e);
    assert_int_equal(e->count, 1);
    assert_string_equal(e->keys, "411628102202");
    assert_non_null(strstr(e->message, "乙村"));
    assert_null(rule(f->s, COUNTY, NULL, "2017-06", "poor_village_centre", &all, &n));
    /* rule 2: 甲村 has no centre */
    e = rule(f->s, COUNTY, NULL, "2019", "centre_coverage", &all, &n);
    assert_non_null(e);
    assert_int_equal(e->level, TZ_FINDING_PROBLEM);
    assert_int_equal(e->count, 1);
    assert_string_equal(e->keys, "411628102201");
    ex(f->s, "INSERT INTO culture_centers (village, year_built, plaza_area, compliant, subsidy, "
             "subsidy_paid) VALUES ('411628102201',2019,700,0,10,10)");
    e = rule(f->s, COUNTY, NULL, "2019", "centre_coverage", &all, &n);
    assert_non_null(e); /* built but not 达标 */
    assert_non_null(strstr(e->message, "已建未达标1个"));
    ex(f->s, "UPDATE culture_centers SET compliant = 1 WHERE village = '411628102201'");
    assert_null(rule(f->s, COUNTY, NULL, "2019", "centre_coverage", &all, &n));
    /* a village scope outside the gap has no finding */
    assert_null(rule(f->s, LUYAO, NULL, "2019", "centre_coverage", &all, &n));
    /* rule 3: 刘楼村 owed 10 - 4 = 6 */
    e = rule(f->s, COUNTY, NULL, "2019", "subsidy_owed", &all, &n);
    assert_non_null(e);
    assert_true(e->amount == 6 && e->count == 1);
    assert_null(rule(f->s, COUNTY, NULL, "2017", "subsidy_owed", &all, &n)); /* built 2018 */
    ex(f->s, "UPDATE culture_centers SET subsidy_paid = subsidy");
    assert_null(rule(f->s, COUNTY, NULL, "2019", "subsidy_owed", &all, &n));
    /* paid above the standard is a data finding */
    assert_null(rule(f->s, COUNTY, NULL, "2019", "subsidy_paid", &all, &n));
    ex(f->s, "UPDATE culture_centers SET subsidy_paid = 12 WHERE village = '411628101202'");
    e = rule(f->s, COUNTY, NULL, "2019", "subsidy_paid", &all, &n);
    assert_non_null(e);
    assert_int_equal(e->level, TZ_FINDING_DATA);
    tz_findings_free(all, n);
}

static void test_rule_tv(void **state)
{
    fx *f = *state;
    tz_finding *all = NULL;
    size_t n = 0;
    assert_null(rule(f->s, COUNTY, NULL, "2019", "tv_fault", &all, &n));
    ex(f->s, "UPDATE tv_installs SET status = '故障' WHERE hh_id = 'H3'");
    const tz_finding *e = rule(f->s, COUNTY, NULL, "2019", "tv_fault", &all, &n);
    assert_non_null(e);
    assert_string_equal(e->keys, "H3");
    assert_null(rule(f->s, COUNTY, NULL, "2018", "tv_fault", &all, &n)); /* installed 2019 */
    /* installs only for registered households */
    assert_null(rule(f->s, NULL, NULL, "2019", "tv_unregistered", &all, &n));
    ex(f->s,
       "INSERT INTO tv_installs (hh_id, install_date, status) VALUES ('X1','2019-01-01','正常')");
    e = rule(f->s, NULL, NULL, "2019", "tv_unregistered", &all, &n);
    assert_non_null(e);
    assert_string_equal(e->keys, "X1");
    tz_findings_free(all, n);
}

static void test_rule_household_exit(void **state)
{
    fx *f = *state;
    tz_finding *all = NULL;
    size_t n = 0;
    assert_null(rule(f->s, COUNTY, NULL, "2019", "household_exit", &all, &n));
    /* income not above the 2017 line (3335, from data/poverty_lines.tsv) */
    ex(f->s, "UPDATE households SET income = 3335 WHERE hh_id = 'H1'");
    const tz_finding *e = rule(f->s, COUNTY, NULL, "2019", "household_exit", &all, &n);
    assert_non_null(e);
    assert_int_equal(e->level, TZ_FINDING_DATA);
    assert_string_equal(e->keys, "H1");
    assert_non_null(strstr(e->message, "3335"));
    ex(f->s, "UPDATE households SET income = 3336 WHERE hh_id = 'H1'");
    assert_null(rule(f->s, COUNTY, NULL, "2019", "household_exit", &all, &n));
    /* a guarantee that is not 是 (否 or empty) */
    ex(f->s, "UPDATE households SET water_ok = NULL WHERE hh_id = 'H3'");
    e = rule(f->s, COUNTY, NULL, "2019", "household_exit", &all, &n);
    assert_non_null(e);
    assert_string_equal(e->keys, "H3");
    assert_non_null(strstr(e->message, "饮水安全保障未填"));
    /* a household still poor is never a finding */
    assert_null(rule(f->s, LUYAO, NULL, "2019", "household_exit", &all, &n));
    double line;
    tz_diags d = TZ_DIAGS_INIT;
    assert_int_equal(tz_poverty_line(2020, &line, &d), 0);
    assert_true(line == 4000);
    assert_int_equal(tz_poverty_line(2010, &line, &d), 0);
    assert_true(line == 2300);
    assert_int_equal(tz_poverty_line(1999, &line, &d), 1);
    tz_findings_free(all, n);
}

/* Deadline rules (rules 1 and 2) are problems only once the period ends on
 * or after the deadline; rule 1 tells 仍未建成 from 建成晚于期限. */
/* A finding names every row it counts, however many (its keys once stopped
 * at 256 bytes: 17 village codes). */
static void test_rule_keys_all_rows(void **state)
{
    fx *f = *state;
    tz_finding *all = NULL;
    size_t n = 0;
    tz_buf sql = TZ_BUF_INIT;
    tz_buf_puts(&sql, "INSERT INTO regions (code, name, parent, level, poor) VALUES ");
    for (int i = 0; i < 60; i++)
        tz_buf_printf(&sql, "%s('411628101%03d','新村%d','411628101000','村',0)", i ? "," : "",
                      300 + i, i);
    ex(f->s, tz_buf_str(&sql));
    tz_buf_free(&sql);
    const tz_finding *e = rule(f->s, COUNTY, NULL, "2020", "centre_coverage", &all, &n);
    assert_non_null(e);
    assert_int_equal(e->count, 61); /* the 60 new villages and 甲村 */
    assert_int_equal(e->nkeys, 61);
    assert_true(strlen(e->keys) > 256);
    size_t seps = 0;
    for (const char *k = strstr(e->keys, "、"); k; k = strstr(k + 1, "、"))
        seps++;
    assert_int_equal(seps + 1, 61);
    assert_non_null(strstr(e->keys, "411628101300、"));
    assert_non_null(strstr(e->keys, "411628101359"));
    assert_non_null(strstr(e->keys, "411628102201"));
    tz_findings_free(all, n);
    tz_findings_free(NULL, 3);
}

static void test_rule_deadlines(void **state)
{
    fx *f = *state;
    tz_finding *all = NULL;
    size_t n = 0;
    /* rule 2: 甲村 has no centre; before 2019-12-31 that is progress, not a problem */
    assert_null(rule(f->s, COUNTY, NULL, "2016", "centre_coverage", &all, &n));
    assert_null(rule(f->s, COUNTY, NULL, "2018", "centre_coverage", &all, &n));
    assert_null(rule(f->s, COUNTY, NULL, "2019-H1", "centre_coverage", &all, &n));
    assert_null(rule(f->s, COUNTY, NULL, "2019-11", "centre_coverage", &all, &n));
    const tz_finding *e = rule(f->s, COUNTY, NULL, "2019-Q4", "centre_coverage", &all, &n);
    assert_non_null(e);
    assert_int_equal(e->count, 1);
    assert_non_null(strstr(e->message, "按规定2019年底要达到100%覆盖"));
    e = rule(f->s, COUNTY, NULL, "2020", "centre_coverage", &all, &n);
    assert_non_null(e);
    assert_string_equal(e->keys, "411628102201");
    /* rule 1 before its deadline: nothing, even with a poor village lacking a centre */
    ex(f->s, "DELETE FROM culture_centers WHERE village = '411628101201'");
    assert_null(rule(f->s, COUNTY, NULL, "2017-H1", "poor_village_centre", &all, &n));
    assert_null(rule(f->s, COUNTY, NULL, "2016", "poor_village_centre", &all, &n));
    /* at the deadline: 卢尧村 has none (仍未建成) */
    e = rule(f->s, COUNTY, NULL, "2017", "poor_village_centre", &all, &n);
    assert_non_null(e);
    assert_int_equal(e->count, 1);
    assert_string_equal(e->keys, "411628101201");
    assert_non_null(strstr(e->message, "卢尧村"));
    assert_non_null(strstr(e->message, "仍未建成"));
    assert_non_null(strstr(e->message, "2017年底前"));
    assert_null(strstr(e->message, "晚于期限"));
    /* 卢尧村 built in 2018: late, not missing, from 2018 on; in 2017 still missing */
    ex(f->s, "INSERT INTO culture_centers (village, year_built, plaza_area, compliant, subsidy, "
             "subsidy_paid) VALUES ('411628101201',2018,900,1,10,10)");
    e = rule(f->s, COUNTY, NULL, "2017", "poor_village_centre", &all, &n);
    assert_non_null(e);
    assert_non_null(strstr(e->message, "仍未建成"));
    e = rule(f->s, COUNTY, NULL, "2019", "poor_village_centre", &all, &n);
    assert_non_null(e);
    assert_int_equal(e->count, 1);
    assert_string_equal(e->keys, "411628101201");
    assert_non_null(strstr(e->message, "建成晚于期限"));
    assert_non_null(strstr(e->message, "卢尧村(2018年建成)"));
    assert_null(strstr(e->message, "仍未建成"));
    /* both kinds at once: two findings of the rule */
    ex(f->s, "DELETE FROM culture_centers WHERE village = '411628102202'");
    rule(f->s, COUNTY, NULL, "2019", "poor_village_centre", &all, &n);
    int missing = 0, late = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(all[i].rule, "poor_village_centre"))
            continue;
        assert_int_equal(all[i].level, TZ_FINDING_PROBLEM);
        if (strstr(all[i].message, "仍未建成")) {
            missing++;
            assert_string_equal(all[i].keys, "411628102202");
        } else if (strstr(all[i].message, "建成晚于期限")) {
            late++;
            assert_string_equal(all[i].keys, "411628101201");
        }
    }
    assert_int_equal(missing, 1);
    assert_int_equal(late, 1);
    tz_findings_free(all, n);
}

/* The exit rule looks only at households exited by the period's end year. */
static void test_rule_household_exit_period(void **state)
{
    fx *f = *state;
    tz_finding *all = NULL;
    size_t n = 0;
    /* H4 exits in 2019 with an income below the 2019 line */
    ex(f->s, "UPDATE households SET income = 1000 WHERE hh_id = 'H4'");
    for (int on = 0; on < 2; on++) {
        tz_metrics_set_summaries(on);
        assert_null(rule(f->s, COUNTY, NULL, "2018", "household_exit", &all, &n));
        assert_null(rule(f->s, COUNTY, NULL, "2016", "household_exit", &all, &n));
        const tz_finding *e = rule(f->s, COUNTY, NULL, "2019", "household_exit", &all, &n);
        assert_non_null(e);
        assert_string_equal(e->keys, "H4");
        e = rule(f->s, COUNTY, NULL, "2019-H1", "household_exit", &all, &n);
        assert_non_null(e); /* exit year 2019 <= the end year 2019 */
        assert_string_equal(e->keys, "H4");
        e = rule(f->s, COUNTY, NULL, "2020", "household_exit", &all, &n);
        assert_non_null(e);
        /* an earlier exit failing the standard is found from its year on */
        ex(f->s, "UPDATE households SET med_ok = 0 WHERE hh_id = 'H1'");
        e = rule(f->s, COUNTY, NULL, "2018", "household_exit", &all, &n);
        assert_non_null(e);
        assert_string_equal(e->keys, "H1");
        assert_int_equal(e->count, 1);
        assert_null(rule(f->s, COUNTY, NULL, "2016", "household_exit", &all, &n));
        ex(f->s, "UPDATE households SET med_ok = 1 WHERE hh_id = 'H1'");
    }
    tz_metrics_set_summaries(1);
    tz_findings_free(all, n);
}

/* An aspiration (力争) reached is 已完成; not reached it is 力争, never 未完成. */
static void test_targets_aspiration(void **state)
{
    fx *f = *state;
    tz_scope sc = {CITY, NULL};
    tz_period p = per("2015-H1");
    tz_diags d = TZ_DIAGS_INIT;
    tz_target_result *t = NULL;
    size_t n = 0;
    const char *asp = "力争引进10亿元以上主导产业项目数";
    assert_int_equal(tz_targets_check(f->s, &sc, &p, &t, &n, &d), 0);
    const tz_target_result *r = find_target(t, n, "民权县", asp);
    assert_non_null(r);
    assert_int_equal(r->status, TZ_STATUS_ASPIRATION);
    assert_true(r->actual == 0 && r->target == 1 && r->gap == 1);
    free(t);
    /* a 12亿 制冷家电 (its 主导产业) project signed in May reaches it */
    ex(f->s, "INSERT INTO projects (project_id, name, investor, county, unit, industry, "
             "industrial, investment, kind, is_foreign, fdi_contract, stage, signed_date, "
             "landed_date, channel) VALUES ('P9','冷链','己','411421000000','民权县','制冷家电',"
             "1,12,'新建',0,0,'签约','2015-05-10',NULL,'以商招商')");
    assert_int_equal(tz_targets_check(f->s, &sc, &p, &t, &n, &d), 0);
    r = find_target(t, n, "民权县", asp);
    assert_non_null(r);
    assert_int_equal(r->status, TZ_STATUS_MET);
    assert_true(r->actual == 1 && r->gap == 0);
    assert_string_equal(tz_status_word(r->status), "已完成");
    /* 睢县 has none: still 力争, not 滞后于序时进度 */
    r = find_target(t, n, "睢县", asp);
    assert_non_null(r);
    assert_int_equal(r->status, TZ_STATUS_ASPIRATION);
    free(t);
    tz_diags_clear(&d);
}

static void test_rule_household_duplicate(void **state)
{
    fx *f = *state;
    tz_finding *all = NULL;
    size_t n = 0;
    assert_null(rule(f->s, COUNTY, NULL, "2019", "household_duplicate", &all, &n));
    /* the same name and birth date in the same village: not this rule */
    ex(f->s, "INSERT INTO households (hh_id, head_name, id_number, village, members, kind, cause, "
             "year_identified) VALUES ('H6','张一','411628197001010128','411628101201',1,"
             "'一般贫困户','因病',2015)");
    assert_null(rule(f->s, COUNTY, NULL, "2019", "household_duplicate", &all, &n));
    /* ... in another village: a possible duplicate */
    ex(f->s, "INSERT INTO households (hh_id, head_name, id_number, village, members, kind, cause, "
             "year_identified) VALUES ('H7','张一','411628197001010136','411628102201',1,"
             "'一般贫困户','因病',2015)");
    const tz_finding *e = rule(f->s, COUNTY, NULL, "2019", "household_duplicate", &all, &n);
    assert_non_null(e);
    assert_int_equal(e->count, 1);
    assert_string_equal(e->keys, "H1、H6、H7");
    assert_non_null(strstr(e->message, "1970-01-01"));
    /* different birth date: no finding */
    ex(f->s, "UPDATE households SET id_number = '411628197101010136' WHERE hh_id = 'H7'");
    assert_null(rule(f->s, COUNTY, NULL, "2019", "household_duplicate", &all, &n));
    tz_findings_free(all, n);
}

static void test_rule_aid(void **state)
{
    fx *f = *state;
    tz_finding *all = NULL;
    size_t n = 0;
    assert_null(rule(f->s, COUNTY, NULL, "2019", "aid_input_village", &all, &n));
    assert_null(rule(f->s, COUNTY, NULL, "2019", "cadre_village", &all, &n));
    /* an input for H2 (卢尧村) recorded in 刘楼村 */
    ex(f->s, "UPDATE aid_inputs SET village = '411628101202' WHERE input_id = 'T3'");
    const tz_finding *e = rule(f->s, COUNTY, NULL, "2019", "aid_input_village", &all, &n);
    assert_non_null(e);
    assert_string_equal(e->keys, "T3");
    /* a cadre in a village the unit does not aid */
    ex(f->s, "INSERT INTO aid_cadres (name, unit, village, post, kind, start_date) VALUES "
             "('丙干部','县文化广电旅游局','411628102201','工作队员','其他','2018-01-01')");
    e = rule(f->s, NULL, "县文化广电旅游局", "2019", "cadre_village", &all, &n);
    assert_non_null(e);
    assert_string_equal(e->keys, "丙干部/县文化广电旅游局/411628102201");
    tz_findings_free(all, n);
}

static void test_rule_projects(void **state)
{
    fx *f = *state;
    tz_finding *all = NULL;
    size_t n = 0;
    /* FDI zero in 2015-H1: 睢县 (its FDI comes in July) */
    const tz_finding *e = rule(f->s, CITY, NULL, "2015-H1", "fdi_zero", &all, &n);
    assert_non_null(e);
    assert_string_equal(e->keys, "睢县");
    assert_null(rule(f->s, CITY, NULL, "2015-07", "fdi_zero", &all, &n));
    /* no new foreign project; contracted FDI all 增资 */
    e = rule(f->s, CITY, NULL, "2015-H1", "no_new_foreign", &all, &n);
    assert_non_null(e);
    assert_true(e->amount == 500);
    assert_non_null(strstr(e->message, "全部为增资"));
    ex(f->s, "UPDATE projects SET kind = '新建' WHERE project_id = 'P3'");
    assert_null(rule(f->s, CITY, NULL, "2015-H1", "no_new_foreign", &all, &n));
    /* a county database has no investment ledger: no such finding */
    assert_null(rule(f->s, COUNTY, NULL, "2019", "no_new_foreign", &all, &n));
    /* units that brought in nothing: the group and the department */
    e = rule(f->s, CITY, NULL, "2015-H1", "unit_no_project", &all, &n);
    assert_non_null(e);
    int groups = 0;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(all[i].rule, "unit_no_project"))
            groups++;
    assert_int_equal(groups, 2);
    ex(f->s, "INSERT INTO projects (project_id, name, county, unit, industry, industrial, "
             "investment, kind, is_foreign, stage, signed_date) VALUES "
             "('P8','终端','411422000000','电子信息专题招商组','电子信息',1,3,'新建',0,'签约',"
             "'2015-06-01'),('P9','广场','411421000000','市住建局','商业',0,1,'新建',0,'签约',"
             "'2015-06-02')");
    assert_null(rule(f->s, CITY, NULL, "2015-H1", "unit_no_project", &all, &n));
    /* rule 12: 酒业 is outside 民权县's 主导产业 */
    e = rule(f->s, CITY, NULL, "2015-H1", "leading_industry", &all, &n);
    assert_non_null(e);
    assert_string_equal(e->keys, "P2");
    assert_non_null(strstr(e->message, "白酒酿造"));
    ex(f->s, "UPDATE regions SET industries = '制冷家电、白酒酿造' WHERE code = '411421000000'");
    assert_null(rule(f->s, CITY, NULL, "2015-H1", "leading_industry", &all, &n));
    /* rule 10: one project, one unit */
    assert_null(rule(f->s, CITY, NULL, "2015-H1", "project_duplicate", &all, &n));
    assert_null(rule(f->s, CITY, NULL, "2015-H1", "project_unit_county", &all, &n));
    ex(f->s, "INSERT INTO projects (project_id, name, county, unit, industry, industrial, "
             "investment, kind, is_foreign, stage, signed_date) VALUES ('P10','压缩机',"
             "'411421000000','电子信息专题招商组','制冷家电',1,5.5,'新建',0,'签约','2015-03-02'),"
             "('P11','别县项目','411421000000','睢县','制鞋',1,2,'新建',0,'签约','2015-03-03')");
    e = rule(f->s, CITY, NULL, "2015-H1", "project_duplicate", &all, &n);
    assert_non_null(e);
    assert_string_equal(e->keys, "P1、P10");
    e = rule(f->s, CITY, NULL, "2015-H1", "project_unit_county", &all, &n);
    assert_non_null(e);
    assert_string_equal(e->keys, "P11");
    tz_findings_free(all, n);
}

static void test_poverty_lines_file(void **state)
{
    fx *f = *state;
    char path[160];
    tz_diags d = TZ_DIAGS_INIT;
    snprintf(path, sizeof path, "%s/lines.tsv", f->dir);
    FILE *fp = fopen(path, "w");
    fputs("# comment\n2016\t3000\n2015\t2900\n", fp); /* not ascending */
    fclose(fp);
    assert_int_equal(tz_poverty_lines_load(path, &d), -1);
    assert_int_equal(d.nerrors, 1);
    assert_int_equal(d.items[0].row, 3);
    tz_diags_clear(&d);
    fp = fopen(path, "w");
    fputs("2016\tabc\n", fp);
    fclose(fp);
    assert_int_equal(tz_poverty_lines_load(path, &d), -1);
    tz_diags_clear(&d);
    /* a good file replaces the table */
    fp = fopen(path, "w");
    fputs("# lines\n2017\t5000\n", fp);
    fclose(fp);
    assert_int_equal(tz_poverty_lines_load(path, &d), 0);
    double line;
    assert_int_equal(tz_poverty_line(2017, &line, &d), 0);
    assert_true(line == 5000);
    tz_finding *all = NULL;
    size_t n = 0;
    /* H1 exited 2017 with 5000: not above 5000; H3/H4 exited in years without a line */
    const tz_finding *e = rule(f->s, COUNTY, NULL, "2019", "household_exit", &all, &n);
    assert_non_null(e);
    assert_int_equal(e->count, 3);
    assert_non_null(strstr(e->message, "无贫困线"));
    tz_findings_free(all, n);
    unlink(path);
    assert_int_equal(tz_poverty_lines_load("/nonexistent/lines.tsv", &d), -1);
    tz_diags_clear(&d);
}

/* ---- 贫困发生率 and the village rules --------------------------------------- */

/* Rural population rows for 2019: 卢尧村 100 (poor: H2, 2 people = 2%), 刘楼村
 * 400, 甲村 50, 乙村 1000 (poor: H5, 5 people = 0.5%). */
static const char *const POP2019 =
    "INSERT INTO populations (village, year, rural_population) VALUES "
    "('411628101201',2019,100),('411628101202',2019,400),('411628102201',2019,50),"
    "('411628102202',2019,1000)";

static void test_poverty_incidence(void **state)
{
    fx *f = *state;
    ex(f->s, POP2019);
    assert_true(fabs(ev(f->s, "贫困发生率(%)", LUYAO, NULL, "2019", TZ_MODE_PERIOD) - 2) < 1e-9);
    /* 宋河镇: H2 still poor (2), H3 exited 2018; 500 people */
    assert_true(fabs(ev(f->s, "贫困发生率(%)", TOWN1, NULL, "2019", TZ_MODE_PERIOD) - 0.4) < 1e-9);
    assert_true(fabs(ev(f->s, "贫困发生率(%)", COUNTY, NULL, "2019", TZ_MODE_PERIOD) -
                     700.0 / 1550) < 1e-9);
    assert_true(ev(f->s, "农村户籍人口", COUNTY, NULL, "2019", TZ_MODE_PERIOD) == 1550);
    /* one changed row moves every level at once */
    ex(f->s, "UPDATE households SET year_exited = 2019 WHERE hh_id = 'H2'");
    assert_true(ev(f->s, "贫困发生率(%)", LUYAO, NULL, "2019", TZ_MODE_PERIOD) == 0);
    assert_true(fabs(ev(f->s, "贫困发生率(%)", COUNTY, NULL, "2019", TZ_MODE_PERIOD) -
                     500.0 / 1550) < 1e-9);
    /* no population row for 2018 (the last complete year at 2019-H1): unavailable */
    tz_scope sc = {COUNTY, NULL};
    tz_period p = per("2019-H1");
    tz_diags d = TZ_DIAGS_INIT;
    double v;
    assert_int_equal(tz_indicator_eval(f->s, "贫困发生率(%)", &sc, &p, TZ_MODE_PERIOD, &v, &d), -1);
    assert_non_null(strstr(d.items[0].reason, "2018年"));
    assert_non_null(strstr(d.items[0].reason, "户籍人口"));
    tz_diags_clear(&d);
    /* one row for 2018 is enough: 8 people still poor at the end of 2018 (H2, H4,
     * H5) over 卢尧村's 80 */
    ex(f->s, "INSERT INTO populations (village, year, rural_population) VALUES "
             "('411628101201',2018,80)");
    assert_true(fabs(ev(f->s, "贫困发生率(%)", COUNTY, NULL, "2019-H1", TZ_MODE_PERIOD) - 10) <
                1e-9);
    /* grouped by village: NAN where a village has no row */
    tz_group_value *g = NULL;
    size_t n = 0;
    tz_period y = per("2018");
    assert_int_equal(
        tz_indicator_eval_by(f->s, "贫困发生率(%)", &sc, &y, TZ_MODE_PERIOD, "village", &g, &n, &d),
        0);
    assert_int_equal(n, 4);
    assert_string_equal(g[0].key, LUYAO);
    assert_true(fabs(g[0].value - 2.5) < 1e-9);
    assert_true(isnan(g[1].value));
    free(g);
    tz_diags_clear(&d);
}

static void test_rule_village_exit(void **state)
{
    fx *f = *state;
    tz_finding *all = NULL;
    size_t n = 0;
    /* no 户籍人口 ledger kept: the rule does not run */
    assert_null(rule(f->s, COUNTY, NULL, "2019", "village_exit", &all, &n));
    ex(f->s, POP2019);
    /* 卢尧村 at 2%: not below the 2% threshold; 乙村 at 0.5% exits */
    const tz_finding *e = rule(f->s, COUNTY, NULL, "2019", "village_exit", &all, &n);
    assert_non_null(e);
    assert_int_equal(e->level, TZ_FINDING_PROBLEM);
    assert_int_equal(e->count, 1);
    assert_string_equal(e->keys, LUYAO);
    assert_non_null(strstr(e->message, "卢尧村(2%)"));
    assert_non_null(strstr(e->message, "低于2%"));
    assert_non_null(strstr(e->message, "截至2019年底"));
    /* a larger population brings it below */
    ex(f->s, "UPDATE populations SET rural_population = 101 WHERE village = '411628101201'");
    assert_null(rule(f->s, COUNTY, NULL, "2019", "village_exit", &all, &n));
    /* the threshold is data: 3% for codes starting 41 */
    ex(f->s, "UPDATE populations SET rural_population = 100 WHERE village = '411628101201'");
    char path[160];
    tz_diags d = TZ_DIAGS_INIT;
    snprintf(path, sizeof path, "%s/thr.tsv", f->dir);
    FILE *fp = fopen(path, "w");
    fputs("# test\n*\t2\n41\t3\n", fp);
    fclose(fp);
    assert_int_equal(tz_exit_thresholds_load(path, &d), 0);
    double pct;
    assert_int_equal(tz_exit_threshold(LUYAO, &pct, &d), 0);
    assert_true(pct == 3);
    assert_int_equal(tz_exit_threshold("520000000000", &pct, &d), 0);
    assert_true(pct == 2);
    assert_null(rule(f->s, COUNTY, NULL, "2019", "village_exit", &all, &n));
    /* bad files are refused with the line named, and keep the table */
    fp = fopen(path, "w");
    fputs("41\tabc\n4\t3\n", fp);
    fclose(fp);
    assert_int_equal(tz_exit_thresholds_load(path, &d), -1);
    assert_int_equal(d.nerrors, 2);
    assert_int_equal(d.items[0].row, 1);
    tz_diags_clear(&d);
    /* a file that cannot be read to its end (a directory: fopen succeeds,
     * the read fails) is refused and keeps the table; it loaded as empty */
    assert_int_equal(tz_exit_thresholds_load(f->dir, &d), -1);
    assert_int_equal(d.nerrors, 1);
    assert_non_null(strstr(d.items[0].reason, "读取贫困村退出标准数据文件时出错"));
    tz_diags_clear(&d);
    assert_int_equal(tz_exit_threshold(LUYAO, &pct, &d), 0);
    assert_true(pct == 3);
    /* no default and no matching prefix: an error */
    fp = fopen(path, "w");
    fputs("52\t3\n", fp);
    fclose(fp);
    assert_int_equal(tz_exit_thresholds_load(path, &d), 0);
    assert_int_equal(tz_exit_threshold(LUYAO, &pct, &d), -1);
    tz_diags_clear(&d);
    unlink(path);
    /* the repository's table: 2% here, 3% in the western provinces */
    const char *home = getenv("TAIZHANG_HOME");
    snprintf(path, sizeof path, "%s/data/village_exit_thresholds.tsv", home && *home ? home : ".");
    assert_int_equal(tz_exit_thresholds_load(path, &d), 0);
    assert_int_equal(tz_exit_threshold("510100000000", &pct, &d), 0);
    assert_true(pct == 3);
    assert_int_equal(tz_exit_threshold(LUYAO, &pct, &d), 0);
    assert_true(pct == 2);
    /* a township scope without the village: nothing */
    assert_null(rule(f->s, TOWN2, NULL, "2019", "village_exit", &all, &n));
    assert_non_null(rule(f->s, TOWN1, NULL, "2019", "village_exit", &all, &n));
    tz_findings_free(all, n);
}

static void test_rule_village_population(void **state)
{
    fx *f = *state;
    tz_finding *all = NULL;
    size_t n = 0;
    /* an empty 户籍人口 ledger: not kept, nothing to report */
    assert_null(rule(f->s, COUNTY, NULL, "2019", "village_population", &all, &n));
    ex(f->s, POP2019);
    assert_null(rule(f->s, COUNTY, NULL, "2019", "village_population", &all, &n));
    ex(f->s, "DELETE FROM populations WHERE village = '411628102201'");
    const tz_finding *e = rule(f->s, COUNTY, NULL, "2019", "village_population", &all, &n);
    assert_non_null(e);
    assert_int_equal(e->level, TZ_FINDING_DATA);
    assert_string_equal(e->ledger, "populations");
    assert_string_equal(e->keys, "411628102201");
    assert_non_null(strstr(e->message, "2019年"));
    /* 2015: three villages had households by then, none has a 2015 row */
    e = rule(f->s, COUNTY, NULL, "2015", "village_population", &all, &n);
    assert_non_null(e);
    assert_int_equal(e->count, 3);
    tz_findings_free(all, n);
}

/* ---- summaries ------------------------------------------------------------ */

static void test_summaries_match_ledgers(void **state)
{
    fx *f = *state;
    static const char *const names[] = {
        "户户通安装户数",   "户户通故障户数",   "未安装户户通贫困户数",
        "建档立卡贫困户数", "建档立卡贫困人口", "脱贫户数",
        "脱贫人口",         "未脱贫户数",       "未脱贫人口",
        "贫困发生率(%)"};
    static const char *const regions[] = {NULL, COUNTY, TOWN1, TOWN2, LUYAO, CITY};
    static const char *const periods[] = {"2018", "2019-H1", "2017-Q4", "2019-07", "2019"};
    static const char *const bys[] = {"county", "township", "village", "year", "month", "kind"};
    ex(f->s, POP2019);
    ex(f->s, "UPDATE tv_installs SET status = '故障' WHERE hh_id = 'H2'");
    tz_diags d = TZ_DIAGS_INIT;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        for (size_t r = 0; r < sizeof regions / sizeof regions[0]; r++)
            for (size_t k = 0; k < sizeof periods / sizeof periods[0]; k++)
                for (int mode = 0; mode < 3; mode++)
                    for (int unit = 0; unit < 2; unit++) {
                        tz_scope sc = {regions[r], unit ? "县文化广电旅游局" : NULL};
                        tz_period p = per(periods[k]);
                        double v[2];
                        int rc[2];
                        for (int on = 0; on < 2; on++) {
                            tz_metrics_set_summaries(on);
                            rc[on] = tz_indicator_eval(f->s, names[i], &sc, &p, (tz_mode)mode,
                                                       &v[on], &d);
                        }
                        assert_int_equal(rc[0], rc[1]);
                        if (!rc[0] && !(isnan(v[0]) && isnan(v[1])) && v[0] != v[1]) {
                            fprintf(stderr, "%s %s %s %d: %g != %g\n", names[i],
                                    regions[r] ? regions[r] : "-", periods[k], mode, v[0], v[1]);
                            fail();
                        }
                        for (size_t b = 0; b < sizeof bys / sizeof bys[0]; b++) {
                            tz_group_value *g[2] = {NULL, NULL};
                            size_t ng[2] = {0, 0};
                            for (int on = 0; on < 2; on++) {
                                tz_metrics_set_summaries(on);
                                rc[on] =
                                    tz_indicator_eval_by(f->s, names[i], &sc, &p, (tz_mode)mode,
                                                         bys[b], &g[on], &ng[on], &d);
                            }
                            assert_int_equal(rc[0], rc[1]);
                            if (ng[0] != ng[1])
                                fprintf(stderr, "%s %s %s %d %d %s: %zu != %zu\n", names[i],
                                        regions[r] ? regions[r] : "-", periods[k], mode, unit,
                                        bys[b], ng[0], ng[1]);
                            assert_int_equal(ng[0], ng[1]);
                            for (size_t j = 0; j < ng[0]; j++) {
                                assert_string_equal(g[0][j].key, g[1][j].key);
                                assert_string_equal(g[0][j].label, g[1][j].label);
                                assert_true((isnan(g[0][j].value) && isnan(g[1][j].value)) ||
                                            g[0][j].value == g[1][j].value);
                            }
                            free(g[0]);
                            free(g[1]);
                        }
                    }
    tz_diags_clear(&d);
    /* the rules give the same findings both ways */
    ex(f->s, "INSERT INTO households (hh_id, head_name, id_number, village, members, kind, cause, "
             "year_identified) VALUES ('H7','张一','411628197001010136','411628102201',1,"
             "'一般贫困户','因病',2015)");
    ex(f->s, "UPDATE households SET income = 3000 WHERE hh_id = 'H4'");
    static const char *const scopes[] = {NULL, COUNTY, TOWN1, TOWN2, LUYAO};
    static const char *const rperiods[] = {"2018", "2019"};
    for (size_t r = 0; r < sizeof scopes / sizeof scopes[0] * 2; r++) {
        tz_finding *all[2] = {NULL, NULL};
        size_t n[2] = {0, 0};
        for (int on = 0; on < 2; on++) {
            tz_metrics_set_summaries(on);
            rule(f->s, scopes[r / 2], NULL, rperiods[r % 2], "", &all[on], &n[on]);
        }
        assert_int_equal(n[0], n[1]);
        for (size_t j = 0; j < n[0]; j++) {
            assert_string_equal(all[0][j].rule, all[1][j].rule);
            assert_string_equal(all[0][j].message, all[1][j].message);
            assert_string_equal(all[0][j].keys ? all[0][j].keys : "",
                                all[1][j].keys ? all[1][j].keys : "");
            assert_int_equal(all[0][j].nkeys, all[1][j].nkeys);
            assert_int_equal(all[0][j].count, all[1][j].count);
        }
        tz_findings_free(all[0], n[0]);
        tz_findings_free(all[1], n[1]);
    }
    tz_metrics_set_summaries(1);
}

static void test_summaries_are_read_and_refreshed(void **state)
{
    fx *f = *state;
    tz_diags d = TZ_DIAGS_INIT;
    long long dv0 = 0, dv1 = 0, rows = 0;
    assert_int_equal(tz_metrics_refresh(f->s, &d), 1);
    assert_int_equal(
        tz_store_scalar_int(f->s, "SELECT COUNT(*) FROM tz_agg_hh WHERE digits = 6", NULL, &rows),
        0);
    assert_true(rows > 0);
    /* every write to a ledger moves the data version (triggers), whoever writes */
    assert_int_equal(tz_store_scalar_int(
                         f->s, "SELECT value FROM tz_meta WHERE key = 'data_version'", NULL, &dv0),
                     0);
    ex(f->s, "UPDATE households SET members = 6 WHERE hh_id = 'H5'");
    assert_int_equal(tz_store_scalar_int(
                         f->s, "SELECT value FROM tz_meta WHERE key = 'data_version'", NULL, &dv1),
                     0);
    assert_true(dv1 > dv0);
    /* the figures come from the summary: a summary changed behind the ledger's
     * back shows (and only while the data version has not moved) */
    double before = ev(f->s, "未脱贫人口", COUNTY, NULL, "2019", TZ_MODE_PERIOD);
    assert_true(before == 8); /* H2 2 + H5 6 */
    /* one group row (they are split by install month too) */
    ex(f->s, "UPDATE tz_agg_hh SET members = members + 100 WHERE rowid = (SELECT MIN(rowid) FROM "
             "tz_agg_hh WHERE digits = 6 AND ye IS NULL AND yi <= 2019)");
    assert_true(ev(f->s, "未脱贫人口", COUNTY, NULL, "2019", TZ_MODE_PERIOD) == before + 100);
    tz_metrics_set_summaries(0);
    assert_int_equal(tz_metrics_refresh(f->s, &d), 0);
    assert_true(ev(f->s, "未脱贫人口", COUNTY, NULL, "2019", TZ_MODE_PERIOD) == before);
    tz_metrics_set_summaries(1);
    /* a change without its record (an older build's trigger): rebuilt in
     * full, the tampered row with the rest */
    ex(f->s, "UPDATE households SET members = 5 WHERE hh_id = 'H5'; DELETE FROM tz_agg_touched");
    assert_true(ev(f->s, "未脱贫人口", COUNTY, NULL, "2019", TZ_MODE_PERIOD) == 7);
    assert_true(ev(f->s, "未脱贫人口", LUYAO, NULL, "2019", TZ_MODE_PERIOD) == 2);
    /* a recorded change: followed, each ancestor taking the difference */
    ex(f->s, "UPDATE households SET members = 4 WHERE hh_id = 'H5'");
    assert_true(ev(f->s, "未脱贫人口", COUNTY, NULL, "2019", TZ_MODE_PERIOD) == 6);
    ex(f->s, "UPDATE households SET members = 5 WHERE hh_id = 'H5'");
    assert_true(ev(f->s, "未脱贫人口", COUNTY, NULL, "2019", TZ_MODE_PERIOD) == 7);
    /* two disjoint regions (a region and a unit elsewhere): nothing */
    assert_true(ev(f->s, "未脱贫人口", TOWN1, "民权县", "2019", TZ_MODE_PERIOD) == 0);
    /* inside the caller's transaction nothing is rebuilt (or committed): the
     * ledgers are read, uncommitted rows included, and the transaction stays open */
    assert_int_equal(tz_store_begin(f->s), 0);
    ex(f->s, "UPDATE households SET members = 9 WHERE hh_id = 'H5'");
    assert_true(ev(f->s, "未脱贫人口", COUNTY, NULL, "2019", TZ_MODE_PERIOD) == 11);
    assert_int_equal(tz_store_in_tx(f->s), 1);
    assert_int_equal(tz_store_rollback(f->s), 0);
    assert_true(ev(f->s, "未脱贫人口", COUNTY, NULL, "2019", TZ_MODE_PERIOD) == 7);
    tz_diags_clear(&d);
}

/* ---- provenance of one group ---------------------------------------------- */

static int explain_by(tz_store *s, const char *name, const char *region, const char *unit,
                      const char *period, tz_mode mode, const char *by, const char *key, keys *k)
{
    tz_scope sc = {region, unit};
    tz_period p = per(period);
    tz_diags d = TZ_DIAGS_INIT;
    memset(k, 0, sizeof *k);
    int rc = tz_indicator_explain_by(s, name, &sc, &p, mode, by, key, collect, k, &d);
    tz_diags_clear(&d);
    return rc;
}

static void test_explain_by(void **state)
{
    fx *f = *state;
    keys k;
    /* a computed grouping (plaza-area bands): only the rows of that band */
    assert_int_equal(explain_by(f->s, "村级文化服务中心数", COUNTY, NULL, "2019", TZ_MODE_TODATE,
                                "area", "1000平方米以上", &k),
                     0);
    assert_string_equal(k.text, "culture_centers:411628101201;");
    assert_int_equal(explain_by(f->s, "村级文化服务中心数", COUNTY, NULL, "2019", TZ_MODE_TODATE,
                                "area", "500至1000平方米", &k),
                     0);
    assert_string_equal(k.text, "culture_centers:411628101202;culture_centers:411628102202;");
    /* the counts agree with the grouped evaluation */
    tz_scope sc = {COUNTY, NULL};
    tz_period y = per("2019");
    tz_group_value *g = NULL;
    size_t n = 0;
    tz_diags d = TZ_DIAGS_INIT;
    assert_int_equal(tz_indicator_eval_by(f->s, "村级文化服务中心数", &sc, &y, TZ_MODE_TODATE,
                                          "area", &g, &n, &d),
                     0);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(explain_by(f->s, "村级文化服务中心数", COUNTY, NULL, "2019",
                                    TZ_MODE_TODATE, "area", g[i].key, &k),
                         0);
        assert_int_equal(k.n, (int)g[i].value);
    }
    free(g);
    /* region, year and unit groups */
    assert_int_equal(explain_by(f->s, "户户通安装户数", COUNTY, NULL, "2019", TZ_MODE_TODATE,
                                "village", LUYAO, &k),
                     0);
    assert_string_equal(k.text, "tv_installs:H1;tv_installs:H2;");
    assert_int_equal(explain_by(f->s, "户户通安装户数", COUNTY, NULL, "2019", TZ_MODE_TODATE,
                                "township", TOWN2, &k),
                     0);
    assert_int_equal(k.n, 0);
    assert_int_equal(explain_by(f->s, "户户通安装户数", COUNTY, NULL, "2019", TZ_MODE_TODATE,
                                "year", "2019", &k),
                     0);
    assert_string_equal(k.text, "tv_installs:H3;");
    assert_int_equal(explain_by(f->s, "建档立卡贫困户数", COUNTY, NULL, "2019", TZ_MODE_TODATE,
                                "year", "2015", &k),
                     0);
    assert_string_equal(k.text, "households:H3;");
    assert_int_equal(explain_by(f->s, "帮扶投入(万元)", COUNTY, NULL, "2018", TZ_MODE_TODATE,
                                "kind", "基础设施", &k),
                     0);
    assert_string_equal(k.text, "aid_inputs:T2;");
    assert_int_equal(
        explain_by(f->s, "签约项目数", CITY, NULL, "2015", TZ_MODE_PERIOD, "unit", "睢县", &k), 0);
    assert_string_equal(k.text, "projects:P3;projects:P4;");
    /* a ratio: the rows of both parts within the group */
    assert_int_equal(explain_by(f->s, "村级文化服务中心覆盖率(%)", COUNTY, NULL, "2019",
                                TZ_MODE_PERIOD, "village", LUYAO, &k),
                     0);
    assert_string_equal(k.text, "culture_centers:411628101201;regions:411628101201;");
    /* the empty group: rows with the category left empty */
    ex(f->s, "UPDATE cultural_events SET form = NULL WHERE event_id = 'E1'");
    assert_int_equal(
        explain_by(f->s, "文化活动场次", COUNTY, NULL, "2019", TZ_MODE_TODATE, "form", "", &k), 0);
    assert_string_equal(k.text, "cultural_events:E1;");
    /* errors: a dimension the indicator lacks, no dimension, a year group
     * that is not a year (atoll read "2015abc" as 2015, "abc" as 0) */
    assert_int_equal(explain_by(f->s, "建档立卡贫困户数", COUNTY, NULL, "2019", TZ_MODE_TODATE,
                                "year", "2015abc", &k),
                     -1);
    assert_int_equal(explain_by(f->s, "建档立卡贫困户数", COUNTY, NULL, "2019", TZ_MODE_TODATE,
                                "year", "abc", &k),
                     -1);
    assert_int_equal(
        explain_by(f->s, "户户通安装户数", COUNTY, NULL, "2019", TZ_MODE_TODATE, "unit", "x", &k),
        -1);
    assert_int_equal(
        explain_by(f->s, "户户通安装户数", COUNTY, NULL, "2019", TZ_MODE_TODATE, "", "x", &k), -1);
    tz_diags_clear(&d);
}

/* --by given as the ledger's Chinese column name groups as its English key,
 * in evaluation and in provenance alike. */
static void test_by_chinese_label(void **state)
{
    fx *f = *state;
    static const char *const pairs[][3] = {
        {"帮扶投入(万元)", "类别", "kind"},
        {"户户通安装户数", "乡镇", "township"},
        {"签约项目数", "责任单位", "unit"},
        {"建档立卡贫困户数", "年度", "year"},
    };
    tz_scope sc = {NULL, NULL};
    tz_period y = per("2019");
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        tz_group_value *ga = NULL, *gb = NULL;
        size_t na = 0, nb = 0;
        tz_diags d = TZ_DIAGS_INIT;
        assert_int_equal(tz_indicator_eval_by(f->s, pairs[i][0], &sc, &y, TZ_MODE_TODATE,
                                              pairs[i][1], &ga, &na, &d),
                         0);
        assert_int_equal(tz_indicator_eval_by(f->s, pairs[i][0], &sc, &y, TZ_MODE_TODATE,
                                              pairs[i][2], &gb, &nb, &d),
                         0);
        assert_true(na > 0);
        assert_int_equal(na, nb);
        for (size_t k = 0; k < na; k++) {
            assert_string_equal(ga[k].key, gb[k].key);
            assert_string_equal(ga[k].label, gb[k].label);
            assert_true(ga[k].value == gb[k].value);
            keys a, b;
            assert_int_equal(explain_by(f->s, pairs[i][0], NULL, NULL, "2019", TZ_MODE_TODATE,
                                        pairs[i][1], ga[k].key, &a),
                             0);
            assert_int_equal(explain_by(f->s, pairs[i][0], NULL, NULL, "2019", TZ_MODE_TODATE,
                                        pairs[i][2], ga[k].key, &b),
                             0);
            assert_int_equal(a.n, b.n);
            assert_string_equal(a.text, b.text);
        }
        free(ga);
        free(gb);
        tz_diags_clear(&d);
    }
    /* a label of another indicator's category is refused */
    tz_group_value *g = NULL;
    size_t n = 0;
    tz_diags d = TZ_DIAGS_INIT;
    assert_int_equal(tz_indicator_eval_by(f->s, "户户通安装户数", &sc, &y, TZ_MODE_TODATE,
                                          "招商方式", &g, &n, &d),
                     -1);
    assert_null(g);
    tz_diags_clear(&d);
}

/* ---- 同比 and units (compare.c, units.c) ------------------------------------ */

static void test_yoy(void **state)
{
    fx *f = *state;
    tz_scope sc = {COUNTY, NULL};
    tz_period p = per("2019");
    tz_yoy y;
    /* installs: 2 in 2018, 1 in 2019 */
    tz_indicator_yoy(f->s, "户户通安装户数", &sc, &p, TZ_MODE_PERIOD, 1, &y);
    assert_int_equal(y.have, 1);
    assert_string_equal(y.prev.label, "2018");
    assert_true(y.prev_value == 2 && y.change == -1 && fabs(y.rate + 50) < 1e-9);
    /* to date: 3 by 2019 against 2 by 2018 */
    tz_indicator_yoy(f->s, "户户通安装户数", &sc, &p, TZ_MODE_TODATE, 3, &y);
    assert_true(y.have && y.prev_value == 2 && fabs(y.rate - 50) < 1e-9);
    /* over a zero base: a change but no rate */
    p = per("2018");
    tz_indicator_yoy(f->s, "户户通安装户数", &sc, &p, TZ_MODE_PERIOD, 2, &y);
    assert_true(y.have && y.prev_value == 0 && y.change == 2 && isnan(y.rate));
    /* a snapshot has no earlier year */
    tz_indicator_yoy(f->s, "户户通安装户数", &sc, &p, TZ_MODE_ALL, 3, &y);
    assert_int_equal(y.have, 0);
    assert_true(isnan(y.prev_value) && isnan(y.change) && isnan(y.rate));
    /* a year the indicator cannot be computed for: no figure, not an error */
    p = per("2019");
    tz_indicator_yoy(f->s, "贫困发生率(%)", &sc, &p, TZ_MODE_PERIOD, 1.5, &y);
    assert_int_equal(y.have, 0);
    assert_true(isnan(y.rate));
}

static void test_unit_get(void **state)
{
    fx *f = *state;
    char kind[32], region[13];
    assert_int_equal(tz_unit_get(f->s, "县文化广电旅游局", kind, sizeof kind, region), 1);
    assert_string_equal(kind, "县直单位");
    assert_string_equal(region, "411628000000");
    assert_int_equal(tz_unit_get(f->s, "民权县", NULL, 0, NULL), 1);
    assert_int_equal(tz_unit_get(f->s, "没有这个单位", kind, sizeof kind, region), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_period_parse),
        cmocka_unit_test(test_period_words_prev),
        cmocka_unit_test(test_indicator_table),
        cmocka_unit_test(test_rule_table),
        cmocka_unit_test(test_mode_parse),
        cmocka_unit_test(test_dim_parse),
        cmocka_unit_test_setup_teardown(test_period_latest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_period_latest_in_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_yoy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unit_get, setup, teardown),
        cmocka_unit_test_setup_teardown(test_region_resolve, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollup_levels, setup, teardown),
        cmocka_unit_test_setup_teardown(test_modes_and_stock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ratio_growth_unavailable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_projects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eval_by, setup, teardown),
        cmocka_unit_test_setup_teardown(test_explain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_targets_ledger_and_defaults, setup, teardown),
        cmocka_unit_test(test_target_measure_and_additive),
        cmocka_unit_test_setup_teardown(test_targets_county, setup, teardown),
        cmocka_unit_test_setup_teardown(test_targets_schedule, setup, teardown),
        cmocka_unit_test(test_status_failed_and_words),
        cmocka_unit_test_setup_teardown(test_targets_origin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rule_centres, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rule_tv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rule_household_exit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rule_deadlines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rule_keys_all_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rule_household_exit_period, setup, teardown),
        cmocka_unit_test_setup_teardown(test_targets_aspiration, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rule_household_duplicate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rule_aid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rule_projects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_poverty_lines_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_poverty_incidence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rule_village_exit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rule_village_population, setup, teardown),
        cmocka_unit_test_setup_teardown(test_summaries_match_ledgers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_summaries_are_read_and_refreshed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_explain_by, setup, teardown),
        cmocka_unit_test_setup_teardown(test_by_chinese_label, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
