"""Simulated laptops against one real hub (issue 20, "Tests"): three reps of two teams (a1
and a2 of A, b1 of B), the desk and a manager run a randomised script (a fixed seed each) of
offline windows, edits, new customers, contacts, visits with follow-ups and complaints,
deletes, same-field edits made without seeing each other, edits against deletes, hand-overs
between the teams, change packages between a1 and a2 (out of order, some twice), numbers
made offline that collide, and edits the hub must refuse; then everyone syncs until quiet
and the invariants hold: every laptop holds exactly the hub's state of what its login sees,
and the hub's RLS shows each rep its teams' records only; nothing typed is lost; each pair of
concurrent same-field edits gave exactly one conflict; each edit against a delete gave an
"edited after it was deleted" conflict and the delete stands; no field took the same edit
twice; every customer code and complaint number is held once. The actions live in
``sim_helpers``."""
from __future__ import annotations

import datetime as dt
import json
import random
import uuid

import psycopg
import pytest

from tests.core.sync.sim_helpers import REPS, Sim, hub_state, laptop_state, normalise
from tests.core.sync.test_sync_basics import Team

STEPS = 100


def actions(sim: Sim) -> list:
    """(weight, action) of the random script."""
    rng = sim.rng
    reps, team_a = list(REPS), ["a1", "a2"]
    return [
        (6, lambda: sim.edit_customer(rng.choice(reps))),
        (2, lambda: sim.edit_customer("boss")),
        (2, lambda: sim.add_customer(rng.choice(reps))),
        (1, lambda: sim.add_customer("boss", rng.choice(["A", "B"]))),
        (2, lambda: sim.add_contact(rng.choice(reps))),
        (2, lambda: sim.edit_contact(rng.choice(reps))),
        (1, lambda: sim.edit_contact("boss")),
        (1, lambda: sim.delete_customer("boss")),
        (3, lambda: sim.add_visit(rng.choice(reps))),
        (2, lambda: sim.record_visit(rng.choice(reps), follow_up=True)),
        (2, lambda: sim.record_visit(rng.choice(reps), follow_up=False)),
        (1, lambda: sim.add_complaint(rng.choice(["desk", *reps]))),
        (2, lambda: sim.same_field(rng.choice(reps))),
        (2, lambda: sim.edit_against_delete(rng.choice(reps))),
        (2, lambda: sim.handover()),
        (3, lambda: sim.export(rng.choice(team_a))),
        (3, lambda: sim.import_(rng.choice(team_a))),
        (1, lambda: sim.number_collision(rng.choice(["customer", "complaint"]))),
        (1, lambda: sim.edit_customer("desk")),  # the hub refuses it; the desk keeps it in its Conflicts list
        (2, lambda: sim.care_rules(rng.choice([*reps, "desk", "boss"]))),
    ]


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_laptops_converge_to_what_their_login_sees(pg_cluster, hub_db, tmp_path, time_machine, monkeypatch, seed):
    from crmdesk.core import clock
    from crmdesk.core.db import close_database
    from crmdesk.core.care import spread
    # A flood's spread over the coming days depends on each laptop's view of the book, and
    # two views differ in a conflict (docs/team.md, "Known limits"): the checks stay due.
    monkeypatch.setattr(spread, "spread", lambda *args: None)
    ids = random.Random(-seed)  # records' uuids and laptops' sites drawn from the seed too: a run can be replayed
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=ids.getrandbits(128), version=4))
    monkeypatch.setattr(clock, "new_site", lambda: f"{ids.getrandbits(64):016x}")
    team = Team(pg_cluster, hub_db, tmp_path)
    time_machine.move_to(team.server_now(), tick=True)
    for rep, team_name in REPS.items():
        team.add(rep, [team_name])
    team.add("desk", [], role="desk")
    sim = Sim(team, seed, time_machine, tmp_path)
    try:
        for name in (*REPS, "desk", "boss"):
            sim.add(name)
        for name in ("a1", "b1"):
            for _ in range(3):
                sim.add_customer(name)
        for name in sim.laptops:
            sim.laptops[name].join()
            sim.typed[name] = {}
        sim.sent.clear()  # the first uploads are checked by the state comparison

        script = actions(sim)
        weights = [w for w, _ in script]
        for _step in range(STEPS):
            sim.rng.choices(script, weights)[0][1]()
            who = sim.rng.choice(list(sim.laptops))
            roll = sim.rng.random()
            if roll < 0.15:
                sim.online[who] = not sim.online[who]  # an offline window opens or closes
                sim.note(f"{who} {'online' if sim.online[who] else 'offline'}")
            elif roll < 0.6 and sim.online[who]:
                sim.sync(who)
            time_machine.shift(dt.timedelta(milliseconds=sim.rng.randint(1, 3000)))

        # Each scenario once more, everyone online, so that every run checks each invariant
        # (by the rep who holds the most customers).
        def busiest() -> str:
            return max(REPS, key=lambda rep: len(sim.customers(rep)))

        for scenario in (lambda: sim.same_field(busiest()), lambda: sim.number_collision("customer"),
                         lambda: sim.number_collision("complaint"), sim.handover,
                         lambda: sim.edit_against_delete(busiest())):
            sim.online.update(dict.fromkeys(sim.laptops, True))
            scenario()
        for _round in range(2):  # everyone syncs until quiet
            for name in sim.laptops:
                sim.sync(name)
        try:
            check(team, sim)
        except AssertionError:
            print("\n".join(sim.log))  # the script and the hub's conflicts, shown with the failure
            for row in team.query("SELECT kind, entity, uuid::text, field, winner, loser, winner_actor, loser_actor "
                                  "FROM sync.conflict ORDER BY id"):
                print("conflict", *row)
            raise
    finally:
        close_database()


