"""The records of care: a care event (a reminder, a greeting, a follow-up) and the points
ledger."""
from __future__ import annotations

from peewee import SQL, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from crmdesk.core.models.base import BaseModel
from crmdesk.core.models.customers import Contact, Customer, Transaction
from crmdesk.core.models.complaints import Complaint


class CareEvent(BaseModel):
    """Something to do for a customer on a day: a follow-up, a greeting, a survey, a gift.
    ``rule`` names what created it ("complaint:<its uuid>", "no_contact:<customer uuid>:2026-08-01"), unique, so that nothing is created twice."""
    customer = ForeignKeyField(Customer, on_delete="CASCADE", backref="care_events")
    contact = ForeignKeyField(Contact, null=True, on_delete="SET NULL")
    kind = CharField(max_length=30)
    due_on = DateField()
    channel = CharField(max_length=10, default="phone")
    title = CharField(max_length=200, default="")
    message = TextField(default="")
    state = CharField(max_length=10, default="due")  # due, done, skipped, snoozed
    snoozed_until = DateField(null=True)
    result = TextField(default="")
    response = TextField(default="")
    done_at = DateTimeField(null=True)
    complaint = ForeignKeyField(Complaint, null=True, on_delete="SET NULL", backref="care_events")
    rule = CharField(max_length=100, null=True, unique=True)
    version = IntegerField(default=1)
    # Care (migration 0009): the festival or other occasion a greeting is for ("spring",
    # "custom:店庆"), and the figures that raised a warning, as JSON ({"days": 190, ...}).
    occasion = CharField(max_length=50, default="", constraints=[SQL("DEFAULT ''")])
    facts = TextField(default="", constraints=[SQL("DEFAULT ''")])

    class Meta:
        indexes = ((("state", "due_on"), False), (("customer", "due_on"), False))


class PointsEntry(BaseModel):
    """One line of a customer's points ledger: points earned by a purchase (``transaction``,
    at most once each), redeemed for a gift (negative), or adjusted by hand."""
    customer = ForeignKeyField(Customer, on_delete="CASCADE", backref="points")
    on = DateField()
    points = IntegerField()
    kind = CharField(max_length=10)  # earned, redeemed, adjusted
    note = TextField(default="")
    transaction = ForeignKeyField(Transaction, null=True, unique=True, on_delete="SET NULL")
    care_event = ForeignKeyField(CareEvent, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("customer", "on"), False),)


# The open care events by the day they show on (migration 0009): the today, week and
# overdue lists and the reminders read this narrow index, however many are done.
CareEvent.add_index(CareEvent.due_on, CareEvent.snoozed_until, CareEvent.state, CareEvent.kind, CareEvent.customer,
                    CareEvent.contact, CareEvent.deleted_at, name="care_event_open",
                    where=CareEvent.state.in_(("due", "snoozed")) & CareEvent.deleted_at.is_null())
