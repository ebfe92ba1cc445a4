//! Commands as submissions (migration 0014): a member's desktop submits each command in its
//! member's name and reads back what became of it; the team service applies the waiting
//! ones, oldest first, as the member who submitted them, and records each outcome.

use crate::command::{Applied, Envelope};
use crate::{Shared, SharedError};
use chrono::{DateTime, Utc};
use pulsedesk_core::ids::{TicketId, UserId};
use pulsedesk_core::kinds::Role;
use pulsedesk_core::permissions::Actor;
use pulsedesk_core::reason::Reason;
use sqlx::types::Json;
use sqlx::PgConnection;
use std::collections::HashMap;
use uuid::Uuid;

/// A member's waiting commands taken per turn ([`Shared::waiting`]).
pub const TURN: i64 = 20;

/// Where the service hears of new submissions.
pub const SUBMITTED: &str = "pulsedesk_submitted";
/// Where a member's desktop hears that one of its submissions was decided (the payload is
/// the member's id).
pub const DECIDED: &str = "pulsedesk_decided";

/// What became of a submitted command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Applied (now or by an earlier submission of the same id), to this ticket when the
    /// command named or made one.
    Applied { ticket: Option<TicketId> },
    /// Refused for good, with the reason the member is shown.
    Refused {
        reason: Option<Reason>,
        message: String,
    },
}

/// A submission waiting for the service.
#[derive(Debug, Clone)]
pub struct Submission {
    pub seq: i64,
    pub id: Uuid,
    pub user: UserId,
    pub at: DateTime<Utc>,
    /// The command as submitted; JSON the service cannot read is kept as such, to be refused.
    pub command: serde_json::Value,
}

