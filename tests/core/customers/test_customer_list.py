"""The customer list as SQL: search, sort, filters, the trash, rows and filter values."""
from __future__ import annotations

import pytest

from crmdesk.core.customers import contacts, list as L, archive as customers
from crmdesk.core.customers.contacts import ContactData

DATA = [
    dict(name="北京华润", city="北京", mobile="13812345678", contact_person="王经理", tier="key",
         stage="mature", owner="张伟", tags="VIP,国企", relationship="partner"),
    dict(name="上海华联", city="上海", mobile="13900001111", contact_person="李娜",
         tier="relationship", stage="developing", owner="李强", tags="国企"),
    dict(name="阿里巴巴", city="杭州", mobile="13700002222", tier="transactional", owner="张伟"),
    dict(name="Acme Ltd", city="Shenzhen", code="ACM-9", phone="0755-8888 9999"),
    dict(name="重庆火锅", city="重庆", owner="李强", stage="lost"),
]


@pytest.fixture
def ids(db) -> dict[str, int]:
    result = {d["name"]: customers.create(d)[0] for d in DATA}
    contacts.save_all(result["阿里巴巴"], [ContactData(name="马云龙", mobile="15811112222")])
    return result


def names(query: L.ListQuery) -> list[str]:
    found = list(L.ids(query))
    assert L.count(query) == len(found)
    assert L.first_ids(query, 2) == found[:2]
    return [customers.get(i, include_deleted=True).name for i in found]


def search(text: str) -> set[str]:
    return set(names(L.ListQuery(search=text)))


# ---------------------------------------------------------------- search

@pytest.mark.parametrize("text, expected", [
    ("北京华润", {"北京华润"}),                 # name
    ("北京", {"北京华润"}),
    ("京华润", {"北京华润"}),                   # inside the name
    ("C000002", {"上海华联"}),                  # code
    ("c000002", {"上海华联"}),
    ("ACM-9", {"Acme Ltd"}),
    ("王经理", {"北京华润"}),                   # contact person
    ("马云龙", {"阿里巴巴"}),                   # a contact from the contacts table
    ("15811112222", {"阿里巴巴"}),              # that contact's mobile
    ("13812345678", {"北京华润"}),              # mobile
    ("1381234", {"北京华润"}),
    ("12345678", {"北京华润"}),                 # the end of the mobile
    ("07558888", {"Acme Ltd"}),                 # phone, stored without spaces
    ("杭州", {"阿里巴巴"}),                     # city
    ("Shenzhen", {"Acme Ltd"}),
    ("beijing", {"北京华润"}),                  # pinyin
    ("BEIJING", {"北京华润"}),
    ("huarun", {"北京华润"}),
    ("alibaba", {"阿里巴巴"}),
    ("chongqing", {"重庆火锅"}),
    ("bjhr", {"北京华润"}),                     # pinyin initials
    ("shhl", {"上海华联"}),
    ("cqhg", {"重庆火锅"}),
    ("acme", {"Acme Ltd"}),
    ("ACME LTD", {"Acme Ltd"}),
    ("  北京华润  ", {"北京华润"}),
    ("ｂｊｈｒ", {"北京华润"}),                 # full-width typing
    ("nothing-like-this", set()),
])
def test_search_three_characters_and_more(ids, text, expected):
    assert search(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("北", {"北京华润"}),                       # one character, start of the name
    ("上海", {"上海华联"}),                      # two characters
    ("bj", {"北京华润"}),                       # two initials
    ("cq", {"重庆火锅"}),
    ("上", {"上海华联"}),
    ("王", {"北京华润"}),                       # contact person
    ("马", {"阿里巴巴"}),                       # a contact's name
    ("马云", {"阿里巴巴"}),
    ("158", {"阿里巴巴"}),                      # a contact's mobile, from three digits
    ("13", set()),                              # two digits: no name starts with them
    ("137", {"阿里巴巴"}),
    ("ac", {"Acme Ltd"}),
    ("AC", {"Acme Ltd"}),
    ("C00", {"北京华润", "上海华联", "阿里巴巴", "重庆火锅"}),  # generated codes, from three
    ("杭", {"阿里巴巴"}),                       # city
    ("x", set()),
])
def test_search_one_and_two_characters(ids, text, expected):
    assert search(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("华", {"北京华润", "上海华联"}),
    ("华润", {"北京华润"}),
    ("火锅", {"重庆火锅"}),
])
def test_search_one_and_two_chinese_characters_inside_the_name(ids, text, expected):
    found = search(text)
    assert found == expected, (
        f"BUG: searching {text!r} found {sorted(found)}, expected {sorted(expected)}: one- and "
        "two-character searches are prefix-only (customer_list._search_condition), so a "
        "character in the middle of a Chinese name is never found")


