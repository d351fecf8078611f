"""Black-box tests of report B (templates/investment.lua): the parts of the
seed speech for 2015-H1; every period of 2015 drafted with its key sentences
checked against `taizhang indicator` and sqlite3; the claims' conditions
flipping on changed data; and a dataset with other counties, industries and
channels, so that nothing is tuned to the demo."""
import json
import os
import re
import shutil
import sqlite3
import unittest

from appendix_check import assert_provenance
from tzlib import SharedDemo, TzCase, run

_demo = SharedDemo("tz-invest-")
demo_db = _demo.get
tearDownModule = _demo.cleanup

CITY = "411400"
COUNTIES = ["梁园区", "睢阳区", "民权县", "睢县", "宁陵县", "柘城县", "虞城县", "夏邑县", "示范区"]
PERIODS = ([f"2015-{m:02d}" for m in range(1, 13)] + [f"2015-Q{q}" for q in range(1, 5)]
           + ["2015-H1", "2015-H2", "2015"])
HALF = {"H1": (1, 6), "H2": (7, 12)}


def months_of(period):
    """(first month, last month) of a period label."""
    if len(period) == 4:
        return 1, 12
    tail = period[5:]
    if tail.startswith("Q"):
        q = int(tail[1:])
        return 3 * q - 2, 3 * q
    if tail.startswith("H"):
        return HALF[tail]
    m = int(tail)
    return m, m


def words(period):
    a, b = months_of(period)
    y = period[:4]
    if len(period) == 4:
        return f"{y}年"
    tail = period[5:]
    if tail.startswith("Q"):
        return f"{y}年第{'一二三四'[int(tail[1:]) - 1]}季度"
    if tail.startswith("H"):
        return f"{y}年{'上' if tail == 'H1' else '下'}半年"
    return f"{y}年{a}月"


def window_words(period):
    """How the report names the window from 1 January to the period's end."""
    a, b = months_of(period)
    if a == 1:
        return words(period)
    if b == 12:
        return period[:4] + "年全年"
    return f"{period[:4]}年1至{b}月"


def plain(md):
    """The body of a Markdown report as plain text (no links, tags, escapes)."""
    body = md.split("\n---\n")[0]
    body = re.sub(r"\[([^\]]*)\]\(#F\d+\)", r"\1", body)
    body = re.sub(r"</?strong>|\*\*", "", body)
    return body.replace("\\.", ".")


class InvestCase(TzCase):
    def draft(self, period, db=None, ext="md", *extra):
        out = self.path(f"b-{period}.{ext}")
        p = run("report", db or demo_db(), "--kind", "investment", "--region", CITY, "--period",
                period, "-o", out, *extra, check=0)
        return out, p

    def text(self, period, db=None):
        out, p = self.draft(period, db)
        with open(out, encoding="utf-8") as f:
            return plain(f.read()), p

    def copy_db(self, name="changed.db"):
        db = self.path(name)
        shutil.copy(demo_db(), db)
        return db

    def sql(self, db, sql, params=()):
        con = sqlite3.connect(db)
        try:
            rows = con.execute(sql, params).fetchall()
            con.commit()
        finally:
            con.close()
        return rows

    def indicator(self, db, name, period, **kw):
        args = ["indicator", db, name, "--period", period, "--json"]
        if "unit" in kw:
            args += ["--unit", kw["unit"]]
        else:
            args += ["--region", kw.get("region", CITY)]
        if "by" in kw:
            args += ["--by", kw["by"]]
        return json.loads(run(*args, check=0).stdout)

    # independent sums with sqlite3 over the window of a period (1 January to its end)
    def funds(self, db, col, year, m1, m2, unit=None):
        sql = (f"SELECT COALESCE(SUM(f.{col}), 0) FROM project_funds f JOIN projects p "
               "ON p.project_id = f.project_id WHERE f.month BETWEEN ? AND ?")
        params = [f"{year}-{m1:02d}", f"{year}-{m2:02d}"]
        if unit:
            sql += " AND p.unit = ?"
            params.append(unit)
        else:
            sql += " AND p.county LIKE '4114%'"
        return self.sql(db, sql, params)[0][0]

    def signed(self, db, year, m1, m2, where="1", unit=None):
        sql = ("SELECT COUNT(*) FROM projects p WHERE p.signed_date BETWEEN ? AND ? AND " + where)
        params = [f"{year}-{m1:02d}-01", f"{year}-{m2:02d}-31"]
        if unit:
            sql += " AND p.unit = ?"
            params.append(unit)
        else:
            sql += " AND p.county LIKE '4114%'"
        return self.sql(db, sql, params)[0][0]


