"""The rules that create care events, run for a day that is given (never read from the
clock): birthdays (solar or lunar) and festivals and first-purchase anniversaries some
days ahead, a follow-up some days after each day's purchases, an inactivity check for a
customer nobody contacted for N days, and a churn warning for one that has not bought for
1.5 × its usual interval, with the figures that triggered it. Points for new purchases are
credited here too.

Every event a rule creates has a unique ``rule`` key naming its occasion by the records'
uuids ("birthday:p<contact uuid>:2026-09-25", "festival:spring:2026:<customer uuid>",
"no_contact:<customer uuid>:2026-08-01"), and is inserted with ``INSERT OR IGNORE``:
running the rules twice, or again after a clock that moved backwards, creates nothing new,
and an event the user deleted does not come back. Its uuid is derived from the key
(``made_ids``): the laptops of a team all run the rules, and make the same reminder once.

A run looks from the day after the last run (at most ``CATCH_UP_DAYS`` back) to each rule's
horizon, so occasions that fell while the app was closed are created late rather than
missed. The whole run is one transaction; customers and contacts that are deleted are
left out, and the lists hide the events of deleted customers. A run that creates a flood of
inactivity checks (a first run, an import, a long absence) spreads them over the coming
working days, key accounts first (``core.care.spread``)."""
from __future__ import annotations

import datetime as dt
import json
import math
import os
from dataclasses import dataclass, field
from typing import Iterable, Optional

from crmdesk.core.bulk_indexes import indexed_by
from crmdesk.core.care import dates as D
from crmdesk.core.care import fields as C
from crmdesk.core.care import spread as S
from crmdesk.core.db import transaction
from crmdesk.core.made_ids import made_uuid, points_uuid_sql
from crmdesk.core.models import Setting, database, utcnow
from crmdesk.core.sales.receivables import payment_reminders, withdraw_paid_reminders
from crmdesk.core.care import settings as care_settings
from crmdesk.core.care.settings import Rules

LAST_RUN_KEY = "care.last_run"
PURCHASE_MARK_KEY = "care.purchases_seen"  # the last transaction id the purchase rule has seen
PURCHASE_AHEAD = 7  # purchase follow-ups show this many days ahead, like the other occasions
CHANNEL = {C.BIRTHDAY: "wechat", C.FESTIVAL: "wechat", C.ANNIVERSARY: "wechat", C.PURCHASE: "phone",
           C.INACTIVE: "phone", C.PAYMENT_DUE: "phone"}
INSERT = ("INSERT OR IGNORE INTO care_event (uuid, created_at, updated_at, customer_id, contact_id, kind, due_on, "
          "channel, title, message, state, result, response, rule, version, occasion, facts) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', '', 'due', '', '', ?, 1, ?, ?)")


@dataclass
class Run:
    today: dt.date
    start: dt.date  # the first day looked at (after the last run)
    created: dict[str, int] = field(default_factory=dict)  # rule → events created
    points: int = 0  # purchases credited with points
    clock_back: bool = False  # today is before the last run: nothing was looked at twice
    resolved: int = 0  # open inactivity checks withdrawn: the customer bought or was contacted since
    spread: Optional[S.Spread] = None  # a flood of inactivity checks spread over the coming weeks

    @property
    def total(self) -> int:
        return sum(self.created.values())


def stored_day(key: str) -> Optional[dt.date]:
    """A day kept in the settings as JSON text ("2026-11-23"), or None (none, or damaged)."""
    row = Setting.get_or_none(Setting.key == key)
    try:
        return dt.date.fromisoformat(json.loads(row.value)) if row else None
    except (TypeError, ValueError):
        return None


def last_run() -> Optional[dt.date]:
    return stored_day(LAST_RUN_KEY)


def _store(key: str, value) -> None:
    Setting.insert(key=key, value=json.dumps(value)).on_conflict_replace().execute()


def window_start(today: dt.date, last: Optional[dt.date]) -> dt.date:
    """The first day a run for ``today`` looks at: the day after the last run, at most
    ``CATCH_UP_DAYS`` back; ``today`` on the first run or when the clock went back."""
    if last is None or last >= today:
        return today
    return max(last + dt.timedelta(days=1), today - dt.timedelta(days=C.CATCH_UP_DAYS))


