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

from tzlib import (BIN, HOUSEHOLDS_HEADER, REGIONS_BASE, REGIONS_HEADER, ROOT, SharedDemo, TzCase,
                   db_dump, db_rows, household, idcard, read_csv, read_xlsx, run, write_csv)

demo_db = SharedDemo("tz-leaks-")
tearDownModule = demo_db.cleanup

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
        with open(out, "rb") as f:
            raw = f.read().decode("utf-8-sig").split("\r\n")
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
        self.assertEqual(db_dump(db, ["units"], provenance=False),
                         db_dump(db2, ["units"], provenance=False))
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
        with open(self.path("o.csv"), encoding="utf-8-sig") as f:
            self.assertNotIn("cmd", f.read())


def run_bytes(*args):
    """Runs taizhang; returns (returncode, stdout bytes, stderr bytes)."""
    env = dict(os.environ, TAIZHANG_HOME=ROOT)
    p = subprocess.run([BIN, *map(str, args)], capture_output=True, env=env, timeout=600)
    return p.returncode, p.stdout, p.stderr


class TestListDisplay(Base):
    ID1 = idcard("411628", "19800101", 123)
    ID2 = idcard("411628", "19751231", 45)

    def households_db(self):
        db = self.base_db()
        run("import", db, "households", write_csv(self.path("h.csv"), HOUSEHOLDS_HEADER, [
            household("H001", "张三", self.ID1), household("H002", "李四", self.ID2)]), check=0)
        return db

    def test_ids_masked_by_default(self):
        db = self.households_db()
        p = run("list", db, "households", check=0)
        self.assertNotIn(self.ID1, p.stdout)
        self.assertNotIn(self.ID2, p.stdout)
        self.assertIn(self.ID1[:6] + "********" + self.ID1[-4:], p.stdout)
        self.assertIn(self.ID2[:6] + "********" + self.ID2[-4:], p.stdout)
        p = run("list", db, "households", "--json", check=0)
        rows = json.loads(p.stdout)
        self.assertEqual([r["户主身份证号"] for r in rows],
                         [self.ID1[:6] + "********" + self.ID1[-4:],
                          self.ID2[:6] + "********" + self.ID2[-4:]])
        self.assertNotIn(self.ID1, p.stdout)
        # filtering by the full number still works, and shows it masked
        p = run("list", db, "households", "--where", "户主身份证号=" + self.ID1, check=0)
        self.assertIn("张三", p.stdout)
        self.assertNotIn(self.ID1, p.stdout)
        # a refused filter value is masked in the message
        bad = self.ID1[:-1] + ("0" if self.ID1[-1] != "0" else "1")
        p = run("list", db, "households", "--where", "户主身份证号=" + bad)
        self.assertEqual(p.returncode, 2)
        self.assertNotIn(bad, p.stderr)
        self.assertIn(bad[:6] + "********" + bad[-4:], p.stderr)

    def test_unmask_shows_ids(self):
        db = self.households_db()
        p = run("list", db, "households", "--unmask", check=0)
        self.assertIn(self.ID1, p.stdout)
        self.assertIn(self.ID2, p.stdout)
        p = run("list", db, "households", "--json", "--unmask", check=0)
        self.assertEqual([r["户主身份证号"] for r in json.loads(p.stdout)], [self.ID1, self.ID2])
        p = run("list", "--help", check=0)
        self.assertIn("--unmask", p.stdout)
        self.assertIn("411628********123X", p.stdout)

    def test_export_writes_full_ids(self):
        db = self.households_db()
        run("export", db, "households", self.path("h.csv"), check=0)
        run("export", db, "households", self.path("h.xlsx"), check=0)
        for rows in (read_csv(self.path("h.csv")), read_xlsx(self.path("h.xlsx"))):
            col = rows[0].index("户主身份证号")
            self.assertEqual([r[col] for r in rows[1:]], [self.ID1, self.ID2])

    HOSTILE = "坏\x1b[2J\x1b[1;1H单位\t\r\n\x07\x7f\u009b31m\u202e\u200b\ufeff完"

    def hostile_db(self):
        db = self.base_db()
        run("import", db, "units", write_csv(self.path("u.csv"), UNITS_HEADER,
                                             [["某单位", "县直单位", "411628"]]), check=0)
        import sqlite3
        con = sqlite3.connect(db)
        # written behind Taizhang's back, as an older version or another tool might
        con.execute("UPDATE units SET name = ?", (self.HOSTILE,))
        con.commit()
        con.close()
        return db

    def test_control_characters_cannot_reach_the_terminal(self):
        db = self.hostile_db()
        rc, out, err = run_bytes("list", db, "units")
        self.assertEqual(rc, 0, err)
        for bad in [b"\x1b", b"\x07", b"\x7f", b"\t", b"\r", "\u009b".encode(),
                    "\u202e".encode(), "\u200b".encode(), "\ufeff".encode()]:
            self.assertNotIn(bad, out)
        text = out.decode()
        self.assertIn("坏<U+001B>[2J<U+001B>[1;1H单位<U+0009><U+000D><U+000A><U+0007><U+007F>"
                      "<U+009B>31m<U+202E><U+200B><U+FEFF>完", text)
        # one line per row: a newline in a cell does not break the table
        self.assertEqual(len(text.splitlines()), 3)

    def test_json_escapes_control_characters(self):
        db = self.hostile_db()
        rc, out, err = run_bytes("list", db, "units", "--json")
        self.assertEqual(rc, 0, err)
        for bad in [b"\x1b", b"\x07", b"\x7f", b"\t", b"\r", "\u009b".encode(),
                    "\u202e".encode(), "\u200b".encode(), "\ufeff".encode()]:
            self.assertNotIn(bad, out)
        self.assertEqual(json.loads(out)[0]["单位名称"], self.HOSTILE)  # same value, escaped

    def test_messages_echo_at_most_40_characters(self):
        db = self.households_db()
        huge = "台" * 30000  # 90 KB: one argument may hold at most 128 KB
        for args in (["list", db, huge], ["list", db, "households", "--where", huge + "=1"],
                     ["list", db, "households", "--where", "户主姓名=" + huge],
                     ["list", db, "households", "--where", "家庭人口=" + huge],
                     ["list", db, "households", "--" + "x" * 100000],
                     ["import", db, "households", self.path(huge[:60] + ".txt")],
                     ["export", db, "households", self.path(huge[:60] + ".txt")]):
            p = run(*args)
            self.assertNotEqual(p.returncode, 0)
            self.assertLess(len(p.stderr), 2000, args[:3])


