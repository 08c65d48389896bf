"""The first day: the welcome in an empty customer list, the demo database, and each tab's first tip."""

# The modules other packages may use: tests/test_architecture.py holds every import from
# outside this package to this list; the others are the package's own.
__all__ = ["demo_switch", "hint_strip", "welcome_panel"]
