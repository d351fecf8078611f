"""Black-box tests of value validation on import (issue 7, points 2-5, 7, 13-15):
Excel error values and formulas without results, the number grammar and
ranges, the 1904 date system, invisible and control characters, the CSV
apostrophe guard, masked ID numbers and clipped values in messages. Each test
imports real CSV or xlsx files into a real SQLite database with the real
binary and checks the exit status, the Chinese message and that a refused
file leaves the database unchanged."""
import os
import re
import unittest

from tzlib import (HOUSEHOLDS_HEADER, LEDGER_ORDER, REGIONS_BASE, REGIONS_HEADER, ROOT, TzCase,
                   db_dump, db_rows, household, idcard, make_xlsx, run, write_csv)

TABLES = LEDGER_ORDER + ["audit_log"]
EVENTS_HEADER = ["活动编号", "日期", "活动类型", "节目名称", "演出形式", "地点区划代码", "场次",
                 "受益人次"]
TV_HEADER = ["户编号", "安装日期", "安装单位", "状态"]
ID1 = idcard("411628", "19800101", 1)
ID2 = idcard("411628", "19800101", 2)


class Base(TzCase):
    def base_db(self):
        db = self.path("t.db")
        run("init", db, check=0)
        run("import", db, "regions", write_csv(self.path("regions.csv"), REGIONS_HEADER,
                                               REGIONS_BASE), check=0)
        return db

    def hh_db(self):
        """The region tree and two households, H1 (income 6491) and TEST0000."""
        db = self.base_db()
        run("import", db, "households",
            write_csv(self.path("hh0.csv"), HOUSEHOLDS_HEADER,
                      [household("H1", "张三", ID1, income="6491"),
                       household("TEST0000", "李四", ID2)]), check=0)
        return db

    def refused(self, db, ledger, path, *needles):
        """Imports path, expects exit 1, every needle in stderr, and the
        database unchanged. Returns stderr."""
        before = db_dump(db, TABLES)
        p = run("import", db, ledger, path)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        for n in needles:
            self.assertIn(n, p.stderr)
        self.assertIn("数据库未做任何改动", p.stderr)
        self.assertEqual(before, db_dump(db, TABLES), "database changed after a refused import")
        return p.stderr

    def hh_csv(self, name, rows):
        return write_csv(self.path(name), HOUSEHOLDS_HEADER, rows)


class TestExcelErrors(Base):
    """Point 3: Excel error values are cell errors in every column."""

    def test_error_values_as_text(self):
        db = self.hh_db()
        errs = ["#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!",
                "#GETTING_DATA"]
        rows = []
        for k, e in enumerate(errs):
            row = household(f"E{k}", e, idcard("411628", "19900101", k + 10))
            row[9] = e           # 人均纯收入(元), a number column
            row[6] = e           # 主要致贫原因, an enum column
            rows.append(row)
        err = self.refused(db, "households", self.hh_csv("e.csv", rows),
                           "e.csv 第2行 户主姓名: 单元格是Excel错误值#N/A,请改正后再导入",
                           "e.csv 第2行 人均纯收入(元): 单元格是Excel错误值#N/A,请改正后再导入",
                           "e.csv 第2行 主要致贫原因: 单元格是Excel错误值#N/A,请改正后再导入",
                           "e.csv 第9行 户主姓名: 单元格是Excel错误值#GETTING_DATA")
        self.assertIn(f"有{3 * len(errs)}处错误", err)

    def test_error_cell_in_xlsx(self):
        db = self.hh_db()
        row = household("H9", ("error", "#N/A"), idcard("411628", "19900101", 9))
        path = make_xlsx(self.path("err.xlsx"), [HOUSEHOLDS_HEADER, row])
        self.refused(db, "households", path,
                     "err.xlsx 第2行 户主姓名: 单元格是Excel错误值#N/A,请改正后再导入")


