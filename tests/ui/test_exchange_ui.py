"""File ▸ Export contacts for phones, Visits ▸ Export to a calendar, and a phone's .vcf
through the import wizard (issue 21): what the user sees and what reached the file or the
database."""
from __future__ import annotations

import datetime as dt

import vobject
from icalendar import Calendar

from crmdesk.core.models import Customer
from crmdesk.core.customers import archive as customers
from crmdesk.core.visits import visits
from tests.core.exchange.test_exchange import PHONE_EXPORT
from tests.ui.imports.test_import_wizard import do_import, open_file, to_preview


def test_export_contacts_and_calendar_from_the_menus(qtbot, window, tmp_path):
    cid = customers.create({"name": "北京华润商贸有限公司", "contact_person": "王芳", "mobile": "13812345678"})[0]
    visits.create({"customer_id": cid, "starts_at": dt.datetime(2026, 12, 10, 10),
                   "ends_at": dt.datetime(2026, 12, 10, 11), "kind": "first_visit", "objective": "了解需求"})
    file_menu = window.menuBar().actions()[0].menu()
    assert window.export_vcard_action in file_menu.actions()
    target = tmp_path / "contacts.vcf"
    task = window.export_vcard(target)
    qtbot.waitUntil(lambda: task.done)
    assert window.statusBar().currentMessage() == f"Exported 1 contact card to {target}."
    (card,) = vobject.readComponents(target.read_text(encoding="utf-8"))
    assert card.fn.value == "王芳" and card.org.value == ["北京华润商贸有限公司"]

    ics = tmp_path / "visits.ics"
    task = window.export_calendar(ics)
    qtbot.waitUntil(lambda: task.done)
    assert window.statusBar().currentMessage() == f"Exported 1 calendar event to {ics}."
    (event,) = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert str(event["summary"]).endswith("北京华润商贸有限公司")


def test_export_to_a_folder_that_is_missing_says_so(qtbot, window, tmp_path):
    assert window.export_calendar(tmp_path / "gone" / "v.ics") is None
    assert window.export_vcard(tmp_path / "gone" / "c.vcf") is None
    assert window.errors_shown == ["output_folder_missing", "output_folder_missing"]


def test_a_phones_contacts_through_the_wizard(qtbot, window, tmp_path):
    path = tmp_path / "phone.vcf"
    path.write_text(PHONE_EXPORT, encoding="utf-8")
    wizard = open_file(qtbot, window, path)
    assert wizard.file_page.message.text() == ""
    preview = to_preview(qtbot, wizard)
    assert preview.summary.text() == "All 2 rows are ready to import."
    result = do_import(qtbot, wizard)
    assert result.text.text() == "Created 2, updated 0, skipped 0, rejected 0."
    assert Customer.get(Customer.name == "北京华润商贸有限公司").contact_person == "王芳"
    assert Customer.get(Customer.name == "Ann Lee").kind == "individual"
