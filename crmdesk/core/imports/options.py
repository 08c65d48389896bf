"""What an import is asked to do and what it did."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

from crmdesk.core.errors import CrmError
from crmdesk.core.imports.rows import SheetRow

ON_DUPLICATE = ("update", "skip", "new")
MATCH_KEYS = ("code", "phone", "email", "name")
MATCH_CHOICES = {"auto": MATCH_KEYS, "code": ("code",), "name-phone": ("name-phone",),
                 "email": ("email",), "phone": ("phone",), "name": ("name",)}
DATE_ORDERS = ("ymd", "dmy", "mdy")
BAD_VALUES = ("reject", "keep")  # a row with a bad value: rejected, or imported with the value in the notes
MAX_ROWS = 500_000  # customers and products: more in one import is refused with a sentence: split the file
# Sales lines (issue 21: ten years of them in one go): a whole Excel sheet under its header
# row; a longer CSV is refused with the same sentence. The customers' limit stays as it was.
TRANSACTION_MAX_ROWS = 1_048_575


@dataclass
class ImportOptions:
    sheet: Optional[str] = None
    header_row: Optional[int] = None
    on_duplicate: str = "update"
    match: str = "auto"  # auto (code, phone, email, name), or one of MATCH_CHOICES
    date_order: str = "ymd"
    all_or_nothing: bool = False
    dry_run: bool = False
    mapping: Optional[dict[int, str]] = None  # column -> target, as the user set it
    bad_values: str = "reject"  # customers: "keep" imports a row whose bad values are not its name or number
    translate: Optional[Callable[[str, str], str]] = None  # (context, text) -> the user's language, for the notes

    def check(self) -> "ImportOptions":
        if self.on_duplicate not in ON_DUPLICATE:
            raise CrmError("option_invalid", option="--on-duplicate", choices=", ".join(ON_DUPLICATE))
        if self.match not in MATCH_CHOICES:
            raise CrmError("option_invalid", option="--match", choices=", ".join(MATCH_CHOICES))
        if self.date_order not in DATE_ORDERS:
            raise CrmError("option_invalid", option="--date-order", choices=", ".join(DATE_ORDERS))
        if self.bad_values not in BAD_VALUES:
            raise CrmError("option_invalid", option="--bad-values", choices=", ".join(BAD_VALUES))
        return self

    @property
    def match_keys(self) -> tuple[str, ...]:
        return MATCH_CHOICES[self.match]


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    rejected: int = 0
    batch_id: Optional[int] = None
    dry_run: bool = False
    nothing_written: bool = False  # --all-or-nothing met a rejected row, or a dry run
    rejected_rows: list[SheetRow] = field(default_factory=list)
    kept_rows: list[SheetRow] = field(default_factory=list)  # imported with bad values in the notes
    created_ids: list[int] = field(default_factory=list)
    updated_ids: list[int] = field(default_factory=list)
    warnings: list[CrmError] = field(default_factory=list)  # about the whole file
    customers_created: int = 0  # a transaction import's new customers
    created_customer_ids: list[int] = field(default_factory=list)  # ...and their ids
    examples: int = 0  # the template's example rows, left out (issue 18)

    @property
    def only_example(self) -> bool:
        """The file held the template's example and nothing else: the import keeps nothing."""
        return bool(self.examples) and not self.rows

    def note_examples(self) -> None:
        """Say so when the template's example row was left out (the whole file, or beside data)."""
        if self.examples:
            self.warnings.append(CrmError("import_only_example" if not self.rows else "import_example_skipped"))

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.skipped + self.rejected
