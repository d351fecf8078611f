#!/usr/bin/env python3
"""make_corpus.py - the clerk's own spreadsheets (issue 10), built from the demo data.

Writes, into --out (tests/clerk/files by default):
  - the files a county or township office really keeps, in the shapes of the
    issue's table (title rows, two-row headers, 合计/小计 rows, village
    sub-headings, footers, one sheet per township, headers and values as people
    write them, village names for codes, web-system ".xls", the national
    system's person-level export, ...), every one made from examples/county;
  - expected/<id>.csv: what the ledger must hold after each import;
  - ../expected.json (beside --out): per test, the imports to run and the
    exact outcome of each (exit status, rows per sheet, skipped rows by kind,
    notes, error fragments, stored rows);
  - with LibreOffice (soffice) on the PATH: re-saves of several files as
    LibreOffice/WPS write them (L_*.xlsx, L_*.xls). Without it the re-saves
    already in --out are kept and still listed.

Python 3 standard library only: xlsx is written with zipfile and XML by hand.
The output is reproducible (fixed zip times, no randomness); only the
LibreOffice re-saves depend on the LibreOffice version.

    python3 tests/clerk/make_corpus.py --out tests/clerk/files
"""
import argparse
import csv
import datetime
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from xml.sax.saxutils import escape

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
COUNTY = os.path.join(ROOT, "examples", "county")
ZIP_TIME = (2019, 6, 30, 9, 0, 0)

HH_HEADER = ["户编号", "户主姓名", "户主身份证号", "所在村代码", "家庭人口", "贫困户属性",
             "主要致贫原因", "识别年度", "脱贫年度", "人均纯收入(元)", "义务教育保障",
             "基本医疗保障", "住房安全保障", "饮水安全保障", "帮扶责任人"]
HH_REQUIRED = ["户编号", "户主姓名", "户主身份证号", "所在村代码", "家庭人口"]
ID_NUMBER_MSG = ("该列在Excel中是数字格式,身份证号只保留了15位有效数字,后3位已丢失;"
                 "请将该列设为文本格式后重新填写")
UNKNOWN_FORMAT_MSG = "无法识别的文件格式,请用Excel或WPS另存为.xlsx"


# ---------------------------------------------------------------- demo data

def read_csv(name):
    path = name if os.path.isabs(name) else os.path.join(COUNTY, name)
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


class Demo:
    """The demo county's regions, units and ledgers."""

    def __init__(self):
        _, self.regions = read_csv("regions.csv")
        self.hh_header, self.households = read_csv("households.csv")
        assert self.hh_header == HH_HEADER, self.hh_header
        self.tv_header, self.tv = read_csv("tv_installs.csv")
        self.av_header, self.aid_villages = read_csv("aid_villages.csv")
        self.ac_header, self.aid_cadres = read_csv("aid_cadres.csv")
        self.ai_header, self.aid_inputs = read_csv("aid_inputs.csv")
        self.name = {r[0]: r[1] for r in self.regions}
        self.parent = {r[0]: r[2] for r in self.regions}
        self.townships = [r for r in self.regions if r[3] == "乡"]

    def village(self, code):
        return self.name[code]

    def township_of(self, code):
        return self.parent[code]

    def hh_in(self, *villages):
        return [r for r in self.households if r[3] in villages]

    def hh_by_id(self):
        return {r[0]: r for r in self.households}


# ---------------------------------------------------------------- xlsx by hand

class Date:
    """A date cell: an Excel serial number with a date number format."""

    def __init__(self, iso, style="date"):
        self.iso, self.style = iso, style

    def serial(self):
        d = datetime.date.fromisoformat(self.iso)
        return (d - datetime.date(1899, 12, 30)).days


class Num:
    """A number cell written exactly as given (e.g. an ID Excel already rounded)."""

    def __init__(self, text, style=None):
        self.text, self.style = text, style


class Formula:
    def __init__(self, expr, cached):
        self.expr, self.cached = expr, cached


STYLE_IDS = {"date": 1, "builtin14": 2, "text": 3, "cn_date": 4, "title": 5, "head": 6}
STYLES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font>'
    '<font><b/><sz val="16"/><name val="宋体"/><family val="3"/><charset val="134"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/>'
    '<diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="7">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment horizontal="center"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1">'
    '<alignment horizontal="center" vertical="center" wrapText="1"/></xf>'
    '</cellXfs><cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>')


