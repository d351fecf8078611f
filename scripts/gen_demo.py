#!/usr/bin/env python3
"""gen_demo.py - generates the Taizhang demo dataset, and checks it.

Owns: examples/county/*.csv (Document A, 鹿邑县 文化广电旅游局 poverty-alleviation
ledgers), examples/city/*.csv (Document B, 商丘市 investment-promotion ledgers)
and examples/README.md. The data is synthetic but reproduces every figure of
docs/domain.md section 5 through the ledger contract of section 2.

Does not own: the importer, the metrics or the reports; this script only writes
files and, with --check, re-reads them and recomputes the figures and the
import validation rules independently of the generator.

Usage:
    python3 scripts/gen_demo.py            # (re)write examples/
    python3 scripts/gen_demo.py --check    # re-read examples/, print figures, exit 1 on failure
    python3 scripts/gen_demo.py --out DIR  # write/check another directory

Deterministic: Python 3 standard library only, fixed random seeds, no clock.
"""
import argparse
import csv
import io
import os
import random
import sys
from datetime import date, timedelta
from decimal import Decimal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(ROOT, "examples")

# ---------------------------------------------------------------------------
# The ledger contract (docs/domain.md section 2): export order of each ledger.
# ---------------------------------------------------------------------------
HEADERS = {
    "regions": ["区划代码", "名称", "上级区划代码", "层级", "贫困村", "主导产业"],
    "units": ["单位名称", "单位类型", "所属区划代码"],
    "households": ["户编号", "户主姓名", "户主身份证号", "所在村代码", "家庭人口", "贫困户属性",
                   "主要致贫原因", "识别年度", "脱贫年度", "人均纯收入(元)", "义务教育保障",
                   "基本医疗保障", "住房安全保障", "饮水安全保障", "帮扶责任人"],
    "culture_centers": ["村代码", "建成年份", "文化广场面积(平方米)", "是否达标", "奖补标准(万元)",
                        "已拨付奖补(万元)"],
    "tv_installs": ["户编号", "安装日期", "安装单位", "状态"],
    "aid_villages": ["帮扶单位", "村代码", "开始日期", "结束日期"],
    "aid_cadres": ["姓名", "帮扶单位", "村代码", "职务", "类别", "派驻日期", "撤回日期"],
    "aid_inputs": ["投入编号", "日期", "帮扶单位", "村代码", "户编号", "类别", "内容", "金额(万元)"],
    "cultural_events": ["活动编号", "日期", "活动类型", "节目名称", "演出形式", "地点区划代码", "场次",
                        "受益人次"],
    "projects": ["项目编号", "项目名称", "投资方", "所在县区代码", "责任单位", "产业", "工业项目",
                 "总投资(亿元)", "项目类型", "外资项目", "合同外资(万美元)", "阶段", "签约日期",
                 "落地日期", "招商方式"],
    "project_funds": ["项目编号", "月份", "省外资金到位(万元)", "实际利用外资(万美元)"],
    "targets": ["责任单位", "年度", "指标", "目标值"],
    # Not one of domain.md's twelve: the rural population behind 贫困发生率.
    "populations": ["村代码", "年度", "农村户籍人口"],
}
LEDGER_ORDER = ["regions", "units", "households", "culture_centers", "tv_installs", "aid_villages",
                "aid_cadres", "aid_inputs", "cultural_events", "projects", "project_funds", "targets",
                "populations"]
FOLDERS = ["county", "city"]
# The one file written in GB18030 (no BOM) to exercise encoding detection.
GB18030_FILES = {("county", "cultural_events")}

ENUMS = {
    ("regions", "层级"): ["省", "市", "县", "乡", "村"],
    ("units", "单位类型"): ["县区", "专题招商组", "市直单位", "县直单位"],
    ("households", "贫困户属性"): ["一般贫困户", "低保贫困户", "特困供养贫困户"],
    ("households", "主要致贫原因"): ["因病", "因残", "因学", "因灾", "缺土地", "缺水", "缺技术", "缺劳力",
                                 "缺资金", "交通条件落后", "自身发展动力不足", "其他"],
    ("tv_installs", "状态"): ["正常", "故障"],
    ("aid_cadres", "职务"): ["第一书记", "工作队长", "工作队员"],
    ("aid_cadres", "类别"): ["业务骨干", "年轻后备干部", "其他"],
    ("aid_inputs", "类别"): ["办公设备", "文体器材", "基础设施", "住房修缮", "饮水", "生活用品", "产业扶持",
                           "其他"],
    ("cultural_events", "活动类型"): ["送戏下乡", "送电影下乡", "文艺宣传演出", "赛事活动", "农家书屋", "其他"],
    ("projects", "项目类型"): ["新建", "增资"],
    ("projects", "阶段"): ["在谈", "签约", "落地", "投产"],
    ("projects", "招商方式"): ["以商招商", "老乡招商", "商会招商", "业务招商", "专题招商", "其他"],
}
TARGET_NAMES = ["户户通安装户数", "村级文化服务中心覆盖率(%)", "实际利用外资(万美元)", "实际利用省外资金(万元)",
                "实际利用外资增长率(%)", "实际利用省外资金增长率(%)", "引进3亿元以上项目数",
                "引进3亿元以上工业项目数", "引进主导产业3亿元以上工业项目数", "引进5亿元以上工业项目数",
                "力争引进10亿元以上主导产业项目数", "引进1亿元以上项目数"]
# Rural poverty line per exit year (元 per person per year), used for the exit rule.
POVERTY_LINE = {2014: 2800, 2015: 2855, 2016: 3026, 2017: 3335, 2018: 3535, 2019: 3747, 2020: 4000}

PROVINCE = ("410000000000", "河南省")
ZHOUKOU = ("411600000000", "周口市")
LUYI = ("411628000000", "鹿邑县")
SHANGQIU = ("411400000000", "商丘市")
BUREAU = "县文化广电旅游局"
POVERTY_OFFICE = "县扶贫办"
TV_COMPANY = "豫广网络鹿邑分公司"

# 商丘市's nine county-level units and their leading industries, from the
# speech's "围绕重点产业招商" paragraph.
CITY_COUNTIES = [
    ("411402000000", "梁园区", ["生物医药健康", "食品制造", "商贸"]),
    ("411403000000", "睢阳区", ["针织服装", "食品加工", "文化旅游"]),
    ("411421000000", "民权县", ["制冷家电"]),
    ("411422000000", "睢县", ["制鞋", "电子信息"]),
    ("411423000000", "宁陵县", ["农资化工", "家居"]),
    ("411424000000", "柘城县", ["金刚石超硬材料", "皮革"]),
    ("411425000000", "虞城县", ["五金量具", "纺织服装"]),
    ("411426000000", "夏邑县", ["纺织服装"]),
    ("411471000000", "示范区", ["物流", "电商", "电子信息", "电动汽车"]),
]
ZERO_FDI_COUNTIES = ["夏邑县", "虞城县", "睢阳区", "宁陵县", "睢县"]

SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许沈曾彭吕苏卢蒋蔡贾丁"
            "魏薛叶阎余潘杜夏田任姜范方石姚谭邹金陆郝孔白崔康毛邱秦史侯邵孟段雷钱汤尹常武乔贺牛葛耿")
GIVEN_M = "建国军明华永德志保全长春福贵成学新振友海金庆喜富广连玉青山林卫东红伟强刚峰磊超勇平安忠信义民生发先才俊涛"
GIVEN_F = "秀兰英芳桂花凤玲梅霞云丽珍琴荣翠娥萍敏静燕娟香莲枝爱"


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------
def fmt_cents(n):
    """Formats an integer count of hundredths as a decimal without trailing zeros."""
    s = "%d.%02d" % (n // 100, n % 100)
    return s.rstrip("0").rstrip(".")


def fmt_tenths(n):
    """Formats an integer count of tenths (亿元) as a decimal without a trailing .0."""
    return str(n // 10) if n % 10 == 0 else "%d.%d" % (n // 10, n % 10)


def allocate(total, weights, minimum=0):
    """Splits integer total over weights (largest remainder); every part >= minimum."""
    n = len(weights)
    assert total >= minimum * n
    rest = total - minimum * n
    s = float(sum(weights))
    raw = [rest * w / s for w in weights]
    parts = [int(x) for x in raw]
    order = sorted(range(n), key=lambda i: (-(raw[i] - parts[i]), i))
    for i in order[: rest - sum(parts)]:
        parts[i] += 1
    return [p + minimum for p in parts]


def round_1_1(n):
    """1.1 x a non-negative integer, rounded half up to an integer."""
    return (n * 11 + 5) // 10


def rand_date(rng, start, end):
    return start + timedelta(days=rng.randint(0, (end - start).days))


def gb11643_check(s17):
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(c) * w for c, w in zip(s17, weights)) % 11]


def person_name(rng, female=None):
    if female is None:
        female = rng.random() < 0.3
    pool = GIVEN_F if female else GIVEN_M
    given = rng.choice(pool) if rng.random() < 0.35 else rng.choice(pool) + rng.choice(pool)
    return rng.choice(SURNAMES) + given


def month_iter(first, last):
    """Yields (year, month) from first to last inclusive; both are (y, m)."""
    y, m = first
    while (y, m) <= last:
        yield (y, m)
        m += 1
        if m == 13:
            y, m = y + 1, 1


def write_csv(path, header, rows, encoding):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    for r in rows:
        assert len(r) == len(header), (path, r)
        w.writerow(["" if v is None else str(v) for v in r])
    data = buf.getvalue().encode(encoding)
    with open(path, "wb") as f:
        f.write(data)


# ---------------------------------------------------------------------------
# Document A: 鹿邑县
# ---------------------------------------------------------------------------
TOWNSHIPS = [
    ("001", "真源街道"), ("002", "卫真街道"), ("003", "鸣鹿街道"),
    ("101", "宋河镇"), ("102", "玄武镇"), ("103", "太清宫镇"), ("104", "王皮溜镇"), ("105", "试量镇"),
    ("106", "辛集镇"), ("107", "马铺镇"), ("108", "贾滩镇"), ("109", "杨湖口镇"), ("110", "涡北镇"),
    ("111", "观堂镇"), ("112", "生铁冢镇"),
    ("201", "邱集乡"), ("202", "张店乡"), ("203", "穆店乡"), ("204", "唐集乡"), ("205", "任集乡"),
    ("206", "赵村乡"), ("207", "郑家集乡"),
]
N_VILLAGES = 454
N_POOR = 105
NAMED_VILLAGES = [("宋河镇", "卢尧村", True), ("宋河镇", "刘楼村", False), ("宋河镇", "轩楼村", False),
                  ("宋河镇", "药铺村", False), ("宋河镇", "杨桥村", False), ("宋河镇", "枣集村", False),
                  ("赵村乡", "赵东村", False)]
VILLAGE_SUFFIX = "庄楼营寨集庙桥园店屯湾寺阁岗口堂坊湖洼铺庵台沟"
VILLAGE_PREFIX = ["", "", "", "大", "小", "东", "西", "南", "北", "前", "后"]
N_HOUSEHOLDS = 12000
TV_2018 = 4809
TV_2019 = 3543
OPERAS = [("朝阳沟", "豫剧"), ("花木兰", "豫剧"), ("穆桂英挂帅", "豫剧"), ("七品芝麻官", "豫剧"),
          ("卷席筒", "曲剧"), ("小仓娃", "曲剧")]
# The seed's propaganda programmes (stored without 《》) and their forms.
PROGRAMMES = [("扶贫路上", "歌曲"), ("我村来了个好书记", "小品"), ("兔姻缘", "小品"),
              ("党的政策就是好", "坠子"), ("好日子是干出来的不是等出来的", "相声"), ("我脱贫我光荣", "歌曲")]
EVENT_TOTALS = {  # 活动类型: (场次 total or None when per-row, 受益人次 total)
    "送戏下乡": (523, 612380),
    "送电影下乡": (15634, 9468520),
    "文艺宣传演出": (10230, 628150),
    "赛事活动": (None, 36400),
    "农家书屋": (None, 48760),
}


def gen_villages(rng):
    """Returns (townships, villages); villages are dicts with code, name, town, poor."""
    towns = [(LUYI[0][:6] + code + "000", name) for code, name in TOWNSHIPS]
    sizes = allocate(N_VILLAGES, [rng.uniform(0.7, 1.3) for _ in towns], minimum=8)
    used = {n for _, n, _ in NAMED_VILLAGES}
    villages = []
    for (tcode, tname), size in zip(towns, sizes):
        names = [n for t, n, _ in NAMED_VILLAGES if t == tname]
        while len(names) < size:
            nm = rng.choice(VILLAGE_PREFIX) + rng.choice(SURNAMES) + rng.choice(VILLAGE_SUFFIX) + "村"
            if nm not in used:
                used.add(nm)
                names.append(nm)
        # named villages keep their place at the front, the rest in random order
        fixed = [n for t, n, _ in NAMED_VILLAGES if t == tname]
        rest = names[len(fixed):]
        rng.shuffle(rest)
        for i, nm in enumerate(fixed + rest):
            villages.append({"code": tcode[:9] + "%03d" % (201 + i), "name": nm, "town": tcode,
                             "town_name": tname, "poor": False})
    named = {n: p for _, n, p in NAMED_VILLAGES}
    others = [v for v in villages if v["name"] not in named]
    for v in villages:
        if named.get(v["name"]):
            v["poor"] = True
    for v in rng.sample(others, N_POOR - sum(1 for p in named.values() if p)):
        v["poor"] = True
    return towns, villages


