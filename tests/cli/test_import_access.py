"""``crmdesk import`` from Access databases (issue 21): ``--table`` picks a table, sales join
the orders with their lines and products, and without a table the command names them."""
from __future__ import annotations

import shutil
from decimal import Decimal

import pytest

from crmdesk.core.db import close_database, open_database
from crmdesk.core.models import Customer, Transaction
from tests.cli.test_cli import call


@pytest.fixture
def nw(shared_data, tmp_path):
    def copy(name):
        target = tmp_path / name
        shutil.copyfile(shared_data / "access" / name, target)
        return target
    return copy


def contents(db_path):
    """What an import left: the customers and the sales, comparable across databases."""
    open_database(db_path)
    try:
        customers = sorted((c.code, c.name, c.contact_person, c.phone, c.fax, c.country, c.city, c.postal_code,
                            c.address, c.province, c.title) for c in Customer.select())
        sales = sorted((t.customer.code, str(t.date), t.product, t.category, t.quantity, t.amount)
                       for t in Transaction.select())
        return customers, sales
    finally:
        close_database()


def test_without_a_table_the_tables_are_listed(nw, tmp_path):
    code, out, err = call("--db", str(tmp_path / "crm.sqlite"), "import", "customers", str(nw("northwind-jet4.mdb")))
    assert code == 2 and out == ""
    assert err.strip() == ("This Access database holds several tables, Categories (8), Customers (91), Employees (9), "
                           "Order Details (2,155), Orders (830), Products (77), Shippers (3), Suppliers (29): "
                           "name the one to import with --table.")


@pytest.mark.parametrize("name", ["northwind-jet3.mdb", "northwind-jet4.mdb", "northwind-ace.accdb"])
def test_customers_then_sales(nw, tmp_path, name):
    db = tmp_path / "crm.sqlite"
    path = nw(name)
    code, out, err = call("--db", str(db), "import", "customers", str(path), "--table", "Customers")
    assert code == 0, err
    assert out.splitlines()[0] == "created 91, updated 0, skipped 0, rejected 0"
    assert not (tmp_path / (path.stem + "-errors.xlsx")).exists()
    code, out, err = call("--db", str(db), "import", "transactions", str(path))
    assert code == 0, err
    assert out.splitlines()[0] == "created 2155, updated 0, skipped 0, rejected 0"
    assert "that were not in the database yet" not in err  # every order's customer was found by number
    customers, sales = contents(db)
    assert len(customers) == 91 and len(sales) == 2155
    assert sum(s[-1] for s in sales) == Decimal("1265793.29")
    germany = [c for c in customers if c[0] == "ALFKI"][0]
    assert germany[3:6] == ("+49300074321", "+49300076545", "Germany")


def test_jet3_and_jet4_import_the_same(nw, tmp_path):
    results = []
    for name in ("northwind-jet3.mdb", "northwind-jet4.mdb"):
        db = tmp_path / f"{name}.sqlite"
        for args in (("customers", "--table", "Customers"), ("transactions",)):
            code, _out, err = call("--db", str(db), "import", args[0], str(nw(name)), *args[1:])
            assert code == 0, err
        results.append(contents(db))
    assert results[0] == results[1]


def test_ace_dates_are_imported_as_stored_with_a_warning(nw, tmp_path):
    db = tmp_path / "crm.sqlite"
    code, _out, err = call("--db", str(db), "import", "transactions", str(nw("northwind-ace.accdb")))
    assert code == 0
    assert ("215 of 830 orders are due before they were placed, so their day and month may be swapped in the "
            "database: they were imported as stored; check them in Access.") in err
    assert "Created 89 customers that were not in the database yet." in err
    _customers, sales = contents(db)
    assert ("VINET", "1996-04-07", "Queso Cabrales", "Dairy Products", 12, 168) in \
        [(s[0], s[1], s[2], s[3], s[4], s[5]) for s in sales]


def test_a_table_that_is_not_a_customer_list(nw, tmp_path):
    code, out, err = call("--db", str(tmp_path / "crm.sqlite"), "import", "customers", str(nw("datetest-jet4.mdb")))
    assert code == 2
    assert err.startswith("This sheet does not look like a customer list (its columns are IDCol, DateTimeCol, "
                          "DateCol, TimeCol, LongTextCol, ShortTextCol)")


def test_an_unknown_table(nw, tmp_path):
    code, _out, err = call("--db", str(tmp_path / "crm.sqlite"), "import", "customers",
                           str(nw("northwind-jet4.mdb")), "--table", "Kunden")
    assert code == 2
    assert err.startswith("The Access database has no table named Kunden: choose one of Categories (8), Customers (91)")
