"""A laptop's first upload: every record it held when it joined, read straight from its
tables as whole records (one JSON object each) and sent an entity at a time, parents first,
through ``sync.upload``. Nothing goes through the outbox: at 100,000 customers that was
some 35 million outbox rows written, read and deleted. What is edited meanwhile is captured
by the triggers as usual and pushed after the upload.

Resumable: ``upload_until`` (the last id of each table when the laptop joined) and
``upload_done`` (the last id the hub has committed) are kept in ``sync_state``; a retry
of a chunk the hub took but did not answer is skipped field by field by the hub."""
from __future__ import annotations

import json
import queue
import threading
from contextlib import ExitStack, closing
from typing import Callable, ContextManager, Iterator, Optional

from crmdesk.core.db import snapshot_reader
from crmdesk.core.models import database
from crmdesk.core.search import customer_text
from crmdesk.core.sync import derived, state
from crmdesk.core.sync.entities import BY_CUSTOMER, ENTITIES, Entity
from crmdesk.core.sync.lanes import Lanes, Send

# Records per call: 10,000 took 4 % less than 5,000 (fewer calls, commits and notices).
# Customers' documents are the largest (~2-4 kB with their search text): half as many.
CHUNK = 10_000
LANES = 2  # hub connections a large upload uses at once (this machine's 2 cores: 2 backends and the laptop)
LANES_FROM = 20_000  # records: a smaller upload goes over the one connection
ARGS = 50  # fields per json_object() call (SQLite allows 127 arguments: 63 fields)


def marks() -> dict[str, int]:
    """The last id of each shared table: what the first upload will send."""
    return {entity.name: database.execute_sql(f'SELECT coalesce(max(id), 0) FROM "{entity.table}"').fetchone()[0]
            for entity in ENTITIES}


def jsonb_order(names) -> list[str]:
    """``names`` in the order PostgreSQL keeps a jsonb object's keys (shorter first, then
    byte by byte): the hub's parse of a document already in that order skips its sort
    (its quicksort checks for sorted input first; the sort was 4.5 % of an upload's hub time)."""
    return sorted(names, key=lambda name: (len(name.encode()), name.encode()))


def _doc_sql(entity: Entity, joined: Optional[dict] = None) -> str:
    """``joined``: columns whose referenced uuid the query has at hand, as an expression."""
    joined = joined or {}
    parts = []
    columns = jsonb_order(entity.fields + (derived.DERIVED if entity.name == "customer" else ()))
    for start in range(0, len(columns), ARGS):
        pairs = []
        for column in columns[start:start + ARGS]:
            target = entity.refs.get(column)
            value = joined.get(column) or (f'(SELECT uuid FROM "{target}" WHERE id = r."{column}")' if target
                                           else f'r."{column}"')
            pairs.append(f"'{column}', {value}")
        parts.append(f"json_object({', '.join(pairs)})")
    doc = "'{}'"
    for part in parts:  # a merge patch: its null members are left out (SQLite's C, not Python, drops them)
        doc = f"json_patch({doc}, {part})"
    return doc


