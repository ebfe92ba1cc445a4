-- A reveal is a command the team service applies (it checks the member's right with the
-- core's rules and writes the audit entry in a transaction of its own); the member then
-- reads the customer's details here, which needs that entry: theirs, for this ticket, at
-- most two minutes old. The member's own transaction can no longer hold the only copy of
-- the audit entry, so `BEGIN; reveal; ROLLBACK` leaves the entry in place.
CREATE FUNCTION pd_revealed_customer(ticket bigint)
RETURNS TABLE (customer_id bigint, name text, phone text, email text, tier text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me        bigint := pd_my_id();
    customer  bigint;
BEGIN
    SELECT a.customer_id INTO customer FROM pii_audit a
    WHERE a.user_id = me AND a.ticket_id = ticket AND a.at > clock_timestamp() - interval '2 minutes'
    ORDER BY a.id DESC LIMIT 1;
    IF me IS NULL OR customer IS NULL THEN
        RAISE EXCEPTION 'reveal the customer through the team service first' USING ERRCODE = '42501';
    END IF;
    RETURN QUERY SELECT c.id, c.name, c.phone, c.email, c.tier FROM customers c WHERE c.id = customer;
END $$;

DO $$
DECLARE
    m text := quote_ident(pd_members_role());
BEGIN
    EXECUTE 'REVOKE ALL ON FUNCTION pd_revealed_customer(bigint) FROM PUBLIC';
    EXECUTE format('GRANT EXECUTE ON FUNCTION pd_revealed_customer(bigint) TO %s', m);
    EXECUTE format('REVOKE EXECUTE ON FUNCTION pd_reveal_customer(bigint) FROM %s', m);
END $$;
