"""The customer list and the selected customer's profile: search as you type (name,
code, contacts, phones, city, pinyin and initials), filters, SQL sorting by any column,
a column chooser, the trash, and create/edit/delete with undo."""
from __future__ import annotations

from dataclasses import replace
from typing import Optional

from PySide6.QtCore import QItemSelectionModel, QLocale, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QLineEdit, QMenu, QSplitter, QToolButton,
                               QVBoxLayout, QWidget)

from crmdesk.core.changes import Changes
from crmdesk.core.customers import list as customer_list, archive as customers
from crmdesk.core.customers.list import ListQuery
from crmdesk.ui import prefs
from crmdesk.core.errors import CrmError
from crmdesk.ui.actions import make_action
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.errors import show_error
from crmdesk.ui.custom_fields.filter_button import CustomFilterButton
from crmdesk.ui.customers.source import CustomerSource, available_columns
from crmdesk.ui.dedupe import merge_actions
from crmdesk.ui.customers.dialog import CustomerDialog
from crmdesk.ui.common.labels import choices
from crmdesk.ui.common.list_view import lazy_view
from crmdesk.ui.common.table_model import LazyTableModel
from crmdesk.ui.common.undo_delete import follow
from crmdesk.ui.customers.profile import CustomerProfile
from crmdesk.ui.welcome.hint_strip import HintStrip
from crmdesk.ui.welcome.welcome_panel import ListStack

SEARCH_DELAY_MS = 150


class DeleteCommand(QUndoCommand):
    """Soft delete of customers; undo restores them."""

    def __init__(self, bus: ChangeBus, ids: list[int], text: str, done: bool = False, keep=None):
        super().__init__(text)
        self.bus, self.ids, self.skip_first_redo = bus, ids, done
        self.keep = keep  # the tab's keep_selected: the restored customer is selected again

    def redo(self) -> None:
        if self.skip_first_redo:  # push() calls redo(); the delete has happened already
            self.skip_first_redo = False
            return
        self.bus.publish(customers.delete(self.ids))

    def undo(self) -> None:
        if self.keep is not None:
            self.keep(self.ids[0])
        self.bus.publish(customers.restore(self.ids))