def gen_centres(rng, villages):
    """Culture centres: 105 poor (2016-17, 70 >=1000㎡, 35 in [500,1000)), 156+180 non-poor."""
    named = {n for _, n, _ in NAMED_VILLAGES}
    poor = [v for v in villages if v["poor"]]
    nonpoor = [v for v in villages if not v["poor"]]
    assert len(poor) == N_POOR and len(nonpoor) == 349
    centres = {}
    big = set(v["code"] for v in rng.sample(poor, 70))
    first_big, first_mid = True, True
    for v in poor:
        if v["code"] in big:
            area = 1000 if first_big else rng.randint(100, 260) * 10
            first_big = False
        else:
            area = 500 if first_mid else rng.randint(51, 99) * 10
            first_mid = False
        centres[v["code"]] = [v["code"], rng.choice([2016, 2016, 2017, 2017, 2017]), area, "是", 5, 5]
    candidates = [v for v in nonpoor if v["name"] not in named]
    missing = set(v["code"] for v in rng.sample(candidates, 13))
    built = [v for v in nonpoor if v["code"] not in missing]
    assert len(built) == 336
    order = list(range(336))
    rng.shuffle(order)
    years = {}
    for k, idx in enumerate(order):
        years[built[idx]["code"]] = 2018 if k < 156 else 2019
    b2018 = [v for v in built if years[v["code"]] == 2018 and v["name"] not in named]
    b2019 = [v for v in built if years[v["code"]] == 2019 and v["name"] not in named]
    failing = set(v["code"] for v in rng.sample(b2018, 3) + rng.sample(b2019, 5))
    for v in built:
        ok = v["code"] not in failing
        area = rng.randint(50, 180) * 10 if ok else rng.randint(15, 48) * 10
        centres[v["code"]] = [v["code"], years[v["code"]], area, "是" if ok else "否", 10, 4]
    rows = [centres[v["code"]] for v in villages if v["code"] in centres]
    return rows, sorted(missing), sorted(failing)


def gen_households(rng, villages, cadres_by_village):
    """About 12 000 registered poor households; returns (rows, planted findings)."""
    weights = [(4.0 if v["poor"] else 1.0) * rng.uniform(0.6, 1.4) for v in villages]
    counts = allocate(N_HOUSEHOLDS, weights, minimum=3)
    ids = set()
    rows = []
    seq = 0
    attr_w = [("一般贫困户", 68), ("低保贫困户", 27), ("特困供养贫困户", 5)]
    cause_w = [("因病", 36), ("缺技术", 15), ("缺劳力", 13), ("因残", 12), ("缺资金", 9), ("因学", 5),
               ("自身发展动力不足", 3), ("因灾", 2), ("缺土地", 2), ("交通条件落后", 1), ("缺水", 1), ("其他", 1)]
    exit_w = [(2016, 15), (2017, 26), (2018, 25), (2019, 20), (2020, 12), (None, 2)]

    def pick(pairs):
        return rng.choices([a for a, _ in pairs], weights=[b for _, b in pairs])[0]

    for v, n in zip(villages, counts):
        helpers = cadres_by_village.get(v["code"]) or [person_name(rng) for _ in range(max(1, n // 18))]
        for _ in range(n):
            seq += 1
            hid = LUYI[0][:6] + "%07d" % seq
            attr = pick(attr_w)
            size = rng.choices([1, 2, 3, 4, 5, 6, 7], weights=[12, 20, 22, 22, 14, 7, 3])[0]
            if attr == "特困供养贫困户":
                size = rng.choice([1, 1, 1, 2])
            female = rng.random() < 0.22
            while True:
                born = rand_date(rng, date(1935, 1, 1), date(1994, 12, 31))
                s17 = LUYI[0][:6] + born.strftime("%Y%m%d") + "%02d" % rng.randint(0, 99) + \
                    str(rng.choice([0, 2, 4, 6, 8]) if female else rng.choice([1, 3, 5, 7, 9]))
                idn = s17 + gb11643_check(s17)
                if idn not in ids:
                    ids.add(idn)
                    break
            ident = rng.choices([2014, 2015, 2016], weights=[62, 24, 14])[0]
            exit_year = pick(exit_w)
            if exit_year is not None and exit_year < ident:
                exit_year = ident
            if exit_year is None:
                income = rng.randint(1900, 3900)
                guar = [rng.choice(["是", "是", ""]), "是", rng.choice(["是", "否", "否"]),
                        rng.choice(["是", "否", ""])]
            else:
                income = rng.randint(4200, 11800)
                guar = ["是", "是", "是", "是"]
            rows.append([hid, person_name(rng, female), idn, v["code"], size, attr, pick(cause_w), ident,
                         exit_year, income] + guar + [rng.choice(helpers)])
    # Planted data-quality findings: exited households that fail the exit rule.
    named_codes = {v["code"] for v in villages if v["name"] in {n for _, n, _ in NAMED_VILLAGES}}
    plants = [(2017, 3120, None), (2019, 3610, None), (2020, 3890, None), (2018, None, "住房安全保障"),
              (2019, None, "住房安全保障")]
    findings = []
    used_villages = set()
    for exit_year, income, guarantee in plants:
        while True:
            r = rows[rng.randrange(len(rows))]
            if r[8] is not None and r[3] not in named_codes and r[3] not in used_villages \
                    and r[7] <= exit_year:
                break
        used_villages.add(r[3])
        r[8] = exit_year
        if income is not None:
            r[9] = income
            findings.append((r[0], "%d年脱贫,人均纯收入%d元低于当年贫困线%d元" % (exit_year, income,
                                                                    POVERTY_LINE[exit_year])))
        else:
            r[12] = "否"
            findings.append((r[0], "%d年脱贫,住房安全保障为否" % exit_year))
    findings.sort()
    return rows, findings


def gen_tv(rng, households):
    picked = rng.sample(range(len(households)), TV_2018 + TV_2019)
    rows = []
    month_w = [2, 3, 8, 10, 11, 12, 11, 10, 10, 9, 8, 6]
    for k, idx in enumerate(picked):
        year = 2018 if k < TV_2018 else 2019
        m = rng.choices(range(1, 13), weights=month_w)[0]
        d = rng.randint(1, 28)
        status = "故障" if rng.random() < 0.035 else "正常"
        rows.append([households[idx][0], "%04d-%02d-%02d" % (year, m, d), TV_COMPANY, status])
    rows.sort()
    return rows


def gen_aid(rng, villages, households):
    """aid_villages, aid_cadres, aid_inputs for the seven named villages."""
    by_name = {v["name"]: v for v in villages}
    vcodes = [by_name[n]["code"] for _, n, _ in NAMED_VILLAGES]
    luyao = by_name["卢尧村"]["code"]
    starts = {c: ("2016-03-01" if c == luyao else "2017-08-01") for c in vcodes}
    aid_villages = [[BUREAU, c, starts[c], ""] for c in vcodes]
    # 11 cadres: 卢尧 3, 刘楼 2, 轩楼 1, 药铺 1, 杨桥 2, 枣集 1, 赵东 1.
    plan = [("卢尧村", "第一书记", "业务骨干"), ("卢尧村", "工作队员", "年轻后备干部"),
            ("卢尧村", "工作队员", "年轻后备干部"), ("刘楼村", "工作队长", "业务骨干"),
            ("刘楼村", "工作队员", "年轻后备干部"), ("轩楼村", "工作队长", "业务骨干"),
            ("药铺村", "工作队长", "年轻后备干部"), ("杨桥村", "工作队长", "业务骨干"),
            ("杨桥村", "工作队员", "年轻后备干部"), ("枣集村", "工作队长", "业务骨干"),
            ("赵东村", "工作队长", "年轻后备干部")]
    cadres = []
    names = set()
    for vname, role, kind in plan:
        while True:
            nm = person_name(rng)
            if nm not in names:
                names.add(nm)
                break
        code = by_name[vname]["code"]
        cadres.append([nm, BUREAU, code, role, kind, starts[code], ""])
    cadres_by_village = {}
    for c in cadres:
        cadres_by_village.setdefault(c[2], []).append(c[0])
    return aid_villages, cadres, cadres_by_village


def gen_inputs(rng, villages, households):
    by_name = {v["name"]: v for v in villages}
    vcodes = [by_name[n]["code"] for _, n, _ in NAMED_VILLAGES]
    luyao = by_name["卢尧村"]["code"]
    rows = []  # [date, village, household, category, content, cents]
    # Equipment: 7 villages x 6 items = 32.6万元 (3260 hundredths).
    items = [("办公设备", "电脑2台", 120), ("办公设备", "打印机1台", 25), ("办公设备", "办公桌椅", 90),
             ("办公设备", "书柜", 45), ("文体器材", "音响设备", 100), ("文体器材", "乐器(锣鼓、唢呐等)", 80)]
    for c in vcodes:
        d = date(2016, 5, 10) if c == luyao else date(2017, 10, 16)
        for cat, content, amt in items:
            if c == luyao and content == "电脑2台":
                content, amt = "电脑3台", 160
            rows.append([d, c, "", cat, content, amt])
            d += timedelta(days=rng.randint(1, 12))
    # Buildings in 卢尧: exactly 16万元.
    for i, (content, amt) in enumerate([("文化活动室", 720), ("门楼", 280), ("厕所", 190),
                                         ("院内地坪", 260), ("花池", 150)]):
        rows.append([date(2017, 4, 6) + timedelta(days=20 * i), luyao, "", "基础设施", content, amt])
    # Household inputs (every row with 户编号): 23.4万元 (2340 hundredths) in total.
    hh_by_v = {}
    for h in households:
        if h[3] in vcodes:
            hh_by_v.setdefault(h[3], []).append(h[0])
    kinds = [("住房修缮", "房屋修缮", 8, (90, 160)), ("饮水", "安装自来水", 12, (15, 30)),
             ("生活用品", "添置电视、床、柜、桌椅", 18, (20, 40)), ("产业扶持", "购置成品母羊", 6, (40, 70)),
             ("产业扶持", "购置鸡苗", 6, (6, 12))]
    hh_rows = []
    for cat, content, n, (lo, hi) in kinds:
        for _ in range(n):
            c = rng.choice(vcodes)
            hid = rng.choice(hh_by_v[c])
            d = rand_date(rng, date(2016, 4, 1) if c == luyao else date(2017, 9, 1), date(2019, 10, 31))
            hh_rows.append([d, c, hid, cat, content, rng.randint(lo, hi)])
    # rescale so that the household inputs add up to exactly 23.4万元
    for r, amt in zip(hh_rows, allocate(2340, [r[5] for r in hh_rows], minimum=1)):
        r[5] = amt
    rows += hh_rows
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3], r[4]))
    out = []
    seq = {}
    for d, c, hid, cat, content, amt in rows:
        seq[d.year] = seq.get(d.year, 0) + 1
        out.append(["TR%d%03d" % (d.year, seq[d.year]), d.isoformat(), BUREAU, c, hid, cat, content,
                    fmt_cents(amt)])
    return out


def gen_events(rng, towns, villages):
    poor = [v["code"] for v in villages if v["poor"]]
    nvill = {}
    for v in villages:
        nvill[v["town"]] = nvill.get(v["town"], 0) + 1
    tcodes = [t for t, _ in towns]
    ev = []  # [date, type, programme, form, place, shows, people]
    # 送戏下乡: one row per show, in poor villages.
    n, people = EVENT_TOTALS["送戏下乡"]
    ppl = allocate(people, [rng.uniform(0.6, 1.4) for _ in range(n)], minimum=200)
    for i in range(n):
        title, form = rng.choice(OPERAS)
        ev.append([rand_date(rng, date(2016, 2, 20), date(2019, 12, 20)), "送戏下乡", title, form,
                   rng.choice(poor), 1, ppl[i]])
    # 送电影下乡: one row per township per month.
    months = list(month_iter((2016, 1), (2019, 12)))
    cells = [(t, ym) for t in tcodes for ym in months]
    n, people = EVENT_TOTALS["送电影下乡"]
    shows = allocate(n, [nvill[t] * rng.uniform(0.7, 1.3) for t, _ in cells], minimum=1)
    ppl = allocate(people, [s * rng.uniform(0.8, 1.2) for s in shows], minimum=1)
    for (t, (y, m)), s, p in zip(cells, shows, ppl):
        ev.append([date(y, m, 15), "送电影下乡", "", "电影放映", t, s, p])
    # 文艺宣传演出: one row per township per quarter per programme.
    cells = [(t, y, q, prog) for t in tcodes for y in range(2016, 2020) for q in range(4)
             for prog in PROGRAMMES]
    n, people = EVENT_TOTALS["文艺宣传演出"]
    shows = allocate(n, [nvill[c[0]] * rng.uniform(0.5, 1.5) for c in cells], minimum=1)
    ppl = allocate(people, [s * rng.uniform(0.8, 1.2) for s in shows], minimum=1)
    for (t, y, q, (title, form)), s, p in zip(cells, shows, ppl):
        ev.append([date(y, 3 * q + 2, 15), "文艺宣传演出", title, form, t, s, p])
    # 赛事活动: square-dance and suona contests, 2017-2019.
    contests = []
    for y in (2017, 2018, 2019):
        for t in rng.sample(tcodes, 4):
            contests.append([rand_date(rng, date(y, 5, 1), date(y, 10, 31)), "赛事活动", "贫困村广场舞大赛",
                             "广场舞", t, rng.randint(1, 3)])
        contests.append([rand_date(rng, date(y, 9, 1), date(y, 11, 30)), "赛事活动", "唢呐大赛", "唢呐",
                         rng.choice(tcodes), 1])
    ppl = allocate(EVENT_TOTALS["赛事活动"][1], [c[5] * rng.uniform(0.7, 1.3) for c in contests], minimum=300)
    for c, p in zip(contests, ppl):
        ev.append(c + [p])
    # 农家书屋: reading activities per township per year.
    shelf = [(t, y, rng.randint(8, 40)) for t in tcodes for y in range(2016, 2020)]
    ppl = allocate(EVENT_TOTALS["农家书屋"][1], [s * rng.uniform(0.7, 1.3) for _, _, s in shelf], minimum=50)
    for (t, y, s), p in zip(shelf, ppl):
        ev.append([date(y, 12, 10), "农家书屋", "农家书屋提质增效", "读书活动", t, s, p])
    kinds = list(EVENT_TOTALS)
    ev.sort(key=lambda r: (r[0], kinds.index(r[1]), r[4], r[2]))
    out = []
    seq = {}
    for d, kind, title, form, place, s, p in ev:
        seq[d.year] = seq.get(d.year, 0) + 1
        out.append(["WH%d%05d" % (d.year, seq[d.year]), d.isoformat(), kind, title, form, place, s, p])
    return out


