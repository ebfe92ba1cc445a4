-- The embedded workspace: team, configuration, customers, tickets and their event log.
-- Timestamps are INTEGER milliseconds since the Unix epoch (UTC).

CREATE TABLE users (
    id      INTEGER PRIMARY KEY,
    name    TEXT    NOT NULL,
    role    TEXT    NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
    cap     INTEGER NOT NULL DEFAULT 5 CHECK (cap > 0),
    active  INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX users_name_key ON users (name COLLATE NOCASE);

CREATE TABLE skills (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL
);
CREATE UNIQUE INDEX skills_name_key ON skills (name COLLATE NOCASE);

CREATE TABLE user_skills (
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    skill_id  INTEGER NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, skill_id)
);

CREATE TABLE ticket_types (
    id        INTEGER PRIMARY KEY,
    name      TEXT    NOT NULL,
    template  TEXT    NOT NULL DEFAULT '',
    active    INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX ticket_types_name_key ON ticket_types (name COLLATE NOCASE);

CREATE TABLE sla_targets (
    priority                TEXT    PRIMARY KEY CHECK (priority IN ('urgent', 'high', 'medium', 'low')),
    first_response_minutes  INTEGER NOT NULL CHECK (first_response_minutes > 0),
    resolution_minutes      INTEGER NOT NULL CHECK (resolution_minutes > 0)
);

CREATE TABLE customers (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    phone       TEXT    NOT NULL DEFAULT '',
    email       TEXT    NOT NULL DEFAULT '',
    tier        TEXT    NOT NULL CHECK (tier IN ('vip', 'normal', 'enterprise')),
    created_at  INTEGER NOT NULL
);
CREATE INDEX customers_name ON customers (name);

-- Per local day, the last sequence number handed out (ticket numbers CS + yyyymmdd + seq).
CREATE TABLE ticket_counters (
    day   TEXT    PRIMARY KEY,
    last  INTEGER NOT NULL
);

CREATE TABLE tickets (
    id             INTEGER PRIMARY KEY,
    number         TEXT    NOT NULL UNIQUE,
    channel        TEXT    NOT NULL,
    type_id        INTEGER NOT NULL REFERENCES ticket_types (id),
    customer_id    INTEGER NOT NULL REFERENCES customers (id),
    -- The customer's tier when the ticket came in.
    tier           TEXT    NOT NULL,
    priority       TEXT    NOT NULL,
    priority_rank  INTEGER NOT NULL,
    subject        TEXT    NOT NULL,
    description    TEXT    NOT NULL DEFAULT '',
    departments    TEXT    NOT NULL DEFAULT '[]',
    attachments    TEXT    NOT NULL DEFAULT '[]',
    stage          TEXT    NOT NULL,
    assignee_id    INTEGER REFERENCES users (id),
    outcome        TEXT,
    round          INTEGER NOT NULL DEFAULT 1,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    first_response_at INTEGER,
    resolved_at    INTEGER,
    -- Optimistic concurrency: bumped by every change.
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX tickets_pool_order ON tickets (priority_rank, created_at, id);
CREATE INDEX tickets_by_stage ON tickets (stage, priority_rank, created_at);
CREATE INDEX tickets_by_assignee ON tickets (assignee_id, priority_rank, created_at);
CREATE INDEX tickets_by_customer ON tickets (customer_id);

-- Append-only: every change to a ticket. The timeline and every metric come from here.
CREATE TABLE ticket_events (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets (id),
    at         INTEGER NOT NULL,
    actor_id   INTEGER REFERENCES users (id),
    kind       TEXT    NOT NULL,
    data       TEXT    NOT NULL
);
CREATE INDEX ticket_events_by_ticket ON ticket_events (ticket_id, id);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
