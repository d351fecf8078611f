#!/usr/bin/env python3
"""make_corpus.py - writes the seed corpora of the fuzz harnesses into
fuzz/corpus/<harness>/ (a handful of small files each). The files are
committed; rerun this only to change the seeds.

Usage: python3 fuzz/make_corpus.py   (from the repository root; needs build/taizhang
for the template xlsx, and Debian's python3-xlwt for the small .xls seed)
"""
import os
import shutil
import struct
import subprocess
import sys
import zipfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "blackbox"))
import tzlib  # noqa: E402

OUT = os.path.join(ROOT, "fuzz", "corpus")


def put(harness, name, data):
    d = os.path.join(OUT, harness)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def head(path, n):
    with open(path, "rb") as f:
        return b"".join(f.readline() for _ in range(n))


# ---- csv ----------------------------------------------------------------
def csv_seeds():
    put("csv", "households_bom.csv", head(os.path.join(ROOT, "examples/county/households.csv"), 4))
    put("csv", "units.csv", head(os.path.join(ROOT, "examples/county/units.csv"), 6))
    text = head(os.path.join(ROOT, "examples/city/projects.csv"), 3).decode("utf-8-sig")
    put("csv", "projects_gb18030.csv", text.encode("gb18030"))
    put("csv", "quoted.csv", '户编号,户主姓名,备注\r\n"41,1","张""三""","两行\r\n文字"\r\n,,\r\n'
        '"\'=1+2",李四,"末尾无换行"')
    # boundary case (see fuzz_csv.c): UTF-8 filler, then a Chinese character
    # that straddles the first 64 KiB chunk
    put("csv", "boundary_utf8.csv", b"\xb5\x02\x00\x01" + "测试,\"引号\n内\"\r\n".encode("utf-8"))
    put("csv", "boundary_quoted.csv", b"\xb5\x01\x00\x05" + b'"",x\r\n')


# ---- xlsx (whole files) --------------------------------------------------
WB_1904 = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
           'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
           'relationships"><workbookPr date1904="1"/><sheets><sheet name="户" sheetId="1" r:id="rId1"/>'
           '<sheet name="hidden" sheetId="2" state="hidden" r:id="rId3"/></sheets></workbook>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="/xl/worksheets/sheet2.xml"/></Relationships>')
SST = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
       'spreadsheetml/2006/main" count="4" uniqueCount="4"><si><t>户编号</t></si><si><t>户主姓名</t>'
       '</si><si><r><t>张</t></r><r><t xml:space="preserve">三 </t></r><rPh><t>ZHANG</t></rPh></si>'
       '<si><t>_x000D_换行</t></si></sst>')
SHEET = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
         'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s">'
         '<v>1</v></c><c r="C1" t="str"><v>日期</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c>'
         '<c r="B2" t="s"><v>3</v></c><c r="C2"><v>43617</v></c><c r="D2" t="e"><v>#N/A</v></c>'
         '<c r="E2"><f>6491+0</f></c><c r="F2" t="b"><v>1</v></c></row><row><c t="inlineStr"><is><t>'
         '无引用</t></is></c><c><v>1.5E3</v></c></row></sheetData></worksheet>')


