"""Joining a team, and each sync: pull what the team changed, push what this laptop
changed (spec team-sync, "Push and pull"). Every step is safe to repeat: the outbox is
emptied only after the hub's COMMIT, the hub skips what it already took, and a pull stores
its cursor in the same SQLite transaction as what it applied. What goes up is
``sending``'s; what comes down, ``apply``'s (and ``download``'s, into an empty laptop)."""
from __future__ import annotations

import json
from typing import Callable, Optional

import peewee
import psycopg

from crmdesk.core import bulk_indexes, clock, team_state
from crmdesk.core.changes import Changes
from crmdesk.core.errors import CrmError, is_busy
from crmdesk.core.models import database, utcnow
from crmdesk.core import history
from crmdesk.core.sync import apply as applying
from crmdesk.core.sync import (capture, conflicts, download, numbers, packages, parked, passwords, sending, state,
                                 team_settings, upload)
from crmdesk.core.sync.connection import Address, connect, connection_error, hello, parse
from crmdesk.core.sync.outcome import Progress, Result

PULL_CHUNK = 5_000  # feed rows (records) per pull transaction


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
                system=answer["system"], cursor="", phase="upload", hlc="")
    if answer["role"] == "rep" and teams:  # what this rep had becomes the company's, in the rep's team
        database.execute_sql("UPDATE customer SET team = ? WHERE team = '' OR team NOT IN (SELECT value FROM "
                             "json_each(?))", [teams[0], json.dumps(teams, ensure_ascii=False)])
    clock.load()
    capture.install()
    team_settings.offer_all()
    # What this laptop holds now goes up whole, at one time; what is edited from now on, by the outbox.
    state.write(upload_until=upload.marks(), upload_done={}, upload_stamp=clock.clock.now(), hlc=clock.clock.last)


def leave() -> None:
    """Stop syncing: the data stays, readable and editable, as a laptop used alone."""
    rows = state.read()
    bulk_indexes.build_later()  # nothing else would build them once the laptop is on its own
    with database.atomic():
        capture.remove()
        database.execute_sql("DELETE FROM sync_outbox")
        database.execute_sql("DELETE FROM sync_field")
        database.execute_sql("DELETE FROM sync_conflict")
        database.execute_sql("DELETE FROM sync_parked")
        database.execute_sql("DELETE FROM sync_setting")
        team_state.clear()
    passwords.forget(rows.get("url", ""), rows.get("login", ""))
    clock.load()


def sync(password: Optional[str] = None, progress: Progress = None) -> Result:
    """Pull, then push, then pull what the push may have started (a hand-over, a renumbering).
    A database kept busy past the timeout by a long write elsewhere (the window's first run
    of the care rules on a large book: 3.4 s at 30,000 customers, longer beside a sync) is
    ``db_busy``; what this sync committed stays, the next one goes on from there."""
    try:
        return _sync(password, progress)
    except peewee.OperationalError as error:
        if is_busy(error):
            raise CrmError("db_busy") from None
        raise


def _sync(password: Optional[str], progress: Progress) -> Result:
    rows = state.read()
    if rows.get("joined") != "1":
        raise CrmError("sync_not_joined")
    address = _address(rows, password)
    result = Result()
    _build_later(progress)  # offline too: what a download left for later needs no server
    with connect(address) as conn:
        answer = hello(conn, address)
        _check_clock(answer)
        _restamp_future()
        _follow(answer, rows)
        try:
            if rows.get("phase") == "upload":
                sending.upload_whole(conn, result, progress, lambda: connect(address))
                rows.update(state.read())
            if rows.get("phase") == "download" or _restored(conn, answer, rows):
                _download(conn, result, progress)
            elif numbers.codes_waiting():  # a code made here may be taken: renumbered before the pull
                sending.push(conn, result, progress)
            _pull(conn, result)
            sending.push(conn, result, progress)
            _pull(conn, result)
            _unseen_imports(conn, result)
            if numbers.settle(conn):  # numbers changed here: the lists read them again
                result.changes += [Changes.reset("customer"), Changes.reset("complaint")]
            _settings(conn, result)
            conflicts.send_resolved(conn)  # what people resolved while offline
            sending.mirror_conflicts(conn)
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