@pytest.mark.parametrize("text, expected", [
    ("sh", {"上海华联"}),             # pinyin of the name, any case
    ("SH", {"上海华联"}),
    ("shh", {"上海华联"}),            # initials
    ("c00", {"北京华润", "上海华联", "阿里巴巴", "重庆火锅"}),   # codes from three characters
    ("she", {"Acme Ltd"}),            # the city Shenzhen, from three characters
])
def test_short_searches_mean_the_name_longer_ones_anything(ids, text, expected):
    """One or two letters search the pinyin and initials of names (in any case); codes,
    phones and cities are matched from three characters on, where 'c' or '1' would match
    every customer."""
    assert search(text) == expected


def test_search_follows_updates_and_contact_changes(ids):
    customers.update(ids["重庆火锅"], {"name": "成都串串", "city": "成都"})
    assert search("chengdu") == {"成都串串"}
    assert search("cdcc") == {"成都串串"}
    assert search("chongqing") == set()
    contacts.save_all(ids["阿里巴巴"], [])                  # the contact is deleted
    assert search("马云龙") == set()
    assert search("马") == set()


def test_empty_search_lists_every_live_customer(ids):
    assert search("") == set(ids)
    assert search("   ") == set(ids)


def test_search_with_quotes_and_fts_syntax_is_safe(ids):
    for text in ['"北京', 'a"b"c', "NEAR(", "bj OR sh", "*", "a AND", "-北京", "北京*", "'--"]:
        L.ids(L.ListQuery(search=text))                      # no exception


# ---------------------------------------------------------------- sort

def test_sort_by_name_in_pinyin_order(ids):
    assert names(L.ListQuery(sort="name")) == ["Acme Ltd", "阿里巴巴", "北京华润", "重庆火锅", "上海华联"]
    assert names(L.ListQuery(sort="name", descending=True)) == \
        ["上海华联", "重庆火锅", "北京华润", "阿里巴巴", "Acme Ltd"]


def test_default_sort_is_name(ids):
    assert names(L.ListQuery()) == names(L.ListQuery(sort="name"))
    assert names(L.ListQuery(sort="no-such-column")) == names(L.ListQuery(sort="name"))


def test_sort_by_city(ids):
    customers.create(dict(name="北京饭店", city="北京"))
    customers.create(dict(name="阿里云", city="北京"))
    result = [customers.get(i) for i in L.ids(L.ListQuery(sort="city"))]
    cities = [c.city for c in result]
    assert cities == sorted(cities)
    beijing = [c.name for c in result if c.city == "北京"]
    assert beijing == ["阿里云", "北京饭店", "北京华润"]           # ties in pinyin order of names
    descending = [customers.get(i).name for i in L.ids(L.ListQuery(sort="city", descending=True))]
    assert descending == [c.name for c in reversed(result)]


@pytest.mark.parametrize("key", ["code", "owner", "tier", "stage", "mobile", "created_at"])
def test_sort_by_other_columns(ids, key):
    ascending = list(L.ids(L.ListQuery(sort=key)))
    values = [v[0] or "" for v in (L.rows([i], [key])[i] for i in ascending)]
    assert values == sorted(values)
    assert list(L.ids(L.ListQuery(sort=key, descending=True))) == list(reversed(ascending))


