#!/usr/bin/env python3
"""run_bench.py - the measurements of bench/run.sh (see there for what and
why). Called as: run_bench.py BIN WORK N PY_XLSX RESULTS.

Every pair is timed as whole processes, alternately (Taizhang, peer,
Taizhang, peer ...), after one untimed warm-up of each where the warm-up
leaves no state behind; the figures are medians. Imports start from the same
state each run: a copy of a database holding the regions and units (SQLite),
or a freshly initialised schema (PostgreSQL)."""
import csv
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone

BIN, WORK, N, PY_XLSX, RESULTS = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
RUNS = int(os.environ.get("TZ_BENCH_RUNS", "3"))
CHECK_RUNS = int(os.environ.get("TZ_BENCH_CHECK_RUNS", "9"))
PG = os.environ.get("TZ_PG_URI", "")
PG_N = min(N, int(os.environ.get("TZ_BENCH_PG_HOUSEHOLDS", "100000")))
CSV = os.path.join(WORK, "csv")
LEDGERS = ["regions", "units", "households", "culture_centers", "tv_installs", "aid_villages",
           "aid_cadres", "aid_inputs", "cultural_events", "projects", "project_funds", "targets",
           "populations"]
ENV = dict(os.environ)


GEN = {}  # the generator's time and peak memory


def sh(cmd, env=None, ok=(0,)):
    """Runs a command; returns (seconds, stdout). Exits on an unexpected status."""
    start = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, env=env or ENV)
    t = time.perf_counter() - start
    if p.returncode not in ok:
        sys.exit("失败(%d): %s\n%s" % (p.returncode, " ".join(cmd), p.stderr.decode(errors="replace")))
    return t, p.stdout


def peak_mib(cmd):
    """Peak resident set of a command in MiB, by GNU time (a small parent: the
    Python parent's own size would count in a child forked from it), or 0
    when /usr/bin/time is missing."""
    if not os.access("/usr/bin/time", os.X_OK):
        return 0.0
    with tempfile.NamedTemporaryFile("r") as f:
        sh(["/usr/bin/time", "-f", "%M", "-o", f.name, *cmd])
        return int(f.read().split()[-1]) / 1024


def say(msg):
    print(msg, flush=True)


def fresh_sqlite(path):
    for ext in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + ext):
            os.remove(path + ext)


def rounds(label, steps, runs):
    """Alternating medians in ms of each (prep, run) step, each run after its
    prep (untimed): A, B, C, A, B, C ..."""
    times = [[] for _ in steps]
    for i in range(runs):
        for k, (prep, run) in enumerate(steps):
            prep()
            times[k].append(run() * 1000)
        say("  %s 第%d次: %s 毫秒" % (label, i + 1, " / ".join("%.1f" % t[-1] for t in times)))
    return [statistics.median(t) for t in times]


def pair(label, a_prep, a_run, b_prep, b_run, runs):
    """Alternating medians in ms of a_run and b_run, each after its prep (untimed)."""
    return tuple(rounds(label, [(a_prep, a_run), (b_prep, b_run)], runs))


# ---- data ---------------------------------------------------------------------

def prepare():
    say("生成 %d 户 → %s" % (N, CSV))
    t, _ = sh([BIN, "gen", CSV, "--households", str(N), "--quiet"])
    GEN.update(seconds=t, rss=peak_mib([BIN, "gen", CSV, "--households", str(N), "--quiet"]))
    say("  taizhang gen: %.1f 秒, 峰值内存 %.1f MiB" % (t, GEN["rss"]))
    regions = list(csv.reader(open(os.path.join(CSV, "regions.csv"), encoding="utf-8-sig")))[1:]
    county = next(r[0] for r in regions if r[3] == "县")
    village = next(r[0] for r in regions if r[3] == "村" and r[0].startswith(county[:6]))
    units = list(csv.reader(open(os.path.join(CSV, "units.csv"), encoding="utf-8-sig")))[1:]
    bureau = next(u[0] for u in units if u[2] == county and u[1] == "县直单位")
    base = os.path.join(WORK, "base.db")
    sh([BIN, "init", base])
    for l in ("regions", "units"):
        sh([BIN, "import", base, l, os.path.join(CSV, l + ".csv"), "--quiet"])
    full = os.path.join(WORK, "full.db")
    shutil.copy(base, full)
    start = time.perf_counter()
    for l in LEDGERS[2:]:
        sh([BIN, "import", full, l, os.path.join(CSV, l + ".csv"), "--quiet"])
    say("  导入全部台账: %.1f 秒" % (time.perf_counter() - start))
    return base, full, county, village, bureau


