-- Claims and manual assignments take the same lock on the receiving member's row as the
-- team's assigner (pd_auto_assign), so the two never both see room under a member's cap
-- and pass it together. Members cannot lock `users` rows themselves (that needs UPDATE),
-- hence this function; it locks only rows the caller may give tickets to: agents their
-- own, supervisors anyone's. The lock lasts until the caller's transaction ends.
CREATE FUNCTION pd_lock_member(a_user bigint)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me       bigint := pd_my_id();
    my_role  text := pd_my_role();
BEGIN
    IF me IS NULL THEN
        RAISE EXCEPTION 'not a member' USING ERRCODE = '42501';
    END IF;
    IF my_role = 'admin' OR (my_role = 'agent' AND a_user <> me) THEN
        RAISE EXCEPTION 'only those who may give this member tickets lock their row'
            USING ERRCODE = '42501';
    END IF;
    PERFORM 1 FROM users WHERE id = a_user FOR UPDATE;
END $$;

DO $$
DECLARE
    m text := quote_ident(pd_members_role());
BEGIN
    EXECUTE 'REVOKE ALL ON FUNCTION pd_lock_member(bigint) FROM PUBLIC';
    EXECUTE format('GRANT EXECUTE ON FUNCTION pd_lock_member(bigint) TO %s', m);
END $$;
