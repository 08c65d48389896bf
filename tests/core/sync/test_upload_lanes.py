"""A large first upload over two hub connections at once (``lanes``): the book arrives the
same, every record after its customer; an upload cut off on one lane resumes and doubles
nothing; on the hub, uploads of records without numbers share the push lock, while
numbered records and pushes wait for them."""
from __future__ import annotations

import json
import uuid as uuids

import psycopg
import pytest

from crmdesk.core.sync import download, sending, status, upload
from tests.core.sync.test_first_upload import answer_lost, book
from tests.core.sync.test_rls import connect_as
from tests.core.sync.test_sync_basics import team  # noqa: F401  (the fixture)

STAMP = "2026-12-06T10:00:00.000Z-0000-li"


@pytest.fixture
def small_lanes(monkeypatch):
    """Chunks of 7 records, two lanes from the first record on."""
    monkeypatch.setattr(upload, "CHUNK", 7)
    monkeypatch.setattr(upload, "LANES_FROM", 1)
    monkeypatch.setattr(download, "CHUNK", 5)
    opened = []
    real = sending.upload_whole

    def counting(conn, result, progress, connect_again=None):
        def again():
            opened.append(1)
            return connect_again()
        return real(conn, result, progress, again if connect_again else None)

    monkeypatch.setattr(sending, "upload_whole", counting)
    return opened


def test_a_demo_book_goes_up_over_two_lanes_and_comes_down_the_same(team, small_lanes):
    from crmdesk.core import demo
    team.add("li", ["A"])
    li = team.laptop("li").open()
    demo.generate(12, visits=True)
    li.sql("UPDATE customer SET team = 'A'")
    before = book(li)
    joined = li.join()
    assert small_lanes == [1, 1]  # two connections of its own
    assert joined.refused == 0 and joined.conflicts == 0
    assert team.query("SELECT count(*) FROM sync.change") == team.query("SELECT count(*) FROM sync.record")
    # Every customer was committed before the first record of another kind went up.
    first_other, last_customer = team.query(
        "SELECT min(xid::text::bigint) FILTER (WHERE entity <> 'customer'), "
        "max(xid::text::bigint) FILTER (WHERE entity = 'customer') FROM sync.change")[0]
    assert last_customer < first_other
    done, until = (json.loads(li.sql(f"SELECT value FROM sync_state WHERE key = '{key}'")[0][0])
                   for key in ("upload_done", "upload_until"))
    assert done == {name: last for name, last in until.items() if last}  # every entity's mark at its end
    assert status.local().waiting == 0
    boss = team.laptop("boss")
    assert boss.join().pulled == joined.pushed
    assert book(boss) == before


def test_an_upload_cut_off_on_one_lane_resumes_and_doubles_nothing(team, small_lanes, monkeypatch):
    from crmdesk.core import demo
    from crmdesk.core.errors import CrmError
    team.add("li", ["A"])
    li = team.laptop("li").open()
    demo.generate(8, visits=True)
    li.sql("UPDATE customer SET team = 'A'")
    before = book(li)
    answer_lost(monkeypatch, 9)
    with pytest.raises(CrmError) as error:
        li.join()
    assert error.value.code == "sync_offline"
    taken = team.query("SELECT count(*) FROM sync.record")[0][0]
    assert 0 < taken < sum(len(rows) for rows in before.values())
    assert status.local().waiting > 0  # what the hub has not confirmed is still waiting
    got = li.sync()
    assert got.conflicts == 0 and got.refused == 0
    assert team.query("SELECT count(*) FROM sync.record")[0][0] == sum(len(rows) for rows in before.values())
    assert team.query("SELECT count(*) FROM sync.change") == team.query("SELECT count(*) FROM sync.record")
    assert team.query("SELECT count(*) FROM sync.conflict") == [(0,)]
    assert status.local().waiting == 0
    boss = team.laptop("boss")
    boss.join()
    assert book(boss) == before


def _upload(conn, records: list) -> dict:
    return conn.execute("SELECT sync.upload(%s::jsonb, %s, 'site-li')", [json.dumps(records), STAMP]).fetchone()[0]


def _push_lock_held(conn) -> str:
    """The mode in which ``conn``'s open transaction holds the push lock ('' if it does not)."""
    rows = conn.execute("SELECT l.mode FROM pg_locks l WHERE l.locktype = 'advisory' AND l.pid = pg_backend_pid() "
                        "AND l.objid = hashtext('crmdesk sync.push')::oid").fetchall()
    return rows[0][0] if rows else ""


def test_uploads_of_records_without_numbers_share_the_push_lock_and_the_rest_wait(team):
    """Read from pg_locks and with try-locks, not by waiting: no timeouts (a clock set
    ahead, as faketime does, kept the server's lock_timeout from ever firing)."""
    team.add("li", ["A"])
    customer = str(uuids.uuid4())
    with connect_as(team, "li") as conn:
        assert _upload(conn, [{"e": "customer", "u": customer, "p": None, "n": 1, "d": {"name": "华润商贸", "team": "A"}}])["whole"] == 1
    visit = {"e": "visit", "p": customer, "n": 1, "d": {"customer_id": customer}}
    with connect_as(team, "li") as first, connect_as(team, "li") as second, \
            psycopg.connect(team.cluster.url(team.db), autocommit=True) as other:
        first.execute("BEGIN")
        assert _upload(first, [dict(visit, u=str(uuids.uuid4()))])["whole"] == 1  # its transaction stays open
        assert _push_lock_held(first) == "ShareLock"
        second.execute("BEGIN")
        assert _upload(second, [dict(visit, u=str(uuids.uuid4()))])["whole"] == 1  # did not wait for the first
        assert _push_lock_held(second) == "ShareLock"
        # What a push, a merge and an upload of numbered records take (start_writing) is not to be had meanwhile.
        assert other.execute("SELECT pg_try_advisory_xact_lock(hashtext('crmdesk sync.push'))").fetchone()[0] is False
        first.execute("COMMIT")
        second.execute("COMMIT")
        first.execute("BEGIN")
        assert _upload(first, [{"e": "customer", "u": str(uuids.uuid4()), "p": None, "n": 1,
                                "d": {"name": "华润商贸二", "code": "C000900", "team": "A"}}])["whole"] == 1
        assert _push_lock_held(first) == "ExclusiveLock"  # a numbered record: alone
        assert other.execute("SELECT pg_try_advisory_xact_lock_shared(hashtext('crmdesk sync.push'))").fetchone()[0] is False
        first.execute("COMMIT")
    assert team.query("SELECT count(*) FROM sync.record WHERE entity = 'visit'") == [(2,)]
    assert len({row[0] for row in team.query("SELECT seq FROM sync.change")}) == 4  # the feed's numbers stay unique


def test_the_desk_uploads_over_its_one_connection(team, small_lanes):
    """Most of what a desk holds is refused, and refusals are merged under the push lock
    alone: two lanes would keep deadlocking each other."""
    from crmdesk.core import demo
    team.add("desk", [], role="desk")
    desk = team.laptop("desk").open()
    demo.generate(3, visits=True)
    got = desk.join()
    assert small_lanes == []
    assert got.refused > 0
    assert team.query("SELECT count(*) FROM sync.record WHERE entity = 'customer'") == [(0,)]
