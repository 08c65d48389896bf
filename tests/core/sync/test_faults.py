"""Bad input and faults against a real PostgreSQL (issue 20, "Bad input and faults"): each
refusal is the one sentence of crmdesk.core.messages.message and leaves the laptop's data
as it was; a connection lost mid-push or mid-pull doubles and loses nothing; a laptop's
clock off by a day is refused, within the drift limit nothing is misordered; a removed
login says so; a hub restored from an old backup gets back what it lost."""
from __future__ import annotations

import datetime as dt
import json
import subprocess

import psycopg
import pytest

from crmdesk.core.errors import CrmError
from crmdesk.core.messages import message
from crmdesk.core.sync import apply as applying
from crmdesk.core.sync import hub, sending, session
from tests.core.sync.test_sync_basics import Team, customer_id, edit, new_customer, two_reps, uuid_of
from tests.pg_cluster import ADMIN_PASSWORD


@pytest.fixture
def team(pg_cluster, hub_db, tmp_path, time_machine):
    from crmdesk.core.db import close_database
    made = Team(pg_cluster, hub_db, tmp_path)
    time_machine.move_to(made.server_now(), tick=True)
    yield made
    close_database()


def refusal(call) -> CrmError:
    with pytest.raises(CrmError) as caught:
        call()
    return caught.value


def laptop_state(laptop):
    return (laptop.sql("SELECT id, name, address, deleted_at FROM customer ORDER BY id"),
            laptop.sql("SELECT hlc, field, value FROM sync_outbox ORDER BY id"),
            laptop.sql("SELECT key, value FROM sync_state WHERE key <> 'last_sync' ORDER BY key"))


def test_a_wrong_password_is_refused_and_the_laptop_stays_alone(team):
    team.add("li")
    li = team.laptop("li").open()
    new_customer("北京华信科技")
    before = laptop_state(li)
    li.password = "wrong"
    error = refusal(li.join)
    assert message(error) == (f"The team server {team.admin.server} refused the name li or its password: check both "
                              "and try again.")
    assert laptop_state(li) == before and li.sql("SELECT count(*) FROM sync_state") == [(0,)]


def test_a_server_that_is_no_crmdesk_hub(pg_cluster, team, tmp_path):
    other = "t_nohub_" + team.db[-20:]
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{other}"')
    try:
        team.add("li")
        li = team.laptop("li").open()
        new_customer("北京华信科技")
        before = laptop_state(li)
        url = f"postgresql://postgres@127.0.0.1:{pg_cluster.port}/{other}"
        error = refusal(lambda: session.join(url, "postgres", ADMIN_PASSWORD, remember=False))
        assert message(error) == (f"127.0.0.1:{pg_cluster.port}/{other} is a PostgreSQL database but not a crmdesk "
                                  "team server: check the address, or create the team with crmdesk team init.")
        assert laptop_state(li) == before
    finally:
        from crmdesk.core.db import close_database
        close_database()
        with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{other}" WITH (FORCE)')


@pytest.mark.parametrize("version, said", [
    ("99", "runs a newer crmdesk (version 99): update crmdesk on this computer to sync; your data here is unchanged."),
    ("1", "was set up by an earlier crmdesk (version 1), which this one cannot sync with: ask your administrator to "
          "set up the team again with crmdesk team init on an empty database; your data here is unchanged."),
])
def test_a_hub_of_another_schema_version_is_refused(team, version, said):
    li, _wang = two_reps(team)
    li.open()
    edit("北京华信科技", address="中关村1号")
    before = laptop_state(li)
    team.query("UPDATE sync.meta SET value = %s WHERE key = 'version'", [version])
    error = refusal(li.sync)
    assert message(error) == f"The team server {team.admin.server} {said}"
    assert laptop_state(li) == before


def hub_counts(team):
    return team.query("SELECT (SELECT count(*) FROM sync.change), (SELECT count(*) FROM sync.field_state), "
                      "(SELECT count(*) FROM sync.conflict)")[0]


