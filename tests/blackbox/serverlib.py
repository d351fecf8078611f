"""Helpers for the server's black-box tests: start the real `taizhang serve`
on a free loopback port, talk to it with a small HTTP client (http.client,
standard library only) that keeps the session cookie and the CSRF token,
make accounts with the real `taizhang user add`, and make fresh PostgreSQL
databases when TZ_PG_URI names a test server.

Owns: Server (start/stop), Client (requests, login), accounts, the fixture
database (demo data plus accounts for two townships of 鹿邑县, a village,
the county and a 责任单位), and the ID-number scan used to prove that 查看
never sees a full ID number.
"""
import csv
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import urllib.parse

from tzlib import BIN, ROOT, run

PASSWORD = "Pa55word-台账"

# Two townships of 鹿邑县 (examples/county/regions.csv), a village of the
# first, the county, and one 责任单位 of the city data (商丘市 梁园区).
COUNTY = "411628000000"
TOWN_A = "411628001000"  # 真源街道
TOWN_B = "411628002000"  # 卫真街道
VILLAGE_A = "411628001201"  # 秦阁村 (真源街道)
VILLAGE_B = "411628002201"  # a village of 卫真街道
CITY = "411400000000"  # 商丘市 (examples/city)
UNIT = "梁园区"
UNIT_OTHER = "睢阳区"
ROLES = ["管理员", "审核", "填报", "查看"]
ROLE_TAG = {"管理员": "admin", "审核": "review", "填报": "clerk", "查看": "view"}

# The accounts every fixture database gets: (name, role, region, unit).
ACCOUNTS = (
    [(f"county_{ROLE_TAG[r]}", r, COUNTY, None) for r in ROLES]
    + [(f"a_{ROLE_TAG[r]}", r, TOWN_A, None) for r in ROLES]
    + [(f"b_{ROLE_TAG[r]}", r, TOWN_B, None) for r in ROLES]
    + [(f"va_{ROLE_TAG[r]}", r, VILLAGE_A, None) for r in ROLES]
    + [("vb_clerk", "填报", VILLAGE_B, None), ("city_admin", "管理员", CITY, None)]
    + [(f"unit_{ROLE_TAG[r]}", r, None, UNIT) for r in ROLES]
    + [(f"unit2_{ROLE_TAG[r]}", r, None, UNIT_OTHER) for r in ROLES]
)

# An 18-character ID number (GB 11643: 17 digits and a digit or X).
ID_RE = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9Xx])")


def demo_ids():
    """Every full ID number of the demo data (examples/county/households.csv)."""
    with open(os.path.join(ROOT, "examples", "county", "households.csv"),
              encoding="utf-8-sig", newline="") as f:
        return {r["户主身份证号"] for r in csv.DictReader(f) if r["户主身份证号"]}


def full_ids_in(text, ids):
    """The full ID numbers of the set ids that occur in text."""
    return sorted({m for m in ID_RE.findall(text) if m.upper() in ids or m in ids})


def user_add(db, name, role, region=None, unit=None, password=PASSWORD):
    """`taizhang user add DB NAME --role ROLE (--region X | --unit Y)`, password on stdin."""
    args = ["user", "add", db, name, "--role", role]
    args += ["--region", region] if region else ["--unit", unit]
    return run(*args, input=password + "\n", check=0)


# ---- PostgreSQL: a fresh database per test class ---------------------------

def pg_base():
    return os.environ.get("TZ_PG_URI")


def _pg_with_db(uri, name):
    u = urllib.parse.urlsplit(uri)
    return urllib.parse.urlunsplit((u.scheme, u.netloc, "/" + name, u.query, u.fragment))


def _psql(admin, sql):
    subprocess.run(["psql", "-qX", admin, "-c", sql], check=True, capture_output=True)


