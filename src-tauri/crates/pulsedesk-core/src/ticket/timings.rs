//! Ticket timings, computed from the event log in exactly one way (see docs/METRICS.md).
//!
//! * **First response** is the first moment the ticket entered 处理中 — the assignee has
//!   contacted the customer. First-response time = that moment − creation.
//! * **Resolution** is the last move into 已完成 while the ticket is still finished.
//!   Resolution time = that moment − creation (wall clock, across every round).
//!   A reopened ticket is unresolved again until it is finished again.

use super::event::{EventKind, TicketEvent};
use crate::kinds::Stage;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The moments that define a ticket's response and resolution times.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Timings {
    pub created_at: Option<DateTime<Utc>>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
}

impl Timings {
    /// Folds one event into the timings; events must come in log order.
    pub fn apply(&mut self, at: DateTime<Utc>, kind: &EventKind) {
        match kind {
            EventKind::Created { .. } => self.created_at = Some(at),
            EventKind::StageChanged { to, .. } => {
                if *to == Stage::InProgress && self.first_response_at.is_none() {
                    self.first_response_at = Some(at);
                }
                self.resolved_at = (*to == Stage::Done).then_some(at);
            }
            EventKind::Reopened { .. } => self.resolved_at = None,
            EventKind::Assigned { .. }
            | EventKind::NoteAdded { .. }
            | EventKind::PriorityChanged { .. }
            | EventKind::SlaAlert { .. }
            | EventKind::CapacityWait { .. }
            | EventKind::TransferRequested { .. }
            | EventKind::TransferDecided { .. } => {}
        }
    }

    /// Timings of a whole log.
    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a TicketEvent>) -> Self {
        let mut t = Timings::default();
        for e in events {
            t.apply(e.at, &e.kind);
        }
        t
    }

    /// First-response time in seconds, once responded.
    pub fn first_response_secs(&self) -> Option<i64> {
        Some((self.first_response_at? - self.created_at?).num_seconds())
    }

    /// Resolution time in seconds, while resolved.
    pub fn resolution_secs(&self) -> Option<i64> {
        Some((self.resolved_at? - self.created_at?).num_seconds())
    }
}

/// Time a ticket has spent in one stage, summed over every visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StageDuration {
    pub stage: Stage,
    #[ts(type = "number")]
    pub seconds: i64,
    /// How many times the ticket entered this stage.
    pub visits: u32,
}

/// Time spent in each stage, in workflow order; the current stage counts up to `now`.
/// Time in 已完成 is not counted once a ticket is finished for good.
pub fn stage_durations<'a>(
    events: impl IntoIterator<Item = &'a TicketEvent>,
    now: DateTime<Utc>,
) -> Vec<StageDuration> {
    let mut totals: Vec<StageDuration> = Stage::ALL
        .iter()
        .map(|s| StageDuration {
            stage: *s,
            seconds: 0,
            visits: 0,
        })
        .collect();
    let idx = |s: Stage| Stage::ALL.iter().position(|x| *x == s).unwrap_or(0);
    let mut current: Option<(Stage, DateTime<Utc>)> = None;
    for e in events {
        let entered = match &e.kind {
            EventKind::Created { .. } => Some(Stage::Unassigned),
            EventKind::StageChanged { to, .. } => Some(*to),
            _ => None,
        };
        if let Some(stage) = entered {
            if let Some((prev, since)) = current {
                totals[idx(prev)].seconds += (e.at - since).num_seconds().max(0);
            }
            totals[idx(stage)].visits += 1;
            current = Some((stage, e.at));
        }
    }
    if let Some((stage, since)) = current {
        if stage != Stage::Done {
            totals[idx(stage)].seconds += (now - since).num_seconds().max(0);
        }
    }
    totals
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::UserId;
    use crate::ticket::fixtures::{created, ev, mv, t0};
    use chrono::Duration;

    fn full_life() -> Vec<TicketEvent> {
        vec![
            created(),
            ev(
                2,
                EventKind::Assigned {
                    from: None,
                    to: UserId(7),
                    why: None,
                },
            ),
            mv(2, Stage::Unassigned, Stage::ToContact),
            mv(12, Stage::ToContact, Stage::InProgress),
            mv(20, Stage::InProgress, Stage::AwaitingReply),
            mv(50, Stage::AwaitingReply, Stage::InProgress),
            mv(60, Stage::InProgress, Stage::Done),
        ]
    }

    #[test]
    fn response_and_resolution_times() {
        let t = Timings::from_events(&full_life());
        assert_eq!(t.first_response_secs(), Some(12 * 60));
        assert_eq!(t.resolution_secs(), Some(60 * 60));
    }

    #[test]
    fn first_response_is_the_first_entry_into_in_progress_only() {
        let t = Timings::from_events(&full_life()[..4]);
        assert_eq!(t.first_response_secs(), Some(12 * 60));
        assert_eq!(t.resolution_secs(), None);
        let t = Timings::from_events(&full_life()[..3]);
        assert_eq!(t.first_response_secs(), None);
    }

    #[test]
    fn reopening_unresolves_until_done_again() {
        let mut log = full_life();
        log.push(ev(
            100,
            EventKind::Reopened {
                round: 2,
                reason: "still broken".into(),
            },
        ));
        log.push(mv(100, Stage::Done, Stage::InProgress));
        let t = Timings::from_events(&log);
        assert_eq!(t.resolved_at, None);
        assert_eq!(
            t.first_response_secs(),
            Some(12 * 60),
            "first response never moves"
        );
        log.push(mv(130, Stage::InProgress, Stage::Done));
        assert_eq!(Timings::from_events(&log).resolution_secs(), Some(130 * 60));
    }

    #[test]
    fn durations_per_stage_sum_every_visit() {
        let d = stage_durations(&full_life(), t0() + Duration::hours(5));
        let secs = |s: Stage| d.iter().find(|x| x.stage == s).unwrap().seconds;
        let visits = |s: Stage| d.iter().find(|x| x.stage == s).unwrap().visits;
        assert_eq!(secs(Stage::Unassigned), 2 * 60);
        assert_eq!(secs(Stage::ToContact), 10 * 60);
        assert_eq!(secs(Stage::InProgress), (8 + 10) * 60);
        assert_eq!(visits(Stage::InProgress), 2);
        assert_eq!(secs(Stage::AwaitingReply), 30 * 60);
        assert_eq!(secs(Stage::Done), 0, "a finished ticket stops counting");
        assert_eq!(d.iter().map(|x| x.seconds).sum::<i64>(), 60 * 60);
    }

    #[test]
    fn the_current_stage_counts_up_to_now() {
        let log = &full_life()[..4];
        let d = stage_durations(log, t0() + Duration::minutes(45));
        let in_progress = d.iter().find(|x| x.stage == Stage::InProgress).unwrap();
        assert_eq!(in_progress.seconds, 33 * 60);
    }

    #[test]
    fn a_clock_that_went_backwards_never_gives_negative_time() {
        let log = vec![created(), mv(-5, Stage::Unassigned, Stage::ToContact)];
        let d = stage_durations(&log, t0() - Duration::minutes(10));
        assert!(d.iter().all(|x| x.seconds >= 0));
    }
}
