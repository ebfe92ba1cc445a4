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

/// The kinds of event ([`EventKind::name`]) that change a [`TicketState`]: a fold may read
/// just these — a long conversation's notes and alerts change nothing.
pub const STATE_EVENTS: [&str; 4] = ["created", "assigned", "stage_changed", "reopened"];

impl EventKind {
    /// Whether folding this event can change a ticket's state (see [`STATE_EVENTS`]).
    pub fn changes_state(&self) -> bool {
        match self {
            EventKind::Created { .. }
            | EventKind::Assigned { .. }
            | EventKind::StageChanged { .. }
            | EventKind::Reopened { .. } => true,
            EventKind::NoteAdded { .. }
            | EventKind::PriorityChanged { .. }
            | EventKind::SlaAlert { .. }
            | EventKind::CapacityWait { .. }
            | EventKind::TransferRequested { .. }
            | EventKind::TransferDecided { .. } => false,
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

    #[test]
    fn a_fold_of_the_state_events_alone_equals_the_whole_fold() {
        use crate::ids::{NoteId, TransferId};
        use crate::kinds::NoteAudience;
        use crate::sla::{AlertLevel, ClockKind};
        let t = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let m = |n: i64| t + chrono::Duration::minutes(n);
        let log = vec![
            EventKind::Created {
                channel: Channel::Phone,
                priority: Priority::High,
                tier: Tier::Vip,
            },
            EventKind::CapacityWait {
                reason: crate::kinds::WaitReason::AllAtCap,
            },
            EventKind::Assigned {
                from: None,
                to: UserId(3),
                why: None,
            },
            EventKind::NoteAdded {
                note_id: NoteId(1),
                audience: NoteAudience::Internal,
            },
            EventKind::StageChanged {
                from: Stage::ToContact,
                to: Stage::InProgress,
                outcome: None,
            },
            EventKind::PriorityChanged {
                from: Priority::High,
                to: Priority::Urgent,
            },
            EventKind::SlaAlert {
                clock: ClockKind::Resolution,
                level: AlertLevel::NearBreach,
                round: 1,
            },
            EventKind::TransferRequested {
                request: TransferId(1),
                reason: "换人".into(),
            },
            EventKind::TransferDecided {
                request: TransferId(1),
                approved: true,
                note: String::new(),
            },
            EventKind::Assigned {
                from: Some(UserId(3)),
                to: UserId(4),
                why: None,
            },
            EventKind::StageChanged {
                from: Stage::InProgress,
                to: Stage::Done,
                outcome: Some(Outcome::Fully),
            },
            EventKind::Reopened {
                round: 2,
                reason: "again".into(),
            },
        ];
        let (mut whole, mut part) = (TicketState::default(), TicketState::default());
        for (i, e) in (0..).zip(&log) {
            whole.apply(m(i), e);
            assert_eq!(STATE_EVENTS.contains(&e.name()), e.changes_state(), "{e:?}");
            if e.changes_state() {
                part.apply(m(i), e);
            }
        }
        assert_eq!(whole, part);
        assert_eq!((whole.assignee, whole.round), (Some(UserId(4)), 2));
    }
}
