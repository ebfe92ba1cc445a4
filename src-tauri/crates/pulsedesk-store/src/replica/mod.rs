//! A workspace as the replica of a shared team database.
//!
//! The UI reads the replica like any workspace. What differs:
//! - every change the member makes is applied here at once (so they see it) **and** queued
//!   in the outbox as a [`Command`](pulsedesk_core::command::Command) with an id, in the same
//!   transaction — the sync engine sends it;
//! - what the server holds arrives as whole-ticket snapshots ([`apply`]); a ticket with
//!   unsent edits keeps the member's version until they have been sent or refused;
//! - tickets logged while offline get provisional (negative) ids until the server numbers
//!   them.

mod apply;
mod outbox;
mod write;

pub use apply::Applied;
pub(crate) use outbox::queue;
pub use outbox::{OutboxCounts, Queued, Rejection};

use crate::{StoreError, Workspace};
use pulsedesk_core::ids::TicketId;
use std::sync::atomic::Ordering;

/// Setting: this workspace is a replica.
const REPLICA: &str = "replica";
/// Setting: the member this replica belongs to (their own presence is set here, on this
/// desktop, and sent to the server; the server's copy never overwrites it).
pub(crate) const MEMBER: &str = "replica.member";

impl Workspace {
    /// Marks this workspace as a replica of a shared database, for good: from now on every
    /// change is queued for the server.
    pub async fn become_replica(&self) -> Result<(), StoreError> {
        self.set_setting(REPLICA, "1").await?;
        self.replica.store(true, Ordering::SeqCst);
        Ok(())
    }

    /// Records whose replica this is (the sync engine, on every connection).
    pub async fn set_replica_member(
        &self,
        member: pulsedesk_core::ids::UserId,
    ) -> Result<(), StoreError> {
        self.set_setting(MEMBER, &member.0.to_string()).await
    }

    /// Whether changes are queued for a shared database.
    pub fn is_replica(&self) -> bool {
        self.replica.load(Ordering::SeqCst)
    }

    /// Reads the replica mark (when the workspace opens).
    pub(crate) async fn load_replica_mark(&self) -> Result<(), StoreError> {
        let on = self.setting(REPLICA).await?.as_deref() == Some("1");
        self.replica.store(on, Ordering::SeqCst);
        Ok(())
    }

    /// Refuses, on a replica, a change the shared database does not take as a command yet.
    pub(crate) fn local_only(
        &self,
        feature: pulsedesk_core::reason::Feature,
    ) -> Result<(), StoreError> {
        if self.is_replica() {
            return Err(StoreError::Unsupported(
                pulsedesk_core::reason::Reason::NotInTeamMode { feature },
            ));
        }
        Ok(())
    }
}

/// Refuses work on a ticket the server has not numbered yet.
pub(crate) fn check_sent(id: TicketId) -> Result<(), StoreError> {
    if id.0 < 0 {
        return Err(StoreError::Conflict(
            pulsedesk_core::reason::Reason::NotOnServerYet,
        ));
    }
    Ok(())
}
