"""The analytics figures on small cases worked out by hand: customers with one purchase,
none, refunds, all purchases on one day; ABC cuts, the evaluation score with missing
factors, suggested tiers, lifetime value, loyalty naming what has no data, RFM quintiles,
churn signs and lost causes, satisfaction by month, the filters, and the settings."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk.core.analytics import churn, figures, loyalty
from crmdesk.core.analytics import settings as analytics_settings
from crmdesk.core.analytics.facts import Filter, load
from crmdesk.core.analytics.report import build, for_customer
from crmdesk.core.errors import CrmError, ValidationError
from crmdesk.core.models import Complaint, Customer, Transaction

D = dt.date
TODAY = D(2026, 11, 23)


def customer(name, **values) -> int:
    values.setdefault("code", f"C{Customer.select().count() + 1:05d}")
    values.setdefault("created_at", dt.datetime(2023, 1, 1))
    return Customer.create(name=name, **values).id


def buy(cid, day, amount, category="阀门"):
    Transaction.create(customer=cid, date=day, amount=amount, category=category)


@pytest.fixture
def shop(db):
    """Four customers: big (80 % of revenue), middle (15 %), small (5 %), and one who never bought."""
    big = customer("大客户", tier="transactional", need_score=5, volume_score=4)
    middle = customer("中客户", tier="key")
    small = customer("小客户", tier="relationship", relationship="partner")
    never = customer("没买过")
    buy(big, D(2026, 1, 10), 8000)
    buy(middle, D(2026, 2, 10), 1500, "管件")
    buy(small, D(2026, 3, 10), 500)
    return {"big": big, "middle": middle, "small": small, "never": never}


def test_abc_cuts_at_80_15_5(shop):
    people = load(TODAY).values()
    result = figures.abc(people, (0.8, 0.15, 0.05))
    assert result.total == 10000
    assert [result.classes[shop[k]] for k in ("big", "middle", "small", "never")] == ["A", "B", "C", "C"]
    assert [round(share, 2) for _cid, _r, share in result.ranked] == [0.8, 0.95, 1.0, 1.0]
    assert result.curve[0] == (0.0, 0.0) and result.curve[-1] == (1.0, 1.0)
    assert result.counts == {"A": 1, "B": 1, "C": 2}


def test_abc_in_a_period_and_with_refunds(shop):
    buy(shop["small"], D(2026, 6, 1), -800)  # a refund larger than what it bought
    people = load(TODAY, Filter(start=D(2026, 2, 1))).values()
    result = figures.abc(people, (0.8, 0.15, 0.05))
    assert result.total == 1500  # the big customer bought before the period; the refund counts as 0
    assert result.classes[shop["middle"]] == "A" and result.classes[shop["small"]] == "C"
    facts = load(TODAY)[shop["small"]]
    assert facts.revenue_total == -300 and facts.refunds == 800


def test_evaluation_weights_the_factors_that_have_a_score():
    weights = analytics_settings.DEFAULT_WEIGHTS
    assert figures.evaluation({"need_score": 5, "volume_score": 4, "purchasing_power_score": None,
                               "credit_score": None, "decision_score": None}, weights) == round(
        (0.25 * 5 + 0.20 * 4) / 0.45, 2)
    assert figures.evaluation({k: None for k in weights}, weights) is None


@pytest.mark.parametrize("cls, score, relationship, expected", [
    ("A", 4.2, None, ("key", "strategic_alliance")),
    ("A", 3.6, None, ("key", "partner")),
    ("A", None, None, ("key", "partner")),
    ("A", 2.0, None, ("relationship", "preferred_supplier")),
    ("B", 4.5, None, ("relationship", "preferred_supplier")),
    ("C", 4.5, "partner", ("relationship", "partner")),
    ("C", None, None, ("transactional", "transactional")),
])
def test_suggested_tier_and_relationship(cls, score, relationship, expected):
    assert figures.suggest(cls, score, relationship) == expected


def test_only_differences_are_suggested(shop):
    built = build(TODAY)
    changes = {s.customer_id: (s.suggested_tier, s.suggested_relationship) for s in built.suggestions}
    assert changes[shop["big"]] == ("key", "strategic_alliance")  # A, 4.56 → a key account
    assert changes[shop["middle"]] == ("relationship", "preferred_supplier")  # B: not a key account
    assert shop["small"] not in changes  # C but a partner: a relationship customer already


def test_lifetime_value_by_hand(shop):
    settings = analytics_settings.Settings(margin=0.25, discount=0.1, horizon=2)
    people = load(TODAY)
    known = figures.market(people.values(), TODAY)
    assert known.share == {"阀门": 2 / 3, "管件": 1 / 3}
    value = figures.lifetime_value(people[shop["big"]], settings, known)
    factor = 1 / 1.1 + 1 / 1.1 ** 2
    assert value.historical == 2000.0 and value.current == round(8000 * 0.25 * factor, 2)
    # the big customer does not buy 管件: one customer in three does, 1500 a year
    assert value.potential == round(1 / 3 * 1500 * 0.25 * factor, 2)
    assert figures.lifetime_value(people[shop["never"]], settings, known) == figures.Value(0.0, 0.0, 0.0)


def test_loyalty_names_what_has_no_data_and_weights_the_rest(db):
    one = customer("一次", satisfaction=5.0)
    buy(one, D(2024, 11, 23), 100)  # one purchase, two years ago
    none = customer("从未购买")
    people = load(TODAY)
    result = loyalty.loyalty_all(people.values(), TODAY, analytics_settings.Settings().loyalty)
    factors = result[one].factors
    assert all(factors[k] is None for k in loyalty.NO_DATA)
    assert factors["duration"] == pytest.approx(730 / 365.25 / 5)
    assert factors["frequency_trend"] == 0.0  # one purchase 12-24 months ago, none since
    assert factors["cross_buying"] == 1.0 and factors["satisfaction"] == 1.0
    assert result[one].index == round(100 * (factors["duration"] + factors["frequency"] + 0 + 1 + 1) / 5, 1)
    assert result[none].index is None


def test_all_purchases_on_one_day_are_one_purchase(db):
    cid = customer("同一天")
    for amount in (100, 200, 300):
        buy(cid, D(2026, 5, 5), amount)
    facts = load(TODAY)[cid]
    assert (facts.days, facts.revenue_total, facts.first, facts.last) == (1, 600, D(2026, 5, 5), D(2026, 5, 5))
    assert churn.signs(facts, TODAY) == ()  # one day of purchase has no usual interval


def test_rfm_quintiles_and_segments(db):
    ids = []
    for n in range(5):  # n = 0: bought most recently, most often, most
        cid = customer(f"客户{n}")
        for k in range(5 - n):
            buy(cid, D(2026, 11, 1) - dt.timedelta(days=100 * n + 10 * k), 1000 * (5 - n))
        ids.append(cid)
    result = loyalty.rfm(load(TODAY).values(), TODAY)
    assert [result[c].code for c in ids] == ["555", "444", "333", "222", "111"]
    assert [result[c].segment for c in ids] == ["champions", "champions", "need_attention", "hibernating", "lost"]
    assert loyalty.quintile(loyalty.quintile_bounds([1] * 60 + [2] * 20 + [9] * 20), 1) == 1  # one-time buyers: F 1
    assert loyalty.segment(5, 1) == "new" and loyalty.segment(1, 5) == "cannot_lose" and loyalty.segment(3, 4) == "loyal"


def test_churn_signs_with_their_figures(db):
    quiet = customer("老客户", satisfaction=2.0)
    for day in (D(2025, 1, 1), D(2025, 3, 2), D(2025, 5, 1)):
        buy(quiet, day, 100)
    Complaint.create(number="CMP-20261120-001", customer=quiet, received_at=dt.datetime(2026, 11, 20, 9),
                     category="delivery", state="acknowledged")
    lost = customer("已流失", stage="lost", churn_cause="competitor")
    facts = load(TODAY)
    reasons = {s.reason: s.figures for s in churn.signs(facts[quiet], TODAY)}
    assert reasons["no_purchase"] == {"days": 571, "interval": 60.0, "threshold": 90, "last": "2025-05-01"}
    assert reasons["falling_frequency"] == {"last_12m": 0, "previous_12m": 3}
    assert reasons["open_complaints"] == {"count": 1} and reasons["low_satisfaction"] == {"satisfaction": 2.0}
    assert [a.customer_id for a in churn.at_risk(facts.values(), TODAY)] == [quiet]
    assert churn.lost_causes(facts.values()) == {"competitor": 1}
    assert lost


def test_a_lost_customers_cause(db):
    cid = customer("已流失", stage="lost")
    churn.set_cause(cid, "service")
    assert Customer.get_by_id(cid).churn_cause == "service"
    with pytest.raises(CrmError):
        churn.set_cause(cid, "weather")
    assert Customer.get_by_id(cid).churn_cause == "service"


def test_satisfaction_by_month_on_the_chosen_scale(db):
    cid = customer("满意度")
    for day, level, scale in ((D(2026, 10, 5), 5, 5), (D(2026, 10, 20), 7, 7), (D(2026, 11, 2), 1, 5)):
        Complaint.create(number=f"CMP-{day:%Y%m%d}-001", customer=cid, category="delivery", state="closed",
                         received_at=dt.datetime.combine(day, dt.time(9)),
                         closed_at=dt.datetime.combine(day, dt.time(17)), satisfaction=level, satisfaction_scale=scale)
    assert churn.satisfaction_trend(None, None) == [("2026-10", 5.0, 2), ("2026-11", 1.0, 1)]
    assert churn.satisfaction_trend(None, None, scale=7) == [("2026-10", 7.0, 2), ("2026-11", 1.0, 1)]


def test_filters_and_one_customers_figures(shop):
    Customer.update(owner="张伟").where(Customer.id == shop["big"]).execute()
    assert set(load(TODAY, Filter(owner="张伟"))) == {shop["big"]}
    assert set(load(TODAY, Filter(tier="key"))) == {shop["middle"]}
    built = build(TODAY)
    mine = for_customer(shop["big"], built)
    assert (mine.abc_class, mine.score, mine.suggestion.suggested_tier) == ("A", 4.56, "key")
    assert mine.rfm is not None and mine.value.historical == 2000.0
    assert for_customer(shop["never"], built).rfm is None


def test_deleted_customers_and_purchases_are_left_out(shop):
    Customer.update(deleted_at=dt.datetime(2026, 11, 1)).where(Customer.id == shop["big"]).execute()
    Transaction.update(deleted_at=dt.datetime(2026, 11, 1)).where(Transaction.customer == shop["small"]).execute()
    built = build(TODAY)
    assert shop["big"] not in built.customers and built.abc.total == 1500


@pytest.mark.parametrize("raw, key", [({"abc": [0.8, 0.1, 0.05]}, "abc"), ({"abc": [1, 0, 0]}, "abc"),
                                      ({"margin": 1.5}, "margin"), ({"horizon": 2.5}, "horizon"),
                                      ({"weights": {k: 0 for k in analytics_settings.DEFAULT_WEIGHTS}}, "weights")])
def test_wrong_settings_are_refused(db, raw, key):
    with pytest.raises(ValidationError) as error:
        analytics_settings.save(raw)
    assert key in error.value.errors
    assert analytics_settings.load() == analytics_settings.Settings()


def test_suggested_tiers_applied_in_one_batch_and_taken_back(shop):
    from crmdesk.core.analytics import tiers
    from crmdesk.core.models import ChangeLog
    built = build(TODAY)
    applied = tiers.apply(built.suggestions)
    assert applied.customers == 3  # the big, the middle, and the one without a tier (transactional)
    assert (Customer.get_by_id(shop["big"]).tier, Customer.get_by_id(shop["middle"]).tier) == ("key", "relationship")
    assert ChangeLog.select().where(ChangeLog.batch == applied.batch_id).count() == 6
    Customer.update(tier="transactional").where(Customer.id == shop["middle"]).execute()  # changed again since
    back = tiers.take_back(applied.batch_id)
    assert back.customers == 2 and back.kept == 1
    assert Customer.get_by_id(shop["big"]).tier == "transactional"
    middle = Customer.get_by_id(shop["middle"])  # its later values kept, both of them
    assert (middle.tier, middle.relationship) == ("transactional", "preferred_supplier")
    with pytest.raises(CrmError):
        tiers.take_back(applied.batch_id)


def test_a_suggestion_for_a_customer_changed_since_is_not_applied(shop):
    from crmdesk.core.analytics import tiers
    built = build(TODAY)
    Customer.update(tier="key").where(Customer.id == shop["big"]).execute()
    applied = tiers.apply(built.suggestions)
    assert applied.customers == 2 and Customer.get_by_id(shop["big"]).relationship is None


def test_rfm_gives_the_best_of_a_few_buyers_a_5(db):
    ids = [customer(f"客户{n}") for n in range(3)]
    for n, cid in enumerate(ids):
        buy(cid, D(2026, 10, 1) + dt.timedelta(days=n), 100 * (n + 1))
    result = loyalty.rfm(load(TODAY).values(), TODAY)
    assert [result[c].r for c in ids] == [2, 4, 5]


def test_a_purchase_dated_after_today_is_not_in_the_last_12_months(db):
    cid = customer("预订")
    buy(cid, D(2027, 1, 5), 100)
    facts = load(TODAY)[cid]
    assert (facts.days_12m, facts.revenue_12m) == (0, 0)


def test_one_customers_figures_from_the_kept_population_agree_with_the_report(shop):
    from crmdesk.core.analytics import snapshot
    assert snapshot.for_customer(shop["big"], TODAY) is None  # no report yet
    built = build(TODAY)
    for key in ("big", "middle", "small", "never"):
        mine, full = snapshot.for_customer(shop[key], TODAY), for_customer(shop[key], built)
        assert mine.abc_class == full.abc_class and mine.score == full.score
        assert mine.value == full.value and mine.loyalty == full.loyalty
        assert mine.rfm == full.rfm and mine.signs == full.signs
        assert mine.suggestion == (full.suggestion.suggested_tier, full.suggestion.suggested_relationship)
    assert snapshot.for_customer(shop["big"], TODAY).worked_out == TODAY


def test_surveys_with_a_level_count_in_the_satisfaction_trend(db):
    from crmdesk.core.care import events as care
    cid = customer("调查")
    Complaint.create(number="CMP-20261005-001", customer=cid, category="delivery", state="closed",
                     received_at=dt.datetime(2026, 10, 5, 9), closed_at=dt.datetime(2026, 10, 5, 17),
                     satisfaction=5, satisfaction_scale=5)
    survey = care.create({"customer_id": cid, "kind": "survey", "due_on": D(2026, 10, 20)}).id
    care.mark_done([survey], "问卷已回收", at=dt.datetime(2026, 10, 20, 10), satisfaction=3)
    assert churn.satisfaction_trend(None, None) == [("2026-10", 4.0, 2)]
    with pytest.raises(ValidationError):
        care.mark_done([care.create({"customer_id": cid, "kind": "survey", "due_on": TODAY}).id], satisfaction=6)


def test_the_report_gives_satisfaction_on_the_complaint_desks_scale(db):
    from crmdesk.core.complaints import settings as complaint_settings
    cid = customer("七级")
    Complaint.create(number="CMP-20261005-001", customer=cid, category="delivery", state="closed",
                     received_at=dt.datetime(2026, 10, 5, 9), closed_at=dt.datetime(2026, 10, 5, 17),
                     satisfaction=5, satisfaction_scale=5)
    complaint_settings.save(dict(complaint_settings.load().deadlines), {"satisfaction_scale": 7})
    built = build(TODAY)
    assert built.scale == 7 and built.satisfaction == [("2026-10", 7.0, 1)]


def test_a_purchase_dated_far_ahead_is_left_out(db):
    ok, typo = customer("正常"), customer("年份写错")
    buy(ok, D(2026, 1, 1), 100)
    buy(typo, D(2062, 1, 10), 500)  # 2026 typed as 2062
    built = build(TODAY)
    assert built.customers[typo].first is None and built.loyalty[typo].index is None
    assert built.loyalty_histogram()  # no band below 0
    assert typo not in built.rfm


def test_the_profile_ranks_ties_as_the_report_does(db):
    from crmdesk.core.analytics import snapshot
    ids = [customer(f"并列{n}") for n in range(3)]
    for cid, amount in zip(ids, (60, 20, 20)):
        buy(cid, D(2026, 6, 1), amount)
    built = build(TODAY)
    assert [built.abc.classes[c] for c in ids] == [snapshot.for_customer(c, TODAY).abc_class for c in ids]


def test_a_customer_who_never_bought_has_no_loyalty_index_not_100(db):
    """A same-day customer whose only data is a closed complaint (satisfaction 5): "no
    data", left out of the means by tier and of the histogram, not an index of 100."""
    fresh = customer("当天客户", tier="key", satisfaction=5.0, created_at=dt.datetime(2026, 11, 23, 9))
    loyal = customer("老客户", tier="key")
    buy(loyal, D(2024, 11, 23), 100)
    built = build(TODAY)
    assert built.loyalty[fresh].index is None
    assert built.loyalty[fresh].factors["satisfaction"] == 1.0  # the factor itself is still shown
    assert built.loyalty_by_tier()["key"] == (built.loyalty[loyal].index, 1)
    assert sum(n for _low, n in built.loyalty_histogram()) == 1


def test_a_report_filter_nobody_has_is_refused(shop):
    from crmdesk.core.analytics.report import check_filter
    Customer.update(owner="张伟", province="上海").where(Customer.id == shop["big"]).execute()
    check_filter(Filter(owner="张伟", region="上海", tier="key"))  # known: nothing said
    for where, code in ((Filter(owner="Nobody"), "report_owner_unknown"), (Filter(region="火星"), "report_region_unknown"),
                        (Filter(tier="gold"), "report_tier_unknown")):
        with pytest.raises(CrmError) as refused:
            check_filter(where)
        assert refused.value.code == code
