"""File ▸ Import customers and Import transactions (the wizard), Undo import and Export customers."""

# The modules other packages may use: tests/test_architecture.py holds every import from
# outside this package to this list; the others are the package's own.
__all__ = ["export_dialog", "history_dialog", "result_page", "wizard"]
