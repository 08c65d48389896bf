"""An empty laptop's download leaves the indexes that only speed up lists and reports for
after it (``bulk_indexes.later``): the laptop holds every record, its unique indexes and
those the download reads, and the next sync (offline too), leaving the team, a migration or
``crmdesk team join`` itself builds the rest, one committed index at a time."""
from __future__ import annotations

import io
import json
import re

import pytest

from crmdesk import cli
from crmdesk.core import bulk_indexes, db, migrations
from crmdesk.core.errors import CrmError
from crmdesk.core.sync import session
from tests.core.sync.test_sync_basics import team  # noqa: F401,F811  (the fixture)

INDEXES = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"


def uploaded(team) -> dict:
    """li's laptop with a small demo book, joined (uploaded); its indexes, all there."""
    from crmdesk.core import demo
    team.add("li", ["A"])
    li = team.laptop("li").open()
    demo.generate(12, visits=True)
    li.sql("UPDATE customer SET team = 'A'")
    li.join()
    return dict(li.sql(INDEXES))


def test_the_download_leaves_the_list_indexes_and_the_next_sync_builds_them(team):
    every = uploaded(team)
    boss = team.laptop("boss")
    got = boss.join()
    assert got.pulled > 0
    held = dict(boss.sql(INDEXES))
    missing = set(every) - set(held)
    assert bulk_indexes.waiting() == len(missing) > 20
    assert held.items() <= every.items()  # nothing else, and each as it was
    # unique ones, the uuid's and one reference column's are there at once
    assert {"customer_uuid", "customer_code", "visit_uuid", "visit_customer_id", "contact_customer_id",
            "complaint_number", "points_entry_transaction_id"} <= set(held)
    assert {"visit_starts_at", "customer_live_sort_name", "complaint_open_due"} <= missing
    assert boss.sql("SELECT count(*) FROM visit") == team.laptop("li").sql("SELECT count(*) FROM visit") != [(0,)]

    steps = []
    boss.open()
    session.sync(boss.password, lambda done, total, phase: steps.append((done, total, phase)))
    assert dict(boss.sql(INDEXES)) == every
    assert bulk_indexes.waiting() == 0
    assert [s for s in steps if s[2] == "indexes"] == [(n, len(missing), "indexes") for n in range(1, len(missing) + 1)]
    assert bulk_indexes.build_later() == 0  # nothing left: a second call does nothing


def test_a_build_stopped_midway_goes_on_where_it_stopped(team):
    every = uploaded(team)
    boss = team.laptop("boss")
    boss.join()
    first = bulk_indexes.waiting()

    def stop_after_two(done, _total):
        if done == 2:
            raise KeyboardInterrupt  # the app closed
    with pytest.raises(KeyboardInterrupt):
        bulk_indexes.build_later(stop_after_two)
    assert bulk_indexes.waiting() == first - 2  # the two built were committed, and taken off the list
    # An index made meanwhile by another process (or a run stopped after its build) is skipped.
    from crmdesk.core.models import database
    stored = database.execute_sql("SELECT value FROM setting WHERE key = ?", [bulk_indexes.LATER]).fetchone()[0]
    database.execute_sql(json.loads(stored)[0])
    assert bulk_indexes.build_later() == first - 2
    assert dict(boss.sql(INDEXES)) == every


def test_a_sync_that_cannot_reach_the_server_still_builds_them(team):
    every = uploaded(team)
    boss = team.laptop("boss")
    boss.join()
    assert bulk_indexes.waiting() > 0
    with pytest.raises(CrmError):
        session.sync("not-the-password")
    assert bulk_indexes.waiting() == 0
    assert dict(boss.sql(INDEXES)) == every


def test_leaving_the_team_builds_them_first(team):
    every = uploaded(team)
    boss = team.laptop("boss")
    boss.join()
    session.leave()
    assert bulk_indexes.waiting() == 0
    assert dict(boss.sql(INDEXES)) == every


def test_a_migration_runs_after_they_are_built(team, monkeypatch):
    every = uploaded(team)
    boss = team.laptop("boss")
    boss.join()
    version = db.migrate()
    seen = []

    class Step:
        @staticmethod
        def up(database):
            seen.append((bulk_indexes.waiting(), dict(database.execute_sql(INDEXES).fetchall()) == every))

    monkeypatch.setattr(migrations, "pending", lambda at: [(version + 1, Step)] if at == version else [])
    assert db.migrate() == version + 1
    assert seen == [(0, True)]


def test_team_join_on_the_command_line_builds_them(team):
    every = uploaded(team)
    boss = team.laptop("boss")
    db.close_database()
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(["team", "join", team.member_url("boss"), "--user", "boss", "--password", boss.password,
                    "--db", str(boss.path)], out, err)
    assert code == 0, err.getvalue()
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Joined the team at ")
    assert lines[-2].startswith("pushed 0, pulled ")
    built = re.fullmatch(r"Built (\d+) indexes for the lists\.", lines[-1])
    assert built and int(built.group(1)) > 20, lines
    assert dict(boss.sql(INDEXES)) == every


