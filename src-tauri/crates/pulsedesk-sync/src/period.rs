//! Reports reaching back past the replica's window of finished tickets: the period is read
//! from the team database (as the member may see it, row-level security applying) into a
//! workspace of its own, and the report runs there by the same code as on the replica.

use crate::error::SyncError;
use chrono::{DateTime, Utc};
use pulsedesk_core::clock::Clock;
use pulsedesk_shared::{Shared, SharedError};
use pulsedesk_store::Workspace;
use std::path::Path;
use std::sync::Arc;

/// A workspace at `path` (a new file) holding the team's setup and every ticket the
/// member can see that a report of `since..until` reads: still open, or logged, answered
/// or finished within the period. Read `chunk` tickets at a time
/// ([`PERIOD_CHUNK`](pulsedesk_shared::snapshot::PERIOD_CHUNK) unless testing).
pub async fn period_workspace(
    shared: &Shared,
    clock: Arc<dyn Clock>,
    path: &Path,
    (since, until): (DateTime<Utc>, DateTime<Utc>),
    chunk: usize,
) -> Result<Workspace, SyncError> {
    let mut period = shared.period(since, until, chunk).await?;
    let ws = Workspace::open_scratch(path, clock).await?;
    ws.become_replica().await?;
    ws.set_replica_member(shared.actor().id).await?;
    ws.apply_config(&period.config).await?;
    // Each chunk is written while the server's side reads the next.
    let mut tickets = 0;
    while let Some(chunk) = period.tickets.recv().await {
        let chunk = chunk?;
        ws.apply_tickets(&chunk, &[], None).await?;
        tickets += chunk.len();
    }
    if tickets != period.total {
        return Err(SyncError::Shared(SharedError::Unreachable(format!(
            "the period's read ended after {tickets} of {} tickets",
            period.total
        ))));
    }
    tracing::info!(
        tickets,
        %since,
        %until,
        "a past period read from the shared database for a report"
    );
    Ok(ws)
}
