"""The team UI (issue 20): File ▸ Team (connect, sync now, conflicts, hand-over, disconnect),
the status bar's sync indicator, background syncs (a timer and LISTEN/NOTIFY) and the
close-with-changes-waiting question. The work itself is ``crmdesk.core.sync``'s."""

# The modules other packages may use: tests/test_architecture.py holds every import from
# outside this package to this list; the others are the package's own.
__all__ = ["shared_settings", "team_ui"]
