-- What a member may set when adding a ticket, a log entry, a note or a command's record:
-- the columns the app writes, and no more. With INSERT on the whole table, a member with
-- psql could give a note or an entry an id of their choosing (OVERRIDING SYSTEM VALUE) —
-- far ahead of the sequence, every desktop would then wait for later entries of that
-- ticket above it and never see them — or create a ticket already versioned, answered or
-- resolved. Ids, versions, clocks and the command's time now come from the database alone.
DO $$
DECLARE
    m text := quote_ident(pd_members_role());
BEGIN
    EXECUTE format('REVOKE INSERT ON tickets, ticket_events, notes, commands FROM %s', m);
    EXECUTE format('GRANT INSERT (number, channel, type_id, customer_id, tier, priority, priority_rank, subject, description, departments, attachments, stage, created_at, updated_at) ON tickets TO %s', m);
    EXECUTE format('GRANT INSERT (ticket_id, at, actor_id, kind, data) ON ticket_events TO %s', m);
    EXECUTE format('GRANT INSERT (ticket_id, author_id, audience, body, created_at) ON notes TO %s', m);
    EXECUTE format('GRANT INSERT (id, user_id, kind, ticket_id) ON commands TO %s', m);
END $$;