def test_sort_and_search_together(ids):
    query = L.ListQuery(search="c00", sort="name", descending=True, filters=(("city", "北京"),))
    assert names(query) == ["北京华润"]
    query = L.ListQuery(search="华", sort="name", descending=True)
    assert names(query) == ["上海华联", "北京华润"]
    query = L.ListQuery(search="000", sort="name", descending=True)  # every code
    assert names(query) == ["上海华联", "重庆火锅", "北京华润", "阿里巴巴"]


# ---------------------------------------------------------------- filters

@pytest.mark.parametrize("key, value, expected", [
    ("tier", "key", {"北京华润"}),
    ("tier", "transactional", {"阿里巴巴"}),
    ("stage", "developing", {"上海华联"}),
    ("stage", "lost", {"重庆火锅"}),
    ("relationship", "partner", {"北京华润"}),
    ("owner", "张伟", {"北京华润", "阿里巴巴"}),
    ("city", "上海", {"上海华联"}),
    ("tag", "国企", {"北京华润", "上海华联"}),
    ("tag", "VIP", {"北京华润"}),
    ("tag", "none", set()),
])
def test_filters(ids, key, value, expected):
    assert set(names(L.ListQuery().with_filter(key, value))) == expected


def test_filters_combine_with_each_other_and_search(ids):
    query = L.ListQuery().with_filter("owner", "张伟").with_filter("tag", "国企")
    assert names(query) == ["北京华润"]
    assert query.filter_value("owner") == "张伟"
    query = query.with_filter("tag", None)
    assert query.filter_value("tag") is None
    assert set(names(query)) == {"北京华润", "阿里巴巴"}
    assert names(L.ListQuery(search="alibaba").with_filter("owner", "张伟")) == ["阿里巴巴"]
    assert names(L.ListQuery(search="alibaba").with_filter("owner", "李强")) == []


def test_with_filter_replaces_the_value(ids):
    query = L.ListQuery().with_filter("city", "北京").with_filter("city", "上海")
    assert query.filters == (("city", "上海"),)


def test_unknown_filter_is_refused(ids):
    with pytest.raises(ValueError):
        L.ids(L.ListQuery(filters=(("name; DROP TABLE customer", "x"),)))


# ---------------------------------------------------------------- trash

def test_deleted_customers_only_in_the_trash(ids):
    customers.delete([ids["北京华润"]])
    live, trash = L.ListQuery(), L.ListQuery(deleted=True)
    assert "北京华润" not in names(live)
    assert names(trash) == ["北京华润"]
    assert search("bjhr") == set()
    assert search("北") == set()
    assert names(L.ListQuery(search="bjhr", deleted=True)) == ["北京华润"]
    assert names(live.with_filter("tag", "VIP")) == []
    assert names(trash.with_filter("tag", "VIP")) == ["北京华润"]
    customers.restore([ids["北京华润"]])
    assert search("bjhr") == {"北京华润"}
    assert names(trash) == []


# ---------------------------------------------------------------- rows and values

def test_rows(ids):
    wanted = [ids["北京华润"], ids["Acme Ltd"]]
    rows = L.rows(wanted, ["code", "name", "city", "tier", "tags"])
    assert rows == {ids["北京华润"]: ("C000001", "北京华润", "北京", "key", "VIP, 国企"),
                    ids["Acme Ltd"]: ("ACM-9", "Acme Ltd", "Shenzhen", None, "")}
    assert L.rows([], ["name"]) == {}
    assert L.rows([999], ["name"]) == {}


def test_rows_for_every_column(ids):
    columns = [c.key for c in L.COLUMNS]
    row = L.rows([ids["北京华润"]], columns)[ids["北京华润"]]
    assert len(row) == len(columns)
    assert all(key in L.BY_KEY for key in L.DEFAULT_COLUMNS)


