"""Merging duplicate customers and taking a merge back (issue 21): every record moves to the
kept customer in one batch, values chosen or the fuller one, tags united; undo puts each row
back, even after other edits."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk.core import dedupe
from crmdesk.core.errors import CrmError
from crmdesk.core.models import CareEvent, ChangeLog, Complaint, Contact, Customer, Transaction, Visit, database
from crmdesk.core.complaints import complaints
from crmdesk.core.customers import contacts, archive as customers, transactions
from crmdesk.core import history
from crmdesk.core.visits import visits


def add(**values) -> int:
    return customers.create(values)[0]


def plan_visit(cid: int, day: int) -> int:
    return visits.create({"customer_id": cid, "starts_at": dt.datetime(2026, 12, day, 10),
                          "ends_at": dt.datetime(2026, 12, day, 11), "kind": "first_visit",
                          "objective": "了解需求", "rep": "李娜"}).visit_id


@pytest.fixture
def pair(db):
    keep = add(name="北京华润商贸有限公司", city="北京", mobile="13812345678", tags="重点, 北京",
               notes="老客户")
    other = add(name="华润商贸(北京)有限公司", city="北京", email="wang@huarun.cn", phone="01088889999",
                tags="北京, 展会", notes="展会上认识")
    plan_visit(other, 10)
    transactions.add(other, {"date": "2026-02-01", "amount": "1200", "product": "打印机"})
    complaints.create({"customer_id": other, "category": "delivery", "words": "晚了",
                       "received_at": dt.datetime(2026, 12, 1, 10)})
    contacts.save_all(other, [contacts.ContactData(name="王芳", mobile="13900001111")])
    return keep, other


def test_merge_moves_everything_and_keeps_the_fuller_values(pair):
    keep, other = pair
    result = dedupe.merge(keep, [other])
    kept = Customer.get_by_id(keep)
    assert kept.name == "北京华润商贸有限公司"  # the kept one's own value stays
    assert (kept.mobile, kept.email, kept.phone) == ("+8613812345678", "wang@huarun.cn", "+861088889999")
    assert kept.tags == "重点, 北京, 展会"
    assert kept.notes == "老客户\n展会上认识"
    assert Visit.select().where(Visit.customer == keep).count() == 1
    assert Transaction.select().where(Transaction.customer == keep).count() == 1
    assert Complaint.select().where(Complaint.customer == keep).count() == 1
    assert Contact.select().where(Contact.customer == keep).count() == 1
    assert CareEvent.select().where(CareEvent.customer == other).count() == 0
    assert Customer.get_by_id(other).deleted_at is not None
    assert kept.next_visit_at == dt.datetime(2026, 12, 10, 10)  # derived from the visit it got
    assert result.moved["visit"] == 1 and result.moved["contact"] == 1
    # the other's history shows on the kept customer's timeline, and the merge is one batch
    history_of_other = ChangeLog.select().where(ChangeLog.customer_id == other)
    assert [e.action for e in history_of_other] == ["deleted"]  # the merge's; the rest moved
    assert ChangeLog.select().where((ChangeLog.customer_id == keep) & (ChangeLog.record_id == other)).count() == 1
    assert {e.batch_id for e in ChangeLog.select().where(ChangeLog.batch == result.batch_id)} == {result.batch_id}
    assert database.execute_sql("SELECT kind FROM batch WHERE id = ?", (result.batch_id,)).fetchone()[0] == "merge"


def test_values_chosen_by_hand_win(pair):
    keep, other = pair
    dedupe.merge(keep, [other], chosen={"name": "华润商贸(北京)有限公司", "notes": "只留这条"})
    kept = Customer.get_by_id(keep)
    assert (kept.name, kept.notes) == ("华润商贸(北京)有限公司", "只留这条")


def test_undo_puts_everything_back(pair):
    keep, other = pair
    before = customers.to_dict(Customer.get_by_id(keep))
    result = dedupe.merge(keep, [other])
    undone = dedupe.undo_merge()
    assert undone.batch_id == result.batch_id and undone.restored == [other]
    assert customers.to_dict(Customer.get_by_id(keep)) == before
    assert Customer.get_by_id(other).deleted_at is None
    for model in (Visit, Transaction, Complaint, Contact):
        assert model.select().where(model.customer == other).count() == 1
        assert model.select().where(model.customer == keep).count() == 0
    assert Customer.get_by_id(keep).next_visit_at is None
    with pytest.raises(CrmError) as caught:
        dedupe.undo_merge(result.batch_id)
    assert caught.value.code == "merge_already_undone"


def test_undo_after_other_edits_keeps_them(pair):
    keep, other = pair
    result = dedupe.merge(keep, [other])
    new_visit = plan_visit(keep, 20)  # made for the kept customer after the merge: it stays
    customers.update(keep, {"email": "new@huarun.cn"})  # edited since: the newer value stays
    moved_visit = Visit.get(Visit.customer == keep, Visit.id != new_visit)
    dedupe.undo_merge(result.batch_id)
    assert Visit.get_by_id(new_visit).customer_id == keep
    assert Visit.get_by_id(moved_visit.id).customer_id == other
    kept = Customer.get_by_id(keep)
    assert kept.email == "new@huarun.cn" and kept.phone == ""  # the phone the merge gave went back


def test_merging_three_and_undoing(db):
    keep = add(name="华润商贸", city="北京")
    others = [add(name="北京华润商贸有限公司", city="北京"), add(name="华润商贸有限公司", city="北京")]
    for cid in others:
        plan_visit(cid, 11)
    result = dedupe.merge(keep, others)
    assert sorted(result.merged) == sorted(others)
    assert Visit.select().where(Visit.customer == keep).count() == 2
    dedupe.undo_merge()
    assert [Visit.select().where(Visit.customer == c).count() for c in others] == [1, 1]


def test_what_cannot_be_merged(pair):
    keep, other = pair
    for bad in ([], [keep]):
        with pytest.raises(CrmError) as caught:
            dedupe.merge(keep, bad)
        assert caught.value.code == "merge_needs_two"
    customers.delete([other])
    with pytest.raises(CrmError) as caught:
        dedupe.merge(keep, [other])
    assert caught.value.code == "merge_customer_missing"
    assert Customer.get_by_id(keep).email == ""  # nothing changed


def test_no_merge_to_undo(db):
    with pytest.raises(CrmError) as caught:
        dedupe.undo_merge()
    assert caught.value.code == "no_merge_to_undo"
    assert history.actor()


def test_a_pair_the_team_listed_leaves_the_conflicts_list(pair):
    keep, other = pair
    from crmdesk.core.models import SyncConflict
    from crmdesk.core.sync import conflicts
    SyncConflict.create(id="7", kind="duplicate", entity="customer", uuid=Customer.get_by_id(other).uuid,
                        field="name", mine='"a"', theirs='"b"')
    SyncConflict.create(id="8", kind="concurrent", entity="customer", uuid=Customer.get_by_id(other).uuid,
                        field="email", mine='"a"', theirs='"b"')
    dedupe.merge(keep, [other])
    assert [r.id for r in conflicts.list_open()] == ["8"]  # only the duplicate note is settled
    assert conflicts.pending() == ["7"]  # the hub hears of it at the next sync



def test_the_merge_names_stay_functions_whatever_was_imported_first():
    import importlib
    importlib.import_module("crmdesk.core.dedupe.merging")  # a direct import of the module
    assert callable(dedupe.merge) and dedupe.merge.__name__ == "merge"
    assert dedupe.undo_merge.__name__ == "undo_merge"


def test_custom_values_are_merged_and_undone(db):
    from crmdesk.core import custom_fields as CF
    CF.add("宗教信仰", CF.TEXT)
    CF.add("家庭人数", CF.NUMBER)
    keep = add(name="北京华润商贸有限公司", city="北京", **{"cf:家庭人数": "3"})
    other = add(name="华润商贸(北京)有限公司", city="北京", **{"cf:宗教信仰": "佛教", "cf:家庭人数": "5"})
    result = dedupe.merge(keep, [other])
    assert CF.read([keep])[keep] == {"cf:宗教信仰": "佛教", "cf:家庭人数": 3}  # its own kept, the blank filled
    dedupe.undo_merge(result.batch_id)
    assert CF.read([keep])[keep] == {"cf:家庭人数": 3}
    assert CF.read([other])[other] == {"cf:宗教信仰": "佛教", "cf:家庭人数": 5}
    result = dedupe.merge(keep, [other], chosen={"cf:家庭人数": 5})  # the value chosen wins
    assert CF.read([keep])[keep]["cf:家庭人数"] == 5
