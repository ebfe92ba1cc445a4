//! A member's presence on the server: set by their own desktop, confirmed by its heartbeat.
//! The assigner counts a member whose heartbeat stopped as offline.

use crate::{Shared, SharedError};
use pulsedesk_core::kinds::Presence;

impl Shared {
    /// Sets the member's own presence and stamps their heartbeat.
    pub async fn set_presence(&self, presence: Presence) -> Result<(), SharedError> {
        sqlx::query("SELECT pd_set_presence($1)")
            .bind(presence.as_str())
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
