//! Ticket operations. Each change is: load the row, ask the core, fold the new events into
//! the row's projection and append them to the log — in one `BEGIN IMMEDIATE` transaction.

mod create;
pub(crate) use create::next_number;
mod detail;
mod log;

pub(crate) use log::append as append_event;
mod workflow;

pub(crate) use workflow::check_capacity;

use crate::rows::{count, decode};
use crate::time::{from_ms, from_opt_ms, to_ms};
use crate::StoreError;
use chrono::{DateTime, Utc};
use pulsedesk_core::ids::{TicketId, UserId};
use pulsedesk_core::kinds::{Outcome, Stage};
use pulsedesk_core::ticket::{EventKind, TicketState, Timings};
use sqlx::SqliteConnection;

/// The columns of a ticket that its events project into, plus its version.
#[derive(sqlx::FromRow)]
pub(crate) struct StateRow {
    pub id: i64,
    pub stage: String,
    pub assignee_id: Option<i64>,
    pub outcome: Option<String>,
    pub round: i64,
    pub version: i64,
    pub created_at: i64,
    pub first_response_at: Option<i64>,
    pub resolved_at: Option<i64>,
}

const STATE_COLUMNS: &str =
    "id, stage, assignee_id, outcome, round, version, created_at, first_response_at, resolved_at";

impl StateRow {
    pub fn state(&self) -> Result<TicketState, StoreError> {
        Ok(TicketState {
            stage: decode(Stage::parse, &self.stage, "stage")?,
            assignee: self.assignee_id.map(UserId),
            outcome: self
                .outcome
                .as_deref()
                .map(|o| decode(Outcome::parse, o, "outcome"))
                .transpose()?,
            round: count(self.round),
            timings: Timings {
                created_at: Some(from_ms(self.created_at)?),
                first_response_at: from_opt_ms(self.first_response_at)?,
                resolved_at: from_opt_ms(self.resolved_at)?,
            },
        })
    }
}

/// Loads the projected state of one ticket.
pub(crate) async fn load_state(
    conn: &mut SqliteConnection,
    id: TicketId,
) -> Result<StateRow, StoreError> {
    sqlx::query_as::<_, StateRow>(&format!("SELECT {STATE_COLUMNS} FROM tickets WHERE id = ?"))
        .bind(id.0)
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound("ticket"))
}

/// Folds `events` into the ticket and saves row and log, if nobody changed it since `row` was read.
pub(crate) async fn commit_events(
    conn: &mut SqliteConnection,
    row: &StateRow,
    actor: Option<UserId>,
    at: DateTime<Utc>,
    events: &[EventKind],
) -> Result<TicketState, StoreError> {
    let state = apply_events(&mut *conn, row, actor, at, events).await?;
    refresh_clocks(conn, TicketId(row.id), at).await?;
    Ok(state)
}

/// [`commit_events`] without the SLA projection, for batches that refresh it once at the end.
pub(crate) async fn apply_events(
    conn: &mut SqliteConnection,
    row: &StateRow,
    actor: Option<UserId>,
    at: DateTime<Utc>,
    events: &[EventKind],
) -> Result<TicketState, StoreError> {
    let mut state = row.state()?;
    for e in events {
        state.apply(at, e);
    }
    // An assigned ticket no longer waits for capacity.
    let updated = sqlx::query(
        "UPDATE tickets SET stage = ?1, assignee_id = ?2, outcome = ?3, round = ?4,
             first_response_at = ?5, resolved_at = ?6, updated_at = ?7, version = version + 1,
             waiting_since = CASE WHEN ?2 IS NULL THEN waiting_since END,
             wait_reason = CASE WHEN ?2 IS NULL THEN wait_reason END
         WHERE id = ?8 AND version = ?9",
    )
    .bind(state.stage.as_str())
    .bind(state.assignee.map(|u| u.0))
    .bind(state.outcome.map(|o| o.as_str()))
    .bind(i64::from(state.round))
    .bind(state.timings.first_response_at.map(to_ms))
    .bind(state.timings.resolved_at.map(to_ms))
    .bind(to_ms(at))
    .bind(row.id)
    .bind(row.version)
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(StoreError::Conflict(
            "the ticket was changed by someone else meanwhile; reload it and try again".into(),
        ));
    }
    for e in events {
        log::append(&mut *conn, TicketId(row.id), at, actor, e).await?;
        match e {
            EventKind::Assigned { to, .. } => {
                sqlx::query("UPDATE users SET last_assigned_at = ? WHERE id = ?")
                    .bind(to_ms(at))
                    .bind(to.0)
                    .execute(&mut *conn)
                    .await?;
                crate::assign::withdraw_pending(&mut *conn, TicketId(row.id), at).await?;
            }
            EventKind::StageChanged {
                to: Stage::Done, ..
            } => {
                crate::assign::withdraw_pending(&mut *conn, TicketId(row.id), at).await?;
                let id = TicketId(row.id);
                crate::feedback::on_done(&mut *conn, id, state.round, state.assignee, at).await?;
            }
            EventKind::Reopened { .. } => {
                crate::feedback::on_reopened(&mut *conn, TicketId(row.id)).await?;
            }
            _ => {}
        }
    }
    Ok(state)
}

/// Recomputes one ticket's SLA clock projection (after any change to it).
pub(crate) async fn refresh_clocks(
    conn: &mut SqliteConnection,
    id: TicketId,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    // The rules and the ticket's marks in one read, then the save: two calls to the driver.
    let mut read = crate::batch::Batch::new();
    crate::sla::read_rules_and_marks(&mut read, &[id]);
    let rows = read.fetch(&mut *conn).await?;
    let row = rows
        .first()
        .ok_or_else(|| StoreError::Corrupt("the clock inputs were not read".into()))?;
    crate::sla::save_under_rules(conn, row, at).await?;
    Ok(())
}
