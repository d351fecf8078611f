/* defs.c - the ledger table: every 台账, its columns, keys, references and checks.
 *
 * This file is the one place that defines the import/export contract of
 * domain.md §2. Column order is export order. To add a column, add a line to
 * the ledger's column array (and a migration in store/schema if it must be
 * stored in an existing database).
 */
#include "ledger/ledger.h"
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const _levels[] = {"省", "市", "县", "乡", "村", NULL};
static const char *const _bool[] = {"是", "否", NULL};
static const char *const _unit_types[] = {"县区", "专题招商组", "市直单位", "县直单位", NULL};
static const char *const _hh_kinds[] = {"一般贫困户", "低保贫困户", "特困供养贫困户", NULL};
static const char *const _hh_causes[] = {"因病", "因残", "因学", "因灾", "缺土地", "缺水",
                                         "缺技术", "缺劳力", "缺资金", "交通条件落后",
                                         "自身发展动力不足", "其他", NULL};
static const char *const _tv_status[] = {"正常", "故障", NULL};
static const char *const _cadre_posts[] = {"第一书记", "工作队长", "工作队员", NULL};
static const char *const _cadre_kinds[] = {"业务骨干", "年轻后备干部", "其他", NULL};
static const char *const _input_kinds[] = {"办公设备", "文体器材", "基础设施", "住房修缮",
                                           "饮水",     "生活用品", "产业扶持", "其他", NULL};
static const char *const _event_kinds[] = {"送戏下乡", "送电影下乡", "文艺宣传演出",
                                           "赛事活动", "农家书屋",   "其他", NULL};
static const char *const _project_kinds[] = {"新建", "增资", NULL};
static const char *const _stages[] = {"在谈", "签约", "落地", "投产", NULL};
static const char *const _channels[] = {"以商招商", "老乡招商", "商会招商",
                                        "业务招商", "专题招商", "其他", NULL};
/* Target names (domain.md §2). The metrics module defines how each is
 * evaluated; a name here without an evaluation is reported by `check`. */
static const char *const _target_names[] = {"户户通安装户数",
                                            "村级文化服务中心覆盖率(%)",
                                            "实际利用外资(万美元)",
                                            "实际利用省外资金(万元)",
                                            "实际利用外资增长率(%)",
                                            "实际利用省外资金增长率(%)",
                                            "引进3亿元以上项目数",
                                            "引进3亿元以上工业项目数",
                                            "引进主导产业3亿元以上工业项目数",
                                            "引进5亿元以上工业项目数",
                                            "力争引进10亿元以上主导产业项目数",
                                            "引进1亿元以上项目数",
                                            NULL};

/* Columns list their first eleven fields in order; the numeric ones add
 * their range by name (.min, .max), and the others leave it zero (no range),
 * which -Wmissing-field-initializers would otherwise flag in every line. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define REQ TZ_F_REQUIRED
#define KEY (TZ_F_KEY | TZ_F_REQUIRED)

/* name, sql, type, flags, choices, ref, ref_level, only_if, required_if, note, width,
 * then for INT, DECIMAL and YEAR columns the accepted range: .min, .max (a
 * value outside is refused with the range in the message) */
static const tz_column _regions[] = {
    {"区划代码", "code", TZ_COL_REGION, KEY, NULL, NULL, NULL, NULL, NULL,
     "12位统计用区划代码,6位或9位自动补零", 16},
    {"名称", "name", TZ_COL_TEXT, REQ, NULL, NULL, NULL, NULL, NULL, "如:宋河镇", 16},
    {"上级区划代码", "parent", TZ_COL_REGION, TZ_F_PARENT, NULL, "regions", NULL, NULL, NULL,
     "省级留空;村的上级必须是乡", 16},
    {"层级", "level", TZ_COL_ENUM, REQ, _levels, NULL, NULL, NULL, NULL, "省/市/县/乡/村", 8},
    {"贫困村", "poor", TZ_COL_BOOL, 0, _bool, NULL, NULL, "层级=村", "层级=村",
     "是/否,仅村级填写", 8},
    {"主导产业", "industries", TZ_COL_LIST, 0, NULL, NULL, NULL, "层级=县", NULL,
     "仅县级填写,多个用、分隔", 30},
};

