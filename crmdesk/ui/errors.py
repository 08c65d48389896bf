"""Turning errors into what the user sees: one translated sentence for a ``CrmError``,
a dialog with the traceback to copy for anything else (a bug), logged either way."""
from __future__ import annotations

import logging
import traceback

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from crmdesk.core.errors import CrmError
from crmdesk.core.messages import message
from crmdesk.core.safety.oserrors import disk_full_error

log = logging.getLogger("crmdesk")


def _translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def error_text(error: CrmError) -> str:
    return message(disk_full_error(error) or error, _translate)


def show_error(parent: QWidget | None, error: CrmError) -> None:
    title = QCoreApplication.translate("Errors", "crmdesk")
    QMessageBox.warning(parent, title, error_text(error))


def show_bug(parent: QWidget | None, exc: BaseException) -> None:
    """An unexpected failure: say so plainly, offer the details to copy. A full disk is
    not a bug: its one sentence instead."""
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
