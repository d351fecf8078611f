"""Black-box tests of the ledger downloads and names (web/api_files.c,
web/api_rows.c) on the real `taizhang serve` with the demo data: the empty
template (the same bytes as `taizhang template`), the current filter as
.xlsx (parsed back with zipfile, cell by cell against the rows listing;
masked for 查看, full for 填报; audited; out of scope 403), the failing rows
of an import's dry run as .xlsx (parsed back cell by cell; nothing written),
and the names beside codes ("_names") of rows. The authorisation matrix of
every route, role and scope is test_authz.py's.
"""
import re
import unittest
import urllib.parse
import zipfile

from serverlib import (PASSWORD, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, Fixture, Server,
                       demo_ids, full_ids_in, row_url, rows_url)
from tzlib import HOUSEHOLDS_HEADER, idcard, make_xlsx, read_xlsx, run

ACCOUNTS = [("a_clerk", "填报", TOWN_A, None), ("a_view", "查看", TOWN_A, None),
            ("a_review", "审核", TOWN_A, None)]


def _filename(r):
    """The UTF-8 file name of a download (RFC 5987 filename*)."""
    m = re.search(r"filename\*=UTF-8''([^;]+)", r.header("Content-Disposition") or "")
    return urllib.parse.unquote(m.group(1)) if m else None


def _cell(v):
    """A JSON row value as read_xlsx reads the cell back."""
    if v is None:
        return ""
    return str(v)


_SHARED = {}


def setUpModule():
    """One database and server for the module (the demo import and the
    accounts' password hashes take a while)."""
    fx = Fixture("sqlite", "files", accounts=ACCOUNTS)
    srv = Server(fx.db).start()
    clients = {}
    for name, *_ in ACCOUNTS:
        clients[name] = srv.client()
        clients[name].login(name, PASSWORD)
    _SHARED.update(fx=fx, srv=srv, c=clients)


def tearDownModule():
    for c in _SHARED["c"].values():
        c.close()
    _SHARED["srv"].stop()
    _SHARED["fx"].cleanup()


class FilesBase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fx, cls.srv, cls.c = _SHARED["fx"], _SHARED["srv"], _SHARED["c"]

    def save(self, r, name):
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Content-Type"),
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        path = self.fx.path(name)
        with open(path, "wb") as f:
            f.write(r.body)
        return path


class TestTemplate(FilesBase):
    def test_template_is_the_clis(self):
        r = self.c["a_view"].get("/api/ledgers/households/template")
        got = self.save(r, "web-template.xlsx")
        self.assertEqual(_filename(r), "建档立卡贫困户-填报模板.xlsx")
        cli = self.fx.path("cli-template.xlsx")
        run("template", "households", cli)
        with open(cli, "rb") as f:
            self.assertEqual(r.body, f.read())
        rows = read_xlsx(got)
        self.assertEqual(rows[0], HOUSEHOLDS_HEADER)
        self.assertEqual(len(rows), 2)  # the notes row, no data
        r = self.c["a_view"].get("/api/ledgers/nothing/template")
        self.assertEqual(r.status, 404, r)


