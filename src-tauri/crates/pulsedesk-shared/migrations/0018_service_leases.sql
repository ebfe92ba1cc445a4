-- The team service's two leases — the writer's and the assigner's — are locks no member can
-- take or block. They used to be advisory locks, which any login may take: an agent's psql
-- holding one stopped every command from being applied, or the pool from being assigned.
-- Now each is a SHARE UPDATE EXCLUSIVE lock on an empty table in a schema members may not
-- even name (so they cannot lock it in any mode, not even by a statement that fails its
-- permission check), held by one of the service's connections in an open transaction that
-- writes nothing (no transaction id, so neither the feed nor VACUUM waits for it). The lock
-- ends with that connection, however it ends, and a standing-by service takes it.
CREATE SCHEMA pd_service_locks;
REVOKE ALL ON SCHEMA pd_service_locks FROM PUBLIC;
CREATE TABLE pd_service_locks.writer ();
CREATE TABLE pd_service_locks.assigner ();
REVOKE ALL ON pd_service_locks.writer, pd_service_locks.assigner FROM PUBLIC;

DO $$
DECLARE
    s text := quote_ident(pd_service_role());
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA pd_service_locks TO %s', s);
    EXECUTE format('GRANT UPDATE ON pd_service_locks.writer, pd_service_locks.assigner TO %s', s);
END $$;

-- Assigning is for the service's logins (members lost the functions in 0015); which of two
-- services assigns is decided by the assigner's lease.
CREATE OR REPLACE FUNCTION pd_holds_assigner() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT pd_is_service()
$$;