static const tz_column _units[] = {
    {"单位名称", "name", TZ_COL_TEXT, KEY, NULL, NULL, NULL, NULL, NULL, "如:县文化广电旅游局",
     24},
    {"单位类型", "kind", TZ_COL_ENUM, REQ, _unit_types, NULL, NULL, NULL, NULL,
     "县区/专题招商组/市直单位/县直单位", 12},
    {"所属区划代码", "region", TZ_COL_REGION, REQ, NULL, "regions", NULL, NULL, NULL,
     "单位所在的市或县的区划代码", 16},
};

static const tz_column _households[] = {
    {"户编号", "hh_id", TZ_COL_TEXT, KEY, NULL, NULL, NULL, NULL, NULL, "全国扶贫系统户编号", 18},
    {"户主姓名", "head_name", TZ_COL_TEXT, REQ, NULL, NULL, NULL, NULL, NULL, NULL, 10},
    {"户主身份证号", "id_number", TZ_COL_IDCARD, REQ | TZ_F_UNIQUE, NULL, NULL, NULL, NULL, NULL,
     "18位,末位校验码", 20},
    {"所在村代码", "village", TZ_COL_REGION, REQ, NULL, "regions", "村", NULL, NULL,
     "12位村级区划代码", 16},
    {"家庭人口", "members", TZ_COL_INT, REQ | TZ_F_POSITIVE, NULL, NULL, NULL, NULL, NULL,
     "人数,至少1", 8, .min = 1, .max = 30},
    {"贫困户属性", "kind", TZ_COL_ENUM, REQ, _hh_kinds, NULL, NULL, NULL, NULL,
     "一般贫困户/低保贫困户/特困供养贫困户", 14},
    {"主要致贫原因", "cause", TZ_COL_ENUM, REQ, _hh_causes, NULL, NULL, NULL, NULL,
     "从下拉列表选择", 14},
    {"识别年度", "year_identified", TZ_COL_YEAR, REQ, NULL, NULL, NULL, NULL, NULL, "如:2016", 8,
     .min = 1949, .max = 2100},
    {"脱贫年度", "year_exited", TZ_COL_YEAR, 0, NULL, NULL, NULL, NULL, NULL, "未脱贫留空", 8,
     .min = 1949, .max = 2100},
    {"人均纯收入(元)", "income", TZ_COL_DECIMAL, 0, NULL, NULL, NULL, NULL, NULL, "元/人·年", 12,
     .min = 0, .max = 1000000},
    {"义务教育保障", "edu_ok", TZ_COL_BOOL, 0, _bool, NULL, NULL, NULL, NULL, "是/否/空", 8},
    {"基本医疗保障", "med_ok", TZ_COL_BOOL, 0, _bool, NULL, NULL, NULL, NULL, "是/否/空", 8},
    {"住房安全保障", "house_ok", TZ_COL_BOOL, 0, _bool, NULL, NULL, NULL, NULL, "是/否/空", 8},
    {"饮水安全保障", "water_ok", TZ_COL_BOOL, 0, _bool, NULL, NULL, NULL, NULL, "是/否/空", 8},
    {"帮扶责任人", "helper", TZ_COL_TEXT, 0, NULL, NULL, NULL, NULL, NULL, NULL, 10},
};

static const tz_column _culture_centers[] = {
    {"村代码", "village", TZ_COL_REGION, KEY, NULL, "regions", "村", NULL, NULL, "12位村级区划代码",
     16},
    {"建成年份", "year_built", TZ_COL_YEAR, 0, NULL, NULL, NULL, NULL, NULL, "未建成留空", 8,
     .min = 1949, .max = 2100},
    {"文化广场面积(平方米)", "plaza_area", TZ_COL_DECIMAL, 0, NULL, NULL, NULL, NULL, NULL,
     "平方米", 12, .min = 0, .max = 100000},
    {"是否达标", "compliant", TZ_COL_BOOL, REQ, _bool, NULL, NULL, NULL, NULL, "是/否", 8},
    {"奖补标准(万元)", "subsidy", TZ_COL_DECIMAL, 0, NULL, NULL, NULL, NULL, NULL, "万元", 10,
     .min = 0, .max = 10000},
    {"已拨付奖补(万元)", "subsidy_paid", TZ_COL_DECIMAL, 0, NULL, NULL, NULL, NULL, NULL,
     "万元,不超过奖补标准", 10, .min = 0, .max = 10000},
};