def col_letters(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


class Sheet:
    def __init__(self, name, rows, merges=(), hidden=False, text_cols=(), row_styles=None):
        self.name, self.rows, self.merges, self.hidden = name, rows, list(merges), hidden
        self.text_cols = set(text_cols)    # columns whose string cells carry the "@" style
        self.row_styles = row_styles or {}  # 0-based row -> style name for its strings


class Workbook:
    """A workbook written as Excel writes one: shared strings (or inline
    strings as some web systems write), merged cells, hidden sheets."""

    def __init__(self, sheets, shared=True):
        self.sheets, self.shared = sheets, shared
        self.sst, self.sst_ix = [], {}

    def _str_index(self, s):
        if s not in self.sst_ix:
            self.sst_ix[s] = len(self.sst)
            self.sst.append(s)
        return self.sst_ix[s]

    def _cell(self, ref, v, style):
        st = f' s="{STYLE_IDS[style]}"' if style else ""
        if isinstance(v, Date):
            return f'<c r="{ref}" s="{STYLE_IDS[v.style]}"><v>{v.serial()}</v></c>'
        if isinstance(v, Num):
            s2 = f' s="{STYLE_IDS[v.style]}"' if v.style else ""
            return f'<c r="{ref}"{s2}><v>{v.text}</v></c>'
        if isinstance(v, Formula):
            return f'<c r="{ref}"{st}><f>{escape(v.expr)}</f><v>{v.cached}</v></c>'
        if isinstance(v, bool):
            raise TypeError("no booleans in the corpus")
        if isinstance(v, (int, float)):
            return f'<c r="{ref}"{st}><v>{v}</v></c>'
        text = escape(str(v))
        sp = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
        if self.shared:
            return f'<c r="{ref}"{st} t="s"><v>{self._str_index(str(v))}</v></c>'
        return f'<c r="{ref}"{st} t="inlineStr"><is><t{sp}>{text}</t></is></c>'

    def _sheet_xml(self, sh):
        out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
               'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">']
        width = max((len(r) for r in sh.rows), default=1)
        nrows = max(len(sh.rows), 1)
        out.append(f'<dimension ref="A1:{col_letters(max(width, 1) - 1)}{nrows}"/>')
        out.append('<sheetData>')
        for ri, row in enumerate(sh.rows, 1):
            cells = []
            for ci, v in enumerate(row):
                if v is None or v == "":
                    continue
                style = sh.row_styles.get(ri - 1)
                if style is None and ci in sh.text_cols and isinstance(v, str):
                    style = "text"
                cells.append(self._cell(f"{col_letters(ci)}{ri}", v, style))
            if cells:
                out.append(f'<row r="{ri}">' + "".join(cells) + '</row>')
        out.append('</sheetData>')
        if sh.merges:
            out.append(f'<mergeCells count="{len(sh.merges)}">')
            out.extend(f'<mergeCell ref="{m}"/>' for m in sh.merges)
            out.append('</mergeCells>')
        out.append('</worksheet>')
        return "".join(out)

    def save(self, path):
        sheets_xml = [self._sheet_xml(sh) for sh in self.sheets]
        n = len(self.sheets)
        ct = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
              '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
              '<Default Extension="xml" ContentType="application/xml"/>'
              '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
              '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>']
        for i in range(1, n + 1):
            ct.append(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
        if self.shared:
            ct.append('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
        ct.append('</Types>')
        rels = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">']
        for i in range(1, n + 1):
            rels.append(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>')
        rels.append(f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>')
        if self.shared:
            rels.append(f'<Relationship Id="rId{n + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>')
        rels.append('</Relationships>')
        first_visible = next(i for i, sh in enumerate(self.sheets) if not sh.hidden)
        wb = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
              'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
              f'<bookViews><workbookView activeTab="{first_visible}"/></bookViews><sheets>']
        for i, sh in enumerate(self.sheets, 1):
            state = ' state="hidden"' if sh.hidden else ""
            wb.append(f'<sheet name="{escape(sh.name)}" sheetId="{i}"{state} r:id="rId{i}"/>')
        wb.append('</sheets></workbook>')
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            def put(name, data):
                zi = zipfile.ZipInfo(name, ZIP_TIME)
                zi.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(zi, data)
            put("[Content_Types].xml", "".join(ct))
            put("_rels/.rels",
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                '</Relationships>')
            put("xl/workbook.xml", "".join(wb))
            put("xl/_rels/workbook.xml.rels", "".join(rels))
            put("xl/styles.xml", STYLES_XML)
            for i, x in enumerate(sheets_xml, 1):
                put(f"xl/worksheets/sheet{i}.xml", x)
            if self.shared:
                sst = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                       f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                       f'count="{len(self.sst)}" uniqueCount="{len(self.sst)}">']
                for s in self.sst:
                    sp = ' xml:space="preserve"' if s != s.strip() or "\n" in s else ""
                    sst.append(f'<si><t{sp}>{escape(s)}</t></si>')
                sst.append('</sst>')
                put("xl/sharedStrings.xml", "".join(sst))


# ---------------------------------------------------------------- other formats

def write_csv(path, rows, encoding):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    with open(path, "wb") as f:
        f.write(buf.getvalue().encode(encoding))


def html_table(rows, title):
    """rows: lists of (text, attrs) cells or plain strings."""
    out = ['<html xmlns:o="urn:schemas-microsoft-com:office:office" '
           'xmlns:x="urn:schemas-microsoft-com:office:excel">',
           '<head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
           f'<title>{escape(title)}</title>',
           '<style>td{mso-number-format:"\\@";border:0.5pt solid windowtext}</style></head>',
           '<body><table border="1" cellspacing="0">']
    for row in rows:
        out.append("<tr>")
        for c in row:
            if isinstance(c, tuple):
                text, attrs = c
                out.append(f"<td {attrs}>{escape(text)}</td>")
            else:
                out.append(f"<td>{escape(c)}</td>")
        out.append("</tr>")
    out.append("</table></body></html>")
    return "\r\n".join(out)


def xmlss(worksheets):
    """SpreadsheetML 2003. worksheets: [(name, rows)], each cell a str/int or a
    dict(v=, t=, across=, index=)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<?mso-application progid="Excel.Sheet"?>',
           '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
           'xmlns:o="urn:schemas-microsoft-com:office:office" '
           'xmlns:x="urn:schemas-microsoft-com:office:excel" '
           'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet" '
           'xmlns:html="http://www.w3.org/TR/REC-html40">',
           '<Styles><Style ss:ID="Default" ss:Name="Normal"><Font ss:FontName="宋体" x:CharSet="134" ss:Size="11"/></Style>'
           '<Style ss:ID="s21"><Font ss:FontName="宋体" x:CharSet="134" ss:Size="16" ss:Bold="1"/></Style>'
           '<Style ss:ID="s22"><NumberFormat ss:Format="@"/></Style></Styles>']
    for name, rows in worksheets:
        out.append(f'<Worksheet ss:Name="{escape(name)}"><Table>')
        for row in rows:
            out.append("<Row>")
            for c in row:
                if not isinstance(c, dict):
                    c = {"v": c}
                attrs = ""
                if c.get("index"):
                    attrs += f' ss:Index="{c["index"]}"'
                if c.get("across"):
                    attrs += f' ss:MergeAcross="{c["across"]}" ss:StyleID="s21"'
                if c.get("down"):
                    attrs += f' ss:MergeDown="{c["down"]}"'
                v = c["v"]
                t = c.get("t") or ("Number" if isinstance(v, (int, float)) else "String")
                if t == "String" and c.get("text_style"):
                    attrs += ' ss:StyleID="s22"'
                out.append(f'<Cell{attrs}><Data ss:Type="{t}">{escape(str(v))}</Data></Cell>')
            out.append("</Row>")
        out.append('</Table><WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel">'
                   '<PageSetup><Layout x:Orientation="Landscape"/></PageSetup></WorksheetOptions>'
                   '</Worksheet>')
    out.append("</Workbook>")
    return "\n".join(out)


# ---------------------------------------------------------------- household cells

def hh_typed(r, *, id_as_number=False):
    """A households.csv row as a clerk's xlsx holds it: numbers as numbers."""
    out = list(r)
    out[4] = int(r[4])
    out[7] = int(r[7])
    out[8] = int(r[8]) if r[8] else None
    out[9] = Num(r[9]) if r[9] else None
    if id_as_number and r[2][-1] != "X":
        # what Excel keeps of an 18-digit number: 15 significant digits (one
        # ending in X cannot be a number and stays text)
        out[2] = Num(f"{float(r[2]):.14E}")
    return out


def grouped_header_rows(first_header):
    """The two header rows of a 花名册 with 三保障 grouped, and their merges
    (starting at sheet row first_header, 1-based)."""
    top = HH_HEADER[:10] + ["三保障", "", "", "饮水安全保障", "帮扶责任人"]
    sub = [""] * 10 + ["义务教育保障", "基本医疗保障", "住房安全保障", "", ""]
    r1, r2 = first_header, first_header + 1
    merges = [f"{col_letters(i)}{r1}:{col_letters(i)}{r2}" for i in list(range(10)) + [13, 14]]
    merges.append(f"K{r1}:M{r1}")
    return top, sub, merges


class Corpus:
    def __init__(self, out):
        self.out = out
        self.demo = Demo()
        self.tests = []
        self.files = []
        exp_dir = os.path.join(out, "expected")
        if os.path.isdir(exp_dir):  # all generated: none left from an older corpus
            for f in os.listdir(exp_dir):
                os.unlink(os.path.join(exp_dir, f))
        os.makedirs(exp_dir, exist_ok=True)

    # -- helpers --------------------------------------------------------
    def path(self, name):
        return os.path.join(self.out, name)

    def rel(self, name):
        return os.path.relpath(os.path.join(self.out, name), ROOT)

    def expect_csv(self, tid, header, rows):
        name = f"expected/{tid}.csv"
        write_csv(self.path(name), [header] + rows, "utf-8-sig")
        return self.rel(name)

    def add(self, tid, shape, steps, resave=()):
        """One test: its steps run in order on a fresh database holding the
        demo regions and units. resave: LibreOffice formats to re-save the
        last step's file as (same expectations)."""
        self.tests.append({"id": tid, "shape": shape, "steps": steps, "resave": list(resave)})
        for s in steps:
            if s.get("file") and s["file"] not in self.files and s.get("corpus", True):
                self.files.append(s["file"])

    @staticmethod
    def step(file, ledger, *, args=(), exit=0, **kw):
        st = {"file": file, "ledger": ledger, "args": list(args), "exit": exit}
        st["status"] = kw.pop("status", {0: "accepted", 1: "refused"}.get(exit, "failed"))
        st.update(kw)
        return st

    def setup(self, path, ledger):
        """A setup import (demo data or a helper file), checked only for exit 0."""
        return {"file": path, "ledger": ledger, "args": ["--quiet"], "exit": 0, "setup": True}

    HH_FULL = "examples/county/households.csv"

    # -- the files ------------------------------------------------------
    def township_workbook(self):
        d = self.demo
        sheets, exp_sheets = [], []
        hidden_name = "玄武镇"
        for code, name, *_ in d.townships:
            rows = [r for r in d.households if d.township_of(r[3]) == code]
            if not rows:
                continue
            title = f"{name}建档立卡贫困户花名册"
            body = [[title], HH_HEADER] + [hh_typed(r) for r in rows]
            sh = Sheet(name, body, merges=["A1:O1"], hidden=(name == hidden_name),
                       text_cols={0, 2, 3}, row_styles={0: "title", 1: "head"})
            sheets.append(sh)
            exp_sheets.append({"name": name, "hidden": name == hidden_name, "rows": len(rows),
                               "header_row": [2], "skipped": {"title": 1}})
        f = "01_乡镇分表_全县.xlsx"
        Workbook(sheets).save(self.path(f))
        n = sum(s["rows"] for s in exp_sheets)
        assert n == len(d.households)
        self.add("01_township_sheets", "one sheet per township in one workbook, one sheet hidden",
                 [self.step(f, "households", rows=n, inserted=n, updated=0, unchanged=0,
                            sheets=exp_sheets, expect_csv=self.HH_FULL,
                            text=[hidden_name, "隐藏"])])

    def title_info(self):
        d = self.demo
        rows = d.hh_in("411628001201")
        body = [["鹿邑县建档立卡贫困户花名册"],
                ["填报单位：真源街道办事处（盖章）", "", "", "", "", "", "", "", "", "",
                 "填报日期：2019年6月30日"],
                HH_HEADER] + [hh_typed(r) for r in rows]
        f = "02_标题行_填报单位.xlsx"
        Workbook([Sheet("Sheet1", body, merges=["A1:O1", "A2:E2", "K2:O2"], text_cols={0, 2, 3},
                        row_styles={0: "title", 2: "head"})]).save(self.path(f))
        exp = self.expect_csv("02_title_info", HH_HEADER, rows)
        self.add("02_title_info", "title row and 填报单位/填报日期 line above the header",
                 [self.step(f, "households", rows=len(rows), inserted=len(rows),
                            sheets=[{"name": "Sheet1", "rows": len(rows), "header_row": [3],
                                     "skipped": {"title": 1, "info": 1}}],
                            expect_csv=exp)], resave=("xlsx",))

    def two_row_header(self):
        d = self.demo
        rows = d.hh_in("411628101201")
        top, sub, merges = grouped_header_rows(1)
        body = [top, sub] + [hh_typed(r) for r in rows]
        f = "03_两行表头_三保障.xlsx"
        Workbook([Sheet("花名册", body, merges=merges, text_cols={0, 2, 3},
                        row_styles={0: "head", 1: "head"})]).save(self.path(f))
        exp = self.expect_csv("03_two_row_header", HH_HEADER, rows)
        self.add("03_two_row_header", "two-row header, 三保障 merged over three columns, 饮水安全保障 beside",
                 [self.step(f, "households", rows=len(rows), inserted=len(rows),
                            sheets=[{"name": "花名册", "rows": len(rows), "header_row": [1, 2],
                                     "skipped": {}}],
                            expect_csv=exp)], resave=("xlsx", "xls"))

    def totals_subheadings_footer(self):
        d = self.demo
        va, vb = "411628001202", "411628001203"
        ra, rb = d.hh_in(va), d.hh_in(vb)
        top, sub, merges = grouped_header_rows(3)
        body = [["真源街道建档立卡贫困户花名册"],
                ["填报单位：真源街道办事处", "", "", "", "", "", "", "", "", "",
                 "填报日期：2019年6月30日"], top, sub]
        merges += ["A1:O1", "A2:E2", "K2:O2"]

        def village_block(code, rows):
            start = len(body) + 1
            body.append([d.village(code)] + [""] * 14)
            merges.append(f"A{start}:O{start}")
            first = len(body) + 1
            body.extend(hh_typed(r) for r in rows)
            last = len(body)
            body.append(["小计", f"{len(rows)}户", "", "", Formula(f"SUBTOTAL(9,E{first}:E{last})",
                                                                 sum(int(r[4]) for r in rows))])
        village_block(va, ra)
        village_block(vb, rb)
        allr = ra + rb
        body.append(["合计", f"{len(allr)}户", "", "", sum(int(r[4]) for r in allr)])
        body.append([])
        n = len(body) + 1
        body.append(["填表说明：1.户编号以全国扶贫开发信息系统为准；2.身份证号请设置为文本格式；"
                     "3.三保障达标填“是”，未达标填“否”。"])
        merges.append(f"A{n}:O{n}")
        body.append(["填表人：王芳", "", "", "", "审核人：李建国", "", "", "", "", "",
                     "负责人：赵卫东"])
        body.append(["联系电话：0394-7212345"])
        f = "04_合计小计_村标题_页脚.xlsx"
        Workbook([Sheet("真源街道", body, merges=merges, text_cols={0, 2, 3},
                        row_styles={0: "title", 2: "head", 3: "head"})]).save(self.path(f))
        exp = self.expect_csv("04_totals_footer", HH_HEADER, allr)
        self.add("04_totals_footer",
                 "title, 填报单位 line, two-row header, village sub-heading rows, 小计 and 合计 rows "
                 "(formulas), a blank row, 填表说明/填表人/审核人/联系电话 footers",
                 [self.step(f, "households", rows=len(allr), inserted=len(allr),
                            sheets=[{"name": "真源街道", "rows": len(allr), "header_row": [3, 4],
                                     "skipped": {"title": 1, "info": 1, "subheading": 2,
                                                 "total": 3, "blank": 1, "footer": 3}}],
                            text=["标题1行", "合计行3行", "说明3行"],
                            expect_csv=exp)], resave=("xlsx", "xls"))

    def header_spellings(self):
        d = self.demo
        rows = d.hh_in("411628001204")
        hdr = ["户编号", "户主\n姓名", "户主身份证号码", "所在村代码", "家庭 人口", "贫困户属性",
               "致贫原因", "识别年度", "脱贫年度", "人均纯收入（元）", "义务教育保障",
               "基本医疗\r\n保障", "住房安全保障", "饮水安全保障", "\u3000帮扶责任人 "]
        body = [hdr] + [hh_typed(r) for r in rows]
        f = "05_表头写法.xlsx"
        Workbook([Sheet("Sheet1", body, text_cols={0, 2, 3}, row_styles={0: "head"})],
                 shared=False).save(self.path(f))
        exp = self.expect_csv("05_header_spellings", HH_HEADER, rows)
        self.add("05_header_spellings",
                 "headers as people write them: line breaks, spaces, full-width brackets, "
                 "户主身份证号码, 致贫原因 (inline strings)",
                 [self.step(f, "households", rows=len(rows), inserted=len(rows),
                            sheets=[{"name": "Sheet1", "rows": len(rows), "header_row": [1],
                                     "skipped": {}, "mapped": HH_HEADER}],
                            expect_csv=exp)])

    def gbk_csv_total(self):
        d = self.demo
        rows = d.hh_in("411628001205", "411628001206")
        hdr = ["户编号", "户主姓名", "证件号码", "所在村代码", "家庭人口", "贫困户属性",
               "致贫原因", "识别年度", "脱贫年度", "人均纯收入（元）", "义务教育保障",
               "基本医疗保障", "住房安全保障", "饮水安全保障", "帮扶责任人"]
        body = [["真源街道贫困户信息统计表"] + [""] * 14, hdr] + rows
        body.append(["总计", f"{len(rows)}户", "", "", str(sum(int(r[4]) for r in rows))]
                    + [""] * 10)
        f = "06_证件号码_总计_GBK.csv"
        write_csv(self.path(f), body, "gbk")
        exp = self.expect_csv("06_gbk_csv", HH_HEADER, rows)
        self.add("06_gbk_csv", "GBK CSV: title line, 证件号码 and 人均纯收入（元） headers, 总计 row",
                 [self.step(f, "households", rows=len(rows), inserted=len(rows),
                            sheets=[{"rows": len(rows), "header_row": [2],
                                     "skipped": {"title": 1, "total": 1}}],
                            expect_csv=exp)])

    def village_names(self):
        d = self.demo
        va, vb = "411628001201", "411628001202"
        rows = d.hh_in(va, vb)
        spell_a = ["秦阁村", "真源街道秦阁村", "真源街道/秦阁村"]
        spell_b = ["南邱坊村", "鹿邑县真源街道南邱坊村"]
        body = [HH_HEADER[:3] + ["所在村"] + HH_HEADER[4:]]
        counts = {}
        ia = ib = 0
        for r in rows:
            t = hh_typed(r)
            if r[3] == va:
                t[3] = spell_a[ia % 3]
                ia += 1
            else:
                t[3] = spell_b[ib % 2]
                ib += 1
            counts[(t[3], r[3])] = counts.get((t[3], r[3]), 0) + 1
            body.append(t)
        f = "07_村名称代替代码.xlsx"
        Workbook([Sheet("Sheet1", body, text_cols={0, 2})]).save(self.path(f))
        exp = self.expect_csv("07_village_names", HH_HEADER, rows)
        notes = [{"from": a, "to": b, "count": n} for (a, b), n in counts.items()]
        self.add("07_village_names", "a 所在村 column of village names (秦阁村, 真源街道秦阁村, "
                 "真源街道/秦阁村, 鹿邑县真源街道南邱坊村) for codes",
                 [self.step(f, "households", args=["--dry-run"], rows=len(rows), inserted=len(rows),
                            sheets=[{"name": "Sheet1", "rows": len(rows), "notes": notes}],
                            db_unchanged=True),
                  self.step(f, "households", rows=len(rows), inserted=len(rows), expect_csv=exp)])

    def ambiguous_name(self):
        d = self.demo
        # A second 秦阁村, under 宋河镇: the plain name becomes ambiguous.
        extra = "setup_重名村_宋河镇秦阁村.csv"
        write_csv(self.path(extra), [["区划代码", "名称", "上级区划代码", "层级", "贫困村", "主导产业"],
                                     ["411628101221", "秦阁村", "411628101000", "村", "否", ""]],
                  "utf-8-sig")
        rows = d.hh_in("411628001201")[:12]
        body = [HH_HEADER]
        for r in rows:
            t = hh_typed(r)
            t[3] = "秦阁村"
            body.append(t)
        f = "08_村名称_重名.xlsx"
        Workbook([Sheet("Sheet1", body, text_cols={0, 2})]).save(self.path(f))
        exp = self.expect_csv("09_region_restricts", HH_HEADER, rows)
        self.add("08_ambiguous_name",
                 "a village name that two townships have: refused, the candidates listed with codes",
                 [self.setup(self.rel(extra), "regions"),
                  self.step(f, "households", exit=1,
                            errors=["秦阁村", "411628001201", "411628101221", "第2行", "所在村代码"],
                            db_unchanged=True)])
        self.add("09_region_restricts",
                 "the same file with --region 真源街道's code: the name is unique there",
                 [self.setup(self.rel(extra), "regions"),
                  self.step(f, "households", args=["--region", "411628001000"], rows=len(rows),
                            inserted=len(rows), expect_csv=exp,
                            sheets=[{"name": "Sheet1", "rows": len(rows),
                                     "notes": [{"from": "秦阁村", "to": "411628001201",
                                                "count": len(rows)}]}])])

    def value_aliases(self):
        d = self.demo
        rows = d.hh_in("411628101202", "411628101203", "411628101204")
        cause_alias = {"因病": "因病致贫", "因残": "因残致贫", "因学": "因学致贫"}
        kind_alias = {"低保贫困户": "低保户", "特困供养贫困户": "五保户"}
        bool_alias = {"是": "√", "否": "×"}
        counts = {}

        def note(c, a, b):  # notes are per column (INTERFACES10: kind, col, from)
            counts[(HH_HEADER[c], a, b)] = counts.get((HH_HEADER[c], a, b), 0) + 1
        body = [HH_HEADER]
        for r in rows:
            t = hh_typed(r)
            if r[5] in kind_alias:
                t[5] = kind_alias[r[5]]
                note(5, t[5], r[5])
            if r[6] in cause_alias:
                t[6] = cause_alias[r[6]]
                note(6, t[6], r[6])
            for c in range(10, 14):
                if r[c]:
                    t[c] = bool_alias[r[c]]
                    note(c, t[c], r[c])
            body.append(t)
        f = "10_习惯写法_因病致贫_低保户_对错号.xlsx"
        Workbook([Sheet("Sheet1", body, text_cols={0, 2, 3})]).save(self.path(f))
        exp = self.expect_csv("10_value_aliases", HH_HEADER, rows)
        notes = [{"column": c, "from": a, "to": b, "count": n} for (c, a, b), n in counts.items()]
        self.add("10_value_aliases", "values as people write them: 因病致贫, 低保户, 五保户, √/×; "
                 "--dry-run shows the aliases with counts",
                 [self.step(f, "households", args=["--dry-run"], rows=len(rows), inserted=len(rows),
                            sheets=[{"name": "Sheet1", "rows": len(rows), "notes": notes}],
                            text=["因病致贫", "低保户", "五保户", "√"], db_unchanged=True),
                  self.step(f, "households", rows=len(rows), inserted=len(rows), expect_csv=exp)],
                 resave=("xlsx",))

    def yes_no_csv(self):
        d = self.demo
        rows = d.hh_in("411628101205", "411628101206")
        counts = {}
        body = [HH_HEADER]
        for r in rows:
            t = list(r)
            for c, (y, n) in zip(range(10, 14), [("有", "无"), ("有", "无"), ("Y", "N"), ("Y", "N")]):
                if r[c]:
                    t[c] = y if r[c] == "是" else n
                    key = (HH_HEADER[c], t[c], r[c])
                    counts[key] = counts.get(key, 0) + 1
            body.append(t)
        f = "11_有无_YN_UTF8.csv"
        write_csv(self.path(f), body, "utf-8")
        exp = self.expect_csv("11_yes_no", HH_HEADER, rows)
        notes = [{"column": c, "from": a, "to": b, "count": n} for (c, a, b), n in counts.items()]
        self.add("11_yes_no", "UTF-8 CSV (no BOM) with 有/无 and Y/N for 是/否",
                 [self.step(f, "households", rows=len(rows), inserted=len(rows),
                            sheets=[{"rows": len(rows), "notes": notes}], expect_csv=exp)])

    def tv_subset(self, n, start=0):
        return self.demo.tv[start:start + n]

    def tv_month(self):
        rows = self.tv_subset(40)
        body = [self.demo.tv_header]
        stored = []
        counts = {}
        for r in rows:
            y, m, _ = r[1].split("-")
            t = [r[0], f"{int(y)}年{int(m)}月", r[2], r[3]]
            body.append(t)
            stored.append([r[0], f"{y}-{m}-01", r[2], r[3]])
            counts[t[1]] = counts.get(t[1], 0) + 1
        f = "12_户户通_年月.xlsx"
        Workbook([Sheet("户户通", body, text_cols={0})]).save(self.path(f))
        exp = self.expect_csv("12_tv_month", self.demo.tv_header, stored)
        notes = [{"from": a, "to": f"{a[:4]}-{int(a[5:-1]):02d}-01", "count": n}
                 for a, n in counts.items()]
        self.add("12_tv_month", "dates written 2019年6月: the first of the month, said in the result",
                 [self.setup(self.HH_FULL, "households"),
                  self.step(f, "tv_installs", rows=len(rows), inserted=len(rows),
                            sheets=[{"name": "户户通", "rows": len(rows), "notes": notes}],
                            text=[notes[0]["from"], notes[0]["to"]],
                            expect_csv=exp)], resave=("xls",))

    def tv_digits(self):
        rows = self.tv_subset(40, 40)
        body = [["户户通安装台账"] + [""] * 3, self.demo.tv_header]
        status = {"正常": "使用正常", "故障": "无信号"}
        body += [[r[0], r[1].replace("-", ""), r[2], status[r[3]]] for r in rows]
        counts = {}
        for r in rows:
            counts[r[3]] = counts.get(r[3], 0) + 1
        f = "13_户户通_8位日期_GBK.csv"
        write_csv(self.path(f), body, "gbk")
        exp = self.expect_csv("13_tv_digits", self.demo.tv_header, rows)
        notes = [{"from": status[k], "to": k, "count": n} for k, n in counts.items()]
        self.add("13_tv_digits", "GBK CSV, dates written 20190601, 状态 as 使用正常/无信号, a title line",
                 [self.setup(self.HH_FULL, "households"),
                  self.step(f, "tv_installs", rows=len(rows), inserted=len(rows),
                            sheets=[{"rows": len(rows), "skipped": {"title": 1}, "notes": notes}],
                            expect_csv=exp)])

    def tv_date_cells(self):
        rows = self.tv_subset(40, 80)
        body = [self.demo.tv_header]
        for i, r in enumerate(rows):
            kind = i % 4
            if kind == 3:
                v = Num(r[1].replace("-", ""))
            else:
                v = Date(r[1], ["date", "builtin14", "cn_date"][kind])
            body.append([r[0], v, r[2], r[3]])
        f = "14_户户通_日期单元格.xlsx"
        Workbook([Sheet("Sheet1", body, text_cols={0})]).save(self.path(f))
        exp = self.expect_csv("14_tv_date_cells", self.demo.tv_header, rows)
        self.add("14_tv_date_cells",
                 "real date cells (yyyy-mm-dd, m/d/yyyy, yyyy年m月d日) and 20190601 as a number",
                 [self.setup(self.HH_FULL, "households"),
                  self.step(f, "tv_installs", rows=len(rows), inserted=len(rows),
                            sheets=[{"name": "Sheet1", "rows": len(rows)}], expect_csv=exp)],
                 resave=("xlsx", "xls"))

    def tv_two_digit_year(self):
        rows = self.tv_subset(10, 120)
        body = [self.demo.tv_header] + [list(r) for r in rows]
        body[4][1] = "18.1.12"
        f = "15_户户通_两位年份.csv"
        write_csv(self.path(f), body, "utf-8-sig")
        self.add("15_tv_two_digit_year", "a two-digit year (18.1.12): refused with the reason",
                 [self.setup(self.HH_FULL, "households"),
                  self.step(f, "tv_installs", exit=1,
                            errors=["第5行", "安装日期", "18.1.12"], db_unchanged=True)])

    def optional_columns(self):
        d = self.demo
        rows = d.hh_in("411628102201", "411628102202")
        short = [[r[i] for i in range(5)] for r in rows]
        f = "16_只有必填列.xlsx"
        Workbook([Sheet("Sheet1", [HH_REQUIRED] + [[r[0], r[1], r[2], r[3], int(r[4])]
                                                   for r in rows], text_cols={0, 2, 3})]
                 ).save(self.path(f))
        full = "16_全部列_补充.csv"
        write_csv(self.path(full), [HH_HEADER] + rows, "gbk")
        exp_short = self.expect_csv("16_optional_short", HH_HEADER,
                                    [s + [""] * 10 for s in short])
        exp_full = self.expect_csv("16_optional_full", HH_HEADER, rows)
        n = len(rows)
        self.add("16_optional_columns",
                 "a file with only the required household columns imports (NULL = not recorded); "
                 "the full file fills them in; the short file again leaves them alone",
                 [self.step(f, "households", rows=n, inserted=n, expect_csv=exp_short,
                            sheets=[{"name": "Sheet1", "rows": n, "mapped": HH_REQUIRED}]),
                  self.step(full, "households", rows=n, inserted=0, updated=n,
                            expect_csv=exp_full),
                  self.step(f, "households", rows=n, inserted=0, updated=0, unchanged=n,
                            text=["贫困户属性", "帮扶责任人"], expect_csv=exp_full)])

    def aid_villages_units(self):
        d = self.demo
        body = [["帮扶单位", "村代码", "开始日期", "结束日期"]]
        counts = {}
        for r in d.aid_villages:
            y, m, dd = r[2].split("-")
            assert dd == "01"
            end = ""
            if r[3]:
                ey, em, ed = r[3].split("-")
                assert ed == "01"
                end = f"{int(ey)}年{int(em)}月"
            body.append(["县文广旅局", d.village(r[1]), f"{int(y)}年{int(m)}月", end])
        counts[("县文广旅局", "县文化广电旅游局")] = len(d.aid_villages)
        f = "17_帮扶村_单位简称_村名.xlsx"
        Workbook([Sheet("帮扶村", [["县文化广电旅游局定点帮扶村一览表"]] + body,
                        merges=["A1:D1"], row_styles={0: "title"})]).save(self.path(f))
        n = len(d.aid_villages)
        self.add("17_aid_villages_units",
                 "unit short name 县文广旅局, village names, dates 2016年3月 (aid_villages)",
                 [self.step(f, "aid_villages", rows=n, inserted=n,
                            sheets=[{"name": "帮扶村", "rows": n, "header_row": [2],
                                     "skipped": {"title": 1},
                                     "notes": [{"from": "县文广旅局", "to": "县文化广电旅游局",
                                                "count": n}]}],
                            expect_csv="examples/county/aid_villages.csv")], resave=("xls",))

    def aid_cadres_units(self):
        d = self.demo
        body = [d.ac_header]
        post = {"第一书记": "驻村第一书记", "工作队长": "驻村工作队长", "工作队员": "队员"}
        counts = {}
        for r in d.aid_cadres:
            body.append([r[0], "县文广旅局", d.village(r[2]), post[r[3]], r[4],
                         r[5].replace("-", ""), r[6].replace("-", "")])
            counts[(post[r[3]], r[3])] = counts.get((post[r[3]], r[3]), 0) + 1
        f = "18_驻村干部_单位简称_GBK.csv"
        write_csv(self.path(f), body, "gbk")
        n = len(d.aid_cadres)
        notes = [{"from": a, "to": b, "count": c} for (a, b), c in counts.items()]
        notes.append({"from": "县文广旅局", "to": "县文化广电旅游局", "count": n})
        self.add("18_aid_cadres_units",
                 "GBK CSV: 县文广旅局, village names, 职务 as 驻村第一书记/队员, dates 20160301",
                 [self.step(f, "aid_cadres", rows=n, inserted=n,
                            sheets=[{"rows": n, "notes": notes}],
                            expect_csv="examples/county/aid_cadres.csv")])

    def aid_inputs_units(self):
        d = self.demo
        hdr = ["投入编号", "日期", "帮扶单位", "村代码", "户编号", "类别", "内容", "金额（万元）"]
        body = [["县文化广电旅游局帮扶投入台账"], ["填报单位：县文化广电旅游局"], hdr]
        total = 0.0
        for r in d.aid_inputs:
            unit = "县文广旅局" if r[2] == "县文化广电旅游局" else r[2]
            body.append([r[0], Date(r[1]), unit, r[3], r[4], r[5], r[6], Num(r[7])])
            total += float(r[7])
        body.append(["合计", "", "", "", "", "", "", Formula(f"SUM(H4:H{len(body)})",
                                                            round(total, 4))])
        f = "19_帮扶投入_单位简称_日期单元格.xlsx"
        Workbook([Sheet("投入台账", body, merges=["A1:H1", "A2:H2"], text_cols={0, 3, 4},
                        row_styles={0: "title"})]).save(self.path(f))
        n = len(d.aid_inputs)
        self.add("19_aid_inputs_units",
                 "aid_inputs: 县文广旅局, 金额（万元）, date cells, title, 填报单位 line, 合计 row",
                 [self.setup(self.HH_FULL, "households"),
                  self.step(f, "aid_inputs", rows=n, inserted=n,
                            sheets=[{"name": "投入台账", "rows": n, "header_row": [3],
                                     "skipped": {"title": 1, "info": 1, "total": 1}}],
                            expect_csv="examples/county/aid_inputs.csv")], resave=("xlsx",))

    def id_as_number(self):
        d = self.demo
        rows = d.hh_in("411628102203")
        body = [HH_HEADER] + [hh_typed(r, id_as_number=True) for r in rows]
        first = next(i for i, r in enumerate(rows) if r[2][-1] != "X") + 2
        f = "20_身份证号存成数字.xlsx"
        Workbook([Sheet("Sheet1", body, text_cols={0, 3})]).save(self.path(f))
        self.add("20_id_as_number", "户主身份证号 stored as numbers: refused with the exact message",
                 [self.step(f, "households", exit=1,
                            errors=[ID_NUMBER_MSG, f"第{first}行", "户主身份证号"],
                            db_unchanged=True)])

    def html_xls(self):
        d = self.demo
        rows = d.hh_in("411628102204", "411628102205")
        span = lambda t, a: (t, a)
        top = [span(h, 'rowspan="2"') for h in HH_HEADER[:10]]
        top += [span("三保障", 'colspan="3"'), span("饮水安全保障", 'rowspan="2"'),
                span("帮扶责任人", 'rowspan="2"')]
        sub = ["义务教育保障", "基本医疗保障", "住房安全保障"]
        table = [[span("玄武镇建档立卡贫困户明细", 'colspan="15" align="center"')], top, sub]
        table += [list(r) for r in rows]
        table.append([span("合计", 'colspan="4"'), str(sum(int(r[4]) for r in rows))]
                     + [""] * 10)
        f = "21_网页导出_HTML.xls"
        with open(self.path(f), "wb") as fh:
            fh.write(html_table(table, "贫困户明细").encode("gbk"))
        exp = self.expect_csv("21_html_xls", HH_HEADER, rows)
        self.add("21_html_xls",
                 "a web system's \".xls\" that is an HTML table (GBK, charset=gb2312, colspan/rowspan)",
                 [self.step(f, "households", rows=len(rows), inserted=len(rows),
                            sheets=[{"rows": len(rows), "header_row": [2, 3],
                                     "skipped": {"title": 1, "total": 1}}],
                            expect_csv=exp)])

    def xmlss_xls(self):
        d = self.demo
        sheets, exp_sheets, allr = [], [], []
        for code in ("411628102206", "411628102207"):
            rows = d.hh_in(code)
            allr += rows
            name = d.village(code)
            table = [[{"v": f"{name}贫困户花名册", "across": 14}], HH_HEADER]
            for r in rows:
                cells, gap = [], False
                for i, v in enumerate(r):
                    if v == "":
                        gap = True
                        continue
                    c = {"v": v, "text_style": i in (0, 2, 3)}
                    if i in (4, 7, 8):
                        c = {"v": int(v)}
                    elif i == 9:
                        c = {"v": v, "t": "Number"}
                    if gap:
                        c["index"] = i + 1
                        gap = False
                    cells.append(c)
                table.append(cells)
            sheets.append((name, table))
            exp_sheets.append({"name": name, "rows": len(rows), "header_row": [2],
                               "skipped": {"title": 1}})
        f = "22_网页导出_XML2003.xls"
        with open(self.path(f), "w", encoding="utf-8", newline="\n") as fh:
            fh.write(xmlss(sheets))
        exp = self.expect_csv("22_xmlss_xls", HH_HEADER, allr)
        self.add("22_xmlss_xls",
                 "a \".xls\" that is SpreadsheetML 2003 XML: two worksheets, MergeAcross title, ss:Index gaps",
                 [self.step(f, "households", rows=len(allr), inserted=len(allr), sheets=exp_sheets,
                            expect_csv=exp)])

    def unknown_xls(self):
        f = "23_无法识别.xls"
        blob = (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
                + bytes(range(256)) * 4 + b"\n%%EOF\n")
        with open(self.path(f), "wb") as fh:
            fh.write(blob)
        self.add("23_unknown_xls", "an \".xls\" that is none of the known formats (a PDF)",
                 [self.step(f, "households", exit=1,
                            errors=[UNKNOWN_FORMAT_MSG], db_unchanged=True)])

    def national(self):
        d = self.demo
        variants = [("24_全国系统_人员明细.xlsx", 300, True, "脱贫属性",
                     "interleaved (member k of every household before member k+1), 脱贫属性 "
                     "(2018年已脱贫/未脱贫)"),
                    ("24b_全国系统_人员明细_脱贫年度.xlsx", 120, False, "脱贫年度",
                     "household by household, 脱贫年度")]
        for f, n, interleave, exit_column, how in variants:
            stored, stats = national_file(self.path(f), n, interleave, exit_column)
            tid = "24_national_export" if f.startswith("24_") else "24b_national_export"
            exp = self.expect_csv(tid, HH_HEADER, stored)
            self.add(tid,
                     "the national system's person-level export (title row, one row per family "
                     f"member) of the first {n} households, {how}: households with the 户主's "
                     "name and ID, 家庭人口 from 人数, region from 县/乡(镇)/行政村",
                     [self.step(f, "households", rows=n, inserted=n,
                                national={"persons": stats["persons"],
                                          "members": stats["members"], "households": n},
                                text=[str(stats["persons"]), str(stats["members"])],
                                expect_csv=exp)], resave=("xls",) if interleave else ())

    def multi_sheet_readme(self):
        d = self.demo
        readme = [["填表说明"], ["1. 每个村一个工作表，表头不要改动。"],
                  ["2. 户主身份证号请先把该列设为文本格式再填写。"],
                  ["3. 三保障达标填“是”，未达标填“否”，不涉及的留空。"],
                  ["4. 本表由乡镇扶贫办汇总后报县扶贫办。"]]
        lists = [["贫困户属性", "主要致贫原因", "是否"]]
        kinds = ["一般贫困户", "低保贫困户", "特困供养贫困户"]
        causes = ["因病", "因残", "因学", "因灾", "缺土地", "缺水", "缺技术", "缺劳力", "缺资金",
                  "交通条件落后", "自身发展动力不足", "其他"]
        for i in range(len(causes)):
            lists.append([kinds[i] if i < 3 else "", causes[i], ["是", "否"][i] if i < 2 else ""])
        sheets = [Sheet("说明", readme, merges=["A1:F1"]),
                  Sheet("下拉选项", lists, hidden=True)]
        exp_sheets = []
        allr = []
        for code in ("411628103201", "411628103202"):
            rows = d.hh_in(code)
            allr += rows
            name = d.village(code)
            sheets.append(Sheet(name, [HH_HEADER] + [hh_typed(r) for r in rows], text_cols={0, 2, 3}))
            exp_sheets.append({"name": name, "rows": len(rows), "header_row": [1]})
        f = "25_多表_含说明页.xlsx"
        Workbook(sheets).save(self.path(f))
        exp = self.expect_csv("25_multi_readme", HH_HEADER, allr)
        self.add("25_multi_readme",
                 "a 说明 sheet first and a hidden sheet of drop-down lists (贫困户属性, 主要致贫原因, "
                 "是否: no required column), each listed with the reason, not imported; "
                 "one sheet per village",
                 [self.step(f, "households", rows=len(allr), inserted=len(allr), sheets=exp_sheets,
                            unmatched=["说明", "下拉选项"], text=["说明", "下拉选项", "隐藏"],
                            expect_csv=exp)], resave=("xlsx",))

    def multi_sheet_missing(self):
        d = self.demo
        ra, rb = d.hh_in("411628103203"), d.hh_in("411628103204")
        na, nb = d.village("411628103203"), d.village("411628103204")
        short_hdr = [h for h in HH_HEADER if h != "户主身份证号"]
        sb = [[v for i, v in enumerate(hh_typed(r)) if i != 2] for r in rb]
        sheets = [Sheet(na, [HH_HEADER] + [hh_typed(r) for r in ra], text_cols={0, 2, 3}),
                  Sheet(nb, [short_hdr] + sb, text_cols={0, 2})]
        f = "26_多表_一页缺身份证号列.xlsx"
        Workbook(sheets).save(self.path(f))
        self.add("26_multi_missing_column",
                 "two village sheets, the second without 户主身份证号: the whole workbook refused",
                 [self.step(f, "households", exit=1,
                            errors=[nb, "户主身份证号"], db_unchanged=True)])

    def serial_numbers(self):
        d = self.demo
        va, vb = "411628103206", "411628103207"
        ra, rb = d.hh_in(va), d.hh_in(vb)
        body = [["序号"] + HH_HEADER]
        merges = []
        k = 0
        for code, rows in ((va, ra), (vb, rb)):
            body.append([d.village(code)])
            merges.append(f"A{len(body)}:P{len(body)}")
            for r in rows:
                k += 1
                t = hh_typed(r)
                t[0] = int(r[0])    # 户编号 typed as a number: 13 digits, exact
                t[3] = int(r[3])    # so is the 12-digit village code
                body.append([k] + t)
        body.append(["合计", "", "", "", "", sum(int(r[4]) for r in ra + rb)])
        f = "28_序号列_编码为数字.xlsx"
        Workbook([Sheet("Sheet1", body, merges=merges, text_cols={3},
                        row_styles={0: "head"})]).save(self.path(f))
        allr = ra + rb
        exp = self.expect_csv("28_serial_numbers", HH_HEADER, allr)
        self.add("28_serial_numbers",
                 "a 序号 column first (ignored), 户编号 and 所在村代码 as number cells (exact, "
                 "accepted: only ID numbers lose digits), village sub-headings, 合计 in the 序号 column",
                 [self.step(f, "households", rows=len(allr), inserted=len(allr),
                            sheets=[{"name": "Sheet1", "rows": len(allr), "header_row": [1],
                                     "skipped": {"subheading": 2, "total": 1}}],
                            expect_csv=exp)], resave=("xls",))

    def header_lower_blank_rows(self):
        d = self.demo
        rows = d.hh_in("411628103208")
        body = [["鹿邑县2019年度建档立卡贫困户动态调整花名册"],
                ["填报单位：太清宫镇人民政府"],
                ["填报日期：2019年6月28日"],
                [],
                HH_HEADER]
        blank_inside = 0
        for i, r in enumerate(rows):
            body.append(hh_typed(r))
            if i % 7 == 6 and i != len(rows) - 1:
                body.append([])
                blank_inside += 1
        f = "29_表头在第5行_中间空行.xlsx"
        Workbook([Sheet("Sheet1", body, merges=["A1:O1", "A2:O2", "A3:O3"], text_cols={0, 2, 3},
                        row_styles={0: "title", 4: "head"})]).save(self.path(f))
        exp = self.expect_csv("29_header_row5", HH_HEADER, rows)
        self.add("29_header_row5",
                 "the header in row 5 under a title, 填报单位 and 填报日期 lines and a blank row; "
                 "blank rows between the data rows",
                 [self.step(f, "households", rows=len(rows), inserted=len(rows),
                            sheets=[{"name": "Sheet1", "rows": len(rows), "header_row": [5],
                                     "skipped": {"title": 1, "info": 2,
                                                 "blank": 1 + blank_inside}}],
                            expect_csv=exp)])

    def duplicate_across_sheets(self):
        d = self.demo
        ra, rb = d.hh_in("411628103209"), d.hh_in("411628103210")
        na, nb = d.village("411628103209"), d.village("411628103210")
        moved = list(ra[0])   # the same household listed again on the other sheet
        moved[3] = "411628103210"
        sheets = [Sheet(na, [HH_HEADER] + [hh_typed(r) for r in ra], text_cols={0, 2, 3}),
                  Sheet(nb, [HH_HEADER] + [hh_typed(r) for r in rb] + [hh_typed(moved)],
                        text_cols={0, 2, 3})]
        f = "30_多表_同一户出现两次.xlsx"
        Workbook(sheets).save(self.path(f))
        self.add("30_duplicate_across_sheets",
                 "one household on two village sheets (moved, not deleted): refused, both places named",
                 [self.step(f, "households", exit=1, errors=[moved[0], nb], db_unchanged=True)])

    def column_numbers_repeated_header(self):
        d = self.demo
        va, vb = "411628002201", "411628002202"
        ra, rb = d.hh_in(va), d.hh_in(vb)
        colnum = ["甲", "乙"] + list(range(1, 14))
        body = [["卫真街道建档立卡贫困户花名册"], HH_HEADER, colnum]
        body += [hh_typed(r) for r in ra]
        body.append(HH_HEADER)   # the second village's block pasted with its header
        body += [hh_typed(r) for r in rb]
        f = "31_栏号行_重复表头.xlsx"
        Workbook([Sheet("Sheet1", body, merges=["A1:O1"], text_cols={0, 2, 3},
                        row_styles={0: "title", 1: "head"})]).save(self.path(f))
        allr = ra + rb
        exp = self.expect_csv("31_colnum_header", HH_HEADER, allr)
        self.add("31_colnum_header",
                 "a row of column numbers (甲 乙 1 2 …) under the header, and the header "
                 "repeated where a second village's block was pasted",
                 [self.step(f, "households", rows=len(allr), inserted=len(allr),
                            sheets=[{"name": "Sheet1", "rows": len(allr), "header_row": [2],
                                     "skipped": {"title": 1, "colnum": 1, "header": 1}}],
                            expect_csv=exp)], resave=("xlsx",))

    def bad_id_second_sheet(self):
        d = self.demo
        va, vb = "411628002203", "411628002204"
        ra, rb = d.hh_in(va), d.hh_in(vb)
        na, nb = d.village(va), d.village(vb)
        sheets = []
        for name, rows in ((na, ra), (nb, rb)):
            body = [[f"{name}建档立卡贫困户花名册"], ["填报单位：卫真街道办事处"], HH_HEADER]
            body += [hh_typed(r) for r in rows]
            sheets.append(Sheet(name, body, merges=["A1:O1"], text_cols={0, 2, 3}))
        k = 3   # the fourth household of the second sheet: a wrong check digit
        good = rb[k][2]
        bad = good[:17] + ("0" if good[17] != "0" else "1")
        sheets[1].rows[3 + k][2] = bad
        f = "32_多表_第二页身份证校验码错.xlsx"
        Workbook(sheets).save(self.path(f))
        self.add("32_bad_id_second_sheet",
                 "two village sheets under titles; a wrong ID check digit in the second: refused, "
                 "the sheet, its real row and the column named, nothing written",
                 [self.step(f, "households", exit=1,
                            errors=[nb, f"第{3 + k + 1}行", "户主身份证号", "校验码"],
                            db_unchanged=True)])

    def lone_household_id(self):
        d = self.demo
        rows = d.hh_in("411628002205")
        body = [["南田寺村贫困户花名册"], HH_HEADER] + [hh_typed(r) for r in rows[:5]]
        body.append(["4116280099999"])   # typed, the rest forgotten: data, not a heading
        lone_row = len(body)
        body += [hh_typed(r) for r in rows[5:]]
        body.append(["合计", f"{len(rows)}户"])
        f = "33_只填了户编号的行.xlsx"
        Workbook([Sheet("Sheet1", body, merges=["A1:O1"], text_cols={0, 2, 3})]).save(self.path(f))
        self.add("33_lone_household_id",
                 "a row holding only a 户编号 (the rest not typed) among the data, under a title "
                 "and above a 合计 row: an error at that row, not a skipped sub-heading",
                 [self.step(f, "households", exit=1,
                            errors=[f"第{lone_row}行", "户主姓名", "不能为空"], db_unchanged=True)])

    def multi_group_header(self):
        d = self.demo
        rows = d.hh_in("411628002206", "411628002207")
        top = ["户编号", "户主信息", "", "所在村代码", "家庭情况", "", "", "识别年度", "脱贫年度",
               "人均纯收入(元)", "三保障", "", "", "饮水安全保障", "帮扶责任人"]
        sub = ["", "户主姓名", "户主身份证号", "", "家庭人口", "贫困户属性", "主要致贫原因",
               "", "", "", "义务教育保障", "基本医疗保障", "住房安全保障", "", ""]
        merges = ["B2:C2", "E2:G2", "K2:M2"] + [f"{c}2:{c}3" for c in "ADHIJNO"]
        body = [["卫真街道建档立卡贫困户基本情况表"], top, sub] + [hh_typed(r) for r in rows]
        f = "34_多组合并表头.xlsx"
        Workbook([Sheet("基本情况", body, merges=["A1:O1"] + merges, text_cols={0, 2, 3},
                        row_styles={0: "title", 1: "head", 2: "head"})]).save(self.path(f))
        exp = self.expect_csv("34_multi_group_header", HH_HEADER, rows)
        self.add("34_multi_group_header",
                 "a title, then a two-row header with three groups (户主信息, 家庭情况, 三保障) "
                 "merged over their columns",
                 [self.step(f, "households", rows=len(rows), inserted=len(rows),
                            sheets=[{"name": "基本情况", "rows": len(rows), "header_row": [2, 3],
                                     "skipped": {"title": 1}, "mapped": HH_HEADER}],
                            expect_csv=exp)], resave=("xlsx", "xls"))

    def unknown_unit(self):
        d = self.demo
        body = [["帮扶单位", "村代码", "开始日期", "结束日期"]]
        for r in d.aid_villages:
            body.append(["文广局", r[1], r[2], r[3]])
        f = "35_帮扶村_单位简称认不出.xlsx"
        Workbook([Sheet("Sheet1", body, text_cols={1})]).save(self.path(f))
        self.add("35_unknown_unit",
                 "a unit short name that matches no unit (文广局: not 县…局): refused, the name shown",
                 [self.step(f, "aid_villages", exit=1, errors=["文广局", "第2行", "帮扶单位"],
                            db_unchanged=True)])

    def html_two_tables(self):
        d = self.demo
        rows = d.hh_in("411628002208")
        title = html_table([["前杨寨村建档立卡贫困户明细"], ["导出时间：2019-06-30 10:21:05"]], "明细")
        data = html_table([HH_HEADER] + [list(r) for r in rows], "明细")
        # one page: the title table, then the data table
        page = title.replace("</table></body></html>", "</table>\r\n") + \
            data[data.index("<table"):]
        f = "36_网页导出_两个表格.xls"
        with open(self.path(f), "wb") as fh:
            fh.write(page.encode("gbk"))
        exp = self.expect_csv("36_html_two_tables", HH_HEADER, rows)
        self.add("36_html_two_tables",
                 "an HTML \".xls\" whose title is a table of its own before the data table: "
                 "the title table listed as not matching, the data table read",
                 [self.step(f, "households", rows=len(rows), inserted=len(rows),
                            sheets=[{"name": "表格2", "rows": len(rows), "header_row": [1]}],
                            unmatched=["表格1"], expect_csv=exp)])

    def tsv_as_xls(self):
        d = self.demo
        rows = d.hh_in("411628002209")
        text = "\r\n".join("\t".join(r) for r in [HH_HEADER] + rows) + "\r\n"
        f = "37_制表符文本另存为xls.xls"
        with open(self.path(f), "wb") as fh:
            fh.write(text.encode("gbk"))
        self.add("37_tsv_as_xls",
                 "tab-separated text saved with an .xls name: refused with what to do",
                 [self.step(f, "households", exit=1, errors=[UNKNOWN_FORMAT_MSG],
                            db_unchanged=True)])

    def empty_sheet(self):
        d = self.demo
        codes = ("411628002210", "411628002211", "411628002212")
        sheets, exp_sheets, allr = [], [], []
        for i, code in enumerate(codes):
            rows = [] if i == 1 else d.hh_in(code)
            allr += rows
            name = d.village(code)
            sheets.append(Sheet(name, [HH_HEADER] + [hh_typed(r) for r in rows], text_cols={0, 2, 3}))
            exp_sheets.append({"name": name, "rows": len(rows), "header_row": [1]})
        f = "38_多表_一村尚无数据.xlsx"
        Workbook(sheets).save(self.path(f))
        exp = self.expect_csv("38_empty_sheet", HH_HEADER, allr)
        self.add("38_empty_sheet",
                 "three village sheets, the middle one only its header (no households yet): "
                 "the others imported, the empty one listed with 0 rows",
                 [self.step(f, "households", rows=len(allr), inserted=len(allr), sheets=exp_sheets,
                            expect_csv=exp)])

    def national_html(self):
        n = 60
        tmp = self.path(".national_tmp.xlsx")
        stored, stats = national_file(tmp, n, False, "脱贫年度")
        rows = _read_inline_xlsx(tmp)
        os.unlink(tmp)
        width = len(rows[1])
        table = [[(rows[0][0], f'colspan="{width}"')]] + \
            [["" if v is None else str(v) for v in r] for r in rows[1:]]
        f = "39_全国系统_人员明细_网页版.xls"
        with open(self.path(f), "wb") as fh:
            fh.write(html_table(table, "贫困人口明细").encode("gbk"))
        exp = self.expect_csv("39_national_html", HH_HEADER, stored)
        self.add("39_national_html",
                 f"the national export of the first {n} households as the system's HTML \".xls\" "
                 "(GBK, the title spanning the header)",
                 [self.step(f, "households", rows=n, inserted=n,
                            national={"persons": stats["persons"], "members": stats["members"],
                                      "households": n},
                            expect_csv=exp)])

    def template_notes(self):
        d = self.demo
        rows = d.hh_in("411628103205")
        notes = ["全国扶贫系统户编号", "", "18位,末位校验码", "12位村级区划代码", "人数,至少1",
                 "一般贫困户/低保贫困户/特困供养贫困户", "从下拉列表选择", "如:2016", "未脱贫留空",
                 "元/人·年", "是/否/空", "是/否/空", "是/否/空", "是/否/空", ""]
        f = "27_模板填写.xlsx"
        Workbook([Sheet("建档立卡贫困户", [HH_HEADER, notes] + [hh_typed(r) for r in rows],
                        text_cols=set(range(15)), row_styles={0: "head"})]).save(self.path(f))
        exp = self.expect_csv("27_template_notes", HH_HEADER, rows)
        self.add("27_template_notes", "the template filled in, its row of notes left in place",
                 [self.step(f, "households", rows=len(rows), inserted=len(rows),
                            sheets=[{"name": "建档立卡贫困户", "rows": len(rows), "header_row": [1],
                                     "skipped": {"notes": 1}}],
                            expect_csv=exp)])

    def build(self):
        for fn in (self.township_workbook, self.title_info, self.two_row_header,
                   self.totals_subheadings_footer, self.header_spellings, self.gbk_csv_total,
                   self.village_names, self.ambiguous_name, self.value_aliases, self.yes_no_csv,
                   self.tv_month, self.tv_digits, self.tv_date_cells, self.tv_two_digit_year,
                   self.optional_columns, self.aid_villages_units, self.aid_cadres_units,
                   self.aid_inputs_units, self.id_as_number, self.html_xls, self.xmlss_xls,
                   self.unknown_xls, self.national, self.multi_sheet_readme,
                   self.multi_sheet_missing, self.template_notes, self.serial_numbers,
                   self.header_lower_blank_rows, self.duplicate_across_sheets,
                   self.column_numbers_repeated_header, self.bad_id_second_sheet,
                   self.lone_household_id, self.multi_group_header, self.unknown_unit,
                   self.html_two_tables, self.tsv_as_xls, self.empty_sheet,
                   self.national_html):
            fn()

    # -- LibreOffice re-saves ---------------------------------------------
    def resaves(self, use_soffice, only=None):
        """only: the test ids whose files are re-saved now (None: all); the
        other re-saves already in the output are kept as they are."""
        soffice = shutil.which("soffice") if use_soffice else None
        added = []
        for t in list(self.tests):
            for fmt in t["resave"]:
                last = t["steps"][-1]
                src = last["file"]
                stem = os.path.splitext(src)[0]
                name = f"L_{stem}.{fmt}"
                if soffice and (only is None or t["id"] in only):
                    _soffice_convert(soffice, self.path(src), fmt, self.path(name))
                if not os.path.exists(self.path(name)):
                    continue
                steps = [dict(s) for s in t["steps"]]
                for s in steps:
                    if s.get("file") == src:
                        s["file"] = name
                        if fmt == "xls" and "sheets" in s:
                            # BIFF8 has no inline strings and keeps the sheet names
                            s["sheets"] = [dict(x) for x in s["sheets"]]
                added.append({"id": f"L_{t['id']}_{fmt}",
                              "shape": f"{t['shape']} (re-saved by LibreOffice as .{fmt})",
                              "steps": steps, "resave": []})
                self.files.append(name)
        self.tests.extend(added)

    def write_expected(self, path):
        doc = {
            "about": "Issue 10's clerk corpus: per test, imports run in order on a fresh SQLite "
                     "database holding examples/county/regions.csv and units.csv. Generated by "
                     "tests/clerk/make_corpus.py; read by tests/blackbox/test_clerk_files.py.",
            "files_dir": os.path.relpath(self.out, ROOT),
            "skipped_kinds": ["blank", "title", "info", "colnum", "header", "total", "subheading",
                              "footer", "notes"],
            "tests": [dict((k, v) for k, v in t.items() if k != "resave") for t in self.tests],
        }
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, indent=1)
            f.write("\n")


def _soffice_convert(soffice, src, fmt, dst):
    with tempfile.TemporaryDirectory(prefix="tz-lo-") as tmp:
        filt = {"xlsx": "xlsx:Calc MS Excel 2007 XML", "xls": "xls:MS Excel 97"}[fmt]
        cmd = [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
               "--convert-to", filt, "--outdir", tmp, src]
        # an HTML ".xls" must be opened by Calc's HTML filter, not Writer's
        if src.endswith(".xls") and open(src, "rb").read(6).lower().startswith(b"<html"):
            cmd[4:4] = ["--infilter=calc_HTML_WebQuery"]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=300)
        out = os.path.join(tmp, os.path.splitext(os.path.basename(src))[0] + "." + fmt)
        shutil.move(out, dst)


