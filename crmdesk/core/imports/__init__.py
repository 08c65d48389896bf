"""Importing customers and transactions from spreadsheets and CSV files, and taking an
import back. ``customer_import`` plans and runs a customer import, ``transaction_import``
a transaction import, ``error_book`` writes the rejected rows for fixing, ``undo`` takes
an import back."""
