"""The visit list's ids and rows: periods, states as shown (missed), rep, search, sort."""
from __future__ import annotations

import datetime as dt

from crmdesk.core.customers import archive as customers
from crmdesk.core.visits import list as visit_list, visits
from crmdesk.core.visits.list import VisitQuery

NOW = dt.datetime(2026, 11, 24, 12, 0)


def make(db):
    a = customers.create({"name": "上海明华", "owner": "张伟"})[0]
    b = customers.create({"name": "杭州恒通", "owner": "李娜"})[0]
    at = lambda d, h: dt.datetime(2026, 11, d, h)  # noqa: E731
    plan = lambda c, start, **kw: visits.create({"customer_id": c, "starts_at": start,  # noqa: E731
                                                 "ends_at": start + dt.timedelta(hours=1), **kw}).visit_id
    past_missed = plan(a, at(20, 9), objective="送样品")
    past_done = plan(b, at(21, 9))
    visits.record(past_done, {"outcome": "ok"})
    today = plan(b, at(24, 15))
    later = plan(a, at(30, 10), place="客户展厅")
    old = plan(a, dt.datetime(2026, 9, 1, 9))
    visits.cancel(old, "")
    return dict(past_missed=past_missed, past_done=past_done, today=today, later=later, old=old)


def ids(**kw):
    return list(visit_list.ids(VisitQuery(now=NOW, today=NOW.date(), **kw)))


def test_periods_and_states(db):
    v = make(db)
    assert ids() == [v["past_missed"], v["today"], v["later"]]  # upcoming, plus what to record
    assert ids(period="today") == [v["today"]]
    assert ids(period="all") == [v["old"], v["past_missed"], v["past_done"], v["today"], v["later"]]
    assert ids(period="all", state="missed") == [v["past_missed"]]
    assert ids(period="all", state="planned") == [v["today"], v["later"]]
    assert ids(period="all", state="cancelled") == [v["old"]]
    rows = visit_list.rows([v["past_missed"], v["today"]], ["state", "customer_name"], NOW)
    assert rows[v["past_missed"]] == ("missed", "上海明华") and rows[v["today"]] == ("planned", "杭州恒通")


def test_rep_search_sort_and_count(db):
    v = make(db)
    assert ids(period="all", rep="李娜") == [v["past_done"], v["today"]]
    assert ids(period="all", search="展厅") == [v["later"]]
    assert ids(period="all", search="明华") == [v["old"], v["past_missed"], v["later"]]
    assert ids(period="all", search="100%") == []
    assert ids(period="all", sort="customer_name", descending=True)[0] in (v["old"], v["past_missed"], v["later"])
    assert visit_list.count(VisitQuery(period="all", now=NOW, today=NOW.date())) == 5
    assert visit_list.first_ids(VisitQuery(period="all", now=NOW, today=NOW.date()), 2) == [v["old"], v["past_missed"]]
