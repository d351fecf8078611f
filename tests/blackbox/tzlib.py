"""Helpers for black-box tests: run the real taizhang binary, make temp
dirs, write CSV fixtures, read xlsx/docx back with the standard library."""
import csv
import io
import os
import shutil
import sqlite3
import subprocess
import tempfile
import unittest
import zipfile
import xml.etree.ElementTree as ET

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("TZ_BIN", os.path.join(ROOT, "build", "taizhang"))
EXAMPLES = os.path.join(ROOT, "examples")
NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def run(*args, check=None, input=None):
    """Runs taizhang with args; returns CompletedProcess (text). check=N asserts the exit code."""
    env = dict(os.environ, TAIZHANG_HOME=ROOT)
    p = subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, env=env,
                       input=input, timeout=600)
    if check is not None and p.returncode != check:
        raise AssertionError(f"taizhang {' '.join(map(str, args))} exited {p.returncode}, "
                             f"expected {check}\nstdout:\n{p.stdout}\nstderr:\n{p.stderr}")
    return p


def run_metrics(*args, summaries=True, trace=False):
    """Runs taizhang for a check or report (exit 0 or 1): with the summaries
    switched off (TZ_METRICS_SUMMARY=0, every figure read from the ledgers)
    or traced (TZ_METRICS_TRACE=1: which way the summaries were made, on
    stderr)."""
    env = dict(os.environ, TAIZHANG_HOME=ROOT)
    env.pop("TZ_METRICS_TRACE", None)
    if trace:
        env["TZ_METRICS_TRACE"] = "1"
    if not summaries:
        env["TZ_METRICS_SUMMARY"] = "0"
    p = subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, env=env,
                       timeout=600)
    if p.returncode not in (0, 1):
        raise AssertionError(f"taizhang {args} exited {p.returncode}\n{p.stderr}")
    return p


def write_csv(path, header, rows, encoding="utf-8-sig"):
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for r in rows:
            w.writerow(r)
    return path


def read_csv(path, encoding="utf-8-sig"):
    with open(path, encoding=encoding, newline="") as f:
        return list(csv.reader(f))


def read_xlsx(path):
    """Returns the first sheet's rows as lists of strings (shared strings resolved)."""
    with zipfile.ZipFile(path) as z:
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            root = ET.fromstring(z.read("xl/sharedStrings.xml"))
            for si in root.iter(NS_MAIN + "si"):
                shared.append("".join(t.text or "" for t in si.iter(NS_MAIN + "t")))
        root = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
        rows = []
        for row in root.iter(NS_MAIN + "row"):
            cells = {}
            for c in row.iter(NS_MAIN + "c"):
                ref = c.get("r")
                col = 0
                for ch in ref:
                    if ch.isalpha():
                        col = col * 26 + (ord(ch) - 64)
                v = c.find(NS_MAIN + "v")
                t = c.get("t")
                if t == "s":
                    val = shared[int(v.text)]
                elif t == "inlineStr":
                    val = "".join(x.text or "" for x in c.iter(NS_MAIN + "t"))
                else:
                    val = v.text if v is not None else ""
                cells[col - 1] = val
            width = max(cells) + 1 if cells else 0
            rows.append([cells.get(i, "") for i in range(width)])
        return rows


def db_rows(db, sql, params=()):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


# A ledger row's import record and file row (tz_import, tz_line): where the
# row came from, which differs between two databases holding the same data.
PROVENANCE = ("tz_import", "tz_line")


def db_dump(db, tables, provenance=True):
    """Content of the given tables as sorted lists, for comparing databases:
    the same database before and after (every column), or, with
    provenance=False, two databases that should hold the same data however
    it got there (without PROVENANCE)."""
    con = sqlite3.connect(db)
    try:
        out = {}
        for t in tables:
            cols = "*"
            if not provenance:
                names = [r[1] for r in con.execute(f"PRAGMA table_info({t})")]
                cols = ", ".join(n for n in names if n not in PROVENANCE)
            out[t] = sorted(map(repr, con.execute(f"SELECT {cols} FROM {t}").fetchall()))
        return out
    finally:
        con.close()


def idcard(prefix6, birth, seq3):
    """A valid 18-digit ID number (GB 11643 check digit)."""
    body = f"{prefix6}{birth}{seq3:03d}"
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * k for c, k in zip(body, w)) % 11]


