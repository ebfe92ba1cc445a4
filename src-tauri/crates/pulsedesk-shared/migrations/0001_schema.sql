-- The shared team database (PostgreSQL): the team's authority in shared mode.
-- Mirrors the embedded workspace's tables; timestamps are timestamptz.

CREATE TABLE users (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name              text    NOT NULL,
    -- The PostgreSQL login this member connects with.
    login             text    NOT NULL UNIQUE,
    role              text    NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
    cap               integer NOT NULL DEFAULT 5 CHECK (cap > 0),
    active            boolean NOT NULL DEFAULT true,
    presence          text    NOT NULL DEFAULT 'offline' CHECK (presence IN ('online', 'away', 'offline')),
    presence_seen_at  timestamptz,
    last_assigned_at  timestamptz
);
CREATE UNIQUE INDEX users_name_key ON users (lower(name));

CREATE TABLE skills (
    id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name  text NOT NULL
);
CREATE UNIQUE INDEX skills_name_key ON skills (lower(name));

CREATE TABLE user_skills (
    user_id   bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    skill_id  bigint NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, skill_id)
);

CREATE TABLE ticket_types (
    id        bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name      text    NOT NULL,
    template  text    NOT NULL DEFAULT '',
    active    boolean NOT NULL DEFAULT true
);
CREATE UNIQUE INDEX ticket_types_name_key ON ticket_types (lower(name));

CREATE TABLE settings (
    key    text PRIMARY KEY,
    value  jsonb NOT NULL
);

CREATE TABLE customers (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          text NOT NULL,
    phone         text NOT NULL DEFAULT '',
    email         text NOT NULL DEFAULT '',
    tier          text NOT NULL CHECK (tier IN ('vip', 'normal', 'enterprise')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- What members may read (see 0002): the masked forms, kept by trigger.
    name_masked   text NOT NULL DEFAULT '',
    phone_masked  text NOT NULL DEFAULT '',
    email_masked  text NOT NULL DEFAULT ''
);

CREATE TABLE ticket_counters (
    day   text    PRIMARY KEY,
    last  integer NOT NULL
);

CREATE TABLE tickets (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number             text    NOT NULL UNIQUE,
    channel            text    NOT NULL,
    type_id            bigint  NOT NULL REFERENCES ticket_types (id),
    customer_id        bigint  NOT NULL REFERENCES customers (id),
    tier               text    NOT NULL,
    priority           text    NOT NULL,
    priority_rank      integer NOT NULL,
    subject            text    NOT NULL,
    description        text    NOT NULL DEFAULT '',
    departments        jsonb   NOT NULL DEFAULT '[]',
    attachments        jsonb   NOT NULL DEFAULT '[]',
    stage              text    NOT NULL,
    assignee_id        bigint  REFERENCES users (id),
    outcome            text,
    round              integer NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    first_response_at  timestamptz,
    resolved_at        timestamptz,
    version            bigint  NOT NULL DEFAULT 1
);
CREATE INDEX tickets_pool_order ON tickets (priority_rank, created_at, id);
CREATE INDEX tickets_by_assignee ON tickets (assignee_id, priority_rank, created_at);
CREATE INDEX tickets_open ON tickets (stage) WHERE stage <> 'done';

CREATE TABLE ticket_events (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id  bigint NOT NULL REFERENCES tickets (id),
    at         timestamptz NOT NULL,
    actor_id   bigint REFERENCES users (id),
    kind       text  NOT NULL,
    data       jsonb NOT NULL
);
CREATE INDEX ticket_events_by_ticket ON ticket_events (ticket_id, id);

CREATE TABLE notes (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id   bigint NOT NULL REFERENCES tickets (id),
    author_id   bigint NOT NULL REFERENCES users (id),
    audience    text   NOT NULL,
    body        text   NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX notes_by_ticket ON notes (ticket_id, id);

-- Every command a desktop sent, by its id: a retried command is recognised, never re-applied.
CREATE TABLE commands (
    id          uuid   PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id),
    kind        text   NOT NULL,
    ticket_id   bigint REFERENCES tickets (id),
    applied_at  timestamptz NOT NULL DEFAULT now()
);

-- The change feed: which ticket (or the configuration) changed, never what. A desktop pulls
-- rows in (xid, seq) order below the oldest running transaction (see feed.rs), so a row
-- committed out of sequence order is never skipped.
CREATE TABLE changes (
    seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    xid        xid8   NOT NULL DEFAULT pg_current_xact_id(),
    ticket_id  bigint,
    kind       text   NOT NULL CHECK (kind IN ('ticket', 'config'))
);
CREATE INDEX changes_cursor ON changes (xid, seq);

-- Who saw a customer's full contact details, and when.
CREATE TABLE pii_audit (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id),
    ticket_id    bigint NOT NULL REFERENCES tickets (id),
    customer_id  bigint NOT NULL REFERENCES customers (id),
    at           timestamptz NOT NULL DEFAULT now()
);