def test_the_network_dropping_after_the_hub_took_a_push_doubles_nothing(team, monkeypatch):
    li, wang = two_reps(team)
    li.open()
    edit("北京华信科技", address="中关村1号", email="a@b.cn")
    before = hub_counts(team)
    waiting = li.sql("SELECT field FROM sync_outbox ORDER BY field")
    assert waiting == [("address",), ("email",), ("updated_at",)]
    real, dropped = sending.keep_refused, []

    def drop_once(refused, rows):  # the hub committed; the line dies before the outbox empties
        if not dropped:
            dropped.append(True)
            team.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'li'")
            raise psycopg.OperationalError("server closed the connection unexpectedly")
        return real(refused, rows)

    monkeypatch.setattr(sending, "keep_refused", drop_once)
    error = refusal(li.sync)
    assert error.code == "sync_offline"
    assert "cannot be reached" in message(error)
    assert li.sql("SELECT field FROM sync_outbox ORDER BY field") == waiting  # still waiting: nothing lost
    after_first = hub_counts(team)
    assert after_first[0] == before[0] + 1  # one feed row: the record's three fields
    got = li.sync()
    assert got.pushed == 3 and got.conflicts == 0
    assert hub_counts(team) == after_first  # the retry doubled nothing
    assert li.sql("SELECT count(*) FROM sync_outbox") == [(0,)]
    wang.sync()
    assert wang.sql("SELECT address, email FROM customer") == [("中关村1号", "a@b.cn")]


def test_the_network_dropping_before_the_hub_commits_loses_nothing(team, monkeypatch):
    li, wang = two_reps(team)
    li.open()
    edit("北京华信科技", address="中关村1号")
    before = hub_counts(team)
    real, calls = sending.push, []

    def die_in_push(conn, result, progress):
        if not calls:
            calls.append(True)
            team.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'li'")
        return real(conn, result, progress)

    monkeypatch.setattr(sending, "push", die_in_push)
    assert refusal(li.sync).code == "sync_offline"
    assert hub_counts(team) == before
    assert li.sql("SELECT field FROM sync_outbox ORDER BY field") == [("address",), ("updated_at",)]
    li.sync()
    wang.sync()
    assert wang.sql("SELECT address FROM customer") == [("中关村1号",)]


def test_the_network_dropping_mid_pull_keeps_the_cursor_and_the_retry_gets_everything(team, monkeypatch):
    li, wang = two_reps(team)
    li.open()
    edit("北京华信科技", address="中关村1号")
    new_customer("上海东方贸易")
    li.sync()
    before = laptop_state(wang)
    real, calls = applying.apply, []

    def fail_once(*args, **kwargs):
        if not calls:
            calls.append(True)
            list(args[0])
            raise psycopg.OperationalError("server closed the connection unexpectedly")
        return real(*args, **kwargs)

    monkeypatch.setattr(applying, "apply", fail_once)
    assert refusal(wang.sync).code == "sync_offline"
    assert laptop_state(wang) == before  # the cursor did not move, nothing half-applied
    wang.sync()
    assert sorted(wang.sql("SELECT name, address FROM customer")) == [("上海东方贸易", ""), ("北京华信科技", "中关村1号")]


@pytest.mark.parametrize("days", [1, -1])
def test_a_laptop_clock_a_day_off_is_refused_and_nothing_is_sent(team, time_machine, days):
    li, _wang = two_reps(team)
    li.open()
    edit("北京华信科技", address="中关村1号")
    before, hub_before = laptop_state(li), hub_counts(team)
    time_machine.move_to(team.server_now() + dt.timedelta(days=days), tick=True)
    error = refusal(li.sync)
    assert message(error).startswith("This computer's clock is 14")  # 1440 minutes, give or take a second
    assert message(error).endswith("minutes off the team server's: set the date and time right (automatic time), "
                                   "then sync again; nothing was sent.")
    assert laptop_state(li) == before and hub_counts(team) == hub_before
    time_machine.move_to(team.server_now(), tick=True)
    assert li.sync().pushed == 2  # the address and the version stamp


