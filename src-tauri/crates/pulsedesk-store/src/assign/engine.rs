//! Draining the backlog: every unassigned ticket, urgent first then oldest, goes to the
//! best eligible agent; the rest are marked "waiting for capacity" (once, with an event),
//! and capacity episodes open and close.

use super::candidates::load_team;
use super::rules::load_rules;
use crate::rows::{count, decode};
use crate::sla::{load_book, refresh_tickets};
use crate::tickets::{append_event, apply_events, StateRow};
use crate::time::{from_ms, to_ms};
use crate::{StoreError, Workspace};
use chrono::{DateTime, Utc};
use pulsedesk_core::assign::waiting::{mark, Mark};
use pulsedesk_core::assign::{assignment_events, plan, Decision, Waiting};
use pulsedesk_core::ids::{TicketId, TicketTypeId, UserId};
use pulsedesk_core::kinds::{Presence, Tier, WaitReason};
use pulsedesk_core::ticket::EventKind;
use sqlx::SqliteConnection;

/// Tickets decided per transaction: big enough to amortise the reads, small enough that
/// other writers (agents' own edits) wait only milliseconds for the lock.
const BATCH: i64 = 500;

/// A capacity episode that began or ended during a drain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Episode {
    Started { id: i64, waiting: u32 },
    Ended { id: i64 },
}

/// What one drain did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DrainReport {
    pub assigned: Vec<(TicketId, UserId)>,
    /// Tickets that started waiting for capacity in this drain.
    pub newly_waiting: Vec<TicketId>,
    /// Tickets waiting for capacity after the drain.
    pub waiting: u32,
    pub episode: Option<Episode>,
}

#[derive(sqlx::FromRow)]
struct BacklogRow {
    #[sqlx(flatten)]
    state: StateRow,
    type_id: i64,
    tier: String,
    priority_rank: i64,
    waiting_since: Option<i64>,
    wait_reason: Option<String>,
}

/// The next backlog rows after `after` in drain order. Tickets of `blocked` types, already
/// marked, are skipped: their type's agents are full, so they would only wait again.
async fn backlog(
    conn: &mut SqliteConnection,
    after: (i64, i64, i64),
    only_unmarked: bool,
    blocked: &[i64],
) -> Result<Vec<BacklogRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, stage, assignee_id, outcome, round, version, created_at, first_response_at,
                resolved_at, type_id, tier, priority_rank, waiting_since, wait_reason
         FROM tickets
         WHERE stage = 'unassigned' AND assignee_id IS NULL
           AND (priority_rank, created_at, id) > (?1, ?2, ?3)
           AND (waiting_since IS NULL
                OR (NOT ?4 AND type_id NOT IN (SELECT value FROM json_each(?5))))
         ORDER BY priority_rank, created_at, id LIMIT ?6",
    )
    .bind(after.0)
    .bind(after.1)
    .bind(after.2)
    .bind(only_unmarked)
    .bind(serde_json::to_string(blocked).unwrap_or_else(|_| "[]".into()))
    .bind(BATCH)
    .fetch_all(conn)
    .await?)
}

async fn mark_waiting(
    conn: &mut SqliteConnection,
    row: &BacklogRow,
    reason: WaitReason,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE tickets SET waiting_since = ?, wait_reason = ?, version = version + 1
         WHERE id = ? AND version = ? AND waiting_since IS NULL",
    )
    .bind(to_ms(now))
    .bind(reason.as_str())
    .bind(row.state.id)
    .bind(row.state.version)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    let event = EventKind::CapacityWait { reason };
    append_event(conn, TicketId(row.state.id), now, None, &event).await?;
    Ok(true)
}

async fn waiting_count(conn: &mut SqliteConnection) -> Result<u32, StoreError> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM tickets
         WHERE stage = 'unassigned' AND assignee_id IS NULL AND waiting_since IS NOT NULL",
    )
    .fetch_one(conn)
    .await?;
    Ok(count(n))
}

/// Opens, extends or closes the capacity episode to match `waiting`.
async fn settle_episode(
    conn: &mut SqliteConnection,
    waiting: u32,
    now: DateTime<Utc>,
) -> Result<Option<Episode>, StoreError> {
    let open: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM capacity_episodes WHERE ended_at IS NULL")
            .fetch_optional(&mut *conn)
            .await?;
    match (open, waiting) {
        (None, 0) => Ok(None),
        (None, n) => {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO capacity_episodes (started_at, peak) VALUES (?, ?) RETURNING id",
            )
            .bind(to_ms(now))
            .bind(i64::from(n))
            .fetch_one(conn)
            .await?;
            Ok(Some(Episode::Started { id, waiting: n }))
        }
        (Some((id,)), 0) => {
            sqlx::query("UPDATE capacity_episodes SET ended_at = ? WHERE id = ?")
                .bind(to_ms(now))
                .bind(id)
                .execute(conn)
                .await?;
            Ok(Some(Episode::Ended { id }))
        }
        (Some((id,)), n) => {
            sqlx::query("UPDATE capacity_episodes SET peak = max(peak, ?) WHERE id = ?")
                .bind(i64::from(n))
                .bind(id)
                .execute(conn)
                .await?;
            Ok(None)
        }
    }
}

