"""Black-box tests of how an import reads a clerk's workbook (issue 10,
store/ingest.c and ledger/table.c): every sheet in one transaction, errors
naming the sheet, references forward across sheets, a sheet of another
table listed with its reason, columns a file lacks keeping their stored
values, the dry run's text (header, columns, rows left out), --region for
names, and the failing rows of a workbook as xlsx through the API."""
import json
import unittest
import urllib.parse

from serverlib import PASSWORD, Fixture, Server
from tzlib import (HOUSEHOLDS_HEADER, REGIONS_BASE, REGIONS_HEADER, TzCase, db_rows, idcard,
                   make_workbook, read_xlsx, run, write_csv)


def _hh(n, village="411628101201", **over):
    row = dict(zip(HOUSEHOLDS_HEADER,
                   [f"41162897{n:05d}", f"户主{n}", idcard("411628", "19800101", 100 + n), village,
                    "3", "一般贫困户", "因病", "2016", "", "5000", "是", "是", "是", "是", "李帮扶"]))
    row.update(over)
    return [row[h] for h in HOUSEHOLDS_HEADER]


class ImportSheets(TzCase):
    def _db(self):
        db = self.path("t.db")
        run("init", db, check=0)
        run("import", db, "regions", write_csv(self.path("r.csv"), REGIONS_HEADER, REGIONS_BASE),
            "--quiet", check=0)
        return db

    def _json(self, db, ledger, path, *args):
        p = run("import", db, ledger, path, "--json", *args)
        return p, json.loads(p.stdout)

    def test_every_sheet_one_transaction_errors_name_the_sheet(self):
        db = self._db()
        bad = _hh(3, 家庭人口="三")
        book = make_workbook(self.path("名册.xlsx"), [
            ("说明", [["填表说明"], ["1. 每个村一个工作表"]]),
            ("卢尧村", [HOUSEHOLDS_HEADER, _hh(1), _hh(2)]),
            ("刘楼村", [HOUSEHOLDS_HEADER, _hh(4, "411628101202"), bad], "hidden")])
        p, j = self._json(db, "households", book)
        self.assertEqual(p.returncode, 1)
        self.assertEqual([(s["name"], s["status"], s["hidden"]) for s in j["sheets"]],
                         [("说明", "other", False), ("卢尧村", "read", False),
                          ("刘楼村", "read", True)])
        self.assertIn("名册.xlsx[刘楼村] 第3行 家庭人口", p.stderr)
        self.assertEqual(db_rows(db, "SELECT count(*) FROM households"), [(0,)])
        # fixed, every sheet's rows are written, the 说明 sheet said why not
        book = make_workbook(self.path("名册2.xlsx"), [
            ("说明", [["填表说明"], ["1. 每个村一个工作表"]]),
            ("卢尧村", [HOUSEHOLDS_HEADER, _hh(1), _hh(2)]),
            ("刘楼村", [HOUSEHOLDS_HEADER, _hh(4, "411628101202"), _hh(3)], "hidden")])
        p, j = self._json(db, "households", book)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual((j["rows"], j["inserted"]), (4, 4))
        self.assertEqual([s["rows"] for s in j["sheets"]], [0, 2, 2])
        self.assertIn("建档立卡贫困户", j["sheets"][0]["reason"])
        self.assertEqual(db_rows(db, "SELECT count(*) FROM households"), [(4,)])

    def test_no_sheet_of_the_ledger_is_refused_with_each_reason(self):
        db = self._db()
        book = make_workbook(self.path("别的表.xlsx"), [
            ("项目", [["项目名称", "投资额"], ["甲", "1"]]), ("空", [])])
        p, j = self._json(db, "households", book)
        self.assertEqual(p.returncode, 1)
        self.assertIn("工作表“项目”", p.stderr)
        self.assertIn("工作表“空”", p.stderr)
        self.assertIn("文件中没有建档立卡贫困户台账的表格", p.stderr)
        self.assertEqual([s["status"] for s in j["sheets"]], ["other", "empty"])

    def test_references_forward_across_sheets(self):
        db = self._db()
        town = ["411628102000", "乙镇", "411628000000", "乡", "", ""]
        village = ["411628102201", "乙村", "411628102000", "村", "否", ""]
        lost = ["411628103201", "丙村", "411628103000", "村", "否", ""]
        book = make_workbook(self.path("区划.xlsx"), [
            ("村", [REGIONS_HEADER, village, lost]), ("乡", [REGIONS_HEADER, town])])
        p, j = self._json(db, "regions", book)
        self.assertEqual(p.returncode, 1)
        self.assertIn("区划.xlsx[村] 第3行 上级区划代码", p.stderr)
        self.assertNotIn("第2行", p.stderr)
        book = make_workbook(self.path("区划2.xlsx"), [
            ("村", [REGIONS_HEADER, village]), ("乡", [REGIONS_HEADER, town])])
        p, j = self._json(db, "regions", book)
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_absent_columns_keep_stored_values(self):
        db = self._db()
        full = write_csv(self.path("full.csv"), HOUSEHOLDS_HEADER, [_hh(1, 脱贫年度="2019")])
        run("import", db, "households", full, "--quiet", check=0)
        five = HOUSEHOLDS_HEADER[:5]
        short = write_csv(self.path("short.csv"), five, [_hh(1)[:4] + ["4"], _hh(2)[:5]])
        p, j = self._json(db, "households", short)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual((j["inserted"], j["updated"]), (1, 1))
        self.assertEqual(j["sheets"][0]["absent"], HOUSEHOLDS_HEADER[5:])
        self.assertIn("文件中没有此列", p.stderr)
        self.assertEqual(db_rows(db, "SELECT members, kind, cause, year_exited FROM households "
                                     "ORDER BY hh_id"),
                         [(4, "一般贫困户", "因病", 2019), (3, None, None, None)])

    def test_dry_run_text_shows_the_reading(self):
        db = self._db()
        rows = [["XX县建档立卡贫困户花名册"], ["填报单位:宋河镇", "", "", "填报日期:2020年6月"],
                ["户编号", "户主", "证件号码", "所在村代码", "人口数", "备注"],
                [str(i) for i in range(1, 7)],
                _hh(1)[:4] + ["3", "甲"], ["卢尧村"], _hh(2)[:4] + ["2", ""],
                ["合计", "", "", "", "5"], ["填表人:张三", "", "审核人:李四"]]
        book = make_workbook(self.path("花名册.xlsx"), [("Sheet1", rows)])
        p = run("import", db, "households", book, "--dry-run")
        self.assertEqual(p.returncode, 0, p.stderr)
        out = p.stdout
        for want in ("表头: 第3行", "B列“户主” → 户主姓名(同义列名)", "F列“备注” → 忽略",
                     "文件中没有: 贫困户属性", "标题1行(第1行)", "填报信息1行(第2行)",
                     "栏号行1行(第4行)", "分组标题行1行(第6行)", "合计行1行(第8行)",
                     "说明1行(第9行)", "将新增2行"):
            self.assertIn(want, out)
        self.assertEqual(db_rows(db, "SELECT count(*) FROM households"), [(0,)])

    def test_region_option(self):
        db = self._db()
        p = run("import", db, "households", self.path("x.csv"), "--region", "不存在的县")
        self.assertEqual(p.returncode, 2)
        self.assertIn("--region", p.stderr)
        names = write_csv(self.path("n.csv"), HOUSEHOLDS_HEADER, [_hh(1, village="宋河镇卢尧村")])
        p, j = self._json(db, "households", names, "--region", "鹿邑县", "--dry-run")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual([(n["kind"], n["from"], n["to"], n["count"]) for n in j["sheets"][0]["notes"]],
                         [("name", "宋河镇卢尧村", "411628101201", 1)])


