"""Customer list speed at 10k / 100k / 1M customers (run on demand, not in the tests).

    .venv/bin/python benchmarks/bench_list.py --customers 10000 100000 1000000

For each size it builds (or reuses) a demo database under bench-data/, then measures
through the real table model and an offscreen QTableView: time to first screen, page
fetch while scrolling (p50/p95), search keystroke to results (p95), sort by name and by
city, and the memory of the open app; each against a bare ``SELECT ... LIMIT`` on the same
database in the same run, with the ratio."""
from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "bench-data"
VISIBLE_ROWS = 32


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def ensure_database(count: int) -> Path:
    from crmdesk.core.db import close_database, open_database
    from crmdesk.core.customers import archive as customers
    from crmdesk.core import demo
    DATA.mkdir(exist_ok=True)
    path = DATA / f"demo-{count}.sqlite"
    os.environ["CRMDESK_DATA_DIR"] = str(DATA / "data")
    open_database(path)
    if customers.count() != count:
        close_database()
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        open_database(path)
        start = time.perf_counter()
        # The customer list needs no visits: a million customers' would be some 12M rows, 13 GB.
        result = demo.generate(count, visits=count < 1_000_000)
        seconds = time.perf_counter() - start
        print(f"  demo --customers {count}: {seconds:.1f} s, {count / seconds:,.0f} customers/s, "
              f"{(result.customers + result.contacts + result.transactions) / seconds:,.0f} rows/s")
    close_database()
    return path


def bare_first_screen(database, columns: str) -> float:
    start = time.perf_counter()
    database.execute_sql(f"SELECT id, {columns} FROM customer c WHERE deleted_at IS NULL "
                         f"ORDER BY sort_name LIMIT {VISIBLE_ROWS}").fetchall()
    return time.perf_counter() - start


def screen(model, rows: range) -> None:
    for row in rows:
        for column in range(model.columnCount()):
            model.index(row, column).data()


