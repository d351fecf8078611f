"""Black-box tests of report A (templates/poverty-work.lua), issue 11: the
户户通 sentences count against one definition of the task (metrics'
户户通任务户数), the "其中" lists add up or say that households overlap, the
evaluative sentences follow the data (the closing claim flips with 卢尧村's
贫困发生率), the wording rules, and other periods and changed data draft
with sentences that stay true. Each test drafts with the real binary and
checks the text against `taizhang indicator` and against sqlite3."""
import json
import os
import re
import shutil
import sqlite3
import tempfile
import unittest

import appendix_check
from tzlib import SharedDemo, TzCase, run

COUNTY = "411628"
LUYAO = "411628101201"
UNIT = "县文化广电旅游局"

_demo = SharedDemo("tz-pov-")
demo_db = _demo.get
tearDownModule = _demo.cleanup


def a_args(period):
    return ["--kind", "poverty-work", "--region", COUNTY, "--unit", UNIT, "--period", period]


def indicator(db, name, period, unit=None, mode=None):
    args = ["indicator", db, name, "--region", COUNTY, "--period", period, "--json"]
    if unit:
        args += ["--unit", unit]
    if mode:
        args += ["--mode", mode]
    return json.loads(run(*args, check=0).stdout)["value"]


def plain(md):
    """The body of a drafted .md without figure links or the appendix."""
    body = md.split("\n---\n")[0]
    body = re.sub(r"\[([^\]]*)\]\(#F\d+\)", r"\1", body)
    return body.replace("\\.", ".")


def para_with(body, needle):
    for p in body.split("\n"):
        if needle in p:
            return p
    return None


class PovertyCase(TzCase):
    def draft(self, period, db=None, name="a.md", appendix=True):
        out = self.path(name)
        extra = ["--appendix"] if appendix else []
        p = run("report", db or demo_db(), *a_args(period), "-o", out, *extra, check=0)
        self.assertNotIn("模板", p.stderr, p.stderr)  # no template warning
        with open(out, encoding="utf-8") as f:
            return f.read(), p

    def copy_db(self, sql=()):
        db = self.path("changed.db")
        shutil.copy(demo_db(), db)
        con = sqlite3.connect(db)
        for s in sql:
            con.execute(s)
        con.commit()
        con.close()
        return db


class TestTvTask(PovertyCase):
    """Item 2: "完成了核定任务" and "尚未安装" from one definition of the task."""

    def test_definition_by_sqlite(self):
        # the households outside the task left poverty; the task's own are still poor
        con = sqlite3.connect(demo_db())
        no_install = ("NOT EXISTS (SELECT 1 FROM tv_installs t WHERE t.hh_id = h.hh_id "
                      "AND t.install_date <= '2019-12-31')")
        left = con.execute("SELECT COUNT(*) FROM households h WHERE h.village LIKE '411628%' "
                           "AND h.year_identified <= 2019 AND (h.year_exited IS NULL OR "
                           "h.year_exited > 2019) AND " + no_install).fetchone()[0]
        gone = con.execute("SELECT COUNT(*) FROM households h WHERE h.village LIKE '411628%' "
                           "AND h.year_exited <= 2019 AND " + no_install).fetchone()[0]
        con.close()
        self.assertEqual((left, gone), (494, 3154))
        self.assertEqual(indicator(demo_db(), "户户通任务未安装户数", "2019"), left)
        self.assertEqual(indicator(demo_db(), "已脱贫未安装户户通户数", "2019"), gone)
        self.assertEqual(indicator(demo_db(), "户户通任务未安装户数", "2019")
                         + indicator(demo_db(), "已脱贫未安装户户通户数", "2019"),
                         indicator(demo_db(), "未安装户户通贫困户数", "2019"))

    def test_sentences_agree(self):
        md, _ = self.draft("2019")
        body = plain(md)
        left = indicator(demo_db(), "户户通任务未安装户数", "2019")
        task = indicator(demo_db(), "户户通任务户数", "2019")
        self.assertIn("我局2018年安装4809户，2019年安装3543户，均完成了年度核定任务。", body)
        self.assertIn(f"户户通任务以尚未脱贫的建档立卡贫困户为对象。截至2019年底，全县未脱贫的"
                      f"建档立卡贫困户{task}户，其中还有{left}户尚未安装", body)
        self.assertIn(f"未脱贫的建档立卡贫困户中还有{left}户尚未安装电视信号户户通", body)
        # every "尚未安装" count in the body is the task's own
        for n in re.findall(r"(\d+)户(?:建档立卡贫困户)?尚未安装", body):
            self.assertEqual(int(n), left)
        self.assertNotIn("3648户", body)

    def test_quota_missed_is_said(self):
        db = self.copy_db(["UPDATE targets SET value = 4000 WHERE indicator = '户户通安装户数' "
                           "AND year = 2019"])
        body = plain(self.draft("2019", db=db)[0])
        self.assertNotIn("均完成了", body)
        self.assertIn("2019年核定任务4000户，完成88.6%", body)

    def test_in_year_progress_is_a_share(self):
        for period, words in (("2019-H1", "2019年上半年"), ("2019-Q3", "2019年1至9月")):
            with self.subTest(period=period):
                body = plain(self.draft(period)[0])
                n = indicator(demo_db(), "户户通安装户数", period, mode="todate") - 4809
                self.assertIn(f"2018年安装4809户，完成了当年核定任务；{words}安装{n}户，"
                              f"完成全年核定任务3543户的", body)
                self.assertNotIn("均完成了", body)
                left = indicator(demo_db(), "户户通任务未安装户数", period)
                self.assertIn(f"其中还有{left}户尚未安装", body)


