"""Issue 10: the clerk's own spreadsheets come in as they are.

One test per entry of tests/clerk/expected.json (made by
tests/clerk/make_corpus.py from examples/county, with LibreOffice re-saves
committed under tests/clerk/files/). Each test runs its imports with the real
binary on a fresh SQLite database holding the demo regions and units, checks
the JSON answer (exit status, rows, inserted/updated/unchanged, per sheet:
hidden, header row, rows, skipped rows by kind, notes; the error fragments of
a refusal), and then compares what the ledger holds, exported to CSV, with the
expected CSV column by column (or with the state before, for a refusal or a
dry run). Where a step lists "text", the text a clerk reads (a dry run
without --json) must contain those fragments too.
"""
import csv
import filecmp
import json
import os
import subprocess
import sys
import tempfile
import unittest
import zipfile

import tzlib
from tzlib import ROOT, run

CLERK = os.path.join(ROOT, "tests", "clerk")
EXPECTED = json.load(open(os.path.join(CLERK, "expected.json"), encoding="utf-8"))
FILES = os.path.join(ROOT, EXPECTED["files_dir"])
KINDS = EXPECTED["skipped_kinds"]
sys.path.insert(0, CLERK)
import make_corpus  # noqa: E402


def _read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def _walk(o):
    """Every dict inside a JSON value."""
    if isinstance(o, dict):
        yield o
        for v in o.values():
            yield from _walk(v)
    elif isinstance(o, list):
        for v in o:
            yield from _walk(v)


def _sum_skipped(sheets):
    out = {}
    for s in sheets:
        for k, v in s.get("skipped", {}).items():
            out[k] = out.get(k, 0) + v
    return out


class ClerkFiles(tzlib.TzCase):
    """The corpus, one test per file (tests added below from expected.json)."""

    def _db(self):
        db = self.path("t.db")
        run("init", db, check=0)
        for ledger, f in (("regions", "regions.csv"), ("units", "units.csv")):
            run("import", db, ledger, os.path.join(tzlib.EXAMPLES, "county", f), "--quiet", check=0)
        return db

    def _export(self, db, ledger):
        out = self.path(f"export-{ledger}.csv")
        if os.path.exists(out):
            os.unlink(out)
        run("export", db, ledger, out, check=0)
        return _read_csv(out)

    def _same_rows(self, got, want, what):
        gh, gr = got
        wh, wr = want
        self.assertEqual(gh, wh, f"{what}: the exported header")
        if sorted(gr) == sorted(wr):
            return
        gk = {tuple(r[:2]): r for r in gr}
        wk = {tuple(r[:2]): r for r in wr}
        diffs = []
        for k in sorted(set(gk) | set(wk)):
            g, w = gk.get(k), wk.get(k)
            if g is None or w is None:
                diffs.append(f"{k}: {'missing' if g is None else 'extra'}")
                continue
            for h, a, b in zip(gh, g, w):
                if a != b:
                    diffs.append(f"{k} {h}: stored {a!r}, expected {b!r}")
        self.fail(f"{what}: {len(gr)} rows stored, {len(wr)} expected; "
                  f"{len(diffs)} differences, first: " + "; ".join(diffs[:8]))

    def _check_sheet(self, where, got, want):
        self.assertEqual(bool(got.get("hidden")), want.get("hidden", False), f"{where}: hidden")
        if "rows" in want:
            self.assertEqual(got.get("rows"), want["rows"], f"{where}: rows")
        if "header_row" in want:
            self.assertIn(got.get("header_row"), want["header_row"], f"{where}: header_row")
        skipped = got.get("skipped") or {}
        for k in KINDS:
            self.assertEqual(skipped.get(k, 0), want.get("skipped", {}).get(k, 0),
                             f"{where}: skipped {k} (got {skipped})")
        for n in want.get("notes", []):
            hits = [x for x in _walk(got.get("notes"))
                    if n["from"] in x.values() and n["to"] in x.values()
                    and ("column" not in n or x.get("column") == n["column"])]
            self.assertTrue(hits, f"{where}: no note {n['from']} → {n['to']} in {got.get('notes')}")
            self.assertEqual(hits[0].get("count"), n["count"],
                             f"{where}: count of note {n['from']} → {n['to']}")
        if "mapped" in want:
            cols = [c.get("column") for c in got.get("columns") or [] if isinstance(c, dict)]
            self.assertEqual(sorted(c for c in cols if c and c != "忽略"), sorted(want["mapped"]),
                             f"{where}: columns mapped")

    def _check_answer(self, where, j, st):
        for k in ("rows", "inserted", "updated", "unchanged"):
            if k in st:
                self.assertEqual(j.get(k), st[k], f"{where}: {k}")
        if "sheets" in st:
            sheets = j.get("sheets")
            self.assertIsInstance(sheets, list, f"{where}: no sheets array in the answer")
            for i, want in enumerate(st["sheets"]):
                if "name" in want:
                    got = [s for s in sheets if s.get("name") == want["name"]]
                    self.assertTrue(got, f"{where}: sheet {want['name']} not in the answer "
                                         f"({[s.get('name') for s in sheets]})")
                    got = got[0]
                else:
                    got = [s for s in sheets if s.get("rows")][i]
                self._check_sheet(f"{where} sheet {want.get('name', i)}", got, want)
            total = _sum_skipped(st["sheets"])
            top = j.get("skipped") or {}
            for k in KINDS:
                self.assertEqual(top.get(k, 0), total.get(k, 0), f"{where}: skipped {k} in total")
        for name in st.get("unmatched", []):
            hits = [x for x in _walk(j) if x.get("name") == name]
            self.assertTrue(hits, f"{where}: the sheet {name} that does not match is not listed")
            self.assertFalse(hits[0].get("rows"), f"{where}: sheet {name} imported rows")
            reasons = [v for k, v in hits[0].items() if k != "name" and isinstance(v, str) and v]
            self.assertTrue(reasons, f"{where}: sheet {name} listed without a reason: {hits[0]}")
        for k, v in st.get("national", {}).items():
            if k == "households":
                continue
            hits = [x[k] for x in _walk(j) if k in x]
            self.assertIn(v, hits, f"{where}: national export {k} not reported as {v}")

    def _step(self, db, st):
        if st.get("setup"):
            run("import", db, st["ledger"], os.path.join(ROOT, st["file"]), *st["args"], check=0)
            return
        path = os.path.join(FILES, st["file"])
        where = f"{st['file']} {' '.join(st['args'])}".strip()
        where += f" ({st.get('shape', '')})" if st.get("shape") else ""
        before = self._export(db, st["ledger"]) if st.get("db_unchanged") else None
        if st.get("text"):  # what a clerk reads: the dry run's text, same exit status
            args = st["args"] if "--dry-run" in st["args"] else ["--dry-run", *st["args"]]
            t = run("import", db, st["ledger"], path, *args)
            self.assertEqual(t.returncode, st["exit"], f"{where}: dry run's exit status")
            for frag in st["text"]:
                self.assertIn(frag, t.stdout + t.stderr, f"{where}: the text result")
        p = run("import", db, st["ledger"], path, "--json", *st["args"])
        detail = f"\nstderr:\n{p.stderr[-3000:]}"
        try:
            j = json.loads(p.stdout)
        except ValueError:
            self.fail(f"{where}: no JSON answer (exit {p.returncode}){detail}\nstdout:{p.stdout[:2000]}")
        self.assertEqual(p.returncode, st["exit"], f"{where}: exit status{detail}")
        self.assertEqual(j.get("status"), st["status"], f"{where}: status{detail}")
        text = p.stderr + "\n".join(e.get("message", "") for e in j.get("errors") or [])
        for frag in st.get("errors", []):
            self.assertIn(frag, text, f"{where}: error fragment{detail}")
        try:
            self._check_answer(where, j, st)
        except AssertionError as e:
            raise AssertionError(f"{e}{detail}") from None
        if before is not None:
            self._same_rows(self._export(db, st["ledger"]), before,
                            f"{where}: the ledger after a refusal or dry run")
        if "expect_csv" in st:
            self._same_rows(self._export(db, st["ledger"]),
                            _read_csv(os.path.join(ROOT, st["expect_csv"])),
                            f"{where}: the stored rows")

    def _run(self, t):
        db = self._db()
        for st in t["steps"]:
            self._step(db, st)


