//! A whole embedded workspace as history: what moves when a team takes its desktop
//! workspace into a shared database (ticket types, tickets as tracking-table rows with full
//! customer details, and notes by their author's name).

use super::HistoryRow;
use crate::kinds::NoteAudience;
use chrono::{DateTime, Utc};

/// A ticket type, matched by name on the other side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeRecord {
    pub name: String,
    pub template: String,
    pub active: bool,
}

/// A note on the ticket numbered `number`, by the member called `author`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteRecord {
    pub number: String,
    pub author: String,
    pub audience: NoteAudience,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// Everything that moves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkspaceHistory {
    pub types: Vec<TypeRecord>,
    pub tickets: Vec<HistoryRow>,
    pub notes: Vec<NoteRecord>,
}
