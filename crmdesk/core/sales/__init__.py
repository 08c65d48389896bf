"""Sales: sales and their lines, products, receivables, the opportunities of the pipeline,
their stages, and the sales figures."""
