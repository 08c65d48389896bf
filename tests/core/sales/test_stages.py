"""The pipeline's stages: defaults, edits kept, and every bad list refused with nothing
stored."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from crmdesk.core.errors import CrmError
from crmdesk.core.models import Customer, Opportunity, Setting
from crmdesk.core.sales import stages
from crmdesk.core.sales.stages import DEFAULT_STAGES, Stage


def test_the_defaults_follow_the_course(db):
    loaded = stages.load()
    assert [s.key for s in loaded] == ["lead", "qualified", "proposal", "negotiation", "won", "lost"]
    assert [s.name_zh for s in loaded][:4] == ["线索", "需求确认", "方案演示", "谈判/异议处理"]
    assert [s.probability for s in stages.open_stages(loaded)] == [10, 30, 50, 75]
    assert loaded[-2].name("zh_CN") == "赢单" and loaded[-1].name("en") == "Lost"


def test_an_edited_list_is_kept_in_order(db):
    edited = (Stage("visit", "初次拜访", "First visit", 20),) + DEFAULT_STAGES[1:]
    stages.save(edited)
    assert stages.load() == edited
    assert stages.by_key()["visit"].probability == 20


@pytest.mark.parametrize("bad, code", [
    ([s for s in DEFAULT_STAGES if s.closed], "stages_empty"),
    ([DEFAULT_STAGES[0], replace(DEFAULT_STAGES[1], name_zh="线索")] + list(DEFAULT_STAGES[2:]), "stage_name_twice"),
    ([DEFAULT_STAGES[0], replace(DEFAULT_STAGES[1], key="lead")] + list(DEFAULT_STAGES[2:]), "stage_name_twice"),
    ([replace(DEFAULT_STAGES[0], probability=120)] + list(DEFAULT_STAGES[1:]), "stage_invalid"),
    ([replace(DEFAULT_STAGES[0], name_zh="", name_en="")] + list(DEFAULT_STAGES[1:]), "stage_invalid"),
    (list(DEFAULT_STAGES[:4]) + [DEFAULT_STAGES[5], DEFAULT_STAGES[4]], "stages_won_lost_last"),
    (list(DEFAULT_STAGES[:4]), "stages_won_lost_last"),
])
def test_a_bad_list_is_refused_and_nothing_stored(db, bad, code):
    with pytest.raises(CrmError) as caught:
        stages.save(bad)
    assert caught.value.code == code
    assert Setting.get_or_none(Setting.key == stages.KEY) is None
    assert stages.load() == DEFAULT_STAGES


def test_a_stage_with_deals_in_it_cannot_be_removed(db):
    customer = Customer.create(code="C1", name="华润")
    Opportunity.create(customer=customer, title="管道", stage="proposal", stage_since=dt.datetime(2026, 11, 1))
    with pytest.raises(CrmError) as caught:
        stages.save([s for s in DEFAULT_STAGES if s.key != "proposal"])
    assert caught.value.code == "stage_in_use" and caught.value.params["count"] == 1
    assert stages.load() == DEFAULT_STAGES


def test_a_damaged_stored_list_falls_back_to_the_defaults(db):
    Setting.create(key=stages.KEY, value="[{not json")
    assert stages.load() == DEFAULT_STAGES
    Setting.update(value='[{"key": "lead"}]').execute()
    assert stages.load() == DEFAULT_STAGES
