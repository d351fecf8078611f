"""Black-box tests of the data-quality findings for inputs not recorded
(issue 10 item 4): a column the indicators or rules read that has rows with
no value (NULL: a file without that optional column) is one finding per
column and scope in `taizhang check` (text and --json) and in the API's
/api/check, with the exact count and what it affects; the
same from the summaries and from the ledgers, on SQLite and on PostgreSQL
(TZ_PG_URI). The NULLs are written straight into a real database built from
the demo data. A household without 贫困户属性 still counts in the totals
(in no kind's group), and the report prints no "(null)".
"""
import json
import os
import shutil
import subprocess
import unittest

from serverlib import PASSWORD, Fixture, Server, pg_base
from tzlib import BIN, ROOT, SharedDemo, TzCase, db_rows, run

demo_db = SharedDemo("tz-quality-")
tearDownModule = demo_db.cleanup

COUNTY = "411628000000"  # 鹿邑县
TOWN_A = "411628001000"  # 真源街道
TOWN_B = "411628002000"  # 卫真街道
NO_KIND = "户未记录贫困户属性(影响:按贫困户属性分组的统计)"


def check(db, *args, env=None):
    """`taizhang check DB ARGS --json` (exit 0, or 1 with findings), parsed."""
    p = subprocess.run([BIN, "check", db, *args, "--json"], capture_output=True, text=True,
                       env=dict(os.environ, TAIZHANG_HOME=ROOT, **(env or {})), timeout=600)
    if p.returncode not in (0, 1):
        raise AssertionError(p.stderr)
    return json.loads(p.stdout)


def gaps(r, column):
    """The not_recorded findings of a check about column."""
    return [f for f in r["findings"] if f["rule"] == "not_recorded"
            and f"未记录{column}(" in f["message"]]


def pick(db, town, n):
    """n household keys of a township, in key order (SQLite demo data)."""
    return [r[0] for r in db_rows(db, "SELECT hh_id FROM households WHERE village LIKE ? "
                                      "ORDER BY hh_id LIMIT ?", (town[:9] + "%", n))]


def null_sql(keys_a, keys_b):
    """3 households of town A without 贫困户属性, 2 of town B without
    主要致贫原因 and 识别年度."""
    qa = ", ".join(f"'{k}'" for k in keys_a)
    qb = ", ".join(f"'{k}'" for k in keys_b)
    return (f"UPDATE households SET kind = NULL WHERE hh_id IN ({qa});"
            f"UPDATE households SET cause = NULL, year_identified = NULL "
            f"WHERE hh_id IN ({qb});")


class GapsMixin:
    """The expectations on a database where null_sql ran (self.db,
    self.keys_a, self.keys_b)."""

    def expect_gaps(self):
        for env in ({}, {"TZ_METRICS_SUMMARY": "0"}):
            r = check(self.db, "--region", COUNTY, "--period", "2019", env=env)
            f = gaps(r, "贫困户属性")
            self.assertEqual(len(f), 1, env)
            f = f[0]
            self.assertEqual((f["level"], f["ledger"], f["count"], f["keys"]),
                             ("数据质量", "households", 3, []), env)
            self.assertEqual(f["message"], "鹿邑县有3" + NO_KIND)
            self.assertEqual(r["summary"]["data_quality"],
                             len([x for x in r["findings"] if x["level"] == "数据质量"]))
            f = gaps(r, "主要致贫原因")[0]
            self.assertEqual(f["count"], 2)
            f = gaps(r, "识别年度")[0]
            self.assertEqual(f["count"], 2)
            self.assertIn("建档立卡贫困户数", f["message"])
            # per scope: town A has the kinds missing, town B the causes
            ra = check(self.db, "--region", TOWN_A, "--period", "2019", env=env)
            self.assertEqual([(x["count"], x["message"]) for x in gaps(ra, "贫困户属性")],
                             [(3, "真源街道有3" + NO_KIND)])
            self.assertEqual(gaps(ra, "主要致贫原因"), [])
            rb = check(self.db, "--region", TOWN_B, "--period", "2019", env=env)
            self.assertEqual(gaps(rb, "贫困户属性"), [])
            self.assertEqual([(x["count"], x["message"]) for x in gaps(rb, "主要致贫原因")],
                             [(2, "卫真街道有2户未记录主要致贫原因(影响:按主要致贫原因分组的统计)")])
            # 脱贫年度 empty means 未脱贫: never a gap
            self.assertEqual(gaps(r, "脱贫年度"), [])


