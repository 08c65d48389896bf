"""The simulated laptops of test_convergence: what each may do (the actions of the random
script), what each typed, and each side's state as the invariants compare it (the hub's
read through ``sync.field_state``, references as uuids there and on the laptops).

Each field has one writer, so that every concurrent conflict on the hub is one a scenario
made on purpose: a customer's address is a1's, its city a2's, its district b1's, its website
the manager's, its notes the same-field scenario's; a contact's notes a1's, wechat a2's,
phone b1's, title the manager's; a visit's outcome and follow-up its maker's.

Two known bugs are kept out of the script (the rules say "bug 1", "bug 2" where applied):

1. A package's edits that wait on the importer (``sync_parked``: their record, or one they
   name, is not there yet) are applied when that record comes, but never relayed to the
   hub (``import_package`` relays the edits of records present at the import). When the
   hub refused them from their author (the customer was another team's at the author's
   push) and the customer comes back, the importer keeps values the hub never took. So:
   no package is imported whose edits would wait for a customer ever handed over, and a
   customer that waiting edits name is not handed over afterwards.
2. The hub calls two edits concurrent when the winner was written after the pull cursor
   the other editor had; what a laptop saw in a change package is in no cursor. A rep who
   edits a field of a record it knows from a package, before its next sync, makes a
   "concurrent" conflict with the package's author when the author's push lands after the
   rep's cursor (loser: the value the rep had seen). So: after importing, a rep edits none
   of the package's records until it has synced.
"""
from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

REPS = {"a1": "A", "a2": "A", "b1": "B"}
CUSTOMER_FIELD = {"a1": "address", "a2": "city", "b1": "district", "boss": "website", "desk": "address"}
CONTACT_FIELD = {"a1": "notes", "a2": "wechat", "b1": "phone", "boss": "title"}
CUSTOMER_FIELDS = ("name", "code", "address", "city", "district", "website", "notes", "team", "owner", "deleted_at")
CONTACT_FIELDS = ("name", "title", "notes", "wechat", "phone", "customer_id")
VISIT_FIELDS = ("customer_id", "outcome", "next_visit_id", "rep", "state")
COMPLAINT_FIELDS = ("customer_id", "number", "repeat_of_id")
CARE_FIELDS = ("customer_id", "rule", "state", "due_on", "deleted_at")
CARE_DAY = dt.date(2027, 6, 1)  # every customer of the script has been quiet for 90 days by then
FIRST_VISIT = dt.datetime(2026, 12, 10, 9, 0)


def one(sql: str, params=()):
    from crmdesk.core.models import database
    row = database.execute_sql(sql, list(params)).fetchone()
    return row[0] if row else None


def rows(sql: str, params=()) -> list:
    from crmdesk.core.models import database
    return database.execute_sql(sql, list(params)).fetchall()


