"""Demo complaints: three years of them, most closed with a survey and a follow-up, the
last weeks' still on their way through, so the complaints tab shows every state, some
overdue, some waiting for the customer, and statistics with something in them.

About one customer in five has complained (key accounts, which buy most, more often);
a few have complained twice about the same thing within 90 days (repeat complaints). Each
complaint is walked through the real steps with business-hour delays drawn around its
deadlines (``complaint_settings`` defaults; most on time, some late), then cut at the demo's
"now" (``NOW``, the evening of ``END_DATE``): a step that would come later has not happened
yet. The deadlines, business minutes, satisfaction and follow-up care events are the ones
the complaint services would have written. Drawn from a ``random.Random`` of its own, so
the customers are the same with or without complaints."""
from __future__ import annotations

import datetime as dt
import random
from typing import Optional

from crmdesk.core.complaints import fields as K
from crmdesk.core.complaints import settings as complaint_settings
from crmdesk.core.complaints.complaints import deadlines
from crmdesk.core.demo.complaint_texts import (ACK_NOTES, CASES, FOLLOW_UP_RESULTS, PROPOSE_NOTES,
                                                        SKIP_REASONS,
                                                         REJECT_NOTES, RESOLVE_NOTES, SURVEY_NOTES, WAIT_NOTES)
from crmdesk.core.demo.vocabulary import END_DATE, PRODUCTS, START_DATE, Pick, pick_one, uuid_from_bits

NOW = dt.datetime.combine(END_DATE, dt.time(17, 30))
COMPLAINT_COLUMNS = (
    "id", "uuid", "created_at", "updated_at", "number", "customer_id", "contact", "contact_phone", "channel",
    "received_at", "category", "subcategory", "product", "severity", "words", "facts", "root_cause", "solution",
    "compensation_kind", "compensation_amount", "accepted", "owner", "state", "first_response_at", "resolved_at",
    "closed_at", "response_due_at", "resolution_due_at", "response_warn_at", "resolution_warn_at", "waiting_since",
    "paused_minutes", "response_minutes", "resolution_minutes", "satisfaction", "satisfaction_scale", "survey_note",
    "repeat_of_id", "reopened", "version")
CONTACT_COLUMNS = ("uuid", "created_at", "updated_at", "complaint_id", "at", "channel", "by", "note", "step")
CARE_COLUMNS = ("uuid", "created_at", "updated_at", "customer_id", "kind", "due_on", "channel", "title", "message",
                "state", "result", "response", "done_at", "complaint_id", "rule", "version")
CHANGE_COLUMNS = ("at", "actor", "entity", "record_id", "record_uuid", "customer_id", "action", "field", "old", "new",
                  "batch_id")
SHARE = {"key": 0.4, "relationship": 0.25, "transactional": 0.15}
RECENT_SHARE = 0.06  # customers with a complaint in the last RECENT_DAYS as well
RECENT_DAYS = 30
CATEGORY = Pick((("product_quality", 30), ("delivery", 20), ("service_quality", 15), ("price_billing", 12),
                  ("staff_attitude", 10), ("promise_not_kept", 8), ("other", 5)))
SEVERITY = Pick(((K.LOW, 20), (K.NORMAL, 55), (K.HIGH, 20), (K.CRITICAL, 5)))
CHANNEL = Pick((("phone", 45), ("wechat", 20), ("visit", 10), ("email", 10), ("web", 8), ("letter", 2), ("other", 5)))
# Satisfaction on the five-level scale: after a complaint solved on time, and after a late one.
ON_TIME_SATISFACTION = Pick(((5, 35), (4, 45), (3, 14), (2, 4), (1, 2)))
LATE_SATISFACTION = Pick(((5, 10), (4, 30), (3, 30), (2, 20), (1, 10)))
# The first customers' recent complaints, so that every state is on the list whatever the
# seed: received this many working days before NOW, taken no further than the state
# (quickly, except the late one), of this severity (None: drawn), waiting for the customer.
SHOWCASE = ((0.05, K.NEW, None, False), (0.6, K.ACKNOWLEDGED, None, False), (2.5, K.INVESTIGATING, None, False),
            (5, K.PROPOSED, None, False), (9, K.RESOLVED, None, False), (14, K.CLOSED, None, False),
            (3, K.INVESTIGATING, K.NORMAL, True), (6, K.INVESTIGATING, K.HIGH, False),
            (0.7, K.NEW, K.CRITICAL, False))


