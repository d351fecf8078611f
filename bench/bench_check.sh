#!/usr/bin/env bash
# bench_check.sh - times `taizhang check` and indicator roll-ups on one large
# county (default 300 000 households), built by bench/gen_county.py and loaded
# through the real `taizhang import`, and reports each time as a ratio against
# peers measured in the same run (see bench/README.md):
#   - the same command reading the ledgers directly (TZ_METRICS_SUMMARY=0:
#     no summaries, the design before them), run alternately with it;
#   - one full pass over the household ledger by the sqlite3 shell;
#   - process start-up alone (`taizhang --version`).
# Measures only; it never fails on a slow result, and is not part of the
# test suite.
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
LEDGERS="regions units households culture_centers tv_installs aid_villages aid_cadres aid_inputs
         cultural_events targets populations"
export TAIZHANG_HOME=$PWD
mkdir -p "$WORK"
# a database from before the 户籍人口 ledger is rebuilt
if [ -s "$DB" ] && ! sqlite3 "$DB" "SELECT 1 FROM populations LIMIT 1" 2>/dev/null | grep -q 1; then
  rm -rf "$WORK/csv" "$DB" "$DB-wal" "$DB-shm"
fi
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
  printf '导入耗时 %.1f 秒(含每个文件导入后重建汇总表)\n' "$(echo "$end - $start" | bc)"
fi
sqlite3 "$DB" "SELECT 'households', COUNT(*) FROM households UNION ALL SELECT 'tv_installs', COUNT(*) FROM tv_installs UNION ALL SELECT 'villages', COUNT(*) FROM regions WHERE level = '村'" | tr '|' ' '

python3 - "$BIN" "$DB" "$RUNS" <<'EOF'
import os, statistics, subprocess, sys, time
binary, db, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
on = dict(os.environ)
off = dict(os.environ, TZ_METRICS_SUMMARY="0")

def once(cmd, env):
    s = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, env=env)
    t = (time.perf_counter() - s) * 1000
    if p.returncode not in (0, 1):
        sys.exit("%s 失败: %s" % (" ".join(cmd), p.stderr.decode()))
    return t, p.stdout

def median_pair(cmd, n):
    """The command with summaries and reading the ledgers, run alternately."""
    a, b = [], []
    once(cmd, on), once(cmd, off)  # warm the page cache
    for _ in range(n):
        a.append(once(cmd, on)[0])
        b.append(once(cmd, off)[0])
    return statistics.median(a), statistics.median(b)

def median(cmd, n, env=on, before=None):
    t = []
    once(cmd, env)
    for _ in range(n):
        if before:
            before()
        t.append(once(cmd, env)[0])
    return statistics.median(t)

def bump():
    subprocess.run(["sqlite3", db, "UPDATE tz_meta SET value = CAST(value AS INTEGER) + 1 "
                    "WHERE key = 'data_version'"], check=True)

T = ["--period", "2019"]
cases = [
    ("check 市(周口市)", ["check", db, "--region", "411600", *T]),
    ("check 县(全部目标与规则)", ["check", db, "--region", "411628", *T]),
    ("check 乡镇", ["check", db, "--region", "411628101", *T]),
    ("check 村", ["check", db, "--region", "411628101201", *T]),
    ("indicator 户户通安装户数 县", ["indicator", db, "户户通安装户数", "--region", "411628", *T]),
    ("indicator 户户通安装户数 村", ["indicator", db, "户户通安装户数", "--region", "411628101201", *T]),
    ("indicator 未脱贫户数 县 按乡镇", ["indicator", db, "未脱贫户数", "--region", "411628", *T, "--by", "township"]),
    ("indicator 贫困发生率 县 按村", ["indicator", db, "贫困发生率(%)", "--region", "411628", *T, "--by", "village"]),
    ("indicator 覆盖率 县", ["indicator", db, "村级文化服务中心覆盖率(%)", "--region", "411628", *T]),
]
print("%-30s %10s %10s %8s   (毫秒,中位数,%d次,两种交替运行)" % ("用例", "汇总表", "直接读台账", "倍数", runs))
county = None
for label, cmd in cases:
    a, b = median_pair([binary, *cmd], runs)
    if label.startswith("check 县"):
        county = a
    print("%-30s %10.1f %10.1f %7.1fx" % (label, a, b, b / a))
start = median([binary, "--version"], runs)
scan = median(["sqlite3", db, "SELECT COUNT(*), SUM(members) FROM households"], runs)
stale = median([binary, "check", db, "--region", "411628", *T], max(3, runs // 4), before=bump)
print()
print("同一次运行中的参照:")
print("%-44s %10.1f   县check为其 %.2f 倍" % ("进程启动(--version)", start, county / start))
print("%-44s %10.1f   县check为其 %.2f 倍" % ("sqlite3 读一遍建档立卡户台账(COUNT+SUM)", scan, county / scan))
print("%-44s %10.1f   为汇总表现成时的 %.1f 倍" % ("check 县, 数据版本已变(含重建汇总表)", stale, stale / county))
EOF
