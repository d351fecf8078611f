#!/usr/bin/env bash
# bench_rows.sh - times the HTTP API's row reads and one-row writes
# (store/rows.c: tz_rows_page, tz_row_get, tz_row_put) on a 300 000-household
# county built by bench/gen_county.py and loaded with the real
# `taizhang import`, beside `taizhang list --limit 100` on the same database
# in the same run (see bench/README.md). Measures only; never fails on a
# slow result; not part of the test suite.
#
# Usage: bench/bench_rows.sh [BUILD] [HOUSEHOLDS]
#   BUILD       build folder with taizhang and libtz.a (default build)
#   HOUSEHOLDS  county size (default 300000)
#   TZ_BENCH_DIR  where the database is kept between runs (default /tmp/tz-bench-N)
#   TZ_BENCH_RUNS runs per measurement (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
N=${2:-300000}
BIN=$(realpath "$BUILD/taizhang")
WORK=${TZ_BENCH_DIR:-/tmp/tz-bench-$N}
RUNS=${TZ_BENCH_RUNS:-20}
DB=$WORK/county.db
LEDGERS="regions units households culture_centers tv_installs aid_villages aid_cadres aid_inputs
         cultural_events targets populations"
export TAIZHANG_HOME=$PWD
mkdir -p "$WORK"
if [ ! -s "$DB" ]; then
  echo "生成 $N 户的县级台账 → $WORK"
  python3 bench/gen_county.py "$WORK/csv" --households "$N"
  rm -f "$DB" "$DB-wal" "$DB-shm"
  "$BIN" init "$DB" >/dev/null
  start=$(date +%s.%N)
  for l in $LEDGERS; do
    "$BIN" import "$DB" "$l" "$WORK/csv/$l.csv" --quiet
  done
  end=$(date +%s.%N)
  printf '导入耗时 %.1f 秒\n' "$(echo "$end - $start" | bc)"
fi
# the in-process timer, built against this build's library
PKGS="sqlite3 libpq jansson xlsxwriter libzip expat lua5.4 libargon2 libmicrohttpd freexl"
# shellcheck disable=SC2046
cc -std=c11 -D_GNU_SOURCE -O2 -Isrc $(pkg-config --cflags $PKGS) -o "$WORK/bench_rows" \
  bench/bench_rows.c "$BUILD/libtz.a" $(pkg-config --libs $PKGS) -lunistring -lm
sqlite3 "$DB" "SELECT 'households', COUNT(*) FROM households" | tr '|' ' '

python3 - "$BIN" "$DB" "$RUNS" "$WORK/bench_rows" <<'EOF'
import statistics, subprocess, sys, time
binary, db, runs, bench = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]

def whole(cmd, n):
    """Median milliseconds of a whole process (start-up, open, query, print)."""
    t = []
    subprocess.run(cmd, capture_output=True, check=True)  # warm the page cache
    for _ in range(n):
        s = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        t.append((time.perf_counter() - s) * 1000)
    return statistics.median(t)

print("\n进程内(tz_rows_page 等,含 COUNT(*) 总数),中位数毫秒:")
out = subprocess.run([bench, db, str(runs)], capture_output=True, text=True, check=True).stdout
print("| 情形 | 毫秒 | 返回行 | 总数 |\n|---|---:|---:|---:|")
for line in out.strip().splitlines():
    name, ms, rows, total = line.split("\t")
    print(f"| {name} | {float(ms):.2f} | {rows} | {total} |")

print("\n整个进程(同一数据库,同一次运行),中位数毫秒:")
print("| 命令 | 毫秒 |\n|---|---:|")
print(f"| `taizhang list DB households --limit 100` | {whole([binary, 'list', db, 'households', '--limit', '100'], runs):.1f} |")
print(f"| `taizhang list DB households --limit 100 --json` | {whole([binary, 'list', db, 'households', '--limit', '100', '--json'], runs):.1f} |")
print(f"| `taizhang --version` (启动) | {whole([binary, '--version'], runs):.1f} |")
EOF
