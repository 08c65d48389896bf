"""Saving what the customer form shows: the customer's fields and its contacts, in one
transaction, so a failed save leaves nothing half-written."""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping, Optional

from crmdesk.core.changes import Changes
from crmdesk.core.db import transaction
from crmdesk.core.errors import ValidationError
from crmdesk.core.customers import contacts, archive as customers


def save(customer_id: Optional[int], raw: Mapping[str, Any], contact_rows: list[contacts.ContactData],
         expected_updated_at: Optional[dt.datetime] = None) -> tuple[int, list[Changes]]:
    """Create (``customer_id`` None) or update a customer and its contacts. Raises
    ``ValidationError`` with every problem of the customer and of its contacts."""
    errors = {}
    for index, data in enumerate(contact_rows):
        try:
            contacts.validate(data)
        except ValidationError as error:
            errors.update({f"contacts[{index}].{k}": v for k, v in error.errors.items()})
    if errors:  # report the customer's own problems together with the contacts'
        _clean, own = customers.validate(raw, customer_id)
        raise ValidationError(own | errors)
    with transaction():
        if customer_id is None:
            customer_id, change = customers.create(raw)
        else:
            change = customers.update(customer_id, raw, expected_updated_at)
        contact_change = contacts.save_all(customer_id, contact_rows)
    return customer_id, [change, contact_change, Changes("customer", "updated", (customer_id,))]
