"""Black-box tests of the libraries loaded at first use (docs/decisions.md,
"libpq, libxml2 and libmicrohttpd are loaded at first use", and "libzip
and libxlsxwriter too"): on a machine
where one of them cannot be loaded, every command that does not need it
works, and the one that does says in Chinese which library and which
Debian package, and changes nothing. The machine is simulated with
LD_LIBRARY_PATH pointing at a folder whose libpq.so.5, libxml2.so.2,
libmicrohttpd.so.12, libzip.so.4 and libxlsxwriter.so.4 are not
libraries."""
import os
import subprocess

from tzlib import (BIN, HOUSEHOLDS_HEADER, REGIONS_BASE, REGIONS_HEADER, ROOT, TzCase, db_dump,
                   household, idcard, write_csv)

BROKEN = ("libpq.so.5", "libxml2.so.2", "libmicrohttpd.so.12", "libzip.so.4",
          "libxlsxwriter.so.4")


class TestLibraryMissing(TzCase):
    def setUp(self):
        super().setUp()
        self.libs = self.path("libs")
        os.mkdir(self.libs)
        for name in BROKEN:
            with open(os.path.join(self.libs, name), "w") as f:
                f.write("not a library\n")

    def tz(self, *args, timeout=60, libs=None):
        env = dict(os.environ, TAIZHANG_HOME=ROOT, LD_LIBRARY_PATH=libs or self.libs)
        return subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, env=env,
                              timeout=timeout)

    def test_commands_without_them_work(self):
        self.assertEqual(self.tz("--version").returncode, 0)
        db = self.path("t.db")
        self.assertEqual(self.tz("init", db).returncode, 0)
        p = self.tz("import", db, "regions",
                    write_csv(self.path("regions.csv"), REGIONS_HEADER, REGIONS_BASE))
        self.assertEqual(p.returncode, 0, p.stderr)
        p = self.tz("import", db, "households", write_csv(
            self.path("h.csv"), HOUSEHOLDS_HEADER,
            [household("H1", "甲", idcard("411628", "19800101", 1))]))
        self.assertEqual(p.returncode, 0, p.stderr)
        p = self.tz("check", db, "--region", "411628000000", "--period", "2019")
        self.assertIn(p.returncode, (0, 1), p.stderr)  # 1: targets missed, still answered
        self.assertNotIn("无法加载", p.stdout + p.stderr)

    def test_postgresql_names_libpq5(self):
        # no server is needed: the library is loaded before any connection
        p = self.tz("init", "postgresql://taizhang:taizhang@127.0.0.1:1/none")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("无法加载PostgreSQL客户端库(libpq.so.5),请安装 libpq5 软件包", p.stderr)

    def test_serve_names_libmicrohttpd12(self):
        db = self.path("t.db")
        self.assertEqual(self.tz("init", db).returncode, 0)
        p = self.tz("serve", db, "--listen", "127.0.0.1:0", timeout=30)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("(libmicrohttpd.so.12),请安装 libmicrohttpd12 软件包", p.stderr)

    def test_web_page_file_names_libxml2_and_changes_nothing(self):
        db = self.path("t.db")
        self.assertEqual(self.tz("init", db).returncode, 0)
        # a web page saved with an .xls name, as some systems export tables
        page = self.path("名册.xls")
        with open(page, "w", encoding="utf-8") as f:
            f.write("<html><body><table><tr><td>户编号</td><td>户主姓名</td></tr>"
                    "<tr><td>H1</td><td>甲</td></tr></table></body></html>")
        self.assert_import_refused(db, page, "(libxml2.so.2),请安装 libxml2 软件包")

    def assert_import_refused(self, db, path, says):
        """Importing path into households fails saying `says`, and changes nothing."""
        before = db_dump(db, ["households", "audit_log"])
        p = self.tz("import", db, "households", path)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn(says, p.stderr)
        self.assertIn("数据库未做任何改动", p.stderr)
        self.assertEqual(db_dump(db, ["households", "audit_log"]), before)

    def households_db(self):
        """A database with one household, written with every library there."""
        db = self.path("t.db")
        ok = self.path("ok")
        os.mkdir(ok)
        for a in (("init", db),
                  ("import", db, "regions",
                   write_csv(self.path("regions.csv"), REGIONS_HEADER, REGIONS_BASE)),
                  ("import", db, "households", write_csv(
                      self.path("h.csv"), HOUSEHOLDS_HEADER,
                      [household("H1", "甲", idcard("411628", "19800101", 1))]))):
            p = self.tz(*a, libs=ok)
            self.assertEqual(p.returncode, 0, p.stderr)
        return db, ok

    def test_xlsx_import_names_libzip4_and_changes_nothing(self):
        db, ok = self.households_db()
        sheet = self.path("户.xlsx")
        p = self.tz("export", db, "households", sheet, libs=ok)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assert_import_refused(db, sheet, "(libzip.so.4),请安装 libzip4 软件包")

    def test_xlsx_export_names_libxlsxwriter4(self):
        db, _ = self.households_db()
        only = self.path("only-xlsxwriter")
        os.mkdir(only)
        with open(os.path.join(only, "libxlsxwriter.so.4"), "w") as f:
            f.write("not a library\n")
        out = self.path("out.xlsx")
        p = self.tz("export", db, "households", out, libs=only)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("(libxlsxwriter.so.4),请安装 libxlsxwriter4 软件包", p.stderr)
        self.assertFalse(os.path.exists(out))
        # CSV needs neither
        p = self.tz("export", db, "households", self.path("out.csv"))
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_docx_report_names_libzip4(self):
        db, _ = self.households_db()
        tpl = self.path("t.lua")
        with open(tpl, "w", encoding="utf-8") as f:
            f.write("title('汇报')\npara('正文')\n")
        out = self.path("r.docx")
        p = self.tz("report", db, "--template", tpl, "--region", "411628", "--period", "2019",
                    "-o", out)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("(libzip.so.4),请安装 libzip4 软件包", p.stderr)
        self.assertFalse(os.path.exists(out))
