"""A country as people write it ("Germany", "德国", "Deutschland", "USA", "MX") to the region
phonenumbers dials in ("DE").

The names come from phonenumbers' own locale data (the country names it shows in its
geocoder, in English, Chinese and the main European languages), so nothing is kept here
but a few common short forms. Loading that data takes ~0.4 s, so it is read the first
time a country other than China is looked up.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

LANGUAGES = ("aa", "en", "zh", "de", "fr", "es", "it", "pt", "nl", "sv", "pl")  # "aa": the English default
CHINA = "CN"
_SHORT = {
    "china": CHINA, "中国": CHINA, "中國": CHINA, "中国大陆": CHINA, "prc": CHINA, "mainlandchina": CHINA,
    "peoplesrepublicofchina": CHINA, "中华人民共和国": CHINA,
    "usa": "US", "us": "US", "unitedstatesofamerica": "US", "america": "US",
    "uk": "GB", "greatbritain": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "britain": "GB",
    "香港": "HK", "hongkong": "HK", "澳门": "MO", "澳門": "MO", "macau": "MO", "macao": "MO",
    "台湾": "TW", "臺灣": "TW", "taiwan": "TW", "korea": "KR", "southkorea": "KR", "韩国": "KR",
    "russia": "RU", "vietnam": "VN",
}


def _fold(text: str) -> str:
    return re.sub(r"[\s.,'’()（）\-_]+", "", text).casefold()


def _name(names: dict, language: str) -> Optional[str]:
    """A name in ``language``, following phonenumbers' "*xx" (same as language xx)."""
    seen = set()
    value = names.get(language)
    while isinstance(value, str) and value.startswith("*") and value not in seen:
        seen.add(value)
        value = names.get(value[1:])
    return value if isinstance(value, str) and value else None


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    from phonenumbers.geodata.locale import LOCALE_DATA  # ~0.4 s: only once a foreign country appears
    index: dict[str, str] = {}
    for region, names in LOCALE_DATA.items():
        if len(region) != 2:
            continue
        index.setdefault(region.casefold(), region)
        for language in LANGUAGES:
            name = _name(names, language)
            if name:
                index.setdefault(_fold(name), region)
    index.update(_SHORT)
    return index


def region_of(country: Optional[str]) -> Optional[str]:
    """The region code for ``country``; None when it is empty or names no country known."""
    if not country or not country.strip():
        return None
    folded = _fold(country)
    if folded in _SHORT:
        return _SHORT[folded]
    return _index().get(folded)
