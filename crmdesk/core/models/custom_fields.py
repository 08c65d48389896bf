"""The values of the fields a user adds to customers (issue 21, ``crmdesk.core.custom_fields``):
one row a customer and field, the value in its own type (text, a number, an ISO date, 1/0),
so that the list sorts and filters them in SQL. The fields themselves are a setting."""
from __future__ import annotations

from peewee import BareField, CharField, ForeignKeyField

from crmdesk.core.models.base import BaseModel
from crmdesk.core.models.customers import Customer


class CustomValue(BaseModel):
    customer = ForeignKeyField(Customer, on_delete="CASCADE", index=False)  # the pair index leads with it
    field = CharField(max_length=100)
    # No type affinity: a number stays a number and text stays text (NUMERIC would turn
    # a choice "007" into 7), so the list sorts each field in its own order.
    value = BareField(null=True)

    class Meta:
        table_name = "customer_field_value"
        indexes = ((("customer", "field"), True),)


# Covering, live values only: a filter's matches come from the index alone.
CustomValue.add_index(CustomValue.field, CustomValue.value, CustomValue.customer,
                      name="customer_field_value_field_value", where=CustomValue.deleted_at.is_null())