def test_distinct_values(ids):
    assert L.distinct_values("owner") == ["张伟", "李强"]            # 2 each; ties by value
    assert set(L.distinct_values("city")) == {"北京", "上海", "杭州", "Shenzhen", "重庆"}
    assert L.distinct_values("tag") == ["国企", "VIP"]              # most common first
    assert L.distinct_values("tier") == ["key", "relationship", "transactional"]
    assert L.distinct_values("stage") == ["prospect", "developing", "mature", "declining", "lost"]
    customers.delete([ids["北京华润"], ids["上海华联"]])
    assert L.distinct_values("tag") == []
    assert "北京" not in L.distinct_values("city")
    assert L.distinct_values("owner") == ["张伟", "李强"]
    assert L.distinct_values("owner", limit=1) == ["张伟"]


def test_distinct_owner_most_common_first(db):
    for owner in ["甲", "乙", "乙", "丙", "丙", "丙", ""]:
        customers.create({"name": f"c-{owner}", "owner": owner})
    assert L.distinct_values("owner") == ["丙", "乙", "甲"]


def test_several_words_must_all_match(ids):
    assert search("北京 华润") == {"北京华润"}
    assert search("华润 北京") == {"北京华润"}
    assert search("华 上海") == {"上海华联"}


def test_names_starting_with_punctuation_sort_and_search_by_their_letters(db):
    customers.create({"name": "（香港）华润"})
    assert search("xg") == {"（香港）华润"}
    assert customers.Customer.get().sort_name.startswith("xianggang")


def test_a_replaced_query_stops_reading(db):
    from crmdesk.core.progress import Cancelled
    from crmdesk.core import demo
    demo.generate(300)
    with pytest.raises(Cancelled):
        L.ids(L.ListQuery(search="有限"), stop=lambda: True)
    assert len(L.ids(L.ListQuery(), stop=lambda: False)) == 300


# ---------------------------------------------------------------- search plans and narrowing
# The first screen comes from one of several plans (sort the matches, walk the list order
# checking each row's text, narrow the last screen); each must give exactly the ids a fresh
# search sorting every match gives.

def _sorted_matches(query: L.ListQuery, limit: int) -> list[int]:
    """The reference: every match found through the indexes and sorted, no shortcut."""
    return [row[0] for row in L._select_ids(query, None)][:limit]


def _walked(query: L.ListQuery, limit: int) -> list[int]:
    where, params = L._where(query, walk=True)
    sql = f"SELECT c.id FROM customer c WHERE {where} {L._order(query)} LIMIT ?"
    return [row[0] for row in L.database.execute_sql(sql, params + [limit])]


@pytest.fixture
def many(db):
    from crmdesk.core import demo
    demo.generate(400)
    # Same names (ties broken by id), mixed case and full-width in the data, a contact.
    for n in range(30):
        customers.create({"name": "厦门华润", "city": "厦门", "mobile": f"1380000{n:04d}"})
    customers.create({"name": "KELVIN Ltd", "city": "Xiamen"})


WORDS = ["xia", "xiam", "xiamen", "厦", "厦门", "厦门市", "x", "xm", "xms", "有限", "有限公司",
         "138", "1380", "13800001", "c00", "c0001", "kelvin", "kelvin l", "华润 xia", "nothing"]


@pytest.mark.parametrize("descending", [False, True])
def test_walking_and_sorting_give_the_same_ids(many, descending):
    for text in WORDS:
        query = L.ListQuery(search=text, descending=descending)
        assert _walked(query, 50) == _sorted_matches(query, 50), text


@pytest.mark.parametrize("sort, descending", [("name", False), ("name", True), ("city", False)])
def test_typing_on_narrows_to_the_same_ids_as_a_fresh_search(many, sort, descending):
    for word in ["xiamen", "厦门", "xms", "13800001", "youxiangongsi", "c0001"]:
        for limit in (5, 20, 200):
            L._last_screen = None
            for i in range(1, len(word) + 1):
                query = L.ListQuery(search=word[:i], sort=sort, descending=descending)
                assert L.first_ids(query, limit) == _sorted_matches(query, limit), (word[:i], limit)


