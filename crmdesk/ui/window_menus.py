"""The main window's menus. File, Edit, View and Help are made with the window; the Visits,
Complaints and Care menus list their tab's actions, so they are filled when that tab is
built (opening the menu builds it). Made again when the language changes."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from crmdesk.ui.actions import make_action

translate = QCoreApplication.translate  # lupdate reads the context from each call


def add_all(menu: QMenu, actions) -> None:
    for action in actions:
        menu.addSeparator() if action is None else menu.addAction(action)


def make_menus(w) -> None:
    """Every menu of the window ``w`` (a MainWindow), in the menu bar's order."""
    w.menuBar().clear()
    for old in getattr(w, "menu_owned", []):  # made again: no two actions of the same name
        old.deleteLater()
    before = set(w.findChildren(QAction))
    tab = w.customers_tab
    file_menu = w.menuBar().addMenu(translate("MainWindow", "&File"))
    w.new_db_action = make_action(w, translate("MainWindow", "New &database…"), w.new_database, name="newDatabase")
    w.open_db_action = make_action(w, translate("MainWindow", "&Open database…"), w.open_database_dialog,
                                   QKeySequence.StandardKey.Open, "openDatabase")
    w.backup_action = make_action(w, translate("MainWindow", "&Back up…"), w.backup_dialog, name="backupDatabase")
    w.restore_action = make_action(w, translate("MainWindow", "&Restore from backup…"), w.restore_dialog, name="restoreDatabase")
    w.settings_action = make_action(w, translate("MainWindow", "&Settings…"), w.settings_dialog,
                                    QKeySequence.StandardKey.Preferences, "settings")
    w.custom_fields_action = make_action(w, translate("MainWindow", "Customer &fields…"), lambda: w.custom_fields(),
                                         name="customFields")  # issue 21
    w.quit_action = make_action(w, translate("MainWindow", "&Quit"), w.close, QKeySequence.StandardKey.Quit, "quit")
    w.import_action = make_action(w, translate("MainWindow", "&Import customers…"), lambda: w.import_customers(), name="importCustomers")
    w.import_transactions_action = make_action(w, translate("MainWindow", "Import &transactions…"), lambda: w.import_transactions(),
                                               name="importTransactions")
    w.import_products_action = make_action(w, translate("MainWindow", "Import &products…"), lambda: w.import_products(),
                                           name="importProducts")  # issue 19
    w.undo_import_action = make_action(w, translate("MainWindow", "Undo &import…"), lambda: w.undo_last_import(), name="undoImport")
    w.import_history_action = make_action(w, translate("MainWindow", "Import &history…"), lambda: w.import_history(),
                                          name="importHistory")
    w.export_action = make_action(w, translate("MainWindow", "&Export customers…"), lambda: w.export_dialog(), name="exportCustomers")
    w.export_vcard_action = make_action(w, translate("MainWindow", "Export contacts for &phones (vCard)…"),
                                        lambda: w.export_vcard(), name="exportVcard")  # issue 21
    w.team_menu = w.team.fill_menu(file_menu)  # File ▸ Team (issue 20)
    add_all(file_menu, (w.new_db_action, w.open_db_action, None, w.import_action, w.import_transactions_action,
                        w.import_products_action, w.export_action, w.export_vcard_action, None, w.team_menu.menuAction(), None,
                        w.backup_action, w.restore_action, None, w.settings_action, w.custom_fields_action, None, w.quit_action))

    edit_menu = w.menuBar().addMenu(translate("MainWindow", "&Edit"))
    w.undo_action = w.undo_stack.createUndoAction(w, translate("MainWindow", "&Undo"))
    w.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
    w.redo_action = w.undo_stack.createRedoAction(w, translate("MainWindow", "&Redo"))
    w.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
    w.duplicates_action = make_action(w, translate("MainWindow", "Find &duplicates…"), lambda: w.find_duplicates(),
                                      name="findDuplicates")  # issue 21
    add_all(edit_menu, (w.undo_action, w.redo_action, w.undo_import_action, w.import_history_action, None,
                        tab.new_action, tab.edit_action, tab.delete_action, tab.restore_action, None,
                        w.duplicates_action, tab.merge_action, None, tab.find_action))

    view_menu = w.menuBar().addMenu(translate("MainWindow", "&View"))
    w.trash_action = QAction(translate("MainWindow", "&Trash"), w)
    w.trash_action.setCheckable(True)
    w.trash_action.setChecked(tab.trash_button.isChecked())
    w.trash_action.toggled.connect(tab.trash_button.setChecked)
    tab.trash_button.toggled.connect(w.trash_action.setChecked)
    view_menu.addAction(w.trash_action)
    view_menu.addAction(tab.columns_action)

    w.visits_menu = w.menuBar().addMenu(translate("MainWindow", "V&isits"))
    w.visit_settings_action = make_action(w, translate("MainWindow", "Visit &frequencies…"), w.visit_settings, name="visitFrequencies")
    w.export_visits_action = make_action(w, translate("MainWindow", "&Export visits…"), lambda: w.export_visits(), name="exportVisits")
    w.export_calendar_action = make_action(w, translate("MainWindow", "Export to a &calendar (.ics)…"),
                                           lambda: w.export_calendar(), name="exportCalendar")  # issue 21
    w.complaints_menu = w.menuBar().addMenu(translate("MainWindow", "Com&plaints"))
    w.export_complaints_action = make_action(w, translate("MainWindow", "&Export complaints…"), lambda: w.export_complaints(),
                                             name="exportComplaints")
    w.complaint_settings_action = make_action(w, translate("MainWindow", "&Settings…"), w.complaint_settings, name="complaintSettings")
    w.care_menu = w.menuBar().addMenu(translate("MainWindow", "Ca&re"))
    w.export_care_action = make_action(w, translate("MainWindow", "E&xport care history…"), lambda: w.export_care(), name="exportCare")
    w.care_settings_action = make_action(w, translate("MainWindow", "&Settings…"), lambda: w.care_tab.open_settings(),
                                         name="careSettings")
    w.sales_menu = w.menuBar().addMenu(translate("MainWindow", "&Sales"))
    for key, menu in (("visits", w.visits_menu), ("complaints", w.complaints_menu), ("care", w.care_menu),
                      ("sales", w.sales_menu)):
        menu.aboutToShow.connect(lambda k=key: w.lazy.get(k))  # builds the tab, which fills the menu
        if w.lazy.is_built(key):
            fill_tab_menu(w, key)
        else:
            menu.addAction(QAction(translate("MainWindow", "Loading…"), menu))  # a menu with nothing in it would not open

    help_menu = w.menuBar().addMenu(translate("MainWindow", "&Help"))
    help_menu.addAction(make_action(w, translate("MainWindow", "&About crmdesk"), w.about, name="about"))
    w.menu_owned = [a for a in w.findChildren(QAction) if a not in before and a.parent() is w]


def fill_tab_menu(w, key: str) -> None:
    """The Visits, Complaints or Care menu, once its tab is built."""
    if key == "visits":
        vt = w.visits_tab
        menu, actions = w.visits_menu, (vt.plan_action, vt.record_action, vt.edit_action, vt.postpone_action,
                                        vt.cancel_action, vt.missed_action, vt.delete_action, None,
                                        vt.day_plan_action, w.export_visits_action, w.export_calendar_action, None,
                                        w.visit_settings_action)
    elif key == "complaints":
        menu, actions = w.complaints_menu, (*w.complaints_tab.menu_actions(), None, w.export_complaints_action, None,
                                            w.complaint_settings_action)
    elif key == "care":
        menu, actions = w.care_menu, (*w.care_tab.menu_actions(), w.export_care_action, None,
                                      w.care_settings_action)
    elif key == "sales":
        menu, actions = w.sales_menu, w.sales_tab.menu_actions()
    else:
        return
    menu.clear()
    add_all(menu, actions)
