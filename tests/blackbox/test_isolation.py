"""Black-box tests of the child-process isolation (util/sandbox.h):

- .xls files are parsed by FreeXL in a child under CPU, memory and wall-clock
  limits; a file that crashes FreeXL or eats its memory is refused with one
  Chinese message, exit 1, and the database unchanged (tests/data/xls/, made
  by make_xls_fixtures.py);
- report templates run in a child under a CPU and wall-clock limit
  (TZ_TEMPLATE_SECONDS); a template that hangs is stopped with a Chinese
  message, exit 1, and no output file.
"""
import os
import shutil
import subprocess
import unittest

from tzlib import (BIN, LEDGER_ORDER, REGIONS_BASE, REGIONS_HEADER, ROOT, TzCase, db_dump,
                   db_rows, write_csv)

XLS = os.path.join(ROOT, "tests", "data", "xls")
CORRUPT = "文件已损坏或格式异常,请用Excel或WPS另存为.xlsx后导入"
TABLES = LEDGER_ORDER + ["audit_log"]


def run_env(*args, env=None, timeout=600):
    """Runs taizhang with extra environment variables; returns CompletedProcess."""
    e = dict(os.environ, TAIZHANG_HOME=ROOT)
    e.update(env or {})
    return subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, env=e,
                          timeout=timeout)


def asan_build():
    """True when the binary is built with AddressSanitizer (RLIMIT_AS is not applied then)."""
    with open(BIN, "rb") as f:
        return b"__asan_init" in f.read()


