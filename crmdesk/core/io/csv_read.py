"""CSV files as Excel, WPS and other programs write them: encoding, delimiter, rows.

Encoding, in this order (measured on ``../shared/data``):

1. A BOM: ``utf-8-sig`` or ``utf-16``.
2. Zeros on one side of every other byte: UTF-16 without a BOM.
3. Strict UTF-8 over the sample.
4. GBK/GB18030 when it decodes and at least 90% of the non-ASCII characters are GB2312
   characters (the 6,763 common hanzi and CJK punctuation). Real Chinese text is almost all
   GB2312 (``zh/iwuyc-names-gbk.csv``: 100%); Latin-1 letters read as GBK pair with the next
   ASCII byte into rare GBK-extension hanzi (``superstore-variant-cp1252.csv``: 0%, ``Bühler``
   -> ``B黨ler``). charset-normalizer 3.5 calls the GBK file cp949, so it is not asked first.
5. Big5 when it decodes and at least 90% of the non-ASCII characters are Big5 level-1
   (common) characters or symbols (a Big5 sample: 100%; the GBK file read as Big5: 62%).
6. cp1252 when the non-ASCII characters are Western letters and punctuation standing
   mostly alone among ASCII (``Bühler``), not in runs (Cyrillic read as cp1252).
7. GBK/GB18030 again when at least 90% of the non-ASCII characters are CJK ideographs,
   symbols or full-width forms (any, not only GB2312): short lists of personal names with
   rarer characters (王喆, 李堃, 陈燊, 刘珺: GBK, not GB2312) fall below step 4's 90%, and
   charset-normalizer calls them Korean, which this app's users almost never have (EUC-KR
   text reads as GB2312 hanzi anyway, so step 4 takes it). A cp1252 file was taken at step 6.
8. charset-normalizer's best guess; nothing -> ``file_unreadable_encoding``.

The sample is the first 64 KB, or, when those are plain ASCII, 64 KB around the first
non-ASCII byte (the cp1252 Superstore file has its first at byte 67,680). After detection
the file is decoded as a stream with ``errors="replace"``: a bad byte later on becomes
U+FFFD in one cell instead of stopping the import.
"""
from __future__ import annotations

import codecs
import csv
from pathlib import Path
from typing import Any, Iterator, Optional

from crmdesk.core.errors import CrmError

SAMPLE_BYTES = 64 << 10
SCAN_BLOCK = 1 << 20
DELIMITERS = ",;\t|"
SNIFF_RECORDS = 50
PLAUSIBLE = 0.9


def _sample(path: Path) -> tuple[bytes, bool]:
    """(bytes to judge the encoding by, whether they are the whole file)."""
    with path.open("rb") as fh:
        head = fh.read(SAMPLE_BYTES)
        if not head.isascii() or len(head) < SAMPLE_BYTES:
            return head, len(head) < SAMPLE_BYTES
        offset = len(head)
        while True:
            block = fh.read(SCAN_BLOCK)
            if not block:
                return head, False  # all ASCII: UTF-8 reads it
            if not block.isascii():
                first = offset + next(i for i, b in enumerate(block) if b >= 0x80)
                fh.seek(max(0, first - 1024))
                return fh.read(SAMPLE_BYTES), False
            offset += len(block)


def _trim_partial(sample: bytes) -> bytes:
    """Drop a multibyte character cut at the end of the sample (keep whole lines only)."""
    end = max(sample.rfind(b"\n"), sample.rfind(b"\r"))
    return sample[:end + 1] if end > 0 else sample


def _non_ascii(text: str) -> list[str]:
    return [ch for ch in text if ord(ch) >= 0x80]


def _ratio(chars: list[str], test) -> float:
    return sum(1 for ch in chars if test(ch)) / len(chars) if chars else 0.0


def _is_gb2312(ch: str) -> bool:
    try:
        return len(ch.encode("gb2312")) == 2
    except UnicodeEncodeError:
        return False


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"


def _is_big5_common(ch: str) -> bool:
    try:
        code = ch.encode("big5")
    except UnicodeEncodeError:
        return False
    return len(code) == 2 and 0xA140 <= int.from_bytes(code, "big") <= 0xC67E


_WESTERN = set("’‘“”–—…€£¥°§©®«»·•™¢¿¡×÷\u00a0") | {chr(c) for c in range(0xC0, 0x100)}


def _latin_plausible(text: str) -> bool:
    chars = _non_ascii(text)
    if not chars or _ratio(chars, _WESTERN.__contains__) < PLAUSIBLE:
        return False
    in_runs = 0  # non-ASCII characters in runs of three or more: other alphabets, mis-read
    run = 0
    for ch in text + "a":
        if ord(ch) >= 0x80:
            run += 1
        else:
            in_runs += run if run >= 3 else 0
            run = 0
    return in_runs <= len(chars) * (1 - PLAUSIBLE) + 1


