//! The satisfaction survey's life: one per resolution cycle, open until it is answered,
//! expires, or the ticket is reopened. Late and duplicate answers get one fixed outcome.

use super::score::{Scores, Tenths};
use super::FollowUpReason;
use crate::ids::{SurveyId, TicketId, UserId};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Surveys expire after this many days unless the team sets another.
pub const DEFAULT_EXPIRY_DAYS: u32 = 7;

/// Where a survey stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SurveyStatus {
    /// Sent, waiting for the customer.
    Pending,
    Answered,
    /// Not answered in time.
    Expired,
    /// The ticket was reopened before an answer came; the next round gets a new survey.
    Superseded,
}

impl SurveyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SurveyStatus::Pending => "pending",
            SurveyStatus::Answered => "answered",
            SurveyStatus::Expired => "expired",
            SurveyStatus::Superseded => "superseded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "pending" => SurveyStatus::Pending,
            "answered" => SurveyStatus::Answered,
            "expired" => SurveyStatus::Expired,
            "superseded" => SurveyStatus::Superseded,
            _ => return None,
        })
    }

    /// The status as of `now`: a pending survey past its expiry has expired.
    pub fn as_of(self, expires_at: DateTime<Utc>, now: DateTime<Utc>) -> Self {
        if self == SurveyStatus::Pending && now >= expires_at {
            SurveyStatus::Expired
        } else {
            self
        }
    }
}

/// How an answer reached the team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AnswerSource {
    /// Told to an agent on the phone, who typed it in.
    Phone,
    /// From a file of results (e.g. an SMS provider's export).
    Import,
    /// Through the survey link the channel gateway sends.
    Link,
}

impl AnswerSource {
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerSource::Phone => "phone",
            AnswerSource::Import => "import",
            AnswerSource::Link => "link",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "phone" => AnswerSource::Phone,
            "import" => AnswerSource::Import,
            "link" => AnswerSource::Link,
            _ => return None,
        })
    }
}

/// A customer's answer: the three scores, whether the problem was solved, suggestions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Answer {
    pub scores: Scores,
    pub solved: bool,
    pub comment: String,
}

/// What becomes of an answer to a survey in a given state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Admission {
    /// Record it.
    Accept,
    /// The same answer was recorded already (an import run twice): nothing to do.
    AlreadyRecorded,
    /// Refused, with the reason the user sees.
    Refuse(Refusal),
}

/// Why an answer is not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// Answered after the survey expired.
    Late,
    /// The survey has a different answer already; the first one stands.
    Duplicate,
    /// The ticket was reopened; this round's survey follows when it is done again.
    Superseded,
}

impl Refusal {
    /// The refusal as the member is told it.
    pub fn reason(self) -> crate::reason::Reason {
        use crate::reason::Reason;
        match self {
            Refusal::Late => Reason::SurveyExpired,
            Refusal::Duplicate => Reason::SurveyAnswered,
            Refusal::Superseded => Reason::SurveySuperseded,
        }
    }
}

/// The survey as stored: enough to decide on an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyState {
    pub status: SurveyStatus,
    pub expires_at: DateTime<Utc>,
    /// The answer recorded, if any.
    pub answer: Option<Answer>,
}

/// Decides on an answer given at `answered_at`. The first answer wins; an answer given
/// at or after the expiry is late, whenever it arrives (an import is judged by the time the
/// customer answered, not the time of the import); a survey of an earlier round is closed.
pub fn admit(survey: &SurveyState, answer: &Answer, answered_at: DateTime<Utc>) -> Admission {
    match survey.status {
        SurveyStatus::Answered => match &survey.answer {
            Some(a) if same_answer(a, answer) => Admission::AlreadyRecorded,
            _ => Admission::Refuse(Refusal::Duplicate),
        },
        SurveyStatus::Superseded => Admission::Refuse(Refusal::Superseded),
        SurveyStatus::Expired => Admission::Refuse(Refusal::Late),
        SurveyStatus::Pending if answered_at >= survey.expires_at => {
            Admission::Refuse(Refusal::Late)
        }
        SurveyStatus::Pending => Admission::Accept,
    }
}

fn same_answer(a: &Answer, b: &Answer) -> bool {
    a.scores == b.scores && a.solved == b.solved && a.comment.trim() == b.comment.trim()
}

/// When a survey sent at `sent_at` expires.
pub fn expiry(sent_at: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    sent_at + Duration::days(i64::from(days))
}

