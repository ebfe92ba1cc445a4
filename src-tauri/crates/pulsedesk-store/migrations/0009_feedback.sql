-- Customer feedback: one satisfaction survey per resolution cycle, its answer, the
-- follow-up ticket it led to; improvement measures (优化措施表).

CREATE TABLE surveys (
    id            INTEGER PRIMARY KEY,
    ticket_id     INTEGER NOT NULL REFERENCES tickets (id),
    -- The resolution cycle (the ticket's round when it was finished).
    round         INTEGER NOT NULL,
    sent_at       INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    -- pending | answered | superseded (expiry is read against expires_at).
    status        TEXT    NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'answered', 'superseded')),
    answered_at   INTEGER,
    -- phone | import | link
    source        TEXT,
    recorded_by   INTEGER REFERENCES users (id),
    speed         INTEGER CHECK (speed BETWEEN 1 AND 5),
    professionalism INTEGER CHECK (professionalism BETWEEN 1 AND 5),
    resolution    INTEGER CHECK (resolution BETWEEN 1 AND 5),
    -- The overall score in tenths (47 = 4.7).
    overall       INTEGER,
    solved        INTEGER,
    comment       TEXT    NOT NULL DEFAULT '',
    -- JSON: why it needs a follow-up ([] when it does not).
    follow_up_reasons TEXT NOT NULL DEFAULT '[]',
    follow_up_ticket_id INTEGER REFERENCES tickets (id),
    -- Whether the answer sent the ticket into another round.
    reopened      INTEGER NOT NULL DEFAULT 0,
    -- The agent who finished the ticket in this round, and its type (for the splits).
    agent_id      INTEGER REFERENCES users (id),
    type_id       INTEGER NOT NULL REFERENCES ticket_types (id),
    UNIQUE (ticket_id, round)
);
CREATE INDEX surveys_by_answered ON surveys (answered_at) WHERE answered_at IS NOT NULL;
CREATE INDEX surveys_by_sent ON surveys (sent_at);

-- A follow-up ticket (客户反馈跟进工单) points at the ticket it follows up; its owner
-- hears of it once (told_at).
ALTER TABLE tickets ADD COLUMN follows_ticket_id INTEGER REFERENCES tickets (id);
ALTER TABLE tickets ADD COLUMN follow_up_told_at INTEGER;
CREATE INDEX tickets_follow_ups ON tickets (assignee_id) WHERE follows_ticket_id IS NOT NULL;

CREATE TABLE measures (
    id           INTEGER PRIMARY KEY,
    problem      TEXT    NOT NULL,
    root_cause   TEXT    NOT NULL,
    action       TEXT    NOT NULL,
    owner_id     INTEGER NOT NULL REFERENCES users (id),
    deadline     TEXT    NOT NULL,
    started_on   TEXT    NOT NULL,
    window_days  INTEGER NOT NULL,
    -- JSON: [{metric, value}]
    targets      TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('planned', 'in_progress', 'done')),
    created_at   INTEGER NOT NULL,
    created_by   INTEGER NOT NULL REFERENCES users (id),
    -- The deadline reminder went to the owner.
    reminded_at  INTEGER
);
