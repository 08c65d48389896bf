"""Opportunities to and from Excel: ``crmdesk export opportunities`` (headers, stage names,
sources and lost reasons in the chosen language: a Stage / 阶段 column) and ``crmdesk import
opportunities`` (headers in either language; the customer by its number or exact name; the
stage by its key or either name; values normalised as every import does; a bad row is
reported with its row, column and reason and skipped, unless all-or-nothing is asked)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from crmdesk.core.customers import fields as F
from crmdesk.core.db import transaction
from crmdesk.core.errors import CrmError, FieldError, ValidationError
from crmdesk.core.io import excel_write as X
from crmdesk.core.io import normalize, sheet_read
from crmdesk.core.messages import message
from crmdesk.core.models import Customer, database
from crmdesk.core.progress import Progress
from crmdesk.core.sales import opportunities as O
from crmdesk.core.sales import stages as S
from crmdesk.core import history

# key, Chinese header, English header, width, Excel format
COLUMNS = (
    ("customer_code", "客户编号", "Customer No.", 12, X.TEXT_FORMAT),
    ("customer_name", "客户名称", "Customer", 30, X.TEXT_FORMAT),
    ("title", "商机名称", "Opportunity", 30, X.TEXT_FORMAT),
    ("stage", "阶段", "Stage", 14, X.TEXT_FORMAT),
    ("amount", "金额", "Amount", 14, X.MONEY_FORMAT),
    ("probability", "成交概率", "Probability", 10, X.INTEGER_FORMAT),
    ("expected_close", "预计成交日期", "Expected close", 14, X.DATE_FORMAT),
    ("next_step", "下一步", "Next step", 30, X.TEXT_FORMAT),
    ("next_step_on", "下一步日期", "Next step on", 14, X.DATE_FORMAT),
    ("source", "来源", "Source", 10, X.TEXT_FORMAT),
    ("competitors", "竞争对手", "Competitors", 20, X.TEXT_FORMAT),
    ("owner", "负责人", "Owner", 10, X.TEXT_FORMAT),
    ("contacts", "联系人", "Contacts", 16, X.TEXT_FORMAT),
    ("lost_reason", "输单原因", "Lost reason", 12, X.TEXT_FORMAT),
    ("closed_on", "结束日期", "Closed on", 14, X.DATE_FORMAT),
    ("notes", "备注", "Notes", 40, X.TEXT_FORMAT),
)
TITLE = {"zh": "商机", "en": "Opportunities"}
LOST_REASON_LABELS = {
    "price": ("价格", "Price"), "product": ("产品", "Product"), "competitor": ("竞争对手", "Competitor"),
    "timing": ("时机", "Timing"), "no_decision": ("未决策", "No decision"), "no_budget": ("无预算", "No budget"),
    "relationship": ("客户关系", "Relationship"), "other": ("其他", "Other"),
}
HEADER_ALIASES = {"customer_code": ("客户代码", "code"), "customer_name": ("客户", "公司名称", "customer name"),
                  "title": ("商机", "名称", "title", "deal"), "amount": ("预计金额", "金额(元)"),
                  "probability": ("概率", "赢率"), "expected_close": ("成交日期", "预计成交", "close date"),
                  "owner": ("业务员", "销售"), "notes": ("说明",)}
CHUNK = 5000


def _check_lang(lang: str) -> None:
    if lang not in ("zh", "en"):
        raise ValueError(lang)


def _source_label(key: Optional[str], lang: str) -> str:
    return F.enum_label("source", key, lang)


def export_opportunities(path: Path | str, lang: str = "zh", progress: Optional[Progress] = None) -> int:
    """Every live opportunity, by customer and expected close, to the .xlsx ``path``; the
    number written. No file is left behind on failure."""
    _check_lang(lang)
    names = {s.key: s.name(lang) for s in S.load()}
    columns = [X.Column(zh if lang == "zh" else en, width, fmt) for _k, zh, en, width, fmt in COLUMNS]

    def row(ws, record) -> list:
        (code, name, title, stage, cents, probability, close, step, step_on, source, competitors, owner, contacts,
         reason, closed, notes) = record
        text = X.text_value
        day = (lambda v: X.styled_cell(ws, dt.date.fromisoformat(v), X.DATE_FORMAT) if v else None)
        return [text(ws, code), text(ws, name), text(ws, title), text(ws, names.get(stage, stage)),
                None if cents is None else X.styled_cell(ws, cents / 100, X.MONEY_FORMAT), probability, day(close),
                text(ws, step), day(step_on), text(ws, _source_label(source, lang)), text(ws, competitors),
                text(ws, owner), text(ws, contacts),
                text(ws, LOST_REASON_LABELS.get(reason, (reason, reason))[lang == "en"] if reason else ""),
                day(closed), text(ws, notes)]

    with X.write_only_workbook(path) as wb:
        with database.atomic("DEFERRED"):  # one consistent snapshot; never the write lock
            base = ("FROM opportunity o JOIN customer c ON c.id = o.customer_id "
                    "WHERE o.deleted_at IS NULL AND c.deleted_at IS NULL")
            total = database.execute_sql(f"SELECT count(*) {base}").fetchone()[0]
            cursor = database.execute_sql(
                "SELECT c.code, c.name, o.title, o.stage, o.amount, o.probability, o.expected_close, o.next_step, "
                "o.next_step_on, o.source, o.competitors, o.owner, o.contacts, o.lost_reason, o.closed_on, o.notes "
                f"{base} ORDER BY c.sort_name, o.expected_close, o.id")
            return X.write_rows(wb, TITLE[lang], columns, cursor, row, total, progress, CHUNK)


# ---------------------------------------------------------------- import

@dataclass
class RowError:
    row: int  # the sheet's row number, 1-based
    column: str  # the header as the file wrote it ("" for the whole row)
    reason: str  # one sentence


@dataclass
class ImportResult:
    created: int = 0
    rejected: int = 0
    batch_id: Optional[int] = None
    errors: list[RowError] = field(default_factory=list)
    nothing_written: bool = False


def _norm(text: Any) -> str:
    return "".join(str(text or "").split()).casefold()


def _header_map(cells: list[Any]) -> dict[int, str]:
    """Column index -> field key, for the headers recognised (key, either name, an alias)."""
    names: dict[str, str] = {}
    for key, zh, en, *_ in COLUMNS:
        for name in (key, zh, en, *HEADER_ALIASES.get(key, ())):
            names.setdefault(_norm(name), key)
    found: dict[int, str] = {}
    for index, cell in enumerate(cells):
        key = names.get(_norm(cell))
        if key and key not in found.values():
            found[index] = key
    return found


def _stage_key(value: str, stage_list) -> Optional[str]:
    wanted = _norm(value)
    for stage in stage_list:
        if wanted in (_norm(stage.key), _norm(stage.name_zh), _norm(stage.name_en)):
            return stage.key
    return None


def _enum(value: str, labels: dict[str, tuple[str, ...]]) -> Optional[str]:
    wanted = _norm(value)
    for key, names in labels.items():
        if wanted in {_norm(key), *(_norm(n) for n in names)}:
            return key
    return None


def _sources() -> dict[str, tuple[str, ...]]:
    return {c.key: (c.zh, c.en, *c.synonyms) for c in F.SOURCE}


def _customer(code: str, name: str) -> Optional[int]:
    if code:
        row = Customer.get_or_none((Customer.code == code) & Customer.deleted_at.is_null())
        if row is not None:
            return row.id
    if name:
        rows = list(Customer.select(Customer.id).where((Customer.name == name) & Customer.deleted_at.is_null())
                    .limit(2))
        if len(rows) == 1:
            return rows[0].id
    return None


BATCH_KIND = "import_opportunities"  # undone by core.sales.import_undo


def import_opportunities(path: Path | str, all_or_nothing: bool = False, translate=None,
                         now: Optional[dt.datetime] = None) -> ImportResult:
    """Read ``path`` and create an opportunity per good row, in one transaction (one batch);
    ``translate(context, text)`` makes the row errors' sentences in the user's language."""
    result = ImportResult()
    stage_list = S.load()
    with sheet_read.open_source(Path(path)) as source:
        rows = iter(source.rows())
        header = None
        for number, cells in rows:  # the first row that names a title column is the header
            mapping = _header_map(cells)
            if "title" in mapping.values():
                header = (cells, mapping)
                break
        if header is None:
            raise CrmError("import_no_title_column")
        cells, mapping = header
        shown = {key: str(cells[i]) for i, key in mapping.items()}
        good: list[tuple[int, dict[str, Any]]] = []
        for number, cells in rows:
            values = {key: cells[i] if i < len(cells) else None for i, key in mapping.items()}
            if all(v in (None, "") for v in values.values()):
                continue
            raw, errors = _row(values, stage_list)
            if errors:
                result.rejected += 1
                for key, error in errors.items():
                    result.errors.append(RowError(number, shown.get(key, key), message(error, translate)))
            else:
                good.append((number, raw))
    if all_or_nothing and result.rejected:
        result.nothing_written = True
        return result
    with transaction():
        batch = history.new_batch(BATCH_KIND, Path(path).name)  # the file, as every import; the history shows the kind
        result.batch_id = batch.id
        for number, raw in good:
            try:
                with transaction():  # a savepoint: a refused row takes nothing else with it
                    O.create(raw, now=now, batch=batch)
                result.created += 1
            except ValidationError as error:
                result.rejected += 1
                for key, problem in error.errors.items():
                    result.errors.append(RowError(number, shown.get(key, key), message(problem, translate)))
            except CrmError as error:
                result.rejected += 1
                result.errors.append(RowError(number, "", message(error, translate)))
    return result


def _row(values: dict[str, Any], stage_list) -> tuple[dict[str, Any], dict[str, CrmError]]:
    """The fields of one row for ``opportunities.create``, or its problems by column."""
    errors: dict[str, CrmError] = {}
    text = {k: ("" if v is None else str(v).strip()) for k, v in values.items()}
    customer_id = _customer(text.get("customer_code", ""), text.get("customer_name", ""))
    if customer_id is None:
        column = "customer_code" if text.get("customer_code") else "customer_name"
        errors[column] = CrmError("import_customer_unknown", code=text.get("customer_code", ""),
                                  name=text.get("customer_name", ""))
    raw: dict[str, Any] = {"customer_id": customer_id}
    for key in ("title", "amount", "probability", "expected_close", "next_step", "next_step_on", "competitors",
                "owner", "contacts", "notes"):
        if key in values and values[key] not in (None, ""):
            raw[key] = values[key]
    if text.get("stage"):
        stage = _stage_key(text["stage"], stage_list)
        if stage is None:
            errors["stage"] = CrmError(O.STAGE_UNKNOWN, stage=text["stage"],
                                       known=", ".join(s.name_zh for s in stage_list))
        raw["stage"] = stage
    if text.get("source"):
        raw["source"] = _enum(text["source"], _sources())
        if raw["source"] is None:
            errors["source"] = FieldError("enum_invalid", "source", choices=", ".join(c.zh for c in F.SOURCE))
    if text.get("lost_reason"):
        raw["lost_reason"] = _enum(text["lost_reason"], LOST_REASON_LABELS)
        if raw["lost_reason"] is None:
            errors["lost_reason"] = FieldError("enum_invalid", "lost_reason",
                                               choices=", ".join(zh for zh, _en in LOST_REASON_LABELS.values()))
    if text.get("closed_on"):
        try:
            raw["closed_on"] = normalize.date(values["closed_on"])
        except FieldError:
            errors["closed_on"] = FieldError("date_invalid", "closed_on")
    if not errors:
        try:
            O.validate({k: v for k, v in raw.items() if k != "customer_id"}, stage_list=stage_list)
        except ValidationError as error:
            errors.update(error.errors)
        except CrmError as error:
            errors["stage"] = error
    return raw, errors
