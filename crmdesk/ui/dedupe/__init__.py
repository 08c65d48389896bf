"""Duplicate customers in the window (issue 21): Edit ▸ Find duplicates… lists the probable
pairs (``duplicates_dialog``), each reviewed side by side and merged (``merge_dialog``), one
step of the undo stack (``merge_undo``); the customer form warns while the user types
(``entry_warning``)."""
