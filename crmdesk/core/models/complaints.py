"""The records of complaints: a complaint, the contacts it names, and the narrow indexes its
lists and statistics read."""
from __future__ import annotations

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from crmdesk.core.models.base import BaseModel, MoneyField
from crmdesk.core.models.customers import Customer, Transaction


class Complaint(BaseModel):
    """A complaint from the first call to the survey after closing. Times are local
    wall-clock times; the deadlines and the business minutes taken are kept by the
    complaint services (``core.complaints``) so that lists and statistics are SQL."""
    number = CharField(max_length=20, unique=True)  # CMP-20261123-001
    customer = ForeignKeyField(Customer, on_delete="CASCADE", backref="complaints")
    contact = CharField(max_length=100, default="")
    contact_phone = CharField(max_length=40, default="")
    channel = CharField(max_length=10, default="phone")
    received_at = DateTimeField()
    category = CharField(max_length=20)
    subcategory = CharField(max_length=100, default="")
    product = CharField(max_length=200, default="")
    transaction = ForeignKeyField(Transaction, null=True, on_delete="SET NULL")
    severity = CharField(max_length=10, default="normal")
    words = TextField(default="")  # the customer's own words
    facts = TextField(default="")
    root_cause = TextField(default="")
    solution = TextField(default="")
    compensation_kind = CharField(max_length=20, default="")
    compensation_amount = MoneyField(null=True)
    accepted = BooleanField(null=True)
    owner = CharField(max_length=100, default="")
    state = CharField(max_length=15, default="new")
    first_response_at = DateTimeField(null=True)
    resolved_at = DateTimeField(null=True)
    closed_at = DateTimeField(null=True)
    response_due_at = DateTimeField(null=True)
    resolution_due_at = DateTimeField(null=True)
    response_warn_at = DateTimeField(null=True)  # "due soon" from here on
    resolution_warn_at = DateTimeField(null=True)
    waiting_since = DateTimeField(null=True)  # the clock stopped: waiting for the customer
    paused_minutes = IntegerField(default=0)  # business minutes spent waiting, added to the deadlines
    response_minutes = IntegerField(null=True)  # business minutes to the first response
    resolution_minutes = IntegerField(null=True)  # business minutes to the resolution, pauses left out
    satisfaction = IntegerField(null=True)  # a level on satisfaction_scale
    satisfaction_scale = IntegerField(null=True)  # 5 or 7
    survey_note = TextField(default="")
    repeat_of = ForeignKeyField("self", null=True, on_delete="SET NULL")
    reopened = IntegerField(default=0)
    version = IntegerField(default=1)  # bumped by every write: two windows can't both win

    class Meta:
        indexes = ((("customer", "received_at"), False), (("received_at",), False),
                   (("state", "resolution_due_at"), False), (("owner", "state"), False))


class ComplaintContact(BaseModel):
    """One contact with the customer about a complaint: a call, a visit, a message."""
    complaint = ForeignKeyField(Complaint, on_delete="CASCADE", backref="contacts")
    at = DateTimeField()
    channel = CharField(max_length=10, default="phone")
    by = CharField(max_length=100, default="")
    note = TextField(default="")
    step = CharField(max_length=15, default="")  # the state it moved the complaint to, or ""

    class Meta:
        indexes = ((("complaint", "at"), False),)


# The open complaints by deadline: the overdue list and the escalation list read this
# narrow index instead of the wide rows (migration 0008).
Complaint.add_index(Complaint.resolution_due_at, Complaint.response_due_at, Complaint.first_response_at,
                    Complaint.waiting_since, Complaint.state, Complaint.owner, Complaint.severity,
                    Complaint.customer, Complaint.deleted_at, name="complaint_open_due",
                    where=Complaint.state.not_in(("resolved", "closed")) & Complaint.deleted_at.is_null())


# The statistics read every complaint of a period from two narrow covering indexes instead
# of the wide rows with their texts (0.2 s against 1.4 at 200,000 complaints): the totals
# grouped by category, severity and satisfaction, in this index's order (no sorting), and
# the months in the order of receipt.
Complaint.add_index(Complaint.category, Complaint.severity, Complaint.satisfaction_scale, Complaint.satisfaction,
                    Complaint.state, Complaint.received_at, Complaint.first_response_at, Complaint.response_due_at,
                    Complaint.resolved_at, Complaint.resolution_due_at, Complaint.response_minutes,
                    Complaint.resolution_minutes, Complaint.repeat_of, Complaint.waiting_since, Complaint.owner,
                    Complaint.customer, Complaint.deleted_at, name="complaint_stats_group",
                    where=Complaint.deleted_at.is_null())


Complaint.add_index(Complaint.received_at, Complaint.state, Complaint.resolved_at, Complaint.resolution_due_at,
                    Complaint.owner, Complaint.customer, Complaint.deleted_at, name="complaint_stats_month",
                    where=Complaint.deleted_at.is_null())
