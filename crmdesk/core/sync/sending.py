"""What a laptop sends the hub (spec team-sync, "Push and pull"): at its join, the records
it held, whole (``upload``); then the outbox's field edits, a chunk per hub transaction,
each leaving the outbox only after the hub's COMMIT. What the hub refused is kept in the
Conflicts list and the field shows the team's value again; a code it renumbered is taken
here; the open conflicts are mirrored for the list."""
from __future__ import annotations

import json
from contextlib import contextmanager
from typing import Callable, Iterator, Optional

import psycopg
from psycopg import postgres
from psycopg.adapt import Dumper

from crmdesk.core import clock
from crmdesk.core.models import database
from crmdesk.core.sync import apply as applying
from crmdesk.core.sync import entities, state, upload
from crmdesk.core.sync.outcome import Progress, Result

PUSH_CHUNK = 20_000  # field edits per push call


DEADLOCK_TRIES = 3  # two upload connections that both merge deadlock; PostgreSQL ends one of them


class JsonText(bytes):
    """JSON text as UTF-8, sent to the hub as a ``jsonb`` parameter as it is (``upload``)."""


class JsonTextDumper(Dumper):
    oid = postgres.types["jsonb"].oid

    def dump(self, obj: JsonText) -> bytes:
        return obj


def upload_whole(conn: psycopg.Connection, result: Result, progress: Progress,
                 connect_again: Optional[Callable[[], psycopg.Connection]] = None) -> None:
    """The first upload: the records this laptop held when it joined, whole (``upload``);
    a large one also over connections of its own (``connect_again``, ``lanes``)."""
    stamp, site = state.read().get("upload_stamp", ""), clock.clock.site

    def sender(connection: psycopg.Connection) -> Callable[[str, bytes], dict]:
        connection.adapters.register_dumper(JsonText, JsonTextDumper)

        def once(payload: bytes) -> dict:
            with connection.transaction():
                return connection.execute("SELECT sync.upload(%s, %s, %s)",
                                          [JsonText(payload), stamp, site]).fetchone()[0]

        def send(entity: str, payload: bytes) -> dict:
            for _attempt in range(DEADLOCK_TRIES - 1):
                try:
                    return once(payload)
                except psycopg.errors.DeadlockDetected:  # rolled back: the same chunk again
                    pass
            return once(payload)
        return send

    @contextmanager
    def open_lane() -> Iterator[Callable[[str, bytes], dict]]:
        with connect_again() as lane:
            yield sender(lane)

    def answered(answer: dict, entity: str, rows: list) -> None:
        refused = answer.get("refused") or []
        if refused:
            docs = {uuid.decode(): json.loads(doc) for _id, uuid, _parent, doc, _fields in rows}
            values = {(item["u"], item["f"], item["h"]): (entity, json.dumps(docs.get(item["u"], {}).get(item["f"]),
                                                                              ensure_ascii=False), "")
                      for item in refused}
            keep_refused(refused, values)
            take_back(conn, {(item["u"], item["f"], item["h"]) for item in refused})
        result.renamed += renamed(answer.get("renamed") or [])
        result.pushed += sum(row[4] for row in rows) - len(refused)
        result.conflicts += int(answer.get("conflicts") or 0)
        result.refused += len(refused)

    rows = state.read()
    if not rows.get("upload_alone"):  # decided before the first chunk: whether the hub held anything yet
        alone = not conn.execute("SELECT EXISTS (SELECT 1 FROM sync.record)").fetchone()[0]
        with database.atomic():
            state.write(upload_alone="1" if alone else "0")
        rows["upload_alone"] = "1" if alone else "0"
    # Not the desk's: most of what it holds is refused, and a refusal is merged under the
    # push lock alone (two lanes both merging deadlock, and are sent again).
    lanes = open_lane if connect_again and rows.get("role") != "desk" else None
    upload.run(sender(conn), answered, progress, lanes)
    with database.atomic():
        if rows["upload_alone"] == "1" and _nothing_but(conn, stamp):
            return  # the hub holds what this laptop sent and nothing else: no download
        state.write(phase="download")


def _nothing_but(conn: psycopg.Connection, stamp: str) -> bool:
    """The hub was empty when this laptop's upload began: if its feed holds nothing but
    the records this upload took whole, there is nothing to download (at 100,000 customers
    reading the 2.7 million records to find none to fetch took seconds). The cursor then
    starts after the upload, and the transactions of it the pulls would meet are skipped,
    as after a download."""
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        snapshot = conn.execute("SELECT pg_current_snapshot()::text").fetchone()[0]
        others = conn.execute("SELECT EXISTS (SELECT 1 FROM sync.change WHERE NOT (doc IS NULL AND hlc = %s "
                              "AND actor = session_user))", [stamp]).fetchone()[0]
    if others:
        return False
    clock.seen_cursor = state.ready_after(snapshot)
    return True


