"""Checks a drafted report's provenance (issue 11, item 8): every number
printed in the body of a Markdown report drafted with --appendix, in
paragraphs and table cells, carries a figure link [text](#Fn) whose 附件
entry exists and whose 计算值 is the number as printed.

Left out as not figures: the title and the subtitle's date; the appendix
itself; section ordinals (一、 （二） 1.); dates and years (2019年,
2015年1至6月, 6月底, 2018、2019年, 18、19年, 2015-06-30); labels of tables,
charts and figures (表2, 图1, F12, 第三); the bounds of a category named in
the text (3亿元以上项目, 1000平方米以上); a lone 一 before a measure word
(一项工作); the header rows of tables; the data tables under a chart
caption (图N), whose values the chart shows.

Use: problems(md_text) -> list of Chinese/English descriptions (empty when
every number has its entry); or assert_provenance(testcase, path).
"""
import re

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUM = "[零〇一二两三四五六七八九十百千]"
# measure words after a Chinese numeral that make it a count ("两个乡")
MEASURES = "个户人名家项场次所座村乡镇倍成批期条处间台辆套亩"

LINK = re.compile(r"\[([^\]]*)\]\(#(F\d+)\)")
ARABIC = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
DATES = [
    re.compile(r"(?:\d{4}|\d{2}(?=[、年]))(?:、\d{2,4})*年(?:\d{1,2}(?:至\d{1,2})?月(?:\d{1,2}日)?)?"),
    re.compile(r"\d{1,2}(?:至\d{1,2})?月(?:\d{1,2}日|底|份|末)?"),
    re.compile(r"\d{4}-\d{2}(?:-\d{2})?"),
]
# the bounds of a category named in the text ("3亿元以上项目", "1000平方米以上的")
BOUNDS = re.compile(r"\d+(?:\.\d+)?(?:万|亿)?(?:元|美元|平方米|米|人|户)?(?:以上|以下)")
LABELS = re.compile(r"(?:表|图|附件|附表|F)\d+|第" + r"(?:\d+|" + CN_NUM + "+)")
ORDINAL = re.compile(r"^\s*(?:[-*]\s+)?(?:#+\s*)?(?:" + CN_NUM + r"+、|（" + CN_NUM +
                     r"+）|\d+(?:\\?[.．](?!\d)|、)|（\d+）)")  # "1\." is Markdown's escaped "1."
CN_COUNT = re.compile(r"(?:" + CN_NUM + r"+分之" + CN_NUM + r"+|一半|" + CN_NUM + "+(?:万|亿)?(?:多|余)?(?=[" +
                      MEASURES + "]))")
FULLWIDTH = str.maketrans("０１２３４５６７８９．％－", "0123456789.%-")


def cn_int(s):
    """Value of a Chinese numeral ("一百零五", "两千", "十二"), or None."""
    total, section, cur = 0, 0, None
    for ch in s:
        if ch in CN_DIGITS:
            cur = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            section += (cur if cur is not None else 1) * CN_UNITS[ch]
            cur = None
        elif ch == "万" or ch == "亿":
            section += cur or 0
            total = (total + section) * (10000 if ch == "万" else 100000000)
            section, cur = 0, None
        else:
            return None
    return total + section + (cur or 0)


def number_in(text):
    """The first number written in text, as (value, exact_text), with 万/亿
    applied, a fraction as its value, a percentage as written; or None."""
    t = text.translate(FULLWIDTH)
    m = re.search(r"(" + CN_NUM + r"+)分之(" + CN_NUM + r"+)", t)
    if m:
        den, num = cn_int(m.group(1)), cn_int(m.group(2))
        if den and num is not None:
            return num / den, m.group(0)
    if "一半" in t:
        return 0.5, "一半"
    m = re.search(r"(-?\d[\d,]*(?:\.\d+)?)(多|余)?(万|亿)?", t)
    if m:
        v = float(m.group(1).replace(",", ""))
        v *= {"万": 1e4, "亿": 1e8}.get(m.group(3), 1)
        return v, m.group(0)
    m = re.search(r"(" + CN_NUM + r"+)(多|余)?(万|亿)?|(万|亿)(多|余)", t)
    if not m:
        return None
    base = cn_int(m.group(1)) if m.group(1) else 1
    if base is None:
        return None
    scale = m.group(3) if m.group(1) else m.group(4)
    return base * {"万": 1e4, "亿": 1e8}.get(scale, 1), m.group(0)


