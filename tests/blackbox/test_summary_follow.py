"""Summaries follow changes (issue 13, item 7): an import re-derives the
summary rows of the villages it touched, and only those, and every figure
then still equals the one read from the ledgers (TZ_METRICS_SUMMARY=0). A
change made outside taizhang (the sqlite3 shell) is recorded by the row
triggers and followed the same way; one the records do not cover (another
ledger changed outside taizhang, an install of no registered household)
rebuilds the summaries in full. A write through taizhang of a ledger no
village summary reads counts that ledger's gaps again, and nothing else. Which path ran is read from TZ_METRICS_TRACE, never
from a time."""
import csv
import json
import os
import re
import shutil
import sqlite3
import subprocess
import unittest

from tzlib import HOUSEHOLDS_HEADER, CENTERS_HEADER, SharedDemo, TzCase, db_rows, \
    run_metrics, write_csv

COUNTY = "411628"
CITY = "411400"
_demo = SharedDemo("tz-follow-")
tearDownModule = _demo.cleanup

HH_COLS = ("hh_id, head_name, id_number, village, members, kind, cause, year_identified, "
           "year_exited, income, edu_ok, med_ok, house_ok, water_ok, helper")


# the 户户通 task counts, read from tz_agg_hh by install month
TV_TASK = ("户户通任务户数", "户户通任务未安装户数", "已脱贫未安装户户通户数")


tz = run_metrics


def followed(stderr):
    """The villages a traced command re-derived, or None when it rebuilt in full
    (and [] when it did neither)."""
    if "汇总表已重建" in stderr:
        return None
    m = re.search(r"重新汇总的村:(.*)", stderr)
    return sorted(m.group(1).split()) if m else []


def csv_row(row):
    yes = {1: "是", 0: "否", None: ""}
    out = []
    for i, v in enumerate(row):
        if 10 <= i <= 13:
            out.append(yes[v])
        elif isinstance(v, float) and v.is_integer():
            out.append(str(int(v)))
        else:
            out.append("" if v is None else str(v))
    return out


