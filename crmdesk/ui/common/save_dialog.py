"""Every save dialog of the app goes through here (issue 17): the path the user chose is
checked by ``core.safety.outputs.check_output_path`` before anything is written, so an
export, report, greeting list, day plan or backup never lands on the open database, its
``-wal``/``-shm``, an automatic backup, the file being imported, or in a folder that is gone.
When it is refused, the user sees the one sentence and nothing is written."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Optional

from PySide6.QtWidgets import QFileDialog, QWidget

from crmdesk.core.errors import CrmError
from crmdesk.core.safety.outputs import check_output_path
from crmdesk.ui.errors import show_error


def checked_path(parent: Optional[QWidget], path: Path | str, *, xlsx: bool = False,
                 sources: Iterable[Path | str] = ()) -> Optional[Path]:
    """``path`` when a file may be written there; otherwise the sentence, and None."""
    try:
        return check_output_path(path, xlsx=xlsx, sources=sources)
    except CrmError as error:
        show_error(parent, error)
        return None


def ask_save_path(parent: Optional[QWidget], title: str, suggested: Path | str, filter_: str, *,
                  xlsx: bool = False, options=None) -> Optional[Path]:
    """Ask where to save; None when the user cancels or the path is refused (said so).
    For a workbook (``xlsx``) a name typed without an extension gets .xlsx, as the file
    filter shows; any other extension is refused."""
    extra = {} if options is None else {"options": options}
    chosen, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), filter_, **extra)
    if not chosen:
        return None
    path = Path(chosen)
    if xlsx and not path.suffix:
        path = path.with_name(path.name + ".xlsx")
    return checked_path(parent, path, xlsx=xlsx)


def workbook_path(parent: QWidget, path: Optional[Path | str], title: str, name: str) -> Optional[Path]:
    """Where an export writes its workbook: ``path`` checked, or, when None, asked for with
    ``name`` suggested beside the open database; None when refused (said so) or cancelled."""
    if path is not None:
        return checked_path(parent, path, xlsx=True)
    database = getattr(parent.window(), "db_path", None)
    folder = Path(database).parent if database is not None else Path.home()
    return ask_save_path(parent, title, folder / name, "Excel (*.xlsx)", xlsx=True)