# ---------------------------------------------------------------- the national export

NATIONAL_HEADER = ["序号", "省", "市", "县", "乡(镇)", "行政村", "户编号", "人编号", "姓名", "性别",
                   "证件号码", "人数", "与户主关系", "民族", "文化程度", "健康状况", "劳动技能",
                   "贫困户属性", "主要致贫原因", "脱贫年度", "是否参加城乡居民基本医疗保险",
                   "联系电话"]
NATIONAL_TEXT_COLS = {6, 7, 10, 21}
# the households columns the export carries (the others are not recorded)
NATIONAL_CARRIES = ["户编号", "户主姓名", "户主身份证号", "所在村代码", "家庭人口", "贫困户属性",
                    "主要致贫原因", "脱贫年度"]
_RELATIONS = ["配偶", "之子", "之女", "之孙子", "之孙女", "之父", "之母", "之儿媳", "其他"]


def _idcard(prefix6, birth, seq3):
    body = f"{prefix6}{birth}{seq3:03d}"
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * k for c, k in zip(body, w)) % 11]


def national_export_rows(demo, households, title=True):
    """The person-level export of these households as the national system
    gives it: a title row, then one row per person, the 户主 first. Returns
    (rows, stats) with stats = {persons, members}."""
    body = []
    if title:
        body.append(["全国扶贫开发信息系统 贫困人口明细表（导出时间：2019-06-30）"])
    body.append(list(NATIONAL_HEADER))
    seq = 0
    persons = members = 0
    for h in households:
        village = h[3]
        town = demo.township_of(village)
        county = demo.parent[town]
        n = int(h[4])
        head_birth = int(h[2][6:10])
        for k in range(n):
            seq += 1
            if k == 0:
                name, rel, idno = h[1], "户主", h[2]
                sex = "男" if int(h[2][16]) % 2 else "女"
            else:
                rel = _RELATIONS[(k - 1) % len(_RELATIONS)]
                sex = "女" if rel in ("配偶", "之女", "之孙女", "之母", "之儿媳") else "男"
                name = h[1][0] + ["秀英", "建国", "小红", "明", "丽", "国强", "桂兰", "娟", "伟"][(k - 1) % 9]
                year = head_birth + (2 if rel == "配偶" else 25 if rel.startswith("之子") or rel.startswith("之女") else 45 if rel.startswith("之孙") else -25 if rel in ("之父", "之母") else 20)
                year = min(max(year, 1920), 2018)
                birth = f"{year}{(k % 12) + 1:02d}{(int(h[0][-2:]) % 28) + 1:02d}"
                serial = (int(h[0][-4:]) * 7 + k) % 1000
                idno = _idcard(village[:6], birth, serial - serial % 2 + (1 if sex == "男" else 0))
                members += 1
            persons += 1
            body.append([str(seq), "河南省", "周口市", demo.name[county], demo.name[town],
                         demo.name[village], h[0], f"{h[0]}{k + 1:02d}", name, sex, idno, n, rel,
                         "汉族", "小学", "健康", "普通劳动力", h[5], h[6],
                         int(h[8]) if h[8] else None, "是", ""])
    return body, {"persons": persons, "members": members}


