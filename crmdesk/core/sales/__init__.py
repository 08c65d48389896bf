"""Sales: sales and their lines, products, receivables, the opportunities of the pipeline,
their stages, and the sales figures."""

# The modules other packages may use: tests/test_architecture.py holds every import from
# outside this package to this list; the others are the package's own.
__all__ = ["agenda_export", "board", "demo", "fields", "figures", "figures_export",
           "figures_labels", "figures_report", "import_undo", "objections", "opportunities",
           "opportunities_agenda", "opportunities_io", "opportunities_visits", "opportunity_list",
           "product_io", "product_list", "products", "receivables", "sale_check", "sale_list",
           "sales", "series_deals", "stages"]