class FailedRowsOfAWorkbook(unittest.TestCase):
    """The failing rows of a dry run of a workbook, as xlsx through the API:
    each sheet's rows with their sheet's name and reasons."""

    def test_failing_rows_per_sheet(self):
        fx = Fixture("sqlite", "sheets", accounts=[("a_admin", "管理员", "411628000000", None)])
        srv = Server(fx.db).start()
        try:
            c = srv.client()
            c.login("a_admin", PASSWORD)
            bad1 = _hh(11, 家庭人口="三")
            bad2 = _hh(12, 贫困户属性="富裕户")
            book = make_workbook(fx.path("in.xlsx"), [
                ("甲村", [["花名册"], HOUSEHOLDS_HEADER, _hh(10), bad1]),
                ("乙村", [HOUSEHOLDS_HEADER, bad2, _hh(13)])])
            with open(book, "rb") as f:
                body = f.read()
            r = c.post("/api/ledgers/households/import", body,
                       query={"dry_run": "1", "failed": "xlsx"},
                       content_type="application/octet-stream",
                       headers={"X-Filename": urllib.parse.quote("两个村.xlsx")})
            self.assertEqual(r.status, 200, r)
            out = fx.path("failed.xlsx")
            with open(out, "wb") as f:
                f.write(r.body)
            sheet = read_xlsx(out)
            self.assertEqual(sheet[0], ["工作表"] + HOUSEHOLDS_HEADER + ["错误原因"])
            got = [(row[0], row[1], row[-1].split(":")[0]) for row in sheet[1:]]
            self.assertEqual(got, [("甲村", bad1[0], "家庭人口"), ("乙村", bad2[0], "贫困户属性")])
        finally:
            srv.stop()
            fx.cleanup()


if __name__ == "__main__":
    unittest.main()
