//! The monthly report for management: the month's key figures against the month before.
//! Definitions in docs/METRICS.md ("Monthly report").

use crate::board::{Average, Verdicts};
use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A share of tickets: `of` in `total`, in tenths of a percent (rounded half up).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Share {
    pub of: u32,
    pub total: u32,
    pub per_mille: Option<u32>,
}

impl Share {
    pub fn of(of: u32, total: u32) -> Self {
        let v = Verdicts::of(of, total.saturating_sub(of));
        Self {
            of,
            total,
            per_mille: v.per_mille,
        }
    }
}

/// One month's key figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MonthFigures {
    /// Tickets logged in the month.
    pub logged: u32,
    /// Tickets resolved in the month.
    pub resolved: u32,
    pub first_response: Average,
    pub resolution: Average,
    /// Time in 处理中 of the tickets resolved in the month.
    pub handling: Average,
    /// Of the tickets resolved in the month: resolved in the first round without waiting
    /// on the customer (首次解决率).
    pub first_contact: Share,
    /// Of the tickets resolved in the month: reopened at least once.
    pub reopened: Share,
    /// Of the urgent and high tickets logged in the month: resolution clock met.
    pub high_priority_resolved: Share,
    /// SLA attainment of the tickets logged in the month, all priorities.
    pub first_response_sla: Verdicts,
    pub resolution_sla: Verdicts,
}

/// The report of one calendar month, with the month before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MonthlyReport {
    /// The month's first day.
    pub month: NaiveDate,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// The month is not over: its figures are month to date.
    pub to_date: bool,
    /// Days of each month compared: this month's first N days against the same N days of
    /// the month before when it is not over (`None`: both months whole).
    pub compared_days: Option<u32>,
    pub this_month: MonthFigures,
    pub last_month: MonthFigures,
    /// Open tickets now, and how long they have waited since logged (seconds).
    pub backlog: u32,
    #[ts(type = "number | null")]
    pub backlog_median_age_secs: Option<i64>,
    #[ts(type = "number | null")]
    pub backlog_oldest_age_secs: Option<i64>,
    /// The open tickets by stage and by type, as the board charts them.
    pub backlog_by_stage: Vec<crate::board::StageCount>,
    pub backlog_by_type: Vec<crate::board::TypeCount>,
}

/// The first day of the month holding `day`, and of the month after.
pub fn month_of(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = day.with_day(1).unwrap_or(day);
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    };
    (first, next.unwrap_or(first))
}

/// What a monthly report compares, in local days `[from, to)`: the month holding `day` —
/// month to date when `today` falls in it — against the month before, cut to the same
/// number of days so that like is compared with like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthSpans {
    pub this: (NaiveDate, NaiveDate),
    pub before: (NaiveDate, NaiveDate),
    pub to_date: bool,
    pub compared_days: Option<u32>,
}

/// See [`MonthSpans`].
pub fn month_spans(day: NaiveDate, today: NaiveDate) -> MonthSpans {
    let (first, next) = month_of(day);
    let (prev, _) = month_of(first.checked_sub_days(Days::new(1)).unwrap_or(first));
    let to_date = today < next;
    if !to_date {
        return MonthSpans {
            this: (first, next),
            before: (prev, first),
            to_date,
            compared_days: None,
        };
    }
    // Days begun so far (today counts), and as many of the month before (never past its end).
    let days = if today < first {
        0
    } else {
        (today - first).num_days() + 1
    };
    let days = u32::try_from(days).unwrap_or(0);
    let before_end = prev
        .checked_add_days(Days::new(u64::from(days)))
        .map_or(first, |d| d.min(first));
    MonthSpans {
        this: (first, next),
        before: (prev, before_end),
        to_date,
        compared_days: Some(days),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_not_over_is_to_date_and_compared_with_the_same_days() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let s = month_spans(d(2026, 12, 3), d(2026, 12, 7));
        assert!(s.to_date);
        assert_eq!(s.compared_days, Some(7));
        assert_eq!(s.before, (d(2026, 11, 1), d(2026, 11, 8)));
        // A past month is whole against the whole month before.
        let s = month_spans(d(2026, 11, 15), d(2026, 12, 7));
        assert!(!s.to_date);
        assert_eq!(s.compared_days, None);
        assert_eq!(s.this, (d(2026, 11, 1), d(2026, 12, 1)));
        assert_eq!(s.before, (d(2026, 10, 1), d(2026, 11, 1)));
        // The 31st of March against a February of 28 days: all of February.
        let s = month_spans(d(2026, 3, 31), d(2026, 3, 31));
        assert_eq!(s.before, (d(2026, 2, 1), d(2026, 3, 1)));
    }

    #[test]
    fn months_roll_over_the_year() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(month_of(d(2026, 11, 23)), (d(2026, 11, 1), d(2026, 12, 1)));
        assert_eq!(month_of(d(2026, 12, 31)), (d(2026, 12, 1), d(2027, 1, 1)));
        assert_eq!(month_of(d(2024, 2, 29)), (d(2024, 2, 1), d(2024, 3, 1)));
    }

    #[test]
    fn shares_in_tenths_of_a_percent() {
        assert_eq!(Share::of(0, 0).per_mille, None);
        assert_eq!(Share::of(85, 100).per_mille, Some(850));
        assert_eq!(Share::of(2, 3).per_mille, Some(667));
        assert_eq!(Share::of(3, 3).per_mille, Some(1000));
    }
}
