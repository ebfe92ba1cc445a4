-- The team's setup — ticket types, skills and who holds them, settings, members' names,
-- roles, caps and whether they are active — is written by admins only. The members' group
-- keeps reading it; the write rights move to a group of the admins' logins, which follows
-- each member's role and active flag. An agent's or supervisor's psql can then neither write
-- these tables nor lock them (LOCK TABLE beyond ACCESS SHARE needs a write right), so no
-- member can hang every desktop by locking the ticket types.

CREATE FUNCTION pd_admins_role() RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT current_database() || '_admins' $$;

DO $$
BEGIN
    EXECUTE format('CREATE ROLE %I NOLOGIN', pd_admins_role());
EXCEPTION WHEN duplicate_object THEN
    NULL;
END $$;

DO $$
DECLARE
    m text := quote_ident(pd_members_role());
    a text := quote_ident(pd_admins_role());
BEGIN
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON skills, user_skills, ticket_types, settings FROM %s', m);
    EXECUTE format('REVOKE UPDATE ON users FROM %s', m);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON skills, user_skills, ticket_types, settings TO %s', a);
    EXECUTE format('GRANT UPDATE (name, role, cap, active) ON users TO %s', a);
END $$;

-- Keeps the admins' group in step with the members' rows: an active admin is in it, anyone
-- else is not (a new member, a role changed, a member disabled or enabled again).
CREATE FUNCTION pd_follow_admin_role() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = NEW.login) THEN
        RETURN NULL;
    END IF;
    IF NEW.role = 'admin' AND NEW.active THEN
        EXECUTE format('GRANT %I TO %I', pd_admins_role(), NEW.login);
    ELSE
        EXECUTE format('REVOKE %I FROM %I', pd_admins_role(), NEW.login);
    END IF;
    RETURN NULL;
END $$;

REVOKE ALL ON FUNCTION pd_follow_admin_role() FROM PUBLIC;

CREATE TRIGGER users_follow_admin_role AFTER INSERT OR UPDATE OF role, active ON users
    FOR EACH ROW EXECUTE FUNCTION pd_follow_admin_role();

-- The admins already there.
DO $$
DECLARE
    u record;
BEGIN
    FOR u IN SELECT login FROM users WHERE role = 'admin' AND active
             AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = users.login) LOOP
        EXECUTE format('GRANT %I TO %I', pd_admins_role(), u.login);
    END LOOP;
END $$;
