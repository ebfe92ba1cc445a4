//! The append-only ticket event log.

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
    write(conn, None, ticket, at, actor, kind).await
}

/// Writes one event under `id`, or else the next id: on a replica an event written locally
/// waits for the server's version of the ticket, so it gets a provisional (negative) id that
/// the server's ids never collide with.
async fn write(
    conn: &mut SqliteConnection,
    id: Option<i64>,
    ticket: TicketId,
    at: DateTime<Utc>,
    actor: Option<UserId>,
    kind: &EventKind,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO ticket_events (id, ticket_id, at, actor_id, kind, data, mark)
         VALUES (COALESCE(?, CASE WHEN EXISTS (SELECT 1 FROM settings WHERE key = 'replica' AND value = '1')
                      THEN (SELECT MIN(COALESCE(MIN(id), 0), 0) - 1 FROM ticket_events) END),
                 ?, ?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(ticket.0)
    .bind(to_ms(at))
    .bind(actor.map(|a| a.0))
    .bind(kind.name())
    .bind(to_json(kind))
    .bind(Mark::of(kind).map(Mark::code))
    .execute(conn)
    .await?;
    Ok(())
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
