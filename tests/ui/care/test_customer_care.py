"""The customer profile's Care page: the points balance and ledger, redeeming points for a
gift (more than the balance refused with the balance named, nothing written), the
customer's reminders with their results, done reminders in the timeline, and planning a
reminder from the profile."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from crmdesk.core.care import fields as C
from crmdesk.core.changes import Changes
from crmdesk.core.models import CareEvent, PointsEntry
from crmdesk.core.care import events as care, points
from crmdesk.core.customers import archive as customers
from tests.ui.conftest import type_text


@pytest.fixture
def profile(window):
    cid = customers.create({"name": "上海明华贸易有限公司", "contact_person": "王伟", "title": "经理"})[0]
    points.adjust(cid, 500, "开户赠送", dt.date(2026, 11, 1))
    event = care.create({"customer_id": cid, "kind": C.BIRTHDAY, "due_on": dt.date(2026, 11, 20)}).id
    care.mark_done([event], "已发微信祝福", "客户回复感谢")
    window.bus.publish(Changes.reset())
    tab = window.customers_tab
    tab.model.wait_loaded()
    tab.select_id(cid)
    view = tab.profile
    view.tabs.setCurrentWidget(view.care)
    return view


def save(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)


def test_points_and_reminders_are_on_the_profile(profile):
    care_page = profile.care
    assert care_page.balance.text() == "Points: 500"
    assert care_page.events.item(0, 1).text() == "Birthday"
    assert care_page.events.item(0, 4).text() == "已发微信祝福"
    assert care_page.events.item(0, 5).text() == "客户回复感谢"
    assert care_page.ledger.item(0, 1).text() == "+500"
    assert profile.tabs.tabText(profile.tabs.indexOf(care_page)) == "Care (1)"


def test_done_reminder_is_in_the_timeline(profile):
    whats = [profile.timeline.item(r, 2).text() for r in range(profile.timeline.rowCount())]
    row = whats.index("Care done: Birthday")
    assert profile.timeline.item(row, 5).text() == "已发微信祝福"


def test_redeem_more_than_the_balance_is_refused(qtbot, window, profile):
    qtbot.mouseClick(profile.care.redeem_button, Qt.MouseButton.LeftButton)
    dialog = profile.care.dialog
    dialog.points.setValue(800)
    type_text(qtbot, dialog.gift, "茶具")
    save(qtbot, dialog)
    assert dialog.isVisible() and "only 500 points" in dialog.form.errors["points"].text()
    assert PointsEntry.select().count() == 1
    dialog.points.setValue(300)
    save(qtbot, dialog)
    assert not dialog.isVisible()
    assert points.balance(profile.customer_id) == 200
    assert profile.care.balance.text() == "Points: 200"
    assert CareEvent.select().where(CareEvent.kind == C.GIFT).get().title == "茶具"


def test_redeem_without_a_gift_is_refused(qtbot, window, profile):
    profile.care.redeem()
    dialog = profile.care.dialog
    save(qtbot, dialog)
    assert dialog.isVisible() and dialog.form.errors["gift"].isVisible()
    assert points.balance(profile.customer_id) == 500


def test_plan_a_reminder_from_the_profile(qtbot, window, profile):
    qtbot.mouseClick(profile.care.plan_button, Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window.care_tab
    dialog = window.care_tab.dialog
    assert dialog.customer.customer_id == profile.customer_id


def test_a_care_reminder_reads_in_care_words_on_the_timeline(window, profile):
    cid = profile.customer_id
    eid = care.create({"customer_id": cid, "kind": C.SURVEY, "due_on": dt.date(2026, 11, 25)}).id
    care.update(eid, {"kind": C.SURVEY, "due_on": dt.date(2026, 11, 26), "channel": "wechat"})
    care.delete([eid])
    window.bus.publish(Changes.reset())
    rows = [[profile.timeline.item(r, c).text() for c in range(2, 6)] for r in range(profile.timeline.rowCount())]
    assert any(r[0] == "Care reminder planned" and r[3].startswith("Satisfaction survey") for r in rows)
    assert any(r[0] == "Care reminder changed" and r[1] == "Channel" and r[3] == "WeChat" for r in rows)
    assert any(r[0] == "Care reminder deleted" and r[3].startswith("Satisfaction survey") for r in rows)
    assert not any(r[0].startswith("Follow-up") for r in rows)
