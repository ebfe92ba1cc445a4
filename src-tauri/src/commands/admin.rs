//! Configuration (admins only; the store enforces it).

use crate::error::ApiResult;
use crate::state::AppState;
use pulsedesk_core::config::{
    Member, MemberInput, SlaTarget, TicketType, TicketTypeInput, WorkspaceConfig,
};
use tauri::State;

#[tauri::command]
pub async fn get_config(state: State<'_, AppState>) -> ApiResult<WorkspaceConfig> {
    let (ws, actor) = state.actor()?;
    Ok(ws.config(&actor).await?)
}

#[tracing::instrument(skip_all)]
#[tauri::command]
pub async fn save_ticket_type(
    state: State<'_, AppState>,
    input: TicketTypeInput,
) -> ApiResult<TicketType> {
    let (ws, actor) = state.actor()?;
    Ok(ws.save_ticket_type(&actor, &input).await?)
}

#[tracing::instrument(skip_all)]
#[tauri::command]
pub async fn save_sla_targets(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    targets: Vec<SlaTarget>,
) -> ApiResult<()> {
    let (ws, actor) = state.actor()?;
    ws.save_sla_targets(&actor, &targets).await?;
    state.rules_changed();
    crate::alerts::publish(&app);
    Ok(())
}

#[tracing::instrument(skip_all)]
#[tauri::command]
pub async fn save_member(state: State<'_, AppState>, input: MemberInput) -> ApiResult<Member> {
    let (ws, actor) = state.actor()?;
    Ok(ws.save_member(&actor, &input).await?)
}

#[tracing::instrument(skip_all)]
#[tauri::command]
pub async fn add_skill(state: State<'_, AppState>, name: String) -> ApiResult<()> {
    let (ws, actor) = state.actor()?;
    Ok(ws.add_skill(&actor, &name).await?)
}
