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
#include <stddef.h>
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
#define CC_LEFT                                                                                    \
    "regions r LEFT JOIN culture_centers c ON c.village = r.code AND c.year_built IS NOT NULL"
#define LANDED "p.stage IN ('落地', '投产') AND p.landed_date IS NOT NULL"

#define V TZ_LEVEL_VILLAGE
#define ANY TZ_LEVEL_NONE

/* ---- dimensions for --by (the first of each list is its "kind") --------- */

#define POOR_WORD "CASE WHEN r.poor = 1 THEN '贫困村' ELSE '非贫困村' END"

static const tzm_dim_def _dims_regions[] = {{.name = "poor", .label = "贫困村", .expr = POOR_WORD},
                                            {.name = "level", .label = "层级", .expr = "r.level"},
                                            {0}};
static const tzm_dim_def _dims_centres[] = {
    {.name = "area",
     .label = "文化广场面积",
     .expr =
         "CASE WHEN c.plaza_area >= 1000 THEN '1000平方米以上' WHEN c.plaza_area >= 500 THEN "
         "'500至1000平方米' WHEN c.plaza_area IS NULL THEN '未填面积' ELSE '500平方米以下' END"},
    {.name = "poor", .label = "贫困村", .expr = POOR_WORD},
    {.name = "compliant",
     .label = "是否达标",
     .expr = "CASE WHEN c.compliant = 1 THEN '达标' ELSE '未达标' END"},
    {0}};
static const tzm_dim_def _dims_households[] = {
    {.name = "kind", .label = "贫困户属性", .expr = "h.kind"},
    {.name = "cause", .label = "主要致贫原因", .expr = "h.cause"},
    {.name = "status",
     .label = "脱贫状态",
     .expr = "CASE WHEN h.year_exited IS NULL THEN '未脱贫' ELSE '已脱贫' END"},
    {0}};
static const tzm_dim_def _dims_tv[] = {
    {.name = "status", .label = "状态", .expr = "t.status"},
    {.name = "installer", .label = "安装单位", .expr = "t.installer"},
    {0}};
static const tzm_dim_def _dims_aid_villages[] = {
    {.name = "poor", .label = "贫困村", .expr = POOR_WORD}, {0}};
static const tzm_dim_def _dims_cadres[] = {{.name = "kind", .label = "类别", .expr = "k.kind"},
                                           {.name = "post", .label = "职务", .expr = "k.post"},
                                           {0}};
static const tzm_dim_def _dims_inputs[] = {
    {.name = "kind", .label = "类别", .expr = "i.kind"},
    {.name = "target",
     .label = "投向",
     .expr = "CASE WHEN i.hh_id IS NULL THEN '村集体' ELSE '到户' END"},
    {0}};
static const tzm_dim_def _dims_events[] = {
    {.name = "kind", .label = "活动类型", .expr = "e.kind"},
    {.name = "form", .label = "演出形式", .expr = "e.form"},
    {.name = "programme", .label = "节目名称", .expr = "e.programme"},
    {0}};
static const tzm_dim_def _dims_projects[] = {
    {.name = "stage", .label = "阶段", .expr = "p.stage"},
    {.name = "size",
     .label = "投资规模",
     .expr = "CASE WHEN p.investment >= 10 THEN '10亿元以上' WHEN p.investment >= 5 THEN "
             "'5亿至10亿元' WHEN p.investment >= 3 THEN '3亿至5亿元' WHEN p.investment >= 1 THEN "
             "'1亿至3亿元' ELSE '1亿元以下' END"},
    {.name = "industrial",
     .label = "工业项目",
     .expr = "CASE WHEN p.industrial = 1 THEN '工业项目' ELSE '非工业项目' END"},
    {.name = "leading",
     .label = "主导产业",
     .expr = "CASE WHEN " LEADING " THEN '主导产业' ELSE '非主导产业' END"},
    {.name = "type", .label = "项目类型", .expr = "p.kind"},
    {.name = "channel", .label = "招商方式", .expr = "p.channel"},
    {.name = "industry", .label = "产业", .expr = "p.industry"},
    {0}};

/* ---- summary forms (summary.c builds the tables, alias g) ---------------- */

#define AGG_HH "tz_agg_hh g"
#define AGG_TV "tz_agg_tv g"
/* households not yet installed as of the end: every household minus those
 * installed by then (one install per household: tv_installs is keyed by 户编号) */
#define AGG_NOT_INSTALLED_FROM                                                                     \
    "(SELECT node, digits, n, '0000-00' AS month FROM tz_agg_hh UNION ALL "                        \
    "SELECT node, digits, -n, month FROM tz_agg_tv) g"

