"""File ▸ Import customers (the wizard), Undo import and Export customers."""