/// The follow-up a piece of feedback led to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FollowUpLink {
    pub ticket_id: TicketId,
    pub number: String,
    pub owner_id: Option<UserId>,
    pub owner_name: Option<String>,
}

/// One survey as the ticket view and the feedback module show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SurveyView {
    pub id: SurveyId,
    pub ticket_id: TicketId,
    pub round: u32,
    pub sent_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// As of when it was read.
    pub status: SurveyStatus,
    pub answered_at: Option<DateTime<Utc>>,
    pub source: Option<AnswerSource>,
    pub answer: Option<Answer>,
    pub overall: Option<Tenths>,
    /// Why it needs a follow-up (需跟进); empty when it does not.
    pub follow_up_reasons: Vec<FollowUpReason>,
    pub follow_up: Option<FollowUpLink>,
    /// Whether the answer sent the ticket into another round (not solved).
    pub reopened: bool,
}

/// Picks the supervisor who owns a new follow-up: among active supervisors, the one with
/// the fewest open follow-ups, then the lowest id (so the choice is stable).
pub fn follow_up_owner(supervisors: &[(UserId, u32)]) -> Option<UserId> {
    supervisors
        .iter()
        .min_by_key(|(id, open)| (*open, *id))
        .map(|(id, _)| *id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, h, 0, 0).unwrap()
    }

    fn answer(s: u8, comment: &str) -> Answer {
        Answer {
            scores: Scores::new(s, s, s).unwrap(),
            solved: true,
            comment: comment.into(),
        }
    }

    fn pending() -> SurveyState {
        SurveyState {
            status: SurveyStatus::Pending,
            expires_at: t(12),
            answer: None,
        }
    }

    #[test]
    fn an_answer_in_time_is_accepted_and_one_at_the_expiry_is_late() {
        assert_eq!(admit(&pending(), &answer(4, ""), t(11)), Admission::Accept);
        assert_eq!(
            admit(&pending(), &answer(4, ""), t(12)),
            Admission::Refuse(Refusal::Late)
        );
    }

    #[test]
    fn the_first_answer_stands_and_the_same_one_again_is_not_an_error() {
        let answered = SurveyState {
            status: SurveyStatus::Answered,
            expires_at: t(12),
            answer: Some(answer(4, "ok ")),
        };
        assert_eq!(
            admit(&answered, &answer(4, "ok"), t(10)),
            Admission::AlreadyRecorded
        );
        assert_eq!(
            admit(&answered, &answer(2, "ok"), t(10)),
            Admission::Refuse(Refusal::Duplicate)
        );
        // Even after the expiry, a repeat of the recorded answer is recognised.
        assert_eq!(
            admit(&answered, &answer(4, "ok"), t(13)),
            Admission::AlreadyRecorded
        );
    }

    #[test]
    fn a_reopened_tickets_old_survey_takes_no_answers() {
        let s = SurveyState {
            status: SurveyStatus::Superseded,
            ..pending()
        };
        assert_eq!(
            admit(&s, &answer(5, ""), t(9)),
            Admission::Refuse(Refusal::Superseded)
        );
    }

    #[test]
    fn a_pending_survey_reads_as_expired_from_its_expiry() {
        assert_eq!(
            SurveyStatus::Pending.as_of(t(12), t(11)),
            SurveyStatus::Pending
        );
        assert_eq!(
            SurveyStatus::Pending.as_of(t(12), t(12)),
            SurveyStatus::Expired
        );
        assert_eq!(
            SurveyStatus::Answered.as_of(t(12), t(13)),
            SurveyStatus::Answered
        );
        assert_eq!(expiry(t(0), 7), t(0) + Duration::days(7));
    }

    #[test]
    fn the_owner_is_the_least_loaded_supervisor_then_the_lowest_id() {
        assert_eq!(follow_up_owner(&[]), None);
        assert_eq!(
            follow_up_owner(&[(UserId(7), 2), (UserId(3), 1), (UserId(5), 1)]),
            Some(UserId(3))
        );
    }

    #[test]
    fn statuses_and_sources_round_trip_their_names() {
        for s in [
            SurveyStatus::Pending,
            SurveyStatus::Answered,
            SurveyStatus::Expired,
            SurveyStatus::Superseded,
        ] {
            assert_eq!(SurveyStatus::parse(s.as_str()), Some(s));
        }
        for s in [
            AnswerSource::Phone,
            AnswerSource::Import,
            AnswerSource::Link,
        ] {
            assert_eq!(AnswerSource::parse(s.as_str()), Some(s));
        }
        assert_eq!(SurveyStatus::parse("nope"), None);
    }
}
