"""A large download's largest tables come through a second process (``sync.fetcher``):
the laptop ends up holding exactly what the in-process download gives it, and when the
second process fails, the laptop is as it was and the next try joins. The threshold
(``download.APART_FROM``, 200,000 records) is set to 0 here so that a small book takes
that path."""
from __future__ import annotations

import sys
from pathlib import Path

import psycopg
import pytest

from crmdesk.core.errors import CrmError
from crmdesk.core.models import database
from crmdesk.core.sync import download, download_setup, fetcher, fresh, state
from crmdesk.core.sync.entities import ENTITIES
from tests.core.sync.test_indexes_later import uploaded
from tests.core.sync.test_sync_basics import team  # noqa: F401,F811  (the fixture)


def _held(laptop) -> dict:
    """Every shared table's rows, and what a search finds."""
    held = {entity.table: laptop.sql(f'SELECT * FROM "{entity.table}" ORDER BY id') for entity in ENTITIES}
    laptop.sql("INSERT INTO customer_fts(customer_fts) VALUES ('integrity-check')")  # raises if out of step
    held["search"] = [laptop.sql("SELECT rowid FROM customer_fts WHERE customer_fts MATCH ?", [f'"{name}"'])
                      for (name,) in laptop.sql("SELECT name FROM customer ORDER BY id")]
    return held


def _attached() -> list:
    return [row[1] for row in database.execute_sql("PRAGMA database_list").fetchall() if row[1] != "temp"]


def _leftovers(laptop) -> list:
    return sorted(p.name for p in Path(laptop.path).parent.glob(f".{Path(laptop.path).name}.download-*"))


def test_tables_fetched_by_the_second_process_hold_what_the_download_in_process_gives(team, monkeypatch):
    uploaded(team)  # li's laptop uploaded a demo book of 12 customers with their visits
    team.add("wang", ["A"], role="manager")
    in_process = team.laptop("boss").join()  # in this process: 15 customers' records are far below the threshold
    monkeypatch.setattr(download, "APART_FROM", 0)
    started = []
    real = fetcher.Fetcher.__init__

    def counted(self, conn, jobs):
        started.append([job.name for job in jobs])
        real(self, conn, jobs)
    monkeypatch.setattr(fetcher.Fetcher, "__init__", counted)
    steps = []
    wang = team.laptop("wang")
    wang.open()
    from crmdesk.core.sync import session
    got = session.join(team.member_url("wang"), "wang", wang.password, remember=False,
                       progress=lambda done, total, phase: steps.append((done, total, phase)))

    assert _attached() == ["main"]  # the scratch files were detached (before the laptop is opened again)
    assert database.execute_sql("PRAGMA foreign_keys").fetchone() == (1,)  # checked again after the download
    download_setup.checkpointing.join()  # the WAL copied into the file by a thread of its own, then the usual again
    assert database.execute_sql("PRAGMA wal_autocheckpoint").fetchone() == (1000,)
    assert started == [[name for group in download.APART for name in group]]  # every table but two
    boss, mine = _held(team.laptop("boss")), _held(wang)
    assert mine == boss
    assert len(mine["visit"]) > 100 and len(mine["points_entry"]) > 10 and all(mine["search"])
    assert got.pulled == in_process.pulled  # reported alike
    downloads = [s for s in steps if s[2] == "download"]
    assert downloads[-1][0] == downloads[-1][1]  # the progress counts the second process's records too
    assert _leftovers(wang) == []
    assert wang.sql("PRAGMA integrity_check") == [("ok",)]
    assert wang.sql("PRAGMA foreign_key_check") == []


