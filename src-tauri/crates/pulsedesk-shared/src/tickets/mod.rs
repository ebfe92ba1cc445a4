//! Commands applied on the shared database by the team service, each in one transaction by
//! the core's rules, acting for the member who submitted it (the service's login is the
//! only one with write rights: migration 0015).

use crate::command::{Applied, Command, Envelope};
use crate::{Shared, SharedError};
use chrono::{DateTime, Utc};
use pulsedesk_core::ids::{TicketId, UserId};
use pulsedesk_core::kinds::{Outcome, Priority, Role, Stage};
use pulsedesk_core::permissions::{Action, Actor};
use pulsedesk_core::reason::Reason;
use pulsedesk_core::ticket::{
    check_right, decide, taker, Change, Current, EventKind, Holder, TicketCommand, TicketState,
    Timings,
};
use pulsedesk_core::DomainError;
use sqlx::{Connection, PgConnection};

mod create;
mod held;
mod read_ahead;
pub(crate) use held::{hold, write_held};
use read_ahead::ticket_of;
pub(crate) use read_ahead::ReadAhead;

/// A ticket as a command found it ([`state_of`]): locked, or only read at a version.
#[derive(Clone)]
struct Found {
    id: TicketId,
    version: i64,
    state: TicketState,
    /// Not part of the log's state: read with it, for a priority change.
    priority: Priority,
    /// The command's id was applied before (as far as the lock's statement saw: see
    /// [`lock`]).
    seen: bool,
}

impl Shared {
    /// Applies one command exactly once: a command whose id was applied before is recognised
    /// and not applied again, however often it is retried or resent.
    pub async fn apply(&self, envelope: &Envelope) -> Result<Applied, SharedError> {
        let mut conn = self.pool.acquire().await?;
        self.apply_on(&mut conn, envelope).await
    }

    /// [`Shared::apply`] on `conn`, one of this member's connections held by the caller
    /// (the pool checks every connection given back to it with a round trip to the server).
    pub async fn apply_on(
        &self,
        conn: &mut PgConnection,
        envelope: &Envelope,
    ) -> Result<Applied, SharedError> {
        self.apply_read_ahead(conn, envelope, &mut ReadAhead::default())
            .await
    }

