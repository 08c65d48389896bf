"""Complaints: the field definitions, the complaints, their flow (listen, establish the facts, offer a solution, follow up), the list, the statistics, the deadlines' settings, the export and the agenda's complaint entries."""

# The modules other packages may use: tests/test_architecture.py holds every import from
# outside this package to this list; the others are the package's own.
__all__ = ["aftercare", "agenda", "complaints", "export", "fields", "flow", "list", "settings",
           "stats"]
