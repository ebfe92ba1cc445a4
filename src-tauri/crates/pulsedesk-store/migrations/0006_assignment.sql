-- Smart assignment: presence, fairness, waiting-for-capacity marks, capacity episodes and
-- transfer requests. The assignment rules themselves live in settings ('assign.rules').

ALTER TABLE users ADD COLUMN presence TEXT NOT NULL DEFAULT 'offline'
    CHECK (presence IN ('online', 'away', 'offline'));
-- 1 when the member chose "away" themselves (idle/lock detection then leaves it alone).
ALTER TABLE users ADD COLUMN presence_by_hand INTEGER NOT NULL DEFAULT 0;
-- The desktop's last heartbeat; an old one means offline (see core assign::presence).
ALTER TABLE users ADD COLUMN presence_seen_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN last_assigned_at INTEGER;

-- Set while a ticket waits in the pool because no eligible agent had capacity.
ALTER TABLE tickets ADD COLUMN waiting_since INTEGER;
ALTER TABLE tickets ADD COLUMN wait_reason TEXT;

-- The backlog in drain order (each agent's open load uses 0003's tickets_open_by_assignee).
CREATE INDEX tickets_backlog ON tickets (priority_rank, created_at, id) WHERE stage = 'unassigned';

-- From the first ticket that had to wait until the backlog is empty again. Supervisors
-- are alerted once per episode.
CREATE TABLE capacity_episodes (
    id          INTEGER PRIMARY KEY,
    started_at  INTEGER NOT NULL,
    ended_at    INTEGER,
    peak        INTEGER NOT NULL DEFAULT 0
);
-- At most one open episode, whoever runs the assigner.
CREATE UNIQUE INDEX capacity_episodes_one_open ON capacity_episodes ((ended_at IS NULL))
    WHERE ended_at IS NULL;

CREATE TABLE transfer_requests (
    id            INTEGER PRIMARY KEY,
    ticket_id     INTEGER NOT NULL REFERENCES tickets (id),
    requester_id  INTEGER NOT NULL REFERENCES users (id),
    reason        TEXT    NOT NULL,
    status        TEXT    NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'approved', 'declined', 'withdrawn')),
    created_at    INTEGER NOT NULL,
    decided_at    INTEGER,
    decider_id    INTEGER REFERENCES users (id),
    note          TEXT    NOT NULL DEFAULT '',
    to_id         INTEGER REFERENCES users (id),
    -- 1 once the requester has been told the decision.
    seen          INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX transfer_requests_one_pending ON transfer_requests (ticket_id)
    WHERE status = 'pending';
CREATE INDEX transfer_requests_by_ticket ON transfer_requests (ticket_id, id);
CREATE INDEX transfer_requests_unseen ON transfer_requests (requester_id)
    WHERE seen = 0 AND status <> 'pending';
