"""Why two customers look like one, as people read it ("same phone、same name")."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def reason_text(reason: str) -> str:
    texts = {"tax_id": QCoreApplication.translate("Duplicates", "same tax id"),
             "email": QCoreApplication.translate("Duplicates", "same e-mail"),
             "phone": QCoreApplication.translate("Duplicates", "same phone"),
             "code": QCoreApplication.translate("Duplicates", "same customer number"),
             "name": QCoreApplication.translate("Duplicates", "same name"),
             "pinyin": QCoreApplication.translate("Duplicates", "same pinyin"),
             "similar_name": QCoreApplication.translate("Duplicates", "similar name in the same city")}
    return texts.get(reason, reason)


def reasons_text(reasons) -> str:
    """"same phone, same name" (in Chinese with 、)."""
    return QCoreApplication.translate("Duplicates", ", ").join(reason_text(r) for r in reasons)
