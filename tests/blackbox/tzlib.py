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


def db_dump(db, tables):
    """Content of the given tables as sorted lists, for comparing databases."""
    con = sqlite3.connect(db)
    try:
        return {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in tables}
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
