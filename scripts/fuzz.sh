#!/usr/bin/env bash
# Builds the libFuzzer harnesses (fuzz/, `make FUZZ=1 fuzz-build`, clang, into
# build-fuzz/) and runs each one for SECONDS (default 30) from its seed corpus
# fuzz/corpus/<name>/, within 1 GB of memory and 30 s per input. New inputs
# go to build-fuzz/corpus/<name>/ (kept between runs), crash inputs to
# build-fuzz/crashes/<name>/. Exits 1 when any harness found a crash, leak,
# timeout or memory blow-up, printing the path of each input that did it.
#
# Usage: scripts/fuzz.sh [SECONDS] [HARNESS...]   HARNESS: csv xlsx xlsx_parts xls html xmlss value numword
#        scripts/fuzz.sh --replay [HARNESS...]    run each harness once over the
#          committed crash inputs fuzz/crashes/<name>/*; exit 1 if any still fails
# Environment: FUZZ_JOBS=N runs N harnesses at a time (default 1).
set -uo pipefail
cd "$(dirname "$0")/.."
replay=0
if [ "${1:-}" = "--replay" ]; then
  replay=1; shift
  secs=0
else
  secs=${1:-30}; [ $# -gt 0 ] && shift
  case "$secs" in ''|*[!0-9]*) echo "用法: scripts/fuzz.sh [秒数] [harness...] | --replay [harness...]" >&2; exit 2 ;; esac
fi
all="csv xlsx xlsx_parts xls html xmlss value numword"
names=${*:-$all}
for n in $names; do
  case " $all " in *" $n "*) ;; *) echo "未知的fuzz harness: $n(可选: $all)" >&2; exit 2 ;; esac
done

if ! command -v clang >/dev/null; then
  echo "缺少clang,请先运行 scripts/deps.sh --test" >&2; exit 3
fi
mkdir -p build-fuzz/logs
if ! make -s FUZZ=1 -j"$(nproc)" fuzz-build >build-fuzz/logs/build.log 2>&1; then
  cat build-fuzz/logs/build.log; echo "fuzz构建失败" >&2; exit 3
fi

# LeakSanitizer on, UBSan stops at the first report (the build also says so).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# The reader harnesses write each input into a scratch folder under $TMPDIR;
# one that crashes cannot remove its own, so they all live here.
export TMPDIR="$PWD/build-fuzz/tmp"
rm -rf "$TMPDIR"; mkdir -p "$TMPDIR"
trap 'rm -rf "$TMPDIR"' EXIT

status=0
if [ $replay -eq 1 ]; then
  for n in $names; do
    dir=fuzz/crashes/$n
    [ -d "$dir" ] || continue
    for f in "$dir"/*; do
      [ -f "$f" ] || continue
      case "$f" in *.txt|*.md) continue ;; esac
      if build-fuzz/fuzz/fuzz_$n -runs=1 -rss_limit_mb=1024 -timeout=30 "$f" \
           >"build-fuzz/logs/replay-$n-$(basename "$f").log" 2>&1; then
        echo "fuzz replay $n: $f ok"
      else
        echo "fuzz replay $n: $f 仍然失败(日志: build-fuzz/logs/replay-$n-$(basename "$f").log)"
        status=1
      fi
    done
  done
  exit $status
fi

# Runs harness $1 for $secs seconds; prints one summary line; returns 1 on a finding.
run_one() {
  local n=$1 bin=build-fuzz/fuzz/fuzz_$1
  local work=build-fuzz/corpus/$n art=build-fuzz/crashes/$n/ log=build-fuzz/logs/$n.log
  mkdir -p "$work" "$art"
  local before
  before=$(ls "$art" | wc -l)
  "$bin" -max_total_time="$secs" -rss_limit_mb=1024 -timeout=30 -print_final_stats=1 \
    -artifact_prefix="$art" "$work" "fuzz/corpus/$n" >"$log" 2>&1
  local rc=$?
  local runs cov
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | awk '{print $2}')
  if [ $rc -eq 0 ]; then
    echo "fuzz $n: ${secs}s, ${runs:-?} inputs, coverage ${cov:-?}, no crash"
    return 0
  fi
  echo "fuzz $n: 发现问题 (libFuzzer exit $rc), log: $log"
  grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|tz-fuzz:|ALARM|==[0-9]+== ERROR: libFuzzer)' "$log" | head -5 | sed 's/^/    /'
  grep -o 'Test unit written to .*' "$log" | sed 's/^Test unit written to /    crash input: /'
  local after
  after=$(ls "$art" | wc -l)
  [ "$after" -gt "$before" ] || echo "    (no new input under $art; see the log)"
  return 1
}

jobs=${FUZZ_JOBS:-1}
if [ "$jobs" -le 1 ]; then
  for n in $names; do run_one "$n" || status=1; done
else
  pids=()
  for n in $names; do
    run_one "$n" >"build-fuzz/logs/$n.summary" &
    pids+=($!)
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do sleep 1; done
  done
  for p in "${pids[@]}"; do wait "$p" || status=1; done
  for n in $names; do cat "build-fuzz/logs/$n.summary"; done
fi
[ $status -eq 0 ] && echo "fuzz: no crash" || echo "fuzz: 有harness发现问题,见上面的crash input"
exit $status
