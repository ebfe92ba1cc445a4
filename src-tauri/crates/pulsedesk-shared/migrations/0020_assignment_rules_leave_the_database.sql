-- The team service assigns with the core's rules: it plans on one read of the pool and the
-- team, and confirms each assignment with the same rule under the ticket's and the agent's
-- row locks before writing it (pulsedesk-shared/src/assigner.rs). The database no longer
-- holds a copy of those rules (presence, skills, cap, with its own idea of a heartbeat's
-- age), nor the functions that gave members a way to them.
DROP FUNCTION pd_auto_assign(bigint, bigint, jsonb, timestamptz);
DROP FUNCTION pd_assign_team();
