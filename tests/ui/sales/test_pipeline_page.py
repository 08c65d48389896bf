"""The pipeline page on its own: the board's columns and cards as the user sees them, cards
dropped on another column (the view's own drag data and drop handling) and moved with
Ctrl+Left/Right, undone with the undo stack; won and lost with their questions; a stale
drag refused; new, open, delete and undo; the list view and the filters. Every test checks
the database after."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtGui import QDropEvent, QUndoStack
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from crmdesk.core.models import Customer, Opportunity, StageChange
from crmdesk.core.sales import opportunities as O
from crmdesk.core.customers import archive as customers
from crmdesk.core import history
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.sales.board_view import STALLED
from crmdesk.ui.sales.pipeline_page import PipelinePage

NOW = dt.datetime(2026, 12, 4, 2, 0)


@pytest.fixture
def deals(db):
    hr, _ = customers.create({"name": "北京华润", "owner": "张伟", "tier": "key", "stage": "prospect"})
    small, _ = customers.create({"name": "杭州小微", "owner": "李娜", "tier": "transactional", "stage": "mature"})

    def deal(customer, title, stage, amount, close, since, owner):
        return O.create({"customer_id": customer, "title": title, "stage": stage, "amount": amount,
                         "expected_close": close, "owner": owner}, now=since).opportunity_id
    return {"hr": hr, "small": small,
            "pipe": deal(hr, "管道", "lead", 100000, dt.date(2026, 12, 20), dt.datetime(2026, 11, 30, 8), "张伟"),
            "valve": deal(hr, "阀门", "lead", 20000, dt.date(2026, 11, 25), dt.datetime(2026, 10, 1, 8), "张伟"),
            "pump": deal(small, "水泵", "proposal", 5000, dt.date(2027, 1, 15), dt.datetime(2026, 11, 20, 8), "李娜")}


@pytest.fixture
def page(qtbot, deals, monkeypatch):
    errors: list[str] = []
    monkeypatch.setattr("crmdesk.ui.sales.pipeline_page.show_error", lambda parent, error: errors.append(error.code))
    bus = ChangeBus()
    page = PipelinePage(bus, QUndoStack())
    page.errors = errors
    page.won = []
    page.won_requested.connect(page.won.append)
    page.set_now(NOW)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    qtbot.waitExposed(page)
    return page


def drop(page, opportunity_id, stage):
    """What a mouse drag does: the dragged card's drag data dropped on the target column."""
    source = page.board.item_of(opportunity_id)
    data = source.listWidget().mimeData([source])
    target = page.board.lists[stage]
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction | Qt.DropAction.MoveAction, data,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    target.dropEvent(event)
    assert event.isAccepted()


def answer_modal(qtbot, answer):
    """Handle the next modal dialog with ``answer(dialog)``."""
    def handle():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, handle)
            return
        answer(dialog)
    QTimer.singleShot(0, handle)


def stage(opportunity_id):
    return Opportunity.get_by_id(opportunity_id).stage


def test_columns_show_name_count_and_sum_and_cards_their_marks(page, deals):
    header = page.board.headers["lead"].text()
    assert "线索" in header or "Lead" in header
    assert "2 deal(s)" in header or "2 deals" in header
    assert "120,000.00" in header
    card = page.board.item_of(deals["valve"])
    text = card.text()
    assert "北京华润" in text and "阀门" in text and "20,000.00" in text
    assert "64 day" in text and "Close overdue" in text and "Stalled" in text
    fresh = page.board.item_of(deals["pipe"]).text()
    assert "4 day" in fresh and "Close overdue" not in fresh and "Stalled" not in fresh
    assert card.background().color() != STALLED  # overdue wins the colour; both said in words


