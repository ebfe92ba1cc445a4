-- Row-level security, second pass.
--
-- 1. The database owner (who runs pulsedesk-admin; the app never connects as it) may do
--    anything, also without being a superuser: FORCE ROW LEVEL SECURITY applies to table
--    owners too, and the SECURITY DEFINER functions (numbering, presence, reveal) and the
--    feed's triggers run as the owner. `current_user` is the owner only in its own sessions
--    and inside those functions; a member cannot SET ROLE to it.
-- 2. Every call that names the member is wrapped in a scalar sub-select, so PostgreSQL
--    evaluates it once per statement (an InitPlan) instead of once per row.

CREATE FUNCTION pd_is_owner() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT current_user = (SELECT pg_get_userbyid(d.datdba) FROM pg_database d
                           WHERE d.datname = current_database())
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['users', 'skills', 'user_skills', 'ticket_types', 'settings',
        'customers', 'ticket_counters', 'tickets', 'ticket_events', 'notes', 'commands',
        'changes', 'pii_audit']
    LOOP
        EXECUTE format('CREATE POLICY owner_all ON %I FOR ALL USING ((SELECT pd_is_owner()))
                        WITH CHECK ((SELECT pd_is_owner()))', t);
    END LOOP;
END $$;

DROP POLICY admins_edit ON users;
CREATE POLICY admins_edit ON users FOR UPDATE
    USING ((SELECT pd_my_role()) = 'admin') WITH CHECK ((SELECT pd_my_role()) = 'admin');
DROP POLICY admins_write ON skills;
CREATE POLICY admins_write ON skills FOR ALL
    USING ((SELECT pd_my_role()) = 'admin') WITH CHECK ((SELECT pd_my_role()) = 'admin');
DROP POLICY admins_write ON user_skills;
CREATE POLICY admins_write ON user_skills FOR ALL
    USING ((SELECT pd_my_role()) = 'admin') WITH CHECK ((SELECT pd_my_role()) = 'admin');
DROP POLICY admins_write ON ticket_types;
CREATE POLICY admins_write ON ticket_types FOR ALL
    USING ((SELECT pd_my_role()) = 'admin') WITH CHECK ((SELECT pd_my_role()) = 'admin');
DROP POLICY admins_write ON settings;
CREATE POLICY admins_write ON settings FOR ALL
    USING ((SELECT pd_my_role()) = 'admin') WITH CHECK ((SELECT pd_my_role()) = 'admin');

DROP POLICY members_read ON customers;
CREATE POLICY members_read ON customers FOR SELECT USING ((SELECT pd_my_id()) IS NOT NULL);
DROP POLICY members_add ON customers;
CREATE POLICY members_add ON customers FOR INSERT WITH CHECK ((SELECT pd_my_id()) IS NOT NULL);

DROP POLICY visible ON tickets;
CREATE POLICY visible ON tickets FOR SELECT USING (
    (SELECT pd_my_role()) IN ('supervisor', 'admin') OR assignee_id IS NULL
    OR assignee_id = (SELECT pd_my_id()));
DROP POLICY log_new ON tickets;
CREATE POLICY log_new ON tickets FOR INSERT WITH CHECK (
    (SELECT pd_my_id()) IS NOT NULL AND stage = 'unassigned' AND assignee_id IS NULL);
DROP POLICY work ON tickets;
CREATE POLICY work ON tickets FOR UPDATE USING (
    (SELECT pd_my_role()) = 'supervisor' OR assignee_id = (SELECT pd_my_id())
    OR (assignee_id IS NULL AND (SELECT pd_my_role()) = 'agent')
) WITH CHECK ((SELECT pd_my_role()) = 'supervisor' OR assignee_id = (SELECT pd_my_id()));

DROP POLICY own_name ON ticket_events;
CREATE POLICY own_name ON ticket_events FOR INSERT WITH CHECK (
    actor_id = (SELECT pd_my_id()) AND EXISTS (SELECT 1 FROM tickets t WHERE t.id = ticket_id));
DROP POLICY own_name ON notes;
CREATE POLICY own_name ON notes FOR INSERT WITH CHECK (
    author_id = (SELECT pd_my_id()) AND EXISTS (
        SELECT 1 FROM tickets t WHERE t.id = ticket_id
        AND ((SELECT pd_my_role()) = 'supervisor' OR t.assignee_id = (SELECT pd_my_id()))));

DROP POLICY own_read ON commands;
CREATE POLICY own_read ON commands FOR SELECT USING (user_id = (SELECT pd_my_id()));
DROP POLICY own_write ON commands;
CREATE POLICY own_write ON commands FOR INSERT WITH CHECK (user_id = (SELECT pd_my_id()));
DROP POLICY members_read ON changes;
CREATE POLICY members_read ON changes FOR SELECT USING ((SELECT pd_my_id()) IS NOT NULL);
DROP POLICY admins_read ON pii_audit;
CREATE POLICY admins_read ON pii_audit FOR SELECT USING ((SELECT pd_my_role()) = 'admin');
