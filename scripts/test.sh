#!/usr/bin/env bash
# The whole test suite (README command 2): installs test dependencies, starts
# PostgreSQL, builds normally and under ASan+UBSan, and runs unit (cmocka) and
# black-box tests against both builds, the browser tests (tests/browser/run.sh,
# against the normal build), the fuzz harnesses, and the static
# gates (scripts/lint.sh: clang-format, clang-tidy, cppcheck, banned
# functions; each failing gate counts as one failure).
# Last line: "tests: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh --test || { echo "依赖安装失败"; exit 3; }
# PostgreSQL for the storage backend tests
if command -v pg_ctlcluster >/dev/null; then
  ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
  if ! pg_lsclusters -h | awk '{print $4}' | grep -q online; then
    pg_lsclusters -h | grep -q "^$ver main" || pg_createcluster "$ver" main >/dev/null
    pg_ctlcluster "$ver" main start
  fi
  su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='taizhang'\"" | grep -q 1 ||
    su postgres -c "psql -qc \"CREATE ROLE taizhang LOGIN SUPERUSER PASSWORD 'taizhang'\""
  su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='taizhang_test'\"" | grep -q 1 ||
    su postgres -c "createdb -O taizhang taizhang_test"
  export TZ_PG_URI="postgresql://taizhang:taizhang@127.0.0.1/taizhang_test"
fi
jobs=$(nproc)
make -j"$jobs" >/dev/null && make -j"$jobs" unit >/dev/null || { echo "构建失败"; make; exit 3; }
make -j"$jobs" SAN=1 unit >/dev/null || { echo "构建失败(sanitizer)"; make SAN=1 unit; exit 3; }
status=0
echo "== normal build"
BUILD=build bash tests/run.sh | tee /tmp/tz-test-normal.log || status=1
echo "== browser (tests/browser: playwright-core + chromium against build/taizhang serve, demo data)"
BUILD=build bash tests/browser/run.sh | tee /tmp/tz-test-browser.log || status=1
echo "== ASan + UBSan build"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
BUILD=build-san bash tests/run.sh | tee /tmp/tz-test-san.log || status=1
echo "== fuzz (libFuzzer harnesses: the committed crash inputs, then 30 s each, one per core; fuzz/README.md)"
fuzz_fail=0
bash scripts/fuzz.sh --replay || { fuzz_fail=1; status=1; }
FUZZ_JOBS=${FUZZ_JOBS:-$jobs} bash scripts/fuzz.sh "${TZ_FUZZ_SECONDS:-30}" || { fuzz_fail=1; status=1; }
echo "== lint (scripts/lint.sh: clang-format, clang-tidy, cppcheck, banned functions, function length)"
bash scripts/lint.sh | tee /tmp/tz-lint.log
lint_rc=${PIPESTATUS[0]}
# each gate is one test: passed when clean, failed with findings; a missing
# tool (exit 3) is one failure too
lint_pass=$(grep -cE '^lint (format|tidy|cppcheck|banned|length): ok ' /tmp/tz-lint.log)
lint_fail=$(grep -cE '^lint (format|tidy|cppcheck|banned|length): [0-9]+ ' /tmp/tz-lint.log)
[ "$lint_rc" -ne 0 ] && [ "$lint_fail" -eq 0 ] && lint_fail=1
[ "$lint_fail" -gt 0 ] && status=1
p1=$(tail -1 /tmp/tz-test-normal.log | sed -n 's/^tests: \([0-9]*\) passed, \([0-9]*\) failed/\1 \2/p')
p2=$(tail -1 /tmp/tz-test-san.log | sed -n 's/^tests: \([0-9]*\) passed, \([0-9]*\) failed/\1 \2/p')
p3=$(tail -1 /tmp/tz-test-browser.log | sed -n 's/^browser: \([0-9]*\) passed, \([0-9]*\) failed/\1 \2/p')
# a log without its summary line counts as one failure (and keeps the places)
set -- ${p1:-0 1} ${p2:-0 1} ${p3:-0 1}
total_pass=$(( ${1:-0} + ${3:-0} + ${5:-0} + lint_pass ))
total_fail=$(( ${2:-1} + ${4:-1} + ${6:-1} + fuzz_fail + lint_fail ))
echo "tests: $total_pass passed, $total_fail failed"
[ $status -eq 0 ] && [ $total_fail -eq 0 ]
