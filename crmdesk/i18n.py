"""Translations for the command line, read from the same Qt Linguist files the GUI uses
(``resources/translations/crmdesk_zh_CN.ts``, and ``crmdesk_en.ts`` for English plurals)
without importing Qt.

Counts use Qt's numerus form: the source says ``"%n customer(s)"`` and ``translate(context,
text, "", n)`` picks the language's form (zh has one, en two: singular for 1) from the
.ts, with ``%n`` replaced by ``n``. A string the English file does not have yet gets its
forms from the source by ``english_forms``, the rule ``update.sh`` fills crmdesk_en.ts with."""
from __future__ import annotations

import locale
import os
import re
import xml.etree.ElementTree as ET
from functools import lru_cache

from crmdesk.paths import resources_dir

SUPPORTED = ("zh_CN", "en")


def system_language() -> str:
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return "zh_CN" if value.lower().startswith("zh") else "en"
    try:
        code = locale.getlocale()[0] or ""
    except ValueError:
        code = ""
    return "zh_CN" if code.lower().startswith("zh") else "en"


@lru_cache(maxsize=4)
def _catalog(language: str) -> dict[tuple[str, str], str]:
    path = resources_dir() / "translations" / f"crmdesk_{language}.ts"
    if not path.exists():
        return {}
    catalog = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") in ("unfinished", "obsolete", "vanished"):
                continue
            forms = tuple(form.text or "" for form in translation.iter("numerusform"))
            if message.get("numerus") == "yes" and any(forms):
                catalog[(name, message.findtext("source", ""))] = forms
            elif translation.text:
                catalog[(name, message.findtext("source", ""))] = translation.text
    return catalog


_CHOICE = re.compile(r"([\w']+)\(([\w']+)\)")


def english_forms(text: str) -> tuple[str, str]:
    """The singular and plural of an English numerus source: "customer(s)" is "customer"
    and "customers", "match(es)" "match"/"matches", "entry(ies)" "entry"/"entries", and any
    other "singular(plural)" pair, such as "has(have)", "is(are)" or "customer's(customers')", one
    or the other."""
    def pick(plural: bool):
        def one(match: re.Match) -> str:
            word, tail = match.group(1), match.group(2)
            if tail in ("s", "es"):
                return word + tail if plural else word
            if tail == "ies":
                return word[:-1] + "ies" if plural else word
            return tail if plural else word
        return one
    return _CHOICE.sub(pick(False), text), _CHOICE.sub(pick(True), text)


def plural_index(language: str, n: int) -> int:
    """Which numerus form a count takes: Chinese has one, English two (1 is singular)."""
    return 0 if language.startswith("zh") or n == 1 else 1


_language = None


def set_language(language: str | None) -> None:
    global _language
    _language = language


def language() -> str:
    """The language the user reads now: the one set (the GUI's choice), else the system's."""
    return _language or system_language()


def translate(context: str, text: str, disambiguation: str = "", n: int | None = None) -> str:
    """``text`` in the user's language (English source strings are the keys); with a count
    ``n``, the numerus form for it, ``%n`` replaced by ``n`` (Qt's ``tr(text, "", n)``)."""
    language = _language or system_language()
    if n is None:
        if language == "en":
            return text
        found = _catalog(language).get((context, text), text)
        return found if isinstance(found, str) else found[0]
    found = _catalog(language).get((context, text))
    if isinstance(found, tuple):
        form = found[min(plural_index(language, n), len(found) - 1)] or text
    elif isinstance(found, str):
        form = found
    else:
        form = english_forms(text)[plural_index("en", n)]
    return form.replace("%n", str(n))