def test_a_database_another_program_keeps_locked_is_one_sentence_and_loses_nothing(team):
    import sqlite3

    from crmdesk.core.models import database
    uploaded(team)
    boss = team.laptop("boss")
    boss.join()
    first = bulk_indexes.waiting()
    other = sqlite3.connect(boss.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program is writing
    database.execute_sql("PRAGMA busy_timeout = 0")  # give up at once instead of after 5 s
    try:
        with pytest.raises(CrmError) as raised:
            bulk_indexes.build_later()
        assert raised.value.code == "db_busy"
        assert bulk_indexes.waiting() == first
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert bulk_indexes.build_later() == first


def test_the_lists_and_reports_work_while_their_indexes_wait(team):
    """A query that names its index (``INDEXED BY``) asks ``indexed_by`` first: SQLite
    refuses one that names an index not there yet. The same answers before and after."""
    import datetime as dt

    from crmdesk.core.analytics import facts
    from crmdesk.core.care import list as care_list, reminders
    from crmdesk.core.complaints import list as complaint_list, stats
    from crmdesk.core.customers import list as customer_list
    from crmdesk.core.sales import figures
    from crmdesk.core.visits import planning
    uploaded(team)
    boss = team.laptop("boss")
    boss.join()
    stored = json.loads(boss.sql("SELECT value FROM setting WHERE key = ?", [bulk_indexes.LATER])[0][0])
    for name in ("visit_live_calendar", "transactions_live", "care_event_open", "complaint_stats_group",
                 "customer_live_id_sort", "customer_live_due"):
        assert any(sql.startswith(f'CREATE INDEX "{name}"') for sql in stored) and bulk_indexes.indexed_by(name) == ""
    today, now = dt.date(2026, 12, 7), dt.datetime(2026, 12, 7, 9, 0)

    reminders.wake(today - dt.timedelta(days=1))  # it writes (the care rules run): once, before comparing
    assert reminders.wake(today).last_seen == today - dt.timedelta(days=1)  # and counts what was missed since

    def everything():
        return (list(customer_list.first_ids(customer_list.ListQuery(search="有限"), 20)),
                care_list.counts(today), complaint_list.escalations(now), stats.statistics(),
                figures.everything(figures.Period(), today), sorted(facts.load(today)),
                list(planning.due_ids(planning.DueQuery(today=today))),
                planning.in_range(today - dt.timedelta(days=400), today + dt.timedelta(days=400)))
    waiting = everything()
    assert bulk_indexes.build_later() > 0
    assert bulk_indexes.indexed_by("visit_live_calendar") == "INDEXED BY visit_live_calendar "
    assert everything() == waiting


def test_every_query_naming_an_index_asks_whether_it_is_there():
    import re
    from pathlib import Path
    root = Path(__file__).resolve().parents[3] / "crmdesk"
    named = [f"{path.relative_to(root)}: {line.strip()}" for path in root.rglob("*.py")
             if path.name not in ("bulk_indexes.py", "damage.py")  # damage probes only indexes it found
             for line in path.read_text(encoding="utf-8").splitlines() if re.search(r"INDEXED BY [\w\"]", line)]
    assert named == []


def test_a_sync_goes_on_when_the_window_keeps_the_database_busy(team, monkeypatch):
    """Seen in the app at 30,000 customers: the care rules' first run held the write lock
    past the busy timeout while the sync after the join built indexes; the sync failed and
    the status bar said "Not synced" for a minute. Now the indexes wait for the next sync."""
    uploaded(team)
    boss = team.laptop("boss")
    boss.join()
    first = bulk_indexes.waiting()
    real = bulk_indexes.build_later

    def busy(progress=None):
        raise CrmError("db_busy")
    monkeypatch.setattr(bulk_indexes, "build_later", busy)
    session.sync(boss.password)  # no error
    assert bulk_indexes.waiting() == first
    monkeypatch.setattr(bulk_indexes, "build_later", real)
    session.sync(boss.password)
    assert bulk_indexes.waiting() == 0


def test_a_sync_stopped_by_a_busy_database_is_one_sentence_and_loses_nothing(team):
    import sqlite3

    from crmdesk.core.customers import archive as customers
    from crmdesk.core.models import database
    uploaded(team)
    boss = team.laptop("boss")
    boss.join()
    boss.sync()
    customers.create({"name": "杭州新客户贸易有限公司"})
    waiting = database.execute_sql("SELECT count(*) FROM sync_outbox").fetchone()[0]
    other = sqlite3.connect(boss.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # the window's long write
    database.execute_sql("PRAGMA busy_timeout = 0")
    try:
        with pytest.raises(CrmError) as raised:
            session.sync(boss.password)
        assert raised.value.code == "db_busy"
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert database.execute_sql("SELECT count(*) FROM sync_outbox").fetchone()[0] == waiting > 0
    assert session.sync(boss.password).pushed > 0


def test_building_stops_between_two_indexes_when_asked(team):
    uploaded(team)
    boss = team.laptop("boss")
    boss.join()
    first = bulk_indexes.waiting()
    answers = iter([False, True])  # the window closes while the first index is built
    assert bulk_indexes.build_later(stop=lambda: next(answers)) == 1
    assert bulk_indexes.waiting() == first - 1
