"""The complaints tab: the list, the complaint form and its steps, the details, the escalation list, the timeline, the statistics and the deadlines' settings."""

# The modules other packages may use: tests/test_architecture.py holds every import from
# outside this package to this list; the others are the package's own.
__all__ = ["deadlines_dialog", "dialog", "labels", "tab", "timeline"]