class TestSqlite(GapsMixin, TzCase):
    def setUp(self):
        super().setUp()
        self.db = self.path("demo.db")
        shutil.copy(demo_db.get(), self.db)
        self.keys_a = pick(self.db, TOWN_A, 3)
        self.keys_b = pick(self.db, TOWN_B, 2)
        subprocess.run(["sqlite3", self.db, null_sql(self.keys_a, self.keys_b)], check=True)

    def test_findings_per_column_and_scope(self):
        before = check(demo_db.get(), "--region", COUNTY, "--period", "2019")
        self.assertEqual(gaps(before, "贫困户属性"), [])
        self.expect_gaps()

    def test_text_output(self):
        p = run("check", self.db, "--region", COUNTY, "--period", "2019")
        self.assertIn("[数据质量] 鹿邑县有3" + NO_KIND, p.stdout)

    def test_null_kind_counts_in_totals_not_in_a_kind(self):
        a = ("--region", COUNTY, "--period", "2019", "--mode", "todate", "--json")
        before = json.loads(run("indicator", demo_db.get(), "建档立卡贫困户数", *a,
                                "--by", "kind", check=0).stdout)
        after = json.loads(run("indicator", self.db, "建档立卡贫困户数", *a, "--by", "kind",
                               check=0).stdout)
        # 识别年度 missing for town B's two: they are not dated, so not counted
        self.assertEqual(after["value"], before["value"] - 2)
        groups = {g["key"]: g["value"] for g in after["groups"]}
        old = {g["key"]: g["value"] for g in before["groups"]}
        self.assertEqual(groups.pop(""), 3)
        self.assertEqual(sum(groups.values()), sum(old.values()) - 3 - 2)
        for g in after["groups"]:
            self.assertNotIn("null", json.dumps(g["label"]).lower())

    def test_report_prints_no_null(self):
        out = self.path("r.md")
        run("report", self.db, "--kind", "poverty-work", "--region", COUNTY, "--unit",
            "县文化广电旅游局", "--period", "2019", "-o", out, "--appendix", check=0)
        with open(out, encoding="utf-8") as f:
            text = f.read()
        self.assertNotIn("(null)", text)
        self.assertNotIn("nil", text)

    def test_api_check_shows_the_finding(self):
        fx = Fixture("sqlite", "quality-api", accounts=[("q_admin", "管理员", COUNTY, None)])
        try:
            keys = pick(fx.db, TOWN_A, 3)
            subprocess.run(["sqlite3", fx.db, null_sql(keys, pick(fx.db, TOWN_B, 2))],
                           check=True)
            srv = Server(fx.db).start()
            try:
                c = srv.client()
                c.login("q_admin", PASSWORD)
                r = c.get("/api/check", {"region": COUNTY, "period": "2019"})
                self.assertEqual(r.status, 200, r)
                f = gaps(r.json(), "贫困户属性")
                self.assertEqual([(x["count"], x["message"]) for x in f],
                                 [(3, "鹿邑县有3" + NO_KIND)])
                self.assertEqual(r.json()["findings"],
                                 check(fx.db, "--region", COUNTY, "--period", "2019")[
                                     "findings"])
                c.close()
            finally:
                srv.stop()
        finally:
            fx.cleanup()


@unittest.skipUnless(pg_base(), "TZ_PG_URI not set (PostgreSQL not started)")
class TestPostgres(GapsMixin, TzCase):
    def setUp(self):
        super().setUp()
        self.fx = Fixture("pg", "quality", accounts=[])
        self.db = self.fx.db
        self.keys_a = pick(demo_db.get(), TOWN_A, 3)
        self.keys_b = pick(demo_db.get(), TOWN_B, 2)
        subprocess.run(["psql", "-qX", self.db, "-c", null_sql(self.keys_a, self.keys_b)],
                       check=True, capture_output=True)

    def tearDown(self):
        self.fx.cleanup()
        super().tearDown()

    def test_findings_per_column_and_scope(self):
        self.expect_gaps()
        # the same findings as SQLite with the same gaps
        sq = self.path("demo.db")
        shutil.copy(demo_db.get(), sq)
        subprocess.run(["sqlite3", sq, null_sql(self.keys_a, self.keys_b)], check=True)
        for region in (COUNTY, TOWN_A):
            self.assertEqual(check(self.db, "--region", region, "--period", "2019")["findings"],
                             check(sq, "--region", region, "--period", "2019")["findings"])


if __name__ == "__main__":
    unittest.main()
