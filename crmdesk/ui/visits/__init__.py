"""The visits tab: the list, the calendar (month and week by rep), the visit form, recording a visit, the day plan, the due list and the visit settings."""

# The modules other packages may use: tests/test_architecture.py holds every import from
# outside this package to this list; the others are the package's own.
__all__ = ["dialog", "form", "labels", "settings_dialog", "sources", "tab"]
