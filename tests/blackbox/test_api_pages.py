"""Black-box tests of the routes the web pages need (web/api_pages.c) on the
real `taizhang serve` with the demo data: the region tree (GET
/api/regions) and the 首页 in one request (GET /api/dashboard), whose
numbers must equal those of /api/check and /api/indicators for the same
scope. The authorisation matrix of every route, role and scope is
test_authz.py's.
"""
import html.parser
import unittest
import urllib.parse

from serverlib import (CITY, COUNTY, PASSWORD, TOWN_A, TOWN_B, UNIT, VILLAGE_A, Fixture,
                       Server)
from tzlib import run

ACCOUNTS = [("county_view", "查看", COUNTY, None), ("a_view", "查看", TOWN_A, None),
            ("va_view", "查看", VILLAGE_A, None), ("unit_view", "查看", None, UNIT),
            ("city_view", "查看", CITY, None), ("a_admin", "管理员", TOWN_A, None),
            ("b_view", "查看", TOWN_B, None), ("va_clerk", "填报", VILLAGE_A, None),
            ("va_clerk2", "填报", VILLAGE_A, None)]


def _ind(name):
    return "/api/indicators/" + urllib.parse.quote(name, safe="")


_SHARED = {}


def setUpModule():
    """One database and server for the module (the demo import and the
    accounts' password hashes take a while)."""
    fx = Fixture("sqlite", "pages", accounts=ACCOUNTS)
    srv = Server(fx.db).start()
    clients = {}
    for name, *_ in ACCOUNTS:
        clients[name] = srv.client()
        clients[name].login(name, PASSWORD)
    _SHARED.update(fx=fx, srv=srv, c=clients)


def tearDownModule():
    for c in _SHARED["c"].values():
        c.close()
    _SHARED["srv"].stop()
    _SHARED["fx"].cleanup()


class PagesBase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fx, cls.srv, cls.c = _SHARED["fx"], _SHARED["srv"], _SHARED["c"]

    def ok(self, r):
        self.assertEqual(r.status, 200, r)
        return r.json()


class TestRegions(PagesBase):
    def test_root_is_the_callers_region(self):
        j = self.ok(self.c["county_view"].get("/api/regions"))
        self.assertEqual(j, {"items": [{"code": COUNTY, "name": "鹿邑县", "level": "县",
                                        "leaf": False, "poor": False}]})
        j = self.ok(self.c["va_view"].get("/api/regions"))
        self.assertEqual(j["items"][0]["code"], VILLAGE_A)
        self.assertTrue(j["items"][0]["leaf"])
        self.assertNotIn("unit", j)

    def test_unit_account_starts_at_its_units_region(self):
        j = self.ok(self.c["unit_view"].get("/api/regions"))
        self.assertEqual(j["unit"], UNIT)
        self.assertEqual([i["code"] for i in j["items"]], ["411402000000"])

    def test_children_sorted_with_leaf_and_poor(self):
        j = self.ok(self.c["county_view"].get("/api/regions", {"parent": COUNTY}))
        codes = [i["code"] for i in j["items"]]
        self.assertEqual(codes, sorted(codes))
        self.assertIn(TOWN_A, codes)
        self.assertTrue(all(i["level"] == "乡" and not i["leaf"] for i in j["items"]))
        j = self.ok(self.c["a_view"].get("/api/regions", {"parent": "真源街道"}))
        vil = {i["code"]: i for i in j["items"]}
        self.assertTrue(vil[VILLAGE_A]["leaf"])
        self.assertEqual(vil[VILLAGE_A]["name"], "秦阁村")
        # 贫困村 as the regions ledger says, for each village
        rows = self.ok(self.c["a_view"].get("/api/ledgers/regions/rows",
                                            {"where": f"上级区划代码={TOWN_A}", "limit": "1000"}))
        poor = {r["区划代码"]: r["贫困村"] == "是" for r in rows["rows"]}
        self.assertEqual({c: i["poor"] for c, i in vil.items()}, poor)
        self.assertTrue(any(poor.values()) and not all(poor.values()))

    def test_out_of_scope_unknown_and_above(self):
        r = self.c["a_view"].get("/api/regions", {"parent": TOWN_B})
        self.assertEqual(r.status, 403, r)
        self.assertEqual(set(r.json()), {"error", "details"})
        self.assertIn("parent", r.json()["error"])
        r = self.c["a_view"].get("/api/regions", {"parent": COUNTY})
        self.assertEqual(r.status, 403, r)
        r = self.c["county_view"].get("/api/regions", {"parent": "411628999000"})
        self.assertEqual(r.status, 404, r)
        self.assertIn("parent", r.json()["error"])
        r = self.c["unit_view"].get("/api/regions", {"parent": "411403000000"})
        self.assertEqual(r.status, 403, r)


    def test_one_region_by_code_or_name(self):
        j = self.ok(self.c["county_view"].get("/api/regions", {"code": VILLAGE_A}))
        self.assertEqual(j, {"items": [{"code": VILLAGE_A, "name": "秦阁村", "level": "村",
                                        "leaf": True, "poor": j["items"][0]["poor"]}]})
        j = self.ok(self.c["a_view"].get("/api/regions", {"code": "秦阁村"}))
        self.assertEqual([i["code"] for i in j["items"]], [VILLAGE_A])
        r = self.c["a_view"].get("/api/regions", {"code": TOWN_B})
        self.assertEqual(r.status, 403, r)
        self.assertIn("code", r.json()["error"])
        r = self.c["county_view"].get("/api/regions", {"code": "411628999000"})
        self.assertEqual(r.status, 404, r)
        r = self.c["county_view"].get("/api/regions", {"code": VILLAGE_A, "parent": COUNTY})
        self.assertEqual(r.status, 400, r)


