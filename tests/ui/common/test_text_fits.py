"""No visible label, button, tab or column header of the main window and the main dialogs
cuts its text, at 1366×768 and 1920×1080, in English and in Chinese, on a demo-like
database. The walk goes over the widget tree, so panels added later are covered too.
Cells are out of scope, and so are labels that elide on purpose and show the whole text
as a tooltip (property ``elidesWithTooltip``)."""
from __future__ import annotations

import os

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (QAbstractButton, QApplication, QHeaderView, QLabel, QStyle, QStyleOptionButton,
                               QTabBar, QToolButton, QWidget)

from crmdesk.core.changes import Changes
from crmdesk.core import demo

SIZES = [(1366, 768), (1920, 1080)]
LANGUAGES = ["en", "zh_CN"]
SLACK = 1  # pixels of rounding


def _visible(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0 and not widget.visibleRegion().isEmpty()


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _label_problem(label: QLabel) -> str | None:
    if label.property("elidesWithTooltip") or label.wordWrap() or not label.text() or label.pixmap() and \
            not label.pixmap().isNull():
        return None
    if label.textFormat().name == "RichText" or ("<" in label.text() and label.textFormat().name != "PlainText"):
        return None  # rich text wraps or is laid out by a document
    fm = label.fontMetrics()
    text = _plain(label.text()) if label.buddy() is not None else label.text()
    need = max(fm.horizontalAdvance(line) for line in text.split("\n")) + 2 * label.margin() + 2 * label.indent() \
        if label.indent() > 0 else max(fm.horizontalAdvance(line) for line in text.split("\n")) + 2 * label.margin()
    have = label.contentsRect().width()
    return f"needs {need}px, has {have}px" if need > have + SLACK else None


def _button_problem(button: QAbstractButton) -> str | None:
    text = _plain(button.text())
    if not text:
        return None
    fm = button.fontMetrics()
    need = fm.horizontalAdvance(text)
    if isinstance(button, QToolButton):
        have = button.contentsRect().width() - 6
        if not button.icon().isNull() and button.toolButtonStyle().name != "ToolButtonTextOnly":
            return None  # icon-led tool buttons show their text as a tooltip
    else:
        opt = QStyleOptionButton()
        opt.initFrom(button)
        style = button.style()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_ButtonMargin, opt, button)
        have = button.width() - margin
        if not button.icon().isNull():
            have -= button.iconSize().width() + 4
        if hasattr(button, "isCheckable") and button.metaObject().className() in ("QCheckBox", "QRadioButton"):
            indicator = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, opt, button)
            spacing = style.pixelMetric(QStyle.PixelMetric.PM_CheckBoxLabelSpacing, opt, button)
            have = button.width() - indicator - spacing
    return f"needs {need}px, has {have}px" if need > have + SLACK else None


def _tab_problems(bar: QTabBar) -> list[tuple[str, str]]:
    found = []
    if bar.usesScrollButtons():
        shown = [bar.tabRect(i) for i in range(bar.count()) if bar.isTabVisible(i)]
        if shown and (min(r.left() for r in shown) < 0 or max(r.right() for r in shown) > bar.width()):
            found.append((", ".join(bar.tabText(i) for i in range(bar.count())),
                         "tabs behind scroll arrows"))
    fm = bar.fontMetrics()
    for i in range(bar.count()):
        if not bar.isTabVisible(i):
            continue
        text = _plain(bar.tabText(i))
        need = fm.horizontalAdvance(text)
        have = bar.tabRect(i).width() - (bar.iconSize().width() if not bar.tabIcon(i).isNull() else 0) - 8
        button = bar.tabButton(i, QTabBar.ButtonPosition.RightSide)
        if button is not None:
            have -= button.width()
        if need > have + SLACK:
            found.append((text, f"needs {need}px, tab has {have}px"))
    return found


def _header_problems(header: QHeaderView) -> list[tuple[str, str]]:
    found = []
    model = header.model()
    if model is None:
        return found
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        text = model.headerData(section, header.orientation())
        if not text:
            continue
        need = header.sectionSizeFromContents(section).width() if header.orientation().name == "Horizontal" \
            else header.fontMetrics().horizontalAdvance(str(text))
        have = header.sectionSize(section) if header.orientation().name == "Horizontal" else header.width()
        if need > have + SLACK:
            found.append((str(text), f"needs {need}px, has {have}px"))
    return found


def cut_texts(root: QWidget) -> list[str]:
    """Every visible text under ``root`` that does not fit: 'class objectName "text": why'."""
    problems = []
    for widget in [root] + root.findChildren(QWidget):
        if not _visible(widget):
            continue
        name = f"{type(widget).__name__} {widget.objectName() or '-'}"
        if isinstance(widget, QLabel):
            why = _label_problem(widget)
            if why:
                problems.append(f'{name} "{widget.text()}": {why}')
        elif isinstance(widget, QAbstractButton):
            why = _button_problem(widget)
            if why:
                problems.append(f'{name} "{widget.text()}": {why}')
        elif isinstance(widget, QTabBar):
            problems += [f'{name} "{text}": {why}' for text, why in _tab_problems(widget)]
        elif isinstance(widget, QHeaderView) and widget.orientation().name == "Horizontal":
            owner = widget.parentWidget()
            problems += [f'{name} of {owner.objectName() or type(owner).__name__} "{text}": {why}'
                         for text, why in _header_problems(widget)]
    return problems


@pytest.fixture
def language(request, monkeypatch):
    """Install the translators as the app does; afterwards back to English."""
    from crmdesk.ui import app as app_module, translations
    chosen = request.param
    monkeypatch.setattr(translations, "chosen_language", lambda: chosen)
    qapp = app_module.make_app()
    app_module.install_translations(qapp, chosen)
    yield chosen
    app_module.install_translations(qapp, "en")