def test_narrowing_uses_the_last_screen_and_walks_on_past_it(db, monkeypatch):
    made = {name: customers.create({"name": name})[0] for name in
            ["a1 xiamen", "a2 xiame", "a3 xiamen", "a4 xiamen", "a5 xiamen", "a6 xiame", "a7 xiamen"]}
    assert L.first_ids(L.ListQuery(search="xiame"), 4) == [made[n] for n in ["a1 xiamen", "a2 xiame",
                                                                           "a3 xiamen", "a4 xiamen"]]
    monkeypatch.setattr(L, "_select_ids", lambda *a, **k: pytest.fail("searched afresh"))
    # Three of those four rows still match; past the last one the walk finds a5.
    assert L.first_ids(L.ListQuery(search="xiamen"), 4) == [made[n] for n in ["a1 xiamen", "a3 xiamen",
                                                                            "a4 xiamen", "a5 xiamen"]]
    assert L.first_ids(L.ListQuery(search="xiamen a"), 4) == [made[n] for n in ["a1 xiamen", "a3 xiamen",
                                                                              "a4 xiamen", "a5 xiamen"]]
    monkeypatch.undo()
    assert L.first_ids(L.ListQuery(search="xiamen", descending=True), 2) == [made["a7 xiamen"], made["a5 xiamen"]]


@pytest.mark.parametrize("new, old, implied", [
    ("beij", "bei", True), ("beijing", "bei", True), ("eij", "bei", False),
    ("bj", "b", True), ("bjh", "bj", False),                  # letters range -> anywhere
    ("厦门", "厦", True), ("门厦", "厦", True), ("厦门市", "厦门", False),  # phrase -> trigram
    ("ab", "ab", True), ("a", "ab", False),
])
def test_what_narrows(new, old, implied):
    assert L._implies(new, old) is implied


def test_more_words_narrow_and_other_changes_search_afresh(many, monkeypatch):
    L.first_ids(L.ListQuery(search="xiamen"), 10)
    for query in [L.ListQuery(search="xiamen hua"), L.ListQuery(search="xiamen", sort="city"),
                  L.ListQuery(search="xiame"), L.ListQuery(search="xiamen").with_filter("tier", "key")]:
        assert L.first_ids(query, 10) == _sorted_matches(query, 10), query


def test_a_change_to_the_data_is_not_narrowed_from_an_old_screen(many):
    query = L.ListQuery(search="xiame")
    L.first_ids(query, 200)
    new_id, _ = customers.create({"name": "阿厦门", "city": "厦门"})      # sorts first
    found = L.first_ids(L.ListQuery(search="xiamen"), 200)
    assert found[0] == new_id
    assert found == _sorted_matches(L.ListQuery(search="xiamen"), 200)
    customers.delete([new_id])
    assert new_id not in L.first_ids(L.ListQuery(search="xiamen"), 200)


def test_the_search_text_holds_nothing_the_index_folds_differently(db):
    """The walk checks words of ASCII and Chinese characters in the search text itself: that
    gives the trigram index's answer only while the text holds none of the characters the
    index folds into those (A-Z, U+212A Kelvin, U+017F long s)."""
    cid, _ = customers.create({"name": "ACME \u212a\u017f Straße", "contact_person": "BOB",
                               "city": "ＢＥＩＪＩＮＧ"})
    text = customers.Customer.get_by_id(cid).search_text
    assert not set(text) & set("ABCDEFGHIJKLMNOPQRSTUVWXYZ\u212a\u017f")
    for word in ["acme", "ks s", "bob", "beijing", "kss"]:
        query = L.ListQuery(search=word)
        assert _walked(query, 10) == _sorted_matches(query, 10), word