def test_a_dropped_card_changes_stage_and_undo_puts_it_back(qtbot, page, deals):
    drop(page, deals["pipe"], "qualified")
    qtbot.waitUntil(lambda: stage(deals["pipe"]) == "qualified")
    row = Opportunity.get_by_id(deals["pipe"])
    assert row.probability == 30 and row.stage_since == NOW
    assert page.board.stage_of(deals["pipe"]) == "qualified"
    assert [c.stage for c in O.history_of(deals["pipe"])] == ["lead", "qualified"]
    assert any(i.field == "stage" and i.new == "qualified" for i in history.timeline(deals["hr"]))
    page.undo_stack.undo()
    assert stage(deals["pipe"]) == "lead" and Opportunity.get_by_id(deals["pipe"]).probability == 10
    assert page.board.stage_of(deals["pipe"]) == "lead"
    assert StageChange.select().where(StageChange.opportunity == deals["pipe"]).count() == 1
    page.undo_stack.redo()
    assert stage(deals["pipe"]) == "qualified"


def test_ctrl_right_moves_the_selected_card(qtbot, page, deals):
    page.board.select(deals["pump"])
    qtbot.keyClick(page.board.lists["proposal"], Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert stage(deals["pump"]) == "negotiation"
    assert page.board.current_id() == deals["pump"]
    qtbot.keyClick(page.board.lists["negotiation"], Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    assert stage(deals["pump"]) == "proposal"


def test_dropped_on_won_it_is_won_announced_and_the_prospect_moves_on(qtbot, page, deals):
    answer_modal(qtbot, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    drop(page, deals["pipe"], "won")
    qtbot.waitUntil(lambda: Customer.get_by_id(deals["hr"]).stage == "developing")
    row = Opportunity.get_by_id(deals["pipe"])
    assert (row.stage, row.probability, row.closed_on) == ("won", 100, NOW.date())
    assert page.won == [deals["pipe"]]


def test_a_customer_already_developed_is_not_asked(qtbot, page, deals):
    drop(page, deals["pump"], "won")
    qtbot.waitUntil(lambda: stage(deals["pump"]) == "won")
    assert page.won == [deals["pump"]] and Customer.get_by_id(deals["small"]).stage == "mature"


def test_dropped_on_lost_it_asks_why(qtbot, page, deals):
    def answer(dialog):
        dialog.reason.setCurrentIndex(dialog.reason.findData("competitor"))
        dialog.note.setPlainText("宝钢低价")
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    answer_modal(qtbot, answer)
    drop(page, deals["valve"], "lost")
    qtbot.waitUntil(lambda: stage(deals["valve"]) == "lost")
    row = Opportunity.get_by_id(deals["valve"])
    assert (row.lost_reason, row.lost_note) == ("competitor", "宝钢低价")


def test_cancelling_lost_puts_the_card_back(qtbot, page, deals):
    asked = []

    def answer(dialog):
        asked.append(dialog.objectName())
        dialog.reject()
    answer_modal(qtbot, answer)
    drop(page, deals["valve"], "lost")
    qtbot.waitUntil(lambda: asked == ["lostDialog"])
    qtbot.waitUntil(lambda: page.board.stage_of(deals["valve"]) == "lead")
    assert stage(deals["valve"]) == "lead" and Opportunity.get_by_id(deals["valve"]).lost_reason is None


def test_a_drag_to_won_of_a_deal_changed_elsewhere_is_refused(qtbot, page, deals):
    O.update(deals["pipe"], {"amount": 99000})  # another window, after the board was shown
    drop(page, deals["pipe"], "won")
    qtbot.waitUntil(lambda: page.errors == ["record_changed_elsewhere"])
    assert stage(deals["pipe"]) == "lead" and page.won == []
    assert page.board.stage_of(deals["pipe"]) == "lead"
    assert page.board.version_of(deals["pipe"]) == Opportunity.get_by_id(deals["pipe"]).version  # reloaded


def test_ctrl_n_makes_a_new_opportunity(qtbot, page, deals):
    def answer(dialog):
        dialog.customer.set_customer(deals["small"])
        dialog.title_edit.setText("冷却塔")
        dialog.amount.setText("3万")
        dialog.stage.setCurrentIndex(dialog.stage.findData("proposal"))
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    answer_modal(qtbot, answer)
    page.board.lists["lead"].setFocus()
    qtbot.keyClick(page.board.lists["lead"], Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    row = Opportunity.get(Opportunity.title == "冷却塔")
    assert (row.customer_id, row.amount, row.stage, row.probability) == (deals["small"], Decimal(30000), "proposal", 50)
    assert page.board.stage_of(row.id) == "proposal"


def test_a_new_opportunity_with_a_negative_amount_says_so_and_stays_open(qtbot, page, deals):
    seen = []

    def answer(dialog):
        dialog.customer.set_customer(deals["small"])
        dialog.title_edit.setText("冷却塔")
        dialog.amount.setText("-5")
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
        seen.append((dialog.isVisible(), dialog.findChild(type(dialog.summary), "error_amount").text()))
        dialog.reject()
    answer_modal(qtbot, answer)
    page.new_opportunity()
    assert seen == [(True, "The amount cannot be negative.")]
    assert Opportunity.select().where(Opportunity.title == "冷却塔").count() == 0


def test_del_deletes_and_undo_restores(qtbot, page, deals):
    page.board.select(deals["pump"])
    qtbot.keyClick(page.board.lists["proposal"], Qt.Key.Key_Delete)
    assert Opportunity.get_by_id(deals["pump"]).deleted_at is not None
    assert page.board.item_of(deals["pump"]) is None
    page.undo_stack.undo()
    assert Opportunity.get_by_id(deals["pump"]).deleted_at is None
    assert page.board.item_of(deals["pump"]) is not None


def test_the_list_view_and_the_filters(qtbot, page, deals):
    qtbot.mouseClick(page.views.button(1), Qt.MouseButton.LeftButton)
    assert page.stack.currentWidget() is page.table
    page.model.wait_loaded()
    titles = [page.model.index(r, 0).data() for r in range(page.model.rowCount())]
    assert titles == ["阀门", "管道", "水泵"]
    page.owner.setCurrentIndex(page.owner.findData("李娜"))
    page.model.wait_loaded()
    assert [page.model.index(r, 0).data() for r in range(page.model.rowCount())] == ["水泵"]
    assert page.board.item_of(deals["pipe"]) is None and page.board.item_of(deals["pump"]) is not None
    page.owner.setCurrentIndex(0)
    page.tier.setCurrentIndex(page.tier.findData("key"))
    assert page.board.item_of(deals["pump"]) is None and page.board.item_of(deals["pipe"]) is not None
    page.tier.setCurrentIndex(0)
    page.period.setCurrentIndex(page.period.findData("this_month"))
    assert page.board.item_of(deals["pipe"]) is not None and page.board.item_of(deals["pump"]) is None


def test_the_list_model_passes_the_model_tester(qtbot, qtmodeltester, page, deals):
    assert page.model.rowCount() == 0  # read only once the list is shown: the board paints first
    page.show_view(1)
    page.model.wait_loaded()
    qtmodeltester.check(page.model, force_py=True)
    header = [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.model.columnCount())]
    assert header[:4] == ["Opportunity", "Customer", "Stage", "Amount"]
    row = page.model.row_of(deals["valve"])
    assert [page.model.index(row, c).data() for c in (2, 4, 6)] == ["Lead", "10 %", "64"]


def test_a_card_says_how_many_visits_its_deal_has(page, deals):
    """Visits link to a deal: its card counts them (the deal's dialog lists them)."""
    from crmdesk.core.sales import opportunities_visits as OV
    for day in (7, 9):
        OV.plan_visit({"customer_id": deals["hr"], "starts_at": dt.datetime(2026, 12, day, 10),
                       "ends_at": dt.datetime(2026, 12, day, 11), "objective": "谈价格"}, deals["pipe"])
    page.reload()
    assert "2 visit" in page.board.item_of(deals["pipe"]).text()  # "2 visits" once the English forms load
    assert "visit" not in page.board.item_of(deals["valve"]).text()