def _add(t):
    name = "test_" + "".join(c if c.isalnum() else "_" for c in t["id"])
    setattr(ClerkFiles, name, lambda self: self._run(t))


for _t in EXPECTED["tests"]:
    _add(_t)


class ClerkCorpus(tzlib.TzCase):
    def test_corpus_size_and_files_present(self):
        files = {st["file"] for t in EXPECTED["tests"] for st in t["steps"] if not st.get("setup")}
        self.assertGreaterEqual(len(files), 24)
        for f in files:
            self.assertTrue(os.path.isfile(os.path.join(FILES, f)), f)
        self.assertTrue(any(f.startswith("L_") for f in files), "no LibreOffice re-saves")

    def test_generator_reproduces_committed_files(self):
        """The committed fixtures (other than LibreOffice's re-saves) are what
        make_corpus.py makes now: the corpus is not stale."""
        out = os.path.join(self.tmp, "files")
        subprocess.run([sys.executable, os.path.join(CLERK, "make_corpus.py"), "--out", out,
                        "--no-resave"], check=True, capture_output=True, timeout=600)
        made = sorted(os.listdir(out))
        for f in made:
            a, b = os.path.join(out, f), os.path.join(FILES, f)
            if not os.path.isfile(a):
                continue
            if f.endswith(".xlsx"):  # by content: zip entry times may differ
                with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
                    self.assertEqual(za.namelist(), zb.namelist(), f)
                    for n in za.namelist():
                        self.assertEqual(za.read(n), zb.read(n), f"{f}: {n} differs")
            else:
                self.assertTrue(filecmp.cmp(a, b, shallow=False), f"{f} differs from the generator's")
        for f in sorted(os.listdir(os.path.join(out, "expected"))):
            self.assertTrue(filecmp.cmp(os.path.join(out, "expected", f),
                                        os.path.join(FILES, "expected", f), shallow=False), f)


if __name__ == "__main__":
    unittest.main()
