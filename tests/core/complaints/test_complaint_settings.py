"""The complaint desk's settings: defaults, a round trip, wrong values refused with nothing
stored, damaged stored values falling back to the defaults, and the people a complaint
can be given to."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from crmdesk.core.complaints import fields as K
from crmdesk.core.errors import ValidationError
from crmdesk.core.models import Setting, database
from crmdesk.core.complaints import settings as S
from crmdesk.core.complaints import complaints
from crmdesk.core.customers import archive as customers
from crmdesk.core.visits import visits

GOOD = {"low": (24, 90), "normal": (8, 45), "high": (4, 18), "critical": (1, 9)}


def stored():
    return database.execute_sql('SELECT * FROM "setting" ORDER BY 1').fetchall()


def test_defaults(db):
    settings = S.load()
    assert settings.deadlines == K.DEFAULT_DEADLINES
    assert settings.deadlines["normal"] == (8, 45)
    options = settings.options
    assert (options.workday_start, options.workday_end) == (dt.time(9), dt.time(18))
    assert options.satisfaction_scale == 5 and options.follow_up_days == 7
    assert settings.calendar().day_minutes == 540
    assert S.team() == []


def test_round_trip(db):
    deadlines = {"low": ("48", "120"), "normal": (6, 30), "high": (2, 12.0), "critical": (1, 1)}
    changes = S.save(deadlines, {"workday_start": "08:30", "workday_end": "17:30",
                                 "satisfaction_scale": "7", "follow_up_days": "14"})
    assert changes[0].entity == "complaint_settings"
    settings = S.load()
    assert settings.deadlines == {"low": (48, 120), "normal": (6, 30), "high": (2, 12), "critical": (1, 1)}
    assert settings.options == S.Options(dt.time(8, 30), dt.time(17, 30), 7, 14)
    assert settings.calendar().day_minutes == 540 and settings.calendar().start == dt.time(8, 30)
    S.save(GOOD, {})  # options left out: the defaults
    assert S.load() == S.Settings()


@pytest.mark.parametrize("hours, code", [
    (0, "complaint_deadline_invalid"), (-4, "complaint_deadline_invalid"), ("-1", "complaint_deadline_invalid"),
    (1.5, "complaint_deadline_invalid"), ("1.5", "complaint_deadline_invalid"),
    ("eight", "complaint_deadline_invalid"), ("", "complaint_deadline_invalid"),
    (None, "complaint_deadline_invalid"), (True, "complaint_deadline_invalid"),
    ("nan", "complaint_deadline_invalid"), ("inf", "complaint_deadline_invalid"),
    (float("inf"), "complaint_deadline_invalid"), (10000, "complaint_deadline_invalid"),
])
def test_a_bad_deadline_is_refused_and_nothing_stored(db, hours, code):
    S.save(GOOD, {"follow_up_days": 3})
    before = stored()
    with pytest.raises(ValidationError) as caught:
        S.save({**GOOD, "high": (hours, 18)}, {})
    assert set(caught.value.errors) == {"high.response"}
    assert caught.value.errors["high.response"].code == code
    assert caught.value.errors["high.response"].params["max"] == K.MAX_DEADLINE_HOURS
    assert stored() == before


def test_resolution_before_the_first_response_is_refused(db):
    before = stored()
    with pytest.raises(ValidationError) as caught:
        S.save({**GOOD, "normal": (8, 4)}, {})
    assert caught.value.errors["normal.resolution"].code == "complaint_resolution_before_response"
    assert stored() == before
    S.save({**GOOD, "normal": (8, 8)}, {})  # the same is allowed
    assert S.load().deadlines["normal"] == (8, 8)


def test_a_missing_or_malformed_pair_is_refused(db):
    with pytest.raises(ValidationError) as caught:
        S.validate({k: v for k, v in GOOD.items() if k != "low"}, {})
    assert set(caught.value.errors) == {"low.response", "low.resolution"}
    for pair in ((5,), (5, 10, 15), "824", 8):
        with pytest.raises(ValidationError) as caught:
            S.validate({**GOOD, "low": pair}, {})
        assert set(caught.value.errors) == {"low.response", "low.resolution"}, pair


@pytest.mark.parametrize("options, key, code", [
    ({"workday_start": "9am"}, "workday_start", "time_invalid"),
    ({"workday_end": "25:00"}, "workday_end", "time_invalid"),
    ({"workday_start": "18:00", "workday_end": "09:00"}, "workday_end", "workday_end_before_start"),
    ({"workday_start": "09:00", "workday_end": "09:00"}, "workday_end", "workday_end_before_start"),
    ({"satisfaction_scale": 10}, "satisfaction_scale", "enum_invalid"),
    ({"satisfaction_scale": 7.5}, "satisfaction_scale", "enum_invalid"),
    ({"satisfaction_scale": True}, "satisfaction_scale", "enum_invalid"),
    ({"follow_up_days": -1}, "follow_up_days", "number_out_of_range"),
    ({"follow_up_days": 366}, "follow_up_days", "number_out_of_range"),
    ({"follow_up_days": "2.5"}, "follow_up_days", "number_out_of_range"),
])
def test_bad_options_are_refused_and_nothing_stored(db, options, key, code):
    before = stored()
    with pytest.raises(ValidationError) as caught:
        S.save(GOOD, options)
    assert caught.value.errors[key].code == code
    assert stored() == before


def test_zero_follow_up_days_means_the_same_day(db):
    S.save(GOOD, {"follow_up_days": 0})
    assert S.load().options.follow_up_days == 0


@pytest.mark.parametrize("value", ["{not json", "null", "[1, 2]", '"text"', "42"])
def test_damaged_json_falls_back_to_the_defaults(db, value):
    for key in (S.DEADLINES_KEY, S.OPTIONS_KEY, S.TEAM_KEY):
        Setting.insert(key=key, value=value).on_conflict_replace().execute()
    assert S.load() == S.Settings()
    assert S.team() == ([] if value != "[1, 2]" else ["1", "2"])


def test_damaged_values_fall_back_one_by_one(db):
    Setting.insert(key=S.DEADLINES_KEY, value=json.dumps({
        "low": [30, 100], "normal": [0, 45], "high": [True, 18], "critical": [9, 1]})).execute()
    Setting.insert(key=S.OPTIONS_KEY, value=json.dumps({
        "workday_start": "18:00", "workday_end": "09:00", "satisfaction_scale": 7.0,
        "follow_up_days": True})).execute()
    settings = S.load()
    assert settings.deadlines == {**K.DEFAULT_DEADLINES, "low": (30, 100)}
    assert settings.options == S.Options()
    assert type(settings.options.satisfaction_scale) is int


# ---------------------------------------------------------------- people

def test_people_and_is_person(db):
    cid = customers.create({"name": "上海明华贸易有限公司", "owner": "张伟"})[0]
    customers.create({"name": "无人负责有限公司"})  # no owner
    gone = customers.create({"name": "已删除有限公司", "owner": "赵六"})[0]
    customers.delete([gone])
    visits.create({"customer_id": cid, "starts_at": dt.datetime(2026, 2, 10, 10),
                   "ends_at": dt.datetime(2026, 2, 10, 11), "kind": "first_visit", "objective": "了解需求",
                   "rep": "李娜"})
    S.set_team(["  王 芳 ", "王 芳", "", "陈静"])
    assert S.team() == ["王 芳", "陈静"]
    complaints.create({"customer_id": cid, "category": "delivery", "words": "晚了",
                       "received_at": dt.datetime(2026, 2, 13, 10), "owner": "陈静"})
    assert S.people() == sorted(["张伟", "李娜", "王 芳", "陈静"])
    assert S.is_person("张伟") and S.is_person("李娜") and S.is_person("王 芳")
    assert not S.is_person("赵六")  # only the owner of a deleted customer
    assert not S.is_person("Nobody")
    assert not S.is_person("") and not S.is_person("  ")  # though a customer has no owner


def test_a_team_name_too_long_is_refused_and_nothing_stored(db):
    S.set_team(["陈静"])
    before = stored()
    with pytest.raises(ValidationError) as caught:
        S.set_team(["陈静", "长" * 101])
    assert caught.value.errors["team"].code == "too_long"
    assert stored() == before
