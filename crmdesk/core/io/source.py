"""What every opened file offers the imports: its sheets (a workbook's worksheets, a CSV's
one sheet, an Access database's tables) and their rows."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional

from crmdesk.core.errors import CrmError


@dataclass(frozen=True)
class Sheet:
    name: str
    index: int  # position in the workbook


class Source:
    """An opened file. Use ``with open_source(path) as source:``."""
    path: Path
    format: str
    sheets: list[Sheet]
    encoding: Optional[str] = None
    delimiter: Optional[str] = None
    header_row: Optional[int] = None  # where the headers always are (an Access table's row 1); None: found

    def rows(self, sheet: Optional[str] = None) -> Iterator[tuple[int, list[Any]]]:
        raise NotImplementedError

    def preview(self, sheet: Optional[str] = None, limit: int = 50) -> list[tuple[int, list[Any]]]:
        """The first ``limit`` non-blank rows."""
        out = []
        if limit <= 0:
            return out
        rows = self.rows(sheet)
        try:
            for row in rows:
                out.append(row)
                if len(out) >= limit:
                    break
        finally:
            close = getattr(rows, "close", None)
            if close is not None:
                close()
        return out

    def row_count_hint(self, sheet: Optional[str] = None) -> Optional[int]:
        return None

    def warnings(self, sheet: Optional[str] = None) -> list[CrmError]:
        """What reading ``sheet`` so far changed or left out, for the import to report."""
        return []

    def record_counts(self) -> dict[str, int]:
        """Each sheet's records, where the file says them without reading (Access tables)."""
        return {}

    def sales_sheet(self) -> Optional[str]:
        """A sheet that joins orders, their lines and products into sales (Access), or None."""
        return None

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.sheets]

    def close(self) -> None:
        pass

    def __enter__(self) -> "Source":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _sheet(self, sheet: Optional[str]) -> Sheet:
        if not self.sheets:
            raise CrmError("file_no_data", path=str(self.path))
        if sheet is None:
            return self.sheets[0]
        for candidate in self.sheets:
            if candidate.name == sheet:
                return candidate
        raise self.missing_sheet(sheet)

    def missing_sheet(self, sheet: str) -> CrmError:
        """What to tell a user who named a sheet the file does not have."""
        return CrmError("sheet_not_found", sheet=sheet, sheets=", ".join(self.sheet_names()))