class TestXlsxCellKinds(Base):
    """Points 2 and 5, end to end through the xlsx reader."""

    def test_formula_without_result_does_not_overwrite(self):
        db = self.hh_db()
        row = household("H1", "张三", ID1)
        row[9] = ("formula", "6491+0", None)
        path = make_xlsx(self.path("f.xlsx"), [HOUSEHOLDS_HEADER, row])
        self.refused(db, "households", path, "f.xlsx 第2行 人均纯收入(元): "
                     "公式没有计算结果,请在Excel或WPS中打开并保存后再导入")
        self.assertEqual(db_rows(db, "SELECT income FROM households WHERE hh_id = 'H1'"),
                         [(6491.0,)])

    def test_formula_with_result_imports_it(self):
        db = self.hh_db()
        row = household("H1", "张三", ID1)
        row[9] = ("formula", "6000+500", 6500)
        run("import", db, "households", make_xlsx(self.path("f.xlsx"), [HOUSEHOLDS_HEADER, row]),
            check=0)
        self.assertEqual(db_rows(db, "SELECT income FROM households WHERE hh_id = 'H1'"),
                         [(6500.0,)])

    def test_date1904(self):
        db = self.hh_db()
        run("import", db, "tv_installs",
            make_xlsx(self.path("tv.xlsx"), [TV_HEADER, ["H1", 43617, "", "正常"]], date1904=True),
            check=0)
        run("import", db, "tv_installs",
            make_xlsx(self.path("tv2.xlsx"), [TV_HEADER, ["TEST0000", 43617, "", "正常"]]),
            check=0)
        self.assertEqual(db_rows(db, "SELECT hh_id, install_date FROM tv_installs ORDER BY hh_id"),
                         [("H1", "2023-06-02"), ("TEST0000", "2019-06-01")])


class TestNumbers(Base):
    """Point 4: the number grammar and the ranges of the ledger table."""

    def test_bad_numbers_refused_with_reason(self):
        db = self.hh_db()
        cases = [("3,5", "千位分隔符位置不对"), ("1,0.5", "千位分隔符位置不对"),
                 ("0x1F", "不接受十六进制写法"), ("0x1p4", "不接受十六进制写法"),
                 ("3e0", "不接受科学计数法"), ("9000000000000000", "超出合理范围(应为1至30)"),
                 ("inf", "不是数字(不接受inf、nan等写法)"), ("nan", "不是数字(不接受inf、nan等写法)"), ("-", "正负号后面没有数字"),
                 ("3.0", "应为整数"), ("3人", "数字前后有多余的字符"), ("31", "超出合理范围(应为1至30)"),
                 ("0", "不能小于1")]
        rows = []
        for k, (v, _) in enumerate(cases):
            row = household(f"N{k}", "王五", idcard("411628", "19900101", k + 20))
            row[4] = v  # 家庭人口
            rows.append(row)
        err = self.refused(db, "households", self.hh_csv("n.csv", rows))
        for k, (v, why) in enumerate(cases):
            self.assertIn(f'n.csv 第{k + 2}行 家庭人口 "{v}": {why}', err)
        self.assertIn(f"有{len(cases)}处错误", err)

    def test_amount_grammar(self):
        db = self.hh_db()
        rows = [household("A1", "王五", idcard("411628", "19900101", 31), income="1,0.5"),
                household("A2", "王六", idcard("411628", "19900101", 32), income="1e3"),
                household("A3", "王七", idcard("411628", "19900101", 33), income="2000000")]
        self.refused(db, "households", self.hh_csv("a.csv", rows),
                     '第2行 人均纯收入(元) "1,0.5": 千位分隔符位置不对',
                     '第3行 人均纯收入(元) "1e3": 不接受科学计数法',
                     '第4行 人均纯收入(元) "2000000": 超出合理范围(应为0至1000000)')

    def test_good_numbers_normalised(self):
        db = self.hh_db()
        row = household("H1", "张三", ID1, income="１２,３４５.６")  # full-width
        row[4] = "４"
        run("import", db, "households", self.hh_csv("g.csv", [row]), check=0)
        self.assertEqual(db_rows(db, "SELECT members, income FROM households WHERE hh_id = 'H1'"),
                         [(4, 12345.6)])

    def test_shows_per_row_below_10000(self):
        db = self.base_db()
        rows = [["EV1", "2019-06-01", "送戏下乡", "", "", "411628101201", "10000", "50"],
                ["EV2", "2019-06-01", "送戏下乡", "", "", "411628101201", "-1", "50"]]
        self.refused(db, "cultural_events", write_csv(self.path("ev.csv"), EVENTS_HEADER, rows),
                     '第2行 场次 "10000": 超出合理范围(应为0至9999)',
                     '第3行 场次 "-1": 不能为负数')
        rows = [["EV1", "2019-06-01", "送戏下乡", "", "", "411628101201", "9,999", "50"]]
        run("import", db, "cultural_events", write_csv(self.path("ev2.csv"), EVENTS_HEADER, rows),
            check=0)
        self.assertEqual(db_rows(db, "SELECT shows FROM cultural_events"), [(9999,)])

    def test_years(self):
        db = self.hh_db()
        row = household("Y1", "王五", idcard("411628", "19900101", 41))
        row[7] = "1948"
        self.refused(db, "households", self.hh_csv("y.csv", [row]),
                     '第2行 识别年度 "1948": 年度超出范围(1949-2100)')


