//! Customer feedback in the workspace: a survey opens when a ticket is done, answers are
//! recorded (by phone or imported), a low or slow-sounding answer opens a follow-up ticket
//! for a supervisor, and the feedback module adds it all up.

mod delivery;
pub(crate) mod demo;
mod follow_up;
mod import;
mod overview;
mod record;
mod survey;

pub use delivery::DeliveryReport;
pub use import::{ImportLine, ImportReport};
pub use record::FeedbackOutcome;

pub(crate) use survey::{on_done, on_reopened};

use crate::rows::{json, to_json};
use crate::{StoreError, Workspace};
use pulsedesk_core::feedback::FeedbackSettings;
use pulsedesk_core::permissions::{Action, Actor};
use sqlx::SqliteConnection;

const SETTINGS_KEY: &str = "feedback.settings";

pub(crate) async fn settings(conn: &mut SqliteConnection) -> Result<FeedbackSettings, StoreError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT value FROM settings WHERE key = ?")
        .bind(SETTINGS_KEY)
        .fetch_optional(conn)
        .await?;
    match row {
        Some((v,)) => json(&v, "feedback settings"),
        None => Ok(FeedbackSettings::default()),
    }
}

impl Workspace {
    /// The follow-up rule and the survey expiry.
    pub async fn feedback_settings(&self) -> Result<FeedbackSettings, StoreError> {
        let mut conn = self.pool.acquire().await?;
        settings(&mut conn).await
    }

    /// Saves the follow-up rule and the survey expiry (admins).
    pub async fn save_feedback_settings(
        &self,
        actor: &Actor,
        input: FeedbackSettings,
    ) -> Result<FeedbackSettings, StoreError> {
        actor.authorize(Action::Configure)?;
        self.local_only(pulsedesk_core::reason::Feature::FeedbackRules)?;
        let s = input.validated()?;
        self.set_setting(SETTINGS_KEY, &to_json(&s)).await?;
        tracing::info!(
            threshold = %s.rule.threshold,
            keywords = s.rule.keywords.len(),
            expiry_days = s.expiry_days,
            "feedback settings saved"
        );
        Ok(s)
    }
}
