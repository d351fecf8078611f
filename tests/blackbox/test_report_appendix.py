"""Black-box tests of the provenance of a drafted report (issue 11, item 8;
INTERFACES11 I2): calc(), targets()' sources, fig()'s check of the printed
number, table()'s check of numbers without a figure, the 附件's 计算值 (the
number as printed), regions and units by name, default targets, and the
checker (appendix_check.py) that every number of the body has its entry.
Templates are small files of this module, drafted with --templates."""
import json
import os
import re
import shutil
import tempfile
import unittest

import appendix_check
from tzlib import SharedDemo, TzCase, run

_demo = SharedDemo("tz-prov-")
demo_db = _demo.get
tearDownModule = _demo.cleanup

HEAD = """local R = report {
  kind = "%s",
  title = "来源测试",
  scope = { level = "市" },
  indicators = { "实际利用外资(万美元)", "签约项目数", "签约项目总投资(亿元)" },
}
title(R.region_name .. "来源测试")
local fdi, fdi_src = ind("实际利用外资(万美元)", { mode = "ytd" })
local inv, inv_src = ind("签约项目总投资(亿元)")
local n, n_src = ind("签约项目数")
local function target(unit, name)
  for _, t in ipairs(targets({})) do
    if t.unit == unit and t.indicator == name then return t end
  end
  error("没有目标 " .. unit .. name)
end
"""

# Every number linked: the checker and the drafter find nothing.
CLEAN = HEAD % "prov-clean" + """
local city = target(R.region_name, "实际利用外资(万美元)")
local mq = target("民权县", "实际利用外资(万美元)")
local big = target(R.region_name, "引进3亿元以上项目数")
para("实际利用外资", fig(num(fdi, "万美元"), fdi_src), "，签约项目", fig(num(n, "个"), n_src),
  "，总投资", fig(num(inv, "亿元", 1), inv_src), "。")
para("完成全年目标", fig(num(city.target, "万美元"), city.target_src), "的",
  calc(pct(city.actual / city.target, 1), city.actual / city.target * 100,
    "实际利用外资" .. num(city.actual, "万美元") .. "÷全年目标任务" .. num(city.target, "万美元"),
    city.src, city.target_src), "。")
para("民权县完成", fig(num(mq.actual, "万美元"), mq.src), "，目标", fig(num(mq.target, "万美元"), mq.target_src),
  "；全市3亿元以上项目目标", fig(num(big.target, "个"), big.target_src), "。")
para("平均每个项目", calc(num(inv / n, "亿元", 2), inv / n, "签约项目总投资÷签约项目数", inv_src, n_src), "。")
table("表1　签约情况", { "项目", "个数", "总投资（亿元）" },
  { { "合计", fig(num(n), n_src), fig(num(inv, "", 1), inv_src) } })
-- mode "ytd" is 1 January to the period's end
local h1 = ind("实际利用外资(万美元)", { period = "2015-H1" })
local q3 = ind("实际利用外资(万美元)", { period = "2015-Q3" })
if math.abs(fdi - (h1 + q3)) > 1e-6 then error("ytd 不是 1 至 9 月之和") end
"""

# Numbers that are not what their source says, and a table number without one.
WARN = HEAD % "prov-warn" + """
para("写错的数", fig("100万美元", fdi_src), "。")
para("算错的数", calc("2.9倍", 3.4, "甲÷乙", fdi_src, n_src), "。")
para("同一来源", fig(num(fdi, "万美元"), fdi_src), "，平均", calc("10万美元", 10, "假定的平均数", fdi_src), "，共有7个县。")
table("表9　无来源", { "县区", "个数", "年度" }, { { "梁园区", "12", "2015年" } })
"""

# One figure from a "ytd" source and from a period source.
YTD = HEAD % "prov-ytd" + """
local p1, p1_src = ind("实际利用外资(万美元)")
para("上半年实际利用外资", fig(num(fdi, "万美元"), fdi_src), "，即", fig(num(p1, "万美元"), p1_src), "。")
"""