class TestParts(PovertyCase):
    """Item 3: the 其中 parts add up, or the text says households overlap."""

    def helped(self, body):
        p = para_with(body, "贫困户改善生产生活条件")
        self.assertIsNotNone(p)
        m = re.search(r"帮助(\d+)户贫困户改善生产生活条件，(.*?)(?:。|$)", p)
        total, rest = int(m.group(1)), m.group(2)
        parts = [int(x) for x in re.findall(r"(\d+)户", rest)]
        return total, rest, parts

    def test_overlap_is_said(self):
        md, _ = self.draft("2019")
        total, rest, parts = self.helped(plain(md))
        self.assertEqual(total, indicator(demo_db(), "帮扶到户户数", "2019", unit=UNIT,
                                          mode="todate"))
        self.assertEqual(len(parts), 5)
        self.assertEqual(sum(parts), 49)
        self.assertIn("部分户享受多项帮扶", rest)
        self.assertNotIn("其中", rest)
        # each part is a figure with its own appendix entry
        for label in ("房屋修缮", "添置电视、床、柜、桌椅", "安装自来水", "购置成品母羊", "购置鸡苗"):
            m = re.search(re.escape(label) + r"\[\d+户\]\(#(F\d+)\)", md)
            self.assertIsNotNone(m, label)
            entry = re.search(r'id="%s"></a>(.*)' % m.group(1), md).group(1)
            self.assertIn("帮扶到户户数", entry)

    def test_parts_add_up_without_overlap(self):
        # one row per household: each is counted once, the parts sum to the total
        db = self.copy_db(["DELETE FROM aid_inputs WHERE hh_id IS NOT NULL AND input_id NOT IN "
                           "(SELECT MIN(input_id) FROM aid_inputs WHERE hh_id IS NOT NULL "
                           "GROUP BY hh_id)"])
        total, rest, parts = self.helped(plain(self.draft("2019", db=db)[0]))
        self.assertEqual(sum(parts), total)
        self.assertTrue(rest.startswith("其中"), rest)
        self.assertNotIn("部分户享受多项帮扶", rest)


class TestClaims(PovertyCase):
    """Item 4: the closing claim of 三 holds only below the exit threshold."""

    CLAIM = "为确保全面打赢脱贫攻坚战打下了坚实的基础"

    def test_luyao_above_threshold(self):
        body = plain(self.draft("2019")[0])
        self.assertNotIn(self.CLAIM, body)
        self.assertIn("但截至2019年底，我局帮扶的卢尧村贫困发生率为3.41%，仍未降到退出标准（2%）以下", body)
        self.assertRegex(body, r"\d\.按照中共中央办公厅、国务院办公厅《关于建立贫困退出机制的意见》，"
                               r"贫困村贫困发生率降到2%以下方可退出，截至2019年底我局帮扶的卢尧村"
                               r"贫困发生率为3\.41%")
        self.assertIn("加大对卢尧村的帮扶力度", body)

    def test_claim_flips_with_the_data(self):
        # every household of 卢尧村 still poor at the end of 2019 exits in 2019
        db = self.copy_db([f"UPDATE households SET year_exited = 2019 WHERE village = '{LUYAO}' "
                           "AND (year_exited IS NULL OR year_exited > 2019)"])
        self.assertEqual(run("indicator", db, "贫困发生率(%)", "--region", LUYAO, "--period",
                             "2019", "--json", check=0).stdout.count('"value": 0'), 1)
        body = plain(self.draft("2019", db=db)[0])
        self.assertIn(self.CLAIM, body)
        self.assertNotIn("卢尧村贫困发生率", body)
        self.assertNotIn("加大对卢尧村的帮扶力度", body)

    def test_no_claim_without_population(self):
        # no 户籍人口 rows for 卢尧村: its 贫困发生率 is unknown, nothing is claimed
        db = self.copy_db([f"DELETE FROM populations WHERE village = '{LUYAO}'"])
        body = plain(self.draft("2019", db=db)[0])
        self.assertNotIn(self.CLAIM, body)
        self.assertNotIn("卢尧村贫困发生率", body)


