"""A download's largest tables fetched by a second process (``download``): turning the
hub's rows into Python values and binding them into SQLite kept one core busy while the
other stood nearly idle (the GIL lets one thread at a time do it). The second process
reads the same REPEATABLE READ snapshot (``pg_export_snapshot``), so it fetches exactly
what the download's own transaction sees, and writes each table's rows, as the hub gave
them, into a scratch SQLite file of its own. The download's connection attaches each file
once it is complete and copies it in with one ``INSERT … SELECT``: SQLite's own work, no
Python value made per row.

The second process is ``python -m crmdesk.core.sync.fetcher``, not ``multiprocessing``,
which would import the app's main module again in it. What it is asked (the address, the
password, the snapshot, the tables) comes as one JSON text on its stdin, never on its
command line; it answers a line at a time on its stdout: ``progress N``, ``done TABLE``,
``failed {"kind", "module", "text"}`` and, last, ``end``."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Callable

import psycopg
from psycopg import sql

CHUNK = 5_000  # records per fetch
COMMAND = [sys.executable, "-m", "crmdesk.core.sync.fetcher"]
# The scratch files: nothing in them outlives the download, so no journal and no syncing.
PRAGMAS = ("PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF", "PRAGMA cache_size = -65536")


class Job:
    """One table: its query on the hub (the record's uuid first, how many fields it has
    last), and the scratch file its rows go to, in a table of the job's name whose columns
    are ``column1`` … (the names SQLite gives a ``VALUES`` list's). Several jobs may share
    a file (SQLite attaches ten at most); the download attaches it once all of them are
    done. ``own``: the columns that name another record of the same table by uuid; the
    second process turns them into that record's row number (its ``rowid``), which the
    download gives the record as its id."""

    def __init__(self, name: str, query: str, params: list, path: Path, own: tuple = ()) -> None:
        self.name, self.query, self.params, self.path, self.own = name, query, params, Path(path), tuple(own)


class Fetcher:
    """The parent's side: start the second process, then wait for each table in turn."""

    def __init__(self, conn: psycopg.Connection, jobs: list[Job]) -> None:
        self.jobs = {job.name: job for job in jobs}
        self.counts: dict[str, tuple[int, int]] = {}  # table -> (records, fields), once it is done
        self.attached: dict[Path, str] = {}  # scratch file -> the name the download attached it as
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        package_root = str(Path(__file__).resolve().parents[3])  # the folder that holds ``crmdesk``
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])))
        self._process = subprocess.Popen(
            COMMAND, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
            encoding="utf-8", creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))  # Windows: no console window
        request = {"dsn": conn.info.dsn, "password": conn.info.password, "snapshot": snapshot,
                   "jobs": [[job.name, job.query, job.params, str(job.path), list(job.own)] for job in jobs]}
        try:
            self._process.stdin.write(json.dumps(request))
            self._process.stdin.close()
        except OSError:  # it ended at once: what it said is read by ``wait``
            pass

    def attach(self, name: str, run: Callable[[str, list], None]) -> str:
        """``name``'s table as the download's connection reads it (``alias.name``): its file
        attached through ``run`` the first time (SQLite allows it within a transaction)."""
        path = self.jobs[name].path
        if path not in self.attached:
            self.attached[path] = f"fetched_{path.stem}"
            run(f"ATTACH DATABASE ? AS {self.attached[path]}", [str(path)])
        return f'{self.attached[path]}."{name}"'

    def wait(self, name: str, progress: Callable[[int], None]) -> None:
        """Return once the scratch file of ``name`` is complete (every table in it);
        ``progress(records)`` meanwhile."""
        path = self.jobs[name].path
        while any(job.name not in self.counts for job in self.jobs.values() if job.path == path):
            line = self._process.stdout.readline()
            if not line:
                said = self._process.stderr.read().strip().splitlines()
                code = self._process.wait()
                raise psycopg.OperationalError(f"the download's second process ended unexpectedly (exit code "
                                               f"{code}{': ' + said[-1] if said else ''})")
            word, _space, rest = line.rstrip("\n").partition(" ")
            if word == "progress":
                progress(int(rest))
            elif word == "done":
                table, records, fields = rest.split(" ")
                self.counts[table] = (int(records), int(fields))
            elif word == "failed":
                raise _error(**json.loads(rest))

    def close(self, failed: bool = False) -> None:
        """Wait for the second process to end; stop it at once if the download failed."""
        if failed and self._process.poll() is None:
            self._process.kill()
        for stream in (self._process.stdout, self._process.stderr):
            stream.read()  # what is left ("end"), so that it cannot block on a full pipe
            stream.close()
        self._process.wait()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, kind, _value, _traceback) -> None:
        self.close(failed=kind is not None)


def _error(kind: str, module: str, text: str) -> Exception:
    """The second process's exception as the same kind here, where it is psycopg's or
    SQLite's (the session tells a dropped network from a refusal by it, a full disk from a
    damaged file), else as a RuntimeError."""
    if module.startswith("psycopg"):
        found = getattr(psycopg.errors, kind, None) or getattr(psycopg, kind, None)
        if isinstance(found, type) and issubclass(found, psycopg.Error):
            return found(text)
    if module == "sqlite3":
        found = getattr(sqlite3, kind, None)
        if isinstance(found, type) and issubclass(found, sqlite3.Error):
            return found(text)
    return RuntimeError(f"{kind}: {text}")


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def fetch(request: dict) -> None:
    """The second process's work."""
    try:
        with psycopg.connect(request["dsn"], password=request["password"], autocommit=True,
                             application_name="crmdesk-fetch") as conn:
            with conn.transaction():
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                conn.execute(sql.SQL("SET TRANSACTION SNAPSHOT {}").format(sql.Literal(request["snapshot"])))
                for name, query, params, path, own in request["jobs"]:
                    _one(conn, Job(name, query, params, path, own))
    except Exception as error:  # noqa: BLE001 - told to the parent, which raises it there
        _say("failed " + json.dumps({"kind": type(error).__name__, "module": type(error).__module__,
                                     "text": str(error)}, ensure_ascii=False))
        return
    _say("end")


def _one(conn: psycopg.Connection, job: Job) -> None:
    scratch = sqlite3.connect(job.path, isolation_level=None)
    table = f'"{job.name}"'
    try:
        for pragma in PRAGMAS:
            scratch.execute(pragma)
        scratch.execute("BEGIN")
        with conn.cursor(name=f"fetch_{job.name}") as cur:
            cur.itersize = CHUNK
            cur.execute(job.query, job.params)
            width = len(cur.description)
            scratch.execute(f"CREATE TABLE {table} ({', '.join(f'column{n}' for n in range(1, width + 1))})")
            insert = f"INSERT INTO {table} VALUES ({', '.join('?' * width)})"
            while True:
                rows = cur.fetchmany(CHUNK)
                if not rows:
                    break
                scratch.executemany(insert, rows)
                _say(f"progress {len(rows)}")
        if job.own:
            scratch.execute(f'CREATE INDEX "{job.name}_uuid" ON {table} (column1)')
            for column in job.own:
                scratch.execute(f"UPDATE {table} SET column{column} = (SELECT t.rowid FROM {table} AS t "
                                f"WHERE t.column1 = {table}.column{column}) WHERE column{column} IS NOT NULL")
        records, fields = scratch.execute(f"SELECT count(*), coalesce(sum(column{width}), 0) FROM {table}").fetchone()
        scratch.execute("COMMIT")
    finally:
        scratch.close()
    _say(f"done {job.name} {records} {fields}")


if __name__ == "__main__":
    fetch(json.loads(sys.stdin.read()))
