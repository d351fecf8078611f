"""Black-box tests of 上报审核 from the command line: an approved period
locks its rows against `taizhang import` (该期间数据已审核锁定, nothing
changed) until it is reopened; `taizhang deadline` prints and sets the
deadlines, audited. The approval is written into tz_submissions directly
(the workflow itself is driven through the server and test_workflow.c)."""
import os
import sqlite3
import unittest

from tzlib import TzCase, db_dump, read_csv, run, write_csv

LOCKED = "该期间数据已审核锁定"


class LockedImport(TzCase):
    """The demo's 帮扶投入 (aid_inputs): TR2016001 is dated 2016-04-18,
    TR2016002 2016-05-10, both in 卢尧村 (411628101201, 鹿邑县) by
    县文化广电旅游局."""

    def setUp(self):
        super().setUp()
        self.db = self.path("demo.db")
        run("demo", self.db, "--quiet", check=0)
        out = self.path("aid_inputs.csv")
        run("export", self.db, "aid_inputs", out, check=0)
        rows = read_csv(out)
        self.header = rows[0]
        self.rows = {r[0]: r for r in rows[1:]}

    def _submission(self, kind, scope, digits, period, start, end, status="approved"):
        con = sqlite3.connect(self.db)
        with con:
            con.execute("INSERT INTO tz_submissions (scope_kind, scope, digits, period, "
                        "period_start, period_end, status, submitted_by, submitted_at, "
                        "reviewed_by, reviewed_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'ly_tb', "
                        "'2016-06-03 09:00:00', 'ly_sh', '2016-06-04 10:00:00')",
                        (kind, scope, digits, period, start, end, status))
        con.close()

    def _set_status(self, status):
        con = sqlite3.connect(self.db)
        with con:
            con.execute("UPDATE tz_submissions SET status = ?", (status,))
        con.close()

    def _file(self, name, *rows):
        return write_csv(self.path(name), self.header, rows)

    def _changed(self, key, **cells):
        row = list(self.rows[key])
        for col, value in cells.items():
            row[self.header.index(col)] = value
        return row

    def _state(self):
        return db_dump(self.db, ["aid_inputs", "audit_log"])

    def _refused(self, f):
        before = self._state()
        p = run("import", self.db, "aid_inputs", f, "--quiet")
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn(LOCKED, p.stderr)
        self.assertEqual(self._state(), before)
        return p

    def test_change_in_approved_month_refused(self):
        self._submission("region", "411628000000", 6, "2016-05", "2016-05-01", "2016-05-31")
        f = self._file("change.csv", self._changed("TR2016002", **{"金额(万元)": "2.6"}))
        p = self._refused(f)
        self.assertIn("该期间数据已审核锁定(鹿邑县 2016-05,审核人 ly_sh)", p.stderr)

    def test_new_row_in_approved_period_refused(self):
        self._submission("region", "411628101000", 9, "2016-Q2", "2016-04-01", "2016-06-30")
        new = self._changed("TR2016002", **{"投入编号": "TR2016999", "日期": "2016-06-30"})
        self._refused(self._file("new.csv", new))

    def test_unit_scope_locks_its_rows(self):
        self._submission("unit", "县文化广电旅游局", 0, "2016", "2016-01-01", "2016-12-31")
        self._refused(self._file("unit.csv", self._changed("TR2016001", **{"内容": "门窗"})))

    def test_outside_the_lock_accepted(self):
        """Another month, another county, or the period reopened: imported."""
        self._submission("region", "411628000000", 6, "2016-05", "2016-05-01", "2016-05-31")
        f = self._file("april.csv", self._changed("TR2016001", **{"金额(万元)": "1.7"}))
        run("import", self.db, "aid_inputs", f, "--quiet", check=0)
        self._set_status("submitted")
        f = self._file("may.csv", self._changed("TR2016002", **{"金额(万元)": "2.6"}))
        run("import", self.db, "aid_inputs", f, "--quiet", check=0)
        self._set_status("approved")
        f = self._file("may2.csv", self._changed("TR2016002", **{"金额(万元)": "3.6"}))
        self._refused(f)
        self._set_status("reopened")
        run("import", self.db, "aid_inputs", f, "--quiet", check=0)
        con = sqlite3.connect(self.db)
        amounts = dict(con.execute("SELECT input_id, amount FROM aid_inputs WHERE input_id "
                                   "IN ('TR2016001', 'TR2016002')").fetchall())
        con.close()
        self.assertEqual(amounts, {"TR2016001": 1.7, "TR2016002": 3.6})


class Deadline(TzCase):
    def setUp(self):
        super().setUp()
        self.db = self.path("t.db")
        run("init", self.db, check=0)

    def test_print_and_set(self):
        p = run("deadline", self.db, check=0)
        lines = p.stdout.splitlines()
        self.assertEqual(lines[1:], ["市    次月5日前", "县    次月5日前", "乡    次月5日前",
                                     "村    次月5日前", "单位  次月5日前"])
        p = run("deadline", self.db, "乡", "10", check=0)
        self.assertEqual(p.stdout, "已设置: 乡 次月10日前上报\n")
        self.assertIn("乡    次月10日前", run("deadline", self.db, check=0).stdout)
        con = sqlite3.connect(self.db)
        audit = con.execute("SELECT actor, action, ledger, row_key, detail FROM audit_log "
                            "WHERE action = '设置上报期限'").fetchall()
        con.close()
        self.assertEqual(audit, [("命令行", "设置上报期限", "deadlines", "乡", "次月10日前上报")])

    def test_refused_values_change_nothing(self):
        before = db_dump(self.db, ["tz_deadlines", "audit_log"])
        for args, says in ((("乡", "29"), "日期 \"29\""), (("乡", "0"), "日期 \"0\""),
                           (("乡", "五"), "日期"), (("省", "5"), "层级 \"省\""),
                           (("镇", "5"), "层级应为 市、县、乡、村 或 单位"),
                           (("乡",), "须同时给出层级和日期")):
            p = run("deadline", self.db, *args)
            self.assertEqual(p.returncode, 2, args)
            self.assertIn(says, p.stderr)
            self.assertIn("用法: taizhang deadline DB", p.stderr)
        self.assertEqual(db_dump(self.db, ["tz_deadlines", "audit_log"]), before)

    def test_help(self):
        for flag in ("-h", "--help"):
            p = run("deadline", flag, check=0)
            self.assertTrue(p.stdout.startswith("用法: taizhang deadline DB [层级 日期]"), p.stdout)
            self.assertIn("1 至 28", p.stdout)
            self.assertEqual(p.stderr, "")
        self.assertIn("deadline", run("--help", check=0).stdout)

    def test_missing_database(self):
        p = run("deadline", self.path("none.db"))
        self.assertEqual(p.returncode, 3)
        self.assertFalse(os.path.exists(self.path("none.db")))


if __name__ == "__main__":
    unittest.main()
