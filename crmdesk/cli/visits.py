"""``crmdesk agenda`` and ``crmdesk export visits`` (``spec/cli.md``).

The agenda prints the visits of each day, the visits nobody recorded, and the customers due
for a visit::

    2026-11-24 周二
      09:00–10:00  上海明华贸易有限公司  需求分析  张伟  杭州市 西湖区
      14:00–15:00  宁波瑞丰  关怀拜访  张伟  宁波市 鄞州区  [未拜访]
    missed: 1
      2026-11-20 10:00–11:00  恒通机械有限公司  售后服务  张伟  杭州市 滨江区
    due for a visit: 23 customers
      C000123  华润五金有限公司  重点客户  张伟  39 days overdue  last visit 2026-10-01
    complaint deadlines: 2 complaints
      2026-11-20 17:00  CMP-20261118-002  宁波瑞丰  高  resolution  李娜  12.0 business hours late
      2026-11-24 16:00  CMP-20261124-001  恒通机械有限公司  一般  first response  张伟
    care: 2 reminders
      2026-11-18  Birthday greeting  宁波瑞丰  王芳  WeChat  王芳's birthday (11/18)  overdue
      2026-11-24  Purchase follow-up  恒通机械有限公司  李强  Phone  Follow-up on the purchase of 2026-11-21

On today's agenda (no --date, or --date of today) the care rules run first, so the
reminders due today are there: this writes to the database (the care events the rules
create, as the app does when it starts), so ``agenda`` is not a read-only command; a
pretend date never runs them.

A date outside the years 1900 to 2999 is refused in one sentence (exit 2), as a bad
--date or --days is, before the database is opened.
"""
from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TextIO

from crmdesk.core.customers import fields as F
from crmdesk.core.visits import fields as V
from crmdesk.core.errors import CrmError, FieldError
from crmdesk.core.io import normalize
from crmdesk.i18n import translate

