"""The team hub's schema ``sync`` on a plain PostgreSQL 13+ (spec team-sync, "The server"):
members and teams, who may see each record, the current winner of every field, the feed of
changes laptops pull by (xid, seq), conflicts, devices and number counters. Laptops only
SELECT, under row-level security; every write goes through ``sync.push`` and the few other
``SECURITY DEFINER`` functions, whose permission checks fail closed.

``{p}`` is the role prefix of this database (``crm_<database>``): roles are cluster-wide and
one PostgreSQL may hold several teams' databases."""
from __future__ import annotations


VERSION = 2  # the schema version this app speaks; a newer server is refused (1: one row per field)

TABLES = r"""
CREATE SCHEMA sync;
CREATE TABLE sync.meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE sync.team (id serial PRIMARY KEY, name text NOT NULL UNIQUE);
CREATE TABLE sync.member (
    login text PRIMARY KEY,
    role text NOT NULL CHECK (role IN ('rep', 'desk', 'manager')),
    teams int[] NOT NULL DEFAULT '{}',
    active boolean NOT NULL DEFAULT true,
    added_at timestamptz NOT NULL DEFAULT now(),
    removed_at timestamptz);
-- One row per record: its fields' winning values as one document. Every field was written
-- at (hlc, actor, at_xid, at_seq) unless ``times`` names it: {field: [hlc, actor, xid, seq]}
-- for the fields written since (a first upload writes a record at one time; one row per
-- field made joining with 100,000 customers some 35 million rows and index entries).
CREATE TABLE sync.record (
    uuid uuid PRIMARY KEY, entity text NOT NULL, team int, customer uuid,
    doc jsonb NOT NULL DEFAULT '{}', hlc text NOT NULL DEFAULT '', actor text NOT NULL DEFAULT '',
    at_xid xid8 NOT NULL DEFAULT '0', at_seq bigint NOT NULL DEFAULT 0, times jsonb NOT NULL DEFAULT '{}',
    fields int NOT NULL DEFAULT 0);  -- how many of doc's keys are fields (a download reports it)
CREATE INDEX record_customer ON sync.record (customer);
CREATE INDEX record_entity ON sync.record (entity);  -- the download reads an entity at a time
-- The feed laptops pull by (xid, seq): one row per record a push (or upload) wrote, with the
-- fields it wrote; each at (hlc, actor) unless ``times`` gives {field: [hlc, actor]}. An
-- upload's row has no ``doc``: the record's fields still at its base time are what it wrote
-- (the others were written later, and come with later rows); the document is stored once.
CREATE TABLE sync.change (
    xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    seq bigint GENERATED ALWAYS AS IDENTITY,
    entity text NOT NULL, uuid uuid NOT NULL, team int, doc jsonb,
    hlc text, actor text, times jsonb NOT NULL DEFAULT '{}');
CREATE INDEX change_cursor ON sync.change (xid, seq);
-- What a push wrote, for a retry to find (an upload's fields carry their record's base time).
CREATE INDEX change_pushed ON sync.change (uuid) WHERE hlc IS NULL;
CREATE TABLE sync.conflict (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL, entity text NOT NULL, uuid uuid NOT NULL, team int, field text NOT NULL,
    winner text, winner_hlc text, winner_actor text,
    loser text, loser_hlc text NOT NULL, loser_actor text,
    at timestamptz NOT NULL DEFAULT now(), resolved_at timestamptz, resolved_by text);
CREATE UNIQUE INDEX conflict_once ON sync.conflict (uuid, field, loser_hlc);
CREATE TABLE sync.device (
    site text PRIMARY KEY, login text NOT NULL, last_push timestamptz, last_pull timestamptz,
    waiting int NOT NULL DEFAULT 0);
-- Number series of sync.lease: 'customer', and 'complaint:20261206' for each received day.
CREATE TABLE sync.counter (entity text PRIMARY KEY, next bigint NOT NULL);
CREATE TABLE sync.number_block (site text NOT NULL, entity text NOT NULL, first bigint NOT NULL,
    last bigint NOT NULL, PRIMARY KEY (entity, first));
CREATE TABLE sync.code (entity text NOT NULL, code text NOT NULL, uuid uuid NOT NULL,
    PRIMARY KEY (entity, code));
CREATE INDEX code_uuid ON sync.code (uuid);

-- For people reading the hub with psql (and the tests): one row per field, as laptops see it.
CREATE VIEW sync.field_state AS
    SELECT r.uuid, r.entity, r.team, d.key AS field, d.value::text AS value,
           coalesce(r.times -> d.key ->> 0, r.hlc) AS hlc, coalesce(r.times -> d.key ->> 1, r.actor) AS actor
    FROM sync.record r, jsonb_each(r.doc) AS d;
CREATE VIEW sync.field_change AS
    SELECT c.xid, c.seq, c.entity, c.uuid, c.team, d.key AS field, d.value::text AS value,
           coalesce(c.times -> d.key ->> 0, c.hlc) AS hlc, coalesce(c.times -> d.key ->> 1, c.actor) AS actor
    FROM sync.change c LEFT JOIN sync.record r ON c.doc IS NULL AND r.uuid = c.uuid,
         jsonb_each(coalesce(c.doc, r.doc - ARRAY(SELECT jsonb_object_keys(r.times)))) AS d;
"""

