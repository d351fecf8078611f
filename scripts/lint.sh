#!/usr/bin/env bash
# The static gates (issue 8; docs/decisions.md, "Static gates"), each of which
# must be clean:
#   format    clang-format --dry-run -Werror, committed .clang-format
#             (src/, tests/unit/, fuzz/)
#   tidy      clang-tidy, committed .clang-tidy (bugprone, cert,
#             clang-analyzer), over src/ with the Makefile's compile flags
#   cppcheck  cppcheck over src/; scripts/lint/cppcheck.cfg says what its
#             library files miss, scripts/lint/cppcheck.supp lists the false
#             positives
#   banned    functions we do not call (scripts/lint/banned.sh, as curl's
#             checksrc), over src/ and fuzz/
#   length    no function in src/ over 100 lines unless the comment above it
#             says why it stays long (scripts/lint/funclen.py)
# Usage: scripts/lint.sh [format] [tidy] [cppcheck] [banned] [length]   (default: all five)
# Prints each finding as "file:line: ..." (format: one line per file), then one line per gate,
# "lint GATE: ok (Ns)" or "lint GATE: N findings (Ns)", and last
# "lint: N gates failed". Exit 0 when all are clean, 1 when a gate has
# findings, 2 on a usage error, 3 when a tool is missing.
# LINT_JOBS sets the parallelism (default nproc). Work files: build-lint/.
set -uo pipefail
cd "$(dirname "$0")/.."
jobs=${LINT_JOBS:-$(nproc)}
out=build-lint
gates=("$@")
[ ${#gates[@]} -eq 0 ] && gates=(format tidy cppcheck banned length)
for g in "${gates[@]}"; do
  case "$g" in
    format|tidy|cppcheck|banned|length) ;;
    *) echo "用法: scripts/lint.sh [format] [tidy] [cppcheck] [banned] [length]" >&2; exit 2 ;;
  esac
done
tools=(perl)
for g in "${gates[@]}"; do
  case "$g" in
    format) tools+=(clang-format) ;;
    tidy) tools+=(clang-tidy python3) ;;
    length) tools+=(python3) ;;
    cppcheck) tools+=(cppcheck) ;;
  esac
done
for t in "${tools[@]}"; do
  command -v "$t" >/dev/null ||
    { echo "lint: 找不到 $t,请先运行 bash scripts/deps.sh --test" >&2; exit 3; }
done
mkdir -p "$out" || exit 3

# The Makefile's CFLAGS without -Werror, -O and -g (they do not change what
# the analysers see), read from make itself so the two cannot drift; printed
# as make holds them, quoted for the shell (-DTZ_VERSION='"0.1.0"').
cflags() {
  make -s --no-print-directory -f Makefile -f - print-lint-cflags <<'EOF'
print-lint-cflags:
	$(info $(filter-out -Werror -O% -g,$(CFLAGS)))
	@:
EOF
}
flags=$(cflags) || { echo "lint: 读不出 Makefile 的编译选项" >&2; exit 3; }

# Sources in a stable order, so findings are too.
src_c() { find src -name '*.c' | LC_ALL=C sort; }
fmt_files() { find src tests/unit fuzz -name '*.[ch]' | LC_ALL=C sort; }

# Each gate writes its findings, one per line, to $out/GATE.txt.

gate_format() {
  # clang-format reports every place that differs; one line per file says
  # how many (one `clang-format -i FILE` fixes them all)
  fmt_files | xargs -P "$jobs" -n 8 clang-format --dry-run -Werror > "$out/format.raw" 2>&1
  grep -E '^[^ ]+:[0-9]+:[0-9]+: error: code should be clang-formatted' "$out/format.raw" |
    cut -d: -f1,2 | LC_ALL=C sort -t: -k1,1 -k2,2n |
    awk -F: '{ n[$1]++; if (!($1 in first)) { first[$1] = $2; order[++k] = $1 } }
             END { for (i = 1; i <= k; i++) { f = order[i];
                   printf "%s:%s: clang-format: %d differences from .clang-format, the first here (clang-format -i %s)\n",
                          f, first[f], n[f], f } }' > "$out/format.txt"
  # anything else clang-format said (a bad .clang-format, an unreadable
  # file) is a finding too, never a silent pass
  grep -E '(^|: )(error|Error|YAML|Invalid|unknown)' "$out/format.raw" |
    grep -vE ': error: code should be clang-formatted' | sed 's/^/clang-format: /' >> "$out/format.txt"
}

