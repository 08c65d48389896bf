"""Products without Qt: built from what was sold (once), picked by name, code, pinyin or
initials; created, edited (the lines take a new name), deactivated, deleted and restored;
spelling variants merged into one (lines re-pointed) and the merge taken back."""
from __future__ import annotations

from decimal import Decimal

import pytest

from crmdesk.core.errors import CrmError, ValidationError
from crmdesk.core.messages import message
from crmdesk.core.models import ChangeLog, Product, Transaction
from crmdesk.core.sales import product_list, products, sales
from crmdesk.core.sales.product_list import ProductQuery
from crmdesk.core.sales.sale_check import LineDraft, SaleDraft
from crmdesk.core.customers import archive as customers, transactions


@pytest.fixture
def cid(db) -> int:
    return customers.create({"name": "北京华润"})[0]


def names(query=ProductQuery()) -> list[str]:
    return [product_list.rows([i], ["name"])[i][0] for i in product_list.ids(query)]


def test_names_sold_become_products_once(cid):
    transactions.add(cid, {"date": "2026-01-02", "amount": "10", "product": "不锈钢阀", "category": "阀门"})
    transactions.add(cid, {"date": "2026-01-03", "amount": "20", "product": "安装费"})
    transactions.add(cid, {"date": "2026-01-04", "amount": "30", "product": "不锈钢阀"})
    changes = products.adopt_sold()
    assert len(changes.ids) == 2
    assert names() == ["安装费", "不锈钢阀"]  # by pinyin: anzhuangfei before buxiugangfa
    valve = Product.get(Product.name == "不锈钢阀")
    assert valve.category == "阀门"
    assert [t.product_id for t in Transaction.select().order_by(Transaction.id)] == [
        valve.id, Product.get(Product.name == "安装费").id, valve.id]
    Product.delete().execute()
    assert products.adopt_sold().ids == ()  # only on first use


def test_choices_match_name_code_pinyin_and_initials(cid):
    products.create({"name": "不锈钢阀", "code": "V-100", "list_price": "6400", "category": "阀门"})
    transactions.add(cid, {"date": "2026-01-02", "amount": "10", "product": "密封圈"})  # sold, not on the list
    found = products.choices()
    assert [(c.name, c.unit_price) for c in found] == [("不锈钢阀", Decimal(6400)), ("密封圈", None)]
    for typed, expected in (("bxg", ["不锈钢阀"]), ("V-1", ["不锈钢阀"]), ("buxiu", ["不锈钢阀"]), ("mfq", ["密封圈"]),
                            ("圈", ["密封圈"]), ("", ["不锈钢阀", "密封圈"])):
        assert [c.name for c in products.matching(found, typed)] == expected, typed
    assert names(ProductQuery(search="bxg")) == ["不锈钢阀"]


def test_create_edit_and_the_lines_follow_a_new_name(cid):
    pid, _ = products.create({"name": "不锈钢阀", "code": "V-100", "unit": "台", "list_price": "6,400"})
    sales.record(SaleDraft(cid, "2026-12-01", lines=[LineDraft(product_id=pid, quantity=1, unit_price="6400")]))
    products.update(pid, {"name": "不锈钢球阀"})
    product = Product.get_by_id(pid)
    assert (product.name, product.code, product.unit, product.list_price, product.sort_name) == (
        "不锈钢球阀", "V-100", "台", Decimal(6400), "buxiugangqiufa")
    assert Transaction.get().product == "不锈钢球阀"
    assert ChangeLog.select().where((ChangeLog.entity == "product") & (ChangeLog.field == "name")).get().new == "不锈钢球阀"


def test_bad_product_input_each_one_sentence(cid):
    products.create({"name": "不锈钢阀", "code": "V-100"})
    before = Product.select().count()
    for raw, key, sentence in (
            ({"name": "不锈钢阀"}, "name", "There is already a product called “不锈钢阀”: give this one another name, or merge the two."),
            ({"name": "球阀", "code": "V-100"}, "code", "The code V-100 is another product's: give this one its own code."),
            ({"name": ""}, "name", "Required: type a value."),
            ({"name": "球阀", "list_price": "-1"}, "list_price", "The amount cannot be negative.")):
        with pytest.raises(ValidationError) as error:
            products.create(raw)
        assert message(error.value.errors[key]) == sentence
    assert Product.select().count() == before
    with pytest.raises(CrmError) as error:
        products.merge(1, [1])
    assert message(error.value) == "Select at least two products to merge: the one to keep and its spelling variants."


def test_deactivate_delete_and_restore(cid):
    pid, _ = products.create({"name": "旧型号"})
    products.set_active([pid], False)
    assert names(ProductQuery(active_only=True)) == [] and names() == ["旧型号"]
    assert [c.name for c in products.choices()] == []  # not offered in a new sale
    products.delete([pid])
    assert names() == []
    products.restore([pid])
    assert names() == ["旧型号"]


def test_merge_spelling_variants_and_take_it_back(cid):
    keep, _ = products.create({"name": "不锈钢阀"})
    typo, _ = products.create({"name": "不锈刚阀"})
    other, _ = products.create({"name": "不銹鋼閥"})
    sales.record(SaleDraft(cid, "2026-12-01", lines=[LineDraft(product_id=typo, amount="10"),
                                                      LineDraft(product_id=other, amount="20"),
                                                      LineDraft(product_id=keep, amount="30")]))
    lines = list(Transaction.select().order_by(Transaction.line_no))
    result, changes = products.merge(keep, [typo, other])
    assert names() == ["不锈钢阀"]
    assert [(t.product_id, t.product) for t in Transaction.select().order_by(Transaction.line_no)] == [
        (keep, "不锈钢阀")] * 3
    assert changes[0].ids == (typo, other)
    # a new sale naming a variant goes to the product kept, not a new one
    sales.record(SaleDraft(cid, "2026-12-02", lines=[LineDraft("不锈刚阀", amount="5")]))
    assert Product.select().count() == 3 and Transaction.select().order_by(Transaction.id.desc()).get().product_id == keep
    products.unmerge(result)
    assert sorted(names()) == sorted(["不锈钢阀", "不锈刚阀", "不銹鋼閥"])
    assert [(t.product_id, t.product) for t in Transaction.select().where(Transaction.id.in_([x.id for x in lines]))
            .order_by(Transaction.line_no)] == [(typo, "不锈刚阀"), (other, "不銹鋼閥"), (keep, "不锈钢阀")]
