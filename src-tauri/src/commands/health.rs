//! What the header shows of the background work: the tasks that failed since start.

use crate::state::AppState;
use crate::tasks::TaskTrouble;
use tauri::State;

/// Every background task that failed since start (restarted, or stopped for good).
#[tauri::command]
pub fn get_troubles(state: State<'_, AppState>) -> Vec<TaskTrouble> {
    state.troubles.all()
}
