"""Black-box tests of `taizhang check`, `indicator` and `indicators` on the demo
database: every figure of domain.md section 5, the seed's gaps as findings,
targets with their defaults and aspirations, provenance, and how one changed
ledger row moves the figures at every level above it."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

from tzlib import SharedDemo, CENTERS_HEADER, HOUSEHOLDS_HEADER, TzCase, db_rows, run, write_csv

COUNTY = "411628"
CITY = "411400"
BUREAU = "县文化广电旅游局"
_demo = SharedDemo("tz-metrics-")
demo_db = _demo.get
tearDownModule = _demo.cleanup


def value(db, name, *args):
    p = run("indicator", db, name, *args, "--json", check=0)
    return json.loads(p.stdout)["value"]


def groups(db, name, *args):
    p = run("indicator", db, name, *args, "--json", check=0)
    return {g["label"]: g["value"] for g in json.loads(p.stdout)["groups"]}


def groups_json(db, name, *args):
    p = run("indicator", db, name, *args, "--json", check=0)
    return json.loads(p.stdout)["groups"]


def check(db, *args, code=1):
    p = run("check", db, *args, "--json", check=code)
    return json.loads(p.stdout)


def findings(report, rule):
    return [f for f in report["findings"] if f["rule"] == rule]


def target(report, unit, indicator):
    rows = [t for t in report["targets"] if t["unit"] == unit and t["indicator"] == indicator]
    assert len(rows) == 1, (unit, indicator, rows)
    return rows[0]


class TestCountyFigures(TzCase):
    """Document A: 鹿邑县 县文化广电旅游局."""

    def test_culture_centres(self):
        db = demo_db()
        by_2017 = ["--region", COUNTY, "--period", "2017", "--mode", "todate"]
        self.assertEqual(value(db, "贫困村数", "--region", COUNTY), 105)
        self.assertEqual(value(db, "贫困村文化服务中心数", *by_2017), 105)
        self.assertEqual(value(db, "贫困村文化广场1000平方米以上中心数", *by_2017), 70)
        self.assertEqual(value(db, "贫困村文化广场500至1000平方米中心数", *by_2017), 35)
        self.assertEqual(value(db, "非贫困村文化服务中心数", "--region", COUNTY, "--period", "2018"), 156)
        self.assertEqual(value(db, "非贫困村文化服务中心数", "--region", COUNTY, "--period", "2019"), 180)
        self.assertEqual(value(db, "未建或未达标行政村数", "--region", COUNTY, "--period", "2019"), 21)
        self.assertEqual(value(db, "未建文化服务中心行政村数", "--region", COUNTY, "--period", "2019"), 13)
        self.assertEqual(value(db, "未达标文化服务中心数", "--region", COUNTY, "--period", "2019",
                               "--mode", "todate"), 8)
        self.assertEqual(value(db, "应拨未拨奖补(万元)", "--region", COUNTY, "--period", "2019",
                               "--mode", "todate"), 336 * 6)
        by_year = groups(db, "村级文化服务中心数", "--region", COUNTY, "--period", "2019",
                         "--mode", "todate", "--by", "year")
        self.assertEqual(by_year["2018年"] + by_year["2019年"], 336)

    def test_check_shows_the_seed_figures(self):
        p = run("check", demo_db(), "--region", COUNTY, "--period", "2019", "--json", check=1)
        figs = {f["indicator"]: f for f in json.loads(p.stdout)["figures"]}
        expect = {"贫困村数": 105, "贫困村文化服务中心数": 105,
                  "贫困村文化广场1000平方米以上中心数": 70, "贫困村文化广场500至1000平方米中心数": 35,
                  "未建或未达标行政村数": 21, "应拨未拨奖补(万元)": 2016, "帮扶村数": 7,
                  "帮扶贫困村数": 1, "帮扶乡镇数": 2, "驻村干部人数": 11, "帮扶基础设施投入(万元)": 16}
        for name, v in expect.items():
            self.assertEqual(figs[name]["value"], v, name)
        built = {g["label"]: g["value"] for g in figs["非贫困村文化服务中心数"]["groups"]}
        self.assertEqual((built["2018年"], built["2019年"]), (156, 180))
        tv = {g["label"]: g["value"] for g in figs["户户通安装户数"]["groups"]}
        self.assertEqual((tv["2018年"], tv["2019年"]), (4809, 3543))
        self.assertTrue(500 <= figs["送戏下乡场次"]["value"] < 600)
        self.assertTrue(30 <= figs["帮扶设备器材投入(万元)"]["value"] < 40)
        p = run("check", demo_db(), "--region", CITY, "--period", "2015-H1", "--json", check=1)
        figs = {f["indicator"]: f for f in json.loads(p.stdout)["figures"]}
        self.assertEqual(figs["合同外资(万美元)"]["value"], 2795)
        self.assertEqual(figs["增资合同外资(万美元)"]["value"], 2795)
        self.assertEqual(figs["新建外资项目数"]["value"], 0)
        zero = sorted(g["label"] for g in figs["实际利用外资(万美元)"]["groups"] if g["value"] == 0)
        self.assertEqual(zero, sorted(["夏邑县", "虞城县", "睢阳区", "宁陵县", "睢县"]))
        self.assertNotIn("贫困村数", figs)  # no poverty ledgers in the city's scope

    def test_year_on_year_for_any_indicator(self):
        p = run("indicator", demo_db(), "户户通安装户数", "--region", COUNTY, "--period", "2019",
                "--json", check=0)
        yoy = json.loads(p.stdout)["year_on_year"]
        self.assertEqual(yoy["period"]["label"], "2018")
        self.assertEqual(yoy["value"], 4809)
        self.assertEqual(yoy["change"], 3543 - 4809)
        self.assertAlmostEqual(yoy["rate"], (3543 - 4809) / 4809 * 100, places=4)
        p = run("indicator", demo_db(), "户户通安装户数", "--region", COUNTY, "--period", "2019",
                check=0)
        self.assertIn("同比: 上年同期(2018年)4809 户,减少1266 户,下降26.33%", p.stdout)

    def test_tv_installs(self):
        db = demo_db()
        self.assertEqual(value(db, "户户通安装户数", "--region", COUNTY, "--period", "2018"), 4809)
        self.assertEqual(value(db, "户户通安装户数", "--region", COUNTY, "--period", "2019"), 3543)
        # the bureau has no unit column on installs: its region (the county) is used
        self.assertEqual(value(db, "户户通安装户数", "--unit", BUREAU, "--period", "2019"), 3543)

    def test_village_aid(self):
        db = demo_db()
        a = ["--unit", BUREAU, "--period", "2019", "--mode", "todate"]
        self.assertEqual(value(db, "帮扶村数", *a), 7)
        self.assertEqual(value(db, "帮扶贫困村数", *a), 1)
        self.assertEqual(value(db, "帮扶非贫困村数", *a), 6)
        self.assertEqual(value(db, "帮扶乡镇数", *a), 2)
        self.assertEqual(value(db, "驻村干部人数", *a), 11)
        towns = {k: v for k, v in groups(db, "帮扶村数", *a, "--by", "township").items() if v}
        self.assertEqual(towns, {"宋河镇": 6, "赵村乡": 1})
        equipment = value(db, "帮扶设备器材投入(万元)", *a)
        self.assertTrue(30 <= equipment < 40, equipment)  # 30多万元
        self.assertEqual(value(db, "帮扶基础设施投入(万元)", "--region", "卢尧村", "--period", "2019",
                               "--mode", "todate"), 16)
        households = value(db, "帮扶到户投入(万元)", *a)
        self.assertTrue(20 <= households < 30, households)  # 20多万元

    def test_cultural_events(self):
        db = demo_db()
        a = ["--region", COUNTY, "--period", "2019", "--mode", "todate"]
        self.assertTrue(500 <= value(db, "送戏下乡场次", *a) < 600)
        self.assertTrue(15600 <= value(db, "送电影下乡场次", *a) < 15700)
        self.assertTrue(10000 <= value(db, "文艺宣传演出场次", *a) < 11000)  # 万余场次
        self.assertTrue(10_000_000 <= value(db, "文化活动受益人次", *a) < 11_000_000)  # 一千多万
        kinds = groups(db, "文化活动场次", *a, "--by", "kind")
        self.assertEqual(kinds["送戏下乡"], value(db, "送戏下乡场次", *a))

    def test_poverty_incidence(self):
        db = demo_db()
        poor, pop = db_rows(
            db, "SELECT (SELECT SUM(members) FROM households WHERE year_identified <= 2019 AND "
                "(year_exited IS NULL OR year_exited > 2019)), (SELECT SUM(rural_population) "
                "FROM populations WHERE year = 2019)")[0]
        got = value(db, "贫困发生率(%)", "--region", COUNTY, "--period", "2019")
        self.assertAlmostEqual(got, 100 * poor / pop, places=5)  # JSON keeps 6 decimals
        self.assertAlmostEqual(value(db, "农村户籍人口", "--region", COUNTY, "--period", "2019"), pop)
        # by village: each poor village from its own rows
        code, vpop = db_rows(db, "SELECT village, rural_population FROM populations WHERE year = "
                                 "2016 ORDER BY village LIMIT 1")[0]
        vpoor = db_rows(db, "SELECT COALESCE(SUM(members), 0) FROM households WHERE village = ? "
                            "AND year_identified <= 2016 AND (year_exited IS NULL OR "
                            "year_exited > 2016)", (code,))[0][0]
        by = json.loads(run("indicator", db, "贫困发生率(%)", "--region", COUNTY, "--period",
                            "2016", "--by", "village", "--json", check=0).stdout)["groups"]
        self.assertAlmostEqual([g for g in by if g["key"] == code][0]["value"],
                               100 * vpoor / vpop, places=5)
        # a year without 户籍人口 rows: unavailable, with the reason
        p = run("indicator", db, "贫困发生率(%)", "--region", COUNTY, "--period", "2013", check=1)
        self.assertIn("户籍人口", p.stderr)
        self.assertIn("2013年", p.stderr)


class TestCountyCheck(TzCase):
    def test_check_2019(self):
        r = check(demo_db(), "--region", COUNTY, "--period", "2019")
        self.assertEqual(r["period"]["label"], "2019")
        tv = target(r, BUREAU, "户户通安装户数")
        self.assertEqual((tv["actual"], tv["target"], tv["status"]), (3543, 3543, "已完成"))
        cov = target(r, BUREAU, "村级文化服务中心覆盖率(%)")
        self.assertEqual(cov["status"], "未完成")
        self.assertAlmostEqual(cov["actual"], 100 * (454 - 21) / 454, places=4)
        gap = findings(r, "centre_coverage")
        self.assertEqual(len(gap), 1)
        self.assertEqual(gap[0]["count"], 21)
        self.assertIn("21个行政村未建设或不达标", gap[0]["message"])
        self.assertIn("未建设13个", gap[0]["message"])
        owed = findings(r, "subsidy_owed")[0]
        self.assertEqual((owed["count"], owed["amount"]), (336, 2016))
        self.assertIn("奖补标准10万元,已拨付4万元", owed["message"])
        self.assertEqual(findings(r, "poor_village_centre"), [])  # all 105 built by 2017
        exits = findings(r, "household_exit")
        self.assertEqual(len(exits), 1)
        self.assertEqual(exits[0]["level"], "数据质量")
        # only households exited by 2019 (a 2020 exit is not yet marked exited)
        self.assertEqual(exits[0]["count"], 4)
        self.assertEqual(len(exits[0]["keys"]), 4)
        marks = ",".join("?" * len(exits[0]["keys"]))
        years = db_rows(demo_db(), f"SELECT year_exited FROM households WHERE hh_id IN ({marks})",
                        exits[0]["keys"])
        self.assertEqual(len(years), 4)
        self.assertTrue(all(y <= 2019 for (y,) in years))
        self.assertEqual(findings(r, "household_duplicate"), [])
        self.assertEqual(findings(r, "village_population"), [])  # every village has its rows
        # poor villages still at or above 2% at the end of 2019, computed here from the rows
        rows = db_rows(db_path := demo_db(),
                       "SELECT r.code, p.rural_population, (SELECT COALESCE(SUM(h.members), 0) "
                       "FROM households h WHERE h.village = r.code AND h.year_identified <= 2019 "
                       "AND (h.year_exited IS NULL OR h.year_exited > 2019)) FROM regions r JOIN "
                       "populations p ON p.village = r.code AND p.year = 2019 WHERE r.poor = 1")
        high = sorted(code for code, pop, poor in rows if 100 * poor / pop >= 2)
        self.assertTrue(0 < len(high) < len(rows))
        vx = findings(r, "village_exit")
        self.assertEqual(len(vx), 1)
        self.assertEqual((vx[0]["level"], vx[0]["count"]), ("问题", len(high)))
        self.assertEqual(vx[0]["keys"], high[:len(vx[0]["keys"])])
        self.assertIn("低于2%", vx[0]["message"])
        self.assertTrue(db_path)
        self.assertTrue(r["summary"]["failed"])

    def test_check_2018_quota_met(self):
        r = check(demo_db(), "--unit", BUREAU, "--period", "2018")
        tv = target(r, BUREAU, "户户通安装户数")
        self.assertEqual((tv["actual"], tv["target"], tv["status"]), (4809, 4809, "已完成"))
        # the 100% coverage deadline (2019-12-31) is not reached in 2018: progress, no problem
        self.assertEqual(findings(r, "centre_coverage"), [])

    def test_deadline_rules_wait_for_their_deadline(self):
        for period in ["2016", "2017-H1", "2019-Q3"]:
            r = check(demo_db(), "--region", COUNTY, "--period", period)
            self.assertEqual(findings(r, "centre_coverage"), [], period)
        for period in ["2016", "2017-06"]:
            r = check(demo_db(), "--region", COUNTY, "--period", period)
            self.assertEqual(findings(r, "poor_village_centre"), [], period)
        r = check(demo_db(), "--region", COUNTY, "--period", "2019-Q4")
        gap = findings(r, "centre_coverage")
        self.assertEqual(len(gap), 1)
        self.assertIn("按规定2019年底要达到100%覆盖", gap[0]["message"])

    def test_household_exit_as_of_period(self):
        # every household listed has exited by the period's end year; a later exit is not
        for year in [2017, 2018, 2019]:
            r = check(demo_db(), "--region", COUNTY, "--period", str(year))
            for f in findings(r, "household_exit"):
                marks = ",".join("?" * len(f["keys"]))
                years = db_rows(demo_db(), "SELECT year_exited FROM households WHERE hh_id IN "
                                f"({marks})", f["keys"])
                self.assertTrue(years and all(y <= year for (y,) in years), (year, years))
        later = findings(check(demo_db(), "--region", COUNTY, "--period", "2020"), "household_exit")
        now = findings(check(demo_db(), "--region", COUNTY, "--period", "2018"), "household_exit")
        self.assertGreater(later[0]["count"], now[0]["count"])

    def test_default_period_is_latest_year(self):
        p = run("check", demo_db(), "--region", COUNTY, "--json", check=1)
        r = json.loads(p.stdout)
        self.assertEqual(r["period"]["label"], "2019")
        self.assertTrue(r["period"]["default"])

    def test_default_period_is_the_scopes_latest_year(self):
        # the city's ledgers end in 2015, the county's run to 2019: each scope gets its own
        db = demo_db()
        for args, year in [(("--region", CITY), "2015"), (("--region", COUNTY), "2019"),
                           (("--region", "商丘市"), "2015"), ((), "2019"),
                           (("--unit", BUREAU), "2019")]:
            r = check(db, *args, code=None)
            self.assertEqual((r["period"]["label"], r["period"]["default"]), (year, True), args)
        # a unit of the city: its own latest year (its projects and targets)
        unit = db_rows(db, "SELECT name FROM units WHERE kind = '县区' AND region LIKE '4114%' "
                           "ORDER BY name LIMIT 1")[0][0]
        years = db_rows(db, "SELECT MAX(substr(signed_date, 1, 4)) FROM projects WHERE unit = ?",
                        [unit])
        r = check(db, "--unit", unit, code=None)
        self.assertEqual(r["period"]["label"], str(years[0][0]))
        self.assertEqual(r["period"]["label"], "2015")
        # the city's default figures are its 2015 figures, not the zeros of 2019
        self.assertEqual(check(db, "--region", CITY, code=None)["figures"],
                         check(db, "--region", CITY, "--period", "2015", code=None)["figures"])
        p = run("indicator", db, "签约项目数", "--region", CITY, "--json", check=0)
        j = json.loads(p.stdout)
        self.assertEqual((j["period"]["label"], j["period"]["default"]), ("2015", True))
        self.assertGreater(j["value"], 0)
        p = run("check", db, "--region", CITY, check=None)
        self.assertIn("2015年", p.stdout.splitlines()[0])

    def test_findings_name_all_their_rows(self):
        # keys once stopped at 256 bytes: 17 of the 21 villages, 21 of the 336 centres
        db = demo_db()
        seen = set()
        for args in [("--region", COUNTY, "--period", "2019"), ("--region", COUNTY, "--period",
                     "2020"), ("--period", "2019"), ("--region", CITY, "--period", "2015-H1")]:
            for f in check(db, *args)["findings"]:
                seen.add(f["rule"])
                if f["rule"] == "household_duplicate":  # counts persons; keys are their rows
                    self.assertGreaterEqual(len(f["keys"]), 2 * f["count"], f)
                elif f["rule"] == "not_recorded":  # counted, without keys (metrics.md)
                    self.assertEqual(f["keys"], [], f)
                else:
                    self.assertEqual(len(f["keys"]), f["count"], (args, f["rule"]))
                self.assertEqual(len(set(f["keys"])), len(f["keys"]), f["rule"])
        self.assertTrue({"centre_coverage", "subsidy_owed"} <= seen, seen)
        r = check(db, "--region", COUNTY, "--period", "2019")
        cov = findings(r, "centre_coverage")[0]
        self.assertEqual(len(cov["keys"]), 21)
        owed = findings(r, "subsidy_owed")[0]
        self.assertEqual(len(owed["keys"]), 336)
        self.assertGreater(len("、".join(owed["keys"])), 256)
        marks = ",".join("?" * len(owed["keys"]))
        rows = db_rows(db, f"SELECT village FROM culture_centers WHERE village IN ({marks}) AND "
                       "subsidy > subsidy_paid", owed["keys"])
        self.assertEqual(len(rows), 336)

    def test_text_output_lists_the_first_keys(self):
        p = run("check", demo_db(), "--region", COUNTY, "--period", "2019", check=1)
        r = check(demo_db(), "--region", COUNTY, "--period", "2019")
        owed = findings(r, "subsidy_owed")[0]
        lines = [x for x in p.stdout.splitlines() if x.startswith("      涉及") and
                 owed["keys"][0] in x]
        self.assertEqual(len(lines), 1, p.stdout)
        self.assertTrue(lines[0].endswith("、".join(owed["keys"][:10]) + "等336条"), lines[0])
        self.assertNotIn(owed["keys"][10], lines[0])
        cov = findings(r, "centre_coverage")[0]
        lines = [x for x in p.stdout.splitlines() if x.startswith("      涉及") and
                 cov["keys"][0] in x]
        self.assertTrue(lines[0].endswith("、".join(cov["keys"][:10]) + "等21条"), lines[0])
        exits = findings(r, "household_exit")[0]  # 4 rows: all listed, no 等
        lines = [x for x in p.stdout.splitlines() if x.startswith("      涉及") and
                 exits["keys"][0] in x]
        self.assertTrue(lines[0].endswith(": " + "、".join(exits["keys"])), lines[0])

    def test_text_output(self):
        p = run("check", demo_db(), "--region", "鹿邑县", "--period", "2019", check=1)
        self.assertIn("目标任务考核: 鹿邑县", p.stdout)
        self.assertIn("未完成", p.stdout)
        self.assertIn("时序进度: 100.0%", p.stdout)
        self.assertIn("存在的问题", p.stdout)
        self.assertIn("数据质量", p.stdout)


class TestCityCheck(TzCase):
    """Document B: 商丘市, 2015-H1."""

    def test_landed_by_county(self):
        db = demo_db()
        a = ["--region", CITY, "--period", "2015-H1"]
        landed = {k: v for k, v in groups(db, "落地项目数", *a, "--by", "unit").items() if v}
        self.assertEqual(landed, {"夏邑县": 4, "虞城县": 2, "示范区": 1, "宁陵县": 1, "睢县": 3,
                                  "民权县": 2})
        p = run("indicator", db, "落地项目数", *a, "--explain", "--json", check=0)
        rows = json.loads(p.stdout)["rows"]
        self.assertEqual(len(rows), 13)
        self.assertTrue(all(r["ledger"] == "projects" for r in rows))
        names = {n for (n,) in db_rows(db, "SELECT name FROM projects WHERE project_id IN (%s)"
                                      % ",".join("?" * len(rows)), [r["key"] for r in rows])}
        self.assertIn("赛琪服饰", names)
        self.assertNotIn("天创集团皮具项目", names)  # only 在谈
        self.assertEqual(value(db, "在谈项目数", "--region", "411424"), 1)

    def test_foreign_capital(self):
        db = demo_db()
        a = ["--region", CITY, "--period", "2015-H1"]
        self.assertEqual(value(db, "合同外资(万美元)", *a), 2795)
        self.assertEqual(value(db, "增资合同外资(万美元)", *a), 2795)
        self.assertEqual(value(db, "新建外资项目数", *a), 0)
        r = check(db, *a)
        fdi = target(r, "商丘市", "实际利用外资(万美元)")
        self.assertAlmostEqual(fdi["actual"] / fdi["target"], 1 / 3, delta=0.005)
        zero = findings(r, "fdi_zero")
        self.assertEqual(len(zero), 1)
        self.assertEqual(set(zero[0]["keys"]), {"夏邑县", "虞城县", "睢阳区", "宁陵县", "睢县"})
        nf = findings(r, "no_new_foreign")
        self.assertEqual(len(nf), 1)
        self.assertEqual(nf[0]["amount"], 2795)
        self.assertIn("全部为增资", nf[0]["message"])

    def test_text_points_behind_have_one_decimal(self):
        # 商丘市 引进3亿元以上项目数 20/50 = 40.0% at the half year: 10.0 points
        # behind, printed with the one decimal of the 进度 column
        p = run("check", demo_db(), "--region", CITY, "--period", "2015-H1", check=1)
        row = [x for x in p.stdout.splitlines()
               if x.startswith("商丘市") and "引进3亿元以上项目数" in x]
        self.assertEqual(len(row), 1, p.stdout)
        self.assertIn("40.0%", row[0])
        self.assertIn("滞后于序时进度10.0个百分点", row[0])

    def test_targets_and_units_with_nothing(self):
        r = check(demo_db(), "--region", CITY, "--period", "2015-H1")
        big = target(r, "商丘市", "引进3亿元以上项目数")
        self.assertEqual((big["target"], big["is_default"], big["status"]), (50, True, "滞后于序时进度"))
        nothing = findings(r, "unit_no_project")
        self.assertEqual(sorted(f["count"] for f in nothing), [7, 24])
        self.assertTrue(any("7个专题招商组均未" in f["message"] for f in nothing))
        self.assertTrue(any("24个市直单位均未" in f["message"] for f in nothing))
        # aspirations are shown and never fail
        asp = [t for t in r["targets"] if t["indicator"].startswith("力争")]
        self.assertEqual(len(asp), 9)
        self.assertTrue(all(t["status"] == "力争" and t["actual"] < t["target"] for t in asp))
        # once reached an aspiration is 已完成 (民权县's 10亿 project is signed in July)
        r = check(demo_db(), "--region", CITY, "--period", "2015-07")
        asp = {t["unit"]: t for t in r["targets"] if t["indicator"].startswith("力争")}
        self.assertEqual((asp["民权县"]["status"], asp["民权县"]["gap"]), ("已完成", 0))
        self.assertTrue(all(t["status"] == "已完成" if t["actual"] >= t["target"] else
                            t["status"] == "力争" for t in asp.values()))
        self.assertEqual(r["summary"]["aspirations"], 8)
        # the speech's "和主导产业关联度不大"
        self.assertEqual(len(findings(r, "leading_industry")), 1)
        # no double counting: every target of a group counts its own projects only
        grp = [t for t in r["targets"] if t["unit_kind"] == "专题招商组"]
        self.assertEqual(len(grp), 7)
        self.assertTrue(all(t["actual"] == 0 for t in grp))

    def test_zero_counties_still_zero_in_july(self):
        r = check(demo_db(), "--region", CITY, "--period", "2015-07")
        self.assertEqual(set(findings(r, "fdi_zero")[0]["keys"]),
                         {"夏邑县", "虞城县", "睢阳区", "宁陵县", "睢县"})
        fdi = target(r, "民权县", "实际利用外资(万美元)")
        self.assertEqual(fdi["basis"], "2015年1月至7月累计")


class TestOneRowChange(TzCase):
    """Re-importing one row changes every level above it at once."""

    def test_centre_made_compliant(self):
        db = self.path("one.db")
        shutil.copy(demo_db(), db)
        code, year, area, subsidy, paid = db_rows(
            db, "SELECT village, year_built, plaza_area, subsidy, subsidy_paid FROM culture_centers "
                "WHERE compliant = 0 ORDER BY village LIMIT 1")[0]
        town, county = code[:9] + "000", COUNTY + "000000"
        levels = [code, town, county]
        before = [value(db, "未建或未达标行政村数", "--region", r, "--period", "2019") for r in levels]
        self.assertEqual(before[0], 1)
        self.assertEqual(before[2], 21)
        csv = write_csv(self.path("centre.csv"), CENTERS_HEADER,
                        [[code, year, "1200", "是", str(subsidy), str(paid)]])
        run("import", db, "culture_centers", csv, "--quiet", check=0)
        after = [value(db, "未建或未达标行政村数", "--region", r, "--period", "2019") for r in levels]
        self.assertEqual(after, [b - 1 for b in before])
        r = check(db, "--region", COUNTY, "--period", "2019")
        self.assertEqual(findings(r, "centre_coverage")[0]["count"], 20)
        cov = target(r, BUREAU, "村级文化服务中心覆盖率(%)")
        self.assertAlmostEqual(cov["actual"], 100 * (454 - 20) / 454, places=4)

    def test_village_exits(self):
        """Marking the last poor households of a poor village exited takes the village out of
        the village_exit finding and lowers 贫困发生率 at every level at once."""
        db = self.path("exit.db")
        shutil.copy(demo_db(), db)
        r = check(db, "--region", COUNTY, "--period", "2019")
        before = findings(r, "village_exit")[0]
        code = before["keys"][0]
        levels = [code, code[:9] + "000", COUNTY + "000000"]
        rates = [value(db, "贫困发生率(%)", "--region", x, "--period", "2019") for x in levels]
        self.assertGreaterEqual(rates[0], 2)
        cols = ", ".join(["hh_id", "head_name", "id_number", "village", "members", "kind", "cause",
                          "year_identified", "year_exited", "income", "edu_ok", "med_ok",
                          "house_ok", "water_ok", "helper"])
        poor = db_rows(db, f"SELECT {cols} FROM households WHERE village = ? AND "
                           "year_identified <= 2019 AND (year_exited IS NULL OR year_exited > "
                           "2019)", (code,))
        yes = lambda v: "是" if v == 1 else ("否" if v == 0 else "")
        rows = [[h, n, i, v, m, k, c, yi, "2019", "4800", "是", "是", "是", "是", hp or ""]
                for h, n, i, v, m, k, c, yi, ye, inc, e, md, ho, w, hp in poor]
        self.assertTrue(rows and yes(1) == "是")
        csv = write_csv(self.path("exit.csv"), HOUSEHOLDS_HEADER, rows)
        run("import", db, "households", csv, "--quiet", check=0)
        after = [value(db, "贫困发生率(%)", "--region", x, "--period", "2019") for x in levels]
        self.assertEqual(after[0], 0)
        self.assertLess(after[1], rates[1])
        self.assertLess(after[2], rates[2])
        r = check(db, "--region", COUNTY, "--period", "2019")
        now = findings(r, "village_exit")
        self.assertEqual(now[0]["count"] if now else 0, before["count"] - 1)
        self.assertNotIn(code, now[0]["keys"] if now else [])

    def test_edit_outside_taizhang(self):
        """A row changed with the sqlite3 shell (no import, no audit) still shows at once:
        triggers move the data version and the summaries are rebuilt on the next read."""
        import sqlite3
        db = self.path("shell.db")
        shutil.copy(demo_db(), db)
        before = value(db, "未脱贫户数", "--region", COUNTY, "--period", "2019")
        con = sqlite3.connect(db)
        hh = con.execute("SELECT hh_id FROM households WHERE year_exited IS NULL "
                         "AND year_identified <= 2019 ORDER BY hh_id LIMIT 1").fetchone()[0]
        con.execute("UPDATE households SET year_exited = 2019 WHERE hh_id = ?", (hh,))
        con.commit()
        con.close()
        self.assertEqual(value(db, "未脱贫户数", "--region", COUNTY, "--period", "2019"), before - 1)

    def test_install_added(self):
        db = self.path("tv.db")
        shutil.copy(demo_db(), db)
        hh, village = db_rows(db, "SELECT h.hh_id, h.village FROM households h LEFT JOIN "
                                  "tv_installs t ON t.hh_id = h.hh_id WHERE t.hh_id IS NULL "
                                  "ORDER BY h.hh_id LIMIT 1")[0]
        levels = [village, village[:9] + "000", COUNTY + "000000"]
        before = [value(db, "户户通安装户数", "--region", r, "--period", "2019") for r in levels]
        csv = write_csv(self.path("tv.csv"), ["户编号", "安装日期", "安装单位", "状态"],
                        [[hh, "2019-08-01", "豫广网络鹿邑分公司", "正常"]])
        run("import", db, "tv_installs", csv, "--quiet", check=0)
        after = [value(db, "户户通安装户数", "--region", r, "--period", "2019") for r in levels]
        self.assertEqual(after, [b + 1 for b in before])
        r = check(db, "--region", COUNTY, "--period", "2019")
        tv = target(r, BUREAU, "户户通安装户数")
        self.assertEqual((tv["actual"], tv["status"]), (3544, "已完成"))


def copy_demo(case):
    """A private copy of the demo database, for tests that change rows."""
    db = case.path("demo.db")
    shutil.copy(demo_db(), db)
    return db


def sql(db, statement, params=()):
    """Runs one statement on an SQLite database (the ledgers' triggers bump
    the data version, so the summaries are rebuilt)."""
    import sqlite3
    con = sqlite3.connect(db)
    try:
        con.execute(statement, params)
        con.commit()
    finally:
        con.close()


class TestSchedule(TzCase):
    """时序进度: in-year targets judged against the share of the year elapsed
    (时间过半、任务过半), the year's end against the whole target."""

    FDI = "实际利用外资(万美元)"

    def test_ahead_of_schedule_at_half_year(self):
        # Report B's example: 2200/3410 = 64.5% at the half year is ahead of 50%
        r = check(demo_db(), "--region", CITY, "--period", "2015-H1")
        t = target(r, "民权县", self.FDI)
        self.assertEqual((t["actual"], t["target"]), (2200, 3410))
        self.assertEqual(t["status"], "超序时进度")
        self.assertEqual(t["schedule"], 0.5)
        self.assertAlmostEqual(t["progress"], 2200 / 3410, places=5)
        self.assertIsNone(t["behind_points"])
        self.assertIs(t["failed"], False)
        self.assertIs(t["year_end"], False)
        self.assertEqual(t["origin"], "目标任务台账")
        # no target at or ahead of the schedule is called behind
        for t in r["targets"]:
            if t["progress"] is not None and round(t["progress"] * 1000) >= 500:
                self.assertIn(t["status"], ("已完成", "超序时进度", "达到序时进度", "力争"), t)

    def test_json_fields_and_types(self):
        r = check(demo_db(), "--region", CITY, "--period", "2015-H1")
        words = {"已完成", "未完成", "力争", "超序时进度", "达到序时进度", "滞后于序时进度"}
        self.assertTrue(r["targets"])
        for t in r["targets"]:
            self.assertIn(t["status"], words)
            self.assertIsInstance(t["schedule"], (int, float))
            self.assertTrue(0 <= t["schedule"] <= 1)
            self.assertTrue(t["progress"] is None or isinstance(t["progress"], (int, float)))
            self.assertTrue(t["behind_points"] is None or
                            isinstance(t["behind_points"], (int, float)))
            self.assertIsInstance(t["failed"], bool)
            self.assertEqual(t["failed"], t["status"] in ("未完成", "滞后于序时进度"))
            self.assertIsInstance(t["origin"], str)
            self.assertTrue(t["origin"])
            if t["status"] == "滞后于序时进度" and t["progress"] is not None:
                self.assertAlmostEqual(t["behind_points"],
                                       50.0 - round(t["progress"] * 1000) / 10, places=6)
            else:
                self.assertTrue(t["behind_points"] is None or t["status"] == "滞后于序时进度")
        s = r["summary"]
        self.assertEqual(s["met"] + s["not_met"] + s["aspirations"] + s["ahead"] +
                         s["on_schedule"] + s["behind"], s["targets"])
        self.assertEqual(s["not_met"], 0)  # no 未完成 before the year's end
        self.assertGreater(s["behind"], 0)

    def test_default_target_says_its_rule_and_the_ledger_sum(self):
        r = check(demo_db(), "--region", CITY, "--period", "2015-H1")
        big = target(r, "商丘市", "引进3亿元以上项目数")
        self.assertTrue(big["is_default"])
        # the ledger's 县区 3亿元以上工业项目 (45), 专题招商组 (7) and 市直单位 (4) rows add up to 56
        self.assertEqual(big["origin"],
                         "默认规则:全市每年引进3亿元以上项目不少于50个;目标任务台账中各单位目标"
                         "合计56个,全市目标按默认规则50个计(台账未列全市目标)")
        self.assertEqual(target(r, "商丘市", self.FDI)["origin"], "目标任务台账(各县区目标之和)")
        p = run("check", demo_db(), "--region", CITY, "--period", "2015-H1", check=1)
        self.assertIn("目标任务台账中各单位目标合计56个", p.stdout)

    def test_same_actual_at_year_end_is_not_met(self):
        db = copy_demo(self)
        sql(db, "DELETE FROM project_funds WHERE project_id = 'SQ2015013' AND month = '2015-07'")
        t = target(check(db, "--region", CITY, "--period", "2015"), "民权县", self.FDI)
        self.assertEqual((t["actual"], t["status"], t["year_end"], t["schedule"]),
                         (2200, "未完成", True, 1))
        self.assertIs(t["failed"], True)
        t = target(check(db, "--region", CITY, "--period", "2015-H1"), "民权县", self.FDI)
        self.assertEqual((t["actual"], t["status"]), (2200, "超序时进度"))

    def test_exactly_on_schedule_and_months(self):
        db = copy_demo(self)
        sql(db, "UPDATE targets SET value = 4400 WHERE unit = '民权县' AND year = 2015 AND "
                "indicator = ?", (self.FDI,))
        t = target(check(db, "--region", CITY, "--period", "2015-H1"), "民权县", self.FDI)
        self.assertEqual((t["progress"], t["status"], t["failed"]), (0.5, "达到序时进度", False))
        # a month uses its months elapsed: 2015-07 is 7/12 = 58.3%; 2320/4400 = 52.7% is behind
        t = target(check(db, "--region", CITY, "--period", "2015-07"), "民权县", self.FDI)
        self.assertAlmostEqual(t["schedule"], 7 / 12, places=5)
        self.assertEqual((t["actual"], t["status"]), (2320, "滞后于序时进度"))
        self.assertAlmostEqual(t["behind_points"], 58.3 - 52.7, places=6)
        # a quarter: Q1 is 25%
        t = target(check(db, "--region", CITY, "--period", "2015-Q1"), "民权县", self.FDI)
        self.assertEqual(t["schedule"], 0.25)

    def test_growth_in_year_is_on_schedule_not_done(self):
        r = check(demo_db(), "--region", CITY, "--period", "2015-H1")
        g = target(r, "民权县", "实际利用外资增长率(%)")
        self.assertGreater(g["actual"], g["target"])
        self.assertEqual((g["status"], g["progress"]), ("达到序时进度", None))
        # at the year's end a growth rate is final: 未完成 below its target, 已完成 at it
        g = target(check(demo_db(), "--region", CITY, "--period", "2015"), "民权县",
                   "实际利用外资增长率(%)")
        self.assertLess(g["actual"], g["target"])
        self.assertEqual(g["status"], "未完成")
        db = copy_demo(self)
        sql(db, "UPDATE targets SET value = -30 WHERE unit = '民权县' AND year = 2015 AND "
                "indicator = '实际利用外资增长率(%)'")
        g = target(check(db, "--region", CITY, "--period", "2015"), "民权县", "实际利用外资增长率(%)")
        self.assertEqual(g["status"], "已完成")

    def _unit_db(self):
        """A copy of the demo with one 县直单位 of 民权县 whose only target is
        2 projects >= 1亿元 in 2015, with one signed in March (in its 主导产业)."""
        db = copy_demo(self)
        units = write_csv(self.path("units.csv"), ["单位名称", "单位类型", "所属区划代码"],
                          [["民权县测试局", "县直单位", "411421000000"]])
        run("import", db, "units", units, "--quiet", check=0)
        tg = write_csv(self.path("targets.csv"), ["责任单位", "年度", "指标", "目标值"],
                       [["民权县测试局", "2015", "引进1亿元以上项目数", "2"]])
        run("import", db, "targets", tg, "--quiet", check=0)
        head = ["项目编号", "项目名称", "投资方", "所在县区代码", "责任单位", "产业", "工业项目",
                "总投资(亿元)", "项目类型", "外资项目", "合同外资(万美元)", "阶段", "签约日期",
                "落地日期", "招商方式"]
        pj = write_csv(self.path("projects.csv"), head,
                       [["SQT001", "冷柜项目", "测试客商", "411421000000", "民权县测试局", "制冷家电",
                         "是", "1.5", "新建", "否", "0", "签约", "2015-03-10", "", "以商招商"]])
        run("import", db, "projects", pj, "--quiet", check=0)
        return db

    def test_exit_status_follows_failed_targets(self):
        db = self._unit_db()
        unit = ["--unit", "民权县测试局"]
        # 1 of 2 at the half year is on schedule, at Q1 ahead: nothing failed, exit 0
        r = check(db, *unit, "--period", "2015-H1", code=0)
        self.assertEqual([t["status"] for t in r["targets"]], ["达到序时进度"])
        self.assertEqual(r["findings"], [])
        self.assertIs(r["summary"]["failed"], False)
        self.assertEqual([t["status"] for t in check(db, *unit, "--period", "2015-Q1",
                                                     code=0)["targets"]], ["超序时进度"])
        # in July 50% is behind 58.3%: exit 1, and the text says by how many points
        r = check(db, *unit, "--period", "2015-07", code=1)
        self.assertEqual([t["status"] for t in r["targets"]], ["滞后于序时进度"])
        self.assertEqual(r["findings"], [])
        p = run("check", db, *unit, "--period", "2015-07", check=1)
        self.assertIn("滞后于序时进度8.3个百分点", p.stdout)
        self.assertIn("时序进度: 58.3%", p.stdout)
        self.assertIn("滞后于序时进度1项", p.stdout)
        # at the year's end it is 未完成: exit 1
        r = check(db, *unit, "--period", "2015", code=1)
        self.assertEqual([t["status"] for t in r["targets"]], ["未完成"])
        p = run("check", db, *unit, "--period", "2015-H1", check=0)
        self.assertIn("达到序时进度", p.stdout)