def growth_words(cur, prev):
    """The report's 同比 words for cur against prev ("增长44%"), or None when prev is 0."""
    if not prev:
        return None
    r = (cur - prev) / prev * 100
    if abs(r) < 0.05:
        return "持平"
    v = f"{abs(r):.1f}".rstrip("0").rstrip(".")
    return ("增长" if r > 0 else "下降") + v + "%"


class TestPartsH1(InvestCase):
    """2015-H1 has every part of the seed speech (issue 11 item 6)."""

    @classmethod
    def setUpClass(cls):
        cls.tmp_case = InvestCase()
        cls.tmp_case.setUp()
        out, p = cls.tmp_case.draft("2015-H1")
        cls.stderr = p.stderr
        with open(out, encoding="utf-8") as f:
            cls.md = f.read()
        cls.body = plain(cls.md)
        out, _ = cls.tmp_case.draft("2015-H1", None, "md", "--appendix")
        with open(out, encoding="utf-8") as f:
            cls.md_app = f.read()

    @classmethod
    def tearDownClass(cls):
        cls.tmp_case.tearDown()

    def test_sections_in_order(self):
        heads = ["一、2015年上半年开放招商工作情况", "二、存在的问题", "三、下一步工作意见",
                 "（一）明确开放招商的目标任务", "（二）突出开放招商的重点", "（三）创新招商方式"]
        pos = [self.body.find(h) for h in heads]
        self.assertTrue(all(p >= 0 for p in pos), list(zip(heads, pos)))
        self.assertEqual(pos, sorted(pos))

    def test_headline_with_year_on_year(self):
        db = demo_db()
        dom = self.indicator(db, "实际利用省外资金(万元)", "2015-H1")
        fdi = self.indicator(db, "实际利用外资(万美元)", "2015-H1")
        m = re.search(r"2015年上半年，全市开放招商工作取得一定成效，实际利用省外资金(\d+)万元，同比(\S+?)；"
                      r"实际利用外资(\d+)万美元，同比(\S+?)。", self.body)
        self.assertIsNotNone(m, self.body[:600])
        self.assertEqual(int(m.group(1)), dom["value"])
        self.assertEqual(m.group(2), growth_words(dom["value"], dom["year_on_year"]["value"]))
        self.assertEqual(int(m.group(3)), fdi["value"])
        self.assertEqual(m.group(4), growth_words(fdi["value"], fdi["year_on_year"]["value"]))
        self.assertEqual(m.group(4), "增长44%")

    def test_landed_by_county_complete_without_deng(self):
        m = re.search(r"2015年上半年落地的项目有：(.*?)。", self.body)
        self.assertIsNotNone(m)
        listed = m.group(1)
        self.assertNotIn("等", listed)
        names = self.sql(demo_db(), "SELECT unit, name FROM projects WHERE landed_date BETWEEN "
                         "'2015-01-01' AND '2015-06-30' AND stage IN ('落地', '投产')")
        self.assertEqual(len(names), 13)
        for unit, name in names:
            part = [x for x in listed.split("；") if x.startswith(unit)]
            self.assertEqual(len(part), 1, unit)
            self.assertIn(name, part[0])

    def test_negotiations_are_said_to_be_current(self):
        self.assertRegex(self.body, r"截至目前，全市在谈项目7个：")
        for m in re.finditer("目前", self.body):
            self.assertEqual(self.body[m.start() - 2:m.start()], "截至", self.body[m.start() - 20:m.end()])

    def test_problems_follow_the_data(self):
        b = self.body
        part = b[b.index("二、存在的问题"):b.index("三、下一步工作意见")]
        self.assertNotIn("大项目不多", part)  # 20 of 29 are ≥3亿元
        self.assertIn("其中3亿元以上项目20个，占69%", part)
        self.assertNotIn("后继增长乏力", part)  # FDI rose 44%
        self.assertIn("最高的夏邑县是最低的睢阳区的2.9倍", part)
        self.assertIn("7个专题招商组和24个市直单位均尚无签约项目", part)
        self.assertNotIn("均还没有", b)

    def test_behind_counties_are_behind_and_no_others(self):
        check_behind(self, demo_db(), "2015-H1", self.body)

    def test_leading_industries_by_county(self):
        db = demo_db()
        part = self.body[self.body.index("（二）突出开放招商的重点"):self.body.index("（三）创新招商方式")]
        for code, name, inds in self.sql(db, "SELECT code, name, industries FROM regions WHERE "
                                             "parent = '411400000000' AND industries IS NOT NULL"):
            line = [x for x in part.split("\n") if x.startswith(name + "要围绕")]
            self.assertEqual(len(line), 1, name)
            self.assertIn(inds, line[0])
        self.assertIn("民权县要围绕制冷家电产业招商。2015年上半年签约的4个项目中，主导产业项目3个：", part)
        self.assertIn("主导产业以外的项目1个：王巢酒业（白酒酿造）", part)

    def test_channels_compared(self):
        db = demo_db()
        part = self.body[self.body.index("（三）创新招商方式"):]
        by = self.indicator(db, "签约项目数", "2015-H1", by="channel")
        groups = {g["key"]: g["value"] for g in by["groups"]} if "groups" in by else None
        self.assertIsNotNone(groups, by)
        for ch, n in groups.items():
            if n:
                self.assertIn(f"{ch}{n}个", part)
        self.assertIn("以商招商引进项目最多", part)
        self.assertIn("与上年同期相比，", part)

    def test_compact_target_tables(self):
        md = self.md
        self.assertIn("表2　各县（区）资金到位目标任务完成情况", md)
        self.assertIn("表3　各县（区）引进项目目标任务完成情况", md)
        for cap in ("表2", "表3"):
            table = md[md.index(cap):]
            table = table[:table.index("\n\n", table.index("| ---"))]
            rows = [r for r in table.split("\n") if r.startswith("| ") and "---" not in r][1:]
            self.assertEqual([r.split(" | ")[0][2:] for r in rows], COUNTIES, cap)
        # the 35 identical rows of the groups and departments are not in the body
        body = md[:md.index("附件：")]
        self.assertNotIn("专题招商组和市直单位目标任务完成情况", body)
        self.assertIn("专题招商组和市直单位共承担目标任务35项", self.body)
        # their full table is the 附件 after the 落款 (GB/T 9704-2012 7.3.4, 8.1)
        self.assertIn("各单位目标任务完成情况见附件。", body)
        self.assertIn("附件：专题招商组和市直单位目标任务完成情况\n", md)
        att = md[md.index("**附件**"):]
        self.assertLess(md.index("2015年6月30日"), md.index("**附件**"))
        self.assertIn("## 专题招商组和市直单位目标任务完成情况", att)
        rows = [r for r in att.split("\n") if r.startswith("| ") and "---" not in r][1:]
        self.assertEqual(len(rows), 35, att)
        # with --appendix the 数据来源 is 附件2, and the note lists both
        app = self.md_app
        self.assertIn("各单位目标任务完成情况见附件1。", app)
        self.assertIn("附件：1．专题招商组和市直单位目标任务完成情况\\\n　　　2．数据来源\n", app)
        self.assertLess(app.index("**附件1**"), app.index("**附件2**"))
        self.assertLess(app.index("**附件2**"), app.index("## 数据来源"))
        self.assertIn("正文和附件1中每个数字", app)

    def test_one_precision_per_column(self):
        """表2's progress columns print one decimal in every cell ("38.0%",
        "0.0%"), not "38%" beside "54.1%" (issue 11 item 9)."""
        md = self.md
        table = md[md.index("表2"):]
        table = table[:table.index("\n\n", table.index("| ---"))]
        header = [c.strip() for c in table.split("\n")[2].strip("|").split("|")]
        rows = [r for r in table.split("\n") if r.startswith("| ") and "---" not in r][1:]
        cols = [i for i, h in enumerate(header) if "进度" in h]
        self.assertEqual(len(cols), 2, header)
        for r in rows:
            cells = [re.sub(r"\[([^\]]*)\]\(#F\d+\)", r"\1", c.strip())
                     for c in r.strip("|").split("|")]
            for i in cols:
                self.assertRegex(cells[i], r"^\d+\.\d%$", r)

    def test_no_deng_after_complete_lists_and_arabic_counts(self):
        self.assertNotIn("等一批", self.body)
        self.assertNotIn("七个", self.body)
        self.assertNotIn("1至12月", self.body)


