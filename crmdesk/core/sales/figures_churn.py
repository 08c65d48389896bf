"""The churn rate month by month (the Sales tab's report page and ``crmdesk report``):
customers at each month's start, lost in it, new in it, on the churn warning's own rule
(``core.analytics.churn``: no purchase for more than 1.5 × the usual interval, from three
days of purchase) or marked lost in the change log. One pass over the lines' covering index
by customer. Takes the period and ``today``; never reads the clock."""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Optional

from crmdesk.core.bulk_indexes import indexed_by
from crmdesk.core.analytics.churn import CHURN_FACTOR
from crmdesk.core.models import database
from crmdesk.core.sales.figures import Buyer, Period, buyers, month_key, months


@dataclass(frozen=True)
class ChurnMonth:
    month: str
    customers: int  # customers at the start of the month: bought before it, not lost yet
    lost: int  # of them, lost during the month
    new: int  # first purchase in the month

    @property
    def rate(self) -> Optional[float]:
        return self.lost / self.customers if self.customers else None


def lost_on(first: Optional[dt.date], last: Optional[dt.date], days: int, stage: str, marked: Optional[dt.date],
            today: dt.date) -> Optional[dt.date]:
    """The day a customer was lost: the day the churn warning's rule (``analytics.churn``:
    no purchase for more than 1.5 × the usual interval, from three days of purchase) first
    held, or the day the customer was marked lost, whichever came first. A customer marked
    lost with neither (too few purchases, no record of when) is lost the day after the last
    purchase."""
    found = []
    if days >= 3 and first and last:
        interval = (last - first).days / (days - 1)
        day = last + dt.timedelta(days=math.ceil(CHURN_FACTOR * interval) + 1)
        if day <= today:
            found.append(day)
    if stage == "lost":
        if marked is not None:
            found.append(marked)
        elif not found and last is not None:
            found.append(last + dt.timedelta(days=1))
    return min(found) if found else None


def _day(text) -> dt.date:
    return dt.date.fromisoformat(str(text)[:10])


def churn_by_month(period: Period, today: dt.date, people: Optional[dict[int, Buyer]] = None) -> list[ChurnMonth]:
    """Month by month of the period (up to today's): how many customers there were at its
    start (a first purchase before it, not lost before it), how many of them were lost in
    it, and how many bought for the first time. The rate is lost / customers. A purchase is
    a day with a line that is not a refund, as the churn warnings count them."""
    people = buyers(period) if people is None else people
    marked = {cid: _day(at) for cid, at in database.execute_sql(
        "SELECT record_id, max(at) FROM change_log WHERE entity = 'customer' AND field = 'stage' AND new = 'lost' "
        "GROUP BY record_id")}
    firsts: dict[str, int] = {}  # month → customers whose first purchase it was
    gones: dict[str, int] = {}  # month → customers lost in it
    lost_after_first: dict[str, int] = {}  # of those, the ones who bought before the month
    earliest = None
    for cid, first, last, days in database.execute_sql(
            f"SELECT customer_id, min(date), max(date), count(DISTINCT date) FROM transactions {indexed_by('transactions_live')}"
            "WHERE deleted_at IS NULL AND amount > 0 AND date <= ? GROUP BY customer_id", [today.isoformat()]):
        who = people.get(cid)
        if who is None:
            continue
        first, last = _day(first), _day(last)
        earliest = first if earliest is None else min(earliest, first)
        firsts[month_key(first)] = firsts.get(month_key(first), 0) + 1
        gone = lost_on(first, last, days, who.stage, marked.get(cid), today)
        if gone is not None:
            gone = max(gone, first + dt.timedelta(days=1))
            gones[month_key(gone)] = gones.get(month_key(gone), 0) + 1
            if month_key(gone) != month_key(first):
                lost_after_first[month_key(gone)] = lost_after_first.get(month_key(gone), 0) + 1
    if earliest is None:
        return []
    first = period.start or earliest
    last = min(period.end - dt.timedelta(days=1), today) if period.end else today
    shown = months(first, last)
    found, bought_before, gone_before = [], 0, 0
    for month in sorted(set(firsts) | set(gones) | set(shown)):
        if month in shown:
            found.append(ChurnMonth(month, bought_before - gone_before, lost_after_first.get(month, 0),
                                    firsts.get(month, 0)))
        bought_before += firsts.get(month, 0)
        gone_before += gones.get(month, 0)
    return found
