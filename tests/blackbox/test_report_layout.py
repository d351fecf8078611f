"""The drafted .docx as a typesetter and a reader see it (issue 11, item 9).

The two demo reports and a synthetic report with a long grouped table go
through LibreOffice once (one soffice run for all, a private profile), and
the PDF text of each page (pdftotext -layout) is checked: no caption at a
page foot, every table row after a page break under its repeated header and
beside its group label, no line starting with 、，。）」》 and the like, the
附件说明 line and the 落款 (署名, 成文日期) after the body. The .docx XML is
read back too: tblHeader, cantSplit, keepNext, right-aligned numbers, the
merged group labels, the stacked chart and its caption above it.

The shipped templates are used as they are; one that does not call close()
yet gets a close() appended in a copy (the 落款 is what is checked here).
"""
import os
import re
import unicodedata
import shutil
import subprocess
import tempfile
import unittest
import zipfile

from tzlib import ROOT, SharedDemo, run

demo_db = SharedDemo("tz-layout-")
tearDownModule = demo_db.cleanup

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"

# Characters that must not begin a line (GB/T 15834 4.x / the 行首禁则).
LINE_START_FORBIDDEN = "、，。；：！？）」』》〉】〕”’…,.;:!?)]}"

PROBE = """-- layout-probe.lua - a long grouped table, a stacked chart and the 落款.
local R = report {
  kind = "layout-probe",
  title = "版式检查",
  scope = { level = "县" },
  indicators = { "行政村数" },
}
local n, n_src = ind("行政村数", { mode = "todate" })
title(R.region_name .. "版式检查报告")
h1("一、总体情况")
para("全县共有", fig(num(n, "个"), n_src), "行政村。")
for i = 1, 4 do
  para("这是用于检查版式的正文段落，内容较长，以便表格从页面中部开始，"
    .. "并在分页处检查表格续表的每一行是否带有分组名称。第" .. i .. "段。")
end
h2("（一）分组表格")
para("1.三级标题的序号是阿拉伯数字加下脚点。")
local rows = {}
for g = 1, 12 do
  for k = 1, 6 do
    rows[#rows + 1] = { k == 1 and ("第" .. g .. "组乡镇") or "", "项目" .. k,
      tostring(g * 100 + k), string.format("%.1f", g * 1.5 + k) }
  end
end
table("表1　分组数据情况", { "单位", "项目", "数量（个）", "金额（万元）" }, rows,
  { "text", "text", "number", "number" })
h1("二、图表")
chart("图1　各组完成情况", "个", { "甲", "乙", "丙", "丁" },
  { { name = "贫困村", values = { 3, 0, nil, 5 } }, { name = "非贫困村", values = { 2, 4, 1, 0 } } },
  { stacked = true })
para("正文结束。")
close("鹿邑县文化广电旅游局")
"""


def _page_texts(pdf):
    """The text of each page of pdf (pdftotext -layout), zero-width spaces removed."""
    out = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    pages = out.replace("\u200b", "").split("\f")
    while pages and not pages[-1].strip():
        pages.pop()
    return pages


def _lines(page):
    """The non-empty lines of a page, without the page number line "— N —"."""
    return [l.strip() for l in page.splitlines()
            if l.strip() and not re.fullmatch(r"\s*—\s*\d+\s*—\s*", l)]


def _flat(s):
    return re.sub(r"\s+", "", s)


def _xml(path, part):
    with zipfile.ZipFile(path) as z:
        return z.read(part).decode("utf-8")


def _with_close(src_dir, kind, dst_dir):
    """Copies templates/<kind>.lua into dst_dir, with close() appended when it
    does not call it yet."""
    src = os.path.join(src_dir, kind + ".lua")
    with open(src, encoding="utf-8") as f:
        text = f.read()
    if not re.search(r"(^|[^.\w])close\s*\(", text):
        text += "\nclose()\n"
    with open(os.path.join(dst_dir, kind + ".lua"), "w", encoding="utf-8") as f:
        f.write(text)


