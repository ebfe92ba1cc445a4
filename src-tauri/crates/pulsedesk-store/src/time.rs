//! Timestamps are stored as UTC milliseconds since the epoch.

use crate::StoreError;
use chrono::{DateTime, Utc};

/// To the stored form.
pub(crate) fn to_ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// From the stored form; an impossible value means the file was tampered with.
pub(crate) fn from_ms(ms: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_millis(ms)
        .ok_or_else(|| StoreError::Corrupt(format!("impossible timestamp {ms}")))
}

/// An optional stored timestamp.
pub(crate) fn from_opt_ms(ms: Option<i64>) -> Result<Option<DateTime<Utc>>, StoreError> {
    ms.map(from_ms).transpose()
}