def push(conn: psycopg.Connection, result: Result, progress: Progress) -> None:
    site = clock.clock.site
    total = database.execute_sql("SELECT count(*) FROM sync_outbox").fetchone()[0]
    done = 0
    while True:
        rows = database.execute_sql(
            "SELECT id, hlc, entity, uuid, field, value, parent, seen, actor FROM sync_outbox ORDER BY id LIMIT ?",
            [PUSH_CHUNK]).fetchall()
        if not rows:
            break
        payload = json.dumps([{"e": e, "u": u, "f": f, "v": v, "h": h, "p": p, "n": n, "a": a or None}
                              for _id, h, e, u, f, v, p, n, a in rows], ensure_ascii=False)
        with conn.transaction():
            answer = conn.execute("SELECT sync.push(%s::jsonb, %s)", [payload, site]).fetchone()[0]
        # The hub has committed: only now do these edits leave the outbox.
        refused = {(item["u"], item["f"], item["h"]) for item in answer.get("refused") or []}
        with database.atomic():
            database.execute_sql("DELETE FROM sync_outbox WHERE id <= ?", [rows[-1][0]])
            # (not of a record that left this laptop meanwhile: should it come back, it comes back whole)
            here = entities.held((e, u) for _id, h, e, u, f, v, p, n, a in rows)
            applying.remember_times([(u, f, h) for row_id, h, e, u, f, v, p, n, a in rows
                                     if (u, f, h) not in refused and u in here])
            keep_refused(answer.get("refused") or [], {(u, f, h): (e, v, a) for _id, h, e, u, f, v, p, n, a in rows})
            take_back(conn, refused)
            result.renamed += renamed(answer.get("renamed") or [])
        result.pushed += len(rows)
        result.conflicts += int(answer.get("conflicts") or 0)
        result.refused += len(answer.get("refused") or [])
        done += len(rows)
        if progress:
            progress(done, total, "upload")


def keep_refused(refused: list, values: dict) -> None:
    """Edits the hub would not take from this login (another team's record, the desk
    editing a customer): kept in the conflicts list, nothing lost. ``values``: (uuid,
    field, time) -> (entity, JSON value, actor) of what was sent."""
    if not refused:
        return
    for item in refused:
        entity, value, actor = values.get((item["u"], item["f"], item["h"]), (item.get("e", ""), None, ""))
        database.execute_sql(
            "INSERT OR IGNORE INTO sync_conflict (id, kind, entity, uuid, field, mine, theirs, mine_actor, "
            "theirs_actor, mine_at, theirs_at, resolved) VALUES (?, 'refused', ?, ?, ?, ?, NULL, ?, '', ?, '', 0)",
            [f"local-{item['u']}-{item['f']}-{item['h']}", entity, item["u"], item["f"], value, actor or "", item["h"]])


def take_back(conn: psycopg.Connection, refused: set) -> None:
    """A refused edit is kept in the conflicts list; the field shows the team's value again."""
    if not refused:
        return
    pairs = sorted({(u, f) for u, f, _h in refused})
    rows = conn.execute("SELECT r.entity, r.uuid::text, x.f, (r.doc -> x.f)::text, "
                        "coalesce(r.times -> x.f ->> 0, r.hlc), coalesce(r.times -> x.f ->> 1, r.actor) "
                        "FROM sync.record r JOIN unnest(%s::uuid[], %s::text[]) AS x(u, f) ON r.uuid = x.u "
                        "WHERE r.doc ? x.f", [[u for u, _f in pairs], [f for _u, f in pairs]]).fetchall()
    database.cursor().executemany("DELETE FROM sync_field WHERE uuid = ? AND field = ?", pairs)
    if rows:
        applying.apply([applying.Remote(*row) for row in rows], state.visible_teams(), log_batch=None)


def renamed(renamed: list) -> list:
    """Codes the hub renumbered because another record held them: this laptop takes the new one."""
    out = []
    with applying.Capture():
        for item in renamed:
            table = "customer" if item["f"] == "code" else "complaint"
            database.execute_sql(f'UPDATE "{table}" SET "{item["f"]}" = ? WHERE uuid = ?', [item["to"], item["u"]])
            out.append((table, item["u"], item["from"], item["to"]))
    return out


def mirror_conflicts(conn: psycopg.Connection) -> None:
    """The open conflicts this login may see, mirrored for the Conflicts list."""
    rows = conn.execute(
        "SELECT id::text, kind, entity, uuid::text, field, loser, winner, coalesce(loser_actor, ''), "
        "coalesce(winner_actor, ''), loser_hlc, coalesce(winner_hlc, '') FROM sync.conflict "
        "WHERE resolved_at IS NULL ORDER BY id").fetchall()
    with database.atomic():
        database.execute_sql("DELETE FROM sync_conflict WHERE id NOT LIKE 'local-%'")
        database.cursor().executemany(
            "INSERT INTO sync_conflict (id, kind, entity, uuid, field, mine, theirs, mine_actor, theirs_actor, "
            "mine_at, theirs_at, resolved) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)", rows)
