#!/usr/bin/python3
"""make_xls_fixtures.py - writes the .xls fixtures of tests/blackbox/test_isolation.py.

- regions.xls: a valid legacy-Excel regions ledger (the test region tree),
  written with Debian's python3-xlwt (run this with /usr/bin/python3).
- crash-*.xls, hog-*.xls: tests/data/reader/households.xls with a few bytes
  overwritten, found by a mutation loop over seeds. Under libfreexl 1.0.6
  (Debian 12), crash-2816.xls and crash-2982.xls make FreeXL segfault,
  hog-1127.xls makes it take about 270 MB and report 65537 rows, and
  hog-1708.xls makes it take about 170 MB for a 5.6 KB file (it parses).
  Each mutation is deterministic: random.Random(seed) picks 1-8 offsets past
  the 512-byte OLE header and a new byte for each.

Usage: /usr/bin/python3 tests/data/xls/make_xls_fixtures.py
"""
import os
import random

import xlwt

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "reader", "households.xls")
MUTANTS = {"crash-2816.xls": 2816, "crash-2982.xls": 2982, "hog-1127.xls": 1127,
           "hog-1708.xls": 1708}
REGIONS = [
    ["区划代码", "名称", "上级区划代码", "层级", "贫困村", "主导产业"],
    ["410000000000", "河南省", "", "省", "", ""],
    ["411600000000", "周口市", "410000000000", "市", "", ""],
    ["411628000000", "鹿邑县", "411600000000", "县", "", "纺织服装"],
    ["411628101000", "宋河镇", "411628000000", "乡", "", ""],
    ["411628101201", "卢尧村", "411628101000", "村", "是", ""],
    ["411628101202", "刘楼村", "411628101000", "村", "否", ""],
]


def mutate(data, seed):
    rnd = random.Random(seed)
    b = bytearray(data)
    for _ in range(rnd.randint(1, 8)):
        i = rnd.randrange(512, len(b))
        b[i] = rnd.randrange(256)
    return bytes(b)


def main():
    src = open(SOURCE, "rb").read()
    for name, seed in MUTANTS.items():
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(mutate(src, seed))
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("行政区划")
    for r, row in enumerate(REGIONS):
        for c, v in enumerate(row):
            if v:
                ws.write(r, c, v)
    wb.save(os.path.join(HERE, "regions.xls"))


if __name__ == "__main__":
    main()
