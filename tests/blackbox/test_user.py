"""Black-box tests of `taizhang user` (accounts from the command line) and of
the demo accounts: passwords from standard input, argon2id hashes in the
database, Chinese errors with the right exit status, nothing changed on a
refusal, every change audited, and one demo account per role and level."""
import json
import os
import pty
import select
import shutil
import subprocess
import unittest

from tzlib import (BIN, ROOT, REGIONS_BASE, REGIONS_HEADER, SharedDemo, TzCase, db_rows, run,
                   write_csv)

demo_db = SharedDemo("tz-user-")
tearDownModule = demo_db.cleanup

UNITS_HEADER = ["单位名称", "单位类型", "所属区划代码"]
PROMPTS = ["请输入密码", "请再输入一次"]  # what user add asks on a terminal, in order


class UserCommand(TzCase):
    def setUp(self):
        super().setUp()
        self.db = self.path("t.db")
        run("init", self.db, check=0)
        run("import", self.db, "regions",
            write_csv(self.path("regions.csv"), REGIONS_HEADER, REGIONS_BASE), "--quiet", check=0)
        run("import", self.db, "units",
            write_csv(self.path("units.csv"), UNITS_HEADER,
                      [["县扶贫办", "县直单位", "411628000000"]]), "--quiet", check=0)

    def users(self):
        return db_rows(self.db, "SELECT name, role, scope_kind, scope, disabled, pw_hash "
                                "FROM tz_users ORDER BY name")

    def test_add_list_disable_passwd(self):
        p = run("user", "add", self.db, "xiang_tianbao", "--role", "填报", "--region", "宋河镇",
                input="first-password\n", check=0)
        self.assertIn("已新增账户 xiang_tianbao", p.stdout)
        run("user", "add", self.db, "bangfu", "--role", "查看", "--unit", "县扶贫办",
            input="second-password", check=0)  # no line end: still one line
        rows = self.users()
        self.assertEqual([r[:5] for r in rows],
                         [("bangfu", "查看", "unit", "县扶贫办", 0),
                          ("xiang_tianbao", "填报", "region", "411628101000", 0)])
        for r in rows:
            self.assertTrue(r[5].startswith("$argon2id$v=19$m=19456,t=2,p=1$"), r[5])
            self.assertNotIn("password", r[5])
        # the table and the JSON
        p = run("user", "list", self.db, check=0)
        lines = p.stdout.splitlines()
        self.assertIn("用户名", lines[0])
        self.assertIn("宋河镇(411628101000)", lines[2])
        self.assertIn("正常", lines[2])
        self.assertNotIn("argon2", p.stdout)
        js = json.loads(run("user", "list", self.db, "--json", check=0).stdout)
        self.assertEqual(js[1], {"user": "xiang_tianbao", "role": "填报", "disabled": False,
                                 "scope": {"kind": "region", "code": "411628101000",
                                           "name": "宋河镇", "level": "乡"}})
        self.assertEqual(js[0]["scope"], {"kind": "unit", "unit": "县扶贫办", "name": "县扶贫办",
                                          "level": "单位"})
        # a new password: a new hash
        old = self.users()[1][5]
        p = run("user", "passwd", self.db, "xiang_tianbao", input="third-password\n", check=0)
        self.assertIn("已修改账户 xiang_tianbao 的密码", p.stdout)
        self.assertNotEqual(self.users()[1][5], old)
        # disabled
        run("user", "disable", self.db, "bangfu", check=0)
        self.assertEqual(self.users()[0][4], 1)
        self.assertIn("已停用", run("user", "list", self.db, check=0).stdout)
        p = run("user", "disable", self.db, "bangfu", check=1)
        self.assertIn("已经停用", p.stderr)
        # every change audited, never a password or hash
        audit = db_rows(self.db, "SELECT action, row_key, detail, actor FROM audit_log "
                                 "WHERE action LIKE '%账户' OR action = '修改密码' ORDER BY id")
        self.assertEqual([(a[0], a[1]) for a in audit],
                         [("新增账户", "xiang_tianbao"), ("新增账户", "bangfu"),
                          ("修改密码", "xiang_tianbao"), ("停用账户", "bangfu")])
        self.assertIn("宋河镇", audit[0][2])
        self.assertTrue(audit[0][3].startswith("命令行("))
        for a in db_rows(self.db, "SELECT detail FROM audit_log"):
            self.assertNotIn("password", a[0] or "")
            self.assertNotIn("argon2", a[0] or "")

    def test_refusals(self):
        run("user", "add", self.db, "taken", "--role", "管理员", "--region", "411628",
            input="good-password\n", check=0)
        before = self.users()
        cases = [
            # (args, stdin, exit status, words in the message)
            (["taken", "--role", "查看", "--region", "411628"], "good-password\n", 1,
             ["用户名", "已有同名账户"]),
            (["u1", "--role", "boss", "--region", "411628"], "good-password\n", 2,
             ["--role", "管理员、审核、填报 或 查看"]),
            (["u1", "--region", "411628"], "good-password\n", 2, ["--role"]),
            (["u1", "--role", "查看"], "good-password\n", 2, ["--region", "--unit"]),
            (["u1", "--role", "查看", "--region", "411628", "--unit", "县扶贫办"],
             "good-password\n", 2, ["--region", "--unit"]),
            (["u1", "--role", "查看", "--region", "411699"], "good-password\n", 1,
             ["区划", "没有这个区划代码"]),
            (["u1", "--role", "查看", "--region", "4116"], "good-password\n", 1,
             ["区划", "6位、9位或12位"]),
            (["u1", "--role", "查看", "--region", "无此镇"], "good-password\n", 1,
             ["区划", "没有这个名称的区划"]),
            (["u1", "--role", "查看", "--unit", "无此单位"], "good-password\n", 1,
             ["单位", "没有这个名称的单位"]),
            (["u1", "--role", "查看", "--region", "411628"], "short\n", 1, ["密码", "8至128个字符"]),
            (["u1", "--role", "查看", "--region", "411628"], "", 2, ["未从标准输入读到密码"]),
            (["u 1", "--role", "查看", "--region", "411628"], "good-password\n", 1,
             ["用户名", "空格"]),
        ]
        for args, stdin, status, words in cases:
            with self.subTest(args=args):
                p = run("user", "add", self.db, *args, input=stdin, check=status)
                for w in words:
                    self.assertIn(w, p.stderr)
                self.assertNotIn("good-password", p.stderr)
        self.assertEqual(self.users(), before)
        p = run("user", "passwd", self.db, "nobody", input="good-password\n", check=1)
        self.assertIn("没有这个账户", p.stderr)
        p = run("user", "passwd", self.db, "taken", input="short\n", check=1)
        self.assertIn("密码", p.stderr)
        p = run("user", "disable", self.db, "nobody", check=1)
        self.assertIn("没有这个账户", p.stderr)
        self.assertEqual(self.users(), before)
        p = run("user", "frob", self.db, check=2)
        self.assertIn("未知子命令", p.stderr)
        run("user", check=2)
        p = run("user", "list", self.path("missing.db"), check=3)
        self.assertTrue(p.stderr.strip())
        self.assertEqual(self.users(), before)


    def on_terminal(self, args, lines):
        """Runs taizhang with a pseudo-terminal as standard input, typing each
        line after the prompt before it; returns (status, what the terminal
        showed, stdout)."""
        master, slave = pty.openpty()
        p = subprocess.Popen([BIN, *args], stdin=slave, stdout=subprocess.PIPE,
                             stderr=slave, env=dict(os.environ, TAIZHANG_HOME=ROOT))
        os.close(slave)
        shown = b""
        pending = list(lines)
        while True:
            # not a timed assertion: a bound so that a hung child fails the test
            ready, _, _ = select.select([master], [], [], 60)
            if not ready:
                p.kill()
                break
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            shown += chunk
            # type a line once its own prompt is the last thing shown (a line
            # typed before the prompt would be flushed: echo goes off first)
            written = len(lines) - len(pending)
            if pending and shown.decode("utf-8", "replace").rstrip().endswith(
                    PROMPTS[written] + ":"):
                os.write(master, pending.pop(0).encode() + b"\n")
        out = p.stdout.read().decode()
        p.stdout.close()
        status = p.wait()
        os.close(master)
        return status, shown.decode("utf-8", "replace"), out

    def test_password_typed_twice_without_echo(self):
        status, shown, out = self.on_terminal(
            ["user", "add", self.db, "tty_user", "--role", "查看", "--region", "411628"],
            ["typed-password-1", "typed-password-1"])
        self.assertEqual(status, 0, shown)
        self.assertIn("请输入密码", shown)
        self.assertIn("请再输入一次", shown)
        self.assertNotIn("typed-password", shown)  # never echoed
        self.assertIn("已新增账户 tty_user", out)
        # two different entries: refused, nothing added
        status, shown, _ = self.on_terminal(
            ["user", "add", self.db, "tty_two", "--role", "查看", "--region", "411628"],
            ["typed-password-1", "typed-password-2"])
        self.assertEqual(status, 1, shown)
        self.assertIn("两次输入的密码不一致", shown)
        self.assertEqual([r[0] for r in self.users()], ["tty_user"])