EXIT_OK = 0
MAX_DAYS = 366
FIRST_YEAR, LAST_YEAR = 1900, 2999  # the dates --date, --from and --to take (9999 overflows the date arithmetic)
WEEKDAYS = {"zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
            "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}


def add_parsers(commands, db_option) -> None:
    agenda = commands.add_parser("agenda", parents=[db_option], help=translate(
        "Cli", "what is due: the visits of the coming days, visits nobody recorded, customers due for a visit "
               "(today's agenda also writes the care reminders due today into the database)"),
        description=translate(
        "Cli", "What is due: the visits of the coming days, visits nobody recorded, customers due for a visit, "
               "complaint deadlines and care reminders. Today's agenda first runs the care rules, which "
               "write the reminders due today into the database, as the app does when it starts; "
               "an agenda of another day (--date) changes nothing."))
    agenda.add_argument("--date", metavar="D", help=translate("Cli", "the first day (default: today), like 2026-11-24"))
    agenda.add_argument("--days", metavar="N", default="1", help=translate("Cli", "how many days (default 1)"))
    agenda.add_argument("--xlsx", type=Path, metavar="OUT.xlsx",
                        help=translate("Cli", "also write the agenda to an Excel file"))


def check_agenda(args: argparse.Namespace) -> None:
    """Refuse a bad --date or --days before the database is opened: one sentence, exit 2."""
    args.day = parse_day(args.date)
    try:
        args.day_count = int(str(args.days).strip())
    except ValueError:
        args.day_count = 0
    if not 1 <= args.day_count <= MAX_DAYS:
        raise CrmError("agenda_days_invalid", value=args.days, max=MAX_DAYS)


def parse_day(text) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        day = normalize.date(text)
    except FieldError:
        day = None
    if day is None:
        raise CrmError("agenda_date_invalid", value=text)
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise CrmError("cli_date_out_of_range", value=text, low=FIRST_YEAR, high=LAST_YEAR)
    return day


def spread_quota() -> int:
    from crmdesk.core.care.spread import DAILY_QUOTA
    return DAILY_QUOTA


def _area(city: str, district: str) -> str:
    return " ".join(p for p in (city, district) if p)


def _line(*parts: str) -> str:
    return "  ".join(p for p in parts if p)


def run_agenda(args: argparse.Namespace, out: TextIO, lang: str) -> int:
    from crmdesk.core import agenda as day_agenda
    from crmdesk.core.visits.export import time_span

    if args.day == dt.date.today():  # never for a pretend date: the rules would create its events for real
        from crmdesk.core.care import rules as care_rules
        spread = care_rules.run(args.day).spread
        if spread is not None:  # a first run or an import: the checks were spread, say so once
            count, week_count = spread.count, spread.weeks  # plain names: lupdate reads no attribute as a count
            weeks = translate("Cli", "over the next %n week(s)", "", week_count) if week_count > 1 else \
                translate("Cli", "over this week")
            out.write(translate("Cli", "%n customer(s) has(have) had no contact or purchase for a long time: care "
                                "checks spread {weeks}, key accounts first, at most {quota} a day per rep.", "",
                                count).format(weeks=weeks, quota=spread_quota()) + "\n")
    agenda = day_agenda.agenda(args.day, args.day_count)
    kind = {c.key: V.label(V.KINDS, c.key, lang) for c in V.KINDS}
    state = {c.key: V.label(V.STATES, c.key, lang) for c in V.STATES}
    for day, items in agenda.by_day():
        out.write(f"{day.isoformat()} {WEEKDAYS[lang][day.weekday()]}\n")
        if not items:
            out.write("  " + translate("Cli", "nothing planned") + "\n")
        for item in items:
            mark = f"[{state.get(item.state, item.state)}]" if item.state != V.PLANNED else ""
            out.write("  " + _line(time_span(item), item.customer_name, kind.get(item.kind, item.kind), item.rep,
                                   _area(item.city, item.district), mark) + "\n")
    out.write(translate("Cli", "missed: {count}").format(count=len(agenda.missed)) + "\n")
    for item in agenda.missed:
        out.write("  " + _line(f"{item.starts_at:%Y-%m-%d} {time_span(item)}", item.customer_name,
                               kind.get(item.kind, item.kind), item.rep, _area(item.city, item.district)) + "\n")
    due_count = agenda.due_count  # a plain name: lupdate reads no attribute as the count
    text = translate("Cli", "due for a visit: %n customer(s)", "", due_count)
    out.write(text.format(count=agenda.due_count) + "\n")
    for row in agenda.due:
        if row.overdue_days > 1:
            late = translate("Cli", "{days} days overdue").format(days=row.overdue_days)
        elif row.overdue_days == 1:
            late = translate("Cli", "1 day overdue")
        else:  # the agenda lists what is due by ``day``: never ahead of it
            late = translate("Cli", "due today")
        last = (translate("Cli", "last visit {date}").format(date=row.last_visit.isoformat()) if row.last_visit
                else translate("Cli", "never visited"))
        out.write("  " + _line(row.code, row.name, F.enum_label("tier", row.tier, lang), row.owner, late, last)
                  + "\n")
    _complaint_lines(agenda, out, lang)
    _care_lines(agenda, out, lang)
    from crmdesk.cli.sales import payment_lines
    payment_lines(agenda.payments, agenda.day, out)  # issue 19: the payments due
    _deal_lines(agenda.deal_count, agenda.deals, out, lang)
    if args.xlsx:
        path = day_agenda.export_agenda(args.xlsx, agenda, lang)
        out.write(translate("Cli", "Wrote {path}.").format(path=path) + "\n")
    return EXIT_OK


def _complaint_lines(agenda, out: TextIO, lang: str) -> None:
    """The complaint deadlines due by the agenda's end, overdue ones marked."""
    from crmdesk.core.complaints import fields as K
    complaint_count = agenda.complaint_count
    text = translate("Cli", "complaint deadlines: %n complaint(s)", "", complaint_count)
    out.write(text.format(count=agenda.complaint_count) + "\n")
    names = {"response": translate("Cli", "first response"), "resolution": translate("Cli", "resolution")}
    for item in agenda.complaints:
        if item.late_minutes:
            late = translate("Cli", "{hours} business hours late").format(hours=f"{item.late_minutes / 60:.1f}")
        elif item.overdue:  # past it, but no working time since (the evening or weekend after)
            late = translate("Cli", "overdue")
        else:
            late = ""
        out.write("  " + _line(f"{item.due_at:%Y-%m-%d %H:%M}", item.number, item.customer_name,
                               K.label(K.SEVERITIES, item.severity, lang), names[item.deadline], item.owner, late)
                  + "\n")


def _care_lines(agenda, out: TextIO, lang: str) -> None:
    """The open care events shown by the agenda's end, the soonest first, overdue ones marked."""
    from crmdesk.core.care import fields as C
    from crmdesk.core.care.export import subject
    care_count = agenda.care_count
    text = translate("Cli", "care: %n reminder(s)", "", care_count)
    out.write(text.format(count=agenda.care_count) + "\n")
    for event in agenda.care:
        late = translate("Cli", "overdue") if event.shown_on < agenda.day else ""
        out.write("  " + _line(event.shown_on.isoformat(), C.label(C.KINDS, event.kind, lang), event.customer_name,
                               event.contact_name, C.label(C.CHANNELS, event.channel, lang),
                               subject(event.kind, event.occasion, event.facts, event.subject, event.contact_name, lang),
                               late) + "\n")


def _deal_lines(deal_count: int, deals: list, out: TextIO, lang: str) -> None:
    """Sales (issue 19): the open deals whose next step or expected close is due by the agenda's end."""
    from crmdesk.core.sales import opportunities_agenda
    out.write(translate("Cli", "deals due: %n opportunity(ies)", "", deal_count).format(count=deal_count) + "\n")
    what = {"next_step": translate("Cli", "next step"), "close": translate("Cli", "expected close")}
    for deal in deals:
        late = translate("Cli", "overdue") if deal.overdue else ""
        step = deal.next_step.splitlines()[0] if deal.what == "next_step" and deal.next_step else ""
        out.write("  " + _line(deal.due_on.isoformat(), deal.customer_name, deal.title,
                               opportunities_agenda.stage_name(deal.stage, lang), what[deal.what], step, deal.owner,
                               late) + "\n")


def run_export(args: argparse.Namespace, out: TextIO, lang: str, progress) -> int:
    from crmdesk.core.visits import export as visit_export
    count = visit_export.export_visits(args.out, lang, progress=progress)
    out.write("\n" if out.isatty() else "")
    text = translate("Cli", "Exported %n visit(s) to {path}.", "", count)
    out.write(text.format(count=count, path=args.out) + "\n")
    return EXIT_OK