def test_edits_made_while_the_clock_ran_a_day_ahead_go_out_with_todays_time(team, time_machine):
    """The clock was a day ahead while li worked offline, then set right: the edits go out
    stamped now, wang's laptop takes them (no "dated in the future" refusal), and wang's
    later edit of the same field wins."""
    li, wang = two_reps(team)
    time_machine.move_to(team.server_now() + dt.timedelta(days=1), tick=True)
    li.open()
    edit("北京华信科技", address="明天写的")
    time_machine.move_to(team.server_now(), tick=True)
    li.sync()
    stamps = [row[0] for row in team.query("SELECT hlc FROM sync.field_change WHERE field = 'address'")]
    server_ms = int(team.server_now().timestamp() * 1000)
    assert stamps and all(int(stamp[:16]) < server_ms + 60_000 for stamp in stamps)
    wang.sync()
    assert wang.sql("SELECT address FROM customer") == [("明天写的",)]
    wang.open()
    edit("北京华信科技", address="wang 之后改的")
    wang.sync()
    li.sync()
    for laptop in (li, wang):
        assert laptop.sql("SELECT address FROM customer") == [("wang 之后改的",)]


def test_within_the_drift_limit_nothing_is_misordered(team, time_machine):
    li, wang = two_reps(team)
    uuid = uuid_of(li, "北京华信科技")
    time_machine.move_to(team.server_now() + dt.timedelta(minutes=4), tick=True)  # li's clock is fast
    li.open()
    edit("北京华信科技", address="li 写的")
    li.sync()
    time_machine.move_to(team.server_now(), tick=True)  # wang's is right, 4 minutes "earlier"
    wang.sync()
    wang.open()
    edit("北京华信科技", address="wang 后来改的")  # made after seeing li's: it must win
    assert wang.sync().conflicts == 0
    time_machine.move_to(team.server_now() + dt.timedelta(minutes=4), tick=True)
    li.sync()
    for laptop in (li, wang):
        assert laptop.sql("SELECT address FROM customer") == [("wang 后来改的",)]
    assert team.query("SELECT value FROM sync.field_state WHERE uuid = %s AND field = 'address'",
                      [uuid]) == [('"wang 后来改的"',)]
    assert team.query("SELECT count(*) FROM sync.conflict") == [(0,)]


def test_a_removed_login_is_told_and_keeps_its_data_readable(team):
    from crmdesk.core.customers import archive as customers
    li, _wang = two_reps(team)
    li.open()
    edit("北京华信科技", address="中关村1号")
    before = laptop_state(li)
    hub.remove_user(team.admin, "li")
    error = refusal(li.sync)
    assert message(error) == (f"The login li was removed from the team on {team.admin.server}: this computer no longer "
                              "syncs; its data stays here, readable. Ask your manager for a login.")
    assert laptop_state(li) == before
    li.open()
    assert customers.get(customer_id("北京华信科技")).address == "中关村1号"


def dump(team, path):
    binaries = __import__("tests.pg_cluster", fromlist=["binaries"]).binaries()
    env = {"PGPASSWORD": ADMIN_PASSWORD, "PATH": "/usr/bin:/bin"}
    subprocess.run([str(binaries / "pg_dump"), "-Fc", "-h", "127.0.0.1", "-p", str(team.cluster.port), "-U",
                    "postgres", "-f", str(path), team.db], check=True, env=env)