# compile_commands.json: one entry per src/*.c with the Makefile's flags and
# scripts/lint/lua_noreturn.h (Lua's error functions do not return; lua.h
# does not say so).
compile_db() {
  src_c | python3 -c '
import json, shlex, sys
root, dest, flags = sys.argv[1], sys.argv[2], shlex.split(sys.argv[3])
db = [{"directory": root, "file": f,
       "arguments": ["cc"] + flags + ["-include", "scripts/lint/lua_noreturn.h", "-c", f]}
      for f in sys.stdin.read().split()]
json.dump(db, open(dest, "w"), indent=1)
' "$PWD" "$out/compile_commands.json" "$flags"
}

gate_tidy() {
  compile_db || { echo "lint: compile_commands.json 生成失败" >&2; exit 3; }
  rm -f "$out"/tidy-*.log
  # one clang-tidy per file, $jobs at a time; a warning in a header, found
  # from several files, counts once
  src_c | xargs -P "$jobs" -I{} sh -c \
    'clang-tidy --quiet -p "$1" "$2" > "$1/tidy-$(echo "$2" | tr / _).log" 2>&1; exit 0' _ "$out" {}
  # File-local helpers are named "_lower" (the house style, after
  # libxlsxwriter), which bugprone-reserved-identifier reports as "reserved
  # in the global namespace". Only that form is dropped: "_Upper" and "__x"
  # ("a reserved identifier") still count. docs/decisions.md says why.
  cat "$out"/tidy-*.log | grep -E '^/?[^ ]+:[0-9]+:[0-9]+: (warning|error):' |
    grep -vE "declaration uses identifier '_[a-z][A-Za-z0-9_]*', which is reserved in the global namespace" |
    sed -E "s|^$PWD/||" | LC_ALL=C sort -u | LC_ALL=C sort -s -t: -k1,1 -k2,2n -k3,3n > "$out/tidy.txt"
  # a file clang-tidy could not compile is a finding too (its errors are
  # among the lines above)
  cat "$out"/tidy-*.log | grep -h '^Error while processing' | sed 's/^/clang-tidy: /' >> "$out/tidy.txt"
  rm -f "$out"/tidy-*.log
}

gate_cppcheck() {
  local f inc=()
  eval "set -- $flags"
  for f in "$@"; do case "$f" in -I/usr*) ;; -I*|-D*) inc+=("$f") ;; esac; done
  # cppcheck defines __CPPCHECK__ only when given no -D: the lazily loaded
  # libraries' headers (store/pq.h ...) test it to show it plain calls
  inc+=(-D__CPPCHECK__)
  # --library=lua: luaL_error and lua_error do not return (cppcheck's lua.cfg)
  cppcheck -q -j "$jobs" --std=c11 --language=c --platform=unix64 "${inc[@]}" \
    --library=posix --library=gnu --library=lua --library=sqlite3 \
    --library=scripts/lint/cppcheck.cfg \
    --enable=style,warning,portability,performance --inline-suppr \
    --suppressions-list=scripts/lint/cppcheck.supp --error-exitcode=0 \
    --template='{file}:{line}: cppcheck {severity} [{id}]: {message}' \
    src 2> "$out/cppcheck.raw"
  grep -E '^[^ ]+:[0-9]+: cppcheck ' "$out/cppcheck.raw" |
    LC_ALL=C sort -u | LC_ALL=C sort -s -t: -k1,1 -k2,2n > "$out/cppcheck.txt"
  # anything else it printed (a bad suppression, a file it could not parse)
  grep -vE '^[^ ]+:[0-9]+: cppcheck |^$' "$out/cppcheck.raw" |
    grep -E '^[^ ]+:[0-9]+: |^cppcheck|error' | sed 's/^/cppcheck: /' >> "$out/cppcheck.txt"
}

gate_banned() {
  bash scripts/lint/banned.sh src fuzz > "$out/banned.txt"
}

gate_length() {
  src_c | xargs python3 scripts/lint/funclen.py > "$out/length.txt"
}

failed=0
summary=()
for g in "${gates[@]}"; do
  t0=$(date +%s)
  echo "== lint $g"
  "gate_$g"
  t=$(( $(date +%s) - t0 ))
  cat "$out/$g.txt"
  n=$(wc -l < "$out/$g.txt")
  if [ "$n" -eq 0 ]; then
    summary+=("lint $g: ok (${t}s)")
  else
    summary+=("lint $g: $n findings (${t}s)")
    failed=$((failed + 1))
  fi
done
printf '%s\n' "${summary[@]}"
echo "lint: $failed gates failed"
[ "$failed" -eq 0 ]
