"""Care events without Qt: planned by hand, done with a result, skipped with a reason,
snoozed, set back, deleted and restored, one or many at a time; the lists for a given
day; the timeline; events of deleted customers disappear; greetings and their
placeholders; the settings refuse 0 or negative days; points."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from crmdesk.core.care import fields as C
from crmdesk.core.errors import CrmError, ValidationError
from crmdesk.core.models import CareEvent, Contact, Customer, Transaction
from crmdesk.core.care import events as care, list as care_list, reminders as care_reminders, settings as care_settings, templates as care_templates, points
from crmdesk.core import history
from crmdesk.core.care.list import CareQuery

D = dt.date
TODAY = D(2026, 11, 23)


@pytest.fixture
def cid(db) -> int:
    return Customer.create(code="C00001", name="上海明华贸易有限公司", contact_person="王伟", title="经理",
                           owner="张伟").id


def plan(cid, due=TODAY, kind=C.ROUTINE, **raw) -> int:
    return care.create({"customer_id": cid, "kind": kind, "due_on": due, "channel": "phone", **raw}).id


def view(name, today=TODAY, **query) -> list[int]:
    return list(care_list.ids(CareQuery(view=name, today=today, **query)))


def test_plan_one_and_read_it_back(cid):
    contact = Contact.create(customer=cid, name="李娜", title="采购主管", mobile="13800138000")
    eid = plan(cid, kind=C.SURVEY, contact_id=contact.id, title="年度满意度调查", message="请抽空填写问卷")
    event = care.get(eid)
    assert (event.kind, event.due_on, event.contact_name, event.mobile, event.state) == (
        C.SURVEY, TODAY, "李娜", "13800138000", C.DUE)


@pytest.mark.parametrize("raw, key", [
    ({"due_on": "2026-02-30"}, "due_on"),
    ({"due_on": ""}, "due_on"),
    ({"due_on": D(1800, 1, 1)}, "due_on"),
    ({"kind": "party"}, "kind"),
    ({"channel": "pigeon"}, "channel"),
    ({"title": "x" * 201}, "title"),
    ({"customer_id": 999}, "customer_id"),
])
def test_bad_values_are_refused_and_nothing_is_written(cid, raw, key):
    with pytest.raises(ValidationError) as error:
        care.create({"customer_id": cid, "kind": C.ROUTINE, "due_on": TODAY, **raw})
    assert key in error.value.errors
    assert CareEvent.select().count() == 0


def test_a_contact_of_another_customer_is_refused(cid):
    other = Customer.create(code="C00002", name="宁波瑞丰")
    stranger = Contact.create(customer=other, name="外人")
    with pytest.raises(ValidationError) as error:
        plan(cid, contact_id=stranger.id)
    assert "contact_id" in error.value.errors


def test_done_with_result_goes_into_the_timeline(cid):
    eid = plan(cid, kind=C.BIRTHDAY)
    done = care.mark_done([eid], "已发微信祝福", "客户回复感谢", at=dt.datetime(2026, 11, 23, 9, 30))
    assert done.ids == [eid] and done.left == 0
    event = care.get(eid)
    assert (event.state, event.result, event.response, event.done_at) == (
        C.DONE, "已发微信祝福", "客户回复感谢", dt.datetime(2026, 11, 23, 9, 30))
    entry = history.timeline(cid)[0]
    assert (entry.entity, entry.field, entry.old, entry.new) == ("care_event", C.DONE, C.BIRTHDAY, "已发微信祝福")


def test_skip_needs_a_reason(cid):
    eid = plan(cid)
    with pytest.raises(ValidationError):
        care.skip([eid], "  ")
    assert care.get(eid).state == C.DUE
    care.skip([eid], "客户出国")
    assert (care.get(eid).state, care.get(eid).result) == (C.SKIPPED, "客户出国")


def test_snooze_moves_it_to_a_later_list(cid):
    eid = plan(cid)
    with pytest.raises(ValidationError):
        care.snooze([eid], TODAY, TODAY)  # not after today
    with pytest.raises(ValidationError):
        care.snooze([eid], TODAY + dt.timedelta(days=400), TODAY)
    care.snooze([eid], TODAY + dt.timedelta(days=3), TODAY)
    assert view("today") == [] and view("week") == [eid]
    assert view("today", today=TODAY + dt.timedelta(days=3)) == [eid]


def test_bulk_actions_leave_finished_events_alone(cid):
    ids = [plan(cid, due=TODAY - dt.timedelta(days=n)) for n in range(4)]
    care.skip([ids[0]], "不需要")
    done = care.mark_done(ids, "已致电")
    assert sorted(done.ids) == sorted(ids[1:]) and done.left == 1
    assert care.get(ids[0]).state == C.SKIPPED
    with pytest.raises(CrmError) as error:
        care.mark_done([ids[1]])
    assert error.value.code == "care_not_pending"


def test_a_stale_version_is_refused(cid):
    eid = plan(cid)
    version = care.get(eid).version
    care.snooze([eid], TODAY + dt.timedelta(days=1), TODAY)
    with pytest.raises(CrmError) as error:
        care.mark_done([eid], versions={eid: version})
    assert error.value.code == "care_changed_elsewhere"
    assert care.get(eid).state == C.SNOOZED


def test_reopen_and_delete_and_restore(cid):
    eid = plan(cid)
    care.mark_done([eid], "ok")
    care.reopen([eid])
    assert care.get(eid).state == C.DUE
    care.delete([eid])
    with pytest.raises(CrmError):
        care.get(eid)
    care.restore([eid])
    assert care.get(eid).state == C.DUE


def test_today_week_overdue_and_done_lists(cid):
    today, overdue, later, far = (plan(cid, due=TODAY), plan(cid, due=TODAY - dt.timedelta(days=2)),
                                  plan(cid, due=TODAY + dt.timedelta(days=6)), plan(cid, due=TODAY + dt.timedelta(days=7)))
    finished = plan(cid, due=TODAY)
    care.mark_done([finished], "ok")
    assert view("today") == [today]
    assert view("overdue") == [overdue]
    assert view("week") == [today, later]
    assert set(view("open")) == {today, overdue, later, far}
    assert view("done") == [finished]
    assert care_list.counts(TODAY) == care_list.Counts(today=1, overdue=1, week=2)
    assert far


def test_events_of_deleted_customers_disappear(cid):
    eid = plan(cid)
    Customer.update(deleted_at=dt.datetime(2026, 11, 23)).execute()
    assert view("today") == [] and care_list.counts(TODAY).today == 0
    with pytest.raises(CrmError):
        care.get(eid)
    Customer.update(deleted_at=None).execute()
    assert view("today") == [eid]


def test_search_and_filters(cid):
    other = Customer.create(code="C00002", name="宁波瑞丰", owner="李娜").id
    mine, theirs = plan(cid, kind=C.SURVEY), plan(other)
    assert view("today", search="瑞丰") == [theirs]
    assert view("today", owner="张伟") == [mine]
    assert view("today", kind=C.SURVEY) == [mine]
    assert view("today", search="100%_") == []


# ---------------------------------------------------------------- greetings

def test_greeting_fills_chinese_and_english_placeholders(cid):
    Transaction.create(customer=cid, date=D(2023, 5, 1), amount=100)
    eid = care.create({"customer_id": cid, "kind": C.FESTIVAL, "due_on": D(2026, 9, 25)}).id
    CareEvent.update(occasion="mid_autumn").where(CareEvent.id == eid).execute()
    event = care.get(eid)
    text = care_templates.render("{称呼}，{节日}快乐！感谢{公司}{客户年数}年来的支持。", care_templates.values(event, "zh"))
    assert text.text == "王经理，中秋节快乐！感谢上海明华贸易有限公司3年来的支持。" and text.unknown == ()
    english = care_templates.render("Dear {salutation}, happy {festival}! {years} years.",
                                    care_templates.values(event, "en"))
    assert english.text == "Dear 王伟, happy Mid-Autumn Festival! 3 years."


def test_unknown_placeholder_is_shown_not_crashed(cid):
    event = care.get(plan(cid))
    greeting = care_templates.render("{称呼}您好 {生日快乐} {0} {", care_templates.values(event, "zh"))
    assert greeting.text == "王经理您好 {生日快乐} {0} {"
    assert greeting.unknown == ("{生日快乐}", "{0}")


@pytest.mark.parametrize("name, title, gender, lang, expected", [
    ("欧阳明华", "", "male", "zh", "欧阳先生"),
    ("王芳", "", "female", "zh", "王女士"),
    ("王芳", "", None, "zh", "王芳"),
    ("李娜", "总监", None, "zh", "李总监"),
    ("王芳", "", "female", "en", "Ms. Wang"),
    ("John Smith", "", "male", "en", "Mr. Smith"),
    ("", "", None, "zh", "客户"),
])
def test_salutations(name, title, gender, lang, expected):
    assert care_templates.salutation(name, title, gender, lang) == expected


# ---------------------------------------------------------------- settings

@pytest.mark.parametrize("days", [0, -3, "abc", 1.5, True, 99999])
def test_a_rule_with_0_or_negative_days_is_refused(db, days):
    with pytest.raises(ValidationError) as error:
        care_settings.save({"birthdays": {"on": True, "days": days}})
    assert error.value.errors["birthdays.days"].code == "care_days_invalid"
    assert care_settings.load() == care_settings.Rules()


def test_a_rule_turned_off_may_keep_a_bad_number(db):
    care_settings.save({"no_contact": {"on": False, "days": 0}})
    assert care_settings.load().no_contact.on is False


def test_settings_round_trip(db):
    care_settings.save({"birthdays": {"on": True, "days": 3}, "festival_tiers": ["key", "relationship"],
                        "custom_festivals": [["店庆", 6, 18]], "points_rate": "0.5", "festival_keys": ["spring"]})
    rules = care_settings.load()
    assert rules.birthdays.days == 3 and rules.festival_tiers == ("key", "relationship")
    assert rules.custom_festivals == (("店庆", 6, 18),) and rules.points_rate == 0.5
    assert rules.festival_keys == ("spring",)


@pytest.mark.parametrize("custom", [[["店庆", 2, 30]], [["", 1, 1]], [["a:b", 1, 1]], [["x"]]])
def test_a_custom_festival_on_30_february_is_refused(db, custom):
    with pytest.raises(ValidationError) as error:
        care_settings.save({"custom_festivals": custom})
    assert "custom_festivals" in error.value.errors


def test_damaged_stored_settings_fall_back_to_defaults(db):
    from crmdesk.core.models import Setting
    Setting.create(key=care_settings.RULES_KEY, value="{not json")
    assert care_settings.load() == care_settings.Rules()


def test_templates_default_and_saved(db):
    assert "{称呼}" in care_settings.templates()[C.BIRTHDAY]["zh"]
    care_settings.save_templates({C.BIRTHDAY: {"zh": "生日快乐，{姓名}", "en": "Happy birthday, {name}"}})
    assert care_settings.templates()[C.BIRTHDAY] == {"zh": "生日快乐，{姓名}", "en": "Happy birthday, {name}"}


# ---------------------------------------------------------------- points and reminders

def test_points_redeemed_for_a_gift(cid):
    points.adjust(cid, 300, "开户赠送", TODAY)
    points.redeem(cid, 200, "保温杯", TODAY, at=dt.datetime(2026, 11, 23, 10))
    assert points.balance(cid) == 100
    with pytest.raises(ValidationError) as error:
        points.redeem(cid, 101, "茶叶", TODAY)
    assert error.value.errors["points"].code == "points_not_enough"
    assert [line.points for line in points.ledger(cid)] == [-200, 300]
    [gift] = care.for_customer(cid)
    assert (gift.kind, gift.state, gift.title) == (C.GIFT, C.DONE, "保温杯")


@pytest.mark.parametrize("value", [0, -5, "abc", 1.5])
def test_redeeming_nonsense_points_is_refused(cid, value):
    with pytest.raises(ValidationError):
        points.redeem(cid, value, "礼品", TODAY)
    assert points.balance(cid) == 0


def test_reminders_missed_while_closed_and_a_clock_set_back(cid):
    care_settings.save({name: {"on": False, "days": 7} for name in care_settings.DAY_LIMITS} |
                       {"no_purchase": {"on": False}, "points_on": False})
    first = care_reminders.wake(TODAY)
    assert first.missed == 0 and first.last_seen is None
    for n in (1, 2, 5):
        plan(cid, due=TODAY + dt.timedelta(days=n))
    later = care_reminders.wake(TODAY + dt.timedelta(days=5))
    assert later.missed == 2 and later.counts.today == 1 and later.counts.overdue == 2
    back = care_reminders.wake(TODAY)  # the clock went back
    assert back.clock_back and back.missed == 0
    assert care_reminders.last_seen() == TODAY


def test_fifty_thousand_due_at_once_are_one_summary(cid):
    from crmdesk.core.models import database
    database.execute_sql(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000) "
        "INSERT INTO care_event (uuid, created_at, updated_at, customer_id, kind, due_on, channel, title, message, "
        "state, result, response, version, occasion, facts) SELECT 'u' || i, '2026-11-23', '2026-11-23', ?, "
        "'routine', ?, 'phone', '', '', 'due', '', '', 1, '', '' FROM n", (cid, TODAY.isoformat()))
    wake = care_reminders.wake(TODAY)
    assert wake.counts.today == 50000 and wake.worth_a_notice
    assert len(care_list.first_ids(CareQuery(view="today", today=TODAY), 200)) == 200


def test_a_deleted_purchase_takes_its_points_with_it(cid):
    from crmdesk.core.care import rules as care_rules
    care_settings.save({"points_on": True, "points_from": "2026-11-01"})
    sale = Transaction.create(customer=cid, date=D(2026, 11, 20), amount=1000)
    care_rules.run(TODAY)
    assert points.balance(cid) == 1000
    Transaction.update(deleted_at=dt.datetime(2026, 11, 23)).where(Transaction.id == sale.id).execute()
    assert points.balance(cid) == 0 and points.ledger(cid) == []
    with pytest.raises(ValidationError):
        points.redeem(cid, 500, "茶具", TODAY)
    Transaction.update(deleted_at=None).where(Transaction.id == sale.id).execute()
    assert points.balance(cid) == 1000


def test_purchases_made_while_points_were_off_earn_none(cid):
    from crmdesk.core.care import rules as care_rules
    care_settings.save({"points_on": True, "points_from": "2026-11-01"})
    care_settings.save({"points_on": False})
    Transaction.create(customer=cid, date=D(2026, 11, 10), amount=1000)  # while off
    care_settings.save({"points_on": True}, today=D(2026, 11, 20))
    assert care_settings.load().points_from == "2026-11-20"
    Transaction.create(customer=cid, date=D(2026, 11, 21), amount=50)
    care_rules.run(TODAY)
    assert points.balance(cid) == 50


def test_a_deleted_contacts_open_reminders_go_and_what_was_done_stays(cid):
    from crmdesk.core.customers import contacts
    li = Contact.create(customer=cid, name="李娜")
    open_one, done_one = plan(cid, kind=C.BIRTHDAY, contact_id=li.id), plan(cid, kind=C.SURVEY, contact_id=li.id)
    care.mark_done([done_one], "已回访")
    contacts.save_all(cid, [])  # the form saved without 李娜
    assert view("week") == [] and care_list.counts(TODAY).week == 0
    assert view("done") == [done_one]
    assert care.get(done_one).contact_name == "李娜"  # not re-addressed to the contact person
    assert open_one


def test_a_corrected_birthday_replaces_the_old_reminder(cid):
    from crmdesk.core.care import rules as care_rules
    from crmdesk.core.customers import contacts
    from crmdesk.core.care.settings import Rule, Rules
    li = Contact.create(customer=cid, name="李娜", birthday_month=11, birthday_day=25)
    only_birthdays = Rules(purchase=Rule(False, 3), festivals=Rule(False, 7), anniversary=Rule(False, 7),
                           no_contact=Rule(False, 90), no_purchase=Rule(False, 0), points_on=False)
    care_rules.run(TODAY, only_birthdays)
    contacts.save_all(cid, [dataclasses.replace(contacts.to_data(li), birthday="--11-27")])
    care_rules.run(TODAY, only_birthdays)
    assert [e.due_on for e in care.for_customer(cid)] == [D(2026, 11, 27)]