# Many figures, each written twice, and targets() called twice: every
# figure and target keeps one entry through the run's index growing.
MANY = HEAD % "prov-many" + """
local out = {}
for i = 1, 300 do
  local w = calc(num(i, "个"), i, "第" .. i .. "个", n_src)
  out[#out + 1] = w
  out[#out + 1] = calc(num(i, "个"), i, "第" .. i .. "个", n_src)
end
for _ = 1, 2 do
  for _, t in ipairs(targets({})) do out[#out + 1] = fig(num(t.target, "", 2), t.target_src) end
end
para(out)
"""

NO_NUMBER = HEAD % "prov-nonum" + """
para(calc("很多", 3, "甲÷乙", fdi_src))
"""

# Every target's actual, written from its src: no warning means src
# reproduces the actual for every target, unit or region-wide.
TARGETS = HEAD % "prov-targets" + """
local rows = {}
for _, t in ipairs(targets({})) do
  assert(type(t.status) == "string" and t.status ~= "", "status")
  assert(type(t.schedule) == "number", "schedule")
  assert(type(t.year_end) == "boolean" and type(t.failed) == "boolean", "booleans")
  assert(type(t.origin) == "string", "origin")
  assert(t.progress == nil or type(t.progress) == "number", "progress")
  assert(t.behind == nil or (type(t.behind) == "number" and t.behind ~= 0), "behind")
  if t.unit == R.region_name then
    warn("目标|", t.indicator, "|", t.schedule, "|", tostring(t.year_end), "|", t.status, "|",
      tostring(t.failed), "|", tostring(t.behind))
  end
  rows[#rows + 1] = { t.unit, t.indicator, t.actual and fig(num(t.actual, "", 2), t.src) or "—",
    fig(num(t.target, "", 2), t.target_src), t.status, t.year_end and "年末" or "年中",
    t.failed and "未完成" or "—" }
end
table("表1　目标任务", { "单位", "指标", "完成", "目标", "状态", "时点", "判断" }, rows)
"""


def entry(md, text):
    """The appendix entry of the figure written text."""
    m = re.search(r'id="(F\d+)"></a>F\d+　“' + re.escape(text) + "”：(.*)", md)
    return m.group(2) if m else None


class ProvCase(TzCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="tz-provt-")
        for name, src in [("prov-clean", CLEAN), ("prov-warn", WARN), ("prov-nonum", NO_NUMBER),
                          ("prov-ytd", YTD), ("prov-many", MANY),
                          ("prov-targets", TARGETS)]:
            with open(os.path.join(cls.dir, name + ".lua"), "w", encoding="utf-8") as f:
                f.write(src)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def draft(self, kind, period="2015-Q3", check=0, region="411400"):
        out = self.path(kind + ".md")
        p = run("report", demo_db(), "--kind", kind, "--templates", self.dir, "--region", region,
                "--period", period, "--appendix", "-o", out, check=check)
        md = None
        if os.path.exists(out):
            with open(out, encoding="utf-8") as f:
                md = f.read()
        return md, p


