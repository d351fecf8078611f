"""Black-box tests of the 首页 (GET /api/dashboard) and GET /api/check on the
real `taizhang serve` with the demo data: the targets are judged by metrics
against the time schedule (时序进度), and the dashboard adds nothing of its
own: its "rate" and "time_progress" are metrics' progress and schedule in
percent, its status and counts are check's."""
import unittest

from serverlib import CITY, PASSWORD, Fixture, Server

ACCOUNTS = [("city_view", "查看", CITY, None)]
_SHARED = {}
WORDS = {"已完成", "未完成", "力争", "超序时进度", "达到序时进度", "滞后于序时进度"}


def setUpModule():
    fx = Fixture("sqlite", "sched", accounts=ACCOUNTS)
    srv = Server(fx.db).start()
    c = srv.client()
    c.login("city_view", PASSWORD)
    _SHARED.update(fx=fx, srv=srv, c=c)


def tearDownModule():
    _SHARED["c"].close()
    _SHARED["srv"].stop()
    _SHARED["fx"].cleanup()


class TestDashboardSchedule(unittest.TestCase):
    def get(self, path, q):
        r = _SHARED["c"].get(path, q)
        self.assertEqual(r.status, 200, r)
        return r.json()

    def test_half_year_judged_against_the_schedule(self):
        q = {"region": CITY, "period": "2015-H1"}
        d = self.get("/api/dashboard", q)
        chk = self.get("/api/check", q)
        self.assertEqual(d["summary"], chk["summary"])
        for k in ("ahead", "on_schedule", "behind", "met", "not_met", "aspirations"):
            self.assertIsInstance(d["summary"][k], int, k)
        self.assertEqual(d["summary"]["not_met"], 0)  # no 未完成 before the year's end
        for t, c in zip(d["targets"], chk["targets"]):
            self.assertIn(t["status"], WORDS)
            self.assertEqual(t["status"], c["status"])
            self.assertEqual(t["time_progress"], 50)
            self.assertEqual(t["schedule"], 0.5)
            if t["progress"] is None:
                self.assertIsNone(t["rate"])
            else:
                self.assertAlmostEqual(t["rate"], t["progress"] * 100, places=3)
        mq = [t for t in d["targets"] if t["unit"] == "民权县" and
              t["indicator"] == "实际利用外资(万美元)"]
        self.assertEqual(len(mq), 1)
        self.assertEqual((mq[0]["status"], mq[0]["failed"]), ("超序时进度", False))
        self.assertAlmostEqual(mq[0]["rate"], 2200 / 3410 * 100, places=3)
        # the counties' own targets in the completion chart carry the same status
        kids = {i["name"]: i for i in d["children"]["items"]}
        own = [t for t in kids["民权县"]["targets"] if t["indicator"] == "实际利用外资(万美元)"]
        self.assertEqual(own[0]["status"], "超序时进度")

    def test_month_and_year_end(self):
        d = self.get("/api/dashboard", {"region": CITY, "period": "2015-07"})
        self.assertTrue(all(abs(t["time_progress"] - 700 / 12) < 1e-3 for t in d["targets"]))
        d = self.get("/api/dashboard", {"region": CITY, "period": "2015"})
        self.assertTrue(d["targets"])
        self.assertTrue(all(t["status"] in ("已完成", "未完成", "力争") for t in d["targets"]))
        self.assertTrue(all(t["year_end"] for t in d["targets"]))
        self.assertEqual(d["summary"]["behind"] + d["summary"]["ahead"] +
                         d["summary"]["on_schedule"], 0)


if __name__ == "__main__":
    unittest.main()
