//! The one error type every command returns, serialised as `{code, message, field}`.

use pulsedesk_core::reason::Reason;
use pulsedesk_store::StoreError;
use serde::Serialize;
use ts_rs::TS;

/// An error the UI can act on: `code` is its stable category, `reason` (for a refusal the
/// member can act on) the typed why the UI shows in their language, `message` the English
/// text for logs, `field` the form field at fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ApiError {
    pub code: String,
    pub message: String,
    pub field: Option<String>,
    pub reason: Option<Reason>,
}

impl ApiError {
    /// An error with no field.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        ApiError {
            code: code.to_string(),
            message: message.into(),
            field: None,
            reason: None,
        }
    }

    /// The caller has not signed in.
    pub fn signed_out() -> Self {
        ApiError::new("signed_out", "sign in first")
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        if matches!(e, StoreError::Database(_) | StoreError::Migrate(_)) {
            tracing::error!(error = %e, "storage failure");
        }
        ApiError {
            code: e.code().to_string(),
            message: e.to_string(),
            field: e.field().map(str::to_string),
            reason: e.reason(),
        }
    }
}

impl From<pulsedesk_core::DomainError> for ApiError {
    fn from(e: pulsedesk_core::DomainError) -> Self {
        StoreError::from(e).into()
    }
}

/// What every command returns.
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;
    use pulsedesk_core::DomainError;

    #[test]
    fn serialises_as_code_message_field() {
        let e: ApiError = DomainError::invalid("subject", Reason::Required).into();
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "invalid_input", "message": "subject: must not be empty",
                "field": "subject", "reason": {"code": "required"}})
        );
        let e: ApiError = StoreError::Conflict(Reason::CapReached {
            name: "李娜".into(),
            open: 5,
            cap: 5,
        })
        .into();
        assert_eq!(
            serde_json::to_value(&e).unwrap()["reason"],
            serde_json::json!({"code": "cap_reached", "name": "李娜", "open": 5, "cap": 5})
        );
    }

    #[test]
    fn store_codes_pass_through() {
        let e: ApiError = StoreError::NotFound("ticket").into();
        assert_eq!((e.code.as_str(), e.field), ("not_found", None));
        let e: ApiError = StoreError::NewerSchema { found: 9, known: 2 }.into();
        assert_eq!(e.code, "newer_schema");
    }
}
