//! Reading ahead: the service reads the tickets of a run of commands at once.

use super::{found, Found, StateRow};
use crate::command::{Command, Envelope};
use crate::SharedError;
use pulsedesk_core::ids::TicketId;
use sqlx::PgConnection;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// Tickets read ahead for a run of commands the service applies on one connection, in one
/// statement, with the commands' ids found already applied: a note or a stage move then
/// needs only its write. A ticket another connection changed meanwhile fails the write's
/// version check and is read again; a command is never refused on an early read.
#[derive(Default)]
pub(crate) struct ReadAhead {
    tickets: HashMap<TicketId, Found>,
    applied: HashSet<Uuid>,
}

impl ReadAhead {
    /// Reads `tickets` (and which of `ids` were applied before) in one statement each.
    pub(crate) async fn read(
        conn: &mut PgConnection,
        tickets: &[i64],
        ids: &[Uuid],
    ) -> Result<ReadAhead, SharedError> {
        let mut ahead = ReadAhead::default();
        if tickets.is_empty() {
            return Ok(ahead);
        }
        let rows: Vec<StateRow> = sqlx::query_as(
            "SELECT id, version, stage, assignee_id, outcome, round, created_at, first_response_at,
                    resolved_at, priority, false
             FROM tickets WHERE id = ANY($1)",
        )
        .bind(tickets)
        .fetch_all(&mut *conn)
        .await?;
        for row in rows {
            let found = found(row)?;
            ahead.tickets.insert(found.id, found);
        }
        let applied: Vec<(Uuid,)> = sqlx::query_as("SELECT id FROM commands WHERE id = ANY($1)")
            .bind(ids)
            .fetch_all(&mut *conn)
            .await?;
        ahead.applied = applied.into_iter().map(|(id,)| id).collect();
        Ok(ahead)
    }

    /// The ticket as read ahead, for `envelope` (taken: a second use reads it again).
    pub(super) fn take(&mut self, ticket: TicketId, envelope: &Envelope) -> Option<Found> {
        let mut found = self.tickets.remove(&ticket)?;
        found.seen = self.applied.contains(&envelope.id);
        Some(found)
    }

    /// The ticket as this connection just wrote it.
    pub(super) fn keep(&mut self, found: Found) {
        self.tickets.insert(found.id, found);
    }

    pub(super) fn forget(&mut self, ticket: TicketId) {
        self.tickets.remove(&ticket);
    }
}

/// The ticket a command names, if any.
pub(super) fn ticket_of(command: &Command) -> Option<TicketId> {
    match command {
        Command::Ticket { ticket, .. }
        | Command::AddNote { ticket, .. }
        | Command::ChangePriority { ticket, .. }
        | Command::RevealCustomer { ticket }
        | Command::RecordSlaAlert { ticket, .. } => Some(*ticket),
        Command::CreateTicket { .. } => None,
    }
}
