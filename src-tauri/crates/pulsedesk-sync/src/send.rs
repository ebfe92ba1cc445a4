//! Sending the outbox: in order, each command with its id, until it is empty.

use crate::engine::Options;
use crate::error::SyncError;
use crate::pull::{catch_up, refresh};
use pulsedesk_core::command::Applied;
use pulsedesk_core::ids::TicketId;
use pulsedesk_shared::Shared;
use pulsedesk_store::Workspace;
use sqlx::PgConnection;

/// What a flush did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sent {
    pub sent: usize,
    pub refused: usize,
    /// Tickets whose local view changed as a result.
    pub changed: Vec<TicketId>,
    /// Tickets logged here that the server numbered: (provisional id, the server's id).
    pub renumbered: Vec<(TicketId, TicketId)>,
    /// Whether the team's setup changed (seen while reading back).
    pub config: bool,
}

/// Sends every queued command, oldest first. A command the server refuses is kept with its
/// reason; one it cannot answer stops the flush (the error is returned, the command stays
/// queued and is resent later with the same id).
///
/// Then it reads back: first the feed, which holds every change the server just applied
/// (the same pull the wake-up would make, so that one finds nothing new), then — by id —
/// only the settled tickets the feed did not cover (a refusal changes nothing on the
/// server; an already-applied command's change may have been passed while held).
///
/// On `conn`, the sync session's own connection (see [`catch_up`]).
pub async fn flush(
    conn: &mut PgConnection,
    ws: &Workspace,
    shared: &Shared,
    options: &Options,
) -> Result<Sent, SyncError> {
    let mut out = Sent::default();
    loop {
        let queue = ws.outbox_pending(64).await?;
        if queue.is_empty() {
            break;
        }
        for queued in queue {
            match shared.apply_on(&mut *conn, &queued.envelope).await {
                Ok(Applied::Done { ticket }) => {
                    ws.outbox_sent(&queued, Some(ticket)).await?;
                    if let Some(from) = queued.ticket.filter(|t| t.0 < 0 && *t != ticket) {
                        out.renumbered.push((from, ticket));
                    }
                    out.sent += 1;
                }
                Ok(Applied::AlreadyApplied) => {
                    ws.outbox_sent(&queued, None).await?;
                    out.sent += 1;
                }
                Err(e) if e.is_refusal() => {
                    ws.outbox_refused(&queued, &e.to_string(), e.reason().as_ref())
                        .await?;
                    out.refused += 1;
                }
                Err(e) => return Err(e.into()),
            }
            // A ticket logged offline disappears with its provisional id.
            if let Some(t) = queued.ticket.filter(|t| t.0 < 0) {
                out.changed.push(t);
            }
        }
    }
    if out.sent > 0 {
        let pulled = catch_up(&mut *conn, ws, shared, options).await?;
        out.changed.extend(pulled.changed);
        out.config = pulled.config;
    }
    let stale = ws.stale_tickets().await?;
    out.changed
        .extend(refresh(&mut *conn, ws, &stale, options).await?);
    Ok(out)
}
