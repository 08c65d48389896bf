"""The records of visits: a visit and the repeating series that plans them."""
from __future__ import annotations

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from crmdesk.core.models.base import BaseModel
from crmdesk.core.models.customers import Customer


class VisitSeries(BaseModel):
    """A repeating visit plan: every ``interval`` days or weeks (on ``weekdays``, 0 = Monday),
    from ``first_date`` until ``until`` or for ``count`` visits. Its visits are generated a
    few at a time (see ``visits.series``); the plan fields are copied into each."""
    customer = ForeignKeyField(Customer, on_delete="CASCADE", backref="visit_series")
    interval = IntegerField()
    unit = CharField(max_length=10)  # day, week
    weekdays = CharField(max_length=20, default="")  # "0,3": Monday and Thursday
    first_date = DateField()
    until = DateField(null=True)
    count = IntegerField(null=True)
    start_time = CharField(max_length=5)  # "09:30", local
    minutes = IntegerField()
    generated = IntegerField(default=0)  # occurrences created so far
    ended_at = DateTimeField(null=True)


class Visit(BaseModel):
    """One visit: the plan (who, when, where, why), then what came of it. Times are the
    local wall-clock times the rep planned, without a time zone."""
    customer = ForeignKeyField(Customer, on_delete="CASCADE", backref="visits")
    rep = CharField(max_length=100, default="")
    contacts = CharField(max_length=500, default="")  # names, "、"-separated
    starts_at = DateTimeField()
    ends_at = DateTimeField()
    place = CharField(max_length=300, default="")
    kind = CharField(max_length=20, default="needs_analysis")
    objective = TextField(default="")
    talking_points = TextField(default="")
    materials = TextField(default="")
    expected_result = TextField(default="")
    state = CharField(max_length=12, default="planned")
    reason = TextField(default="")  # why postponed, cancelled or missed
    outcome = TextField(default="")
    objections = TextField(default="")  # JSON: [[objection, answer], ...]
    rating = IntegerField(null=True)  # 1..5
    follow_up = TextField(default="")
    recorded_at = DateTimeField(null=True)
    series = ForeignKeyField(VisitSeries, null=True, on_delete="SET NULL", backref="visits")
    next_visit = ForeignKeyField("self", null=True, on_delete="SET NULL")
    version = IntegerField(default=1)  # bumped by every write: two windows can't both win

    class Meta:
        indexes = ((("customer", "starts_at"), False), (("starts_at",), False),
                   (("rep", "starts_at"), False), (("state", "starts_at"), False))


Visit.add_index(Visit.starts_at, Visit.ends_at, Visit.state, Visit.rep, Visit.kind, Visit.customer,
                Visit.version, Visit.place, Visit.deleted_at, name="visit_live_calendar",
                where=Visit.deleted_at.is_null())
