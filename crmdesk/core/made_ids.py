"""The uuid of a record that each laptop of a team makes for itself from the same
occasion: a care rule's reminder ("no_contact:<customer uuid>:2025-01-01"), the points a
purchase earns ("points:<purchase uuid>"). It is derived from the occasion's key (a
version 5 uuid), so two laptops that both ran the care rules make one record, not two
under two random uuids: the team's field-by-field merge keeps it once.

The keys name records by their uuids, never by local ids (``customer.id`` 7 on one laptop
is another customer on the next). ``crm_made_uuid(key)`` does the same in SQL (``db``
registers it on every connection)."""
from __future__ import annotations

import hashlib
import uuid

NAMESPACE = uuid.UUID("6f0f3b8e-5d1c-4c8e-9a57-3c2d1e0b9a41")
_PREFIX = NAMESPACE.bytes


def made_uuid(key: str) -> str:
    """``str(uuid.uuid5(NAMESPACE, key))``, without building a ``uuid.UUID`` (a care
    rules' first run makes some 100,000)."""
    digest = bytearray(hashlib.sha1(_PREFIX + key.encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


POINTS = "points:"  # + the purchase's uuid: the key of the points it earns (once per purchase)


def points_key(purchase_uuid: str) -> str:
    return POINTS + purchase_uuid


def points_uuid_sql(purchase_uuid: str) -> str:
    """The SQL of the uuid of the points the purchase ``purchase_uuid`` (a column) earns."""
    return f"crm_made_uuid('{POINTS}' || {purchase_uuid})"