def check_behind(case, db, period, body):
    """Every county named 滞后于序时进度 (or 未完成 at year end) for a money or
    count target is below the time schedule by sqlite3, and every county below it
    is named."""
    m1, m2 = 1, months_of(period)[1]
    sched = m2 / 12
    targets = {(u, i): v for u, i, v in case.sql(db, "SELECT unit, indicator, value FROM targets "
                                                      "WHERE year = 2015")}
    where = {"引进3亿元以上工业项目": "investment >= 3 AND industrial = 1",
             "引进5亿元以上工业项目": "investment >= 5 AND industrial = 1"}
    word = "未完成全年目标任务" if m2 == 12 else "滞后于序时进度"
    checked = 0
    for name, ind, col in [("实际利用外资", "实际利用外资(万美元)", "fdi_actual"),
                           ("实际利用省外资金", "实际利用省外资金(万元)", "domestic_funds"),
                           ("引进3亿元以上工业项目", "引进3亿元以上工业项目数", None),
                           ("引进5亿元以上工业项目", "引进5亿元以上工业项目数", None)]:
        line = re.search(r"\n\d+\." + name + "，([^\n]*)", body)
        case.assertIsNotNone(line, name)
        line = line.group(1)
        named = set()
        if line.startswith(word + "的有"):
            listed = line.split("：", 1)[1]
            named = {c for c in COUNTIES if re.search(r"(^|、)" + c + r"(、|（)", listed)}
        else:
            case.assertTrue(line.startswith("各县（区）均"), line)
        for c in COUNTIES:
            t = targets.get((c, ind))
            if not t:
                continue
            if col:
                actual = case.funds(db, col, 2015, m1, m2, unit=c)
            else:
                actual = case.signed(db, 2015, m1, m2, where[name], unit=c)
            behind = actual < t and actual / t < sched - 0.0005
            case.assertEqual(c in named, behind, f"{period} {name} {c}: {actual}/{t}, 时序进度{sched}")
            checked += 1
    case.assertGreater(checked, 0)


