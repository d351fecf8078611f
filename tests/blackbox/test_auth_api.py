"""Black-box tests of the session and account routes of `taizhang serve`
(api_auth.c, api_users.c) on the demo database and its demo accounts:
POST /api/login, GET /api/me, POST /api/logout, GET and POST /api/users.
What is checked: the answers' shapes, the cookie's attributes, the same 401
for a wrong password and an unknown name, the limit (429), a session that
ends at logout, accounts listed and added only inside an administrator's
scope, and the audit entries with the caller's address."""
import json
import os
import re
import shutil
import sqlite3
import tempfile
import unittest

from serverlib import Server
from tzlib import db_rows, run

DEMO_PASSWORD = "taizhang-demo"
_state = {}


def setUpModule():
    d = tempfile.mkdtemp(prefix="tz-authapi-")
    db = os.path.join(d, "demo.db")
    run("demo", db, "--quiet", check=0)
    _state.update(dir=d, db=db, srv=Server(db, workdir=d).start())


def tearDownModule():
    srv = _state.get("srv")
    if srv:
        srv.stop()
    shutil.rmtree(_state.get("dir", ""), ignore_errors=True)


class AuthApi(unittest.TestCase):
    def setUp(self):
        self.db = _state["db"]
        self.clients = []

    def tearDown(self):
        for c in self.clients:
            c.close()

    def client(self, user=None, password=DEMO_PASSWORD):
        c = _state["srv"].client()
        self.clients.append(c)
        if user:
            c.login(user, password)
        return c

    def test_login_me_logout(self):
        c = self.client()
        r = c.login("xiang_tianbao", DEMO_PASSWORD)
        self.assertEqual(r.status, 200, r)
        j = r.json()
        self.assertEqual(set(j), {"user", "role", "scope", "csrf", "expires"})
        self.assertEqual((j["user"], j["role"]), ("xiang_tianbao", "填报"))
        self.assertEqual(j["scope"], {"kind": "region", "code": "411628101000", "name": "宋河镇",
                                      "level": "乡"})
        self.assertRegex(j["csrf"], r"^[0-9a-f]{64}$")
        # the cookie: the token, HttpOnly, SameSite=Strict, the session's life; no Secure on http
        cookie = r.header("Set-Cookie")
        attrs = [a.strip() for a in cookie.split(";")]
        self.assertRegex(attrs[0], r"^tz_session=[0-9a-f]{64}$")
        self.assertIn("HttpOnly", attrs)
        self.assertIn("SameSite=Strict", attrs)
        self.assertIn("Path=/", attrs)
        self.assertIn("Max-Age=28800", attrs)
        self.assertNotIn("Secure", attrs)
        token = attrs[0].split("=", 1)[1]
        self.assertNotEqual(token, j["csrf"])
        # the database keeps the token's hash, not the token
        self.assertEqual(db_rows(self.db, "SELECT count(*) FROM tz_sessions WHERE id = ?",
                                 (token,))[0][0], 0)
        self.assertEqual(db_rows(self.db, "SELECT count(*) FROM tz_sessions WHERE csrf = ?",
                                 (j["csrf"],))[0][0], 1)
        # /api/me: the same session, its CSRF token included (a reloaded page keeps writing)
        me = c.get("/api/me")
        self.assertEqual(me.status, 200, me)
        self.assertEqual(me.json(), j)
        # logout clears the cookie and ends the session
        out = c.logout()
        self.assertEqual(out.status, 200, out)
        self.assertIn("Max-Age=0", out.header("Set-Cookie"))
        self.assertIsNone(c.cookie)
        replay = self.client()
        replay.cookie = token
        self.assertEqual(replay.get("/api/me").status, 401)
        audit = db_rows(self.db, "SELECT action, addr, request FROM audit_log "
                                 "WHERE actor = 'xiang_tianbao' ORDER BY id")
        self.assertEqual([a[0] for a in audit[-2:]], ["登录", "退出"])
        self.assertEqual(audit[-2][1:], ("127.0.0.1", "POST /api/login"))
        self.assertEqual(audit[-1][1:], ("127.0.0.1", "POST /api/logout"))

    def test_unit_scope_shape(self):
        j = self.client().login("danwei_chakan", DEMO_PASSWORD).json()
        self.assertEqual(j["scope"], {"kind": "unit", "unit": "县文化广电旅游局",
                                      "name": "县文化广电旅游局", "level": "单位"})

    def test_failures_look_alike(self):
        c = self.client()
        wrong = c.login("cun_chakan", "not-the-password", check=False)
        unknown = c.login("no_such_user", DEMO_PASSWORD, check=False)
        for r in (wrong, unknown):
            self.assertEqual(r.status, 401, r)
            self.assertEqual(r.json(), {"error": "用户名或密码错误", "details": []})
            self.assertIsNone(r.header("Set-Cookie"))
        self.assertIsNone(c.cookie)
        for body in ({"username": "cun_chakan"}, {"username": 1, "password": DEMO_PASSWORD}, []):
            r = c.post("/api/login", body, csrf=False)
            self.assertEqual(r.status, 400, r)
            self.assertTrue(r.json()["error"])
        # control: the right password works
        self.assertEqual(c.login("cun_chakan", DEMO_PASSWORD, check=False).status, 200)

    def test_limit_is_429(self):
        c = self.client()
        for i in range(5):
            self.assertEqual(c.login("cun_shenhe", f"wrong-{i}", check=False).status, 401)
        r = c.login("cun_shenhe", DEMO_PASSWORD, check=False)
        self.assertEqual(r.status, 429, r)
        self.assertIn("登录失败次数过多", r.json()["error"])
        self.assertIsNone(c.cookie)

    def test_users_listed_in_scope_only(self):
        r = self.client("xian_guanli").get("/api/users")
        self.assertEqual(r.status, 200, r)
        names = {u["user"] for u in r.json()["users"]}
        self.assertTrue({"xian_guanli", "xiang_tianbao", "cun_chakan", "danwei_tianbao"} <= names)
        self.assertFalse({"shi_guanli", "zhaoshang_tianbao"} & names)
        self.assertNotIn("argon2", r.text)
        r = self.client("xiang_guanli").get("/api/users")
        names = {u["user"] for u in r.json()["users"]}
        self.assertIn("cun_tianbao", names)
        self.assertFalse({"xian_guanli", "danwei_guanli"} & names)
        for user in ("xiang_tianbao", "xian_shenhe", "shi_chakan"):
            r = self.client(user).get("/api/users")
            self.assertEqual(r.status, 403, f"{user}: {r}")
            self.assertNotIn("xiang_tianbao", r.text)

    def count_users(self, name):
        return db_rows(self.db, "SELECT count(*) FROM tz_users WHERE name = ?", (name,))[0][0]

    def test_user_add_inside_scope_only(self):
        admin = self.client("xiang_guanli")
        body = {"username": "cun_xinzeng", "password": "village-pass-1", "role": "填报",
                "region": "411628101201"}
        r = admin.post("/api/users", body)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json(), {"user": "cun_xinzeng", "role": "填报", "disabled": False,
                                    "scope": {"kind": "region", "code": "411628101201",
                                              "name": "卢尧村", "level": "村"}})
        self.assertEqual(self.client().login("cun_xinzeng", "village-pass-1",
                                             check=False).status, 200)
        audit = db_rows(self.db, "SELECT actor, addr, request, detail FROM audit_log "
                                 "WHERE action = '新增账户' AND row_key = 'cun_xinzeng'")
        self.assertEqual(audit[0][:3], ("xiang_guanli", "127.0.0.1", "POST /api/users"))
        self.assertNotIn("village-pass", audit[0][3])
        refused = [
            ({"region": "411628"}, 403),             # the county is above the township
            ({"region": "411628102"}, 403),          # a sibling township
            ({"region": None, "unit": "县扶贫办"}, 403),  # a county unit
            ({"role": "boss"}, 400),
            ({"password": "short"}, 400),
            ({"region": "411699"}, 400),
            ({"username": "xiang_tianbao"}, 409),
        ]
        for change, status in refused:
            with self.subTest(change=change):
                b = dict(body, username=f"x{status}_{len(json.dumps(change))}")
                b.update(change)
                if b.get("region") is None:
                    b.pop("region")
                r = admin.post("/api/users", b)
                self.assertEqual(r.status, status, r)
                self.assertTrue(r.json()["error"])
                if status != 409:
                    self.assertEqual(self.count_users(b["username"]), 0)
        # not an administrator; no CSRF token
        r = self.client("xiang_tianbao").post("/api/users", dict(body, username="by_clerk"))
        self.assertEqual(r.status, 403, r)
        saved, admin.csrf = admin.csrf, None
        r = admin.post("/api/users", dict(body, username="no_csrf"))
        admin.csrf = saved
        self.assertEqual(r.status, 403, r)
        self.assertEqual(self.count_users("by_clerk") + self.count_users("no_csrf"), 0)
        # details name the field
        r = admin.post("/api/users", dict(body, username="pw_short", password="short"))
        self.assertTrue(any(d.get("column") == "密码" for d in r.json()["details"]), r)
        self.assertFalse(re.search("short", json.dumps(r.json()["details"])))


class LoginDatabaseError(unittest.TestCase):
    def test_reason_in_the_log_not_the_answer(self):
        # a database error at login: the caller gets a 500 without the
        # database's words; the server's log holds them for the operator
        d = tempfile.mkdtemp(prefix="tz-authapi-err-")
        try:
            db = os.path.join(d, "demo.db")
            shutil.copy(_state["db"], db)
            srv = Server(db, workdir=d).start()
            try:
                with sqlite3.connect(db) as con:
                    con.execute("DROP TABLE tz_login_failures")
                c = srv.client()
                r = c.login("xian_chakan", DEMO_PASSWORD, check=False)
                c.close()
                self.assertEqual(r.status, 500, r)
                self.assertNotIn("tz_login_failures", r.text)
            finally:
                srv.stop()
            self.assertIn("登录失败", srv.stderr())
            self.assertIn("tz_login_failures", srv.stderr())
        finally:
            shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
