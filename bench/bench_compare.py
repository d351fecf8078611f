#!/usr/bin/env python3
"""bench_compare.py - two taizhang binaries on the same county, run
alternately in one run, so a change can be shown to be no slower (issue 8:
"the benchmarks are no slower").

Usage: bench/bench_compare.py OLD_BIN NEW_BIN DB CSV_DIR [RUNS]
  DB       a county database built by bench/bench_check.sh (TZ_BENCH_DIR/county.db)
  CSV_DIR  its ledgers as CSV (TZ_BENCH_DIR/csv), for the import case
  RUNS     runs per binary and case (default 9)

Prints, per case, the median of each binary in milliseconds and NEW/OLD.
Measures only; never fails on a slow result; not part of the test suite.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def once(cmd, env):
    s = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, env=env)
    t = (time.perf_counter() - s) * 1000
    if p.returncode not in (0, 1):
        sys.exit("%s 失败(退出 %d): %s" % (" ".join(cmd), p.returncode, p.stderr.decode()[:500]))
    return t


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    old, new, db, csv = sys.argv[1:5]
    runs = int(sys.argv[5]) if len(sys.argv) > 5 else 9
    env = dict(os.environ, TAIZHANG_HOME=os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
    tmp = tempfile.mkdtemp(prefix="tz-bench-cmp-")
    T = ["--period", "2019"]
    cases = [
        ("check 县", lambda b: [b, "check", db, "--region", "411628", *T]),
        ("check 村", lambda b: [b, "check", db, "--region", "411628101201", *T]),
        ("indicator 县 按乡镇", lambda b: [b, "indicator", db, "未脱贫户数", "--region", "411628", *T,
                                      "--by", "township"]),
        ("export households csv", lambda b: [b, "export", db, "households",
                                             os.path.join(tmp, "hh-%d.csv" % id(b))]),
        ("import households --dry-run", lambda b: [b, "import", db, "households",
                                                   os.path.join(csv, "households.csv"),
                                                   "--dry-run", "--quiet"]),
    ]
    print("%-30s %10s %10s %8s   (毫秒, 中位数, 各 %d 次, 交替运行)" % ("用例", "旧", "新", "新/旧", runs))
    try:
        for label, mk in cases:
            a, b = [], []
            for binary, acc in ((old, a), (new, b)):  # warm-up
                out = mk(binary)[-1] if label.startswith("export") else None
                once(mk(binary), env)
                if out and os.path.exists(out):
                    os.unlink(out)
            for _ in range(runs):
                for binary, acc in ((old, a), (new, b)):
                    cmd = mk(binary)
                    acc.append(once(cmd, env))
                    if label.startswith("export") and os.path.exists(cmd[-1]):
                        os.unlink(cmd[-1])
            ma, mb = statistics.median(a), statistics.median(b)
            print("%-30s %10.1f %10.1f %7.2fx" % (label, ma, mb, mb / ma))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
