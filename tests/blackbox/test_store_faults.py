"""Black-box tests of storage faults: a full disk during a large import, a
second writer, read-only files and folders, a PostgreSQL server that never
answers. Each runs the real binary against real files (and a real tmpfs
where the test may mount one)."""
import os
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import unittest

from tzlib import BIN, ROOT, TzCase, idcard, read_csv, run, write_csv

GEN = os.path.join(ROOT, "bench", "gen_county.py")
NOBODY = 65534


def _gen(outdir, households, villages):
    subprocess.run([sys.executable, GEN, outdir, "--households", str(households),
                    "--villages", str(villages)], check=True, capture_output=True)
    return outdir


def _counts(db, immutable=False):
    con = sqlite3.connect(f"file:{db}?immutable=1", uri=True) if immutable else sqlite3.connect(db)
    try:
        return (con.execute("SELECT count(*) FROM households").fetchone()[0],
                con.execute("SELECT count(*) FROM audit_log").fetchone()[0])
    finally:
        con.close()


def _run_env(args, preexec_fn=None, prefix=()):
    env = dict(os.environ, TAIZHANG_HOME=ROOT)
    return subprocess.run([*prefix, BIN, *map(str, args)], capture_output=True, text=True,
                          env=env, preexec_fn=preexec_fn, timeout=600)


