"""Start-up: process start to the customer list's first rows (run on demand).

    .venv/bin/python benchmarks/bench_start.py [--sizes 2000,100000,1000000] [--runs 3]
                                               [--data /tmp/crmdesk-bench-start] [--no-visits]

For each size, makes (once, cached in ``--data``) a demo database with ``crmdesk demo
--customers N`` (1,000,000 with ``--no-visits``: a million customers' visits take some 13 GB;
``--no-visits`` applies it to every size), then launches ``python -m crmdesk --db FILE`` under
``QT_QPA_PLATFORM=offscreen`` with ``CRMDESK_BENCH_START`` set to the launch time: the app
prints ``CRMDESK_FIRST_ROWS <seconds>`` once the customer list has fetched its first rows for
painting, and quits. The first launch on a new database (its migrations, the automatic
backup) is a warm-up and not counted. Baseline in the same run: a bare ``python -c`` that
imports PySide6.QtWidgets and shows a QMainWindow, timed the same way (launch to the window's
first event-loop turn). Prints, per size, the median and range of the runs, the ratio to the
baseline, and the peak RSS (each child's ru_maxrss, from wait4). Target: under 1.5 s at a million
customers, flat in the data's size."""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.5
MARK = "CRMDESK_FIRST_ROWS"
BARE = (
    "import os, sys, time\n"
    "from PySide6.QtCore import QTimer\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication(sys.argv[:1])\n"
    "window = QMainWindow(); window.resize(1280, 800); window.show()\n"
    "def done():\n"
    f"    print('{MARK}', f\"{{time.time() - float(os.environ['CRMDESK_BENCH_START']):.3f}}\", flush=True)\n"
    "    app.quit()\n"
    "QTimer.singleShot(0, done)\n"
    "app.exec()\n")


def environment(data: Path) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT),
               CRMDESK_DATA_DIR=str(data / "app-data"))
    env.pop("CRMDESK_BENCH_START", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: byte-code cached, not compiled each start
    return env


def make_database(size: int, data: Path, no_visits: bool) -> Path:
    path = data / f"start-{size}{'-nv' if no_visits else ''}.sqlite"
    if path.exists():
        return path
    print(f"making {path} ({size:,} customers)…", flush=True)
    started = time.perf_counter()
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    command = [sys.executable, "-m", "crmdesk", "--db", str(partial), "demo", "--customers", str(size)]
    subprocess.run(command + (["--no-visits"] if no_visits else []), check=True, env=environment(data),
                   stdout=subprocess.DEVNULL)
    for suffix in ("-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    partial.rename(path)
    print(f"  made in {time.perf_counter() - started:.0f} s", flush=True)
    return path


def launch(args: list[str], data: Path) -> tuple[float, int]:
    """(seconds from launch to the marker, peak RSS of this child in MB, from wait4)."""
    env = environment(data)
    env["CRMDESK_BENCH_START"] = repr(time.time())
    child = subprocess.Popen([sys.executable, *args], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
    out = child.stdout.read()
    _pid, _status, usage = os.wait4(child.pid, 0)
    child.returncode = 0  # reaped here
    for line in out.splitlines():
        if line.startswith(MARK):
            return float(line.split()[1]), usage.ru_maxrss // 1024
    raise SystemExit(f"no {MARK} from {args}:\n{out[-3000:]}")


def measure(args: list[str], data: Path, runs: int) -> tuple[list[float], int]:
    times, peak = [], 0
    for _ in range(runs):
        seconds, rss = launch(args, data)
        times.append(seconds)
        peak = max(peak, rss)
    return times, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,100000,1000000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "crmdesk-bench-start")
    parser.add_argument("--no-visits", action="store_true", help="no visits at any size (always at 1,000,000)")
    options = parser.parse_args()
    options.data.mkdir(parents=True, exist_ok=True)
    sizes = [int(s.replace("_", "")) for s in options.sizes.split(",") if s.strip()]
    databases = {size: make_database(size, options.data, options.no_visits or size >= 1_000_000) for size in sizes}

    bare, bare_rss = measure(["-c", BARE], options.data, options.runs)
    base = statistics.median(bare)
    print(f"{'bare PySide6 + QMainWindow':>28}: {base:6.2f} s (runs {min(bare):.2f}–{max(bare):.2f}), "
          f"peak RSS ~{bare_rss} MB")
    rows = []
    for size, path in databases.items():
        launch(["-m", "crmdesk", "--db", str(path)], options.data)  # warm-up: migrations, the daily backup
        times, rss = measure(["-m", "crmdesk", "--db", str(path)], options.data, options.runs)
        median = statistics.median(times)
        rows.append((size, median))
        verdict = "ok" if median < TARGET else f"over the {TARGET} s target"
        print(f"{size:>20,} customers: {median:6.2f} s (runs {min(times):.2f}–{max(times):.2f}), "
              f"{median / base:4.1f}x bare, peak RSS ~{rss} MB  {verdict}", flush=True)
    if len(rows) > 1:
        print(f"largest / smallest: {rows[-1][1] / rows[0][1]:.2f}x for {rows[-1][0] / rows[0][0]:,.0f}x the data")
    print("(peak RSS: the child's ru_maxrss; figures on a shared machine vary)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