    /// [`Shared::apply_on`] starting from the tickets `ahead` holds, as one statement read
    /// them for a whole run of commands (and as the commands applied since left them).
    pub(crate) async fn apply_read_ahead(
        &self,
        conn: &mut PgConnection,
        envelope: &Envelope,
        ahead: &mut ReadAhead,
    ) -> Result<Applied, SharedError> {
        let actor = self.actor;
        if let Some((ticket, change)) = envelope.command.change() {
            // Rights that do not depend on the ticket are told as such, before it is read.
            check_right(&actor, &change)?;
            return match taker(&actor, &change) {
                Some(to) => {
                    ahead.forget(ticket);
                    self.apply_locked(conn, envelope, ticket, &change, to).await
                }
                None => {
                    let decide = |read: &Found| decided(&actor, read, &change, None);
                    self.apply_alone(conn, envelope, ticket, decide, ahead)
                        .await
                }
            };
        }
        if let Some(ticket) = ticket_of(&envelope.command) {
            ahead.forget(ticket);
        }
        match &envelope.command {
            Command::Ticket { .. } | Command::AddNote { .. } | Command::ChangePriority { .. } => {
                Err(SharedError::Corrupt(format!(
                    "{} was not read as a change",
                    envelope.command.name()
                )))
            }
            Command::CreateTicket { ticket } => {
                let mut tx = conn.begin().await?;
                if seen(&mut tx, envelope).await? {
                    return Ok(Applied::AlreadyApplied);
                }
                let id = self.create(&mut tx, &actor, ticket, envelope.at).await?;
                record(tx, envelope, actor.id, id).await
            }
            Command::RevealCustomer { ticket } => {
                let mut tx = conn.begin().await?;
                if seen(&mut tx, envelope).await? {
                    return Ok(Applied::AlreadyApplied);
                }
                let row: Option<(Option<i64>, i64)> =
                    sqlx::query_as("SELECT assignee_id, customer_id FROM tickets WHERE id = $1")
                        .bind(ticket.0)
                        .fetch_optional(&mut *tx)
                        .await?;
                let (assignee, customer) = row.ok_or(SharedError::NotFound("ticket"))?;
                actor.authorize(Action::RevealPii {
                    assignee: assignee.map(UserId),
                })?;
                sqlx::query(
                    "INSERT INTO pii_audit (user_id, ticket_id, customer_id, at)
                     VALUES ($1, $2, $3, clock_timestamp())",
                )
                .bind(actor.id.0)
                .bind(ticket.0)
                .bind(customer)
                .execute(&mut *tx)
                .await?;
                record(tx, envelope, actor.id, *ticket).await
            }
            Command::RecordSlaAlert {
                ticket,
                clock,
                level,
                round,
            } => {
                let mut tx = conn.begin().await?;
                if seen(&mut tx, envelope).await? {
                    return Ok(Applied::AlreadyApplied);
                }
                // Under the ticket's row lock, like every command: a ticket's log ids then
                // follow the order its changes commit in, which a desktop's pull relies on.
                let row: Option<(Option<i64>,)> =
                    sqlx::query_as("SELECT assignee_id FROM tickets WHERE id = $1 FOR UPDATE")
                        .bind(ticket.0)
                        .fetch_optional(&mut *tx)
                        .await?;
                let (assignee,) = row.ok_or(SharedError::NotFound("ticket"))?;
                // Those who may see the ticket record its alerts.
                actor.authorize(Action::ViewTicket {
                    assignee: assignee.map(UserId),
                })?;
                // Recorded at most once per ticket, clock, level and round, whoever asks;
                // the first records its log entry and tells the desktops.
                sqlx::query(
                    "WITH alert AS (
                         INSERT INTO sla_alerts (ticket_id, clock, level, round, at, recorded_by)
                         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING ticket_id),
                     entry AS (
                         INSERT INTO ticket_events (ticket_id, at, actor_id, kind, data)
                         SELECT ticket_id, $5, NULL, 'sla_alert',
                                jsonb_build_object('type', 'sla_alert', 'clock', $2::text,
                                                   'level', $3::text, 'round', $4::integer)
                         FROM alert RETURNING ticket_id),
                     feed AS (
                         INSERT INTO changes (ticket_id, kind) SELECT ticket_id, 'ticket' FROM entry
                         RETURNING ticket_id)
                     SELECT pg_notify('pulsedesk_changes', ticket_id::text) FROM feed",
                )
                .bind(ticket.0)
                .bind(clock.as_str())
                .bind(level.as_str())
                .bind(i32::try_from(*round).unwrap_or(i32::MAX))
                .bind(envelope.at)
                .bind(actor.id.0)
                .execute(&mut *tx)
                .await?;
                record(tx, envelope, actor.id, *ticket).await
            }
        }
    }

    /// A claim or an assignment, in a transaction: the ticket's row and the assignee's
    /// member row stay locked until the commit, so a cap is never passed by a race.
    async fn apply_locked(
        &self,
        conn: &mut PgConnection,
        envelope: &Envelope,
        ticket: TicketId,
        change: &Change<'_>,
        to: UserId,
    ) -> Result<Applied, SharedError> {
        let actor = self.actor;
        // A ticket gone from under a claim was taken; from under an assignment, moved on.
        let gone = match change {
            Change::Ticket(TicketCommand::Claim) => Reason::AlreadyTaken,
            _ => Reason::WentElsewhere,
        };
        let mut tx = conn.begin().await?;
        // The lock looks the id up too; a duplicate sent concurrently is told apart when it
        // is recorded, or before a refusal (`settle`).
        let locked = state_of(&mut tx, ticket, gone, Some(envelope), LOCK).await?;
        if locked.seen {
            return Ok(Applied::AlreadyApplied);
        }
        let done = match holder(&mut tx, to).await {
            Ok(holder) => match decided(&actor, &locked, change, holder.as_ref()) {
                Ok((events, _)) => write(&mut tx, &locked, envelope, actor.id, &events, None).await,
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        };
        self.settle(tx, done, locked.id, envelope).await
    }

    /// A note or a stage move: no lock beyond the ticket's row version, so no transaction of
    /// its own. One statement reads the ticket's state (and whether the id was applied);
    /// the core decides; one statement writes the row — only if its version is still the
    /// one read — with its log entries and the id. A version that moved meanwhile means
    /// reading and deciding again, against the newer state (after [`ATTEMPTS`], under the
    /// row's lock); an id found recorded when writing undoes the whole statement
    /// (`pd_applied_before`, migration 0010).
    async fn apply_alone<'n>(
        &self,
        conn: &mut PgConnection,
        envelope: &Envelope,
        ticket: TicketId,
        decide: impl Fn(&Found) -> Result<Decided<'n>, SharedError>,
        ahead: &mut ReadAhead,
    ) -> Result<Applied, SharedError> {
        for _ in 0..ATTEMPTS {
            // Read ahead (with the run it came in), or now.
            let (read, early) = match ahead.take(ticket, envelope) {
                Some(read) => (read, true),
                None => {
                    let read = state_of(
                        &mut *conn,
                        ticket,
                        Reason::WentElsewhere,
                        Some(envelope),
                        READ,
                    )
                    .await?;
                    (read, false)
                }
            };
            if read.seen {
                return Ok(Applied::AlreadyApplied);
            }
            let decision = decide(&read);
            if early && decision.is_err() {
                // Never refused on an early read: another lane may have changed the ticket
                // since (say, given it to this member). Decided again on a fresh one.
                continue;
            }
            let written = match decision {
                Ok((events, note)) => {
                    let written =
                        write_alone(&mut *conn, &read, envelope, self.actor.id, &events, note)
                            .await;
                    if let Ok(Written::Recorded) = written {
                        ahead.keep(after(read, envelope.at, &events));
                    }
                    written
                }
                Err(e) => Err(e),
            };
            match written {
                Ok(Written::Recorded) => return Ok(Applied::Done { ticket }),
                Ok(Written::Duplicate) => return Ok(Applied::AlreadyApplied),
                Ok(Written::Stale) => continue,
                Err(e @ (SharedError::Domain(_) | SharedError::Refused(_))) => {
                    // A duplicate that committed after the read finds the ticket already
                    // changed: it was applied, not refused.
                    if seen(&mut *conn, envelope).await? {
                        return Ok(Applied::AlreadyApplied);
                    }
                    return Err(e);
                }
                Err(e) => return Err(e),
            }
        }
        // A ticket this busy: wait for its row lock instead, as claims do.
        let mut tx = conn.begin().await?;
        let locked = state_of(&mut tx, ticket, Reason::WentElsewhere, Some(envelope), LOCK).await?;
        if locked.seen {
            return Ok(Applied::AlreadyApplied);
        }
        let done = match decide(&locked) {
            Ok((events, note)) => {
                write(&mut tx, &locked, envelope, self.actor.id, &events, note).await
            }
            Err(e) => Err(e),
        };
        self.settle(tx, done, ticket, envelope).await
    }
}

