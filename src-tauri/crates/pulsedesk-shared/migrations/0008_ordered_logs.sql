-- Every entry added to a ticket's log or notes gets its id while the ticket's row is locked
-- (or in the transaction that logged the ticket), so within one ticket ids follow commit
-- order and a desktop can ask for just the entries after the newest it holds. Commands and
-- pd_assign already lock the row; recording an SLA alert now does too.
CREATE OR REPLACE FUNCTION pd_record_sla_alert(a_ticket bigint, a_clock text, a_level text, a_round integer,
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
    -- Under the ticket's row lock, like every command: a ticket's log ids then follow the
    -- order its changes commit in, which a desktop's pull relies on (snapshot.rs).
    SELECT tk.assignee_id INTO assignee FROM tickets tk WHERE tk.id = a_ticket FOR UPDATE;
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
