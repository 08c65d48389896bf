"""Out to the phone and the calendar, and back (issue 21): vCard 4.0 and 3.0 written and read
by vobject, a phone's export through the customer import, and visits as iCalendar events with
stable UIDs (read back with icalendar)."""
from __future__ import annotations

import datetime as dt

import pytest
import vobject
from icalendar import Calendar

from crmdesk.core.errors import CrmError
from crmdesk.core.exchange import calendar as ics
from crmdesk.core.exchange import vcard
from crmdesk.core.io.sheet_read import open_source
from crmdesk.core.models import Customer, Visit
from crmdesk.core.care import events as care
from crmdesk.core.customers import contacts, archive as customers
from crmdesk.core.visits import visits
from crmdesk.core.imports import customer_import as CI
from crmdesk.core.imports.options import ImportOptions

PHONE_EXPORT = """BEGIN:VCARD
VERSION:3.0
N:王;芳;;;
FN:王芳
ORG:北京华润商贸有限公司;
TITLE:采购经理
TEL;TYPE=CELL:138 1234 5678
TEL;TYPE=WORK,VOICE:010-8888 9999
TEL;TYPE=HOME:010-6666 7777
EMAIL;TYPE=INTERNET:wang@huarun.cn
ADR;TYPE=WORK:;;朝阳路1号;北京;北京;100020;中国
BDAY:1985-04-02
CATEGORIES:VIP
NOTE:展会认识
END:VCARD
BEGIN:VCARD
VERSION:4.0
FN:Ann Lee
TEL;VALUE=uri;TYPE=cell:tel:+1-415-555-0100
EMAIL:ann@example.com
BDAY:--0715
END:VCARD
"""


@pytest.fixture
def huarun(db):
    cid = customers.create({"name": "北京华润商贸有限公司", "city": "北京", "province": "北京", "address": "朝阳路1号",
                            "postal_code": "100020", "tags": "VIP", "code": "C000001"})[0]
    contacts.save_all(cid, [contacts.ContactData(name="王芳", title="采购经理", mobile="13812345678",
                                                 email="wang@huarun.cn", birthday="1985-04-02"),
                            contacts.ContactData(name="李强", phone="01088889999", birthday="--07-15")])
    person = customers.create({"name": "Ann Lee", "kind": "individual", "mobile": "+1 415 555 0100",
                               "code": "C000002"})[0]
    return cid, person


def test_contacts_to_vcard_4(huarun, tmp_path):
    out = tmp_path / "contacts.vcf"
    assert vcard.export(out) == 3
    cards = list(vobject.readComponents(out.read_text(encoding="utf-8")))
    wang, li, ann = cards
    assert wang.version.value == "4.0"
    assert (wang.fn.value, wang.org.value, wang.title.value) == ("王芳", ["北京华润商贸有限公司"], "采购经理")
    assert (wang.n.value.family, wang.n.value.given) == ("王", "芳")
    assert wang.tel.value == "+8613812345678" and wang.tel.params["TYPE"] == ["cell"]
    assert wang.bday.value == "19850402" and li.bday.value == "--0715"
    assert wang.adr.value.city == "北京" and wang.categories.value == ["VIP"]
    assert wang.uid.value.startswith("urn:uuid:")
    assert ann.fn.value == "Ann Lee" and "org" not in ann.contents  # a person, not a company
    again = tmp_path / "again.vcf"
    vcard.export(again)
    assert [c.uid.value for c in vobject.readComponents(again.read_text(encoding="utf-8"))] == \
        [c.uid.value for c in cards]  # the same cards: a phone updates instead of doubling


def test_vcard_3_for_older_phones_and_one_file_a_customer(huarun, tmp_path):
    out = tmp_path / "old.vcf"
    vcard.export(out, version="3.0")
    cards = list(vobject.readComponents(out.read_text(encoding="utf-8")))
    assert {c.version.value for c in cards} == {"3.0"}
    assert cards[0].bday.value == "1985-04-02" and "bday" not in cards[1].contents  # 3.0: no day without a year
    folder = tmp_path / "cards"
    folder.mkdir()
    assert vcard.export(folder, per_customer=True) == 3
    assert sorted(p.name for p in folder.iterdir()) == ["C000001-北京华润商贸有限公司.vcf", "C000002-Ann_Lee.vcf"]
    with pytest.raises(CrmError) as caught:
        vcard.export(out, version="2.1")
    assert caught.value.code == "option_invalid"


