/* indicators.c - THE indicator table: every figure of the reports and every
 * target, defined as data (ledger, aggregate, filters, region/unit/date
 * columns, provenance key, dimensions). Adding an indicator means adding one
 * entry here; eval.c interprets the entries and never names an indicator.
 *
 * Conventions: aliases r = regions, c = culture_centers, h = households,
 * t = tv_installs, a = aid_villages, k = aid_cadres, i = aid_inputs,
 * e = cultural_events, p = projects (populations in 农村户籍人口),
 * f = project_funds.
 * A row dated by a year (建成年份, 识别年度, 脱贫年度) counts at the end of that
 * year; a month row (资金到位 月份) at the end of that month.
 */
#include "metrics/metrics_impl.h"
#include <pthread.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- shared SQL fragments ------------------------------------------------ */

#define VILLAGE "r.level = '村'"
#define POOR "r.poor = 1"
#define NOT_POOR "COALESCE(r.poor, 0) = 0"
#define CC_FROM "culture_centers c JOIN regions r ON r.code = c.village"
#define CC_BUILT "c.year_built IS NOT NULL"
#define TV_FROM "tv_installs t JOIN households h ON h.hh_id = t.hh_id"
#define AV_FROM "aid_villages a JOIN regions r ON r.code = a.village"
#define PJ_FROM "projects p JOIN regions r ON r.code = p.county"
#define PF_FROM                                                                                    \
    "project_funds f JOIN projects p ON p.project_id = f.project_id JOIN regions r ON r.code = "   \
    "p.county"
/* the project's 产业 is one of its county's 主导产业 (、-separated words, exact match) */
#define LEADING                                                                                    \
    "('、' || COALESCE(r.industries, '') || '、') LIKE ('%、' || COALESCE(p.industry, '') || "  \
    "'、%')"
#define SIGNED "p.signed_date IS NOT NULL"
#define LANDED "p.stage IN ('落地', '投产') AND p.landed_date IS NOT NULL"

/* Entry shorthands. SQL(name, unit, ledger, summary, from, where, value,
 * region column, level held by that column (checked at import, NONE when
 * any), unit column, date column, date type, interval end, stock, key,
 * dimension group). */
#define SQL(nm, un, lg, sm, fr, wh, val, rc, rl, uc, dc, dt, ec, st, key, dims)                    \
    {                                                                                              \
        {nm, un, lg, sm}, TZ_IND_SQL, fr, wh, val, rc, rl, uc, dc, dt, ec, st, key, dims, NULL,    \
            NULL, 0, NULL                                                                          \
    }
#define V TZ_LEVEL_VILLAGE
#define ANY TZ_LEVEL_NONE
#define RATIO(nm, un, lg, sm, a, b, scale, st)                                                     \
    {                                                                                              \
        {nm, un, lg, sm}, TZ_IND_RATIO, NULL, NULL, NULL, NULL, ANY, NULL, NULL, TZ_COL_TEXT,      \
            NULL, st, NULL, NULL, a, b, scale, NULL                                                \
    }
/* A ratio whose denominator must exist: over a zero denominator evaluation
 * fails with `why` instead of giving NAN. */
#define RATIO_REQ(nm, un, lg, sm, a, b, scale, st, why)                                            \
    {                                                                                              \
        {nm, un, lg, sm}, TZ_IND_RATIO, NULL, NULL, NULL, NULL, ANY, NULL, NULL, TZ_COL_TEXT,      \
            NULL, st, NULL, NULL, a, b, scale, why                                                 \
    }
#define DIFF(nm, un, lg, sm, a, b, st)                                                             \
    {                                                                                              \
        {nm, un, lg, sm}, TZ_IND_DIFF, NULL, NULL, NULL, NULL, ANY, NULL, NULL, TZ_COL_TEXT, NULL, \
            st, NULL, NULL, a, b, 0, NULL                                                          \
    }
#define GROWTH(nm, lg, sm, a)                                                                      \
    {                                                                                              \
        {nm, "%", lg, sm}, TZ_IND_GROWTH, NULL, NULL, NULL, NULL, ANY, NULL, NULL, TZ_COL_TEXT,    \
            NULL, 0, NULL, NULL, a, NULL, 100, NULL                                                \
    }
