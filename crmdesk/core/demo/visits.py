"""Demo visits: three years of visits for each customer and the next three weeks' plans.

Key accounts are seen about every two weeks, relationship customers every month,
transactional ones every three months (a few customers have a frequency of their own), with
the slack of real life: each gap is the frequency times 0.9 to 1.7 (reps run a little
behind), and half as long again for private customers. What a visit is for
follows the customer's lifecycle (a prospect gets a first visit and a needs analysis; a
developing customer presentations and negotiations; a mature one deliveries, after-sales
service and care; a declining or lost one win-back visits), and a declining customer is
seen less and less, so the due list has work in it. Most past visits are done, with what
happened, objections and answers, a rating and a follow-up; some were postponed (the
replacement a few days later), cancelled or missed, with a reason; a few of the last two
weeks were never recorded. Visits fall on working days (weekends and public holidays excluded);
the rep is the customer's owner.

A rep's days are booked as a rep would plan them (``VisitMaker.book``): a morning
(9:00-12:00) and an afternoon (13:00-17:30), each in one city, so a day is in one or two
cities of the territory, the second reached over lunch; within a half day the visits follow
each other with the way between them (``TRAVEL``), at most ``DAY_CAP`` a day, none
overlapping (cancelled and postponed ones included). A visit whose day is full moves to a
working day nearby (``SHIFTS``); if those are full too, a past visit is made the week
after, and a customer due beyond the rep's capacity in the next three weeks gets no plan
(the due list shows it).

Everything is drawn from a ``random.Random`` of its own, derived from the seed, so the
customers, contacts and transactions are the same with or without visits, and the visits
of the first N customers are the same whatever the count, for the same reps (the count sets
how many there are: ``demo.reps``). Rows are tuples for ``executemany``; the customer's last
visit made and next visit planned (what ``visits.refresh_customers`` keeps) come back to the
generator for the customer row.
"""
from __future__ import annotations

import datetime as dt
import json
import random
from typing import Optional

from crmdesk.core.demo.vocabulary import END_DATE, START_DATE, Pick, pick_one, uuid_from_bits
from crmdesk.core.demo.visit_texts import (FIRST_STEPS, FOLLOW_UPS, HOLIDAYS, KINDS_BY_STAGE, OBJECTIONS,
                                                    OTHER_PLACES, OUTCOMES, PLANS, RATINGS, REASONS, SALES_KINDS,
                                                    WIN_BACK_RATINGS)

VISIT_COLUMNS = (
    "id", "uuid", "created_at", "updated_at", "customer_id", "rep", "contacts", "starts_at",
    "ends_at", "place", "kind", "objective", "talking_points", "materials", "expected_result",
    "state", "reason", "outcome", "objections", "rating", "follow_up", "recorded_at",
    "next_visit_id", "version")

FREQUENCY = {"key": 14, "relationship": 30, "transactional": 90}
OWN_FREQUENCY = (7, 21, 45, 60)
UNRECORDED_DAYS = 14  # of the visits of these last days before END_DATE, a few were never recorded
PLAN_DAYS = 20  # planned visits reach this many days past the next working day after END_DATE
FIRST_OPEN, LAST_CLOSE = 9 * 60, 17 * 60 + 30  # working hours, minutes after midnight
LUNCH = (12 * 60, 13 * 60)  # between the morning's visits and the afternoon's
DAY_CAP = 6  # visits of one rep on one day, at most
TRAVEL = (30, 30, 45, 45, 60)  # minutes from one visit to the next in the same half day
MORNING_FIRST = (0, 0, 0, 15, 30, 30, 60)  # the morning's first visit: minutes after 9:00
AFTERNOON_FIRST = (0, 30, 30, 30, 60, 90)  # the afternoon's: minutes after 13:00
MORNING_FIRST_SHARE = 0.6  # an empty day's first visit goes in the morning this often
SHIFTS = (0, 1, -1, 2, -2, 3, -3)  # working days a visit moves when its day is full
RETRY_DAYS = (5, 10)  # a visit with no room that week: tried again this many days later
OVERDUE_SPREAD = 14  # customers already due when the plans are made: planned over these days

def _ordinal(text: str) -> int:
    return dt.date.fromisoformat(text).toordinal()


