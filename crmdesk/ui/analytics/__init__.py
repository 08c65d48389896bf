"""The analytics tab: its pages, a customer's figures and the analytics settings."""

# The modules other packages may use: tests/test_architecture.py holds every import from
# outside this package to this list; the others are the package's own.
__all__ = ["customer_analytics"]
