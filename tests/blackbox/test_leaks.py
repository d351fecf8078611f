"""Black-box tests of what must not leak out of Taizhang (issue 7, points 7,
13, 14, 15): formula injection through CSV exports, ID numbers on screen,
control characters reaching the terminal, file modes of exports and reports,
and temporary files left behind by an interrupted export."""
import json
import os
import signal
import stat
import subprocess
import sys
import time

from tzlib import (BIN, HOUSEHOLDS_HEADER, REGIONS_BASE, REGIONS_HEADER, ROOT, TzCase, db_dump,
                   db_rows, household, idcard, read_csv, read_xlsx, run, write_csv)

UNITS_HEADER = ["单位名称", "单位类型", "所属区划代码"]


class Base(TzCase):
    def new_db(self, name="t.db"):
        db = self.path(name)
        run("init", db, check=0)
        return db

    def base_db(self, name="t.db"):
        db = self.new_db(name)
        run("import", db, "regions", write_csv(self.path("regions.csv"), REGIONS_HEADER,
                                               REGIONS_BASE), check=0)
        return db


class TestCsvInjection(Base):
    HOSTILE = ["-2+3+cmd|' /C calc'!A0", "+1+cmd|' /C notepad'!A0", "=1+1", "@SUM(A1)",
               "-1", "-正常单位"]

    def test_every_formula_lead_is_guarded_and_round_trips(self):
        db = self.base_db()
        units = [[n, "县直单位", "411628"] for n in self.HOSTILE]
        run("import", db, "units", write_csv(self.path("u.csv"), UNITS_HEADER, units), check=0)
        stored = sorted(r[0] for r in db_rows(db, "SELECT name FROM units"))
        self.assertEqual(stored, sorted(self.HOSTILE))
        out = self.path("out.csv")
        run("export", db, "units", out, check=0)
        raw = open(out, "rb").read().decode("utf-8-sig").split("\r\n")
        lines = [ln for ln in raw[1:] if ln]
        self.assertEqual(len(lines), len(self.HOSTILE))
        for ln in lines:
            # the exported bytes of every name start with the apostrophe
            self.assertTrue(ln.startswith("'") or ln.startswith("\"'"), ln)
        self.assertIn("'-2+3+cmd|' /C calc'!A0,县直单位,411628000000", raw)
        # GB18030 too
        run("export", db, "units", self.path("gb.csv"), "--encoding", "gb18030", check=0)
        names = [r[0] for r in read_csv(self.path("gb.csv"), encoding="gb18030")[1:]]
        self.assertTrue(all(n.startswith("'") for n in names), names)
        # re-import into a fresh database gives the same rows
        db2 = self.base_db("b.db")
        run("import", db2, "units", out, check=0)
        self.assertEqual(db_dump(db, ["units"]), db_dump(db2, ["units"]))
        # xlsx: string cells, never evaluated, written as they are
        run("export", db, "units", self.path("out.xlsx"), check=0)
        names = sorted(r[0] for r in read_xlsx(self.path("out.xlsx"))[1:])
        self.assertEqual(names, sorted(self.HOSTILE))

    def test_numeric_column_carries_no_formula(self):
        db = self.base_db()
        run("import", db, "households", write_csv(self.path("h.csv"), HOUSEHOLDS_HEADER, [
            household("H001", "张三", idcard("411628", "19800101", 123))]), check=0)
        # a database edited behind Taizhang's back: text in a number column
        import sqlite3
        con = sqlite3.connect(db)
        con.execute("UPDATE households SET income = '-2+3+cmd|'' /C calc''!A0'")
        con.commit()
        con.close()
        run("export", db, "households", self.path("o.csv"), check=0)
        rows = read_csv(self.path("o.csv"))
        col = rows[0].index("人均纯收入(元)")
        # only the number the store reads from it goes out, never the text
        self.assertEqual(rows[1][col], "-2")
        self.assertNotIn("cmd", open(self.path("o.csv"), encoding="utf-8-sig").read())


if __name__ == "__main__":
    import unittest
    unittest.main()
