//! Opening and closing surveys with the ticket's life, and reading them back.

use crate::rows::{count, decode, json};
use crate::time::{from_ms, from_opt_ms, to_ms};
use crate::StoreError;
use chrono::{DateTime, Utc};
use pulsedesk_core::feedback::{
    expiry, Answer, AnswerSource, FollowUpLink, Scores, SurveyState, SurveyStatus, SurveyView,
    Tenths,
};
use pulsedesk_core::ids::{SurveyId, TicketId, UserId};
use sqlx::SqliteConnection;

/// A ticket was finished in `round`: its survey for that round goes out, once (whether one
/// does is the core's call: `ticket::follow_ons`). A team replica opens none: the survey
/// belongs to the team's database, which does not keep feedback yet.
pub(crate) async fn on_done(
    conn: &mut SqliteConnection,
    ticket: TicketId,
    round: u32,
    agent: Option<UserId>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let days = super::settings(&mut *conn).await?.expiry_days;
    sqlx::query(
        "INSERT INTO surveys (ticket_id, round, sent_at, expires_at, agent_id, type_id, token)
         SELECT id, ?2, ?3, ?4, ?5, type_id, ?6 FROM tickets
         WHERE id = ?1
           AND NOT EXISTS (SELECT 1 FROM settings WHERE key = 'replica' AND value = '1')
         ON CONFLICT (ticket_id, round) DO NOTHING",
    )
    .bind(ticket.0)
    .bind(i64::from(round))
    .bind(to_ms(at))
    .bind(to_ms(expiry(at, days)))
    .bind(agent.map(|a| a.0))
    .bind(new_token())
    .execute(conn)
    .await?;
    Ok(())
}

/// A survey link's token: 122 random bits, so links cannot be guessed.
pub(crate) fn new_token() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// A ticket was reopened: an unanswered survey of an earlier round takes no more answers.
pub(crate) async fn on_reopened(
    conn: &mut SqliteConnection,
    ticket: TicketId,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE surveys SET status = 'superseded' WHERE ticket_id = ? AND status = 'pending'",
    )
    .bind(ticket.0)
    .execute(conn)
    .await?;
    Ok(())
}

/// A survey row as stored.
#[derive(sqlx::FromRow)]
pub(crate) struct SurveyRow {
    pub id: i64,
    pub ticket_id: i64,
    pub round: i64,
    pub sent_at: i64,
    pub expires_at: i64,
    pub status: String,
    pub answered_at: Option<i64>,
    pub source: Option<String>,
    pub speed: Option<i64>,
    pub professionalism: Option<i64>,
    pub resolution: Option<i64>,
    pub overall: Option<i64>,
    pub solved: Option<i64>,
    pub comment: String,
    pub follow_up_reasons: String,
    pub follow_up_ticket_id: Option<i64>,
    pub reopened: i64,
}

pub(crate) const SURVEY_COLUMNS: &str = "id, ticket_id, round, sent_at, expires_at, status, answered_at, source, speed, professionalism, resolution, overall, solved, comment, follow_up_reasons, follow_up_ticket_id, reopened";

fn score(v: Option<i64>) -> Result<u8, StoreError> {
    v.and_then(|v| u8::try_from(v).ok())
        .ok_or_else(|| StoreError::Corrupt("an answered survey without its scores".into()))
}

impl SurveyRow {
    pub fn answer(&self) -> Result<Option<Answer>, StoreError> {
        if self.answered_at.is_none() {
            return Ok(None);
        }
        let scores = Scores::new(
            score(self.speed)?,
            score(self.professionalism)?,
            score(self.resolution)?,
        )
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(Some(Answer {
            scores,
            solved: self.solved == Some(1),
            comment: self.comment.clone(),
        }))
    }

    pub fn state(&self) -> Result<SurveyState, StoreError> {
        Ok(SurveyState {
            status: decode(SurveyStatus::parse, &self.status, "survey status")?,
            expires_at: from_ms(self.expires_at)?,
            answer: self.answer()?,
        })
    }

    pub fn view(
        &self,
        now: DateTime<Utc>,
        follow_up: Option<FollowUpLink>,
    ) -> Result<SurveyView, StoreError> {
        let state = self.state()?;
        Ok(SurveyView {
            id: SurveyId(self.id),
            ticket_id: TicketId(self.ticket_id),
            round: count(self.round),
            sent_at: from_ms(self.sent_at)?,
            expires_at: state.expires_at,
            status: state.status.as_of(state.expires_at, now),
            answered_at: from_opt_ms(self.answered_at)?,
            source: self
                .source
                .as_deref()
                .map(|s| decode(AnswerSource::parse, s, "answer source"))
                .transpose()?,
            answer: state.answer,
            overall: self.overall.and_then(|o| u32::try_from(o).ok()).map(Tenths),
            follow_up_reasons: json(&self.follow_up_reasons, "follow-up reasons")?,
            follow_up,
            reopened: self.reopened == 1,
        })
    }
}

/// The survey of a ticket's latest round (if it has one).
pub(crate) async fn latest(
    conn: &mut SqliteConnection,
    ticket: TicketId,
) -> Result<Option<SurveyRow>, StoreError> {
    Ok(sqlx::query_as::<_, SurveyRow>(&format!(
        "SELECT {SURVEY_COLUMNS} FROM surveys WHERE ticket_id = ? ORDER BY round DESC LIMIT 1"
    ))
    .bind(ticket.0)
    .fetch_optional(conn)
    .await?)
}

/// The follow-up ticket a survey led to, with its owner's name.
pub(crate) async fn follow_up_link(
    conn: &mut SqliteConnection,
    follow_up: Option<i64>,
) -> Result<Option<FollowUpLink>, StoreError> {
    let Some(id) = follow_up else {
        return Ok(None);
    };
    let row: Option<(String, Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT t.number, t.assignee_id, u.name FROM tickets t LEFT JOIN users u ON u.id = t.assignee_id WHERE t.id = ?",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(number, owner, name)| FollowUpLink {
        ticket_id: TicketId(id),
        number,
        owner_id: owner.map(UserId),
        owner_name: name,
    }))
}
