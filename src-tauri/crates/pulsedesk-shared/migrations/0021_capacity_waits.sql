-- Tickets the team service's assigner could not place wait "for capacity", as in the
-- embedded workspace: since when, and why (the core's WaitReason). The service marks them
-- (with a capacity_wait entry in the log when a wait starts) and an assignment ends the
-- wait. Desktops replicate both columns: the board counts the waiting tickets and a
-- supervisor hears once per episode.
ALTER TABLE tickets
    ADD COLUMN waiting_since timestamptz,
    ADD COLUMN wait_reason text
        CHECK (wait_reason IN ('no_skilled_agent', 'nobody_online', 'all_at_cap'));
