"""Black-box tests of what Excel does to the cells of `taizhang template` and
`taizhang export` (.xlsx, issue 10 item 10): every column of IDs and codes
(身份证号, 区划代码, key text columns such as 户编号, text columns naming
another ledger's key) is Text-formatted ("@") in its <col> definition, so a
value a clerk types below the data stays text, and in every cell; dates are
date cells (numbers with a yyyy-mm-dd format), months and years stay text; an
exported file imports back to exactly the stored values (dry run: nothing
added or changed; real import: every row unchanged, the tables identical).
The xlsx is read with zipfile, styles and all.
"""
import datetime
import json
import re
import shutil
import unittest
import zipfile
import xml.etree.ElementTree as ET

from tzlib import LEDGER_ORDER, NS_MAIN, SharedDemo, TzCase, db_dump, db_rows, run

demo_db = SharedDemo("tz-excel-")
tearDownModule = demo_db.cleanup

# Excel's built-in number formats that matter here.
BUILTIN = {0: "General", 49: "@", 14: "m/d/yyyy"}

# The columns of each ledger that must be Text, and its date columns.
TEXT_COLS = {
    "households": {"户编号", "户主身份证号", "所在村代码"},
    "tv_installs": {"户编号"},
    "aid_cadres": {"姓名", "帮扶单位", "村代码"},
    "aid_villages": {"帮扶单位", "村代码"},
    "aid_inputs": {"投入编号", "帮扶单位", "村代码", "户编号"},
    "projects": {"项目编号", "所在县区代码", "责任单位"},
    "project_funds": {"项目编号"},
    "regions": {"区划代码", "上级区划代码"},
    "cultural_events": {"活动编号", "地点区划代码"},
}
DATE_COLS = {
    "households": set(),
    "tv_installs": {"安装日期"},
    "aid_cadres": {"派驻日期", "撤回日期"},
    "aid_villages": {"开始日期", "结束日期"},
    "aid_inputs": {"日期"},
    "projects": {"签约日期", "落地日期"},
    "project_funds": set(),
    "regions": set(),
    "cultural_events": {"日期"},
}


def _col_index(ref):
    n = 0
    for ch in ref:
        if not ch.isalpha():
            break
        n = n * 26 + ord(ch) - 64
    return n - 1


class Book:
    """One xlsx read back: the cell formats and the first sheet."""

    def __init__(self, path):
        with zipfile.ZipFile(path) as z:
            self.workbook = z.read("xl/workbook.xml").decode()
            styles = ET.fromstring(z.read("xl/styles.xml"))
            sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
            shared = []
            if "xl/sharedStrings.xml" in z.namelist():
                for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(NS_MAIN + "si"):
                    shared.append("".join(t.text or "" for t in si.iter(NS_MAIN + "t")))
        custom = {int(f.get("numFmtId")): f.get("formatCode")
                  for f in styles.iter(NS_MAIN + "numFmt")}
        xfs = styles.find(NS_MAIN + "cellXfs")
        # the number format code of each cell style index
        self.style_fmt = []
        for xf in xfs.findall(NS_MAIN + "xf"):
            fid = int(xf.get("numFmtId", "0"))
            self.style_fmt.append(custom.get(fid, BUILTIN.get(fid, f"builtin {fid}")))
        # the style of each column's <col> definition
        self.col_style = {}
        for c in sheet.iter(NS_MAIN + "col"):
            for i in range(int(c.get("min")) - 1, int(c.get("max"))):
                self.col_style[i] = int(c.get("style", "0"))
        # rows of cells: (value, is_string, format code)
        self.rows = []
        for row in sheet.iter(NS_MAIN + "row"):
            cells = {}
            for c in row.iter(NS_MAIN + "c"):
                t = c.get("t")
                v = c.find(NS_MAIN + "v")
                if t == "s":
                    val = shared[int(v.text)]
                elif t == "inlineStr":
                    val = "".join(x.text or "" for x in c.iter(NS_MAIN + "t"))
                else:
                    val = v.text if v is not None else ""
                cells[_col_index(c.get("r"))] = (val, t in ("s", "inlineStr", "str"),
                                                 self.style_fmt[int(c.get("s", "0"))])
            self.rows.append(cells)
        self.header = [self.rows[0][i][0] for i in sorted(self.rows[0])]

    def col_format(self, name):
        """The number format of the <col> definition of the column headed name."""
        i = self.header.index(name)
        return self.style_fmt[self.col_style[i]]


def _excel_date(serial):
    """The date of a 1900-system serial (Excel's 1900-02-29 counted)."""
    n = int(serial)
    return (datetime.date(1899, 12, 31) + datetime.timedelta(days=n - (1 if n > 60 else 0)))


class TestTemplateFormats(TzCase):
    def test_id_and_code_columns_are_text_for_the_whole_column(self):
        for ledger in TEXT_COLS:
            out = self.path(f"{ledger}.xlsx")
            run("template", ledger, out, check=0)
            b = Book(out)
            # every column has a <col> definition (whole column, rows below the data too)
            self.assertEqual(sorted(b.col_style), list(range(len(b.header))), ledger)
            for name in b.header:
                fmt = b.col_format(name)
                if name in TEXT_COLS[ledger]:
                    self.assertEqual(fmt, "@", (ledger, name))
                elif name in DATE_COLS[ledger]:
                    self.assertEqual(fmt, "yyyy-mm-dd", (ledger, name))
                else:
                    self.assertEqual(fmt, "General", (ledger, name))
            self.assertNotIn("date1904", b.workbook)

    def test_months_and_years_are_not_dates(self):
        out = self.path("funds.xlsx")
        run("template", "project_funds", out, check=0)
        self.assertEqual(Book(out).col_format("月份"), "General")
        out = self.path("hh.xlsx")
        run("template", "households", out, check=0)
        for name in ["识别年度", "脱贫年度", "家庭人口", "户主姓名", "贫困户属性"]:
            self.assertEqual(Book(out).col_format(name), "General", name)


