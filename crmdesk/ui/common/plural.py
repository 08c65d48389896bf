"""Counts in module-level functions (no ``self.tr``): ``plural.translate("Analytics", "%n open
complaint(s)", "", n)`` (named ``translate`` so that lupdate collects the string). lupdate marks plural forms only in ``self.tr(text, "", n)``, so such a
string reaches the .ts as a plain one: Chinese translates it once (``%n`` is still filled
in by Qt), and English, which has no plain translations, gets its two forms from the source
("complaint(s)" → "complaint" / "complaints", ``crmdesk.i18n.english_forms``)."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale

from crmdesk.i18n import english_forms


def translate(context: str, text: str, disambiguation: str = "", n: int = -1) -> str:
    """``QCoreApplication.translate`` with English plural forms for a count ``n``."""
    return ntr(context, text, n) if n >= 0 else QCoreApplication.translate(context, text, disambiguation or None)


def ntr(context: str, text: str, n: int) -> str:
    """``%Ln`` is the count grouped as the locale writes it ("50,000"), ``%n`` as it is."""
    said = QCoreApplication.translate(context, text, "", n)
    if said == _filled(text, n):  # not translated: the English source's own form
        said = _filled(english_forms(text)[0 if n == 1 else 1], n)
    return said


def _filled(text: str, n: int) -> str:
    return text.replace("%Ln", QLocale().toString(n)).replace("%n", str(n))
