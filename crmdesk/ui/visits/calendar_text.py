"""What the visit calendar says in words: the range's title and the tooltips (translated in
the "VisitCalendar" context, where these strings have always been)."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from PySide6.QtCore import QCoreApplication, QDate, QLocale, QPoint

from crmdesk.core.visits.planning import CalendarItem
from crmdesk.ui.common import formatting
from crmdesk.ui.visits.labels import kind_label, state_label
from crmdesk.ui.visits.calendar_reps import Reps
from crmdesk.ui.visits import calendar_month as M
from crmdesk.ui.visits import calendar_paint as P


translate = QCoreApplication.translate  # lupdate reads the context from each call


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def title(mode: str, current: dt.date, start: dt.date, end: dt.date) -> str:
    """The day, the month, or the week shown (``start`` up to ``end``)."""
    loc = QLocale()
    if mode == "day":
        return loc.toString(qdate(start), QLocale.FormatType.LongFormat)
    if mode == "month":
        return loc.toString(qdate(current), translate("VisitCalendar", "MMMM yyyy", "month title, a QDate format"))
    last = end - dt.timedelta(days=1)
    if start.year != last.year:  # Dec 28, 2026 – Jan 3, 2027
        first_format = translate("VisitCalendar", "MMM d, yyyy", "week title: first day, in another year (a QDate format)")
        last_format = translate("VisitCalendar", "MMM d, yyyy", "week title: last day, in another year (a QDate format)")
    else:  # Nov 23 – 29, 2026; Nov 30 – Dec 6, 2026
        first_format = translate("VisitCalendar", "MMM d", "week title: first day (a QDate format)")
        last_format = (translate("VisitCalendar", "d, yyyy", "week title: last day, in the same month (a QDate format)")
                       if start.month == last.month else
                       translate("VisitCalendar", "MMM d, yyyy", "week title: last day, in another month (a QDate format)"))
    return f"{loc.toString(qdate(start), first_format)} – {loc.toString(qdate(last), last_format)}"


def visit_tooltip(item: CalendarItem) -> str:
    """A visit's tooltip (rich text): customer, time, state, kind, rep, place, and the clash warning."""
    lines = [f"{formatting.date(item.starts_at.date())} {P.clock(item.starts_at)}–{P.clock(item.ends_at)}",
             f"{state_label(item.state)} · {kind_label(item.kind)}",
             translate("VisitCalendar", "Rep: {rep}").format(rep=item.rep) if item.rep else "",
             translate("VisitCalendar", "Place: {place}").format(place=item.place) if item.place else ""]
    warning = translate("VisitCalendar", "Clashes with another visit of the same rep") if item.clash else ""
    return P.tooltip_html(item.customer_name, lines, warning)


def reps_tooltip(reps: Reps, pos: QPoint, scroll: int) -> str:
    """In the week by rep: a "+N" box lists its visits; a rep's name says what a click does."""
    more = reps.more_at(pos, scroll)
    if more is not None:
        rep = reps.row_of_more(more).rep
        return P.more_html(more, translate("VisitCalendar", "Click to see only {rep}'s visits").format(rep=rep) if rep
                           else translate("VisitCalendar", "Click to see the day"))
    row = reps.rep_at(pos, scroll)
    return translate("VisitCalendar", "{rep}: click to see only their visits").format(rep=row.rep) if row and row.rep else ""


def tooltip_at(pos: QPoint, scroll: int, mode: str, item: Optional[CalendarItem], month: Optional[M.Month],
               grid: Optional[P.Grid], reps: Optional[Reps]) -> str:
    """The tooltip at ``pos``: the visit's, or what a "+N" box hides, or what a rep's name does."""
    if item is not None:
        return visit_tooltip(item)
    if reps is not None:
        return reps_tooltip(reps, pos, scroll)
    cell = month.cell_at(pos) if month is not None else None
    if cell is not None and cell.more_text and cell.more_rect.contains(pos):
        return M.hidden_html(cell)
    more = grid.more_at(pos, scroll) if grid is not None else None
    if more is None:
        return ""
    return P.more_html(more, translate("VisitCalendar", "Click to see the day, or pick a rep above to see only theirs") if mode != "day"
                       else translate("VisitCalendar", "Pick a rep above to see only theirs"))