class CustomersTab(QWidget):
    count_changed = Signal()
    plan_visit_requested = Signal(int)  # a customer id: the visits tab opens the plan
    log_visit_requested = Signal(int)
    log_complaint_requested = Signal(int)  # a customer id: the complaints tab opens a new complaint
    open_complaint_requested = Signal(int)  # a complaint id
    plan_care_requested = Signal(int)  # a customer id: the care tab plans a reminder
    open_care_requested = Signal(int)  # a care event id

    def __init__(self, bus: ChangeBus, undo_stack: QUndoStack, parent=None):
        super().__init__(parent)
        self.setObjectName("customersTab")
        self.bus = bus
        self.undo_stack = undo_stack
        self.source = CustomerSource()
        self.model = LazyTableModel(self.source, self._saved_columns(), ListQuery(), self)

        # search and filters
        self.search = QLineEdit(self)
        self.search.setObjectName("customerSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search name, code, contact, phone, city, pinyin (bjhr)…"))
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(lambda _t: self.search_timer.start())
        self.search.returnPressed.connect(self.apply_search)
        self.filters: dict[str, QComboBox] = {}
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        filter_row = QHBoxLayout()
        for key, title in (("tier", self.tr("Tier")), ("stage", self.tr("Stage")),
                           ("relationship", self.tr("Relationship")), ("owner", self.tr("Owner")),
                           ("team", self.tr("Team")), ("city", self.tr("City")), ("tag", self.tr("Tag"))):
            combo = QComboBox(self)
            combo.setObjectName(f"filter_{key}")
            combo.setToolTip(title)
            combo.setMinimumContentsLength(6)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.currentIndexChanged.connect(lambda _i, k=key: self._filter_changed(k))
            self.filters[key] = combo
            filter_row.addWidget(combo, 1)
        self.custom_filter = CustomFilterButton(self)  # the user's own fields (issue 21)
        self.custom_filter.chosen.connect(lambda key, value: self._set_query(self.model.query.with_filter(key, value)))
        # on the search row, whose box gives way: the built-in filters fill theirs at 1366 px,
        # and a button naming a range there was cut off
        search_row.addWidget(self.custom_filter)
        self.trash_button = QToolButton(self)
        self.trash_button.setObjectName("trashButton")
        self.trash_button.setCheckable(True)
        self.trash_button.setText(self.tr("Trash"))
        self.trash_button.setToolTip(self.tr("Show deleted customers, to restore them"))
        self.trash_button.toggled.connect(self.show_trash)
        search_row.addWidget(self.trash_button)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("customerCount")

        # list
        # Sorted by name at start: the model's first query (below) is already by name.
        self.view = lazy_view(self, self.model, "customerTable",
                              self.model.keys.index("name") if "name" in self.model.keys else 0)
        self.view.horizontalHeader().setSectionsMovable(True)
        if "name" in self.model.keys:  # a typical company name whole, not the 100 px default
            self.view.horizontalHeader().resizeSection(self.model.keys.index("name"), self.view.fontMetrics(
            ).horizontalAdvance("安达富达纺织股份有限公司（北京）") + 16)
        self.view.horizontalHeader().setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.horizontalHeader().customContextMenuRequested.connect(self.choose_columns)
        self.view.activated.connect(lambda _index: self.edit_current())  # Enter and double-click
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)

        self.profile = CustomerProfile(self)
        self.splitter = QSplitter(self)
        self.splitter.setObjectName("customerSplitter")
        left = QWidget(self)
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addLayout(search_row)
        left_box.addLayout(filter_row)
        self.list_stack = ListStack(self.view, self)  # the welcome in the list's place while there are no customers
        self.list_stack.welcome.new_requested.connect(self.new_customer)
        left_box.addWidget(self.list_stack, 1)
        left_box.addWidget(self.count_label)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.profile)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.splitter)

        self._keep_id: Optional[int] = None
        self.model.modelAboutToBeReset.connect(self._remember_current)
        self.model.modelReset.connect(self._restore_current)
        self.model.loaded.connect(self._on_loaded)
        self._make_actions()
        self.bus.changed.connect(self.on_changes)
        self.reload_filters()
        self.model.set_query(ListQuery())
        HintStrip.attach(self, "customers")

    # ------------------------------------------------------------ actions
    def _make_actions(self) -> None:
        self.new_action = make_action(self, self.tr("&New customer…"), self.new_customer,
                                      QKeySequence.StandardKey.New, "newCustomer")
        self.edit_action = make_action(self, self.tr("&Edit customer…"), self.edit_current, name="editCustomer")
        self.delete_action = make_action(self, self.tr("&Delete customer"), self.delete_selected,
                                         QKeySequence.StandardKey.Delete, "deleteCustomer",
                                         Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.restore_action = make_action(self, self.tr("&Restore from trash"), self.restore_selected,
                                          name="restoreCustomer")
        self.find_action = make_action(self, self.tr("&Find…"), self.focus_search, QKeySequence.StandardKey.Find)
        self.columns_action = make_action(self, self.tr("&Columns…"), lambda: self.choose_columns(None))
        self.plan_visit_action = make_action(self, self.tr("&Plan a visit…"),
                                             lambda: self._for_current(self.plan_visit_requested), name="planVisitFor")
        self.log_visit_action = make_action(self, self.tr("&Log a visit…"),
                                            lambda: self._for_current(self.log_visit_requested), name="logVisitFor")
        self.log_complaint_action = make_action(self, self.tr("Log a &complaint…"),
                                                lambda: self._for_current(self.log_complaint_requested),
                                                name="logComplaintFor")
        self.profile.plan_visit.connect(self.plan_visit_requested)
        self.profile.log_visit.connect(self.log_visit_requested)
        self.profile.log_complaint.connect(self.log_complaint_requested)
        self.profile.open_complaint.connect(self.open_complaint_requested)
        self.profile.plan_care.connect(self.plan_care_requested)
        self.profile.open_care.connect(self.open_care_requested)
        self.profile.changed.connect(lambda changes: self.bus.publish(*changes))
        merge_actions.add_merge_action(self)  # issue 21: Merge selected customers…
        self.addAction(self.delete_action)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for action in (self.new_action, self.edit_action, self.delete_action, self.restore_action, self.merge_action,
                       self.plan_visit_action, self.log_visit_action, self.log_complaint_action):
            self.view.addAction(action)

    def _for_current(self, signal) -> None:
        customer_id = self.current_id()
        if customer_id is not None and not self.trash_button.isChecked():
            signal.emit(customer_id)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def new_customer(self) -> CustomerDialog:
        """Open the form for a new customer (window-modal); selects it once saved."""
        return self._open_dialog(None)

    def edit_current(self) -> Optional[CustomerDialog]:
        customer_id = self.current_id()
        if customer_id is None or self.trash_button.isChecked():
            return None
        try:
            customers.get(customer_id)
        except CrmError as error:  # deleted in another window or by the command line
            show_error(self, error)
            return None
        return self._open_dialog(customer_id)

    def show_saved(self, customer_id: int) -> None:
        """Select a customer just saved; in a long list its row may arrive with the rest."""
        if not self.select_id(customer_id):
            self._keep_id = customer_id

    def _open_dialog(self, customer_id: Optional[int]) -> CustomerDialog:
        dialog = CustomerDialog(self.bus, customer_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: dialog.saved_id and self.show_saved(dialog.saved_id))
        dialog.open_customer.connect(self._open_dialog)
        dialog.merge_into.connect(lambda keep, other: self.merge_customers([keep, other]))
        self.dialog = dialog
        dialog.open()
        return dialog

    def merge_customers(self, ids: list[int]):
        """The side-by-side merge of ``ids`` (the first kept unless the user chooses another)."""
        return merge_actions.open_merge(self, ids)

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return [self.model.id_at(row) for row in rows if self.model.id_at(row) is not None]

    def shown_list(self) -> tuple[ListQuery, Optional[list[int]]]:
        """The list as shown, for an export: its query, and its ids in the order shown
        once they are all known (else None: the query finds them again, in that order)."""
        model = self.model
        if not model.complete:
            return model.query, None
        return model.query, [model.id_at(row) for row in range(model.rowCount())]

    def shown_count(self) -> int:
        return self.model.rowCount() if self.model.complete else customer_list.count(self.model.query)

    def current_id(self) -> Optional[int]:
        index = self.view.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else None

    def delete_selected(self) -> None:
        if self.trash_button.isChecked():
            return
        ids = self.selected_ids() or ([self.current_id()] if self.current_id() else [])
        if not ids:
            return
        text = self.tr("Delete customers: %n", "", len(ids))
        try:
            self.bus.publish(customers.delete(ids))  # first, so a failure stays off the undo stack
        except CrmError as error:
            show_error(self, error)
            return
        self.undo_stack.push(DeleteCommand(self.bus, ids, text, done=True, keep=follow(self, "customers_tab", "keep_selected")))
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(
                self.tr("Deleted customers: %n. Ctrl+Z brings them back, or find them in the trash.", "", len(ids)), 8000)

    def restore_selected(self) -> None:
        ids = self.selected_ids()
        if ids and self.trash_button.isChecked():
            self.bus.publish(customers.restore(ids))

    # ------------------------------------------------------------ list state
    def apply_search(self) -> None:
        self.search_timer.stop()
        query = self.model.query
        if query.search != self.search.text():
            self._set_query(replace(query, search=self.search.text()))

    def _filter_changed(self, key: str) -> None:
        if getattr(self, "_reloading_filters", False):
            return
        value = self.filters[key].currentData()
        self._set_query(self.model.query.with_filter(key, value))

    def show_trash(self, on: bool) -> None:
        self._set_query(replace(self.model.query, deleted=on))
        self.restore_action.setEnabled(on)

    def _set_query(self, query: ListQuery) -> None:
        self.model.set_query(query)
        self.custom_filter.show_active(dict(query.filters))

    # The model resets for every new query (search, filter, sort, trash, a change):
    # keep the selected customer selected when it is still in the list.
    def keep_selected(self, customer_id: int) -> None:
        """Select this customer (and scroll to it) once the list has it again (an undone delete)."""
        self._keep_id = customer_id

    def _remember_current(self) -> None:
        if self._keep_id is None:
            self._keep_id = self.current_id()

    def _restore_current(self) -> None:
        if self._keep_id is not None and self.select_id(self._keep_id):
            self._keep_id = None
        elif self.model.rowCount():
            self.view.selectionModel().setCurrentIndex(
                self.model.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
        else:
            self.profile.show_customer(None)
        if self.model.complete:
            self._keep_id = None
        self.update_count()

    def _on_loaded(self) -> None:
        if self._keep_id is not None:
            self.select_id(self._keep_id)
        self._keep_id = None
        self.update_count()

    def update_count(self) -> None:
        shown = self.model.rowCount()
        locale = QLocale()
        total = customers.count()
        self.list_stack.show_state(total, shown, self.model.complete, self.model.query.deleted)
        if not self.model.complete:
            self.count_label.setText(self.tr("Searching…"))
        elif self.model.query.deleted:
            self.count_label.setText(self.tr("In the trash: %n", "", shown))
        else:
            if shown == total:
                self.count_label.setText(self.tr("Customers: %n", "", total))
            else:
                self.count_label.setText(self.tr("Shown: {shown} of {total}").format(
                    shown=locale.toString(shown), total=locale.toString(total)))
        self.count_changed.emit()

    def select_id(self, customer_id: int) -> bool:
        row = self.model.row_of(customer_id)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index)
        return True

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.profile.show_customer(self.model.id_at(current.row()) if current.isValid() else None)

    def reload_filters(self) -> None:
        self._reloading_filters = True
        try:
            for key, combo in self.filters.items():
                selected = combo.currentData()
                combo.clear()
                combo.addItem(self._filter_all_text(key), None)
                if key in ("tier", "stage", "relationship"):
                    for value, label in choices(key):
                        combo.addItem(label, value)
                else:
                    for value in customer_list.distinct_values(key):
                        combo.addItem(value, value)
                index = combo.findData(selected)
                combo.setCurrentIndex(max(index, 0))
            self.filters["team"].setVisible(self.filters["team"].count() > 1)  # no teams: as before issue 20
            self.custom_filter.refresh()
        finally:
            self._reloading_filters = False

    def _filter_all_text(self, key: str) -> str:
        return {"tier": self.tr("All tiers"), "stage": self.tr("All stages"),
                "relationship": self.tr("All relationships"), "owner": self.tr("All owners"), "team": self.tr("All teams"),
                "city": self.tr("All cities"), "tag": self.tr("All tags")}[key]

    def on_changes(self, changes: Changes) -> None:
        if changes.entity not in ("customer", "contact", "transaction", "visit", "complaint", "*"):
            return
        if changes.entity in ("customer", "*"):
            if changes.kind == "reset":  # custom fields may have gone: their columns and filters too
                self._drop_removed_fields()
            self.model.apply_changes(changes)
            if changes.kind != "updated":
                self.reload_filters()
                self.update_count()
        if self.profile.customer_id is not None and (
                changes.entity != "customer" or self.profile.customer_id in changes.ids or changes.kind == "reset"):
            self.profile.refresh()

    def _drop_removed_fields(self) -> None:
        available = set(available_columns())
        keys = [k for k in self.model.keys if k in available]
        if keys != self.model.keys:
            self.model.set_keys(keys)
        query = self.model.query
        gone = [k for k, _v in query.filters if k.startswith("cf:") and k not in available]
        for key in gone:
            query = query.with_filter(key, None)
        if gone:
            self._set_query(query)

    # ------------------------------------------------------------ columns
    def _saved_columns(self) -> list[str]:
        saved = prefs.settings().value("customers/columns")
        valid = [k for k in (saved or []) if k in available_columns()] if isinstance(saved, list) else []
        return valid or customer_list.default_columns()

    def choose_columns(self, position=None) -> None:
        menu = QMenu(self)
        for key in available_columns():
            if key == "deleted_at":
                continue
            action = menu.addAction(self.source.header(key))
            action.setCheckable(True)
            action.setChecked(key in self.model.keys)
            action.setData(key)
            action.setEnabled(key != "name")
            action.toggled.connect(lambda on, k=key: self.set_column(k, on))
        point = self.view.horizontalHeader().mapToGlobal(position) if position is not None else self.mapToGlobal(self.rect().center())
        menu.popup(point)
        self._column_menu = menu

    def set_column(self, key: str, visible: bool) -> None:
        keys = self.model.keys
        if visible and key not in keys:
            order = available_columns()
            keys = sorted(keys + [key], key=order.index)
        elif not visible and key in keys and key != "name":
            keys.remove(key)
        self.model.set_keys(keys)
        prefs.settings().setValue("customers/columns", keys)

    def save_state(self) -> None:
        store = prefs.settings()
        store.setValue("customers/splitter", self.splitter.saveState())
        store.setValue("customers/columns", self.model.keys)

    def restore_state(self) -> None:
        state = prefs.settings().value("customers/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        else:
            self.splitter.setSizes([780, 480])