static const tz_column _tv_installs[] = {
    {"户编号", "hh_id", TZ_COL_TEXT, KEY, NULL, "households", NULL, NULL, NULL, "建档立卡户编号",
     18},
    {"安装日期", "install_date", TZ_COL_DATE, REQ, NULL, NULL, NULL, NULL, NULL, "YYYY-MM-DD", 12},
    {"安装单位", "installer", TZ_COL_TEXT, 0, NULL, NULL, NULL, NULL, NULL, NULL, 20},
    {"状态", "status", TZ_COL_ENUM, REQ, _tv_status, NULL, NULL, NULL, NULL, "正常/故障", 8},
};

static const tz_column _aid_villages[] = {
    {"帮扶单位", "unit", TZ_COL_TEXT, KEY, NULL, "units", NULL, NULL, NULL, "责任单位名称", 24},
    {"村代码", "village", TZ_COL_REGION, KEY, NULL, "regions", "村", NULL, NULL, "12位村级区划代码",
     16},
    {"开始日期", "start_date", TZ_COL_DATE, REQ, NULL, NULL, NULL, NULL, NULL, "YYYY-MM-DD", 12},
    {"结束日期", "end_date", TZ_COL_DATE, 0, NULL, NULL, NULL, NULL, NULL, "仍在帮扶留空", 12},
};

static const tz_column _aid_cadres[] = {
    {"姓名", "name", TZ_COL_TEXT, KEY, NULL, NULL, NULL, NULL, NULL, NULL, 10},
    {"帮扶单位", "unit", TZ_COL_TEXT, KEY, NULL, "units", NULL, NULL, NULL, "责任单位名称", 24},
    {"村代码", "village", TZ_COL_REGION, KEY, NULL, "regions", "村", NULL, NULL, "12位村级区划代码",
     16},
    {"职务", "post", TZ_COL_ENUM, REQ, _cadre_posts, NULL, NULL, NULL, NULL,
     "第一书记/工作队长/工作队员", 10},
    {"类别", "kind", TZ_COL_ENUM, REQ, _cadre_kinds, NULL, NULL, NULL, NULL,
     "业务骨干/年轻后备干部/其他", 12},
    {"派驻日期", "start_date", TZ_COL_DATE, REQ, NULL, NULL, NULL, NULL, NULL, "YYYY-MM-DD", 12},
    {"撤回日期", "end_date", TZ_COL_DATE, 0, NULL, NULL, NULL, NULL, NULL, "仍在岗留空", 12},
};

static const tz_column _aid_inputs[] = {
    {"投入编号", "input_id", TZ_COL_TEXT, KEY, NULL, NULL, NULL, NULL, NULL, NULL, 12},
    {"日期", "date", TZ_COL_DATE, REQ, NULL, NULL, NULL, NULL, NULL, "YYYY-MM-DD", 12},
    {"帮扶单位", "unit", TZ_COL_TEXT, REQ, NULL, "units", NULL, NULL, NULL, "责任单位名称", 24},
    {"村代码", "village", TZ_COL_REGION, REQ, NULL, "regions", "村", NULL, NULL, "12位村级区划代码",
     16},
    {"户编号", "hh_id", TZ_COL_TEXT, 0, NULL, "households", NULL, NULL, NULL, "投向村集体的留空",
     18},
    {"类别", "kind", TZ_COL_ENUM, REQ, _input_kinds, NULL, NULL, NULL, NULL, "从下拉列表选择", 10},
    {"内容", "content", TZ_COL_TEXT, 0, NULL, NULL, NULL, NULL, NULL, NULL, 30},
    {"金额(万元)", "amount", TZ_COL_DECIMAL, REQ, NULL, NULL, NULL, NULL, NULL, "万元", 10,
     .min = 0, .max = 100000},
};

static const tz_column _cultural_events[] = {
    {"活动编号", "event_id", TZ_COL_TEXT, KEY, NULL, NULL, NULL, NULL, NULL, NULL, 12},
    {"日期", "date", TZ_COL_DATE, REQ, NULL, NULL, NULL, NULL, NULL, "YYYY-MM-DD", 12},
    {"活动类型", "kind", TZ_COL_ENUM, REQ, _event_kinds, NULL, NULL, NULL, NULL, "从下拉列表选择",
     12},
    {"节目名称", "programme", TZ_COL_TEXT, 0, NULL, NULL, NULL, NULL, NULL, NULL, 24},
    {"演出形式", "form", TZ_COL_TEXT, 0, NULL, NULL, NULL, NULL, NULL, "如:坠子、小品", 10},
    {"地点区划代码", "place", TZ_COL_REGION, REQ, NULL, "regions", NULL, NULL, NULL,
     "乡镇或村的区划代码", 16},
    {"场次", "shows", TZ_COL_INT, REQ, NULL, NULL, NULL, NULL, NULL, NULL, 8, .min = 0,
     .max = 9999},
    {"受益人次", "beneficiaries", TZ_COL_INT, 0, NULL, NULL, NULL, NULL, NULL, NULL, 10, .min = 0,
     .max = 10000000},
};

