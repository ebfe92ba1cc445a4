//! SLA clocks: which targets apply to a ticket, which hours count, and where each clock stands.

pub mod calendar;
pub mod clock;
pub mod policy;

pub use calendar::{Hours, WorkCalendar};
pub use clock::{ClockKind, ClockState, SlaClock};
pub use policy::{PolicyMatch, SlaPolicy};
