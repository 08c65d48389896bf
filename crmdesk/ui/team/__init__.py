"""The team UI (issue 20): File ▸ Team (connect, sync now, conflicts, hand-over, disconnect),
the status bar's sync indicator, background syncs (a timer and LISTEN/NOTIFY) and the
close-with-changes-waiting question. The work itself is ``crmdesk.core.sync``'s."""
