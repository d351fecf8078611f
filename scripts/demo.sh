#!/usr/bin/env bash
# README command 1: install what is missing, build, and run the main job on the
# demo data with the embedded SQLite default. Until the web app exists, the
# main job loads the demo ledgers, checks every target, and drafts the demo
# reports into out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
make -j"$(nproc)" >/dev/null
mkdir -p out
rm -f out/demo.db out/demo.db-wal out/demo.db-shm
build/taizhang demo out/demo.db
# check exits 1 when a target or rule fails, which the demo data shows on purpose
echo "== 目标考核: 鹿邑县 2019"
build/taizhang check out/demo.db --region 411628 --period 2019 || [ $? -eq 1 ]
echo "== 目标考核: 商丘市 2015年上半年"
build/taizhang check out/demo.db --region 411400 --period 2015-H1 || [ $? -eq 1 ]
build/taizhang report out/demo.db --kind poverty-work --region 411628 --unit 县文化广电旅游局 --period 2019 -o out/精准扶贫工作汇报.docx
build/taizhang report out/demo.db --kind investment --region 411400 --period 2015-H1 -o out/开放招商工作情况.docx
echo "汇报材料已生成: out/精准扶贫工作汇报.docx out/开放招商工作情况.docx"
echo "HTTP 接口: build/taizhang serve out/demo.db (http://127.0.0.1:8080/,账户见上表;接口说明 docs/api.md)"
