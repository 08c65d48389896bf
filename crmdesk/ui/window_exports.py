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
        from crmdesk.ui.imports.wizard import ui_lang
        from crmdesk.ui.common.save_dialog import workbook_path
        path = workbook_path(self, path, title, suggested)
        if path is None:
            return None
        lang = ui_lang()

        def done(count: int) -> None:
            self.statusBar().showMessage(sentence(count).format(path=path), 10000)
        return self.tasks.start(lambda progress: write(path, lang, progress), self, busy, done, self.task_failed)

    def export_visits(self, path: Optional[Path] = None):
        """Visits ▸ Export visits: every visit to an .xlsx file."""
        from crmdesk.core.visits import export as visit_export
        return self._export_file(
            path, translate("MainWindow", "visits.xlsx"), translate("MainWindow", "Export visits"),
            visit_export.export_visits,
            lambda n: plural.translate("MainWindow", "Exported %n visit(s) to {path}.", "", n),
            translate("MainWindow", "Exporting visits…"))

    def export_complaints(self, path: Optional[Path] = None):
        """Complaints ▸ Export complaints: every complaint, the contact log and the statistics."""
        from crmdesk.core.complaints import export as complaint_export
        return self._export_file(
            path, translate("MainWindow", "complaints.xlsx"), translate("MainWindow", "Export complaints"),
            complaint_export.export_complaints,
            lambda n: plural.translate("MainWindow", "Exported %n complaint(s) to {path}.", "", n),
            translate("MainWindow", "Exporting complaints…"))

    def export_care(self, path: Optional[Path] = None):
        """Care ▸ Export care history: every reminder, done or not, with results."""
        from crmdesk.core.care import export as care_export
        return self._export_file(
            path, translate("MainWindow", "care.xlsx"), translate("MainWindow", "Export care history"),
            care_export.export_care,
            lambda n: plural.translate("MainWindow", "Exported %n care event(s) to {path}.", "", n),
            translate("MainWindow", "Exporting the care history…"))

    def export_vcard(self, path: Optional[Path] = None):
        """File ▸ Export contacts for phones (issue 21): every contact as a vCard 4.0 file."""
        from crmdesk.core.exchange import vcard
        from crmdesk.ui.common.save_dialog import ask_save_path, checked_path
        path = checked_path(self, path) if path is not None else ask_save_path(
            self, translate("MainWindow", "Export contacts for phones"), self._beside_database("contacts.vcf"),
            "vCard (*.vcf)")
        if path is None:
            return None

        def done(count: int) -> None:
            self.statusBar().showMessage(plural.translate("MainWindow", "Exported %n contact card(s) to {path}.", "",
                                                          count).format(path=path), 10000)
        return self.tasks.start(lambda progress: vcard.export(path), self,
                                translate("MainWindow", "Exporting contacts…"), done, self.task_failed)

    def export_calendar(self, path: Optional[Path] = None, rep: Optional[str] = None):
        """Visits ▸ Export to calendar (issue 21): the visits, open care reminders and next
        steps as an .ics file; on a team laptop, the user's own visits."""
        from crmdesk.core.exchange import calendar
        from crmdesk.ui.imports.wizard import ui_lang
        from crmdesk.ui.common.save_dialog import ask_save_path, checked_path
        path = checked_path(self, path) if path is not None else ask_save_path(
            self, translate("MainWindow", "Export visits to a calendar"), self._beside_database("visits.ics"),
            "iCalendar (*.ics)")
        if path is None:
            return None
        lang = ui_lang()
        if rep is None:
            from crmdesk.core import clock
            rep = clock.team_actor  # a rep's phone wants the rep's own visits

        def write(progress) -> int:
            return calendar.write(path, calendar.build(rep=rep, lang=lang, care=True, opportunities=True))

        def done(count: int) -> None:
            self.statusBar().showMessage(plural.translate("MainWindow", "Exported %n calendar event(s) to {path}.", "",
                                                          count).format(path=path), 10000)
        return self.tasks.start(write, self, translate("MainWindow", "Exporting to the calendar…"), done,
                                self.task_failed)

    def _beside_database(self, name: str) -> Path:
        database = getattr(self, "db_path", None)
        return (Path(database).parent if database is not None else Path.home()) / name

