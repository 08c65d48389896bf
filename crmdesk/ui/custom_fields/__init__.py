"""The user's own customer fields in the GUI (issue 21): their editors in the customer form,
the settings dialog that defines them, the list's filter menu and the import wizard's
"make this column a field"."""
