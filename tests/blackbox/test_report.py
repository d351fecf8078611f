"""Black-box tests of `taizhang report` and `taizhang proofread`: the real
binary drafts reports A and B from the demo database; the text, the Word
layout, the PDF, the provenance links, determinism, and how the sentences
follow changed data."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import zipfile
import xml.etree.ElementTree as ET

from tzlib import ROOT, SharedDemo, TzCase, db_rows, run, write_csv

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A_ARGS = ["--kind", "poverty-work", "--region", "411628", "--unit", "县文化广电旅游局",
          "--period", "2019"]
B_ARGS = ["--kind", "investment", "--region", "411400", "--period", "2015-H1"]

_demo = SharedDemo("tz-report-")
demo_db = _demo.get
tearDownModule = _demo.cleanup


def docx_paragraphs(path):
    """The text of every paragraph of word/document.xml, in order."""
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("word/document.xml"))
    out = []
    for p in root.iter(W + "p"):
        out.append("".join(t.text or "" for t in p.iter(W + "t")))
    return out


def chart_caption(path):
    """The text of the paragraph just above the first chart of a .docx."""
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("word/document.xml"))
    paras = list(root.iter(W + "p"))
    for i, p in enumerate(paras):
        if any(el.tag.endswith("}chart") for el in p.iter()):
            return "".join(t.text or "" for t in paras[i - 1].iter(W + "t"))
    return ""


def body_text(paragraphs):
    """Paragraphs before the appendix (附件), joined by newlines."""
    out = []
    for p in paragraphs:
        if re.fullmatch(r"附件\d*", p.strip()):
            break
        out.append(p)
    return "\n".join(out)


class ReportCase(TzCase):
    def draft(self, args, name, *extra, db=None, check=0):
        out = self.path(name)
        p = run("report", db or demo_db(), *args, "-o", out, *extra, check=check)
        return out, p

    def read(self, path):
        with open(path, encoding="utf-8") as f:
            return f.read()


class TestReportA(ReportCase):
    """Document A from the demo county: the seed's figures in the seed's sentences."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="tz-a-")
        cls.docx = os.path.join(cls.dir, "a.docx")
        p = run("report", demo_db(), *A_ARGS, "-o", cls.docx, "--appendix", check=0)
        cls.stdout, cls.stderr = p.stdout, p.stderr
        cls.paras = docx_paragraphs(cls.docx)
        cls.body = body_text(cls.paras)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_sections_in_order(self):
        heads = ["一、村级综合性文化服务中心建设", "二、电视信号户户通工作", "三、驻村帮扶工作",
                 "四、扶贫政策文艺宣传及送戏下乡演出活动", "五、存在的问题和下一步工作打算"]
        idx = [self.paras.index(h) for h in heads]
        self.assertEqual(idx, sorted(idx))
        self.assertEqual(self.paras[0], "鹿邑县文化广电旅游局精准扶贫工作汇报")

    def test_culture_centres(self):
        b = self.body
        self.assertIn("至2017年底全县105个贫困村全部建成了文化广场，其中广场面积达到1000平方米以上的70个，"
                      "500平方米以上1000平方米以下的35个", b)
        self.assertIn("我县2018年新建成156个，2019年新建成180个", b)
        self.assertIn("按照县文化广电旅游局2019年目标任务，到2019年底文化服务中心覆盖率要达到100%", b)
        self.assertIn("全县454个行政村中已有433个建成达标的文化服务中心，覆盖率为95.4%，"
                      "还有21个行政村未建设或不达标，其中未建设的13个，已建成但未达标的8个", b)

    def test_tv_and_aid(self):
        b = self.body
        self.assertIn("我局2018年安装4809户，2019年安装3543户，均完成了年度核定任务", b)
        self.assertIn("我局共驻村帮扶2个乡镇7个行政村，其中贫困村1个，非贫困村6个，分别是宋河镇卢尧（贫困村）、"
                      "刘楼、轩楼、药铺、杨桥、枣集行政村和赵村乡赵东村，共派驻业务骨干及年轻后备干部11人", b)
        self.assertIn("先后投资30多万元为7个帮扶村全部配备了办公设备及文体器材（电脑、打印机", b)
        self.assertIn("投资16万元为卢尧村修建了文化活动室、门楼、厕所、院内地坪和花池", b)
        self.assertIn("投资20多万元帮助42户", b)
        self.assertIn("购置成品母羊6户，购置鸡苗6户", b)

    def test_events(self):
        b = self.body
        self.assertIn("2016年以来，累计完成贫困村送戏下乡活动500多场次，送电影下乡15600多场次，"
                      "受益群众达1000多万人次", b)
        self.assertIn("开展扶贫政策文艺宣传演出活动达万余场次", b)
        for title in ["《扶贫路上》", "《我村来了个好书记》", "《兔姻缘》", "《党的政策就是好》",
                      "《好日子是干出来的不是等出来的》", "《我脱贫我光荣》"]:
            self.assertIn(title, b)
        self.assertIn("举办了贫困村广场舞大赛和唢呐大赛", b)

    def test_problems_from_data(self):
        b = self.body
        self.assertIn("1.按照县文化广电旅游局2019年目标任务，文化服务中心覆盖率2019年底要达到100%，"
                      "截至2019年底全县还有21个行政村未建设或不达标", b)
        self.assertIn("在2018、2019年建成的336个文化服务中心中，每个需县财政奖补资金10万元，平均每个只拨付4万元，"
                      "截至2019年底尚有2016万元奖补资金未拨付到位", b)
        self.assertRegex(b, r"截至目前有\d+户建档立卡贫困户的户户通设备处于故障状态")
        self.assertIn("未脱贫的建档立卡贫困户中还有494户尚未安装电视信号户户通", b)
        # the poor villages are all built: no problem about them
        self.assertNotIn("贫困村尚未建成", b)

    def test_full_width_punctuation(self):
        for p in self.body.split("\n"):
            self.assertNotRegex(p, r"[,;:()]", p)
        self.assertIn("，", self.body)
        self.assertIn("；", self.body)
        self.assertIn("：", self.body)

    def test_tables_and_chart(self):
        with zipfile.ZipFile(self.docx) as z:
            root = ET.fromstring(z.read("word/document.xml"))
            charts = [n for n in z.namelist() if re.match(r"word/charts/chart\d+\.xml$", n)]
            self.assertTrue(charts)
            xml = z.read(charts[0]).decode()
        tables = list(root.iter(W + "tbl"))
        self.assertTrue(tables)
        rows = [["".join(t.text or "" for t in c.iter(W + "t")) for c in r.iter(W + "tc")]
                for r in tables[0].iter(W + "tr")]
        self.assertEqual(rows[0], ["年度", "安装户数", "核定任务数", "完成比例"])
        self.assertIn(["2018年", "4809", "4809", "100.0%"], rows)
        self.assertIn(["2019年", "3543", "3543", "100.0%"], rows)
        self.assertIn("表1　建档立卡贫困户电视信号户户通安装情况", self.paras)
        for word in ["贫困村", "非贫困村", "2016年", "2019年"]:
            self.assertIn(word, xml)
        # the chart's title is the caption line above it (as in the HTML)
        self.assertIn("建成文化服务中心", chart_caption(self.docx))

    def test_proofread_clean(self):
        self.assertIn("校对未发现问题", self.stdout)
        self.assertNotIn("提示", self.stderr)

    def test_appendix(self):
        paras = self.paras
        self.assertIn("附件", paras)
        self.assertIn("数据来源", paras)
        entry = [p for p in paras if p.startswith("F1　")]
        self.assertEqual(len(entry), 1)
        self.assertIn("指标“贫困村数”，范围：鹿邑县，期间：截至2017年底累计，计算值：105个", entry[0])
        # rows of the regions ledger by name, not code (issue 11, item 8)
        self.assertRegex(entry[0], r"依据：行政区划台账105条记录，[^0-9、；]+村、")
        self.assertNotRegex(entry[0], r"(?<!\d)\d{12}(?!\d)")
        self.assertIn("等105条", entry[0])
        # the figure runs link to their appendix bookmarks
        with zipfile.ZipFile(self.docx) as z:
            doc = z.read("word/document.xml").decode()
        self.assertRegex(doc, r'<w:hyperlink w:anchor="F1"')
        self.assertRegex(doc, r'<w:bookmarkStart [^>]*w:name="F1"')


