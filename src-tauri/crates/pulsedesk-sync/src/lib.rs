//! The sync engine: one per signed-in desktop in shared mode.
//!
//! It keeps the local replica (a [`Workspace`](pulsedesk_store::Workspace) the UI reads) in
//! step with the shared database, and sends the member's queued commands:
//!
//! - **Wake-ups, not data.** It LISTENs on `pulsedesk_changes`; a notification only says
//!   "something changed". Notifications that arrive while it is busy are coalesced into one
//!   pull. A pull reads the change feed after the replica's durable cursor (which never
//!   skips a row committed out of order, see `pulsedesk_shared::feed`), reads the changed
//!   tickets whole, in bulk, and writes them and the new cursor in one local transaction.
//! - **Commands out.** Local edits are applied to the replica and queued in its outbox in
//!   one transaction; the engine sends them in order, each with its id, so a retry after a
//!   lost answer is recognised by the server and never applied twice. A refusal is kept
//!   with its reason for the member to see.
//! - **Offline.** When the server cannot be reached the engine says so, keeps retrying
//!   (with backoff), and on reconnecting catches up from its cursor — notifications sent
//!   while it was away are lost by design and never needed. A safety pull every few
//!   seconds covers a wake-up lost on a live connection.
//! - **Past periods.** A report reaching back past the replica's window of finished tickets
//!   reads that period from the server into a workspace of its own ([`period_workspace`]).

mod credentials;
mod engine;
mod error;
mod period;
mod pull;
mod send;
mod status;

pub use credentials::{CredentialError, Credentials};
pub use engine::{Engine, Login, Options};
pub use error::SyncError;
pub use period::period_workspace;
pub use pull::{catch_up, start_replica, Pulled};
pub use send::{flush, Sent};
pub use status::{Link, Observer, SyncStatus};
