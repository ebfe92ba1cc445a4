//! Recording an answer: admitted by the core's rules, scored, judged by the follow-up rule;
//! a low or slow-sounding answer opens a follow-up, "not solved" sends the ticket into its
//! next round — all in one transaction.

use super::survey::{follow_up_link, latest, SurveyRow, SURVEY_COLUMNS};
use crate::rows::to_json;
use crate::time::to_ms;
use crate::{StoreError, Workspace};
use chrono::{DateTime, Utc};
use pulsedesk_core::feedback::{admit, Admission, Answer, AnswerSource, SurveyView};
use pulsedesk_core::ids::{TicketId, UserId};
use pulsedesk_core::kinds::Stage;
use pulsedesk_core::permissions::{Action, Actor};
use pulsedesk_core::reason::Reason;
use pulsedesk_core::ticket::EventKind;
use pulsedesk_core::DomainError;
use sqlx::SqliteConnection;

/// What recording did.
pub(crate) struct Recorded {
    pub view: SurveyView,
    /// A follow-up was opened (new ticket, owner).
    pub follow_up: Option<(TicketId, Option<UserId>)>,
    /// Nothing new: the same answer was on record.
    pub repeat: bool,
}

/// The longest suggestion a survey keeps.
const MAX_COMMENT: usize = 2000;

/// Records `answer` on `survey`, given at `at`, inside the caller's transaction.
pub(crate) async fn record(
    ws: &Workspace,
    conn: &mut SqliteConnection,
    survey: SurveyRow,
    answer: &Answer,
    at: DateTime<Utc>,
    source: AnswerSource,
    by: Option<UserId>,
) -> Result<Recorded, StoreError> {
    let n = answer.comment.chars().count();
    if n > MAX_COMMENT {
        return Err(DomainError::invalid(
            "comment",
            Reason::TooLong {
                max: MAX_COMMENT as u32,
                len: u32::try_from(n).unwrap_or(u32::MAX),
            },
        )
        .into());
    }
    let now = ws.clock.now();
    match admit(&survey.state()?, answer, at) {
        Admission::Refuse(r) => return Err(StoreError::Conflict(r.reason())),
        Admission::AlreadyRecorded => {
            let link = follow_up_link(&mut *conn, survey.follow_up_ticket_id).await?;
            return Ok(Recorded {
                view: survey.view(now, link)?,
                follow_up: None,
                repeat: true,
            });
        }
        Admission::Accept => {}
    }
    let settings = super::settings(&mut *conn).await?;
    let overall = answer.scores.overall();
    let reasons = settings.rule.reasons(overall, &answer.comment);
    let ticket = TicketId(survey.ticket_id);

    let follow_up = if reasons.is_empty() {
        None
    } else {
        let day = ws.clock.local_day(at);
        Some(super::follow_up::open(&mut *conn, ticket, &answer.comment, day, at).await?)
    };

    // "Not solved" sends the ticket into its next round, if it is still finished in the
    // round this survey asked about.
    let mut reopened = false;
    if !answer.solved {
        let row = super::super::tickets::load_state(&mut *conn, ticket).await?;
        let state = row.state()?;
        if state.stage == Stage::Done && i64::from(state.round) == survey.round {
            let events = [
                EventKind::Reopened {
                    round: state.round + 1,
                    reason: "客户反馈：问题未解决 / The customer says the problem is not solved"
                        .into(),
                },
                EventKind::StageChanged {
                    from: Stage::Done,
                    to: Stage::InProgress,
                    outcome: None,
                },
            ];
            super::super::tickets::commit_events(&mut *conn, &row, by, at, &events).await?;
            reopened = true;
        }
    }

    let saved: SurveyRow = sqlx::query_as(&format!(
        "UPDATE surveys SET status = 'answered', answered_at = ?, source = ?, recorded_by = ?,
             speed = ?, professionalism = ?, resolution = ?, overall = ?, solved = ?, comment = ?,
             follow_up_reasons = ?, follow_up_ticket_id = ?, reopened = ?
         WHERE id = ? RETURNING {SURVEY_COLUMNS}"
    ))
    .bind(to_ms(at))
    .bind(source.as_str())
    .bind(by.map(|u| u.0))
    .bind(i64::from(answer.scores.speed))
    .bind(i64::from(answer.scores.professionalism))
    .bind(i64::from(answer.scores.resolution))
    .bind(i64::from(overall.0))
    .bind(answer.solved)
    .bind(answer.comment.trim())
    .bind(to_json(&reasons))
    .bind(follow_up.map(|(t, _)| t.0))
    .bind(reopened)
    .bind(survey.id)
    .fetch_one(&mut *conn)
    .await?;
    let link = follow_up_link(&mut *conn, saved.follow_up_ticket_id).await?;
    tracing::info!(
        survey = saved.id,
        ticket = saved.ticket_id,
        overall = %overall,
        follow_up = follow_up.is_some(),
        reopened,
        "survey answered"
    );
    Ok(Recorded {
        view: saved.view(now, link)?,
        follow_up,
        repeat: false,
    })
}

/// What a recorded answer changed, for the app to tell windows and people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackOutcome {
    pub survey: SurveyView,
    /// The follow-up ticket opened, and its owner.
    pub follow_up: Option<(TicketId, Option<UserId>)>,
}

impl Workspace {
    /// The survey of a ticket's latest round, if it has one.
    pub async fn ticket_survey(
        &self,
        actor: &Actor,
        id: TicketId,
    ) -> Result<Option<SurveyView>, StoreError> {
        let mut conn = self.pool.begin().await?;
        let row = super::super::tickets::load_state(&mut conn, id).await?;
        actor.authorize(Action::ViewTicket {
            assignee: row.state()?.assignee,
        })?;
        let Some(s) = latest(&mut conn, id).await? else {
            return Ok(None);
        };
        let link = follow_up_link(&mut conn, s.follow_up_ticket_id).await?;
        conn.rollback().await?;
        Ok(Some(s.view(self.clock.now(), link)?))
    }

    /// Records the answer a customer gave by phone to the survey of `id`'s latest round.
    pub async fn record_feedback(
        &self,
        actor: &Actor,
        id: TicketId,
        answer: &Answer,
    ) -> Result<FeedbackOutcome, StoreError> {
        self.local_only(pulsedesk_core::reason::Feature::Feedback)?;
        let now = self.clock.now();
        let mut tx = self.begin_write().await?;
        let row = super::super::tickets::load_state(&mut tx, id).await?;
        actor.authorize(Action::RecordFeedback {
            assignee: row.state()?.assignee,
        })?;
        let survey = latest(&mut tx, id)
            .await?
            .ok_or_else(|| DomainError::invalid("survey", Reason::NoSurveyYet))?;
        let r = record(
            self,
            &mut tx,
            survey,
            answer,
            now,
            AnswerSource::Phone,
            Some(actor.id),
        )
        .await?;
        tx.commit().await?;
        if r.repeat {
            return Err(StoreError::Conflict(Reason::AnswerOnRecord));
        }
        Ok(FeedbackOutcome {
            survey: r.view,
            follow_up: r.follow_up,
        })
    }
}
