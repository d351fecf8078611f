#!/usr/bin/env bash
# The browser tests (tests/browser/*.test.mjs, README "Tests"): playwright-core
# (web/node_modules, pinned by web/package-lock.json) drives Debian's chromium
# against `$BUILD/taizhang serve` on copies of the demo database, in one
# browser with a new context per test. Screenshots go to out/screenshots/.
# TZ_BROWSER_ONLY=login,import runs only those files.
# Last line: "browser: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
export TZ_BIN=${TZ_BIN:-$PWD/$BUILD/taizhang}
chromium=${TZ_CHROMIUM:-/usr/bin/chromium}
if [ ! -d web/node_modules/playwright-core ] && command -v npm >/dev/null; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
missing=""
command -v node >/dev/null || missing="$missing node(nodejs)"
[ -x "$chromium" ] || missing="$missing $chromium(chromium)"
[ -d web/node_modules/playwright-core ] || missing="$missing web/node_modules/playwright-core(cd web && npm ci)"
[ -x "$TZ_BIN" ] || missing="$missing $TZ_BIN(make)"
if [ -n "$missing" ]; then
  echo "浏览器测试无法运行,缺少:$missing(scripts/deps.sh --test 安装依赖)"
  echo "browser: 0 passed, 1 failed"
  exit 1
fi
tap=$(mktemp)
trap 'rm -f "$tap"' EXIT
node --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" tests/browser/run.mjs
rc=$?
count() { sed -n "s/^# $1 \([0-9]*\)$/\1/p" "$tap" | tail -1; }
pass=$(count pass); fail=$(count fail); cancelled=$(count cancelled)
pass=${pass:-0}; fail=$(( ${fail:-0} + ${cancelled:-0} ))
[ $rc -ne 0 ] && [ "$fail" -eq 0 ] && fail=1
echo "browser: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