FUNCTIONS = r"""
-- The teams whose records this login sees: all for the desk and managers, its own for a
-- rep, NULL for anyone else (a removed or unknown login), so every check fails closed.
CREATE FUNCTION sync.my_teams() RETURNS int[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = sync, pg_temp AS $$
    SELECT CASE WHEN m.role IN ('desk', 'manager')
                THEN (SELECT coalesce(array_agg(t.id), '{}') FROM sync.team t)
                ELSE m.teams END
    FROM sync.member m WHERE m.login = session_user AND m.active
$$;

-- What a laptop asks first: is this a crmdesk hub, which version, who am I, what time is it.
CREATE FUNCTION sync.hello() RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = sync, pg_temp AS $$
    SELECT jsonb_build_object(
        'version', (SELECT value FROM sync.meta WHERE key = 'version')::int,
        'epoch', (SELECT value FROM sync.meta WHERE key = 'epoch'),
        'system', (SELECT system_identifier::text FROM pg_control_system()),
        -- the feed's sequence, not max(seq): that scanned the whole feed (0.3 s at 3.5 million changes)
        'last_seq', coalesce(pg_sequence_last_value(pg_get_serial_sequence('sync.change', 'seq')::regclass), 0),
        'now_ms', (extract(epoch FROM clock_timestamp()) * 1000)::bigint,
        'login', session_user,
        'role', (SELECT role FROM sync.member WHERE login = session_user AND active),
        'teams', (SELECT coalesce(jsonb_agg(t.name ORDER BY t.name), '[]') FROM sync.team t
                  WHERE t.id = ANY (coalesce(sync.my_teams(), '{}'))),
        'all_teams', (SELECT coalesce(jsonb_agg(t.name ORDER BY t.name), '[]') FROM sync.team t),
        'channel', (SELECT value FROM sync.meta WHERE key = 'channel'))
$$;

-- A block of numbers that no other laptop will use: ``what`` 'customer' for customer codes
-- (C000123), 'complaint:20261206' for the complaint numbers of one received day
-- (CMP-20261206-001; each day counts on its own).
CREATE FUNCTION sync.lease(what text, site text, size int) RETURNS int8range
LANGUAGE plpgsql SECURITY DEFINER SET search_path = sync, pg_temp AS $$
DECLARE first bigint; held bigint;
BEGIN
    IF sync.my_teams() IS NULL THEN
        RAISE EXCEPTION 'crmdesk: not a team member' USING ERRCODE = '42501';
    END IF;
    -- A block of none or fewer would move the counter back: numbers handed out twice.
    IF size IS NULL OR size < 1 OR size > 10000 THEN
        RAISE EXCEPTION 'crmdesk: a block of % numbers', size USING ERRCODE = '22023';
    END IF;
    -- Past every number the team holds already (laptops that joined with their records).
    IF what = 'customer' THEN
        SELECT max(substr(k.code, 2)::bigint) INTO held FROM sync.code k
            WHERE k.entity = 'customer' AND k.code ~ '^C[0-9]{1,15}$';
    ELSIF what ~ '^complaint:[0-9]{8}$' THEN
        SELECT max(substr(k.code, 14)::bigint) INTO held FROM sync.code k
            WHERE k.entity = 'complaint' AND left(k.code, 13) = 'CMP-' || substr(what, 11) || '-'
              AND substr(k.code, 14) ~ '^[0-9]{1,15}$';
    ELSE
        RAISE EXCEPTION 'crmdesk: no numbers of %', what USING ERRCODE = '22023';
    END IF;
    INSERT INTO sync.counter (entity, next) VALUES (what, 1) ON CONFLICT (entity) DO NOTHING;
    UPDATE sync.counter c SET next = greatest(c.next, coalesce(held + 1, 1)) + size
        WHERE c.entity = what
        RETURNING c.next - size INTO first;
    INSERT INTO sync.number_block VALUES (site, what, first, first + size - 1);
    RETURN int8range(first, first + size);
END $$;

-- Someone kept one side of a conflict: it leaves the open list.
CREATE FUNCTION sync.resolve(ids bigint[]) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = sync, pg_temp AS $$
DECLARE teams int[] := sync.my_teams(); done int;
BEGIN
    IF teams IS NULL THEN
        RAISE EXCEPTION 'crmdesk: not a team member' USING ERRCODE = '42501';
    END IF;
    UPDATE sync.conflict SET resolved_at = now(), resolved_by = session_user
    WHERE id = ANY (ids) AND resolved_at IS NULL AND (team IS NULL OR team = ANY (teams));
    GET DIAGNOSTICS done = ROW_COUNT;
    RETURN done;
END $$;

-- Laptops say how many changes they have waiting, for `crmdesk team status`.
CREATE FUNCTION sync.report(from_site text, outbox int) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = sync, pg_temp AS $$
    INSERT INTO sync.device AS d (site, login, last_pull, waiting)
    SELECT from_site, session_user, now(), outbox WHERE sync.my_teams() IS NOT NULL
    ON CONFLICT (site) DO UPDATE SET login = session_user, last_pull = now(), waiting = excluded.waiting
$$;
"""