class Sim:
    def __init__(self, team, seed: int, time_machine, folder: Path) -> None:
        self.team, self.rng, self.tm, self.folder = team, random.Random(seed), time_machine, folder
        self.laptops: dict = {}
        self.online: dict[str, bool] = {}
        self.typed: dict[str, dict] = {}  # laptop -> {(uuid, field): value} not yet sent
        self.sent: list[tuple[str, str, str]] = []  # (uuid, field, value) that left a laptop
        self.scenarios = 0  # concurrent same-field edits made on purpose
        self.deleted_while_edited: list[str] = []  # customers a rep edited while the manager deleted them
        self.collisions: list[tuple] = []  # (entity, [(uuid, number) made offline on each of two laptops])
        self.handovers = 0
        self.visits: dict[str, list[str]] = {name: [] for name in REPS}  # the visits each rep made
        self.packages: dict[str, list[Path]] = {name: [] for name in REPS}  # waiting to be imported by
        self.imports = 0
        self.handed: set[str] = set()  # customers ever handed over
        self.no_handover: set[str] = set()  # customers that a package's waiting edits name (bug 1)
        self.unsynced_imports: dict[str, set] = {name: set() for name in REPS}  # imported since its sync (bug 2)
        self.counter = 0
        self.log: list[str] = []  # what happened, in order: printed when an invariant fails

    def note(self, text: str) -> None:
        self.log.append(text)

    def add(self, name: str) -> None:
        self.laptops[name] = self.team.laptop(name)
        self.online[name] = True
        self.typed[name] = {}

    def value(self, what: str) -> str:
        self.counter += 1
        return f"{what}{self.counter}"

    def use(self, name: str):
        return self.laptops[name].open()

    def sync(self, name: str) -> None:
        self.note(f"{name} syncs")
        self.laptops[name].sync()
        self.sent += [(u, f, v) for (u, f), v in self.typed[name].items()]
        self.typed[name] = {}
        self.unsynced_imports.get(name, set()).clear()

    def type(self, name: str, uuid: str, field: str, value: str) -> None:
        self.note(f"{name}: {uuid[:8]}.{field} = {value}")
        self.typed[name][(uuid, field)] = value

    def both_synced(self, *names: str) -> bool:
        """Each of the laptops has seen what the others had (all online)."""
        if not all(self.online[n] for n in names):
            return False
        for name in (*names, names[0]):
            self.sync(name)
        return True

    # What a laptop may touch, as it knows its data now.
    def customers(self, name: str) -> list[tuple[int, str]]:
        """(id, uuid) of the live customers the laptop holds."""
        self.use(name)
        return rows("SELECT id, uuid FROM customer WHERE deleted_at IS NULL ORDER BY id")

    def local_id(self, name: str, table: str, uuid: str):
        self.use(name)
        return one(f'SELECT id FROM "{table}" WHERE uuid = ?', [uuid])

    # Customers and contacts.
    def edit_customer(self, name: str) -> None:
        from crmdesk.core.customers import archive as customers
        found = [(i, u) for i, u in self.customers(name) if u not in self.unsynced_imports.get(name, ())]  # bug 2
        if not found:
            return
        cid, uuid = self.rng.choice(found)
        field = CUSTOMER_FIELD[name]
        value = self.value(field)
        customers.update(cid, {field: value})
        self.type(name, uuid, field, value)

    def add_customer(self, name: str, team_name: str = "") -> tuple[str, str]:
        from crmdesk.core.customers import archive as customers
        self.use(name)
        label = self.value("客户")
        cid = customers.create({"name": label, **({"team": team_name} if team_name else {})})[0]
        uuid, code = rows("SELECT uuid, code FROM customer WHERE id = ?", [cid])[0]
        self.type(name, uuid, "name", label)
        self.type(name, uuid, "code", code)
        return uuid, code

    def add_contact(self, name: str) -> None:
        from crmdesk.core.models import Contact
        found = self.customers(name)
        if not found:
            return
        cid, _uuid = self.rng.choice(found)
        label = self.value("联系人")
        contact = Contact.create(customer=cid, name=label)
        self.type(name, str(contact.uuid), "name", label)

    def edit_contact(self, name: str) -> None:
        from crmdesk.core.models import Contact
        self.use(name)
        found = rows("SELECT c.id, c.uuid FROM contact c JOIN customer k ON k.id = c.customer_id "
                     "WHERE k.deleted_at IS NULL ORDER BY c.id")
        found = [(i, u) for i, u in found if u not in self.unsynced_imports.get(name, ())]  # bug 2
        if not found:
            return
        contact_id, uuid = self.rng.choice(found)
        field = CONTACT_FIELD[name]
        value = self.value(field)
        Contact.update({field: value}).where(Contact.id == contact_id).execute()
        self.type(name, uuid, field, value)

    def delete_customer(self, name: str) -> None:
        from crmdesk.core.customers import archive as customers
        found = self.customers(name)
        if len(found) > 2:
            cid, uuid = self.rng.choice(found)
            self.note(f"{name} deletes {uuid[:8]}")
            customers.delete([cid])

    # Visits, follow-ups linked from the visit before (``Visit.next_visit``).
    def add_visit(self, rep: str) -> None:
        from crmdesk.core.visits import visits
        found = self.customers(rep)
        if not found:
            return
        cid, cuuid = self.rng.choice(found)
        self.counter += 1
        start = FIRST_VISIT + dt.timedelta(hours=self.counter)
        made = visits.create({"customer_id": cid, "starts_at": start, "ends_at": start + dt.timedelta(hours=1)})
        uuid = one("SELECT uuid FROM visit WHERE id = ?", [made.visit_id])
        self.visits[rep].append(uuid)
        self.type(rep, uuid, "customer_id", cuuid)

    def own_visit(self, rep: str):
        """One of the visits this rep made that its laptop holds (of a live customer)."""
        self.use(rep)
        held = [uuid for uuid in self.visits[rep] if one(
            "SELECT v.id FROM visit v JOIN customer k ON k.id = v.customer_id WHERE v.uuid = ? "
            "AND k.deleted_at IS NULL", [uuid])]
        return self.rng.choice(held) if held else None

    def record_visit(self, rep: str, follow_up: bool) -> None:
        """The rep writes down how a visit went (its outcome), and maybe plans the next one."""
        from crmdesk.core.visits import visits
        uuid = self.own_visit(rep)
        if uuid is None:
            return
        outcome = self.value("outcome")
        plan = None
        if follow_up:
            plan = {"starts_at": FIRST_VISIT + dt.timedelta(days=30, hours=self.counter)}
        written = visits.record(one("SELECT id FROM visit WHERE uuid = ?", [uuid]), {"outcome": outcome},
                                next_plan=plan)
        self.type(rep, uuid, "outcome", outcome)
        if written.next_visit_id:
            follow = one("SELECT uuid FROM visit WHERE id = ?", [written.next_visit_id])
            self.visits[rep].append(follow)
            self.type(rep, uuid, "next_visit_id", follow)
            self.type(rep, follow, "customer_id", one(
                "SELECT k.uuid FROM visit v JOIN customer k ON k.id = v.customer_id WHERE v.uuid = ?", [uuid]))

    # Complaints (the desk's work, and the reps').
    def add_complaint(self, name: str):
        from crmdesk.core.complaints import complaints
        found = self.customers(name)
        if not found:
            return None
        cid, cuuid = self.rng.choice(found)
        made = complaints.create({"customer_id": cid, "category": "delivery", "words": self.value("货晚到了"),
                                  "owner": name})
        uuid, number = rows("SELECT uuid, number FROM complaint WHERE id = ?", [made.complaint_id])[0]
        self.type(name, uuid, "number", number)
        self.type(name, uuid, "customer_id", cuuid)
        return uuid, number

    # The scenarios.
    def same_field(self, rep: str) -> None:
        """The rep and the manager both change a customer's notes without seeing each other."""
        from crmdesk.core.customers import archive as customers
        if not self.both_synced(rep, "boss"):
            return
        found = self.customers(rep)
        if not found:
            return
        _cid, uuid = self.rng.choice(found)
        self.note(f"same field: {rep} and boss")
        first, second = (rep, "boss") if self.rng.random() < 0.5 else ("boss", rep)
        values = {}
        for who in (first, second):
            values[who] = self.value("notes")
            customers.update(self.local_id(who, "customer", uuid), {"notes": values[who]})
            self.type(who, uuid, "notes", values[who])
            self.tm.shift(dt.timedelta(milliseconds=self.rng.randint(5, 800)))
        before = self.team.query("SELECT count(*) FROM sync.conflict WHERE kind = 'concurrent'")[0][0]
        order = [first, second] if self.rng.random() < 0.5 else [second, first]
        for who in order:
            self.sync(who)
        assert self.team.query("SELECT count(*) FROM sync.conflict WHERE kind = 'concurrent'")[0][0] == before + 1
        assert self.team.query("SELECT value FROM sync.field_state WHERE uuid = %s AND field = 'notes'",
                               [uuid]) == [(json.dumps(values[second], ensure_ascii=False),)]  # the later wins
        self.scenarios += 1

    def edit_against_delete(self, rep: str) -> None:
        """The rep edits a customer and goes offline; the manager deletes it and syncs."""
        from crmdesk.core.customers import archive as customers
        if not self.both_synced(rep, "boss"):
            return
        found = self.customers(rep)
        if not found:
            return
        cid, uuid = self.rng.choice(found)
        self.note(f"edit against delete: {rep}")
        field = CUSTOMER_FIELD[rep]
        value = self.value(field)
        customers.update(cid, {field: value})
        self.type(rep, uuid, field, value)
        self.online[rep] = False  # the edit waits for the rep's next sync
        self.tm.shift(dt.timedelta(milliseconds=self.rng.randint(5, 800)))
        self.note(f"boss deletes {uuid[:8]}")
        customers.delete([self.local_id("boss", "customer", uuid)])
        self.sync("boss")
        self.deleted_while_edited.append(uuid)

    def handover(self) -> None:
        """The manager gives a customer to a rep of the other team."""
        from crmdesk.core.sync import handover
        found = [(i, u) for i, u in self.customers("boss") if u not in self.no_handover]  # bug 1
        if not found:
            return
        cid, uuid = self.rng.choice(found)
        self.handed.add(uuid)
        team_name = one("SELECT team FROM customer WHERE id = ?", [cid])
        to_team = "B" if team_name == "A" else "A"
        to_owner = self.rng.choice([rep for rep, t in REPS.items() if t == to_team])
        self.note(f"boss hands {uuid[:8]} over to {to_owner} ({to_team})")
        handover.handover([cid], to_owner=to_owner, to_team=to_team)
        self.type("boss", uuid, "team", to_team)
        self.type("boss", uuid, "owner", to_owner)
        self.handovers += 1

    def number_collision(self, kind: str) -> None:
        """Two laptops that hold the same numbers go offline past their blocks and each
        numbers a new record by the local rule (after the highest here): the same number."""
        from crmdesk.core.models import database
        from crmdesk.core.sync import state
        pair = ("a1", "a2") if kind == "customer" else self.rng.choice([("a1", "a2"), ("desk", "boss")])
        if not self.both_synced(*pair):
            return
        self.note(f"{pair} number a {kind} past their blocks")
        made = []
        for who in pair:
            self.use(who)
            stored = json.loads(state.read().get("numbers") or "{}")
            stored[kind] = [] if kind == "customer" else {}  # used up
            with database.atomic():
                state.write(numbers=stored)
            made.append(self.add_customer(who) if kind == "customer" else self.add_complaint(who))
            self.online[who] = False
        if None not in made:
            self.collisions.append((kind, made))

    # Change packages between the two reps of team A.
    def export(self, rep: str) -> None:
        from crmdesk.core.sync import packages
        colleague = {"a1": "a2", "a2": "a1"}[rep]
        self.use(rep)
        path = self.folder / f"{self.value(rep)}.crmchanges"
        count = packages.export_package(path)
        self.note(f"{rep} exports {path.name} ({count} edits)")
        self.packages[colleague].append(path)

    def import_(self, rep: str) -> None:
        """A package waiting for the rep, in any order; some are imported twice."""
        from crmdesk.core.sync import packages, state
        if not self.packages[rep]:
            return
        path = self.rng.choice(self.packages[rep])
        self.use(rep)
        _header, edits = packages.read_package(path, state.read()["epoch"])
        parks = self.parked_by(edits)
        if parks & self.handed:  # bug 1
            self.note(f"{rep} leaves {path.name} alone: it would park edits of a customer handed over")
            return
        self.note(f"{rep} imports {path.name}")
        packages.import_package(path)
        self.no_handover |= parks
        self.unsynced_imports[rep] |= {e["u"] for e in edits}
        if self.rng.random() < 0.7:
            self.packages[rep].remove(path)
        self.imports += 1

    def care_rules(self, name: str) -> None:
        """The laptop runs the care rules (the inactivity check only): every laptop that
        holds a customer makes its reminder, the same record on each (``made_ids``)."""
        from crmdesk.core.care import rules
        from crmdesk.core.care.settings import Rule, Rules
        off = Rule(False, 7)
        self.use(name)
        made = rules.run(CARE_DAY, Rules(birthdays=off, festivals=off, purchase=off, anniversary=off,
                                          no_purchase=off, payment_due=off, points_on=False))
        self.note(f"{name} runs the care rules: {made.total} new")

    def parked_by(self, edits: list[dict]) -> set[str]:
        """The customers of the package edits this laptop would park: edits of records it
        does not hold, or naming one, that the package does not make either."""
        from crmdesk.core.sync import entities
        made = {e["u"] for e in edits if e["f"] == "created_at"}

        def absent(table: str, uuid) -> bool:
            return uuid not in made and one(f'SELECT 1 FROM "{table}" WHERE uuid = ?', [uuid]) is None

        out = set()
        for e in edits:
            entity = entities.get(e["e"])
            named = json.loads(e["v"]) if e["f"] in entity.refs and e.get("v") else None
            if absent(entity.table, e["u"]) or (e.get("p") and absent("customer", e["p"])) or \
                    (named and absent(entity.refs[e["f"]], named)):
                out.add(e.get("p") or e["u"])
        return out


