#!/usr/bin/env python3
"""national_export.py - makes the national poverty information system's
person-level export (全国扶贫开发信息系统 贫困人口明细) of the demo county's
households, as a county office downloads it: a title row, then the header,
then one row per family member (户编号, 人编号, 姓名, 证件号码, 人数,
与户主关系, ...), the village given by its county, township and village names,
not by its code.

Each household of households.csv becomes 家庭人口 person rows: the head with
the CSV's 户主姓名 and 户主身份证号, the others with generated names and valid
GB 11643 ID numbers (region of the county, plausible birth dates for the
relation, check digit). The household columns (贫困户属性, 主要致贫原因,
识别年度, 脱贫属性, 人均纯收入, 三保障, 帮扶责任人) are repeated on every
person row, as the system writes them. Columns the households ledger does not
keep (性别, 民族, 文化程度, 健康状况, 劳动技能, 联系电话, 开户银行, 银行卡号, ...)
are filled with plausible values, so the file looks like the real one.

Python 3 standard library only: the xlsx is written with zipfile.

    python3 tests/clerk/national_export.py OUT.xlsx [--limit N] [--interleave]

    from national_export import make_national_export
    stats = make_national_export("out.xlsx", "examples/county/households.csv",
                                 "examples/county/regions.csv", limit=200)
"""
import csv
import datetime
import random
import sys
import zipfile
from xml.sax.saxutils import escape

HEADER = ["序号", "省", "市", "县", "乡(镇)", "行政村", "自然村", "户编号", "人编号", "姓名",
          "证件号码", "人数", "与户主关系", "性别", "民族", "文化程度", "在校生状况", "健康状况",
          "劳动技能", "务工状况", "务工时间(月)", "是否参加大病保险", "贫困户属性", "主要致贫原因",
          "识别年度", "脱贫属性", "人均纯收入", "义务教育有保障", "基本医疗有保障", "住房安全有保障",
          "饮水安全有保障", "联系电话", "开户银行", "银行卡号", "帮扶责任人"]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN_M = "伟强军磊洋勇杰涛明超刚平辉鹏华飞鑫波宇浩凯健俊帅帆旭宁龙林峰建国志东海庆新春红"
GIVEN_F = "芳娜敏静丽艳娟霞燕玲桂英兰秀梅琴云莲真环雪荣爱妹香月莺媛凤洁琳素婷"
WEIGHTS = [7, 9, 10, 8, 6, 3, 2, 2]  # relations' likelihood as the next member, see _relations


def _check_digit(first17):
    """GB 11643 check character of the first 17 digits."""
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    s = sum(int(c) * k for c, k in zip(first17, w))
    return "10X98765432"[s % 11]


def make_id(region6, birth, male, rng):
    """A valid 18-character ID number: region, birth date, sequence (odd for a
    man, even for a woman), check digit."""
    seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
    first = f"{region6}{birth:%Y%m%d}{seq:03d}"
    return first + _check_digit(first)


def _birth(year, rng):
    year = max(1920, min(2019, year))
    start = datetime.date(year, 1, 1)
    return start + datetime.timedelta(days=rng.randrange(0, 365))


def _given(male, rng):
    pool = GIVEN_M if male else GIVEN_F
    return "".join(rng.choice(pool) for _ in range(rng.choice((1, 2, 2))))


def _relations(n, head_year, rng):
    """The relations of n - 1 members besides the head: a spouse usually,
    children, then grandchildren (a head born before 1965) or a parent (a
    head born after 1950), each parent once."""
    out = []
    if n > 1 and rng.random() < 0.85:
        out.append("配偶")
    kinds = ["之子", "之女", "之子", "之女", "之孙子", "之孙女", "之父", "之母"]
    while len(out) < n - 1:
        r = rng.choices(kinds, weights=WEIGHTS)[0]
        if r in ("之父", "之母") and (r in out or head_year <= 1950):
            r = "之子"
        if r in ("之孙子", "之孙女") and head_year >= 1965:
            r = "之女"
        out.append(r)
    return out