def run_env(*args, umask=None, env_extra=None):
    """Runs taizhang with a given umask and extra environment variables."""
    env = dict(os.environ, TAIZHANG_HOME=ROOT)
    env.pop("TZ_FILE_GROUP", None)
    env.update(env_extra or {})
    pre = (lambda: os.umask(umask)) if umask is not None else None
    return subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, env=env,
                          preexec_fn=pre, timeout=600)


def mode_of(path):
    return stat.S_IMODE(os.stat(path).st_mode)


class TestFileModes(Base):
    def outputs(self):
        db = demo_db.get()
        return [("export", db, "regions", self.path("r.xlsx")),
                ("export", db, "regions", self.path("r.csv")),
                ("template", "regions", self.path("t.xlsx")),
                ("report", db, "--kind", "investment", "--region", "411400", "--period", "2015-H1",
                 "-o", self.path("r.docx"), "--appendix"),
                ("report", db, "--kind", "investment", "--region", "411400", "--period", "2015-H1",
                 "-o", self.path("r.md")),
                ("report", db, "--kind", "investment", "--region", "411400", "--period", "2015-H1",
                 "-o", self.path("r.html"))]

    def test_outputs_are_0600_whatever_the_umask(self):
        for args in self.outputs():
            out = args[-1] if args[-1] != "--appendix" else args[-2]
            # an earlier, world-readable copy is replaced by a private one
            with open(out, "w") as f:
                f.write("old")
            os.chmod(out, 0o644)
            for umask in (0, 0o022, 0o277):
                p = run_env(*args, umask=umask)
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertEqual(mode_of(out), 0o600, (args, oct(umask)))
        leftovers = [n for n in os.listdir(self.tmp) if "taizhang-tmp" in n]
        self.assertEqual(leftovers, [])

    def test_group_mode_0640(self):
        import grp
        group = grp.getgrgid(os.getgid()).gr_name
        for args in self.outputs():
            out = args[-1] if args[-1] != "--appendix" else args[-2]
            p = run_env(*args, umask=0o077, env_extra={"TZ_FILE_GROUP": group})
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(mode_of(out), 0o640, args)
            self.assertEqual(os.stat(out).st_gid, os.getgid())
            os.unlink(out)
            p = run_env(*args, env_extra={"TZ_FILE_GROUP": "no-such-group-tz"})
            self.assertEqual(p.returncode, 3, (args, p.stdout, p.stderr))
            self.assertIn("TZ_FILE_GROUP", p.stderr)
            self.assertFalse(os.path.exists(out))
        self.assertEqual([n for n in os.listdir(self.tmp) if "taizhang-tmp" in n], [])


    def test_databases_and_backups_follow_the_same_modes(self):
        import grp
        group = grp.getgrgid(os.getgid()).gr_name
        db, copy = self.path("new.db"), self.path("copy.db")
        for env, mode in (({}, 0o600), ({"TZ_FILE_GROUP": group}, 0o640)):
            p = run_env("init", db, umask=0, env_extra=env)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(mode_of(db), mode, env)
            p = run_env("backup", db, copy, umask=0, env_extra=env)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(mode_of(copy), mode, env)
            os.unlink(db)
            os.unlink(copy)
        p = run_env("init", db, env_extra={"TZ_FILE_GROUP": "no-such-group-tz"})
        self.assertEqual(p.returncode, 3, (p.stdout, p.stderr))
        self.assertIn("TZ_FILE_GROUP", p.stderr)
        self.assertFalse(os.path.exists(db))


