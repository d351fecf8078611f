"""Two `taizhang serve` processes on one PostgreSQL database (TZ_PG_URI),
with concurrent writers through both: no update is lost (every row's final
value and version equal the number of writes that were answered 200), a
stale version is answered 409 with the current row, and a session made on
one server works on the other (sessions live in the database, not in a
process). Skipped without TZ_PG_URI."""
import os
import threading
import unittest

from serverlib import num, TOWN_A, VILLAGE_A, Fixture, Server, row_url, row_version, rows_url, \
    with_version
from tzlib import HOUSEHOLDS_HEADER, household, idcard, run, write_csv

THREADS = 8
ROUNDS = 25  # writes per thread on its own row, and attempts on the shared rows
SHARED = 2  # rows every thread races on; one more row for the two-step tests
COL = "人均纯收入(元)"


def _key(n):
    return f"41162895{n:05d}"


@unittest.skipUnless(os.environ.get("TZ_PG_URI"), "TZ_PG_URI not set (PostgreSQL not started)")
class TestTwoServersOnePostgres(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fx = Fixture("pg", "conc", [(f"w{i}", "填报", TOWN_A, None) for i in range(THREADS)]
                         + [("boss", "管理员", TOWN_A, None)])
        rows = [household(_key(n), f"并发{n}", idcard("411628", "19700101", n), village=VILLAGE_A,
                          exited="", income="1000") for n in range(THREADS + SHARED + 1)]
        f = write_csv(cls.fx.path("c.csv"), HOUSEHOLDS_HEADER, rows)
        run("import", cls.fx.db, "households", f, "--quiet", check=0)
        cls.servers = [Server(cls.fx.db, workdir=cls.fx.dir).start() for _ in range(2)]

    @classmethod
    def tearDownClass(cls):
        for s in cls.servers:
            s.stop()
        cls.fx.cleanup()

    def read(self, c, key):
        r = c.get(row_url("households", key))
        self.assertEqual(r.status, 200, r)
        j = r.json()
        return j.get("row", j)

    def test_sessions_are_shared_between_servers(self):
        a, b = self.servers
        c = a.client()
        c.login("boss")
        on_b = b.client()
        on_b.cookie, on_b.csrf = c.cookie, c.csrf
        me = on_b.get("/api/me")
        self.assertEqual(me.status, 200, me)
        self.assertEqual(me.json()["user"], "boss")
        # a write on B with the session and CSRF token made on A
        row = self.read(on_b, _key(THREADS + SHARED))
        body = with_version(row, row_version(row))
        body["帮扶责任人"] = "跨服务器"
        r = on_b.post(rows_url("households"), body)
        self.assertIn(r.status, (200, 201), r)
        # logging out on B ends the session on A too
        self.assertIn(on_b.logout().status, (200, 204))
        self.assertEqual(c.get("/api/me").status, 401)
        c.close()
        on_b.close()

    def test_stale_version_is_409_with_the_current_row(self):
        a, b = self.servers
        ca, cb = a.client(), b.client()
        ca.login("w0")
        cb.login("w1")
        key = _key(THREADS + SHARED)
        row = self.read(ca, key)
        v = row_version(row)
        first = with_version(row, v)
        first[COL] = "2222"
        r = cb.post(rows_url("households"), first)
        self.assertIn(r.status, (200, 201), r)
        stale = with_version(row, v)
        stale[COL] = "3333"
        r = ca.post(rows_url("households"), stale)
        self.assertEqual(r.status, 409, r)
        cur = r.json().get("row") or r.json().get("current")
        self.assertIsNotNone(cur, f"409 without the current row: {r}")
        self.assertEqual(num(cur[COL]), "2222")
        self.assertEqual(row_version(cur), v + 1)
        self.assertEqual(num(self.read(cb, key)[COL]), "2222")
        ca.close()
        cb.close()

    def test_no_lost_update_with_writers_on_both_servers(self):
        """Threads write their own rows (never a conflict) and, in lockstep
        rounds, race on shared rows read at the same version."""
        ok_own = [0] * THREADS
        ok_shared = [[0] * SHARED for _ in range(THREADS)]
        conflicts = [0] * THREADS
        bad = []
        round_wins = [0] * ROUNDS
        lock = threading.Lock()
        barrier = threading.Barrier(THREADS, timeout=600)

        def writer(i):
            clients = [s.client() for s in self.servers]
            clients[0].login(f"w{i}")
            # the same session on the other server
            clients[1].cookie, clients[1].csrf = clients[0].cookie, clients[0].csrf
            try:
                for n in range(ROUNDS):
                    c = clients[(i + n) % 2]
                    # its own row: nobody else writes it, so every write must succeed
                    row = self.read(c, _key(i))
                    body = with_version(row, row_version(row))
                    body[COL] = str(int(float(row[COL])) + 1)
                    r = c.post(rows_url("households"), body)
                    if r.status in (200, 201):
                        ok_own[i] += 1
                    else:
                        bad.append(("own", i, r.status, r.text[:300]))
                    # a shared row: every thread reads it at the same version,
                    # then all write it at once through both servers; exactly
                    # one may win, the others must get 409 with the newer row
                    s = n % SHARED
                    c2 = clients[(i + n + 1) % 2]
                    row = self.read(c2, _key(THREADS + s))
                    body = with_version(row, row_version(row))
                    body[COL] = str(int(float(row[COL])) + 1)
                    barrier.wait()
                    r = c.post(rows_url("households"), body)
                    barrier.wait()
                    if r.status in (200, 201):
                        with lock:
                            round_wins[n] += 1
                        ok_shared[i][s] += 1
                    elif r.status == 409:
                        conflicts[i] += 1
                        cur = r.json().get("row") or r.json().get("current")
                        if not cur or row_version(cur) <= row_version(row):
                            bad.append(("409 without a newer row", i, r.text[:300]))
                    else:
                        bad.append(("shared", i, r.status, r.text[:300]))
            except Exception as e:  # noqa: BLE001 - reported by the main thread
                bad.append(("exception", i, repr(e)))
                barrier.abort()
            finally:
                for c in clients:
                    c.close()

        check = self.servers[0].client()
        check.login("boss")
        start = {k: self.read(check, k) for k in (_key(n) for n in range(THREADS + SHARED))}
        threads = [threading.Thread(target=writer, args=(i,)) for i in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(bad, [])
        self.assertEqual(ok_own, [ROUNDS] * THREADS)
        for n in range(THREADS):
            row = self.read(check, _key(n))
            self.assertEqual(float(row[COL]), float(start[_key(n)][COL]) + ROUNDS)
            self.assertEqual(row_version(row), row_version(start[_key(n)]) + ROUNDS)
        for s in range(SHARED):
            k = _key(THREADS + s)
            wins = sum(ok_shared[i][s] for i in range(THREADS))
            row = self.read(check, k)
            self.assertEqual(float(row[COL]), float(start[k][COL]) + wins, f"lost update on {k}")
            self.assertEqual(row_version(row), row_version(start[k]) + wins)
        # every attempt on a shared row was answered: a win or a 409, and
        # each round of equal versions had exactly one winner
        self.assertEqual(sum(map(sum, ok_shared)) + sum(conflicts), THREADS * ROUNDS)
        self.assertEqual(round_wins, [1] * ROUNDS)
        check.close()


if __name__ == "__main__":
    unittest.main()
