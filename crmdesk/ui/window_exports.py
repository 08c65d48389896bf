"""The main window's exports of visits, complaints and care: ask where (unless a path is
given), write the workbook off the GUI thread in the user's language, and say in the
status bar how many records went where. (Customers have their own dialog: the list as
shown or all of them.)"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Optional

from PySide6.QtCore import QCoreApplication

from crmdesk.ui.common import plural

translate = QCoreApplication.translate


class RecordExports:
    """Mixed into ``MainWindow``: uses its ``db_path``, ``tasks``, ``statusBar`` and ``task_failed``;
    its texts are the main window's (translation context "MainWindow")."""

    def _export_file(self, path: Optional[Path], suggested: str, title: str, write, sentence: Callable[[int], str],
                     busy: str):
        from crmdesk.ui.dialogs.import_wizard.wizard import ui_lang
        from crmdesk.ui.save_dialog import workbook_path
        path = workbook_path(self, path, title, suggested)
        if path is None:
            return None
        lang = ui_lang()

        def done(count: int) -> None:
            self.statusBar().showMessage(sentence(count).format(path=path), 10000)
        return self.tasks.start(lambda progress: write(path, lang, progress), self, busy, done, self.task_failed)

    def export_visits(self, path: Optional[Path] = None):
        """Visits ▸ Export visits: every visit to an .xlsx file."""
        from crmdesk.core.services import visit_export
        return self._export_file(
            path, translate("MainWindow", "visits.xlsx"), translate("MainWindow", "Export visits"),
            visit_export.export_visits,
            lambda n: plural.translate("MainWindow", "Exported %n visit(s) to {path}.", "", n),
            translate("MainWindow", "Exporting visits…"))

    def export_complaints(self, path: Optional[Path] = None):
        """Complaints ▸ Export complaints: every complaint, the contact log and the statistics."""
        from crmdesk.core.services import complaint_export
        return self._export_file(
            path, translate("MainWindow", "complaints.xlsx"), translate("MainWindow", "Export complaints"),
            complaint_export.export_complaints,
            lambda n: plural.translate("MainWindow", "Exported %n complaint(s) to {path}.", "", n),
            translate("MainWindow", "Exporting complaints…"))

    def export_care(self, path: Optional[Path] = None):
        """Care ▸ Export care history: every reminder, done or not, with results."""
        from crmdesk.core.services import care_export
        return self._export_file(
            path, translate("MainWindow", "care.xlsx"), translate("MainWindow", "Export care history"),
            care_export.export_care,
            lambda n: plural.translate("MainWindow", "Exported %n care event(s) to {path}.", "", n),
            translate("MainWindow", "Exporting the care history…"))
