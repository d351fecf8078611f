"""Black-box tests of the ledger rows routes (web/api_rows.c) on the real
`taizhang serve` with the demo data: a page (scope, where, sort, limits,
masking), one row (get, add 201, change 200, stale version 409 with the
current row, invalid 400 naming the column, out of scope 403, locked 409),
delete (references refused, 404 after), and import (dry run, accepted,
outside the scope, the file name, progress). The authorisation matrix of
every route, role and scope is test_authz.py's.
"""
import sqlite3
import subprocess
import unittest
import urllib.parse

import serverlib
from serverlib import (PASSWORD, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, Fixture, Server,
                       full_ids_in, demo_ids, row_url, rows_url)
from tzlib import HOUSEHOLDS_HEADER, household, idcard

ACCOUNTS = [("a_clerk", "填报", TOWN_A, None), ("a_view", "查看", TOWN_A, None),
            ("b_clerk", "填报", TOWN_B, None)]


def _name(filename):
    """X-Filename as a client sends a name that is not ASCII: percent-encoded."""
    return urllib.parse.quote(filename)


def _csv(rows):
    lines = [",".join(HOUSEHOLDS_HEADER)] + [",".join(r) for r in rows]
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


class TestRowsApi(unittest.TestCase):
    BACKEND = "sqlite"

    @classmethod
    def setUpClass(cls):
        cls.fx = Fixture(cls.BACKEND, "rowsapi", accounts=ACCOUNTS)
        cls.srv = Server(cls.fx.db)
        cls.srv.start()
        cls.clerk = cls.srv.client()
        cls.clerk.login("a_clerk", PASSWORD)
        cls.n = 0

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()
        cls.fx.cleanup()

    def _sql(self, sql):
        """Runs sql on the fixture database (the workflow's tables, set by hand)."""
        if self.BACKEND == "pg":
            subprocess.run(["psql", "-qX", self.fx.db, "-c", sql], check=True,
                           capture_output=True)
            return
        with sqlite3.connect(self.fx.db) as db:
            db.execute(sql)

    def _new_id(self):
        TestRowsApi.n += 1
        return f"RA{TestRowsApi.n:04d}", idcard("411628", "19900101", TestRowsApi.n)

    def _new_row(self, village=VILLAGE_A):
        key, idno = self._new_id()
        return dict(zip(HOUSEHOLDS_HEADER, household(key, "测试户", idno, village=village)))

    def test_page_in_scope_where_sort_limits(self):
        r = self.clerk.get(rows_url("households"), {"limit": "1000"})
        self.assertEqual(r.status, 200, r.text)
        j = r.json()
        self.assertGreater(j["total"], 0)
        self.assertEqual(len(j["rows"]), min(j["total"], 1000))
        for row in j["rows"]:
            self.assertTrue(row["所在村代码"].startswith(TOWN_A[:9]), row)
            self.assertIn("_version", row)
            self.assertEqual(row["_key"], row["户编号"])
        # a filter on a village outside the scope is refused, with no data
        r = self.clerk.get(rows_url("households"), {"where": f"所在村代码={VILLAGE_B}"})
        self.assertEqual(r.status, 403, r.text)
        self.assertEqual(set(r.json()), {"error", "details"})
        # a filter on a village that does not exist finds nothing
        r = self.clerk.get(rows_url("households"), {"where": "所在村代码=411628001999"})
        self.assertEqual((r.status, r.json()["total"]), (200, 0))
        r = self.clerk.get(rows_url("households"),
                           [("where", f"所在村代码={VILLAGE_A}"), ("where", "贫困户属性=一般贫困户"),
                            ("sort", "-家庭人口"), ("limit", "50")])
        self.assertEqual(r.status, 200, r.text)
        sizes = [row["家庭人口"] for row in r.json()["rows"]]
        self.assertEqual(sizes, sorted(sizes, reverse=True))
        for row in r.json()["rows"]:
            self.assertEqual(row["所在村代码"], VILLAGE_A)
            self.assertEqual(row["贫困户属性"], "一般贫困户")
        r = self.clerk.get(rows_url("households"), {"sort": "身高"})
        self.assertEqual(r.status, 400, r.text)
        self.assertEqual(r.json()["details"][0]["column"], "sort")
        self.assertEqual(self.clerk.get(rows_url("households"), {"limit": "1001"}).status, 400)
        self.assertEqual(self.clerk.get(rows_url("households"), {"where": "x"}).status, 400)
        self.assertEqual(self.clerk.get(rows_url("不存在")).status, 404)

    def test_rows_by_keys(self):
        # the rows behind a figure: key= repeated, in scope only, no more than a page
        page = self.clerk.get(rows_url("households"), {"limit": "3"}).json()["rows"]
        keys = [row["_key"] for row in page]
        other = self.srv.client()
        other.login("b_clerk", PASSWORD)
        theirs = other.get(rows_url("households"), {"limit": "1"}).json()["rows"][0]["_key"]
        r = self.clerk.get(rows_url("households"),
                           [("key", k) for k in keys + [theirs, "无此编号"]])
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.json()["total"], 3)
        self.assertEqual(sorted(row["_key"] for row in r.json()["rows"]), sorted(keys))
        r = self.clerk.get(rows_url("households"), [("key", k) for k in keys] + [("limit", "2")])
        self.assertEqual((r.status, r.json()["total"], len(r.json()["rows"])), (200, 3, 2), r.text)
        r = self.clerk.get(rows_url("households"), [("key", str(i)) for i in range(1001)])
        self.assertEqual(r.status, 400, r.text)
        self.assertEqual(r.json()["details"][0]["column"], "key")

    def test_viewer_sees_masked_ids(self):
        c = self.srv.client()
        c.login("a_view", PASSWORD)
        r = c.get(rows_url("households"), {"limit": "1000"})
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(full_ids_in(r.text, demo_ids()), [])
        self.assertIn("********", r.text)
        r = self.clerk.get(rows_url("households"), {"limit": "5"})
        self.assertNotEqual(full_ids_in(r.text, demo_ids()), [])
        # and a viewer cannot write
        self.assertEqual(c.post(rows_url("households"), self._new_row()).status, 403)

    def test_add_change_conflict_invalid_forbidden(self):
        row = self._new_row()
        r = self.clerk.post(rows_url("households"), row)
        self.assertEqual(r.status, 201, r.text)
        self.assertEqual(r.json()["_version"], 1)
        self.assertEqual(r.json()["人均纯收入(元)"], 5000)  # a whole amount as a whole number
        # the same key again as a new row
        r = self.clerk.post(rows_url("households"), row)
        self.assertEqual(r.status, 409, r.text)
        self.assertEqual(r.json()["current"]["户编号"], row["户编号"])
        # a change read at version 1
        r = self.clerk.post(rows_url("households"),
                            {"户编号": row["户编号"], "家庭人口": 6, "_version": 1})
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.json()["_version"], 2)
        self.assertEqual(r.json()["家庭人口"], 6)
        # a second clerk's change read at the same version: stale
        r = self.clerk.post(rows_url("households"),
                            {"户编号": row["户编号"], "家庭人口": 7, "_version": 1})
        self.assertEqual(r.status, 409, r.text)
        self.assertEqual(r.json()["error"], "该行已被他人修改")
        self.assertEqual(r.json()["current"]["_version"], 2)
        self.assertEqual(r.json()["current"]["家庭人口"], 6)
        # an invalid value: 400 naming the column
        r = self.clerk.post(rows_url("households"),
                            {"户编号": row["户编号"], "家庭人口": "很多", "_version": 2})
        self.assertEqual(r.status, 400, r.text)
        self.assertEqual(r.json()["details"][0]["column"], "家庭人口")
        # moved out of the scope, or added outside it: 403
        r = self.clerk.post(rows_url("households"),
                            {"户编号": row["户编号"], "所在村代码": VILLAGE_B, "_version": 2})
        self.assertEqual(r.status, 403, r.text)
        r = self.clerk.post(rows_url("households"), self._new_row(village=VILLAGE_B))
        self.assertEqual(r.status, 403, r.text)
        # another township's clerk cannot read or change it
        b = self.srv.client()
        b.login("b_clerk", PASSWORD)
        r = b.get(row_url("households", row["户编号"]))
        self.assertEqual(r.status, 403, r.text)  # asked for by its key: 403, no data
        self.assertTrue(set(r.json()) <= {"error", "details"}, r.text)
        self.assertEqual(b.get(row_url("households", "没有这一户")).status, 404)
        r = b.post(rows_url("households"),
                   {"户编号": row["户编号"], "家庭人口": 1, "_version": 2})
        self.assertEqual(r.status, 403, r.text)
        self.assertNotIn("current", r.json())
        r = self.clerk.get(row_url("households", row["户编号"]))
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual((r.json()["家庭人口"], r.json()["_version"]), (6, 2))

    def test_delete(self):
        row = self._new_row()
        self.assertEqual(self.clerk.post(rows_url("households"), row).status, 201)
        url = row_url("households", row["户编号"])
        self.assertEqual(self.clerk.delete(url, {"version": "9"}).status, 409)
        r = self.clerk.delete(url, {"version": "1"})
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(self.clerk.delete(url).status, 404)
        # a household with a 户户通 row is referenced
        tv = self.clerk.get(rows_url("tv_installs"), {"limit": "1"}).json()["rows"]
        self.assertTrue(tv, "the demo's 户户通 rows of the township")
        r = self.clerk.delete(row_url("households", tv[0]["户编号"]))
        self.assertEqual(r.status, 409, r.text)
        self.assertIn("户户通安装", r.text)

    def test_locked_period(self):
        row = self._new_row()
        self.assertEqual(self.clerk.post(rows_url("households"), row).status, 201)
        self._sql("INSERT INTO tz_submissions (scope_kind, scope, digits, period, "
                  "period_start, period_end, status, submitted_by, reviewed_by) VALUES "
                  f"('region', '{TOWN_A}', 9, '2015', '2015-01-01', '2015-12-31', 'approved', "
                  "'a_clerk', 'county_review')")
        try:
            r = self.clerk.post(rows_url("households"),
                                {"户编号": row["户编号"], "家庭人口": 9, "_version": 1})
            self.assertEqual(r.status, 409, r.text)
            self.assertIn("该期间数据已审核锁定", r.json()["error"])
            # the same through an import
            key, idno = self._new_id()
            body = _csv([household(key, "锁定户", idno, village=VILLAGE_A)])
            r = self.clerk.post(rows_url("households").replace("/rows", "/import"), body,
                                headers={"X-Filename": "hh.csv"})
            self.assertEqual(r.status, 409, r.text)
        finally:
            self._sql("DELETE FROM tz_submissions")

    def test_import(self):
        url = "/api/ledgers/households/import"
        key, idno = self._new_id()
        body = _csv([household(key, "导入户", idno, village=VILLAGE_A)])
        r = self.clerk.post(url, body, query={"dry_run": "1"},
                            headers={"X-Filename": _name("新户.csv"), "X-Import-Id": "t-1"})
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual((r.json()["inserted"], r.json()["dry_run"]), (1, True))
        self.assertEqual(self.clerk.get(row_url("households", key)).status, 404)
        p = self.clerk.get("/api/imports/t-1")
        self.assertEqual(p.status, 200, p.text)
        self.assertEqual(p.json()["stage"], "done")
        self.assertEqual(p.json()["rows"], 1)
        # progress is the importing account's
        b = self.srv.client()
        b.login("b_clerk", PASSWORD)
        self.assertEqual(b.get("/api/imports/t-1").status, 404)
        r = self.clerk.post(url, body, headers={"X-Filename": _name("新户.csv")})
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(self.clerk.get(row_url("households", key)).status, 200)
        # a row of another township refuses the file, naming it as sent
        key2, idno2 = self._new_id()
        body = _csv([household(key2, "外乡户", idno2, village=VILLAGE_B)])
        r = self.clerk.post(url, body, headers={"X-Filename": _name("外乡.csv")})
        self.assertEqual(r.status, 403, r.text)
        self.assertEqual(set(r.json()), {"error", "details"})
        errs = r.json()["details"]
        self.assertTrue(any("不在当前账户的范围" in e["reason"] and e["file"] == "外乡.csv"
                            for e in errs), errs)
        # the same as a browser's form upload
        key3, idno3 = self._new_id()
        data = _csv([household(key3, "表单户", idno3, village=VILLAGE_A)])
        form = (b"--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n"
                b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; "
                + 'filename="表单.csv"'.encode() + b"\r\nContent-Type: text/csv\r\n\r\n"
                + data + b"\r\n--XyZ--\r\n")
        r = self.clerk.post(url, form, content_type="multipart/form-data; boundary=XyZ")
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual((r.json()["file"], r.json()["inserted"]), ("表单.csv", 1))
        self.assertEqual(self.clerk.get(row_url("households", key3)).status, 200)
        r = self.clerk.post(url, b"--XyZ--\r\n", content_type="multipart/form-data; boundary=XyZ")
        self.assertEqual(r.status, 400, r.text)
        # a bad row: 422 with details; no name or a wrong type: 400
        body = _csv([household(key2, "坏户", "123", village=VILLAGE_A)])
        self.assertEqual(self.clerk.post(url, body, headers={"X-Filename": _name("坏.csv")}).status,
                         422)
        self.assertEqual(self.clerk.post(url, body).status, 400)
        self.assertEqual(self.clerk.post(url, body, headers={"X-Filename": "a.txt"}).status,
                         400)
        self.assertEqual(self.clerk.post(url, body, headers={"X-Filename": "a.csv",
                                                             "X-Import-Id": "bad id"}).status,
                         400)


@unittest.skipUnless(serverlib.pg_base(), "TZ_PG_URI names no PostgreSQL server")
class TestRowsApiPostgres(TestRowsApi):
    BACKEND = "pg"


if __name__ == "__main__":
    unittest.main()
