//! Before and after: equal windows around the day a measure started, and the verdict.

use super::{Metric, Target};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The two windows, as local days (first included, `end` excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Windows {
    pub before_first: NaiveDate,
    /// The day the measure started: the end of "before" and the start of "after".
    pub started_on: NaiveDate,
    /// The day after the last day of "after".
    pub after_end: NaiveDate,
    /// Days in each window (the after window may be shorter while it runs; the before
    /// window then has the same length).
    pub days: u32,
    /// Whether the after window has run its full length.
    pub complete: bool,
}

/// Equal windows before and after `started_on`, as of `today`. While the after window
/// runs, both cover the days so far (at least one), so the comparison is always like for
/// like. `None` before the measure starts.
pub fn windows(started_on: NaiveDate, window_days: u32, today: NaiveDate) -> Option<Windows> {
    if today < started_on {
        return None;
    }
    let elapsed = u32::try_from((today - started_on).num_days()).unwrap_or(u32::MAX);
    // Today is not over: it does not count until tomorrow, except on the first day.
    let days = elapsed.clamp(1, window_days);
    let complete = elapsed >= window_days;
    Some(Windows {
        before_first: started_on.checked_sub_days(Days::new(u64::from(days)))?,
        started_on,
        after_end: started_on.checked_add_days(Days::new(u64::from(days)))?,
        days,
        complete,
    })
}

/// One metric before and after.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
pub struct Comparison {
    pub metric: Metric,
    /// `None` when the window had nothing to measure.
    pub before: Option<f64>,
    pub after: Option<f64>,
    /// (after − before) / before, percent to one decimal; `None` without both or with
    /// before = 0.
    pub change_percent: Option<f64>,
}

/// A target against the after window.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
pub struct TargetResult {
    pub target: Target,
    pub comparison: Comparison,
    /// `None` while nothing was measured after the start.
    pub met: Option<bool>,
}

/// What the numbers say about a measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Not started yet.
    NotStarted,
    /// The after window is still running (the figures so far are shown).
    Measuring,
    /// Every target met over the full window.
    Met,
    /// A target missed over the full window, or nothing to measure: revise the measure.
    NeedsRevision,
}

/// The evaluation the measures table shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Evaluation {
    pub windows: Option<Windows>,
    pub results: Vec<TargetResult>,
    pub verdict: Verdict,
}

fn meets(target: &Target, value: f64) -> bool {
    if target.metric.higher_is_better() {
        value >= target.value
    } else {
        value <= target.value
    }
}

/// Judges the targets from the measured values (`before`, `after`) of each target's metric.
pub fn judge(
    windows: Option<Windows>,
    targets: &[Target],
    measured: impl Fn(Metric) -> (Option<f64>, Option<f64>),
) -> Evaluation {
    let Some(w) = windows else {
        return Evaluation {
            windows: None,
            results: vec![],
            verdict: Verdict::NotStarted,
        };
    };
    let results: Vec<TargetResult> = targets
        .iter()
        .map(|t| {
            let (before, after) = measured(t.metric);
            let change_percent = match (before, after) {
                (Some(b), Some(a)) if b != 0.0 => Some(((a - b) / b * 1000.0).round() / 10.0),
                _ => None,
            };
            TargetResult {
                target: *t,
                comparison: Comparison {
                    metric: t.metric,
                    before,
                    after,
                    change_percent,
                },
                met: after.map(|a| meets(t, a)),
            }
        })
        .collect();
    let verdict = if !w.complete {
        Verdict::Measuring
    } else if results.iter().all(|r| r.met == Some(true)) {
        Verdict::Met
    } else {
        Verdict::NeedsRevision
    };
    Evaluation {
        windows: Some(w),
        results,
        verdict,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn windows_are_equal_and_meet_at_the_start() {
        assert_eq!(windows(d(3, 10), 14, d(3, 9)), None);
        let w = windows(d(3, 10), 14, d(3, 10)).unwrap();
        assert_eq!(
            (w.before_first, w.after_end, w.days),
            (d(3, 9), d(3, 11), 1)
        );
        assert!(!w.complete);
        let w = windows(d(3, 10), 14, d(3, 15)).unwrap();
        assert_eq!(
            (w.before_first, w.after_end, w.days),
            (d(3, 5), d(3, 15), 5)
        );
        let w = windows(d(3, 10), 14, d(3, 24)).unwrap();
        assert!(w.complete);
        assert_eq!(
            (w.before_first, w.after_end, w.days),
            (d(2, 24), d(3, 24), 14)
        );
        // Long after: still the first 14 days after the start.
        let w = windows(d(3, 10), 14, d(6, 1)).unwrap();
        assert_eq!(w.after_end, d(3, 24));
    }

    fn vip10() -> Target {
        Target {
            metric: Metric::VipFirstResponseMinutes,
            value: 10.0,
        }
    }

    fn csat45() -> Target {
        Target {
            metric: Metric::Csat,
            value: 4.5,
        }
    }

    #[test]
    fn every_target_met_over_the_full_window_is_met() {
        let w = windows(d(3, 10), 14, d(3, 30));
        let e = judge(w, &[vip10(), csat45()], |m| match m {
            Metric::Csat => (Some(4.2), Some(4.5)),
            _ => (Some(16.0), Some(10.0)),
        });
        assert_eq!(e.verdict, Verdict::Met, "exactly on the target counts");
        let vip = e.results[0].comparison;
        assert_eq!(vip.change_percent, Some(-37.5));
    }

    #[test]
    fn one_missed_target_or_nothing_measured_needs_revision() {
        let w = windows(d(3, 10), 14, d(3, 30));
        let e = judge(w, &[vip10(), csat45()], |m| match m {
            Metric::Csat => (Some(4.2), Some(4.4)),
            _ => (Some(16.0), Some(9.0)),
        });
        assert_eq!(e.verdict, Verdict::NeedsRevision);
        assert_eq!(e.results[1].met, Some(false));
        let e = judge(w, &[vip10()], |_| (Some(16.0), None));
        assert_eq!(e.verdict, Verdict::NeedsRevision);
        assert_eq!(e.results[0].met, None);
    }

    #[test]
    fn a_running_window_is_measuring_even_when_the_numbers_look_good() {
        let w = windows(d(3, 10), 14, d(3, 12));
        let e = judge(w, &[vip10()], |_| (Some(16.0), Some(8.0)));
        assert_eq!(e.verdict, Verdict::Measuring);
        assert_eq!(e.results[0].met, Some(true));
        assert_eq!(
            judge(None, &[vip10()], |_| (None, None)).verdict,
            Verdict::NotStarted
        );
    }
}