class TestCalcAndFig(ProvCase):
    def test_clean_report_has_every_entry(self):
        md, p = self.draft("prov-clean")
        self.assertNotIn("提示", p.stderr)
        self.assertEqual(appendix_check.problems(md), [])

    def test_calc_entry_gives_value_how_and_inputs(self):
        md, _ = self.draft("prov-clean")
        m = re.search(r"完成全年目标\[([^\]]+)\]\(#F\d+\)的\[([^\]]+)\]", md)
        target_text, pct_text = m.group(1), m.group(2)
        e = entry(md, pct_text)
        self.assertIsNotNone(e, md)
        self.assertTrue(e.startswith("计算值：%s；算法：实际利用外资" % pct_text), e)
        self.assertIn("÷全年目标任务" + target_text, e)
        self.assertIn("（1）指标“实际利用外资(万美元)”，范围：商丘市，期间：2015年1至9月，指标值：", e)
        self.assertIn("（2）目标任务：商丘市，2015年“实际利用外资(万美元)”，目标值：", e)

    def test_ytd_window_words(self):
        md, _ = self.draft("prov-clean")
        m = re.search(r"实际利用外资\[([^\]]+)\]", md)
        e = entry(md, m.group(1))
        self.assertIn("期间：2015年1至9月，计算值：%s；" % m.group(1), e)

    def test_ytd_of_a_period_from_january_is_the_period(self):
        # 2015-H1 from 1 January to date is 2015-H1: the same figure from a
        # "ytd" source (as targets()' src) and from a period source is one entry
        md, p = self.draft("prov-ytd", period="2015-H1")
        m = re.search(r"上半年实际利用外资\[([^\]]+)\]\(#(F\d+)\)，即\[([^\]]+)\]\(#(F\d+)\)", md)
        self.assertIsNotNone(m, md)
        self.assertEqual(m.group(1), m.group(3))
        self.assertEqual(m.group(2), m.group(4))
        self.assertEqual(len(re.findall(r'<a id="F\d+"></a>', md)), 1, md)
        self.assertIn("期间：2015年上半年，计算值：%s" % m.group(1), entry(md, m.group(1)))

    def test_repeated_figures_and_targets_keep_one_entry(self):
        md, p = self.draft("prov-many")
        lines, _ = appendix_check.split_body(md)
        refs = re.findall(r"\[([^\]]+)\]\(#(F\d+)\)", "\n".join(lines))
        ids = [r for _, r in refs]
        self.assertEqual(len(ids[:600]), 600)
        for k in range(300):  # each calc() twice: one id, 300 ids in all
            self.assertEqual(ids[2 * k], ids[2 * k + 1])
        self.assertEqual(len(set(ids[:600])), 300)
        rest = ids[600:]
        half = len(rest) // 2
        self.assertGreater(half, 30)
        self.assertEqual(rest[:half], rest[half:])  # targets() twice: the same entries
        self.assertEqual(len(re.findall(r'<a id="F\d+"></a>', md)), len(set(ids)))

    def test_rounded_figure_names_exact_value(self):
        md, p = self.draft("prov-clean")
        m = re.search(r"总投资\[([^\]]+亿元)\]", md)
        e = entry(md, m.group(1))
        self.assertIn("计算值：%s" % m.group(1), e)

    def test_wrong_numbers_warn(self):
        md, p = self.draft("prov-warn")
        err = p.stderr
        self.assertRegex(err, r"prov-warn\.lua 第\d+行: 数字“100万美元”与指标“实际利用外资\(万美元\)”的计算值\d+万美元不符")
        self.assertRegex(err, r"calc\(\) 的数字“2\.9倍”与给出的值3\.4不符")
        self.assertIn("表“表9　无来源”第1行第2列的数字“12”没有来源", err)
        self.assertNotIn("第1行第3列", err)  # a year is not a figure
        self.assertNotIn("10万美元", err)  # calc() with its value: no warning

    def test_same_source_other_number_is_another_entry(self):
        md, _ = self.draft("prov-warn")
        whole = re.search(r"同一来源\[([^\]]+)\]\(#(F\d+)\)，平均\[10万美元\]\(#(F\d+)\)", md)
        self.assertIsNotNone(whole, md)
        self.assertNotEqual(whole.group(2), whole.group(3))
        self.assertTrue(entry(md, "10万美元").startswith("计算值：10万美元；算法：假定的平均数"))
        # the wrong figure's entry gives what was printed, and the true value beside it
        e = entry(md, "100万美元")
        self.assertRegex(e, r"计算值：100万美元（指标的精确值为\d+万美元）")

    def test_checker_finds_unlinked_numbers(self):
        md, _ = self.draft("prov-warn")
        found = appendix_check.problems(md)
        self.assertTrue(any("“12”" in x for x in found), found)
        self.assertTrue(any("“7”" in x for x in found), found)
        self.assertFalse(any("“2015”" in x for x in found), found)

    def test_checker_finds_wrong_entry_value(self):
        md, _ = self.draft("prov-clean")
        m = re.search(r"签约项目\[([^\]]+)\]\(#(F\d+)\)", md)
        text, ref = m.group(1), m.group(2)
        bad = md.replace('id="%s"></a>%s　“%s”：' % (ref, ref, text),
                         'id="%s"></a>%s　“%s”：计算值：999个；' % (ref, ref, text))
        self.assertEqual(appendix_check.problems(md), [])
        self.assertTrue(any(ref in x for x in appendix_check.problems(bad)))
        gone = re.sub(r'- <a id="%s"></a>.*\n' % ref, "", md)
        self.assertTrue(any("没有条目" in x for x in appendix_check.problems(gone)))

    def test_calc_without_number_is_an_error(self):
        md, p = self.draft("prov-nonum", check=1)
        self.assertRegex(p.stderr, r"prov-nonum\.lua 第\d+行.*calc\(\) 的文字“很多”中没有数字")


