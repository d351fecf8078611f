"""Black-box tests of `taizhang import` with hostile or ambiguous xlsx files
(issue 7, points 6, 8 and 15): references outside the sheet or out of order,
duplicate zip entries, part names that only a case-insensitive guess would
find, and huge values in messages. Each file is built here with zipfile; each
refused import must exit 1 and leave the database exactly as it was."""
import os
import warnings
import zipfile
from xml.sax.saxutils import escape

from tzlib import (LEDGER_ORDER, REGIONS_BASE, REGIONS_HEADER, TzCase, col_letters, db_dump, db_rows,
                   run, write_csv)

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NEW_COUNTY = ["411629000000", "新县", "411600000000", "县", "", "种植"]
DECOY = ["411629000000", "假县", "411600000000", "县", "", ""]


def cell(ref, value):
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def row_xml(rowno, values):
    cells = "".join(cell(f"{col_letters(c)}{rowno}", v) for c, v in enumerate(values) if v != "")
    return f'<row r="{rowno}">{cells}</row>'


def sheet_xml(rows_xml):
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData>'
            f'{rows_xml}</sheetData></worksheet>')


def pkg_rels(target="xl/workbook.xml"):
    return (f'<?xml version="1.0"?><Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="{target}"/></Relationships>')


def workbook(pr=""):
    """workbook.xml with one sheet; pr is extra content such as
    '<workbookPr date1904="1"/>'."""
    return (f'<?xml version="1.0"?><workbook xmlns="{NS}" xmlns:r="{REL}">{pr}<sheets>'
            '<sheet name="区划" sheetId="1" r:id="rId1"/></sheets></workbook>')


def workbook_rels(target="worksheets/sheet1.xml"):
    return (f'<?xml version="1.0"?><Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
            f'Type="{REL}/worksheet" Target="{target}"/></Relationships>')