def gen_populations(rng, villages, households):
    """Year-end rural population per village, 2014-2020: sized so that the
    registered poor are 12-30% of a poor village and 2-6% of another one."""
    poor_pop = {}
    for h in households:
        poor_pop[h[3]] = poor_pop.get(h[3], 0) + int(h[4])
    rows = []
    for v in villages:
        share = rng.uniform(0.12, 0.30) if v["poor"] else rng.uniform(0.02, 0.06)
        base = max(300, round(poor_pop.get(v["code"], 0) / share))
        for year in range(2014, 2021):
            rows.append([v["code"], year, base + round(base * 0.004 * (year - 2014))])
    return rows


def gen_county():
    rng = random.Random(411628)
    towns, villages = gen_villages(rng)
    data = {}
    regions = [[PROVINCE[0], PROVINCE[1], "", "省", "", ""],
               [ZHOUKOU[0], ZHOUKOU[1], PROVINCE[0], "市", "", ""],
               [LUYI[0], LUYI[1], ZHOUKOU[0], "县", "", ""]]
    regions += [[t, n, LUYI[0], "乡", "", ""] for t, n in towns]
    regions += [[v["code"], v["name"], v["town"], "村", "是" if v["poor"] else "否", ""] for v in villages]
    data["regions"] = regions
    data["units"] = [[BUREAU, "县直单位", LUYI[0]], [POVERTY_OFFICE, "县直单位", LUYI[0]]]
    centres, missing, failing = gen_centres(random.Random(1001), villages)
    aid_villages, cadres, cadres_by_village = gen_aid(random.Random(1002), villages, None)
    households, findings = gen_households(random.Random(1003), villages, cadres_by_village)
    data["households"] = [[("" if x is None else x) for x in h] for h in households]
    data["culture_centers"] = centres
    data["tv_installs"] = gen_tv(random.Random(1004), households)
    data["aid_villages"] = aid_villages
    data["aid_cadres"] = cadres
    data["aid_inputs"] = gen_inputs(random.Random(1005), villages, households)
    data["cultural_events"] = gen_events(random.Random(1006), towns, villages)
    data["populations"] = gen_populations(random.Random(1007), villages, households)
    data["targets"] = [[BUREAU, 2018, "户户通安装户数", TV_2018], [BUREAU, 2019, "户户通安装户数", TV_2019],
                       [BUREAU, 2019, "村级文化服务中心覆盖率(%)", 100]]
    info = {"missing": missing, "failing": failing, "findings": findings,
            "village_names": {v["code"]: v["name"] for v in villages},
            "town_names": dict(towns)}
    return data, info


# ---------------------------------------------------------------------------
# Document B: 商丘市
# ---------------------------------------------------------------------------
GROUPS = ["装备制造专题招商组", "电子信息专题招商组", "纺织服装专题招商组", "食品加工专题招商组",
          "生物医药专题招商组", "现代物流专题招商组", "现代服务业专题招商组"]
DEPARTMENTS = ["市住建局", "市金融办", "市农业局", "市文广新局", "市食品药品监督管理局", "市民政局",
               "市市场发展局", "市发展改革委", "市工业和信息化委", "市商务局", "市财政局", "市国土资源局",
               "市交通运输局", "市水利局", "市林业局", "市卫生计生委", "市教育局", "市旅游局", "市科技局",
               "市环保局", "市畜牧局", "市粮食局", "市人社局", "市规划局"]
DEPTS_3YI = ["市住建局", "市农业局", "市文广新局", "市食品药品监督管理局"]
NON_INDUSTRIAL = {"商贸", "物流", "电商", "文化旅游", "商业综合体", "金融保险"}

# 2015 projects: (name, investor, county, unit or None (= the county), industry,
#                 total in tenths of 亿元, stage, sign date, land date, channel)
PROJECTS_2015 = [
    # Landed in 2015-H1: exactly the projects the speech names.
    ("赛琪服饰", "赛琪集团", "夏邑县", None, "纺织服装", 52, "落地", "2015-03-18", "2015-05-20", "老乡招商"),
    ("鹿峰包装", "鹿峰包装公司", "夏邑县", None, "包装印刷", 15, "投产", "2015-01-22", "2015-03-10", "老乡招商"),
    ("远东织造", "远东织造公司", "夏邑县", None, "纺织服装", 36, "落地", "2015-02-26", "2015-04-28", "老乡招商"),
    ("旗牌王服饰", "旗牌王服饰公司", "夏邑县", None, "纺织服装", 32, "投产", "2015-01-15", "2015-03-30",
     "老乡招商"),
    ("诚鑫纺织", "诚鑫纺织公司", "虞城县", None, "纺织服装", 35, "落地", "2015-02-10", "2015-05-06", "老乡招商"),
    ("迈科新材料", "迈科新材料公司", "虞城县", None, "新材料", 40, "落地", "2015-03-25", "2015-06-12", "以商招商"),
    ("金冠宇电子", "金冠宇电子公司", "示范区", None, "电子信息", 60, "落地", "2015-04-08", "2015-06-18",
     "老乡招商"),
    ("帝益肥业", "帝益肥业公司", "宁陵县", None, "农资化工", 55, "落地", "2015-01-28", "2015-04-15", "以商招商"),
    ("西默通信科技", "西默通信科技公司", "睢县", None, "电子信息", 35, "落地", "2015-03-12", "2015-05-26",
     "商会招商"),
    ("特步鞋业", "特步集团", "睢县", None, "制鞋", 60, "落地", "2015-02-05", "2015-04-22", "商会招商"),
    ("百盛鞋业", "百盛鞋业公司", "睢县", None, "制鞋", 30, "落地", "2015-04-16", "2015-06-25", "商会招商"),
    ("王巢酒业", "王巢酒业公司", "民权县", None, "白酒酿造", 32, "落地", "2015-01-20", "2015-04-02", "其他"),
    ("青岛奥莱克斯电器", "青岛奥莱克斯电器公司", "民权县", None, "制冷家电", 50, "落地", "2015-03-06",
     "2015-05-15", "以商招商"),
    # Signed in 2015-H1, not landed yet.
    ("电动汽车零部件项目", "广东东莞客商", "示范区", None, "电动汽车", 38, "签约", "2015-05-22", "", "老乡招商"),
    ("电商物流园项目", "浙江杭州客商", "示范区", None, "物流", 25, "签约", "2015-06-05", "", "业务招商"),
    ("实木家居项目", "广东佛山客商", "宁陵县", None, "家居", 32, "签约", "2015-05-12", "", "以商招商"),
    ("金刚石微粉项目", "河南郑州客商", "柘城县", None, "金刚石超硬材料", 36, "签约", "2015-03-20", "", "以商招商"),
    ("超硬材料制品项目", "广东深圳客商", "柘城县", None, "金刚石超硬材料", 52, "签约", "2015-06-08", "",
     "商会招商"),
    ("皮革制品项目", "浙江海宁客商", "柘城县", None, "皮革", 15, "签约", "2015-04-18", "", "以商招商"),
    ("生物制药项目", "江苏泰州客商", "梁园区", None, "生物医药健康", 33, "签约", "2015-04-20", "", "业务招商"),
    ("休闲食品项目", "福建漳州客商", "梁园区", None, "食品制造", 45, "签约", "2015-06-16", "", "以商招商"),
    ("针织服装产业园项目", "浙江义乌客商", "睢阳区", None, "针织服装", 31, "签约", "2015-03-30", "", "老乡招商"),
    ("速冻食品项目", "河南郑州客商", "睢阳区", None, "食品加工", 34, "签约", "2015-05-28", "", "以商招商"),
    ("钢卷尺生产项目", "浙江义乌客商", "虞城县", None, "五金量具", 18, "签约", "2015-04-25", "", "老乡招商"),
    ("冷柜配件项目", "安徽滁州客商", "民权县", None, "制冷家电", 12, "签约", "2015-02-14", "", "以商招商"),
    # Signed in July 2015 (after the half year).
    ("变频压缩机项目", "江苏南京客商", "民权县", None, "制冷家电", 105, "签约", "2015-07-20", "", "以商招商"),
    ("古城文化旅游项目", "北京客商", "睢阳区", None, "文化旅游", 80, "签约", "2015-07-10", "", "其他"),
    ("商贸物流城项目", "浙江温州客商", "梁园区", None, "商贸", 22, "签约", "2015-07-15", "", "商会招商"),
    ("纺纱项目", "江苏南通客商", "夏邑县", None, "纺织服装", 18, "签约", "2015-07-08", "", "老乡招商"),
    ("运动鞋底项目", "福建晋江客商", "睢县", None, "制鞋", 26, "签约", "2015-07-22", "", "商会招商"),
    # Under negotiation.
    ("天创集团皮具项目", "天创集团", "柘城县", None, "皮革", 120, "在谈", "", "", "商会招商"),
    ("电路板项目", "广东深圳客商", "示范区", None, "电子信息", 40, "在谈", "", "", "老乡招商"),
    ("量具产业园项目", "浙江义乌客商", "虞城县", None, "五金量具", 50, "在谈", "", "", "老乡招商"),
    ("万达广场", "万达集团", "梁园区", "市住建局", "商业综合体", 120, "在谈", "", "", "业务招商"),
    ("保险机构市级分公司项目", "保险机构", "示范区", "市金融办", "金融保险", 10, "在谈", "", "", "业务招商"),
    ("智能终端产业园项目", "广东深圳客商", "示范区", "电子信息专题招商组", "电子信息", 60, "在谈", "", "",
     "专题招商"),
    ("农机装备项目", "山东潍坊客商", "梁园区", "装备制造专题招商组", "装备制造", 35, "在谈", "", "", "专题招商"),
]

# Foreign capital (万美元) per county: the 2014 foreign project and, for the four
# counties with actual FDI in 2015-H1, a 2015-H1 增资 project.
#   county: (2014 name, industry, type, 2014 sign date, 2014 contract, 2014 actual,
#            2015-H1 actual from the 2014 project,
#            2015 增资 contract, 增资 sign date, 增资 2015-H1 actual, 增资 2015-07 actual)
FOREIGN = {
    "梁园区": ("港资生物制药项目", "生物医药健康", "新建", "2014-03-12", 2500, 1850, 650,
            600, "2015-02-12", 450, 60),
    "民权县": ("台资制冷压缩机项目", "制冷家电", "新建", "2014-02-18", 4500, 3100, 1400,
            1045, "2015-03-16", 800, 120),
    "柘城县": ("外资金刚石制品项目", "金刚石超硬材料", "增资", "2014-04-09", 3000, 2200, 800,
            650, "2015-02-27", 500, 80),
    "示范区": ("港资电子元件项目", "电子信息", "新建", "2014-05-06", 3600, 2600, 1000,
            500, "2015-04-10", 390, 50),
    "睢阳区": ("港资针织服装项目", "针织服装", "新建", "2014-04-21", 1500, 1200, 0, 0, "", 0, 0),
    "睢县": ("台资制鞋项目", "制鞋", "增资", "2014-06-03", 1800, 1500, 0, 0, "", 0, 0),
    "宁陵县": ("外资家居项目", "家居", "新建", "2014-03-25", 1000, 900, 0, 0, "", 0, 0),
    "虞城县": ("外资量具项目", "五金量具", "增资", "2014-05-14", 2000, 1600, 0, 0, "", 0, 0),
    "夏邑县": ("港资服装项目", "纺织服装", "新建", "2014-02-11", 1600, 1400, 0, 0, "", 0, 0),
}
FOREIGN_INVESTOR = {"梁园区": "香港客商", "民权县": "台湾客商", "柘城县": "韩国客商", "示范区": "香港客商",
                    "睢阳区": "香港客商", "睢县": "台湾客商", "宁陵县": "新加坡客商", "虞城县": "韩国客商",
                    "夏邑县": "香港客商"}
