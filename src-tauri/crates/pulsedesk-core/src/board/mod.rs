//! The team board (团队看板): what a supervisor's wall screen shows, as plain data.
//!
//! The figures are defined once, in docs/METRICS.md ("Board"); the store computes them with
//! SQL over its ticket rows, and the tests check them against a fold of the raw event logs.

mod period;

pub use period::{midnight, periods, DayRange, Period, PeriodKey, MAX_RANGE_DAYS};

use crate::ids::{TicketId, TicketTypeId, UserId};
use crate::kinds::{Priority, Stage};
use crate::sla::ClockKind;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A mean duration over some tickets, in whole seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Average {
    /// How many tickets the mean is over.
    pub tickets: u32,
    /// The mean, rounded to the nearest second (halves away from zero); none without tickets.
    #[ts(type = "number | null")]
    pub secs: Option<i64>,
}

impl Average {
    /// The mean of `total` seconds over `tickets`, rounded as documented.
    pub fn of(total: i64, tickets: u32) -> Self {
        if tickets == 0 {
            return Self::default();
        }
        // Integer arithmetic (no float error on large sums): floor(|total| / n + 1/2).
        let n = i128::from(tickets);
        let t = i128::from(total);
        let rounded = (2 * t.abs() + n) / (2 * n);
        let secs = i64::try_from(if t < 0 { -rounded } else { rounded }).unwrap_or(i64::MAX);
        Self {
            tickets,
            secs: Some(secs),
        }
    }
}

/// The team's response and resolution figures over one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PeriodFigures {
    pub key: PeriodKey,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Tickets logged in the period.
    pub created: u32,
    /// First-response time of the tickets first responded to in the period.
    pub first_response: Average,
    /// Resolution time of the tickets resolved in the period.
    pub resolution: Average,
    /// SLA attainment of the tickets logged in the period, per priority (most urgent first).
    pub sla: Vec<SlaAttainment>,
}

/// How many clocks met their target and how many breached it; clocks still running within
/// their target are in neither.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Verdicts {
    pub met: u32,
    pub breached: u32,
    /// met ÷ (met + breached), in tenths of a percent rounded half up; none without verdicts.
    pub per_mille: Option<u32>,
}

impl Verdicts {
    pub fn of(met: u32, breached: u32) -> Self {
        let total = u64::from(met) + u64::from(breached);
        let per_mille = (total > 0).then(|| {
            let tenths = (u64::from(met) * 2000 + total) / (2 * total);
            u32::try_from(tenths).unwrap_or(1000)
        });
        Self {
            met,
            breached,
            per_mille,
        }
    }
}

/// SLA attainment for one priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SlaAttainment {
    pub priority: Priority,
    pub first_response: Verdicts,
    pub resolution: Verdicts,
}

/// Open tickets in one stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StageCount {
    pub stage: Stage,
    pub tickets: u32,
}

/// Open tickets of one type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TypeCount {
    pub type_id: TicketTypeId,
    pub name: String,
    pub tickets: u32,
}

/// One member's row in the per-agent table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AgentFigures {
    pub id: UserId,
    pub name: String,
    /// Tickets they resolved today.
    pub handled_today: u32,
    /// Open tickets assigned to them now, and their cap.
    pub open: u32,
    pub cap: u32,
    /// Their open tickets whose headline SLA clock is past its target now.
    pub overdue: u32,
    /// Their first-response time over the last 7 days.
    pub first_response: Average,
    /// Customer satisfaction over the last 7 days: the answers to the surveys of tickets
    /// they finished, and their CSAT (docs/METRICS.md, "Feedback").
    pub answers: u32,
    pub csat: Option<crate::feedback::Tenths>,
}

/// Tickets in the pool, waiting for someone with capacity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Waiting {
    pub tickets: u32,
    /// When the longest-waiting one was logged.
    pub oldest_since: Option<DateTime<Utc>>,
}

/// An open ticket whose headline clock is near its target or past it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NearBreach {
    pub id: TicketId,
    pub number: String,
    pub subject: String,
    pub priority: Priority,
    pub stage: Stage,
    pub assignee: Option<String>,
    pub clock: ClockKind,
    pub due_at: DateTime<Utc>,
    /// Already past the target.
    pub breached: bool,
}

/// Everything the board shows, at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Board {
    pub at: DateTime<Utc>,
    /// Today, the last 7 days, and the chosen range when there is one.
    pub periods: Vec<PeriodFigures>,
    /// Open tickets by stage, in workflow order (every open stage, zeros included).
    pub backlog_by_stage: Vec<StageCount>,
    /// Open tickets by type, most first.
    pub backlog_by_type: Vec<TypeCount>,
    /// Members who take tickets, by name.
    pub agents: Vec<AgentFigures>,
    pub waiting: Waiting,
    /// Open tickets breached now, the longest overdue first; at most [`NEAR_BREACH_ROWS`].
    pub breached: Vec<NearBreach>,
    /// Open tickets near breach (not breached yet), the soonest due first; at most
    /// [`NEAR_BREACH_ROWS`].
    pub near_breach: Vec<NearBreach>,
    /// How many open tickets are breached now, the whole team (shown beside the SLA
    /// attainment, which judges only the tickets logged in its period).
    pub overdue: u32,
}

/// Rows in each of the breached and near-breach lists.
pub const NEAR_BREACH_ROWS: usize = 50;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averages_round_to_the_nearest_second_halves_away_from_zero() {
        assert_eq!(Average::of(0, 0), Average::default());
        assert_eq!(Average::of(10, 4).secs, Some(3)); // 2.5 → 3
        assert_eq!(Average::of(9, 4).secs, Some(2)); // 2.25 → 2
        assert_eq!(Average::of(11, 4).secs, Some(3)); // 2.75 → 3
        assert_eq!(Average::of(7, 2).secs, Some(4)); // 3.5 → 4
        assert_eq!(Average::of(5, 3).secs, Some(2)); // 1.67 → 2
        assert_eq!(Average::of(4, 3).secs, Some(1)); // 1.33 → 1
        assert_eq!(Average::of(-10, 4).secs, Some(-3)); // −2.5 → −3
        assert_eq!(Average::of(600, 1).tickets, 1);
    }

    #[test]
    fn attainment_is_met_over_decided_in_tenths_of_a_percent() {
        assert_eq!(Verdicts::of(0, 0).per_mille, None);
        assert_eq!(Verdicts::of(1, 0).per_mille, Some(1000));
        assert_eq!(Verdicts::of(0, 4).per_mille, Some(0));
        assert_eq!(Verdicts::of(2, 1).per_mille, Some(667)); // 66.67% → 66.7%
        assert_eq!(Verdicts::of(1, 2).per_mille, Some(333));
        assert_eq!(Verdicts::of(1, 1999).per_mille, Some(1)); // 0.05% → 0.1%
        assert_eq!(Verdicts::of(1, 2001).per_mille, Some(0));
    }
}
