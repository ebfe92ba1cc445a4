//! End-to-end tests: the real Pulsedesk binary, driven through tauri-driver + WebKitWebDriver.
//! Run under a display and a session bus, e.g.
//! `xvfb-run -a dbus-run-session -- cargo test -p pulsedesk --test e2e` (scripts/test.sh does).

mod harness;

mod assignment;
mod bad_input;
mod big_pool;
mod board;
mod choices;
mod feedback;
mod language;
#[cfg(target_os = "linux")]
mod layout;
mod measures;
mod member_menu;
#[cfg(target_os = "linux")]
mod presence;
mod roles;
mod service;
mod sla_countdown;
mod sla_rules;
mod team;
mod ticket_life;