class TestInterruptedExport(Base):
    """An export killed while it writes leaves no temporary file (SIGINT,
    SIGTERM) or has it removed by the next export to the same file
    (SIGKILL). Signals are sent once the temporary file is seen, so the
    test does not depend on timing; the ledger is big enough (300 000 rows)
    that the write takes far longer than the polling step."""
    ROWS = 300000

    @classmethod
    def setUpClass(cls):
        import sqlite3
        import tempfile
        cls.dir = tempfile.mkdtemp(prefix="tz-big-")
        cls.db = os.path.join(cls.dir, "big.db")
        run("init", cls.db, check=0)
        run("import", cls.db, "regions", write_csv(os.path.join(cls.dir, "r.csv"), REGIONS_HEADER,
                                                   REGIONS_BASE), check=0)
        con = sqlite3.connect(cls.db)
        con.executemany("INSERT INTO units (name, kind, region) VALUES (?, '县直单位', '411628000000')",
                        (("单位%07d=示例" % i,) for i in range(cls.ROWS)))
        con.commit()
        con.close()

    @classmethod
    def tearDownClass(cls):
        import shutil
        shutil.rmtree(cls.dir, ignore_errors=True)

    def temps(self):
        """Every file in the folder but the exports themselves."""
        return sorted(n for n in os.listdir(self.tmp) if n not in ("u.csv", "u.xlsx", "other.csv"))

    def start_and_signal(self, out, sig):
        """Starts an export to out, sends sig once its temporary file holds
        data (csv) or exists (xlsx, whose rows go to libxlsxwriter's own
        unnamed file first), and returns (returncode, stderr, whether the
        signal came before the export ended)."""
        env = dict(os.environ, TAIZHANG_HOME=ROOT)
        p = subprocess.Popen([BIN, "export", self.db, "units", out], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.last_pid = p.pid
        while p.poll() is None:
            tmps = [os.path.join(self.tmp, n) for n in self.temps()]
            try:
                if tmps and (out.endswith(".xlsx") or os.path.getsize(tmps[0]) > 0):
                    break
            except FileNotFoundError:
                pass
            time.sleep(0.002)
        landed = p.poll() is None
        if landed:
            p.send_signal(sig)
        _, err = p.communicate(timeout=600)
        return p.returncode, err, landed

    def test_sigterm_and_sigint_leave_nothing(self):
        for name in ("u.csv", "u.xlsx"):
            out = self.path(name)
            for sig in (signal.SIGTERM, signal.SIGINT):
                with self.subTest(name=name, sig=sig):
                    # no previous file: the target stays absent
                    rc, err, landed = self.start_and_signal(out, sig)
                    self.assertTrue(landed, "the export ended before the signal")
                    self.assertEqual(rc, -sig, err)
                    self.assertEqual(self.temps(), [])
                    self.assertFalse(os.path.exists(out))
            # a previous complete export stays as it was
            with open(out, "wb") as f:
                f.write(b"previous complete export")
            for sig in (signal.SIGTERM, signal.SIGINT):
                rc, err, landed = self.start_and_signal(out, sig)
                self.assertTrue(landed)
                self.assertEqual(rc, -sig, err)
                self.assertEqual(self.temps(), [])
                with open(out, "rb") as f:
                    self.assertEqual(f.read(), b"previous complete export")

    def test_sigkill_leftover_removed_by_next_export(self):
        out = self.path("u.csv")
        rc, err, landed = self.start_and_signal(out, signal.SIGKILL)
        self.assertTrue(landed)
        self.assertEqual(rc, -signal.SIGKILL)
        left = self.temps()
        # what SIGKILL leaves behind...
        self.assertEqual(left, [".u.csv.taizhang-tmp.%d" % self.last_pid])
        self.assertFalse(os.path.exists(out))
        # ...an export to another file leaves it alone
        run("export", self.db, "units", self.path("other.csv"), "--where", "单位名称=单位0000001=示例",
            check=0)
        self.assertEqual(self.temps(), left)
        # ...and the next export to the same file removes it
        run("export", self.db, "units", out, "--where", "单位名称=单位0000001=示例", check=0)
        self.assertEqual(self.temps(), [])
        self.assertEqual(len(read_csv(out)), 2)


if __name__ == "__main__":
    import unittest
    unittest.main()