def split_body(md):
    """(body lines, appendix text): the body, with the template's own
    attachments (附件1 … before 数据来源: their tables' numbers are checked
    too), ends at the label of the 数据来源 attachment."""
    lines = md.split("\n")
    label = re.compile(r"^\s*(?:\*\*)?附件\d*(?:\*\*)?\s*$")
    for i, line in enumerate(lines):
        if line.startswith("## 数据来源"):
            j = i
            while j > 0 and not label.match(lines[j]) and i - j < 4:
                j -= 1
            k = j if label.match(lines[j]) else i
            return lines[:k], "\n".join(lines[k:])
    for i, line in enumerate(lines):
        if label.match(line):
            return lines[:i], "\n".join(lines[i:])
    return lines, ""


def entries(appendix):
    """{Fn: entry text} from the appendix's anchors."""
    out = {}
    for m in re.finditer(r'id="(F\d+)"[^>]*>(?:</a>)?(.*)', appendix):
        out[m.group(1)] = m.group(2)
    return out


def entry_value(entry):
    """The 计算值 written in an entry (up to ；，（ or 。), or None."""
    m = re.search(r"计算值：([^；，（。]*)", entry)
    return m.group(1) if m else None


def _strip_non_figures(text, first_in_line):
    """text with dates, ordinals and labels blanked out."""
    if first_in_line:
        text = ORDINAL.sub(" ", text, count=1)
    for rx in DATES:
        text = rx.sub(" ", text)
    text = BOUNDS.sub(" ", text)
    return LABELS.sub(" ", text)


def unlinked(text, first_in_line=True):
    """Numbers in text outside figure links."""
    bare = LINK.sub(" ", text)
    bare = _strip_non_figures(bare.translate(FULLWIDTH), first_in_line)
    found = [m.group(0) for m in ARABIC.finditer(bare)]
    found += [m.group(0) for m in CN_COUNT.finditer(bare) if not _idiom(bare, m)]
    return found


def _idiom(text, m):
    """A Chinese numeral that is a word, not a count: 一批 is excluded by the
    measure list; 第一, 之一, 统一, 进一步, 一是 and the like are left here."""
    before = text[max(0, m.start() - 1):m.start()]
    # a lone 一 before a measure word is a word ("一项工作", "一批项目"), not a figure
    return before in ("第", "统", "唯", "逐", "之") or m.group(0) == "一"


def _same(a, b):
    return a is not None and b is not None and abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def problems(md):
    """Every number of the body without a figure link, and every link whose
    entry is missing or whose 计算值 is not the number printed."""
    body, appendix = split_body(md)
    ents = entries(appendix)
    out = []
    in_chart = False
    for n, line in enumerate(body, 1):
        s = line.strip()
        if n == 1 or s.startswith("# "):
            continue  # the title: its dates name the report
        if re.match(r"^(?:附件：|　+)\d+．", s):
            continue  # the 附件说明's item numbers ("附件：1．…", "　　　2．…")
        if re.match(r"^\*\*图\d+", s):
            in_chart = True
            continue
        if s.startswith("|"):
            if in_chart or set(s) <= set("|-: "):
                continue
            cells = [c.strip() for c in s.strip("|").split("|")]
            if n + 1 <= len(body) and set(body[n].strip()) <= set("|-: ") and body[n].strip():
                continue  # the header row
            for k, cell in enumerate(cells, 1):
                for num in unlinked(cell, first_in_line=False):
                    out.append("第%d行表格第%d列的数字“%s”没有来源链接: %s" % (n, k, num, cell))
        elif s:  # a blank line between a chart's caption and its data table keeps it a chart's
            in_chart = False
            if re.match(r"^\(?（截至[^）]*）$", s):
                continue  # the subtitle's date
            for num in unlinked(s):
                out.append("第%d行的数字“%s”没有来源链接: %s" % (n, num, s[:80]))
        for m in LINK.finditer(line):
            text, ref = m.group(1), m.group(2)
            if ref not in ents:
                out.append("数字“%s”链接的%s在附件中没有条目" % (text, ref))
                continue
            printed = number_in(text)
            val = entry_value(ents[ref])
            if printed is None:
                continue
            got = number_in(val) if val else None
            if val is None or got is None or not _same(printed[0], got[0]):
                out.append("数字“%s”的附件条目%s的计算值是“%s”,不是正文所印的数" % (text, ref, val))
    return out


def assert_provenance(case, path):
    """unittest helper: the report at path (a .md drafted with --appendix)
    has an entry for every number."""
    with open(path, encoding="utf-8") as f:
        md = f.read()
    found = problems(md)
    case.assertEqual(found, [], "\n".join(found[:40]))