# ---- the measures ---------------------------------------------------------------

def ledger_schema(base, table):
    """The ledger's own table in SQLite as `taizhang init` made it, without
    Taizhang's bookkeeping (tz_* columns, triggers): (CREATE TABLE with the
    ledger's columns, types and key; its secondary indexes' CREATE INDEX),
    read from base's catalogue, so the floor follows the schema; and the
    ledger's column names."""
    con = sqlite3.connect(base)
    cols = [(r[1], r[2] + (" NOT NULL" if r[3] else ""), r[5])
            for r in con.execute("PRAGMA table_info(%s)" % table) if not r[1].startswith("tz_")]
    key = [c for c, _, pk in sorted(cols, key=lambda c: c[2]) if pk]
    ddl = "CREATE TABLE %s (%s%s)" % (table, ", ".join("%s %s" % (c, t) for c, t, _ in cols),
                                      ", PRIMARY KEY (%s)" % ", ".join(key) if key else "")
    idx = [r[0] for r in con.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND "
                                     "tbl_name = ? AND sql IS NOT NULL", (table,))]
    con.close()
    return ddl, idx, [c for c, _, _ in cols]


def csv_import(base, full):
    """Taizhang, `.import` into a bare table (the issue's peer) and the floor:
    `.import` into the ledger's own table and key, its indexes built after
    the load, as Taizhang's bulk path does, with no check, audit or summary;
    the floor reads the values as stored (full's rows, 是 as 1), so that
    each lands in its column's type."""
    src = os.path.join(CSV, "households.csv")
    db, bare, floor = (os.path.join(WORK, f) for f in ("imp.db", "bare.db", "floor.db"))
    ddl, idx, cols = ledger_schema(base, "households")
    stored = os.path.join(WORK, "households_stored.csv")
    # written straight to the file (1.2 GB at 10 000 000); a NULL is written
    # as an empty field, which `.import` reads back as '' (no record is
    # larger for it: both take no bytes besides their header)
    with open(stored, "wb") as f:
        subprocess.run(["sqlite3", "-csv", full, "SELECT %s FROM households" % ", ".join(cols)],
                       stdout=f, check=True, env=ENV)

    def a_prep():
        fresh_sqlite(db)
        shutil.copy(base, db)

    return rounds("CSV导入/.import/.import入台账表", [
        (a_prep, lambda: sh([BIN, "import", db, "households", src, "--quiet"])[0]),
        (lambda: fresh_sqlite(bare), lambda: sh(["sqlite3", bare, ".import --csv %s hh" % src])[0]),
        (lambda: fresh_sqlite(floor),
         lambda: sh(["sqlite3", floor, ddl, ".import --csv %s households" % stored, *idx])[0])],
        RUNS)


def import_memory(base):
    """Peak memory of one more CSV import of each kind (untimed)."""
    src = os.path.join(CSV, "households.csv")
    db, bare = os.path.join(WORK, "imp.db"), os.path.join(WORK, "bare.db")
    fresh_sqlite(db)
    shutil.copy(base, db)
    fresh_sqlite(bare)
    return (peak_mib([BIN, "import", db, "households", src, "--quiet"]),
            peak_mib(["sqlite3", bare, ".import --csv %s hh" % src]))


