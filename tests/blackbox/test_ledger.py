"""Black-box tests of the ledger core: init, import, export, template, list, demo."""
import json
import os
import shutil
import subprocess
import unittest
import zipfile

from tzlib import (BIN, EXAMPLES, LEDGER_ORDER, REGIONS_BASE, REGIONS_HEADER, HOUSEHOLDS_HEADER,
                   CENTERS_HEADER, ROOT, TzCase, db_dump, db_rows, household, idcard, make_xlsx,
                   read_csv, read_xlsx, run, write_csv)

ALL_TABLES = LEDGER_ORDER


class Base(TzCase):
    def new_db(self, name="t.db"):
        db = self.path(name)
        run("init", db, check=0)
        return db

    def base_db(self):
        """A database holding the small region tree."""
        db = self.new_db()
        run("import", db, "regions", write_csv(self.path("regions.csv"), REGIONS_HEADER,
                                               REGIONS_BASE), check=0)
        return db

    def assert_refused(self, db, args, *needles):
        before = db_dump(db, ALL_TABLES + ["audit_log"])
        p = run(*args)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        for n in needles:
            self.assertIn(n, p.stderr)
        self.assertIn("数据库未做任何改动", p.stderr)
        self.assertEqual(before, db_dump(db, ALL_TABLES + ["audit_log"]),
                         "database changed after a refused import")
        return p


class TestCommands(Base):
    def test_version_and_help(self):
        p = run("--version", check=0)
        self.assertRegex(p.stdout, r"^taizhang \d+\.\d+\.\d+")
        p = run("--help", check=0)
        for cmd in ["init", "import", "export", "template", "list", "demo"]:
            self.assertIn(cmd, p.stdout)
        self.assertIn("退出状态", p.stdout)
        for cmd in ["init", "import", "export", "template", "list", "demo", "ledgers"]:
            p = run(cmd, "--help", check=0)
            self.assertIn("用法", p.stdout)

    def test_usage_errors_exit_2(self):
        self.assertEqual(run("nosuch").returncode, 2)
        self.assertEqual(run("import").returncode, 2)
        p = run("import", self.path("x.db"), "没有这个台账", "f.csv")
        self.assertEqual(p.returncode, 2)
        self.assertIn("未知台账", p.stderr)
        self.assertEqual(run("list", "a.db", "regions", "--bogus").returncode, 2)

    def test_init_refuses_existing(self):
        db = self.new_db()
        self.assertEqual(db_rows(db, "SELECT value FROM tz_meta WHERE key='schema_version'"),
                         [("2",)])
        p = run("init", db)
        self.assertEqual(p.returncode, 3)
        self.assertIn("已存在", p.stderr)

    def test_missing_db_is_environment_error(self):
        p = run("list", self.path("none.db"), "regions")
        self.assertEqual(p.returncode, 3)
        self.assertIn("不存在", p.stderr)
        self.assertFalse(os.path.exists(self.path("none.db")))

    def test_ledger_by_chinese_name(self):
        db = self.new_db()
        p = run("import", db, "行政区划",
                write_csv(self.path("r.csv"), REGIONS_HEADER, REGIONS_BASE), check=0)
        self.assertIn("新增6行", p.stdout)