POLICIES = r"""
ALTER TABLE sync.change ENABLE ROW LEVEL SECURITY;
ALTER TABLE sync.record ENABLE ROW LEVEL SECURITY;
ALTER TABLE sync.conflict ENABLE ROW LEVEL SECURITY;
ALTER TABLE sync.member ENABLE ROW LEVEL SECURITY;
-- Evaluated once per query, not per row (spec: 0.04 s where the per-row form took 1.04 s).
CREATE POLICY visible ON sync.change FOR SELECT
    USING (team = ANY ((SELECT sync.my_teams())::int[]) OR (team IS NULL AND (SELECT sync.my_teams()) IS NOT NULL));
CREATE POLICY visible ON sync.record FOR SELECT
    USING (team = ANY ((SELECT sync.my_teams())::int[]) OR (team IS NULL AND (SELECT sync.my_teams()) IS NOT NULL));
CREATE POLICY visible ON sync.conflict FOR SELECT
    USING (team = ANY ((SELECT sync.my_teams())::int[]) OR (team IS NULL AND (SELECT sync.my_teams()) IS NOT NULL));
CREATE POLICY visible ON sync.member FOR SELECT USING ((SELECT sync.my_teams()) IS NOT NULL);
"""

GRANTS = r"""
REVOKE ALL ON SCHEMA sync FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA sync FROM PUBLIC;
GRANT USAGE ON SCHEMA sync TO {member};
GRANT SELECT ON sync.change, sync.record, sync.conflict, sync.team, sync.member, sync.meta TO {member};
GRANT EXECUTE ON FUNCTION sync.my_teams(), sync.hello(), sync.lease(text, text, int), sync.resolve(bigint[]),
    sync.report(text, int), sync.push(jsonb, text), sync.upload(jsonb, text, text) TO {member};
"""
