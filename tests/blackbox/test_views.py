"""Black-box tests of `import --json` (the object GET/POST of the API's import
sends, web/views.h's tz_view_import): accepted, dry run, refused with row and
column errors (CSV and xlsx), a file that cannot be read; stdout holds the
JSON document and nothing else, and the database is read back."""
import json
import unittest

from tzlib import (HOUSEHOLDS_HEADER, LEDGER_ORDER, REGIONS_BASE, REGIONS_HEADER, TzCase, db_dump,
                   db_rows, household, idcard, make_xlsx, run, write_csv)


class TestImportJson(TzCase):
    def setUp(self):
        super().setUp()
        self.db = self.path("t.db")
        run("init", self.db, check=0)

    def import_json(self, ledger, path, *extra, check):
        p = run("import", self.db, ledger, path, "--json", *extra, check=check)
        return p, json.loads(p.stdout)  # stdout is one JSON document, no summary line

    def regions(self):
        return write_csv(self.path("regions.csv"), REGIONS_HEADER, REGIONS_BASE)

    def test_header_and_its_mapping(self):
        # the columns in another order with one extra: the header row, each
        # ledger column's source column, and the cell left out
        order = list(reversed(REGIONS_HEADER)) + ["备注"]
        rows = [[dict(zip(REGIONS_HEADER, r)).get(h, "x") for h in order] for r in REGIONS_BASE]
        _, j = self.import_json("regions", write_csv(self.path("r.csv"), order, rows), "--dry-run",
                                check=0)
        self.assertEqual(j["status"], "accepted", j)
        letters = "ABCDEFGHIJ"
        want = [{"column": h, "from": letters[order.index(h)]} for h in REGIONS_HEADER]
        self.assertEqual(j["header"], {"row": 1, "columns": want, "ignored": 1})
        self.assertEqual(j["skipped"], {"blank": 0})
        # empty rows are left out, and counted
        with open(self.path("r.csv"), "a", encoding="utf-8") as f:
            f.write("\n" + "," * (len(order) - 1) + "\n")
        _, j = self.import_json("regions", self.path("r.csv"), "--dry-run", check=0)
        self.assertEqual((j["rows"], j["skipped"]), (len(REGIONS_BASE), {"blank": 2}))
        p = run("import", self.db, "regions", self.path("r.csv"), "--dry-run", check=0)
        self.assertIn("跳过空行2行", p.stdout)
        # no header matched: null
        path = write_csv(self.path("bad.csv"), ["甲", "乙"], [["1", "2"]])
        _, j = self.import_json("regions", path, check=1)
        self.assertIsNone(j["header"])

    def test_accepted_then_unchanged(self):
        path = self.regions()
        p, j = self.import_json("regions", path, check=0)
        self.assertEqual(j["status"], "accepted")
        self.assertEqual((j["ledger"], j["ledger_name"], j["file"]), ("regions", "行政区划", path))
        self.assertIs(j["dry_run"], False)
        self.assertEqual((j["rows"], j["inserted"], j["updated"], j["unchanged"]),
                         (len(REGIONS_BASE), len(REGIONS_BASE), 0, 0))
        self.assertEqual(j["encoding"], "UTF-8 BOM")
        self.assertEqual((j["errors"], j["error_count"]), ([], 0))
        self.assertEqual(db_rows(self.db, "SELECT count(*) FROM regions")[0][0], len(REGIONS_BASE))
        # the same file again changes nothing
        _, j = self.import_json("regions", path, check=0)
        self.assertEqual((j["inserted"], j["updated"], j["unchanged"]), (0, 0, len(REGIONS_BASE)))
        # without --json the summary line is still text
        p = run("import", self.db, "regions", path, check=0)
        self.assertIn("已导入", p.stdout)
        self.assertRaises(json.JSONDecodeError, json.loads, p.stdout)

    def test_dry_run_writes_nothing(self):
        self.import_json("regions", self.regions(), check=0)
        hh = write_csv(self.path("hh.csv"), HOUSEHOLDS_HEADER,
                       [household("H1", "张一", idcard("411628", "19700101", 1)),
                        household("H2", "张二", idcard("411628", "19700202", 2))])
        before = db_dump(self.db, LEDGER_ORDER + ["audit_log"])
        _, j = self.import_json("households", hh, "--dry-run", check=0)
        self.assertEqual(j["status"], "accepted")
        self.assertIs(j["dry_run"], True)
        self.assertEqual(j["rows"], 2)
        self.assertEqual(before, db_dump(self.db, LEDGER_ORDER + ["audit_log"]))

    def assert_refused_on_row_3(self, path):
        self.import_json("regions", self.regions(), check=0)
        before = db_dump(self.db, LEDGER_ORDER + ["audit_log"])
        p, j = self.import_json("households", path, check=1)
        self.assertEqual(j["status"], "refused")
        self.assertEqual(j["error_count"], 1)
        self.assertEqual(len(j["errors"]), 1)
        e = j["errors"][0]
        self.assertEqual((e["level"], e["row"], e["column"]), ("error", 3, "户主身份证号"))
        self.assertIn("校验码", e["reason"])
        self.assertIn("第3行", e["message"])
        # the ID number is masked in the JSON as in the message
        self.assertEqual(e["value"], "411628********0021")
        self.assertNotIn("19700202", p.stdout)
        self.assertIn("导入被拒绝", p.stderr)
        self.assertEqual(before, db_dump(self.db, LEDGER_ORDER + ["audit_log"]))

    BAD_ID = "411628197002020021"  # the check digit should be 0

    def refused_rows(self):
        self.assertNotEqual(idcard("411628", "19700202", 2), self.BAD_ID)
        return [household("H1", "张一", idcard("411628", "19700101", 1)),
                household("H2", "张二", self.BAD_ID)]

    def test_refused_csv_names_row_and_column(self):
        path = write_csv(self.path("hh.csv"), HOUSEHOLDS_HEADER, self.refused_rows())
        self.assert_refused_on_row_3(path)

    def test_refused_xlsx_names_row_and_column(self):
        path = make_xlsx(self.path("hh.xlsx"), [HOUSEHOLDS_HEADER] + self.refused_rows())
        self.assert_refused_on_row_3(path)

    def test_unreadable_file_fails(self):
        _, j = self.import_json("regions", self.path("nosuch.csv"), check=3)
        self.assertEqual(j["status"], "failed")
        self.assertIn("文件不存在或无法读取", j["errors"][0]["message"])
        self.assertIsNone(j["encoding"])


if __name__ == "__main__":
    unittest.main()
