//! The team's assigner: the team service holding the assigner's lease ([`crate::lease`]).
//! The lease ends with its connection — the service stopped, crashed or lost its network —
//! and a standing-by service takes the seat.
//!
//! The seat holder decides with the core's rules ([`pulsedesk_core::assign::plan`]) and
//! asks the server to apply each decision; the server checks it again (the ticket is still
//! in the pool; the agent is active, online, skilled and below their cap), so a decision
//! made on a stale view is refused, never applied wrongly.

use crate::lease::{Lease, LeaseName};
use crate::{Shared, SharedError};
use chrono::{DateTime, Utc};
use pulsedesk_core::assign::presence::effective;
use pulsedesk_core::assign::{plan, AssignRules, Candidate, Decision, Waiting};
use pulsedesk_core::ids::{TicketId, TicketTypeId, UserId};
use pulsedesk_core::kinds::{Presence, Tier};
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
}

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
            return Ok(out);
        }
        // The team is read once the pool has a ticket: a drain runs after every pull, and
        // most find the pool empty.
        let mut team: Option<Vec<Candidate>> = None;
        let mut after: Option<(i32, DateTime<Utc>, i64)> = None;
        loop {
            let rows: Vec<(i64, i64, String, i32, DateTime<Utc>)> = sqlx::query_as(
                "SELECT id, type_id, tier, priority_rank, created_at FROM tickets
                 WHERE stage = 'unassigned' AND assignee_id IS NULL
                   AND ($1::integer IS NULL OR (priority_rank, created_at, id) > ($1, $2, $3))
                 ORDER BY priority_rank, created_at, id LIMIT $4",
            )
            .bind(after.map(|a| a.0))
            .bind(after.map(|a| a.1))
            .bind(after.map(|a| a.2))
            .bind(BATCH)
            .fetch_all(&mut self.conn)
            .await?;
            let Some(last) = rows.last() else {
                return Ok(out);
            };
            let team = match &mut team {
                Some(t) => t,
                None => team.insert(self.team().await?),
            };
            if !team
                .iter()
                .any(|c| c.presence == Presence::Online && c.load < c.cap)
            {
                return Ok(out);
            }
            after = Some((last.3, last.4, last.0));
            let full = i64::try_from(rows.len()).unwrap_or(i64::MAX) == BATCH;
            let waiting = rows
                .iter()
                .map(|(id, type_id, tier, _, _)| {
                    Ok(Waiting {
                        id: TicketId(*id),
                        type_id: TicketTypeId(*type_id),
                        tier: Tier::parse(tier)
                            .ok_or_else(|| SharedError::Corrupt(format!("tier {tier}")))?,
                    })
                })
                .collect::<Result<Vec<_>, SharedError>>()?;
            let (mut tickets, mut agents, mut whys) = (Vec::new(), Vec::new(), Vec::new());
            for p in plan(&waiting, &rules, team, now) {
                if let Decision::Assign { to, why } = p.decision {
                    tickets.push(p.ticket.0);
                    agents.push(to.0);
                    whys.push(
                        serde_json::to_string(&why)
                            .map_err(|e| SharedError::Corrupt(format!("assignment reason: {e}")))?,
                    );
                }
            }
            if !tickets.is_empty() {
                let results: Vec<(i64, i64, String)> = sqlx::query_as(
                    "SELECT d.t, d.a, pd_auto_assign(d.t, d.a, d.w::jsonb, $4)
                     FROM unnest($1::bigint[], $2::bigint[], $3::text[]) WITH ORDINALITY
                          AS d(t, a, w, n)
                     ORDER BY d.n",
                )
                .bind(&tickets)
                .bind(&agents)
                .bind(&whys)
                .bind(now)
                .fetch_all(&mut self.conn)
                .await?;
                for (t, a, outcome) in results {
                    if outcome == "assigned" {
                        out.assigned.push((TicketId(t), UserId(a)));
                    } else {
                        out.refused += 1;
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

    async fn team(&mut self) -> Result<Vec<Candidate>, SharedError> {
        let rows: Vec<TeamRow> = sqlx::query_as(
            "SELECT id, name, cap, presence, presence_seen_at, last_assigned_at, open_tickets,
                    skills, server_now
             FROM pd_assign_team()",
        )
        .fetch_all(&mut self.conn)
        .await?;
        rows.into_iter()
            .map(
                |(id, name, cap, presence, seen, last, open, skills, server_now)| {
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
                },
            )
            .collect()
    }
}
