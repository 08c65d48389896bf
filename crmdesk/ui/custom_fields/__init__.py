"""The user's own customer fields in the GUI (issue 21): their editors in the customer form,
the settings dialog that defines them, the list's filter menu and the import wizard's
"make this column a field"."""

# The modules other packages may use: tests/test_architecture.py holds every import from
# outside this package to this list; the others are the package's own.
__all__ = ["editors", "field_dialog", "filter_button", "settings_dialog"]