def _records(execute: Callable, entity: Entity, after: int, until: int) -> Iterator[list[tuple]]:
    """Chunks of (id, uuid, the customer's uuid as JSON, the document, how many fields it
    has); the middle three as UTF-8 bytes."""
    parent = entity.parent_sql.replace("NEW.", "r.")
    source, joined = f'"{entity.table}" r', {}
    if entity.parent_sql == BY_CUSTOMER:
        # the customer's uuid is both the parent and a field: one look-up (a join), not two
        source, joined = f'"{entity.table}" r LEFT JOIN customer parent ON parent.id = r.customer_id', \
            {"customer_id": "parent.uuid"}
        parent = "parent.uuid"
    count = " + ".join(f'(r."{column}" IS NOT NULL)' for column in entity.fields)
    size = max(1, CHUNK // 2) if entity.name == "customer" else CHUNK
    # Text as UTF-8 bytes, put together and sent as they are: decoding to str and encoding
    # again took a quarter of the laptop's time (a chunk of 10,000 visits: 104-127 -> 86 ms).
    sql = (f'SELECT r.id, CAST(r.uuid AS BLOB), CAST(json_quote({parent}) AS BLOB), '
           f'CAST({_doc_sql(entity, joined)} AS BLOB), {count} FROM {source} '
           f"WHERE r.id > ? AND r.id <= ? ORDER BY r.id LIMIT {size}")
    while True:
        rows = execute(sql, [after, until]).fetchall()
        if not rows:
            return
        yield rows
        after = rows[-1][0]


def _with_derived_key(rows: list[tuple]) -> list[tuple]:
    """Customers' documents with the key their derived columns go with (``derived.DERIVED``)."""
    ids = [row[0] for row in rows]
    parts = customer_text.contact_parts(ids)
    columns = ", ".join(f'"{c}"' for c in customer_text.SEARCHED)
    keys = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for row in database.execute_sql(f"SELECT id, {columns} FROM customer WHERE id IN ({','.join('?' * len(chunk))})",
                                        chunk):
            keys[row[0]] = customer_text.derived_key(row[1:], parts.get(row[0], []))
    out = []
    for row_id, uuid, parent, doc, fields in rows:
        key = b'"derived_of":' + json.dumps(keys[row_id]).encode()
        out.append((row_id, uuid, parent, doc[:-1] + (b"," if doc != b"{}" else b"") + key + b"}", fields))
    return out


def _payload(name: str, rows: list[tuple]) -> bytes:
    """The chunk as the JSON text ``sync.upload`` takes; the keys in jsonb's order too: d, e, n, p, u."""
    head = b'{"d":%b,"e":"' + name.encode() + b'","n":%d,"p":%b,"u":"%b"}'
    return b"[" + b",".join(head % (doc, fields, parent, uuid) for _id, uuid, parent, doc, fields in rows) + b"]"


def _chunks(execute: Callable, until: dict, done: dict) -> Iterator[tuple[Entity, list, Optional[bytes]]]:
    for entity in ENTITIES:
        for rows in _records(execute, entity, int(done.get(entity.name, 0)), int(until.get(entity.name, 0))):
            # A customer's document gets its derived key on the caller's thread (it reads contacts there).
            yield entity, rows, None if entity.name == "customer" else _payload(entity.name, rows)


def _read_ahead(items: Iterator, depth: int) -> Iterator:
    """``items`` made on a second thread while the caller waits for the hub: SQLite lets
    go of the GIL while it reads, and the hub works in its own process, so the reading of
    the next chunk (a quarter of an upload's time) overlaps the sending of this one.
    No timed waits (a clock set ahead, as faketime does, made one last two years): a
    caller that stops early drains the queue until the thread says it has ended."""
    queue_: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    end = object()

    def work() -> None:
        error = None
        try:
            for item in items:
                queue_.put((item, None))
                if stop.is_set():
                    break
        except BaseException as failure:  # raised again on the caller's thread
            error = failure
        queue_.put((end, error))

    thread = threading.Thread(target=work, name="crmdesk-upload-read", daemon=True)
    thread.start()
    ended = False
    try:
        while True:
            item, error = queue_.get()
            if item is end:
                ended = True
                if error is not None:
                    raise error
                return
            yield item
    finally:
        stop.set()
        while not ended:
            ended = queue_.get()[0] is end
        thread.join()


def run(send: Send, answered: Callable[[dict, str, list], None],
        progress: Optional[Callable[[int, int, str], None]] = None,
        open_lane: Optional[Callable[[], ContextManager[Send]]] = None) -> int:
    """Send what is left of the first upload; ``send(entity, payload)`` returns the hub's
    answer, ``answered(answer, entity, rows)`` keeps what it says (refusals, renumberings)
    in the same SQLite transaction that records the chunk as sent. With ``open_lane`` (a
    connection of its own), an upload of ``LANES_FROM`` records or more goes over
    ``LANES`` of them at once (``lanes``), once its customers are on the hub."""
    rows = state.read()
    until, done = json.loads(rows.get("upload_until") or "{}"), json.loads(rows.get("upload_done") or "{}")
    total, sent = state.upload_pending(rows), 0

    def settle(entity: Entity, chunk: list) -> Callable[[dict], None]:
        def keep(answer: dict) -> None:
            nonlocal sent
            done[entity.name] = chunk[-1][0]
            with database.atomic():
                answered(answer, entity.name, chunk)
                state.write(upload_done=done)
            sent += len(chunk)
            if progress:
                progress(sent, total, "upload")
        return keep

    with snapshot_reader() as reader, ExitStack() as stack:
        if reader is None:
            chunks = _chunks(database.execute_sql, until, done)
        else:  # closed before the reader's connection
            chunks = stack.enter_context(closing(_read_ahead(_chunks(reader.execute, until, done), LANES + 1)))
        lanes = stack.enter_context(Lanes(open_lane, LANES)) if open_lane and total >= LANES_FROM else None
        last = None
        for entity, chunk, payload in chunks:
            if payload is None:
                chunk = _with_derived_key(chunk)
                payload = _payload(entity.name, chunk)
            if lanes is None:
                settle(entity, chunk)(send(entity.name, payload))
                continue
            if last == "customer" and entity.name != "customer":
                lanes.drain()  # every record's customer is on the hub before the record
            last = entity.name
            lanes.send(entity.name, payload, settle(entity, chunk))
        if lanes is not None:
            lanes.drain()
    return sent
