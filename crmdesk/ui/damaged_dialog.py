"""The dialog for a damaged database (issue 17): it names the newest good automatic backup
and offers to restore it; the restore keeps a raw copy of the damaged file first."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from crmdesk.core import db as dbmod
from crmdesk.core.errors import CrmError
from crmdesk.core.safety import damage
from crmdesk.ui.messages import warn

DAMAGED_CODES = (damage.DAMAGED_BACKUP, damage.DAMAGED_NO_BACKUP)


def build(parent: Optional[QWidget], error: CrmError) -> tuple[QMessageBox, object]:
    """The message box and its restore button (None when there is no good backup)."""
    box = QMessageBox(parent)
    box.setObjectName("damagedDatabaseDialog")
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(QCoreApplication.translate("Damaged", "Damaged database"))
    path = error.params.get("path", "")
    if error.code == damage.DAMAGED_BACKUP:
        box.setText(QCoreApplication.translate("Damaged", "{path} is damaged; nothing was written to it. Restore its newest good automatic "
                        "backup, {backup}? A raw copy of the damaged file is kept.")
                    .format(path=path, backup=error.params["backup"]))
        restore = box.addButton(QCoreApplication.translate("Damaged", "Restore this backup"), QMessageBox.ButtonRole.AcceptRole)
        restore.setObjectName("restoreBackupButton")
        box.addButton(QCoreApplication.translate("Damaged", "Not now"), QMessageBox.ButtonRole.RejectRole)
        return box, restore
    box.setText(QCoreApplication.translate("Damaged", "{path} is damaged; nothing was written to it. There is no good automatic backup of it: "
                    "use File ▸ Restore from backup with a backup of your own.").format(path=path))
    box.addButton(QMessageBox.StandardButton.Ok)
    return box, None


def offer_restore(parent: Optional[QWidget], error: CrmError) -> bool:
    """Show the dialog; True when the user chose to restore and the restore worked. The
    database is closed first (the file of a damaged database is replaced) and opened again
    on the restored file if it was the open one."""
    from crmdesk.core.safety import restoring
    box, restore = build(parent, error)
    box.exec()
    if restore is None or box.clickedButton() is not restore:
        return False
    path, source = Path(error.params["path"]), Path(error.params["backup"])
    current = dbmod.current_path()
    was_open = current is not None and str(current) != ":memory:" and current.resolve() == path.resolve()
    dbmod.close_database()
    try:
        restoring.restore(source, path)
        if was_open:
            dbmod.open_database(path)
    except CrmError as failure:
        warn(parent, failure)  # a restore's own failure (no backup to offer for it)
        return False
    window = parent.window() if parent is not None else None
    if window is not None and hasattr(window, "data_restored"):
        window.data_restored()
    return True
