"""The web app embedded in build/taizhang, as `taizhang serve` sends it
(src/web/static.c, the table web/embed.mjs generates from web/dist).

Runs the real server on an empty database, with no session: index.html at
/ and at the router's history paths (no-cache), each hashed file under
/assets/ with a year's immutable cache, its content type, gzip when asked
for and the same bytes inflated when not (compared with web/dist on disk),
ETag and 304, HEAD, a Chinese 404 for a file that is not there, 405 for
other methods, the API's JSON 404 unchanged, and the security headers on
every answer. Requests go out on raw sockets, so nothing adds an
Accept-Encoding the test did not write.
"""
import gzip
import os
import re
import socket
import tempfile
import unittest
import urllib.parse

import serverlib
import tzlib

DIST = os.path.join(tzlib.ROOT, "web", "dist")
IMMUTABLE = "public, max-age=31536000, immutable"
SECURITY = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options",
            "Referrer-Policy")
# what web/embed.mjs sends for each extension Vite writes
TYPES = {
    "html": "text/html; charset=utf-8",
    "js": "text/javascript; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "svg": "image/svg+xml",
    "png": "image/png",
    "ico": "image/x-icon",
    "woff2": "font/woff2",
    "woff": "font/woff",
    "ttf": "font/ttf",
    "json": "application/json; charset=utf-8",
}


class Raw:
    """One response: status, headers (lower-case names), body."""

    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def h(self, name):
        return self.headers.get(name.lower())

    def __repr__(self):
        return f"<{self.status} {self.headers} {self.body[:200]!r}>"


def raw(port, method, path, headers=None):
    """Sends exactly this request (no header but Host and the ones given)
    and reads the answer to the end (Connection: close)."""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    with socket.create_connection(("127.0.0.1", port), timeout=120) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    first, *rest = head.decode("latin-1").split("\r\n")
    hdrs = {}
    for ln in rest:
        k, _, v = ln.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    if method != "HEAD" and "content-length" in hdrs:
        body = body[:int(hdrs["content-length"])]
    return Raw(int(first.split()[1]), hdrs, body)


def dist_file(path):
    """The bytes of web/dist<path>, or None when web/dist is not here (the
    binary was built with WEB_DIST=...)."""
    p = os.path.join(DIST, path.lstrip("/"))
    if not os.path.isfile(p):
        return None
    with open(p, "rb") as f:
        return f.read()


class StaticTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="tz-static-")
        cls.db = os.path.join(cls.dir, "s.db")
        tzlib.run("init", cls.db, check=0)
        cls.srv = serverlib.Server(cls.db, workdir=cls.dir).start()
        cls.port = cls.srv.port
        # the reference headers: what an API answer carries
        api = raw(cls.port, "GET", "/api/nothing")
        cls.security = {k: api.h(k) for k in SECURITY}
        # the files index.html loads, as the server sends it
        ix = raw(cls.port, "GET", "/")
        cls.index = ix.body
        cls.refs = re.findall(r'(?:src|href)="(/assets/[^"]+)"', ix.body.decode("utf-8"))

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()

    def get(self, path, method="GET", **headers):
        r = raw(self.port, method, path, {k.replace("_", "-"): v for k, v in headers.items()})
        for k, v in self.security.items():
            self.assertEqual(r.h(k), v, f"{k} on {method} {path}")
        return r

    def script(self):
        js = [p for p in self.refs if p.endswith(".js")]
        self.assertTrue(js, f"index.html loads no script: {self.index[:400]!r}")
        return js[0]

    # ---- index.html -----------------------------------------------------------

    def test_csp_never_lets_scripts_in(self):
        # style-src may allow inline styles (ECharts' tooltips); script-src
        # stays 'self' alone, and nothing is fetched from another site
        csp = dict(d.strip().split(" ", 1) for d in
                   self.security["Content-Security-Policy"].split(";") if d.strip())
        self.assertEqual(csp["script-src"], "'self'")
        self.assertEqual(csp["default-src"], "'self'")
        self.assertIn(csp["style-src"], ("'self'", "'self' 'unsafe-inline'"))
        self.assertEqual(csp["object-src"], "'none'")
        self.assertEqual(self.get("/").h("Content-Security-Policy"),
                         self.security["Content-Security-Policy"])

    def test_index_at_root_and_at_history_paths(self):
        want = dist_file("/index.html")
        for path in ("/", "/index.html", "/login", "/ledgers/households", "/ledgers/" + urllib.parse.quote("建档立卡贫困户"),
                     "/dashboard?region=411628"):
            with self.subTest(path=path):
                r = self.get(path)
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.h("Content-Type"), "text/html; charset=utf-8")
                self.assertEqual(r.h("Cache-Control"), "no-cache")
                self.assertIsNone(r.h("Content-Encoding"))
                self.assertIsNone(r.h("Set-Cookie"))
                self.assertEqual(r.body, self.index)
                self.assertIn(b'<div id="app"', r.body)
                if want is not None:
                    self.assertEqual(r.body, want)
        gz = self.get("/ledgers/households", Accept_Encoding="gzip, deflate, br")
        self.assertEqual(gz.h("Content-Encoding"), "gzip")
        self.assertEqual(gz.h("Cache-Control"), "no-cache")
        self.assertEqual(gzip.decompress(gz.body), self.index)

    # ---- hashed files -------------------------------------------------------------

    def test_asset_gzip_immutable_with_its_type(self):
        path = self.script()
        self.assertRegex(path, r"^/assets/.+-[A-Za-z0-9_-]{6,}\.js$")  # a hashed name
        r = self.get(path, Accept_Encoding="gzip")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.h("Cache-Control"), IMMUTABLE)
        self.assertEqual(r.h("Content-Encoding"), "gzip")
        self.assertEqual(r.h("Vary"), "Accept-Encoding")
        self.assertEqual(r.h("Content-Type"), "text/javascript; charset=utf-8")
        self.assertEqual(int(r.h("Content-Length")), len(r.body))
        body = gzip.decompress(r.body)
        self.assertLess(len(r.body), len(body))
        want = dist_file(path)
        if want is not None:
            self.assertEqual(body, want)

    def test_asset_inflated_without_accept_encoding(self):
        path = self.script()
        gz = gzip.decompress(self.get(path, Accept_Encoding="gzip").body)
        for headers in ({}, {"Accept-Encoding": "identity"}, {"Accept-Encoding": "gzip;q=0, br"}):
            with self.subTest(headers=headers):
                r = raw(self.port, "GET", path, headers)
                self.assertEqual(r.status, 200, r)
                self.assertIsNone(r.h("Content-Encoding"))
                self.assertEqual(r.h("Cache-Control"), IMMUTABLE)
                self.assertEqual(r.h("Vary"), "Accept-Encoding")
                self.assertEqual(r.body, gz)
                want = dist_file(path)
                if want is not None:
                    self.assertEqual(r.body, want)

    def test_every_dist_file_with_its_type(self):
        if not os.path.isdir(DIST):
            self.skipTest("web/dist is not here (binary built with WEB_DIST=...)")
        seen = 0
        for top, _, files in os.walk(DIST):
            for name in files:
                if name == ".tz-built":
                    continue
                rel = "/" + os.path.relpath(os.path.join(top, name), DIST).replace(os.sep, "/")
                with self.subTest(path=rel):
                    r = self.get(rel, Accept_Encoding="gzip")
                    self.assertEqual(r.status, 200, r)
                    ext = rel.rsplit(".", 1)[-1].lower()
                    if ext in TYPES:
                        self.assertEqual(r.h("Content-Type"), TYPES[ext])
                    body = gzip.decompress(r.body) if r.h("Content-Encoding") == "gzip" else r.body
                    self.assertEqual(body, dist_file(rel))
                    self.assertEqual(r.h("Cache-Control"),
                                     IMMUTABLE if rel.startswith("/assets/") else "no-cache")
                    seen += 1
        self.assertGreater(seen, 1)

    def test_css_and_svg_types(self):
        css = [p for p in self.refs if p.endswith(".css")]
        self.assertTrue(css, "index.html loads no stylesheet")
        self.assertEqual(self.get(css[0]).h("Content-Type"), "text/css; charset=utf-8")
        for p in (x for x in self.refs if x.endswith(".svg")):
            self.assertEqual(self.get(p).h("Content-Type"), "image/svg+xml")

    def test_etag_and_304(self):
        path = self.script()
        for ae in ("gzip", None):
            with self.subTest(accept_encoding=ae):
                h = {"Accept_Encoding": ae} if ae else {}
                r = self.get(path, **h)
                etag = r.h("ETag")
                self.assertRegex(etag or "", r'^"[0-9a-f]{20}(-gz)?"$')
                for inm in (etag, "W/" + etag, '"nope", ' + etag, "*"):
                    nm = self.get(path, If_None_Match=inm, **h)
                    self.assertEqual(nm.status, 304, (inm, nm))
                    self.assertEqual(nm.body, b"")
                    self.assertEqual(nm.h("ETag"), etag)
                    self.assertEqual(nm.h("Cache-Control"), IMMUTABLE)
                self.assertEqual(self.get(path, If_None_Match='"other"', **h).status, 200)
        # the two encodings are different bytes: different ETags
        self.assertNotEqual(self.get(path, Accept_Encoding="gzip").h("ETag"),
                            self.get(path).h("ETag"))
        ix = self.get("/ledgers/households")
        nm = self.get("/", If_None_Match=ix.h("ETag"))
        self.assertEqual(nm.status, 304, nm)
        self.assertEqual(nm.h("Cache-Control"), "no-cache")

    def test_head(self):
        for path in ("/", "/ledgers/households", self.script()):
            for ae in ("gzip", None):
                with self.subTest(path=path, accept_encoding=ae):
                    h = {"Accept_Encoding": ae} if ae else {}
                    g = self.get(path, **h)
                    r = self.get(path, "HEAD", **h)
                    self.assertEqual(r.status, 200, r)
                    self.assertEqual(r.body, b"")
                    for k in ("Content-Type", "Content-Length", "Content-Encoding",
                              "Cache-Control", "ETag"):
                        self.assertEqual(r.h(k), g.h(k), k)
                    self.assertEqual(int(r.h("Content-Length")), len(g.body))
        self.assertEqual(self.get("/assets/nope-0000.js", "HEAD").status, 404)

    # ---- what is not there ---------------------------------------------------------

    def test_missing_file_404_in_chinese(self):
        for path in ("/assets/index-00000000.js", "/assets/", "/assets/a/b.css", "/robots.txt",
                     "/.env", "/.git/config", "/ledgers/x.php", "/../../../../etc/passwd",
                     "/assets/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd"):
            with self.subTest(path=path):
                r = self.get(path, Accept_Encoding="gzip")
                self.assertEqual(r.status, 404, r)
                self.assertEqual(r.h("Content-Type"), "text/plain; charset=utf-8")
                self.assertIn("没有这个文件", r.body.decode("utf-8"))
                self.assertNotIn(b"root:", r.body)
                self.assertNotEqual(r.h("Cache-Control"), IMMUTABLE)

    def test_other_methods_405(self):
        for method in ("POST", "PUT", "DELETE"):
            for path in ("/", "/ledgers/households", self.script()):
                with self.subTest(method=method, path=path):
                    r = self.get(path, method, Content_Length="0")
                    self.assertEqual(r.status, 405, r)
                    self.assertEqual(r.h("Allow"), "GET, HEAD")
                    self.assertEqual(r.h("Content-Type"), "application/json; charset=utf-8")

    def test_api_unchanged(self):
        for path in ("/api/unknown", "/api", "/api/", "/api/assets/x.js"):
            with self.subTest(path=path):
                r = self.get(path, Accept_Encoding="gzip")
                self.assertEqual(r.status, 404, r)
                self.assertEqual(r.h("Content-Type"), "application/json; charset=utf-8")
                self.assertEqual(r.h("Cache-Control"), "no-store")
                self.assertIsNone(r.h("Content-Encoding"))
                self.assertIn("没有这个地址", r.body.decode("utf-8"))
        r = self.get("/api/ledgers")  # a real route still wants a session
        self.assertEqual(r.status, 401, r)
        self.assertEqual(self.get("/api/ledgers", "HEAD").status, 405)

    def test_static_answers_need_no_session(self):
        r = self.get("/", Cookie="tz_session=" + "0" * 64)  # an unknown session changes nothing
        self.assertEqual(r.status, 200, r)
        self.assertIsNone(r.h("Set-Cookie"))


if __name__ == "__main__":
    unittest.main()
