"""Joining a team, and each sync: pull what the team changed, push what this laptop
changed (spec team-sync, "Push and pull"). Every step is safe to repeat: the outbox is
emptied only after the hub's COMMIT, the hub skips what it already took, and a pull stores
its cursor in the same SQLite transaction as what it applied."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Callable, Optional

import psycopg

from crmdesk.core import clock
from crmdesk.core.errors import CrmError
from crmdesk.core.models import database, utcnow
from crmdesk.core.services import history
from crmdesk.core.sync import apply as applying
from crmdesk.core.sync import capture, conflicts, numbers, passwords, state
from crmdesk.core.sync.connection import Address, connect, connection_error, hello, parse

PUSH_CHUNK = 20_000  # field edits per push call
PULL_CHUNK = 20_000

Progress = Optional[Callable[[int, int, str], None]]


@dataclass
class Result:
    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    refused: int = 0
    renamed: list = field(default_factory=list)  # (entity, uuid, from, to)
    removed: int = 0
    changes: list = field(default_factory=list)


def _check_clock(answer: dict) -> None:
    drift = clock.wall_ms() - int(answer["now_ms"])
    if abs(drift) > clock.MAX_DRIFT_MS:
        raise CrmError("sync_clock_drift", minutes=abs(drift) // 60000, ahead=drift > 0)


def _address(rows: dict, password: Optional[str]) -> Address:
    url, login = rows.get("url", ""), rows.get("login", "")
    secret = password if password is not None else passwords.recall(url, login)
    if secret is None:
        raise CrmError("sync_password_needed", user=login)
    return parse(url, login, secret)


def joined() -> bool:
    return state.read().get("joined") == "1"


def join(url: str, user: Optional[str] = None, password: Optional[str] = None, progress: Progress = None,
         remember: bool = True) -> Result:
    """This database joins the team: its records go up (if it has any), what the login may
    see comes down, and from now on every edit is captured for the next sync."""
    address = parse(url, user, password)
    rows = state.read()
    if rows.get("joined") == "1":
        if rows.get("url") != address.url:
            raise CrmError("sync_already_joined", server=rows.get("url", ""))
    with connect(address) as conn:
        answer = hello(conn, address)
        _check_clock(answer)
        if rows.get("joined") != "1":
            with database.atomic():
                _start(address, answer)
    if remember and address.password:
        passwords.remember(address.url, address.user, address.password)
    return sync(address.password, progress)


def _start(address: Address, answer: dict) -> None:
    teams = answer.get("teams") or []
    state.write(joined="1", site=clock.new_site(), url=address.url, login=address.user, role=answer["role"],
                teams=teams, all_teams=answer.get("all_teams") or [], epoch=answer["epoch"],
                system=answer["system"], cursor="", phase="download", hlc="")
    if answer["role"] == "rep" and teams:  # what this rep had becomes the company's, in the rep's team
        database.execute_sql("UPDATE customer SET team = ? WHERE team = '' OR team NOT IN (SELECT value FROM "
                             "json_each(?))", [teams[0], json.dumps(teams, ensure_ascii=False)])
    clock.load()
    capture.install()
    capture.snapshot()
    until = database.execute_sql("SELECT coalesce(max(id), 0) FROM sync_outbox").fetchone()[0]
    state.write(hlc=clock.clock.last, upload_until=str(until))


def leave() -> None:
    """Stop syncing: the data stays, readable and editable, as a laptop used alone."""
    rows = state.read()
    with database.atomic():
        capture.remove()
        database.execute_sql("DELETE FROM sync_outbox")
        database.execute_sql("DELETE FROM sync_field")
        database.execute_sql("DELETE FROM sync_conflict")
        state.clear()
    passwords.forget(rows.get("url", ""), rows.get("login", ""))
    clock.load()


def sync(password: Optional[str] = None, progress: Progress = None) -> Result:
    """Pull, then push, then pull what the push may have started (a hand-over, a renumbering)."""
    rows = state.read()
    if rows.get("joined") != "1":
        raise CrmError("sync_not_joined")
    address = _address(rows, password)
    result = Result()
    with connect(address) as conn:
        answer = hello(conn, address)
        _check_clock(answer)
        _restamp_future()
        _follow(answer, rows)
        try:
            if rows.get("phase") == "download" or _restored(conn, answer, rows):
                _download(conn, result, progress)
            elif numbers.codes_waiting():  # a code made here may be taken: renumbered before the pull
                _push(conn, result, progress)
            _pull(conn, result)
            _push(conn, result, progress)
            _pull(conn, result)
            conflicts.send_resolved(conn)  # what people resolved while offline
            _conflicts(conn)
            numbers.top_up(conn)
            waiting = database.execute_sql("SELECT count(*) FROM sync_outbox").fetchone()[0]
            conn.execute("SELECT sync.report(%s, %s)", [clock.clock.site, waiting])
        except psycopg.errors.InsufficientPrivilege:
            raise CrmError("sync_not_member", user=address.user, server=address.server) from None
        except psycopg.OperationalError as error:
            raise connection_error(error, address) from None
    with database.atomic():
        state.write(last_sync=utcnow().isoformat(" "), hlc=clock.clock.last)
    return result


def _restamp_future() -> int:
    """Edits made while this computer's clock ran ahead (now set right, as the check above
    shows) would carry a date every other laptop refuses: they get times of now, in the
    order they were made, before anything goes out."""
    limit = clock.wall_ms() + clock.MAX_DRIFT_MS
    ahead = [row[0] for row in database.execute_sql(
        "SELECT id FROM sync_outbox WHERE CAST(substr(hlc, 1, 16) AS INTEGER) > ? ORDER BY id", [limit])]
    if not ahead and clock.clock.ms <= limit:
        return 0
    clock.clock.rewind()
    with database.atomic():
        database.cursor().executemany("UPDATE sync_outbox SET hlc = ? WHERE id = ?",
                                      [(clock.clock.now(), row_id) for row_id in ahead])
        database.execute_sql("DELETE FROM sync_field WHERE CAST(substr(hlc, 1, 16) AS INTEGER) > ?", [limit])
        state.write(hlc=clock.clock.last)
    return len(ahead)


def _follow(answer: dict, rows: dict) -> None:
    """The login's role and teams as the hub says now (a manager may have moved it)."""
    teams = answer.get("teams") or []
    if answer["role"] != rows.get("role") or json.dumps(teams, ensure_ascii=False) != rows.get("teams"):
        with database.atomic():
            state.write(role=answer["role"], teams=teams, all_teams=answer.get("all_teams") or [])
        rows.update(state.read())


