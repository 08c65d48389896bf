"""Access databases read through mdbtools (issue 21): the four real files of
``shared/data/access``, their tables, values, dates and memo fields, and the files that must
be refused with one sentence."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest

from crmdesk.core.errors import CrmError
from crmdesk.core.io import access
from crmdesk.core.io.access_sales import amount
from crmdesk.core.io.sheet_read import open_source

NORTHWIND = ("northwind-jet3.mdb", "northwind-jet4.mdb", "northwind-ace.accdb")
SALES_VIEW = "Orders + Order Details + Products"


@pytest.fixture
def access_file(shared_data, tmp_path):
    """A copy of one of the shared Access files (they stay read-only where they are)."""
    def copy(name: str, as_name: str | None = None):
        target = tmp_path / (as_name or name)
        shutil.copyfile(shared_data / "access" / name, target)
        return target
    return copy


def records(source, table):
    rows = list(source.rows(table))
    header = rows[0][1]
    return [dict(zip(header, values)) for _number, values in rows[1:]]


@pytest.mark.parametrize("name", NORTHWIND)
def test_northwind_tables_are_listed_without_system_or_empty_ones(access_file, name):
    with open_source(access_file(name)) as source:
        assert source.format == "access"
        counts = {t.name: t.rows for t in source.tables.values()}
        assert counts["Customers"] == 91 and counts["Orders"] == 830
        assert counts["Order Details"] == 2155 and counts["Products"] == 77
        assert not [n for n in counts if n.startswith("MSys")]
        assert "CustomerCustomerDemo" not in counts and "CustomerDemographics" not in counts  # empty in the ACE file
        assert source.sheet_names()[-1] == SALES_VIEW and source.sales_sheet() == SALES_VIEW


def test_jet3_has_its_non_ascii_table(access_file):
    with open_source(access_file("northwind-jet3.mdb")) as source:
        assert "Umsätze" in source.sheet_names()
        assert len(records(source, "Umsätze")) == 830
        assert source.sales.orders == "Orders"  # not its copy called Umsätze


@pytest.mark.parametrize("name", NORTHWIND)
def test_customers_keep_their_accented_text_and_empty_cells(access_file, name):
    with open_source(access_file(name)) as source:
        customers = {r["CustomerID"]: r for r in records(source, "Customers")}
    names = {r["CompanyName"] for r in customers.values()}
    assert {"Bólido Comidas preparadas", "Königlich Essen"} <= names
    assert "Martín Sommer" in {r["ContactName"] for r in customers.values()}
    assert sum(1 for r in customers.values() if r.get("Region") is None) == 60
    assert sum(1 for r in customers.values() if r.get("Fax") is None) == 22
    assert customers["ANATR"]["PostalCode"] == "05021"  # text stays text


def test_binary_columns_are_left_out(access_file):
    with open_source(access_file("northwind-jet4.mdb")) as source:
        header = list(source.rows("Categories"))[0][1]
        assert header == ["CategoryID", "CategoryName", "Description"]  # no Picture
        assert "Photo" not in list(source.rows("Employees"))[0][1]


def test_values_have_their_types(access_file):
    with open_source(access_file("northwind-jet4.mdb")) as source:
        line = records(source, "Order Details")[0]
        order = records(source, "Orders")[0]
    assert line["Quantity"] == 12 and isinstance(line["Quantity"], int)
    assert line["UnitPrice"] == 14.0
    assert isinstance(order["OrderDate"], dt.date) and not isinstance(order["OrderDate"], dt.datetime)
    with open_source(access_file("northwind-jet3.mdb")) as source:
        discounts = {r["Discount"] for r in records(source, "Order Details")}
    assert 0.15 in discounts and 0.05 in discounts  # Singles as typed, not 0.15000001


def test_jet3_and_jet4_give_the_same_sales(access_file):
    def sales(name):
        with open_source(access_file(name)) as source:
            return sorted(tuple(values) for _n, values in list(source.rows(SALES_VIEW))[1:])
    jet3, jet4 = sales("northwind-jet3.mdb"), sales("northwind-jet4.mdb")
    assert len(jet3) == 2155 and jet3 == jet4
    assert round(sum(row[-1] for row in jet3), 2) == 1265793.29  # per line, to the cent


def test_the_joined_sales_rows(access_file):
    with open_source(access_file("northwind-jet4.mdb")) as source:
        rows = list(source.rows(SALES_VIEW))
        assert source.row_count_hint(SALES_VIEW) == 2156
    assert rows[0][1] == ["Order ID", "Customer ID", "Customer Name", "Order Date", "Product Name", "Category",
                          "Quantity", "Unit Price", "Discount", "Amount"]
    by_order = [values for _n, values in rows[1:] if values[0] == 10250]
    assert [v[4] for v in by_order] == ["Jack's New England Clam Chowder", "Manjimup Dried Apples",
                                        "Louisiana Fiery Hot Pepper Sauce"]
    clam = by_order[0]
    assert clam[1:4] == ["HANAR", "Hanari Carnes", dt.date(1994, 8, 8)]
    assert clam[5:] == ["Seafood", 10, 7.7, 0.0, 77.0]
    assert by_order[1][-2:] == [0.15, 1261.4]  # 42.40 × 35 × 0.85


def test_amount_of_a_line():
    assert amount(14.0, 12, 0.0) == 168
    assert str(amount(42.4, 35, 0.15)) == "1261.40"
    assert str(amount(10, 3, 15)) == "25.50"  # a discount written as 15 %
    assert amount(None, 3, 0) is None


def test_ace_orders_due_before_placed_are_a_warning_not_a_repair(access_file):
    with open_source(access_file("northwind-ace.accdb")) as source:
        first = list(source.rows(SALES_VIEW))[1][1]
        warnings = source.warnings(SALES_VIEW)
    assert first[3] == dt.date(1996, 4, 7)  # as stored (the canonical date is 1996-07-04)
    assert [(w.code, w.params) for w in warnings] == [("access_due_before_placed", {"count": 215, "orders": 830})]


def test_dates_access_cannot_export_become_empty_with_a_warning(access_file):
    with open_source(access_file("datetest-jet4.mdb")) as source:
        rows = records(source, "DateTest")
        warnings = source.warnings("DateTest")
    assert len(rows) == 6
    year_9999 = rows[1]
    assert year_9999["LongTextCol"] == "Year 9999" and year_9999.get("DateTimeCol") is None
    assert rows[0]["DateTimeCol"] == dt.date(2021, 12, 2)
    assert rows[5]["LongTextCol"] == "New line\r\nin field"  # the memo's newline, one record
    assert rows[4]["LongTextCol"] == "Escaped new line \\r\\n in field"
    (warning,) = warnings
    assert warning.code == "access_dates_out_of_range"
    assert warning.params == {"count": 8, "columns": "DateCol, DateTimeCol, TimeCol", "rows": "3, 4, 5"}


def test_an_access_file_is_known_by_its_bytes_not_its_name(access_file):
    with open_source(access_file("northwind-jet4.mdb", "customers.xlsx")) as source:
        assert source.format == "access" and "Customers" in source.sheet_names()


def test_a_table_that_does_not_exist_is_named_with_the_ones_that_do(access_file):
    with open_source(access_file("northwind-jet4.mdb")) as source:
        with pytest.raises(CrmError) as caught:
            list(source.rows("Kunden"))
    assert caught.value.code == "access_table_not_found"
    assert "Customers (91)" in caught.value.params["tables"]


def test_an_encrypted_database_is_refused_with_one_sentence(shared_data, tmp_path):
    target = tmp_path / "db2007-enc.accdb"
    shutil.copyfile(shared_data / "hostile" / "jackcess-encrypted.accdb", target)
    with pytest.raises(CrmError) as caught:
        open_source(target)
    assert caught.value.code == "access_unreadable"


@pytest.mark.parametrize("keep", [4096, 20000, 200_000])
def test_a_truncated_database_is_refused_or_read_never_a_crash(access_file, tmp_path, keep):
    data = access_file("northwind-jet4.mdb").read_bytes()[:keep]
    target = tmp_path / "cut.mdb"
    target.write_bytes(data)
    try:
        with open_source(target) as source:
            for name in source.sheet_names():
                list(source.rows(name))
    except CrmError as error:
        assert error.code in ("access_unreadable", "file_no_data")


def test_garbage_behind_the_access_header_is_refused(tmp_path):
    target = tmp_path / "fake.mdb"
    target.write_bytes(b"\x00\x01\x00\x00Standard Jet DB\x00" + bytes(range(256)) * 64)
    with pytest.raises(CrmError) as caught:
        open_source(target)
    assert caught.value.code in ("access_unreadable", "file_no_data")


def test_without_mdbtools_the_user_is_told_what_to_install(access_file, tmp_path, monkeypatch):
    path = access_file("northwind-jet4.mdb")
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no mdb-* programs on it
    with pytest.raises(CrmError) as caught:
        open_source(path)
    assert caught.value.code == "access_reader_missing"


def test_closing_early_stops_the_reader(access_file):
    with open_source(access_file("northwind-jet4.mdb")) as source:
        rows = source.rows("Order Details")
        assert next(rows)[0] == 1 and next(rows)[0] == 2
        rows.close()
        assert source.readers_running == 0


def test_default_table(access_file):
    with open_source(access_file("northwind-jet4.mdb")) as source:
        assert access.default_table(source, sales=True) == SALES_VIEW
        with pytest.raises(CrmError) as caught:
            access.default_table(source, sales=False)
        assert caught.value.code == "access_pick_table"
        assert caught.value.params["tables"].startswith("Categories (8), Customers (91), Employees (9)")
    with open_source(access_file("datetest-jet4.mdb")) as source:
        assert access.default_table(source, sales=False) == "DateTest"
        assert source.sales_sheet() is None
