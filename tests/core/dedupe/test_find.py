"""Finding duplicate customers (issue 21): the keys, the blocks, the scores and reasons, the
pairs dismissed, and what the form asks while the user types."""
from __future__ import annotations

import pytest

from crmdesk.core import dedupe
from crmdesk.core.dedupe import names as N
from crmdesk.core.customers import archive as customers


def add(**values) -> int:
    return customers.create(values)[0]


@pytest.mark.parametrize("name", ["北京华润商贸有限公司", "华润商贸(北京)有限公司", "北京华润商贸", "华润商贸（北京）有限公司",
                                  "北京市华润商贸有限责任公司"])
def test_one_name_core_whatever_the_legal_form_and_place(name):
    assert N.name_core(name) == "华润商贸"


def test_the_customers_own_city_counts_as_a_place():
    assert N.name_core("浦东新区华润商贸有限公司") == "浦东新区华润商贸"
    assert N.name_core("浦东新区华润商贸有限公司", N.places_of("浦东新区")) == "华润商贸"


def test_latin_names_lose_their_legal_form_only_at_the_end():
    assert N.name_core("Minghua Trading Co., Ltd.") == "minghuatrading"
    assert N.name_core("Alfreds Futterkiste GmbH") == "alfredsfutterkiste"
    assert N.name_core("Co-op Ltd") == "coop"


def test_numbers_phones_and_emails_in_their_forms():
    assert N.code_key("C001261") == N.code_key("c-1261") == N.code_key("C 1261") == "C1261"
    assert N.code_key("C001261") != N.code_key("C001262")
    assert N.phone_key("+8613812345678") == N.phone_key("13812345678") == "13812345678"
    assert N.phone_key("+861088889999") == N.phone_key("01088889999")
    assert N.phone_key("95588") == ""  # too short to tell two customers apart
    assert N.email_key(" Wang@HuaRun.cn ") == "wang@huarun.cn"


def test_pairs_with_their_reasons_and_scores(db):
    a = add(name="北京华润商贸有限公司", city="北京", mobile="13812345678")
    b = add(name="华润商贸(北京)有限公司", city="北京")
    c = add(name="上海明华贸易", email="li@minghua.cn")
    d = add(name="明华商行", email="LI@minghua.cn ")
    e = add(name="深圳天虹百货", mobile="13812345678")
    add(name="无关公司", city="广州")
    pairs = {(p.first.id, p.second.id): p for p in dedupe.find_pairs()}
    assert set(pairs) == {(a, b), (c, d), (a, e)}
    assert pairs[(a, b)].reasons == ("name",) and pairs[(a, b)].score == 85  # the same core in the same city
    assert pairs[(c, d)].reasons == ("email",) and pairs[(c, d)].score == 85
    assert pairs[(a, e)].reasons == ("phone",) and pairs[(a, e)].score == 80
    both = dedupe.find_pairs(min_score=90)
    assert both == []


def test_several_reasons_add_up(db):
    a = add(name="华润商贸", mobile="13812345678", email="x@huarun.cn", tax_id="91110000MA01")
    b = add(name="北京华润商贸有限公司", mobile="+86 138 1234 5678", email="X@huarun.cn", tax_id="91110000ma01")
    (pair,) = dedupe.find_pairs()
    assert (pair.first.id, pair.second.id) == (a, b)
    assert pair.reasons == ("tax_id", "email", "phone", "name")
    assert pair.score == 100


def test_same_pinyin_and_near_names_in_the_same_city(db):
    a = add(name="华润商贸", city="杭州")
    b = add(name="华闰商贸", city="杭州")  # one character typed wrong, the same sound
    c = add(name="杭州天虹电器商贸有限公司", city="杭州")
    d = add(name="天虹电器商贸部", city="杭州市")
    add(name="天虹电器商贸部", city="苏州")  # same name elsewhere: another shop of a chain, weaker
    pairs = {(p.first.id, p.second.id): p for p in dedupe.find_pairs()}
    assert pairs[(a, b)].reasons == ("pinyin",) and pairs[(a, b)].score == 60
    assert pairs[(c, d)].reasons == ("similar_name",) and pairs[(c, d)].similarity >= 85
    assert all(p.score >= 50 for p in pairs.values())


def test_a_number_many_customers_share_says_nothing(db):
    for i in range(dedupe.find.MAX_BLOCK + 1):
        add(name=f"门店{i:03d}号", phone="01088889999")
    assert dedupe.find_pairs() == []


def test_a_dismissed_pair_is_not_listed_again(db):
    a = add(name="华润商贸", city="北京")
    b = add(name="北京华润商贸有限公司", city="北京")
    assert len(dedupe.find_pairs()) == 1
    dedupe.dismiss(b, a)
    assert dedupe.find_pairs() == []


def test_deleted_customers_are_not_listed(db):
    add(name="华润商贸")
    gone = add(name="北京华润商贸有限公司")
    customers.delete([gone])
    assert dedupe.find_pairs() == []


def test_what_the_form_asks_while_the_user_types(db):
    a = add(name="北京华润商贸有限公司", city="北京", mobile="13812345678", code="C001261")
    add(name="完全无关", city="北京")
    found = dedupe.similar_to({"name": "华润商贸", "city": "北京"})
    assert [p.first.id for p in found] == [a]
    assert found[0].reasons == ("name",)
    by_phone = dedupe.similar_to({"name": "王芳", "mobile": "+8613812345678"})
    assert [p.first.id for p in by_phone] == [a] and by_phone[0].reasons == ("phone",)
    assert dedupe.similar_to({"name": "华润商贸", "city": "北京"}, exclude_id=a) == []
    assert dedupe.similar_to({"name": ""}) == []
