-- The team service is the only writer of the team's tickets. Members' logins keep reading
-- what their role allows, submit commands (0014), set their own presence and reveal a
-- customer through their functions; every direct write to tickets, their logs and notes,
-- customers, counters, command records, SLA alerts and the feed is gone. So is every lock
-- those rights allowed: a member can neither lock a ticket's row (FOR UPDATE needs UPDATE)
-- nor these tables, nor take ticket numbers, nor lock another member's row, nor assign
-- (holding the assigner's advisory lock no longer lets a member push a ticket to anyone).
-- (Desktops of an earlier release, which applied their commands themselves, are refused
-- until they are updated; their edits stay in their outbox with the reason.)

DO $$
DECLARE
    m text := quote_ident(pd_members_role());
    s text := quote_ident(pd_service_role());
BEGIN
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON tickets, ticket_events, notes, commands, customers, ticket_counters, sla_alerts, changes, pii_audit FROM %s', m);
    EXECUTE format('REVOKE EXECUTE ON FUNCTION pd_next_number(text), pd_lock_member(bigint), pd_ticket_exists(bigint), pd_record_sla_alert(bigint, text, text, integer, timestamptz) FROM %s', m);
    EXECUTE format('GRANT EXECUTE ON FUNCTION pd_next_number(text), pd_lock_member(bigint), pd_ticket_exists(bigint) TO %s', s);
    -- The service assigns; desktops no longer take the assigner's seat.
    EXECUTE format('REVOKE EXECUTE ON FUNCTION pd_assign_team(), pd_auto_assign(bigint, bigint, jsonb, timestamptz) FROM %s', m);
    EXECUTE format('GRANT EXECUTE ON FUNCTION pd_assign_team(), pd_auto_assign(bigint, bigint, jsonb, timestamptz) TO %s', s);
END $$;
