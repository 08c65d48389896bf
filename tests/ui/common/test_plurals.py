"""Counts are plural-aware: in English "1 customer" and "2 customers" (crmdesk_en.qm, made
by update.sh with lupdate -pluralonly), in Chinese the one numerus form; the same for the
command line's translate(..., n), which reads the .ts files."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QCoreApplication

from crmdesk import i18n
from crmdesk.paths import resources_dir
from crmdesk.ui.app import install_translations
from crmdesk.ui.care.reminder import CareReminder
from crmdesk.ui.analytics.tab import AnalyticsTab
from crmdesk.ui.complaints.tab import ComplaintsTab
from crmdesk.ui.complaints.escalation_list import EscalationList

EN_TS = resources_dir() / "translations" / "crmdesk_en.ts"


@pytest.fixture
def language(qapp):
    """Install the translations of a language; put English back afterwards."""
    def install(name: str) -> None:
        install_translations(qapp, name)
    yield install
    install_translations(qapp, "en")


def tr(context: str, text: str, n: int) -> str:
    return QCoreApplication.translate(context, text, "", n)


@pytest.mark.parametrize(("cls", "text", "one", "two"), [
    (AnalyticsTab, "%n customer(s)", "1 customer", "2 customers"),
    (AnalyticsTab, "%n customer's(customers') tier or relationship changed. Ctrl+Z takes it back.",
     "1 customer's tier or relationship changed. Ctrl+Z takes it back.",
     "2 customers' tier or relationship changed. Ctrl+Z takes it back."),
    (ComplaintsTab, "%n complaint(s)", "1 complaint", "2 complaints"),
    (EscalationList, "%n complaint(s) is(are) late", "1 complaint is late", "2 complaints are late"),
    (CareReminder, "%n care reminder(s) due today", "1 care reminder due today", "2 care reminders due today"),
])
def test_english_ui_strings_say_one_and_many(qapp, language, cls, text, one, two):
    language("en")
    assert tr(cls.__name__, text, 1) == one
    assert tr(cls.__name__, text, 2) == two


def test_the_analytics_status_in_the_window(qtbot, window, language):
    language("en")
    tab = window.analytics_tab
    assert tab.tr("%n customer(s)", "", 1) == "1 customer"
    assert tab.tr("At risk: %n customer(s), the most signs first.", "", 1) == "At risk: 1 customer, the most signs first."


def test_chinese_uses_its_one_form(qapp, language):
    language("zh_CN")
    assert tr("CareReminder", "%n overdue", 1) == "1 条已逾期"
    assert tr("CareReminder", "%n overdue", 7) == "7 条已逾期"


def test_the_english_file_has_two_forms_for_every_plural_and_no_unfinished_one():
    messages = [m for m in ET.parse(EN_TS).getroot().iter("message") if m.get("numerus") == "yes"]
    assert len(messages) > 40
    for message in messages:
        translation = message.find("translation")
        forms = [f.text for f in translation.iter("numerusform")]
        assert translation.get("type") is None and len(forms) == 2 and all(forms), message.findtext("source")
        assert "(s)" not in "".join(forms), message.findtext("source")


@pytest.mark.parametrize(("language", "n", "said"), [
    ("en", 1, "Exported 1 customer to x.xlsx."), ("en", 2, "Exported 2 customers to x.xlsx."),
])
def test_the_command_lines_translate_takes_a_count(language, n, said):
    i18n.set_language(language)
    try:
        assert i18n.translate("Cli", "Exported %n customer(s) to {path}.", "", n).format(path="x.xlsx") == said
    finally:
        i18n.set_language(None)


def test_the_command_line_reads_chinese_numerus_forms():
    i18n.set_language("zh_CN")
    try:
        assert i18n.translate("CareReminder", "%n overdue", "", 3) == "3 条已逾期"
        assert i18n.translate("Cli", "no such text %n thing(s)", "", 3) == "no such text 3 things"  # untranslated: the source's plural
    finally:
        i18n.set_language(None)


def test_english_forms_rules():
    assert i18n.english_forms("%n match(es) for %n entry(ies); it(they) was(were)") == (
        "%n match for %n entry; it was", "%n matches for %n entries; they were")


def test_module_level_counts_get_english_forms_and_the_chinese_translation(qapp, language):
    from crmdesk.ui.common.plural import ntr
    language("en")
    assert ntr("AnalyticsPages", "Lost: %n customer(s).", 1) == "Lost: 1 customer."
    assert ntr("AnalyticsPages", "Lost: %n customer(s).", 3) == "Lost: 3 customers."
    language("zh_CN")
    assert ntr("CareReminder", "%n overdue", 2) == "2 条已逾期"
