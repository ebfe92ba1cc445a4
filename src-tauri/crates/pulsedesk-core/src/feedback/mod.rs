//! Customer feedback: the satisfaction survey's scores and the follow-up rule, pure.
//! Definitions in docs/METRICS.md ("Feedback").

mod follow_up;
mod score;

pub use follow_up::{FollowUpReason, FollowUpRule, DEFAULT_KEYWORDS, DEFAULT_THRESHOLD_TENTHS};
pub use score::{Scores, Tenths};
