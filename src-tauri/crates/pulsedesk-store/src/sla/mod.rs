//! SLA storage: the rule book (policies, calendars, settings), each ticket's clock
//! projection, and the exactly-once alert records.

mod alerts;
mod projection;
mod rules;

pub use alerts::{AlertRecord, WatchedTicket};
pub(crate) use projection::{read_rules_and_marks, refresh_tickets, save_under_rules};
pub(crate) use rules::load_book;
