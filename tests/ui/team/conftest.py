"""The team UI against a real PostgreSQL hub (tests/pg_cluster.py): a hub with a team
"North", a rep "lina" and a manager "zhao"; the laptop's clock set to the hub's (the core
refuses a laptop more than five minutes off, and every test pins its own "now")."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

REP, REP_PASSWORD = "lina", "lina-secret-1"
MANAGER, MANAGER_PASSWORD = "zhao", "zhao-secret-1"


@dataclass
class Hub:
    admin_url: str
    url: str  # for a member: postgresql://127.0.0.1:PORT/DB
    database: str

    def admin(self):
        import psycopg
        return psycopg.connect(self.admin_url, autocommit=True)


@pytest.fixture(autouse=True)
def keyring_in_memory(monkeypatch):
    """No system keyring in tests: the passwords a test keeps stay in this dict."""
    from crmdesk.core.sync import passwords
    kept: dict[str, str] = {}
    monkeypatch.delenv("CRMDESK_PASSWORD", raising=False)
    monkeypatch.setattr(passwords, "remember", lambda url, login, pw: kept.__setitem__(f"{login}@{url}", pw) or True)
    monkeypatch.setattr(passwords, "recall", lambda url, login: kept.get(f"{login}@{url}"))
    monkeypatch.setattr(passwords, "forget", lambda url, login: kept.pop(f"{login}@{url}", None))
    return kept


@pytest.fixture
def hub(pg_cluster, hub_db, time_machine) -> Hub:
    import psycopg

    from crmdesk.core.sync import hub as hubmod
    from crmdesk.core.sync.connection import parse
    admin_url = pg_cluster.url(hub_db)
    address = parse(admin_url)
    # the first manager is not the administrator: hub_db drops the member logins afterwards
    hubmod.init(address, manager=MANAGER, manager_password=MANAGER_PASSWORD, team="North")
    hubmod.add_user(address, REP, ["North"], "rep", REP_PASSWORD)
    with psycopg.connect(admin_url) as conn:
        server_now = conn.execute("SELECT now()").fetchone()[0]
    time_machine.move_to(server_now, tick=True)  # the laptop agrees with its hub's clock
    return Hub(admin_url, f"postgresql://127.0.0.1:{pg_cluster.port}/{hub_db}", hub_db)


@pytest.fixture
def team_window(hub, window):
    """The main window on a fresh database, with the hub to join; closes without asking
    (pytest-qt closes it before fixtures end; the close tests ``del`` this to be asked)."""
    window.team.may_close = lambda: True
    return window


def join(qtbot, window, hub: Hub, user: str = REP, password: str = REP_PASSWORD):
    """Join as ``user`` through the controller (the connect dialog's own test types it), and
    wait for the sync that follows a join at once."""
    controller = window.team.controller
    with qtbot.waitSignals([controller.joined, controller.synced], timeout=30000):
        controller.join(hub.url, user, password, True)
    return controller
