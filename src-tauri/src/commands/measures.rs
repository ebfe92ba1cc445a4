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

/// Writes the improvement measures table, with each measure's evaluation, in the UI's language.
#[tracing::instrument(skip(app, state))]
#[tauri::command]
pub async fn export_measures(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    format: pulsedesk_core::tables::TableFormat,
    locale: String,
) -> ApiResult<String> {
    let (ws, actor) = state.actor()?;
    let list = ws.measures(&actor).await?;
    let lang = crate::desk::lang_of(&locale);
    let names = ("优化措施表", "improvement-measures");
    let path = super::reports::export_path(&app, &ws, lang, names, format.extension())?;
    pulsedesk_export::measures_table(&list, format, lang, &path)
        .await
        .map_err(super::reports::export_failed)?;
    Ok(path.display().to_string())
}