#define UNAVAILABLE(nm, un, lg, sm, why)                                                           \
    {                                                                                              \
        {nm, un, lg, sm}, TZ_IND_UNAVAILABLE, NULL, NULL, NULL, NULL, ANY, NULL, NULL,             \
            TZ_COL_TEXT, NULL, 0, NULL, NULL, NULL, NULL, 0, why                                   \
    }

/* Culture-centre rows: built (建成年份 filled), dated by 建成年份. */
#define CC(nm, sm, wh, val)                                                                        \
    SQL(nm, "个", "culture_centers", sm, CC_FROM, CC_BUILT wh, val, "c.village", V, NULL,          \
        "c.year_built", TZ_COL_YEAR, NULL, 0, "c.village", "centres")
#define CC_AMOUNT(nm, sm, val)                                                                     \
    SQL(nm, "万元", "culture_centers", sm, CC_FROM, CC_BUILT, val, "c.village", V, NULL,           \
        "c.year_built", TZ_COL_YEAR, NULL, 0, "c.village", "centres")
/* Villages (regions 层级=村) without a built (and optionally compliant) centre as of the end. */
#define NO_CENTRE(nm, sm, cond)                                                                    \
    SQL(nm, "个", "regions", sm,                                                                   \
        "regions r LEFT JOIN culture_centers c ON c.village = r.code AND c.year_built IS NOT "     \
        "NULL" cond " AND {date}",                                                                 \
        VILLAGE " AND c.village IS NULL", "COUNT(*)", "r.code", V, NULL, "c.year_built",           \
        TZ_COL_YEAR, NULL, 1, "r.code", "regions")
#define REGIONS(nm, sm, wh)                                                                        \
    SQL(nm, "个", "regions", sm, "regions r", wh, "COUNT(*)", "r.code", ANY, NULL, NULL,           \
        TZ_COL_TEXT, NULL, 1, "r.code", "regions")
#define HH(nm, un, sm, wh, val, dc, ec, st)                                                        \
    SQL(nm, un, "households", sm, "households h", wh, val, "h.village", V, NULL, dc, TZ_COL_YEAR,  \
        ec, st, "h.hh_id", "households")
#define TV(nm, sm, wh)                                                                             \
    SQL(nm, "户", "tv_installs", sm, TV_FROM, wh, "COUNT(*)", "h.village", V, NULL,                \
        "t.install_date", TZ_COL_DATE, NULL, 0, "t.hh_id", "tv")
#define AV(nm, sm, wh, val)                                                                        \
    SQL(nm, "个", "aid_villages", sm, AV_FROM, wh, val, "a.village", V, "a.unit", "a.start_date",  \
        TZ_COL_DATE, "a.end_date", 0, "a.unit || '/' || a.village", "aid_villages")
#define INPUT(nm, sm, wh)                                                                          \
    SQL(nm, "万元", "aid_inputs", sm, "aid_inputs i", wh, "SUM(i.amount)", "i.village", V,         \
        "i.unit", "i.date", TZ_COL_DATE, NULL, 0, "i.input_id", "inputs")
#define EVENT(nm, un, sm, wh, val)                                                                 \
    SQL(nm, un, "cultural_events", sm, "cultural_events e", wh, val, "e.place", ANY, NULL,         \
        "e.date", TZ_COL_DATE, NULL, 0, "e.event_id", "events")
/* Projects brought in (签约) in the period: rule 11. */
#define SIGNED_PJ(nm, un, sm, wh, val)                                                             \
    SQL(nm, un, "projects", sm, PJ_FROM, SIGNED wh, val, "p.county", TZ_LEVEL_COUNTY, "p.unit",    \
        "p.signed_date", TZ_COL_DATE, NULL, 0, "p.project_id", "projects")
#define FUNDS(nm, un, sm, val)                                                                     \
    SQL(nm, un, "project_funds", sm, PF_FROM, NULL, val, "p.county", TZ_LEVEL_COUNTY, "p.unit",    \
        "f.month", TZ_COL_MONTH, NULL, 0, "f.project_id || '/' || f.month", "projects")

