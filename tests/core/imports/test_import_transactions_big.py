"""The sales import at scale (issue 21): its own row limit, a full Excel sheet under it, a
longer file refused with the usual sentence and nothing kept."""
from __future__ import annotations

import pytest

from crmdesk.core.messages import message
from crmdesk.core.models import Customer, Transaction
from crmdesk.core.imports import options as O
from crmdesk.core.imports import transaction_import as TI
from crmdesk.core.imports.options import ImportOptions
from crmdesk.core.imports.rows import SheetRow

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


# ---------------------------------------------------------------- the bulk writing (sales_writer)

def _triggers():
    from crmdesk.core.models import database
    return {r[0] for r in database.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")}


def _found(text):
    from crmdesk.core.customers import list as customer_list
    return customer_list.ids(customer_list.ListQuery(search=text))


def test_new_buyers_are_whole_customers_searchable_logged_and_numbered(db, tmp_path):
    """Created in bulk as ``customers.create`` makes them: the next free numbers for those
    without one, the search indexes in step, one change-log entry each and one per line."""
    from crmdesk.core.models import ChangeLog, database
    from crmdesk.core.customers import archive as customers
    customers.create({"name": "甲", "code": "C000007"})
    before = _triggers()
    path = tmp_path / "t.csv"
    path.write_text("客户编号,客户名称,日期,金额\n"
                    ",杭州西湖茶业,2024-05-01,10\n"          # no number: C000008
                    "K9,上海明华贸易,2024-05-02,20\n"
                    ",杭州西湖茶业,2024-05-03,30\n"          # the same new customer again
                    ",北京华润,2024-05-04,40\n", encoding="utf-8")
    result, _ = TI.import_file(path, ImportOptions())
    assert (result.created, result.customers_created) == (4, 3)
    made = {c.name: c for c in Customer.select().where(Customer.id.in_(result.created_customer_ids))}
    assert {n: c.code for n, c in made.items()} == {"杭州西湖茶业": "C000008", "上海明华贸易": "K9", "北京华润": "C000009"}
    assert made["北京华润"].sort_name == "beijinghuarun" and made["北京华润"].uuid and made["北京华润"].kind
    assert _triggers() == before
    for index in ("customer_fts", "customer_words"):
        database.execute_sql(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")
    assert len(_found("西湖茶")) == 1 and len(_found("明华")) == 1 and len(_found("bjhr")) == 1
    logged = [(e.entity, e.action, e.batch_id) for e in ChangeLog.select().where(ChangeLog.batch == result.batch_id)]
    assert sorted(logged) == sorted([("customer", "created", result.batch_id)] * 3
                                    + [("transaction", "created", result.batch_id)] * 4)
    lines = list(Transaction.select().order_by(Transaction.id))
    assert [t.id for t in lines] == result.created_ids and len({t.uuid for t in lines}) == 4
    assert [t.customer.name for t in lines] == ["杭州西湖茶业", "上海明华贸易", "杭州西湖茶业", "北京华润"]


def test_a_number_in_the_trash_or_of_another_name_is_rejected_and_the_owner_goes_to_the_sale(db, tmp_path):
    from crmdesk.core.customers import archive as customers
    gone, _ = customers.create({"name": "旧客户", "code": "K1"})
    customers.delete([gone])
    customers.create({"name": "上海明华贸易有限公司", "code": "K2", "owner": "王芳"})
    path = tmp_path / "t.csv"
    path.write_text("客户编号,客户名称,日期,金额\n"
                    "K1,旧客户,2024-05-01,10\n"
                    "K2,明华贸易,2024-05-02,20\n"         # part of the name: the same customer
                    "K2,杭州西湖茶业,2024-05-03,30\n"     # plainly someone else
                    "K2,明华贸易,2024-05-04,40\n", encoding="utf-8")
    result, _ = TI.import_file(path, ImportOptions())
    assert (result.created, result.rejected, result.customers_created) == (2, 2, 0)
    assert [(r.number, *r.errors) for r in result.rejected_rows] == [(2, "customer_code"), (4, "customer_name")]
    assert [r.errors[k].code for r in result.rejected_rows for k in r.errors] == ["code_taken", "import_name_mismatch"]
    assert {t.sale.owner for t in Transaction.select()} == {"王芳"}


def test_the_same_bad_value_twice_is_two_rejected_rows_with_the_same_reason(db, tmp_path):
    """Values are parsed once each (``transactions.ValueMemo``); a remembered error is still
    each row's own."""
    path = tmp_path / "t.csv"
    path.write_text("客户名称,日期,金额\n甲,2019-13-45,10\n乙,2019-13-45,20\n丙,2019-12-05,约一千\n丁,2019-12-05,约一千\n"
                    "戊,2019-12-05,1.2万\n", encoding="utf-8")
    result, _ = TI.import_file(path, ImportOptions())
    assert (result.created, result.rejected) == (1, 4)
    assert [(r.number, {k: e.code for k, e in r.errors.items()}) for r in result.rejected_rows] == [
        (2, {"date": "date_invalid"}), (3, {"date": "date_invalid"}),
        (4, {"amount": "money_invalid"}), (5, {"amount": "money_invalid"})]
    assert Transaction.get().amount == 12000


def test_a_dry_run_and_a_cancelled_import_keep_nothing_and_leave_the_triggers(db, tmp_path):
    from crmdesk.core.progress import Cancelled
    before = _triggers()
    path = _csv(tmp_path / "t.csv", 30)
    result, _ = TI.import_file(path, ImportOptions(dry_run=True))
    assert (result.created, result.customers_created, result.nothing_written) == (30, 7, True)
    assert Transaction.select().count() == 0 and Customer.select().count() == 0 and _triggers() == before

    def cancel(done, total, _message):
        if done:
            raise Cancelled()
    with pytest.raises(Cancelled):
        TI.import_file(path, ImportOptions(), progress=cancel)
    assert Transaction.select().count() == 0 and Customer.select().count() == 0 and _triggers() == before


def _indexes():
    from crmdesk.core.models import database
    return database.execute_sql("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' "
                                "ORDER BY name").fetchall()


def test_a_big_file_sets_the_indexes_aside_and_builds_them_again(db, tmp_path, monkeypatch):
    """(``core/bulk_indexes.py``) The same indexes afterwards, the same answers; a dry run
    and a cancel leave them as they were."""
    from crmdesk.core import bulk_indexes
    from crmdesk.core.models import database
    from crmdesk.core.progress import Cancelled
    monkeypatch.setattr(bulk_indexes, "MIN_ROWS", 10)
    before = _indexes()
    dropped = []
    real = bulk_indexes.set_aside

    def spy(tables, rows, in_order=()):
        found = real(tables, rows, in_order)
        dropped.append(len(found))
        return found
    monkeypatch.setattr(bulk_indexes, "set_aside", spy)
    path = _csv(tmp_path / "t.csv", 40)
    TI.import_file(path, ImportOptions(dry_run=True))
    assert dropped[-1] > 10 and _indexes() == before and Transaction.select().count() == 0

    def cancel(done, total, _message):
        if done:
            raise Cancelled()
    with pytest.raises(Cancelled):
        TI.import_file(path, ImportOptions(), progress=cancel)
    assert _indexes() == before
    result, _ = TI.import_file(path, ImportOptions())
    assert result.created == 40 and dropped[-1] > 10 and _indexes() == before
    assert database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    plan = database.execute_sql("EXPLAIN QUERY PLAN SELECT id FROM transactions WHERE batch_id = ?",
                                (result.batch_id,)).fetchall()
    assert "transactions_batch_id" in str(plan)


def test_a_table_holding_more_rows_than_the_file_keeps_its_indexes(db):
    from crmdesk.core import bulk_indexes
    from crmdesk.core.models import Batch
    assert bulk_indexes.set_aside(("batch",), None) == [] and bulk_indexes.set_aside(("batch",), 5) == []
    Batch.create(id=bulk_indexes.MIN_ROWS * 3, kind="import", description="", actor="a")
    before = _indexes()
    assert bulk_indexes.set_aside(("batch",), bulk_indexes.MIN_ROWS * 2) == [] and _indexes() == before
    assert bulk_indexes.set_aside(("batch",), bulk_indexes.MIN_ROWS * 4, in_order=("uuid",)) == []  # filled in order
    assert _indexes() == before
    rebuild = bulk_indexes.set_aside(("batch",), bulk_indexes.MIN_ROWS * 4)
    assert rebuild == [sql for _name, table, sql in before if table == "batch" and sql] and _indexes() != before
