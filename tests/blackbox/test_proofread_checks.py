"""Black-box tests of the wording checks of `taizhang proofread` and of the
proofreading after `taizhang report` (issue 11, item 10): 等 after a list
that names a whole set the database knows (the counties under the report's
city, all 专题招商组), a phrase doubled in one sentence, mixed numerals for
one kind of count, abbreviated years, 均还没有 and a bare 目前. The files are
real: a report drafted by `taizhang report` as .docx, then edited by hand
the way a clerk does (unzipped, word/document.xml changed, zipped back), and
.md files."""
import os
import re
import shutil
import tempfile
import unittest
import zipfile
from xml.sax.saxutils import escape

from tzlib import SharedDemo, TzCase, run

B_SCOPE = ["--region", "411400", "--period", "2015-H1"]
B_ARGS = ["--kind", "investment", *B_SCOPE]

_demo = SharedDemo("tz-proofcheck-")
demo_db = _demo.get
tearDownModule = _demo.cleanup

COUNTIES = "梁园区、睢阳区、民权县、睢县、宁陵县、柘城县、虞城县、夏邑县、示范区"
GROUPS = "装备制造、电子信息、纺织服装、食品加工、生物医药、现代物流、现代服务业"

# One fault per check, each on its own paragraph: (paragraph, kind, problem text).
FAULTS = [
    (f"目前，{COUNTIES}等县区都有签约项目。", "时间不明确", "目前"),
    (f"目前，{COUNTIES}等县区都有签约项目。", "列举用“等”不当", f"{COUNTIES}等"),
    (f"{GROUPS}等专题招商组均还没有签约项目。", "列举用“等”不当", f"{GROUPS}等"),
    (f"{GROUPS}等专题招商组均还没有签约项目。", "错别字", "均还没有"),
    ("帮扶的贫困户中，其中危房户一户，非危房户6户。", "数字用法不一致", "一户"),
    ("18、19年建成的项目已全部投产。", "年份简写", "18、19年"),
    ("上半年引进了赛琪服饰等项目、鹿峰包装等项目。", "词语重复", "等项目"),
]
BAD = list(dict.fromkeys(p for p, _, _ in FAULTS))

# The same matters written correctly: no finding.
GOOD = [
    "截至2015年6月底，梁园区、睢阳区、民权县等县区都有签约项目。",
    f"{COUNTIES}都有签约项目。",
    "七个专题招商组均尚未签约项目，还要加大力度。",
    "帮扶的贫困户中，危房户1户，非危房户6户。",
    "我局驻村帮扶两个乡。一是招商，二是引资，引进了一批项目。",
    "2018、2019年建成的项目已全部投产，近10年来发展很快。",
    "签约了赛琪服饰等项目，落地了鹿峰包装等项目。",
]


