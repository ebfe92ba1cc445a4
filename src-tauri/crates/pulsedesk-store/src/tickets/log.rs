//! The append-only ticket event log.

use crate::batch::Batch;
use crate::rows::{json, to_json};
use crate::time::{from_ms, to_ms};
use crate::StoreError;
use chrono::{DateTime, Utc};
use pulsedesk_core::ids::{TicketId, UserId};
use pulsedesk_core::sla::clock::Mark;
use pulsedesk_core::ticket::{EventKind, TicketEvent};
use sqlx::SqliteConnection;

/// Appends one event.
pub(crate) async fn append(
    conn: &mut SqliteConnection,
    ticket: TicketId,
    at: DateTime<Utc>,
    actor: Option<UserId>,
    kind: &EventKind,
) -> Result<(), StoreError> {
    let mut batch = Batch::new();
    push(&mut batch, ticket, at, actor, kind);
    batch.fetch(conn).await?;
    Ok(())
}

/// [`append`], as a statement of `batch`. The event takes the next id — on a replica an event
/// written locally waits for the server's version of the ticket, so it gets a provisional
/// (negative) id that the server's ids never collide with.
pub(crate) fn push(
    batch: &mut Batch<'_>,
    ticket: TicketId,
    at: DateTime<Utc>,
    actor: Option<UserId>,
    kind: &EventKind,
) {
    batch
        .statement()
        .push(
            "INSERT INTO ticket_events (id, ticket_id, at, actor_id, kind, data, mark)
             VALUES (CASE WHEN EXISTS (SELECT 1 FROM settings WHERE key = 'replica' AND value = '1')
                     THEN (SELECT MIN(COALESCE(MIN(id), 0), 0) - 1 FROM ticket_events) END, ",
        )
        .push_bind(ticket.0)
        .push(", ")
        .push_bind(to_ms(at))
        .push(", ")
        .push_bind(actor.map(|a| a.0))
        .push(", ")
        .push_bind(kind.name())
        .push(", ")
        .push_bind(to_json(kind))
        .push(", ")
        .push_bind(Mark::of(kind).map(Mark::code))
        .push(")");
}

/// A ticket's whole log, oldest first (on a replica: the server's entries, then the
/// member's provisional ones in the order they were made).
pub(crate) async fn load(
    conn: &mut SqliteConnection,
    ticket: TicketId,
) -> Result<Vec<TicketEvent>, StoreError> {
    let rows: Vec<(i64, i64, Option<i64>, String)> = sqlx::query_as(
        "SELECT id, at, actor_id, data FROM ticket_events WHERE ticket_id = ? ORDER BY id < 0, abs(id)",
    )
    .bind(ticket.0)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(id, at, actor, data)| {
            Ok(TicketEvent {
                id,
                ticket_id: ticket,
                at: from_ms(at)?,
                actor_id: actor.map(UserId),
                kind: json(&data, "ticket event")?,
            })
        })
        .collect()
}
