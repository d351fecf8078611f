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
static const char *const _hh_causes[] = {
    "因病",   "因残",   "因学",   "因灾",         "缺土地",           "缺水",
    "缺技术", "缺劳力", "缺资金", "交通条件落后", "自身发展动力不足", "其他",
    NULL};
static const char *const _tv_status[] = {"正常", "故障", NULL};
static const char *const _cadre_posts[] = {"第一书记", "工作队长", "工作队员", NULL};
static const char *const _cadre_kinds[] = {"业务骨干", "年轻后备干部", "其他", NULL};
static const char *const _input_kinds[] = {"办公设备", "文体器材", "基础设施", "住房修缮", "饮水",
                                           "生活用品", "产业扶持", "其他",     NULL};
static const char *const _event_kinds[] = {
    "送戏下乡", "送电影下乡", "文艺宣传演出", "赛事活动", "农家书屋", "其他", NULL};
static const char *const _project_kinds[] = {"新建", "增资", NULL};
static const char *const _stages[] = {"在谈", "签约", "落地", "投产", NULL};
static const char *const _channels[] = {"以商招商", "老乡招商", "商会招商", "业务招商",
                                        "专题招商", "其他",     NULL};
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

/* A required column is in every file of its ledger (TZ_F_INFILE); a column
 * without REQ or KEY may be absent from a file: its values are then null,
 * "not recorded". */
#define REQ (TZ_F_REQUIRED | TZ_F_INFILE)
#define KEY (TZ_F_KEY | TZ_F_REQUIRED | TZ_F_INFILE)

/* Column rows name their fields (ledger.h: tz_column); a field left out is
 * zero: no flag, no choices, no reference, no condition, no range. INT,
 * DECIMAL and YEAR columns give the accepted range (.min, .max): a value
 * outside is refused with the range in the message. */
static const tz_column _regions[] = {
    {.name = "区划代码",
     .sql = "code",
     .type = TZ_COL_REGION,
     .flags = KEY,
     .note = "12位统计用区划代码,6位或9位自动补零",
     .width = 16},
    {.name = "名称",
     .sql = "name",
     .type = TZ_COL_TEXT,
     .flags = REQ,
     .note = "如:宋河镇",
     .width = 16},
    {.name = "上级区划代码",
     .sql = "parent",
     .type = TZ_COL_REGION,
     .flags = TZ_F_PARENT,
     .ref = "regions",
     .note = "省级留空;村的上级必须是乡",
     .width = 16},
    {.name = "层级",
     .sql = "level",
     .type = TZ_COL_ENUM,
     .flags = REQ | TZ_F_INDEXED, /* a scope's range asks which levels lie outside it */
     .index_with = "code",
     .choices = _levels,
     .note = "省/市/县/乡/村",
     .width = 8},
    {.name = "贫困村",
     .sql = "poor",
     .type = TZ_COL_BOOL,
     .choices = _bool,
     .only_if = "层级=村",
     .required_if = "层级=村",
     .note = "是/否,仅村级填写",
     .width = 8},
    {.name = "主导产业",
     .sql = "industries",
     .type = TZ_COL_LIST,
     .only_if = "层级=县",
     .note = "仅县级填写,多个用、分隔",
     .width = 30},
};

static const tz_column _units[] = {
    {.name = "单位名称",
     .sql = "name",
     .type = TZ_COL_TEXT,
     .flags = KEY,
     .note = "如:县文化广电旅游局",
     .width = 24},
    {.name = "单位类型",
     .sql = "kind",
     .type = TZ_COL_ENUM,
     .flags = REQ,
     .choices = _unit_types,
     .note = "县区/专题招商组/市直单位/县直单位",
     .width = 12},
    {.name = "所属区划代码",
     .sql = "region",
     .type = TZ_COL_REGION,
     .flags = REQ,
     .ref = "regions",
     .note = "单位所在的市或县的区划代码",
     .width = 16},
};

/* Households: 户编号, 户主姓名, 户主身份证号, 所在村代码 and 家庭人口 identify
 * and place a household and are required; 贫困户属性, 主要致贫原因 and
 * 识别年度 may be missing or empty ("not recorded": check reports it). */
