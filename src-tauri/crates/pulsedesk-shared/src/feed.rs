//! The change feed: what changed since a desktop's durable cursor.
//!
//! Sequence values are handed out when a row is inserted, not when its transaction commits,
//! so a feed read by `seq` alone can pass over a row whose transaction commits later with a
//! smaller number. Each change row also records its transaction id (`xid8`); a pull returns
//! only rows of transactions older than the oldest one still running
//! (`pg_snapshot_xmin(pg_current_snapshot())`) — all of them finished — in (xid, seq) order.
//! Any row committed later belongs to a transaction at or above that horizon, so it sorts
//! after the cursor: nothing is skipped. The price is that a long-running transaction holds
//! the feed back until it ends (it delays, never loses).

use crate::SharedError;
use pulsedesk_core::ids::TicketId;
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;

/// How far a desktop has read the feed. Kept durably; starts at the default (the beginning).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Cursor {
    pub xid: u64,
    pub seq: i64,
}

/// One pull: the tickets that changed (each once, in feed order), whether the configuration
/// changed, and the cursor to continue from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Batch {
    pub tickets: Vec<TicketId>,
    pub config: bool,
    pub next: Cursor,
    /// Rows read; a full batch (`== limit`) means more may be waiting.
    pub rows: usize,
    /// Finished changes are waiting behind a transaction still running (they come in the
    /// pull after it ends). The transaction that holds them back may notify nobody when
    /// it ends, so the puller must look again soon rather than wait for a wake-up.
    pub held: bool,
}

/// Reads up to `limit` finished changes after `after`.
pub async fn pull(
    conn: &mut PgConnection,
    after: Cursor,
    limit: i64,
) -> Result<Batch, SharedError> {
    type FeedRow = (Option<String>, Option<i64>, Option<i64>, String);
    let rows: Vec<FeedRow> = sqlx::query_as(
        // The text form gets its own name: a bare `ORDER BY xid` would sort by the output
        // column, as text ("1000" before "999"), and skip rows when xids gain a digit.
        // A last row of kind `held` says finished changes wait behind the horizon.
        "(SELECT xid::text AS xid_text, seq, ticket_id, kind FROM changes
          WHERE (xid, seq) > ($1::text::xid8, $2)
            AND xid < pg_snapshot_xmin(pg_current_snapshot())
          ORDER BY changes.xid, changes.seq
          LIMIT $3)
         UNION ALL
         SELECT NULL, NULL, NULL, 'held'
         WHERE EXISTS (SELECT 1 FROM changes
                       WHERE (xid, seq) > ($1::text::xid8, $2)
                         AND xid >= pg_snapshot_xmin(pg_current_snapshot()))",
    )
    .bind(after.xid.to_string())
    .bind(after.seq)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let mut batch = Batch {
        next: after,
        ..Batch::default()
    };
    let mut seen = std::collections::HashSet::new();
    for (xid, seq, ticket, kind) in rows {
        let (Some(xid), Some(seq)) = (xid, seq) else {
            if kind == "held" {
                batch.held = true;
                continue;
            }
            return Err(SharedError::Corrupt(format!(
                "change of kind {kind} without a place"
            )));
        };
        batch.rows += 1;
        let xid = xid
            .parse::<u64>()
            .map_err(|_| SharedError::Corrupt(format!("change xid {xid}")))?;
        batch.next = Cursor { xid, seq };
        match (kind.as_str(), ticket) {
            ("ticket", Some(t)) => {
                if seen.insert(t) {
                    batch.tickets.push(TicketId(t));
                }
            }
            ("config", _) => batch.config = true,
            _ => return Err(SharedError::Corrupt(format!("change {seq} of kind {kind}"))),
        }
    }
    Ok(batch)
}
