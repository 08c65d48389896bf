"""Pinyin keys for searching and sorting Chinese names: 北京华润 -> beijinghuarun / bjhr."""
from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[\u3400-\u9fff]+|[^\u3400-\u9fff]+")


@lru_cache(maxsize=65536)
def _chinese(run: str) -> tuple[str, str]:
    # Imported on first use: its dictionaries take 55 MB, and an app that only reads and
    # searches never needs them (the user types the pinyin).
    from pypinyin import Style, lazy_pinyin
    syllables = lazy_pinyin(run, style=Style.NORMAL, errors="ignore")
    return "".join(syllables), "".join(s[:1] for s in syllables)


def pinyin_keys(text: str) -> tuple[str, str]:
    """(full pinyin, initials), lower case, without spaces; other text kept as it is."""
    full, initials = [], []
    for run in _WORD.findall(text or ""):
        if "\u3400" <= run[0] <= "\u9fff":
            f, i = _chinese(run)
        else:  # letters and digits: （香港）华润 sorts and searches as xianggang...
            f = re.sub(r"[\W_]+", "", run.casefold())
            i = "".join(w[:1] for w in re.findall(r"[^\W_]+", run.casefold()))
        full.append(f)
        initials.append(i)
    return "".join(full), "".join(initials)


def search_text(*parts: str) -> str:
    """The text the full-text index holds for a record: every part, lower case, with the
    pinyin and initials of the Chinese ones."""
    pieces: list[str] = []
    for part in parts:
        if not part:
            continue
        pieces.append(part.casefold())
        if _CJK.search(part):
            pieces.extend(pinyin_keys(part))
            # Each Chinese character on its own, for the word index that finds one or two
            # characters anywhere (the trigram index needs three).
            pieces.append(" ".join(_CJK.findall(part)))
    return " ".join(pieces)


_CJK = re.compile(r"[\u3400-\u9fff]")
