"""Black-box tests of the import's write path (issue 13): the data version
moves once per import that changes rows (the per-row triggers are paused
inside the import's transaction and are back after it, for every other
writer), and the in-memory checks refuse exactly what the per-row SELECTs
refused: a 身份证号 twice in one file, one already stored in another row,
one taken in the file before the row holding it lets it go. An import that
adds more rows than the table held (over ten thousand) drops the secondary
indexes inside its transaction and builds them at the end: they are back,
unique and whole, after it commits and after it is refused."""
import datetime
import hashlib
import os
import pty
import sqlite3
import unittest

import subprocess

from serverlib import PASSWORD, VILLAGE_A, Fixture, PgDatabase, Server, pg_base, rows_url
from tzlib import (BIN, HOUSEHOLDS_HEADER, LEDGER_ORDER, REGIONS_BASE, REGIONS_HEADER, TzCase,
                   db_dump, db_rows, household, idcard, run, write_csv)


def data_version(db):
    return int(db_rows(db, "SELECT value FROM tz_meta WHERE key = 'data_version'")[0][0])


def triggers(db):
    return db_rows(db, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")


class Base(TzCase):
    def base_db(self):
        db = self.path("t.db")
        run("init", db, check=0)
        run("import", db, "regions", write_csv(self.path("regions.csv"), REGIONS_HEADER,
                                               REGIONS_BASE), check=0)
        return db

    def households(self, name, rows):
        return write_csv(self.path(name), HOUSEHOLDS_HEADER, rows)

    def assert_refused(self, db, f, *needles):
        tables = LEDGER_ORDER + ["audit_log", "tz_meta"]
        before = db_dump(db, tables)
        p = run("import", db, "households", f)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        for n in needles:
            self.assertIn(n, p.stderr)
        self.assertIn("数据库未做任何改动", p.stderr)
        self.assertEqual(before, db_dump(db, tables), "database changed after a refused import")
        return p


class TestDataVersion(Base):
    def test_once_per_import_and_every_other_writer_still_counted(self):
        db = self.base_db()
        fresh = triggers(db)
        self.assertTrue(any(n == "tz_dv_households_i" for n, _ in fresh))
        v = data_version(db)
        ids = [idcard("411628", "19800101", i) for i in range(1, 6)]
        rows = [household(f"H{i}", f"户{i}", ids[i - 1]) for i in range(1, 6)]
        run("import", db, "households", self.households("a.csv", rows), check=0)
        self.assertEqual(data_version(db), v + 1, "five new rows: one move")
        self.assertEqual(triggers(db), fresh, "the row triggers are back after the import")
        run("import", db, "households", self.households("a.csv", rows), check=0)
        self.assertEqual(data_version(db), v + 1, "nothing changed: no move")
        rows[0][1] = "改名"
        rows.append(household("H6", "户6", idcard("411628", "19800101", 6)))
        run("import", db, "households", self.households("b.csv", rows), check=0)
        self.assertEqual(data_version(db), v + 2, "one change and one new row: one move")
        bad = rows + [household("H7", "户7", ids[0])]
        self.assert_refused(db, self.households("c.csv", bad), "不能重复录入")
        self.assertEqual(triggers(db), fresh, "a refused import keeps the triggers")
        # --dry-run writes nothing and moves nothing
        rows[1][1] = "又改"
        run("import", db, "households", self.households("d.csv", rows), "--dry-run", check=0)
        self.assertEqual(data_version(db), v + 2)
        self.assertEqual(triggers(db), fresh)
        # any other writer (the sqlite3 shell here) is still counted per row
        with sqlite3.connect(db) as c:
            c.execute("UPDATE households SET head_name = '壳' WHERE hh_id IN ('H1', 'H2')")
        self.assertEqual(data_version(db), v + 4)
        with sqlite3.connect(db) as c:
            c.execute("DELETE FROM households WHERE hh_id = 'H6'")
        self.assertEqual(data_version(db), v + 5)


class TestDataVersionPostgres(Base):
    """PostgreSQL's statement triggers are paused by the import's own
    transaction (SET LOCAL) and bump once; every other writer still counts."""

    def test_once_per_import_on_postgres(self):
        if not pg_base():
            self.skipTest("TZ_PG_URI not set (PostgreSQL not started)")
        pg = PgDatabase("dvpg")
        try:
            psql = pg.value

            def version():
                return int(psql("SELECT value FROM tz_meta WHERE key = 'data_version'"))
            run("init", pg.uri, check=0)
            run("import", pg.uri, "regions", write_csv(self.path("regions.csv"), REGIONS_HEADER,
                                                       REGIONS_BASE), check=0)
            v = version()
            rows = [household(f"H{i}", f"户{i}", idcard("411628", "19800101", i))
                    for i in range(1, 41)]
            run("import", pg.uri, "households", self.households("a.csv", rows), check=0)
            self.assertEqual(version(), v + 1, "forty new rows: one move")
            self.assertEqual(psql("SELECT count(*) FROM households"), "40")
            psql("UPDATE households SET head_name = '壳' WHERE hh_id = 'H1'")
            self.assertEqual(version(), v + 2, "another writer is still counted")
            # the pause was the import's transaction's only
            self.assertEqual(psql("SELECT coalesce(current_setting('taizhang.dv_paused', true), "
                                  "'')"), "")
        finally:
            pg.drop()


class TestStagedPostgres(Base):
    """On PostgreSQL an import stages its rows and their audit entries as
    COPY text and moves them in at the end: the same rows, versions and
    audit history as SQLite's row-by-row writes, text that COPY would
    misread (a backslash, the literal \\N) kept as typed, and a refused or
    dry-run import leaving nothing."""

    COLS = "hh_id, head_name, id_number, village, members, income, helper, tz_version"

    def pg_with_regions(self, name):
        """A fresh PostgreSQL database holding the regions (skips without one)."""
        if not pg_base():
            self.skipTest("TZ_PG_URI not set (PostgreSQL not started)")
        pg = PgDatabase(name)
        try:
            run("init", pg.uri, check=0)
            run("import", pg.uri, "regions", write_csv(self.path("regions.csv"), REGIONS_HEADER,
                                                       REGIONS_BASE), check=0)
        except BaseException:
            pg.drop()
            raise
        return pg

    def test_same_rows_and_audit_as_sqlite(self):
        if not pg_base():
            self.skipTest("TZ_PG_URI not set (PostgreSQL not started)")
        pg = PgDatabase("stage")
        try:
            psql = pg.rows

            def rows_of(db):
                q = f"SELECT {self.COLS} FROM households ORDER BY hh_id"
                got = psql(q) if db == pg.uri else db_rows(db, q)
                return [tuple("" if v is None else str(float(v)) if i == 5 else str(v)
                              for i, v in enumerate(r)) for r in got]

            def audit_of(db):
                q = ("SELECT action, row_key, detail FROM tz_audit_history WHERE ledger = "
                     "'households' ORDER BY id, action, row_key")
                return [tuple(r) for r in (psql(q) if db == pg.uri else db_rows(db, q))]

            lite = self.base_db()
            run("init", pg.uri, check=0)
            run("import", pg.uri, "regions", write_csv(self.path("regions.csv"), REGIONS_HEADER,
                                                       REGIONS_BASE), check=0)
            rows = many(30)
            rows[0][14] = "\\N"
            rows[1][14] = "李\\四"
            rows[2][1] = "王\\五"
            rows[3][9] = "1234.5"
            a = self.households("a.csv", rows)
            rows[4][1] = "改名"
            rows[5][9] = "4321.25"
            b = self.households("b.csv", rows + many(5, start=30))
            rows[6][1] = "只是预演"
            c = self.households("c.csv", rows)
            for db in (lite, pg.uri):
                run("import", db, "households", a, check=0)
                run("import", db, "households", b, check=0)
                run("import", db, "households", c, "--dry-run", check=0)
            got = rows_of(pg.uri)
            self.assertEqual(len(got), 35)
            self.assertEqual(got, rows_of(lite))
            self.assertIn(("B000000", "户0", rows[0][2], "411628101201", "3", "5000.0", "\\N",
                           "1"), got)
            self.assertEqual(psql("SELECT count(*) FROM households WHERE helper IS NULL"), [("0",)])
            self.assertEqual(audit_of(pg.uri), audit_of(lite))
            self.assertIn(("修改", "B000004", "b.csv 第6行; 户主姓名: 户4 → 改名"), audit_of(pg.uri))
            # a refused import (an ID already stored in another row) leaves nothing
            before = (rows_of(pg.uri), audit_of(pg.uri))
            bad = self.households("bad.csv", many(40, start=100) + [
                household("X1", "重", rows[0][2])])
            p = run("import", pg.uri, "households", bad)
            self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
            self.assertIn("已登记在户编号为B000000的记录中", p.stderr)
            self.assertEqual((rows_of(pg.uri), audit_of(pg.uri)), before)
            # an ID moved between two stored rows: staged in file order, so the
            # unique index meets the row letting it go first
            a, c = rows[1][2], idcard("411628", "19490101", 1)
            p = run("import", pg.uri, "households", self.households("r.csv", [
                household("B000002", "乙", a), household("B000001", "甲", c)]))
            self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
            run("import", pg.uri, "households", self.households("ok2.csv", [
                household("B000001", "甲", c), household("B000002", "乙", a)]), check=0)
            self.assertEqual(psql("SELECT hh_id, id_number FROM households WHERE hh_id IN "
                                  "('B000001', 'B000002') ORDER BY hh_id"),
                             [("B000001", c), ("B000002", a)])
        finally:
            pg.drop()

    def test_bulk_load_builds_the_indexes_again(self):
        pg = self.pg_with_regions("stagebulk")
        try:
            psql = pg.psql

            def idx():
                return psql("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = "
                            "'households' ORDER BY 1").stdout
            fresh = idx()
            self.assertIn("households_id_number_uq", fresh)
            rows = many(10500)
            # a dry run of the same load writes nothing and leaves the indexes
            run("import", pg.uri, "households", self.households("dry.csv", rows), "--dry-run",
                check=0)
            self.assertEqual(psql("SELECT count(*) FROM households").stdout.strip(), "0")
            self.assertEqual(idx(), fresh)
            bad = rows + [household("B999999", "重", rows[3][2])]
            p = run("import", pg.uri, "households", self.households("bad.csv", bad))
            self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
            self.assertIn("已登记在户编号为B000003的记录中", p.stderr)
            self.assertEqual(psql("SELECT count(*) FROM households").stdout.strip(), "0")
            run("import", pg.uri, "households", self.households("ok.csv", rows), check=0)
            self.assertEqual(idx(), fresh, "the indexes are built again, as they were")
            self.assertEqual(psql("SELECT count(*), count(DISTINCT id_number), sum(tz_version) "
                                  "FROM households").stdout.strip(), "10500\x1f10500\x1f10500")
            self.assertEqual(psql("SELECT count(*) FROM tz_audit_history WHERE ledger = "
                                  "'households' AND action = '新增'").stdout.strip(), "10500")
            self.assertEqual(psql("SELECT count(*) FROM audit_log WHERE ledger = 'households' "
                                  "AND action = '新增'").stdout.strip(), "0")
            p = psql(f"INSERT INTO households (hh_id, id_number) VALUES ('X', '{rows[7][2]}')",
                     check=False)
            self.assertNotEqual(p.returncode, 0, "the unique index holds for every writer")
            self.assertIn("households_id_number_uq", p.stderr)
        finally:
            pg.drop()


    def test_first_load_goes_straight_into_the_ledger(self):
        """Into an empty ledger a large load COPYs its batches straight into
        the table once it has staged ten thousand rows: here the first
        batch (8 MiB of long rows, fewer than that) goes through the staging
        table and the rest straight in. The rows, their import lines and
        the indexes are what SQLite's import of the same file gives."""
        pg = self.pg_with_regions("stagedirect")
        try:
            fresh = pg.value(HH_INDEXES)
            rows = long_rows(10400)
            f = self.households("big.csv", rows)
            self.assertGreater(os.path.getsize(f), 8 << 20)
            run("import", pg.uri, "households", f, check=0)
            db = self.base_db()
            run("import", db, "households", f, check=0)
            q = ("SELECT hh_id, head_name, id_number, village, members, helper, tz_version, "
                 "tz_line FROM households ORDER BY hh_id")
            self.assertEqual(pg.rows(q), [tuple(str(v) for v in r) for r in db_rows(db, q)])
            self.assertEqual(pg.value("SELECT min(tz_line), max(tz_line) FROM households"),
                             "2\x1f10401")
            self.assertEqual(pg.value(HH_INDEXES), fresh)
            self.assertEqual(pg.value("SELECT count(*) FROM tz_audit_history WHERE ledger = "
                                      "'households' AND action = '新增'"), "10400")
            # a second load into the table, now not empty, is an upsert again
            more = many(5, 10400) + [household("B000001", "改", rows[1][2])]
            run("import", pg.uri, "households", self.households("more.csv", more), check=0)
            self.assertEqual(pg.value("SELECT count(*), sum(tz_version) FROM households"),
                             "10405\x1f10406")
        finally:
            pg.drop()

    def test_refused_at_the_final_write_says_so(self):
        """A check the database itself makes (a CHECK constraint added with
        psql) refuses the staged rows only once the file is read: the error
        says the file was read to its end and the write stopped, and the
        database is as it was."""
        pg = self.pg_with_regions("stagefail")
        try:
            pg.psql("ALTER TABLE households ADD CONSTRAINT tz_test_name_ck CHECK (head_name "
                    "<> '拒收')")
            rows = many(30)
            rows[20][1] = "拒收"
            before = pg.rows("SELECT (SELECT count(*) FROM households), (SELECT count(*) FROM "
                             "audit_log), (SELECT count(*) FROM tz_imports)")
            p = run("import", pg.uri, "households", self.households("f.csv", rows))
            self.assertNotEqual(p.returncode, 0, p.stdout + p.stderr)
            self.assertIn("文件已全部读完,导入在写入数据库时停止", p.stderr)
            self.assertIn("本次导入的内容全部撤销", p.stderr)
            self.assertNotIn("读到第", p.stderr)
            self.assertEqual(pg.rows("SELECT (SELECT count(*) FROM households), (SELECT count(*) "
                                     "FROM audit_log), (SELECT count(*) FROM tz_imports)"),
                             before)
            # a first load COPYs its batches straight into the ledger and
            # reads each COPY's result before the next statement: a batch the
            # constraint refuses stops the import at the next batch, the
            # constraint named, nothing kept, the indexes as they were
            fresh = pg.value(HH_INDEXES)
            rows = long_rows(31000)
            rows[15000][1] = "拒收"
            p = run("import", pg.uri, "households", self.households("big.csv", rows))
            self.assertNotEqual(p.returncode, 0, p.stdout + p.stderr)
            self.assertIn("写入数据库失败", p.stderr)
            self.assertIn("tz_test_name_ck", p.stderr)
            self.assertIn("B015000", p.stderr, "the row the database refused")
            self.assertIn("本次导入的内容全部撤销", p.stderr)
            self.assertEqual(pg.rows("SELECT (SELECT count(*) FROM households), (SELECT count(*) "
                                     "FROM audit_log), (SELECT count(*) FROM tz_imports)"),
                             before)
            self.assertEqual(pg.value(HH_INDEXES), fresh)
        finally:
            pg.drop()


class TestUniqueIds(Base):
    def test_same_id_twice_in_one_file(self):
        db = self.base_db()
        same = idcard("411628", "19700505", 42)
        f = self.households("h.csv", [household("H1", "甲", same),
                                      household("H2", "乙", same, village="411628101202")])
        p = self.assert_refused(db, f, "第3行 户主身份证号", "已登记在户编号为H1的记录中",
                                "同一人不能重复录入")
        self.assertNotIn(same, p.stderr, "the ID number is shown masked")

    def test_same_id_as_a_stored_row(self):
        db = self.base_db()
        same = idcard("411628", "19700505", 42)
        run("import", db, "households", self.households("a.csv", [household("H1", "甲", same)]),
            check=0)
        self.assert_refused(db, self.households("b.csv", [household("H9", "乙", same)]),
                            "第2行 户主身份证号", "已登记在户编号为H1的记录中")
        # the row holding it may be imported again, with it
        run("import", db, "households", self.households("c.csv", [household("H1", "丙", same)]),
            check=0)

    def test_row_without_key_gets_no_uniqueness_error(self):
        # the per-row SELECT matched no row for a row without its key
        # ("NOT (户编号 = NULL)"): the row is refused for its key alone
        db = self.base_db()
        same = idcard("411628", "19700505", 42)
        run("import", db, "households", self.households("a.csv", [household("H1", "甲", same)]),
            check=0)
        p = self.assert_refused(db, self.households("b.csv", [household("", "乙", same)]),
                                "第2行 户编号")
        self.assertNotIn("已登记", p.stderr)

    def test_id_moved_between_rows_follows_the_file_order(self):
        db = self.base_db()
        a, b, c = (idcard("411628", "19700505", i) for i in (1, 2, 3))
        run("import", db, "households", self.households(
            "s.csv", [household("H1", "甲", a), household("H2", "乙", b)]), check=0)
        # H2 takes a before H1 lets it go: refused, as a SELECT per row refused it
        self.assert_refused(db, self.households(
            "r.csv", [household("H2", "乙", a), household("H1", "甲", c)]),
            "第2行 户主身份证号", "已登记在户编号为H1的记录中")
        # H1 lets it go first: accepted
        run("import", db, "households", self.households(
            "ok.csv", [household("H1", "甲", c), household("H2", "乙", a)]), check=0)
        got = db_rows(db, "SELECT hh_id, id_number FROM households ORDER BY hh_id")
        self.assertEqual(got, [("H1", c), ("H2", a)])
        # and b, let go by H2, is free for a new row
        run("import", db, "households", self.households("n.csv", [household("H3", "丙", b)]),
            check=0)

    def test_duplicate_key_and_unknown_village_still_named(self):
        db = self.base_db()
        f = self.households("h.csv", [
            household("H1", "甲", idcard("411628", "19800101", 1)),
            household("H1", "乙", idcard("411628", "19800101", 2)),
            household("H3", "丙", idcard("411628", "19800101", 3), village="411628101299")])
        self.assert_refused(db, f, "第3行", "与第2行重复", "第4行 所在村代码", "在行政区划台账中不存在")

    def test_single_row_audit_history(self):
        db = self.base_db()
        a = idcard("411628", "19700505", 1)
        run("import", db, "households", self.households("a.csv", [household("H1", "甲", a)]),
            check=0)
        run("import", db, "households", self.households("b.csv", [household("H1", "乙", a)]),
            check=0)
        got = db_rows(db, "SELECT action, detail FROM tz_audit_history WHERE ledger = "
                          "'households' AND row_key = 'H1' ORDER BY id")
        self.assertEqual(got, [("新增", "a.csv 第2行"), ("修改", "b.csv 第2行; 户主姓名: 甲 → 乙")])

    def test_one_import_record_for_the_rows_added(self):
        """The rows an import adds get no audit entry each: one 导入 entry and
        one import record (file, size, SHA-256, rows added) stand for them,
        and each row carries the record and its file row."""
        db = self.base_db()
        f = self.households("new.csv", many(40))
        run("import", db, "households", f, check=0)
        with open(f, "rb") as fh:
            data = fh.read()
        digest = hashlib.sha256(data).hexdigest()
        self.assertEqual(db_rows(db, "SELECT action, count(*) FROM audit_log WHERE ledger = "
                                     "'households' GROUP BY action"), [("导入", 1)])
        (detail,), = db_rows(db, "SELECT detail FROM audit_log WHERE action = '导入' AND "
                                 "ledger = 'households'")
        self.assertEqual(detail, f"new.csv: 读取40行,新增40行,修改0行; 文件{len(data)}字节,"
                                 f"SHA-256 {digest}")
        rec = db_rows(db, "SELECT i.label, i.file, i.size, i.sha256, i.added, a.action FROM "
                          "tz_imports i JOIN audit_log a ON a.id = i.audit_id WHERE i.ledger = "
                          "'households'")
        self.assertEqual(rec, [("new.csv", "new.csv", len(data), digest, 40, "导入")])
        self.assertEqual(db_rows(db, "SELECT count(*), min(tz_line), max(tz_line), "
                                     "count(DISTINCT tz_import) FROM households"),
                         [(40, 2, 41, 1)])
        hist = db_rows(db, "SELECT action, detail FROM tz_audit_history WHERE ledger = "
                           "'households' AND row_key = 'B000007'")
        self.assertEqual(hist, [("新增", "new.csv 第9行")])
        # a dry run writes no record
        run("import", db, "households", self.households("more.csv", many(3, start=40)),
            "--dry-run", check=0)
        self.assertEqual(db_rows(db, "SELECT count(*) FROM tz_imports WHERE ledger = "
                                     "'households'"), [(1,)])


def many(n, start=0):
    """n households with distinct keys and valid, distinct ID numbers."""
    day0 = datetime.date(1950, 1, 1)
    out = []
    for i in range(start, start + n):
        birth = (day0 + datetime.timedelta(days=i // 900)).strftime("%Y%m%d")
        out.append(household(f"B{i:06d}", f"户{i}", idcard("411628", birth, i % 900 + 1)))
    return out


def long_rows(n):
    """many(n) with a 帮扶责任人 of ~840 bytes: a batch of 8 MiB is ~10 000 rows."""
    rows = many(n)
    for i, r in enumerate(rows):
        r[-1] = "帮" * 280 + str(i)
    return rows


HH_INDEXES = ("SELECT string_agg(indexdef, ';' ORDER BY indexname) FROM pg_indexes WHERE "
              "tablename = 'households'")


def indexes(db):
    return db_rows(db, "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                       "AND tbl_name = 'households' ORDER BY name")


class TestBulk(Base):
    def test_indexes_back_after_a_bulk_import_and_a_refused_one(self):
        db = self.base_db()
        fresh = indexes(db)
        self.assertIn("households_id_number_uq", [n for n, _ in fresh])
        rows = many(10500)
        # refused near the end, after the indexes were dropped: all undone
        bad = rows + [household("B999999", "重", rows[3][2])]
        self.assert_refused(db, self.households("bad.csv", bad), "第10502行 户主身份证号",
                            "已登记在户编号为B000003的记录中")
        self.assertEqual(indexes(db), fresh)
        run("import", db, "households", self.households("ok.csv", rows), check=0)
        self.assertEqual(indexes(db), fresh, "the indexes are built again, as they were")
        self.assertEqual(db_rows(db, "PRAGMA integrity_check"), [("ok",)])
        self.assertEqual(db_rows(db, "SELECT count(*) FROM households"), [(10500,)])
        # the unique index holds for every writer
        with self.assertRaises(sqlite3.IntegrityError):
            with sqlite3.connect(db) as c:
                c.execute("INSERT INTO households (hh_id, id_number) VALUES ('X', ?)",
                          (rows[7][2],))
        # a second file of as many: not more than stored, the indexes kept
        run("import", db, "households", self.households("more.csv", many(10500, 10500)),
            check=0)
        self.assertEqual(indexes(db), fresh)
        self.assertEqual(db_rows(db, "SELECT count(*) FROM households"), [(21000,)])
        # and a stored ID number is still refused: a file this small beside the
        # table asks the database row by row instead of loading the sets
        self.assert_refused(db, self.households("dup.csv", [household("N1", "新", rows[9][2])]),
                            "已登记在户编号为B000009的记录中")
        # an ID moved between two stored rows follows the file's order there too
        a, b, c = rows[1][2], rows[2][2], idcard("411628", "19490101", 1)
        self.assert_refused(db, self.households("r.csv", [
            household("B000002", "乙", a), household("B000001", "甲", c)]),
            "第2行 户主身份证号", "已登记在户编号为B000001的记录中")
        run("import", db, "households", self.households("ok2.csv", [
            household("B000001", "甲", c), household("B000002", "乙", a)]), check=0)
        got = db_rows(db, "SELECT hh_id, id_number FROM households WHERE hh_id IN "
                          "('B000001', 'B000002') ORDER BY hh_id")
        self.assertEqual(got, [("B000001", c), ("B000002", a)])
        # b, let go by B000002, is free for a new row
        run("import", db, "households", self.households("n.csv", [household("N2", "丙", b)]),
            check=0)


def on_terminal(*args):
    """Runs taizhang with stderr on a pseudo-terminal (the progress bar is
    drawn only there); returns (exit status, what the terminal showed)."""
    ctrl, term = pty.openpty()
    p = subprocess.Popen([BIN, *args], stdout=subprocess.DEVNULL, stderr=term,
                         stdin=subprocess.DEVNULL)
    os.close(term)
    out = b""
    while True:
        try:
            chunk = os.read(ctrl, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(ctrl)
    return p.wait(), out.decode("utf-8", "replace")


class TestProgress(Base):
    def test_writing_is_said_after_reading(self):
        db = self.base_db()
        f = self.households("a.csv", many(600))
        rc, shown = on_terminal("import", db, "households", f, "--dry-run")
        self.assertEqual(rc, 0, shown)
        self.assertIn("100%", shown)
        self.assertNotIn("正在写入数据库", shown, "a dry run writes nothing")
        rc, shown = on_terminal("import", db, "households", f)
        self.assertEqual(rc, 0, shown)
        self.assertIn("导入 a.csv: 已读完600行,正在写入数据库…", shown)
        self.assertLess(shown.index("100%"), shown.index("正在写入数据库"))


class TestWebEdit(unittest.TestCase):
    """A row written through the web (rows.c, not the import) still moves the
    data version, before and after an import through the web."""

    @classmethod
    def setUpClass(cls):
        cls.fx = Fixture("sqlite", "impwrite", accounts=[("w_clerk", "填报", VILLAGE_A, None)])
        cls.srv = Server(cls.fx.db)
        cls.srv.start()
        cls.clerk = cls.srv.client()
        cls.clerk.login("w_clerk", PASSWORD)

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()
        cls.fx.cleanup()

    def test_web_edit_and_web_import_move_the_version(self):
        db = self.fx.db
        v = data_version(db)
        row = dict(zip(HOUSEHOLDS_HEADER, household("W1", "网户", idcard("411628", "19900101", 7),
                                                    village=VILLAGE_A)))
        r = self.clerk.post(rows_url("households"), row)
        self.assertEqual(r.status, 201, r.text)
        self.assertEqual(data_version(db), v + 1)
        body = ("\ufeff" + ",".join(HOUSEHOLDS_HEADER) + "\n" + ",".join(
            household("W2", "网户二", idcard("411628", "19900101", 8), village=VILLAGE_A)) +
                "\n").encode("utf-8")
        r = self.clerk.post(rows_url("households").replace("/rows", "/import"), body,
                            headers={"X-Filename": "w.csv"})
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(data_version(db), v + 2)
        r = self.clerk.post(rows_url("households"),
                            {"户编号": "W1", "户主姓名": "网户改", "_version": 1})
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(data_version(db), v + 3)


if __name__ == "__main__":
    unittest.main()
