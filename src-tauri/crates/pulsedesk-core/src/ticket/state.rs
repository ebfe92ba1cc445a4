//! A ticket's current state as the fold of its event log. The store keeps this projection
//! in the `tickets` row and updates it with the same [`TicketState::apply`].

use super::event::EventKind;
use super::timings::Timings;
use crate::ids::UserId;
use crate::kinds::{Outcome, Stage};
use chrono::{DateTime, Utc};

/// What the event log says a ticket looks like now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketState {
    pub stage: Stage,
    pub assignee: Option<UserId>,
    pub outcome: Option<Outcome>,
    /// 1 for the first round, 2 after the first reopening, ...
    pub round: u32,
    pub timings: Timings,
}

impl Default for TicketState {
    fn default() -> Self {
        TicketState {
            stage: Stage::Unassigned,
            assignee: None,
            outcome: None,
            round: 1,
            timings: Timings::default(),
        }
    }
}

impl TicketState {
    /// Folds one event in.
    pub fn apply(&mut self, at: DateTime<Utc>, kind: &EventKind) {
        self.timings.apply(at, kind);
        match kind {
            EventKind::Created { .. } => {
                *self = TicketState {
                    timings: self.timings,
                    ..Default::default()
                }
            }
            EventKind::Assigned { to, .. } => self.assignee = Some(*to),
            EventKind::StageChanged { to, outcome, .. } => {
                self.stage = *to;
                if *to == Stage::Done {
                    self.outcome = *outcome;
                }
            }
            EventKind::Reopened { round, .. } => {
                self.round = *round;
                self.outcome = None;
            }
            EventKind::NoteAdded { .. }
            | EventKind::PriorityChanged { .. }
            | EventKind::SlaAlert { .. }
            | EventKind::CapacityWait { .. }
            | EventKind::TransferRequested { .. }
            | EventKind::TransferDecided { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::{Channel, Priority, Tier};
    use chrono::TimeZone;

    #[test]
    fn folding_a_life_gives_its_current_state() {
        let t = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let mut s = TicketState::default();
        let created = EventKind::Created {
            channel: Channel::Email,
            priority: Priority::Low,
            tier: Tier::Normal,
        };
        s.apply(t, &created);
        s.apply(
            t,
            &EventKind::Assigned {
                from: None,
                to: UserId(3),
                why: None,
            },
        );
        s.apply(
            t,
            &EventKind::StageChanged {
                from: Stage::Unassigned,
                to: Stage::ToContact,
                outcome: None,
            },
        );
        s.apply(
            t,
            &EventKind::StageChanged {
                from: Stage::ToContact,
                to: Stage::InProgress,
                outcome: None,
            },
        );
        s.apply(
            t,
            &EventKind::StageChanged {
                from: Stage::InProgress,
                to: Stage::Done,
                outcome: Some(Outcome::Partially),
            },
        );
        assert_eq!(
            (s.stage, s.assignee, s.outcome, s.round),
            (Stage::Done, Some(UserId(3)), Some(Outcome::Partially), 1)
        );
        s.apply(
            t,
            &EventKind::Reopened {
                round: 2,
                reason: "again".into(),
            },
        );
        s.apply(
            t,
            &EventKind::StageChanged {
                from: Stage::Done,
                to: Stage::InProgress,
                outcome: None,
            },
        );
        assert_eq!((s.stage, s.outcome, s.round), (Stage::InProgress, None, 2));
        assert!(s.timings.resolved_at.is_none());
    }
}