static const tz_column _households[] = {
    {.name = "户编号",
     .sql = "hh_id",
     .type = TZ_COL_TEXT,
     .flags = KEY,
     .note = "全国扶贫系统户编号",
     .width = 18},
    {.name = "户主姓名",
     .sql = "head_name",
     .type = TZ_COL_TEXT,
     .flags = REQ | TZ_F_INDEXED,
     .index_with = "id_number",
     .width = 10},
    {.name = "户主身份证号",
     .sql = "id_number",
     .type = TZ_COL_IDCARD,
     .flags = REQ | TZ_F_UNIQUE,
     .note = "18位,末位校验码",
     .width = 20},
    {.name = "所在村代码",
     .sql = "village",
     .type = TZ_COL_REGION,
     .flags = REQ,
     .ref = "regions",
     .ref_level = "村",
     .note = "12位村级区划代码",
     .width = 16},
    {.name = "家庭人口",
     .sql = "members",
     .type = TZ_COL_INT,
     .flags = REQ | TZ_F_POSITIVE,
     .note = "人数,至少1",
     .width = 8,
     .min = 1,
     .max = 30},
    {.name = "贫困户属性",
     .sql = "kind",
     .type = TZ_COL_ENUM,
     .choices = _hh_kinds,
     .note = "一般贫困户/低保贫困户/特困供养贫困户",
     .width = 14},
    {.name = "主要致贫原因",
     .sql = "cause",
     .type = TZ_COL_ENUM,
     .choices = _hh_causes,
     .note = "从下拉列表选择",
     .width = 14},
    {.name = "识别年度",
     .sql = "year_identified",
     .type = TZ_COL_YEAR,
     .note = "如:2016",
     .width = 8,
     .min = 1949,
     .max = 2100},
    {.name = "脱贫年度",
     .sql = "year_exited",
     .type = TZ_COL_YEAR,
     .note = "未脱贫留空",
     .width = 8,
     .min = 1949,
     .max = 2100},
    {.name = "人均纯收入(元)",
     .sql = "income",
     .type = TZ_COL_DECIMAL,
     .note = "元/人·年",
     .width = 12,
     .min = 0,
     .max = 1000000},
    {.name = "义务教育保障",
     .sql = "edu_ok",
     .type = TZ_COL_BOOL,
     .choices = _bool,
     .note = "是/否/空",
     .width = 8},
    {.name = "基本医疗保障",
     .sql = "med_ok",
     .type = TZ_COL_BOOL,
     .choices = _bool,
     .note = "是/否/空",
     .width = 8},
    {.name = "住房安全保障",
     .sql = "house_ok",
     .type = TZ_COL_BOOL,
     .choices = _bool,
     .note = "是/否/空",
     .width = 8},
    {.name = "饮水安全保障",
     .sql = "water_ok",
     .type = TZ_COL_BOOL,
     .choices = _bool,
     .note = "是/否/空",
     .width = 8},
    {.name = "帮扶责任人", .sql = "helper", .type = TZ_COL_TEXT, .width = 10},
};

static const tz_column _culture_centers[] = {
    {.name = "村代码",
     .sql = "village",
     .type = TZ_COL_REGION,
     .flags = KEY,
     .ref = "regions",
     .ref_level = "村",
     .note = "12位村级区划代码",
     .width = 16},
    {.name = "建成年份",
     .sql = "year_built",
     .type = TZ_COL_YEAR,
     .note = "未建成留空",
     .width = 8,
     .min = 1949,
     .max = 2100},
    {.name = "文化广场面积(平方米)",
     .sql = "plaza_area",
     .type = TZ_COL_DECIMAL,
     .note = "平方米",
     .width = 12,
     .min = 0,
     .max = 100000},
    {.name = "是否达标",
     .sql = "compliant",
     .type = TZ_COL_BOOL,
     .flags = REQ,
     .choices = _bool,
     .note = "是/否",
     .width = 8},
    {.name = "奖补标准(万元)",
     .sql = "subsidy",
     .type = TZ_COL_DECIMAL,
     .note = "万元",
     .width = 10,
     .min = 0,
     .max = 10000},
    {.name = "已拨付奖补(万元)",
     .sql = "subsidy_paid",
     .type = TZ_COL_DECIMAL,
     .note = "万元,不超过奖补标准",
     .width = 10,
     .min = 0,
     .max = 10000},
};

