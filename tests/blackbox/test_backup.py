"""Black-box tests of `taizhang backup` and `taizhang restore`: a backup taken
while another writer is busy, restored into a new database, gives the same
export for every ledger; restore never overwrites; files are private."""
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest
import urllib.parse

from tzlib import BIN, LEDGER_ORDER, ROOT, TzCase, read_csv, run

GEN = os.path.join(ROOT, "bench", "gen_county.py")


class Data:
    base = None
    small = None
    large = None


def setUpModule():
    Data.base = tempfile.mkdtemp(prefix="tz-backup-")
    for name, hh, villages in (("small", 400, 60), ("large", 60000, 100)):
        out = os.path.join(Data.base, name)
        subprocess.run([sys.executable, GEN, out, "--households", str(hh), "--villages",
                        str(villages)], check=True, capture_output=True)
        setattr(Data, name, out)


def tearDownModule():
    shutil.rmtree(Data.base, ignore_errors=True)


def _ledger_files(data):
    return [(l, os.path.join(data, l + ".csv")) for l in LEDGER_ORDER
            if os.path.exists(os.path.join(data, l + ".csv"))]


class BackupCase(TzCase):
    def exports(self, db, tag):
        """Every ledger's CSV export, as rows."""
        out = {}
        for ledger in LEDGER_ORDER:
            path = self.path(f"{tag}-{ledger}.csv")
            run("export", db, ledger, path, check=0)
            out[ledger] = read_csv(path)
        return out

    def filled_db(self, data, only=None):
        db = self.path("orig.db")
        run("init", db, check=0)
        for ledger, f in _ledger_files(data):
            if only is None or ledger in only:
                run("import", db, ledger, f, "--quiet", check=0)
        return db


