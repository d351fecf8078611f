"""`taizhang serve`: the HTTP server core, run as a user runs it.

Starts the real binary on a free port (--listen 127.0.0.1:0, the port read
from its startup line) against a demo database and checks what every
request meets before and around its handler: the startup line, 401 without
a session, 404/405 as JSON, the security headers on errors too, the body
limit (checked against Content-Length before the session is looked up, and
while reading a chunked body), bounded headers, the clean stop on SIGTERM
with a request in flight, and a request log without passwords, ID numbers
or query strings. The read-only data routes (ledgers, check, indicators,
report, audit) are checked against the CLI's output for the same scope.

Sessions are made directly in the database, as the schema stores them
(tz_sessions.id is the SHA-256 of the cookie's token), so these tests do
not depend on the login route; logging in itself is test_auth's.
"""
import hashlib
import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
import unittest
import urllib.parse
import zipfile

import serverlib
import tzlib

SECURITY_HEADERS = {
    "Content-Security-Policy":
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
COUNTY = "411628000000"      # 鹿邑县
TOWNSHIP = "411628101000"    # 宋河镇, in 鹿邑县
OTHER_COUNTY = "411421000000"  # 民权县, not in 鹿邑县


# Session tokens have the shape tz_login hands out: 64 lower-case hex digits.
TOK = {n: hashlib.sha256(n.encode()).hexdigest()
       for n in ("tok-county", "tok-town", "tok-viewer", "tok-other", "tok-old", "no-such-token")}


def db_exec(db, sql, params=()):
    """Runs one statement with ? parameters on the SQLite file or the
    PostgreSQL database db; returns the first column of the first row."""
    if db.startswith("postgres"):
        for v in params:  # inlined as literals: test data only
            lit = str(v) if isinstance(v, int) else "'" + str(v).replace("'", "''") + "'"
            sql = sql.replace("?", lit, 1)
        p = subprocess.run(["psql", "-qAtX", db, "-c", sql], check=True, capture_output=True,
                           text=True)
        out = p.stdout.strip()
        return int(out) if out.isdigit() else out
    con = sqlite3.connect(db)
    try:
        with con:
            row = con.execute(sql, params).fetchone()
        return row[0] if row else None
    finally:
        con.close()


def add_session(db, name, role, scope_kind, scope, token, csrf, expires=None):
    """An account and a live session for it, stored as session.c stores them."""
    now = int(time.time())
    db_exec(db, "DELETE FROM tz_sessions WHERE username = ?", (name,))
    db_exec(db, "DELETE FROM tz_users WHERE name = ?", (name,))
    db_exec(db, "INSERT INTO tz_users (name, pw_hash, role, scope_kind, scope, disabled, "
                "created) VALUES (?, 'x', ?, ?, ?, 0, '2026-01-01')",
            (name, role, scope_kind, scope))
    db_exec(db, "INSERT INTO tz_sessions (id, username, csrf, addr, created, expires) "
                "VALUES (?, ?, ?, '127.0.0.1', ?, ?)",
            (hashlib.sha256(token.encode()).hexdigest(), name, csrf, now,
             now + 3600 if expires is None else expires))


class Server:
    """One `taizhang serve` process; its stderr (the request log) goes to a file."""

    def __init__(self, db, *extra, log_dir):
        self.log_path = os.path.join(log_dir, "serve.log")
        self.log = open(self.log_path, "wb")
        self.tmpdir = os.path.join(log_dir, "serve-tmp")  # the server's TMPDIR
        os.makedirs(self.tmpdir, exist_ok=True)
        env = dict(os.environ, TAIZHANG_HOME=tzlib.ROOT, TMPDIR=self.tmpdir)
        self.p = subprocess.Popen([tzlib.BIN, "serve", db, "--listen", "127.0.0.1:0",
                                   "--threads", "4", *extra],
                                  stdout=subprocess.PIPE, stderr=self.log, env=env)
        self.signalled = False
        self.line = self.p.stdout.readline().decode("utf-8")
        self.port = int(self.line.rsplit(":", 1)[1].strip().rstrip("/"))

    def conn(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def request(self, method, path, body=None, headers=None, token=None):
        """Returns (status, headers dict, body bytes)."""
        h = dict(headers or {})
        if token:
            h["Cookie"] = "tz_session=" + token
        c = self.conn()
        try:
            c.request(method, path, body=body, headers=h)
            r = c.getresponse()
            return r.status, dict(r.getheaders()), r.read()
        finally:
            c.close()

    def signal(self, sig=signal.SIGTERM):
        self.signalled = True
        self.p.send_signal(sig)

    def stop(self):
        """SIGTERM (unless one was sent); returns the exit status and the log."""
        if not self.signalled:
            self.signal()
        rc = self.p.wait(timeout=120)
        self.p.stdout.close()
        self.log.close()
        with open(self.log_path, encoding="utf-8") as f:
            return rc, f.read()


class ServeTest(unittest.TestCase):
    pg = None  # a serverlib.PgDatabase in the PostgreSQL run

    @classmethod
    def make_db(cls):
        return os.path.join(cls.tmp.name, "demo.db")

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.db = cls.make_db()
        tzlib.run("demo", cls.db, "--quiet", check=0)
        add_session(cls.db, "县管理员", "管理员", "region", COUNTY, TOK["tok-county"], "csrf-county")
        add_session(cls.db, "镇填报", "填报", "region", TOWNSHIP, TOK["tok-town"], "csrf-town")
        add_session(cls.db, "县查看", "查看", "region", COUNTY, TOK["tok-viewer"], "csrf-viewer")
        add_session(cls.db, "民权县审核", "审核", "region", OTHER_COUNTY, TOK["tok-other"], "csrf-o")

    @classmethod
    def tearDownClass(cls):
        if cls.pg:
            cls.pg.drop()
        cls.tmp.cleanup()

    def setUp(self):
        self.srv = Server(self.db, log_dir=self.tmp.name)

    def tearDown(self):
        rc, self.log = self.srv.stop()
        self.assertEqual(rc, 0, self.log)

    def assertJsonError(self, status, headers, body, want):
        self.assertEqual(status, want, body)
        self.assertEqual(headers.get("Content-Type"), "application/json; charset=utf-8")
        j = json.loads(body.decode("utf-8"))
        self.assertIsInstance(j["error"], str)
        self.assertTrue(any("\u4e00" <= ch <= "\u9fff" for ch in j["error"]), j)
        self.assertIsInstance(j["details"], list)
        return j

    def assertSecurityHeaders(self, headers, api=True):
        for k, v in SECURITY_HEADERS.items():
            self.assertEqual(headers.get(k), v, k)
        self.assertNotIn("Server", headers)
        if api:
            self.assertEqual(headers.get("Cache-Control"), "no-store")

    def get_json(self, path, token=TOK["tok-county"]):
        st, h, body = self.srv.request("GET", path, token=token)
        self.assertEqual(st, 200, body)
        self.assertEqual(h.get("Content-Type"), "application/json; charset=utf-8")
        self.assertSecurityHeaders(h)
        return json.loads(body.decode("utf-8"))

    # ---- the server core ---------------------------------------------------------

    def test_startup_line(self):
        self.assertEqual(self.srv.line, "台账服务已启动: http://127.0.0.1:%d/\n" % self.srv.port)

    def test_401_without_session(self):
        for token in (None, "no-such-token", TOK["no-such-token"]):
            st, h, body = self.srv.request("GET", "/api/ledgers", token=token)
            j = self.assertJsonError(st, h, body, 401)
            self.assertEqual(j["error"], "未登录或会话已过期")
            self.assertSecurityHeaders(h)

    def test_expired_session_401(self):
        add_session(self.db, "过期", "管理员", "region", COUNTY, TOK["tok-old"], "c", expires=1)
        st, h, body = self.srv.request("GET", "/api/ledgers", token=TOK["tok-old"])
        self.assertJsonError(st, h, body, 401)

    def test_404_and_405_json(self):
        for path in ("/api/nothing", "/api", "/api/ledgers/", "/api/indicators/"):
            st, h, body = self.srv.request("GET", path)
            self.assertJsonError(st, h, body, 404)
            self.assertSecurityHeaders(h, api=path.startswith("/api/"))
        st, h, body = self.srv.request("DELETE", "/api/ledgers", token=TOK["tok-county"])
        self.assertJsonError(st, h, body, 405)
        self.assertEqual(h.get("Allow"), "GET")
        self.assertSecurityHeaders(h)

    def test_writes_need_the_csrf_token(self):
        # POST /api/logout is a write: no token, another session's token or a
        # prefix of the right one are refused, and the session lives on
        for headers in ({}, {"X-CSRF-Token": "csrf-town"}, {"X-CSRF-Token": "csrf-coun"},
                        {"X-CSRF-Token": ""}):
            st, h, body = self.srv.request("POST", "/api/logout", headers=headers,
                                           token=TOK["tok-county"])
            self.assertJsonError(st, h, body, 403)
            self.assertSecurityHeaders(h)
        self.get_json("/api/ledgers")
        add_session(self.db, "退出", "管理员", "region", COUNTY, TOK["tok-old"], "csrf-bye")
        st, _, body = self.srv.request("POST", "/api/logout", headers={"X-CSRF-Token": "csrf-bye"},
                                       token=TOK["tok-old"])
        self.assertEqual(st, 200, body)
        st, h, body = self.srv.request("GET", "/api/ledgers", token=TOK["tok-old"])
        self.assertJsonError(st, h, body, 401)

    def test_413_before_auth(self):
        # the limit is checked against Content-Length before the session: no
        # login needed to be refused, and nothing of the body is read
        st, h, body = self.srv.request("GET", "/api/ledgers", body=b"x" * (64 * 1024 + 1))
        self.assertJsonError(st, h, body, 413)
        self.assertSecurityHeaders(h)
        # exactly the limit passes it (and then meets the session check)
        st, h, body = self.srv.request("GET", "/api/ledgers", body=b"x" * (64 * 1024))
        self.assertJsonError(st, h, body, 401)

    def test_413_while_reading_chunked(self):
        # no Content-Length: the body is counted as it comes
        def chunks():
            for _ in range(20):
                yield b"y" * 4096
        c = self.srv.conn()
        c.putrequest("GET", "/api/ledgers")
        c.putheader("Cookie", "tz_session=" + TOK["tok-county"])
        c.putheader("Transfer-Encoding", "chunked")
        c.endheaders()
        try:
            for part in chunks():
                c.send(b"%x\r\n%s\r\n" % (len(part), part))
            c.send(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before all was sent
        r = c.getresponse()
        st, h, body = r.status, dict(r.getheaders()), r.read()
        c.close()
        self.assertJsonError(st, h, body, 413)
        self.assertSecurityHeaders(h)

    def test_431_headers_too_large(self):
        st, h, body = self.srv.request("GET", "/api/ledgers", headers={"X-Big": "z" * 40000})
        j = self.assertJsonError(st, h, body, 431)
        self.assertIn("32KB", j["error"])  # the limit the client must keep to
        self.assertSecurityHeaders(h)

    def test_log_has_no_password_id_or_query(self):
        secret = "Geheim-密码-7731"
        idno = "411628199001011234"
        st, _, _ = self.srv.request("POST", "/api/login",
                                    body=json.dumps({"username": "县管理员",
                                                     "password": secret}).encode(),
                                    headers={"Content-Type": "application/json"})
        self.assertEqual(st, 401)
        self.srv.request("GET", "/api/ledgers/households/rows/" + idno, token=TOK["tok-county"])
        self.srv.request("GET", "/api/check?region=" + COUNTY + "&q=" + idno, token=TOK["tok-county"])
        rc, log = self.srv.stop()
        self.assertEqual(rc, 0)
        self.assertNotIn(secret, log)
        self.assertNotIn(idno, log)
        self.assertNotIn("q=", log)
        self.assertIn("/api/ledgers/households/rows/411628********1234", log)
        lines = [x for x in log.splitlines() if " /api/check " in x]
        self.assertEqual(len(lines), 1, log)
        f = lines[0].split(" ")
        self.assertEqual(f[1:5], ["127.0.0.1", "GET", "/api/check", "200"])
        self.assertRegex(f[5], r"^\d+ms$")

    def test_quiet_logs_nothing(self):
        self.srv.stop()
        self.srv = Server(self.db, "--quiet", log_dir=self.tmp.name)
        self.srv.request("GET", "/api/ledgers")
        rc, log = self.srv.stop()
        self.assertEqual((rc, log), (0, ""))

    def test_sigterm_finishes_request_in_flight(self):
        # headers with Expect: 100-continue: the "100 Continue" answer means
        # the server has taken the request in; then SIGTERM, then the body
        s = socket.create_connection(("127.0.0.1", self.srv.port), timeout=120)
        body = b"{}"
        s.sendall(b"GET /api/ledgers HTTP/1.1\r\nHost: x\r\nCookie: tz_session=%s\r\n"
                  b"Content-Length: %d\r\nExpect: 100-continue\r\n\r\n"
                  % (TOK["tok-county"].encode(), len(body)))
        got = b""
        while b"\r\n\r\n" not in got:
            got += s.recv(1024)
        self.assertTrue(got.startswith(b"HTTP/1.1 100"), got)
        self.srv.signal()
        self.srv.signal()  # a second one does not cut the stop short
        s.sendall(body)
        resp = b""
        while True:
            part = s.recv(65536)
            if not part:
                break
            resp += part
        s.close()
        head, _, payload = resp.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 200"), head)
        ledgers = json.loads(payload.decode("utf-8"))
        self.assertEqual(ledgers[0]["id"], "regions")
        rc, log = self.srv.stop()
        self.assertEqual(rc, 0, log)
        # stopped: nothing listens any more
        with self.assertRaises(OSError):
            socket.create_connection(("127.0.0.1", self.srv.port), timeout=5).close()

    # ---- the read-only data routes ------------------------------------------------

    def test_ledgers_as_cli(self):
        cli = json.loads(tzlib.run("ledgers", "--json", check=0).stdout)
        self.assertEqual(self.get_json("/api/ledgers"), cli)
        one = self.get_json("/api/ledgers?ledger=" + urllib.parse.quote("建档立卡贫困户"))
        self.assertEqual([x["id"] for x in one], ["households"])
        st, h, body = self.srv.request("GET", "/api/ledgers?ledger=nope", token=TOK["tok-county"])
        self.assertJsonError(st, h, body, 404)

    def test_check_in_scope_as_cli(self):
        cli = json.loads(tzlib.run("check", self.db, "--region", COUNTY, "--period", "2019",
                                   "--json").stdout)
        self.assertEqual(self.get_json("/api/check?period=2019"), cli)  # own scope by default
        self.assertEqual(self.get_json("/api/check?region=" + COUNTY + "&period=2019"), cli)
        town = json.loads(tzlib.run("check", self.db, "--region", TOWNSHIP, "--period", "2019",
                                    "--json").stdout)
        self.assertEqual(self.get_json("/api/check?period=2019", token=TOK["tok-town"]), town)

    def test_check_out_of_scope_403(self):
        for token, region in ((TOK["tok-county"], OTHER_COUNTY), (TOK["tok-town"], COUNTY),
                              (TOK["tok-other"], COUNTY), (TOK["tok-town"], "411628102000")):
            st, h, body = self.srv.request("GET", "/api/check?region=" + region, token=token)
            j = self.assertJsonError(st, h, body, 403)
            self.assertNotIn("figures", j)
        st, h, body = self.srv.request("GET", "/api/check?region=999999", token=TOK["tok-county"])
        self.assertJsonError(st, h, body, 400)
        st, h, body = self.srv.request("GET", "/api/check?period=2019-13", token=TOK["tok-county"])
        self.assertJsonError(st, h, body, 400)

    def test_indicator_as_cli(self):
        name = "贫困村数"
        cli = json.loads(tzlib.run("indicator", self.db, name, "--region", COUNTY, "--period",
                                   "2019", "--by", "township", "--json").stdout)
        got = self.get_json("/api/indicators/" + urllib.parse.quote(name) +
                            "?period=2019&by=township")
        self.assertEqual(got, cli)
        st, h, body = self.srv.request("GET", "/api/indicators/" + urllib.parse.quote(name) +
                                       "?region=" + OTHER_COUNTY, token=TOK["tok-county"])
        self.assertJsonError(st, h, body, 403)
        st, h, body = self.srv.request("GET", "/api/indicators/nope", token=TOK["tok-county"])
        self.assertJsonError(st, h, body, 404)
        st, h, body = self.srv.request("GET", "/api/indicators/" + urllib.parse.quote(name) +
                                       "?by=nope", token=TOK["tok-county"])
        self.assertJsonError(st, h, body, 400)

    def test_report_download_as_cli(self):
        unit = "县文化广电旅游局"
        out = os.path.join(self.tmp.name, "cli.md")
        tzlib.run("report", self.db, "--kind", "poverty-work", "--region", COUNTY, "--unit",
                  unit, "--period", "2019", "-o", out, "--no-proofread", check=0)
        q = "/api/report?kind=poverty-work&period=2019&unit=" + urllib.parse.quote(unit)
        st, h, body = self.srv.request("GET", q + "&format=md", token=TOK["tok-county"])
        self.assertEqual(st, 200, body)
        self.assertSecurityHeaders(h)
        self.assertEqual(h["Content-Type"], "text/markdown; charset=utf-8")
        with open(out, "rb") as f:
            self.assertEqual(body, f.read())
        name = "鹿邑县-县文化广电旅游局-2019-精准扶贫工作汇报.md"
        self.assertEqual(h["Content-Disposition"],
                         "attachment; filename=\"download.md\"; filename*=UTF-8''" +
                         urllib.parse.quote(name, safe=""))
        st, h, body = self.srv.request("GET", q, token=TOK["tok-county"])  # docx by default
        self.assertEqual(st, 200, body)
        self.assertEqual(h["Content-Type"], "application/vnd.openxmlformats-officedocument."
                                            "wordprocessingml.document")
        path = os.path.join(self.tmp.name, "api.docx")
        with open(path, "wb") as f:
            f.write(body)
        with zipfile.ZipFile(path) as z:
            self.assertIn("精准扶贫工作汇报", z.read("word/document.xml").decode("utf-8"))
        st, h, body = self.srv.request("GET", q + "&format=html", token=TOK["tok-county"])
        self.assertEqual((st, h["Content-Type"]), (200, "text/html; charset=utf-8"))
        out = os.path.join(self.tmp.name, "cli.html")
        tzlib.run("report", self.db, "--kind", "poverty-work", "--region", COUNTY, "--unit",
                  unit, "--period", "2019", "-o", out, "--no-proofread", check=0)
        with open(out, "rb") as f:
            self.assertEqual(body, f.read())  # the CLI's renderer, byte for byte
        self.assertEqual(os.listdir(self.srv.tmpdir), [])  # no temporary file left behind

    def test_report_refusals(self):
        unit = urllib.parse.quote("县文化广电旅游局")
        base = "/api/report?kind=poverty-work&period=2019&unit=" + unit
        for path, token, want in (
                (base + "&region=" + OTHER_COUNTY, TOK["tok-county"], 403),
                (base, TOK["tok-other"], 400),                       # its own county: unit not there
                (base + "&format=pdf", TOK["tok-county"], 400),
                ("/api/report?kind=nope&period=2019", TOK["tok-county"], 400),
                ("/api/report?period=2019", TOK["tok-county"], 400),
                (base + "&appendix=1", TOK["tok-viewer"], 403),      # 附件 keys may be ID numbers
        ):
            st, h, body = self.srv.request("GET", path, token=token)
            self.assertJsonError(st, h, body, want)
        # no kind: the kinds there are, so the caller can pick one
        st, h, body = self.srv.request("GET", "/api/report?period=2019", token=TOK["tok-county"])
        j = self.assertJsonError(st, h, body, 400)
        self.assertIn("poverty-work", j["error"])
        self.assertIn("investment", j["error"])

    def test_audit_in_scope_only(self):
        before = db_exec(self.db, "SELECT COUNT(*) FROM audit_log")
        rows = [("镇填报", "修改", "households", "k1"), ("民权县审核", "修改", "households", "k2"),
                ("县管理员", "新增", "regions", "k3")]
        for actor, action, ledger, key in rows:
            db_exec(self.db, "INSERT INTO audit_log (ts, actor, action, ledger, row_key, detail, "
                             "addr, request) VALUES ('2026-03-01 10:00:00', ?, ?, ?, ?, '', "
                             "'127.0.0.1', 'POST /x')", (actor, action, ledger, key))
        j = self.get_json("/api/audit?from=2026-03-01&to=2026-03-01")
        self.assertEqual(sorted(e["key"] for e in j["entries"]), ["k1", "k3"])
        self.assertEqual(j["total"], 2)
        self.assertEqual(self.get_json("/api/audit?from=2026-03-01&to=2026-03-01",
                                       token=TOK["tok-town"])["total"], 1)
        j = self.get_json("/api/audit?ledger=households&from=2026-03-01&to=2026-03-01&limit=1")
        self.assertEqual((j["total"], len(j["entries"])), (1, 1))
        self.assertEqual(j["entries"][0]["user"], "镇填报")
        self.assertEqual(j["entries"][0]["ledger_name"], "建档立卡贫困户")
        for path, token, want in (("/api/audit?user=" + urllib.parse.quote("民权县审核"),
                                   TOK["tok-county"], 403),
                                  ("/api/audit?user=" + urllib.parse.quote("县管理员"),
                                   TOK["tok-town"], 403),
                                  ("/api/audit?from=2026-02-30", TOK["tok-county"], 400),
                                  ("/api/audit?limit=0", TOK["tok-county"], 400),
                                  ("/api/audit?ledger=nope", TOK["tok-county"], 404)):
            st, h, body = self.srv.request("GET", path, token=token)
            self.assertJsonError(st, h, body, want)
        after = db_exec(self.db, "SELECT COUNT(*) FROM audit_log")
        self.assertEqual(after, before + 3)  # reading it wrote nothing

    def test_audit_of_one_row(self):
        """?ledger=&key= is one row's whole history: the 新增 its import
        record stands for (here a township account's import), then its
        changes, and nothing of other rows; the listing shows that import
        as its one 导入 entry; a key without a ledger is refused."""
        q = "SELECT hh_id FROM households WHERE village LIKE '411628101%%' ORDER BY hh_id %s LIMIT 1"
        key, other = str(db_exec(self.db, q % "")), str(db_exec(self.db, q % "DESC"))
        self.assertNotEqual(key, other)
        db_exec(self.db, "INSERT INTO audit_log (ts, actor, action, ledger, row_key, detail, addr, "
                         "request) VALUES ('2026-05-01 08:00:00', '镇填报', '导入', 'households', "
                         "'', 'web.csv 新增1行', '127.0.0.1', 'POST /x')")
        aid = db_exec(self.db, "SELECT max(id) FROM audit_log")
        db_exec(self.db, "INSERT INTO tz_imports (audit_id, ledger, label, file, size, sha256, "
                         "added) VALUES (?, 'households', 'web.csv', 'web.csv', 10, '', 1)", (aid,))
        imp = db_exec(self.db, "SELECT max(id) FROM tz_imports")
        db_exec(self.db, "UPDATE households SET tz_import = ?, tz_line = 7 WHERE hh_id = ?",
                (imp, key))
        for k, detail in ((key, "家庭人口 3 → 4"), (other, "家庭人口 5 → 6")):
            db_exec(self.db, "INSERT INTO audit_log (ts, actor, action, ledger, row_key, detail, "
                             "addr, request) VALUES ('2026-05-02 09:00:00', '镇填报', '修改', "
                             "'households', ?, ?, '127.0.0.1', 'PUT /x')", (k, detail))
        j = self.get_json("/api/audit?ledger=households&key=" + urllib.parse.quote(key))
        got = sorted((e["action"], e["detail"], e["user"], e["key"]) for e in j["entries"])
        self.assertEqual(got, [("修改", "家庭人口 3 → 4", "镇填报", key),
                               ("新增", "web.csv 第7行", "镇填报", key)])
        self.assertEqual(j["total"], 2)
        # the same for the township account; the listing has the import, no 新增
        j = self.get_json("/api/audit?ledger=households&key=" + urllib.parse.quote(key),
                          token=TOK["tok-town"])
        self.assertEqual(j["total"], 2)
        j = self.get_json("/api/audit?ledger=households&from=2026-05-01&to=2026-05-02")
        self.assertEqual(sorted((e["action"], e["key"]) for e in j["entries"]),
                         sorted([("导入", ""), ("修改", key), ("修改", other)]))
        st, h, body = self.srv.request("GET", "/api/audit?key=" + urllib.parse.quote(key),
                                       token=TOK["tok-county"])
        self.assertJsonError(st, h, body, 400)

    def test_viewer_never_sees_full_id(self):
        db_exec(self.db, "INSERT INTO audit_log (ts, actor, action, ledger, row_key, detail, "
                         "addr, request) VALUES ('2026-04-01 10:00:00', '县管理员', '修改', "
                         "'households', '411628199001011234', '户主身份证号 411628199001011234', "
                         "'127.0.0.1', 'POST /x')")
        q = "/api/audit?from=2026-04-01&to=2026-04-01"
        st, _, body = self.srv.request("GET", q, token=TOK["tok-viewer"])
        self.assertEqual(st, 200, body)
        self.assertNotIn(b"411628199001011234", body)
        self.assertIn("411628********1234", body.decode("utf-8"))
        st, _, body = self.srv.request("GET", q, token=TOK["tok-county"])
        self.assertIn(b"411628199001011234", body)


@unittest.skipUnless(serverlib.pg_base(), "TZ_PG_URI names no PostgreSQL server")
class ServePgTest(ServeTest):
    """The same on PostgreSQL: the pool's connections are libpq ones."""

    @classmethod
    def make_db(cls):
        cls.pg = serverlib.PgDatabase("serve")
        return cls.pg.uri


class ServeStartTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.db = os.path.join(self.tmp.name, "demo.db")
        tzlib.run("demo", self.db, "--quiet", check=0)

    def tearDown(self):
        self.tmp.cleanup()

    def test_bad_listen_is_usage(self):
        for bad in ("8080", "127.0.0.1:", "127.0.0.1:99999", "::1:80", "[::1]80"):
            p = tzlib.run("serve", self.db, "--listen", bad)
            self.assertEqual(p.returncode, 2, bad)
            self.assertIn("--listen", p.stderr)
        p = tzlib.run("serve", self.db, "--threads", "0")
        self.assertEqual(p.returncode, 2)

    def test_address_in_use(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        try:
            p = tzlib.run("serve", self.db, "--listen", "127.0.0.1:%d" % port)
        finally:
            s.close()
        self.assertEqual(p.returncode, 3)
        self.assertIn("已被占用", p.stderr)

    def test_missing_database(self):
        p = tzlib.run("serve", os.path.join(self.tmp.name, "none.db"), "--listen", "127.0.0.1:0")
        self.assertEqual(p.returncode, 3)
        self.assertTrue(p.stderr.strip())

    def test_ipv6(self):
        env = dict(os.environ, TAIZHANG_HOME=tzlib.ROOT)
        p = subprocess.Popen([tzlib.BIN, "serve", self.db, "--listen", "[::1]:0", "--quiet"],
                             stdout=subprocess.PIPE, env=env)
        line = p.stdout.readline().decode("utf-8")
        self.assertRegex(line, r"^台账服务已启动: http://\[::1\]:\d+/\n$")
        port = int(line.rsplit(":", 1)[1].strip().rstrip("/"))
        c = http.client.HTTPConnection("::1", port, timeout=60)
        c.request("GET", "/api/ledgers")
        self.assertEqual(c.getresponse().status, 401)
        c.close()
        p.send_signal(signal.SIGINT)
        self.assertEqual(p.wait(timeout=60), 0)
        p.stdout.close()


if __name__ == "__main__":
    unittest.main()
