-- The team's assigner and its SLA alert records.
--
-- 1. One desktop at a time assigns for the team: the one whose connection holds the
--    advisory lock (1346651204, 1) ("PDAS"). PostgreSQL releases it when that connection
--    ends, however it ends, and the next desktop to try takes it. Only that connection may
--    read the team's load and assign automatically; the server checks every assignment
--    again (ticket still in the pool; agent active, online, skilled and below their cap).
-- 2. An SLA alert is recorded once per ticket, clock, level and round, whichever desktop
--    sees it first; its event reaches every replica through the feed.

CREATE FUNCTION pd_holds_assigner() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT 1 FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid()
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND classid = 1346651204::oid AND objid = 1::oid AND objsubid = 2)
$$;

-- The active agents as the assigner sees them, with the server's time for their heartbeats.
CREATE FUNCTION pd_assign_team()
RETURNS TABLE (id bigint, name text, cap integer, presence text, presence_seen_at timestamptz,
               last_assigned_at timestamptz, open_tickets bigint, skills text[],
               server_now timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    IF NOT pd_holds_assigner() THEN
        RAISE EXCEPTION 'only the team''s assigner reads the team''s load' USING ERRCODE = '42501';
    END IF;
    RETURN QUERY
    SELECT u.id, u.name, u.cap, u.presence, u.presence_seen_at, u.last_assigned_at,
           (SELECT count(*) FROM tickets t WHERE t.assignee_id = u.id AND t.stage <> 'done'),
           ARRAY(SELECT s.name FROM user_skills us JOIN skills s ON s.id = us.skill_id
                 WHERE us.user_id = u.id ORDER BY s.name),
           now()
    FROM users u WHERE u.active AND u.role = 'agent' ORDER BY u.id;
END $$;

-- Assigns one pool ticket to `agent`, as the team's assigner decided; `why` is the decision's
-- explanation (core AssignWhy). Returns 'assigned', or why not: 'taken' (no longer in the
-- pool), 'ineligible' (the agent cannot take it now), 'manual' (automatic assignment is off).
CREATE FUNCTION pd_auto_assign(a_ticket bigint, a_agent bigint, a_why jsonb, a_at timestamptz)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    t         record;
    u         record;
    open_n    bigint;
    rules     jsonb;
    required  text[];
BEGIN
    IF NOT pd_holds_assigner() THEN
        RAISE EXCEPTION 'only the team''s assigner assigns automatically' USING ERRCODE = '42501';
    END IF;
    -- Every replica reads this back as the core's AssignWhy.
    IF jsonb_typeof(a_why) IS DISTINCT FROM 'object'
       OR NOT a_why ?& ARRAY['rule', 'required', 'preferred', 'considered', 'eligible', 'ranked'] THEN
        RAISE EXCEPTION 'the reason for an assignment must be an object' USING ERRCODE = '22023';
    END IF;
    SELECT value INTO rules FROM settings WHERE key = 'assign.rules';
    IF rules IS NOT NULL AND (rules ->> 'auto')::boolean IS FALSE THEN
        RETURN 'manual';
    END IF;
    SELECT tk.stage, tk.assignee_id, tk.type_id INTO t FROM tickets tk WHERE tk.id = a_ticket FOR UPDATE;
    IF NOT FOUND OR t.stage <> 'unassigned' OR t.assignee_id IS NOT NULL THEN
        RETURN 'taken';
    END IF;
    -- The agent's row lock orders concurrent assignments to the same agent.
    SELECT us.cap, us.presence, us.presence_seen_at INTO u FROM users us
    WHERE us.id = a_agent AND us.active AND us.role = 'agent' FOR UPDATE;
    IF NOT FOUND OR u.presence <> 'online' OR u.presence_seen_at IS NULL
       OR u.presence_seen_at < now() - interval '180 seconds' THEN
        RETURN 'ineligible';
    END IF;
    SELECT count(*) INTO open_n FROM tickets tk WHERE tk.assignee_id = a_agent AND tk.stage <> 'done';
    IF open_n >= u.cap THEN
        RETURN 'ineligible';
    END IF;
    required := ARRAY(
        SELECT jsonb_array_elements_text(ts -> 'skills')
        FROM jsonb_array_elements(COALESCE(rules -> 'type_skills', '[]'::jsonb)) ts
        WHERE (ts ->> 'type_id')::bigint = t.type_id);
    IF NOT ARRAY(SELECT s.name FROM user_skills us JOIN skills s ON s.id = us.skill_id
                 WHERE us.user_id = a_agent) @> required THEN
        RETURN 'ineligible';
    END IF;
    UPDATE tickets SET stage = 'to_contact', assignee_id = a_agent, updated_at = a_at,
                       version = version + 1
    WHERE id = a_ticket;
    INSERT INTO ticket_events (ticket_id, at, actor_id, kind, data) VALUES
        (a_ticket, a_at, NULL, 'assigned',
         jsonb_build_object('type', 'assigned', 'from', NULL, 'to', a_agent, 'why', a_why)),
        (a_ticket, a_at, NULL, 'stage_changed',
         jsonb_build_object('type', 'stage_changed', 'from', 'unassigned', 'to', 'to_contact',
                            'outcome', NULL));
    RETURN 'assigned';
END $$;

CREATE TABLE sla_alerts (
    ticket_id    bigint  NOT NULL REFERENCES tickets (id),
    clock        text    NOT NULL CHECK (clock IN ('first_response', 'resolution')),
    level        text    NOT NULL CHECK (level IN ('near_breach', 'breached')),
    round        integer NOT NULL CHECK (round > 0),
    at           timestamptz NOT NULL,
    recorded_by  bigint  NOT NULL REFERENCES users (id),
    PRIMARY KEY (ticket_id, clock, level, round)
);
ALTER TABLE sla_alerts ENABLE ROW LEVEL SECURITY;
ALTER TABLE sla_alerts FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON sla_alerts FOR ALL USING ((SELECT pd_is_owner()))
    WITH CHECK ((SELECT pd_is_owner()));
-- A member reads the alerts of the tickets they may see (the tickets policy applies inside).
CREATE POLICY members_read ON sla_alerts FOR SELECT
    USING (EXISTS (SELECT 1 FROM tickets t WHERE t.id = ticket_id));

-- Records an SLA alert once; true when this call recorded it. The member must be one who
-- works the ticket: its assignee, anyone while it is in the pool, or a supervisor or admin.
CREATE FUNCTION pd_record_sla_alert(a_ticket bigint, a_clock text, a_level text, a_round integer,
                                    a_at timestamptz)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me        bigint := pd_my_id();
    my_role   text := pd_my_role();
    assignee  bigint;
    n         integer;
BEGIN
    IF me IS NULL THEN
        RAISE EXCEPTION 'not a member' USING ERRCODE = '42501';
    END IF;
    SELECT tk.assignee_id INTO assignee FROM tickets tk WHERE tk.id = a_ticket;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such ticket' USING ERRCODE = 'P0002';
    END IF;
    IF my_role = 'agent' AND assignee IS NOT NULL AND assignee <> me THEN
        RAISE EXCEPTION 'only those who work a ticket record its SLA alerts' USING ERRCODE = '42501';
    END IF;
    INSERT INTO sla_alerts (ticket_id, clock, level, round, at, recorded_by)
    VALUES (a_ticket, a_clock, a_level, a_round, a_at, me)
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n = 0 THEN
        RETURN false;
    END IF;
    INSERT INTO ticket_events (ticket_id, at, actor_id, kind, data) VALUES
        (a_ticket, a_at, NULL, 'sla_alert',
         jsonb_build_object('type', 'sla_alert', 'clock', a_clock, 'level', a_level,
                            'round', a_round));
    -- The ticket's row is unchanged, so its trigger does not announce the new event.
    INSERT INTO changes (ticket_id, kind) VALUES (a_ticket, 'ticket');
    PERFORM pg_notify('pulsedesk_changes', a_ticket::text);
    RETURN true;
END $$;

DO $$
DECLARE
    m text := quote_ident(pd_members_role());
BEGIN
    EXECUTE format('GRANT SELECT ON sla_alerts TO %s', m);
    EXECUTE 'REVOKE ALL ON FUNCTION pd_assign_team(), pd_auto_assign(bigint, bigint, jsonb, timestamptz), pd_record_sla_alert(bigint, text, text, integer, timestamptz) FROM PUBLIC';
    EXECUTE format('GRANT EXECUTE ON FUNCTION pd_assign_team(), pd_auto_assign(bigint, bigint, jsonb, timestamptz), pd_record_sla_alert(bigint, text, text, integer, timestamptz) TO %s', m);
END $$;
