//! Storage errors, each with a stable code and, where it applies, the form field at fault.

use pulsedesk_core::reason::Reason;
use pulsedesk_core::DomainError;
use thiserror::Error;

/// Why a storage operation failed.
#[derive(Debug, Error)]
pub enum StoreError {
    /// A domain rule refused the change (validation, workflow, permissions).
    #[error(transparent)]
    Domain(DomainError),
    /// The referenced row does not exist (or is not visible).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A unique value is already taken.
    #[error("{field}: {reason}")]
    Duplicate { field: &'static str, reason: Reason },
    /// The data changed under the request (someone else acted first, a cap was reached).
    #[error("{0}")]
    Conflict(Reason),
    /// The operation is not available in this kind of workspace.
    #[error("{0}")]
    Unsupported(Reason),
    /// The file is not a usable Pulsedesk workspace.
    #[error("the workspace is damaged or is not a Pulsedesk workspace: {0}")]
    Corrupt(String),
    /// The file or its folder cannot be written.
    #[error("the workspace cannot be written (read-only file or folder): {0}")]
    ReadOnly(String),
    /// The file was written by a newer Pulsedesk.
    #[error("this workspace was written by a newer Pulsedesk (schema version {found}; this version knows up to {known}). Update Pulsedesk to open it; the file was not changed.")]
    NewerSchema { found: i64, known: i64 },
    /// Anything else the database reported.
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// Applying a migration failed.
    #[error("could not upgrade the workspace: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<DomainError> for StoreError {
    fn from(e: DomainError) -> Self {
        match e {
            // A lost race is a conflict wherever it was found.
            DomainError::Conflict(m) => StoreError::Conflict(m),
            other => StoreError::Domain(other),
        }
    }
}

impl StoreError {
    /// Stable machine-readable code for the UI.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Domain(d) => d.code(),
            StoreError::NotFound(_) => "not_found",
            StoreError::Duplicate { .. } => "duplicate",
            StoreError::Conflict(_) => "conflict",
            StoreError::Unsupported(_) => "unsupported",
            StoreError::Corrupt(_) => "corrupt_workspace",
            StoreError::ReadOnly(_) => "read_only_workspace",
            StoreError::NewerSchema { .. } => "newer_schema",
            StoreError::Database(_) => "database",
            StoreError::Migrate(_) => "migration_failed",
        }
    }

    /// Why, when it is a refusal the member can act on (the UI shows it in their language).
    pub fn reason(&self) -> Option<Reason> {
        match self {
            StoreError::Domain(d) => Some(d.reason()),
            StoreError::Duplicate { reason, .. }
            | StoreError::Conflict(reason)
            | StoreError::Unsupported(reason) => Some(reason.clone()),
            _ => None,
        }
    }

    /// The form field the error is about, if any.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            StoreError::Domain(DomainError::Invalid { field, .. }) => Some(field),
            StoreError::Duplicate { field, .. } => Some(field),
            _ => None,
        }
    }

    /// Turns a unique-constraint violation into a field error; passes anything else through.
    pub(crate) fn unique(err: sqlx::Error, field: &'static str) -> Self {
        match &err {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Duplicate {
                field,
                reason: Reason::Taken,
            },
            _ => err.into(),
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &err {
            // SQLite reports extended result codes; the low byte is the primary code.
            let primary = db
                .code()
                .and_then(|c| c.parse::<i64>().ok())
                .map(|c| c & 0xff);
            match primary {
                Some(8) => return StoreError::ReadOnly(db.message().to_string()),
                Some(11) | Some(26) => return StoreError::Corrupt(db.message().to_string()),
                _ => {}
            }
        }
        StoreError::Database(err)
    }
}
