"""Attacks on a real `taizhang serve` (SQLite): guessing passwords past the
limit (per account and per address: 429 even with the right password), a
session cookie after logout, writes without or with a wrong CSRF token,
oversized bodies (64 KB + 1 on a row, 50 MB + 1 on an import, streamed) and
headers, the security headers, SQL-ish and path-traversal inputs, attempts
to change the audit log, and the server's own log (no password, token or
full ID number in it). Every refusal is paired with the request that
succeeds."""
import json
import socket
import sqlite3
import unittest

from serverlib import (num, PASSWORD, TOWN_A, VILLAGE_A, VILLAGE_B, Fixture, Server, demo_ids,
                       error_text, full_ids_in, row_url, row_version, rows_url, with_version)
from tzlib import HOUSEHOLDS_HEADER, household, idcard

OK = (200, 201)
ACCOUNTS = [("a_clerk", "填报", TOWN_A, None), ("a_view", "查看", TOWN_A, None),
            ("county_admin", "管理员", "411628000000", None)] + \
    [(f"guess{i}", "查看", TOWN_A, None) for i in range(6)]
MAX_FAILS_USER = 5  # web.h TZ_LOGIN_MAX_FAILS_USER
MAX_FAILS_ADDR = 20  # web.h TZ_LOGIN_MAX_FAILS_ADDR
KEY_A = "4116280000001"  # a household of 真源街道 (秦阁村)


