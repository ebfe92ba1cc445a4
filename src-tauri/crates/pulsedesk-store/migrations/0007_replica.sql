-- A workspace can be a replica of a shared team database. Its member's changes wait here,
-- in order, until the server has applied them (each command once, by its id). A command
-- the server refused stays, with the reason, until the member has seen it.
CREATE TABLE outbox (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT    NOT NULL UNIQUE,
    ticket_id  INTEGER,
    kind       TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    queued_at  INTEGER NOT NULL,
    state      TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'rejected')),
    reason     TEXT
);
CREATE INDEX outbox_pending_by_ticket ON outbox (ticket_id) WHERE state = 'pending';

-- Tickets whose queued changes have settled (sent or refused): the replica reads them
-- again from the server, even if the feed passed them while they were held back.
CREATE TABLE replica_stale (
    ticket_id  INTEGER PRIMARY KEY
);