/// The open capacity episode, if any: its id, when it started and how many tickets wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenEpisode {
    pub id: i64,
    pub started_at: DateTime<Utc>,
    pub waiting: u32,
}

impl Workspace {
    /// Assigns every ticket in the backlog that an eligible agent can take, in order, and
    /// marks the others as waiting for capacity. Safe to run from several desktops at once.
    pub async fn assign_waiting(&self) -> Result<DrainReport, StoreError> {
        self.local_only(pulsedesk_core::reason::Feature::AutomaticAssignment)?;
        let mut report = DrainReport::default();
        let mut after = (i64::MIN, i64::MIN, i64::MIN);
        let mut blocked: Vec<i64> = Vec::new();
        loop {
            let now = self.clock.now();
            let mut tx = self.begin_write().await?;
            let rules = load_rules(&mut tx).await?;
            if !rules.auto {
                // Assigning by hand: nothing waits "for capacity".
                sqlx::query(
                    "UPDATE tickets SET waiting_since = NULL, wait_reason = NULL
                     WHERE waiting_since IS NOT NULL",
                )
                .execute(&mut *tx)
                .await?;
                report.episode = settle_episode(&mut tx, 0, now).await?;
                tx.commit().await?;
                return Ok(report);
            }
            let mut team = load_team(&mut tx, now).await?;
            let any_free = team
                .iter()
                .any(|c| c.presence == Presence::Online && c.load < c.cap);
            let rows = backlog(&mut tx, after, !any_free, &blocked).await?;
            let last_batch = rows.len() < usize::try_from(BATCH).unwrap_or(usize::MAX);
            if let Some(last) = rows.last() {
                after = (last.priority_rank, last.state.created_at, last.state.id);
            }
            let waiting = rows
                .iter()
                .map(|r| {
                    Ok(Waiting {
                        id: TicketId(r.state.id),
                        type_id: TicketTypeId(r.type_id),
                        tier: decode(Tier::parse, &r.tier, "tier")?,
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            let planned = plan(&waiting, &rules, &mut team, now);
            let mut assigned = Vec::new();
            for (row, p) in rows.iter().zip(planned) {
                match p.decision {
                    Decision::Assign { to, why } => {
                        let events = assignment_events(to, why);
                        apply_events(&mut tx, &row.state, None, now, &events).await?;
                        assigned.push(p.ticket);
                        report.assigned.push((p.ticket, to));
                    }
                    Decision::Wait { reason } => {
                        if !blocked.contains(&row.type_id) {
                            blocked.push(row.type_id);
                        }
                        let now_for = row.wait_reason.as_deref().and_then(WaitReason::parse);
                        match mark(row.waiting_since.is_some(), now_for, reason) {
                            Mark::Start => {
                                if mark_waiting(&mut tx, row, reason, now).await? {
                                    report.newly_waiting.push(p.ticket);
                                }
                            }
                            Mark::Reason => {
                                sqlx::query("UPDATE tickets SET wait_reason = ? WHERE id = ?")
                                    .bind(reason.as_str())
                                    .bind(row.state.id)
                                    .execute(&mut *tx)
                                    .await?;
                            }
                            Mark::Same => {}
                        }
                    }
                }
            }
            if !assigned.is_empty() {
                let book = load_book(&mut tx).await?;
                refresh_tickets(&mut tx, &book, Some(&assigned), now).await?;
            }
            if last_batch {
                report.waiting = waiting_count(&mut tx).await?;
                report.episode = settle_episode(&mut tx, report.waiting, now).await?;
            }
            tx.commit().await?;
            if last_batch {
                return Ok(report);
            }
        }
    }

    /// Opens, extends or closes the capacity episode to match the tickets waiting now (on a
    /// team replica, where the team service marks them: each desktop keeps its own
    /// episodes, so its supervisor hears once per episode).
    pub async fn settle_capacity_episode(&self) -> Result<Option<Episode>, StoreError> {
        // Read first: most pulls change nothing here, and a write would hold up the next.
        {
            let mut conn = self.pool.acquire().await?;
            let waiting = waiting_count(&mut conn).await?;
            let open: Option<(i64,)> =
                sqlx::query_as("SELECT peak FROM capacity_episodes WHERE ended_at IS NULL")
                    .fetch_optional(&mut *conn)
                    .await?;
            let unchanged = match open {
                None => waiting == 0,
                Some((peak,)) => waiting > 0 && i64::from(waiting) <= peak,
            };
            if unchanged {
                return Ok(None);
            }
        }
        let now = self.clock.now();
        let mut tx = self.begin_write().await?;
        let waiting = waiting_count(&mut tx).await?;
        let episode = settle_episode(&mut tx, waiting, now).await?;
        tx.commit().await?;
        Ok(episode)
    }

    /// The capacity episode under way, if tickets are waiting for capacity now.
    pub async fn open_capacity_episode(&self) -> Result<Option<OpenEpisode>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let row: Option<(i64, i64)> =
            sqlx::query_as("SELECT id, started_at FROM capacity_episodes WHERE ended_at IS NULL")
                .fetch_optional(&mut *conn)
                .await?;
        let Some((id, started_at)) = row else {
            return Ok(None);
        };
        Ok(Some(OpenEpisode {
            id,
            started_at: from_ms(started_at)?,
            waiting: waiting_count(&mut conn).await?,
        }))
    }
}
