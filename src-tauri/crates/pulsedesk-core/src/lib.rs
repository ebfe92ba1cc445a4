//! Pulsedesk domain core.
//!
//! Pure rules of the helpdesk: ticket stages and their transitions, ticket numbering,
//! roles and permissions, PII masking, stage timings and input validation. Nothing here
//! knows about Tauri, WebKit or a database; every function is deterministic given its
//! inputs (time comes from an injected [`clock::Clock`]).

pub mod assign;
pub mod board;
pub mod clock;
pub mod command;
pub mod config;
pub mod duration;
pub mod error;
pub mod feedback;
pub mod history;
pub mod ids;
pub mod kinds;
pub mod measures;
pub mod permissions;
pub mod pii;
pub mod reason;
pub mod replica;
pub mod review;
pub mod search;
pub mod sla;
pub mod tables;
pub mod ticket;
pub mod validate;
pub mod view;

pub use error::DomainError;
