"""Runs every tests/blackbox/test_*.py module with unittest and prints
'blackbox-summary PASSED FAILED' as its last line (read by tests/run.sh).

Modules run in TZ_TEST_JOBS worker processes at once (default: the number
of cores plus one; the server tests mostly wait on sockets and child
processes). Each module's output is printed whole when it ends, so the log
reads as before. Modules that share the PostgreSQL test database's public
schema (they drop and recreate it) run one after another in one worker.
"""
import glob
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

here = os.path.dirname(os.path.abspath(__file__))
pattern = os.environ.get("TZ_BLACKBOX_PATTERN", "test_*.py")
# modules that drop and recreate the public schema of TZ_PG_URI's database
SHARED_SCHEMA = ("test_ledger.py", "test_metrics.py")

# Modules that take longest (seconds of a normal plus an ASan run on 2 cores,
# measured in CI at 968152f): started first, so that none of them runs alone at the end.
# A module not listed starts after these, in name order.
SLOW = {"test_summary_follow.py": 344, "test_attacks.py": 216, "test_authz.py": 197,
        "test_clerk_files.py": 183, "test_serve.py": 148, "test_ledger.py": 147,
        "test_workflow.py": 145, "test_kill.py": 128, "test_report_investment.py": 103,
        "test_metrics.py": 86, "test_backup.py": 86, "test_store_faults.py": 75,
        "test_import_write.py": 75, "test_report.py": 63, "test_leaks.py": 62,
        "test_workflow_cli.py": 53, "test_quality_findings.py": 44, "test_excel_cells.py": 42,
        "test_report_layout.py": 42, "test_report_poverty.py": 41}

ONE = r"""
import sys, unittest
sys.path.insert(0, sys.argv[1])
suite = unittest.defaultTestLoader.discover(sys.argv[1], pattern=sys.argv[2], top_level_dir=sys.argv[1])
r = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
bad = len(r.failures) + len(r.errors)
print(f"module-summary {r.testsRun - bad - len(r.skipped)} {bad}")
sys.exit(0 if bad == 0 else 1)
"""


def _run(names):
    """Runs modules one after another; returns [(name, output, passed, failed, secs)]."""
    out = []
    for name in names:
        t0 = time.monotonic()
        p = subprocess.run([sys.executable, "-c", ONE, here, name], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, errors="replace")
        passed, failed = 0, 1
        for line in p.stdout.splitlines():
            if line.startswith("module-summary "):
                passed, failed = (int(x) for x in line.split()[1:3])
        if p.returncode != 0 and failed == 0:
            failed = 1  # crashed after its summary, or killed
        text = "\n".join(l for l in p.stdout.splitlines() if not l.startswith("module-summary "))
        out.append((name, text, passed, failed, time.monotonic() - t0))
    return out


def main():
    names = sorted(os.path.basename(p) for p in glob.glob(os.path.join(here, pattern))
                   if os.path.basename(p).startswith("test_") and p.endswith(".py"))
    shared = [n for n in names if n in SHARED_SCHEMA]
    groups = [[n] for n in names if n not in SHARED_SCHEMA]
    if shared:
        groups.append(shared)
    groups.sort(key=lambda g: -sum(SLOW.get(n, 0) for n in g))
    jobs = int(os.environ.get("TZ_TEST_JOBS", "0") or 0) or (os.cpu_count() or 2) + 1
    passed = failed = 0
    with ThreadPoolExecutor(max_workers=jobs) as ex:
        for results in ex.map(_run, groups):
            for name, text, p, f, secs in results:
                print(f"== {name}: {p} passed, {f} failed ({secs:.0f} s)")
                print(text)
                passed += p
                failed += f
    print(f"blackbox-summary {passed} {failed}")
    sys.exit(0 if failed == 0 else 1)


if __name__ == "__main__":
    main()