class TestEveryPeriod(InvestCase):
    """Drafted for every period of 2015, the key sentences are true as of that period."""

    def test_every_period(self):
        db = demo_db()
        for period in PERIODS:
            with self.subTest(period=period):
                body, p = self.text(period)
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertNotIn("警告", p.stderr)
                self.assertNotIn("提示", p.stderr)  # no template warning, no proofreading finding
                self.check_period(db, period, body)
                # every number of the body, tables included, has its 附件 entry
                out, p = self.draft(period, db, "md", "--appendix")
                self.assertEqual(p.returncode, 0, p.stderr)
                assert_provenance(self, out)

    def check_period(self, db, period, body):
        a, b = months_of(period)
        w = window_words(period)
        self.assertTrue(body.startswith(f"# 商丘市{words(period)}开放招商工作情况"), body[:80])
        # the headline over the window, with 同比 against the same months a year before
        m = re.search(w + r"，全市(?:开放招商工作[^，]*，)?实际利用省外资金(\d+)万元，(?:同比)?(\S+?)；"
                      r"实际利用外资(\d+)万美元，(?:同比)?([^；。（]+)", body)
        self.assertIsNotNone(m, body[:700])
        dom, dom0 = self.funds(db, "domestic_funds", 2015, 1, b), self.funds(db, "domestic_funds", 2014, 1, b)
        fdi, fdi0 = self.funds(db, "fdi_actual", 2015, 1, b), self.funds(db, "fdi_actual", 2014, 1, b)
        self.assertEqual(int(m.group(1)), round(dom))
        self.assertEqual(m.group(2), growth_words(dom, dom0) or "上年同期为零")
        self.assertEqual(int(m.group(3)), round(fdi))
        self.assertEqual(m.group(4), growth_words(fdi, fdi0) or "上年同期为零")
        # the funds ledger ends in 2015-07: later windows say so, and judge no trend
        if b > 7:
            self.assertIn("（资金到位台账的数据截至2015年7月）", body)
            self.assertIn("资金到位台账的数据截至2015年7月，资金到位类目标任务的完成进度按已有数据计算。", body)
            self.assertNotIn("形势严峻", body)
            self.assertNotIn("后继增长乏力", body)
        # signed and landed: the window, then the period's part
        ws = self.signed(db, 2015, 1, b)
        self.assertIn(f"全市共签约项目{ws}个", body)
        if a > 1:
            sp = self.indicator(db, "签约项目数", period)["value"]
            lp = self.indicator(db, "落地项目数", period)["value"]
            dp = self.indicator(db, "实际利用省外资金(万元)", period)["value"]
            self.assertIn(f"其中{words(period)}实际利用省外资金{round(dp)}万元", body)
            self.assertIn(f"其中{words(period)}签约项目{sp}个、落地项目{lp}个", body)
        else:
            self.assertNotIn("其中" + words(period), body)
        # the problems and the targets are over the window and say so
        self.assertIn(f"整体上看，{w}，全市", body)
        if b < 12:
            self.assertIn(f"截至{period[:4]}年{b}月底时序进度为", body)
        self.assertNotIn("1至12月", body)
        check_behind(self, db, period, body)
        # the table of the period's own projects
        self.assertIn(f"表1　{words(period)}各县（区）签约和落地项目情况", body)


