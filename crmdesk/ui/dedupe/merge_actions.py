"""The customer list's "Merge selected customers…" (issue 21): two or more customers selected,
the side-by-side merge opens with the first kept. Also how the form's "Merge into it" and
Edit ▸ Find duplicates open it."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt

from crmdesk.ui.actions import make_action
from crmdesk.ui.errors import show_bug


def add_merge_action(tab) -> None:
    """``tab.merge_action``, enabled while two or more customers are selected outside the trash."""
    tab.merge_dialog = None
    tab.merge_action = make_action(tab, QCoreApplication.translate("Duplicates", "&Merge selected customers…"),
                                   lambda: open_merge(tab, tab.selected_ids()), name="mergeCustomers")

    def update(*_args) -> None:
        tab.merge_action.setEnabled(len(tab.selected_ids()) >= 2 and not tab.trash_button.isChecked())

    tab.view.selectionModel().selectionChanged.connect(update)
    tab.model.modelReset.connect(update)
    tab.trash_button.toggled.connect(update)
    update()


def open_merge(tab, ids: list[int]):
    """The merge dialog for ``ids``, or None for fewer than two."""
    from crmdesk.ui.dedupe.merge_dialog import MergeDialog  # and the merge's services: not at start-up
    ids = list(dict.fromkeys(ids))
    if len(ids) < 2:
        return None
    try:
        dialog = MergeDialog(tab.bus, ids, tab, tab.undo_stack)
    except Exception as error:  # noqa: BLE001 - a customer gone meanwhile, or a bug: said, nothing done
        show_bug(tab, error)
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    tab.merge_dialog = dialog
    dialog.open()
    return dialog
