#!/usr/bin/env python3
"""api_examples.py - writes the per-route sections of docs/api.md from a
real server: builds a demo database (`taizhang demo`) with a few accounts,
starts `taizhang serve`, sends each route's example request and prints the
section (parameters, roles, errors, the request and the real answer, ID
numbers masked, long answers cut) as Markdown on stdout.

Usage: python3 scripts/api_examples.py [BIN] > /tmp/sections.md
(then replace everything after <!-- EXAMPLES --> in docs/api.md with it).
Standard library only; uses tests/blackbox/serverlib.py.
"""
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "blackbox"))
if len(sys.argv) > 1:
    os.environ["TZ_BIN"] = os.path.abspath(sys.argv[1])

from serverlib import (PASSWORD, TOWN_A, VILLAGE_A, Fixture, Server,  # noqa: E402
                       row_url, row_version, with_version)
from tzlib import idcard  # noqa: E402

ACCOUNTS = [("zhenyuan_tb", "填报", TOWN_A, None), ("zhenyuan_ck", "查看", TOWN_A, None),
            ("luyi_sh", "审核", "411628000000", None), ("luyi_admin", "管理员", "411628000000", None),
            ("qinge_tb", "填报", VILLAGE_A, None)]
ID_RE = re.compile(r"(?<![0-9])([0-9]{6})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9Xx])")
# routes whose sections were written by hand with the accounts (api_auth.c, api_users.c)
SKIP = {"POST /api/login", "POST /api/logout", "GET /api/me", "GET /api/users", "POST /api/users"}


def _mask(text):
    return ID_RE.sub(lambda m: m.group(1) + "********" + m.group(2), text)


def _cut(text, limit=700):
    """Long answers are cut where marked …, at a comma."""
    if len(text) <= limit:
        return text
    cut = text.rfind(",", 0, limit)
    return text[:cut if cut > 0 else limit] + ",…"


def _show(method, path, body, resp, headers=None):
    out = ["```", f"{method} {path}"]
    for k, v in (headers or {}).items():
        out.append(f"{k}: {v}")
    if body is not None:
        out.append(_mask(body if isinstance(body, str) else
                         json.dumps(body, ensure_ascii=False, separators=(",", ":"))))
    out.append("")
    out.append(f"{resp.status}")
    ctype = resp.header("Content-Type") or ""
    disp = resp.header("Content-Disposition")
    if disp:
        out.append(f"Content-Type: {ctype}")
        out.append(f"Content-Disposition: {disp}")
    if ctype.startswith("application/json"):
        out.append(_cut(_mask(json.dumps(resp.json(), ensure_ascii=False,
                                         separators=(",", ":")))))
    else:
        lines = _mask(resp.text).splitlines()
        out += lines[:12] + (["…"] if len(lines) > 12 else [])
    out.append("```")
    return "\n".join(out)


class Doc:
    def __init__(self, srv):
        self.srv = srv
        self.clients = {}
        self.parts = []

    def c(self, name):
        if name not in self.clients:
            cl = self.srv.client()
            cl.login(name)
            self.clients[name] = cl
        return self.clients[name]

    def section(self, title, params, who, errors, example):
        if title in SKIP:
            return
        self.parts.append(f"### `{title}` ({who})\n\n{params}\n\nErrors: {errors}\n\n{example}\n")

    def call(self, who, method, path, body=None, query=None, headers=None, raw=None):
        c = self.c(who) if who else self.srv.client()
        full = path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
        r = c.request(method, path, body=raw if raw is not None else body, query=query,
                      headers=headers, content_type="text/csv" if raw is not None else None)
        shown = {}
        if who and method != "GET":
            shown["X-CSRF-Token"] = "…"
        shown.update(headers or {})
        return r, _show(method, full, raw.decode() if raw is not None else body, r, shown)


