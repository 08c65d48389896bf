"""Sales (migration 0012): a sale and its lines, the product list, the opportunities of the
pipeline and the stages each went through.

A ``Sale`` is what a customer bought on one day: its lines are the ``Transaction`` rows the
analytics have always read (product, category, quantity, amount), now with the unit price,
the discount and the product they came from. A refund is a sale of kind ``refund`` whose
lines hold negative amounts, so that every sum of the lines nets it out. What is still owed
is the lines' total less ``paid``; ``due_on`` (the date plus the payment terms) says when it
falls overdue.

An ``Opportunity`` (商机) follows a deal through the stages kept in the settings (lead,
qualified, proposal, negotiation; won and lost close it); ``StageChange`` records when it
entered and left each stage, for the days in stage, the funnel and the cycle length."""
from __future__ import annotations

from peewee import SQL, BooleanField, CharField, DateField, DateTimeField, FloatField, ForeignKeyField, IntegerField, \
    TextField

from crmdesk.core.models.base import BaseModel, MoneyField, utcnow
from crmdesk.core.models.customers import Customer, Transaction
from crmdesk.core.models.journal import Batch
from crmdesk.core.models.visits import Visit


class Product(BaseModel):
    """A product on the list (code, name, category, unit, list price); ``merged_into`` points
    at the product a spelling variant was merged into."""
    code = CharField(max_length=40, default="")
    name = CharField(max_length=200)
    category = CharField(max_length=100, default="")
    unit = CharField(max_length=20, default="")
    list_price = MoneyField(null=True)
    active = BooleanField(default=True)
    notes = TextField(default="")
    sort_name = CharField(max_length=400, default="")  # full pinyin, for sorting and picking
    name_initials = CharField(max_length=200, default="")  # pinyin initials: bxf for 不锈钢阀
    merged_into = ForeignKeyField("self", null=True, on_delete="SET NULL")
    batch = ForeignKeyField(Batch, null=True, on_delete="SET NULL")


class Opportunity(BaseModel):
    customer = ForeignKeyField(Customer, on_delete="CASCADE", backref="opportunities")
    title = CharField(max_length=200)
    contacts = CharField(max_length=500, default="")  # names, "、"-separated, as on a visit
    amount = MoneyField(null=True)
    stage = CharField(max_length=30)  # a key of the stage settings; "won" and "lost" close it
    probability = IntegerField(default=10)  # percent
    expected_close = DateField(null=True)
    next_step = TextField(default="")
    next_step_on = DateField(null=True)
    source = CharField(max_length=20, default="")  # the customer sources' keys
    competitors = CharField(max_length=300, default="")
    owner = CharField(max_length=100, default="")
    lost_reason = CharField(max_length=20, null=True)  # price, product, competitor, timing, ...
    lost_note = TextField(default="")
    notes = TextField(default="")
    stage_since = DateTimeField(default=utcnow)  # when it entered its stage, for days in stage
    closed_on = DateField(null=True)  # the day it was won or lost
    batch = ForeignKeyField(Batch, null=True, on_delete="SET NULL")
    version = IntegerField(default=1)  # bumped by every write: a stale drag is refused

    class Meta:
        indexes = ((("customer", "stage"), False),)


class StageChange(BaseModel):
    """An opportunity's stay in one stage: entered, and left (null while it is still there)."""
    opportunity = ForeignKeyField(Opportunity, on_delete="CASCADE", backref="stage_changes")
    stage = CharField(max_length=30)
    entered_at = DateTimeField()
    left_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("opportunity", "entered_at"), False), (("stage", "entered_at"), False))


class Sale(BaseModel):
    customer = ForeignKeyField(Customer, on_delete="CASCADE", backref="sales")
    date = DateField()
    kind = CharField(max_length=10, default="sale")  # sale, refund
    owner = CharField(max_length=100, default="")
    payment_terms_days = IntegerField(null=True)  # paid within so many days of the date
    due_on = DateField(null=True)  # date + terms: unpaid after it is overdue
    paid = MoneyField(null=True)
    paid_on = DateField(null=True)
    notes = TextField(default="")
    opportunity = ForeignKeyField(Opportunity, null=True, on_delete="SET NULL", backref="sales")
    visit = ForeignKeyField(Visit, null=True, on_delete="SET NULL", backref="sales")
    batch = ForeignKeyField(Batch, null=True, on_delete="SET NULL")
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("customer", "date"), False), (("date",), False))


# The lines and the visits learn of the sale, the product and the opportunity they belong
# to: added here so that the archive's models need not know of sales (the columns are
# appended, as migration 0012 appends them).
Transaction._meta.add_field("sale", ForeignKeyField(Sale, null=True, on_delete="CASCADE", backref="lines"))
Transaction._meta.add_field("product_ref", ForeignKeyField(Product, null=True, on_delete="SET NULL",
                                                           column_name="product_id"))
Transaction._meta.add_field("unit_price", MoneyField(null=True))
Transaction._meta.add_field("discount", FloatField(null=True))  # percent off, 0..100
Transaction._meta.add_field("line_no", IntegerField(default=0, constraints=[SQL("DEFAULT 0")]))
Visit._meta.add_field("opportunity", ForeignKeyField(Opportunity, null=True, on_delete="SET NULL",
                                                     backref="visits"))

# The board and the forecast read the live opportunities by stage from this covering index;
# the receivables read the live sales not yet fully paid by the day they fall due.
Opportunity.add_index(Opportunity.stage, Opportunity.expected_close, Opportunity.owner, Opportunity.amount,
                      Opportunity.probability, Opportunity.customer, Opportunity.stage_since, Opportunity.deleted_at,
                      name="opportunity_live_stage", where=Opportunity.deleted_at.is_null())
# the won and lost columns read the deals closed in the period from this one (migration 0015)
Opportunity.add_index(Opportunity.stage, Opportunity.closed_on, Opportunity.amount, Opportunity.owner,
                      Opportunity.customer, Opportunity.deleted_at, name="opportunity_live_closed",
                      where=Opportunity.deleted_at.is_null())
Opportunity.add_index(Opportunity.owner, name="opportunity_live_owner", where=Opportunity.deleted_at.is_null())
Sale.add_index(Sale.due_on, Sale.customer, Sale.paid, Sale.deleted_at, name="sale_live_due",
               where=Sale.deleted_at.is_null() & Sale.due_on.is_null(False))
Product.add_index(Product.sort_name, Product.id, name="product_live_sort",
                  where=Product.deleted_at.is_null())
# The sales figures (migration 0014) read the live lines by product, the live sales' owners
# by customer and day, and the stages each deal went through from these covering indexes
# instead of the wide rows.
Transaction.add_index(Transaction.product_ref, Transaction.product, Transaction.category, Transaction.date,
                      Transaction.amount, Transaction.quantity, Transaction.customer, Transaction.deleted_at,
                      name="transactions_live_product", where=Transaction.deleted_at.is_null())
Sale.add_index(Sale.customer, Sale.date, Sale.owner, Sale.deleted_at, name="sale_live_owner",
               where=Sale.deleted_at.is_null())
StageChange.add_index(StageChange.opportunity, StageChange.stage, StageChange.deleted_at,
                      name="stage_change_live_opportunity", where=StageChange.deleted_at.is_null())

SALES_MODELS = (Product, Opportunity, StageChange, Sale)
