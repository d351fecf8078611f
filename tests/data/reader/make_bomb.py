#!/usr/bin/env python3
"""make_bomb.py - writes bomb.xlsx, the zip-bomb fixture of test_reader.

The file is a valid xlsx skeleton whose xl/worksheets/sheet1.xml unpacks to a
little more than 1 GiB (TZ_XLSX_MAX_UNPACKED): one header row followed by a
long run of blanks inside <sheetData>. Deflate at level 9 squeezes the run
about 1000:1, so the fixture stays near 1 MiB. The entries carry fixed times,
so running the script again gives the same bytes.

Usage: python3 tests/data/reader/make_bomb.py [out.xlsx]
"""
import os
import sys
import zipfile

UNPACKED = (1 << 30) + (64 << 20)  # sheet size: 1 GiB + 64 MiB
BLOCK = 1 << 20
FIXED_TIME = (1980, 1, 1, 0, 0, 0)

PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    ),
}

SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>户编号</t></is></c></row>'
).encode("utf-8")
SHEET_TAIL = b"</sheetData></worksheet>"


def _info(name):
    zi = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    zi.compress_type = zipfile.ZIP_DEFLATED
    for attr in ("compress_level", "_compresslevel"):  # public name from Python 3.13 on
        try:
            setattr(zi, attr, 9)
            break
        except AttributeError:
            continue
    zi.external_attr = 0o644 << 16
    return zi


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "bomb.xlsx")
    with zipfile.ZipFile(out, "w") as zf:
        for name, text in PARTS.items():
            zf.writestr(_info(name), text.encode("utf-8"))
        with zf.open(_info("xl/worksheets/sheet1.xml"), "w") as fp:
            fp.write(SHEET_HEAD)
            left = UNPACKED - len(SHEET_HEAD) - len(SHEET_TAIL)
            blank = b" " * BLOCK
            while left > 0:
                n = min(left, BLOCK)
                fp.write(blank[:n])
                left -= n
            fp.write(SHEET_TAIL)
    print(f"{out}: {os.path.getsize(out)} bytes, sheet unpacks to {UNPACKED} bytes")


if __name__ == "__main__":
    main()
