"""Black-box tests of numbers the store reads from its configuration, which
atoi used to read without a word: the schema version a database records
(tz_meta; one that is not a whole number is refused, not read as 0 and
"migrated" over), and the PostgreSQL connect timeout named in the message
when a server does not answer (from the URL, else PGCONNECT_TIMEOUT)."""
import os
import socket
import sqlite3
import subprocess
import threading
import unittest

from tzlib import BIN, REGIONS_BASE, REGIONS_HEADER, ROOT, TzCase, db_dump, run, write_csv


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


class _Mute:
    """A TCP listener on 127.0.0.1 that accepts and never answers."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.conns, self.stop = [], False
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self):
        while not self.stop:
            try:
                self.conns.append(self.sock.accept()[0])
            except OSError:
                pass

    def close(self):
        self.stop = True
        self.thread.join()
        for c in self.conns:
            c.close()
        self.sock.close()


class TestConnectTimeoutMessage(TzCase):
    def _list(self, uri, env_timeout=None):
        env = dict(os.environ, TAIZHANG_HOME=ROOT)
        env.pop("PGCONNECT_TIMEOUT", None)
        if env_timeout is not None:
            env["PGCONNECT_TIMEOUT"] = env_timeout
        return subprocess.run([BIN, "list", uri, "households"], capture_output=True, text=True,
                              env=env, timeout=120)

    def test_the_message_names_the_timeout_in_force(self):
        srv = _Mute()
        try:
            base = f"postgresql://u:p@127.0.0.1:{srv.port}/db"
            for uri, env_timeout, seconds in ((base + "?connect_timeout=2", None, "2"),
                                              (base, "3", "3"),
                                              (base + "?connect_timeout=2", "3", "2")):
                with self.subTest(uri=uri, env=env_timeout):
                    p = self._list(uri, env_timeout)
                    self.assertEqual(p.returncode, 3, p.stderr)
                    self.assertIn(f"({seconds}秒内服务器没有应答)", p.stderr)
        finally:
            srv.close()


if __name__ == "__main__":
    unittest.main()
