//! Domain changes mapped to Tauri events, so every open window refreshes.

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager};
use ts_rs::TS;

/// Event name for [`TicketChanged`].
pub const TICKET_CHANGED: &str = "ticket-changed";

/// A ticket was created or changed.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TicketChanged {
    pub id: pulsedesk_core::ids::TicketId,
}

/// Where a change to tickets came from: it decides who else must hear of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A member's command on this desktop: the SLA scheduler reschedules, the assigner looks
    /// at the backlog, and in team mode the change is sent.
    Here,
    /// Pulled from the team database, or changed by this desktop's assigner: the SLA
    /// scheduler reschedules.
    Elsewhere,
    /// Only views refresh: the SLA scheduler recorded alerts in the tickets' timelines, or
    /// tickets started waiting for capacity.
    ViewsOnly,
}

/// Most `ticket-changed` events one batch sends (windows reload whole lists anyway).
const MAX_EVENTS: usize = 20;

/// The one way the shell tells of changed tickets: the background work `origin` calls for,
/// then every window (a bounded number of events per batch), then the tray's counts.
pub fn tickets_changed(app: &AppHandle, ids: &[pulsedesk_core::ids::TicketId], origin: Origin) {
    if ids.is_empty() {
        return;
    }
    // The state may not be managed yet (the team engine starts during set-up).
    if let Some(state) = app.try_state::<crate::state::AppState>() {
        for id in ids {
            match origin {
                Origin::Here => state.ticket_changed(*id),
                Origin::Elsewhere => state.sla_ticket_changed(*id),
                Origin::ViewsOnly => {}
            }
        }
    }
    for id in ids.iter().take(MAX_EVENTS) {
        if let Err(e) = app.emit(TICKET_CHANGED, TicketChanged { id: *id }) {
            tracing::warn!(error = %e, "could not emit ticket change");
        }
    }
    crate::alerts::publish(app);
}

/// Event name: survey answers changed (the feedback module re-reads).
pub const FEEDBACK_CHANGED: &str = "feedback-changed";

/// Tells every window that answers were recorded.
pub fn notify_feedback_changed(app: &AppHandle) {
    if let Err(e) = app.emit(FEEDBACK_CHANGED, ()) {
        tracing::warn!(error = %e, "could not emit feedback change");
    }
}
