//! What the SLA scheduler reads and writes: the open tickets' clocks, the alerts already
//! raised, and the exactly-once record of a new one.

use super::projection::clocks_now;
use crate::rows::{count, decode};
use crate::tickets::append_event;
use crate::time::{from_opt_ms, to_ms};
use crate::{StoreError, Workspace};
use pulsedesk_core::command::Command;
use pulsedesk_core::ids::{TicketId, UserId};
use pulsedesk_core::kinds::{Role, Stage, Tier};
use pulsedesk_core::permissions::Actor;
use pulsedesk_core::sla::alert::clock_round;
use pulsedesk_core::sla::notice::{AlertFacts, SlaCounts};
use pulsedesk_core::sla::{AlertKey, AlertLevel, ClockKind, ClockState, Due, Watch};
use pulsedesk_core::ticket::EventKind;

/// An open ticket's running clocks, as the scheduler watches them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchedTicket {
    pub id: TicketId,
    pub round: u32,
    pub running: Vec<Watch>,
}

const WATCH_COLUMNS: &str =
    "id, round, sla_fr_near_at, sla_fr_due_at, sla_res_near_at, sla_res_due_at";

#[derive(sqlx::FromRow)]
struct WatchRow {
    id: i64,
    round: i64,
    sla_fr_near_at: Option<i64>,
    sla_fr_due_at: Option<i64>,
    sla_res_near_at: Option<i64>,
    sla_res_due_at: Option<i64>,
}

impl WatchRow {
    fn into_watched(self) -> Result<WatchedTicket, StoreError> {
        let mut running = Vec::with_capacity(2);
        for (clock, near, due) in [
            (
                ClockKind::FirstResponse,
                self.sla_fr_near_at,
                self.sla_fr_due_at,
            ),
            (
                ClockKind::Resolution,
                self.sla_res_near_at,
                self.sla_res_due_at,
            ),
        ] {
            if near.is_some() || due.is_some() {
                running.push(Watch {
                    clock,
                    near_at: from_opt_ms(near)?,
                    due_at: from_opt_ms(due)?,
                });
            }
        }
        Ok(WatchedTicket {
            id: TicketId(self.id),
            round: count(self.round),
            running,
        })
    }
}

/// A raised alert, with what a pop-up about it says and who should see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertRecord {
    pub facts: AlertFacts,
    pub assignee: Option<UserId>,
    /// Whether this call wrote the record (false: another desktop, or an earlier run, did).
    pub newly_recorded: bool,
}

/// What a pop-up says about a ticket, and whether it is still open.
#[derive(sqlx::FromRow)]
struct AlertRow {
    number: String,
    subject: String,
    tier: String,
    round: i64,
    assignee_id: Option<i64>,
    assignee_name: Option<String>,
    stage: String,
}