/// What the core decided for a change to the ticket as `read`: its log entries, and the
/// note to write with them (its id is given in the statement that logs it: `write`).
fn decided<'c>(
    actor: &Actor,
    read: &Found,
    change: &Change<'c>,
    holder: Option<&Holder>,
) -> Result<Decided<'c>, SharedError> {
    let current = Current {
        state: read.state.clone(),
        priority: read.priority,
    };
    let events = decide(actor, &current, change, holder)?;
    let note = match change {
        Change::Note { audience, body } => Some(NewNote {
            audience: audience.as_str(),
            body: body.trim(),
        }),
        _ => None,
    };
    Ok((events, note))
}

impl Shared {
    /// Ends a command on a locked ticket: commits it if recorded. A refusal is reported
    /// only if the command's id was not applied meanwhile: a duplicate that committed while
    /// this one waited for the lock finds the ticket already changed (say, already claimed),
    /// and is told it was applied, not refused.
    async fn settle(
        &self,
        tx: sqlx::Transaction<'_, sqlx::Postgres>,
        done: Result<bool, SharedError>,
        ticket: TicketId,
        envelope: &Envelope,
    ) -> Result<Applied, SharedError> {
        let refusal = match done {
            Ok(recorded) => return finish(tx, recorded, ticket).await,
            Err(e @ (SharedError::Domain(_) | SharedError::Refused(_))) => e,
            Err(e) => return Err(e),
        };
        // Undone first: a refusal by the server leaves the transaction unusable.
        tx.rollback().await?;
        let mut conn = self.pool.acquire().await?;
        if seen(&mut conn, envelope).await? {
            return Ok(Applied::AlreadyApplied);
        }
        Err(refusal)
    }
}

/// Commits a command that was recorded; one whose id another connection recorded meanwhile
/// was applied there, so this attempt is undone.
async fn finish(
    tx: sqlx::Transaction<'_, sqlx::Postgres>,
    recorded: bool,
    ticket: TicketId,
) -> Result<Applied, SharedError> {
    if !recorded {
        tx.rollback().await?;
        return Ok(Applied::AlreadyApplied);
    }
    tx.commit().await?;
    Ok(Applied::Done { ticket })
}

