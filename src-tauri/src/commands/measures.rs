//! The improvement measures table (优化措施表).

use crate::error::ApiResult;
use crate::state::AppState;
use pulsedesk_core::ids::MeasureId;
use pulsedesk_core::measures::{Measure, MeasureInput};
use tauri::State;

/// Every measure with its before/after evaluation as of now.
#[tauri::command]
pub async fn list_measures(state: State<'_, AppState>) -> ApiResult<Vec<Measure>> {
    let (ws, actor) = state.actor()?;
    Ok(ws.measures(&actor).await?)
}

/// Adds a measure (`id` null) or changes one.
#[tracing::instrument(skip(state, input))]
#[tauri::command]
pub async fn save_measure(
    state: State<'_, AppState>,
    id: Option<MeasureId>,
    input: MeasureInput,
) -> ApiResult<Measure> {
    let (ws, actor) = state.actor()?;
    Ok(ws.save_measure(&actor, id, &input).await?)
}
