"""The search the lists share: the full-text index kept beside the customers (``index``) and the keys a typed search is matched on (``keys``)."""
