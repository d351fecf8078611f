#!/usr/bin/env bash
# run.sh - the one benchmark command of issue 13: measures each figure of the
# issue's Goals table that exists today, each beside its peer in the same
# run, the two run alternately (A, B, A, B ...), and reports medians:
#   - CSV import of N households into SQLite  vs  the sqlite3 shell's
#     `.import` of the same file into a bare table, and vs SQLite's floor
#     for the ledger: `.import` of the stored values into the ledger's own
#     table and key, its indexes built after (no check, audit or summary);
#   - xlsx import (the file written by `taizhang export`)  vs  openpyxl
#     read-only iteration of the same sheet;
#   - the first `check` after a one-row change  vs  a check with current
#     summaries;
#   - county and village `check`  vs  the same check reading the ledgers
#     (TZ_METRICS_SUMMARY=0, as bench_check.sh);
#   - county report (.docx) drafting  vs  the county check;
#   - PostgreSQL import  vs  `psql \copy` into a bare table, and vs the
#     same floor in PostgreSQL, when TZ_PG_URI names a scratch database (its
#     public schema is dropped and recreated!).
# Prints the table (measure | Taizhang | peer | ratio) and writes
# bench/results.md with the machine described. Measures only; never fails on
# a slow result; not part of the test suite.
#
# Usage: bench/run.sh                         (builds first when needed)
#   TZ_BENCH_HOUSEHOLDS  households (default 200000; 1000000 and 10000000
#                        are the issue's sizes: about 2 GB and 20 GB in WORK)
#   TZ_BENCH_RUNS        runs of each import pair (default 3)
#   TZ_BENCH_CHECK_RUNS  runs of each check pair (default 9)
#   TZ_BENCH_DIR         work directory (default /tmp/tz-run-N; removed at the end
#                        unless TZ_BENCH_KEEP=1)
#   TZ_BENCH_RESULTS     where the results go (default bench/results.md)
#   TZ_PG_URI            postgresql://... of a scratch database (optional)
#   TZ_BENCH_PG_HOUSEHOLDS  households of the PostgreSQL pair (default 100000:
#                        the first rows of the same file, all of it when smaller)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${TZ_BENCH_HOUSEHOLDS:-200000}
WORK=${TZ_BENCH_DIR:-/tmp/tz-run-$N}
export TAIZHANG_HOME=$PWD
command -v sqlite3 >/dev/null || { echo "需要 sqlite3 命令行(scripts/deps.sh --bench)" >&2; exit 3; }
# openpyxl: Debian's python3-openpyxl (scripts/deps.sh --bench) for the system python
PY_XLSX=""
for py in python3 /usr/bin/python3; do
  if "$py" -c "import openpyxl" 2>/dev/null; then PY_XLSX=$py; break; fi
done
if [ ! -x build/taizhang ] || [ -n "$(find src -newer build/taizhang -name '*.[ch]' | head -1)" ]; then
  echo "构建 build/taizhang ..."
  make -j2 >/dev/null
fi
mkdir -p "$WORK"
cleanup() { [ "${TZ_BENCH_KEEP:-0}" = 1 ] || rm -rf "$WORK"; }
trap cleanup EXIT
python3 bench/run_bench.py "$PWD/build/taizhang" "$WORK" "$N" "${PY_XLSX}" \
  "${TZ_BENCH_RESULTS:-bench/results.md}"