def run(today: dt.date, rules: Optional[Rules] = None) -> Run:
    """Create the events every rule that is on asks for on ``today``, in one transaction."""
    with transaction():
        rules = rules or care_settings.load()
        last = last_run()
        result = Run(today, window_start(today, last), clock_back=last is not None and last > today)
        now = utcnow().isoformat(" ")
        writer = _Writer(now)
        if result.clock_back:
            _forget_the_future(today)
        if rules.birthdays.on:
            result.created["birthdays"] = _birthdays(writer, result.start, today + dt.timedelta(days=rules.birthdays.days))
        if rules.festivals.on:
            result.created["festivals"] = _festivals(writer, rules, result.start,
                                                     today + dt.timedelta(days=rules.festivals.days))
        if rules.purchase.on:
            result.created["purchase"] = _purchases(writer, rules.purchase.days, result.start,
                                                    today + dt.timedelta(days=PURCHASE_AHEAD), today)
        if rules.anniversary.on:
            result.created["anniversary"] = _anniversaries(writer, result.start,
                                                           today + dt.timedelta(days=rules.anniversary.days))
        if rules.payment_due.on:  # one reminder per overdue sale (its key: the sale and its due date)
            withdraw_paid_reminders(utcnow())  # paid since, or deleted: the reminder goes
            result.created["payment_due"] = writer.insert(payment_reminders(today, rules.payment_due.days))
        # one open inactivity check per customer at a time: those the customer has answered
        # (a purchase, a visit, a care done since) go; then the churn warning (the stronger
        # sign, with its figures), then silence for customers without one
        result.resolved = _answered_warnings()
        if rules.no_purchase.on:
            result.created["no_purchase"] = _no_purchase(writer, today, _checked())
        if rules.no_contact.on:
            result.created["no_contact"] = _no_contact(writer, rules.no_contact.days, today, _checked())
        if result.created.get("no_purchase", 0) + result.created.get("no_contact", 0):
            result.spread = S.spread(now, C.INACTIVE, today, last)  # a first run or an import: not all today
        if rules.points_on:
            result.points = _points(care_settings.start_points(rules, today))
        # The day looked at last is today, even when the clock went back: the next run
        # catches up from here (the keys keep it from making anything twice), and a
        # clock that had run ahead stops blocking the catch-up once it is put right.
        _store(LAST_RUN_KEY, today.isoformat())
    return result


def _forget_the_future(today: dt.date) -> None:
    """Inactivity checks are made due on the day of the run: open ones due after today
    came from a clock that ran ahead. They go, so that today's real checks can be made."""
    database.execute_sql("DELETE FROM care_event WHERE kind = ? AND state IN ('due', 'snoozed') AND due_on > ? "
                         "AND (rule LIKE 'no_contact:%' OR rule LIKE 'no_purchase:%')", (C.INACTIVE, today.isoformat()))


class _Writer:
    def __init__(self, now: str):
        self.now = now

    def insert(self, rows: Iterable[tuple]) -> int:
        """rows: (customer_id, contact_id, kind, due_on, rule, occasion, facts dict or JSON
        text); the new ones' count, each under the uuid its key gives. The rule keys
        already there are looked up first (one range of the unique index when there are
        many), so a run that finds little new spends no time on uuids and JSON for what it
        would ignore; the new rows go in in the order of their keys."""
        rows = list(rows)
        if not rows:
            return 0
        keys = [row[4] for row in rows]
        have = _existing(keys)
        now = self.now
        params = [(made_uuid(rule), now, now, cid, pid, kind, due.isoformat(), CHANNEL.get(kind, "phone"), rule, occasion,
                   facts if isinstance(facts, str) else json.dumps(facts, ensure_ascii=False) if facts else "")
                  for cid, pid, kind, due, rule, occasion, facts in rows if rule not in have]
        if not params:
            return 0
        params.sort(key=lambda p: p[8])
        # OR IGNORE: a key repeated within the rows. rowcount counts the rows this statement
        # inserted; the connection's total_changes also counted the change capture's outbox
        # rows on a team's laptop (15 a reminder: a run of 2 counted 30, "a flood").
        cursor = database.cursor()
        cursor.executemany(INSERT, params)
        return cursor.rowcount


