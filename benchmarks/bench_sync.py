"""Team sync's speed against a real PostgreSQL started for the run (issue 20; spec
team-sync, "Benchmark"). Run on demand, on an idle machine:

    .venv/bin/python benchmarks/bench_sync.py [--customers 100000] [--reps 50] [--edits 2000]
                                              [--visits] [--laptops N] [--keep]

Builds a demo laptop database (``demo.generate``; ``--visits`` adds their ~12 visits each),
spreads its customers over ``--reps`` teams of one rep each, then measures, with the bare
PostgreSQL write of the same rows in the same run as the baseline:

- joining with data: the manager's laptop uploads everything (``session.join``); baseline:
  ``COPY`` of the same record rows (uuid, entity, jsonb document) into an unindexed table;
- joining empty: the desk downloads everything; baseline: a bare ``SELECT`` of the hub's
  records fetched to the client; then, timed on their own, the indexes the download left
  for after it (the app's first sync builds them while the window is open);
- one working day: every rep's laptop (a download of its team's customers first) makes
  ``--edits`` edits and syncs (push and pull), timed per laptop; baseline: ``executemany``
  of the same rows into an unindexed PostgreSQL table;
- the desk's pull of everyone's day; baseline: the bare ``SELECT`` of those feed rows;
- a pull with nothing new (the median of 50)."""
from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def clock(label: str, seconds: float, baseline: float | None = None, extra: str = "") -> None:
    ratio = f"  ({seconds / baseline:5.1f}x the bare write/read: {baseline:7.3f} s)" if baseline else ""
    print(f"{label:<58} {seconds:8.3f} s{ratio} {extra}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--edits", type=int, default=2000)
    parser.add_argument("--visits", action="store_true")
    parser.add_argument("--shared-buffers", default="128MB", help="the hub's shared_buffers (1GB measured no faster here)")
    parser.add_argument("--laptops", type=int, default=0, help="rep laptops timed for the working day (default: all)")
    parser.add_argument("--keep", action="store_true", help="keep the laptops' files (4 GB at 100,000 with visits)")
    args = parser.parse_args()

    import psycopg
    from crmdesk.core import bulk_indexes, db as dbmod
    from crmdesk.core.models import Customer, database
    from crmdesk.core import demo
    from crmdesk.core.sync import hub, session
    from crmdesk.core.sync.connection import parse
    from tests.pg_cluster import Cluster

    work = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    # PostgreSQL's default memory unless --shared-buffers says otherwise.
    cluster = Cluster(f"-c shared_buffers={args.shared_buffers} -c max_wal_size=4GB").start()
    try:
        with psycopg.connect(cluster.url(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE crm")
        admin = parse(cluster.url("crm"))
        teams = [f"T{n:02d}" for n in range(args.reps)]
        hub.init(admin, manager="boss", manager_password="pw", team=teams[0])
        for n, team in enumerate(teams):
            hub.add_user(admin, f"rep{n:02d}", [team], "rep", "pw")
        hub.add_user(admin, "desk", [], "desk", "pw")
        url = f"postgresql://127.0.0.1:{cluster.port}/crm"

        start = time.perf_counter()
        dbmod.open_database(work / "boss.sqlite")
        demo.generate(args.customers, visits=args.visits)
        database.execute_sql("UPDATE customer SET team = 'T' || printf('%02d', id % ?)", [args.reps])
        counts = {t: database.execute_sql(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                  for t in ("customer", "contact", "visit", "sale", "transactions", "complaint", "care_event")}
        print(f"demo laptop: {counts} ({time.perf_counter() - start:.0f} s to build)", flush=True)

        start = time.perf_counter()
        result = session.join(url, "boss", "pw")
        upload = time.perf_counter() - start
        with psycopg.connect(cluster.url("crm")) as conn:
            rows = conn.execute("SELECT count(*) FROM sync.record").fetchone()[0]
            fields = conn.execute("SELECT sum((SELECT count(*) FROM jsonb_object_keys(doc))) FROM sync.record").fetchone()[0]
            conn.execute("CREATE UNLOGGED TABLE bare (uuid uuid, entity text, doc jsonb)")
            same = conn.execute("SELECT uuid, entity, doc::text FROM sync.record").fetchall()
            start = time.perf_counter()
            with conn.cursor() as cur:
                with cur.copy("COPY bare FROM STDIN") as copy:
                    for row in same:
                        copy.write_row(row)
            conn.commit()
            copy_time = time.perf_counter() - start
            del same  # 2.7 million rows held on would slow what follows (each of Python's full collections walks them)
        clock(f"join with data: upload of {result.pushed:,} fields", upload, copy_time,
              f"[{rows:,} records, {fields:,} fields on the hub]")
        dbmod.close_database()

        start = time.perf_counter()
        dbmod.open_database(work / "desk.sqlite")
        got = session.join(url, "desk", "pw")
        download = time.perf_counter() - start
        with psycopg.connect(cluster.url("crm")) as conn:
            start = time.perf_counter()
            fetched = conn.execute("SELECT entity, uuid::text, doc::text, hlc, actor, times::text "
                                   "FROM sync.record").fetchall()
            select_time = time.perf_counter() - start
            fetched_count = len(fetched)
            fetched = [row[:2] for row in fetched[: args.edits]]  # the uuids the day's baseline writes
        clock(f"join empty (desk): download of {got.pulled:,} fields", download, select_time)
        start = time.perf_counter()
        built = bulk_indexes.build_later()  # the app's first sync after the join does this, in the background
        clock(f"  then the {built} indexes left for after it", time.perf_counter() - start)
        desk_customers = Customer.select().count()
        dbmod.close_database()

        laptops = list(range(args.reps))[: args.laptops or args.reps]
        pushes, pulls, joins, builds = [], [], [], []
        rng = random.Random(20)
        for n in laptops:
            dbmod.open_database(work / f"rep{n:02d}.sqlite")
            start = time.perf_counter()
            session.join(url, f"rep{n:02d}", "pw")
            joins.append(time.perf_counter() - start)
            start = time.perf_counter()
            bulk_indexes.build_later()  # what the first sync after the join does first: not the day's
            builds.append(time.perf_counter() - start)
            ids = [row[0] for row in database.execute_sql("SELECT id FROM customer")]
            with database.atomic():
                for i in range(args.edits):
                    database.execute_sql("UPDATE customer SET notes = ? WHERE id = ?",
                                         [f"拜访记录 {n}-{i}", rng.choice(ids)])
            start = time.perf_counter()
            done = session.sync("pw")
            pushes.append(time.perf_counter() - start)
            start = time.perf_counter()
            session.sync("pw")
            pulls.append(time.perf_counter() - start)
            dbmod.close_database()
            assert done.pushed == args.edits, done
        with psycopg.connect(cluster.url("crm")) as conn:
            conn.execute("CREATE UNLOGGED TABLE bare_day (uuid uuid, field text, value text, hlc text)")
            rows = [(str(fetched[i][1]), "notes", json.dumps(f"x{i}"), "h") for i in range(args.edits)]
            start = time.perf_counter()
            with conn.cursor() as cur:
                cur.executemany("INSERT INTO bare_day VALUES (%s, %s, %s, %s)", rows)
            conn.commit()
            bare_day = time.perf_counter() - start
        clock(f"rep joins (its team's ~{args.customers // args.reps:,} customers), median", statistics.median(joins),
              extra=f"[then its indexes: {statistics.median(builds):.3f} s]")
        clock(f"a rep's day: {args.edits:,} edits synced (push+pull), median", statistics.median(pushes), bare_day,
              f"[max {max(pushes):.3f} s over {len(pushes)} laptops]")

        dbmod.open_database(work / "desk.sqlite")
        with psycopg.connect(cluster.url("crm")) as conn:
            start = time.perf_counter()
            feed = conn.execute("SELECT * FROM sync.change ORDER BY xid, seq DESC LIMIT %s",
                                [args.edits * len(laptops)]).fetchall()
            bare_feed = time.perf_counter() - start
        start = time.perf_counter()
        day = session.sync("pw")
        desk_pull = time.perf_counter() - start
        clock(f"the desk's pull of everyone's day ({day.pulled:,} fields)", desk_pull, bare_feed)
        times = []
        for _ in range(50):
            start = time.perf_counter()
            session.sync("pw")
            times.append(time.perf_counter() - start)
        clock("a sync with nothing new (median of 50; hello, pull, push, conflicts)", statistics.median(times))
        print(f"desk holds {desk_customers:,} customers; fetched {fetched_count:,} rows, {len(feed):,} feed rows")
        dbmod.close_database()
    finally:
        cluster.stop()
        if args.keep:
            print(f"laptops kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
