-- Members submit commands; the team service applies them.
--
-- A desktop no longer changes tickets with its member's login: it submits each command, in
-- the member's own name (the database fills it in from the login), to `submissions`, and
-- reads back what became of it. The team service — a login in the group
-- "<database>_service" — takes the submissions in order and applies each once with the
-- core's rules, as the member who submitted it, then records the outcome (applied, or
-- refused with the typed reason) for that member to read.

CREATE FUNCTION pd_service_role() RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT current_database() || '_service' $$;

DO $$
BEGIN
    EXECUTE format('CREATE ROLE %I NOLOGIN', pd_service_role());
EXCEPTION WHEN duplicate_object THEN
    NULL;
END $$;

-- Whether this session's login is the team service's (session_user: SET ROLE cannot
-- borrow it).
CREATE FUNCTION pd_is_service() RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    RETURN EXISTS (
        SELECT 1 FROM pg_auth_members m
        JOIN pg_roles g ON g.oid = m.roleid AND g.rolname = pd_service_role()
        JOIN pg_roles u ON u.oid = m.member AND u.rolname = session_user);
END $$;

CREATE TABLE submissions (
    seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id            uuid   NOT NULL UNIQUE,
    user_id       bigint NOT NULL DEFAULT pd_my_id() REFERENCES users (id),
    -- When the member acted, as their desktop says.
    at            timestamptz NOT NULL,
    command       jsonb  NOT NULL,
    submitted_at  timestamptz NOT NULL DEFAULT now(),
    -- NULL while waiting for the service; then 'applied' or 'refused'.
    outcome       text   CHECK (outcome IN ('applied', 'refused')),
    ticket_id     bigint,
    reason        jsonb,
    message       text,
    decided_at    timestamptz
);
CREATE INDEX submissions_waiting ON submissions (seq) WHERE outcome IS NULL;
CREATE INDEX submissions_by_user ON submissions (user_id, seq);

ALTER TABLE submissions ENABLE ROW LEVEL SECURITY;
ALTER TABLE submissions FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON submissions FOR ALL USING ((SELECT pd_is_owner()))
    WITH CHECK ((SELECT pd_is_owner()));
-- A member submits in their own name only, and reads only their own.
CREATE POLICY own_submit ON submissions FOR INSERT
    WITH CHECK (user_id = (SELECT pd_my_id()) AND outcome IS NULL);
CREATE POLICY own_read ON submissions FOR SELECT USING (user_id = (SELECT pd_my_id()));

-- The service reads and writes every table.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['users', 'skills', 'user_skills', 'ticket_types', 'settings',
        'customers', 'ticket_counters', 'tickets', 'ticket_events', 'notes', 'commands',
        'changes', 'pii_audit', 'sla_alerts', 'submissions']
    LOOP
        EXECUTE format('CREATE POLICY service_all ON %I FOR ALL USING ((SELECT pd_is_service()))
                        WITH CHECK ((SELECT pd_is_service()))', t);
    END LOOP;
END $$;

-- The service wakes up when something is submitted; a member's desktop when one of its
-- submissions is decided (the payload is the member's id).
CREATE FUNCTION pd_submitted() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM pg_notify('pulsedesk_submitted', '');
    RETURN NULL;
END $$;

CREATE TRIGGER submissions_submitted AFTER INSERT ON submissions
    FOR EACH STATEMENT EXECUTE FUNCTION pd_submitted();

CREATE FUNCTION pd_decided() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM pg_notify('pulsedesk_decided', NEW.user_id::text);
    RETURN NULL;
END $$;

CREATE TRIGGER submissions_decided AFTER UPDATE OF outcome ON submissions
    FOR EACH ROW WHEN (NEW.outcome IS NOT NULL) EXECUTE FUNCTION pd_decided();

-- The service locks the row of the member a ticket goes to, whoever submitted the command.
CREATE OR REPLACE FUNCTION pd_lock_member(a_user bigint)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me       bigint := pd_my_id();
    my_role  text := pd_my_role();
BEGIN
    IF NOT pd_is_service() THEN
        IF me IS NULL THEN
            RAISE EXCEPTION 'not a member' USING ERRCODE = '42501';
        END IF;
        IF my_role = 'admin' OR (my_role = 'agent' AND a_user <> me) THEN
            RAISE EXCEPTION 'only those who may give this member tickets lock their row'
                USING ERRCODE = '42501';
        END IF;
    END IF;
    PERFORM 1 FROM users WHERE id = a_user FOR UPDATE;
END $$;

DO $$
DECLARE
    m text := quote_ident(pd_members_role());
    s text := quote_ident(pd_service_role());
BEGIN
    EXECUTE format('GRANT SELECT (seq, id, user_id, at, command, submitted_at, outcome, ticket_id, reason, message, decided_at), INSERT (id, at, command) ON submissions TO %s', m);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %s', s);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %s', s);
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %s', current_database(), s);
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %s', s);
    EXECUTE 'REVOKE ALL ON FUNCTION pd_is_service(), pd_submitted(), pd_decided() FROM PUBLIC';
    EXECUTE format('GRANT EXECUTE ON FUNCTION pd_is_service() TO %s, %s', m, s);
END $$;