class TestImportChecks(Base):
    def test_bad_check_digit(self):
        db = self.base_db()
        good = idcard("411628", "19800101", 123)
        bad = good[:-1] + ("0" if good[-1] != "0" else "1")
        f = write_csv(self.path("households.csv"), HOUSEHOLDS_HEADER,
                      [household("H1", "张三", good), household("H2", "李四", bad)])
        self.assert_refused(db, ["import", db, "households", f],
                            "households.csv 第3行 户主身份证号", bad[:6] + "********" + bad[-4:],
                            "校验码错误")  # masked (issue 7 point 14)

    def test_bad_birth_date(self):
        db = self.base_db()
        bad = idcard("411628", "19801332", 5)
        f = write_csv(self.path("households.csv"), HOUSEHOLDS_HEADER, [household("H1", "张三", bad)])
        self.assert_refused(db, ["import", db, "households", f], "第2行", "出生日期无效")

    def test_unknown_village(self):
        db = self.base_db()
        f = write_csv(self.path("households.csv"), HOUSEHOLDS_HEADER,
                      [household("H1", "张三", idcard("411628", "19800101", 1),
                                 village="411628101299")])
        self.assert_refused(db, ["import", db, "households", f], "第2行 所在村代码",
                            "411628101299", "不存在")

    def test_village_code_must_be_village(self):
        db = self.base_db()
        f = write_csv(self.path("households.csv"), HOUSEHOLDS_HEADER,
                      [household("H1", "张三", idcard("411628", "19800101", 1),
                                 village="411628101000")])
        self.assert_refused(db, ["import", db, "households", f], "应为村级区划")

    def test_village_parent_is_county(self):
        db = self.base_db()
        f = write_csv(self.path("r2.csv"), REGIONS_HEADER,
                      [["411628101203", "错村", "411628000000", "村", "否", ""]])
        self.assert_refused(db, ["import", db, "regions", f], "r2.csv 第2行 上级区划代码",
                            "村级代码的前9位应与上级代码相同")

    def test_region_codes_agree_with_tree(self):
        # roll-ups select descendants by code range, so codes must follow the tree
        db = self.base_db()
        f = write_csv(self.path("r3.csv"), REGIONS_HEADER,
                      [["411628102000", "乙乡", "411628000000", "乡", "", ""],
                       ["411628101299", "错挂村", "411628102000", "村", "否", ""],
                       ["411699001000", "外县乡", "411628000000", "乡", "", ""],
                       ["411628101201", "县码村", "411600000000", "县", "", ""]])
        self.assert_refused(db, ["import", db, "regions", f], "第3行 上级区划代码",
                            "第4行 上级区划代码", "前6位应与上级代码相同",
                            "第5行 区划代码", "县级区划代码第7位以后应全为0")

    def test_paid_over_promised(self):
        db = self.base_db()
        f = write_csv(self.path("cc.csv"), CENTERS_HEADER,
                      [["411628101201", "2017", "1200", "是", "10", "4"],
                       ["411628101202", "2018", "800", "是", "10", "12"]])
        self.assert_refused(db, ["import", db, "culture_centers", f], "第3行 已拨付奖补(万元)",
                            "已拨付奖补不能超过奖补标准")

    def test_negative_amount_and_bad_enum(self):
        db = self.base_db()
        f = write_csv(self.path("cc.csv"), CENTERS_HEADER,
                      [["411628101201", "2017", "-5", "可能", "10", "4"]])
        p = self.assert_refused(db, ["import", db, "culture_centers", f], "不能为负数",
                                "是否达标")

    def test_dates_landed_before_signed(self):
        db = self.new_db()
        regions = [["410000000000", "河南省", "", "省", "", ""],
                   ["411400000000", "商丘市", "410000000000", "市", "", ""],
                   ["411426000000", "夏邑县", "411400000000", "县", "", "纺织服装"]]
        run("import", db, "regions", write_csv(self.path("r.csv"), REGIONS_HEADER, regions), check=0)
        run("import", db, "units", write_csv(self.path("u.csv"), ["单位名称", "单位类型", "所属区划代码"],
                                             [["夏邑县", "县区", "411426"]]), check=0)
        hdr = ["项目编号", "项目名称", "投资方", "所在县区代码", "责任单位", "产业", "工业项目",
               "总投资(亿元)", "项目类型", "外资项目", "合同外资(万美元)", "阶段", "签约日期",
               "落地日期", "招商方式"]
        f = write_csv(self.path("p.csv"), hdr, [
            ["P1", "赛琪服饰", "赛琪", "411426000000", "夏邑县", "纺织服装", "是", "3.5", "新建", "否",
             "", "落地", "2015/3/1", "2015年2月1日", "老乡招商"]])
        self.assert_refused(db, ["import", db, "projects", f], "落地日期", "不能早于签约日期")
        # landed without a landing date is refused too
        f = write_csv(self.path("p2.csv"), hdr, [
            ["P1", "赛琪服饰", "赛琪", "411426000000", "夏邑县", "纺织服装", "是", "3.5", "新建", "否",
             "", "落地", "2015/3/1", "", "老乡招商"]])
        self.assert_refused(db, ["import", db, "projects", f], "落地日期", "必须填写")
        # all date forms accepted and normalised
        f = write_csv(self.path("p3.csv"), hdr, [
            ["P1", "赛琪服饰", "赛琪", "411426", "夏邑县", "纺织服装", "是", "3.5", "新建", "否",
             "", "落地", "2015/3/1", "2015年4月2日", "老乡招商"]])
        run("import", db, "projects", f, check=0)
        self.assertEqual(db_rows(db, "SELECT county, signed_date, landed_date FROM projects"),
                         [("411426000000", "2015-03-01", "2015-04-02")])

    def test_same_person_in_two_villages(self):
        db = self.base_db()
        same = idcard("411628", "19700505", 42)
        run("import", db, "households", write_csv(self.path("a.csv"), HOUSEHOLDS_HEADER,
                                                   [household("H1", "王五", same)]), check=0)
        f = write_csv(self.path("b.csv"), HOUSEHOLDS_HEADER,
                      [household("H9", "王五", same, village="411628101202")])
        self.assert_refused(db, ["import", db, "households", f], "户主身份证号", "H1",
                            "不能重复录入")

    def test_all_problems_of_a_row_listed_at_once(self):
        db = self.base_db()
        same = idcard("411628", "19800101", 1)
        bad = household("H2", "乙", same, village="411628101299")
        bad[5] = "不存在的属性"
        f = write_csv(self.path("mix.csv"), HOUSEHOLDS_HEADER, [household("H1", "甲", same), bad])
        self.assert_refused(db, ["import", db, "households", f], "第3行 贫困户属性",
                            "第3行 户主身份证号", "第3行 所在村代码", "有3处错误")

    def test_duplicate_key_in_file(self):
        db = self.base_db()
        f = write_csv(self.path("h.csv"), HOUSEHOLDS_HEADER,
                      [household("H1", "甲", idcard("411628", "19800101", 1)),
                       household("H1", "乙", idcard("411628", "19800101", 2))])
        self.assert_refused(db, ["import", db, "households", f], "第3行", "与第2行重复")

    def test_missing_and_extra_columns(self):
        db = self.base_db()
        hdr = [h for h in HOUSEHOLDS_HEADER if h != "户主姓名"] + ["备注"]
        row = household("H1", "甲", idcard("411628", "19800101", 1))
        row = [v for h, v in zip(HOUSEHOLDS_HEADER, row) if h != "户主姓名"] + ["x"]
        f = write_csv(self.path("h.csv"), hdr, [row])
        p = self.assert_refused(db, ["import", db, "households", f], "户主姓名", "缺少此列")
        self.assertIn("备注", p.stderr)
        self.assertIn("已忽略", p.stderr)

    def test_every_error_listed_with_limit(self):
        db = self.base_db()
        rows = [household(f"H{i}", "甲", "123", village="411628101201") for i in range(300)]
        f = write_csv(self.path("h.csv"), HOUSEHOLDS_HEADER, rows)
        p = self.assert_refused(db, ["import", db, "households", f], "第2行", "另有")
        self.assertIn("有300处错误", p.stderr)

    def test_progress_bar_on_a_terminal_only(self):
        """issue 8: the import reports progress through a callback; the CLI
        draws the bar, on a terminal only, as before"""
        import pty
        db = self.new_db()
        csvp = write_csv(self.path("regions.csv"), REGIONS_HEADER, REGIONS_BASE)
        master, slave = pty.openpty()
        env = dict(os.environ, TAIZHANG_HOME=ROOT)
        p = subprocess.Popen([BIN, "import", db, "regions", csvp], stdout=subprocess.PIPE,
                             stderr=slave, env=env)
        os.close(slave)
        out = p.stdout.read()
        p.stdout.close()
        self.assertEqual(p.wait(timeout=600), 0)
        err = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            err += chunk
        os.close(master)
        self.assertIn("已导入", out.decode())
        self.assertIn(("\r导入 regions.csv [" + "#" * 30 + "] 100% 6行").encode(), err)
        # not on a pipe
        p = run("import", db, "regions", csvp, check=0)
        self.assertNotIn("导入 regions.csv [", p.stderr)

    def test_truncated_xlsx(self):
        db = self.base_db()
        run("export", db, "regions", self.path("full.xlsx"), check=0)
        data = open(self.path("full.xlsx"), "rb").read()
        with open(self.path("truncated.xlsx"), "wb") as f:
            f.write(data[: len(data) // 2])
        self.assert_refused(db, ["import", db, "regions", self.path("truncated.xlsx")],
                            "truncated.xlsx")

    def test_zip_bomb_xlsx(self):
        db = self.base_db()
        bomb = os.path.join(ROOT, "tests", "data", "reader", "bomb.xlsx")
        self.assertTrue(os.path.exists(bomb))
        shutil.copy(bomb, self.path("bomb.xlsx"))
        self.assert_refused(db, ["import", db, "regions", self.path("bomb.xlsx")], "bomb.xlsx",
                            "压缩炸弹")

    def test_gbk_csv(self):
        db = self.base_db()
        f = write_csv(self.path("gbk.csv"), HOUSEHOLDS_HEADER,
                      [household("H1", "欧阳娜", idcard("411628", "19800101", 7))], encoding="gbk")
        p = run("import", db, "households", f, check=0)
        self.assertIn("GB18030", p.stdout)
        self.assertEqual(db_rows(db, "SELECT head_name FROM households"), [("欧阳娜",)])

    def test_xlsx_with_date_serials_and_short_codes(self):
        db = self.base_db()
        f = make_xlsx(self.path("tv.xlsx"), [
            ["户编号", "安装日期", "安装单位", "状态"]])
        run("import", db, "households", write_csv(self.path("h.csv"), HOUSEHOLDS_HEADER, [
            household("H1", "甲", idcard("411628", "19800101", 1))]), check=0)
        make_xlsx(f, [["户编号", "安装日期", "安装单位", "状态"], ["H1", 43466, "豫广网络", "正常"]])
        run("import", db, "tv_installs", f, check=0)
        self.assertEqual(db_rows(db, "SELECT install_date FROM tv_installs"), [("2019-01-01",)])

    def test_reimport_updates_not_duplicates(self):
        db = self.base_db()
        f = write_csv(self.path("r.csv"), REGIONS_HEADER, REGIONS_BASE)
        p = run("import", db, "regions", f, check=0)
        self.assertIn("新增0行", p.stdout)
        self.assertIn("未变6行", p.stdout)
        changed = [r[:] for r in REGIONS_BASE]
        changed[4][1] = "卢尧行政村"
        p = run("import", db, "regions", write_csv(self.path("r2.csv"), REGIONS_HEADER, changed),
                check=0)
        self.assertIn("修改1行", p.stdout)
        self.assertEqual(db_rows(db, "SELECT count(*) FROM regions"), [(6,)])
        self.assertEqual(db_rows(db, "SELECT name FROM regions WHERE code='411628101201'"),
                         [("卢尧行政村",)])
        audit = db_rows(db, "SELECT action, row_key, detail FROM audit_log WHERE action='修改'")
        self.assertEqual(len(audit), 1)
        self.assertIn("卢尧村 → 卢尧行政村", audit[0][2])

    def test_dry_run_writes_nothing(self):
        db = self.new_db()
        f = write_csv(self.path("r.csv"), REGIONS_HEADER, REGIONS_BASE)
        p = run("import", db, "regions", f, "--dry-run", check=0)
        self.assertIn("试运行", p.stdout)
        self.assertEqual(db_rows(db, "SELECT count(*) FROM regions"), [(0,)])

    def test_forward_references_in_one_file(self):
        db = self.new_db()
        f = write_csv(self.path("r.csv"), REGIONS_HEADER, list(reversed(REGIONS_BASE)))
        run("import", db, "regions", f, check=0)
        self.assertEqual(db_rows(db, "SELECT count(*) FROM regions"), [(6,)])


class TestExportTemplateList(Base):
    def test_export_xlsx_and_csv(self):
        db = self.base_db()
        run("export", db, "regions", self.path("r.xlsx"), check=0)
        rows = read_xlsx(self.path("r.xlsx"))
        self.assertEqual(rows[0], REGIONS_HEADER)
        self.assertEqual(len(rows), 7)
        with zipfile.ZipFile(self.path("r.xlsx")) as z:
            sheet = z.read("xl/worksheets/sheet1.xml").decode()
        self.assertIn('ySplit="1"', sheet)              # frozen header
        self.assertIn("<dataValidation", sheet)          # drop-downs on enum columns
        self.assertIn("省,市,县,乡,村", sheet)
        self.assertIn("<col ", sheet)                    # column widths
        run("export", db, "regions", self.path("r.csv"), check=0)
        raw = open(self.path("r.csv"), "rb").read()
        self.assertTrue(raw.startswith(b"\xef\xbb\xbf"))
        self.assertEqual(read_csv(self.path("r.csv"))[0], REGIONS_HEADER)
        run("export", db, "regions", self.path("g.csv"), "--encoding", "gb18030", check=0)
        self.assertEqual(read_csv(self.path("g.csv"), encoding="gb18030")[4][1], "宋河镇")
        # deterministic output
        run("export", db, "regions", self.path("r2.xlsx"), check=0)
        self.assertEqual(open(self.path("r.xlsx"), "rb").read(),
                         open(self.path("r2.xlsx"), "rb").read())

    def test_csv_export_defuses_formulas_and_round_trips(self):
        db = self.base_db()
        units = [["=HYPERLINK(\"http://x/\",\"点\")", "县直单位", "411628"],
                 ["-正常单位", "县直单位", "411628"], ["@单位", "县直单位", "411628"]]
        run("import", db, "units", write_csv(self.path("u.csv"), ["单位名称", "单位类型", "所属区划代码"],
                                             units), check=0)
        run("export", db, "units", self.path("out.csv"), check=0)
        names = [r[0] for r in read_csv(self.path("out.csv"))[1:]]
        self.assertTrue(all(n.startswith("'") for n in names), names)  # Excel shows text, runs nothing
        db2 = self.new_db("b.db")
        run("import", db2, "regions", self.path("regions.csv"), check=0)
        run("import", db2, "units", self.path("out.csv"), check=0)
        self.assertEqual(db_dump(db, ["units"], provenance=False),
                         db_dump(db2, ["units"], provenance=False))

    def test_warnings_do_not_hide_errors(self):
        db = self.base_db()
        hdr = REGIONS_HEADER + [f"备注{i}" for i in range(300)]
        # 组 is no level (镇 would be: issue 10 reads it as 乡 through data/value_aliases.tsv)
        rows = [["411628101209", "某村", "411628101000", "组", "否", ""] + [""] * 300]
        p = self.assert_refused(db, ["import", db, "regions", write_csv(self.path("w.csv"), hdr, rows)],
                                "第2行 层级", "不是允许的取值")
        self.assertIn("另有", p.stderr)  # the extra-column warnings are capped, not the error

    def test_export_where(self):
        db = self.base_db()
        run("export", db, "regions", self.path("v.csv"), "--where", "层级=村", check=0)
        self.assertEqual(len(read_csv(self.path("v.csv"))), 3)

    def test_template(self):
        run("template", "households", self.path("t.xlsx"), check=0)
        rows = read_xlsx(self.path("t.xlsx"))
        self.assertEqual(rows[0], HOUSEHOLDS_HEADER)
        self.assertIn("18位", "".join(rows[1]))
        with zipfile.ZipFile(self.path("t.xlsx")) as z:
            sheet = z.read("xl/worksheets/sheet1.xml").decode()
        self.assertIn("一般贫困户,低保贫困户,特困供养贫困户", sheet)
        # the untouched template imports as zero rows (notes row recognised)
        db = self.base_db()
        p = run("import", db, "households", self.path("t.xlsx"), check=0)
        self.assertIn("读取0行", p.stdout)

    def test_list_table_and_json(self):
        db = self.base_db()
        p = run("list", db, "regions", "--where", "层级=村", check=0)
        lines = p.stdout.splitlines()
        self.assertEqual(len(lines), 4)  # header, rule, two villages
        # columns line up: 名称 starts at the same display column on each line
        import unicodedata

        def col_of(line, text):
            i = line.index(text)
            return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line[:i])
        self.assertEqual(col_of(lines[0], "名称"), col_of(lines[2], "卢尧村"))
        p = run("list", db, "regions", "--json", "--where", "区划代码=411628101201", check=0)
        data = json.loads(p.stdout)
        self.assertEqual(data, [{"区划代码": "411628101201", "名称": "卢尧村",
                                 "上级区划代码": "411628101000", "层级": "村", "贫困村": "是",
                                 "主导产业": None}])
        p = run("list", db, "regions", "--where", "不存在的列=1")
        self.assertEqual(p.returncode, 2)
        self.assertIn("没有\"不存在的列\"这一列", p.stderr)
        self.assertEqual(p.stdout, "")

    def test_demo_never_leaves_a_half_database(self):
        home = self.path("home")
        os.makedirs(os.path.join(home, "examples", "county"))
        env = dict(os.environ, TAIZHANG_HOME=home)
        db = self.path("d.db")
        p = subprocess.run([BIN, "demo", db], capture_output=True, text=True, env=env)
        self.assertEqual(p.returncode, 3)
        self.assertIn("没有台账文件", p.stderr)
        self.assertFalse(os.path.exists(db))
        shutil.rmtree(os.path.join(home, "examples"))
        p = subprocess.run([BIN, "demo", db], capture_output=True, text=True, env=env)
        self.assertEqual(p.returncode, 3)
        self.assertIn("未创建数据库", p.stderr)
        self.assertFalse(os.path.exists(db))
        os.makedirs(os.path.join(home, "examples", "county"))
        write_csv(os.path.join(home, "examples", "county", "regions.csv"), REGIONS_HEADER,
                  REGIONS_BASE)
        write_csv(os.path.join(home, "examples", "county", "units.csv"),
                  ["单位名称", "单位类型", "所属区划代码"], [["某局", "县直单位", "999999"]])
        p = subprocess.run([BIN, "demo", db], capture_output=True, text=True, env=env)
        self.assertEqual(p.returncode, 1)
        self.assertIn("已删除", p.stderr)
        self.assertFalse(os.path.exists(db))

    def test_plain_open_writes_nothing_and_foreign_files_refused(self):
        db = self.base_db()
        before = open(db, "rb").read()
        run("list", db, "regions", check=0)
        self.assertEqual(before, open(db, "rb").read())
        run("export", db, "regions", self.path("r.csv"), check=0)  # writes its audit row
        import sqlite3
        other = self.path("other.db")
        con = sqlite3.connect(other)
        con.execute("CREATE TABLE t (x)")
        con.commit()
        con.close()
        p = run("list", other, "regions")
        self.assertEqual(p.returncode, 3)
        self.assertIn("不是台账数据库", p.stderr)
        self.assertEqual(db_rows(other, "SELECT name FROM sqlite_master"), [("t",)])
        p = run("demo", db)
        self.assertEqual(p.returncode, 3)
        self.assertIn("已存在", p.stderr)


class TestDemoRoundTrip(Base):
    def test_demo_and_round_trip(self):
        db = self.path("demo.db")
        p = run("demo", db, check=0)
        self.assertIn("示例数据库已就绪", p.stdout)
        counts = dict(db_rows(db, "SELECT 'households', count(*) FROM households UNION ALL "
                                  "SELECT 'tv', count(*) FROM tv_installs"))
        self.assertGreater(counts["households"], 8000)
        for fmt in ("xlsx", "csv"):
            db2 = self.new_db(f"copy-{fmt}.db")
            for ledger in LEDGER_ORDER:
                out = self.path(f"{ledger}.{fmt}")
                run("export", db, ledger, out, check=0)
                run("import", db2, ledger, out, "--quiet", check=0)
            self.assertEqual(db_dump(db, ALL_TABLES, provenance=False),
                             db_dump(db2, ALL_TABLES, provenance=False),
                             f"round trip through {fmt} changed the data")


@unittest.skipUnless(os.environ.get("TZ_PG_URI"), "TZ_PG_URI not set (PostgreSQL not started)")
class TestPostgres(Base):
    def test_demo_on_postgres_matches_sqlite(self):
        uri = os.environ["TZ_PG_URI"]
        subprocess.run(["psql", uri, "-qc", "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"],
                       check=True, capture_output=True)
        run("demo", uri, "--quiet", check=0)
        sq = self.path("demo.db")
        run("demo", sq, "--quiet", check=0)
        for ledger in LEDGER_ORDER:
            run("export", uri, ledger, self.path(f"pg-{ledger}.csv"), check=0)
            run("export", sq, ledger, self.path(f"sq-{ledger}.csv"), check=0)
            self.assertEqual(read_csv(self.path(f"pg-{ledger}.csv")),
                             read_csv(self.path(f"sq-{ledger}.csv")), ledger)
        # a refused import leaves PostgreSQL unchanged too
        f = write_csv(self.path("cc.csv"), CENTERS_HEADER,
                      [["411628101201", "2017", "1200", "是", "10", "40"]])
        p = run("import", uri, "culture_centers", f)
        self.assertEqual(p.returncode, 1)
        run("export", uri, "culture_centers", self.path("after.csv"), check=0)
        self.assertEqual(read_csv(self.path("after.csv")),
                         read_csv(self.path("pg-culture_centers.csv")))


if __name__ == "__main__":
    unittest.main()