def _restored(conn: psycopg.Connection, answer: dict, rows: dict) -> bool:
    """The hub was restored from a backup, or is another cluster: this laptop starts over
    from the hub's state and sends again what the hub lost. A restore keeps the epoch (it
    is in the backup) and the feed may have grown past this laptop's cursor since: the sign
    is that the change the cursor names is no longer there."""
    cursor = rows.get("cursor", "")
    behind = bool(cursor) and int(cursor.split(":")[1]) > int(answer.get("last_seq") or 0)
    if cursor and not behind and int(cursor.split(":")[1]) > 0:
        xid, seq = cursor.split(":")
        behind = not conn.execute("SELECT EXISTS (SELECT 1 FROM sync.change WHERE xid = %s::xid8 AND seq = %s)",
                                  [xid, int(seq)]).fetchone()[0]
    moved = answer.get("epoch") != rows.get("epoch") or answer.get("system") != rows.get("system")
    if not (behind or moved):
        return False
    head = conn.execute("SELECT pg_snapshot_xmax(pg_current_snapshot())::text").fetchone()[0]
    with database.atomic():
        capture.snapshot(resend_seen=f"{head}:0")  # the hub keeps the newer of each field
        state.write(epoch=answer.get("epoch", ""), system=answer.get("system", ""), cursor="")
    return True