def _existing(keys: list[str]) -> set[str]:
    """Which of ``keys`` are rule keys of events already there (deleted ones included)."""
    if len(keys) > 2000:  # one range scan of the unique index over the keys' common prefix
        prefix = os.path.commonprefix([min(keys), max(keys)])
        if prefix:
            return {r[0] for r in database.execute_sql(
                "SELECT rule FROM care_event WHERE rule >= ? AND rule < ?", (prefix, prefix + "\U0010ffff"))}
    have: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        have.update(r[0] for r in database.execute_sql(
            f"SELECT rule FROM care_event WHERE rule IN ({','.join('?' * len(chunk))})", chunk))
    return have


# ---------------------------------------------------------------- occasions ahead

def lunar_table(years: Iterable[int]) -> dict[tuple[int, int, int], dt.date]:
    """(lunar year, month, day 1-30) → its solar day for ``years``, as
    ``care_dates.occurrence`` gives it (a 30th in a month of 29 days on the 29th), from one
    ``LunarYear`` per year: asked day by day across two years, lunar-python (which caches a
    single year) recomputes the year at every change, some 6 ms each time, 5 s a run."""
    from lunar_python import LunarYear
    table: dict[tuple[int, int, int], dt.date] = {}
    epoch = dt.date(2000, 1, 1)  # Julian day 2451545
    for year in years:
        if not D.FIRST_YEAR <= year <= D.LAST_YEAR:
            continue
        try:
            months = LunarYear.fromYear(year).getMonths()
        except Exception:  # lunar-python raises bare Exceptions outside its tables
            continue
        for month in months:
            if month.getYear() != year or month.getMonth() < 0:  # the next year's, or a leap month
                continue
            first = epoch + dt.timedelta(days=int(month.getFirstJulianDay() + 0.5) - 2451545)
            count = month.getDayCount()
            for day in range(1, 31):
                table[(year, month.getMonth(), day)] = first + dt.timedelta(days=min(day, count) - 1)
    return table


def _birthday_days(start: dt.date, end: dt.date) -> dict[tuple[str, int], list[dt.date]]:
    """(calendar, month * 100 + day) → the days in [start, end] that birthday falls on."""
    found: dict[tuple[str, int], list[dt.date]] = {}
    lunar = lunar_table(range(start.year - 1, end.year + 1))
    for calendar in ("solar", "lunar"):
        for month in range(1, 13):
            for day in range(1, 32 if calendar == "solar" else 31):
                try:
                    D.check_birthday(month, day, calendar)
                except D.BadDate:
                    continue
                if calendar == "solar":
                    days = D.birthdays_between(month, day, calendar, start, end)
                else:
                    days = sorted(d for d in (lunar.get((year, month, day)) for year in range(start.year - 1,
                                                                                              end.year + 1))
                                  if d is not None and start <= d <= end)
                if days:
                    found[(calendar, month * 100 + day)] = days
    return found


