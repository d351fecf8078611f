"""The authorisation matrix of the HTTP API, generated: every route of
docs/api.md (ROUTES, one table) x every role (管理员/审核/填报/查看) x in scope
and out of scope, by direct requests to a real `taizhang serve`, on SQLite
and (when TZ_PG_URI is set) on PostgreSQL, each on a fresh database.

The expected answer of each cell comes from two tables written as data:
ALLOW (which roles may do an operation) and the scope: a cell is allowed
only when the role may and the target is inside the account's scope; every
other cell must answer 403 with no data (an error object and nothing of the
target), and leave the data unchanged. Every refused cell is followed by its
positive control: the same request, on the same target, by an administrator
whose scope holds the target, must succeed (so a 403 cannot come from a
request that would fail for everyone). 查看's responses are scanned for any
full ID number of the data.
"""
import os
import unittest
import urllib.parse

from serverlib import (num, COUNTY, ROLES, ROLE_TAG, TOWN_A, TOWN_B, UNIT, UNIT_OTHER,
                       VILLAGE_A, VILLAGE_B, Fixture, Server, demo_ids, error_text,
                       full_ids_in, row_url, row_version, rows_url, with_version)
from tzlib import household, idcard, read_xlsx, run, write_csv, HOUSEHOLDS_HEADER

OK = (200, 201)

# Which roles may do what (the role table; web_impl.h's tz_perm).
ALLOW = {
    "session": set(ROLES),
    "read": set(ROLES),
    "write": {"管理员", "填报"},
    "submit": {"管理员", "填报"},
    "review": {"管理员", "审核"},
    "admin": {"管理员"},
}

# Every route of docs/api.md: (id, method, pattern, permission, scope kinds
# tested in and out of scope). "session": needs only a session.
ROUTES = [
    ("login", "POST", "/api/login", "session", ()),
    ("logout", "POST", "/api/logout", "session", ()),
    ("me", "GET", "/api/me", "session", ()),
    ("ledgers", "GET", "/api/ledgers", "read", ()),
    ("rows_list", "GET", "/api/ledgers/{ledger}/rows", "read", ("region", "unit")),
    ("rows_get", "GET", "/api/ledgers/{ledger}/rows/{key}", "read", ("region", "unit")),
    ("rows_change", "POST", "/api/ledgers/{ledger}/rows", "write", ("region", "unit")),
    ("rows_add", "POST", "/api/ledgers/{ledger}/rows", "write", ("region", "unit")),
    ("rows_delete", "DELETE", "/api/ledgers/{ledger}/rows/{key}", "write", ("region", "unit")),
    ("import", "POST", "/api/ledgers/{ledger}/import", "write", ("region", "unit")),
    ("import_progress", "GET", "/api/imports/{id}", "write", ()),
    ("check", "GET", "/api/check", "read", ("region", "unit")),
    ("indicator", "GET", "/api/indicators/{name}", "read", ("region", "unit")),
    ("report", "GET", "/api/report", "read", ("region",)),
    ("submit", "POST", "/api/submissions", "submit", ("region",)),
    ("approve", "POST", "/api/submissions/{id}/approve", "review", ("region",)),
    ("return", "POST", "/api/submissions/{id}/return", "review", ("region",)),
    ("reopen", "POST", "/api/submissions/{id}/reopen", "review", ("region",)),
    ("submissions", "GET", "/api/submissions", "read", ("region",)),
    ("audit", "GET", "/api/audit", "read", ("region",)),
    ("users", "GET", "/api/users", "admin", ()),
    ("user_add", "POST", "/api/users", "admin", ("region",)),
    ("regions", "GET", "/api/regions", "read", ("region",)),
    ("dashboard", "GET", "/api/dashboard", "read", ("region", "unit")),
    ("export", "GET", "/api/ledgers/{ledger}/export", "read", ("region", "unit")),
    ("template", "GET", "/api/ledgers/{ledger}/template", "read", ()),
    ("user_disable", "POST", "/api/users/{name}/disable", "admin", ("region",)),
    ("user_enable", "POST", "/api/users/{name}/enable", "admin", ("region",)),
    ("user_password", "POST", "/api/users/{name}/password", "admin", ("region",)),
    ("deadlines", "GET", "/api/deadlines", "read", ()),
    ("report_kinds", "GET", "/api/report/kinds", "read", ()),
    ("report_draft", "GET", "/api/report/draft", "read", ("region",)),
]
ROUTE = {r[0]: r for r in ROUTES}