def _download(conn: psycopg.Connection, result: Result, progress: Progress) -> None:
    """Everything this login may see, as the hub holds it now, in one snapshot; the cursor
    starts where that snapshot ends, so the next pull misses nothing. Chunks end at a
    record's last field: a record is never inserted half."""
    rows = state.read()
    visible = state.visible_teams(rows)
    customers, products = set(), set()
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        xmin = conn.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text").fetchone()[0]
        total = conn.execute("SELECT count(*) FROM sync.field_state").fetchone()[0]
        done = 0
        with database.atomic():
            with conn.cursor(name="download") as cur:
                cur.itersize = PULL_CHUNK
                cur.execute("SELECT entity, uuid::text, field, value, hlc, actor FROM sync.field_state "
                            "ORDER BY array_position(%s::text[], entity), uuid, field",
                            [[e.name for e in applying.entities.ENTITIES]])
                carry: list = []
                while True:
                    fetched = cur.fetchmany(PULL_CHUNK)
                    chunk, carry = _whole_records(carry + fetched, 1) if fetched else (carry, [])
                    if not chunk and carry:
                        continue  # one record longer than a chunk: read on
                    if not chunk:
                        break
                    got = applying.apply((applying.Remote(*row) for row in chunk), visible, record_times=False,
                                         refresh_derived=False)
                    customers |= got.customers
                    products |= got.products
                    _merge(result, got)
                    result.pulled += got.fields
                    done += len(chunk)
                    if progress:
                        progress(done, total, "download")
            applying.refresh(customers, products)
            state.write(cursor=f"{xmin}:0", phase="ready")
            clock.seen_cursor = f"{xmin}:0"


def _pull(conn: psycopg.Connection, result: Result) -> None:
    visible = state.visible_teams()
    limit = PULL_CHUNK
    while True:
        cursor = state.read().get("cursor") or "0:0"
        xid, seq = cursor.split(":")
        rows = conn.execute(
            "SELECT xid::text, seq, entity, uuid::text, field, value, hlc, actor FROM sync.change "
            "WHERE (xid, seq) > (%s::xid8, %s) AND xid < pg_snapshot_xmin(pg_current_snapshot()) "
            "ORDER BY xid, seq LIMIT %s", [xid, int(seq), limit]).fetchall()
        if not rows:
            return
        if len(rows) == limit:  # the rest of the last record comes with the next chunk
            rows = _whole_records(rows, 3)[0]
            if not rows:
                limit *= 2  # one record longer than a chunk
                continue
        limit = PULL_CHUNK
        last = f"{rows[-1][0]}:{rows[-1][1]}"
        with database.atomic():
            batch = history.new_batch("sync", "team changes").id
            got = applying.apply((applying.Remote(*row[2:]) for row in rows), visible, log_batch=batch)
            state.write(cursor=last)
        clock.seen_cursor = last
        result.pulled += got.fields
        _merge(result, got)


def _whole_records(rows: list, at: int) -> tuple[list, list]:
    """A chunk without the fields of its last record, which may go on in the next chunk (a
    new record's first fields alone cannot be inserted), and those fields."""
    cut = len(rows)
    while cut > 0 and rows[cut - 1][at] == rows[-1][at]:
        cut -= 1
    return rows[:cut], rows[cut:]


def _merge(result: Result, got: applying.Applied) -> None:
    result.removed += got.removed
    result.changes.extend(got.changes())


