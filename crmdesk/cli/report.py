"""``crmdesk report OUT.xlsx`` (``spec/cli.md``): the analytics figures, one sheet each
(``core.analytics.report_export``), then the sales figures (``core.sales.figures_export``:
funnel, forecast, sales by month, seasons, products, channels, owners, regions, churn), for
the customers chosen by owner, region or tier and the revenue of a period::

    crmdesk report analytics.xlsx --from 2026-01-01 --to 2026-06-30 --owner 张伟
    Wrote analytics.xlsx: 120 customers, 18 A / 25 B / 77 C, 9 at risk.
    Sales 1,250,000.00 in 310 sales; win rate 42%; forecast 380,000.00 weighted.

A bad --from or --to is refused before the database is opened: one sentence, exit 2; an
owner, region or tier nobody in the database has is refused before anything is written.
"""
from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TextIO

from crmdesk.core.customers import fields as F
from crmdesk.core.errors import CrmError
from crmdesk.i18n import translate

EXIT_OK = 0


def add_parsers(commands, db_option) -> None:
    report = commands.add_parser("report", parents=[db_option], help=translate(
        "Cli", "the analytics and sales figures (ABC, value, loyalty, RFM, churn, satisfaction, funnel, "
        "forecast, sales by month, season, product, channel, owner, region), one sheet each"))
    report.add_argument("out", type=Path, metavar="OUT.xlsx")
    report.add_argument("--lang", choices=["zh", "en"], default=None,
                        help=translate("Cli", "header language (default: your system language)"))
    report.add_argument("--from", dest="start", metavar="D",
                        help=translate("Cli", "the first day of the period for revenue, like 2026-01-01"))
    report.add_argument("--to", dest="end", metavar="D",
                        help=translate("Cli", "the last day of the period for revenue (default: today)"))
    report.add_argument("--owner", default="", metavar="NAME", help=translate("Cli", "only this owner's customers"))
    report.add_argument("--region", default="", metavar="R",
                        help=translate("Cli", "only the customers in this province or city"))
    report.add_argument("--tier", default="", choices=[c.key for c in F.TIER],
                        help=translate("Cli", "only the customers of this tier"))


def check(args: argparse.Namespace) -> None:
    """Refuse a bad --from or --to before the database is opened: one sentence, exit 2.
    Sets ``args.first`` and ``args.last`` (dates or None)."""
    from crmdesk.cli.visits import parse_day
    args.first = args.last = None
    for name, text in (("first", args.start), ("last", args.end)):
        if text is None:
            continue
        try:
            setattr(args, name, parse_day(text))
        except CrmError as error:
            if error.code != "agenda_date_invalid":  # out of range: its own sentence
                raise
            raise CrmError("report_date_invalid", value=text) from None
    if args.first and args.last and args.first > args.last:
        raise CrmError("report_period_invalid", start=args.first.isoformat(), end=args.last.isoformat())


def run(args: argparse.Namespace, out: TextIO, lang: str, progress) -> int:
    from crmdesk.core.analytics import report
    from crmdesk.core.analytics.facts import Filter
    from crmdesk.core.analytics.report_export import export_report
    from crmdesk.core.sales import figures_export, figures_report
    from crmdesk.core.sales.figures import Period

    end = args.last + dt.timedelta(days=1) if args.last else None  # the filter's end is exclusive
    where = Filter(start=args.first, end=end, owner=args.owner.strip(), region=args.region.strip(), tier=args.tier)
    report.check_filter(where)  # an owner, region or tier nobody has: one sentence, exit 2, nothing written
    today = dt.date.today()
    built = report.build(today, where, progress)
    period = Period(args.first, end, where.owner, where.region, where.tier)
    sales = figures_report.build(period, today, progress)
    path = export_report(args.out, built, lang, more=[lambda wb, lang: figures_export.write_sheets(wb, sales, lang)])
    out.write("\n" if out.isatty() else "")
    count = len(built.customers)
    text = translate("Cli", "Wrote {path}: %n customer(s), {a} A / {b} B / {c} C, {risk} at risk.", "", count)
    counts = built.abc.counts
    out.write(text.format(path=path, a=counts["A"], b=counts["B"], c=counts["C"], risk=len(built.at_risk)) + "\n")
    won = sales.funnel.win_rate
    count = sales.sales  # a plain name: lupdate skips a call whose count is an attribute
    out.write(translate("Cli", "Sales {amount} in %n sale(s); win rate {won}; forecast {forecast} weighted.", "",
                        count).format(amount=f"{sales.total:,.2f}", won="—" if won is None else f"{won:.0%}",
                                            forecast=f"{sales.forecast.weighted:,.2f}") + "\n")
    return EXIT_OK
