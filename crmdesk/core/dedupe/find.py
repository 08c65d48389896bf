"""Find the customers that are probably one and the same (issue 21, "Duplicates").

Never all pairs: each customer goes into a few blocks by exact keys (its phones, e-mail,
tax id, customer number, name core and the core's pinyin, see ``names``), and only customers
sharing a block are compared; near names (``rapidfuzz``) are compared within the same city,
each with its neighbours in the city's list sorted by name core and by its pinyin. A block
bigger than ``MAX_BLOCK`` (a switchboard number forty customers give, a placeholder name)
says nothing about any two of them and is left out.

Each pair gets its reasons and a score from 0 to 100: the chance, roughly, that two records
with those reasons are one customer (several reasons add up: 1 − Π(1 − p)).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from itertools import combinations
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional

from rapidfuzz.fuzz import ratio

from crmdesk.core.dedupe import names as N
from crmdesk.core.models import database

MAX_BLOCK = 50
NEIGHBOURS = 6  # near names: each customer against the next ones in its city's sorted list
SIMILAR_FROM = 85  # rapidfuzz ratio of two name cores from which they count as near

# How much each reason alone says (the score of a pair with only that reason, / 100).
WEIGHTS = {"tax_id": 0.95, "email": 0.85, "phone": 0.8, "code": 0.8, "name": 0.75, "pinyin": 0.6}
SAME_CITY_NAME = 0.85  # the same name core in the same city
OTHER_CITY_NAME = 0.4  # ...in two different cities: chains, branches, or common names (under the default 50)
OTHER_CITY_PINYIN = 0.3  # the same sound in two different cities: rarely one customer
REASONS = ("tax_id", "email", "phone", "code", "name", "pinyin", "similar_name")


@dataclass
class Row:
    """What finding duplicates reads of one customer."""
    id: int
    uuid: str
    code: str
    name: str
    city: str
    created_at: Optional[dt.datetime] = None
    core: str = ""
    pinyin: str = ""
    city_key: str = ""


@dataclass
class Pair:
    first: Row  # the older record: the one a merge keeps unless the user chooses otherwise
    second: Row
    score: int
    reasons: tuple[str, ...]
    similarity: int = 0  # rapidfuzz ratio of the name cores, for "similar_name"


@dataclass
class _Found:
    """The pairs sharing a block: (id, id) -> reasons; the near names' similarity."""
    reasons: dict = field(default_factory=dict)
    similarity: dict = field(default_factory=dict)

    def near(self, pair: tuple[int, int], similarity: float) -> None:
        self.reasons.setdefault(pair, set()).add("similar_name")
        self.similarity[pair] = max(self.similarity.get(pair, 0), round(similarity))


_SYLLABLES: dict[str, str] = {}  # character -> its pinyin ("" for characters that are not Chinese: kept as they are)


def _syllable(char: str) -> str:
    if not "\u3400" <= char <= "\u9fff":
        _SYLLABLES[char] = char
        return char
    from pypinyin import Style, lazy_pinyin  # its dictionaries load on first use (55 MB)
    _SYLLABLES[char] = "".join(lazy_pinyin(char, style=Style.NORMAL, errors="default")).lower()
    return _SYLLABLES[char]


def pinyin_of(core: str) -> str:
    """The core's pinyin, character by character (a few thousand characters in all, each
    looked up once)."""
    if not N.has_chinese(core):
        return ""
    get = _SYLLABLES.get
    return "".join([get(ch) or _syllable(ch) for ch in core])


def customer_rows(where: str = "", params: Iterable = (), limit: Optional[int] = None) -> list[tuple]:
    return database.execute_sql(
        "SELECT id, uuid, code, name, city, province, district, mobile, phone, email, tax_id, created_at "
        f"FROM customer WHERE deleted_at IS NULL {where} ORDER BY id" + (f" LIMIT {int(limit)}" if limit else ""),
        tuple(params)).fetchall()


def keys_of(record: tuple) -> tuple[Row, list[tuple[str, str]]]:
    (id_, uuid, code, name, city, province, district, mobile, phone, email, tax_id, created_at) = record
    places = N.places_of(city, province, district)
    row = Row(id_, uuid, code or "", name or "", city or "", created_at)
    row.core = N.name_core(name, places)
    row.pinyin = pinyin_of(row.core)
    row.city_key = N.city_key(city)
    keys = [("phone", number) for number in {N.phone_key(mobile), N.phone_key(phone)} if number]
    for kind, value in (("email", N.email_key(email) if email else ""), ("tax_id", N.tax_key(tax_id) if tax_id else ""),
                        ("code", N.code_key(code) if code else "")):
        if value:
            keys.append((kind, value))
    if len(row.core) >= 2:
        keys.append(("name", row.core))
        if row.city_key:  # the same name in the same city: a block of its own, still small where a
            keys.append(("name", f"{row.core}\x1f{row.city_key}"))  # common name's block is too big
        if row.pinyin:
            keys.append(("pinyin", row.pinyin))
            whole = pinyin_of(N.fold_text(name))  # a homophone typed in the legal form: 有线公司
            if whole != row.pinyin:
                keys.append(("pinyin", whole))
    return row, keys


def score(reasons: Iterable[str], first: Row, second: Row, similarity: int = 0) -> int:
    miss = 1.0
    for reason in reasons:
        if reason == "name" and first.city_key and second.city_key:
            p = SAME_CITY_NAME if first.city_key == second.city_key else OTHER_CITY_NAME
        elif reason == "pinyin" and "name" in reasons:
            continue  # the same name has the same pinyin: no second reason
        elif reason == "pinyin" and first.city_key and second.city_key and first.city_key != second.city_key:
            p = OTHER_CITY_PINYIN
        elif reason == "similar_name":
            p = 0.5 + 0.4 * max(0, similarity - SIMILAR_FROM) / (100 - SIMILAR_FROM)  # 85: 50, 100: 90
        else:
            p = WEIGHTS[reason]
        miss *= 1 - p
    return round(100 * (1 - miss))


