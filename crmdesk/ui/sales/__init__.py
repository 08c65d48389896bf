"""The Sales tab (销售): sales, products and receivables; the pipeline and report pages come from outside."""

# The modules other packages may use: tests/test_architecture.py holds every import from
# outside this package to this list; the others are the package's own.
__all__ = ["customer_sales", "opportunity_timeline", "products_page", "sale_dialog", "sales_tab"]
