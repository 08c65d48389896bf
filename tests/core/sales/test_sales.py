"""Sales one at a time, without Qt: record (lines computed, paid, due), correct (with the
version check), delete and restore; the change log; the Changes; the analytics, points and
purchase follow-ups see a sale at once; every bad input is one sentence and saves nothing."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crmdesk.core.care import fields as C
from crmdesk.core.analytics import facts
from crmdesk.core.changes import CREATED, DELETED, RESTORED, UPDATED, Changes
from crmdesk.core.errors import CrmError, FieldError
from crmdesk.core.messages import message
from crmdesk.core.models import CareEvent, ChangeLog, PointsEntry, Product, Sale, Transaction, Visit, utcnow
from crmdesk.core.sales import sales
from crmdesk.core.sales.sale_check import LineDraft, SaleDraft, line_amount, problems
from crmdesk.core.care import rules as care_rules, points
from crmdesk.core.customers import archive as customers
from crmdesk.core import history
from crmdesk.core.care.settings import Rule, Rules

TODAY = dt.date(2026, 12, 4)
OFF = Rule(False, 7)


@pytest.fixture
def cid(db) -> int:
    return customers.create({"name": "北京华润", "code": "C001", "owner": "王芳"})[0]


def draft(cid, *lines, **values) -> SaleDraft:
    values.setdefault("date", "2026-12-01")
    return SaleDraft(customer_id=cid, lines=list(lines) or [LineDraft("不锈钢阀", quantity=2, unit_price="6400")],
                     **values)


def counts() -> tuple[int, int, int]:
    return Sale.select().count(), Transaction.select().count(), ChangeLog.select().count()


def test_line_amount_is_quantity_times_price_less_discount():
    assert line_amount(3, "100", "10") == Decimal("270.00")
    assert line_amount(None, "99.99", None) == Decimal("99.99")
    assert line_amount("1.5", "33.33", "0") == Decimal("50.00")  # 49.995 rounded half up
    assert line_amount(2, "", None) is None


def test_record_stores_the_sale_and_its_lines(cid):
    written = sales.record(draft(cid, LineDraft("不锈钢阀", quantity=2, unit_price="6400", category="阀门"),
                                 LineDraft("密封圈", quantity=10, unit_price="50", discount="20"),
                                 LineDraft("安装费", amount="500"),
                                 paid="10000", payment_terms_days=30, notes="首单"), TODAY)
    sale = Sale.get_by_id(written.sale_id)
    assert (sale.customer_id, sale.date, sale.kind, sale.owner) == (cid, dt.date(2026, 12, 1), "sale", "王芳")
    assert (sale.paid, sale.paid_on, sale.payment_terms_days, sale.due_on) == (
        Decimal("10000"), dt.date(2026, 12, 1), 30, dt.date(2026, 12, 31))
    lines = sales.lines_of(sale.id)
    assert [(t.line_no, t.product, t.category, t.quantity, t.unit_price, t.discount, t.amount) for t in lines] == [
        (1, "不锈钢阀", "阀门", 2.0, Decimal("6400"), None, Decimal("12800")),
        (2, "密封圈", "", 10.0, Decimal("50"), 20.0, Decimal("400")),
        (3, "安装费", "", None, None, None, Decimal("500"))]
    assert [t.paid for t in lines] == [Decimal("10000"), Decimal("0"), Decimal("0")]  # paid spread in order
    assert all(t.customer_id == cid and t.date == sale.date for t in lines)
    assert sales.total_of(sale.id) == Decimal("13700")
    assert written.changes == [Changes("sale", CREATED, (sale.id,)),
                               Changes("transaction", CREATED, tuple(t.id for t in lines)),
                               Changes("customer", UPDATED, (cid,))]


def test_the_timeline_says_sale_recorded_with_its_amount(cid):
    sale_id = sales.record(draft(cid), TODAY).sale_id
    [item] = [i for i in history.timeline(cid) if i.entity == "sale"]
    assert (item.record_id, item.action, item.new) == (sale_id, CREATED, "2026-12-01 ¥12,800 不锈钢阀")


def test_blank_paid_is_paid_in_full_unless_there_are_terms(cid):
    full = Sale.get_by_id(sales.record(draft(cid), TODAY).sale_id)
    assert (full.paid, full.paid_on, full.due_on) == (Decimal("12800"), dt.date(2026, 12, 1), None)
    owed = Sale.get_by_id(sales.record(draft(cid, payment_terms_days="15"), TODAY).sale_id)
    assert (owed.paid, owed.paid_on, owed.due_on) == (Decimal("0"), None, dt.date(2026, 12, 16))


def test_a_refund_is_stored_negative(cid):
    sale_id = sales.record(draft(cid, LineDraft("不锈钢阀", quantity=1, unit_price="6400"), kind="refund",
                                 paid="6400"), TODAY).sale_id
    [line] = sales.lines_of(sale_id)
    assert (line.quantity, line.unit_price, line.amount, line.paid) == (-1.0, Decimal("6400"), Decimal("-6400"),
                                                                        Decimal("-6400"))
    assert Sale.get_by_id(sale_id).paid == Decimal("-6400")
    again, _ = sales.draft_of(sale_id)  # opened again: shown as typed, positive, kind refund
    assert (again.kind, again.lines[0].amount, again.paid) == ("refund", Decimal("6400"), Decimal("6400"))


def test_update_rewrites_header_and_lines_and_logs_the_fields(cid):
    sale_id = sales.record(draft(cid, LineDraft("不锈钢阀", quantity=2, unit_price="6400"),
                                 LineDraft("密封圈", amount="100")), TODAY).sale_id
    first, second = sales.lines_of(sale_id)
    edit, version = sales.draft_of(sale_id)
    edit.lines = [LineDraft("不锈钢阀", quantity=3, unit_price="6400")]
    edit.paid, edit.notes = "5000", "改为三台"
    written = sales.update(sale_id, edit, version, TODAY)
    [line] = sales.lines_of(sale_id)
    assert (line.id, line.amount, line.paid) == (first.id, Decimal("19200"), Decimal("5000"))  # kept its id
    assert Transaction.get_by_id(second.id).deleted_at is not None
    sale = Sale.get_by_id(sale_id)
    assert (sale.version, sale.paid, sale.notes) == (version + 1, Decimal("5000"), "改为三台")
    logged = {i.field: (i.old, i.new) for i in history.timeline(cid) if i.entity == "sale" and i.action == UPDATED}
    assert logged["paid"] == ("12900", "5000")
    assert logged["lines"] == ("2026-12-01 ¥12,900 不锈钢阀、密封圈", "2026-12-01 ¥19,200 不锈钢阀")
    assert Changes("transaction", DELETED, (second.id,)) in written.changes
    assert Changes("sale", UPDATED, (sale_id,)) in written.changes


def test_update_without_a_change_writes_nothing(cid):
    sale_id = sales.record(draft(cid), TODAY).sale_id
    edit, version = sales.draft_of(sale_id)
    before = counts()
    assert sales.update(sale_id, edit, version, TODAY).changes == []
    assert counts() == before and Sale.get_by_id(sale_id).version == version


def test_a_sale_changed_elsewhere_since_opened_is_refused(cid):
    sale_id = sales.record(draft(cid), TODAY).sale_id
    mine, version = sales.draft_of(sale_id)
    theirs, _ = sales.draft_of(sale_id)
    theirs.paid = "100"
    sales.update(sale_id, theirs, version, TODAY)
    mine.notes = "mine"
    before = counts()
    with pytest.raises(CrmError) as error:
        sales.update(sale_id, mine, version, TODAY)
    assert error.value.code == "record_changed_elsewhere"
    assert message(error.value).startswith("北京华润 2026-12-01 was changed elsewhere since you opened it (")
    assert counts() == before and Sale.get_by_id(sale_id).notes == ""
    with pytest.raises(CrmError, match="record_changed_elsewhere"):
        sales.delete(sale_id, version)
    assert Sale.get_by_id(sale_id).deleted_at is None


def test_delete_and_restore_take_the_lines_along(cid):
    sale_id = sales.record(draft(cid, LineDraft("阀", amount="1"), LineDraft("圈", amount="2")), TODAY).sale_id
    earlier = sales.record(draft(cid), TODAY).sale_id
    one, two = sales.lines_of(sale_id)
    sales.update(sale_id, draft(cid, LineDraft("阀", amount="1")), None, TODAY)  # the second line went before
    written = sales.delete(sale_id)
    assert written.changes[:2] == [Changes("sale", DELETED, (sale_id,)), Changes("transaction", DELETED, (one.id,))]
    assert sales.lines_of(sale_id) == []
    with pytest.raises(CrmError, match="sale_not_found"):
        sales.get(sale_id)
    restored = sales.restore(sale_id)
    assert restored.changes[:2] == [Changes("sale", RESTORED, (sale_id,)), Changes("transaction", RESTORED, (one.id,))]
    assert [t.id for t in sales.lines_of(sale_id)] == [one.id]  # not the line removed by the edit
    assert Transaction.get_by_id(two.id).deleted_at is not None
    assert Sale.get_by_id(earlier).deleted_at is None
    actions = [i.action for i in history.timeline(cid) if i.entity == "sale" and i.record_id == sale_id and not i.field]
    assert actions == [RESTORED, DELETED, CREATED]


def test_analytics_points_and_purchase_follow_ups_see_a_sale_at_once(cid):
    sale_id = sales.record(draft(cid, LineDraft("不锈钢阀", quantity=1, unit_price="1234", category="阀门"),
                                 date="2026-12-02"), TODAY).sale_id
    known = facts.load(TODAY, facts.Filter(customer_id=cid))[cid]
    assert (known.revenue_total, known.last, known.categories) == (1234.0, dt.date(2026, 12, 2), {"阀门": 1234.0})
    run = care_rules.run(TODAY, Rules(birthdays=OFF, festivals=OFF, purchase=Rule(True, 3), anniversary=OFF,
                                      no_contact=OFF, no_purchase=OFF, points_on=True, points_from="2026-12-01"))
    assert run.points == 1 and points.balance(cid) == 1234
    [follow_up] = CareEvent.select().where(CareEvent.kind == C.PURCHASE)
    assert (follow_up.customer_id, follow_up.due_on) == (cid, dt.date(2026, 12, 5))
    sales.delete(sale_id)
    assert points.balance(cid) == 0  # a deleted purchase takes its points along
    assert facts.load(TODAY, facts.Filter(customer_id=cid))[cid].revenue_total == 0
    sales.restore(sale_id)
    assert points.balance(cid) == 1234 and PointsEntry.select().count() == 1


def test_names_sold_become_products(cid):
    sales.record(draft(cid, LineDraft("不锈钢阀", amount="1", category="阀门"), LineDraft("不锈钢阀", amount="2")), TODAY)
    [product] = Product.select()
    assert (product.name, product.category, product.sort_name, product.name_initials) == (
        "不锈钢阀", "阀门", "buxiugangfa", "bxgf")
    assert {t.product_id for t in Transaction.select()} == {product.id}


# ---------------------------------------------------------------- bad input: one sentence, nothing saved

def refused(make, code: str, sentence: str) -> None:
    before = counts()
    with pytest.raises(FieldError) as error:
        make()
    assert error.value.code == code
    assert message(error.value) == sentence
    assert counts() == before


def test_a_sale_for_a_deleted_customer(cid):
    customers.delete([cid])
    refused(lambda: sales.record(draft(cid), TODAY), "sale_customer_deleted",
            "北京华润 has been deleted: restore the customer first, or record the sale for another customer; "
            "nothing was saved.")


def test_a_negative_quantity_or_amount_on_a_sale(cid):
    refused(lambda: sales.record(draft(cid, LineDraft("阀", quantity=-1, unit_price="10")), TODAY),
            "sale_negative_line", "Line 1 has a negative quantity, price or amount: a sale's are positive, and "
            "goods returned are recorded as a refund; nothing was saved.")
    refused(lambda: sales.record(draft(cid, LineDraft("阀", amount="1"), LineDraft("圈", amount="-5")), TODAY),
            "sale_negative_line", "Line 2 has a negative quantity, price or amount: a sale's are positive, and "
            "goods returned are recorded as a refund; nothing was saved.")


def test_paid_more_than_the_amount(cid):
    refused(lambda: sales.record(draft(cid, paid="13,000"), TODAY), "sale_paid_too_much",
            "Paid (13,000.00) is more than the sale's amount (12,800.00): correct what was paid; nothing was saved.")


def test_a_date_far_in_the_future(cid):
    assert sales.record(draft(cid, date="2027-12-04"), TODAY)  # a year ahead: a pre-dated invoice, allowed
    refused(lambda: sales.record(draft(cid, date="2027-12-05"), TODAY), "sale_date_far_future",
            "2027-12-05 is more than a year ahead: check the year; nothing was saved.")


def test_a_product_that_no_longer_exists(cid):
    product = Product.create(name="旧型号阀门", sort_name="jiuxinghaofamen")
    Product.update(deleted_at=utcnow()).where(Product.id == product.id).execute()
    refused(lambda: sales.record(draft(cid, LineDraft(product_id=product.id, amount="10")), TODAY),
            "sale_product_gone", "Line 1: the product “旧型号阀门” no longer exists: pick another one from the list; "
            "nothing was saved.")


def test_a_merged_product_leads_to_the_one_kept(cid):
    kept = Product.create(name="不锈钢阀", category="阀门")
    variant = Product.create(name="不锈刚阀", merged_into=kept.id)
    sale_id = sales.record(draft(cid, LineDraft(product_id=variant.id, amount="10")), TODAY).sale_id
    [line] = sales.lines_of(sale_id)
    assert (line.product_id, line.product, line.category) == (kept.id, "不锈钢阀", "阀门")


def test_no_line(cid):
    refused(lambda: sales.record(draft(cid, LineDraft(), LineDraft(category="x")), TODAY), "sale_no_lines",
            "A sale needs at least one line with a product and an amount: add one; nothing was saved.")


def test_more_bad_input_each_one_sentence(cid):
    refused(lambda: sales.record(draft(None), TODAY), "sale_customer_required",
            "Choose the customer who bought; nothing was saved.")
    refused(lambda: sales.record(draft(cid, LineDraft("阀", quantity=2)), TODAY), "sale_line_no_amount",
            "Line 1 has no amount: type the amount, or the unit price (and quantity) to compute it; nothing was saved.")
    refused(lambda: sales.record(draft(cid, LineDraft("阀", unit_price="10", discount="120")), TODAY),
            "sale_discount_invalid", "Line 1: the discount is a percentage from 0 to 100; nothing was saved.")
    refused(lambda: sales.record(draft(cid, payment_terms_days="-3"), TODAY), "sale_terms_invalid",
            "Payment terms are a whole number of days from 0 to 3650; nothing was saved.")
    refused(lambda: sales.record(draft(cid, date=""), TODAY), "required", "Required: type a value.")
    other = customers.create({"name": "别家"})[0]
    visit = Visit.create(customer=other, starts_at=dt.datetime(2026, 12, 1, 9), ends_at=dt.datetime(2026, 12, 1, 10))
    refused(lambda: sales.record(draft(cid, visit_id=visit.id), TODAY), "sale_link_other_customer",
            "The visit or opportunity this sale is linked to belongs to another customer or was deleted: record the "
            "sale from that customer; nothing was saved.")


def test_problems_lists_every_field_to_mark(cid):
    found = problems(draft(cid, LineDraft("阀", quantity="abc", unit_price="1"), LineDraft("圈", amount="-1"),
                           date="2030-01-01", paid="x"), TODAY)
    assert [(p.key, p.code) for p in found] == [("date", "sale_date_far_future"),
                                                 ("lines.1.quantity", "money_invalid"),
                                                 ("lines.2.amount", "sale_negative_line"),
                                                 ("paid", "money_invalid")]
    assert problems(draft(cid), TODAY) == []
