"""The app's language: the one the user chose (Settings) or the system's, and Qt's and
crmdesk's translations for it installed (again, when the user switches: the window follows
through Qt's LanguageChange)."""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from crmdesk import i18n, paths
from crmdesk.i18n import system_language
from crmdesk.ui import prefs

_translators: list[QTranslator] = []


def chosen_language() -> str:
    choice = prefs.language()
    return choice if choice in ("zh_CN", "en") else system_language()


def install_translations(app: QApplication, language: Optional[str] = None) -> str:
    """Load crmdesk's and Qt's own translations for ``language``; returns it."""
    language = language or chosen_language()
    i18n.set_language(language)  # the core's sentences (crmdesk.i18n.translate) follow too
    for translator in _translators:
        app.removeTranslator(translator)
    _translators.clear()
    if language == "zh_CN":
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        ours = QTranslator(app)
        if ours.load(str(paths.resources_dir() / "translations" / "crmdesk_zh_CN.qm")):
            app.installTranslator(ours)
            _translators.append(ours)
        qt = QTranslator(app)
        if qt.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt)
            _translators.append(qt)
    else:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        plurals = QTranslator(app)  # English needs only its plural forms: "1 customer", "2 customers"
        if plurals.load(str(paths.resources_dir() / "translations" / "crmdesk_en.qm")):
            app.installTranslator(plurals)
            _translators.append(plurals)
    return language
