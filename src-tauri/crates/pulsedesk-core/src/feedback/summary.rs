//! The feedback module's figures: CSAT and the three dimensions over any set of answers.

use super::score::Tenths;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The mean of `sum` whole scores over `n` answers, to the nearest tenth (halves up);
/// none without answers.
pub fn mean_tenths(sum: u64, n: u64) -> Option<Tenths> {
    if n == 0 {
        return None;
    }
    // floor(sum × 10 / n + 1/2), in integers.
    let t = (sum * 20 + n) / (2 * n);
    Some(Tenths(u32::try_from(t).unwrap_or(u32::MAX)))
}

/// Sums over a set of answers, as the store adds them up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sums {
    pub answers: u64,
    pub speed: u64,
    pub professionalism: u64,
    pub resolution: u64,
    /// Answers saying the problem was solved.
    pub solved: u64,
    /// Answers that needed a follow-up (需跟进).
    pub follow_ups: u64,
}

/// Figures over a set of answers. CSAT is the mean of all three scores of every answer,
/// to one decimal — the same rule as one survey's overall score, so one answer's CSAT is
/// its overall. Definitions in docs/METRICS.md ("Feedback").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FeedbackFigures {
    pub answers: u32,
    pub csat: Option<Tenths>,
    pub speed: Option<Tenths>,
    pub professionalism: Option<Tenths>,
    pub resolution: Option<Tenths>,
    /// Answers saying the problem was solved.
    pub solved: u32,
    pub follow_ups: u32,
}

fn small(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl FeedbackFigures {
    pub fn of(s: Sums) -> Self {
        Self {
            answers: small(s.answers),
            csat: mean_tenths(s.speed + s.professionalism + s.resolution, s.answers * 3),
            speed: mean_tenths(s.speed, s.answers),
            professionalism: mean_tenths(s.professionalism, s.answers),
            resolution: mean_tenths(s.resolution, s.answers),
            solved: small(s.solved),
            follow_ups: small(s.follow_ups),
        }
    }
}

/// Figures for one member, ticket type or day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FeedbackGroup {
    /// The member's or type's id; for days, the day's number since 1970-01-01.
    pub id: i64,
    pub name: String,
    pub figures: FeedbackFigures,
}

/// One row of the feedback score summary table (客户反馈评分汇总表), and of the module's
/// list of answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FeedbackRow {
    pub survey_id: crate::ids::SurveyId,
    pub ticket_id: crate::ids::TicketId,
    pub number: String,
    pub answered_at: DateTime<Utc>,
    /// The day it was answered, in the team's calendar.
    pub day: NaiveDate,
    pub overall: Tenths,
    pub speed: u8,
    pub professionalism: u8,
    pub resolution: u8,
    pub solved: bool,
    pub comment: String,
    pub agent_name: Option<String>,
    pub type_name: String,
    pub needs_follow_up: bool,
    /// The supervisor who follows it up (跟进责任人).
    pub follow_up_owner: Option<String>,
    pub follow_up_number: Option<String>,
}

/// The feedback module over a range of days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FeedbackOverview {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub total: FeedbackFigures,
    pub by_agent: Vec<FeedbackGroup>,
    pub by_type: Vec<FeedbackGroup>,
    pub by_day: Vec<FeedbackGroup>,
    /// Surveys sent in the range and still waiting / expired unanswered.
    pub pending: u32,
    pub expired: u32,
    /// The latest answers first (at most 500).
    pub latest: Vec<FeedbackRow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_answers_csat_is_its_overall_score() {
        let f = FeedbackFigures::of(Sums {
            answers: 1,
            speed: 5,
            professionalism: 5,
            resolution: 4,
            solved: 1,
            follow_ups: 0,
        });
        assert_eq!(f.csat, Some(Tenths(47)));
        assert_eq!(f.speed, Some(Tenths(50)));
        assert_eq!(f.resolution, Some(Tenths(40)));
    }

    #[test]
    fn means_round_to_the_nearest_tenth_halves_up() {
        assert_eq!(mean_tenths(0, 0), None);
        // 9 / 2 = 4.5 exactly.
        assert_eq!(mean_tenths(9, 2), Some(Tenths(45)));
        // 29 / 8 = 3.625 → 3.6; 7 / 4 = 1.75 → 1.8 (halfway, up).
        assert_eq!(mean_tenths(29, 8), Some(Tenths(36)));
        assert_eq!(mean_tenths(7, 4), Some(Tenths(18)));
        // 1 / 40 = 0.025 → 0.0
        assert_eq!(mean_tenths(1, 40), Some(Tenths(0)));
    }

    #[test]
    fn no_answers_no_means() {
        let f = FeedbackFigures::of(Sums::default());
        assert_eq!(f.answers, 0);
        assert_eq!(f.csat, None);
    }
}
