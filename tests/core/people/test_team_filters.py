"""The team filters (issue 20, a manager's view): the visits, the due list, the calendar,
the complaints, the board and the opportunity list, the customer list and the analytics,
each restricted to the customers of one team (``customer.team``), and the team choices."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk.core.analytics import churn
from crmdesk.core.analytics.facts import Filter, load
from crmdesk.core.models import Customer, database
from crmdesk.core.people.teams import has_teams, team_names
from crmdesk.core.sales import board, opportunity_list
from crmdesk.core.sales.opportunity_list import OpportunityQuery
from crmdesk.core.complaints import list as complaint_list
from crmdesk.core.customers import list as customer_list
from crmdesk.core import demo
from crmdesk.core.visits import list as visit_list, planning as visit_planning
from crmdesk.core.complaints.list import ComplaintQuery
from crmdesk.core.customers.list import ListQuery
from crmdesk.core.visits.list import VisitQuery

NORTH, EAST = "华北", "华东"


def team_of() -> dict[int, str]:
    return dict(database.execute_sql("SELECT id, team FROM customer"))


def customer_of(table: str) -> dict[int, int]:
    return dict(database.execute_sql(f"SELECT id, customer_id FROM {table} WHERE deleted_at IS NULL"))


@pytest.fixture
def teams_db(db):
    demo.generate(200)
    # a third in no team, a third in each of two teams
    database.execute_sql("UPDATE customer SET team = ? WHERE id % 3 = 1", (NORTH,))
    database.execute_sql("UPDATE customer SET team = ? WHERE id % 3 = 2", (EAST,))
    return db


def only(ids, table: str, team: str) -> bool:
    teams, owner = team_of(), customer_of(table)
    return bool(ids) and all(teams[owner[i]] == team for i in ids)


def test_no_teams_no_choices(db):
    demo.generate(30, visits=False)
    assert team_names() == [] and not has_teams()
    assert customer_list.default_columns() == list(customer_list.DEFAULT_COLUMNS)


def test_team_names_are_the_distinct_live_teams(teams_db):
    assert team_names() == sorted([NORTH, EAST])
    assert has_teams()
    Customer.update(deleted_at=dt.datetime(2026, 1, 1)).where(Customer.team == EAST).execute()
    assert team_names() == [NORTH]
    assert "team" in customer_list.default_columns()


def test_the_choices_are_read_from_the_team_index(teams_db):
    plan = " ".join(r[3] for r in database.execute_sql(
        "EXPLAIN QUERY PLAN SELECT 1 FROM customer WHERE team > '' AND deleted_at IS NULL LIMIT 1"))
    assert "customer_live_team" in plan


def test_visit_list_and_calendar(teams_db):
    everything = VisitQuery(period="all")
    all_ids = set(visit_list.ids(everything))
    north = list(visit_list.ids(VisitQuery(period="all", team=NORTH)))
    east = list(visit_list.ids(VisitQuery(period="all", team=EAST)))
    assert only(north, "visit", NORTH) and only(east, "visit", EAST)
    teams, owner = team_of(), customer_of("visit")
    assert set(north) == {v for v in all_ids if teams[owner[v]] == NORTH}
    assert visit_list.count(VisitQuery(period="all", team=NORTH)) == len(north)
    first = min(r[0] for r in database.execute_sql("SELECT starts_at FROM visit"))
    start = dt.date.fromisoformat(str(first)[:10])
    end = start + dt.timedelta(days=400)
    items = visit_planning.in_range(start, end, team=NORTH)
    assert only([i.id for i in items], "visit", NORTH)
    assert {i.id for i in items} == {i.id for i in visit_planning.in_range(start, end) if teams[i.customer_id] == NORTH}
    detailed = visit_planning.in_range(start, end, team=EAST, details=True)
    assert only([i.id for i in detailed], "visit", EAST)


def test_due_list(teams_db):
    today = dt.date.today() + dt.timedelta(days=60)
    every = list(visit_planning.due_ids(visit_planning.DueQuery(today, include_planned=True)))
    north = list(visit_planning.due_ids(visit_planning.DueQuery(today, team=NORTH, include_planned=True)))
    teams = team_of()
    assert north and all(teams[c] == NORTH for c in north)
    assert north == [c for c in every if teams[c] == NORTH]


def test_complaints(teams_db):
    every = list(complaint_list.ids(ComplaintQuery(view="all")))
    east = list(complaint_list.ids(ComplaintQuery(view="all", team=EAST)))
    assert only(east, "complaint", EAST)
    teams, owner = team_of(), customer_of("complaint")
    assert east == [m for m in every if teams[owner[m]] == EAST]
    assert complaint_list.count(ComplaintQuery(view="all", team=EAST)) == len(east)


def test_board_and_opportunity_list(teams_db):
    columns = board.load(board.BoardQuery(team=NORTH))
    cards = [card.id for column in columns for card in column.cards]
    assert only(cards, "opportunity", NORTH)
    teams, owner = team_of(), customer_of("opportunity")
    listed = list(opportunity_list.ids(OpportunityQuery(team=NORTH)))
    assert only(listed, "opportunity", NORTH)
    assert sum(column.count for column in columns) == len(listed)  # the counts too, beyond the cards shown
    whole = board.load(board.BoardQuery())
    assert sum(c.count for c in columns) + sum(c.count for c in board.load(board.BoardQuery(team=EAST))) < sum(
        c.count for c in whole)  # the customers without a team hold some
    assert listed == [o for o in opportunity_list.ids(OpportunityQuery()) if teams[owner[o]] == NORTH]


def test_customer_list(teams_db):
    north = list(customer_list.ids(ListQuery().with_filter("team", NORTH)))
    teams = team_of()
    assert north and all(teams[c] == NORTH for c in north)
    assert len(north) == sum(1 for t in teams.values() if t == NORTH)
    assert customer_list.distinct_values("team") == sorted([NORTH, EAST])
    rows = customer_list.rows(north[:3], ["name", "team"])
    assert {row[1] for row in rows.values()} == {NORTH}


def test_analytics_figures(teams_db):
    today = dt.date.today()
    north = load(today, Filter(team=NORTH))
    assert north and all(team_of()[c] == NORTH for c in north)
    assert len(north) == len([c for c in load(today, Filter()) if team_of()[c] == NORTH])
    assert sum(n for _m, _mean, n in churn.satisfaction_trend(None, None, team=NORTH)) <= sum(
        n for _m, _mean, n in churn.satisfaction_trend(None, None))