def _can_mount():
    """True when this process may mount a tmpfs (root in CI)."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    d = tempfile.mkdtemp(prefix="tz-mnt-")
    try:
        ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", d],
                            capture_output=True).returncode == 0
        if ok:
            subprocess.run(["umount", d], check=True)
        return ok
    finally:
        os.rmdir(d)


CAN_MOUNT = _can_mount()


class Data:
    """Generated county ledgers, made once for the module."""
    small = None
    large = None
    base = None


def setUpModule():
    Data.base = tempfile.mkdtemp(prefix="tz-faults-")
    os.chmod(Data.base, 0o755)
    Data.small = _gen(os.path.join(Data.base, "small"), 300, 60)
    # larger than the 16 MB page cache, so SQLite writes pages before COMMIT
    Data.large = _gen(os.path.join(Data.base, "large"), 100000, 100)
    for d in (Data.small, Data.large):
        os.chmod(d, 0o755)
        for f in os.listdir(d):
            os.chmod(os.path.join(d, f), 0o644)


def tearDownModule():
    shutil.rmtree(Data.base, ignore_errors=True)


class FaultCase(TzCase):
    def base_db(self, folder, data):
        db = os.path.join(folder, "t.db")
        run("init", db, check=0)
        run("import", db, "regions", os.path.join(data, "regions.csv"), "--quiet", check=0)
        run("import", db, "units", os.path.join(data, "units.csv"), "--quiet", check=0)
        return db

    def assert_disk_full(self, p, db, before):
        self.assertEqual(p.returncode, 3, p.stderr[-2000:])
        self.assertIn("磁盘空间已满", p.stderr)
        self.assertIn("数据库未做任何改动", p.stderr)
        # one message, not one per row
        self.assertLess(len(p.stderr.splitlines()), 5, p.stderr[-2000:])
        self.assertEqual(_counts(db), before, "rows were kept after a full disk")
        chk = sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0]
        self.assertEqual(chk, "ok")


class TestDiskFull(FaultCase):
    def test_file_size_limit(self):
        """ulimit -f: the import hits EFBIG mid-transaction (no root needed)."""
        db = self.base_db(self.tmp, Data.large)
        before = _counts(db)
        limit = os.path.getsize(db) + 2 * 1024 * 1024

        def pre():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

        p = _run_env(["import", db, "households", os.path.join(Data.large, "households.csv"),
                      "--quiet"], preexec_fn=pre)
        self.assert_disk_full(p, db, before)

    @unittest.skipUnless(CAN_MOUNT, "mount a tmpfs needs root (CAP_SYS_ADMIN); "
                                    "the ulimit -f variant covers the non-root case")
    def test_small_tmpfs(self):
        mnt = os.path.join(self.tmp, "mnt")
        os.mkdir(mnt)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mnt], check=True)
        try:
            db = self.base_db(mnt, Data.large)
            before = _counts(db)
            p = run("import", db, "households", os.path.join(Data.large, "households.csv"),
                    "--quiet")
            self.assert_disk_full(p, db, before)
        finally:
            subprocess.run(["umount", "-l", mnt])


class TestContention(FaultCase):
    def test_second_writer_fails_once(self):
        db = self.base_db(self.tmp, Data.small)
        before = _counts(db)
        con = sqlite3.connect(db, isolation_level=None)
        con.execute("BEGIN IMMEDIATE")  # another import holds the write lock
        try:
            p = run("import", db, "households", os.path.join(Data.small, "households.csv"),
                    "--quiet")
        finally:
            con.execute("ROLLBACK")
            con.close()
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertEqual(p.stderr.count("另一个导入或修改正在进行,请稍后再试"), 1, p.stderr)
        self.assertLess(len(p.stderr.splitlines()), 4, p.stderr)
        self.assertEqual(_counts(db), before)
        # and once the other writer is done, the same import goes through
        run("import", db, "households", os.path.join(Data.small, "households.csv"), "--quiet",
            check=0)


class TestReadOnly(FaultCase):
    def _as_reader(self):
        """Runs commands as a user who cannot write (root ignores file modes)."""
        if os.geteuid() == 0:
            return ("setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups")
        return ()

    def _read_commands_work(self, db, prefix=()):
        out = os.path.join(self.outdir, "r.md")
        p = _run_env(["list", db, "households", "--limit", "3"], prefix=prefix)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("户编号", p.stdout)
        p = _run_env(["check", db, "--period", "2020"], prefix=prefix)
        self.assertIn(p.returncode, (0, 1), p.stderr)
        self.assertNotIn("只读", p.stderr)
        self.assertIn("考核", p.stdout + p.stderr)
        p = _run_env(["report", db, "--kind", "poverty-work", "--region", "411628", "--period",
                      "2020", "--unit", "县文化广电旅游局", "-o", out], prefix=prefix)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertGreater(os.path.getsize(out), 100)

    def setUp(self):
        super().setUp()
        os.chmod(self.tmp, 0o755)
        self.outdir = os.path.join(self.tmp, "out")
        os.mkdir(self.outdir)
        os.chmod(self.outdir, 0o777)

    def test_read_only_file(self):
        folder = os.path.join(self.tmp, "db")
        os.mkdir(folder)
        db = self.base_db(folder, Data.small)
        run("import", db, "households", os.path.join(Data.small, "households.csv"), "--quiet",
            check=0)
        os.chmod(db, 0o644 if os.geteuid() == 0 else 0o444)  # root's file: read-only to nobody
        os.chmod(folder, 0o777)  # the folder itself stays writable
        before = _counts(db)
        prefix = self._as_reader()
        p = _run_env(["import", db, "households", os.path.join(Data.small, "households.csv")],
                     prefix=prefix)
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertIn("只读", p.stderr)
        self.assertLess(len(p.stderr.splitlines()), 4, p.stderr)
        self.assertEqual(_counts(db), before)
        self._read_commands_work(db, prefix)

    def test_read_only_folder(self):
        folder = os.path.join(self.tmp, "db")
        os.mkdir(folder)
        mounted = False
        if os.geteuid() == 0:
            if not CAN_MOUNT:
                self.skipTest("as root only a read-only mount stops writes, and mount is "
                              "not permitted here")
            subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", folder],
                           check=True)
            mounted = True
        try:
            db = self.base_db(folder, Data.small)
            run("import", db, "households", os.path.join(Data.small, "households.csv"),
                "--quiet", check=0)
            # a change made outside taizhang: the metric summaries are stale now
            # and cannot be rebuilt in a read-only folder, so metrics compute
            con = sqlite3.connect(db)
            con.execute("UPDATE households SET members = members + 1 WHERE rowid = 1")
            con.commit()
            con.close()
            self.assertFalse(os.path.exists(db + "-wal"))
            if mounted:
                subprocess.run(["mount", "-o", "remount,ro", folder], check=True)
            else:
                os.chmod(db, 0o444)
                os.chmod(folder, 0o555)
            before = _counts(db, immutable=True)
            self._read_commands_work(db)
            p = run("import", db, "households", os.path.join(Data.small, "households.csv"))
            self.assertEqual(p.returncode, 3, p.stderr)
            self.assertIn("只读", p.stderr)
            self.assertEqual(_counts(db, immutable=True), before)
            self.assertFalse(os.path.exists(db + "-shm"))
        finally:
            if mounted:
                subprocess.run(["umount", "-l", folder])
            else:
                os.chmod(folder, 0o755)


class TestAuditPrivacy(FaultCase):
    """PIPL: the audit log never keeps a clear ID number; exports are logged;
    the database is private to its owner."""

    def test_id_change_is_hashed(self):
        db = self.base_db(self.tmp, Data.small)
        rows = read_csv(os.path.join(Data.small, "households.csv"))
        header, first = rows[0], rows[1]
        col = header.index("户主身份证号")
        old_id = first[col]
        new_id = idcard("411628", "19800101", 777)
        write_csv(self.path("h1.csv"), header, [first])
        run("import", db, "households", self.path("h1.csv"), "--quiet", check=0)
        changed = list(first)
        changed[col] = new_id
        write_csv(self.path("h2.csv"), header, [changed])
        run("import", db, "households", self.path("h2.csv"), "--quiet", check=0)
        con = sqlite3.connect(db)
        log = "\n".join(r[0] for r in con.execute("SELECT detail FROM audit_log"))
        key = con.execute("SELECT value FROM tz_meta WHERE key = 'audit_key'").fetchone()
        con.close()
        self.assertNotIn(old_id, log)
        self.assertNotIn(new_id, log)
        self.assertIsNotNone(key)
        self.assertEqual(len(key[0]), 64)
        line = [x for x in log.splitlines() if "户主身份证号" in x]
        self.assertEqual(len(line), 1, log)
        import re
        m = re.search(r"户主身份证号: (\S+)#([0-9a-f]{12}) → (\S+)#([0-9a-f]{12})", line[0])
        self.assertIsNotNone(m, line[0])
        self.assertEqual(m.group(1), old_id[:6] + "*" * 8 + old_id[-4:])
        self.assertEqual(m.group(3), new_id[:6] + "*" * 8 + new_id[-4:])
        self.assertNotEqual(m.group(2), m.group(4))  # shows that the ID changed
        import hmac, hashlib
        want = hmac.new(bytes.fromhex(key[0]), old_id.encode(), hashlib.sha256).hexdigest()
        self.assertEqual(m.group(2), want[:12])

    def test_old_clear_ids_are_rewritten(self):
        """A database from before IDs were hashed: its first import makes the
        key and rewrites the old entries."""
        db = self.base_db(self.tmp, Data.small)
        a, b = idcard("411628", "19700101", 11), idcard("411628", "19710202", 22)
        con = sqlite3.connect(db)
        con.execute("DELETE FROM tz_meta WHERE key = 'audit_key'")
        con.execute("INSERT INTO audit_log (ts, actor, action, ledger, row_key, detail) VALUES "
                    "('2020-01-01 00:00:00', '命令行', '修改', 'households', '1', ?)",
                    (f"h.csv 第2行; 户主身份证号: {a} → {b}; 户编号: 123456789012345678",))
        con.commit()
        con.close()
        run("import", db, "households", os.path.join(Data.small, "households.csv"), "--quiet",
            check=0)
        con = sqlite3.connect(db)
        log = "\n".join(r[0] for r in con.execute("SELECT detail FROM audit_log"))
        key = con.execute("SELECT value FROM tz_meta WHERE key = 'audit_key'").fetchone()[0]
        con.close()
        self.assertNotIn(a, log)
        self.assertNotIn(b, log)
        import hmac, hashlib
        ha = hmac.new(bytes.fromhex(key), a.encode(), hashlib.sha256).hexdigest()[:12]
        self.assertIn(f"户主身份证号: {a[:6]}********{a[-4:]}#{ha} → ", log)

    def test_export_is_logged(self):
        db = self.base_db(self.tmp, Data.small)
        run("import", db, "households", os.path.join(Data.small, "households.csv"), "--quiet",
            check=0)
        out = self.path("out.csv")
        run("export", db, "households", out, "--where", "识别年度=2016", check=0)
        n = len(read_csv(out)) - 1
        rows = sqlite3.connect(db).execute(
            "SELECT actor, action, ledger, detail FROM audit_log WHERE action = '导出'").fetchall()
        self.assertEqual(len(rows), 1)
        actor, action, ledger, detail = rows[0]
        self.assertTrue(actor.startswith("命令行("), actor)
        self.assertEqual(ledger, "households")
        self.assertIn(f"导出{n}行到 {os.path.realpath(out)}", detail)
        self.assertIn("识别年度=2016", detail)

    def test_database_is_private(self):
        db = self.base_db(self.tmp, Data.small)
        self.assertEqual(os.stat(db).st_mode & 0o777, 0o600)
        con = sqlite3.connect(db)  # keeps the -wal open while we look
        con.execute("SELECT count(*) FROM households").fetchone()
        p = subprocess.Popen([BIN, "import", db, "households",
                              os.path.join(Data.small, "households.csv"), "--quiet"],
                             env=dict(os.environ, TAIZHANG_HOME=ROOT))
        p.wait()
        for suffix in ("-wal", "-shm"):
            if os.path.exists(db + suffix):
                self.assertEqual(os.stat(db + suffix).st_mode & 0o777, 0o600, suffix)
        con.close()


class _SilentServer:
    """Accepts TCP connections on 127.0.0.1 and never answers."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.conns = []
        self.stop = False
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self):
        self.sock.settimeout(0.2)
        while not self.stop:
            try:
                c, _ = self.sock.accept()
                self.conns.append(c)
            except OSError:
                pass

    def close(self):
        self.stop = True
        self.thread.join()
        for c in self.conns:
            c.close()
        self.sock.close()


class TestPostgresHang(TzCase):
    def test_silent_server_times_out(self):
        srv = _SilentServer()
        try:
            uri = f"postgresql://u:p@127.0.0.1:{srv.port}/db?connect_timeout=2"
            p = run("list", uri, "households")
            self.assertEqual(p.returncode, 3, p.stderr)
            self.assertIn("超时", p.stderr)
            self.assertIn("connect_timeout", p.stderr)
            self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
            self.assertGreater(len(srv.conns), 0, "the server was never contacted")
        finally:
            srv.close()

    def test_default_timeout_applies(self):
        """Without connect_timeout in the URL the default (10 s) still ends it."""
        srv = _SilentServer()
        try:
            env = dict(os.environ, TAIZHANG_HOME=ROOT)
            env.pop("PGCONNECT_TIMEOUT", None)
            p = subprocess.run([BIN, "list", f"postgresql://u:p@127.0.0.1:{srv.port}/db",
                                "households"], capture_output=True, text=True, env=env,
                               timeout=120)
            self.assertEqual(p.returncode, 3, p.stderr)
            self.assertIn("超时", p.stderr)
        finally:
            srv.close()


if __name__ == "__main__":
    unittest.main()
