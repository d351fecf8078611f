"""Black-box tests of `taizhang gen`: the same seed gives the same bytes and
another seed other bytes; every file imports with `taizhang import`
unchanged (every header exact, no row refused, no warning), 身份证号 valid
and unique, exactly N households, a real-shaped region tree; then `check`
runs on the database; bad arguments and an unwritable DIR are refused in
Chinese."""
import csv
import hashlib
import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import unittest
from datetime import date

from tzlib import BIN, LEDGER_ORDER, ROOT, TzCase, run

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def digests(d):
    return {f: hashlib.sha256(open(os.path.join(d, f), "rb").read()).hexdigest()
            for f in sorted(os.listdir(d))}


def rows(d, ledger):
    with open(os.path.join(d, ledger + ".csv"), encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def valid_id(s):
    if not re.fullmatch(r"\d{17}[\dX]", s):
        return False
    if "10X98765432"[sum(int(c) * k for c, k in zip(s[:17], W)) % 11] != s[17]:
        return False
    try:
        born = date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


class GenTest(TzCase):
    def gen(self, name, n, seed=None, check=0):
        out = self.path(name)
        args = ["gen", out, "--households", n, "--quiet"] + (["--seed", seed] if seed else [])
        p = run(*args, check=check)
        return out, p

    def test_same_seed_same_bytes(self):
        a, _ = self.gen("a", 2500, 7)
        b, _ = self.gen("b", 2500, 7)
        c, _ = self.gen("c", 2500, 8)
        self.assertEqual(sorted(os.listdir(a)), sorted(l + ".csv" for l in LEDGER_ORDER))
        self.assertEqual(digests(a), digests(b))
        da, dc = digests(a), digests(c)
        self.assertNotEqual(da["households.csv"], dc["households.csv"])
        self.assertNotEqual(da, dc)

    def test_imports_unchanged_and_checks(self):
        out, _ = self.gen("d", 3000, 11)
        db = self.path("t.db")
        run("init", db, check=0)
        for ledger in LEDGER_ORDER:
            p = run("import", db, ledger, os.path.join(out, ledger + ".csv"), "--json", check=0)
            r = json.loads(p.stdout)
            self.assertEqual(r["status"], "accepted", ledger)
            self.assertEqual(r["error_count"], 0, ledger)
            self.assertEqual(r["warning_count"], 0, (ledger, r["warnings"]))
            self.assertEqual(r["header"]["ignored"], 0, ledger)
            self.assertEqual(r["inserted"], len(rows(out, ledger)) - 1, ledger)
            self.assertTrue(all(c["how"] == "exact" for s in r["sheets"] for c in s["columns"]),
                            ledger)
        con = sqlite3.connect(db)
        self.assertEqual(con.execute("SELECT COUNT(*) FROM households").fetchone()[0], 3000)
        ids = [r[0] for r in con.execute("SELECT id_number FROM households")]
        con.close()
        self.assertEqual(len(set(ids)), 3000)
        self.assertTrue(all(valid_id(i) for i in ids))
        county = [r for r in rows(out, "regions")[1:] if r[3] == "县"][0][0]
        p = run("check", db, "--region", county, "--period", "2019")
        self.assertIn(p.returncode, (0, 1), p.stderr)
        self.assertIn("结论", p.stdout)
        self.assertIn("户户通安装户数", p.stdout)

    def test_large_tree_ids_unique_exact_n(self):
        n = 250000  # several counties; not imported (see test above)
        out, p = self.gen("big", n, 3)
        hh = rows(out, "households")
        self.assertEqual(len(hh) - 1, n)
        ids = [r[2] for r in hh[1:]]
        self.assertEqual(len(set(ids)), n)
        self.assertEqual(len({r[0] for r in hh[1:]}), n)
        self.assertTrue(all(valid_id(i) for i in ids))
        regions = rows(out, "regions")[1:]
        code = {r[0]: r for r in regions}
        self.assertEqual(len(code), len(regions))
        parent_level = {"市": "省", "县": "市", "乡": "县", "村": "乡"}
        for r in regions:
            self.assertRegex(r[0], r"^\d{12}$")
            if r[3] != "省":
                self.assertEqual(code[r[2]][3], parent_level[r[3]], r)
        levels = [r[3] for r in regions]
        self.assertGreater(levels.count("县"), 1)
        poor = [r[4] for r in regions if r[3] == "村"]
        self.assertTrue("是" in poor and "否" in poor)
        villages = {r[0] for r in regions if r[3] == "村"}
        self.assertTrue(all(r[3] in villages for r in hh[1:]))
        # the ID's area code is the household's county
        self.assertTrue(all(r[2][:6] == r[3][:6] for r in hh[1:]))

    @unittest.skipUnless(shutil.which("script"), "util-linux script(1) not installed")
    def test_progress_on_a_terminal_only(self):
        out = self.path("p")
        env = dict(os.environ, TAIZHANG_HOME=ROOT)
        cmd = "%s gen %s --households 10000" % (shlex.quote(BIN), shlex.quote(out))
        p = subprocess.run(["script", "-qec", cmd, "/dev/null"], capture_output=True, env=env,
                           timeout=600)
        self.assertEqual(p.returncode, 0, p.stdout)
        text = p.stdout.decode()
        self.assertIn("\r生成 %s [" % out, text)
        self.assertIn("100% 10000户", text)
        p = run("gen", self.path("q"), "--households", 10000, check=0)  # a pipe: no bar
        self.assertEqual(p.stderr, "")
        self.assertIn("生成 10000 户", p.stdout)

    def test_errors_in_chinese(self):
        for bad in ("0", "-5", "abc", "100000001", "1e3"):
            _, p = self.gen("x", bad, check=2)
            self.assertIn("--households", p.stderr)
            self.assertIn("无效", p.stderr)
        p = run("gen", self.path("x"), check=2)
        self.assertIn("缺少 --households", p.stderr)
        _, p = self.gen("y", 10, "seven", check=2)
        self.assertIn("--seed", p.stderr)
        blocker = self.path("file")
        open(blocker, "w").close()
        p = run("gen", os.path.join(blocker, "sub"), "--households", 10, check=3)
        self.assertIn("无法创建目录", p.stderr)
        p = run("gen", blocker, "--households", 10, check=3)
        self.assertIn("不是目录", p.stderr)

    def test_unwritable_dir(self):
        ro = self.path("ro")
        os.mkdir(ro)
        os.chmod(ro, 0o500)
        if os.access(ro, os.W_OK):  # root ignores the mode
            self.skipTest("running as root: a read-only directory is writable")
        p = run("gen", ro, "--households", 10, check=3)
        self.assertIn("无法写入", p.stderr)


if __name__ == "__main__":
    unittest.main()
