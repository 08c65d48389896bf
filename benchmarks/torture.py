"""Nothing lost, measured (issue 17): random SIGKILLs during writing commands, then the
hostile-file corpus. Run on demand on an idle machine; not a test.

    .venv/bin/python benchmarks/torture.py [--kills 100] [--rows 50000] [--seed S] [--quick]

1. Kills. A demo database of ``--customers`` customers and a ``--rows``-row customer sheet
   are made first; then each operation runs once unkilled (its time is the baseline, and
   its result is the "new" state), then ``--kills`` times in all (spread over the
   operations in turn), each killed with SIGKILL after a random delay within its baseline
   time, from a seeded RNG (the seed is printed: ``--seed`` replays a run):

   - ``import``: ``import customers`` of the sheet into a copy of the demo database;
   - ``demo``: ``demo`` into an empty database;
   - ``backup``: ``backup`` of the imported database to a new file;
   - ``restore``: ``restore`` of the demo database's backup over the imported one;
   - ``concurrent``: two ``import customers`` (each half the sheet) into one database at
     once, one of them killed; the other must finish (or say in one sentence that the
     database is busy).

   After each kill: ``PRAGMA integrity_check``, ``foreign_key_check``, FTS5
   ``integrity-check`` of both search indexes, the schema version, the customer count
   the old or the new one (never in between), and the next command (a 3-row import)
   works. A backup's target must be absent or pass the same checks with the source's
   count. It prints tried / killed / survived / failed per operation.

2. Hostile files: every file in ``../shared/data/hostile`` plus the generated bombs
   (``torture_files.py``), each imported with ``import customers`` in its own process:
   exit code, the sentence (the last line of stderr, else of stdout), peak RSS (the
   child's own ``VmHWM``, else ``os.wait4``'s) and seconds, against the baseline of a 100-row good sheet imported in the
   same run, and how many customers it added (files meant to be imported add some).
   Budget: 2 s and 100 MB each, a traceback never.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import torture_files as TF  # noqa: E402

# ../shared/data beside the project (a git worktree one level deeper: ../../shared/data)
HOSTILE = next((p for p in (ROOT.parent / "shared/data/hostile", ROOT.parent.parent / "shared/data/hostile")
                if p.is_dir()), ROOT.parent / "shared/data/hostile")
SECONDS_BUDGET, MB_BUDGET = 2.0, 100


# ---- running the command line ---------------------------------------------------------------

# ``crmdesk`` in a child that writes its own peak RSS (VmHWM, kB) to argv[1] as it exits.
# wait4's ru_maxrss would do, were it not that Linux counts the memory the child had before
# its exec, which is the parent's: every child would weigh at least what this script weighs.
LAUNCH = """
import atexit, sys
def peak(path=sys.argv[1]):
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                open(path, "w").write(line.split()[1])
    except OSError:
        pass