def _birthdays(writer: _Writer, start: dt.date, end: dt.date) -> int:
    days = _birthday_days(start, end)
    if not days:
        return 0
    solar = sorted({md for (cal, md) in days if cal == "solar"}) or [0]
    lunar = sorted({md for (cal, md) in days if cal == "lunar"}) or [0]
    match = (f"((x.birthday_calendar = 'lunar' AND x.birthday_month * 100 + x.birthday_day IN ({','.join(map(str, lunar))})) "
             f"OR (x.birthday_calendar != 'lunar' AND x.birthday_month * 100 + x.birthday_day IN ({','.join(map(str, solar))})))")
    rows = []
    for pid, cid, key, calendar, month, day in database.execute_sql(
            "SELECT x.id, x.customer_id, x.uuid, x.birthday_calendar, x.birthday_month, x.birthday_day FROM contact x "
            "JOIN customer c ON c.id = x.customer_id WHERE x.deleted_at IS NULL AND c.deleted_at IS NULL "
            f"AND x.birthday_month IS NOT NULL AND x.birthday_day IS NOT NULL AND {match}"):
        calendar = "lunar" if calendar == "lunar" else "solar"
        for due in days.get((calendar, month * 100 + day), ()):
            rows.append((cid, pid, C.BIRTHDAY, due, f"birthday:p{key}:{due.isoformat()}", calendar,
                         {"calendar": calendar, "month": month, "day": day}))
    for cid, key, calendar, month, day in database.execute_sql(
            "SELECT x.id, x.uuid, x.birthday_calendar, x.birthday_month, x.birthday_day FROM customer x "
            "WHERE x.deleted_at IS NULL AND x.kind = 'individual' AND x.birthday_month IS NOT NULL "
            f"AND x.birthday_day IS NOT NULL AND {match}"):
        calendar = "lunar" if calendar == "lunar" else "solar"
        for due in days.get((calendar, month * 100 + day), ()):
            rows.append((cid, None, C.BIRTHDAY, due, f"birthday:c{key}:{due.isoformat()}", calendar,
                         {"calendar": calendar, "month": month, "day": day}))
    return writer.insert(rows)


def _festivals(writer: _Writer, rules: Rules, start: dt.date, end: dt.date) -> int:
    occasions = D.festivals_between(start, end, rules.festival_keys, rules.custom_festivals)
    if not occasions:
        return 0
    tiers = rules.festival_tiers
    where = "deleted_at IS NULL" + (f" AND tier IN ({','.join('?' * len(tiers))})" if tiers else "")
    customers = database.execute_sql(f"SELECT id, uuid FROM customer WHERE {where}", list(tiers)).fetchall()
    created = 0
    for key, day in occasions:
        created += writer.insert((cid, None, C.FESTIVAL, day, f"festival:{key}:{day.year}:{cuuid}", key, None)
                                 for cid, cuuid in customers)
    return created


def _purchases(writer: _Writer, after: int, start: dt.date, end: dt.date, today: dt.date) -> int:
    """One follow-up per customer and day of purchase, ``after`` days later; and for the
    purchases entered since the last run with an earlier date (a monthly import from the
    accounts), if they are at most ``CATCH_UP_DAYS`` old, a follow-up due today."""
    first, last = start - dt.timedelta(days=after), end - dt.timedelta(days=after)
    days = {(cid, key, str(day)): (count, amount, None) for cid, key, day, count, amount in database.execute_sql(
        f"SELECT t.customer_id, c.uuid, t.date, count(*), sum(t.amount) FROM transactions t {indexed_by('transactions_live_date')}"
        "JOIN customer c ON c.id = t.customer_id WHERE t.deleted_at IS NULL AND c.deleted_at IS NULL "
        "AND t.date >= ? AND t.date <= ? GROUP BY t.customer_id, t.date", (first.isoformat(), last.isoformat()))}
    row = Setting.get_or_none(Setting.key == PURCHASE_MARK_KEY)
    mark = int(json.loads(row.value)) if row else None
    top = database.execute_sql("SELECT max(id) FROM transactions").fetchone()[0] or 0
    if mark is not None and top > mark:
        for cid, key, day, count, amount in database.execute_sql(
                "SELECT t.customer_id, c.uuid, t.date, count(*), sum(t.amount) FROM transactions t "
                "JOIN customer c ON c.id = t.customer_id WHERE t.id > ? AND t.deleted_at IS NULL "
                "AND c.deleted_at IS NULL AND t.date >= ? AND t.date < ? GROUP BY t.customer_id, t.date",
                (mark, (today - dt.timedelta(days=C.CATCH_UP_DAYS)).isoformat(), first.isoformat())):
            days.setdefault((cid, key, str(day)), (count, amount, today))
    _store(PURCHASE_MARK_KEY, top)
    rows = []
    for (cid, key, day), (count, amount, late) in days.items():
        bought = dt.date.fromisoformat(day)
        due = late or bought + dt.timedelta(days=after)
        rows.append((cid, None, C.PURCHASE, due, f"purchase:{key}:{day}", "",
                     {"date": day, "lines": count, "amount": amount / 100}))
    return writer.insert(rows)


