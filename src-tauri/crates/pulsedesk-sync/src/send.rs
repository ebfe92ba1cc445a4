//! Sending the outbox: each command submitted in order with its id, settled when the team
//! service has decided it.

use crate::engine::Options;
use crate::error::SyncError;
use crate::pull::{catch_up, refresh};
use pulsedesk_core::command::Envelope;
use pulsedesk_core::ids::TicketId;
use pulsedesk_shared::submissions::Outcome;
use pulsedesk_shared::Shared;
use pulsedesk_store::Workspace;
use sqlx::PgConnection;

/// Commands submitted per round trip.
const BATCH: u32 = 64;

/// What a flush did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sent {
    pub sent: usize,
    pub refused: usize,
    /// Submitted, not yet decided by the team service (still pending in the outbox).
    pub waiting: usize,
    /// Tickets whose local view changed as a result.
    pub changed: Vec<TicketId>,
    /// Tickets logged here that the server numbered: (provisional id, the server's id).
    pub renumbered: Vec<(TicketId, TicketId)>,
    /// Whether the team's setup changed (seen while reading back).
    pub config: bool,
}

/// Submits every queued command, oldest first, and settles those the team service has
/// decided: applied ones leave the outbox, a refused one is kept with its reason. A command
/// still waiting for the service stays queued (the desktop shows it as pending) and is
/// settled by a later flush, when the service's decision wakes the engine; submitting it
/// again is harmless. A failure to reach the server stops the flush (the error is returned).
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
        let queue = ws.outbox_pending(BATCH).await?;
        if queue.is_empty() {
            break;
        }
        let envelopes: Vec<&Envelope> = queue.iter().map(|q| &q.envelope).collect();
        shared.submit(&mut *conn, &envelopes).await?;
        let ids: Vec<_> = queue.iter().map(|q| q.envelope.id).collect();
        let mut outcomes = shared.outcomes(&mut *conn, &ids).await?;
        let mut waiting = false;
        for queued in &queue {
            match outcomes.remove(&queued.envelope.id) {
                None => {
                    waiting = true;
                    out.waiting += 1;
                    continue;
                }
                Some(Outcome::Applied { ticket }) => {
                    ws.outbox_sent(queued, ticket).await?;
                    if let (Some(from), Some(to)) = (queued.ticket, ticket) {
                        if from.0 < 0 && from != to {
                            out.renumbered.push((from, to));
                        }
                    }
                    out.sent += 1;
                }
                Some(Outcome::Refused { reason, message }) => {
                    ws.outbox_refused(queued, &message, reason.as_ref()).await?;
                    out.refused += 1;
                }
            }
            // A ticket logged offline disappears with its provisional id.
            if let Some(t) = queued.ticket.filter(|t| t.0 < 0) {
                out.changed.push(t);
            }
        }
        if waiting {
            break;
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