def _decodes(data: bytes, encoding: str) -> Optional[str]:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def detect_encoding(path: Path) -> str:
    sample, whole = _sample(path)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    probe = sample[:4096]
    if probe.count(0) > len(probe) // 4:
        return "utf-16-le" if probe[1::2].count(0) > probe[0::2].count(0) else "utf-16-be"
    body = sample if whole else _trim_partial(sample)
    if _decodes(body, "utf-8") is not None:
        return "utf-8"
    text = gb_text = _decodes(body, "gb18030")
    if text is not None and _ratio(_non_ascii(text), _is_gb2312) >= PLAUSIBLE:
        return "gb18030"
    text = _decodes(body, "big5")
    if text is not None and _ratio(_non_ascii(text), _is_big5_common) >= PLAUSIBLE:
        return "big5"
    text = _decodes(body, "cp1252")
    if text is not None and _latin_plausible(text):
        return "cp1252"
    if gb_text is not None and _ratio(_non_ascii(gb_text), _is_cjk) >= PLAUSIBLE:
        return "gb18030"
    import charset_normalizer  # only for the rarer encodings (cp1251, Shift-JIS...)
    best = charset_normalizer.from_bytes(body).best()
    if best is not None and best.encoding and best.chaos < 0.3:
        return best.encoding
    raise CrmError("file_unreadable_encoding", path=str(path))


def _lines(text: str) -> list[str]:
    """Whole records of a decoded sample, for sniffing (the cut-off last line is dropped)."""
    lines = text.splitlines(keepends=True)
    if len(lines) > 1 and not lines[-1].endswith(("\n", "\r")):
        lines = lines[:-1]
    return lines


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter among , ; tab | that splits the first records into the same number of
    fields most consistently (quoted commas do not count: csv parses each candidate)."""
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(lines[:SNIFF_RECORDS * 4], delimiter=delimiter) if r]
        except csv.Error:
            continue
        counts = counts[:SNIFF_RECORDS]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        if mode < 2:
            continue
        score = (counts.count(mode) / len(counts), mode)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _sep_line(first: str) -> Optional[str]:
    """Excel's ``sep=;`` first line names the delimiter."""
    line = first.rstrip("\r\n")
    if line.lower().startswith("sep=") and len(line) == 5:
        return line[4]
    return None


class CsvReader:
    """One CSV file: its encoding and delimiter are settled on opening; rows are streamed."""

    def __init__(self, path: Path, encoding: Optional[str] = None):
        self.path = path
        if encoding is not None:
            try:
                encoding = codecs.lookup(encoding).name
            except LookupError:
                raise CrmError("option_invalid", option="--encoding",
                               choices="utf-8, utf-8-sig, gb18030, big5, cp1252, utf-16") from None
        self.encoding = encoding or detect_encoding(path)
        try:
            with self._open() as fh:
                head = fh.read(SAMPLE_BYTES)
        except (UnicodeError, LookupError):  # utf-16 without a BOM; base64 and other non-text codecs
            raise CrmError("file_wrong_encoding", path=str(path), encoding=self.encoding) from None
        lines = _lines(head)
        self.sep_line = bool(lines) and _sep_line(lines[0]) is not None
        if self.sep_line:
            self.delimiter = _sep_line(lines[0])
        else:
            self.delimiter = sniff_delimiter(lines)
        self._bytes_per_line = max(1.0, len(head.encode(self.encoding, errors="replace")) / max(1, len(lines)))

    def _open(self):
        return self.path.open("r", encoding=self.encoding, errors="replace", newline="")

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        with self._open() as fh:
            first = 1
            if self.sep_line:
                fh.readline()
                first = 2
            reader = csv.reader(fh, delimiter=self.delimiter)
            start = first
            try:  # csv's field limit (131,072 characters) stops an unclosed quote
                for record in reader:
                    number, start = start, first + reader.line_num
                    if number == 1 and record and record[0].startswith("\ufeff"):
                        record[0] = record[0][1:]  # a second BOM, or one the caller's encoding kept
                    values = [value if value != "" else None for value in record]
                    while values and values[-1] is None:
                        values.pop()
                    if values:
                        yield number, values
            except csv.Error:
                raise CrmError("file_damaged", path=str(self.path)) from None
            except UnicodeError:
                raise CrmError("file_wrong_encoding", path=str(self.path), encoding=self.encoding) from None

    def row_count_hint(self) -> int:
        try:
            size = self.path.stat().st_size
        except OSError:
            return 0
        return max(0, round(size / self._bytes_per_line) - (1 if self.sep_line else 0))