class TestConditions(InvestCase):
    """Each claim's condition flips on changed data."""

    def test_few_big_projects(self):
        db = self.copy_db()
        # 20 of 29 signed in 2015-H1 are ≥3亿元; bring 12 of them under 3亿元
        self.sql(db, "UPDATE projects SET investment = 2.0 WHERE project_id IN (SELECT project_id "
                     "FROM projects WHERE signed_date BETWEEN '2015-01-01' AND '2015-06-30' AND "
                     "investment >= 3 ORDER BY project_id LIMIT 12)")
        body, p = self.text("2015-H1", db)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("一是大项目不多。在产业发展中能够起到带动作用的招商引资项目还不多。", body)
        self.assertIn("其中3亿元以上项目8个，占27.6%；仅为全年目标任务50个的16%", body)
        demo, _ = self.text("2015-H1")
        self.assertNotIn("大项目不多", demo)

    def test_falling_foreign_capital(self):
        db = self.copy_db()
        self.sql(db, "UPDATE project_funds SET fdi_actual = fdi_actual / 10 WHERE month LIKE '2015-%'")
        body, p = self.text("2015-H1", db)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("实际利用外资599万美元，同比下降85.6%", body)
        self.assertIn("全部为增资项目，没有新注册外资项目，后继增长乏力。", body)
        self.assertNotIn("开放招商工作取得一定成效", body)

    def test_new_foreign_project(self):
        db = self.copy_db()
        self.sql(db, "UPDATE projects SET is_foreign = 1, fdi_contract = 900 WHERE project_id = 'SQ2015011'")
        body, _ = self.text("2015-H1", db)
        self.assertNotIn("没有新上外资项目", body)
        self.assertNotIn("没有新批外商投资企业", body)
        self.assertIn("实际利用外资滞后于序时进度。", body)
        self.assertIn("合同利用外资3695万美元，其中增资项目2795万美元", body)

    def test_even_counties(self):
        db = self.copy_db()
        self.sql(db, "UPDATE project_funds SET domestic_funds = 1000 WHERE month LIKE '2015-%'")
        body, _ = self.text("2015-H1", db)
        self.assertNotIn("县（区）之间差距较大", body)

    def test_a_department_signs(self):
        db = self.copy_db()
        self.sql(db, "UPDATE projects SET stage = '签约', signed_date = '2015-05-10', county = "
                     "'411402000000' WHERE project_id = 'SQ2015036'")  # 万达广场, 市住建局
        body, _ = self.text("2015-H1", db)
        self.assertIn("24个市直单位中有23个尚未签约", body)
        self.assertIn("7个专题招商组均尚无签约项目", body)
        self.assertIn("表4　已有签约项目的专题招商组和市直单位目标任务完成情况", body)
        self.assertRegex(body, r"\| 市住建局 \| 引进3亿元以上项目 \| 1 \| 1 \| 已完成 \|")
        self.assertNotIn("万达广场（市住建局）", body)  # no longer being negotiated

    def test_leading_industry_projects(self):
        db = self.copy_db()
        self.sql(db, "UPDATE projects SET industry = '制冷家电' WHERE project_id = 'SQ2015002'")
        body, _ = self.text("2015-H1", db)
        self.assertIn("民权县要围绕制冷家电产业招商。2015年上半年签约的4个项目均属于主导产业：", body)
        self.assertNotIn("王巢酒业（白酒酿造）", body)


