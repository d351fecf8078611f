#!/usr/bin/env bash
# README command 1: install what is missing, build (the web app embedded in
# build/taizhang), load the demo ledgers into out/demo.db, draft the two demo
# reports into out/, print the demo accounts, and serve the web app in the
# foreground until Ctrl-C. TZ_LISTEN sets the address (default
# 127.0.0.1:8080; 0.0.0.0:8080 opens it to the office network).
set -euo pipefail
cd "$(dirname "$0")/.."
listen=${TZ_LISTEN:-127.0.0.1:8080}
bash scripts/deps.sh
echo "== 构建(含网页前端,首次需下载前端依赖,约一两分钟)"
make -j"$(nproc)" >/dev/null
mkdir -p out
rm -f out/demo.db out/demo.db-wal out/demo.db-shm
build/taizhang demo out/demo.db >out/demo.log
echo "示例数据已导入 out/demo.db(导入明细见 out/demo.log)"
build/taizhang report out/demo.db --kind poverty-work --region 411628 --unit 县文化广电旅游局 --period 2019 -o out/精准扶贫工作汇报.docx >/dev/null
build/taizhang report out/demo.db --kind investment --region 411400 --period 2015-H1 -o out/开放招商工作情况.docx >/dev/null
echo "汇报材料已生成: out/精准扶贫工作汇报.docx out/开放招商工作情况.docx"
echo
# the accounts as `taizhang demo` lists them (one per role at every level)
accounts=$(sed -n '/^示例账户/,$p' out/demo.log)
if [ -n "$accounts" ]; then
  printf '%s\n' "$accounts"
else
  echo "示例账户(初始密码均为 taizhang-demo):"
  build/taizhang user list out/demo.db
fi
host=${listen%:*}
port=${listen##*:}
case "$host" in
  0.0.0.0 | "[::]") shown="127.0.0.1" ;;
  *) shown=$host ;;
esac
echo
echo "== 台账网页: http://$shown:$port/ (用上表任一账户登录;按 Ctrl-C 停止服务)"
exec build/taizhang serve out/demo.db --listen "$listen"
