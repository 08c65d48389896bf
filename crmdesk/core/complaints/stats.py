"""The complaint desk's figures for a period: complaints by category and by month, the
share resolved within the deadline, average business hours to the first response and to
the resolution, and the customers' satisfaction after closing. The figures are SQL
aggregates over the columns the complaint services keep (deadlines, business minutes,
satisfaction), read from a narrow covering index, so 200,000 complaints take two passes
over it (``benchmarks/bench_complaints.py``, ``docs/performance.md``)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from crmdesk.core.bulk_indexes import indexed_by
from crmdesk.core.complaints import fields as K
from crmdesk.core.models import database
from crmdesk.core.complaints import settings as complaint_settings

DONE = "m.state IN ('resolved', 'closed')"


@dataclass(frozen=True)
class Month:
    """The complaints received in a month, and how many of them are resolved (by now) and
    were resolved within the deadline."""
    month: str  # "2026-11"
    received: int
    resolved: int
    on_time: int


@dataclass
class Stats:
    start: Optional[dt.date]  # received on or after; None: from the first
    end: Optional[dt.date]  # received before; None: up to now
    total: int = 0
    open: int = 0
    overdue: int = 0  # open and past a deadline now
    repeat: int = 0
    by_category: list[tuple[str, int]] = field(default_factory=list)  # every category, in order
    by_severity: list[tuple[str, int]] = field(default_factory=list)
    by_month: list[Month] = field(default_factory=list)
    resolved: int = 0
    on_time: int = 0
    responded: int = 0
    response_on_time: int = 0
    avg_response_hours: Optional[float] = None  # business hours
    avg_resolution_hours: Optional[float] = None
    scale: int = 5  # the satisfaction scale in the settings; the counts below are on it
    satisfaction: list[int] = field(default_factory=list)  # count per level, lowest first
    avg_satisfaction: Optional[float] = None  # 1..5
    surveyed: int = 0

    @property
    def on_time_share(self) -> Optional[float]:
        return self.on_time / self.resolved if self.resolved else None

    @property
    def response_on_time_share(self) -> Optional[float]:
        return self.response_on_time / self.responded if self.responded else None

    @property
    def satisfied_share(self) -> Optional[float]:
        """The share of surveyed customers in the top two levels (satisfied or better)."""
        return sum(self.satisfaction[-2:]) / self.surveyed if self.surveyed else None


def _period(start: Optional[dt.date], end: Optional[dt.date], owner: str) -> tuple[str, dict]:
    # Complaints of deleted customers are left out by one probe of a small set rather than
    # a join to the wide customer rows (150 ms at 200,000 complaints).
    where = ["m.deleted_at IS NULL", "m.received_at >= :start", "m.received_at < :end",
             "m.customer_id NOT IN (SELECT id FROM customer WHERE deleted_at IS NOT NULL)"]
    # Every stored time is within these. (Not "9": beside a DATETIME column's numeric
    # affinity that is the number 9, which sorts before every text.)
    params: dict = {"start": "", "end": "9999-12-31 23:59:59"}
    if start is not None:
        params["start"] = dt.datetime.combine(start, dt.time()).isoformat(" ")
    if end is not None:
        params["end"] = dt.datetime.combine(end, dt.time()).isoformat(" ")
    if owner:
        where.append("m.owner = :owner")
        params["owner"] = owner
    return " AND ".join(where), params


def statistics(start: Optional[dt.date] = None, end: Optional[dt.date] = None, owner: str = "",
               now: Optional[dt.datetime] = None) -> Stats:
    """The figures for the complaints received in [start, end) (and, optionally, of one
    owner); "open" and "overdue" are as they stand at ``now``. Two passes over narrow
    covering indexes: ``complaint_stats_group``, grouped by category, severity and
    satisfaction in its own order (no sorting), for the totals; ``complaint_stats_month``,
    the range of receipt, for the months."""
    now = now or dt.datetime.now().replace(second=0, microsecond=0)
    scale = complaint_settings.load().options.satisfaction_scale
    where, params = _period(start, end, owner)
    params["now"] = now.isoformat(" ")
    source = f"FROM complaint m {indexed_by('complaint_stats_group')}WHERE {where}"
    stats = Stats(start, end, scale=scale)
    categories: dict[str, int] = {}
    severities: dict[str, int] = {}
    levels = [0] * scale
    response = [0.0, 0]
    resolution = [0.0, 0]
    score_total = 0.0
    for (category, severity, level, answer_scale, count, open_, overdue, repeat, done, on_time, responded,
         response_on_time, response_sum, response_count, resolution_sum, resolution_count) in database.execute_sql(
            "SELECT m.category, m.severity, m.satisfaction, m.satisfaction_scale, count(*), "
            f"total(NOT ({DONE})), "
            f"total(NOT ({DONE}) AND m.waiting_since IS NULL AND (m.resolution_due_at < :now "
            "OR (m.state = 'new' AND m.response_due_at < :now))), "
            "total(m.repeat_of_id IS NOT NULL), "
            f"total({DONE}), total({DONE} AND m.resolved_at <= m.resolution_due_at), "
            "total(m.first_response_at IS NOT NULL), total(m.first_response_at <= m.response_due_at), "
            f"total(m.response_minutes), count(m.response_minutes), "
            f"total(CASE WHEN {DONE} THEN m.resolution_minutes END), "
            f"count(CASE WHEN {DONE} THEN m.resolution_minutes END) {source} GROUP BY 1, 2, 4, 3", params):
        stats.total += count
        stats.open += int(open_)
        stats.overdue += int(overdue)
        stats.repeat += int(repeat)
        stats.resolved += int(done)
        stats.on_time += int(on_time)
        stats.responded += int(responded)
        stats.response_on_time += int(response_on_time)
        response[0] += response_sum
        response[1] += response_count
        resolution[0] += resolution_sum
        resolution[1] += resolution_count
        categories[category] = categories.get(category, 0) + count
        severities[severity] = severities.get(severity, 0) + count
        if level is not None and answer_scale in K.SATISFACTION and 1 <= level <= answer_scale:
            # each answer on the scale in the settings; five levels on seven: 1, 2, 4, 6, 7
            # (round() takes halves to the even level: 不满意 stays 不满意, 满意 满意)
            score = K.on_five(level, answer_scale)
            shown = round(1 + (score - 1) * (scale - 1) / 4)
            levels[shown - 1] += count
            score_total += score * count
            stats.surveyed += count
    stats.avg_response_hours = response[0] / response[1] / 60 if response[1] else None
    stats.avg_resolution_hours = resolution[0] / resolution[1] / 60 if resolution[1] else None
    stats.by_category = [(key, categories.get(key, 0)) for key in K.CATEGORY_KEYS]
    stats.by_severity = [(key, severities.get(key, 0)) for key in K.SEVERITY_KEYS]
    stats.satisfaction = levels
    stats.avg_satisfaction = score_total / stats.surveyed if stats.surveyed else None
    stats.by_month = [Month(month, received, int(done), int(on_time)) for month, received, done, on_time in
                      database.execute_sql(
                          f"SELECT substr(m.received_at, 1, 7), count(*), total({DONE}), "
                          f"total({DONE} AND m.resolved_at <= m.resolution_due_at) "
                          f"FROM complaint m {indexed_by('complaint_stats_month')}WHERE {where} GROUP BY 1", params)]
    return stats


def last_months(today: dt.date, count: int = 12) -> tuple[dt.date, dt.date]:
    """[start, end) of the ``count`` calendar months up to and including ``today``'s."""
    first = today.replace(day=1)
    year, month = first.year, first.month - (count - 1)
    while month < 1:
        month += 12
        year -= 1
    end = (first + dt.timedelta(days=32)).replace(day=1)
    return dt.date(year, month, 1), end
