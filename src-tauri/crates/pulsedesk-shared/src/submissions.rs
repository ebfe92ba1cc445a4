//! Commands as submissions (migration 0014): a member's desktop submits each command in its
//! member's name and reads back what became of it; the team service applies the waiting
//! ones, oldest first, as the member who submitted them, and records each outcome.

use crate::command::{Applied, Envelope};
use crate::tickets::ReadAhead;
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
    /// The member as they were when the submission was read: `None` when switched off.
    pub actor: Option<Actor>,
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
            "SELECT w.seq, w.id, w.user_id, u.role, u.active, w.at, w.command FROM (
                 SELECT s.seq, s.id, s.user_id, s.at, s.command,
                        row_number() OVER (PARTITION BY s.user_id ORDER BY s.seq) AS turn
                 FROM submissions s WHERE s.outcome IS NULL) w
             JOIN users u ON u.id = w.user_id
             WHERE w.turn <= $2 ORDER BY w.turn, w.seq LIMIT $1",
        )
        .bind(limit)
        .bind(TURN)
        .fetch_all(&mut *conn)
        .await?;
        rows.into_iter()
            .map(|(seq, id, user, role, active, at, Json(command))| {
                let actor = match active {
                    true => Some(Actor {
                        id: UserId(user),
                        role: Role::parse(&role)
                            .ok_or_else(|| SharedError::Corrupt(format!("role {role}")))?,
                    }),
                    false => None,
                };
                Ok(Submission {
                    seq,
                    id,
                    user: UserId(user),
                    actor,
                    at,
                    command,
                })
            })
            .collect()
    }

    /// The service: applies one submission as the member who submitted it and records the
    /// outcome. An error means the database did not answer (the submission stays waiting
    /// and is applied later, once: the command's id is recorded with its change).
    pub async fn apply_submission(
        &self,
        conn: &mut PgConnection,
        sub: &Submission,
    ) -> Result<Outcome, SharedError> {
        let outcome = self.decide_submission(conn, sub).await?;
        self.record_outcomes(conn, &[(sub.seq, outcome.clone())])
            .await?;
        Ok(outcome)
    }

    /// The service: applies one submission as the member who submitted it, without
    /// recording its outcome yet ([`Shared::record_outcomes`]; until then a retry finds the
    /// command applied by its id, never applies it twice).
    pub async fn decide_submission(
        &self,
        conn: &mut PgConnection,
        sub: &Submission,
    ) -> Result<Outcome, SharedError> {
        self.decide_read_ahead(conn, sub, &mut ReadAhead::default())
            .await
    }

    /// [`Shared::decide_submission`] from tickets read ahead for a run of submissions.
    pub(crate) async fn decide_read_ahead(
        &self,
        conn: &mut PgConnection,
        sub: &Submission,
        ahead: &mut ReadAhead,
    ) -> Result<Outcome, SharedError> {
        let outcome = match sub.actor {
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
                    let applied = self
                        .on_behalf(actor)
                        .apply_read_ahead(conn, &envelope, ahead)
                        .await;
                    match applied {
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
        Ok(outcome)
    }

    /// The service: records what became of these submissions, in one statement.
    pub async fn record_outcomes(
        &self,
        conn: &mut PgConnection,
        decided: &[(i64, Outcome)],
    ) -> Result<(), SharedError> {
        if decided.is_empty() {
            return Ok(());
        }
        let mut seqs = Vec::with_capacity(decided.len());
        let mut kinds = Vec::with_capacity(decided.len());
        let mut tickets: Vec<Option<i64>> = Vec::with_capacity(decided.len());
        let mut reasons: Vec<Option<serde_json::Value>> = Vec::with_capacity(decided.len());
        let mut messages: Vec<Option<String>> = Vec::with_capacity(decided.len());
        for (seq, outcome) in decided {
            seqs.push(*seq);
            match outcome {
                Outcome::Applied { ticket } => {
                    kinds.push("applied");
                    tickets.push(ticket.map(|t| t.0));
                    reasons.push(None);
                    messages.push(None);
                }
                Outcome::Refused { reason, message } => {
                    kinds.push("refused");
                    tickets.push(None);
                    reasons.push(
                        reason
                            .as_ref()
                            .map(serde_json::to_value)
                            .transpose()
                            .map_err(|e| SharedError::Corrupt(format!("reason: {e}")))?,
                    );
                    messages.push(Some(message.clone()));
                }
            }
        }
        sqlx::query(
            "UPDATE submissions s SET outcome = d.outcome, ticket_id = d.ticket, reason = d.reason,
                 message = d.message, decided_at = clock_timestamp()
             FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::jsonb[], $5::text[])
                  AS d(seq, outcome, ticket, reason, message)
             WHERE s.seq = d.seq",
        )
        .bind(&seqs)
        .bind(&kinds)
        .bind(&tickets)
        .bind(&reasons)
        .bind(&messages)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// The same login acting for another member (the service applying their command).
    pub fn on_behalf(&self, actor: Actor) -> Shared {
        Shared {
            pool: self.pool.clone(),
            actor,
            clock: self.clock.clone(),
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

type WaitingRow = (
    i64,
    Uuid,
    i64,
    String,
    bool,
    DateTime<Utc>,
    Json<serde_json::Value>,
);

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
