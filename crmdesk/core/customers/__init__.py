"""Customers: the archive (``archive``), their fields as the customer sheet defines them (``fields``), contacts, transactions, the list, the sheet out (``export``) and the form's save (``profile``)."""

# The modules other packages may use: tests/test_architecture.py holds every import from
# outside this package to this list; the others are the package's own.
__all__ = ["archive", "contacts", "export", "fields", "list", "profile", "transactions",
           "transactions_export"]
