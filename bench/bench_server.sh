#!/usr/bin/env bash
# bench_server.sh - load on `taizhang serve` over loopback with wrk (Debian),
# mixed reads and writes as one logged-in 填报 account of the demo county,
# then counts afterwards: errors (non-2xx answers other than 409, and socket
# errors) and lost writes (the bench rows' versions in the database against
# the writes wrk saw answered 2xx). In the same run, nginx (Debian) serves a
# static file of the average API answer's size under the same load, as the
# peer: both requests/second and their ratio are printed (see
# bench/README.md). Measures only; it never fails on a slow result, and is
# not part of the test suite. It does exit 1 when it counts an error or a
# lost write: those are wrong answers, not slowness.
#
# Usage: bench/bench_server.sh [BIN]
#   BIN                taizhang binary (default build/taizhang, built first)
#   TZ_BENCH_DURATION  wrk duration of each run (default 60s; e.g. 5s for a quick try)
#   TZ_BENCH_CONNS     connections (default 200), TZ_BENCH_THREADS wrk threads (default 2)
#   TZ_BENCH_DIR       work folder (default /tmp/tz-bench-server; rebuilt every run)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
if [ $# -eq 0 ]; then
  make -j"$(nproc)" >/dev/null
fi
BIN=$(realpath "${1:-build/taizhang}")
DUR=${TZ_BENCH_DURATION:-60s}
CONNS=${TZ_BENCH_CONNS:-200}
THREADS=${TZ_BENCH_THREADS:-2}
WORK=${TZ_BENCH_DIR:-/tmp/tz-bench-server}
PER_THREAD=150          # bench rows each wrk thread owns (more than its connections' share)
PREFIX=41162894         # their 户编号 without the last 5 digits
PASSWORD='bench-Pa55word'
export TAIZHANG_HOME=$ROOT
for tool in wrk nginx curl sqlite3 python3; do
  command -v "$tool" >/dev/null || { echo "缺少 $tool: 请运行 scripts/deps.sh --bench" >&2; exit 3; }
done
NGINX=$(command -v nginx)

rm -rf "$WORK"
mkdir -p "$WORK/www" "$WORK/nginx"
DB=$WORK/demo.db
"$BIN" demo "$DB" --quiet
echo "$PASSWORD" | "$BIN" user add "$DB" bench --role 填报 --region 411628000000 >/dev/null
# the bench rows: THREADS x PER_THREAD households of one village, version 1
python3 - "$WORK/bench_rows.csv" "$((THREADS * PER_THREAD))" "$PREFIX" <<'EOF'
import csv, sys
path, n, prefix = sys.argv[1], int(sys.argv[2]), sys.argv[3]
w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
with open("examples/county/households.csv", encoding="utf-8-sig", newline="") as f:
    taken = {r["户主身份证号"] for r in csv.DictReader(f)}
def ids():
    seq = 0
    while True:
        body = f"411628196001{seq // 1000 + 1:02d}{seq % 1000:03d}"
        seq += 1
        idno = body + "10X98765432"[sum(int(c) * k for c, k in zip(body, w)) % 11]
        if idno not in taken:  # one person is one household
            yield idno
gen = ids()
with open(path, "w", encoding="utf-8", newline="") as f:
    out = csv.writer(f)
    out.writerow(["户编号", "户主姓名", "户主身份证号", "所在村代码", "家庭人口", "贫困户属性", "主要致贫原因",
                  "识别年度", "脱贫年度", "人均纯收入(元)", "义务教育保障", "基本医疗保障", "住房安全保障",
                  "饮水安全保障", "帮扶责任人"])
    for i in range(n):
        idno = next(gen)
        out.writerow([f"{prefix}{i:05d}", f"压测{i}", idno, "411628001201", "2", "一般贫困户", "因病",
                      "2016", "", "1000", "是", "是", "是", "是", "压测"])
EOF
"$BIN" import "$DB" households "$WORK/bench_rows.csv" --quiet

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
"$BIN" serve "$DB" --listen "127.0.0.1:$PORT" --quiet >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVE_PID=$!
NGINX_PID=""
cleanup() {
  [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null || true
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 600); do
  grep -q "台账服务已启动" "$WORK/serve.out" 2>/dev/null && break
  kill -0 "$SERVE_PID" 2>/dev/null || { cat "$WORK/serve.err" >&2; exit 3; }
  sleep 0.1
done
BASE="http://127.0.0.1:$PORT"
LOGIN=$(curl -s -c "$WORK/cookies" -H 'Content-Type: application/json' \
  -d "{\"username\":\"bench\",\"password\":\"$PASSWORD\"}" "$BASE/api/login")
CSRF=$(printf '%s' "$LOGIN" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf"])')
COOKIE=$(awk '$6 == "tz_session" {print $7}' "$WORK/cookies")
[ -n "$COOKIE" ] && [ -n "$CSRF" ] || { echo "登录失败: $LOGIN" >&2; exit 3; }

echo "== taizhang serve: wrk -t$THREADS -c$CONNS -d$DUR (mixed: 60% rows pages, 15% check, 15% indicator, 10% row changes)"
TZ_COOKIE=$COOKIE TZ_CSRF=$CSRF TZ_ROWS_PER_THREAD=$PER_THREAD TZ_ROW_PREFIX=$PREFIX \
  wrk -t"$THREADS" -c"$CONNS" -d"$DUR" --timeout 10s --latency -s bench/server_mixed.lua "$BASE/" \
  | tee "$WORK/wrk-server.txt"
kill "$SERVE_PID"
wait "$SERVE_PID" || { echo "taizhang serve 退出状态非零" >&2; exit 1; }
SERVE_PID=""
line=$(grep '^TZBENCH' "$WORK/wrk-server.txt")
val() { printf '%s\n' "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
REQS=$(val requests); W2=$(val writes2xx); R2=$(val reads2xx); C409=$(val c409)
OTHER=$(val other); SOCK=$(val sockerr); BYTES=$(val bytes); INFL=$(val inflight)
RPS=$(awk '/^Requests\/sec/ {print $2}' "$WORK/wrk-server.txt")
# afterwards, in the database: every 2xx change bumped one bench row's version once
DBW=$(sqlite3 "$DB" "SELECT COALESCE(SUM(tz_version - 1), 0) FROM households WHERE hh_id LIKE '${PREFIX}%'")
# in-flight changes when wrk stopped may or may not have been applied:
# W2 <= DBW <= W2 + INFL, else a write was lost (or one counted twice)
LOST=0
[ "$DBW" -lt "$W2" ] && LOST=$((W2 - DBW))
EXTRA=0
[ "$DBW" -gt $((W2 + INFL)) ] && EXTRA=$((DBW - W2 - INFL))
AVG=$((BYTES / (REQS > 0 ? REQS : 1)))

# the peer: nginx serving a static file of the average answer's size
head -c "$AVG" /dev/zero | tr '\0' 'x' >"$WORK/www/answer.json"
NPORT=$(free_port)
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes $(nproc);
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
  default_type application/json;
  server { listen 127.0.0.1:$NPORT; root $WORK/www; }
}
EOF
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
NGINX_PID=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$NPORT/answer.json" >/dev/null && break
  sleep 0.1
done
echo "== nginx $("$NGINX" -v 2>&1 | sed 's/.*\///'): a static file of $AVG bytes, wrk -t$THREADS -c$CONNS -d$DUR"
wrk -t"$THREADS" -c"$CONNS" -d"$DUR" --timeout 10s --latency "http://127.0.0.1:$NPORT/answer.json" \
  | tee "$WORK/wrk-nginx.txt"
kill "$NGINX_PID"; wait "$NGINX_PID" 2>/dev/null || true; NGINX_PID=""
NRPS=$(awk '/^Requests\/sec/ {print $2}' "$WORK/wrk-nginx.txt")
NERR=$(awk '/Socket errors|Non-2xx/ {print}' "$WORK/wrk-nginx.txt")

echo
echo "== 结果 ($(date -u +%F), $(nproc) 核, SQLite, $DUR, $CONNS 连接)"
echo "taizhang serve: $RPS 请求/秒 ($REQS 个请求: 读 2xx $R2, 写 2xx $W2, 409 $C409, 其他非2xx $OTHER, 套接字错误 $SOCK)"
echo "写入核对: wrk 计得 2xx 写入 $W2 次(另有 $INFL 次在时限到时未获应答), 数据库中压测行版本增量合计 $DBW 次, 丢失 $LOST, 多出 $EXTRA"
echo "nginx 静态文件 ($AVG 字节): $NRPS 请求/秒 ${NERR:+($NERR)}"
awk -v a="$RPS" -v b="$NRPS" 'BEGIN { if (b > 0) printf "比值 taizhang/nginx: %.3f\n", a / b }'
status=0
[ "$OTHER" -eq 0 ] && [ "$SOCK" -eq 0 ] || { echo "有错误: 其他非2xx $OTHER, 套接字错误 $SOCK" >&2; status=1; }
[ "$LOST" -eq 0 ] && [ "$EXTRA" -eq 0 ] || { echo "写入丢失 $LOST, 多出 $EXTRA" >&2; status=1; }
[ "$C409" -eq 0 ] || echo "注: $C409 个 409(版本过期)是正确的应答,不算错误;本脚本的写入本不应冲突,请查看原因"
exit $status
