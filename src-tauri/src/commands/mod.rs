//! The typed commands the webview calls. Each is a few lines: take the state, call one
//! workspace operation, map the error. Rules live in the core and the store, not here.

pub mod admin;
pub mod assign;
pub mod board;
pub mod feedback;
pub mod health;
pub mod measures;
pub mod prefs;
pub mod reports;
pub mod session;
pub mod sla;
pub mod team;
pub mod tickets;
