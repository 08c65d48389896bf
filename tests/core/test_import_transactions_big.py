"""The sales import at scale (issue 21): its own row limit, a full Excel sheet under it, a
longer file refused with the usual sentence and nothing kept."""
from __future__ import annotations

import pytest

from crmdesk.core.messages import message
from crmdesk.core.models import Customer, Transaction
from crmdesk.core.services.imports import options as O
from crmdesk.core.services.imports import transaction_import as TI
from crmdesk.core.services.imports.options import ImportOptions
from crmdesk.core.services.imports.rows import SheetRow

EXCEL_ROWS = 1_048_576


def test_sales_have_their_own_limit_a_full_excel_sheet_and_customers_keep_theirs():
    assert TI.MAX_ROWS == O.TRANSACTION_MAX_ROWS
    assert 1_000_000 <= O.TRANSACTION_MAX_ROWS and O.TRANSACTION_MAX_ROWS + 1 == EXCEL_ROWS  # the header row
    assert O.MAX_ROWS == 500_000


def _csv(path, rows: int):
    path.write_text("客户名称,日期,金额\n" + "".join(f"客户{i % 7},2024-05-0{1 + i % 9},{i}\n" for i in range(rows)),
                    encoding="utf-8")
    return path


def test_a_file_past_the_sales_limit_is_refused_before_reading_and_nothing_is_kept(db, tmp_path, monkeypatch):
    monkeypatch.setattr(TI, "MAX_ROWS", 50)
    with pytest.raises(Exception) as error:
        TI.import_file(_csv(tmp_path / "long.csv", 51), ImportOptions())
    assert error.value.code == "too_many_rows" and message(error.value).startswith("The file has more than 50 rows")
    assert Transaction.select().count() == 0 and Customer.select().count() == 0
    result, _ = TI.import_file(_csv(tmp_path / "fits.csv", 50), ImportOptions())
    assert (result.created, result.customers_created) == (50, 7)


def test_rows_past_the_limit_stop_the_import_itself_with_nothing_kept(db, tmp_path, monkeypatch):
    """What reaches ``run`` (the wizard's rows) is counted as well."""
    monkeypatch.setattr(TI, "MAX_ROWS", 5)
    from crmdesk.core.io.sheet_read import open_source
    with open_source(_csv(tmp_path / "t.csv", 6)) as source:
        plan = TI.prepare(source, ImportOptions())
        rows = [SheetRow(n, list(v)) for n, v in source.rows() if n > plan.layout.header_row]
    with pytest.raises(Exception) as error:
        TI.run(rows, plan, ImportOptions(), csv=True)
    assert error.value.code == "too_many_rows" and error.value.params == {"max": 5}
    assert Transaction.select().count() == 0 and Customer.select().count() == 0


def test_a_csv_longer_than_an_excel_sheet_is_refused_with_the_usual_sentence(db, tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("w", encoding="utf-8") as stream:
        stream.write("客户名称,日期,金额\n")
        stream.write("a\n" * EXCEL_ROWS)  # one row more than the limit: counted, never read
    with pytest.raises(Exception) as error:
        TI.import_file(path, ImportOptions())
    assert error.value.code == "too_many_rows"
    assert message(error.value).startswith("The file has more than 1,048,575 rows")
    assert Transaction.select().count() == 0
