//! Domain changes mapped to Tauri events, so every open window refreshes.

use serde::Serialize;
use tauri::{AppHandle, Emitter};
use ts_rs::TS;

/// Event name for [`TicketChanged`].
pub const TICKET_CHANGED: &str = "ticket-changed";

/// A ticket was created or changed.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TicketChanged {
    pub id: pulsedesk_core::ids::TicketId,
}

/// Tells every window that a ticket changed.
pub fn notify_ticket_changed(app: &AppHandle, change: TicketChanged) {
    if let Err(e) = app.emit(TICKET_CHANGED, change) {
        tracing::warn!(error = %e, "could not emit ticket change");
    }
}

/// Event name: survey answers changed (the feedback module re-reads).
pub const FEEDBACK_CHANGED: &str = "feedback-changed";

/// Tells every window that answers were recorded.
pub fn notify_feedback_changed(app: &AppHandle) {
    if let Err(e) = app.emit(FEEDBACK_CHANGED, ()) {
        tracing::warn!(error = %e, "could not emit feedback change");
    }
}
