//! What the sync engine reports, turned into Tauri events: changed tickets refresh open
//! views and reschedule their SLA alerts; the link and the outbox show in the header.

use crate::state::AppState;
use pulsedesk_core::ids::TicketId;
use pulsedesk_sync::{Observer, SyncStatus};
use tauri::{AppHandle, Emitter, Manager};

/// Event: the link to the team server or the outbox changed ([`SyncStatus`]).
pub const SYNC_STATUS: &str = "sync-status";
/// Event: the team's setup (members, ticket types, SLA rules) changed on the server.
pub const TEAM_CONFIG_CHANGED: &str = "team-config-changed";

/// Event: a ticket logged here was numbered by the server ([`TicketRenumbered`]).
pub const TICKET_RENUMBERED: &str = "ticket-renumbered";

/// A provisional ticket's new id.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct TicketRenumbered {
    pub from: TicketId,
    pub to: TicketId,
}

pub struct AppObserver {
    pub app: AppHandle,
}

impl Observer for AppObserver {
    fn tickets_changed(&self, ids: &[TicketId]) {
        crate::events::tickets_changed(&self.app, ids, crate::events::Origin::Elsewhere);
        // The team service marks tickets waiting for capacity; this desktop keeps its own
        // episodes of them, and a supervisor here hears once per episode.
        let app = self.app.clone();
        tauri::async_runtime::spawn(async move {
            let Some(state) = app.try_state::<AppState>() else {
                return;
            };
            let Ok(ws) = state.workspace() else {
                return;
            };
            // Told at most once per episode (remembered per member), whenever they sign in.
            match ws.settle_capacity_episode().await {
                Ok(_) => crate::assigning::tell_supervisor(&app),
                Err(e) => tracing::warn!(error = %e, "could not follow the capacity episode"),
            }
        });
    }

    fn config_changed(&self) {
        if let Some(state) = self.app.try_state::<AppState>() {
            state.rules_changed();
        }
        if let Err(e) = self.app.emit(TEAM_CONFIG_CHANGED, ()) {
            tracing::warn!(error = %e, "could not emit the team setup change");
        }
    }

    fn ticket_renumbered(&self, from: TicketId, to: TicketId) {
        if let Err(e) = self
            .app
            .emit(TICKET_RENUMBERED, TicketRenumbered { from, to })
        {
            tracing::warn!(error = %e, "could not emit a renumbered ticket");
        }
    }

    fn status_changed(&self, status: &SyncStatus) {
        tracing::info!(link = ?status.link, pending = status.pending, rejected = status.rejected, "sync status");
        if let Err(e) = self.app.emit(SYNC_STATUS, status) {
            tracing::warn!(error = %e, "could not emit the sync status");
        }
    }
}