class DemoAccounts(unittest.TestCase):
    def test_every_role_at_every_level(self):
        db = demo_db.get()
        rows = db_rows(db, "SELECT u.name, u.role, u.scope_kind, u.scope, r.level "
                           "FROM tz_users u LEFT JOIN regions r ON r.code = u.scope")
        seen = {(r[1], r[4] if r[2] == "region" else "单位") for r in rows}
        for role in ("管理员", "审核", "填报", "查看"):
            for level in ("市", "县", "乡", "村", "单位"):
                self.assertIn((role, level), seen)
        by_name = {r[0]: r for r in rows}
        self.assertEqual(by_name["xian_guanli"][3], "411628000000")
        self.assertEqual(by_name["xiang_tianbao"][3], "411628101000")
        self.assertEqual(by_name["shi_shenhe"][3], "411400000000")
        self.assertEqual(by_name["cun_tianbao"][3], "411628101201")
        self.assertEqual(by_name["danwei_tianbao"][2:4], ("unit", "县文化广电旅游局"))
        # the demo units exist in the units ledger
        for r in rows:
            if r[2] == "unit":
                self.assertEqual(db_rows(db, "SELECT count(*) FROM units WHERE name = ?",
                                         (r[3],))[0][0], 1)

    def test_demo_prints_the_accounts(self):
        tmp = demo_db.get() + ".printed.db"
        try:
            p = run("demo", tmp, check=0)
            self.assertIn("示例账户", p.stdout)
            self.assertIn("初始密码均为 taizhang-demo", p.stdout)
            for name in ("shi_guanli", "xian_shenhe", "xiang_tianbao", "cun_chakan",
                         "danwei_tianbao"):
                self.assertIn(name, p.stdout)
            self.assertIn("宋河镇(乡级)", p.stdout)
        finally:
            for sfx in ("", "-wal", "-shm"):
                if os.path.exists(tmp + sfx):
                    os.unlink(tmp + sfx)


class DemoAccountsFile(TzCase):
    def test_demo_accounts_are_data(self):
        # the accounts come from examples/accounts.csv: a wrong row there is
        # refused naming the file, its row and the field, and no database is left
        home = self.path("home")
        shutil.copytree(os.path.join(ROOT, "examples"), os.path.join(home, "examples"))
        accounts = os.path.join(home, "examples", "accounts.csv")
        with open(accounts, encoding="utf-8") as f:
            lines = f.read().splitlines()
        lines[2] = "shi_shenhe,科长,411400,,"
        with open(accounts, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        db = self.path("bad-demo.db")
        p = subprocess.run([BIN, "demo", db, "--quiet"], capture_output=True, text=True,
                           env=dict(os.environ, TAIZHANG_HOME=home))
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("accounts.csv", p.stderr)
        self.assertIn("第3行", p.stderr)
        self.assertIn("角色", p.stderr)
        self.assertIn("科长", p.stderr)
        self.assertFalse(os.path.exists(db))


if __name__ == "__main__":
    unittest.main()
