#!/usr/bin/env bash
# Runs the whole test suite against $BUILD (default build/):
#   1. every cmocka unit test binary in $BUILD/tests/
#   2. every black-box test module tests/blackbox/test_*.py (real binary, real files)
# Ends with one summary line: "tests: N passed, M failed".
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export TZ_BIN="$PWD/$BUILD/taizhang"
export TAIZHANG_HOME="$PWD"
pass=0; fail=0; failed_names=()
for t in "$BUILD"/tests/test_*; do
  [ -x "$t" ] || continue
  name=$(basename "$t")
  out=$("$t" 2>&1); rc=$?
  n_ok=$(printf '%s\n' "$out" | grep -c '^\[       OK \]')
  n_bad=$(printf '%s\n' "$out" | grep -c '^\[  FAILED  \] [a-z_]')
  n_bad=$(( n_bad > 0 ? n_bad : 0 ))
  if [ $rc -ne 0 ] && [ "$n_bad" -eq 0 ]; then n_bad=1; fi
  pass=$((pass + n_ok)); fail=$((fail + n_bad))
  if [ $rc -ne 0 ]; then failed_names+=("$name"); printf '%s\n' "$out" | tail -30; fi
  echo "unit $name: $n_ok passed, $n_bad failed"
done
bb_out=$(python3 tests/blackbox/runner.py 2>&1); bb_rc=$?
printf '%s\n' "$bb_out" | grep -v '^blackbox-summary' 
line=$(printf '%s\n' "$bb_out" | grep '^blackbox-summary' | tail -1)
bp=$(echo "$line" | awk '{print $2}'); bf=$(echo "$line" | awk '{print $3}')
bp=${bp:-0}; bf=${bf:-1}
[ $bb_rc -ne 0 ] && [ "$bf" -eq 0 ] && bf=1
pass=$((pass + bp)); fail=$((fail + bf))
[ $bb_rc -ne 0 ] && failed_names+=("blackbox")
[ ${#failed_names[@]} -gt 0 ] && echo "failed: ${failed_names[*]}"
echo "tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
