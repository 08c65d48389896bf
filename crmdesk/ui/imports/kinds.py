"""What the wizard does differently for customers and for transactions: which core module
plans, checks and imports, how a sheet that needs mapping by hand gets its plan, which
fields a column can go to, and what the import changed. The pages' own words stay on
the pages."""
from __future__ import annotations

from dataclasses import replace
from typing import Optional

from crmdesk.core import custom_fields
from crmdesk.core.customers import fields as F
from crmdesk.core.changes import CREATED, UPDATED, Changes
from crmdesk.core.errors import CrmError
from crmdesk.core.io import headers as H
from crmdesk.core.sales import product_io
from crmdesk.core.imports import customer_import as CI
from crmdesk.core.imports import plan as P
from crmdesk.core.imports import transaction_import as TI
from crmdesk.core.imports.options import ImportOptions, ImportResult
from crmdesk.core.imports.rows import SheetRow
from crmdesk.ui.common.labels import field_label, transaction_field_label
from crmdesk.ui.sales.products_page import product_label

CUSTOMERS, TRANSACTIONS, PRODUCTS = "customers", "transactions", "products"


class CustomerKind:
    name = CUSTOMERS
    module = CI
    by_hand = ("not_customer_list",)  # problems after which the user may still map the columns

    def plan(self, source, options: ImportOptions) -> tuple[Optional[P.Plan], Optional[CrmError]]:
        """The plan, or the problem; with both when the user can map the columns."""
        try:
            return self.module.prepare(source, options), None
        except CrmError as error:
            if error.code not in self.by_hand:
                return None, error
            try:
                return self.plan_by_hand(source, options), error
            except CrmError:
                return None, error

    def plan_by_hand(self, source, options: ImportOptions) -> P.Plan:
        plan = CI.prepare(source, replace(options, mapping={}))
        plan.layout.mapping, plan.layout.unmatched = H.auto_mapping(plan.layout.headers, custom_fields.header_index())
        return plan

    def field_keys(self) -> list[str]:
        return [f.key for f in F.CUSTOMER_FIELDS] + [f.field_key for f in custom_fields.all_fields()]

    def label(self, key: str) -> str:
        return field_label(key)

    def apply_mapping(self, plan: P.Plan, mapping: dict[int, str]) -> None:
        P.apply_mapping(plan.layout, mapping)

    def check_row(self, row: SheetRow, plan: P.Plan, options: ImportOptions, csv: bool) -> SheetRow:
        return CI.check_row(row, plan, options, csv=csv)

    def run(self, rows, plan, options, **kw) -> ImportResult:
        return CI.run(rows, plan, options, **kw)

    def changes(self, result: ImportResult) -> tuple[Changes, ...]:
        return (Changes("customer", CREATED, tuple(result.created_ids)),
                Changes("customer", UPDATED, tuple(result.updated_ids)))


class TransactionKind(CustomerKind):
    name = TRANSACTIONS
    module = TI
    by_hand = ("not_transaction_list", "no_customer_column")

    def plan_by_hand(self, source, options: ImportOptions) -> P.Plan:
        return TI.prepare_by_hand(source, options)

    def field_keys(self) -> list[str]:
        return list(TI.KEYS)

    def label(self, key: str) -> str:
        return transaction_field_label(key)

    def apply_mapping(self, plan: P.Plan, mapping: dict[int, str]) -> None:
        TI.apply_mapping(plan.layout, mapping)

    def check_row(self, row: SheetRow, plan: P.Plan, options: ImportOptions, csv: bool) -> SheetRow:
        return TI.check_row(row, plan, options, csv=csv)

    def run(self, rows, plan, options, **kw) -> ImportResult:
        return TI.run(rows, plan, options, **kw)

    def changes(self, result: ImportResult) -> tuple[Changes, ...]:
        return (Changes("customer", CREATED, tuple(result.created_customer_ids)),
                Changes("transaction", CREATED, tuple(result.created_ids)))


class ProductKind(CustomerKind):
    """The product list (issue 19): found by code, else name, updated, or created."""
    name = PRODUCTS
    module = product_io
    by_hand = ("not_product_list",)

    def plan_by_hand(self, source, options: ImportOptions) -> P.Plan:
        return product_io.prepare_by_hand(source, options)

    def field_keys(self) -> list[str]:
        return list(product_io.KEYS)

    def label(self, key: str) -> str:
        return product_label(key)

    def apply_mapping(self, plan: P.Plan, mapping: dict[int, str]) -> None:
        product_io.apply_mapping(plan.layout, mapping)

    def check_row(self, row: SheetRow, plan: P.Plan, options: ImportOptions, csv: bool) -> SheetRow:
        return product_io.check_row(row, plan, options, csv=csv)

    def run(self, rows, plan, options, **kw) -> ImportResult:
        return product_io.run(rows, plan, options, **kw)

    def changes(self, result: ImportResult) -> tuple[Changes, ...]:
        return (Changes("product", CREATED, tuple(result.created_ids)),
                Changes("product", UPDATED, tuple(result.updated_ids)))


def kind_for(name: str) -> CustomerKind:
    return {CUSTOMERS: CustomerKind, TRANSACTIONS: TransactionKind, PRODUCTS: ProductKind}[name]()
