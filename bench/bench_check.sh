#!/usr/bin/env bash
# bench_check.sh - times `taizhang check` and indicator roll-ups on one large
# county (default 300 000 households), built by bench/gen_county.py and loaded
# through the real `taizhang import`. Prints min / median / max wall time of
# the whole process (start-up and database open included). Measures only; it
# never fails on a slow result.
#
# Usage: bench/bench_check.sh [BIN] [HOUSEHOLDS]
#   BIN         taizhang binary (default build/taizhang)
#   HOUSEHOLDS  county size (default 300000)
#   TZ_BENCH_DIR  where the database is kept between runs (default /tmp/tz-bench-N)
#   TZ_BENCH_RUNS runs per measurement (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${1:-build/taizhang}")
N=${2:-300000}
WORK=${TZ_BENCH_DIR:-/tmp/tz-bench-$N}
RUNS=${TZ_BENCH_RUNS:-20}
DB=$WORK/county.db
export TAIZHANG_HOME=$PWD
mkdir -p "$WORK"
if [ ! -s "$DB" ]; then
  echo "生成 $N 户的县级台账 → $WORK"
  python3 bench/gen_county.py "$WORK/csv" --households "$N"
  rm -f "$DB" "$DB-wal" "$DB-shm"
  "$BIN" init "$DB" >/dev/null
  start=$(date +%s.%N)
  for l in regions units households culture_centers tv_installs aid_villages aid_cadres \
           aid_inputs cultural_events targets; do
    "$BIN" import "$DB" "$l" "$WORK/csv/$l.csv" --quiet
  done
  end=$(date +%s.%N)
  printf '导入耗时 %.1f 秒\n' "$(echo "$end - $start" | bc)"
fi
sqlite3 "$DB" "SELECT 'households', COUNT(*) FROM households UNION ALL SELECT 'tv_installs', COUNT(*) FROM tv_installs UNION ALL SELECT 'villages', COUNT(*) FROM regions WHERE level = '村'" | tr '|' ' '

python3 - "$BIN" "$DB" "$RUNS" <<'EOF'
import statistics, subprocess, sys, time
binary, db, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
cases = [
    ("check 县 全部目标与规则", ["check", db, "--region", "411628", "--period", "2019"]),
    ("check 乡镇", ["check", db, "--region", "411628101", "--period", "2019"]),
    ("indicator 户户通安装户数 县", ["indicator", db, "户户通安装户数", "--region", "411628", "--period", "2019"]),
    ("indicator 户户通安装户数 村", ["indicator", db, "户户通安装户数", "--region", "411628101201", "--period", "2019"]),
    ("indicator 未脱贫户数 县 按乡镇", ["indicator", db, "未脱贫户数", "--region", "411628", "--period", "2019", "--by", "township"]),
    ("indicator 覆盖率 县", ["indicator", db, "村级文化服务中心覆盖率(%)", "--region", "411628", "--period", "2019"]),
    ("version (进程启动开销)", ["--version"]),
]
print("%-34s %8s %8s %8s  (毫秒, %d次)" % ("用例", "最小", "中位", "最大", runs))
for label, args in cases:
    subprocess.run([binary, *args], capture_output=True)  # warm the page cache
    t = []
    for _ in range(runs):
        s = time.perf_counter()
        p = subprocess.run([binary, *args], capture_output=True)
        t.append((time.perf_counter() - s) * 1000)
        if p.returncode not in (0, 1):
            sys.exit("%s 失败: %s" % (label, p.stderr.decode()))
    print("%-34s %8.1f %8.1f %8.1f" % (label, min(t), statistics.median(t), max(t)))
EOF
