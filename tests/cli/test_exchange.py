"""``crmdesk export vcard|calendar`` and ``crmdesk import vcard`` (issue 21)."""
from __future__ import annotations

import datetime as dt

import vobject
from icalendar import Calendar

from crmdesk.core.db import close_database, open_database
from crmdesk.core.models import Customer
from crmdesk.core.customers import archive as customers
from crmdesk.core.visits import visits
from tests.core.exchange.test_exchange import PHONE_EXPORT
from tests.cli.test_cli import call


def seed(db_path):
    open_database(db_path)
    try:
        cid = customers.create({"name": "北京华润商贸有限公司", "contact_person": "王芳", "mobile": "13812345678"})[0]
        visits.create({"customer_id": cid, "starts_at": dt.datetime(2026, 12, 10, 10),
                       "ends_at": dt.datetime(2026, 12, 10, 11), "kind": "first_visit", "objective": "了解需求",
                       "rep": "李娜"})
    finally:
        close_database()


def test_export_vcard_and_calendar(tmp_path):
    db = tmp_path / "crm.sqlite"
    seed(db)
    code, out, err = call("--db", str(db), "export", "vcard", str(tmp_path / "c.vcf"), "--vcard-version", "3.0")
    assert code == 0, err
    assert out.strip() == f"Wrote 1 contact card to {tmp_path / 'c.vcf'}."
    (card,) = vobject.readComponents((tmp_path / "c.vcf").read_text(encoding="utf-8"))
    assert card.version.value == "3.0" and card.fn.value == "王芳"
    code, out, _err = call("--db", str(db), "export", "calendar", str(tmp_path / "v.ics"), "--rep", "李娜",
                           "--lang", "en")
    assert code == 0 and out.strip() == f"Wrote 1 calendar event to {tmp_path / 'v.ics'}."
    (event,) = Calendar.from_ical((tmp_path / "v.ics").read_bytes()).walk("VEVENT")
    assert str(event["summary"]) == "First visit: 北京华润商贸有限公司"


def test_export_refuses_a_folder_that_is_not_there(tmp_path):
    db = tmp_path / "crm.sqlite"
    seed(db)
    code, _out, err = call("--db", str(db), "export", "vcard", str(tmp_path / "nope"), "--per-customer")
    assert code == 2 and "cannot write" in err
    code, _out, err = call("--db", str(db), "export", "calendar", str(db))
    assert code == 2 and err.strip()
    assert not (tmp_path / "nope").exists()


def test_import_vcard(tmp_path):
    db = tmp_path / "crm.sqlite"
    path = tmp_path / "phone.vcf"
    path.write_text(PHONE_EXPORT, encoding="utf-8")
    code, out, err = call("--db", str(db), "import", "vcard", str(path))
    assert code == 0, err
    assert out.splitlines()[0] == "created 2, updated 0, skipped 0, rejected 0"
    open_database(db)
    try:
        assert Customer.get(Customer.name == "北京华润商贸有限公司").contact_person == "王芳"
    finally:
        close_database()
