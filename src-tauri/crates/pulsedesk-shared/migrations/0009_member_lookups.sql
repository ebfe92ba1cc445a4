-- Who the session is, asked by every row-level policy. As SQL functions that could not be
-- inlined (their own search_path, or a subquery), every statement that touched a protected
-- table parsed and planned their lookups again; as PL/pgSQL functions the lookups' plans are
-- kept for the session. Same answers, same rights.
CREATE OR REPLACE FUNCTION pd_my_id() RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    RETURN (SELECT id FROM users WHERE login = session_user AND active);
END $$;

CREATE OR REPLACE FUNCTION pd_my_role() RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    RETURN (SELECT role FROM users WHERE login = session_user AND active);
END $$;

CREATE OR REPLACE FUNCTION pd_is_owner() RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN current_user = (SELECT pg_get_userbyid(d.datdba) FROM pg_database d
                           WHERE d.datname = current_database());
END $$;
