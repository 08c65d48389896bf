"""Turning errors into what the user sees: one translated sentence for a ``CrmError``,
a dialog with the traceback to copy for anything else (a bug), logged either way."""
from __future__ import annotations

import logging
import traceback

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from crmdesk.core.errors import CrmError
from crmdesk.core.safety.oserrors import disk_full_error
from crmdesk.ui import damaged_dialog
from crmdesk.ui.messages import error_text, warn

log = logging.getLogger("crmdesk")
__all__ = ["error_text", "show_bug", "show_error"]  # error_text is ui.messages', which the views read here


def show_error(parent: QWidget | None, error: CrmError) -> None:
    if error.code in damaged_dialog.DAMAGED_CODES:  # name the good backup, offer to restore it
        damaged_dialog.offer_restore(parent, error)
        return
    warn(parent, error)


def show_bug(parent: QWidget | None, exc: BaseException) -> None:
    """An unexpected failure: say so plainly, offer the details to copy. Two failures are
    no bugs: SQLite's first "malformed" is a damaged database (the dialog that offers its
    backup), and a full disk gets its one sentence."""
    from crmdesk.core import db as dbmod
    from crmdesk.core.safety import damage
    if damage.is_database_damage(exc) and dbmod.current_path() is not None:
        show_error(parent, damage.damaged_error(dbmod.current_path()))
        return
    full = disk_full_error(exc)
    if full is not None:
        log.warning("the disk is full: %r", exc)
        show_error(parent, full)
        return
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    log.error("unexpected failure\n%s", details)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(QCoreApplication.translate("Errors", "crmdesk"))
    box.setText(QCoreApplication.translate(
        "Errors", "Something unexpected went wrong; your data is as it was before. "
                  "Please send the details below to support."))
    box.setDetailedText(details)
    box.exec()