def test_the_follow_ups_between_fetched_visits_are_linked(team, monkeypatch):
    uploaded(team)
    monkeypatch.setattr(download, "APART_FROM", 0)
    li_links = team.laptop("li").sql(
        "SELECT v.uuid, n.uuid FROM visit v JOIN visit n ON n.id = v.next_visit_id ORDER BY v.uuid")
    assert li_links  # the demo's visits name their follow-ups
    boss = team.laptop("boss")
    boss.join()
    assert boss.sql("SELECT v.uuid, n.uuid FROM visit v JOIN visit n ON n.id = v.next_visit_id "
                    "ORDER BY v.uuid") == li_links


def test_a_follow_up_that_was_left_out_is_named_by_nothing(team, monkeypatch):
    """A record whose parent the hub no longer holds is left out; a visit of another
    customer that named it as its follow-up names nothing (foreign keys are off while the
    rows go in, so nothing else would catch it)."""
    uploaded(team)
    li = team.laptop("li")
    (gone,), (kept,) = li.sql("SELECT uuid FROM customer WHERE id IN (SELECT customer_id FROM visit) ORDER BY id LIMIT 2")
    of = "SELECT v.uuid FROM visit v JOIN customer c ON c.id = v.customer_id WHERE c.uuid = ? ORDER BY v.id LIMIT 1"
    (gone_visit,), = li.sql(of, [gone])
    (a_visit,), = li.sql(of, [kept])
    team.query("UPDATE sync.record SET doc = doc || jsonb_build_object('next_visit_id', %s::text) WHERE uuid = %s",
               [gone_visit, a_visit])
    team.query("DELETE FROM sync.record WHERE uuid = %s", [gone])
    monkeypatch.setattr(download, "APART_FROM", 0)
    boss = team.laptop("boss")
    boss.join()
    assert boss.sql("SELECT count(*) FROM visit WHERE uuid = ?", [gone_visit]) == [(0,)]
    assert boss.sql("SELECT next_visit_id FROM visit WHERE uuid = ?", [a_visit]) == [(None,)]
    assert boss.sql("SELECT count(*) FROM visit WHERE next_visit_id IS NOT NULL")[0][0] > 10  # the others are linked
    assert boss.sql("PRAGMA foreign_key_check") == []


def test_a_failure_in_the_second_process_leaves_the_laptop_as_it_was_and_the_next_try_joins(team, monkeypatch):
    uploaded(team)
    monkeypatch.setattr(download, "APART_FROM", 0)
    real = fetcher.Job.__init__

    def broken(self, name, query, params, path, own=()):
        real(self, name, query.replace("uuid::text", "no_such_column::text", 1) if name == "sale" else query,
             params, path, own)
    monkeypatch.setattr(fresh, "Job", type("Job", (fetcher.Job,), {"__init__": broken}))
    boss = team.laptop("boss")
    with pytest.raises(psycopg.errors.UndefinedColumn):  # the same kind of error as in this process
        boss.join()
    assert _attached() == ["main"]
    for entity in ENTITIES:
        assert boss.sql(f'SELECT count(*) FROM "{entity.table}"') == [(0,)], entity.table
    assert state.read()["phase"] == "download"
    assert _leftovers(boss) == []

    monkeypatch.undo()
    monkeypatch.setattr(download, "APART_FROM", 0)
    boss.join()
    assert boss.sql("SELECT count(*) FROM sale") == team.laptop("li").sql("SELECT count(*) FROM sale")
    assert boss.sql("SELECT count(*) FROM visit") == team.laptop("li").sql("SELECT count(*) FROM visit")


def test_a_second_process_that_dies_is_told_as_a_lost_connection(team, monkeypatch):
    uploaded(team)
    monkeypatch.setattr(download, "APART_FROM", 0)
    monkeypatch.setattr(fetcher, "COMMAND", [sys.executable, "-c", "import os, sys; sys.stderr.write('gone\\n'); os._exit(3)"])
    boss = team.laptop("boss")
    with pytest.raises(CrmError) as raised:
        boss.join()
    assert raised.value.code == "sync_offline"  # "the server cannot be reached": try again later
    assert boss.sql("SELECT count(*) FROM customer") == [(0,)]
    assert _leftovers(boss) == []