class TestReportB(ReportCase):
    """Document B from the demo city, 2015-H1."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="tz-b-")
        cls.docx = os.path.join(cls.dir, "b.docx")
        cls.html = os.path.join(cls.dir, "b.html")
        cls.md = os.path.join(cls.dir, "b.md")
        p = run("report", demo_db(), *B_ARGS, "-o", cls.docx, check=0)
        cls.stdout, cls.stderr = p.stdout, p.stderr
        run("report", demo_db(), *B_ARGS, "-o", cls.html, "--appendix", check=0)
        run("report", demo_db(), *B_ARGS, "-o", cls.md, check=0)
        cls.paras = docx_paragraphs(cls.docx)
        cls.body = body_text(cls.paras)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_title_and_landed_projects(self):
        self.assertEqual(self.paras[0], "商丘市2015年上半年开放招商工作情况")
        b = self.body
        m = re.search(r"2015年上半年落地的项目有：(.*?)。", b)
        self.assertIsNotNone(m, b)
        landed = m.group(1)
        for county, names in [("夏邑县", ["赛琪服饰", "鹿峰包装", "远东织造", "旗牌王服饰"]),
                              ("虞城县", ["诚鑫纺织", "迈科新材料"]), ("示范区", ["金冠宇电子"]),
                              ("宁陵县", ["帝益肥业"]), ("睢县", ["西默通信科技", "特步鞋业", "百盛鞋业"]),
                              ("民权县", ["王巢酒业", "青岛奥莱克斯电器"])]:
            part = [x for x in landed.split("；") if x.startswith(county)]
            self.assertEqual(len(part), 1, county)
            for n in names:
                self.assertIn(n, part[0])
        self.assertNotIn("柘城县", landed)
        self.assertIn("柘城县天创集团皮具项目", b)  # only being negotiated

    def test_problems(self):
        b = self.body
        # 20 of 29 signed projects are ≥3亿元: not "大项目不多", but behind the time schedule
        self.assertNotIn("大项目不多", b)
        self.assertIn("一是3亿元以上项目数量滞后于序时进度。", b)
        self.assertIn("全市签约项目29个，其中3亿元以上项目20个，占69%，但仅为全年目标任务50个的40%", b)
        self.assertIn("没有新上外资项目。", b)
        self.assertIn("实际利用外资5990万美元，同比增长44%，仅为全年目标任务的33.3%；其中睢阳区、睢县、宁陵县、"
                      "虞城县、夏邑县实际利用外资为零", b)
        # FDI rose 44% year on year: no "后继增长乏力"
        self.assertIn("合同利用外资2795万美元，全部为增资项目，没有新注册外资项目。", b)
        self.assertNotIn("后继增长乏力", b)
        self.assertIn("县（区）之间差距较大。", b)
        self.assertIn("实际利用省外资金由高到低依次为：夏邑县49902万元、睢县46718万元", b)
        self.assertIn("专题招商组和市直单位招商活动效果还不好。", b)
        self.assertIn("7个专题招商组和24个市直单位均尚无签约项目", b)
        self.assertIn("鹿峰包装", b[b.index("关联度不大"):])

    def test_target_tables_and_chart(self):
        self.assertIn("表2　各县（区）资金到位目标任务完成情况（外资：万美元，省外资金：万元；截至2015年6月底）", self.paras)
        self.assertIn("表3　各县（区）引进项目目标任务完成情况（完成数/全年目标，个；截至2015年6月底）", self.paras)
        with zipfile.ZipFile(self.docx) as z:
            names = z.namelist()
            chart = [n for n in names if re.match(r"word/charts/chart\d+\.xml$", n)]
            self.assertTrue(chart, names)
            xml = z.read(chart[0]).decode()
        self.assertIn("<c:barChart>", xml)
        for county in ["梁园区", "睢阳区", "民权县", "睢县", "宁陵县", "柘城县", "虞城县", "夏邑县", "示范区"]:
            self.assertIn(county, xml)
        self.assertIn("引进3亿元以上工业项目", chart_caption(self.docx))
        md = self.read(self.md)
        self.assertRegex(md, r"\| 梁园区 \| 2035 \| 1100 \| 54\.1% \| 56824 \| 21592 \| 38\.0% \|")

    def test_html_links_to_appendix(self):
        html = self.read(self.html)
        refs = set(re.findall(r'<a class="ref" href="#(F\d+)"', html))
        self.assertTrue(refs)
        ids = set(re.findall(r'<li id="(F\d+)"', html))
        self.assertTrue(refs <= ids, refs - ids)
        self.assertRegex(html, r'<a class="ref" href="#F\d+">5990万美元</a>')
        self.assertIn("指标“实际利用外资(万美元)”，范围：商丘市，期间：2015年上半年", html)
        self.assertRegex(html, r"资金到位台账\d+条记录，SQ\d+/2015-0\d")
        self.assertIn("<svg", html)


class TestDocxLayout(ReportCase):
    def test_fonts_margins_page_numbers(self):
        out, _ = self.draft(A_ARGS, "a.docx")
        with zipfile.ZipFile(out) as z:
            doc = z.read("word/document.xml").decode()
            styles = z.read("word/styles.xml").decode()
            footers = [z.read(n).decode() for n in z.namelist() if re.match(r"word/footer\d*\.xml", n)]
        sect = re.search(r"<w:sectPr>.*</w:sectPr>", doc).group(0)
        self.assertIn('<w:pgSz w:w="11906" w:h="16838"/>', sect)
        m = re.search(r'<w:pgMar w:top="(\d+)" w:right="(\d+)" w:bottom="(\d+)" w:left="(\d+)"', sect)
        top, right, bottom, left = (int(x) / 56.7 for x in m.groups())
        self.assertAlmostEqual(top, 37, delta=0.2)
        self.assertAlmostEqual(right, 26, delta=0.2)
        self.assertAlmostEqual(bottom, 35, delta=0.2)
        self.assertAlmostEqual(left, 28, delta=0.2)
        self.assertIn('w:type="lines"', sect)
        for font in ["方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"]:
            self.assertIn(f'w:eastAsia="{font}"', styles)
        self.assertIn('<w:sz w:val="32"/>', styles)  # 3号 body
        self.assertIn('<w:sz w:val="44"/>', styles)  # 2号 title
        self.assertTrue(footers)
        for f in footers:
            self.assertIn(" PAGE ", f)
            self.assertIn("— ", f)
            self.assertIn(" —", f)
            self.assertIn('w:eastAsia="宋体"', f)
            self.assertIn('<w:sz w:val="28"/>', f)  # 4号

    @unittest.skipUnless(shutil.which("soffice") and shutil.which("pdftotext"), "LibreOffice needed")
    def test_pdf_has_title_and_page_number(self):
        out, _ = self.draft(A_ARGS, "a.docx")
        pdfdir = self.path("pdf")
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", pdfdir, out],
                       capture_output=True, timeout=300, check=True,
                       env=dict(os.environ, HOME=self.tmp))
        pdf = os.path.join(pdfdir, "a.pdf")
        text = subprocess.run(["pdftotext", "-raw", pdf, "-"], capture_output=True, text=True,
                              check=True).stdout
        self.assertIn("鹿邑县文化广电旅游局精准扶贫工作汇报", text)
        self.assertIn("— 1 —", text)
        self.assertIn("— 2 —", text)


class TestDeterminism(ReportCase):
    def test_same_input_same_bytes(self):
        for args in (A_ARGS, B_ARGS):
            for ext in ("docx", "md", "html"):
                a, _ = self.draft(args, "one." + ext, "--appendix")
                b, _ = self.draft(args, "two." + ext, "--appendix")
                with open(a, "rb") as fa, open(b, "rb") as fb:
                    self.assertEqual(fa.read(), fb.read(), f"{args[1]} .{ext} differs between runs")


class TestDataChanges(ReportCase):
    def copy_db(self):
        db = self.path("changed.db")
        shutil.copy(demo_db(), db)
        return db

    def test_missing_centre_changes_the_sentence(self):
        db = self.copy_db()
        csv = write_csv(self.path("cc.csv"), ["村代码", "建成年份", "文化广场面积(平方米)", "是否达标",
                                              "奖补标准(万元)", "已拨付奖补(万元)"],
                        [["411628101201", "", "1200", "是", "5", "5"]])
        run("import", db, "culture_centers", csv, check=0)
        out, _ = self.draft(A_ARGS, "a.md", db=db)
        text = self.read(out)
        self.assertNotIn("全部建成", text)
        self.assertIn("截至2019年底全县105个贫困村中已建成104个", text)
        self.assertIn("还有1个贫困村尚未建成（卢尧村）", text)
        self.assertIn("截至2019年底全县还有1个贫困村尚未建成（卢尧村）", text)
        self.assertIn("还有22个行政村未建设或不达标", text)

    def test_foreign_capital_changes_the_zero_list(self):
        db = self.copy_db()
        csv = write_csv(self.path("pf.csv"), ["项目编号", "月份", "省外资金到位(万元)", "实际利用外资(万美元)"],
                        [["SQ2015001", "2015-03", "0", "300"]])
        owner = run("list", db, "projects", "--where", "项目编号=SQ2015001", "--json", check=0).stdout
        run("import", db, "project_funds", csv, check=0)
        out, _ = self.draft(B_ARGS, "b.md", db=db)
        text = self.read(out)
        self.assertIn("实际利用外资6290万美元", text)
        county = re.search(r'"责任单位":\s*"([^"]+)"', owner).group(1)
        zero = re.search(r"其中(.*?)实际利用外资为零", text).group(1)
        self.assertNotIn(county, zero.split("、"))


class TestProofread(ReportCase):
    def test_report_prints_proofreading_warnings(self):
        tpl = self.path("bad.lua")
        with open(tpl, "w", encoding="utf-8") as f:
            f.write("title('测试')\npara('我局认真研究布署，全县106个贫困村全部建成。')\n")
        out, p = self.draft(["--template", tpl, "--region", "411628", "--period", "2019"], "x.docx")
        self.assertIn("错别字", p.stderr)
        self.assertIn("布署", p.stderr)
        self.assertIn("数字与台账不符", p.stderr)
        self.assertIn("106个", p.stderr)
        self.assertIn("校对发现2处", p.stderr)

    def test_proofread_remaining_counts(self):
        # 还有/尚有 mark a part of a total, but not for a count of what is not yet done
        txt = self.path("rem.txt")
        with open(txt, "w", encoding="utf-8") as f:
            f.write("截至2019年底全县还有22个行政村未建设或不达标。\n尚有2061万元奖补资金未拨付到位。\n"
                    "截至2019年底全县还有21个行政村未建设或不达标。\n尚有2016万元奖补资金未拨付到位。\n")
        p = run("proofread", txt, "--db", demo_db(), "--region", "411628", "--period", "2019",
                check=1)
        self.assertIn("第1行", p.stdout)
        self.assertIn("第2行", p.stdout)
        self.assertNotIn("第3行", p.stdout)
        self.assertNotIn("第4行", p.stdout)

    def test_proofread_command(self):
        txt = self.path("r.txt")
        with open(txt, "w", encoding="utf-8") as f:
            f.write("至2017年底全县106个贫困村全部建成了文化广场。\n目前，只拔负4万元。\n")
        p = run("proofread", txt, check=1)
        self.assertIn("拔负", p.stdout)
        self.assertNotIn("106个", p.stdout)  # no database, no fact check
        p = run("proofread", txt, "--db", demo_db(), "--region", "鹿邑县", check=1)
        self.assertIn("数字与台账不符", p.stdout)
        self.assertIn("105个", p.stdout)
        md = self.path("ok.md")
        with open(md, "w", encoding="utf-8") as f:
            f.write("# 汇报\n\n至2017年底全县105个贫困村全部建成了文化广场。\n")
        p = run("proofread", md, "--db", demo_db(), check=0)
        self.assertIn("未发现问题", p.stdout)
        out, _ = self.draft(B_ARGS, "b.docx")
        run("proofread", out, "--db", demo_db(), "--region", "411400", "--period", "2015-H1", check=0)
        out, _ = self.draft(A_ARGS, "a.docx")
        run("proofread", out, "--db", demo_db(), "--region", "411628", "--period", "2019", check=0)
        run("proofread", out, "--db", demo_db(), "--region", "411628", check=0)
        self.assertEqual(run("proofread", self.path("x.pdf")).returncode, 2)
        self.assertEqual(run("proofread", txt, "--region", "411628").returncode, 2)
        self.assertEqual(run("proofread", self.path("missing.txt")).returncode, 3)

    def test_proofread_facts(self):
        """Each fact: the figure as the ledgers have it passes, an altered one is
        flagged with the ledger's value as the suggestion."""
        a = ["--region", "411628", "--period", "2019"]
        b = ["--region", "411400", "--period", "2015-H1"]
        cases = [  # (text with {} for the figure, right, wrong, scope)
            ("截至2019年底全县{}个行政村未建设或不达标。", "21", "22", a),
            ("未建设或不达标的行政村{}个。", "21", "20", a),
            ("截至2019年底{}万元奖补资金未拨付到位。", "2016", "2017", a),
            ("共派驻业务骨干及年轻后备干部{}人。", "11", "12", a),
            ("共派驻驻村干部{}人。", "11", "10", a),
            ("全县贫困村都建成了文化广场，其中广场面积达到1000平方米以上的{}个。", "70", "71", a),
            ("广场面积1000平方米以上的{}个。", "70", "69", a),
            ("500平方米以上1000平方米以下的{}个。", "35", "36", a),
            ("截至2019年底有{}户建档立卡贫困户的户户通设备处于故障状态。", "283", "284", a),
            ("2018、2019年建成的{}个村级综合性文化中心。", "336", "337", a),
            ("共签约项目{}个，总投资92.3亿元。", "29", "30", b),
            ("上半年落地项目{}个。", "13", "12", b),
        ]
        for i, (text, right, wrong, scope) in enumerate(cases):
            with self.subTest(text=text):
                good, bad = self.path(f"good{i}.txt"), self.path(f"bad{i}.txt")
                for path, fig in ((good, right), (bad, wrong)):
                    with open(path, "w", encoding="utf-8") as f:
                        f.write(text.format(fig) + "\n")
                p = run("proofread", good, "--db", demo_db(), *scope, check=0)
                self.assertIn("未发现问题", p.stdout)
                p = run("proofread", bad, "--db", demo_db(), *scope, check=1)
                self.assertIn("数字与台账不符", p.stdout)
                self.assertIn(f"建议改为“{right}", p.stdout)
        # a figure of one year is not the figure of the years together
        yearly = self.path("yearly.txt")
        with open(yearly, "w", encoding="utf-8") as f:
            f.write("2018年安装建档立卡贫困户电视信号4809户，2019年安装3543户。\n"
                    "2019年新建成180个村级文化服务中心。\n")
        run("proofread", yearly, "--db", demo_db(), *a, check=0)


