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
from typing import Callable, Iterator, Optional

from crmdesk.core.models import database
from crmdesk.core.sync import state
from crmdesk.core.sync.entities import ENTITIES, Entity

CHUNK = 5_000  # records per call
ARGS = 50  # fields per json_object() call (SQLite allows 127 arguments: 63 fields)


def marks() -> dict[str, int]:
    """The last id of each shared table: what the first upload will send."""
    return {entity.name: database.execute_sql(f'SELECT coalesce(max(id), 0) FROM "{entity.table}"').fetchone()[0]
            for entity in ENTITIES}


def _doc_sql(entity: Entity) -> str:
    parts = []
    for start in range(0, len(entity.fields), ARGS):
        pairs = []
        for column in entity.fields[start:start + ARGS]:
            target = entity.refs.get(column)
            value = f'(SELECT uuid FROM "{target}" WHERE id = r."{column}")' if target else f'r."{column}"'
            pairs.append(f"'{column}', {value}")
        parts.append(f"json_object({', '.join(pairs)})")
    doc = "'{}'"
    for part in parts:  # a merge patch: its null members are left out (SQLite's C, not Python, drops them)
        doc = f"json_patch({doc}, {part})"
    return doc


def _records(entity: Entity, after: int, until: int) -> Iterator[list[tuple]]:
    """Chunks of (id, uuid, the customer's uuid, the document, how many fields it has)."""
    parent = entity.parent_sql.replace("NEW.", "r.")
    count = " + ".join(f'(r."{column}" IS NOT NULL)' for column in entity.fields)
    sql = (f'SELECT r.id, r.uuid, {parent}, {_doc_sql(entity)}, {count} FROM "{entity.table}" r '
           f"WHERE r.id > ? AND r.id <= ? ORDER BY r.id LIMIT {CHUNK}")
    while True:
        rows = database.execute_sql(sql, [after, until]).fetchall()
        if not rows:
            return
        yield rows
        after = rows[-1][0]


def _payload(name: str, rows: list[tuple]) -> str:
    head = f'{{"e":"{name}","u":"'
    return "[" + ",".join(f'{head}{uuid}","p":{json.dumps(parent)},"d":{doc}}}'
                          for _id, uuid, parent, doc, _fields in rows) + "]"


def run(send: Callable[[str, str], dict], answered: Callable[[dict, str, list], None],
        progress: Optional[Callable[[int, int, str], None]] = None) -> int:
    """Send what is left of the first upload; ``send(entity, payload)`` returns the hub's
    answer, ``answered(answer, entity, rows)`` keeps what it says (refusals, renumberings)
    in the same SQLite transaction that records the chunk as sent."""
    rows = state.read()
    until, done = json.loads(rows.get("upload_until") or "{}"), json.loads(rows.get("upload_done") or "{}")
    total, sent = state.upload_pending(rows), 0
    for entity in ENTITIES:
        for chunk in _records(entity, int(done.get(entity.name, 0)), int(until.get(entity.name, 0))):
            answer = send(entity.name, _payload(entity.name, chunk))
            done[entity.name] = chunk[-1][0]
            with database.atomic():
                answered(answer, entity.name, chunk)
                state.write(upload_done=done)
            sent += len(chunk)
            if progress:
                progress(sent, total, "upload")
    return sent
