-- The team board's figures over a period: tickets first responded to, and resolved, in a
-- span of time (team-wide and per assignee).
CREATE INDEX tickets_by_first_response ON tickets (first_response_at, created_at)
    WHERE first_response_at IS NOT NULL;
CREATE INDEX tickets_by_resolved ON tickets (resolved_at, created_at)
    WHERE resolved_at IS NOT NULL;
CREATE INDEX tickets_by_created ON tickets (created_at);
