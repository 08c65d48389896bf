"""Hand-over (issue 20) against a real PostgreSQL: a manager gives a 华东 customer to a 华北
rep; after the syncs the 华东 rep's laptop no longer holds it nor its visits and complaints,
the 华北 rep's holds it whole; undo brings it back. A rep may not hand over."""
from __future__ import annotations

import pytest

from crmdesk.core.errors import CrmError
from crmdesk.core.models import Batch, Opportunity, Visit, database
from crmdesk.core.customers import archive as customers
from crmdesk.core.sync import handover
from tests.core.sync.pkg_helpers import counts, customer_with_everything, team_fixture

MEMBERS = {"lina": ("rep", ["华东"]), "zhao": ("rep", ["华北"]), "boss": ("manager", [])}


team = team_fixture(MEMBERS)


def _uuid(cid: int) -> str:
    return database.execute_sql("SELECT uuid FROM customer WHERE id = ?", [cid]).fetchone()[0]


def _visit_with_follow_up(cid: int, n: int):
    """A visit of lina's (uuid 00000000-…-n) naming its follow-up a week later (uuid
    ffffffff-…-n), which a hand-over sends after it. Returns the visit's start."""
    import datetime as dt
    start = dt.datetime(2026, 12, 11, 9, 0)
    later = Visit.create(uuid=f"ffffffff-0000-4000-8000-{n:012d}", customer=cid, rep="lina",
                         starts_at=start + dt.timedelta(days=7), ends_at=start + dt.timedelta(days=7, hours=1))
    Visit.create(uuid=f"00000000-0000-4000-8000-{n:012d}", customer=cid, rep="lina", starts_at=start,
                 ends_at=start + dt.timedelta(hours=1), next_visit=later.id)
    return start


def test_a_customer_moves_to_another_team_whole_and_back(team):
    lina, zhao, boss = team.laptop("lina"), team.laptop("zhao"), team.laptop("boss")
    lina.join()
    cid = customer_with_everything("东方贸易", "lina")
    other = customer_with_everything("留下公司", "lina")  # stays with 华东
    uuid, stays = _uuid(cid), _uuid(other)
    lina.sync()
    assert counts(uuid)["team"] == "华东"
    zhao.join()
    assert counts(uuid) == {}
    boss.join()
    before = counts(uuid)
    assert before["visit"] == 1 and before["complaint"] == 1

    local = database.execute_sql("SELECT id FROM customer WHERE uuid = ?", [uuid]).fetchone()[0]
    done = handover.handover([local], to_owner="zhao", to_team="华北")
    assert (done.customers, done.opportunities, done.visits) == (1, 1, 1)
    assert counts(uuid)["owner"] == "zhao" and counts(uuid)["team"] == "华北"
    assert Batch.get_by_id(done.batch_id).kind == "handover"
    boss.sync()

    lina.sync()
    assert counts(uuid) == {}, "the 华东 rep's laptop drops the customer and everything of it"
    assert database.execute_sql("SELECT count(*) FROM complaint WHERE number = 'CMP-东方贸易'").fetchone()[0] == 0
    assert database.execute_sql("SELECT count(*) FROM visit WHERE rep = 'lina'").fetchone()[0] == 1  # 留下公司's
    assert counts(stays)["team"] == "华东"

    zhao.sync()
    got = counts(uuid)
    assert got == {"owner": "zhao", "team": "华北", "visit": 1, "sale": 1, "complaint": 1, "care_event": 1,
                   "opportunity": 1}
    assert Opportunity.get(Opportunity.title == "东方贸易 deal").owner == "zhao"
    assert Visit.get().rep == "zhao"
    assert counts(stays) == {}

    boss.use()
    back = handover.undo(done.batch_id)
    assert back.customers == 1
    assert counts(uuid)["owner"] == "lina" and counts(uuid)["team"] == "华东"
    with pytest.raises(CrmError) as error:
        handover.undo(done.batch_id)
    assert error.value.code == "sync_handover_undone"
    boss.sync()
    lina.sync()
    assert counts(uuid)["visit"] == 1 and counts(uuid)["owner"] == "lina"
    assert Opportunity.get(Opportunity.title == "东方贸易 deal").owner == "lina"
    zhao.sync()
    assert counts(uuid) == {}


def test_all_of_a_reps_customers_by_owner(team):
    lina, boss = team.laptop("lina"), team.laptop("boss")
    lina.join()
    customer_with_everything("甲", "lina")
    customer_with_everything("乙", "lina")
    lina.sync()
    boss.join()
    done = handover.handover(from_owner="lina", to_owner="wang")
    assert done.customers == 2
    assert database.execute_sql("SELECT count(*) FROM customer WHERE owner = 'wang' AND team = '华东'").fetchone()[0] == 2
    boss.sync()
    lina.sync()
    assert database.execute_sql("SELECT count(*) FROM customer WHERE owner = 'wang'").fetchone()[0] == 2


def test_a_rep_may_not_hand_over(team):
    lina = team.laptop("lina")
    lina.join()
    cid = customer_with_everything("东方贸易", "lina")
    with pytest.raises(CrmError) as error:
        handover.handover([cid], to_owner="zhao", to_team="华北")
    assert error.value.code == "sync_handover_manager_only"
    assert counts(_uuid(cid))["owner"] == "lina"
    assert not Batch.select().where(Batch.kind == "handover").exists()


