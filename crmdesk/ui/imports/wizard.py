"""File ▸ Import customers and File ▸ Import transactions: choose a file, its sheet,
header row and (for CSV) text encoding; check the column mapping; see every row with the
cells in error and fix them in place; import with a progress bar and Cancel; then the
counts, the error workbook and Undo. ``kinds`` holds what differs between the two.

Everything that reads the file or the database runs off the GUI thread, one job after
the other on the wizard's own single-thread runner (the open file is used by one job at
a time); the GUI thread only shows what the jobs return."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Optional

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QWizard

from crmdesk.core.dedupe import rows as similar_rows
from crmdesk.core.errors import CrmError
from crmdesk.core.progress import report
from crmdesk.core.safety.outputs import check_output_path
from crmdesk.core.imports import customer_import as CI
from crmdesk.core.imports import error_book
from crmdesk.core.imports.options import MAX_ROWS, TRANSACTION_MAX_ROWS, ImportOptions, ImportResult
from crmdesk.core.imports.rows import SheetRow, column_of
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.imports.kinds import CUSTOMERS, PRODUCTS, TRANSACTIONS, CustomerKind, kind_for
from crmdesk.ui.errors import error_text, show_bug, show_error
from crmdesk.ui.tasks import Task, TaskRunner

PREVIEW_ROWS = 50
CHECK_REPORT = 500  # rows checked between progress reports


def _translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def open_source(path, encoding=None, kind: str = CUSTOMERS):
    """The file, refused from its used range past the import's row limit; a sales list may
    be a whole Excel sheet, and a big one is read row by row (as ``crmdesk import`` does)."""
    from crmdesk.core.io.sheet_read import open_source as opener  # written alongside
    if kind == TRANSACTIONS:
        from crmdesk.core.imports import transaction_import
        return opener(path, encoding=encoding, max_rows=TRANSACTION_MAX_ROWS,
                      stream_bytes=transaction_import.STREAM_BYTES)
    return opener(path, encoding=encoding, max_rows=MAX_ROWS)


@dataclass
class Inspection:
    """What the first page shows: the sheets, the first rows, the plan or the problem."""
    sheets: list[str]
    sheet: Optional[str]
    rows: list[tuple[int, list[Any]]]
    plan: Optional[Any] = None  # crmdesk.core.imports.plan.Plan
    problem: Optional[CrmError] = None  # shown on the page; with a plan it is a warning
    format: str = ""
    encoding: Optional[str] = None
    records: dict[str, int] = field(default_factory=dict)  # an Access table's records, by name


def inspect(source, sheet: Optional[str], header_row: Optional[int],
            kind: Optional[CustomerKind] = None) -> Inspection:
    """The plan for ``sheet``/``header_row`` (None: detect them). A sheet that does not
    look like a customer (or transaction) list still gets a plan with the automatic
    mapping, for the user to map by hand, and the sentence saying so."""
    names = [s.name for s in source.sheets]
    plan, problem = (kind or kind_for(CUSTOMERS)).plan(source, ImportOptions(sheet=sheet, header_row=header_row))
    shown = plan.sheet if plan is not None else (sheet if sheet is not None else (names[0] if names else None))
    rows = source.preview(shown, PREVIEW_ROWS) if shown is not None else []
    return Inspection(names, shown, [(n, list(v)) for n, v in rows], plan, problem,
                      getattr(source, "format", ""), getattr(source, "encoding", None), source.record_counts())


def ui_lang() -> str:
    return "zh" if QLocale().language() == QLocale.Language.Chinese else "en"


class ImportWizard(QWizard):
    def __init__(self, bus: ChangeBus, parent=None, kind: str = CUSTOMERS):
        super().__init__(parent)
        from crmdesk.ui.imports.mapping_page import MappingPage
        from crmdesk.ui.imports.pages import FilePage
        from crmdesk.ui.imports.preview_page import PreviewPage
        from crmdesk.ui.imports.result_page import ResultPage
        self.setObjectName("importWizard")
        self.kind = kind_for(kind)
        self.setWindowTitle({TRANSACTIONS: self.tr("Import transactions"), PRODUCTS: self.tr("Import products")}.get(
            kind, self.tr("Import customers")))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.bus = bus
        self.tasks = TaskRunner(self)
        self.tasks.pool.setMaxThreadCount(1)  # one job at a time uses the open file
        self.path: Optional[Path] = None
        self.encoding: Optional[str] = None  # a CSV's text encoding as chosen; None: detected
        self.source = None
        self._sources: list = []  # opened by jobs; closed by the next open, or at the end
        self.inspection: Optional[Inspection] = None
        self.plan = None
        self.auto_mapping: dict[int, str] = {}
        self.user_mapping: Optional[dict[int, str]] = None
        self.options = ImportOptions(translate=_translate)  # the notes of kept bad values in the user's language
        self.rows: list[SheetRow] = []
        self.rows_for: Optional[tuple] = None  # (plan, mapping) the rows were read with
        self.result: Optional[ImportResult] = None
        self.error_book: Optional[Path] = None
        self.error_book_problem: Optional[CrmError] = None
        self.task: Optional[Task] = None
        self._generation = 0
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.result_page = ResultPage(self)
        for page in (self.file_page, self.mapping_page, self.preview_page, self.result_page):
            self.addPage(page)
        self.resize(960, 640)

    # ------------------------------------------------------------ jobs
    @property
    def busy(self) -> bool:
        return self.task is not None and not self.task.done

    def run(self, fn: Callable, label: str, on_done: Callable[[Any], None],
            on_error: Optional[Callable[[BaseException], None]] = None,
            on_cancel: Optional[Callable[[], None]] = None, show_dialog: bool = True) -> Task:
        """Start ``fn(progress)`` after the jobs before it; results come back here."""
        self._generation += 1
        generation = self._generation

        def current() -> bool:
            return generation == self._generation

        def done(result):
            if current():
                on_done(result)

        def failed(exc):
            if not current():
                return
            if isinstance(exc, CrmError):
                (on_error or (lambda error: show_error(self, error)))(exc)
            else:
                show_bug(self, exc)
            self.busy_changed()

        task = self.tasks.start(fn, self, label, done, failed, show_dialog=show_dialog)
        task.cancelled.connect(lambda: current() and (on_cancel() if on_cancel else None))
        task.cancelled.connect(self.busy_changed)
        task.finished.connect(lambda _r: self.busy_changed())
        self.task = task
        self.busy_changed()
        return task

    def busy_changed(self) -> None:
        page = self.currentPage()
        if page is not None:
            page.completeChanged.emit()

    # ------------------------------------------------------------ file and sheet
    def open_file(self, path: Path | str) -> Task:
        self.path = path = Path(path)
        self.plan = self.inspection = None
        self.rows_for = None
        self.source = None
        encoding, kind = self.encoding, self.kind

        def job(progress):
            self._close_sources()
            source = open_source(path, encoding, kind.name)
            self._sources.append(source)
            return source, inspect(source, None, None, kind)

        def done(result):
            self.source, inspection = result
            self._inspected(inspection)

        return self.run(job, self.tr("Reading {file}…").format(file=path.name), done,
                        self.file_page.show_problem)

    def choose(self, sheet: Optional[str], header_row: Optional[int]) -> Optional[Task]:
        """Read the file again with another sheet or header row (None: detected)."""
        source = self.source
        if source is None:
            return None
        self.plan = None
        self.rows_for = None
        kind = self.kind
        return self.run(lambda progress: inspect(source, sheet, header_row, kind),
                        self.tr("Reading {file}…").format(file=self.path.name),
                        self._inspected, self.file_page.show_problem)

    def _inspected(self, inspection: Inspection) -> None:
        self.inspection = inspection
        self.plan = inspection.plan
        self.auto_mapping = dict(self.plan.layout.mapping) if self.plan is not None else {}
        self.user_mapping = None
        self.file_page.show_inspection(inspection)

    # ------------------------------------------------------------ mapping and rows
    def set_mapping(self, mapping: dict[int, str]) -> None:
        """The mapping the user accepted; one they changed is remembered at import."""
        self.kind.apply_mapping(self.plan, mapping)
        self.user_mapping = dict(mapping) if mapping != self.auto_mapping else None

    @property
    def csv(self) -> bool:
        return bool(self.inspection and self.inspection.format == "csv")

    def check_row(self, row: SheetRow) -> None:
        self.kind.check_row(row, self.plan, self.options, self.csv)

    def describe_error(self, key: str, error: CrmError) -> str:
        text = error_text(error)
        if key and (self.plan is None or column_of(self.plan.layout, key) is None):
            text = f"{self.kind.label(key)}: {text}"
        return text

    def load_rows(self, on_done: Callable[[], None], on_cancel: Callable[[], None]) -> Optional[Task]:
        """Read every data row and check it, off the GUI thread."""
        key = self._rows_key()
        if self.rows_for == key:
            on_done()
            return None
        source, plan, options, csv, kind = self.source, self.plan, replace(self.options), self.csv, self.kind

        def job(progress):
            total = source.row_count_hint(plan.sheet) or 0
            rows = []
            for row in CI.sheet_rows(source, plan):
                kind.check_row(row, plan, options, csv)
                rows.append(row)
                if len(rows) % CHECK_REPORT == 0:
                    report(progress, len(rows), max(total, len(rows)), "")
            if kind.name == CUSTOMERS:
                similar_rows.mark_similar(rows)  # rows that look like customers already here
            return rows

        def done(rows):
            self.rows = rows
            self.rows_for = key
            on_done()
        return self.run(job, self.tr("Reading and checking the rows…"), done,
                        self.preview_page.show_problem, on_cancel)

    def _rows_key(self) -> tuple:
        return (id(self.plan), tuple(sorted(self.plan.layout.mapping.items())), self.options.date_order,
                self.options.bad_values)

    def recheck(self, on_done: Callable[[], None]) -> Task:
        """Check every row again (the date order changed)."""
        rows, plan, options, csv, kind = self.rows, self.plan, replace(self.options), self.csv, self.kind

        def job(progress):
            for done, row in enumerate(rows, 1):
                kind.check_row(row, plan, options, csv)
                if done % CHECK_REPORT == 0:
                    report(progress, done, len(rows), "")
            if kind.name == CUSTOMERS:
                similar_rows.mark_similar(rows)
            return None
        def done(_result):
            self.rows_for = self._rows_key()
            on_done()
        return self.run(job, self.tr("Checking the rows…"), done, self.preview_page.show_problem, on_done)

    # ------------------------------------------------------------ import and undo
    def start_import(self, on_cancel: Callable[[], None]) -> Task:
        rows, plan, path, kind, csv, source = self.rows, self.plan, self.path, self.kind, self.csv, self.source
        options = replace(self.options, mapping=self.user_mapping if kind.name == CUSTOMERS else None)
        lang = ui_lang()

        def job(progress):
            result = kind.run(rows, plan, options, csv=csv, description=path.name,
                              total=len(rows), progress=progress)
            result.warnings.extend(source.warnings(plan.sheet))  # what reading the file left out
            book = problem = None
            if result.rejected_rows:
                try:
                    target = check_output_path(error_book.default_path(path), sources=(path,), xlsx=True)
                    book = error_book.write(target, result.rejected_rows, plan.layout, _translate, lang)
                except CrmError as error:
                    problem = error
            return result, book, problem

        def done(outcome):
            self.result, self.error_book, self.error_book_problem = outcome
            self.bus.publish(*self.kind.changes(self.result))
            self.next()
        return self.run(job, self.tr("Importing {file}…").format(file=path.name), done,
                        self.preview_page.show_problem, on_cancel)

    def undo_import(self, on_done: Callable[[Any], None], on_error: Callable[[CrmError], None]) -> Task:
        from crmdesk.core.imports import undo
        batch = str(self.result.batch_id)

        def done(result):
            self.bus.publish(*result.changes)
            on_done(result)
        return self.run(lambda progress: undo.undo_import(batch), self.tr("Undoing the import…"),
                        done, on_error)

    # ------------------------------------------------------------ closing
    def done(self, code: int) -> None:
        if self.task is not None and not self.task.done:
            self.task.cancel()
        self.source = None
        # After the jobs that may still use the file, on the same thread.
        self.tasks.start(lambda progress: self._close_sources(), self, show_dialog=False)
        super().done(code)

    def _close_sources(self) -> None:
        while self._sources:
            self._sources.pop().close()
