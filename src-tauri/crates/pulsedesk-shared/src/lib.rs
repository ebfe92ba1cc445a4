//! Pulsedesk's shared team database (PostgreSQL), the team's authority in shared mode.
//!
//! - [`Owner`] is the schema owner's door, used only by `pulsedesk-admin`: create and migrate
//!   the schema, create and manage member logins.
//! - [`Shared`] is a login's connection: a member's, used by the app, reads under
//!   PostgreSQL's row-level security (migrations/0003) and submits commands; the team
//!   service's (`pulsedesk-server`) applies them, acting for the member who submitted each
//!   ([`Shared::on_behalf`]). Changes are [`Command`](command::Command)s with ids: a retry
//!   never applies twice.
//! - [`submissions`]: a member submits commands in their own name and reads their outcomes;
//!   [`applier`]: the team service, the one writer (by its [`lease`]), applies them in order
//!   as the members who submitted them.
//! - [`assigner`]: the team service's assigner, one at a time (by its [`lease`]).
//! - [`feed`] pulls what changed since a durable cursor, never skipping a row committed out
//!   of sequence order.

pub mod applier;
pub mod assigner;
mod connect;
mod error;
mod export;
pub mod feed;
mod import;
mod import_workspace;
pub mod lease;
mod owner;
mod presence;
mod reveal;
mod scram;
pub mod snapshot;
pub mod submissions;
#[cfg(feature = "testing")]
pub mod testing;
mod tickets;

pub use connect::{Server, Shared};
pub use error::SharedError;
pub use export::{ExportOptions, COLUMNS as EXPORT_COLUMNS};
pub use import::{ImportReport, RowError};
pub use import_workspace::{WorkspaceReport, NOTE_AUTHOR};
pub use owner::{MemberInput, Owner, Status};
pub use pulsedesk_core::command;

/// The shared schema's migrations, applied by [`Owner::migrate`].
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");