class TestSqliteBackup(BackupCase):
    def test_backup_while_writer_holds_transaction(self):
        """Another writer mid-transaction: backup neither waits for it nor
        copies its uncommitted rows."""
        db = self.filled_db(Data.small)
        before = self.exports(db, "a")
        con = sqlite3.connect(db, isolation_level=None)
        con.execute("BEGIN IMMEDIATE")
        con.execute("DELETE FROM tv_installs")
        con.execute("UPDATE households SET members = members + 1")
        try:
            bk = self.path("b.tzbak")
            p = run("backup", db, bk, check=0)
            self.assertIn("已备份", p.stdout)
        finally:
            con.execute("COMMIT")
            con.close()
        self.assertEqual(os.stat(bk).st_mode & 0o777, 0o600)
        restored = self.path("restored.db")
        run("restore", bk, restored, check=0)
        self.assertEqual(os.stat(restored).st_mode & 0o777, 0o600)
        self.assertEqual(self.exports(restored, "r"), before)
        self.assertNotEqual(self.exports(db, "after"), before)  # the writer did change it

    def test_backup_during_import(self):
        db = self.filled_db(Data.large, only=("regions", "units"))
        before = self.exports(db, "a")
        env = dict(os.environ, TAIZHANG_HOME=ROOT)
        imp = subprocess.Popen([BIN, "import", db, "households",
                                os.path.join(Data.large, "households.csv"), "--quiet"],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
        bk = self.path("during.tzbak")
        try:
            p = run("backup", db, bk)
        finally:
            out, err = imp.communicate(timeout=600)
        self.assertEqual(imp.returncode, 0, err)
        self.assertEqual(p.returncode, 0, p.stderr)
        after = self.exports(db, "b")
        self.assertNotEqual(before["households"], after["households"])
        restored = self.path("restored.db")
        run("restore", bk, restored, check=0)
        got = self.exports(restored, "r")
        # one consistent snapshot: all of the import or none of it
        self.assertIn(got, (before, after))
        chk = sqlite3.connect(restored).execute("PRAGMA integrity_check").fetchone()[0]
        self.assertEqual(chk, "ok")

    def test_restore_refuses_existing_target(self):
        db = self.filled_db(Data.small)
        bk = self.path("b.tzbak")
        run("backup", db, bk, check=0)
        other = self.path("other.db")
        run("init", other, check=0)
        content = open(other, "rb").read()
        p = run("restore", bk, other)
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertIn("已存在", p.stderr)
        self.assertEqual(open(other, "rb").read(), content)
        # the original itself is never overwritten either
        orig = open(db, "rb").read()
        self.assertEqual(run("restore", bk, db).returncode, 3)
        self.assertEqual(open(db, "rb").read(), orig)
        # a backup never overwrites a file
        p = run("backup", db, other)
        self.assertEqual(p.returncode, 3)
        self.assertIn("已存在", p.stderr)
        self.assertEqual(open(other, "rb").read(), content)
        self.assertEqual([f for f in os.listdir(self.tmp) if ".tmp-" in f], [])

    def test_restore_checks_the_backup(self):
        notdb = self.path("notes.txt")
        with open(notdb, "w") as f:
            f.write("这不是备份\n" * 100)
        p = run("restore", notdb, self.path("x.db"))
        self.assertEqual(p.returncode, 3)
        self.assertIn("不是", p.stderr)
        self.assertFalse(os.path.exists(self.path("x.db")))
        foreign = self.path("foreign.db")
        con = sqlite3.connect(foreign)
        con.execute("CREATE TABLE t (x)")
        con.commit()
        con.close()
        p = run("restore", foreign, self.path("y.db"))
        self.assertEqual(p.returncode, 3)
        self.assertIn("不是台账数据库", p.stderr)
        self.assertFalse(os.path.exists(self.path("y.db")))
        p = run("backup", foreign, self.path("z.tzbak"))
        self.assertEqual(p.returncode, 3)
        self.assertFalse(os.path.exists(self.path("z.tzbak")))

    def test_usage(self):
        self.assertEqual(run("backup").returncode, 2)
        self.assertEqual(run("restore", "only-one").returncode, 2)
        self.assertIn("pg_dump", run("backup", "--help", check=0).stdout)
        self.assertIn("不会覆盖", run("restore", "--help", check=0).stdout)


def _with_db(uri, name):
    u = urllib.parse.urlsplit(uri)
    return urllib.parse.urlunsplit((u.scheme, u.netloc, "/" + name, u.query, u.fragment))


@unittest.skipUnless(os.environ.get("TZ_PG_URI") and shutil.which("psql")
                     and shutil.which("pg_dump"), "TZ_PG_URI, psql or pg_dump missing")
class TestPostgresBackup(BackupCase):
    def setUp(self):
        super().setUp()
        base = os.environ["TZ_PG_URI"]
        self.admin = _with_db(base, "postgres")
        tag = f"{os.getpid()}"
        self.src = _with_db(base, f"tz_bk_src_{tag}")
        self.dst = _with_db(base, f"tz_bk_dst_{tag}")
        for name in (f"tz_bk_src_{tag}", f"tz_bk_dst_{tag}"):
            self.psql(f"DROP DATABASE IF EXISTS {name}")
            self.psql(f"CREATE DATABASE {name}")
        self.names = [f"tz_bk_src_{tag}", f"tz_bk_dst_{tag}"]

    def tearDown(self):
        for name in self.names:
            self.psql(f"DROP DATABASE IF EXISTS {name}")
        super().tearDown()

    def psql(self, sql):
        subprocess.run(["psql", "-qX", self.admin, "-c", sql], check=True, capture_output=True)

    def test_round_trip(self):
        run("init", self.src, check=0)
        for ledger, f in _ledger_files(Data.small):
            run("import", self.src, ledger, f, "--quiet", check=0)
        before = self.exports(self.src, "a")
        bk = self.path("pg.dump")
        p = run("backup", self.src, bk, check=0)
        self.assertEqual(os.stat(bk).st_mode & 0o777, 0o600)
        run("restore", bk, self.dst, check=0)
        self.assertEqual(self.exports(self.dst, "r"), before)
        # a non-empty target is refused and left as it is
        p = run("restore", bk, self.dst)
        self.assertEqual(p.returncode, 3)
        self.assertIn("不是空库", p.stderr)
        self.assertEqual(self.exports(self.dst, "r2"), before)
        # a SQLite backup is not a PostgreSQL one
        self.psql(f"DROP DATABASE {self.names[1]}")
        self.psql(f"CREATE DATABASE {self.names[1]}")
        db = self.path("s.db")
        run("init", db, check=0)
        run("backup", db, self.path("s.tzbak"), check=0)
        p = run("restore", self.path("s.tzbak"), self.dst)
        self.assertEqual(p.returncode, 3)
        self.assertIn("不是台账数据库的PostgreSQL备份", p.stderr)


if __name__ == "__main__":
    unittest.main()