class TestOtherDataset(InvestCase):
    """Another city: other county names, industries and channels, no thematic
    groups, one county fewer. Nothing of the demo's names may appear."""

    def build(self):
        db = self.copy_db("other.db")
        ren = {"梁园区": "东城区", "睢阳区": "西城区", "民权县": "北山县", "睢县": "南河县",
               "宁陵县": "青石县", "柘城县": "白水县", "虞城县": "红岭县", "夏邑县": "金沙县",
               "示范区": "高新区"}
        for old, new in ren.items():
            self.sql(db, "UPDATE regions SET name = ? WHERE name = ?", (new, old))
            for table, col in (("units", "name"), ("projects", "unit"), ("targets", "unit")):
                self.sql(db, f"UPDATE {table} SET {col} = ? WHERE {col} = ?", (new, old))
        self.sql(db, "UPDATE regions SET name = '江州市' WHERE code = '411400000000'")
        chan = {"以商招商": "驻点招商", "老乡招商": "乡贤招商", "商会招商": "协会招商", "业务招商": "部门招商"}
        for old, new in chan.items():
            self.sql(db, "UPDATE projects SET channel = ? WHERE channel = ?", (new, old))
        self.sql(db, "UPDATE regions SET industries = '装备制造、新能源' WHERE name = '北山县'")
        self.sql(db, "UPDATE projects SET industry = '装备制造' WHERE industry = '制冷家电'")
        self.sql(db, "UPDATE projects SET industry = '新能源' WHERE project_id = 'SQ2015011'")
        # no thematic groups; 金沙县 merged away
        self.sql(db, "DELETE FROM targets WHERE unit IN (SELECT name FROM units WHERE kind = '专题招商组')")
        self.sql(db, "DELETE FROM projects WHERE unit IN (SELECT name FROM units WHERE kind = '专题招商组')")
        self.sql(db, "DELETE FROM units WHERE kind = '专题招商组'")
        self.sql(db, "DELETE FROM project_funds WHERE project_id IN (SELECT project_id FROM projects "
                     "WHERE unit = '金沙县')")
        self.sql(db, "DELETE FROM projects WHERE unit = '金沙县'")
        self.sql(db, "DELETE FROM targets WHERE unit = '金沙县'")
        self.sql(db, "DELETE FROM units WHERE name = '金沙县'")
        return db, list(ren.values())

    def test_other_city(self):
        db, counties = self.build()
        for period in ("2015-H1", "2015-Q3", "2015-05", "2015"):
            with self.subTest(period=period):
                body, p = self.text(period, db)
                self.assertEqual(p.returncode, 0, p.stderr)
                for demo_word in ["商丘", "梁园区", "夏邑县", "以商招商", "老乡招商", "商会招商",
                                  "业务招商", "专题招商组", "制冷家电"]:
                    self.assertNotIn(demo_word, body, period)
                self.assertTrue(body.startswith("# 江州市"))
                self.assertIn("北山县要围绕装备制造、新能源产业招商。", body)
                self.assertIn("24个市直单位均尚无签约项目", body)
                out, p = self.draft(period, db, "md", "--appendix")
                self.assertNotIn("提示", p.stderr)
                assert_provenance(self, out)
        body, _ = self.text("2015-H1", db)
        by = self.indicator(db, "签约项目数", "2015-H1", by="channel")
        part = body[body.index("（三）创新招商方式"):]
        for g in by["groups"]:
            if g["value"]:
                self.assertIn(f"{g['key']}{g['value']}个", part)
        self.assertIn("北山县要围绕装备制造、新能源产业招商。2015年上半年签约的4个项目中，主导产业项目3个：冷柜配件项目、青岛奥莱克斯电器、"
                      "台资制冷压缩机项目增资；主导产业以外的项目1个：王巢酒业（白酒酿造）", body)


if __name__ == "__main__":
    unittest.main()
