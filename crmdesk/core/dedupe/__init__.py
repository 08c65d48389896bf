"""Duplicate customers (issue 21): find them (``find``), merge them into one and take a merge
back (``merge``), remember a pair that is not one; the keys they are found by (``names``)."""
from __future__ import annotations

from crmdesk.core.dedupe.find import REASONS, Pair, find_pairs, similar_to
from crmdesk.core.dedupe.index import Index
from crmdesk.core.dedupe.merge import (MergeResult, UndoResult, attached, dismiss, last_merge, merge, proposed_values,
                                       undo_merge)

__all__ = ["REASONS", "Index", "Pair", "find_pairs", "similar_to", "MergeResult", "UndoResult", "attached", "dismiss", "last_merge",
           "merge", "proposed_values", "undo_merge"]