def test_bad_hand_overs_say_what_is_wrong(team):
    boss = team.laptop("boss")
    boss.join()
    cid = customer_with_everything("东方贸易", "lina")
    for call, code in ((lambda: handover.handover([cid], to_owner="zhao", to_team="西南"), "sync_no_such_team"),
                       (lambda: handover.handover([cid], to_owner=""), "sync_handover_no_owner"),
                       (lambda: handover.handover(from_owner="nobody", to_owner="zhao"), "sync_handover_none"),
                       (lambda: handover.undo(9999), "sync_handover_unknown")):
        with pytest.raises(CrmError) as error:
            call()
        assert error.value.code == code
    assert counts(_uuid(cid))["owner"] == "lina"


def test_references_to_records_further_on_in_the_move_survive(team):
    """The move reaches the new team entity by entity, each in uuid order: a visit whose
    follow-up comes after it, a complaint repeating a later one's uuid, keep their links."""
    import datetime as dt

    from crmdesk.core.models import Complaint
    lina, zhao, boss = team.laptop("lina"), team.laptop("zhao"), team.laptop("boss")
    lina.join()
    cid = customer_with_everything("回访公司", "lina")
    start = _visit_with_follow_up(cid, 1)
    first = Complaint.create(uuid="ffffffff-0000-4000-8000-000000000002", customer=cid, number="CMP-A",
                             received_at=start, category="quality")
    Complaint.create(uuid="00000000-0000-4000-8000-000000000002", customer=cid, number="CMP-B",
                     received_at=start + dt.timedelta(days=1), category="quality", repeat_of=first.id)
    uuid = _uuid(cid)
    lina.sync()
    zhao.join()
    boss.join()
    local = database.execute_sql("SELECT id FROM customer WHERE uuid = ?", [uuid]).fetchone()[0]
    handover.handover([local], to_owner="zhao", to_team="华北")
    boss.sync()

    zhao.sync()
    assert counts(uuid)["visit"] == 3
    linked = database.execute_sql(
        "SELECT n.uuid FROM visit v JOIN visit n ON n.id = v.next_visit_id "
        "WHERE v.uuid = '00000000-0000-4000-8000-000000000001'").fetchall()
    assert linked == [("ffffffff-0000-4000-8000-000000000001",)]
    repeated = database.execute_sql(
        "SELECT r.number FROM complaint k JOIN complaint r ON r.id = k.repeat_of_id WHERE k.number = 'CMP-B'").fetchall()
    assert repeated == [("CMP-A",)]
    assert database.execute_sql("SELECT count(*) FROM sync_parked").fetchone()[0] == 0


def test_a_customer_leaving_in_the_pull_that_brings_its_new_visit_comes_back_with_it(team):
    """One pull brings a visit of a customer and, after it, the customer's hand-over to
    another team: both leave the laptop, and when the customer comes back the visit comes
    with it (the visit's times were kept as known after it left, and it was skipped)."""
    import datetime as dt

    from crmdesk.core.visits import visits
    lina, boss = team.laptop("lina"), team.laptop("boss")
    lina.join()
    cid, _ = customers.create({"name": "往返公司"})
    uuid = _uuid(cid)
    lina.sync()
    boss.join()
    local = database.execute_sql("SELECT id FROM customer WHERE uuid = ?", [uuid]).fetchone()[0]
    start = dt.datetime(2026, 12, 10, 9, 0)
    visits.create({"customer_id": local, "starts_at": start, "ends_at": start + dt.timedelta(hours=1)})
    boss.sync()
    handover.handover([local], to_owner="zhao", to_team="华北")
    boss.sync()
    lina.sync()
    assert counts(uuid) == {}
    boss.use()
    handover.handover([local], to_owner="lina", to_team="华东")
    boss.sync()
    lina.sync()
    assert counts(uuid)["visit"] == 1


def test_a_customer_coming_back_keeps_the_links_its_own_laptop_made(team):
    """lina's visit names its follow-up, which comes after it in the move: back on lina's
    laptop, the link waits for the follow-up and is then applied, though lina made it
    (her own edits back from the hub are skipped only while she holds the record)."""
    lina, boss = team.laptop("lina"), team.laptop("boss")
    lina.join()
    cid = customer_with_everything("回来公司", "lina")
    _visit_with_follow_up(cid, 3)
    uuid = _uuid(cid)
    lina.sync()
    boss.join()
    local = database.execute_sql("SELECT id FROM customer WHERE uuid = ?", [uuid]).fetchone()[0]
    for owner, to_team in (("zhao", "华北"), ("lina", "华东")):
        boss.use()
        handover.handover([local], to_owner=owner, to_team=to_team)
        boss.sync()
        lina.sync()
    linked = database.execute_sql(
        "SELECT n.uuid FROM visit v JOIN visit n ON n.id = v.next_visit_id "
        "WHERE v.uuid = '00000000-0000-4000-8000-000000000003'").fetchall()
    assert linked == [("ffffffff-0000-4000-8000-000000000003",)]
    assert database.execute_sql("SELECT count(*) FROM sync_parked").fetchone()[0] == 0
