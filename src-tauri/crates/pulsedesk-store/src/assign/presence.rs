//! Each member's presence, written by their desktop (sign-in, sign-out, idle, lock, by hand)
//! and confirmed by a heartbeat.

use crate::rows::decode;
use crate::time::to_ms;
use crate::{StoreError, Workspace};
use pulsedesk_core::assign::presence::Current;
use pulsedesk_core::ids::UserId;
use pulsedesk_core::kinds::Presence;

impl Workspace {
    /// Sets `user`'s presence; `by_hand` when the member chose it themselves.
    pub async fn set_presence(
        &self,
        user: UserId,
        presence: Presence,
        by_hand: bool,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE users SET presence = ?, presence_by_hand = ?, presence_seen_at = ? WHERE id = ?",
        )
        .bind(presence.as_str())
        .bind(by_hand)
        .bind(to_ms(self.clock.now()))
        .bind(user.0)
        .execute(&self.writer)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("member"));
        }
        Ok(())
    }

    /// Confirms that `user`'s desktop is still running.
    pub async fn presence_heartbeat(&self, user: UserId) -> Result<(), StoreError> {
        sqlx::query("UPDATE users SET presence_seen_at = ? WHERE id = ?")
            .bind(to_ms(self.clock.now()))
            .bind(user.0)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// `user`'s presence as stored, and whether they set it by hand.
    pub async fn presence_of(&self, user: UserId) -> Result<Current, StoreError> {
        let row: Option<(String, bool)> =
            sqlx::query_as("SELECT presence, presence_by_hand FROM users WHERE id = ?")
                .bind(user.0)
                .fetch_optional(&self.pool)
                .await?;
        let (presence, by_hand) = row.ok_or(StoreError::NotFound("member"))?;
        Ok(Current {
            presence: decode(Presence::parse, &presence, "presence")?,
            by_hand,
        })
    }
}
