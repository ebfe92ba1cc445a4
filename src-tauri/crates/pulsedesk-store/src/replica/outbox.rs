//! The outbox: the member's commands, in order, until the server has applied or refused them.

use crate::batch::Batch;
use crate::rows::{count, to_json};
use crate::time::{from_ms, to_ms};
use crate::{StoreError, Workspace};
use chrono::{DateTime, Utc};
use pulsedesk_core::command::{Command, Envelope};
use pulsedesk_core::ids::TicketId;
use pulsedesk_core::reason::Reason;
use serde::Serialize;
use sqlx::SqliteConnection;
use ts_rs::TS;
use uuid::Uuid;

/// A command waiting to be sent, with the ticket it was made on (a provisional id for a
/// ticket logged offline).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    pub seq: i64,
    pub ticket: Option<TicketId>,
    pub envelope: Envelope,
}

/// How many commands wait, and how many the server refused (not yet dismissed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct OutboxCounts {
    pub pending: u32,
    pub rejected: u32,
}

/// A command the server refused, with its reason, kept for the member to see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Rejection {
    pub id: String,
    pub ticket: Option<TicketId>,
    /// The command's name (claim, move, add_note, …).
    pub kind: String,
    /// The server's reason in English (logs; older desktops' records).
    pub reason: String,
    /// The server's reason as a code the UI shows in the member's language.
    pub why: Option<Reason>,
    pub queued_at: DateTime<Utc>,
}

/// The outbox's one kind of bookkeeping rather than a member's edit: an SLA alert seen
/// here. It is not counted as an unsent change, and a refusal (the ticket went to someone
/// else, whose desktop records it) is not the member's to see.
const BOOKKEEPING: &str = "record_sla_alert";

/// id, ticket, kind, reason, typed reason, queued at.
type RejectionRow = (
    String,
    Option<i64>,
    String,
    Option<String>,
    Option<String>,
    i64,
);

/// Queues `envelope` (inside the transaction that applied it locally).
pub(crate) async fn queue(
    conn: &mut SqliteConnection,
    ticket: Option<TicketId>,
    envelope: &Envelope,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO outbox (id, ticket_id, kind, body, queued_at) VALUES (?, ?, ?, ?, ?)")
        .bind(envelope.id.to_string())
        .bind(ticket.map(|t| t.0))
        .bind(envelope.command.name())
        .bind(to_json(envelope))
        .bind(to_ms(envelope.at))
        .execute(conn)
        .await?;
    Ok(())
}

impl Workspace {
    /// Queues `command` on `ticket` if this workspace is a replica.
    pub(crate) async fn queue_if_replica(
        &self,
        conn: &mut SqliteConnection,
        ticket: Option<TicketId>,
        command: Command,
    ) -> Result<(), StoreError> {
        self.queue_if_replica_at(conn, ticket, command, self.clock.now())
            .await
    }

    /// [`Self::queue_if_replica`] for a command about an earlier instant `at` (an SLA
    /// threshold crossed while nothing was watching).
    pub(crate) async fn queue_if_replica_at(
        &self,
        conn: &mut SqliteConnection,
        ticket: Option<TicketId>,
        command: Command,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if self.is_replica() {
            queue(conn, ticket, &Envelope::new(at, command)).await?;
        }
        Ok(())
    }

    /// The oldest `limit` commands waiting to be sent, in the order they were made.
    pub async fn outbox_pending(&self, limit: u32) -> Result<Vec<Queued>, StoreError> {
        let rows: Vec<(i64, Option<i64>, String)> = sqlx::query_as(
            "SELECT seq, ticket_id, body FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT ?",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(seq, ticket, body)| {
                let envelope: Envelope = serde_json::from_str(&body)
                    .map_err(|e| StoreError::Corrupt(format!("outbox entry {seq}: {e}")))?;
                Ok(Queued {
                    seq,
                    ticket: ticket.map(TicketId),
                    envelope,
                })
            })
            .collect()
    }

