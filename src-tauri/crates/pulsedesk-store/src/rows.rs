//! Decoding stored text back into domain values; unknown text means a damaged file.

use crate::StoreError;

/// Parses a stored enum value with its `parse` function.
pub(crate) fn decode<T>(
    parse: fn(&str) -> Option<T>,
    text: &str,
    what: &str,
) -> Result<T, StoreError> {
    parse(text).ok_or_else(|| StoreError::Corrupt(format!("unknown {what} {text:?}")))
}

/// Parses a stored JSON column.
pub(crate) fn json<T: serde::de::DeserializeOwned>(
    text: &str,
    what: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("bad {what}: {e}")))
}

/// Serialises a value for a JSON column.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> String {
    // Serialising plain data (enums, strings, vectors) cannot fail.
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_string())
}

/// A count or cap stored as INTEGER, as the u32 the domain uses.
pub(crate) fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}
