#!/usr/bin/env bash
# bench_import.sh - times the validated, audited CSV import of one county's
# households (bench/gen_county.py, default 300 000) by two taizhang binaries
# run alternately (A, B, peer, A, B, peer ...), each into a copy of the same
# database holding the regions and units, against the sqlite3 shell's bare
# `.import` of the same CSV into a new table without types, indexes or
# checks (the peer). Prints medians of wall and CPU (user + system) time and
# the ratios taizhang / sqlite3; CPU time is the steadier figure on a
# shared machine. Measures only; never fails on a slow result; not part of
# the test suite (see bench/README.md).
#
# Usage: bench/bench_import.sh [BIN_A] [BIN_B] [HOUSEHOLDS]
#   BIN_A, BIN_B  taizhang binaries (default build/taizhang for both)
#   TZ_BENCH_DIR  working directory (default /tmp/tz-bench-import-N)
#   TZ_BENCH_RUNS rounds (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
A=$(realpath "${1:-build/taizhang}")
B=$(realpath "${2:-build/taizhang}")
N=${3:-300000}
WORK=${TZ_BENCH_DIR:-/tmp/tz-bench-import-$N}
RUNS=${TZ_BENCH_RUNS:-3}
export TAIZHANG_HOME=$PWD
mkdir -p "$WORK"
if [ ! -s "$WORK/csv/households.csv" ]; then
  python3 bench/gen_county.py "$WORK/csv" --households "$N"
fi
if [ ! -s "$WORK/base.db" ]; then
  rm -f "$WORK/base.db"*
  "$A" init "$WORK/base.db" >/dev/null
  "$A" import "$WORK/base.db" regions "$WORK/csv/regions.csv" --quiet
  "$A" import "$WORK/base.db" units "$WORK/csv/units.csv" --quiet
fi
python3 - "$RUNS" "$A" "$B" "$WORK" <<'PY'
import os, resource, shutil, statistics, subprocess, sys, time
runs, a, b, work = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
csv = os.path.join(work, "csv", "households.csv")
wall = {"A": [], "B": [], "sqlite3": []}
cpu = {"A": [], "B": [], "sqlite3": []}

def timed(name, cmd):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    s = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True)
    wall[name].append(time.perf_counter() - s)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu[name].append(r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime)
    if p.returncode:
        sys.exit("%s 失败: %s" % (" ".join(cmd), p.stderr.decode()[:500]))

def fresh(db):
    for x in (db, db + "-wal", db + "-shm"):
        if os.path.exists(x):
            os.remove(x)

for r in range(runs):
    for name, binary in (("A", a), ("B", b)):
        db = os.path.join(work, "t.db")
        fresh(db)
        shutil.copy(os.path.join(work, "base.db"), db)
        timed(name, [binary, "import", db, "households", csv, "--quiet"])
    db = os.path.join(work, "peer.db")
    fresh(db)
    timed("sqlite3", ["sqlite3", db, "-cmd", ".mode csv", ".import %s bare" % csv])
    print("round %d: wall %s cpu %s" % (r + 1, {k: round(v[-1], 2) for k, v in wall.items()},
                                        {k: round(v[-1], 2) for k, v in cpu.items()}), flush=True)
for what, d in (("wall", wall), ("cpu", cpu)):
    m = {k: statistics.median(v) for k, v in d.items()}
    print("%s medians (s): A %.2f  B %.2f  sqlite3 .import %.2f;  A/sqlite3 %.1f×  B/sqlite3 %.1f×  "
          "A/B %.2f" % (what, m["A"], m["B"], m["sqlite3"], m["A"] / m["sqlite3"],
                        m["B"] / m["sqlite3"], m["A"] / m["B"]))
PY
rm -f "$WORK/t.db"* "$WORK/peer.db"*