class TestInvisible(Base):
    """Point 7: invisible characters in keys and codes, control characters
    in free text."""

    def test_bom_before_key_is_the_same_household(self):
        db = self.hh_db()
        p = run("import", db, "households",
                self.hh_csv("bom.csv", [household("\ufeffTEST0000", "李四改", ID2)]), check=0)
        self.assertIn('提示: bom.csv 第2行 户编号 "<U+FEFF>TEST0000": 首尾的不可见字符(U+FEFF)已去掉',
                      p.stderr)
        self.assertIn("修改1行", p.stdout)
        self.assertIn("另有1处提示(见上)", p.stdout)  # the trim is counted too
        self.assertEqual(db_rows(db, "SELECT hh_id, head_name FROM households ORDER BY hh_id"),
                         [("H1", "张三"), ("TEST0000", "李四改")])

    def test_invisible_inside_keys_and_codes_refused(self):
        db = self.hh_db()
        rows = [household("TEST\u200b0000", "李四", ID2),
                household("H5", "赵六", idcard("411628", "19900101", 51),
                          village="411628\u2060101201"),
                household("H6", "孙七", ID1[:9] + "\x07" + ID1[9:])]
        rows[2][0] = "H6"
        err = self.refused(db, "households", self.hh_csv("zw.csv", rows),
                           '第2行 户编号 "TEST<U+200B>0000": 含有不可见字符(U+200B),请删除后再导入',
                           '第3行 所在村代码 "411628<U+2060>101201": 含有不可见字符(U+2060)',
                           "第4行 户主身份证号", "含有不可见字符(U+0007)")
        self.assertNotIn("\x07", err)
        self.assertNotIn("\u200b", err)

    def test_enum_with_zero_width_refused(self):
        db = self.hh_db()
        row = household("H7", "周八", idcard("411628", "19900101", 71))
        row[5] = "一般\u200d贫困户"
        self.refused(db, "households", self.hh_csv("en.csv", [row]),
                     '第2行 贫困户属性 "一般<U+200D>贫困户": 含有不可见字符(U+200D)')

    def test_control_characters_in_free_text_replaced(self):
        db = self.hh_db()
        row = household("H8", "吴\x1b[2J九", idcard("411628", "19900101", 81))
        row[14] = "郑\r\n十"
        p = run("import", db, "households", self.hh_csv("ctl.csv", [row]), check=0)
        self.assertNotIn("\x1b", p.stderr + p.stdout)
        self.assertIn('提示: ctl.csv 第2行 户主姓名 "吴<U+001B>[2J九": 含有1个控制字符(如U+001B)', p.stderr)
        self.assertIn("ctl.csv 第2行 帮扶责任人", p.stderr)
        self.assertEqual(db_rows(db, "SELECT head_name, helper FROM households WHERE hh_id = 'H8'"),
                         [("吴\ufffd[2J九", "郑 十")])