class PgDatabase:
    """CREATE DATABASE tz_<tag>_<pid> on the server of TZ_PG_URI; drop() removes it."""

    def __init__(self, tag):
        base = pg_base()
        self.admin = _pg_with_db(base, "postgres")
        self.name = f"tz_{tag}_{os.getpid()}"
        _psql(self.admin, f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
        _psql(self.admin, f"CREATE DATABASE {self.name}")
        self.uri = _pg_with_db(base, self.name)

    def drop(self):
        _psql(self.admin, f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")

    def psql(self, sql, check=True):
        """Runs sql in this database (psql, unaligned, fields split by
        U+001F, stopping at the first error); the CompletedProcess."""
        return subprocess.run(["psql", "-qAtX", "-v", "ON_ERROR_STOP=1", "-F", "\x1f", self.uri,
                               "-c", sql], check=check, capture_output=True, text=True)

    def value(self, sql):
        """The output of sql, stripped (one value, or rows split by "|" would not be)."""
        return self.psql(sql).stdout.strip()

    def rows(self, sql):
        """The rows of sql as tuples of text."""
        return [tuple(line.split("\x1f")) for line in self.psql(sql).stdout.splitlines()]


class Fixture:
    """A demo database (SQLite file or fresh PostgreSQL database) with the
    accounts given (default ACCOUNTS). backend: "sqlite" or "pg"."""

    def __init__(self, backend, tag, accounts=ACCOUNTS):
        self.backend = backend
        self.dir = tempfile.mkdtemp(prefix=f"tz-{tag}-")
        self.pg = None
        if backend == "pg":
            self.pg = PgDatabase(tag)
            self.db = self.pg.uri
        else:
            self.db = os.path.join(self.dir, "demo.db")
        run("demo", self.db, "--quiet", check=0)
        for name, role, region, unit in accounts:
            user_add(self.db, name, role, region, unit)

    def path(self, name):
        return os.path.join(self.dir, name)

    def cleanup(self):
        if self.pg:
            self.pg.drop()
        shutil.rmtree(self.dir, ignore_errors=True)


# ---- the server -------------------------------------------------------------

class Server:
    """`taizhang serve DB --listen 127.0.0.1:PORT [--quiet]` on a free port.
    Its stderr goes to a file (self.stderr_path) that tests may read."""

    READY = "台账服务已启动"

    def __init__(self, db, quiet=True, env=None, workdir=None):
        self.db = db
        self.quiet = quiet
        self.env = dict(os.environ, TAIZHANG_HOME=ROOT, **(env or {}))
        self.workdir = workdir or tempfile.mkdtemp(prefix="tz-serve-")
        self.proc = None
        self.port = None
        self.stdout_lines = []

    def start(self):
        """Starts the server on a port the kernel picks (":0"; the startup
        line names it), so there is no race for a free port."""
        args = [BIN, "serve", self.db, "--listen", "127.0.0.1:0"]
        if self.quiet:
            args.append("--quiet")
        self.stderr_path = os.path.join(self.workdir, f"serve-{id(self)}.err")
        self._err = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self._err,
                                     stdin=subprocess.DEVNULL, env=self.env)
        ready = threading.Event()

        def reader():
            for raw in self.proc.stdout:
                line = raw.decode("utf-8", "replace")
                self.stdout_lines.append(line)
                if self.READY in line:
                    ready.set()
            ready.set()

        self._reader = threading.Thread(target=reader, daemon=True)
        self._reader.start()
        # not a timed assertion: a guard so that a hung server fails the test
        ready.wait(300)
        line = next((ln for ln in self.stdout_lines if self.READY in ln), None)
        if self.proc.poll() is None and line:
            self.port = int(line.rsplit(":", 1)[1].strip().rstrip("/"))
            return self
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self._err.close()
        raise AssertionError(f"taizhang serve exited {self.proc.returncode} without "
                             f"'{self.READY}':\nstdout: {''.join(self.stdout_lines)}\n"
                             f"stderr: {self.stderr()}")

    def stderr(self):
        try:
            with open(self.stderr_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def stop(self):
        """SIGTERM, then wait for a clean exit; returns the exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(300)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("taizhang serve did not stop on SIGTERM")
        self._reader.join(10)
        self._err.close()
        rc = self.proc.returncode
        self.proc = None
        return rc

    def client(self):
        return Client(self.port)


class Resp:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # list of (name, value)
        self.body = body

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def header_all(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self):
        return f"<{self.status} {self.text[:600]}>"


class Client:
    """One browser: a cookie (tz_session) and the CSRF token of its login.
    Every response body is kept in self.seen (for the ID-number scan)."""

    def __init__(self, port):
        self.port = port
        self.cookie = None
        self.csrf = None
        self.user = None
        self.seen = []
        self.conn = None

    def _conn(self):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        return self.conn

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method, path, body=None, query=None, headers=None, csrf=True,
                cookie=True, content_type=None):
        """body: a dict/list (sent as JSON), bytes, or None. query: dict.
        csrf: True (send the session's token), False (none), or a string."""
        if query:
            path += "?" + urllib.parse.urlencode(query)
        h = {}
        if isinstance(body, (dict, list)):
            body = json.dumps(body, ensure_ascii=False).encode("utf-8")
            h["Content-Type"] = "application/json"
        if content_type:
            h["Content-Type"] = content_type
        if cookie and self.cookie:
            h["Cookie"] = f"tz_session={self.cookie}"
        if csrf is True and self.csrf and method not in ("GET", "HEAD"):
            h["X-CSRF-Token"] = self.csrf
        elif isinstance(csrf, str):
            h["X-CSRF-Token"] = csrf
        h.update(headers or {})
        for attempt in (0, 1):
            c = self._conn()
            try:
                c.request(method, _quote_path(path), body=body, headers=h)
                r = c.getresponse()
                data = r.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # the server closed a kept-alive connection: once more on a new one
                self.close()
                if attempt:
                    raise
        resp = Resp(r.status, r.getheaders(), data)
        if r.getheader("Connection", "").lower() == "close":
            self.close()
        for v in resp.header_all("Set-Cookie"):
            m = re.match(r"\s*tz_session=([^;]*)", v)
            if m:
                self.cookie = m.group(1) or None
        self.seen.append(resp.text)
        return resp

    def get(self, path, query=None, **kw):
        return self.request("GET", path, query=query, **kw)

    def post(self, path, body=None, query=None, **kw):
        return self.request("POST", path, body=body, query=query, **kw)

    def delete(self, path, query=None, **kw):
        return self.request("DELETE", path, query=query, **kw)

    def login(self, user, password=PASSWORD, check=True):
        r = self.post("/api/login", {"username": user, "password": password}, csrf=False)
        if r.status == 200:
            j = r.json()
            self.csrf = j.get("csrf")
            self.user = user
        elif check:
            raise AssertionError(f"login {user}: {r}")
        return r

    def logout(self):
        return self.post("/api/logout")


def _quote_path(path):
    """Percent-encodes the path (Chinese ledger names, keys) but not ?query."""
    p, sep, q = path.partition("?")
    return urllib.parse.quote(p, safe="/%") + sep + q


def rows_url(ledger):
    return f"/api/ledgers/{ledger}/rows"


def row_url(ledger, key):
    return f"/api/ledgers/{ledger}/rows/{urllib.parse.quote(key, safe='')}"


# The row's version as the API shows it: the one place that names the field.
VERSION_KEYS = ("_version", "version", "版本")


def row_version(row):
    for k in VERSION_KEYS:
        if k in row:
            return int(row[k])
    raise AssertionError(f"row without a version field ({VERSION_KEYS}): {row}")


def with_version(row, version):
    """A copy of row to send back as a change read at version."""
    out = {k: v for k, v in row.items() if k not in VERSION_KEYS}
    key = next((k for k in VERSION_KEYS if k in row), VERSION_KEYS[0])
    out[key] = version
    return out


def num(v):
    """A cell as text, numbers without trailing zeros (the API sends 6491.0
    for a decimal column written as 6491)."""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    return ("%.6f" % f).rstrip("0").rstrip(".")


def error_text(resp):
    try:
        return resp.json().get("error", "")
    except (ValueError, AttributeError):
        return ""