static const tz_column _tv_installs[] = {
    {.name = "户编号",
     .sql = "hh_id",
     .type = TZ_COL_TEXT,
     .flags = KEY,
     .ref = "households",
     .note = "建档立卡户编号",
     .width = 18},
    {.name = "安装日期",
     .sql = "install_date",
     .type = TZ_COL_DATE,
     .flags = REQ,
     .note = "YYYY-MM-DD",
     .width = 12},
    {.name = "安装单位", .sql = "installer", .type = TZ_COL_TEXT, .width = 20},
    {.name = "状态",
     .sql = "status",
     .type = TZ_COL_ENUM,
     .flags = REQ,
     .choices = _tv_status,
     .note = "正常/故障",
     .width = 8},
};

static const tz_column _aid_villages[] = {
    {.name = "帮扶单位",
     .sql = "unit",
     .type = TZ_COL_TEXT,
     .flags = KEY,
     .ref = "units",
     .note = "责任单位名称",
     .width = 24},
    {.name = "村代码",
     .sql = "village",
     .type = TZ_COL_REGION,
     .flags = KEY,
     .ref = "regions",
     .ref_level = "村",
     .note = "12位村级区划代码",
     .width = 16},
    {.name = "开始日期",
     .sql = "start_date",
     .type = TZ_COL_DATE,
     .flags = REQ,
     .note = "YYYY-MM-DD",
     .width = 12},
    {.name = "结束日期",
     .sql = "end_date",
     .type = TZ_COL_DATE,
     .note = "仍在帮扶留空",
     .width = 12},
};

static const tz_column _aid_cadres[] = {
    {.name = "姓名", .sql = "name", .type = TZ_COL_TEXT, .flags = KEY, .width = 10},
    {.name = "帮扶单位",
     .sql = "unit",
     .type = TZ_COL_TEXT,
     .flags = KEY,
     .ref = "units",
     .note = "责任单位名称",
     .width = 24},
    {.name = "村代码",
     .sql = "village",
     .type = TZ_COL_REGION,
     .flags = KEY,
     .ref = "regions",
     .ref_level = "村",
     .note = "12位村级区划代码",
     .width = 16},
    {.name = "职务",
     .sql = "post",
     .type = TZ_COL_ENUM,
     .flags = REQ,
     .choices = _cadre_posts,
     .note = "第一书记/工作队长/工作队员",
     .width = 10},
    {.name = "类别",
     .sql = "kind",
     .type = TZ_COL_ENUM,
     .flags = REQ,
     .choices = _cadre_kinds,
     .note = "业务骨干/年轻后备干部/其他",
     .width = 12},
    {.name = "派驻日期",
     .sql = "start_date",
     .type = TZ_COL_DATE,
     .flags = REQ,
     .note = "YYYY-MM-DD",
     .width = 12},
    {.name = "撤回日期", .sql = "end_date", .type = TZ_COL_DATE, .note = "仍在岗留空", .width = 12},
};

static const tz_column _aid_inputs[] = {
    {.name = "投入编号", .sql = "input_id", .type = TZ_COL_TEXT, .flags = KEY, .width = 12},
    {.name = "日期",
     .sql = "date",
     .type = TZ_COL_DATE,
     .flags = REQ,
     .note = "YYYY-MM-DD",
     .width = 12},
    {.name = "帮扶单位",
     .sql = "unit",
     .type = TZ_COL_TEXT,
     .flags = REQ,
     .ref = "units",
     .note = "责任单位名称",
     .width = 24},
    {.name = "村代码",
     .sql = "village",
     .type = TZ_COL_REGION,
     .flags = REQ,
     .ref = "regions",
     .ref_level = "村",
     .note = "12位村级区划代码",
     .width = 16},
    {.name = "户编号",
     .sql = "hh_id",
     .type = TZ_COL_TEXT,
     .ref = "households",
     .note = "投向村集体的留空",
     .width = 18},
    {.name = "类别",
     .sql = "kind",
     .type = TZ_COL_ENUM,
     .flags = REQ,
     .choices = _input_kinds,
     .note = "从下拉列表选择",
     .width = 10},
    {.name = "内容", .sql = "content", .type = TZ_COL_TEXT, .width = 30},
    {.name = "金额(万元)",
     .sql = "amount",
     .type = TZ_COL_DECIMAL,
     .flags = REQ,
     .note = "万元",
     .width = 10,
     .min = 0,
     .max = 100000},
};