/* the 户户通 groupings tz_agg_tv keeps (the same names as _dims_tv) */
static const tzm_dim_def _agg_dims_tv[] = {
    {.name = "status", .label = "状态", .expr = "g.status"},
    {.name = "installer", .label = "安装单位", .expr = "g.installer"},
    {0}};
#define AGG_TV_INSTALLS                                                                            \
    {                                                                                              \
        .from = AGG_TV, .value = "SUM(g.n)", .date_col = "g.month", .date_type = TZ_COL_MONTH,     \
        .dims = _agg_dims_tv                                                                       \
    }
#define AGG_TV_FAULTS                                                                              \
    {                                                                                              \
        .from = AGG_TV, .where = "g.status = '故障'", .value = "SUM(g.n)", .date_col = "g.month",  \
        .date_type = TZ_COL_MONTH, .dims = _agg_dims_tv                                            \
    }
/* a group where every household is installed holds no ledger row */
#define AGG_NOT_INSTALLED                                                                          \
    {                                                                                              \
        .from = AGG_NOT_INSTALLED_FROM, .value = "SUM(g.n)", .date_col = "g.month",                \
        .date_type = TZ_COL_MONTH, .having = "SUM(g.n) <> 0"                                       \
    }
/* the 户户通 task (HH_TV_ROW) by month: period edges are month boundaries,
 * so a date compares with them as its month does, and a year as its
 * December; inst is the household's install month */
#define AGG_HH_IDENTIFIED_MONTH "(CAST(g.yi AS TEXT) || '-12')"
#define AGG_HH_EXITED_MONTH "COALESCE(CAST(g.ye AS TEXT) || '-12', '9999-12')"
#define AGG_HH_TV(date, end)                                                                       \
    {                                                                                              \
        .from = AGG_HH, .value = "SUM(g.n)", .date_col = (date), .date_type = TZ_COL_MONTH,        \
        .end_col = (end)                                                                           \
    }
#define AGG_HH_IDENTIFIED                                                                          \
    {                                                                                              \
        .from = AGG_HH, .value = "SUM(g.n)", .date_col = "g.yi", .date_type = TZ_COL_YEAR          \
    }
#define AGG_HH_MEMBERS                                                                             \
    {                                                                                              \
        .from = AGG_HH, .value = "SUM(g.members)", .date_col = "g.yi", .date_type = TZ_COL_YEAR    \
    }
#define AGG_HH_EXITED                                                                              \
    {                                                                                              \
        .from = AGG_HH, .where = "g.ye IS NOT NULL", .value = "SUM(g.n)", .date_col = "g.ye",      \
        .date_type = TZ_COL_YEAR                                                                   \
    }
#define AGG_HH_EXITED_MEMBERS                                                                      \
    {                                                                                              \
        .from = AGG_HH, .where = "g.ye IS NOT NULL", .value = "SUM(g.members)",                    \
        .date_col = "g.ye", .date_type = TZ_COL_YEAR                                               \
    }
#define AGG_HH_REMAINING                                                                           \
    {                                                                                              \
        .from = AGG_HH, .value = "SUM(g.n)", .date_col = "g.yi", .date_type = TZ_COL_YEAR,         \
        .end_col = "g.ye"                                                                          \
    }
#define AGG_HH_REMAINING_MEMBERS                                                                   \
    {                                                                                              \
        .from = AGG_HH, .value = "SUM(g.members)", .date_col = "g.yi", .date_type = TZ_COL_YEAR,   \
        .end_col = "g.ye"                                                                          \
    }

/* ---- row families ----------------------------------------------------------
 * The fields a family of rows shares; a row adds its own by name. A field
 * left out is zero: no filter, no unit column, not a stock, no summary form,
 * not a target. */

#define REGION_ROW                                                                                 \
    .pub.unit = "个", .pub.ledger = "regions", .kind = TZM_IND_SQL, .from = "regions r",           \
    .value = "COUNT(*)", .region_col = "r.code", .region_level = ANY, .stock = 1,                  \
    .key_expr = "r.code", .dims = _dims_regions
/* Culture-centre rows: built (建成年份 filled), dated by 建成年份. */
#define CENTRE_ROW                                                                                 \
    .pub.ledger = "culture_centers", .kind = TZM_IND_SQL, .from = CC_FROM,                         \
    .region_col = "c.village", .region_level = V, .date_col = "c.year_built",                      \
    .date_type = TZ_COL_YEAR, .key_expr = "c.village", .dims = _dims_centres, .year_source = 1
/* Villages (regions 层级=村) without a built (and optionally compliant) centre as of the end. */
#define NO_CENTRE_ROW                                                                              \
    .pub.unit = "个", .pub.ledger = "regions", .kind = TZM_IND_SQL,                                \
    .where = VILLAGE " AND c.village IS NULL", .value = "COUNT(*)", .region_col = "r.code",        \
    .region_level = V, .date_col = "c.year_built", .date_type = TZ_COL_YEAR, .stock = 1,           \
    .key_expr = "r.code", .dims = _dims_regions