def restore(team, path):
    binaries = __import__("tests.pg_cluster", fromlist=["binaries"]).binaries()
    env = {"PGPASSWORD": ADMIN_PASSWORD, "PATH": "/usr/bin:/bin"}
    with psycopg.connect(team.cluster.url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{team.db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{team.db}"')
    subprocess.run([str(binaries / "pg_restore"), "-h", "127.0.0.1", "-p", str(team.cluster.port), "-U", "postgres",
                    "-d", team.db, str(path)], check=True, env=env)


def test_a_hub_restored_from_an_old_backup_gets_back_what_it_lost(team, tmp_path):
    li, wang = two_reps(team)
    dump(team, tmp_path / "hub.dump")
    li.open()
    edit("北京华信科技", address="中关村1号")
    new_customer("上海东方贸易")
    li.sync()
    wang.sync()
    wang.open()
    edit("上海东方贸易", email="dong@fang.cn")
    edit("北京华信科技", website="huaxin.cn")
    wang.sync()
    li.sync()
    restore(team, tmp_path / "hub.dump")
    assert team.query("SELECT count(*) FROM sync.record WHERE entity = 'customer'") == [(1,)]
    # After the restore someone edits before the laptops come back: that edit stands.
    team.add("zhao", ["A"])
    zhao = team.laptop("zhao")
    zhao.join()
    zhao.open()
    edit("北京华信科技", city="天津")
    new_customer("深圳前海咨询")
    new_customer("成都天府软件")
    zhao.sync()
    for n in range(3):  # the feed grows past li's cursor (one row per record a push writes)
        edit("成都天府软件", notes=f"第{n}次")
        zhao.sync()
    last_seq = team.query("SELECT max(seq) FROM sync.change")[0][0]
    assert int(li.sql("SELECT value FROM sync_state WHERE key = 'cursor'")[0][0].split(":")[1]) < last_seq
    li.sync()  # the feed grew past li's cursor again: only the missing change at it shows the restore
    wang.sync()
    li.sync()
    zhao.sync()
    wanted = [("上海东方贸易", "", "", "dong@fang.cn", ""), ("北京华信科技", "中关村1号", "天津", "", "huaxin.cn"),
              ("成都天府软件", "", "", "", ""), ("深圳前海咨询", "", "", "", "")]
    for laptop in (li, wang, zhao):
        assert sorted(laptop.sql("SELECT name, address, city, email, website FROM customer")) == wanted
    assert team.query("SELECT count(*) FROM sync.record WHERE entity = 'customer'") == [(4,)]
    # The restored hub still has the number blocks leased before the backup: zhao's new
    # customers get numbers past them, so li's 上海东方贸易 keeps C000002 when it comes back.
    assert team.query("SELECT kind FROM sync.conflict") == []
    codes = [sorted(laptop.sql("SELECT name, code FROM customer")) for laptop in (li, wang, zhao)]
    assert codes[0] == codes[1] == codes[2]
    assert len({code for _name, code in codes[0]}) == 4 and ("上海东方贸易", "C000002") in codes[0]


def test_two_pushes_of_one_field_at_the_same_moment_keep_the_later_and_a_conflict(team):
    """Two laptops push the same field at once: the second waits for the first and is
    merged against it (before, it compared with what stood before both and overwrote the
    later edit with its earlier one, without a conflict)."""
    import threading
    li, wang = two_reps(team)
    uuid = uuid_of(li, "北京华信科技")
    seen = team.query("SELECT pg_snapshot_xmax(pg_current_snapshot())::text")[0][0] + ":0"  # both saw all

    def batch(value, hlc, who):
        return json.dumps([{"e": "customer", "u": uuid, "f": "address", "v": json.dumps(value, ensure_ascii=False), "h": hlc,
                            "p": uuid, "n": seen, "a": who}])

    url = f"postgresql://{{}}:pw-{{}}@127.0.0.1:{team.cluster.port}/{team.db}"
    first = psycopg.connect(url.format("li", "li"))
    first.execute("SELECT sync.push(%s::jsonb, 'site-li')", [batch("后写的", "9000000000000000-0000-5173e11", "li")])
    answers = []

    def second_push():
        with psycopg.connect(url.format("wang", "wang"), autocommit=True) as conn:
            answers.append(conn.execute("SELECT sync.push(%s::jsonb, 'site-wang')",
                                        [batch("先写的", "8000000000000000-0000-3a9f2b0", "wang")]).fetchone()[0])

    thread = threading.Thread(target=second_push)
    thread.start()
    for _ in range(2000):  # until the second push waits for the first
        if team.query("SELECT count(*) FROM pg_stat_activity WHERE usename = 'wang' AND wait_event_type = 'Lock'")[0][0]:
            break
    first.commit()
    first.close()
    thread.join(30)
    assert team.query("SELECT value FROM sync.field_state WHERE uuid = %s AND field = 'address'",
                      [uuid]) == [('"后写的"',)]
    assert team.query("SELECT kind, winner, loser FROM sync.conflict") == [("concurrent", '"后写的"', '"先写的"')]
    assert answers[0]["conflicts"] == 1
