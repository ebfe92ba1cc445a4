//! Assignment storage: the rules, the team as the assigner sees it, the backlog drain,
//! presence, capacity episodes and transfer requests.
//!
//! Safety under concurrency: every assignment happens inside a `BEGIN IMMEDIATE`
//! transaction that reads each agent's load and the ticket's version and then writes with
//! a version check, so two assigners (two desktops on one file) can neither assign one
//! ticket twice nor push an agent past the cap. The shared PostgreSQL mode takes the same
//! path with row locks on the agents it assigns to.

mod candidates;
mod engine;
mod presence;
mod rules;
mod transfers;

pub use engine::{DrainReport, Episode, OpenEpisode};
pub(crate) use transfers::withdraw_pending;