def national_stored(households):
    """What the households ledger holds after the export's import: the
    carried columns as in households.csv, the others empty (not recorded)."""
    keep = [HH_HEADER.index(c) for c in NATIONAL_CARRIES]
    return [[r[i] if i in keep else "" for i in range(len(HH_HEADER))] for r in households]


def _read_inline_xlsx(path):
    """The first sheet's rows of a simple xlsx (inline or shared strings,
    numbers), as lists of str/int/float."""
    import xml.etree.ElementTree as ET
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    with zipfile.ZipFile(path) as z:
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(ns + "si"):
                shared.append("".join(t.text or "" for t in si.iter(ns + "t")))
        root = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    out = []
    for row in root.iter(ns + "row"):
        cells = {}
        for c in row.iter(ns + "c"):
            col = 0
            for ch in c.get("r"):
                if ch.isalpha():
                    col = col * 26 + ord(ch) - 64
            t = c.get("t")
            v = c.find(ns + "v")
            if t == "inlineStr":
                val = "".join(x.text or "" for x in c.iter(ns + "t"))
            elif t == "s":
                val = shared[int(v.text)]
            else:
                val = v.text if v is not None else ""
            cells[col - 1] = val
        out.append([cells.get(i) for i in range(max(cells) + 1)] if cells else [])
    return out