# Whose accounts act, per route group and scope kind: the account name prefix.
# Reports are drafted per county, so county accounts ask for them.
ACTOR_PREFIX = {"region": "a", "unit": "unit", "report": "county"}

POOL = 16  # reserved rows per town / unit for deletes, adds and imports


def _fund_month(n):
    """The month of reserved 资金到位 row n (after the demo data's months)."""
    return f"{2020 + n // 12}-{n % 12 + 1:02d}"


def _hh_key(town, n):
    return f"41162899{'1' if town == TOWN_A else '2'}{n:04d}"


class AuthzBase:
    backend = "sqlite"
    # An unusual but valid household income: set by a change, looked for after.
    seq = 0

    @classmethod
    def setUpClass(cls):
        cls.fx = Fixture(cls.backend, "authz")
        cls.ids = demo_ids()
        cls.next = {TOWN_A: 0, TOWN_B: 0, UNIT: 0, UNIT_OTHER: 0}
        cls._seed_rows()
        cls.srv = Server(cls.fx.db).start()
        cls.clients = {}

    @classmethod
    def tearDownClass(cls):
        for c in cls.clients.values():
            c.close()
        cls.srv.stop()
        cls.fx.cleanup()

    @classmethod
    def _seed_rows(cls):
        """POOL households per town (deletes, changes) and project funds per
        unit, imported with the CLI; their IDs join the scan set."""
        rows = []
        for t, village in ((TOWN_A, VILLAGE_A), (TOWN_B, VILLAGE_B)):
            for n in range(POOL):
                idno = idcard("411628", "19800101", (0 if t == TOWN_A else 500) + n)
                cls.ids.add(idno)
                rows.append(household(_hh_key(t, n), f"预留{n}", idno, village=village,
                                      exited="", income="1000"))
        f = write_csv(cls.fx.path("pool.csv"), HOUSEHOLDS_HEADER, rows)
        run("import", cls.fx.db, "households", f, "--quiet", check=0)
        funds = []
        for u in (UNIT, UNIT_OTHER):
            for n in range(POOL):
                funds.append([cls.project(u), _fund_month(n), "1", "0"])
        f = write_csv(cls.fx.path("funds.csv"), ["项目编号", "月份", "省外资金到位(万元)",
                                                 "实际利用外资(万美元)"], funds)
        run("import", cls.fx.db, "project_funds", f, "--quiet", check=0)

    @staticmethod
    def project(unit):
        return {UNIT: "SQ2014014", UNIT_OTHER: "SQ2014022"}[unit]

    # ---- accounts and clients -------------------------------------------------

    def client(self, name):
        c = self.clients.get(name)
        if c is None:
            c = self.srv.client()
            c.login(name)
            self.clients[name] = c
        return c

    def tearDown(self):
        # 查看 never sees a full ID number, in any response to any request
        for name, c in self.clients.items():
            if name.endswith("_view"):
                seen, c.seen = c.seen, []
                for body in seen:
                    self.assertEqual(full_ids_in(body, self.ids), [],
                                     f"{name} saw a full ID number")

    # ---- targets ---------------------------------------------------------------

    def target(self, kind, where):
        """What an in-scope or out-of-scope request is about."""
        if kind == "region":
            town = TOWN_A if where == "in" else TOWN_B
            return {"kind": kind, "scope": town, "control": "a_admin" if where == "in" else "b_admin",
                    "village": VILLAGE_A if where == "in" else VILLAGE_B}
        if kind == "unit":
            u = UNIT if where == "in" else UNIT_OTHER
            return {"kind": kind, "scope": u,
                    "control": "unit_admin" if where == "in" else "unit2_admin"}
        raise ValueError(kind)

    def take(self, scope):
        n = self.next[scope]
        self.next[scope] = n + 1
        self.assertLess(n, POOL, "reserved rows used up")
        return n

    def fresh_key(self, scope):
        type(self).seq += 1
        return type(self).seq

    # ---- the generic cell ------------------------------------------------------

    def run_cell(self, route, role, kind, where):
        rid, _m, _p, perm, _k = ROUTE[route]
        report = route in ("report", "report_draft")
        prefix = ACTOR_PREFIX["report" if report else kind]
        actor = f"{prefix}_{ROLE_TAG[role]}"
        t = self.target(kind, where)
        if report:
            t["control"] = "county_admin" if where == "in" else "city_admin"
        op = getattr(self, "op_" + rid)
        allowed = where == "in" and role in ALLOW[perm]
        prepared = op(None, t, "prepare")
        r, effect = op(self.client(actor), t, prepared)
        if allowed:
            self.assertIn(r.status, OK, f"{actor} {route} {where}: {r}")
            self.assertTrue(effect(r), f"{actor} {route} {where}: no effect/data: {r}")
            return
        self.assert_refused(r, t, f"{actor} {route} {where}")
        self.assertFalse(effect(None), f"{actor} {route} {where}: refused but done")
        # positive control: the same request on the same target by an
        # administrator of the target's scope succeeds
        rc, effect = op(self.client(t["control"]), t, prepared)
        self.assertIn(rc.status, OK, f"control {t['control']} {route}: {rc}")
        self.assertTrue(effect(rc), f"control {t['control']} {route}: no effect/data: {rc}")

    def assert_refused(self, r, t, what):
        self.assertEqual(r.status, 403, f"{what}: {r}")
        j = r.json()
        if "errors" in j and j.get("status") == "refused":
            # an import answers its result (import --json): refused, nothing
            # written, each row's error naming the scope; it echoes only the
            # caller's own file
            self.assertEqual(j.get("inserted", 0) + j.get("updated", 0), 0, f"{what}: {r}")
            self.assertTrue(all(e.get("reason") for e in j["errors"]), f"{what}: {r}")
        else:
            self.assertTrue(set(j) <= {"error", "details"}, f"{what}: data in a 403: {r}")
            self.assertTrue(error_text(r), f"{what}: 403 without a Chinese error: {r}")
        for marker in t.get("markers", ()):
            self.assertNotIn(marker, r.text, f"{what}: the 403 shows {marker}")

    # ---- operations: op(client, target, prepared) -> (response, effect) --------
    # Called once with client None and prepared "prepare" to make the
    # target's data (fresh rows, submissions); effect(resp) says whether the
    # request did what it asks (data in the response or a changed database),
    # checked through an administrator of the target's scope.

    def _admin(self, t):
        return self.client(t["control"])

    def _hh_in(self, t):
        return VILLAGE_A if t["scope"] == TOWN_A else VILLAGE_B

    def _row_of(self, t, ledger, key):
        r = self._admin(t).get(row_url(ledger, key))
        self.assertEqual(r.status, 200, r)
        j = r.json()
        return j.get("row", j)

    def op_rows_list(self, c, t, prep):
        if c is None:
            if t["kind"] == "region":
                # the first demo household of the town's first village
                key = "4116280000001" if t["scope"] == TOWN_A else "4116280000421"
                t["markers"] = [key]
                return ("households", f"所在村代码={self._hh_in(t)}", key)
            key = self.project(t["scope"])
            t["markers"] = [key]
            return ("projects", f"责任单位={t['scope']}", key)
        ledger, where, key = prep
        r = c.get(rows_url(ledger), {"where": where, "limit": "1000"})
        return r, lambda r: r is not None and r.status in OK and key in r.text and r.json()["total"] > 0

    def op_rows_get(self, c, t, prep):
        if c is None:
            if t["kind"] == "region":
                key = _hh_key(t["scope"], POOL - 1)
                t["markers"] = [key, "预留"]
                return ("households", key)
            key = self.project(t["scope"])
            t["markers"] = [key]
            return ("projects", key)
        ledger, key = prep
        r = c.get(row_url(ledger, key))
        if r.status == 404 and c is not self._admin(t):
            # a key out of scope may also be answered as not found (no data either way)
            r.status = 403
        return r, lambda r: r is not None and r.status in OK and key in r.text

    def op_rows_change(self, c, t, prep):
        if c is None:
            if t["kind"] == "region":
                return ("households", _hh_key(t["scope"], POOL - 2), "人均纯收入(元)")
            return ("projects", self.project(t["scope"]), "投资方")
        ledger, key, col = prep
        row = self._row_of(t, ledger, key)
        type(self).seq += 1
        value = str(20000 + type(self).seq) if col == "人均纯收入(元)" else f"客商{type(self).seq}"
        body = with_version(row, row_version(row))
        body[col] = value
        r = c.post(rows_url(ledger), body)
        return r, lambda _r: num(self._row_of(t, ledger, key).get(col)) == value

    def op_rows_add(self, c, t, prep):
        if c is None:
            n = self.fresh_key(t["scope"])
            if t["kind"] == "region":
                key = f"41162898{n:05d}"
                idno = idcard("411628", "19900101", n)
                self.ids.add(idno)
                row = dict(zip(HOUSEHOLDS_HEADER,
                               household(key, f"新户{n}", idno, village=self._hh_in(t), exited="")))
                return ("households", key, row)
            month = f"{2030 + n // 12}-{n % 12 + 1:02d}"
            key = f"{self.project(t['scope'])}/{month}"
            row = {"项目编号": self.project(t["scope"]), "月份": month,
                   "省外资金到位(万元)": "2", "实际利用外资(万美元)": "0"}
            return ("project_funds", key, row)
        ledger, key, row = prep
        r = c.post(rows_url(ledger), row)
        return r, lambda _r: self._admin(t).get(row_url(ledger, key)).status == 200

    def op_rows_delete(self, c, t, prep):
        if c is None:
            n = self.take(t["scope"])
            if t["kind"] == "region":
                return ("households", _hh_key(t["scope"], n))
            return ("project_funds", f"{self.project(t['scope'])}/{_fund_month(n)}")
        ledger, key = prep
        r = c.delete(row_url(ledger, key))
        return r, lambda _r: self._admin(t).get(row_url(ledger, key)).status == 404

    def op_import(self, c, t, prep):
        if c is None:
            n = self.fresh_key(t["scope"])
            if t["kind"] == "region":
                key = f"41162897{n:05d}"
                idno = idcard("411628", "19910101", n)
                self.ids.add(idno)
                body = _csv(HOUSEHOLDS_HEADER,
                            [household(key, f"导入{n}", idno, village=self._hh_in(t), exited="")])
                return ("households", key, body)
            month = f"{2060 + n // 12}-{n % 12 + 1:02d}"
            key = f"{self.project(t['scope'])}/{month}"
            body = _csv(["项目编号", "月份", "省外资金到位(万元)", "实际利用外资(万美元)"],
                        [[self.project(t["scope"]), month, "3", "0"]])
            return ("project_funds", key, body)
        ledger, key, body = prep
        r = c.post(f"/api/ledgers/{ledger}/import", body, content_type="text/csv",
                   headers={"X-Filename": f"{ledger}.csv"})
        return r, lambda _r: self._admin(t).get(row_url(ledger, key)).status == 200

    def op_check(self, c, t, prep):
        if c is None:
            return {"region": t["scope"], "period": "2019"} if t["kind"] == "region" else \
                {"unit": t["scope"], "period": "2015"}
        r = c.get("/api/check", prep)
        return r, lambda r: r is not None and r.status in OK and t["scope"] in r.text

    def op_indicator(self, c, t, prep):
        if c is None:
            if t["kind"] == "region":
                return ("户户通安装户数", {"region": t["scope"], "period": "2019"})
            return ("实际利用外资(万美元)", {"unit": t["scope"], "period": "2015"})
        name, q = prep
        r = c.get("/api/indicators/" + urllib.parse.quote(name, safe=""), q)
        return r, lambda r: r is not None and r.status in OK and "value" in r.json()

    def op_report(self, c, t, prep):
        if c is None:
            if t["control"] == "county_admin":
                return {"kind": "poverty-work", "region": COUNTY, "unit": "县文化广电旅游局",
                        "period": "2019", "format": "md"}
            return {"kind": "investment", "region": "411400", "period": "2015-H1",
                    "format": "md"}
        r = c.get("/api/report", prep)
        return r, lambda r: r is not None and r.status in OK and len(r.body) > 200

    def op_report_draft(self, c, t, prep):
        if c is None:
            q = self.op_report(None, t, prep)
            q.pop("format")
            return q
        r = c.get("/api/report/draft", prep)
        return r, lambda r: r is not None and r.status in OK and 'class="tz-fig"' in r.json()["html"]

    def op_submit(self, c, t, prep):
        if c is None:
            type(self).seq += 1
            return {"region": t["scope"],
                    "period": f"{1990 + type(self).seq // 12}-{type(self).seq % 12 + 1:02d}"}
        r = c.post("/api/submissions", prep)
        return r, lambda r: r is not None and r.status in OK and "id" in r.json()

    def _submission(self, t, approved=False):
        """A fresh submission of a village under the target's town, by its
        village clerk; approved by the town's reviewer when asked."""
        type(self).seq += 1
        period = f"{1990 + type(self).seq // 12}-{type(self).seq % 12 + 1:02d}"
        vil = self._hh_in(t)
        clerk = "va_clerk" if vil == VILLAGE_A else "vb_clerk"
        r = self.client(clerk).post("/api/submissions", {"region": vil, "period": period})
        self.assertIn(r.status, OK, r)
        sid = r.json()["id"]
        if approved:
            rev = "a_review" if vil == VILLAGE_A else "b_review"
            r = self.client(rev).post(f"/api/submissions/{sid}/approve")
            self.assertIn(r.status, OK, r)
        t["markers"] = []
        return sid, r.json().get("status")

    def _review_op(self, action, c, t, prep):
        if c is None:
            return self._submission(t, approved=action == "reopen")
        sid, before = prep
        body = {"reason": "数据有误,请核实后重报"} if action == "return" else {}
        r = c.post(f"/api/submissions/{sid}/{action}", body)
        return r, lambda r: r is not None and r.status in OK and r.json().get("status") != before

    def op_approve(self, c, t, prep):
        return self._review_op("approve", c, t, prep)

    def op_return(self, c, t, prep):
        return self._review_op("return", c, t, prep)

    def op_reopen(self, c, t, prep):
        return self._review_op("reopen", c, t, prep)

    def op_submissions(self, c, t, prep):
        if c is None:
            self._submission(t)
            return {"region": t["scope"]}
        r = c.get("/api/submissions", prep)
        return r, lambda r: r is not None and r.status in OK and self._hh_in(t) in r.text

    def op_audit(self, c, t, prep):
        """The audit log has no region filter: out of scope means that a
        change to the other town's row is not in the answer (200 without
        it), and the same request by that town's administrator shows it."""
        if c is None:
            ledger, key, col = self.op_rows_change(None, t, None)
            r, eff = self.op_rows_change(self._admin(t), t, (ledger, key, col))
            self.assertIn(r.status, OK, r)
            t["markers"] = [key]
            return key
        r = c.get("/api/audit", {"ledger": "households", "limit": "1000"})
        return r, lambda r: r is not None and r.status in OK and prep in r.text

    def op_user_add(self, c, t, prep):
        if c is None:
            type(self).seq += 1
            return {"username": f"new{type(self).seq}", "password": "Pa55word-新账户",
                    "role": "查看", "region": self._hh_in(t)}
        r = c.post("/api/users", prep)
        name = prep["username"]
        return r, lambda _r: f'"{name}"' in self._admin(t).get("/api/users").text

    def op_regions(self, c, t, prep):
        if c is None:
            t["markers"] = [t["village"]]
            return {"parent": t["scope"]}
        r = c.get("/api/regions", prep)
        return r, lambda r: r is not None and r.status in OK and t["village"] in r.text

    def op_dashboard(self, c, t, prep):
        if c is None:
            return self.op_check(None, t, prep)
        r = c.get("/api/dashboard", prep)
        return r, lambda r: (r is not None and r.status in OK and t["scope"] in r.text
                             and "children" in r.json())

    def op_export(self, c, t, prep):
        if c is None:
            ledger, where, key = self.op_rows_list(None, t, prep)
            return ledger, where, key
        ledger, where, key = prep
        r = c.get(f"/api/ledgers/{ledger}/export", {"where": where})

        def effect(r):
            if r is None or r.status not in OK:
                return False
            type(self).seq += 1
            path = self.fx.path(f"export{type(self).seq}.xlsx")
            with open(path, "wb") as f:
                f.write(r.body)
            return any(key in row for row in read_xlsx(path)[1:])
        return r, effect

    def _account(self, t, disabled=False):
        """A fresh account in the target's village, made (and disabled when
        asked) by the target's administrator."""
        type(self).seq += 1
        name = f"acct{type(self).seq}"
        r = self._admin(t).post("/api/users", {"username": name, "password": "Pa55word-账户",
                                               "role": "查看", "region": self._hh_in(t)})
        self.assertEqual(r.status, 201, r)
        if disabled:
            r = self._admin(t).post(f"/api/users/{name}/disable")
            self.assertEqual(r.status, 200, r)
        t["markers"] = []
        return name

    def _disabled(self, t, name):
        users = self._admin(t).get("/api/users").json()["users"]
        return [u["disabled"] for u in users if u["user"] == name] == [True]

    def op_user_disable(self, c, t, prep):
        if c is None:
            return self._account(t)
        r = c.post(f"/api/users/{prep}/disable")
        return r, lambda _r: self._disabled(t, prep)

    def op_user_enable(self, c, t, prep):
        if c is None:
            return self._account(t, disabled=True)
        r = c.post(f"/api/users/{prep}/enable")
        return r, lambda _r: not self._disabled(t, prep)

    def op_user_password(self, c, t, prep):
        if c is None:
            return self._account(t)
        r = c.post(f"/api/users/{prep}/password", {"password": f"新密码-{prep}-0"})
        return r, lambda _r: self.srv.client().login(prep, f"新密码-{prep}-0",
                                                      check=False).status == 200