def dismissed_pairs() -> set[tuple[str, str]]:
    """The pairs someone said are not duplicates, as (uuid, uuid) in sorted order."""
    return {(a, b) for a, b in database.execute_sql("SELECT first_uuid, second_uuid FROM duplicate_dismissed")}


def find_pairs(min_score: int = 50, progress: Optional[Callable[[int, int], None]] = None) -> list[Pair]:
    """Every pair of live customers that look like one, best first."""
    rows: dict[int, Row] = {}
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    records = customer_rows()
    for done, record in enumerate(records, 1):
        row, keys = keys_of(record)
        rows[row.id] = row
        for key in keys:
            blocks[key].append(row.id)
        if progress is not None and done % 10_000 == 0:
            progress(done, len(records))
    found = _Found()
    for (reason, _value), ids in blocks.items():
        if 1 < len(ids) <= MAX_BLOCK:
            for pair in combinations(ids, 2):  # ids ascend: the rows are read in id order
                found.reasons.setdefault(pair, set()).add(reason)
    _near_names(rows, found)
    return _pairs(rows, found, min_score)


def _near_names(rows: dict[int, Row], found: dict) -> None:
    cities: dict[str, list[Row]] = defaultdict(list)
    for row in rows.values():
        if row.city_key and len(row.core) >= 2:
            cities[row.city_key].append(row)
    for members in cities.values():
        if len(members) < 2:
            continue
        for sort_key in (lambda r: r.core, lambda r: r.pinyin or r.core):
            ordered = sorted(members, key=sort_key)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1:i + 1 + NEIGHBOURS]:
                    if a.core == b.core:
                        continue
                    similarity = ratio(a.core, b.core, score_cutoff=SIMILAR_FROM)
                    if similarity:
                        found.near((a.id, b.id) if a.id < b.id else (b.id, a.id), similarity)


def _pairs(rows: dict[int, Row], found: _Found, min_score: int) -> list[Pair]:
    dismissed = dismissed_pairs() if found.reasons else set()
    pairs = []
    for (a, b), reasons in found.reasons.items():
        first, second = rows[a], rows[b]
        similarity = found.similarity.get((a, b), 0)
        value = score(reasons, first, second, similarity)
        if value < min_score or tuple(sorted((first.uuid, second.uuid))) in dismissed:
            continue
        shown = tuple(r for r in REASONS if r in reasons and not (r == "pinyin" and "name" in reasons))
        pairs.append(Pair(first, second, value, shown, similarity))
    pairs.sort(key=lambda p: (-p.score, p.first.id, p.second.id))
    return pairs


def probe_of(values: dict) -> tuple[Row, list[tuple[str, str]]]:
    """The row and keys of values being typed or imported (name, code, phones as text...)."""
    return keys_of((0, "", values.get("code") or "", values.get("name") or "", values.get("city") or "",
                    values.get("province") or "", values.get("district") or "", values.get("mobile") or "",
                    values.get("phone") or "", values.get("email") or "", values.get("tax_id") or "", None))


def similar_to(values: dict, exclude_id: Optional[int] = None, min_score: int = 50, limit: int = 5) -> list[Pair]:
    """The customers a form or an import row being typed may duplicate (name, phones, e-mail,
    tax id, city as typed): looked up by those keys and by the name core's text, best first."""
    row, keys = probe_of(values)
    candidates = [keys_of(record) for record in _candidates(row, keys, exclude_id)]
    return compared(row, keys, candidates, min_score)[:limit]


def compared(row: Row, keys: list[tuple[str, str]], candidates: list[tuple[Row, list]], min_score: int) -> list[Pair]:
    """``row`` (id 0) against each candidate (row, keys): the pairs scoring ``min_score`` or
    more, the candidate first, best first."""
    found = _Found()
    rows = {0: row}
    for other, other_keys in candidates:
        rows[other.id] = other
        shared = {k for k, _ in set(keys) & set(other_keys)}
        if shared:
            found.reasons[(0, other.id)] = shared
        if row.city_key and row.city_key == other.city_key and row.core != other.core and len(row.core) >= 2:
            similarity = ratio(row.core, other.core, score_cutoff=SIMILAR_FROM)
            if similarity:
                found.near((0, other.id), similarity)
    pairs = _pairs(rows, found, min_score)
    for pair in pairs:  # the typed record is never "first": the one found is what the user opens
        if pair.first.id == 0:
            pair.first, pair.second = pair.second, pair.first
    return pairs


def _candidates(row: Row, keys: list[tuple[str, str]], exclude_id: Optional[int]) -> list[tuple]:
    """The live customers that share a phone, e-mail or tax id with ``row``, or whose name
    holds its name core (the search index finds those)."""
    clauses, params = [], []
    for kind, value in keys:
        if kind == "phone":
            clauses.append("(mobile LIKE ? OR phone LIKE ?)")
            params += [f"%{value[-8:]}%"] * 2
        elif kind == "email":
            clauses.append("lower(email) = ?")
            params.append(value)
        elif kind == "tax_id":
            clauses.append("upper(tax_id) = ?")
            params.append(value)
    if len(row.core) >= 2:
        clauses.append("instr(lower(name), ?) > 0")
        params.append(row.core[:12])
    if not clauses:
        return []
    where = "AND (" + " OR ".join(clauses) + ")"
    if exclude_id is not None:
        where += " AND id <> ?"
        params.append(exclude_id)
    return customer_rows(where, params, limit=200)
