"""The product list out to Excel and in from a spreadsheet (``crmdesk export products``,
``crmdesk import products``).

The export: headers in the chosen language, codes as text, prices as numbers, nothing that
can become a formula, written atomically. The import follows the wizard's rules: the
header row is found by the column names and their synonyms (产品名称, 品名, Product Name
...); each row is checked and a bad one is reported with its row, column and reason and
left out; a product found by its code, else by its name, is updated, any other created;
the whole import is one transaction, so nothing is ever half-written."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from crmdesk.core.changes import CREATED, UPDATED, Changes
from crmdesk.core.db import transaction
from crmdesk.core.errors import CrmError, FieldError, ValidationError
from crmdesk.core.fields import Column
from crmdesk.core.io import excel_write as X
from crmdesk.core.io import headers as H
from crmdesk.core.io import normalize
from crmdesk.core.models import Product, database
from crmdesk.core.sales import products
from crmdesk.core.services import history
from crmdesk.core.services.imports import plan as P
from crmdesk.core.services.imports.rows import is_blank_row



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


@dataclass
class RowProblem:
    row: int  # as the user sees it in the file
    column: str  # the header of the column (the row's first when the problem is the row's)
    error: FieldError


@dataclass
class ProductImport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    changes: list[Changes] = field(default_factory=list)


def _usable(layout: H.Layout) -> bool:
    if "name" not in layout.targets:
        raise CrmError("not_product_list", headers=", ".join(h for h in layout.headers if h)[:200])
    return True


def _active(value: Any) -> bool:
    text = normalize.text(value).casefold()
    if not text or text in YES:
        return True
    if text in NO:
        return False
    raise FieldError("product_active_invalid", "active")


def import_products(path: Path | str, sheet: Optional[str] = None, encoding: Optional[str] = None) -> ProductImport:
    from crmdesk.core.io.sheet_read import open_source
    from crmdesk.core.services.imports.options import MAX_ROWS
    result = ProductImport()
    with open_source(path, encoding=encoding, max_rows=MAX_ROWS) as source:
        name, layout = P.choose(source, sheet, None, INDEX, _usable)
        rows = [(number, values) for number, values in source.rows(name)
                if number > layout.header_row and not is_blank_row(values)]
    column_of = {key: index for index, key in layout.mapping.items()}
    created, updated = [], []
    with transaction():
        batch = history.new_batch("import_products", Path(path).name)
        for number, values in rows:
            raw = {key: (values[i] if i < len(values) else None) for key, i in column_of.items()}
            try:
                raw["active"] = _active(raw.get("active"))
                existing = _existing(normalize.text(raw.get("code")), normalize.text(raw.get("name"), collapse=True))
                if existing is None:
                    clean = products.validate(raw)
                    created.append(Product.create(batch=batch, **clean).id)
                    continue
                before = {k: getattr(existing, k) for k in (*products.TEXTS, "list_price", "active")}
                given = {k: raw[k] for k in raw if k in before}
                if "code" not in given:
                    given["code"] = existing.code
                clean = products.validate({**before, **given}, exclude=existing.id)
                if history.diff(before, {k: clean[k] for k in before}):
                    products.update(existing.id, given)
                    updated.append(existing.id)
                else:
                    result.unchanged += 1
            except FieldError as error:
                result.problems.append(RowProblem(number, _header(layout, column_of, error.key), error))
            except ValidationError as error:
                for key, problem in error.errors.items():
                    result.problems.append(RowProblem(number, _header(layout, column_of, key), problem))
        history.write([history.Entry(products.ENTITY, pid, Product.get_by_id(pid).uuid, None, CREATED, "", None,
                                     Product.get_by_id(pid).name) for pid in created], batch)
    result.created, result.updated = len(created), len(updated)
    result.changes = [Changes(products.ENTITY, CREATED, tuple(created)), Changes(products.ENTITY, UPDATED,
                                                                               tuple(updated))]
    return result


def _existing(code: str, name: str) -> Optional[Product]:
    live = Product.select().where(Product.deleted_at.is_null() & Product.merged_into.is_null())
    if code:
        found = live.where(Product.code == code).first()
        if found is not None:
            return found
    return live.where(Product.name == name).first() if name else None


def _header(layout: H.Layout, column_of: dict[str, int], key: str) -> str:
    index = column_of.get(key)
    return layout.column_name(index) if index is not None else (layout.headers[0] if layout.headers else "")
