"""Simulated laptops against one real hub (issue 20, "Tests"): two reps of two teams, the
desk and a manager run a randomised script (a fixed seed each) of offline windows, edits,
new customers and contacts, deletes and same-field edits made without seeing each other;
then everyone syncs until quiet and the invariants hold: every laptop holds exactly the
hub's state of what its login sees, nothing typed is lost, and each pair of concurrent
same-field edits gave exactly one conflict."""
from __future__ import annotations

import datetime as dt
import json
import random

import pytest

from crmdesk.core.errors import CrmError
from tests.core.sync.test_sync_basics import Team, new_customer

CUSTOMER_FIELDS = ("name", "code", "address", "website", "notes", "team", "deleted_at")
CONTACT_FIELDS = ("name", "title", "notes", "customer_id")


class Sim:
    def __init__(self, team: Team, seed: int, time_machine) -> None:
        self.team, self.rng, self.tm = team, random.Random(seed), time_machine
        self.laptops = {}
        self.online = {}
        self.typed: dict[str, dict] = {}  # laptop -> {(uuid, field): value} not yet sent
        self.sent: list[tuple[str, str, str]] = []  # (uuid, field, value) that left a laptop
        self.scenarios = 0
        self.counter = 0

    def value(self, what: str) -> str:
        self.counter += 1
        return f"{what}{self.counter}"

    def use(self, name: str):
        return self.laptops[name].open()

    def sync(self, name: str) -> bool:
        try:
            self.laptops[name].sync()
        except CrmError as error:
            if error.code == "sync_offline":
                return False
            raise
        self.sent += [(u, f, v) for (u, f), v in self.typed[name].items()]
        self.typed[name] = {}
        return True

    def type(self, name: str, uuid: str, field: str, value: str) -> None:
        self.typed[name][(uuid, field)] = value

    # What a laptop may touch, as it knows its data now.
    def customers(self, name: str, live: bool = True) -> list[tuple[int, str]]:
        from crmdesk.core.models import database
        where = " WHERE deleted_at IS NULL" if live else ""
        return database.execute_sql(f"SELECT id, uuid FROM customer{where} ORDER BY id").fetchall()

    def edit_customer(self, name: str, field: str) -> None:
        from crmdesk.core.services import customers
        self.use(name)
        rows = self.customers(name)
        if not rows:
            return
        cid, uuid = self.rng.choice(rows)
        value = self.value(field)
        customers.update(cid, {field: value})
        self.type(name, uuid, field, value)

    def add_customer(self, name: str, team_name: str = "") -> None:
        self.use(name)
        label = self.value("客户")
        cid = new_customer(label, **({"team": team_name} if team_name else {}))
        from crmdesk.core.models import Customer
        self.type(name, str(Customer.get_by_id(cid).uuid), "name", label)

    def add_contact(self, name: str) -> None:
        from crmdesk.core.models import Contact
        self.use(name)
        rows = self.customers(name)
        if not rows:
            return
        cid, _uuid = self.rng.choice(rows)
        label = self.value("联系人")
        contact = Contact.create(customer=cid, name=label)
        self.type(name, str(contact.uuid), "name", label)

    def edit_contact(self, name: str, field: str) -> None:
        from crmdesk.core.models import Contact, database
        self.use(name)
        rows = database.execute_sql("SELECT c.id, c.uuid FROM contact c JOIN customer k ON k.id = c.customer_id "
                                    "WHERE k.deleted_at IS NULL ORDER BY c.id").fetchall()
        if not rows:
            return
        contact_id, uuid = self.rng.choice(rows)
        value = self.value(field)
        Contact.update({field: value}).where(Contact.id == contact_id).execute()
        self.type(name, uuid, field, value)

    def delete_customer(self, name: str) -> None:
        from crmdesk.core.services import customers
        self.use(name)
        rows = self.customers(name)
        if len(rows) > 2:
            customers.delete([self.rng.choice(rows)[0]])

    def same_field(self, rep: str) -> None:
        """The rep and the manager both change a customer's notes without seeing each other."""
        if not (self.online[rep] and self.online["boss"]):
            return
        if not (self.sync(rep) and self.sync("boss") and self.sync(rep)):  # each has seen the other's
            return
        self.use(rep)
        rows = self.customers(rep)
        if not rows:
            return
        cid, uuid = self.rng.choice(rows)
        first, second = (rep, "boss") if self.rng.random() < 0.5 else ("boss", rep)
        values = {}
        for who in (first, second):
            from crmdesk.core.models import database
            from crmdesk.core.services import customers
            self.use(who)
            local = database.execute_sql("SELECT id FROM customer WHERE uuid = ?", [uuid]).fetchone()[0]
            values[who] = self.value("notes")
            customers.update(local, {"notes": values[who]})
            self.type(who, uuid, "notes", values[who])
            self.tm.shift(dt.timedelta(milliseconds=self.rng.randint(5, 800)))
        before = self.team.query("SELECT count(*) FROM sync.conflict WHERE kind = 'concurrent'")[0][0]
        order = [first, second] if self.rng.random() < 0.5 else [second, first]
        for who in order:
            assert self.sync(who)
        assert self.team.query("SELECT count(*) FROM sync.conflict WHERE kind = 'concurrent'")[0][0] == before + 1
        assert self.team.query("SELECT value FROM sync.field_state WHERE uuid = %s AND field = 'notes'",
                               [uuid]) == [(json.dumps(values[second], ensure_ascii=False),)]  # the later wins
        self.scenarios += 1