impl Shared {
    /// Submits commands in the member's name, in the order given. A command whose id was
    /// submitted before is left as it is (a resend after a lost answer).
    pub async fn submit(
        &self,
        conn: &mut PgConnection,
        envelopes: &[&Envelope],
    ) -> Result<(), SharedError> {
        if envelopes.is_empty() {
            return Ok(());
        }
        let mut ids = Vec::with_capacity(envelopes.len());
        let mut ats = Vec::with_capacity(envelopes.len());
        let mut commands = Vec::with_capacity(envelopes.len());
        for e in envelopes {
            ids.push(e.id);
            ats.push(e.at);
            commands.push(
                serde_json::to_value(&e.command)
                    .map_err(|e| SharedError::Corrupt(format!("command: {e}")))?,
            );
        }
        // One statement: the rows take their sequence numbers in the order given.
        sqlx::query(
            "INSERT INTO submissions (id, at, command)
             SELECT s.id, s.at, s.command
             FROM unnest($1::uuid[], $2::timestamptz[], $3::jsonb[]) WITH ORDINALITY
                  AS s(id, at, command, n)
             ORDER BY s.n
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(&ids)
        .bind(&ats)
        .bind(&commands)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// The outcomes decided so far of the member's submissions among `ids`.
    pub async fn outcomes(
        &self,
        conn: &mut PgConnection,
        ids: &[Uuid],
    ) -> Result<HashMap<Uuid, Outcome>, SharedError> {
        let rows: Vec<OutcomeRow> = sqlx::query_as(
            "SELECT id, outcome, ticket_id, reason, message FROM submissions
             WHERE id = ANY($1) AND outcome IS NOT NULL",
        )
        .bind(ids)
        .fetch_all(&mut *conn)
        .await?;
        rows.into_iter()
            .map(|(id, outcome, ticket, reason, message)| {
                Ok((id, outcome_of(&outcome, ticket, reason, message)?))
            })
            .collect()
    }

    /// The service: the submissions still waiting, at most `limit`, each member's in the
    /// order submitted, the members taking turns (at most [`TURN`] each per call): one
    /// member's backlog — a desktop back from a day offline, or a flood from psql — never
    /// holds up the others' commands. Commands of different members are concurrent, so
    /// their relative order is the order the service applies them in.
    pub async fn waiting(
        &self,
        conn: &mut PgConnection,
        limit: i64,
    ) -> Result<Vec<Submission>, SharedError> {
        let rows: Vec<WaitingRow> = sqlx::query_as(
            "SELECT seq, id, user_id, at, command FROM (
                 SELECT s.seq, s.id, s.user_id, s.at, s.command,
                        row_number() OVER (PARTITION BY s.user_id ORDER BY s.seq) AS turn
                 FROM submissions s WHERE s.outcome IS NULL) w
             WHERE turn <= $2 ORDER BY turn, seq LIMIT $1",
        )
        .bind(limit)
        .bind(TURN)
        .fetch_all(&mut *conn)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(seq, id, user, at, Json(command))| Submission {
                seq,
                id,
                user: UserId(user),
                at,
                command,
            })
            .collect())
    }

    /// The service: applies one submission as the member who submitted it and records the
    /// outcome. An error means the database did not answer (the submission stays waiting
    /// and is applied later, once: the command's id is recorded with its change).
    pub async fn apply_submission(
        &self,
        conn: &mut PgConnection,
        sub: &Submission,
    ) -> Result<Outcome, SharedError> {
        let outcome = match self.submitter(conn, sub.user).await? {
            None => refused(Reason::AccountDisabled),
            Some(actor) => match serde_json::from_value(sub.command.clone()) {
                Err(e) => refused(Reason::UnreadableCommand {
                    detail: e.to_string(),
                }),
                Ok(command) => {
                    let envelope = Envelope {
                        id: sub.id,
                        at: sub.at,
                        command,
                    };
                    match self.on_behalf(actor).apply_on(conn, &envelope).await {
                        Ok(Applied::Done { ticket }) => Outcome::Applied {
                            ticket: Some(ticket),
                        },
                        Ok(Applied::AlreadyApplied) => Outcome::Applied {
                            ticket: applied_to(conn, sub.id).await?,
                        },
                        Err(e) if e.is_refusal() => Outcome::Refused {
                            reason: e.reason(),
                            message: e.to_string(),
                        },
                        Err(e) => return Err(e),
                    }
                }
            },
        };
        let (kind, ticket, reason, message) = match &outcome {
            Outcome::Applied { ticket } => ("applied", ticket.map(|t| t.0), None, None),
            Outcome::Refused { reason, message } => (
                "refused",
                None,
                reason.clone().map(Json),
                Some(message.as_str()),
            ),
        };
        sqlx::query(
            "UPDATE submissions SET outcome = $2, ticket_id = $3, reason = $4, message = $5,
                 decided_at = clock_timestamp()
             WHERE seq = $1",
        )
        .bind(sub.seq)
        .bind(kind)
        .bind(ticket)
        .bind(reason)
        .bind(message)
        .execute(&mut *conn)
        .await?;
        Ok(outcome)
    }

    /// The same login acting for another member (the service applying their command).
    pub fn on_behalf(&self, actor: Actor) -> Shared {
        Shared {
            pool: self.pool.clone(),
            actor,
            clock: self.clock.clone(),
        }
    }

    /// The submitting member as they are now; `None` when switched off.
    async fn submitter(
        &self,
        conn: &mut PgConnection,
        user: UserId,
    ) -> Result<Option<Actor>, SharedError> {
        let row: Option<(String, bool)> =
            sqlx::query_as("SELECT role, active FROM users WHERE id = $1")
                .bind(user.0)
                .fetch_optional(&mut *conn)
                .await?;
        match row {
            Some((role, true)) => {
                let role = Role::parse(&role)
                    .ok_or_else(|| SharedError::Corrupt(format!("role {role}")))?;
                Ok(Some(Actor { id: user, role }))
            }
            _ => Ok(None),
        }
    }

    /// Whether this login is the team service's (migration 0014).
    pub async fn is_service(&self) -> Result<bool, SharedError> {
        let (yes,): (bool,) = sqlx::query_as("SELECT pd_is_service()")
            .fetch_one(&self.pool)
            .await?;
        Ok(yes)
    }
}

type WaitingRow = (i64, Uuid, i64, DateTime<Utc>, Json<serde_json::Value>);

type OutcomeRow = (
    Uuid,
    String,
    Option<i64>,
    Option<Json<serde_json::Value>>,
    Option<String>,
);

fn refused(reason: Reason) -> Outcome {
    Outcome::Refused {
        message: reason.to_string(),
        reason: Some(reason),
    }
}

/// The ticket an applied command changed or made, as its record says.
async fn applied_to(conn: &mut PgConnection, id: Uuid) -> Result<Option<TicketId>, SharedError> {
    let row: Option<(Option<i64>,)> =
        sqlx::query_as("SELECT ticket_id FROM commands WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.and_then(|(t,)| t).map(TicketId))
}

fn outcome_of(
    outcome: &str,
    ticket: Option<i64>,
    reason: Option<Json<serde_json::Value>>,
    message: Option<String>,
) -> Result<Outcome, SharedError> {
    match outcome {
        "applied" => Ok(Outcome::Applied {
            ticket: ticket.map(TicketId),
        }),
        "refused" => Ok(Outcome::Refused {
            // A reason this build does not know is shown by its message alone.
            reason: reason.and_then(|Json(v)| serde_json::from_value(v).ok()),
            message: message.unwrap_or_default(),
        }),
        other => Err(SharedError::Corrupt(format!("submission outcome {other}"))),
    }
}
