"""How responsive the window stays while an import runs off the GUI thread (DESIGN §5).

    .venv/bin/python benchmarks/bench_import_gui.py [--rows 100000]

The import shares the GIL with the GUI thread; a GUI thread that waits for it cannot
paint or answer clicks. This runs ``import customers`` of a generated sheet (as
bench_import.py writes it) on a worker thread, as the wizard does, while a QTimer on the
GUI thread asks to run every 5 ms, and prints the gaps between its runs: median, p99 and
the longest, and how many exceeded 50 ms and 100 ms (what a user notices). The baseline,
in the same run, is the same timer with the GUI thread alone."""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def gaps_while(app, busy: threading.Thread | None, seconds: float) -> list[float]:
    from PySide6.QtCore import QTimer
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick():
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        last[0] = now
        if (busy is not None and not busy.is_alive()) or (busy is None and len(gaps) * 0.005 >= seconds):
            app.quit()

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    if busy is not None:
        busy.start()
    last[0] = time.perf_counter()
    app.exec()
    timer.stop()
    return gaps


def report(label: str, gaps: list[float]) -> None:
    ordered = sorted(gaps)
    p99 = ordered[int(len(ordered) * 0.99) - 1]
    print(f"{label}: {len(gaps)} ticks, gap median {statistics.median(gaps):.1f} ms, p99 {p99:.1f} ms, "
          f"longest {ordered[-1]:.0f} ms, over 50 ms: {sum(g > 50 for g in gaps)}, over 100 ms: {sum(g > 100 for g in gaps)}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--switch-interval", type=float, default=None,
                        help="the GIL switch interval the import sets, in seconds (to compare with 0.005, Python's own)")
    args = parser.parse_args(argv)
    if args.switch_interval is not None:
        from crmdesk.core import bulk_write
        bulk_write.SWITCH_INTERVAL = args.switch_interval
    import bench_import
    from PySide6.QtWidgets import QApplication
    from crmdesk.core.db import close_database, open_database
    from crmdesk.core.imports import customer_import
    from crmdesk.core.imports.options import ImportOptions
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="crmdesk-bench-") as folder:
        folder = Path(folder)
        xlsx, _csv = bench_import.write_files(folder, args.rows)
        report("GUI thread alone (5 s)", gaps_while(app, None, 5))
        open_database(folder / "gui.sqlite")
        outcome = {}

        def work():
            start = time.perf_counter()
            result, _plan = customer_import.import_file(xlsx, ImportOptions())
            outcome["seconds"], outcome["rows"] = time.perf_counter() - start, result.created

        gaps = gaps_while(app, threading.Thread(target=work), 0)
        close_database()
        report(f"during the import of {outcome['rows']:,} rows ({outcome['seconds']:.1f} s)", gaps)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