def _member(head_birth, head_male, surname, rel, region6, rng):
    """One member's name, ID, sex and birth date."""
    hy = head_birth.year
    if rel == "配偶":
        male = not head_male
        year = hy + rng.randint(-5, 5)
        name = rng.choice(SURNAMES) + _given(male, rng)
    elif rel in ("之父", "之母"):
        male = rel == "之父"
        year = hy - rng.randint(20, 32)
        name = (surname if male else rng.choice(SURNAMES)) + _given(male, rng)
    elif rel in ("之孙子", "之孙女"):
        male = rel == "之孙子"
        year = hy + rng.randint(44, 60)
        name = surname + _given(male, rng)
    else:
        male = rel == "之子"
        year = hy + rng.randint(20, 36)
        name = surname + _given(male, rng)
    birth = _birth(year, rng)
    return name, make_id(region6, birth, male, rng), male, birth


def _school(birth, rng):
    age = 2020 - birth.year
    if 6 <= age <= 12:
        return "小学", "小学"
    if 13 <= age <= 15:
        return "初中", "初中"
    if 16 <= age <= 18:
        return "高中", rng.choice(["普通高中", "中职"])
    return rng.choice(["文盲或半文盲", "小学", "小学", "初中", "初中", "高中"]), "非在校生"


def _load_regions(path):
    regions = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            regions[row["区划代码"]] = (row["名称"], row["上级区划代码"], row["层级"])
    return regions


def _chain(regions, code):
    """Names by level (省, 市, 县, 乡, 村) of the region code and its ancestors."""
    out = {}
    while code and code in regions:
        name, parent, level = regions[code]
        out[level] = name
        code = parent
    return out


def _household_rows(hh, regions, rng, exit_column):
    """The person rows of one household (head first)."""
    n = int(hh["家庭人口"])
    head_id = hh["户主身份证号"]
    head_birth = datetime.date(int(head_id[6:10]), int(head_id[10:12]), int(head_id[12:14]))
    head_male = int(head_id[16]) % 2 == 1
    surname = hh["户主姓名"][0]
    names = _chain(regions, hh["所在村代码"])
    village = names.get("村", "")
    exited = hh["脱贫年度"]
    if exit_column == "脱贫属性":
        exit_value = f"{exited}年已脱贫" if exited else "未脱贫"
    else:
        exit_value = exited
    phone = "1" + rng.choice("3578") + "".join(rng.choice("0123456789") for _ in range(9))
    card = "623059" + "".join(rng.choice("0123456789") for _ in range(13))
    people = [(hh["户主姓名"], head_id, head_male, head_birth, "户主")]
    for rel in _relations(n, head_birth.year, rng):
        name, pid, male, birth = _member(head_birth, head_male, surname, rel, head_id[:6], rng)
        people.append((name, pid, male, birth, rel))
    rows = []
    for k, (name, pid, male, birth, rel) in enumerate(people, 1):
        edu, school = _school(birth, rng)
        age = 2020 - birth.year
        working = 18 <= age <= 60
        rows.append({
            "省": names.get("省", ""), "市": names.get("市", ""), "县": names.get("县", ""),
            "乡(镇)": names.get("乡", ""), "行政村": village,
            "自然村": village.rstrip("村") + rng.choice(["东组", "西组", "南组", "北组", "前庄", "后庄"]),
            "户编号": hh["户编号"], "人编号": f"{hh['户编号']}{k:02d}", "姓名": name, "证件号码": pid,
            "人数": n, "与户主关系": rel, "性别": "男" if male else "女", "民族": "汉族",
            "文化程度": edu, "在校生状况": school,
            "健康状况": rng.choice(["健康", "健康", "健康", "长期慢性病", "患有大病", "残疾"]),
            "劳动技能": rng.choice(["普通劳动力", "普通劳动力", "技能劳动力", "弱劳动力或半劳动力"]) if working else "无劳动力",
            "务工状况": rng.choice(["县外省内务工", "省外务工", "乡镇内务工", ""]) if working else "",
            "务工时间(月)": rng.choice([3, 6, 8, 10, 12]) if working else "",
            "是否参加大病保险": "是",
            "贫困户属性": hh["贫困户属性"], "主要致贫原因": hh["主要致贫原因"],
            "识别年度": int(hh["识别年度"]) if hh["识别年度"] else "",
            exit_column: int(exit_value) if exit_column == "脱贫年度" and exit_value else exit_value,
            "人均纯收入": _number(hh["人均纯收入(元)"]),
            "义务教育有保障": hh["义务教育保障"], "基本医疗有保障": hh["基本医疗保障"],
            "住房安全有保障": hh["住房安全保障"], "饮水安全有保障": hh["饮水安全保障"],
            "联系电话": phone if k == 1 else "", "开户银行": "河南鹿邑农村商业银行" if k == 1 else "",
            "银行卡号": card if k == 1 else "", "帮扶责任人": hh["帮扶责任人"],
        })
    return rows


