//! Changes the service decides itself (an automatic assignment): the
//! ticket locked in the caller's transaction, then written as the system.

use super::{after, entries, state_of, Found, LOCK};
use crate::SharedError;
use chrono::{DateTime, Utc};
use pulsedesk_core::ids::TicketId;
use pulsedesk_core::reason::Reason;
use pulsedesk_core::ticket::{EventKind, TicketState};
use sqlx::PgConnection;

/// A ticket locked for a change the service decides itself (an automatic assignment).
pub(crate) struct Held(Found);

impl Held {
    pub(crate) fn state(&self) -> &TicketState {
        &self.0.state
    }
}

/// Locks ticket `id` in the caller's transaction for a change the service makes itself;
/// `None` when there is no such ticket.
pub(crate) async fn hold(
    conn: &mut PgConnection,
    id: TicketId,
) -> Result<Option<Held>, SharedError> {
    match state_of(conn, id, Reason::WentElsewhere, None, LOCK).await {
        Ok(found) => Ok(Some(Held(found))),
        Err(SharedError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Writes the system's `events` to a [`Held`] ticket (its row, its log; no member acted).
pub(crate) async fn write_held(
    conn: &mut PgConnection,
    held: &Held,
    at: DateTime<Utc>,
    events: &[EventKind],
) -> Result<(), SharedError> {
    let state = after(held.0.clone(), at, events).state;
    let (kinds, data) = entries(events).map_err(|e| SharedError::Corrupt(format!("event: {e}")))?;
    let (updated,): (i64,) = sqlx::query_as(
        "WITH u AS (
             UPDATE tickets SET stage = $1, assignee_id = $2, outcome = $3, round = $4,
                 first_response_at = $5, resolved_at = $6, updated_at = $7, version = version + 1,
                 waiting_since = CASE WHEN $2::bigint IS NULL THEN waiting_since END,
                 wait_reason = CASE WHEN $2::bigint IS NULL THEN wait_reason END
             WHERE id = $8 AND version = $9 RETURNING id),
         e AS (
             INSERT INTO ticket_events (ticket_id, at, actor_id, kind, data)
             SELECT u.id, $7, NULL, x.kind, x.data::jsonb
             FROM u, unnest($10::text[], $11::text[]) WITH ORDINALITY AS x(kind, data, n)
             ORDER BY x.n
             RETURNING 1)
         SELECT count(*) FROM u",
    )
    .bind(state.stage.as_str())
    .bind(state.assignee.map(|u| u.0))
    .bind(state.outcome.map(|o| o.as_str()))
    .bind(i32::try_from(state.round).unwrap_or(i32::MAX))
    .bind(state.timings.first_response_at)
    .bind(state.timings.resolved_at)
    .bind(at)
    .bind(held.0.id.0)
    .bind(held.0.version)
    .bind(&kinds)
    .bind(&data)
    .fetch_one(&mut *conn)
    .await?;
    if updated == 0 {
        // Locked, so never: the row changed under its own lock.
        return Err(SharedError::Corrupt(format!(
            "ticket {} changed under its lock",
            held.0.id.0
        )));
    }
    Ok(())
}