@unittest.skipUnless(shutil.which("soffice") and shutil.which("pdftotext"),
                     "LibreOffice (soffice) or poppler-utils (pdftotext) not installed")
class TestReportLayout(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="tz-layout-")
        tpl = os.path.join(cls.tmp, "templates")
        os.mkdir(tpl)
        for kind in ("investment", "poverty-work"):
            _with_close(os.path.join(ROOT, "templates"), kind, tpl)
        with open(os.path.join(tpl, "layout-probe.lua"), "w", encoding="utf-8") as f:
            f.write(PROBE)
        db = demo_db.get()
        cls.docs = {
            "b": os.path.join(cls.tmp, "b.docx"),
            "a": os.path.join(cls.tmp, "a.docx"),
            "p": os.path.join(cls.tmp, "p.docx"),
        }
        run("report", db, "--templates", tpl, "--kind", "investment", "--region", "411400",
            "--period", "2015-H1", "-o", cls.docs["b"], "--appendix", "--no-proofread", check=0)
        run("report", db, "--templates", tpl, "--kind", "poverty-work", "--region", "411628",
            "--unit", "县文化广电旅游局", "--period", "2019", "--date", "2020-01-10", "-o",
            cls.docs["a"], "--appendix", "--no-proofread", check=0)
        run("report", db, "--templates", tpl, "--kind", "layout-probe", "--region", "411628",
            "--period", "2019", "-o", cls.docs["p"], "--appendix", "--no-proofread", check=0)
        cls.probe_html = os.path.join(cls.tmp, "p.html")
        run("report", db, "--templates", tpl, "--kind", "layout-probe", "--region", "411628",
            "--period", "2019", "-o", cls.probe_html, "--appendix", "--no-proofread", check=0)
        cls.tpl = tpl
        # one LibreOffice run for the three documents, with a private profile
        profile = "file://" + os.path.join(cls.tmp, "lo-profile")
        p = subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless",
                            "--convert-to", "pdf", "--outdir", cls.tmp, *cls.docs.values()],
                           capture_output=True, text=True, timeout=600)
        cls.pages = {}
        for k, docx in cls.docs.items():
            pdf = docx[:-5] + ".pdf"
            if not os.path.exists(pdf):
                raise AssertionError(f"LibreOffice did not convert {docx}: {p.stdout}{p.stderr}")
            cls.pages[k] = _page_texts(pdf)
        # a look as a user would: a few pages as pictures (kept on failure only)
        subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "3",
                        cls.docs["p"][:-5] + ".pdf", os.path.join(cls.tmp, "probe")],
                       capture_output=True, timeout=120, check=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    # ---- the PDF, page by page ------------------------------------------

    def _body_pages(self, key):
        """The pages before the appendix (its label "附件" alone on a line)."""
        out = []
        for page in self.pages[key]:
            if _lines(page) and re.fullmatch(r"附件\d*", _flat(_lines(page)[0])):
                break
            out.append(page)
        return out

    def test_pngs_rendered(self):
        pngs = [f for f in os.listdir(self.tmp) if f.startswith("probe") and f.endswith(".png")]
        self.assertEqual(len(pngs), 3, pngs)

    def test_no_line_starts_with_closing_punctuation(self):
        for key, pages in self.pages.items():
            for n, page in enumerate(pages, 1):
                for line in _lines(page):
                    self.assertNotIn(line[0], LINE_START_FORBIDDEN,
                                     f"{key}.docx 第{n}页有一行以标点开头: {line!r}")

    def test_no_caption_at_page_foot(self):
        for key, pages in self.pages.items():
            for n, page in enumerate(pages, 1):
                lines = _lines(page)
                if not lines:
                    continue
                self.assertIsNone(re.match(r"^[表图]\s*\d+", lines[-1]),
                                  f"{key}.docx 第{n}页最后一行是表题或图题: {lines[-1]!r}")
                # nor a heading ("一、…", "（一）…") with its text on the next page
                self.assertIsNone(re.match(r"^(（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、)",
                                           lines[-1]),
                                  f"{key}.docx 第{n}页最后一行是标题: {lines[-1]!r}")

    def test_rows_after_a_page_break_have_their_group_label(self):
        """Every row of the probe's table is on a page that shows its
        group's label, and the header repeats on every page the table
        continues on."""
        seen = set()
        table_pages = 0
        for n, page in enumerate(self._body_pages("p"), 1):
            flat = _flat(page)
            rows = re.findall(r"项目\s*(\d)\s+(\d+)\s+[\d.]+", page)
            if not rows:
                continue
            table_pages += 1
            self.assertIn("单位项目数量（个）金额（万元）", flat, f"第{n}页没有重复表头")
            for k, value in rows:
                g, k2 = divmod(int(value), 100)
                self.assertEqual(int(k), k2)
                seen.add(int(value))
                self.assertIn(f"第{g}组乡镇", flat,
                              f"第{n}页的“项目{k}”({value})行旁没有所属分组“第{g}组乡镇”")
        self.assertGreater(table_pages, 1, "探测表格应跨页")
        self.assertEqual(len(seen), 72, "表格的72行应都能在PDF中找到")

    def test_shipped_report_tables_repeat_header_and_label(self):
        """In the demo reports, a page a table continues on starts with the
        repeated header and shows a group label of that table (the label
        cells of the docx, by their first characters, as they may wrap)."""
        for key in ("a", "b"):
            doc = _xml(self.docs[key], "word/document.xml")
            tables = []
            for t in re.findall(r"<w:tbl>.*?</w:tbl>", doc, re.S):
                rows = [[_flat("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", c)))
                         for c in re.findall(r"<w:tc>.*?</w:tc>", r, re.S)]
                        for r in re.findall(r"<w:tr>.*?</w:tr>", t, re.S)]
                labels = {r[0][:3] for r in rows[1:] if r[0]}
                tables.append((rows[0], labels))
            for n, page in enumerate(self._body_pages(key), 1):
                lines = _lines(page)
                head = _flat("".join(lines[:4]))
                # the tables whose repeated header opens the page (表2 and 表3
                # may share one): the page shows a label of one of them
                heads = [labels for header, labels in tables
                         if lines and _flat(lines[0]).startswith(header[0])
                         and all(h[:2] in head for h in header)]
                if heads:
                    self.assertTrue(any(lb in _flat(page) for labels in heads for lb in labels),
                                    f"{key}.docx 第{n}页续表没有分组名称")

    def _close_checks(self, key, signer, date):
        body = self._body_pages(key)
        text = _flat("\n".join(body))
        self.assertRegex(text, r"附件：(?:1．.*\d．)?数据来源",
                         f"{key}.docx 正文后没有附件说明")
        tail = _lines(body[-1])
        flat_tail = [_flat(l) for l in tail]
        self.assertIn(signer, flat_tail, f"{key}.docx 正文最后一页没有署名: {tail}")
        self.assertIn(date, flat_tail, f"{key}.docx 正文最后一页没有成文日期: {tail}")
        i_note = text.rindex("附件：")
        self.assertLess(i_note, text.rindex(signer + date), "附件说明应在落款之前")
        # the date line is the last of the body; the signer just above it
        self.assertEqual(flat_tail[-1], date)
        self.assertEqual(flat_tail[-2], signer)

    def test_close_after_the_body(self):
        self._close_checks("b", "商丘市", "2015年6月30日")
        self._close_checks("a", "鹿邑县文化广电旅游局", "2020年1月10日")
        self._close_checks("p", "鹿邑县文化广电旅游局", "2019年12月31日")

    def test_close_is_right_aligned(self):
        """The 落款 sits at the right: the date line ends near the right
        margin, and the signer starts to its left."""
        pdf = self.docs["p"][:-5] + ".pdf"
        body_n = len(self._body_pages("p"))
        bbox = subprocess.run(["pdftotext", "-bbox", "-f", str(body_n), "-l", str(body_n), pdf,
                               "-"], capture_output=True, text=True, check=True).stdout
        words = re.findall(r'xMin="([\d.]+)"[^>]*xMax="([\d.]+)"[^>]*>([^<]*)</word>', bbox)
        signer = [w for w in words if w[2] == "鹿邑县文化广电旅游局"]
        day = [w for w in words if w[2] == "日"]
        self.assertTrue(signer and day, words[-10:])
        right_edge = 595.3 - 26 / 25.4 * 72
        self.assertGreater(float(day[-1][1]), right_edge - 60, "成文日期没有靠右")
        self.assertLess(float(day[-1][1]), right_edge + 1)
        self.assertGreater(float(signer[-1][0]), 595.3 / 2, "署名没有靠右")

    # ---- the .docx XML ----------------------------------------------------

    def test_docx_tables(self):
        for key in ("a", "b", "p"):
            doc = _xml(self.docs[key], "word/document.xml")
            tables = re.findall(r"<w:tbl>.*?</w:tbl>", doc, re.S)
            self.assertTrue(tables, key)
            for t in tables:
                rows = re.findall(r"<w:tr>.*?</w:tr>", t, re.S)
                self.assertIn("<w:tblHeader/>", rows[0], f"{key}: 表头行没有 tblHeader")
                for r in rows:
                    self.assertIn("<w:cantSplit/>", r, f"{key}: 表格行可跨页拆分")
            # every caption paragraph is kept with what follows (the style's keepNext)
        styles = _xml(self.docs["p"], "word/styles.xml")
        for sid in ("TableCaption", "Heading1", "Heading2"):
            m = re.search(rf'<w:style [^>]*w:styleId="{sid}".*?</w:style>', styles, re.S)
            self.assertIsNotNone(m, sid)
            self.assertIn("<w:keepNext/>", m.group(0), f"样式 {sid} 没有 keepNext")

    def test_docx_numbers_right_aligned_and_labels_merged(self):
        doc = _xml(self.docs["p"], "word/document.xml")
        table = re.search(r"<w:tbl>.*?</w:tbl>", doc, re.S).group(0)
        rows = re.findall(r"<w:tr>.*?</w:tr>", table, re.S)
        self.assertEqual(len(rows), 73)
        for i, r in enumerate(rows[1:]):
            cells = re.findall(r"<w:tc>.*?</w:tc>", r, re.S)
            self.assertIn('<w:jc w:val="right"/>', cells[2], f"第{i + 1}行数字没有右对齐")
            self.assertIn('<w:jc w:val="right"/>', cells[3])
            self.assertIn('<w:jc w:val="left"/>', cells[1])
            if i % 6 == 0:
                self.assertIn('<w:vMerge w:val="restart"/>', cells[0])
                self.assertIn(f"第{i // 6 + 1}组乡镇", cells[0])
            else:
                self.assertRegex(cells[0], r"<w:vMerge/>")
            # the rows of a group are kept together: all but its last keep with the next
            self.assertEqual("<w:keepNext/>" in r, i % 6 != 5, f"第{i + 1}行的 keepNext")
        # report B: the number columns of 表2 are right-aligned too
        doc = _xml(self.docs["b"], "word/document.xml")
        t2 = [t for t in re.findall(r"<w:tbl>.*?</w:tbl>", doc, re.S) if "目标任务" in t][0]
        row = re.findall(r"<w:tr>.*?</w:tr>", t2, re.S)[1]
        cells = re.findall(r"<w:tc>.*?</w:tc>", row, re.S)
        self.assertIn('<w:jc w:val="right"/>', cells[2])

    def test_docx_short_cells_do_not_wrap(self):
        """A body cell of at most 14 display columns (a name, a number, a
        status such as 滞后于序时进度) gets a column wide enough for it, so
        that it does not wrap ("54.1%" over two lines, "县（区" over "）")."""
        def width(text):
            return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
        checked = 0
        for key in ("a", "b"):
            doc = _xml(self.docs[key], "word/document.xml")
            for t in re.findall(r"<w:tbl>.*?</w:tbl>", doc, re.S):
                grid = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', t)]
                # twips a column at 12 pt (6 columns or more, or a table that
                # fits unwrapped only at 12 pt) or 14 pt
                small = 'w:val="TableTextSmall"' in t
                self.assertEqual(small or len(grid) < 6, True, "六列以上的表格应用小四号字")
                unit = 120 if small else 140
                for r in re.findall(r"<w:tr>.*?</w:tr>", t, re.S)[1:]:
                    cells = re.findall(r"<w:tc>.*?</w:tc>", r, re.S)
                    for c, cell in enumerate(cells):
                        text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", cell))
                        text = text.replace("\u200b", "")
                        if text and width(text) <= 14:
                            checked += 1
                            self.assertGreaterEqual(grid[c], width(text) * unit + 114,
                                                    f"{key}: “{text}”的列宽{grid[c]}不够，会折行")
        self.assertGreater(checked, 100)
        # report B's 附件 table of units and targets: at 14 pt its unit names
        # ("现代服务业专题招商组", 20 columns) would wrap; at 12 pt none does
        doc = _xml(self.docs["b"], "word/document.xml")
        t = [t for t in re.findall(r"<w:tbl>.*?</w:tbl>", doc, re.S) if "专题招商组" in t][-1]
        grid = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', t)]
        self.assertEqual(len(grid), 5)
        self.assertIn('w:val="TableTextSmall"', t)
        self.assertGreaterEqual(grid[0], width("现代服务业专题招商组") * 120 + 114)

    def test_third_level_ordinal_kept(self):
        doc = _xml(self.docs["p"], "word/document.xml")
        self.assertIn("1.三级标题的序号是阿拉伯数字加下脚点。", doc)
        self.assertNotIn("1、三级标题", doc)
        with open(self.probe_html, encoding="utf-8") as f:
            self.assertIn("1.三级标题的序号", f.read())

    def test_docx_stacked_chart_with_caption_above(self):
        chart = _xml(self.docs["p"], "word/charts/chart1.xml")
        self.assertIn('<c:grouping val="stacked"/>', chart)
        self.assertIn('<c:overlap val="100"/>', chart)
        self.assertIn('<c:autoTitleDeleted val="1"/>', chart)
        self.assertNotIn("<c:title><c:tx><c:rich><a:bodyPr/>", chart)  # no title inside
        # a zero gets no label: the label format's zero section is empty
        self.assertIn('formatCode="General;-General;;"', chart)
        # nil is no bar: the first series has no point for 丙 (index 2)
        ser1 = re.findall(r"<c:ser>.*?</c:ser>", chart, re.S)[0]
        vals = re.search(r"<c:val>.*?</c:val>", ser1, re.S).group(0)
        self.assertEqual(re.findall(r'<c:pt idx="(\d+)">', vals), ["0", "1", "3"])
        doc = _xml(self.docs["p"], "word/document.xml")
        i_cap = doc.index("图1　各组完成情况</w:t>")
        i_chart = doc.index("<c:chart ")
        self.assertLess(i_cap, i_chart)
        self.assertEqual(doc[doc.index("</w:p>", i_cap):i_chart].count("<w:p>"), 1,
                         "图题与图之间不应有其他段落")
        # the same place in the HTML: the caption above the chart
        with open(self.probe_html, encoding="utf-8") as f:
            html = f.read()
        fig = re.search(r'<figure class="chart">(.*?)</figure>', html, re.S).group(1)
        self.assertLess(fig.index("<figcaption>图1　各组完成情况</figcaption>"), fig.index("<svg"))
        # stacked bars: one bar per category, no "0" value label
        labels = re.findall(r'font-size="12"[^>]*>([^<]*)</text>', fig)
        self.assertNotIn("0", labels)
        self.assertEqual(sorted(labels), sorted(["3", "2", "4", "1", "5"]))
        # a bar per value (zeros have no height), none for the nil of 贫困村 丙
        self.assertEqual(len(re.findall(r"<rect x=[^>]*><title>", fig)), 7)
        self.assertNotIn("贫困村 丙", fig.replace("非贫困村 丙", ""))

    def test_docx_close_xml(self):
        doc = _xml(self.docs["a"], "word/document.xml")
        i_sign = doc.index("县文化广电旅游局</w:t></w:r></w:p>")
        i_date = doc.index("2020年1月10日")
        self.assertLess(i_sign, i_date)
        self.assertLess(doc.index("附件：</w:t>"), i_sign)
        self.assertLess(i_date, doc.index(">附件</w:t>"))
        para = doc[doc.rindex("<w:p>", 0, i_date):i_date]
        self.assertIn('<w:jc w:val="right"/>', para)

    def test_output_byte_identical(self):
        again = os.path.join(self.tmp, "p2.docx")
        run("report", demo_db.get(), "--templates", self.tpl, "--kind", "layout-probe",
            "--region", "411628", "--period", "2019", "-o", again, "--appendix",
            "--no-proofread", check=0)
        with open(again, "rb") as f1, open(self.docs["p"], "rb") as f2:
            self.assertEqual(f1.read(), f2.read())


