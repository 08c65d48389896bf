"""Business settings the team shares (issue 20) against a real PostgreSQL: a manager's
pipeline stages reach every laptop; the desk may change complaint deadlines but not the
stages; a rep's change of a shared setting is refused by the hub and the team's value
comes back; the first laptop to join sets the team's settings and later ones take them;
the later of two changes wins everywhere; a damaged value stays home."""
from __future__ import annotations

import json

import psycopg
import pytest

from crmdesk.core.changes import Changes
from crmdesk.core.models import Setting
from crmdesk.core.sales import stages
from crmdesk.core.complaints import settings as complaint_settings
from crmdesk.core.visits import planning as visit_planning
from crmdesk.core.sync import team_settings
from tests.core.sync.pkg_helpers import PASSWORD, team_fixture

MEMBERS = {"lina": ("rep", ["华东"]), "desk": ("desk", []), "boss": ("manager", [])}


team = team_fixture(MEMBERS)


def _stage_keys() -> list[str]:
    return [s.key for s in stages.load()]


def _with_demo_stage() -> list:
    listed = list(stages.load())
    return listed[:1] + [stages.Stage("demo", "演示", "Demo", 40)] + listed[1:]


def _hub(team, sql: str, params=()):
    with psycopg.connect(team.cluster.url(team.db)) as conn:
        return conn.execute(sql, params).fetchall()


def test_a_managers_stages_reach_every_laptop(team):
    boss, lina, desk = team.laptop("boss"), team.laptop("lina"), team.laptop("desk")
    boss.join()
    lina.join()
    desk.join()
    boss.use()
    stages.save(_with_demo_stage())
    assert boss.sync().pushed >= 1
    assert _hub(team, "SELECT actor FROM sync.setting WHERE key = %s", [stages.KEY]) == [("boss",)]

    got = lina.sync()
    assert "demo" in _stage_keys()
    assert Changes.reset() in got.changes  # the open views read the settings again
    assert got.settings_refused == []
    desk.sync()
    assert "demo" in _stage_keys()
    assert desk.sync().pulled == 0  # nothing new: nothing taken twice


def test_a_reps_change_is_refused_and_the_teams_value_comes_back(team):
    boss, lina = team.laptop("boss"), team.laptop("lina")
    boss.join()
    boss.use()
    visit_planning.set_frequencies({"key": 14})
    boss.sync()
    lina.join()
    assert visit_planning.frequencies()["key"] == 14
    assert not team_settings.may_change(visit_planning.FREQUENCY_KEY)

    visit_planning.set_frequencies({"key": 3})  # what the app offers no Save for, done anyway
    got = lina.sync()
    assert got.settings_refused == [visit_planning.FREQUENCY_KEY]
    assert visit_planning.frequencies()["key"] == 14
    assert _hub(team, "SELECT value->>'key' FROM sync.setting WHERE key = %s", [visit_planning.FREQUENCY_KEY]) == [("14",)]
    assert lina.sync().settings_refused == []  # said once


def test_the_desk_may_change_complaint_settings_but_not_the_stages(team):
    boss, desk = team.laptop("boss"), team.laptop("desk")
    boss.join()
    desk.join()
    assert team_settings.may_change(complaint_settings.DEADLINES_KEY)
    assert not team_settings.may_change(stages.KEY)
    deadlines = {k: list(v) for k, v in complaint_settings.load().deadlines.items()}
    first = next(iter(deadlines))
    deadlines[first] = [2, 20]
    complaint_settings.save(deadlines, {})
    stages.save(_with_demo_stage())
    got = desk.sync()
    assert got.settings_refused == [stages.KEY]
    assert "demo" not in _stage_keys()  # the hub has no stages yet: the defaults, as before

    boss.sync()
    assert complaint_settings.load().deadlines[first] == (2, 20)


def test_the_first_laptop_sets_the_teams_settings_and_later_ones_take_them(team):
    boss, lina = team.laptop("boss"), team.laptop("lina")
    boss.use()
    visit_planning.set_frequencies({"key": 10})  # before joining: this laptop's own
    boss.join()
    assert _hub(team, "SELECT value->>'key' FROM sync.setting WHERE key = %s", [visit_planning.FREQUENCY_KEY]) == [("10",)]

    lina.use()
    visit_planning.set_frequencies({"key": 60})  # the rep's own, from before the team
    got = lina.join()
    assert got.settings_refused == []  # joining is no change of hers to refuse
    assert visit_planning.frequencies()["key"] == 10


def test_the_later_of_two_changes_wins_everywhere(team, time_machine):
    import datetime as dt
    boss, desk = team.laptop("boss"), team.laptop("desk")
    boss.join()
    desk.join()
    desk.use()
    complaint_settings.set_team(["王芳"])
    boss.use()
    time_machine.shift(dt.timedelta(seconds=2))
    complaint_settings.set_team(["李娜", "王芳"])  # later, not having seen the desk's
    boss.sync()
    desk.sync()  # the desk's older change: the hub keeps the boss's, the desk takes it
    assert complaint_settings.team() == ["李娜", "王芳"]
    boss.sync()
    assert complaint_settings.team() == ["李娜", "王芳"]


def test_a_damaged_value_stays_home(team):
    boss = team.laptop("boss")
    boss.join()
    boss.use()
    Setting.insert(key=stages.KEY, value="{not json").on_conflict_replace().execute()
    got = boss.sync()  # no error: the hub is not sent what it cannot read
    assert got.pushed == 0 and got.settings_refused == []
    assert _hub(team, "SELECT count(*) FROM sync.setting") == [(0,)]
    assert Setting.get_by_id(stages.KEY).value == "{not json"  # left as it was
    assert _stage_keys()[0] == stages.DEFAULT_STAGES[0].key  # read as the defaults, as alone


def test_the_hub_refuses_what_the_app_would_not_send(team):
    """With the app bypassed: a rep's login may read the settings, not change them; a key
    that is not shared is refused; a removed login reads nothing."""
    from crmdesk.core.sync import hub
    team.laptop("boss").join()
    url = f"postgresql://lina:{PASSWORD}@127.0.0.1:{team.cluster.port}/{team.db}"
    with psycopg.connect(url, autocommit=True) as conn:
        stamp = "9999999999999999-0000-x"
        assert conn.execute("SELECT sync.put_setting(%s, %s::jsonb, %s)",
                            [stages.KEY, json.dumps([]), stamp]).fetchone()[0] == "refused"
        with pytest.raises(psycopg.errors.InvalidParameterValue):
            conn.execute("SELECT sync.put_setting('care.last_run', '1'::jsonb, %s)", [stamp])
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO sync.setting VALUES ('sales.stages', '[]', 'z', 'lina')")
    hub.remove_user(team.admin, "lina")
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url).close()