def _number(s):
    if s == "":
        return ""
    v = float(s)
    return int(v) if v == int(v) else v


def _col_letters(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _write_xlsx(path, title, header, rows):
    """A single-sheet xlsx: the title in A1 merged over the header's width,
    then the header, then the rows; text as inline strings, numbers as
    numbers. Returns path."""
    last = _col_letters(len(header) - 1)
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, row in enumerate([[title], header] + rows, 1):
        out.append(f'<row r="{r}">')
        for c, v in enumerate(row):
            if v is None or v == "":
                continue
            ref = f"{_col_letters(c)}{r}"
            if isinstance(v, (int, float)):
                out.append(f'<c r="{ref}"><v>{v}</v></c>')
            else:
                out.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>')
        out.append("</row>")
    out.append(f'</sheetData><mergeCells count="1"><mergeCell ref="A1:{last}1"/></mergeCells></worksheet>')
    rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg_ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels",
                   f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg_ns}">'
                   f'<Relationship Id="rId1" Type="{rel_ns}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   f'xmlns:r="{rel_ns}"><sheets><sheet name="贫困人口明细" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg_ns}">'
                   f'<Relationship Id="rId1" Type="{rel_ns}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", "".join(out))
    return path


def make_national_export(out_path, households_csv, regions_csv, limit=None, interleave=False,
                         exit_column="脱贫属性", seed=20201231):
    """Writes the person-level export of the households in households_csv
    (the first `limit` when given) to out_path (.xlsx).

    interleave: list the persons of the households round-robin (member k of
    every household before member k + 1 of any), as an export sorted by
    another column would, instead of household by household.
    exit_column: "脱贫属性" ("2018年已脱贫" / "未脱贫") or "脱贫年度" (the year).
    seed: the generated names and IDs depend only on it and the input.

    Returns {"households": H, "persons": P, "members": P - H, "rows": P}."""
    if exit_column not in ("脱贫属性", "脱贫年度"):
        raise ValueError("exit_column: 脱贫属性 or 脱贫年度")
    rng = random.Random(seed)
    regions = _load_regions(regions_csv)
    with open(households_csv, encoding="utf-8-sig", newline="") as f:
        households = list(csv.DictReader(f))
    if limit is not None:
        households = households[:limit]
    per = [_household_rows(hh, regions, rng, exit_column) for hh in households]
    if interleave:
        ordered = [p[k] for k in range(max((len(p) for p in per), default=0)) for p in per if k < len(p)]
    else:
        ordered = [r for p in per for r in p]
    header = [exit_column if h == "脱贫属性" else h for h in HEADER]
    rows = []
    for i, r in enumerate(ordered, 1):
        r["序号"] = i
        rows.append([r.get(h, "") for h in header])
    county = next((p[0]["县"] for p in per if p), "")
    _write_xlsx(out_path, f"{county}建档立卡贫困人口明细(全国扶贫开发信息系统导出)", header, rows)
    return {"households": len(households), "persons": len(rows),
            "members": len(rows) - len(households), "rows": len(rows)}


def main(argv):
    import argparse
    p = argparse.ArgumentParser(description="全国扶贫开发信息系统人员名单(示例县)")
    p.add_argument("out")
    p.add_argument("--households", default="examples/county/households.csv")
    p.add_argument("--regions", default="examples/county/regions.csv")
    p.add_argument("--limit", type=int)
    p.add_argument("--interleave", action="store_true")
    p.add_argument("--exit-column", default="脱贫属性", choices=["脱贫属性", "脱贫年度"])
    a = p.parse_args(argv)
    st = make_national_export(a.out, a.households, a.regions, limit=a.limit,
                              interleave=a.interleave, exit_column=a.exit_column)
    print(f"{a.out}: {st['households']}户 {st['persons']}人")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
