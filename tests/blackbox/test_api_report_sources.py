"""Black-box tests of a drafted report's sources as the 报告 page uses them
(GET /api/report/draft, web/api_report.c) on the real `taizhang serve`:
report B (investment) for 商丘市 2015-Q3 has figures over 1 January to
30 September (ytd) and target values (target); the page asks
GET /api/indicators/{name} with a ytd figure's source plus ytd=1 and must
get the rows of 1 January to 30 September, as sqlite3 counts them; a
target figure's source says target and carries the target's words.
"""
import html.parser
import sqlite3
import unittest
import urllib.parse

from serverlib import CITY, PASSWORD, Fixture, Server

Q = {"kind": "investment", "region": CITY, "period": "2015-Q3"}


class _Figs(html.parser.HTMLParser):
    """The attributes of the tz-fig elements of a draft's HTML, by data-ref."""

    def __init__(self):
        super().__init__()
        self.figs = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "data-ref" in a:
            self.figs.setdefault(a["data-ref"], a)


class TestReportSources(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fx = Fixture("sqlite", "repsrc", accounts=[("city_view", "查看", CITY, None)])
        cls.srv = Server(cls.fx.db).start()
        cls.c = cls.srv.client()
        cls.c.login("city_view", PASSWORD)
        r = cls.c.get("/api/report/draft", Q)
        assert r.status == 200, r
        cls.j = r.json()
        p = _Figs()
        p.feed(cls.j["html"])
        cls.figs = p.figs

    @classmethod
    def tearDownClass(cls):
        cls.c.close()
        cls.srv.stop()
        cls.fx.cleanup()

    def ind(self, src, **extra):
        q = {k: src[k] for k in ("region", "unit", "period", "mode") if src[k] is not None}
        q.update(extra)
        return self.c.get("/api/indicators/" + urllib.parse.quote(src["indicator"], safe=""), q)

    def test_ytd_figure_opens_1_january_to_period_end(self):
        src = next(s for s in self.j["sources"]
                   if s["ytd"] and s["indicator"] == "引进3亿元以上工业项目数" and s["unit"])
        self.assertEqual(src["period"], "2015-Q3")
        self.assertFalse(src["target"])
        self.assertEqual(self.figs[src["id"]].get("data-ytd"), "1")
        r = self.ind(src, ytd=1, explain=1)
        self.assertEqual(r.status, 200, r)
        j = r.json()
        with sqlite3.connect(self.fx.db) as db:
            want = sorted(k for (k,) in db.execute(
                "SELECT project_id FROM projects WHERE signed_date BETWEEN ? AND ? AND "
                "investment >= 3 AND industrial = 1 AND unit = ?",
                ("2015-01-01", "2015-09-30", src["unit"])))
            q3 = db.execute(
                "SELECT COUNT(*) FROM projects WHERE signed_date BETWEEN ? AND ? AND "
                "investment >= 3 AND industrial = 1 AND unit = ?",
                ("2015-07-01", "2015-09-30", src["unit"])).fetchone()[0]
        self.assertNotEqual(len(want), q3)  # the quarter alone is a different set
        self.assertEqual(sorted(r["key"] for r in j["rows"]), want)
        self.assertEqual(j["value"], len(want))
        self.assertEqual(src["text"], f"{len(want)}个")
        self.assertEqual((j["period"]["start"], j["period"]["end"]), ("2015-01-01", "2015-09-30"))
        # without ytd the same source is the quarter's rows only
        r = self.ind(src, explain=1)
        self.assertEqual(len(r.json()["rows"]), q3)

    def test_ytd_errors_are_chinese_and_named(self):
        src = next(s for s in self.j["sources"] if s["ytd"])
        r = self.ind(src, ytd="2")
        self.assertEqual(r.status, 400, r)
        self.assertIn("参数 ytd", r.json()["error"])
        r = self.ind(dict(src, mode="todate"), ytd="1")
        self.assertEqual(r.status, 400, r)
        self.assertIn("ytd=1 只能与 mode=period", r.json()["error"])

    def test_target_figure_says_target_and_its_origin(self):
        src = next(s for s in self.j["sources"] if s["target"] and s["text"] == "50个")
        self.assertFalse(src["ytd"])
        self.assertEqual((src["indicator"], src["period"]), ("引进3亿元以上项目数", "2015"))
        self.assertEqual(self.figs[src["id"]].get("data-target"), "1")
        self.assertIn("目标任务：商丘市，2015年", src["note"])
        self.assertIn("目标值：50个", src["note"])
        self.assertIn("默认规则", src["note"])
        unit = next(s for s in self.j["sources"] if s["target"] and s["unit"] == "梁园区")
        self.assertIn("来源：目标任务台账", unit["note"])
        # an indicator's figure has no target words
        plain = next(s for s in self.j["sources"] if not s["target"])
        self.assertIsNone(plain["note"])
        self.assertNotIn("data-target", self.figs[plain["id"]])

    def test_calc_figure_lists_every_input_and_how(self):
        # a growth "增长…%" is a calc() of this year's window and last year's:
        # two sources of one figure, one how
        growth = [s for s in self.j["sources"] if s["text"].startswith("增长") and s["how"]]
        self.assertTrue(growth, self.j["sources"][:5])
        srcs = [s for s in self.j["sources"] if s["id"] == growth[0]["id"]]
        self.assertEqual(len(srcs), 2, srcs)
        self.assertEqual(len({s["how"] for s in srcs}), 1, srcs)
        self.assertIn("÷", srcs[0]["how"])
        self.assertEqual(sorted(s["period"][:4] for s in srcs), ["2014", "2015"], srcs)
        self.assertTrue(all(s["ytd"] for s in srcs), srcs)

if __name__ == "__main__":
    unittest.main()