class TestDashboard(PagesBase):
    def _check_matches(self, client, q):
        d = self.ok(client.get("/api/dashboard", q))
        chk = self.ok(client.get("/api/check", q))
        for k in ("scope", "period", "summary", "findings"):
            self.assertEqual(d[k], chk[k], k)
        self.assertEqual([{k: v for k, v in f.items() if k != "year_on_year"}
                          for f in d["figures"]], chk["figures"])
        self.assertEqual([{k: v for k, v in t.items() if k not in ("rate", "time_progress")}
                          for t in d["targets"]], chk["targets"])
        return d

    def test_county_figures_equal_check_and_indicators(self):
        q = {"region": COUNTY, "period": "2019"}
        c = self.c["county_view"]
        d = self._check_matches(c, q)
        self.assertTrue(d["figures"] and d["targets"])
        for f in d["figures"]:
            ind = self.ok(c.get(_ind(f["indicator"]), dict(q, mode=f["mode"])))
            self.assertEqual(ind["value"], f["value"], f["indicator"])
            self.assertEqual(ind.get("year_on_year"), f["year_on_year"], f["indicator"])
        for t in d["targets"]:
            self.assertEqual(t["time_progress"], 100)
            # metrics' progress in percent: additive targets only (null for a ratio)
            if t["progress"] is None:
                self.assertIsNone(t["rate"])
            else:
                self.assertAlmostEqual(t["rate"], t["actual"] / t["target"] * 100, places=4)

    def test_time_progress_follows_the_period(self):
        c = self.c["county_view"]
        d = self.ok(c.get("/api/dashboard", {"region": COUNTY, "period": "2019-06"}))
        self.assertTrue(d["targets"])
        self.assertTrue(all(t["time_progress"] == 50 for t in d["targets"]), d["targets"])
        d = self.ok(c.get("/api/dashboard", {"region": COUNTY, "period": "2019-Q1"}))
        self.assertTrue(all(t["time_progress"] == 25 for t in d["targets"]))

    def test_children_equal_indicators_per_subordinate_region(self):
        c = self.c["county_view"]
        q = {"region": COUNTY, "period": "2019"}
        d = self.ok(c.get("/api/dashboard", q))
        ch = d["children"]
        self.assertEqual(ch["level"], "乡")
        kids = self.ok(c.get("/api/regions", {"parent": COUNTY}))["items"]
        self.assertEqual([i["code"] for i in ch["items"]], [k["code"] for k in kids])
        # the indicators are those of the scope's targets, from the data
        target_inds = {t["indicator"] for t in d["targets"]}
        self.assertEqual({i["indicator"] for i in ch["indicators"]}, target_inds)
        for spec in ch["indicators"]:
            for item in ch["items"][:4]:
                ind = self.ok(c.get(_ind(spec["indicator"]),
                                    {"region": item["code"], "period": spec["period"]["label"],
                                     "mode": spec["mode"]}))
                self.assertEqual(item["figures"][spec["indicator"]], ind["value"],
                                 (item["name"], spec["indicator"]))

    def test_city_children_carry_the_counties_own_targets(self):
        c = self.c["city_view"]
        q = {"region": CITY, "period": "2015-H1"}
        d = self._check_matches(c, q)
        ch = d["children"]
        self.assertEqual(ch["level"], "县")
        by_code = {i["code"]: i for i in ch["items"]}
        own = [t for t in d["targets"] if t["region"] in by_code]
        self.assertTrue(own)
        for t in own:
            item = by_code[t["region"]]
            self.assertIn({"indicator": t["indicator"], "actual": t["actual"],
                           "target": t["target"], "rate": t["rate"], "unit": t["unit"],
                           "status": t["status"]}, item["targets"])

    def test_trend_sums_to_the_year_to_date_and_last_year(self):
        c = self.c["county_view"]
        d = self.ok(c.get("/api/dashboard", {"region": COUNTY, "period": "2019-06"}))
        tr = d["trend"]
        self.assertIn(tr["indicator"], {t["indicator"] for t in d["targets"]})
        self.assertEqual([m["month"] for m in tr["months"]],
                         [f"2019-{m:02d}" for m in range(1, 7)])
        ind = self.ok(c.get(_ind(tr["indicator"]), {"region": COUNTY, "period": "2019-H1"}))
        self.assertEqual(sum(m["value"] for m in tr["months"]), ind["value"])
        self.assertEqual(sum(m["previous"] for m in tr["months"]),
                         ind["year_on_year"]["value"])
        self.assertEqual(tr["unit"], ind["unit"])

    def test_defaults_village_and_unit(self):
        d = self.ok(self.c["a_view"].get("/api/dashboard"))
        self.assertEqual(d["scope"]["region"], TOWN_A)
        self.assertTrue(d["period"]["default"])
        self.assertEqual(d["children"]["level"], "村")
        d = self.ok(self.c["va_view"].get("/api/dashboard", {"period": "2019"}))
        self.assertIsNone(d["children"])
        d = self.ok(self.c["unit_view"].get("/api/dashboard", {"period": "2015"}))
        self.assertIsNone(d["children"])
        self.assertEqual(d["scope"]["unit"], UNIT)

    def test_out_of_scope_and_wrong_period(self):
        r = self.c["a_view"].get("/api/dashboard", {"region": TOWN_B})
        self.assertEqual(r.status, 403, r)
        self.assertEqual(set(r.json()), {"error", "details"})
        r = self.c["a_view"].get("/api/dashboard", {"period": "2019-13"})
        self.assertEqual(r.status, 400, r)


