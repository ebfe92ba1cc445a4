//! The ticket workflow: 待分配 → 待联系客户 → 处理中 ⇄ 待回复客户 → 已完成, and reopening.
//!
//! Assignment is what takes a ticket out of 待分配 (see the store's `assign`); a stage
//! move never assigns. Reopening is its own action, because it starts a second round.

use crate::error::DomainError;
use crate::kinds::{Outcome, Stage};
use crate::reason::{MoveHint, Reason};

/// What a user asks for when moving a ticket to another stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MoveRequest {
    pub from: Stage,
    pub to: Stage,
    /// Required when moving to [`Stage::Done`].
    pub outcome: Option<Outcome>,
    /// Whether the ticket has an assignee.
    pub assigned: bool,
}

/// The stages a ticket may move to from `from` by an ordinary move (not assign, not reopen).
pub fn next_stages(from: Stage) -> &'static [Stage] {
    match from {
        Stage::Unassigned => &[],
        Stage::ToContact => &[Stage::InProgress],
        Stage::InProgress => &[Stage::AwaitingReply, Stage::Done],
        Stage::AwaitingReply => &[Stage::InProgress, Stage::Done],
        Stage::Done => &[],
    }
}

/// Checks an ordinary stage move; the error says what to do instead.
pub fn check_move(req: MoveRequest) -> Result<(), DomainError> {
    let illegal = |hint| {
        Err(DomainError::IllegalTransition {
            from: req.from,
            to: req.to,
            hint,
        })
    };
    if req.from == req.to {
        return illegal(MoveHint::SameStage);
    }
    if req.from == Stage::Unassigned {
        return illegal(MoveHint::AssignFirst);
    }
    if req.from == Stage::Done {
        return illegal(MoveHint::ReopenInstead);
    }
    if req.to == Stage::Unassigned {
        return illegal(MoveHint::ReassignInstead);
    }
    if !req.assigned {
        return illegal(MoveHint::NoAssignee);
    }
    if !next_stages(req.from).contains(&req.to) {
        return match (req.from, req.to) {
            (Stage::ToContact, _) => illegal(MoveHint::ContactFirst),
            (_, Stage::ToContact) => illegal(MoveHint::AlreadyContacted),
            _ => illegal(MoveHint::NotAStep),
        };
    }
    if req.to == Stage::Done && req.outcome.is_none() {
        return Err(DomainError::invalid("outcome", Reason::OutcomeNeeded));
    }
    Ok(())
}

/// Checks reopening a ticket into its next round; returns the stage it reopens into.
pub fn check_reopen(from: Stage, reason: &str) -> Result<Stage, DomainError> {
    if from != Stage::Done {
        return Err(DomainError::IllegalTransition {
            from,
            to: Stage::InProgress,
            hint: MoveHint::OnlyFinishedReopen,
        });
    }
    if reason.trim().is_empty() {
        return Err(DomainError::invalid("reason", Reason::ReopenReasonNeeded));
    }
    Ok(Stage::InProgress)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(from: Stage, to: Stage) -> MoveRequest {
        MoveRequest {
            from,
            to,
            outcome: Some(Outcome::Fully),
            assigned: true,
        }
    }

    /// The whole matrix: exactly these moves are legal.
    #[test]
    fn every_legal_and_illegal_move() {
        let legal = [
            (Stage::ToContact, Stage::InProgress),
            (Stage::InProgress, Stage::AwaitingReply),
            (Stage::InProgress, Stage::Done),
            (Stage::AwaitingReply, Stage::InProgress),
            (Stage::AwaitingReply, Stage::Done),
        ];
        for from in Stage::ALL {
            for to in Stage::ALL {
                let ok = check_move(req(*from, *to)).is_ok();
                assert_eq!(ok, legal.contains(&(*from, *to)), "{from} -> {to}");
            }
        }
    }

    #[test]
    fn illegal_moves_explain_themselves() {
        let err = check_move(req(Stage::Done, Stage::InProgress)).unwrap_err();
        assert_eq!(err.code(), "illegal_transition");
        assert!(err.to_string().contains("reopened"), "{err}");
        let err = check_move(req(Stage::Unassigned, Stage::InProgress)).unwrap_err();
        assert!(err.to_string().contains("assign"), "{err}");
        let err = check_move(req(Stage::ToContact, Stage::Done)).unwrap_err();
        assert!(err.to_string().contains("contact the customer"), "{err}");
    }

    #[test]
    fn done_needs_an_outcome() {
        let mut r = req(Stage::InProgress, Stage::Done);
        r.outcome = None;
        let err = check_move(r).unwrap_err();
        assert_eq!(err.code(), "invalid_input");
    }

    #[test]
    fn an_unassigned_ticket_cannot_be_worked() {
        let mut r = req(Stage::ToContact, Stage::InProgress);
        r.assigned = false;
        assert!(check_move(r).is_err());
    }

    #[test]
    fn only_done_tickets_reopen_and_need_a_reason() {
        assert_eq!(
            check_reopen(Stage::Done, "customer called back"),
            Ok(Stage::InProgress)
        );
        assert!(check_reopen(Stage::Done, "  ").is_err());
        for s in Stage::ALL.iter().filter(|s| **s != Stage::Done) {
            assert!(check_reopen(*s, "x").is_err(), "{s}");
        }
    }
}
