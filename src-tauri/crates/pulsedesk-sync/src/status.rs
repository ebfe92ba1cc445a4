//! What the engine tells the app: the link's state, the outbox's counts, changed tickets.

use chrono::{DateTime, Utc};
use pulsedesk_core::ids::TicketId;
use serde::Serialize;
use ts_rs::TS;

/// The state of the connection to the shared database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Link {
    /// Connecting for the first time.
    Connecting,
    /// Connected and in step.
    Online,
    /// The server cannot be reached; the app works on its replica and keeps retrying.
    Offline {
        since: DateTime<Utc>,
        reason: String,
    },
    /// The server refused the login (wrong password, account disabled): no retry until the
    /// member signs in again.
    Refused { reason: String },
}

/// The link plus the outbox's counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SyncStatus {
    pub link: Link,
    /// Changes waiting to be sent.
    pub pending: u32,
    /// Changes the server refused (shown to the member until dismissed).
    pub rejected: u32,
    /// Tickets this desktop could not show whole: the server holds values or entries this
    /// build cannot read (written by a newer Pulsedesk, or by hand). Read again at every
    /// connection, so updating Pulsedesk fills them in.
    pub unreadable: u32,
}

/// Told of everything the engine does. Called from the engine's task; keep it quick.
pub trait Observer: Send + Sync + 'static {
    /// These tickets' local view changed (written, removed, or a queued change settled).
    fn tickets_changed(&self, ids: &[TicketId]);
    /// The team's setup changed.
    fn config_changed(&self) {}
    /// A ticket logged on this desktop reached the server and got its number and id: views
    /// showing the provisional ticket follow it to `to`.
    fn ticket_renumbered(&self, from: TicketId, to: TicketId) {
        let _ = (from, to);
    }
    /// The link or the outbox changed.
    fn status_changed(&self, status: &SyncStatus);
}
