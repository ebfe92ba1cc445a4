//! The team's assigner: the team service holding the assigner's lease ([`crate::lease`]).
//! The lease ends with its connection — the service stopped, crashed or lost its network —
//! and a standing-by service takes the seat.
//!
//! The seat holder plans with the core's rules ([`pulsedesk_core::assign::plan`]) on one
//! read of the pool and the team, then writes each assignment in a transaction of its own
//! once the core has confirmed it against the ticket and the agent as they are then, under
//! their row locks ([`pulsedesk_core::assign::confirm`]: still in the pool; the agent still
//! active, online, skilled and below their cap). Members' commands apply meanwhile, so a
//! plan made on a stale view is dropped — and made again on the next drain — never
//! written wrongly. No rule of it lives in the database.

use crate::lease::{Lease, LeaseName};
use crate::tickets::{hold, write_held};
use crate::{Shared, SharedError};
use chrono::{DateTime, Utc};
use pulsedesk_core::assign::presence::effective;
use pulsedesk_core::assign::waiting::{mark, Mark};
use pulsedesk_core::assign::{
    confirm, plan, AssignRules, AssignWhy, Candidate, Decision, Need, Waiting,
};
use pulsedesk_core::ids::{TicketId, TicketTypeId, UserId};
use pulsedesk_core::kinds::{Presence, Tier, WaitReason};
use pulsedesk_core::ticket::EventKind;
use sqlx::types::Json;
use sqlx::{Connection, PgConnection};

/// Pool tickets decided per round trip.
const BATCH: i64 = 500;

/// The assigner's seat: the lease, and a connection of its own that assigns. Dropping it
/// closes both and so frees the seat.
pub struct Seat {
    lease: Lease,
    conn: PgConnection,
}

/// What one drain did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drained {
    pub assigned: Vec<(TicketId, UserId)>,
    /// Decisions the server refused because the ticket or the agent had moved on meanwhile
    /// (they are decided again on the next drain).
    pub refused: u32,
    /// Tickets marked waiting for capacity (a wait started, or its reason changed).
    pub waiting: Vec<TicketId>,
}

/// A pool ticket as a drain reads it: id, type, tier, rank, logged, waiting, why.
type PoolRow = (i64, i64, String, i32, DateTime<Utc>, bool, Option<String>);

type TeamRow = (
    i64,
    String,
    i32,
    String,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    i64,
    Vec<String>,
    DateTime<Utc>,
);

impl Shared {
    /// Tries to take the assigner's seat; `None` while another service holds it.
    pub async fn take_assigner_seat(&self) -> Result<Option<Seat>, SharedError> {
        let Some(lease) = self.take_lease(LeaseName::Assigner).await? else {
            return Ok(None);
        };
        let conn = self.pool.acquire().await?.detach();
        Ok(Some(Seat { lease, conn }))
    }
}