def _build_later(progress: Progress) -> None:
    """The indexes a download into an empty laptop left for after it (``download``). While
    the window writes for longer than the busy timeout (the care rules' first run on a large
    book), the rest waits for the next sync, which goes on now: a list is slower meanwhile,
    the sync need not fail."""
    if bulk_indexes.waiting():
        try:
            bulk_indexes.build_later((lambda done, total: progress(done, total, "indexes")) if progress else None)
        except CrmError as error:
            if error.code != "db_busy":
                raise


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
    got, cursor = download.run(conn, progress)
    clock.seen_cursor = cursor
    _merge(result, got)
    result.pulled += got.fields


def _pull(conn: psycopg.Connection, result: Result) -> None:
    """The feed after the cursor, one row per record a push wrote, a chunk per transaction."""
    visible = state.visible_teams()
    while True:
        rows = state.read()
        cursor = rows.get("cursor") or "0:0"
        seen = _seen_in_download(rows.get("download_snapshot", ""))
        xid, seq = cursor.split(":")
        rows = conn.execute(
            "SELECT c.xid::text, c.seq, c.entity, c.uuid::text, "
            "coalesce(c.doc, r.doc - ARRAY(SELECT jsonb_object_keys(r.times)))::text, c.hlc, c.actor, c.times::text "
            "FROM sync.change c LEFT JOIN sync.record r ON c.doc IS NULL AND r.uuid = c.uuid "  # an upload's row
            "WHERE (c.xid, c.seq) > (%s::xid8, %s) AND c.xid < pg_snapshot_xmin(pg_current_snapshot()) "
            "ORDER BY c.xid, c.seq LIMIT %s", [xid, int(seq), PULL_CHUNK]).fetchall()
        if not rows:
            if parked.twins_ready():  # twins parked before this laptop settled them (``twins``)
                with database.atomic():
                    _merge(result, applying.apply_parked(visible))
            return
        last = f"{rows[-1][0]}:{rows[-1][1]}"
        fields = [field for xid, _seq, entity, uuid, doc, hlc, actor, times in rows
                  if doc is not None and not seen(int(xid))
                  for field in applying.fields_of(entity, uuid, json.loads(doc), hlc, actor, json.loads(times))]
        with database.atomic():
            batch = history.new_batch("sync", "team changes").id
            got = applying.apply(fields, visible, log_batch=batch)
            state.write(cursor=last)
            if seen(int(rows[-1][0]), past=True):
                state.write(download_snapshot="")
        clock.seen_cursor = last
        result.pulled += got.fields
        _merge(result, got)


def _settings(conn: psycopg.Connection, result: Result) -> None:
    got = team_settings.exchange(conn)
    result.pushed += got.sent
    result.pulled += got.received
    result.settings_refused = got.refused
    result.changes += got.changes


def _unseen_imports(conn: psycopg.Connection, result: Result) -> None:
    """Customers a change package brought (``packages.IMPORTED``) that the hub does not show
    this login, now that the push sent them, were given to another team after the package
    was made: they leave this laptop, as the hand-over's pull would have taken them (its
    feed row came before this laptop held them)."""
    uuids = json.loads(state.read().get(packages.IMPORTED) or "[]")
    if not uuids:
        return
    seen = {row[0] for row in conn.execute("SELECT uuid::text FROM sync.record WHERE uuid = ANY (%s::uuid[])",
                                           [uuids]).fetchall()}
    with database.atomic(), applying.Capture():
        result.removed += sum(applying.remove_customer(uuid) for uuid in uuids if uuid not in seen)
        state.write(**{packages.IMPORTED: []})


def _seen_in_download(snapshot: str) -> Callable[..., bool]:
    """Whether a feed row's transaction was in the download already: the download starts
    the cursor at its snapshot's xmin, and the transactions between xmin and xmax that had
    committed were in it (applied twice, they were logged twice). ``past``: whether a
    transaction is past the snapshot, so the check is no longer needed."""
    if not snapshot:
        return lambda xid, past=False: past
    low, high, running = snapshot.split(":")
    xmin, xmax, busy = int(low), int(high), {int(x) for x in running.split(",") if x}
    return lambda xid, past=False: xid >= xmax if past else (xmin <= xid < xmax and xid not in busy)


def _merge(result: Result, got: applying.Applied) -> None:
    result.removed += got.removed
    result.changes.extend(got.changes())


