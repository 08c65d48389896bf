"""Duplicate customers (issue 21): find them (``find``), merge them into one and take a merge
back (``merging``), remember a pair that is not one; the keys they are found by (``names``).

The merge's names load on first use (PEP 562 ``__getattr__``): the customer form asks
``similar_to`` from the first window, and the merge pulls in the visit, complaint and team
services the start-up does not need yet."""
from __future__ import annotations

import importlib
from typing import Any

from crmdesk.core.dedupe.find import REASONS, Pair, find_pairs, similar_to
from crmdesk.core.dedupe.index import Index

_MERGE = ("MergeResult", "UndoResult", "attached", "dismiss", "last_merge", "merge", "proposed_values", "undo_merge")

__all__ = ["REASONS", "Index", "Pair", "find_pairs", "similar_to", *_MERGE,
           "export", "rows"]  # the modules: the duplicates' workbook, the rows compared


def __getattr__(name: str) -> Any:
    if name in _MERGE:
        module = importlib.import_module("crmdesk.core.dedupe.merging")
        globals().update((n, getattr(module, n)) for n in _MERGE)
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
