-- Security in the database itself. Every member connects with their own login, a member of
-- the group role "<database>_members"; the tables' owner is never used by the app.
-- Row-level security is forced on every table, so even psql with a member's password
-- reaches only what that member's role allows.

CREATE FUNCTION pd_members_role() RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT current_database() || '_members' $$;

DO $$
BEGIN
    EXECUTE format('CREATE ROLE %I NOLOGIN', pd_members_role());
EXCEPTION WHEN duplicate_object THEN
    NULL;
END $$;

-- Who is connected: the active member whose login this session was opened with.
-- (session_user, not current_user: SET ROLE cannot borrow another member's rights.)
CREATE FUNCTION pd_my_id() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT id FROM users WHERE login = session_user AND active
$$;

CREATE FUNCTION pd_my_role() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT role FROM users WHERE login = session_user AND active
$$;

-- Ticket numbers: CS + day + per-day sequence, handed out under the counter row's lock.
CREATE FUNCTION pd_next_number(day text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    n integer;
BEGIN
    IF pd_my_id() IS NULL THEN
        RAISE EXCEPTION 'not a member' USING ERRCODE = '42501';
    END IF;
    INSERT INTO ticket_counters (day, last) VALUES (day, 1)
    ON CONFLICT ON CONSTRAINT ticket_counters_pkey DO UPDATE SET last = ticket_counters.last + 1
    RETURNING last INTO n;
    RETURN n;
END $$;

-- Whether a ticket exists at all, visible or not: a member who lost a race for a ticket is
-- told it was taken, not that it vanished. Reveals nothing but existence.
CREATE FUNCTION pd_ticket_exists(ticket bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT pd_my_id() IS NOT NULL AND EXISTS (SELECT 1 FROM tickets WHERE id = ticket)
$$;

-- A member sets their own presence (and heartbeat); nobody else's.
CREATE FUNCTION pd_set_presence(p text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF pd_my_id() IS NULL THEN
        RAISE EXCEPTION 'not a member' USING ERRCODE = '42501';
    END IF;
    UPDATE users SET presence = p, presence_seen_at = now() WHERE id = pd_my_id();
END $$;

-- A customer's full contact details for one ticket: for a supervisor, or for the ticket's
-- assignee. Every reveal is audited; anyone else is refused.
CREATE FUNCTION pd_reveal_customer(ticket bigint)
RETURNS TABLE (name text, phone text, email text, tier text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me        bigint := pd_my_id();
    my_role   text := pd_my_role();
    assignee  bigint;
    customer  bigint;
BEGIN
    SELECT t.assignee_id, t.customer_id INTO assignee, customer FROM tickets t WHERE t.id = ticket;
    IF NOT FOUND OR me IS NULL THEN
        RAISE EXCEPTION 'no such ticket' USING ERRCODE = 'P0002';
    END IF;
    IF my_role <> 'supervisor' AND assignee IS DISTINCT FROM me THEN
        RAISE EXCEPTION 'only the assignee or a supervisor may see full contact details'
            USING ERRCODE = '42501';
    END IF;
    INSERT INTO pii_audit (user_id, ticket_id, customer_id) VALUES (me, ticket, customer);
    RETURN QUERY SELECT c.name, c.phone, c.email, c.tier FROM customers c WHERE c.id = customer;
END $$;

-- The change feed, written by triggers so members need no right on it. The notification
-- carries only the ticket id, as a wake-up; desktops pull what changed from `changes`.
CREATE FUNCTION pd_ticket_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO changes (ticket_id, kind) VALUES (NEW.id, 'ticket');
    PERFORM pg_notify('pulsedesk_changes', NEW.id::text);
    RETURN NULL;
END $$;

CREATE TRIGGER tickets_changed AFTER INSERT OR UPDATE ON tickets
    FOR EACH ROW EXECUTE FUNCTION pd_ticket_changed();

CREATE FUNCTION pd_config_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO changes (ticket_id, kind) VALUES (NULL, 'config');
    PERFORM pg_notify('pulsedesk_changes', 'config');
    RETURN NULL;
END $$;

CREATE TRIGGER users_changed AFTER INSERT OR UPDATE OR DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION pd_config_changed();
CREATE TRIGGER skills_changed AFTER INSERT OR UPDATE OR DELETE ON skills
    FOR EACH STATEMENT EXECUTE FUNCTION pd_config_changed();
CREATE TRIGGER user_skills_changed AFTER INSERT OR UPDATE OR DELETE ON user_skills
    FOR EACH STATEMENT EXECUTE FUNCTION pd_config_changed();
CREATE TRIGGER ticket_types_changed AFTER INSERT OR UPDATE OR DELETE ON ticket_types
    FOR EACH STATEMENT EXECUTE FUNCTION pd_config_changed();
CREATE TRIGGER settings_changed AFTER INSERT OR UPDATE OR DELETE ON settings
    FOR EACH STATEMENT EXECUTE FUNCTION pd_config_changed();

-- Fairness: every assignment stamps the assignee's last_assigned_at (members cannot write
-- users rows themselves).
CREATE FUNCTION pd_assigned() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE users SET last_assigned_at = NEW.at WHERE id = (NEW.data ->> 'to')::bigint;
    RETURN NULL;
END $$;

CREATE TRIGGER ticket_events_assigned AFTER INSERT ON ticket_events
    FOR EACH ROW WHEN (NEW.kind = 'assigned') EXECUTE FUNCTION pd_assigned();

-- Row-level security, forced on every table.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['users', 'skills', 'user_skills', 'ticket_types', 'settings',
        'customers', 'ticket_counters', 'tickets', 'ticket_events', 'notes', 'commands',
        'changes', 'pii_audit']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    END LOOP;
END $$;

-- The team and the configuration: every member reads them; admins change them.
CREATE POLICY members_read ON users FOR SELECT USING (true);
CREATE POLICY admins_edit ON users FOR UPDATE USING (pd_my_role() = 'admin') WITH CHECK (pd_my_role() = 'admin');
CREATE POLICY members_read ON skills FOR SELECT USING (true);
CREATE POLICY admins_write ON skills FOR ALL USING (pd_my_role() = 'admin') WITH CHECK (pd_my_role() = 'admin');
CREATE POLICY members_read ON user_skills FOR SELECT USING (true);
CREATE POLICY admins_write ON user_skills FOR ALL USING (pd_my_role() = 'admin') WITH CHECK (pd_my_role() = 'admin');
CREATE POLICY members_read ON ticket_types FOR SELECT USING (true);
CREATE POLICY admins_write ON ticket_types FOR ALL USING (pd_my_role() = 'admin') WITH CHECK (pd_my_role() = 'admin');
CREATE POLICY members_read ON settings FOR SELECT USING (true);
CREATE POLICY admins_write ON settings FOR ALL USING (pd_my_role() = 'admin') WITH CHECK (pd_my_role() = 'admin');

-- Customers: anyone logging a ticket may add one; only the masked columns can be read.
CREATE POLICY members_read ON customers FOR SELECT USING (pd_my_id() IS NOT NULL);
CREATE POLICY members_add ON customers FOR INSERT WITH CHECK (pd_my_id() IS NOT NULL);

-- Tickets: supervisors and admins see all; agents the pool and their own.
CREATE POLICY visible ON tickets FOR SELECT USING (
    pd_my_role() IN ('supervisor', 'admin') OR assignee_id IS NULL OR assignee_id = pd_my_id());
-- Anyone may log a ticket, into the pool.
CREATE POLICY log_new ON tickets FOR INSERT WITH CHECK (
    pd_my_id() IS NOT NULL AND stage = 'unassigned' AND assignee_id IS NULL);
-- Supervisors change any ticket; others only their own, and an agent may take one from the
-- pool — for themselves only.
CREATE POLICY work ON tickets FOR UPDATE USING (
    pd_my_role() = 'supervisor' OR assignee_id = pd_my_id()
    OR (assignee_id IS NULL AND pd_my_role() = 'agent')
) WITH CHECK (pd_my_role() = 'supervisor' OR assignee_id = pd_my_id());

-- Events and notes follow their ticket; each is written in the writer's own name.
CREATE POLICY visible ON ticket_events FOR SELECT USING (
    EXISTS (SELECT 1 FROM tickets t WHERE t.id = ticket_id));
CREATE POLICY own_name ON ticket_events FOR INSERT WITH CHECK (
    actor_id = pd_my_id() AND EXISTS (SELECT 1 FROM tickets t WHERE t.id = ticket_id));
CREATE POLICY visible ON notes FOR SELECT USING (
    EXISTS (SELECT 1 FROM tickets t WHERE t.id = ticket_id));
CREATE POLICY own_name ON notes FOR INSERT WITH CHECK (
    author_id = pd_my_id() AND EXISTS (
        SELECT 1 FROM tickets t WHERE t.id = ticket_id
        AND (pd_my_role() = 'supervisor' OR t.assignee_id = pd_my_id())));

CREATE POLICY own_read ON commands FOR SELECT USING (user_id = pd_my_id());
CREATE POLICY own_write ON commands FOR INSERT WITH CHECK (user_id = pd_my_id());
CREATE POLICY members_read ON changes FOR SELECT USING (pd_my_id() IS NOT NULL);
CREATE POLICY admins_read ON pii_audit FOR SELECT USING (pd_my_role() = 'admin');

-- Table and column rights of the members' group (the policies above narrow the rows).
DO $$
DECLARE
    m text := quote_ident(pd_members_role());
BEGIN
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %s', current_database(), m);
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %s', m);
    EXECUTE format('GRANT SELECT (id, name, login, role, cap, active, presence, presence_seen_at, last_assigned_at), UPDATE (name, role, cap, active) ON users TO %s', m);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON skills, user_skills, ticket_types, settings TO %s', m);
    EXECUTE format('GRANT SELECT (id, tier, created_at, name_masked, phone_masked, email_masked), INSERT (name, phone, email, tier, created_at) ON customers TO %s', m);
    EXECUTE format('GRANT SELECT, INSERT ON tickets TO %s', m);
    EXECUTE format('GRANT UPDATE (stage, assignee_id, outcome, round, priority, priority_rank, updated_at, first_response_at, resolved_at, version) ON tickets TO %s', m);
    EXECUTE format('GRANT SELECT, INSERT ON ticket_events, notes, commands TO %s', m);
    EXECUTE format('GRANT SELECT ON changes, pii_audit TO %s', m);
    EXECUTE 'REVOKE ALL ON FUNCTION pd_next_number(text), pd_set_presence(text), pd_reveal_customer(bigint), pd_ticket_exists(bigint) FROM PUBLIC';
    EXECUTE format('GRANT EXECUTE ON FUNCTION pd_next_number(text), pd_set_presence(text), pd_reveal_customer(bigint), pd_ticket_exists(bigint) TO %s', m);
END $$;
