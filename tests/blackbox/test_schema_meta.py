"""Black-box tests of the schema version a database records (tz_meta): a
version that is not a whole number is refused, not read as 0 (atoi did) and
"migrated" over."""
import sqlite3
import unittest

from tzlib import REGIONS_BASE, REGIONS_HEADER, TzCase, db_dump, run, write_csv


class TestSchemaVersion(TzCase):
    def _db(self):
        db = self.path("t.db")
        run("init", db, check=0)
        run("import", db, "regions", write_csv(self.path("r.csv"), REGIONS_HEADER, REGIONS_BASE),
            check=0)
        return db

    def _set_version(self, db, value):
        con = sqlite3.connect(db)
        with con:
            con.execute("UPDATE tz_meta SET value = ? WHERE key = 'schema_version'", (value,))
        con.close()

    def test_a_garbled_version_is_refused_and_left_alone(self):
        db = self._db()
        for bad in ("abc", "2abc", "", " 1", "1.0", "99999999999999999999"):
            with self.subTest(version=bad):
                self._set_version(db, bad)
                before = db_dump(db, ["tz_meta", "regions", "audit_log"])
                p = run("list", db, "regions")
                self.assertEqual(p.returncode, 3, p.stderr)
                self.assertIn("schema_version", p.stderr)
                self.assertIn("不是整数", p.stderr)
                self.assertIn("未做任何改动", p.stderr)
                self.assertEqual(p.stdout, "")
                # nothing written: the version is not repaired behind the user's back
                self.assertEqual(db_dump(db, ["tz_meta", "regions", "audit_log"]), before)

    def test_a_whole_number_still_opens(self):
        db = self._db()
        self._set_version(db, "1")
        p = run("list", db, "regions", "--json", check=0)
        self.assertIn("411628", p.stdout)
        # a version newer than the program is its own message
        self._set_version(db, "7")
        p = run("list", db, "regions")
        self.assertEqual(p.returncode, 3)
        self.assertIn("结构版本7", p.stderr)


if __name__ == "__main__":
    unittest.main()
