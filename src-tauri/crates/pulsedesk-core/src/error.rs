//! Errors of the domain rules. Each carries a [`Reason`]: a stable code with parameters
//! that the UI shows in the member's language.

use crate::kinds::Stage;
use crate::reason::{MoveHint, Permission, Reason};
use thiserror::Error;

/// A rule of the helpdesk was broken.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    /// A field's value is not acceptable.
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: Reason },
    /// The stage change is not part of the workflow.
    #[error("{}", Reason::IllegalMove { from: *from, to: *to, hint: *hint })]
    IllegalTransition {
        from: Stage,
        to: Stage,
        hint: MoveHint,
    },
    /// The actor's role or relation to the ticket does not allow the action.
    #[error("{}", Reason::Forbidden { action: *.0 })]
    Forbidden(Permission),
    /// The ticket's current state no longer allows the change (someone else acted first).
    #[error("{0}")]
    Conflict(Reason),
}

impl DomainError {
    /// Stable machine-readable category.
    pub fn code(&self) -> &'static str {
        match self {
            DomainError::Invalid { .. } => "invalid_input",
            DomainError::IllegalTransition { .. } => "illegal_transition",
            DomainError::Forbidden(_) => "forbidden",
            DomainError::Conflict(_) => "conflict",
        }
    }

    /// Why, as the code and parameters the UI translates.
    pub fn reason(&self) -> Reason {
        match self {
            DomainError::Invalid { reason, .. } | DomainError::Conflict(reason) => reason.clone(),
            DomainError::IllegalTransition { from, to, hint } => Reason::IllegalMove {
                from: *from,
                to: *to,
                hint: *hint,
            },
            DomainError::Forbidden(action) => Reason::Forbidden { action: *action },
        }
    }

    /// The field at fault, for a validation error.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            DomainError::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }

    /// Shorthand for a field-level validation error.
    pub fn invalid(field: &'static str, reason: Reason) -> Self {
        DomainError::Invalid { field, reason }
    }
}
