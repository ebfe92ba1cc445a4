-- Indexes for the pool's filters, each in the pool's order so the first page needs no sort.
-- The partial index covers "open only", the most common view, which is a small part of a
-- long-lived workspace.

CREATE INDEX tickets_open_pool ON tickets (priority_rank, created_at, id) WHERE stage <> 'done';
CREATE INDEX tickets_by_type ON tickets (type_id, priority_rank, created_at);
CREATE INDEX tickets_by_tier ON tickets (tier, priority_rank, created_at);
CREATE INDEX tickets_by_channel ON tickets (channel, priority_rank, created_at);
-- "My tickets" and the capacity check: one member's open tickets.
CREATE INDEX tickets_open_by_assignee ON tickets (assignee_id, priority_rank, created_at) WHERE stage <> 'done';
-- Number-prefix search ("CS202611…"): the range scan carries the sort keys, no row lookups.
CREATE INDEX tickets_by_number_sorted ON tickets (number, priority_rank, created_at);
-- Full-text hits are looked up by id; this narrow copy of the filter and sort columns keeps
-- those lookups off the wide ticket rows.
CREATE INDEX tickets_sort_keys ON tickets (id, priority_rank, created_at, assignee_id, stage, type_id, tier, channel);
