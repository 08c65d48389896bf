"""The one translated sentence a user sees for a ``CrmError`` (``core.messages`` in the
UI's language, a full disk named as such) and the plain box that shows it. ``errors``
decides which box an error gets; the damaged-database dialog shows its own failures here."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from crmdesk.core.errors import CrmError
from crmdesk.core.messages import message
from crmdesk.core.safety.oserrors import disk_full_error


def _translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def error_text(error: CrmError) -> str:
    return message(disk_full_error(error) or error, _translate)


def warn(parent: QWidget | None, error: CrmError) -> None:
    """The sentence in a warning box."""
    QMessageBox.warning(parent, QCoreApplication.translate("Errors", "crmdesk"), error_text(error))
