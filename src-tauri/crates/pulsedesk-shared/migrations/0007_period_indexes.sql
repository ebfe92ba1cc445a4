-- Reports of past periods (snapshot.rs, Shared::period) find their tickets by when they were
-- logged, answered and finished: one index each, combined by a bitmap OR with tickets_open,
-- instead of reading every ticket of the year.
CREATE INDEX tickets_created ON tickets (created_at);
CREATE INDEX tickets_responded ON tickets (first_response_at);
CREATE INDEX tickets_resolved ON tickets (resolved_at);