static const tz_column _projects[] = {
    {"项目编号", "project_id", TZ_COL_TEXT, KEY, NULL, NULL, NULL, NULL, NULL, NULL, 12},
    {"项目名称", "name", TZ_COL_TEXT, REQ, NULL, NULL, NULL, NULL, NULL, NULL, 28},
    {"投资方", "investor", TZ_COL_TEXT, 0, NULL, NULL, NULL, NULL, NULL, NULL, 24},
    {"所在县区代码", "county", TZ_COL_REGION, REQ, NULL, "regions", "县", NULL, NULL,
     "12位县级区划代码", 16},
    {"责任单位", "unit", TZ_COL_TEXT, REQ, NULL, "units", NULL, NULL, NULL,
     "一个项目只计入一个责任单位", 20},
    {"产业", "industry", TZ_COL_TEXT, 0, NULL, NULL, NULL, NULL, NULL, "如:纺织服装", 14},
    {"工业项目", "industrial", TZ_COL_BOOL, REQ, _bool, NULL, NULL, NULL, NULL, "是/否", 8},
    {"总投资(亿元)", "investment", TZ_COL_DECIMAL, REQ, NULL, NULL, NULL, NULL, NULL, "亿元", 10,
     .min = 0, .max = 10000},
    {"项目类型", "kind", TZ_COL_ENUM, REQ, _project_kinds, NULL, NULL, NULL, NULL, "新建/增资", 8},
    {"外资项目", "is_foreign", TZ_COL_BOOL, REQ, _bool, NULL, NULL, NULL, NULL, "是/否", 8},
    {"合同外资(万美元)", "fdi_contract", TZ_COL_DECIMAL, 0, NULL, NULL, NULL, NULL, NULL, "万美元",
     12, .min = 0, .max = 10000000},
    {"阶段", "stage", TZ_COL_ENUM, REQ, _stages, NULL, NULL, NULL, NULL, "在谈/签约/落地/投产", 8},
    {"签约日期", "signed_date", TZ_COL_DATE, 0, NULL, NULL, NULL, NULL, "阶段=签约|落地|投产",
     "在谈项目留空", 12},
    {"落地日期", "landed_date", TZ_COL_DATE, 0, NULL, NULL, NULL, NULL, "阶段=落地|投产",
     "不早于签约日期", 12},
    {"招商方式", "channel", TZ_COL_ENUM, 0, _channels, NULL, NULL, NULL, NULL, "从下拉列表选择",
     10},
};

static const tz_column _project_funds[] = {
    {"项目编号", "project_id", TZ_COL_TEXT, KEY, NULL, "projects", NULL, NULL, NULL, NULL, 12},
    {"月份", "month", TZ_COL_MONTH, KEY, NULL, NULL, NULL, NULL, NULL, "YYYY-MM", 10},
    {"省外资金到位(万元)", "domestic_funds", TZ_COL_DECIMAL, 0, NULL, NULL, NULL, NULL, NULL,
     "万元", 14, .min = 0, .max = 10000000},
    {"实际利用外资(万美元)", "fdi_actual", TZ_COL_DECIMAL, 0, NULL, NULL, NULL, NULL, NULL,
     "万美元", 14, .min = 0, .max = 10000000},
};

static const tz_column _targets[] = {
    {"责任单位", "unit", TZ_COL_TEXT, KEY, NULL, "units", NULL, NULL, NULL, "责任单位名称", 24},
    {"年度", "year", TZ_COL_YEAR, KEY, NULL, NULL, NULL, NULL, NULL, "如:2015", 8, .min = 1949,
     .max = 2100},
    {"指标", "indicator", TZ_COL_ENUM, KEY, _target_names, NULL, NULL, NULL, NULL, "从下拉列表选择",
     34},
    {"目标值", "value", TZ_COL_DECIMAL, REQ, NULL, NULL, NULL, NULL, NULL, NULL, 10, .min = 0,
     .max = 1000000000},
};

/* Not in domain.md §2's twelve: the population behind 贫困发生率 (poverty
 * incidence), which no contract ledger carries. See docs/decisions.md. */
