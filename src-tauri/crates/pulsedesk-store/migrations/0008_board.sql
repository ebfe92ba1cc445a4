-- The team board's figures over a period: tickets first responded to, and resolved, in a
-- span of time (team-wide and per assignee).
CREATE INDEX tickets_by_first_response ON tickets (first_response_at, created_at)
    WHERE first_response_at IS NOT NULL;
CREATE INDEX tickets_by_resolved ON tickets (resolved_at, created_at)
    WHERE resolved_at IS NOT NULL;

-- Each SLA clock's verdict, kept with the projection: 1 met (stopped within its target),
-- 0 breached (over its target, running or stopped), NULL not decided yet (running within
-- its target: the board counts it breached once its due time has passed). -1 marks a
-- finished ticket the rules could not judge (no clock marks), so it is not judged again.
-- Finished tickets from before get theirs when the workspace opens (`judge_finished`).
ALTER TABLE tickets ADD COLUMN sla_fr_met INTEGER;
ALTER TABLE tickets ADD COLUMN sla_res_met INTEGER;
-- The first-response target in seconds (the status tracking table shows it).
ALTER TABLE tickets ADD COLUMN sla_fr_target INTEGER;
CREATE INDEX tickets_by_created_priority ON tickets (created_at, priority);
-- Finished tickets still to be judged (empty once the upgrade has run): found without a scan.
CREATE INDEX tickets_unjudged ON tickets (id)
    WHERE stage = 'done' AND sla_fr_met IS NULL AND sla_res_met IS NULL;