def _csv(header, rows):
    import csv
    import io
    s = io.StringIO()
    w = csv.writer(s)
    w.writerow(header)
    w.writerows(rows)
    return s.getvalue().encode("utf-8")


def _gen_cell(route, role, kind, where):
    def test(self):
        if route == "audit" and where == "out":
            self.run_audit_out(role)
        else:
            self.run_cell(route, role, kind, where)
    return test


def _gen_matrix(cls):
    for rid, _m, _p, _perm, kinds in ROUTES:
        for role in ROLES:
            for kind in kinds:
                for where in ("in", "out"):
                    name = f"test_{rid}_{ROLE_TAG[role]}_{kind}_{where}"
                    setattr(cls, name, _gen_cell(rid, role, kind, where))
    return cls


@_gen_matrix
class AuthzMatrix(AuthzBase):
    """The generated cells plus the session-level routes, a moved row, no
    session, no CSRF token and the masking of ID numbers."""

    def run_audit_out(self, role):
        t = self.target("region", "out")
        key = self.op_audit(None, t, None)
        actor = f"a_{ROLE_TAG[role]}"
        r, _eff = self.op_audit(self.client(actor), t, key)
        self.assertEqual(r.status, 200, r)
        self.assertNotIn(key, r.text, f"{actor} sees the audit of another town's row")
        rc, eff = self.op_audit(self.client(t["control"]), t, key)
        self.assertTrue(eff(rc), f"control: {rc}")

    def test_login_me_logout_every_role(self):
        for prefix in ("a", "unit"):
            for role in ROLES:
                name = f"{prefix}_{ROLE_TAG[role]}"
                with self.subTest(user=name):
                    c = self.srv.client()
                    r = c.login(name)
                    j = r.json()
                    self.assertEqual(j["user"], name)
                    self.assertEqual(j["role"], role)
                    self.assertTrue(j["csrf"])
                    self.assertTrue(c.cookie)
                    me = c.get("/api/me")
                    self.assertEqual(me.status, 200, me)
                    self.assertEqual(me.json()["user"], name)
                    self.assertIn(c.get("/api/ledgers").status, OK)
                    self.assertIn(c.logout().status, OK)
                    self.assertEqual(c.get("/api/me").status, 401)
                    c.close()

    def test_wrong_password_is_401_for_every_role(self):
        for role in ROLES:
            c = self.srv.client()
            r = c.login(f"b_{ROLE_TAG[role]}", "not-the-password", check=False)
            self.assertEqual(r.status, 401, r)
            self.assertIsNone(c.cookie)
            self.assertEqual(c.get("/api/me").status, 401)
            c.close()
        # positive control: the right password works
        c = self.srv.client()
        self.assertEqual(c.login("b_view").status, 200)
        c.close()

    def test_scopeless_reads_for_every_role(self):
        """template, deadlines and report kinds name no scope: every role
        of every kind of account reads them."""
        for prefix in ("a", "unit"):
            for role in ROLES:
                c = self.client(f"{prefix}_{ROLE_TAG[role]}")
                r = c.get("/api/ledgers/households/template")
                self.assertEqual(r.status, 200, r)
                self.assertTrue(r.body.startswith(b"PK"), r)
                r = c.get("/api/deadlines")
                self.assertEqual(r.status, 200, r)
                self.assertEqual(len(r.json()["deadlines"]), 5, r)
                r = c.get("/api/report/kinds")
                self.assertEqual(r.status, 200, r)
                self.assertTrue(r.json()["kinds"], r)

    def test_every_route_needs_a_session(self):
        anon = self.srv.client()
        for rid, method, pattern, _perm, _k in ROUTES:
            if rid == "login":
                continue
            path = (pattern.replace("{ledger}", "households").replace("{key}", _hh_key(TOWN_A, 1))
                    .replace("{name}", urllib.parse.quote("户户通安装户数"))
                    .replace("{id}", "1"))
            with self.subTest(route=rid):
                r = anon.request(method, path, body={} if method == "POST" else None)
                # a write without a session has no CSRF token either: 401 or 403
                self.assertIn(r.status, (401,) if method == "GET" else (401, 403),
                              f"{method} {path}: {r}")
                self.assertTrue(set(r.json()) <= {"error", "details"})
        # positive control: the same first read with a session works
        self.assertEqual(self.client("a_view").get("/api/me").status, 200)

    def test_every_write_needs_the_csrf_token(self):
        c = self.srv.client()
        c.login("a_admin")
        t = self.target("region", "in")
        for rid, method, pattern, _perm, _k in ROUTES:
            if method == "GET" or rid == "login":
                continue
            for token in (False, "0" * 64, c.csrf[:-1] + ("0" if c.csrf[-1] != "0" else "1")):
                with self.subTest(route=rid, token=token):
                    if rid in ("rows_change", "rows_add", "rows_delete", "import", "submit",
                               "approve", "return", "reopen", "user_add", "user_disable",
                               "user_enable", "user_password"):
                        prep = getattr(self, "op_" + rid)(None, t, "prepare")
                        r = self._without_csrf(c, rid, t, prep, token)
                        self.assertEqual(r.status, 403, f"{rid} without CSRF: {r}")
                        # and nothing was done: the same request with the token works
                        r2, eff = getattr(self, "op_" + rid)(self.client("a_admin"), t, prep)
                        self.assertIn(r2.status, OK, f"{rid} with CSRF: {r2}")
                    else:  # logout: the session must live on
                        r = c.request(method, pattern, csrf=token)
                        self.assertEqual(r.status, 403, r)
                        self.assertEqual(c.get("/api/me").status, 200)
        c.close()

    def _without_csrf(self, c, rid, t, prep, token):
        """Replays op rid's request on client c with the given CSRF header."""
        saved = c.csrf
        c.csrf = token if isinstance(token, str) else None
        try:
            r, _eff = getattr(self, "op_" + rid)(c, t, prep)
        finally:
            c.csrf = saved
        return r

    def test_users_list_only_for_administrators_and_only_in_scope(self):
        for role in ROLES:
            with self.subTest(role=role):
                r = self.client(f"a_{ROLE_TAG[role]}").get("/api/users")
                if role == "管理员":
                    self.assertEqual(r.status, 200, r)
                    self.assertIn('"a_clerk"', r.text)
                    self.assertIn('"va_clerk"', r.text)  # below the town
                    for other in ("b_clerk", "vb_clerk", "county_clerk", "unit_clerk"):
                        self.assertNotIn(f'"{other}"', r.text)
                else:
                    self.assert_refused(r, {"markers": ['"a_clerk"']}, f"{role} /api/users")
        # control: the county's administrator sees both towns
        r = self.client("county_admin").get("/api/users")
        self.assertEqual(r.status, 200, r)
        self.assertIn('"b_clerk"', r.text)
        self.assertIn('"a_clerk"', r.text)
        # no account's password hash is ever shown
        self.assertNotIn("argon2", r.text)

    def test_import_progress_only_for_its_account(self):
        t = self.target("region", "in")
        ledger, key, body = self.op_import(None, t, "prepare")
        r = self.client("a_clerk").post(f"/api/ledgers/{ledger}/import", body,
                                        content_type="text/csv",
                                        headers={"X-Filename": f"{ledger}.csv",
                                                 "X-Import-Id": "authz-imp-1"})
        self.assertIn(r.status, OK, r)
        # control: the account that imported reads its progress
        r = self.client("a_clerk").get("/api/imports/authz-imp-1")
        self.assertEqual(r.status, 200, r)
        self.assertIn("rows", r.json())
        for other in ("a_admin", "a_view", "b_clerk", "county_admin"):
            with self.subTest(user=other):
                r = self.client(other).get("/api/imports/authz-imp-1")
                self.assertIn(r.status, (403, 404), r)
                self.assertTrue(set(r.json()) <= {"error", "details"}, r)

    def test_multipart_import_is_scoped_too(self):
        """The import's other form (a multipart/form-data file part) is held
        to the same scope."""
        t = self.target("region", "out")
        ledger, key, body = self.op_import(None, t, "prepare")
        boundary = "tzauthzboundary7"
        form = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                f"filename=\"{ledger}.csv\"\r\nContent-Type: text/csv\r\n\r\n").encode() + body + \
            f"\r\n--{boundary}--\r\n".encode()
        ctype = f"multipart/form-data; boundary={boundary}"
        r = self.client("a_clerk").post(f"/api/ledgers/{ledger}/import", form, content_type=ctype)
        self.assert_refused(r, t, "a_clerk multipart import out")
        self.assertEqual(self._admin(t).get(row_url(ledger, key)).status, 404)
        # control: the town's own clerk sends the same form
        r = self.client("b_clerk").post(f"/api/ledgers/{ledger}/import", form, content_type=ctype)
        self.assertIn(r.status, OK, r)
        self.assertEqual(self._admin(t).get(row_url(ledger, key)).status, 200)

    def test_a_row_cannot_be_moved_out_of_scope(self):
        key = _hh_key(TOWN_A, POOL - 3)
        t = {"control": "county_admin", "markers": []}
        for role in ("管理员", "填报"):
            with self.subTest(role=role):
                row = self._row_of(t, "households", key)
                body = with_version(row, row_version(row))
                body["所在村代码"] = VILLAGE_B
                r = self.client(f"a_{ROLE_TAG[role]}").post(rows_url("households"), body)
                self.assertEqual(r.status, 403, r)
                self.assertEqual(self._row_of(t, "households", key)["所在村代码"], VILLAGE_A)
        # control: the county may move it
        row = self._row_of(t, "households", key)
        body = with_version(row, row_version(row))
        body["所在村代码"] = VILLAGE_B
        r = self.client("county_admin").post(rows_url("households"), body)
        self.assertIn(r.status, OK, r)
        self.assertEqual(self._row_of(t, "households", key)["所在村代码"], VILLAGE_B)

    def test_rows_without_filter_are_only_in_scope(self):
        for role in ROLES:
            with self.subTest(role=role):
                r = self.client(f"a_{ROLE_TAG[role]}").get(rows_url("households"),
                                                            {"limit": "1000"})
                self.assertEqual(r.status, 200, r)
                j = r.json()
                self.assertGreater(j["total"], 0)
                self.assertTrue(all(row["所在村代码"].startswith(TOWN_A[:9]) for row in j["rows"]))
        # control: the county sees both towns
        j = self.client("county_view").get(rows_url("households"), {"limit": "1000"}).json()
        towns = {row["所在村代码"][:9] for row in j["rows"]}
        self.assertGreater(len(towns), 1)

    def test_viewer_sees_masked_ids_and_clerk_full_ones(self):
        q = {"where": f"所在村代码={VILLAGE_A}", "limit": "1000"}
        clerk = self.client("a_clerk").get(rows_url("households"), q)
        self.assertEqual(clerk.status, 200, clerk)
        # positive control of the scan: the clerk's page holds full demo IDs
        self.assertTrue(full_ids_in(clerk.text, self.ids))
        for name in ("a_view", "county_view", "va_view"):
            v = self.client(name).get(rows_url("households"), q)
            self.assertEqual(v.status, 200, v)
            rows = v.json()["rows"]
            self.assertTrue(rows)
            self.assertEqual(full_ids_in(v.text, self.ids), [])
            self.assertTrue(all("*" in row["户主身份证号"] for row in rows))
            # nor by key, by search text or in an export-like page
            key = rows[0]["户编号"]
            self.assertEqual(full_ids_in(self.client(name).get(row_url("households", key)).text,
                                         self.ids), [])


class TestAuthzSqlite(AuthzMatrix, unittest.TestCase):
    backend = "sqlite"


@unittest.skipUnless(os.environ.get("TZ_PG_URI"), "TZ_PG_URI not set (PostgreSQL not started)")
class TestAuthzPostgres(AuthzMatrix, unittest.TestCase):
    backend = "pg"


if __name__ == "__main__":
    unittest.main()
