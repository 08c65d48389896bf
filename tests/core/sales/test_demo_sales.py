"""The demo's sales: products, every purchase a sale with its lines, payment terms with
some overdue, and a pipeline in every stage with histories; won deals have their sales,
lost ones their reasons; the same seed gives the same rows."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk.core.db import close_database, open_database
from crmdesk.core.models import database
from crmdesk.core.sales import stages
from crmdesk.core.sales.fields import LOST_REASONS
from crmdesk.core import demo
from crmdesk.core.demo.vocabulary import END_DATE, PRODUCTS

COUNT = 400


def one(sql, *params):
    return database.execute_sql(sql, params).fetchone()[0]


@pytest.fixture
def made(db):
    return demo.generate(COUNT)


def test_the_product_list(made):
    assert made.products == len(PRODUCTS) == one("SELECT count(*) FROM product")
    assert one("SELECT count(DISTINCT code) FROM product") == len(PRODUCTS)
    assert one("SELECT count(*) FROM product WHERE unit = '' OR list_price IS NULL OR sort_name = ''") == 0
    assert database.execute_sql("SELECT code, unit, list_price FROM product WHERE name = '激光打印机'").fetchone() \
        == ("BG-001", "台", 189900)
    # Every line of a listed product points at it, with its unit price and discount off the list.
    assert one("SELECT count(*) FROM transactions t JOIN product p ON p.name = t.product "
               "WHERE t.product_id IS NOT p.id") == 0
    assert one("SELECT count(*) FROM transactions WHERE unit_price IS NULL OR discount NOT BETWEEN 0 AND 20") == 0  # 0-15 % off, to whole yuan


def test_every_line_has_a_sale_and_the_sales_add_up(made):
    assert one("SELECT count(*) FROM transactions WHERE sale_id IS NULL") == 0
    assert made.sales == one("SELECT count(*) FROM sale") > COUNT
    assert one("SELECT count(*) FROM sale s WHERE NOT EXISTS "
               "(SELECT 1 FROM transactions t WHERE t.sale_id = s.id)") == 0
    assert made.transactions == one("SELECT count(*) FROM transactions")
    # Some sales have more than one line, numbered from 1; the lines share the sale's day and customer.
    assert one("SELECT count(*) FROM (SELECT sale_id FROM transactions GROUP BY sale_id "
               "HAVING count(*) > 1)") > 0
    assert one("SELECT count(*) FROM transactions t JOIN sale s ON s.id = t.sale_id "
               "WHERE t.date != s.date OR t.customer_id != s.customer_id") == 0
    assert one("SELECT count(*) FROM (SELECT sale_id, min(line_no) AS first FROM transactions GROUP BY sale_id) "
               "WHERE first != 1") == 0
    # Refunds are their own kind with negative lines; owners are the customers' reps.
    assert one("SELECT count(*) FROM sale s WHERE kind = 'refund' AND EXISTS (SELECT 1 FROM transactions t "
               "WHERE t.sale_id = s.id AND t.amount > 0)") == 0
    assert one("SELECT count(*) FROM sale WHERE kind = 'refund'") > 0
    assert one("SELECT count(*) FROM sale s JOIN customer c ON c.id = s.customer_id WHERE s.owner != c.owner") == 0


def test_payment_terms_and_overdue_receivables(made):
    assert one("SELECT count(*) FROM sale WHERE due_on IS NULL OR payment_terms_days IS NULL") == 0
    assert one("SELECT count(*) FROM sale WHERE julianday(due_on) - julianday(date) != payment_terms_days") == 0
    assert one("SELECT count(DISTINCT payment_terms_days) FROM sale") >= 3
    owed = ("SELECT count(*) FROM sale s WHERE s.kind = 'sale' AND s.due_on < ? AND COALESCE(s.paid, 0) < "
            "(SELECT sum(t.amount) FROM transactions t WHERE t.sale_id = s.id)")
    overdue = one(owed, END_DATE.isoformat())
    assert 0 < overdue < made.sales // 10  # some, not most
    assert one(owed + " AND s.paid IS NULL", END_DATE.isoformat()) > 0  # nothing paid at all
    assert one("SELECT count(*) FROM sale WHERE paid > 0 AND paid_on IS NULL") == 0
    # Long overdue amounts have been settled since.
    assert one(owed, (END_DATE - dt.timedelta(days=200)).isoformat()) == 0


def test_the_pipeline_in_every_stage(made):
    counts = dict(database.execute_sql("SELECT stage, count(*) FROM opportunity GROUP BY stage").fetchall())
    assert set(counts) == {s.key for s in stages.load()}
    assert all(n >= 3 for n in counts.values())
    assert 40 <= made.opportunities == sum(counts.values()) <= 250  # a few hundred per 2,000 customers
    # Open ones: the stage's probability give or take ten, a next step, an expected close (some past).
    assert one("SELECT count(*) FROM opportunity WHERE stage NOT IN ('won', 'lost') AND (closed_on IS NOT NULL "
               "OR expected_close IS NULL OR next_step = '')") == 0
    assert one("SELECT count(*) FROM opportunity WHERE stage NOT IN ('won', 'lost') AND expected_close < ?",
               END_DATE.isoformat()) > 0


def test_stage_histories_end_where_the_deal_is(made):
    assert one("SELECT count(*) FROM opportunity o WHERE NOT EXISTS (SELECT 1 FROM stage_change h "
               "WHERE h.opportunity_id = o.id)") == 0
    # The last stay is the current stage, still open; the others closed, in order, from the lead stage.
    assert one("SELECT count(*) FROM opportunity o JOIN stage_change h ON h.opportunity_id = o.id "
               "WHERE h.left_at IS NULL AND h.stage != o.stage") == 0
    assert one("SELECT count(*) FROM (SELECT opportunity_id FROM stage_change WHERE left_at IS NULL "
               "GROUP BY opportunity_id HAVING count(*) != 1)") == 0
    assert one("SELECT count(*) FROM stage_change WHERE left_at < entered_at") == 0
    assert one("SELECT count(*) FROM stage_change h WHERE h.entered_at = (SELECT min(entered_at) FROM stage_change "
               "WHERE opportunity_id = h.opportunity_id) AND h.stage != 'lead' AND h.id = (SELECT min(id) FROM "
               "stage_change WHERE opportunity_id = h.opportunity_id)") == 0
    assert one("SELECT count(*) FROM opportunity o WHERE o.stage_since != (SELECT max(entered_at) FROM stage_change "
               "WHERE opportunity_id = o.id)") == 0


def test_won_deals_have_their_sales_and_lost_ones_their_reasons(made):
    won = one("SELECT count(*) FROM opportunity WHERE stage = 'won'")
    assert won == one("SELECT count(DISTINCT opportunity_id) FROM sale WHERE opportunity_id IS NOT NULL")
    assert one("SELECT count(*) FROM opportunity o JOIN sale s ON s.opportunity_id = o.id WHERE o.closed_on != s.date "
               "OR o.amount != (SELECT sum(amount) FROM transactions WHERE sale_id = s.id) OR o.customer_id != "
               "s.customer_id") == 0
    reasons = dict(database.execute_sql("SELECT lost_reason, count(*) FROM opportunity WHERE stage = 'lost' "
                                        "GROUP BY 1").fetchall())
    assert None not in reasons and set(reasons) <= set(LOST_REASONS) and len(reasons) >= 4
    assert one("SELECT count(*) FROM opportunity WHERE stage IN ('won', 'lost') AND (closed_on IS NULL OR "
               "closed_on > ? OR probability NOT IN (0, 100))", END_DATE.isoformat()) == 0
    # Timelines: each deal created there, each closed one won or lost there.
    assert one("SELECT count(*) FROM change_log WHERE entity = 'opportunity'") == made.opportunities + one(
        "SELECT count(*) FROM opportunity WHERE closed_on IS NOT NULL")
    # Visits made while a deal was open serve it.
    assert one("SELECT count(*) FROM visit WHERE opportunity_id IS NOT NULL") > 0
    assert one("SELECT count(*) FROM visit v JOIN opportunity o ON o.id = v.opportunity_id "
               "WHERE o.customer_id != v.customer_id") == 0


def test_the_same_seed_gives_the_same_sales(tmp_path):
    dumps = []
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        open_database(tmp_path / f"{name}.sqlite")
        try:
            demo.generate(120, seed=seed)
            dumps.append({table: database.execute_sql(f"SELECT * FROM {table} ORDER BY id").fetchall()
                          for table in ("product", "sale", "opportunity", "stage_change", "transactions")})
        finally:
            close_database()
    assert dumps[0] == dumps[1]
    assert dumps[0]["opportunity"] != dumps[2]["opportunity"]
