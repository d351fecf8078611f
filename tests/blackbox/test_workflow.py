"""上报审核 end to end through a real `taizhang serve`: a township clerk
submits a year, the county's reviewer returns it with a reason, the clerk
resubmits, the county approves; then a row dated in that year and township
cannot be changed, deleted, added or imported (API 409 "该期间数据已审核锁定",
and `taizhang import` refuses it), while rows of another year or another
township still can; the county reopens (audited) and the change goes
through. The late list is read with TZ_TODAY before and after the deadline
(每月5日前: 2016-01-05 for the year 2015). SQLite always, PostgreSQL when
TZ_PG_URI is set."""
import csv
import os
import unittest

from serverlib import (num, COUNTY, TOWN_A, TOWN_B, Fixture, Server, error_text, row_url,
                       row_version, rows_url, with_version)
from tzlib import HOUSEHOLDS_HEADER, ROOT, household, idcard, run, write_csv

OK = (200, 201)
LOCKED = "该期间数据已审核锁定"
PERIOD = "2015"
ROW_2015_A = "4116280000001"  # 真源街道, 识别年度 2015
ROW_2015_A2 = "4116280000008"  # 真源街道, 识别年度 2015
ROW_2016_A = "4116280000003"  # 真源街道, 识别年度 2016
ROW_2015_B = "4116280000423"  # 卫真街道, 识别年度 2015


def _demo_row(key):
    with open(os.path.join(ROOT, "examples", "county", "households.csv"),
              encoding="utf-8-sig", newline="") as f:
        for r in csv.reader(f):
            if r[0] == key:
                return r
    raise KeyError(key)


def _find(j, name):
    """The first value under key name anywhere in a JSON document."""
    if isinstance(j, dict):
        if name in j:
            return j[name]
        for v in j.values():
            found = _find(v, name)
            if found is not None:
                return found
    elif isinstance(j, list):
        for v in j:
            found = _find(v, name)
            if found is not None:
                return found
    return None


def _entries(j):
    """The list of entries of a listing response ({"total":..,"rows":[..]} or a list)."""
    if isinstance(j, list):
        return j
    for v in j.values():
        if isinstance(v, list):
            return v
    raise AssertionError(f"no list in {j}")