static const tz_ind_def _defs[] = {
    /* ---- regions ---------------------------------------------------------- */
    REGIONS("行政村数", "行政区划中层级为村的区划个数", VILLAGE),
    REGIONS("贫困村数", "行政村中贫困村=是的个数", VILLAGE " AND " POOR),
    REGIONS("乡镇数", "行政区划中层级为乡的区划个数", "r.level = '乡'"),

    /* ---- culture centres (domain.md §3 rules 1-3) ------------------------- */
    CC("村级文化服务中心数", "已建成的村级综合性文化服务中心个数(按建成年份)", "", "COUNT(*)"),
    CC("贫困村文化服务中心数", "贫困村已建成的文化服务中心个数(按建成年份)", " AND " POOR,
       "COUNT(*)"),
    CC("非贫困村文化服务中心数", "非贫困村已建成的文化服务中心个数(按建成年份)", " AND " NOT_POOR,
       "COUNT(*)"),
    CC("贫困村文化广场1000平方米以上中心数",
       "贫困村文化服务中心中文化广场面积不小于1000平方米的个数",
       " AND " POOR " AND c.plaza_area >= 1000", "COUNT(*)"),
    CC("贫困村文化广场500至1000平方米中心数",
       "贫困村文化服务中心中文化广场面积不小于500、小于1000平方米的个数",
       " AND " POOR " AND c.plaza_area >= 500 AND c.plaza_area < 1000", "COUNT(*)"),
    CC("达标文化服务中心数", "是否达标=是的已建成文化服务中心个数(按建成年份)",
       " AND c.compliant = 1", "COUNT(*)"),
    CC("未达标文化服务中心数", "是否达标=否的已建成文化服务中心个数(按建成年份)",
       " AND c.compliant = 0", "COUNT(*)"),
    NO_CENTRE("未建文化服务中心行政村数", "截至期末尚未建成文化服务中心的行政村个数", ""),
    NO_CENTRE("未建或未达标行政村数", "截至期末没有达标文化服务中心的行政村个数(未建设或不达标)",
              " AND c.compliant = 1"),
    RATIO("村级文化服务中心覆盖率(%)", "%", "culture_centers",
          "截至期末有达标文化服务中心的行政村占行政村总数的百分比", "达标文化服务中心数",
          "行政村数", 100, 1),
    CC_AMOUNT("文化服务中心奖补标准(万元)", "已建成文化服务中心应拨奖补资金合计(按建成年份)",
              "SUM(c.subsidy)"),
    CC_AMOUNT("已拨付奖补(万元)", "已建成文化服务中心已拨付奖补资金合计(按建成年份)",
              "SUM(c.subsidy_paid)"),
    CC_AMOUNT("应拨未拨奖补(万元)", "奖补标准减已拨付的差额合计(按建成年份)",
              "SUM(COALESCE(c.subsidy, 0) - COALESCE(c.subsidy_paid, 0))"),

    /* ---- TV installs (rule 4) --------------------------------------------- */
    TV("户户通安装户数", "期间内安装电视信号户户通的建档立卡贫困户户数", NULL),
    TV("户户通故障户数", "期间内安装、状态为故障的户户通户数", "t.status = '故障'"),
    SQL("未安装户户通贫困户数", "户", "households", "截至期末尚未安装户户通的建档立卡贫困户户数",
        "households h LEFT JOIN tv_installs t ON t.hh_id = h.hh_id AND {date}", "t.hh_id IS NULL",
        "COUNT(*)", "h.village", V, NULL, "t.install_date", TZ_COL_DATE, NULL, 1, "h.hh_id",
        "households"),

    /* ---- households ------------------------------------------------------- */
    HH("建档立卡贫困户数", "户", "期间内识别(累计模式: 截至期末已识别)的建档立卡贫困户户数", NULL,
       "COUNT(*)", "h.year_identified", NULL, 0),
    HH("建档立卡贫困人口", "人", "期间内识别的建档立卡贫困户家庭人口合计", NULL, "SUM(h.members)",
       "h.year_identified", NULL, 0),
    HH("脱贫户数", "户", "脱贫年度在期间内(累计模式: 截至期末)的户数", "h.year_exited IS NOT NULL",
       "COUNT(*)", "h.year_exited", NULL, 0),
    HH("脱贫人口", "人", "脱贫年度在期间内的户的家庭人口合计", "h.year_exited IS NOT NULL",
       "SUM(h.members)", "h.year_exited", NULL, 0),
    HH("未脱贫户数", "户", "截至期末已识别、尚未脱贫的户数", NULL, "COUNT(*)", "h.year_identified",
       "h.year_exited", 1),
    HH("未脱贫人口", "人", "截至期末已识别、尚未脱贫的户的家庭人口合计", NULL, "SUM(h.members)",
       "h.year_identified", "h.year_exited", 1),
    /* a yearly snapshot: the rows of the period's last complete year Y
     * (year <= Y < year + 1, written as an interval ending at year + 1) */
    SQL("农村户籍人口", "人", "populations", "期末年度各村农村户籍人口合计(户籍人口台账)",
        "populations p", NULL, "SUM(p.rural_population)", "p.village", V, NULL, "p.year",
        TZ_COL_YEAR, "p.year + 1", 1, "p.village || '/' || CAST(p.year AS TEXT)", NULL),
    RATIO_REQ("贫困发生率(%)", "%", "households",
              "期末未脱贫建档立卡人口占农村户籍人口的百分比(户籍人口台账)", "未脱贫人口",
              "农村户籍人口", 100, 1,
              "统计范围内的村没有该年度的农村户籍人口记录,缺少贫困发生率的分母;"
              "请先导入户籍人口台账(村代码、年度、农村户籍人口)"),

    /* ---- village aid ------------------------------------------------------ */
    AV("帮扶村数", "期间内有帮扶关系的行政村个数(累计模式: 截至期末曾帮扶)", NULL,
       "COUNT(DISTINCT a.village)"),
    AV("帮扶贫困村数", "帮扶村中的贫困村个数", POOR, "COUNT(DISTINCT a.village)"),
    AV("帮扶非贫困村数", "帮扶村中的非贫困村个数", NOT_POOR, "COUNT(DISTINCT a.village)"),
    AV("帮扶乡镇数", "帮扶村所在乡镇个数", NULL, "COUNT(DISTINCT substr(a.village, 1, 9))"),
    SQL("驻村干部人数", "人", "aid_cadres", "期间内在岗(累计模式: 截至期末曾派驻)的驻村干部人数",
        "aid_cadres k", NULL, "COUNT(DISTINCT k.unit || '/' || k.name)", "k.village", V, "k.unit",
        "k.start_date", TZ_COL_DATE, "k.end_date", 0, "k.name || '/' || k.unit || '/' || k.village",
        "cadres"),
    INPUT("帮扶投入(万元)", "帮扶投入金额合计", NULL),
    INPUT("帮扶设备器材投入(万元)", "类别为办公设备、文体器材的帮扶投入",
          "i.kind IN ('办公设备', '文体器材')"),
    INPUT("帮扶基础设施投入(万元)", "类别为基础设施的帮扶投入", "i.kind = '基础设施'"),
    INPUT("帮扶村集体投入(万元)", "投向村集体(户编号为空)的帮扶投入", "i.hh_id IS NULL"),
    INPUT("帮扶到户投入(万元)", "投向贫困户(填有户编号)的帮扶投入", "i.hh_id IS NOT NULL"),

    /* ---- cultural events -------------------------------------------------- */
    EVENT("文化活动场次", "场次", "各类文化活动场次合计", NULL, "SUM(e.shows)"),
    EVENT("送戏下乡场次", "场次", "活动类型为送戏下乡的场次", "e.kind = '送戏下乡'",
          "SUM(e.shows)"),
    EVENT("送电影下乡场次", "场次", "活动类型为送电影下乡的场次", "e.kind = '送电影下乡'",
          "SUM(e.shows)"),
    EVENT("文艺宣传演出场次", "场次", "活动类型为文艺宣传演出的场次", "e.kind = '文艺宣传演出'",
          "SUM(e.shows)"),
    EVENT("赛事活动场次", "场次", "活动类型为赛事活动的场次", "e.kind = '赛事活动'",
          "SUM(e.shows)"),
    EVENT("文化活动受益人次", "人次", "各类文化活动受益人次合计", NULL, "SUM(e.beneficiaries)"),

    /* ---- projects (rules 6-12): brought in = signed in the period --------- */
    SIGNED_PJ("签约项目数", "个", "签约日期在期间内的项目个数", "", "COUNT(*)"),
    SIGNED_PJ("签约项目总投资(亿元)", "亿元", "签约日期在期间内的项目总投资合计", "",
              "SUM(p.investment)"),
    SQL("落地项目数", "个", "projects", "阶段为落地或投产、落地日期在期间内的项目个数", PJ_FROM,
        LANDED, "COUNT(*)", "p.county", TZ_LEVEL_COUNTY, "p.unit", "p.landed_date", TZ_COL_DATE,
        NULL, 0, "p.project_id", "projects"),
    SQL("在谈项目数", "个", "projects", "当前阶段为在谈的项目个数(不按日期)", PJ_FROM,
        "p.stage = '在谈'", "COUNT(*)", "p.county", TZ_LEVEL_COUNTY, "p.unit", NULL, TZ_COL_TEXT,
        NULL, 1, "p.project_id", "projects"),
    SIGNED_PJ("引进1亿元以上项目数", "个", "期间内签约、总投资不低于1亿元的项目个数",
              " AND p.investment >= 1", "COUNT(*)"),
    SIGNED_PJ("引进3亿元以上项目数", "个", "期间内签约、总投资不低于3亿元的项目个数",
              " AND p.investment >= 3", "COUNT(*)"),
    SIGNED_PJ("引进3亿元以上工业项目数", "个", "期间内签约、总投资不低于3亿元的工业项目个数",
              " AND p.investment >= 3 AND p.industrial = 1", "COUNT(*)"),
    SIGNED_PJ("引进主导产业3亿元以上工业项目数", "个",
              "期间内签约、属于所在县区主导产业、不低于3亿元的工业项目个数",
              " AND p.investment >= 3 AND p.industrial = 1 AND " LEADING, "COUNT(*)"),
    SIGNED_PJ("引进5亿元以上工业项目数", "个", "期间内签约、总投资不低于5亿元的工业项目个数",
              " AND p.investment >= 5 AND p.industrial = 1", "COUNT(*)"),
    SIGNED_PJ("引进10亿元以上项目数", "个", "期间内签约、总投资不低于10亿元的项目个数",
              " AND p.investment >= 10", "COUNT(*)"),
    SIGNED_PJ("引进10亿元以上主导产业项目数", "个",
              "期间内签约、属于所在县区主导产业、不低于10亿元的项目个数",
              " AND p.investment >= 10 AND " LEADING, "COUNT(*)"),
    SIGNED_PJ("非主导产业签约项目数", "个", "期间内签约、产业不在所在县区主导产业之列的项目个数",
              " AND NOT (" LEADING ")", "COUNT(*)"),
    SIGNED_PJ("外资签约项目数", "个", "期间内签约的外资项目个数", " AND p.is_foreign = 1",
              "COUNT(*)"),
    SIGNED_PJ("新建外资项目数", "个", "期间内签约、项目类型为新建的外资项目个数",
              " AND p.is_foreign = 1 AND p.kind = '新建'", "COUNT(*)"),
    SIGNED_PJ("合同外资(万美元)", "万美元", "期间内签约项目的合同外资合计", "",
              "SUM(p.fdi_contract)"),
    SIGNED_PJ("增资合同外资(万美元)", "万美元", "期间内签约、项目类型为增资的合同外资合计",
              " AND p.kind = '增资'", "SUM(p.fdi_contract)"),
    FUNDS("实际利用外资(万美元)", "万美元", "期间内各月实际利用外资到位合计", "SUM(f.fdi_actual)"),
    FUNDS("实际利用省外资金(万元)", "万元", "期间内各月省外资金到位合计", "SUM(f.domestic_funds)"),
    GROWTH("实际利用外资增长率(%)", "project_funds", "实际利用外资比上年同期增长的百分比",
           "实际利用外资(万美元)"),
    GROWTH("实际利用省外资金增长率(%)", "project_funds", "实际利用省外资金比上年同期增长的百分比",
           "实际利用省外资金(万元)"),
};

