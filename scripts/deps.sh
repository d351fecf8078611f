#!/usr/bin/env bash
# Installs the Debian 12 packages Taizhang needs to build, test and run.
# Usage: scripts/deps.sh [--test] [--bench]   (--test adds what the test suite needs,
# --bench what bench/ needs: the sqlite3 shell, bc, openpyxl and GNU time for
# run.sh, and for bench_server.sh wrk, nginx and curl; the tests need none of them)
# The web app (web/) is built by make with Node.js and npm (npm ci, vite
# build); Debian's nodejs and npm are installed only when there is no npm on
# PATH (a NodeSource node bundles its own npm, which Debian's npm package
# would conflict with). zlib1g-dev: the server inflates the embedded files
# for a browser that does not take gzip. libxml2-dev: the HTML parser for
# ".xls" files that web systems export as HTML tables.
set -euo pipefail
BUILD_PKGS="build-essential pkg-config libsqlite3-dev libpq-dev libjansson-dev libxlsxwriter-dev libzip-dev libexpat1-dev liblua5.4-dev libargon2-dev libmicrohttpd-dev libfreexl-dev libunistring-dev zlib1g-dev libxml2-dev nettle-dev"
# clang + libclang-rt-14-dev (libclang_rt.fuzzer-x86_64.a): the libFuzzer harnesses (make fuzz)
# clang-format, clang-tidy, cppcheck (and perl, for the banned-function check): scripts/lint.sh
# chromium: the browser tests (playwright-core, from web/node_modules, drives it)
TEST_PKGS="strace libcmocka-dev postgresql libreoffice-writer-nogui poppler-utils fonts-noto-cjk unzip python3 clang libclang-rt-14-dev clang-format clang-tidy cppcheck perl chromium"
BENCH_PKGS="sqlite3 bc python3 python3-openpyxl time wrk nginx curl"
want="$BUILD_PKGS"
command -v npm >/dev/null || want="$want nodejs npm"
for a in "$@"; do
  case "$a" in
    --test) want="$want $TEST_PKGS" ;;
    --bench) want="$want $BENCH_PKGS" ;;
  esac
done
missing=""
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "安装依赖:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