class TestCloseOptions(unittest.TestCase):
    """--date and close()'s arguments are checked, in Chinese."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="tz-close-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _template(self, body):
        with open(os.path.join(self.tmp, "close-probe.lua"), "w", encoding="utf-8") as f:
            f.write('local R = report { kind = "close-probe", title = "落款", '
                    'scope = { level = "县" }, indicators = {} }\n'
                    'title("落款检查")\npara("正文。")\n' + body)

    def _report(self, out, *extra, check=None):
        return run("report", demo_db.get(), "--templates", self.tmp, "--kind", "close-probe",
                   "--region", "411628", "--period", "2019-Q3", "-o",
                   os.path.join(self.tmp, out), "--no-proofread", *extra, check=check)

    def test_bad_date_option_is_a_usage_error(self):
        self._template("close()\n")
        p = self._report("x.md", "--date", "2019-02-30")
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("--date", p.stderr)
        self.assertIn("成文日期", p.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "x.md")))

    def test_date_option_read_as_the_ledgers_read_dates(self):
        """--date takes what a clerk types in a ledger (2019年10月8日,
        2019/10/8) and says why a date is refused."""
        self._template("close()\n")
        for given in ("2019年10月8日", "2019/10/8", "2019-10-08"):
            self._report("d.md", "--date", given, check=0)
            with open(os.path.join(self.tmp, "d.md"), encoding="utf-8") as f:
                self.assertIn("鹿邑县\\\n2019年10月8日", f.read(), given)
        p = self._report("y.md", "--date", "19-10-08")
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("年份", p.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "y.md")))

    def test_defaults_and_arguments(self):
        self._template("close()\n")
        self._report("q3.md", check=0)
        with open(os.path.join(self.tmp, "q3.md"), encoding="utf-8") as f:
            md = f.read()
        self.assertIn("鹿邑县\\\n2019年9月30日", md)  # the region, the quarter's last day
        self._template('close("县委宣传部", "2019-10-08")\n')
        self._report("given.html", check=0)
        with open(os.path.join(self.tmp, "given.html"), encoding="utf-8") as f:
            html = f.read()
        self.assertRegex(html, r'<p class="signer"[^>]*>县委宣传部</p>')
        self.assertRegex(html, r'<p class="date"[^>]*>2019年10月8日</p>')

    def test_bad_close_arguments_refused(self):
        self._template('close("县委宣传部", "2019/10/08")\n')
        p = self._report("bad.md")
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("成文日期", p.stderr)
        self.assertIn("close-probe.lua", p.stderr)
        self._template('close()\nclose()\n')
        p = self._report("twice.md")
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("落款只能有一处", p.stderr)

    def test_attachments_after_the_close(self):
        """attachment(title) starts a 附件 after the 落款; several are numbered
        附件1, 附件2 and listed in the 附件说明 (GB/T 9704-2012 7.3.4, 8.1)."""
        self._template('close()\nattachment("各乡镇明细")\npara("明细。")\n'
                       'attachment("名单")\npara("名单。")\n')
        self._report("two.md", check=0)
        with open(os.path.join(self.tmp, "two.md"), encoding="utf-8") as f:
            md = f.read()
        note = "附件：1．各乡镇明细\\\n　　　2．名单\n"
        self.assertIn(note, md)
        self.assertLess(md.index(note), md.index("鹿邑县\\\n2019年9月30日"))
        i1, i2 = md.index("**附件1**"), md.index("**附件2**")
        self.assertLess(md.index("2019年9月30日"), i1)
        self.assertLess(i1, md.index("明细。"))
        self.assertLess(md.index("明细。"), i2)
        self.assertLess(i2, md.index("名单。"))
        self._report("two.docx", check=0)
        with zipfile.ZipFile(os.path.join(self.tmp, "two.docx")) as z:
            doc = z.read("word/document.xml").decode("utf-8")
        for label in (">附件1</w:t>", ">附件2</w:t>", ">附件：</w:t>", ">1．</w:t>", ">2．</w:t>"):
            self.assertIn(label, doc)
        self.assertLess(doc.index(">2．</w:t>"), doc.index(">附件1</w:t>"))
        # one attachment: no number
        self._template('close()\nattachment("各乡镇明细")\npara("明细。")\n')
        self._report("one.html", check=0)
        with open(os.path.join(self.tmp, "one.html"), encoding="utf-8") as f:
            html = f.read()
        self.assertIn('<p class="appendix-note">附件：各乡镇明细</p>', html)
        self.assertIn('<p class="appendix-label">附件</p>', html)
        # the 数据来源 of --appendix comes after the template's attachments
        with open(os.path.join(self.tmp, "close-probe.lua"), "w", encoding="utf-8") as f:
            f.write('local R = report { kind = "close-probe", title = "落款", '
                    'scope = { level = "县" }, indicators = { "贫困村数" } }\n'
                    'title("落款检查")\nlocal n, n_src = ind("贫困村数")\n'
                    'para("贫困村", fig(num(n, "个"), n_src), "。")\nclose()\n'
                    'attachment("各乡镇明细")\ntable("明细", { "项目", "个数" }, '
                    '{ { "贫困村", fig(num(n), n_src) } })\n')
        self._report("app.md", "--appendix", check=0)
        with open(os.path.join(self.tmp, "app.md"), encoding="utf-8") as f:
            md = f.read()
        self.assertIn("附件：1．各乡镇明细\\\n　　　2．数据来源\n", md)
        self.assertLess(md.index("**附件1**"), md.index("**附件2**"))
        self.assertIn("正文和附件1中每个数字", md)

    def test_attachment_misplaced_refused(self):
        for body, words in (('attachment("明细")\nclose()\n', "应在 close() 之后"),
                            ('close()\nattachment("")\n', "附件名称不能为空"),
                            ('close()\npara("落款后的正文。")\n', "落款之后添加了段落")):
            self._template(body)
            p = self._report("bad.md")
            self.assertEqual(p.returncode, 1, p.stderr)
            self.assertIn(words, p.stderr)
            self.assertIn("close-probe.lua", p.stderr)
            self.assertFalse(os.path.exists(os.path.join(self.tmp, "bad.md")))


if __name__ == "__main__":
    unittest.main()
