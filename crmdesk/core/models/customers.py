"""The records of the customer archive, visits, complaints and care, the change log and the
business settings."""
from __future__ import annotations

from peewee import (SQL, AutoField, BooleanField, CharField, DateField, DateTimeField, FloatField,
                    ForeignKeyField, IntegerField, Model, TextField)

from crmdesk.core.models.base import BaseModel, MoneyField, database, utcnow


class Batch(BaseModel):
    """A group of changes made together: an import, a merge, a bulk edit, demo data."""
    kind = CharField(max_length=20)
    description = TextField(default="")
    actor = CharField(max_length=100, default="")
    undone_at = DateTimeField(null=True)


class Customer(BaseModel):
    code = CharField(max_length=40, unique=True)
    name = CharField(max_length=200)
    kind = CharField(max_length=20, default="company")
    contact_person = CharField(max_length=100, default="")
    title = CharField(max_length=100, default="")
    mobile = CharField(max_length=40, default="")
    phone = CharField(max_length=40, default="")
    fax = CharField(max_length=40, default="")
    email = CharField(max_length=254, default="")
    wechat = CharField(max_length=100, default="")
    province = CharField(max_length=50, default="")
    city = CharField(max_length=50, default="")
    district = CharField(max_length=50, default="")
    address = CharField(max_length=300, default="")
    postal_code = CharField(max_length=20, default="")
    website = CharField(max_length=300, default="")
    industry = CharField(max_length=100, default="")
    ownership = CharField(max_length=50, default="")
    company_size = CharField(max_length=50, default="")
    annual_revenue = MoneyField(null=True)
    fiscal_year_start = IntegerField(null=True)
    source = CharField(max_length=20, null=True)
    owner = CharField(max_length=100, default="")
    tier = CharField(max_length=20, null=True)
    stage = CharField(max_length=20, null=True)
    relationship = CharField(max_length=30, null=True)
    credit_rating = CharField(max_length=1, null=True)
    need_score = IntegerField(null=True)
    volume_score = IntegerField(null=True)
    purchasing_power_score = IntegerField(null=True)
    credit_score = IntegerField(null=True)
    decision_score = IntegerField(null=True)
    gender = CharField(max_length=20, null=True)
    birthday_year = IntegerField(null=True)
    birthday_month = IntegerField(null=True)
    birthday_day = IntegerField(null=True)
    birthday_calendar = CharField(max_length=10, default="solar")
    hometown = CharField(max_length=100, default="")
    education = CharField(max_length=50, default="")
    hobbies = CharField(max_length=500, default="")
    preferences = CharField(max_length=500, default="")
    delivery_preference = CharField(max_length=500, default="")
    payment_terms = CharField(max_length=200, default="")
    bank_name = CharField(max_length=100, default="")
    bank_account = CharField(max_length=40, default="")
    tax_id = CharField(max_length=30, default="")
    tags = TextField(default="")  # "a, b": for display; customer_tag holds one row per tag
    notes = TextField(default="")
    # Derived, kept by the services: sorting and searching Chinese names by pinyin.
    sort_name = CharField(max_length=400, default="")
    name_initials = CharField(max_length=200, default="")
    search_text = TextField(default="")
    # Visits (migration 0006): a per-customer visit frequency that overrides the tier's, and,
    # kept by the visit services, the start of the last visit made and of the next one
    # planned, so the due list reads one row per customer instead of a million visits.
    visit_every_days = IntegerField(null=True)
    last_visit_at = DateTimeField(null=True)
    next_visit_at = DateTimeField(null=True)
    # Complaints (migration 0008): the customer's satisfaction after its latest complaints,
    # as a score from 1 to 5 beside the evaluation's; kept by the complaint services.
    satisfaction = FloatField(null=True)
    # Analytics (migration 0010): why a lost customer left (analytics_fields.CHURN_CAUSES).
    churn_cause = CharField(max_length=20, null=True)
    # Team use (migration 0016): the sales team that holds the customer; its visits, deals,
    # complaints and care follow it when a manager hands it over.
    team = CharField(max_length=100, default="", constraints=[SQL("DEFAULT ''")])
    # Migration 0020 (issue 21): the customer's country; empty means China. Its phones are
    # read as dialled there.
    country = CharField(max_length=60, default="", constraints=[SQL("DEFAULT ''")])


class CustomerTag(Model):
    customer = ForeignKeyField(Customer, on_delete="CASCADE", backref="tag_rows")
    tag = CharField(max_length=50)

    class Meta:
        database = database
        legacy_table_names = False
        indexes = ((("tag", "customer"), True),)


class Contact(BaseModel):
    customer = ForeignKeyField(Customer, on_delete="CASCADE", backref="contacts")
    name = CharField(max_length=100)
    title = CharField(max_length=100, default="")
    mobile = CharField(max_length=40, default="")
    phone = CharField(max_length=40, default="")
    email = CharField(max_length=254, default="")
    wechat = CharField(max_length=100, default="")
    birthday_year = IntegerField(null=True)
    birthday_month = IntegerField(null=True)
    birthday_day = IntegerField(null=True)
    birthday_calendar = CharField(max_length=10, default="solar")
    is_decision_maker = BooleanField(default=False)
    notes = TextField(default="")