class VisitMaker:
    """Draws one customer's visits at a time; ``take()`` hands over the rows so far."""

    def __init__(self, seed: int, first_id: int, reps: int):
        self.rng = random.Random(seed * 1_000_003 + 7)  # a stream of its own (module docstring)
        self.r = self.rng.random
        self.bits = self.rng.getrandbits
        self.next_id = first_id
        self.rows: list[tuple] = []
        self.link: Optional[int] = None  # the row whose next_visit_id is the next visit's id
        self.end = END_DATE.toordinal()
        self.start = START_DATE.toordinal()
        # Calendar tables over the window and the planning horizon, by ordinal - base.
        self.base = self.start - 400
        last = self.end + 400
        off = set()
        for first, final in HOLIDAYS:
            off.update(range(_ordinal(first), _ordinal(final) + 1))
        self.working = [o not in off and dt.date.fromordinal(o).weekday() < 5 for o in range(self.base, last + 1)]
        self.next_working = [0] * len(self.working)
        following = last + 7
        for index in range(len(self.working) - 1, -1, -1):
            if self.working[index]:
                following = self.base + index
            self.next_working[index] = following
        self.dates = [dt.date.fromordinal(o).isoformat() for o in range(self.base, last + 8)]
        self.times = ["%02d:%02d:00" % divmod(m, 60) for m in range(24 * 60)]
        self.plan_first = self.work_day(self.end + 1)
        self.plan_last = self.plan_first + PLAN_DAYS
        # The working days in order, and where each day is among them (the next one's place
        # for a day off).
        self.work_days = [self.base + i for i, on in enumerate(self.working) if on]
        self.work_index = [0] * len(self.working)
        place = len(self.work_days)
        for index in range(len(self.working) - 1, -1, -1):
            if self.working[index]:
                place -= 1
            self.work_index[index] = place
        # Each rep's days, START_DATE to the last day planned, booked so far: visits, and for
        # the morning and the afternoon the city (its number, 0 for none yet) and the end of
        # the last visit (quarters of an hour after 8:45, 0 for none yet). Row = rep * days.
        self.days = self.plan_last - self.start + 1
        size = reps * self.days
        self.booked = bytearray(size)
        self.morning_city, self.morning_end = bytearray(size), bytearray(size)
        self.afternoon_city, self.afternoon_end = bytearray(size), bytearray(size)
        self.stage_kind = {stage: Pick(pairs) for stage, pairs in KINDS_BY_STAGE.items()}
        self.rating = Pick(RATINGS)
        self.win_back_rating = Pick(WIN_BACK_RATINGS)
        self.objection_json = {group: tuple(json.dumps(list(p), ensure_ascii=False) for p in pairs)
                               for group, pairs in OBJECTIONS.items()}

    def take(self) -> list[tuple]:
        rows, self.rows = self.rows, []
        return rows

    def work_day(self, ordinal: int) -> int:
        """The first working day on or after ``ordinal``."""
        return self.next_working[ordinal - self.base]

    def near_work_day(self, ordinal: int, after: int) -> int:
        """A working day near ``ordinal`` and later than ``after``: a weekend or a holiday
        moves the visit a few days either way (not all onto Mondays)."""
        working, base, r = self.working, self.base, self.r
        day = ordinal
        for _attempt in range(8):
            if working[day - base]:
                break
            day = ordinal + (1 + int(r() * 3)) * (1 if r() < 0.5 else -1)
        if day <= after or not working[day - base]:
            day = self.work_day(max(ordinal, after + 1))
        return day

    # -- a rep's days

    def _half(self, cities: bytearray, ends: bytearray, slot: int, city: int, minutes: int,
              opens: int, closes: int, first: tuple[int, ...]) -> int:
        """Book the visit after the last one of a half day (or as its first); its start in
        minutes after midnight, or -1 if it would end after ``closes``."""
        end = ends[slot]
        if end:
            start = FIRST_OPEN - 15 + 15 * end + pick_one(self.r, TRAVEL)
        else:
            start = opens + pick_one(self.r, first)
        if start + minutes > closes:
            return -1
        ends[slot] = (start + minutes - FIRST_OPEN) // 15 + 1
        cities[slot] = city
        self.booked[slot] += 1
        return start

    def book(self, slot: int, city: int, minutes: int) -> int:
        """Book a visit of ``minutes`` in city number ``city`` (1 and up) on a rep's day
        (``slot``): in the half day already in that city, else in a half day still free.
        Its start in minutes after midnight, or -1 if the day has no room for it."""
        if self.booked[slot] >= DAY_CAP:
            return -1
        morning, afternoon = self.morning_city[slot], self.afternoon_city[slot]
        if morning == city:
            halves = (0, 1)
        elif afternoon == city or morning:
            halves = (1, 0)
        else:  # the morning is free, the afternoon is another city's or free too
            halves = (0, 1) if afternoon or self.r() < MORNING_FIRST_SHARE else (1, 0)
        for half in halves:
            if half == 0 and morning in (0, city):
                start = self._half(self.morning_city, self.morning_end, slot, city, minutes,
                                   FIRST_OPEN, LUNCH[0], MORNING_FIRST)
            elif half == 1 and afternoon in (0, city):
                start = self._half(self.afternoon_city, self.afternoon_end, slot, city, minutes,
                                   LUNCH[1], LAST_CLOSE, AFTERNOON_FIRST)
            else:
                continue
            if start >= 0:
                return start
        return -1

    def place(self, rep: int, city: int, minutes: int, day: int, after: int, last: int) -> Optional[tuple[int, int]]:
        """(day, start) of a visit booked on the rep's working day ``day`` or one nearby
        (``SHIFTS``), later than ``after`` and not later than ``last``; None if all are full."""
        work_days, row = self.work_days, rep * self.days - self.start
        after = max(after, self.start - 1)
        index = self.work_index[day - self.base]
        for shift in SHIFTS:
            other = work_days[index + shift]
            if after < other <= last:
                start = self.book(row + other, city, minutes)
                if start >= 0:
                    return other, start
        return None

    def stamp(self, ordinal: int, minute: int, second: int = 0) -> str:
        return "%s %s" % (self.dates[ordinal - self.base], self.times[minute][:6] + "%02d" % second)

    # -- one customer

    def customer(self, cid: int, tier: str, stage: str, owner: str, rep: int, city: int, created: int,
                 place: str, contacts: tuple[str, ...], decider: int, last_purchase: Optional[int],
                 individual: bool = False) -> tuple[Optional[int], Optional[str], Optional[str]]:
        """Draw the visits of one customer, booked in the days of its owner (``rep``, an
        index) in its city (``city``: 1 and up). Returns (its own frequency or None, start of
        the last visit made, start of the earliest visit planned), as stored text."""
        r = self.r
        own = pick_one(r, OWN_FREQUENCY) if r() < 0.03 else None
        every = own or FREQUENCY.get(tier, 60)
        end = self.end
        # Where visiting starts: soon after the customer came, or somewhere in the first
        # gap of the window for customers who were there before it.
        if created >= self.start - 30:
            day = max(self.start, created + 1 + int(r() * 14))
            step = 0
        else:
            day = self.start + int(r() * every)
            step = len(FIRST_STEPS)
        # Where it stops: a lost customer is visited until a while after its last purchase,
        # then perhaps once or twice to win it back.
        stop = end
        win_back_visits = 0
        if stage == "lost":
            stop = min(end, (last_purchase or created) + int(r() * 60))
            win_back_visits = int(r() * 3)
        slow_from = end - 365 if stage == "declining" else end + 1
        slack = 1.5 if individual else 1.0  # a private customer is seen less often than a company
        prospect_visits = 1 + int(r() * 3) if stage == "prospect" else 0
        state: dict[str, Optional[str]] = {"last": None, "next": None}
        self.link = None
        kind = objective = ""
        carry = False  # the next visit replaces a postponed one, or one with no room: same purpose
        previous = created  # the day of the visit before (the first comes after the customer)
        while True:
            if stage == "prospect" and step >= prospect_visits:
                break
            if day > stop:  # a lost customer: now and then a visit to win it back
                if win_back_visits <= 0:
                    break
                win_back_visits -= 1
                day += 30 + int(r() * 120)
                if day > end:
                    break
                kind, carry = "win_back", True
                objective = pick_one(r, PLANS[kind][1])
            day = self.near_work_day(day, previous)
            if day > end:
                break
            if not carry:
                kind = self.kind(stage, step, day, stop)
                objective = pick_one(r, PLANS[kind][1])
            minutes = pick_one(r, PLANS[kind][0])
            booked = self.place(rep, city, minutes, day, previous, end)
            if booked is None:  # the rep's days are full: the week after, for the same purpose
                day += RETRY_DAYS[0] + int(r() * (RETRY_DAYS[1] - RETRY_DAYS[0] + 1))
                carry = True
                continue
            day, start = booked
            previous = day
            carry = False
            closing = self.past_visit(cid, owner, place, contacts, decider, kind, objective, day, start,
                                      minutes, created, state)
            step += 1
            if closing == "postponed":
                day += 1 + int(r() * 6)
                carry = True
                continue
            gap = every * slack * (0.9 + 0.8 * r())
            if day >= slow_from:
                gap *= 1.8 + 0.8 * r()
            day += max(1, int(gap))
        # The next three weeks: the visit that falls due in them is planned, mostly; those
        # already due are planned over the first two weeks, as the rep has room.
        due = day if day > end else end + 1 + int(r() * OVERDUE_SPREAD)
        if stage == "prospect" and step >= prospect_visits:
            due = self.end + 1 + int(r() * PLAN_DAYS * 2)  # the next step with a new prospect
        if carry:  # the last visit was postponed (or found no room): one for the same purpose
            planned = True
        elif stage == "lost":
            planned = r() < 0.08
            kind = "win_back"
            objective = pick_one(r, PLANS[kind][1])
        else:
            planned = r() < 0.85
            kind = self.kind(stage, step, due, end)
            objective = pick_one(r, PLANS[kind][1])
        if planned and due <= self.plan_last and self.work_day(due) <= self.plan_last:
            minutes = pick_one(r, PLANS[kind][0])
            booked = self.place(rep, city, minutes, self.work_day(due), self.plan_first - 1, self.plan_last)
            if booked is not None:  # else: no room in the rep's weeks; the due list shows it
                self.planned_visit(cid, owner, place, contacts, decider, kind, objective, *booked, minutes,
                                   created, state)
        return own, state["last"], state["next"]

    def kind(self, stage: str, step: int, day: int, stop: int) -> str:
        if step < len(FIRST_STEPS) and (stage != "prospect" or step < 2):
            if stage == "prospect" or step < 2 or self.r() < 0.7:
                return FIRST_STEPS[step]
        if stage == "declining" and day > self.end - 200 and self.r() < 0.5:
            return "win_back"
        if stage == "lost" and day > stop - 60 and self.r() < 0.3:
            return "win_back"
        return self.stage_kind[stage](self.r)

    def _contacts(self, contacts: tuple[str, ...], decider: int) -> tuple[str, str]:
        """(the contacts visited, "、"-separated; the one the outcome names)."""
        r = self.r
        if not contacts:
            return "", "客户"
        draw = r()
        if draw < 0.6 or len(contacts) == 1:
            return contacts[0], contacts[0]
        if draw < 0.85:
            return contacts[decider], contacts[decider]
        other = contacts[1] if decider == 0 else contacts[0]
        return f"{contacts[decider]}、{other}", contacts[decider]

    def _plan_texts(self, kind: str, full: bool) -> tuple[str, str, str]:
        """(talking points, materials, expected result): a plan made ahead has them all;
        a past one sometimes."""
        r = self.r
        _m, _o, points, materials, results = PLANS[kind]
        talking = materials_text = expected = ""
        if full or r() < 0.2:
            first = int(r() * len(points))
            second = (first + 1 + int(r() * (len(points) - 1))) % len(points)
            talking = f"1. {points[first]}\n2. {points[second]}"
        if full or r() < 0.25:
            first = pick_one(r, materials)
            second = pick_one(r, materials)
            materials_text = first if first == second else f"{first}、{second}"
        if full or r() < 0.3:
            expected = pick_one(r, results)
        return talking, materials_text, expected

    def _place(self, place: str) -> str:
        return place if self.r() < 0.9 else pick_one(self.r, OTHER_PLACES)

    def _new_id(self) -> int:
        """The next visit's id; the previous visit that points to its successor gets it."""
        vid = self.next_id
        self.next_id += 1
        if self.link is not None:
            row = self.rows[self.link]
            self.rows[self.link] = row[:22] + (vid,) + row[23:]
            self.link = None
        return vid

    def past_visit(self, cid: int, owner: str, place: str, contacts: tuple[str, ...], decider: int,
                   kind: str, objective: str, day: int, start: int, minutes: int, created: int,
                   state: dict) -> str:
        r, end = self.r, self.end
        vid = self._new_id()
        people, named = self._contacts(contacts, decider)
        talking, materials, expected = self._plan_texts(kind, False)
        made = max(created, day - 1 - int(r() * 10))
        created_at = self.stamp(made, 8 * 60 + int(r() * 600), int(r() * 60))
        starts_at = self.stamp(day, start)
        ends_at = self.stamp(day, start + minutes)
        draw = r()
        if day > end - UNRECORDED_DAYS and draw < 0.08:
            closing = "planned"  # the last two weeks: a few never recorded (shown as missed)
        elif draw < 0.885:
            closing = "done"
        elif draw < 0.935:
            closing = "postponed"
        elif draw < 0.98:
            closing = "cancelled"
        else:
            closing = "missed"
        reason = outcome = objections = follow_up = ""
        rating = recorded_at = None
        link = False
        version = 2
        if closing == "done":
            opening, ending = OUTCOMES[kind]
            outcome = (pick_one(r, opening) + pick_one(r, ending)).replace("{c}", named)
            group = "sales" if kind in SALES_KINDS else "service"
            if r() < (0.45 if group == "sales" else 0.15):
                pairs = self.objection_json[group]
                first = int(r() * len(pairs))
                if r() < 0.3:
                    second = (first + 1 + int(r() * (len(pairs) - 1))) % len(pairs)
                    objections = f"[{pairs[first]}, {pairs[second]}]"
                else:
                    objections = f"[{pairs[first]}]"
            rating = (self.win_back_rating if kind == "win_back" else self.rating)(r)
            if r() < 0.75:
                follow_up = pick_one(r, FOLLOW_UPS[kind])
            following = self.work_day(day + 1)
            if following <= end and r() < 0.2:  # written up the next morning
                recorded_at = self.stamp(following, 8 * 60 + 30 + int(r() * 90))
            else:
                recorded_at = self.stamp(day, min(start + minutes + 15 + int(r() * 240), 22 * 60))
            link = r() < 0.5  # the next visit was planned when this one was recorded
            state["last"] = starts_at
        elif closing == "planned":
            version = 1
            if state["next"] is None:
                state["next"] = starts_at
        else:
            reason = pick_one(r, REASONS[closing])
            if closing == "missed":
                recorded_at = self.stamp(min(day + int(r() * 3), end), 9 * 60 + int(r() * 480))
            else:
                recorded_at = self.stamp(max(made, day - int(r() * 3)), 8 * 60 + int(r() * 540))
                link = closing == "postponed"  # its replacement comes right after
        self.rows.append((vid, uuid_from_bits(self.bits(128)), created_at, recorded_at or created_at, cid, owner,
                          people, starts_at, ends_at, self._place(place), kind, objective, talking,
                          materials, expected, closing, reason, outcome, objections, rating, follow_up,
                          recorded_at, None, version))
        if link:
            self.link = len(self.rows) - 1
        return closing

    def planned_visit(self, cid: int, owner: str, place: str, contacts: tuple[str, ...], decider: int,
                      kind: str, objective: str, day: int, start: int, minutes: int, created: int,
                      state: dict) -> None:
        r = self.r
        vid = self._new_id()
        people, _named = self._contacts(contacts, decider)
        talking, materials, expected = self._plan_texts(kind, r() < 0.85)
        made = max(created, self.end - int(r() * 10))
        created_at = self.stamp(made, 8 * 60 + int(r() * 600), int(r() * 60))
        starts_at = self.stamp(day, start)
        self.rows.append((vid, uuid_from_bits(self.bits(128)), created_at, created_at, cid, owner, people, starts_at,
                          self.stamp(day, start + minutes), self._place(place), kind,
                          objective, talking, materials, expected, "planned", "", "", "",
                          None, "", None, None, 1))
        if state["next"] is None or starts_at < state["next"]:
            state["next"] = starts_at
