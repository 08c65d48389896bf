"""File ▸ Import customers and Import transactions (the wizard), Undo import and Export customers."""
