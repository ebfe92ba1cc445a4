//! A team's ticket history brought in from elsewhere (the ticket status tracking table plus
//! received / first-response / resolved times): each row read and checked ([`row`]), then
//! turned into the log of events the app would have written ([`events`]), so the imported
//! tickets fold, time and report like tickets worked in Pulsedesk.

pub mod events;
pub mod row;
pub mod workspace;

pub use events::{events, Logged};
pub use row::{parse_row, FieldError, HistoryRow, COLUMN_ALIASES};
pub use workspace::{NoteRecord, TypeRecord, WorkspaceHistory};