def _para(text):
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def _split_runs(text, at):
    """A paragraph whose text is cut into two runs at byte `at`, as Word does."""
    return (f'<w:p><w:r><w:t xml:space="preserve">{escape(text[:at])}</w:t></w:r>'
            f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{escape(text[at:])}</w:t></w:r></w:p>')


def edit_docx(src, dst, paras_xml, replace_body=False):
    """Copies the .docx src to dst with paras_xml put in word/document.xml:
    after the body's existing paragraphs, or instead of them."""
    with zipfile.ZipFile(src) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            if info.filename == "word/document.xml":
                xml = data.decode("utf-8")
                sect = xml.rindex("<w:sectPr")
                if replace_body:
                    start = xml.index("<w:body>") + len("<w:body>")
                    xml = xml[:start] + "".join(paras_xml) + xml[sect:]
                else:
                    xml = xml[:sect] + "".join(paras_xml) + xml[sect:]
                data = xml.encode("utf-8")
            out.writestr(info, data)


def findings(stdout):
    """The finding lines of `taizhang proofread`: (line, kind, text)."""
    out = []
    for ln in stdout.splitlines():
        m = re.match(r"第(\d+)行第\d+字 (\S+) “(.*?)”：", ln)
        if m:
            out.append((int(m.group(1)), m.group(2), m.group(3)))
    return out


class TestProofreadChecks(TzCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="tz-proofdocx-")
        cls.docx = os.path.join(cls.dir, "b.docx")
        run("report", demo_db(), *B_ARGS, "-o", cls.docx, check=0)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def proofread(self, path, *args, check=None):
        return run("proofread", path, *args, check=check)

    def assert_faults(self, stdout, scoped=True):
        got = findings(stdout)
        for para, kind, text in FAULTS:
            if kind == "列举用“等”不当" and not scoped:
                continue
            with self.subTest(kind=kind, text=text):
                self.assertTrue(any(k == kind and t == text for _, k, t in got),
                                f"{kind} “{text}” not found in:\n{stdout}")
        if not scoped:
            self.assertNotIn("列举用“等”不当", stdout)

    def test_hand_edited_docx(self):
        # the clerk adds paragraphs with faults, the last cut into two runs
        # between its two 等项目
        paras = [_para(p) for p in BAD[:-1]]
        cut = BAD[-1].index("鹿峰")
        paras.append(_split_runs(BAD[-1], cut))
        bad = self.path("edited.docx")
        edit_docx(self.docx, bad, paras)
        p = self.proofread(bad, "--db", demo_db(), *B_SCOPE, check=1)
        self.assert_faults(p.stdout)
        # the findings name the paragraph and suggest the fix
        self.assertIn(f"建议改为“{COUNTIES}”", p.stdout)
        self.assertIn("商丘市所辖9个县（市、区）", p.stdout)
        self.assertIn("全部7个专题招商组", p.stdout)
        self.assertIn("建议改为“截至2015年6月底”", p.stdout)
        self.assertIn("建议改为“2018、2019年”", p.stdout)
        self.assertIn("建议改为“1户”", p.stdout)
        self.assertIn("建议改为“均尚未”", p.stdout)
        # without the database there is no set to compare a list with, and
        # no date to suggest
        p = self.proofread(bad, check=1)
        self.assert_faults(p.stdout, scoped=False)
        self.assertIn("如“截至2019年底”", p.stdout)

    def test_correct_docx(self):
        good = self.path("good.docx")
        edit_docx(self.docx, good, [_para(p) for p in GOOD], replace_body=True)
        p = self.proofread(good, "--db", demo_db(), *B_SCOPE, check=0)
        self.assertIn("未发现问题", p.stdout)
        self.assertEqual(findings(p.stdout), [])

    def test_markdown(self):
        bad, good = self.path("bad.md"), self.path("good.md")
        with open(bad, "w", encoding="utf-8") as f:
            f.write("# 招商引资工作汇报\n\n" + "\n\n".join(BAD) + "\n")
        with open(good, "w", encoding="utf-8") as f:
            f.write("# 招商引资工作汇报\n\n" + "\n\n".join(GOOD) + "\n")
        p = self.proofread(bad, "--db", demo_db(), *B_SCOPE, check=1)
        self.assert_faults(p.stdout)
        # each finding names its line in the file
        lines = {k: n for n, k, _ in findings(p.stdout)}
        self.assertEqual(lines["年份简写"], 1 + 2 * (BAD.index(FAULTS[5][0]) + 1))
        p = self.proofread(good, "--db", demo_db(), *B_SCOPE, check=0)
        self.assertIn("未发现问题", p.stdout)
        # without --region every region's children are a set
        p = self.proofread(bad, "--db", demo_db(), check=1)
        self.assertIn(f"“{COUNTIES}等”", p.stdout)
        self.assertIn("商丘市所辖9个县（市、区）", p.stdout)
        # the county set is the report region's: for 民权县 (no regions
        # under it in the demo) the list of 商丘市's counties is not flagged
        p = self.proofread(bad, "--db", demo_db(), "--region", "411421", "--period", "2015-H1",
                           check=1)
        self.assertNotIn(f"“{COUNTIES}等”", p.stdout)

    def test_hand_edited_html(self):
        # a report drafted as a web page, edited: paragraphs with faults added
        # before </body>, one with the county list over source lines and a
        # tag inside it; script and style hold no text
        page = self.path("b.html")
        run("report", demo_db(), *B_ARGS, "-o", page, check=0)
        with open(page, encoding="utf-8") as f:
            html = f.read()
        cut = COUNTIES.index("民权县")
        added = "".join(f"<p>{escape(p)}</p>\n" for p in BAD[1:])
        added += (f"<p>目前，{COUNTIES[:cut]}\n  <b>{COUNTIES[cut:cut + 3]}</b>"
                  f"{COUNTIES[cut + 3:]}等县区都有签约项目。</p>\n"
                  "<script>var s = '18、19年';</script><style>p{}</style>\n")
        bad = self.path("edited.html")
        with open(bad, "w", encoding="utf-8") as f:
            f.write(html.replace("</body>", added + "</body>"))
        p = self.proofread(bad, "--db", demo_db(), *B_SCOPE, check=1)
        self.assert_faults(p.stdout)
        self.assertEqual(sum(1 for _, k, t in findings(p.stdout) if t == "18、19年"), 1)
        good = self.path("good.html")
        with open(good, "w", encoding="utf-8") as f:
            f.write("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>汇报</title></head>"
                    "<body>" + "".join(f"<p>{escape(p)}</p>\n" for p in GOOD) +
                    "<table><tr><td>梁园区</td><td>5个</td></tr></table></body></html>\n")
        p = self.proofread(good, "--db", demo_db(), *B_SCOPE, check=0)
        self.assertIn("未发现问题", p.stdout)

    def test_gb18030_html(self):
        # a page saved as GBK by a Chinese web system or editor: with no
        # charset declared it is read as GB18030 (with a warning), as a .txt
        # is; before, libxml2 took it for Latin-1 and found nothing
        body = "".join(f"<p>{escape(p)}</p>\n" for p in BAD)
        for head in ("", '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'):
            page = self.path("gbk.html")
            with open(page, "wb") as f:
                f.write(f"<html><head>{head}</head><body>{body}</body></html>".encode("gb18030"))
            p = self.proofread(page, "--db", demo_db(), *B_SCOPE, check=1)
            self.assert_faults(p.stdout)
            self.assertEqual("已按GB18030" in p.stderr, head == "")
        # bytes that are neither UTF-8 nor GB18030, no charset: refused, with
        # the byte where the text stops being readable
        page = self.path("bad.html")
        with open(page, "wb") as f:
            f.write(b"<html><body><p>\xe7\x9b\xae\xe5\x89\x8d\xff\xff</p></body></html>")
        p = self.proofread(page, check=3)
        self.assertIn("第22字节起", p.stderr)
        self.assertIn("另存为UTF-8", p.stderr)

    def test_report_run_uses_the_scope(self):
        # the proofreading after `taizhang report` knows the region's counties
        # and the period's date too
        tpl = self.path("t.lua")
        with open(tpl, "w", encoding="utf-8") as f:
            f.write("title('测试')\n"
                    f"para('{COUNTIES}等县区都有签约项目，目前还在洽谈。')\n")
        out = self.path("t.md")
        p = run("report", demo_db(), "--template", tpl, *B_SCOPE, "-o", out, check=0)
        self.assertIn("列举用“等”不当", p.stderr)
        self.assertIn("截至2015年6月底", p.stderr)
        self.assertIn("校对发现2处", p.stderr)


if __name__ == "__main__":
    unittest.main()
