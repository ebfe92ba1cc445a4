//! Why a sync step failed: the server, or the local replica.

use pulsedesk_shared::SharedError;
use pulsedesk_store::StoreError;
use thiserror::Error;

/// A sync step's failure.
#[derive(Debug, Error)]
pub enum SyncError {
    #[error(transparent)]
    Shared(#[from] SharedError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for SyncError {
    fn from(e: sqlx::Error) -> Self {
        SyncError::Shared(e.into())
    }
}
