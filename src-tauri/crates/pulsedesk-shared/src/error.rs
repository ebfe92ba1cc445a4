//! Errors of the shared database, each with a stable code like the local store's.

use pulsedesk_core::DomainError;
use thiserror::Error;

/// Why an operation on the shared database failed.
#[derive(Debug, Error)]
pub enum SharedError {
    /// A domain rule refused the change (validation, workflow, permissions, a race lost).
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// The database itself refused: the member's login has no right to this (row-level
    /// security or table rights). Reaching this means the app's own check was bypassed.
    #[error("the shared database refused this for your account: {0}")]
    Refused(String),
    /// The row does not exist or is not visible to this member.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// Sign-in failed: wrong user name or password, or the account is disabled.
    #[error("the server refused the user name or password (or the account is disabled)")]
    BadLogin,
    /// The server cannot be reached.
    #[error("cannot reach the shared database: {0}")]
    Unreachable(String),
    /// A login name or other admin input is not acceptable.
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    /// Stored data the app cannot read.
    #[error("the shared database holds data this version cannot read: {0}")]
    Corrupt(String),
    /// Anything else the database reported.
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// Creating or upgrading the schema failed.
    #[error("could not set up the shared database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl SharedError {
    /// Stable machine-readable code for the UI.
    pub fn code(&self) -> &'static str {
        match self {
            SharedError::Domain(d) => d.code(),
            SharedError::Refused(_) => "forbidden",
            SharedError::NotFound(_) => "not_found",
            SharedError::BadLogin => "bad_login",
            SharedError::Unreachable(_) => "offline",
            SharedError::Invalid { .. } => "invalid_input",
            SharedError::Corrupt(_) => "corrupt_data",
            SharedError::Database(_) => "database",
            SharedError::Migrate(_) => "migration_failed",
        }
    }

    /// Why, as the code the UI shows in the member's language, when a rule refused it.
    pub fn reason(&self) -> Option<pulsedesk_core::reason::Reason> {
        match self {
            SharedError::Domain(d) => Some(d.reason()),
            _ => None,
        }
    }

    /// Whether the server refused the command for good (a rule, a right, bad data), as
    /// opposed to failing to answer (retry later).
    pub fn is_refusal(&self) -> bool {
        match self {
            SharedError::Domain(_)
            | SharedError::Refused(_)
            | SharedError::NotFound(_)
            | SharedError::Invalid { .. } => true,
            // Data exceptions and integrity violations do not heal on retry.
            SharedError::Database(sqlx::Error::Database(db)) => db
                .code()
                .is_some_and(|c| c.starts_with("22") || c.starts_with("23")),
            _ => false,
        }
    }

    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        SharedError::Invalid {
            field,
            reason: reason.into(),
        }
    }
}

impl From<sqlx::Error> for SharedError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(db) => match db.code().as_deref() {
                // insufficient_privilege; row-level security violations use it too.
                Some("42501") => SharedError::Refused(db.message().to_string()),
                // invalid_password, invalid_authorization_specification
                Some("28P01" | "28000") => SharedError::BadLogin,
                Some("P0002") => SharedError::NotFound("ticket"),
                // Too many of the member's commands wait for the team service (0017).
                Some("PD002") => SharedError::Refused(db.message().to_string()),
                // The server is shutting down or the connection broke.
                Some(c) if c.starts_with("08") || c.starts_with("57P") => {
                    SharedError::Unreachable(db.message().to_string())
                }
                _ => SharedError::Database(e),
            },
            sqlx::Error::Io(io) => SharedError::Unreachable(io.to_string()),
            sqlx::Error::PoolTimedOut => SharedError::Unreachable("timed out".into()),
            sqlx::Error::PoolClosed | sqlx::Error::WorkerCrashed => {
                SharedError::Unreachable("the connection was closed".into())
            }
            sqlx::Error::Tls(t) => SharedError::Unreachable(format!("TLS: {t}")),
            _ => SharedError::Database(e),
        }
    }
}
