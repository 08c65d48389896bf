"""Demo data: counts, determinism, realistic values, visits, searchability, cancel and refusals."""
from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from decimal import Decimal

import pytest

from crmdesk.core.sales.fields import OBJECTION_TYPES
from crmdesk.core.phones.rules import display as phone_display
from crmdesk.core.customers import fields
from crmdesk.core.visits import fields as V
from crmdesk.core.db import close_database, open_database
from crmdesk.core.errors import CrmError
from crmdesk.core.io import normalize
from crmdesk.core.models import Customer, Transaction, database
from crmdesk.core.progress import Cancelled
from crmdesk.core.search.keys import pinyin_keys
from crmdesk.core.customers import list as customer_list, archive as customers
from crmdesk.core import demo
from crmdesk.core.visits import planning as visit_planning, visits
from crmdesk.core.demo import reps as demo_reps
from crmdesk.core.demo import vocabulary
from crmdesk.core.demo import visits as demo_visits

COUNT = 200
TABLES = ("customer", "contact", "transactions", "customer_tag", "change_log", "visit")

# Written down independently of vocabulary.CITIES: where each city really is, and its area code.
PROVINCE_OF = {
    "北京市": "北京市", "上海市": "上海市", "天津市": "天津市", "重庆市": "重庆市",
    "广州市": "广东省", "深圳市": "广东省", "佛山市": "广东省", "杭州市": "浙江省",
    "宁波市": "浙江省", "温州市": "浙江省", "南京市": "江苏省", "苏州市": "江苏省",
    "无锡市": "江苏省", "成都市": "四川省", "武汉市": "湖北省", "西安市": "陕西省",
    "长沙市": "湖南省", "郑州市": "河南省", "济南市": "山东省", "青岛市": "山东省",
    "沈阳市": "辽宁省", "大连市": "辽宁省", "哈尔滨市": "黑龙江省", "长春市": "吉林省",
    "福州市": "福建省", "厦门市": "福建省", "合肥市": "安徽省", "南昌市": "江西省",
    "昆明市": "云南省", "南宁市": "广西壮族自治区", "石家庄市": "河北省", "太原市": "山西省",
    "贵阳市": "贵州省", "兰州市": "甘肃省", "海口市": "海南省",
}
AREA_CODE = {"北京市": "010", "上海市": "021", "天津市": "022", "重庆市": "023", "广州市": "020",
             "深圳市": "0755", "杭州市": "0571", "南京市": "025", "成都市": "028", "武汉市": "027",
             "西安市": "029", "沈阳市": "024", "苏州市": "0512", "青岛市": "0532"}
# (Some district names are real in two cities: 朝阳区, 西湖区, 鼓楼区, 和平区, 江北区...)
SOME_DISTRICTS = {"海淀区": "北京市", "浦东新区": "上海市", "天河区": "广州市", "南山区": "深圳市",
                  "余杭区": "杭州市", "武侯区": "成都市", "雁塔区": "西安市", "思明区": "厦门市"}


def _rows(table: str) -> list[tuple]:
    return database.execute_sql(f'SELECT * FROM "{table}" ORDER BY id').fetchall()


def _count(table: str) -> int:
    return database.execute_sql(f'SELECT count(*) FROM "{table}"').fetchone()[0]