def _fix_zip_times(path):
    """Rewrites the zip at path with every entry dated ZIP_TIME, so that the
    same content gives the same bytes."""
    with zipfile.ZipFile(path) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            zi = zipfile.ZipInfo(name, ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data)


def national_file(path, n, interleave, exit_column):
    """The national export of the first n households at path, by the names
    part's tests/clerk/national_export.py when it is there (it carries every
    household column), else by national_export_rows above. Returns (the rows
    the households ledger must hold, {persons, members})."""
    try:
        import national_export  # tests/clerk/national_export.py (branch wt-names)
    except ImportError:
        demo = Demo()
        rows = demo.households[:n]
        body, stats = national_export_rows(demo, rows)
        Workbook([Sheet("贫困人口明细", body, merges=["A1:V1"], text_cols=NATIONAL_TEXT_COLS)]
                 ).save(path)
        return national_stored(rows), stats
    st = national_export.make_national_export(
        path, os.path.join(COUNTY, "households.csv"), os.path.join(COUNTY, "regions.csv"),
        limit=n, interleave=interleave, exit_column=exit_column)
    _fix_zip_times(path)
    _, rows = read_csv("households.csv")
    return rows[:n], st


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "tests", "clerk", "files"))
    ap.add_argument("--no-resave", action="store_true", help="do not run LibreOffice")
    ap.add_argument("--resave-only", help="comma-separated test ids whose files LibreOffice "
                    "re-saves (the others' re-saves are kept)")
    a = ap.parse_args()
    out = os.path.abspath(a.out)
    os.makedirs(out, exist_ok=True)
    c = Corpus(out)
    c.build()
    c.resaves(not a.no_resave, a.resave_only.split(",") if a.resave_only else None)
    c.write_expected(os.path.join(os.path.dirname(out), "expected.json"))
    print(f"{len(c.files)} files, {len(c.tests)} tests in {os.path.relpath(out, ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