    /// The server applied the command (now or before): it leaves the outbox. A ticket
    /// logged offline leaves with it — the server's numbered ticket replaces it.
    /// `settled` is the server's ticket it changed (or created): it is read again.
    pub async fn outbox_sent(
        &self,
        queued: &Queued,
        settled: Option<TicketId>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        drop_provisional(&mut tx, queued).await?;
        // One call to the driver for the rest (see `Batch`).
        let mut batch = Batch::new();
        batch
            .statement()
            .push("DELETE FROM outbox WHERE seq = ")
            .push_bind(queued.seq);
        let stale: Vec<i64> = [queued.ticket, settled]
            .into_iter()
            .flatten()
            .filter(|t| t.0 > 0)
            .map(|t| t.0)
            .collect();
        if !stale.is_empty() {
            batch
                .statement()
                .push("INSERT OR IGNORE INTO replica_stale (ticket_id) ")
                .push_values(stale, |mut b, t| {
                    b.push_bind(t);
                });
        }
        batch.fetch(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The server refused the command: it stays, with `reason`, until the member dismisses
    /// it; the ticket is no longer held back from the server's state.
    pub async fn outbox_refused(
        &self,
        queued: &Queued,
        reason: &str,
        why: Option<&Reason>,
    ) -> Result<(), StoreError> {
        let why = why.map(to_json);
        let mut tx = self.begin_write().await?;
        if queued.envelope.command.name() == BOOKKEEPING {
            sqlx::query("DELETE FROM outbox WHERE seq = ?")
                .bind(queued.seq)
                .execute(&mut *tx)
                .await?;
        } else {
            sqlx::query(
                "UPDATE outbox SET state = 'rejected', reason = ?, refusal = ? WHERE seq = ?",
            )
            .bind(reason)
            .bind(why)
            .bind(queued.seq)
            .execute(&mut *tx)
            .await?;
        }
        drop_provisional(&mut tx, queued).await?;
        mark_stale(&mut tx, queued.ticket).await?;
        tx.commit().await?;
        tracing::warn!(command = %queued.envelope.command.name(), %reason, "the server refused a queued change");
        Ok(())
    }

    /// The member's edits that wait, and those that were refused.
    pub async fn outbox_counts(&self) -> Result<OutboxCounts, StoreError> {
        let (pending, rejected): (i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(state = 'pending'), 0), COALESCE(SUM(state = 'rejected'), 0)
             FROM outbox WHERE kind <> ?",
        )
        .bind(BOOKKEEPING)
        .fetch_one(&self.pool)
        .await?;
        Ok(OutboxCounts {
            pending: count(pending),
            rejected: count(rejected),
        })
    }

    /// The refused commands, newest first.
    pub async fn outbox_rejections(&self) -> Result<Vec<Rejection>, StoreError> {
        let rows: Vec<RejectionRow> = sqlx::query_as(
            "SELECT id, ticket_id, kind, reason, refusal, queued_at FROM outbox
             WHERE state = 'rejected' ORDER BY seq DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, ticket, kind, reason, why, at)| {
                Ok(Rejection {
                    id,
                    ticket: ticket.filter(|t| *t > 0).map(TicketId),
                    kind,
                    reason: reason.unwrap_or_default(),
                    // A reason this version does not know shows as its English text.
                    why: why.and_then(|w| serde_json::from_str(&w).ok()),
                    queued_at: from_ms(at)?,
                })
            })
            .collect()
    }

    /// The member has seen a refusal.
    pub async fn dismiss_rejection(&self, id: &str) -> Result<(), StoreError> {
        let parsed = Uuid::parse_str(id)
            .map_err(|_| StoreError::NotFound("refused change"))?
            .to_string();
        let done = sqlx::query("DELETE FROM outbox WHERE id = ? AND state = 'rejected'")
            .bind(parsed)
            .execute(&self.writer)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("refused change"));
        }
        Ok(())
    }

    /// Tickets to read again from the server (their queued changes have settled).
    pub async fn stale_tickets(&self) -> Result<Vec<TicketId>, StoreError> {
        let rows: Vec<(i64,)> =
            sqlx::query_as("SELECT ticket_id FROM replica_stale ORDER BY ticket_id")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|r| TicketId(r.0)).collect())
    }

    /// Whether `ticket` has changes not yet sent.
    pub async fn has_unsent(&self, ticket: TicketId) -> Result<bool, StoreError> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT 1 FROM outbox WHERE ticket_id = ? AND state = 'pending' LIMIT 1",
        )
        .bind(ticket.0)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some())
    }
}

/// Removes the provisional ticket (and new customer) a queued ticket creation made locally.
async fn drop_provisional(conn: &mut SqliteConnection, queued: &Queued) -> Result<(), StoreError> {
    let (Command::CreateTicket { .. }, Some(ticket)) = (&queued.envelope.command, queued.ticket)
    else {
        return Ok(());
    };
    if ticket.0 >= 0 {
        return Ok(());
    }
    let customer: Option<(i64,)> = sqlx::query_as("SELECT customer_id FROM tickets WHERE id = ?")
        .bind(ticket.0)
        .fetch_optional(&mut *conn)
        .await?;
    super::apply::remove_ticket(&mut *conn, ticket).await?;
    if let Some((customer,)) = customer.filter(|c| c.0 < 0) {
        sqlx::query("DELETE FROM customers WHERE id = ?")
            .bind(customer)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Marks a server ticket to be read again.
async fn mark_stale(
    conn: &mut SqliteConnection,
    ticket: Option<TicketId>,
) -> Result<(), StoreError> {
    if let Some(t) = ticket.filter(|t| t.0 > 0) {
        sqlx::query("INSERT OR IGNORE INTO replica_stale (ticket_id) VALUES (?)")
            .bind(t.0)
            .execute(conn)
            .await?;
    }
    Ok(())
}
