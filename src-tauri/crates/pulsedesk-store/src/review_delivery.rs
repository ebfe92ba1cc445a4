//! Which member has been given which week's review: claimed once per week and member,
//! however many windows, sign-ins or app instances ask at the same moment.

use crate::{StoreError, Workspace};
use chrono::NaiveDate;
use pulsedesk_core::ids::UserId;
use pulsedesk_core::review::review_due;

fn key(user: UserId) -> String {
    format!("review.delivered.{user}")
}

impl Workspace {
    /// The week (its Monday) whose review `user` is to be given on `today`, claimed for
    /// them in the same write transaction — so of any number of callers at once exactly
    /// one gets it; `None` when it was given already.
    pub async fn claim_weekly_review(
        &self,
        user: UserId,
        today: NaiveDate,
    ) -> Result<Option<NaiveDate>, StoreError> {
        let key = key(user);
        let mut tx = self.begin_write().await?;
        let given: Option<(String,)> = sqlx::query_as("SELECT value FROM settings WHERE key = ?")
            .bind(&key)
            .fetch_optional(&mut *tx)
            .await?;
        let given = given.and_then(|(v,)| NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok());
        let Some(week) = review_due(today, given) else {
            return Ok(None);
        };
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES (?, ?)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(&key)
        .bind(week.format("%Y-%m-%d").to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(week))
    }
}