class XlsIsolation(TzCase):
    def base_db(self):
        db = self.path("t.db")
        subprocess.run([BIN, "init", db], check=True, capture_output=True)
        p = run_env("import", db, "regions",
                    write_csv(self.path("regions.csv"), REGIONS_HEADER, REGIONS_BASE))
        self.assertEqual(p.returncode, 0, p.stderr)
        return db

    def fixture(self, name):
        dst = self.path(name)
        shutil.copy(os.path.join(XLS, name), dst)
        return dst

    def assert_corrupt(self, db, path, ledger="households", env=None):
        before = db_dump(db, TABLES)
        p = run_env("import", db, ledger, path, env=env)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn(f"{os.path.basename(path)}: {CORRUPT}", p.stderr)
        self.assertIn("数据库未做任何改动", p.stderr)
        self.assertEqual(before, db_dump(db, TABLES), "database changed after a refused import")
        return p

    def test_valid_xls_imports_through_the_child(self):
        db = self.path("t.db")
        subprocess.run([BIN, "init", db], check=True, capture_output=True)
        p = run_env("import", db, "regions", self.fixture("regions.xls"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(db_rows(db, "SELECT code, name FROM regions ORDER BY code"),
                         [(r[0], r[1]) for r in sorted(REGIONS_BASE)])

    def test_file_that_crashes_freexl(self):
        # Both make libfreexl 1.0.6 segfault when parsed in-process.
        db = self.base_db()
        for name in ("crash-2816.xls", "crash-2982.xls"):
            with self.subTest(name=name):
                self.assert_corrupt(db, self.fixture(name))

    def test_file_that_eats_memory(self):
        # 5.6 KB that FreeXL turns into 270 MB and a sheet of 65537 rows.
        db = self.base_db()
        self.assert_corrupt(db, self.fixture("hog-1127.xls"))

    def test_memory_limit_of_the_child(self):
        if asan_build():
            self.skipTest("RLIMIT_AS is not applied under AddressSanitizer (it reserves "
                          "terabytes of shadow memory); CPU and wall limits still are")
        db = self.base_db()
        hog = self.fixture("hog-1708.xls")
        # Within the default 512 MB FreeXL parses it (its header is not the ledger's) ...
        p = run_env("import", db, "households", hog)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertNotIn(CORRUPT, p.stderr)
        self.assertIn("缺少此列", p.stderr)
        # ... and with 128 MB the child runs out: refused as damaged, nothing kept.
        self.assert_corrupt(db, hog, env={"TZ_XLS_MEMORY_MB": "128"})
        # A normal .xls fits easily in 128 MB.
        p = run_env("import", db, "regions", self.fixture("regions.xls"),
                    env={"TZ_XLS_MEMORY_MB": "128"})
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_limits_from_the_environment_are_checked(self):
        db = self.base_db()
        for var, val in (("TZ_XLS_SECONDS", "abc"), ("TZ_XLS_SECONDS", "0"),
                         ("TZ_XLS_MEMORY_MB", "64")):
            with self.subTest(var=var, val=val):
                before = db_dump(db, TABLES)
                p = run_env("import", db, "regions", self.fixture("regions.xls"), env={var: val})
                self.assertEqual(p.returncode, 1, p.stderr)
                self.assertIn(f"环境变量{var}的值无效", p.stderr)
                self.assertEqual(before, db_dump(db, TABLES))

    def test_not_an_xls_keeps_its_own_reason(self):
        db = self.base_db()
        bad = self.path("notes.xls")
        with open(bad, "w") as f:
            f.write("just some text, not a workbook\n")
        before = db_dump(db, TABLES)
        p = run_env("import", db, "regions", bad)
        self.assertEqual(p.returncode, 1, p.stderr)
        # issue 10: text that is no HTML or XML 2003 table is named for what it is not
        self.assertIn("notes.xls: 无法识别的文件格式,请用Excel或WPS另存为.xlsx", p.stderr)
        self.assertEqual(before, db_dump(db, TABLES))


class TemplateIsolation(TzCase):
    """Templates that hang where the Lua instruction cap cannot reach."""

    GC_LOOP = ("local t = setmetatable({}, {__gc = function() while true do end end})\n"
               "title('析构函数死循环')\npara('正文')\n")
    BACKTRACK = ("title('回溯')\n"
                 "local i = string.find(string.rep('a', 40), string.rep('a*', 40) .. 'b')\n"
                 "para(tostring(i))\n")

    def setUp(self):
        super().setUp()
        self.db = self.path("t.db")
        subprocess.run([BIN, "init", self.db], check=True, capture_output=True)
        p = run_env("import", self.db, "regions",
                    write_csv(self.path("regions.csv"), REGIONS_HEADER, REGIONS_BASE))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.outdir = self.path("out")
        os.mkdir(self.outdir)

    def template(self, name, text):
        path = self.path(name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def report(self, tpl, out, env=None):
        # The subprocess timeout only keeps a regression from hanging the suite.
        return run_env("report", self.db, "--template", tpl, "--region", "411628", "--period",
                       "2019", "-o", os.path.join(self.outdir, out), "--no-proofread", env=env,
                       timeout=300)

    def assert_stopped(self, name, text, out):
        tpl = self.template(name, text)
        p = self.report(tpl, out, env={"TZ_TEMPLATE_SECONDS": "2"})
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn(f"模板运行超过2秒,已停止:{name}", p.stderr)
        self.assertIn("汇报材料未生成", p.stderr)
        self.assertEqual(os.listdir(self.outdir), [], "a stopped template left a file behind")

    def test_gc_finaliser_that_loops(self):
        for out in ("gc.md", "gc.docx", "gc.html"):
            with self.subTest(out=out):
                self.assert_stopped("gc-loop.lua", self.GC_LOOP, out)

    def test_backtracking_pattern(self):
        self.assert_stopped("backtrack.lua", self.BACKTRACK, "bt.docx")

    def test_normal_template_still_drafts(self):
        tpl = self.template("ok.lua", "title('正常')\npara('第一段')\nwarn('注意')\n")
        out = os.path.join(self.outdir, "ok.md")
        p = self.report(tpl, "ok.md", env={"TZ_TEMPLATE_SECONDS": "30"})
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("注意", p.stderr)  # the template's warning made it out of the child
        with open(out, encoding="utf-8") as f:
            text = f.read()
        self.assertIn("正常", text)
        self.assertIn("第一段", text)

    @unittest.skipUnless(shutil.which("strace"), "strace not installed")
    def test_child_opens_its_own_wal_index(self):
        """No SQLite connection crosses the fork: the drafting child opens the
        database's -shm itself. When the parent's connection stayed open, the
        child reused its (closed) -shm descriptor and took its WAL read lock
        on another file, so a concurrent import could change what it read."""
        tpl = self.template("ok.lua", "title('正常')\npara('第一段')\n")
        log = self.path("strace.log")
        p = subprocess.run(["strace", "-f", "-e", "trace=openat", "-o", log, BIN, "report",
                            self.db, "--template", tpl, "--region", "411628", "--period", "2019",
                            "-o", os.path.join(self.outdir, "ok.md"), "--no-proofread"],
                           capture_output=True, text=True, timeout=300,
                           # LeakSanitizer cannot run under ptrace; the leak
                           # check of this path is the other tests' job
                           env=dict(os.environ, TAIZHANG_HOME=ROOT,
                                    ASAN_OPTIONS="detect_leaks=0:abort_on_error=0"))
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(log, encoding="utf-8", errors="replace") as f:
            shm_pids = {line.split()[0] for line in f if self.db + "-shm" in line}
        self.assertGreaterEqual(len(shm_pids), 2, "the child did not open the -shm itself")

    def test_limit_from_the_environment_is_checked(self):
        tpl = self.template("ok.lua", "title('正常')\n")
        for val in ("0", "abc", "-5"):
            with self.subTest(val=val):
                p = self.report(tpl, "x.md", env={"TZ_TEMPLATE_SECONDS": val})
                self.assertEqual(p.returncode, 1, p.stderr)
                self.assertIn("环境变量TZ_TEMPLATE_SECONDS的值无效", p.stderr)
                self.assertEqual(os.listdir(self.outdir), [])


if __name__ == "__main__":
    unittest.main()