class TestExport(FilesBase):
    Q = {"where": f"所在村代码={VILLAGE_A}", "sort": "-识别年度"}

    def _rows(self, who, q):
        r = self.c[who].get(rows_url("households"), dict(q, limit="1000"))
        self.assertEqual(r.status, 200, r)
        return r.json()["rows"]

    def _export(self, who, q):
        r = self.c[who].get("/api/ledgers/households/export", q)
        return r, read_xlsx(self.save(r, f"export-{who}.xlsx"))

    def _same(self, rows, sheet):
        self.assertEqual(sheet[0], HOUSEHOLDS_HEADER)
        self.assertEqual(len(sheet) - 1, len(rows))
        for got, want in zip(sheet[1:], rows):
            self.assertEqual(got, [_cell(want[h]) for h in HOUSEHOLDS_HEADER])

    def test_viewer_export_is_the_filter_masked(self):
        rows = self._rows("a_view", self.Q)
        self.assertGreater(len(rows), 10)
        r, sheet = self._export("a_view", self.Q)
        self._same(rows, sheet)
        self.assertEqual(full_ids_in(r.body.decode("latin-1") + str(sheet), demo_ids()), [])
        self.assertTrue(all("*" in row[2] for row in sheet[1:]))
        name = _filename(r)
        self.assertTrue(re.fullmatch(r"建档立卡贫困户-\d{4}-\d{2}-\d{2}\.xlsx", name), name)
        # the layout of the export module: frozen header, drop-downs
        with zipfile.ZipFile(self.fx.path("export-a_view.xlsx")) as z:
            sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
        self.assertIn('state="frozen"', sheet_xml)
        self.assertIn("<dataValidation", sheet_xml)

    def test_clerk_export_is_full_and_audited(self):
        q = dict(self.Q, q="因病")
        rows = self._rows("a_clerk", q)
        self.assertTrue(rows and all("因病" in str(list(r.values())) for r in rows))
        r, sheet = self._export("a_clerk", q)
        self._same(rows, sheet)
        self.assertTrue(all("*" not in row[2] for row in sheet[1:]))
        a = self.c["a_view"].get("/api/audit", {"ledger": "households", "user": "a_clerk"})
        entries = [e for e in a.json()["entries"] if e["action"] == "导出"]
        self.assertTrue(entries, a)
        d = entries[0]["detail"]
        self.assertIn(f"导出{len(rows)}行", d)
        self.assertIn(f"所在村代码={VILLAGE_A}", d)
        self.assertIn("搜索: 因病", d)
        self.assertEqual(entries[0]["request"], "GET /api/ledgers/households/export")

    def test_export_out_of_scope_and_bad_filter(self):
        r = self.c["a_view"].get("/api/ledgers/households/export",
                                 {"where": f"所在村代码={VILLAGE_B}"})
        self.assertEqual(r.status, 403, r)
        self.assertEqual(set(r.json()), {"error", "details"})
        r = self.c["a_view"].get("/api/ledgers/households/export", {"sort": "没有这列"})
        self.assertEqual(r.status, 400, r)
        # without a filter: only the rows in scope (all of the town's villages)
        r, sheet = self._export("a_view", {})
        total = self.c["a_view"].get(rows_url("households"), {"limit": "1"}).json()["total"]
        self.assertEqual(len(sheet) - 1, total)
        self.assertTrue(all(row[3].startswith(TOWN_A[:9]) for row in sheet[1:]))