static const tz_column _cultural_events[] = {
    {.name = "活动编号", .sql = "event_id", .type = TZ_COL_TEXT, .flags = KEY, .width = 12},
    {.name = "日期",
     .sql = "date",
     .type = TZ_COL_DATE,
     .flags = REQ,
     .note = "YYYY-MM-DD",
     .width = 12},
    {.name = "活动类型",
     .sql = "kind",
     .type = TZ_COL_ENUM,
     .flags = REQ,
     .choices = _event_kinds,
     .note = "从下拉列表选择",
     .width = 12},
    {.name = "节目名称", .sql = "programme", .type = TZ_COL_TEXT, .width = 24},
    {.name = "演出形式", .sql = "form", .type = TZ_COL_TEXT, .note = "如:坠子、小品", .width = 10},
    {.name = "地点区划代码",
     .sql = "place",
     .type = TZ_COL_REGION,
     .flags = REQ,
     .ref = "regions",
     .note = "乡镇或村的区划代码",
     .width = 16},
    {.name = "场次",
     .sql = "shows",
     .type = TZ_COL_INT,
     .flags = REQ,
     .width = 8,
     .min = 0,
     .max = 9999},
    {.name = "受益人次",
     .sql = "beneficiaries",
     .type = TZ_COL_INT,
     .width = 10,
     .min = 0,
     .max = 10000000},
};

static const tz_column _projects[] = {
    {.name = "项目编号", .sql = "project_id", .type = TZ_COL_TEXT, .flags = KEY, .width = 12},
    {.name = "项目名称", .sql = "name", .type = TZ_COL_TEXT, .flags = REQ, .width = 28},
    {.name = "投资方", .sql = "investor", .type = TZ_COL_TEXT, .width = 24},
    {.name = "所在县区代码",
     .sql = "county",
     .type = TZ_COL_REGION,
     .flags = REQ,
     .ref = "regions",
     .ref_level = "县",
     .note = "12位县级区划代码",
     .width = 16},
    {.name = "责任单位",
     .sql = "unit",
     .type = TZ_COL_TEXT,
     .flags = REQ,
     .ref = "units",
     .note = "一个项目只计入一个责任单位",
     .width = 20},
    {.name = "产业", .sql = "industry", .type = TZ_COL_TEXT, .note = "如:纺织服装", .width = 14},
    {.name = "工业项目",
     .sql = "industrial",
     .type = TZ_COL_BOOL,
     .flags = REQ,
     .choices = _bool,
     .note = "是/否",
     .width = 8},
    {.name = "总投资(亿元)",
     .sql = "investment",
     .type = TZ_COL_DECIMAL,
     .flags = REQ,
     .note = "亿元",
     .width = 10,
     .min = 0,
     .max = 10000},
    {.name = "项目类型",
     .sql = "kind",
     .type = TZ_COL_ENUM,
     .flags = REQ,
     .choices = _project_kinds,
     .note = "新建/增资",
     .width = 8},
    {.name = "外资项目",
     .sql = "is_foreign",
     .type = TZ_COL_BOOL,
     .flags = REQ,
     .choices = _bool,
     .note = "是/否",
     .width = 8},
    {.name = "合同外资(万美元)",
     .sql = "fdi_contract",
     .type = TZ_COL_DECIMAL,
     .note = "万美元",
     .width = 12,
     .min = 0,
     .max = 10000000},
    {.name = "阶段",
     .sql = "stage",
     .type = TZ_COL_ENUM,
     .flags = REQ,
     .choices = _stages,
     .note = "在谈/签约/落地/投产",
     .width = 8},
    {.name = "签约日期",
     .sql = "signed_date",
     .type = TZ_COL_DATE,
     .required_if = "阶段=签约|落地|投产",
     .note = "在谈项目留空",
     .width = 12},
    {.name = "落地日期",
     .sql = "landed_date",
     .type = TZ_COL_DATE,
     .required_if = "阶段=落地|投产",
     .note = "不早于签约日期",
     .width = 12},
    {.name = "招商方式",
     .sql = "channel",
     .type = TZ_COL_ENUM,
     .choices = _channels,
     .note = "从下拉列表选择",
     .width = 10},
};