def measure(path: Path, count: int) -> dict:
    from PySide6.QtWidgets import QApplication, QTableView
    from crmdesk.core.db import open_database
    from crmdesk.core.models import database
    from crmdesk.core.customers import list as customer_list
    from crmdesk.core.customers.list import ListQuery
    from crmdesk.ui.customers.source import CustomerSource
    from crmdesk.ui.common.table_model import PAGE_SIZE, LazyTableModel

    app = QApplication.instance() or QApplication([])
    open_database(path)
    database.execute_sql("ANALYZE")
    keys = list(customer_list.DEFAULT_COLUMNS)
    columns = ", ".join(customer_list.BY_KEY[k].sql for k in keys)
    results: dict[str, tuple[float, float]] = {}

    # first screen: a new model, set the query, every cell of the visible rows
    firsts, loads, bares = [], [], []
    for _ in range(7):
        model = LazyTableModel(CustomerSource(), keys, ListQuery())
        view = QTableView()
        view.resize(1280, 800)
        view.setModel(model)
        start = time.perf_counter()
        model.set_query(ListQuery())
        screen(model, range(min(VISIBLE_ROWS, model.rowCount())))
        firsts.append(time.perf_counter() - start)
        model.wait_loaded()
        loads.append(time.perf_counter() - start)
        bares.append(bare_first_screen(database, columns))
        app.processEvents()
    results["first screen"] = (statistics.median(firsts), statistics.median(bares))
    results["all ids loaded (background)"] = (statistics.median(loads), statistics.median(bares))

    # scrolling: uncached pages at random positions
    rng = random.Random(7)
    page_times, bare_times = [], []
    for _ in range(300):
        row = rng.randrange(model.rowCount())
        model._pages.clear()
        start = time.perf_counter()
        model.index(row, 1).data()
        page_times.append(time.perf_counter() - start)
        first = (row // PAGE_SIZE) * PAGE_SIZE
        ids = model._ids[first:first + PAGE_SIZE].tolist()
        start = time.perf_counter()
        database.execute_sql(f"SELECT id, {columns} FROM customer c WHERE id IN ({','.join('?' * len(ids))})", ids).fetchall()
        bare_times.append(time.perf_counter() - start)
    results["scroll page p50"] = (pct(page_times, 0.5), pct(bare_times, 0.5))
    results["scroll page p95"] = (pct(page_times, 0.95), pct(bare_times, 0.95))

    # search: what a user types, one keystroke at a time, to the first screen of results
    # The same 12 customers in every run, so that runs before and after a change compare.
    top = database.execute_sql("SELECT max(id) FROM customer").fetchone()[0]
    picked = random.Random(12).sample(range(1, top + 1), min(12, top))
    sample = database.execute_sql("SELECT name, name_initials, sort_name, code, mobile, city FROM customer "
                                  f"WHERE id IN ({','.join('?' * len(picked))}) ORDER BY id", picked).fetchall()
    words = ["bjhr", "beijing", "北京华润", "上海", "王", "138"]
    for name, initials, pinyin, code, mobile, city in sample:
        words += [name[:4], initials[:4], pinyin[:6], code, mobile[:7], city]
    keystrokes = [w[:i] for w in words if w for i in range(1, len(w) + 1)]
    search_times, bare_times = [], []
    for text in keystrokes:
        start = time.perf_counter()
        model.set_query(ListQuery(search=text))
        screen(model, range(min(VISIBLE_ROWS, model.rowCount())))
        search_times.append(time.perf_counter() - start)
        bare_times.append(bare_first_screen(database, columns))
    model.wait_loaded()
    slowest = sorted(zip(search_times, keystrokes), reverse=True)[:8]
    print("  slowest keystrokes: " + ", ".join(f"{text} {seconds * 1000:.0f} ms" for seconds, text in slowest))
    results[f"search keystroke p50 ({len(keystrokes)} keys)"] = (pct(search_times, 0.5), pct(bare_times, 0.5))
    results[f"search keystroke p95 ({len(keystrokes)} keys)"] = (pct(search_times, 0.95), pct(bare_times, 0.95))
    results["search keystroke max"] = (max(search_times), max(bare_times))

    for label, query in (("sort by name, descending", ListQuery(sort="name", descending=True)),
                         ("sort by city", ListQuery(sort="city")),
                         ("filter tier=key", ListQuery(filters=(("tier", "key"),)))):
        start = time.perf_counter()
        model.set_query(query)
        screen(model, range(min(VISIBLE_ROWS, model.rowCount())))
        shown = time.perf_counter() - start
        model.wait_loaded()
        results[label] = (shown, bare_first_screen(database, columns))
        results[label + ": all ids"] = (time.perf_counter() - start, results[label][1])
    return results


def app_memory(path: Path) -> float:
    """Peak resident memory (MB) of a process that opens the main window on ``path`` and
    waits for the whole list."""
    code = (
        "import os, resource, sys; os.environ['QT_QPA_PLATFORM']='offscreen';"
        f"sys.path.insert(0, {str(ROOT)!r});"
        "from crmdesk.ui.app import create_main_window, make_app;"
        f"w = create_main_window({str(path)!r}); w.show(); make_app().processEvents();"
        "w.customers_tab.model.wait_loaded();"
        "[w.customers_tab.model.index(r, 0).data() for r in range(0, w.customers_tab.model.rowCount(), 997)];"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    env = dict(os.environ, CRMDESK_DATA_DIR=str(DATA / "data-mem"))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    for count in args.customers:
        print(f"\n== {count:,} customers ==")
        path = ensure_database(count)
        results = measure(path, count)
        print(f"  {'measure':44} {'crmdesk':>11} {'bare SQL':>11} {'ratio':>7}")
        for label, (ours, bare) in results.items():
            print(f"  {label:44} {ms(ours)} {ms(bare)} {ours / bare if bare else float('nan'):7.1f}x")
        from crmdesk.core.db import close_database
        close_database()
        print(f"  memory of the open app (peak RSS): {app_memory(path):.0f} MB")


if __name__ == "__main__":
    main()
