"""The complaint statistics (``complaint_stats``) and the statistics workbook: counts by
category, severity and month, the share resolved within the deadline, average business
hours, satisfaction on the 5- and 7-level scales; deleted complaints and customers left
out; the period and owner filters. No clock: every time is given."""
from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from crmdesk.core.complaints import export as complaint_export, flow as complaint_flow, settings as complaint_settings, stats as complaint_stats, complaints
from crmdesk.core.customers import archive as customers

D = dt.datetime
NOW = D(2026, 3, 20, 10)


def walk(customer_id, received, category="delivery", severity="normal", resolve_hours=None, satisfaction=None,
         owner=""):
    """A complaint received at ``received``, acknowledged an hour later, resolved after
    ``resolve_hours`` business hours (None: left investigating), closed with ``satisfaction``."""
    calendar = complaint_settings.load().calendar()
    raw = {"customer_id": customer_id, "category": category, "words": "不满意", "received_at": received,
           "severity": severity}
    if owner:
        raw["owner"] = owner
    cid = complaints.create(raw).complaint_id
    complaint_flow.acknowledge(cid, at=calendar.add(received, 60))
    complaint_flow.investigate(cid, at=calendar.add(received, 90))
    if resolve_hours is None:
        return cid
    resolved = calendar.add(received, resolve_hours * 60)
    complaint_flow.propose(cid, {"facts": "查明", "solution": "补发"}, at=calendar.add(received, 120))
    complaint_flow.resolve(cid, at=resolved)
    if satisfaction is not None:
        complaint_flow.close(cid, satisfaction, at=calendar.add(resolved, 60))
    return cid


@pytest.fixture
def desk(db):
    a = customers.create({"name": "上海明华贸易有限公司", "owner": "张伟"})[0]
    b = customers.create({"name": "恒通机械有限公司", "owner": "李娜"})[0]
    ids = {
        "on_time": walk(a, D(2026, 1, 5, 9), "delivery", resolve_hours=20, satisfaction=5),
        "late": walk(a, D(2026, 1, 12, 9), "product_quality", resolve_hours=60, satisfaction=2),
        "open_late": walk(b, D(2026, 2, 2, 9), "product_quality", owner="李娜"),
        "resolved": walk(b, D(2026, 3, 2, 9), "price_billing", "high", resolve_hours=10),
    }
    return a, b, ids


def test_the_figures(desk):
    stats = complaint_stats.statistics(now=NOW)
    assert stats.total == 4 and stats.open == 1 and stats.overdue == 1
    assert dict(stats.by_category) == {"product_quality": 2, "service_quality": 0, "staff_attitude": 0,
                                       "promise_not_kept": 0, "delivery": 1, "price_billing": 1, "other": 0}
    assert dict(stats.by_severity)["high"] == 1 and dict(stats.by_severity)["normal"] == 3
    assert stats.resolved == 3 and stats.on_time == 2  # 60 hours against the 45 of a normal complaint
    assert stats.on_time_share == pytest.approx(2 / 3)
    assert stats.responded == 4 and stats.response_on_time_share == 1
    assert stats.avg_response_hours == pytest.approx(1.0)
    assert stats.avg_resolution_hours == pytest.approx((20 + 60 + 10) / 3)
    assert stats.satisfaction == [0, 1, 0, 0, 1] and stats.surveyed == 2
    assert stats.avg_satisfaction == pytest.approx(3.5) and stats.satisfied_share == 0.5
    assert [(m.month, m.received, m.resolved, m.on_time) for m in stats.by_month] == [
        ("2026-01", 2, 2, 1), ("2026-02", 1, 0, 0), ("2026-03", 1, 1, 1)]


def test_period_and_owner(desk):
    stats = complaint_stats.statistics(dt.date(2026, 2, 1), dt.date(2026, 4, 1), now=NOW)
    assert stats.total == 2 and [m.month for m in stats.by_month] == ["2026-02", "2026-03"]
    assert complaint_stats.statistics(owner="李娜", now=NOW).total == 2  # the owner of customer b
    assert complaint_stats.statistics(dt.date(2027, 1, 1), now=NOW).total == 0


def test_deleted_complaints_and_customers_are_left_out(desk):
    a, _b, ids = desk
    complaints.delete([ids["late"]])
    assert complaint_stats.statistics(now=NOW).total == 3
    customers.delete([a])
    stats = complaint_stats.statistics(now=NOW)
    assert stats.total == 2 and stats.surveyed == 0 and stats.avg_satisfaction is None


def test_an_empty_desk(db):
    stats = complaint_stats.statistics(now=NOW)
    assert stats.total == 0 and stats.on_time_share is None and stats.avg_resolution_hours is None
    assert stats.by_month == [] and stats.satisfaction == [0] * 5 and stats.satisfied_share is None


def test_seven_level_answers_and_five_level_ones_on_the_seven_level_scale(desk):
    a, _b, _ids = desk
    complaint_settings.save(complaint_settings.load().deadlines, {"satisfaction_scale": 7})
    walk(a, D(2026, 3, 9, 9), "other", resolve_hours=5, satisfaction=6)  # 较满意 → 4.33 on five
    stats = complaint_stats.statistics(now=NOW)
    assert stats.scale == 7 and len(stats.satisfaction) == 7
    # five levels on seven: 1 → 1, 2 → 2, 3 → 4, 4 → 6, 5 → 7 (the halves go to the even
    # level, which keeps 不满意 不满意 and 满意 满意); the seven-level answer stays 6
    assert stats.satisfaction == [0, 1, 0, 0, 0, 1, 1]
    assert stats.avg_satisfaction == pytest.approx((5 + 2 + 1 + 5 * 4 / 6) / 3)


def test_last_months():
    assert complaint_stats.last_months(dt.date(2026, 11, 23)) == (dt.date(2025, 12, 1), dt.date(2026, 12, 1))
    assert complaint_stats.last_months(dt.date(2026, 1, 31), 3) == (dt.date(2025, 11, 1), dt.date(2026, 2, 1))


def test_statistics_workbook(desk, tmp_path):
    stats = complaint_stats.statistics(dt.date(2026, 1, 1), dt.date(2026, 4, 1), now=NOW)
    path = complaint_export.export_statistics(tmp_path / "stats.xlsx", stats, "en")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Statistics", "By category", "By severity", "By month", "Satisfaction"]
    summary = {r[0]: r[1] for r in wb["Statistics"].iter_rows(min_row=2, values_only=True)}
    assert summary["Period"] == "2026-01-01 – 2026-03-31"
    assert summary["Complaints"] == 4 and summary["Resolved within the deadline"] == pytest.approx(2 / 3)
    assert wb["Statistics"].cell(8, 2).number_format == "0.0%"
    assert list(wb["By month"].iter_rows(min_row=2, values_only=True)) == [
        ("2026-01", 2, 2, 1), ("2026-02", 1, 0, 0), ("2026-03", 1, 1, 1)]
    assert [r[1] for r in wb["Satisfaction"].iter_rows(min_row=2, values_only=True)] == [0, 1, 0, 0, 1]
