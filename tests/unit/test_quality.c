/* test_quality.c - unit tests of metrics/quality.c: which columns are
 * checked for inputs not recorded (read off the indicator and rule tables:
 * read columns yes; keys, columns whose NULL has a meaning, and columns
 * nothing reads no), every coded rule's inputs naming real columns, and the
 * not_recorded findings on a fresh SQLite database (count, ledger, message,
 * scope, condition), the same from the ledgers and the summaries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ledger/ledger.h"
#include "metrics/metrics_impl.h"
#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* 1 when column name of ledger id is checked. */
static int _checked(const char *id, const char *name)
{
    const tz_ledger *l = tz_ledger_find(id);
    assert_non_null(l);
    int c = tz_ledger_col(l, name);
    if (c < 0) {
        fprintf(stderr, "%s has no column %s\n", id, name);
        fail();
    }
    return tzm_unrecorded_checked(l, c);
}

static void test_checked_columns(void **state)
{
    (void)state;
    /* read by indicators, their splits or the rules */
    static const char *const yes[][2] = {
        {"households", "贫困户属性"},
        {"households", "主要致贫原因"},
        {"households", "识别年度"},
        {"households", "人均纯收入(元)"},
        {"households", "义务教育保障"},
        {"households", "饮水安全保障"},
        {"households", "家庭人口"},
        {"culture_centers", "文化广场面积(平方米)"},
        {"culture_centers", "是否达标"},
        {"regions", "主导产业"},
        {"regions", "贫困村"},
        {"aid_inputs", "金额(万元)"},
        {"cultural_events", "场次"},
        {"projects", "产业"},
        {"project_funds", "实际利用外资(万美元)"},
    };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (!_checked(yes[i][0], yes[i][1])) {
            fprintf(stderr, "%s.%s should be checked\n", yes[i][0], yes[i][1]);
            fail();
        }
    /* keys; empty with a meaning (未脱贫, 仍在岗, 村集体, 未建成, 未签约); read by nothing;
     * free text splits (节目名称) */
    static const char *const no[][2] = {
        {"households", "户编号"},        {"households", "脱贫年度"},   {"households", "帮扶责任人"},
        {"aid_cadres", "撤回日期"},      {"aid_villages", "结束日期"}, {"aid_inputs", "户编号"},
        {"culture_centers", "建成年份"}, {"projects", "签约日期"},     {"projects", "落地日期"},
        {"cultural_events", "节目名称"}, {"projects", "投资方"},
    };
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (_checked(no[i][0], no[i][1])) {
            fprintf(stderr, "%s.%s should not be checked\n", no[i][0], no[i][1]);
            fail();
        }
    size_t nl;
    const tz_ledger *all = tz_ledger_all(&nl);
    assert_true(nl <= TZM_UNREC_MAX_LEDGERS);
    for (size_t i = 0; i < nl; i++)
        assert_true(all[i].ncols <= TZM_UNREC_MAX_COLS);
    const char *layout = tzm_unrecorded_layout();
    assert_non_null(strstr(layout, "households:"));
    assert_non_null(strstr(layout, ",kind,cause,"));
    assert_null(strstr(layout, "year_exited"));
}

/* Every column a coded rule names exists (a misspelt one would silently
 * never be checked). */
static void test_rule_inputs_resolve(void **state)
{
    (void)state;
    const char *summary, *reads;
    size_t coded = 0;
    for (size_t i = 0; tzm_rule_inputs(i, &summary, &reads); i++) {
        assert_non_null(summary);
        if (!reads || !strncmp(reads, "SELECT", 6))
            continue;
        coded++;
        char word[128];
        for (const char *p = reads; *p;) {
            size_t n = strcspn(p, " ");
            snprintf(word, sizeof word, "%.*s", (int)n, p);
            char *dot = strchr(word, '.');
            assert_non_null(dot);
            *dot = '\0';
            const tz_ledger *l = tz_ledger_find(word);
            if (!l || strcmp(l->id, word) || tz_ledger_col(l, dot + 1) < 0) {
                fprintf(stderr, "rule %zu reads unknown %s.%s\n", i, word, dot + 1);
                fail();
            }
            p += n;
            p += strspn(p, " ");
        }
    }
    assert_true(coded >= 10);
}

/* ---- findings on a database ------------------------------------------------ */

static const char *const FIXTURE =
    "INSERT INTO regions (code, name, parent, level, poor, industries) VALUES "
    "('410000000000','河南省',NULL,'省',NULL,NULL),"
    "('411600000000','周口市','410000000000','市',NULL,NULL),"
    "('411628000000','鹿邑县','411600000000','县',NULL,'纺织服装'),"
    "('411628101000','宋河镇','411628000000','乡',NULL,NULL),"
    "('411628101201','卢尧村','411628101000','村',1,NULL),"
    "('411628101202','刘楼村','411628101000','村',NULL,NULL),"
    "('411628102000','玄武镇','411628000000','乡',NULL,NULL),"
    "('411628102201','甲村','411628102000','村',0,NULL);"
    "INSERT INTO households (hh_id, head_name, id_number, village, members, kind, cause, "
    "year_identified, year_exited, income, edu_ok, med_ok, house_ok, water_ok) VALUES "
    "('H1','张一','411628197001010011','411628101201',3,NULL,'因病',2014,NULL,5000,1,1,1,1),"
    "('H2','张二','411628197002020022','411628101202',2,NULL,NULL,2014,NULL,2000,1,1,1,1),"
    "('H3','李三','411628197003030033','411628102201',4,NULL,'因病',2015,NULL,NULL,1,1,1,1),"
    "('H4','王四','411628197004040044','411628102201',1,'一般贫困户','因病',2016,NULL,4500,1,1,"
    "1,1);";

