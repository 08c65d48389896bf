"""Translations for the command line, read from the same Qt Linguist file the GUI uses
(``resources/translations/crmdesk_zh_CN.ts``) without importing Qt."""
from __future__ import annotations

import locale
import os
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
            if translation.text:
                catalog[(name, message.findtext("source", ""))] = translation.text
    return catalog


_language = None


def set_language(language: str | None) -> None:
    global _language
    _language = language


def translate(context: str, text: str) -> str:
    """``text`` in the user's language (English source strings are the keys)."""
    language = _language or system_language()
    if language == "en":
        return text
    return _catalog(language).get((context, text), text)
