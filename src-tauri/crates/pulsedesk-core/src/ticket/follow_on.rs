//! What else a change to a ticket sets going beyond its log entries, decided here once so
//! that every store does the same: a ticket that changes hands or finishes lets its open
//! transfer requests lapse; a finished ticket sends its customer the round's survey (unless
//! it is itself a follow-up, which has its own call); a reopened one voids the unanswered
//! survey; whoever is given a ticket has their last assignment stamped, for the assigner's
//! fairness rule. Stores carry them out in the transaction that writes the events.

use super::{EventKind, TicketState};
use crate::ids::UserId;
use crate::kinds::Stage;

/// One consequence of a change, for the store to carry out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowOn {
    /// The ticket's pending transfer requests are withdrawn.
    WithdrawTransfers,
    /// The customer's survey for `round` goes out, crediting `agent`.
    OpenSurvey { round: u32, agent: Option<UserId> },
    /// The ticket's unanswered survey no longer counts.
    SupersedeSurveys,
    /// `member` was given a ticket now.
    StampAssigned { member: UserId },
}

/// The follow-ons of `events`, in order, for a ticket left in `after` by them; `follow_up`
/// when the ticket is a follow-up of another one.
pub fn follow_ons(events: &[EventKind], after: &TicketState, follow_up: bool) -> Vec<FollowOn> {
    let mut out = Vec::new();
    for e in events {
        match e {
            EventKind::Assigned { to, .. } => {
                out.push(FollowOn::StampAssigned { member: *to });
                out.push(FollowOn::WithdrawTransfers);
            }
            EventKind::StageChanged {
                to: Stage::Done, ..
            } => {
                out.push(FollowOn::WithdrawTransfers);
                if !follow_up {
                    out.push(FollowOn::OpenSurvey {
                        round: after.round,
                        agent: after.assignee,
                    });
                }
            }
            EventKind::Reopened { .. } => out.push(FollowOn::SupersedeSurveys),
            _ => {}
        }
    }
    out
}

/// Whether [`follow_ons`] of `events` depend on the ticket being a follow-up (a store then
/// reads that; otherwise it need not).
pub fn asks_if_follow_up(events: &[EventKind]) -> bool {
    events.iter().any(|e| {
        matches!(
            e,
            EventKind::StageChanged {
                to: Stage::Done,
                ..
            }
        )
    })
}

/// Whether `events` set anything going beyond the ticket's row and log.
pub fn has_follow_ons(events: &[EventKind]) -> bool {
    events.iter().any(|e| {
        matches!(
            e,
            EventKind::Assigned { .. }
                | EventKind::StageChanged {
                    to: Stage::Done,
                    ..
                }
                | EventKind::Reopened { .. }
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::{NoteAudience, Outcome};

    fn finished(round: u32) -> TicketState {
        TicketState {
            stage: Stage::Done,
            assignee: Some(UserId(7)),
            round,
            ..Default::default()
        }
    }

    #[test]
    fn finishing_withdraws_transfers_and_sends_the_rounds_survey_unless_a_follow_up() {
        let done = [EventKind::StageChanged {
            from: Stage::AwaitingReply,
            to: Stage::Done,
            outcome: Some(Outcome::Fully),
        }];
        assert!(has_follow_ons(&done) && asks_if_follow_up(&done));
        assert_eq!(
            follow_ons(&done, &finished(2), false),
            [
                FollowOn::WithdrawTransfers,
                FollowOn::OpenSurvey {
                    round: 2,
                    agent: Some(UserId(7))
                }
            ]
        );
        assert_eq!(
            follow_ons(&done, &finished(1), true),
            [FollowOn::WithdrawTransfers]
        );
    }

    #[test]
    fn a_claim_stamps_its_taker_and_a_reopening_voids_the_survey() {
        let claim = [
            EventKind::Assigned {
                from: None,
                to: UserId(7),
                why: None,
            },
            EventKind::StageChanged {
                from: Stage::Unassigned,
                to: Stage::ToContact,
                outcome: None,
            },
        ];
        let taken = TicketState {
            stage: Stage::ToContact,
            assignee: Some(UserId(7)),
            ..Default::default()
        };
        assert_eq!(
            follow_ons(&claim, &taken, false),
            [
                FollowOn::StampAssigned { member: UserId(7) },
                FollowOn::WithdrawTransfers
            ]
        );
        let reopen = [EventKind::Reopened {
            round: 2,
            reason: "仍未收到".into(),
        }];
        assert_eq!(
            follow_ons(&reopen, &finished(2), false),
            [FollowOn::SupersedeSurveys]
        );
        let note = [EventKind::NoteAdded {
            note_id: crate::ids::NoteId(1),
            audience: NoteAudience::Internal,
        }];
        assert!(!has_follow_ons(&note));
        assert!(!asks_if_follow_up(&claim) && !asks_if_follow_up(&reopen));
        assert!(follow_ons(&note, &taken, false).is_empty());
    }
}
