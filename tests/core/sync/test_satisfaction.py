"""A customer's satisfaction is worked out on each laptop from the complaints' surveys
(issue 20): the desk's survey goes out as the complaint's fields only, the hub refuses
nothing, and the rep's laptop shows the same satisfaction after its pull."""
from __future__ import annotations

import datetime as dt

from crmdesk.core.models import Complaint, Customer, database
from crmdesk.core.complaints import aftercare
from tests.core.sync.pkg_helpers import customer_with_everything, team_fixture

MEMBERS = {"lina": ("rep", ["华东"]), "desk": ("desk", [])}


team = team_fixture(MEMBERS)


def test_the_desks_survey_reaches_the_reps_laptop_as_the_same_satisfaction(team):
    lina, desk = team.laptop("lina"), team.laptop("desk")
    lina.use()
    customer_with_everything("满意公司", "lina")
    lina.join()
    desk.join()
    complaint = Complaint.get()
    Complaint.update(state="closed", satisfaction=4, satisfaction_scale=5,
                     closed_at=dt.datetime(2026, 12, 6, 10, 0)).where(Complaint.id == complaint.id).execute()
    aftercare.refresh_satisfaction(complaint.customer_id)  # as closing with a survey does
    assert Customer.get().satisfaction == 4
    assert database.execute_sql("SELECT count(*) FROM sync_outbox WHERE field = 'satisfaction' "
                                "AND entity = 'customer'").fetchone()[0] == 0
    got = desk.sync()
    assert got.refused == 0
    assert database.execute_sql("SELECT count(*) FROM sync_conflict").fetchone()[0] == 0

    lina.sync()
    assert Customer.get().satisfaction == 4
    assert Complaint.get().satisfaction == 4
