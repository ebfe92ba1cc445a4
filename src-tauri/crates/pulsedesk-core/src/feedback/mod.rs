//! Customer feedback: the satisfaction survey's scores and life, the follow-up rule, the
//! module's figures, and improvement measures — pure. Definitions in docs/METRICS.md
//! ("Feedback").

mod channel;
mod follow_up;
mod import;
mod notice;
mod score;
mod settings;
mod summary;
mod survey;

pub use channel::{destination, Delivery, Destination, SurveyChannel};
pub use follow_up::{FollowUpReason, FollowUpRule, DEFAULT_KEYWORDS, DEFAULT_THRESHOLD_TENTHS};
pub use import::{parse_row, parse_time, Columns, ImportRow};
pub use notice::{follow_up_text, FollowUpNews};
pub use score::{Scores, Tenths};
pub use settings::FeedbackSettings;
pub use summary::{
    mean_tenths, FeedbackFigures, FeedbackGroup, FeedbackOverview, FeedbackRow, Sums,
};
pub use survey::{
    admit, expiry, follow_up_owner, Admission, Answer, AnswerSource, FollowUpLink, Refusal,
    SurveyState, SurveyStatus, SurveyView, DEFAULT_EXPIRY_DAYS,
};