/* ---- dimensions for --by (the first of each group is its "kind") --------- */

#define POOR_WORD "CASE WHEN r.poor = 1 THEN '贫困村' ELSE '非贫困村' END"

static const tz_dim_def _dims[] = {
    {"regions", "poor", "贫困村", POOR_WORD},
    {"regions", "level", "层级", "r.level"},
    {"centres", "area", "文化广场面积",
     "CASE WHEN c.plaza_area >= 1000 THEN '1000平方米以上' WHEN c.plaza_area >= 500 THEN "
     "'500至1000平方米' WHEN c.plaza_area IS NULL THEN '未填面积' ELSE '500平方米以下' END"},
    {"centres", "poor", "贫困村", POOR_WORD},
    {"centres", "compliant", "是否达标", "CASE WHEN c.compliant = 1 THEN '达标' ELSE '未达标' END"},
    {"households", "kind", "贫困户属性", "h.kind"},
    {"households", "cause", "主要致贫原因", "h.cause"},
    {"households", "status", "脱贫状态",
     "CASE WHEN h.year_exited IS NULL THEN '未脱贫' ELSE '已脱贫' END"},
    {"tv", "status", "状态", "t.status"},
    {"tv", "installer", "安装单位", "t.installer"},
    {"aid_villages", "poor", "贫困村", POOR_WORD},
    {"cadres", "kind", "类别", "k.kind"},
    {"cadres", "post", "职务", "k.post"},
    {"inputs", "kind", "类别", "i.kind"},
    {"inputs", "target", "投向", "CASE WHEN i.hh_id IS NULL THEN '村集体' ELSE '到户' END"},
    {"events", "kind", "活动类型", "e.kind"},
    {"events", "form", "演出形式", "e.form"},
    {"events", "programme", "节目名称", "e.programme"},
    {"projects", "stage", "阶段", "p.stage"},
    {"projects", "size", "投资规模",
     "CASE WHEN p.investment >= 10 THEN '10亿元以上' WHEN p.investment >= 5 THEN '5亿至10亿元' "
     "WHEN p.investment >= 3 THEN '3亿至5亿元' WHEN p.investment >= 1 THEN '1亿至3亿元' ELSE "
     "'1亿元以下' END"},
    {"projects", "industrial", "工业项目",
     "CASE WHEN p.industrial = 1 THEN '工业项目' ELSE '非工业项目' END"},
    {"projects", "leading", "主导产业",
     "CASE WHEN " LEADING " THEN '主导产业' ELSE '非主导产业' END"},
    {"projects", "type", "项目类型", "p.kind"},
    {"projects", "channel", "招商方式", "p.channel"},
    {"projects", "industry", "产业", "p.industry"},
};