static const tz_column _project_funds[] = {
    {.name = "项目编号",
     .sql = "project_id",
     .type = TZ_COL_TEXT,
     .flags = KEY,
     .ref = "projects",
     .width = 12},
    {.name = "月份",
     .sql = "month",
     .type = TZ_COL_MONTH,
     .flags = KEY,
     .note = "YYYY-MM",
     .width = 10},
    {.name = "省外资金到位(万元)",
     .sql = "domestic_funds",
     .type = TZ_COL_DECIMAL,
     .note = "万元",
     .width = 14,
     .min = 0,
     .max = 10000000},
    {.name = "实际利用外资(万美元)",
     .sql = "fdi_actual",
     .type = TZ_COL_DECIMAL,
     .note = "万美元",
     .width = 14,
     .min = 0,
     .max = 10000000},
};

static const tz_column _targets[] = {
    {.name = "责任单位",
     .sql = "unit",
     .type = TZ_COL_TEXT,
     .flags = KEY,
     .ref = "units",
     .note = "责任单位名称",
     .width = 24},
    {.name = "年度",
     .sql = "year",
     .type = TZ_COL_YEAR,
     .flags = KEY,
     .note = "如:2015",
     .width = 8,
     .min = 1949,
     .max = 2100},
    {.name = "指标",
     .sql = "indicator",
     .type = TZ_COL_ENUM,
     .flags = KEY,
     .choices = _target_names,
     .note = "从下拉列表选择",
     .width = 34},
    {.name = "目标值",
     .sql = "value",
     .type = TZ_COL_DECIMAL,
     .flags = REQ,
     .width = 10,
     .min = 0,
     .max = 1000000000},
};

/* Not in domain.md §2's twelve: the population behind 贫困发生率 (poverty
 * incidence), which no contract ledger carries. See docs/decisions.md. */
