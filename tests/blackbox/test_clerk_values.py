"""Black-box tests of issue 10's values part: header names as clerks write
them (full-width brackets, spaces and line breaks, synonyms), optional
household columns, value aliases, dates as people write them and ID numbers
stored as numbers. Each test imports a real CSV or xlsx file into a real
SQLite database with the real binary and reads back what was stored."""
import unittest

from tzlib import (REGIONS_BASE, REGIONS_HEADER, TzCase, db_dump, db_rows, idcard, make_xlsx,
                   run, write_csv)

ID1 = idcard("411628", "19800101", 1)
ID2 = idcard("411628", "19800101", 2)
ID3 = idcard("411628", "19800101", 3)
ID_LOST = ("该列在Excel中是数字格式,身份证号只保留了15位有效数字,后3位已丢失;"
           "请将该列设为文本格式后重新填写")


class Base(TzCase):
    def base_db(self):
        db = self.path("t.db")
        run("init", db, check=0)
        run("import", db, "regions", write_csv(self.path("regions.csv"), REGIONS_HEADER,
                                               REGIONS_BASE), check=0)
        return db

    def households(self, db):
        return db_rows(db, "SELECT hh_id, head_name, id_number, village, members, kind, cause, "
                           "year_identified, income, edu_ok FROM households ORDER BY hh_id")


class TestHeadersAndValues(Base):
    def test_clerk_headers_and_values(self):
        """户主/户主身份证号码/家庭 人口/人均纯收入（元）/致贫原因/贫困户类型 and
        因病致贫, 低保户, 五保户, √/×: imported, and each mapping said."""
        db = self.base_db()
        hdr = ["户编号", "户主", "户主身份证号码", "所在村代码", "家庭\n人口", "贫困户类型",
               "致贫原因", "识别 年度", "人均纯收入（元）", "义务教育", "备注"]
        rows = [["H1", "张三", ID1, "411628101201", "3", "低保户", "因病致贫", "2016", "4,200",
                 "√", "无"],
                ["H2", "李四", ID2, "411628101202", "1", "五保户", "缺劳动力", "2015", "",
                 "×", ""],
                ["H3", "王五", ID3, "411628101201", "2", "一般贫困户", "其它", "2016", "5000",
                 "有", ""]]
        p = run("import", db, "households", write_csv(self.path("hh.csv"), hdr, rows))
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("户主: 按“户主姓名”列读取(同义列名", p.stderr)
        self.assertIn("按“人均纯收入(元)”列读取(表头的全角/半角字符或空格、换行", p.stderr)
        self.assertIn("备注: 不是建档立卡贫困户台账的列,已忽略", p.stderr)
        self.assertEqual(self.households(db), [
            ("H1", "张三", ID1, "411628101201", 3, "低保贫困户", "因病", 2016, 4200, 1),
            ("H2", "李四", ID2, "411628101202", 1, "特困供养贫困户", "缺劳力", 2015, None, 0),
            ("H3", "王五", ID3, "411628101201", 2, "一般贫困户", "其他", 2016, 5000, 1)])

    def test_value_still_refused_lists_allowed(self):
        db = self.base_db()
        hdr = ["户编号", "户主姓名", "户主身份证号", "所在村代码", "家庭人口", "贫困户属性"]
        before = db_dump(db, ["households"])
        p = run("import", db, "households", write_csv(self.path("bad.csv"), hdr, [
            ["H1", "张三", ID1, "411628101201", "3", "困难户"]]))
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn('bad.csv 第2行 贫困户属性 "困难户": 不是允许的取值,应为: '
                      '一般贫困户/低保贫困户/特困供养贫困户', p.stderr)
        self.assertEqual(before, db_dump(db, ["households"]))


class TestOptionalColumns(Base):
    def test_five_columns_import(self):
        """A households file of the five required columns imports; the rest is
        NULL (not recorded). A file without 户主姓名 is still refused."""
        db = self.base_db()
        hdr = ["户编号", "户主姓名", "户主身份证号", "所在村代码", "家庭人口"]
        p = run("import", db, "households", write_csv(self.path("hh5.csv"), hdr, [
            ["H1", "张三", ID1, "411628101201", "3"]]))
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(self.households(db), [
            ("H1", "张三", ID1, "411628101201", 3, None, None, None, None, None)])
        p = run("import", db, "households", write_csv(self.path("hh4.csv"), hdr[:1] + hdr[2:], [
            ["H2", ID2, "411628101201", "3"]]))
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("户主姓名: 缺少此列(建档立卡贫困户台账必须包含该列)", p.stderr)

    def test_empty_optional_cells(self):
        """贫困户属性, 主要致贫原因 and 识别年度 may be left empty."""
        db = self.base_db()
        hdr = ["户编号", "户主姓名", "户主身份证号", "所在村代码", "家庭人口", "贫困户属性",
               "主要致贫原因", "识别年度"]
        p = run("import", db, "households", write_csv(self.path("hh.csv"), hdr, [
            ["H1", "张三", ID1, "411628101201", "3", "", "", ""]]))
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(self.households(db)[0][5:8], (None, None, None))


class TestDatesAndIds(Base):
    def hh_db(self):
        db = self.base_db()
        hdr = ["户编号", "户主姓名", "户主身份证号", "所在村代码", "家庭人口"]
        run("import", db, "households", write_csv(self.path("hh.csv"), hdr, [
            ["H1", "张三", ID1, "411628101201", "3"], ["H2", "李四", ID2, "411628101201", "2"],
            ["H3", "王五", ID3, "411628101201", "1"]]), check=0)
        return db

    def test_dates_as_written(self):
        """2019年6月 (the first), 20190601 as text and as a number cell."""
        db = self.hh_db()
        path = make_xlsx(self.path("tv.xlsx"), [
            ["户编号", "安装日期", "状态"],
            ["H1", "2019年6月", "正常"],
            ["H2", "20190602", "使用正常"],
            ["H3", 20190603, "损坏"]])
        p = run("import", db, "tv_installs", path)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(db_rows(db, "SELECT hh_id, install_date, status FROM tv_installs "
                                     "ORDER BY hh_id"),
                         [("H1", "2019-06-01", "正常"), ("H2", "2019-06-02", "正常"),
                          ("H3", "2019-06-03", "故障")])

    def test_two_digit_year_refused(self):
        db = self.hh_db()
        p = run("import", db, "tv_installs", write_csv(self.path("tv.csv"),
                                                       ["户编号", "安装日期", "状态"],
                                                       [["H1", "18.1.12", "正常"]]))
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn('tv.csv 第2行 安装日期 "18.1.12": 年份只写了两位,无法确定是哪一年;'
                      '请写四位年份,如2018-01-12', p.stderr)

    def test_id_stored_as_number(self):
        db = self.base_db()
        path = make_xlsx(self.path("hh.xlsx"), [
            ["户编号", "户主姓名", "户主身份证号", "所在村代码", "家庭人口"],
            ["H1", "张三", 411628198001011000, "411628101201", 3]])
        before = db_dump(db, ["households"])
        p = run("import", db, "households", path)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("hh.xlsx 第2行 户主身份证号", p.stderr)
        self.assertIn(ID_LOST, p.stderr)
        self.assertNotIn("198001011", p.stderr)  # never echoed in full
        self.assertEqual(before, db_dump(db, ["households"]))


if __name__ == "__main__":
    unittest.main()