def _first_purchases() -> Iterable[tuple[int, dt.date]]:
    for cid, first in database.execute_sql(
            f"SELECT t.customer_id, min(t.date) FROM transactions t {indexed_by('transactions_live')}"
            "WHERE t.deleted_at IS NULL GROUP BY t.customer_id"):
        yield cid, dt.date.fromisoformat(str(first))


def _anniversaries(writer: _Writer, start: dt.date, end: dt.date) -> int:
    live = dict(database.execute_sql("SELECT id, uuid FROM customer WHERE deleted_at IS NULL").fetchall())
    by_day: dict[int, list[dt.date]] = {}  # month * 100 + day → the days of the window it falls on
    rows = []
    for cid, first in _first_purchases():
        if cid not in live:
            continue
        key = first.month * 100 + first.day
        if key not in by_day:
            by_day[key] = D.birthdays_between(first.month, first.day, "solar", start, end)
        for due in by_day[key]:
            years = due.year - first.year
            if years >= 1:
                rows.append((cid, None, C.ANNIVERSARY, due, f"anniversary:{live[cid]}:{due.year}", "",
                             {"first_purchase": first.isoformat(), "years": years}))
    return writer.insert(rows)


# ---------------------------------------------------------------- warnings

def last_contacts() -> Iterable[tuple[int, str, dt.date]]:
    """Every live customer (not lost), its uuid, and the last day anyone was in touch with
    it: a visit made, a care event done, a purchase, a complaint contact, or its creation."""
    sql = ("SELECT c.id, c.uuid, max(date(c.created_at), COALESCE(date(c.last_visit_at), ''), COALESCE(t.last, ''), "
           "COALESCE(e.last, ''), COALESCE(k.last, '')) FROM customer c "
           f"LEFT JOIN (SELECT customer_id, max(date) AS last FROM transactions {indexed_by('transactions_live')}"
           "WHERE deleted_at IS NULL GROUP BY customer_id) t ON t.customer_id = c.id "
           "LEFT JOIN (SELECT customer_id, max(date(done_at)) AS last FROM care_event WHERE state = 'done' "
           "AND deleted_at IS NULL GROUP BY customer_id) e ON e.customer_id = c.id "
           "LEFT JOIN (SELECT m.customer_id, max(date(x.at)) AS last FROM complaint_contact x "
           "JOIN complaint m ON m.id = x.complaint_id WHERE x.deleted_at IS NULL GROUP BY m.customer_id) k "
           "ON k.customer_id = c.id WHERE c.deleted_at IS NULL AND COALESCE(c.stage, '') != 'lost'")
    for cid, key, last in database.execute_sql(sql):
        yield cid, key, dt.date.fromisoformat(str(last)[:10])


def _checked() -> set[int]:
    """Customers with an inactivity check still open (due or snoozed)."""
    return {r[0] for r in database.execute_sql(
        f"SELECT DISTINCT customer_id FROM care_event {indexed_by('care_event_open')}"
        f"WHERE state IN ('due', 'snoozed') AND deleted_at IS NULL AND kind = '{C.INACTIVE}'")}


def _answered_warnings() -> int:
    """Withdraw the open inactivity checks whose customer bought since (churn warnings,
    and silence) or was visited or cared for since (silence). The date a check was made
    for ends its rule key ("no_contact:12:2026-08-01")."""
    since = "substr(e.rule, -10)"
    bought = (f"EXISTS (SELECT 1 FROM transactions t {indexed_by('transactions_live')}WHERE t.customer_id = e.customer_id "
              f"AND t.deleted_at IS NULL AND t.date > {since})")
    contacted = (f"(EXISTS (SELECT 1 FROM customer c WHERE c.id = e.customer_id AND date(c.last_visit_at) > {since}) "
                 f"OR EXISTS (SELECT 1 FROM care_event d WHERE d.customer_id = e.customer_id AND d.state = 'done' "
                 f"AND d.deleted_at IS NULL AND date(d.done_at) > {since}))")
    cursor = database.execute_sql(
        f"UPDATE care_event AS e SET deleted_at = ?, version = version + 1, updated_at = ? "
        f"WHERE e.kind = ? AND e.state IN ('due', 'snoozed') AND e.deleted_at IS NULL "
        f"AND ((e.rule LIKE 'no_purchase:%' AND {bought}) OR (e.rule LIKE 'no_contact:%' AND ({bought} OR {contacted})))",
        (utcnow(), utcnow(), C.INACTIVE))
    return cursor.rowcount


