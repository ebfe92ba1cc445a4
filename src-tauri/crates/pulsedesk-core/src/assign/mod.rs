//! Smart assignment: who gets a waiting ticket, why, and when a member can take work.
//!
//! - [`decide`]: one decision (skills, tier preference, load, fairness) and a batch plan;
//! - [`rules`]: the admin's type → skills map, tier preferences and idle timeout;
//! - [`presence`]: online / away / offline from heartbeats, idle time and the screen lock;
//! - [`transfer`]: the rules of transfer requests (转交申请).

pub mod confirm;
pub mod decide;
pub mod notice;
pub mod presence;
pub mod rules;
pub mod transfer;
pub mod waiting;

pub use confirm::{assignment_events, confirm};
pub use decide::{
    decide, plan, AssignWhy, Candidate, Decision, Need, Planned, Rule, Score, Waiting,
};
pub use rules::{AssignRules, TierPreference, TypeSkills};
