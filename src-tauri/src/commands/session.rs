//! Start-up status and signing in.

use crate::error::{ApiError, ApiResult};
use crate::startup::SESSION_KEY;
use crate::state::AppState;
use pulsedesk_core::ids::UserId;
use pulsedesk_core::view::Account;
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

/// Whether the workspace opened, and where it lives.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StartupStatus {
    pub error: Option<ApiError>,
    pub data_dir: String,
}

#[tauri::command]
pub fn startup_status(state: State<'_, AppState>) -> StartupStatus {
    StartupStatus {
        error: state.workspace().err(),
        data_dir: state.data_dir.display().to_string(),
    }
}

#[tauri::command]
pub async fn list_accounts(state: State<'_, AppState>) -> ApiResult<Vec<Account>> {
    Ok(state.workspace()?.accounts().await?)
}

#[tauri::command]
pub fn current_session(state: State<'_, AppState>) -> Option<Account> {
    state.session()
}

#[tracing::instrument(skip(state))]
#[tauri::command]
pub async fn sign_in(state: State<'_, AppState>, user_id: UserId) -> ApiResult<Account> {
    let ws = state.workspace()?;
    let account = ws.account(user_id).await?;
    ws.set_setting(SESSION_KEY, &account.id.to_string()).await?;
    tracing::info!(user = %account.id, role = %account.role, "signed in");
    state.set_session(Some(account.clone()));
    Ok(account)
}

#[tauri::command]
pub async fn sign_out(state: State<'_, AppState>) -> ApiResult<()> {
    state.set_session(None);
    state.workspace()?.clear_setting(SESSION_KEY).await?;
    Ok(())
}