def _no_contact(writer: _Writer, days: int, today: dt.date, checked: set[int] = frozenset()) -> int:
    rows = []
    for cid, key, last in last_contacts():
        if cid in checked:
            continue
        quiet = (today - last).days
        if quiet >= days:
            last_day = last.isoformat()
            rows.append((cid, None, C.INACTIVE, today, f"no_contact:{key}:{last_day}", "no_contact",
                         f'{{"reason": "no_contact", "last_contact": "{last_day}", "days": {quiet}, "limit": {days}}}'))
    return writer.insert(rows)


def _no_purchase(writer: _Writer, today: dt.date, checked: set[int] = frozenset()) -> int:
    """A churn warning for each customer with at least ``MIN_PURCHASES`` days of purchase
    whose last is longer ago than 1.5 × the mean interval between them."""
    rows = []
    for cid, key, count, first, last in database.execute_sql(
            "SELECT t.customer_id, c.uuid, count(DISTINCT t.date), min(t.date), max(t.date) FROM transactions t "
            f"{indexed_by('transactions_live')}JOIN customer c ON c.id = t.customer_id WHERE t.deleted_at IS NULL "
            "AND c.deleted_at IS NULL AND COALESCE(c.stage, '') != 'lost' GROUP BY t.customer_id "
            f"HAVING count(DISTINCT t.date) >= {C.MIN_PURCHASES}"):
        if cid in checked:
            continue
        first, last = dt.date.fromisoformat(str(first)), dt.date.fromisoformat(str(last))
        interval = (last - first).days / (count - 1)
        threshold = math.ceil(C.CHURN_FACTOR * interval)
        quiet = (today - last).days
        if quiet > threshold:
            last_day = last.isoformat()
            rows.append((cid, None, C.INACTIVE, today, f"no_purchase:{key}:{last_day}", "no_purchase",
                         f'{{"reason": "no_purchase", "last_purchase": "{last_day}", "purchases": {count}, '
                         f'"interval": {round(interval, 1)}, "threshold": {threshold}, "days": {quiet}}}'))
    return writer.insert(rows)


# ---------------------------------------------------------------- points

def _points(rules: Rules) -> int:
    """Credit the purchases made since ``points_from`` and not credited yet: the amount in
    yuan × the rate, rounded down, once per transaction (a purchase deleted and restored,
    or one of a customer restored, is credited when it is back), under the uuid the
    purchase's gives (``made_ids``): two laptops of a team credit it once."""
    now = utcnow().isoformat(" ")
    cursor = database.execute_sql(
        "INSERT OR IGNORE INTO points_entry (uuid, created_at, updated_at, customer_id, \"on\", points, kind, note, "
        f"transaction_id) SELECT {points_uuid_sql('t.uuid')}, ?, ?, "
        "t.customer_id, t.date, CAST(t.amount * ? / 100 AS INTEGER), 'earned', '', t.id "
        f"FROM transactions t {indexed_by('transactions_live_date')}JOIN customer c ON c.id = t.customer_id "
        "WHERE t.date >= ? AND t.deleted_at IS NULL AND c.deleted_at IS NULL "
        "AND CAST(t.amount * ? / 100 AS INTEGER) > 0 "
        "AND NOT EXISTS (SELECT 1 FROM points_entry x WHERE x.transaction_id = t.id)",
        (now, now, rules.points_rate, rules.points_from, rules.points_rate))
    return cursor.rowcount