def check(team: Team, sim: Sim) -> None:
    for name, laptop in sim.laptops.items():
        teams = {REPS[name]} if name in REPS else None
        mine, hubs = normalise(laptop_state(laptop)), normalise(hub_state(team, teams))
        differ = {key: (mine.get(key), hubs.get(key)) for key in mine.keys() | hubs.keys()
                  if mine.get(key) != hubs.get(key)}
        assert differ == {}, f"{name}: {differ}"  # (entity, uuid): (the laptop's, the hub's)
        assert laptop.sql("SELECT count(*) FROM sync_outbox") == [(0,)], name
        codes = [c for (c,) in laptop.sql("SELECT code FROM customer")]
        numbers = [n for (n,) in laptop.sql("SELECT number FROM complaint")]
        assert len(codes) == len(set(codes)) and len(numbers) == len(set(numbers)), name
    # RLS: a rep's login reads its team's records only, as its laptop holds them.
    for rep, team_name in REPS.items():
        with psycopg.connect(f"postgresql://{rep}:{team.passwords[rep]}@127.0.0.1:{team.cluster.port}/{team.db}",
                             autocommit=True) as conn:
            seen = {u for (u,) in conn.execute("SELECT uuid::text FROM sync.record WHERE entity = 'customer'")}
        held = {u for (u,) in sim.laptops[rep].sql("SELECT uuid FROM customer")}
        assert seen == held, rep
    # The desk changed no customer: the hub refused it (and kept nothing of it).
    assert team.query("SELECT count(*) FROM sync.field_change WHERE actor = 'desk' AND entity = 'customer'") == [(0,)]
    # Numbers held once on the hub too.
    for entity, field in (("customer", "code"), ("complaint", "number")):
        assert team.query("SELECT value FROM sync.field_state WHERE entity = %s AND field = %s GROUP BY value "
                          "HAVING count(*) > 1", [entity, field]) == [], entity
    # No field took the same edit twice (packages relayed by the colleague and sent by the
    # author): among the feed rows pushes wrote (hlc NULL; a hand-over's rows repeat each
    # record at its fields' own times for the new team, on purpose).
    assert team.query("SELECT c.uuid, t.key, t.value ->> 0 FROM sync.change c, jsonb_each(c.times) AS t "
                      "WHERE c.hlc IS NULL GROUP BY 1, 2, 3 HAVING count(*) > 1") == []
    # Nothing typed is lost: it is in the feed (standing, or overwritten by someone who saw
    # it), kept as the losing side of a conflict, or refused and kept in a laptop's list.
    fed = {(u, f, json.loads(v)) for u, f, v in team.query("SELECT uuid::text, field, value FROM sync.field_change")}
    lost = {(u, f, json.loads(v)) for u, f, v in team.query("SELECT uuid::text, field, loser FROM sync.conflict")}
    for laptop in sim.laptops.values():
        lost |= {(u, f, json.loads(v)) for u, f, v in laptop.sql(
            "SELECT uuid, field, mine FROM sync_conflict WHERE kind = 'refused'")}
    missing = [item for item in sim.sent if item not in fed and item not in lost]
    assert missing == []
    # One conflict per pair of concurrent same-field edits, and none anywhere else.
    assert team.query("SELECT count(*) FROM sync.conflict WHERE kind = 'concurrent'") == [(sim.scenarios,)]
    assert sim.scenarios >= 1 and sim.deleted_while_edited and sim.handovers >= 1
    # An edit against a delete: the delete stands, the edit is kept as a conflict.
    for customer in sim.deleted_while_edited:
        # (one per push that carried edits of it, naming the latest: a colleague relaying the
        # rep's edit with later ones of its own is named instead, and the rep's push is a repeat)
        assert team.query("SELECT count(*) > 0 FROM sync.conflict WHERE kind = 'edited_deleted' AND uuid = %s",
                          [customer]) == [(True,)], customer
        assert team.query("SELECT value <> 'null' FROM sync.field_state WHERE uuid = %s AND field = 'deleted_at'",
                          [customer]) == [(True,)]
    # Numbers made offline from the same highest: at most one of the two records keeps it
    # (none, when a third laptop numbered one from its block meanwhile); each other one is
    # renumbered (C000123-2) and its owner told (a "renumbered" conflict). A record the hub
    # refused (its customer handed to another team first) is in its laptop's list instead.
    collided = [(kind, made) for kind, made in sim.collisions if made[0][1] == made[1][1]]
    assert {kind for kind, _made in collided} == {"customer", "complaint"}
    refused = {u for laptop in sim.laptops.values() for (u,) in laptop.sql(
        "SELECT uuid FROM sync_conflict WHERE kind = 'refused' AND field IN ('code', 'number')")}
    for kind, made in collided:
        number = made[0][1]
        held = dict(team.query("SELECT uuid::text, doc ->> %s FROM sync.record WHERE uuid = ANY (%s::uuid[])",
                               ["code" if kind == "customer" else "number", [u for u, _n in made]]))
        renamed = [u for u, n in held.items() if n != number]
        assert all(u in held or u in refused for u, _n in made), made
        assert (renamed or len(held) < 2) and all(held[u].startswith(f"{number}-") for u in renamed), made
        for u in renamed:
            assert team.query("SELECT loser FROM sync.conflict WHERE kind = 'renumbered' AND uuid = %s",
                              [u]) == [(json.dumps(number),)]
