"""Customers two laptops brought to the team (issue 20, "Joining"): two reps who each
imported the same sheet before joining meet as duplicates, not as a failure. Both records
stay (each with its own visits and deals; a code both used is renumbered, as any number),
and the hub lists the pair in the Conflicts list as a possible duplicate, for the team's
laptops that see it: the same name (case and outer spaces aside), mobile and phone, in the
same team, the other one made on another laptop. "Keep both" takes the pair off the list;
merging them is the duplicates tool's work (issue 21)."""
from __future__ import annotations

KIND = "duplicate"

HUB_SQL = r"""
CREATE INDEX record_customer_name ON sync.record (lower(btrim(doc ->> 'name'))) WHERE entity = 'customer';

-- The customers of an upload that another laptop's customer of the same team matches.
CREATE FUNCTION sync.note_duplicates(uuids uuid[], from_site text) RETURNS int
LANGUAGE plpgsql SET search_path = sync, pg_temp AS $$
DECLARE noted int;
BEGIN
    INSERT INTO sync.conflict (kind, entity, uuid, team, field, winner, winner_hlc, winner_actor,
                               loser, loser_hlc, loser_actor)
    SELECT DISTINCT ON (n.uuid) 'duplicate', 'customer', n.uuid, n.team, 'name',
           to_jsonb((o.doc ->> 'name') || coalesce(' (' || nullif(o.doc ->> 'code', '') || ')', '')),
           coalesce(o.times -> 'name' ->> 0, o.hlc), coalesce(o.times -> 'name' ->> 1, o.actor),
           to_jsonb((n.doc ->> 'name') || coalesce(' (' || nullif(n.doc ->> 'code', '') || ')', '')),
           coalesce(n.times -> 'name' ->> 0, n.hlc), coalesce(n.times -> 'name' ->> 1, n.actor)
    FROM sync.record n
    JOIN sync.record o ON o.entity = 'customer' AND o.uuid <> n.uuid AND o.team = n.team
         AND lower(btrim(o.doc ->> 'name')) = lower(btrim(n.doc ->> 'name'))
         AND coalesce(o.doc ->> 'mobile', '') = coalesce(n.doc ->> 'mobile', '')
         AND coalesce(o.doc ->> 'phone', '') = coalesce(n.doc ->> 'phone', '')
         -- not this laptop's own (hlc: ms-counter-site)
         AND substr(coalesce(o.times -> 'name' ->> 0, o.hlc), 23) IS DISTINCT FROM from_site
         AND coalesce(o.doc ->> 'deleted_at', '') = ''
    WHERE n.uuid = ANY (uuids) AND n.entity = 'customer' AND btrim(coalesce(n.doc ->> 'name', '')) <> ''
      AND coalesce(n.doc ->> 'deleted_at', '') = ''
    ORDER BY n.uuid, o.hlc, o.uuid
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS noted = ROW_COUNT;
    RETURN noted;
END $$;
REVOKE EXECUTE ON FUNCTION sync.note_duplicates(uuid[], text) FROM PUBLIC;  -- sync.upload's alone
"""