def ooxml(path, parts, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as z:
        for name, text in parts:
            z.writestr(name, text)


def xlsx_seeds(tmp):
    rows = [tzlib.HOUSEHOLDS_HEADER,
            tzlib.household("H001", "张三", tzlib.idcard("411628", "19800101", 123)),
            ["H002", "李四", "", "411628101201", 4, "", "", 2016, "", 3650.5]]
    p = os.path.join(tmp, "a.xlsx")
    tzlib.make_xlsx(p, rows)
    with open(p, "rb") as f:
        put("xlsx", "households_inline.xlsx", f.read())
    with zipfile.ZipFile(p) as z:
        base = [(n, z.read(n)) for n in z.namelist()]
    p2 = os.path.join(tmp, "b.xlsx")
    parts = [(n, d) for n, d in base if n not in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                                                  "xl/worksheets/sheet1.xml")]
    parts += [("xl/workbook.xml", WB_1904), ("xl/_rels/workbook.xml.rels", RELS),
              ("xl/sharedStrings.xml", SST), ("xl/worksheets/sheet1.xml", SHEET),
              ("xl/worksheets/sheet2.xml", SHEET)]
    ooxml(p2, parts)
    with open(p2, "rb") as f:
        put("xlsx", "sst_1904_kinds.xlsx", f.read())
    ooxml(p2, parts, zipfile.ZIP_STORED)
    with open(p2, "rb") as f:
        put("xlsx", "stored.xlsx", f.read())
    tz = os.path.join(ROOT, "build", "taizhang")
    if os.access(tz, os.X_OK):
        p3 = os.path.join(tmp, "template.xlsx")
        subprocess.run([tz, "template", "units", p3], check=True, capture_output=True,
                       env=dict(os.environ, TAIZHANG_HOME=ROOT))
        with open(p3, "rb") as f:
            put("xlsx", "template_units.xlsx", f.read())
    # the XML parts for fuzz_xlsx_parts: sheet \0 sst \0 workbook \0 rels
    put("xlsx_parts", "sheet_only", SHEET.replace('t="s"', 't="inlineStr"'))
    put("xlsx_parts", "sheet_sst", SHEET + "\0" + SST)
    put("xlsx_parts", "all_parts", "\0".join([SHEET, SST, WB_1904, RELS]))
    put("xlsx_parts", "refs", '<worksheet><sheetData><row r="3"><c r="XFD3"><v>1</v></c>'
        '<c r="B3"><v>2</v></c></row><row r="2"><c r="AA2" t="str"><v>x</v></c></row>'
        '</sheetData></worksheet>')
    # rows as Excel and libxlsxwriter write them (the worksheet scanner's),
    # then constructs it leaves to expat, for the two to be compared
    put("xlsx_parts", "scanner", '<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns='
        '"http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:x14ac="urn:x14ac">'
        '<sheetData><row r="1" spans="1:3" x14ac:dyDescent="0.25"><c r="A1" s="2" '
        't="inlineStr"><is><t>户&amp;&#x5F20;&#24352;</t></is></c><c r="B1" t="s"><v>0</v></c>'
        '<c r="C1"><f>1/0</f><v>3</v></c></row>\n<row r=\'2\' ><c r = "A2" t="inlineStr"><is>'
        '<r><rPr><b/></rPr><t xml:space="preserve"> 富 </t></r><rPh><t>x</t></rPh></is></c>'
        '<c r="B2"/></row><row r="3"><!-- c --><c r="A3"><v>1</v></c></row>'
        '<row r="4" xmlns:q="urn:q" q:a="1"><c r="A4" t="inlineStr"><is><t><![CDATA[<a>]]>'
        '</t></is></c></row></sheetData></worksheet>')


# ---- xls ----------------------------------------------------------------
def xls_seeds(tmp):
    shutil.copy(os.path.join(ROOT, "tests/data/reader/households.xls"),
                os.path.join(OUT, "xls", "households.xls"))
    try:
        import xlwt
    except ImportError:
        print("python3-xlwt missing: only households.xls as .xls seed")
        return
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("单位")
    for r, row in enumerate([["单位名称", "类型", "所在区划代码"], ["县文化局", "县直单位", "411628"],
                             ["招商组", "专题招商组", 411628000000.0]]):
        for c, v in enumerate(row):
            ws.write(r, c, v)
    p = os.path.join(tmp, "u.xls")
    wb.save(p)
    with open(p, "rb") as f:
        put("xls", "units_small.xls", f.read())


# ---- value ---------------------------------------------------------------
def value_seeds():
    # mode 0: field parsers; byte 1 bit 0 numeric; byte 2 mask size
    for i, s in enumerate(["2019-06-01", "2019年6月1日", "2019/6/1 00:00", "43617", "2015-07",
                           "411628", "411628195806242113", "12,345.6", "３５", "-0.5"]):
        put("value", "field_%02d" % i, bytes([0, i & 1, 24, 0]) + s.encode())
    # mode 1: one column of the ledger table (column index in bytes 1-2)
    for i, (col, kind, s) in enumerate([(0, 0, "411628101201"), (20, 1, "43617"), (9, 0, "是"),
                                        (13, 0, "一般贫困户"), (25, 0, "因病、因残")]):
        put("value", "column_%02d" % i, bytes([1, 0, col, kind]) + s.encode())
    # mode 2: whole rows, cells split at TAB
    reg = "\t".join(["411628101201", "卢尧村", "411628101000", "村", "是", ""])
    put("value", "row_regions", bytes([2, 0, 0, 0]) + reg.encode())
    hh = "\t".join(tzlib.household("H001", "张三", tzlib.idcard("411628", "19800101", 123)))
    put("value", "row_households", bytes([2, 2, 0, 0]) + hh.encode())


