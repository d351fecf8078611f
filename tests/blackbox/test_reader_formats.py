"""Black-box tests of `taizhang import` with the ".xls" files web systems
export (issue 10, point 9): an HTML table (GBK, with a <meta> charset, as
"导出Excel" pages are) and a SpreadsheetML 2003 workbook ("XML 电子表格 2003"),
each saved with an .xls name, import end to end; a file that is neither is
refused with the file's name and what to do, leaving the database as it was.
Each file is written here from the rows it should give."""
from xml.sax.saxutils import escape

from tzlib import (LEDGER_ORDER, REGIONS_BASE, REGIONS_HEADER, TzCase, db_dump, db_rows, run,
                   write_csv)

NEW_REGIONS = [
    ["411629000000", "郸城县", "411600000000", "县", "", "种植"],
    ["411628102000", "郑家集乡", "411628000000", "乡", "", ""],
    ["411628102201", "秦阁村", "411628102000", "村", "是", ""],
    ["411628102202", "王庄村", "411628102000", "村", "否", ""],
]
UNITS_HEADER = ["单位名称", "单位类型", "所属区划代码"]
NEW_UNITS = [
    ["县文化广电旅游局", "县直单位", "411628000000"],
    ["宋河镇人民政府", "县直单位", "411628101000"],
]


def html_table(header, rows, caption="鹿邑县区划"):
    """A web system's export: header cells as <th>, empty cells as &nbsp;,
    text escaped, one <tr> per row."""
    def cells(tag, values):
        return "".join(f"<{tag}>{escape(v) if v else '&nbsp;'}</{tag}>" for v in values)
    body = "".join(f"<tr>{cells('td', r)}</tr>\n" for r in rows)
    return ('<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head>\n'
            '<meta http-equiv="Content-Type" content="text/html; charset=GB2312">\n'
            '<style>td { mso-number-format:"\\@"; }</style></head><body>\n'
            f'<table border="1"><caption>{caption}</caption>\n'
            f"<thead><tr>{cells('th', header)}</tr></thead>\n<tbody>\n{body}</tbody></table>\n"
            "</body></html>\n")


def xmlss_book(name, header, rows):
    """A SpreadsheetML 2003 workbook of one worksheet; empty cells are left
    out and the next cell says its column with ss:Index, as Excel writes."""
    def row(values):
        out, gap = [], False
        for i, v in enumerate(values):
            if v == "":
                gap = True
                continue
            idx = f' ss:Index="{i + 1}"' if gap else ""
            gap = False
            out.append(f'<Cell{idx}><Data ss:Type="String">{escape(v)}</Data></Cell>')
        return "<Row>" + "".join(out) + "</Row>\n"
    return ('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
            '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"\n'
            ' xmlns:o="urn:schemas-microsoft-com:office:office"\n'
            ' xmlns:x="urn:schemas-microsoft-com:office:excel"\n'
            ' xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">\n'
            f' <Worksheet ss:Name="{escape(name)}">\n  <Table>\n'
            + row(header) + "".join(row(r) for r in rows) +
            "  </Table>\n  <WorksheetOptions xmlns=\"urn:schemas-microsoft-com:office:excel\">"
            "<Selected/></WorksheetOptions>\n </Worksheet>\n</Workbook>\n")


class WebSystemXls(TzCase):
    def setUp(self):
        super().setUp()
        self.db = self.path("t.db")
        run("init", self.db, check=0)
        run("import", self.db, "regions",
            write_csv(self.path("regions.csv"), REGIONS_HEADER, REGIONS_BASE), check=0)

    def test_html_xls_imports(self):
        f = self.path("区划导出.xls")
        with open(f, "wb") as fp:
            fp.write(html_table(REGIONS_HEADER, NEW_REGIONS).encode("gb2312"))
        run("import", self.db, "regions", f, check=0)
        got = db_rows(self.db, "SELECT code, name, parent, level, poor, industries "
                               "FROM regions WHERE code LIKE '411628102%' OR code = '411629000000' ORDER BY code")
        self.assertEqual([tuple(x if x is not None else "" for x in r) for r in got],
                         [("411628102000", "郑家集乡", "411628000000", "乡", "", ""),
                          ("411628102201", "秦阁村", "411628102000", "村", 1, ""),
                          ("411628102202", "王庄村", "411628102000", "村", 0, ""),
                          ("411629000000", "郸城县", "411600000000", "县", "", "种植")])

    def test_spreadsheetml_xls_imports(self):
        f = self.path("单位.xls")
        with open(f, "w", encoding="utf-8") as fp:
            fp.write(xmlss_book("单位名册", UNITS_HEADER, NEW_UNITS))
        run("import", self.db, "units", f, check=0)
        got = db_rows(self.db, "SELECT name, kind, region FROM units ORDER BY name")
        self.assertEqual(sorted(got), sorted(tuple(u) for u in NEW_UNITS))

    def test_unrecognised_xls_refused(self):
        tables = LEDGER_ORDER + ["audit_log"]
        before = db_dump(self.db, tables)
        f = self.path("单位.xls")
        with open(f, "w", encoding="utf-8") as fp:
            fp.write("单位名称\t单位类型\t所属区划代码\n县扶贫办\t县直单位\t411628000000\n")
        p = run("import", self.db, "units", f)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("单位.xls: 无法识别的文件格式,请用Excel或WPS另存为.xlsx", p.stderr)
        self.assertEqual(before, db_dump(self.db, tables))
