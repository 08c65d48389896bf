"""Care: field definitions, birthdays and festivals (solar and lunar), greeting texts, care events, the rules that create them, the list, settings, templates, points, reminders, the export, and spreading a flood of checks over the coming weeks."""

# The modules other packages may use: tests/test_architecture.py holds every import from
# outside this package to this list; the others are the package's own.
__all__ = ["agenda", "dates", "events", "export", "fields", "list", "points", "reminders", "rules",
           "settings", "spread", "templates", "text"]