def test_a_phones_export_imports_as_customers_and_contacts(db, tmp_path):
    path = tmp_path / "phone.vcf"
    path.write_text(PHONE_EXPORT, encoding="utf-8")
    with open_source(path) as source:
        assert source.format == "vcard"
    result, plan = CI.import_file(path, ImportOptions())
    assert (result.created, result.rejected) == (2, 0)
    huarun = Customer.get(Customer.name == "北京华润商贸有限公司")
    assert (huarun.contact_person, huarun.title, huarun.mobile, huarun.phone) == \
        ("王芳", "采购经理", "+8613812345678", "+861088889999")
    assert "01066667777" in huarun.notes  # the third number kept
    assert (huarun.city, huarun.postal_code, huarun.country, huarun.email) == ("北京", "100020", "中国", "wang@huarun.cn")
    assert (huarun.birthday_year, huarun.birthday_month, huarun.birthday_day) == (1985, 4, 2)
    ann = Customer.get(Customer.name == "Ann Lee")
    assert (ann.kind, ann.mobile, ann.birthday_month, ann.birthday_day) == ("individual", "+14155550100", 7, 15)


def test_a_damaged_or_empty_vcard_file(db, tmp_path):
    broken = tmp_path / "broken.vcf"
    broken.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:半张\nBEGIN:VCARD\n", encoding="utf-8")
    with pytest.raises(CrmError) as caught:
        open_source(broken)
    assert caught.value.code in ("file_damaged", "file_no_data")
    empty = tmp_path / "empty.vcf"
    empty.write_text("BEGIN:VCARD\nEND:VCARD\n", encoding="utf-8")
    with pytest.raises(CrmError) as caught:
        CI.import_file(empty, ImportOptions())
    assert caught.value.code in ("file_no_data", "not_customer_list", "no_header")
    assert Customer.select().count() == 0


def plan(cid, day, rep="李娜", hour=10):
    return visits.create({"customer_id": cid, "starts_at": dt.datetime(2026, 12, day, hour),
                          "ends_at": dt.datetime(2026, 12, day, hour + 1), "kind": "first_visit",
                          "objective": "了解需求", "rep": rep, "place": "朝阳路1号"}).visit_id


def test_visits_to_a_calendar_with_stable_uids(huarun, tmp_path):
    cid, _person = huarun
    first = plan(cid, 10)
    plan(cid, 11, rep="张伟")
    out = tmp_path / "visits.ics"
    assert ics.write(out, ics.build(rep="李娜")) == 1
    events = list(Calendar.from_ical(out.read_bytes()).walk("VEVENT"))
    (event,) = events
    visit = Visit.get_by_id(first)
    assert str(event["uid"]) == f"crmdesk-visit-{visit.uuid}"
    assert str(event["summary"]) == "初次拜访: 北京华润商贸有限公司"
    assert event.decoded("dtstart") == dt.datetime(2026, 12, 10, 10)
    assert str(event["location"]) == "朝阳路1号" and str(event["status"]) == "CONFIRMED"
    assert int(event["sequence"]) == visit.version
    # moved and exported again: the same UID with a higher SEQUENCE, so the calendar updates it
    visits.reschedule(first, dt.datetime(2026, 12, 12, 9), dt.datetime(2026, 12, 12, 10))
    ics.write(out, ics.build(rep="李娜", lang="en"))
    (moved,) = list(Calendar.from_ical(out.read_bytes()).walk("VEVENT"))
    assert str(moved["uid"]) == str(event["uid"]) and int(moved["sequence"]) > int(event["sequence"])
    assert str(moved["summary"]) == "First visit: 北京华润商贸有限公司"
    assert ics.write(out, ics.build()) == 2  # every rep's


def test_care_reminders_and_next_steps_as_all_day_events(huarun, tmp_path):
    cid, _person = huarun
    care.create({"customer_id": cid, "due_on": dt.date(2026, 12, 20), "title": "回访"})
    from crmdesk.core.sales import opportunities
    opportunities.create({"customer_id": cid, "title": "年底采购", "stage": "lead", "amount": "10000",
                          "next_step": "寄样品", "next_step_on": "2026-12-15"})
    calendar = ics.build(care=True, opportunities=True)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    care_event = events["关怀: 回访 · 北京华润商贸有限公司"]
    assert care_event.decoded("dtstart") == dt.date(2026, 12, 20)
    assert events["下一步: 寄样品 · 北京华润商贸有限公司"].decoded("dtstart") == dt.date(2026, 12, 15)
    assert len(list(ics.build().walk("VEVENT"))) == 0  # without the options: visits only


def test_a_calendar_that_cannot_be_written(huarun, tmp_path):
    with pytest.raises(CrmError) as caught:
        ics.write(tmp_path / "missing-folder" / "x.ics", ics.build())
    assert caught.value.code == "file_unwritable"
