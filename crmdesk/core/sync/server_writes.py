"""The hub's writing functions (spec team-sync, "Push and pull"): ``sync.push`` of a
laptop's field edits, ``sync.upload`` of its records when it joins, and ``sync.merge``,
which both use: who may write what, the later time winning, conflicts kept, numbers kept
unique, hand-overs moving a customer and everything of it. ``SECURITY DEFINER`` where a
laptop calls them; every check fails closed. Created by ``hub.init`` after
``server_schema.FUNCTIONS`` and before its grants."""
from __future__ import annotations

from crmdesk.core.sync.derived import DERIVED
from crmdesk.core.sync.entities import DESK_WRITES, ENTITIES

WRITES = r"""
-- The working table of a push or an upload: one row per field edit, merged by sync.merge().
CREATE FUNCTION sync.new_inc() RETURNS void
LANGUAGE plpgsql SET search_path = sync, pg_temp AS $$
BEGIN
    DROP TABLE IF EXISTS pg_temp.inc;
    CREATE TEMP TABLE inc (
        e text, u uuid, f text, v jsonb, h text, p uuid, a text, ord bigint,
        n_xid xid8 NOT NULL DEFAULT '0', n_seq bigint NOT NULL DEFAULT 0,
        team int, known boolean NOT NULL DEFAULT false, ok boolean NOT NULL DEFAULT true,
        cur_value jsonb, cur_hlc text, cur_actor text, cur_xid xid8, cur_seq bigint,
        deleted_value jsonb, del_xid xid8, del_seq bigint) ON COMMIT DROP;
END $$;

-- One push: field edits as [{e, u, f, v, h, p, n, a}] (entity, uuid, field, JSON value,
-- hybrid time, the customer's uuid, the pull cursor "xid:seq" the editor had seen, actor).
CREATE FUNCTION sync.push(batch jsonb, from_site text) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = sync, pg_temp AS $$
DECLARE my_role text := sync.start_writing(from_site);
BEGIN
    PERFORM sync.new_inc();
    INSERT INTO inc (e, u, f, v, h, p, a, ord, n_xid, n_seq)
        SELECT x.e, x.u, x.f, coalesce(x.v::jsonb, 'null'), x.h, x.p, coalesce(x.a, session_user), ord,
               CASE WHEN coalesce(x.n, '') = '' THEN '0'::xid8 ELSE split_part(x.n, ':', 1)::xid8 END,
               CASE WHEN coalesce(x.n, '') = '' THEN 0 ELSE split_part(x.n, ':', 2)::bigint END
        FROM ROWS FROM (jsonb_to_recordset(batch) AS (e text, u uuid, f text, v text, h text, p uuid,
                                                      n text, a text)) WITH ORDINALITY AS x(e, u, f, v, h, p, n, a, ord);
    RETURN sync.merge(my_role, from_site);
END $$;

-- Who may write, one writer at a time: each push is merged against what the one before it
-- wrote (two at once both compared with the older state and the second overwrote the
-- first, later, edit). ``shared``: an upload of records without numbers (contacts, sales,
-- visits...), which a laptop sends over two connections at once and several laptops may
-- send at once; only a push, a merge or an upload of numbered records (customers,
-- complaints, whose numbers are checked against what is committed) waits for them to end.
-- Those leave the device row as it is (an update would hold it until the COMMIT: the
-- second connection waited for the first); the push after the upload stamps it.
CREATE FUNCTION sync.start_writing(from_site text, shared boolean DEFAULT false) RETURNS text
LANGUAGE plpgsql SET search_path = sync, pg_temp AS $$
DECLARE my_role text;
BEGIN
    SELECT m.role INTO my_role FROM sync.member m WHERE m.login = session_user AND m.active;
    IF my_role IS NULL THEN
        RAISE EXCEPTION 'crmdesk: not a team member' USING ERRCODE = '42501';
    END IF;
    IF shared THEN
        PERFORM pg_advisory_xact_lock_shared(hashtext('crmdesk sync.push'));
        INSERT INTO sync.device (site, login) VALUES (from_site, session_user) ON CONFLICT (site) DO NOTHING;
    ELSE
        PERFORM pg_advisory_xact_lock(hashtext('crmdesk sync.push'));
        INSERT INTO sync.device AS d (site, login, last_push) VALUES (from_site, session_user, now())
            ON CONFLICT (site) DO UPDATE SET login = session_user, last_push = now();
    END IF;
    RETURN my_role;
END $$;

-- A laptop's first upload: whole records [{e, u, p, d, n}] (entity, uuid, the customer's uuid,
-- the fields as one object, how many fields it has), all made at ``stamp``, one entity per call, parents first.
-- New records this login may write, whose numbers nobody holds, go in whole (one record
-- row, one feed row); the rest (a retry, a hub restored from a backup, a number to
-- renumber, a refusal) go field by field through sync.merge(), as a push would.
CREATE FUNCTION sync.upload(batch jsonb, stamp text, from_site text) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = sync, pg_temp AS $$
DECLARE
    numbered boolean := jsonb_path_exists(batch, '$[*] ? (@.e == "customer" || @.e == "complaint")');
    my_role text := sync.start_writing(from_site, NOT numbered);
    teams int[] := coalesce(sync.my_teams(), '{}');
    first_team int := (SELECT t.id FROM sync.team t WHERE t.id = ANY (teams) ORDER BY t.id LIMIT 1);
    feed_seq text := pg_get_serial_sequence('sync.change', 'seq');
    seqs bigint[];
    taken int;
    answer jsonb;
BEGIN
    -- One statement, no temporary table (each write of one copies every document): a
    -- customer's team is the one it names, else the login's first; the rest follow their
    -- customer; each row gets its place in the feed first, so record and feed need no join.
    PERFORM sync.new_inc();
    -- The feed's numbers for this batch at once, before the statement (0.2 µs each; taken
    -- row by row inside it they were a fifth of its time). Two uploads at once interleave
    -- theirs: each transaction's rows stay in order, which is all a pull needs.
    seqs := ARRAY(SELECT nextval(feed_seq) FROM generate_series(1, jsonb_array_length(batch)));
    -- The documents stay in ``batch`` until the records' insert takes them (by their place,
    -- ``#>``): carried through the steps they were copied three times (the function's
    -- rows, each materialized step), and spilled to temporary files.
    WITH parsed AS MATERIALIZED (
        SELECT r.e, r.u, r.p, r.ord, r.n,
               batch #>> ARRAY[(r.ord - 1)::text, 'd', CASE r.e WHEN 'customer' THEN 'code'
                                                                 WHEN 'complaint' THEN 'number' END] AS num
        FROM ROWS FROM (jsonb_to_recordset(batch) AS (e text, u uuid, p uuid, n int))
             WITH ORDINALITY AS r(e, u, p, n, ord)),
    -- A number twice in one batch: the first keeps it. Only the numbered rows' numbers are
    -- sorted (a window over the whole rows sorted every document of every chunk).
    twice AS (
        SELECT ord FROM (SELECT ord, row_number() OVER (PARTITION BY e, num ORDER BY ord) AS nth
                         FROM parsed WHERE num IS NOT NULL) n
        WHERE nth > 1),
    -- Look-ups row by row through the indexes, not hash joins: a hash of sync.code was built
    -- from the whole table for every chunk (at 100,000 customers, 128,000 rows each time).
    -- Each customer's team once: a chunk of 5,000 visits names some 400 customers.
    parents AS MATERIALIZED (
        SELECT d.p, (SELECT parent.team FROM sync.record parent WHERE parent.uuid = d.p) AS team
        FROM (SELECT DISTINCT p FROM parsed WHERE e <> 'customer') d),
    placed AS (
        SELECT i.e, i.u, i.p, i.ord, i.n, i.num, owner.team
        FROM parsed i LEFT JOIN parents pt ON pt.p = i.p
        CROSS JOIN LATERAL (  -- OFFSET 0: worked out once a row, not at each use
            SELECT CASE WHEN i.e = 'customer'
                        THEN coalesce((SELECT t.id FROM sync.team t
                                       WHERE t.name = batch #>> ARRAY[(i.ord - 1)::text, 'd', 'team']), first_team)
                        ELSE pt.team END AS team
            OFFSET 0) owner),
    up AS MATERIALIZED (
        SELECT x.e, x.u, x.p, x.ord, x.n, x.num, x.team, seqs[x.ord] AS seq,
               NOT EXISTS (SELECT 1 FROM sync.record known WHERE known.uuid = x.u)
                 AND ((x.e = 'product' AND x.team IS NULL) OR x.team = ANY (teams))
                 AND (my_role <> 'desk' OR x.e = ANY (@DESK_WRITES@))
                 AND (x.num IS NULL
                      OR (NOT EXISTS (SELECT 1 FROM sync.code held
                                      WHERE held.entity = x.e AND held.code = x.num AND held.uuid <> x.u)
                          AND x.ord NOT IN (SELECT ord FROM twice)))
                 AS whole
        FROM placed x),
    numbers AS (
        INSERT INTO sync.code (entity, code, uuid) SELECT e, num, u FROM up WHERE whole AND num IS NOT NULL
        ON CONFLICT DO NOTHING),
    feed AS (
        INSERT INTO sync.change (seq, entity, uuid, team, hlc, actor) OVERRIDING SYSTEM VALUE
        SELECT seq, e, u, team, stamp, session_user FROM up WHERE whole ORDER BY seq),
    rest AS (  -- field by field, as a push: see below
        INSERT INTO inc (e, u, f, v, h, p, a, ord)
        SELECT up.e, up.u, d.key, d.value, stamp, up.p, session_user, row_number() OVER (ORDER BY up.ord, d.key)
        FROM up, jsonb_each(@DOC@) AS d WHERE NOT up.whole),
    records AS (
        INSERT INTO sync.record (uuid, entity, team, customer, doc, hlc, actor, at_xid, at_seq, fields)
        SELECT up.u, up.e, up.team, CASE WHEN up.e = 'customer' THEN up.u ELSE up.p END, @DOC@, stamp, session_user,
               pg_current_xact_id(), up.seq, coalesce(up.n, 0)
        FROM up WHERE whole
        RETURNING 1)
    SELECT count(*) INTO taken FROM records;

    -- The rest (a retry, a hub restored from a backup, a number to renumber, a refusal).
    IF EXISTS (SELECT 1 FROM inc) THEN
        -- merged against what the writer before wrote: the push lock alone (two uploads at
        -- once that both get here deadlock; PostgreSQL ends one, and the laptop sends it again)
        PERFORM pg_advisory_xact_lock(hashtext('crmdesk sync.push')) WHERE NOT numbered;
        answer := sync.merge(my_role, from_site);
    END IF;
    -- The same customers brought by another laptop (the same sheet imported on each).
    PERFORM sync.note_duplicates(ARRAY(SELECT (x ->> 'u')::uuid FROM jsonb_array_elements(batch) AS x
                                       WHERE x ->> 'e' = 'customer'), from_site)
        WHERE batch -> 0 ->> 'e' = 'customer';
    IF answer IS NULL THEN
        PERFORM pg_notify((SELECT value FROM sync.meta WHERE key = 'channel'), from_site);
        RETURN jsonb_build_object('whole', taken, 'applied', 0, 'conflicts', 0, 'refused', '[]'::jsonb,
                                  'renamed', '[]'::jsonb);
    END IF;
    RETURN answer || jsonb_build_object('whole', taken);
END $$;

-- The merge of the field edits in pg_temp.inc, for sync.push and sync.upload.
CREATE FUNCTION sync.merge(my_role text, from_site text) RETURNS jsonb
LANGUAGE plpgsql SET search_path = sync, pg_temp AS $$
DECLARE
    teams int[] := coalesce(sync.my_teams(), '{}');
    refused jsonb;
    applied int;
    conflicts int;
    renamed jsonb := '[]';
    row record;
    candidate text;
    n int;
BEGIN
    CREATE INDEX ON inc (u, f);
    ANALYZE inc;  -- a temporary table has no statistics: without them the planner guesses badly

    -- A retry after a lost connection: what the server has already taken is skipped.
    DELETE FROM inc i USING sync.change c WHERE c.hlc IS NULL AND c.uuid = i.u AND c.times -> i.f ->> 0 = i.h;
    DELETE FROM inc i USING sync.record r WHERE r.uuid = i.u AND r.hlc = i.h;
    DELETE FROM inc i USING sync.conflict c WHERE c.uuid = i.u AND c.field = i.f AND c.loser_hlc = i.h;
    -- Several edits of one field in one push: the latest.
    DELETE FROM inc i USING inc j WHERE j.u = i.u AND j.f = i.f AND j.h > i.h;

    -- Whose record: a known one keeps its team; a new customer takes the team it names
    -- (or its rep's first); a new record of a customer takes the customer's; products are everyone's.
    UPDATE inc SET team = r.team, known = true FROM sync.record r WHERE r.uuid = inc.u;
    -- (a join, not a subquery per row: that took 25 s for a chunk of 20,000 fields)
    UPDATE inc SET team = asked.id
        FROM (SELECT j.u, t.id FROM inc j JOIN sync.team t ON t.name = (j.v #>> '{}')
              WHERE j.f = 'team') asked
        WHERE NOT inc.known AND inc.e = 'customer' AND asked.u = inc.u;
    UPDATE inc SET team = (SELECT t.id FROM sync.team t WHERE t.id = ANY (teams) ORDER BY t.id LIMIT 1)
        WHERE NOT known AND e = 'customer' AND team IS NULL;
    -- The team a new customer got is what its 'team' field says on every laptop (a rep's
    -- laptop keeps only its teams' customers: a blank or unknown name would make them drop it).
    UPDATE inc SET v = to_jsonb(t.name) FROM sync.team t
        WHERE NOT inc.known AND inc.e = 'customer' AND inc.f = 'team' AND t.id = inc.team
          AND inc.v IS DISTINCT FROM to_jsonb(t.name);
    INSERT INTO sync.record (uuid, entity, team, customer)
        SELECT DISTINCT ON (u) u, e, team, u FROM inc
        WHERE NOT known AND e = 'customer' AND team IS NOT NULL
          AND (my_role = 'manager' OR (my_role = 'rep' AND team = ANY (teams)))  -- the desk adds none
        ON CONFLICT DO NOTHING;
    UPDATE inc SET known = true WHERE NOT known AND e = 'customer' AND team IS NOT NULL
          AND (my_role = 'manager' OR (my_role = 'rep' AND team = ANY (teams)));
    UPDATE inc SET team = r.team FROM sync.record r WHERE NOT inc.known AND inc.e <> 'customer' AND r.uuid = inc.p;

    -- What this login may write: a rep its teams' records, the desk complaints and care,
    -- a manager everything; only a manager moves a customer to another team.
    UPDATE inc SET ok = false WHERE
        (e <> 'product' AND (team IS NULL OR NOT (team = ANY (teams))))
        OR (my_role = 'desk' AND NOT e = ANY (@DESK_WRITES@))
        OR (known AND e = 'customer' AND f = 'team' AND my_role <> 'manager'
            AND (SELECT r.doc -> 'team' FROM sync.record r WHERE r.uuid = inc.u) <> v);
    SELECT coalesce(jsonb_agg(jsonb_build_object('u', u, 'f', f, 'h', h, 'e', e)), '[]') INTO refused FROM inc WHERE NOT ok;
    DELETE FROM inc WHERE NOT ok;
    INSERT INTO sync.record (uuid, entity, team, customer)
        SELECT DISTINCT ON (u) u, e, team, CASE WHEN e = 'customer' THEN u ELSE p END FROM inc WHERE NOT known
        ON CONFLICT DO NOTHING;

    -- Against the current winner of each field, and the record's delete.
    UPDATE inc SET cur_value = r.doc -> inc.f,
            cur_hlc = coalesce(r.times -> inc.f ->> 0, r.hlc), cur_actor = coalesce(r.times -> inc.f ->> 1, r.actor),
            cur_xid = coalesce((r.times -> inc.f ->> 2)::xid8, r.at_xid),
            cur_seq = coalesce((r.times -> inc.f ->> 3)::bigint, r.at_seq)
        FROM sync.record r WHERE r.uuid = inc.u AND r.doc ? inc.f;
    UPDATE inc SET deleted_value = r.doc -> 'deleted_at',
            del_xid = coalesce((r.times -> 'deleted_at' ->> 2)::xid8, r.at_xid),
            del_seq = coalesce((r.times -> 'deleted_at' ->> 3)::bigint, r.at_seq)
        FROM sync.record r WHERE r.uuid = inc.u AND inc.f <> 'deleted_at'
          AND r.doc -> 'deleted_at' IS NOT NULL AND r.doc -> 'deleted_at' <> 'null'::jsonb;

    -- Made without seeing each other: the later stands, the other is kept as a conflict.
    INSERT INTO sync.conflict (kind, entity, uuid, team, field, winner, winner_hlc, winner_actor, loser, loser_hlc, loser_actor)
        SELECT 'concurrent', e, u, team, f,
               (CASE WHEN h > cur_hlc THEN v ELSE cur_value END)::text, greatest(h, cur_hlc),
               CASE WHEN h > cur_hlc THEN a ELSE cur_actor END,
               (CASE WHEN h > cur_hlc THEN cur_value ELSE v END)::text, least(h, cur_hlc),
               CASE WHEN h > cur_hlc THEN cur_actor ELSE a END
        FROM inc
        WHERE cur_hlc IS NOT NULL AND split_part(cur_hlc, '-', 3) <> split_part(h, '-', 3)
          AND (cur_xid, cur_seq) > (n_xid, n_seq) AND cur_value IS DISTINCT FROM v
          AND f NOT IN ('updated_at', 'created_at')  -- version stamps: the later stands, nobody typed them
        ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS conflicts = ROW_COUNT;
    -- An edit of a record someone deleted meanwhile: the delete stands, the edit is kept.
    INSERT INTO sync.conflict (kind, entity, uuid, team, field, winner, winner_hlc, winner_actor, loser, loser_hlc, loser_actor)
        SELECT DISTINCT ON (u) 'edited_deleted', e, u, team, f, deleted_value::text, NULL, NULL, v::text, h, a
        FROM inc WHERE deleted_value IS NOT NULL AND (del_xid, del_seq) > (n_xid, n_seq)
          AND f NOT IN ('updated_at', 'created_at')
        ORDER BY u, h DESC
        ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS n = ROW_COUNT;
    conflicts := conflicts + n;

    DELETE FROM inc WHERE cur_hlc IS NOT NULL AND h <= cur_hlc;

    -- Numbers that must stay unique: a code another record holds is renumbered.
    FOR row IN SELECT * FROM inc WHERE ((e = 'customer' AND f = 'code') OR (e = 'complaint' AND f = 'number'))
                                   AND v #>> '{}' IS NOT NULL ORDER BY ord LOOP
        candidate := row.v #>> '{}';
        n := 1;
        WHILE EXISTS (SELECT 1 FROM sync.code c WHERE c.entity = row.e AND c.code = candidate AND c.uuid <> row.u) LOOP
            n := n + 1;
            candidate := (row.v #>> '{}') || '-' || n;
        END LOOP;
        DELETE FROM sync.code c WHERE c.uuid = row.u AND c.entity = row.e;
        INSERT INTO sync.code VALUES (row.e, candidate, row.u) ON CONFLICT DO NOTHING;
        IF n > 1 THEN
            INSERT INTO sync.conflict (kind, entity, uuid, team, field, winner, winner_hlc, winner_actor, loser, loser_hlc, loser_actor)
                VALUES ('renumbered', row.e, row.u, row.team, row.f, to_jsonb(candidate)::text, row.h || '~', 'server',
                        row.v::text, row.h, row.a)
                ON CONFLICT DO NOTHING;
            -- A time after the edit's: laptops that hold the old number at that time take the new one.
            UPDATE inc SET v = to_jsonb(candidate), h = row.h || '~' WHERE ord = row.ord;
            renamed := renamed || jsonb_build_object('u', row.u, 'f', row.f, 'from', row.v #>> '{}', 'to', candidate);
        END IF;
    END LOOP;

    -- One feed row per record; each field remembers where it was written.
    WITH grouped AS (
        SELECT u, min(e) AS e, min(team) AS team, jsonb_object_agg(f, v) AS doc,
               jsonb_object_agg(f, jsonb_build_array(h, a)) AS times, min(ord) AS first
        FROM inc GROUP BY u),
    written AS (
        INSERT INTO sync.change (entity, uuid, team, doc, times)
        SELECT e, u, team, doc, times FROM grouped ORDER BY first
        RETURNING xid, seq, uuid, doc, times)
    UPDATE sync.record r SET doc = r.doc || w.doc,
        fields = (SELECT count(*) FROM jsonb_object_keys(r.doc || w.doc) AS k(name)
                  WHERE NOT k.name = ANY (@NOT_FIELDS@)),
        times = r.times || (SELECT jsonb_object_agg(t.key, t.value || jsonb_build_array(w.xid::text, w.seq))
                            FROM jsonb_each(w.times) AS t)
        FROM written w WHERE r.uuid = w.uuid;
    SELECT count(*) INTO applied FROM inc;

    -- A hand-over: the customer and everything of it move to the new team, whose laptops
    -- receive them whole (parents first); the old team's laptops drop them when they read the move.
    FOR row IN SELECT * FROM inc WHERE e = 'customer' AND f = 'team' AND known LOOP
        UPDATE sync.record SET team = t.id FROM sync.team t
            WHERE t.name = (row.v #>> '{}') AND (sync.record.uuid = row.u OR sync.record.customer = row.u)
              AND sync.record.team IS DISTINCT FROM t.id;
        IF FOUND THEN
            INSERT INTO sync.change (entity, uuid, team, doc, hlc, actor, times)
                SELECT r.entity, r.uuid, r.team, r.doc, r.hlc, r.actor,
                       coalesce((SELECT jsonb_object_agg(t.key, jsonb_build_array(t.value ->> 0, t.value ->> 1))
                                 FROM jsonb_each(r.times) AS t), '{}')
                FROM sync.record r
                WHERE r.uuid = row.u OR r.customer = row.u  -- the team field too: the new team reads it
                ORDER BY array_position(@ENTITIES@, r.entity), r.uuid;
        END IF;
    END LOOP;

    PERFORM pg_notify((SELECT value FROM sync.meta WHERE key = 'channel'), from_site);
    RETURN jsonb_build_object('applied', applied, 'conflicts', conflicts, 'refused', refused, 'renamed', renamed);
END $$;
"""


def _array(names) -> str:
    return "ARRAY[" + ", ".join(f"'{name}'" for name in names) + "]::text[]"


# The entities parents first, as laptops insert them (a hand-over's broadcast, the download).
# A record's document in an upload's ``batch``, by its place; a customer's with the team it was given.
_DOC = ("CASE WHEN up.e = 'customer' THEN (batch #> ARRAY[(up.ord - 1)::text, 'd']) || jsonb_build_object('team', "
        "(SELECT t.name FROM sync.team t WHERE t.id = up.team)) ELSE batch #> ARRAY[(up.ord - 1)::text, 'd'] END")
WRITES = (WRITES.replace("@DOC@", _DOC).replace("@ENTITIES@", _array(entity.name for entity in ENTITIES))
          .replace("@DESK_WRITES@", _array(sorted(DESK_WRITES)))
          # a customer's document carries its derived columns and their key from a first upload
          .replace("@NOT_FIELDS@", _array([*DERIVED, "derived_of"])))