class Transaction(BaseModel):
    customer = ForeignKeyField(Customer, on_delete="CASCADE", backref="transactions")
    date = DateField()
    product = CharField(max_length=200, default="")
    category = CharField(max_length=100, default="")
    quantity = FloatField(null=True)
    amount = MoneyField()
    paid = MoneyField(null=True)
    notes = TextField(default="")
    batch = ForeignKeyField(Batch, null=True, on_delete="SET NULL")

    class Meta:
        table_name = "transactions"
        indexes = ((("customer", "date"), False),)


class VisitSeries(BaseModel):
    """A repeating visit plan: every ``interval`` days or weeks (on ``weekdays``, 0 = Monday),
    from ``first_date`` until ``until`` or for ``count`` visits. Its visits are generated a
    few at a time (see ``services.visit_series``); the plan fields are copied into each."""
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


# Covering indexes for the due list and the calendar (migration 0007): partial, so declared
# here rather than in Meta; ``deleted_at`` is a column too, so SQLite counts them covering.
Customer.add_index(
    Customer.last_visit_at, Customer.created_at, Customer.visit_every_days, Customer.tier, Customer.stage,
    Customer.next_visit_at, Customer.owner, Customer.need_score, Customer.volume_score,
    Customer.purchasing_power_score, Customer.credit_score, Customer.decision_score, Customer.annual_revenue,
    Customer.deleted_at, name="customer_live_due", where=Customer.deleted_at.is_null())
Customer.add_index(Customer.id, Customer.name, Customer.deleted_at, name="customer_live_calendar",
                   where=Customer.deleted_at.is_null())
# The team filters' choices (migration 0017): a skip-scan of the live customers' teams.
Customer.add_index(Customer.team, name="customer_live_team", where=Customer.deleted_at.is_null())
Visit.add_index(Visit.starts_at, Visit.ends_at, Visit.state, Visit.rep, Visit.kind, Visit.customer,
                Visit.version, Visit.place, Visit.deleted_at, name="visit_live_calendar",
                where=Visit.deleted_at.is_null())


class Complaint(BaseModel):
    """A complaint from the first call to the survey after closing. Times are local
    wall-clock times; the deadlines and the business minutes taken are kept by the
    complaint services (``services.complaints``) so that lists and statistics are SQL."""
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


class CareEvent(BaseModel):
    """Something to do for a customer on a day: a follow-up, a greeting, a survey, a gift.
    ``rule`` names what created it ("complaint:12"), unique, so that nothing is created twice."""
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


class ChangeLog(Model):
    """Who changed which field of which record, from what to what, when, in which batch."""
    id = AutoField()
    at = DateTimeField(default=utcnow)
    actor = CharField(max_length=100, default="")
    entity = CharField(max_length=30)
    record_id = IntegerField()
    record_uuid = CharField(max_length=36)
    customer_id = IntegerField(null=True)  # the customer whose timeline shows this change
    action = CharField(max_length=20)  # created, updated, deleted, restored
    field = CharField(max_length=50, default="")
    old = TextField(null=True)
    new = TextField(null=True)
    batch = ForeignKeyField(Batch, null=True, on_delete="SET NULL")

    class Meta:
        database = database
        legacy_table_names = False
        indexes = ((("customer_id", "at"), False), (("entity", "record_id"), False))


class Setting(Model):
    """Business settings (visit frequencies, deadlines, rules) as JSON values."""
    key = CharField(max_length=100, primary_key=True)
    value = TextField()

    class Meta:
        database = database
        legacy_table_names = False


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

# The open care events by the day they show on (migration 0009): the today, week and
# overdue lists and the reminders read this narrow index, however many are done.
CareEvent.add_index(CareEvent.due_on, CareEvent.snoozed_until, CareEvent.state, CareEvent.kind, CareEvent.customer,
                    CareEvent.contact, CareEvent.deleted_at, name="care_event_open",
                    where=CareEvent.state.in_(("due", "snoozed")) & CareEvent.deleted_at.is_null())
# The care rules read every live customer's purchases: first and last day, how many days,
# and the purchases of a few days, from these two instead of the wide rows (migration 0009).
Transaction.add_index(Transaction.customer, Transaction.date, Transaction.amount, Transaction.deleted_at,
                      name="transactions_live", where=Transaction.deleted_at.is_null())
Transaction.add_index(Transaction.date, Transaction.customer, Transaction.amount, Transaction.deleted_at,
                      name="transactions_live_date", where=Transaction.deleted_at.is_null())

# Analytics read every live purchase by customer and category: revenue per category for
# cross-selling, categories bought, from this covering index (migration 0010).
Transaction.add_index(Transaction.customer, Transaction.category, Transaction.date, Transaction.amount,
                      Transaction.deleted_at, name="transactions_live_category", where=Transaction.deleted_at.is_null())