def test_what_a_killed_download_left_behind_is_removed_by_the_next(team, monkeypatch):
    uploaded(team)
    boss = team.laptop("boss")
    boss.open()
    left = Path(boss.path).parent / f".{Path(boss.path).name}.download-killed"
    left.mkdir()
    (left / "visit.sqlite").write_bytes(b"x" * 1000)
    other = Path(boss.path).parent / ".someone-else.sqlite.download-1"  # another database's: not touched
    other.mkdir()
    boss.join()
    assert not left.exists() and other.exists()


def test_cancelled_while_the_second_process_fetches_leaves_the_laptop_as_it_was(team, monkeypatch):
    """Cancel in the progress dialog: the progress callback raises while the download
    waits for the second process; that process is stopped, and nothing stays."""
    from crmdesk.core.progress import Cancelled
    from crmdesk.core.sync import session
    uploaded(team)
    monkeypatch.setattr(download, "APART_FROM", 0)
    processes = []
    real = fetcher.Fetcher.__init__

    def kept(self, conn, jobs):
        real(self, conn, jobs)
        processes.append(self._process)
    monkeypatch.setattr(fetcher.Fetcher, "__init__", kept)

    def cancel(done, total, phase):
        if phase == "download" and processes:
            raise Cancelled()
    boss = team.laptop("boss")
    boss.open()
    with pytest.raises(Cancelled):
        session.join(team.member_url("boss"), "boss", boss.password, progress=cancel, remember=False)
    assert processes[0].poll() is not None  # stopped and waited for
    assert boss.sql("SELECT count(*) FROM customer") == [(0,)]
    assert _leftovers(boss) == []
    boss.join()
    assert boss.sql("SELECT count(*) FROM visit") == team.laptop("li").sql("SELECT count(*) FROM visit")


def test_a_laptop_with_customers_of_its_own_takes_the_others_visits_from_the_second_process(team, monkeypatch):
    """A laptop that held customers but no visits uploads, then downloads the team's: its
    visit table is empty, so the visits come through the second process, with foreign keys
    checked as usual and the follow-ups set after, in id order."""
    from tests.core.sync.test_sync_basics import new_customer
    uploaded(team)
    monkeypatch.setattr(download, "APART_FROM", 0)
    team.add("wang", ["A"], role="manager")
    wang = team.laptop("wang")
    wang.open()
    new_customer("王总的老客户")
    wang.join()
    links = "SELECT v.uuid, n.uuid FROM visit v JOIN visit n ON n.id = v.next_visit_id ORDER BY v.uuid"
    assert wang.sql(links) == team.laptop("li").sql(links) != []
    assert wang.sql("SELECT count(*) FROM customer") == [(team.laptop("li").sql("SELECT count(*) FROM customer")[0][0] + 1,)]
    assert wang.sql("PRAGMA foreign_key_check") == []


def test_a_full_disk_in_the_second_process_is_told_as_a_full_disk(team, monkeypatch):
    """Its scratch files are beside the database: a full disk there is the same sentence
    as a full disk anywhere (``safety.oserrors``), and the laptop is as it was."""
    import sqlite3

    from crmdesk.core.safety.oserrors import disk_full_error
    uploaded(team)
    monkeypatch.setattr(download, "APART_FROM", 0)
    said = 'failed {"kind": "OperationalError", "module": "sqlite3", "text": "database or disk is full"}'
    monkeypatch.setattr(fetcher, "COMMAND", [sys.executable, "-c", f"import sys; sys.stdin.read(); print({said!r})"])
    boss = team.laptop("boss")
    with pytest.raises(sqlite3.OperationalError) as raised:
        boss.join()
    assert disk_full_error(raised.value).code == "disk_full"
    assert boss.sql("SELECT count(*) FROM customer") == [(0,)]
    assert _leftovers(boss) == []