def xlsx_import(base, full):
    xlsx = os.path.join(WORK, "households.xlsx")
    if not os.path.exists(xlsx):
        sh([BIN, "export", full, "households", xlsx])
    db = os.path.join(WORK, "imp.db")
    reader = ("import sys, openpyxl\n"
              "wb = openpyxl.load_workbook(sys.argv[1], read_only=True)\n"
              "n = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))\n"
              "print(n)\n")

    def a_prep():
        fresh_sqlite(db)
        shutil.copy(base, db)

    return rounds("xlsx导入/openpyxl/试导入",
                  [(a_prep, lambda: sh([BIN, "import", db, "households", xlsx, "--quiet"])[0]),
                   (lambda: None, lambda: sh([PY_XLSX, "-c", reader, xlsx])[0]),
                   (a_prep, lambda: sh([BIN, "import", db, "households", xlsx, "--dry-run",
                                        "--quiet"])[0])], RUNS)


def checks(full, county, village):
    T = ["--period", "2019"]
    off = dict(ENV, TZ_METRICS_SUMMARY="0")
    out = {}
    for name, region in (("county", county), ("village", village)):
        cmd = [BIN, "check", full, "--region", region, *T]
        sh(cmd, ok=(0, 1)), sh(cmd, env=off, ok=(0, 1))  # warm
        out[name] = pair("check " + name, lambda: None, lambda: sh(cmd, ok=(0, 1))[0], lambda: None,
                         lambda: sh(cmd, env=off, ok=(0, 1))[0], CHECK_RUNS)
    return out


