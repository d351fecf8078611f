#!/usr/bin/env python3
"""gen_county.py - writes the ledgers of one large synthetic county as CSV files
(contract headers, UTF-8 with BOM) for the `check` benchmark.

Usage: python3 bench/gen_county.py OUTDIR [--households 300000] [--villages 600]

The county is 河南省 / 周口市 / 鹿邑县 (411628) with 25 townships. Every ledger
of Document A gets rows: households (valid, unique ID numbers), culture centres
for most villages, 户户通 installs for about 60% of households, village aid,
cadres and inputs of one bureau, cultural events, targets and the rural
population (户籍人口) of every village for 2014-2020. A few exited
households fail the exit rule, so the rules have work to report.
Deterministic (fixed seed), standard library only.
"""
import argparse
import csv
import os
import random
import sys

# The contract headers live in one place: the demo generator.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
from gen_demo import HEADERS as HEAD  # noqa: E402

ORDER = ["regions", "units", "households", "culture_centers", "tv_installs", "aid_villages",
         "aid_cadres", "aid_inputs", "cultural_events", "targets", "populations"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜"
GIVEN = "建国军明华永德志保全长春福贵成学新振友海金庆喜富广连玉青山林卫东红伟强刚峰磊超勇平安忠信义民生秀兰英芳桂花"
CAUSES = ["因病", "因残", "因学", "因灾", "缺土地", "缺水", "缺技术", "缺劳力", "缺资金", "交通条件落后",
          "自身发展动力不足", "其他"]
LINES = {2016: 3026, 2017: 3335, 2018: 3535, 2019: 3747, 2020: 4000}
COUNTY = "411628"
BUREAU = "县文化广电旅游局"


def check_digit(s17):
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(c) * k for c, k in zip(s17, w)) % 11]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--households", type=int, default=300000)
    ap.add_argument("--villages", type=int, default=600)
    a = ap.parse_args()
    rng = random.Random(20190101)
    os.makedirs(a.out, exist_ok=True)
    rows = {k: [] for k in ORDER}
    rows["regions"] += [["410000000000", "河南省", "", "省", "", ""],
                        ["411600000000", "周口市", "410000000000", "市", "", ""],
                        [COUNTY + "000000", "鹿邑县", "411600000000", "县", "", ""]]
    towns = [COUNTY + "%03d000" % (100 + i) for i in range(1, 26)]
    for i, t in enumerate(towns):
        rows["regions"].append([t, "第%d镇" % (i + 1), COUNTY + "000000", "乡", "", ""])
    villages = []
    for i in range(a.villages):
        t = towns[i % len(towns)]
        code = t[:9] + "%03d" % (201 + i // len(towns))
        poor = rng.random() < 0.25
        villages.append((code, poor))
        rows["regions"].append([code, "第%d村" % (i + 1), t, "村", "是" if poor else "否", ""])
    rows["units"] = [[BUREAU, "县直单位", COUNTY + "000000"], ["县扶贫办", "县直单位", COUNTY + "000000"]]

    ids = set()
    hh_by_village = {}
    people = {}  # registered poor people per village
    for n in range(a.households):
        code, _ = villages[n % len(villages)]
        hid = COUNTY + "%08d" % (n + 1)
        while True:
            born = "%04d%02d%02d" % (rng.randint(1935, 1994), rng.randint(1, 12), rng.randint(1, 28))
            s17 = COUNTY + born + "%03d" % rng.randint(0, 999)
            idn = s17 + check_digit(s17)
            if idn not in ids:
                ids.add(idn)
                break
        ident = rng.choice([2014, 2014, 2015, 2016])
        exited = rng.choice([2016, 2017, 2018, 2019, 2020, ""])
        if exited and exited < ident:
            exited = ident
        if exited:
            income = rng.randint(4200, 12000)
            guar = ["是"] * 4
        else:
            income = rng.randint(1800, 3900)
            guar = [rng.choice(["是", "否", ""]) for _ in range(4)]
        if exited and n % 20000 == 7:  # a few planted exit-rule failures
            income = LINES[exited] - 100
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        members = rng.randint(1, 6)
        people[code] = people.get(code, 0) + members
        rows["households"].append([hid, name, idn, code, members, rng.choice(
            ["一般贫困户", "低保贫困户", "特困供养贫困户"]), rng.choice(CAUSES), ident, exited, income]
            + guar + [""])
        hh_by_village.setdefault(code, []).append(hid)
        if rng.random() < 0.6:
            y = rng.choice([2017, 2018, 2019])
            rows["tv_installs"].append([hid, "%d-%02d-%02d" % (y, rng.randint(1, 12), rng.randint(1, 28)),
                                        "豫广网络", "故障" if rng.random() < 0.03 else "正常"])
    for code, poor in villages:
        if rng.random() < 0.95:
            year = rng.choice([2016, 2017]) if poor else rng.choice([2018, 2019])
            ok = rng.random() < 0.97
            rows["culture_centers"].append([code, year, rng.randint(30, 200) * 10, "是" if ok else "否",
                                            5 if poor else 10, 5 if poor else 4])
    aided = rng.sample(villages, 40)
    k = 0
    for code, _ in aided:
        rows["aid_villages"].append([BUREAU, code, "2017-03-01", ""])
        rows["aid_cadres"].append(["干部%d" % len(rows["aid_cadres"]), BUREAU, code, "工作队长", "业务骨干",
                                   "2017-03-01", ""])
        for j in range(5):
            k += 1
            hid = rng.choice(hh_by_village[code]) if j % 2 else ""
            rows["aid_inputs"].append(["TR%06d" % k, "2018-%02d-10" % (j + 1), BUREAU, code, hid,
                                       "生活用品" if hid else "办公设备", "物资", rng.randint(1, 30) / 10])
    e = 0
    for t in towns:
        for y in range(2016, 2020):
            for m in range(1, 13):
                for kind in ("送电影下乡", "文艺宣传演出"):
                    e += 1
                    rows["cultural_events"].append(["WH%07d" % e, "%d-%02d-15" % (y, m), kind, "", "", t,
                                                    rng.randint(5, 30), rng.randint(500, 5000)])
    for code, poor in villages:
        if poor:
            for y in range(2016, 2020):
                e += 1
                rows["cultural_events"].append(["WH%07d" % e, "%d-06-15" % y, "送戏下乡", "朝阳沟", "豫剧",
                                                code, 1, rng.randint(200, 900)])
    rows["targets"] = [[BUREAU, 2018, "户户通安装户数", 60000], [BUREAU, 2019, "户户通安装户数", 60000],
                       [BUREAU, 2019, "村级文化服务中心覆盖率(%)", 100]]
    # 户籍人口: the registered poor are 12-30% of a poor village, 2-6% of another
    # (own generator, so the other ledgers stay as they were)
    prng = random.Random(20190102)
    for code, poor in villages:
        share = prng.uniform(0.12, 0.30) if poor else prng.uniform(0.02, 0.06)
        base = max(300, round(people.get(code, 0) / share))
        for y in range(2014, 2021):
            rows["populations"].append([code, y, base + round(base * 0.004 * (y - 2014))])
    for name in ORDER:
        with open(os.path.join(a.out, name + ".csv"), "w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow(HEAD[name])
            w.writerows(rows[name])


if __name__ == "__main__":
    main()
