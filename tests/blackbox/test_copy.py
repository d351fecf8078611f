"""Black-box tests of `taizhang copy SRC DST` (issue 13, item 9): a whole
database into a new one, SQLite to SQLite and through PostgreSQL and back,
loses nothing: every ledger row, the audit log, accounts, deadlines and the
audit key, each value as its kind (a real to the last digit). The copy is
audited in the target; the summaries are rebuilt there and every check
reads the same. A target that exists is refused, a source column the target
lacks is refused, and a refused copy leaves no file behind."""
import json
import os
import shutil
import sqlite3
import tempfile

from serverlib import PgDatabase, pg_base, user_add
from tzlib import TzCase, run

COUNTY = "411628"
EXACT = 5123.4567890123456  # needs 17 digits: SQLite's text has 15
TRICKY = "\\N\t李\\四\r\n"  # COPY's NULL, its escape, tab and line ends


class Demo:
    dir = None
    db = None


def setUpModule():
    Demo.dir = tempfile.mkdtemp(prefix="tz-copy-")
    Demo.db = os.path.join(Demo.dir, "demo.db")
    run("demo", Demo.db, "--quiet", check=0)
    user_add(Demo.db, "copy_admin", "管理员", region=COUNTY)
    run("deadline", Demo.db, "村", "3", check=0)
    with sqlite3.connect(Demo.db) as c:
        c.execute("UPDATE households SET income = ? WHERE hh_id = (SELECT MIN(hh_id) FROM "
                  "households)", (EXACT,))
        # text COPY would misread unescaped (PostgreSQL's target takes COPY text)
        c.execute("UPDATE households SET helper = ? WHERE hh_id = (SELECT MAX(hh_id) FROM "
                  "households)", (TRICKY,))


def tearDownModule():
    shutil.rmtree(Demo.dir, ignore_errors=True)


# tz_meta keys that describe a database's own schema and summaries
OWN_META = ("schema_version", "schema_fingerprint", "agg_version", "data_version")


def tables(db):
    """Every table but the summaries, as sorted rows; tz_meta without its own
    keys and audit_log without the entries the copies added."""
    con = sqlite3.connect(db)
    try:
        out = {}
        for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name "
                                "NOT LIKE 'sqlite_%' AND name NOT LIKE 'tz_agg_%'"):
            sql = f'SELECT * FROM "{t}"'
            if t == "tz_meta":
                sql += " WHERE key NOT IN (%s)" % ", ".join("'%s'" % k for k in OWN_META)
            if t == "audit_log":
                sql += " WHERE action <> '复制数据库'"
            out[t] = sorted(map(repr, con.execute(sql).fetchall()))
        return out
    finally:
        con.close()


def check(db):
    """`check --json` of the county (exit 1: some target not met)."""
    p = run("check", db, "--region", COUNTY, "--period", "2019", "--json")
    if p.returncode not in (0, 1):
        raise AssertionError(p.stderr)
    return json.loads(p.stdout)


class TestCopy(TzCase):
    def test_sqlite_to_sqlite_loses_nothing(self):
        dst = self.path("copy.db")
        p = run("copy", Demo.db, dst, check=0)
        self.assertIn("已复制", p.stdout)
        self.assertRegex(p.stdout, r"households\s+12000行")
        self.assertIn("指标汇总表不复制", p.stdout)
        before = tables(Demo.db)
        self.assertTrue(before["tz_users"] and before["tz_deadlines"] and before["audit_log"])
        self.assertEqual(tables(dst), before)
        with sqlite3.connect(dst) as c:
            got = c.execute("SELECT income, typeof(income) FROM households WHERE hh_id = "
                            "(SELECT MIN(hh_id) FROM households)").fetchone()
            self.assertEqual(got, (EXACT, "real"))
            audit = c.execute("SELECT actor, detail FROM audit_log WHERE action = '复制数据库'"
                              ).fetchall()
            self.assertEqual(len(audit), 1)
            self.assertEqual(audit[0][0], "命令行")
            self.assertIn("从SQLite数据库复制", audit[0][1])
            key = c.execute("SELECT value FROM tz_meta WHERE key = 'audit_key'").fetchone()
        with sqlite3.connect(Demo.db) as c:
            self.assertEqual(key, c.execute("SELECT value FROM tz_meta WHERE key = 'audit_key'"
                                            ).fetchone(), "the audit key travels")
        self.assertEqual(check(dst), check(Demo.db))

    def test_existing_target_refused(self):
        dst = self.path("copy.db")
        run("copy", Demo.db, dst, "--quiet", check=0)
        before = tables(dst)
        p = run("copy", Demo.db, dst, "--quiet")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("已存在", p.stderr)
        self.assertEqual(tables(dst), before)

    def test_column_the_target_lacks_refused_and_nothing_left(self):
        src = self.path("extra.db")
        shutil.copy(Demo.db, src)
        with sqlite3.connect(src) as c:
            c.execute("ALTER TABLE households ADD COLUMN note_extra TEXT")
        dst = self.path("none.db")
        p = run("copy", src, dst, "--quiet")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("note_extra", p.stderr)
        self.assertIn("未做任何改动", p.stderr)
        self.assertFalse([f for f in os.listdir(self.tmp) if f.startswith("none.db")],
                         "a refused copy leaves no file")

    def test_not_a_taizhang_database(self):
        src = self.path("other.db")
        with sqlite3.connect(src) as c:
            c.execute("CREATE TABLE t (x)")
        p = run("copy", src, self.path("x.db"), "--quiet")
        self.assertNotEqual(p.returncode, 0)
        self.assertFalse(os.path.exists(self.path("x.db")))

    def test_through_postgres_and_back(self):
        if not pg_base():
            self.skipTest("TZ_PG_URI not set (PostgreSQL not started)")
        pg = PgDatabase("copy")
        try:
            run("copy", Demo.db, pg.uri, "--quiet", check=0)
            self.assertEqual(check(pg.uri), check(Demo.db))
            # the audit log's sequence went past the copied ids: a new entry fits
            user_add(pg.uri, "after_copy", "查看", region=COUNTY)
            back = self.path("back.db")
            run("copy", pg.uri, back, "--quiet", check=0)
            got, want = tables(back), tables(Demo.db)
            users = [u for u in got["tz_users"] if "after_copy" not in u]
            self.assertEqual(len(users), len(got["tz_users"]) - 1)
            got["tz_users"] = users
            got["audit_log"] = [a for a in got["audit_log"] if "after_copy" not in a]
            self.assertEqual(got, want)
            with sqlite3.connect(back) as c:
                self.assertEqual(c.execute("SELECT income FROM households WHERE hh_id = (SELECT "
                                           "MIN(hh_id) FROM households)").fetchone()[0], EXACT)
                self.assertEqual(c.execute("SELECT count(*) FROM audit_log WHERE action = "
                                           "'复制数据库'").fetchone()[0], 2)
                self.assertEqual(c.execute("SELECT count(*) FROM households WHERE helper = ?",
                                           (TRICKY,)).fetchone()[0], 1)
        finally:
            pg.drop()
