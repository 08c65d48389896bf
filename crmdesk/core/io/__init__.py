"""Reading, writing and normalising values from and to files."""

# The modules other packages may use: tests/test_architecture.py holds every import from
# outside this package to this list; the others are the package's own.
__all__ = ["access", "atomic", "csv_read", "excel_write", "headers", "normalize", "sheet_read",
           "source"]
