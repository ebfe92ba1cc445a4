//! Team mode: connecting to the team server, the link's status and refused changes.

use crate::error::ApiResult;
use crate::state::AppState;
use crate::team::{ConnectInput, Team};
use pulsedesk_core::view::Account;
use pulsedesk_store::Rejection;
use pulsedesk_sync::SyncStatus;
use tauri::{AppHandle, State};

/// Signs in to a team server and switches this desktop to it.
#[tracing::instrument(skip_all, fields(login = %input.login))]
#[tauri::command]
pub async fn connect_team(app: AppHandle, input: ConnectInput) -> ApiResult<Account> {
    let account = crate::team::connect(&app, input).await?;
    crate::alerts::publish(&app);
    Ok(account)
}

/// The link and the outbox; `None` when this desktop is not in team mode.
#[tauri::command]
pub async fn get_sync_status(state: State<'_, AppState>) -> ApiResult<Option<SyncStatus>> {
    let Some(engine) = state.with_team(Team::engine) else {
        return Ok(None);
    };
    Ok(Some(engine.status().await))
}

/// Changes the server refused, newest first, with its reasons.
#[tauri::command]
pub async fn list_rejections(state: State<'_, AppState>) -> ApiResult<Vec<Rejection>> {
    let (ws, _) = state.actor()?;
    Ok(ws.outbox_rejections().await?)
}

/// The member has read a refusal: it leaves the list.
#[tauri::command]
pub async fn dismiss_rejection(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
) -> ApiResult<Vec<Rejection>> {
    let (ws, _) = state.actor()?;
    ws.dismiss_rejection(&id).await?;
    if let Some(engine) = state.with_team(Team::engine) {
        let status = engine.status().await;
        use tauri::Emitter;
        let _ = app.emit(crate::team::observer::SYNC_STATUS, status);
    }
    Ok(ws.outbox_rejections().await?)
}