@pytest.fixture
def demo_window(language, window, qtbot):
    demo.generate(300, visits=True)
    window.bus.publish(Changes.reset())
    qtbot.wait(10)
    return window


def _show_at(qtbot, window, size) -> None:
    window.resize(QSize(*size))
    window.move(0, 0)
    qtbot.wait(20)
    QApplication.processEvents()


def _every_tab(qtbot, window):
    tabs = window.findChild(QWidget, "mainTabs") or window.centralWidget()
    count = tabs.count() if hasattr(tabs, "count") else 1
    for index in range(count):
        if hasattr(tabs, "setCurrentIndex"):
            tabs.setCurrentIndex(index)
        qtbot.wait(10)
        QApplication.processEvents()
        yield tabs.tabText(index) if hasattr(tabs, "tabText") else ""


def _shot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("CRMDESK_SHOTS")
    if folder:
        widget.grab().save(os.path.join(folder, name + ".png"))


def test_the_cjk_font_is_there(qapp):
    families = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    assert any("CJK" in f for f in families), families


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("language", LANGUAGES, indirect=True)
def test_no_text_is_cut_in_the_main_window(demo_window, qtbot, size, language):
    window = demo_window
    _show_at(qtbot, window, size)
    tab = window.customers_tab
    tab.view.selectRow(0)
    qtbot.wait(10)
    problems = []
    for title in _every_tab(qtbot, window):
        shown = [f"[{title}] {p}" for p in cut_texts(window)]
        problems += shown
        _shot(window, f"window-{language}-{size[0]}-{title}")
    profile_tabs = tab.profile.tabs
    window.tabs.setCurrentIndex(0) if hasattr(window, "tabs") else None
    for index in range(profile_tabs.count()):
        profile_tabs.setCurrentIndex(index)
        qtbot.wait(5)
        problems += [f"[profile {profile_tabs.tabText(index)}] {p}" for p in cut_texts(tab.profile)]
    assert not sorted(set(problems)), "\n".join(sorted(set(problems)))


def _dialogs(window):
    from crmdesk.ui.care.event_dialog import CareEventDialog
    from crmdesk.ui.complaints.dialog import ComplaintDialog
    from crmdesk.ui.customers.dialog import CustomerDialog
    from crmdesk.ui.imports.wizard import ImportWizard
    from crmdesk.ui.settings_dialog import SettingsDialog
    from crmdesk.ui.visits.dialog import VisitDialog
    bus = window.bus
    return {
        "customer-new": lambda: CustomerDialog(bus, None, window),
        "customer-edit": lambda: CustomerDialog(bus, 1, window),
        "visit": lambda: VisitDialog(bus, customer_id=1, parent=window),
        "complaint": lambda: ComplaintDialog(bus, customer_id=1, parent=window),
        "care-event": lambda: CareEventDialog(bus, customer_id=1, parent=window),
        "settings": lambda: SettingsDialog(window),
        "import-wizard": lambda: ImportWizard(bus, window),
    }


@pytest.mark.parametrize("language", LANGUAGES, indirect=True)
def test_no_text_is_cut_in_the_main_dialogs(demo_window, qtbot, language):
    _show_at(qtbot, demo_window, SIZES[0])
    problems = []
    for name, make in _dialogs(demo_window).items():
        dialog = make()
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        QApplication.processEvents()
        problems += [f"[{name}] {p}" for p in cut_texts(dialog)]
        _shot(dialog, f"dialog-{language}-{name}")
        dialog.reject()
        dialog.close()
    assert not problems, "\n".join(problems)


def test_a_header_section_is_never_narrower_than_its_title(window, qtbot, some_customers):
    """A section left narrow (a width saved before, a longer title in another language) is
    widened to its title when the columns change; a wider one stays as the user left it."""
    tab = window.customers_tab
    header = tab.view.horizontalHeader()
    keys = tab.model.keys
    if "stage" not in keys:
        tab.set_column("stage", True)
        keys = tab.model.keys
    stage = keys.index("stage")
    header.resizeSection(stage, 20)
    wide = keys.index("city")
    header.resizeSection(wide, 300)
    tab.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(keys) - 1)
    assert header.sectionSize(stage) >= header.sectionSizeFromContents(stage).width()
    assert header.sectionSize(stage) > header.fontMetrics().horizontalAdvance(tab.source.header("stage"))
    assert header.sectionSize(wide) == 300
    assert not [p for p in cut_texts(window) if "QHeaderView" in p]


def test_the_profile_header_always_shows_the_customer_number(window, qtbot):
    from crmdesk.core.customers import archive as customers
    long_name = "安达富达纺织有限公司" * 4
    cid = customers.create({"name": long_name})[0]
    profile = window.customers_tab.profile
    _show_at(qtbot, window, SIZES[0])
    assert not profile.code.isVisible()
    assert profile.title.text() == "No customer selected" and not cut_texts(profile.title)
    profile.show_customer(cid)
    qtbot.wait(5)
    code = customers.get(cid).code
    assert code in profile.code.text() and profile.code.isVisible()
    assert not cut_texts(profile.code)
    assert profile.title.text() == long_name  # the whole name, elided on screen with a tooltip
    assert profile.title.toolTip() == long_name


def test_the_customer_list_shows_a_typical_company_name_whole(window, qtbot, some_customers):
    """At 1920x1080 the names were cut ("安达富达纺织...") while the owner column took the rest."""
    window.resize(1366, 768)
    tab = window.customers_tab
    view = tab.view
    name = tab.model.keys.index("name")
    need = view.fontMetrics().horizontalAdvance("安达富达纺织有限公司（北京）")
    assert view.horizontalHeader().sectionSize(name) > need