class TestTemplateRows(ReportCase):
    """rows(ledger, where, region) keeps the rows one of whose region columns
    lies under the region (the database selects them: at 10 000 000
    households a county report read every event of the province before)."""

    def rows_of(self, calls):
        tpl = self.path("rows.lua")
        with open(tpl, "w", encoding="utf-8") as f:
            f.write("title('行')\n")
            for call in calls:
                f.write("do local k = {}\n"
                        f"for _, r in ipairs({call}) do k[#k + 1] = r._key end\n"
                        "table.sort(k)\npara('〔' .. table.concat(k, ',') .. '〕') end\n")
        out = self.path("rows.md")
        p = run("report", demo_db(), "--template", tpl, "--region", "411628", "--period", "2019",
                "-o", out, "--no-proofread", check=0)
        self.assertEqual(p.returncode, 0, p.stderr)
        return re.findall(r"〔([^〕]*)〕", self.read(out))

    def test_region_filter(self):
        db = demo_db()
        village = db_rows(db, "SELECT place FROM cultural_events WHERE place LIKE '411628%' AND "
                              "place NOT LIKE '%000' GROUP BY place ORDER BY COUNT(*) DESC, "
                              "place LIMIT 1")[0][0]
        kind = db_rows(db, "SELECT kind FROM cultural_events WHERE place LIKE '411628%' GROUP "
                           "BY kind ORDER BY COUNT(*) DESC LIMIT 1")[0][0]
        got = self.rows_of([
            'rows("cultural_events", nil, "411628")',
            f'rows("cultural_events", nil, "{village}")',
            f'rows("cultural_events", {{["活动类型"] = "{kind}"}}, "411628")',
            # two region columns (代码, 上级): either one under the county
            'rows("regions", nil, "411628")',
            # no region column: nothing lies under a region
            'rows("tv_installs", nil, "411628")'])

        def keys(sql, params=()):
            return ",".join(sorted(r[0] for r in db_rows(db, sql, params)))
        want = [keys("SELECT event_id FROM cultural_events WHERE place LIKE '411628%'"),
                keys("SELECT event_id FROM cultural_events WHERE place = ?", (village,)),
                keys("SELECT event_id FROM cultural_events WHERE place LIKE '411628%' AND "
                     "kind = ?", (kind,)),
                keys("SELECT code FROM regions WHERE code LIKE '411628%' OR parent LIKE "
                     "'411628%'"),
                ""]
        self.assertEqual(got, want)
        self.assertTrue(all(want[:4]), want)
        self.assertLess(len(want[1]), len(want[0]))
        self.assertLess(len(want[2]), len(want[0]))


