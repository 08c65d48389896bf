"""Visits and deals in the forms: "Plan a visit" from a card opens the visit dialog linked
to the deal; the visit form offers the customer's open deals; the record dialog's objection
table has a type column whose choice is stored; the visit details and the opportunity's
dialog show what belongs together."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from crmdesk.core.models import Visit
from crmdesk.core.sales import objections as J
from crmdesk.core.sales import opportunities as O
from crmdesk.core.customers import archive as customers
from crmdesk.core.visits import visits
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.visits.dialog import VisitDialog
from crmdesk.ui.visits.record_dialog import RecordDialog
from crmdesk.ui.sales.opportunity_dialog import OpportunityDialog
from crmdesk.ui.sales.pipeline_page import PipelinePage
from crmdesk.ui.visits.details import VisitDetails

T = dt.datetime(2026, 12, 8, 9, 0)


@pytest.fixture
def deal(db):
    cid, _ = customers.create({"name": "北京华润", "owner": "张伟", "stage": "developing"})
    oid = O.create({"customer_id": cid, "title": "管道", "stage": "proposal"}, now=T).opportunity_id
    O.create({"customer_id": cid, "title": "阀门", "stage": "lead"}, now=T)
    return cid, oid


def save(dialog):
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()


def test_plan_a_visit_from_a_card_is_linked_to_the_deal(qtbot, deal):
    cid, oid = deal
    page = PipelinePage(ChangeBus(), QUndoStack())
    qtbot.addWidget(page)
    page.set_now(T)
    page.show()
    seen = []

    def answer():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, answer)
            return
        seen.append((dialog.customer.customer_id, dialog.opportunity.currentText()))
        dialog.objective.setText("讲解方案")
        save(dialog)
    QTimer.singleShot(0, answer)
    page.board.select(oid)
    qtbot.mouseClick(page.visit_button, Qt.MouseButton.LeftButton)
    assert seen == [(cid, "管道")]
    visit = Visit.get(Visit.objective == "讲解方案")
    assert visit.opportunity_id == oid and visit.customer_id == cid


def test_the_visit_form_offers_the_customers_open_deals(qtbot, deal):
    cid, oid = deal
    dialog = VisitDialog(ChangeBus(), customer_id=cid, start=T)
    qtbot.addWidget(dialog)
    assert [dialog.opportunity.itemText(i) for i in range(dialog.opportunity.count())] == ["No deal", "阀门", "管道"]
    dialog.opportunity.setCurrentIndex(dialog.opportunity.findData(oid))
    dialog.objective.setText("报价")
    save(dialog)
    assert Visit.get_by_id(dialog.saved_id).opportunity_id == oid
    again = VisitDialog(ChangeBus(), visit_id=dialog.saved_id)
    qtbot.addWidget(again)
    assert again.opportunity.currentData() == oid
    again.opportunity.setCurrentIndex(0)
    save(again)
    assert Visit.get_by_id(dialog.saved_id).opportunity_id is None


def test_the_record_dialog_stores_each_objections_type(qtbot, deal):
    cid, oid = deal
    vid = visits.create({"customer_id": cid, "starts_at": T, "ends_at": T + dt.timedelta(hours=1)}).visit_id
    dialog = RecordDialog(ChangeBus(), visit_id=vid, now=T + dt.timedelta(hours=2))
    qtbot.addWidget(dialog)
    assert dialog.objections.horizontalHeaderItem(2).text() == "Type"
    dialog.opportunity.setCurrentIndex(dialog.opportunity.findData(oid))
    dialog.objections.item(0, 0).setText("价格太高")
    dialog.objections.item(0, 1).setText("给出阶梯报价")
    dialog.objections.cellWidget(0, 2).setCurrentIndex(dialog.objections.cellWidget(0, 2).findData("price"))
    dialog.objections.item(1, 0).setText("要问老板")
    save(dialog)
    visit = Visit.get_by_id(vid)
    assert json.loads(visit.objections) == [["价格太高", "给出阶梯报价", "price"], ["要问老板", ""]]
    assert visit.state == "done" and visit.opportunity_id == oid
    details = VisitDetails()
    qtbot.addWidget(details)
    details.show_visit(vid)
    text = details.toPlainText()
    assert "价格太高 → 给出阶梯报价 (Price)" in text and "For the deal" in text and "管道" in text


def test_an_old_visits_objections_open_untyped(qtbot, deal):
    cid, _ = deal
    vid = visits.create({"customer_id": cid, "starts_at": T, "ends_at": T + dt.timedelta(hours=1)}).visit_id
    visits.record(vid, {"objections": [("交货慢", "现货供应")]})
    dialog = RecordDialog(ChangeBus(), visit_id=vid, now=T + dt.timedelta(hours=2))
    qtbot.addWidget(dialog)
    assert (dialog.objections.item(0, 0).text(), dialog.objections.cellWidget(0, 2).currentData()) == ("交货慢", "")
    assert J.parse(Visit.get_by_id(vid).objections)[0].answer == "现货供应"


def test_the_opportunity_dialog_lists_its_visits(qtbot, deal):
    cid, oid = deal
    vid = visits.create({"customer_id": cid, "starts_at": T, "ends_at": T + dt.timedelta(hours=1),
                         "objective": "技术交流"}).visit_id
    dialog = OpportunityDialog(ChangeBus(), opportunity_id=oid)
    qtbot.addWidget(dialog)
    assert dialog.visits.text() == "No visits for this deal yet."
    Visit.update(opportunity=oid).where(Visit.id == vid).execute()
    dialog = OpportunityDialog(ChangeBus(), opportunity_id=oid)
    qtbot.addWidget(dialog)
    assert "技术交流" in dialog.visits.text()
    assert dialog.title_edit.text() == "管道" and dialog.probability.value() == 50


def test_the_dialog_asks_why_when_the_stage_becomes_lost(qtbot, deal):
    _cid, oid = deal
    dialog = OpportunityDialog(ChangeBus(), opportunity_id=oid)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.lost_reason.isVisible()
    dialog.stage.setCurrentIndex(dialog.stage.findData("lost"))
    assert dialog.lost_reason.isVisible() and dialog.probability.value() == 0
    save(dialog)
    assert dialog.summary.text() == "Say why “管道” was lost: choose a reason; nothing was saved."
    assert O.get(oid).stage == "proposal"
    dialog.lost_reason.setCurrentIndex(dialog.lost_reason.findData("no_budget"))
    save(dialog)
    row = O.get(oid)
    assert (row.stage, row.lost_reason, row.probability) == ("lost", "no_budget", 0)
