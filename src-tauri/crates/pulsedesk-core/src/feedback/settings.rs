//! The team's feedback settings: the follow-up rule and how long a survey stays open.

use super::follow_up::FollowUpRule;
use super::survey::DEFAULT_EXPIRY_DAYS;
use crate::error::DomainError;
use crate::reason::Reason;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What admins set for feedback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FeedbackSettings {
    pub rule: FollowUpRule,
    /// Days a survey takes answers (1–90).
    pub expiry_days: u32,
}

impl Default for FeedbackSettings {
    fn default() -> Self {
        Self {
            rule: FollowUpRule::default(),
            expiry_days: DEFAULT_EXPIRY_DAYS,
        }
    }
}

impl FeedbackSettings {
    /// Checks the rule and the expiry; keywords are trimmed.
    pub fn validated(mut self) -> Result<Self, DomainError> {
        self.rule.keywords = self
            .rule
            .keywords
            .iter()
            .map(|k| k.trim().to_string())
            .collect();
        self.rule.validate()?;
        if !(1..=90).contains(&self.expiry_days) {
            return Err(DomainError::invalid(
                "expiry_days",
                Reason::OutOfRange { min: 1, max: 90 },
            ));
        }
        if self.rule.keywords.len() > 200 {
            return Err(DomainError::invalid(
                "keywords",
                Reason::TooMany { max: 200 },
            ));
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked_and_trimmed() {
        let s = FeedbackSettings::default().validated().unwrap();
        assert_eq!(s.expiry_days, 7);
        let mut t = FeedbackSettings::default();
        t.rule.keywords = vec![" 太慢 ".into()];
        assert_eq!(t.validated().unwrap().rule.keywords, ["太慢"]);
        let bad = FeedbackSettings {
            expiry_days: 0,
            ..Default::default()
        };
        assert_eq!(
            bad.validated().unwrap_err().reason(),
            Reason::OutOfRange { min: 1, max: 90 }
        );
    }
}
