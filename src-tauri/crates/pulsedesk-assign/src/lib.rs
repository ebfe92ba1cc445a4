//! Pulsedesk's background assignment.
//!
//! - [`worker`]: the assigner, a tokio task that drains the backlog whenever something
//!   that could free capacity happens (a ticket changed, a member came online, the rules
//!   changed) and at least every 30 s;
//! - [`watch`]: the presence watcher for the signed-in member: heartbeat, idle time and
//!   the screen lock move them between online and away;
//! - [`idle`]: where idle time and the lock state come from (X11 on Linux).

pub mod idle;
pub mod watch;
pub mod worker;

pub use worker::{Assigner, AssignerHandle};
