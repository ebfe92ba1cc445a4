//! SLA clocks: which targets apply to a ticket, which hours count, where each clock stands,
//! and when it raises alerts.

pub mod agenda;
pub mod alert;
pub mod book;
pub mod calendar;
pub mod clock;
pub mod notice;
pub mod policy;
pub mod setup;

pub use agenda::Agenda;
pub use alert::{AlertKey, AlertLevel, Due, Watch};
pub use book::{headline, PolicyBook};
pub use calendar::{Hours, WorkCalendar};
pub use clock::{ClockKind, ClockState, SlaClock};
pub use policy::{PolicyMatch, SlaPolicy};
