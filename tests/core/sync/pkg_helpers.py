"""A team for the change-package, conflict, hand-over and number tests: a hub on the test
PostgreSQL and laptops (SQLite files) that join it under their own logins. One database is
open at a time in a process: ``Laptop.use()`` switches to it."""
from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from crmdesk.core.db import close_database, open_database
from crmdesk.core.sync import hub, session
from crmdesk.core.sync.connection import parse

PASSWORD = "pw-secret-1"


class Laptop:
    def __init__(self, team: "Team", login: str, path: Path) -> None:
        self.team, self.login, self.path = team, login, path

    def use(self) -> "Laptop":
        open_database(self.path)
        return self

    def join(self) -> session.Result:
        self.use()
        return session.join(self.team.member_url(self.login), self.login, PASSWORD, remember=False)

    def sync(self) -> session.Result:
        self.use()
        return session.sync(PASSWORD)


class Team:
    """``members``: login -> (role, [teams])."""

    def __init__(self, pg_cluster, hub_db: str, folder: Path, members: dict, time_machine=None) -> None:
        self.cluster, self.db, self.folder = pg_cluster, hub_db, folder
        self.admin = parse(pg_cluster.url(hub_db))
        if time_machine is not None:  # the laptops' clocks agree with the server's (the drift check)
            with psycopg.connect(pg_cluster.url(hub_db)) as conn:
                time_machine.move_to(conn.execute("SELECT now()").fetchone()[0], tick=True)
        hub.init(self.admin, manager="boss", manager_password=PASSWORD, team=next(iter(teams), "") if (teams := [t for _r, ts in members.values() for t in ts]) else "")
        for login, (role, teams) in members.items():
            hub.add_user(self.admin, login, teams, role, PASSWORD)

    def member_url(self, login: str) -> str:
        return f"postgresql://{login}@127.0.0.1:{self.cluster.port}/{self.db}"

    def laptop(self, login: str, name: str = "") -> Laptop:
        return Laptop(self, login, self.folder / f"{name or login}.sqlite")


def close() -> None:
    close_database()


def customer_with_everything(name: str, owner: str) -> int:
    """A customer with a visit (planned), a sale, a complaint, a care event and an open deal."""
    import datetime as dt

    from crmdesk.core.models import CareEvent, Complaint, Opportunity, Sale, Visit
    from crmdesk.core.customers import archive as customers
    cid, _ = customers.create({"name": name, "owner": owner})
    start = dt.datetime(2026, 12, 10, 9, 0)
    Visit.create(customer=cid, rep=owner, starts_at=start, ends_at=start + dt.timedelta(hours=1))
    Sale.create(customer=cid, date=dt.date(2026, 11, 2))
    Complaint.create(customer=cid, number=f"CMP-{name}", received_at=start, category="quality")
    CareEvent.create(customer=cid, kind="birthday", due_on=dt.date(2026, 12, 20))
    Opportunity.create(customer=cid, title=f"{name} deal", stage="proposal", owner=owner)
    return cid


def counts(uuid: str) -> dict:
    """What this laptop holds of the customer ``uuid``: its row and its records."""
    from crmdesk.core.models import database
    row = database.execute_sql("SELECT id, owner, team FROM customer WHERE uuid = ?", [uuid]).fetchone()
    if row is None:
        return {}
    out = {"owner": row[1], "team": row[2]}
    for table in ("visit", "sale", "complaint", "care_event", "opportunity"):
        out[table] = database.execute_sql(f'SELECT count(*) FROM "{table}" WHERE customer_id = ?', [row[0]]).fetchone()[0]
    return out


def team_fixture(members: dict):
    """The ``team`` fixture of a test module whose hub has ``members`` and nothing more:
    ``team = team_fixture(MEMBERS)``; every laptop's database is closed after the test."""
    @pytest.fixture
    def team(pg_cluster, hub_db, tmp_path, time_machine):
        made = Team(pg_cluster, hub_db, tmp_path, members, time_machine)
        yield made
        close()
    return team