impl Workspace {
    /// Every open ticket's running clocks.
    pub async fn watched_tickets(&self) -> Result<Vec<WatchedTicket>, StoreError> {
        let rows: Vec<WatchRow> = sqlx::query_as(&format!(
            "SELECT {WATCH_COLUMNS} FROM tickets WHERE stage <> 'done'"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(WatchRow::into_watched).collect()
    }

    /// One ticket's running clocks; `None` once it is finished (nothing left to watch).
    pub async fn watched_ticket(&self, id: TicketId) -> Result<Option<WatchedTicket>, StoreError> {
        let row: Option<WatchRow> = sqlx::query_as(&format!(
            "SELECT {WATCH_COLUMNS} FROM tickets WHERE id = ? AND stage <> 'done'"
        ))
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?;
        row.map(WatchRow::into_watched).transpose()
    }

    /// The alerts already raised on open tickets.
    pub async fn raised_alerts(&self) -> Result<Vec<AlertKey>, StoreError> {
        let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(
            "SELECT a.ticket_id, a.clock, a.level, a.round FROM sla_alerts a
             JOIN tickets t ON t.id = a.ticket_id WHERE t.stage <> 'done'",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(t, clock, level, round)| {
                Ok(AlertKey {
                    ticket: TicketId(t),
                    clock: decode(ClockKind::parse, &clock, "SLA clock")?,
                    level: decode(AlertLevel::parse, &level, "alert level")?,
                    round: count(round),
                })
            })
            .collect()
    }

    /// Checks that `due` still holds now (the ticket may have moved on or been re-targeted
    /// since it was scheduled) and, for an alert, writes its record and event exactly once.
    /// `None` when it no longer holds.
    pub async fn record_alert(&self, due: &Due) -> Result<Option<AlertRecord>, StoreError> {
        let now = self.clock.now();
        let key = due.key;
        let mut tx = self.begin_write().await?;
        let row: Option<AlertRow> = sqlx::query_as(
            "SELECT t.number, t.subject, t.tier, t.round, t.assignee_id,
                    u.name AS assignee_name, t.stage
             FROM tickets t LEFT JOIN users u ON u.id = t.assignee_id WHERE t.id = ?",
        )
        .bind(key.ticket.0)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(AlertRow {
            number,
            subject,
            tier,
            round,
            assignee_id: assignee,
            assignee_name,
            stage,
        }) = row
        else {
            return Ok(None);
        };
        if stage == Stage::Done.as_str() {
            return Ok(None);
        }
        let tier = decode(Tier::parse, &tier, "tier")?;
        let round = count(round);
        let clocks = clocks_now(&mut tx, key.ticket, now).await?;
        let Some(clock) = clocks.iter().find(|c| c.kind == key.clock) else {
            return Ok(None);
        };
        let holds = clock_round(key.clock, round) == key.round
            && clock.stopped_at.is_none()
            && !clock.paused
            && match key.level {
                AlertLevel::NearBreach => {
                    matches!(clock.state, ClockState::NearBreach | ClockState::Breached)
                }
                AlertLevel::Breached => clock.state == ClockState::Breached,
            };
        if !holds {
            return Ok(None);
        }
        let mut newly_recorded = false;
        if due.repeat == 0 {
            // The record is stamped when the clock crossed its threshold, not when a desktop
            // got round to computing it (after a sleep, or at start-up).
            let stamp = due.at.min(now);
            let inserted = sqlx::query(
                "INSERT OR IGNORE INTO sla_alerts (ticket_id, clock, level, round, at) VALUES (?, ?, ?, ?, ?)",
            )
            .bind(key.ticket.0)
            .bind(key.clock.as_str())
            .bind(key.level.as_str())
            .bind(i64::from(key.round))
            .bind(to_ms(stamp))
            .execute(&mut *tx)
            .await?;
            if inserted.rows_affected() == 1 {
                newly_recorded = true;
                let event = EventKind::SlaAlert {
                    clock: key.clock,
                    level: key.level,
                    round: key.round,
                };
                append_event(&mut tx, key.ticket, stamp, None, &event).await?;
                // On a replica the team's record is the server's: sent once the ticket is
                // there (a ticket logged offline gets its alerts from whoever sees it next).
                if key.ticket.0 > 0 {
                    let record = Command::RecordSlaAlert {
                        ticket: key.ticket,
                        clock: key.clock,
                        level: key.level,
                        round: key.round,
                    };
                    self.queue_if_replica_at(&mut tx, Some(key.ticket), record, stamp)
                        .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(Some(AlertRecord {
            facts: AlertFacts {
                number,
                subject,
                tier,
                due: *due,
                due_at: clock.due_at.unwrap_or(due.at),
                assignee_name,
            },
            assignee: assignee.map(UserId),
            newly_recorded,
        }))
    }

    /// Claims the pop-up of `due` for `user`: true the first time only, so a restart or a
    /// second window does not show it again.
    pub async fn claim_notice(&self, due: &Due, user: UserId) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT OR IGNORE INTO sla_notices (ticket_id, clock, level, round, repeat, user_id, at)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(due.key.ticket.0)
        .bind(due.key.clock.as_str())
        .bind(due.key.level.as_str())
        .bind(i64::from(due.key.round))
        .bind(i64::from(due.repeat))
        .bind(user.0)
        .bind(to_ms(self.clock.now()))
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Every open ticket past its SLA target now, the longest overdue first: id, number and
    /// assignee (who should hear of it is the caller's rule, `notice::concerns`).
    pub async fn breached_now(
        &self,
    ) -> Result<Vec<(TicketId, String, Option<UserId>)>, StoreError> {
        let rows: Vec<(i64, String, Option<i64>)> = sqlx::query_as(
            "SELECT id, number, assignee_id FROM tickets
             WHERE stage <> 'done' AND sla_due_at < ? ORDER BY sla_due_at, id",
        )
        .bind(to_ms(self.clock.now()))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, number, assignee)| (TicketId(id), number, assignee.map(UserId)))
            .collect())
    }

    /// The member's open tickets near breach and breached now: their own for an agent,
    /// everyone's for a supervisor or admin.
    pub async fn sla_counts(&self, actor: &Actor) -> Result<SlaCounts, StoreError> {
        let now = to_ms(self.clock.now());
        let mine = actor.role == Role::Agent;
        let sql = format!(
            "SELECT
                COALESCE(SUM(sla_near_at <= ?1 AND (sla_due_at IS NULL OR sla_due_at >= ?1)), 0),
                COALESCE(SUM(sla_due_at < ?1), 0)
             FROM tickets WHERE stage <> 'done' AND sla_near_at IS NOT NULL {}",
            if mine { "AND assignee_id = ?2" } else { "" }
        );
        let (near, breached): (i64, i64) = sqlx::query_as(&sql)
            .bind(now)
            .bind(actor.id.0)
            .fetch_one(&self.pool)
            .await?;
        Ok(SlaCounts {
            near_breach: count(near),
            breached: count(breached),
        })
    }
}
