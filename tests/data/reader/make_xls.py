#!/usr/bin/python3
"""make_xls.py - writes households.xls, the legacy-Excel fixture of test_reader.

Needs Debian's python3-xlwt (apt-get install python3-xlwt), so run it with
/usr/bin/python3. The sheet mixes text, integers, fractions, a negative
number, a large integer, dates with a date format, an empty row (row 4) and
a row with gaps (row 6). A second sheet must be ignored by the reader.

Usage: /usr/bin/python3 tests/data/reader/make_xls.py [out.xls]
"""
import datetime
import os
import sys

import xlwt

ROWS = [
    ["户编号", "户主姓名", "家庭人口", "人均纯收入(元)", "识别年度", "安装日期"],
    ["410001", "张三", 4, 3650.5, 2014, datetime.date(2019, 6, 1)],
    ["410002", "李四", 1, -12, 2015, datetime.date(2020, 1, 15)],
    [],
    ["410004", "王五,小名", 3, 0.1, 2016, None],
    ["410005", None, 123456789012, None, None, None],
]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "households.xls")
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("建档立卡贫困户")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for r, row in enumerate(ROWS):
        for c, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, datetime.date):
                ws.write(r, c, v, date_style)
            else:
                ws.write(r, c, v)
    other = wb.add_sheet("说明")
    other.write(0, 0, "这个工作表不应被读取")
    wb.save(out)
    print(f"{out}: {os.path.getsize(out)} bytes")


if __name__ == "__main__":
    main()
