//! The weekly review: why VIP tickets missed their first-response target (read from their
//! timelines), the most frequent unresolved problems, and each agent's and type's figures
//! against the week before. Definitions in docs/METRICS.md ("Weekly review").

mod monthly;
mod problems;
mod reasons;

pub use monthly::{month_of, month_spans, MonthFigures, MonthSpans, MonthlyReport, Share};

pub use problems::{
    frequent_problems, is_focus, per_mille, FrequentProblem, ProblemWords, TypeShare,
    FOCUS_MIN_COMPLAINTS, FOCUS_PER_MILLE,
};
pub use reasons::{breach_reasons, BreachReason};

/// Pop-up text: last week's review is ready (and where it was saved).
pub fn review_ready_text(
    lang: crate::sla::notice::Lang,
    week: NaiveDate,
    saved: &str,
) -> (String, String) {
    match lang {
        crate::sla::notice::Lang::Zh => (
            format!("上周复盘已生成：{week} 起的一周"),
            format!("已保存到 {saved}。点击在团队看板中查看。"),
        ),
        crate::sla::notice::Lang::En => (
            format!("Weekly review ready: week of {week}"),
            format!("Saved to {saved}. Click to open it on the team board."),
        ),
    }
}

use crate::board::Average;
use crate::ids::TicketTypeId;
use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How many tickets a reason explains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReasonCount {
    pub reason: BreachReason,
    pub tickets: u32,
}

/// Unresolved tickets of one type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProblemCount {
    pub type_id: TicketTypeId,
    pub name: String,
    pub tickets: u32,
}

/// One week's figures for an agent or a type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WeekFigures {
    /// Tickets resolved in the week.
    pub resolved: u32,
    /// First-response time of the tickets first responded to in the week.
    pub first_response: Average,
    /// First-response clocks breached, of tickets logged in the week.
    pub breached: u32,
}

/// This week against the week before, for one agent or one type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Trend {
    /// The member's or the type's id.
    pub id: i64,
    pub name: String,
    pub this_week: WeekFigures,
    pub last_week: WeekFigures,
}

/// The review of one week (Monday to Sunday, the team's calendar).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WeeklyReview {
    /// The week's Monday.
    pub week: NaiveDate,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// VIP tickets logged in the week whose first response was late.
    pub vip_breached: u32,
    /// The three reasons that explain most of them, most first (a ticket may have several).
    pub top_reasons: Vec<ReasonCount>,
    /// Types with the most tickets logged in the week and not fully resolved, most first.
    pub unresolved: Vec<ProblemCount>,
    pub agents: Vec<Trend>,
    pub types: Vec<Trend>,
    /// The words that came up most in the week's tickets and feedback, with the focus
    /// flags (filled by the app, which holds the word segmenter).
    pub problems: ProblemWords,
}

/// The week whose review is delivered on `today`: last week, once — any day of the week
/// after it counts (a supervisor away on Monday gets it when they next sign in) — unless
/// the week `delivered` (its Monday) is that week or later.
pub fn review_due(today: NaiveDate, delivered: Option<NaiveDate>) -> Option<NaiveDate> {
    let last = monday_of(today).checked_sub_days(Days::new(7))?;
    match delivered {
        Some(d) if d >= last => None,
        _ => Some(last),
    }
}

/// The Monday of the week holding `day`.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    let back = u64::from(day.weekday().num_days_from_monday());
    day.checked_sub_days(Days::new(back)).unwrap_or(day)
}

/// Counts reasons over tickets and keeps the three largest (ties: the order of
/// [`BreachReason::ALL`], so the answer never depends on input order).
pub fn top_reasons<'a>(
    per_ticket: impl IntoIterator<Item = &'a [BreachReason]>,
) -> Vec<ReasonCount> {
    let mut counts = [0u32; BreachReason::ALL.len()];
    for reasons in per_ticket {
        for r in reasons {
            counts[r.index()] += 1;
        }
    }
    let mut out: Vec<ReasonCount> = BreachReason::ALL
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(r, n)| ReasonCount {
            reason: *r,
            tickets: n,
        })
        .collect();
    // Stable: equal counts keep ALL's order.
    out.sort_by_key(|r| std::cmp::Reverse(r.tickets));
    out.truncate(3);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use BreachReason::*;

    #[test]
    fn last_weeks_review_is_due_once_from_the_monday_after() {
        let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        // Monday 23 November: the week of the 16th is due.
        assert_eq!(review_due(d(11, 23), None), Some(d(11, 16)));
        assert_eq!(review_due(d(11, 23), Some(d(11, 9))), Some(d(11, 16)));
        assert_eq!(review_due(d(11, 23), Some(d(11, 16))), None);
        // Away on Monday: still due on Thursday, and not again on Sunday.
        assert_eq!(review_due(d(11, 26), Some(d(11, 9))), Some(d(11, 16)));
        assert_eq!(review_due(d(11, 29), Some(d(11, 16))), None);
        // The next Monday brings the next week.
        assert_eq!(review_due(d(11, 30), Some(d(11, 16))), Some(d(11, 23)));
    }

    #[test]
    fn the_monday_of_any_day() {
        let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        assert_eq!(monday_of(d(11, 23)), d(11, 23));
        assert_eq!(monday_of(d(11, 29)), d(11, 23));
        assert_eq!(monday_of(d(12, 1)), d(11, 30));
    }

    #[test]
    fn the_top_three_reasons_with_ties_in_a_fixed_order() {
        let tickets: Vec<Vec<BreachReason>> = vec![
            vec![WaitedForCapacity, SlowContact],
            vec![SlowContact],
            vec![Reassigned],
            vec![SlowAssignment],
            vec![Other],
            vec![SlowContact, Reassigned],
        ];
        let top = top_reasons(tickets.iter().map(Vec::as_slice));
        let got: Vec<(BreachReason, u32)> = top.iter().map(|r| (r.reason, r.tickets)).collect();
        assert_eq!(
            got,
            [(SlowContact, 3), (Reassigned, 2), (WaitedForCapacity, 1)]
        );
        assert!(top_reasons(std::iter::empty()).is_empty());
    }
}
