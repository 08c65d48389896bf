"""The visit dialog and a visit's deal: a corrected plan and its deal are saved together,
so a refused deal (moved to another customer meanwhile) leaves the visit as it was; a
repeating plan for a deal links the visits it plans."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from crmdesk.core.models import ChangeLog, Opportunity, Visit
from crmdesk.core.sales import opportunities as O
from crmdesk.core.sales import opportunities_visits as OV
from crmdesk.core.customers import archive as customers
from crmdesk.core.visits import visits
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.visits.dialog import VisitDialog
from tests.ui.conftest import type_text

T = dt.datetime(2026, 12, 8, 9, 0)


@pytest.fixture
def deal(db):
    cid = customers.create({"name": "北京华润", "owner": "张伟", "stage": "developing"})[0]
    other = customers.create({"name": "杭州小微", "owner": "李娜"})[0]
    oid = O.create({"customer_id": cid, "title": "管道", "stage": "proposal"}, now=T).opportunity_id
    return cid, other, oid


def save(dialog):
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()


def test_a_refused_deal_leaves_the_edited_visit_unchanged(qtbot, deal, english):
    cid, other, oid = deal
    vid = visits.create({"customer_id": cid, "starts_at": T, "ends_at": T + dt.timedelta(hours=1),
                         "objective": "方案演示"}).visit_id
    logged = ChangeLog.select().count()
    dialog = VisitDialog(ChangeBus(), visit_id=vid)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.objective.selectAll()
    type_text(qtbot, dialog.objective, "报价谈判")
    dialog.opportunity.setCurrentIndex(dialog.opportunity.findData(oid))
    Opportunity.update(customer=other).where(Opportunity.id == oid).execute()  # moved elsewhere meanwhile
    save(dialog)
    assert dialog.isVisible()
    assert dialog.summary.text() == ("“管道” is a deal of another customer: choose one of this customer's "
                                     "opportunities; nothing was saved.")
    visit = Visit.get_by_id(vid)
    assert (visit.objective, visit.opportunity_id, visit.version) == ("方案演示", None, 1)
    assert ChangeLog.select().count() == logged
    Opportunity.update(customer=cid).where(Opportunity.id == oid).execute()  # back: the same save works
    save(dialog)
    assert not dialog.isVisible()
    visit = Visit.get_by_id(vid)
    assert (visit.objective, visit.opportunity_id) == ("报价谈判", oid)


def test_a_repeating_plan_for_a_deal_links_its_visits(qtbot, deal, english):
    cid, _, oid = deal
    dialog = VisitDialog(ChangeBus(), customer_id=cid, start=T, opportunity_id=oid)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.opportunity.currentText() == "管道"
    dialog.repeat.setChecked(True)
    dialog.end_count.setChecked(True)
    dialog.count.setValue(3)
    save(dialog)
    assert not dialog.isVisible()
    assert [v.opportunity_id for v in Visit.select().order_by(Visit.starts_at)] == [oid] * 3
    assert len(OV.visits_of(oid)) == 3