/// Records the command's id in its transaction and ends it ([`finish`]).
async fn record(
    mut tx: sqlx::Transaction<'_, sqlx::Postgres>,
    envelope: &Envelope,
    actor: UserId,
    ticket: TicketId,
) -> Result<Applied, SharedError> {
    let recorded = sqlx::query(
        "INSERT INTO commands (id, user_id, kind, ticket_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(envelope.id)
    .bind(actor.0)
    .bind(envelope.command.name())
    .bind(ticket.0)
    .execute(&mut *tx)
    .await?;
    finish(tx, recorded.rows_affected() > 0, ticket).await
}

/// Whether this command's id was applied before.
async fn seen(tx: &mut PgConnection, envelope: &Envelope) -> Result<bool, SharedError> {
    let row: Option<(i32,)> = sqlx::query_as("SELECT 1 FROM commands WHERE id = $1")
        .bind(envelope.id)
        .fetch_optional(&mut *tx)
        .await?;
    Ok(row.is_some())
}

/// The columns a command reads of its ticket ([`state_of`]).
macro_rules! state_of {
    ($lock:literal) => {
        concat!(
            "SELECT id, version, stage, assignee_id, outcome, round, created_at, first_response_at,
                    resolved_at, priority, EXISTS (SELECT 1 FROM commands WHERE id = $2)
             FROM tickets WHERE id = $1",
            $lock
        )
    };
}

/// [`state_of`] with the ticket's row locked until the transaction ends.
const LOCK: &str = state_of!(" FOR UPDATE");
/// [`state_of`] without a lock: the write checks the row's version instead.
const READ: &str = state_of!("");

/// How often a note or a stage move reads and decides again when its ticket changed between
/// the read and the write, before it waits for the row's lock instead.
const ATTEMPTS: usize = 3;

/// What the core decided for a command: the log entries, and a note to add with them.
type Decided<'n> = (Vec<EventKind>, Option<NewNote<'n>>);

/// How a command's one write statement ([`write_alone`]) went.
enum Written {
    Recorded,
    /// Its id was recorded already: everything the statement wrote was undone.
    Duplicate,
    /// The ticket's version moved since it was read: nothing was written.
    Stale,
}

/// What a command needs of its ticket, read in one statement: the state from the ticket's
/// row and whether the command's id was applied before. With [`LOCK`] the row is locked
/// (if this member may change it); with [`READ`] it is only read.
///
/// The state columns are the projection of the ticket's log, written with the same fold by
/// every change; `FOR UPDATE` returns the newest committed version of the row, the one it
/// locked. The id look-up, though, sees only what had committed when the statement began:
/// a duplicate sent concurrently may commit after it. That case is caught later — when the
/// id is recorded, and by [`seen`] before a refusal is reported.
async fn state_of(
    conn: &mut PgConnection,
    id: TicketId,
    gone: Reason,
    envelope: Option<&Envelope>,
    sql: &'static str,
) -> Result<Found, SharedError> {
    let row: Option<StateRow> = sqlx::query_as(sql)
        .bind(id.0)
        .bind(envelope.map(|e| e.id))
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else {
        // Not visible (any more): a race lost to someone who took it, or no such ticket.
        let (exists,): (bool,) = sqlx::query_as("SELECT pd_ticket_exists($1)")
            .bind(id.0)
            .fetch_one(&mut *conn)
            .await?;
        return Err(if exists {
            DomainError::Conflict(gone).into()
        } else {
            SharedError::NotFound("ticket")
        });
    };
    found(row)
}

/// A ticket's row as [`state_of`] and [`ReadAhead::read`] read it: id, version, the log's
/// projection, priority, and whether the command's id was applied.
type StateRow = (
    i64,
    i64,
    String,
    Option<i64>,
    Option<String>,
    i32,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    String,
    bool,
);

fn found(row: StateRow) -> Result<Found, SharedError> {
    let (
        id,
        version,
        stage,
        assignee,
        outcome,
        round,
        created,
        responded,
        resolved,
        priority,
        seen,
    ) = row;
    let corrupt = |what: &str| SharedError::Corrupt(format!("ticket {id}: {what}"));
    let state = TicketState {
        stage: Stage::parse(&stage).ok_or_else(|| corrupt(&format!("stage {stage}")))?,
        assignee: assignee.map(UserId),
        outcome: match outcome {
            None => None,
            Some(o) => Some(Outcome::parse(&o).ok_or_else(|| corrupt(&format!("outcome {o}")))?),
        },
        round: u32::try_from(round).map_err(|_| corrupt(&format!("round {round}")))?,
        timings: Timings {
            created_at: Some(created),
            first_response_at: responded,
            resolved_at: resolved,
        },
    };
    let priority =
        Priority::parse(&priority).ok_or_else(|| corrupt(&format!("priority {priority}")))?;
    Ok(Found {
        id: TicketId(id),
        version,
        state,
        priority,
        seen,
    })
}