class TestWording(PovertyCase):
    """Item 10 (and 9's template side): the rules on the drafted text."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="tz-pov-w-")
        out = os.path.join(cls.tmp, "a.md")
        run("report", demo_db(), *a_args("2019"), "-o", out, "--appendix", check=0)
        with open(out, encoding="utf-8") as f:
            cls.body = plain(f.read())

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def sentences(self):
        return [s for s in re.split(r"[。：\n]", self.body) if s.strip()]

    def test_no_etc_after_complete_lists(self):
        # the programmes, forms, items and contests named are all there are
        for s in ("《扶贫路上》等", "坠子等", "乐器等", "花池等", "唢呐大赛等"):
            self.assertNotIn(s, self.body)
        self.assertIn("有小品、歌曲、相声和坠子", self.body)

    def test_one_name_for_the_centres(self):
        text = "\n".join(p for p in self.body.split("\n") if not p.startswith("#"))
        self.assertEqual(text.count("村级综合性文化服务中心"), 1)
        self.assertIn("村级综合性文化服务中心（以下简称文化服务中心）", text)
        for variant in ("村级文化服务中心", "村级综合性文化中心", "行政村综合性文化服务中心",
                        "行政村文化中心", "村级文化中心"):
            self.assertNotIn(variant, text)

    def test_no_bare_present_or_short_years(self):
        self.assertNotIn("均还没有", self.body)
        for m in re.finditer("目前", self.body):
            self.assertEqual(self.body[m.start() - 2:m.start()], "截至", self.body[m.start() - 20:m.end()])
        self.assertNotRegex(self.body, r"(?<!\d)\d{2}、\d{2}年")
        self.assertIn("2018、2019年建成的336个文化服务中心", self.body)

    def test_numerals_consistent(self):
        for s in self.sentences():
            if re.search(r"\d+个", s):
                self.assertNotRegex(s, r"[一两二三四五六七八九]个(?!月)", s)
            if re.search(r"\d+(?:多|余)?(?:场次|人次)", s):
                self.assertNotRegex(s, r"[一二三四五六七八九十百千]+[多余]?万?(?:场次|人次)", s)

    def test_no_doubled_phrase(self):
        # a clause word said twice in one sentence ("按照…，按照…", "尚未脱贫…尚未安装")
        for s in re.split(r"[。；\n]", self.body):
            for w in ("按照", "尚未", "还有", "目前", "全部", "均"):
                self.assertLessEqual(s.count(w), 1, s)

    def test_third_level_ordinals(self):
        self.assertRegex(self.body, r"\n1\.按照")
        self.assertNotRegex(self.body, r"\n\d、")


class TestPeriodsAndData(PovertyCase):
    """Other periods and changed data draft, and their sentences stay true."""

    def test_periods(self):
        for period in ("2016", "2017", "2018", "2019-H1", "2019-Q3", "2019-03", "2019"):
            with self.subTest(period=period):
                md, p = self.draft(period, name=f"a{period}.md")
                self.assertIn("校对未发现问题", p.stdout)
                # every number printed has its entry, whose 计算值 is the number
                self.assertEqual(appendix_check.problems(md), [])
                body = plain(md)
                left = indicator(demo_db(), "户户通任务未安装户数", period)
                for n in re.findall(r"还有(\d+)户尚未安装", body):
                    self.assertEqual(int(n), left)
                if period in ("2016", "2017"):
                    self.assertNotIn("核定任务", body)  # no quota before 2018

    def test_changed_data(self):
        # no targets, no populations, no aid to households: still a draft,
        # and no sentence about what is not there
        db = self.copy_db(["DELETE FROM targets", "DELETE FROM populations",
                           "DELETE FROM aid_inputs WHERE hh_id IS NOT NULL"])
        md = self.draft("2019", db=db)[0]
        self.assertEqual(appendix_check.problems(md), [])
        body = plain(md)
        self.assertNotIn("核定任务", body)
        self.assertNotIn("目标任务", body)
        self.assertNotIn("贫困发生率", body)
        self.assertNotIn("帮助", body)
        self.assertNotIn(TestClaims.CLAIM, body)


if __name__ == "__main__":
    unittest.main()
