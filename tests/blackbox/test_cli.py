"""Black-box tests of the command line itself (cli/args.c, getopt_long):
options before, between and after the positional arguments, "--", option
values in Chinese or starting with "-", --name=value, -h and -o, and the
Chinese usage errors (exit 2) that name the option."""
import json
import os
import subprocess
import unicodedata
import unittest

from tzlib import BIN, REGIONS_BASE, REGIONS_HEADER, ROOT, TzCase, db_rows, run, write_csv


class CliCase(TzCase):
    def setUp(self):
        super().setUp()
        self.db = self.path("t.db")
        run("init", self.db, check=0)
        run("import", self.db, "regions",
            write_csv(self.path("regions.csv"), REGIONS_HEADER, REGIONS_BASE), "--quiet", check=0)

    def usage_error(self, *args):
        """Runs args, expects exit 2 and a Chinese usage error with the usage line."""
        p = run(*args)
        self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
        self.assertIn("用法错误: ", p.stderr)
        self.assertIn("\n用法: taizhang ", p.stderr)
        self.assertEqual(p.stdout, "")
        return p.stderr


class TestOptionPlaces(CliCase):
    def villages(self, *args):
        p = run(*args, check=0)
        return [r["名称"] for r in json.loads(p.stdout)]

    def test_options_anywhere(self):
        want = ["卢尧村", "刘楼村"]
        self.assertEqual(self.villages("list", self.db, "regions", "--where", "层级=村", "--json"),
                         want)
        self.assertEqual(self.villages("list", "--json", "--where", "层级=村", self.db, "regions"),
                         want)
        self.assertEqual(self.villages("list", self.db, "--where", "层级=村", "regions", "--json"),
                         want)

    def test_options_after_positionals_even_with_posixly_correct(self):
        env = dict(os.environ, TAIZHANG_HOME=ROOT, POSIXLY_CORRECT="1")
        p = subprocess.run([BIN, "list", self.db, "regions", "--json", "--limit", "1"],
                           capture_output=True, text=True, env=env)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(len(json.loads(p.stdout)), 1)

    def test_name_equals_value_and_chinese_values(self):
        a = self.villages("list", self.db, "regions", "--where=层级=村", "--json")
        b = self.villages("list", self.db, "regions", "--where", "层级=村", "--json")
        self.assertEqual(a, b)
        self.assertEqual(self.villages("list", self.db, "regions", "--where=名称=卢尧村",
                                       "--where", "层级=村", "--json"), ["卢尧村"])
        # a Chinese value the column refuses is named in the error
        err = self.usage_error("list", self.db, "regions", "--where", "层级=大区")
        self.assertIn("--where 层级", err)

    def test_value_starting_with_dash_is_the_value(self):
        err = self.usage_error("list", self.db, "regions", "--limit", "-5")
        self.assertIn("--limit 应为正整数", err)
        err = self.usage_error("list", self.db, "regions", "--limit=-5")
        self.assertIn("--limit 应为正整数", err)

    def test_double_dash_ends_options(self):
        # a file whose name starts with "-" can be imported after "--"
        rows = REGIONS_BASE + [["411628101203", "王庄村", "411628101000", "村", "否", ""]]
        cwd = os.getcwd()
        os.chdir(self.tmp)
        try:
            write_csv("-new.csv", REGIONS_HEADER, rows)
            p = run("import", self.db, "regions", "--quiet", "--", "-new.csv", check=0)
            self.assertEqual(p.stderr, "")
            self.assertEqual(db_rows(self.db, "SELECT name FROM regions WHERE code = ?",
                                     ("411628101203",)), [("王庄村",)])
            # without "--" it is an option, and an unknown one
            err = self.usage_error("import", self.db, "regions", "-new.csv")
            self.assertIn("未知选项 -n", err)
        finally:
            os.chdir(cwd)
        # after "--" an option name is only a positional argument
        err = self.usage_error("list", self.db, "regions", "--", "--json")
        self.assertIn("需要 DB 和 LEDGER 两个参数", err)


class TestUsageErrors(CliCase):
    def test_unknown_long_option_named(self):
        self.assertIn("未知选项 --bogus", self.usage_error("list", self.db, "regions", "--bogus=1"))

    def test_abbreviation_is_not_taken(self):
        # getopt_long would take "--lim" for "--limit"; a script should say it in full
        self.assertIn("未知选项 --lim", self.usage_error("list", self.db, "regions", "--lim", "1"))
        self.assertIn("未知选项 --j", self.usage_error("list", self.db, "regions", "--j"))

    def test_unknown_short_option_named(self):
        self.assertIn("未知选项 -x", self.usage_error("list", self.db, "regions", "-x"))
        # "-" before a Chinese character: a Chinese message, no stray byte
        err = self.usage_error("list", self.db, "regions", "-区")
        self.assertIn("以 - 开头的参数不是选项", err)
        err.encode("utf-8")
        # -o stands for --output only where the command has --output
        self.assertIn("未知选项 -o", self.usage_error("list", self.db, "regions", "-o", "f"))

    def test_missing_value_named(self):
        self.assertIn("选项 --limit 需要一个值",
                      self.usage_error("list", self.db, "regions", "--limit"))
        self.assertRegex(self.usage_error("report", self.db, "--kind", "investment", "-o"),
                         "选项 (-o|--output) 需要一个值")

    def test_flag_with_value_named(self):
        self.assertIn("选项 --json 不接受值",
                      self.usage_error("list", self.db, "regions", "--json=yes"))

    def test_repeated_option_named(self):
        self.assertIn("选项 --limit 只能出现一次",
                      self.usage_error("list", self.db, "regions", "--limit", "1", "--limit=2"))

    def test_file_extension_named(self):
        err = self.usage_error("import", self.db, "regions", self.path("r.txt"))
        self.assertIn("导入文件 ", err)
        self.assertIn("r.txt 的扩展名应为 .xlsx、.csv 或 .xls", err)
        err = self.usage_error("export", self.db, "regions", self.path("r.pdf"))
        self.assertIn("r.pdf 的扩展名应为 .xlsx 或 .csv", err)

    def test_positional_count(self):
        self.assertIn("需要一个数据库路径", self.usage_error("init"))
        self.assertIn("最多指定一个台账", self.usage_error("ledgers", "regions", "households"))
        self.assertIn("不需要位置参数", self.usage_error("indicators", "x"))