/// What the capacity rule needs of `user` (`None` when not an active member), with their
/// member row locked until the transaction ends.
async fn holder(tx: &mut PgConnection, user: UserId) -> Result<Option<Holder>, SharedError> {
    // The member's row lock, as the team's assigner takes it: whoever counts second counts
    // after the first has committed, so a cap is never passed by a race.
    sqlx::query("SELECT pd_lock_member($1)")
        .bind(user.0)
        .execute(&mut *tx)
        .await?;
    let row: Option<(String, String, i32, i64)> = sqlx::query_as(
        "SELECT name, role, cap,
                (SELECT count(*) FROM tickets WHERE assignee_id = users.id AND stage <> 'done')
         FROM users WHERE id = $1 AND active",
    )
    .bind(user.0)
    .fetch_optional(&mut *tx)
    .await?;
    row.map(|(name, role, cap, open)| {
        Ok(Holder {
            name,
            role: Role::parse(&role)
                .ok_or_else(|| SharedError::Corrupt(format!("role {role:?}")))?,
            open: u32::try_from(open).unwrap_or(u32::MAX),
            cap: u32::try_from(cap).unwrap_or(0),
        })
    })
    .transpose()
}

/// The log entries of `events` as a write binds them: their kinds, and their JSON.
fn entries(events: &[EventKind]) -> Result<(Vec<&'static str>, Vec<String>), serde_json::Error> {
    let kinds = events.iter().map(EventKind::name).collect();
    let data = events
        .iter()
        .map(serde_json::to_string)
        .collect::<Result<Vec<_>, _>>()?;
    Ok((kinds, data))
}

/// `read` once `events` were written to it at `at`: as the write leaves the row (priority
/// is not part of the log's state: a priority change's entry says it).
fn after(read: Found, at: DateTime<Utc>, events: &[EventKind]) -> Found {
    let mut state = read.state;
    for e in events {
        state.apply(at, e);
    }
    let priority = events
        .iter()
        .rev()
        .find_map(|e| match e {
            EventKind::PriorityChanged { to, .. } => Some(*to),
            _ => None,
        })
        .unwrap_or(read.priority);
    Found {
        id: read.id,
        version: read.version + 1,
        state,
        priority,
        seen: false,
    }
}

/// A note added with the command.
struct NewNote<'a> {
    audience: &'a str,
    body: &'a str,
}

/// Folds `events` into the locked ticket's row (guarded by its version), appends them in
/// order, adds `note` (its id, given there, goes into the `note_added` entry) and records
/// the command's id — one statement. Returns whether the id was recorded
/// (not, when another connection recorded it meanwhile).
async fn write(
    tx: &mut PgConnection,
    locked: &Found,
    envelope: &Envelope,
    actor: UserId,
    events: &[EventKind],
    note: Option<NewNote<'_>>,
) -> Result<bool, SharedError> {
    let (updated, recorded) = write_statement(tx, WRITE, locked, envelope, actor, events, note)
        .await?
        .ok_or_else(|| SharedError::Corrupt("the write returned no row".into()))?;
    if updated == 0 {
        return Err(DomainError::Conflict(Reason::ChangedMeanwhile).into());
    }
    Ok(recorded > 0)
}

/// [`write`] with no transaction around it, adding `note` in the same statement (its id,
/// given there, goes into the `note_added` entry): the row only if its version is still
/// the one read, and an id found already recorded undoes the statement.
async fn write_alone(
    conn: &mut PgConnection,
    read: &Found,
    envelope: &Envelope,
    actor: UserId,
    events: &[EventKind],
    note: Option<NewNote<'_>>,
) -> Result<Written, SharedError> {
    match write_statement(conn, WRITE_ALONE, read, envelope, actor, events, note).await {
        Ok(Some((0, _))) => Ok(Written::Stale),
        Ok(Some(_)) => Ok(Written::Recorded),
        Ok(None) => Err(SharedError::Corrupt("the write returned no row".into())),
        Err(sqlx::Error::Database(db)) if db.code().as_deref() == Some("PD001") => {
            Ok(Written::Duplicate)
        }
        Err(e) => Err(e.into()),
    }
}