class WorkflowBase:
    backend = "sqlite"

    def setUp(self):
        self.fx = Fixture(self.backend, "wf")
        self.servers = []
        self.srv = self.start(TZ_TODAY="2016-01-10")
        self.clients = {}

    def tearDown(self):
        for c in self.clients.values():
            c.close()
        for s in self.servers:
            s.stop()
        self.fx.cleanup()

    def start(self, **env):
        s = Server(self.fx.db, env=env, workdir=self.fx.dir).start()
        self.servers.append(s)
        return s

    def c(self, name):
        if name not in self.clients:
            cl = self.srv.client()
            cl.login(name)
            self.clients[name] = cl
        return self.clients[name]

    def row(self, key):
        r = self.c("county_admin").get(row_url("households", key))
        self.assertEqual(r.status, 200, r)
        j = r.json()
        return j.get("row", j)

    def change(self, who, key, col="人均纯收入(元)", value="7777"):
        row = self.row(key)
        body = with_version(row, row_version(row))
        body[col] = value
        return self.c(who).post(rows_url("households"), body)

    def assert_locked(self, r, what):
        self.assertEqual(r.status, 409, f"{what}: {r}")
        self.assertIn(LOCKED, error_text(r), f"{what}: {r}")

    def assert_import_locked(self, r, what):
        """An import answers its result (as import --json), refused, with the
        row's error naming the lock."""
        self.assertEqual(r.status, 409, f"{what}: {r}")
        j = r.json()
        self.assertEqual(j.get("inserted", 0) + j.get("updated", 0), 0, r)
        self.assertIn(LOCKED, r.text, f"{what}: {r}")

    def submissions(self, who, region, period=PERIOD):
        r = self.c(who).get("/api/submissions", {"region": region, "period": period})
        self.assertEqual(r.status, 200, r)
        return r.json()

    def cli_import(self, rows, name):
        f = write_csv(os.path.join(self.fx.dir, name), HOUSEHOLDS_HEADER, rows)
        return run("import", self.fx.db, "households", f, "--quiet")

    # ---- the walk -------------------------------------------------------------------

    def test_submit_return_resubmit_approve_lock_reopen(self):
        # 1. submit (a 审核 or 查看 account cannot)
        for who in ("a_review", "a_view"):
            self.assertEqual(self.c(who).post("/api/submissions",
                                              {"region": TOWN_A, "period": PERIOD}).status, 403)
        r = self.c("a_clerk").post("/api/submissions", {"region": TOWN_A, "period": PERIOD})
        self.assertIn(r.status, OK, r)
        sub = r.json()
        sid, submitted = sub["id"], sub["status"]
        self.assertTrue(submitted)
        # 2. the township's own reviewer is not the level above: refused
        r = self.c("a_review").post(f"/api/submissions/{sid}/return", {"reason": "不对"})
        self.assertEqual(r.status, 403, r)
        # a return needs a reason
        r = self.c("county_review").post(f"/api/submissions/{sid}/return", {})
        self.assertEqual(r.status, 400, r)
        self.assertTrue(error_text(r))
        reason = "2015年识别户数与花名册不一致,请核实后重报"
        r = self.c("county_review").post(f"/api/submissions/{sid}/return", {"reason": reason})
        self.assertIn(r.status, OK, r)
        returned = r.json()["status"]
        self.assertNotEqual(returned, submitted)
        listing = self.submissions("a_clerk", TOWN_A)
        self.assertIn(reason, str(listing))
        # a returned period is not locked
        r = self.change("a_clerk", ROW_2015_A, value="6001")
        self.assertIn(r.status, OK, r)
        # 3. resubmit
        r = self.c("a_clerk").post("/api/submissions", {"region": TOWN_A, "period": PERIOD})
        self.assertIn(r.status, OK, r)
        self.assertEqual(r.json()["status"], submitted)
        sid = r.json()["id"]
        # 4. approve, by the county
        self.assertEqual(self.c("a_review").post(f"/api/submissions/{sid}/approve").status, 403)
        self.assertEqual(self.c("county_clerk").post(f"/api/submissions/{sid}/approve").status,
                         403)
        r = self.c("county_review").post(f"/api/submissions/{sid}/approve")
        self.assertIn(r.status, OK, r)
        approved = r.json()["status"]
        self.assertNotIn(approved, (submitted, returned))
        self.check_locked_by_api()
        self.check_locked_by_cli()
        self.check_not_locked_elsewhere()
        # 5. reopen: not by the township, by the county, and audited
        self.assertEqual(self.c("a_review").post(f"/api/submissions/{sid}/reopen").status, 403)
        self.assertEqual(self.c("a_clerk").post(f"/api/submissions/{sid}/reopen").status, 403)
        self.assert_locked(self.change("a_clerk", ROW_2015_A, value="6002"), "still locked")
        before = self.audit_by("county_review")
        r = self.c("county_review").post(f"/api/submissions/{sid}/reopen")
        self.assertIn(r.status, OK, r)
        self.assertNotEqual(r.json()["status"], approved)
        self.assertEqual(len(self.audit_by("county_review")), len(before) + 1,
                         "the reopen is not in the audit log")
        # 6. the change goes through now, by API and CLI
        r = self.change("a_clerk", ROW_2015_A, value="6003")
        self.assertIn(r.status, OK, r)
        self.assertEqual(num(self.row(ROW_2015_A)["人均纯收入(元)"]), "6003")
        row = _demo_row(ROW_2015_A2)
        row[9] = "6004"
        p = self.cli_import([row], "after.csv")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(num(self.row(ROW_2015_A2)["人均纯收入(元)"]), "6004")

    def audit_by(self, user):
        r = self.c("county_admin").get("/api/audit", {"user": user, "limit": "1000"})
        self.assertEqual(r.status, 200, r)
        return _entries(r.json())

    def check_locked_by_api(self):
        before = self.row(ROW_2015_A)
        self.assert_locked(self.change("a_clerk", ROW_2015_A, value="6100"), "change")
        self.assert_locked(self.change("county_admin", ROW_2015_A, value="6100"),
                           "change by the county's administrator")
        # a row moved into the locked period is refused too
        self.assert_locked(self.change("a_clerk", ROW_2016_A, col="识别年度", value=PERIOD),
                           "moving a row into the period")
        r = self.c("a_clerk").delete(row_url("households", ROW_2015_A))
        self.assert_locked(r, "delete")
        idno = idcard("411628", "19850505", 77)
        new = dict(zip(HOUSEHOLDS_HEADER, household("4116289990001", "新户", idno,
                                                    village="411628001202", exited="")))
        new["识别年度"] = PERIOD
        self.assert_locked(self.c("a_clerk").post(rows_url("households"), new), "add")
        row = _demo_row(ROW_2015_A)
        row[9] = "6200"
        body = "\n".join(",".join(x) for x in (HOUSEHOLDS_HEADER, row)).encode("utf-8")
        r = self.c("a_clerk").post("/api/ledgers/households/import", body,
                                   content_type="text/csv",
                                   headers={"X-Filename": "households.csv"})
        self.assert_import_locked(r, "import by API")
        after = self.row(ROW_2015_A)
        self.assertEqual(after, before, "a refused change changed the row")
        self.assertEqual(self.c("county_admin").get(row_url("households", "4116289990001")).status,
                         404)

    def check_locked_by_cli(self):
        row = _demo_row(ROW_2015_A2)
        row[9] = "6300"
        p = self.cli_import([row], "locked.csv")
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn(LOCKED, p.stderr)
        self.assertNotEqual(num(self.row(ROW_2015_A2)["人均纯收入(元)"]), "6300")

    def check_not_locked_elsewhere(self):
        # another year of the same township, the same year of another township
        r = self.change("a_clerk", ROW_2016_A, value="6400")
        self.assertIn(r.status, OK, r)
        r = self.change("b_clerk", ROW_2015_B, value="6500")
        self.assertIn(r.status, OK, r)
        row = _demo_row(ROW_2015_B)
        row[9] = "6501"
        p = self.cli_import([row], "other.csv")
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_late_list_follows_the_deadline(self):
        # 真源街道 submits 2015 in time; 卫真街道 does not
        r = self.c("a_clerk").post("/api/submissions", {"region": TOWN_A, "period": PERIOD})
        self.assertIn(r.status, OK, r)
        after = self.submissions("county_review", COUNTY)
        late = _find(after, "late")
        self.assertIsNotNone(late, f"no late list: {after}")
        self.assertIn("卫真街道", str(late))
        self.assertNotIn("真源街道", str(late))
        self.assertIn(TOWN_B[:9], str(late))
        # the day before the deadline nobody is late yet (deadlines are data:
        # 乡 5, i.e. 2016-01-05 for the year 2015)
        for c in self.clients.values():
            c.close()
        self.clients = {}
        self.srv = self.start(TZ_TODAY="2016-01-04")
        before = self.submissions("county_review", COUNTY)
        self.assertNotIn("卫真街道", str(_find(before, "late") or []))
        # a township sees only its own scope's list; another township's is 403
        self.assertEqual(self.c("a_clerk").get("/api/submissions",
                                               {"region": TOWN_B, "period": PERIOD}).status, 403)


class TestWorkflowSqlite(WorkflowBase, unittest.TestCase):
    backend = "sqlite"


@unittest.skipUnless(os.environ.get("TZ_PG_URI"), "TZ_PG_URI not set (PostgreSQL not started)")
class TestWorkflowPostgres(WorkflowBase, unittest.TestCase):
    backend = "pg"


if __name__ == "__main__":
    unittest.main()
