"""Change packages (issue 20, "No network at all"): ``crmdesk sync --export PACKAGE`` writes
this laptop's outbox to a file a colleague of the same team imports (a USB stick, a mail);
merging it is the same merge as a pull, and the imported edits join the importer's outbox
with their own times, sites, cursors and authors, so whoever reaches the hub first pushes
them and the hub, which skips an edit it already holds, doubles nothing.

The file is gzip'd JSON lines: a header ``{format, version, epoch, hub, site, login,
created, count}``, one line per field edit (``e u f v h p n a`` as ``sync.push`` takes
them), and a last line ``{"digest": ...}``: an HMAC-SHA256 over every line before it. Its
key is derived from the hub's epoch, a random id made by ``team init`` that only the
team's laptops hold (they read it from the hub when they join): a changed or cut file is
refused, and so is a package of another team (another epoch), each with one sentence and
the database unchanged. This guards against damage and mistakes, not against a member of
the team who forges a package on purpose: the hub's row-level security still decides what
each login may write when the edits are pushed."""
from __future__ import annotations

import gzip
import hashlib
import hmac
import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from crmdesk.core import clock
from crmdesk.core.db import transaction
from crmdesk.core.errors import CrmError
from crmdesk.core.models import database, utcnow
from crmdesk.core import history
from crmdesk.core.sync import apply as applying
from crmdesk.core.sync import entities, state

FORMAT = "crmdesk-changes"
VERSION = 1
COLUMNS = "hlc, entity, uuid, field, value, parent, seen, actor"
IMPORTED = "imported"  # sync_state: uuids of customers packages brought, not yet seen on the hub


@dataclass
class Imported:
    edits: int = 0  # field edits in the package
    applied: int = 0  # fields that changed here
    queued: int = 0  # edits added to this laptop's outbox, for the hub
    skipped: int = 0  # already here (imported before, made here, or received from the hub)
    login: str = ""  # who made the package
    changes: list = field(default_factory=list)


def _key(epoch: str) -> bytes:
    return hashlib.sha256(b"crmdesk change package\x00" + epoch.encode("utf-8")).digest()


def _team() -> dict:
    rows = state.read()
    if rows.get("joined") != "1":
        raise CrmError("sync_not_joined")
    return rows


def export_package(path: Path | str) -> int:
    """Write the outbox to ``path``; returns the number of field edits written. The
    outbox stays as it is: the edits still go out at this laptop's next sync."""
    rows = _team()
    path = Path(path)
    edits = database.execute_sql(f"SELECT {COLUMNS} FROM sync_outbox ORDER BY id").fetchall()
    header = {"format": FORMAT, "version": VERSION, "epoch": rows.get("epoch", ""), "hub": _hub(rows.get("url", "")),
              "site": rows.get("site", ""), "login": rows.get("login", ""),
              "created": utcnow().isoformat(timespec="seconds") + "Z", "count": len(edits)}
    write(path, header, [{"e": e, "u": u, "f": f, "v": v, "h": h, "p": p, "n": n, "a": a}
                         for h, e, u, f, v, p, n, a in edits])
    return len(edits)


