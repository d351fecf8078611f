#!/usr/bin/env bash
# test_docx_pdf.sh - opens the sample report .docx in LibreOffice and checks
# the PDF a reader would print: it converts, shows the title, has 28
# characters a line and 22 lines a page, and puts "— N —" under the text
# area, on the right of odd pages and the left of even pages.
#
# The sample comes from the unit test binary (tests/unit/test_doc.c), which
# writes sample.docx/.md/.html when TZ_DOC_KEEP_DIR is set. Build it first:
#   make BUILD=build build/tests/test_doc
# Usage: BUILD=build bash tests/blackbox/test_docx_pdf.sh   (prints PASS or FAIL lines)
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD="$PWD/$BUILD" ;; esac
UNIT="$BUILD/tests/test_doc"

fail() { echo "FAIL test_docx_pdf: $*"; exit 1; }

[ -x "$UNIT" ] || fail "缺少 $UNIT（先运行 make BUILD=... $UNIT）"
command -v soffice >/dev/null || fail "未安装 LibreOffice (soffice)"
command -v pdftotext >/dev/null || fail "未安装 poppler-utils (pdftotext)"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/tz-docx-pdf-XXXXXX")
trap 'rm -rf "$TMP"' EXIT

TZ_DOC_KEEP_DIR="$TMP" "$UNIT" >"$TMP/unit.log" 2>&1 || { tail -20 "$TMP/unit.log"; fail "单元测试失败"; }
[ -s "$TMP/sample.docx" ] || fail "单元测试没有写出 sample.docx"

# A private LibreOffice profile, so that parallel runs do not share a lock.
timeout 300 soffice -env:UserInstallation="file://$TMP/lo-profile" --headless \
    --convert-to pdf --outdir "$TMP" "$TMP/sample.docx" >"$TMP/soffice.log" 2>&1 \
    || { cat "$TMP/soffice.log"; fail "LibreOffice 转换失败"; }
[ -s "$TMP/sample.pdf" ] || { cat "$TMP/soffice.log"; fail "LibreOffice 没有生成 PDF"; }

pdftotext "$TMP/sample.pdf" "$TMP/sample.txt" || fail "pdftotext 失败"
pdftotext -bbox "$TMP/sample.pdf" "$TMP/sample.bbox.html" || fail "pdftotext -bbox 失败"
pdftoppm -png -r 60 -f 1 -l 1 "$TMP/sample.pdf" "$TMP/page" || fail "pdftoppm 失败"
ls "$TMP"/page*.png >/dev/null 2>&1 || fail "pdftoppm 没有生成图片"

python3 - "$TMP/sample.txt" "$TMP/sample.bbox.html" <<'EOF' || exit 1
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
bbox = open(sys.argv[2], encoding="utf-8").read()
errors = []

flat = re.sub(r"\s+", "", text)
if "关于2019年精准扶贫工作情况的汇报" not in flat:
    errors.append("PDF 中找不到标题")

# 28 characters a line: a full line of the repeated body paragraph.
lines = [l.strip() for l in text.splitlines()]
if "切实发挥职能作用，认真组织实施了全县行政村综合性文化服务" not in lines:
    errors.append("正文每行不是28个字")

# Pages: words with their boxes (points; A4 is 595.3 x 841.9).
pages = []
for page in re.findall(r"<page [^>]*>(.*?)</page>", bbox, re.S):
    words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page)]
    pages.append(words)
if len(pages) < 3:
    errors.append(f"样例只有{len(pages)}页，应不少于3页")

TEXT_BOTTOM = 841.89 - 35 / 25.4 * 72  # bottom edge of the text area
TEXT_TOP = 37 / 25.4 * 72
MID = 595.3 / 2
for i, words in enumerate(pages[:4]):
    n = str(i + 1)
    found = None
    for k in range(len(words) - 2):
        if words[k][4] == "—" and words[k + 1][4] == n and words[k + 2][4] == "—":
            found = words[k:k + 3]
    if not found:
        errors.append(f"第{n}页没有页码“— {n} —”")
        continue
    if found[0][1] < TEXT_BOTTOM:
        errors.append(f"第{n}页页码不在版心下方")
    gap_ok = found[1][0] - found[0][2] > 1 and found[2][0] - found[1][2] > 1
    if not gap_ok:
        errors.append(f"第{n}页页码与一字线之间没有空格")
    odd = (i + 1) % 2 == 1
    if odd and found[2][2] < MID or not odd and found[0][0] > MID:
        errors.append(f"第{n}页页码位置错误（单页应居右，双页应居左）")

# 22 lines a page: a page of body text only (every line one pitch of
# 225 mm / 22 = 28.95 pt below the last) holds 22 lines.
most = 0
for words in pages:
    ys = sorted((w[1] + w[3]) / 2 for w in words if TEXT_TOP - 5 < w[1] and w[3] < TEXT_BOTTOM + 5)
    rows = [y for k, y in enumerate(ys) if k == 0 or y - ys[k - 1] > 8]
    gaps = [b - a for a, b in zip(rows, rows[1:])]
    if gaps and all(27.5 < g < 30.5 for g in gaps):
        most = max(most, len(rows))
if most != 22:
    errors.append(f"整页正文的行数为{most}，应为22行")

for e in errors:
    print("FAIL test_docx_pdf:", e)
if errors:
    sys.exit(1)
print("PASS test_docx_pdf: 标题、每行28字、每页22行、单双页页码均正确")
EOF
