"""Duplicate customers in the window (issue 21): Edit ▸ Find duplicates… lists the probable
pairs (``duplicates_dialog``), each reviewed side by side and merged (``merge_dialog``), one
step of the undo stack (``merge_undo``); the customer form warns while the user types
(``entry_warning``)."""

# The modules other packages may use: tests/test_architecture.py holds every import from
# outside this package to this list; the others are the package's own.
__all__ = ["duplicates_dialog", "entry_warning", "merge_actions", "reasons"]
