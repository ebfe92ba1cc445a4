//! Why one VIP ticket's first response was late, read from its timeline.

use crate::kinds::Stage;
use crate::ticket::{EventKind, TicketEvent};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A reason a first response came late. A ticket may have several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BreachReason {
    /// It waited in the pool because no suitable agent had capacity.
    WaitedForCapacity,
    /// Assignment took more than half the target.
    SlowAssignment,
    /// Once assigned, reaching the customer (待联系客户 → 处理中) took more than half the target.
    SlowContact,
    /// It was assigned more than once before anyone responded.
    Reassigned,
    /// None of the above: the time went elsewhere.
    Other,
}

impl BreachReason {
    /// Every reason, in the order ties are listed.
    pub const ALL: [BreachReason; 5] = [
        BreachReason::WaitedForCapacity,
        BreachReason::SlowAssignment,
        BreachReason::SlowContact,
        BreachReason::Reassigned,
        BreachReason::Other,
    ];

    pub(crate) fn index(self) -> usize {
        match self {
            BreachReason::WaitedForCapacity => 0,
            BreachReason::SlowAssignment => 1,
            BreachReason::SlowContact => 2,
            BreachReason::Reassigned => 3,
            BreachReason::Other => 4,
        }
    }
}

/// The reasons for a late first response, from the ticket's log (in order) and its
/// first-response target in seconds. Only what happened before the first response counts;
/// durations are wall-clock.
pub fn breach_reasons(events: &[TicketEvent], target_secs: i64) -> Vec<BreachReason> {
    let mut created = None;
    let mut first_assigned = None;
    let mut responded = None;
    let mut assignments = 0;
    let mut waited = false;
    for e in events {
        if responded.is_some() {
            break;
        }
        match &e.kind {
            EventKind::Created { .. } => created = Some(e.at),
            EventKind::CapacityWait { .. } => waited = true,
            EventKind::Assigned { .. } => {
                assignments += 1;
                first_assigned.get_or_insert(e.at);
            }
            EventKind::StageChanged {
                to: Stage::InProgress,
                ..
            } => responded = Some(e.at),
            _ => {}
        }
    }
    let half = chrono::Duration::seconds(target_secs.max(0)) / 2;
    let mut out = Vec::new();
    if waited {
        out.push(BreachReason::WaitedForCapacity);
    }
    match (created, first_assigned) {
        (Some(c), Some(a)) if a - c > half => out.push(BreachReason::SlowAssignment),
        // Never assigned, and late: the whole wait was for assignment.
        (Some(_), None) => out.push(BreachReason::SlowAssignment),
        _ => {}
    }
    match (first_assigned, responded) {
        (Some(a), Some(r)) if r - a > half => out.push(BreachReason::SlowContact),
        // Assigned but not responded to, and late: reaching the customer is what is slow.
        (Some(_), None) => out.push(BreachReason::SlowContact),
        _ => {}
    }
    if assignments > 1 {
        out.push(BreachReason::Reassigned);
    }
    if out.is_empty() {
        out.push(BreachReason::Other);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::UserId;
    use crate::kinds::{Stage, WaitReason};
    use crate::ticket::fixtures::{created, ev, mv};
    use BreachReason::*;

    fn assigned(min: i64, to: i64) -> TicketEvent {
        ev(
            min,
            EventKind::Assigned {
                from: None,
                to: UserId(to),
                why: None,
            },
        )
    }

    const TARGET: i64 = 30 * 60;

    #[test]
    fn a_capacity_wait_and_a_slow_assignment() {
        let log = vec![
            created(),
            ev(
                1,
                EventKind::CapacityWait {
                    reason: WaitReason::AllAtCap,
                },
            ),
            assigned(20, 2),
            mv(25, Stage::ToContact, Stage::InProgress),
        ];
        assert_eq!(
            breach_reasons(&log, TARGET),
            [WaitedForCapacity, SlowAssignment]
        );
    }

    #[test]
    fn slow_contact_and_reassignment_exactly_at_half_is_not_slow() {
        let log = vec![
            created(),
            assigned(15, 2),
            assigned(16, 3),
            mv(40, Stage::ToContact, Stage::InProgress),
        ];
        // Assignment took exactly half the target (15 of 30 min): not slow.
        assert_eq!(breach_reasons(&log, TARGET), [SlowContact, Reassigned]);
    }

    #[test]
    fn what_happens_after_the_first_response_does_not_count() {
        let log = vec![
            created(),
            assigned(2, 2),
            mv(10, Stage::ToContact, Stage::InProgress),
            assigned(50, 3),
            ev(
                51,
                EventKind::CapacityWait {
                    reason: WaitReason::AllAtCap,
                },
            ),
        ];
        assert_eq!(breach_reasons(&log, TARGET), [Other]);
    }

    #[test]
    fn still_waiting_late_tickets() {
        assert_eq!(breach_reasons(&[created()], TARGET), [SlowAssignment]);
        let log = vec![created(), assigned(1, 2)];
        assert_eq!(breach_reasons(&log, TARGET), [SlowContact]);
    }
}