def write(path: Path, header: dict, edits: list[dict]) -> None:
    """A package file: the header, the edits, the digest keyed by the header's epoch."""
    mac = hmac.new(_key(header.get("epoch", "")), digestmod=hashlib.sha256)
    partial = path.with_name(path.name + ".part")
    with gzip.open(partial, "wb") as out:
        for line in [header] + edits:
            data = (json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
            mac.update(data)
            out.write(data)
        out.write((json.dumps({"digest": mac.hexdigest()}) + "\n").encode("utf-8"))
    partial.replace(path)  # a package is whole or absent


def _hub(url: str) -> str:
    """The hub's address without the login: the same for everyone of the team."""
    return url.split("@", 1)[-1]


def read_package(path: Path | str, epoch: str) -> tuple[dict, list[dict]]:
    """The header and edits of a package of the team whose epoch is ``epoch``, checked."""
    path = Path(path)
    try:
        with gzip.open(path, "rb") as source:
            lines = source.read().splitlines()
    except FileNotFoundError:
        raise CrmError("sync_package_missing", path=str(path)) from None
    except (EOFError, zlib.error) as error:
        raise CrmError("sync_package_truncated", path=str(path)) from error
    except (gzip.BadGzipFile, OSError) as error:
        raise CrmError("sync_package_not_package", path=str(path)) from error
    try:
        header = json.loads(lines[0])
    except (IndexError, ValueError, UnicodeDecodeError):
        raise CrmError("sync_package_not_package", path=str(path)) from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise CrmError("sync_package_not_package", path=str(path))
    if int(header.get("version") or 0) > VERSION:
        raise CrmError("sync_package_newer", path=str(path))
    if header.get("epoch") != epoch:
        raise CrmError("sync_package_other_team", path=str(path), hub=header.get("hub", ""))
    try:
        trailer = json.loads(lines[-1]) if len(lines) > 1 else {}
    except (ValueError, UnicodeDecodeError):
        trailer = {}
    if not isinstance(trailer, dict) or "digest" not in trailer:
        raise CrmError("sync_package_truncated", path=str(path))
    mac = hmac.new(_key(epoch), digestmod=hashlib.sha256)
    for line in lines[:-1]:
        mac.update(line + b"\n")
    if not hmac.compare_digest(mac.hexdigest(), str(trailer["digest"])):
        raise CrmError("sync_package_tampered", path=str(path))
    try:
        edits = [json.loads(line) for line in lines[1:-1]]
    except (ValueError, UnicodeDecodeError):
        raise CrmError("sync_package_tampered", path=str(path)) from None
    if len(edits) != int(header.get("count", -1)) or not all(_valid(e) for e in edits):
        raise CrmError("sync_package_tampered", path=str(path))
    return header, edits


def _valid(edit: dict) -> bool:
    if not isinstance(edit, dict) or entities.get(edit.get("e", "")) is None:
        return False
    try:
        clock.parse(edit["h"])
    except (KeyError, ValueError, AttributeError):
        return False
    return isinstance(edit.get("u"), str) and isinstance(edit.get("f"), str)


def import_package(path: Path | str) -> Imported:
    """Merge a colleague's package: the later time of each field wins (as in a pull); what
    this laptop already has is skipped, so importing twice or out of order is harmless."""
    rows = _team()
    header, edits = read_package(path, rows.get("epoch", ""))
    result = Imported(edits=len(edits), login=str(header.get("login", "")))
    site = rows.get("site", "")
    fresh = [e for e in edits if not e["h"].endswith(site)]  # this laptop's own, coming back
    with transaction():
        held = _held(fresh)
        new = [e for e in fresh if (e["u"], e["f"], e["h"]) not in held]
        result.skipped = len(edits) - len(new)
        if not new:
            return result
        batch = history.new_batch("sync", f"change package of {result.login}").id
        visible = state.visible_teams(rows)
        got = applying.apply((applying.Remote(e["e"], e["u"], e["f"], e.get("v"), e["h"], e.get("a") or "")
                              for e in new), visible, log_batch=batch)
        if visible is not None and got.created.get("customer"):
            _unconfirmed(got.created["customer"], rows)
        result.applied = got.fields
        result.changes = got.changes()
        # Relayed to the hub: what this laptop holds (a record of a customer it does not
        # see would only be refused; its author pushes it).
        relay = [e for e in new if _here(e)]
        database.cursor().executemany(
            f"INSERT INTO sync_outbox ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(e["h"], e["e"], e["u"], e["f"], e.get("v"), e.get("p"), e.get("n") or "", e.get("a") or "")
             for e in relay])
        result.queued = len(relay)
    return result


def _unconfirmed(customer_ids: list[int], rows: dict) -> None:
    """Customers a package brought that the hub may have given to another team since it was
    made: the next sync asks the hub whether this login still sees them (``IMPORTED``)."""
    uuids = set(json.loads(rows.get(IMPORTED) or "[]"))
    for start in range(0, len(customer_ids), 500):
        chunk = customer_ids[start:start + 500]
        uuids.update(row[0] for row in database.execute_sql(
            f"SELECT uuid FROM customer WHERE id IN ({','.join('?' * len(chunk))})", chunk))
    state.write(**{IMPORTED: sorted(uuids)})


def _held(edits: list[dict]) -> set[tuple[str, str, str]]:
    """The (uuid, field, time) this laptop holds already: in its outbox, or as the time
    of the field's value it made, pushed or received."""
    held: set[tuple[str, str, str]] = set()
    uuids = sorted({e["u"] for e in edits})
    for start in range(0, len(uuids), 500):
        chunk = uuids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for sql in (f"SELECT uuid, field, hlc FROM sync_outbox WHERE uuid IN ({marks})",
                    f"SELECT uuid, field, hlc FROM sync_field WHERE uuid IN ({marks})"):
            held.update(tuple(row) for row in database.execute_sql(sql, chunk))
    return held


def _here(edit: dict) -> bool:
    entity = entities.get(edit["e"])
    return database.execute_sql(f'SELECT 1 FROM "{entity.table}" WHERE uuid = ?', [edit["u"]]).fetchone() is not None


def describe(path: Path | str) -> Optional[dict]:
    """The header of a package, unchecked (for a file dialog's preview), or None."""
    try:
        with gzip.open(Path(path), "rb") as source:
            header = json.loads(source.readline())
    except (OSError, EOFError, ValueError, zlib.error):
        return None
    return header if isinstance(header, dict) and header.get("format") == FORMAT else None
