-- SLA policies, team calendars, each ticket's clock projection, and alert records.

CREATE TABLE sla_calendars (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    -- JSON: {tz, week: [[{from, to}], ...7], holidays: ["YYYY-MM-DD"]}
    spec  TEXT NOT NULL
);
CREATE UNIQUE INDEX sla_calendars_name_key ON sla_calendars (name COLLATE NOCASE);

-- Ordered by position; the first policy that matches a ticket sets its targets, then the
-- per-priority sla_targets.
CREATE TABLE sla_policies (
    id           INTEGER PRIMARY KEY,
    position     INTEGER NOT NULL,
    name         TEXT    NOT NULL,
    -- JSON: the policy's conditions and targets.
    spec         TEXT    NOT NULL,
    calendar_id  INTEGER REFERENCES sla_calendars (id)
);
CREATE UNIQUE INDEX sla_policies_name_key ON sla_policies (name COLLATE NOCASE);

-- The clock projection, refreshed with every change to the ticket or to the SLA rules:
-- the thresholds of each running clock (the scheduler reads them), plus the headline clock
-- the lists count down. Integers only, so re-targeting thousands of tickets writes little.
ALTER TABLE tickets ADD COLUMN sla_projected INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN sla_fr_near_at INTEGER;
ALTER TABLE tickets ADD COLUMN sla_fr_due_at INTEGER;
ALTER TABLE tickets ADD COLUMN sla_res_near_at INTEGER;
ALTER TABLE tickets ADD COLUMN sla_res_due_at INTEGER;
ALTER TABLE tickets ADD COLUMN sla_kind TEXT;
ALTER TABLE tickets ADD COLUMN sla_near_at INTEGER;
ALTER TABLE tickets ADD COLUMN sla_due_at INTEGER;
ALTER TABLE tickets ADD COLUMN sla_paused INTEGER NOT NULL DEFAULT 0;
-- What each event does to the SLA clocks ("created", "reopened", or the stage entered;
-- NULL for the rest), so clocks are recomputed without decoding event JSON.
ALTER TABLE ticket_events ADD COLUMN mark TEXT;
UPDATE ticket_events SET mark = CASE kind
    WHEN 'created' THEN 'created'
    WHEN 'reopened' THEN 'reopened'
    WHEN 'stage_changed' THEN json_extract(data, '$.to')
END;

-- The tray's counts: open tickets by when their headline clock turns.
CREATE INDEX tickets_open_sla ON tickets (sla_near_at, sla_due_at) WHERE stage <> 'done';

-- Each alert once: whichever desktop gets there first writes it (and its event).
CREATE TABLE sla_alerts (
    ticket_id  INTEGER NOT NULL REFERENCES tickets (id),
    clock      TEXT    NOT NULL,
    level      TEXT    NOT NULL,
    round      INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    PRIMARY KEY (ticket_id, clock, level, round)
) WITHOUT ROWID;

-- Pop-ups shown to a member, so a restart does not show them again.
CREATE TABLE sla_notices (
    ticket_id  INTEGER NOT NULL,
    clock      TEXT    NOT NULL,
    level      TEXT    NOT NULL,
    round      INTEGER NOT NULL,
    repeat     INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    PRIMARY KEY (ticket_id, clock, level, round, repeat, user_id)
) WITHOUT ROWID;