#define TV_ROW                                                                                     \
    .pub.unit = "户", .pub.ledger = "tv_installs", .kind = TZM_IND_SQL, .from = TV_FROM,           \
    .value = "COUNT(*)", .region_col = "h.village", .region_level = V,                             \
    .date_col = "t.install_date", .date_type = TZ_COL_DATE, .key_expr = "t.hh_id",                 \
    .dims = _dims_tv, .year_source = 1
#define HOUSEHOLD_ROW                                                                              \
    .pub.ledger = "households", .kind = TZM_IND_SQL, .from = "households h",                       \
    .region_col = "h.village", .region_level = V, .date_type = TZ_COL_YEAR, .key_expr = "h.hh_id", \
    .dims = _dims_households
#define AID_VILLAGE_ROW                                                                            \
    .pub.unit = "个", .pub.ledger = "aid_villages", .kind = TZM_IND_SQL, .from = AV_FROM,          \
    .region_col = "a.village", .region_level = V, .unit_col = "a.unit",                            \
    .date_col = "a.start_date", .date_type = TZ_COL_DATE, .end_col = "a.end_date",                 \
    .key_expr = "a.unit || '/' || a.village", .dims = _dims_aid_villages, .year_source = 1
#define INPUT_ROW                                                                                  \
    .pub.unit = "万元", .pub.ledger = "aid_inputs", .kind = TZM_IND_SQL, .from = "aid_inputs i",   \
    .value = "SUM(i.amount)", .region_col = "i.village", .region_level = V, .unit_col = "i.unit",  \
    .date_col = "i.date", .date_type = TZ_COL_DATE, .key_expr = "i.input_id",                      \
    .dims = _dims_inputs, .year_source = 1
#define EVENT_ROW                                                                                  \
    .pub.ledger = "cultural_events", .kind = TZM_IND_SQL, .from = "cultural_events e",             \
    .region_col = "e.place", .region_level = ANY, .date_col = "e.date", .date_type = TZ_COL_DATE,  \
    .key_expr = "e.event_id", .dims = _dims_events, .year_source = 1
/* Projects brought in (签约) in the period: rule 11. */
#define SIGNED_ROW                                                                                 \
    .pub.ledger = "projects", .kind = TZM_IND_SQL, .from = PJ_FROM, .region_col = "p.county",      \
    .region_level = TZ_LEVEL_COUNTY, .unit_col = "p.unit", .date_col = "p.signed_date",            \
    .date_type = TZ_COL_DATE, .key_expr = "p.project_id", .dims = _dims_projects, .year_source = 1
#define FUNDS_ROW                                                                                  \
    .pub.ledger = "project_funds", .kind = TZM_IND_SQL, .from = PF_FROM, .region_col = "p.county", \
    .region_level = TZ_LEVEL_COUNTY, .unit_col = "p.unit", .date_col = "f.month",                  \
    .date_type = TZ_COL_MONTH, .key_expr = "f.project_id || '/' || f.month",                       \
    .dims = _dims_projects, .year_source = 1
/* Households joined to their 户户通 install, dated as text (户户通 task, issue 11). */
#define HH_TV_ROW                                                                                  \
    .pub.unit = "户", .pub.ledger = "households", .kind = TZM_IND_SQL,                             \
    .from = "households h LEFT JOIN tv_installs t ON t.hh_id = h.hh_id", .value = "COUNT(*)",      \
    .region_col = "h.village", .region_level = V, .date_type = TZ_COL_DATE, .stock = 1,            \
    .key_expr = "h.hh_id", .dims = _dims_households
#define HH_IDENTIFIED_DATE "(CAST(h.year_identified AS TEXT) || '-12-31')"
#define HH_EXITED_DATE "COALESCE(CAST(h.year_exited AS TEXT) || '-12-31', '9999-12-31')"
#define RATIO_ROW .kind = TZM_IND_RATIO, .region_level = ANY
#define GROWTH_ROW .pub.unit = "%", .kind = TZM_IND_GROWTH, .region_level = ANY, .scale = 100

/* ---- the table --------------------------------------------------------------
 * A RATIO_ROW with a reason needs its denominator: over a zero denominator
 * evaluation fails with the reason instead of giving NAN. */

