"""Change packages (issue 20, "No network at all") against a real PostgreSQL: a rep with
no network hands a colleague a file; merging it is the same merge as a pull, the edits go to
the hub with whoever syncs first, and nothing doubles. Refused: another team's package, a
changed one, a cut one, a file that is no package (one sentence each, nothing imported)."""
from __future__ import annotations

import gzip
import json

import pytest

from crmdesk.core.errors import CrmError
from crmdesk.core.messages import message
from crmdesk.core.models import database
from crmdesk.core.customers import archive as customers
from crmdesk.core.sync import packages
from tests.core.sync.pkg_helpers import Team, close

MEMBERS = {"lina": ("rep", ["华东"]), "wang": ("rep", ["华东"]), "zhao": ("rep", ["华北"])}


@pytest.fixture
def team(pg_cluster, hub_db, tmp_path, time_machine):
    made = Team(pg_cluster, hub_db, tmp_path, MEMBERS, time_machine)
    made.laptop("lina").join()
    made.laptop("wang").join()
    yield made
    close()


def _name(uuid: str):
    row = database.execute_sql("SELECT name FROM customer WHERE uuid = ?", [uuid]).fetchone()
    return row[0] if row else None


def _hub_rows(team, uuid: str) -> list:
    import psycopg
    with psycopg.connect(team.cluster.url(team.db)) as conn:
        return conn.execute("SELECT field, hlc, count(*) FROM sync.field_change WHERE uuid = %s GROUP BY field, hlc "
                            "HAVING count(*) > 1", [uuid]).fetchall(), conn.execute(
            "SELECT count(*) FROM sync.conflict").fetchone()[0]


