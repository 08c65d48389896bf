"""The product list out to Excel and in from a spreadsheet (``crmdesk export products``,
``crmdesk import products``).

The export: headers in the chosen language, codes as text, prices as numbers, nothing that
can become a formula, written atomically. The import follows the wizard's rules: the
header row is found by the column names and their synonyms (产品名称, 品名, Product Name
...); each row is checked and a bad one is reported with its row, column and reason and
left out; a product found by its code, else by its name, is updated, any other created;
the whole import is one transaction, so nothing is ever half-written. The same functions
serve the import wizard (prepare, check_row, run) and ``crmdesk import products``."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Optional

from crmdesk.core.changes import CREATED
from crmdesk.core.db import transaction
from crmdesk.core.errors import CrmError, FieldError, ValidationError
from crmdesk.core.customers.fields import Column
from crmdesk.core.io import excel_write as X
from crmdesk.core.io import headers as H
from crmdesk.core.io import normalize
from crmdesk.core.models import Product, database
from crmdesk.core.progress import Progress, report
from crmdesk.core.sales import products
from crmdesk.core import history
from crmdesk.core.imports import plan as P
from crmdesk.core.imports.customer_import import import_with
from crmdesk.core.imports.options import MAX_ROWS, ImportOptions, ImportResult
from crmdesk.core.imports.rows import SheetRow, is_example_row, oversized_cell, shape_error



def col(key: str, zh: str, en: str, synonyms: str) -> Column:
    return Column(key, zh, en, tuple(s.strip() for s in synonyms.split(",") if s.strip()))


PRODUCT_COLUMNS: tuple[Column, ...] = (
    col("code", "产品编号", "Code", "编号, 编码, 产品编码, 产品代码, 货号, 物料编码, SKU, Item No., Product Code"),
    col("name", "产品名称", "Name", "品名, 名称, 产品, 商品, 商品名称, Product, Product Name, Item, Item Name"),
    col("category", "产品类别", "Category", "类别, 分类, 品类, 产品分类, 商品类别, Product Category, Type"),
    col("unit", "单位", "Unit", "计量单位, 规格单位, UOM, Unit of Measure"),
    col("list_price", "标准价格", "List price", "价格, 单价, 售价, 标价, 零售价, Price, Unit Price, Sales Price"),
    col("active", "在售", "Active", "是否在售, 状态, 启用, Status"),
    col("notes", "备注", "Notes", "说明, 描述, 产品描述, Description, Remarks"),
)
SHEET_TITLES = {"zh": "产品", "en": "Products"}
INDEX = H.build_index({c.key: (c.zh, c.en, *c.synonyms) for c in PRODUCT_COLUMNS})
_WIDTHS = {"code": 14, "name": 30, "category": 16, "unit": 8, "list_price": 14, "active": 8, "notes": 40}
YES = {"是", "在售", "启用", "有效", "yes", "y", "true", "1", "active", "✓"}
NO = {"否", "停售", "停用", "无效", "no", "n", "false", "0", "inactive"}


def export_products(path: Path | str, lang: str = "zh") -> int:
    """Every live product (merged variants left out), by pinyin; how many."""
    if lang not in ("zh", "en"):
        raise CrmError("option_invalid", option="--lang", choices="zh, en")
    columns = [X.Column(c.zh if lang == "zh" else c.en, _WIDTHS[c.key],
                        X.MONEY_FORMAT if c.key == "list_price" else X.TEXT_FORMAT) for c in PRODUCT_COLUMNS]
    yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
    written = 0
    with X.write_only_workbook(path) as wb:
        ws = X.write_only_sheet(wb, SHEET_TITLES[lang], columns)
        for code, name, category, unit, price, active, notes in database.execute_sql(
                "SELECT code, name, category, unit, list_price, active, notes FROM product "
                "WHERE deleted_at IS NULL AND merged_into_id IS NULL ORDER BY sort_name, id"):
            money = None if price is None else X.styled_cell(ws, price // 100 if price % 100 == 0 else price / 100,
                                                             X.MONEY_FORMAT)
            ws.append([X.text_value(ws, code), X.text_value(ws, name), X.text_value(ws, category),
                       X.text_value(ws, unit), money, X.text_value(ws, yes if active else no),
                       X.text_value(ws, notes)])
            written += 1
        X.finish_sheet(ws, len(columns), written + 1)
    return written


KEYS = tuple(c.key for c in PRODUCT_COLUMNS)
BATCH_KIND = "import_products"


class _Undone(Exception):
    """A dry run, or --all-or-nothing with a bad row: the transaction is rolled back."""


def _usable(layout: H.Layout) -> bool:
    if "name" not in layout.targets:
        raise CrmError("not_product_list", headers=", ".join(h for h in layout.headers if h)[:200])
    return True


def prepare(source, options: ImportOptions) -> P.Plan:
    return P.prepare(source, options, INDEX, _usable)


def prepare_by_hand(source, options: ImportOptions) -> P.Plan:
    """The sheet with the automatic mapping, whether or not it makes a product list: for
    the user to map the columns themselves."""
    options.check()
    try:
        sheet, layout = P.choose(source, options.sheet, options.header_row, INDEX)
    except CrmError:
        sheet, layout = P.choose(source, options.sheet, options.header_row, INDEX, first_row_is_header=True)
    layout.mapping, layout.unmatched = H.auto_mapping(layout.headers, INDEX)
    return P.Plan(sheet, layout)


def apply_mapping(layout: H.Layout, mapping: dict[int, Optional[str]]) -> None:
    P.apply_index_mapping(layout, mapping, KEYS, _usable)


def _raw(row: SheetRow, layout: H.Layout) -> dict[str, Any]:
    return {key: (row.values[i] if i < len(row.values) else None) for i, key in layout.mapping.items()}


def _active(value: Any) -> bool:
    text = normalize.text(value).casefold()
    if not text or text in YES:
        return True
    if text in NO:
        return False
    raise FieldError("product_active_invalid", "active")


def check_row(row: SheetRow, plan: P.Plan, options: ImportOptions, csv: bool = False) -> SheetRow:
    """Check one row (the wizard's preview, and again after the user fixes a cell)."""
    row.errors, row.clean = {}, None
    problem = (shape_error(row, plan.width) if csv else None) or oversized_cell(row)
    if problem is not None:
        row.errors = {"": problem}
        return row
    raw = _raw(row, plan.layout)
    try:
        raw["active"] = _active(raw.get("active"))
        row.clean = products.validate(raw, unique=False)
    except FieldError as error:
        row.errors = {error.key: error}
    except ValidationError as error:
        row.errors = dict(error.errors)
    return row


def run(rows: Iterable[SheetRow], plan: P.Plan, options: ImportOptions, *, csv: bool = False,
        description: str = "", total: Optional[int] = None, progress: Optional[Progress] = None) -> ImportResult:
    """Import the rows in one transaction: a product found by its code, else by its name,
    is updated (a row changing nothing is skipped), the others created; a bad row is
    rejected with its reasons."""
    options.check()
    result = ImportResult(dry_run=options.dry_run)
    try:
        with transaction():
            batch = history.new_batch(BATCH_KIND, description)
            result.batch_id = batch.id
            done = 0
            report(progress, 0, total or 0, "")
            for row in rows:
                done += 1
                if done > MAX_ROWS:
                    raise CrmError("too_many_rows", max=MAX_ROWS)
                if is_example_row(row.values):
                    result.examples += 1
                    continue
                check_row(row, plan, options, csv)
                if row.clean is None:
                    result.rejected += 1
                    result.rejected_rows.append(row)
                    continue
                _write(row, batch, result, set(_raw(row, plan.layout)))
                if done % 500 == 0:
                    report(progress, done, max(total or 0, done), "")
            report(progress, done, max(total or 0, done), "")
            result.note_examples()
            if options.dry_run or (options.all_or_nothing and result.rejected) or result.only_example:
                raise _Undone
    except _Undone:
        result.nothing_written = options.dry_run or not result.only_example
        result.batch_id = None
        if not options.dry_run:
            result.skipped += result.created + result.updated
            result.created, result.updated, result.created_ids, result.updated_ids = 0, 0, [], []
    return result


def _write(row: SheetRow, batch, result: ImportResult, given: set[str]) -> None:
    clean = row.clean
    existing = _existing(clean["code"], clean["name"])
    if existing is None:
        try:
            clean = products.validate(clean)  # unique: not the name of a merged variant, nor a code taken
        except ValidationError as error:
            row.errors = dict(error.errors)
            result.rejected += 1
            result.rejected_rows.append(row)
            return
        product = Product.create(batch=batch, **clean)
        history.write([history.Entry(products.ENTITY, product.id, product.uuid, None, CREATED, "", None,
                                     product.name)], batch)
        result.created += 1
        result.created_ids.append(product.id)
        return
    changes = {k: clean[k] for k in (*products.TEXTS, "list_price", "active") if k in given or k == "name"}
    if not changes.get("code"):
        changes.pop("code", None)  # a row found by its name keeps the product's code
    try:
        changed = products.update(existing.id, changes, batch)
    except ValidationError as error:
        row.errors = dict(error.errors)
        result.rejected += 1
        result.rejected_rows.append(row)
        return
    if changed.ids:
        result.updated += 1
        result.updated_ids.append(existing.id)
    else:
        result.skipped += 1


def _existing(code: str, name: str) -> Optional[Product]:
    live = Product.select().where(Product.deleted_at.is_null() & Product.merged_into.is_null())
    if code:
        found = live.where(Product.code == code).first()
        if found is not None:
            return found
    return live.where(Product.name == name).first() if name else None


def import_file(path: Path | str, options: ImportOptions, progress: Optional[Progress] = None,
                encoding: Optional[str] = None) -> tuple[ImportResult, P.Plan]:
    return import_with(prepare, run, path, options, progress, encoding)