impl Seat {
    /// Assigns every pool ticket an eligible agent can take now, urgent first, then oldest.
    /// `now` stamps the assignments.
    pub async fn drain(&mut self, now: DateTime<Utc>) -> Result<Drained, SharedError> {
        let mut out = Drained::default();
        let rules = self.rules().await?;
        if !rules.auto {
            // Assigning by hand: nothing waits "for capacity".
            sqlx::query(
                "UPDATE tickets SET waiting_since = NULL, wait_reason = NULL, version = version + 1
                 WHERE waiting_since IS NOT NULL",
            )
            .execute(&mut self.conn)
            .await?;
            return Ok(out);
        }
        // The team is read once the pool has a ticket: a drain runs after every pull, and
        // most find the pool empty.
        let mut team: Option<Vec<Candidate>> = None;
        let mut after: Option<(i32, DateTime<Utc>, i64)> = None;
        // While nobody has room, tickets already waiting would only wait on: the rest of the
        // pool is read without them.
        let mut only_unmarked = false;
        loop {
            let rows: Vec<PoolRow> = sqlx::query_as(
                "SELECT id, type_id, tier, priority_rank, created_at, waiting_since IS NOT NULL,
                        wait_reason
                 FROM tickets
                 WHERE stage = 'unassigned' AND assignee_id IS NULL
                   AND ($1::integer IS NULL OR (priority_rank, created_at, id) > ($1, $2, $3))
                   AND (NOT $5 OR waiting_since IS NULL)
                 ORDER BY priority_rank, created_at, id LIMIT $4",
            )
            .bind(after.map(|a| a.0))
            .bind(after.map(|a| a.1))
            .bind(after.map(|a| a.2))
            .bind(BATCH)
            .bind(only_unmarked)
            .fetch_all(&mut self.conn)
            .await?;
            let Some(last) = rows.last() else {
                return Ok(out);
            };
            let team = match &mut team {
                Some(t) => t,
                None => team.insert(self.team().await?),
            };
            only_unmarked = !team
                .iter()
                .any(|c| c.presence == Presence::Online && c.load < c.cap);
            after = Some((last.3, last.4, last.0));
            let full = i64::try_from(rows.len()).unwrap_or(i64::MAX) == BATCH;
            let waiting = rows
                .iter()
                .map(|(id, type_id, tier, ..)| {
                    Ok(Waiting {
                        id: TicketId(*id),
                        type_id: TicketTypeId(*type_id),
                        tier: Tier::parse(tier)
                            .ok_or_else(|| SharedError::Corrupt(format!("tier {tier}")))?,
                    })
                })
                .collect::<Result<Vec<_>, SharedError>>()?;
            let planned = plan(&waiting, &rules, team, now);
            for ((p, w), row) in planned.into_iter().zip(&waiting).zip(&rows) {
                match p.decision {
                    Decision::Assign { to, why } => {
                        let need = rules.need(w.type_id, w.tier);
                        match self.assign(p.ticket, need, to, why, now).await? {
                            true => out.assigned.push((p.ticket, to)),
                            false => out.refused += 1,
                        }
                    }
                    Decision::Wait { reason } => {
                        let known = row.6.as_deref().and_then(WaitReason::parse);
                        let marked = match mark(row.5, known, reason) {
                            Mark::Same => false,
                            m => self.wait(p.ticket, m, reason, now).await?,
                        };
                        if marked {
                            out.waiting.push(p.ticket);
                        }
                    }
                }
            }
            if !full {
                return Ok(out);
            }
        }
    }

    /// Whether this connection still holds the seat (false after the server restarted or
    /// the connection broke; an error means the same).
    pub async fn holds(&mut self) -> Result<bool, SharedError> {
        Ok(self.lease.held().await)
    }

    /// Gives the seat up at once (another service may take it on its next try). A
    /// connection that no longer answers is simply dropped.
    pub async fn release(self) {
        self.lease.release().await;
        let _ = tokio::time::timeout(std::time::Duration::from_secs(1), self.conn.close()).await;
    }

    async fn rules(&mut self) -> Result<AssignRules, SharedError> {
        let row: Option<(Json<serde_json::Value>,)> =
            sqlx::query_as("SELECT value FROM settings WHERE key = 'assign.rules'")
                .fetch_optional(&mut self.conn)
                .await?;
        match row {
            None => Ok(AssignRules::default()),
            Some((Json(v),)) => serde_json::from_value(v)
                .map_err(|e| SharedError::Corrupt(format!("assignment rules: {e}"))),
        }
    }