def _state() -> tuple:
    return tuple(database.execute_sql(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("customer", "sync_outbox", "sync_field", "change_log"))


def test_a_package_carries_edits_and_nothing_doubles(team, tmp_path):
    lina, wang = team.laptop("lina"), team.laptop("wang")
    lina.use()
    cid, _ = customers.create({"name": "离线公司", "city": "上海"})
    uuid = database.execute_sql("SELECT uuid FROM customer WHERE id = ?", [cid]).fetchone()[0]
    package = tmp_path / "lina.crmchanges"
    written = packages.export_package(package)
    waiting = database.execute_sql("SELECT count(*) FROM sync_outbox").fetchone()[0]
    assert written == waiting > 0  # the outbox stays: lina still sends them herself

    wang.use()
    got = packages.import_package(package)
    assert (got.edits, got.queued, got.skipped, got.login) == (written, written, 0, "lina")
    assert _name(uuid) == "离线公司"
    logged = database.execute_sql("SELECT actor FROM change_log WHERE record_uuid = ? LIMIT 1", [uuid]).fetchone()
    assert logged == ("lina",)  # who did it: lina, not the importer
    again = packages.import_package(package)  # imported twice: nothing new
    assert (again.queued, again.skipped) == (0, written)
    assert database.execute_sql("SELECT count(*) FROM sync_outbox").fetchone()[0] == written

    wang.sync()  # wang reaches the hub first and pushes lina's edits
    lina.sync()  # then lina pushes the same edits: the hub skips them
    doubled, conflicts = _hub_rows(team, uuid)
    assert doubled == [] and conflicts == 0
    lina.use()
    assert database.execute_sql("SELECT count(*) FROM customer WHERE uuid = ?", [uuid]).fetchone()[0] == 1
    wang.sync()
    assert database.execute_sql("SELECT count(*) FROM customer WHERE name = '离线公司'").fetchone()[0] == 1


def test_packages_out_of_order_keep_the_later_edit(team, tmp_path):
    lina, wang = team.laptop("lina"), team.laptop("wang")
    lina.use()
    cid, _ = customers.create({"name": "顺序公司"})
    uuid = database.execute_sql("SELECT uuid FROM customer WHERE id = ?", [cid]).fetchone()[0]
    first, second = tmp_path / "1.crmchanges", tmp_path / "2.crmchanges"
    packages.export_package(first)
    lina.sync()
    customers.update(cid, {"city": "杭州"})
    customers.update(cid, {"name": "顺序公司二"})
    packages.export_package(second)

    wang.use()  # wang has not synced: the second package arrives first
    packages.import_package(second)
    assert _name(uuid) is None  # the edits of a customer wang does not hold yet wait for it
    waiting = {row[0] for row in database.execute_sql("SELECT field FROM sync_parked WHERE uuid = ?", [uuid])}
    assert {"name", "city"} <= waiting
    packages.import_package(first)  # the customer comes, and the waiting edits with it
    assert _name(uuid) == "顺序公司二"
    assert database.execute_sql("SELECT count(*) FROM sync_parked").fetchone()[0] == 0
    packages.import_package(second)  # again: nothing new
    assert _name(uuid) == "顺序公司二"
    assert database.execute_sql("SELECT city FROM customer WHERE uuid = ?", [uuid]).fetchone()[0] == "杭州"
    packages.import_package(first)  # the older edits again: the later ones stand
    assert _name(uuid) == "顺序公司二"
    wang.sync()
    lina.sync()
    assert _name(uuid) == "顺序公司二"
    doubled, conflicts = _hub_rows(team, uuid)
    assert doubled == [] and conflicts == 0


def test_a_customer_handed_to_another_team_since_the_package_was_made_leaves_at_the_next_sync(team, tmp_path):
    """wang imports lina's package after the manager gave its new customer to 华北: the
    customer is on wang's laptop until the hub says it is another team's now (its feed
    told wang nothing: the move happened before wang held it)."""
    from crmdesk.core.sync import handover
    lina, wang, boss = team.laptop("lina"), team.laptop("wang"), team.laptop("boss")
    lina.use()
    cid, _ = customers.create({"name": "移交公司"})
    uuid = database.execute_sql("SELECT uuid FROM customer WHERE id = ?", [cid]).fetchone()[0]
    package = tmp_path / "lina.crmchanges"
    packages.export_package(package)
    lina.sync()
    boss.join()
    local = database.execute_sql("SELECT id FROM customer WHERE uuid = ?", [uuid]).fetchone()[0]
    handover.handover([local], to_owner="zhao", to_team="华北")
    boss.sync()
    wang.sync()
    assert _name(uuid) is None
    packages.import_package(package)
    assert _name(uuid) == "移交公司"  # offline, wang cannot know
    got = wang.sync()
    assert _name(uuid) is None and got.removed == 1
    assert database.execute_sql("SELECT count(*) FROM sync_conflict").fetchone()[0] == 0
    wang.sync()
    assert _name(uuid) is None
    lina.sync()
    assert _name(uuid) is None  # lina's laptop dropped it with the hand-over, as before


def _a_customer_everyone_holds(lina, wang, boss) -> tuple[int, str]:
    """lina makes 往返公司 and syncs, wang syncs, the manager joins; lina's laptop is in use
    again. Returns the customer's id on lina's laptop and its uuid."""
    lina.use()
    cid, _ = customers.create({"name": "往返公司"})
    uuid = database.execute_sql("SELECT uuid FROM customer WHERE id = ?", [cid]).fetchone()[0]
    lina.sync()
    wang.sync()
    boss.join()
    lina.use()
    return cid, uuid


def _relayed_after_a_refusal(team, tmp_path, later_city=None) -> str:
    """lina changes a customer's city to 苏州 offline (then to ``later_city``, if given) and
    gives wang a package of the first; the manager hands the customer to 华北 and back, lina
    syncing after each (her push refused). Returns the customer's uuid; wang has not synced."""
    from crmdesk.core.sync import handover
    lina, wang, boss = team.laptop("lina"), team.laptop("wang"), team.laptop("boss")
    cid, uuid = _a_customer_everyone_holds(lina, wang, boss)
    customers.update(cid, {"city": "苏州"})
    package = tmp_path / "lina.crmchanges"
    packages.export_package(package)
    if later_city:
        customers.update(cid, {"city": later_city})
    wang.use()
    packages.import_package(package)
    for owner, to_team in (("zhao", "华北"), ("lina", "华东")):
        boss.use()
        local = database.execute_sql("SELECT id FROM customer WHERE uuid = ?", [uuid]).fetchone()[0]
        handover.handover([local], to_owner=owner, to_team=to_team)
        boss.sync()
        lina.sync()
    return uuid


def test_an_edit_the_hub_refused_its_author_and_took_from_a_colleague_reaches_the_author(team, tmp_path):
    """lina's offline edit goes to wang in a package; the customer is 华北's when lina
    pushes (refused) and 华东's again when wang pushes it (taken): lina's laptop shows it
    too, and its refusal leaves her Conflicts list (it was skipped as her own edit back)."""
    lina, wang = team.laptop("lina"), team.laptop("wang")
    uuid = _relayed_after_a_refusal(team, tmp_path)
    assert database.execute_sql("SELECT kind FROM sync_conflict WHERE field = 'city'").fetchall() == [("refused",)]
    wang.sync()
    lina.sync()
    assert database.execute_sql("SELECT city FROM customer WHERE uuid = ?", [uuid]).fetchone()[0] == "苏州"
    assert database.execute_sql("SELECT count(*) FROM sync_conflict WHERE field = 'city'").fetchone()[0] == 0


def test_an_earlier_edit_the_hub_took_from_a_colleague_after_refusing_the_later_one_reaches_the_author(team, tmp_path):
    """As above, but lina changed the city again after making the package: her push sent
    the later value only (refused), wang's the earlier one (taken). lina's laptop shows
    the hub's value; her refused value stays in her Conflicts list."""
    lina, wang = team.laptop("lina"), team.laptop("wang")
    uuid = _relayed_after_a_refusal(team, tmp_path, later_city="杭州")
    wang.sync()
    lina.sync()
    assert database.execute_sql("SELECT city FROM customer WHERE uuid = ?", [uuid]).fetchone()[0] == "苏州"
    assert database.execute_sql("SELECT kind, mine FROM sync_conflict WHERE field = 'city'").fetchall() == [
        ("refused", '"杭州"')]


def test_a_relayed_record_that_left_with_its_customer_comes_back_with_it(team, tmp_path):
    """wang imports lina's new contact; before he syncs, its customer is handed to 华北: his
    sync removes them, then pushes the relayed contact (the hub has it already). When the
    customer comes back the contact comes with it (its times were kept as known and it was
    skipped)."""
    from crmdesk.core.models import Contact
    from crmdesk.core.sync import handover
    lina, wang, boss = team.laptop("lina"), team.laptop("wang"), team.laptop("boss")
    cid, uuid = _a_customer_everyone_holds(lina, wang, boss)
    contact = str(Contact.create(customer=cid, name="王经理").uuid)
    package = tmp_path / "lina.crmchanges"
    packages.export_package(package)
    lina.sync()
    wang.use()
    packages.import_package(package)
    for owner, to_team in (("zhao", "华北"), ("lina", "华东")):
        boss.use()
        local = database.execute_sql("SELECT id FROM customer WHERE uuid = ?", [uuid]).fetchone()[0]
        handover.handover([local], to_owner=owner, to_team=to_team)
        boss.sync()
        wang.sync()
    assert database.execute_sql("SELECT name FROM contact WHERE uuid = ?", [contact]).fetchall() == [("王经理",)]


def _lines(path) -> list[bytes]:
    with gzip.open(path, "rb") as source:
        return source.read().splitlines(keepends=True)


def _refused(path, code: str) -> str:
    before = _state()
    with pytest.raises(CrmError) as error:
        packages.import_package(path)
    assert error.value.code == code
    assert _state() == before, "the database is unchanged"
    text = message(error.value)
    assert str(path) in text and text.endswith(".") and "\n" not in text
    return text


def test_bad_packages_are_refused_with_a_sentence(team, tmp_path):
    lina, wang = team.laptop("lina"), team.laptop("wang")
    lina.use()
    customers.create({"name": "坏包公司"})
    good = tmp_path / "good.crmchanges"
    packages.export_package(good)
    lines = _lines(good)
    header = json.loads(lines[0])
    wang.use()

    other = tmp_path / "other-team.crmchanges"  # a whole, signed package of another team's hub
    packages.write(other, dict(header, epoch="another-team-epoch", hub="10.0.0.9:5432/crm"),
                   [json.loads(line) for line in lines[1:-1]])
    assert "another team" in _refused(other, "sync_package_other_team")

    tampered = tmp_path / "tampered.crmchanges"
    changed = [lines[0]] + [line.replace("坏包公司".encode(), "假公司".encode()) for line in lines[1:]]
    with gzip.open(tampered, "wb") as out:
        out.write(b"".join(changed))
    _refused(tampered, "sync_package_tampered")

    dropped = tmp_path / "dropped-line.crmchanges"  # one edit left out, digest line kept
    with gzip.open(dropped, "wb") as out:
        out.write(b"".join(lines[:2] + lines[3:]))
    _refused(dropped, "sync_package_tampered")

    cut = tmp_path / "cut.crmchanges"
    data = good.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    _refused(cut, "sync_package_truncated")

    no_digest = tmp_path / "no-digest.crmchanges"
    with gzip.open(no_digest, "wb") as out:
        out.write(b"".join(lines[:-1]))
    _refused(no_digest, "sync_package_truncated")

    for name, data in (("notes.txt", "这不是包\n".encode()), ("empty.crmchanges", b""),
                       ("sheet.xlsx", b"PK\x03\x04" + bytes(100))):
        path = tmp_path / name
        path.write_bytes(data)
        _refused(path, "sync_package_not_package")
    foreign = tmp_path / "foreign.gz"
    with gzip.open(foreign, "wb") as out:
        out.write(b'{"hello": "world"}\n')
    _refused(foreign, "sync_package_not_package")
    _refused(tmp_path / "absent.crmchanges", "sync_package_missing")

    got = packages.import_package(good)  # the good one still goes in
    assert got.queued == got.edits > 0


def test_a_package_of_this_laptop_changes_nothing(team, tmp_path):
    lina = team.laptop("lina")
    lina.use()
    customers.create({"name": "自己的"})
    package = tmp_path / "mine.crmchanges"
    count = packages.export_package(package)
    before = _state()
    got = packages.import_package(package)
    assert (got.queued, got.skipped) == (0, count)
    assert _state() == before


def test_export_needs_a_team(tmp_path, db):
    with pytest.raises(CrmError) as error:
        packages.export_package(tmp_path / "x.crmchanges")
    assert error.value.code == "sync_not_joined"