def raw_request(port, head, body_chunks=(), chunk_total=0):
    """Sends head (bytes, ending in a blank line) then the body chunks on a
    plain socket, stopping when the server closes; returns the status code
    of the answer (0 when none came) and its text."""
    s = socket.create_connection(("127.0.0.1", port), timeout=300)
    sent = 0
    try:
        s.sendall(head)
        for chunk in body_chunks:
            s.sendall(chunk)
            sent += len(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server refused early and closed: read its answer
    data = b""
    try:
        s.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            data += b
    except (ConnectionResetError, socket.timeout):
        pass
    s.close()
    text = data.decode("utf-8", "replace")
    try:
        status = int(text.split(" ", 2)[1]) if text.startswith("HTTP/") else 0
    except (IndexError, ValueError):
        status = 0
    return status, text


class AttackBase(unittest.TestCase):
    quiet = True

    def setUp(self):
        self.fx = Fixture("sqlite", "atk", ACCOUNTS)
        self.srv = Server(self.fx.db, quiet=self.quiet, workdir=self.fx.dir).start()
        self.clients = []

    def tearDown(self):
        for c in self.clients:
            c.close()
        if self.srv.proc is not None:
            self.assertEqual(self.srv.stop(), 0, "the server did not stop cleanly on SIGTERM")
        self.fx.cleanup()

    def client(self, user=None, password=PASSWORD):
        c = self.srv.client()
        self.clients.append(c)
        if user:
            c.login(user, password)
        return c

    def alive(self):
        c = self.client("a_view")
        self.assertEqual(c.get("/api/me").status, 200)

    def row(self, key=KEY_A):
        r = self.client("county_admin").get(row_url("households", key))
        self.assertEqual(r.status, 200, r)
        j = r.json()
        return j.get("row", j)

    def change_body(self, value, key=KEY_A):
        row = self.row(key)
        body = with_version(row, row_version(row))
        body["人均纯收入(元)"] = value
        return body


class TestLoginLimits(AttackBase):
    def test_account_limit_refuses_even_the_right_password(self):
        # control: the right password works before any failure
        self.assertEqual(self.client().login("guess0", check=False).status, 200)
        c = self.client()
        for i in range(MAX_FAILS_USER):
            r = c.login("guess0", f"wrong-{i}", check=False)
            self.assertEqual(r.status, 401, f"failure {i + 1}: {r}")
            self.assertIsNone(c.cookie)
        r = c.login("guess0", PASSWORD, check=False)
        self.assertEqual(r.status, 429, r)
        self.assertIsNone(c.cookie)
        self.assertTrue(error_text(r))
        self.assertNotIn("csrf", r.json())
        # the limit is per account: another account from the same address logs in
        self.assertEqual(self.client().login("guess1", check=False).status, 200)

    def test_address_limit_refuses_every_account(self):
        self.assertEqual(self.client().login("guess5", check=False).status, 200)
        c = self.client()
        fails = 0
        # spread over accounts, below each account's own limit
        for i in range(MAX_FAILS_ADDR):
            user = f"guess{i % 4}" if i < 16 else f"nobody{i}"
            r = c.login(user, "wrong", check=False)
            self.assertEqual(r.status, 401, f"failure {i + 1} ({user}): {r}")
            fails += 1
        self.assertEqual(fails, MAX_FAILS_ADDR)
        # guess5 has no failure of its own, but the address is over its limit
        r = c.login("guess5", PASSWORD, check=False)
        self.assertEqual(r.status, 429, r)
        self.assertIsNone(c.cookie)


class TestSessionsAndCsrf(AttackBase):
    def test_cookie_is_useless_after_logout(self):
        c = self.client("a_clerk")
        cookie, csrf = c.cookie, c.csrf
        self.assertEqual(c.get("/api/me").status, 200)  # control
        self.assertIn(c.logout().status, OK)
        replay = self.client()
        replay.cookie, replay.csrf = cookie, csrf
        self.assertEqual(replay.get("/api/me").status, 401)
        self.assertEqual(replay.get(rows_url("households")).status, 401)
        before = self.row()
        r = replay.post(rows_url("households"), self.change_body("4321"))
        self.assertIn(r.status, (401, 403), r)
        self.assertEqual(self.row(), before)
        # a forged cookie is no better
        replay.cookie = "0" * 64
        self.assertEqual(replay.get("/api/me").status, 401)

    def test_cookie_attributes(self):
        c = self.client()
        r = c.login("a_view")
        cookie = r.header("Set-Cookie")
        self.assertIsNotNone(cookie)
        attrs = [a.strip().lower() for a in cookie.split(";")]
        self.assertIn("httponly", attrs)
        self.assertIn("samesite=strict", attrs)
        self.assertRegex(c.cookie, r"^[0-9a-f]{64}$")
        self.assertNotIn(c.cookie, r.text)  # the token is not in the body

    def test_writes_need_this_sessions_csrf_token(self):
        c = self.client("a_clerk")
        other = self.client("county_admin")
        value = 5000
        for token in (False, "", "0" * 64, other.csrf, c.csrf.upper()):
            with self.subTest(token=token):
                if token == c.csrf.upper() and token == c.csrf:
                    continue
                before = self.row()
                value += 1
                r = c.post(rows_url("households"), self.change_body(str(value)), csrf=token)
                self.assertEqual(r.status, 403, r)
                self.assertEqual(self.row(), before)
                r = c.delete(row_url("households", KEY_A), csrf=token)
                self.assertEqual(r.status, 403, r)
        # control: the right token
        r = c.post(rows_url("households"), self.change_body("5999"))
        self.assertIn(r.status, OK, r)
        self.assertEqual(num(self.row()["人均纯收入(元)"]), "5999")


class TestLimits(AttackBase):
    def _head(self, c, method, path, length=None, ctype="application/json", extra=""):
        h = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: tz_session={c.cookie}\r\n" \
            f"X-CSRF-Token: {c.csrf}\r\nContent-Type: {ctype}\r\n{extra}"
        if length is not None:
            h += f"Content-Length: {length}\r\n"
        return (h + "Connection: close\r\n\r\n").encode("utf-8")

    def test_row_body_over_64k_is_413(self):
        c = self.client("a_clerk")
        body = json.dumps(self.change_body("5123"), ensure_ascii=False).encode("utf-8")
        limit = 64 * 1024
        # control: exactly 64 KB (the row padded with spaces) is accepted
        at = body + b" " * (limit - len(body))
        self.assertEqual(len(at), limit)
        st, text = raw_request(self.srv.port, self._head(c, "POST", "/api/ledgers/households/rows",
                                                         len(at)), [at])
        self.assertIn(st, OK, text[:500])
        over = json.dumps(self.change_body("5124"), ensure_ascii=False).encode("utf-8")
        over += b" " * (limit + 1 - len(over))
        st, text = raw_request(self.srv.port, self._head(c, "POST", "/api/ledgers/households/rows",
                                                         len(over)), [over])
        self.assertEqual(st, 413, text[:500])
        self.assertEqual(num(self.row()["人均纯收入(元)"]), "5123")
        # chunked, without a length
        chunks = [b"%x\r\n%s\r\n" % (len(over[i:i + 8192]), over[i:i + 8192])
                  for i in range(0, len(over), 8192)] + [b"0\r\n\r\n"]
        st, text = raw_request(self.srv.port,
                               self._head(c, "POST", "/api/ledgers/households/rows",
                                          extra="Transfer-Encoding: chunked\r\n"), chunks)
        self.assertEqual(st, 413, text[:500])
        self.alive()

    def test_import_over_50mb_is_413_streamed(self):
        c = self.client("a_clerk")
        limit = 50 * 1024 * 1024
        total = limit + 1
        line = ("4116289000001,某某," + "x" * 1000 + "\n").encode("utf-8")

        def body():
            sent = 0
            yield (",".join(HOUSEHOLDS_HEADER) + "\n").encode("utf-8")
            sent += len((",".join(HOUSEHOLDS_HEADER) + "\n").encode("utf-8"))
            block = line * 1024
            while sent < total:
                chunk = block[:total - sent]
                sent += len(chunk)
                yield chunk
        st, text = raw_request(self.srv.port,
                               self._head(c, "POST", "/api/ledgers/households/import", total,
                                          "text/csv", "X-Filename: households.csv\r\n"), body())
        self.assertEqual(st, 413, text[:500])
        # control: a small import goes through the same route
        idno = idcard("411628", "19900909", 9)
        small = "\n".join(",".join(r) for r in (
            HOUSEHOLDS_HEADER,
            household("4116289000009", "小文件", idno, village=VILLAGE_A, exited=""))).encode()
        r = c.post("/api/ledgers/households/import", small, content_type="text/csv",
                   headers={"X-Filename": "households.csv"})
        self.assertIn(r.status, OK, r)
        self.alive()

    def test_headers_are_bounded(self):
        c = self.client("a_view")
        for extra in ("X-Big: " + "a" * 200000 + "\r\n",
                      "".join(f"X-H{i}: {'b' * 100}\r\n" for i in range(4000))):
            head = (f"GET /api/me HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: tz_session={c.cookie}"
                    f"\r\n{extra}Connection: close\r\n\r\n").encode()
            st, text = raw_request(self.srv.port, head)
            self.assertIn(st, (400, 413, 414, 431), text[:300])
        long_url = "/api/ledgers/households/rows?q=" + "z" * 200000
        st, text = raw_request(self.srv.port, (f"GET {long_url} HTTP/1.1\r\nHost: x\r\n"
                                               f"Cookie: tz_session={c.cookie}\r\n"
                                               "Connection: close\r\n\r\n").encode())
        self.assertIn(st, (400, 413, 414, 431), text[:300])
        self.alive()  # and the server lives on

    def test_security_headers_on_every_answer(self):
        anon = self.client()
        c = self.client("a_view")
        answers = [anon.login("a_view", "wrong", check=False), anon.get("/api/me"),
                   c.get("/api/me"), c.get(rows_url("households"), {"limit": "5"}),
                   c.get("/api/no-such-route"), c.post(rows_url("households"), {})]
        for r in answers:
            with self.subTest(status=r.status, body=r.text[:80]):
                csp = r.header("Content-Security-Policy") or ""
                self.assertIn("default-src", csp)
                # inline styles are allowed (ECharts' tooltips; docs/decisions.md),
                # inline scripts never: script-src (or default-src without it)
                dirs = {d.split()[0]: d for d in csp.split(";") if d.strip()}
                script = dirs.get("script-src", dirs.get("default-src", ""))
                self.assertNotIn("unsafe-inline", script)
                self.assertNotIn("unsafe-eval", csp)
                self.assertEqual((r.header("X-Frame-Options") or "").upper(), "DENY")
                self.assertEqual((r.header("X-Content-Type-Options") or "").lower(), "nosniff")
                self.assertTrue(r.header("Referrer-Policy"))
                server = r.header("Server") or ""
                self.assertNotRegex(server, r"[0-9]", "the Server header shows a version")
                self.assertNotIn("microhttpd", server.lower())
                self.assertTrue((r.header("Content-Type") or "").startswith("application/json"))


class TestInjection(AttackBase):
    def test_sqlish_and_traversal_inputs_are_harmless(self):
        c = self.client("a_clerk")
        base = c.get(rows_url("households"), {"limit": "1"})
        self.assertEqual(base.status, 200, base)
        total = base.json()["total"]
        county_total = self.client("county_admin").get(rows_url("households"),
                                                       {"limit": "1"}).json()["total"]
        evil = ["' OR '1'='1", "1; DROP TABLE households; --", "\" OR 1=1 --",
                f"{VILLAGE_B}' OR '1'='1", "%' OR 1=1 --", "../../../../etc/passwd",
                "households\x00", "名称) UNION SELECT pw_hash FROM tz_users --"]
        queries = []
        for e in evil:
            queries += [{"where": f"户主姓名={e}"}, {"where": f"所在村代码={e}"},
                        {"where": f"{e}=1"}, {"q": e}, {"sort": e}, {"limit": e},
                        {"offset": e}, {"where": f"所在村代码={VILLAGE_A}", "q": e}]
        for q in queries:
            with self.subTest(q=q):
                r = c.get(rows_url("households"), q)
                self.assertIn(r.status, (200, 400, 403), r)
                if r.status == 200:
                    j = r.json()
                    self.assertLessEqual(j["total"], total)
                    for row in j["rows"]:
                        self.assertTrue(row["所在村代码"].startswith(TOWN_A[:9]), row)
                else:
                    self.assertTrue(error_text(r))
                self.assertNotIn("argon2", r.text)
        for path in ("/api/ledgers/../../../../etc/passwd/rows",
                     "/api/ledgers/%2e%2e%2f%2e%2e%2fetc%2fpasswd/rows",
                     "/api/ledgers/households/rows/..%2F..%2F..%2Fetc%2Fpasswd",
                     "/api/ledgers/households;DROP TABLE households/rows",
                     "/../../../../etc/passwd", "/api/../../etc/passwd",
                     "/api/ledgers/tz_users/rows", "/api/ledgers/audit_log/rows",
                     "/api/ledgers/sqlite_master/rows"):
            with self.subTest(path=path):
                st, text = raw_request(self.srv.port, (
                    f"GET {path} HTTP/1.1\r\nHost: x\r\nCookie: tz_session={c.cookie}\r\n"
                    "Connection: close\r\n\r\n").encode())
                self.assertIn(st, (400, 404), text[:300])
                self.assertNotIn("root:", text)
                self.assertNotIn("argon2", text)
        for key in ("' OR '1'='1", "../../etc/passwd", f"{KEY_A}' OR '1'='1"):
            r = c.delete(row_url("households", key))
            self.assertIn(r.status, (400, 403, 404), r)
        # nothing was dropped or changed
        after = self.client("county_admin").get(rows_url("households"), {"limit": "1"})
        self.assertEqual(after.json()["total"], county_total)
        self.assertEqual(c.get(rows_url("households"), {"limit": "1"}).json()["total"], total)
        self.alive()


class TestAuditLog(AttackBase):
    def _audit(self):
        con = sqlite3.connect(self.fx.db)
        try:
            return con.execute("SELECT * FROM audit_log ORDER BY id").fetchall()
        finally:
            con.close()

    def test_no_route_changes_the_audit_log(self):
        admin = self.client("county_admin")
        clerk = self.client("a_clerk")
        r = clerk.post(rows_url("households"), self.change_body("5555"))
        self.assertIn(r.status, OK, r)
        before = self._audit()
        self.assertTrue(before)
        # the write is recorded with its account, address and request
        last = before[-1]
        self.assertIn("a_clerk", last)
        self.assertIn("127.0.0.1", last)
        self.assertTrue(any(isinstance(v, str) and "POST /api/ledgers/households/rows" in v
                            for v in last), last)
        first_id = before[0][0]
        for c in (admin, clerk):
            for method in ("DELETE", "POST", "PUT", "PATCH"):
                for path in ("/api/audit", f"/api/audit/{first_id}", "/api/audit_log",
                             "/api/ledgers/audit_log/rows", f"/api/ledgers/audit_log/rows/{first_id}"):
                    with self.subTest(user=c.user, method=method, path=path):
                        r = c.request(method, path, body={"actor": "x", "detail": "改"}
                                      if method != "DELETE" else None)
                        self.assertIn(r.status, (403, 404, 405), r)
        # every entry is still there as it was (refused attempts may be logged too)
        between = self._audit()
        self.assertEqual(between[:len(before)], before, "the audit log changed")
        # control: a GET reads it, and a write adds its entry at the end
        self.assertEqual(admin.get("/api/audit").status, 200)
        r = clerk.post(rows_url("households"), self.change_body("5556"))
        self.assertIn(r.status, OK, r)
        after = self._audit()
        self.assertEqual(after[:len(between)], between)
        self.assertGreater(len(after), len(between))
        self.assertIn("a_clerk", after[-1])


class TestServerLog(AttackBase):
    quiet = False

    def test_no_password_token_or_id_number_in_the_log(self):
        ids = demo_ids()
        idno = idcard("411628", "19770707", 7)
        ids.add(idno)
        anon = self.client()
        anon.login("a_clerk", "WrongSecret-猜一猜", check=False)
        c = self.client("a_clerk")
        full = c.get(row_url("households", KEY_A)).json()
        full = full.get("row", full)
        known = full["户主身份证号"]
        self.assertIn(known, ids)
        new = dict(zip(HOUSEHOLDS_HEADER, household("4116289000077", "日志", idno,
                                                    village=VILLAGE_A, exited="")))
        self.assertIn(c.post(rows_url("households"), new).status, OK)
        c.get(rows_url("households"), {"q": known})
        c.get(rows_url("households"), {"where": f"户主身份证号={idno}"})
        c.get(row_url("households", KEY_A), {"q": known})
        body = self.change_body("5151")
        self.assertIn(c.post(rows_url("households"), body).status, OK)
        cookie, csrf = c.cookie, c.csrf
        self.srv.stop()
        log = self.srv.stderr()
        # control: this server logs its requests
        self.assertIn("/api/login", log)
        self.assertIn("/api/ledgers/households/rows", log)
        for secret in (PASSWORD, "WrongSecret-猜一猜", cookie, csrf):
            self.assertNotIn(secret, log)
        self.assertEqual(full_ids_in(log, ids), [])
        self.assertEqual(full_ids_in(log, {known, idno}), [])


if __name__ == "__main__":
    unittest.main()