PRODUCTS = {
    "生物医药健康": ["中药饮片", "医疗器械", "保健品"], "食品制造": ["面制品", "饮料", "烘焙食品"],
    "商贸": ["商贸综合体", "建材市场"], "针织服装": ["针织内衣", "毛衫"], "食品加工": ["肉制品", "面粉深加工"],
    "文化旅游": ["民俗文化园"], "制冷家电": ["冰箱配件", "冷藏展示柜", "空调配件"], "制鞋": ["运动鞋", "鞋材"],
    "电子信息": ["电子元器件", "线缆"], "农资化工": ["复合肥", "农药制剂"], "家居": ["板式家具", "软体家具"],
    "金刚石超硬材料": ["金刚石单晶", "超硬刀具"], "皮革": ["皮具", "箱包"], "五金量具": ["量具", "五金工具"],
    "纺织服装": ["服装加工", "棉纺"], "物流": ["冷链物流"], "电商": ["电商产业园"], "电动汽车": ["电动车整车"],
    "新型建材": ["新型墙材"], "机械加工": ["机械零部件"], "农产品加工": ["农产品加工"],
}
EXTRA_INDUSTRY = ["新型建材", "机械加工", "农产品加工"]
# Share of the 2015 省外资金 target reached in 2015-H1, per county (counties differ: 差距较大).
H1_SHARE = {"梁园区": 0.38, "睢阳区": 0.33, "民权县": 0.52, "睢县": 0.55, "宁陵县": 0.41, "柘城县": 0.47,
            "虞城县": 0.44, "夏邑县": 0.58, "示范区": 0.50}


def _d(s):
    return date.fromisoformat(s) if s else None


