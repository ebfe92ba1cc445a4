//! Transfer requests (转交申请): the assignee asks, with a reason, to hand a ticket over; a
//! supervisor approves (choosing the new agent) or declines with a reason.

use crate::error::DomainError;
use crate::ids::{TicketId, TransferId, UserId};
use crate::kinds::{Priority, Stage, TransferStatus};
use crate::permissions::{Action, Actor};
use crate::reason::Reason;
use crate::validate;
use crate::view::SlaBadge;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The longest reason or decision note.
pub const MAX_REASON: usize = 500;

/// A transfer request as the supervisors' list and the ticket view show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TransferView {
    pub id: TransferId,
    pub ticket_id: TicketId,
    pub number: String,
    pub subject: String,
    pub priority: Priority,
    pub stage: Stage,
    pub requester_id: UserId,
    pub requester: String,
    pub reason: String,
    pub status: TransferStatus,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decider: Option<String>,
    pub note: String,
    pub to: Option<String>,
    /// The ticket's running SLA clock, for "time left".
    pub sla: Option<SlaBadge>,
}

/// A supervisor's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum TransferDecision {
    Approve { to: UserId },
    Decline { reason: String },
}

/// Checks a new request; returns the trimmed reason.
pub fn check_request(
    actor: &Actor,
    assignee: Option<UserId>,
    stage: Stage,
    pending: bool,
    reason: &str,
) -> Result<String, DomainError> {
    actor.authorize(Action::RequestTransfer { assignee })?;
    if stage == Stage::Done {
        return Err(DomainError::invalid(
            "ticket",
            Reason::FinishedNotTransferable,
        ));
    }
    validate::required("reason", reason, MAX_REASON)?;
    if pending {
        return Err(DomainError::invalid("ticket", Reason::TransferPending));
    }
    Ok(reason.trim().to_string())
}

/// Checks a decision on a request; returns the trimmed decline reason (empty on approval).
pub fn check_decision(
    actor: &Actor,
    status: TransferStatus,
    requester: UserId,
    decision: &TransferDecision,
) -> Result<String, DomainError> {
    actor.authorize(Action::AssignTicket)?;
    if status != TransferStatus::Pending {
        return Err(DomainError::invalid(
            "request",
            Reason::RequestDecided { status },
        ));
    }
    match decision {
        TransferDecision::Approve { to } if *to == requester => {
            Err(DomainError::invalid("to", Reason::TransferToRequester))
        }
        TransferDecision::Approve { .. } => Ok(String::new()),
        TransferDecision::Decline { reason } => {
            validate::required("reason", reason, MAX_REASON)?;
            Ok(reason.trim().to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::Role;

    const ME: UserId = UserId(4);

    fn agent() -> Actor {
        Actor {
            id: ME,
            role: Role::Agent,
        }
    }

    fn supervisor() -> Actor {
        Actor {
            id: UserId(2),
            role: Role::Supervisor,
        }
    }

    #[test]
    fn the_assignee_asks_with_a_reason() {
        let ok = check_request(
            &agent(),
            Some(ME),
            Stage::InProgress,
            false,
            "  需要技术部  ",
        );
        assert_eq!(ok.unwrap(), "需要技术部");
        let cases = [
            (Some(UserId(9)), Stage::InProgress, false, "x", "forbidden"),
            (None, Stage::Unassigned, false, "x", "forbidden"),
            (Some(ME), Stage::Done, false, "x", "invalid_input"),
            (Some(ME), Stage::InProgress, false, "   ", "invalid_input"),
            (Some(ME), Stage::InProgress, true, "x", "invalid_input"),
        ];
        for (assignee, stage, pending, reason, code) in cases {
            let e = check_request(&agent(), assignee, stage, pending, reason).unwrap_err();
            assert_eq!(
                e.code(),
                code,
                "{assignee:?} {stage} {pending} {reason:?}: {e}"
            );
        }
        let long = "很".repeat(MAX_REASON + 1);
        assert!(check_request(&agent(), Some(ME), Stage::ToContact, false, &long).is_err());
    }

    #[test]
    fn only_supervisors_decide_and_only_once() {
        let approve = TransferDecision::Approve { to: UserId(7) };
        assert_eq!(
            check_decision(&supervisor(), TransferStatus::Pending, ME, &approve).unwrap(),
            ""
        );
        let e = check_decision(&agent(), TransferStatus::Pending, ME, &approve).unwrap_err();
        assert_eq!(e.code(), "forbidden");
        let e = check_decision(&supervisor(), TransferStatus::Declined, ME, &approve).unwrap_err();
        assert!(e.to_string().contains("already declined"), "{e}");
        let back = TransferDecision::Approve { to: ME };
        assert!(check_decision(&supervisor(), TransferStatus::Pending, ME, &back).is_err());
        let no_reason = TransferDecision::Decline { reason: " ".into() };
        let e = check_decision(&supervisor(), TransferStatus::Pending, ME, &no_reason).unwrap_err();
        assert!(e.to_string().starts_with("reason"), "{e}");
        let decline = TransferDecision::Decline {
            reason: " 先联系客户 ".into(),
        };
        assert_eq!(
            check_decision(&supervisor(), TransferStatus::Pending, ME, &decline).unwrap(),
            "先联系客户"
        );
    }
}
