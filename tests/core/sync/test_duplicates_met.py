"""Two laptops that each imported the same sheet before joining (issue 20, "Joining"): they
meet as duplicates, not as a failure. Every record of both stays (a code both used is
renumbered), each pair is listed once as "possibly the same customer" in the Conflicts list
of the laptops that see it, and keeping both takes it off; a customer matching none, one
whose phone differs, or two alike on one laptop are not listed."""
from __future__ import annotations

from crmdesk.core.models import database
from crmdesk.core.customers import archive as customers
from crmdesk.core.sync import conflicts
from tests.core.sync.pkg_helpers import team_fixture

MEMBERS = {"lina": ("rep", ["华东"]), "wang": ("rep", ["华东"]), "zhao": ("rep", ["华北"]), "boss": ("manager", [])}
SHEET = [{"name": "东方贸易", "mobile": "13800138000"}, {"name": "华润商贸", "phone": "021-55551234"},
         {"name": "长江物流"}]


team = team_fixture(MEMBERS)


def _import(rows) -> None:
    for row in rows:
        customers.create(dict(row))


def _pairs() -> list[tuple[str, str, str]]:
    return sorted((str(r.mine), str(r.theirs), r.kind) for r in conflicts.list_open() if r.kind == "duplicate")


def test_the_same_sheet_from_two_laptops_meets_as_duplicates(team):
    lina, wang, zhao, boss = (team.laptop(n) for n in ("lina", "wang", "zhao", "boss"))
    lina.use()
    _import(SHEET)
    _import([{"name": "本地重复"}, {"name": "本地重复"}])  # alike on one laptop: not the team's matter
    lina.join()
    wang.use()
    _import([{**SHEET[0], "name": " 东方贸易 "}, {**SHEET[1], "phone": "021-55550000"}, SHEET[2],
             {"name": "只在王这里"}])
    got = wang.join()  # no failure
    assert got.refused == 0
    codes = [row[0] for row in database.execute_sql("SELECT code FROM customer WHERE deleted_at IS NULL")]
    assert len(codes) == 9 and len(set(codes)) == 9  # both laptops' records, every code once
    pairs = _pairs()
    assert [(p[0].split(" (")[0].strip(), p[1].split(" (")[0]) for p in pairs] == \
        [("东方贸易", "东方贸易"), ("长江物流", "长江物流")]  # 华润商贸's phone differs: not the same
    assert all(p[0] != p[1] for p in pairs)  # each named with its code: two records

    lina.sync()
    assert len(_pairs()) == 2  # the other laptop of the team sees them too
    zhao.join()
    assert _pairs() == []  # another team's customers: not zhao's to see
    boss.join()
    assert len(_pairs()) == 2

    lina.use()
    first = next(r for r in conflicts.list_open() if r.kind == "duplicate")
    conflicts.resolve([first.id], keep=conflicts.MINE)  # "keep both", whichever side is asked for
    assert database.execute_sql("SELECT count(*) FROM customer WHERE name LIKE '%东方贸易%'").fetchone()[0] == 2
    lina.sync()
    boss.sync()
    assert len(_pairs()) == 1
    wang.sync()  # a second sync uploads nothing again: nothing listed twice
    assert len(_pairs()) == 1