class TestFollow(TzCase):
    def setUp(self):
        super().setUp()
        self.db = self.path("follow.db")
        shutil.copy(_demo.get(), self.db)
        tz("check", self.db, "--region", COUNTY, "--period", "2019")  # summaries current

    def same_as_ledgers(self, villages):
        """Every check and the village-level indicators equal the ledger reading."""
        scopes = [COUNTY, CITY] + sorted({v[:9] for v in villages}) + sorted(villages)
        for region in scopes:
            for period in ("2019", "2016"):
                a = ("check", self.db, "--region", region, "--period", period, "--json")
                self.assertEqual(json.loads(tz(*a).stdout),
                                 json.loads(tz(*a, summaries=False).stdout), (region, period))
        for name in ("贫困发生率(%)", "户户通安装户数", "未脱贫户数", "未脱贫人口") + TV_TASK:
            a = ("indicator", self.db, name, "--region", COUNTY, "--period", "2019", "--by",
                 "village", "--json")
            self.assertEqual(json.loads(tz(*a).stdout),
                             json.loads(tz(*a, summaries=False).stdout), name)
        # the groupings tz_agg_tv keeps besides the regions (a report's 安装单位)
        for name in ("户户通故障户数", "户户通安装户数"):
            for by in ("installer", "status"):
                a = ("indicator", self.db, name, "--region", COUNTY, "--period", "2019", "--by",
                     by, "--json")
                self.assertEqual(json.loads(tz(*a).stdout),
                                 json.loads(tz(*a, summaries=False).stdout), (name, by))

    def same_as_rebuild(self):
        """Row for row, the summaries a follow left equal a full rebuild's."""
        tables = ("tz_agg_hh", "tz_agg_pm", "tz_agg_tv", "tz_agg_null", "tz_agg_exit",
                  "tz_agg_fault", "tz_agg_dup")

        def dump():
            return {t: sorted(map(repr, db_rows(self.db, f"SELECT * FROM {t}"))) for t in tables}
        after_follow = dump()
        self.shell("DELETE FROM tz_meta WHERE key = 'agg_version'")
        p = tz("check", self.db, "--region", COUNTY, "--period", "2019", trace=True)
        self.assertIsNone(followed(p.stderr), p.stderr)
        rebuilt = dump()
        for t in tables:
            self.assertEqual(after_follow[t], rebuilt[t], t)

    def import_households(self, rows):
        csv = write_csv(self.path("hh.csv"), HOUSEHOLDS_HEADER, [csv_row(r) for r in rows])
        return tz("import", self.db, "households", csv, "--quiet", trace=True)

    def test_household_moves_village(self):
        row = list(db_rows(self.db, f"SELECT {HH_COLS} FROM households WHERE year_exited IS "
                                    "NULL ORDER BY hh_id LIMIT 1")[0])
        a = row[3]
        b = db_rows(self.db, "SELECT MAX(village) FROM households WHERE village <> ?", (a,))[0][0]
        row[3], row[4] = b, (row[4] or 0) + 2
        p = self.import_households([row])
        self.assertEqual(followed(p.stderr), sorted([a, b]), p.stderr)
        self.assertIn("汇总表已按改动的村更新", p.stderr)
        # nothing left to do: the next check reads the summaries as they are
        p = tz("check", self.db, "--region", COUNTY, "--period", "2019", trace=True)
        self.assertEqual(followed(p.stderr), [], p.stderr)
        self.same_as_ledgers([a, b])
        self.same_as_rebuild()

    def twin_elsewhere(self, offset, pick, seq):
        """The household at offset (by 户编号) and a new row of the same name
        and birth date (digits 7-14), another 身份证号 (sequence seq), in
        another village (the MIN or MAX one): (src, twin, src's village,
        twin's village)."""
        src = list(db_rows(self.db, f"SELECT {HH_COLS} FROM households ORDER BY hh_id "
                                    f"LIMIT 1 OFFSET {offset}")[0])
        a = src[3]
        b = db_rows(self.db, f"SELECT {pick}(village) FROM households WHERE village <> ?",
                    (a,))[0][0]
        twin = list(src)
        twin[0] = str(int(db_rows(self.db, "SELECT MAX(hh_id) FROM households")[0][0]) + 1)
        if src[2][14:17] == seq:
            seq = str(int(seq) - 1)
        twin[2] = _fix_check_digit(src[2][:14] + seq + "0")
        twin[3] = b
        return src, twin, a, b

    def test_duplicate_person_appears_and_goes(self):
        """The duplicate cache compares people across villages: a new row in
        village b for a person of village a makes both candidates; moving it to
        a removes them again."""
        src, twin, a, b = self.twin_elsewhere(0, "MIN", "998")
        p = self.import_households([twin])
        self.assertEqual(followed(p.stderr), [b], p.stderr)
        r = json.loads(tz("check", self.db, "--region", COUNTY, "--period", "2019",
                          "--json").stdout)
        dup = [f for f in r["findings"] if f["rule"] == "household_duplicate"]
        self.assertTrue(dup and any(twin[0] in k or src[0] in k for k in dup[0]["keys"]), dup)
        self.same_as_ledgers([a, b])
        self.same_as_rebuild()
        twin[3] = a
        p = self.import_households([twin])
        self.assertEqual(followed(p.stderr), sorted([a, b]), p.stderr)
        self.same_as_ledgers([a, b])
        self.same_as_rebuild()

    def test_nameless_duplicate_follows(self):
        """A 户主姓名 left empty counts as "" in the duplicate cache: two
        nameless rows of one birth date in two villages become candidates
        when a shell UPDATE empties the names, and stop being when one name
        comes back; the follow matches a rebuild each time."""
        src, twin, a, b = self.twin_elsewhere(5, "MAX", "996")
        twin[1] = "另名"
        self.import_households([twin])
        self.same_as_rebuild()
        self.shell(f"UPDATE households SET head_name = NULL WHERE hh_id IN ('{src[0]}', "
                   f"'{twin[0]}')")
        p = tz("check", self.db, "--region", COUNTY, "--period", "2019", trace=True)
        self.assertEqual(followed(p.stderr), sorted([a, b]), p.stderr)
        got = db_rows(self.db, "SELECT hh_id FROM tz_agg_dup WHERE head_name IS NULL ORDER BY 1")
        self.assertEqual(got, sorted([(src[0],), (twin[0],)]))
        self.same_as_rebuild()
        self.shell(f"UPDATE households SET head_name = '另名' WHERE hh_id = '{twin[0]}'")
        p = tz("check", self.db, "--region", COUNTY, "--period", "2019", trace=True)
        self.assertEqual(followed(p.stderr), [b], p.stderr)
        self.assertEqual(db_rows(self.db, "SELECT hh_id FROM tz_agg_dup WHERE head_name IS NULL"),
                         [])
        self.same_as_rebuild()

    def test_install_turns_faulty(self):
        hh, village, date, who = db_rows(
            self.db, "SELECT t.hh_id, h.village, t.install_date, t.installer FROM tv_installs t "
                     "JOIN households h ON h.hh_id = t.hh_id WHERE t.status = '正常' "
                     "ORDER BY t.hh_id LIMIT 1")[0]
        csv = write_csv(self.path("tv.csv"), ["户编号", "安装日期", "安装单位", "状态"],
                        [[hh, date, who, "故障"]])
        p = tz("import", self.db, "tv_installs", csv, "--quiet", trace=True)
        self.assertEqual(followed(p.stderr), [village], p.stderr)
        self.same_as_ledgers([village])

    def test_tv_task_counts_read_from_the_summary(self):
        """The 户户通 task counts equal the ledger reading in every kind of
        period, at the county and in each village, and after an install moves
        to another month (and year)."""
        def same():
            for period in ("2019", "2019-06", "2018-Q3", "2017-H2", "2016", "2020-12"):
                for by in ((), ("--by", "village")):
                    for name in TV_TASK:
                        a = ("indicator", self.db, name, "--region", COUNTY, "--period", period,
                             *by, "--json")
                        p = tz(*a, trace=True)
                        self.assertIn("tz_agg_hh", p.stderr, (name, "read from the summary"))
                        self.assertEqual(json.loads(p.stdout),
                                         json.loads(tz(*a, summaries=False).stdout),
                                         (name, period, by))
        same()
        hh, village, date, who, status = db_rows(
            self.db, "SELECT t.hh_id, h.village, t.install_date, t.installer, t.status FROM "
                     "tv_installs t JOIN households h ON h.hh_id = t.hh_id ORDER BY t.hh_id "
                     "LIMIT 1")[0]
        moved = "2019-12-31" if not date.startswith("2019-12") else "2017-01-01"
        csv = write_csv(self.path("tv.csv"), ["户编号", "安装日期", "安装单位", "状态"],
                        [[hh, moved, who, status]])
        p = tz("import", self.db, "tv_installs", csv, "--quiet", trace=True)
        self.assertEqual(followed(p.stderr), [village], p.stderr)
        same()

    def test_many_villages_rebuild(self):
        """An import touching more than 64 villages rebuilds in full (one read of
        each ledger in table order beats fetching their rows by village)."""
        rows = [list(r) for r in db_rows(
            self.db, f"SELECT {HH_COLS} FROM households WHERE hh_id IN (SELECT MIN(hh_id) "
                     "FROM households GROUP BY village) ORDER BY village LIMIT 65")]
        self.assertEqual(len({r[3] for r in rows}), 65)
        for r in rows:
            r[4] = (r[4] or 0) + 1
        p = self.import_households(rows)
        self.assertIsNone(followed(p.stderr), p.stderr)
        for r in rows[:64]:  # 64 villages: followed
            r[4] += 1
        p = self.import_households(rows[:64])
        self.assertEqual(followed(p.stderr), sorted(r[3] for r in rows[:64]))
        self.same_as_ledgers([rows[0][3], rows[-1][3]])

    def shell(self, sql, args=()):
        """A write made outside taizhang, as the sqlite3 shell would."""
        con = sqlite3.connect(self.db)
        con.execute(sql, args)
        con.commit()
        con.close()

    def test_change_outside_taizhang_follows(self):
        # the row triggers record the villages of a write taizhang did not make
        hh, village = db_rows(self.db, "SELECT hh_id, village FROM households WHERE "
                                       "year_exited IS NULL ORDER BY hh_id LIMIT 1")[0]
        other = db_rows(self.db, "SELECT MAX(village) FROM households WHERE village <> ?",
                        (village,))[0][0]
        self.shell("UPDATE households SET year_exited = 2019 WHERE hh_id = ?", (hh,))
        p = tz("check", self.db, "--region", COUNTY, "--period", "2019", trace=True)
        self.assertEqual(followed(p.stderr), [village], p.stderr)
        self.same_as_ledgers([village])
        # a move records both villages; an install's village is its household's
        self.shell("UPDATE households SET village = ? WHERE hh_id = ?", (other, hh))
        tv = db_rows(self.db, "SELECT t.hh_id, h.village FROM tv_installs t JOIN households h "
                              "ON h.hh_id = t.hh_id WHERE h.village NOT IN (?, ?) ORDER BY "
                              "t.hh_id LIMIT 1", (village, other))[0]
        self.shell("UPDATE tv_installs SET status = '故障' WHERE hh_id = ?", (tv[0],))
        p = tz("check", self.db, "--region", COUNTY, "--period", "2019", trace=True)
        self.assertEqual(followed(p.stderr), sorted([village, other, tv[1]]), p.stderr)
        self.same_as_ledgers([village, other, tv[1]])
        # 家庭人口 no longer recorded in a whole village: its groups' sums are
        # NULL (as SUM over no value is), its ancestors' are not
        self.shell("UPDATE households SET members = NULL WHERE village = ?", (tv[1],))
        p = tz("check", self.db, "--region", COUNTY, "--period", "2019", trace=True)
        self.assertEqual(followed(p.stderr), [tv[1]], p.stderr)
        self.same_as_ledgers([tv[1]])
        n = db_rows(self.db, "SELECT COUNT(*) FROM tz_agg_hh WHERE digits = 12 AND node = ? AND "
                             "members IS NULL", (tv[1],))[0][0]
        self.assertGreater(n, 0)
        self.same_as_rebuild()

    def test_odd_region_code_rolls_up_whole(self):
        """A village code that is not 12 digits (written outside taizhang)
        maps to its ancestors by prefix in the full roll-up of the gap
        counts; a follow then rolls every node up again as the rebuild does,
        instead of reading the touched ancestors' code ranges, which such a
        code may lie outside."""
        for odd in (COUNTY[:6] + "101X01", COUNTY[:6] + "10120"):
            hh = db_rows(self.db, "SELECT hh_id FROM households WHERE members IS NOT NULL AND "
                                  "village LIKE ? ORDER BY hh_id LIMIT 1", (COUNTY[:6] + "%",))[0][0]
            self.shell("UPDATE households SET village = ?, members = NULL WHERE hh_id = ?",
                       (odd, hh))
            p = tz("check", self.db, "--region", COUNTY, "--period", "2019", trace=True)
            self.assertIn(odd, followed(p.stderr), p.stderr)
            self.same_as_rebuild()

    def test_replace_outside_taizhang(self):
        """SQLite's REPLACE deletes the row it overwrites without a delete
        trigger: the row's old village is recorded before, and a row of
        another key that would go makes the write's villages unknown."""
        row = list(db_rows(self.db, f"SELECT {HH_COLS} FROM households WHERE hh_id NOT IN "
                                    "(SELECT hh_id FROM tv_installs) ORDER BY hh_id LIMIT 1")[0])
        a = row[3]
        b = db_rows(self.db, "SELECT MAX(village) FROM households WHERE village <> ?", (a,))[0][0]
        row[3] = b
        marks = ", ".join("?" * len(row))
        self.shell(f"INSERT OR REPLACE INTO households ({HH_COLS}) VALUES ({marks})", row)
        p = tz("check", self.db, "--region", COUNTY, "--period", "2019", trace=True)
        self.assertEqual(followed(p.stderr), sorted([a, b]), p.stderr)
        self.same_as_ledgers([a, b])
        # the same 身份证号 under a new 户编号: REPLACE removes the other row
        row[0] = "41162899999902"
        self.shell(f"INSERT OR REPLACE INTO households ({HH_COLS}) VALUES ({marks})", row)
        p = tz("check", self.db, "--region", COUNTY, "--period", "2019", trace=True)
        self.assertIsNone(followed(p.stderr), p.stderr)
        self.same_as_ledgers([b])

    def test_change_outside_taizhang_unknown_village_rebuilds(self):
        # an install of no registered household: its village is unknown
        self.shell("INSERT INTO tv_installs (hh_id, install_date, status) VALUES "
                   "('41162899999901', '2019-08-01', '正常')")
        p = tz("check", self.db, "--region", COUNTY, "--period", "2019", trace=True)
        self.assertIsNone(followed(p.stderr), p.stderr)
        self.same_as_ledgers([])
        # its household arrives by import: the install now has a village
        # (the import's records say so: rebuilt in full, not followed)
        row = list(db_rows(self.db, f"SELECT {HH_COLS} FROM households ORDER BY hh_id "
                                    "LIMIT 1")[0])
        row[0] = "41162899999901"
        row[2] = _fix_check_digit(row[2][:14] + "9999")
        p = self.import_households([row])
        self.assertIsNone(followed(p.stderr), p.stderr)
        self.same_as_ledgers([row[3]])
        # and goes again outside taizhang: the install loses its village
        self.shell("DELETE FROM households WHERE hh_id = '41162899999901'")
        p = tz("check", self.db, "--region", COUNTY, "--period", "2019", trace=True)
        self.assertIsNone(followed(p.stderr), p.stderr)
        self.same_as_ledgers([row[3]])
        # another ledger: no summary record, a gap
        self.shell("UPDATE culture_centers SET plaza_area = plaza_area + 1")
        p = tz("check", self.db, "--region", COUNTY, "--period", "2019", trace=True)
        self.assertIsNone(followed(p.stderr), p.stderr)
        self.same_as_ledgers([])

    def same_checks(self, regions):
        """The check of each region equals the ledger reading."""
        for region in regions:
            a = ("check", self.db, "--region", region, "--period", "2019", "--json")
            self.assertEqual(json.loads(tz(*a).stdout),
                             json.loads(tz(*a, summaries=False).stdout), region)

    def test_other_ledger_follows(self):
        """A write of a ledger no village summary reads re-derives no village:
        only that ledger's gap counts are counted again (here a 文化广场面积
        left empty, which the check then reports)."""
        code, year, subsidy, paid = db_rows(
            self.db, "SELECT village, year_built, subsidy, subsidy_paid FROM culture_centers "
                     "WHERE compliant = 0 ORDER BY village LIMIT 1")[0]
        gaps = "SELECT COUNT(*) FROM tz_agg_null WHERE ledger = 'culture_centers'"
        before = db_rows(self.db, gaps)[0][0]
        csv_path = write_csv(self.path("c.csv"), CENTERS_HEADER,
                             [[code, year, "", "是", str(subsidy), str(paid)]])
        p = tz("import", self.db, "culture_centers", csv_path, "--quiet", trace=True)
        self.assertEqual(followed(p.stderr), [], p.stderr)
        self.assertIn("重新统计未填项的台账: culture_centers", p.stderr)
        self.assertIn("汇总表已按改动的村更新", p.stderr)
        self.assertGreater(db_rows(self.db, gaps)[0][0], before)
        self.same_as_ledgers([code])
        self.same_as_rebuild()

    def test_ledger_placed_through_another_follows(self):
        """项目资金 is placed in a county through its 项目: a fund row with gaps,
        then its project moved to another county, counts its gaps again
        under the new county."""
        proj, county = db_rows(self.db, "SELECT p.project_id, p.county FROM projects p WHERE "
                                        "EXISTS (SELECT 1 FROM project_funds f WHERE "
                                        "f.project_id = p.project_id) ORDER BY 1 LIMIT 1")[0]
        other = db_rows(self.db, "SELECT county FROM projects WHERE county <> ? ORDER BY 1 "
                                 "LIMIT 1", (county,))[0][0]
        funds = self.path("f.csv")
        tz("export", self.db, "project_funds", funds)
        with open(funds, encoding="utf-8-sig", newline="") as f:
            head, *rows = list(csv.reader(f))
        row = next(r for r in rows if r[0] == proj)
        row = row[:2] + [""] * (len(row) - 2)
        p = tz("import", self.db, "project_funds",
               write_csv(self.path("f1.csv"), head, [row]), "--quiet", trace=True)
        self.assertIn("重新统计未填项的台账: project_funds", p.stderr)
        self.assertEqual(followed(p.stderr), [], p.stderr)
        self.same_checks([county, other])
        projects = self.path("p.csv")
        tz("export", self.db, "projects", projects)
        with open(projects, encoding="utf-8-sig", newline="") as f:
            head, *rows = list(csv.reader(f))
        row = next(r for r in rows if r[0] == proj)
        row[head.index("所在县区代码")] = other
        p = tz("import", self.db, "projects", write_csv(self.path("p1.csv"), head, [row]),
               "--quiet", trace=True)
        self.assertIn("重新统计未填项的台账: projects", p.stderr)
        self.assertEqual(followed(p.stderr), [], p.stderr)
        self.same_checks([county, other])
        self.same_as_rebuild()