static const tzm_ind_def _defs[] = {
    /* ---- regions ---------------------------------------------------------- */
    {REGION_ROW, .pub.name = "行政村数", .pub.summary = "行政区划中层级为村的区划个数",
     .where = VILLAGE},
    {REGION_ROW, .pub.name = "贫困村数", .pub.summary = "行政村中贫困村=是的个数",
     .where = VILLAGE " AND " POOR},
    {REGION_ROW, .pub.name = "乡镇数", .pub.summary = "行政区划中层级为乡的区划个数",
     .where = "r.level = '乡'"},
    /* ---- culture centres (domain.md §3 rules 1-3) ------------------------- */
    {CENTRE_ROW, .pub.name = "村级文化服务中心数", .pub.unit = "个",
     .pub.summary = "已建成的村级综合性文化服务中心个数(按建成年份)", .where = CC_BUILT,
     .value = "COUNT(*)"},
    {CENTRE_ROW, .pub.name = "贫困村文化服务中心数", .pub.unit = "个",
     .pub.summary = "贫困村已建成的文化服务中心个数(按建成年份)", .where = CC_BUILT " AND " POOR,
     .value = "COUNT(*)"},
    {CENTRE_ROW, .pub.name = "非贫困村文化服务中心数", .pub.unit = "个",
     .pub.summary = "非贫困村已建成的文化服务中心个数(按建成年份)",
     .where = CC_BUILT " AND " NOT_POOR, .value = "COUNT(*)"},
    {CENTRE_ROW, .pub.name = "贫困村文化广场1000平方米以上中心数", .pub.unit = "个",
     .pub.summary = "贫困村文化服务中心中文化广场面积不小于1000平方米的个数",
     .where = CC_BUILT " AND " POOR " AND c.plaza_area >= 1000", .value = "COUNT(*)"},
    {CENTRE_ROW, .pub.name = "贫困村文化广场500至1000平方米中心数", .pub.unit = "个",
     .pub.summary = "贫困村文化服务中心中文化广场面积不小于500、小于1000平方米的个数",
     .where = CC_BUILT " AND " POOR " AND c.plaza_area >= 500 AND c.plaza_area < 1000",
     .value = "COUNT(*)"},
    {CENTRE_ROW, .pub.name = "达标文化服务中心数", .pub.unit = "个",
     .pub.summary = "是否达标=是的已建成文化服务中心个数(按建成年份)",
     .where = CC_BUILT " AND c.compliant = 1", .value = "COUNT(*)"},
    {CENTRE_ROW, .pub.name = "未达标文化服务中心数", .pub.unit = "个",
     .pub.summary = "是否达标=否的已建成文化服务中心个数(按建成年份)",
     .where = CC_BUILT " AND c.compliant = 0", .value = "COUNT(*)"},
    {NO_CENTRE_ROW, .pub.name = "未建文化服务中心行政村数",
     .pub.summary = "截至期末尚未建成文化服务中心的行政村个数", .from = CC_LEFT " AND {date}"},
    {NO_CENTRE_ROW, .pub.name = "未建或未达标行政村数",
     .pub.summary = "截至期末没有达标文化服务中心的行政村个数(未建设或不达标)",
     .from = CC_LEFT " AND c.compliant = 1 AND {date}"},
    {RATIO_ROW, .pub.name = "村级文化服务中心覆盖率(%)", .pub.unit = "%",
     .pub.ledger = "culture_centers",
     .pub.summary = "截至期末有达标文化服务中心的行政村占行政村总数的百分比",
     .a = "达标文化服务中心数", .b = "行政村数", .scale = 100, .stock = 1, .target = TZM_TARGET},
    {CENTRE_ROW, .pub.name = "文化服务中心奖补标准(万元)", .pub.unit = "万元",
     .pub.summary = "已建成文化服务中心应拨奖补资金合计(按建成年份)", .where = CC_BUILT,
     .value = "SUM(c.subsidy)"},
    {CENTRE_ROW, .pub.name = "已拨付奖补(万元)", .pub.unit = "万元",
     .pub.summary = "已建成文化服务中心已拨付奖补资金合计(按建成年份)", .where = CC_BUILT,
     .value = "SUM(c.subsidy_paid)"},
    {CENTRE_ROW, .pub.name = "应拨未拨奖补(万元)", .pub.unit = "万元",
     .pub.summary = "奖补标准减已拨付的差额合计(按建成年份)", .where = CC_BUILT,
     .value = "SUM(COALESCE(c.subsidy, 0) - COALESCE(c.subsidy_paid, 0))"},
    /* ---- TV installs (rule 4) --------------------------------------------- */
    {TV_ROW, .pub.name = "户户通安装户数",
     .pub.summary = "期间内安装电视信号户户通的建档立卡贫困户户数", .agg = AGG_TV_INSTALLS,
     .target = TZM_TARGET},
    {TV_ROW, .pub.name = "户户通故障户数", .pub.summary = "期间内安装、状态为故障的户户通户数",
     .where = "t.status = '故障'", .agg = AGG_TV_FAULTS},
    {.kind = TZM_IND_SQL,
     .pub.name = "未安装户户通贫困户数",
     .pub.unit = "户",
     .pub.ledger = "households",
     .pub.summary = "截至期末尚未安装户户通的建档立卡贫困户户数",
     .from = "households h LEFT JOIN tv_installs t ON t.hh_id = h.hh_id AND {date}",
     .where = "t.hh_id IS NULL",
     .value = "COUNT(*)",
     .region_col = "h.village",
     .region_level = V,
     .date_col = "t.install_date",
     .date_type = TZ_COL_DATE,
     .stock = 1,
     .key_expr = "h.hh_id",
     .dims = _dims_households,
     .agg = AGG_NOT_INSTALLED},
    /* ---- households ------------------------------------------------------- */
    {HOUSEHOLD_ROW, .pub.name = "建档立卡贫困户数", .pub.unit = "户",
     .pub.summary = "期间内识别(累计模式: 截至期末已识别)的建档立卡贫困户户数", .value = "COUNT(*)",
     .date_col = "h.year_identified", .agg = AGG_HH_IDENTIFIED},
    {HOUSEHOLD_ROW, .pub.name = "建档立卡贫困人口", .pub.unit = "人",
     .pub.summary = "期间内识别的建档立卡贫困户家庭人口合计", .value = "SUM(h.members)",
     .date_col = "h.year_identified", .agg = AGG_HH_MEMBERS},
    {HOUSEHOLD_ROW, .pub.name = "脱贫户数", .pub.unit = "户",
     .pub.summary = "脱贫年度在期间内(累计模式: 截至期末)的户数",
     .where = "h.year_exited IS NOT NULL", .value = "COUNT(*)", .date_col = "h.year_exited",
     .agg = AGG_HH_EXITED},
    {HOUSEHOLD_ROW, .pub.name = "脱贫人口", .pub.unit = "人",
     .pub.summary = "脱贫年度在期间内的户的家庭人口合计", .where = "h.year_exited IS NOT NULL",
     .value = "SUM(h.members)", .date_col = "h.year_exited", .agg = AGG_HH_EXITED_MEMBERS},
    {HOUSEHOLD_ROW, .pub.name = "未脱贫户数", .pub.unit = "户",
     .pub.summary = "截至期末已识别、尚未脱贫的户数", .value = "COUNT(*)",
     .date_col = "h.year_identified", .end_col = "h.year_exited", .stock = 1,
     .agg = AGG_HH_REMAINING},
    {HOUSEHOLD_ROW, .pub.name = "未脱贫人口", .pub.unit = "人",
     .pub.summary = "截至期末已识别、尚未脱贫的户的家庭人口合计", .value = "SUM(h.members)",
     .date_col = "h.year_identified", .end_col = "h.year_exited", .stock = 1,
     .agg = AGG_HH_REMAINING_MEMBERS},
    /* a yearly snapshot: the rows of the period's last complete year Y
     * (year <= Y < year + 1, written as an interval ending at year + 1) */
    {.kind = TZM_IND_SQL,
     .pub.name = "农村户籍人口",
     .pub.unit = "人",
     .pub.ledger = "populations",
     .pub.summary = "期末年度各村农村户籍人口合计(户籍人口台账)",
     .from = "populations p",
     .value = "SUM(p.rural_population)",
     .region_col = "p.village",
     .region_level = V,
     .date_col = "p.year",
     .date_type = TZ_COL_YEAR,
     .end_col = "p.year + 1",
     .stock = 1,
     .key_expr = "p.village || '/' || CAST(p.year AS TEXT)"},
    {RATIO_ROW, .pub.name = "贫困发生率(%)", .pub.unit = "%", .pub.ledger = "households",
     .pub.summary = "期末未脱贫建档立卡人口占农村户籍人口的百分比(户籍人口台账)", .a = "未脱贫人口",
     .b = "农村户籍人口", .scale = 100, .stock = 1,
     .reason = "统计范围内的村没有该年度的农村户籍人口记录,缺少贫困发生率的分母;"
               "请先导入户籍人口台账(村代码、年度、农村户籍人口)"},
    /* ---- village aid ------------------------------------------------------ */
    {AID_VILLAGE_ROW, .pub.name = "帮扶村数",
     .pub.summary = "期间内有帮扶关系的行政村个数(累计模式: 截至期末曾帮扶)",
     .value = "COUNT(DISTINCT a.village)"},
    {AID_VILLAGE_ROW, .pub.name = "帮扶贫困村数", .pub.summary = "帮扶村中的贫困村个数",
     .where = POOR, .value = "COUNT(DISTINCT a.village)"},
    {AID_VILLAGE_ROW, .pub.name = "帮扶非贫困村数", .pub.summary = "帮扶村中的非贫困村个数",
     .where = NOT_POOR, .value = "COUNT(DISTINCT a.village)"},
    {AID_VILLAGE_ROW, .pub.name = "帮扶乡镇数", .pub.summary = "帮扶村所在乡镇个数",
     .value = "COUNT(DISTINCT substr(a.village, 1, 9))"},
    {.kind = TZM_IND_SQL,
     .pub.name = "驻村干部人数",
     .pub.unit = "人",
     .pub.ledger = "aid_cadres",
     .pub.summary = "期间内在岗(累计模式: 截至期末曾派驻)的驻村干部人数",
     .from = "aid_cadres k",
     .value = "COUNT(DISTINCT k.unit || '/' || k.name)",
     .region_col = "k.village",
     .region_level = V,
     .unit_col = "k.unit",
     .date_col = "k.start_date",
     .date_type = TZ_COL_DATE,
     .end_col = "k.end_date",
     .key_expr = "k.name || '/' || k.unit || '/' || k.village",
     .dims = _dims_cadres,
     .year_source = 1},
    {INPUT_ROW, .pub.name = "帮扶投入(万元)", .pub.summary = "帮扶投入金额合计"},
    {INPUT_ROW, .pub.name = "帮扶设备器材投入(万元)",
     .pub.summary = "类别为办公设备、文体器材的帮扶投入",
     .where = "i.kind IN ('办公设备', '文体器材')"},
    {INPUT_ROW, .pub.name = "帮扶基础设施投入(万元)", .pub.summary = "类别为基础设施的帮扶投入",
     .where = "i.kind = '基础设施'"},
    {INPUT_ROW, .pub.name = "帮扶村集体投入(万元)",
     .pub.summary = "投向村集体(户编号为空)的帮扶投入", .where = "i.hh_id IS NULL"},
    {INPUT_ROW, .pub.name = "帮扶到户投入(万元)", .pub.summary = "投向贫困户(填有户编号)的帮扶投入",
     .where = "i.hh_id IS NOT NULL"},
    /* ---- cultural events -------------------------------------------------- */
    {EVENT_ROW, .pub.name = "文化活动场次", .pub.unit = "场次",
     .pub.summary = "各类文化活动场次合计", .value = "SUM(e.shows)"},
    {EVENT_ROW, .pub.name = "送戏下乡场次", .pub.unit = "场次",
     .pub.summary = "活动类型为送戏下乡的场次", .where = "e.kind = '送戏下乡'",
     .value = "SUM(e.shows)"},
    {EVENT_ROW, .pub.name = "送电影下乡场次", .pub.unit = "场次",
     .pub.summary = "活动类型为送电影下乡的场次", .where = "e.kind = '送电影下乡'",
     .value = "SUM(e.shows)"},
    {EVENT_ROW, .pub.name = "文艺宣传演出场次", .pub.unit = "场次",
     .pub.summary = "活动类型为文艺宣传演出的场次", .where = "e.kind = '文艺宣传演出'",
     .value = "SUM(e.shows)"},
    {EVENT_ROW, .pub.name = "赛事活动场次", .pub.unit = "场次",
     .pub.summary = "活动类型为赛事活动的场次", .where = "e.kind = '赛事活动'",
     .value = "SUM(e.shows)"},
    {EVENT_ROW, .pub.name = "文化活动受益人次", .pub.unit = "人次",
     .pub.summary = "各类文化活动受益人次合计", .value = "SUM(e.beneficiaries)"},
    /* ---- 户户通 task (issue 11): what the yearly quota covers --------------
     * The 户户通 task covers the 建档立卡贫困户 still poor: a household counts
     * from 31 December of its 识别年度 until 31 December of its 脱贫年度, and
     * leaves the "not installed" count on its 安装日期. A household that left
     * poverty before it was installed is outside the task. Dates are compared
     * as text (YYYY-MM-DD); '9999-12-31' stands for "not yet". */
    {HH_TV_ROW, .pub.name = "户户通任务户数",
     .pub.summary =
         "户户通任务范围: 截至期末已识别、尚未脱贫的建档立卡贫困户户数(已脱贫户不在任务内)",
     .date_col = HH_IDENTIFIED_DATE, .end_col = HH_EXITED_DATE,
     .agg = AGG_HH_TV(AGG_HH_IDENTIFIED_MONTH, AGG_HH_EXITED_MONTH)},
    {HH_TV_ROW, .pub.name = "户户通任务未安装户数",
     .pub.summary = "户户通任务范围内(截至期末尚未脱贫)截至期末尚未安装户户通的建档立卡贫困户户数",
     .date_col = HH_IDENTIFIED_DATE,
     .end_col = "CASE WHEN t.install_date IS NOT NULL AND t.install_date < " HH_EXITED_DATE
                " THEN t.install_date ELSE " HH_EXITED_DATE " END",
     .agg = AGG_HH_TV(AGG_HH_IDENTIFIED_MONTH,
                      "CASE WHEN g.inst IS NOT NULL AND g.inst < " AGG_HH_EXITED_MONTH
                      " THEN g.inst ELSE " AGG_HH_EXITED_MONTH " END")},
    {HH_TV_ROW, .pub.name = "已脱贫未安装户户通户数",
     .pub.summary = "截至期末已脱贫、尚未安装户户通的建档立卡贫困户户数(不在户户通任务范围内)",
     .date_col = HH_EXITED_DATE, .end_col = "t.install_date",
     .agg = AGG_HH_TV(AGG_HH_EXITED_MONTH, "g.inst")},
    /* households helped, each counted once (a household may have several
     * kinds of help: the parts by 内容 may add up to more than the total) */
    {.kind = TZM_IND_SQL,
     .pub.name = "帮扶到户户数",
     .pub.unit = "户",
     .pub.ledger = "aid_inputs",
     .pub.summary = "帮扶投入投向的贫困户户数(填有户编号,每户只计一次)",
     .from = "aid_inputs i",
     .where = "i.hh_id IS NOT NULL",
     .value = "COUNT(DISTINCT i.hh_id)",
     .region_col = "i.village",
     .region_level = V,
     .unit_col = "i.unit",
     .date_col = "i.date",
     .date_type = TZ_COL_DATE,
     .key_expr = "i.input_id",
     .dims = (const tzm_dim_def[]){{.name = "kind", .label = "类别", .expr = "i.kind"},
                                   {.name = "content", .label = "内容", .expr = "i.content"},
                                   {0}},
     .year_source = 1},
    /* ---- projects (rules 6-12): brought in = signed in the period --------- */
    {SIGNED_ROW, .pub.name = "签约项目数", .pub.unit = "个",
     .pub.summary = "签约日期在期间内的项目个数", .where = SIGNED, .value = "COUNT(*)"},
    {SIGNED_ROW, .pub.name = "签约项目总投资(亿元)", .pub.unit = "亿元",
     .pub.summary = "签约日期在期间内的项目总投资合计", .where = SIGNED,
     .value = "SUM(p.investment)"},
    {.kind = TZM_IND_SQL,
     .pub.name = "落地项目数",
     .pub.unit = "个",
     .pub.ledger = "projects",
     .pub.summary = "阶段为落地或投产、落地日期在期间内的项目个数",
     .from = PJ_FROM,
     .where = LANDED,
     .value = "COUNT(*)",
     .region_col = "p.county",
     .region_level = TZ_LEVEL_COUNTY,
     .unit_col = "p.unit",
     .date_col = "p.landed_date",
     .date_type = TZ_COL_DATE,
     .key_expr = "p.project_id",
     .dims = _dims_projects,
     .year_source = 1},
    {.kind = TZM_IND_SQL,
     .pub.name = "在谈项目数",
     .pub.unit = "个",
     .pub.ledger = "projects",
     .pub.summary = "当前阶段为在谈的项目个数(不按日期)",
     .from = PJ_FROM,
     .where = "p.stage = '在谈'",
     .value = "COUNT(*)",
     .region_col = "p.county",
     .region_level = TZ_LEVEL_COUNTY,
     .unit_col = "p.unit",
     .stock = 1,
     .key_expr = "p.project_id",
     .dims = _dims_projects},
    {SIGNED_ROW, .pub.name = "引进1亿元以上项目数", .pub.unit = "个",
     .pub.summary = "期间内签约、总投资不低于1亿元的项目个数",
     .where = SIGNED " AND p.investment >= 1", .value = "COUNT(*)", .target = TZM_TARGET},
    {SIGNED_ROW, .pub.name = "引进3亿元以上项目数", .pub.unit = "个",
     .pub.summary = "期间内签约、总投资不低于3亿元的项目个数",
     .where = SIGNED " AND p.investment >= 3", .value = "COUNT(*)", .target = TZM_TARGET},
    {SIGNED_ROW, .pub.name = "引进3亿元以上工业项目数", .pub.unit = "个",
     .pub.summary = "期间内签约、总投资不低于3亿元的工业项目个数",
     .where = SIGNED " AND p.investment >= 3 AND p.industrial = 1", .value = "COUNT(*)",
     .target = TZM_TARGET},
    {SIGNED_ROW, .pub.name = "引进主导产业3亿元以上工业项目数", .pub.unit = "个",
     .pub.summary = "期间内签约、属于所在县区主导产业、不低于3亿元的工业项目个数",
     .where = SIGNED " AND p.investment >= 3 AND p.industrial = 1 AND " LEADING,
     .value = "COUNT(*)", .target = TZM_TARGET},
    {SIGNED_ROW, .pub.name = "引进5亿元以上工业项目数", .pub.unit = "个",
     .pub.summary = "期间内签约、总投资不低于5亿元的工业项目个数",
     .where = SIGNED " AND p.investment >= 5 AND p.industrial = 1", .value = "COUNT(*)",
     .target = TZM_TARGET},
    {SIGNED_ROW, .pub.name = "引进10亿元以上项目数", .pub.unit = "个",
     .pub.summary = "期间内签约、总投资不低于10亿元的项目个数",
     .where = SIGNED " AND p.investment >= 10", .value = "COUNT(*)"},
    {SIGNED_ROW, .pub.name = "引进10亿元以上主导产业项目数", .pub.unit = "个",
     .pub.summary = "期间内签约、属于所在县区主导产业、不低于10亿元的项目个数",
     .where = SIGNED " AND p.investment >= 10 AND " LEADING, .value = "COUNT(*)",
     .target = TZM_TARGET_ASPIRATION},
    {SIGNED_ROW, .pub.name = "非主导产业签约项目数", .pub.unit = "个",
     .pub.summary = "期间内签约、产业不在所在县区主导产业之列的项目个数",
     .where = SIGNED " AND NOT (" LEADING ")", .value = "COUNT(*)"},
    {SIGNED_ROW, .pub.name = "外资签约项目数", .pub.unit = "个",
     .pub.summary = "期间内签约的外资项目个数", .where = SIGNED " AND p.is_foreign = 1",
     .value = "COUNT(*)"},
    {SIGNED_ROW, .pub.name = "新建外资项目数", .pub.unit = "个",
     .pub.summary = "期间内签约、项目类型为新建的外资项目个数",
     .where = SIGNED " AND p.is_foreign = 1 AND p.kind = '新建'", .value = "COUNT(*)"},
    {SIGNED_ROW, .pub.name = "合同外资(万美元)", .pub.unit = "万美元",
     .pub.summary = "期间内签约项目的合同外资合计", .where = SIGNED,
     .value = "SUM(p.fdi_contract)"},
    {SIGNED_ROW, .pub.name = "增资合同外资(万美元)", .pub.unit = "万美元",
     .pub.summary = "期间内签约、项目类型为增资的合同外资合计",
     .where = SIGNED " AND p.kind = '增资'", .value = "SUM(p.fdi_contract)"},
    {FUNDS_ROW, .pub.name = "实际利用外资(万美元)", .pub.unit = "万美元",
     .pub.summary = "期间内各月实际利用外资到位合计", .value = "SUM(f.fdi_actual)",
     .target = TZM_TARGET, .target_additive = 1},
    {FUNDS_ROW, .pub.name = "实际利用省外资金(万元)", .pub.unit = "万元",
     .pub.summary = "期间内各月省外资金到位合计", .value = "SUM(f.domestic_funds)",
     .target = TZM_TARGET, .target_additive = 1},
    {GROWTH_ROW, .pub.name = "实际利用外资增长率(%)", .pub.ledger = "project_funds",
     .pub.summary = "实际利用外资比上年同期增长的百分比", .a = "实际利用外资(万美元)",
     .target = TZM_TARGET},
    {GROWTH_ROW, .pub.name = "实际利用省外资金增长率(%)", .pub.ledger = "project_funds",
     .pub.summary = "实际利用省外资金比上年同期增长的百分比", .a = "实际利用省外资金(万元)",
     .target = TZM_TARGET},
};

const tzm_ind_def *tzm_ind_defs(size_t *n)
{
    *n = N(_defs);
    return _defs;
}

const tzm_ind_def *tzm_ind_def_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < N(_defs); i++)
        if (!strcmp(_defs[i].pub.name, name))
            return &_defs[i];
    return NULL;
}

const tzm_dim_def *tzm_dim_find(const tzm_dim_def *dims, const char *name)
{
    for (size_t i = 0; dims && name && dims[i].name; i++)
        if (!strcmp(dims[i].name, name) || (i == 0 && !strcmp(name, "kind")))
            return &dims[i];
    return NULL;
}

/* The public view: the tz_indicator heading each definition, as an array. */
_Static_assert(offsetof(tzm_ind_def, pub) == 0, "the public part heads a definition");
static tz_indicator _pub[N(_defs)];
static tzm_view _pub_view = TZM_VIEW(_pub, _defs);

const tz_indicator *tz_indicator_all(size_t *n)
{
    *n = N(_defs);
    return tzm_view_get(&_pub_view);
}

const tz_indicator *tz_indicator_find(const char *name)
{
    const tzm_ind_def *d = tzm_ind_def_find(name);
    return d ? &d->pub : NULL;
}