/// The write of [`write`] and [`write_alone`]: `$1`–`$18` bound as the statement needs.
macro_rules! write_sql {
    ($end:literal) => {
        concat!(
            "WITH u AS (
                 UPDATE tickets SET stage = $1, assignee_id = $2, outcome = $3, round = $4,
                     first_response_at = $5, resolved_at = $6, updated_at = $7,
                     priority = $17, priority_rank = $18, version = version + 1,
                     -- An assigned ticket no longer waits for capacity.
                     waiting_since = CASE WHEN $2::bigint IS NULL THEN waiting_since END,
                     wait_reason = CASE WHEN $2::bigint IS NULL THEN wait_reason END
                 WHERE id = $8 AND version = $9 RETURNING id),
             n AS (
                 INSERT INTO notes (ticket_id, author_id, audience, body, created_at)
                 SELECT u.id, $10, $15, $16, $7 FROM u WHERE $15::text IS NOT NULL
                 RETURNING id),
             e AS (
                 INSERT INTO ticket_events (ticket_id, at, actor_id, kind, data)
                 SELECT u.id, $7, $10, x.kind,
                     CASE WHEN x.kind = 'note_added' AND EXISTS (SELECT 1 FROM n)
                          THEN jsonb_set(x.data::jsonb, '{note_id}', to_jsonb((SELECT id FROM n)))
                          ELSE x.data::jsonb END
                 FROM u, unnest($11::text[], $12::text[]) WITH ORDINALITY AS x(kind, data, n)
                 ORDER BY x.n
                 RETURNING 1),
             c AS (
                 INSERT INTO commands (id, user_id, kind, ticket_id)
                 SELECT $13, $10, $14, u.id FROM u
                 ON CONFLICT (id) DO NOTHING
                 RETURNING 1),
             counts AS (SELECT (SELECT count(*) FROM u) AS updated, (SELECT count(*) FROM c) AS recorded)
             SELECT updated, recorded FROM counts",
            $end
        )
    };
}

/// In a transaction: the caller undoes it when the id was not recorded.
const WRITE: &str = write_sql!("");
/// Alone: a row written without its id recorded (a duplicate) raises, undoing the statement.
/// (`CASE` fixes the order: the function is called only for a duplicate.)
const WRITE_ALONE: &str = write_sql!(
    " WHERE CASE WHEN updated > 0 AND recorded = 0 THEN pd_applied_before() ELSE true END"
);

/// Runs `sql` ([`WRITE`] or [`WRITE_ALONE`]): the rows updated and ids recorded, if it
/// returned its row.
async fn write_statement(
    conn: &mut PgConnection,
    sql: &'static str,
    locked: &Found,
    envelope: &Envelope,
    actor: UserId,
    events: &[EventKind],
    note: Option<NewNote<'_>>,
) -> Result<Option<(i64, i64)>, sqlx::Error> {
    let at = envelope.at;
    let Found {
        state, priority, ..
    } = after(locked.clone(), at, events);
    let (kinds, data) = entries(events).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query_as(sql)
        .bind(state.stage.as_str())
        .bind(state.assignee.map(|u| u.0))
        .bind(state.outcome.map(|o| o.as_str()))
        .bind(i32::try_from(state.round).unwrap_or(i32::MAX))
        .bind(state.timings.first_response_at)
        .bind(state.timings.resolved_at)
        .bind(at)
        .bind(locked.id.0)
        .bind(locked.version)
        .bind(actor.0)
        .bind(&kinds)
        .bind(&data)
        .bind(envelope.id)
        .bind(envelope.command.name())
        .bind(note.as_ref().map(|n| n.audience))
        .bind(note.as_ref().map(|n| n.body))
        .bind(priority.as_str())
        .bind(i32::try_from(priority.rank()).unwrap_or(i32::MAX))
        .fetch_optional(&mut *conn)
        .await
}

async fn append(
    tx: &mut PgConnection,
    ticket: TicketId,
    at: DateTime<Utc>,
    actor: UserId,
    kind: &EventKind,
) -> Result<(), SharedError> {
    sqlx::query(
        "INSERT INTO ticket_events (ticket_id, at, actor_id, kind, data) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(ticket.0)
    .bind(at)
    .bind(actor.0)
    .bind(kind.name())
    .bind(sqlx::types::Json(kind))
    .execute(&mut *tx)
    .await?;
    Ok(())
}