static const tz_column _populations[] = {
    {.name = "村代码",
     .sql = "village",
     .type = TZ_COL_REGION,
     .flags = KEY,
     .ref = "regions",
     .ref_level = "村",
     .note = "12位村级区划代码",
     .width = 16},
    {.name = "年度",
     .sql = "year",
     .type = TZ_COL_YEAR,
     .flags = KEY,
     .note = "如:2019",
     .width = 8,
     .min = 1949,
     .max = 2100},
    {.name = "农村户籍人口",
     .sql = "rural_population",
     .type = TZ_COL_INT,
     .flags = REQ | TZ_F_POSITIVE,
     .note = "该村年末农村户籍人口(人)",
     .width = 14,
     .min = 1,
     .max = 1000000},
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
    {.id = "regions",
     .name = "行政区划",
     .cols = _regions,
     .ncols = N(_regions),
     .order_by = "code",
     .region = {.col = "区划代码"},
     .shared_read = 1},
    {.id = "units",
     .name = "责任单位",
     .cols = _units,
     .ncols = N(_units),
     .order_by = "name",
     .region = {.col = "所属区划代码"},
     .unit = {.col = "单位名称"},
     .shared_read = 1},
    {.id = "households",
     .name = "建档立卡贫困户",
     .cols = _households,
     .ncols = N(_households),
     .checks = _hh_checks,
     .nchecks = N(_hh_checks),
     .order_by = "hh_id",
     .region = {.col = "所在村代码"},
     .period_col = "识别年度"},
    {.id = "culture_centers",
     .name = "村级综合性文化服务中心",
     .cols = _culture_centers,
     .ncols = N(_culture_centers),
     .checks = _cc_checks,
     .nchecks = N(_cc_checks),
     .order_by = "village",
     .region = {.col = "村代码"},
     .period_col = "建成年份"},
    {.id = "tv_installs",
     .name = "户户通安装",
     .cols = _tv_installs,
     .ncols = N(_tv_installs),
     .order_by = "hh_id",
     .region = {.col = "户编号", .via = "households", .via_col = "所在村代码"},
     .period_col = "安装日期"},
    {.id = "aid_villages",
     .name = "帮扶村",
     .cols = _aid_villages,
     .ncols = N(_aid_villages),
     .checks = _av_checks,
     .nchecks = N(_av_checks),
     .order_by = "unit, village",
     .region = {.col = "村代码"},
     .unit = {.col = "帮扶单位"},
     .period_col = "开始日期"},
    {.id = "aid_cadres",
     .name = "驻村干部",
     .cols = _aid_cadres,
     .ncols = N(_aid_cadres),
     .checks = _ac_checks,
     .nchecks = N(_ac_checks),
     .order_by = "unit, village, name",
     .region = {.col = "村代码"},
     .unit = {.col = "帮扶单位"},
     .period_col = "派驻日期"},
    {.id = "aid_inputs",
     .name = "帮扶投入",
     .cols = _aid_inputs,
     .ncols = N(_aid_inputs),
     .order_by = "input_id",
     .region = {.col = "村代码"},
     .unit = {.col = "帮扶单位"},
     .period_col = "日期"},
    {.id = "cultural_events",
     .name = "文化活动",
     .cols = _cultural_events,
     .ncols = N(_cultural_events),
     .order_by = "event_id",
     .region = {.col = "地点区划代码"},
     .period_col = "日期"},
    {.id = "projects",
     .name = "招商项目",
     .cols = _projects,
     .ncols = N(_projects),
     .checks = _pj_checks,
     .nchecks = N(_pj_checks),
     .order_by = "project_id",
     .region = {.col = "所在县区代码"},
     .unit = {.col = "责任单位"},
     .period_col = "签约日期"},
    {.id = "project_funds",
     .name = "资金到位",
     .cols = _project_funds,
     .ncols = N(_project_funds),
     .order_by = "project_id, month",
     .region = {.col = "项目编号", .via = "projects", .via_col = "所在县区代码"},
     .unit = {.col = "项目编号", .via = "projects", .via_col = "责任单位"},
     .period_col = "月份"},
    {.id = "targets",
     .name = "目标任务",
     .cols = _targets,
     .ncols = N(_targets),
     .order_by = "unit, year, indicator",
     .region = {.col = "责任单位", .via = "units", .via_col = "所属区划代码"},
     .unit = {.col = "责任单位"},
     .period_col = "年度"},
    {.id = "populations",
     .name = "户籍人口",
     .cols = _populations,
     .ncols = N(_populations),
     .order_by = "village, year",
     .region = {.col = "村代码"},
     .period_col = "年度"},
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

int tz_level_digits(tz_level lv)
{
    static const int digits[] = {2, 4, 6, 9, 12};
    return lv >= TZ_LEVEL_PROVINCE && lv <= TZ_LEVEL_VILLAGE ? digits[lv] : 12;
}

int tz_code_digits(const char *code)
{
    static const int cuts[] = {2, 4, 6, 9};
    size_t len = strlen(code);
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        size_t k = (size_t)cuts[i];
        while (k < len && code[k] == '0')
            k++;
        if (k == len && len == 12)
            return cuts[i];
    }
    return 12;
}

void tz_code_bounds(const char *code, int digits, char lo[13], char hi[13])
{
    size_t n = strnlen(code, 12);
    if (digits >= 0 && (size_t)digits < n)
        n = (size_t)digits;
    if (lo) {
        memcpy(lo, code, n);
        memset(lo + n, '0', 12 - n);
        lo[12] = '\0';
    }
    if (hi) {
        memcpy(hi, code, n);
        memset(hi + n, '9', 12 - n);
        hi[12] = '\0';
    }
}

const char *tz_level_word(tz_level lv)
{
    if (lv < TZ_LEVEL_PROVINCE || lv > TZ_LEVEL_VILLAGE)
        return "";
    return _levels[lv];
}