class TestUsers(PagesBase):
    """POST /api/users/{name}/disable|enable|password: 管理员 only, in its
    scope, never itself; audited; the account's sessions end."""

    def _fresh(self, name, password=PASSWORD):
        c = self.srv.client()
        c.login(name, password)
        return c

    def test_disable_ends_sessions_and_enable_lets_in_again(self):
        adm = self.c["a_admin"]
        victim = self._fresh("va_clerk")
        self.assertEqual(victim.get("/api/me").status, 200)
        r = adm.post("/api/users/va_clerk/disable")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["user"], "va_clerk")
        self.assertTrue(r.json()["disabled"])
        self.assertEqual(victim.get("/api/me").status, 401)
        self.assertEqual(self.srv.client().login("va_clerk", PASSWORD, check=False).status, 401)
        r = adm.post("/api/users/va_clerk/disable")  # already disabled
        self.assertEqual(r.status, 400, r)
        r = adm.post("/api/users/va_clerk/enable")
        self.assertEqual(r.status, 200, r)
        self.assertFalse(r.json()["disabled"])
        self.assertEqual(self._fresh("va_clerk").get("/api/me").status, 200)
        r = adm.post("/api/users/va_clerk/enable")  # not disabled
        self.assertEqual(r.status, 400, r)
        actions = [e["action"] for e in adm.get("/api/audit", {"user": "a_admin"}).json()["entries"]
                   if e["key"] == "va_clerk"]
        self.assertIn("停用账户", actions)
        self.assertIn("启用账户", actions)

    def test_password_ends_sessions(self):
        adm = self.c["a_admin"]
        victim = self._fresh("va_clerk2")
        r = adm.post("/api/users/va_clerk2/password", {"password": "Neu-Passwort-1"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(victim.get("/api/me").status, 401)
        self.assertEqual(self.srv.client().login("va_clerk2", PASSWORD, check=False).status, 401)
        self._fresh("va_clerk2", "Neu-Passwort-1")
        r = adm.post("/api/users/va_clerk2/password", {"password": "short"})
        self.assertEqual(r.status, 400, r)
        self.assertIn("密码", r.json()["error"])
        r = adm.post("/api/users/va_clerk2/password", {})
        self.assertEqual(r.status, 400, r)
        self.assertIn("password", r.json()["error"])
        self.assertIn("修改密码", [e["action"] for e in
                                 adm.get("/api/audit", {"user": "a_admin"}).json()["entries"]])

    def test_refused_outside_scope_for_others_and_for_oneself(self):
        adm = self.c["a_admin"]
        r = adm.post("/api/users/b_view/disable")
        self.assertEqual(r.status, 403, r)
        self.assertEqual(self.c["b_view"].get("/api/me").status, 200)
        r = adm.post("/api/users/a_admin/disable")
        self.assertEqual(r.status, 400, r)
        self.assertIn("当前登录", r.json()["error"])
        self.assertEqual(adm.get("/api/me").status, 200)
        r = adm.post("/api/users/nobody/enable")
        self.assertEqual(r.status, 404, r)
        r = self.c["a_view"].post("/api/users/va_view/disable")
        self.assertEqual(r.status, 403, r)
        self.assertEqual(self.c["va_view"].get("/api/me").status, 200)


class _Figs(html.parser.HTMLParser):
    """The tz-fig elements of a draft's HTML: (attributes, text); and
    whether any <script> is there."""

    def __init__(self):
        super().__init__()
        self.figs, self.script, self._cur = [], False, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.script = True
        if tag == "a" and a.get("class") == "tz-fig":
            self._cur = [a, ""]

    def handle_data(self, data):
        if self._cur:
            self._cur[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._cur:
            self.figs.append(tuple(self._cur))
            self._cur = None


class TestReportAndDeadlines(PagesBase):
    Q = {"kind": "poverty-work", "region": COUNTY, "unit": "县文化广电旅游局", "period": "2019"}

    def test_kinds_are_the_templates(self):
        j = self.ok(self.c["a_view"].get("/api/report/kinds"))
        kinds = {k["kind"]: k for k in j["kinds"]}
        listed = run("report", "--list", check=0).stdout.splitlines()
        self.assertEqual(sorted(kinds), sorted(line.split()[0] for line in listed if line.strip()))
        self.assertEqual(len(listed), len(kinds))
        pw = kinds["poverty-work"]
        self.assertEqual((pw["level"], pw["unit_kind"]), ("县", "县直单位"))
        self.assertEqual(pw["needs"], "县级区划 + 县直单位")
        for k in kinds.values():
            line = next(x for x in listed if x.split()[0] == k["kind"])
            self.assertIn(k["title"], line)

    def test_draft_links_every_figure_to_its_source(self):
        c = self.c["county_view"]
        j = self.ok(c.get("/api/report/draft", self.Q))
        self.assertEqual(j["title"], "鹿邑县文化广电旅游局精准扶贫工作汇报")
        self.assertTrue(j["html"].startswith("<article"))
        self.assertTrue(j["html"].rstrip().endswith("</article>"))
        p = _Figs()
        p.feed(j["html"])
        self.assertFalse(p.script)
        self.assertGreater(len(p.figs), 10)
        by_id = {}
        for s in j["sources"]:
            by_id.setdefault(s["id"], s)
        for attrs, text in p.figs:
            src = by_id[attrs["data-ref"]]
            self.assertEqual(attrs["data-indicator"], src["indicator"])
            self.assertEqual(attrs["data-period"], src["period"])
            self.assertEqual(attrs["data-mode"], src["mode"])
        # a figure's source gives the figure: 105个 贫困村 as /api/indicators says
        first = p.figs[0][0]
        ind = self.ok(c.get(_ind(first["data-indicator"]),
                            {"region": first["data-region"], "period": first["data-period"],
                             "mode": first["data-mode"]}))
        self.assertEqual(p.figs[0][1], f"{ind['value']}{ind['unit']}")
        self.assertIsInstance(j["findings"], list)
        self.assertEqual(j["notes"], [])
        # the same proofreading as the CLI's report run: no finding on either
        out = run("report", self.fx.db, "--kind", "poverty-work", "--region", COUNTY, "--unit",
                  "县文化广电旅游局", "--period", "2019", "-o", self.fx.path("r.md"))
        self.assertIn("校对未发现问题", out.stdout)
        self.assertEqual(j["findings"], [])

    def test_draft_errors(self):
        c = self.c["a_view"]
        r = c.get("/api/report/draft", self.Q)
        self.assertEqual(r.status, 403, r)
        self.assertEqual(set(r.json()), {"error", "details"})
        r = self.c["county_view"].get("/api/report/draft", dict(self.Q, kind="nothing"))
        self.assertEqual(r.status, 400, r)
        r = self.c["county_view"].get("/api/report/draft", {"kind": "poverty-work",
                                                            "period": "2019"})
        self.assertEqual(r.status, 400, r)
        self.assertIn("单位", r.json()["error"])
        r = self.c["unit_view"].get("/api/report/draft", {"kind": "investment"})
        self.assertEqual(r.status, 403, r)

    def test_deadlines_as_the_cli_shows_them(self):
        j = self.ok(self.c["va_view"].get("/api/deadlines"))
        out = run("deadline", self.fx.db).stdout
        self.assertEqual([d["level"] for d in j["deadlines"]], ["市", "县", "乡", "村", "单位"])
        for d in j["deadlines"]:
            line = next(x for x in out.splitlines() if x.startswith(d["level"] + " "))
            self.assertIn(d["words"], line)
        run("deadline", self.fx.db, "乡", "10")
        j = self.ok(self.c["va_view"].get("/api/deadlines", {"period": "2019-11"}))
        town = next(d for d in j["deadlines"] if d["level"] == "乡")
        self.assertEqual((town["day"], town["words"], town["date"]), (10, "次月10日前", "2019-12-10"))
        self.assertEqual(j["period"]["label"], "2019-11")
        r = self.c["va_view"].get("/api/deadlines", {"period": "2019-13"})
        self.assertEqual(r.status, 400, r)
        self.assertIn("period", r.json()["error"])


if __name__ == "__main__":
    unittest.main()