    /// Writes one planned assignment if it still holds (see [`confirm`]): the ticket and
    /// the agent are read again under their row locks — the agent's is the one claims and
    /// assignments take — and the core confirms the plan by the rule that made it.
    /// Returns whether the ticket was assigned.
    pub async fn assign(
        &mut self,
        ticket: TicketId,
        need: Need<'_>,
        to: UserId,
        why: AssignWhy,
        now: DateTime<Utc>,
    ) -> Result<bool, SharedError> {
        let mut tx = self.conn.begin().await?;
        let events = match hold(&mut tx, ticket).await? {
            Some(held) => {
                // The lock first, then the count in a statement of its own: one that waited
                // for the lock would otherwise count with the snapshot it started with,
                // before the change it waited for.
                sqlx::query("SELECT 1 FROM users WHERE id = $1 FOR UPDATE")
                    .bind(to.0)
                    .execute(&mut *tx)
                    .await?;
                let agent: Option<TeamRow> = sqlx::query_as(&format!("{AGENTS} AND u.id = $1"))
                    .bind(to.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                match agent.map(candidate).transpose()? {
                    Some(agent) => confirm(held.state(), need, &agent, why).map(|e| (held, e)),
                    None => None,
                }
            }
            None => None,
        };
        let Some((held, events)) = events else {
            // Undone at once: the locks must not outlast the decision (the seat's
            // connection may sit idle until the next drain).
            tx.rollback().await?;
            return Ok(false);
        };
        write_held(&mut tx, &held, now, &events).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Marks a pool ticket as waiting for capacity for `reason` (see
    /// [`pulsedesk_core::assign::waiting`]): a wait that starts is logged. Only while the
    /// ticket is still in the pool; returns whether it was marked.
    async fn wait(
        &mut self,
        ticket: TicketId,
        how: Mark,
        reason: WaitReason,
        now: DateTime<Utc>,
    ) -> Result<bool, SharedError> {
        let event = serde_json::to_string(&EventKind::CapacityWait { reason })
            .map_err(|e| SharedError::Corrupt(format!("event: {e}")))?;
        let (marked,): (i64,) = sqlx::query_as(
            "WITH t AS (
                 UPDATE tickets SET waiting_since = coalesce(waiting_since, $2), wait_reason = $3,
                     version = version + 1
                 WHERE id = $1 AND stage = 'unassigned' AND assignee_id IS NULL
                   AND (waiting_since IS NULL) = $4
                 RETURNING id),
             e AS (
                 INSERT INTO ticket_events (ticket_id, at, actor_id, kind, data)
                 SELECT id, $2, NULL, 'capacity_wait', $5::jsonb FROM t WHERE $4
                 RETURNING 1)
             SELECT count(*) FROM t",
        )
        .bind(ticket.0)
        .bind(now)
        .bind(reason.as_str())
        .bind(how == Mark::Start)
        .bind(event)
        .fetch_one(&mut self.conn)
        .await?;
        Ok(marked > 0)
    }

    async fn team(&mut self) -> Result<Vec<Candidate>, SharedError> {
        let rows: Vec<TeamRow> = sqlx::query_as(&format!("{AGENTS} ORDER BY u.id"))
            .fetch_all(&mut self.conn)
            .await?;
        rows.into_iter().map(candidate).collect()
    }
}

/// The active agents as the assigner sees them, with the server's time for their
/// heartbeats (the service reads the team itself).
const AGENTS: &str =
    "SELECT u.id, u.name, u.cap, u.presence, u.presence_seen_at, u.last_assigned_at,
        (SELECT count(*) FROM tickets t WHERE t.assignee_id = u.id AND t.stage <> 'done'),
        ARRAY(SELECT s.name FROM user_skills us JOIN skills s ON s.id = us.skill_id
              WHERE us.user_id = u.id ORDER BY s.name),
        now()
    FROM users u WHERE u.active AND u.role = 'agent'";

/// An agent as [`plan`] and [`confirm`] weigh them.
fn candidate(row: TeamRow) -> Result<Candidate, SharedError> {
    let (id, name, cap, presence, seen, last, open, skills, server_now) = row;
    let stored = Presence::parse(&presence)
        .ok_or_else(|| SharedError::Corrupt(format!("presence {presence}")))?;
    // Never confirmed: as good as a heartbeat that stopped long ago.
    let presence = match seen {
        Some(seen) => effective(stored, seen, server_now),
        None => Presence::Offline,
    };
    Ok(Candidate {
        id: UserId(id),
        name,
        skills,
        presence,
        load: u32::try_from(open).unwrap_or(u32::MAX),
        cap: u32::try_from(cap).unwrap_or(0),
        last_assigned_at: last,
    })
}