def hub_state(team: Team, teams) -> dict:
    """uuid -> {field: value} of the customers and contacts the login sees on the hub."""
    rows = team.query("SELECT s.uuid::text, s.entity, s.field, s.value, t.name FROM sync.field_state s "
                      "LEFT JOIN sync.team t ON t.id = s.team WHERE s.entity IN ('customer', 'contact')")
    out: dict = {}
    for uuid, entity, field, value, team_name in rows:
        if teams is not None and team_name not in teams:
            continue
        wanted = CUSTOMER_FIELDS if entity == "customer" else CONTACT_FIELDS
        if field in wanted:
            out.setdefault((entity, uuid), {})[field] = json.loads(value) if value is not None else None
    return out


def laptop_state(laptop) -> dict:
    out: dict = {}
    for row in laptop.sql(f"SELECT uuid, {', '.join(CUSTOMER_FIELDS)} FROM customer"):
        out[("customer", row[0])] = {f: v for f, v in zip(CUSTOMER_FIELDS, row[1:]) if v is not None}
    for row in laptop.sql("SELECT c.uuid, c.name, c.title, c.notes, k.uuid FROM contact c "
                          "JOIN customer k ON k.id = c.customer_id"):
        out[("contact", row[0])] = {f: v for f, v in zip(CONTACT_FIELDS, row[1:]) if v is not None}
    return out


def normalise(state: dict) -> dict:
    return {key: {f: v for f, v in fields.items() if v not in (None, "")} for key, fields in state.items()}


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_laptops_converge_to_what_their_login_sees(pg_cluster, hub_db, tmp_path, time_machine, seed):
    from crmdesk.core.db import close_database
    team = Team(pg_cluster, hub_db, tmp_path)
    time_machine.move_to(team.server_now(), tick=True)
    team.add("a1", ["A"])
    team.add("b1", ["B"])
    team.add("desk", [], role="desk")
    sim = Sim(team, seed, time_machine)
    try:
        for name in ("a1", "b1", "desk", "boss"):
            sim.laptops[name] = team.laptop(name)
            sim.online[name] = True
            sim.typed[name] = {}
        for name in ("a1", "b1"):
            sim.use(name)
            for _ in range(3):
                sim.add_customer(name)
        for name in ("a1", "b1", "desk", "boss"):
            sim.laptops[name].join()
            sim.typed[name] = {}
        sim.sent.clear()  # the first uploads are checked by the state comparison

        actions = [
            (6, lambda: sim.edit_customer(sim.rng.choice(["a1", "b1"]), "address")),
            (3, lambda: sim.edit_customer("boss", "website")),
            (2, lambda: sim.add_customer(sim.rng.choice(["a1", "b1"]))),
            (1, lambda: sim.add_customer("boss", sim.rng.choice(["A", "B"]))),
            (2, lambda: sim.add_contact(sim.rng.choice(["a1", "b1"]))),
            (2, lambda: sim.edit_contact(sim.rng.choice(["a1", "b1"]), "notes")),
            (1, lambda: sim.edit_contact("boss", "title")),
            (1, lambda: sim.delete_customer("boss")),
            (3, lambda: sim.same_field(sim.rng.choice(["a1", "b1"]))),
        ]
        weights = [w for w, _ in actions]
        for _step in range(70):
            sim.rng.choices(actions, weights)[0][1]()
            who = sim.rng.choice(list(sim.laptops))
            roll = sim.rng.random()
            if roll < 0.15:
                sim.online[who] = not sim.online[who]  # an offline window opens or closes
            elif roll < 0.6 and sim.online[who]:
                assert sim.sync(who)
            time_machine.shift(dt.timedelta(milliseconds=sim.rng.randint(1, 3000)))

        for name in sim.laptops:  # back online: everyone syncs until quiet
            sim.online[name] = True
        for _round in range(2):
            for name in sim.laptops:
                assert sim.sync(name)

        for name, laptop in sim.laptops.items():
            teams = {"a1": {"A"}, "b1": {"B"}}.get(name)
            assert normalise(laptop_state(laptop)) == normalise(hub_state(team, teams)), name
            assert laptop.sql("SELECT count(*) FROM sync_outbox") == [(0,)]
        # Nothing typed is lost: it is in the feed (standing, or overwritten by someone who saw
        # it) or kept as the losing side of a conflict.
        fed = {(u, f, json.loads(v)) for u, f, v in team.query("SELECT uuid::text, field, value FROM sync.field_change")}
        lost = {(u, f, json.loads(v)) for u, f, v in team.query(
            "SELECT uuid::text, field, loser FROM sync.conflict")}
        missing = [item for item in sim.sent if item not in fed and item not in lost]
        assert missing == []
        # One conflict per pair of concurrent same-field edits, and none anywhere else.
        assert team.query("SELECT count(*) FROM sync.conflict WHERE kind = 'concurrent'") == [(sim.scenarios,)]
        assert sim.scenarios >= 1
    finally:
        close_database()