static const tz_column _populations[] = {
    {"村代码", "village", TZ_COL_REGION, KEY, NULL, "regions", "村", NULL, NULL, "12位村级区划代码",
     16},
    {"年度", "year", TZ_COL_YEAR, KEY, NULL, NULL, NULL, NULL, NULL, "如:2019", 8, .min = 1949,
     .max = 2100},
    {"农村户籍人口", "rural_population", TZ_COL_INT, REQ | TZ_F_POSITIVE, NULL, NULL, NULL, NULL,
     NULL, "该村年末农村户籍人口(人)", 14, .min = 1, .max = 1000000},
};

static const tz_rowcheck _cc_checks[] = {
    {"已拨付奖补(万元)", TZ_CMP_LE, "奖补标准(万元)", "已拨付奖补不能超过奖补标准"},
};
static const tz_rowcheck _hh_checks[] = {
    {"脱贫年度", TZ_CMP_GE, "识别年度", "脱贫年度不能早于识别年度"},
};
static const tz_rowcheck _av_checks[] = {
    {"结束日期", TZ_CMP_GE, "开始日期", "结束日期不能早于开始日期"},
};
static const tz_rowcheck _ac_checks[] = {
    {"撤回日期", TZ_CMP_GE, "派驻日期", "撤回日期不能早于派驻日期"},
};
static const tz_rowcheck _pj_checks[] = {
    {"落地日期", TZ_CMP_GE, "签约日期", "落地日期不能早于签约日期"},
};

static const tz_ledger _ledgers[] = {
    {"regions", "行政区划", _regions, N(_regions), NULL, 0, "code"},
    {"units", "责任单位", _units, N(_units), NULL, 0, "name"},
    {"households", "建档立卡贫困户", _households, N(_households), _hh_checks, N(_hh_checks),
     "hh_id"},
    {"culture_centers", "村级综合性文化服务中心", _culture_centers, N(_culture_centers),
     _cc_checks, N(_cc_checks), "village"},
    {"tv_installs", "户户通安装", _tv_installs, N(_tv_installs), NULL, 0, "hh_id"},
    {"aid_villages", "帮扶村", _aid_villages, N(_aid_villages), _av_checks, N(_av_checks),
     "unit, village"},
    {"aid_cadres", "驻村干部", _aid_cadres, N(_aid_cadres), _ac_checks, N(_ac_checks),
     "unit, village, name"},
    {"aid_inputs", "帮扶投入", _aid_inputs, N(_aid_inputs), NULL, 0, "input_id"},
    {"cultural_events", "文化活动", _cultural_events, N(_cultural_events), NULL, 0, "event_id"},
    {"projects", "招商项目", _projects, N(_projects), _pj_checks, N(_pj_checks), "project_id"},
    {"project_funds", "资金到位", _project_funds, N(_project_funds), NULL, 0,
     "project_id, month"},
    {"targets", "目标任务", _targets, N(_targets), NULL, 0, "unit, year, indicator"},
    {"populations", "户籍人口", _populations, N(_populations), NULL, 0, "village, year"},
};

const tz_ledger *tz_ledger_all(size_t *n)
{
    *n = N(_ledgers);
    return _ledgers;
}

const tz_ledger *tz_ledger_find(const char *id_or_name)
{
    if (!id_or_name)
        return NULL;
    for (size_t i = 0; i < N(_ledgers); i++)
        if (!strcmp(_ledgers[i].id, id_or_name) || !strcmp(_ledgers[i].name, id_or_name))
            return &_ledgers[i];
    return NULL;
}

int tz_ledger_col(const tz_ledger *l, const char *name)
{
    for (size_t i = 0; i < l->ncols; i++)
        if (!strcmp(l->cols[i].name, name) || !strcmp(l->cols[i].sql, name))
            return (int)i;
    return -1;
}

size_t tz_ledger_keys(const tz_ledger *l, int idx[4])
{
    size_t n = 0;
    for (size_t i = 0; i < l->ncols && n < 4; i++)
        if (l->cols[i].flags & TZ_F_KEY)
            idx[n++] = (int)i;
    return n;
}

tz_level tz_level_parse(const char *word)
{
    for (int i = 0; _levels[i]; i++)
        if (word && !strcmp(word, _levels[i]))
            return (tz_level)i;
    return TZ_LEVEL_NONE;
}

const char *tz_level_word(tz_level lv)
{
    if (lv < TZ_LEVEL_PROVINCE || lv > TZ_LEVEL_VILLAGE)
        return "";
    return _levels[lv];
}