class TzCase(unittest.TestCase):
    """A test case with a fresh temp dir in self.tmp."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="tz-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.tmp, name)


def col_letters(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _sheet_xml(rows):
    """A worksheet part: str cells as inline strings, int/float cells as
    numbers, ("formula", f, cached) as a formula (cached None: saved without
    its result), ("error", "#N/A") as an error value."""
    from xml.sax.saxutils import escape
    sheet = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, row in enumerate(rows, 1):
        sheet.append(f'<row r="{r}">')
        for c, v in enumerate(row):
            ref = f"{col_letters(c)}{r}"
            if v is None or v == "":
                continue
            if isinstance(v, tuple) and v[0] == "formula":
                cached = "" if v[2] is None else f"<v>{v[2]}</v>"
                sheet.append(f'<c r="{ref}"><f>{escape(v[1])}</f>{cached}</c>')
            elif isinstance(v, tuple) and v[0] == "error":
                sheet.append(f'<c r="{ref}" t="e"><v>{escape(v[1])}</v></c>')
            elif isinstance(v, (int, float)):
                sheet.append(f'<c r="{ref}"><v>{v}</v></c>')
            else:
                sheet.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>')
        sheet.append('</row>')
    sheet.append('</sheetData></worksheet>')
    return "".join(sheet)


def make_workbook(path, sheets, date1904=False):
    """Writes a minimal but valid xlsx of several sheets: each (name, rows)
    or (name, rows, "hidden"), rows as _sheet_xml takes them; date1904 sets
    the workbook's 1904 date system."""
    from xml.sax.saxutils import quoteattr
    n = len(sheets)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                             for i in range(1, n + 1)) + '</Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                   + ('<workbookPr date1904="1"/>' if date1904 else '') + '<sheets>'
                   + "".join(f'<sheet name={quoteattr(sh[0])} sheetId="{i}" r:id="rId{i}"'
                             + (' state="hidden"' if len(sh) > 2 and sh[2] == "hidden" else '') + '/>'
                             for i, sh in enumerate(sheets, 1)) + '</sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   + "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
                             for i in range(1, n + 1)) + '</Relationships>')
        for i, sh in enumerate(sheets, 1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", _sheet_xml(sh[1]))
    return path


def make_xlsx(path, rows, date1904=False):
    """Writes a minimal but valid xlsx of one sheet (Sheet1); rows as
    _sheet_xml takes them."""
    return make_workbook(path, [("Sheet1", rows)], date1904)


LEDGER_ORDER = ["regions", "units", "households", "culture_centers", "tv_installs",
                "aid_villages", "aid_cadres", "aid_inputs", "cultural_events", "projects",
                "project_funds", "targets", "populations"]

# Minimal region tree used by many tests: province, city, county, township, village.
REGIONS_HEADER = ["区划代码", "名称", "上级区划代码", "层级", "贫困村", "主导产业"]
REGIONS_BASE = [
    ["410000000000", "河南省", "", "省", "", ""],
    ["411600000000", "周口市", "410000000000", "市", "", ""],
    ["411628000000", "鹿邑县", "411600000000", "县", "", "纺织服装"],
    ["411628101000", "宋河镇", "411628000000", "乡", "", ""],
    ["411628101201", "卢尧村", "411628101000", "村", "是", ""],
    ["411628101202", "刘楼村", "411628101000", "村", "否", ""],
]
HOUSEHOLDS_HEADER = ["户编号", "户主姓名", "户主身份证号", "所在村代码", "家庭人口", "贫困户属性",
                     "主要致贫原因", "识别年度", "脱贫年度", "人均纯收入(元)", "义务教育保障",
                     "基本医疗保障", "住房安全保障", "饮水安全保障", "帮扶责任人"]
CENTERS_HEADER = ["村代码", "建成年份", "文化广场面积(平方米)", "是否达标", "奖补标准(万元)",
                  "已拨付奖补(万元)"]


def household(hh, name, idno, village="411628101201", exited="2018", income="5000"):
    return [hh, name, idno, village, "3", "一般贫困户", "因病", "2015", exited, income,
            "是", "是", "是", "是", "张帮扶"]


class SharedDemo:
    """One demo database per test module (the import takes a few seconds):
    demo_db = SharedDemo("tz-x-"); use demo_db.get() in tests and
    tearDownModule = demo_db.cleanup."""

    def __init__(self, prefix):
        self.prefix = prefix
        self.dir = None
        self.db = None

    def get(self):
        if self.db is None:
            self.dir = tempfile.mkdtemp(prefix=self.prefix)
            self.db = os.path.join(self.dir, "demo.db")
            run("demo", self.db, "--quiet", check=0)
        return self.db

    def cleanup(self):
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = self.db = None
