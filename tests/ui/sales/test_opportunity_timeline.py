"""The customer's timeline tells a deal's story in words: opened, moved from one stage to
another by their names, lost and why."""
from __future__ import annotations

import datetime as dt

from crmdesk.core.models import Opportunity
from crmdesk.core.sales import opportunities as O

NOW = dt.datetime(2026, 12, 1, 10, 0)


def rows(profile) -> list[list[str]]:
    table = profile.timeline
    return [[table.item(r, c).text() for c in range(2, table.columnCount())] for r in range(table.rowCount())]


def test_a_deals_story_in_the_timeline(qtbot, window, some_customers, english):
    customer = some_customers[1]
    deal = O.create({"customer_id": customer, "title": "仓储系统改造", "amount": "90000", "stage": "lead"},
                    now=NOW).opportunity_id
    O.move(deal, "qualified", Opportunity.get_by_id(deal).version, now=NOW)
    O.lose(deal, Opportunity.get_by_id(deal).version, "price", "对方报价低两成", now=NOW)
    tab = window.customers_tab
    tab.profile.show_customer(customer)
    shown = rows(tab.profile)
    assert ["Deal opened", "", "", "仓储系统改造"] in shown
    assert ["Deal moved", "Stage", "Lead", "Qualified"] in shown
    assert ["Deal moved", "Stage", "Qualified", "Lost"] in shown
    assert ["Deal changed", "Lost because", "", "Price"] in shown
    assert ["Deal changed", "Why lost, in words", "", "对方报价低两成"] in shown
    assert not [r for r in shown if "opportunity" in r[0]]  # no raw entity names


def test_a_visit_linked_to_a_deal_names_the_deal_not_its_number(qtbot, window, some_customers, english):
    from crmdesk.core.sales import opportunities_visits as OV
    from crmdesk.core.visits import visits
    customer = some_customers[0]
    deal = O.create({"customer_id": customer, "title": "阀门年度框架", "stage": "lead"}, now=NOW).opportunity_id
    visit = visits.create({"customer_id": customer, "starts_at": dt.datetime(2026, 12, 7, 10),
                           "ends_at": dt.datetime(2026, 12, 7, 11), "objective": "报价"}).visit_id
    OV.link(visit, deal)
    tab = window.customers_tab
    tab.profile.show_customer(customer)
    assert ["Visit changed", "Deal", "", "阀门年度框架"] in rows(tab.profile)
