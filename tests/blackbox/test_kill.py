"""Black-box kill test (issue 7 point 17): SIGKILL `taizhang import`,
`export` and `report` at random moments and check that nothing is left half
done.

- import: a county of households from bench/gen_county.py, big enough that
  the import takes about a second. After each kill the database passes
  PRAGMA integrity_check and holds all or none of the file: the row counts
  of the ledger AND of audit_log are exactly those before or those after
  an uninterrupted import (and, for a re-import that changes every row, the
  sum of the changed column is the old or the new one).
- export (.xlsx and .csv) and report (.docx): the target is absent (or the
  complete file that was there before) or a complete, parseable file.

The kill moments are drawn from a seeded random generator (TZ_KILL_SEED,
default 20260705) over the duration of one uninterrupted run measured first,
so the test scales to a slower build (ASan) instead of assuming a speed; a
run that ends before its kill narrows the window to its own duration.
Nothing asserts a duration: a kill that comes after the command ended is
simply checked like the others, and the loop goes on until enough kills
have landed while the command was running. TZ_KILL_VERBOSE=1 prints each
kill.
"""
import csv
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET
import zipfile

from tzlib import BIN, ROOT, run

SEED = int(os.environ.get("TZ_KILL_SEED", "20260705"))
HOUSEHOLDS = 30000     # about 1 s to import in the normal build
IMPORT_KILLS = 20      # kills that must land while an import runs
UPDATE_KILLS = 5       # ... while a re-import that changes every row runs
EXPORT_KILLS = 4       # per format
REPORT_KILLS = 5
MAX_TRIES = 3          # attempts allowed per required kill
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
VERBOSE = os.environ.get("TZ_KILL_VERBOSE") == "1"  # print each kill to stderr
REPORT_ARGS = ["--kind", "poverty-work", "--region", "411628", "--unit", "县文化广电旅游局",
               "--period", "2019"]

_tmp = None
_shared = None


def _env():
    return dict(os.environ, TAIZHANG_HOME=ROOT)