atexit.register(peak)
from crmdesk.__main__ import main
sys.argv = ["crmdesk"] + sys.argv[2:]
raise SystemExit(main(sys.argv[1:]))
"""

class Run:
    """One ``crmdesk`` process, its output in files; ``finish()`` reaps it with its rusage."""

    def __init__(self, folder: Path, db: Path, *args: str):
        self.out = tempfile.NamedTemporaryFile(dir=folder, prefix="out-", delete=False)
        self.err = tempfile.NamedTemporaryFile(dir=folder, prefix="err-", delete=False)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "CRMDESK_DATA_DIR": str(folder / "data")}
        env.pop("CRMDESK_DB", None)
        self.peak_file = Path(f"{self.out.name}.peak")
        self.start = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "-c", LAUNCH, str(self.peak_file), "--db", str(db), *args],
                                     stdout=self.out, stderr=self.err, env=env, cwd=folder)
        self.code = self.seconds = self.peak_mb = None

    def kill_after(self, delay: float) -> bool:
        """SIGKILL after ``delay`` seconds; False when it had finished before."""
        try:
            self.proc.wait(timeout=delay)
            return False
        except subprocess.TimeoutExpired:
            self.proc.send_signal(signal.SIGKILL)
            return True

    def finish(self) -> "Run":
        if self.code is None:
            if self.proc.returncode is None:
                _pid, status, usage = os.wait4(self.proc.pid, 0)
                self.proc.returncode = os.waitstatus_to_exitcode(status)
                self.peak_mb = usage.ru_maxrss / 1024
            self.seconds = time.perf_counter() - self.start
            self.code = self.proc.returncode
            if self.peak_file.exists():  # the child's own high-water mark (see LAUNCH)
                self.peak_mb = int(self.peak_file.read_text()) / 1024
            self.out.close()
            self.err.close()
        return self

    @property
    def stderr(self) -> str:
        return Path(self.err.name).read_text(errors="replace")

    @property
    def sentence(self) -> str:
        """The last line of stderr (the error's sentence), else of stdout (the summary)."""
        for text in (self.stderr, Path(self.out.name).read_text(errors="replace")):
            lines = [line for line in text.splitlines() if line.strip()]
            if lines:
                return lines[-1]
        return ""


def crmdesk(folder: Path, db: Path, *args: str) -> Run:
    return Run(folder, db, *args).finish()


# ---- checking a database after a kill ---------------------------------------------------------

def latest_version() -> int:
    from crmdesk.core.migrations import latest_version as latest
    return latest()


def check(db: Path, counts: set[int], allow_missing: bool = False) -> str:
    """"" when the database is whole, its schema current and its customer count one of
    ``counts``; else what is wrong."""
    if not db.exists() or db.stat().st_size == 0:
        return "" if allow_missing else "database missing"
    try:
        with sqlite3.connect(db) as conn:
            if allow_missing and not conn.execute("select count(*) from sqlite_master").fetchone()[0]:
                return ""  # killed before the schema's transaction committed: still empty
            problems = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                return f"integrity_check: {problems[:3]}"
            if conn.execute("PRAGMA foreign_key_check").fetchall():
                return "foreign_key_check failed"
            for table in ("customer_fts", "customer_words"):
                try:
                    conn.execute(f"INSERT INTO {table}({table}, rank) VALUES('integrity-check', 1)")
                except sqlite3.DatabaseError as error:
                    return f"{table} integrity-check: {error}"
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version != latest_version():
                return f"schema version {version}, expected {latest_version()}"
            count = conn.execute("select count(*) from customer").fetchone()[0]
            if count not in counts:
                return f"{count} customers, expected one of {sorted(counts)}"
    except sqlite3.DatabaseError as error:
        return f"cannot open: {error}"
    return ""


def customers(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("select count(*) from customer").fetchone()[0]


def next_command_works(folder: Path, db: Path) -> str:
    done = crmdesk(folder, db, "import", "customers", str(folder / "tiny.xlsx"))
    return "" if done.code == 0 else f"next command: exit {done.code}: {done.sentence}"


# ---- the operations ---------------------------------------------------------------------------

class Scenario:
    """One operation: ``prepare`` a fresh target, ``start`` it, ``verify`` after the kill."""

    def __init__(self, name: str, folder: Path):
        self.name, self.folder = name, folder
        self.tried = self.killed = self.survived = 0
        self.failures: list[str] = []
        self.notes: dict[str, int] = {}  # what the writer that was not killed said, and how often
        self.baseline = 0.0

    def record(self, killed: bool, problem: str) -> None:
        self.tried += 1
        self.killed += killed
        if problem:
            self.failures.append(problem)
        else:
            self.survived += 1


def run_kills(folder: Path, files: dict, kills: int, rng: random.Random, customers_n: int) -> list[Scenario]:
    demo_db, full_db, demo_backup = files["demo_db"], files["full_db"], files["demo_backup"]
    old_demo, new_full = customers(demo_db), customers(full_db)
    work, target = folder / "work.sqlite", folder / "copy.sqlite"

    def fresh(source: Path | None) -> None:
        for path in (work, Path(f"{work}-wal"), Path(f"{work}-shm"), target):
            path.unlink(missing_ok=True)
        if source is not None:
            shutil.copy(source, work)

    def import_op():
        fresh(demo_db)
        return [Run(folder, work, "import", "customers", str(files["sheet"]))], {old_demo, new_full}

    def demo_op():
        fresh(None)
        return [Run(folder, work, "demo", "--customers", str(customers_n))], {0, old_demo}

    def backup_op():
        fresh(full_db)
        return [Run(folder, work, "backup", str(target))], {new_full}

    def restore_op():
        fresh(full_db)
        return [Run(folder, work, "restore", str(demo_backup))], {old_demo, new_full}

    halves = (files["half_a"], files["half_b"])
    added_a, added_b = files["half_added"]
    half_counts = {old_demo + a + b for a in (0, added_a) for b in (0, added_b)}

    def concurrent_op():
        fresh(demo_db)
        return [Run(folder, work, "import", "customers", str(half)) for half in halves], half_counts

    scenarios = [(Scenario(name, folder), op) for name, op in
                 (("import", import_op), ("demo", demo_op), ("backup", backup_op), ("restore", restore_op),
                  ("concurrent", concurrent_op))]
    for scenario, op in scenarios:  # the baseline: each operation once, unkilled
        runs, counts = op()
        for run in runs:
            run.finish()
        scenario.baseline = max(run.seconds for run in runs)
        bad = [r for r in runs if r.code != 0]
        print(f"  {scenario.name:<10} unkilled: {scenario.baseline:6.2f} s, exit {[r.code for r in runs]}"
              + (f" ({bad[0].sentence})" if bad else ""))
    for k in range(kills):
        scenario, op = scenarios[k % len(scenarios)]
        runs, counts = op()
        delay = rng.uniform(0.05, max(scenario.baseline, 0.1))
        victim = rng.randrange(len(runs))
        killed = runs[victim].kill_after(delay)
        for run in runs:
            run.finish()
        problem = ""
        others = [r for i, r in enumerate(runs) if i != victim]
        for other in others:  # the concurrent writer that was not killed
            if other.code != 0 and ("Traceback" in other.stderr or other.code not in (2, 3)):
                problem = f"the other writer: exit {other.code}: {other.sentence}"
            elif other.code != 0:
                note = f"exit {other.code}: {other.sentence}"
                scenario.notes[note] = scenario.notes.get(note, 0) + 1
        problem = problem or check(work, counts, allow_missing=scenario.name == "demo")
        if not problem and scenario.name == "backup":
            problem = check(full_db, {new_full}) or (check(target, {new_full}) if target.exists() else "")
        if not problem:
            problem = next_command_works(folder, work)
        if problem:
            problem = f"kill {k} after {delay:.2f} s: {problem}"
        scenario.record(killed, problem)
    return [scenario for scenario, _op in scenarios]


# ---- the hostile files ----------------------------------------------------------------------

def run_hostile(folder: Path, good: Path, bombs: list[Path], hostile: Path) -> list[tuple]:
    db = folder / "hostile.sqlite"
    crmdesk(folder, db, "import", "customers", str(folder / "tiny.xlsx"))
    rows = []
    files = [("baseline", good)] + [("hostile", p) for p in sorted(hostile.glob("*"))] + [("bomb", p) for p in bombs]
    for kind, path in files:
        copy = folder / "hostile" / path.name
        copy.parent.mkdir(exist_ok=True)
        if not copy.exists():
            shutil.copy(path, copy)
        before = customers(db)
        run = crmdesk(folder, db, "import", "customers", str(copy))
        rows.append((kind, path.name, run.code, run.sentence.replace(f"{copy.parent}{os.sep}", ""), run.peak_mb, run.seconds,
                     "Traceback" in run.stderr, customers(db) - before))
    return rows


# ---- main ---------------------------------------------------------------------------------------

def prepare(folder: Path, rows: int, customers_n: int) -> dict:
    start = time.perf_counter()
    (folder / "data").mkdir(exist_ok=True)
    half = rows // 2
    files = {"sheet": TF.good_sheet(folder, rows, "customers.xlsx", start=1_000_000),
             "half_a": TF.good_sheet(folder, half, "half-a.xlsx", start=2_000_000),
             "half_b": TF.good_sheet(folder, half, "half-b.xlsx", start=3_000_000),
             "half_rows": half, "demo_db": folder / "demo.sqlite", "full_db": folder / "full.sqlite",
             "demo_backup": folder / "demo-backup.sqlite"}
    TF.good_sheet(folder, 3, "tiny.xlsx", start=4_000_000)
    done = crmdesk(folder, files["demo_db"], "demo", "--customers", str(customers_n))
    assert done.code == 0, done.stderr
    assert crmdesk(folder, files["demo_db"], "backup", str(files["demo_backup"])).code == 0
    shutil.copy(files["demo_db"], files["full_db"])
    done = crmdesk(folder, files["full_db"], "import", "customers", str(files["sheet"]))
    assert done.code == 0, done.stderr
    added = []
    for half in (files["half_a"], files["half_b"]):  # what each half adds alone
        alone = folder / "alone.sqlite"
        shutil.copy(files["demo_db"], alone)
        assert crmdesk(folder, alone, "import", "customers", str(half)).code == 0
        added.append(customers(alone) - customers(files["demo_db"]))
        alone.unlink()
    files["half_added"] = tuple(added)
    print(f"prepared in {time.perf_counter() - start:.1f} s: demo of {customers(files['demo_db']):,} customers "
          f"({files['demo_db'].stat().st_size / 1e6:.1f} MB), a {rows:,}-row sheet, imported: "
          f"{customers(files['full_db']):,} customers ({files['full_db'].stat().st_size / 1e6:.1f} MB)")
    return files


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, help="SIGKILLs in all, spread over the operations (100; --quick 10)")
    parser.add_argument("--rows", type=int, help="rows of the customer sheet (50,000; --quick 2,000)")
    parser.add_argument("--customers", type=int, help="customers of the demo database (5,000; --quick 300)")
    parser.add_argument("--seed", type=int, default=None, help="the RNG seed (default: a new one, printed)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: smaller defaults (see above)")
    parser.add_argument("--hostile", type=Path, default=HOSTILE, help=f"the hostile corpus ({HOSTILE})")
    parser.add_argument("--no-kills", action="store_true")
    parser.add_argument("--no-hostile", action="store_true")
    args = parser.parse_args(argv)
    for name, full, quick in (("kills", 100, 10), ("rows", 50_000, 2_000), ("customers", 5_000, 300)):
        if getattr(args, name) is None:
            setattr(args, name, quick if args.quick else full)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**9)
    print(f"torture: seed {seed}, {args.kills} kills, {args.rows:,} rows, {args.customers:,} demo customers"
          + (" (smoke run)" if args.quick else ""))
    failed = 0
    with tempfile.TemporaryDirectory(prefix="crmdesk-torture-") as folder:
        folder = Path(folder)
        files = prepare(folder, args.rows, args.customers)
        if not args.no_kills:
            scenarios = run_kills(folder, files, args.kills, random.Random(seed), args.customers)
            print(f"\n{'operation':<11} {'tried':>5} {'killed':>6} {'survived':>8} {'failed':>6}  unkilled s")
            for s in scenarios:
                print(f"{s.name:<11} {s.tried:>5} {s.killed:>6} {s.survived:>8} {len(s.failures):>6}  {s.baseline:8.2f}")
                for failure in s.failures:
                    print(f"    FAILED {failure}")
                for note, times in s.notes.items():
                    print(f"    the writer not killed, {times}x: {note}")
                failed += len(s.failures)
        if not args.no_hostile:
            start = time.perf_counter()
            bombs = TF.make_all(folder / "bombs")
            print(f"\ngenerated {len(bombs)} bombs in {time.perf_counter() - start:.1f} s")
            if not args.hostile.is_dir():
                print(f"the hostile corpus is not at {args.hostile}: bombs only")
            rows = run_hostile(folder, TF.good_sheet(folder, 100, "good-100.xlsx", start=5_000_000), bombs,
                               args.hostile)
            base_s, base_mb = rows[0][5], rows[0][4]
            print(f"{'kind':<8} {'file':<42} {'exit':>4} {'peak MB':>7} {'x base':>6} {'s':>6} {'x base':>6}  sentence")
            for kind, name, code, sentence, mb, seconds, traceback, added in rows:
                over = kind != "baseline" and (seconds > SECONDS_BUDGET or mb > MB_BUDGET or traceback)
                failed += traceback
                flag = "  OVER BUDGET" if over else ""
                print(f"{kind:<8} {name[:42]:<42} {code:>4} {mb:7.1f} {mb / base_mb:6.2f} {seconds:6.2f} "
                      f"{seconds / base_s:6.2f}  {sentence[:150]}{flag}"
                      + (" TRACEBACK" if traceback else "") + (f" ({added} customers added)" if added else ""))
    print(f"\nseed {seed}: {failed} failure(s)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