def write_zip(path, entries):
    """Writes the (name, text) pairs in order; duplicate names are kept."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, text in entries:
                z.writestr(name, text)
    return path


def book(path, rows_xml, sheet_name="xl/worksheets/sheet1.xml", extra=(), pr=""):
    """A regular package around one sheet, plus extra (name, text) entries;
    pr goes into workbook.xml (workbookPr)."""
    return write_zip(path, [("_rels/.rels", pkg_rels()), ("xl/workbook.xml", workbook(pr)),
                            ("xl/_rels/workbook.xml.rels", workbook_rels()),
                            (sheet_name, sheet_xml(rows_xml)), *extra])


def regions_rows(extra_rows=()):
    rows = [row_xml(1, REGIONS_HEADER)]
    rows += [row_xml(i + 2, r) for i, r in enumerate(extra_rows)]
    return "".join(rows)


class HostileXlsx(TzCase):
    def setUp(self):
        super().setUp()
        self.db = self.path("t.db")
        run("init", self.db, check=0)
        run("import", self.db, "regions",
            write_csv(self.path("regions.csv"), REGIONS_HEADER, REGIONS_BASE), check=0)

    def assert_refused(self, path, *needles):
        tables = LEDGER_ORDER + ["audit_log"]
        before = db_dump(self.db, tables)
        p = run("import", self.db, "regions", path)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        for n in needles:
            self.assertIn(n, p.stderr)
        self.assertIn("数据库未做任何改动", p.stderr)
        self.assertEqual(before, db_dump(self.db, tables), "database changed after a refused import")
        return p

    def test_control_file_imports(self):
        # The same package without the defect imports: the refusals below are
        # about the defect, not the packaging.
        f = book(self.path("ok.xlsx"), regions_rows([NEW_COUNTY]))
        run("import", self.db, "regions", f, check=0)
        self.assertEqual(db_rows(self.db, "SELECT name FROM regions WHERE code='411629000000'"),
                         [("新县",)])

    # ---- point 6: references beyond the sheet, cells and rows out of order

    def test_reference_beyond_the_sheet(self):
        # 主导产业 given at ZZZZZZ1048577 used to slide into the next column.
        cells = "".join(cell(f"{col_letters(c)}2", v) for c, v in enumerate(NEW_COUNTY[:5]) if v)
        cells += cell("ZZZZZZ1048577", "种植")
        f = book(self.path("far.xlsx"), regions_rows() + f'<row r="2">{cells}</row>')
        self.assert_refused(f, "far.xlsx 第2行", "ZZZZZZ1048577", "超出Excel的范围")

    def test_references_past_xfd_or_last_row(self):
        for ref, rowno in [("XFE2", 2), ("A1048577", 2), ("A0", 2), ("1A", 2)]:
            with self.subTest(ref=ref):
                cells = "".join(cell(f"{col_letters(c)}2", v) for c, v in enumerate(NEW_COUNTY))
                cells += cell(ref, "x")
                f = book(self.path("ref.xlsx"), regions_rows() + f'<row r="{rowno}">{cells}</row>')
                self.assert_refused(f, f'"{ref}"', "超出Excel的范围或无法识别")
        f = book(self.path("row.xlsx"), regions_rows() + '<row r="1048577"><c><v>1</v></c></row>')
        self.assert_refused(f, '"1048577"', "行号超出Excel的范围")

    def test_cells_out_of_order(self):
        # B2 after C2 in one row: refused, not placed or shifted.
        v = NEW_COUNTY
        cells = (cell("A2", v[0]) + cell("C2", v[2]) + cell("B2", v[1]) + cell("D2", v[3]) +
                 cell("F2", v[5]))
        f = book(self.path("order.xlsx"), regions_rows() + f'<row r="2">{cells}</row>')
        self.assert_refused(f, "order.xlsx 第2行", '"B2"', "排在同一行的C2之后")
        # a cell without r follows the previous one; a named cell that then
        # lands on it is a duplicate
        cells = cell("A2", v[0]) + '<c t="inlineStr"><is><t>新县</t></is></c>' + cell("B2", "x")
        f = book(self.path("dup.xlsx"), regions_rows() + f'<row r="2">{cells}</row>')
        self.assert_refused(f, '"B2"', "排在同一行的B2之后")
        # a cell of another row inside <row r="2">
        cells = cell("A2", v[0]) + cell("B3", v[1])
        f = book(self.path("other.xlsx"), regions_rows() + f'<row r="2">{cells}</row>')
        self.assert_refused(f, '"B3"', "不属于它所在的第2行")

    def test_rows_out_of_order(self):
        rows = regions_rows() + row_xml(3, NEW_COUNTY) + row_xml(2, REGIONS_BASE[5])
        f = book(self.path("rows.xlsx"), rows)
        self.assert_refused(f, "rows.xlsx 第2行", "第2行出现在第3行之后")
        rows = regions_rows() + row_xml(3, NEW_COUNTY) + row_xml(3, REGIONS_BASE[5])
        f = book(self.path("rows2.xlsx"), rows)
        self.assert_refused(f, "第3行出现在第3行之后", "重复")

    # ---- point 8: duplicate zip entries, exact part names

    def test_duplicate_entries(self):
        good = sheet_xml(regions_rows([NEW_COUNTY]))
        evil = sheet_xml(regions_rows([DECOY]))
        for twin in ["xl/worksheets/sheet1.xml", "XL/worksheets/Sheet1.xml",
                     "/xl/worksheets/sheet1.xml", "./xl/worksheets/sheet1.xml",
                     "xl\\worksheets\\sheet1.xml", "xl/worksheets/%73heet1.xml"]:
            for first, second in [(good, evil), (evil, good)]:
                with self.subTest(twin=twin):
                    f = write_zip(self.path("twin.xlsx"), [
                        ("_rels/.rels", pkg_rels()), ("xl/workbook.xml", workbook()),
                        ("xl/_rels/workbook.xml.rels", workbook_rels()),
                        ("xl/worksheets/sheet1.xml", first), (twin, second)])
                    self.assert_refused(f, "twin.xlsx", "文件中有重复的部件",
                                        "可能被篡改,请用Excel或WPS另存后再导入")
        # the workbook itself doubled
        f = write_zip(self.path("wb.xlsx"), [
            ("_rels/.rels", pkg_rels()), ("xl/workbook.xml", workbook()),
            ("xl/workbook.xml", workbook().replace("rId1", "rId2")),
            ("xl/_rels/workbook.xml.rels", workbook_rels()),
            ("xl/worksheets/sheet1.xml", good)])
        self.assert_refused(f, "文件中有重复的部件")

    def test_part_names_are_exact(self):
        # The relationship says worksheets/Sheet1.xml; the entry is
        # xl/worksheets/sheet1.xml. Excel does not take one for the other.
        f = write_zip(self.path("case.xlsx"), [
            ("_rels/.rels", pkg_rels()), ("xl/workbook.xml", workbook()),
            ("xl/_rels/workbook.xml.rels", workbook_rels("worksheets/Sheet1.xml")),
            ("xl/worksheets/sheet1.xml", sheet_xml(regions_rows([NEW_COUNTY])))])
        self.assert_refused(f, "找不到工作簿关系表指向的工作表(xl/worksheets/Sheet1.xml)")
        f = write_zip(self.path("norels.xlsx"), [
            ("xl/workbook.xml", workbook()),
            ("xl/_rels/workbook.xml.rels", workbook_rels()),
            ("xl/worksheets/sheet1.xml", sheet_xml(regions_rows([NEW_COUNTY])))])
        self.assert_refused(f, "找不到包关系表(_rels/.rels)")

    def test_relationships_decide_which_sheet(self):
        # The workbook lives in book/ and its sheet in book/sheets/; a decoy
        # at the usual xl/worksheets/sheet1.xml must not be read.
        decoy = sheet_xml(regions_rows([DECOY]))
        f = write_zip(self.path("moved.xlsx"), [
            ("_rels/.rels", pkg_rels("/book/main.xml")), ("book/main.xml", workbook()),
            ("book/_rels/main.xml.rels", workbook_rels("sheets/data.xml")),
            ("book/sheets/data.xml", sheet_xml(regions_rows([NEW_COUNTY]))),
            ("xl/workbook.xml", workbook()), ("xl/_rels/workbook.xml.rels", workbook_rels()),
            ("xl/worksheets/sheet1.xml", decoy)])
        run("import", self.db, "regions", f, check=0)
        self.assertEqual(db_rows(self.db, "SELECT name FROM regions WHERE code='411629000000'"),
                         [("新县",)])

    # ---- point 16 (reader side): no hang on hostile markup

    def test_long_markup_refused_not_hanging(self):
        # A 100 KB file whose sheet holds one 100 MB attribute: expat 2.5
        # re-scans an unfinished token on every 64 KiB chunk (quadratic),
        # which kept the old reader busy for minutes. Refused at 8 MB now.
        attr = "a" * (100 << 20)
        sheet = f'<?xml version="1.0"?><worksheet xmlns="{NS}"><sheetData><row r="1" x="{attr}"/>'
        f = write_zip(self.path("long.xlsx"), [
            ("_rels/.rels", pkg_rels()), ("xl/workbook.xml", workbook()),
            ("xl/_rels/workbook.xml.rels", workbook_rels()),
            ("xl/worksheets/sheet1.xml", sheet + "</sheetData></worksheet>")])
        self.assertLess(os.path.getsize(f), 1 << 20)
        self.assert_refused(f, "long.xlsx", "超过8MB的XML标记没有结束")

    # ---- point 15 (reader side): no huge values echoed

    def test_huge_reference_not_echoed(self):
        ref = "A" * 900_000 + "2"
        f = book(self.path("huge.xlsx"),
                 regions_rows() + f'<row r="2"><c r="{ref}"><v>1</v></c></row>')
        p = self.assert_refused(f, "…(共900001字)")
        self.assertLess(len(p.stderr.encode()), 2000)


    # ---- a large worksheet is inflated on a thread of its own (issue 13, item 6)

    def big_regions(self, header=REGIONS_HEADER):
        """A sheet of 18 060 new regions under 鹿邑县, over 4 MiB of XML once
        inflated: the size from which the reader inflates it on a second
        thread (XLSX_PUMP_MIN)."""
        rows = []
        for t in range(60):
            town = f"411628{200 + t:03d}000"
            rows.append([town, f"第{t}镇", "411628000000", "乡", "", ""])
            rows += [[f"{town[:9]}{v:03d}", f"第{t}镇第{v}行政村", town, "村", "否", ""]
                     for v in range(1, 301)]
        xml = row_xml(1, header) + "".join(row_xml(i + 2, r) for i, r in enumerate(rows))
        self.assertGreater(len(sheet_xml(xml).encode()), 4 << 20)
        return xml, rows

    def assert_all_imported(self, path, rows):
        """Imports path and finds every one of rows (big_regions') stored."""
        run("import", self.db, "regions", path, check=0)
        self.assertEqual(db_rows(self.db, "SELECT count(*) FROM regions"),
                         [(len(REGIONS_BASE) + len(rows),)])
        last = rows[-1]
        self.assertEqual(db_rows(self.db, "SELECT name, parent FROM regions WHERE code=?",
                                 (last[0],)), [(last[1], last[2])])

    def test_large_sheet_reads_whole(self):
        xml, rows = self.big_regions()
        f = book(self.path("big.xlsx"), xml)
        self.assert_all_imported(f, rows)

    def test_large_sheet_bad_checksum_refused(self):
        # The sheet inflates whole, but its CRC-32 is wrong (in the local
        # header and the central directory alike): libzip says so at the
        # part's end, on the inflating thread, and the import is refused
        xml, _ = self.big_regions()
        f = book(self.path("crc.xlsx"), xml)
        with zipfile.ZipFile(f) as z:
            info = z.getinfo("xl/worksheets/sheet1.xml")
        with open(f, "rb") as fh:
            data = bytearray(fh.read())
        good = info.CRC.to_bytes(4, "little")
        bad = (info.CRC ^ 0x5A5A5A5A).to_bytes(4, "little")
        self.assertEqual(data[info.header_offset + 14:info.header_offset + 18], good)
        data[info.header_offset + 14:info.header_offset + 18] = bad
        central = data.index(b"PK\x01\x02")
        while data[central + 46:central + 46 + len(info.filename)] != info.filename.encode():
            central = data.index(b"PK\x01\x02", central + 4)
        self.assertEqual(data[central + 16:central + 20], good)
        data[central + 16:central + 20] = bad
        with open(f, "wb") as fh:
            fh.write(data)
        self.assert_refused(f, "crc.xlsx", "文件已损坏或不完整")

    def test_large_shared_strings(self):
        # The same rows with every text in sharedStrings.xml (as Excel
        # writes them), a part of over 4 MiB: parsed while a second thread
        # inflates it
        _, rows = self.big_regions()
        strings, index = [], {}

        def ref(v):
            if v not in index:
                index[v] = len(strings)
                strings.append(v)
            return index[v]

        def srow(rowno, values):
            cells = "".join(f'<c r="{col_letters(c)}{rowno}" t="s"><v>{ref(v)}</v></c>'
                            for c, v in enumerate(values) if v != "")
            return f'<row r="{rowno}">{cells}</row>'

        xml = srow(1, REGIONS_HEADER) + "".join(srow(i + 2, r) for i, r in enumerate(rows))
        # strings no cell uses (a workbook whose cells were deleted keeps
        # them) make the part large
        strings += [f"已删除的备注第{i}条:该村原有村民小组合并后重新编号" for i in range(40000)]
        sst = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}">' +
               "".join(f"<si><t>{escape(v)}</t></si>" for v in strings) + "</sst>")
        self.assertGreater(len(sst.encode()), 4 << 20)
        rels = (f'<?xml version="1.0"?><Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
                f'Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
                f'Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        f = write_zip(self.path("sst.xlsx"), [
            ("_rels/.rels", pkg_rels()), ("xl/workbook.xml", workbook()),
            ("xl/_rels/workbook.xml.rels", rels), ("xl/sharedStrings.xml", sst),
            ("xl/worksheets/sheet1.xml", sheet_xml(xml))])
        self.assert_all_imported(f, rows)

    def test_large_sheet_left_early(self):
        # A large sheet whose first rows hold no header is left before its
        # end, with its inflating thread still ahead of it: refused, and
        # (under the sanitizers) nothing leaks or hangs
        xml, _ = self.big_regions(header=["甲", "乙", "丙"])
        f = book(self.path("nohead.xlsx"), xml)
        self.assert_refused(f, "nohead.xlsx")

if __name__ == "__main__":
    import unittest
    unittest.main()