class TestTargets(ProvCase):
    def test_sources_reproduce_every_actual(self):
        for period in ("2015-H1", "2015-Q3", "2015-07", "2015"):
            md, p = self.draft("prov-targets", period=period)
            self.assertNotIn("不符", p.stderr, period)
            self.assertEqual(appendix_check.problems(md), [], period)

    def test_target_entries_by_name_and_default_rule(self):
        md, _ = self.draft("prov-clean")
        ents = "\n".join(l for l in md.split("\n") if 'id="F' in l)
        self.assertIn("目标任务：民权县（县区，商丘市民权县），2015年“实际利用外资(万美元)”，目标值：", ents)
        m = re.search(r"3亿元以上项目目标\[([^\]]+)\]", md)
        e = entry(md, m.group(1))
        self.assertIn("目标任务：商丘市，2015年“引进3亿元以上项目数”", e)
        self.assertIn("默认目标", e)
        self.assertIn("默认规则", e)
        self.assertNotRegex(ents, r"(?<!\d)41\d{4}(?:\d{6})?(?!\d)")  # no region codes

    def test_unit_scope_by_name(self):
        # a unit's target is measured over the unit's own rows: the entry
        # says which unit, not "全部地区（民权县）"
        md, _ = self.draft("prov-clean")
        m = re.search(r"民权县完成\[([^\]]+)\]", md)
        e = entry(md, m.group(1))
        self.assertIn("指标“实际利用外资(万美元)”，范围：责任单位民权县，期间：", e)
        self.assertNotIn("全部地区（", md)

    def _i1_landed(self):
        p = run("check", demo_db(), "--region", "411400", "--period", "2015-H1", "--json", check=None)
        return '"schedule"' in p.stdout

    def test_schedule_and_year_end(self):
        if not self._i1_landed():
            self.skipTest("metrics' 时序进度 (I1) not merged yet")
        for period, sched, year_end in (("2015-H1", 0.5, "false"), ("2015-07", 7 / 12, "false"),
                                        ("2015", 1, "true")):
            md, p = self.draft("prov-targets", period=period)
            rows = [l.split("|")[1:] for l in p.stderr.split("\n") if "目标|" in l]
            self.assertTrue(rows, p.stderr)
            for name, sch, ye, status, failed, behind in rows:
                self.assertAlmostEqual(float(sch), sched, places=9)
                self.assertEqual(ye, year_end)
                # failed is metrics' judgement: 未完成 and 滞后于序时进度 only
                self.assertEqual(failed == "true", status in ("未完成", "滞后于序时进度"), status)
                if status != "滞后于序时进度":
                    self.assertEqual(behind, "nil")
                if year_end == "true":
                    self.assertIn(status, ("已完成", "未完成", "力争"))


class TestRegionsByName(TzCase):
    def test_report_a_appendix_has_no_codes(self):
        out = self.path("a.md")
        run("report", demo_db(), "--kind", "poverty-work", "--region", "411628", "--unit",
            "县文化广电旅游局", "--period", "2019", "--appendix", "-o", out, check=0)
        with open(out, encoding="utf-8") as f:
            md = f.read()
        _, appendix = appendix_check.split_body(md)
        self.assertIn("数据来源", appendix)
        self.assertNotRegex(appendix, r"(?<!\d)4116\d{8}(?!\d)")


class TestShippedReports(TzCase):
    """Every number of both shipped reports has its entry, and they draft
    with no warning."""

    def check(self, args):
        out = self.path("r.md")
        p = run("report", demo_db(), *args, "--appendix", "-o", out, check=0)
        with open(out, encoding="utf-8") as f:
            found = appendix_check.problems(f.read())
        warnings = [l for l in p.stderr.split("\n") if l.startswith("提示")]
        self.assertEqual(found + warnings, [], "\n".join((found + warnings)[:60]))

    def test_report_a(self):
        self.check(["--kind", "poverty-work", "--region", "411628", "--unit", "县文化广电旅游局",
                    "--period", "2019"])

    def test_report_b(self):
        self.check(["--kind", "investment", "--region", "411400", "--period", "2015-H1"])


if __name__ == "__main__":
    unittest.main()