# ---- numword -------------------------------------------------------------
def numword_seeds():
    def seed(fn, v, x=0.0, flags=0, b18=0, unit=0, text=""):
        h = bytes([fn]) + struct.pack("<d", v) + struct.pack("<d", x) + bytes([flags, b18, unit])
        return h + text.encode()

    def seed_ll(fn, n, flags=0, unit=0, text=""):
        return bytes([fn]) + struct.pack("<d", 0) + struct.pack("<q", n) + bytes([flags, 0, unit]) + \
            text.encode()
    put("numword", "amount_yi", seed(0, 120000000, unit=1, text="1.2亿元"))
    put("numword", "amount_wan", seed(0, 2016, unit=2, text="2016万元"))
    put("numword", "approx", seed(1, 326000, b18=2, unit=1, text="30多万元"))
    put("numword", "approx_cn", seed(1, 10350000, b18=(2 << 2) | 2, unit=7, text="一千多万人次"))
    put("numword", "cn_int", seed_ll(2, 20050, flags=0x40, text="两万零五十"))
    put("numword", "count", seed_ll(3, 2, unit=9, text="两个乡"))
    put("numword", "fraction", seed(4, 1, 3, text="三分之一"))
    put("numword", "growth", seed(6, -0.052, b18=1, text="下降5.2%"))
    put("numword", "list", seed(8, 0, b18=1, unit=255, text="夏邑县\t虞城县\t睢县"))
    put("numword", "unit", seed(9, 0, unit=255, text="万美元"))


# ---- ".xls" that web systems export: HTML tables, SpreadsheetML 2003 -----
XMLSS_HEAD = ('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
              '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
              'xmlns:x="urn:schemas-microsoft-com:office:excel" '
              'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">\n')


def markup_seeds():
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
            '</head><body><table><caption>宋河镇</caption>\n'
            '<tr><th colspan=3>XX县花名册</th></tr>\n'
            '<tr><th rowspan=2>户编号</th><th colspan=2>三保障</th></tr>\n'
            '<tr><td>义务教育</td><td>基本医疗</td></tr>\n'
            '<tr><td>H001</td><td>是&nbsp;</td><td>否<br>注</td></tr>\n'
            '</table><table><tr><td>二</td></tr></table></body></html>\n')
    put("html", "gbk_spans.xls", page.encode("gbk"))
    put("html", "utf8_bare.xls", '<table><tr><td>户编号<td>姓名</tr><td>H1<td>张三&amp;</table>')
    book = (XMLSS_HEAD +
            ' <Worksheet ss:Name="说明"><Table><Row><Cell><Data ss:Type="String">x</Data>'
            '</Cell></Row></Table><WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel">'
            '<Visible>SheetHidden</Visible></WorksheetOptions></Worksheet>\n'
            ' <Worksheet ss:Name="户表"><Table>\n'
            '  <Row><Cell ss:MergeAcross="2"><Data ss:Type="String">花名册</Data></Cell></Row>\n'
            '  <Row ss:Index="3"><Cell ss:MergeDown="1"><Data ss:Type="String">户编号</Data></Cell>'
            '<Cell ss:Index="3"><Data ss:Type="Number">12.5</Data></Cell>'
            '<Cell><Data ss:Type="DateTime">2019-06-01T00:00:00.000</Data></Cell></Row>\n'
            '  <Row><Cell><Data ss:Type="Error">#N/A</Data></Cell><Cell ss:Formula="=1"/></Row>\n'
            ' </Table></Worksheet>\n</Workbook>\n')
    put("xmlss", "two_sheets.xls", book)
    put("xmlss", "gb2312.xls", (XMLSS_HEAD.replace('<?xml version="1.0"?>',
                                                   '<?xml version="1.0" encoding="gb2312"?>') +
                                '<Worksheet ss:Name="表"><Table><Row><Cell><Data ss:Type="String">'
                                '秦阁村</Data></Cell></Row></Table></Worksheet></Workbook>')
        .encode("gbk"))


def main():
    tmp = os.path.join(ROOT, "build", "fuzz-corpus-tmp")
    os.makedirs(tmp, exist_ok=True)
    for h in ("csv", "xlsx", "xlsx_parts", "xls", "html", "xmlss", "value", "numword"):
        d = os.path.join(OUT, h)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    csv_seeds()
    xlsx_seeds(tmp)
    xls_seeds(tmp)
    markup_seeds()
    value_seeds()
    numword_seeds()
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
