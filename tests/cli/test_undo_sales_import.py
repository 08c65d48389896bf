"""``crmdesk undo-import [BATCH]`` takes back ``crmdesk import opportunities`` and ``crmdesk
import products`` too (issue 19): what it did in one line, the records in the trash, the
changed products as they were."""
from __future__ import annotations

from decimal import Decimal

from crmdesk.core.db import close_database, open_database
from crmdesk.core.models import Opportunity, Product
from crmdesk.core.sales import products
from crmdesk.core.customers import archive as customers
from tests.core.imports.test_import_customers import xlsx
from tests.cli.test_cli import call


def read(db, fn):
    open_database(db)
    try:
        return fn()
    finally:
        close_database()


def test_undo_the_last_import_of_opportunities(tmp_path):
    db = tmp_path / "crm.sqlite"
    open_database(db)
    customers.create({"code": "C001", "name": "北京华润"})
    close_database()
    path = xlsx(tmp_path / "deals.xlsx", [["客户编号", "商机名称"], ["C001", "管道改造"], ["C001", "水泵"]])
    code, out, _err = call("--db", str(db), "import", "opportunities", str(path))
    assert code == 0
    batch = out.splitlines()[1].removeprefix("batch: ")
    code, out, err = call("--db", str(db), "undo-import")
    assert (code, out, err) == (0, f"Import {batch} undone: 2 opportunities moved to the trash.\n", "")
    assert read(db, lambda: Opportunity.select().where(Opportunity.deleted_at.is_null()).count()) == 0
    code, _out, err = call("--db", str(db), "undo-import", batch)
    assert code == 2 and "already" in err


def test_undo_an_import_of_products_by_its_batch(tmp_path):
    db = tmp_path / "crm.sqlite"
    open_database(db)
    products.create({"name": "不锈钢阀", "code": "V1", "list_price": "100"})
    close_database()
    path = xlsx(tmp_path / "p.xlsx", [["产品编号", "产品名称", "标准价格"], ["V1", "不锈钢阀", "120"],
                                      ["N1", "新法兰", "30"]])
    code, out, _err = call("--db", str(db), "import", "products", str(path))
    assert code == 0
    batch = out.splitlines()[1].removeprefix("batch: ")
    code, out, err = call("--db", str(db), "undo-import", batch)
    assert (code, out, err) == (0, f"Import {batch} undone: 1 product moved to the trash, "
                                   f"1 product put back as it was.\n", "")
    live = read(db, lambda: {p.code: p.list_price for p in Product.select().where(Product.deleted_at.is_null())})
    assert live == {"V1": Decimal("100")}
