"""The national system's person-level export of the whole demo county
(issue 10): one row per family member, made by tests/clerk/national_export.py
from examples/county/households.csv, imports into households equal to the
CSV's, column by column (what the export carries is every column the
contract has), and the members beyond the heads are counted."""
import csv
import json
import os
import sys
import unittest

import tzlib
from tzlib import run

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "clerk"))
import national_export  # noqa: E402


def _rows(path, limit=None):
    with open(path, encoding="utf-8-sig", newline="") as f:
        r = list(csv.reader(f))
    return r[0], sorted(r[1:limit + 1 if limit else None])


def _asan_build():
    """True when the binary is built with AddressSanitizer: a tenth of the
    county then (the same paths, in a tenth of the time)."""
    with open(tzlib.BIN, "rb") as f:
        return b"__asan_init" in f.read()


class NationalCounty(tzlib.TzCase):
    def test_whole_county_equals_the_households_csv(self):
        county = os.path.join(tzlib.EXAMPLES, "county")
        hh = os.path.join(county, "households.csv")
        for k, exit_column in enumerate(("脱贫属性", "脱贫年度")):
            with self.subTest(exit_column=exit_column):
                db = self.path(f"n-{k}.db")
                run("init", db, check=0)
                for ledger, f in (("regions", "regions.csv"), ("units", "units.csv")):
                    run("import", db, ledger, os.path.join(county, f), "--quiet", check=0)
                xlsx = self.path(f"national-{k}.xlsx")
                limit = 1200 if _asan_build() else None
                made = national_export.make_national_export(
                    xlsx, hh, os.path.join(county, "regions.csv"), limit=limit, interleave=True,
                    exit_column=exit_column)
                p = run("import", db, "households", xlsx, "--json")
                self.assertEqual(p.returncode, 0, p.stderr[-3000:])
                j = json.loads(p.stdout)
                want_header, want = _rows(hh, limit)
                self.assertEqual(j["inserted"], len(want))
                sheet = [s for s in j["sheets"] if s["status"] == "read"][0]
                self.assertEqual(sheet["national"], {"persons": made["persons"],
                                                     "members": made["members"],
                                                     "households": len(want)})
                out = self.path(f"back-{k}.csv")
                run("export", db, "households", out, check=0)
                got_header, got = _rows(out)
                self.assertEqual(got_header, want_header)
                self.assertEqual(len(got), len(want))
                diffs = [(g, w) for g, w in zip(got, want) if g != w]
                self.assertFalse(diffs, f"{len(diffs)} households differ, first: {diffs[:2]}")


if __name__ == "__main__":
    unittest.main()
