"""Screenshots of what a user sees when the data is in danger (issue 17), for the README:

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshots_safety.py

- ``damaged-{zh,en}.png``: the database was damaged behind a valid header; at start the
  window names its newest good automatic backup and offers to restore it.
- ``save-refused-{zh,en}.png``: File ▸ Back up… given the open database itself as the target:
  one sentence, nothing written."""
from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import screenshots as shots  # noqa: E402  (sets CRMDESK_DATA_DIR to a fresh folder)


def damage(db: Path) -> None:
    """Garbage behind the header and the schema page, as a failing disk leaves it."""
    data = bytearray(db.read_bytes())
    start = int.from_bytes(data[16:18], "big")
    data[start:] = bytes([0xAB]) * (len(data) - start)
    db.write_bytes(bytes(data))


def main() -> None:
    from PySide6.QtWidgets import QMessageBox

    from crmdesk.core.db import close_database, open_database
    from crmdesk.core.errors import CrmError
    from crmdesk.core.safety import damage as damage_mod
    from crmdesk.core.safety import backup
    from crmdesk.core import demo
    from crmdesk.ui import damaged_dialog, errors
    from crmdesk.ui.app import make_app

    shots.OUT.mkdir(parents=True, exist_ok=True)
    folder = Path(os.environ["CRMDESK_DATA_DIR"])
    app = make_app()
    for language, suffix in (("zh_CN", "zh"), ("en", "en")):
        db = folder / f"客户-{suffix}.sqlite"
        open_database(db)
        demo.generate(300)
        close_database()
        backup.automatic_backup(db, reason="daily")
        window = shots.open_window(app, db, language)
        shots.settle(app)

        # Back up onto the open database: refused in one sentence (the save-path guard).
        from crmdesk.core.safety import outputs
        try:
            outputs.check_output_path(db, db_path=db)
        except CrmError as refused:
            box = QMessageBox(QMessageBox.Icon.Warning, "crmdesk", errors.error_text(refused),
                              QMessageBox.StandardButton.Ok, window)
            box.show()
            box.move(window.x() + 300, window.y() + 250)
            shots.shoot(window, f"save-refused-{suffix}.png")
            box.close()
        window.close()
        shots.settle(app)
        close_database()

        # The same database damaged: the dialog that offers its newest good backup.
        damage(db)
        window = shots.open_window(app, folder / f"blank-{suffix}.sqlite", language)
        shots.settle(app)
        box, _restore = damaged_dialog.build(window, damage_mod.damaged_error(db))
        box.show()
        box.move(window.x() + 250, window.y() + 250)
        shots.shoot(window, f"damaged-{suffix}.png")
        box.close()
        window.close()
        shots.settle(app)


if __name__ == "__main__":
    main()
