"""How fast demo data is generated, against a bare insert measured in the same run.

    .venv/bin/python benchmarks/bench_demo.py --customers 100000
    .venv/bin/python benchmarks/bench_demo.py --customers 100000 --compare

Creates a temporary database, runs ``demo.generate`` and prints customers per second and
rows per second (customers, contacts, transactions, tags, change log), with the time of
each phase. The baseline is a bare ``executemany`` of as many minimal customer rows
(id, code, name) into a plain table of a database with the same settings, in one
transaction: the ratio says what generating and indexing realistic rows costs on top.
``--compare`` also runs the other ways of bulk inserting that ``demo`` can take (the
full-text trigger per row instead of one INSERT ... SELECT per chunk, indexes kept instead of built after).
"""
from __future__ import annotations

import argparse
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crmdesk.core import db as dbmod  # noqa: E402
from crmdesk.core import demo  # noqa: E402


def baseline(folder: Path, count: int, repeat: int = 3) -> float:
    """Seconds for a bare executemany of ``count`` minimal rows into a plain table: the
    best of ``repeat`` runs, each into a new database."""
    return min(_baseline_once(folder, count) for _ in range(repeat))


def _baseline_once(folder: Path, count: int) -> float:
    path = folder / "baseline.sqlite"
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        for name, value in dbmod.PRAGMAS.items():
            connection.execute(f"PRAGMA {name} = {value}")
        connection.execute("CREATE TABLE plain (id INTEGER PRIMARY KEY, code TEXT NOT NULL, "
                           "name TEXT NOT NULL)")
        start = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany("INSERT INTO plain (id, code, name) VALUES (?, ?, ?)",
                               ((n, f"C{n:06d}", f"客户{n}") for n in range(1, count + 1)))
        connection.execute("COMMIT")
        return time.perf_counter() - start
    finally:
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def run_demo(folder: Path, count: int, seed: int, label: str) -> dict:
    path = folder / f"demo-{label}.sqlite"
    dbmod.open_database(path)
    marks: dict[str, float] = {}
    start = time.perf_counter()

    def progress(done: int, total: int, _message: str) -> None:
        if done >= count and "inserted" not in marks:
            marks["inserted"] = time.perf_counter() - start
        if done == total:
            marks["indexed"] = time.perf_counter() - start

    try:
        # A million customers and more without visits (some 12M rows, 13 GB at a million).
        result = demo.generate(count, seed=seed, progress=progress, visits=count < 1_000_000)
        seconds = time.perf_counter() - start
    finally:
        dbmod.close_database()
    size = sum(Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists())
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return {"label": label, "result": result, "seconds": seconds, "marks": marks, "bytes": size}


def report(run: dict, base_seconds: float, count: int) -> None:
    result, seconds, marks = run["result"], run["seconds"], run["marks"]
    base_rate = count / base_seconds
    inserted = marks.get("inserted", seconds)
    indexed = marks.get("indexed", inserted)
    print(f"[{run['label']}]")
    print(f"  rows: {result.customers:,} customers, {result.contacts:,} contacts, "
          f"{result.transactions:,} transactions, {result.tags:,} tags, {result.changes:,} changes "
          f"= {result.rows:,}")
    print(f"  total {seconds:.2f} s: generate+insert {inserted:.2f} s, build indexes "
          f"{indexed - inserted:.2f} s, commit+checkpoint {seconds - indexed:.2f} s")
    print(f"  {count / seconds:,.0f} customers/s, {result.rows / seconds:,.0f} rows/s, "
          f"database {run['bytes'] / 1e6:,.0f} MB")
    print(f"  bare insert is {base_rate / (count / seconds):.1f}x the customers/s and "
          f"{base_rate / (result.rows / seconds):.1f}x the rows/s")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED)
    parser.add_argument("--compare", action="store_true",
                        help="also time the other bulk-insert strategies")
    parser.add_argument("--dir", type=Path, default=None, help="where the temporary databases go")
    args = parser.parse_args(argv)
    count = args.customers

    folder = Path(tempfile.mkdtemp(prefix="bench_demo_", dir=args.dir))
    try:
        print(f"demo.generate({count:,}) in {folder}; SQLite {sqlite3.sqlite_version}, "
              f"Python {sys.version.split()[0]}")
        base_seconds = baseline(folder, count)
        print(f"[baseline] bare executemany of {count:,} minimal rows (best of 3): {base_seconds:.3f} s, "
              f"{count / base_seconds:,.0f} rows/s")
        strategies = [("chosen", demo.FTS_PER_CHUNK, demo.DEFER_INDEXES)]
        if args.compare:
            strategies += [(f"fts_per_chunk={fts} defer_indexes={defer}", fts, defer)
                           for fts in (True, False) for defer in (True, False)
                           if (fts, defer) != (demo.FTS_PER_CHUNK, demo.DEFER_INDEXES)]
        chosen = (demo.FTS_PER_CHUNK, demo.DEFER_INDEXES)
        try:
            for label, fts, defer in strategies:
                demo.FTS_PER_CHUNK, demo.DEFER_INDEXES = fts, defer
                report(run_demo(folder, count, args.seed, label.replace(" ", "_")), base_seconds, count)
        finally:
            demo.FTS_PER_CHUNK, demo.DEFER_INDEXES = chosen
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory {peak:,.0f} MB")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
