"""The Sales tab (销售): sales, products and receivables; the pipeline and report pages come from outside."""
