"""A customer import indexes its rows for search itself, with the insert triggers off
(core/search/index.py): the indexes must match the table afterwards, a later row of the
file that updates an earlier one must update its index entries, and the triggers must be
back after the import, a dry run and a failed import."""
from __future__ import annotations

import pytest

from crmdesk.core.errors import CrmError
from crmdesk.core.models import database
from crmdesk.core.customers import list as customer_list, archive as customers
from crmdesk.core.imports import customer_import as CI
from crmdesk.core.imports.options import ImportOptions
from tests.core.imports.test_import_customers import xlsx


def _triggers():
    return {r[0] for r in database.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")}


def _intact():
    for index in ("customer_fts", "customer_words"):  # rank 1: compare with the content table
        database.execute_sql(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")


def _found(text):
    return customer_list.ids(customer_list.ListQuery(search=text))


def test_imported_rows_are_searchable_and_the_indexes_intact(db, tmp_path):
    before = _triggers()
    customers.create({"name": "北京华润", "mobile": "13800000001"})
    path = xlsx(tmp_path / "in.xlsx", [
        ["客户名称", "手机", "城市", "备注"],
        ["上海明华贸易", "13912345678", "上海", "first"],
        ["杭州西湖茶业", "13712345678", "杭州", ""],
        ["上海明华贸易", "13912345678", "苏州", "second"],  # the same customer again: an update
    ])
    result, _plan = CI.import_file(path, ImportOptions())
    assert (result.created, result.updated) == (2, 1)
    assert _triggers() == before
    _intact()
    assert len(_found("明华")) == 1          # two characters: the word index
    assert len(_found("西湖茶")) == 1        # three: the trigram index
    assert len(_found("苏州")) == 1 and not _found("上海 明华 first")  # the update re-indexed the row
    assert len(_found("华润")) == 1
    customers.create({"name": "上海明华分公司"})  # the triggers index a customer added afterwards
    assert len(_found("明华")) == 2
    _intact()


def test_a_dry_run_and_a_refused_import_leave_triggers_and_indexes_as_they_were(db, tmp_path, monkeypatch):
    before = _triggers()
    path = xlsx(tmp_path / "in.xlsx", [["客户名称", "手机"], ["上海明华", "13912345678"], ["杭州西湖", "13712345678"]])
    result, _plan = CI.import_file(path, ImportOptions(dry_run=True))
    assert result.created == 2 and result.nothing_written
    assert _triggers() == before and not _found("明华")
    monkeypatch.setattr(CI, "MAX_ROWS", 1)
    with pytest.raises(CrmError):
        CI.import_file(path, ImportOptions())
    assert _triggers() == before and not _found("明华")
    _intact()