def build(doc):
    r, ex = doc.call(None, "POST", "/api/login", {"username": "zhenyuan_tb", "password": PASSWORD})
    doc.section("POST /api/login", 'Body: `{"username": "…", "password": "…"}`. Sets the '
                "session cookie; answers the account and the CSRF token for writes.",
                "anyone", "401 wrong name or password (the same answer for both, and for a "
                "disabled account); 429 too many failures; 400 not a JSON object.",
                ex.replace(PASSWORD, "********"))
    r, ex = doc.call("zhenyuan_tb", "GET", "/api/me")
    doc.section("GET /api/me", "No parameters. The caller's account.", "any session",
                "401 no session.", ex)
    r, ex = doc.call("zhenyuan_tb", "GET", "/api/ledgers")
    doc.section("GET /api/ledgers", "No parameters. The ledger definitions, as "
                "`taizhang ledgers --json` prints them.", "every role", "401.", ex)
    r, ex = doc.call("zhenyuan_ck", "GET", "/api/ledgers/households/rows",
                     query={"where": f"所在村代码={VILLAGE_A}", "sort": "-识别年度", "limit": 2})
    doc.section("GET /api/ledgers/{ledger}/rows",
                "`{ledger}`: id or Chinese name. Query: `where=列=值` (repeatable; a column by "
                "Chinese or SQL name, the value as a clerk writes it), `q=` (text some column "
                "contains), `sort=` (a column, `-` before it for descending; default key "
                "order), `limit=` (1–1000, default 100), `offset=`. Answers "
                '`{"total": N, "rows": [{header: value, …}]}` with each row\'s version; only '
                "rows in the caller's scope; ID numbers masked for 查看.",
                "every role", "400 a wrong where/sort/limit/offset (named); 403 a filter on a "
                "region or unit outside the scope; 404 no such ledger.", ex)
    key = r.json()["rows"][0]["户编号"]
    r, ex = doc.call("zhenyuan_tb", "GET", row_url("households", key))
    doc.section("GET /api/ledgers/{ledger}/rows/{key}",
                "`{key}`: the row's key columns joined by `/` (`SQ2014014/2015-03` for 资金到位). "
                "One row with its version.", "every role",
                "404 no such row, or a row outside the scope (the same answer, no data).", ex)
    row = r.json().get("row", r.json())
    body = with_version(row, row_version(row))
    body = {k: v for k, v in body.items() if k in ("户编号", "人均纯收入(元)") or "version" in k}
    body["人均纯收入(元)"] = "6800"
    r, ex = doc.call("zhenyuan_tb", "POST", "/api/ledgers/households/rows", body)
    stale, ex409 = doc.call("zhenyuan_tb", "POST", "/api/ledgers/households/rows", body)
    doc.section("POST /api/ledgers/{ledger}/rows",
                "Body: one row as `{header: value}`; to change a row, with the version it was "
                "read at (columns not given keep their values); without a version, a new row. "
                "The same checks as an import (values, references, uniqueness, row checks), "
                "the scope before and after, and the 审核 locks. Answers the row with its new "
                "version.", "管理员, 填报",
                "400 a value refused (details name the column); 403 the row (before or after) "
                "outside the scope; 409 a stale version (the answer holds the current row), a "
                "new row whose key exists, or `该期间数据已审核锁定`.",
                ex + "\n\nThe same change again, with the version it no longer has:\n\n" + ex409)
    new = {"户编号": "4116289900002", "户主姓名": "示例", "户主身份证号": idcard("411628", "19800101", 2),
           "所在村代码": VILLAGE_A, "家庭人口": "1", "贫困户属性": "一般贫困户", "主要致贫原因": "因病",
           "识别年度": "2016"}
    r = doc.c("zhenyuan_tb").post("/api/ledgers/households/rows", new)
    assert r.status in (200, 201), r
    r, ex = doc.call("zhenyuan_tb", "DELETE", row_url("households", "4116289900002"))
    doc.section("DELETE /api/ledgers/{ledger}/rows/{key}",
                "`{key}` as above; `?version=N` refuses the delete when the row has changed "
                "since (0 or none: any version). Refused while another row references it. "
                "Audited.", "管理员, 填报",
                "403 outside the scope; 404 no such row; 409 a stale version, a row still "
                "referenced, or `该期间数据已审核锁定`.", ex)
    r, ex = doc.call("zhenyuan_tb", "GET", "/api/check", query={"region": TOWN_A, "period": "2019"})
    doc.section("GET /api/check", "Query: `region=` (code or name) or `unit=`, `period=` (2019, "
                "2019-07, 2019-Q3, 2019-H1; default the latest year with data). Defaults to the "
                "caller's scope. What `taizhang check --json` prints.", "every role",
                "400 a wrong period or a region that does not exist; 403 outside the scope.", ex)
    r, ex = doc.call("zhenyuan_ck", "GET", "/api/indicators/户户通安装户数",
                     query={"region": TOWN_A, "period": "2019", "by": "village"})
    doc.section("GET /api/indicators/{name}", "Query: `region=`, `unit=`, `period=`, `mode=`, "
                "`by=` (village, township, county…), `explain=1`. What `taizhang indicator "
                "--json` prints.", "every role", "404 no such indicator; 400; 403.", ex)
    r, ex = doc.call("luyi_sh", "GET", "/api/report",
                     query={"kind": "poverty-work", "region": "411628", "unit": "县文化广电旅游局",
                            "period": "2019", "format": "md"})
    doc.section("GET /api/report", "Query: `kind=` (`taizhang report --list`), `region=`, "
                "`unit=`, `period=`, `format=docx|html|md` (default docx). The drafted report as "
                "a download (Content-Disposition).", "every role",
                "400 a wrong kind or a region of the wrong level; 403.", ex)
    r, ex = doc.call("zhenyuan_tb", "POST", "/api/submissions",
                     {"region": TOWN_A, "period": "2019-11"})
    sid = r.json().get("id")
    doc.section("POST /api/submissions", 'Body: `{"region": …}` or `{"unit": …}`, and '
                '`"period"`. 上报: submits the period of a scope inside the caller\'s.',
                "管理员, 填报", "400; 403 outside the scope; 409 already submitted or approved.",
                ex)
    r, ex = doc.call("luyi_sh", "POST", f"/api/submissions/{sid}/return",
                     {"reason": "贫困户人均纯收入与入户调查不符,请核实"})
    doc.section("POST /api/submissions/{id}/return", 'Body: `{"reason": "…"}` (required).',
                "管理员, 审核 of a level above the submission's scope",
                "400 no reason; 403; 404; 409 not in a state to return.", ex)
    doc.call("zhenyuan_tb", "POST", "/api/submissions", {"region": TOWN_A, "period": "2019-11"})
    r, ex = doc.call("luyi_sh", "POST", f"/api/submissions/{sid}/approve")
    doc.section("POST /api/submissions/{id}/approve", "No body. Approves: rows dated in the "
                "period and inside the scope are locked (409 `该期间数据已审核锁定`, by API and "
                "CLI) until reopened.", "管理员, 审核 of a level above", "403; 404; 409.", ex)
    r, ex = doc.call("luyi_sh", "POST", f"/api/submissions/{sid}/reopen")
    doc.section("POST /api/submissions/{id}/reopen", "No body. Reopens an approved period "
                "(audited); its rows can be changed again.", "管理员, 审核 of a level above",
                "403; 404; 409 not approved.", ex)
    r, ex = doc.call("luyi_sh", "GET", "/api/submissions",
                     query={"period": "2019-11", "region": "411628"})
    doc.section("GET /api/submissions", "Query: `period=`, `region=` or `unit=` (default the "
                "caller's scope). Who has submitted, who is approved or returned, and who is "
                "late (deadlines are data: the day of the month after the period, 每月5日前).",
                "every role", "400; 403.", ex)
    r, ex = doc.call("luyi_admin", "GET", "/api/audit", query={"ledger": "households", "limit": 2})
    doc.section("GET /api/audit", "Query: `ledger=`, `user=`, `from=`, `to=` (dates), "
                "`limit=`, `offset=`. The audit log (留痕) of the caller's scope: who, from "
                "which address, which request, what changed (ID numbers masked and hashed). "
                "There is no route that changes it.", "every role", "400; 403.", ex)
    r, ex = doc.call("luyi_admin", "GET", "/api/users")
    doc.section("GET /api/users", "No parameters. The accounts inside the caller's scope (never "
                "a password hash).", "管理员", "403 any other role.", ex)
    r, ex = doc.call("luyi_admin", "POST", "/api/users",
                     {"username": "qinge_ck", "password": "********", "role": "查看",
                      "region": VILLAGE_A})
    doc.section("POST /api/users", 'Body: `{"username", "password" (8 characters or more), '
                '"role", "region" or "unit"}`; the scope must be inside the administrator\'s.',
                "管理员", "400 (the field is named); 403 outside the scope; 409 the name exists.",
                ex)
    csv_body = ("户编号,户主姓名,户主身份证号,所在村代码,家庭人口,贫困户属性,主要致贫原因,识别年度,脱贫年度,"
                "人均纯收入(元),义务教育保障,基本医疗保障,住房安全保障,饮水安全保障,帮扶责任人\n"
                f"4116289900001,示例,{idcard('411628', '19800101', 1)},411628001201,3,一般贫困户,因病,"
                "2016,,5000,是,是,是,是,张帮扶\n").encode()
    r, ex = doc.call("zhenyuan_tb", "POST", "/api/ledgers/households/import", query={"dry_run": 1},
                     headers={"X-Filename": "households.csv", "X-Import-Id": "imp-20191130-1"},
                     raw=csv_body)
    doc.section("POST /api/ledgers/{ledger}/import", "Body: the file's bytes (xlsx, csv or xls) "
                "with its name in `X-Filename`, or a multipart/form-data form whose file part "
                "carries the name; `X-Import-Id` (optional) names the import for "
                "`GET /api/imports/{id}`. `dry_run=1` checks without writing. All or nothing; "
                "answers what `taizhang import --json` prints, with the status below.", "管理员, 填报",
                "400 no or a wrong `X-Filename`; 422 the file is refused (its errors name "
                "row and column); 403 rows outside the scope; 409 rows in an approved period; "
                "413 over 50 MB.", ex)
    r, ex = doc.call("zhenyuan_tb", "GET", "/api/imports/imp-20191130-1")
    doc.section("GET /api/imports/{id}", "`{id}`: the `X-Import-Id` (1–64 letters, digits or `-`) "
                "the client sent with its import. How far that import has come (rows and bytes "
                "read), readable while it runs and after, by the account that started it, on the "
                "`serve` process that runs it.", "the account that started the import",
                "404 no import of this account under that id; 400 a wrong id.", ex)
    r, ex = doc.call("zhenyuan_tb", "POST", "/api/logout")
    doc.section("POST /api/logout", "No body. Ends the session; its cookie is useless from now "
                "on.", "any session", "401; 403 without the CSRF token.", ex)


def main():
    fx = Fixture("sqlite", "apidoc", ACCOUNTS)
    srv = Server(fx.db, workdir=fx.dir).start()
    try:
        doc = Doc(srv)
        build(doc)
        print("\n".join(doc.parts))
    finally:
        srv.stop()
        fx.cleanup()


if __name__ == "__main__":
    main()
