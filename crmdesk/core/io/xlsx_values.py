"""Cell values of .xlsx parts as python-calamine 0.9 gives them: the text of ``<t>`` runs,
numbers, and serials in date and duration formats (``xlsx_stream``; the rules are written
out there and tested against python-calamine in tests/core/io/test_xlsx_stream.py)."""
from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from typing import Any, Optional
from xml.etree import ElementTree

_DAY_MS = 86_400_000.0
_T = re.compile(rb"<(?:[\w.-]+:)?t(\s[^>]*)?(?:/>|>(.*?)</(?:[\w.-]+:)?t>)", re.S)
_PHONETIC = re.compile(rb"<(?:[\w.-]+:)?rPh\b.*?</(?:[\w.-]+:)?rPh>", re.S)
_CDATA = re.compile(rb"<!\[CDATA\[(.*?)\]\]>", re.S)
_ENTITY = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|amp|lt|gt|quot|apos);")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_XML_SPACE = " \t\r\n"


def _entity(match: re.Match) -> str:
    name = match.group(1)
    if name[0] == "#":
        return chr(int(name[2:], 16) if name[1] in "xX" else int(name[1:]))
    return _NAMED[name]


def text(raw: bytes, preserve: bool = False) -> str:
    """XML character data as a parser gives it: CDATA kept as it is, line ends as \\n,
    entities resolved; trimmed of white space unless ``preserve``."""
    if b"<![CDATA[" in raw:
        parts = _CDATA.split(raw)  # text, cdata, text, ...
        out = "".join(unescape(p) if i % 2 == 0 else p.decode("utf-8") for i, p in enumerate(parts))
        return out if preserve else out.strip(_XML_SPACE)
    return unescape(raw if preserve else raw.strip(b" \t\r\n"))


def unescape(raw: bytes) -> str:
    out = raw.decode("utf-8")
    if "\r" in out:
        out = out.replace("\r\n", "\n").replace("\r", "\n")
    return _ENTITY.sub(_entity, out) if "&" in out else out


def _decode_escapes(out: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), out) if "_x" in out else out


def string(runs: bytes) -> str:
    """The text of a shared or inline string: its ``<t>`` runs without phonetic ones."""
    if b"<rPh" in runs or b":rPh" in runs:
        runs = _PHONETIC.sub(b"", runs)
    return _decode_escapes("".join(text(body or b"", b'"preserve"' in (attrs or b"")) for attrs, body in _T.findall(runs)))


def plain(raw: bytes) -> str:
    """The text of a lone ``<t>`` (no attributes): trimmed, escapes decoded."""
    return _decode_escapes(text(raw))


# ---------------------------------------------------------------- number formats

def date_format(code: str) -> Optional[str]:
    """"date", "duration" or None for a custom number format (calamine's
    ``detect_custom_number_format``: its first section, outside quotes and escapes)."""
    escaped = quoted = ampm = hms = False
    brackets = 0
    prev = " "
    for ch in code:
        if escaped:
            escaped = False
        elif ch in "_\\*":
            escaped = True
        elif quoted:
            quoted = ch != '"'
        elif ch == '"':
            quoted = True
        elif ch == ";":
            return None
        elif ch == "[":
            brackets += 1
        elif ch == "]" and brackets == 1 and hms:
            return "duration"
        elif ch == "]":
            brackets = max(0, brackets - 1)
        elif ch in "aA" and not ampm and brackets == 0:
            ampm = True
        elif ch in "pm/PM" and ampm and brackets == 0:
            return "date"
        elif ch in "dmhysDMHYS" and not ampm and brackets == 0:
            return "date"
        elif not (hms and ch.lower() == prev.lower()):
            hms = prev == "[" and ch in "mhsMHS"
        prev = ch
    return None


# Built-in formats python-calamine 0.9 reads as dates: 14-22, the East Asian 27-36 and 50-58, 45-47.
_BUILTIN_DATES = {**{n: "date" for n in (*range(14, 23), *range(27, 37), 45, 47, *range(50, 59))}, 46: "duration"}


def styles(zf: zipfile.ZipFile, part: Optional[str]) -> list[Optional[str]]:
    """Each cell style's kind of number: "date", "duration" or None."""
    if part is None or part not in zf.namelist():
        return []
    root = ElementTree.fromstring(zf.read(part))  # the prolog was checked: no DOCTYPE
    custom = {}
    for el in root.iter():
        if el.tag.endswith("}numFmt") or el.tag == "numFmt":
            try:
                custom[int(el.get("numFmtId", ""))] = date_format(el.get("formatCode", ""))
            except ValueError:
                continue
    kinds: list[Optional[str]] = []
    for group in root:
        if group.tag.endswith("cellXfs"):
            for xf in group:
                try:
                    number = int(xf.get("numFmtId", "0"))
                except ValueError:
                    number = 0
                kinds.append(custom[number] if number in custom else _BUILTIN_DATES.get(number))
    return kinds


# ---------------------------------------------------------------- dates

_EPOCH, _EPOCH_1904 = dt.datetime(1899, 12, 30), dt.datetime(1904, 1, 1)


def _round(value: float) -> int:
    return int(math.floor(value + 0.5)) if value >= 0 else -int(math.floor(-value + 0.5))


def date_value(number: float, kind: str, date1904: bool) -> Any:
    """A serial as python-calamine gives it (milliseconds rounded half away from zero)."""
    if kind == "duration":
        return dt.timedelta(milliseconds=_round(number * _DAY_MS))
    shifted = number if date1904 or number >= 60 else number + 1  # Excel's 29 February 1900
    try:
        moment = (_EPOCH_1904 if date1904 else _EPOCH) + dt.timedelta(milliseconds=_round(shifted * _DAY_MS))
    except OverflowError:
        return number
    if number < 1.0:
        return moment.time()
    return moment.date() if number == int(number) else moment


def iso(text: str) -> Any:
    for parse in (dt.datetime.fromisoformat, dt.date.fromisoformat, dt.time.fromisoformat):
        try:
            found = parse(text)
        except ValueError:
            continue
        if isinstance(found, dt.datetime) and "T" not in text and " " not in text:
            return found.date()
        return found
    return text


def number(raw: bytes) -> Any:
    try:
        return float(raw) if raw.strip() == raw and b"_" not in raw else raw.decode("utf-8")
    except ValueError:
        return raw.decode("utf-8")