class ComplaintMaker:
    def __init__(self, seed: int, first_id: int, batch_id: int):
        self.rng = random.Random(seed * 1_000_033 + 11)
        self.r = self.rng.random
        self.bits = self.rng.getrandbits
        self.next_id = first_id
        self.batch_id = batch_id
        self.settings = complaint_settings.load()
        self.calendar = self.settings.calendar()
        self.per_day: dict[str, int] = {}
        self.complaints: list[tuple] = []
        self.contacts: list[tuple] = []
        self.care: list[tuple] = []
        self.changes: list[tuple] = []
        self.start = max(START_DATE, dt.date(2023, 11, 21))
        self.day_minutes = self.calendar.day_minutes

    def take(self) -> tuple[list, list, list, list]:
        found = (self.complaints, self.contacts, self.care, self.changes)
        self.complaints, self.contacts, self.care, self.changes = [], [], [], []
        return found

    # ------------------------------------------------------------ drawing
    def _received(self, first: dt.date, last: dt.date) -> dt.datetime:
        day = first + dt.timedelta(days=int(self.r() * ((last - first).days + 1)))
        minute = 8 * 60 + int(self.r() * 11 * 60) if self.r() < 0.85 else 19 * 60 + int(self.r() * 150)
        return dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute)

    def _later(self, moment: dt.datetime, minutes: float) -> dt.datetime:
        return self.calendar.add(moment, max(5, int(minutes)))

    def customer(self, number: int, cid: int, owner: str, person: str, mobile: str, tier: str,
                 created: dt.date) -> None:
        r = self.r
        first = max(self.start, created)
        received: list[dt.datetime] = []
        if r() < SHARE.get(tier, 0.12):
            received.append(self._received(first, END_DATE - dt.timedelta(days=RECENT_DAYS)))
            if r() < 0.2:  # the same trouble again, or another one
                received.append(received[0] + dt.timedelta(days=10 + int(r() * 150)))
        showcase = SHOWCASE[number - 1] if number <= len(SHOWCASE) else None
        if showcase is not None:
            received.append(self._back(showcase[0]))
        elif r() < RECENT_SHARE:
            received.append(self._received(END_DATE - dt.timedelta(days=RECENT_DAYS), END_DATE))
        received = sorted(t for t in received if t.date() >= first and t <= NOW)
        earlier: list[tuple[int, str, dt.datetime]] = []
        for index, moment in enumerate(received):
            category = CATEGORY(r)
            if index and r() < 0.5:
                category = earlier[-1][1]  # the same trouble again
            repeat = next((i for i, c, t in reversed(earlier)
                           if c == category and moment - t <= dt.timedelta(days=K.REPEAT_DAYS)), None)
            shown = showcase if showcase is not None and moment == self._back(showcase[0]) else None
            complaint_id = self._complaint(cid, owner, person, mobile, moment, category, repeat, shown)
            earlier.append((complaint_id, category, moment))

    def _back(self, working_days: float) -> dt.datetime:
        """The moment ``working_days`` of working time before NOW."""
        target = self.calendar.position(NOW) - int(working_days * self.day_minutes)
        moment = NOW - dt.timedelta(days=int(working_days * 7 / 5) + 1)
        while self.calendar.position(moment) > target:
            moment -= dt.timedelta(days=1)
        return self.calendar.add(moment, target - self.calendar.position(moment))

    # ------------------------------------------------------------ one complaint
    def _complaint(self, cid: int, owner: str, person: str, mobile: str, received: dt.datetime, category: str,
                   repeat: Optional[int], showcase: Optional[tuple]) -> int:
        r, add = self.r, self._later
        complaint_id = self.next_id
        self.next_id += 1
        uuid = uuid_from_bits(self.bits(128))
        severity, channel = SEVERITY(r), CHANNEL(r)
        if showcase is not None and showcase[2]:
            severity = showcase[2]
        subcategory, words, facts, root_cause, solution, compensation, (low, high) = pick_one(r, CASES[category])
        product = pick_one(r, PRODUCTS)[0] if category in ("product_quality", "delivery") else ""
        amount = None if not high else (low + int(r() * (high - low) / 50) * 50) * 100
        response_h, resolution_h = self.settings.deadlines[severity]
        slow = 2.4 if r() < (0.3 if received > NOW - dt.timedelta(days=RECENT_DAYS) else 0.12) else 1.0
        if showcase is not None:
            slow = 3.0 if showcase[2] == K.HIGH else 0.25
        # the steps, as they would happen
        steps: list[tuple[str, dt.datetime, str]] = []
        acked = add(received, response_h * 60 * (0.1 + r() * 0.8) * slow)
        steps.append((K.ACKNOWLEDGED, acked, pick_one(r, ACK_NOTES)))
        investigating = add(acked, 15 + r() * 90)
        steps.append((K.INVESTIGATING, investigating, ""))
        pause: Optional[tuple[dt.datetime, dt.datetime]] = None
        work = resolution_h * 60 * (0.2 + r() * 0.5) * slow
        if r() < 0.18 or (showcase is not None and showcase[3]):
            wait_at = add(investigating, work * 0.3)
            pause = (wait_at, add(wait_at, self.day_minutes * (1 + r() * 3)))
            steps.append(("wait", wait_at, pick_one(r, WAIT_NOTES)))
            steps.append(("resume", pause[1], ""))
            proposed = add(pause[1], work * 0.7)
        else:
            proposed = add(investigating, work)
        steps.append((K.PROPOSED, proposed, pick_one(r, PROPOSE_NOTES)))
        if r() < 0.08:
            rejected = add(proposed, 60 + r() * 480)
            steps.append(("reject", rejected, pick_one(r, REJECT_NOTES)))
            proposed = add(rejected, self.day_minutes * (0.5 + r()))
            steps.append((K.PROPOSED, proposed, pick_one(r, PROPOSE_NOTES)))
        resolved = add(proposed, 60 + r() * 600)
        steps.append((K.RESOLVED, resolved, pick_one(r, RESOLVE_NOTES)))
        closed = add(resolved, self.day_minutes * (1 + r() * 4))
        steps.append((K.CLOSED, closed, ""))
        if showcase is None and r() < 0.02 and received < NOW - dt.timedelta(days=120):
            steps = steps[:3]  # stuck in the investigation for months: the top of the escalation list
        if showcase is not None:  # no further than its state (the wait, if any, is before it ends)
            last = max(i for i, s in enumerate(steps) if s[0] == showcase[1] or (
                showcase[1] == K.NEW and i == 0)) if showcase[1] != K.NEW else -1
            steps = steps[:last + 1] + ([s for s in steps[last + 1:] if s[0] == "wait"][:1] if showcase[3] else [])
        taken = [s for s in steps if s[1] <= NOW]

        # what the services would have kept
        paused = 0
        waiting_since = None
        if pause is not None and any(s[0] == "wait" for s in taken):
            if pause[1] <= NOW:
                paused = self.calendar.minutes_between(*pause)
            else:
                waiting_since = pause[0]
        state = K.NEW
        values = dict(first_response_at=None, resolved_at=None, closed_at=None, response_minutes=None,
                      resolution_minutes=None, satisfaction=None, satisfaction_scale=None, survey_note="",
                      accepted=None)
        for step, moment, _note in taken:
            if step in K.STATE_KEYS:
                state = step
            elif step == "reject":
                state = K.INVESTIGATING
        shown_facts = facts if state not in (K.NEW, K.ACKNOWLEDGED) and (
            state != K.INVESTIGATING or r() < 0.5 or any(s[0] == "reject" for s in taken)) else ""
        shown_root = root_cause if shown_facts and (state not in (K.INVESTIGATING,) or r() < 0.5) else ""
        shown_solution = solution if state in (K.PROPOSED, K.RESOLVED, K.CLOSED) or any(
            s[0] == K.PROPOSED for s in taken) else ""
        if taken:
            values["first_response_at"] = acked
            values["response_minutes"] = self.calendar.minutes_between(received, acked)
        if state in (K.RESOLVED, K.CLOSED):
            values.update(resolved_at=resolved, accepted=True,
                          resolution_minutes=max(0, self.calendar.minutes_between(received, resolved) - paused))
        elif any(s[0] == "reject" for s in taken) and state == K.INVESTIGATING:
            values["accepted"] = False
        due = deadlines(severity, received, paused, self.settings)
        if state == K.CLOSED:
            on_time = resolved <= due["resolution_due_at"]
            level = (ON_TIME_SATISFACTION if on_time else LATE_SATISFACTION)(r)
            values.update(closed_at=closed, satisfaction=level, satisfaction_scale=5,
                          survey_note=pick_one(r, SURVEY_NOTES[level]))
            self._follow_up(cid, complaint_id, uuid, channel, closed, solution, r)
        day = received.strftime("%Y%m%d")
        self.per_day[day] = self.per_day.get(day, 0) + 1
        number = f"CMP-{day}-{self.per_day[day]:03d}"
        stamp = _text(received)
        last = _text(max([received] + [s[1] for s in taken]))
        self.complaints.append((
            complaint_id, uuid, stamp, last, number, cid, person, mobile, channel, stamp, category, subcategory,
            product, severity, words, shown_facts, shown_root, shown_solution,
            compensation if shown_solution else "", amount if shown_solution else None,
            values["accepted"], owner, state, _text(values["first_response_at"]), _text(values["resolved_at"]),
            _text(values["closed_at"]), _text(due["response_due_at"]), _text(due["resolution_due_at"]),
            _text(due["response_warn_at"]), _text(due["resolution_warn_at"]), _text(waiting_since), paused,
            values["response_minutes"], values["resolution_minutes"], values["satisfaction"],
            values["satisfaction_scale"], values["survey_note"], repeat, 0, 1 + len(taken)))
        for step, moment, note in taken:
            shown_step = {"wait": "", "resume": "", "reject": K.INVESTIGATING}.get(step, step)
            if step == K.CLOSED:
                note = values["survey_note"]
            self.contacts.append((uuid_from_bits(self.bits(128)), _text(moment), _text(moment), complaint_id, _text(moment),
                                  channel if step != K.PROPOSED or r() < 0.5 else "phone", owner, note, shown_step))
        self.changes.append((stamp, owner, "complaint", complaint_id, uuid, cid, "created", "", None,
                             f"{number} {K.label(K.CATEGORIES, category, 'en')}", self.batch_id))
        return complaint_id

    def _follow_up(self, cid: int, complaint_id: int, complaint_uuid: str, channel: str, closed: dt.datetime, solution: str, r) -> None:
        due = closed.date() + dt.timedelta(days=self.settings.options.follow_up_days)
        age = (END_DATE - due).days  # the desk follows up nearly every one; a few of the last weeks are still open
        state = ("done" if r() < 0.93 else "skipped") if age > 14 else ("done" if age >= 0 and r() < 0.5 else "due")
        done_at = dt.datetime.combine(due, dt.time(10)) if state != "due" else None
        result = (pick_one(r, FOLLOW_UP_RESULTS) if state == "done" else pick_one(r, SKIP_REASONS) if state == "skipped"
                  else "")
        self.care.append((uuid_from_bits(self.bits(128)), _text(closed), _text(done_at or closed), cid, "complaint_follow_up",
                          due.isoformat(), channel if channel in ("phone", "wechat", "email", "visit") else "phone",
                          "", solution[:500], state, result, "", _text(done_at), complaint_id,
                          f"complaint:{complaint_uuid}", 1))


def _text(moment: Optional[dt.datetime]) -> Optional[str]:
    return None if moment is None else moment.isoformat(" ")

