"""Screenshots of a new user's first day (issue 18), for the README, at 1366x768 and 1920x1080:

    xvfb-run -a -s "-screen 0 1940x1100x24" .venv/bin/python scripts/screenshots_first_day.py

- ``welcome-{zh,en}.png``: the first start on an empty database (the welcome, the tab's tip);
- ``contact-error-{zh,en}.png``: a contact's bad mobile, said under the table, its cell selected;
- ``window-1920-{zh,en}.png``: the customer list of the 2,000-customer demo at 1920x1080.
The profile header and the week by rep come from the fit tests' own script runs
(``profile-header-*.png``, ``calendar-all-reps-*.png``)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import screenshots as shots  # noqa: E402  (sets CRMDESK_DATA_DIR to a fresh folder)


def open_window(app, db: Path, language: str, size: tuple[int, int]):
    window = shots.open_window(app, db, language)
    window.move(0, 0)
    window.resize(*size)
    shots.settle(app, 60)
    return window


def main() -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from crmdesk.core.db import close_database, open_database
    from crmdesk.core import demo
    from crmdesk.ui import prefs
    from crmdesk.ui.app import make_app
    from crmdesk.ui.customers import dialog as customer_dialog

    shots.OUT.mkdir(parents=True, exist_ok=True)
    folder = Path(os.environ["CRMDESK_DATA_DIR"])
    app = make_app()
    customer_dialog.show_error = lambda *args, **kwargs: None  # the sentence under the table is the shot
    big = folder / "big.sqlite"
    open_database(big)
    demo.generate(2000)
    close_database()
    for language, suffix in (("zh_CN", "zh"), ("en", "en")):
        empty = folder / f"empty-{suffix}.sqlite"
        window = open_window(app, empty, language, (1366, 768))
        shots.shoot(window, f"welcome-{suffix}.png")

        dialog = window.customers_tab.new_customer()
        dialog.editors["name"].widget.setText("宁波甬江机械有限公司" if suffix == "zh" else "Ningbo Yongjiang Machinery")
        editor = dialog.contacts_editor
        editor.add_button.click()
        editor.table.item(0, 0).setText("陈立" if suffix == "zh" else "Chen Li")
        editor.table.item(0, 2).setText("13857412345")
        editor.add_button.click()
        editor.table.item(1, 0).setText("王经理" if suffix == "zh" else "Manager Wang")
        editor.table.item(1, 2).setText("1381234")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
        shots.settle(app, 40)
        shots.shoot(dialog, f"contact-error-{suffix}.png")
        dialog.reject()
        window.close()

        window = open_window(app, big, language, (1920, 1080))
        tab = window.customers_tab
        tab.model.wait_loaded()
        tab.select_id(tab.model.id_at(3))
        shots.settle(app, 60)
        shots.shoot(window, f"window-1920-{suffix}.png")
        window.close()
    prefs.set_language("system")


if __name__ == "__main__":
    main()