const tz_ind_def *tz_ind_defs(size_t *n)
{
    *n = N(_defs);
    return _defs;
}

const tz_ind_def *tz_ind_def_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < N(_defs); i++)
        if (!strcmp(_defs[i].pub.name, name))
            return &_defs[i];
    return NULL;
}

const tz_dim_def *tz_dim_defs(size_t *n)
{
    *n = N(_dims);
    return _dims;
}

const tz_dim_def *tz_dim_find(const char *group, const char *name)
{
    if (!group || !name)
        return NULL;
    int first = 1;
    for (size_t i = 0; i < N(_dims); i++) {
        if (strcmp(_dims[i].group, group))
            continue;
        if (!strcmp(_dims[i].name, name) || (first && !strcmp(name, "kind")))
            return &_dims[i];
        first = 0;
    }
    return NULL;
}

/* The public view: an array of tz_indicator copied once from the table. */
static tz_indicator _pub[N(_defs)];
static pthread_once_t _pub_once = PTHREAD_ONCE_INIT;

static void _pub_init(void)
{
    for (size_t i = 0; i < N(_defs); i++)
        _pub[i] = _defs[i].pub;
}

const tz_indicator *tz_indicator_all(size_t *n)
{
    pthread_once(&_pub_once, _pub_init);
    *n = N(_defs);
    return _pub;
}

const tz_indicator *tz_indicator_find(const char *name)
{
    const tz_ind_def *d = tz_ind_def_find(name);
    return d ? &d->pub : NULL;
}