class TestListingAndUsage(TzCase):
    def test_indicators_cover_every_target_name(self):
        p = run("indicators", "--json", check=0)
        data = json.loads(p.stdout)
        names = {i["name"] for i in data["indicators"]}
        targets = ["户户通安装户数", "村级文化服务中心覆盖率(%)", "实际利用外资(万美元)", "实际利用省外资金(万元)",
                   "实际利用外资增长率(%)", "实际利用省外资金增长率(%)", "引进3亿元以上项目数",
                   "引进3亿元以上工业项目数", "引进主导产业3亿元以上工业项目数", "引进5亿元以上工业项目数",
                   "引进10亿元以上主导产业项目数", "引进1亿元以上项目数"]
        for t in targets:
            self.assertIn(t, names)
        rules = {r["id"] for r in data["rules"]}
        for r in ["centre_coverage", "subsidy_owed", "household_exit", "household_duplicate",
                  "fdi_zero", "no_new_foreign", "unit_no_project", "leading_industry",
                  "project_duplicate"]:
            self.assertIn(r, rules)
        p = run("indicators", check=0)
        self.assertIn("户户通安装户数", p.stdout)

    def test_usage_errors(self):
        db = demo_db()
        run("check", db, "--period", "2015-13", check=2)
        run("check", db, "--unit", "没有这个单位", check=2)
        run("check", db, "--region", "没有这个区划", check=2)
        run("indicator", db, "没有这个指标", check=2)
        run("indicator", db, "签约项目数", "--by", "colour", check=2)
        run("indicator", db, "签约项目数", "--mode", "sometimes", check=2)
        run("check", self.path("missing.db"), check=3)

    def test_chinese_mode_names(self):
        """--mode takes the Chinese names the report scripts take (tz_mode_parse)."""
        db = demo_db()
        a = ["--region", CITY, "--period", "2015"]
        for zh, en in (("累计", "todate"), ("期间", "period"), ("全部", "all"), ("现状", "all")):
            p = run("indicator", db, "签约项目数", *a, "--mode", zh, "--json", check=0)
            q = run("indicator", db, "签约项目数", *a, "--mode", en, "--json", check=0)
            self.assertEqual(json.loads(p.stdout)["mode"], en)
            self.assertEqual(json.loads(p.stdout)["value"], json.loads(q.stdout)["value"])
        self.assertNotEqual(value(db, "签约项目数", *a, "--mode", "累计"),
                            value(db, "签约项目数", *a, "--mode", "期间"))

    def test_chinese_dimension_names(self):
        """--by takes the column name 招商方式 as well as channel (tz_dim_parse)."""
        db = demo_db()
        a = ["--region", CITY, "--period", "2015"]
        p = run("indicator", db, "签约项目数", *a, "--by", "招商方式", "--json", check=0)
        zh = json.loads(p.stdout)
        self.assertEqual(zh["by"], "channel")
        self.assertEqual(zh["groups"], groups_json(db, "签约项目数", *a, "--by", "channel"))
        self.assertTrue(zh["groups"])
        p = run("indicator", db, "签约项目数", *a, "--by", "招商方式", check=0)
        self.assertIn("按招商方式分组", p.stdout)

    def test_wrong_mode_or_dimension_lists_the_choices(self):
        db = demo_db()
        p = run("indicator", db, "签约项目数", "--mode", "sometimes", check=2)
        self.assertIn("--mode \"sometimes\"", p.stderr)
        for name in ("period", "todate", "all", "累计", "期间", "全部"):
            self.assertIn(name, p.stderr)
        p = run("indicator", db, "签约项目数", "--by", "颜色", check=2)
        self.assertIn("不能按 \"颜色\" 分组", p.stderr)
        self.assertIn("channel(招商方式)", p.stderr)
        self.assertIn("township(乡镇)", p.stderr)
        self.assertIn("用法: taizhang indicator", p.stderr)

    def test_clean_scope_exits_zero(self):
        # a village with a compliant centre and nothing wrong (a poor one below the 2%
        # exit threshold): no target, no finding
        db = demo_db()
        code = db_rows(db, "SELECT c.village FROM culture_centers c JOIN regions r ON r.code = "
                           "c.village WHERE c.compliant = 1 AND c.subsidy_paid = c.subsidy AND "
                           "NOT EXISTS (SELECT 1 FROM households h JOIN tv_installs t ON "
                           "t.hh_id = h.hh_id WHERE h.village = c.village AND t.status = '故障') "
                           "AND NOT EXISTS (SELECT 1 FROM households h WHERE h.village = "
                           "c.village AND h.year_exited IS NOT NULL AND (h.income <= 4000 OR "
                           "h.house_ok = 0)) AND (COALESCE(r.poor, 0) = 0 OR 50 * (SELECT "
                           "COALESCE(SUM(h.members), 0) FROM households h WHERE h.village = "
                           "c.village AND h.year_identified <= 2019 AND (h.year_exited IS NULL "
                           "OR h.year_exited > 2019)) < (SELECT p.rural_population FROM "
                           "populations p WHERE p.village = c.village AND p.year = 2019)) "
                           "ORDER BY c.village LIMIT 1")[0][0]
        r = check(db, "--region", code, "--period", "2019", code=0)
        self.assertFalse(r["summary"]["failed"])
        self.assertEqual(r["findings"], [])



