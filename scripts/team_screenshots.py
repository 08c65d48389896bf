"""Screenshots of the team UI (issue 20) for docs/screenshots/team-*.png, in English and
Chinese, against a real throwaway PostgreSQL hub (tests/pg_cluster.py) at 1366x768:

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/team_screenshots.py

The window is the manager zhao's laptop, joined; lina (a rep of 华东) edited the same city
later than zhao and deleted a customer zhao then edited: two real conflicts."""
from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import screenshots as shots  # noqa: E402  (sets CRMDESK_DATA_DIR to a fresh folder; the repository on sys.path)
from screenshots import OUT, settle, shoot, wait  # noqa: E402

PASSWORD = {"zhao": "zhao-secret-1", "lina": "lina-secret-1", "wang": "wang-secret-1"}
SIZE = (1366, 768)


def make_team(cluster) -> tuple[str, Path, Path]:
    """The hub, lina's laptop with the demo data (uploaded) and zhao's (downloaded), the
    conflicts made; the member URL and zhao's database."""
    import psycopg

    from crmdesk.core.db import close_database, open_database
    from crmdesk.core.models import Customer
    from crmdesk.core.customers import archive as customers
    from crmdesk.core import demo
    from crmdesk.core.sync import hub, session
    from crmdesk.core.sync.connection import parse
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute('CREATE DATABASE "crm"')
    admin = parse(cluster.url("crm"))
    hub.init(admin, manager="zhao", manager_password=PASSWORD["zhao"], team="华东")
    hub.add_user(admin, "lina", ["华东"], "rep", PASSWORD["lina"])
    hub.add_user(admin, "wang", ["华北"], "rep", PASSWORD["wang"])
    url = f"postgresql://127.0.0.1:{cluster.port}/crm"
    folder = Path(os.environ["CRMDESK_DATA_DIR"])
    lina, zhao = folder / "lina.sqlite", folder / "zhao.sqlite"
    open_database(lina)
    demo.generate(40)
    session.join(url, "lina", PASSWORD["lina"], remember=False)
    twin = Customer.get_by_id(3)
    twin_fields = {"name": twin.name, "mobile": twin.mobile, "phone": twin.phone, "city": twin.city}
    open_database(zhao)
    customers.create(twin_fields)  # zhao had typed one of lina's customers too, before joining: a pair
    session.join(url, "zhao", PASSWORD["zhao"], remember=False)
    first, second = [row.id for row in Customer.select().order_by(Customer.id).offset(1).limit(2)]  # lina's
    names = [Customer.get_by_id(i).name for i in (first, second)]
    customers.update(first, {"city": "宁波"})  # zhao's, the earlier: set aside
    open_database(lina)
    by_name = {c.name: c.id for c in Customer.select()}
    customers.update(by_name[names[0]], {"city": "温州"})  # lina's, later: it stands
    customers.delete([by_name[names[1]]])
    session.sync(PASSWORD["lina"])
    open_database(zhao)
    customers.update(second, {"address": "文三路 90 号"})  # zhao has not seen the delete
    session.sync(PASSWORD["zhao"])
    close_database()
    return url, zhao, lina


def open_team_window(app, db: Path, language: str, login: str = "zhao"):
    window = shots.open_window(app, db, language)
    window.team.controller.password = PASSWORD[login]  # no keyring here
    window.team.may_close = lambda: True
    window.resize(*SIZE)
    window.move(0, 0)
    settle(app)
    return window


def main() -> None:
    from crmdesk.ui import prefs
    from crmdesk.ui.app import make_app
    from tests.pg_cluster import Cluster
    OUT.mkdir(parents=True, exist_ok=True)
    cluster = Cluster().start()
    try:
        url, db, rep_db = make_team(cluster)
        app = make_app()
        for language, suffix in (("zh_CN", "zh"), ("en", "en")):
            window = open_team_window(app, db, language)
            team = window.team
            wait(app, lambda: team.controller.task is None and team.indicator.isVisible())
            tab = window.customers_tab
            tab.model.wait_loaded()
            tab.view.selectRow(2)
            settle(app)
            shoot(window, f"team-window-{suffix}.png")

            connect = team.connect_dialog()
            connect.server.setText(url.replace("127.0.0.1", "192.168.1.10").rsplit(":", 1)[0] + "/crm")
            connect.name.setText("lina")
            connect.password.setText("secret")
            settle(app)
            shoot(connect, f"team-connect-{suffix}.png")
            connect.reject()

            conflicts = team.conflicts_dialog()
            conflicts.table.selectRow(0)
            shoot(conflicts, f"team-conflicts-{suffix}.png")
            kinds = [row.kind for row in conflicts.rows]
            conflicts.table.selectRow(kinds.index("duplicate"))
            settle(app)
            shoot(conflicts, f"team-duplicates-{suffix}.png")
            conflicts.reject()

            tab.view.selectRow(2)
            handover = team.handover_dialog()
            handover.to_owner.setCurrentText("wang")
            handover.to_team.setCurrentIndex(handover.to_team.findText("华北"))
            shoot(handover, f"team-handover-{suffix}.png")
            handover.reject()
            team.shutdown()
            window.close()
            settle(app)

            from crmdesk.ui.complaints.deadlines_dialog import ComplaintSettingsDialog
            from crmdesk.ui.sales.stages_dialog import StagesDialog
            window = open_team_window(app, rep_db, language, "lina")  # a rep: the team's settings, no Save
            wait(app, lambda: window.team.controller.task is None)
            for kind, name in ((StagesDialog, "team-settings-rep"), (ComplaintSettingsDialog, "team-settings-rep-complaints")):
                dialog = kind(window.bus, window)
                dialog.show()
                settle(app)
                shoot(dialog, f"{name}-{suffix}.png")
                dialog.reject()
            window.team.shutdown()
            window.close()
            settle(app)
        prefs.set_language("system")
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
