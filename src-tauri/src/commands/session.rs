//! Start-up status and signing in.

use crate::commands::prefs::{locale_pref, LocalePref};
use crate::error::{ApiError, ApiResult};
use crate::startup::SESSION_KEY;
use crate::state::AppState;
use pulsedesk_core::ids::UserId;
use pulsedesk_core::kinds::Presence;
use pulsedesk_core::view::{Account, Catalog};
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

/// Everything the first screen needs, in one round trip.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Bootstrap {
    /// Why the workspace did not open, if it did not.
    pub error: Option<ApiError>,
    /// Where the workspace lives (shown when it did not open).
    pub data_dir: String,
    pub locale: LocalePref,
    /// The member still signed in on this desktop, if any.
    pub session: Option<Account>,
    /// The signed-in member's catalog.
    pub catalog: Option<Catalog>,
    /// Team mode: the server, the login and the link (or why it is not connected).
    pub team: Option<crate::team::TeamInfo>,
}

#[tauri::command]
pub async fn bootstrap(state: State<'_, AppState>) -> ApiResult<Bootstrap> {
    let catalog = match state.actor() {
        Ok((ws, actor)) => Some(ws.catalog(&actor).await?),
        Err(_) => None,
    };
    Ok(Bootstrap {
        error: state.workspace().err(),
        data_dir: state.data_dir.display().to_string(),
        locale: locale_pref(&state).await?,
        session: state.session(),
        catalog,
        team: crate::team::info(&state).await,
    })
}

#[tauri::command]
pub async fn list_accounts(state: State<'_, AppState>) -> ApiResult<Vec<Account>> {
    Ok(state.workspace()?.accounts().await?)
}

#[tracing::instrument(skip(app, state))]
#[tauri::command]
pub async fn sign_in(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    user_id: UserId,
) -> ApiResult<Account> {
    if state.with_team(|_| ()).is_some() {
        return Err(ApiError::new(
            "team_mode",
            "this desktop is signed in to a team server; sign out of it to use another account",
        ));
    }
    let ws = state.workspace()?;
    let account = ws.account(user_id).await?;
    ws.set_setting(SESSION_KEY, &account.id.to_string()).await?;
    tracing::info!(user = %account.id, role = %account.role, "signed in");
    state.set_session(Some(account.clone()));
    crate::commands::board::session_changed(&app);
    crate::assigning::on_session(&state, account.id, Presence::Online).await;
    crate::alerts::publish(&app);
    crate::assigning::tell_supervisor(&app);
    let news = app.clone();
    tauri::async_runtime::spawn(async move {
        crate::assigning::tell_follow_up_owner(&news).await;
        crate::assigning::tell_measure_owner(&news).await;
        crate::weekly::deliver(&news).await;
    });
    Ok(account)
}

#[tauri::command]
pub async fn sign_out(app: tauri::AppHandle, state: State<'_, AppState>) -> ApiResult<()> {
    // Team mode (or a team connection that was never finished): leave the team server.
    if state.with_team(|_| ()).is_some() {
        crate::team::leave(&app).await?;
        crate::alerts::publish(&app);
        return Ok(());
    }
    if state.team_problem().is_some() {
        crate::team::forget_profile(&state)?;
    }
    if let Some(me) = state.session() {
        crate::assigning::on_session(&state, me.id, Presence::Offline).await;
    }
    state.set_session(None);
    crate::commands::board::session_changed(&app);
    state.workspace()?.clear_setting(SESSION_KEY).await?;
    crate::alerts::publish(&app);
    Ok(())
}