def one_row_change(full, county):
    """A one-row change by `taizhang import` (its summary update included), and
    by a plain UPDATE in the sqlite3 shell (the summaries catch up on the next
    read); each followed by the first county check; against a check with
    current summaries."""
    hh = list(csv.reader(open(os.path.join(CSV, "households.csv"), encoding="utf-8-sig")))
    head, row = hh[0], list(hh[1])
    one = os.path.join(WORK, "one.csv")
    cmd = [BIN, "check", full, "--region", county, "--period", "2019"]
    k = {"n": 0}
    res = {}

    def change_import():
        k["n"] += 1
        row[9] = str(5000 + k["n"])
        with open(one, "w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f).writerows([head, row])
        t, _ = sh([BIN, "import", full, "households", one, "--quiet"])
        res.setdefault("import", []).append(t * 1000)

    def change_sql():
        k["n"] += 1
        sh(["sqlite3", full, "UPDATE households SET income = %d WHERE hh_id = '%s'" % (5000 + k["n"], row[0])])

    sh(cmd, ok=(0, 1))
    first_imp = pair("导入一行后首次check", change_import, lambda: sh(cmd, ok=(0, 1))[0], lambda: None,
                     lambda: sh(cmd, ok=(0, 1))[0], CHECK_RUNS)
    first_sql = pair("sqlite3改一行后首次check", change_sql, lambda: sh(cmd, ok=(0, 1))[0], lambda: None,
                     lambda: sh(cmd, ok=(0, 1))[0], max(3, CHECK_RUNS // 3))
    return first_imp, first_sql, statistics.median(res["import"])


def report(full, county, bureau):
    out = os.path.join(WORK, "r.docx")
    rep = [BIN, "report", full, "--kind", "poverty-work", "--region", county, "--unit", bureau,
           "--period", "2019", "-o", out]
    chk = [BIN, "check", full, "--region", county, "--period", "2019"]
    sh(rep, ok=(0, 1))
    return pair("汇报材料", lambda: None, lambda: sh(rep, ok=(0, 1))[0], lambda: None,
                lambda: sh(chk, ok=(0, 1))[0], CHECK_RUNS)


def pg_import():
    """On the first PG_N households (the whole file when N is smaller)."""
    src = os.path.join(WORK, "households_pg.csv")
    with open(os.path.join(CSV, "households.csv"), encoding="utf-8-sig") as f, \
            open(src, "w", encoding="utf-8-sig") as g:
        for i, line in enumerate(f):
            if i > PG_N:
                break
            g.write(line)
    cols = ", ".join("c%d text" % i for i in range(15))

    def psql(*cmds):
        args = ["psql", PG, "-q", "-v", "ON_ERROR_STOP=1"]
        for c in cmds:
            args += ["-c", c]
        return sh(args)[0]

    def a_prep():
        psql("DROP SCHEMA public CASCADE", "CREATE SCHEMA public")
        sh([BIN, "init", PG])
        for l in ("regions", "units"):
            sh([BIN, "import", PG, l, os.path.join(CSV, l + ".csv"), "--quiet"])

    def b_prep():
        psql("DROP SCHEMA public CASCADE", "CREATE SCHEMA public", "CREATE TABLE hh (%s)" % cols)

    # the floor: \copy into the ledger's own table and key (as `taizhang
    # init` made them, without the tz_* bookkeeping columns), its secondary
    # indexes built after, as the bulk path does; read from the catalogue
    a_prep()

    def cat(q):
        return sh(["psql", PG, "-At", "-c", q])[1].decode().split("\n")[:-1]
    rel = "'households'::regclass"
    table = cat("SELECT string_agg(quote_ident(attname) || ' ' || format_type(atttypid, atttypmod), "
                "', ' ORDER BY attnum) FROM pg_attribute WHERE attrelid = %s AND attnum > 0 AND "
                "NOT attisdropped AND attname NOT LIKE 'tz\\_%%'" % rel)[0]
    key = cat("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s AND "
              "contype = 'p'" % rel)
    idx = cat("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = "
              "'households' AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE "
              "conrelid = %s)" % rel)
    ddl = "CREATE TABLE households (%s%s)" % (table, "".join(", " + k for k in key))
    # the values as stored, in COPY's text format: one untimed import
    stored = os.path.join(WORK, "households_pg_stored.txt")
    names = cat("SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute "
                "WHERE attrelid = %s AND attnum > 0 AND NOT attisdropped AND attname NOT LIKE "
                "'tz\\_%%'" % rel)[0]
    sh([BIN, "import", PG, "households", src, "--quiet"])
    psql("\\copy (SELECT %s FROM households ORDER BY tz_line) TO '%s'" % (names, stored))

    def c_prep():
        psql("DROP SCHEMA public CASCADE", "CREATE SCHEMA public", ddl)

    return tuple(rounds("PostgreSQL导入/\\copy/\\copy入台账表", [
        (a_prep, lambda: sh([BIN, "import", PG, "households", src, "--quiet"])[0]),
        (b_prep, lambda: psql("\\copy hh FROM '%s' WITH (FORMAT csv, HEADER true)" % src)),
        (c_prep, lambda: psql("\\copy households FROM '%s'" % stored, *idx))], RUNS))


# ---- the machine and the table ------------------------------------------------

def machine():
    def out(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, shell=True).stdout.strip()
        except OSError:
            return ""
    cpu = out("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    mem = out("free -g | awk '/^Mem/ {print $2}'")
    disk = out("df -h %s | awk 'NR==2 {print $1\" \"$2\" (\"$5\" used)\"}'" % WORK)
    rot = out("lsblk -dno NAME,ROTA 2>/dev/null | head -3 | tr '\\n' ' '")
    rows = [("nproc", out("nproc")), ("CPU", cpu), ("RAM", mem + " GiB"),
            ("disk (work dir)", "%s; rotational: %s" % (disk, rot or "?")),
            ("kernel", platform.release()), ("SQLite", out("sqlite3 --version | cut -d' ' -f1")),
            ("load average at start", open("/proc/loadavg").read().split()[:3])]
    if PG:
        rows.append(("PostgreSQL", out("psql '%s' -Atc 'SHOW server_version'" % PG)))
    else:
        rows.append(("PostgreSQL", "not measured (TZ_PG_URI not set); psql " + out("psql --version | cut -d' ' -f3")))
    return rows


def main():
    started = datetime.now(timezone.utc)
    mach = machine()
    base, full, county, village, bureau = prepare()
    table = []

    def add(measure, a, b, peer, goal):
        table.append((measure, a, b, peer, goal))
        say("%-44s %10.1f %10.1f %7.2f×" % (measure, a, b, a / b))

    a, b, fl = csv_import(base, full)
    add("CSV import, %d households (SQLite)" % N, a, b, "`sqlite3 .import` into a bare table", "≤ 1.0× (≤ 1.5×)")
    add("the same import against SQLite's floor for the ledger", a, fl,
        "`sqlite3 .import` into the ledger's table and key, its indexes built after", "—")
    add("the floor itself against the issue's peer", fl, b, "`sqlite3 .import` into a bare table", "—")
    rss = import_memory(base)
    say("峰值内存(MiB): taizhang import %.1f, sqlite3 .import %.1f" % rss)
    if PY_XLSX:
        a, b, dry = xlsx_import(base, full)
        add("xlsx import, %d households" % N, a, b, "openpyxl read-only iteration", "≤ 0.05× (≥ 20× faster)")
        add("xlsx import `--dry-run` (read and check, no write), %d households" % N, dry, b,
            "openpyxl read-only iteration", "—")
    else:
        say("xlsx: 没有 openpyxl(apt-get install python3-openpyxl),跳过")
    c = checks(full, county, village)
    first_imp, first_sql, imp_ms = one_row_change(full, county)
    add("first county `check` after a one-row `import`", first_imp[0], first_imp[1],
        "county `check`, summaries current", "≤ 50 ms")
    add("first county `check` after a one-row UPDATE (sqlite3)", first_sql[0], first_sql[1],
        "county `check`, summaries current", "≤ 50 ms")
    add("county `check`", c["county"][0], c["county"][1], "same check reading the ledgers", "unchanged or better")
    add("village `check`", c["village"][0], c["village"][1], "same check reading the ledgers", "unchanged or better")
    a, b = report(full, county, bureau)
    add("county report (.docx, poverty-work)", a, b, "county `check`", "≤ 100 ms")
    if PG:
        a, b, fl = pg_import()
        add("PostgreSQL import, %d households" % PG_N, a, b, "`psql \\copy` into a bare table", "≤ 1.5×")
        add("the same import against PostgreSQL's floor for the ledger", a, fl,
            "`psql \\copy` into the ledger's table and key, its indexes built after", "—")
    load_end = open("/proc/loadavg").read().split()[:3]
    write_results(started, mach, load_end, table, imp_ms, rss, county, village)


def write_results(started, mach, load_end, table, imp_ms, rss, county, village):
    lines = ["# Benchmark results (issue 13's Goals)", "",
             "Written by `bench/run.sh` (see its header and `bench/README.md`). Medians of runs "
             "alternating Taizhang and its peer, whole processes (start-up included), on the "
             "machine below. Absolute times are noisy on a shared machine; compare the ratios.", "",
             "Run %s UTC, `TZ_BENCH_HOUSEHOLDS=%d`, `TZ_BENCH_RUNS=%d` (imports), "
             "`TZ_BENCH_CHECK_RUNS=%d` (checks, report); data from `taizhang gen` (seed 1); "
             "county %s, village %s, period 2019." % (started.strftime("%Y-%m-%d %H:%M"), N, RUNS,
                                                      CHECK_RUNS, county, village), "",
             "| measure | Taizhang ms | peer ms | ratio | peer | goal |",
             "|---|---:|---:|---:|---|---|"]
    for m, a, b, peer, goal in table:
        lines.append("| %s | %.1f | %.1f | %.2f× | %s | %s |" % (m, a, b, a / b, peer, goal))
    lines += ["", "Peak memory (maximum resident set, GNU time) of one more CSV import: `taizhang import` "
              "%.1f MiB, `sqlite3 .import` %.1f MiB. The one-row `import` itself (its summary "
              "update included) took %.1f ms (median). `taizhang gen` wrote the %d households' "
              "ledgers in %.1f s with a peak of %.1f MiB." % (rss[0], rss[1], imp_ms, N, GEN["seconds"], GEN["rss"]),
              "", "## Machine", "", "| | |", "|---|---|"]
    for k, v in mach:
        lines.append("| %s | %s |" % (k, " ".join(v) if isinstance(v, list) else v))
    lines.append("| load average at end | %s |" % " ".join(load_end))
    lines += ["", "A rerun replaces this file; what a run's figures mean is written below it by "
              "whoever commits them."]
    with open(RESULTS, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    say("结果已写入 %s" % RESULTS)


if __name__ == "__main__":
    main()
