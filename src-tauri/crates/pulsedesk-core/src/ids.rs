//! Typed identifiers, so a user id is never passed where a ticket id belongs.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
        #[serde(transparent)]
        #[ts(type = "number")]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A member of the team (agent, supervisor or admin).
    UserId
);
id_type!(
    /// A ticket's internal id (its human-facing number is [`crate::ticket::TicketNumber`]).
    TicketId
);
id_type!(
    /// A customer.
    CustomerId
);
id_type!(
    /// A configured ticket type (inquiry, complaint, ...).
    TicketTypeId
);
id_type!(
    /// An SLA policy (a rule that picks a ticket's targets).
    PolicyId
);
id_type!(
    /// A team calendar of working hours.
    CalendarId
);
id_type!(
    /// A note on a ticket.
    NoteId
);
id_type!(
    /// A transfer request (转交申请).
    TransferId
);
id_type!(
    /// A satisfaction survey (one per resolution cycle of a ticket).
    SurveyId
);
id_type!(
    /// An improvement measure (优化措施).
    MeasureId
);
