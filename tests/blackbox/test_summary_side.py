"""The reads beside a full rebuild (issue 13, eleventh pass). On a SQLite
file in WAL mode, a full rebuild of the summaries reads the duplicate
persons and the gap counts on a second connection while its own connection
writes the village stage and the rule caches; on a file with a rollback
journal (a reader's lock would make the writer wait) it reads them itself.
Both ways give the same summaries, row for row, and the figures a check
prints equal those read from the ledgers. Which way ran is read from
TZ_METRICS_TRACE, never from a time."""
import shutil
import sqlite3
import unittest

from tzlib import SharedDemo, TzCase, run_metrics

_demo = SharedDemo("tz-side-")
tearDownModule = _demo.cleanup

SIDE = "重复户与未填项在第二个连接上读取"
TAKEN_DUP = "重复户:用第二个连接读到的行"
TAKEN_GAPS = "未填项:用第二个连接读到的行"
TABLES = ("tz_agg_dup", "tz_agg_null", "tz_agg_hh", "tz_agg_tv", "tz_agg_exit")


tz = run_metrics


def rows(db, table):
    con = sqlite3.connect(db)
    try:
        return sorted(con.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
    finally:
        con.close()


class SideReads(TzCase):
    def _data(self):
        """The demo with persons registered in two villages and more gaps,
        written by the sqlite3 shell's way (the triggers record them)."""
        db = self.path("wal.db")
        shutil.copy(_demo.get(), db)
        con = sqlite3.connect(db)
        villages = [r[0] for r in con.execute(
            "SELECT code FROM regions WHERE level = '村' ORDER BY code")]
        people = con.execute(
            "SELECT hh_id, head_name, id_number, village FROM households WHERE "
            "length(id_number) = 18 ORDER BY hh_id LIMIT 5").fetchall()
        for k, (hh, name, idn, village) in enumerate(people):
            other = next(v for v in villages if v != village)
            # the same name and birth date (digits 7-14), another ID and village
            twin = idn[:14] + "%03d" % (900 + k) + idn[17]
            con.execute(
                "INSERT INTO households (hh_id, head_name, id_number, village, members, kind, "
                "cause, year_identified) VALUES (?, ?, ?, ?, NULL, '一般贫困户', NULL, 2016)",
                (hh + "9", name, twin, other))
        con.execute("UPDATE households SET cause = NULL WHERE rowid % 7 = 0")
        con.commit()
        con.close()
        return db

    def test_same_summaries_either_way(self):
        wal = self._data()
        journal = self.path("journal.db")
        shutil.copy(wal, journal)
        con = sqlite3.connect(journal)
        self.assertEqual(con.execute("PRAGMA journal_mode=DELETE").fetchone()[0], "delete")
        con.close()
        county = sqlite3.connect(wal).execute(
            "SELECT code FROM regions WHERE level = '县' ORDER BY code LIMIT 1").fetchone()[0]
        out = {}
        for db in (wal, journal):
            con = sqlite3.connect(db)
            con.execute("DELETE FROM tz_meta WHERE key = 'agg_version'")
            con.commit()
            con.close()
            p = tz("check", db, "--region", county, "--period", "2019", trace=True)
            self.assertIn("汇总表已重建", p.stderr)
            out[db] = p
        for line in (SIDE, TAKEN_DUP, TAKEN_GAPS):
            self.assertIn(line, out[wal].stderr)
            self.assertNotIn(line, out[journal].stderr)
        self.assertNotIn("第二个连接读取失败", out[wal].stderr)
        self.assertEqual(out[wal].stdout, out[journal].stdout)
        for t in TABLES:
            self.assertEqual(rows(wal, t), rows(journal, t), t)
        # the comparison means something: candidates and gaps were found
        self.assertGreaterEqual(len(rows(wal, "tz_agg_dup")), 10)
        self.assertTrue(any(r[4] == "cause" for r in rows(wal, "tz_agg_null")))
        # and the figures are the ledgers' own
        led = tz("check", wal, "--region", county, "--period", "2019", summaries=False)
        self.assertEqual(out[wal].stdout, led.stdout)


if __name__ == "__main__":
    unittest.main()
