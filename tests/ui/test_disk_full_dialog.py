"""A full disk in the app is one sentence in a warning, not the "something unexpected"
dialog with a traceback (crmdesk/ui/errors.py asks core/safety/oserrors.py)."""
from __future__ import annotations

import errno

from crmdesk.core.errors import CrmError
from crmdesk.core.messages import message


def test_an_export_onto_a_full_disk_says_so_in_one_sentence(qtbot, window, tmp_path, monkeypatch):
    from crmdesk.core.customers import export
    from crmdesk.ui import errors

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")
    warnings, bugs = [], []
    monkeypatch.setattr(export, "export_customers", full)
    monkeypatch.setattr(errors.QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))
    monkeypatch.setattr(errors.QMessageBox, "exec", lambda self: bugs.append(self.text()) or 0)
    target = tmp_path / "x.xlsx"
    task = window.run_export(target, shown_only=False)
    qtbot.waitUntil(lambda: task.done)
    assert warnings == [message(CrmError("disk_full"))]
    assert bugs == []
    assert not target.exists()


def test_a_crm_error_caused_by_a_full_disk_reads_as_one(qapp):
    from crmdesk.ui.errors import error_text
    try:
        try:
            raise OSError(errno.EFBIG, "File too large")
        except OSError:
            raise CrmError("backup_failed", path="b.sqlite") from None
    except CrmError as error:
        assert error_text(error).startswith("The disk is full")