def _push(conn: psycopg.Connection, result: Result, progress: Progress) -> None:
    site = clock.clock.site
    total = database.execute_sql("SELECT count(*) FROM sync_outbox").fetchone()[0]
    done = 0
    initial = int(state.read().get("upload_until") or 0)  # the first upload: no one else has these yet
    while True:
        rows = database.execute_sql(
            "SELECT id, hlc, entity, uuid, field, value, parent, seen, actor FROM sync_outbox ORDER BY id LIMIT ?",
            [PUSH_CHUNK]).fetchall()
        if not rows:
            if initial:  # the first upload is out: the outbox's ids start again from 1 (SQLite reuses them)
                with database.atomic():
                    state.write(upload_until="0")
            break
        payload = json.dumps([{"e": e, "u": u, "f": f, "v": v, "h": h, "p": p, "n": n, "a": a or None}
                              for _id, h, e, u, f, v, p, n, a in rows], ensure_ascii=False)
        with conn.transaction():
            answer = conn.execute("SELECT sync.push(%s::jsonb, %s)", [payload, site]).fetchone()[0]
        # The hub has committed: only now do these edits leave the outbox.
        refused = {(item["u"], item["f"], item["h"]) for item in answer.get("refused") or []}
        with database.atomic():
            database.execute_sql("DELETE FROM sync_outbox WHERE id <= ?", [rows[-1][0]])
            applying.remember_times([(u, f, h) for row_id, h, e, u, f, v, p, n, a in rows
                                     if row_id > initial and (u, f, h) not in refused])
            _refused(answer.get("refused") or [], rows)
            _take_back(conn, refused)
            result.renamed += _renamed(answer.get("renamed") or [])
        result.pushed += len(rows)
        result.conflicts += int(answer.get("conflicts") or 0)
        result.refused += len(answer.get("refused") or [])
        done += len(rows)
        if progress:
            progress(done, total, "upload")


def _refused(refused: list, rows: list) -> None:
    """Edits the hub would not take from this login (another team's record, the desk
    editing a customer): kept in the conflicts list, nothing lost."""
    if not refused:
        return
    values = {(u, f, h): (e, v, a) for _id, h, e, u, f, v, p, n, a in rows}
    for item in refused:
        entity, value, actor = values.get((item["u"], item["f"], item["h"]), (item.get("e", ""), None, ""))
        database.execute_sql(
            "INSERT OR IGNORE INTO sync_conflict (id, kind, entity, uuid, field, mine, theirs, mine_actor, "
            "theirs_actor, mine_at, theirs_at, resolved) VALUES (?, 'refused', ?, ?, ?, ?, NULL, ?, '', ?, '', 0)",
            [f"local-{item['u']}-{item['f']}-{item['h']}", entity, item["u"], item["f"], value, actor or "", item["h"]])


def _take_back(conn: psycopg.Connection, refused: set) -> None:
    """A refused edit is kept in the conflicts list; the field shows the team's value again."""
    if not refused:
        return
    pairs = sorted({(u, f) for u, f, _h in refused})
    rows = conn.execute("SELECT s.entity, s.uuid::text, s.field, s.value, s.hlc, s.actor FROM sync.field_state s "
                        "JOIN unnest(%s::uuid[], %s::text[]) AS x(u, f) ON s.uuid = x.u AND s.field = x.f",
                        [[u for u, _f in pairs], [f for _u, f in pairs]]).fetchall()
    database.cursor().executemany("DELETE FROM sync_field WHERE uuid = ? AND field = ?", pairs)
    if rows:
        applying.apply([applying.Remote(*row) for row in rows], state.visible_teams(), log_batch=None)


def _renamed(renamed: list) -> list:
    """Codes the hub renumbered because another record held them: this laptop takes the new one."""
    out = []
    with applying.Capture():
        for item in renamed:
            table = "customer" if item["f"] == "code" else "complaint"
            database.execute_sql(f'UPDATE "{table}" SET "{item["f"]}" = ? WHERE uuid = ?', [item["to"], item["u"]])
            out.append((table, item["u"], item["from"], item["to"]))
    return out


def _conflicts(conn: psycopg.Connection) -> None:
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