def _copy_db(src, dst):
    """Copies a SQLite database with its -wal/-shm files, if any."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(dst + suffix):
            os.unlink(dst + suffix)
        if os.path.exists(src + suffix):
            shutil.copyfile(src + suffix, dst + suffix)


def _timed_run(args):
    """Runs taizhang to the end; returns (seconds, CompletedProcess)."""
    t0 = time.monotonic()
    p = subprocess.run([BIN, *args], capture_output=True, text=True, env=_env(), timeout=600)
    return time.monotonic() - t0, p


def _kill_at(args, delay):
    """Starts taizhang with args, sends SIGKILL after delay seconds (if it is
    still running). Returns its exit status (-9 when the kill landed) and
    the seconds it ran."""
    t0 = time.monotonic()
    p = subprocess.Popen([BIN, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         env=_env())
    try:
        p.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        p.send_signal(signal.SIGKILL)
    rc = p.wait()
    ran = time.monotonic() - t0
    if VERBOSE:
        print(f"  kill {args[0]} after {delay:.3f}s: exit {rc} ({ran:.3f}s)", file=sys.stderr)
    return rc, ran


def _state(db):
    """Integrity check result and the counts that must be all-or-none."""
    con = sqlite3.connect(db)
    try:
        check = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
        hh = con.execute("SELECT count(*), total(income) FROM households").fetchone()
        audit = con.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        return check, (hh[0], round(hh[1], 2), audit)
    finally:
        con.close()


def setUpModule():
    """Generates the county, then base.db (regions and units) and full.db
    (the same after an uninterrupted import of the households, timed)."""
    global _tmp, _shared
    _tmp = tempfile.mkdtemp(prefix="tz-kill-")
    county = os.path.join(_tmp, "county")
    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_county.py"), county,
                    "--households", str(HOUSEHOLDS), "--villages", "200"], check=True,
                   capture_output=True)
    base = os.path.join(_tmp, "base.db")
    run("init", base, check=0)
    for ledger in ("regions", "units"):
        run("import", base, ledger, os.path.join(county, ledger + ".csv"), "--quiet", check=0)
    full = os.path.join(_tmp, "full.db")
    _copy_db(base, full)
    hh_csv = os.path.join(county, "households.csv")
    secs, p = _timed_run(["import", full, "households", hh_csv, "--quiet"])
    if p.returncode != 0:
        raise AssertionError(f"uninterrupted import failed:\n{p.stderr}")
    _shared = {"base": base, "full": full, "hh_csv": hh_csv, "import_secs": secs}


def tearDownModule():
    if _tmp:
        shutil.rmtree(_tmp, ignore_errors=True)


class KillCase(unittest.TestCase):
    """base.db, full.db and the households file of setUpModule; a scratch
    folder per class; one seeded random generator per class."""

    @classmethod
    def setUpClass(cls):
        cls.base = _shared["base"]
        cls.full = _shared["full"]
        cls.hh_csv = _shared["hh_csv"]
        cls.import_secs = _shared["import_secs"]
        cls.dir = tempfile.mkdtemp(prefix=cls.__name__ + "-", dir=_tmp)
        cls.rng = random.Random(SEED)

    def path(self, name):
        return os.path.join(self.dir, name)

    def kill_until(self, need, secs, attempt):
        """Calls attempt(i, delay) until `need` of its kills landed while the
        command ran; fails after need*MAX_TRIES attempts. Each delay is drawn
        from [0, window), the window starting at secs (one measured run).
        attempt returns what _kill_at returned; a run that ended by itself
        before its kill shrinks the window to 90% of its duration, so a first
        measurement on a busier machine does not waste the attempts."""
        landed = tries = 0
        window = secs
        while landed < need and tries < need * MAX_TRIES:
            rc, ran = attempt(tries, self.rng.uniform(0, window))
            if rc == -signal.SIGKILL:
                landed += 1
            else:
                window = min(window, 0.9 * ran)
            tries += 1
        self.assertGreaterEqual(landed, need, f"only {landed} of {tries} kills landed while the "
                                f"command ran (seed {SEED})")


class TestKillImport(KillCase):
    def test_import_is_all_or_nothing_under_sigkill(self):
        check, before = _state(self.base)
        self.assertEqual(check, ["ok"])
        check, after = _state(self.full)
        self.assertEqual(check, ["ok"])
        self.assertEqual(after[0], HOUSEHOLDS)
        self.assertGreater(after[2], before[2])  # the import wrote its audit rows
        db = self.path("import.db")

        def attempt(i, delay):
            _copy_db(self.base, db)
            rc, ran = _kill_at(["import", db, "households", self.hh_csv, "--quiet"], delay)
            check, got = _state(db)
            what = f"kill {i} after {delay:.3f}s (seed {SEED}, exit {rc})"
            self.assertEqual(check, ["ok"], what)
            self.assertIn(got, (before, after), f"{what}: ledger/audit counts {got}, "
                          f"expected all {after} or none {before}")
            if rc == 0:
                self.assertEqual(got, after, what)
            return rc, ran

        self.kill_until(IMPORT_KILLS, self.import_secs, attempt)
        # the database a kill left behind takes the import again
        _copy_db(self.base, db)
        rc, _ = _kill_at(["import", db, "households", self.hh_csv, "--quiet"], self.import_secs / 2)
        _, killed = _state(db)
        run("import", db, "households", self.hh_csv, "--quiet", check=0)
        check, got = _state(db)
        if rc == 0 or killed == after:
            # On a loaded machine the kill can come after the import ended
            # or after its commit; the second, unchanged import then adds
            # its own audit entry.
            self.assertEqual((check, got[:2]), (["ok"], after[:2]))
            self.assertGreater(got[2], after[2])
        else:
            self.assertEqual((check, got), (["ok"], after))

    def test_reimport_that_changes_every_row_is_all_or_nothing(self):
        changed = self.path("households_changed.csv")
        with open(self.hh_csv, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        col = rows[0].index("人均纯收入(元)")
        for r in rows[1:]:
            r[col] = str(int(r[col]) + 1)
        with open(changed, "w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f).writerows(rows)
        check, before = _state(self.full)
        done = self.path("changed_full.db")
        _copy_db(self.full, done)
        secs, p = _timed_run(["import", done, "households", changed, "--quiet"])
        self.assertEqual(p.returncode, 0, p.stderr)
        check, after = _state(done)
        self.assertEqual(check, ["ok"])
        self.assertEqual(after[0], before[0])
        self.assertAlmostEqual(after[1], before[1] + HOUSEHOLDS, places=2)
        self.assertGreater(after[2], before[2])
        db = self.path("update.db")

        def attempt(i, delay):
            _copy_db(self.full, db)
            rc, ran = _kill_at(["import", db, "households", changed, "--quiet"], delay)
            check, got = _state(db)
            what = f"re-import kill {i} after {delay:.3f}s (seed {SEED}, exit {rc})"
            self.assertEqual(check, ["ok"], what)
            self.assertIn(got, (before, after), f"{what}: count/sum/audit {got}, "
                          f"expected all {after} or none {before}")
            return rc, ran

        self.kill_until(UPDATE_KILLS, secs, attempt)


def _xlsx_rows(path):
    """Number of <row> elements of the first sheet; raises when the file is
    not a complete zip (every CRC checked) holding parseable XML."""
    with zipfile.ZipFile(path) as z:
        bad = z.testzip()
        if bad:
            raise AssertionError(f"{path}: entry {bad} is damaged")
        root = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
        ET.fromstring(z.read("[Content_Types].xml"))
    return sum(1 for _ in root.iter(NS + "row"))


def _csv_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    if not rows or rows[0][0] != "户编号" or any(len(r) != len(rows[0]) for r in rows):
        raise AssertionError(f"{path}: not a complete households export")
    return len(rows)


def _docx_ok(path):
    """Raises unless path is a complete .docx with a parseable document."""
    with zipfile.ZipFile(path) as z:
        bad = z.testzip()
        if bad:
            raise AssertionError(f"{path}: entry {bad} is damaged")
        root = ET.fromstring(z.read("word/document.xml"))
    if root.find(W + "body") is None:
        raise AssertionError(f"{path}: document without a body")
    return True


class TestKillOutputs(KillCase):
    """A killed export or report leaves the target absent (or as it was) or
    complete: never a half-written file."""

    def _outputs(self, name, args, rows_of, kills):
        target = self.path(name)
        if os.path.exists(target):
            os.unlink(target)
        secs, p = _timed_run([*args, target])
        self.assertEqual(p.returncode, 0, p.stderr)
        complete = rows_of(target)
        self.assertTrue(complete)
        earlier = self.path("earlier-" + name)
        shutil.copyfile(target, earlier)
        with open(earlier, "rb") as f:
            earlier_bytes = f.read()

        def attempt(i, delay):
            # every other attempt starts with a complete earlier file in place
            keep = i % 2 == 1
            if os.path.exists(target):
                os.unlink(target)
            if keep:
                shutil.copyfile(earlier, target)
            rc, ran = _kill_at([*args, target], delay)
            what = f"{name} kill {i} after {delay:.3f}s (seed {SEED}, exit {rc})"
            if os.path.exists(target):
                with open(target, "rb") as f:
                    same = f.read() == earlier_bytes
                if not same:  # a new file (outputs are deterministic, so rarely)
                    try:
                        got = rows_of(target)
                    except Exception as e:  # noqa: BLE001 - any parse error is the failure
                        self.fail(f"{what}: half-written target: {e}")
                    self.assertEqual(got, complete, what)
            else:
                self.assertFalse(keep, f"{what}: the complete earlier file was removed")
                self.assertNotEqual(rc, 0, f"{what}: exited 0 without writing the target")
            return rc, ran

        self.kill_until(kills, secs, attempt)

    def test_export_xlsx_is_never_half_written(self):
        self._outputs("hh.xlsx", ["export", self.full, "households"], _xlsx_rows, EXPORT_KILLS)

    def test_export_csv_is_never_half_written(self):
        self._outputs("hh.csv", ["export", self.full, "households"], _csv_rows, EXPORT_KILLS)

    def test_report_is_never_half_written(self):
        self._outputs("report.docx", ["report", self.full, *REPORT_ARGS, "-o"], _docx_ok,
                      REPORT_KILLS)


if __name__ == "__main__":
    unittest.main()
