//! SLA storage: the rule book (policies, calendars, settings), each ticket's clock
//! projection, and the exactly-once alert records.

mod alerts;
mod projection;
mod rules;

pub use alerts::{AlertRecord, WatchedTicket};
pub(crate) use projection::refresh_tickets;
pub(crate) use rules::load_book;