class TestCsvApostrophe(Base):
    """Point 13 (import side): the export's apostrophe guard is dropped from
    CSV files only."""

    def test_csv_drops_guard(self):
        db = self.hh_db()
        row = household("H1", "'=张三", ID1)
        row[14] = "'-2+3+cmd|' /C calc'!A0"
        run("import", db, "households", self.hh_csv("ap.csv", [row]), check=0)
        self.assertEqual(db_rows(db, "SELECT head_name, helper FROM households WHERE hh_id = 'H1'"),
                         [("=张三", "-2+3+cmd|' /C calc'!A0")])

    def test_xlsx_keeps_apostrophe(self):
        db = self.hh_db()
        row = household("H1", "'=张三", ID1)
        row[14] = "'=1+1"
        run("import", db, "households", make_xlsx(self.path("ap.xlsx"), [HOUSEHOLDS_HEADER, row]),
            check=0)
        self.assertEqual(db_rows(db, "SELECT head_name, helper FROM households WHERE hh_id = 'H1'"),
                         [("'=张三", "'=1+1")])
        # the same row from a CSV file loses the export's guard
        run("import", db, "households", self.hh_csv("ap.csv", [row]), check=0)
        self.assertEqual(db_rows(db, "SELECT head_name, helper FROM households WHERE hh_id = 'H1'"),
                         [("=张三", "=1+1")])


class TestMessages(Base):
    """Points 14 and 15: ID numbers masked and huge values clipped in
    messages."""

    def test_id_numbers_masked(self):
        db = self.hh_db()
        bad = ID1[:-1] + ("0" if ID1[-1] != "0" else "1")
        rows = [household("H2", "王五", ID1),        # already registered for H1
                household("H3", "王六", bad),        # wrong check digit
                household("H4", "王七", ID2[:17])]   # too short
        err = self.refused(db, "households", self.hh_csv("id.csv", rows),
                           f'第2行 户主身份证号 "{ID1[:6]}********{ID1[-4:]}": 已登记在户编号为H1的记录中',
                           f'第3行 户主身份证号 "{bad[:6]}********{bad[-4:]}": 校验码错误',
                           f'第4行 户主身份证号 "{ID2[:6]}*******{ID2[13:17]}": 身份证号应为18位')
        for full in (ID1, bad, ID2[:17], ID1[6:14]):
            self.assertNotIn(full, err)

    def test_huge_value_clipped(self):
        db = self.hh_db()
        huge = "长" * 300000
        row = household("H2", huge, idcard("411628", "19900101", 91))
        err = self.refused(db, "households", self.hh_csv("big.csv", [row]),
                           '第2行 户主姓名 "' + "长" * 40 + '…(共300000字)": 内容过长')
        self.assertLess(len(err.encode("utf-8")), 2000)

    def test_huge_key_clipped(self):
        db = self.hh_db()
        row = household("H" + "9" * 500000, "王五", idcard("411628", "19900101", 92))
        row[4] = "0x" + "F" * 500000
        err = self.refused(db, "households", self.hh_csv("bigkey.csv", [row]),
                           '家庭人口 "0x' + "F" * 38 + '…(共500002字)": 不接受十六进制写法')
        self.assertLess(len(err.encode("utf-8")), 4000)
        self.assertIsNone(re.search("F{41}", err))


if __name__ == "__main__":
    unittest.main()
