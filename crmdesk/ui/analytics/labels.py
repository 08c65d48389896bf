"""The analytics' names in the user's language: RFM segments, loyalty factors, churn signs
with their figures, lost customers' causes."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QT_TRANSLATE_NOOP

from crmdesk.ui.common import formatting
from crmdesk.ui.common import plural

SOURCES = {
    "segment": {
        "champions": QT_TRANSLATE_NOOP("Analytics", "Champions"),
        "loyal": QT_TRANSLATE_NOOP("Analytics", "Loyal"),
        "potential": QT_TRANSLATE_NOOP("Analytics", "Potential loyalists"),
        "new": QT_TRANSLATE_NOOP("Analytics", "New"),
        "at_risk": QT_TRANSLATE_NOOP("Analytics", "At risk"),
        "cannot_lose": QT_TRANSLATE_NOOP("Analytics", "Cannot lose"),
        "hibernating": QT_TRANSLATE_NOOP("Analytics", "Hibernating"),
        "lost": QT_TRANSLATE_NOOP("Analytics", "Lost"),
        "need_attention": QT_TRANSLATE_NOOP("Analytics", "Need attention"),
    },
    "factor": {
        "duration": QT_TRANSLATE_NOOP("Analytics", "Relationship duration"),
        "frequency": QT_TRANSLATE_NOOP("Analytics", "Purchase frequency"),
        "frequency_trend": QT_TRANSLATE_NOOP("Analytics", "Frequency trend"),
        "wallet_share": QT_TRANSLATE_NOOP("Analytics", "Wallet share"),
        "cross_buying": QT_TRANSLATE_NOOP("Analytics", "Cross-buying"),
        "mentions": QT_TRANSLATE_NOOP("Analytics", "Mentions"),
        "price_sensitivity": QT_TRANSLATE_NOOP("Analytics", "Price sensitivity"),
        "voluntariness": QT_TRANSLATE_NOOP("Analytics", "Voluntary purchase"),
        "satisfaction": QT_TRANSLATE_NOOP("Analytics", "Satisfaction"),
    },
    "cause": {
        "product": QT_TRANSLATE_NOOP("Analytics", "Product"),
        "service": QT_TRANSLATE_NOOP("Analytics", "Service"),
        "staff": QT_TRANSLATE_NOOP("Analytics", "Staff"),
        "image": QT_TRANSLATE_NOOP("Analytics", "Image"),
        "customer": QT_TRANSLATE_NOOP("Analytics", "The customer"),
        "competitor": QT_TRANSLATE_NOOP("Analytics", "Competitors"),
        "": QT_TRANSLATE_NOOP("Analytics", "Not recorded"),
    },
}


def label(kind: str, key: str) -> str:
    text = SOURCES.get(kind, {}).get(key)
    return QCoreApplication.translate("Analytics", text) if text else key


def sign_text(reason: str, figures: dict) -> str:
    """One churn sign with its figures, in a sentence's fragment."""
    if reason == "no_purchase":
        return QCoreApplication.translate(
            "Analytics", "no purchase for {days} days (usually one every {interval}; 1.5 × is {threshold}; "
            "last {date})").format(days=figures["days"], interval=figures["interval"],
                                   threshold=figures["threshold"], date=formatting.date(figures["last"]))
    if reason == "falling_frequency":
        return QCoreApplication.translate(
            "Analytics", "bought on {now} days in the last 12 months against {before} the 12 before").format(
            now=figures["last_12m"], before=figures["previous_12m"])
    if reason == "open_complaints":
        count = figures["count"]
        return plural.translate("Analytics", "%n open complaint(s) of the last 90 days", "", count)
    if reason == "low_satisfaction":
        return QCoreApplication.translate("Analytics", "satisfaction {value} of 5").format(
            value=formatting.number(figures["satisfaction"], 1))
    return reason
