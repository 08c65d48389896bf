"""Visits to a calendar file (issue 21, "Out to the phone and the calendar"): an iCalendar
(RFC 5545) file a phone, Outlook or Google Calendar imports, one event a visit, written by
``icalendar``.

Each event's UID is the visit's own uuid (``crmdesk-visit-<uuid>``), its SEQUENCE the visit's
version and LAST-MODIFIED its last change: importing a newer export of the same visits
updates the events instead of doubling them, and a cancelled visit comes as a cancelled
event. Optionally the open care reminders (all-day events on their due day) and the
opportunities' next steps (on their day). Times are floating local times, as the visits are
stored and as the user planned them.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterable, Optional

from icalendar import Calendar, Event

from crmdesk.core.visits import fields as V
from crmdesk.core.io import atomic
from crmdesk.core.models import CareEvent, Customer, Opportunity, Visit, utcnow

PRODID = "-//crmdesk//crmdesk//ZH"
DOMAIN = "crmdesk"
LANGS = ("zh", "en")
_WORDS = {
    "zh": {"next_step": "下一步", "care": "关怀", "visit": "拜访"},
    "en": {"next_step": "Next step", "care": "Care", "visit": "Visit"},
}
_STATUS = {"planned": "CONFIRMED", "done": "CONFIRMED", "postponed": "TENTATIVE", "cancelled": "CANCELLED",
           "missed": "CANCELLED"}


def _stamp(value: Optional[dt.datetime]) -> dt.datetime:
    """A stored UTC time as an aware one (DTSTAMP and LAST-MODIFIED are UTC)."""
    return (value or utcnow()).replace(tzinfo=dt.timezone.utc)


def visit_event(visit: Visit, customer: Customer, lang: str) -> Event:
    event = Event()
    event.add("uid", f"{DOMAIN}-visit-{visit.uuid}")
    event.add("dtstamp", _stamp(utcnow()))
    event.add("last-modified", _stamp(visit.updated_at))
    event.add("sequence", int(visit.version or 1))
    event.add("dtstart", visit.starts_at)
    event.add("dtend", visit.ends_at)
    event.add("summary", f"{V.label(V.KINDS, visit.kind, lang)}: {customer.name}")
    if visit.place:
        event.add("location", visit.place)
    lines = [line for line in (visit.objective, visit.contacts, visit.outcome) if line]
    if lines:
        event.add("description", "\n".join(lines))
    event.add("status", _STATUS.get(visit.state, "CONFIRMED"))
    event.add("categories", [_WORDS[lang]["visit"]])
    if visit.rep:
        event.add("organizer", f"CN={visit.rep}:invalid:nomail", encode=1)
    return event


def _all_day(uid: str, day: dt.date, summary: str, description: str, updated: Optional[dt.datetime],
             category: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", _stamp(utcnow()))
    event.add("last-modified", _stamp(updated))
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    event.add("transp", "TRANSPARENT")
    event.add("categories", [category])
    return event


def build(rep: Optional[str] = None, lang: str = "zh", care: bool = False, opportunities: bool = False,
          since: Optional[dt.date] = None) -> Calendar:
    """The calendar of the live visits (of ``rep`` when given; from ``since`` when given),
    with the open care reminders and next steps when asked."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"crmdesk {rep}" if rep else "crmdesk")
    query = (Visit.select(Visit, Customer).join(Customer)
             .where(Visit.deleted_at.is_null(), Customer.deleted_at.is_null()).order_by(Visit.starts_at))
    if rep:
        query = query.where(Visit.rep == rep)
    if since:
        query = query.where(Visit.starts_at >= dt.datetime.combine(since, dt.time()))
    for visit in query:
        calendar.add_component(visit_event(visit, visit.customer, lang))
    if care:
        for event in _care_events(rep, lang):
            calendar.add_component(event)
    if opportunities:
        for event in _next_steps(rep, lang):
            calendar.add_component(event)
    return calendar


def _care_events(rep: Optional[str], lang: str) -> Iterable[Event]:
    query = (CareEvent.select(CareEvent, Customer).join(Customer)
             .where(CareEvent.deleted_at.is_null(), Customer.deleted_at.is_null(),
                    CareEvent.state.in_(("due", "snoozed"))))
    if rep:
        query = query.where(Customer.owner == rep)
    word = _WORDS[lang]["care"]
    for care in query:
        day = care.snoozed_until or care.due_on
        yield _all_day(f"{DOMAIN}-care-{care.uuid}", day, f"{word}: {care.title or care.kind} · {care.customer.name}",
                       care.message, care.updated_at, word)


def _next_steps(rep: Optional[str], lang: str) -> Iterable[Event]:
    query = (Opportunity.select(Opportunity, Customer).join(Customer)
             .where(Opportunity.deleted_at.is_null(), Customer.deleted_at.is_null(),
                    Opportunity.next_step_on.is_null(False), Opportunity.next_step != ""))
    if rep:
        query = query.where(Opportunity.owner == rep)
    word = _WORDS[lang]["next_step"]
    for deal in query:
        yield _all_day(f"{DOMAIN}-next-step-{deal.uuid}", deal.next_step_on,
                       f"{word}: {deal.next_step} · {deal.customer.name}", deal.title, deal.updated_at, word)


def write(path: Path | str, calendar: Calendar) -> int:
    """Write ``calendar`` to ``path`` atomically; returns the events written."""
    atomic.write_bytes(path, calendar.to_ical())
    return sum(1 for c in calendar.walk("VEVENT"))
