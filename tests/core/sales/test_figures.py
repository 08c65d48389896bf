"""The sales figures by month, season, product, category, channel, owner and region, and the
churn rate, on a few sales worked out by hand."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk.core.models import ChangeLog, Customer, Product, Transaction
from crmdesk.core.sales import figures, figures_churn
from crmdesk.core.sales.figures import Period
from tests.core.sales.figures_data import customer, product, sell

D = dt.date
TODAY = D(2026, 11, 23)
ALL = Period()


@pytest.fixture
def shop(db):
    """Three customers in two provinces from two channels; six sales (one a refund, one
    booked after today) by two owners."""
    a = customer("甲公司", province="江苏", source="exhibition")
    b = customer("乙公司", province="浙江", source="referral")
    c = customer("丙公司", province="江苏")
    valve = product("闸阀", "阀门", code="V1")
    sell(a, D(2025, 3, 5), ("闸阀", "阀门", 10, 1000, valve), ("法兰", "管件", 5, 200), owner="张伟")
    sell(b, D(2025, 3, 20), ("法兰", "管件", 2, 80), owner="李娜")
    sell(a, D(2026, 3, 1), ("闸阀", "阀门", 4, 400, valve), owner="张伟")
    sell(a, D(2026, 4, 2), ("闸阀", "阀门", -1, -100, valve), owner="张伟", kind="refund")
    sell(c, D(2026, 5, 9), ("球阀", "阀门", 3, 300))
    sell(b, D(2026, 12, 1), ("法兰", "管件", 9, 999), owner="李娜")  # after today: not yet a sale
    return {"a": a, "b": b, "c": c, "valve": valve}


def test_by_month_lists_every_month_and_nets_refunds(shop):
    rows = figures.by_month(Period(D(2026, 2, 1), D(2026, 6, 1)), TODAY)
    assert [(r.month, r.amount, r.sales) for r in rows] == [
        ("2026-02", 0.0, 0), ("2026-03", 400.0, 1), ("2026-04", -100.0, 0), ("2026-05", 300.0, 1)]
    whole = figures.by_month(ALL, TODAY)
    assert whole[0].month == "2025-03" and whole[0].amount == 1280.0 and whole[0].sales == 2
    assert whole[-1].month == "2026-11"  # up to today; December's booked order is left out
    assert sum(r.amount for r in whole) == 1880.0


def test_seasons_add_the_years_month_by_month(shop):
    rows = figures.by_season(ALL, TODAY)
    assert [r.month for r in rows] == list(range(1, 13))
    march = rows[2]
    assert (march.amount, march.years, march.sales, march.per_year) == (1680.0, 2, 3, 840.0)
    assert rows[3].amount == -100.0 and rows[4].amount == 300.0
    assert rows[11].amount == 0.0 and rows[11].years == 0  # December 2026 is after today


def test_by_product_and_category_with_quantities_and_shares(shop):
    products = figures.by_product(ALL, TODAY)
    assert [(s.key, s.amount, s.quantity, s.sales, s.customers) for s in products] == [
        ("闸阀", 1300.0, 13.0, 2, 1), ("球阀", 300.0, 3.0, 1, 1), ("法兰", 280.0, 7.0, 2, 2)]
    assert products[0].share == pytest.approx(1300 / 1880)
    categories = figures.by_category(ALL, TODAY)
    assert [(s.key, s.amount) for s in categories] == [("阀门", 1600.0), ("管件", 280.0)]


def test_a_merged_product_counts_under_the_one_it_was_merged_into(shop):
    variant = product("闸阀门", "阀门")
    Product.update(merged_into=shop["valve"]).where(Product.id == variant).execute()
    sell(shop["c"], D(2026, 6, 1), ("闸阀门", "阀门", 1, 50, variant))
    assert figures.by_product(ALL, TODAY)[0].key == "闸阀"
    assert figures.by_product(ALL, TODAY)[0].amount == 1350.0


def test_by_channel_owner_and_region(shop):
    assert [(s.key, s.amount) for s in figures.by_channel(ALL, TODAY)] == [
        ("exhibition", 1500.0), ("", 300.0), ("referral", 80.0)]
    assert [(s.key, s.amount, s.sales) for s in figures.by_owner(ALL, TODAY)] == [
        ("张伟", 1500.0, 2), ("", 300.0, 1), ("李娜", 80.0, 1)]
    assert [(s.key, s.amount, s.customers) for s in figures.by_region(Period(D(2026, 1, 1)), TODAY)] == [
        ("江苏", 600.0, 2)]


def test_deleted_lines_and_customers_are_left_out(shop):
    Transaction.update(deleted_at=dt.datetime(2026, 1, 1)).where(Transaction.amount == 300).execute()
    Customer.update(deleted_at=dt.datetime(2026, 1, 1)).where(Customer.id == shop["b"]).execute()
    assert [(s.key, s.amount) for s in figures.by_category(ALL, TODAY)] == [("阀门", 1300.0), ("管件", 200.0)]
    assert figures.by_month(ALL, TODAY)[0].amount == 1200.0


def test_nothing_sold_gives_empty_figures(db):
    assert figures.by_month(ALL, TODAY) == []
    assert figures.by_product(ALL, TODAY) == []
    assert figures_churn.churn_by_month(ALL, TODAY) == []
    assert all(s.amount == 0 for s in figures.by_season(ALL, TODAY))


def _buy(cid, *days):
    for day in days:
        sell(cid, day, ("闸阀", "阀门", 1, 100))


def test_churn_rate_month_by_month(db):
    # Steady buyer every 10 days from January: never lost.
    steady = customer("常客")
    _buy(steady, D(2026, 1, 5), D(2026, 1, 15), D(2026, 1, 25), D(2026, 2, 4), D(2026, 11, 20))
    # Bought on 1, 11, 21 January (interval 10, threshold 15): lost on 6 February (21 Jan + 16).
    quiet = customer("沉默")
    _buy(quiet, D(2026, 1, 1), D(2026, 1, 11), D(2026, 1, 21))
    # Two purchases in January, marked lost on 10 March in the change log.
    marked = customer("流失", stage="lost")
    _buy(marked, D(2026, 1, 2), D(2026, 1, 30))
    ChangeLog.create(at=dt.datetime(2026, 3, 10, 8), entity="customer", record_id=marked, record_uuid="x",
                     customer_id=marked, action="updated", field="stage", old="active", new="lost")
    # First purchase in February.
    late = customer("新客")
    _buy(late, D(2026, 2, 14))
    rows = {r.month: r for r in figures_churn.churn_by_month(Period(D(2026, 1, 1), D(2026, 5, 1)), TODAY)}
    assert list(rows) == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert (rows["2026-01"].customers, rows["2026-01"].lost, rows["2026-01"].new) == (0, 0, 3)
    assert (rows["2026-02"].customers, rows["2026-02"].lost, rows["2026-02"].new) == (3, 1, 1)
    assert rows["2026-02"].rate == pytest.approx(1 / 3)
    # March: steady, marked and late at its start (quiet lost in February); marked lost.
    assert (rows["2026-03"].customers, rows["2026-03"].lost) == (3, 1)
    assert (rows["2026-04"].customers, rows["2026-04"].lost, rows["2026-04"].rate) == (2, 0, 0.0)
    assert rows["2026-01"].rate is None


def test_churn_by_the_rule_waits_until_today(db):
    recent = customer("最近")
    _buy(recent, D(2026, 10, 1), D(2026, 10, 11), D(2026, 10, 21))  # threshold passes on 6 November
    rows = figures_churn.churn_by_month(Period(D(2026, 11, 1)), D(2026, 11, 5))
    assert [(r.month, r.customers, r.lost) for r in rows] == [("2026-11", 1, 0)]
    rows = figures_churn.churn_by_month(Period(D(2026, 11, 1)), D(2026, 11, 6))
    assert [(r.month, r.customers, r.lost) for r in rows] == [("2026-11", 1, 1)]


def test_the_period_narrows_the_customers_as_the_analytics_filter_does(shop):
    Customer.update(owner="李娜", tier="key").where(Customer.id == shop["b"]).execute()
    for narrowed in (Period(region="浙江"), Period(owner="李娜"), Period(tier="key")):
        assert [(s.key, s.amount) for s in figures.by_product(narrowed, TODAY)] == [("法兰", 80.0)]
        assert [r.amount for r in figures.by_month(narrowed, TODAY)][0] == 80.0
    assert figures.by_region(Period(region="杭州"), TODAY) == []


def test_a_customer_served_by_two_owners_is_split_by_sale(shop):
    # 甲 bought from 张伟 (two sales, one refund) and now from 王强 as well; a line with no sale is nobody's.
    sell(shop["a"], D(2026, 6, 1), ("法兰", "管件", 1, 70), owner="王强")
    Transaction.create(customer=shop["c"], date=D(2026, 6, 2), amount=30, product="球阀", category="阀门")
    rows = {s.key: (s.amount, s.sales, s.customers) for s in figures.by_owner(Period(D(2026, 1, 1)), TODAY)}
    assert rows == {"张伟": (300.0, 1, 1), "王强": (70.0, 1, 1), "": (330.0, 2, 1)}
    # The whole time: 张伟 also sold to 甲 in 2025, 李娜 to 乙.
    rows = {s.key: (s.amount, s.sales, s.customers) for s in figures.by_owner(ALL, TODAY)}
    assert rows == {"张伟": (1500.0, 2, 1), "王强": (70.0, 1, 1), "李娜": (80.0, 1, 1), "": (330.0, 2, 1)}


def test_everything_at_once_agrees_with_each_figure(shop):
    period = Period(D(2025, 1, 1))
    summary = figures.everything(period, TODAY)
    assert summary.months == figures.by_month(period, TODAY)
    assert summary.seasons == figures.by_season(period, TODAY)
    assert figures_churn.churn_by_month(period, TODAY, summary.people) == figures_churn.churn_by_month(period, TODAY)
    for kind in figures.KINDS:
        assert summary.shares[kind] == figures.shares(kind, period, TODAY)
