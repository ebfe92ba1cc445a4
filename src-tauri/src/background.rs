//! The work that runs on the open workspace without a window: the SLA scheduler, the
//! assigner and the presence watcher. Started once the first screen is up, and again on
//! the new workspace whenever the desktop connects to a team server or leaves it.

use crate::state::AppState;
use tauri::{AppHandle, Manager};

/// Starts the background work on the workspace now open (call on the main thread).
pub fn start(app: &AppHandle) {
    crate::alerts::start(app);
    crate::assigning::start(app);
    crate::alerts::publish(app);
    tracing::debug!(
        replica = app
            .state::<AppState>()
            .workspace()
            .map(|w| w.is_replica())
            .unwrap_or(false),
        "background work started"
    );
}