class TestErrors(ReportCase):
    def test_template_error_names_file_and_line(self):
        tpl = self.path("broken.lua")
        with open(tpl, "w", encoding="utf-8") as f:
            f.write("title('x')\nlocal n = ind('贫困村数')\npara(n .. nosuch.field)\n")
        _, p = self.draft(["--template", tpl, "--region", "411628", "--period", "2019"], "x.md",
                          check=1)
        self.assertIn("broken.lua 第3行", p.stderr)
        self.assertIn("“nosuch”", p.stderr)
        self.assertIn("汇报材料未生成", p.stderr)
        self.assertFalse(os.path.exists(self.path("x.md")))

    def test_pairs_order_is_deterministic(self):
        tpl = self.path("ord.lua")
        with open(tpl, "w", encoding="utf-8") as f:
            f.write('local t = {}\nfor i = 1, 60 do t["k" .. i] = i end\nlocal s = {}\n'
                    'for k in pairs(t) do s[#s + 1] = k end\ntitle("顺序")\n'
                    'para(table.concat(s, ","))\n')
        outs = set()
        for i in range(4):
            out = self.path(f"o{i}.md")
            run("report", demo_db(), "--template", tpl, "--region", "411400", "--period", "2015",
                "-o", out, "--no-proofread", check=0)
            outs.add(open(out, encoding="utf-8").read())
        self.assertEqual(len(outs), 1)
        self.assertIn("k1,k10,k11", outs.pop())

    def test_sandbox_has_no_os_or_io(self):
        tpl = self.path("escape.lua")
        with open(tpl, "w", encoding="utf-8") as f:
            f.write("title('x')\nos.execute('touch " + self.path("owned") + "')\n")
        _, p = self.draft(["--template", tpl, "--region", "411628", "--period", "2019"], "x.md",
                          check=1)
        self.assertIn("escape.lua 第2行", p.stderr)
        self.assertFalse(os.path.exists(self.path("owned")))

    def test_usage(self):
        db = demo_db()
        self.assertEqual(run("report", db, *A_ARGS).returncode, 2)  # no -o
        self.assertEqual(run("report", db, "--kind", "nosuch", "--region", "411628", "--period",
                             "2019", "-o", self.path("x.md")).returncode, 2)
        self.assertEqual(run("report", db, *A_ARGS, "-o", self.path("x.pdf")).returncode, 2)
        p = run("report", db, *A_ARGS[:-2], "--period", "2019-13", "-o", self.path("x.md"))
        self.assertEqual(p.returncode, 2)
        self.assertIn("期间 \"2019-13\" 有误", p.stderr)
        p = run("report", db, "--kind", "poverty-work", "--region", "没有这个县", "--unit",
                "县文化广电旅游局", "--period", "2019", "-o", self.path("x.md"))
        self.assertEqual(p.returncode, 2)
        self.assertIn("没有这个县", p.stderr)
        p = run("report", db, "--kind", "poverty-work", "--region", "411628", "--unit",
                "没有这个局", "--period", "2019", "-o", self.path("x.md"))
        self.assertEqual(p.returncode, 2)
        self.assertIn("责任单位台账中没有单位 \"没有这个局\"", p.stderr)
        p = run("report", db, "--kind", "poverty-work", "--region", "411628", "--period", "2019",
                "-o", self.path("x.md"))
        self.assertEqual(p.returncode, 2)
        self.assertIn("--unit", p.stderr)
        # each seed report is for one scope: a county unit's report, a city's
        p = run("report", db, "--kind", "investment", "--region", "411628", "--period", "2015-H1",
                "-o", self.path("x.md"))
        self.assertEqual(p.returncode, 2)
        self.assertIn("请指定市级区划", p.stderr)
        p = run("report", db, "--kind", "poverty-work", "--region", "411628", "--unit", "市商务局",
                "--period", "2019", "-o", self.path("x.md"))
        self.assertEqual(p.returncode, 2)
        self.assertIn("不属于鹿邑县", p.stderr)
        self.assertFalse(os.path.exists(self.path("x.md")))
        p = run("report", "--help", check=0)
        self.assertIn("用法", p.stdout)
        self.assertIn("--appendix", p.stdout)
        p = run("proofread", "--help", check=0)
        self.assertIn("用法", p.stdout)


