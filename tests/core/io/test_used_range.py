"""The streamed used-range scan of xlsx sheets: the per-chunk shortcut (every cell has its
reference) must give what the tag-by-tag walk gives, across chunk boundaries too."""
from __future__ import annotations

import io
import random

import pytest

from crmdesk.core.io import used_range as U


def _letters(col: int) -> str:
    out = ""
    while col:
        col, rest = divmod(col - 1, 26)
        out = chr(65 + rest) + out
    return out


def _sheet(rows, refs: str = "all", prefix: str = "") -> bytes:
    """rows: [(row number, [(col, valued)])]; refs: all | none | mixed (every third cell
    and row without one)."""
    p = f"{prefix}:" if prefix else ""
    out = [f'<?xml version="1.0"?><{p}worksheet><{p}sheetData>']
    k = 0
    for number, cells in rows:
        k += 1
        row_ref = refs == "all" or (refs == "mixed" and k % 3)
        out.append(f'<{p}row r="{number}" spans="1:9">' if row_ref else f"<{p}row>")
        for col, valued in cells:
            k += 1
            ref = f' r="{_letters(col)}{number}"' if refs == "all" or (refs == "mixed" and k % 3) else ""
            out.append(f'<{p}c{ref} s="1" t="n"><{p}v>{col}</{p}v></{p}c>' if valued else f'<{p}c{ref} s="2"/>')
        out.append(f"</{p}row>")
    out.append(f"</{p}sheetData></{p}worksheet>")
    return "".join(out).encode()


def _walked(data: bytes) -> tuple[int, int]:
    extent = U._Extent()
    for chunk in U._chunks(io.BytesIO(data)):
        U._walk(chunk, extent)
    return extent.span()


def _random_rows(rng: random.Random, dense: bool):
    rows, number = [], 0
    for _ in range(rng.randrange(1, 60)):
        number += rng.choice((1, 1, 1, 2, 5))
        if dense:  # consecutive cells, as every real writer lays them out without refs
            width = rng.randrange(0, 12)
            cells = [(c, rng.random() > 0.2) for c in range(1, width + 1)]
        else:
            cells = sorted({rng.randrange(1, 40) for _ in range(rng.randrange(0, 8))})
            cells = [(c, rng.random() > 0.2) for c in cells]
        rows.append((number, cells))
    return rows


@pytest.mark.parametrize("refs", ["all", "none", "mixed"])
@pytest.mark.parametrize("chunk", [64, 300, 1 << 20])
def test_shortcut_and_walk_agree(monkeypatch, refs, chunk):
    monkeypatch.setattr(U, "CHUNK", chunk)
    rng = random.Random(f"{refs}{chunk}")
    for _ in range(60):
        rows = _random_rows(rng, dense=refs != "all")
        data = _sheet(rows, refs, rng.choice(["", "x"]))
        assert U.scan_xlsx_sheet(io.BytesIO(data)) == _walked(data)


def test_styled_empty_cells_do_not_count():
    data = _sheet([(1, [(1, True), (2, True), (16384, False)]), (1048576, [(3, False)])])
    assert U.scan_xlsx_sheet(io.BytesIO(data)) == (1, 2)


def test_far_cells_count_and_stop_the_scan():
    data = _sheet([(1, [(1, True)]), (1048576, [(16384, True)])])
    assert U.scan_xlsx_sheet(io.BytesIO(data)) == (1048576, 16384)
    beyond = data.replace(b'r="1048576"', b'r="1048577"').replace(b"XFD1048576", b"XFD1048577")
    assert U.scan_xlsx_sheet(io.BytesIO(beyond))[0] > U.MAX_ROWS


def test_a_cell_without_reference_follows_the_one_before_it_across_chunks(monkeypatch):
    monkeypatch.setattr(U, "CHUNK", 40)
    data = (b'<worksheet><sheetData><row r="7"><c r="C7"><v>1</v></c>'
            b"<c><v>2</v></c><c><v>3</v></c></row><row><c><v>4</v></c></row></sheetData></worksheet>")
    assert U.scan_xlsx_sheet(io.BytesIO(data)) == (2, 5)  # rows 7-8; C-E, then A in row 8


def test_plain_chunks_take_the_quick_way_and_others_do_not():
    plain = _sheet([(1, [(1, True), (2, True)]), (2, [(1, True), (3, True)])])
    extent = U._Extent()
    assert U._quick(plain, extent) and extent.span() == (2, 3)
    assert not U._quick(_sheet([(1, [(1, True), (2, False)])]), U._Extent())  # an empty cell
    assert not U._quick(_sheet([(1, [(1, True)])], refs="none"), U._Extent())
    assert not U._quick(_sheet([(1, [(1, True)])], prefix="x"), U._Extent())