@unittest.skipUnless(os.environ.get("TZ_PG_URI"), "TZ_PG_URI not set (PostgreSQL not started)")
class TestFollowPostgres(TzCase):
    """The same on PostgreSQL, in a schema of its own (the other modules'
    tests recreate the public one, and other runs may share the database)."""

    def test_household_moves_village(self):
        base = os.environ["TZ_PG_URI"]
        schema = "tz_follow_%d" % os.getpid()  # worktrees share the test database
        subprocess.run(["psql", base, "-qc", f"DROP SCHEMA IF EXISTS {schema} CASCADE; "
                        f"CREATE SCHEMA {schema};"], check=True, capture_output=True)
        self.addCleanup(subprocess.run, ["psql", base, "-qc",
                                         f"DROP SCHEMA IF EXISTS {schema} CASCADE"],
                        capture_output=True)
        uri = base + ("&" if "?" in base else "?") + "options=-csearch_path%3D" + schema
        self.assertEqual(tz("demo", uri, "--quiet").returncode, 0)
        tz("check", uri, "--region", COUNTY, "--period", "2019")
        sq = _demo.get()
        row = list(db_rows(sq, f"SELECT {HH_COLS} FROM households WHERE year_exited IS NULL "
                               "ORDER BY hh_id LIMIT 1")[0])
        a = row[3]
        b = db_rows(sq, "SELECT MAX(village) FROM households WHERE village <> ?", (a,))[0][0]
        row[3] = b
        csv = write_csv(self.path("hh.csv"), HOUSEHOLDS_HEADER, [csv_row(row)])
        p = tz("import", uri, "households", csv, "--quiet", trace=True)
        self.assertEqual(followed(p.stderr), sorted([a, b]), p.stderr)
        for region in (COUNTY, a[:9], a, b):
            args = ("check", uri, "--region", region, "--period", "2019", "--json")
            self.assertEqual(json.loads(tz(*args).stdout),
                             json.loads(tz(*args, summaries=False).stdout), region)
        # a write made with psql: the statement triggers' transition tables
        # name the villages, and the summaries follow them
        psql = ["psql", "-qX", base, "-c", f"SET search_path = {schema}; "
                f"UPDATE households SET village = '{a}', year_exited = NULL WHERE hh_id = "
                f"'{row[0]}'"]
        subprocess.run(psql, check=True, capture_output=True)
        p = tz("check", uri, "--region", COUNTY, "--period", "2019", trace=True)
        self.assertEqual(followed(p.stderr), sorted([a, b]), p.stderr)
        for region in (COUNTY, a, b):
            args = ("check", uri, "--region", region, "--period", "2019", "--json")
            self.assertEqual(json.loads(tz(*args).stdout),
                             json.loads(tz(*args, summaries=False).stdout), region)
        # an install of no registered household: unknown, rebuilt in full
        psql[-1] = (f"SET search_path = {schema}; INSERT INTO tv_installs (hh_id, "
                    "install_date, status) VALUES ('41162899999903', '2019-08-01', '正常')")
        subprocess.run(psql, check=True, capture_output=True)
        p = tz("check", uri, "--region", COUNTY, "--period", "2019", trace=True)
        self.assertIsNone(followed(p.stderr), p.stderr)


def _fix_check_digit(idno):
    """An 18-digit 身份证号 with its check digit (GB 11643) recomputed."""
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    s = sum(int(c) * k for c, k in zip(idno[:17], w))
    return idno[:17] + "10X98765432"[s % 11]


if __name__ == "__main__":
    unittest.main()
