//! Tickets: their workflow, numbering, event log and timings.

pub mod change;
pub mod decide;
pub mod event;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod follow_on;
pub mod number;
pub mod stage;
pub mod state;
pub mod timings;

pub use change::{check_right, decide, taker, Change, Current};
pub use decide::{check_holder, events_for, priority_change, Holder, TicketCommand};
pub use event::{EventKind, TicketEvent};
pub use follow_on::{asks_if_follow_up, follow_ons, has_follow_ons, FollowOn};
pub use number::TicketNumber;
pub use stage::{check_move, check_reopen, MoveRequest};
pub use state::TicketState;
pub use timings::{stage_durations, Timings};