def _schema() -> list[tuple]:
    return sorted(database.execute_sql("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall(),
                  key=lambda row: (row[0], row[1]))


@pytest.fixture
def demo_db(db):
    result = demo.generate(COUNT)
    return result


def test_counts(demo_db):
    result = demo_db
    assert result.customers == COUNT == _count("customer")
    assert result.contacts == _count("contact") > 0
    assert result.transactions == _count("transactions") > 0
    assert result.tags == _count("customer_tag")
    care_done = database.execute_sql("SELECT count(*) FROM care_event WHERE state IN ('done', 'skipped') "
                                     "AND kind != 'complaint_follow_up'").fetchone()[0]
    # Each deal of the pipeline is created in its customer's timeline, and a closed one won or lost there.
    closed = database.execute_sql("SELECT count(*) FROM opportunity WHERE closed_on IS NOT NULL").fetchone()[0]
    deals = result.opportunities + closed
    assert result.changes == _count("change_log") == COUNT + result.complaints + care_done + deals
    assert result.rows == sum(_count(t) for t in TABLES)
    assert 4 <= result.transactions / COUNT <= 8  # about six per customer
    assert result.visits == _count("visit")
    assert 8 <= result.visits / COUNT <= 15  # about a million for 100,000 customers
    kind, batch_count = database.execute_sql("SELECT kind, count(*) FROM batch").fetchone()
    assert (kind, batch_count) == ("demo", 1)
    assert result.batch_id == database.execute_sql("SELECT id FROM batch").fetchone()[0]
    # One 'created' change per customer, in the demo batch; transactions in it too.
    assert database.execute_sql(
        "SELECT count(DISTINCT record_id) FROM change_log WHERE entity = 'customer' "
        "AND action = 'created' AND batch_id = ? AND record_id = customer_id",
        [result.batch_id]).fetchone()[0] == COUNT
    assert database.execute_sql("SELECT count(*) FROM transactions WHERE batch_id = ?",
                                [result.batch_id]).fetchone()[0] == result.transactions


def test_customers_look_real(demo_db):
    rows = list(Customer.select().order_by(Customer.id))
    individuals = [c for c in rows if c.kind == "individual"]
    companies = [c for c in rows if c.kind == "company"]
    assert 0.05 <= len(individuals) / len(rows) <= 0.3
    suffixes = ("有限公司", "有限责任公司", "商行", "经营部", "厂")
    assert all(c.name.endswith(suffixes) for c in companies)
    assert all(2 <= len(c.name) <= 4 and not c.name.endswith(suffixes) for c in individuals)
    for key in ("kind", "source", "tier", "stage", "relationship", "credit_rating", "gender",
                "birthday_calendar"):
        allowed = {choice.key for choice in fields.BY_KEY[key].choices}
        assert {getattr(c, key) for c in rows} <= allowed, key
    tiers = [c.tier for c in rows]
    assert tiers.count("key") < tiers.count("relationship") < tiers.count("transactional")
    for c in rows:
        for key in fields.SCORE_KEYS:
            value = getattr(c, key)
            assert value is None or 1 <= value <= 5
        assert c.owner
        assert c.postal_code.isdigit() and len(c.postal_code) == 6
        if c.annual_revenue is not None:
            assert c.annual_revenue > 0 and c.annual_revenue == c.annual_revenue.to_integral_value()
        if c.birthday_month:
            normalize.birthday(f"--{c.birthday_month:02d}-{c.birthday_day:02d}")
            if c.birthday_year and c.birthday_calendar == "solar":
                dt.date(c.birthday_year, c.birthday_month, c.birthday_day)
        if c.tax_id:
            assert len(c.tax_id) == 18 and c.tax_id[-1] == vocabulary.credit_code_check(c.tax_id[:17])
        if c.tags:
            tags = c.tags.split(", ")
            assert len(set(tags)) == len(tags)
            stored = {t for (t,) in database.execute_sql(
                "SELECT tag FROM customer_tag WHERE customer_id = ?", [c.id])}
            assert stored == set(tags)
    assert any(c.birthday_calendar == "lunar" for c in rows)
    assert any(c.birthday_month and not c.birthday_year for c in rows)
    assert any(c.birthday_year for c in rows)
    assert any(c.notes for c in rows)


def test_cities_match_provinces(demo_db):
    seen = set()
    for province, city, district, phone, name in database.execute_sql(
            "SELECT province, city, district, phone, name FROM customer"):
        assert PROVINCE_OF[city] == province
        if district in SOME_DISTRICTS:
            assert SOME_DISTRICTS[district] == city
        table = {c[0]: c for c in vocabulary.CITIES}
        assert district in table[city][6]
        if phone:
            phone = phone_display(phone)  # stored in E.164, dialled with the city's area code
            assert phone.startswith(table[city][2])
            if city in AREA_CODE:
                assert phone.startswith(AREA_CODE[city])
        for other in PROVINCE_OF:  # 北京市华润…, 北京华润…, 华润科技（北京）有限公司
            if name.startswith(other[:-1]) or f"（{other[:-1]}）" in name:
                assert other == city, name
        seen.add(city)
    assert len(seen) > 10


def test_phones_and_emails(demo_db):
    mobile = re.compile(r"^\+861(3\d|5[0-35-9]|8\d|9[135689])\d{8}$")  # E.164, as the rules store it
    values = database.execute_sql(
        "SELECT mobile, phone, fax, email FROM customer UNION ALL "
        "SELECT mobile, phone, '', email FROM contact").fetchall()
    assert values
    for cell_mobile, phone, fax, email in values:
        assert mobile.match(cell_mobile), cell_mobile
        for number in (cell_mobile, phone, fax):
            if number:  # stored as the phone rules store what a user types
                assert normalize.phone(number).number == number
        if phone:
            assert re.fullmatch(r"0\d{2,3}[2-9]\d{6,7}(x\d+)?", phone_display(phone)), phone
            assert phone.startswith("+86") or not normalize.phone(phone).number.startswith("+")
        if email:
            assert normalize.email(email) == email
    # Landlines read as 010-6xxxxxxx once formatted: the city's area code, then 7-8 digits.
    assert database.execute_sql("SELECT count(*) FROM customer WHERE city = '北京市' AND phone != '' "
                                "AND phone NOT LIKE '+8610%'").fetchone()[0] == 0


def test_contacts(demo_db):
    rows = database.execute_sql(
        "SELECT c.id, c.kind, c.contact_person, count(p.id), coalesce(sum(p.is_decision_maker), 0), "
        "min(p.id) FROM customer c LEFT JOIN contact p ON p.customer_id = c.id GROUP BY c.id").fetchall()
    for customer_id, kind, contact_person, count, deciders, first_contact in rows:
        if kind == "company":
            assert 1 <= count <= 3 and deciders == 1
            name, title = database.execute_sql("SELECT name, title FROM contact WHERE id = ?",
                                               [first_contact]).fetchone()
            assert name == contact_person and title
        else:
            assert count == 0 and contact_person == ""
    titles = {t for (t,) in database.execute_sql("SELECT title FROM contact")}
    assert titles & {"总经理", "采购经理", "财务主管", "董事长", "财务经理"}


def test_codes_are_sequential(demo_db):
    codes = [code for (code,) in database.execute_sql("SELECT code FROM customer ORDER BY id")]
    assert codes == [f"C{n:06d}" for n in range(1, COUNT + 1)]
    assert customers.next_code() == f"C{COUNT + 1:06d}"


def test_derived_columns_as_the_services_keep_them(demo_db):
    for customer in Customer.select().order_by(Customer.id):
        stored = (customer.sort_name, customer.name_initials, customer.search_text)
        assert pinyin_keys(customer.name) == stored[:2]
        customers._derived(customer)
        assert (customer.sort_name, customer.name_initials, customer.search_text) == stored


def test_every_customer_found_by_its_initials(demo_db):
    for customer_id, initials, code, mobile in database.execute_sql(
            "SELECT id, name_initials, code, mobile FROM customer ORDER BY id").fetchall():
        assert initials
        assert customer_id in customer_list.ids(customer_list.ListQuery(search=initials))
        assert customer_id in customer_list.ids(customer_list.ListQuery(search=code))
        assert customer_id in customer_list.ids(customer_list.ListQuery(search=mobile))


def test_transactions_within_three_years(demo_db):
    low, high = vocabulary.START_DATE, vocabulary.END_DATE
    assert (high - low).days in range(3 * 365 - 2, 3 * 366)
    first, last = database.execute_sql("SELECT min(date), max(date) FROM transactions").fetchone()
    assert low.isoformat() <= first and last <= high.isoformat()
    assert database.execute_sql(
        "SELECT count(*) FROM transactions t JOIN customer c ON c.id = t.customer_id "
        "WHERE t.date < date(c.created_at)").fetchone()[0] == 0
    # Prospects have bought nothing yet; key accounts buy more than transactional ones.
    assert database.execute_sql(
        "SELECT count(*) FROM transactions t JOIN customer c ON c.id = t.customer_id "
        "WHERE c.stage = 'prospect'").fetchone()[0] == 0
    per_tier = dict(database.execute_sql(
        "SELECT c.tier, count(t.id) * 1.0 / count(DISTINCT c.id) FROM customer c "
        "JOIN transactions t ON t.customer_id = c.id GROUP BY c.tier").fetchall())
    assert per_tier["key"] > per_tier["relationship"] > per_tier["transactional"]
    refunds = partial = 0
    for t in Transaction.select():
        assert t.amount == t.amount.quantize(Decimal("0.01"))
        if t.amount < 0:
            refunds += 1
            assert t.paid == t.amount and t.quantity < 0
        else:
            assert 0 <= t.paid <= t.amount and t.quantity > 0
            partial += t.paid < t.amount
        assert t.product and t.category
    assert refunds >= 1 and partial >= 1
    assert database.execute_sql("SELECT count(*) FROM transactions WHERE paid = amount").fetchone()[0] \
        > 0.8 * _count("transactions")


def _dump() -> dict[str, list[tuple]]:
    return {table: _rows(table) for table in TABLES}


def test_deterministic(tmp_path):
    dumps = []
    for name, count, seed in (("a", COUNT, 7), ("b", COUNT, 7), ("c", COUNT, 8), ("d", 50, 7)):
        open_database(tmp_path / f"{name}.sqlite")
        try:
            demo.generate(count, seed=seed)
            dumps.append(_dump())
        finally:
            close_database()
    same, same_again, other_seed, fewer = dumps
    assert same == same_again  # every column, uuids and timestamps included
    assert same["customer"] != other_seed["customer"]
    # Fewer customers with the same seed: the same first customers (with as many reps).
    assert demo_reps.rep_count(50) == demo_reps.rep_count(COUNT)
    assert fewer["customer"] == same["customer"][:50]


def test_uuid_helper_matches_uuid4():
    for bits in (0, (1 << 128) - 1, 0x1234567890ABCDEF1234567890ABCDEF, 42 << 70):
        assert vocabulary.uuid_from_bits(bits) == str(uuid.UUID(int=bits, version=4))


def _fts_integrity_check() -> None:
    """Raises if the full-text index does not hold exactly the customers' search text."""
    database.execute_sql("INSERT INTO customer_fts(customer_fts, rank) VALUES ('integrity-check', 1)")


def test_schema_unchanged_and_triggers_work(db):
    before = _schema()
    demo.generate(COUNT)
    assert _schema() == before
    _fts_integrity_check()
    assert database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    # The insert trigger is back: a customer created afterwards is found by full-text search.
    new_id, _changes = customers.create({"name": "测试新增客户有限公司", "mobile": "13900001111"})
    assert customer_list.ids(customer_list.ListQuery(search="13900001111")).tolist() == [new_id]
    found = customer_list.ids(customer_list.ListQuery(search="有限公司"))
    assert len(found) > COUNT // 2 and new_id in found


@pytest.mark.parametrize("cancel_at", ["start", "middle", "finishing"])
def test_cancel_rolls_everything_back(db, monkeypatch, cancel_at):
    monkeypatch.setattr(demo, "CHUNK", 50)
    before = _schema()
    calls = []

    def progress(done, total, message):
        calls.append((done, total))
        if (cancel_at == "start" and done == 0) or (cancel_at == "middle" and done == 100) \
                or (cancel_at == "finishing" and done > COUNT):
            raise Cancelled()

    with pytest.raises(Cancelled):
        demo.generate(COUNT, progress=progress)
    for table in TABLES + ("batch",):
        assert _count(table) == 0, table
    assert _schema() == before
    _fts_integrity_check()
    # And it can be done afterwards.
    assert demo.generate(COUNT).customers == COUNT
    _fts_integrity_check()


def test_progress_reaches_the_total(db, monkeypatch):
    monkeypatch.setattr(demo, "CHUNK", 60)
    calls = []
    demo.generate(COUNT, progress=lambda done, total, message: calls.append((done, total)))
    assert calls[0][0] == 0 and calls[-1][0] == calls[-1][1]
    assert [done for done, _total in calls] == sorted(done for done, _total in calls)
    assert (COUNT, calls[0][1]) in calls  # one report per chunk, the last when all are in
    assert {done for done, _total in calls if 0 < done <= COUNT} == {60, 120, 180, 200}


def test_refuses_a_database_with_customers(db):
    customers.create({"name": "已有客户"})
    before = _dump()
    with pytest.raises(CrmError) as error:
        demo.generate(COUNT)
    assert error.value.code == "demo_not_empty"
    assert _dump() == before
    assert _count("batch") == 0


def test_refuses_when_only_deleted_customers(db):
    customer_id, _changes = customers.create({"name": "已删除客户"})
    customers.delete([customer_id])
    with pytest.raises(CrmError) as error:
        demo.generate(10)
    assert error.value.code == "demo_not_empty"


@pytest.mark.parametrize("count, code, params", [
    (0, "number_out_of_range", {"low": 1, "high": 2_000_000}),
    (-5, "number_out_of_range", {"low": 1, "high": 2_000_000}),
    (2_000_001, "demo_too_many", {"max": 2_000_000}),
])
def test_refuses_counts_out_of_range(db, count, code, params):
    with pytest.raises(CrmError) as error:
        demo.generate(count)
    assert (error.value.code, error.value.params) == (code, params)
    assert _count("customer") == 0 and _count("batch") == 0


def test_error_codes_have_messages():
    from crmdesk.core import messages
    text = open(messages.__file__, encoding="utf-8").read()
    for code in ("demo_not_empty", "demo_too_many", "number_out_of_range"):
        assert f'"{code}"' in text


# ---------------------------------------------------------------- visits

def _visits() -> list[dict]:
    cursor = database.execute_sql(
        "SELECT v.*, c.tier, c.stage, c.owner, c.created_at AS customer_created, c.kind AS customer_kind "
        "FROM visit v JOIN customer c ON c.id = v.customer_id ORDER BY v.id")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


def test_visits_follow_the_tiers_and_the_calendar(demo_db):
    rows = _visits()
    end = vocabulary.END_DATE
    first_planned = dt.date(2026, 11, 23)  # the Monday after END_DATE
    holidays = set()
    for first, last in demo_visits.HOLIDAYS:
        day = dt.date.fromisoformat(first)
        while day <= dt.date.fromisoformat(last):
            holidays.add(day)
            day += dt.timedelta(days=1)
    for v in rows:
        starts, ends = dt.datetime.fromisoformat(v["starts_at"]), dt.datetime.fromisoformat(v["ends_at"])
        assert starts.weekday() < 5 and starts.date() not in holidays, v["starts_at"]
        assert dt.time(9) <= starts.time() and ends.time() <= dt.time(17, 30) and ends > starts
        assert starts.date() == ends.date()
        assert vocabulary.START_DATE <= starts.date()
        assert v["rep"] == v["owner"]  # reps are the customers' owners
        assert v["kind"] in V.KIND_KEYS and v["state"] in V.STATE_KEYS
        assert v["place"] and v["objective"]
        assert v["created_at"] <= v["starts_at"] and v["created_at"] >= v["customer_created"][:10]
        assert v["deleted_at"] is None and v["series_id"] is None
        if starts.date() > end:  # the next three weeks: plans only
            assert v["state"] == V.PLANNED and first_planned <= starts.date() <= first_planned + dt.timedelta(days=20)
            assert v["created_at"][:10] <= end.isoformat()
    per_tier = dict(database.execute_sql(
        "SELECT c.tier, count(v.id) * 1.0 / count(DISTINCT c.id) FROM customer c "
        "JOIN visit v ON v.customer_id = c.id GROUP BY c.tier").fetchall())
    assert per_tier["key"] > 2 * per_tier["relationship"] > 2 * per_tier["transactional"]
    # Key accounts seen every ~2 weeks: the median gap between their visits made.
    gaps = []
    by_customer: dict[int, list[dt.date]] = {}
    own = {cid for (cid,) in database.execute_sql("SELECT id FROM customer WHERE visit_every_days IS NOT NULL")}
    for v in rows:
        if v["tier"] == "key" and v["customer_kind"] == "company" and v["customer_id"] not in own \
                and v["state"] == V.DONE and v["stage"] != "declining":
            by_customer.setdefault(v["customer_id"], []).append(_day(v["starts_at"]))
    for days in by_customer.values():
        gaps += [(b - a).days for a, b in zip(days, days[1:])]
    gaps.sort()
    assert 12 <= gaps[len(gaps) // 2] <= 24


def test_visit_states_and_records(demo_db):
    rows = _visits()
    states = {s: sum(v["state"] == s for v in rows) for s in V.STATE_KEYS}
    assert states[V.DONE] > 0.8 * len(rows)
    assert states[V.POSTPONED] and states[V.CANCELLED] and states[V.MISSED]
    end = vocabulary.END_DATE.isoformat()
    # A few visits of the last two weeks were never recorded: they show as missed.
    unrecorded = [v for v in rows if v["state"] == V.PLANNED and v["starts_at"] < end]
    assert 1 <= len(unrecorded) <= 0.01 * len(rows)
    since = vocabulary.END_DATE - dt.timedelta(days=demo_visits.UNRECORDED_DAYS)
    assert all(v["starts_at"] >= since.isoformat() for v in unrecorded)
    by_id = {v["id"]: v for v in rows}
    outcomes, follow_ups = set(), set()
    for v in rows:
        if v["state"] == V.DONE:
            assert v["outcome"] and v["recorded_at"] and v["reason"] == ""
            assert v["recorded_at"] >= v["ends_at"][:10] and v["recorded_at"][:10] <= end
            assert v["rating"] is None or 1 <= v["rating"] <= 5
            assert v["version"] == 2
            outcomes.add(v["outcome"])
            follow_ups.add(v["follow_up"])
            if v["objections"]:
                pairs = json.loads(v["objections"])
                assert 1 <= len(pairs) <= 2 and all(len(p) == 3 and p[0] and p[1] for p in pairs)
                assert all(p[2] in OBJECTION_TYPES for p in pairs)  # typed, as the record dialog does
        elif v["state"] == V.PLANNED:
            assert not (v["outcome"] or v["recorded_at"] or v["rating"] or v["reason"] or v["objections"])
            assert v["version"] == 1
        else:
            assert v["reason"] and v["recorded_at"] and not v["outcome"] and v["rating"] is None
        if v["next_visit_id"] is not None:  # the next visit, planned when this one was closed
            following = by_id[v["next_visit_id"]]
            assert following["customer_id"] == v["customer_id"] and following["starts_at"] > v["starts_at"]
            assert v["state"] in (V.DONE, V.POSTPONED)
    postponed = [v for v in rows if v["state"] == V.POSTPONED and v["next_visit_id"]]
    assert postponed and all(by_id[v["next_visit_id"]]["kind"] == v["kind"] for v in postponed)
    assert len(outcomes) > 100 and len(follow_ups) > 20  # varied, natural text
    assert any("→" not in v["outcome"] and "，" in v["outcome"] for v in rows if v["outcome"])
    assert any(v["rating"] is not None for v in rows) and any(v["objections"] for v in rows)
    assert database.execute_sql("PRAGMA foreign_key_check").fetchall() == []


def test_visit_kinds_follow_the_lifecycle(demo_db):
    kinds: dict[str, set] = {}
    for stage, kind in database.execute_sql(
            "SELECT c.stage, v.kind FROM visit v JOIN customer c ON c.id = v.customer_id"):
        kinds.setdefault(stage, set()).add(kind)
    assert kinds["prospect"] <= {"first_visit", "needs_analysis", "presentation"}
    assert {"presentation", "negotiation"} <= kinds["developing"]
    assert {"after_sales", "care"} <= kinds["mature"] and "win_back" not in kinds["mature"]
    assert "win_back" in kinds["declining"] and "win_back" in kinds["lost"]
    # A prospect's first visit is a first visit.
    firsts = database.execute_sql(
        "SELECT v.kind FROM visit v JOIN customer c ON c.id = v.customer_id WHERE c.stage = 'prospect' "
        "AND v.id = (SELECT min(id) FROM visit WHERE customer_id = c.id)").fetchall()
    assert firsts and {k for (k,) in firsts} == {"first_visit"}
    # Lost customers get no plans but a rare win-back.
    assert database.execute_sql(
        "SELECT count(*) FROM visit v JOIN customer c ON c.id = v.customer_id WHERE c.stage = 'lost' "
        "AND v.starts_at > ? AND v.kind != 'win_back'", [vocabulary.END_DATE.isoformat()]).fetchone()[0] == 0


def test_customers_last_and_next_visit_agree_with_their_visits(demo_db):
    columns = "id, visit_every_days, last_visit_at, next_visit_at"
    stored = database.execute_sql(f"SELECT {columns} FROM customer ORDER BY id").fetchall()
    assert sum(1 for row in stored if row[2]) > 0.8 * COUNT and sum(1 for row in stored if row[3]) > 0.15 * COUNT
    assert {row[1] for row in stored} <= {None, *demo_visits.OWN_FREQUENCY}
    visits.refresh_customers([row[0] for row in stored])  # what the visit services keep
    assert database.execute_sql(f"SELECT {columns} FROM customer ORDER BY id").fetchall() == stored
    # The due list has work in it, and planned customers are off it.
    today = dt.date(2026, 11, 23)
    due = visit_planning.due_ids(visit_planning.DueQuery(today))
    assert 0.05 * COUNT < len(due) < 0.6 * COUNT
    planned = {cid for (cid,) in database.execute_sql(
        "SELECT customer_id FROM visit WHERE state = 'planned' AND starts_at >= '2026-11-23'")}
    unrecorded = {cid for (cid,) in database.execute_sql(
        "SELECT customer_id FROM visit WHERE state = 'planned' AND starts_at < '2026-11-23'")}
    assert not (set(due) & (planned - unrecorded))


def test_visits_deterministic_and_independent_of_the_count(tmp_path):
    dumps = []
    for name, count, seed in (("a", 60, 7), ("b", 60, 7), ("c", 30, 7)):
        open_database(tmp_path / f"{name}.sqlite")
        try:
            demo.generate(count, seed=seed)
            dumps.append((_rows("visit"), _rows("customer")))
        finally:
            close_database()
    (visits_a, customers_a), (visits_b, customers_b), (visits_c, customers_c) = dumps
    assert visits_a == visits_b and customers_a == customers_b
    # 30 and 60 customers have the same three reps: the first customers' visits are the same.
    assert demo_reps.rep_count(30) == demo_reps.rep_count(60)
    assert visits_c == [v for v in visits_a if v[5] <= 30]  # customer_id is the sixth column
    assert customers_c == customers_a[:30]


# ---------------------------------------------------------------- reps and their days

BOOK = 2000  # customers: 13 reps, each with a territory of a few cities
NOT_CLOSED = "state NOT IN ('cancelled', 'postponed')"


@pytest.fixture
def book_db(db):
    return demo.generate(BOOK)


def test_rep_count_scales_with_the_book():
    assert [demo_reps.rep_count(n) for n in (1, 200, 450, 600, 2000, 100_000, 2_000_000)] == \
        [3, 3, 3, 4, 13, 667, 13_333]
    names = demo_reps.rep_names(13_333, seed=7)
    assert len(set(names)) == len(names) == 13_333
    assert names[:12] == list(vocabulary.OWNERS) and demo_reps.rep_names(3, seed=7) == list(vocabulary.OWNERS[:3])
    assert names == demo_reps.rep_names(13_333, seed=7) != demo_reps.rep_names(13_333, seed=8)
    assert all(2 <= len(name) <= 4 for name in names)


@pytest.mark.parametrize("count", [3, 13, 67, 667])
def test_territories_are_runs_of_neighbouring_cities(count):
    territories = demo_reps.Territories(count)
    route = vocabulary.ROUTE
    assert sorted(route) == sorted(c[0] for c in vocabulary.CITIES)
    weight = {c[0]: c[5] for c in vocabulary.CITIES}
    share = sum(weight.values()) / count
    covered = set()
    for rep in range(count):
        cities = territories.cities(rep)
        first = route.index(cities[0])
        assert list(route[first:first + len(cities)]) == cities  # a run of the route
        low = territories.bounds[rep - 1] if rep else 0.0
        high = territories.bounds[rep] if rep < count - 1 else sum(weight.values())
        assert 0.5 * share <= high - low <= 1.6 * share  # about the same share each
        covered.update(cities)
        if count >= 13:
            assert len(cities) <= 5
    assert covered == set(route)
    # Every draw gives a rep; a city smaller than a share has one owner but for the exceptions.
    index = {c[0]: i for i, c in enumerate(vocabulary.CITIES)}
    for name in route:
        c = vocabulary.CITIES[index[name]]
        reps = {territories.rep(index[name], d, len(c[6]), k / 400 + 0.0001) for d in range(len(c[6]))
                for k in range(400)}
        assert reps <= set(range(count))
        if weight[name] < share:
            usual = {territories.rep(index[name], d, len(c[6]), 0.5) for d in range(len(c[6]))}
            assert len(usual) == 1 and len(reps) <= 3


def test_customers_belong_to_the_rep_of_their_city(book_db):
    count = demo_reps.rep_count(BOOK)
    names = demo_reps.rep_names(count, vocabulary.DEFAULT_SEED)
    territories = demo_reps.Territories(count)
    rows = database.execute_sql("SELECT owner, city FROM customer").fetchall()
    assert {owner for owner, _city in rows} == set(names)
    at_home = sum(city in territories.cities(names.index(owner)) for owner, city in rows)
    assert 0.95 * BOOK <= at_home < BOOK  # a few stayed with the rep of the next territory
    per_rep = [n for (n,) in database.execute_sql("SELECT count(*) FROM customer GROUP BY owner")]
    assert len(per_rep) == count and min(per_rep) > 75 and max(per_rep) < 250
    # The visits' rep is the customer's owner (the change log's actor too).
    assert database.execute_sql("SELECT count(*) FROM visit v JOIN customer c ON c.id = v.customer_id "
                                "WHERE v.rep != c.owner").fetchone()[0] == 0


def test_a_reps_visits_never_overlap(book_db):
    overlapping = database.execute_sql(
        "SELECT a.id, b.id, a.rep, a.starts_at, a.ends_at, b.starts_at, b.ends_at FROM visit a "
        "JOIN visit b ON b.rep = a.rep AND b.id != a.id AND b.starts_at < a.ends_at AND a.starts_at < b.ends_at "
        f"AND b.starts_at >= a.starts_at WHERE a.{NOT_CLOSED} AND b.{NOT_CLOSED}").fetchall()
    assert overlapping == []
    # Nor with the cancelled and postponed ones: the day was planned like that.
    assert database.execute_sql(
        "SELECT count(*) FROM visit a JOIN visit b ON b.rep = a.rep AND b.id > a.id "
        "AND b.starts_at < a.ends_at AND a.starts_at < b.ends_at").fetchone()[0] == 0
    # What the calendar calls a clash: none, in the weeks planned or before.
    items = visit_planning.in_range(dt.date(2026, 10, 1), dt.date(2026, 12, 20), at=dt.datetime(2026, 11, 21))
    assert items and not any(item.clash for item in items)


def test_a_reps_day_is_a_route(book_db):
    busiest = database.execute_sql(
        f"SELECT max(n) FROM (SELECT count(*) n FROM visit WHERE {NOT_CLOSED} GROUP BY rep, date(starts_at))"
    ).fetchone()[0]
    assert 4 <= busiest <= demo_visits.DAY_CAP == 6
    assert database.execute_sql("SELECT max(n) FROM (SELECT count(*) n FROM visit GROUP BY rep, date(starts_at))"
                                ).fetchone()[0] <= 6
    days: dict[tuple[str, str], list[tuple]] = {}
    for rep, starts, ends, city, state in database.execute_sql(
            "SELECT v.rep, v.starts_at, v.ends_at, c.city, v.state FROM visit v "
            "JOIN customer c ON c.id = v.customer_id ORDER BY v.rep, v.starts_at"):
        days.setdefault((rep, starts[:10]), []).append((starts[11:16], ends[11:16], city, state))
    planned_days = 0
    for (rep, day), stops in days.items():
        cities = [city for _s, _e, city, _state in stops]
        # One or two cities; the second after the first (not back and forth).
        assert len(set(cities)) <= 2, (rep, day, stops)
        assert cities == sorted(cities, key=cities.index), (rep, day, stops)
        for (s1, e1, c1, _), (s2, e2, c2, _) in zip(stops, stops[1:]):
            gap = (int(s2[:2]) * 60 + int(s2[3:])) - (int(e1[:2]) * 60 + int(e1[3:]))
            assert gap >= 30, (rep, day, stops)  # the way to the next customer
            if c2 != c1:
                assert e1 <= "12:00" and s2 >= "13:00"  # to the other city over lunch
        for starts, ends, _city, _state in stops:
            assert "09:00" <= starts and ends <= "17:30"
            assert ends <= "12:00" or starts >= "13:00"  # not over lunch
        if any(state == V.PLANNED and day > vocabulary.END_DATE.isoformat() for *_x, state in stops):
            planned_days += 1
    assert planned_days > 100


def test_without_visits(tmp_path):
    rows = []
    for name, with_visits in (("a", True), ("b", False)):
        open_database(tmp_path / f"{name}.sqlite")
        try:
            result = demo.generate(COUNT, seed=5, visits=with_visits)
            assert (result.visits > 0) == with_visits and result.visits == _count("visit")
            rows.append(database.execute_sql(
                "SELECT * FROM customer ORDER BY id").fetchall())
            names = [d[0] for d in database.execute_sql("SELECT * FROM customer LIMIT 1").description]
        finally:
            close_database()
    columns = [names.index(c) for c in ("visit_every_days", "last_visit_at", "next_visit_at")]
    with_v, without = rows
    assert all(row[i] is None for row in without for i in columns)
    strip = lambda row: tuple(v for i, v in enumerate(row) if i not in columns)  # noqa: E731
    assert [strip(r) for r in with_v] == [strip(r) for r in without]