class TestExportCells(TzCase):
    def _export(self, ledger):
        out = self.path(f"{ledger}.xlsx")
        run("export", demo_db.get(), ledger, out, check=0)
        return Book(out)

    def test_id_cells_are_text_cells(self):
        b = self._export("households")
        stored = {r[0]: r for r in db_rows(demo_db.get(),
                                           "SELECT hh_id, id_number, village FROM households")}
        self.assertEqual(len(b.rows) - 1, len(stored))
        cols = [b.header.index(n) for n in ["户编号", "户主身份证号", "所在村代码"]]
        for cells in b.rows[1:]:
            got = tuple(cells[i][0] for i in cols)
            self.assertEqual(got, stored[got[0]])
            for i in cols:
                self.assertEqual(cells[i][1:], (True, "@"), got)
        # a number column stays a number
        i = b.header.index("家庭人口")
        self.assertEqual(b.rows[1][i][1:], (False, "General"))

    def test_dates_are_date_cells_with_the_stored_day(self):
        for ledger, key, cols in [("aid_villages", "unit || '/' || village",
                                   ["start_date", "end_date"]),
                                  ("projects", "project_id", ["signed_date", "landed_date"]),
                                  ("aid_cadres", "name", ["start_date", "end_date"])]:
            b = self._export(ledger)
            names = sorted(DATE_COLS[ledger], key=b.header.index)
            stored = db_rows(demo_db.get(),
                             f"SELECT {', '.join(cols)} FROM {ledger} ORDER BY "
                             + {"aid_villages": "unit, village", "projects": "project_id",
                                "aid_cadres": "unit, village, name"}[ledger])
            self.assertEqual(len(b.rows) - 1, len(stored), ledger)
            seen = 0
            for cells, want in zip(b.rows[1:], stored):
                for name, w in zip(names, want):
                    i = b.header.index(name)
                    if w is None:
                        self.assertNotIn(i, cells, (ledger, name))
                        continue
                    val, is_string, fmt = cells[i]
                    self.assertEqual((is_string, fmt), (False, "yyyy-mm-dd"), (ledger, name))
                    self.assertRegex(val, r"^\d+$")
                    self.assertEqual(_excel_date(val).isoformat(), w, (ledger, name))
                    seen += 1
            self.assertGreater(seen, 0, ledger)

    def test_month_cells_stay_text(self):
        b = self._export("project_funds")
        i = b.header.index("月份")
        for cells in b.rows[1:]:
            self.assertRegex(cells[i][0], r"^\d{4}-\d{2}$")
            self.assertTrue(cells[i][1])


class TestRoundTrip(TzCase):
    def test_every_ledger_imports_back_unchanged(self):
        db = self.path("demo.db")
        shutil.copy(demo_db.get(), db)
        before = db_dump(db, LEDGER_ORDER)
        for ledger in LEDGER_ORDER:
            out = self.path(f"{ledger}.xlsx")
            p = run("export", db, ledger, out, check=0)
            n = int(re.search(r"(\d+)行", p.stdout + p.stderr).group(1))
            r = json.loads(run("import", db, ledger, out, "--dry-run", "--json", check=0).stdout)
            self.assertEqual((r["status"], r["rows"], r["inserted"], r["updated"],
                              r["unchanged"], r["error_count"]),
                             ("accepted", n, 0, 0, n, 0), (ledger, r["errors"][:3]))
            r = json.loads(run("import", db, ledger, out, "--json", check=0).stdout)
            self.assertEqual((r["rows"], r["inserted"], r["updated"], r["unchanged"]),
                             (n, 0, 0, n), ledger)
        self.assertEqual(db_dump(db, LEDGER_ORDER), before)

    def test_a_changed_date_cell_is_read_as_its_day(self):
        """The date cells are what the importer reads: a serial changed in
        the file changes the stored date by exactly that many days."""
        db = self.path("demo.db")
        shutil.copy(demo_db.get(), db)
        out = self.path("av.xlsx")
        run("export", db, "aid_villages", out, check=0)
        b = Book(out)
        i = b.header.index("开始日期")
        serial = b.rows[1][i][0]
        changed = self.path("av2.xlsx")
        with zipfile.ZipFile(out) as zin, zipfile.ZipFile(changed, "w") as zout:
            for item in zin.infolist():
                data = zin.read(item.filename)
                if item.filename == "xl/worksheets/sheet1.xml":
                    ref = "C2"
                    data = re.sub(rf'(<c r="{ref}"[^>]*><v>){serial}(</v>)'.encode(),
                                  rf"\g<1>{int(serial) + 1}\g<2>".encode(), data, count=1)
                zout.writestr(item, data)
        self.assertEqual(b.header[2], "开始日期")
        r = json.loads(run("import", db, "aid_villages", changed, "--json", check=0).stdout)
        self.assertEqual((r["updated"], r["unchanged"]), (1, r["rows"] - 1))
        first = db_rows(db, "SELECT start_date FROM aid_villages ORDER BY unit, village")[0][0]
        self.assertEqual(first, (_excel_date(serial) + datetime.timedelta(days=1)).isoformat())


if __name__ == "__main__":
    unittest.main()