class TestKinds(ReportCase):
    """Report kinds are what the templates declare: adding a kind is adding a
    file to the templates directory."""

    def templates_with_third(self):
        tdir = self.path("templates")
        os.mkdir(tdir)
        for name in os.listdir(os.path.join(ROOT, "templates")):
            shutil.copy(os.path.join(ROOT, "templates", name), tdir)
        shutil.copy(os.path.join(ROOT, "tests", "data", "templates", "culture-centres.lua"), tdir)
        return tdir

    def test_list_reads_the_templates(self):
        p = run("report", "--list", check=0)
        kinds = [line.split()[0] for line in p.stdout.splitlines()]
        self.assertEqual(kinds, ["investment", "poverty-work"])
        self.assertIn("开放招商工作情况(市级区划)", p.stdout)
        self.assertIn("精准扶贫工作汇报(县级区划,需要 --unit:县直单位)", p.stdout)
        self.assertIn("poverty-work", run("report", "--help", check=0).stdout)
        tdir = self.templates_with_third()
        p = run("report", "--list", "--templates", tdir, check=0)
        kinds = [line.split()[0] for line in p.stdout.splitlines()]
        self.assertEqual(kinds, ["culture-centres", "investment", "poverty-work"])
        self.assertIn("村级文化服务中心建设情况(县级区划)", p.stdout)
        # an unknown kind names the kinds there are
        p = run("report", demo_db(), "--kind", "nosuch", "--templates", tdir, "--region",
                "411628", "--period", "2019", "-o", self.path("x.md"), check=2)
        self.assertIn("culture-centres", p.stderr)

    def test_third_kind_is_drafted(self):
        tdir = self.templates_with_third()
        out, p = self.draft(["--kind", "culture-centres", "--templates", tdir, "--region",
                             "411628", "--period", "2019"], "c.md", check=0)
        text = self.read(out)
        self.assertIn("# 鹿邑县村级文化服务中心建设情况", text)
        self.assertRegex(text, r"全县\d+个行政村中，\d+个行政村建成了村级文化服务中心")
        self.assertIn("校对未发现问题", p.stdout)
        # its declared scope: a county
        p = run("report", demo_db(), "--kind", "culture-centres", "--templates", tdir,
                "--region", "411400", "--period", "2019", "-o", self.path("y.md"), check=2)
        self.assertIn("村级文化服务中心建设情况按县汇报,商丘市是市级区划,请指定县级区划", p.stderr)
        # its declared facts are what `proofread` checks a text against
        built = re.search(r"(\d+)个行政村建成了村级文化服务中心", text).group(1)
        bad = self.path("bad.txt")
        with open(bad, "w", encoding="utf-8") as f:
            f.write(f"全县{int(built) + 1}个行政村建成了村级文化服务中心。\n")
        p = run("proofread", bad, "--db", demo_db(), "--region", "411628", "--period", "2019",
                "--templates", tdir, check=1)
        self.assertIn(f"建议改为“{built}", p.stdout)
        run("proofread", bad, "--db", demo_db(), "--region", "411628", "--period", "2019",
            check=0)

    def test_declaration_is_checked(self):
        tdir = self.path("bad-templates")
        os.mkdir(tdir)
        for name, body in (("typo.lua", "report { kind = 'typo', title = 'x', "
                                        "indicators = { '贫困村树' } }\n"),
                           ("other.lua", "report { kind = 'another', title = 'x', indicators = {} }\n"),
                           ("plain.lua", "title('x')\n"),
                           ("ok.lua", "report { kind = 'ok', title = '好', indicators = {} }\n")):
            with open(os.path.join(tdir, name), "w", encoding="utf-8") as f:
                f.write(body)
        p = run("report", "--list", "--templates", tdir, check=0)
        self.assertEqual(p.stdout.split()[0], "ok")
        self.assertEqual(len(p.stdout.splitlines()), 1)
        self.assertIn("typo.lua: 未列为汇报种类:模板的声明有误:indicators 中的指标“贫困村树”不存在", p.stderr)
        self.assertIn("kind “another”与文件名不符", p.stderr)
        self.assertIn("plain.lua", p.stderr)
        p = run("report", demo_db(), "--kind", "typo", "--templates", tdir, "--region", "411628",
                "--period", "2019", "-o", self.path("x.md"), check=3)
        self.assertIn("贫困村树", p.stderr)
        self.assertFalse(os.path.exists(self.path("x.md")))


if __name__ == "__main__":
    unittest.main()
