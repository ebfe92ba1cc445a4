//! Ticket operations. Each change is: load the row, ask the core, fold the new events into
//! the row's projection and append them to the log — in one `BEGIN IMMEDIATE` transaction.

mod create;
pub(crate) use create::next_number;
mod detail;
mod log;

pub(crate) use log::append as append_event;
mod workflow;

pub(crate) use workflow::check_capacity;

use crate::batch::Batch;
use crate::rows::{count, decode};
use crate::time::{from_ms, from_opt_ms, to_ms};
use crate::StoreError;
use chrono::{DateTime, Utc};
use pulsedesk_core::ids::{TicketId, UserId};
use pulsedesk_core::kinds::{Outcome, Stage};
use pulsedesk_core::ticket::{
    asks_if_follow_up, follow_ons, has_follow_ons, EventKind, FollowOn, TicketState, Timings,
};
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

/// A ticket as a change reads it: its projected state and its priority.
#[derive(sqlx::FromRow)]
pub(crate) struct CurrentRow {
    #[sqlx(flatten)]
    pub row: StateRow,
    pub priority: String,
}

/// The columns of [`CurrentRow`].
pub(crate) const CURRENT_COLUMNS: &str = "id, stage, assignee_id, outcome, round, version, \
    created_at, first_response_at, resolved_at, priority";

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
    if has_follow_ons(events) {
        let state = apply_events(&mut *conn, row, actor, at, events).await?;
        refresh_clocks(conn, TicketId(row.id), at).await?;
        return Ok(state);
    }
    // The usual change (a note, a stage): the row, the log and the clocks' inputs in one call
    // to the driver, then the clocks.
    let id = TicketId(row.id);
    let state = fold(row, at, events)?;
    let mut batch = Batch::new();
    push_update(&mut batch, row, &state, at);
    for e in events {
        log::push(&mut batch, id, at, actor, e);
    }
    crate::sla::read_rules_and_marks(&mut batch, &[id]);
    let rows = batch.fetch(&mut *conn).await?;
    // The update's row (when the version still matched), then the clocks' inputs.
    let [_, clocks] = rows.as_slice() else {
        return Err(changed_meanwhile());
    };
    crate::sla::save_under_rules(conn, clocks, at).await?;
    Ok(state)
}

fn fold(
    row: &StateRow,
    at: DateTime<Utc>,
    events: &[EventKind],
) -> Result<TicketState, StoreError> {
    let mut state = row.state()?;
    for e in events {
        state.apply(at, e);
    }
    Ok(state)
}

fn changed_meanwhile() -> StoreError {
    StoreError::Conflict(pulsedesk_core::reason::Reason::ChangedMeanwhile)
}

/// The row's new projection, if its version is still `row`'s; returns a row when it was.
fn push_update<'a>(batch: &mut Batch<'a>, row: &StateRow, state: &TicketState, at: DateTime<Utc>) {
    let assignee = state.assignee.map(|u| u.0);
    batch
        .statement()
        .push("UPDATE tickets SET stage = ")
        .push_bind(state.stage.as_str())
        .push(", assignee_id = ")
        .push_bind(assignee)
        .push(", outcome = ")
        .push_bind(state.outcome.map(|o| o.as_str()))
        .push(", round = ")
        .push_bind(i64::from(state.round))
        .push(", first_response_at = ")
        .push_bind(state.timings.first_response_at.map(to_ms))
        .push(", resolved_at = ")
        .push_bind(state.timings.resolved_at.map(to_ms))
        .push(", updated_at = ")
        .push_bind(to_ms(at))
        // An assigned ticket no longer waits for capacity.
        .push(", version = version + 1, waiting_since = CASE WHEN ")
        .push_bind(assignee)
        .push(" IS NULL THEN waiting_since END, wait_reason = CASE WHEN ")
        .push_bind(assignee)
        .push(" IS NULL THEN wait_reason END WHERE id = ")
        .push_bind(row.id)
        .push(" AND version = ")
        .push_bind(row.version)
        .push(" RETURNING id");
}

/// [`commit_events`] without the SLA projection, for batches that refresh it once at the end.
pub(crate) async fn apply_events(
    conn: &mut SqliteConnection,
    row: &StateRow,
    actor: Option<UserId>,
    at: DateTime<Utc>,
    events: &[EventKind],
) -> Result<TicketState, StoreError> {
    let state = fold(row, at, events)?;
    let mut batch = Batch::new();
    push_update(&mut batch, row, &state, at);
    if batch.fetch(&mut *conn).await?.is_empty() {
        return Err(changed_meanwhile());
    }
    let id = TicketId(row.id);
    for e in events {
        log::append(&mut *conn, id, at, actor, e).await?;
    }
    if !has_follow_ons(events) {
        return Ok(state);
    }
    let follow_up = match asks_if_follow_up(events) {
        true => {
            let (follows,): (Option<i64>,) =
                sqlx::query_as("SELECT follows_ticket_id FROM tickets WHERE id = ?")
                    .bind(row.id)
                    .fetch_one(&mut *conn)
                    .await?;
            follows.is_some()
        }
        false => false,
    };
    for f in follow_ons(events, &state, follow_up) {
        match f {
            FollowOn::StampAssigned { member } => {
                sqlx::query("UPDATE users SET last_assigned_at = ? WHERE id = ?")
                    .bind(to_ms(at))
                    .bind(member.0)
                    .execute(&mut *conn)
                    .await?;
            }
            FollowOn::WithdrawTransfers => {
                crate::assign::withdraw_pending(&mut *conn, id, at).await?;
            }
            FollowOn::OpenSurvey { round, agent } => {
                crate::feedback::on_done(&mut *conn, id, round, agent, at).await?;
            }
            FollowOn::SupersedeSurveys => crate::feedback::on_reopened(&mut *conn, id).await?,
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
