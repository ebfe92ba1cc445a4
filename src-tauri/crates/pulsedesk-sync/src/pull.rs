//! Bringing the replica up to the server's state: a first full read, then the change feed.

use crate::engine::Options;
use crate::error::SyncError;
use pulsedesk_core::ids::TicketId;
use pulsedesk_core::replica::{keeps, After, TicketSnapshot};
use pulsedesk_shared::feed::{self, Cursor};
use pulsedesk_shared::{snapshot, Shared};
use pulsedesk_store::{Applied, Workspace};
use sqlx::PgConnection;
use std::collections::HashSet;

/// What a pull brought.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pulled {
    /// Tickets whose local view changed.
    pub changed: Vec<TicketId>,
    /// Whether the team's setup changed.
    pub config: bool,
    /// Feed rows read.
    pub rows: usize,
    /// Finished changes wait behind a transaction still running ([`feed::Batch::held`]).
    pub held: bool,
    /// Something was left out that this build cannot read ([`Applied::unreadable`],
    /// [`Applied::partial`]).
    pub left_out: bool,
}

/// Fills an empty replica: the setup, every ticket the member may see (open, or finished
/// within the window) and the cursor they are consistent with.
pub async fn start_replica(
    ws: &Workspace,
    shared: &Shared,
    options: &Options,
) -> Result<Pulled, SyncError> {
    let now = ws.clock().now();
    let start = shared
        .start(now - chrono::Duration::days(options.window_days))
        .await?;
    ws.apply_config(&start.config).await?;
    let fresh: HashSet<i64> = start.tickets.iter().map(|t| t.id).collect();
    let gone: Vec<TicketId> = ws
        .replica_ticket_ids()
        .await?
        .into_iter()
        .filter(|t| !fresh.contains(&t.0))
        .collect();
    let applied = ws
        .apply_tickets(&start.tickets, &gone, Some(&encode(start.cursor)))
        .await?;
    // A bulk load: statistics for the planner now, not at the next start.
    ws.analyze().await?;
    tracing::info!(
        tickets = applied.written.len(),
        "replica filled from the shared database"
    );
    Ok(Pulled {
        changed: applied.changed().collect(),
        config: true,
        rows: 0,
        held: false,
        left_out: left_out(&applied),
    })
}

/// Reads the feed after the replica's cursor until it is drained, applying each batch
/// (tickets — their rows and new entries — and cursor together). Starts the replica if it
/// has never been filled.
///
/// On `conn`: a sync session keeps one connection for its pulls and sends, since the pool
/// checks every connection given back to it with a round trip to the server.
pub async fn catch_up(
    conn: &mut PgConnection,
    ws: &Workspace,
    shared: &Shared,
    options: &Options,
) -> Result<Pulled, SyncError> {
    let Some(text) = ws.replica_cursor().await? else {
        return start_replica(ws, shared, options).await;
    };
    let mut cursor: Cursor = serde_json::from_str(&text).map_err(|e| {
        SyncError::Store(pulsedesk_store::StoreError::Corrupt(format!(
            "replica cursor: {e}"
        )))
    })?;
    let mut out = Pulled::default();
    loop {
        let batch = feed::pull(&mut *conn, cursor, options.batch).await?;
        out.held = batch.held;
        if batch.rows == 0 {
            break;
        }
        if batch.config {
            let config = snapshot::config(&mut *conn).await?;
            ws.apply_config(&config).await?;
            out.config = true;
        }
        // Only what followed the replica's entries: a long conversation is not read again
        // on every change.
        let asks = ws.replica_after(&batch.tickets).await?;
        let found = snapshot::following(&mut *conn, &asks).await?;
        let (keep, gone) = split(ws, &batch.tickets, found, options);
        let applied = ws
            .apply_tickets(&keep, &gone, Some(&encode(batch.next)))
            .await?;
        out.changed.extend(applied.changed());
        out.left_out |= left_out(&applied);
        out.rows += batch.rows;
        cursor = batch.next;
        if i64::try_from(batch.rows).unwrap_or(i64::MAX) < options.batch {
            break;
        }
    }
    Ok(out)
}

/// Reads `ids` again from the server (their queued changes settled): their rows, and the
/// entries after those the replica holds (its provisional ones then give way).
pub(crate) async fn refresh(
    conn: &mut PgConnection,
    ws: &Workspace,
    ids: &[TicketId],
    options: &Options,
) -> Result<Vec<TicketId>, SyncError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let asks = ws.replica_after(ids).await?;
    read_again(conn, ws, ids, &asks, options).await
}

/// Reads `ids` again whole from the server: tickets the replica could not hold whole
/// ([`Workspace::unreadable_tickets`]). A newer build, or a row repaired on the server, then
/// fills in what was left out; what still cannot be read stays counted.
pub(crate) async fn reread_whole(
    conn: &mut PgConnection,
    ws: &Workspace,
    ids: &[TicketId],
    options: &Options,
) -> Result<Vec<TicketId>, SyncError> {
    let asks: Vec<(TicketId, After)> = ids.iter().map(|t| (*t, After::default())).collect();
    read_again(conn, ws, ids, &asks, options).await
}

/// Reads `ids` as `asks` says (whole, or what followed the replica's entries) and writes
/// them; returns the tickets whose local view changed.
async fn read_again(
    conn: &mut PgConnection,
    ws: &Workspace,
    ids: &[TicketId],
    asks: &[(TicketId, After)],
    options: &Options,
) -> Result<Vec<TicketId>, SyncError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let found = snapshot::following(&mut *conn, asks).await?;
    let (keep, gone) = split(ws, ids, found, options);
    let applied = ws.apply_tickets(&keep, &gone, None).await?;
    Ok(applied.changed().collect())
}

fn left_out(applied: &Applied) -> bool {
    !applied.unreadable.is_empty() || !applied.partial.is_empty()
}

/// Splits what the server returned for `asked` into tickets to keep and ids to drop (not
/// visible to the member any more, or finished before the window).
fn split(
    ws: &Workspace,
    asked: &[TicketId],
    found: Vec<TicketSnapshot>,
    options: &Options,
) -> (Vec<TicketSnapshot>, Vec<TicketId>) {
    let now = ws.clock().now();
    let seen: HashSet<i64> = found.iter().map(|t| t.id).collect();
    let mut gone: Vec<TicketId> = asked
        .iter()
        .filter(|t| !seen.contains(&t.0))
        .copied()
        .collect();
    let (keep, old): (Vec<_>, Vec<_>) = found
        .into_iter()
        .partition(|t| keeps(t, now, options.window_days));
    gone.extend(old.iter().map(|t| TicketId(t.id)));
    (keep, gone)
}

fn encode(cursor: Cursor) -> String {
    // A struct of two integers always serialises.
    serde_json::to_string(&cursor).unwrap_or_default()
}