class TestFailedRows(FilesBase):
    def _import(self, path, name, query):
        with open(path, "rb") as f:
            body = f.read()
        return self.c["a_clerk"].post(
            "/api/ledgers/households/import", body, query=query,
            content_type="application/octet-stream",
            headers={"X-Filename": urllib.parse.quote(name)})

    def test_failing_rows_as_xlsx_cell_by_cell(self):
        header = HOUSEHOLDS_HEADER + ["备注"]
        good = ["4116289700001", "张一", idcard("411628", "19800101", 701), VILLAGE_A, 3,
                "一般贫困户", "因病", "2016", "", "5000", "是", "是", "是", "是", "李帮扶", "好"]
        bad1 = ["4116289700002", "张二", "411628198001010000", VILLAGE_A, 2, "一般贫困户",
                "因病", "2016", "", "5000", "是", "是", "是", "是", "李帮扶", ""]
        bad2 = ["4116289700003", "张三", idcard("411628", "19800101", 703), VILLAGE_A, "三口",
                "富裕户", "因病", "2016", "", "5000", "是", "是", "是", "是", "李帮扶", "两处错"]
        good2 = ["4116289700004", "张四", idcard("411628", "19800101", 704), VILLAGE_A, 1,
                 "一般贫困户", "因学", "2017", "", "4000", "是", "是", "是", "是", "李帮扶", ""]
        path = make_xlsx(self.fx.path("in.xlsx"), [header, good, bad1, bad2, good2])
        dry = self._import(path, "村里的户.xlsx", {"dry_run": "1"})
        self.assertEqual(dry.status, 422, dry)
        errs = dry.json()["errors"]
        r = self._import(path, "村里的户.xlsx", {"dry_run": "1", "failed": "xlsx"})
        self.assertEqual(_filename(r), "村里的户-错误行.xlsx")
        sheet = read_xlsx(self.save(r, "failed.xlsx"))
        self.assertEqual(sheet[0], header + ["错误原因"])
        self.assertEqual(len(sheet), 3)
        for got, src, rowno in ((sheet[1], bad1, 3), (sheet[2], bad2, 4)):
            self.assertEqual(got[:len(src)], [str(v) for v in src])
            reasons = [f"{e['column']}: {e['reason']}" for e in errs if e["row"] == rowno]
            self.assertTrue(reasons)
            self.assertEqual(got[len(src)], ";".join(reasons))
        self.assertEqual(sheet[2][-1].count(";"), 1)  # two reasons
        # nothing was written
        for key in ("4116289700001", "4116289700004"):
            self.assertEqual(self.c["a_clerk"].get(row_url("households", key)).status, 404)

    def test_no_error_answers_the_dry_run(self):
        row = ["4116289700011", "王一", idcard("411628", "19800101", 711), VILLAGE_A, "3",
               "一般贫困户", "因病", "2016", "", "5000", "是", "是", "是", "是", "李帮扶"]
        path = make_xlsx(self.fx.path("ok.xlsx"), [HOUSEHOLDS_HEADER, row])
        plain = self._import(path, "ok.xlsx", {"dry_run": "1"})
        r = self._import(path, "ok.xlsx", {"dry_run": "1", "failed": "xlsx"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), plain.json())
        self.assertTrue(r.json()["dry_run"])
        self.assertEqual(self.c["a_clerk"].get(row_url("households", row[0])).status, 404)

    def test_failed_needs_a_dry_run_and_a_writer(self):
        path = make_xlsx(self.fx.path("x.xlsx"), [HOUSEHOLDS_HEADER])
        r = self._import(path, "x.xlsx", {"failed": "xlsx"})
        self.assertEqual(r.status, 400, r)
        self.assertIn("failed", r.json()["error"])
        r = self._import(path, "x.xlsx", {"dry_run": "1", "failed": "csv"})
        self.assertEqual(r.status, 400, r)
        with open(path, "rb") as f:
            r = self.c["a_view"].post("/api/ledgers/households/import", f.read(),
                                      query={"dry_run": "1", "failed": "xlsx"},
                                      headers={"X-Filename": "x.xlsx"})
        self.assertEqual(r.status, 403, r)


class TestNames(FilesBase):
    def test_rows_carry_names_of_their_references(self):
        vil = {i["code"]: i["name"] for i in
               self.c["a_view"].get("/api/regions", {"parent": TOWN_A}).json()["items"]}
        rows = self.c["a_view"].get(rows_url("households"), {"limit": "200"}).json()["rows"]
        self.assertTrue(rows)
        for r in rows:
            self.assertEqual(r["_names"], {"所在村代码": vil[r["所在村代码"]]})
        tv = self.c["a_view"].get(rows_url("tv_installs"), {"limit": "5"}).json()["rows"]
        for r in tv:
            hh = self.c["a_view"].get(row_url("households", r["户编号"])).json()
            self.assertEqual(r["_names"]["户编号"], hh["户主姓名"])

    def test_one_row_and_a_write_answer_carry_names(self):
        c = self.c["a_clerk"]
        rows = c.get(rows_url("households"), {"where": f"所在村代码={VILLAGE_A}",
                                             "limit": "1"}).json()["rows"]
        row = c.get(row_url("households", rows[0]["户编号"])).json()
        self.assertEqual(row["_names"], {"所在村代码": "秦阁村"})
        row["人均纯收入(元)"] = "12345"  # sent back with _names and _key, as a page gives it
        r = c.post(rows_url("households"), row)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["_names"], {"所在村代码": "秦阁村"})
        self.assertEqual(r.json()["人均纯收入(元)"], 12345)


if __name__ == "__main__":
    unittest.main()
