"""What a customer's name, number, phone and e-mail look like when the way they were written
is set aside: the keys duplicates are found by.

北京华润商贸有限公司, 华润商贸(北京)有限公司 and 北京华润商贸 have one core, 华润商贸: the legal
form (有限公司, Co., Ltd., GmbH…) and the place (a province or city, or the customer's own city
written before the name or in brackets) are left out. C001261, c-1261 and C 1261 are one
customer number; +86 138 1234 5678 and 13812345678 one phone once stored (E.164).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable, Optional

# Legal forms, longest first, taken off the end again and again: 集团有限公司 → 集团 → "".
LEGAL_FORMS = tuple(sorted((
    "股份有限公司", "有限责任公司", "集团有限公司", "集团股份有限公司", "有限公司", "分公司", "总公司", "集团",
    "公司", "商行", "经营部", "门市部", "工作室", "事务所", "工厂", "厂", "中心", "商店",
    "coltd", "co", "ltd", "limited", "inc", "incorporated", "corp", "corporation", "company", "llc", "gmbh",
    "ag", "sa", "sarl", "srl", "bv", "plc", "kg", "ab", "oy", "as", "spa",
), key=len, reverse=True))

# Provinces, regions and the larger cities, as written without 省/市/自治区.
PLACES = frozenset("""
北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州
云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门 中国 石家庄 太原 呼和浩特 沈阳 大连 长春 哈尔滨
南京 苏州 无锡 常州 南通 徐州 扬州 杭州 宁波 温州 绍兴 嘉兴 金华 台州 合肥 芜湖 福州 厦门 泉州 南昌 济南 青岛
烟台 潍坊 临沂 郑州 洛阳 武汉 宜昌 长沙 株洲 广州 深圳 珠海 汕头 佛山 东莞 中山 惠州 江门 湛江 南宁 桂林 柳州
海口 三亚 成都 绵阳 贵阳 遵义 昆明 西安 兰州 西宁 银川 乌鲁木齐 拉萨 唐山 保定 邯郸 鞍山 吉林 大庆 昆山
""".split())
_PLACE_SUFFIXES = ("特别行政区", "自治区", "自治州", "省", "市", "区", "县")
_BRACKETS = re.compile(r"[(\[（【]([^)\]）】]*)[)\]）】]")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
_CJK = re.compile(r"[\u3400-\u9fff]")
_CODE_PARTS = re.compile(r"[A-Z]+|\d+")


_SUFFIX = "(?:" + "|".join(_PLACE_SUFFIXES) + ")"
_KNOWN_PLACE = re.compile("^(?:" + "|".join(sorted(PLACES, key=len, reverse=True)) + ")" + _SUFFIX + "?")
_CHINESE_FORMS = [f for f in LEGAL_FORMS if _CJK.search(f)]
_LEGAL_END = re.compile("(?:" + "|".join(_CHINESE_FORMS) + ")$")


def _place(text: str, extra: frozenset[str]) -> Optional[str]:
    """The place ``text`` starts with (北京市 in 北京市华润), or None."""
    match = _KNOWN_PLACE.match(text)
    best = match.group(0) if match else None
    for place in extra:  # the customer's own city and district, a few at most
        if text.startswith(place) and (best is None or len(place) > len(best)):
            best = place
    return best


@lru_cache(maxsize=4096)
def places_of(*names: Optional[str]) -> frozenset[str]:
    """A customer's own city, province and district, with and without 市/省/区."""
    found = set()
    for name in names:
        text = fold_text(name or "")
        if not text:
            continue
        found.add(text)
        for suffix in _PLACE_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix) + 1:
                found.add(text[:-len(suffix)])
    return frozenset(found)


def has_chinese(text: str) -> bool:
    return bool(_CJK.search(text))


def fold_text(text: str) -> str:
    if not text:
        return ""
    if text.isascii():  # most numbers, phones and e-mails: nothing for NFKC to do
        return text.casefold().strip()
    return unicodedata.normalize("NFKC", text).casefold().strip()


def name_core(name: Optional[str], places: Iterable[str] = ()) -> str:
    """The name without its legal form and place, in lower case, without punctuation."""
    extra = frozenset(places)
    text = fold_text(name or "")
    # A place in brackets goes; other brackets keep what they hold.
    text = _BRACKETS.sub(lambda m: " " if _place(_NOT_WORD.sub("", m.group(1)), extra) else f" {m.group(1)} ", text)
    words = [w for w in _NOT_WORD.split(text) if w]
    if not _CJK.search(text):  # Latin: legal forms are words at the end ("alfreds futterkiste gmbh")
        while len(words) > 1 and words[-1] in LEGAL_FORMS:
            words.pop()
        return "".join(words)
    core = "".join(words)
    changed = True
    while changed:
        changed = False
        form = _LEGAL_END.search(core)
        if form and form.start() > 1:
            core, changed = core[:form.start()], True
        place = _place(core, extra)
        if place and len(core) > len(place) + 1:
            core, changed = core[len(place):], True
    return core


def code_key(code: Optional[str]) -> str:
    """C001261, c-1261 and "C 1261" alike: letters upper case, each run of digits without
    its leading zeros, everything else left out."""
    text = fold_text(code or "").upper()
    parts = _CODE_PARTS.findall(text)
    return "".join(p.lstrip("0") or "0" if p.isdigit() else p for p in parts)


def phone_key(phone: Optional[str]) -> str:
    """A stored phone as digits (an extension left out); "" when too short to mean anything."""
    number = (phone or "").split("x")[0]
    digits = re.sub(r"\D", "", number)
    if number.startswith("+86") and len(digits) > 10:  # a Chinese number as dialled at home
        rest = digits[2:]
        digits = rest if len(rest) == 11 and rest[0] == "1" else "0" + rest
    return digits if len(digits) >= 7 else ""


def city_key(city: Optional[str]) -> str:
    """杭州, 杭州市 and 杭州 市 alike."""
    text = _NOT_WORD.sub("", fold_text(city or ""))
    for suffix in _PLACE_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            return text[:-len(suffix)]
    return text


def email_key(email: Optional[str]) -> str:
    return fold_text(email or "")


def tax_key(tax_id: Optional[str]) -> str:
    return re.sub(r"[\W_]+", "", fold_text(tax_id or "")).upper()
