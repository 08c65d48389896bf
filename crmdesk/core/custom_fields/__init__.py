"""Custom fields (issue 21): fields a user adds to customers (File ▸ Customer fields) or from an
import's unmatched column, with their values in ``customer_field_value``."""
from crmdesk.core.custom_fields.definitions import (CHOICE, DATE, KEY, MAX_TEXT, NUMBER, PREFIX, TEXT, TYPES, YESNO,
                                                   CustomField, add, all_fields, by_field_key, edit, get, header_index,
                                                   is_custom, move, remove, value_count)
from crmdesk.core.custom_fields.filters import (condition, distinct_values, filter_value, is_ranged, matches,
                                               parse_range, range_text, value_span)
from crmdesk.core.custom_fields.values import (as_python, column_sql, display, guess, parse, parse_all, read,
                                              search_parts, write)

__all__ = ["CHOICE", "DATE", "KEY", "MAX_TEXT", "NUMBER", "PREFIX", "TEXT", "TYPES", "YESNO", "CustomField",
           "add", "all_fields", "as_python", "by_field_key", "column_sql", "condition", "display",
           "distinct_values", "edit", "filter_value", "get", "guess", "header_index", "is_custom", "is_ranged",
           "matches", "move", "parse", "parse_all", "parse_range", "range_text", "read", "remove", "search_parts",
           "value_count", "value_span", "write",
           "values"]  # values: its bulk insert, for the customer import