typedef struct fx {
    char dir[64]; /* temp directory */
    char db[128]; /* database path */
    tz_store *s;  /* open store */
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    tz_diags d = TZ_DIAGS_INIT;
    snprintf(f->dir, sizeof f->dir, "/tmp/tz-quality-XXXXXX");
    if (!f || !mkdtemp(f->dir))
        return -1;
    snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
    if (tz_store_open(f->db, TZ_OPEN_CREATE, &f->s, &d) || tz_store_exec(f->s, FIXTURE)) {
        tz_diags_print(&d, stderr);
        tz_diags_clear(&d);
        return -1;
    }
    tz_diags_clear(&d);
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
    tz_metrics_set_summaries(1);
    return 0;
}

/* The not_recorded finding of rules run over region (NULL: all) whose
 * message contains what, or NULL; *all keeps the findings (caller frees). */
static const tz_finding *_gap(tz_store *s, const char *region, const char *what, tz_finding **all,
                              size_t *n)
{
    tz_scope sc = {region, NULL};
    tz_period p;
    const char *why;
    tz_diags d = TZ_DIAGS_INIT;
    assert_int_equal(tz_period_parse("2019", &p, &why), 0);
    tz_findings_free(*all, *n);
    *all = NULL;
    *n = 0;
    int rc = tz_rules_check(s, &sc, &p, all, n, &d);
    if (rc)
        tz_diags_print(&d, stderr);
    assert_int_equal(rc, 0);
    tz_diags_clear(&d);
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*all)[i].rule, "not_recorded") && strstr((*all)[i].message, what))
            return &(*all)[i];
    return NULL;
}

static void test_findings(void **state)
{
    fx *f = *state;
    tz_finding *all = NULL;
    size_t n = 0;
    for (int on = 0; on <= 1; on++) {
        tz_metrics_set_summaries(on);
        const tz_finding *e = _gap(f->s, NULL, "贫困户属性", &all, &n);
        assert_non_null(e);
        assert_string_equal(e->ledger, "households");
        assert_int_equal(e->count, 3);
        assert_int_equal(e->nkeys, 0);
        assert_null(e->keys);
        assert_int_equal(e->level, TZ_FINDING_DATA);
        assert_string_equal(e->message, "3户未记录贫困户属性(影响:按贫困户属性分组的统计)");
        e = _gap(f->s, NULL, "人均纯收入", &all, &n);
        assert_non_null(e);
        assert_int_equal(e->count, 1);
        assert_non_null(strstr(e->message, "1户未记录人均纯收入(元)(影响:规则“"));
        /* 脱贫年度 empty is 未脱贫, not a gap */
        assert_null(_gap(f->s, NULL, "脱贫年度", &all, &n));
        /* 贫困村 is filled for villages only: 刘楼村 is the one gap */
        e = _gap(f->s, NULL, "贫困村", &all, &n);
        assert_non_null(e);
        assert_string_equal(e->ledger, "regions");
        assert_int_equal(e->count, 1);
        /* the seven indicators reading 贫困村 (贫困村数 … 帮扶非贫困村数) and two rules */
        assert_string_equal(e->message,
                            "1个区划未记录贫困村(影响:贫困村数、贫困村文化服务中心数、"
                            "非贫困村文化服务中心数等7项指标;"
                            "规则“贫困村2017年底前建成村级综合性文化服务中心”等2条规则)");
        /* 主导产业: counties only (鹿邑县 has one) */
        assert_null(_gap(f->s, NULL, "主导产业", &all, &n));
        /* by scope: 宋河镇 has H1 and H2, 玄武镇 H3 */
        e = _gap(f->s, "411628101000", "贫困户属性", &all, &n);
        assert_non_null(e);
        assert_int_equal(e->count, 2);
        assert_string_equal(e->message, "宋河镇有2户未记录贫困户属性(影响:按贫困户属性分组的统计)");
        e = _gap(f->s, "411628102000", "贫困户属性", &all, &n);
        assert_non_null(e);
        assert_int_equal(e->count, 1);
        assert_null(_gap(f->s, "411628102000", "主要致贫原因", &all, &n));
        e = _gap(f->s, "411628101202", "主要致贫原因", &all, &n);
        assert_non_null(e);
        assert_int_equal(e->count, 1);
        assert_null(_gap(f->s, "411628101201", "主要致贫原因", &all, &n));
        /* a row filled in: its gap is gone, from the summaries too */
        assert_int_equal(tz_store_exec(f->s, "UPDATE households SET kind = '低保贫困户' "
                                             "WHERE hh_id = 'H2'"),
                         0);
        e = _gap(f->s, NULL, "贫困户属性", &all, &n);
        assert_non_null(e);
        assert_int_equal(e->count, 2);
        assert_int_equal(tz_store_exec(f->s, "UPDATE households SET kind = NULL "
                                             "WHERE hh_id = 'H2'"),
                         0);
    }
    tz_findings_free(all, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checked_columns),
        cmocka_unit_test(test_rule_inputs_resolve),
        cmocka_unit_test_setup_teardown(test_findings, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
