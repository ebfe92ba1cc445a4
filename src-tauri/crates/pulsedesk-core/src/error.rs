//! Errors of the domain rules. Each has a stable code the UI can translate.

use crate::kinds::Stage;
use thiserror::Error;

/// A rule of the helpdesk was broken.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    /// A field's value is not acceptable.
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    /// The stage change is not part of the workflow.
    #[error("cannot move a ticket from {from} to {to}: {hint}")]
    IllegalTransition {
        from: Stage,
        to: Stage,
        hint: &'static str,
    },
    /// The actor's role or relation to the ticket does not allow the action.
    #[error("not allowed: {0}")]
    Forbidden(String),
    /// The ticket's current state no longer allows the change (someone else acted first).
    #[error("{0}")]
    Conflict(String),
}

impl DomainError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            DomainError::Invalid { .. } => "invalid_input",
            DomainError::IllegalTransition { .. } => "illegal_transition",
            DomainError::Forbidden(_) => "forbidden",
            DomainError::Conflict(_) => "conflict",
        }
    }

    /// Shorthand for a field-level validation error.
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        DomainError::Invalid {
            field,
            reason: reason.into(),
        }
    }
}
