//! The follow-up rule (需跟进): a low overall score, or a comment about slowness.

use super::score::Tenths;
use crate::error::DomainError;
use crate::reason::Reason;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An overall score at or below this (3.0) needs a follow-up.
pub const DEFAULT_THRESHOLD_TENTHS: u32 = 30;

/// Words about slowness, in Chinese and English (admins edit the list).
pub const DEFAULT_KEYWORDS: &[&str] = &[
    "响应慢",
    "太慢",
    "等待时间太长",
    "没人理",
    "slow",
    "waited",
    "waiting",
    "no response",
    "no reply",
];

/// Why a piece of feedback needs a follow-up; both may hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FollowUpReason {
    LowScore { overall: Tenths },
    Keyword { keyword: String },
}

/// The team's rule: a threshold and a keyword list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FollowUpRule {
    pub threshold: Tenths,
    pub keywords: Vec<String>,
}

impl Default for FollowUpRule {
    fn default() -> Self {
        Self {
            threshold: Tenths(DEFAULT_THRESHOLD_TENTHS),
            keywords: DEFAULT_KEYWORDS.iter().map(|k| (*k).to_string()).collect(),
        }
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Whether `keyword` occurs in `text`. Chinese has no spaces between words, so a keyword
/// with Chinese characters matches anywhere; a Latin keyword matches whole words only
/// (case-insensitive), so "slow" is found in "too slow!" but not in "slowdown".
fn mentions(text: &str, keyword: &str) -> bool {
    let text = text.to_lowercase();
    let keyword = keyword.trim().to_lowercase();
    if keyword.is_empty() {
        return false;
    }
    if keyword.chars().any(is_cjk) {
        return text.contains(&keyword);
    }
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() && !is_cjk(c));
    text.match_indices(&keyword).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + keyword.len()..].chars().next();
        !word(before) && !word(after)
    })
}

impl FollowUpRule {
    /// Checks the threshold (1.0–5.0) and the keywords (1–40 characters, no duplicates).
    pub fn validate(&self) -> Result<(), DomainError> {
        if !(10..=50).contains(&self.threshold.0) {
            return Err(DomainError::Invalid {
                field: "threshold",
                reason: Reason::OutOfRange { min: 1, max: 5 },
            });
        }
        let mut seen = std::collections::HashSet::new();
        for k in &self.keywords {
            let k = k.trim();
            let n = k.chars().count();
            if n == 0 || n > 40 {
                return Err(DomainError::Invalid {
                    field: "keywords",
                    reason: if n == 0 {
                        Reason::Required
                    } else {
                        Reason::TooLong {
                            max: 40,
                            len: u32::try_from(n).unwrap_or(u32::MAX),
                        }
                    },
                });
            }
            if !seen.insert(k.to_lowercase()) {
                return Err(DomainError::Invalid {
                    field: "keywords",
                    reason: Reason::ListedTwice {
                        value: k.to_string(),
                    },
                });
            }
        }
        Ok(())
    }

    /// Why feedback with `overall` and `comment` needs a follow-up; empty when it does not.
    pub fn reasons(&self, overall: Tenths, comment: &str) -> Vec<FollowUpReason> {
        let mut out = Vec::new();
        if overall <= self.threshold {
            out.push(FollowUpReason::LowScore { overall });
        }
        if let Some(k) = self.keywords.iter().find(|k| mentions(comment, k)) {
            out.push(FollowUpReason::Keyword {
                keyword: k.trim().to_string(),
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule() -> FollowUpRule {
        FollowUpRule::default()
    }

    #[test]
    fn exactly_the_threshold_needs_a_follow_up_just_above_does_not() {
        assert_eq!(
            rule().reasons(Tenths(30), ""),
            [FollowUpReason::LowScore {
                overall: Tenths(30)
            }]
        );
        assert!(rule().reasons(Tenths(31), "").is_empty());
        assert!(rule().reasons(Tenths(47), "很满意").is_empty());
    }

    #[test]
    fn chinese_keywords_match_anywhere_latin_ones_whole_words_only() {
        let k = |c: &str| rule().reasons(Tenths(50), c);
        assert_eq!(
            k("客服响应慢了点"),
            [FollowUpReason::Keyword {
                keyword: "响应慢".into()
            }]
        );
        assert_eq!(
            k("Way too SLOW!"),
            [FollowUpReason::Keyword {
                keyword: "slow".into()
            }]
        );
        // Inside another word: not a mention.
        assert!(k("the slowdown was on our side").is_empty());
        assert!(k("we awaited the parcel").is_empty());
        // Mixed languages in one comment.
        assert_eq!(
            k("整体不错 but I waited 2 days"),
            [FollowUpReason::Keyword {
                keyword: "waited".into()
            }]
        );
        assert_eq!(k("No response for hours").len(), 1);
    }

    #[test]
    fn a_low_score_and_a_keyword_are_both_reasons() {
        let r = rule().reasons(Tenths(20), "等待时间太长");
        assert_eq!(r.len(), 2);
    }

    #[test]
    fn the_rule_is_checked_before_it_is_saved() {
        assert!(rule().validate().is_ok());
        let bad = FollowUpRule {
            threshold: Tenths(55),
            ..rule()
        };
        assert_eq!(
            bad.validate().unwrap_err().reason(),
            Reason::OutOfRange { min: 1, max: 5 }
        );
        let dup = FollowUpRule {
            keywords: vec!["Slow".into(), "slow".into()],
            ..rule()
        };
        assert!(dup.validate().unwrap_err().to_string().contains("twice"));
        let empty = FollowUpRule {
            keywords: vec!["  ".into()],
            ..rule()
        };
        assert!(empty.validate().is_err());
    }
}
