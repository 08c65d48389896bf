"""The team filters as a manager uses them (issue 20): choose a team in the combo of the
visits (list and calendar), the complaints, the pipeline (board and list), the customers
and the analytics, and only that team's customers' rows are shown; a database without
teams shows no team filter at all (a laptop used alone sees no change)."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk.core.models import database

NORTH, EAST = "华北", "华东"


@pytest.fixture
def teams_data(db_path):
    """Demo data whose customers are a third in each of two teams, a third in none: written
    before the window opens the file, as a team laptop's database after a pull."""
    from crmdesk.core.db import close_database, open_database
    from crmdesk.core import demo
    open_database(db_path)
    demo.generate(120)
    database.execute_sql("UPDATE customer SET team = ? WHERE id % 3 = 1", (NORTH,))
    database.execute_sql("UPDATE customer SET team = ? WHERE id % 3 = 2", (EAST,))
    close_database()


@pytest.fixture
def team_window(teams_data, window):
    return window


def teams_of(table: str, ids) -> set[str]:
    ids = list(ids)
    marks = ",".join("?" * len(ids))
    return {row[0] for row in database.execute_sql(
        f"SELECT DISTINCT c.team FROM {table} x JOIN customer c ON c.id = x.customer_id WHERE x.id IN ({marks})", ids)}


def choose(combo, team: str) -> None:
    assert combo.isVisible()
    combo.setCurrentIndex(combo.findData(team))


def shown_ids(model) -> list[int]:
    model.wait_loaded()
    return [model.id_at(row) for row in range(model.rowCount())]


def test_no_teams_no_team_filter(window):
    sales = window.sales_tab
    for combo in (window.visits_tab.team, window.complaints_tab.team, window.analytics_tab.team,
                  sales.pipeline_page.team, window.customers_tab.filters["team"]):
        assert combo.isHidden()
    assert window.visits_tab.team.label.isHidden()
    assert "team" not in window.customers_tab.model.keys


def test_visits_list_and_calendar_by_team(qtbot, team_window):
    tab = team_window.visits_tab
    team_window.tabs.setCurrentWidget(tab)
    assert [tab.team.itemData(i) for i in range(tab.team.count())] == ["", EAST, NORTH]
    tab.period.setCurrentIndex(tab.period.findData("all"))
    every = shown_ids(tab.model)
    choose(tab.team, NORTH)
    north = shown_ids(tab.model)
    assert north and teams_of("visit", north) == {NORTH}
    assert set(north) == {v for v in every if teams_of("visit", [v]) == {NORTH}}
    assert tab.count_label.text().startswith(str(len(north)))
    # the calendar, and its week by rep (one lane per rep), show the team's visits only
    tab.show_view(1)
    first = database.execute_sql("SELECT min(starts_at) FROM visit v JOIN customer c ON c.id = v.customer_id "
                                 "WHERE c.team = ?", (NORTH,)).fetchone()[0]
    tab.calendar.set_date(dt.date.fromisoformat(str(first)[:10]))
    tab.by_rep.setChecked(True)
    items = tab.calendar.items()
    assert items and teams_of("visit", [i.id for i in items]) == {NORTH}
    assert tab.calendar.by_rep() and tab.calendar.rep_rows()
    reps = {row[0] for row in tab.calendar.rep_rows()}
    assert reps == {i.rep for i in items}  # one lane per rep with the team's visits that week
    choose(tab.team, "")
    assert len(tab.calendar.items()) > len(items)


def test_complaints_by_team(qtbot, team_window):
    tab = team_window.complaints_tab
    team_window.tabs.setCurrentWidget(tab)
    tab.view.setCurrentIndex(tab.view.findData("all"))
    choose(tab.team, EAST)
    east = shown_ids(tab.model)
    assert east and teams_of("complaint", east) == {EAST}
    tab.show_view(2)  # the statistics page has no team filter: hidden there
    assert tab.team.isHidden()
    tab.show_view(0)
    assert tab.team.isVisible()


def test_pipeline_board_and_list_by_team(qtbot, team_window):
    tab = team_window.sales_tab
    team_window.tabs.setCurrentWidget(tab)
    page = tab.pipeline_page
    tab.pages.setCurrentWidget(page)
    choose(page.team, NORTH)
    every = database.execute_sql("SELECT count(*) FROM opportunity WHERE deleted_at IS NULL").fetchone()[0]
    cards = list(page.board.cards)
    assert cards and teams_of("opportunity", cards) == {NORTH}
    assert all(page.board.item_of(card) is not None for card in cards)  # on screen, in their columns
    page.show_view(1)
    listed = shown_ids(page.model)
    assert listed and teams_of("opportunity", listed) == {NORTH} and len(listed) < every
    assert page.model.query.team == NORTH


def test_customers_by_team(qtbot, team_window):
    tab = team_window.customers_tab
    assert "team" in tab.model.keys  # shown by default once there are teams
    combo = tab.filters["team"]
    choose(combo, EAST)
    east = shown_ids(tab.model)
    assert east and {r[0] for r in database.execute_sql(
        f"SELECT DISTINCT team FROM customer WHERE id IN ({','.join(map(str, east))})")} == {EAST}
    column = tab.model.keys.index("team")
    assert {tab.model.index(row, column).data() for row in range(min(5, tab.model.rowCount()))} == {EAST}


def test_analytics_by_team(qtbot, team_window):
    tab = team_window.analytics_tab
    tab.today = dt.date.today()
    team_window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.task is None and tab.built is not None, timeout=20000)
    choose(tab.team, NORTH)
    qtbot.waitUntil(lambda: tab.task is None and tab.built is not None and tab.built.where.team == NORTH,
                    timeout=20000)
    assert tab.built.customers
    teams = {row[0] for row in database.execute_sql(
        f"SELECT DISTINCT team FROM customer WHERE id IN ({','.join(map(str, tab.built.customers))})")}
    assert teams == {NORTH}
