"""The analytics tab: its pages, a customer's figures and the analytics settings."""