@unittest.skipUnless(os.environ.get("TZ_PG_URI"), "TZ_PG_URI not set (PostgreSQL not started)")
class TestPostgres(TzCase):
    """The same checks and figures on PostgreSQL (summaries included)."""

    def test_check_on_postgres_matches_sqlite(self):
        uri = os.environ["TZ_PG_URI"]
        subprocess.run(["psql", uri, "-qc", "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"],
                       check=True, capture_output=True)
        run("demo", uri, "--quiet", check=0)
        sq = demo_db()
        for args in [("--region", COUNTY, "--period", "2019"), ("--region", CITY, "--period",
                     "2015-H1"), ("--region", "411628101", "--period", "2018")]:
            self.assertEqual(check(uri, *args), check(sq, *args), args)
        # the default period is the scope's latest year there too
        for region, year in [(CITY, "2015"), (COUNTY, "2019")]:
            r = check(uri, "--region", region, code=None)
            self.assertEqual((r["period"]["label"], r["period"]["default"]), (year, True))
        # every row of a finding, not the first 256 bytes of keys
        r = check(uri, "--region", COUNTY, "--period", "2019")
        for rule, n in [("subsidy_owed", 336), ("centre_coverage", 21)]:
            f = findings(r, rule)[0]
            self.assertEqual((f["count"], len(f["keys"]), len(set(f["keys"]))), (n, n, n), rule)
        for name in ["贫困发生率(%)", "未安装户户通贫困户数", "未脱贫人口", "户户通安装户数"]:
            a = ("--region", COUNTY, "--period", "2019", "--by", "township")
            self.assertEqual(groups(uri, name, *a), groups(sq, name, *a), name)
        # a change on PostgreSQL shows at once there too
        hh = db_rows(sq, "SELECT hh_id FROM households WHERE year_exited IS NULL ORDER BY hh_id "
                         "LIMIT 1")[0][0]
        before = value(uri, "未脱贫户数", "--region", COUNTY, "--period", "2019")
        subprocess.run(["psql", uri, "-qc",
                        f"UPDATE households SET year_exited = 2019 WHERE hh_id = '{hh}'"],
                       check=True, capture_output=True)
        self.assertEqual(value(uri, "未脱贫户数", "--region", COUNTY, "--period", "2019"),
                         before - 1)


if __name__ == "__main__":
    unittest.main()
