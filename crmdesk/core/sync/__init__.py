"""Team use (issue 20; spec team-sync): every laptop keeps its SQLite file and syncs field
edits through a PostgreSQL hub. ``server_schema`` and ``hub`` build and run the hub;
``connection`` reaches it; ``capture`` fills the outbox; ``session`` joins, pulls and
pushes; ``apply`` merges what arrives; ``state`` is what this laptop keeps."""

# The modules other packages may use: tests/test_architecture.py holds every import from
# outside this package to this list; the others are the package's own.
__all__ = ["conflicts", "connection", "handover", "hub", "packages", "passwords", "session",
           "state", "status", "team_settings"]
