"""Importing customers and transactions from spreadsheets and CSV files, and taking an
import back. ``customer_import`` plans and runs a customer import, ``transaction_import``
a transaction import, ``error_book`` writes the rejected rows for fixing, ``undo`` takes
an import back."""

# The modules other packages may use: tests/test_architecture.py holds every import from
# outside this package to this list; the others are the package's own.
__all__ = ["customer_import", "error_book", "options", "plan", "rows", "transaction_import", "undo"]