def gen_city():
    rng = random.Random(411400)
    county_code = {n: c for c, n, _ in CITY_COUNTIES}
    leading = {n: ind for _, n, ind in CITY_COUNTIES}
    data = {}
    regions = [[PROVINCE[0], PROVINCE[1], "", "省", "", ""], [SHANGQIU[0], SHANGQIU[1], PROVINCE[0], "市", "", ""]]
    regions += [[c, n, SHANGQIU[0], "县", "", "、".join(ind)] for c, n, ind in CITY_COUNTIES]
    data["regions"] = regions
    units = [[n, "县区", c] for c, n, _ in CITY_COUNTIES]
    units += [[g, "专题招商组", SHANGQIU[0]] for g in GROUPS]
    units += [[d, "市直单位", SHANGQIU[0]] for d in DEPARTMENTS]
    data["units"] = units

    # project list: dicts, numbered by year of signing (在谈 numbered as 2015)
    projects = []
    # 2014 projects: 5 domestic + 1 foreign per county.
    for _, cn, ind in CITY_COUNTIES:
        f = FOREIGN[cn]
        sign = _d(f[3])
        projects.append({"name": f[0], "investor": FOREIGN_INVESTOR[cn], "county": cn, "unit": cn,
                         "industry": f[1], "tenths": max(10, -(-f[4] * 62 // 10000)), "type": f[2],
                         "foreign": True, "contract": f[4], "stage": "投产",
                         "sign": sign, "land": sign + timedelta(days=rng.randint(35, 70)), "channel": "以商招商",
                         "fdi": ("2014", cn)})
        industries = [rng.choice(ind) for _ in range(4)] + [rng.choice(EXTRA_INDUSTRY)]
        for k, industry in enumerate(industries):
            sign = rand_date(rng, date(2014, 1, 6), date(2014, 9, 30))
            land = sign + timedelta(days=rng.randint(30, 90))
            product = PRODUCTS[industry][k % len(PRODUCTS[industry])]
            pname = product + "项目"
            phase = 1
            while any(p["name"] == pname and p["county"] == cn for p in projects):
                phase += 1
                pname = "%s项目(%s期)" % (product, "一二三四五"[phase - 1])
            projects.append({"name": pname, "investor": rng.choice(
                ["江苏南通客商", "浙江温州客商", "广东东莞客商", "福建晋江客商", "山东临沂客商", "上海客商",
                 "北京客商", "河南郑州客商"]), "county": cn, "unit": cn, "industry": industry,
                "tenths": rng.randint(10, 95), "type": "新建", "foreign": False, "contract": 0,
                "stage": "投产" if land < date(2014, 10, 1) else "落地", "sign": sign, "land": land,
                "channel": rng.choice(["以商招商", "老乡招商", "商会招商", "业务招商"])})
    # 2015 domestic projects from the table.
    for name, inv, cn, unit, industry, tenths, stage, sign, land, channel in PROJECTS_2015:
        projects.append({"name": name, "investor": inv, "county": cn, "unit": unit or cn, "industry": industry,
                         "tenths": tenths, "type": "新建", "foreign": False, "contract": 0, "stage": stage,
                         "sign": _d(sign), "land": _d(land), "channel": channel})
    # 2015-H1 增资 projects (foreign capital increases).
    for cn, f in FOREIGN.items():
        if f[7]:
            projects.append({"name": f[0] + "增资", "investor": FOREIGN_INVESTOR[cn], "county": cn, "unit": cn,
                             "industry": f[1], "tenths": max(4, -(-f[7] * 62 // 10000)), "type": "增资",
                             "foreign": True, "contract": f[7], "stage": "签约", "sign": _d(f[8]),
                             "land": None, "channel": "以商招商", "fdi": ("2015", cn)})
    projects.sort(key=lambda p: (p["sign"] or date(2015, 12, 31), p["county"], p["name"]))
    seq = {}
    for p in projects:
        y = p["sign"].year if p["sign"] else 2015
        seq[y] = seq.get(y, 0) + 1
        p["id"] = "SQ%d%03d" % (y, seq[y])

    # Funds. 省外资金 (万元) for domestic projects from landing (or signing) to 2015-07;
    # 实际利用外资 (万美元) for foreign projects exactly as planned in FOREIGN.
    funds = {}

    def add(pid, y, m, prov, fdi):
        cur = funds.setdefault((pid, "%04d-%02d" % (y, m)), [0, 0])
        cur[0] += prov
        cur[1] += fdi

    frng = random.Random(1501)
    for p in projects:
        if p["foreign"]:
            f = FOREIGN[p["county"]]
            if p["fdi"][0] == "2014":
                s = p["sign"]
                months = list(month_iter((s.year, s.month + 1), (2014, 12)))
                for (y, m), a in zip(months, allocate(f[5], [frng.uniform(0.5, 1.5) for _ in months], 1)):
                    add(p["id"], y, m, 0, a)
                if f[6]:
                    months = list(month_iter((2015, 1), (2015, 6)))
                    for (y, m), a in zip(months, allocate(f[6], [frng.uniform(0.5, 1.5) for _ in months], 1)):
                        add(p["id"], y, m, 0, a)
            else:
                s = p["sign"]
                months = list(month_iter((2015, s.month), (2015, 6)))
                for (y, m), a in zip(months, allocate(f[9], [frng.uniform(0.5, 1.5) for _ in months], 1)):
                    add(p["id"], y, m, 0, a)
                add(p["id"], 2015, 7, 0, f[10])
            continue
        if p["stage"] == "在谈" or p["sign"] >= date(2015, 7, 1):
            continue
        start = p["land"] or p["sign"]
        if p["land"] is None:
            start = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        cap = p["tenths"] * 1000 * 85 // 100  # 万元, 85% of the total investment
        rate = frng.uniform(0.025, 0.05) if p["land"] else frng.uniform(0.01, 0.025)
        spent = 0
        for y, m in month_iter((start.year, start.month), (2015, 7)):
            a = int(round(p["tenths"] * 1000 * rate * frng.uniform(0.6, 1.4)))
            a = min(a, cap - spent)
            if a <= 0:
                break
            spent += a
            add(p["id"], y, m, a, 0)
    # 2014 actuals per county (by 责任单位) -> 2015 targets = round(1.1 x actual); then the
    # 2015 省外资金 of each county is scaled so that its H1 share of the target follows H1_SHARE.
    unit_of = {p["id"]: p["unit"] for p in projects}
    prov14, fdi14, prov15h1 = {}, {}, {}
    for (pid, ym), v in funds.items():
        u = unit_of[pid]
        if ym.startswith("2014-"):
            prov14[u] = prov14.get(u, 0) + v[0]
            fdi14[u] = fdi14.get(u, 0) + v[1]
        elif ym <= "2015-06":
            prov15h1[u] = prov15h1.get(u, 0) + v[0]
    for (pid, ym), v in funds.items():
        u = unit_of[pid]
        if ym.startswith("2015-") and v[0]:
            want = round_1_1(prov14[u]) * H1_SHARE[u]
            assert want <= prov15h1[u], u  # scaling only ever shrinks, so caps still hold
            v[0] = max(1, int(round(v[0] * want / prov15h1[u])))
    fund_rows = [[pid, ym, v[0], v[1]] for (pid, ym), v in sorted(funds.items()) if v[0] or v[1]]

    data["projects"] = [[p["id"], p["name"], p["investor"], county_code[p["county"]], p["unit"], p["industry"],
                         "否" if p["industry"] in NON_INDUSTRIAL else "是", fmt_tenths(p["tenths"]), p["type"],
                         "是" if p["foreign"] else "否", p["contract"], p["stage"],
                         p["sign"].isoformat() if p["sign"] else "", p["land"].isoformat() if p["land"] else "",
                         p["channel"]] for p in projects]
    data["project_funds"] = fund_rows

    targets = []
    for _, cn, _ in CITY_COUNTIES:
        targets += [[cn, 2015, "实际利用外资(万美元)", round_1_1(fdi14[cn])],
                    [cn, 2015, "实际利用省外资金(万元)", round_1_1(prov14[cn])],
                    [cn, 2015, "实际利用外资增长率(%)", 10], [cn, 2015, "实际利用省外资金增长率(%)", 10],
                    [cn, 2015, "引进3亿元以上工业项目数", 5], [cn, 2015, "引进主导产业3亿元以上工业项目数", 2],
                    [cn, 2015, "引进5亿元以上工业项目数", 2], [cn, 2015, "力争引进10亿元以上主导产业项目数", 1]]
    targets += [[g, 2015, "引进3亿元以上项目数", 1] for g in GROUPS]
    for d in DEPARTMENTS:
        targets.append([d, 2015, "引进1亿元以上项目数", 1])
        if d in DEPTS_3YI:
            targets.append([d, 2015, "引进3亿元以上项目数", 1])
    data["targets"] = targets
    info = {"leading": leading}
    return data, info


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------
def write_all(out):
    county, cinfo = gen_county()
    city, _ = gen_city()
    for folder, data in (("county", county), ("city", city)):
        d = os.path.join(out, folder)
        os.makedirs(d, exist_ok=True)
        for name in os.listdir(d):
            if name.endswith(".csv"):
                os.remove(os.path.join(d, name))
        for ledger in LEDGER_ORDER:
            rows = data.get(ledger)
            if not rows:
                continue
            enc = "gb18030" if (folder, ledger) in GB18030_FILES else "utf-8-sig"
            write_csv(os.path.join(d, ledger + ".csv"), HEADERS[ledger], rows, enc)
    figures = compute(out)
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write(readme(figures, cinfo))
    print("已写入 %s" % out)


# ---------------------------------------------------------------------------
# Reading and checking (independent of the generator's in-memory data)
# ---------------------------------------------------------------------------
class CheckError(Exception):
    pass


def read_csv(path):
    """Returns (encoding, header, rows as dicts, line ends ok)."""
    raw = open(path, "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        enc, text = "UTF-8 BOM", raw[3:].decode("utf-8")
    else:
        try:
            enc, text = "UTF-8", raw.decode("utf-8")
        except UnicodeDecodeError:
            enc, text = "GB18030", raw.decode("gb18030")
    crlf = text.count("\r\n") == text.count("\n") and text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, body = rows[0], rows[1:]
    return enc, header, [dict(zip(header, r)) for r in body], crlf, [len(r) for r in body]


def load(out):
    """Loads both folders in loader order; later rows update earlier ones by key."""
    keys = {"regions": ("区划代码",), "units": ("单位名称",), "households": ("户编号",),
            "culture_centers": ("村代码",), "tv_installs": ("户编号",), "aid_villages": ("帮扶单位", "村代码"),
            "aid_cadres": ("帮扶单位", "姓名", "村代码"), "aid_inputs": ("投入编号",),
            "cultural_events": ("活动编号",), "projects": ("项目编号",), "project_funds": ("项目编号", "月份"),
            "targets": ("责任单位", "年度", "指标"), "populations": ("村代码", "年度")}
    db = {l: {} for l in LEDGER_ORDER}
    files = []
    problems = []
    for folder in FOLDERS:
        for ledger in LEDGER_ORDER:
            path = os.path.join(out, folder, ledger + ".csv")
            if not os.path.exists(path):
                continue
            enc, header, rows, crlf, widths = read_csv(path)
            want = "GB18030" if (folder, ledger) in GB18030_FILES else "UTF-8 BOM"
            if enc != want:
                problems.append("%s/%s.csv: 编码为%s,应为%s" % (folder, ledger, enc, want))
            if header != HEADERS[ledger]:
                problems.append("%s/%s.csv: 表头与契约不一致" % (folder, ledger))
            if not crlf:
                problems.append("%s/%s.csv: 行尾不是CRLF" % (folder, ledger))
            if any(w != len(header) for w in widths):
                problems.append("%s/%s.csv: 列数不一致" % (folder, ledger))
            seen = set()
            for i, r in enumerate(rows, start=2):
                k = tuple(r[c] for c in keys[ledger])
                if k in seen:
                    problems.append("%s/%s.csv 第%d行: 键重复 %s" % (folder, ledger, i, k))
                seen.add(k)
                prev = db[ledger].get(k)
                if prev is not None and {c: prev[c] for c in header} != r:
                    problems.append("%s/%s.csv 第%d行: 与前一文件夹同键不同值 %s" % (folder, ledger, i, k))
                db[ledger][k] = dict(r, _file="%s/%s.csv" % (folder, ledger), _row=i)
            files.append(("%s/%s.csv" % (folder, ledger), enc, len(rows)))
    return {l: list(v.values()) for l, v in db.items()}, files, problems


def _date(s):
    try:
        if len(s) != 10:
            raise ValueError
        return date.fromisoformat(s)
    except ValueError:
        return None


def validate(db):
    """Applies every import rule of the brief; returns a list of problems."""
    p = []

    def bad(r, col, why):
        p.append("%s 第%d行 %s \"%s\": %s" % (r["_file"], r["_row"], col, r.get(col, ""), why))

    regions = {r["区划代码"]: r for r in db["regions"]}
    units = {r["单位名称"]: r for r in db["units"]}
    households = {r["户编号"]: r for r in db["households"]}
    projects = {r["项目编号"]: r for r in db["projects"]}
    parent_level = {"村": "乡", "乡": "县", "县": "市", "市": "省"}
    for ledger in LEDGER_ORDER:
        for r in db[ledger]:
            for (lg, col), words in ENUMS.items():
                if lg == ledger and r[col] not in words:
                    bad(r, col, "不是允许的取值")
            for col in HEADERS[ledger]:
                if col.endswith("(元)") or col.endswith("(万元)") or col.endswith("(亿元)") or \
                        col.endswith("(万美元)") or col.endswith("(平方米)"):
                    if r[col] == "" or Decimal(r[col]) < 0:
                        bad(r, col, "金额为空或为负")
                if col in ("是否达标", "工业项目", "外资项目") and r[col] not in ("是", "否"):
                    bad(r, col, "应为是/否")
                if col.endswith("日期") and r[col] and _date(r[col]) is None:
                    bad(r, col, "日期格式应为YYYY-MM-DD")
                if col.endswith("代码") and r[col] and (len(r[col]) != 12 or not r[col].isdigit()):
                    bad(r, col, "区划代码应为12位数字")
    for r in db["regions"]:
        lvl = r["层级"]
        par = regions.get(r["上级区划代码"])
        if lvl == "省":
            if r["上级区划代码"]:
                bad(r, "上级区划代码", "省级区划不应有上级")
        elif par is None or par["层级"] != parent_level[lvl]:
            bad(r, "上级区划代码", "上级区划不存在或层级不对")
        if (lvl == "村") != (r["贫困村"] in ("是", "否")) or (lvl != "村" and r["贫困村"]):
            bad(r, "贫困村", "只有村填写是/否")
        if lvl != "县" and r["主导产业"]:
            bad(r, "主导产业", "只有县级填写主导产业")
    for r in db["units"]:
        if r["所属区划代码"] not in regions:
            bad(r, "所属区划代码", "区划不存在")
    ids = {}
    for r in db["households"]:
        v = regions.get(r["所在村代码"])
        if v is None or v["层级"] != "村":
            bad(r, "所在村代码", "不是已有的村")
        idn = r["户主身份证号"]
        if len(idn) != 18 or not idn[:17].isdigit():
            bad(r, "户主身份证号", "应为18位")
        else:
            if gb11643_check(idn[:17]) != idn[17]:
                bad(r, "户主身份证号", "校验码错误")
            born = None
            try:
                born = date(int(idn[6:10]), int(idn[10:12]), int(idn[12:14]))
            except ValueError:
                pass
            if born is None or not (1930 <= born.year <= 2005):
                bad(r, "户主身份证号", "出生日期无效")
            if idn[:6] != "411628":
                bad(r, "户主身份证号", "地区码不是411628")
        if idn in ids:
            bad(r, "户主身份证号", "重复录入(与%s相同)" % ids[idn])
        ids[idn] = r["户编号"]
        if int(r["家庭人口"]) < 1:
            bad(r, "家庭人口", "应≥1")
        if r["脱贫年度"] and int(r["脱贫年度"]) < int(r["识别年度"]):
            bad(r, "脱贫年度", "早于识别年度")
        for col in ("义务教育保障", "基本医疗保障", "住房安全保障", "饮水安全保障"):
            if r[col] not in ("是", "否", ""):
                bad(r, col, "应为是/否/空")
        if not r["帮扶责任人"]:
            bad(r, "帮扶责任人", "为空")
    for r in db["culture_centers"]:
        v = regions.get(r["村代码"])
        if v is None or v["层级"] != "村":
            bad(r, "村代码", "不是已有的村")
        if Decimal(r["已拨付奖补(万元)"]) > Decimal(r["奖补标准(万元)"]):
            bad(r, "已拨付奖补(万元)", "超过奖补标准")
    for r in db["tv_installs"]:
        if r["户编号"] not in households:
            bad(r, "户编号", "户不存在")
    for r in db["aid_villages"] + db["aid_cadres"] + db["aid_inputs"]:
        if r["帮扶单位"] not in units:
            bad(r, "帮扶单位", "单位不存在")
        v = regions.get(r["村代码"])
        if v is None or v["层级"] != "村":
            bad(r, "村代码", "不是已有的村")
    for r in db["aid_villages"]:
        if r["结束日期"] and r["结束日期"] < r["开始日期"]:
            bad(r, "结束日期", "早于开始日期")
    aided = {(r["帮扶单位"], r["村代码"]): r["开始日期"] for r in db["aid_villages"]}
    for r in db["aid_inputs"]:
        if r["日期"] < aided.get((r["帮扶单位"], r["村代码"]), "9999"):
            bad(r, "日期", "早于该村帮扶开始日期或该村不是帮扶村")
    for r in db["aid_cadres"]:
        if r["派驻日期"] < aided.get((r["帮扶单位"], r["村代码"]), "9999"):
            bad(r, "派驻日期", "早于该村帮扶开始日期或该村不是帮扶村")
        if r["撤回日期"] and r["撤回日期"] < r["派驻日期"]:
            bad(r, "撤回日期", "早于派驻日期")
    for r in db["aid_inputs"]:
        if r["户编号"]:
            h = households.get(r["户编号"])
            if h is None:
                bad(r, "户编号", "户不存在")
            elif h["所在村代码"] != r["村代码"]:
                bad(r, "户编号", "户不在该村")
    for r in db["cultural_events"]:
        v = regions.get(r["地点区划代码"])
        if v is None or v["层级"] not in ("乡", "村"):
            bad(r, "地点区划代码", "不是乡或村")
        if int(r["场次"]) < 1 or int(r["受益人次"]) < 0:
            bad(r, "场次", "场次应≥1")
    for r in db["projects"]:
        v = regions.get(r["所在县区代码"])
        if v is None or v["层级"] != "县":
            bad(r, "所在县区代码", "不是县级区划")
        if r["责任单位"] not in units:
            bad(r, "责任单位", "单位不存在")
        if r["落地日期"] and (not r["签约日期"] or r["落地日期"] < r["签约日期"]):
            bad(r, "落地日期", "早于签约日期")
        if r["阶段"] == "在谈" and r["签约日期"]:
            bad(r, "签约日期", "在谈项目不应有签约日期")
        if r["阶段"] in ("落地", "投产") and not r["落地日期"]:
            bad(r, "落地日期", "落地/投产项目缺落地日期")
        if r["外资项目"] == "否" and Decimal(r["合同外资(万美元)"]) != 0:
            bad(r, "合同外资(万美元)", "非外资项目有合同外资")
    for r in db["project_funds"]:
        pr = projects.get(r["项目编号"])
        if pr is None:
            bad(r, "项目编号", "项目不存在")
        elif not pr["签约日期"] or r["月份"] < pr["签约日期"][:7]:
            bad(r, "月份", "早于签约月份")
        if len(r["月份"]) != 7 or r["月份"][4] != "-":
            bad(r, "月份", "月份格式应为YYYY-MM")
    spent = {}
    for r in db["project_funds"]:
        cur = spent.setdefault(r["项目编号"], [Decimal(0), Decimal(0), r])
        cur[0] += Decimal(r["省外资金到位(万元)"])
        cur[1] += Decimal(r["实际利用外资(万美元)"])
    for pid, (prov, fdi, r) in spent.items():
        pr = projects.get(pid)
        if pr is None:
            continue
        if prov > Decimal(pr["总投资(亿元)"]) * 10000:
            bad(r, "省外资金到位(万元)", "累计到位超过总投资")
        if fdi > Decimal(pr["合同外资(万美元)"]):
            bad(r, "实际利用外资(万美元)", "累计到位超过合同外资")
        if fdi and pr["外资项目"] != "是":
            bad(r, "实际利用外资(万美元)", "非外资项目有实际利用外资")
    for r in db["targets"]:
        if r["责任单位"] not in units:
            bad(r, "责任单位", "单位不存在")
        if r["指标"] not in TARGET_NAMES:
            bad(r, "指标", "不是已知指标")
    return p


def _norm(d):
    """A Decimal without trailing zeros and never in exponent form (32.60 -> 32.6, 16.0 -> 16)."""
    return Decimal(format(d.normalize(), "f"))


def compute(out):
    """Re-reads the CSVs and recomputes every figure; returns a dict of figures."""
    db, files, problems = load(out)
    problems += validate(db)
    F = {"files": files, "problems": problems}
    regions = {r["区划代码"]: r for r in db["regions"]}
    name = {c: r["名称"] for c, r in regions.items()}
    hh = {r["户编号"]: r for r in db["households"]}

    # ---- Document A ----
    luyi_villages = [r for r in db["regions"] if r["层级"] == "村" and
                     regions[r["上级区划代码"]]["上级区划代码"] == LUYI[0]]
    poor = {r["区划代码"] for r in luyi_villages if r["贫困村"] == "是"}
    centres = {r["村代码"]: r for r in db["culture_centers"]}
    F["villages"] = len(luyi_villages)
    F["townships"] = sum(1 for r in db["regions"] if r["层级"] == "乡" and r["上级区划代码"] == LUYI[0])
    F["poor_villages"] = len(poor)
    pc = [centres[c] for c in poor if c in centres and int(centres[c]["建成年份"]) <= 2017]
    F["poor_built_by_2017"] = len(pc)
    F["poor_ge1000"] = sum(1 for r in pc if Decimal(r["文化广场面积(平方米)"]) >= 1000)
    F["poor_500_1000"] = sum(1 for r in pc if 500 <= Decimal(r["文化广场面积(平方米)"]) < 1000)
    nonpoor_c = [r for c, r in centres.items() if c not in poor]
    F["nonpoor_2018"] = sum(1 for r in nonpoor_c if r["建成年份"] == "2018")
    F["nonpoor_2019"] = sum(1 for r in nonpoor_c if r["建成年份"] == "2019")
    built_1819 = [r for r in db["culture_centers"] if r["建成年份"] in ("2018", "2019")]
    F["built_2018_19"] = len(built_1819)
    no_centre = [r["区划代码"] for r in luyi_villages if r["区划代码"] not in centres]
    not_ok = [r["村代码"] for r in db["culture_centers"] if r["是否达标"] != "是"]
    F["no_centre"], F["not_compliant"] = len(no_centre), len(not_ok)
    F["gap"] = len(set(no_centre) | set(not_ok))
    F["coverage"] = Decimal(100 * (F["villages"] - F["gap"])) / F["villages"]
    F["subsidy_std_1819"] = sorted(set(r["奖补标准(万元)"] for r in built_1819))
    F["subsidy_paid_1819"] = sorted(set(r["已拨付奖补(万元)"] for r in built_1819))
    F["owed_total"] = _norm(sum(Decimal(r["奖补标准(万元)"]) - Decimal(r["已拨付奖补(万元)"])
                          for r in db["culture_centers"]))
    F["poor_subsidy"] = sorted(set((r["奖补标准(万元)"], r["已拨付奖补(万元)"]) for r in pc))
    F["households"] = len(db["households"])
    tv = db["tv_installs"]
    F["tv_2018"] = sum(1 for r in tv if r["安装日期"].startswith("2018"))
    F["tv_2019"] = sum(1 for r in tv if r["安装日期"].startswith("2019"))
    F["tv_distinct"] = len(set(r["户编号"] for r in tv))
    F["tv_fault"] = sum(1 for r in tv if r["状态"] == "故障")
    F["tv_none"] = F["households"] - F["tv_distinct"]
    av = [r for r in db["aid_villages"] if r["帮扶单位"] == BUREAU]
    F["aid_villages"] = len(av)
    F["aid_townships"] = sorted(set(name[regions[r["村代码"]]["上级区划代码"]] for r in av))
    F["aid_poor"] = sorted(name[r["村代码"]] for r in av if regions[r["村代码"]]["贫困村"] == "是")
    F["aid_nonpoor"] = sum(1 for r in av if regions[r["村代码"]]["贫困村"] == "否")
    cad = [r for r in db["aid_cadres"] if r["帮扶单位"] == BUREAU]
    F["cadres"] = len(cad)
    F["cadre_kinds"] = sorted(set(r["类别"] for r in cad))
    F["cadre_secretary_luyao"] = sum(1 for r in cad if r["职务"] == "第一书记" and name[r["村代码"]] == "卢尧村")
    inp = [r for r in db["aid_inputs"] if r["帮扶单位"] == BUREAU]
    F["inputs_equipment"] = _norm(sum(Decimal(r["金额(万元)"]) for r in inp
                                      if r["类别"] in ("办公设备", "文体器材")))
    F["equipment_villages"] = len(set(r["村代码"] for r in inp if r["类别"] in ("办公设备", "文体器材")))
    F["inputs_buildings_luyao"] = _norm(sum(Decimal(r["金额(万元)"]) for r in inp
                                      if r["类别"] == "基础设施" and name[r["村代码"]] == "卢尧村"))
    F["inputs_buildings_all"] = _norm(sum(Decimal(r["金额(万元)"]) for r in inp if r["类别"] == "基础设施"))
    F["inputs_households"] = _norm(sum(Decimal(r["金额(万元)"]) for r in inp if r["户编号"]))
    F["inputs_household_industry"] = _norm(sum(Decimal(r["金额(万元)"]) for r in inp
                                         if r["户编号"] and r["类别"] == "产业扶持"))
    ev = [r for r in db["cultural_events"] if "2016-01-01" <= r["日期"] <= "2019-12-31"]
    F["events_rows"] = len(ev)
    F["shows"] = {}
    F["people"] = {}
    for r in ev:
        F["shows"][r["活动类型"]] = F["shows"].get(r["活动类型"], 0) + int(r["场次"])
        F["people"][r["活动类型"]] = F["people"].get(r["活动类型"], 0) + int(r["受益人次"])
    F["people_all"] = sum(F["people"].values())
    F["people_opera_film"] = F["people"].get("送戏下乡", 0) + F["people"].get("送电影下乡", 0)
    F["opera_in_poor_villages"] = all(r["地点区划代码"] in poor for r in ev if r["活动类型"] == "送戏下乡")
    F["programmes"] = sorted(set(r["节目名称"] for r in ev if r["活动类型"] == "文艺宣传演出"))
    F["forms"] = sorted(set(r["演出形式"] for r in ev if r["活动类型"] == "文艺宣传演出"))
    findings = []
    for r in db["households"]:
        if not r["脱贫年度"]:
            continue
        y = int(r["脱贫年度"])
        why = []
        if int(r["人均纯收入(元)"]) <= POVERTY_LINE[y]:
            why.append("收入%s≤%d" % (r["人均纯收入(元)"], POVERTY_LINE[y]))
        for col in ("义务教育保障", "基本医疗保障", "住房安全保障", "饮水安全保障"):
            if r[col] != "是":
                why.append("%s=%s" % (col, r[col] or "空"))
        if why:
            findings.append((r["户编号"], y, "、".join(why)))
    F["hh_findings"] = sorted(findings)
    F["still_poor"] = sum(1 for r in db["households"] if not r["脱贫年度"])

    # ---- Document B ----
    units = {r["单位名称"]: r for r in db["units"]}
    counties = [n for _, n, _ in CITY_COUNTIES]
    leading = {}
    for r in db["regions"]:
        if r["层级"] == "县" and r["主导产业"]:
            leading[r["名称"]] = r["主导产业"].split("、")
    F["leading"] = leading
    F["units_by_type"] = {}
    for r in db["units"]:
        if r["所属区划代码"] == SHANGQIU[0] or regions[r["所属区划代码"]]["上级区划代码"] == SHANGQIU[0]:
            F["units_by_type"][r["单位类型"]] = F["units_by_type"].get(r["单位类型"], 0) + 1
    pr = db["projects"]

    def in_h1(s):
        return "2015-01-01" <= s <= "2015-06-30"

    landed = {}
    for r in pr:
        if r["阶段"] in ("落地", "投产") and in_h1(r["落地日期"]):
            landed.setdefault(r["责任单位"], []).append(r["项目名称"])
    F["landed_h1"] = {k: sorted(v) for k, v in landed.items()}
    F["tianchuang"] = [(r["项目名称"], r["阶段"], r["签约日期"]) for r in pr if "天创" in r["项目名称"]]
    signed_h1 = [r for r in pr if in_h1(r["签约日期"])]
    F["contract_fdi_h1"] = sum(Decimal(r["合同外资(万美元)"]) for r in signed_h1)
    F["contract_fdi_h1_zengzi"] = sum(Decimal(r["合同外资(万美元)"]) for r in signed_h1 if r["项目类型"] == "增资")
    F["contract_fdi_h1_projects"] = sorted((r["项目编号"], r["项目类型"], r["外资项目"], r["合同外资(万美元)"])
                                           for r in signed_h1 if Decimal(r["合同外资(万美元)"]) > 0)
    F["new_foreign_2015"] = sum(1 for r in pr if r["签约日期"].startswith("2015") and r["外资项目"] == "是"
                                and r["项目类型"] == "新建")
    unit_of = {r["项目编号"]: r["责任单位"] for r in pr}

    def fund_sum(unit, col, lo, hi):
        return sum(Decimal(f[col]) for f in db["project_funds"]
                   if unit_of.get(f["项目编号"]) == unit and lo <= f["月份"] <= hi)

    tgt = {(r["责任单位"], r["年度"], r["指标"]): Decimal(r["目标值"]) for r in db["targets"]}
    F["fdi"] = {}
    for c in counties:
        F["fdi"][c] = {
            "fdi_2014": fund_sum(c, "实际利用外资(万美元)", "2014-01", "2014-12"),
            "fdi_h1": fund_sum(c, "实际利用外资(万美元)", "2015-01", "2015-06"),
            "fdi_jul": fund_sum(c, "实际利用外资(万美元)", "2015-07", "2015-07"),
            "fdi_target": tgt.get((c, "2015", "实际利用外资(万美元)")),
            "prov_2014": fund_sum(c, "省外资金到位(万元)", "2014-01", "2014-12"),
            "prov_h1": fund_sum(c, "省外资金到位(万元)", "2015-01", "2015-06"),
            "prov_target": tgt.get((c, "2015", "实际利用省外资金(万元)")),
        }
    F["fdi_h1_total"] = sum(v["fdi_h1"] for v in F["fdi"].values())
    F["fdi_target_total"] = sum(v["fdi_target"] for v in F["fdi"].values())
    F["fdi_ratio"] = F["fdi_h1_total"] / F["fdi_target_total"]
    F["prov_h1_total"] = sum(v["prov_h1"] for v in F["fdi"].values())
    F["prov_target_total"] = sum(v["prov_target"] for v in F["fdi"].values())
    F["zero_fdi_h1"] = [c for c in counties if F["fdi"][c]["fdi_h1"] == 0]
    F["zero_fdi_to_jul"] = [c for c in counties if F["fdi"][c]["fdi_h1"] + F["fdi"][c]["fdi_jul"] == 0]
    F["big"] = {}
    for c in counties:
        mine = [r for r in signed_h1 if r["责任单位"] == c]
        ind = [r for r in mine if r["工业项目"] == "是"]
        F["big"][c] = {
            "ge3": sum(1 for r in mine if Decimal(r["总投资(亿元)"]) >= 3),
            "ind_ge3": sum(1 for r in ind if Decimal(r["总投资(亿元)"]) >= 3),
            "lead_ind_ge3": sum(1 for r in ind if Decimal(r["总投资(亿元)"]) >= 3 and r["产业"] in leading[c]),
            "ind_ge5": sum(1 for r in ind if Decimal(r["总投资(亿元)"]) >= 5),
            "lead_ge10": sum(1 for r in mine if Decimal(r["总投资(亿元)"]) >= 10 and r["产业"] in leading[c]),
        }
    F["city_ge3_h1"] = sum(1 for r in signed_h1 if Decimal(r["总投资(亿元)"]) >= 3)
    F["city_ge3_2015"] = sum(1 for r in pr if r["签约日期"].startswith("2015") and Decimal(r["总投资(亿元)"]) >= 3)
    others = [u for u, r in units.items() if r["单位类型"] in ("专题招商组", "市直单位")]
    F["others_signed_h1"] = sorted(r["项目编号"] for r in signed_h1 if r["责任单位"] in others)
    F["others_negotiating"] = sorted((r["责任单位"], r["项目名称"]) for r in pr
                                     if r["责任单位"] in others and r["阶段"] == "在谈")
    F["off_leading_2015"] = sorted((r["责任单位"], r["项目名称"], r["产业"], r["签约日期"][:7] or "在谈")
                                   for r in pr if r["责任单位"] in leading
                                   and (r["签约日期"].startswith("2015") or r["阶段"] == "在谈")
                                   and r["产业"] not in leading[r["责任单位"]])
    F["projects"] = len(pr)
    F["funds_rows"] = len(db["project_funds"])
    F["targets_rows"] = len(db["targets"])
    F["target_by_kind"] = {}
    for r in db["targets"]:
        k = (units[r["责任单位"]]["单位类型"], r["指标"], r["目标值"])
        F["target_by_kind"][k] = F["target_by_kind"].get(k, 0) + 1
    F["growth_targets"] = all(tgt.get((c, "2015", k)) == 10 for c in counties
                              for k in ("实际利用外资增长率(%)", "实际利用省外资金增长率(%)"))
    return F


def expectations(F):
    """(label, ok) pairs for every section-5 figure and every decision of the brief."""
    fd = F["fdi"]
    named = {"夏邑县": ["赛琪服饰", "鹿峰包装", "远东织造", "旗牌王服饰"], "虞城县": ["诚鑫纺织", "迈科新材料"],
             "示范区": ["金冠宇电子"], "宁陵县": ["帝益肥业"], "睢县": ["西默通信科技", "特步鞋业", "百盛鞋业"],
             "民权县": ["王巢酒业", "青岛奥莱克斯电器"]}
    named = {k: sorted(v) for k, v in named.items()}
    return [
        ("no validation problems", not F["problems"]),
        ("villages = 454", F["villages"] == 454),
        ("105 poor villages", F["poor_villages"] == 105),
        ("all 105 poor villages built by 2017", F["poor_built_by_2017"] == 105),
        ("70 poor with plaza >= 1000", F["poor_ge1000"] == 70),
        ("35 poor with 500 <= plaza < 1000", F["poor_500_1000"] == 35),
        ("156 non-poor built 2018", F["nonpoor_2018"] == 156),
        ("180 non-poor built 2019", F["nonpoor_2019"] == 180),
        ("336 built 2018-19", F["built_2018_19"] == 336),
        ("21 villages missing or not compliant", F["gap"] == 21),
        ("subsidy 10 / paid 4 for 2018-19", F["subsidy_std_1819"] == ["10"] and F["subsidy_paid_1819"] == ["4"]),
        ("4809 installs 2018", F["tv_2018"] == 4809),
        ("3543 installs 2019", F["tv_2019"] == 3543),
        ("installs are distinct households", F["tv_distinct"] == 4809 + 3543),
        ("7 aided villages", F["aid_villages"] == 7),
        ("aided villages in 2 townships", len(F["aid_townships"]) == 2),
        ("1 poor aided village = 卢尧村", F["aid_poor"] == ["卢尧村"] and F["aid_nonpoor"] == 6),
        ("11 cadres", F["cadres"] == 11),
        ("cadres are 业务骨干/年轻后备干部", F["cadre_kinds"] == ["业务骨干", "年轻后备干部"]),
        ("第一书记 in 卢尧村", F["cadre_secretary_luyao"] >= 1),
        ("equipment 30多万元 for 7 villages", 30 <= F["inputs_equipment"] < 40 and F["equipment_villages"] == 7),
        ("buildings 16万元 in 卢尧村", F["inputs_buildings_luyao"] == 16 and F["inputs_buildings_all"] == 16),
        ("household inputs 20多万元", 20 <= F["inputs_households"] < 30),
        ("送戏下乡 500多场次", 500 <= F["shows"].get("送戏下乡", 0) < 600),
        ("送电影下乡 15600多场次", 15600 <= F["shows"].get("送电影下乡", 0) < 15700),
        ("文艺宣传演出 万余场次", 10000 <= F["shows"].get("文艺宣传演出", 0) < 11000),
        ("受益人次 一千多万 (all rows)", 10000000 <= F["people_all"] < 11000000),
        ("受益人次 一千多万 (送戏+送电影)", 10000000 <= F["people_opera_film"] < 11000000),
        ("送戏下乡 only in poor villages", F["opera_in_poor_villages"]),
        ("5 planted household findings", len(F["hh_findings"]) == 5),
        ("landed 2015-H1 = the speech's list", F["landed_h1"] == named),
        ("天创集团 only 在谈", F["tianchuang"] == [("天创集团皮具项目", "在谈", "")]),
        ("contracted FDI 2015-H1 = 2795, all 增资",
         F["contract_fdi_h1"] == 2795 and F["contract_fdi_h1_zengzi"] == 2795
         and all(t == "增资" and f == "是" for _, t, f, _ in F["contract_fdi_h1_projects"])),
        ("no new foreign project in 2015", F["new_foreign_2015"] == 0),
        ("actual FDI 2015-H1 = 1/3 of target", Decimal("0.330") <= F["fdi_ratio"] <= Decimal("0.336")),
        ("zero FDI 2015-H1 exactly in 夏邑 虞城 睢阳 宁陵 睢县",
         sorted(F["zero_fdi_h1"]) == sorted(ZERO_FDI_COUNTIES)
         and sorted(F["zero_fdi_to_jul"]) == sorted(ZERO_FDI_COUNTIES)),
        ("targets = round(1.1 x 2014 actual)",
         all(v["fdi_target"] == round_1_1(int(v["fdi_2014"]))
             and v["prov_target"] == round_1_1(int(v["prov_2014"])) for v in fd.values())),
        ("growth targets 10%", F["growth_targets"]),
        ("each county 2 or 3 projects >= 3亿 signed in H1", all(b["ge3"] in (2, 3) for b in F["big"].values())),
        ("groups and departments signed nothing in H1", not F["others_signed_h1"]),
        ("units 9 县区 / 7 组 / 24 市直", F["units_by_type"] == {"县区": 9, "专题招商组": 7, "市直单位": 24}),
        ("leading industries for the 9 counties", sorted(F["leading"]) == sorted(n for _, n, _ in CITY_COUNTIES)),
    ]


def print_figures(F):
    print("== 文件 ==")
    for f, enc, n in F["files"]:
        print("  %-32s %-10s %6d 行" % (f, enc, n))
    print("== 文档A 鹿邑县 ==")
    print("  乡镇 %d 个, 行政村 %d 个, 贫困村 %d 个" % (F["townships"], F["villages"], F["poor_villages"]))
    print("  贫困村至2017年底建成 %d 个: 广场≥1000㎡ %d 个, 500–1000㎡ %d 个; 奖补(标准,已拨付) %s" % (
        F["poor_built_by_2017"], F["poor_ge1000"], F["poor_500_1000"], F["poor_subsidy"]))
    print("  非贫困村 2018年建成 %d 个, 2019年建成 %d 个; 2018–19合计 %d 个" % (
        F["nonpoor_2018"], F["nonpoor_2019"], F["built_2018_19"]))
    print("  未建 %d 个 + 不达标 %d 个 = %d 个行政村; 覆盖率 %.1f%%" % (
        F["no_centre"], F["not_compliant"], F["gap"], F["coverage"]))
    print("  2018–19 奖补标准 %s 万元, 已拨付 %s 万元; 应拨未拨合计 %s 万元" % (
        F["subsidy_std_1819"], F["subsidy_paid_1819"], F["owed_total"]))
    print("  建档立卡贫困户 %d 户 (未脱贫 %d 户)" % (F["households"], F["still_poor"]))
    print("  户户通 2018年 %d 户, 2019年 %d 户, 不同户 %d, 故障 %d, 未安装户 %d" % (
        F["tv_2018"], F["tv_2019"], F["tv_distinct"], F["tv_fault"], F["tv_none"]))
    print("  驻村帮扶 %d 个行政村 (%s), 贫困村 %s, 非贫困村 %d 个; 驻村干部 %d 人 %s" % (
        F["aid_villages"], "、".join(F["aid_townships"]), F["aid_poor"], F["aid_nonpoor"], F["cadres"],
        F["cadre_kinds"]))
    print("  投入: 办公设备+文体器材 %s 万元 (%d 个村); 卢尧村基础设施 %s 万元; 贫困户 %s 万元 (其中产业扶持 %s)" % (
        F["inputs_equipment"], F["equipment_villages"], F["inputs_buildings_luyao"], F["inputs_households"],
        F["inputs_household_industry"]))
    print("  文化活动 (2016–2019, %d 行):" % F["events_rows"])
    for k in EVENT_TOTALS:
        print("    %-8s 场次 %6d  受益人次 %9d" % (k, F["shows"].get(k, 0), F["people"].get(k, 0)))
    print("  受益人次 合计 %d; 送戏+送电影 %d" % (F["people_all"], F["people_opera_film"]))
    print("  节目 %s; 形式 %s" % ("、".join(F["programmes"]), "、".join(F["forms"])))
    print("  户级数据质量问题 %d 条:" % len(F["hh_findings"]))
    for hid, y, why in F["hh_findings"]:
        print("    %s %d年脱贫: %s" % (hid, y, why))
    print("== 文档B 商丘市 ==")
    print("  单位 %s; 项目 %d 个, 资金到位 %d 行, 目标 %d 行" % (
        F["units_by_type"], F["projects"], F["funds_rows"], F["targets_rows"]))
    print("  2015上半年落地:")
    for _, c, _ in CITY_COUNTIES:
        if c in F["landed_h1"]:
            print("    %s: %s" % (c, "、".join(F["landed_h1"][c])))
    print("  天创集团: %s" % F["tianchuang"])
    print("  上半年合同外资 %s 万美元, 其中增资 %s; 项目 %s" % (
        F["contract_fdi_h1"], F["contract_fdi_h1_zengzi"], F["contract_fdi_h1_projects"]))
    print("  2015年新建外资项目 %d 个" % F["new_foreign_2015"])
    print("  %-6s %8s %8s %8s %8s | %9s %9s %9s | ≥3亿 工业≥3亿 主导≥3亿 工业≥5亿 主导≥10亿" % (
        "县区", "外资2014", "外资目标", "外资H1", "外资7月", "省外2014", "省外目标", "省外H1"))
    for _, c, _ in CITY_COUNTIES:
        v, b = F["fdi"][c], F["big"][c]
        print("  %-6s %8s %8s %8s %8s | %9s %9s %9s | %d %d %d %d %d" % (
            c, v["fdi_2014"], v["fdi_target"], v["fdi_h1"], v["fdi_jul"], v["prov_2014"], v["prov_target"],
            v["prov_h1"], b["ge3"], b["ind_ge3"], b["lead_ind_ge3"], b["ind_ge5"], b["lead_ge10"]))
    print("  上半年实际利用外资 %s / 目标 %s = %.2f%%; 省外资金 %s / 目标 %s = %.2f%%" % (
        F["fdi_h1_total"], F["fdi_target_total"], 100 * F["fdi_ratio"], F["prov_h1_total"],
        F["prov_target_total"], 100 * F["prov_h1_total"] / F["prov_target_total"]))
    print("  上半年实际利用外资为零: %s; 至7月仍为零: %s" % ("、".join(F["zero_fdi_h1"]),
                                                  "、".join(F["zero_fdi_to_jul"])))
    print("  全市上半年3亿元以上项目 %d 个; 2015年(含7月) %d 个" % (F["city_ge3_h1"], F["city_ge3_2015"]))
    print("  专题组/市直单位上半年签约 %s; 在谈 %s" % (F["others_signed_h1"], F["others_negotiating"]))
    print("  与主导产业关联度不大的2015项目: %s" % F["off_leading_2015"])
    for k in sorted(F["target_by_kind"]):
        print("  目标 %s × %d" % (" ".join(k), F["target_by_kind"][k]))


def check(out):
    F = compute(out)
    print_figures(F)
    for p in F["problems"][:50]:
        print("问题: " + p)
    failed = 0
    print("== 校验 ==")
    for label, ok in expectations(F):
        print("  [%s] %s" % ("OK" if ok else "FAIL", label))
        failed += not ok
    return 1 if failed else 0


# ---------------------------------------------------------------------------
# README
# ---------------------------------------------------------------------------
def readme(F, cinfo):
    vn = cinfo["village_names"]
    lines = []
    w = lines.append
    w("# Taizhang demo dataset")
    w("")
    w("Synthetic ledgers derived from the seed (`000_b4123a27c4352b07.txt`): folder `county/` holds")
    w("Document A (鹿邑县 县文化广电旅游局, poverty alleviation), folder `city/` holds Document B")
    w("(商丘市, investment promotion, 2015). Loaded through the real importer they reproduce every figure of")
    w("domain.md section 5. The files are generated; do not edit them by hand. Regenerate and check with:")
    w("")
    w("```")
    w("python3 scripts/gen_demo.py          # rewrites examples/ (deterministic, same bytes every run)")
    w("python3 scripts/gen_demo.py --check  # re-reads the CSVs, prints every figure, exits 1 on a failure")
    w("```")
    w("")
    w("## Format")
    w("")
    w("- One CSV per ledger, named `<ledger id>.csv`; the header row is exactly the Chinese column headers of")
    w("  domain.md section 2, in export order. CRLF line ends.")
    w("- Encoding: UTF-8 with BOM, **except `county/cultural_events.csv`, which is GB18030 without a BOM**")
    w("  (as Chinese Excel saves it), to exercise encoding detection.")
    w("- Import order: `county/` then `city/`, each in ledger order regions, units, households,")
    w("  culture_centers, tv_installs, aid_villages, aid_cadres, aid_inputs, cultural_events, projects,")
    w("  project_funds, targets. A folder omits a ledger it has no rows for (`city/` has no poverty ledgers,")
    w("  `county/` has no projects or funds). The 河南省 row appears in both folders with identical values.")
    w("- Booleans 是/否; dates YYYY-MM-DD; months YYYY-MM; region codes 12 digits; amounts in the header's unit")
    w("  (decimals without trailing zeros, e.g. `5.2`, `16`, `0.25`).")
    w("")
    w("## Files")
    w("")
    w("| file | rows | what it holds |")
    w("|---|---:|---|")
    desc = {
        "county/regions.csv": "河南省 → 周口市 → 鹿邑县 → 22 乡镇/街道 (level 乡) → 454 行政村 (level 村, codes "
                              "`<乡 9 digits><201…>`; 105 with 贫困村=是). 主导产业 left empty for 鹿邑县.",
        "county/units.csv": "县文化广电旅游局 and 县扶贫办, both 县直单位 of 鹿邑县.",
        "county/households.csv": "12 000 建档立卡贫困户. 户编号 = `411628` + 7-digit sequence (e.g. `4116280001234`). "
                                 "ID numbers 411628…, valid GB 11643, heads born 1935–1994, unique.",
        "county/culture_centers.csv": "441 centres: the 105 poor villages (2016/2017) and 336 non-poor villages "
                                      "(156 in 2018, 180 in 2019). 13 non-poor villages have no row.",
        "county/tv_installs.csv": "8 352 户户通 installs (4 809 in 2018, 3 543 in 2019), one per household, "
                                  "by 豫广网络鹿邑分公司; about 3.5% 故障.",
        "county/aid_villages.csv": "县文化广电旅游局 aids the 7 named villages (结束日期 empty).",
        "county/aid_cadres.csv": "The 11 stationed cadres (业务骨干 / 年轻后备干部).",
        "county/aid_inputs.csv": "Aid inputs TR<year><seq>: equipment, 卢尧村 buildings, household inputs.",
        "county/cultural_events.csv": "Cultural events 2016–2019 WH<year><seq>, aggregated (GB18030!).",
        "county/targets.csv": "户户通 quotas 2018/2019 and the 2019 coverage target of 县文化广电旅游局.",
        "county/populations.csv": "户籍人口 (the 13th ledger, for 贫困发生率): 农村户籍人口 of every village, "
                                  "2014–2020; registered poor are 12–30% of a poor village's population "
                                  "and 2–6% of another's.",
        "city/regions.csv": "河南省 → 商丘市 → 9 county-level regions (level 县) with their 主导产业.",
        "city/units.csv": "9 县区 + 7 专题招商组 + 24 市直单位.",
        "city/projects.csv": "招商项目 SQ<year of signing><seq> (在谈 projects numbered under 2015): 54 projects "
                             "signed in 2014, the 2015 projects of the speech and more.",
        "city/project_funds.csv": "Monthly 省外资金到位 / 实际利用外资 per project, 2014-01 … 2015-07.",
        "city/targets.csv": "2015 targets of the 9 counties, 7 groups and 24 departments.",
    }
    for f, enc, n in F["files"]:
        w("| `%s` | %d | %s |" % (f, n, desc.get(f, "")))
    w("")
    w("## Figures of domain.md §5 and the rows that produce them")
    w("")
    w("### Document A (county)")
    w("")
    w("| figure (seed) | value in the data | rows that produce it |")
    w("|---|---|---|")
    rows_a = [
        ("105 贫困村, all with centres by end-2017", "%d poor villages, %d centres built ≤ 2017" % (
            F["poor_villages"], F["poor_built_by_2017"]),
         "`regions` 层级=村 贫困村=是 joined to `culture_centers` with 建成年份 ≤ 2017"),
        ("70 with plaza ≥ 1000㎡", str(F["poor_ge1000"]),
         "the above with 文化广场面积(平方米) ≥ 1000 (one is exactly 1000)"),
        ("35 with 500–1000㎡", str(F["poor_500_1000"]), "the above with 500 ≤ area < 1000 (one is exactly 500)"),
        ("156 new centres in 2018", str(F["nonpoor_2018"]), "`culture_centers` 建成年份=2018 (all non-poor)"),
        ("180 new centres in 2019", str(F["nonpoor_2019"]), "`culture_centers` 建成年份=2019 (all non-poor)"),
        ("336 built 2018–19", str(F["built_2018_19"]), "`culture_centers` 建成年份 in 2018, 2019"),
        ("21 行政村 missing or not 达标", "%d = %d without a row + %d 是否达标=否" % (
            F["gap"], F["no_centre"], F["not_compliant"]),
         "villages of 鹿邑县 with no `culture_centers` row, plus rows with 是否达标=否 (3 built 2018, 5 in 2019)"),
        ("10万元 per centre, 4万元 paid", "奖补标准 %s, 已拨付 %s; owed %s万元 in all" % (
            "/".join(F["subsidy_std_1819"]), "/".join(F["subsidy_paid_1819"]), F["owed_total"]),
         "`culture_centers` 建成年份 2018–19: 奖补标准(万元)=10, 已拨付奖补(万元)=4 (owed 6 each, 336 × 6)"),
        ("4809 TV installs in 2018", str(F["tv_2018"]), "`tv_installs` 安装日期 in 2018; target row 2018 4809"),
        ("3543 TV installs in 2019", str(F["tv_2019"]), "`tv_installs` 安装日期 in 2019; target row 2019 3543"),
        ("7 行政村 of 2 乡镇, 1 poor (卢尧), by 11 cadres", "%d villages in %s; poor: %s; %d cadres" % (
            F["aid_villages"], "、".join(F["aid_townships"]), "、".join(F["aid_poor"]), F["cadres"]),
         "`aid_villages` and `aid_cadres` with 帮扶单位=县文化广电旅游局; 贫困村 from `regions`"),
        ("30多万元 equipment for the 7 villages", "%s万元" % F["inputs_equipment"],
         "`aid_inputs` 类别 in 办公设备, 文体器材 (户编号 empty), 6 rows per village"),
        ("16万元 buildings in 卢尧", "%s万元" % F["inputs_buildings_luyao"],
         "`aid_inputs` 类别=基础设施, 村=卢尧村: 文化活动室 7.2, 门楼 2.8, 厕所 1.9, 院内地坪 2.6, 花池 1.5"),
        ("20多万元 for poor households", "%s万元 (of which 产业扶持 %s)" % (
            F["inputs_households"], F["inputs_household_industry"]),
         "`aid_inputs` rows with a 户编号: 住房修缮, 饮水, 生活用品 and 产业扶持 (成品母羊, 鸡苗)"),
        ("500多场 送戏下乡", "%d场次" % F["shows"]["送戏下乡"],
         "`cultural_events` 活动类型=送戏下乡 (one row per show, all in poor villages), sum of 场次"),
        ("15600多场 送电影下乡", "%d场次" % F["shows"]["送电影下乡"],
         "`cultural_events` 活动类型=送电影下乡 (one row per township per month), sum of 场次"),
        ("万余场次 propaganda shows", "%d场次" % F["shows"]["文艺宣传演出"],
         "`cultural_events` 活动类型=文艺宣传演出 (township × quarter × programme), sum of 场次"),
        ("一千多万人次 beneficiaries", "%d (all rows); %d (送戏+送电影 only)" % (
            F["people_all"], F["people_opera_film"]),
         "`cultural_events` 2016-01-01 … 2019-12-31, sum of 受益人次; either reading lands in 1000万–1100万"),
    ]
    for a, b, c in rows_a:
        w("| %s | %s | %s |" % (a, b, c))
    w("")
    w("### Document B (city, 2015-H1 = 2015-01-01 … 2015-06-30)")
    w("")
    w("| figure (seed) | value in the data | rows that produce it |")
    w("|---|---|---|")
    landed = "; ".join("%s: %s" % (c, "、".join(F["landed_h1"][c])) for _, c, _ in CITY_COUNTIES
                       if c in F["landed_h1"])
    rows_b = [
        ("landed projects named for 夏邑县, 虞城县, 示范区, 宁陵县, 睢县, 民权县", landed,
         "`projects` 阶段 in 落地/投产 with 落地日期 in 2015-H1 (exactly these 13; 鹿峰包装 and 旗牌王服饰 are 投产)"),
        ("柘城县–天创集团 only 在谈", "天创集团皮具项目, 阶段 在谈, no 签约日期", "`projects` 天创集团皮具项目"),
        ("合同利用外资 2795万美元, all 增资", "%s万美元, 增资 %s" % (F["contract_fdi_h1"],
                                                          F["contract_fdi_h1_zengzi"]),
         "`projects` 签约日期 in 2015-H1, sum of 合同外资(万美元): 4 rows, 项目类型=增资, 外资项目=是 "
         "(梁园区 600, 民权县 1045, 柘城县 650, 示范区 500)"),
        ("no new foreign-invested project", "%d" % F["new_foreign_2015"],
         "`projects` 签约日期 in 2015 with 外资项目=是 and 项目类型=新建: none"),
        ("实际利用外资 = 1/3 of the target", "%s / %s = %.2f%%" % (F["fdi_h1_total"], F["fdi_target_total"],
                                                             100 * F["fdi_ratio"]),
         "`project_funds` 月份 2015-01…06, sum of 实际利用外资(万美元) over county projects / sum of the 9 "
         "`targets` 实际利用外资(万美元) 2015"),
        ("夏邑县, 虞城县, 睢阳区, 宁陵县, 睢县 at zero", "、".join(F["zero_fdi_h1"]),
         "no `project_funds` row with 实际利用外资 > 0 in 2015-01…07 for projects of these 责任单位"),
        ("leading industries per county", "9 counties", "`city/regions.csv` 主导产业 (joined by 、)"),
        ("2 or 3 projects ≥ 3亿 per county", ", ".join("%s %d" % (c, F["big"][c]["ge3"])
                                                    for _, c, _ in CITY_COUNTIES),
         "`projects` 签约日期 in 2015-H1, 总投资(亿元) ≥ 3, by 责任单位 (百盛鞋业 is exactly 3.0)"),
        ("groups and departments: no results yet", "signed in H1: %d" % len(F["others_signed_h1"]),
         "`projects` of 专题招商组/市直单位 are all 在谈 (万达广场 by 市住建局, and three more)"),
    ]
    for a, b, c in rows_b:
        w("| %s | %s | %s |" % (a, b, c))
    w("")
    w("Per county (万美元 / 万元; H1 = 2015-01…06; targets = round(1.1 × 2014 actual)):")
    w("")
    w("| 县区 | 外资 2014 | 外资目标 2015 | 外资 H1 | 外资 2015-07 | 省外资金 2014 | 省外目标 2015 | 省外 H1 | "
      "≥3亿 | 工业≥3亿 | 主导工业≥3亿 | 工业≥5亿 |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for _, c, _ in CITY_COUNTIES:
        v, b = F["fdi"][c], F["big"][c]
        w("| %s | %s | %s | %s | %s | %s | %s | %s | %d | %d | %d | %d |" % (
            c, v["fdi_2014"], v["fdi_target"], v["fdi_h1"], v["fdi_jul"], v["prov_2014"], v["prov_target"],
            v["prov_h1"], b["ge3"], b["ind_ge3"], b["lead_ind_ge3"], b["ind_ge5"]))
    w("")
    w("## Planted data-quality findings (county households)")
    w("")
    w("Exited households that fail the exit rule (income must be strictly above the line of the exit year, and the four")
    w("guarantees must be 是). Every other exited household has 人均纯收入 ≥ 4200元 (above every line) and all")
    w("four guarantees 是, so exactly these five are found whichever line an engine compares against.")
    w("")
    w("| 户编号 | finding |")
    w("|---|---|")
    for hid, why in cinfo["findings"]:
        w("| %s | %s |" % (hid, why))
    w("")
    w("Poverty lines used (元 per person, by exit year): " +
      ", ".join("%d %d" % (y, l) for y, l in sorted(POVERTY_LINE.items()) if y >= 2016) + ".")
    w("")
    w("Households still poor (脱贫年度 empty, %d of them) have income below 4000元 and mixed or empty "
      "guarantees; they are not findings." % F["still_poor"])
    w("")
    w("## Decisions")
    w("")
    w("Document A:")
    w("")
    w("- Village names end in 村: 卢尧村, 刘楼村, 轩楼村, 药铺村, 杨桥村, 枣集村 (宋河镇) and 赵东村 (赵村乡).")
    w("  Codes: %s (same codes as the black-box test fixtures)." % ", ".join(
        "%s %s" % (vn[c], c) for c in sorted(vn) if vn[c] in {n for _, n, _ in NAMED_VILLAGES}))
    w("  Other village names are generated (surname + 庄/楼/营/…) and unique in the county.")
    w("- 22 townships (3 街道, 12 镇, 7 乡), all 层级 乡; codes 411628001…003 (街道), 101…112 (镇), 201…207 (乡).")
    w("- Poor villages' centres: 建成年份 2016 or 2017, 是否达标=是, 奖补标准 5万元 fully paid (5). The 2018–19")
    w("  centres: 奖补标准 10, 已拨付 4. The 8 non-compliant centres have plazas under 500㎡ and are not in the")
    w("  aided villages. 13 villages without a centre: %s." % "、".join(
        "%s %s" % (vn[c], c) for c in cinfo["missing"]))
    w("- Non-compliant centres (是否达标=否): %s." % "、".join("%s %s" % (vn[c], c) for c in cinfo["failing"]))
    w("- Households: 贫困户属性 ≈ 68/27/5% (一般/低保/特困供养); 主要致贫原因 因病 first, then 缺技术, 缺劳力,")
    w("  因残, 缺资金 …; 识别年度 2014–2016; 脱贫年度 2016–2020 (≥ 识别年度) or empty (%d still poor)." %
      F["still_poor"])
    w("  The 帮扶责任人 of the households in the 7 aided villages are that village's cadres. All names are")
    w("  generated from common surnames and given-name characters.")
    w("- Only %d of %d households have a 户户通 row: the seed gives only the 2018 and 2019 installs. A metric" % (
        F["tv_distinct"], F["households"]))
    w("  of \"households without TV signal\" would list the other %d." % F["tv_none"])
    w("- Aid inputs: the \"20多万元 for poor households\" is **every input row with a 户编号**, 产业扶持")
    w("  (成品母羊, 鸡苗) included; \"30多万元 equipment\" is 办公设备 + 文体器材; \"16万元\" is 基础设施 in 卢尧村.")
    w("  Household inputs always name a household of the same village.")
    w("- Cultural events: 节目名称 stored **without** 《》 (the report adds them). Forms: 扶贫路上 and 我脱贫我光荣")
    w("  歌曲, 我村来了个好书记 and 兔姻缘 小品, 党的政策就是好 坠子, 好日子是干出来的不是等出来的 相声.")
    w("  送戏下乡: one row per show in a poor village (\"贫困村送戏下乡\"), classic 豫剧/曲剧 titles;")
    w("  送电影下乡: one row per township per month, dated the 15th; 文艺宣传演出: one row per township, quarter")
    w("  and programme, dated the 15th of the quarter's middle month; 赛事活动: 贫困村广场舞大赛 and 唢呐大赛,")
    w("  2017–2019; 农家书屋: one row per township per year (农家书屋提质增效, 读书活动).")
    w("- Targets: 县文化广电旅游局 户户通安装户数 2018 = 4809, 2019 = 3543; 村级文化服务中心覆盖率(%) 2019 = 100")
    w("  (the data gives %.1f%%, a gap of %d villages)." % (F["coverage"], F["gap"]))
    w("")
    w("Document B:")
    w("")
    w("- The region and unit for 商丘市城乡一体化示范区 are both named **示范区**, as the speech says.")
    w("- The 13 landed projects carry the speech's short names (赛琪服饰 …) as 项目名称. Every other project")
    w("  signed in 2015-H1 is at 阶段 签约 (no 落地日期), so the landed list is exactly the speech's. 2014")
    w("  projects all landed in 2014.")
    w("- The dataset is a snapshot at the end of July 2015: five projects are signed in July 2015 (the largest,")
    w("  变频压缩机项目 in 民权县, is 10.5亿 in 主导产业) and `project_funds` runs to 2015-07; the five zero")
    w("  counties are still at zero in July (\"7个多月…仍然为零\").")
    w("- Foreign capital: each county has one 2014 foreign project (新建 or 增资); its 2014 actual FDI sets the")
    w("  2015 target. The four counties with H1 FDI (梁园区, 民权县, 柘城县, 示范区) get it from that project")
    w("  and from a 2015-H1 增资 project (the only projects with 合同外资 in 2015). Foreign projects have no")
    w("  省外资金; domestic projects no 实际利用外资. Non-foreign projects have 合同外资 0.")
    w("- Targets: 实际利用外资(万美元) and 实际利用省外资金(万元) 2015 = round(1.1 × 2014 actual), growth targets")
    w("  10; per county 引进3亿元以上工业项目数 5, 引进主导产业3亿元以上工业项目数 2, 引进5亿元以上工业项目数 2,")
    w("  力争引进10亿元以上主导产业项目数 1; per group 引进3亿元以上项目数 1; per department 引进1亿元以上项目数 1,")
    w("  plus 引进3亿元以上项目数 1 for 市住建局, 市农业局, 市文广新局, 市食品药品监督管理局. There is no unit for")
    w("  the city itself, so the city's 50 projects ≥ 3亿 (rule 6) comes from the default rules.")
    w("- 工业项目=否 for the industries 商贸, 物流, 电商, 文化旅游, 商业综合体, 金融保险.")
    w("- Group and department projects (all 在谈) are located in a county (所在县区代码) but belong to their")
    w("  责任单位 only: count projects by 责任单位, never by 所在县区代码 (rule 10).")
    w("- A project's 产业 matches its county's 主导产业 only when it equals one of the 、-separated words")
    w("  exactly. 2015 projects (signed or 在谈) whose 产业 is not a 主导产业 of their county:")
    w("")
    for u, n, ind, when in F["off_leading_2015"]:
        w("  - %s %s (%s, %s)" % (u, n, ind, when))
    w("")
    w("  Each county's 2014 projects also include one outside its 主导产业 (新型建材, 机械加工 or 农产品加工).")
    w("")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description="生成并校验 Taizhang 演示数据")
    ap.add_argument("--check", action="store_true", help="重新读取CSV, 计算并打印各项数字")
    ap.add_argument("--out", default=DEFAULT_OUT, help="输出目录 (默认 examples/)")
    args = ap.parse_args()
    if args.check:
        return check(args.out)
    write_all(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