class TestHelp(CliCase):
    COMMANDS = ["init", "import", "export", "template", "list", "ledgers", "demo", "check",
                "indicator", "indicators", "report", "backup", "restore", "copy", "proofread",
                "gen"]

    def test_h_and_help_everywhere(self):
        for cmd in self.COMMANDS:
            for flag in ("-h", "--help"):
                p = run(cmd, flag, check=0)
                self.assertTrue(p.stdout.startswith("用法: taizhang " + cmd), (cmd, p.stdout))
                self.assertEqual(p.stderr, "")

    def test_help_after_positionals(self):
        p = run("list", self.db, "regions", "--help", check=0)
        self.assertIn("--unmask", p.stdout)

    def test_help_does_not_hide_a_wrong_option(self):
        self.assertIn("未知选项 --bogus", self.usage_error("list", "--help", "--bogus"))


def display_width(text):
    """Columns a Chinese terminal gives text: East Asian Wide, Full-width and
    Ambiguous characters ("—", "“") take 2 (util/text.h's rule)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


class TestTableWidths(TzCase):
    def test_dash_counts_two_columns(self):
        """A name with "——" (each 2 columns wide on a Chinese terminal) does not
        push the next column out of line: list pads by util/text's width."""
        db = self.path("t.db")
        run("init", db, check=0)
        rows = [["410000000000", "河南省", "", "省", "", ""],
                ["411600000000", "周口市——东区", "410000000000", "市", "", ""],
                ["411628000000", "鹿邑县", "411600000000", "县", "", "纺织"]]
        run("import", db, "regions", write_csv(self.path("r.csv"), REGIONS_HEADER, rows),
            "--quiet", check=0)
        lines = run("list", db, "regions", check=0).stdout.splitlines()
        start = display_width(lines[0][:lines[0].index("上级区划代码")])
        for line, parent in ((lines[3], "410000000000"), (lines[4], "411600000000")):
            self.assertEqual(display_width(line[:line.index(parent)]), start, lines)


class TestShortOutput(TzCase):
    def test_o_attached_or_separate(self):
        """report's -o FILE, -oFILE and --output FILE name the same output (the
        options are read before the database is opened, so a usage error from
        a later check shows the option was taken)."""
        for args in (["-o", "x.pdf"], ["-ox.pdf"], ["--output", "x.pdf"], ["--output=x.pdf"]):
            p = run("report", self.path("none.db"), "--kind", "investment", "--region", "411400",
                    "--period", "2015", *args)
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertIn("x.pdf", p.stderr, args)
            self.assertNotIn("未知选项", p.stderr, args)


class TestStdoutFailure(CliCase):
    """What a command prints must reach stdout: a write error there (a full
    disk under "> FILE", here /dev/full) is an environment error, exit 3 with
    a Chinese message, not a silent 0 with the output lost (cli/main.c)."""

    def run_to_dev_full(self, *args):
        env = dict(os.environ, TAIZHANG_HOME=ROOT)
        with open("/dev/full", "w") as full:
            return subprocess.run([BIN, *args], stdout=full, stderr=subprocess.PIPE, text=True,
                                  env=env, timeout=600)

    @unittest.skipUnless(os.path.exists("/dev/full"), "needs /dev/full")
    def test_list_to_full_disk_is_exit_3(self):
        p = self.run_to_dev_full("list", self.db, "regions")
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertIn("写入标准输出失败", p.stderr)
        self.assertIn("输出不完整", p.stderr)

    @unittest.skipUnless(os.path.exists("/dev/full"), "needs /dev/full")
    def test_help_to_full_disk_is_exit_3(self):
        p = self.run_to_dev_full("--help")
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertIn("写入标准输出失败", p.stderr)

    def test_list_to_a_file_still_exit_0(self):
        with open(self.path("out.txt"), "w") as out:
            p = subprocess.run([BIN, "list", self.db, "regions"], stdout=out,
                               stderr=subprocess.PIPE, text=True,
                               env=dict(os.environ, TAIZHANG_HOME=ROOT), timeout=600)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(self.path("out.txt"), encoding="utf-8") as f:
            self.assertIn("鹿邑县", f.read())


if __name__ == "__main__":
    unittest.main()
