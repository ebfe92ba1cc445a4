//! Pulsedesk storage: the local SQLite workspace.
//!
//! [`Workspace`] is the only door to the data. Every operation takes the signed-in
//! [`pulsedesk_core::permissions::Actor`], asks the domain core whether it is allowed and
//! valid, then changes rows and appends to the ticket event log in one transaction.

mod accounts;
mod admin;
mod assign;
mod batch;
mod board;
mod checkpoint;
mod customers;
pub mod demo;
mod error;
mod feedback;
mod history_out;
mod measures;
mod monthly;
mod pool;
mod replica;
mod review;
mod review_delivery;
mod rows;
mod search_index;
mod sla;
mod tables;
mod tickets;
mod time;
mod workspace;

pub use assign::{DrainReport, Episode, OpenEpisode};
pub use error::StoreError;
pub use feedback::{DeliveryReport, FeedbackOutcome, ImportLine, ImportReport};
pub use replica::{Applied, OutboxCounts, Queued, Rejection};
pub use sla::{AlertRecord, WatchedTicket};
pub use tables::TablesError;
pub use workspace::Workspace;