def hub_state(team, teams) -> dict:
    """(entity, uuid) -> {field: value} of what the login sees on the hub (references as uuids)."""
    wanted = {"customer": CUSTOMER_FIELDS, "contact": CONTACT_FIELDS, "visit": VISIT_FIELDS,
              "complaint": COMPLAINT_FIELDS, "care_event": CARE_FIELDS}
    found = team.query("SELECT s.uuid::text, s.entity, s.field, s.value, t.name FROM sync.field_state s "
                       "LEFT JOIN sync.team t ON t.id = s.team WHERE s.entity = ANY (%s)", [list(wanted)])
    out: dict = {}
    for uuid, entity, field, value, team_name in found:
        if teams is not None and team_name not in teams:
            continue
        if field in wanted[entity]:
            out.setdefault((entity, uuid), {})[field] = json.loads(value) if value is not None else None
    return out


def laptop_state(laptop) -> dict:
    out: dict = {}

    def add(entity: str, fields: tuple, sql: str) -> None:
        for row in laptop.sql(sql):
            out[(entity, row[0])] = {f: v for f, v in zip(fields, row[1:]) if v is not None}

    add("customer", CUSTOMER_FIELDS, f"SELECT uuid, {', '.join(CUSTOMER_FIELDS)} FROM customer")
    add("contact", CONTACT_FIELDS, "SELECT c.uuid, c.name, c.title, c.notes, c.wechat, c.phone, k.uuid FROM contact c "
                                   "JOIN customer k ON k.id = c.customer_id")
    add("visit", VISIT_FIELDS, "SELECT v.uuid, k.uuid, v.outcome, n.uuid, v.rep, v.state FROM visit v "
                               "JOIN customer k ON k.id = v.customer_id LEFT JOIN visit n ON n.id = v.next_visit_id")
    add("complaint", COMPLAINT_FIELDS, "SELECT c.uuid, k.uuid, c.number, r.uuid FROM complaint c "
                                       "JOIN customer k ON k.id = c.customer_id "
                                       "LEFT JOIN complaint r ON r.id = c.repeat_of_id")
    add("care_event", CARE_FIELDS, "SELECT e.uuid, k.uuid, e.rule, e.state, e.due_on, e.deleted_at FROM care_event e "
                                   "JOIN customer k ON k.id = e.customer_id")
    return out


def normalise(state: dict) -> dict:
    return {key: {f: v for f, v in fields.items() if v not in (None, "")} for key, fields in state.items()}
