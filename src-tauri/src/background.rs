//! The work that runs on the open workspace without a window: the SLA scheduler, the
//! assigner and the presence watcher. Started once the first screen is up, and again on
//! the new workspace whenever the desktop connects to a team server or leaves it. Each
//! runs under [`crate::tasks::supervise`]: a failure is logged, shown in the header and
//! the task started again.

use crate::state::AppState;
use crate::tasks::{supervise, Alive, TaskName};
use std::future::Future;
use tauri::{AppHandle, Emitter, Manager};

/// Event: a background task failed (the payload is every failure since start).
pub const TROUBLE: &str = "background-trouble";

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

/// Runs the task `make` builds under watch, on the current workspace's switch: a panic is
/// reported to every window and the task built again after a pause.
pub fn spawn<F, Fut>(app: &AppHandle, name: TaskName, make: F)
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let alive = app.state::<AppState>().alive();
    spawn_with(app, name, alive, make);
}

/// [`spawn`] for work that outlives workspaces (it stops only with the app).
pub fn spawn_for_app<F, Fut>(app: &AppHandle, name: TaskName, make: F)
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    spawn_with(app, name, Alive::new(), make);
}

fn spawn_with<F, Fut>(app: &AppHandle, name: TaskName, alive: Alive, make: F)
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let told = app.clone();
    tauri::async_runtime::spawn(supervise(name, alive, make, move |trouble| {
        let all = told.state::<AppState>().record_trouble(trouble);
        if let Err(e) = told.emit(TROUBLE, all) {
            tracing::warn!(error = %e, "could not report a background failure");
        }
    }));
}
