//! Pulsedesk SLA alerts: the scheduler that watches every open ticket's clocks and raises
//! near-breach and breach warnings on time, and the native pop-ups that carry them.
//!
//! * [`Scheduler`] runs on tokio: it keeps an [`pulsedesk_core::sla::Agenda`] of pending
//!   alerts and sleeps until the next one (at most [`scheduler::MAX_NAP`], so a wall-clock
//!   jump or a resume from sleep is noticed quickly). No per-second scan of tickets.
//! * Each alert is checked and recorded through the store, exactly once per workspace.
//! * [`present`] decides what this desktop's member sees: their own tickets (all, for a
//!   supervisor), near-breach muted by do-not-disturb, a burst collapsed into one pop-up.
//! * [`DesktopNotifier`] shows it with notify-rust; clicking opens the ticket.

mod notifier;
pub mod present;
pub mod scheduler;
#[cfg(feature = "testing")]
pub mod testing;

pub use notifier::{DesktopNotifier, Notifier, Popup};
pub use present::{Presence, Viewer};
pub use scheduler::{Scheduler, SchedulerHandle};
