"""The records of the customer archive: customers, their tags, contacts and transactions."""
from __future__ import annotations

from peewee import (SQL, BooleanField, CharField, DateField, DateTimeField, FloatField, ForeignKeyField, IntegerField,
                    Model, TextField)

from crmdesk.core.models.base import BaseModel, MoneyField, database
from crmdesk.core.models.journal import Batch



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
